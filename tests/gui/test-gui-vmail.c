/* test-gui-vmail.c: the main window, account window and add dialog on the demo's ISPmail and PostfixAdmin data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-add-user-dialog.h"
#include "mw-application.h"
#include "mw-connect-window.h"
#include "mw-demo-vmail.h"
#include "mw-list-page.h"
#include "mw-window.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"

static gboolean
account_settled (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

static gboolean
dialog_answered (gpointer data)
{
  return !mw_add_user_dialog_is_busy (data)
         && (mw_add_user_dialog_get_shown_password (data) != NULL
             || mw_add_user_dialog_get_error (data, "general") != NULL
             || mw_add_user_dialog_get_error (data, "name") != NULL
             || mw_add_user_dialog_get_error (data, "password") != NULL
             || mw_add_user_dialog_get_error (data, "alias") != NULL);
}

static MwAddUserDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  MwAddUserDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (MW_IS_ADD_USER_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        found = MW_ADD_USER_DIALOG (w);
    }
  g_assert_nonnull (found);
  return found;
}

/* What Dovecot says of a stored password: doveadm pw -t exits 0 when it matches. */
static gboolean
dovecot_accepts (const char *stored,
                 const char *password)
{
  const char *argv[] = { "doveadm", "pw", "-t", stored, "-p", password, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

typedef struct
{
  MwDemoFlavour  flavour;
  const char    *name;
  const char    *mailbox;         /* the demo's first mailbox */
  const char    *quota_sql;       /* its quota in bytes, as stored */
  const char    *password_sql;    /* the password of the mailbox added */
  const char    *mailbox_count_sql;
  gboolean       has_name;        /* a Name column with the demo's umlauts */
} Flavour;

static const Flavour ispmail = {
  MW_DEMO_FLAVOUR_ISPMAIL, "ispmail", "juergen.mueller@example.org",
  "SELECT quota FROM virtual_users WHERE email = 'juergen.mueller@example.org'",
  "SELECT password FROM virtual_users WHERE email = 'neu.kunde@xn--bcher-kva.example'",
  "SELECT count(*) FROM virtual_users",
  FALSE,
};

static const Flavour postfixadmin = {
  MW_DEMO_FLAVOUR_POSTFIXADMIN, "postfixadmin", "juergen.mueller@example.org",
  "SELECT quota FROM mailbox WHERE username = 'juergen.mueller@example.org'",
  "SELECT password FROM mailbox WHERE username = 'neu.kunde@xn--bcher-kva.example'",
  "SELECT count(*) FROM mailbox",
  TRUE,
};

static void
check_flavour (gconstpointer  driver,
               const Flavour *f)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = g_strdup_printf ("vmail-%s-%s", f->name,
                                             tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql");
  g_autofree char *shot = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *key = NULL;
  MwWindow *window;
  MwListPage *users;
  GtkWindow *account;
  MwAddUserDialog *dialog;
  gint64 n_before;

  mw_demo_vmail_load_schema (tdb->db, f->flavour, &error);
  g_assert_no_error (error);
  mw_demo_vmail_populate (tdb->db, f->flavour, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mw_test_db_int (tdb, f->mailbox_count_sql), ==, MW_DEMO_VMAIL_MAILBOXES);

  session = mw_test_connect_session (tdb);
  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));

  /* The sidebar offers the lists the flavour has, not Groups. */
  users = mw_window_get_page (window, MW_LIST_USERS);
  mw_test_wait_until (mw_test_page_settled, users, "the mailboxes list");
  mw_test_spin (50);
  mw_test_wait_until (mw_test_screen_filled, users, "the cells on screen");
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), "Mailboxes"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), "Aliases"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), "Forwards"));
  g_assert_true (mw_test_shows_text (GTK_WIDGET (window), "Domains"));
  g_assert_false (mw_test_shows_text (GTK_WIDGET (window), "Groups"));

  /* Every demo mailbox, the first on screen, bücher.example in Unicode. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users))), ==,
                    MW_DEMO_VMAIL_MAILBOXES);
  mw_test_wait_shows (GTK_WIDGET (window), f->mailbox);
  if (f->has_name)
    mw_test_wait_shows (GTK_WIDGET (window), "Jürgen Müller");
  mw_list_page_set_search (users, "bcher");
  mw_test_spin (400);
  mw_test_wait_until (mw_test_page_settled, users, "the mailboxes in bücher.example");
  mw_test_spin (50);
  mw_test_wait_until (mw_test_screen_filled, users, "the cells on screen");
  mw_test_wait_shows (GTK_WIDGET (window), "bücher.example");
  mw_list_page_set_search (users, "");
  mw_test_spin (400);
  mw_test_wait_until (mw_test_page_settled, users, "the whole list again");
  mw_test_spin (50);
  mw_test_wait_until (mw_test_screen_filled, users, "the cells on screen");
  shot = g_strdup_printf ("%s-main", prefix);
  mw_test_save_screenshots (GTK_WIDGET (window), shot);

  /* The other lists, each with the demo's rows: the catch-all, the fan-out,
   * a forward out, bücher.example among the domains. */
  {
    static const struct
    {
      MwListKind  kind;
      const char *name;
      const char *shown;
    } lists[] = {
      { MW_LIST_ALIASES, "aliases", "team@example.org" },
      { MW_LIST_FORWARDS, "forwards", "vertrieb@partner.example" },
      { MW_LIST_DOMAINS, "domains", "bücher.example" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      {
        MwListPage *page = mw_window_get_page (window, lists[i].kind);
        g_autofree char *name = g_strdup_printf ("%s-%s", prefix, lists[i].name);

        mw_window_show_page (window, lists[i].kind);
        mw_test_wait_until (mw_test_page_settled, page, lists[i].name);
        mw_test_spin (50);
        mw_test_wait_until (mw_test_screen_filled, page, "the cells on screen");
        mw_test_wait_shows (GTK_WIDGET (window), lists[i].shown);
        mw_test_save_screenshots (GTK_WIDGET (window), name);
      }
    mw_window_show_page (window, MW_LIST_USERS);
  }

  /* The account window shows only what the flavour has. */
  key = mw_test_account_key (session, f->mailbox);
  account = mw_window_open_account (window, key);
  g_assert_nonnull (account);
  mw_test_wait_until (account_settled, account, "the account");
  /* The stored {SHA512-CRYPT} in the words of the scheme list, not "unknown". */
  g_assert_cmpstr (mw_account_window_get_value (MW_ACCOUNT_WINDOW (account), "hash"), ==, "SHA-512-crypt");
  g_assert_false (mw_test_row_shown (GTK_WIDGET (account), "Group"));
  g_assert_false (mw_test_row_shown (GTK_WIDGET (account), "New security password"));
  g_assert_false (mw_test_row_shown (GTK_WIDGET (account), "Last login"));
  g_assert_true (mw_test_row_shown (GTK_WIDGET (account), "Quota"));
  g_assert_true (mw_test_row_shown (GTK_WIDGET (account), "New password"));
  g_assert_false (mw_test_shows_text (GTK_WIDGET (account), "Mail"));
  g_assert_cmpint (mw_test_row_shown (GTK_WIDGET (account), "Login allowed"), ==, f->flavour == MW_DEMO_FLAVOUR_POSTFIXADMIN);
  gtk_window_set_default_size (account, 720, 800);
  mw_test_spin (100);
  g_free (shot);
  shot = g_strdup_printf ("%s-account", prefix);
  mw_test_save_screenshots (GTK_WIDGET (account), shot);

  /* A new quota, saved: the row changes (ISPmail stores bytes; PostfixAdmin
   * its MB of 1,024,000 bytes, which the flavour converts). */
  stored = mw_test_db_string (tdb, f->quota_sql);
  mw_account_window_set_field (MW_ACCOUNT_WINDOW (account), "quota-mib", "300");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (account), "account.save", NULL));
  mw_test_spin (50);
  mw_test_wait_until (account_settled, account, "the account to be saved");
  g_assert_null (mw_account_window_get_error (MW_ACCOUNT_WINDOW (account)));
  g_free (stored);
  stored = mw_test_db_string (tdb, f->quota_sql);
  g_assert_cmpstr (stored, ==, "314572800");
  gtk_window_destroy (account);

  /* A mailbox added through the dialog, in bücher.example typed in Unicode:
   * stored in A-labels, its password one Dovecot accepts. */
  n_before = mw_test_db_int (tdb, f->mailbox_count_sql);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-user", NULL));
  mw_test_spin (50);
  dialog = find_dialog ();
  g_assert_false (mw_test_row_shown (GTK_WIDGET (dialog), "Group"));
  g_assert_true (mw_test_row_shown (GTK_WIDGET (dialog), "Quota"));
  mw_add_user_dialog_set_name (dialog, "neu.kunde@bücher.example");
  mw_test_spin (50);
  g_free (shot);
  shot = g_strdup_printf ("%s-add", prefix);
  mw_test_save_screenshots (GTK_WIDGET (dialog), shot);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "add-user.add", NULL));
  mw_test_wait_until (dialog_answered, dialog, "adding the mailbox");
  g_assert_cmpstr (mw_add_user_dialog_get_error (dialog, "general"), ==, NULL);
  g_assert_cmpstr (mw_add_user_dialog_get_error (dialog, "name"), ==, NULL);
  g_assert_nonnull (mw_add_user_dialog_get_shown_password (dialog));
  g_assert_cmpint (mw_test_db_int (tdb, f->mailbox_count_sql), ==, n_before + 1);
  g_free (stored);
  stored = mw_test_db_string (tdb, f->password_sql);
  g_assert_true (g_str_has_prefix (stored, "{SHA512-CRYPT}$6$"));
  g_assert_true (dovecot_accepts (stored, mw_add_user_dialog_get_shown_password (dialog)));
  g_assert_false (dovecot_accepts (stored, "wrong"));
  g_free (shot);
  shot = g_strdup_printf ("%s-added", prefix);
  mw_test_save_screenshot (GTK_WIDGET (dialog), shot);

  gtk_window_destroy (GTK_WINDOW (dialog));
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

