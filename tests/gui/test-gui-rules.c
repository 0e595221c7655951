/* test-gui-rules.c: DBMail's Sieve scripts and filters in the desktop app:
 * the account window's Rules tab (a script uploaded, listed and in the
 * database; one the Sieve compiler refuses, its message on screen and
 * nothing stored; activate, view, delete with its confirmation and Undo),
 * the vacation editor (a script the core reads back with the same fields,
 * the form filled again from it; no day fields on DBMail, whose libSieve
 * cannot test dates, but the sentence saying so), and the
 * user's filters (added, refused with the core's sentence, deleted) beside
 * the filters of everyone, light and dark, 360 px wide. The main window's
 * Filters list: Add (everyone's filter, a user's, a refusal's sentence in
 * the dialog asked again) and a row's Delete with Undo in a toast.
 *
 * Runs with the accessibility bridge on, to read the tab and its dialogs
 * over AT-SPI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-account-window-rules.h"
#include "mw-application.h"
#include "mw-filter-dialog.h"
#include "mw-list-page.h"
#include "mw-sieve-vacation-dialog.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"
#include "mw-window.h"

#define GOOD_SCRIPT "require \"fileinto\";\n" \
                    "if header :contains \"subject\" \"invoice\" {\n" \
                    "  fileinto \"Invoices\";\n" \
                    "}\n"
/* "fileintox" is no Sieve command: sievec refuses it. */
#define BAD_SCRIPT "require \"fileinto\";\nfileintox \"Junk\";\n"

/* Screen-reader names, where the accessibility bridge is on: no
 * interactive object unnamed, named with a mnemonic underscore or twice
 * (the flags of a11y-dump.py). */
static void
assert_all_named (GtkWindow *window)
{
  g_autofree char *dump = NULL;

  if (g_getenv ("MW_A11Y_DUMP") == NULL)
    return;
  mw_test_spin (300);
  dump = mw_test_a11y_dump (window);
  if (g_getenv ("MW_A11Y_SHOW_DUMP") != NULL)
    g_test_message ("%s", dump);
  if (strstr (dump, "UNNAMED") != NULL || strstr (dump, "MNEMONIC") != NULL || strstr (dump, "DOUBLED") != NULL)
    g_error ("%s: a screen reader reads some of it unnamed:\n%s", gtk_window_get_title (window), dump);
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

/* The account's scripts as the core reads them: "name" or "name*" (active),
 * sorted, joined by " ". */
static char *
scripts_in_db (MwSession  *session,
               const char *key)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scripts = NULL;
  g_autoptr(GString) out = g_string_new ("");

  mw_session_list_sieve_scripts_async (session, key, NULL, on_result_cb, &res);
  mw_test_wait_until (result_arrived, &res, "the scripts");
  scripts = mw_session_list_sieve_scripts_finish (session, res, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < scripts->len; i++)
    {
      MwSieveScript *s = g_ptr_array_index (scripts, i);

      g_string_append_printf (out, "%s%s%s", i > 0 ? " " : "", s->name, s->active ? "*" : "");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
script_text (MwSession  *session,
             const char *key,
             const char *name)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveScript) script = NULL;

  mw_session_get_sieve_script_async (session, key, name, NULL, on_result_cb, &res);
  mw_test_wait_until (result_arrived, &res, "the script");
  script = mw_session_get_sieve_script_finish (session, res, &error);
  g_assert_no_error (error);
  return g_strdup (script->script);
}

/* The user's filters (NULL: everyone's) as the core reads them:
 * "header|value|folder" joined by " / "; the first one's id in @id. */
