/* test-gui-trace.c: the Trace Delivery window (issue 19, C6): an address
 * typed and traced shows the tree in words on screen (fan-out, a loop, a
 * forward out, mailboxes); a mailbox row opens its account window; text
 * that is no address gets the core's sentence; the window opens from the
 * main window's menu with Find's address and from an address window; light
 * and dark screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "mw-account-window.h"
#include "mw-address-window.h"
#include "mw-application.h"
#include "mw-test-db.h"
#include "mw-test-gui.h"
#include "mw-trace-window.h"
#include "mw-window.h"

/* What a screen reader reads (where the accessibility bridge is on): no
 * interactive object unnamed, and the rows' words among the names. */
static void
assert_read_aloud (GtkWindow  *window,
                   const char *words)
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
  if (strstr (dump, words) == NULL)
    g_error ("a screen reader does not read “%s”:\n%s", words, dump);
}

static gboolean
trace_done (gpointer data)
{
  return !mw_trace_window_is_busy (data) && mw_trace_window_get_status (data) != NULL &&
         !g_str_equal (mw_trace_window_get_status (data), "Tracing…");
}

static gboolean
address_loaded (gpointer data)
{
  return !mw_address_window_is_busy (data);
}

static gboolean
account_loaded (gpointer data)
{
  return mw_account_window_get_account (data) != NULL && !mw_account_window_is_busy (data);
}

/* The open window of @type other than @except, NULL if none. */
static GtkWindow *
find_window (GType      type,
             GtkWindow *except)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && l->data != (gpointer) except &&
        gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
has_account_window (gpointer data)
{
  return find_window (MW_TYPE_ACCOUNT_WINDOW, NULL) != NULL;
}

static gboolean
has_other_trace_window (gpointer data)
{
  return find_window (MW_TYPE_TRACE_WINDOW, data) != NULL;
}

static char *
rows_text (MwTraceWindow *window)
{
  g_auto(GStrv) rows = mw_trace_window_dup_rows (window);
  g_autofree char *joined = g_strjoinv ("\n", rows);

  return g_strconcat (joined, "\n", NULL);
}

/* As a person does it: types @address into the entry and presses Enter. */
static void
type_and_trace (MwTraceWindow *window,
                const char    *address)
{
  GtkWidget *entry = mw_test_find_type (GTK_WIDGET (window), GTK_TYPE_ENTRY);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), address);
  g_signal_emit_by_name (entry, "activate");
  mw_test_wait_until (trace_done, window, "the trace");
}

