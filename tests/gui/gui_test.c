/* gui_test.c - drives the real hvecho window (the same HvgWindow code as
 * hvecho-gtk, linked from hvecho_gtkwin) as a person would: it finds each
 * control by its accessible name, clicks buttons, types into fields, picks
 * combo entries, presses keys (real X key events through XTEST for Enter
 * and Shift+Enter), and reads back what the window shows: the log rows,
 * the status lines, the info bar, the field marks.
 *
 * Usage: hvecho-gtk-test CASE [--cli PATH] [--shot FILE.png]
 * Runs under an X server (tests/gui/run-xvfb.sh starts Xvfb). One case per
 * process; exit status 0 = pass, 1 = fail, 77 = skipped.
 *
 * Threads: the GTK main thread only. The test's steps run inside an idle
 * callback and wait by iterating the main loop, so the window's sessions,
 * idle drains and redraws run exactly as they do in hvecho-gtk. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "app.h"
#include "cases.h"
#include "driver.h"
#include "hvecho/hvecho.h"
#include "logview.h"
#include "window.h"

/* ---- the cases ---------------------------------------------------------- */

static int rows_before;

static gboolean rows_grew(gpointer data)
{
    return log_rows(data) > rows_before;
}

/* Start Server in the window, switch to Client, target that server, type,
 * Send; the log shows sent, echoed, bye, on both sides. Then Enter sends
 * again and Shift+Enter makes a new line. */
static void case_handshake(GtkWidget *win)
{
    const char *msg = "Hello from the hvecho window";
    Row r = {0};
    int port, i;

    /* Tall enough that the screenshot shows every row of the log. */
    gtk_window_resize(GTK_WINDOW(win), 1180, 820);
    port = start_server(win, "bye from hvecho-gtk");
    REQUIRE(port > 0, "the server did not start");
    CHECK(strstr(label_text(win, "Server status"), "0 clients connected"),
          "status: %s", label_text(win, "Server status"));
    REQUIRE(send_to(win, port, msg), "the client did not finish");
    if (!g_str_has_prefix(label_text(win, "Client status"), "Done"))
        dump_log(win);
    REQUIRE(g_str_has_prefix(label_text(win, "Client status"), "Done"),
            "client status: %s", label_text(win, "Client status"));

    i = log_find(win, 0, "client", "sent", &r);
    CHECK(i >= 0 && strstr(r.text, msg), "sent row: %s", r.text);
    CHECK(g_strcmp0(r.bytes, "28") == 0, "sent bytes: %s", r.bytes);
    row_clear(&r);
    i = log_find(win, 0, "client", "echo", &r);
    CHECK(i >= 0 && g_str_has_suffix(r.text, "verified"), "echo row: %s",
          r.text);
    CHECK(g_strcmp0(r.bytes, "28") == 0, "echo bytes: %s", r.bytes);
    CHECK(g_str_has_suffix(r.took, " ms"), "round trip: '%s'", r.took);
    row_clear(&r);
    i = log_find(win, 0, "client", "bye", &r);
    CHECK(i >= 0 && strstr(r.text, "\"bye from hvecho-gtk\""),
          "client bye row: %s", r.text);
    CHECK(r.weight == PANGO_WEIGHT_BOLD && r.fg,
          "the bye row does not stand out");
    row_clear(&r);
    CHECK(log_find(win, 0, "client", "done", NULL) >= 0, "no done row");
    CHECK(log_find(win, 0, "client", "error", NULL) < 0, "an error row");

    /* The server side of the same handshake. */
    CHECK(wait_row(win, 0, "server #1", "closed", 5000), "no server close");
    i = log_find(win, 0, "server", "received", &r);
    CHECK(i >= 0 && strstr(r.text, msg), "server received row: %s", r.text);
    row_clear(&r);
    CHECK(log_find(win, 0, "server #1", "accepted", NULL) >= 0, "accepted");
    CHECK(log_find(win, 0, "server #1", "echoed", NULL) >= 0, "echoed");
    CHECK(log_find(win, 0, "server #1", "shut down", NULL) >= 0, "shut down");
    i = log_find(win, 0, "server #1", "bye", &r);
    CHECK(i >= 0 && g_strcmp0(r.bytes, "19") == 0,
          "server bye row: %s bytes", r.bytes);
    row_clear(&r);
    CHECK(log_find(win, 0, "server #1", "closed", NULL) >= 0, "closed");
    CHECK(wait_label(win, "Server status", "Listening on", 100) &&
              strstr(label_text(win, "Server status"), "1 served"),
          "status: %s", label_text(win, "Server status"));

    if (opt_shot)
        save_screenshot(win, opt_shot);

    /* Enter in the message sends (a real key press through the X server);
       Shift+Enter puts a new line and does not send. No window manager
       runs under Xvfb, so the window takes the X focus itself. */
    {
        GtkWidget *view = find(win, "Message to send");
        GtkTextBuffer *b = gtk_text_view_get_buffer(GTK_TEXT_VIEW(view));
        GtkTextIter s, e;
        char *text;
        int rows = log_rows(win);

        gdk_window_focus(gtk_widget_get_window(win), GDK_CURRENT_TIME);
        pump(100);
        type_into(win, "Message to send", "line one");
        CHECK(gtk_widget_has_focus(view), "the message does not have focus");
        CHECK(press_keys("shift+Return"), "xdotool failed");
        pump(100);
        gtk_text_buffer_get_end_iter(b, &e);
        gtk_text_buffer_insert(b, &e, "line two", -1);
        gtk_text_buffer_get_bounds(b, &s, &e);
        text = gtk_text_buffer_get_text(b, &s, &e, FALSE);
        CHECK(strcmp(text, "line one\nline two") == 0,
              "Shift+Enter: message is '%s'", text);
        g_free(text);
        CHECK(log_rows(win) == rows, "Shift+Enter sent something");

        CHECK(press_keys("Return"), "xdotool failed");
        rows_before = rows;
        CHECK(wait_for(rows_grew, win, 5000), "Enter did not send");
        CHECK(wait_for(client_finished, win, 10000) &&
                  g_str_has_prefix(label_text(win, "Client status"), "Done"),
              "after Enter: %s", label_text(win, "Client status"));
        i = log_find(win, rows, "client", "sent", &r);
        CHECK(i >= 0 && strstr(r.text, "line one\\nline two"),
              "second sent row: %s", r.text ? r.text : "(none)");
        row_clear(&r);
    }
    dump_log(win);
    switch_mode(win, "Server");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 3000), "not stopped");
}

