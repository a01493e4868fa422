/* report.h - how the command line shows session events: human lines on
 * stdout (errors and hints on stderr), or one JSON object per line.
 * Main thread only. */
#ifndef HVECHO_CLI_REPORT_H
#define HVECHO_CLI_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "hvecho/hvecho.h"

typedef struct report {
    bool json;
    bool quiet;
    bool verbose;
    bool server;
    unsigned rounds;    /* client: handshakes asked for */
    FILE *out;
    /* client: phase times of the last round, for the summary */
    double connect_ms, echo_ms, bye_ms;
    unsigned rounds_ok;
} report;

void report_init(report *r, bool json, bool quiet, bool verbose, bool server,
                 unsigned rounds);
/* Shows one event. */
void report_event(report *r, const hve_event *ev);
/* "hvecho: <message>: <detail>" and "hint: <hint>" on stderr. */
void report_error(int err, const char *detail);

#endif
