/* test-gui-admin.c: the add-user dialog and the password tool under Xvfb.
 *
 * The dialog writes to real PostgreSQL and MariaDB servers; the test checks
 * the rows it leaves. Screenshots go to <build>/screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-add-user-dialog.h"
#include "mw-alias-dialog.h"
#include "mw-application.h"
#include "mw-import-dialog.h"
#include "mw-password.h"
#include "mw-password-window.h"
#include "mw-preferences-window.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"
#include "mw-window.h"

static gboolean
dialog_idle (gpointer data)
{
  return !mw_add_user_dialog_is_busy (data);
}

/* Enter reaches the Add button, which answers after its pressed look: wait
 * for the outcome, not for the start. */
static gboolean
dialog_answered (gpointer data)
{
  return !mw_add_user_dialog_is_busy (data)
         && (mw_add_user_dialog_get_shown_password (data) != NULL
             || mw_add_user_dialog_get_error (data, "general") != NULL
             || mw_add_user_dialog_get_error (data, "name") != NULL
             || mw_add_user_dialog_get_error (data, "password") != NULL
             || mw_add_user_dialog_get_error (data, "alias") != NULL);
}

static gboolean
password_window_idle (gpointer data)
{
  return !mw_password_window_is_busy (data);
}

typedef struct
{
  MwListPage *page;
  guint       n_items;
} ListWait;

static gboolean
list_has_n_items (gpointer data)
{
  ListWait *w = data;
  MwPagedModel *model = mw_list_page_get_model (w->page);

  return !mw_paged_model_is_busy (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) == w->n_items;
}

static gboolean
list_idle (gpointer data)
{
  return !mw_paged_model_is_busy (mw_list_page_get_model (data));
}

/* The dialog win.add-user opened. */
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

/* The title of the form row holding the focus, as a person reads it. */
static const char *
focused_row_title (MwAddUserDialog *dialog)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (dialog));
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, ADW_TYPE_PREFERENCES_ROW) : NULL;

  return row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : NULL;
}

/* Enter in the focused field. */
static void
press_enter (MwAddUserDialog *dialog)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (dialog));

  g_assert_nonnull (focus);
  g_assert_true (GTK_IS_TEXT (focus));
  g_signal_emit_by_name (focus, "activate");
  mw_test_spin (20);
}