/* The command-line hvecho as the peer, both ways. */
static void case_cli_peer(GtkWidget *win)
{
    char *argv[8], target[64], *out = NULL, *err = NULL;
    int status = -1, port;
    GError *e = NULL;
    GPid pid;
    Row r = {0};

    if (!opt_cli || !g_file_test(opt_cli, G_FILE_TEST_IS_EXECUTABLE)) {
        fprintf(stderr, "no CLI given (--cli)\n");
        failures++;
        return;
    }
    port = start_server(win, "bye to the cli");
    REQUIRE(port > 0, "the server did not start");
    g_snprintf(target, sizeof target, "tcp:127.0.0.1:%d", port);
    argv[0] = (char *)opt_cli;
    argv[1] = "-c";
    argv[2] = target;
    argv[3] = "-m";
    argv[4] = "ping from the command line";
    argv[5] = NULL;
    {
        /* Run it asynchronously: the window must keep serving meanwhile. */
        int fd_out = -1;
        gboolean done = FALSE;
        GString *buf = g_string_new(NULL);
        REQUIRE(g_spawn_async_with_pipes(NULL, argv, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                         NULL, &pid, NULL, &fd_out, NULL, &e),
                "spawn: %s", e ? e->message : "?");
        gint64 end = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
        while (!done && g_get_monotonic_time() < end) {
            int ws;
            pid_t w = waitpid(pid, &ws, WNOHANG);
            if (w == pid) {
                status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
                done = TRUE;
            }
            pump(20);
        }
        if (!done) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
        }
        {
            char b[4096];
            ssize_t n;
            while ((n = read(fd_out, b, sizeof b)) > 0)
                g_string_append_len(buf, b, n);
            close(fd_out);
        }
        g_spawn_close_pid(pid);
        out = g_string_free(buf, FALSE);
    }
    printf("hvecho -c output:\n%s", out);
    CHECK(status == 0, "hvecho -c exited %d", status);
    CHECK(strstr(out, "bye to the cli") != NULL,
          "the CLI did not print the window's bye");
    CHECK(wait_row(win, 0, "server #1", "closed", 5000), "no server close");
    CHECK(log_find(win, 0, "server #1", "accepted", NULL) >= 0, "accepted");
    CHECK(log_find(win, 0, "server #1", "received", &r) >= 0 &&
              strstr(r.text, "ping from the command line"),
          "received row: %s", r.text ? r.text : "(none)");
    row_clear(&r);
    CHECK(log_find(win, 0, "server #1", "bye", NULL) >= 0, "bye");
    CHECK(log_find(win, 0, "server #1", "closed", &r) >= 0 &&
              strstr(r.text, " 26 bytes echoed") &&
              g_strcmp0(r.fg, "#c01c28") != 0,
          "closed row: %s", r.text ? r.text : "(none)");
    row_clear(&r);
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 3000), "not stopped");
    g_free(out);
    g_free(err);

    /* The other way: the CLI's server, the window's client. */
    {
        int p2 = free_port();
        char listen[64];
        GPid spid;
        int rows;

        g_snprintf(listen, sizeof listen, "tcp:127.0.0.1:%d", p2);
        argv[0] = (char *)opt_cli;
        argv[1] = "-s";
        argv[2] = listen;
        argv[3] = "--bye";
        argv[4] = "bye from the cli server";
        argv[5] = "--once";
        argv[6] = NULL;
        REQUIRE(g_spawn_async(NULL, argv, NULL,
                              G_SPAWN_DO_NOT_REAP_CHILD |
                                  G_SPAWN_STDOUT_TO_DEV_NULL,
                              NULL, NULL, &spid, &e),
                "spawn: %s", e ? e->message : "?");
        pump(300); /* give it time to listen; Send retries are not needed:
                      the check below says if it was not ready */
        rows = log_rows(win);
        CHECK(send_to(win, p2, "hello cli server"), "client did not finish");
        CHECK(g_str_has_prefix(label_text(win, "Client status"), "Done"),
              "client status: %s", label_text(win, "Client status"));
        CHECK(log_find(win, rows, "client", "bye", &r) >= 0 &&
                  strstr(r.text, "\"bye from the cli server\""),
              "bye row: %s", r.text ? r.text : "(none)");
        row_clear(&r);
        {
            int ws = 0;
            gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
            pid_t w = 0;
            while ((w = waitpid(spid, &ws, WNOHANG)) == 0 &&
                   g_get_monotonic_time() < end)
                pump(20);
            if (w != spid) {
                kill(spid, SIGTERM);
                waitpid(spid, &ws, 0);
            }
            CHECK(w == spid && WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
                  "hvecho -s --once did not exit 0");
            g_spawn_close_pid(spid);
        }
    }
}

