/* test-gui-account.c: the account window changes an account, under Xvfb on real servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-audit-window.h"
#include "mw-address-window.h"
#include "mw-alias-dialog.h"
#include "mw-group-actions.h"
#include "mw-window.h"
#include "mw-application.h"
#include "mw-format.h"
#include "mw-password.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"

static gboolean
settled (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static gboolean
has_error (gpointer data)
{
  return !mw_account_window_is_busy (data) && mw_account_window_get_error (data) != NULL;
}

static gboolean
audit_loaded (gpointer data)
{
  return !mw_audit_window_is_loading (data);
}

static gboolean
has_delete_dialog (gpointer data)
{
  return g_object_get_data (data, "mw-delete-dialog") != NULL;
}

static gboolean
window_gone (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

static void
save_and_wait (MwAccountWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.save", NULL));
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the account to be saved and loaded again");
}

/* The session's answers, waited for as the window waits for them. */
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

/* The key of the account called name, as the core makes it. */
static char *
account_key (MwSession  *session,
             const char *name)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  mw_session_resolve_account_async (session, name, NULL, on_result_cb, &res);
  mw_test_wait_until (result_arrived, &res, "the account's key");
  key = mw_session_resolve_account_finish (session, res, &error);
  g_assert_no_error (error);
  return key;
}

/* The key of the alias (target NULL) or forward the window shows. */
static char *
address_key (MwAccountWindow *window,
             const char      *address,
             const char      *target)
{
  const MwAccount *account = mw_account_window_get_account (window);

  for (guint i = 0; target == NULL && i < account->aliases->len; i++)
    {
      MwAccountAddress *a = g_ptr_array_index (account->aliases, i);

      if (g_str_equal (a->address, address))
        return g_strdup (a->key);
    }
  for (guint i = 0; target != NULL && i < account->forwards->len; i++)
    {
      MwAccountForward *f = g_ptr_array_index (account->forwards, i);

      if (g_str_equal (f->address, address) && g_str_equal (f->target, target))
        return g_strdup (f->key);
    }
  g_error ("the window shows no address %s%s%s", address, target != NULL ? " to " : "", target != NULL ? target : "");
}

