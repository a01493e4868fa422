/* test_hybrid.c - hybrid vsock targets: parsing hybrid:PATH[:PORT] (client
 * and listen), the PATH_PORT a server binds, and the client's CONNECT /
 * OK exchange against a scripted VMM on a Unix socket that answers one
 * byte at a time, closes, or answers nonsense. The scripted VMM runs on a
 * thread of its own, the client session on its own; this thread drains. */
#define _GNU_SOURCE
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const hve_platform L = HVE_PLATFORM_LINUX, W = HVE_PLATFORM_WINDOWS;

void test_hybrid_parse(void)
{
    hve_addr a;
    hve_service svc;
    char why[256], text[256];
    hve_service_default(&svc);

    CHECK_EQ_INT(hve_target_parse("hybrid:/run/fc/v.sock", L, &a, why,
                                  sizeof why), 0);
    CHECK_EQ_INT(a.family, HVE_FAM_HYBRID);
    CHECK_EQ_STR(a.path, "/run/fc/v.sock");
    CHECK_EQ_INT(a.hybrid_port, 0);
    CHECK_EQ_INT(hve_hybrid_port(&a, &svc), 0x3049197C);
    CHECK_EQ_STR(hve_addr_format(&a, &svc, text, sizeof text),
                 "hybrid /run/fc/v.sock port 810097020 (0x3049197C)");
    CHECK_EQ_STR(hve_family_name(a.family), "hybrid");

    CHECK_EQ_INT(hve_target_parse("hybrid:v.sock:52", L, &a, why, sizeof why),
                 0);
    CHECK_EQ_STR(a.path, "v.sock");
    CHECK_EQ_INT(a.hybrid_port, 52);
    CHECK_EQ_INT(hve_hybrid_port(&a, &svc), 52); /* the target's wins */
    CHECK_EQ_INT(hve_target_parse("hybrid:/a:b/v.sock:0x34", W, &a, why,
                                  sizeof why), 0);
    CHECK_EQ_STR(a.path, "/a:b/v.sock");
    CHECK_EQ_INT(a.hybrid_port, 52);
    /* The last part is a port only when it is a number. */
    CHECK_EQ_INT(hve_target_parse("hybrid:/a:b", L, &a, why, sizeof why), 0);
    CHECK_EQ_STR(a.path, "/a:b");
    CHECK_EQ_INT(a.hybrid_port, 0);

    CHECK_EQ_INT(hve_target_parse("hybrid:", L, &a, why, sizeof why),
                 HVE_EBADTARGET);
    CHECK_CONTAINS(why, "socket path is missing");
    CHECK_EQ_INT(hve_target_parse("hybrid::5", L, &a, why, sizeof why),
                 HVE_EBADTARGET);
    CHECK_EQ_INT(hve_target_parse("hybrid:/v.sock:", L, &a, why, sizeof why),
                 HVE_EBADTARGET);
    CHECK_CONTAINS(why, "port after the last ':' is missing");
    CHECK_EQ_INT(hve_target_parse("hybrid:/v.sock:0", L, &a, why, sizeof why),
                 HVE_EBADTARGET);
    CHECK_EQ_INT(hve_target_parse("hybrid:/v.sock:4294967295", L, &a, why,
                                  sizeof why), HVE_EBADTARGET);
    CHECK_CONTAINS(why, "1 to 4294967294");
    char longp[140];
    memset(longp, 'x', sizeof longp);
    memcpy(longp, "hybrid:/", 8);
    longp[sizeof longp - 1] = '\0';
    CHECK_EQ_INT(hve_target_parse(longp, L, &a, why, sizeof why),
                 HVE_EBADTARGET);
    CHECK_CONTAINS(why, "at most 107 bytes");

    /* Listening: PATH_PORT, the port in decimal as the VMM writes it. */
    hve_addr un;
    CHECK_EQ_INT(hve_listen_parse("hybrid:/run/v.sock", L, &a, why,
                                  sizeof why), 0);
    CHECK_EQ_INT(hve_hybrid_listen_path(&a, &svc, &un, why, sizeof why), 0);
    CHECK_EQ_INT(un.family, HVE_FAM_UNIX);
    CHECK_EQ_STR(un.path, "/run/v.sock_810097020");
    CHECK_EQ_INT(hve_listen_parse("hybrid:/run/v.sock:1234", L, &a, why,
                                  sizeof why), 0);
    CHECK_EQ_INT(hve_hybrid_listen_path(&a, &svc, &un, why, sizeof why), 0);
    CHECK_EQ_STR(un.path, "/run/v.sock_1234");
    char p100[120];
    memset(p100, 'y', 106);
    memcpy(p100, "hybrid:/", 8);
    p100[106] = '\0'; /* a 98-byte path: fits, but not with _810097020 */
    CHECK_EQ_INT(hve_listen_parse(p100, L, &a, why, sizeof why), 0);
    CHECK_EQ_INT(hve_hybrid_listen_path(&a, &svc, &un, why, sizeof why),
                 HVE_EBADTARGET);
    CHECK_CONTAINS(why, "longer than 107 bytes");

    /* Errors a user meets: connect-or-listen failures with hints. */
    int codes[] = {HVE_ENOVMM, HVE_EHYBRIDNOOK, HVE_EHYBRIDREPLY};
    for (size_t i = 0; i < 3; i++) {
        CHECK_EQ_INT(hve_exit_code(codes[i]), HVE_EXIT_CONNECT);
        CHECK(hve_hint(codes[i])[0] != '\0');
    }
    CHECK_CONTAINS(hve_hint(HVE_ENOVMM), "not running, or the path is wrong");
    CHECK_CONTAINS(hve_hint(HVE_EHYBRIDNOOK), "nothing listens on that port");
}

