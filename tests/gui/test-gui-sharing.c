/* test-gui-sharing.c: DBMail's shared folders in the desktop app: the
 * account window's Sharing tab (the account's folders with who may do what,
 * the folders shared with it, by name as mail programs show them), the
 * rights dialog (grant, change, revoke, Undo, the core's refusal on
 * screen), public folders (created after asking for the missing special
 * accounts, deleted), light and dark.
 *
 * Runs with the accessibility bridge on, to read the tab and the dialogs
 * over AT-SPI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-account-window-sharing.h"
#include "mw-application.h"
#include "mw-public-folder-dialog.h"
#include "mw-rights-dialog.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"
#include "mw-window.h"

/* Screen-reader names, where the accessibility bridge is on: no
 * interactive object unnamed, named with a mnemonic underscore or twice
 * (the flags of a11y-dump.py). */
static void
assert_all_named (GtkWindow *window)
{
  g_autofree char *dump = NULL;

  if (g_getenv ("MW_A11Y_DUMP") == NULL)
    return;
  mw_test_spin (300);
  dump = mw_test_a11y_dump (window);
  if (g_getenv ("MW_A11Y_SHOW_DUMP") != NULL)
    g_test_message ("%s", dump);
  if (strstr (dump, "UNNAMED") != NULL || strstr (dump, "MNEMONIC") != NULL || strstr (dump, "DOUBLED") != NULL)
    g_error ("%s: a screen reader reads some of it unnamed:\n%s", gtk_window_get_title (window), dump);
}

static gint64
add_mailbox (MwTestDb   *tdb,
             gint64      owner,
             const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT
                                          ", '%s')", owner, name);
  g_autofree char *id_sql = g_strdup_printf ("SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %"
                                             G_GINT64_FORMAT " AND name = '%s'", owner, name);

  mw_test_db_exec (tdb, sql);
  return mw_test_db_int (tdb, id_sql);
}

/* A row as DBMail's SETACL writes it: lrs, or lrswi with @write. */
static void
add_acl (MwTestDb *tdb,
         gint64    user,
         gint64    mailbox,
         gboolean  write)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_acl (user_id, mailbox_id, lookup_flag, read_flag, "
                                          "seen_flag, write_flag, insert_flag) VALUES (%" G_GINT64_FORMAT ", %"
                                          G_GINT64_FORMAT ", 1, 1, 1, %d, %d)", user, mailbox, write, write);

  mw_test_db_exec (tdb, sql);
}

/* What the core reads for @grantee on @owner's folder @folder (display
 * name): the letters, "" for no row. Through the core's API, not SQL. */
static char *
rights_in_db (MwTestDb   *tdb,
              MwSession  *session,
              const char *owner_key,
              const char *folder,
              const char *grantee)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = mw_schema_list_account_folders (mw_session_get_schema (session), tdb->db, owner_key,
                                                                 NULL, &error);

  g_assert_no_error (error);
  g_ptr_array_set_free_func (entries, (GDestroyNotify) mw_acl_entry_free);
  for (guint i = 0; i < entries->len; i++)
    {
      MwAclEntry *e = g_ptr_array_index (entries, i);

      if (g_strcmp0 (e->display_name, folder) == 0 && g_strcmp0 (e->grantee, grantee) == 0)
        return mw_rights_to_letters (e->rights);
    }
  return g_strdup ("");
}

static gboolean
tab_idle (gpointer data)
{
  return mw_account_sharing_is_loaded (data) && !mw_account_sharing_is_busy (data);
}