static gboolean
rows_contain (MwAccountWindow *window,
              const char      *group,
              const char      *text)
{
  g_auto(GStrv) rows = mw_account_window_dup_rows (window, group);

  for (guint i = 0; rows[i] != NULL; i++)
    if (strstr (rows[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_account_edit (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *passwd = NULL;
  g_autofree char *before = NULL;
  g_autofree char *alice_key = NULL;
  g_autofree char *alias_key = NULL;
  MwAccountWindow *window;
  gint64 alice, alias_id;

  alice = mw_test_db_add_user (tdb, "alice", 1, 10 << 20);
  mw_test_db_add_user (tdb, "bob", 1, 0);
  session = mw_test_connect_session (tdb);
  alice_key = account_key (session, "alice");
  window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, alice_key));
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (settled, window, "the account");
  g_assert_cmpstr (mw_account_window_get_value (window, "name"), ==, "alice");

  /* Nothing staged: Save does nothing. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "account.save", NULL) && mw_account_window_is_busy (window));

  /* Quota, group and login staged together, saved in one go. */
  mw_account_window_set_field (window, "quota-mib", "50");
  mw_account_window_set_field (window, "group", "4");
  mw_account_window_set_field (window, "enabled", "no");
  mw_test_save_screenshot (GTK_WIDGET (window), "account-edit");
  save_and_wait (window);
  g_assert_null (mw_account_window_get_error (window));
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT
                         " AND maxmail_size = 52428800 AND client_idnr = 4 AND active = 0", alice);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT client_idnr FROM dbmail_aliases WHERE alias = 'alice@example.org'"), ==, 4);
  g_assert_cmpstr (mw_account_window_get_value (window, "enabled"), ==, "no");

  /* Undo from the toast puts the stored values back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.undo-save", NULL));
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the undo");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT
                         " AND maxmail_size = 10485760 AND client_idnr = 1 AND active = 1", alice);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT client_idnr FROM dbmail_aliases WHERE alias = 'alice@example.org'"), ==, 1);
  g_assert_cmpstr (mw_account_window_get_value (window, "enabled"), ==, "yes");
  /* ... and redo it by hand. */
  mw_account_window_set_field (window, "quota-mib", "50");
  mw_account_window_set_field (window, "group", "4");
  mw_account_window_set_field (window, "enabled", "no");
  save_and_wait (window);

  /* A new password, stored the default way and accepted by DBMail's check. */
  mw_account_window_set_field (window, "password", "Tr0ub4dor & 3");
  save_and_wait (window);
  passwd = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'alice'");
  g_assert_true (g_str_has_prefix (passwd, "$6$"));
  g_assert_true (mw_password_verify ("crypt", passwd, "Tr0ub4dor & 3", &error));
  g_assert_no_error (error);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'alice' "
                                        "AND encryption_type = 'crypt'"), ==, 1);

  /* A security password, stored with the account's scheme, and its action. */
  mw_account_window_set_field (window, "security-password", "panic 42");
  mw_account_window_set_field (window, "security-action", "1");
  save_and_wait (window);
  g_assert_null (mw_account_window_get_error (window));
  {
    g_autofree char *spasswd = mw_test_db_string (tdb, "SELECT spasswd FROM dbmail_users WHERE userid = 'alice'");

    g_assert_true (g_str_has_prefix (spasswd, "$6$"));
    g_assert_true (mw_password_verify ("crypt", spasswd, "panic 42", &error));
    g_assert_no_error (error);
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT saction FROM dbmail_users WHERE userid = 'alice'"), ==, 1);
    g_assert_cmpstr (mw_account_window_get_toast (window), ==, "Saved");
  }
  /* A new security password alone is saved; there is nothing to undo (its
   * old hash is never read), and the toast does not say otherwise. */
  mw_account_window_set_field (window, "security-password", "panic 43");
  save_and_wait (window);
  g_assert_null (mw_account_window_get_error (window));
  {
    g_autofree char *spasswd = mw_test_db_string (tdb, "SELECT spasswd FROM dbmail_users WHERE userid = 'alice'");

    g_assert_true (mw_password_verify ("crypt", spasswd, "panic 43", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (mw_account_window_get_toast (window), ==, "Saved");
  }

  /* An alias, added at once; then deleted and brought back from the toast. */
  mw_account_window_set_field (window, "new-alias", "Sales@Example.COM");
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the new alias");
  g_assert_null (mw_account_window_get_error (window));
  g_assert_true (rows_contain (window, "aliases", "Sales@example.com"));
  mw_test_save_screenshot (GTK_WIDGET (window), "account-alias-added");
  alias_id = mw_test_db_int (tdb, "SELECT alias_idnr FROM dbmail_aliases WHERE alias = 'Sales@example.com'");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias_idnr = %" G_GINT64_FORMAT
                         " AND deliver_to = '%" G_GINT64_FORMAT "' AND client_idnr = 4", alias_id, alice);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);

  alias_key = address_key (window, "Sales@example.com", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.delete-alias", "s", alias_key));
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the alias to go");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE lower(alias) = 'sales@example.com'"), ==, 0);
  g_assert_false (rows_contain (window, "aliases", "Sales@example.com"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.restore-alias", "s", "Sales@example.com"));
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the alias to come back");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'Sales@example.com'"), ==, 1);

  /* A copy of the mail to an outside address, hanging off the first alias;
   * stopped and started again from the toast. */
  mw_account_window_set_field (window, "new-forward", "Alice@Home.EXAMPLE");
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the forward");
  g_assert_null (mw_account_window_get_error (window));
  g_assert_true (rows_contain (window, "forwards", "Alice@home.example"));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'alice@example.org' "
                                        "AND deliver_to = 'Alice@home.example'"), ==, 1);
  mw_test_save_screenshot (GTK_WIDGET (window), "account-forward");
  {
    g_autofree char *fwd_key = address_key (window, "alice@example.org", "Alice@home.example");

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.delete-forward", "s", fwd_key));
    mw_test_spin (50);
    mw_test_wait_until (settled, window, "the forward to go");
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE deliver_to = 'Alice@home.example'"), ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.restore-forward", "(ss)",
                                               "alice@example.org", "Alice@home.example"));
    mw_test_spin (50);
    mw_test_wait_until (settled, window, "the forward to come back");
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE deliver_to = 'Alice@home.example'"), ==, 1);
  }

  /* A taken alias and a taken name are refused with their sentence; nothing changes. */
  mw_account_window_set_field (window, "new-alias", "bob@EXAMPLE.org");
  mw_test_spin (50);
  mw_test_wait_until (has_error, window, "the refusal");
  g_assert_nonnull (strstr (mw_account_window_get_error (window), "already delivers to the user “bob”"));
  mw_account_window_set_field (window, "name", "BOB");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.save", NULL));
  mw_test_spin (50);
  mw_test_wait_until (has_error, window, "the refusal");
  g_assert_nonnull (strstr (mw_account_window_get_error (window), "already exists"));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'alice'"), ==, 1);
  mw_test_save_screenshot (GTK_WIDGET (window), "account-error");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.revert", NULL));
  g_assert_cmpstr (mw_account_window_get_value (window, "name"), ==, "alice");

  /* Someone else changes the quota meanwhile: ours is not written over it. */
  mw_test_db_exec (tdb, "UPDATE dbmail_users SET maxmail_size = 777 WHERE userid = 'alice'");
  mw_account_window_set_field (window, "quota-mib", "70");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.save", NULL));
  mw_test_spin (50);
  mw_test_wait_until (has_error, window, "the conflict");
  g_assert_nonnull (strstr (mw_account_window_get_error (window), "changed in the database"));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 777);
  {
    GtkWidget *dialog = g_object_get_data (G_OBJECT (window), "mw-conflict-dialog");

    g_assert_nonnull (dialog);
    mw_test_save_screenshot (dialog, "account-conflict");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "reload");
  }
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the reload");
  g_assert_cmpint (mw_account_window_get_account (window)->quota, ==, 777);

  /* The quota field reads what --quota and the import read (mw-size.c):
   * units and exact decimals, never strtod's hexadecimal or exponents. */
  mw_account_window_set_field (window, "quota-mib", "1.5G");
  save_and_wait (window);
  g_assert_null (mw_account_window_get_error (window));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 1610612736);
  mw_account_window_set_field (window, "quota-mib", "0x10");
  mw_account_window_set_field (window, "quota-mib", "1e3");
  mw_account_window_set_field (window, "quota-mib", "2.5");
  mw_account_window_set_field (window, "quota-mib", "nan");
  mw_account_window_set_field (window, "enabled", "yes");
  save_and_wait (window);
  g_assert_null (mw_account_window_get_error (window));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 1610612736);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT active FROM dbmail_users WHERE userid = 'alice'"), ==, 1);

  before = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'alice'");
  g_assert_cmpstr (before, ==, passwd);

  /* Delete: the question says what goes; Cancel keeps everything, Delete
   * removes the account and closes its window. */
  {
    g_autoptr(GtkWidget) watch = g_object_ref (GTK_WIDGET (window));
    GtkWidget *dialog;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.delete", NULL));
    mw_test_spin (50);
    mw_test_wait_until (has_delete_dialog, window, "the delete question");
    dialog = g_object_get_data (G_OBJECT (window), "mw-delete-dialog");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "1 user with 0 mailboxes"));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "2 aliases, 1 forward,"));
    mw_test_save_screenshot (dialog, "account-delete");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
    mw_test_spin (100);
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'alice'"), ==, 1);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.delete", NULL));
    mw_test_spin (50);
    mw_test_wait_until (has_delete_dialog, window, "the delete question");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (g_object_get_data (G_OBJECT (window), "mw-delete-dialog")),
                                 "delete");
    mw_test_wait_until (window_gone, watch, "the window to close");
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'alice'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE lower(alias) LIKE '%alice%' "
                                        "OR lower(alias) LIKE 'sales%'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'bob'"), ==, 1);
  mw_test_spin (100);

  /* Every change is in the audit log, without a password hash. */
  {
    MwAuditWindow *audit = mw_audit_window_new ();
    g_auto(GStrv) rows = NULL;
    g_autofree char *csv_path = g_build_filename (g_get_tmp_dir (), "mw-audit-export.csv", NULL);
    g_autofree char *csv = NULL;
    gboolean saw_change = FALSE, saw_alias = FALSE, saw_delete = FALSE;

    gtk_window_present (GTK_WINDOW (audit));
    mw_test_wait_until (audit_loaded, audit, "the audit log");
    rows = mw_audit_window_dup_rows (audit);
    for (guint i = 0; rows[i] != NULL; i++)
      {
        saw_change |= g_str_has_prefix (rows[i], "user.change  alice");
        saw_alias |= g_str_has_prefix (rows[i], "alias.add  Sales@example.com");
        saw_delete |= g_str_has_prefix (rows[i], "user.delete  alice");
        g_assert_null (strstr (rows[i], passwd));
      }
    g_assert_true (saw_change && saw_alias && saw_delete);
    g_assert_true (g_str_has_prefix (rows[0], "user.delete"));   /* newest first */
    mw_test_save_screenshot (GTK_WIDGET (audit), "audit-log");
    g_assert_true (mw_audit_window_export (audit, csv_path, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
    g_assert_nonnull (strstr (csv, "user.change"));
    g_assert_null (strstr (csv, passwd));
    g_unlink (csv_path);
    gtk_window_destroy (GTK_WINDOW (audit));
  }
}

static gboolean
has_close_dialog (gpointer data)
{
  return g_object_get_data (data, "mw-close-dialog") != NULL;
}

/* Closes @window as Escape and Ctrl+W do and answers the question it asks. */
static void
close_and_answer (MwAccountWindow *window,
                  const char      *response)
{
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  /* Asked at once, from the close request. */
  g_assert_true (has_close_dialog (window));
  dialog = g_object_get_data (G_OBJECT (window), "mw-close-dialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save changes to alice?");
  if (g_str_equal (response, "cancel"))
    mw_test_save_screenshot (GTK_WIDGET (dialog), "account-unsaved");
  adw_message_dialog_response (dialog, response);
  mw_test_spin (50);
}

static MwAccountWindow *
open_account (MwSession  *session,
              const char *key)
{
  MwAccountWindow *window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, key));

  /* Kept alive past the close, for window_gone(). */
  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (settled, window, "the account");
  return window;
}

