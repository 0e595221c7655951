/* test-gui-overview.c: the main window's Overview page (issue 19): the
 * first sidebar entry, its figures equal to the rows the test stored, the
 * charts' numbers for screen readers, a biggest-mailbox bar opening its
 * account, the Logins list, the Server group, the refresh setting; light
 * and dark, wide and narrow.
 *
 * Runs with the accessibility bridge on, to read the page over AT-SPI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-application.h"
#include "mw-chart-view.h"
#include "mw-overview-page.h"
#include "mw-preferences-window.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"
#include "mw-window.h"

typedef struct
{
  MwOverviewPage *page;
  guint           n;
} RefreshWait;

static gboolean
refreshed (gpointer data)
{
  RefreshWait *wait = data;

  return mw_overview_page_get_n_refreshes (wait->page) >= wait->n && !mw_overview_page_is_refreshing (wait->page);
}

typedef struct
{
  MwWindow   *window;
  const char *key;
} AccountWait;

static gboolean
account_open (gpointer data)
{
  AccountWait *wait = data;

  return mw_window_lookup_account (wait->window, wait->key) != NULL;
}

/* The chart has its bars' room on screen (a busy machine may take a few frames). */
static gboolean
chart_laid_out (gpointer data)
{
  const MwChart *chart = mw_chart_view_get_chart (data);
  graphene_rect_t area;

  return gtk_widget_get_mapped (data) && chart != NULL && chart->points->len > 0 &&
         mw_chart_view_get_point_area (data, chart->points->len - 1, &area) &&
         area.origin.y + area.size.height <= gtk_widget_get_height (data) &&
         area.origin.x < gtk_widget_get_width (data);
}

/* The row of list titled title, or NULL. */
static GtkWidget *
list_row (GtkListBox *list,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_PREFERENCES_ROW (child) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
      return child;
  return NULL;
}

