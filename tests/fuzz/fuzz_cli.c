/* fuzz_cli.c - libFuzzer target: hvecho's command-line parser
 * (cli/options.c, compiled into this target). cli_parse must return 0 or
 * 2 for any argv, never exit, never leak (LeakSanitizer checks each
 * input), and what it returns must hold together.
 *
 * Input: the argv strings after argv[0], separated by NUL bytes (at most
 * 64). stderr is closed by run-fuzz.sh (-close_fd_mask), as the parser
 * writes its one-line errors there. Single-threaded. */
#include "options.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARGS_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[ARGS_MAX + 2];
    int argc = 0;
    argv[argc++] = "hvecho";
    for (size_t i = 0; i <= size && argc <= ARGS_MAX;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;

    cli_opts o;
    int rc = cli_parse(argc, argv, &o);
    if (rc != 0 && rc != HVE_EXIT_USAGE)
        abort();
    if (rc == 0) {
        if (o.mode == MODE_NONE)
            abort();
        if ((o.mode == MODE_SERVER || o.mode == MODE_CLIENT) &&
            (o.count == 0 || o.timeout_s <= 0 || o.max_conns == 0))
            abort();
        if (o.mode == MODE_GUID && !o.guid_arg)
            abort();
        if (o.allow) {
            /* Accepted at parse time: the session must accept it too. */
            hve_allow *al;
            if (hve_allow_parse(o.allow, &al, NULL, 0))
                abort();
            hve_allow_free(al);
        }
    }
    free(buf);
    return 0;
}
