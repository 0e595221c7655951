/* test-ispmail.c: the ISPmail flavour (MwIspmailSchema) through the schema
 * interface, on the tutorial's tables (sql/ispmail) on PostgreSQL and
 * MariaDB: lists, find, every change and what the rows hold after it, the
 * passwords checked by the real Dovecot (doveadm pw -t), and mailwarden-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mw-account.h"
#include "mw-audit.h"
#include "mw-schema.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
  char     *alice_key;
  char     *bob_key;
} Fixture;

static const char *audit_path;

/* Dovecot's own check of a stored password string, with no server running. */
static gboolean
dovecot_accepts (const char *stored,
                 const char *password)
{
  const char *argv[] = { "doveadm", "pw", "-t", stored, "-p", password, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

static char *
hash_of (MwSchema   *schema,
         const char *scheme,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  char *hash = mw_schema_encode_password (schema, scheme, password, 0, NULL, &error);

  g_assert_no_error (error);
  return hash;
}

static char *
string (Fixture    *f,
        const char *sql)
{
  return mw_test_db_string (f->tdb, sql);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

/* Every row of the three tables, to show that a refused change left them as they were. */
static char *
snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT id, name FROM virtual_domains ORDER BY id", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT id, domain_id, email, password, quota FROM virtual_users ORDER BY id",
                          out);
  mw_test_db_append_rows (f->tdb->db, "SELECT id, domain_id, source, destination FROM virtual_aliases ORDER BY id",
                          out);
  return g_string_free (out, FALSE);
}

static MwSchema *
open_schema (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  MwSchema *schema = mw_schema_open (f->tdb->db, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (MW_IS_SCHEMA (schema));
  return schema;
}

/* example.org with alice and bob, info@ an alias of alice, sales@ a
 * forward; bücher.example (stored in A-labels) empty. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *sql = NULL;

  g_remove (audit_path);
  f->tdb = mw_test_db_new (data, FALSE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  mw_test_vmail_load_schema (f->tdb, "ispmail");
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_domains (name) VALUES ('example.org'), ('xn--bcher-kva.example')");
  f->schema = open_schema (f);
  alice = hash_of (f->schema, "sha512-crypt", "alice-secret");
  bob = hash_of (f->schema, "sha512-crypt", "bob-secret");
  sql = g_strdup_printf ("INSERT INTO virtual_users (domain_id, email, password, quota) VALUES "
                         "(1, 'alice@example.org', '%s', 1048576), (1, 'bob@example.org', '%s', 0)", alice, bob);
  mw_test_db_exec (f->tdb, sql);
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) VALUES "
                   "(1, 'info@example.org', 'alice@example.org'), (1, 'sales@example.org', 'boss@elsewhere.net')");
  f->alice_key = mw_schema_resolve_account (f->schema, f->tdb->db, "alice@example.org", NULL, &error);
  g_assert_no_error (error);
  f->bob_key = mw_schema_resolve_account (f->schema, f->tdb->db, "bob@example.org", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->schema);
  g_free (f->alice_key);
  g_free (f->bob_key);
  mw_test_db_free (f->tdb);
}

/* The values of one column of a list, in list order, read page by page. */
static char *
list_column (Fixture    *f,
             MwListKind  kind,
             MwListSort  sort,
             gboolean    descending,
             const char *search,
             const char *column_id)
{
  MwListRequest request = { kind, sort, descending, search, FALSE, 0 };
  const MwListColumn *column = mw_list_info_find_column (mw_schema_get_list (f->schema, kind), column_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = mw_schema_list_query (f->schema, &request, &error);
  g_autoptr(MwDbResult) page = NULL;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (column);
  /* One row a page: the keyset paging of the lists. */
  for (;;)
    {
      MwDbResult *next = mw_list_query_fetch_next (query, f->tdb->db, page, 1, NULL, &error);
      MwListValue value = { 0 };
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_clear_pointer (&page, mw_db_result_unref);
      page = next;
      if (mw_db_result_get_n_rows (page) == 0)
        break;

      mw_list_column_read (column, page, 0, &value);
      text = mw_list_value_format (column, &value);
      g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", text);
    }
  g_assert_no_error (error);
  return g_string_free (out, FALSE);
}

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *description = mw_schema_describe (f->schema);
  guint n;
  const MwPasswordScheme *schemes = mw_schema_get_password_schemes (f->schema, &n);

  g_assert_true (g_str_has_prefix (description, "ISPmail on "));
  g_assert_cmpint (mw_schema_get_capabilities (f->schema), ==,
                   MW_SCHEMA_CAN_WRITE | MW_SCHEMA_CAN_DOMAINS_TABLE | MW_SCHEMA_CAN_QUOTA | MW_SCHEMA_CAN_FORWARDS |
                   MW_SCHEMA_CAN_IMPORT | MW_SCHEMA_CAN_RENAME);
  g_assert_cmpstr (mw_schema_get_list (f->schema, MW_LIST_USERS)->title, ==, "Mailboxes");
  g_assert_nonnull (mw_schema_get_list (f->schema, MW_LIST_ALIASES));
  g_assert_nonnull (mw_schema_get_list (f->schema, MW_LIST_FORWARDS));
  g_assert_nonnull (mw_schema_get_list (f->schema, MW_LIST_DOMAINS));
  g_assert_null (mw_schema_get_list (f->schema, MW_LIST_GROUPS));
  g_assert_cmpstr (mw_schema_get_default_password_scheme (f->schema), ==, "sha512-crypt");
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpstr (schemes[0].name, ==, "sha512-crypt");
  g_assert_cmpstr (schemes[1].name, ==, "bcrypt");
  g_assert_cmpstr (mw_schema_lookup_password_scheme (f->schema, "{BLF-CRYPT}", NULL)->name, ==, "bcrypt");
  g_assert_null (mw_schema_lookup_password_scheme (f->schema, "md5sum", NULL));
}

static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *s = NULL;

  mw_test_db_exec (f->tdb, "INSERT INTO virtual_users (domain_id, email, password, quota) VALUES "
                   "(2, 'anna@xn--bcher-kva.example', '{BLF-CRYPT}$2y$05$abcdefghijklmnopqrstuu', 5)");
#define CHECK(expected, ...) \
  G_STMT_START { s = list_column (f, __VA_ARGS__); g_assert_cmpstr (s, ==, expected); g_clear_pointer (&s, g_free); } G_STMT_END

  CHECK ("alice@example.org anna@xn--bcher-kva.example bob@example.org", MW_LIST_USERS, MW_SORT_NAME, FALSE, NULL,
         "name");
  CHECK ("bob@example.org anna@xn--bcher-kva.example alice@example.org", MW_LIST_USERS, MW_SORT_NAME, TRUE, NULL,
         "name");
  CHECK ("bob@example.org anna@xn--bcher-kva.example alice@example.org", MW_LIST_USERS, MW_SORT_QUOTA, FALSE, NULL,
         "name");
  CHECK ("SHA512-CRYPT BLF-CRYPT SHA512-CRYPT", MW_LIST_USERS, MW_SORT_NAME, FALSE, NULL, "password_scheme");
  CHECK ("example.org xn--bcher-kva.example example.org", MW_LIST_USERS, MW_SORT_NAME, FALSE, NULL, "domain");
  /* Search: the address, its domain, or an alias of it. */
  CHECK ("alice@example.org", MW_LIST_USERS, MW_SORT_NAME, FALSE, "INFO@", "name");
  CHECK ("anna@xn--bcher-kva.example", MW_LIST_USERS, MW_SORT_NAME, FALSE, "bcher", "name");
  CHECK ("", MW_LIST_USERS, MW_SORT_NAME, FALSE, "100%", "name");
  CHECK ("info@example.org", MW_LIST_ALIASES, MW_SORT_NAME, FALSE, NULL, "address");
  CHECK ("alice@example.org", MW_LIST_ALIASES, MW_SORT_NAME, FALSE, NULL, "user");
  CHECK ("sales@example.org", MW_LIST_FORWARDS, MW_SORT_NAME, FALSE, NULL, "address");
  CHECK ("boss@elsewhere.net", MW_LIST_FORWARDS, MW_SORT_NAME, FALSE, "boss", "target");
  CHECK ("example.org xn--bcher-kva.example", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "domain");
  CHECK ("2 1", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "mailboxes");
  CHECK ("2 0", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "aliases");
  /* Counted for the page's rows only (MariaDB): the same in every order and search. */
  CHECK ("0 2", MW_LIST_DOMAINS, MW_SORT_NAME, TRUE, NULL, "aliases");
  CHECK ("1", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, "bücher", "mailboxes");
  CHECK ("xn--bcher-kva.example example.org", MW_LIST_DOMAINS, MW_SORT_COUNT, FALSE, NULL, "domain");
#undef CHECK
}

static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  static const struct { const char *text; const char *name; const char *matched_by; } cases[] = {
    { "ALICE@Example.ORG", "alice@example.org", "name" },
    { "info@example.org", "alice@example.org", "alias" },
    { "bob+lists@example.org", "bob@example.org", "name without +detail" },
    { "bob", "bob@example.org", "local part" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      found = mw_schema_find (f->schema, f->tdb->db, cases[i].text, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (found->kind, ==, MW_FOUND_ACCOUNT);
      g_assert_cmpstr (found->name, ==, cases[i].name);
      g_assert_cmpstr (found->matched_by, ==, cases[i].matched_by);
      g_clear_pointer (&found, mw_found_free);
    }
  found = mw_schema_find (f->schema, f->tdb->db, "Sales@example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->kind, ==, MW_FOUND_FORWARD);
  g_assert_cmpstr (found->targets[0], ==, "boss@elsewhere.net");
  g_clear_pointer (&found, mw_found_free);

  /* A catch-all takes what no other row has; in A-labels as Postfix asks. */
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) VALUES "
                   "(2, '@xn--bcher-kva.example', 'bob@example.org')");
  found = mw_schema_find (f->schema, f->tdb->db, "anyone@bücher.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->name, ==, "bob@example.org");
  g_assert_cmpstr (found->matched_by, ==, "catch-all");
  g_clear_pointer (&found, mw_found_free);

  /* A row another tool stored in mixed case is still found. */
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_users (domain_id, email, password, quota) VALUES "
                   "(1, 'Mixed.Case@example.org', 'x', 0)");
  found = mw_schema_find (f->schema, f->tdb->db, "mixed.case@EXAMPLE.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->name, ==, "Mixed.Case@example.org");
  g_clear_pointer (&found, mw_found_free);

  found = mw_schema_find (f->schema, f->tdb->db, "nobody@example.org", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
}

static void
test_account (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAccount) a = mw_schema_get_account (f->schema, f->tdb->db, f->alice_key, NULL, &error);
  MwAccountAddress *own;
  MwAccountAddress *info;
  MwAccountForward *forward;

  g_assert_no_error (error);
  g_assert_cmpstr (a->name, ==, "alice@example.org");
  g_assert_cmpint (a->quota, ==, 1048576);
  g_assert_cmpstr (a->password_scheme, ==, "SHA512-CRYPT");
  g_assert_true (a->active);
  g_assert_cmpuint (a->aliases->len, ==, 2);
  own = g_ptr_array_index (a->aliases, 0);
  info = g_ptr_array_index (a->aliases, 1);
  g_assert_cmpstr (own->address, ==, "alice@example.org");
  g_assert_true (own->primary);
  g_assert_cmpstr (info->address, ==, "info@example.org");
  g_assert_false (info->primary);
  g_assert_cmpuint (a->forwards->len, ==, 0);

  /* The mailbox's own address is no row: it goes with the mailbox. */
  g_assert_false (mw_schema_delete_address (f->schema, &f->admin, own->key, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_clear_error (&error);
  g_clear_pointer (&a, mw_account_free);

  /* A forward from the mailbox keeps a copy there: Postfix reads the
   * alias rows first. */
  {
    g_autofree char *key = mw_schema_add_forward (f->schema, &f->admin, "alice@example.org", "alice@gmail.example",
                                                  MW_ADDRESS_FLAGS_NONE, -1, &error);

    g_assert_no_error (error);
    g_assert_nonnull (key);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'alice@example.org' AND "
                             "destination IN ('alice@example.org', 'alice@gmail.example') AND domain_id = 1"), ==, 2);
  a = mw_schema_get_account (f->schema, f->tdb->db, f->alice_key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->aliases->len, ==, 2);
  g_assert_cmpuint (a->forwards->len, ==, 1);
  forward = g_ptr_array_index (a->forwards, 0);
  g_assert_cmpstr (forward->address, ==, "alice@example.org");
  g_assert_cmpstr (forward->target, ==, "alice@gmail.example");
}

static void
test_add_account (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(MwAccount) a = NULL;
  g_autoptr(GPtrArray) log = NULL;
  MwNewAccount n = { "Carol@Example.ORG", "carol-secret", NULL, 0, 0, 2097152, "c.jones@example.org", 0 };
  MwAuditEntry *entry;

  key = mw_schema_add_account (f->schema, &f->admin, &n, &error);
  g_assert_no_error (error);
  /* In lowercase, as Postfix asks its maps (PostgreSQL compares with case). */
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users WHERE email = 'carol@example.org' AND "
                             "domain_id = 1 AND quota = 2097152"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'c.jones@example.org' AND "
                             "destination = 'carol@example.org' AND domain_id = 1"), ==, 1);
  stored = string (f, "SELECT password FROM virtual_users WHERE email = 'carol@example.org'");
  g_assert_true (g_str_has_prefix (stored, "{SHA512-CRYPT}$6$"));
  g_assert_true (dovecot_accepts (stored, "carol-secret"));
  g_assert_false (dovecot_accepts (stored, "carol-Secret"));
  a = mw_schema_get_account (f->schema, f->tdb->db, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->name, ==, "carol@example.org");

  /* Taken, also but for case, as Postfix compares. */
  g_assert_true (mw_schema_name_taken (f->schema, f->tdb->db, "CAROL@example.org", &error));
  g_assert_true (mw_schema_name_taken (f->schema, f->tdb->db, "Info@Example.org", &error));
  g_assert_false (mw_schema_name_taken (f->schema, f->tdb->db, "dave@example.org", &error));
  g_assert_no_error (error);

  log = mw_audit_read (0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 1);
  entry = g_ptr_array_index (log, 0);
  g_assert_cmpstr (entry->action, ==, "user.add");
  g_assert_cmpstr (entry->target, ==, "carol@example.org");
  g_assert_null (strstr (entry->after, "$6$"));

  /* With bcrypt chosen. */
  {
    MwNewAccount b = { "dave@bücher.example", "dave-secret", "bcrypt", 4, 0, 0, NULL, 0 };
    g_autofree char *dave = mw_schema_add_account (f->schema, &f->admin, &b, &error);
    g_autofree char *hash = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (dave);
    hash = string (f, "SELECT password FROM virtual_users WHERE email = 'dave@xn--bcher-kva.example' AND domain_id = 2");
    g_assert_true (g_str_has_prefix (hash, "{BLF-CRYPT}$2"));
    g_assert_true (dovecot_accepts (hash, "dave-secret"));
    g_assert_false (dovecot_accepts (hash, "dave-secreT"));
  }
}

/* Where the rows use {BLF-CRYPT} (the tutorial's Debian 13 edition), new passwords do too. */
static void
test_scheme_from_rows (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *blf = hash_of (f->schema, "bcrypt", "x");
  g_autofree char *sql = g_strdup_printf ("UPDATE virtual_users SET password = '%s'", blf);
  g_autofree char *key = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(MwSchema) reopened = NULL;
  MwNewAccount n = { "erin@example.org", "erin-secret", NULL, 0, 0, 0, NULL, 0 };

  mw_test_db_exec (f->tdb, sql);
  key = mw_schema_add_account (f->schema, &f->admin, &n, &error);
  g_assert_no_error (error);
  stored = string (f, "SELECT password FROM virtual_users WHERE email = 'erin@example.org'");
  g_assert_true (g_str_has_prefix (stored, "{BLF-CRYPT}$2"));
  g_assert_true (dovecot_accepts (stored, "erin-secret"));
  reopened = open_schema (f);
  g_assert_cmpstr (mw_schema_get_default_password_scheme (reopened), ==, "bcrypt");
}

static void
assert_refused (Fixture    *f,
                const char *name,
                GQuark      domain,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  MwNewAccount n = { name, "pw", NULL, 0, 0, 0, NULL, 0 };
  g_autofree char *key = mw_schema_add_account (f->schema, &f->admin, &n, &error);

  g_assert_null (key);
  g_assert_error (error, domain, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *longest = g_strdup_printf ("%s@example.org", "abcdefghij0123456789abcdefghij0123456789abcdefghij0123456789abc");
  g_autofree char *too_long = g_strdup_printf ("%s@%s.example.org", "abcdefghij0123456789abcdefghij",
                                               "abcdefghij0123456789abcdefghij0123456789abcdefghij0123456789");
  g_autoptr(GError) error = NULL;

  assert_refused (f, "ALICE@example.org", MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  assert_refused (f, "Info@example.org", MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  assert_refused (f, "carol@unknown.example", MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  assert_refused (f, "carol jones@example.org", MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART);
  assert_refused (f, "carol@", MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL);
  assert_refused (f, "x'; DROP TABLE virtual_users; --@example.org", MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART);
  assert_refused (f, "caf\xc3@example.org", MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_ENCODING);
  assert_refused (f, too_long, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG);
  assert_refused (f, "", MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_EMPTY);

  /* Quotes and semicolons that RFC 5321 allows are stored as text. */
  {
    MwNewAccount n = { "\"o'hara; DROP TABLE virtual_users\"@example.org", "pw", NULL, 0, 0, 0, NULL, 0 };
    g_autofree char *key = mw_schema_add_account (f->schema, &f->admin, &n, &error);

    g_assert_no_error (error);
    g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users"), ==, 3);
  }
  {
    MwNewAccount n = { longest, "pw", NULL, 0, 0, 0, NULL, 0 };
    g_autofree char *key = mw_schema_add_account (f->schema, &f->admin, &n, &error);

    g_assert_no_error (error);
  }

  /* Aliases and forwards: the same rules. */
  {
    g_autofree char *before = snapshot (f);
    g_autofree char *after = NULL;
    g_autofree char *k = NULL;

    k = mw_schema_add_alias (f->schema, &f->admin, f->bob_key, "INFO@example.org", 0, &error);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
    g_clear_error (&error);
    k = mw_schema_add_alias (f->schema, &f->admin, f->bob_key, "Alice@example.org", 0, &error);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
    g_clear_error (&error);
    k = mw_schema_add_alias (f->schema, &f->admin, f->bob_key, "bob@nowhere.example", 0, &error);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
    k = mw_schema_add_alias (f->schema, &f->admin, f->bob_key, "@example.org", 0, &error);
    g_assert_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL);
    g_clear_error (&error);
    k = mw_schema_add_alias (f->schema, &f->admin, f->bob_key, "@.example.org", MW_ADDRESS_ALLOW_CATCH_ALL, &error);
    g_assert_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL);
    g_clear_error (&error);
    k = mw_schema_add_forward (f->schema, &f->admin, "sales@example.org", "|/usr/bin/procmail", 0, -1, &error);
    g_assert_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET);
    g_clear_error (&error);
    k = mw_schema_add_forward (f->schema, &f->admin, "SALES@example.org", "BOSS@elsewhere.net", 0, -1, &error);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
    g_clear_error (&error);
    k = mw_schema_add_forward (f->schema, &f->admin, "sales@example.org", too_long, 0, -1, &error);
    g_assert_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG);
    g_clear_error (&error);
    g_assert_null (k);
    after = snapshot (f);
    g_assert_cmpstr (after, ==, before);
  }
}

static void
test_update (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAccount) a = mw_schema_get_account (f->schema, f->tdb->db, f->alice_key, NULL, &error);
  g_autoptr(MwAccountChange) change = mw_account_change_new ();
  g_autoptr(MwAccountChange) undo = NULL;
  g_autoptr(MwAccountChange) redo = NULL;
  g_autofree char *old = string (f, "SELECT password FROM virtual_users WHERE email = 'alice@example.org'");
  g_autofree char *now = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  change->changes = MW_ACCOUNT_CHANGE_PASSWORD | MW_ACCOUNT_CHANGE_QUOTA;
  change->password = g_strdup ("new-secret");
  change->quota = 5242880;
  change->expected_fingerprint = g_strdup (a->fingerprint);
  undo = mw_schema_update_account (f->schema, &f->admin, f->alice_key, change, &error);
  g_assert_no_error (error);
  now = string (f, "SELECT password FROM virtual_users WHERE email = 'alice@example.org'");
  g_assert_true (g_str_has_prefix (now, "{SHA512-CRYPT}$6$"));
  g_assert_true (dovecot_accepts (now, "new-secret"));
  g_assert_false (dovecot_accepts (now, "alice-secret"));
  g_assert_cmpint (count (f, "SELECT quota FROM virtual_users WHERE email = 'alice@example.org'"), ==, 5242880);

  /* The same change again, from the window's old fingerprint: refused. */
  g_assert_null (mw_schema_update_account (f->schema, &f->admin, f->alice_key, change, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Undo puts back exactly what was there. */
  redo = mw_schema_update_account (f->schema, &f->admin, f->alice_key, undo, &error);
  g_assert_no_error (error);
  g_free (now);
  now = string (f, "SELECT password FROM virtual_users WHERE email = 'alice@example.org'");
  g_assert_cmpstr (now, ==, old);
  g_assert_true (dovecot_accepts (now, "alice-secret"));
  g_assert_cmpint (count (f, "SELECT quota FROM virtual_users WHERE email = 'alice@example.org'"), ==, 1048576);

  /* Another scheme, named as Dovecot names it (mailwarden-cli --scheme passes it on as typed). */
  {
    g_autoptr(MwAccountChange) c = mw_account_change_new ();
    g_autoptr(MwAccountChange) u = NULL;

    c->changes = MW_ACCOUNT_CHANGE_PASSWORD;
    c->password = g_strdup ("blf-secret");
    c->password_scheme = g_strdup ("BLF-CRYPT");
    c->password_rounds = 4;
    u = mw_schema_update_account (f->schema, &f->admin, f->alice_key, c, &error);
    g_assert_no_error (error);
    g_free (now);
    now = string (f, "SELECT password FROM virtual_users WHERE email = 'alice@example.org'");
    g_assert_true (g_str_has_prefix (now, "{BLF-CRYPT}$2b$04$"));
    g_assert_true (dovecot_accepts (now, "blf-secret"));
  }

  /* Refused with nothing changed: a taken address (a new one is a move:
   * test-vmail-move), a group, disabling; a dry run. */
  before = snapshot (f);
  {
    g_autoptr(MwAccountChange) c = mw_account_change_new ();

    c->changes = MW_ACCOUNT_CHANGE_NAME | MW_ACCOUNT_CHANGE_QUOTA;
    c->name = g_strdup ("Bob@example.org");
    g_assert_null (mw_schema_update_account (f->schema, &f->admin, f->alice_key, c, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
    g_clear_error (&error);
    /* The name as the window shows it, unchanged, is no rename. */
    c->changes = MW_ACCOUNT_CHANGE_NAME;
    g_free (c->name);
    c->name = g_strdup ("Alice@EXAMPLE.org");
    {
      MwAdmin dry = f->admin;
      g_autoptr(MwAccountChange) u = NULL;

      dry.dry_run = TRUE;
      u = mw_schema_update_account (f->schema, &dry, f->alice_key, c, &error);
      g_assert_no_error (error);
    }
    c->changes = MW_ACCOUNT_CHANGE_ACTIVE;
    c->active = FALSE;
    g_assert_null (mw_schema_update_account (f->schema, &f->admin, f->alice_key, c, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    g_clear_error (&error);
    c->changes = MW_ACCOUNT_CHANGE_QUOTA;
    c->quota = 7;
    {
      MwAdmin dry = f->admin;
      g_autoptr(MwAccountChange) u = NULL;

      dry.dry_run = TRUE;
      u = mw_schema_update_account (f->schema, &dry, f->alice_key, c, &error);
      g_assert_no_error (error);
      g_assert_nonnull (u);
    }
  }
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  g_autofree char *fwd = NULL;
  MwDeleteSummary s = { 0 };
  MwAdmin dry = f->admin;

  fwd = mw_schema_add_forward (f->schema, &f->admin, "alice@example.org", "alice@gmail.example", 0, -1, &error);
  g_assert_no_error (error);
  before = snapshot (f);
  dry.dry_run = TRUE;
  g_assert_true (mw_schema_delete_accounts (f->schema, &dry, f->alice_key, 0, &s, &error));
  g_assert_no_error (error);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (s.users, ==, 1);
  g_assert_cmpint (s.aliases, ==, 1);
  g_assert_cmpint (s.forwards, ==, 1);
  g_assert_cmpstr (s.maildir, ==, "/var/vmail/example.org/alice/");
  text = mw_delete_summary_describe (&s);
  g_assert_cmpstr (text, ==, "1 mailbox, 1 alias and 1 forward. Its mail is not in the database: remove the "
                             "Maildir /var/vmail/example.org/alice/ on the mail server by hand.");

  memset (&s, 0, sizeof s);
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, f->alice_key, 0, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users WHERE email = 'alice@example.org'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'alice@example.org' OR "
                             "destination = 'alice@example.org'"), ==, 0);
  /* bob and the forward sales@ stay. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases"), ==, 1);
  g_assert_null (mw_schema_get_account (f->schema, f->tdb->db, f->alice_key, NULL, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
}

static void
test_addresses (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *catch_all = NULL;
  g_autoptr(GPtrArray) routes = NULL;
  MwAddressRoute *route;

  alias = mw_schema_add_alias (f->schema, &f->admin, f->bob_key, "Robert@EXAMPLE.org", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'robert@example.org' AND "
                             "destination = 'bob@example.org' AND domain_id = 1"), ==, 1);
  routes = mw_schema_find_routes (f->schema, f->tdb->db, "robert@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (routes->len, ==, 1);
  route = g_ptr_array_index (routes, 0);
  g_assert_cmpstr (route->key, ==, alias);
  g_assert_cmpstr (route->account_key, ==, f->bob_key);
  g_assert_cmpstr (route->account_name, ==, "bob@example.org");
  g_clear_pointer (&routes, g_ptr_array_unref);

  /* Renamed, moved to alice, deleted. */
  g_assert_true (mw_schema_rename_address (f->schema, &f->admin, alias, "rob@bücher.example", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'rob@xn--bcher-kva.example' AND "
                             "destination = 'bob@example.org' AND domain_id = 2"), ==, 1);
  g_assert_true (mw_schema_move_address (f->schema, &f->admin, alias, "ALICE@example.org", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'rob@xn--bcher-kva.example' AND "
                             "destination = 'alice@example.org'"), ==, 1);
  g_assert_true (mw_schema_delete_address (f->schema, &f->admin, alias, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source LIKE 'rob@%'"), ==, 0);
  g_assert_false (mw_schema_delete_address (f->schema, &f->admin, alias, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A forward gets a new target; the catch-all only when asked for. */
  routes = mw_schema_find_routes (f->schema, f->tdb->db, "sales@example.org", &error);
  g_assert_no_error (error);
  route = g_ptr_array_index (routes, 0);
  g_assert_null (route->account_key);
  g_assert_true (mw_schema_retarget_address (f->schema, &f->admin, route->key, "Chef@Elsewhere.NET", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'sales@example.org' AND "
                             "destination = 'chef@elsewhere.net'"), ==, 1);
  catch_all = mw_schema_add_alias (f->schema, &f->admin, f->bob_key, "@bücher.example", MW_ADDRESS_ALLOW_CATCH_ALL,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = '@xn--bcher-kva.example' AND "
                             "destination = 'bob@example.org' AND domain_id = 2"), ==, 1);
}

/* mailwarden-cli on an ISPmail database: the same commands as on DBMail. */
static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  MwTestDb *tdb = f->tdb;
  g_autofree char *uri = tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, tdb->database, tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
  g_autofree char *stored = NULL;

  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "check", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "ISPmail on ");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "users", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "alice@example.org");
    assert_contains (r.out, "bob@example.org");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "user", "Info@example.org", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "alice@example.org");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, "cli-secret\n", "--db", uri, "user", "add", "carol@example.org", "--password-stdin", NULL);
    g_assert_cmpint (r.status, ==, 0);
    stored = string (f, "SELECT password FROM virtual_users WHERE email = 'carol@example.org'");
    g_assert_true (dovecot_accepts (stored, "cli-secret"));
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "user", "set", "carol@example.org", "--quota", "10M", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (count (f, "SELECT quota FROM virtual_users WHERE email = 'carol@example.org'"), ==, 10485760);
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "alias", "add", "carol@example.org", "c@example.org", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'c@example.org' AND "
                               "destination = 'carol@example.org'"), ==, 1);
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "export", "users", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "name,domain,quota,password_scheme,number\r\n");
    assert_contains (r.out, "carol@example.org,example.org,10485760,SHA512-CRYPT,");
    g_assert_null (strstr (r.out, "$6$"));
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "export", "aliases", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "address,user,number\r\n");
    assert_contains (r.out, "c@example.org,carol@example.org,");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "user", "delete", "--dry-run", "carol@example.org", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "/var/vmail/example.org/carol/");
    g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users WHERE email = 'carol@example.org'"), ==, 1);
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "user", "delete", "carol@example.org", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users WHERE email = 'carol@example.org'"), ==, 0);
  }
}

