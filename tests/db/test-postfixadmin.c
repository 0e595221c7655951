/* test-postfixadmin.c: the PostfixAdmin flavour (MwPostfixadminSchema)
 * through the schema interface, on PostfixAdmin 3.3.13's own tables
 * (sql/postfixadmin) on PostgreSQL and MariaDB: lists, find, every change
 * and the rows it leaves (mailbox, alias, PostfixAdmin's log), the domain's
 * limits, bad input refused with nothing changed, the real Postfix and
 * Dovecot reading what was written (mw-test-vmail.h), and mailwarden-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account.h"
#include "mw-schema.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
} Fixture;

static const char *audit_path;

static const char *const tables[] = {
  "admin", "alias", "alias_domain", "config", "domain", "domain_admins", "fetchmail", "log", "mailbox", "quota",
  "quota2", "vacation", "vacation_notification",
};

static void
load_schema (MwTestDb   *tdb,
             const char *prefix)
{
  mw_test_vmail_load_schema (tdb, "postfixadmin");
  for (guint i = 0; prefix != NULL && i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *rename = g_strdup_printf ("ALTER TABLE %s RENAME TO %s%s", tables[i], prefix, tables[i]);

      mw_test_db_exec (tdb, rename);
    }
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

static char *
string (Fixture    *f,
        const char *sql)
{
  return mw_test_db_string (f->tdb, sql);
}

/* Every row Mailwarden could touch, to show that a refused change left them as they were. */
static char *
snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT domain, mailboxes, aliases, maxquota, quota FROM domain ORDER BY domain",
                          out);
  mw_test_db_append_rows (f->tdb->db, "SELECT username, password, name, maildir, quota, local_part, domain, "
                          "CASE WHEN active THEN 1 ELSE 0 END FROM mailbox ORDER BY username", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT address, goto, domain, CASE WHEN active THEN 1 ELSE 0 END FROM alias "
                          "ORDER BY address", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT count(*) FROM log", out);
  return g_string_free (out, FALSE);
}

static void
add_domain (MwTestDb   *tdb,
            const char *domain,
            int         mailboxes,
            int         aliases,
            int         maxquota,
            int         quota,
            const char *active)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, "
                                          "quota, transport, backupmx, active) VALUES ('%s', 'Ümlaut domain', %d, "
                                          "%d, %d, %d, 'virtual', '0', '%s')",
                                          domain, aliases, mailboxes, maxquota, quota, active);

  mw_test_db_exec (tdb, sql);
}

/* As PostfixAdmin's MailboxHandler writes a mailbox: its row and its own alias. */
static void
add_mailbox (MwTestDb   *tdb,
             const char *local,
             const char *domain,
             const char *password,
             gint64      quota)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO mailbox (username, password, name, maildir, quota, local_part, "
                                          "domain, active) VALUES ('%s@%s', '%s', 'Jürgen %s', '%s/%s/', "
                                          "%" G_GINT64_FORMAT ", '%s', '%s', '1')",
                                          local, domain, password, local, domain, local, quota, local, domain);
  g_autofree char *alias = g_strdup_printf ("INSERT INTO alias (address, goto, domain, active) "
                                            "VALUES ('%s@%s', '%s@%s', '%s', '1')", local, domain, local, domain,
                                            domain);

  mw_test_db_exec (tdb, sql);
  mw_test_db_exec (tdb, alias);
}