static gboolean
account_loaded (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static MwRightsDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (MW_IS_RIGHTS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static MwPublicFolderDialog *
find_public_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (MW_IS_PUBLIC_FOLDER_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return find_dialog () == NULL;
}

static gboolean
dialog_idle (gpointer data)
{
  return !mw_rights_dialog_is_busy (data);
}

static gboolean
public_dialog_waits (gpointer data)
{
  return find_public_dialog () == NULL || !mw_public_folder_dialog_is_busy (data);
}

static gboolean
question_shown (gpointer data)
{
  return mw_rights_dialog_get_question () != NULL;
}

static gboolean
row_dialog_shown (gpointer data)
{
  return find_dialog () != NULL && !mw_rights_dialog_is_changing ();
}

static gboolean
row_change_done (gpointer data)
{
  return find_dialog () == NULL && !mw_rights_dialog_is_changing ();
}

/* The Sharing list of the main window, settled. */
static MwListPage *
show_sharing_list (MwWindow *window)
{
  MwListPage *page = mw_window_get_page (window, MW_LIST_SHARING);

  g_assert_nonnull (page);
  mw_window_show_page (window, MW_LIST_SHARING);
  mw_test_settle_page (page, "the Sharing list");
  return page;
}

static gboolean
row_shown (MwAccountSharing *sharing,
           const char       *group,
           const char       *line)
{
  g_auto(GStrv) rows = mw_account_sharing_dup_rows (sharing, group);

  return g_strv_contains ((const char *const *) rows, line);
}

static void
assert_row (MwAccountSharing *sharing,
            const char       *group,
            const char       *line,
            gboolean          shown)
{
  if (row_shown (sharing, group, line) != shown)
    {
      g_auto(GStrv) rows = mw_account_sharing_dup_rows (sharing, group);
      g_autofree char *all = g_strjoinv ("\n", rows);

      g_error ("the %s group %s “%s”; it shows:\n%s", group, shown ? "lacks" : "still shows", line, all);
    }
  /* A person sees it: the title is a label on screen. */
  if (shown)
    {
      g_autofree char *title = g_strndup (line, strcspn (line, ":"));

      g_assert_true (mw_test_shows_text (GTK_WIDGET (sharing), title));
    }
}

/* Presses a button of a row and waits for the dialog it opens. */
static MwRightsDialog *
press_for_dialog (MwAccountSharing *sharing,
                  const char       *what,
                  const char       *folder,
                  const char       *grantee)
{
  MwRightsDialog *dialog;

  g_assert_true (mw_account_sharing_press (sharing, what, folder, grantee));
  mw_test_spin (50);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  return dialog;
}

/* Presses the dialog's button (an action) and waits until it closed. */
static void
finish_dialog (MwRightsDialog   *dialog,
               const char       *action,
               MwAccountSharing *sharing)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), action, NULL));
  mw_test_spin (20);
  mw_test_wait_until (no_dialog, NULL, "the dialog to close");
  mw_test_spin (20);
  mw_test_wait_until (tab_idle, sharing, "the tab to read the rows again");
}

static void
undo (MwAccountSharing *sharing)
{
  AdwToast *toast = mw_account_sharing_get_undo_toast (sharing);

  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_signal_emit_by_name (toast, "button-clicked");
  mw_test_spin (20);
  mw_test_wait_until (tab_idle, sharing, "the undo");
}

