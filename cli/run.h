/* run.h - running a session to its end from the command line, with
 * Ctrl+C / SIGTERM stopping it cleanly. Main thread only. */
#ifndef HVECHO_CLI_RUN_H
#define HVECHO_CLI_RUN_H

#include "hvecho/hvecho.h"
#include "report.h"

/* Installs the SIGINT / SIGTERM handlers (once). */
void run_catch_signals(void);
/* True once SIGINT or SIGTERM arrived. */
bool run_interrupted(void);

/* Shows every event of s through r until FINISHED; returns the exit code
 * (a server stopped by a signal exits 0). Frees nothing. */
int run_session(hve_session *s, report *r);

#endif