/* The main window's sidebar: the list box styled navigation-sidebar. */
static GtkWidget *
find_sidebar (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget) && gtk_widget_has_css_class (widget, "navigation-sidebar"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_sidebar (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
account_closed (gpointer data)
{
  return !account_open (data);
}

static void
close_account (MwWindow   *window,
               const char *key)
{
  GtkWindow *account = mw_window_lookup_account (window, key);

  if (account != NULL)
    gtk_window_destroy (account);
  /* It leaves the window's table when it is finalized (its reads may hold it a moment). */
  mw_test_wait_until (account_closed, &(AccountWait) { window, key }, "the account window to go");
}

static void
assert_all_named (GtkWindow *window)
{
  g_autofree char *unnamed = NULL;

  if (g_getenv ("MW_A11Y_DUMP") == NULL)
    return;
  mw_test_spin (300);
  unnamed = mw_test_a11y_unnamed (window);
  if (unnamed[0] != '\0')
    g_error ("the Overview page: a screen reader reads some of it unnamed:\n%s", unnamed);
}

/* One application for the program (registered once on the session bus). */
static MwApplication *
get_app (void)
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

/* What the page showed at each "figures-shown": first the estimates, then
 * the exact counts. */
typedef struct
{
  guint    n_first;
  guint    n_exact;
  char    *first_users;
  char    *first_aliases;
  gboolean first_users_estimated;
  gboolean first_messages_estimated;
  gboolean exact_users_estimated;
  GtkWidget *window;             /* the estimates' screenshots */
  const char *name;
} FiguresSeen;

static void
on_figures_shown (MwOverviewPage *page,
                  gboolean        exact,
                  FiguresSeen    *seen)
{
  if (!exact)
    {
      seen->n_first++;
      g_free (seen->first_users);
      g_free (seen->first_aliases);
      seen->first_users = g_strdup (mw_overview_page_get_figure_text (page, MW_STAT_USERS));
      seen->first_aliases = g_strdup (mw_overview_page_get_figure_text (page, MW_STAT_ALIASES));
      seen->first_users_estimated = mw_overview_page_get_figure_estimated (page, MW_STAT_USERS);
      seen->first_messages_estimated = mw_overview_page_get_figure_estimated (page, MW_STAT_MESSAGES);
      /* The exact step starts after this signal: the page stays as it is. */
      mw_test_save_screenshots (seen->window, seen->name);
    }
  else
    {
      seen->n_exact++;
      seen->exact_users_estimated = mw_overview_page_get_figure_estimated (page, MW_STAT_USERS);
    }
}

static void
test_overview (gconstpointer data)
{
  FiguresSeen seen = { 0 };
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  MwApplication *app;
  g_autoptr(MwStatsOverview) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alice_key = NULL;
  g_autofree char *prefix = g_strdup (tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql");
  const char *db_type = tdb->driver == MW_DB_DRIVER_PGSQL ? "PostgreSQL" : "MariaDB";
  MwWindow *window;
  MwOverviewPage *page;
  MwChartView *biggest;
  GtkWidget *row;
  gint64 alice;

  /* Three users, four aliases to them and a forward; alice keeps the most
   * mail and logged in a moment ago, the others long ago. */
  alice = mw_test_db_add_user (tdb, "alice", 1, 100 * 1024 * 1024);
  mw_test_db_add_user (tdb, "bob", 1, 10 * 1024 * 1024);
  mw_test_db_add_user (tdb, "carol", 2, 0);
  {
    g_autofree char *a = g_strdup_printf ("%" G_GINT64_FORMAT, alice);
    g_autofree char *sizes = g_strdup_printf ("UPDATE dbmail_users SET curmail_size = CASE WHEN user_idnr = %"
                                              G_GINT64_FORMAT " THEN 7340032 ELSE 2048 END", alice);

    /* Each user has name@example.org (mw_test_db_add_user); alice one more. */
    mw_test_db_add_alias (tdb, "alice.smith@example.org", a, 1);
    mw_test_db_add_alias (tdb, "fwd@example.org", "someone@elsewhere.example", 0);
    mw_test_db_exec (tdb, sizes);
  }
  mw_test_db_exec (tdb, "UPDATE dbmail_users SET last_login = '2001-01-01 00:00:00'");
  mw_test_db_exec (tdb, "UPDATE dbmail_users SET last_login = CURRENT_TIMESTAMP WHERE userid = 'alice'");

  /* The server's row estimates (catalog) for the first step. */
  mw_test_db_exec (tdb, tdb->driver == MW_DB_DRIVER_PGSQL ? "ANALYZE dbmail_users, dbmail_mailboxes"
                                                          : "ANALYZE TABLE dbmail_users, dbmail_mailboxes");
  session = mw_test_connect_session (tdb);
  alice_key = mw_test_account_key (session, "alice");
  expected = mw_schema_get_overview (mw_session_get_schema (session), tdb->db, NULL, &error);
  g_assert_no_error (error);

  /* In the application, with its settings: default-page is "overview". */
  app = get_app ();
  g_assert_nonnull (mw_application_get_settings (app));
  window = mw_window_new (ADW_APPLICATION (app), session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));

  /* The Overview is the first sidebar entry and the page shown. */
  g_assert_cmpstr (mw_window_get_visible_page_name (window), ==, "overview");
  {
    GtkListBox *sidebar = GTK_LIST_BOX (find_sidebar (GTK_WIDGET (window)));
    GtkListBoxRow *first = gtk_list_box_get_row_at_index (sidebar, 0);

    g_assert_true (gtk_list_box_get_selected_row (sidebar) == first);
    g_assert_true (mw_test_shows_text (GTK_WIDGET (first), "Overview"));
  }
  page = MW_OVERVIEW_PAGE (mw_window_get_named_page (window, "overview"));
  seen.window = GTK_WIDGET (window);
  seen.name = tdb->driver == MW_DB_DRIVER_PGSQL ? "overview-estimate-pg" : "overview-estimate-mysql";
  g_signal_connect (page, "figures-shown", G_CALLBACK (on_figures_shown), &seen);
  mw_test_wait_until (refreshed, &(RefreshWait) { page, 1 }, "the overview's first reading");

  /* First the server's estimate, marked in words ("about 3") and as an
   * estimate, the aliases still being counted, the messages exact; then
   * the exact counts replace them, unmarked. */
  g_assert_cmpuint (seen.n_first, ==, 1);
  g_assert_cmpuint (seen.n_exact, ==, 1);
  g_assert_true (g_str_has_prefix (seen.first_users, "about "));
  g_assert_true (seen.first_users_estimated);
  g_assert_cmpstr (seen.first_aliases, ==, "counting…");
  g_assert_false (seen.first_messages_estimated);
  g_assert_false (seen.exact_users_estimated);
  g_assert_false (mw_overview_page_get_figure_estimated (page, MW_STAT_ALIASES));
  g_clear_pointer (&seen.first_users, g_free);
  g_clear_pointer (&seen.first_aliases, g_free);
  g_signal_handlers_disconnect_by_data (page, &seen);

  /* The figures the test stored, and every other one as the core counts it
   * (absent ones hidden). */
  g_assert_cmpstr (mw_overview_page_get_figure_text (page, MW_STAT_USERS), ==, "3");
  g_assert_cmpstr (mw_overview_page_get_figure_text (page, MW_STAT_ALIASES), ==, "4");
  g_assert_cmpstr (mw_overview_page_get_figure_text (page, MW_STAT_FORWARDS), ==, "1");
  g_assert_cmpstr (mw_overview_page_get_figure_text (page, MW_STAT_LOGINS_24H), ==, "1");
  for (guint i = 0; i < MW_N_STATS; i++)
    {
      g_autofree char *text = mw_stats_overview_format (expected, i);

      if (expected->values[i] == MW_STAT_ABSENT)
        g_assert_null (mw_overview_page_get_figure_text (page, i));
      else
        g_assert_cmpstr (mw_overview_page_get_figure_text (page, i), ==, text);
    }
  g_assert_true (g_str_has_prefix (mw_overview_page_get_database_text (page), db_type));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (page), "3"));

  /* The biggest mailboxes: alice's bar first; the chart's numbers as text
   * for screen readers (its accessible description). */
  biggest = MW_CHART_VIEW (mw_overview_page_get_chart_view (page, MW_CHART_BIGGEST_MAILBOXES));
  {
    const MwChart *chart = mw_chart_view_get_chart (biggest);
    g_autofree char *described = NULL;
    MwChartPoint *top;

    g_assert_nonnull (chart);
    g_assert_cmpuint (chart->points->len, >=, 2);
    top = g_ptr_array_index (chart->points, 0);
    g_assert_cmpstr (top->key, ==, alice_key);
    g_assert_cmpint (top->value, ==, 7340032);
    described = mw_chart_describe (chart);
    mw_test_assert_contains (described, "alice");
    mw_test_assert_contains (described, top->value_text);
  }
  {
    const MwChart *quota = mw_chart_view_get_chart (MW_CHART_VIEW (mw_overview_page_get_chart_view (page,
                                                                                                     MW_CHART_QUOTA_USE)));
    g_autofree char *described = mw_chart_describe (quota);
    gint64 users = 0;

    /* Every user is in one of the histogram's bars. */
    for (guint i = 0; i < quota->points->len; i++)
      users += ((MwChartPoint *) g_ptr_array_index (quota->points, i))->value;
    g_assert_cmpint (users, ==, 3);
    g_assert_cmpstr (described, !=, "");
  }

  /* A click on alice's bar opens her account (through the window's
   * open-account path). */
  {
    graphene_rect_t area;
    GtkEventController *click = NULL;
    GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (biggest));

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_CLICK (controller))
          click = controller;
      }
    g_object_unref (controllers);
    g_assert_nonnull (click);
    mw_test_wait_until (chart_laid_out, biggest, "the biggest mailboxes chart on screen");
    g_assert_true (mw_chart_view_get_point_area (biggest, 0, &area));
    g_assert_cmpint (mw_chart_view_point_at (biggest, area.origin.x + 1, area.origin.y + area.size.height / 2), ==,
                     0);
    g_signal_emit_by_name (click, "released", 1, (double) area.origin.x + 1,
                           (double) area.origin.y + area.size.height / 2);
    mw_test_wait_until (account_open, &(AccountWait) { window, alice_key }, "alice's account from her bar");
    close_account (window, alice_key);
  }

  /* The Logins list: alice logged in, bob did not; her row opens her account. */
  row = list_row (mw_overview_page_get_logins_list (page), "alice");
  g_assert_nonnull (row);
  g_assert_null (list_row (mw_overview_page_get_logins_list (page), "bob"));
  g_assert_nonnull (list_row (mw_overview_page_get_unused_list (page), "bob"));
  g_assert_null (list_row (mw_overview_page_get_unused_list (page), "alice"));
  g_signal_emit_by_name (row, "activate");
  mw_test_wait_until (account_open, &(AccountWait) { window, alice_key }, "alice's account from the Logins list");
  close_account (window, alice_key);

  /* The server's version and sessions. */
  mw_test_assert_contains (mw_overview_page_get_server_value (page, "Version"), db_type);
  g_assert_nonnull (mw_overview_page_get_server_value (page, "Sessions"));

  /* F5 (win.reload) reads again; a second Refresh while one runs does nothing. */
  {
    guint before = mw_overview_page_get_n_refreshes (page);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
    g_assert_true (mw_overview_page_is_refreshing (page));
    mw_overview_page_refresh (page);
    mw_test_wait_until (refreshed, &(RefreshWait) { page, before + 1 }, "the overview read again");
    g_assert_cmpuint (mw_overview_page_get_n_refreshes (page), ==, before + 1);
  }

  /* The top of the page: the figures. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
                              mw_test_find_type (GTK_WIDGET (page), GTK_TYPE_SCROLLED_WINDOW))), 0);
  mw_test_spin (300);
  {
    g_autofree char *name = g_strdup_printf ("overview-wide-%s", prefix);

    mw_test_save_screenshots (GTK_WIDGET (window), name);
  }
  assert_all_named (GTK_WINDOW (window));

  /* Narrow: the sidebar folds away, the page stays readable; the sidebar
   * comes back with its Overview row. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  mw_test_spin (500);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
                              mw_test_find_type (GTK_WIDGET (page), GTK_TYPE_SCROLLED_WINDOW))), 0);
  mw_test_spin (100);
  g_assert_true (mw_window_is_folded (window));
  g_assert_cmpstr (mw_window_get_visible_page_name (window), ==, "overview");
  {
    g_autofree char *name = g_strdup_printf ("overview-narrow-%s", prefix);

    mw_test_save_screenshots (GTK_WIDGET (window), name);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-lists", NULL));
  mw_test_spin (200);
  g_assert_true (mw_window_shows_lists (window));
  g_assert_true (GTK_IS_LIST_BOX_ROW (gtk_window_get_focus (GTK_WINDOW (window))));
  {
    g_autofree char *name = g_strdup_printf ("overview-narrow-sidebar-%s", prefix);

    mw_test_save_screenshots (GTK_WIDGET (window), name);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-named-page", "s", "overview"));
  mw_test_spin (100);
  g_assert_false (mw_window_shows_lists (window));

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

/* The refresh setting: every N seconds while shown, 0 = off; the
 * Preferences window's row changes it. */
