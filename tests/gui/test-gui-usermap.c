/* test-gui-usermap.c: DBMail's login maps in the account window: the Login
 * Maps group of the Account tab shows the user's maps and says that DBMail
 * consults the table only when it exists; Add… writes a row, the core's
 * refusal shows as its sentence; Lock and Clear (with Undo) change the
 * rows; where the table is missing, Create Table… asks first and creates
 * it. Light and dark screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-account-window-usermap.h"
#include "mw-application.h"
#include "mw-list-page.h"
#include "mw-login-map-dialog.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"
#include "mw-window.h"

static gboolean
account_loaded (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static gboolean
group_idle (gpointer data)
{
  return !mw_account_usermap_is_busy (data);
}

static MwAccountUsermap *
open_group (MwSession   *session,
            const char  *key,
            GtkWindow  **window)
{
  MwAccountUsermap *group;

  *window = GTK_WINDOW (mw_account_window_new (session, key));
  gtk_window_set_default_size (*window, 720, 900);
  gtk_window_present (*window);
  mw_test_wait_until (account_loaded, *window, "the account");
  group = mw_account_window_get_usermap (MW_ACCOUNT_WINDOW (*window));
  g_assert_nonnull (group);
  mw_test_wait_until (group_idle, group, "the login maps");
  mw_test_spin (100);
  return group;
}

static void
assert_rows (MwAccountUsermap *group,
             const char       *want)
{
  g_autofree char *got = mw_account_usermap_dup_rows (group);

  g_assert_cmpstr (got, ==, want);
}

static void
act (MwAccountUsermap *group,
     const char       *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), action, NULL));
  mw_test_spin (50);
  mw_test_wait_until (group_idle, group, action);
  mw_test_spin (50);
}

/* The window scrolled to the group (a group alone has no background of its
 * own: its dark screenshot would be white on nothing). */
static void
save_group (MwAccountUsermap *group,
            GtkWindow        *window,
            const char       *name)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (group), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;

  g_assert_nonnull (scrolled);
  mw_test_spin (100);
  /* The group is the page's last. */
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  mw_test_spin (200);
  mw_test_save_screenshots (GTK_WIDGET (window), name);
}

