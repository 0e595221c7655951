/* test-schema-interface.c: DBMail through the MwSchema interface alone
 * (mw_schema_*), on real servers: what the GUI's and the CLI's jobs get.
 *
 * Only mw_schema_* functions change and read the accounts; the database is
 * read with SQL to check the rows a person would look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mw-account.h"
#include "mw-acl.h"
#include "mw-mail-store.h"
#include "mw-password.h"
#include "mw-schema.h"
#include "mw-test-db.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
  gint64    alice, bob, carol;
  char     *alice_key, *bob_key, *carol_key;
} Fixture;

static const char *audit_path;  /* mw_test_private_audit_log () */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *alice = NULL;

  g_remove (audit_path);
  f->tdb = mw_test_db_new (data, TRUE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  f->alice = mw_test_db_add_user (f->tdb, "alice", 1, 10485760);
  f->bob = mw_test_db_add_user (f->tdb, "bob", 1, 0);
  f->carol = mw_test_db_add_user (f->tdb, "carol", 2, 0);
  alice = g_strdup_printf ("%" G_GINT64_FORMAT, f->alice);
  mw_test_db_add_alias (f->tdb, "a.smith@example.com", alice, 1);
  mw_test_db_add_alias (f->tdb, "a.smith@example.com", "archive@backup.example.net", 0);
  mw_test_db_add_alias (f->tdb, "sales@example.com", "|/usr/bin/procmail", 0);

  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (MW_IS_SCHEMA (f->schema));

  /* The keys the account has, as find gives them: never made by hand. */
  f->alice_key = mw_schema_resolve_account (f->schema, f->tdb->db, "alice", NULL, &error);
  g_assert_no_error (error);
  f->bob_key = mw_schema_resolve_account (f->schema, f->tdb->db, "bob", NULL, &error);
  g_assert_no_error (error);
  f->carol_key = mw_schema_resolve_account (f->schema, f->tdb->db, "carol", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->schema);
  g_free (f->alice_key);
  g_free (f->bob_key);
  g_free (f->carol_key);
  mw_test_db_free (f->tdb);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

/* What the tables a change may touch hold, to show that a refused change
 * touched nothing and that an undo put everything back. */
static char *
snapshot (Fixture *f)
{
  static const char *const queries[] = {
    "SELECT user_idnr, userid, passwd, encryption_type, client_idnr, maxmail_size, active, spasswd, saction "
    "FROM dbmail_users ORDER BY user_idnr",
    "SELECT alias_idnr, alias, deliver_to, client_idnr FROM dbmail_aliases ORDER BY alias_idnr",
    "SELECT mailbox_idnr, owner_idnr, name FROM dbmail_mailboxes ORDER BY mailbox_idnr",
  };
  GString *out = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      mw_test_db_append_rows (f->tdb->db, queries[q], out);
      g_string_append (out, "--\n");
    }
  return g_string_free (out, FALSE);
}

static char *
users_row (Fixture    *f,
           const char *key)
{
  g_autofree char *sql = NULL;

  if (f->tdb->driver == MW_DB_DRIVER_MYSQL)
    sql = g_strdup_printf ("SELECT CONCAT_WS('|', userid, passwd, encryption_type, client_idnr, maxmail_size) "
                           "FROM dbmail_users WHERE user_idnr = %s", key);
  else
    sql = g_strdup_printf ("SELECT userid || '|' || passwd || '|' || encryption_type || '|' || "
                           "CAST(client_idnr AS TEXT) || '|' || CAST(maxmail_size AS TEXT) "
                           "FROM dbmail_users WHERE user_idnr = %s", key);
  return mw_test_db_string (f->tdb, sql);
}

/* ------------------------------------------------------------------------ */

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  const MwSchemaInfo *info = mw_schema_get_info (f->schema);
  g_autofree char *described = mw_schema_describe (f->schema);
  const MwListInfo *users;

  g_assert_cmpint (info->kind, ==, MW_SCHEMA_DBMAIL_3);
  g_assert_cmpstr (info->flavour, ==, "dbmail-3");
  g_assert_nonnull (strstr (described, "DBMail 3.x"));
  /* DBMail stores the mail itself. */
  g_assert_true (MW_IS_MAIL_STORE (f->schema));

  g_assert_true (mw_schema_can (f->schema, MW_SCHEMA_CAN_WRITE | MW_SCHEMA_CAN_RENAME | MW_SCHEMA_CAN_QUOTA |
                                MW_SCHEMA_CAN_GROUPS | MW_SCHEMA_CAN_SECURITY_PASSWORD | MW_SCHEMA_CAN_FORWARDS |
                                MW_SCHEMA_CAN_IMPORT | MW_SCHEMA_CAN_LAST_LOGIN | MW_SCHEMA_CAN_DISABLE |
                                MW_SCHEMA_CAN_LOGIN_LESS));
  g_assert_true (mw_schema_can (f->schema, MW_SCHEMA_CAN_SHARING));
  g_assert_true (mw_schema_has_sharing (f->schema));
  g_assert_false (mw_schema_can (f->schema, MW_SCHEMA_CAN_VACATION));
  g_assert_false (mw_schema_can (f->schema, MW_SCHEMA_CAN_DOMAINS_TABLE));
  g_assert_false (mw_schema_can (f->schema, MW_SCHEMA_CAN_WRITE | MW_SCHEMA_CAN_VACATION));

  users = mw_schema_find_list (f->schema, "users");
  g_assert_nonnull (users);
  g_assert_true (users == mw_schema_get_list (f->schema, MW_LIST_USERS));
  g_assert_cmpint (mw_schema_find_list (f->schema, "forwards")->kind, ==, MW_LIST_FORWARDS);
  g_assert_null (mw_schema_find_list (f->schema, "user_idnr"));
  g_assert_null (mw_schema_find_list (f->schema, ""));
}

