/* test-alias-domains.c: PostfixAdmin's alias domains (mw-alias-domains.h)
 * and its lists of alias domains, vacations and domain admins, on
 * PostfixAdmin 3.3.13's own tables (sql/postfixadmin) on PostgreSQL and
 * MariaDB: the alias_domain rows and PostfixAdmin's log rows as its
 * AliasdomainHandler writes them; bad input refused with nothing changed;
 * the real Postfix (postmap -q with PostfixAdmin's virtual_alias_domain_*
 * maps) sending user@aliasdomain to user@targetdomain; PostfixAdmin's own
 * PHP reading what Mailwarden wrote and the reverse; the new lists paged,
 * sorted and searched; mailwarden-cli's alias-domain commands, and the
 * sentence an ISPmail database gives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account.h"
#include "mw-alias-domains.h"
#include "mw-audit.h"
#include "mw-list-query.h"
#include "mw-schema.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
} Fixture;

static void
add_domain (MwTestDb   *tdb,
            const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, "
                                          "quota, transport, backupmx, active) VALUES ('%s', '', 10, 10, 0, 0, "
                                          "'virtual', '0', '1')", name);

  mw_test_db_exec (tdb, sql);
}

/* example.org with alice (her own alias row), info@ an alias of alice and
 * a catch-all to alice; example.net, other.example, bücher.example as
 * plain domains; ALL as PostfixAdmin keeps it. */
static void
set_up (Fixture       *f,
        gconstpointer  driver)
{
  g_autoptr(GError) error = NULL;

  f->tdb = mw_test_db_new (driver, FALSE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  mw_test_vmail_load_schema (f->tdb, "postfixadmin");
  mw_test_db_exec (f->tdb, "INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, "
                   "backupmx, active) VALUES ('ALL', '', 0, 0, 0, 0, '', '0', '1')");
  add_domain (f->tdb, "example.org");
  add_domain (f->tdb, "example.net");
  add_domain (f->tdb, "other.example");
  add_domain (f->tdb, "xn--bcher-kva.example");
  mw_test_db_exec (f->tdb, "INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) "
                   "VALUES ('alice@example.org', '{PLAIN}x', 'Alice', 'example.org/alice/', 0, 'alice', "
                   "'example.org', '1')");
  mw_test_db_exec (f->tdb, "INSERT INTO alias (address, goto, domain, active) VALUES "
                   "('alice@example.org', 'alice@example.org', 'example.org', '1'), "
                   "('info@example.org', 'alice@example.org', 'example.org', '1'), "
                   "('@example.org', 'alice@example.org', 'example.org', '1')");
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mw_schema_get_info (f->schema)->kind, ==, MW_SCHEMA_POSTFIXADMIN);
}

static void
tear_down (Fixture *f)
{
  g_assert_finalize_object (f->schema);
  mw_test_db_free (f->tdb);
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

/* Every row an alias domain change could touch. */
static char *
snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT alias_domain, target_domain, CASE WHEN active THEN 1 ELSE 0 END, "
                          "created, modified FROM alias_domain ORDER BY alias_domain", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT domain FROM domain ORDER BY domain", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT count(*) FROM log", out);
  return g_string_free (out, FALSE);
}