/* The button of @action under @root (a row's Change… or Delete). */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_action_button (c, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *wanted_sql;

static gboolean
sql_is_one (gpointer data)
{
  return mw_test_db_int (data, wanted_sql) == 1;
}

static void
wait_sql (MwTestDb   *tdb,
          const char *sql)
{
  wanted_sql = sql;
  mw_test_wait_until (sql_is_one, tdb, sql);
}

static gboolean
save_enabled (gpointer data)
{
  return adw_message_dialog_get_response_enabled (data, "save");
}

static void
test_usermap (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  g_autofree char *key = NULL;
  g_autofree char *shot = NULL;
  GtkWindow *window = NULL;
  MwAccountUsermap *group;
  AdwMessageDialog *dialog;

  mw_test_db_add_user (tdb, "alice", 0, 0);
  mw_test_db_exec (tdb, "INSERT INTO dbmail_usermap (login, sock_allow, sock_deny, userid) VALUES "
                        "('bal', '', 'inet:192.0.2.10:110', 'alice'), ('ANY', '', '', '%s')");
  session = mw_test_connect_session (tdb);
  key = mw_test_account_key (session, "alice");

  /* The group shows the maps that reach alice, and says when DBMail reads them. */
  group = open_group (session, key, &window);
  assert_rows (group, "ANY|||%s\nbal||inet:192.0.2.10:110|alice\n");
  g_assert_true (mw_test_shows_text (GTK_WIDGET (group), "DBMail consults this table only when it exists."));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (group), "allowed: every socket · denied: inet:192.0.2.10:110 → alice"));
  shot = g_strdup_printf ("usermap-%s-group", server);
  save_group (group, window, shot);

  /* Add… writes the row the dialog says. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "usermap.add", NULL));
  mw_test_spin (100);
  dialog = mw_account_usermap_get_dialog (group);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (mw_account_usermap_get_field (group, "login"), "alice2");
  gtk_editable_set_text (mw_account_usermap_get_field (group, "allow"), "inet:192.0.2.10:143");
  g_free (shot);
  shot = g_strdup_printf ("usermap-%s-add", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  adw_message_dialog_response (dialog, "add");
  mw_test_spin (50);
  mw_test_wait_until (group_idle, group, "the new map");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_usermap WHERE login = 'alice2' AND "
                                        "sock_allow = 'inet:192.0.2.10:143' AND sock_deny = '' AND userid = 'alice'"),
                   ==, 1);
  g_assert_cmpstr (mw_account_usermap_get_toast (group), ==, "The login alice2 now logs in as alice.");

  /* Change…: the row's fields, its sockets changed in place. */
  {
    GtkWidget *row = mw_test_find_row (GTK_WIDGET (group), "alice2");
    GtkWidget *edit;

    g_assert_nonnull (row);
    edit = find_action_button (row, "usermap.edit");
    g_assert_nonnull (edit);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (edit), ==, "Change…");
    g_signal_emit_by_name (edit, "clicked");
    mw_test_spin (50);
    dialog = mw_account_usermap_get_dialog (group);
    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Change the Login Map");
    g_assert_cmpstr (gtk_editable_get_text (mw_login_map_dialog_get_field (dialog, "allow")), ==,
                     "inet:192.0.2.10:143");
    g_assert_cmpstr (gtk_editable_get_text (mw_login_map_dialog_get_field (dialog, "user")), ==, "alice");
    gtk_editable_set_text (mw_login_map_dialog_get_field (dialog, "allow"), "inet:192.0.2.20:143");
    gtk_editable_set_text (mw_login_map_dialog_get_field (dialog, "deny"), "inet:192.0.2.10:110");
    g_free (shot);
    shot = g_strdup_printf ("usermap-%s-edit", server);
    mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
    adw_message_dialog_response (dialog, "save");
    gtk_window_close (GTK_WINDOW (dialog));
    wait_sql (tdb, "SELECT count(*) FROM dbmail_usermap WHERE login = 'alice2' AND sock_allow = "
                   "'inet:192.0.2.20:143' AND sock_deny = 'inet:192.0.2.10:110' AND userid = 'alice'");
    mw_test_spin (50);
    mw_test_wait_until (group_idle, group, "the changed map");
    mw_test_wait_shows (GTK_WIDGET (group), "allowed: inet:192.0.2.20:143 · denied: inet:192.0.2.10:110 → alice");
    g_assert_cmpstr (mw_account_usermap_get_toast (group), ==, "Changed the login map of alice2.");
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_usermap WHERE login = 'alice2'"), ==, 1);
  }

  /* A socket DBMail cannot match: the core's sentence, nothing written. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "usermap.add", NULL));
  mw_test_spin (100);
  dialog = mw_account_usermap_get_dialog (group);
  gtk_editable_set_text (mw_account_usermap_get_field (group, "login"), "x");
  gtk_editable_set_text (mw_account_usermap_get_field (group, "allow"), "inet:::1:143");
  adw_message_dialog_response (dialog, "add");
  mw_test_spin (50);
  mw_test_wait_until (group_idle, group, "the refusal");
  mw_test_wait_shows (GTK_WIDGET (group), "“inet:::1:143” names an IPv6 address: DBMail 3.5 compares only IPv4 "
                      "addresses in login maps, so it would never match. Type an IPv4 address, such as "
                      "inet:192.0.2.10:143.");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_usermap WHERE login = 'x'"), ==, 0);

  /* Lock: every row that reaches alice refuses on every socket; Undo puts them back. */
  act (group, "usermap.lock");
  g_assert_cmpstr (mw_account_usermap_get_toast (group), ==, "DBMail now refuses every login of alice.");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_usermap WHERE userid = 'alice' AND "
                                        "sock_deny = 'unix:*'"), ==, 3);
  g_free (shot);
  shot = g_strdup_printf ("usermap-%s-locked", server);
  save_group (group, window, shot);
  mw_account_usermap_undo (group);
  mw_test_spin (50);
  mw_test_wait_until (group_idle, group, "the undo");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_usermap WHERE sock_deny = 'unix:*'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_usermap WHERE userid = 'alice'"), ==, 2);

  /* Clear: alice's maps go, the ANY map stays. */
  act (group, "usermap.clear");
  g_assert_cmpstr (mw_account_usermap_get_toast (group), ==, "Removed 2 login maps of alice.");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_usermap"), ==, 1);
  assert_rows (group, "ANY|||%s\n");
  gtk_window_destroy (window);

  /* No table: the group says so and creates it only after asking. */
  mw_test_db_exec (tdb, "DROP TABLE dbmail_usermap");
  group = open_group (session, key, &window);
  g_assert_true (mw_test_shows_text (GTK_WIDGET (group), "This database has no table of login maps, so DBMail maps no logins."));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (group), "Create Table…"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (group), "usermap.add", NULL) &&
                  mw_account_usermap_get_dialog (group) != NULL);
  g_free (shot);
  shot = g_strdup_printf ("usermap-%s-no-table", server);
  save_group (group, window, shot);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "usermap.create-table", NULL));
  mw_test_spin (100);
  dialog = mw_account_usermap_get_dialog (group);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Create the Table of Login Maps?");
  g_free (shot);
  shot = g_strdup_printf ("usermap-%s-create", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  adw_message_dialog_response (dialog, "cancel");
  mw_test_spin (50);
  g_assert_cmpint (mw_test_db_int (tdb, tdb->driver == MW_DB_DRIVER_PGSQL
                                        ? "SELECT count(*) FROM information_schema.tables WHERE table_name = "
                                          "'dbmail_usermap' AND table_schema = current_schema()"
                                        : "SELECT count(*) FROM information_schema.tables WHERE table_name = "
                                          "'dbmail_usermap' AND table_schema = DATABASE()"), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "usermap.create-table", NULL));
  mw_test_spin (100);
  adw_message_dialog_response (mw_account_usermap_get_dialog (group), "create");
  mw_test_spin (50);
  mw_test_wait_until (group_idle, group, "the new table");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_usermap"), ==, 0);
  g_assert_cmpstr (mw_account_usermap_get_toast (group), ==,
                   "Created the table of login maps: DBMail consults it from now on.");
  mw_test_wait_shows (GTK_WIDGET (group), "No login maps: the user logs in with its own name on every socket.");
  gtk_window_destroy (window);
  mw_test_spin (50);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static int wanted_rows;