/* Nothing listens: the log row and the info bar give the hint. */
static void case_connect_error(GtkWidget *win)
{
    int port = free_port();
    GtkWidget *bar = find_typed(win, "Notice", GTK_TYPE_LABEL);
    const char *hint = hve_hint_in(HVE_EREFUSED, HVE_WORDS_WINDOW);
    Row r = {0};

    REQUIRE(port > 0 && bar, "setup");
    REQUIRE(send_to(win, port, "anyone there?"), "client did not finish");
    CHECK(g_str_has_prefix(label_text(win, "Client status"), "Failed"),
          "client status: %s", label_text(win, "Client status"));
    CHECK(log_find(win, 0, "client", "error", &r) >= 0, "no error row");
    CHECK(r.text && strstr(r.text, hve_strerror(HVE_EREFUSED)),
          "error row: %s", r.text ? r.text : "(none)");
    CHECK(r.text && *hint && strstr(r.text, hint), "error row lacks the "
          "hint '%s': %s", hint, r.text ? r.text : "(none)");
    CHECK(r.fg && strcmp(r.fg, "#c01c28") == 0, "error row is not red");
    row_clear(&r);
    /* a refused connect echoed nothing: its closed row says 0 bytes */
    CHECK(log_find(win, 0, "client #1", "closed", &r) >= 0 &&
              g_strcmp0(r.bytes, "0") == 0 && strstr(r.text, " 0 of "),
          "refused: closed row %s bytes: %s", r.bytes ? r.bytes : "(none)",
          r.text ? r.text : "(none)");
    row_clear(&r);
    {
        GtkWidget *info_bar = gtk_widget_get_ancestor(bar, GTK_TYPE_INFO_BAR);
        CHECK(info_bar && gtk_info_bar_get_revealed(GTK_INFO_BAR(info_bar)),
              "the info bar is not shown");
        CHECK(strstr(label_text(win, "Notice"), hve_strerror(HVE_EREFUSED)),
              "info bar: %s", label_text(win, "Notice"));
        CHECK(strcmp(label_text(win, "Notice hint"), hint) == 0,
              "info bar hint: '%s'", label_text(win, "Notice hint"));
    }
    CHECK(usable(find(win, "Send")), "Send stays disabled after an error");

    /* The server side: the port is taken (by a listener of the test's). */
    {
        struct sockaddr_in a = {0};
        socklen_t alen = sizeof a;
        int lfd = socket(AF_INET, SOCK_STREAM, 0);
        char where[64];

        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(lfd >= 0 &&
                    bind(lfd, (struct sockaddr *)&a, sizeof a) == 0 &&
                    listen(lfd, 1) == 0 &&
                    getsockname(lfd, (struct sockaddr *)&a, &alen) == 0,
                "listener");
        g_snprintf(where, sizeof where, "127.0.0.1:%d", ntohs(a.sin_port));
        REQUIRE(switch_mode(win, "Server") && choose(win, "Listen on", "tcp") &&
                    type_into(win, "Listen address", where) &&
                    click(win, "Start Server"),
                "cannot start");
        CHECK(wait_label(win, "Server status", "Stopped: ", 5000),
              "server status: %s", label_text(win, "Server status"));
        CHECK(strstr(label_text(win, "Notice"),
                     hve_strerror(HVE_EADDRINUSE)) != NULL,
              "notice: %s", label_text(win, "Notice"));
        CHECK(strcmp(label_text(win, "Notice hint"),
                     hve_hint_in(HVE_EADDRINUSE, HVE_WORDS_WINDOW)) == 0,
              "hint: %s", label_text(win, "Notice hint"));
        CHECK(log_find(win, 0, "server", "error", NULL) >= 0,
              "no server error row");
        CHECK(usable(find(win, "Start Server")), "cannot start again");
        close(lfd);
    }
}

