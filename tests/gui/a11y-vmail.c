/* a11y-vmail.c: screen-reader names of the windows of an ISPmail and a
 * PostfixAdmin database (see test-gui-a11y.c): the main window with each of
 * the flavour's lists shown in turn, a mailbox's account window and the
 * add dialog. No interactive object without a name, none named twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-account-window.h"
#include "mw-add-user-dialog.h"
#include "mw-demo-vmail.h"
#include "mw-test-db.h"
#include "mw-window.h"
#include "test-gui-a11y.h"

static gboolean
page_settled (gpointer data)
{
  MwListPage *page = data;
  MwPagedModel *model = mw_list_page_get_model (page);

  return !mw_paged_model_is_busy (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0 &&
         !mw_list_page_is_filling_screen (page);
}

static gboolean
account_settled (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static gboolean
dialog_idle (gpointer data)
{
  return !mw_add_user_dialog_is_busy (data);
}

static gboolean
weak_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
destroy_window (gpointer window)
{
  gpointer weak = NULL;

  g_set_weak_pointer (&weak, window);
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_wait_until (weak_gone, &weak, "the window to go");
  mw_test_spin (50);
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Asserts that every interactive object of window has a name, read once;
 * MW_A11Y_SHOW_DUMP=1 logs the tree. what says which window, for the
 * failure message. */
static void
assert_all_named (GtkWindow  *window,
                  const char *what)
{
  g_autofree char *unnamed = NULL;

  g_test_message ("reading the %s", what);
  unnamed = mw_test_a11y_unnamed (window);

  if (g_getenv ("MW_A11Y_SHOW_DUMP") != NULL)
    {
      g_autofree char *dump = mw_test_a11y_dump (window);

      g_test_message ("%s:\n%s", what, dump);
    }
  if (unnamed[0] != '\0')
    g_error ("%s: unnamed or doubled:\n%s", what, unnamed);
}

/* Screenshots name-light and name-dark of window. */
static void
save_light_dark (gpointer    window,
                 const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strconcat (name, "-light", NULL);
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);

  mw_test_save_screenshot (GTK_WIDGET (window), light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  mw_test_spin (50);
  mw_test_save_screenshot (GTK_WIDGET (window), dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  mw_test_spin (50);
}

static void
check_flavour (gconstpointer  driver,
               MwDemoFlavour  flavour)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *name = mw_demo_flavour_to_string (flavour);
  g_autofree char *key = NULL;
  MwWindow *window;
  GtkWindow *account;
  MwAddUserDialog *dialog;
  guint n_pages = 0;

  g_assert_true (mw_demo_vmail_load_schema (tdb->db, flavour, &error));
  g_assert_no_error (error);
  g_assert_true (mw_demo_vmail_populate (tdb->db, flavour, &error));
  g_assert_no_error (error);
  session = mw_test_connect_session (tdb);

  /* The main window with each list the flavour has, in turn: a window of
   * its own for each, as GTK 4.8 keeps the rows of the lists shown before
   * in the tree, and the dump must stay within a11y-dump.py's 28 s also in
   * the sanitizer build (low: few rows on screen). */
  for (int kind = 0; kind < MW_N_LISTS; kind++)
    {
      MwListPage *page;
      g_autofree char *what = NULL;

      window = mw_window_new (NULL, session);
      gtk_window_set_default_size (GTK_WINDOW (window), 1100, 460);
      gtk_window_present (GTK_WINDOW (window));
      page = mw_window_get_page (window, kind);
      if (page == NULL)
        {
          destroy_window (window);
          continue;
        }
      what = g_strdup_printf ("%s main window, list %d", name, kind);
      mw_window_show_page (window, kind);
      mw_test_wait_until (page_settled, page, what);
      mw_test_spin (300);
      assert_all_named (GTK_WINDOW (window), what);
      destroy_window (window);
      n_pages++;
    }
  /* Mailboxes, aliases, forwards, domains at least. */
  g_assert_cmpuint (n_pages, >=, 4);

  /* A mailbox's account window. */
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_resolve_account_async (session, "juergen.mueller@example.org", NULL, on_result_cb, &res);
    mw_test_wait_until (result_arrived, &res, "the mailbox's key");
    key = mw_session_resolve_account_finish (session, res, &error);
    g_assert_no_error (error);
  }
  account = GTK_WINDOW (mw_account_window_new (session, key));
  gtk_window_set_default_size (account, 720, 800);
  gtk_window_present (account);
  mw_test_wait_until (account_settled, account, "the mailbox");
  mw_test_spin (300);
  assert_all_named (account, "account window");
  {
    g_autofree char *dump = mw_test_a11y_dump (account);

    /* The quota bar is read as what it shows, not as "GtkLevelBar"; ISPmail
     * counts no use, so there is no "Mail used" to read (nor to see). */
    g_assert_null (strstr (dump, "\tGtkLevelBar\t"));
    if (flavour == MW_DEMO_FLAVOUR_ISPMAIL)
      g_assert_null (strstr (dump, "Mail used"));
    else
      g_assert_nonnull (strstr (dump, "level-bar\tMail used\t"));
  }
  {
    g_autofree char *shot = g_strdup_printf ("a11y-vmail-%s-%s-account", name,
                                             tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql");

    save_light_dark (account, shot);
  }
  destroy_window (account);

  /* The add dialog, as it opens and with a name typed. */
  dialog = mw_add_user_dialog_new (session, settings);
  gtk_window_present (GTK_WINDOW (dialog));
  mw_test_wait_until (dialog_idle, dialog, "the dialog's schemes");
  mw_test_spin (200);
  assert_all_named (GTK_WINDOW (dialog), "add dialog");
  mw_add_user_dialog_set_name (dialog, "neu@example.org");
  mw_test_spin (300);
  mw_test_wait_until (dialog_idle, dialog, "the name's check");
  assert_all_named (GTK_WINDOW (dialog), "add dialog with a name");
  destroy_window (dialog);
}

static void
test_ispmail (gconstpointer driver)
{
  check_flavour (driver, MW_DEMO_FLAVOUR_ISPMAIL);
}

static void
test_postfixadmin (gconstpointer driver)
{
  check_flavour (driver, MW_DEMO_FLAVOUR_POSTFIXADMIN);
}

void
mw_a11y_add_vmail_tests (void)
{
  mw_test_add_both ("/a11y/vmail/ispmail", test_ispmail);
  mw_test_add_both ("/a11y/vmail/postfixadmin", test_postfixadmin);
}