static gboolean
count_is (gpointer data)
{
  return mw_test_db_int (data, "SELECT count(*) FROM dbmail_usermap") == wanted_rows;
}

static void
wait_count (MwTestDb *tdb,
            int       want)
{
  wanted_rows = want;
  mw_test_wait_until (count_is, tdb, "the rows");
}

/* The Login Maps list: Add (the window's Add button there) writes a row the
 * list then shows; a row asks whether to delete it, and Delete deletes it. */
static void
test_list (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  g_autofree char *shot = NULL;
  MwWindow *window;
  MwListPage *page;
  AdwMessageDialog *dialog;

  mw_test_db_add_user (tdb, "alice", 0, 0);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  gtk_window_present (GTK_WINDOW (window));
  page = mw_window_get_page (window, MW_LIST_LOGIN_MAPS);
  g_assert_nonnull (page);
  mw_window_show_page (window, MW_LIST_LOGIN_MAPS);
  mw_test_spin (300);
  mw_test_wait_shows (GTK_WIDGET (window), "No Login Maps. DBMail consults this table only when it exists.");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (mw_test_find_type (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON)), ==,
                   "Add a login map (Ctrl+N)");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add", NULL));
  mw_test_wait_until (dialog_shown, NULL, "the Add dialog");
  dialog = find_message_dialog ();
  gtk_editable_set_text (mw_login_map_dialog_get_field (dialog, "login"), "ANY");
  gtk_editable_set_text (mw_login_map_dialog_get_field (dialog, "user"), "%s@example.org");
  gtk_editable_set_text (mw_login_map_dialog_get_field (dialog, "deny"), "inet:192.0.2.10:110");
  shot = g_strdup_printf ("usermap-%s-list-add", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  adw_message_dialog_response (dialog, "add");
  wait_count (tdb, 1);
  mw_test_settle_page (page, "the Login Maps list");
  mw_test_wait_shows (GTK_WIDGET (page), "%s@example.org");
  g_free (shot);
  shot = g_strdup_printf ("usermap-%s-list", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);

  /* A row opens its fields: the sockets change in place. */
  g_signal_emit_by_name (mw_list_page_get_column_view (page), "activate", 0);
  mw_test_wait_until (dialog_shown, NULL, "the row's dialog");
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Change the Login Map");
  mw_test_wait_until (save_enabled, dialog, "the row's fields");
  g_assert_cmpstr (gtk_editable_get_text (mw_login_map_dialog_get_field (dialog, "user")), ==, "%s@example.org");
  g_assert_cmpstr (gtk_editable_get_text (mw_login_map_dialog_get_field (dialog, "deny")), ==, "inet:192.0.2.10:110");
  gtk_editable_set_text (mw_login_map_dialog_get_field (dialog, "deny"), "");
  gtk_editable_set_text (mw_login_map_dialog_get_field (dialog, "allow"), "inet:192.0.2.10:143");
  g_free (shot);
  shot = g_strdup_printf ("usermap-%s-list-edit", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  adw_message_dialog_response (dialog, "save");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_sql (tdb, "SELECT count(*) FROM dbmail_usermap WHERE login = 'ANY' AND sock_allow = 'inet:192.0.2.10:143' "
                 "AND sock_deny = ''");
  mw_test_settle_page (page, "the changed row");
  mw_test_wait_shows (GTK_WIDGET (page), "inet:192.0.2.10:143");
  mw_test_spin (50);

  /* ... or Delete deletes it. */
  g_signal_emit_by_name (mw_list_page_get_column_view (page), "activate", 0);
  mw_test_wait_until (dialog_shown, NULL, "the row's dialog again");
  dialog = find_message_dialog ();
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (dialog, "delete");
  wait_count (tdb, 0);
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

  g_setenv ("MAILWARDEN_AUDIT_LOG", log, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_gui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  mw_test_add_both ("/gui/usermap/group", test_usermap);
  mw_test_add_both ("/gui/usermap/list", test_list);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
