/* test-gui.c: the real windows under Xvfb on real PostgreSQL and MariaDB servers.
 *
 * Drives the windows through their actions and public calls, asserts on
 * what they show against the database, and saves screenshots in
 * <build>/screenshots for people to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-add-user-dialog.h"
#include "mw-format.h"
#include "mw-address-window.h"
#include "mw-connect-window.h"
#include "mw-profiles.h"
#include "mw-busy-indicator.h"
#include "mw-ramp-model.h"
#include "mw-application.h"
#include "mw-demo-data.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"
#include "mw-window.h"

static gboolean
page_settled (gpointer data)
{
  MwListPage *page = data;
  MwPagedModel *model = mw_list_page_get_model (page);

  return !mw_paged_model_is_busy (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

static gboolean
model_idle (gpointer data)
{
  return !mw_paged_model_is_busy (mw_list_page_get_model (data));
}

static gboolean
account_loaded (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_loading (data);
}

static gboolean
screen_filled (gpointer data)
{
  return !mw_list_page_is_filling_screen (data);
}

/* Whether a cell on screen shows exactly this text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  MwWindow *window;
} FindWait;

static gboolean
find_answered (gpointer data)
{
  return mw_window_get_find_message (data) != NULL;
}

static void
test_main_window (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  const char *prefix = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  MwWindow *window;
  MwListPage *users;
  g_autofree char *shot = NULL;
  g_autofree char *first_number = NULL;
  g_autofree char *cell = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *sql = NULL;
  gint64 n_users;
  GtkWindow *account;

  g_assert_true (mw_demo_populate (tdb->db, 300, 42, &error));
  g_assert_no_error (error);
  n_users = mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE user_idnr > 3");

  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));

  /* Every list's sidebar icon is one the icon theme has: a missing name is
   * drawn as a broken-image picture. */
  for (guint kind = 0; kind < MW_N_LISTS; kind++)
    {
      const MwListInfo *info = mw_schema_get_list (mw_session_get_schema (session), kind);

      if (info != NULL && !gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window))),
                                                    info->icon_name))
        g_error ("the %s list's icon %s is not in the icon theme", info->id, info->icon_name);
    }

  /* Users: every user, rows drawn from pages. */
  users = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (page_settled, users, "the users list");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users))), ==, n_users);
  /* The cells on screen are filled over a few frames: then the first user's
   * row shows the name. */
  {
    g_autoptr(MwRecord) r = g_list_model_get_item (G_LIST_MODEL (mw_list_page_get_model (users)), 0);
    g_autofree char *name = NULL;

    mw_test_wait_until ((gboolean (*) (gpointer)) mw_record_get_loaded, r, "row 0");
    mw_test_spin (50);
    mw_test_wait_until (screen_filled, users, "the cells on screen");
    name = mw_list_page_dup_cell_text (users, 0, 0);
    g_assert_nonnull (name);
    g_assert_true (shows_text (GTK_WIDGET (mw_list_page_get_column_view (users)), name));
  }
  shot = g_strdup_printf ("%s-users", prefix);
  mw_test_save_screenshot (GTK_WIDGET (window), shot);

  /* Sort by number through the column header's sorter: the first row is the lowest number. */
  mw_list_page_set_sort (users, MW_SORT_NUMBER, FALSE);
  mw_test_spin (50);
  mw_test_wait_until (model_idle, users, "the sorted list");
  first_number = mw_test_db_string (tdb, "SELECT min(user_idnr) FROM dbmail_users WHERE user_idnr > 3");
  {
    g_autoptr(MwRecord) r = g_list_model_get_item (G_LIST_MODEL (mw_list_page_get_model (users)), 0);
    mw_test_wait_until ((gboolean (*) (gpointer)) mw_record_get_loaded, r, "row 0");
  }
  cell = mw_list_page_dup_cell_text (users, 0, 1);
  g_assert_cmpstr (cell, ==, first_number);
  g_clear_pointer (&cell, g_free);

  /* Descending by mail size. */
  mw_list_page_set_sort (users, MW_SORT_MAIL_SIZE, TRUE);
  mw_test_spin (50);
  mw_test_wait_until (model_idle, users, "the list sorted by size");
  {
    g_autoptr(MwRecord) r = g_list_model_get_item (G_LIST_MODEL (mw_list_page_get_model (users)), 0);
    g_autofree char *biggest = mw_test_db_string (tdb, "SELECT max(curmail_size) FROM dbmail_users WHERE user_idnr > 3");

    mw_test_wait_until ((gboolean (*) (gpointer)) mw_record_get_loaded, r, "row 0");
    g_assert_cmpstr (mw_record_get_string (r, "curmail_size"), ==, biggest);
  }

  /* Filter as you type: a name's substring. */
  mw_list_page_set_search (users, "smith");
  mw_test_spin (50);
  mw_test_wait_until (model_idle, users, "the filtered list");
  {
    g_autofree char *count_sql = g_strdup ("SELECT count(*) FROM dbmail_users u WHERE u.user_idnr > 3 AND "
                                           "(lower(u.userid) LIKE '%smith%' OR u.user_idnr IN (SELECT "
                                           "CAST(a.deliver_to AS UNSIGNED) FROM dbmail_aliases a WHERE lower(a.alias) LIKE '%smith%'))");
    gint64 expected;

    if (tdb->driver == MW_DB_DRIVER_PGSQL)
      {
        g_free (count_sql);
        count_sql = g_strdup ("SELECT count(*) FROM dbmail_users u WHERE u.user_idnr > 3 AND "
                              "(lower(u.userid) LIKE '%smith%' OR CAST(u.user_idnr AS TEXT) IN (SELECT a.deliver_to "
                              "FROM dbmail_aliases a WHERE lower(a.alias) LIKE '%smith%'))");
      }
    expected = mw_test_db_int (tdb, count_sql);
    g_assert_cmpint (expected, >, 0);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users))), ==, expected);
  }
  g_free (shot);
  shot = g_strdup_printf ("%s-users-search", prefix);
  mw_test_save_screenshot (GTK_WIDGET (window), shot);

  /* Nothing matches: the empty state says so. */
  mw_list_page_set_search (users, "no-such-name-anywhere");
  mw_test_spin (50);
  mw_test_wait_until (model_idle, users, "the empty list");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users))), ==, 0);
  g_free (shot);
  shot = g_strdup_printf ("%s-users-empty", prefix);
  mw_test_save_screenshot (GTK_WIDGET (window), shot);
  mw_list_page_set_search (users, "");

  /* The other lists. */
  for (int kind = MW_LIST_ALIASES; kind <= MW_LIST_GROUPS; kind++)
    {
      MwListPage *page = mw_window_get_page (window, kind);
      g_autofree char *name = g_strdup_printf ("%s-%s", prefix,
                                               mw_schema_get_list (mw_session_get_schema (session), kind)->id);

      mw_window_show_page (window, kind);
      mw_test_wait_until (page_settled, page, name);
      mw_test_save_screenshot (GTK_WIDGET (window), name);
    }

  /* Find by alias opens that user's account window, with what the database holds. */
  sql = g_strdup_printf ("SELECT a.alias FROM dbmail_aliases a JOIN dbmail_users u ON a.deliver_to = %s "
                         "WHERE u.user_idnr > 3 AND a.alias LIKE '%%.%%@%%' ORDER BY a.alias_idnr LIMIT 1",
                         tdb->driver == MW_DB_DRIVER_PGSQL ? "CAST(u.user_idnr AS TEXT)" : "CAST(u.user_idnr AS CHAR)");
  alias = mw_test_db_string (tdb, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT u.userid FROM dbmail_aliases a JOIN dbmail_users u ON a.deliver_to = %s "
                         "WHERE a.alias = '%s'",
                         tdb->driver == MW_DB_DRIVER_PGSQL ? "CAST(u.user_idnr AS TEXT)" : "CAST(u.user_idnr AS CHAR)",
                         alias);
  owner = mw_test_db_string (tdb, sql);
  {
    g_autofree char *upper = g_ascii_strup (alias, -1);
    mw_window_find (window, upper);
  }
  {
    gint64 idnr;
    g_autofree char *key = NULL;
    g_free (sql);
    sql = g_strdup_printf ("SELECT user_idnr FROM dbmail_users WHERE userid = '%s'", owner);
    idnr = mw_test_db_int (tdb, sql);
    /* DBMail's account key: the user's number in decimal. */
    key = g_strdup_printf ("%" G_GINT64_FORMAT, idnr);
    while ((account = mw_window_lookup_account (window, key)) == NULL)
      g_main_context_iteration (NULL, TRUE);
    mw_test_wait_until (account_loaded, account, "the account window");

    g_assert_cmpstr (mw_account_window_get_value (MW_ACCOUNT_WINDOW (account), "name"), ==, owner);
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, idnr);
      g_assert_cmpstr (mw_account_window_get_value (MW_ACCOUNT_WINDOW (account), "number"), ==, number);
    }
    {
      g_auto(GStrv) rows = mw_account_window_dup_rows (MW_ACCOUNT_WINDOW (account), "aliases");
      g_autofree char *joined = g_strjoinv ("\n", rows);
      gint64 n_aliases;

      g_free (sql);
      sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE deliver_to = '%" G_GINT64_FORMAT "'", idnr);
      n_aliases = mw_test_db_int (tdb, sql);
      g_assert_cmpuint (g_strv_length (rows), ==, n_aliases);
      g_assert_nonnull (strstr (joined, alias));
    }
    {
      g_auto(GStrv) rows = mw_account_window_dup_rows (MW_ACCOUNT_WINDOW (account), "mailboxes");
      gint64 n_mailboxes;

      g_free (sql);
      sql = g_strdup_printf ("SELECT count(*) FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT, idnr);
      n_mailboxes = mw_test_db_int (tdb, sql);
      if (n_mailboxes > 0)
        g_assert_cmpuint (g_strv_length (rows), ==, n_mailboxes);
    }
    g_free (shot);
    shot = g_strdup_printf ("%s-account", prefix);
    mw_test_save_screenshot (GTK_WIDGET (account), shot);

    /* Opening the same account again raises the same window. */
    g_assert_true (mw_window_open_account (window, key) == account);
  }

  /* Find: a forward says where it goes; nothing found says so in place. */
  {
    g_autofree char *forward = mw_test_db_string (tdb, "SELECT alias FROM dbmail_aliases WHERE deliver_to LIKE '|%' LIMIT 1");

    mw_window_find (window, forward);
    mw_test_wait_until (find_answered, window, "the find answer");
    g_assert_nonnull (strstr (mw_window_get_find_message (window), "is not a user"));
    mw_window_find (window, "nobody@nowhere.example");
    while (strstr (mw_window_get_find_message (window), "Nothing matches") == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_free (shot);
    shot = g_strdup_printf ("%s-find-nothing", prefix);
    mw_test_save_screenshot (GTK_WIDGET (window), shot);
  }

  /* The server drops every connection: the list says so and offers
   * Reconnect, which brings the rows back. */
  {
    g_autofree char *kill = NULL;
    g_autoptr(MwDbResult) ids = NULL;
    const GError *shown;

    mw_window_show_page (window, MW_LIST_USERS);
    if (tdb->driver == MW_DB_DRIVER_PGSQL)
      {
        kill = g_strdup_printf ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' "
                                "AND pid <> pg_backend_pid()", tdb->database);
        mw_test_db_exec (tdb, kill);
      }
    else
      {
        g_autofree char *list = g_strdup_printf ("SELECT id FROM information_schema.processlist WHERE db = '%s' "
                                                 "AND id <> CONNECTION_ID()", tdb->database);
        ids = mw_db_exec (tdb->db, list, NULL, 0, NULL, &error);
        g_assert_no_error (error);
        for (guint i = 0; i < mw_db_result_get_n_rows (ids); i++)
          {
            g_autofree char *k = g_strdup_printf ("KILL %s", mw_db_result_get_string (ids, i, 0));
            mw_test_db_exec (tdb, k);
          }
      }
    g_usleep (200 * 1000);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL);
    mw_test_spin (50);
    mw_test_wait_until (model_idle, users, "the failed reload");
    shown = mw_paged_model_get_error (mw_list_page_get_model (users));
    g_assert_error ((GError *) shown, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
    g_free (shot);
    shot = g_strdup_printf ("%s-connection-lost", prefix);
    mw_test_save_screenshot (GTK_WIDGET (window), shot);

    mw_list_page_reload (users);
    mw_test_spin (50);
    mw_test_wait_until (model_idle, users, "the reconnected list");
    g_assert_null (mw_paged_model_get_error (mw_list_page_get_model (users)));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users))), ==, n_users);
  }

  gtk_window_destroy (account);
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