/* What Postfix finds (postmap -q with the tutorial's maps) and whether
 * Dovecot lets the mailbox log in (doveadm auth test with its
 * dovecot-sql.conf.ext), for mailboxes, aliases and forwards made here. */
static char *
postmap (MwTestVmail *v,
         const char  *map,
         const char  *key)
{
  char *value = mw_test_vmail_postmap (v, map, key);
  g_auto(GStrv) items = NULL;

  if (value == NULL)
    return g_strdup ("NULL");
  /* One row per target: in any order. */
  items = g_strsplit (value, ",", -1);
  g_free (value);
  for (guint i = 0; items[i] != NULL; i++)
    for (guint k = i + 1; items[k] != NULL; k++)
      if (strcmp (items[k], items[i]) < 0)
        {
          char *t = items[i];

          items[i] = items[k];
          items[k] = t;
        }
  return g_strjoinv (",", items);
}

#define assert_postmap(v, map, key, expected) \
  G_STMT_START { \
    g_autofree char *_value = postmap ((v), (map), (key)); \
    g_assert_cmpstr (_value, ==, (expected)); \
  } G_STMT_END

static void
test_consumers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwTestVmail) v = mw_test_vmail_new (f->tdb, MW_TEST_VMAIL_ISPMAIL);
  MwNewAccount dana = { "Dana@Example.ORG", "dana-secret", NULL, 0, 0, 3145728, "D.Smith@example.org", 0 };
  MwNewAccount emil = { "emil@bücher.example", "emil-secret", "bcrypt", 4, 0, 0, NULL, 0 };
  g_autofree char *dana_key = mw_schema_add_account (f->schema, &f->admin, &dana, &error);
  g_autofree char *emil_key = NULL;
  g_autofree char *forward = NULL;
  g_autofree char *quota = NULL;
  g_autoptr(MwAccountChange) change = mw_account_change_new ();
  g_autoptr(MwAccountChange) undo = NULL;
  g_autoptr(MwAccountChange) redo = NULL;

  g_assert_no_error (error);
  emil_key = mw_schema_add_account (f->schema, &f->admin, &emil, &error);
  g_assert_no_error (error);

  /* Postfix: the mailboxes, and where the alias goes. */
  assert_postmap (v, "virtual_mailbox_domains", "xn--bcher-kva.example", "1");
  assert_postmap (v, "virtual_mailbox_maps", "dana@example.org", "1");
  assert_postmap (v, "virtual_mailbox_maps", "emil@xn--bcher-kva.example", "1");
  assert_postmap (v, "virtual_alias_maps", "d.smith@example.org", "dana@example.org");
  assert_postmap (v, "virtual_alias_maps", "dana@example.org", "dana@example.org");   /* email2email */

  /* Dovecot: the passwords as written, in both schemes; the quota. */
  g_assert_true (mw_test_vmail_auth (v, "dana@example.org", "dana-secret", NULL));
  g_assert_false (mw_test_vmail_auth (v, "dana@example.org", "Dana-secret", NULL));
  g_assert_true (mw_test_vmail_auth (v, "emil@xn--bcher-kva.example", "emil-secret", NULL));
  g_assert_false (mw_test_vmail_auth (v, "emil@xn--bcher-kva.example", "dana-secret", NULL));
  quota = mw_test_vmail_userdb (v, "dana@example.org", "quota_rule");
  g_assert_cmpstr (quota, ==, "*:bytes=3145728");

  /* A new password logs in, the old one no more; Undo brings it back. */
  change->changes = MW_ACCOUNT_CHANGE_PASSWORD;
  change->password = g_strdup ("dana-new");
  undo = mw_schema_update_account (f->schema, &f->admin, dana_key, change, &error);
  g_assert_no_error (error);
  g_assert_true (mw_test_vmail_auth (v, "dana@example.org", "dana-new", NULL));
  g_assert_false (mw_test_vmail_auth (v, "dana@example.org", "dana-secret", NULL));
  redo = mw_schema_update_account (f->schema, &f->admin, dana_key, undo, &error);
  g_assert_no_error (error);
  g_assert_true (mw_test_vmail_auth (v, "dana@example.org", "dana-secret", NULL));

  /* A forward from the mailbox: Postfix sends it out and keeps a copy. */
  forward = mw_schema_add_forward (f->schema, &f->admin, "dana@example.org", "dana@elsewhere.example", 0, -1, &error);
  g_assert_no_error (error);
  assert_postmap (v, "virtual_alias_maps", "dana@example.org", "dana@elsewhere.example,dana@example.org");

  /* Deleted: Postfix no longer finds it, Dovecot refuses it. */
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, dana_key, 0, NULL, &error));
  g_assert_no_error (error);
  assert_postmap (v, "virtual_mailbox_maps", "dana@example.org", "NULL");
  assert_postmap (v, "virtual_alias_maps", "dana@example.org", "NULL");
  assert_postmap (v, "virtual_alias_maps", "d.smith@example.org", "NULL");
  g_assert_false (mw_test_vmail_auth (v, "dana@example.org", "dana-secret", NULL));
}