static MwAuditEntry *
last_audit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = mw_audit_read (1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  return g_ptr_array_steal_index (entries, 0);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

/* PostfixAdmin's last log row: "domain|action|data|username". */
static char *
last_log (Fixture *f)
{
  return string (f, f->tdb->driver == MW_DB_DRIVER_PGSQL
                    ? "SELECT domain || '|' || action || '|' || data || '|' || username FROM log ORDER BY id DESC LIMIT 1"
                    : "SELECT CONCAT(domain, '|', action, '|', data, '|', username) FROM log ORDER BY id DESC LIMIT 1");
}

/* Add (Unicode in, A-labels stored), list, turn off, delete: the rows,
 * created/modified, PostfixAdmin's log rows and Mailwarden's audit. */
static void
test_rows (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(MwAliasDomain) before = NULL;
  MwAliasDomain *d;
  MwAuditEntry *entry;

  set_up (f, driver);
  g_assert_true (mw_schema_has_alias_domains (f->schema));
  name = mw_schema_add_alias_domain (f->schema, &f->admin, " Bücher.EXAMPLE ", "EXAMPLE.org", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "xn--bcher-kva.example");
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias_domain WHERE alias_domain = 'xn--bcher-kva.example' AND "
                             "target_domain = 'example.org' AND active AND created IS NOT NULL AND "
                             "modified IS NOT NULL AND created > '2020-01-01'"), ==, 1);
  text = last_log (f);
  g_assert_cmpstr (text, ==, "xn--bcher-kva.example|create_alias_domain|xn--bcher-kva.example|test (Mailwarden)");
  g_clear_pointer (&text, g_free);
  entry = last_audit ();
  g_assert_cmpstr (entry->action, ==, "alias-domain.add");
  g_assert_cmpstr (entry->target, ==, "xn--bcher-kva.example");
  mw_audit_entry_free (entry);

  /* A second one to the same target, given in A-labels; then the lists. */
  g_clear_pointer (&name, g_free);
  name = mw_schema_add_alias_domain (f->schema, &f->admin, "example.net", "example.org", FALSE, &error);
  g_assert_no_error (error);
  list = mw_schema_list_alias_domains (f->schema, f->tdb->db, "example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  d = g_ptr_array_index (list, 0);
  g_assert_cmpstr (d->name, ==, "example.net");
  g_assert_cmpstr (d->target, ==, "example.org");
  g_assert_false (d->active);
  g_assert_nonnull (d->created);
  g_assert_cmpuint (strlen (d->created), ==, 19);
  d = g_ptr_array_index (list, 1);
  g_assert_cmpstr (d->name, ==, "xn--bcher-kva.example");
  g_assert_true (d->active);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = mw_schema_list_alias_domains (f->schema, f->tdb->db, "bücher.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = mw_schema_list_alias_domains (f->schema, f->tdb->db, "other.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  /* Off, with PostfixAdmin's edit_alias_domain row; the old state comes back for Undo. */
  mw_test_db_exec (f->tdb, "UPDATE alias_domain SET modified = '2001-01-01 00:00:00'");
  before = mw_schema_set_alias_domain_active (f->schema, &f->admin, "xn--bcher-kva.example", FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (before->active);
  g_assert_cmpstr (before->target, ==, "example.org");
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias_domain WHERE alias_domain = 'xn--bcher-kva.example' AND "
                             "NOT active AND modified > '2020-01-01'"), ==, 1);
  text = last_log (f);
  g_assert_cmpstr (text, ==, "xn--bcher-kva.example|edit_alias_domain|xn--bcher-kva.example|test (Mailwarden)");
  g_clear_pointer (&text, g_free);
  entry = last_audit ();
  g_assert_cmpstr (entry->action, ==, "alias-domain.update");
  mw_audit_entry_free (entry);

  /* Deleted: the row goes, the domain stays; the log's data is the target, as AliasdomainHandler::delete() writes. */
  g_clear_pointer (&before, mw_alias_domain_free);
  before = mw_schema_delete_alias_domain (f->schema, &f->admin, "BÜCHER.example", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (before->name, ==, "xn--bcher-kva.example");
  g_assert_false (before->active);
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias_domain WHERE alias_domain = 'xn--bcher-kva.example'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM domain WHERE domain = 'xn--bcher-kva.example'"), ==, 1);
  text = last_log (f);
  g_assert_cmpstr (text, ==, "xn--bcher-kva.example|delete_alias_domain|example.org|test (Mailwarden)");
  g_clear_pointer (&text, g_free);
  entry = last_audit ();
  g_assert_cmpstr (entry->action, ==, "alias-domain.delete");
  mw_audit_entry_free (entry);
  g_assert_cmpint (count (f, "SELECT count(*) FROM log"), ==, 4);

  /* A dry run does it all and keeps nothing. */
  {
    MwAdmin dry = f->admin;
    g_autofree char *dry_name = NULL;

    dry.dry_run = TRUE;
    dry_name = mw_schema_add_alias_domain (f->schema, &dry, "other.example", "example.org", TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dry_name, ==, "other.example");
    g_assert_cmpint (count (f, "SELECT count(*) FROM alias_domain WHERE alias_domain = 'other.example'"), ==, 0);
    g_assert_cmpint (count (f, "SELECT count(*) FROM log"), ==, 4);
  }
  tear_down (f);
}

static void
assert_refused (Fixture    *f,
                const char *alias,
                const char *target,
                gint        code,
                const char *sentence)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = mw_schema_add_alias_domain (f->schema, &f->admin, alias, target, TRUE, &error);

  g_assert_null (name);
  g_assert_error (error, MW_SCHEMA_ERROR, code);
  assert_contains (error->message, sentence);
}