/* A visible widget under @root of @type whose tooltip or label is @text. */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          const char *t = GTK_IS_LABEL (child) ? gtk_label_get_text (GTK_LABEL (child))
                                               : gtk_widget_get_tooltip_text (child);
          if (g_strcmp0 (t, text) == 0)
            return child;
        }
      found = find_widget (child, type, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static MwAddUserDialog *
open_dialog (MwWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-user", NULL));
  mw_test_spin (50);
  return find_dialog ();
}

static void
test_add_user (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *prefix = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  const char *cast = tdb->driver == MW_DB_DRIVER_PGSQL ? "CAST(user_idnr AS TEXT)" : "CAST(user_idnr AS CHAR)";
  g_autofree char *shot = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *type = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *deliver_to = NULL;
  g_autofree char *password = NULL;
  g_autofree char *number = NULL;
  g_autoptr(GError) error = NULL;
  MwAddUserDialog *dialog;
  MwWindow *window;
  GtkWidget *copy_button;
  GtkWidget *mode_row;
  ListWait wait;
  gint64 idnr;

  /* The dialog's defaults come from the settings (memory backend). */
  g_settings_set_string (settings, "default-domain", "example.org");
  g_settings_set_int64 (settings, "default-group", 5);
  g_settings_set_string (settings, "default-password-scheme", "sha512-crypt");

  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  wait.page = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (list_idle, wait.page, "the users list");
  wait.n_items = g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (wait.page)));

  dialog = open_dialog (window);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "0 means no limit"));
  mw_add_user_dialog_set_name (dialog, "alice");
  shot = g_strdup_printf ("%s-add-user-filled", prefix);
  mw_test_save_screenshot (GTK_WIDGET (dialog), shot);

  /* Enter in Login name moves on to the next field and adds nothing; so do
   * Group and Quota; Enter in the last field, Alias, adds. */
  gtk_widget_grab_focus (GTK_WIDGET (find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL)));
  g_assert_cmpstr (focused_row_title (dialog), ==, "Login name");
  press_enter (dialog);
  g_assert_false (mw_add_user_dialog_is_busy (dialog));
  g_assert_cmpstr (focused_row_title (dialog), ==, "Group");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'alice'"), ==, 0);
  press_enter (dialog);
  g_assert_cmpstr (focused_row_title (dialog), ==, "Quota");
  press_enter (dialog);
  g_assert_false (mw_add_user_dialog_is_busy (dialog));
  g_assert_cmpstr (focused_row_title (dialog), ==, "Alias");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'alice'"), ==, 0);
  g_assert_null (mw_add_user_dialog_get_shown_password (dialog));
  press_enter (dialog);
  mw_test_wait_until (dialog_answered, dialog, "adding alice");
  g_assert_null (mw_add_user_dialog_get_error (dialog, "general"));
  g_assert_null (mw_add_user_dialog_get_error (dialog, "name"));
  password = g_strdup (mw_add_user_dialog_get_shown_password (dialog));
  g_assert_nonnull (password);
  g_assert_cmpuint (strlen (password), ==, 16);
  /* Only the result stays: not a greyed-out form whose faint explanations
   * nobody can read. */
  g_assert_null (find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "0 means no limit"));
  g_assert_null (find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL));
  g_free (shot);
  shot = g_strdup_printf ("%s-add-user-done", prefix);
  mw_test_save_screenshot (GTK_WIDGET (dialog), shot);

  /* Copying the password says so. */
  copy_button = find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Copy the password");
  g_assert_nonnull (copy_button);
  g_signal_emit_by_name (copy_button, "clicked");
  mw_test_spin (50);
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "Password copied"));
  g_free (shot);
  shot = g_strdup_printf ("%s-add-user-copied", prefix);
  mw_test_save_screenshot (GTK_WIDGET (dialog), shot);

  /* The rows: the user with a crypt hash of the shown password, its alias, its INBOX. */
  idnr = mw_test_db_int (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = 'alice'");
  g_assert_cmpint (idnr, >, 0);
  number = g_strdup_printf ("%" G_GINT64_FORMAT, idnr);
  type = mw_test_db_string (tdb, "SELECT encryption_type FROM dbmail_users WHERE userid = 'alice'");
  stored = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'alice'");
  g_assert_cmpstr (type, ==, "crypt");
  g_assert_true (g_str_has_prefix (stored, "$6$"));
  g_assert_true (mw_password_verify (type, stored, password, &error));
  g_assert_no_error (error);
  g_assert_false (mw_password_verify (type, stored, "not the password", &error));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT client_idnr FROM dbmail_users WHERE userid = 'alice'"), ==, 5);
  deliver_to = mw_test_db_string (tdb, "SELECT deliver_to FROM dbmail_aliases WHERE alias = 'alice@example.org'");
  g_assert_cmpstr (deliver_to, ==, number);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT client_idnr FROM dbmail_aliases WHERE alias = 'alice@example.org'"),
                   ==, 5);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_mailboxes WHERE owner_idnr = %s AND name = 'INBOX'", number);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);
  g_clear_pointer (&sql, g_free);

  /* The users list behind the dialog reloaded with the new user. */
  wait.n_items++;
  mw_test_wait_until (list_has_n_items, &wait, "the users list with alice");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The same name in upper case: the sentence under the name, no second row. */
  dialog = open_dialog (window);
  /* With a typed password, Enter walks through both password fields too. */
  mode_row = find_widget (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, NULL);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (mode_row)), ==, "Password");
  adw_combo_row_set_selected (ADW_COMBO_ROW (mode_row), 1);
  gtk_widget_grab_focus (GTK_WIDGET (find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL)));
  press_enter (dialog);
  g_assert_cmpstr (focused_row_title (dialog), ==, "New password");
  press_enter (dialog);
  g_assert_cmpstr (focused_row_title (dialog), ==, "Confirm the password");
  press_enter (dialog);
  g_assert_cmpstr (focused_row_title (dialog), ==, "Group");
  g_assert_false (mw_add_user_dialog_is_busy (dialog));
  g_assert_null (mw_add_user_dialog_get_error (dialog, "name"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (mode_row), 0);
  mw_add_user_dialog_set_name (dialog, "ALICE");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add-user.add", NULL));
  mw_test_wait_until (dialog_idle, dialog, "refusing ALICE");
  g_assert_nonnull (mw_add_user_dialog_get_error (dialog, "name"));
  g_assert_nonnull (strstr (mw_add_user_dialog_get_error (dialog, "name"), "already exists"));
  g_assert_null (mw_add_user_dialog_get_error (dialog, "alias"));
  g_assert_null (mw_add_user_dialog_get_shown_password (dialog));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE lower(userid) = 'alice'"), ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE lower(alias) = 'alice@example.org'"),
                   ==, 1);
  g_free (shot);
  shot = g_strdup_printf ("%s-add-user-error", prefix);
  mw_test_save_screenshot (GTK_WIDGET (dialog), shot);

  /* A domain that could pass for another (a Cyrillic "а" in "аpple.com"):
   * a warning under the alias while typing, gone with the next name. */
  mw_add_user_dialog_set_name (dialog, "dora@\u0430pple.com");
  g_assert_nonnull (mw_add_user_dialog_get_alias_warning (dialog));
  g_assert_nonnull (strstr (mw_add_user_dialog_get_alias_warning (dialog), "Cyrillic"));
  g_free (shot);
  shot = g_strdup_printf ("%s-add-user-lookalike", prefix);
  mw_test_save_screenshot (GTK_WIDGET (dialog), shot);
  mw_add_user_dialog_set_name (dialog, "dora");
  g_assert_null (mw_add_user_dialog_get_alias_warning (dialog));

  /* A taken alias goes under the alias row; "Add another" then keeps the
   * dialog for the next user. */
  mw_add_user_dialog_set_name (dialog, "alice@example.org");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add-user.add", NULL));
  mw_test_wait_until (dialog_idle, dialog, "refusing the alias");
  g_assert_null (mw_add_user_dialog_get_error (dialog, "name"));
  g_assert_nonnull (mw_add_user_dialog_get_error (dialog, "alias"));
  mw_add_user_dialog_set_name (dialog, "bob");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add-user.add-another", NULL));
  mw_test_wait_until (dialog_idle, dialog, "adding bob");
  g_assert_nonnull (mw_add_user_dialog_get_shown_password (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases a JOIN dbmail_users u ON a.deliver_to = %s "
                         "WHERE u.userid = 'bob' AND a.alias = 'bob@example.org'", cast);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);
  g_free (shot);
  shot = g_strdup_printf ("%s-add-user-another", prefix);
  mw_test_save_screenshot (GTK_WIDGET (dialog), shot);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "default-domain");
  g_settings_reset (settings, "default-group");
  g_settings_reset (settings, "default-password-scheme");
}