static char *
filters_in_db (MwSession  *session,
               const char *key,
               gint64     *id)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  g_autoptr(GString) out = g_string_new ("");

  mw_session_list_filters_async (session, key, NULL, on_result_cb, &res);
  mw_test_wait_until (result_arrived, &res, "the filters");
  filters = mw_session_list_filters_finish (session, res, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < filters->len; i++)
    {
      MwFilter *f = g_ptr_array_index (filters, i);

      g_string_append_printf (out, "%s%s|%s|%s", i > 0 ? " / " : "", f->header_name, f->header_value, f->mailbox);
      if (i == 0 && id != NULL)
        *id = f->id;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
add_global_filter (MwSession *session)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFilter) filter = mw_filter_new ();
  g_autoptr(MwFilter) added = NULL;

  filter->header_name = g_strdup ("x-spam-flag");
  filter->header_value = g_strdup ("YES");
  filter->mailbox = g_strdup ("Junk");
  mw_session_add_filter_async (session, NULL, filter, FALSE, NULL, on_result_cb, &res);
  mw_test_wait_until (result_arrived, &res, "the global filter");
  added = mw_session_add_filter_finish (session, res, &error);
  g_assert_no_error (error);
}

static gboolean
account_settled (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static gboolean
rules_idle (gpointer data)
{
  return mw_account_rules_is_loaded (data) && !mw_account_rules_is_busy (data);
}

static gboolean
question_shown (gpointer data)
{
  return mw_account_rules_get_question (data) != NULL;
}

static gboolean
viewer_shown (gpointer data)
{
  return mw_account_rules_get_viewer (data) != NULL;
}

static gboolean
vacation_ready (gpointer data)
{
  MwSieveVacationDialog *dialog = mw_account_rules_get_vacation_dialog (data);

  return dialog != NULL && !mw_sieve_vacation_dialog_is_busy (dialog);
}

static gboolean
vacation_gone (gpointer data)
{
  return mw_account_rules_get_vacation_dialog (data) == NULL && rules_idle (data);
}

static void
wait_rules (MwAccountRules *rules,
            const char     *what)
{
  mw_test_spin (20);
  mw_test_wait_until (rules_idle, rules, what);
}

static gboolean
rows_contain (MwAccountRules *rules,
              const char     *group,
              const char     *text)
{
  g_auto(GStrv) rows = mw_account_rules_dup_rows (rules, group);

  for (guint i = 0; rows[i] != NULL; i++)
    if (strstr (rows[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static AdwMessageDialog *
wait_question (MwAccountRules *rules)
{
  mw_test_spin (20);
  mw_test_wait_until (question_shown, rules, "the question");
  return mw_account_rules_get_question (rules);
}

/* The text field titled @title of a dialog. */
static GtkEditable *
field (GtkWidget  *dialog,
       const char *title)
{
  GtkWidget *row = mw_test_find_row (dialog, title);

  g_assert_nonnull (row);
  return GTK_EDITABLE (row);
}

/* A response as a click gives it: the dialog answers, then closes. */
static void
respond (AdwMessageDialog *question,
         const char       *response)
{
  adw_message_dialog_response (question, response);
  gtk_window_close (GTK_WINDOW (question));
}

/* Upload… with a file's text: the question names the script after the file. */
static void
upload (MwAccountRules *rules,
        const char     *file_name,
        const char     *text,
        const char     *name)
{
  AdwMessageDialog *question;

  mw_account_rules_upload_text (rules, file_name, text);
  question = wait_question (rules);
  g_assert_cmpstr (gtk_editable_get_text (field (GTK_WIDGET (question), "Script name")), ==, name);
  if (g_str_equal (name, "filing"))
    assert_all_named (GTK_WINDOW (question));
  respond (question, "upload");
  wait_rules (rules, "the upload");
}

/* The header bar's Save (action account.save) of @widget's window. */
static GtkWidget *
find_save_button (GtkWidget *widget)
{
  if (GTK_IS_ACTIONABLE (widget) && GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "account.save") == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_save_button (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_rules (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  MwAccountWindow *window;
  MwAccountRules *rules;
  AdwMessageDialog *question;
  MwSieveVacationDialog *dialog;
  const char *error;
  gint64 id = 0;

  mw_test_db_add_user (tdb, "alice", 1, 0);
  session = mw_test_connect_session (tdb);
  key = mw_test_account_key (session, "alice");
  add_global_filter (session);

  window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, key));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 760);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (account_settled, window, "the account");
  rules = mw_account_window_get_rules (window);
  g_assert_nonnull (rules);
  /* Read when first shown, not before. */
  g_assert_false (mw_account_rules_is_loaded (rules));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.show-page", "s", "rules"));
  wait_rules (rules, "the rules");
  g_assert_true (mw_test_row_shown (GTK_WIDGET (window), "No Sieve scripts"));
  g_assert_true (mw_test_row_shown (GTK_WIDGET (window), "No filters of this user"));
  /* Everyone's filters, read only, apply to her too. */
  g_assert_true (rows_contain (rules, "global", "x-spam-flag: YES: Into the folder Junk"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), "Filters for Everyone"));

  /* A good script: on the list, in the database, not active. */
  upload (rules, "filing.sieve", GOOD_SCRIPT, "filing");
  g_assert_null (mw_account_rules_get_error (rules));
  g_assert_cmpstr (mw_account_rules_get_toast (rules), ==, "Uploaded the script “filing”");
  g_assert_true (rows_contain (rules, "scripts", "filing: "));
  g_assert_false (rows_contain (rules, "scripts", "active"));
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "filing");
  g_free (text);
  text = script_text (session, key, "filing");
  g_assert_cmpstr (text, ==, GOOD_SCRIPT);
  g_clear_pointer (&text, g_free);

  /* A bad one: the compiler's message on screen, nothing stored. */
  upload (rules, "broken.sieve", BAD_SCRIPT, "broken");
  error = mw_account_rules_get_error (rules);
  g_assert_nonnull (error);
  if (!g_str_has_prefix (error, "“broken” was not stored. ") || strstr (error, "does not compile") == NULL ||
      strstr (error, "fileintox") == NULL)
    g_error ("the refusal said “%s”", error);
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), error));
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "filing");
  g_clear_pointer (&text, g_free);
  g_assert_false (rows_contain (rules, "scripts", "broken"));
  shot = g_strdup_printf ("rules-%s-refused", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);

  /* Activate: the row says so, and the database. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules), "rules.activate", "s", "filing"));
  wait_rules (rules, "activating");
  g_assert_null (mw_account_rules_get_error (rules));
  g_assert_true (rows_contain (rules, "scripts", "active: it runs on new mail"));
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "filing*");
  g_clear_pointer (&text, g_free);

  /* The header's Save is the Account tab's: not shown here. */
  g_assert_nonnull (find_save_button (GTK_WIDGET (window)));
  g_assert_false (gtk_widget_get_visible (find_save_button (GTK_WIDGET (window))));

  /* Rename: asked for the new name; the active script stays active; Undo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules), "rules.rename", "s", "filing"));
  question = wait_question (rules);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Rename the Script “filing”");
  g_assert_false (adw_message_dialog_get_response_enabled (question, "rename"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (question)), "sorting");
  g_assert_true (adw_message_dialog_get_response_enabled (question, "rename"));
  assert_all_named (GTK_WINDOW (question));
  g_free (shot);
  shot = g_strdup_printf ("rules-%s-rename", server);
  mw_test_save_screenshots (GTK_WIDGET (question), shot);
  respond (question, "rename");
  wait_rules (rules, "the rename");
  g_assert_null (mw_account_rules_get_error (rules));
  g_assert_cmpstr (mw_account_rules_get_toast (rules), ==, "Renamed the script “filing” to “sorting”");
  g_assert_true (rows_contain (rules, "scripts", "sorting: "));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), "sorting"));
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "sorting*");
  g_clear_pointer (&text, g_free);
  g_free (shot);
  shot = g_strdup_printf ("rules-%s-renamed", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  g_assert_nonnull (mw_account_rules_get_undo_toast (rules));
  g_signal_emit_by_name (mw_account_rules_get_undo_toast (rules), "button-clicked");
  wait_rules (rules, "the rename's undo");
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "filing*");
  g_clear_pointer (&text, g_free);
  /* Back on the Account tab, its Save is there again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.show-page", "s", "overview"));
  g_assert_true (gtk_widget_get_visible (find_save_button (GTK_WIDGET (window))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.show-page", "s", "rules"));
  g_assert_false (gtk_widget_get_visible (find_save_button (GTK_WIDGET (window))));

  /* View: its text, read only. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules), "rules.view", "s", "filing"));
  mw_test_wait_until (viewer_shown, rules, "the script's window");
  text = mw_account_rules_dup_viewer_text (rules);
  g_assert_cmpstr (text, ==, GOOD_SCRIPT);
  g_clear_pointer (&text, g_free);
  g_assert_cmpstr (gtk_window_get_title (mw_account_rules_get_viewer (rules)), ==, "Sieve Script “filing”");
  assert_all_named (mw_account_rules_get_viewer (rules));
  g_free (shot);
  shot = g_strdup_printf ("rules-%s-view", server);
  mw_test_save_screenshots (GTK_WIDGET (mw_account_rules_get_viewer (rules)), shot);
  gtk_window_destroy (mw_account_rules_get_viewer (rules));

  /* The vacation editor: her address offered; DBMail's libSieve cannot
   * test dates, so no day fields but the sentence saying where they are. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules), "rules.edit-vacation", NULL));
  mw_test_wait_until (vacation_ready, rules, "the vacation editor");
  dialog = mw_account_rules_get_vacation_dialog (rules);
  text = mw_sieve_vacation_dialog_dup_field (dialog, "addresses");
  g_assert_cmpstr (text, ==, "alice@example.org");
  g_clear_pointer (&text, g_free);
  g_assert_null (mw_sieve_vacation_dialog_get_error (dialog));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (dialog), mw_sieve_no_dates_sentence ()));
  g_assert_false (mw_test_shows_text (GTK_WIDGET (dialog), "First day"));
  g_assert_false (mw_test_shows_text (GTK_WIDGET (dialog), "Last day"));
  mw_sieve_vacation_dialog_set_field (dialog, "subject", "Away until January");
  mw_sieve_vacation_dialog_set_field (dialog, "body", "I am away.\nYour mail waits for me.");
  mw_sieve_vacation_dialog_set_field (dialog, "days", "3");
  mw_sieve_vacation_dialog_set_field (dialog, "addresses", "alice@example.org\nalice.smith@example.org");
  assert_all_named (GTK_WINDOW (dialog));
  g_free (shot);
  shot = g_strdup_printf ("rules-%s-vacation", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  /* Saved and made the active one: the core reads the same fields back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "vacation-script.save", NULL));
  mw_test_wait_until (vacation_gone, rules, "the vacation script to be saved");
  g_assert_cmpstr (mw_account_rules_get_toast (rules), ==, "Saved the vacation script");
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "filing vacation*");
  g_clear_pointer (&text, g_free);
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(MwSieveVacation) v = NULL;
    gboolean active = FALSE;

    mw_session_get_sieve_vacation_async (session, key, NULL, on_result_cb, &res);
    mw_test_wait_until (result_arrived, &res, "the vacation");
    v = mw_session_get_sieve_vacation_finish (session, res, &active, &err);
    g_assert_no_error (err);
    g_assert_nonnull (v);
    g_assert_true (active);
    g_assert_cmpstr (v->subject, ==, "Away until January");
    /* A Sieve multi-line text ends with the line break before its dot:
     * the core may give it back. */
    g_assert_true (g_str_equal (v->body, "I am away.\nYour mail waits for me.") ||
                   g_str_equal (v->body, "I am away.\nYour mail waits for me.\n"));
    g_assert_null (v->start);
    g_assert_null (v->stop);
    g_assert_cmpuint (v->days, ==, 3);
    g_assert_cmpuint (g_strv_length (v->addresses), ==, 2);
    g_assert_cmpstr (v->addresses[0], ==, "alice@example.org");
    g_assert_cmpstr (v->addresses[1], ==, "alice.smith@example.org");
  }
  g_assert_true (rows_contain (rules, "scripts", "vacation: "));
  /* Opened again: the form is what the script holds. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules), "rules.edit-vacation", NULL));
  mw_test_wait_until (vacation_ready, rules, "the vacation editor again");
  dialog = mw_account_rules_get_vacation_dialog (rules);
  {
    const char *fields[][2] = { { "subject", "Away until January" }, { "body", "I am away.\nYour mail waits for me." },
                                { "start", "" }, { "stop", "" }, { "days", "3" },
                                { "addresses", "alice@example.org\nalice.smith@example.org" } };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      {
        g_autofree char *shown = mw_sieve_vacation_dialog_dup_field (dialog, fields[i][0]);

        g_assert_cmpstr (shown, ==, fields[i][1]);
      }
  }
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Delete: asked first, then gone; Undo brings it back with its text. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules), "rules.delete", "s", "filing"));
  question = wait_question (rules);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Delete the Script “filing”?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (question, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  assert_all_named (GTK_WINDOW (question));
  respond (question, "delete");
  wait_rules (rules, "the delete");
  g_assert_cmpstr (mw_account_rules_get_toast (rules), ==, "Deleted the script “filing”");
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "vacation*");
  g_clear_pointer (&text, g_free);
  g_assert_false (rows_contain (rules, "scripts", "filing"));
  g_assert_nonnull (mw_account_rules_get_undo_toast (rules));
  g_signal_emit_by_name (mw_account_rules_get_undo_toast (rules), "button-clicked");
  wait_rules (rules, "the undo");
  g_assert_cmpstr (mw_account_rules_get_toast (rules), ==, "The rules are as they were");
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "filing vacation*");
  g_clear_pointer (&text, g_free);
  text = script_text (session, key, "filing");
  g_assert_cmpstr (text, ==, GOOD_SCRIPT);
  g_clear_pointer (&text, g_free);

  /* Deactivate: none runs; Undo makes the vacation script active again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules), "rules.deactivate", NULL));
  wait_rules (rules, "deactivating");
  g_assert_cmpstr (mw_account_rules_get_toast (rules), ==, "No script is active now");
  g_assert_false (rows_contain (rules, "scripts", "active"));
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "filing vacation");
  g_clear_pointer (&text, g_free);
  g_signal_emit_by_name (mw_account_rules_get_undo_toast (rules), "button-clicked");
  wait_rules (rules, "the undo");
  text = scripts_in_db (session, key);
  g_assert_cmpstr (text, ==, "filing vacation*");
  g_clear_pointer (&text, g_free);

  /* A filter: the core's refusal in the question asked again, nothing
   * added; then added, on screen and in the database; then deleted. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules), "rules.add-filter", NULL));
  question = wait_question (rules);
  assert_all_named (GTK_WINDOW (question));
  gtk_editable_set_text (field (GTK_WIDGET (question), "Header"), "sub ject");
  gtk_editable_set_text (field (GTK_WIDGET (question), "Value"), "%invoice%");
  gtk_editable_set_text (field (GTK_WIDGET (question), "Folder"), "Invoices");
  respond (question, "add");
  mw_test_spin (20);
  mw_test_wait_until (question_shown, rules, "the question again");
  question = mw_account_rules_get_question (rules);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Add a Filter");
  g_assert_cmpstr (gtk_editable_get_text (field (GTK_WIDGET (question), "Value")), ==, "%invoice%");
  g_assert_true (mw_test_shows_text (GTK_WIDGET (question), adw_message_dialog_get_body (question)));
  g_assert_null (strstr (adw_message_dialog_get_body (question), "a percent sign"));
  g_free (shot);
  shot = g_strdup_printf ("rules-%s-filter-refused", server);
  mw_test_save_screenshots (GTK_WIDGET (question), shot);
  text = filters_in_db (session, key, NULL);
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);
  gtk_editable_set_text (field (GTK_WIDGET (question), "Header"), "Subject");
  respond (question, "add");
  wait_rules (rules, "adding the filter");
  g_assert_cmpstr (mw_account_rules_get_toast (rules), ==, "Added the filter subject: %invoice%");
  g_assert_true (rows_contain (rules, "filters", "subject: %invoice%: Into the folder Invoices"));
  text = filters_in_db (session, key, &id);
  g_assert_cmpstr (text, ==, "subject|%invoice%|Invoices");
  g_clear_pointer (&text, g_free);
  g_assert_true (mw_test_row_shown (GTK_WIDGET (window), "subject: %invoice%"));
  assert_all_named (GTK_WINDOW (window));
  g_free (shot);
  shot = g_strdup_printf ("rules-%s-tab", server);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 900);
  mw_test_spin (150);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  g_free (shot);
  shot = g_strdup_printf ("rules-%s-tab-360", server);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 900);
  mw_test_spin (150);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 760);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules), "rules.delete-filter", "x", id));
  wait_rules (rules, "deleting the filter");
  g_assert_cmpstr (mw_account_rules_get_toast (rules), ==, "Deleted the filter subject: %invoice%");
  text = filters_in_db (session, key, NULL);
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);
  g_assert_false (rows_contain (rules, "filters", "invoice"));
  /* Everyone's filter is still there. */
  text = filters_in_db (session, NULL, NULL);
  g_assert_cmpstr (text, ==, "x-spam-flag|YES|Junk");
  g_clear_pointer (&text, g_free);

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (50);
}