/* Missing domains, a taken alias domain (any case, either form), a chain
 * either way, a loop, itself, SQL metacharacters, invalid UTF-8: refused
 * with a sentence, and nothing changed. */
static void
test_refusals (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(MwAliasDomain) gone = NULL;

  set_up (f, driver);
  name = mw_schema_add_alias_domain (f->schema, &f->admin, "example.net", "example.org", TRUE, &error);
  g_assert_no_error (error);
  before = snapshot (f);

  assert_refused (f, "nowhere.example", "example.org", MW_SCHEMA_ERROR_NOT_FOUND,
                  "The domain “nowhere.example” is not in this database");
  assert_refused (f, "other.example", "nowhere.example", MW_SCHEMA_ERROR_NOT_FOUND, "“nowhere.example”");
  assert_refused (f, "ALL", "example.org", MW_SCHEMA_ERROR_INVALID, "not a domain name");
  assert_refused (f, "EXAMPLE.NET", "other.example", MW_SCHEMA_ERROR_EXISTS,
                  "“example.net” is already an alias domain: its mail goes to “example.org”");
  /* example.org is a target: it cannot be an alias domain too (a chain other -> org -> ...). */
  assert_refused (f, "example.org", "other.example", MW_SCHEMA_ERROR_REFUSED,
                  "“example.org” is the target of the alias domain “example.net”");
  /* example.net is an alias domain: no chain other -> net -> org. */
  assert_refused (f, "other.example", "example.net", MW_SCHEMA_ERROR_REFUSED,
                  "“example.net” is itself an alias domain of “example.org”");
  assert_refused (f, "example.org", "example.net", MW_SCHEMA_ERROR_REFUSED, "loop");
  assert_refused (f, "other.example", "Other.Example", MW_SCHEMA_ERROR_INVALID, "of itself");
  assert_refused (f, "x'; DROP TABLE alias_domain; --", "example.org", MW_SCHEMA_ERROR_INVALID, "not a domain name");
  assert_refused (f, "other.example", "example.org' OR '1'='1", MW_SCHEMA_ERROR_INVALID, "not a domain name");
  assert_refused (f, "b\xfc" "cher.example", "example.org", MW_SCHEMA_ERROR_INVALID, "not valid UTF-8");
  assert_refused (f, "", "example.org", MW_SCHEMA_ERROR_INVALID, "Type a domain name");
  assert_refused (f, "user@other.example", "example.org", MW_SCHEMA_ERROR_INVALID, "after the “@”");

  gone = mw_schema_set_alias_domain_active (f->schema, &f->admin, "other.example", FALSE, &error);
  g_assert_null (gone);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  assert_contains (error->message, "“other.example” is not an alias domain");
  g_clear_error (&error);
  gone = mw_schema_delete_alias_domain (f->schema, &f->admin, "x' OR 1=1 --", &error);
  g_assert_null (gone);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_clear_error (&error);

  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  tear_down (f);
}

/* The real Postfix with PostfixAdmin's documented maps: user@example.net
 * reaches alice@example.org's mailbox, her alias and the target's
 * catch-all through the alias domain; off and deleted, it does not. */