static gboolean
first_row_loaded (gpointer data)
{
  g_autoptr(MwRecord) r = g_list_model_get_item (G_LIST_MODEL (mw_list_page_get_model (data)), 0);

  return r != NULL && mw_record_get_loaded (r) && !mw_paged_model_is_busy (mw_list_page_get_model (data));
}

/* Shows the list kind and activates its first row, as a double click does. */
static void
activate_first_row (MwWindow   *window,
                    MwListKind  kind)
{
  MwListPage *page = mw_window_get_page (window, kind);

  mw_window_show_page (window, kind);
  mw_test_wait_until (first_row_loaded, page, "the list's first row");
  g_signal_emit_by_name (mw_list_page_get_column_view (page), "activate", 0);
}

typedef struct
{
  MwWindow   *window;
  const char *key;
} AccountWait;

static gboolean
account_open (gpointer data)
{
  AccountWait *w = data;

  return mw_window_lookup_account (w->window, w->key) != NULL;
}

static gboolean
address_window_open (gpointer data)
{
  return g_object_get_data (data, "mw-address-window") != NULL;
}

/* A row of each list opens what it shows: a user its account, an alias its
 * user, a forward its address, a domain its aliases, a group its users. */
static void
test_list_rows (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *alice_key = NULL;
  g_autofree char *bob_key = NULL;
  MwWindow *window;
  GtkWindow *account;

  /* Each gets the alias name@example.org. */
  alice_key = g_strdup_printf ("%" G_GINT64_FORMAT, mw_test_db_add_user (tdb, "alice", 7, 0));
  bob_key = g_strdup_printf ("%" G_GINT64_FORMAT, mw_test_db_add_user (tdb, "bob", 7, 0));
  mw_test_db_add_alias (tdb, "fwd@example.org", "x@partner.example", 0);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));

  /* Users, by name: alice first. */
  activate_first_row (window, MW_LIST_USERS);
  mw_test_wait_until (account_open, &(AccountWait) { window, alice_key }, "alice's account window");
  account = mw_window_lookup_account (window, alice_key);
  g_assert_null (mw_window_lookup_account (window, bob_key));
  gtk_window_destroy (account);

  /* Aliases, by address: alice@example.org, whose user's account opens. */
  activate_first_row (window, MW_LIST_ALIASES);
  mw_test_wait_until (account_open, &(AccountWait) { window, alice_key }, "alice's account window again");
  account = mw_window_lookup_account (window, alice_key);
  g_assert_null (mw_window_lookup_account (window, bob_key));
  gtk_window_destroy (account);

  /* The only forward: where its address goes, in a window of its own. */
  activate_first_row (window, MW_LIST_FORWARDS);
  mw_test_wait_until (address_window_open, window, "the forward's address window");
  g_assert_cmpstr (mw_address_window_get_address (g_object_get_data (G_OBJECT (window), "mw-address-window")), ==,
                   "fwd@example.org");
  gtk_window_destroy (g_object_get_data (G_OBJECT (window), "mw-address-window"));

  /* A domain: the aliases at it. */
  activate_first_row (window, MW_LIST_DOMAINS);
  g_assert_true (mw_window_get_visible_page (window) == mw_window_get_page (window, MW_LIST_ALIASES));
  g_assert_cmpstr (mw_list_page_get_request (mw_window_get_page (window, MW_LIST_ALIASES))->search, ==,
                   "@example.org");

  /* A group: its users. */
  activate_first_row (window, MW_LIST_GROUPS);
  {
    const MwListRequest *request = mw_list_page_get_request (mw_window_get_page (window, MW_LIST_USERS));

    g_assert_true (mw_window_get_visible_page (window) == mw_window_get_page (window, MW_LIST_USERS));
    g_assert_true (request->has_group);
    g_assert_cmpint (request->group, ==, 7);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

/* Narrow windows */

static gboolean
users_shown (gpointer data)
{
  MwListPage *page = data;

  return page_settled (page) && !mw_list_page_is_filling_screen (page);
}

/* Every control in sight: each mapped button, entry and drop-down lies
 * inside the window's width (none past the edge where Tab would reach it
 * unseen). */
static void
assert_controls_in_sight (GtkWidget *window,
                          GtkWidget *widget,
                          guint     *n_controls)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (child) || GTK_IS_POPOVER (child))
        continue;
      if ((GTK_IS_BUTTON (child) || GTK_IS_MENU_BUTTON (child) || GTK_IS_SEARCH_ENTRY (child) ||
           GTK_IS_DROP_DOWN (child)) && gtk_widget_compute_bounds (child, window, &bounds))
        {
          if (bounds.origin.x < -1 || bounds.origin.x + bounds.size.width > gtk_widget_get_width (window) + 1)
            g_error ("%s (%s) is out of sight: %g..%g of %d", G_OBJECT_TYPE_NAME (child),
                     gtk_widget_get_tooltip_text (child) != NULL ? gtk_widget_get_tooltip_text (child) : "",
                     bounds.origin.x, bounds.origin.x + bounds.size.width, gtk_widget_get_width (window));
          (*n_controls)++;
        }
      assert_controls_in_sight (window, child, n_controls);
    }
}

