/* blocking-echo.c - a reference peer for the guest benchmark
 * (guest-bench.sh), run only inside the project's qemu guest: the
 * simplest AF_VSOCK echo server there is, in the shape of the original
 * sample server. One thread, one client at a time, blocking calls: accept,
 * echo until the client shuts down its sending side, send "bye", close.
 * It costs the least per connection that a server can, so hvecho -s's
 * sequential handshakes/s are set beside it.
 *
 * Usage: blocking-echo PORT
 * Threads: one. */
#include <linux/vm_sockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: blocking-echo PORT\n");
        return 2;
    }
    int l = socket(AF_VSOCK, SOCK_STREAM, 0);
    struct sockaddr_vm a = {.svm_family = AF_VSOCK,
                            .svm_cid = VMADDR_CID_ANY,
                            .svm_port = (unsigned)strtoul(argv[1], NULL, 10)};
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 ||
        listen(l, 128) < 0) {
        perror("blocking-echo: listen");
        return 1;
    }
    static char buf[65536];
    for (;;) {
        int c = accept(l, NULL, NULL);
        if (c < 0)
            continue;
        ssize_t n;
        while ((n = recv(c, buf, sizeof buf, 0)) > 0) {
            for (ssize_t off = 0; off < n;) {
                ssize_t w = send(c, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
                if (w <= 0)
                    break;
                off += w;
            }
        }
        if (n == 0)
            send(c, "bye", 3, MSG_NOSIGNAL);
        close(c);
    }
}