static MwSchema *
open_schema (MwTestDb *tdb)
{
  g_autoptr(GError) error = NULL;
  MwSchema *schema = mw_schema_open (tdb->db, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (MW_IS_SCHEMA (schema));
  g_assert_cmpint (mw_schema_get_info (schema)->kind, ==, MW_SCHEMA_POSTFIXADMIN);
  return schema;
}

/* example.org (at most 3 mailboxes, 4 aliases, 100 MB a mailbox, 250 MB in
 * all) with alice (PostfixAdmin's default md5crypt, 50 MB) and bob
 * ({SHA512-CRYPT}, 100 MB); info@ goes to alice and outside; off.example
 * disabled; the superadmins' pseudo-domain ALL. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *md5 = mw_test_vmail_hash ("MD5-CRYPT", "alice-secret");
  g_autofree char *sha = mw_test_vmail_hash ("SHA512-CRYPT", "bob-secret");

  g_remove (audit_path);
  f->tdb = mw_test_db_new (data, FALSE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  load_schema (f->tdb, NULL);
  add_domain (f->tdb, "ALL", 0, 0, 0, 0, "1");
  add_domain (f->tdb, "example.org", 3, 4, 100, 250, "1");
  add_domain (f->tdb, "off.example", 0, 0, 0, 0, "0");
  add_domain (f->tdb, "xn--bcher-kva.example", 0, 0, 0, 0, "1");
  add_mailbox (f->tdb, "alice", "example.org", md5 + strlen ("{MD5-CRYPT}"), 50 * 1024000);
  add_mailbox (f->tdb, "bob", "example.org", sha, 100 * 1024000);
  mw_test_db_exec (f->tdb, "INSERT INTO alias (address, goto, domain, active) "
                   "VALUES ('info@example.org', 'alice@example.org,boss@elsewhere.net', 'example.org', '1')");
  mw_test_db_exec (f->tdb, "INSERT INTO quota2 (username, bytes, messages) VALUES ('alice@example.org', 2048000, 3)");
  f->schema = open_schema (f->tdb);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->schema);
  mw_test_db_free (f->tdb);
}

/* The values of one column of a list, in list order, one row a page. */
static char *
list_column (MwSchema   *schema,
             MwDb       *db,
             MwListKind  kind,
             MwListSort  sort,
             gboolean    descending,
             const char *search,
             const char *column_id)
{
  MwListRequest request = { kind, sort, descending, search, FALSE, 0 };
  const MwListColumn *column = mw_list_info_find_column (mw_schema_get_list (schema, kind), column_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = mw_schema_list_query (schema, &request, &error);
  g_autoptr(MwDbResult) page = NULL;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (column);
  for (;;)
    {
      MwDbResult *next = mw_list_query_fetch_next (query, db, page, 1, NULL, &error);
      MwListValue value = { 0 };
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_clear_pointer (&page, mw_db_result_unref);
      page = next;
      if (mw_db_result_get_n_rows (page) == 0)
        break;
      mw_list_column_read (column, page, 0, &value);
      text = value.is_null ? g_strdup ("NULL") : g_strdup (value.text);
      g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", text);
    }
  return g_string_free (out, FALSE);
}

#define CHECK(expected, ...) \
  G_STMT_START { \
    g_autofree char *s_ = list_column (f->schema, f->tdb->db, __VA_ARGS__); \
    g_assert_cmpstr (s_, ==, expected); \
  } G_STMT_END

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *description = mw_schema_describe (f->schema);
  guint n;
  const MwPasswordScheme *schemes = mw_schema_get_password_schemes (f->schema, &n);

  g_assert_true (g_str_has_prefix (description, "PostfixAdmin 3.3 (schema 1847) on "));
  g_assert_cmpint (mw_schema_get_capabilities (f->schema), ==,
                   MW_SCHEMA_CAN_WRITE | MW_SCHEMA_CAN_DOMAINS_TABLE | MW_SCHEMA_CAN_QUOTA | MW_SCHEMA_CAN_DISABLE |
                   MW_SCHEMA_CAN_FORWARDS | MW_SCHEMA_CAN_VACATION | MW_SCHEMA_CAN_IMPORT);
  g_assert_false (mw_schema_can (f->schema, MW_SCHEMA_CAN_RENAME));
  g_assert_cmpstr (mw_schema_get_list (f->schema, MW_LIST_USERS)->title, ==, "Mailboxes");
  g_assert_null (mw_schema_get_list (f->schema, MW_LIST_GROUPS));
  /* The only prefixed row is bob's {SHA512-CRYPT}; alice's bare md5crypt is
   * read, never written. */
  g_assert_cmpstr (mw_schema_get_default_password_scheme (f->schema), ==, "sha512-crypt");
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpstr (schemes[0].name, ==, "sha512-crypt");
  g_assert_cmpstr (mw_schema_lookup_password_scheme (f->schema, "dovecot:BLF-CRYPT", NULL)->name, ==, "bcrypt");
  g_assert_null (mw_schema_lookup_password_scheme (f->schema, "md5-crypt", NULL));
}

static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  CHECK ("alice@example.org bob@example.org", MW_LIST_USERS, MW_SORT_NAME, FALSE, NULL, "name");
  CHECK ("bob@example.org alice@example.org", MW_LIST_USERS, MW_SORT_NAME, TRUE, NULL, "name");
  CHECK ("Jürgen alice Jürgen bob", MW_LIST_USERS, MW_SORT_NAME, FALSE, NULL, "full_name");
  CHECK ("51200000 102400000", MW_LIST_USERS, MW_SORT_QUOTA, FALSE, NULL, "quota");
  /* quota2: Dovecot's usage where it reports it. */
  CHECK ("0 2048000", MW_LIST_USERS, MW_SORT_MAIL_SIZE, FALSE, NULL, "used");
  CHECK ("1 1", MW_LIST_USERS, MW_SORT_NAME, FALSE, NULL, "enabled");
  CHECK ("bob@example.org", MW_LIST_USERS, MW_SORT_NAME, FALSE, "jürgen b", "name");
  CHECK ("", MW_LIST_USERS, MW_SORT_NAME, FALSE, "100%", "name");
  /* One row per target; the mailboxes' own rows are not aliases. */
  CHECK ("info@example.org", MW_LIST_ALIASES, MW_SORT_NAME, FALSE, NULL, "address");
  CHECK ("alice@example.org", MW_LIST_ALIASES, MW_SORT_NAME, FALSE, NULL, "user");
  CHECK ("boss@elsewhere.net", MW_LIST_FORWARDS, MW_SORT_NAME, FALSE, NULL, "target");
  CHECK ("", MW_LIST_FORWARDS, MW_SORT_NAME, FALSE, "alice", "target");
  /* Domains: not ALL; counts as PostfixAdmin's (aliases less mailboxes). */
  CHECK ("example.org off.example xn--bcher-kva.example", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "domain");
  CHECK ("2 0 0", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "mailboxes");
  CHECK ("1 0 0", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "aliases");
  CHECK ("3 0 0", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "mailbox_limit");
  CHECK ("153600000 0 0", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "quota_given");
  CHECK ("1 0 1", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "enabled");
  CHECK ("Ümlaut domain Ümlaut domain Ümlaut domain", MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "description");
  CHECK ("off.example xn--bcher-kva.example example.org", MW_LIST_DOMAINS, MW_SORT_COUNT, FALSE, NULL, "domain");

  /* Keys of list rows are what the operations take. */
  {
    MwListRequest request = { MW_LIST_FORWARDS, MW_SORT_NAME, FALSE, NULL, FALSE, 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(MwListQuery) query = mw_schema_list_query (f->schema, &request, &error);
    g_autoptr(MwDbResult) page = mw_list_query_fetch_next (query, f->tdb->db, NULL, 10, NULL, &error);
    g_autoptr(MwRecord) record = mw_record_new (0);
    g_autofree char *key = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (mw_db_result_get_n_rows (page), ==, 1);
    _mw_record_set_row (record, page, 0);
    key = mw_schema_list_row_key (f->schema, MW_LIST_FORWARDS, record);
    g_assert_cmpstr (key, ==, "alias:info@example.org>boss@elsewhere.net");
  }
}

/* The rowkeys of @page's rows, each followed by a space. */
static void
append_keys (GString    *out,
             MwDbResult *page)
{
  int col = mw_db_result_find_col (page, "rowkey");

  g_assert_cmpint (col, >=, 0);
  for (guint i = 0; i < mw_db_result_get_n_rows (page); i++)
    g_string_append_printf (out, "%s ", mw_db_result_get_string (page, i, (guint) col));
}

/* Every way the paged model reads a page gives @expected's rows (rowkeys,
 * each followed by a space) in list order: the whole list a page after
 * another, pages by OFFSET from either end, pages from and before the page
 * anchors. */
static void
check_paging (Fixture             *f,
              const MwListRequest *request,
              const char *const   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = mw_schema_list_query (f->schema, request, &error);
  g_autoptr(MwDbResult) anchors = NULL;
  guint n = g_strv_length ((char **) expected);

  g_assert_no_error (error);
  g_assert_cmpint (mw_list_query_count (query, f->tdb->db, NULL, NULL), ==, n);
  for (guint size = 1; size <= 3; size++)
    {
      g_autoptr(GString) all = g_string_new (NULL);
      g_autoptr(GString) want = g_string_new (NULL);
      g_autoptr(MwDbResult) page = NULL;

      for (;;)
        {
          MwDbResult *next = mw_list_query_fetch_next (query, f->tdb->db, page, size, NULL, &error);

          g_assert_no_error (error);
          g_clear_pointer (&page, mw_db_result_unref);
          page = next;
          if (mw_db_result_get_n_rows (page) == 0)
            break;
          append_keys (all, page);
        }
      for (guint i = 0; i < n; i++)
        g_string_append_printf (want, "%s ", expected[i]);
      g_assert_cmpstr (all->str, ==, want->str);

      for (guint offset = 0; offset < n; offset++)
        for (guint reverse = 0; reverse < 2; reverse++)
          {
            g_autoptr(MwDbResult) rows = mw_list_query_fetch_offset (query, f->tdb->db, offset, size, reverse,
                                                                     NULL, &error);
            g_autoptr(GString) got = g_string_new (NULL);
            g_autoptr(GString) slice = g_string_new (NULL);
            /* reverse: counted from the end, in list order */
            guint first = reverse ? (offset + size >= n ? 0 : n - offset - size) : offset;
            guint last = reverse ? n - offset : MIN (n, offset + size);

            g_assert_no_error (error);
            append_keys (got, rows);
            for (guint i = first; i < last; i++)
              g_string_append_printf (slice, "%s ", expected[i]);
            g_assert_cmpstr (got->str, ==, slice->str);
          }
    }

  anchors = mw_list_query_fetch_anchors (query, f->tdb->db, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_db_result_get_n_rows (anchors), ==, (n + 2) / 3);
  for (guint a = 0; a < mw_db_result_get_n_rows (anchors); a++)
    {
      MwDbValue sort = mw_db_result_get_value (anchors, a, 0);
      MwDbValue key = mw_db_result_get_value (anchors, a, 1);
      g_autoptr(MwDbResult) from = mw_list_query_fetch_after (query, f->tdb->db, &sort, &key, TRUE, FALSE, 3,
                                                              NULL, &error);
      g_autoptr(MwDbResult) before = NULL;
      g_autoptr(GString) got = g_string_new (NULL);
      g_autoptr(GString) slice = g_string_new (NULL);

      g_assert_no_error (error);
      append_keys (got, from);
      for (guint i = a * 3; i < MIN (n, a * 3 + 3); i++)
        g_string_append_printf (slice, "%s ", expected[i]);
      g_assert_cmpstr (got->str, ==, slice->str);

      before = mw_list_query_fetch_after (query, f->tdb->db, &sort, &key, FALSE, TRUE, 3, NULL, &error);
      g_assert_no_error (error);
      g_string_truncate (got, 0);
      g_string_truncate (slice, 0);
      append_keys (got, before);
      for (guint i = a > 0 ? a * 3 - 3 : 0; i < a * 3; i++)
        g_string_append_printf (slice, "%s ", expected[i]);
      g_assert_cmpstr (got->str, ==, slice->str);
    }
}

/* Alias rows of one target and of several (with blanks, an empty one, more than eight, a
 * mailbox's own address among them), forwards, and a mailbox that keeps
 * a copy and forwards: the Aliases and Forwards lists read in pages of
 * any size, from either end and from the anchors, give the same rows in
 * the same order (MariaDB reads the alias rows a page needs by their key
 * first, then splits their targets). */
static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  static const char *const aliases[] = {
    "alias:a1@example.org>bob@example.org", "alias:a2@example.org>alice@example.org",
    "alias:a2@example.org>bob@example.org", "alias:a4@example.org>alice@example.org",
    "alias:a5@example.org>alice@example.org", "alias:a5@example.org>bob@example.org",
    "alias:a6@example.org>alice@example.org",
    "alias:info@example.org>alice@example.org", "alias:z0@example.org>bob@example.org", NULL,
  };
  static const char *const aliases_down[] = {
    "alias:z0@example.org>bob@example.org", "alias:info@example.org>alice@example.org",
    "alias:a6@example.org>alice@example.org", "alias:a5@example.org>bob@example.org", "alias:a5@example.org>alice@example.org",
    "alias:a4@example.org>alice@example.org", "alias:a2@example.org>bob@example.org",
    "alias:a2@example.org>alice@example.org", "alias:a1@example.org>bob@example.org", NULL,
  };
  static const char *const forwards[] = {
    "alias:a2@example.org>out1@far.net", "alias:a3@example.org>out2@far.net",
    "alias:a4@example.org>a4@example.org",
    "alias:a6@example.org>f1@far.net", "alias:a6@example.org>f2@far.net", "alias:a6@example.org>f3@far.net",
    "alias:a6@example.org>f4@far.net", "alias:a6@example.org>f5@far.net", "alias:a6@example.org>f6@far.net",
    "alias:a6@example.org>f7@far.net", "alias:a6@example.org>f8@far.net", "alias:carol@example.org>out3@far.net",
    "alias:info@example.org>boss@elsewhere.net", NULL,
  };
  static const char *const found[] = {
    "alias:a5@example.org>alice@example.org", "alias:a5@example.org>bob@example.org", NULL,
  };
  static const char *const by_target[] = {
    "alias:a2@example.org>alice@example.org", "alias:a4@example.org>alice@example.org",
    "alias:a5@example.org>alice@example.org", "alias:a6@example.org>alice@example.org",
    "alias:info@example.org>alice@example.org", "alias:a1@example.org>bob@example.org", "alias:a2@example.org>bob@example.org",
    "alias:a5@example.org>bob@example.org", "alias:z0@example.org>bob@example.org", NULL,
  };

  add_mailbox (f->tdb, "carol", "example.org", "x", 0);
  mw_test_db_exec (f->tdb, "UPDATE alias SET goto = 'carol@example.org,out3@far.net' "
                   "WHERE address = 'carol@example.org'");
  mw_test_db_exec (f->tdb, "INSERT INTO alias (address, goto, domain, active) VALUES "
                   "('a1@example.org', 'bob@example.org', 'example.org', '1'), "
                   "('a2@example.org', 'alice@example.org, bob@example.org,out1@far.net', 'example.org', '1'), "
                   "('a3@example.org', 'out2@far.net', 'example.org', '1'), "
                   "('a4@example.org', 'a4@example.org,alice@example.org', 'example.org', '1'), "
                   "('a5@example.org', 'bob@example.org,alice@example.org', 'example.org', '1'), "
                   "('z0@example.org', ',bob@example.org', 'example.org', '1'), "
                   /* more than eight targets, the mailbox last */
                   "('a6@example.org', 'f1@far.net,f2@far.net,f3@far.net,f4@far.net,f5@far.net,f6@far.net,"
                   "f7@far.net,f8@far.net,alice@example.org', 'example.org', '1')");

  check_paging (f, &(MwListRequest) { .kind = MW_LIST_ALIASES, .sort = MW_SORT_NAME }, aliases);
  check_paging (f, &(MwListRequest) { .kind = MW_LIST_ALIASES, .sort = MW_SORT_NAME, .descending = TRUE },
                aliases_down);
  check_paging (f, &(MwListRequest) { .kind = MW_LIST_FORWARDS, .sort = MW_SORT_NAME }, forwards);
  check_paging (f, &(MwListRequest) { .kind = MW_LIST_ALIASES, .sort = MW_SORT_NAME, .search = "A5@" }, found);
  check_paging (f, &(MwListRequest) { .kind = MW_LIST_ALIASES, .sort = MW_SORT_OWNER }, by_target);
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
  g_autoptr(MwAccount) account = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MwFound) found = mw_schema_find (f->schema, f->tdb->db, cases[i].text, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (found->kind, ==, MW_FOUND_ACCOUNT);
      g_assert_cmpstr (found->key, ==, cases[i].name);
      g_assert_cmpstr (found->matched_by, ==, cases[i].matched_by);
    }
  g_assert_null (mw_schema_find (f->schema, f->tdb->db, "nobody@example.org", NULL, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* alice: her own address first, info@ delivers to her; md5crypt read. */
  account = mw_schema_get_account (f->schema, f->tdb->db, "alice@example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->name, ==, "alice@example.org");
  g_assert_cmpint (account->quota, ==, 51200000);
  g_assert_cmpint (account->used, ==, 2048000);
  g_assert_true (account->active);
  g_assert_cmpstr (account->password_scheme, ==, "MD5-CRYPT");
  g_assert_nonnull (account->stored_scheme);
  g_assert_cmpstr (account->stored_scheme->name, ==, "md5-crypt");
  g_assert_cmpuint (account->aliases->len, ==, 2);
  g_assert_cmpstr (((MwAccountAddress *) account->aliases->pdata[0])->key, ==, "mailbox:alice@example.org");
  g_assert_true (((MwAccountAddress *) account->aliases->pdata[0])->primary);
  g_assert_cmpstr (((MwAccountAddress *) account->aliases->pdata[1])->address, ==, "info@example.org");
  g_assert_cmpuint (account->forwards->len, ==, 0);
}

static void
assert_log (Fixture    *f,
            const char *expected)
{
  GString *out = g_string_new (NULL);
  g_autofree char *text = NULL;

  mw_test_db_append_rows (f->tdb->db, "SELECT username, domain, action, data FROM log ORDER BY id", out);
  text = g_string_free (out, FALSE);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_add_account (Fixture       *f,
                  gconstpointer  data)
{
  MwNewAccount account = { "Carol@Example.ORG", "carol-secret", NULL, 0, 0, 20 * 1024000, "c.smith@example.org", 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *password = NULL;
  g_autofree char *row = NULL;
  g_autofree char *self_alias = NULL;
  g_autofree char *alias = NULL;

  key = mw_schema_add_account (f->schema, &f->admin, &account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "carol@example.org");
  row = string (f, "SELECT CONCAT(username, '|', name, '|', maildir, '|', quota, '|', local_part, '|', domain, '|', "
                   "CASE WHEN active THEN 1 ELSE 0 END, '|', CASE WHEN created IS NOT NULL AND modified IS NOT NULL "
                   "AND created > '2001-01-01' THEN 'dated' ELSE 'undated' END) FROM mailbox "
                   "WHERE username = 'carol@example.org'");
  g_assert_cmpstr (row, ==, "carol@example.org||example.org/carol/|20480000|carol|example.org|1|dated");
  password = string (f, "SELECT password FROM mailbox WHERE username = 'carol@example.org'");
  g_assert_true (g_str_has_prefix (password, "{SHA512-CRYPT}$6$"));
  self_alias = string (f, "SELECT CONCAT(goto, '|', domain, '|', CASE WHEN active THEN 1 ELSE 0 END) FROM alias "
                          "WHERE address = 'carol@example.org'");
  g_assert_cmpstr (self_alias, ==, "carol@example.org|example.org|1");
  alias = string (f, "SELECT goto FROM alias WHERE address = 'c.smith@example.org'");
  g_assert_cmpstr (alias, ==, "carol@example.org");
  /* PostfixAdmin's log, as its db_log() writes it for the same change. */
  assert_log (f, "test (Mailwarden)|example.org|create_alias|carol@example.org|\n"
                 "test (Mailwarden)|example.org|create_mailbox|carol@example.org|\n"
                 "test (Mailwarden)|example.org|create_alias|c.smith@example.org|\n");
  g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE timestamp IS NULL OR timestamp < '2001-01-01'"), ==, 0);
  CHECK ("alice@example.org bob@example.org carol@example.org", MW_LIST_USERS, MW_SORT_NAME, FALSE, NULL, "name");
  CHECK ("c.smith@example.org info@example.org", MW_LIST_ALIASES, MW_SORT_NAME, FALSE, NULL, "address");

  /* International domains are stored in A-labels. */
  {
    MwNewAccount intl = { "emil@bücher.example", "emil-secret", "bcrypt", 4, 0, 0, NULL, 0 };
    g_autofree char *emil = mw_schema_add_account (f->schema, &f->admin, &intl, &error);
    g_autofree char *stored = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (emil, ==, "emil@xn--bcher-kva.example");
    stored = string (f, "SELECT password FROM mailbox WHERE username = 'emil@xn--bcher-kva.example'");
    g_assert_true (g_str_has_prefix (stored, "{BLF-CRYPT}$2"));
  }
}

static void
assert_refused (Fixture    *f,
                const char *name,
                gint64      quota,
                GQuark      domain,
                int         code,
                const char *message_part)
{
  MwNewAccount account = { name, "secret", NULL, 0, 0, quota, NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autofree char *key = mw_schema_add_account (f->schema, &f->admin, &account, &error);

  g_assert_null (key);
  g_assert_error (error, domain, code);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” not in “%s”", message_part, error->message);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  MwNewAccount ok = { "dave@example.org", "secret", NULL, 0, 0, 100 * 1024000, NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  /* Max quota per mailbox: 100 MB; no unlimited mailbox. */
  assert_refused (f, "dave@example.org", 101 * 1024000, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, "at most 100 MB");
  assert_refused (f, "dave@example.org", 0, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, "no unlimited mailbox");
  /* Domain quota: 250 MB, 150 given. */
  key = mw_schema_add_account (f->schema, &f->admin, &ok, &error);
  g_assert_no_error (error);
  g_clear_pointer (&key, g_free);
  /* 3 mailboxes now, the limit. */
  assert_refused (f, "erin@example.org", 1024000, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                  "has 3 mailboxes, as many as its limit allows");
  mw_test_db_exec (f->tdb, "UPDATE domain SET mailboxes = 10 WHERE domain = 'example.org'");
  assert_refused (f, "erin@example.org", 1024000, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, "this quota does not fit");
  /* Taken, also differing in case; unknown, disabled domains; bad text. */
  assert_refused (f, "ALICE@example.org", 1024000, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS, "a mailbox has it");
  assert_refused (f, "Info@Example.org", 0, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, NULL);
  mw_test_db_exec (f->tdb, "UPDATE domain SET quota = 0, maxquota = 0 WHERE domain = 'example.org'");
  assert_refused (f, "Info@Example.org", 0, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS, "alias or a forward");
  assert_refused (f, "x@nowhere.example", 0, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, "is not in this database");
  assert_refused (f, "x@off.example", 0, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, "is disabled");
  assert_refused (f, "jürgen@example.org", 0, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART, "plain ASCII");
  assert_refused (f, "x'; DROP TABLE mailbox; --@example.org", 0, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART, NULL);
  assert_refused (f, "a,b@example.org", 0, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART, NULL);
  assert_refused (f, "\xff\xfe@example.org", 0, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, "UTF-8");
  assert_refused (f, "@example.org", 0, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL, NULL);
  g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox"), ==, 3);
}

static void
test_update (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(MwTestVmail) v = mw_test_vmail_new (f->tdb, MW_TEST_VMAIL_POSTFIXADMIN);
  g_autoptr(MwAccountChange) change = mw_account_change_new ();
  g_autoptr(MwAccountChange) undo = NULL;
  g_autoptr(MwAccountChange) redo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old = string (f, "SELECT password FROM mailbox WHERE username = 'alice@example.org'");
  g_autofree char *now = NULL;

  /* PostfixAdmin's bare md5crypt logs in; a new password gets {SHA512-CRYPT}. */
  g_assert_true (mw_test_vmail_auth (v, "alice@example.org", "alice-secret", NULL));
  change->changes = MW_ACCOUNT_CHANGE_PASSWORD | MW_ACCOUNT_CHANGE_QUOTA;
  change->password = g_strdup ("alice-new");
  change->quota = 60 * 1024000;
  undo = mw_schema_update_account (f->schema, &f->admin, "alice@example.org", change, &error);
  g_assert_no_error (error);
  now = string (f, "SELECT password FROM mailbox WHERE username = 'alice@example.org'");
  g_assert_true (g_str_has_prefix (now, "{SHA512-CRYPT}$6$"));
  g_assert_cmpint (count (f, "SELECT quota FROM mailbox WHERE username = 'alice@example.org'"), ==, 61440000);
  g_assert_true (mw_test_vmail_auth (v, "alice@example.org", "alice-new", NULL));
  g_assert_false (mw_test_vmail_auth (v, "alice@example.org", "alice-secret", NULL));
  assert_log (f, "test (Mailwarden)|example.org|edit_alias|alice@example.org|\n"
                 "test (Mailwarden)|example.org|edit_mailbox|alice@example.org|\n");

  /* Undo writes the old string back as it was. */
  redo = mw_schema_update_account (f->schema, &f->admin, "alice@example.org", undo, &error);
  g_assert_no_error (error);
  g_clear_pointer (&now, g_free);
  now = string (f, "SELECT password FROM mailbox WHERE username = 'alice@example.org'");
  g_assert_cmpstr (now, ==, old);
  g_assert_true (mw_test_vmail_auth (v, "alice@example.org", "alice-secret", NULL));
  /* A stale undo is refused. */
  g_assert_null (mw_schema_update_account (f->schema, &f->admin, "alice@example.org", undo, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Over the domain's max quota: refused, nothing changed. */
  {
    g_autoptr(MwAccountChange) big = mw_account_change_new ();
    g_autofree char *before = snapshot (f);
    g_autofree char *after = NULL;

    big->changes = MW_ACCOUNT_CHANGE_QUOTA;
    big->quota = 200 * 1024000;
    g_assert_null (mw_schema_update_account (f->schema, &f->admin, "alice@example.org", big, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    g_clear_error (&error);
    big->changes = MW_ACCOUNT_CHANGE_NAME;
    big->name = g_strdup ("alicia@example.org");
    g_assert_null (mw_schema_update_account (f->schema, &f->admin, "alice@example.org", big, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    g_clear_error (&error);
    after = snapshot (f);
    g_assert_cmpstr (after, ==, before);
  }

  /* A domain already over its quota: a smaller quota is still allowed. */
  {
    g_autoptr(MwAccountChange) smaller = mw_account_change_new ();
    g_autoptr(MwAccountChange) back = NULL;

    mw_test_db_exec (f->tdb, "UPDATE domain SET quota = 100 WHERE domain = 'example.org'");
    smaller->changes = MW_ACCOUNT_CHANGE_QUOTA;
    smaller->quota = 40 * 1024000;
    back = mw_schema_update_account (f->schema, &f->admin, "alice@example.org", smaller, &error);
    g_assert_no_error (error);
    g_assert_cmpint (count (f, "SELECT quota FROM mailbox WHERE username = 'alice@example.org'"), ==, 40960000);
  }

  /* Disabled: the mailbox and its own alias; Dovecot and Postfix refuse it. */
  {
    g_autoptr(MwAccountChange) off = mw_account_change_new ();
    g_autoptr(MwAccountChange) on = NULL;
    g_autofree char *mailbox = NULL;

    off->changes = MW_ACCOUNT_CHANGE_ACTIVE;
    off->active = FALSE;
    on = mw_schema_update_account (f->schema, &f->admin, "alice@example.org", off, &error);
    g_assert_no_error (error);
    g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox WHERE username = 'alice@example.org' AND active"), ==,
                     0);
    g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE address = 'alice@example.org' AND active"), ==, 0);
    g_assert_false (mw_test_vmail_auth (v, "alice@example.org", "alice-secret", NULL));
    mailbox = mw_test_vmail_postmap (v, "virtual_mailbox_maps", "alice@example.org");
    g_assert_null (mailbox);
    g_clear_pointer (&undo, mw_account_change_free);
    undo = mw_schema_update_account (f->schema, &f->admin, "alice@example.org", on, &error);
    g_assert_no_error (error);
    g_assert_true (mw_test_vmail_auth (v, "alice@example.org", "alice-secret", NULL));
  }
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  MwDeleteSummary summary = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;

  mw_test_db_exec (f->tdb, "UPDATE alias SET goto = 'bob@example.org,x@elsewhere.net' "
                   "WHERE address = 'bob@example.org'");
  /* A dry run changes nothing. */
  f->admin.dry_run = TRUE;
  g_clear_pointer (&before, g_free);
  before = snapshot (f);
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, "alice@example.org", 0, &summary, &error));
  g_assert_no_error (error);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  f->admin.dry_run = FALSE;

  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, "bob@example.org", 0, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.users, ==, 1);
  g_assert_cmpint (summary.forwards, ==, 1);
  g_assert_cmpint (summary.maildirs, ==, 1);
  g_assert_cmpstr (summary.maildir, ==, "/var/mail/vmail/example.org/bob/");
  g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox WHERE username = 'bob@example.org'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE address = 'bob@example.org'"), ==, 0);
  assert_log (f, "test (Mailwarden)|example.org|delete_mailbox|bob@example.org|\n");

  /* alice's quota2 row goes with her; info@ keeps naming her, as in PostfixAdmin. */
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, "alice@example.org", 0, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM quota2"), ==, 0);
  info = string (f, "SELECT goto FROM alias WHERE address = 'info@example.org'");
  g_assert_cmpstr (info, ==, "alice@example.org,boss@elsewhere.net");

  g_assert_false (mw_schema_delete_accounts (f->schema, &f->admin, "alice@example.org", 0, &summary, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
}

static void
test_addresses (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *go_to = NULL;
  g_autoptr(GPtrArray) routes = NULL;

  /* An alias to a second mailbox: info@ fans out. */
  key = mw_schema_add_alias (f->schema, &f->admin, "bob@example.org", "INFO@example.org", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "alias:info@example.org>bob@example.org");
  go_to = string (f, "SELECT goto FROM alias WHERE address = 'info@example.org'");
  g_assert_cmpstr (go_to, ==, "alice@example.org,boss@elsewhere.net,bob@example.org");
  CHECK ("alice@example.org bob@example.org", MW_LIST_ALIASES, MW_SORT_OWNER, FALSE, NULL, "user");
  routes = mw_schema_find_routes (f->schema, f->tdb->db, "info@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (routes->len, ==, 3);
  g_assert_cmpstr (((MwAddressRoute *) routes->pdata[2])->account_key, ==, "bob@example.org");
  g_assert_null (((MwAddressRoute *) routes->pdata[1])->account_key);

  /* Forward and keep from a mailbox's own address: the mailbox stays last. */
  g_clear_pointer (&key, g_free);
  key = mw_schema_add_forward (f->schema, &f->admin, "alice@example.org", "a@elsewhere.net", 0, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&go_to, g_free);
  go_to = string (f, "SELECT goto FROM alias WHERE address = 'alice@example.org'");
  g_assert_cmpstr (go_to, ==, "a@elsewhere.net,alice@example.org");

  /* The mailbox's own target cannot go. */
  g_assert_false (mw_schema_delete_address (f->schema, &f->admin, "mailbox:alice@example.org", &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (mw_schema_delete_address (f->schema, &f->admin, "alias:alice@example.org>alice@example.org",
                                            &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_clear_error (&error);

  /* Retarget, delete one target, delete the last target: the row goes. */
  g_assert_true (mw_schema_retarget_address (f->schema, &f->admin, "alias:info@example.org>boss@elsewhere.net",
                                             "Chief@Elsewhere.net", &error));
  g_assert_no_error (error);
  g_clear_pointer (&go_to, g_free);
  go_to = string (f, "SELECT goto FROM alias WHERE address = 'info@example.org'");
  g_assert_cmpstr (go_to, ==, "alice@example.org,chief@elsewhere.net,bob@example.org");
  /* Moved to bob, who is there already: refused; back to alice's place otherwise. */
  g_assert_false (mw_schema_move_address (f->schema, &f->admin, "alias:info@example.org>alice@example.org",
                                          "bob@example.org", &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (mw_schema_move_address (f->schema, &f->admin, "alias:c.x@example.org>alice@example.org",
                                         "bob@example.org", &error) == FALSE);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (mw_schema_delete_address (f->schema, &f->admin, "alias:info@example.org>alice@example.org", &error));
  g_assert_true (mw_schema_delete_address (f->schema, &f->admin, "alias:info@example.org>bob@example.org", &error));
  g_assert_true (mw_schema_delete_address (f->schema, &f->admin, "alias:info@example.org>chief@elsewhere.net",
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE address = 'info@example.org'"), ==, 0);
  assert_log (f, "test (Mailwarden)|example.org|edit_alias|info@example.org|\n"
                 "test (Mailwarden)|example.org|edit_alias|alice@example.org|\n"
                 "test (Mailwarden)|example.org|edit_alias|info@example.org|\n"
                 "test (Mailwarden)|example.org|edit_alias|info@example.org|\n"
                 "test (Mailwarden)|example.org|edit_alias|info@example.org|\n"
                 "test (Mailwarden)|example.org|delete_alias|info@example.org|\n");

  /* A catch-all only when asked; then the domain's alias limit (4). */
  {
    g_autofree char *before = snapshot (f);
    g_autofree char *after = NULL;

    g_assert_null (mw_schema_add_alias (f->schema, &f->admin, "bob@example.org", "@example.org", 0, &error));
    g_assert_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL);
    g_clear_error (&error);
    g_assert_null (mw_schema_add_alias (f->schema, &f->admin, "bob@example.org", "alice@example.org", 0, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
    g_clear_error (&error);
    g_assert_null (mw_schema_add_forward (f->schema, &f->admin, "x@example.org", "|/bin/sh", 0, 0, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_null (mw_schema_add_forward (f->schema, &f->admin, "x@off.example", "x@elsewhere.net", 0, 0, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    g_clear_error (&error);
    g_assert_null (mw_schema_add_forward (f->schema, &f->admin, "x@nowhere.example", "x@elsewhere.net", 0, 0,
                                          &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_null (mw_schema_add_forward (f->schema, &f->admin, "x@example.org", "a,b@elsewhere.net", 0, 0, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    after = snapshot (f);
    g_assert_cmpstr (after, ==, before);
  }
  g_clear_pointer (&key, g_free);
  key = mw_schema_add_alias (f->schema, &f->admin, "bob@example.org", "@example.org", MW_ADDRESS_ALLOW_CATCH_ALL,
                             &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "alias:@example.org>bob@example.org");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *address = g_strdup_printf ("a%u@example.org", i);
      g_autofree char *k = mw_schema_add_alias (f->schema, &f->admin, "bob@example.org", address, 0, &error);

      g_assert_no_error (error);
    }
  g_assert_null (mw_schema_add_alias (f->schema, &f->admin, "bob@example.org", "a9@example.org", 0, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "has 4 aliases"));
}

/* $CONF['database_prefix'] = 'pfa_': every statement names the prefixed tables. */
static void
test_prefix (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  MwAdmin admin = { tdb->db, "test", FALSE };
  MwNewAccount account = { "carol@example.org", "carol-secret", NULL, 0, 0, 0, "c@example.org", 0 };
  g_autoptr(MwAccountChange) change = mw_account_change_new ();
  g_autoptr(MwAccountChange) undo = NULL;
  g_autofree char *key = NULL;
  g_autofree char *forward = NULL;
  g_autofree char *list = NULL;
  MwDeleteSummary summary = { 0 };

  load_schema (tdb, "pfa_");
  mw_test_db_exec (tdb, "INSERT INTO pfa_domain (domain, description, transport) VALUES ('example.org', '', '')");
  schema = open_schema (tdb);
  g_assert_cmpstr (mw_schema_get_info (schema)->prefix, ==, "pfa_");
  key = mw_schema_add_account (schema, &admin, &account, &error);
  g_assert_no_error (error);
  forward = mw_schema_add_forward (schema, &admin, "c@example.org", "out@elsewhere.net", 0, 0, &error);
  g_assert_no_error (error);
  change->changes = MW_ACCOUNT_CHANGE_QUOTA | MW_ACCOUNT_CHANGE_ACTIVE;
  change->quota = 1024000;
  undo = mw_schema_update_account (schema, &admin, key, change, &error);
  g_assert_no_error (error);
  list = list_column (schema, tdb->db, MW_LIST_USERS, MW_SORT_NAME, FALSE, NULL, "name");
  g_assert_cmpstr (list, ==, "carol@example.org");
  g_clear_pointer (&list, g_free);
  list = list_column (schema, tdb->db, MW_LIST_FORWARDS, MW_SORT_NAME, FALSE, NULL, "target");
  g_assert_cmpstr (list, ==, "out@elsewhere.net");
  g_clear_pointer (&list, g_free);
  list = list_column (schema, tdb->db, MW_LIST_DOMAINS, MW_SORT_NAME, FALSE, NULL, "mailboxes");
  g_assert_cmpstr (list, ==, "1");
  g_assert_true (mw_schema_delete_accounts (schema, &admin, key, 0, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM pfa_log"), ==, 7);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM pfa_mailbox"), ==, 0);
}

/* mailwarden-cli on a PostfixAdmin database: the same commands as on DBMail. */
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
  g_autoptr(MwTestVmail) v = mw_test_vmail_new (f->tdb, MW_TEST_VMAIL_POSTFIXADMIN);

#define CLI(status_, input, ...) \
  g_auto(MwTestRun) r = { 0 }; \
  mw_test_run_cli (&r, input, "--db", uri, __VA_ARGS__, NULL); \
  g_assert_cmpint (r.status, ==, status_)

  { CLI (0, NULL, "check"); assert_contains (r.out, "PostfixAdmin 3.3 (schema 1847) on "); }
  { CLI (0, NULL, "users"); assert_contains (r.out, "alice@example.org"); assert_contains (r.out, "bob@example.org"); }
  { CLI (0, NULL, "user", "Info@example.org"); assert_contains (r.out, "alice@example.org"); }
  {
    CLI (0, "cli-secret\n", "user", "add", "carol@example.org", "--password-stdin", "--quota", "10M");
    g_assert_true (mw_test_vmail_auth (v, "carol@example.org", "cli-secret", NULL));
    g_assert_cmpint (count (f, "SELECT quota FROM mailbox WHERE username = 'carol@example.org'"), ==, 10485760);
  }
  {
    CLI (0, NULL, "user", "set", "carol@example.org", "--quota", "20M");
    g_assert_cmpint (count (f, "SELECT quota FROM mailbox WHERE username = 'carol@example.org'"), ==, 20971520);
  }
  {
    /* The domain's limit: 100 MB of 1024000 bytes. */
    CLI (1, NULL, "user", "set", "carol@example.org", "--quota", "200M");
    assert_contains (r.err, "at most 100 MB");
  }
  {
    CLI (0, NULL, "user", "set", "carol@example.org", "--disable");
    g_assert_false (mw_test_vmail_auth (v, "carol@example.org", "cli-secret", NULL));
  }
  {
    CLI (0, NULL, "alias", "add", "carol@example.org", "c@example.org");
    g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE address = 'c@example.org' AND "
                               "goto = 'carol@example.org'"), ==, 1);
  }
  { CLI (0, NULL, "aliases"); assert_contains (r.out, "c@example.org"); }
  {
    CLI (0, NULL, "forward", "add", "carol@example.org", "carol@elsewhere.net");
    g_autofree char *go_to = string (f, "SELECT goto FROM alias WHERE address = 'carol@example.org'");

    g_assert_cmpstr (go_to, ==, "carol@elsewhere.net,carol@example.org");
  }
  { CLI (0, NULL, "forwards"); assert_contains (r.out, "carol@elsewhere.net"); }
  { CLI (0, NULL, "domains"); assert_contains (r.out, "xn--bcher-kva.example"); g_assert_null (strstr (r.out, "ALL")); }
  {
    CLI (0, NULL, "forward", "delete", "carol@example.org", "carol@elsewhere.net");
    g_autofree char *go_to = string (f, "SELECT goto FROM alias WHERE address = 'carol@example.org'");

    g_assert_cmpstr (go_to, ==, "carol@example.org");
  }
  {
    CLI (0, NULL, "alias", "delete", "c@example.org");
    g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE address = 'c@example.org'"), ==, 0);
  }
  {
    CLI (0, NULL, "export", "users");
    assert_contains (r.out, "carol@example.org,,example.org,20971520,0,0,");
    g_assert_null (strstr (r.out, "$6$"));
  }
  {
    CLI (0, NULL, "user", "delete", "--dry-run", "carol@example.org");
    assert_contains (r.out, "/var/mail/vmail/example.org/carol/");
    g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox WHERE username = 'carol@example.org'"), ==, 1);
  }
  {
    CLI (0, NULL, "user", "delete", "carol@example.org");
    g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox WHERE username = 'carol@example.org'"), ==, 0);
    g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE address = 'carol@example.org'"), ==, 0);
  }
#undef CLI
}

/* PostfixAdmin's own code (Debian's package, its scripts/postfixadmin-cli
 * and handler classes) on a copy of it configured for the test database
 * (mw_test_vmail_postfixadmin_copy()), hashing passwords as Dovecot does. */
#define DOVECOT_CONF "$CONF['encrypt'] = 'dovecot:SHA512-CRYPT';\n$CONF['dovecotpw'] = '/usr/bin/doveadm pw';\n"

/* `php scripts/postfixadmin-cli.php ARGS`: its output; the exit status must be 0. */
static char *
postfixadmin_cli (const char  *dir,
                  const char  *first,
                  ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *script = g_build_filename (dir, "scripts", "postfixadmin-cli.php", NULL);
  int status = -1;
  va_list ap;

  g_ptr_array_add (argv, (char *) "php");
  g_ptr_array_add (argv, script);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("postfixadmin-cli failed:\n%s%s", out, err);
  return g_strconcat (out, err, NULL);
}

static void
test_postfixadmin_reads (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *dir = mw_test_vmail_postfixadmin_copy (f->tdb, DOVECOT_CONF);
  MwNewAccount account = { "carol@example.org", "carol-secret", NULL, 0, 0, 20 * 1024000, "c@example.org", 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *forward = NULL;
  g_autofree char *out = NULL;

  key = mw_schema_add_account (f->schema, &f->admin, &account, &error);
  g_assert_no_error (error);
  forward = mw_schema_add_forward (f->schema, &f->admin, "carol@example.org", "carol@elsewhere.net", 0, 0, &error);
  g_assert_no_error (error);

  /* What Mailwarden wrote, as PostfixAdmin shows it. */
  out = postfixadmin_cli (dir, "mailbox", "view", "carol@example.org", NULL);
  g_test_message ("%s", out);
  assert_contains (out, "carol@example.org");
  g_assert_null (strstr (out, "Pass expires: 2000-01-01"));
  g_clear_pointer (&out, g_free);
  out = postfixadmin_cli (dir, "alias", "view", "c@example.org", NULL);
  g_test_message ("%s", out);
  assert_contains (out, "carol@example.org");
  g_clear_pointer (&out, g_free);
  out = postfixadmin_cli (dir, "alias", "view", "carol@example.org", NULL);
  g_test_message ("%s", out);
  assert_contains (out, "carol@elsewhere.net");
  g_clear_pointer (&out, g_free);
  out = postfixadmin_cli (dir, "domain", "view", "example.org", NULL);
  g_test_message ("%s", out);
  assert_contains (out, "example.org");

  /* And the reverse: a mailbox PostfixAdmin made, as Mailwarden reads it. */
  mw_test_db_exec (f->tdb, "UPDATE domain SET mailboxes = 10 WHERE domain = 'example.org'");
  g_clear_pointer (&out, g_free);
  out = postfixadmin_cli (dir, "mailbox", "add", "frank@example.org", "--password", "frank-Secret12",
                          "--password2", "frank-Secret12", "--name", "Frank Müller", "--quota", "10", NULL);
  g_test_message ("%s", out);
  {
    g_autoptr(MwAccount) frank = mw_schema_get_account (f->schema, f->tdb->db, "frank@example.org", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (frank->quota, ==, 10 * 1024000);
    g_assert_true (frank->active);
    g_assert_cmpstr (((MwAccountAddress *) frank->aliases->pdata[0])->address, ==, "frank@example.org");
  }
  CHECK ("Jürgen alice Jürgen bob  Frank Müller", MW_LIST_USERS, MW_SORT_NAME, FALSE, NULL, "full_name");

  /* The copy goes (its parent is the temporary directory made for it). */
  {
    g_autofree char *parent = g_path_get_dirname (dir);

    mw_test_vmail_postfixadmin_remove (dir);
    g_assert_false (g_file_test (parent, G_FILE_TEST_EXISTS));
  }
}

/* The real Postfix and Dovecot, with PostfixAdmin's documented queries,
 * read what Mailwarden wrote. */
static void
test_consumers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(MwTestVmail) v = mw_test_vmail_new (f->tdb, MW_TEST_VMAIL_POSTFIXADMIN);
  MwNewAccount account = { "dana@example.org", "dana-secret", NULL, 0, 0, 3 * 1024000, "d.smith@example.org", 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *forward = NULL;
  g_autofree char *value = NULL;

  key = mw_schema_add_account (f->schema, &f->admin, &account, &error);
  g_assert_no_error (error);

#define POSTMAP(map, k, expected) \
  G_STMT_START { \
    g_autofree char *got_ = mw_test_vmail_postmap (v, map, k); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

  POSTMAP ("virtual_mailbox_maps", "dana@example.org", "example.org/dana/");
  POSTMAP ("virtual_alias_maps", "dana@example.org", "dana@example.org");
  POSTMAP ("virtual_alias_maps", "d.smith@example.org", "dana@example.org");
  g_assert_true (mw_test_vmail_auth (v, "dana@example.org", "dana-secret", NULL));
  g_assert_false (mw_test_vmail_auth (v, "dana@example.org", "Dana-secret", NULL));
  value = mw_test_vmail_userdb (v, "dana@example.org", "quota_rule");
  g_assert_cmpstr (value, ==, "*:bytes=3072000");
  g_clear_pointer (&value, g_free);
  value = mw_test_vmail_userdb (v, "dana@example.org", "home");
  g_assert_cmpstr (value, ==, "/var/mail/vmail/example.org/dana/");

  forward = mw_schema_add_forward (f->schema, &f->admin, "dana@example.org", "dana@elsewhere.example", 0, 0, &error);
  g_assert_no_error (error);
  POSTMAP ("virtual_alias_maps", "dana@example.org", "dana@elsewhere.example,dana@example.org");

  /* A catch-all asked for. */
  g_clear_pointer (&forward, g_free);
  forward = mw_schema_add_alias (f->schema, &f->admin, key, "@example.org", MW_ADDRESS_ALLOW_CATCH_ALL, &error);
  g_assert_no_error (error);
  POSTMAP ("virtual_alias_maps", "@example.org", "dana@example.org");

  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, key, 0, NULL, &error));
  g_assert_no_error (error);
  POSTMAP ("virtual_mailbox_maps", "dana@example.org", NULL);
  POSTMAP ("virtual_alias_maps", "dana@example.org", NULL);
  g_assert_false (mw_test_vmail_auth (v, "dana@example.org", "dana-secret", NULL));
#undef POSTMAP
}

/* A new domain with $CONF['default_aliases'] (DomainHandler::postSave()):
 * only when asked, all four to the address given (a local part alone: in
 * the new domain), in the domain's own transaction, with no log row of
 * their own; Postfix then delivers them there. */
static void
test_default_aliases (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(MwTestVmail) v = mw_test_vmail_new (f->tdb, MW_TEST_VMAIL_POSTFIXADMIN);
  g_autoptr(GError) error = NULL;
  MwDomainChange settings = { 0 };
  g_autofree char *plain = NULL;
  g_autofree char *key = NULL;
  g_autofree char *local = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *mapped = NULL;
  GString *rows = g_string_new (NULL);
  g_autofree char *text = NULL;

  /* Not asked for: the domain alone, as before. */
  plain = mw_schema_add_domain (f->schema, &f->admin, "plain.example", &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE domain = 'plain.example'"), ==, 0);

  settings.default_aliases_to = "Admin@Example.ORG";
  key = mw_schema_add_domain (f->schema, &f->admin, "neu.example", &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "neu.example");
  mw_test_db_append_rows (f->tdb->db, "SELECT address, goto, domain, CASE WHEN active THEN 1 ELSE 0 END, "
                          "CASE WHEN created > '2001-01-01' AND modified > '2001-01-01' THEN 'dated' ELSE "
                          "'undated' END FROM alias WHERE domain = 'neu.example' ORDER BY address", rows);
  text = g_string_free (rows, FALSE);
  g_assert_cmpstr (text, ==, "abuse@neu.example|admin@example.org|neu.example|1|dated|\n"
                             "hostmaster@neu.example|admin@example.org|neu.example|1|dated|\n"
                             "postmaster@neu.example|admin@example.org|neu.example|1|dated|\n"
                             "webmaster@neu.example|admin@example.org|neu.example|1|dated|\n");
  /* PostfixAdmin writes them with db_insert(): its log has the domain's row only. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE domain = 'neu.example'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE domain = 'neu.example' AND action = 'create_domain'"),
                   ==, 1);
  mapped = mw_test_vmail_postmap (v, "virtual_alias_maps", "postmaster@neu.example");
  g_assert_cmpstr (mapped, ==, "admin@example.org");

  /* A local part alone goes to the new domain, as in config.inc.php. */
  settings.default_aliases_to = "it";
  local = mw_schema_add_domain (f->schema, &f->admin, "drei.example", &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE domain = 'drei.example' AND goto = 'it@drei.example'"),
                   ==, 4);

  /* One of themselves, or no address: refused with nothing added. */
  before = snapshot (f);
  settings.default_aliases_to = "postmaster";
  g_assert_null (mw_schema_add_domain (f->schema, &f->admin, "vier.example", &settings, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“postmaster@vier.example”, which is one of them"));
  g_clear_error (&error);
  settings.default_aliases_to = "two@@example.org";
  g_assert_null (mw_schema_add_domain (f->schema, &f->admin, "vier.example", &settings, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (count (f, "SELECT count(*) FROM domain WHERE domain = 'vier.example'"), ==, 0);

  /* mailwarden-cli domain add --default-aliases ADDRESS. */
  {
    MwTestDb *tdb = f->tdb;
    g_autofree char *uri = tdb->driver == MW_DB_DRIVER_PGSQL
      ? g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, tdb->database, tdb->settings->socket)
      : g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "add", "fünf.example", "--default-aliases", "admin@example.org", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Added the domain fünf.example (stored as xn--fnf-hoa.example).");
    assert_contains (r.out, "Its abuse, hostmaster, postmaster and webmaster addresses go to admin@example.org.");
    g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE domain = 'xn--fnf-hoa.example' "
                               "AND goto = 'admin@example.org'"), ==, 4);
  }
}

/* A refusal that names an international domain or address shows it as
 * people type it, not in its xn-- form. */
static void
test_unicode_refusals (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MwNewAccount unlimited = { "emil@bücher.example", "emil-secret", NULL, 0, 0, 0, NULL, 0 };
  MwNewAccount missing = { "anna@müller.example", "anna-secret", NULL, 0, 0, 1024000, NULL, 0 };

#define REFUSED(call, code, expected) \
  G_STMT_START { \
    g_assert_null (call); \
    g_assert_error (error, MW_SCHEMA_ERROR, code); \
    g_assert_cmpstr (error->message, ==, expected); \
    g_clear_error (&error); \
  } G_STMT_END

  REFUSED (mw_schema_add_account (f->schema, &f->admin, &missing, &error), MW_SCHEMA_ERROR_NOT_FOUND,
           "The domain “müller.example” is not in this database: Postfix would not accept mail for it. "
           "Add the domain first.");
  mw_test_db_exec (f->tdb, "UPDATE domain SET maxquota = 10 WHERE domain = 'xn--bcher-kva.example'");
  REFUSED (mw_schema_add_account (f->schema, &f->admin, &unlimited, &error), MW_SCHEMA_ERROR_REFUSED,
           "The domain “bücher.example” allows no unlimited mailbox: give it a quota of at most 10 MB.");
  REFUSED (mw_schema_add_alias (f->schema, &f->admin, "gone@xn--bcher-kva.example", "info@example.org",
                                MW_ADDRESS_FLAGS_NONE, &error), MW_SCHEMA_ERROR_NOT_FOUND,
           "There is no mailbox “gone@bücher.example”; someone may have deleted it.");
  mw_test_db_exec (f->tdb, "UPDATE domain SET active = '0' WHERE domain = 'xn--bcher-kva.example'");
  REFUSED (mw_schema_add_alias (f->schema, &f->admin, "alice@example.org", "info@bücher.example",
                                MW_ADDRESS_FLAGS_NONE, &error), MW_SCHEMA_ERROR_REFUSED,
           "The domain “bücher.example” is disabled: enable it before changing its aliases.");
#undef REFUSED
}

typedef struct
{
  MwSchema           *schema;
  MwAdmin            *admin;
  const MwNewAccount *account;     /* adds this mailbox, or */
  const char         *account_key; /* an alias of this one: */
  const char         *address;
  char               *key;
  GError             *error;
} Race;

static gpointer
race_add (gpointer data)
{
  Race *r = data;

  if (r->account != NULL)
    r->key = mw_schema_add_account (r->schema, r->admin, r->account, &r->error);
  else
    r->key = mw_schema_add_alias (r->schema, r->admin, r->account_key, r->address, MW_ADDRESS_FLAGS_NONE, &r->error);
  return NULL;
}

/* @r's add, while another session has written @sql (the same address) in a
 * transaction it commits only once the add waits for that row's lock (on
 * MariaDB: runs the statement @waits_in, as LIKE). */
static void
race (Fixture           *f,
      Race              *r,
      const char *const *sql,
      const char        *waits_in)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDb) other = mw_db_connect (f->tdb->settings, NULL, &error);
  g_autoptr(MwDb) watch = mw_db_connect (f->tdb->settings, NULL, &error);
  g_autofree char *waiting = f->tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup ("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()")
    : g_strdup_printf ("SELECT count(*) FROM information_schema.PROCESSLIST WHERE db = DATABASE() "
                       "AND id <> CONNECTION_ID() AND info LIKE '%s'", waits_in);
  GThread *thread;
  guint i;

  g_assert_no_error (error);
  g_assert_true (mw_db_begin (other, &error));
  for (i = 0; sql[i] != NULL; i++)
    {
      g_autoptr(MwDbResult) done = mw_db_exec (other, sql[i], NULL, 0, NULL, &error);

      g_assert_no_error (error);
    }
  thread = g_thread_new ("race", race_add, r);
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
}

/* Two sessions add the same address at the same moment: the one that
 * comes second is told what it would be told a moment later (the server's
 * unique key, which refused its row, is not what it reads). */
static void
test_add_race (Fixture       *f,
               gconstpointer  data)
{
  static const char *const mailbox[] = {
    "INSERT INTO alias (address, goto, domain, active) VALUES ('race@xn--bcher-kva.example', "
    "'race@xn--bcher-kva.example', 'xn--bcher-kva.example', '1')",
    "INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) VALUES "
    "('race@xn--bcher-kva.example', 'theirs', 'Other', 'xn--bcher-kva.example/race/', 0, 'race', "
    "'xn--bcher-kva.example', '1')",
    NULL
  };
  static const char *const alias[] = {
    "INSERT INTO alias (address, goto, domain, active) VALUES ('team@xn--bcher-kva.example', 'boss@elsewhere.net', "
    "'xn--bcher-kva.example', '1')",
    NULL
  };
  MwNewAccount account = { "race@bücher.example", "race-secret", NULL, 0, 0, 0, NULL, 0 };
  Race r = { f->schema, &f->admin, &account, NULL, NULL, NULL, NULL };
  Race a = { f->schema, &f->admin, NULL, "alice@example.org", "team@bücher.example", NULL, NULL };
  g_autofree char *password = NULL;
  g_autofree char *go_to = NULL;

  race (f, &r, mailbox, "INSERT%");
  g_assert_null (r.key);
  g_assert_error (r.error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_assert_cmpstr (r.error->message, ==, "The address “race@bücher.example” is taken: a mailbox has it.");
  g_clear_error (&r.error);
  password = string (f, "SELECT password FROM mailbox WHERE username = 'race@xn--bcher-kva.example'");
  g_assert_cmpstr (password, ==, "theirs");
  g_assert_cmpint (count (f, "SELECT count(*) FROM log"), ==, 0);

  /* An alias row added meanwhile: ours joins it, as it would a moment later. */
  race (f, &a, alias, "SELECT address, domain, goto FROM alias%");
  g_assert_no_error (a.error);
  g_assert_cmpstr (a.key, ==, "alias:team@xn--bcher-kva.example>alice@example.org");
  g_free (a.key);
  go_to = string (f, "SELECT goto FROM alias WHERE address = 'team@xn--bcher-kva.example'");
  g_assert_cmpstr (go_to, ==, "boss@elsewhere.net,alice@example.org");
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  audit_path = mw_test_private_audit_log ();

#define ADD(path, func) \
  G_STMT_START { \
    g_test_add ("/pg/postfixadmin/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), fixture_set_up, func, \
                fixture_tear_down); \
    g_test_add ("/mysql/postfixadmin/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_MYSQL), fixture_set_up, func, \
                fixture_tear_down); \
  } G_STMT_END

  ADD ("open", test_open);
  ADD ("lists", test_lists);
  ADD ("paging", test_paging);
  ADD ("find", test_find);
  ADD ("add-account", test_add_account);
  ADD ("limits", test_limits);
  ADD ("update", test_update);
  ADD ("delete", test_delete);
  ADD ("addresses", test_addresses);
  ADD ("consumers", test_consumers);
  ADD ("cli", test_cli);
  ADD ("postfixadmin-reads", test_postfixadmin_reads);
  ADD ("default-aliases", test_default_aliases);
  ADD ("unicode-refusals", test_unicode_refusals);
  ADD ("add-race", test_add_race);
#undef ADD
  mw_test_add_both ("/postfixadmin/prefix", test_prefix);

  return mw_test_run ();
}
