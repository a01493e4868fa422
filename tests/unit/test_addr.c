/* test_addr.c - every target, listen address and service form under each
 * platform's rules: Linux (vsock CIDs, tcp, unix) and Windows (VM GUIDs
 * and names, tcp, unix). */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

static const hve_platform L = HVE_PLATFORM_LINUX, W = HVE_PLATFORM_WINDOWS;

static int target(const char *t, hve_platform pf, hve_addr *a, char *why)
{
    return hve_target_parse(t, pf, a, why, 256);
}

void test_target_linux(void)
{
    hve_addr a;
    char why[256];
    CHECK_EQ_INT(target(NULL, L, &a, why), 0);
    CHECK_EQ_INT(a.family, HVE_FAM_VSOCK);
    CHECK_EQ_INT(a.cid, 1);
    CHECK_EQ_INT(target("loopback", L, &a, why), 0);
    CHECK_EQ_INT(a.cid, 1);
    CHECK_EQ_INT(target("parent", L, &a, why), 0);
    CHECK_EQ_INT(a.cid, 2);
    CHECK_EQ_INT(target("3", L, &a, why), 0);
    CHECK_EQ_INT(a.cid, 3);
    CHECK_EQ_INT(target("cid:42", L, &a, why), 0);
    CHECK_EQ_INT(a.cid, 42);
    CHECK_EQ_INT(target("cid:0x10", L, &a, why), 0);
    CHECK_EQ_INT(a.cid, 16);
    CHECK_EQ_INT(target("4294967294", L, &a, why), 0);
    CHECK_EQ_INT(a.cid, 4294967294u);

    /* A VM GUID and the Hyper-V names mean nothing in a Linux guest. */
    CHECK_EQ_INT(target("6d3ea8d0-8f1b-4e0e-9c3b-1a2b3c4d5e6f", L, &a, why),
                 HVE_EBADTARGET);
    CHECK_CONTAINS(why, "Windows-host address");
    static const char *const hv[] = {"children", "silohost", "wildcard",
                                     "broadcast"};
    for (size_t i = 0; i < 4; i++) {
        CHECK_EQ_INT(target(hv[i], L, &a, why), HVE_EBADTARGET);
        CHECK_CONTAINS(why, "no AF_VSOCK");
    }
    CHECK_EQ_INT(target("4294967295", L, &a, why), HVE_EBADTARGET);
    CHECK_EQ_INT(target("4294967296", L, &a, why), HVE_EBADTARGET);
    CHECK_EQ_INT(target("cid:", L, &a, why), HVE_EBADTARGET);
    CHECK_EQ_INT(target("cid:-1", L, &a, why), HVE_EBADTARGET);
    CHECK_EQ_INT(target("-3", L, &a, why), HVE_EBADTARGET);
    CHECK_EQ_INT(target("12abc", L, &a, why), HVE_EBADTARGET);
    CHECK_EQ_INT(target("nonsense", L, &a, why), HVE_EBADTARGET);
    CHECK_CONTAINS(why, "not a target");
}

void test_target_windows(void)
{
    hve_addr a;
    char why[256];
    CHECK_EQ_INT(target("", W, &a, why), 0);
    CHECK_EQ_INT(a.family, HVE_FAM_HYPERV);
    CHECK(hve_guid_equal(&a.vmid, &HVE_GUID_LOOPBACK));
    CHECK_EQ_INT(target("parent", W, &a, why), 0);
    CHECK(hve_guid_equal(&a.vmid, &HVE_GUID_PARENT));
    CHECK_EQ_INT(target("children", W, &a, why), 0);
    CHECK(hve_guid_equal(&a.vmid, &HVE_GUID_CHILDREN));
    CHECK_EQ_INT(target("silohost", W, &a, why), 0);
    CHECK(hve_guid_equal(&a.vmid, &HVE_GUID_SILOHOST));
    CHECK_EQ_INT(target("broadcast", W, &a, why), 0);
    CHECK(hve_guid_equal(&a.vmid, &HVE_GUID_BROADCAST));
    CHECK_EQ_INT(target("wildcard", W, &a, why), 0);
    CHECK(hve_guid_equal(&a.vmid, &HVE_GUID_WILDCARD));
    CHECK_EQ_INT(target("{6D3EA8D0-8F1B-4E0E-9C3B-1A2B3C4D5E6F}", W, &a, why),
                 0);
    CHECK_EQ_INT(a.vmid.data1, 0x6D3EA8D0);
    /* A CID is an AF_VSOCK address. */
    CHECK_EQ_INT(target("3", W, &a, why), HVE_EBADTARGET);
    CHECK_CONTAINS(why, "Get-VM");
    CHECK_EQ_INT(target("cid:2", W, &a, why), HVE_EBADTARGET);
    CHECK_EQ_INT(target("6D3EA8D0-8F1B-4E0E-9C3B-1A2B3C4D5E6", W, &a, why),
                 HVE_EBADTARGET);
}

