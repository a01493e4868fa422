/* error.h - hvecho's one set of error codes, their plain-words messages and
 * hints, and the process exit code each one leads to.
 *
 * errno and WSA codes are translated in one place (core/error.c). Pure
 * functions and constant strings: safe from any thread. */
#ifndef HVECHO_ERROR_H
#define HVECHO_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hve_err {
    HVE_OK = 0,
    /* bad input: exit 2 */
    HVE_EUSAGE,        /* bad command line */
    HVE_EBADTARGET,    /* target text not understood / not valid here */
    HVE_EBADSERVICE,   /* service text not understood / not valid here */
    HVE_EBADGUID,      /* not a GUID */
    HVE_EBADINPUT,     /* some other value out of range */
    /* transport missing: exit 4 */
    HVE_ENOTRANSPORT,  /* address family not supported: module/OS missing */
    HVE_ENOLOOPBACK,   /* vsock: no local (loopback) transport loaded */
    HVE_ENODEV,        /* no such device: no transport for that address */
    /* could not connect or listen: exit 3 */
    HVE_EACCES,        /* permission denied (WSAEACCES 10013) */
    HVE_EADDRINUSE,
    HVE_EADDRNOTAVAIL,
    HVE_EREFUSED,
    HVE_ETIMEDOUT,     /* connect timed out */
    HVE_EUNREACH,      /* network/host unreachable */
    HVE_ENOTFOUND,     /* host name did not resolve / no such socket file */
    HVE_ENOGUEST,      /* vsock host: no running guest has that CID */
    HVE_EGUESTONLY,    /* vsock guest: the host drops other CIDs */
    HVE_ENOVMM,        /* hybrid vsock: no VMM socket at that path */
    HVE_EHYBRIDNOOK,   /* hybrid vsock: the VMM gave no OK (guest port shut) */
    HVE_EHYBRIDREPLY,  /* hybrid vsock: the VMM's reply is not "OK <port>" */
    /* handshake failed: exit 1 */
    HVE_ERESET,        /* connection reset by peer */
    HVE_EMISMATCH,     /* echo differed from what was sent */
    HVE_ENOBYE,        /* end of stream without a bye */
    HVE_ECLOSED,       /* peer closed before the echo was complete */
    HVE_EREADTIMEOUT,  /* no data from the peer in time */
    HVE_EBYETOOLONG,   /* more than the 4 KiB bye cap arrived */
    HVE_ENOMEM,
    HVE_ECANCELED,     /* stopped by the user */
    HVE_ELIMIT,        /* a server limit closed the connection */
    HVE_EIDLE,         /* the idle timeout closed the connection */
    HVE_EDENIED,       /* peer not on the --allow list */
    HVE_EDEADLINE,     /* the handshake's overall deadline passed */
    HVE_ENOFDS,        /* out of file descriptors (EMFILE, ENFILE,
                          WSAEMFILE) */
    HVE_ESYS,          /* any other system error */
    HVE_ERR_COUNT
} hve_err;

/* One line, plain words, no trailing period: "connection refused". */
const char *hve_strerror(int err);
/* Who reads a hint or remark: a command line user (settings named by
 * their flags, "-p") or a window's user (named by their fields,
 * "Service"). */
typedef enum hve_words {
    HVE_WORDS_CLI,
    HVE_WORDS_WINDOW
} hve_words;

/* What to do about it, one line; "" when there is nothing to add.
 * hve_hint is hve_hint_in(err, HVE_WORDS_CLI). */
const char *hve_hint(int err);
const char *hve_hint_in(int err, hve_words words);
/* The short stable name ("refused", "timed-out", ...) used in JSON. */
const char *hve_errname(int err);

/* Process exit codes shared by every command line. */
enum {
    HVE_EXIT_OK = 0,        /* handshake complete */
    HVE_EXIT_FAILED = 1,    /* handshake failed */
    HVE_EXIT_USAGE = 2,     /* bad usage or bad input */
    HVE_EXIT_CONNECT = 3,   /* could not connect or listen */
    HVE_EXIT_NOTRANSPORT = 4 /* transport not available on this system */
};
int hve_exit_code(int err);

/* The single translation point for system error numbers. */
int hve_err_from_errno(int e);
int hve_err_from_wsa(int wsa);

#ifdef __cplusplus
}
#endif
#endif
