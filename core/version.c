/* version.c - the version of hvecho: project(VERSION) plus git describe,
 * from the generated hvecho-version.h (cmake/version.cmake). Any thread. */
#include "hvecho/hvecho.h"

#include "hvecho-version.h"

const char *hve_version(void)
{
    return HVECHO_VERSION_STRING;
}