/* Issue 16: a typed number counts for Save, and closing asks before
 * unsaved changes go. */
static void
test_account_unsaved (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *alice_key = NULL;
  MwAccountWindow *window;

  mw_test_db_add_user (tdb, "alice", 1, 10 << 20);
  mw_test_db_add_user (tdb, "bob", 1, 0);
  session = mw_test_connect_session (tdb);
  alice_key = account_key (session, "alice");
  window = open_account (session, alice_key);

  /* Ctrl+S with the cursor still in the Quota field saves the typed quota. */
  mw_account_window_set_field (window, "quota-typed", "60");
  save_and_wait (window);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 60 << 20);

  /* Cancel keeps the window and the change. */
  mw_account_window_set_field (window, "group", "5");
  close_and_answer (window, "cancel");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpstr (mw_account_window_get_value (window, "group"), ==, "5");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT client_idnr FROM dbmail_users WHERE userid = 'alice'"), ==, 1);

  /* Discard closes without writing. */
  close_and_answer (window, "discard");
  mw_test_wait_until (window_gone, window, "the window to close");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT client_idnr FROM dbmail_users WHERE userid = 'alice'"), ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 60 << 20);
  g_object_unref (window);

  /* A refused save keeps the window open with the reason. */
  window = open_account (session, alice_key);
  mw_account_window_set_field (window, "name", "bob");
  close_and_answer (window, "save");
  mw_test_wait_until (has_error, window, "the refusal");
  g_assert_nonnull (strstr (mw_account_window_get_error (window), "already exists"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'alice'"), ==, 1);

  /* Save writes, the quota still being typed too, and closes. */
  mw_account_window_set_field (window, "name", "alice");
  mw_account_window_set_field (window, "quota-typed", "80");
  close_and_answer (window, "save");
  mw_test_wait_until (window_gone, window, "the window to close once saved");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 80 << 20);
  g_object_unref (window);

  /* Nothing changed: it closes without a question. */
  window = open_account (session, alice_key);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  mw_test_spin (50);
  g_assert_null (g_object_get_data (G_OBJECT (window), "mw-close-dialog"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_object_unref (window);
  mw_test_spin (100);
}


/* ------------------------------------------------------------------------ */
/* Issue 16: Undo, keys, narrow                                             */
/* ------------------------------------------------------------------------ */

/* The first showing descendant of root of type (and title, for rows). */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *title)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (c))
        continue;
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type) &&
          (title == NULL || (ADW_IS_PREFERENCES_ROW (c) &&
                             g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0)))
        return c;
      if ((found = find_widget (c, type, title)) != NULL)
        return found;
    }
  return NULL;
}