/* Bad input is marked at the field, explained, and never sent. */
static void case_invalid_input(GtkWidget *win)
{
    int rows = log_rows(win);
    const char *s;

    REQUIRE(switch_mode(win, "Client"), "no Client mode");
    REQUIRE(choose(win, "Target kind", "tcp"), "no TCP target");
    type_into(win, "Target address", "127.0.0.1");
    CHECK(has_error_mark(win, "Target address"), "no port: not marked");
    CHECK(*label_text(win, "Target check") != '\0', "no reason shown");
    printf("tcp:127.0.0.1 -> %s\n", label_text(win, "Target check"));
    click(win, "Send");
    pump(100);
    CHECK(log_rows(win) == rows, "something was sent");
    CHECK(strcmp(label_text(win, "Client status"), "Ready") == 0,
          "client status: %s", label_text(win, "Client status"));
    CHECK(strcmp(label_text(win, "Notice"), "Target not valid") == 0,
          "notice: %s", label_text(win, "Notice"));

    type_into(win, "Target address", "127.0.0.1:5000");
    CHECK(!has_error_mark(win, "Target address"), "valid: still marked");

    /* A VM GUID: checked as typed; on a Linux guest not valid at all. */
    choose(win, "Target kind", "guid");
    type_into(win, "Target address", "1234-nope");
    CHECK(has_error_mark(win, "Target address"), "bad GUID not marked");
    type_into(win, "Target address", "6E4C7C1A-0F9A-4B2B-9F3C-1D2E3F405060");
    printf("GUID target -> %s\n", label_text(win, "Target check"));
    CHECK(has_error_mark(win, "Target address") ==
              (hve_platform_native() == HVE_PLATFORM_LINUX),
          "GUID target on this platform");
    choose(win, "Target kind", "cid");
    type_into(win, "Target address", "abc");
    CHECK(has_error_mark(win, "Target address"), "bad CID not marked");
    type_into(win, "Target address", "3");
    CHECK(!has_error_mark(win, "Target address"), "CID 3 marked");
    /* Loopback: a word when this machine cannot reach CID 1. */
    choose(win, "Target kind", "loopback");
    s = label_text(win, "Target check");
    printf("loopback -> %s\n", s);
    CHECK(!has_error_mark(win, "Target address"), "loopback marked");
    CHECK((strstr(s, "vsock_loopback") != NULL) ==
              (hve_platform_native() == HVE_PLATFORM_LINUX &&
               !hve_vm_loopback_available()),
          "loopback line: %s", s);
    /* Switching kinds keeps each kind's value. */
    choose(win, "Target kind", "tcp");
    s = gtk_entry_get_text(GTK_ENTRY(find(win, "Target address")));
    CHECK(strcmp(s, "127.0.0.1:5000") == 0, "tcp value lost: %s", s);

    /* Service: a port shows its GUID, and back; bad text is marked where
       the service is used: a vsock CID (nothing is sent to it here). */
    choose(win, "Target kind", "cid");
    type_into(win, "Client service", "5000");
    s = label_text(win, "Client service as GUID and port");
    CHECK(strstr(s, "00001388-FACB-11E6-BD58-64006A7986D3") != NULL,
          "port 5000 -> %s", s);
    CHECK(!has_error_mark(win, "Client service"), "5000 marked");
    type_into(win, "Client service", "3049197C-FACB-11E6-BD58-64006A7986D3");
    s = label_text(win, "Client service as GUID and port");
    CHECK(strstr(s, "0x3049197C") != NULL, "GUID -> %s", s);
    type_into(win, "Client service", "3049197C-9A4E-4FBF-9367-97F792F16994");
    s = label_text(win, "Client service as GUID and port");
    printf("old-style GUID -> %s\n", s);
    CHECK(*s && strstr(s, "Linux"), "no word about Linux guests: %s", s);
    type_into(win, "Client service", "not a service");
    CHECK(has_error_mark(win, "Client service"), "bad service not marked");
    /* TCP does not use it: no mark there. */
    choose(win, "Target kind", "tcp");
    CHECK(!has_error_mark(win, "Client service"),
          "a service TCP does not use is marked");
    type_into(win, "Fill message to size", "12Q");
    CHECK(has_error_mark(win, "Fill message to size"), "bad size unmarked");
    rows = log_rows(win);
    click(win, "Send");
    CHECK(log_rows(win) == rows, "something was sent");
    type_into(win, "Fill message to size", "64K");
    CHECK(!has_error_mark(win, "Fill message to size"), "64K marked");

    /* Server side: a Unix path too long for sun_path. */
    switch_mode(win, "Server");
    choose(win, "Listen on", "unix");
    {
        char path[300];
        memset(path, 'x', sizeof path - 1);
        path[0] = '/';
        path[sizeof path - 1] = '\0';
        type_into(win, "Listen address", path);
    }
    CHECK(has_error_mark(win, "Listen address"), "long path not marked");
    click(win, "Start Server");
    CHECK(strcmp(label_text(win, "Server status"), "Not running") == 0,
          "a server started: %s", label_text(win, "Server status"));
}

static gboolean server_has_client(gpointer data)
{
    return strstr(label_text(data, "Server status"), " 1 client connected") !=
           NULL;
}

static gboolean question_shown(gpointer data)
{
    (void)data;
    return find_toplevel(GTK_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean no_question(gpointer data)
{
    return !question_shown(data);
}

/* Stop Server while a client is connected (and silent): the server stops
 * at once, the client's connection is closed, the window stays usable. */
static void case_stop_with_client(GtkWidget *win)
{
    struct sockaddr_in a = {0};
    int port, fd;
    gint64 t0, dt;
    char b[16];
    ssize_t n;

    port = start_server(win, NULL);
    REQUIRE(port > 0, "the server did not start");
    fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0,
            "connect: %s", g_strerror(errno));
    REQUIRE(send(fd, "half", 4, 0) == 4, "send");
    CHECK(wait_for(server_has_client, win, 5000), "status: %s",
          label_text(win, "Server status"));
    /* Stop Server says how many clients it will close, and asks. Cancel
       keeps the server; Stop Server in the question stops it. */
    REQUIRE(click(win, "Stop Server"), "cannot click Stop Server");
    REQUIRE(wait_for(question_shown, NULL, 3000), "no question");
    {
        GtkWidget *q = find_toplevel(GTK_TYPE_MESSAGE_DIALOG);
        char *sec = NULL;
        g_object_get(q, "secondary-text", &sec, NULL);
        printf("Stop Server asks: %s\n", sec ? sec : "");
        CHECK(g_strcmp0(sec, "1 connected client will be closed.") == 0,
              "the question says: %s", sec ? sec : "(nothing)");
        g_free(sec);
        REQUIRE(click(q, "Cancel"), "no Cancel in the question");
        CHECK(wait_for(no_question, NULL, 2000), "the question stays");
        CHECK(wait_label(win, "Server status", "Listening on", 100),
              "Cancel stopped the server: %s",
              label_text(win, "Server status"));
        REQUIRE(click(win, "Stop Server"), "cannot click Stop Server");
        REQUIRE(wait_for(question_shown, NULL, 3000), "no question");
        q = find_toplevel(GTK_TYPE_MESSAGE_DIALOG);
        t0 = g_get_monotonic_time();
        REQUIRE(click(q, "Stop Server"), "no Stop Server in the question");
    }
    dt = g_get_monotonic_time() - t0;
    printf("Stop Server click returned in %.1f ms\n", dt / 1000.0);
    CHECK(wait_label(win, "Server status", "Stopped", 3000), "not stopped");
    printf("stopped %.1f ms after the click\n",
           (g_get_monotonic_time() - t0) / 1000.0);
    CHECK(usable(find(win, "Start Server")), "Start Server not available");
    CHECK(!usable(find(win, "Stop Server")), "Stop Server still available");
    CHECK(log_find(win, 0, "server #1", "closed", NULL) >= 0,
          "no closed row for the client");
    CHECK(log_find(win, 0, "server", "stopped", NULL) >= 0, "no stopped row");
    {
        /* the log says what the stop closed, in the core's words (the
           Win32 dialog's note too) */
        Row r = {0};
        char want[200];
        hve_ui_stop_note(1, want, sizeof want);
        CHECK(log_find(win, 0, "server", "stopping", &r) >= 0 &&
                  g_strcmp0(r.text, want) == 0,
              "the stopping note: %s", r.text ? r.text : "(none)");
        row_clear(&r);
    }
    {
        /* The peer sees its connection end (EOF or reset), no hang. */
        struct timeval tv = {3, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        do {
            n = recv(fd, b, sizeof b, 0);
        } while (n > 0);
        CHECK(n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK),
              "the client's connection stayed open");
    }
    close(fd);
    /* And it starts again. */
    REQUIRE(click(win, "Start Server"), "cannot start again");
    CHECK(wait_label(win, "Server status", "Listening on", 5000),
          "no restart");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 3000), "not stopped");
}

