/* test-gui-alias-domains.c: PostfixAdmin alias domains changed in the
 * desktop app: "Add an Alias Domain" from the Alias Domains list (rows in
 * alias_domain, the list in Unicode, the core's refusals with nothing
 * added), a row turned off and deleted (the confirmation naming both
 * domains), light and dark, 360 px wide. ISPmail offers none of it.
 *
 * Runs with the accessibility bridge on, to read the dialog over AT-SPI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-alias-domain-dialog.h"
#include "mw-application.h"
#include "mw-demo-vmail.h"
#include "mw-list-page.h"
#include "mw-window.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"

#define COUNT_SQL "SELECT count(*) FROM alias_domain"

typedef struct
{
  GtkWidget  *widget;
  const char *text;
  gboolean    shown;
} ShowWait;

static gboolean
text_shown (gpointer data)
{
  ShowWait *w = data;

  return mw_test_shows_text (w->widget, w->text) == w->shown;
}

static void
wait_shows (GtkWidget  *widget,
            const char *text,
            gboolean    shown)
{
  ShowWait w = { widget, text, shown };

  mw_test_wait_until (text_shown, &w, text);
}

/* Light and dark, as it opens and at 360 px wide. */
static void
save_both_widths (GtkWindow  *window,
                  const char *name,
                  int         width,
                  int         height)
{
  g_autofree char *narrow = g_strdup_printf ("%s-360", name);

  gtk_window_set_default_size (window, width, height);
  mw_test_spin (150);
  mw_test_save_screenshots (GTK_WIDGET (window), name);
  gtk_window_set_default_size (window, 360, height);
  mw_test_spin (150);
  mw_test_save_screenshots (GTK_WIDGET (window), narrow);
  gtk_window_set_default_size (window, width, height);
  mw_test_spin (100);
}

/* Screen-reader names, where the accessibility bridge is on: the window is
 * there by its title, and no interactive object is unnamed, named with a
 * mnemonic underscore or twice (the flags of a11y-dump.py, as
 * mw_test_a11y_unnamed reads them). Not mw_test_a11y_unnamed itself: it
 * wants a "frame", and AT-SPI reads a message dialog as a "dialog" and, on
 * GTK 4.8, the second dialog of a kind in one process as a "filler". */
static void
assert_all_named (GtkWindow *window)
{
  g_autofree char *dump = NULL;
  g_autofree char *title_line = NULL;

  if (g_getenv ("MW_A11Y_DUMP") == NULL)
    return;
  /* Let the bus learn of a window just shown. */
  mw_test_spin (300);
  dump = mw_test_a11y_dump (window);
  if (g_getenv ("MW_A11Y_SHOW_DUMP") != NULL)
    g_test_message ("%s", dump);
  title_line = g_strdup_printf ("\t%s\t", gtk_window_get_title (window));
  g_assert_nonnull (strstr (dump, title_line));
  if (strstr (dump, "UNNAMED") != NULL || strstr (dump, "MNEMONIC") != NULL || strstr (dump, "DOUBLED") != NULL)
    g_error ("%s: a screen reader reads some of it unnamed:\n%s", gtk_window_get_title (window), dump);
}

/* The position of the row that shows @text in column 0 of @page. */
static guint
row_position (MwListPage *page,
              const char *text)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (page)));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *cell = mw_list_page_dup_cell_text (page, i, 0);

      if (g_strcmp0 (cell, text) == 0)
        return i;
    }
  g_error ("no row shows %s", text);
  return 0;
}

static MwAliasDomainDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (MW_IS_ALIAS_DOMAIN_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return find_dialog () == NULL;
}

static gboolean
dialog_ready (gpointer data)
{
  g_auto(GStrv) domains = mw_alias_domain_dialog_dup_domains (data);

  return !mw_alias_domain_dialog_is_busy (data) && domains != NULL;
}

static gboolean
dialog_idle (gpointer data)
{
  return !mw_alias_domain_dialog_is_busy (data);
}

static gboolean
question_shown (gpointer data)
{
  return mw_alias_domain_get_question () != NULL && !mw_alias_domain_is_changing ();
}

static gboolean
change_done (gpointer data)
{
  return !mw_alias_domain_is_changing ();
}

static void
settle (MwListPage *page)
{
  mw_test_spin (300);
  mw_test_wait_until (mw_test_page_settled, page, "the alias domains list");
  mw_test_spin (50);
  mw_test_wait_until (mw_test_screen_filled, page, "the cells on screen");
}