static void
test_sharing (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  g_autofree char *alice_key = NULL;
  g_autofree char *shot = NULL;
  gint64 alice, bob, carol, pub, anyone, archive, projects, news;
  MwAccountWindow *window;
  MwAccountSharing *sharing;
  MwRightsDialog *dialog;

  alice = mw_test_db_add_user (tdb, "alice", 1, 0);
  bob = mw_test_db_add_user (tdb, "bob", 1, 0);
  carol = mw_test_db_add_user (tdb, "carol", 1, 0);
  pub = mw_test_db_int (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = '__public__'");
  anyone = mw_test_db_int (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = 'anyone'");
  add_mailbox (tdb, alice, "INBOX");
  archive = add_mailbox (tdb, alice, "Archive");
  /* "Équipe" in IMAP's modified UTF-7, as DBMail stores it. */
  add_mailbox (tdb, alice, "&AMk-quipe");
  add_mailbox (tdb, bob, "INBOX");
  projects = add_mailbox (tdb, carol, "Projects");
  news = add_mailbox (tdb, pub, "News");
  add_acl (tdb, bob, archive, TRUE);
  add_acl (tdb, alice, projects, FALSE);
  add_acl (tdb, anyone, news, FALSE);

  session = mw_test_connect_session (tdb);
  alice_key = mw_test_account_key (session, "alice");
  window = MW_ACCOUNT_WINDOW (mw_account_window_new (session, alice_key));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 760);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_until (account_loaded, window, "the account");
  sharing = mw_account_window_get_sharing (window);
  g_assert_nonnull (sharing);
  /* Read only once the tab is shown. */
  g_assert_false (mw_account_sharing_is_loaded (sharing));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.show-page", "s", "sharing"));
  mw_test_wait_until (tab_idle, sharing, "the Sharing tab");

  /* Its folders with who may do what, and what others share with it, by
   * the names its mail program shows. */
  g_assert_cmpstr (mw_account_sharing_get_title (sharing, "own"), ==, "Folders of alice");
  g_assert_cmpstr (mw_account_sharing_get_title (sharing, "shared"), ==, "Shared with alice");
  assert_row (sharing, "own", "INBOX: Not shared", TRUE);
  assert_row (sharing, "own", "Équipe: Not shared", TRUE);
  assert_row (sharing, "own", "Archive: Shared with bob", TRUE);
  {
    g_auto(GStrv) rows = mw_account_sharing_dup_rows (sharing, "own");
    gboolean found = FALSE;

    for (guint i = 0; rows[i] != NULL; i++)
      found = found || g_str_has_prefix (rows[i], "bob: lrswi: ");
    g_assert_true (found);
  }
  {
    g_auto(GStrv) rows = mw_account_sharing_dup_rows (sharing, "shared");
    g_autofree char *all = g_strjoinv ("\n", rows);

    g_assert_nonnull (strstr (all, "#Users/carol/Projects: lrs: "));
    g_assert_nonnull (strstr (all, "#Public/News: Through every user (anyone): lrs: "));
  }
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), "#Public/News"));
  assert_all_named (GTK_WINDOW (window));
  shot = g_strdup_printf ("sharing-%s-tab", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);

  /* Share Équipe with carol: Read Only is checked; the line shows the letters. */
  dialog = press_for_dialog (sharing, "share", "Équipe", NULL);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Share a Folder");
  g_assert_cmpstr (mw_rights_dialog_get_letters_line (dialog), ==, "IMAP rights: lrs (Read Only)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "rights.preset", "s", "full"));
  g_assert_cmpstr (mw_rights_dialog_get_letters_line (dialog), ==, "IMAP rights: lrswipkxtea (Full)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "rights.preset", "s", "read-only"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (dialog), "Read messages"));

  /* An unknown grantee: the core's sentence on screen, nothing written. */
  mw_rights_dialog_set_field (dialog, "grantee", "nobody");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "rights.grant", NULL));
  mw_test_spin (20);
  mw_test_wait_until (dialog_idle, dialog, "the refusal");
  g_assert_nonnull (mw_rights_dialog_get_error (dialog));
  g_assert_nonnull (strstr (mw_rights_dialog_get_error (dialog), "nobody"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (dialog), mw_rights_dialog_get_error (dialog)));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_acl"), ==, 3);
  assert_all_named (GTK_WINDOW (dialog));
  g_free (shot);
  shot = g_strdup_printf ("sharing-%s-refused", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  /* At the narrowest the dialog allows, nothing is cut. */
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 720);
  mw_test_spin (150);
  g_free (shot);
  shot = g_strdup_printf ("sharing-%s-refused-360", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);

  /* Granted: the row in the database, the toast, the tab. */
  mw_rights_dialog_set_field (dialog, "grantee", "carol");
  finish_dialog (dialog, "rights.grant", sharing);
  {
    g_autofree char *letters = rights_in_db (tdb, session, alice_key, "Équipe", "carol");

    g_assert_cmpstr (letters, ==, "lrs");
  }
  g_assert_cmpstr (mw_account_sharing_get_toast (sharing), ==, "Shared Équipe (alice) with carol: lrs");
  assert_row (sharing, "own", "Équipe: Shared with carol", TRUE);

  /* Changed to lrswi; Undo puts lrs back. */
  dialog = press_for_dialog (sharing, "change", "Équipe", "carol");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Change Rights");
  g_assert_cmpstr (mw_rights_dialog_get_letters_line (dialog), ==, "IMAP rights: lrs (Read Only)");
  mw_rights_dialog_set_field (dialog, "letters", "lrswi");
  g_assert_cmpstr (mw_rights_dialog_get_letters_line (dialog), ==, "IMAP rights: lrswi");
  assert_all_named (GTK_WINDOW (dialog));
  g_free (shot);
  shot = g_strdup_printf ("sharing-%s-change", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  finish_dialog (dialog, "rights.grant", sharing);
  {
    g_autofree char *letters = rights_in_db (tdb, session, alice_key, "Équipe", "carol");

    g_assert_cmpstr (letters, ==, "lrswi");
  }
  g_assert_cmpstr (mw_account_sharing_get_toast (sharing), ==, "Rights of carol on Équipe (alice): lrswi");
  undo (sharing);
  {
    g_autofree char *letters = rights_in_db (tdb, session, alice_key, "Équipe", "carol");

    g_assert_cmpstr (letters, ==, "lrs");
  }
  g_assert_cmpstr (mw_account_sharing_get_toast (sharing), ==, "The rights on Équipe (alice) are as they were");

  /* Revoked from the tab at once; Undo gives the rights back. */
  g_assert_true (mw_account_sharing_press (sharing, "revoke", "Équipe", "carol"));
  mw_test_spin (20);
  mw_test_wait_until (tab_idle, sharing, "the revoke");
  {
    g_autofree char *letters = rights_in_db (tdb, session, alice_key, "Équipe", "carol");

    g_assert_cmpstr (letters, ==, "");
  }
  g_assert_cmpstr (mw_account_sharing_get_toast (sharing), ==, "Revoked the rights of carol on Équipe");
  assert_row (sharing, "own", "Équipe: Not shared", TRUE);
  undo (sharing);
  {
    g_autofree char *letters = rights_in_db (tdb, session, alice_key, "Équipe", "carol");

    g_assert_cmpstr (letters, ==, "lrs");
  }
  assert_row (sharing, "own", "Équipe: Shared with carol", TRUE);

  /* Every user: the switch grants to "anyone". */
  dialog = press_for_dialog (sharing, "share", "INBOX", NULL);
  mw_rights_dialog_set_field (dialog, "anyone", "yes");
  finish_dialog (dialog, "rights.grant", sharing);
  {
    g_autofree char *letters = rights_in_db (tdb, session, alice_key, "INBOX", "anyone");

    g_assert_cmpstr (letters, ==, "lrs");
  }
  assert_row (sharing, "own", "INBOX: Shared with every user (anyone)", TRUE);

  g_free (shot);
  shot = g_strdup_printf ("sharing-%s-tab-after", server);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);

  /* The main window's Sharing list: a row opens its rights dialog; the
   * change lands in the database and the window's toast says so. */
  {
    MwWindow *main_window = mw_window_new (NULL, session);
    MwListPage *page;
    guint n, row = G_MAXUINT;

    gtk_window_set_default_size (GTK_WINDOW (main_window), 1100, 640);
    gtk_window_present (GTK_WINDOW (main_window));
    page = show_sharing_list (main_window);
    n = g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (page)));
    for (guint i = 0; i < n && row == G_MAXUINT; i++)
      {
        g_autofree char *folder = mw_list_page_dup_cell_text (page, i, 0);
        g_autofree char *grantee = mw_list_page_dup_cell_text (page, i, 2);

        if (g_strcmp0 (folder, "#Users/alice/Archive") == 0 && g_strcmp0 (grantee, "bob") == 0)
          row = i;
      }
    g_assert_cmpuint (row, !=, G_MAXUINT);
    g_free (shot);
    shot = g_strdup_printf ("sharing-%s-list", server);
    mw_test_save_screenshots (GTK_WIDGET (main_window), shot);
    g_signal_emit_by_name (mw_list_page_get_column_view (page), "activate", row);
    mw_test_spin (20);
    mw_test_wait_until (row_dialog_shown, NULL, "the row's rights dialog");
    dialog = find_dialog ();
    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Change Rights");
    g_assert_cmpstr (mw_rights_dialog_get_letters_line (dialog), ==, "IMAP rights: lrswi");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "rights.preset", "s", "read-only"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "rights.grant", NULL));
    mw_test_spin (20);
    mw_test_wait_until (row_change_done, NULL, "the change from the list");
    {
      g_autofree char *letters = rights_in_db (tdb, session, alice_key, "Archive", "bob");

      g_assert_cmpstr (letters, ==, "lrs");
    }
    g_assert_cmpstr (mw_rights_dialog_get_last_toast (), ==, "Rights of bob on Archive (alice): lrs");
    /* The account window's open tab reads the change made elsewhere. */
    mw_test_spin (20);
    mw_test_wait_until (tab_idle, sharing, "the tab to read the change");
    {
      g_auto(GStrv) rows = mw_account_sharing_dup_rows (sharing, "own");

      g_assert_true (g_strv_contains ((const char *const *) rows, "bob: lrs: see the folder, read, keep seen marks"));
    }
    gtk_window_destroy (GTK_WINDOW (main_window));
    gtk_window_destroy (GTK_WINDOW (window));
    mw_test_spin (50);
  }
}

