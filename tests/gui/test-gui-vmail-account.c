/* test-gui-vmail-account.c: the account window's Vacation tab on PostfixAdmin
 * (saved into its vacation table and the mailbox's goto, shown again,
 * refused with a sentence, cleared, named for screen readers), its absence
 * on DBMail and ISPmail, and the words of the add dialog and of Find per
 * flavour.
 *
 * Runs with GTK's accessibility bridge on (as test-gui-a11y) to read the
 * tab's names over AT-SPI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-account-window-vacation.h"
#include "mw-add-user-dialog.h"
#include "mw-application.h"
#include "mw-demo-vmail.h"
#include "mw-list-page.h"
#include "mw-window.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"

#define MAILBOX  "juergen.mueller@example.org"
#define SUBJECT  "Im Urlaub – bis 3. Januar"
#define BODY     "Grüße aus München!\nIch bin ab dem 3. Januar wieder da.\n\n休暇中です。1月3日に戻ります。"

static gboolean
account_settled (gpointer data)
{
  MwAccountVacation *vacation = mw_account_window_get_vacation (data);

  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data) &&
         (vacation == NULL || !mw_account_vacation_is_busy (vacation));
}

static gboolean
vacation_settled (gpointer data)
{
  return !mw_account_vacation_is_busy (data);
}

static gboolean
weak_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Whether a label the person can see says exactly text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

/* The widget whose action is action_name. */
static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
save_screenshots (GtkWidget  *widget,
                  const char *name)
{
  g_autofree char *dark = g_strdup_printf ("%s-dark", name);
  g_autofree char *light = g_strdup_printf ("%s-light", name);

  mw_test_spin (100);
  mw_test_save_screenshot (widget, light);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  mw_test_spin (100);
  mw_test_save_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  mw_test_spin (50);
}

static MwAccountWindow *
open_account (MwSession  *session,
              const char *name,
              int         width)
{
  g_autofree char *key = mw_test_account_key (session, name);
  MwAccountWindow *window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, key));

  gtk_window_set_default_size (GTK_WINDOW (window), width, 900);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (account_settled, window, "the account and its vacation reply");
  mw_test_spin (100);
  return window;
}

static void
close_window (GtkWindow *window)
{
  gpointer weak = NULL;

  g_set_weak_pointer (&weak, window);
  gtk_window_destroy (window);
  mw_test_wait_until (weak_gone, &weak, "the window to go");
  mw_test_spin (50);
}

static char *
field (MwAccountWindow *window,
       const char      *name)
{
  return mw_account_vacation_dup_field (mw_account_window_get_vacation (window), name);
}

static void
assert_field (MwAccountWindow *window,
              const char      *name,
              const char      *expected)
{
  g_autofree char *text = field (window, name);

  g_assert_cmpstr (text, ==, expected);
}

/* Runs an action of the Vacation tab and waits for its answer. */
static void
run_vacation (MwAccountWindow *window,
              const char      *action)
{
  MwAccountVacation *vacation = mw_account_window_get_vacation (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (vacation), action, NULL));
  mw_test_wait_until (vacation_settled, vacation, action);
  mw_test_spin (50);
}

/* unnamed's lines that lie inside the Vacation tab of dump. */
static char *
tab_lines (const char *unnamed,
           const char *dump)
{
  g_auto(GStrv) lines = g_strsplit (unnamed, "\n", -1);
  g_auto(GStrv) tree = g_strsplit (dump, "\n", -1);
  GString *kept = g_string_new (NULL);
  gssize tab_depth = -1;
  gboolean found = FALSE;

  for (guint i = 0; tree[i] != NULL; i++)
    {
      const char *text = tree[i] + strspn (tree[i], " ");
      gssize depth = text - tree[i];

      if (tab_depth >= 0 && depth <= tab_depth)
        tab_depth = -1;
      if (tab_depth < 0 && strstr (text, "\tMwAccountVacation\t") != NULL)
        {
          tab_depth = depth;
          found = TRUE;
        }
      if (tab_depth < 0)
        continue;
      for (guint j = 0; lines[j] != NULL; j++)
        if (lines[j][0] != '\0' && g_str_equal (lines[j], text))
          g_string_append_printf (kept, "%s\n", lines[j]);
    }
  g_assert_true (found);
  return g_string_free (kept, FALSE);
}

/* Closes window as the close button does, answers the question about the
 * unsaved vacation reply with response, and waits for the window to go. */
static void
answer_close (MwAccountWindow *window,
              const char      *response)
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
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save the Vacation Reply?");
  adw_message_dialog_response (dialog, response);
  mw_test_wait_until (weak_gone, &weak, "the window to close");
  mw_test_spin (50);
}

