/* cases_words.c - the window shows the core's words (ui_text.h), the
 * words the Win32 dialog shows too (tests/windows checks that side): the
 * kind lists and their hints, the run options' labels, tips and hints,
 * the message size line, and a hybrid vsock target whose VMM socket is
 * missing (the check line's words for an empty path, the outcome line
 * and the notice after a Send).
 *
 * Threads: the GTK main thread only (see driver.h). */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include <glib/gstdio.h>

#include "cases.h"
#include "driver.h"
#include "hvecho/hvecho.h"

/* The text a label or button shows, its mnemonic mark left out. */
static char *shown(GtkWidget *w)
{
    const char *t = GTK_IS_LABEL(w) ? gtk_label_get_text(GTK_LABEL(w))
                                    : gtk_button_get_label(GTK_BUTTON(w));
    GString *s = g_string_new(NULL);

    for (; t && *t; t++)
        if (*t != '_')
            g_string_append_c(s, *t);
    return g_string_free(s, FALSE);
}

/* The label whose mnemonic focuses w ("Repeat" for the repeat count). */
static GtkWidget *label_for(GtkWidget *w)
{
    GList *l = gtk_widget_list_mnemonic_labels(w);
    GtkWidget *r = l ? l->data : NULL;

    g_list_free(l);
    return r;
}

static void check_words(GtkWidget *w, hve_ui_phrase p, const char *what)
{
    char *t = w ? shown(w) : g_strdup("(no control)");

    CHECK(strcmp(t, hve_ui_text(p)) == 0, "%s says '%s', the core '%s'",
          what, t, hve_ui_text(p));
    g_free(t);
}

static void check_tip(GtkWidget *w, hve_ui_phrase p, const char *what)
{
    char *t = w ? gtk_widget_get_tooltip_text(w) : NULL;

    CHECK(g_strcmp0(t, hve_ui_text(p)) == 0, "%s's tip is '%s'", what,
          t ? t : "(none)");
    g_free(t);
}

static void check_hint(GtkWidget *win, const char *entry, const char *want)
{
    GtkWidget *e = find_typed(win, entry, GTK_TYPE_ENTRY);
    const char *t = e ? gtk_entry_get_placeholder_text(GTK_ENTRY(e)) : NULL;

    CHECK(g_strcmp0(t, want) == 0, "%s's hint is '%s', the core's '%s'",
          entry, t ? t : "(none)", want);
}

/* A kind list holds the core's items, in its order, with its ids. */
static void check_kinds(GtkWidget *win, const char *name, gboolean listen)
{
    size_t n;
    const hve_ui_kind_text *k =
        hve_ui_kinds(hve_platform_native(), listen, &n);
    GtkWidget *c = find_typed(win, name, GTK_TYPE_COMBO_BOX);
    GtkTreeModel *m = c ? gtk_combo_box_get_model(GTK_COMBO_BOX(c)) : NULL;
    int rows = m ? gtk_tree_model_iter_n_children(m, NULL) : -1;

    REQUIRE(rows == (int)n, "%s has %d items, the core %zu", name, rows, n);
    for (size_t i = 0; i < n; i++) {
        GtkTreeIter it;
        char *text = NULL, *id = NULL;
        gtk_tree_model_iter_nth_child(m, &it, NULL, (int)i);
        gtk_tree_model_get(
            m, &it,
            gtk_combo_box_get_entry_text_column(GTK_COMBO_BOX(c)), &text,
            gtk_combo_box_get_id_column(GTK_COMBO_BOX(c)), &id, -1);
        CHECK(g_strcmp0(text, k[i].name) == 0 && g_strcmp0(id, k[i].id) == 0,
              "%s item %zu is %s '%s', the core's %s '%s'", name, i, id,
              text, k[i].id, k[i].name);
        g_free(text);
        g_free(id);
    }
}

