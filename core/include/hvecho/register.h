/* register.h - registering a Hyper-V socket service on a Windows host.
 *
 * A Windows host accepts connections from VMs only on services listed
 * under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization\
 * GuestCommunicationServices\<GUID> with an ElementName value. These
 * calls write, remove and read that key (administrator rights needed to
 * write). On Linux they are not available: register and unregister fail
 * with HVE_EUSAGE and say so; hve_service_register_command (addr.h) still
 * gives the PowerShell to run on the host.
 *
 * Each call reads or writes the registry and returns; safe from any
 * thread. */
#ifndef HVECHO_REGISTER_H
#define HVECHO_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#include "hvecho/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The registry path above, without the GUID, for messages. */
#define HVE_GCS_KEY                                                        \
    "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Virtualization" \
    "\\GuestCommunicationServices"

/* True where register / unregister can work (Windows). */
bool hve_register_supported(void);

/* Creates the key for svc with ElementName = name (NULL or "" gives
 * "hvecho"). 0, or HVE_EACCES when not elevated, HVE_EUSAGE on Linux,
 * HVE_ESYS; why (one line) says what happened. */
int hve_service_register(const hve_service *svc, const char *name,
                         char *why, size_t whylen);

/* Removes the key for svc. 0 (also when it was not there: *was_there
 * says), or an error as for register. was_there may be NULL. */
int hve_service_unregister(const hve_service *svc, bool *was_there,
                           char *why, size_t whylen);

/* True when svc is registered; name (may be NULL) gets its ElementName
 * in UTF-8, "" when it has none. Always false on Linux. */
bool hve_service_registered(const hve_service *svc, char *name,
                            size_t namelen);

#ifdef __cplusplus
}
#endif
#endif