static void
test_postmap (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *found = NULL;
  g_autoptr(MwAliasDomain) before = NULL;

  set_up (f, driver);
  {
    g_autoptr(MwTestVmail) v = mw_test_vmail_new (f->tdb, MW_TEST_VMAIL_POSTFIXADMIN);

    found = mw_test_vmail_postmap (v, "virtual_alias_domain_mailbox_maps", "alice@example.net");
    g_assert_null (found);
    name = mw_schema_add_alias_domain (f->schema, &f->admin, "example.net", "example.org", TRUE, &error);
    g_assert_no_error (error);

    /* mailbox form (virtual_mailbox_maps), alias form and catch-all form (virtual_alias_maps) */
    found = mw_test_vmail_postmap (v, "virtual_alias_domain_mailbox_maps", "alice@example.net");
    g_assert_cmpstr (found, ==, "example.org/alice/");
    g_clear_pointer (&found, g_free);
    found = mw_test_vmail_postmap (v, "virtual_mailbox_maps", "alice@example.net");
    g_assert_cmpstr (found, ==, "example.org/alice/");
    g_clear_pointer (&found, g_free);
    found = mw_test_vmail_postmap (v, "virtual_alias_domain_maps", "info@example.net");
    g_assert_cmpstr (found, ==, "alice@example.org");
    g_clear_pointer (&found, g_free);
    found = mw_test_vmail_postmap (v, "virtual_alias_maps", "info@example.net");
    g_assert_cmpstr (found, ==, "alice@example.org");
    g_clear_pointer (&found, g_free);
    found = mw_test_vmail_postmap (v, "virtual_alias_domain_catchall_maps", "anyone@example.net");
    g_assert_cmpstr (found, ==, "alice@example.org");
    g_clear_pointer (&found, g_free);
    found = mw_test_vmail_postmap (v, "virtual_alias_maps", "anyone@example.net");
    g_assert_cmpstr (found, ==, "alice@example.org");
    g_clear_pointer (&found, g_free);

    /* Off: Postfix no longer follows it. */
    before = mw_schema_set_alias_domain_active (f->schema, &f->admin, "example.net", FALSE, &error);
    g_assert_no_error (error);
    found = mw_test_vmail_postmap (v, "virtual_mailbox_maps", "alice@example.net");
    g_assert_null (found);
    found = mw_test_vmail_postmap (v, "virtual_alias_maps", "info@example.net");
    g_assert_null (found);
    g_clear_pointer (&before, mw_alias_domain_free);
    before = mw_schema_set_alias_domain_active (f->schema, &f->admin, "example.net", TRUE, &error);
    g_assert_no_error (error);
    found = mw_test_vmail_postmap (v, "virtual_alias_maps", "info@example.net");
    g_assert_cmpstr (found, ==, "alice@example.org");
    g_clear_pointer (&found, g_free);

    /* Deleted: gone for Postfix; the target still receives. */
    g_clear_pointer (&before, mw_alias_domain_free);
    before = mw_schema_delete_alias_domain (f->schema, &f->admin, "example.net", &error);
    g_assert_no_error (error);
    found = mw_test_vmail_postmap (v, "virtual_mailbox_maps", "alice@example.net");
    g_assert_null (found);
    found = mw_test_vmail_postmap (v, "virtual_alias_maps", "anyone@example.net");
    g_assert_null (found);
    found = mw_test_vmail_postmap (v, "virtual_mailbox_maps", "alice@example.org");
    g_assert_cmpstr (found, ==, "example.org/alice/");
    g_clear_pointer (&found, g_free);
  }
  tear_down (f);
}

/* What Mailwarden wrote, as AliasdomainHandler lists it; one that
 * AliasdomainHandler made, as Mailwarden lists it; and PostfixAdmin's
 * own form refusing a chain onto what Mailwarden made. */