static void
check_find (Fixture    *f,
            const char *text,
            const char *key,
            const char *name,
            const char *matched_by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = mw_schema_find (f->schema, f->tdb->db, text, NULL, &error);
  g_autofree char *resolved = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (found->kind, ==, MW_FOUND_ACCOUNT);
  g_assert_cmpstr (found->key, ==, key);
  g_assert_cmpstr (found->name, ==, name);
  g_assert_cmpstr (found->matched_by, ==, matched_by);
  resolved = mw_schema_resolve_account (f->schema, f->tdb->db, text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resolved, ==, key);
}

static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = NULL;
  g_autoptr(MwAccount) account = NULL;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, f->bob);
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  gboolean saw_primary = FALSE;

  check_find (f, "alice", f->alice_key, "alice", "name");
  check_find (f, "ALICE", f->alice_key, "alice", "name");
  check_find (f, number, f->bob_key, "bob", "number");
  check_find (f, "A.Smith@Example.COM", f->alice_key, "alice", "alias");
  check_find (f, "carol@example.org", f->carol_key, "carol", "alias");

  /* A forward is not an account: find says where it goes, resolve refuses. */
  found = mw_schema_find (f->schema, f->tdb->db, "sales@example.com", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->kind, ==, MW_FOUND_FORWARD);
  g_assert_null (found->key);
  g_assert_cmpstr (found->targets[0], ==, "|/usr/bin/procmail");
  key = mw_schema_resolve_account (f->schema, f->tdb->db, "sales@example.com", NULL, &error);
  g_assert_null (key);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "procmail"));
  g_clear_error (&error);
  key = mw_schema_resolve_account (f->schema, f->tdb->db, "nobody@nowhere.example", NULL, &error);
  g_assert_null (key);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The account its key names. */
  account = mw_schema_get_account (f->schema, f->tdb->db, f->alice_key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->key, ==, f->alice_key);
  g_assert_cmpstr (account->name, ==, "alice");
  g_assert_cmpint (account->number, ==, f->alice);
  g_assert_cmpint (account->group, ==, 1);
  g_assert_cmpint (account->quota, ==, 10485760);
  g_assert_cmpstr (account->password_scheme, ==, "");
  g_assert_false (account->has_security_password);
  g_assert_nonnull (account->fingerprint);
  g_assert_cmpuint (account->aliases->len, ==, 2);
  for (guint i = 0; i < account->aliases->len; i++)
    {
      MwAccountAddress *a = account->aliases->pdata[i];
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias_idnr = %s "
                                              "AND alias = '%s' AND deliver_to = '%s'", a->key, a->address,
                                              f->alice_key);

      /* Each address's key names its own row. */
      g_assert_cmpint (count (f, sql), ==, 1);
      /* The oldest alias: alice@example.org, made with the user. */
      if (a->primary)
        {
          g_assert_false (saw_primary);
          g_assert_cmpstr (a->address, ==, "alice@example.org");
          saw_primary = TRUE;
        }
    }
  g_assert_true (saw_primary);
  g_assert_cmpuint (account->forwards->len, ==, 1);
  g_assert_cmpstr (((MwAccountForward *) account->forwards->pdata[0])->target, ==, "archive@backup.example.net");

  /* The users list's rows carry the same keys. */
  {
    MwListRequest request = { .kind = MW_LIST_USERS, .sort = MW_SORT_NAME };
    g_autoptr(MwListQuery) query = mw_schema_list_query (f->schema, &request, &error);
    g_autoptr(MwDbResult) rows = NULL;
    g_autoptr(GString) seen = g_string_new (NULL);

    g_assert_no_error (error);
    rows = mw_list_query_fetch_offset (query, f->tdb->db, 0, 100, FALSE, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < mw_db_result_get_n_rows (rows); i++)
      {
        g_autoptr(MwRecord) record = mw_record_new (i);
        g_autofree char *row_key = NULL;

        _mw_record_set_row (record, rows, i);
        row_key = mw_schema_list_row_key (f->schema, MW_LIST_USERS, record);
        g_string_append_printf (seen, "%s=%s ", mw_record_get_string (record, "userid"), row_key);
        /* Domains and groups name no account or address. */
        g_assert_null (mw_schema_list_row_key (f->schema, MW_LIST_GROUPS, record));
      }
    text = g_strdup_printf ("alice=%s bob=%s carol=%s ", f->alice_key, f->bob_key, f->carol_key);
    g_assert_cmpstr (seen->str, ==, text);
  }

  /* Groups and how many accounts each holds. */
  {
    g_autoptr(GPtrArray) groups = mw_schema_list_groups (f->schema, f->tdb->db, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (groups->len, ==, 2);
    g_assert_cmpint (((MwGroupCount *) groups->pdata[0])->group, ==, 1);
    g_assert_cmpint (((MwGroupCount *) groups->pdata[0])->accounts, ==, 2);
    g_assert_cmpint (((MwGroupCount *) groups->pdata[1])->group, ==, 2);
    g_assert_cmpint (((MwGroupCount *) groups->pdata[1])->accounts, ==, 1);
  }
}