/* Tries to add @alias -> @target; the core's sentence is shown, nothing added. */
static void
assert_refused (MwTestDb            *tdb,
                MwAliasDomainDialog *dialog,
                const char          *alias,
                const char          *target,
                const char          *says)
{
  gint64 before = mw_test_db_int (tdb, COUNT_SQL);
  const char *error;

  mw_alias_domain_dialog_set_field (dialog, "alias", alias);
  mw_alias_domain_dialog_set_field (dialog, "target", target);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "alias-domain.add", NULL));
  mw_test_spin (20);
  mw_test_wait_until (dialog_idle, dialog, "the refusal");
  error = mw_alias_domain_dialog_get_error (dialog);
  g_assert_nonnull (error);
  if (strstr (error, says) == NULL)
    g_error ("adding %s -> %s said “%s”, not “%s”", alias, target, error, says);
  /* The sentence is on screen, in the dialog, which stays open. */
  g_assert_true (mw_test_shows_text (GTK_WIDGET (dialog), error));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpint (mw_test_db_int (tdb, COUNT_SQL), ==, before);
}

/* Undo in the last toast: the row reads @expected again. */
static void
undo (MwTestDb   *tdb,
      const char *row_sql,
      const char *expected)
{
  AdwToast *toast = mw_alias_domain_get_undo_toast ();
  g_autofree char *row = NULL;

  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_signal_emit_by_name (toast, "button-clicked");
  mw_test_spin (20);
  mw_test_wait_until (change_done, NULL, "the undo");
  row = mw_test_db_string (tdb, row_sql);
  g_assert_cmpstr (row, ==, expected);
  g_assert_cmpstr (mw_alias_domain_get_last_toast (), ==, "The alias domain bücher.example is as it was");
}

/* Activates the row of @shown and waits for the question about it. */
static AdwMessageDialog *
open_row (MwListPage *page,
          const char *shown)
{
  settle (page);
  g_signal_emit_by_name (mw_list_page_get_column_view (page), "activate", row_position (page, shown));
  mw_test_spin (20);
  mw_test_wait_until (question_shown, NULL, "the row's question");
  return mw_alias_domain_get_question ();
}