/* The titles of the columns shown, joined by "|"; every shown column is in
 * sight (the table needs no horizontal scrolling). */
static gboolean
columns_fit (gpointer data)
{
  GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (mw_list_page_get_column_view (data)));

  return gtk_adjustment_get_upper (h) <= gtk_adjustment_get_page_size (h) + 1;
}

static char *
shown_columns (MwListPage *page)
{
  GtkColumnView *view = mw_list_page_get_column_view (page);
  GListModel *columns = gtk_column_view_get_columns (view);
  GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (view));
  g_autoptr(GString) titles = g_string_new (NULL);

  mw_test_wait_until (columns_fit, page, "the columns to fit the width");
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h) + 1);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (!gtk_column_view_column_get_visible (column))
        continue;
      if (titles->len > 0)
        g_string_append_c (titles, '|');
      g_string_append (titles, gtk_column_view_column_get_title (column));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static void
resize_and_settle (MwWindow   *window,
                   MwListPage *page,
                   int         width,
                   int         height)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  /* The columns fit in an idle after the new allocation. */
  for (int i = 0; i < 20 && gtk_widget_get_width (GTK_WIDGET (window)) != width; i++)
    mw_test_spin (50);
  mw_test_spin (300);
  mw_test_wait_until (users_shown, page, "the list at the new width");
}