static void
test_add_account (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *passwd = NULL;
  g_autoptr(MwFound) found = NULL;
  gboolean taken = FALSE;
  MwNewAccount account = {
    .name = "dave", .password = "s3cret pass", .password_scheme = "sha512-crypt", .password_rounds = 6000,
    .group = 7, .quota = 25 << 20, .alias = "Dave@Example.COM",
  };

  taken = mw_schema_name_taken (f->schema, f->tdb->db, "DAVE", &error);
  g_assert_no_error (error);
  g_assert_false (taken);

  key = mw_schema_add_account (f->schema, &f->admin, &account, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);

  /* The rows: the user (hashed here, with the rounds asked for), its first
   * alias delivering to it in its group, and its INBOX. */
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE user_idnr = %s AND userid = 'dave' "
                         "AND encryption_type = 'crypt' AND client_idnr = 7 AND maxmail_size = %d", key, 25 << 20);
  g_assert_cmpint (count (f, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT passwd FROM dbmail_users WHERE user_idnr = %s", key);
  passwd = mw_test_db_string (f->tdb, sql);
  g_assert_true (g_str_has_prefix (passwd, "$6$rounds=6000$"));
  g_assert_true (mw_password_verify ("crypt", passwd, "s3cret pass", &error));
  g_assert_no_error (error);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = 'Dave@example.com' "
                         "AND deliver_to = '%s' AND client_idnr = 7", key);
  g_assert_cmpint (count (f, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_mailboxes WHERE owner_idnr = %s AND name = 'INBOX'", key);
  g_assert_cmpint (count (f, sql), ==, 1);

  /* Found by its name and its address, with that key. */
  found = mw_schema_find (f->schema, f->tdb->db, "dave@EXAMPLE.com", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->key, ==, key);
  taken = mw_schema_name_taken (f->schema, f->tdb->db, "DAVE", &error);
  g_assert_no_error (error);
  g_assert_true (taken);

  /* The same name again, but for case: refused, nothing written. */
  {
    g_autofree char *before = snapshot (f);
    g_autofree char *after = NULL;
    g_autofree char *again = NULL;
    MwNewAccount twin = { .name = "Dave", .password = "x" };

    again = mw_schema_add_account (f->schema, &f->admin, &twin, &error);
    g_assert_null (again);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
    g_clear_error (&error);
    after = snapshot (f);
    g_assert_cmpstr (before, ==, after);
  }
}

static MwAccountChange *
apply (Fixture               *f,
       const MwAccountChange *change)
{
  g_autoptr(GError) error = NULL;
  MwAccountChange *undo = mw_schema_update_account (f->schema, &f->admin, f->alice_key, change, &error);

  g_assert_no_error (error);
  g_assert_nonnull (undo);
  return undo;
}

static void
test_update_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autofree char *row = NULL;
  g_autofree char *passwd = NULL;
  g_autoptr(MwAccount) loaded = mw_schema_get_account (f->schema, f->tdb->db, f->alice_key, NULL, &error);
  g_autoptr(MwAccountChange) change = mw_account_change_new ();
  g_autoptr(MwAccountChange) undo = NULL;
  g_autoptr(MwAccountChange) redo = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT passwd FROM dbmail_users WHERE user_idnr = %s", f->alice_key);

  g_assert_no_error (error);

  /* Rename, a quota and a password in another scheme, in one change. */
  change->changes = MW_ACCOUNT_CHANGE_NAME | MW_ACCOUNT_CHANGE_QUOTA | MW_ACCOUNT_CHANGE_PASSWORD;
  change->name = g_strdup ("alicia");
  change->quota = 5 << 20;
  change->password = g_strdup ("n3w pass");
  change->password_scheme = g_strdup ("md5-crypt");
  change->expected_fingerprint = g_strdup (loaded->fingerprint);
  undo = apply (f, change);

  row = users_row (f, f->alice_key);
  g_assert_true (g_str_has_prefix (row, "alicia|$1$"));
  g_assert_true (g_str_has_suffix (row, "|md5|1|5242880"));
  passwd = mw_test_db_string (f->tdb, sql);
  g_assert_true (mw_password_verify ("md5", passwd, "n3w pass", &error));
  g_assert_no_error (error);
  /* Aliases and mailboxes stay with the number, not the name. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'a.smith@example.com' AND deliver_to <> "
                             "'archive@backup.example.net'"), ==, 1);

  /* The undo holds the stored values it replaced, never plain text. */
  g_assert_cmpint (undo->changes, ==, change->changes);
  g_assert_cmpstr (undo->name, ==, "alice");
  g_assert_cmpint (undo->quota, ==, 10485760);
  g_assert_null (undo->password);
  g_assert_cmpstr (undo->stored_password, ==, "secret");
  g_assert_cmpstr (undo->stored_scheme, ==, "");
  g_assert_nonnull (undo->expected_fingerprint);

  /* Applied, it restores every row exactly, and gives the change back. */
  redo = apply (f, undo);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (redo->name, ==, "alicia");
  g_assert_true (g_str_has_prefix (redo->stored_password, "$1$"));
  g_clear_pointer (&redo, mw_account_change_free);
  g_clear_pointer (&undo, mw_account_change_free);

  /* No scheme: the password keeps the one the account uses (here plain text). */
  g_clear_pointer (&change, mw_account_change_free);
  change = mw_account_change_new ();
  change->changes = MW_ACCOUNT_CHANGE_PASSWORD;
  change->password = g_strdup ("plain again");
  undo = apply (f, change);
  g_free (passwd);
  passwd = mw_test_db_string (f->tdb, sql);
  g_assert_cmpstr (passwd, ==, "plain again");
  g_clear_pointer (&redo, mw_account_change_free);
  redo = apply (f, undo);
  g_clear_pointer (&redo, mw_account_change_free);
  g_clear_pointer (&undo, mw_account_change_free);

  /* An undo whose row moved on since is refused, and changes nothing. */
  g_clear_pointer (&change, mw_account_change_free);
  change = mw_account_change_new ();
  change->changes = MW_ACCOUNT_CHANGE_QUOTA;
  change->quota = 1 << 20;
  undo = apply (f, change);
  change->quota = 2 << 20;
  redo = apply (f, change);
  g_free (before);
  before = snapshot (f);
  {
    g_autoptr(MwAccountChange) none = mw_schema_update_account (f->schema, &f->admin, f->alice_key, undo, &error);

    g_assert_null (none);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message, "alice"));
    g_clear_error (&error);
  }
  g_free (after);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&redo, mw_account_change_free);
  g_clear_pointer (&undo, mw_account_change_free);

  /* A security password is stored in the scheme of the account's password
   * (here the new one); the undo leaves it, as it always has. */
  g_clear_pointer (&change, mw_account_change_free);
  change = mw_account_change_new ();
  change->changes = MW_ACCOUNT_CHANGE_PASSWORD | MW_ACCOUNT_CHANGE_SECURITY_PASSWORD |
                    MW_ACCOUNT_CHANGE_SECURITY_ACTION;
  change->password = g_strdup ("main pw");
  change->password_scheme = g_strdup ("sha256-crypt");
  change->security_password = g_strdup ("panic 42");
  change->security_action = 1;
  undo = apply (f, change);
  {
    g_autofree char *spasswd = NULL;
    g_autofree char *ssql = g_strdup_printf ("SELECT spasswd FROM dbmail_users WHERE user_idnr = %s", f->alice_key);

    spasswd = mw_test_db_string (f->tdb, ssql);
    g_assert_true (g_str_has_prefix (spasswd, "$5$"));
    g_assert_true (mw_password_verify ("crypt", spasswd, "panic 42", &error));
    g_assert_no_error (error);
    g_assert_cmpint (undo->changes, ==, MW_ACCOUNT_CHANGE_PASSWORD | MW_ACCOUNT_CHANGE_SECURITY_ACTION);
    g_assert_null (undo->security_password);
    g_assert_cmpint (undo->security_action, ==, 0);
  }
}

