/* mw-test-gui.h: what the GUI tests share: waiting, screenshots, a connected session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mw-session.h"
#include "mw-test-db.h"

G_BEGIN_DECLS

/* Runs the main loop until done (data) is TRUE; fails the test after 30 s. */
void       mw_test_wait_until      (gboolean (*done) (gpointer), gpointer data, const char *what);
/* Runs the main loop for ms milliseconds. */
void       mw_test_spin            (guint ms);
/* Saves <MW_SCREENSHOT_DIR>/name.png once widget has been drawn. */
void       mw_test_save_screenshot (GtkWidget *widget, const char *name);
/* A session connected to tdb as profile "Test". */
MwSession *mw_test_connect_session (MwTestDb *tdb);

G_END_DECLS
