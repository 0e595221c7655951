/* a11y-account.c: screen-reader names of the account window (see test-gui-a11y.c).
 *
 * The Account tab (with its Login Maps group, rows in the table), the
 * Replies tab (a notification and an automatic reply stored) and the
 * window's frame: the Mail tab is the mail page's (a11y-mail.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-account-window.h"
#include "mw-account-window-replies.h"
#include "mw-account-window-usermap.h"
#include "test-gui-a11y.h"

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

static gboolean
settled (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static gboolean
usermap_idle (gpointer data)
{
  return !mw_account_usermap_is_busy (data);
}

static gboolean
replies_idle (gpointer data)
{
  return !mw_account_replies_is_busy (data);
}

static gboolean
weak_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* The window of the account called name, shown at width and loaded. */
static MwAccountWindow *
open_account (MwSession  *session,
              const char *name,
              int         width)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  MwAccountWindow *window;

  mw_session_resolve_account_async (session, name, NULL, on_result_cb, &res);
  mw_test_wait_until (result_arrived, &res, "the account's key");
  key = mw_session_resolve_account_finish (session, res, &error);
  g_assert_no_error (error);
  window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, key));
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, 700);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (settled, window, "the account");
  mw_test_spin (300);
  return window;
}

static void
close_account (MwAccountWindow *window)
{
  gpointer weak = NULL;

  g_set_weak_pointer (&weak, window);
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_wait_until (weak_gone, &weak, "the window to go");
  mw_test_spin (50);
}

/* unnamed less the lines of the Mail tab's page, which GTK 4.8 reports
 * even while it is not shown: the mail page is a11y-mail.c's. */
static char *
drop_mail_page (const char *unnamed,
                const char *dump)
{
  g_auto(GStrv) lines = g_strsplit (unnamed, "\n", -1);
  g_auto(GStrv) tree = g_strsplit (dump, "\n", -1);
  GString *kept = g_string_new (NULL);
  gssize mail_depth = -1;

  for (guint i = 0; tree[i] != NULL; i++)
    {
      const char *text = tree[i] + strspn (tree[i], " ");
      gssize depth = text - tree[i];

      if (mail_depth >= 0 && depth <= mail_depth)
        mail_depth = -1;
      if (mail_depth < 0 && g_str_has_prefix (text, "filler\tMwMailPage\t"))
        mail_depth = depth;
      if (mail_depth < 0)
        continue;
      /* One line of the page: one of unnamed's lines, if it is there. */
      for (guint j = 0; lines[j] != NULL; j++)
        if (g_str_equal (lines[j], text))
          {
            lines[j][0] = '\0';
            break;
          }
    }
  for (guint j = 0; lines[j] != NULL; j++)
    if (lines[j][0] != '\0')
      g_string_append_printf (kept, "%s\n", lines[j]);
  return g_string_free (kept, FALSE);
}

/* Asserts that every interactive object of the Account tab and the frame
 * has a name; MW_A11Y_SHOW_DUMP=1 logs the whole tree. Returns the dump. */
static char *
assert_all_named (GtkWindow *window)
{
  g_autofree char *all = mw_test_a11y_unnamed (window);
  char *dump = mw_test_a11y_dump (window);
  g_autofree char *unnamed = drop_mail_page (all, dump);

  if (g_getenv ("MW_A11Y_SHOW_DUMP") != NULL)
    g_test_message ("%s:\n%s", gtk_window_get_title (window), dump);
  g_assert_cmpstr (unnamed, ==, "");
  return dump;
}

/* The Account tab with an alias, a forward, a security action with a rule
 * number and login maps, then the Replies tab with a notification and an
 * automatic reply, at the default size, or at 360 px (narrow: the switcher
 * at the bottom). */