static void
test_refresh_setting (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("org.mailwarden.Mailwarden");
  GtkWidget *window;
  MwOverviewPage *page;
  guint n;

  mw_test_db_add_user (tdb, "alice", 1, 0);
  session = mw_test_connect_session (tdb);
  {
    g_autofree char *first = g_settings_get_string (settings, "default-page");

    g_assert_cmpstr (first, ==, "overview");
  }
  g_settings_set_int (settings, "overview-refresh", 1);
  page = MW_OVERVIEW_PAGE (mw_overview_page_new (session, settings));
  g_assert_cmpuint (mw_overview_page_get_refresh_interval (page), ==, 1);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  /* Shown: the first reading, then the timer's. */
  mw_test_wait_until (refreshed, &(RefreshWait) { page, 3 }, "two refreshes by the timer");
  g_assert_cmpstr (mw_overview_page_get_figure_text (page, MW_STAT_USERS), ==, "1");

  /* 0: off; nothing more is read. */
  g_settings_set_int (settings, "overview-refresh", 0);
  g_assert_cmpuint (mw_overview_page_get_refresh_interval (page), ==, 0);
  mw_test_wait_until (refreshed, &(RefreshWait) { page, 0 }, "the last refresh to end");
  n = mw_overview_page_get_n_refreshes (page);
  mw_test_spin (2500);
  g_assert_cmpuint (mw_overview_page_get_n_refreshes (page), ==, n);
  /* The status line says when, and no more "again every". */
  {
    const char *status = gtk_label_get_text (GTK_LABEL (mw_test_find_type (GTK_WIDGET (page), GTK_TYPE_LABEL)));

    g_assert_true (g_str_has_prefix (status, "Updated "));
    g_assert_null (strstr (status, "again every"));
  }
  gtk_window_destroy (GTK_WINDOW (window));

  /* The Preferences window's row sets it. */
  {
    MwPreferencesWindow *prefs = mw_preferences_window_new (settings);
    GtkWidget *prow, *spin;

    gtk_window_present (GTK_WINDOW (prefs));
    prow = mw_test_find_row (GTK_WIDGET (prefs), "Overview refresh (seconds)");
    g_assert_nonnull (prow);
    spin = mw_test_find_type (prow, GTK_TYPE_SPIN_BUTTON);
    g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 0);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 120);
    g_assert_cmpint (g_settings_get_int (settings, "overview-refresh"), ==, 120);
    gtk_window_destroy (GTK_WINDOW (prefs));
  }
  g_settings_reset (settings, "overview-refresh");
  mw_test_spin (100);
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

  mw_test_add_both ("/gui/overview/page", test_overview);
  mw_test_add_both ("/gui/overview/refresh-setting", test_refresh_setting);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