/* Cancel while the client waits for an echo that never comes (a TCP
 * listener of the test's own that never accepts or reads): the run stops
 * at once, long before its 30 s timeout. */
static void case_cancel(GtkWidget *win)
{
    struct sockaddr_in a = {0};
    socklen_t alen = sizeof a;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    char target[64];
    gint64 t0;
    Row r = {0};

    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(lfd >= 0 && bind(lfd, (struct sockaddr *)&a, sizeof a) == 0 &&
                listen(lfd, 4) == 0 &&
                getsockname(lfd, (struct sockaddr *)&a, &alen) == 0,
            "listener: %s", g_strerror(errno));
    g_snprintf(target, sizeof target, "127.0.0.1:%d", ntohs(a.sin_port));
    REQUIRE(switch_mode(win, "Client") && choose(win, "Target kind", "tcp") &&
                type_into(win, "Target address", target) &&
                type_into(win, "Message to send", "is anybody reading?"),
            "setup");
    gtk_spin_button_set_value(
        GTK_SPIN_BUTTON(find(win, "Timeout in seconds")), 30);
    REQUIRE(click(win, "Send"), "cannot click Send");
    CHECK(wait_row(win, 0, "client", "sent", 5000), "nothing sent");
    CHECK(!usable(find(win, "Send")), "Send usable while running");
    t0 = g_get_monotonic_time();
    REQUIRE(click(win, "Cancel"), "cannot click Cancel");
    CHECK(wait_label(win, "Client status", "Cancelled", 2000),
          "not cancelled");
    printf("cancelled %.1f ms after the click\n",
           (g_get_monotonic_time() - t0) / 1000.0);
    CHECK(log_find(win, 0, "client", "stopped", &r) >= 0 &&
              g_strcmp0(r.fg, "#c01c28") != 0,
          "no 'stopped' row, or a red one");
    row_clear(&r);
    CHECK(usable(find(win, "Send")), "Send not usable again");
    CHECK(!usable(find(win, "Cancel")), "Cancel still usable");
    close(lfd);
}

