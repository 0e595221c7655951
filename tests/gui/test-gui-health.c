/* test-gui-health.c: the main window's Health page and the cleanup dialog
 * on a DBMail database with a few problems: Run Checks shows the findings'
 * reasons, fixes and samples as a person reads them; a sample's link opens
 * the account window of the right user; the cleanup dialog's preview counts
 * what each step would change, Apply fixes exactly those rows (read back
 * from the database), a second preview finds nothing left; purging asks
 * once, naming the count. Screen-reader names of page and dialog; light and
 * dark, wide and narrow.
 *
 * Runs with the accessibility bridge on, to read both over AT-SPI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-application.h"
#include "mw-cleanup-dialog.h"
#include "mw-dbmail-store.h"
#include "mw-health-page.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"
#include "mw-window.h"

#define STATIC_BYTES(s) g_bytes_new_static ((s), sizeof (s) - 1)

/* No interactive object a screen reader would read unnamed. */
static void
assert_all_named (GtkWindow *window)
{
  g_autofree char *unnamed = NULL;

  if (g_getenv ("MW_A11Y_DUMP") == NULL)
    return;
  mw_test_spin (300);
  unnamed = mw_test_a11y_unnamed (window);
  if (g_getenv ("MW_A11Y_SHOW_DUMP") != NULL)
    {
      g_autofree char *dump = mw_test_a11y_dump (window);

      g_test_message ("%s", dump);
    }
  g_assert_cmpstr (unnamed, ==, "");
}

static gint64
deliver (MwTestDb   *tdb,
         gint64      mailbox,
         GBytes     *raw,
         int         status)
{
  g_autoptr(GError) error = NULL;
  gint64 id = mw_message_store_deliver (tdb->db, mailbox, raw, status, NULL, &error);

  g_assert_no_error (error);
  return id;
}

static gint64
db_int (MwTestDb   *tdb,
        const char *format,
        ...) G_GNUC_PRINTF (2, 3);

static gint64
db_int (MwTestDb   *tdb,
        const char *format,
        ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return mw_test_db_int (tdb, sql);
}

static void
db_exec (MwTestDb   *tdb,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
db_exec (MwTestDb   *tdb,
         const char *format,
         ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  mw_test_db_exec (tdb, sql);
}

static gboolean
page_idle (gpointer data)
{
  return !mw_health_page_is_running (data);
}

static gboolean
dialog_idle (gpointer data)
{
  return !mw_cleanup_dialog_is_busy (data);
}

static gboolean
question_shown (gpointer data)
{
  return mw_cleanup_dialog_get_question (data) != NULL;
}

static gboolean
account_loaded (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static void
assert_has_line (const char *text,
                 const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  if (!g_strv_contains ((const char *const *) lines, line))
    g_error ("“%s” is not shown; the page shows:\n%s", line, text);
}

static void
preview (MwCleanupDialog *dialog)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "cleanup.preview", NULL));
  mw_test_spin (20);
  mw_test_wait_until (dialog_idle, dialog, "the preview");
}