void case_words(GtkWidget *win)
{
    size_t n;
    const hve_ui_kind_text *k;
    char why[256], want[512], *dir, *sock;
    hve_addr a;

    check_kinds(win, "Listen on", TRUE);
    check_kinds(win, "Target kind", FALSE);

    /* the run options */
    switch_mode(win, "Client");
    check_words(label_for(find(win, "Timeout in seconds")), HVE_UI_TIMEOUT,
                "the timeout's label");
    check_words(label_for(find(win, "Repeat count")), HVE_UI_REPEAT,
                "the repeat count's label");
    check_words(find(win, "Repeat until stopped"), HVE_UI_UNTIL_STOPPED,
                "Until stopped");
    check_words(label_for(find(win, "Interval between handshakes")),
                HVE_UI_INTERVAL, "the interval's label");
    check_words(find(win, "Keep going on errors"), HVE_UI_KEEP_GOING,
                "Keep going");
    check_words(label_for(find(win, "Fill message to size")), HVE_UI_FILL_TO,
                "Fill to's label");
    check_words(find(win, "Decode escapes"), HVE_UI_DECODE, "Decode");
    check_tip(find(win, "Repeat until stopped"), HVE_UI_UNTIL_STOPPED_TIP,
              "Until stopped");
    check_tip(find(win, "Interval between handshakes"), HVE_UI_INTERVAL_TIP,
              "Interval");
    check_tip(find(win, "Keep going on errors"), HVE_UI_KEEP_GOING_TIP,
              "Keep going");
    check_tip(find(win, "Fill message to size"), HVE_UI_FILL_TIP, "Fill to");
    check_tip(find(win, "Decode escapes"), HVE_UI_DECODE_TIP, "Decode");
    check_tip(find(win, "Send"), HVE_UI_SEND_TIP, "Send");
    check_words(label_for(find(win, "Bye message")), HVE_UI_BYE,
                "the bye's label");
    check_words(find(win, "Clear log"), HVE_UI_CLEAR, "Clear");
    check_words(find(win, "Copy log"), HVE_UI_COPY, "Copy");
    check_words(find(win, "Save log"), HVE_UI_SAVE, "Save");
    check_hint(win, "Interval between handshakes",
               hve_ui_text(HVE_UI_INTERVAL_HINT));
    check_hint(win, "Fill message to size", hve_ui_text(HVE_UI_FILL_HINT));

    /* what Send will send */
    type_into(win, "Message to send", "abc");
    type_into(win, "Fill message to size", "64K");
    CHECK(strcmp(label_text(win, "Message size"),
                 hve_ui_message_size(3, 65536, want, sizeof want)) == 0,
          "message size: %s", label_text(win, "Message size"));
    type_into(win, "Fill message to size", "");
    CHECK(strcmp(label_text(win, "Message size"),
                 hve_ui_message_size(3, 0, want, sizeof want)) == 0,
          "message size: %s", label_text(win, "Message size"));

    /* hybrid vsock: the item, its hint, the check line's words for an
       empty path (the parser's, as in the Win32 dialog) */
    k = hve_ui_kinds(hve_platform_native(), FALSE, &n);
    REQUIRE(choose(win, "Target kind", "hybrid"), "no hybrid target");
    check_hint(win, "Target address", k[n - 1].hint);
    type_into(win, "Target address", "");
    hve_target_parse("hybrid:", hve_platform_native(), &a, why, sizeof why);
    printf("hybrid, no path: %s\n", label_text(win, "Target check"));
    CHECK(has_error_mark(win, "Target address") &&
              strcmp(label_text(win, "Target check"), why) == 0,
          "an empty hybrid path says '%s', the core '%s'",
          label_text(win, "Target check"), why);

    /* a path where no VMM's socket is: the outcome line and the notice */
    dir = g_dir_make_tmp("hvecho-words-XXXXXX", NULL);
    REQUIRE(dir != NULL, "no temp dir");
    sock = g_build_filename(dir, "vm.vsock", NULL);
    g_snprintf(want, sizeof want, "%s:5000", sock);
    type_into(win, "Target address", want);
    CHECK(!has_error_mark(win, "Target address") &&
              g_str_has_prefix(label_text(win, "Target check"),
                               hve_ui_text(HVE_UI_CONNECTS_TO)),
          "hybrid: %s", label_text(win, "Target check"));
    type_into(win, "Message to send", "to no VMM");
    REQUIRE(click(win, "Send") && wait_for(client_finished, win, 10000),
            "the client did not finish");
    hve_ui_outcome(HVE_ENOVMM, 0, 0, want, sizeof want);
    printf("hybrid, no socket: '%s'; notice '%s' / '%s'\n",
           label_text(win, "Client status"), label_text(win, "Notice"),
           label_text(win, "Notice hint"));
    CHECK(strcmp(label_text(win, "Client status"), want) == 0,
          "outcome '%s', the core's '%s'", label_text(win, "Client status"),
          want);
    g_snprintf(want, sizeof want, "no socket file at %s", sock);
    CHECK(strstr(label_text(win, "Notice"), want) &&
              strstr(label_text(win, "Notice"), hve_strerror(HVE_ENOVMM)),
          "notice: %s", label_text(win, "Notice"));
    CHECK(strcmp(label_text(win, "Notice hint"),
                 hve_hint_in(HVE_ENOVMM, HVE_WORDS_WINDOW)) == 0,
          "notice hint: %s", label_text(win, "Notice hint"));
    g_rmdir(dir);
    g_free(sock);
    g_free(dir);

    /* the listen list's hybrid: its hint */
    k = hve_ui_kinds(hve_platform_native(), TRUE, &n);
    switch_mode(win, "Server");
    REQUIRE(choose(win, "Listen on", "hybrid"), "no hybrid listen kind");
    check_hint(win, "Listen address", k[n - 1].hint);
    choose(win, "Listen on", "tcp");
}
