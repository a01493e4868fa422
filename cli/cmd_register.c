/* cmd_register.c - `hvecho register [--service GUID|PORT] [--name TEXT]
 * [--print]` and `hvecho unregister [--service GUID|PORT] [--print]`.
 *
 * On a Windows host they write or remove
 * HKLM\...\GuestCommunicationServices\<GUID> (ElementName) through the
 * core (hvecho/register.h); that needs an elevated prompt, else exit 3.
 * --print only shows the PowerShell that does it, on any system. On
 * Linux, without --print, they say it is a Windows-host thing (exit 2).
 * Main thread only. */
#include "cmd_register.h"

#include <stdio.h>
#include <string.h>

#include "hvecho/hvecho.h"
#include "hvecho/register.h"
#include "options.h"

bool cmd_register_is(int argc, char **argv)
{
    return argc > 1 && (strcmp(argv[1], "register") == 0 ||
                        strcmp(argv[1], "unregister") == 0);
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage:\n"
            "  hvecho register [--service GUID|PORT] [--name TEXT] "
            "[--print]\n"
            "  hvecho unregister [--service GUID|PORT] [--print]\n"
            "On a Windows host, as administrator: add (remove) the service "
            "under\n  %s\nso VMs may connect to it. --print shows the "
            "PowerShell instead.\n"
            "Exit: 0 done, 2 bad usage or not a Windows host, 3 not "
            "administrator.\n",
            HVE_GCS_KEY);
}

/* The PowerShell that removes the key, as one line. */
static void unregister_command(const hve_service *svc, char *buf,
                               size_t len)
{
    char g[HVE_GUID_STRLEN];
    snprintf(buf, len,
             "Remove-Item -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows "
             "NT\\CurrentVersion\\Virtualization\\GuestCommunicationServices"
             "\\%s'",
             hve_guid_format(&svc->guid, g));
}

int cmd_register_main(int argc, char **argv)
{
    bool unreg = strcmp(argv[1], "unregister") == 0;
    bool print = false;
    const char *name = "hvecho";
    hve_service svc;
    char why[512], cmd[1024];
    int i, err;

    hve_service_default(&svc);
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return HVE_EXIT_OK;
        }
        if (strcmp(a, "--print") == 0) {
            print = true;
            continue;
        }
        if (strcmp(a, "-p") == 0 || strcmp(a, "--service") == 0 ||
            (!unreg && strcmp(a, "--name") == 0)) {
            if (i + 1 >= argc)
                return cli_usage_error("%s needs a value", a);
            val = argv[++i];
        } else if (strncmp(a, "--service=", 10) == 0) {
            val = a + 10;
            a = "--service";
        } else if (!unreg && strncmp(a, "--name=", 7) == 0) {
            val = a + 7;
            a = "--name";
        } else {
            return cli_usage_error("%s: unknown option '%s' (see hvecho %s "
                                   "--help)",
                                   argv[1], a, argv[1]);
        }
        if (strcmp(a, "--name") == 0) {
            if (!*val)
                return cli_usage_error("--name must not be empty");
            name = val;
        } else if (hve_service_parse(val, HVE_PLATFORM_WINDOWS, &svc, why,
                                     sizeof why) != 0) {
            return cli_usage_error("bad service: %s", why);
        }
    }

    if (unreg)
        unregister_command(&svc, cmd, sizeof cmd);
    else
        hve_service_register_command(&svc, name, cmd, sizeof cmd);
    if (print) {
        printf("%s\n", cmd);
        return HVE_EXIT_OK;
    }

    if (unreg) {
        bool was = false;
        err = hve_service_unregister(&svc, &was, why, sizeof why);
    } else {
        err = hve_service_register(&svc, name, why, sizeof why);
    }
    if (err == 0) {
        printf("%s\n", why);
        if (!unreg) {
            const char *warn = hve_service_linux_warning(&svc);
            if (warn)
                printf("note: %s\n", warn);
        }
        return HVE_EXIT_OK;
    }
    fprintf(stderr, "hvecho: %s\n", why);
    if (err == HVE_EUSAGE) {
        fprintf(stderr, "on the host, in PowerShell as administrator:\n  %s\n",
                cmd);
        return HVE_EXIT_USAGE;
    }
    if (err == HVE_EACCES)
        fprintf(stderr,
                "hint: open PowerShell with \"Run as administrator\" and "
                "run hvecho %s again, or run there:\n  %s\n",
                argv[1], cmd);
    return hve_exit_code(err);
}