static MwSession *
vmail_session (MwTestDb      *tdb,
               MwDemoFlavour  flavour)
{
  g_autoptr(GError) error = NULL;

  mw_demo_vmail_load_schema (tdb->db, flavour, &error);
  g_assert_no_error (error);
  mw_demo_vmail_populate (tdb->db, flavour, &error);
  g_assert_no_error (error);
  return mw_test_connect_session (tdb);
}

/* The Vacation tab on PostfixAdmin: saved, shown again, refused, warned
 * about, cleared and undone, with the rows as PostfixAdmin keeps them. */
static void
test_postfixadmin_vacation (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = vmail_session (tdb, MW_DEMO_FLAVOUR_POSTFIXADMIN);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int year = g_date_time_get_year (now);
  g_autofree char *from = g_strdup_printf ("%d-12-24", year);
  g_autofree char *until = g_strdup_printf ("%d-01-03", year + 1);
  g_autofree char *past = g_strdup_printf ("%d-01-03", year - 1);
  g_autofree char *later_from = g_strdup_printf ("%d-01-10", year + 2);
  g_autofree char *later_until = g_strdup_printf ("%d-01-05", year + 2);
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  g_autofree char *text = NULL;
  g_autofree char *goto_before = NULL;
  g_autofree char *shot = NULL;
  MwAccountWindow *window;
  MwAccountVacation *vacation;

  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM vacation WHERE email = '" MAILBOX "'"), ==, 0);
  goto_before = mw_test_db_string (tdb, "SELECT goto FROM alias WHERE address = '" MAILBOX "'");
  g_assert_null (strstr (goto_before, "#"));

  window = open_account (session, MAILBOX, 720);
  vacation = mw_account_window_get_vacation (window);
  g_assert_nonnull (vacation);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.show-page", "s", "vacation"));
  mw_test_spin (100);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (vacation)));
  /* The Account tab's Save is not offered here; the tab's own Save Reply is. */
  g_assert_false (gtk_widget_get_visible (find_actionable (GTK_WIDGET (window), "account.save")));
  g_assert_true (gtk_widget_get_visible (find_actionable (GTK_WIDGET (window), "vacation.save")));
  /* Never had one: off, empty. */
  assert_field (window, "active", "no");
  assert_field (window, "subject", "");
  assert_field (window, "interval", "Once");
  g_assert_true (shows_text (GTK_WIDGET (vacation), "This mailbox has never had a vacation reply"));

  mw_account_vacation_set_field (vacation, "active", "yes");
  mw_account_vacation_set_field (vacation, "subject", SUBJECT);
  mw_account_vacation_set_field (vacation, "body", BODY);
  mw_account_vacation_set_field (vacation, "from", from);
  mw_account_vacation_set_field (vacation, "until", until);
  mw_account_vacation_set_field (vacation, "interval", "604800");
  assert_field (window, "interval", "Once a week");
  g_assert_null (mw_account_vacation_get_warning (vacation));
  mw_test_spin (100);

  /* Every interactive object of the tab has a name a screen reader reads. */
  {
    g_autofree char *unnamed = mw_test_a11y_unnamed (GTK_WINDOW (window));
    g_autofree char *dump = mw_test_a11y_dump (GTK_WINDOW (window));
    g_autofree char *in_tab = tab_lines (unnamed, dump);

    g_assert_cmpstr (in_tab, ==, "");
    g_assert_nonnull (strstr (dump, "text\tText of the reply"));
    g_assert_nonnull (strstr (dump, "\tReply while away"));
  }

  shot = g_strdup_printf ("vmail-vacation-%s", server);
  save_screenshots (GTK_WIDGET (window), shot);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 900);
  mw_test_spin (200);
  g_free (shot);
  shot = g_strdup_printf ("vmail-vacation-%s-narrow", server);
  save_screenshots (GTK_WIDGET (window), shot);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 900);
  mw_test_spin (100);

  /* Saved: PostfixAdmin's vacation row, and the vacation transport's
   * address in the mailbox's goto, before the mailbox itself. */
  run_vacation (window, "vacation.save");
  g_assert_null (mw_account_vacation_get_error (vacation));
  g_assert_cmpstr (mw_account_vacation_get_toast (vacation), ==, "Saved");
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT subject FROM vacation WHERE email = '" MAILBOX "'");
  g_assert_cmpstr (text, ==, SUBJECT);
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT body FROM vacation WHERE email = '" MAILBOX "'");
  g_assert_cmpstr (text, ==, BODY);
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT activefrom FROM vacation WHERE email = '" MAILBOX "'");
  g_assert_true (g_str_has_prefix (text, from));
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT activeuntil FROM vacation WHERE email = '" MAILBOX "'");
  g_assert_true (g_str_has_prefix (text, until));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM vacation WHERE email = '" MAILBOX "' "
                                        "AND active = '1' AND interval_time = 604800"), ==, 1);
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT goto FROM alias WHERE address = '" MAILBOX "'");
  g_assert_nonnull (strstr (text, "juergen.mueller#example.org@autoreply.example.org"));
  g_assert_true (g_str_has_suffix (text, "," MAILBOX));

  /* Shown again, as saved, in a window opened anew. */
  close_window (GTK_WINDOW (window));
  window = open_account (session, MAILBOX, 720);
  vacation = mw_account_window_get_vacation (window);
  assert_field (window, "active", "yes");
  assert_field (window, "subject", SUBJECT);
  assert_field (window, "body", BODY);
  assert_field (window, "from", from);
  assert_field (window, "until", until);
  assert_field (window, "interval", "Once a week");
  g_assert_true (gtk_widget_get_visible (find_actionable (GTK_WIDGET (window), "account.save")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.show-page", "s", "vacation"));
  g_assert_true (shows_text (GTK_WIDGET (vacation), "On: senders get the reply"));

  /* A day that is not one: the sentence, nothing saved. */
  mw_account_vacation_set_field (vacation, "subject", "Geändert");
  mw_account_vacation_set_field (vacation, "until", "3.1.2027");
  run_vacation (window, "vacation.save");
  g_assert_cmpstr (mw_account_vacation_get_error (vacation), ==,
                   "The last day, “3.1.2027”, is not a day: write it as 2026-12-24 (or 2026-12-24 18:00).");
  mw_account_vacation_set_field (vacation, "until", "2027-02-30");
  run_vacation (window, "vacation.save");
  g_assert_cmpstr (mw_account_vacation_get_error (vacation), ==,
                   "The last day, “2027-02-30”, is not a day: write it as 2026-12-24 (or 2026-12-24 18:00).");
  g_free (shot);
  shot = g_strdup_printf ("vmail-vacation-%s-bad-day", server);
  save_screenshots (GTK_WIDGET (window), shot);
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT subject FROM vacation WHERE email = '" MAILBOX "'");
  g_assert_cmpstr (text, ==, SUBJECT);

  /* Days with which no reply would ever go: a line says so. */
  mw_account_vacation_set_field (vacation, "until", past);
  g_assert_cmpstr (mw_account_vacation_get_warning (vacation), ==,
                   "With these days the reply is never sent: the last day has passed.");
  mw_account_vacation_set_field (vacation, "from", later_from);
  mw_account_vacation_set_field (vacation, "until", later_until);
  g_assert_cmpstr (mw_account_vacation_get_warning (vacation), ==,
                   "With these days the reply is never sent: the last day comes before the first.");
  g_free (shot);
  shot = g_strdup_printf ("vmail-vacation-%s-warning", server);
  mw_test_spin (100);
  save_screenshots (GTK_WIDGET (window), shot);
  /* The core refuses to save them too, with its sentence. */
  run_vacation (window, "vacation.save");
  g_assert_nonnull (mw_account_vacation_get_error (vacation));
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT subject FROM vacation WHERE email = '" MAILBOX "'");
  g_assert_cmpstr (text, ==, SUBJECT);
  mw_account_vacation_set_field (vacation, "from", from);
  mw_account_vacation_set_field (vacation, "until", until);
  g_assert_null (mw_account_vacation_get_warning (vacation));

  /* Clear: off, the vacation address out of the goto, the text kept (as the core does). */
  run_vacation (window, "vacation.reload");
  run_vacation (window, "vacation.clear");
  g_assert_null (mw_account_vacation_get_error (vacation));
  g_assert_cmpstr (mw_account_vacation_get_toast (vacation), ==, "Vacation reply cleared: it is off");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM vacation WHERE email = '" MAILBOX "' AND active = '0'"),
                   ==, 1);
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT goto FROM alias WHERE address = '" MAILBOX "'");
  g_assert_cmpstr (text, ==, goto_before);
  assert_field (window, "active", "no");
  g_assert_true (shows_text (GTK_WIDGET (vacation), "Off: the text is kept for next time"));

  /* Undo: on again as it was. */
  run_vacation (window, "vacation.undo");
  g_assert_cmpstr (mw_account_vacation_get_toast (vacation), ==, "The vacation reply is as it was");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM vacation WHERE email = '" MAILBOX "' AND active = '1'"),
                   ==, 1);
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT goto FROM alias WHERE address = '" MAILBOX "'");
  g_assert_nonnull (strstr (text, "juergen.mueller#example.org@autoreply.example.org"));
  assert_field (window, "active", "yes");

  /* The switch off and Save: off as well. */
  mw_account_vacation_set_field (vacation, "active", "no");
  run_vacation (window, "vacation.save");
  g_assert_cmpstr (mw_account_vacation_get_toast (vacation), ==, "Saved: the vacation reply is off");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM vacation WHERE email = '" MAILBOX "' AND active = '0'"),
                   ==, 1);

  /* Closing with an unsaved edit asks; Discard leaves the row as it was. */
  mw_account_vacation_set_field (vacation, "subject", "Nicht gespeichert");
  answer_close (window, "discard");
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT subject FROM vacation WHERE email = '" MAILBOX "'");
  g_assert_cmpstr (text, ==, SUBJECT);

  /* Save in the question: saved, then closed. */
  window = open_account (session, MAILBOX, 720);
  vacation = mw_account_window_get_vacation (window);
  assert_field (window, "active", "no");
  mw_account_vacation_set_field (vacation, "active", "yes");
  mw_account_vacation_set_field (vacation, "subject", "Zurück am 3. Januar");
  answer_close (window, "save");
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT subject FROM vacation WHERE email = '" MAILBOX "'");
  g_assert_cmpstr (text, ==, "Zurück am 3. Januar");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM vacation WHERE email = '" MAILBOX "' AND active = '1'"),
                   ==, 1);
}

static MwAddUserDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  MwAddUserDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (MW_IS_ADD_USER_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        found = MW_ADD_USER_DIALOG (w);
    }
  g_assert_nonnull (found);
  return found;
}

typedef struct
{
  const char *name;
  const char *account;       /* whose window has no Vacation tab, or NULL */
  gboolean    vacation;
  const char *add_title;
  const char *name_field;
  const char *find_hint;
} Words;

/* The main window's Find, the add dialog's title and first field, and
 * whether an account window has a Vacation tab. */
static void
check_words (MwTestDb    *tdb,
             MwSession   *session,
             const Words *w)
{
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  MwWindow *window = mw_window_new (NULL, session);
  GtkWidget *find;
  g_autofree char *hint = NULL;
  g_autofree char *shot = NULL;
  MwAddUserDialog *dialog;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (mw_test_page_settled, mw_window_get_page (window, MW_LIST_USERS), "the first list");
  find = mw_test_find_type (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (find);
  g_object_get (find, "placeholder-text", &hint, NULL);
  g_assert_cmpstr (hint, ==, w->find_hint);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-user", NULL));
  mw_test_spin (100);
  dialog = find_dialog ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, w->add_title);
  g_assert_true (shows_text (GTK_WIDGET (dialog), w->add_title));
  g_assert_true (mw_test_row_shown (GTK_WIDGET (dialog), w->name_field));
  /* An empty name: the sentence in the flavour's words. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add-user.add", NULL));
  mw_test_spin (50);
  shot = g_strdup_printf ("vmail-words-%s-%s-add", w->name, server);
  save_screenshots (GTK_WIDGET (dialog), shot);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 700);
  mw_test_spin (200);
  g_free (shot);
  shot = g_strdup_printf ("vmail-words-%s-%s-add-narrow", w->name, server);
  save_screenshots (GTK_WIDGET (dialog), shot);
  close_window (GTK_WINDOW (dialog));

  {
    MwAccountWindow *account = open_account (session, w->account, 720);

    g_assert_cmpint (mw_account_window_get_vacation (account) != NULL, ==, w->vacation);
    /* The account's name in the same words as in the add dialog. */
    g_assert_true (mw_test_row_shown (GTK_WIDGET (account), w->name_field));
    g_assert_cmpint (shows_text (GTK_WIDGET (account), "Vacation"), ==, w->vacation);
    close_window (GTK_WINDOW (account));
  }
  close_window (GTK_WINDOW (window));
}