static void
test_password_tool (void)
{
  MwPasswordWindow *window = mw_password_window_new ();

  gtk_window_present (GTK_WINDOW (window));

  /* Make a hash: an unsalted MD5 digest is known in advance. */
  mw_password_window_set_hash_input (window, "md5sum", "secret");
  mw_test_wait_until (password_window_idle, window, "the md5sum hash");
  g_assert_cmpstr (mw_password_window_get_stored (window), ==, "5ebe2294ecd0e0f08eab7690d2a6ee69");
  g_assert_cmpstr (mw_password_window_get_dovecot (window), ==, "{PLAIN-MD5}5ebe2294ecd0e0f08eab7690d2a6ee69");

  /* A slow hash: the result for the last input wins. */
  mw_password_window_set_hash_input (window, "yescrypt", "first");
  mw_password_window_set_hash_input (window, "yescrypt", "second");
  mw_test_wait_until (password_window_idle, window, "the yescrypt hash");
  g_assert_true (mw_password_verify ("crypt", mw_password_window_get_stored (window), "second", NULL));

  /* DES looks at the first 8 bytes only and says so. */
  mw_password_window_set_hash_input (window, "crypt-des", "a-long-password");
  mw_test_wait_until (password_window_idle, window, "the DES hash");
  mw_test_save_screenshot (GTK_WIDGET (window), "password-tool-hash");

  /* Check a stored password. */
  mw_password_window_set_hash_input (window, "sha512-crypt", "secret");
  mw_password_window_set_check_input (window, "md5sum", "5ebe2294ecd0e0f08eab7690d2a6ee69", "wrong");
  mw_test_wait_until (password_window_idle, window, "a mismatch");
  g_assert_cmpstr (mw_password_window_get_check_result (window), ==, "Does not match");
  mw_password_window_set_check_input (window, "nosuchtype", "5ebe2294ecd0e0f08eab7690d2a6ee69", "secret");
  mw_test_wait_until (password_window_idle, window, "an unknown type");
  g_assert_cmpstr (mw_password_window_get_check_result (window), !=, "Does not match");
  g_assert_false (g_str_has_prefix (mw_password_window_get_check_result (window), "Matches"));
  mw_password_window_set_check_input (window, "md5sum", "5ebe2294ecd0e0f08eab7690d2a6ee69", "secret");
  mw_test_wait_until (password_window_idle, window, "a match");
  g_assert_true (g_str_has_prefix (mw_password_window_get_check_result (window), "Matches"));
  mw_test_save_screenshot (GTK_WIDGET (window), "password-tool-check");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* app.password-tool opens the tool without any connection. */
static void
test_password_tool_action (void)
{
  g_autoptr(MwApplication) app = mw_application_new ();
  g_autoptr(GError) error = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (app), "password-tool", NULL);
  mw_test_spin (50);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (MW_IS_PASSWORD_WINDOW (w))
        found = GTK_WINDOW (w);
    }
  g_assert_nonnull (found);
  g_assert_true (gtk_window_get_application (found) == GTK_APPLICATION (app));
  gtk_window_destroy (found);
}

