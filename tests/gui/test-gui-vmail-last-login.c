/* test-gui-vmail-last-login.c: with Dovecot's last-login table in the
 * database (its documented dict-sql map), the Mailboxes list of ISPmail and
 * PostfixAdmin shows a "Last Login" column: the date of the mailbox Dovecot
 * wrote a login for, "Never" for the others; without the table no such
 * column. Light and dark screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-application.h"
#include "mw-demo-vmail.h"
#include "mw-list-page.h"
#include "mw-window.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"

static void
exec (MwTestDb   *tdb,
      const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = mw_db_exec (tdb->db, sql, NULL, 0, NULL, &error);

  g_assert_no_error (error);
}

static void
check (gconstpointer  driver,
       MwDemoFlavour  flavour,
       gboolean       with_table)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  const char *first = flavour == MW_DEMO_FLAVOUR_ISPMAIL ? "ispmail" : "postfixadmin";
  g_autofree char *name = g_strdup_printf ("vmail-last-login-%s-%s", first, server);
  MwListPage *page;
  MwWindow *window;

  mw_demo_vmail_load_schema (tdb->db, flavour, &error);
  g_assert_no_error (error);
  mw_demo_vmail_populate (tdb->db, flavour, &error);
  g_assert_no_error (error);
  if (with_table)
    {
      exec (tdb, tdb->driver == MW_DB_DRIVER_PGSQL
            ? "CREATE TABLE last_login (userid varchar(255) NOT NULL PRIMARY KEY, last_login integer DEFAULT NULL)"
            : "CREATE TABLE last_login (userid varchar(255) NOT NULL PRIMARY KEY, last_login int(11) DEFAULT NULL)");
      /* The first mailbox by address, as Dovecot's dict-sql writes it (2023-11-14 22:13:20 UTC). */
      exec (tdb, flavour == MW_DEMO_FLAVOUR_ISPMAIL
            ? "INSERT INTO last_login (userid, last_login) SELECT MIN(email), 1700000000 FROM virtual_users"
            : "INSERT INTO last_login (userid, last_login) SELECT MIN(username), 1700000000 FROM mailbox");
    }
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 640);
  gtk_window_present (GTK_WINDOW (window));
  page = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (mw_test_page_settled, page, "the mailboxes list");
  mw_test_settle_page (page, "the mailboxes list");
  if (with_table)
    {
      mw_test_wait_shows (GTK_WIDGET (window), "Last Login");
      mw_test_wait_shows (GTK_WIDGET (window), "Never");
      mw_test_save_screenshots (GTK_WIDGET (window), name);
    }
  else
    {
      mw_test_spin (200);
      g_assert_false (mw_test_shows_text (GTK_WIDGET (window), "Last Login"));
      g_assert_false (mw_test_shows_text (GTK_WIDGET (window), "Never"));
    }
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (50);
}

static void
test_ispmail (gconstpointer driver)
{
  check (driver, MW_DEMO_FLAVOUR_ISPMAIL, TRUE);
}

static void
test_postfixadmin (gconstpointer driver)
{
  check (driver, MW_DEMO_FLAVOUR_POSTFIXADMIN, TRUE);
}

static void
test_absent (gconstpointer driver)
{
  check (driver, MW_DEMO_FLAVOUR_POSTFIXADMIN, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_gui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  mw_test_add_both ("/gui/vmail-last-login/ispmail", test_ispmail);
  mw_test_add_both ("/gui/vmail-last-login/postfixadmin", test_postfixadmin);
  mw_test_add_both ("/gui/vmail-last-login/absent", test_absent);
  return mw_test_run ();
}