/* The header bar menu (registration command, About), Copy and Save. */
static void case_menu(GtkWidget *win)
{
    GtkClipboard *cb = gtk_clipboard_get(GDK_SELECTION_CLIPBOARD);
    hve_service svc;
    char expect[1024], *got, *path, *saved = NULL;
    GtkWidget *about;
    int port;

    /* Copy the PowerShell for the client's service, port 5000. */
    REQUIRE(switch_mode(win, "Client"), "no Client mode");
    type_into(win, "Client service", "5000");
    REQUIRE(menu_item(win, "Copy Service Registration Command"),
            "no menu item");
    got = gtk_clipboard_wait_for_text(cb);
    hve_service_parse("5000", hve_platform_native(), &svc, NULL, 0);
    hve_service_register_command(&svc, "hvecho", expect, sizeof expect);
    CHECK(got && strcmp(got, expect) == 0, "clipboard: %s",
          got ? got : "(empty)");
    printf("copied: %s\n", got ? got : "");
    CHECK(strstr(got ? got : "", "00001388-FACB-11E6-BD58-64006A7986D3") &&
              strstr(got ? got : "", "GuestCommunicationServices"),
          "not the registration of port 5000");
    g_free(got);
    {
        /* the notice in the core's words (the Win32 dialog's log row) */
        char want[200];
        hve_ui_register_copied("00001388-FACB-11E6-BD58-64006A7986D3", want,
                               sizeof want);
        CHECK(strcmp(label_text(win, "Notice"), want) == 0 &&
                  g_str_has_prefix(label_text(win, "Notice hint"),
                                   HVE_UI_REGISTER_PASTE),
              "notice: %s", label_text(win, "Notice"));
    }

    /* About. */
    REQUIRE(menu_item(win, "About hvecho"), "no About item");
    CHECK(wait_for(about_shown, NULL, 3000), "no About dialog");
    about = find_toplevel(GTK_TYPE_ABOUT_DIALOG);
    if (about) {
        CHECK(strcmp(gtk_about_dialog_get_program_name(
                         GTK_ABOUT_DIALOG(about)),
                     "hvecho") == 0,
              "about: %s",
              gtk_about_dialog_get_program_name(GTK_ABOUT_DIALOG(about)));
        gtk_widget_destroy(about);
    }

    /* A handshake, then Copy and Save the log. */
    port = start_server(win, NULL);
    REQUIRE(port > 0, "the server did not start");
    REQUIRE(send_to(win, port, "log me"), "client did not finish");
    CHECK(wait_row(win, 0, "server #1", "closed", 5000), "no server close");
    /* Repeat: three handshakes in a row, one Send. */
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(find(win, "Repeat count")), 3);
    REQUIRE(click(win, "Send") && wait_for(client_finished, win, 20000),
            "repeat did not finish");
    CHECK(g_str_has_prefix(label_text(win, "Client status"),
                           "Done: 3 handshakes complete"),
          "client status: %s", label_text(win, "Client status"));
    CHECK(log_find(win, 0, "client #3", "bye", NULL) >= 0, "no third bye");
    CHECK(wait_row(win, 0, "server #4", "closed", 5000), "no 4th close");
    CHECK(strstr(label_text(win, "Server status"), "4 served") != NULL,
          "status: %s", label_text(win, "Server status"));
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(find(win, "Repeat count")), 1);

    REQUIRE(click(win, "Copy log"), "no Copy");
    got = gtk_clipboard_wait_for_text(cb);
    /* nothing selected: the whole log, as it shows */
    CHECK(got && strstr(got, " bye ") && strstr(got, "log me") &&
              strstr(got, "client #3"),
          "copied log: %s", got ? got : "(empty)");
    g_free(got);

    path = g_build_filename(g_get_user_config_dir(), "saved-log.txt", NULL);
    CHECK(save_log_as(win, path), "the Save dialog did not save");
    CHECK(g_file_get_contents(path, &saved, NULL, NULL), "nothing at %s",
          path);
    CHECK(saved && strstr(saved, "log me") && strstr(saved, " bye "),
          "saved log: %s", saved ? saved : "");
    g_unlink(path);
    g_free(saved);
    g_free(path);
    switch_mode(win, "Server");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 3000), "not stopped");
}

/* Settings survive closing the window. */
static void case_settings(GtkWidget *win)
{
    char *path, *data = NULL;
    GtkWidget *w2;
    GtkTextBuffer *b;
    GtkTextIter s, e;
    char *msg;

    switch_mode(win, "Client");
    choose(win, "Target kind", "unix");
    type_into(win, "Target address", "/tmp/hvecho-test.sock");
    type_into(win, "Client service", "5000");
    type_into(win, "Message to send", "remember me\nplease");
    switch_mode(win, "Server");
    gtk_window_resize(GTK_WINDOW(win), 1000, 720);
    pump(200);
    gtk_window_close(GTK_WINDOW(win)); /* as the close button does */
    pump(100);
    path = g_build_filename(g_get_user_config_dir(), "hvecho", "settings.ini",
                            NULL);
    CHECK(g_file_get_contents(path, &data, NULL, NULL), "no %s", path);
    if (data)
        printf("%s:\n%s", path, data);
    g_free(data);
    g_free(path);

    w2 = GTK_WIDGET(hvg_window_new(app));
    gtk_window_present(GTK_WINDOW(w2));
    wait_for(is_mapped, w2, 5000);
    pump(100);
    CHECK(strcmp(gtk_stack_get_visible_child_name(GTK_STACK(
                     gtk_widget_get_ancestor(find(w2, "Start Server"),
                                             GTK_TYPE_STACK))),
                 "server") == 0,
          "mode not restored");
    CHECK(strcmp(gtk_combo_box_get_active_id(
                     GTK_COMBO_BOX(find(w2, "Target kind"))),
                 "unix") == 0,
          "target kind not restored");
    CHECK(strcmp(gtk_entry_get_text(GTK_ENTRY(find(w2, "Target address"))),
                 "/tmp/hvecho-test.sock") == 0,
          "target not restored");
    CHECK(strcmp(gtk_entry_get_text(GTK_ENTRY(find(w2, "Client service"))),
                 "5000") == 0,
          "service not restored");
    b = gtk_text_view_get_buffer(GTK_TEXT_VIEW(find(w2, "Message to send")));
    gtk_text_buffer_get_bounds(b, &s, &e);
    msg = gtk_text_buffer_get_text(b, &s, &e, FALSE);
    CHECK(strcmp(msg, "remember me\nplease") == 0, "message: %s", msg);
    g_free(msg);
    {
        int ww, hh;
        gtk_window_get_size(GTK_WINDOW(w2), &ww, &hh);
        CHECK(ww == 1000 && hh == 720, "size %dx%d", ww, hh);
    }
}

static int n_unnamed;

static void a11y_walk(GtkWidget *w, gpointer data)
{
    gboolean control = GTK_IS_BUTTON(w) || GTK_IS_ENTRY(w) ||
                       GTK_IS_TEXT_VIEW(w) || GTK_IS_COMBO_BOX(w) ||
                       GTK_IS_TREE_VIEW(w);
    const char *n;

    (void)data;
    /* A combo box's own arrow button belongs to the named combo. */
    if (GTK_IS_COMBO_BOX(gtk_widget_get_parent(w)))
        return;
    n = acc_name(w);
    if (control && gtk_widget_get_visible(w)) {
        printf("  %-18s %s\n", G_OBJECT_TYPE_NAME(w), n ? n : "(none)");
        if (!n || !*n) {
            fprintf(stderr, "FAIL: a %s without an accessible name\n",
                    G_OBJECT_TYPE_NAME(w));
            n_unnamed++;
        }
    }
    if (GTK_IS_CONTAINER(w))
        gtk_container_forall(GTK_CONTAINER(w), a11y_walk, NULL);
}

