/* test-gui-index-advisor.c: the Search Speed window (the index advisor,
 * issue 19 F8) opened from the main window's menu, on PostgreSQL and
 * MariaDB: the measured search and the missing indexes, Create Indexes asks
 * and then creates them (read back from the catalog) with the gain, Remove
 * Indexes Mailwarden Created removes them. Screenshots light and dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "mw-application.h"
#include "mw-async-wait.h"
#include "mw-index-advisor-dialog.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"
#include "mw-window.h"

static GtkWindow *
find_window (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* The button below @widget whose label reads @label (mnemonic marks left out). */
static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      g_autoptr(GString) text = g_string_new (gtk_button_get_label (GTK_BUTTON (widget)));

      g_string_replace (text, "_", "", 0);
      if (g_str_equal (text->str, label))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_window (gpointer type)
{
  return find_window ((GType) GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
settled (gpointer data)
{
  return !mw_index_advisor_dialog_is_busy (data);
}

static void
answer (const char *response)
{
  AdwMessageDialog *question;

  mw_test_wait_until (has_window, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the question");
  question = ADW_MESSAGE_DIALOG (find_window (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (question, response);
  mw_test_spin (50);
}

static void
test_index_advisor (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  gboolean pgsql = tdb->driver == MW_DB_DRIVER_PGSQL;
  const char *server = pgsql ? "pg" : "mysql";
  MwWindow *main_window;
  MwIndexAdvisorDialog *dialog;
  GtkWidget *button;

  mw_test_db_add_user (tdb, "alice", 0, 0);
  mw_test_db_add_user (tdb, "bob", 0, 0);
  session = mw_test_connect_session (tdb);
  main_window = mw_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (main_window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.index-advisor", NULL));
  mw_test_wait_until (has_window, GSIZE_TO_POINTER (MW_TYPE_INDEX_ADVISOR_DIALOG), "the Search Speed window");
  dialog = MW_INDEX_ADVISOR_DIALOG (find_window (MW_TYPE_INDEX_ADVISOR_DIALOG));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 640, 640);
  mw_test_wait_until (settled, dialog, "the measurement");
  g_assert_true (g_str_has_prefix (mw_index_advisor_dialog_get_status (dialog),
                                   "A search of the Users and Aliases lists for “"));
  mw_test_wait_shows (GTK_WIDGET (dialog), "dbmail_aliases (b-tree (deliver_to))");
  mw_test_wait_shows (GTK_WIDGET (dialog), "Missing");
  if (pgsql)
    mw_test_wait_shows (GTK_WIDGET (dialog), "dbmail_users (GIN (lower(userid) gin_trgm_ops))");
  {
    g_autofree char *shot = g_strdup_printf ("index-advisor-%s", server);

    mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  }

  /* Create Indexes asks, then creates exactly the missing ones. */
  button = find_button (GTK_WIDGET (dialog), "Create Indexes");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  answer ("create");
  mw_test_wait_until (settled, dialog, "the indexes");
  g_assert_true (g_str_has_prefix (mw_index_advisor_dialog_get_result (dialog),
                                   pgsql ? "Created 4 indexes. The search took " : "Created 1 index. The search took "));
  mw_test_wait_shows (GTK_WIDGET (dialog), "Created by Mailwarden");
  g_assert_cmpint (mw_test_db_int (tdb, pgsql ? "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'mw\\_advisor\\_%'"
                                              : "SELECT count(DISTINCT index_name) FROM information_schema.statistics "
                                                "WHERE table_schema = DATABASE() AND index_name LIKE 'mw\\_advisor\\_%'"),
                   ==, pgsql ? 4 : 1);
  {
    g_autofree char *shot = g_strdup_printf ("index-advisor-%s-created", server);

    mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  }

  /* Remove Indexes Mailwarden Created. */
  button = find_button (GTK_WIDGET (dialog), "Remove Indexes Mailwarden Created");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  answer ("remove");
  mw_test_wait_until (settled, dialog, "the removal");
  g_assert_true (g_str_has_prefix (mw_index_advisor_dialog_get_result (dialog),
                                   pgsql ? "Removed 4 indexes. " : "Removed 1 index. "));
  g_assert_cmpint (mw_test_db_int (tdb, pgsql ? "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'mw\\_advisor\\_%'"
                                              : "SELECT count(DISTINCT index_name) FROM information_schema.statistics "
                                                "WHERE table_schema = DATABASE() AND index_name LIKE 'mw\\_advisor\\_%'"),
                   ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Closed while it measures: its answer comes to a closed window, quietly
   * (the session answers in order, so once a later job is done, so is it). */
  {
    MwIndexAdvisorDialog *closed = mw_index_advisor_dialog_new (session);
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(MwIndexReport) report = NULL;

    gtk_window_present (GTK_WINDOW (closed));
    gtk_window_destroy (GTK_WINDOW (closed));
    mw_session_index_advise_async (session, NULL, mw_async_wait_ready, &res);
    report = mw_session_index_advise_finish (session, mw_async_wait (&res), NULL);
    g_assert_nonnull (report);
    mw_test_spin (50);
  }
  gtk_window_destroy (GTK_WINDOW (main_window));
  mw_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_gui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  mw_test_add_both ("/gui/index-advisor", test_index_advisor);
  return mw_test_run ();
}
