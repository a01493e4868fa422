/* test_guid.c - GUID parse/format round trips and rejects, well-known
 * names, port <-> service GUID. */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

void test_guid_roundtrip(void)
{
    static const char *const good[] = {
        "3049197C-FACB-11E6-BD58-64006A7986D3",
        "00000000-0000-0000-0000-000000000000",
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "E0E16197-DD56-4A10-9195-5EE7A155A838",
        "0123ABCD-4567-89EF-0011-223344556677",
    };
    char buf[HVE_GUID_STRLEN];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        hve_guid g;
        CHECK(hve_guid_parse(good[i], &g));
        CHECK_EQ_STR(hve_guid_format(&g, buf), good[i]);
    }
    hve_guid a, b, c;
    CHECK(hve_guid_parse("3049197c-facb-11e6-bd58-64006a7986d3", &a));
    CHECK(hve_guid_parse("{3049197C-FACB-11E6-BD58-64006A7986D3}", &b));
    CHECK(hve_guid_parse("{3049197c-FACB-11e6-bd58-64006A7986d3}", &c));
    CHECK(hve_guid_equal(&a, &b));
    CHECK(hve_guid_equal(&a, &c));
    CHECK_EQ_INT(a.data1, 0x3049197C);
    CHECK_EQ_INT(a.data2, 0xFACB);
    CHECK_EQ_INT(a.data3, 0x11E6);
    CHECK_EQ_INT(a.data4[0], 0xBD);
    CHECK_EQ_INT(a.data4[7], 0xD3);
}

void test_guid_rejects(void)
{
    static const char *const bad[] = {
        "",
        "3049197C-FACB-11E6-BD58-64006A7986D",    /* short */
        "3049197C-FACB-11E6-BD58-64006A7986D33",  /* long */
        "3049197C-FACB-11E6-BD58-64006A7986DG",   /* bad hex */
        "3049197CFACB-11E6-BD58-64006A7986D3X",   /* dash missing */
        "3049197C-FACB11E6-BD58-64006A7986D3-",   /* dash moved */
        "3049197C-FACB-11E6-BD58-64006A7986D3 ",  /* trailing blank */
        "3049197C-FACB-11E6-BD58-64006A7986D3}",  /* lone brace */
        "{3049197C-FACB-11E6-BD58-64006A7986D3",  /* open brace */
        "{3049197C-FACB-11E6-BD58-64006A7986D3}x",
        " 3049197C-FACB-11E6-BD58-64006A7986D3",
        "3049197C_FACB_11E6_BD58_64006A7986D3",
        "+049197C-FACB-11E6-BD58-64006A7986D3",
        "0x49197C-FACB-11E6-BD58-64006A7986D3",
        "loopback",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hve_guid g;
        if (hve_guid_parse(bad[i], &g)) {
            fprintf(stderr, "accepted a bad GUID: \"%s\"\n", bad[i]);
            check_failures++;
        }
    }
    hve_guid g;
    CHECK(!hve_guid_parse(NULL, &g));
}

void test_guid_names(void)
{
    char buf[HVE_GUID_STRLEN];
    hve_guid g;
    CHECK(hve_guid_by_name("LoopBack", &g));
    CHECK_EQ_STR(hve_guid_format(&g, buf),
                 "E0E16197-DD56-4A10-9195-5EE7A155A838");
    CHECK(hve_guid_by_name("parent", &g));
    CHECK_EQ_STR(hve_guid_format(&g, buf),
                 "A42E7CDA-D03F-480C-9CC2-A4DE20ABB878");
    CHECK(hve_guid_by_name("children", &g));
    CHECK_EQ_STR(hve_guid_format(&g, buf),
                 "90DB8B89-0D35-4F79-8CE9-49EA0AC8B7CD");
    CHECK(hve_guid_by_name("silohost", &g));
    CHECK_EQ_STR(hve_guid_format(&g, buf),
                 "36BD0C5C-7276-4223-88BA-7D03B654C568");
    CHECK(hve_guid_by_name("broadcast", &g));
    CHECK_EQ_STR(hve_guid_format(&g, buf),
                 "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF");
    CHECK(hve_guid_by_name("wildcard", &g));
    CHECK_EQ_STR(hve_guid_name(&g), "wildcard");
    CHECK(!hve_guid_by_name("loopbackx", &g));
    CHECK(!hve_guid_by_name("", &g));
    CHECK(hve_guid_parse("A42E7CDA-D03F-480C-9CC2-A4DE20ABB878", &g));
    CHECK_EQ_STR(hve_guid_name(&g), "parent");
}

void test_guid_port(void)
{
    char buf[HVE_GUID_STRLEN];
    hve_guid g;
    hve_guid_from_port(0x3049197C, &g);
    CHECK_EQ_STR(hve_guid_format(&g, buf),
                 "3049197C-FACB-11E6-BD58-64006A7986D3");
    hve_guid_from_port(5000, &g);
    CHECK_EQ_STR(hve_guid_format(&g, buf),
                 "00001388-FACB-11E6-BD58-64006A7986D3");
    static const uint32_t ports[] = {0, 1, 1024, 5000, 0x3049197C,
                                     0xFFFFFFFE};
    for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++) {
        uint32_t p = 12345;
        hve_guid_from_port(ports[i], &g);
        CHECK(hve_guid_to_port(&g, &p));
        CHECK_EQ_INT(p, ports[i]);
    }
    uint32_t p;
    CHECK(hve_guid_parse("3049197C-9A4E-4FBF-9367-97F792F16994", &g));
    CHECK(!hve_guid_to_port(&g, &p));
    CHECK(hve_guid_parse("3049197C-FACB-11E6-BD58-64006A7986D4", &g));
    CHECK(!hve_guid_to_port(&g, &p));
    CHECK(!hve_guid_to_port(&HVE_GUID_LOOPBACK, &p));
}