/* A refusal that names an international domain or address shows it as
 * people type it, not in its xn-- form; default aliases are PostfixAdmin's. */
static void
test_unicode_refusals (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAccount) emil = NULL;
  g_autoptr(MwAccountChange) change = mw_account_change_new ();
  g_autofree char *key = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  MwNewAccount missing = { "anna@müller.example", "anna-secret", NULL, 0, 0, 0, NULL, 0 };
  MwNewAccount idn = { "emil@bücher.example", "emil-secret", NULL, 0, 0, 0, NULL, 0 };
  MwDomainChange settings = { 0 };

  g_assert_null (mw_schema_add_account (f->schema, &f->admin, &missing, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The domain “müller.example” is not in this database: Postfix would not "
                                       "accept mail for it. Add the domain first.");
  g_clear_error (&error);

  key = mw_schema_add_account (f->schema, &f->admin, &idn, &error);
  g_assert_no_error (error);
  emil = mw_schema_get_account (f->schema, f->tdb->db, key, NULL, &error);
  g_assert_no_error (error);
  mw_test_db_exec (f->tdb, "UPDATE virtual_users SET quota = 1 WHERE email = 'emil@xn--bcher-kva.example'");
  change->changes = MW_ACCOUNT_CHANGE_QUOTA;
  change->quota = 2;
  change->expected_fingerprint = g_strdup (emil->fingerprint);
  g_assert_null (mw_schema_update_account (f->schema, &f->admin, key, change, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "The account “emil@bücher.example” was changed in the database after this "
                                       "window loaded it. Reload it to see the changes, then make yours again.");
  g_clear_error (&error);

  before = snapshot (f);
  settings.default_aliases_to = "admin@example.org";
  g_assert_null (mw_schema_add_domain (f->schema, &f->admin, "neu.example", &settings, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_clear_error (&error);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
}

typedef struct
{
  MwSchema           *schema;
  MwAdmin            *admin;
  const MwNewAccount *account;
  char               *key;
  GError             *error;
} Race;

static gpointer
race_add (gpointer data)
{
  Race *r = data;

  r->key = mw_schema_add_account (r->schema, r->admin, r->account, &r->error);
  return NULL;
}

/* Two sessions add the same mailbox at the same moment: the second is
 * told what it would be told a moment later, not the unique key's error.
 * The other session's row waits uncommitted until our add waits for it. */
static void
test_add_race (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDb) other = mw_db_connect (f->tdb->settings, NULL, &error);
  g_autoptr(MwDb) watch = mw_db_connect (f->tdb->settings, NULL, &error);
  const char *waiting = f->tdb->driver == MW_DB_DRIVER_PGSQL
                          ? "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            "AND datname = current_database()"
                          : "SELECT count(*) FROM information_schema.PROCESSLIST WHERE db = DATABASE() "
                            "AND id <> CONNECTION_ID() AND info LIKE 'INSERT%'";
  MwNewAccount account = { "race@bücher.example", "race-secret", NULL, 0, 0, 0, NULL, 0 };
  Race r = { f->schema, &f->admin, &account, NULL, NULL };
  g_autofree char *password = NULL;
  GThread *thread;
  guint i;

  g_assert_no_error (error);
  g_assert_true (mw_db_begin (other, &error));
  {
    g_autoptr(MwDbResult) done = mw_db_exec (other, "INSERT INTO virtual_users (domain_id, email, password, quota) "
                                                    "VALUES (2, 'race@xn--bcher-kva.example', 'theirs', 0)",
                                             NULL, 0, NULL, &error);

    g_assert_no_error (error);
  }
  thread = g_thread_new ("race", race_add, &r);
  /* At most 30 s: an add that never waits fails the test. */
  for (i = 0; i < 1500; i++)
    {
      g_autoptr(MwDbResult) n = mw_db_exec (watch, waiting, NULL, 0, NULL, &error);

      g_assert_no_error (error);
      if (mw_db_result_get_int64 (n, 0, 0) > 0)
        break;
      g_usleep (20000);
    }
  g_assert_cmpuint (i, <, 1500);
  g_assert_true (mw_db_commit (other, &error));
  g_thread_join (thread);

  g_assert_null (r.key);
  g_assert_error (r.error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_assert_cmpstr (r.error->message, ==, "The address “race@bücher.example” is taken: the mailbox "
                                         "“race@bücher.example” has it.");
  g_clear_error (&r.error);
  password = string (f, "SELECT password FROM virtual_users WHERE email = 'race@xn--bcher-kva.example'");
  g_assert_cmpstr (password, ==, "theirs");
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  audit_path = mw_test_private_audit_log ();

#define ADD(path, func) \
  G_STMT_START { \
    g_test_add ("/pg/ispmail/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), fixture_set_up, func, \
                fixture_tear_down); \
    g_test_add ("/mysql/ispmail/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_MYSQL), fixture_set_up, func, \
                fixture_tear_down); \
  } G_STMT_END

  ADD ("open", test_open);
  ADD ("lists", test_lists);
  ADD ("find", test_find);
  ADD ("account", test_account);
  ADD ("add-account", test_add_account);
  ADD ("scheme-from-rows", test_scheme_from_rows);
  ADD ("bad-input", test_bad_input);
  ADD ("update", test_update);
  ADD ("delete", test_delete);
  ADD ("addresses", test_addresses);
  ADD ("cli", test_cli);
  ADD ("consumers", test_consumers);
  ADD ("unicode-refusals", test_unicode_refusals);
  ADD ("add-race", test_add_race);
#undef ADD

  return mw_test_run ();
}