/* The visible dialog headed @heading, or NULL. (A dialog answered with
 * respond () is gone: its address may be the next one's.) */
static AdwMessageDialog *
find_dialog (const char *heading)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) == 0)
      return l->data;
  return NULL;
}

static const char *wanted_heading;

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog (wanted_heading) != NULL;
}

static AdwMessageDialog *
wait_dialog (const char *heading)
{
  wanted_heading = heading;
  mw_test_wait_until (dialog_shown, NULL, heading);
  return find_dialog (heading);
}

static gint64 wanted_rows;

static gboolean
count_is (gpointer data)
{
  return mw_test_db_int (data, "SELECT count(*) FROM dbmail_filters") == wanted_rows;
}

static void
wait_count (MwTestDb *tdb,
            gint64    want)
{
  wanted_rows = want;
  mw_test_wait_until (count_is, tdb, "the filters");
}

/* The Filters list of the main window: its Add (the window's Add button
 * there) stores a filter for everyone or for a user; a refusal is asked
 * again with the core's sentence and stores nothing; a row asks whether to
 * delete it, and the toast's Undo brings it back. */

static gboolean
has_undo_toast (gpointer window)
{
  return mw_filter_get_undo_toast (GTK_WINDOW (window)) != NULL;
}

static gboolean
folder_column_visible (gpointer page)
{
  GListModel *columns = gtk_column_view_get_columns (mw_list_page_get_column_view (page));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), "Folder") == 0)
        return gtk_column_view_column_get_visible (column);
    }
  g_error ("the Filters list has no Folder column");
}