static void
test_postfixadmin_reads (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(MwAliasDomain) before = NULL;
  MwAliasDomain *d;

  set_up (f, driver);
  dir = mw_test_vmail_postfixadmin_copy (f->tdb, NULL);
  name = mw_schema_add_alias_domain (f->schema, &f->admin, "bücher.example", "example.org", TRUE, &error);
  g_assert_no_error (error);

  out = mw_test_vmail_postfixadmin_php (dir,
                                        "$h = new AliasdomainHandler(); $h->getList(''); $r = $h->result();"
                                        "echo json_encode(array_map(function ($x) { return [$x['alias_domain'], $x['target_domain'],"
                                        " (bool) $x['active']]; }, array_values($r)));");
  g_assert_cmpstr (g_strstrip (out), ==, "[[\"xn--bcher-kva.example\",\"example.org\",true]]");

  /* PostfixAdmin adds other.example -> example.org (its save(): row and log). */
  g_clear_pointer (&out, g_free);
  out = mw_test_vmail_postfixadmin_php (dir,
                                        "$h = new AliasdomainHandler(1); $ok = $h->init('other.example');"
                                        "$ok = $ok && $h->set(['target_domain' => 'example.org', 'active' => 1]); $ok = $ok && $h->save();"
                                        "echo json_encode(['ok' => $ok, 'errors' => $h->errormsg]);");
  assert_contains (out, "\"ok\":true");
  list = mw_schema_list_alias_domains (f->schema, f->tdb->db, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  d = g_ptr_array_index (list, 0);
  g_assert_cmpstr (d->name, ==, "other.example");
  g_assert_cmpstr (d->target, ==, "example.org");
  g_assert_true (d->active);
  g_assert_nonnull (d->created);
  g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE action = 'create_alias_domain'"), ==, 2);

  /* And it goes again through Mailwarden, which PostfixAdmin then no longer lists. */
  before = mw_schema_delete_alias_domain (f->schema, &f->admin, "other.example", &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  out = mw_test_vmail_postfixadmin_php (dir,
                                        "$h = new AliasdomainHandler(); $h->getList(''); echo json_encode(array_keys($h->result()));");
  g_assert_cmpstr (g_strstrip (out), ==, "[\"xn--bcher-kva.example\"]");

  mw_test_vmail_postfixadmin_remove (dir);
  tear_down (f);
}

/* The rows of a list, read by keyset pages of @page_size, as the window and the CLI read them: "col|col ...". */
static char *
read_list (Fixture       *f,
           MwListRequest *request,
           guint          page_size,
           gint64        *total)
{
  const MwListInfo *info = mw_schema_get_list (f->schema, request->kind);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = mw_schema_list_query (f->schema, request, &error);
  g_autoptr(MwDbResult) page = NULL;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  *total = mw_list_query_count (query, f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      MwDbResult *next = mw_list_query_fetch_next (query, f->tdb->db, page, page_size, NULL, &error);
      guint n;

      g_assert_no_error (error);
      g_clear_pointer (&page, mw_db_result_unref);
      page = next;
      n = mw_db_result_get_n_rows (page);
      for (guint r = 0; r < n; r++)
        {
          const MwListValue value = { 0 };
          MwListValue v = value;

          mw_list_column_read (&info->columns[0], page, r, &v);
          g_string_append_printf (out, "%s ", v.text);
        }
      if (n < page_size)
        break;
    }
  return g_string_free (out, FALSE);
}

/* The three new lists: columns, pages, both sorts and search, on both servers. */
static void
test_lists (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *rows = NULL;
  gint64 total = 0;
  MwListRequest req = { 0 };
  const MwListInfo *info;

  set_up (f, driver);
  for (guint i = 0; i < 23; i++)
    {
      g_autofree char *domain = g_strdup_printf ("a%02u.example", i);
      g_autofree char *sql = g_strdup_printf ("INSERT INTO alias_domain (alias_domain, target_domain, active) "
                                              "VALUES ('%s', '%s', '%d')", domain,
                                              i % 2 ? "example.org" : "other.example", i % 3 ? 1 : 0);
      g_autofree char *vac = g_strdup_printf (f->tdb->driver == MW_DB_DRIVER_PGSQL
                                              ? "INSERT INTO vacation (email, subject, body, domain, active, "
                                                "interval_time, activefrom, activeuntil) VALUES ('u%02u@example.org', "
                                                "'Urlaub %u – Grüße', '', 'example.org', '1', 0, '2026-12-01', "
                                                "'2027-01-%02u')"
                                              : "INSERT INTO vacation (email, subject, body, domain, active, "
                                                "interval_time, activefrom, activeuntil, cache) VALUES "
                                                "('u%02u@example.org', 'Urlaub %u – Grüße', '', 'example.org', '1', "
                                                "0, '2026-12-01', '2027-01-%02u', '')", i, i, 28 - i);
      g_autofree char *admin = g_strdup_printf ("INSERT INTO admin (username, password, superadmin, active) "
                                                "VALUES ('admin%02u@example.org', 'x', '%d', '1')", i, i == 0);

      add_domain (f->tdb, domain);
      mw_test_db_exec (f->tdb, sql);
      mw_test_db_exec (f->tdb, vac);
      mw_test_db_exec (f->tdb, admin);
      g_string_append_printf (expected, "%s ", domain);
    }
  mw_test_db_exec (f->tdb, "INSERT INTO domain_admins (username, domain, active) VALUES "
                   "('admin01@example.org', 'example.org', '1'), ('admin01@example.org', 'xn--bcher-kva.example', '1'), "
                   "('admin02@example.org', 'ALL', '1')");

  /* Alias domains: by name in pages of 5, backwards, by target, searched. */
  info = mw_schema_get_list (f->schema, MW_LIST_ALIAS_DOMAINS);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->id, ==, "alias-domains");
  g_assert_cmpstr (info->title, ==, "Alias Domains");
  g_assert_nonnull (mw_list_info_find_column (info, "target_domain"));
  g_assert_nonnull (mw_list_info_find_column (info, "created"));
  req.kind = MW_LIST_ALIAS_DOMAINS;
  rows = read_list (f, &req, 5, &total);
  g_assert_cmpint (total, ==, 23);
  g_assert_cmpstr (rows, ==, expected->str);
  g_clear_pointer (&rows, g_free);
  req.descending = TRUE;
  rows = read_list (f, &req, 5, &total);
  g_assert_true (g_str_has_prefix (rows, "a22.example a21.example a20.example "));
  g_assert_true (g_str_has_suffix (rows, "a01.example a00.example "));
  g_clear_pointer (&rows, g_free);
  req.descending = FALSE;
  req.sort = MW_SORT_TARGET;
  rows = read_list (f, &req, 4, &total);
  g_assert_true (g_str_has_prefix (rows, "a01.example a03.example "));   /* example.org first, by key */
  g_assert_true (g_str_has_suffix (rows, "a20.example a22.example "));
  g_clear_pointer (&rows, g_free);
  req.sort = MW_SORT_NAME;
  req.search = "A1";
  rows = read_list (f, &req, 3, &total);
  g_assert_cmpint (total, ==, 10);
  g_assert_cmpstr (rows, ==, "a10.example a11.example a12.example a13.example a14.example a15.example a16.example "
                             "a17.example a18.example a19.example ");
  g_clear_pointer (&rows, g_free);
  req.search = "other";
  rows = read_list (f, &req, 100, &total);
  g_assert_cmpint (total, ==, 12);
  g_clear_pointer (&rows, g_free);
  mw_test_db_exec (f->tdb, "INSERT INTO alias_domain (alias_domain, target_domain, active) "
                   "VALUES ('xn--bcher-kva.example', 'example.org', '1')");
  req.search = "bücher";
  rows = read_list (f, &req, 100, &total);
  g_assert_cmpstr (rows, ==, "xn--bcher-kva.example ");
  g_clear_pointer (&rows, g_free);
  mw_test_db_exec (f->tdb, "DELETE FROM alias_domain WHERE alias_domain = 'xn--bcher-kva.example'");
  req.search = "'; DROP TABLE alias_domain; --";
  rows = read_list (f, &req, 100, &total);
  g_assert_cmpint (total, ==, 0);
  g_clear_pointer (&rows, g_free);
  req.search = NULL;
  req.sort = MW_SORT_QUOTA;
  g_assert_null (mw_schema_list_query (f->schema, &req, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_clear_error (&error);

  /* Vacations: by mailbox, by end date, searched in the subjects (with umlauts). */
  info = mw_schema_get_list (f->schema, MW_LIST_VACATIONS);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->id, ==, "vacations");
  g_assert_nonnull (mw_list_info_find_column (info, "subject"));
  g_assert_nonnull (mw_list_info_find_column (info, "until"));
  req = (MwListRequest) { .kind = MW_LIST_VACATIONS };
  rows = read_list (f, &req, 6, &total);
  g_assert_cmpint (total, ==, 23);
  g_assert_true (g_str_has_prefix (rows, "u00@example.org u01@example.org "));
  g_clear_pointer (&rows, g_free);
  req.sort = MW_SORT_TARGET;
  rows = read_list (f, &req, 6, &total);
  g_assert_true (g_str_has_prefix (rows, "u22@example.org u21@example.org "));
  g_clear_pointer (&rows, g_free);
  req.sort = MW_SORT_NAME;
  req.search = "urlaub 2";
  rows = read_list (f, &req, 2, &total);
  g_assert_cmpint (total, ==, 4);   /* 2, 20, 21, 22 */
  g_assert_cmpstr (rows, ==, "u02@example.org u20@example.org u21@example.org u22@example.org ");
  g_clear_pointer (&rows, g_free);

  /* Domain admins: their domains joined, ALL for a superadmin (either kind). */
  info = mw_schema_get_list (f->schema, MW_LIST_DOMAIN_ADMINS);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->id, ==, "domain-admins");
  req = (MwListRequest) { .kind = MW_LIST_DOMAIN_ADMINS, .descending = TRUE };
  rows = read_list (f, &req, 7, &total);
  g_assert_cmpint (total, ==, 23);
  g_assert_true (g_str_has_prefix (rows, "admin22@example.org admin21@example.org "));
  g_clear_pointer (&rows, g_free);
  req.descending = FALSE;
  req.search = "bcher";
  rows = read_list (f, &req, 7, &total);
  g_assert_cmpstr (rows, ==, "admin01@example.org ");
  g_clear_pointer (&rows, g_free);
  /* typed in Unicode, found in the stored xn-- form */
  req.search = "Bücher";
  rows = read_list (f, &req, 7, &total);
  g_assert_cmpstr (rows, ==, "admin01@example.org ");
  g_clear_pointer (&rows, g_free);
  {
    g_autoptr(MwListQuery) query = NULL;
    g_autoptr(MwDbResult) page = NULL;
    const MwListColumn *domains = mw_list_info_find_column (info, "domains");
    const MwListColumn *super = mw_list_info_find_column (info, "superadmin");
    MwListValue v = { 0 };

    req.search = NULL;
    query = mw_schema_list_query (f->schema, &req, &error);
    g_assert_no_error (error);
    page = mw_list_query_fetch_offset (query, f->tdb->db, 0, 3, FALSE, NULL, &error);
    g_assert_no_error (error);
    mw_list_column_read (domains, page, 0, &v);
    g_assert_cmpstr (v.text, ==, "ALL");
    mw_list_column_read (super, page, 0, &v);
    g_assert_cmpint (v.number, ==, 1);
    mw_list_column_read (domains, page, 1, &v);
    g_assert_cmpstr (v.text, ==, "example.org, xn--bcher-kva.example");
    mw_list_column_read (super, page, 1, &v);
    g_assert_cmpint (v.number, ==, 0);
    mw_list_column_read (domains, page, 2, &v);
    g_assert_cmpstr (v.text, ==, "ALL");
    mw_list_column_read (super, page, 2, &v);
    g_assert_cmpint (v.number, ==, 1);
  }
  tear_down (f);
}

/* DBMail and ISPmail have none of it: no lists, and a sentence. */
static void
test_other_flavours (gconstpointer driver)
{
  g_autoptr(GError) error = NULL;

  {
    MwTestDb *tdb = mw_test_db_new (driver, TRUE);
    g_autoptr(MwSchema) schema = mw_schema_open (tdb->db, NULL, &error);
    MwAdmin admin = { tdb->db, "test", FALSE };
    g_autofree char *name = NULL;

    g_assert_no_error (error);
    g_assert_false (mw_schema_has_alias_domains (schema));
    g_assert_null (mw_schema_get_list (schema, MW_LIST_ALIAS_DOMAINS));
    g_assert_null (mw_schema_get_list (schema, MW_LIST_VACATIONS));
    g_assert_null (mw_schema_get_list (schema, MW_LIST_DOMAIN_ADMINS));
    g_assert_null (mw_schema_find_list (schema, "alias-domains"));
    g_assert_nonnull (mw_schema_find_list (schema, "groups"));
    name = mw_schema_add_alias_domain (schema, &admin, "a.example", "b.example", TRUE, &error);
    g_assert_null (name);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    g_clear_error (&error);
    g_clear_object (&schema);
    mw_test_db_free (tdb);
  }
  {
    MwTestDb *tdb = mw_test_db_new (driver, FALSE);
    g_autoptr(MwSchema) schema = NULL;
    g_autoptr(GPtrArray) list = NULL;

    mw_test_vmail_load_schema (tdb, "ispmail");
    schema = mw_schema_open (tdb->db, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (mw_schema_has_alias_domains (schema));
    g_assert_null (mw_schema_get_list (schema, MW_LIST_ALIAS_DOMAINS));
    g_assert_null (mw_schema_get_list (schema, MW_LIST_VACATIONS));
    g_assert_null (mw_schema_get_list (schema, MW_LIST_DOMAIN_ADMINS));
    list = mw_schema_list_alias_domains (schema, tdb->db, NULL, NULL, &error);
    g_assert_null (list);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    assert_contains (error->message, "An ISPmail database has no alias domains");
    g_clear_object (&schema);
    mw_test_db_free (tdb);
  }
}

#define CLI(status_, ...) \
  g_auto(MwTestRun) r = { 0 }; \
  mw_test_run_cli (&r, NULL, "--db", uri, __VA_ARGS__, NULL); \
  g_assert_cmpint (r.status, ==, status_)

static void
test_cli (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autofree char *uri = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  set_up (f, driver);
  uri = mw_test_vmail_db_uri (f->tdb);
  {
    CLI (0, "alias-domain", "list");
    assert_contains (r.out, "No alias domains.");
  }
  {
    CLI (0, "alias-domain", "add", "bücher.example", "example.org", "--dry-run");
    assert_contains (r.out, "bücher.example can become an alias domain of example.org.");
    assert_contains (r.out, "Dry run: nothing was changed.");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias_domain"), ==, 0);
  {
    CLI (0, "alias-domain", "add", "bücher.example", "example.org");
    assert_contains (r.out, "Mail to bücher.example now goes to example.org.");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias_domain WHERE alias_domain = 'xn--bcher-kva.example'"), ==, 1);
  {
    CLI (0, "alias-domain", "list", "example.org");
    assert_contains (r.out, "bücher.example → example.org");
  }
  {
    CLI (0, "alias-domain", "list", "--json");
    assert_contains (r.out, "\"total\":1");
    assert_contains (r.out, "\"domain\":\"xn--bcher-kva.example\",\"target_domain\":\"example.org\",\"enabled\":true");
  }
  {
    CLI (0, "alias-domains", "--json");
    assert_contains (r.out, "\"alias-domains\":[");
    assert_contains (r.out, "xn--bcher-kva.example");
  }
  before = snapshot (f);
  {
    CLI (1, "alias-domain", "add", "example.org", "bücher.example");
    assert_contains (r.err, "loop");
  }
  {
    CLI (4, "alias-domain", "add", "nowhere.example", "example.org");
    assert_contains (r.err, "not in this database");
  }
  {
    CLI (1, "alias-domain", "set", "bücher.example");
    assert_contains (r.err, "--enable or --disable");
  }
  {
    CLI (0, "alias-domain", "delete", "bücher.example", "--dry-run");
    assert_contains (r.out, "The alias domain bücher.example (to example.org) can be deleted.");
  }
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  {
    CLI (0, "alias-domain", "set", "bücher.example", "--disable");
    assert_contains (r.out, "The alias domain bücher.example is off");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias_domain WHERE NOT active"), ==, 1);
  {
    CLI (0, "alias-domain", "delete", "xn--bcher-kva.example");
    assert_contains (r.out, "Deleted the alias domain bücher.example; its mail no longer goes to example.org.");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM alias_domain"), ==, 0);
  {
    CLI (0, "vacations");
    assert_contains (r.out, "Mailbox");
  }
  {
    CLI (0, "domain-admins", "--json");
    assert_contains (r.out, "\"domain-admins\":[");
  }
  tear_down (f);

  /* ISPmail: one sentence. */
  {
    MwTestDb *tdb = mw_test_db_new (driver, FALSE);

    mw_test_vmail_load_schema (tdb, "ispmail");
    g_free (uri);
    uri = mw_test_vmail_db_uri (tdb);
    {
      CLI (1, "alias-domain", "add", "example.net", "example.org");
      assert_contains (r.err, "An ISPmail database has no alias domains: its tables have no place for them.");
    }
    {
      CLI (1, "alias-domains");
      assert_contains (r.err, "has no list “alias-domains”");
    }
    mw_test_db_free (tdb);
  }
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_private_audit_log ();

  mw_test_add_both ("/alias-domains/rows", test_rows);
  mw_test_add_both ("/alias-domains/refusals", test_refusals);
  mw_test_add_both ("/alias-domains/postmap", test_postmap);
  mw_test_add_both ("/alias-domains/postfixadmin-reads", test_postfixadmin_reads);
  mw_test_add_both ("/alias-domains/lists", test_lists);
  mw_test_add_both ("/alias-domains/other-flavours", test_other_flavours);
  mw_test_add_both ("/alias-domains/cli", test_cli);

  return mw_test_run ();
}
