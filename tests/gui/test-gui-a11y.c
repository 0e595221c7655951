/* test-gui-a11y.c: what a screen reader sees: every interactive widget of
 * every window and dialog has a name, read over AT-SPI as Orca reads it.
 *
 * The tests are in a11y-*.c, one file per part of the window; each opens its
 * windows in the states a helpdesk user meets and asserts that
 * mw_test_a11y_unnamed() finds nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "mw-application.h"
#include "test-gui-a11y.h"

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_gui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  mw_a11y_add_main_window_tests ();
  mw_a11y_add_account_tests ();
  mw_a11y_add_mail_tests ();
  mw_a11y_add_dialog_tests ();
  mw_a11y_add_vmail_tests ();

  return mw_test_run ();
}
