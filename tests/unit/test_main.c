/* test_main.c - runs the unit tests of one group (argv[1]) or all. */
#include "check.h"
#include "tests.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int check_failures;

struct test {
    const char *group;
    const char *name;
    void (*fn)(void);
};

#define HVE_ENTRY(group, fn) {#group, #fn, fn},
static const struct test tests[] = {HVE_TEST_LIST(HVE_ENTRY)};
#undef HVE_ENTRY

int main(int argc, char **argv)
{
    const char *group = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (group && strcmp(group, tests[i].group) != 0)
            continue;
        int before = check_failures;
        tests[i].fn();
        bool ok = check_failures == before;
        printf("%s %s/%s\n", ok ? "ok  " : "FAIL", tests[i].group,
               tests[i].name);
        fflush(stdout);
        ok ? passed++ : failed++;
    }
    if (passed + failed == 0) {
        fprintf(stderr, "no test in group '%s'\n", group ? group : "");
        return 2;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
