/* test-session-ops.c: the session's async operations on real PostgreSQL and
 * MariaDB servers, called as the GUI and the CLI call them: look-ups, adding
 * and changing accounts (and undoing), the "changed" signal, reading a list
 * page by page, cancelling, and a body search whose hits arrive before its
 * callback.
 *
 * Most calls wait with mw_async_wait(), the CLI's way; the body search runs
 * a GMainLoop, the GUI's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mw-audit.h"
#include "mw-dbmail-store.h"
#include "mw-session.h"
#include "mw-test-db.h"

static const char *audit_path;  /* mw_test_private_audit_log () */

typedef struct
{
  MwTestDb  *tdb;
  MwSession *session;
  GArray    *changed;     /* MwListKind, as the "changed" signal named them */
} Fixture;

static void
on_changed_cb (MwSession *session,
               int        kind,
               Fixture   *f)
{
  g_array_append_val (f->changed, kind);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  g_remove (audit_path);
  f->tdb = mw_test_db_new (data, TRUE);
  mw_test_db_add_user (f->tdb, "alice", 1, 10485760);
  mw_test_db_add_user (f->tdb, "bob", 2, 0);
  f->changed = g_array_new (FALSE, FALSE, sizeof (int));

  mw_session_connect_async ("Office", f->tdb->settings, NULL, mw_async_wait_ready, &res);
  f->session = mw_session_connect_finish (mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_signal_connect (f->session, "changed", G_CALLBACK (on_changed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Every call has answered: nothing holds the session any more. */
  g_assert_finalize_object (f->session);
  g_array_unref (f->changed);
  mw_test_db_free (f->tdb);
}

/* The kinds "changed" named since the last call, as "users,aliases". */
static char *
take_changed (Fixture *f)
{
  static const char *const names[] = { "users", "aliases", "forwards", "domains", "groups" };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < f->changed->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "", names[g_array_index (f->changed, int, i)]);
  g_array_set_size (f->changed, 0);
  return g_string_free (out, FALSE);
}

static gint64
sql_int (Fixture    *f,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gint64
sql_int (Fixture    *f,
         const char *format,
         ...)
{
  va_list ap;
  g_autofree char *sql = NULL;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  return mw_test_db_int (f->tdb, sql);
}

/* The newest line of the audit log. */
static MwAuditEntry *
last_audit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = mw_audit_read (1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  return g_ptr_array_steal_index (entries, 0);
}

static char *
resolve (Fixture    *f,
         const char *text)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  mw_session_resolve_account_async (f->session, text, NULL, mw_async_wait_ready, &res);
  key = mw_session_resolve_account_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static MwAccount *
get_account (Fixture    *f,
             const char *key)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  MwAccount *account;

  mw_session_get_account_async (f->session, key, NULL, mw_async_wait_ready, &res);
  account = mw_session_get_account_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

/* ------------------------------------------------------------------------ */

static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = NULL;
  g_autoptr(MwAccount) account = NULL;
  g_autofree char *bob = NULL;
  char *text = g_strdup ("alice@example.org");
  gboolean taken = FALSE;

  /* The caller's text may go as soon as the call is made. */
  mw_session_find_async (f->session, text, NULL, mw_async_wait_ready, &res);
  g_free (text);
  found = mw_session_find_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->kind, ==, MW_FOUND_ACCOUNT);
  g_assert_cmpstr (found->name, ==, "alice");
  g_assert_cmpstr (found->matched_by, ==, "alias");
  g_clear_object (&res);

  account = get_account (f, found->key);
  g_assert_cmpstr (account->key, ==, found->key);
  g_assert_cmpstr (account->name, ==, "alice");
  g_assert_cmpint (account->group, ==, 1);
  g_assert_cmpint (account->quota, ==, 10485760);
  g_assert_cmpuint (account->aliases->len, ==, 1);
  g_assert_cmpstr (((MwAccountAddress *) account->aliases->pdata[0])->address, ==, "alice@example.org");

  /* Nothing matches: the schema's sentence, no result. */
  mw_session_find_async (f->session, "nobody", NULL, mw_async_wait_ready, &res);
  g_assert_null (mw_session_find_finish (f->session, mw_async_wait (&res), &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Nothing matches “nobody”: it is not a user name, a user number or an address.");
  g_clear_error (&error);
  g_clear_object (&res);

  bob = resolve (f, "bob");
  g_clear_pointer (&account, mw_account_free);
  account = get_account (f, bob);
  g_assert_cmpstr (account->name, ==, "bob");
  g_assert_cmpstr (bob, !=, found->key);

  mw_session_name_taken_async (f->session, "alice", NULL, mw_async_wait_ready, &res);
  g_assert_true (mw_session_name_taken_finish (f->session, mw_async_wait (&res), &taken, &error));
  g_assert_no_error (error);
  g_assert_true (taken);
  g_clear_object (&res);
  mw_session_name_taken_async (f->session, "zed", NULL, mw_async_wait_ready, &res);
  g_assert_true (mw_session_name_taken_finish (f->session, mw_async_wait (&res), &taken, &error));
  g_assert_false (taken);

  /* Look-ups change nothing. */
  g_assert_cmpuint (f->changed->len, ==, 0);
}

static char *
add_dave (Fixture  *f,
          gboolean  dry_run,
          GError  **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  MwNewAccount *account = g_new0 (MwNewAccount, 1);

  account->name = g_strdup ("dave");
  account->password = g_strdup ("correct horse");
  account->password_scheme = g_strdup ("md5");
  account->group = 7;
  account->quota = 25 << 20;
  account->alias = g_strdup ("Dave@Example.COM");

  mw_session_add_account_async (f->session, account, dry_run, NULL, mw_async_wait_ready, &res);
  /* The caller's strings may go at once: the session copied them. */
  g_free ((char *) account->name);
  g_free ((char *) account->password);
  g_free ((char *) account->password_scheme);
  g_free ((char *) account->alias);
  g_free (account);
  return mw_session_add_account_finish (f->session, mw_async_wait (&res), error);
}

static MwAccountChange *
update (Fixture               *f,
        const char            *key,
        const MwAccountChange *change,
        gboolean               dry_run,
        GError               **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  mw_session_update_account_async (f->session, key, change, dry_run, NULL, mw_async_wait_ready, &res);
  return mw_session_update_account_finish (f->session, mw_async_wait (&res), error);
}

static void
test_add_update_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dry_key = NULL;
  g_autofree char *key = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(MwAccount) account = NULL;
  g_autoptr(MwAccountChange) change = NULL;
  g_autoptr(MwAccountChange) undo = NULL;
  g_autoptr(MwAccountChange) redo = NULL;
  g_autoptr(MwAuditEntry) entry = NULL;
  gint64 dave;

  /* A dry run: the account would be made, nothing is kept, no list moves. */
  dry_key = add_dave (f, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dry_key);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_users WHERE userid = 'dave'"), ==, 0);
  g_assert_cmpuint (f->changed->len, ==, 0);

  key = add_dave (f, FALSE, &error);
  g_assert_no_error (error);
  dave = sql_int (f, "SELECT user_idnr FROM dbmail_users WHERE userid = 'dave' AND client_idnr = 7 "
                     "AND maxmail_size = 26214400 AND encryption_type = 'md5' AND passwd <> 'correct horse'");
  g_assert_cmpint (dave, >, 0);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'Dave@example.com' "
                               "AND deliver_to = '%" G_GINT64_FORMAT "' AND client_idnr = 7", dave), ==, 1);
  changed = take_changed (f);
  g_assert_cmpstr (changed, ==, "users");

  /* Logged under the session's name, as the windows logged it. */
  entry = last_audit ();
  g_assert_cmpstr (entry->action, ==, "user.add");
  g_assert_cmpstr (entry->target, ==, "dave");
  g_assert_cmpstr (entry->profile, ==, "Office");
  g_clear_pointer (&entry, mw_audit_entry_free);

  account = get_account (f, key);
  g_assert_cmpstr (account->name, ==, "dave");

  /* A change, tried first: the database keeps the account as it was. */
  change = mw_account_change_new ();
  change->changes = MW_ACCOUNT_CHANGE_NAME | MW_ACCOUNT_CHANGE_QUOTA;
  change->name = g_strdup ("david");
  change->quota = 50 << 20;
  change->expected_fingerprint = g_strdup (account->fingerprint);
  undo = update (f, key, change, TRUE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&undo, mw_account_change_free);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_users WHERE userid = 'dave' "
                               "AND maxmail_size = 26214400"), ==, 1);
  g_assert_cmpuint (f->changed->len, ==, 0);

  /* Then made, under the profile set for the audit log. */
  mw_session_set_audit_profile (f->session, "Ops");
  undo = update (f, key, change, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (undo);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_users WHERE userid = 'david' "
                               "AND maxmail_size = 52428800 AND user_idnr = %" G_GINT64_FORMAT, dave), ==, 1);
  g_clear_pointer (&changed, g_free);
  changed = take_changed (f);
  /* A new name shows in the address lists too; a new address moves a mailbox between domains. */
  g_assert_cmpstr (changed, ==, "users,aliases,forwards,domains");
  entry = last_audit ();
  g_assert_cmpstr (entry->target, ==, "dave");
  g_assert_nonnull (strstr (entry->after, "david"));
  g_assert_cmpstr (entry->profile, ==, "Ops");
  g_clear_pointer (&entry, mw_audit_entry_free);

  /* The same change again is refused: the account moved on since it was read. */
  g_clear_pointer (&redo, mw_account_change_free);
  redo = update (f, key, change, FALSE, &error);
  g_assert_null (redo);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (f->changed->len, ==, 0);

  /* Undo puts the name and the quota back. */
  redo = update (f, key, undo, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (redo);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_users WHERE userid = 'dave' "
                               "AND maxmail_size = 26214400 AND user_idnr = %" G_GINT64_FORMAT, dave), ==, 1);
  g_clear_pointer (&changed, g_free);
  changed = take_changed (f);
  g_assert_cmpstr (changed, ==, "users,aliases,forwards,domains");
}

