/* a11y-mail.c: screen-reader names of the Mail tab and the message window (see test-gui-a11y.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-account-window.h"
#include "mw-async-wait.h"
#include "mw-dbmail-store.h"
#include "mw-mail-page.h"
#include "mw-message-window.h"
#include "mw-test-db.h"
#include "test-gui-a11y.h"



static gboolean
account_ready (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static gboolean
page_idle (gpointer data)
{
  return !mw_mail_page_is_busy (data);
}

static gboolean
message_loaded (gpointer data)
{
  return !mw_message_window_is_loading (data);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
deliver (MwTestDb   *tdb,
         gint64      mailbox,
         const char *raw,
         int         status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (raw, strlen (raw));

  mw_message_store_deliver (tdb->db, mailbox, bytes, status, NULL, &error);
  g_assert_no_error (error);
}

static gint64
add_mailbox (MwTestDb   *tdb,
             gint64      owner,
             const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT
                                          ", '%s')", owner, name);

  mw_test_db_exec (tdb, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT
                         " AND name = '%s'", owner, name);
  return mw_test_db_int (tdb, sql);
}

/* The dump's line for the first table row whose name contains text, or NULL. */
static char *
find_row_line (const char *dump,
               const char *text)
{
  g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i] + strspn (lines[i], " ");

      if ((g_str_has_prefix (line, "table-row\t") || g_str_has_prefix (line, "row\t")) && strstr (line, text) != NULL)
        return g_strdup (line);
    }
  return NULL;
}

/* alice's account window on its Mail tab (her mailboxes, a public folder,
 * a deleted message), then a deleted message's window: every interactive
 * widget of both windows has a name, and a message row is read by what it
 * shows. */
static void
test_mail (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alice_key = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *unnamed = NULL;
  g_autofree char *line = NULL;
  MwAccountWindow *window;
  MwMailPage *page;
  gint64 alice, inbox, pub, anyone, news;

  alice = mw_test_db_add_user (tdb, "alice", 1, 0);
  inbox = add_mailbox (tdb, alice, "INBOX");
  add_mailbox (tdb, alice, "Archive");
  deliver (tdb, inbox, "From: Bob <bob@example.org>\nTo: alice@example.org\nSubject: Hello\n"
                       "Date: Mon, 01 Dec 2025 10:00:00 +0100\n\nJust saying hello.\n", 0);
  deliver (tdb, inbox, "From: Legal <legal@partner.example>\nTo: alice@example.org\nSubject: Important contract\n"
                       "Date: Tue, 02 Dec 2025 09:00:00 +0100\n\nPlease sign.\n", 2);
  sql = g_strdup_printf ("UPDATE dbmail_messages SET seen_flag = 1 WHERE mailbox_idnr = %" G_GINT64_FORMAT, inbox);
  mw_test_db_exec (tdb, sql);
  pub = mw_test_db_int (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = '__public__'");
  anyone = mw_test_db_int (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = 'anyone'");
  news = add_mailbox (tdb, pub, "News");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO dbmail_acl (user_id, mailbox_id, lookup_flag, read_flag) VALUES (%"
                         G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 1, 1)", anyone, news);
  mw_test_db_exec (tdb, sql);

  session = mw_test_connect_session (tdb);
  mw_session_resolve_account_async (session, "alice", NULL, mw_async_wait_ready, &res);
  mw_test_wait_until (result_arrived, &res, "the account's key");
  alice_key = mw_session_resolve_account_finish (session, res, &error);
  g_assert_no_error (error);

  window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, alice_key));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (account_ready, window, "the account");
  page = mw_account_window_show_mail (window);
  mw_test_spin (50);
  mw_test_wait_until (page_idle, page, "the mail");
  mw_test_spin (300);

  dump = mw_test_a11y_dump (GTK_WINDOW (window));
  g_test_message ("%s", dump);
  /* The list, the table and the search field by their names. */
  g_assert_nonnull (strstr (dump, "\tMailboxes\t"));
  g_assert_nonnull (strstr (dump, "\tMessages\t"));
  g_assert_nonnull (strstr (dump, "\tSearch messages\t"));
  /* GTK 4.8 tables have no column headers for a screen reader: the row
   * says what it shows, flags in words. */
  line = find_row_line (dump, "Hello");
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "from Bob <bob@example.org>"));
  g_assert_nonnull (strstr (line, "Seen"));
  unnamed = mw_test_a11y_unnamed (GTK_WINDOW (window));
  g_assert_cmpstr (unnamed, ==, "");

  /* The deleted messages, then the message window with its banner and Undelete. */
  mw_mail_page_show (page, NULL, "deleted", NULL);
  mw_test_wait_until (page_idle, page, "the deleted messages");
  mw_test_spin (200);
  g_clear_pointer (&dump, g_free);
  dump = mw_test_a11y_dump (GTK_WINDOW (window));
  g_clear_pointer (&unnamed, g_free);
  unnamed = mw_test_a11y_unnamed (GTK_WINDOW (window));
  g_assert_cmpstr (unnamed, ==, "");
  g_clear_pointer (&line, g_free);
  line = find_row_line (dump, "Important contract");
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "Deleted"));
  {
    GtkWindow *message = mw_mail_page_open_message (page, 0);

    g_assert_nonnull (message);
    mw_test_wait_until (message_loaded, message, "the message");
    g_assert_nonnull (mw_message_window_get_banner (MW_MESSAGE_WINDOW (message)));
    mw_test_spin (300);
    g_clear_pointer (&dump, g_free);
    dump = mw_test_a11y_dump (message);
    g_test_message ("%s", dump);
    g_assert_nonnull (strstr (dump, "Undelete"));
    g_clear_pointer (&unnamed, g_free);
    unnamed = mw_test_a11y_unnamed (message);
    g_assert_cmpstr (unnamed, ==, "");
    gtk_window_destroy (message);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);

  /* Narrow: the mailboxes folded away behind a back button. */
  window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, alice_key));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (account_ready, window, "the account, narrow");
  page = mw_account_window_show_mail (window);
  mw_test_spin (50);
  mw_test_wait_until (page_idle, page, "the mail, narrow");
  mw_test_spin (300);
  g_clear_pointer (&dump, g_free);
  dump = mw_test_a11y_dump (GTK_WINDOW (window));
  g_assert_nonnull (strstr (dump, "\tBack to the mailboxes\t"));
  g_clear_pointer (&unnamed, g_free);
  unnamed = mw_test_a11y_unnamed (GTK_WINDOW (window));
  g_assert_cmpstr (unnamed, ==, "");
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

void
mw_a11y_add_mail_tests (void)
{
  mw_test_add_both ("/a11y/mail", test_mail);
}