static void
test_update_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autoptr(MwAccountChange) change = mw_account_change_new ();
  MwAccountChange *none;

  /* A name another account has, but for case. */
  change->changes = MW_ACCOUNT_CHANGE_NAME | MW_ACCOUNT_CHANGE_QUOTA;
  change->name = g_strdup ("BOB");
  change->quota = 1;
  none = mw_schema_update_account (f->schema, &f->admin, f->alice_key, change, &error);
  g_assert_null (none);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_clear_error (&error);

  /* A fingerprint from before someone else's change. */
  g_free (change->name);
  change->name = g_strdup ("alicia");
  change->expected_fingerprint = g_strdup ("0123");
  none = mw_schema_update_account (f->schema, &f->admin, f->alice_key, change, &error);
  g_assert_null (none);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT);
  g_clear_error (&error);

  /* A password both plain and stored. */
  g_clear_pointer (&change->expected_fingerprint, g_free);
  change->changes = MW_ACCOUNT_CHANGE_PASSWORD;
  change->password = g_strdup ("a");
  change->stored_password = g_strdup ("b");
  none = mw_schema_update_account (f->schema, &f->admin, f->alice_key, change, &error);
  g_assert_null (none);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_clear_error (&error);

  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autofree char *described = NULL;
  g_autofree char *sql = NULL;
  MwAdmin dry = f->admin;
  MwDeleteSummary summary = { 0 };

  /* A dry run says what would go and changes nothing. */
  dry.dry_run = TRUE;
  g_assert_true (mw_schema_delete_accounts (f->schema, &dry, f->alice_key, 0, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.users, ==, 1);
  g_assert_cmpint (summary.aliases, ==, 2);
  g_assert_cmpint (summary.forwards, ==, 1);
  described = mw_delete_summary_describe (&summary);
  g_assert_nonnull (strstr (described, "1 user"));
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);

  /* A group, as a dry run: both of its accounts. */
  memset (&summary, 0, sizeof summary);
  g_assert_true (mw_schema_delete_accounts (f->schema, &dry, NULL, 1, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.users, ==, 2);
  g_free (after);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);

  /* For real. */
  memset (&summary, 0, sizeof summary);
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, f->bob_key, 0, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.users, ==, 1);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE user_idnr = %s", f->bob_key);
  g_assert_cmpint (count (f, sql), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid IN ('alice', 'carol')"), ==, 2);
}

