/* test_allow.c - the --allow list (core/allow.c): what parses, what each
 * entry matches, and the one-line errors. Peers are built as hve__net_accept
 * builds them (TCP host text from inet_ntop, vsock CID, Hyper-V VmId,
 * the unix "pid N uid N"). Single-threaded. */
#include "hvecho/hvecho.h"

#include <stdio.h>
#include <string.h>

static int failures;

#define EXPECT(cond)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__,    \
                    #cond);                                                \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static hve_addr tcp(const char *host)
{
    hve_addr a;
    memset(&a, 0, sizeof a);
    a.family = HVE_FAM_TCP;
    snprintf(a.host, sizeof a.host, "%s", host);
    a.port = 40000;
    return a;
}

static hve_addr vsock(uint32_t cid)
{
    hve_addr a;
    memset(&a, 0, sizeof a);
    a.family = HVE_FAM_VSOCK;
    a.cid = cid;
    a.vport = 1234;
    return a;
}

static hve_addr unix_peer(const char *cred)
{
    hve_addr a;
    memset(&a, 0, sizeof a);
    a.family = HVE_FAM_UNIX;
    snprintf(a.path, sizeof a.path, "%s", cred);
    return a;
}

static hve_addr hyperv(const hve_guid *vmid)
{
    hve_addr a;
    memset(&a, 0, sizeof a);
    a.family = HVE_FAM_HYPERV;
    a.vmid = *vmid;
    return a;
}

/* Parses list (must succeed) and matches peer. */
static bool match(const char *list, hve_addr peer)
{
    hve_allow *al = NULL;
    char why[256];
    int err = hve_allow_parse(list, &al, why, sizeof why);
    if (err) {
        fprintf(stderr, "unexpected parse error for '%s': %s\n", list, why);
        failures++;
        return false;
    }
    bool m = hve_allow_match(al, &peer);
    hve_allow_free(al);
    return m;
}

/* list must be refused, with a one-line why containing needle. */
static void refused(const char *list, const char *needle)
{
    hve_allow *al = (hve_allow *)&al; /* must be set to NULL */
    char why[256] = "";
    int err = hve_allow_parse(list, &al, why, sizeof why);
    EXPECT(err == HVE_EBADINPUT);
    EXPECT(al == NULL);
    EXPECT(strchr(why, '\n') == NULL && why[0] != '\0');
    if (!strstr(why, needle)) {
        fprintf(stderr, "why for '%s' is '%s', wanted '%s' in it\n", list,
                why, needle);
        failures++;
    }
}

int main(void)
{
    /* IPv4 addresses and networks. */
    EXPECT(match("127.0.0.1", tcp("127.0.0.1")));
    EXPECT(!match("127.0.0.1", tcp("127.0.0.2")));
    EXPECT(match("127.0.0.0/8", tcp("127.255.0.9")));
    EXPECT(!match("127.0.0.0/8", tcp("128.0.0.1")));
    EXPECT(match("10.1.2.3/8", tcp("10.200.0.1"))); /* host bits ignored */
    EXPECT(match("192.168.1.0/23", tcp("192.168.0.77")));
    EXPECT(!match("192.168.2.0/23", tcp("192.168.1.77")));
    EXPECT(match("0.0.0.0/0", tcp("8.8.8.8")));
    EXPECT(!match("0.0.0.0/0", tcp("::1")));
    /* A v4 entry matches the v4-mapped form a dual-stack listener sees. */
    EXPECT(match("127.0.0.0/8", tcp("::ffff:127.0.0.1")));
    /* IPv6. */
    EXPECT(match("::1", tcp("::1")));
    EXPECT(match("::1/128", tcp("::1")));
    EXPECT(match("[::1]", tcp("::1")));
    EXPECT(!match("::1", tcp("::2")));
    EXPECT(match("fe80::/10", tcp("febf::1")));
    EXPECT(!match("fe80::/10", tcp("fec0::1")));
    EXPECT(match("2001:db8::/32", tcp("2001:db8:ffff::1")));
    EXPECT(match("2001:DB8:0:0:0:0:0:1", tcp("2001:db8::1")));
    EXPECT(match("::ffff:10.0.0.1", tcp("10.0.0.1")));
    EXPECT(!match("::1", tcp("127.0.0.1")));
    /* vsock CIDs, also by the names of the well-known ids. */
    EXPECT(match("3", vsock(3)));
    EXPECT(match("cid:3", vsock(3)));
    EXPECT(!match("cid:3", vsock(4)));
    EXPECT(match("parent", vsock(2)));
    EXPECT(match("loopback", vsock(1)));
    EXPECT(!match("children", vsock(2)));
    EXPECT(!match("3", tcp("0.0.0.3")));
    /* Hyper-V VM ids. */
    hve_guid vm;
    EXPECT(hve_guid_parse("12345678-1234-5678-9abc-def012345678", &vm));
    EXPECT(match("{12345678-1234-5678-9ABC-DEF012345678}", hyperv(&vm)));
    EXPECT(!match("parent", hyperv(&vm)));
    EXPECT(match("parent", hyperv(&HVE_GUID_PARENT)));
    EXPECT(!match("cid:2", hyperv(&HVE_GUID_PARENT)));
    /* Unix peers by uid. */
    EXPECT(match("uid:1000", unix_peer("pid 42 uid 1000")));
    EXPECT(!match("uid:1000", unix_peer("pid 1000 uid 0")));
    EXPECT(!match("uid:0", unix_peer("peer")));
    /* Lists: any entry matches; spaces around entries. */
    EXPECT(match(" 10.0.0.0/8 , ::1/128,cid:3 , 127.0.0.1 ",
                 tcp("127.0.0.1")));
    EXPECT(match("10.0.0.0/8,::1/128,cid:3", vsock(3)));
    EXPECT(!match("10.0.0.0/8,::1/128,cid:3", tcp("127.0.0.1")));
    /* NULL allows everyone. */
    hve_addr any = tcp("203.0.113.9");
    EXPECT(hve_allow_match(NULL, &any));

    /* Bad lists: refused with the reason. */
    refused("", "empty entry");
    refused("127.0.0.1,", "empty entry");
    refused(",127.0.0.1", "empty entry");
    refused("127.0.0.1,,::1", "empty entry");
    refused("localhost", "'localhost' is not");
    refused("127.0.0.256", "is not");
    refused("127.0.0", "is not");
    refused("1.2.3.4.5", "is not");
    refused("10.0.0.0/33", "prefix length");
    refused("::1/129", "prefix length");
    refused("10.0.0.0/", "prefix length");
    refused("10.0.0.0/-1", "prefix length");
    refused(":::1", "is not");
    refused("1::2::3", "is not");
    refused("1:2:3:4:5:6:7:8:9", "is not");
    refused("12345::1", "is not");
    refused("[127.0.0.1]", "is not");
    refused("cid:", "is not");
    refused("cid:4294967296", "is not");
    refused("uid:-1", "is not");
    refused("fe80::1%eth0", "is not");
    refused("bad\x1b[2Jentry", "\\x1B"); /* shown escaped, never raw */
    char many[HVE_ALLOW_MAX * 4 + 8] = "";
    for (int i = 0; i <= HVE_ALLOW_MAX; i++)
        strcat(many, i ? ",1" : "1");
    refused(many, "more than");

    if (failures) {
        fprintf(stderr, "test_allow: %d failures\n", failures);
        return 1;
    }
    printf("test_allow: all passed\n");
    return 0;
}