/* The button labelled label under root. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0)
        return c;
      if ((found = find_button (c, label)) != NULL)
        return found;
    }
  return NULL;
}

/* The newest toast on screen (one going away may still be there):
 * libadwaita's own widget, by its CSS name. */
static GtkWidget *
find_toast (GtkWidget *root)
{
  GtkWidget *found = NULL;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *inner;

      if (g_str_equal (gtk_widget_get_css_name (c), "toast") && gtk_widget_get_mapped (c))
        found = c;
      else if ((inner = find_toast (c)) != NULL)
        found = inner;
    }
  return found;
}

/* Presses keyval with mods as the window's shortcuts see it: the shortcut
 * bound to it on the window, run as a key press runs it. */
static gboolean
press_key (GtkWidget       *window,
           guint            keyval,
           GdkModifierType  mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, mods);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                 window, gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_error ("no shortcut for %s", gtk_accelerator_name (keyval, mods));
}

static gboolean
overlaps (GtkWidget *a,
          GtkWidget *b)
{
  graphene_rect_t ra, rb;
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (a));

  g_assert_true (gtk_widget_compute_bounds (a, root, &ra));
  g_assert_true (gtk_widget_compute_bounds (b, root, &rb));
  return graphene_rect_intersection (&ra, &rb, NULL);
}

static const char *
visible_tab (MwAccountWindow *window)
{
  return adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK,
                                                                             NULL)));
}

/* The names of the account window's tabs that show, in the switcher's order. */
static GPtrArray *
visible_tab_names (MwAccountWindow *window)
{
  AdwViewStack *stack = ADW_VIEW_STACK (find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL));
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (adw_view_stack_page_get_visible (page))
        g_ptr_array_add (names, g_strdup (adw_view_stack_page_get_name (page)));
    }
  return names;
}

static gboolean
undone (gpointer data)
{
  return g_strcmp0 (mw_account_window_get_toast (data), "Changes undone") == 0;
}

/* Whether Login name has the focus with its text selected: one key would
 * replace the name. */
static gboolean
login_name_selected (MwAccountWindow *window)
{
  GtkWidget *name_row = find_widget (GTK_WIDGET (window), ADW_TYPE_ENTRY_ROW, "Login name");
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && gtk_widget_is_ancestor (focus, name_row) &&
         gtk_editable_get_selection_bounds (GTK_EDITABLE (name_row), NULL, NULL);
}

/* Issue 16: the Undo of a save and of an alias by Ctrl+Z and from the
 * toast, which stays clear of the action bar; the focus after Undo. */
static void
test_account_undo (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *alice_key = NULL;
  MwAccountWindow *window;
  GtkWidget *toast, *bar, *focus;

  mw_test_db_add_user (tdb, "alice", 1, 10 << 20);
  session = mw_test_connect_session (tdb);
  alice_key = account_key (session, "alice");
  window = open_account (session, alice_key);

  /* Saved with Ctrl+S while typing in Quota; the toast floats above the
   * action bar with Delete Account, not over it. */
  mw_account_window_set_field (window, "quota-typed", "60");
  g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_s, GDK_CONTROL_MASK));
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the save");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 60 << 20);
  mw_test_spin (100);
  toast = find_toast (GTK_WIDGET (window));
  bar = find_widget (GTK_WIDGET (window), GTK_TYPE_ACTION_BAR, NULL);
  g_assert_nonnull (toast);
  g_assert_nonnull (bar);
  g_assert_nonnull (find_widget (bar, GTK_TYPE_BUTTON, NULL));
  g_assert_false (overlaps (toast, bar));
  g_assert_false (overlaps (gtk_widget_get_parent (toast), bar));
  mw_test_save_screenshot (GTK_WIDGET (window), "account-saved-toast");

  /* Ctrl+Z puts the quota back in the database. */
  g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_z, GDK_CONTROL_MASK));
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the undo");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 10 << 20);
  g_assert_cmpstr (mw_account_window_get_toast (window), ==, "Changes undone");
  /* Nothing is offered any more: Ctrl+Z does nothing. */
  g_assert_false (press_key (GTK_WIDGET (window), GDK_KEY_z, GDK_CONTROL_MASK));

  /* The toast's Undo, reached with the keyboard: the focus goes back to the
   * Quota field, not into Login name with the name selected. */
  mw_account_window_set_field (window, "quota-typed", "70");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  save_and_wait (window);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 70 << 20);
  mw_test_spin (100);
  toast = find_toast (GTK_WIDGET (window));
  g_assert_nonnull (toast);
  {
    GtkWidget *undo = find_button (toast, "_Undo");

    g_assert_nonnull (undo);
    g_assert_true (gtk_widget_get_sensitive (undo));
    g_assert_true (gtk_widget_grab_focus (undo));
    /* A button clicks a moment after it is activated. */
    g_assert_true (gtk_widget_activate (undo));
  }
  mw_test_wait_until (undone, window, "the undo");
  mw_test_wait_until (settled, window, "the undo");
  mw_test_spin (100);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice'"), ==, 10 << 20);
  g_assert_false (login_name_selected (window));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == focus);

  /* An alias added, and taken back with Ctrl+Z. */
  mw_account_window_set_field (window, "new-alias", "sales@example.com");
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the new alias");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'sales@example.com'"), ==, 1);
  g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_z, GDK_CONTROL_MASK));
  mw_test_spin (50);
  mw_test_wait_until (settled, window, "the alias to go");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'sales@example.com'"), ==, 0);
  g_assert_false (login_name_selected (window));

  /* A new change takes the offer back: Ctrl+Z no longer undoes the save. */
  mw_account_window_set_field (window, "group", "3");
  save_and_wait (window);
  mw_account_window_set_field (window, "group", "5");
  g_assert_false (press_key (GTK_WIDGET (window), GDK_KEY_z, GDK_CONTROL_MASK));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT client_idnr FROM dbmail_users WHERE userid = 'alice'"), ==, 3);
  mw_account_window_set_field (window, "group", "3");

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  mw_test_spin (100);
}