static void
test_postfixadmin (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  g_autofree char *shot = NULL;
  g_auto(GStrv) domains = NULL;
  MwWindow *window;
  MwListPage *page;
  MwAliasDomainDialog *dialog;
  AdwMessageDialog *question;
  const char *row_sql = "SELECT concat(target_domain, ' ', CASE WHEN active THEN 'on' ELSE 'off' END) "
                        "FROM alias_domain WHERE alias_domain = 'xn--bcher-kva.example'";

  mw_demo_vmail_load_schema (tdb->db, MW_DEMO_FLAVOUR_POSTFIXADMIN, &error);
  g_assert_no_error (error);
  mw_demo_vmail_populate (tdb->db, MW_DEMO_FLAVOUR_POSTFIXADMIN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mw_test_db_int (tdb, COUNT_SQL), ==, 1);

  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 640);
  gtk_window_present (GTK_WINDOW (window));
  page = mw_window_get_page (window, MW_LIST_ALIAS_DOMAINS);
  g_assert_nonnull (page);
  mw_window_show_page (window, MW_LIST_ALIAS_DOMAINS);
  settle (page);
  wait_shows (GTK_WIDGET (window), "example.net", TRUE);

  /* The Add button (and Ctrl+N, the same action) adds an alias domain here. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (mw_test_find_type (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON)), ==,
                   "Add an alias domain (Ctrl+N)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add", NULL));
  mw_test_spin (100);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Add an Alias Domain");
  mw_test_wait_until (dialog_ready, dialog, "the domains to offer");
  /* The targets offered are the database's domains, in Unicode. */
  domains = mw_alias_domain_dialog_dup_domains (dialog);
  g_assert_true (g_strv_contains ((const char *const *) domains, "bücher.example"));
  g_assert_true (g_strv_contains ((const char *const *) domains, "example.com"));
  g_assert_false (g_strv_contains ((const char *const *) domains, "xn--bcher-kva.example"));
  assert_all_named (GTK_WINDOW (dialog));

  /* Refused with the core's sentence, nothing added: a target that is no
   * domain here, an alias domain already, a loop. */
  assert_refused (tdb, dialog, "bücher.example", "nowhere.example", "not in this database");
  assert_refused (tdb, dialog, "example.net", "example.com", "already an alias domain");
  assert_refused (tdb, dialog, "example.org", "example.net", "loop");
  shot = g_strdup_printf ("alias-domains-%s-refused", server);
  save_both_widths (GTK_WINDOW (dialog), shot, 520, 420);

  /* Added in Unicode, stored in A-labels; the dialog closes, the list
   * shows it in Unicode and a toast says so. */
  mw_alias_domain_dialog_set_field (dialog, "alias", "bücher.example");
  mw_alias_domain_dialog_set_field (dialog, "target", "example.com");
  g_free (shot);
  shot = g_strdup_printf ("alias-domains-%s-add", server);
  save_both_widths (GTK_WINDOW (dialog), shot, 520, 420);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "alias-domain.add", NULL));
  mw_test_wait_until (no_dialog, NULL, "the dialog to close");
  g_assert_cmpint (mw_test_db_int (tdb, COUNT_SQL), ==, 2);
  {
    g_autofree char *row = mw_test_db_string (tdb, row_sql);

    g_assert_cmpstr (row, ==, "example.com on");
  }
  g_assert_cmpstr (mw_alias_domain_get_last_toast (), ==, "Added the alias domain bücher.example (to example.com)");
  settle (page);
  wait_shows (GTK_WIDGET (page), "bücher.example", TRUE);

  /* Its row: turn it off; the row in the database is off; Undo on again. */
  question = open_row (page, "bücher.example");
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "bücher.example");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "anything@bücher.example"));
  assert_all_named (GTK_WINDOW (question));
  g_free (shot);
  shot = g_strdup_printf ("alias-domains-%s-row", server);
  save_both_widths (GTK_WINDOW (question), shot, 560, 300);
  adw_message_dialog_response (question, "toggle");
  mw_test_spin (20);
  mw_test_wait_until (change_done, NULL, "turning it off");
  {
    g_autofree char *row = mw_test_db_string (tdb, row_sql);

    g_assert_cmpstr (row, ==, "example.com off");
  }
  g_assert_cmpstr (mw_alias_domain_get_last_toast (), ==, "Turned off the alias domain bücher.example");
  /* Undo turns it on again with what the core returned. */
  undo (tdb, row_sql, "example.com on");
  question = open_row (page, "bücher.example");
  adw_message_dialog_response (question, "toggle");
  mw_test_spin (20);
  mw_test_wait_until (change_done, NULL, "turning it off again");
  {
    g_autofree char *row = mw_test_db_string (tdb, row_sql);

    g_assert_cmpstr (row, ==, "example.com off");
  }

  /* Delete: the confirmation names both domains in Unicode and what stops. */
  question = open_row (page, "bücher.example");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "turned off"));
  adw_message_dialog_response (question, "delete");
  mw_test_spin (50);
  mw_test_wait_until (question_shown, NULL, "the delete confirmation");
  question = mw_alias_domain_get_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Delete the Alias Domain bücher.example?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question),
                            "Mail to anything@bücher.example will no longer reach example.com."));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (question, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpint (mw_test_db_int (tdb, COUNT_SQL), ==, 2);
  assert_all_named (GTK_WINDOW (question));
  g_free (shot);
  shot = g_strdup_printf ("alias-domains-%s-delete", server);
  save_both_widths (GTK_WINDOW (question), shot, 560, 320);
  adw_message_dialog_response (question, "delete");
  mw_test_spin (20);
  mw_test_wait_until (change_done, NULL, "the delete");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM alias_domain WHERE alias_domain = 'xn--bcher-kva.example'"),
                   ==, 0);
  /* The domain itself stays. */
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM domain WHERE domain = 'xn--bcher-kva.example'"), ==, 1);
  g_assert_cmpstr (mw_alias_domain_get_last_toast (), ==, "Deleted the alias domain bücher.example");
  settle (page);
  wait_shows (GTK_WIDGET (page), "bücher.example", FALSE);
  /* Undo adds it again, as it was (off, to example.com). */
  undo (tdb, row_sql, "example.com off");
  settle (page);
  wait_shows (GTK_WIDGET (page), "bücher.example", TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (50);
}

/* ISPmail has no alias domains: nothing offers to add one. */
static void
test_ispmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  MwWindow *window;

  mw_demo_vmail_load_schema (tdb->db, MW_DEMO_FLAVOUR_ISPMAIL, &error);
  g_assert_no_error (error);
  mw_demo_vmail_populate (tdb->db, MW_DEMO_FLAVOUR_ISPMAIL, &error);
  g_assert_no_error (error);
  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_spin (100);
  g_assert_null (mw_window_get_page (window, MW_LIST_ALIAS_DOMAINS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-alias-domain", NULL));
  mw_test_spin (100);
  g_assert_null (find_dialog ());
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

  mw_test_add_both ("/gui/alias-domains/postfixadmin", test_postfixadmin);
  mw_test_add_both ("/gui/alias-domains/ispmail", test_ispmail);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
