/* mw-test-gui.h: what the GUI tests share: waiting, screenshots, a connected session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mw-list-page.h"
#include "mw-session.h"
#include "mw-test-db.h"

G_BEGIN_DECLS

/* Runs the main loop until done (data) is TRUE; fails the test after 90 s
 * with "mw_test_wait_until: gave up after 90 s waiting for <what>". */
void       mw_test_wait_until      (gboolean (*done) (gpointer), gpointer data, const char *what);
/* Runs the main loop for ms milliseconds. */
void       mw_test_spin            (guint ms);
/* Saves <MW_SCREENSHOT_DIR>/name.png once widget has been drawn. */
void       mw_test_save_screenshot (GtkWidget *widget, const char *name);
/* A session connected to tdb as profile "Test". */
MwSession *mw_test_connect_session (MwTestDb *tdb);
/* The key of the account called name, resolved by session; fails the test on an error. */
char      *mw_test_account_key     (MwSession *session, const char *name);

/* For mw_test_wait_until: the list page (data) has rows and is not busy. */
gboolean   mw_test_page_settled    (gpointer data);
/* For mw_test_wait_until: the list page (data) has filled the cells on screen. */
gboolean   mw_test_screen_filled   (gpointer data);
/* Waits a little, then until page has rows and its cells on screen are filled. */
void       mw_test_settle_page     (MwListPage *page, const char *what);
/* Whether a label or cell (GtkInscription) the person can see says exactly text. */
gboolean   mw_test_shows_text      (GtkWidget *widget, const char *text);
/* Runs the main loop until widget shows text (cells are filled over a few frames). */
void       mw_test_wait_shows      (GtkWidget *widget, const char *text);
/* The preferences row titled title below widget, shown or not; NULL if none. */
GtkWidget *mw_test_find_row        (GtkWidget *widget, const char *title);
/* Whether the row titled title is there and it and all its parents are visible. */
gboolean   mw_test_row_shown       (GtkWidget *window, const char *title);
/* The first widget of type below (or being) widget; NULL if none. */
GtkWidget *mw_test_find_type       (GtkWidget *widget, GType type);
/* Saves name-light.png and, with the dark style forced, name-dark.png. */
void       mw_test_save_screenshots (GtkWidget *widget, const char *name);

/* What a screen reader sees of window (it must be mapped, with a title),
 * read over AT-SPI by tests/gui/a11y-dump.py: one line per showing object,
 * "role<TAB>name<TAB>flags", indented by depth. Only in test-gui-a11y, whose
 * environment turns GTK's accessibility bridge on. */
char      *mw_test_a11y_dump       (GtkWindow *window);
/* The dump's lines for interactive objects without a name (a screen reader
 * would read only the role, or a GTK type name) or whose name still has a
 * mnemonic underscore or the same words twice ("Save Save"), one per
 * line; "" when there are none. */
char      *mw_test_a11y_unnamed    (GtkWindow *window);

G_END_DECLS