static const Words dbmail_words = {
  "dbmail", "alice", FALSE, "Add a User", "Login name", "Find a user by name, number or address",
};
static const Words ispmail_words = {
  "ispmail", MAILBOX, FALSE, "Add a Mailbox", "Address", "Find by address, local part or domain",
};
static const Words postfixadmin_words = {
  "postfixadmin", MAILBOX, TRUE, "Add a Mailbox", "Address", "Find by address, local part or domain",
};

static void
test_words_dbmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;

  mw_test_db_add_user (tdb, "alice", 1, 10 << 20);
  session = mw_test_connect_session (tdb);
  check_words (tdb, session, &dbmail_words);
}

static void
test_words_ispmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = vmail_session (tdb, MW_DEMO_FLAVOUR_ISPMAIL);

  check_words (tdb, session, &ispmail_words);
}

static void
test_words_postfixadmin (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = vmail_session (tdb, MW_DEMO_FLAVOUR_POSTFIXADMIN);

  check_words (tdb, session, &postfixadmin_words);
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

  mw_test_add_both ("/gui/vmail-account/postfixadmin-vacation", test_postfixadmin_vacation);
  mw_test_add_both ("/gui/vmail-account/words-dbmail", test_words_dbmail);
  mw_test_add_both ("/gui/vmail-account/words-ispmail", test_words_ispmail);
  mw_test_add_both ("/gui/vmail-account/words-postfixadmin", test_words_postfixadmin);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
