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
    unsigned rounds;    /* client: handshakes asked for (UINT_MAX: until
                           stopped) */
    FILE *out;
    hve_stats *stats;   /* client: the run's figures (NULL if no memory) */
} report;

void report_init(report *r, bool json, bool quiet, bool verbose, bool server,
                 unsigned rounds);
/* Frees what report_init took. */
void report_done(report *r);
/* Shows one event. */
void report_event(report *r, const hve_event *ev);
/* "hvecho: <message>: <detail>" and "hint: <hint>" on stderr. */
void report_error(int err, const char *detail);

#endif