/* A public folder: created after agreeing to create the missing special
 * accounts, shared with every user, then deleted from its rights dialog. */
static void
test_public_folders (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *shot = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  MwPublicFolderDialog *dialog;
  AdwMessageDialog *question;
  MwSpecialUsers missing = 0;

  MwWindow *window;

  mw_test_db_exec (tdb, "DELETE FROM dbmail_users WHERE userid IN ('anyone', '__public__')");
  session = mw_test_connect_session (tdb);
  /* On the Sharing list, the header's Add (Ctrl+N) adds a public folder. */
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 640);
  gtk_window_present (GTK_WINDOW (window));
  mw_window_show_page (window, MW_LIST_SHARING);
  mw_test_spin (200);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (mw_test_find_type (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON)), ==,
                   "Add a public folder (Ctrl+N)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add", NULL));
  mw_test_spin (100);
  dialog = find_public_dialog ();
  g_assert_nonnull (dialog);
  mw_public_folder_dialog_set_field (dialog, "name", "Team/Équipe");
  mw_public_folder_dialog_set_field (dialog, "rights", "read");
  assert_all_named (GTK_WINDOW (dialog));
  shot = g_strdup_printf ("sharing-%s-public", server);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "public-folder.create", NULL));
  mw_test_spin (20);
  mw_test_wait_until (public_dialog_waits, dialog, "the question");

  /* Asked first: nothing is created without a yes. */
  question = mw_public_folder_dialog_get_question (dialog);
  g_assert_nonnull (question);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Create DBMail's Special Accounts?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "“__public__”"));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = '__public__'"), ==, 0);
  g_free (shot);
  shot = g_strdup_printf ("sharing-%s-consent", server);
  mw_test_save_screenshots (GTK_WIDGET (question), shot);
  adw_message_dialog_response (question, "cancel");
  mw_test_spin (20);
  g_assert_nonnull (mw_public_folder_dialog_get_error (dialog));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = '__public__'"), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "public-folder.create", NULL));
  mw_test_spin (20);
  mw_test_wait_until (public_dialog_waits, dialog, "the question again");
  question = mw_public_folder_dialog_get_question (dialog);
  g_assert_nonnull (question);
  adw_message_dialog_response (question, "create");
  mw_test_spin (20);
  mw_test_wait_until (public_dialog_waits, dialog, "the folder");
  g_assert_null (find_public_dialog ());
  g_assert_cmpstr (mw_public_folder_dialog_get_last_toast (), ==, "Created the public folder #Public/Team/Équipe");
  /* Its row on the list, as every user's mail program shows it. */
  mw_test_settle_page (mw_window_get_page (window, MW_LIST_SHARING), "the new row");
  mw_test_wait_shows (GTK_WIDGET (window), "#Public/Team/Équipe");

  /* A public folder nobody has rights on has a row all the same, which
   * opens Share a Folder for it. */
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autofree char *made = NULL;
    g_autofree char *letters = NULL;
    g_autoptr(GPtrArray) rows = NULL;
    MwListPage *page = mw_window_get_page (window, MW_LIST_SHARING);
    MwRightsDialog *share;
    guint n, row = G_MAXUINT;

    mw_session_create_public_folder_async (session, "Leer", FALSE, NULL, mw_async_wait_ready, &res);
    made = mw_session_create_public_folder_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    mw_test_settle_page (page, "the folder without rows");
    mw_test_wait_shows (GTK_WIDGET (window), "#Public/Leer");
    n = g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (page)));
    for (guint i = 0; i < n && row == G_MAXUINT; i++)
      {
        g_autofree char *folder = mw_list_page_dup_cell_text (page, i, 0);

        if (g_strcmp0 (folder, "#Public/Leer") == 0)
          row = i;
      }
    g_assert_cmpuint (row, !=, G_MAXUINT);
    {
      g_autofree char *allows = mw_list_page_dup_cell_text (page, row, 4);

      g_assert_cmpstr (allows, ==, "no one may read it yet");
    }
    g_assert_true (mw_test_shows_text (GTK_WIDGET (window), "no one may read it yet"));
    g_free (shot);
    shot = g_strdup_printf ("sharing-%s-unshared-public", server);
    mw_test_save_screenshots (GTK_WIDGET (window), shot);
    g_signal_emit_by_name (mw_list_page_get_column_view (page), "activate", row);
    mw_test_spin (20);
    mw_test_wait_until (row_dialog_shown, NULL, "Share a Folder from the row");
    share = find_dialog ();
    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (share)), ==, "Share a Folder");
    mw_rights_dialog_set_field (share, "anyone", "yes");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (share), "rights.grant", NULL));
    mw_test_spin (20);
    mw_test_wait_until (row_change_done, NULL, "the share from the row");
    rows = mw_schema_list_folder_acl (mw_session_get_schema (session), tdb->db, made, NULL, &error);
    g_assert_no_error (error);
    g_ptr_array_set_free_func (rows, (GDestroyNotify) mw_acl_entry_free);
    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpstr (((MwAclEntry *) g_ptr_array_index (rows, 0))->grantee, ==, "anyone");
    letters = mw_rights_to_letters (((MwAclEntry *) g_ptr_array_index (rows, 0))->rights);
    g_assert_cmpstr (letters, ==, "lrs");
    g_assert_cmpstr (mw_rights_dialog_get_last_toast (), ==, "Shared #Public/Leer with every user: lrs");
  }
  missing = mw_schema_missing_special_users (mw_session_get_schema (session), tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missing, ==, 0);
  key = mw_schema_find_shared_folder (mw_session_get_schema (session), tdb->db, "#Public/Team/Équipe", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);

  /* Its row for every user; from there, deleted after a question. */
  {
    g_autoptr(GPtrArray) rows = mw_schema_list_folder_acl (mw_session_get_schema (session), tdb->db, key, NULL,
                                                           &error);
    MwAclEntry *entry;
    MwRightsDialog *rights;
    g_autofree char *letters = NULL;

    g_assert_no_error (error);
    g_ptr_array_set_free_func (rows, (GDestroyNotify) mw_acl_entry_free);
    g_assert_cmpuint (rows->len, ==, 1);
    entry = g_ptr_array_index (rows, 0);
    g_assert_cmpstr (entry->grantee, ==, "anyone");
    letters = mw_rights_to_letters (entry->rights);
    g_assert_cmpstr (letters, ==, "lrs");
    rights = mw_rights_dialog_new_change (session, entry);
    gtk_window_present (GTK_WINDOW (rights));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rights), "rights.delete-folder", NULL));
    mw_test_wait_until (question_shown, NULL, "the delete question");
    question = mw_rights_dialog_get_question ();
    g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Delete the Public Folder #Public/Team/Équipe?");
    g_assert_cmpint (adw_message_dialog_get_response_appearance (question, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
    adw_message_dialog_response (question, "delete");
    mw_test_spin (20);
    mw_test_wait_until (no_dialog, NULL, "the delete");
  }
  g_free (key);
  key = mw_schema_find_shared_folder (mw_session_get_schema (session), tdb->db, "#Public/Team/Équipe", NULL, &error);
  g_assert_null (key);
  g_assert_nonnull (error);
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

  mw_test_add_both ("/gui/sharing/tab", test_sharing);
  mw_test_add_both ("/gui/sharing/public-folders", test_public_folders);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