/* Whether root or anything in it would take the focus by Tab. */
static gboolean
has_focusable (GtkWidget *root)
{
  if (gtk_widget_get_focusable (root) && gtk_widget_get_visible (root) && gtk_widget_get_sensitive (root))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_focusable (c))
      return TRUE;
  return FALSE;
}

static gboolean
has_selectable_label (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && gtk_label_get_selectable (GTK_LABEL (root)))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_selectable_label (c))
      return TRUE;
  return FALSE;
}

/* Whether the shortcuts window lists accel (with title, unless NULL). */
static gboolean
has_shortcut (GtkWidget  *root,
              const char *title,
              const char *accel)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (root))
    {
      g_autofree char *t = NULL;
      g_autofree char *a = NULL;

      g_object_get (root, "title", &t, "accelerator", &a, NULL);
      if ((title == NULL || g_strcmp0 (t, title) == 0) && g_strcmp0 (a, accel) == 0)
        return TRUE;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_shortcut (c, title, accel))
      return TRUE;
  return FALSE;
}

/* Issue 16: the keyboard: read-only rows are no Tab stops; Alt+1, Alt+2
 * and Ctrl+Page Up/Down switch the tabs. */
static void
test_account_keys (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *alice_key = NULL;
  static const char *const read_only[] = { "User number", "Mail used", "Last login", "Current password" };
  MwAccountWindow *window;

  mw_test_db_add_user (tdb, "alice", 1, 10 << 20);
  session = mw_test_connect_session (tdb);
  alice_key = account_key (session, "alice");
  window = open_account (session, alice_key);

  /* No Tab stop on a read-only row or on its value (still selectable for
   * copying), while the fields are. */
  for (guint k = 0; k < G_N_ELEMENTS (read_only); k++)
    {
      GtkWidget *row = find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, read_only[k]);

      g_assert_nonnull (row);
      g_assert_false (gtk_widget_get_focusable (row));
      g_assert_false (has_focusable (row));
      g_assert_true (has_selectable_label (row));
    }
  g_assert_true (has_focusable (find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Quota")));

  /* The tabs by key. */
  g_assert_cmpstr (visible_tab (window), ==, "overview");
  g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_2, GDK_ALT_MASK));
  g_assert_cmpstr (visible_tab (window), ==, "mail");
  mw_test_spin (200);
  g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_1, GDK_ALT_MASK));
  g_assert_cmpstr (visible_tab (window), ==, "overview");
  /* Ctrl+Page Down walks every tab the account has (DBMail: Account, Mail,
   * Sharing, Replies, Rules) in the order the switcher shows them and comes
   * round to the first; Ctrl+Page Up from the first goes to the last. */
  {
    g_autoptr(GPtrArray) names = visible_tab_names (window);

    g_assert_cmpuint (names->len, >=, 2);
    g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "overview");
    g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "mail");
    for (guint i = 1; i <= names->len; i++)
      {
        g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_Page_Down, GDK_CONTROL_MASK));
        g_assert_cmpstr (visible_tab (window), ==, g_ptr_array_index (names, i % names->len));
      }
    g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_Page_Up, GDK_CONTROL_MASK));
    g_assert_cmpstr (visible_tab (window), ==, g_ptr_array_index (names, names->len - 1));
    /* Alt+N is the Nth tab, every one of them (not only Account and Mail). */
    g_assert_cmpuint (names->len, >=, 5);
    for (guint i = 0; i < names->len && i < 9; i++)
      {
        g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_1 + i, GDK_ALT_MASK));
        g_assert_cmpstr (visible_tab (window), ==, g_ptr_array_index (names, i));
      }
    g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_2, GDK_ALT_MASK));
    g_assert_cmpstr (visible_tab (window), ==, "mail");
  }
  mw_test_spin (200);

  /* Ctrl+? lists them, with Ctrl+Z and the Mail tab's Ctrl+F. */
  g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_question, GDK_CONTROL_MASK));
  mw_test_spin (100);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWidget *shortcuts = NULL;
    gboolean saw_mail = FALSE, saw_undo = FALSE, saw_search = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

        if (GTK_IS_SHORTCUTS_WINDOW (w) && gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (window))
          shortcuts = w;
      }
    g_assert_nonnull (shortcuts);
    saw_mail = has_shortcut (shortcuts, "Mail tab", "<Alt>2");
    saw_undo = has_shortcut (shortcuts, NULL, "<Primary>z");
    saw_search = has_shortcut (shortcuts, "Search the messages (Mail tab)", "<Primary>f");
    g_assert_true (saw_mail && saw_undo && saw_search);
    mw_test_save_screenshot (shortcuts, "account-shortcuts");
    gtk_window_destroy (GTK_WINDOW (shortcuts));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  mw_test_spin (100);
}

static gboolean
switcher_bar_shown (gpointer data)
{
  GtkWidget *bar = find_widget (data, ADW_TYPE_VIEW_SWITCHER_BAR, NULL);

  return bar != NULL && gtk_widget_get_mapped (bar);
}

static gboolean
mail_shown (gpointer data)
{
  return g_strcmp0 (visible_tab (data), "mail") == 0;
}

/* Issue 16: the admin's words: what the group does, what the security
 * password does, how the password is stored, the last login's date. */