static void
save_light_and_dark (GtkWidget  *widget,
                     const char *prefix,
                     const char *name)
{
  g_autofree char *light = g_strdup_printf ("%s-%s", prefix, name);
  g_autofree char *dark = g_strdup_printf ("%s-%s-dark", prefix, name);

  mw_test_save_screenshot (widget, light);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  mw_test_spin (200);
  mw_test_save_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  mw_test_spin (100);
}

/* The main window at 360 px (a phone, a narrow tile), 640 px (half of a
 * 1280 px screen) and 800x600: the sidebar folds away below about 580 px
 * behind a Lists button, the least important columns hide, and every
 * control stays in sight. */
static gboolean
window_folded (gpointer window)
{
  return mw_window_is_folded (window);
}

static void
test_narrow_window (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  const char *prefix = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  MwWindow *window;
  MwListPage *users;
  MwListPage *aliases;
  char *columns;
  guint n_controls = 0;
  g_autoptr(GtkCssProvider) css = NULL;

  g_assert_true (mw_demo_populate (tdb->db, 60, 42, &error));
  g_assert_no_error (error);
  /* The application's style sheet, as AdwApplication loads it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/mailwarden/Mailwarden/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_present (GTK_WINDOW (window));
  users = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (users_shown, users, "the users list");
  mw_test_spin (300);

  /* 360 px: the window is no wider; the list is shown, the sidebar folded
   * away; Name, Quota and Enabled are in sight. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  /* The leaflet folds on an allocation after the first one: a sanitized
   * build under load needed longer than the 300 ms above. */
  mw_test_wait_until (window_folded, window, "the sidebar to fold at 360 px");
  g_assert_false (mw_window_shows_lists (window));
  assert_controls_in_sight (GTK_WIDGET (window), GTK_WIDGET (window), &n_controls);
  /* Lists, Add and its arrow, Find, the menu, the list's search and group. */
  g_assert_cmpuint (n_controls, >=, 6);
  columns = shown_columns (users);
  g_assert_cmpstr (columns, ==, "Name|Quota|Enabled");
  g_free (columns);
  save_light_and_dark (GTK_WIDGET (window), prefix, "main-360");

  /* The Lists button brings the sidebar; choosing Aliases shows that list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-lists", NULL));
  mw_test_spin (100);
  g_assert_true (mw_window_shows_lists (window));
  n_controls = 0;
  assert_controls_in_sight (GTK_WIDGET (window), GTK_WIDGET (window), &n_controls);
  save_light_and_dark (GTK_WIDGET (window), prefix, "main-360-lists");
  /* The focus went with the sidebar: on the Users row. */
  {
    GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

    g_assert_true (GTK_IS_LIST_BOX_ROW (focus));
    g_assert_true (gtk_widget_get_mapped (focus));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "i", MW_LIST_ALIASES));
  aliases = mw_window_get_page (window, MW_LIST_ALIASES);
  mw_test_wait_until (users_shown, aliases, "the aliases list");
  mw_test_spin (300);
  g_assert_false (mw_window_shows_lists (window));
  columns = shown_columns (aliases);
  g_assert_cmpstr (columns, ==, "Alias|User");
  g_free (columns);
  save_light_and_dark (GTK_WIDGET (window), prefix, "main-360-aliases");
  n_controls = 0;
  assert_controls_in_sight (GTK_WIDGET (window), GTK_WIDGET (window), &n_controls);
  /* Alt+Left (the leaflet's back) from the list: the sidebar comes with the
   * focus, not left behind in the list that went away. */
  gtk_widget_grab_focus (GTK_WIDGET (mw_list_page_get_column_view (aliases)));
  {
    GtkWidget *leaflet = gtk_widget_get_ancestor (GTK_WIDGET (aliases), ADW_TYPE_LEAFLET);
    GtkWidget *focus;

    g_assert_true (adw_leaflet_navigate (ADW_LEAFLET (leaflet), ADW_NAVIGATION_DIRECTION_BACK));
    mw_test_spin (200);
    g_assert_true (mw_window_shows_lists (window));
    focus = gtk_window_get_focus (GTK_WINDOW (window));
    g_assert_nonnull (focus);
    g_assert_true (GTK_IS_LIST_BOX_ROW (focus));
  }
  mw_window_show_page (window, MW_LIST_USERS);

  /* Half of a 1280 px screen: the sidebar is back. */
  resize_and_settle (window, users, 640, 600);
  g_assert_false (mw_window_is_folded (window));
  g_assert_true (mw_window_shows_lists (window));
  n_controls = 0;
  assert_controls_in_sight (GTK_WIDGET (window), GTK_WIDGET (window), &n_controls);
  columns = shown_columns (users);
  g_assert_cmpstr (columns, ==, "Name|Quota|Enabled");
  g_free (columns);
  save_light_and_dark (GTK_WIDGET (window), prefix, "main-640");

  /* 800x600: Last Login and Enabled are in sight (Password Hash, Number
   * and Group hide first). */
  resize_and_settle (window, users, 800, 600);
  columns = shown_columns (users);
  g_assert_cmpstr (columns, ==, "Name|Quota|Used|Last Login|Enabled");
  g_free (columns);
  n_controls = 0;
  assert_controls_in_sight (GTK_WIDGET (window), GTK_WIDGET (window), &n_controls);
  save_light_and_dark (GTK_WIDGET (window), prefix, "main-800x600");

  /* Wide: every column. */
  resize_and_settle (window, users, 1280, 800);
  columns = shown_columns (users);
  g_assert_cmpstr (columns, ==, "Name|Number|Group|Quota|Used|Last Login|Password Hash|Enabled");
  g_free (columns);
  save_light_and_dark (GTK_WIDGET (window), prefix, "main-1280");

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css));
  mw_test_spin (100);
}

static gboolean
page_idle_and_drawn (gpointer data)
{
  return !mw_paged_model_is_busy (mw_list_page_get_model (data)) && !mw_list_page_is_filling_screen (data);
}