/* Every control has an accessible name. */
static void case_accessibility(GtkWidget *win)
{
    printf("controls and their accessible names:\n");
    n_unnamed = 0;
    a11y_walk(win, NULL); /* a window's internal children include its
                             titlebar */
    CHECK(n_unnamed == 0, "%d controls without a name", n_unnamed);
}

static gint64 tick_last, tick_max_gap;
/* The main thread's CPU time and run-queue wait (ns), from its schedstat,
 * at the last tick, and their growth over the longest gap. */
static int stat_fd = -1;
static gint64 st_run, st_wait, gap_run, gap_wait;
/* The main loop's own work between ticks (everything but its poll), and
 * over the longest gap; the longest single iteration's work. */
static gint64 poll_out, busy, gap_busy, iter_max;
static GPollFunc base_poll;

/* Read again from the start of the one open file (opening it each tick
 * would be most of the test's own work). */
static void read_schedstat(gint64 *run, gint64 *wait)
{
    char buf[128];
    ssize_t n = stat_fd >= 0 ? pread(stat_fd, buf, sizeof buf - 1, 0) : -1;
    long long r = 0, w = 0;

    if (n > 0) {
        buf[n] = '\0';
        if (sscanf(buf, "%lld %lld", &r, &w) != 2)
            r = w = 0;
    }
    *run = r;
    *wait = w;
}

static gint timed_poll(GPollFD *fds, guint n, gint timeout)
{
    gint64 in = g_get_monotonic_time();
    gint rc;

    if (poll_out) {
        busy += in - poll_out;
        if (in - poll_out > iter_max)
            iter_max = in - poll_out;
    }
    rc = base_poll(fds, n, timeout);
    poll_out = g_get_monotonic_time();
    return rc;
}

static gboolean tick_cb(gpointer data)
{
    gint64 now = g_get_monotonic_time(), run, wait;

    (void)data;
    read_schedstat(&run, &wait);
    if (tick_last && now - tick_last > tick_max_gap) {
        tick_max_gap = now - tick_last;
        gap_run = run - st_run;
        gap_wait = wait - st_wait;
        gap_busy = busy + (now - poll_out);
    }
    busy = 0;
    tick_last = now;
    st_run = run;
    st_wait = wait;
    return G_SOURCE_CONTINUE;
}

static void stall_reset(void)
{
    tick_last = tick_max_gap = 0;
    gap_run = gap_wait = gap_busy = iter_max = busy = 0;
    poll_out = 0;
}

static void stall_start(void)
{
    /* this (the main) thread's */
    if (stat_fd < 0)
        stat_fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    base_poll = g_main_context_get_poll_func(NULL);
    g_main_context_set_poll_func(NULL, timed_poll);
    stall_reset();
}

static void stall_print(const char *what)
{
    printf("%s: longest main-loop stall %.1f ms (main thread in it: ran "
           "%.1f ms, waited for a CPU %.1f ms, main-loop work %.1f ms); "
           "longest main-loop iteration %.1f ms\n",
           what, tick_max_gap / 1000.0, gap_run / 1e6, gap_wait / 1e6,
           gap_busy / 1000.0, iter_max / 1000.0);
}

/* client_finished on a label found once: the wait's own check costs
 * next to nothing, so the loop's time is the window's. */
static gboolean status_final(gpointer label)
{
    const char *t = gtk_label_get_text(label);

    return g_str_has_prefix(t, "Done") || g_str_has_prefix(t, "Failed") ||
           g_str_has_prefix(t, "Cancelled");
}

/* 256 MiB echoed between the window's client and the window's server
 * (with the figures line and the chart following the run) while a 5 ms
 * tick measures the longest main-loop stall. Printed against the 16 ms
 * aim; only a generous 3 s bound is asserted (timing on a shared
 * machine); the handshake and the bounded log are asserted. */