static void
test_list (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  g_autofree char *key = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *text = NULL;
  MwWindow *window;
  MwListPage *page;
  AdwMessageDialog *dialog;
  AdwMessageDialog *again;
  AdwToast *toast;

  mw_test_db_add_user (tdb, "alice", 1, 0);
  session = mw_test_connect_session (tdb);
  key = mw_test_account_key (session, "alice");
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  gtk_window_present (GTK_WINDOW (window));
  page = mw_window_get_page (window, MW_LIST_FILTERS);
  g_assert_nonnull (page);
  mw_window_show_page (window, MW_LIST_FILTERS);
  mw_test_spin (300);
  mw_test_wait_shows (GTK_WIDGET (window), "No Server-Side Filters");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (mw_test_find_type (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON)), ==,
                   "Add a filter (Ctrl+N)");

  /* For everyone by default; a header with a blank is refused, its sentence
   * shown in the dialog asked again with what was typed, nothing stored. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add", NULL));
  dialog = wait_dialog ("Add a Filter");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (mw_filter_dialog_get_field (dialog, "everyone"))));
  g_assert_false (gtk_widget_get_sensitive (mw_filter_dialog_get_field (dialog, "user")));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "SQL LIKE"));
  assert_all_named (GTK_WINDOW (dialog));
  gtk_editable_set_text (field (GTK_WIDGET (dialog), "Header"), "x spam");
  gtk_editable_set_text (field (GTK_WIDGET (dialog), "Value"), "%yes%");
  gtk_editable_set_text (field (GTK_WIDGET (dialog), "Folder"), "Junk");
  shot = g_strdup_printf ("filters-%s-list-add", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  respond (dialog, "add");
  again = wait_dialog ("Add a Filter");
  g_assert_null (strstr (adw_message_dialog_get_body (again), "SQL LIKE"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (again), adw_message_dialog_get_body (again)));
  g_assert_cmpstr (gtk_editable_get_text (field (GTK_WIDGET (again), "Value")), ==, "%yes%");
  g_free (shot);
  shot = g_strdup_printf ("filters-%s-list-refused", server);
  mw_test_save_screenshots (GTK_WIDGET (again), shot);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_filters"), ==, 0);

  /* Corrected: stored for everyone (the user anyone), on the list. */
  gtk_editable_set_text (field (GTK_WIDGET (again), "Header"), "X-Spam");
  respond (again, "add");
  wait_count (tdb, 1);
  text = filters_in_db (session, NULL, NULL);
  g_assert_cmpstr (text, ==, "x-spam|%yes%|Junk");
  g_clear_pointer (&text, g_free);
  mw_test_settle_page (page, "the Filters list");
  mw_test_wait_shows (GTK_WIDGET (page), "%yes%");

  /* A user's filter: the switch off, her name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add", NULL));
  dialog = wait_dialog ("Add a Filter");
  gtk_switch_set_active (GTK_SWITCH (mw_filter_dialog_get_field (dialog, "everyone")), FALSE);
  g_assert_true (gtk_widget_get_sensitive (mw_filter_dialog_get_field (dialog, "user")));
  gtk_editable_set_text (GTK_EDITABLE (mw_filter_dialog_get_field (dialog, "user")), "alice");
  gtk_editable_set_text (field (GTK_WIDGET (dialog), "Header"), "subject");
  gtk_editable_set_text (field (GTK_WIDGET (dialog), "Value"), "%invoice%");
  gtk_editable_set_text (field (GTK_WIDGET (dialog), "Folder"), "Invoices");
  respond (dialog, "add");
  wait_count (tdb, 2);
  text = filters_in_db (session, key, NULL);
  g_assert_cmpstr (text, ==, "subject|%invoice%|Invoices");
  g_clear_pointer (&text, g_free);
  text = filters_in_db (session, NULL, NULL);
  g_assert_cmpstr (text, ==, "x-spam|%yes%|Junk");
  g_clear_pointer (&text, g_free);

  /* Delete everyone's filter from its row, then Undo. The list sorts by
   * user: alice's row first, anyone's second. */
  mw_test_settle_page (page, "the Filters list");
  mw_test_wait_shows (GTK_WIDGET (page), "%invoice%");
  /* A 1000 px window has room for the folder a filter files into: the
   * redundant For Everybody column goes first, then the text shrinks. */
  mw_test_wait_until (folder_column_visible, page, "the Folder column at 1000 px");
  g_free (shot);
  shot = g_strdup_printf ("filters-%s-list", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);
  g_signal_emit_by_name (mw_list_page_get_column_view (page), "activate", 1);
  dialog = wait_dialog ("Delete This Filter?");
  respond (dialog, "delete");
  wait_count (tdb, 1);
  text = filters_in_db (session, NULL, NULL);
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);
  /* The row is gone once the worker commits; the toast comes when the main
   * loop has run the change's callback, which can be a little later. */
  mw_test_wait_until (has_undo_toast, window, "the Undo toast of the deleted filter");
  toast = mw_filter_get_undo_toast (GTK_WINDOW (window));
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Deleted the filter x-spam: %yes%");
  g_signal_emit_by_name (toast, "button-clicked");
  wait_count (tdb, 2);
  text = filters_in_db (session, NULL, NULL);
  g_assert_cmpstr (text, ==, "x-spam|%yes%|Junk");
  g_clear_pointer (&text, g_free);
  text = filters_in_db (session, key, NULL);
  g_assert_cmpstr (text, ==, "subject|%invoice%|Invoices");

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

  mw_test_add_both ("/gui/rules", test_rules);
  mw_test_add_both ("/gui/rules/filters-list", test_list);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