/* The label of the first cell on screen that shows text, or NULL. */
static GtkWidget *
find_cell (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_cell (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The lists in the admin's words: international domains in Unicode with
 * the stored form in a tooltip, dates in the one form, the alias's number
 * titled as such, and an empty filter saying what found nothing. */
static void
test_list_words (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  const char *prefix = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  g_autofree char *shot = NULL;
  MwWindow *window;
  MwListPage *page;
  GtkWidget *cell;

  g_assert_true (mw_demo_populate (tdb->db, 120, 42, &error));
  g_assert_no_error (error);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  gtk_window_present (GTK_WINDOW (window));

  /* Aliases at xn--bcher-kva.example read bücher.example; the tooltip has
   * what the database holds. The number column is the alias's. */
  mw_window_show_page (window, MW_LIST_ALIASES);
  page = mw_window_get_page (window, MW_LIST_ALIASES);
  mw_list_page_set_search (page, "@xn--bcher-kva.example");
  mw_test_spin (50);
  mw_test_wait_until (page_settled, page, "the aliases at bücher.example");
  mw_test_wait_until (page_idle_and_drawn, page, "the cells");
  {
    g_autoptr(MwRecord) r = g_list_model_get_item (G_LIST_MODEL (mw_list_page_get_model (page)), 0);
    g_autofree char *shown = mw_list_page_dup_cell_text (page, 0, 0);
    const char *stored = mw_record_get_string (r, "alias");
    g_autoptr(GtkColumnViewColumn) number = g_list_model_get_item (
      gtk_column_view_get_columns (mw_list_page_get_column_view (page)), 3);

    g_assert_true (g_str_has_suffix (stored, "@xn--bcher-kva.example"));
    g_assert_true (g_str_has_suffix (shown, "@bücher.example"));
    cell = find_cell (GTK_WIDGET (mw_list_page_get_column_view (page)), shown);
    g_assert_nonnull (cell);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (cell), ==, stored);
    g_assert_cmpstr (gtk_column_view_column_get_title (number), ==, "Alias Number");
  }
  shot = g_strdup_printf ("%s-aliases-idn", prefix);
  mw_test_save_screenshot (GTK_WIDGET (window), shot);

  /* The domain too. */
  mw_window_show_page (window, MW_LIST_DOMAINS);
  page = mw_window_get_page (window, MW_LIST_DOMAINS);
  mw_list_page_set_search (page, "xn--bcher");
  mw_test_spin (50);
  mw_test_wait_until (page_settled, page, "the domain bücher.example");
  mw_test_wait_until (page_idle_and_drawn, page, "the cells");
  {
    g_autofree char *shown = mw_list_page_dup_cell_text (page, 0, 0);

    g_assert_cmpstr (shown, ==, "bücher.example");
    cell = find_cell (GTK_WIDGET (mw_list_page_get_column_view (page)), shown);
    g_assert_nonnull (cell);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (cell), ==, "xn--bcher-kva.example");
  }

  /* A login name that is an address reads bücher.example too, with the
   * name one logs in with in the tooltip. */
  mw_window_show_page (window, MW_LIST_USERS);
  page = mw_window_get_page (window, MW_LIST_USERS);
  mw_list_page_set_search (page, "xn--bcher");
  mw_test_spin (50);
  mw_test_wait_until (page_settled, page, "the users at bücher.example");
  mw_test_wait_until (page_idle_and_drawn, page, "the cells");
  {
    g_autoptr(MwRecord) r = g_list_model_get_item (G_LIST_MODEL (mw_list_page_get_model (page)), 0);
    g_autofree char *shown = mw_list_page_dup_cell_text (page, 0, 0);
    const char *stored = mw_record_get_string (r, "userid");

    g_assert_true (g_str_has_suffix (stored, "@xn--bcher-kva.example"));
    g_assert_true (g_str_has_suffix (shown, "@bücher.example"));
    cell = find_cell (GTK_WIDGET (mw_list_page_get_column_view (page)), shown);
    g_assert_nonnull (cell);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (cell), ==, stored);
  }
  mw_list_page_set_search (page, "");
  mw_test_spin (50);

  /* Last Login in the one date form of mw-format. */
  mw_window_show_page (window, MW_LIST_USERS);
  page = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (page_settled, page, "the users");
  mw_list_page_set_sort (page, MW_SORT_LAST_LOGIN, TRUE);
  mw_test_spin (50);
  mw_test_wait_until (page_idle_and_drawn, page, "the users by last login");
  {
    g_autoptr(MwRecord) r = g_list_model_get_item (G_LIST_MODEL (mw_list_page_get_model (page)), 0);
    g_autofree char *shown = mw_list_page_dup_cell_text (page, 0, 5);
    g_autofree char *expected = mw_format_timestamp_text (mw_record_get_string (r, "last_login"));

    g_assert_cmpstr (shown, ==, expected);
  }

  /* Empty filters say what found nothing. */
  mw_list_page_set_search (page, "xyz-nobody");
  mw_test_spin (50);
  mw_test_wait_until (model_idle, page, "the empty search");
  mw_test_spin (100);
  g_assert_cmpstr (mw_list_page_get_empty_text (page), ==, "No users match “xyz-nobody”");
  g_free (shot);
  shot = g_strdup_printf ("%s-users-no-match", prefix);
  mw_test_save_screenshot (GTK_WIDGET (window), shot);
  mw_list_page_set_search (page, "");
  mw_list_page_set_group (page, TRUE, 987654);
  mw_test_spin (50);
  mw_test_wait_until (model_idle, page, "the empty group");
  mw_test_spin (100);
  g_assert_cmpstr (mw_list_page_get_empty_text (page), ==, "No users in group 987654");
  mw_list_page_set_group (page, FALSE, 0);
  mw_window_show_page (window, MW_LIST_ALIASES);
  page = mw_window_get_page (window, MW_LIST_ALIASES);
  mw_list_page_set_search (page, "xyz-nothing");
  mw_test_spin (50);
  mw_test_wait_until (model_idle, page, "the empty aliases");
  mw_test_spin (100);
  g_assert_cmpstr (mw_list_page_get_empty_text (page), ==, "No aliases match “xyz-nothing”");

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

static MwAddUserDialog *
find_add_user_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (MW_IS_ADD_USER_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return MW_ADD_USER_DIALOG (w);
    }
  return NULL;
}

typedef struct
{
  MwWindow   *window;
  const char *name;
} FocusWait;

/* The focus of the main window is on a table row that shows the name. */
static gboolean
focus_on_row_of (gpointer data)
{
  FocusWait *w = data;
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (w->window));

  return focus != NULL && g_strcmp0 (G_OBJECT_TYPE_NAME (focus), "GtkListItemWidget") == 0 &&
         find_cell (focus, w->name) != NULL;
}

static gboolean
dialog_done (gpointer data)
{
  return !mw_add_user_dialog_is_busy (data) && mw_add_user_dialog_get_shown_password (data) != NULL;
}

/* After a user is added, the main window's focus is on the new user's row
 * (found in the Users list), where Enter opens the account. */
