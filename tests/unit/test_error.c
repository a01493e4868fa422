/* test_error.c - error codes, their words, exit codes and the errno / WSA
 * translation. */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <errno.h>

void test_error_table(void)
{
    for (int e = 0; e < HVE_ERR_COUNT; e++) {
        CHECK(hve_strerror(e) && *hve_strerror(e));
        CHECK(hve_errname(e) && *hve_errname(e));
        CHECK(hve_hint(e) != NULL);
        int x = hve_exit_code(e);
        CHECK(x >= 0 && x <= 4);
    }
    CHECK_EQ_STR(hve_strerror(-1), "unknown error");
    CHECK_EQ_STR(hve_strerror(HVE_ERR_COUNT), "unknown error");
    CHECK_EQ_INT(hve_exit_code(HVE_OK), 0);
    CHECK_EQ_INT(hve_exit_code(HVE_EMISMATCH), 1);
    CHECK_EQ_INT(hve_exit_code(HVE_ENOBYE), 1);
    CHECK_EQ_INT(hve_exit_code(HVE_ERESET), 1);
    CHECK_EQ_INT(hve_exit_code(HVE_EBADTARGET), 2);
    CHECK_EQ_INT(hve_exit_code(HVE_EBADSERVICE), 2);
    CHECK_EQ_INT(hve_exit_code(HVE_EREFUSED), 3);
    CHECK_EQ_INT(hve_exit_code(HVE_ETIMEDOUT), 3);
    CHECK_EQ_INT(hve_exit_code(HVE_EUNREACH), 3);
    CHECK_EQ_INT(hve_exit_code(HVE_EADDRINUSE), 3);
    CHECK_EQ_INT(hve_exit_code(HVE_EACCES), 3);
    CHECK_EQ_INT(hve_exit_code(HVE_ENOTRANSPORT), 4);
    CHECK_EQ_INT(hve_exit_code(HVE_ENOLOOPBACK), 4);
    CHECK_CONTAINS(hve_hint(HVE_ENOLOOPBACK), "vsock_loopback");
    CHECK_CONTAINS(hve_hint(HVE_EACCES), "GuestCommunicationServices");
    CHECK_CONTAINS(hve_hint(HVE_ETIMEDOUT), "VM id");
}

void test_error_errno(void)
{
    CHECK_EQ_INT(hve_err_from_errno(0), HVE_OK);
    CHECK_EQ_INT(hve_err_from_errno(EAFNOSUPPORT), HVE_ENOTRANSPORT);
    CHECK_EQ_INT(hve_err_from_errno(ENODEV), HVE_ENODEV);
    CHECK_EQ_INT(hve_err_from_errno(EACCES), HVE_EACCES);
    CHECK_EQ_INT(hve_err_from_errno(EADDRINUSE), HVE_EADDRINUSE);
    CHECK_EQ_INT(hve_err_from_errno(ECONNREFUSED), HVE_EREFUSED);
    CHECK_EQ_INT(hve_err_from_errno(ETIMEDOUT), HVE_ETIMEDOUT);
    CHECK_EQ_INT(hve_err_from_errno(ECONNRESET), HVE_ERESET);
    CHECK_EQ_INT(hve_err_from_errno(EPIPE), HVE_ERESET);
    CHECK_EQ_INT(hve_err_from_errno(ENETUNREACH), HVE_EUNREACH);
    CHECK_EQ_INT(hve_err_from_errno(EHOSTUNREACH), HVE_EUNREACH);
    CHECK_EQ_INT(hve_err_from_errno(ENOENT), HVE_ENOTFOUND);
    CHECK_EQ_INT(hve_err_from_errno(EINVAL), HVE_ESYS);
    /* Out of descriptors: the server pauses accepting on this code. */
    CHECK_EQ_INT(hve_err_from_errno(EMFILE), HVE_ENOFDS);
    CHECK_EQ_INT(hve_err_from_errno(ENFILE), HVE_ENOFDS);
    CHECK_EQ_INT(hve_err_from_errno(ENOBUFS), HVE_ENOMEM);
}

void test_error_wsa(void)
{
    CHECK_EQ_INT(hve_err_from_wsa(0), HVE_OK);
    CHECK_EQ_INT(hve_err_from_wsa(10013), HVE_EACCES);
    CHECK_EQ_INT(hve_err_from_wsa(10024), HVE_ENOFDS); /* WSAEMFILE */
    CHECK_EQ_INT(hve_err_from_wsa(10055), HVE_ENOMEM); /* WSAENOBUFS */
    CHECK_EQ_INT(hve_err_from_wsa(10047), HVE_ENOTRANSPORT);
    CHECK_EQ_INT(hve_err_from_wsa(10048), HVE_EADDRINUSE);
    CHECK_EQ_INT(hve_err_from_wsa(10049), HVE_EADDRNOTAVAIL);
    CHECK_EQ_INT(hve_err_from_wsa(10051), HVE_EUNREACH);
    CHECK_EQ_INT(hve_err_from_wsa(10054), HVE_ERESET);
    CHECK_EQ_INT(hve_err_from_wsa(10060), HVE_ETIMEDOUT);
    CHECK_EQ_INT(hve_err_from_wsa(10061), HVE_EREFUSED);
    CHECK_EQ_INT(hve_err_from_wsa(10065), HVE_EUNREACH);
    CHECK_EQ_INT(hve_err_from_wsa(11001), HVE_ENOTFOUND);
    CHECK_EQ_INT(hve_err_from_wsa(12345), HVE_ESYS);
}
