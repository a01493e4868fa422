/* probe.h - `hvecho probe`: scheduled handshakes to many targets, as JSON
 * lines and a Prometheus textfile. Main thread only. */
#ifndef HVECHO_CLI_PROBE_H
#define HVECHO_CLI_PROBE_H

#include <stdbool.h>

bool probe_is_command(int argc, char **argv);
int probe_main(int argc, char **argv);

#endif
