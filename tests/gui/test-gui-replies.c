/* test-gui-replies.c: DBMail's automatic notification and reply in the
 * account window's Replies tab: what is stored shown with the warning under
 * the dates (never sent, in effect always) and the note that the server
 * must enable them; a save that the core reads back; dates in the wrong
 * order and a bad address refused on screen with nothing changed; both
 * cleared; Undo in the Saved toast puts back the rows as they were before
 * the save; closing with an edit asks, Discard writes nothing, Save writes.
 * Light and dark screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-account-window-replies.h"
#include "mw-application.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"

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

/* What the core reads: "notify|start|stop|body", empty parts for none. */
static char *
stored (MwSession  *session,
        const char *key)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReplies) r = NULL;

  mw_session_get_replies_async (session, key, NULL, on_result_cb, &res);
  mw_test_wait_until (result_arrived, &res, "the replies");
  r = mw_session_get_replies_finish (session, res, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("%s|%s|%s|%s", r->notification != NULL ? r->notification : "",
                          r->auto_reply != NULL ? r->auto_reply->start : "",
                          r->auto_reply != NULL ? r->auto_reply->stop : "",
                          r->auto_reply != NULL ? r->auto_reply->body : "");
}

static gboolean
account_settled (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static gboolean
replies_idle (gpointer data)
{
  return !mw_account_replies_is_busy (data);
}

static void
save (MwAccountReplies *replies)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (replies), "replies.save", NULL));
  mw_test_spin (20);
  mw_test_wait_until (replies_idle, replies, "the save");
}

static gboolean
weak_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static MwAccountWindow *
open_window (MwSession  *session,
             const char *key)
{
  MwAccountWindow *window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, key));
  MwAccountReplies *replies;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 1000);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (account_settled, window, "the account");
  replies = mw_account_window_get_replies (window);
  g_assert_nonnull (replies);
  mw_test_wait_until (replies_idle, replies, "the replies");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.show-page", "s", "replies"));
  mw_test_spin (50);
  return window;
}

/* Closes window as its close button does, answers the question about the
 * unsaved edits with response (a screenshot first when shot is not NULL),
 * and waits for the window to go. */
static void
answer_close (MwAccountWindow *window,
              const char      *response,
              const char      *shot)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;
  gpointer weak = NULL;

  g_set_weak_pointer (&weak, window);
  gtk_window_close (GTK_WINDOW (window));
  mw_test_spin (100);
  g_assert_nonnull (weak);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        dialog = ADW_MESSAGE_DIALOG (w);
    }
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Changes?");
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  if (shot != NULL)
    mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  adw_message_dialog_response (dialog, response);
  mw_test_wait_until (weak_gone, &weak, "the window to close");
  mw_test_spin (50);
}

