/* options.h - the command line of hvecho, parsed into one struct. Shared
 * by every subcommand. Main thread only. */
#ifndef HVECHO_CLI_OPTIONS_H
#define HVECHO_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvecho/hvecho.h"

typedef enum cli_mode {
    MODE_NONE,
    MODE_SERVER,
    MODE_CLIENT,
    MODE_GUID,
    MODE_DOCTOR,
    MODE_HELP,
    MODE_VERSION
} cli_mode;

typedef struct cli_opts {
    cli_mode mode;
    const char *address;      /* target (client) or listen address */
    const char *service_text;
    hve_service service;
    const char *message;      /* -m */
    const char *message_file; /* --message-file */
    uint64_t size;            /* --size: generated message */
    const char *bye;
    double timeout_s;
    bool no_bye;        /* client: the peer sends no bye */
    unsigned count;
    bool forever;             /* --forever: until Ctrl+C */
    int64_t interval_us;      /* --interval */
    bool keep_going;          /* --keep-going */
    unsigned max_conns;
    double idle_timeout_s;
    uint64_t max_bytes;
    const char *allow;
    bool once;
    bool quiet;
    bool verbose;
    bool json;
    const char *guid_arg;     /* hvecho guid X */
} cli_opts;

/* Parses argv. On bad usage prints one line to stderr and returns 2;
 * else 0. */
int cli_parse(int argc, char **argv, cli_opts *o);

/* One line on stderr: "hvecho: <msg>", and returns HVE_EXIT_USAGE. */
/* printf-style checks; mingw-w64 must be told its printf is C99
 * (gnu_printf), as the toolchain file sets __USE_MINGW_ANSI_STDIO. */
#if defined(__MINGW32__) && !defined(__clang__)
#define CLI_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

int cli_usage_error(const char *fmt, ...) CLI_PRINTF(1, 2);

void cli_print_help(void);

/* Walking argv one argument at a time, shared by every subcommand's
 * parser. cli_args_next splits "--name=value"; opt is then the option
 * (or the plain argument), and cli_args_value gives the option's value:
 * the inline one, or the next argument (consumed). */
typedef struct cli_args {
    int argc;
    char **argv;
    int i;            /* the argument being looked at */
    const char *opt;  /* argv[i], or its part before '=' */
    const char *val;  /* the part after '=', or NULL */
    char name[32];
} cli_args;

/* Moves to argv[i] (the caller advances i); false past the end. */
bool cli_args_at(cli_args *a);
/* The option's value; NULL after printing "X needs a value". */
const char *cli_args_value(cli_args *a);
/* a is the short or the long spelling (either may be NULL). */
bool cli_is(const char *a, const char *s, const char *l);

#endif
