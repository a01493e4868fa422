/* history.h - the targets and listen addresses last used, per kind: most
 * recent first, no duplicates, a few of each; and the text the windows'
 * settings files keep them in.
 *
 * Threads: an hve_history belongs to one thread (a window's UI thread);
 * nothing here locks.
 *
 * Usage (a window):
 *     hve_history *h = hve_history_new(0);
 *     hve_history_load(h, text_from_settings);      // at start, if any
 *     ... after a Send to a TCP target:
 *     hve_history_add(h, "target.tcp", "127.0.0.1:5000");
 *     ... to fill the target field's dropdown for the kind picked:
 *     for (size_t i = 0; i < hve_history_count(h, "target.tcp"); i++)
 *         add_item(hve_history_get(h, "target.tcp", i));
 *     ... when saving the settings:
 *     char *text = hve_history_save(h);  store(text);  free(text);
 *
 * A kind is a short name the window picks: letters, digits, '.', '-',
 * '_' (both windows use "target.KIND" and "listen.KIND" with the kind
 * field's own name: "target.tcp", "target.unix", "target.guid",
 * "target.cid", "listen.tcp", "listen.unix"). A value is any text of 1 to
 * HVE_HISTORY_VALUE_MAX bytes; it is kept as given (compared exactly).
 *
 * The saved text has one line per entry, "KIND<TAB>VALUE\n", newest first
 * within each kind; the value is escaped as hve_escape does (a tab,
 * newline or backslash in it cannot break the line). Loading skips lines
 * it does not understand, so a damaged settings file costs entries, never
 * a crash. */
#ifndef HVECHO_HISTORY_H
#define HVECHO_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HVE_HISTORY_PER_KIND 10   /* entries kept per kind by default */
#define HVE_HISTORY_KINDS 32      /* kinds at most */
#define HVE_HISTORY_KIND_MAX 31   /* bytes in a kind's name */
#define HVE_HISTORY_VALUE_MAX 1024

typedef struct hve_history hve_history;

/* per_kind: entries kept per kind, 0 = HVE_HISTORY_PER_KIND (at most
 * 100). NULL when out of memory. */
hve_history *hve_history_new(unsigned per_kind);
void hve_history_free(hve_history *h);

/* value becomes the newest entry of kind; an equal older entry goes, and
 * past per_kind the oldest. false (nothing changed) for a bad kind or
 * value, too many kinds, or no memory. */
bool hve_history_add(hve_history *h, const char *kind, const char *value);
/* Drops one entry (a user's "forget"); false when it was not there. */
bool hve_history_remove(hve_history *h, const char *kind, const char *value);

/* Entries of kind; i = 0 is the newest. NULL past the end. The pointer
 * stays valid until the next add, remove, load or free. */
size_t hve_history_count(const hve_history *h, const char *kind);
const char *hve_history_get(const hve_history *h, const char *kind,
                            size_t i);

/* The text to store (see above), "" when empty; the caller frees it with
 * free(). NULL when out of memory. */
char *hve_history_save(const hve_history *h);
/* Adds the entries of a saved text behind those already there (a load
 * into a new history restores it as saved). Returns the entries taken. */
size_t hve_history_load(hve_history *h, const char *text);

#ifdef __cplusplus
}
#endif
#endif