static void case_responsiveness(GtkWidget *win)
{
    int port, rows;
    guint tick;
    gint64 t0, click_us;
    Row r = {0};
    char target[64];

    port = start_server(win, NULL);
    REQUIRE(port > 0, "the server did not start");
    g_snprintf(target, sizeof target, "127.0.0.1:%d", port);
    REQUIRE(switch_mode(win, "Client") && choose(win, "Target kind", "tcp") &&
                type_into(win, "Target address", target) &&
                type_into(win, "Message to send", "0123456789abcdef") &&
                type_into(win, "Fill message to size", "256M"),
            "setup");
    gtk_spin_button_set_value(
        GTK_SPIN_BUTTON(find(win, "Timeout in seconds")), 60);
    rows = log_rows(win);

    stall_start();
    tick = g_timeout_add(5, tick_cb, NULL);
    /* The reference: the same measure with the window idle, so a figure
       taken on a busy machine can be read against the machine's own. */
    pump(50);
    stall_reset();
    pump(2000);
    stall_print("reference (idle window, 2 s)");
    t0 = g_get_monotonic_time();
    gtk_button_clicked(GTK_BUTTON(find(win, "Send")));
    click_us = g_get_monotonic_time() - t0;
    /* Measure the echo itself from here: the click's own cost (building
       256 MiB and the session's copy) is printed apart. */
    stall_reset();
    CHECK(wait_for(status_final, find(win, "Client status"), 120000),
          "did not finish");
    g_source_remove(tick);
    g_main_context_set_poll_func(NULL, base_poll);
    printf("256 MiB echo: %.2f s; Send click %.1f ms; longest main-loop "
           "stall: %.1f ms\n",
           (g_get_monotonic_time() - t0) / 1e6, click_us / 1000.0,
           tick_max_gap / 1000.0);
    stall_print("256 MiB echo");
    printf("longest main-loop stall: %d ms\n", (int)(tick_max_gap / 1000));
    if (tick_max_gap > 16000)
        printf("NOTE: over the 16 ms aim (one frame at 60 Hz)\n");
    /* a generous bound (a shared machine); the figure above is the
       measure */
    CHECK(tick_max_gap < 3000000, "the main loop stalled %.0f ms",
          tick_max_gap / 1000.0);
    CHECK(g_str_has_prefix(label_text(win, "Client status"), "Done"),
          "client status: %s", label_text(win, "Client status"));
    CHECK(log_find(win, rows, "client", "echo", &r) >= 0 &&
              g_strcmp0(r.bytes, "268435456") == 0,
          "echoed bytes: %s", r.bytes ? r.bytes : "(none)");
    row_clear(&r);
    CHECK(wait_row(win, rows, "server #1", "closed", 20000),
          "the server did not close the connection");
    CHECK(log_find(win, rows, "server #1", "received", &r) >= 0 &&
              g_strcmp0(r.bytes, "268435456") == 0,
          "server received bytes: %s", r.bytes ? r.bytes : "(none)");
    row_clear(&r);
    printf("log rows for the whole run: %d\n", log_rows(win) - rows);
    CHECK(log_rows(win) - rows < 40, "the log grew per read: %d rows",
          log_rows(win) - rows);
    switch_mode(win, "Server");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 10000), "not stopped");
}

/* ---- running a case ----------------------------------------------------- */

typedef void (*case_fn)(GtkWidget *win);
static const struct {
    const char *name;
    case_fn fn;
} cases[] = {
    {"handshake", case_handshake},
    {"cli-peer", case_cli_peer},
    {"connect-error", case_connect_error},
    {"invalid-input", case_invalid_input},
    {"stop-with-client", case_stop_with_client},
    {"cancel", case_cancel},
    {"menu", case_menu},
    {"settings", case_settings},
    {"accessibility", case_accessibility},
    {"responsiveness", case_responsiveness},
    {"quit", case_quit},
    {"banner", case_banner},
    {"columns", case_columns},
    {"fields", case_fields},
    {"repeat-3000", case_repeat_3000},
    {"repeat-stats", case_repeat_stats},
    {"history", case_history},
    {"detail", case_detail},
    {"export", case_export},
    {"clients", case_clients},
    {"words", case_words},
};

static case_fn the_case;

static gboolean run_case(gpointer data)
{
    GtkWidget *win = the_window();
    GList *l;

    (void)data;
    if (!win || !wait_for(is_mapped, win, 5000)) {
        fprintf(stderr, "FAIL: the window did not appear\n");
        failures++;
    } else {
        pump(200);
        the_case(win);
    }
    /* Close what is left as a person would, then quit. */
    while ((l = gtk_application_get_windows(app)) != NULL)
        gtk_widget_destroy(GTK_WIDGET(l->data));
    g_application_quit(G_APPLICATION(app));
    return G_SOURCE_REMOVE;
}

static void activate_after(GApplication *a, gpointer user)
{
    (void)a;
    (void)user;
    g_idle_add(run_case, NULL);
}

/* Removes the test's own config directory, depth first. */
static void remove_tree(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d) {
        const char *name;
        while ((name = g_dir_read_name(d)) != NULL) {
            char *p = g_build_filename(dir, name, NULL);
            if (g_file_test(p, G_FILE_TEST_IS_DIR) &&
                !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
                remove_tree(p);
            else
                g_unlink(p);
            g_free(p);
        }
        g_dir_close(d);
    }
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "";
    char *cfg;
    int rc;

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--cli") == 0 && i + 1 < argc)
            opt_cli = argv[++i];
        else if (strcmp(argv[i], "--shot") == 0 && i + 1 < argc)
            opt_shot = argv[++i];
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        if (strcmp(cases[i].name, name) == 0)
            the_case = cases[i].fn;
    if (!the_case) {
        fprintf(stderr, "usage: hvecho-gtk-test CASE [--cli PATH] "
                        "[--shot FILE.png]\ncases:");
        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
            fprintf(stderr, " %s", cases[i].name);
        fputc('\n', stderr);
        return 2;
    }
    if (!g_getenv("DISPLAY") && !g_getenv("WAYLAND_DISPLAY")) {
        fprintf(stderr, "no display: run under tests/gui/run-xvfb.sh\n");
        return 77;
    }
    /* Our own settings, never the user's. */
    cfg = g_dir_make_tmp("hvecho-gtk-test-XXXXXX", NULL);
    if (!cfg)
        return 1;
    g_setenv("XDG_CONFIG_HOME", cfg, TRUE);
    g_setenv("GDK_BACKEND", "x11", TRUE);

    gtk_init(&argc, &argv);
    g_object_set(gtk_settings_get_default(), "gtk-enable-animations", FALSE,
                 NULL);
    app = hvg_app_new(G_APPLICATION_NON_UNIQUE);
    g_signal_connect_after(app, "activate", G_CALLBACK(activate_after),
                           NULL);
    rc = g_application_run(G_APPLICATION(app), 1, argv);
    g_object_unref(app);
    /* The settings and whatever GTK made there (gtk-3.0/). */
    remove_tree(cfg);
    g_free(cfg);
    if (rc != 0)
        failures++;
    printf("%s: %s\n", name, failures ? "FAILED" : "passed");
    return failures ? 1 : 0;
}