static void
test_add_user_focus (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  MwWindow *window;
  MwListPage *users;
  MwAddUserDialog *dialog;
  GtkWindow *account;
  g_autofree char *key = NULL;

  g_assert_true (mw_demo_populate (tdb->db, 300, 42, &error));
  g_assert_no_error (error);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  users = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (users_shown, users, "the users list");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-user", NULL));
  mw_test_spin (100);
  dialog = find_add_user_dialog ();
  g_assert_nonnull (dialog);
  mw_add_user_dialog_set_name (dialog, "zoe.newcomer");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add-user.add", NULL));
  mw_test_wait_until (dialog_done, dialog, "adding zoe.newcomer");
  mw_test_wait_until (focus_on_row_of, &(FocusWait) { window, "zoe.newcomer" }, "the focus on the new row");
  gtk_window_destroy (GTK_WINDOW (dialog));
  mw_test_spin (100);
  mw_test_save_screenshot (GTK_WIDGET (window), tdb->driver == MW_DB_DRIVER_PGSQL ? "pg-user-added-focus"
                                                                                  : "mysql-user-added-focus");

  /* Enter on the row opens the new account. */
  key = mw_test_db_string (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = 'zoe.newcomer'");
  /* What Enter on the focused row does (GtkListItemWidget binds it). */
  g_signal_emit_by_name (gtk_window_get_focus (GTK_WINDOW (window)), "activate-keybinding");
  while ((account = mw_window_lookup_account (window, key)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  gtk_window_destroy (account);
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

/* One application per process: a second one could not export its actions
 * on the same session bus path. */
static MwApplication *
shared_app (void)
{
  static MwApplication *app;

  if (app == NULL)
    {
      g_autoptr(GError) error = NULL;

      app = mw_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  return app;
}

static gboolean
app_has_main_window (gpointer data)
{
  return mw_application_get_main_window (data) != NULL;
}

static void
test_app_demo (void)
{
  MwApplication *app = shared_app ();
  MwWindow *window;
  MwListPage *users;

  /* The application as "mailwarden --demo" runs it. */
  mw_application_start_demo (app);
  mw_test_save_screenshot (GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app))), "app-starting");
  mw_test_wait_until (app_has_main_window, app, "the demo's main window");
  window = MW_WINDOW (mw_application_get_main_window (app));
  users = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (page_settled, users, "the demo's users");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users))), ==, 300);
  mw_test_save_screenshot (GTK_WIDGET (window), "app-demo");

  /* The shortcuts window, from the application's resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  mw_test_spin (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)))));
  mw_test_save_screenshot (GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))), "shortcuts");
  gtk_window_destroy (GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))));
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

static gboolean
connect_window_idle (gpointer data)
{
  return !mw_connect_window_is_busy (data);
}

static gboolean
connect_window_answered (gpointer data)
{
  return !mw_connect_window_is_busy (data) && mw_connect_window_get_message (data) != NULL &&
         g_strcmp0 (mw_connect_window_get_message (data), "Connecting…") != 0;
}

static void
test_connect_window (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  MwApplication *app = shared_app ();
  g_autoptr(GError) error = NULL;
  g_autofree char *role = g_strdup_printf ("mw_gui_%u", g_random_int_range (0, 1000000));
  g_autofree char *profile = g_strdup_printf ("Office %s", tdb->driver == MW_DB_DRIVER_PGSQL ? "PostgreSQL" : "MariaDB");
  g_autofree char *grant = NULL;
  g_autofree char *marked = NULL;
  g_autofree char *shot = NULL;
  g_autoptr(MwDbSettings) s = NULL;
  const char *prefix = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  const char *password = "s3cret 'quoted' ünïcode";
  MwConnectWindow *window;

  g_assert_nonnull (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_assert_true (mw_demo_populate (tdb->db, 40, 3, &error));
  g_assert_true (mw_local_server_create_role (tdb->server, role, password, &error));
  g_assert_no_error (error);
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    grant = g_strdup_printf ("GRANT SELECT ON ALL TABLES IN SCHEMA public TO %s", role);
  else
    grant = g_strdup_printf ("GRANT SELECT ON %s.* TO '%s'@'localhost'", tdb->database, role);
  mw_test_db_exec (tdb, grant);

  /* A new profile, with its password, saved: the key file has no password,
   * the keyring has it. */
  s = mw_local_server_settings_for (tdb->server, tdb->database, role, password);
  window = mw_connect_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  mw_connect_window_fill (window, profile, s);
  gtk_widget_activate_action (GTK_WIDGET (window), "connect.save", NULL);
  mw_test_wait_until (connect_window_idle, window, "saving");
  g_assert_cmpstr (mw_connect_window_get_message (window), ==, "Saved.");
  {
    g_autofree char *path = mw_profiles_get_path ();
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, profile));
    g_assert_null (strstr (contents, "s3cret"));
  }
  gtk_window_destroy (GTK_WINDOW (window));

  /* A new window reads it back from the keyring. */
  window = mw_connect_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mw_connect_window_select (window, profile));
  mw_test_wait_until (connect_window_idle, window, "the keyring");
  g_assert_cmpstr (mw_connect_window_get_password (window), ==, password);
  shot = g_strdup_printf ("%s-connect", prefix);
  mw_test_save_screenshot (GTK_WIDGET (window), shot);

  /* Test Connection says what it found. */
  gtk_widget_activate_action (GTK_WIDGET (window), "connect.test", NULL);
  mw_test_wait_until (connect_window_answered, window, "the test");
  g_assert_nonnull (strstr (mw_connect_window_get_message (window), "Connected: DBMail 3.x"));

  /* A wrong password: the sentence, and the fields it concerns marked. */
  {
    g_autoptr(MwDbSettings) wrong = mw_db_settings_copy (s);

    g_free (wrong->password);
    wrong->password = g_strdup ("wrong");
    mw_connect_window_fill (window, profile, wrong);
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "connect.test", NULL);
  mw_test_wait_until (connect_window_answered, window, "the wrong password");
  g_assert_nonnull (strstr (mw_connect_window_get_message (window), "rejected the user name or password"));
  marked = mw_connect_window_dup_marked (window);
  g_assert_cmpstr (marked, ==, "user,password");
  g_free (shot);
  shot = g_strdup_printf ("%s-connect-error", prefix);
  mw_test_save_screenshot (GTK_WIDGET (window), shot);

  /* An illegal table prefix never reaches the server. */
  {
    g_autoptr(MwDbSettings) bad = mw_db_settings_copy (s);

    bad->table_prefix = g_strdup ("x'; DROP");
    mw_connect_window_fill (window, profile, bad);
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "connect.test", NULL);
  g_free (marked);
  marked = mw_connect_window_dup_marked (window);
  g_assert_cmpstr (marked, ==, "prefix");

  /* Connect with the saved profile: the main window lists its users. */
  g_assert_true (mw_connect_window_select (window, profile));
  mw_test_wait_until (connect_window_idle, window, "the keyring");
  gtk_widget_activate_action (GTK_WIDGET (window), "connect.connect", NULL);
  mw_test_wait_until (app_has_main_window, app, "the main window");
  {
    MwWindow *main_window = MW_WINDOW (mw_application_get_main_window (app));
    MwListPage *users = mw_window_get_page (main_window, MW_LIST_USERS);

    mw_test_wait_until (page_settled, users, "the users");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users))), ==, 40);
    gtk_window_destroy (GTK_WINDOW (main_window));
  }

  /* "mailwarden --profile NAME": the password comes from the keyring and the
   * connection is made without a question. */
  mw_test_spin (50);
  g_assert_null (mw_application_get_main_window (app));
  window = mw_connect_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  mw_connect_window_connect_profile (window, profile);
  mw_test_wait_until (app_has_main_window, app, "the main window of --profile");
  {
    MwWindow *main_window = MW_WINDOW (mw_application_get_main_window (app));
    MwListPage *users = mw_window_get_page (main_window, MW_LIST_USERS);

    mw_test_wait_until (page_settled, users, "the users");
    gtk_window_destroy (GTK_WINDOW (main_window));
  }

  mw_profiles_remove (profile, NULL);
  mw_test_spin (100);
}

