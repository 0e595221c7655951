/* test-gui-domains.c: adding, changing and deleting domains in the GUI, on the demo's ISPmail and PostfixAdmin data.
 *
 * Runs with GTK's accessibility bridge on (as test-gui-a11y does), so that
 * the dialog, the domain's window and the delete question are also read
 * over AT-SPI for unnamed widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-application.h"
#include "mw-demo-vmail.h"
#include "mw-domain-window.h"
#include "mw-list-page.h"
#include "mw-window.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"

typedef struct
{
  MwDemoFlavour  flavour;
  const char    *name;
  const char    *count_sql;        /* domains */
  const char    *named_sql;        /* domains named %s (printf) */
  const char    *mailboxes_sql;    /* mailboxes in %s */
  const char    *maildir;          /* the start of a Maildir path in bücher.example */
  gboolean       limits;           /* the flavour keeps limits, transport ... */
} Flavour;

static const Flavour ispmail = {
  MW_DEMO_FLAVOUR_ISPMAIL, "ispmail",
  "SELECT count(*) FROM virtual_domains",
  "SELECT count(*) FROM virtual_domains WHERE name = '%s'",
  "SELECT count(*) FROM virtual_users WHERE email LIKE '%@%s'",
  "/var/vmail/xn--bcher-kva.example/",
  FALSE,
};

static const Flavour postfixadmin = {
  MW_DEMO_FLAVOUR_POSTFIXADMIN, "postfixadmin",
  "SELECT count(*) FROM domain",
  "SELECT count(*) FROM domain WHERE domain = '%s'",
  "SELECT count(*) FROM mailbox WHERE domain = '%s'",
  "/var/mail/vmail/xn--bcher-kva.example/",
  TRUE,
};

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

/* A label whose text has @text in it, shown or not. */
static GtkWidget *
find_label_containing (GtkWidget  *widget,
                       const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_containing (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The visible domain window: the Add dialog (adding) or a domain's. */
static MwDomainWindow *
find_domain_window (gboolean adding)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  MwDomainWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (MW_IS_DOMAIN_WINDOW (w) && gtk_widget_get_visible (GTK_WIDGET (w)) &&
          (mw_domain_window_get_domain (MW_DOMAIN_WINDOW (w)) == NULL) == adding)
        found = MW_DOMAIN_WINDOW (w);
    }
  return found;
}

static gboolean
no_domain_window (gpointer data)
{
  return find_domain_window (GPOINTER_TO_INT (data)) == NULL;
}

static gboolean
domain_window_idle (gpointer data)
{
  return !mw_domain_window_is_busy (data);
}

static gboolean
domain_read (gpointer data)
{
  return !mw_domain_window_is_busy (data) && mw_domain_window_get_domain (data) != NULL;
}

static gboolean
delete_asked (gpointer data)
{
  return mw_domain_window_get_delete_dialog (data) != NULL;
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

static gint64
count_named (MwTestDb      *tdb,
             const char    *sql,
             const char    *name)
{
  g_auto(GStrv) parts = g_strsplit (sql, "%s", 2);
  g_autofree char *full = g_strconcat (parts[0], name, parts[1], NULL);

  return mw_test_db_int (tdb, full);
}

/* Tries to add @name in the open dialog; the core's sentence comes back, nothing is added. */
static void
assert_refused (MwTestDb       *tdb,
                const Flavour  *f,
                MwDomainWindow *dialog,
                const char     *name,
                const char     *says)
{
  gint64 before = mw_test_db_int (tdb, f->count_sql);
  const char *error;

  mw_domain_window_set_field (dialog, "name", name);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "domain.add", NULL));
  mw_test_spin (20);
  mw_test_wait_until (domain_window_idle, dialog, "the refusal");
  error = mw_domain_window_get_error (dialog);
  g_assert_nonnull (error);
  if (strstr (error, says) == NULL)
    g_error ("adding “%s” said “%s”, not “%s”", name, error, says);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpint (mw_test_db_int (tdb, f->count_sql), ==, before);
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