static void
test_account_words (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *alice_key = NULL;
  g_autofree char *login = NULL;
  MwAccountWindow *window;
  GtkWidget *row;

  mw_test_db_add_user (tdb, "alice", 1, 10 << 20);
  mw_test_db_exec (tdb, "UPDATE dbmail_users SET last_login = '2025-01-20 14:05:33', saction = 1 "
                        "WHERE userid = 'alice'");
  session = mw_test_connect_session (tdb);
  alice_key = account_key (session, "alice");
  window = open_account (session, alice_key);

  row = find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Group");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Moving to another group moves the aliases too");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "client ID"));

  /* The security action in words, the number and DBMail's term in a tooltip. */
  row = find_widget (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "When the security password is used");
  g_assert_nonnull (row);
  g_assert_cmpstr (mw_account_window_get_value (window, "security-action"), ==, "Delete all mail");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "saction 1"));
  /* No numbers to decode under the title any more. */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "");
  mw_account_window_set_field (window, "security-action", "3");
  g_assert_cmpstr (mw_account_window_get_value (window, "security-action"), ==, "Delete by a server rule");
  g_assert_nonnull (find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Server rule number"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_widget (find_widget (GTK_WIDGET (window),
                                                                                  ADW_TYPE_ACTION_ROW,
                                                                                  "Server rule number"),
                                                                     GTK_TYPE_SPIN_BUTTON, NULL))), ==, "3");
  save_and_wait (window);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT saction FROM dbmail_users WHERE userid = 'alice'"), ==, 3);
  g_assert_cmpstr (mw_account_window_get_value (window, "security-action"), ==, "Delete by a server rule");
  mw_account_window_set_field (window, "security-action", "0");
  g_assert_cmpstr (mw_account_window_get_value (window, "security-action"), ==, "Log in as usual");
  g_assert_null (find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Server rule number"));
  save_and_wait (window);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT saction FROM dbmail_users WHERE userid = 'alice'"), ==, 0);

  /* The current password's form and the new one's: one is not the other. */
  g_assert_nonnull (find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Current password"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Store the new password as"));
  g_assert_cmpstr (mw_account_window_get_value (window, "hash"), ==, "Plain text (not hashed)");
  mw_account_window_set_field (window, "password", "Tr0ub4dor & 3");
  save_and_wait (window);
  g_assert_cmpstr (mw_account_window_get_value (window, "hash"), ==, "SHA-512-crypt");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW,
                                                                      "Current password")), "crypt"));

  /* The last login in the one date form of every window. */
  login = mw_format_date_time (mw_account_window_get_account (window)->last_login);
  g_assert_cmpstr (mw_account_window_get_value (window, "login"), ==, login);
  g_assert_true (g_str_has_prefix (login, "2025-01-20"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  mw_test_spin (100);
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_DEFAULT);
}

/* Issue 16: a narrow window (360 px) shows the switcher at the bottom, so
 * Mail can be reached; screenshots at the default size and narrow. */