/* Run with LANGUAGE=de: a helpdesk in Germany sees German. */
static void
test_translated (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  MwWindow *window;
  MwListPage *users;
  g_autofree char *cell = NULL;

  g_assert_true (mw_demo_populate (tdb->db, 30, 5, &error));
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  users = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (page_settled, users, "the users list");

  g_assert_cmpstr (mw_list_page_get_title (users), ==, "Benutzer");
  g_assert_cmpstr (gtk_column_view_column_get_title (g_list_model_get_item (gtk_column_view_get_columns (
                     mw_list_page_get_column_view (users)), 0)), ==, "Name");
  g_object_unref (g_list_model_get_item (gtk_column_view_get_columns (mw_list_page_get_column_view (users)), 0));

  mw_list_page_set_search (users, "niemand-heisst-so");
  mw_test_spin (50);
  mw_test_wait_until (model_idle, users, "the empty list");
  mw_test_save_screenshot (GTK_WIDGET (window), "de-users-empty");

  mw_window_find (window, "niemand@nirgends.example");
  mw_test_wait_until (find_answered, window, "the find answer");
  g_assert_nonnull (strstr (mw_window_get_find_message (window), "Nichts"));
  mw_test_save_screenshot (GTK_WIDGET (window), "de-find-nothing");
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

/* The view's model: every change it reports keeps its own count right, and
 * its items are the wrapped model's at the same positions. */
typedef struct
{
  guint       n;        /* as told by items-changed */
  guint       signals;
  guint       max_added;
  GListModel *wrapped;
  guint       max_removed;
} RampWatch;

static void
on_ramp_changed_cb (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    RampWatch  *w)
{
  g_assert_cmpuint (position + removed, <=, w->n);
  w->n = w->n - removed + added;
  w->signals++;
  if (position < 240)
    w->max_added = MAX (w->max_added, added);
  g_assert_cmpuint (w->n, ==, g_list_model_get_n_items (model));
  /* Rows past the wrapped model's end only while they go (never added). */
  if (added > 0)
    g_assert_cmpuint (w->n, <=, g_list_model_get_n_items (w->wrapped));
  if (removed > 0)
    w->max_removed = MAX (w->max_removed, removed);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (model, i);
      g_autoptr(GObject) b = g_list_model_get_item (w->wrapped, i);

      g_assert_true (a == b);
    }
}

static gboolean
ramp_done (gpointer data)
{
  return !mw_ramp_model_is_ramping (data);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
widget_sized (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

static void
on_setup_label_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
on_bind_label_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
fill (GListStore *store,
      guint       from,
      guint       n)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = from; i < from + n; i++)
    {
      g_autofree char *text = g_strdup_printf ("row %u", i);
      g_ptr_array_add (items, gtk_string_object_new (text));
    }
  g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0, items->pdata, items->len);
}

/* A long list reaches the view a screenful first and the rest over the next
 * frames; changes meanwhile land where they belong. */
