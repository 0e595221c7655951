/* test-gui-import.c: the import dialog and "Export This List…", under Xvfb on real servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mw-demo-vmail.h"
#include "mw-import-dialog.h"
#include "mw-window.h"
#include "mw-application.h"
#include "mw-password.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"

static gboolean
in_preview (gpointer data)
{
  return g_str_equal (mw_import_dialog_get_step (data), "preview");
}

static gboolean
in_report (gpointer data)
{
  return g_str_equal (mw_import_dialog_get_step (data), "report");
}

static gboolean
export_done (gpointer data)
{
  return !mw_window_is_exporting (data);
}

static gboolean
weak_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
page_loaded (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (data))) > 0;
}

/* The message of line, asserting it is there once and says part. */
static void
assert_message (GStrv       messages,
                guint       line,
                const char *part)
{
  g_autofree char *prefix = g_strdup_printf ("Line %u: ", line);

  for (guint i = 0; messages[i] != NULL; i++)
    if (g_str_has_prefix (messages[i], prefix))
      {
        if (strstr (messages[i], part) == NULL)
          g_error ("line %u: “%s” does not say “%s”", line, messages[i], part);
        return;
      }
  g_error ("no message for line %u", line);
}

static char *
snapshot (MwTestDb *tdb)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                          mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users"),
                          mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases"),
                          mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_mailboxes"));
}

static void
assert_user (MwTestDb   *tdb,
             const char *userid,
             gint64      quota,
             gint64      group,
             const char *alias,
             const char *password)
{
  g_autofree char *sql = NULL;
  g_autofree char *passwd = NULL;
  g_autofree char *type = NULL;
  g_autoptr(GError) error = NULL;
  gint64 idnr;

  sql = g_strdup_printf ("SELECT user_idnr FROM dbmail_users WHERE userid = '%s' AND maxmail_size = %"
                         G_GINT64_FORMAT " AND client_idnr = %" G_GINT64_FORMAT, userid, quota, group);
  idnr = mw_test_db_int (tdb, sql);
  g_assert_cmpint (idnr, >, 0);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT
                         " AND name = 'INBOX'", idnr);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);
  if (alias != NULL)
    {
      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = '%s' AND deliver_to = '%"
                             G_GINT64_FORMAT "' AND client_idnr = %" G_GINT64_FORMAT, alias, idnr, group);
      g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);
    }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT passwd FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT, idnr);
  passwd = mw_test_db_string (tdb, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT encryption_type FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT, idnr);
  type = mw_test_db_string (tdb, sql);
  g_assert_true (mw_password_verify (type, passwd, password, &error));
  g_assert_no_error (error);
}

