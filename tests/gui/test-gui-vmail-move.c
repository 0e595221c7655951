/* test-gui-vmail-move.c: a mailbox's new address in the account window
 * (issue 17: "move to another domain where the flavour allows").
 *
 * ISPmail: the Address field is editable; a taken address is refused with
 * the sentence in the window and nothing changes; a new address in another
 * domain is saved, the row in the database changes, and a dialog that stays
 * on screen says which Maildir to move where, in a label whose text can be
 * selected and copied. PostfixAdmin: the field is read-only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-application.h"
#include "mw-demo-vmail.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"

#define MAILBOX  "juergen.mueller@example.org"
#define MOVED    "juergen.mueller@example.com"
#define NOTICE   "Move /var/vmail/example.org/juergen.mueller/ to /var/vmail/example.com/juergen.mueller/ on the " \
                 "mail server, or the mailbox will start empty."

static gboolean
account_settled (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data) &&
         !mw_account_window_is_loading (data);
}

static gboolean
weak_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* The visible label that says exactly text. */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static AdwMessageDialog *
message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        found = ADW_MESSAGE_DIALOG (w);
    }
  return found;
}

static gboolean
dialog_gone (gpointer data)
{
  return message_dialog () == NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return message_dialog () != NULL && account_settled (data);
}

static void
save_screenshots (GtkWidget  *widget,
                  const char *name)
{
  g_autofree char *dark = g_strdup_printf ("%s-dark", name);
  g_autofree char *light = g_strdup_printf ("%s-light", name);

  mw_test_spin (100);
  mw_test_save_screenshot (widget, light);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  mw_test_spin (100);
  mw_test_save_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  mw_test_spin (50);
}

static MwAccountWindow *
open_account (MwSession  *session,
              const char *name)
{
  g_autofree char *key = mw_test_account_key (session, name);
  MwAccountWindow *window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, key));

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 800);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (account_settled, window, "the account");
  mw_test_spin (100);
  return window;
}

static void
close_window (GtkWindow *window)
{
  gpointer weak = NULL;

  g_set_weak_pointer (&weak, window);
  gtk_window_destroy (window);
  mw_test_wait_until (weak_gone, &weak, "the window to go");
  mw_test_spin (50);
}

static MwSession *
vmail_session (MwTestDb      *tdb,
               MwDemoFlavour  flavour)
{
  g_autoptr(GError) error = NULL;

  mw_demo_vmail_load_schema (tdb->db, flavour, &error);
  g_assert_no_error (error);
  mw_demo_vmail_populate (tdb->db, flavour, &error);
  g_assert_no_error (error);
  return mw_test_connect_session (tdb);
}

static void
save (MwAccountWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.save", NULL));
  mw_test_spin (50);
  mw_test_wait_until (account_settled, window, "the save");
  mw_test_spin (100);
}

static void
test_ispmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = vmail_session (tdb, MW_DEMO_FLAVOUR_ISPMAIL);
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  g_autofree char *other = mw_test_db_string (tdb, "SELECT email FROM virtual_users WHERE email <> '" MAILBOX "' "
                                                   "ORDER BY id LIMIT 1");
  g_autofree char *shot = NULL;
  gint64 id = mw_test_db_int (tdb, "SELECT id FROM virtual_users WHERE email = '" MAILBOX "'");
  gint64 aliases = mw_test_db_int (tdb, "SELECT count(*) FROM virtual_aliases WHERE destination = '" MAILBOX "'");
  MwAccountWindow *window = open_account (session, MAILBOX);
  GtkWidget *row = mw_test_find_row (GTK_WIDGET (window), "Address");
  AdwMessageDialog *dialog;
  GtkLabel *notice;

  g_assert_nonnull (row);
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (row)));

  /* A taken address: the sentence, nothing changed, no dialog. */
  mw_account_window_set_field (window, "name", other);
  save (window);
  g_assert_nonnull (strstr (mw_account_window_get_error (window), "is taken"));
  g_assert_null (message_dialog ());
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM virtual_users WHERE email = '" MAILBOX "'"), ==, 1);

  /* Into another domain. */
  mw_account_window_set_field (window, "name", MOVED);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.save", NULL));
  mw_test_wait_until (dialog_shown, window, "the notice");
  mw_test_spin (200);
  dialog = message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Move the Mail");
  notice = find_label (GTK_WIDGET (dialog), NOTICE);
  g_assert_nonnull (notice);
  g_assert_true (gtk_label_get_selectable (notice));
  g_assert_cmpstr (mw_account_window_get_value (window, "name"), ==, MOVED);
  g_assert_null (mw_account_window_get_error (window));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT id FROM virtual_users WHERE email = '" MOVED "' AND domain_id = "
                                        "(SELECT id FROM virtual_domains WHERE name = 'example.com')"), ==, id);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM virtual_users WHERE email = '" MAILBOX "'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM virtual_aliases WHERE destination = '" MOVED "'"), ==,
                   aliases);
  shot = g_strdup_printf ("vmail-move-notice-%s", server);
  save_screenshots (GTK_WIDGET (dialog), shot);
  /* As its Close button does: answers, then closes. */
  adw_message_dialog_response (dialog, "close");
  gtk_window_close (GTK_WINDOW (dialog));
  mw_test_wait_until (dialog_gone, NULL, "the notice to close");

  /* Undo from the toast puts the address back and says where the mail goes now. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.undo-save", NULL));
  mw_test_wait_until (dialog_shown, window, "the notice of the undo");
  mw_test_spin (100);
  g_assert_nonnull (find_label (GTK_WIDGET (message_dialog ()),
                                "Move /var/vmail/example.com/juergen.mueller/ to /var/vmail/example.org/"
                                "juergen.mueller/ on the mail server, or the mailbox will start empty."));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT id FROM virtual_users WHERE email = '" MAILBOX "'"), ==, id);
  dialog = message_dialog ();
  adw_message_dialog_response (dialog, "close");
  gtk_window_close (GTK_WINDOW (dialog));
  mw_test_wait_until (dialog_gone, NULL, "the notice to close");
  close_window (GTK_WINDOW (window));
}

static void
test_postfixadmin (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = vmail_session (tdb, MW_DEMO_FLAVOUR_POSTFIXADMIN);
  MwAccountWindow *window = open_account (session, MAILBOX);
  GtkWidget *row = mw_test_find_row (GTK_WIDGET (window), "Address");

  g_assert_nonnull (row);
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (row)));
  close_window (GTK_WINDOW (window));
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

  mw_test_add_both ("/gui/vmail-move/ispmail", test_ispmail);
  mw_test_add_both ("/gui/vmail-move/postfixadmin", test_postfixadmin);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