static void
test_health (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GBytes) hello = STATIC_BYTES ("From: bob@example.org\nTo: alice@example.org\nSubject: Hello\n"
                                          "Date: Mon, 01 Dec 2025 10:00:00 +0100\n\nJust saying hello.\n");
  g_autoptr(GBytes) gone = STATIC_BYTES ("From: bob@example.org\nTo: alice@example.org\nSubject: Gone\n"
                                         "Date: Tue, 02 Dec 2025 10:00:00 +0100\n\nExpunged already.\n");
  g_autoptr(GString) fine_before = g_string_new (NULL);
  g_autoptr(GString) fine_after = g_string_new (NULL);
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  g_autofree char *shot = NULL;
  g_autofree char *text = NULL;
  g_autofree char *bob_key = NULL;
  gint64 alice, bob, carol, inbox, expunged, kept_size;
  MwWindow *window;
  MwHealthPage *page;
  MwCleanupDialog *dialog;
  GtkWindow *account;

  /* Problems: example.org has no postmaster@ or abuse@; ghost@ delivers to
   * a user that does not exist; alice's second alias is in group 7 while
   * she is in group 1; alice's used-space counter is wrong; she has one
   * expunged message (status 2); bob has no INBOX; every password is
   * stored in plain text. carol is fine. */
  alice = mw_test_db_add_user (tdb, "alice", 1, 0);
  bob = mw_test_db_add_user (tdb, "bob", 1, 0);
  carol = mw_test_db_add_user (tdb, "carol", 1, 0);
  (void) bob;
  db_exec (tdb, "INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT ", 'INBOX'), (%"
           G_GINT64_FORMAT ", 'INBOX')", alice, carol);
  inbox = db_int (tdb, "SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT, alice);
  deliver (tdb, inbox, hello, 0);
  expunged = deliver (tdb, inbox, gone, 2);
  kept_size = db_int (tdb, "SELECT p.messagesize FROM dbmail_physmessage p JOIN dbmail_messages m ON "
                      "m.physmessage_id = p.id WHERE m.mailbox_idnr = %" G_GINT64_FORMAT " AND m.status = 0", inbox);
  db_exec (tdb, "UPDATE dbmail_users SET curmail_size = 987654 WHERE user_idnr = %" G_GINT64_FORMAT, alice);
  db_exec (tdb, "UPDATE dbmail_users SET curmail_size = 0 WHERE user_idnr = %" G_GINT64_FORMAT, carol);
  mw_test_db_add_alias (tdb, "ghost@example.org", "999999", 1);
  {
    g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, alice);

    mw_test_db_add_alias (tdb, "a.smith@example.org", target, 7);
  }
  /* The rows that are fine, to compare after the cleanup. */
  mw_test_db_append_rows (tdb->db, "SELECT user_idnr, userid, passwd, client_idnr, maxmail_size, curmail_size "
                          "FROM dbmail_users WHERE userid IN ('bob', 'carol') ORDER BY user_idnr", fine_before);
  mw_test_db_append_rows (tdb->db, "SELECT alias_idnr, alias, deliver_to, client_idnr FROM dbmail_aliases "
                          "WHERE alias <> 'a.smith@example.org' ORDER BY alias_idnr", fine_before);
  mw_test_db_append_rows (tdb->db, "SELECT message_idnr, mailbox_idnr, physmessage_id, status FROM dbmail_messages "
                          "WHERE status <> 2 ORDER BY message_idnr", fine_before);

  session = mw_test_connect_session (tdb);
  bob_key = mw_test_account_key (session, "bob");
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mw_window_show_named_page (window, "health"));
  page = MW_HEALTH_PAGE (mw_window_get_named_page (window, "health"));
  g_assert_nonnull (page);

  /* Run Checks: each check's findings, with reason, fix and samples. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "health.run", NULL));
  mw_test_spin (20);
  mw_test_wait_until (page_idle, page, "the checks");
  text = mw_health_page_dup_text (page);
  g_test_message ("%s", text);
  g_assert_null (strstr (mw_health_page_get_status (page), "nothing found"));
  g_assert_true (g_str_has_suffix (mw_health_page_get_status (page), "."));
  assert_has_line (text, "example.org");
  assert_has_line (text, "ghost@example.org → user 999999 (gone)");
  assert_has_line (text, "bob");
  g_assert_true (mw_test_shows_text (GTK_WIDGET (page), "ghost@example.org → user 999999 (gone)"));
  assert_all_named (GTK_WINDOW (window));
  shot = g_strdup_printf ("health-%s-page", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 760);
  mw_test_spin (300);
  g_free (shot);
  shot = g_strdup_printf ("health-%s-page-narrow", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  mw_test_spin (200);

  /* The link of bob's sample (no INBOX) opens bob's account window. */
  g_assert_true (mw_health_page_press_link (page, "no-inbox", "bob"));
  mw_test_spin (50);
  account = mw_window_lookup_account (window, bob_key);
  g_assert_nonnull (account);
  mw_test_wait_until (account_loaded, account, "bob's account");
  g_assert_cmpstr (mw_account_window_get_account (MW_ACCOUNT_WINDOW (account))->name, ==, "bob");
  gtk_window_destroy (account);
  mw_test_spin (50);

  /* The password list: every account with a weak password, one a line. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "health.copy-passwords", NULL));
  mw_test_spin (20);
  mw_test_wait_until (page_idle, page, "the password list");
  g_assert_nonnull (mw_health_page_get_password_list (page));
  assert_has_line (mw_health_page_get_password_list (page), "alice");
  assert_has_line (mw_health_page_get_password_list (page), "carol");

  /* Cleanup: the preview counts, nothing changes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "health.cleanup", NULL));
  dialog = MW_CLEANUP_DIALOG (mw_health_page_get_cleanup_dialog (page));
  g_assert_nonnull (dialog);
  preview (dialog);
  g_free (text);
  text = mw_cleanup_dialog_dup_text (dialog);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (mw_cleanup_dialog_get_status (dialog), "rows to change in 3 steps"));
  g_assert_nonnull (strstr (text, "a.smith@example.org"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (dialog), mw_cleanup_dialog_get_status (dialog)));
  g_assert_cmpint (db_int (tdb, "SELECT curmail_size FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT, alice),
                   ==, 987654);
  assert_all_named (GTK_WINDOW (dialog));
  g_free (shot);
  shot = g_strdup_printf ("health-%s-cleanup-preview", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 720);
  mw_test_spin (200);
  g_free (shot);
  shot = g_strdup_printf ("health-%s-cleanup-preview-narrow", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 620, 720);

  /* Apply: exactly those rows are fixed; the rows that were fine are the same. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "cleanup.apply", NULL));
  mw_test_spin (20);
  mw_test_wait_until (dialog_idle, dialog, "the cleanup");
  g_assert_nonnull (strstr (mw_cleanup_dialog_get_status (dialog), "Done: changed"));
  g_assert_cmpint (db_int (tdb, "SELECT curmail_size FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT, alice),
                   ==, kept_size);
  g_assert_cmpint (db_int (tdb, "SELECT client_idnr FROM dbmail_aliases WHERE alias = 'a.smith@example.org'"), ==, 1);
  g_assert_cmpint (db_int (tdb, "SELECT status FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, expunged),
                   ==, 3);
  mw_test_db_append_rows (tdb->db, "SELECT user_idnr, userid, passwd, client_idnr, maxmail_size, curmail_size "
                          "FROM dbmail_users WHERE userid IN ('bob', 'carol') ORDER BY user_idnr", fine_after);
  mw_test_db_append_rows (tdb->db, "SELECT alias_idnr, alias, deliver_to, client_idnr FROM dbmail_aliases "
                          "WHERE alias <> 'a.smith@example.org' ORDER BY alias_idnr", fine_after);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT message_idnr, mailbox_idnr, physmessage_id, status FROM "
                                            "dbmail_messages WHERE message_idnr <> %" G_GINT64_FORMAT
                                            " ORDER BY message_idnr", expunged);

    mw_test_db_append_rows (tdb->db, sql, fine_after);
  }
  g_assert_cmpstr (fine_after->str, ==, fine_before->str);
  g_free (shot);
  shot = g_strdup_printf ("health-%s-cleanup-done", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);

  /* A second preview: nothing left. */
  preview (dialog);
  g_assert_cmpstr (mw_cleanup_dialog_get_status (dialog), ==, "Preview: nothing to repair. Nothing has been changed.");

  /* Purge: asks once, naming the count; then the message is gone. */
  g_assert_true (mw_cleanup_dialog_set_step (dialog, MW_CLEANUP_PURGE, TRUE));
  preview (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "cleanup.apply", NULL));
  mw_test_wait_until (question_shown, dialog, "the purge question");
  g_assert_cmpstr (adw_message_dialog_get_heading (mw_cleanup_dialog_get_question (dialog)), ==,
                   "Purge 1 Message for Good?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (mw_cleanup_dialog_get_question (dialog), "apply"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_free (shot);
  shot = g_strdup_printf ("health-%s-cleanup-purge", server);
  mw_test_save_screenshots (GTK_WIDGET (mw_cleanup_dialog_get_question (dialog)), shot);
  adw_message_dialog_response (mw_cleanup_dialog_get_question (dialog), "apply");
  mw_test_spin (20);
  mw_test_wait_until (dialog_idle, dialog, "the purge");
  g_assert_cmpint (db_int (tdb, "SELECT count(*) FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT,
                           expunged), ==, 0);
  preview (dialog);
  g_assert_cmpstr (mw_cleanup_dialog_get_status (dialog), ==, "Preview: nothing to repair. Nothing has been changed.");

  /* Escape closes the dialog while nothing runs. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "cleanup.close", NULL));
  mw_test_spin (50);
  g_assert_null (mw_health_page_get_cleanup_dialog (page));

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("mw-audit-XXXXXX", NULL);
  g_autofree char *log = g_build_filename (dir, "audit.jsonl", NULL);
  int rc;

  /* The changes this test makes go to a log of its own. */
  g_setenv ("MAILWARDEN_AUDIT_LOG", log, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_gui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  mw_test_add_both ("/gui/health", test_health);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