typedef struct
{
  GApplication *app;
  const char   *demo_row;   /* chosen in the connection window, or NULL */
  const char   *shot;
  gboolean      chosen;
  gboolean      checking;
  gboolean      done;
  char         *title;
  char         *subtitle;
  guint         n_mailboxes;
} AppRun;

/* Once the demo's main window shows its mailboxes, note what it says. */
static gboolean
poll_app_cb (gpointer data)
{
  AppRun *run = data;
  GtkWindow *window = mw_application_get_main_window (MW_APPLICATION (run->app));
  MwListPage *users;
  AdwWindowTitle *title;

  if (run->checking)
    return G_SOURCE_CONTINUE;
  if (run->demo_row != NULL && !run->chosen)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels) && !run->chosen; i++)
        {
          g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
          GtkWidget *row;

          if (!MW_IS_CONNECT_WINDOW (w) || !gtk_widget_get_mapped (w))
            continue;
          row = mw_test_find_row (w, run->demo_row);
          if (row == NULL)
            continue;
          run->checking = TRUE;
          /* The three demos are offered side by side. */
          g_assert_true (mw_test_row_shown (w, "DBMail Demo"));
          g_assert_true (mw_test_row_shown (w, "ISPmail Demo"));
          g_assert_true (mw_test_row_shown (w, "PostfixAdmin Demo"));
          mw_test_save_screenshots (w, "vmail-connect-window");
          run->checking = FALSE;
          run->chosen = TRUE;
          gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)), GTK_LIST_BOX_ROW (row));
        }
      return G_SOURCE_CONTINUE;
    }
  if (window == NULL)
    return G_SOURCE_CONTINUE;
  users = mw_window_get_page (MW_WINDOW (window), MW_LIST_USERS);
  if (!mw_test_page_settled (users))
    return G_SOURCE_CONTINUE;
  run->checking = TRUE;
  mw_test_spin (100);
  title = ADW_WINDOW_TITLE (mw_test_find_type (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE));
  run->title = g_strdup (adw_window_title_get_title (title));
  run->subtitle = g_strdup (adw_window_title_get_subtitle (title));
  run->n_mailboxes = g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users)));
  mw_test_save_screenshot (GTK_WIDGET (window), run->shot);
  gtk_window_destroy (window);
  run->done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