static void
test_import_export (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) csv_file = NULL;
  g_autoptr(GFile) passwords_file = NULL;
  g_autoptr(GFile) export_file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-import-XXXXXX", &error);
  g_autofree char *csv_path = NULL;
  g_autofree char *passwords_path = NULL;
  g_autofree char *export_path = NULL;
  g_autofree char *ben_hash = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  g_autofree char *gus_password = NULL;
  g_auto(GStrv) messages = NULL;
  g_auto(GStrv) lines = NULL;
  gpointer weak = NULL;
  const char *ben_type = NULL;
  struct stat st;
  MwImportDialog *dialog;
  MwWindow *window;

  g_assert_no_error (error);
  mw_test_db_add_user (tdb, "alice", 1, 0);
  ben_hash = mw_password_hash ("md5-crypt", "Ben's pw 2", &ben_type, &error);
  g_assert_no_error (error);
  csv = g_strdup_printf ("name,password,passwd,encryption_type,quota,group,aliases\n"  /* 1 */
                         "imp-ann,Ann pass 1,,,25M,3,ann@example.org ann.b@example.org\n" /* 2 good */
                         "imp-ben,,%s,%s,0,3,ben@example.org\n"                   /* 3 good, hashed */
                         "imp-cat,Cat-pass-3,,,1G,4,\n"                            /* 4 good */
                         "ALICE,pw,,,0,1,\n"                                       /* 5 taken but for case */
                         "imp-dan,pw,,,0,3,alice@example.org\n"                    /* 6 alias taken */
                         "imp-eve,pw,,,0,3,bad..dots@example.org\n"                /* 7 invalid address */
                         "imp-fay,pw,,,lots,3,\n"                                  /* 8 bad quota */
                         "imp-gus,,,,0,3,gus@example.org\n",                       /* 9 generated password */
                         ben_hash, ben_type);
  csv_path = g_build_filename (dir, "people.csv", NULL);
  g_assert_true (g_file_set_contents (csv_path, csv, -1, &error));
  csv_file = g_file_new_for_path (csv_path);

  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  before = snapshot (tdb);

  /* The preview: the refused lines by number, nothing written. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import-users", NULL));
  dialog = g_object_get_data (G_OBJECT (window), "mw-import-dialog");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (mw_import_dialog_get_step (dialog), ==, "choose");
  mw_import_dialog_set_generate_passwords (dialog, TRUE);
  mw_test_save_screenshot (GTK_WIDGET (dialog), "import-choose");
  mw_import_dialog_set_file (dialog, csv_file);
  mw_test_wait_until (in_preview, dialog, "the preview");
  messages = mw_import_dialog_dup_messages (dialog);
  for (guint i = 0; messages[i] != NULL; i++)
    g_test_message ("%s", messages[i]);
  g_assert_cmpuint (g_strv_length (messages), ==, 4);
  assert_message (messages, 5, "DBMail does not tell names apart by case");
  assert_message (messages, 6, "alice@example.org");
  assert_message (messages, 7, "bad..dots@example.org");
  assert_message (messages, 8, "is not a quota");
  g_assert_cmpuint (mw_import_dialog_get_created (dialog), ==, 4);
  after = snapshot (tdb);
  g_assert_cmpstr (before, ==, after);
  mw_test_save_screenshot (GTK_WIDGET (dialog), "import-preview");

  /* The import and its report. */
  mw_import_dialog_import (dialog);
  g_assert_cmpstr (mw_import_dialog_get_step (dialog), ==, "progress");
  mw_test_wait_until (in_report, dialog, "the report");
  g_assert_cmpuint (mw_import_dialog_get_created (dialog), ==, 4);
  g_clear_pointer (&messages, g_strfreev);
  messages = mw_import_dialog_dup_messages (dialog);
  g_assert_cmpuint (g_strv_length (messages), ==, 4);
  assert_message (messages, 7, "bad..dots@example.org");
  mw_test_save_screenshot (GTK_WIDGET (dialog), "import-report");

  assert_user (tdb, "imp-ann", 25 << 20, 3, "ann.b@example.org", "Ann pass 1");
  assert_user (tdb, "imp-ann", 25 << 20, 3, "ann@example.org", "Ann pass 1");
  assert_user (tdb, "imp-ben", 0, 3, "ben@example.org", "Ben's pw 2");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'imp-ben' "
                                        "AND encryption_type = 'md5'"), ==, 1);
  g_clear_pointer (&text, g_free);
  text = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'imp-ben'");
  g_assert_cmpstr (text, ==, ben_hash);
  assert_user (tdb, "imp-cat", G_GINT64_CONSTANT (1) << 30, 4, NULL, "Cat-pass-3");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid IN "
                                        "('imp-dan', 'imp-eve', 'imp-fay')"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE lower(userid) = 'alice'"), ==, 1);

  /* The generated password, saved owner-only, logs in. */
  passwords_path = g_build_filename (dir, "passwords.csv", NULL);
  passwords_file = g_file_new_for_path (passwords_path);
  g_assert_true (mw_import_dialog_save_passwords_to (dialog, passwords_file, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (passwords_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (passwords_path, &text, NULL, &error));
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "name,password");
  g_assert_true (g_str_has_prefix (lines[1], "imp-gus,"));
  g_assert_cmpstr (lines[2], ==, "");
  gus_password = g_strdup (lines[1] + strlen ("imp-gus,"));
  assert_user (tdb, "imp-gus", 0, 3, "gus@example.org", gus_password);

  g_set_weak_pointer (&weak, dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  mw_test_wait_until (weak_gone, &weak, "the dialog to close");

  /* Export the Users list: the names, never a hash. */
  mw_window_show_page (window, MW_LIST_USERS);
  mw_test_wait_until (page_loaded, mw_window_get_page (window, MW_LIST_USERS), "the users list");
  g_assert_true (mw_window_can_export (window));
  export_path = g_build_filename (dir, "users.csv", NULL);
  export_file = g_file_new_for_path (export_path);
  mw_window_export_list_to (window, export_file);
  g_assert_true (mw_window_is_exporting (window));
  mw_test_wait_until (export_done, window, "the export");
  g_test_message ("%s", mw_window_get_export_message (window));
  g_assert_true (g_str_has_prefix (mw_window_get_export_message (window), "Exported "));
  g_assert_nonnull (strstr (mw_window_get_export_message (window), " rows to users.csv"));
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (export_path, &text, NULL, &error));
  g_assert_true (g_str_has_prefix (text, "name,number,group,quota,used,last_login,encryption_type,active,aliases\r\n"));
  for (guint i = 0; i < 4; i++)
    {
      static const char *const names[] = { "\r\nimp-ann,", "\r\nimp-ben,", "\r\nimp-cat,", "\r\nimp-gus," };

      g_assert_nonnull (strstr (text, names[i]));
    }
  g_assert_null (strstr (text, ben_hash));
  g_assert_null (strstr (text, "$6$"));
  g_assert_null (strstr (text, "$1$"));
  g_assert_null (strstr (text, gus_password));
  mw_test_save_screenshot (GTK_WIDGET (window), "export-toast");

  /* The Domains list is not exported. */
  mw_window_show_page (window, MW_LIST_DOMAINS);
  g_assert_false (mw_window_can_export (window));

  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
  g_unlink (csv_path);
  g_unlink (passwords_path);
  g_unlink (export_path);
  g_rmdir (dir);
}