void test_target_tcp_unix(void)
{
    hve_platform pfs[] = {L, W};
    for (int i = 0; i < 2; i++) {
        hve_platform pf = pfs[i];
        hve_addr a;
        char why[256], text[300];
        CHECK_EQ_INT(target("tcp:127.0.0.1:5000", pf, &a, why), 0);
        CHECK_EQ_INT(a.family, HVE_FAM_TCP);
        CHECK_EQ_STR(a.host, "127.0.0.1");
        CHECK_EQ_INT(a.port, 5000);
        CHECK_EQ_STR(hve_addr_format(&a, NULL, text, sizeof text),
                     "tcp 127.0.0.1:5000");
        CHECK_EQ_INT(target("tcp:[::1]:65535", pf, &a, why), 0);
        CHECK_EQ_STR(a.host, "::1");
        CHECK_EQ_INT(a.port, 65535);
        CHECK_EQ_STR(hve_addr_format(&a, NULL, text, sizeof text),
                     "tcp [::1]:65535");
        CHECK_EQ_INT(target("tcp:localhost:80", pf, &a, why), 0);
        CHECK_EQ_INT(target("tcp:::1:80", pf, &a, why), HVE_EBADTARGET);
        CHECK_CONTAINS(why, "[ADDR]");
        CHECK_EQ_INT(target("tcp:host", pf, &a, why), HVE_EBADTARGET);
        CHECK_EQ_INT(target("tcp::80", pf, &a, why), HVE_EBADTARGET);
        CHECK_EQ_INT(target("tcp:h:0", pf, &a, why), HVE_EBADTARGET);
        CHECK_EQ_INT(target("tcp:h:65536", pf, &a, why), HVE_EBADTARGET);
        CHECK_EQ_INT(target("tcp:h:8x", pf, &a, why), HVE_EBADTARGET);
        CHECK_EQ_INT(target("tcp:[::1]80", pf, &a, why), HVE_EBADTARGET);
        CHECK_EQ_INT(target("unix:/tmp/x.sock", pf, &a, why), 0);
        CHECK_EQ_INT(a.family, HVE_FAM_UNIX);
        CHECK_EQ_STR(a.path, "/tmp/x.sock");
        CHECK_EQ_INT(target("unix:", pf, &a, why), HVE_EBADTARGET);
        char longp[200] = "unix:/";
        memset(longp + 6, 'a', 150);
        longp[156] = '\0';
        CHECK_EQ_INT(target(longp, pf, &a, why), HVE_EBADTARGET);
        CHECK_CONTAINS(why, "107 bytes");
    }
}

