/* hvecho.h - everything a front end may include. */
#ifndef HVECHO_HVECHO_H
#define HVECHO_HVECHO_H

#include "hvecho/addr.h"
#include "hvecho/allow.h"
#include "hvecho/bench.h"
#include "hvecho/defaults.h"
#include "hvecho/error.h"
#include "hvecho/export.h"
#include "hvecho/event.h"
#include "hvecho/guid.h"
#include "hvecho/hexdump.h"
#include "hvecho/history.h"
#include "hvecho/monitor.h"
#include "hvecho/probe.h"
#include "hvecho/session.h"
#include "hvecho/stats.h"
#include "hvecho/text.h"
#include "hvecho/ui_text.h"

/* The version: project(VERSION), plus "+gitN.gHASH" in a build from a
 * git checkout that is not exactly at the release tag. */

#ifdef __cplusplus
extern "C" {
#endif
const char *hve_version(void);
#ifdef __cplusplus
}
#endif

#endif
