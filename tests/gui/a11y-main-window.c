/* a11y-main-window.c: screen-reader names of the main window (see test-gui-a11y.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-demo-data.h"
#include "mw-test-db.h"
#include "mw-window.h"
#include "test-gui-a11y.h"

static gboolean
page_settled (gpointer data)
{
  MwListPage *page = data;
  MwPagedModel *model = mw_list_page_get_model (page);

  return !mw_paged_model_is_busy (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0 &&
         !mw_list_page_is_filling_screen (page);
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

      if ((g_str_has_prefix (line, "table-row\t") || g_str_has_prefix (line, "row\t") ||
           g_str_has_prefix (line, "list-item\t")) && strstr (line, text) != NULL)
        return g_strdup (line);
    }
  return NULL;
}

/* The main window with demo data, the Users list and then the Aliases list:
 * every interactive widget has a name, and a table row is read by what it
 * shows (GTK 4.8 gives tables no column headers for screen readers). */
static void
test_main_window (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *unnamed = NULL;
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;
  MwWindow *window;
  MwListPage *page;

  /* Few users: every row is in the dump, which must stay quick in the sanitizer build. */
  g_assert_true (mw_demo_populate (tdb->db, 12, 42, &error));
  g_assert_no_error (error);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));

  page = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (page_settled, page, "the users list");
  mw_test_spin (300);
  dump = mw_test_a11y_dump (GTK_WINDOW (window));
  g_test_message ("%s", dump);
  /* The first user's row is read with the user's name (and the other cells). */
  name = mw_list_page_dup_cell_text (page, 0, 0);
  g_assert_nonnull (name);
  line = find_row_line (dump, name);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "Quota"));
  /* Decorative icons are not read as "GtkImage". */
  g_assert_null (strstr (dump, "\tGtkImage\t"));
  /* The header row says which columns there are. */
  g_assert_nonnull (strstr (dump, "Columns: Name, Number, Group, Quota"));
  unnamed = mw_test_a11y_unnamed (GTK_WINDOW (window));
  g_assert_cmpstr (unnamed, ==, "");
  g_clear_pointer (&unnamed, g_free);
  g_clear_pointer (&dump, g_free);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&name, g_free);

  /* The Aliases list. */
  mw_window_show_page (window, MW_LIST_ALIASES);
  page = mw_window_get_page (window, MW_LIST_ALIASES);
  mw_test_wait_until (page_settled, page, "the aliases list");
  mw_test_spin (300);
  dump = mw_test_a11y_dump (GTK_WINDOW (window));
  name = mw_list_page_dup_cell_text (page, 0, 0);
  line = find_row_line (dump, name);
  g_assert_nonnull (line);
  unnamed = mw_test_a11y_unnamed (GTK_WINDOW (window));
  g_assert_cmpstr (unnamed, ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
}

void
mw_a11y_add_main_window_tests (void)
{
  mw_test_add_both ("/a11y/main-window", test_main_window);
}