static void
test_addresses (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bob = resolve (f, "bob");
  g_autofree char *alias = NULL;
  g_autofree char *forward = NULL;
  g_autofree char *changed = NULL;

  mw_session_add_alias_async (f->session, bob, "robert@example.org", MW_ADDRESS_FLAGS_NONE, FALSE, NULL,
                              mw_async_wait_ready, &res);
  alias = mw_session_add_alias_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (alias);
  g_clear_object (&res);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'robert@example.org'"), ==, 1);
  changed = take_changed (f);
  g_assert_cmpstr (changed, ==, "aliases");

  mw_session_add_forward_async (f->session, "sales@example.org", "sales@elsewhere.example.net", MW_ADDRESS_FLAGS_NONE, 0,
                                FALSE, NULL, mw_async_wait_ready, &res);
  forward = mw_session_add_forward_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  g_clear_pointer (&changed, g_free);
  changed = take_changed (f);
  g_assert_cmpstr (changed, ==, "forwards");

  /* Deleting, tried first, then done: an address may have been either. */
  mw_session_delete_address_async (f->session, alias, TRUE, NULL, mw_async_wait_ready, &res);
  g_assert_true (mw_session_delete_address_finish (f->session, mw_async_wait (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'robert@example.org'"), ==, 1);
  g_assert_cmpuint (f->changed->len, ==, 0);
  mw_session_delete_address_async (f->session, alias, FALSE, NULL, mw_async_wait_ready, &res);
  g_assert_true (mw_session_delete_address_finish (f->session, mw_async_wait (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'robert@example.org'"), ==, 0);
  g_clear_pointer (&changed, g_free);
  changed = take_changed (f);
  g_assert_cmpstr (changed, ==, "aliases,forwards");

  /* A refused change moves no list. */
  mw_session_delete_address_async (f->session, alias, FALSE, NULL, mw_async_wait_ready, &res);
  g_assert_false (mw_session_delete_address_finish (f->session, mw_async_wait (&res), &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_assert_cmpuint (f->changed->len, ==, 0);
}

/* ------------------------------------------------------------------------ */

#define N_LISTED 53

static MwListQuery *
users_query (Fixture    *f,
             MwListSort  sort)
{
  g_autoptr(GError) error = NULL;
  MwListRequest request = { .kind = MW_LIST_USERS, .sort = sort, .search = "cur" };
  MwListQuery *query = mw_schema_list_query (mw_session_get_schema (f->session), &request, &error);

  g_assert_no_error (error);
  return query;
}

static const char *
record_text (Fixture    *f,
             MwRecord   *record,
             const char *column)
{
  const MwListInfo *info = mw_schema_get_list (mw_session_get_schema (f->session), MW_LIST_USERS);
  MwListValue value;

  mw_list_column_read_record (mw_list_info_find_column (info, column), record, &value);
  return value.text;
}

static GPtrArray *
fetch (Fixture      *f,
       MwListCursor *cursor,
       guint         limit)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *page;

  mw_session_fetch_list_async (f->session, cursor, limit, NULL, mw_async_wait_ready, &res);
  page = mw_session_fetch_list_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page;
}

static void
test_cursor (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) by_name = NULL;
  g_autoptr(MwListQuery) by_group = NULL;
  g_autoptr(MwListCursor) cursor = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) page = NULL;
  guint n_pages = 0, n_rows = 0;
  gint64 last_group = G_MININT64;

  /* Names added out of order, in three groups, so that the group sort has
   * long runs of equal values across page ends. */
  for (guint i = 0; i < N_LISTED; i++)
    {
      g_autofree char *name = g_strdup_printf ("cur%03u", (i * 31) % N_LISTED);

      mw_test_db_add_user (f->tdb, name, i % 3, 0);
    }
  by_name = users_query (f, MW_SORT_NAME);
  by_group = users_query (f, MW_SORT_GROUP);

  mw_session_count_list_async (f->session, by_name, NULL, mw_async_wait_ready, &res);
  g_assert_cmpint (mw_session_count_list_finish (f->session, mw_async_wait (&res), &error), ==, N_LISTED);
  g_assert_no_error (error);
  g_clear_object (&res);

  /* Every row once, in order, ten at a time; the cursor may be given up by
   * its owner while a fetch is under way. */
  cursor = mw_list_cursor_new (by_name);
  do
    {
      g_clear_pointer (&page, g_ptr_array_unref);
      page = fetch (f, cursor, 10);
      n_pages++;
      for (guint i = 0; i < page->len; i++)
        {
          g_autofree char *expected = g_strdup_printf ("cur%03u", n_rows);

          g_assert_cmpuint (mw_record_get_position (page->pdata[i]), ==, n_rows);
          g_assert_cmpstr (record_text (f, page->pdata[i], "name"), ==, expected);
          n_rows++;
        }
    }
  while (page->len > 0);
  g_assert_cmpuint (n_rows, ==, N_LISTED);
  g_assert_cmpuint (n_pages, ==, 7);   /* five full, three rows, then the end */
  g_clear_pointer (&cursor, mw_list_cursor_free);

  /* By group: equal sort values run across the pages' ends, and no row comes
   * twice or is left out. */
  cursor = mw_list_cursor_new (by_group);
  n_rows = 0;
  do
    {
      g_clear_pointer (&page, g_ptr_array_unref);
      page = fetch (f, cursor, 4);
      for (guint i = 0; i < page->len; i++)
        {
          MwRecord *record = page->pdata[i];
          gint64 group = mw_record_get_int64 (record, "client_idnr");

          g_assert_cmpint (group, >=, last_group);
          last_group = group;
          g_assert_true (g_hash_table_add (seen, g_strdup (record_text (f, record, "name"))));
          n_rows++;
        }
    }
  while (page->len > 0);
  g_assert_cmpuint (n_rows, ==, N_LISTED);
  g_clear_pointer (&cursor, mw_list_cursor_free);

  /* From an offset on, as --all --offset reads. */
  cursor = mw_list_cursor_new (by_name);
  mw_list_cursor_set_offset (cursor, 45);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = fetch (f, cursor, 5);
  g_assert_cmpuint (page->len, ==, 5);
  g_assert_cmpstr (record_text (f, page->pdata[0], "name"), ==, "cur045");
  g_assert_cmpuint (mw_record_get_position (page->pdata[0]), ==, 45);
  g_clear_pointer (&page, g_ptr_array_unref);
  mw_session_fetch_list_async (f->session, cursor, 5, NULL, mw_async_wait_ready, &res);
  g_clear_pointer (&cursor, mw_list_cursor_free);
  page = mw_session_fetch_list_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (record_text (f, page->pdata[2], "name"), ==, "cur052");

  /* A page by offset. */
  g_clear_pointer (&page, g_ptr_array_unref);
  mw_session_fetch_list_offset_async (f->session, by_name, 20, 3, NULL, mw_async_wait_ready, &res);
  page = mw_session_fetch_list_offset_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (record_text (f, page->pdata[0], "name"), ==, "cur020");
  g_assert_cmpuint (mw_record_get_position (page->pdata[2]), ==, 22);
}

/* ------------------------------------------------------------------------ */

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *alice = resolve (f, "alice");
  MwNewAccount account = { .name = "erin", .password = "pw-erin-123" };

  g_cancellable_cancel (cancellable);
  mw_session_get_account_async (f->session, alice, cancellable, mw_async_wait_ready, &res);
  g_assert_null (mw_session_get_account_finish (f->session, mw_async_wait (&res), &error));
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&res);

  /* A change cancelled before it ran: not made, no list moves. */
  mw_session_add_account_async (f->session, &account, FALSE, cancellable, mw_async_wait_ready, &res);
  g_assert_null (mw_session_add_account_finish (f->session, mw_async_wait (&res), &error));
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED);
  g_clear_object (&res);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_users WHERE userid = 'erin'"), ==, 0);
  g_assert_cmpuint (f->changed->len, ==, 0);
}

/* A window that closes drops its session while a call runs: the call still
 * answers, and the session (with its workers) goes after it. */
static void
test_session_dropped (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAccount) account = NULL;
  g_autofree char *alice = resolve (f, "alice");
  MwSession *other;

  mw_session_connect_async ("Other", f->tdb->settings, NULL, mw_async_wait_ready, &res);
  other = mw_session_connect_finish (mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  g_object_add_weak_pointer (G_OBJECT (other), (gpointer *) &other);

  mw_session_get_account_async (other, alice, NULL, mw_async_wait_ready, &res);
  g_object_unref (other);
  g_assert_nonnull (other);
  account = mw_session_get_account_finish (other, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->name, ==, "alice");
  g_clear_object (&res);
  g_assert_null (other);
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  GMainLoop *loop;
  GString   *events;      /* "h" per hit, "p" per progress, "c" for the callback */
  GPtrArray *subjects;
  guint      done, total;
  GThread   *thread;
  gboolean   ok;
  GError    *error;
  MwSession *session;
} Search;

static void
on_hit (const MwMessageHit *hit,
        gpointer            user_data)
{
  Search *s = user_data;

  g_assert_true (g_thread_self () == s->thread);
  g_string_append_c (s->events, 'h');
  g_ptr_array_add (s->subjects, g_strdup (hit->subject));
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  Search *s = user_data;

  g_assert_true (g_thread_self () == s->thread);
  g_string_append_c (s->events, 'p');
  s->done = done;
  s->total = total;
}

static void
on_searched_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Search *s = user_data;

  g_string_append_c (s->events, 'c');
  s->ok = mw_session_search_bodies_finish (s->session, res, &s->error);
  g_main_loop_quit (s->loop);
}

static void
deliver (Fixture    *f,
         gint64      mailbox,
         const char *subject,
         const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("From: Carol <carol@example.com>\nTo: alice@example.org\n"
                                           "Subject: %s\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\n%s\n",
                                           subject, body);
  g_autoptr(GBytes) raw = g_bytes_new_take (g_steal_pointer (&text), strlen (text));

  g_assert_cmpint (mw_message_store_deliver (f->tdb->db, mailbox, raw, 0, NULL, &error), >, 0);
  g_assert_no_error (error);
}

static void
search (Fixture      *f,
        Search       *s,
        const char   *account,
        GCancellable *cancellable)
{
  s->loop = g_main_loop_new (NULL, FALSE);
  s->events = g_string_new (NULL);
  s->subjects = g_ptr_array_new_with_free_func (g_free);
  s->thread = g_thread_self ();
  s->session = f->session;
  mw_session_search_bodies_async (f->session, account, NULL, "rendezvous", MW_MESSAGE_LOAD_DEFAULT, on_hit,
                                  on_progress, s, cancellable, on_searched_cb, s);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_main_loop_run (s->loop);
}

static void
search_clear (Search *s)
{
  g_main_loop_unref (s->loop);
  g_string_free (s->events, TRUE);
  g_ptr_array_unref (s->subjects);
  g_clear_error (&s->error);
}

static void
test_search_bodies (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *alice = resolve (f, "alice");
  gint64 alice_number = sql_int (f, "SELECT user_idnr FROM dbmail_users WHERE userid = 'alice'");
  gint64 inbox;
  Search s = { 0 };

  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_mailboxes (owner_idnr, name) "
                           "SELECT user_idnr, 'INBOX' FROM dbmail_users WHERE userid = 'alice'");
  inbox = sql_int (f, "SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT, alice_number);
  deliver (f, inbox, "Lunch", "Our rendezvous is at noon.");
  deliver (f, inbox, "Invoice", "Nothing to see here.");
  deliver (f, inbox, "Plans", "The rendezvous moved to Friday.");

  /* Every hit and every progress update before the callback, on this thread. */
  search (f, &s, alice, NULL);
  g_assert_no_error (s.error);
  g_assert_true (s.ok);
  g_assert_true (g_str_has_suffix (s.events->str, "c"));
  g_assert_cmpuint (strchr (s.events->str, 'c') - s.events->str, ==, s.events->len - 1);
  g_assert_cmpuint (s.subjects->len, ==, 2);
  g_assert_cmpstr (s.subjects->pdata[0], ==, "Lunch");
  g_assert_cmpstr (s.subjects->pdata[1], ==, "Plans");
  g_assert_nonnull (strchr (s.events->str, 'p'));
  g_assert_cmpuint (s.done, ==, s.total);
  g_assert_cmpuint (s.total, >, 0);
  search_clear (&s);

  /* Cancelled at once: the callback says so (as the pool does when the job
   * had not started, or as the search does when it had), and no hit comes. */
  memset (&s, 0, sizeof s);
  search (f, &s, alice, cancellable);
  g_assert_false (s.ok);
  g_assert_true (g_error_matches (s.error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
                 g_error_matches (s.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_cmpstr (s.events->str, ==, "c");
  search_clear (&s);

  g_assert_cmpuint (f->changed->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  mw_test_init (&argc, &argv);
  audit_path = mw_test_private_audit_log ();

#define ADD(path, func) \
  G_STMT_START { \
    g_test_add ("/pg/session-ops/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), fixture_set_up, func, \
                fixture_tear_down); \
    g_test_add ("/mysql/session-ops/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_MYSQL), fixture_set_up, func, \
                fixture_tear_down); \
  } G_STMT_END

  ADD ("find", test_find);
  ADD ("add-update-undo", test_add_update_undo);
  ADD ("addresses", test_addresses);
  ADD ("cursor", test_cursor);
  ADD ("cancelled", test_cancelled);
  ADD ("session-dropped", test_session_dropped);
  ADD ("search-bodies", test_search_bodies);
#undef ADD

  rc = mw_test_run ();
  return rc;
}