static void
test_account_narrow (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *alice_key = NULL;
  const char *flavour = g_str_has_prefix (g_test_get_path (), "/pg") ? "pg" : "mysql";
  MwAccountWindow *window;
  GtkWidget *bar;

  mw_test_db_add_user (tdb, "alice", 1, 10 << 20);
  mw_test_db_exec (tdb, "UPDATE dbmail_users SET last_login = '2025-01-20 14:05:33', saction = 1 "
                        "WHERE userid = 'alice'");
  session = mw_test_connect_session (tdb);
  alice_key = account_key (session, "alice");

  /* At the default size the switcher is in the header bar. */
  window = open_account (session, alice_key);
  mw_test_spin (200);
  bar = find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR, NULL);
  g_assert_true (bar == NULL || !gtk_widget_get_mapped (bar));
  if (g_str_equal (flavour, "pg"))
    {
      mw_test_save_screenshot (GTK_WIDGET (window), "account-default");
      set_dark (TRUE);
      mw_test_spin (100);
      mw_test_save_screenshot (GTK_WIDGET (window), "account-default-dark");
      set_dark (FALSE);
      /* Further down: the passwords and the security action. */
      gtk_widget_grab_focus (find_widget (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "When the security password is used"));
      mw_test_spin (300);
      mw_test_save_screenshot (GTK_WIDGET (window), "account-default-passwords");
      set_dark (TRUE);
      mw_test_spin (100);
      mw_test_save_screenshot (GTK_WIDGET (window), "account-default-passwords-dark");
      set_dark (FALSE);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  mw_test_spin (100);

  /* At 360 px it is at the bottom, and takes the person to Mail. */
  window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, alice_key));
  g_object_ref (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (settled, window, "the account");
  mw_test_spin (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  /* The header's switcher turns into the title once the window is laid
   * out narrow; then the bar shows. */
  mw_test_wait_until (switcher_bar_shown, window, "the switcher bar");
  bar = find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR, NULL);
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
  g_assert_true (gtk_widget_get_mapped (bar));
  {
    GtkWidget *mail = NULL;

    for (GtkWidget *b = find_widget (bar, GTK_TYPE_TOGGLE_BUTTON, NULL); b != NULL; b = gtk_widget_get_next_sibling (b))
      if (GTK_IS_TOGGLE_BUTTON (b) && find_widget (b, GTK_TYPE_LABEL, NULL) != NULL &&
          g_strcmp0 (gtk_label_get_label (GTK_LABEL (find_widget (b, GTK_TYPE_LABEL, NULL))), "Mail") == 0)
        mail = b;
    g_assert_nonnull (mail);
    if (g_str_equal (flavour, "pg"))
      {
        mw_test_save_screenshot (GTK_WIDGET (window), "account-narrow");
        set_dark (TRUE);
        mw_test_spin (100);
        mw_test_save_screenshot (GTK_WIDGET (window), "account-narrow-dark");
        set_dark (FALSE);
      }
    /* A button clicks a moment after it is activated. */
    gtk_widget_activate (mail);
    mw_test_wait_until (mail_shown, window, "the Mail tab");
    mw_test_spin (300);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  mw_test_spin (100);
}

static gboolean
group_dialog_shown (gpointer data)
{
  return mw_group_actions_get_dialog (data) != NULL;
}

static gboolean
group_result (gpointer data)
{
  return mw_group_actions_get_result (data) != NULL;
}

/* A whole group: a new domain for every user, then the group deleted. */
static void
test_group_actions (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  AdwMessageDialog *dialog;
  MwWindow *window;

  mw_test_db_add_user (tdb, "alice", 7, 0);
  mw_test_db_add_user (tdb, "bob", 7, 0);
  mw_test_db_add_user (tdb, "carol", 8, 0);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.group-add-domain", "x", (gint64) 7));
  mw_test_wait_until (group_dialog_shown, window, "the domain question");
  dialog = mw_group_actions_get_dialog (GTK_WINDOW (window));
  gtk_editable_set_text (g_object_get_data (G_OBJECT (adw_message_dialog_get_extra_child (dialog)), "mw-domain-entry"),
                         "Bücher.example");
  adw_message_dialog_response (dialog, "preview");
  mw_test_wait_until (group_dialog_shown, window, "the preview");
  dialog = mw_group_actions_get_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Add 2 Aliases?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "alice@bücher.example"));
  mw_test_save_screenshot (GTK_WIDGET (dialog), "group-add-domain");
  /* The preview wrote nothing. */
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE alias LIKE '%xn--bcher-kva%'"), ==, 0);
  adw_message_dialog_response (dialog, "apply");
  mw_test_wait_until (group_result, window, "the new aliases");
  g_assert_cmpstr (mw_group_actions_get_result (GTK_WINDOW (window)), ==, "Added 2 aliases at bücher.example");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE alias LIKE '%@xn--bcher-kva.example' "
                                        "AND client_idnr = 7"), ==, 2);

  /* From the menu, the group is asked for first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.group-delete", "x", (gint64) -1));
  mw_test_wait_until (group_dialog_shown, window, "the group question");
  dialog = mw_group_actions_get_dialog (GTK_WINDOW (window));
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (adw_message_dialog_get_extra_child (dialog)), "mw-group-spin"), 7);
  adw_message_dialog_response (dialog, "next");
  mw_test_wait_until (group_dialog_shown, window, "the delete question");
  dialog = mw_group_actions_get_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete Group 7?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "2 users with 0 mailboxes"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "4 aliases"));
  mw_test_save_screenshot (GTK_WIDGET (dialog), "group-delete");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE client_idnr = 7"), ==, 2);
  adw_message_dialog_response (dialog, "apply");
  mw_test_wait_until (group_result, window, "the deletion");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE client_idnr = 7"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'carol'"), ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases"), ==, 1);

  /* An empty group says so, and nothing is asked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.group-delete", "x", (gint64) 7));
  mw_test_wait_until (group_dialog_shown, window, "the refusal");
  dialog = mw_group_actions_get_dialog (GTK_WINDOW (window));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "has no users"));
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

static gboolean
dialog_idle (gpointer data)
{
  return !mw_alias_dialog_is_busy (data);
}

static gboolean
weak_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Add an alias and a forward from the main window, as the "+" menu does. */
static void
test_alias_dialogs (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *sql = NULL;
  MwAliasDialog *dialog;
  MwWindow *window;
  gpointer weak = NULL;
  gint64 bob;

  mw_test_db_add_user (tdb, "alice", 1, 0);
  bob = mw_test_db_add_user (tdb, "bob", 2, 0);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-alias", NULL));
  dialog = g_object_get_data (G_OBJECT (window), "mw-alias-dialog");
  g_assert_nonnull (dialog);

  /* A taken address, then a user who does not exist: each said under its field. */
  mw_alias_dialog_set_field (dialog, "address", "ALICE@example.org");
  mw_alias_dialog_set_field (dialog, "target", "bob");
  mw_alias_dialog_add (dialog);
  mw_test_wait_until (dialog_idle, dialog, "the refusal");
  g_assert_nonnull (strstr (mw_alias_dialog_get_error (dialog, "address"), "already delivers to the user “alice”"));
  mw_alias_dialog_set_field (dialog, "address", "team@example.org");
  mw_alias_dialog_set_field (dialog, "target", "nobody-at-all");
  mw_alias_dialog_add (dialog);
  mw_test_wait_until (dialog_idle, dialog, "the refusal");
  g_assert_null (mw_alias_dialog_get_error (dialog, "address"));
  g_assert_nonnull (strstr (mw_alias_dialog_get_error (dialog, "target"), "Nothing matches"));
  mw_test_save_screenshot (GTK_WIDGET (dialog), "add-alias-error");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'team@example.org'"), ==, 0);

  g_set_weak_pointer (&weak, dialog);
  mw_alias_dialog_set_field (dialog, "target", "bob@example.org");
  mw_alias_dialog_add (dialog);
  mw_test_wait_until (weak_gone, &weak, "the dialog to close");
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = 'team@example.org' AND deliver_to = '%"
                         G_GINT64_FORMAT "' AND client_idnr = 2", bob);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);

  /* A forward into a program. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-forward", NULL));
  dialog = g_object_get_data (G_OBJECT (window), "mw-alias-dialog");
  mw_alias_dialog_set_field (dialog, "address", "team@example.org");
  mw_alias_dialog_set_field (dialog, "target", "|/usr/bin/vacation bob");
  mw_test_save_screenshot (GTK_WIDGET (dialog), "add-forward");
  g_set_weak_pointer (&weak, dialog);
  mw_alias_dialog_add (dialog);
  mw_test_wait_until (weak_gone, &weak, "the dialog to close");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'team@example.org' "
                                        "AND deliver_to = '|/usr/bin/vacation bob'"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

static gboolean
address_idle (gpointer data)
{
  return !mw_address_window_is_busy (data);
}

static void
address_apply (MwAddressWindow *window,
               const char      *op,
               const char      *target,
               const char      *value)
{
  mw_address_window_apply (window, op, target, value);
  mw_test_wait_until (address_idle, window, op);
  g_assert_null (mw_address_window_get_error (window));
}

/* An address that is not a user's: its forwards changed, made an alias,
 * removed and brought back. */