/* The toplevel of this type that is showing. */
static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        found = GTK_WIDGET (w);
    }
  g_assert_nonnull (found);
  return found;
}

static gpointer
preferences_widget (MwPreferencesWindow *window,
                    const char          *name)
{
  GObject *widget = gtk_widget_get_template_child (GTK_WIDGET (window), MW_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (widget);
  return widget;
}

/* Preferences as a person uses it: app.preferences opens it, the new-user
 * defaults typed there become the settings' values, and the next add-user
 * dialog writes a user with them: group, quota, the first alias's domain,
 * and a bcrypt hash at the cost chosen. */
static void
test_preferences (gconstpointer data)
{
  static const char *const keys[] = {
    "default-domain", "default-group", "default-quota-mib", "default-password-scheme", "bcrypt-cost",
  };
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwApplication) app = mw_application_new ();
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *type = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *deliver_to = NULL;
  g_autofree char *password = NULL;
  g_autofree char *number = NULL;
  const MwPasswordScheme *schemes;
  MwPreferencesWindow *prefs;
  MwAddUserDialog *dialog;
  GSettings *settings;
  MwWindow *window;
  ListWait wait;
  guint n_schemes;
  guint bcrypt = G_MAXUINT;
  guint row = 0;
  gint64 idnr;

  /* A registered application stays exported on this process's session bus
   * under its id (the one of /gui/password-tool-action too), so each run
   * takes an id of its own; its resources stay Mailwarden's. */
  g_application_set_application_id (G_APPLICATION (app), tdb->driver == MW_DB_DRIVER_PGSQL ? APP_ID ".TestPg"
                                                                                          : APP_ID ".TestMysql");
  g_application_set_resource_base_path (G_APPLICATION (app), "/org/mailwarden/Mailwarden");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  settings = mw_application_get_settings (app);
  g_assert_nonnull (settings);
  session = mw_test_connect_session (tdb);
  mw_application_open_session (app, session);
  window = MW_WINDOW (mw_application_get_main_window (app));
  g_assert_nonnull (window);
  wait.page = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (list_idle, wait.page, "the users list");
  wait.n_items = g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (wait.page)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  mw_test_spin (50);
  prefs = MW_PREFERENCES_WINDOW (find_toplevel (MW_TYPE_PREFERENCES_WINDOW));
  gtk_window_set_default_size (GTK_WINDOW (prefs), 600, 820);

  /* The scheme row lists the schemes that can be written, in their order. */
  schemes = mw_password_get_schemes (&n_schemes);
  for (guint i = 0; i < n_schemes; i++)
    if (schemes[i].writable)
      {
        if (g_str_equal (schemes[i].name, "bcrypt"))
          bcrypt = row;
        row++;
      }
  g_assert_cmpuint (bcrypt, <, row);

  gtk_editable_set_text (GTK_EDITABLE (preferences_widget (prefs, "default_domain_row")), "example.net");
  gtk_spin_button_set_value (preferences_widget (prefs, "default_group_spin"), 7);
  gtk_spin_button_set_value (preferences_widget (prefs, "default_quota_spin"), 250);
  adw_combo_row_set_selected (preferences_widget (prefs, "default_scheme_row"), bcrypt);
  gtk_spin_button_set_value (preferences_widget (prefs, "bcrypt_cost_spin"), 5);
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    mw_test_save_screenshot (GTK_WIDGET (prefs), "preferences-new-users");

  domain = g_settings_get_string (settings, "default-domain");
  g_assert_cmpstr (domain, ==, "example.net");
  g_assert_cmpint (g_settings_get_int64 (settings, "default-group"), ==, 7);
  g_assert_cmpint (g_settings_get_int64 (settings, "default-quota-mib"), ==, 250);
  scheme = g_settings_get_string (settings, "default-password-scheme");
  g_assert_cmpstr (scheme, ==, "bcrypt");
  g_assert_cmpint (g_settings_get_int (settings, "bcrypt-cost"), ==, 5);
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The next user gets them. */
  dialog = open_dialog (window);
  mw_add_user_dialog_set_name (dialog, "carol");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add-user.add", NULL));
  mw_test_wait_until (dialog_idle, dialog, "adding carol");
  g_assert_null (mw_add_user_dialog_get_error (dialog, "general"));
  password = g_strdup (mw_add_user_dialog_get_shown_password (dialog));
  g_assert_nonnull (password);

  idnr = mw_test_db_int (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = 'carol'");
  number = g_strdup_printf ("%" G_GINT64_FORMAT, idnr);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT client_idnr FROM dbmail_users WHERE userid = 'carol'"), ==, 7);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'carol'"),
                   ==, G_GINT64_CONSTANT (250) * 1024 * 1024);
  deliver_to = mw_test_db_string (tdb, "SELECT deliver_to FROM dbmail_aliases WHERE alias = 'carol@example.net'");
  g_assert_cmpstr (deliver_to, ==, number);
  type = mw_test_db_string (tdb, "SELECT encryption_type FROM dbmail_users WHERE userid = 'carol'");
  stored = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'carol'");
  g_assert_cmpstr (type, ==, "crypt");
  g_assert_true (g_str_has_prefix (stored, "$2b$05$"));
  g_assert_true (mw_password_verify (type, stored, password, &error));
  g_assert_no_error (error);

  /* The users list behind the dialog shows carol; nothing is left loading. */
  wait.n_items++;
  mw_test_wait_until (list_has_n_items, &wait, "the users list with carol");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