app_step (gpointer data)
{
  AppRun *run = data;

  if (!run->done)
    poll_app_cb (run);
  return run->done;
}

/* One application per process: a second one could not export its actions
 * on the same session bus path (as in test-gui.c). */
static GApplication *
shared_app (void)
{
  static MwApplication *app;

  if (app == NULL)
    {
      app = mw_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
    }
  return G_APPLICATION (app);
}

/* What g_application_run does with the command line (options, register,
 * command-line), without its main loop and the shutdown after it (where
 * GTK 4.8 leaks a string): the test's own loop waits for the window. */
static void
run_app (AppRun     *run,
         const char *option,
         const char *what)
{
  const char *argv[] = { "mailwarden", option, NULL };
  g_auto(GStrv) args = g_strdupv ((char **) argv);
  int status = -1;

  g_assert_true (G_APPLICATION_GET_CLASS (run->app)->local_command_line (run->app, &args, &status));
  g_assert_cmpint (status, ==, 0);
  mw_test_wait_until (app_step, run, what);
}

/* "mailwarden --demo=postfixadmin" as typed: the demo starts and connects.
 * (The demo runs on its own PostgreSQL, whatever server the tests use.) */
static void
test_app_demo (void)
{
  AppRun run = { shared_app (), NULL, "vmail-app-demo-postfixadmin", FALSE, FALSE, FALSE, NULL, NULL, 0 };

  run_app (&run, "--demo=postfixadmin", "the PostfixAdmin demo's main window");
  g_assert_cmpstr (run.title, ==, "PostfixAdmin Demo");
  g_assert_true (g_str_has_prefix (run.subtitle, "PostfixAdmin 3.3"));
  g_assert_nonnull (strstr (run.subtitle, "PostgreSQL"));
  g_assert_cmpuint (run.n_mailboxes, ==, MW_DEMO_VMAIL_MAILBOXES);
  g_free (run.title);
  g_free (run.subtitle);
}