static char *
alias_row (Fixture    *f,
           const char *key)
{
  g_autofree char *sql = NULL;

  if (f->tdb->driver == MW_DB_DRIVER_MYSQL)
    sql = g_strdup_printf ("SELECT CONCAT_WS('|', alias, deliver_to, client_idnr) FROM dbmail_aliases "
                           "WHERE alias_idnr = %s", key);
  else
    sql = g_strdup_printf ("SELECT alias || '|' || deliver_to || '|' || CAST(client_idnr AS TEXT) FROM dbmail_aliases "
                           "WHERE alias_idnr = %s", key);
  return mw_test_db_string (f->tdb, sql);
}

static void
test_addresses (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *fkey = NULL;
  g_autofree char *created = NULL;
  g_autofree char *row = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) routes = NULL;

  /* An alias of bob, renamed, then moved to carol (its group follows). */
  key = mw_schema_add_alias (f->schema, &f->admin, f->bob_key, "Bob2@Example.com", 0, &error);
  g_assert_no_error (error);
  row = alias_row (f, key);
  expected = g_strdup_printf ("Bob2@example.com|%s|1", f->bob_key);
  g_assert_cmpstr (row, ==, expected);

  g_assert_true (mw_schema_rename_address (f->schema, &f->admin, key, "robert@example.com", 0, &error));
  g_assert_no_error (error);
  g_free (row);
  row = alias_row (f, key);
  g_free (expected);
  expected = g_strdup_printf ("robert@example.com|%s|1", f->bob_key);
  g_assert_cmpstr (row, ==, expected);

  g_assert_true (mw_schema_move_address (f->schema, &f->admin, key, "carol@example.org", &error));
  g_assert_no_error (error);
  g_free (row);
  row = alias_row (f, key);
  g_free (expected);
  expected = g_strdup_printf ("robert@example.com|%s|2", f->carol_key);
  g_assert_cmpstr (row, ==, expected);

  /* A forward, sent elsewhere, then back to an account by name. */
  fkey = mw_schema_add_forward (f->schema, &f->admin, "info@example.com", "someone@elsewhere.example", 0, -1, &error);
  g_assert_no_error (error);
  g_free (row);
  row = alias_row (f, fkey);
  g_assert_cmpstr (row, ==, "info@example.com|someone@elsewhere.example|0");
  g_assert_true (mw_schema_retarget_address (f->schema, &f->admin, fkey, "other@elsewhere.example", &error));
  g_assert_no_error (error);
  g_free (row);
  row = alias_row (f, fkey);
  g_assert_cmpstr (row, ==, "info@example.com|other@elsewhere.example|0");
  g_assert_true (mw_schema_retarget_address (f->schema, &f->admin, fkey, "bob", &error));
  g_assert_no_error (error);
  g_free (row);
  row = alias_row (f, fkey);
  g_free (expected);
  expected = g_strdup_printf ("info@example.com|%s|1", f->bob_key);
  g_assert_cmpstr (row, ==, expected);

  /* An alias has no target to change; nothing is written. */
  g_assert_false (mw_schema_retarget_address (f->schema, &f->admin, fkey, "x@y.example", &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_clear_error (&error);
  g_free (row);
  row = alias_row (f, fkey);
  g_assert_cmpstr (row, ==, expected);

  /* A forward moved to an account becomes its alias. */
  g_clear_pointer (&fkey, g_free);
  fkey = mw_schema_add_forward (f->schema, &f->admin, "help@example.com", "|/usr/bin/helpdesk", 0, -1, &error);
  g_assert_no_error (error);
  g_assert_true (mw_schema_move_address (f->schema, &f->admin, fkey, "alice", &error));
  g_assert_no_error (error);
  g_free (row);
  row = alias_row (f, fkey);
  g_free (expected);
  expected = g_strdup_printf ("help@example.com|%s|1", f->alice_key);
  g_assert_cmpstr (row, ==, expected);

  /* The rows of an address: the alias (with its account) and the forward. */
  routes = mw_schema_find_routes (f->schema, f->tdb->db, "A.SMITH@example.com", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (routes->len, ==, 2);
  for (guint i = 0; i < routes->len; i++)
    {
      MwAddressRoute *r = routes->pdata[i];

      g_assert_cmpstr (r->address, ==, "a.smith@example.com");
      if (r->account_key != NULL)
        {
          g_assert_cmpstr (r->account_key, ==, f->alice_key);
          g_assert_cmpstr (r->account_name, ==, "alice");
          g_assert_cmpstr (r->target, ==, f->alice_key);
        }
      else
        g_assert_cmpstr (r->target, ==, "archive@backup.example.net");
      g_free (row);
      row = alias_row (f, r->key);
      g_assert_true (g_str_has_prefix (row, "a.smith@example.com|"));
    }

  /* Deleted by its key: that row only. */
  g_assert_true (mw_schema_delete_address (f->schema, &f->admin, key, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias_idnr = %s", key);
  g_assert_cmpint (count (f, sql), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'help@example.com'"), ==, 1);

  /* An address for an account that does not exist yet: the account is made
   * (it cannot log in) and the key is the address's row. */
  g_clear_pointer (&key, g_free);
  key = mw_schema_add_alias_for (f->schema, &f->admin, "archive", "archive@example.com", 0, TRUE, &created, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_free (row);
  row = alias_row (f, key);
  g_free (expected);
  expected = g_strdup_printf ("archive@example.com|%s|0", created);
  g_assert_cmpstr (row, ==, expected);
  g_clear_pointer (&created, g_free);
  /* For an existing account, none is made. */
  g_clear_pointer (&key, g_free);
  key = mw_schema_add_alias_for (f->schema, &f->admin, "bob", "bobby@example.com", 0, TRUE, &created, &error);
  g_assert_no_error (error);
  g_assert_null (created);
  g_free (row);
  row = alias_row (f, key);
  g_free (expected);
  expected = g_strdup_printf ("bobby@example.com|%s|1", f->bob_key);
  g_assert_cmpstr (row, ==, expected);
}

/* A key is what the schema made: anything else names nothing, and nothing
 * is changed. */
static void
test_bad_keys (Fixture       *f,
               gconstpointer  data)
{
  static const char *const keys[] = {
    "", "abc", "0", "-1", "+1", "042", " 1", "1 ", "1.0", "1 OR 1=1", "1; DROP TABLE dbmail_users",
    "99999999999999999999999", "\xff\xfe",
  };
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autoptr(MwAccountChange) change = mw_account_change_new ();

  change->changes = MW_ACCOUNT_CHANGE_QUOTA;
  change->quota = 1;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwAccount) account = NULL;
      g_autoptr(MwAccountChange) undo = NULL;
      g_autofree char *alias = NULL;
      MwDeleteSummary summary = { 0 };

      account = mw_schema_get_account (f->schema, f->tdb->db, keys[i], NULL, &error);
      g_assert_null (account);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, "There is no such account"));
      g_clear_error (&error);

      undo = mw_schema_update_account (f->schema, &f->admin, keys[i], change, &error);
      g_assert_null (undo);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);

      g_assert_false (mw_schema_delete_accounts (f->schema, &f->admin, keys[i], 0, &summary, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);

      alias = mw_schema_add_alias (f->schema, &f->admin, keys[i], "new@example.com", 0, &error);
      g_assert_null (alias);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);

      g_assert_false (mw_schema_rename_address (f->schema, &f->admin, keys[i], "new@example.com", 0, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "There is no such address"));
      g_clear_error (&error);
      g_assert_false (mw_schema_retarget_address (f->schema, &f->admin, keys[i], "x@y.example", &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);
      g_assert_false (mw_schema_move_address (f->schema, &f->admin, keys[i], "bob", &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);
      g_assert_false (mw_schema_delete_address (f->schema, &f->admin, keys[i], &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }

  /* A well-formed key of no row. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwAccount) account = mw_schema_get_account (f->schema, f->tdb->db, "987654", NULL, &error);

    g_assert_null (account);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (mw_schema_delete_address (f->schema, &f->admin, "987654", &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  }

  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
}

/* Names with SQL in them are text: stored as typed when they are valid
 * names, refused with a sentence when not, and never run. */
static void
test_metacharacters (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const refused[] = {
    "x'; DROP TABLE dbmail_users; --", "alice' OR '1'='1", "",
  };
  static const char *const stored[] = {
    "o'hara", "x\";DROP_TABLE_dbmail_users;--", "100%_\\", "{users}",
  };
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwAccountChange) change = mw_account_change_new ();
      g_autoptr(MwAccountChange) undo = NULL;
      g_autoptr(MwFound) found = NULL;
      g_autofree char *key = NULL;
      MwNewAccount account = { .name = refused[i], .password = "pa'ss" };

      key = mw_schema_add_account (f->schema, &f->admin, &account, &error);
      g_assert_null (key);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
      g_assert_cmpuint (strlen (error->message), >, 10);
      g_clear_error (&error);

      change->changes = MW_ACCOUNT_CHANGE_NAME;
      change->name = g_strdup (refused[i]);
      undo = mw_schema_update_account (f->schema, &f->admin, f->alice_key, change, &error);
      g_assert_null (undo);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
      g_clear_error (&error);

      if (refused[i][0] != '\0')
        {
          found = mw_schema_find (f->schema, f->tdb->db, refused[i], NULL, &error);
          g_assert_null (found);
          g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
          g_clear_error (&error);
        }
    }
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);

  for (guint i = 0; i < G_N_ELEMENTS (stored); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwAccount) account = NULL;
      g_autofree char *key = NULL;
      g_autofree char *resolved = NULL;
      MwNewAccount new_account = { .name = stored[i], .password = "pa'ss\"w%rd", .password_scheme = "plaintext" };

      key = mw_schema_add_account (f->schema, &f->admin, &new_account, &error);
      g_assert_no_error (error);
      account = mw_schema_get_account (f->schema, f->tdb->db, key, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (account->name, ==, stored[i]);
      resolved = mw_schema_resolve_account (f->schema, f->tdb->db, stored[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (resolved, ==, key);
    }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users"), ==, 3 + 3 + G_N_ELEMENTS (stored));
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE passwd = 'pa''ss\"w%rd'"), ==,
                   G_N_ELEMENTS (stored));
}

/* The schemes DBMail offers and what it stores for each: every one a
 * person can write with mw-password, in its order, with sha512-crypt the
 * default; each value, stored through update_account as a stored password,
 * logs in as DBMail checks it. */
static void
test_passwords (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_all, n, writable = 0;
  const MwPasswordScheme *all = mw_password_get_schemes (&n_all);
  const MwPasswordScheme *schemes = mw_schema_get_password_schemes (f->schema, &n);
  const char *default_name = mw_schema_get_default_password_scheme (f->schema);
  gboolean default_listed = FALSE;

  g_assert_nonnull (schemes);
  for (guint i = 0; i < n_all; i++)
    if (all[i].writable)
      {
        g_assert_cmpuint (writable, <, n);
        g_assert_cmpstr (schemes[writable].name, ==, all[i].name);
        g_assert_cmpstr (schemes[writable].encryption_type, ==, all[i].encryption_type);
        g_assert_cmpstr (schemes[writable].label, ==, all[i].label);
        writable++;
      }
  g_assert_cmpuint (n, ==, writable);
  g_assert_cmpstr (default_name, ==, MW_PASSWORD_DEFAULT_SCHEME);
  for (guint i = 0; i < n; i++)
    default_listed |= g_str_equal (schemes[i].name, default_name);
  g_assert_true (default_listed);

  /* Every scheme: the value and its encryption_type are what DBMail
   * checks; stored as they are, the account logs in with the password. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *stored_scheme = NULL;
      g_autofree char *hash = mw_schema_encode_password (f->schema, schemes[i].name, "Pa55 word", 0,
                                                         &stored_scheme, &error);
      g_autoptr(MwAccountChange) change = mw_account_change_new ();
      g_autoptr(MwAccountChange) undo = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *type = NULL;
      g_autofree char *passwd = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (hash);
      g_assert_cmpstr (stored_scheme, ==, schemes[i].encryption_type);
      g_assert_true (mw_password_identify (stored_scheme, hash) == mw_password_lookup_scheme (schemes[i].name));
      g_assert_true (mw_password_verify (stored_scheme, hash, "Pa55 word", &error));
      g_assert_no_error (error);
      g_assert_false (mw_password_verify (stored_scheme, hash, "pa55 word", &error));
      g_assert_no_error (error);

      change->changes = MW_ACCOUNT_CHANGE_PASSWORD;
      change->stored_password = g_strdup (hash);
      change->stored_scheme = g_strdup (stored_scheme);
      undo = apply (f, change);
      sql = g_strdup_printf ("SELECT encryption_type FROM dbmail_users WHERE user_idnr = %s", f->alice_key);
      type = mw_test_db_string (f->tdb, sql);
      g_free (sql);
      sql = g_strdup_printf ("SELECT passwd FROM dbmail_users WHERE user_idnr = %s", f->alice_key);
      passwd = mw_test_db_string (f->tdb, sql);
      g_assert_true (mw_password_verify (type, passwd, "Pa55 word", &error));
      g_assert_no_error (error);
      mw_password_free (g_steal_pointer (&hash));
    }

  /* No scheme: the default, at the cost asked for. */
  {
    g_autofree char *stored_scheme = NULL;
    g_autofree char *hash = mw_schema_encode_password (f->schema, NULL, "Pa55 word", 6000, &stored_scheme, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (stored_scheme, ==, "crypt");
    g_assert_true (g_str_has_prefix (hash, "$6$rounds=6000$"));
    g_assert_true (mw_password_verify (stored_scheme, hash, "Pa55 word", &error));
    g_assert_no_error (error);
    mw_password_free (g_steal_pointer (&hash));
  }

  /* dbmail-users -p's spellings name the same schemes. */
  g_assert_cmpstr (mw_schema_lookup_password_scheme (f->schema, "SHA512", &error)->name, ==, "sha512");
  g_assert_no_error (error);
  g_assert_cmpstr (mw_schema_lookup_password_scheme (f->schema, "md5-hash", &error)->name, ==, "md5-crypt");
  g_assert_no_error (error);
  g_assert_true (mw_schema_lookup_password_scheme (f->schema, default_name, &error) >= schemes);
  g_assert_no_error (error);

  /* A scheme DBMail cannot write, or does not know, is refused with a
   * sentence naming what to do, and nothing is hashed. */
  {
    g_autofree char *stored_scheme = NULL;
    g_autofree char *hash = mw_schema_encode_password (f->schema, "argon2id", "Pa55 word", 0, &stored_scheme, &error);

    g_assert_null (hash);
    g_assert_null (stored_scheme);
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME);
    g_assert_nonnull (strstr (error->message, "“argon2id”"));
    g_assert_nonnull (strstr (error->message, "sha512-crypt"));
    g_clear_error (&error);
    g_assert_null (mw_schema_lookup_password_scheme (f->schema, "argon2id", &error));
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME);
    g_clear_error (&error);
    g_assert_null (mw_schema_lookup_password_scheme (f->schema, "", &error));
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME);
    g_clear_error (&error);
    g_assert_null (mw_schema_lookup_password_scheme (f->schema, "md5base64", &error));
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_VERIFY_ONLY);
    g_assert_nonnull (strstr (error->message, "Choose another scheme"));
    g_clear_error (&error);
    hash = mw_schema_encode_password (f->schema, "md5base64", "Pa55 word", 0, NULL, &error);
    g_assert_null (hash);
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_VERIFY_ONLY);
    g_clear_error (&error);
  }
}

int
main (int    argc,
      char **argv)
{
  int rc;

  mw_test_init (&argc, &argv);
  audit_path = mw_test_private_audit_log ();

#define ADD(path, func) \
  G_STMT_START { \
    g_test_add ("/pg/schema/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), fixture_set_up, func, \
                fixture_tear_down); \
    g_test_add ("/mysql/schema/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_MYSQL), fixture_set_up, func, \
                fixture_tear_down); \
  } G_STMT_END

  ADD ("open", test_open);
  ADD ("find", test_find);
  ADD ("add-account", test_add_account);
  ADD ("update-and-undo", test_update_and_undo);
  ADD ("update-refused", test_update_refused);
  ADD ("delete", test_delete);
  ADD ("addresses", test_addresses);
  ADD ("bad-keys", test_bad_keys);
  ADD ("metacharacters", test_metacharacters);
  ADD ("passwords", test_passwords);
#undef ADD

  rc = mw_test_run ();
  return rc;
}