/* Whether a visible label under widget contains part. */
static gboolean
shows_part (GtkWidget  *widget,
            const char *part)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), part) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_part (child, part))
      return TRUE;
  return FALSE;
}

static void
save_light_dark (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *light = g_strconcat (name, "-light", NULL);
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);

  mw_test_save_screenshot (widget, light);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  mw_test_spin (50);
  mw_test_save_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  mw_test_spin (50);
}

/* The same dialog on the PostfixAdmin demo: the flavour's columns named,
 * its refusals in the preview, the mailbox and its aliases written. */
static void
test_import_postfixadmin (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) csv_file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-import-XXXXXX", &error);
  g_autofree char *csv_path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) messages = NULL;
  gpointer weak = NULL;
  MwImportDialog *dialog;
  MwWindow *window;
  gint64 mailboxes;

  g_assert_no_error (error);
  mw_demo_vmail_load_schema (tdb->db, MW_DEMO_FLAVOUR_POSTFIXADMIN, &error);
  g_assert_no_error (error);
  mw_demo_vmail_populate (tdb->db, MW_DEMO_FLAVOUR_POSTFIXADMIN, &error);
  g_assert_no_error (error);
  mailboxes = mw_test_db_int (tdb, "SELECT count(*) FROM mailbox");
  csv_path = g_build_filename (dir, "mailboxes.csv", NULL);
  g_assert_true (g_file_set_contents (csv_path,
                                      "address,password,name,quota,active,aliases\n"                 /* 1 */
                                      "neu.kunde@example.org,Neu-Pass-1,Jörg Neumann,1G,1,jn@example.org\n" /* 2 */
                                      "nobody@nowhere.example,pw,,1G,1,\n"                            /* 3 */
                                      "Juergen.Mueller@EXAMPLE.org,pw,,1G,1,\n"                       /* 4 */
                                      "gross@example.com,pw,,5G,1,\n",                                /* 5 */
                                      -1, &error));
  csv_file = g_file_new_for_path (csv_path);

  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import-users", NULL));
  dialog = g_object_get_data (G_OBJECT (window), "mw-import-dialog");
  g_assert_nonnull (dialog);
  /* The columns this database reads, not DBMail's. */
  g_assert_true (shows_part (GTK_WIDGET (dialog), "address (required)"));
  g_assert_false (shows_part (GTK_WIDGET (dialog), "encryption_type"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Import Mailboxes");
  g_assert_true (shows_part (GTK_WIDGET (dialog), "Import Mailboxes"));
  save_light_dark (GTK_WIDGET (dialog), "import-postfixadmin-choose");

  mw_import_dialog_set_file (dialog, csv_file);
  mw_test_wait_until (in_preview, dialog, "the preview");
  messages = mw_import_dialog_dup_messages (dialog);
  for (guint i = 0; messages[i] != NULL; i++)
    g_test_message ("%s", messages[i]);
  g_assert_cmpuint (g_strv_length (messages), ==, 3);
  assert_message (messages, 3, "The domain “nowhere.example” is not in this database");
  assert_message (messages, 4, "is taken: a mailbox has it");
  assert_message (messages, 5, "at most 2048 MB");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM mailbox"), ==, mailboxes);
  g_assert_true (shows_part (GTK_WIDGET (dialog), "1 mailbox will be added"));
  save_light_dark (GTK_WIDGET (dialog), "import-postfixadmin-preview");

  mw_import_dialog_import (dialog);
  mw_test_wait_until (in_report, dialog, "the report");
  g_assert_cmpuint (mw_import_dialog_get_created (dialog), ==, 1);
  g_assert_true (shows_part (GTK_WIDGET (dialog), "1 mailbox created"));
  save_light_dark (GTK_WIDGET (dialog), "import-postfixadmin-report");
  text = mw_test_db_string (tdb, "SELECT concat(name, '|', maildir, '|', quota) FROM mailbox "
                                 "WHERE username = 'neu.kunde@example.org'");
  g_assert_cmpstr (text, ==, "Jörg Neumann|example.org/neu.kunde/|1073741824");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM alias WHERE address = 'jn@example.org' AND "
                                        "goto = 'neu.kunde@example.org'"), ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM mailbox"), ==, mailboxes + 1);

  g_set_weak_pointer (&weak, dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  mw_test_wait_until (weak_gone, &weak, "the dialog to close");
  gtk_window_destroy (GTK_WINDOW (window));
  mw_test_spin (100);
  g_unlink (csv_path);
  g_rmdir (dir);
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

  mw_test_add_both ("/gui/import-export", test_import_export);
  mw_test_add_both ("/gui/import-postfixadmin", test_import_postfixadmin);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