static void
test_address_window (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *sql = NULL;
  MwAddressWindow *address;
  MwWindow *window;
  gint64 alice, bob;

  alice = mw_test_db_add_user (tdb, "alice", 1, 0);
  bob = mw_test_db_add_user (tdb, "bob", 2, 0);
  mw_test_db_add_alias (tdb, "sales@example.com", "|/usr/bin/procmail", 0);
  mw_test_db_add_alias (tdb, "sales@example.com", "x@partner.example", 0);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));

  address = MW_ADDRESS_WINDOW (mw_window_open_address (window, "sales@example.com"));
  mw_test_wait_until (address_idle, address, "the address");
  {
    g_auto(GStrv) rows = mw_address_window_dup_rows (address);

    g_assert_cmpuint (g_strv_length (rows), ==, 2);
    g_assert_true (g_strv_contains ((const char *const *) rows, "|/usr/bin/procmail | forward"));
  }
  mw_test_save_screenshot (GTK_WIDGET (address), "address-window");

  address_apply (address, "retarget", "x@partner.example", "Y@Partner.EXAMPLE");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE deliver_to = 'Y@partner.example'"), ==, 1);

  address_apply (address, "to-alias", "|/usr/bin/procmail", "alice");
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = 'sales@example.com' AND deliver_to = '%"
                         G_GINT64_FORMAT "' AND client_idnr = 1", alice);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);

  address_apply (address, "delete", "Y@partner.example", NULL);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE deliver_to = 'Y@partner.example'"), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (address), "address.restore", "s", "Y@partner.example"));
  mw_test_spin (50);
  mw_test_wait_until (address_idle, address, "the undo");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE deliver_to = 'Y@partner.example'"), ==, 1);

  /* The alias row moves to bob, with his group. */
  {
    g_autofree char *alice_text = g_strdup_printf ("%" G_GINT64_FORMAT, alice);

    address_apply (address, "move", alice_text, "bob");
  }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = 'sales@example.com' AND deliver_to = '%"
                         G_GINT64_FORMAT "' AND client_idnr = 2", bob);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);

  /* A target whose domain could pass for another (a Cyrillic "а" in
   * "аpple.com") is stored, with the warning shown. */
  mw_address_window_apply (address, "retarget", "Y@partner.example", "y@\u0430pple.com");
  mw_test_wait_until (address_idle, address, "the look-alike target");
  g_assert_nonnull (mw_address_window_get_error (address));
  g_assert_nonnull (strstr (mw_address_window_get_error (address), "Cyrillic"));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE deliver_to = 'y@xn--pple-43d.com'"),
                   ==, 1);
  mw_test_save_screenshot (GTK_WIDGET (address), "address-window-lookalike");

  /* A forward that would loop is refused with its sentence. */
  mw_address_window_apply (address, "add-forward", NULL, "SALES@example.com");
  mw_test_wait_until (address_idle, address, "the refusal");
  g_assert_nonnull (strstr (mw_address_window_get_error (address), "forward to itself"));
  mw_test_save_screenshot (GTK_WIDGET (address), "address-window-error");

  gtk_window_destroy (GTK_WINDOW (address));
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

/* An alias whose user is gone is still an alias: shown under the users it
 * delivers to, as a user who does not exist, and moved like any alias. */
static void
test_address_window_gone_user (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *sql = NULL;
  MwAddressWindow *address;
  MwWindow *window;
  gint64 bob;

  mw_test_db_add_user (tdb, "alice", 1, 0);
  bob = mw_test_db_add_user (tdb, "bob", 2, 0);
  mw_test_db_add_alias (tdb, "old@example.com", "999999", 1);
  mw_test_db_add_alias (tdb, "old@example.com", "x@partner.example", 0);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));

  address = MW_ADDRESS_WINDOW (mw_window_open_address (window, "old@example.com"));
  mw_test_wait_until (address_idle, address, "the address");
  {
    g_auto(GStrv) rows = mw_address_window_dup_rows (address);

    g_assert_cmpuint (g_strv_length (rows), ==, 2);
    g_assert_true (g_strv_contains ((const char *const *) rows, "999999 | user"));
    g_assert_true (g_strv_contains ((const char *const *) rows, "x@partner.example | forward"));
  }
  mw_test_save_screenshot (GTK_WIDGET (address), "address-window-gone-user");

  address_apply (address, "move", "999999", "bob");
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = 'old@example.com' AND deliver_to = '%"
                         G_GINT64_FORMAT "' AND client_idnr = 2", bob);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE deliver_to = '999999'"), ==, 0);

  gtk_window_destroy (GTK_WINDOW (address));
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
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

  mw_test_add_both ("/gui/account-edit", test_account_edit);
  mw_test_add_both ("/gui/account-unsaved", test_account_unsaved);
  mw_test_add_both ("/gui/account-undo", test_account_undo);
  mw_test_add_both ("/gui/account-keys", test_account_keys);
  mw_test_add_both ("/gui/account-narrow", test_account_narrow);
  mw_test_add_both ("/gui/account-words", test_account_words);
  mw_test_add_both ("/gui/group-actions", test_group_actions);
  mw_test_add_both ("/gui/alias-dialogs", test_alias_dialogs);
  mw_test_add_both ("/gui/address-window", test_address_window);
  mw_test_add_both ("/gui/address-window-gone-user", test_address_window_gone_user);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