/* Narrow windows */

#define NARROW 360

/* The visible controls under widget that stick out of content, sideways. */
static void
find_cut_controls (GtkWidget *widget,
                   GtkWidget *content,
                   GString   *cut)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (child))
        continue;
      if ((gtk_widget_get_focusable (child) || GTK_IS_BUTTON (child) || GTK_IS_LABEL (child))
          && gtk_widget_compute_bounds (child, content, &bounds)
          && (bounds.origin.x < -0.5 || bounds.origin.x + bounds.size.width > gtk_widget_get_width (content) + 0.5))
        g_string_append_printf (cut, "%s at %.0f..%.0f\n", G_OBJECT_TYPE_NAME (child), bounds.origin.x,
                                bounds.origin.x + bounds.size.width);
      find_cut_controls (child, content, cut);
    }
}

/* A dialog a person can use in a 360 px wide window (a narrow tile, a
 * phone): it can be made that narrow, and then every control it shows is
 * inside it. Saves light and dark screenshots as shot-light and shot-dark. */
static void
assert_fits_narrow (GtkWindow  *window,
                    const char *shot)
{
  GtkWidget *content = adw_window_get_content (ADW_WINDOW (window));
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GString) cut = g_string_new (NULL);
  g_autofree char *light = g_strconcat (shot, "-light", NULL);
  g_autofree char *dark = g_strconcat (shot, "-dark", NULL);
  int min = 0;

  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("%s: at least %d px wide", shot, min);
  g_assert_cmpint (min, <=, NARROW);

  gtk_window_set_default_size (window, NARROW, 640);
  gtk_window_present (window);
  /* Spun, not waited for: a window that keeps another width gives the main
   * loop nothing to wake up for. */
  for (guint i = 0; i < 100 && gtk_widget_get_width (content) == 0; i++)
    mw_test_spin (20);
  mw_test_spin (100);
  /* 360 on screen includes the window's frame (about 350 inside). */
  g_assert_cmpint (gtk_widget_get_width (content), >, 0);
  g_assert_cmpint (gtk_widget_get_width (content), <=, NARROW);
  find_cut_controls (content, content, cut);
  g_assert_cmpstr (cut->str, ==, "");

  if (shot != NULL)
    {
      mw_test_save_screenshot (GTK_WIDGET (window), light);
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
      mw_test_spin (50);
      mw_test_save_screenshot (GTK_WIDGET (window), dark);
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
      mw_test_spin (50);
    }
}

