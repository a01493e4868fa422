/* cases.h - the GUI test cases that live outside gui_test.c, each driving
 * the window it is given (see driver.h). gui_test.c's table names them.
 *
 * Threads: the GTK main thread only. */
#ifndef HVG_TEST_CASES_H
#define HVG_TEST_CASES_H

#include <gtk/gtk.h>

/* cases_window.c */
void case_quit(GtkWidget *win);
void case_banner(GtkWidget *win);
void case_columns(GtkWidget *win);
void case_fields(GtkWidget *win);
void case_repeat_3000(GtkWidget *win);

/* cases_tools.c */
void case_repeat_stats(GtkWidget *win);
void case_history(GtkWidget *win);
void case_detail(GtkWidget *win);
void case_export(GtkWidget *win);
void case_clients(GtkWidget *win);

/* cases_words.c */
void case_words(GtkWidget *win);

#endif
