/* version.c - the library version. Any thread. */
#include "hvecho/hvecho.h"

const char *hve_version(void)
{
    return HVECHO_VERSION_STRING;
}