static void
check_flavour (gconstpointer  driver,
               const Flavour *f)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = g_strdup_printf ("domains-%s-%s", f->name,
                                             tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql");
  g_autofree char *shot = NULL;
  MwWindow *window;
  MwListPage *domains;
  MwDomainWindow *dialog, *opened;
  AdwMessageDialog *question;
  gint64 n_domains;

  mw_demo_vmail_load_schema (tdb->db, f->flavour, &error);
  g_assert_no_error (error);
  mw_demo_vmail_populate (tdb->db, f->flavour, &error);
  g_assert_no_error (error);
  n_domains = mw_test_db_int (tdb, f->count_sql);

  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  domains = mw_window_get_page (window, MW_LIST_DOMAINS);
  mw_window_show_page (window, MW_LIST_DOMAINS);
  mw_test_wait_until (mw_test_page_settled, domains, "the domains list");
  mw_test_spin (50);
  mw_test_wait_until (mw_test_screen_filled, domains, "the cells on screen");
  wait_shows (GTK_WIDGET (window), "bücher.example", TRUE);

  /* On the Domains list, the Add button (and Ctrl+N, the same action)
   * adds a domain. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (mw_test_find_type (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON)), ==,
                   "Add a domain (Ctrl+N)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add", NULL));
  mw_test_spin (100);
  dialog = find_domain_window (TRUE);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Add a Domain");
  g_assert_true (mw_test_row_shown (GTK_WIDGET (dialog), "Domain name"));
  /* Only the fields the flavour keeps. */
  g_assert_cmpint (mw_test_row_shown (GTK_WIDGET (dialog), "Description"), ==, f->limits);
  g_assert_cmpint (mw_test_row_shown (GTK_WIDGET (dialog), "Mailboxes at most"), ==, f->limits);
  g_assert_cmpint (mw_test_row_shown (GTK_WIDGET (dialog), "Largest mailbox quota"), ==, f->limits);
  g_assert_cmpint (mw_test_row_shown (GTK_WIDGET (dialog), "Transport"), ==, f->limits);
  g_assert_cmpint (mw_test_row_shown (GTK_WIDGET (dialog), "Backup MX only"), ==, f->limits);
  g_assert_false (mw_test_row_shown (GTK_WIDGET (dialog), "Mailboxes"));
  assert_all_named (GTK_WINDOW (dialog));
  mw_domain_window_set_field (dialog, "name", "büro.example");
  shot = g_strdup_printf ("%s-add", prefix);
  save_both_widths (GTK_WINDOW (dialog), shot, 520, f->limits ? 760 : 260);

  /* Refused with the core's sentence, nothing added: taken in another
   * case, malformed, SQL metacharacters. */
  assert_refused (tdb, f, dialog, "EXAMPLE.org", "already");
  assert_refused (tdb, f, dialog, "not a domain", "");
  assert_refused (tdb, f, dialog, "x'; DROP TABLE users; --.example", "");
  assert_refused (tdb, f, dialog, "", "Type the domain");
  g_assert_cmpint (mw_test_db_int (tdb, f->count_sql), ==, n_domains);

  /* Added in Unicode, stored in A-labels, with the defaults PostfixAdmin's
   * own code writes; the dialog closes and the list shows it. */
  mw_domain_window_set_field (dialog, "name", "büro.example");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "domain.add", NULL));
  mw_test_wait_until (no_domain_window, GINT_TO_POINTER (TRUE), "the dialog to close");
  g_assert_cmpint (mw_test_db_int (tdb, f->count_sql), ==, n_domains + 1);
  g_assert_cmpint (count_named (tdb, f->named_sql, "xn--bro-hoa.example"), ==, 1);
  if (f->limits)
    {
      g_autofree char *row = mw_test_db_string (tdb, "SELECT concat(aliases, ' ', mailboxes, ' ', maxquota, ' ', quota, "
                                                     "' ', transport) FROM domain WHERE domain = 'xn--bro-hoa.example'");

      g_assert_cmpstr (row, ==, "10 10 10 2048 virtual");
    }
  wait_shows (GTK_WIDGET (window), "büro.example", TRUE);

  /* The domain opened from its row: read-only counts, the kept fields. */
  mw_test_wait_until (mw_test_page_settled, domains, "the domains list");
  mw_test_spin (50);
  mw_test_wait_until (mw_test_screen_filled, domains, "the cells on screen");
  g_signal_emit_by_name (mw_list_page_get_column_view (domains), "activate",
                         row_position (domains, "bücher.example"));
  mw_test_spin (50);
  opened = find_domain_window (FALSE);
  if (opened == NULL)
    {
      mw_test_spin (500);
      opened = find_domain_window (FALSE);
    }
  g_assert_nonnull (opened);
  mw_test_wait_until (domain_read, opened, "the domain");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (opened)), ==, "bücher.example");
  g_assert_cmpint (mw_test_row_shown (GTK_WIDGET (opened), "Mailboxes at most"), ==, f->limits);
  g_assert_true (mw_test_row_shown (GTK_WIDGET (opened), "Mailboxes"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (opened), "8"));
  assert_all_named (GTK_WINDOW (opened));
  g_free (shot);
  shot = g_strdup_printf ("%s-window", prefix);
  save_both_widths (GTK_WINDOW (opened), shot, 560, f->limits ? 900 : 420);

  if (f->limits)
    {
      const char *sql = "SELECT mailboxes FROM domain WHERE domain = 'xn--bcher-kva.example'";

      /* A limit changed and saved: one update; Undo puts it back. */
      g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 20);
      mw_domain_window_set_field (opened, "max-mailboxes", "25");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (opened), "domain.save", NULL));
      mw_test_spin (20);
      mw_test_wait_until (domain_window_idle, opened, "the save");
      g_assert_null (mw_domain_window_get_error (opened));
      g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 25);
      g_assert_cmpstr (mw_domain_window_get_toast (opened), ==, "Saved");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (opened), "domain.undo", NULL));
      mw_test_spin (20);
      mw_test_wait_until (domain_window_idle, opened, "the undo");
      g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 20);
      g_assert_cmpstr (mw_domain_window_get_toast (opened), ==, "Changes undone");

      /* Changed elsewhere after it was read: refused with the sentence. */
      mw_test_db_exec (tdb, "UPDATE domain SET description = 'elsewhere' WHERE domain = 'xn--bcher-kva.example'");
      mw_domain_window_set_field (opened, "max-aliases", "33");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (opened), "domain.save", NULL));
      mw_test_spin (20);
      mw_test_wait_until (domain_window_idle, opened, "the refused save");
      g_assert_nonnull (mw_domain_window_get_error (opened));
      g_assert_cmpint (mw_test_db_int (tdb, "SELECT aliases FROM domain WHERE domain = 'xn--bcher-kva.example'"), ==,
                       20);
      mw_domain_window_set_field (opened, "max-aliases", "20");
    }

  /* Delete: the dry run's summary with the Maildirs to remove, then gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (opened), "domain.delete", NULL));
  mw_test_wait_until (delete_asked, opened, "the delete question");
  question = mw_domain_window_get_delete_dialog (opened);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Delete bücher.example?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "1 domain with 8 mailboxes"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "remove these Maildirs"));
  /* The Maildirs, one per line below the sentence, to be copied. */
  g_assert_nonnull (find_label_containing (GTK_WIDGET (question), f->maildir));
  g_assert_cmpint (count_named (tdb, f->named_sql, "xn--bcher-kva.example"), ==, 1);
  mw_test_spin (200);
  assert_all_named (GTK_WINDOW (question));
  g_free (shot);
  shot = g_strdup_printf ("%s-delete", prefix);
  save_both_widths (GTK_WINDOW (question), shot, 560, 400);
  adw_message_dialog_response (question, "delete");
  mw_test_wait_until (no_domain_window, GINT_TO_POINTER (FALSE), "the window to close");
  g_assert_cmpint (count_named (tdb, f->named_sql, "xn--bcher-kva.example"), ==, 0);
  g_assert_cmpint (count_named (tdb, f->mailboxes_sql, "xn--bcher-kva.example"), ==, 0);
  wait_shows (GTK_WIDGET (window), "bücher.example", FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (50);
}

static void
test_ispmail (gconstpointer driver)
{
  check_flavour (driver, &ispmail);
}

static void
test_postfixadmin (gconstpointer driver)
{
  check_flavour (driver, &postfixadmin);
}

/* DBMail has no table of domains: nothing offers to add or open one. */
static void
test_dbmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = mw_test_connect_session (tdb);
  MwWindow *window = mw_window_new (NULL, session);

  mw_test_db_add_user (tdb, "alice", 0, 0);
  mw_test_db_add_alias (tdb, "alice@example.org", "alice", 0);
  gtk_window_present (GTK_WINDOW (window));
  mw_window_show_page (window, MW_LIST_DOMAINS);
  mw_test_spin (100);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (mw_test_find_type (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON)), ==,
                   "Add a user (Ctrl+N)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-domain", NULL));
  mw_test_spin (100);
  g_assert_null (find_domain_window (TRUE));
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

  mw_test_add_both ("/gui/domains/ispmail", test_ispmail);
  mw_test_add_both ("/gui/domains/postfixadmin", test_postfixadmin);
  mw_test_add_both ("/gui/domains/dbmail", test_dbmail);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