static void
test_trace (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSession) session = NULL;
  g_autofree char *alice_key = NULL;
  g_autofree char *text = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "pg" : "mysql";
  MwTraceWindow *window;
  GtkWindow *account;

  /* alice@example.org and bob@example.org come with the users. */
  gint64 alice = mw_test_db_add_user (tdb, "alice", 0, 0);
  gint64 bob = mw_test_db_add_user (tdb, "bob", 0, 0);
  g_autofree char *alice_id = g_strdup_printf ("%" G_GINT64_FORMAT, alice);
  g_autofree char *bob_id = g_strdup_printf ("%" G_GINT64_FORMAT, bob);

  mw_test_db_add_alias (tdb, "team@example.org", alice_id, 0);
  mw_test_db_add_alias (tdb, "team@example.org", bob_id, 0);
  mw_test_db_add_alias (tdb, "team@example.org", "ext@elsewhere.example", 0);
  mw_test_db_add_alias (tdb, "team@example.org", "loop@example.org", 0);
  mw_test_db_add_alias (tdb, "loop@example.org", "team@example.org", 0);

  session = mw_test_connect_session (tdb);
  alice_key = mw_test_account_key (session, "alice");
  window = mw_trace_window_new (session, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 560);
  gtk_window_present (GTK_WINDOW (window));

  type_and_trace (window, "Team@example.org");
  text = rows_text (window);
  g_assert_cmpstr (text, ==,
                   "Team@example.org: alias, forwards to alice, bob, ext@elsewhere.example and 1 more\n"
                   "  alice: delivered to the mailbox of alice\n"
                   "  bob: delivered to the mailbox of bob\n"
                   "  ext@elsewhere.example: forwarded, handed to the mail server to send on\n"
                   "  loop@example.org: alias, forwards to team@example.org\n"
                   "    team@example.org: loop, this address is already on the way here\n");
  /* On screen, words a screen reader reads too. */
  mw_test_wait_shows (GTK_WIDGET (window), "bob: delivered to the mailbox of bob");
  mw_test_wait_shows (GTK_WIDGET (window), "team@example.org: loop, this address is already on the way here");
  mw_test_wait_shows (GTK_WIDGET (window), "Mail ends at: alice, bob, ext@elsewhere.example");
  assert_read_aloud (GTK_WINDOW (window), "team@example.org: loop, this address is already on the way here");
  {
    g_autofree char *shot = g_strdup_printf ("trace-window-%s", server);

    mw_test_save_screenshots (GTK_WIDGET (window), shot);
  }

  /* A mailbox opens its account. */
  g_assert_true (mw_trace_window_activate_row (window, "alice: delivered to the mailbox of alice"));
  mw_test_wait_until (has_account_window, NULL, "the account window");
  account = find_window (MW_TYPE_ACCOUNT_WINDOW, NULL);
  g_assert_cmpstr (mw_account_window_get_account_key (MW_ACCOUNT_WINDOW (account)), ==, alice_key);
  mw_test_wait_until (account_loaded, account, "the account");
  gtk_window_destroy (account);

  /* A dead end, and text that is no address. */
  type_and_trace (window, "nobody@nowhere.example");
  mw_test_wait_shows (GTK_WIDGET (window), "nobody@nowhere.example: dead end, no alias, user or catch-all has it");
  mw_test_wait_shows (GTK_WIDGET (window), "Not found first: nobody@nowhere.example, nobody@nowhere.example, "
                                           "@nowhere.example, @.example, nobody@");
  mw_test_wait_shows (GTK_WIDGET (window), "Mail ends nowhere: nothing is delivered.");
  type_and_trace (window, "not an address");
  g_assert_true (g_str_has_prefix (mw_trace_window_get_status (window), "“not an address” is not an address: "));
  {
    g_auto(GStrv) rows = mw_trace_window_dup_rows (window);

    g_assert_cmpuint (g_strv_length (rows), ==, 0);
  }

  /* From an address window: its Trace Delivery button. */
  {
    MwAddressWindow *address = mw_address_window_new (session, "team@example.org");
    MwTraceWindow *traced;

    gtk_window_present (GTK_WINDOW (address));
    mw_test_wait_until (address_loaded, address, "the address window");
    if (tdb->driver == MW_DB_DRIVER_PGSQL)
      mw_test_save_screenshots (GTK_WIDGET (address), "address-window-trace");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (address), "address.trace", NULL));
    mw_test_wait_until (has_other_trace_window, window, "the address's trace window");
    traced = MW_TRACE_WINDOW (find_window (MW_TYPE_TRACE_WINDOW, GTK_WINDOW (window)));
    mw_test_wait_until (trace_done, traced, "the address's trace");
    mw_test_wait_shows (GTK_WIDGET (traced), "Mail ends at: alice, bob, ext@elsewhere.example");
    gtk_window_destroy (GTK_WINDOW (traced));
    gtk_window_destroy (GTK_WINDOW (address));
  }

  /* From the main window: Find's address, then the menu's Trace Delivery. */
  {
    MwWindow *main_window = mw_window_new (NULL, session);
    GtkWidget *find = mw_test_find_type (GTK_WIDGET (main_window), GTK_TYPE_SEARCH_ENTRY);
    MwTraceWindow *traced;

    gtk_window_present (GTK_WINDOW (main_window));
    gtk_editable_set_text (GTK_EDITABLE (find), "loop@example.org");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.trace-delivery", NULL));
    mw_test_wait_until (has_other_trace_window, window, "the main window's trace window");
    traced = MW_TRACE_WINDOW (find_window (MW_TYPE_TRACE_WINDOW, GTK_WINDOW (window)));
    mw_test_wait_until (trace_done, traced, "the main window's trace");
    mw_test_wait_shows (GTK_WIDGET (traced), "loop@example.org: alias, forwards to team@example.org");
    gtk_window_destroy (GTK_WINDOW (traced));
    gtk_window_destroy (GTK_WINDOW (main_window));
  }
  gtk_window_destroy (GTK_WINDOW (window));
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

  mw_test_add_both ("/gui/trace", test_trace);
  return mw_test_run ();
}
