/* cmd_register.h - `hvecho register` and `hvecho unregister`: the
 * GuestCommunicationServices key of a Windows host. Main thread only. */
#ifndef HVECHO_CLI_CMD_REGISTER_H
#define HVECHO_CLI_CMD_REGISTER_H

#include <stdbool.h>

/* True when argv[1] names one of these subcommands. */
bool cmd_register_is(int argc, char **argv);
/* Runs it; returns the exit code: 0 done, 2 bad usage (or not a Windows
 * host), 3 access denied (not elevated). */
int cmd_register_main(int argc, char **argv);

#endif
