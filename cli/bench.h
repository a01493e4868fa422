/* bench.h - `hvecho bench KIND ...` and `hvecho stress ...`: the command
 * line and the printing around the core's benchmark engine
 * (hvecho/bench.h). Main thread only. */
#ifndef HVECHO_CLI_BENCH_H
#define HVECHO_CLI_BENCH_H

#include <stdbool.h>

/* True when argv names a benchmark command ("bench" or "stress"). */
bool bench_is_command(int argc, char **argv);
/* Runs it; returns the process exit code. */
int bench_main(int argc, char **argv);

#endif