/* The scripted VMM: reads the CONNECT line, answers `reply` one byte at a
 * time (NULL: closes at once), and when the reply was a whole OK line,
 * echoes the
 * message and sends a bye after the client's shutdown. */
typedef struct vmm {
    int lfd;
    const char *reply;
    char line[64];
} vmm;

static void *vmm_main(void *arg)
{
    vmm *v = arg;
    int fd = accept(v->lfd, NULL, NULL);
    if (fd < 0)
        return NULL;
    size_t n = 0;
    while (n + 1 < sizeof v->line && read(fd, v->line + n, 1) == 1 &&
           v->line[n++] != '\n') {
    }
    v->line[n] = '\0';
    if (v->reply) {
        for (const char *p = v->reply; *p; p++)
            if (send(fd, p, 1, MSG_NOSIGNAL) != 1)
                break;
        size_t len = strlen(v->reply);
        if (strncmp(v->reply, "OK ", 3) == 0 && v->reply[3] >= '0' &&
            v->reply[3] <= '9' && v->reply[len - 1] == '\n') {
            char buf[256];
            ssize_t k;
            while ((k = read(fd, buf, sizeof buf)) > 0)
                if (send(fd, buf, (size_t)k, MSG_NOSIGNAL) != k)
                    break;
            (void)send(fd, "bye", 3, MSG_NOSIGNAL);
        }
    }
    close(fd);
    return NULL;
}

static int client_vs_vmm(const char *reply, const char *target_suffix,
                         char *line, char *detail)
{
    char path[108], t[160];
    snprintf(path, sizeof path, "/tmp/hvecho-unit-%d-vmm.sock", (int)getpid());
    unlink(path);
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un = {0};
    un.sun_family = AF_UNIX;
    snprintf(un.sun_path, sizeof un.sun_path, "%s", path);
    CHECK(bind(lfd, (struct sockaddr *)&un, sizeof un) == 0);
    CHECK(listen(lfd, 4) == 0);
    vmm v = {lfd, reply, ""};
    pthread_t th;
    pthread_create(&th, NULL, vmm_main, &v);

    snprintf(t, sizeof t, "hybrid:%s%s", path, target_suffix);
    detail[0] = '\0';
    int err = unit_client_session(t, "through the VMM", 5000, NULL, 0, detail,
                                  256, NULL);
    pthread_join(th, NULL);
    close(lfd);
    unlink(path);
    snprintf(line, 64, "%s", v.line);
    return err;
}

void test_hybrid_client(void)
{
    char line[64], detail[256];
    CHECK_EQ_INT(client_vs_vmm("OK 1073741824\n", ":52", line, detail), 0);
    CHECK_EQ_STR(line, "CONNECT 52\n");
    CHECK_EQ_INT(client_vs_vmm("OK 7\n", "", line, detail), 0);
    CHECK_EQ_STR(line, "CONNECT 810097020\n");
    CHECK_EQ_INT(client_vs_vmm(NULL, ":52", line, detail), HVE_EHYBRIDNOOK);
    CHECK_CONTAINS(detail, "closed the connection after CONNECT 52");
    CHECK_EQ_INT(client_vs_vmm("OK x\n", ":52", line, detail),
                 HVE_EHYBRIDREPLY);
    CHECK_CONTAINS(detail, "answered \"OK x\"");
    CHECK_EQ_INT(client_vs_vmm("ERR\t\xff\n", ":52", line, detail),
                 HVE_EHYBRIDREPLY);
    CHECK_CONTAINS(detail, "\"ERR\\t\\xFF\"");
    CHECK_EQ_INT(client_vs_vmm("OK 12", ":52", line, detail),
                 HVE_EHYBRIDREPLY);
    CHECK_CONTAINS(detail, "\"OK 12\" and closed");
    static char flood[100];
    memset(flood, 'A', sizeof flood - 1);
    CHECK_EQ_INT(client_vs_vmm(flood, ":52", line, detail), HVE_EHYBRIDREPLY);
    CHECK_CONTAINS(detail, "(no end of line)");
}
