/* export.h - a log row as text, CSV or a JSON line: for a window's Copy
 * (Ctrl+C on the selected rows) and Save / Export of its log, in the same
 * form from both windows.
 *
 * Threads: pure functions; any thread, on rows it owns.
 *
 * Usage (a window; rows are what its log shows, each with its event):
 *     hve_export_row r = {time_text, "#3", verb, full_text, took_us, ev};
 *     char *line = hve_export_row_text(&r, HVE_EXPORT_CSV);
 *     ... append line to the clipboard text or the file; free(line);
 * A CSV file starts with hve_export_header(HVE_EXPORT_CSV).
 *
 * The formats, one row each:
 *   TEXT   the row as the log shows it, for people:
 *            "15:27:57.123  #1     accepted    127.0.0.1:48430\n"
 *          (time, then the # column padded to 6, the verb to 11, the
 *          text; the text's own line breaks are kept as "\n" escapes).
 *   CSV    RFC 4180: fields with a comma, a double quote, CR or LF are
 *          quoted, quotes doubled; every record ends with CRLF. Columns
 *          (hve_export_header): time, side, conn, event, verb, text,
 *          bytes, took_ms, error, data. side is "client" or "server",
 *          event the event's kind name as in `hvecho --json`
 *          ("connected"), error its error name
 *          ("refused"), data its bytes escaped as in the log (\xHH).
 *          Fields the row has no value for are empty.
 *   JSONL  (JSON lines) one object per line: the line `hvecho --json`
 *          prints for the row's event (hve_event_json); a row without an
 *          event gives {"event":"note","detail":TEXT}. */
#ifndef HVECHO_EXPORT_H
#define HVECHO_EXPORT_H

#include <stdint.h>

#include "hvecho/event.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hve_export_format {
    HVE_EXPORT_TEXT,
    HVE_EXPORT_CSV,
    HVE_EXPORT_JSONL
} hve_export_format;

/* One log row. Strings may be NULL (= ""). */
typedef struct hve_export_row {
    const char *time;    /* the Time column as shown */
    const char *who;     /* the # column ("#3"; "" for the session) */
    const char *verb;    /* the Event column */
    const char *text;    /* the row's full text (not cut to the column) */
    int64_t took_us;     /* the Took column; -1 = none */
    const hve_event *ev; /* the event behind the row, or NULL (a row the
                            window made itself) */
} hve_export_row;

/* The line a file of that format starts with (CSV: the column names,
 * CRLF-terminated), or "" (TEXT, JSON lines). A constant string. */
const char *hve_export_header(hve_export_format f);

/* One row in that format, ending with its line break; the caller frees
 * it with free(). NULL when out of memory or for an unknown format. */
char *hve_export_row_text(const hve_export_row *r, hve_export_format f);

/* A CSV field: s quoted if RFC 4180 needs it (a comma, a double quote,
 * CR or LF in it), with quotes doubled. Like snprintf: returns the length
 * of the whole field and writes what fits, always NUL-terminated when
 * outlen > 0. */
size_t hve_csv_field(const char *s, char *out, size_t outlen);

#ifdef __cplusplus
}
#endif
#endif
