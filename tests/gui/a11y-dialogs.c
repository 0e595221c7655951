/* a11y-dialogs.c: screen-reader names of the dialogs (see test-gui-a11y.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-add-user-dialog.h"
#include "mw-address-window.h"
#include "mw-alias-dialog.h"
#include "mw-audit-window.h"
#include "mw-connect-window.h"
#include "mw-format.h"
#include "mw-import-dialog.h"
#include "mw-password-window.h"
#include "mw-preferences-window.h"
#include "test-gui-a11y.h"

/* Asserts that a screen reader finds a name for every interactive object of
 * window, and returns the dump for further checks. MW_A11Y_SHOW_DUMP=1 logs
 * the whole dump, for looking at a window's tree. */
static char *
assert_all_named (GtkWindow *window)
{
  g_autofree char *unnamed = mw_test_a11y_unnamed (window);
  char *dump = mw_test_a11y_dump (window);

  if (g_getenv ("MW_A11Y_SHOW_DUMP") != NULL)
    g_test_message ("%s:\n%s", gtk_window_get_title (window), dump);
  g_assert_cmpstr (unnamed, ==, "");
  return dump;
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

static gboolean
weak_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Destroys window and waits until it is gone, so that the next dump does not
 * find its frame. */
static void
destroy_window (gpointer window)
{
  gpointer weak = NULL;

  g_set_weak_pointer (&weak, window);
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_wait_until (weak_gone, &weak, "the window to go");
  mw_test_spin (50);
}

/* The connection window, before anything is connected. */
static void
test_connect_window (void)
{
  GtkWindow *window = GTK_WINDOW (mw_connect_window_new (NULL));
  g_autofree char *dump = NULL;

  gtk_window_present (window);
  mw_test_spin (300);
  dump = assert_all_named (window);
  /* The dump is the real tree: the fields are there by their titles. */
  g_assert_nonnull (strstr (dump, "Database server"));
  /* The profiles list says what it lists. */
  g_assert_nonnull (strstr (dump, "list\tConnections\t"));
  destroy_window (window);
}

static gboolean
add_user_idle (gpointer data)
{
  return !mw_add_user_dialog_is_busy (data);
}

/* The add-user dialog as it opens, and with the generated password shown. */
static void
test_add_user_dialog (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = mw_test_connect_session (tdb);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  MwAddUserDialog *dialog = mw_add_user_dialog_new (session, settings);
  g_autofree char *dump = NULL;

  gtk_window_present (GTK_WINDOW (dialog));
  mw_test_wait_until (add_user_idle, dialog, "the dialog's schemes");
  g_free (assert_all_named (GTK_WINDOW (dialog)));

  mw_add_user_dialog_set_name (dialog, "a11y-alice");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add-user.add-another", NULL));
  mw_test_spin (50);
  mw_test_wait_until (add_user_idle, dialog, "adding a11y-alice");
  g_assert_nonnull (mw_add_user_dialog_get_shown_password (dialog));
  dump = assert_all_named (GTK_WINDOW (dialog));
  g_assert_nonnull (strstr (dump, "Copy the password"));
  destroy_window (dialog);
}

/* The alias and forward dialogs. */
static void
test_alias_dialog (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = mw_test_connect_session (tdb);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  for (guint i = 0; i < 2; i++)
    {
      MwAliasDialog *dialog = mw_alias_dialog_new (session, settings, i == 1);
      g_autofree char *dump = NULL;

      gtk_window_present (GTK_WINDOW (dialog));
      mw_test_spin (100);
      dump = assert_all_named (GTK_WINDOW (dialog));
      g_assert_nonnull (strstr (dump, "Address"));
      destroy_window (dialog);
    }
}

static gboolean
password_window_idle (gpointer data)
{
  return !mw_password_window_is_busy (data);
}

/* The password tool with a hash and a check shown. */
static void
test_password_window (void)
{
  MwPasswordWindow *window = mw_password_window_new ();

  gtk_window_present (GTK_WINDOW (window));
  mw_password_window_set_hash_input (window, "md5sum", "secret");
  mw_password_window_set_check_input (window, "md5sum", "5ebe2294ecd0e0f08eab7690d2a6ee69", "secret");
  mw_test_wait_until (password_window_idle, window, "the hash");
  g_free (assert_all_named (GTK_WINDOW (window)));
  destroy_window (window);
}

static gboolean
import_in_preview (gpointer data)
{
  return g_str_equal (mw_import_dialog_get_step (data), "preview");
}

/* The import dialog's first page and its preview. */
static void
test_import_dialog (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = mw_test_connect_session (tdb);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-a11y-XXXXXX", &error);
  g_autofree char *path = NULL;
  MwImportDialog *dialog;

  g_assert_no_error (error);
  path = g_build_filename (dir, "people.csv", NULL);
  g_assert_true (g_file_set_contents (path, "name,password,quota,group,aliases\n"
                                            "a11y-ann,Ann pass 1,25M,3,ann@example.org\n"
                                            "a11y-bob,pw,lots,3,\n", -1, &error));
  file = g_file_new_for_path (path);

  dialog = mw_import_dialog_new (session, settings);
  gtk_window_present (GTK_WINDOW (dialog));
  mw_test_spin (100);
  g_free (assert_all_named (GTK_WINDOW (dialog)));

  mw_import_dialog_set_file (dialog, file);
  mw_test_wait_until (import_in_preview, dialog, "the preview");
  g_free (assert_all_named (GTK_WINDOW (dialog)));
  destroy_window (dialog);
  g_unlink (path);
  g_rmdir (dir);
}

/* Preferences (one page). */
static void
test_preferences_window (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  MwPreferencesWindow *window = mw_preferences_window_new (settings);

  gtk_window_present (GTK_WINDOW (window));
  mw_test_spin (100);
  g_free (assert_all_named (GTK_WINDOW (window)));
  destroy_window (window);
}

static gboolean
audit_loaded (gpointer data)
{
  return !mw_audit_window_is_loading (data);
}

/* The audit log with a change in it. */
static void
test_audit_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-a11y-XXXXXX", &error);
  g_autofree char *log = g_build_filename (dir, "audit.jsonl", NULL);
  g_autofree char *old = g_strdup (g_getenv ("MAILWARDEN_AUDIT_LOG"));
  g_autofree char *dump = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) when = NULL;
  const MwAuditField before[] = { { "quota", "0" } };
  const MwAuditField after[] = { { "quota", "1048576" } };
  MwAuditWindow *window;

  g_setenv ("MAILWARDEN_AUDIT_LOG", log, TRUE);
  g_assert_true (mw_audit_append ("Test", "postgresql://test", "user.change", "alice", before, 1, after, 1, &error));
  g_assert_no_error (error);
  g_assert_true (mw_audit_append ("Test", "postgresql://test", "alias.add", "sales@xn--bcher-kva.example", NULL, 0,
                                  after, 1, &error));
  g_assert_no_error (error);
  entries = mw_audit_read (1, &error);
  g_assert_no_error (error);
  when = g_date_time_new_from_iso8601 (((MwAuditEntry *) entries->pdata[0])->time, NULL);
  shown = mw_format_date_time_seconds (when);
  window = mw_audit_window_new ();
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (audit_loaded, window, "the audit log");
  dump = assert_all_named (GTK_WINDOW (window));
  g_assert_nonnull (strstr (dump, "alice"));
  /* The date in the one form every window uses, the domain in Unicode. */
  g_assert_nonnull (strstr (dump, shown));
  g_assert_nonnull (strstr (dump, "sales@b\u00fccher.example"));
  save_light_dark (window, "audit-log-dates");
  destroy_window (window);

  if (old != NULL)
    g_setenv ("MAILWARDEN_AUDIT_LOG", old, TRUE);
  else
    g_unsetenv ("MAILWARDEN_AUDIT_LOG");
  g_unlink (log);
  g_rmdir (dir);
}

