/* test-gui-pfa-lists.c: the PostfixAdmin demo's lists of alias domains,
 * vacations and domain admins in the main window (sidebar, rows, search),
 * light and dark; the ISPmail demo offers none of them.
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

static MwWindow *
open_demo (MwTestDb      *tdb,
           MwDemoFlavour  flavour,
           MwSession    **session)
{
  g_autoptr(GError) error = NULL;
  MwWindow *window;

  mw_demo_vmail_load_schema (tdb->db, flavour, &error);
  g_assert_no_error (error);
  mw_demo_vmail_populate (tdb->db, flavour, &error);
  g_assert_no_error (error);
  *session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, *session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 640);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (mw_test_page_settled, mw_window_get_page (window, MW_LIST_USERS), "the mailboxes list");
  return window;
}

/* Each list in the sidebar, its demo rows on screen (domains in Unicode,
 * dates as the window shows dates), a search that narrows it. */
static void
test_postfixadmin (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  static const struct
  {
    MwListKind  kind;
    const char *title;
    const char *name;
    const char *shown[3];
    const char *search;
    guint       found;
  } lists[] = {
    { MW_LIST_ALIAS_DOMAINS, "Alias Domains", "alias-domains", { "example.net", "example.org", "Target Domain" },
      "net", 1 },
    { MW_LIST_VACATIONS, "Vacations", "vacations", { "Abwesenheitsnotiz: Urlaub", "Subject", "Until" },
      "urlaub", 1 },
    { MW_LIST_DOMAIN_ADMINS, "Domain Admins", "domain-admins",
      { "postmaster@example.com", "example.com, bücher.example", "ALL" }, "bücher", 1 },
  };
  MwWindow *window = open_demo (tdb, MW_DEMO_FLAVOUR_POSTFIXADMIN, &session);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      MwListPage *page;
      g_autofree char *name = g_strdup_printf ("pfa-lists-%s-%s", lists[i].name, server);

      g_assert_true (mw_test_shows_text (GTK_WIDGET (window), lists[i].title));
      page = mw_window_get_page (window, lists[i].kind);
      g_assert_nonnull (page);
      mw_window_show_page (window, lists[i].kind);
      mw_test_settle_page (page, lists[i].name);
      for (guint s = 0; s < G_N_ELEMENTS (lists[i].shown); s++)
        mw_test_wait_shows (GTK_WIDGET (window), lists[i].shown[s]);
      mw_test_save_screenshots (GTK_WIDGET (window), name);

      mw_list_page_set_search (page, lists[i].search);
      mw_test_settle_page (page, "the rows that match");
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (page))), ==, lists[i].found);
      mw_test_wait_shows (GTK_WIDGET (window), lists[i].shown[0]);
      mw_list_page_set_search (page, "");
      mw_test_settle_page (page, "the whole list again");
    }
  /* The demo's disabled admin, and its superadmin as ALL. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (
                      mw_window_get_page (window, MW_LIST_DOMAIN_ADMINS)))), ==, 3);
  mw_test_wait_shows (GTK_WIDGET (window), "aushilfe@example.org");

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (50);
}

/* ISPmail keeps none of them: the sidebar does not offer them. */
static void
test_ispmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = NULL;
  MwWindow *window = open_demo (tdb, MW_DEMO_FLAVOUR_ISPMAIL, &session);

  mw_test_spin (100);
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), "Domains"));
  g_assert_false (mw_test_shows_text (GTK_WIDGET (window), "Alias Domains"));
  g_assert_false (mw_test_shows_text (GTK_WIDGET (window), "Vacations"));
  g_assert_false (mw_test_shows_text (GTK_WIDGET (window), "Domain Admins"));
  g_assert_null (mw_window_get_page (window, MW_LIST_ALIAS_DOMAINS));
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_gui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  mw_test_add_both ("/gui/pfa-lists/postfixadmin", test_postfixadmin);
  mw_test_add_both ("/gui/pfa-lists/ispmail", test_ispmail);
  return mw_test_run ();
}