void test_listen(void)
{
    hve_addr a;
    char why[256];
    CHECK_EQ_INT(hve_listen_parse(NULL, L, &a, why, sizeof why), 0);
    CHECK_EQ_INT(a.family, HVE_FAM_VSOCK);
    CHECK_EQ_INT(a.cid, HVE_CID_ANY);
    CHECK_EQ_INT(hve_listen_parse("loopback", L, &a, why, sizeof why), 0);
    CHECK_EQ_INT(a.cid, HVE_CID_LOCAL);
    CHECK_EQ_INT(hve_listen_parse("parent", L, &a, why, sizeof why),
                 HVE_EBADTARGET);
    CHECK_EQ_INT(hve_listen_parse("", W, &a, why, sizeof why), 0);
    CHECK(hve_guid_equal(&a.vmid, &HVE_GUID_WILDCARD));
    CHECK_EQ_INT(hve_listen_parse("children", W, &a, why, sizeof why), 0);
    CHECK(hve_guid_equal(&a.vmid, &HVE_GUID_CHILDREN));
    CHECK_EQ_INT(hve_listen_parse("tcp::5000", L, &a, why, sizeof why), 0);
    CHECK_EQ_STR(a.host, "0.0.0.0");
    CHECK_EQ_INT(hve_listen_parse("tcp:127.0.0.1:0", L, &a, why, sizeof why),
                 0);
    CHECK_EQ_INT(a.port, 0);
}

void test_service(void)
{
    hve_service s;
    char why[512], text[200];
    CHECK_EQ_INT(hve_service_parse(NULL, L, &s, why, sizeof why), 0);
    CHECK(s.has_port);
    CHECK_EQ_INT(s.port, 0x3049197C);
    CHECK_EQ_INT(hve_service_parse("5000", L, &s, why, sizeof why), 0);
    CHECK_EQ_INT(s.port, 5000);
    CHECK_EQ_STR(hve_service_describe(&s, text, sizeof text),
                 "port 0x00001388 (5000) = "
                 "00001388-FACB-11E6-BD58-64006A7986D3");
    CHECK_EQ_INT(hve_service_parse("0x3049197C", W, &s, why, sizeof why), 0);
    CHECK_EQ_INT(s.guid.data1, 0x3049197C);
    CHECK_EQ_INT(hve_service_parse("00001388-facb-11e6-bd58-64006a7986d3", L,
                                   &s, why, sizeof why),
                 0);
    CHECK(s.has_port);
    CHECK_EQ_INT(s.port, 5000);
    CHECK(hve_service_linux_warning(&s) == NULL);

    /* A GUID not of the FACB form: fine between Windows partitions, never
     * reaches a Linux guest. */
    const char *legacy = "3049197C-9A4E-4FBF-9367-97F792F16994";
    CHECK_EQ_INT(hve_service_parse(legacy, W, &s, why, sizeof why), 0);
    CHECK(!s.has_port);
    CHECK(hve_service_linux_warning(&s) != NULL);
    CHECK_EQ_INT(hve_service_parse(legacy, L, &s, why, sizeof why),
                 HVE_EBADSERVICE);
    CHECK_CONTAINS(why, "FACB");
    CHECK_CONTAINS(why, "Linux guest can never be reached");

    static const char *const bad[] = {"", "x", "-1", "0xFFFFFFFF",
                                      "4294967296", "12 ", "0x", "1e3"};
    for (size_t i = 1; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(hve_service_parse(bad[i], L, &s, why, sizeof why),
                     HVE_EBADSERVICE);
}

void test_addr_format(void)
{
    hve_addr a;
    hve_service s;
    char text[300];
    hve_service_default(&s);
    hve_target_parse("loopback", L, &a, NULL, 0);
    CHECK_EQ_STR(hve_addr_format(&a, &s, text, sizeof text),
                 "vsock cid 1 (loopback) port 810097020 (0x3049197C)");
    hve_target_parse("parent", W, &a, NULL, 0);
    CHECK_EQ_STR(hve_addr_format(&a, &s, text, sizeof text),
                 "hyperv vm parent service "
                 "3049197C-FACB-11E6-BD58-64006A7986D3");
    hve_target_parse("unix:/run/x", L, &a, NULL, 0);
    CHECK_EQ_STR(hve_addr_format(&a, NULL, text, sizeof text),
                 "unix /run/x");

    char cmd[600];
    hve_service_register_command(&s, "it's mine", cmd, sizeof cmd);
    CHECK_CONTAINS(cmd, "GuestCommunicationServices");
    CHECK_CONTAINS(cmd, "-Name '3049197C-FACB-11E6-BD58-64006A7986D3'");
    CHECK_CONTAINS(cmd, "'ElementName', 'it''s mine'");
}
