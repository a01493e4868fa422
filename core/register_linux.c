/* register_linux.c - register.h on Linux, where there is nothing to
 * register: the GuestCommunicationServices key lives on the Windows host.
 * The calls say so; hve_service_register_command (addr.h) gives the
 * PowerShell to run there. Any thread. */
#include <stdio.h>

#include "hvecho/error.h"
#include "hvecho/register.h"

static const char not_here[] =
    "registering a Hyper-V socket service is done on the Windows host "
    "(" HVE_GCS_KEY "): run 'hvecho register' there as administrator, or "
    "run the PowerShell that 'hvecho register --print' shows";

bool hve_register_supported(void)
{
    return false;
}

int hve_service_register(const hve_service *svc, const char *name,
                         char *why, size_t whylen)
{
    (void)svc;
    (void)name;
    snprintf(why, whylen, "%s", not_here);
    return HVE_EUSAGE;
}

int hve_service_unregister(const hve_service *svc, bool *was_there,
                           char *why, size_t whylen)
{
    (void)svc;
    if (was_there)
        *was_there = false;
    snprintf(why, whylen, "%s", not_here);
    return HVE_EUSAGE;
}

bool hve_service_registered(const hve_service *svc, char *name,
                            size_t namelen)
{
    (void)svc;
    if (name && namelen)
        name[0] = '\0';
    return false;
}