static gboolean
address_idle (gpointer data)
{
  return !mw_address_window_is_busy (data);
}

/* The address window of an address with a user, a forward and a program. */
static void
test_address_window (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *target = NULL;
  g_autofree char *dump = NULL;
  MwAddressWindow *window;
  gint64 alice;

  alice = mw_test_db_add_user (tdb, "alice", 1, 0);
  target = g_strdup_printf ("%" G_GINT64_FORMAT, alice);
  mw_test_db_add_alias (tdb, "sales@xn--bcher-kva.example", target, 1);
  mw_test_db_add_alias (tdb, "sales@xn--bcher-kva.example", "|/usr/bin/procmail", 0);
  mw_test_db_add_alias (tdb, "sales@xn--bcher-kva.example", "x@xn--bcher-kva.example", 0);
  session = mw_test_connect_session (tdb);
  window = mw_address_window_new (session, "sales@xn--bcher-kva.example");
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (address_idle, window, "the address");
  dump = assert_all_named (GTK_WINDOW (window));
  /* The address and its forward at an international domain read in Unicode,
   * each row by its title. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "sales@b\u00fccher.example");
  g_assert_nonnull (strstr (dump, "list-item\tx@b\u00fccher.example\t"));
  g_assert_null (strstr (dump, "xn--"));
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    save_light_dark (window, "address-window-idn");
  destroy_window (window);
}

void
mw_a11y_add_dialog_tests (void)
{
  g_test_add_func ("/a11y/connect-window", test_connect_window);
  g_test_add_func ("/a11y/password-window", test_password_window);
  g_test_add_func ("/a11y/preferences-window", test_preferences_window);
  g_test_add_func ("/a11y/audit-window", test_audit_window);
  mw_test_add_both ("/a11y/add-user-dialog", test_add_user_dialog);
  mw_test_add_both ("/a11y/alias-dialog", test_alias_dialog);
  mw_test_add_both ("/a11y/import-dialog", test_import_dialog);
  mw_test_add_both ("/a11y/address-window", test_address_window);
}