static void
test_ramp_model (void)
{
  g_autoptr(GListStore) store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(MwRampModel) ramp = NULL;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_list_view_new (NULL, factory);
  RampWatch w = { 0, 0, 0, G_LIST_MODEL (store) };
  guint before;

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_label_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_label_cb), NULL);
  ramp = mw_ramp_model_new (G_LIST_MODEL (store), view);
  g_signal_connect (ramp, "items-changed", G_CALLBACK (on_ramp_changed_cb), &w);
  gtk_list_view_set_model (GTK_LIST_VIEW (view), GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (ramp)))));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 600);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (widget_mapped, view, "the list view on screen");
  mw_test_spin (50);

  /* Empty to 100,000: a screenful now, not the whole list. */
  fill (store, 0, 100000);
  g_assert_true (mw_ramp_model_is_ramping (ramp));
  g_assert_cmpuint (w.n, >=, 1);
  g_assert_cmpuint (w.n, <=, 16);
  before = w.signals;
  mw_test_wait_until (ramp_done, ramp, "the whole list in the view");
  g_assert_cmpuint (w.n, ==, 100000);
  g_assert_cmpuint (w.signals - before, >, 3);   /* over several steps */
  mw_test_save_screenshot (window, "ramp-model");

  /* A new query: every row out, then a first page that fits the view, then
   * the rest when the count comes; a row removed at the top while it ramps. */
  g_list_store_remove_all (store);
  g_assert_cmpuint (w.n, ==, 0);
  g_assert_false (mw_ramp_model_is_ramping (ramp));
  w.max_added = 0;
  fill (store, 0, 6);
  g_assert_cmpuint (w.n, ==, 6);
  fill (store, 6, 5000);
  g_assert_true (mw_ramp_model_is_ramping (ramp));
  g_assert_cmpuint (w.n, <, 240);
  g_list_store_remove (store, 0);
  g_assert_cmpuint (w.n, <, 240);
  {
    g_autoptr(GtkStringObject) top = g_list_model_get_item (G_LIST_MODEL (ramp), 0);
    g_assert_cmpstr (gtk_string_object_get_string (top), ==, "row 1");
  }
  mw_test_wait_until (ramp_done, ramp, "the rest of the list");
  g_assert_cmpuint (w.n, ==, 5005);
  /* Below the view's two hundred rows, never a big step at once. */
  g_assert_cmpuint (w.max_added, <=, 16);
  {
    g_autoptr(GtkStringObject) last = g_list_model_get_item (G_LIST_MODEL (ramp), 5004);
    g_assert_cmpstr (gtk_string_object_get_string (last), ==, "row 5005");
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (ramp), 5005));

  /* Cut to ten rows (a search that matches ten): the rows with widgets past
   * the tenth go a few per frame, shown blank meanwhile as the items the view
   * had; the rest at once. */
  w.max_removed = 0;
  g_list_store_splice (store, 10, 5005 - 10, NULL, 0);
  g_assert_true (mw_ramp_model_is_ramping (ramp));
  g_assert_cmpuint (w.n, >, 10);
  g_assert_cmpuint (w.n, <=, 240);
  g_assert_cmpuint (w.max_removed, >=, 5005 - 240);
  {
    g_autoptr(GtkStringObject) ghost = g_list_model_get_item (G_LIST_MODEL (ramp), 10);
    g_assert_cmpstr (gtk_string_object_get_string (ghost), ==, "row 11");
  }
  w.max_removed = 0;
  before = w.signals;
  mw_test_wait_until (ramp_done, ramp, "the rows past the tenth gone");
  g_assert_cmpuint (w.n, ==, 10);
  g_assert_cmpuint (w.signals - before, >, 2);
  g_assert_cmpuint (w.max_removed, <=, 24);
  {
    g_autoptr(GtkStringObject) last = g_list_model_get_item (G_LIST_MODEL (ramp), 9);
    g_assert_cmpstr (gtk_string_object_get_string (last), ==, "row 10");
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (ramp), 10));

  /* Cut again and changed at once: the blank rows go first, in one piece,
   * and the change lands where it belongs. */
  fill (store, 10, 190);
  mw_test_wait_until (ramp_done, ramp, "two hundred rows");
  g_list_store_splice (store, 5, 195, NULL, 0);
  g_assert_cmpuint (w.n, >, 5);
  g_list_store_remove (store, 0);
  g_assert_cmpuint (w.n, ==, 4);
  {
    g_autoptr(GtkStringObject) top = g_list_model_get_item (G_LIST_MODEL (ramp), 0);
    g_assert_cmpstr (gtk_string_object_get_string (top), ==, "row 2");
  }
  g_assert_false (mw_ramp_model_is_ramping (ramp));

  /* A short list and changes to a shown list pass straight through. */
  g_list_store_remove_all (store);
  fill (store, 0, 5);
  g_assert_false (mw_ramp_model_is_ramping (ramp));
  g_assert_cmpuint (w.n, ==, 5);
  g_list_store_remove (store, 3);
  g_assert_cmpuint (w.n, ==, 4);

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (50);
}

/* The widget's pixels as drawn now (premultiplied BGRA, 4 bytes a pixel). */
static GBytes *
render_pixels (GtkWidget *widget)
{
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guchar *data = g_malloc0 ((gsize) w * h * 4);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    {
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                             &GRAPHENE_RECT_INIT (0, 0, w, h));
      gdk_texture_download (texture, data, (gsize) w * 4);
    }
  return g_bytes_new_take (data, (gsize) w * h * 4);
}

static guint
count_painted (GBytes *pixels)
{
  gsize n;
  const guchar *p = g_bytes_get_data (pixels, &n);
  guint painted = 0;

  for (gsize i = 3; i < n; i += 4)
    painted += p[i] != 0;
  return painted;
}

/* The loading indicator beside the lists draws nothing when idle, and a
 * turning arc while busy. */
static void
test_busy_indicator (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *busy = mw_busy_indicator_new ();
  g_autoptr(GBytes) idle = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) later = NULL;

  gtk_widget_set_halign (busy, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (busy, GTK_ALIGN_CENTER);
  gtk_window_set_child (GTK_WINDOW (window), busy);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (widget_mapped, busy, "the indicator on screen");
  /* Laid out in the frame after it is mapped, later on a busy machine. */
  mw_test_wait_until (widget_sized, busy, "the indicator's size");
  mw_test_spin (50);
  g_assert_cmpint (gtk_widget_get_width (busy), ==, 16);

  idle = render_pixels (busy);
  g_assert_cmpuint (count_painted (idle), ==, 0);

  mw_busy_indicator_set_busy (MW_BUSY_INDICATOR (busy), TRUE);
  g_assert_true (mw_busy_indicator_get_busy (MW_BUSY_INDICATOR (busy)));
  mw_test_spin (100);
  first = render_pixels (busy);
  g_assert_cmpuint (count_painted (first), >, 20);
  mw_test_spin (250);
  later = render_pixels (busy);
  g_assert_cmpuint (count_painted (later), >, 20);
  g_assert_false (g_bytes_equal (first, later));   /* it turned */
  mw_test_save_screenshot (busy, "busy-indicator");

  mw_busy_indicator_set_busy (MW_BUSY_INDICATOR (busy), FALSE);
  mw_test_spin (50);
  g_clear_pointer (&later, g_bytes_unref);
  later = render_pixels (busy);
  g_assert_cmpuint (count_painted (later), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() pins the locale for repeatable tests; the translated
   * run needs the environment's (LC_ALL=C.UTF-8 with LANGUAGE=de). */
  if (g_getenv ("LANGUAGE") != NULL)
    setlocale (LC_ALL, "");
  adw_init ();
  mw_gui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (g_str_has_prefix (g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "", "de"))
    {
      g_test_add_data_func ("/gui/translated/de", GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), test_translated);
      return mw_test_run ();
    }
  g_test_add_func ("/gui/ramp-model", test_ramp_model);
  g_test_add_func ("/gui/busy-indicator", test_busy_indicator);
  mw_test_add_both ("/gui/main-window", test_main_window);
  mw_test_add_both ("/gui/list-rows", test_list_rows);
  mw_test_add_both ("/gui/main-window/narrow", test_narrow_window);
  mw_test_add_both ("/gui/main-window/words", test_list_words);
  mw_test_add_both ("/gui/main-window/add-user-focus", test_add_user_focus);
  g_test_add_func ("/gui/app-demo", test_app_demo);
  mw_test_add_both ("/gui/connect-window", test_connect_window);

  return mw_test_run ();
}
