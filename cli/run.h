/* run.h - running a client or a server to its end from the command line,
 * through the pump (pump.h), with Ctrl+C / SIGTERM stopping it cleanly.
 * Main thread only. */
#ifndef HVECHO_CLI_RUN_H
#define HVECHO_CLI_RUN_H

#include "hvecho/hvecho.h"
#include "report.h"

/* Installs the SIGINT / SIGTERM handlers (once). */
void run_catch_signals(void);
/* True once SIGINT or SIGTERM arrived. */
bool run_interrupted(void);

/* Start the session, show every event through r until FINISHED, and
 * return the exit code (a server stopped by a signal exits 0). A session
 * that cannot start is reported through r's error line. With
 * o->message_free set, the message is given back in every case. */
int run_client(const hve_client_opts *o, report *r);
int run_server(const hve_server_opts *o, report *r);

#endif