/* "mailwarden" alone: the connection window offers three demos; ISPmail's
 * row starts that one. */
static void
test_connect_window_demo (void)
{
  AppRun run = { shared_app (), "ISPmail Demo", "vmail-app-demo-ispmail", FALSE, FALSE, FALSE, NULL, NULL, 0 };

  /* A GApplication parses its options once; plain "mailwarden" activates,
   * and activating opens the connection window through "connect". */
  if (!g_application_get_is_registered (run.app))
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (g_application_register (run.app, NULL, &error));
      g_assert_no_error (error);
    }
  g_application_activate (run.app);
  mw_test_wait_until (app_step, &run, "the ISPmail demo chosen in the connection window");
  g_assert_true (run.chosen);
  g_assert_cmpstr (run.title, ==, "ISPmail Demo");
  g_assert_true (g_str_has_prefix (run.subtitle, "ISPmail"));
  g_assert_cmpuint (run.n_mailboxes, ==, MW_DEMO_VMAIL_MAILBOXES);
  g_free (run.title);
  g_free (run.subtitle);
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

  mw_test_add_both ("/gui/vmail/ispmail", test_ispmail);
  mw_test_add_both ("/gui/vmail/postfixadmin", test_postfixadmin);
  g_test_add_func ("/gui/vmail/app-demo-postfixadmin", test_app_demo);
  g_test_add_func ("/gui/vmail/connect-window-demos", test_connect_window_demo);
  rc = mw_test_run ();
  g_unlink (log);
  g_rmdir (dir);
  return rc;
}