static char *
year_from_now (int years)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_years (now, years);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
test_replies (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *before = NULL;
  g_autofree char *start = year_from_now (-3);
  g_autofree char *stop = year_from_now (30);
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  MwAccountWindow *window;
  MwAccountReplies *replies;

  mw_test_db_add_user (tdb, "alice", 1, 0);
  session = mw_test_connect_session (tdb);
  key = mw_test_account_key (session, "alice");
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(MwAutoReply) old = mw_auto_reply_new ();
    g_autoptr(MwReplies) was = NULL;

    old->body = g_strdup ("Bis 5. Januar nicht im Büro.");
    old->start = g_strdup ("2001-12-20");
    old->stop = g_strdup ("2002-01-05");
    mw_session_set_auto_reply_async (session, key, old, FALSE, NULL, on_result_cb, &res);
    mw_test_wait_until (result_arrived, &res, "the old reply");
    was = mw_session_set_auto_reply_finish (session, res, &error);
    g_assert_no_error (error);
  }

  window = open_window (session, key);
  replies = mw_account_window_get_replies (window);
  before = stored (session, key);

  /* As stored, with the warning and the server's note. */
  text = mw_account_replies_dup_field (replies, "body");
  g_assert_cmpstr (text, ==, "Bis 5. Januar nicht im Büro.");
  g_clear_pointer (&text, g_free);
  text = mw_account_replies_dup_field (replies, "stop");
  g_assert_cmpstr (text, ==, "2002-01-05 23:59:59");
  g_clear_pointer (&text, g_free);
  g_assert_nonnull (strstr (mw_account_replies_get_warning (replies), "will never be sent"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), mw_account_replies_get_warning (replies)));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), mw_replies_get_server_note ()));
  shot = g_strdup_printf ("replies-%s-never", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  g_clear_pointer (&shot, g_free);

  /* Set both: what the core reads back. */
  mw_account_replies_set_field (replies, "notify", "pager@example.org");
  mw_account_replies_set_field (replies, "body", "Zurück ab Montag. 月曜日に戻ります。");
  mw_account_replies_set_field (replies, "start", start);
  mw_account_replies_set_field (replies, "stop", stop);
  g_assert_nonnull (strstr (mw_account_replies_get_warning (replies), "in effect always"));
  shot = g_strdup_printf ("replies-%s-always", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  g_clear_pointer (&shot, g_free);
  mw_account_replies_set_field (replies, "start", "2031-03-01");
  mw_account_replies_set_field (replies, "stop", "2031-03-15 18:00");
  g_assert_null (mw_account_replies_get_warning (replies));
  save (replies);
  g_assert_null (mw_account_replies_get_error (replies));
  g_assert_cmpstr (mw_account_replies_get_toast (replies), ==, "Saved");
  text = stored (session, key);
  g_assert_cmpstr (text, ==, "pager@example.org|2031-03-01 00:00:00|2031-03-15 18:00:00|"
                             "Zurück ab Montag. 月曜日に戻ります。");
  g_clear_pointer (&text, g_free);
  shot = g_strdup_printf ("replies-%s-undo-toast", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  g_clear_pointer (&shot, g_free);

  /* Undo in the toast: both rows as they were before the save, shown so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (replies), "replies.undo", NULL));
  mw_test_spin (20);
  mw_test_wait_until (replies_idle, replies, "the undo");
  g_assert_null (mw_account_replies_get_error (replies));
  g_assert_cmpstr (mw_account_replies_get_toast (replies), ==, "The notification and the reply are as they were");
  text = stored (session, key);
  g_assert_cmpstr (text, ==, before);
  g_clear_pointer (&text, g_free);
  text = mw_account_replies_dup_field (replies, "notify");
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);
  text = mw_account_replies_dup_field (replies, "body");
  g_assert_cmpstr (text, ==, "Bis 5. Januar nicht im Büro.");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&before, g_free);

  /* Saved again, for what follows. */
  mw_account_replies_set_field (replies, "notify", "pager@example.org");
  mw_account_replies_set_field (replies, "body", "Zurück ab Montag. 月曜日に戻ります。");
  mw_account_replies_set_field (replies, "start", "2031-03-01");
  mw_account_replies_set_field (replies, "stop", "2031-03-15 18:00");
  save (replies);
  g_assert_cmpstr (mw_account_replies_get_toast (replies), ==, "Saved");

  /* Refused on screen, nothing changed: dates in the wrong order, a bad address. */
  before = stored (session, key);
  mw_account_replies_set_field (replies, "stop", "2031-02-01");
  g_assert_nonnull (strstr (mw_account_replies_get_warning (replies), "the stop must come after the start"));
  save (replies);
  g_assert_nonnull (mw_account_replies_get_error (replies));
  g_assert_nonnull (strstr (mw_account_replies_get_error (replies), "the stop must come after the start"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), mw_account_replies_get_error (replies)));
  shot = g_strdup_printf ("replies-%s-refused", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  g_clear_pointer (&shot, g_free);
  mw_account_replies_set_field (replies, "stop", "2031-03-15 18:00");
  mw_account_replies_set_field (replies, "notify", "pager at example");
  save (replies);
  g_assert_nonnull (strstr (mw_account_replies_get_error (replies), "not a valid mail address"));
  text = stored (session, key);
  g_assert_cmpstr (text, ==, before);
  g_clear_pointer (&text, g_free);

  /* Both cleared. */
  mw_account_replies_set_field (replies, "notify", "");
  mw_account_replies_set_field (replies, "active", "no");
  g_assert_null (mw_account_replies_get_warning (replies));
  save (replies);
  g_assert_null (mw_account_replies_get_error (replies));
  text = stored (session, key);
  g_assert_cmpstr (text, ==, "|||");
  g_clear_pointer (&text, g_free);
  text = mw_account_replies_dup_field (replies, "active");
  g_assert_cmpstr (text, ==, "no");
  g_clear_pointer (&text, g_free);

  /* Closing with an edit asks: Discard writes nothing ... */
  mw_account_replies_set_field (replies, "notify", "boss@example.org");
  shot = g_strdup_printf ("replies-%s-close-question", server);
  answer_close (window, "discard", shot);
  g_clear_pointer (&shot, g_free);
  text = stored (session, key);
  g_assert_cmpstr (text, ==, "|||");
  g_clear_pointer (&text, g_free);

  /* ... Save writes, then closes. */
  window = open_window (session, key);
  replies = mw_account_window_get_replies (window);
  mw_account_replies_set_field (replies, "notify", "boss@example.org");
  answer_close (window, "save", NULL);
  text = stored (session, key);
  g_assert_cmpstr (text, ==, "boss@example.org|||");
  g_clear_pointer (&text, g_free);
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

  mw_test_add_both ("/gui/replies", test_replies);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