static void
check_account_window (gconstpointer data,
                      int           width)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *dump = NULL;
  MwAccountWindow *window;

  mw_test_db_add_user (tdb, "alice", 1, 10 << 20);
  mw_test_db_add_alias (tdb, "alice@example.org", "elsewhere@example.net", 0);
  mw_test_db_exec (tdb, "UPDATE dbmail_users SET saction = 3 WHERE userid = 'alice'");
  /* The login-map table is in the test database (DBMail's full schema): rows in it. */
  mw_test_db_exec (tdb, "INSERT INTO dbmail_usermap (login, sock_allow, sock_deny, userid) VALUES "
                        "('bal', '', 'inet:192.0.2.10:110', 'alice'), ('ANY', '', '', '%s')");
  mw_test_db_exec (tdb, "INSERT INTO dbmail_auto_notifications (user_idnr, notify_address) "
                        "SELECT user_idnr, 'pager@example.org' FROM dbmail_users WHERE userid = 'alice'");
  mw_test_db_exec (tdb, "INSERT INTO dbmail_auto_replies (user_idnr, start_date, stop_date, reply_body) "
                        "SELECT user_idnr, '2031-03-01 00:00:00', '2031-03-15 18:00:00', 'Back on Monday.' "
                        "FROM dbmail_users WHERE userid = 'alice'");
  session = mw_test_connect_session (tdb);

  window = open_account (session, "alice", width);
  g_assert_nonnull (mw_account_window_get_usermap (window));
  mw_test_wait_until (usermap_idle, mw_account_window_get_usermap (window), "the login maps");
  mw_test_spin (100);
  {
    g_autofree char *rows = mw_account_usermap_dup_rows (mw_account_window_get_usermap (window));

    g_assert_cmpstr (rows, ==, "ANY|||%s\nbal||inet:192.0.2.10:110|alice\n");
  }
  dump = assert_all_named (GTK_WINDOW (window));
  /* The fields are read by their rows' titles. */
  g_assert_nonnull (strstr (dump, "spin-button\tGroup\t"));
  g_assert_nonnull (strstr (dump, "spin-button\tQuota\t"));
  g_assert_nonnull (strstr (dump, "spin-button\tServer rule number\t"));
  g_assert_nonnull (strstr (dump, "page-tab-list\tAccount tabs\t"));
  /* The Login Maps group was in the dump: its list and each row's buttons. */
  g_assert_nonnull (strstr (dump, "list\tLogin Maps\t"));
  g_assert_nonnull (strstr (dump, "push-button\tChange the login map of bal\t"));
  g_assert_nonnull (strstr (dump, "push-button\tDelete the login map of ANY\t"));
  g_clear_pointer (&dump, g_free);

  /* The Replies tab, loaded. */
  g_assert_nonnull (mw_account_window_get_replies (window));
  mw_test_wait_until (replies_idle, mw_account_window_get_replies (window), "the replies");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.show-page", "s", "replies"));
  mw_test_spin (300);
  {
    g_autofree char *body = mw_account_replies_dup_field (mw_account_window_get_replies (window), "body");

    g_assert_cmpstr (body, ==, "Back on Monday.");
  }
  dump = assert_all_named (GTK_WINDOW (window));
  /* Its fields read by their titles, the text by its label. */
  g_assert_nonnull (strstr (dump, "text\tNotification address\t"));
  g_assert_nonnull (strstr (dump, "check-box\tReply automatically\t"));
  g_assert_nonnull (strstr (dump, "text\tText of the reply\t"));
  g_assert_nonnull (strstr (dump, "text\tStop\t"));
  close_account (window);
}

static void
test_account_window (gconstpointer data)
{
  check_account_window (data, 0);
}

static void
test_account_window_narrow (gconstpointer data)
{
  check_account_window (data, 360);
}

void
mw_a11y_add_account_tests (void)
{
  mw_test_add_both ("/a11y/account-window", test_account_window);
  mw_test_add_both ("/a11y/account-window-narrow", test_account_window_narrow);
}