static gboolean
import_in_preview (gpointer data)
{
  return g_str_equal (mw_import_dialog_get_step (data), "preview");
}

/* The add-user dialog (with a typed password, and with the generated one
 * shown), the alias and forward dialogs, the password tool and the import
 * dialog (its first page and the preview) at 360 px. */
static void
test_narrow_dialogs (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = mw_test_connect_session (tdb);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-narrow-XXXXXX", &error);
  g_autofree char *path = NULL;
  /* Screenshots once; the sizes are checked on both servers. */
  gboolean shots = tdb->driver == MW_DB_DRIVER_PGSQL;
  MwAddUserDialog *add_user;
  MwPasswordWindow *tool;
  MwImportDialog *import;
  GtkWidget *mode_row;

  g_assert_no_error (error);

  add_user = mw_add_user_dialog_new (session, settings);
  mode_row = find_widget (GTK_WIDGET (add_user), ADW_TYPE_COMBO_ROW, NULL);
  adw_combo_row_set_selected (ADW_COMBO_ROW (mode_row), 1);
  assert_fits_narrow (GTK_WINDOW (add_user), shots ? "narrow-add-user" : NULL);
  adw_combo_row_set_selected (ADW_COMBO_ROW (mode_row), 0);
  mw_add_user_dialog_set_name (add_user, "a-rather-long-login-name-for-a-narrow-window");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (add_user), "add-user.add", NULL));
  mw_test_spin (50);
  mw_test_wait_until (dialog_answered, add_user, "adding the user");
  g_assert_nonnull (mw_add_user_dialog_get_shown_password (add_user));
  assert_fits_narrow (GTK_WINDOW (add_user), shots ? "narrow-add-user-done" : NULL);
  gtk_window_destroy (GTK_WINDOW (add_user));

  for (guint i = 0; i < 2; i++)
    {
      MwAliasDialog *alias = mw_alias_dialog_new (session, settings, i == 1);

      assert_fits_narrow (GTK_WINDOW (alias), !shots ? NULL : i == 0 ? "narrow-alias" : "narrow-forward");
      gtk_window_destroy (GTK_WINDOW (alias));
    }

  tool = mw_password_window_new ();
  mw_password_window_set_hash_input (tool, "sha512-crypt", "secret");
  mw_password_window_set_check_input (tool, "md5sum", "5ebe2294ecd0e0f08eab7690d2a6ee69", "secret");
  gtk_window_set_default_size (GTK_WINDOW (tool), NARROW, 640);
  gtk_window_present (GTK_WINDOW (tool));
  mw_test_wait_until (password_window_idle, tool, "the hash");
  assert_fits_narrow (GTK_WINDOW (tool), shots ? "narrow-password-tool" : NULL);
  gtk_window_destroy (GTK_WINDOW (tool));

  path = g_build_filename (dir, "people.csv", NULL);
  g_assert_true (g_file_set_contents (path, "name,password,quota,group,aliases\n"
                                            "narrow-ann,Ann pass 1,25M,3,ann@example.org\n"
                                            "narrow-bob,pw,lots,3,\n", -1, &error));
  file = g_file_new_for_path (path);
  import = mw_import_dialog_new (session, settings);
  assert_fits_narrow (GTK_WINDOW (import), shots ? "narrow-import" : NULL);
  mw_import_dialog_set_file (import, file);
  mw_test_wait_until (import_in_preview, import, "the preview");
  assert_fits_narrow (GTK_WINDOW (import), shots ? "narrow-import-preview" : NULL);
  gtk_window_destroy (GTK_WINDOW (import));

  mw_test_spin (100);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_gui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/gui/password-tool", test_password_tool);
  g_test_add_func ("/gui/password-tool-action", test_password_tool_action);
  mw_test_add_both ("/gui/preferences", test_preferences);
  mw_test_add_both ("/gui/add-user", test_add_user);
  mw_test_add_both ("/gui/narrow-dialogs", test_narrow_dialogs);

  return mw_test_run ();
}
