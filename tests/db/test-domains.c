/* test-domains.c: domain operations on the schema interface (issue 17):
 * add, change and delete a domain of an ISPmail database (the tutorial's
 * tables, sql/ispmail) through mw_schema_*, the session's wrappers and
 * mailwarden-cli, on PostgreSQL and MariaDB: the rows after each change,
 * the dry run's summary with the Maildirs, bad names refused with nothing
 * changed, and what the real Postfix finds (postmap -q) afterwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mw-account.h"
#include "mw-async-wait.h"
#include "mw-audit.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-domains.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
} Fixture;

static const char *audit_path;

/* example.org with alice and bob, info@ an alias of alice, sales@ a
 * forward; bücher.example (A-labels) with carol, and a row there that
 * forwards to alice@example.org. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  driver)
{
  g_autoptr(GError) error = NULL;

  g_remove (audit_path);
  f->tdb = mw_test_db_new (driver, FALSE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  mw_test_vmail_load_schema (f->tdb, "ispmail");
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_domains (name) VALUES ('example.org'), ('xn--bcher-kva.example')");
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_users (domain_id, email, password, quota) VALUES "
                   "(1, 'alice@example.org', '{PLAIN}a', 0), (1, 'bob@example.org', '{PLAIN}b', 0), "
                   "(2, 'carol@xn--bcher-kva.example', '{PLAIN}c', 0)");
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) VALUES "
                   "(1, 'info@example.org', 'alice@example.org'), (1, 'sales@example.org', 'boss@elsewhere.net'), "
                   "(2, 'team@xn--bcher-kva.example', 'alice@example.org'), "
                   "(2, 'post@xn--bcher-kva.example', 'carol@xn--bcher-kva.example')");
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f)
{
  g_assert_finalize_object (f->schema);
  mw_test_db_free (f->tdb);
}

static char *
snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT id, name FROM virtual_domains ORDER BY id", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT id, domain_id, email FROM virtual_users ORDER BY id", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT id, domain_id, source, destination FROM virtual_aliases ORDER BY id",
                          out);
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

/* ------------------------------------------------------------------------ */

static void
test_add (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *key2 = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(MwDomain) by_name = NULL;
  MwAuditEntry *entry;

  fixture_set_up (&f, driver);
  g_assert_true (mw_schema_can (f.schema, MW_SCHEMA_CAN_DOMAINS_TABLE));
  g_assert_cmpint (mw_schema_get_domain_fields (f.schema), ==, MW_DOMAIN_NAME);

  key = mw_schema_add_domain (f.schema, &f.admin, "  Shop.Example.COM ", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_domains WHERE name = 'shop.example.com'"),
                   ==, 1);
  entry = last_audit ();
  g_assert_cmpstr (entry->action, ==, "domain.add");
  g_assert_cmpstr (entry->target, ==, "shop.example.com");
  mw_audit_entry_free (entry);

  /* Unicode in, A-labels stored, found again by either form and any case. */
  key2 = mw_schema_add_domain (f.schema, &f.admin, "München.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_domains "
                                   "WHERE name = 'xn--mnchen-3ya.example'"), ==, 1);
  domain = mw_schema_get_domain (f.schema, f.tdb->db, key2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (domain->name, ==, "xn--mnchen-3ya.example");
  g_assert_cmpint (domain->has, ==, MW_DOMAIN_NAME);
  by_name = mw_schema_get_domain (f.schema, f.tdb->db, "MÜNCHEN.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_name->key, ==, key2);
  g_clear_pointer (&by_name, mw_domain_free);

  by_name = mw_schema_get_domain (f.schema, f.tdb->db, "example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_name->mailboxes, ==, 2);
  g_assert_cmpint (by_name->aliases, ==, 2);

  /* A dry run adds nothing. */
  {
    MwAdmin dry = f.admin;
    g_autofree char *before = snapshot (&f);
    g_autofree char *after = NULL;
    g_autofree char *dry_key = NULL;

    dry.dry_run = TRUE;
    dry_key = mw_schema_add_domain (f.schema, &dry, "new.example", NULL, &error);
    g_assert_no_error (error);
    after = snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }
  fixture_tear_down (&f);
}

static void
test_bad_names (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autofree char *before = NULL;
  /* taken (any case, either form), malformed, SQL, not UTF-8, too long */
  static const struct { const char *name; int code; const char *says; } cases[] = {
    { "EXAMPLE.org", MW_SCHEMA_ERROR_EXISTS, "“example.org” is already" },
    { "Bücher.example", MW_SCHEMA_ERROR_EXISTS, "“bücher.example” is already" },
    { "xn--bcher-kva.EXAMPLE", MW_SCHEMA_ERROR_EXISTS, "is already" },
    { "", MW_SCHEMA_ERROR_INVALID, "Type a domain name" },
    { "alice@example.net", MW_SCHEMA_ERROR_INVALID, "after the “@”" },
    { "exa mple.net", MW_SCHEMA_ERROR_INVALID, "is not a domain name" },
    { "-bad.example", MW_SCHEMA_ERROR_INVALID, "is not a domain name" },
    { "localhost", MW_SCHEMA_ERROR_INVALID, "at least one dot" },
    { "example.net'; DROP TABLE virtual_users; --", MW_SCHEMA_ERROR_INVALID, "is not a domain name" },
    { "x.example') OR ('1'='1", MW_SCHEMA_ERROR_INVALID, "is not a domain name" },
    { "caf\xc3.example", MW_SCHEMA_ERROR_INVALID, "not valid UTF-8" },
    { "a-very-long-name-of-a-subdomain.and-another-label.example", MW_SCHEMA_ERROR_INVALID, "at most 50" },
  };

  fixture_set_up (&f, driver);
  before = snapshot (&f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = mw_schema_add_domain (f.schema, &f.admin, cases[i].name, NULL, &error);
      g_autofree char *after = NULL;

      g_assert_null (key);
      g_assert_error (error, MW_SCHEMA_ERROR, cases[i].code);
      assert_contains (error->message, cases[i].says);
      after = snapshot (&f);
      g_assert_cmpstr (after, ==, before);
    }
  fixture_tear_down (&f);
}

static void
test_update (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(MwDomainChange) undo = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  MwDomainChange change = { 0 };

  fixture_set_up (&f, driver);
  before = snapshot (&f);
  domain = mw_schema_get_domain (f.schema, f.tdb->db, "example.org", NULL, &error);
  g_assert_no_error (error);

  /* A rename: refused, the Maildirs are named after the domain. */
  change.changes = MW_DOMAIN_NAME;
  change.name = (char *) "example.net";
  undo = mw_schema_update_domain (f.schema, &f.admin, domain->key, &change, &error);
  g_assert_null (undo);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  assert_contains (error->message, "/var/vmail/example.org/");
  g_clear_error (&error);

  /* What the tutorial's table does not keep: refused with a sentence. */
  change.changes = MW_DOMAIN_DESCRIPTION;
  change.description = (char *) "Shop";
  undo = mw_schema_update_domain (f.schema, &f.admin, domain->key, &change, &error);
  g_assert_null (undo);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  assert_contains (error->message, "keeps only a domain's name");
  g_clear_error (&error);

  /* The same name in another case is no rename. */
  change.changes = MW_DOMAIN_NAME;
  change.name = (char *) "Example.ORG";
  undo = mw_schema_update_domain (f.schema, &f.admin, domain->key, &change, &error);
  g_assert_no_error (error);
  g_assert_nonnull (undo);
  g_assert_cmpint (undo->changes, ==, 0);
  after = snapshot (&f);
  g_assert_cmpstr (after, ==, before);
  fixture_tear_down (&f);
}

static void
test_delete (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(MwDomainDeleteSummary) s = NULL;
  g_autofree char *before = NULL;
  g_autofree char *text = NULL;
  MwAdmin dry = { 0 };
  MwAuditEntry *entry;

  fixture_set_up (&f, driver);
  before = snapshot (&f);
  domain = mw_schema_get_domain (f.schema, f.tdb->db, "Example.org", NULL, &error);
  g_assert_no_error (error);

  /* The dry run: everything counted, nothing changed, the Maildirs named. */
  dry = f.admin;
  dry.dry_run = TRUE;
  {
    const char *keys[] = { domain->key, NULL };
    g_autofree char *after = NULL;

    s = mw_schema_delete_domains (f.schema, &dry, keys, &error);
    g_assert_no_error (error);
    after = snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }
  g_assert_cmpint (s->domains, ==, 1);
  g_assert_cmpint (s->mailboxes, ==, 2);
  /* info@, sales@, and team@bücher.example that goes to alice */
  g_assert_cmpint (s->aliases, ==, 3);
  g_assert_cmpint (s->alias_domains, ==, 0);
  g_assert_cmpuint (g_strv_length (s->maildirs), ==, 2);
  g_assert_cmpstr (s->maildirs[0], ==, "/var/vmail/example.org/alice/");
  g_assert_cmpstr (s->maildirs[1], ==, "/var/vmail/example.org/bob/");
  text = mw_domain_delete_summary_describe (s);
  g_assert_cmpstr (text, ==, "1 domain with 2 mailboxes, 3 aliases and 0 alias domains. The mail is not in the "
                   "database: remove these Maildirs from the mail server's disk by hand: "
                   "/var/vmail/example.org/alice/ /var/vmail/example.org/bob/");
  g_clear_pointer (&s, mw_domain_delete_summary_free);

  {
    const char *keys[] = { domain->key, NULL };

    s = mw_schema_delete_domains (f.schema, &f.admin, keys, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (s->mailboxes, ==, 2);
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_domains WHERE name = 'example.org'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_users WHERE email LIKE '%@example.org'"),
                   ==, 0);
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_aliases "
                                   "WHERE source LIKE '%@example.org' OR destination LIKE '%@example.org'"), ==, 0);
  /* The other domain keeps its mailbox and its own alias. */
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_users"), ==, 1);
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_aliases"), ==, 1);
  entry = last_audit ();
  g_assert_cmpstr (entry->action, ==, "domain.delete");
  g_assert_cmpstr (entry->target, ==, "example.org");
  assert_contains (entry->before, "/var/vmail/example.org/alice/");
  mw_audit_entry_free (entry);

  /* Gone now: not found, nothing changed. */
  {
    const char *keys[] = { domain->key, NULL };
    MwDomainDeleteSummary *again = mw_schema_delete_domains (f.schema, &f.admin, keys, &error);

    g_assert_null (again);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  }
  fixture_tear_down (&f);
}

/* The session's wrappers: results, and "changed" for domains and mailboxes. */
static void
on_changed_cb (MwSession *session,
               int        kind,
               GString   *out)
{
  static const char *const names[] = { "users", "aliases", "forwards", "domains", "groups" };

  g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "", names[kind]);
}

static void
test_session (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GString) changed = g_string_new (NULL);
  g_autofree char *key = NULL;
  g_autoptr(MwDomainDeleteSummary) s = NULL;

  fixture_set_up (&f, driver);
  mw_session_connect_async ("Office", f.tdb->settings, NULL, mw_async_wait_ready, &res);
  session = mw_session_connect_finish (mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_signal_connect (session, "changed", G_CALLBACK (on_changed_cb), changed);

  g_clear_object (&res);
  mw_session_add_domain_async (session, "new.example", NULL, FALSE, NULL, mw_async_wait_ready, &res);
  key = mw_session_add_domain_finish (session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpstr (changed->str, ==, "domains");
  g_string_truncate (changed, 0);

  {
    const char *keys[] = { key, NULL };

    g_clear_object (&res);
    mw_session_delete_domains_async (session, keys, TRUE, NULL, mw_async_wait_ready, &res);
    s = mw_session_delete_domains_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpint (s->domains, ==, 1);
    g_assert_cmpstr (changed->str, ==, "");  /* a dry run moves nothing */
    g_clear_pointer (&s, mw_domain_delete_summary_free);

    g_clear_object (&res);
    mw_session_delete_domains_async (session, keys, FALSE, NULL, mw_async_wait_ready, &res);
    s = mw_session_delete_domains_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    assert_contains (changed->str, "domains");
    assert_contains (changed->str, "users");
  }
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_domains WHERE name = 'new.example'"), ==, 0);
  g_clear_object (&res);
  g_assert_finalize_object (g_steal_pointer (&session));
  fixture_tear_down (&f);
}

/* ------------------------------------------------------------------------ */
/* mailwarden-cli domain add|set|delete                                     */
/* ------------------------------------------------------------------------ */

static void
test_cli (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autofree char *uri = NULL;
  g_autofree char *before = NULL;

  fixture_set_up (&f, driver);
  uri = f.tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", f.tdb->settings->user, f.tdb->database,
                       f.tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", f.tdb->settings->user, f.tdb->database, f.tdb->settings->socket);
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "add", "Grüße.example", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Added the domain grüße.example (stored as xn--gre-6ka8l.example).\n");
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_domains "
                                     "WHERE name = 'xn--gre-6ka8l.example'"), ==, 1);
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "add", "--json", "plain.example", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "\"name\":\"plain.example\"");
    assert_contains (r.out, "\"dry_run\":false");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "add", "GRÜßE.example", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "The domain “grüße.example” is already in this database.");
  }
  before = snapshot (&f);
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "add", "x.example'; DROP TABLE virtual_users; --", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "is not a domain name");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "set", "example.org", "--description", "Shop", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "This database does not keep what --description sets for a domain");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "set", "example.org", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "Say what to change");
  }
  {
    g_auto(MwTestRun) r = { 0 };
    g_autofree char *after = NULL;

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "delete", "--dry-run", "EXAMPLE.ORG", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Would delete: 1 domain with 2 mailboxes, 3 aliases and 0 alias domains. The mail "
                     "is not in the database: remove these Maildirs from the mail server's disk by hand: "
                     "/var/vmail/example.org/alice/ /var/vmail/example.org/bob/\n");
    after = snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "delete", "--json", "bücher.example", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "\"mailboxes\":1");
    assert_contains (r.out, "\"maildirs\":[\"/var/vmail/xn--bcher-kva.example/carol/\"]");
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_domains "
                                     "WHERE name = 'xn--bcher-kva.example'"), ==, 0);
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_users "
                                     "WHERE email LIKE '%xn--bcher-kva.example'"), ==, 0);
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "delete", "bücher.example", NULL);
    g_assert_cmpint (r.status, ==, 4);
    assert_contains (r.err, "The domain “bücher.example” is not in this database.");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "rename", "example.org", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "domain add DOMAIN");
  }
  fixture_tear_down (&f);
}

/* The real Postfix with the tutorial's maps: a domain added is one it
 * receives mail for, a deleted one (and its mailboxes) is not. */
static void
test_postmap (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(MwDomainDeleteSummary) s = NULL;
  g_autofree char *found = NULL;

  fixture_set_up (&f, driver);
  {
    g_autoptr(MwTestVmail) v = mw_test_vmail_new (f.tdb, MW_TEST_VMAIL_ISPMAIL);

    found = mw_test_vmail_postmap (v, "virtual-mailbox-domains", "neu.example");
    g_assert_null (found);
    key = mw_schema_add_domain (f.schema, &f.admin, "Neu.Example", NULL, &error);
    g_assert_no_error (error);
    found = mw_test_vmail_postmap (v, "virtual-mailbox-domains", "neu.example");
    g_assert_cmpstr (found, ==, "1");
    g_clear_pointer (&found, g_free);
    key = (g_free (key), mw_schema_add_domain (f.schema, &f.admin, "Straße.example", NULL, &error));
    g_assert_no_error (error);
    found = mw_test_vmail_postmap (v, "virtual-mailbox-domains", "xn--strae-oqa.example");
    g_assert_cmpstr (found, ==, "1");
    g_clear_pointer (&found, g_free);

    found = mw_test_vmail_postmap (v, "virtual-mailbox-maps", "alice@example.org");
    g_assert_cmpstr (found, ==, "1");
    g_clear_pointer (&found, g_free);
    domain = mw_schema_get_domain (f.schema, f.tdb->db, "example.org", NULL, &error);
    g_assert_no_error (error);
    {
      const char *keys[] = { domain->key, NULL };

      s = mw_schema_delete_domains (f.schema, &f.admin, keys, &error);
      g_assert_no_error (error);
    }
    found = mw_test_vmail_postmap (v, "virtual-mailbox-domains", "example.org");
    g_assert_null (found);
    found = mw_test_vmail_postmap (v, "virtual-mailbox-maps", "alice@example.org");
    g_assert_null (found);
    found = mw_test_vmail_postmap (v, "virtual-alias-maps", "info@example.org");
    g_assert_null (found);
    found = mw_test_vmail_postmap (v, "virtual-alias-maps", "team@xn--bcher-kva.example");
    g_assert_null (found);
    /* the other domain still receives */
    found = mw_test_vmail_postmap (v, "virtual-mailbox-domains", "xn--bcher-kva.example");
    g_assert_cmpstr (found, ==, "1");
  }
  fixture_tear_down (&f);
}

/* DBMail keeps no domains: the operations are absent and say so. */
static void
test_dbmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSchema) schema = NULL;
  MwAdmin admin = { 0 };
  g_autofree char *key = NULL;

  tdb = mw_test_db_new (driver, TRUE);
  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);
  admin.db = tdb->db;
  g_assert_false (mw_schema_can (schema, MW_SCHEMA_CAN_DOMAINS_TABLE));
  g_assert_cmpint (mw_schema_get_domain_fields (schema), ==, 0);
  key = mw_schema_add_domain (schema, &admin, "example.org", NULL, &error);
  g_assert_null (key);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  assert_contains (error->message, "has no table of domains");
}

/* ------------------------------------------------------------------------ */
/* PostfixAdmin: as its DomainHandler writes the domain table               */
/* ------------------------------------------------------------------------ */

/* example.org with alice and bob (their own alias rows), info@ an alias of
 * alice, alias domain example.net -> example.org, alice's vacation and
 * quota2 row, a domain admin and a log row; other.example with dave, and
 * fwd@other.example forwarding to alice. */
static void
pfa_set_up (Fixture       *f,
            gconstpointer  driver)
{
  g_autofree char *path = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  g_remove (audit_path);
  f->tdb = mw_test_db_new (driver, FALSE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  path = g_build_filename (MW_SOURCE_DIR, "sql", "postfixadmin",
                           f->tdb->driver == MW_DB_DRIVER_PGSQL ? "pgsql.sql" : "mysql.sql", NULL);
  g_file_get_contents (path, &sql, NULL, &error);
  g_assert_no_error (error);
  mw_db_exec_script (f->tdb->db, sql, &error);
  g_assert_no_error (error);
  mw_test_db_exec (f->tdb, "INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, "
                   "backupmx, active) VALUES ('example.org', 'Shop', 10, 10, 10, 2048, 'virtual', '0', '1'), "
                   "('example.net', '', 0, 0, 0, 0, 'virtual', '0', '1'), "
                   "('other.example', '', 0, 0, 0, 0, 'virtual', '0', '1')");
  mw_test_db_exec (f->tdb, "INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) "
                   "VALUES ('alice@example.org', '{PLAIN}a', 'Alice', 'example.org/alice/', 0, 'alice', "
                   "'example.org', '1'), ('bob@example.org', '{PLAIN}b', 'Bob', 'example.org/bob/', 0, 'bob', "
                   "'example.org', '1'), ('dave@other.example', '{PLAIN}d', 'Dave', 'other.example/dave/', 0, "
                   "'dave', 'other.example', '1')");
  mw_test_db_exec (f->tdb, "INSERT INTO alias (address, goto, domain, active) VALUES "
                   "('alice@example.org', 'alice@example.org', 'example.org', '1'), "
                   "('bob@example.org', 'bob@example.org', 'example.org', '1'), "
                   "('info@example.org', 'alice@example.org', 'example.org', '1'), "
                   "('dave@other.example', 'dave@other.example', 'other.example', '1'), "
                   "('fwd@other.example', 'alice@example.org', 'other.example', '1')");
  mw_test_db_exec (f->tdb, "INSERT INTO alias_domain (alias_domain, target_domain, active) "
                   "VALUES ('example.net', 'example.org', '1')");
  mw_test_db_exec (f->tdb, f->tdb->driver == MW_DB_DRIVER_PGSQL
                   ? "INSERT INTO vacation (email, subject, body, active, domain) "
                     "VALUES ('alice@example.org', 'Away', 'Back soon', '1', 'example.org')"
                   : "INSERT INTO vacation (email, subject, body, active, domain, cache) "
                     "VALUES ('alice@example.org', 'Away', 'Back soon', '1', 'example.org', '')");
  mw_test_db_exec (f->tdb, "INSERT INTO quota2 (username, bytes, messages) VALUES ('alice@example.org', 5, 1), "
                   "('dave@other.example', 7, 1)");
  mw_test_db_exec (f->tdb, "INSERT INTO domain_admins (username, domain, active) "
                   "VALUES ('boss@example.org', 'example.org', '1'), ('boss@example.org', 'other.example', '1')");
  mw_test_db_exec (f->tdb, "INSERT INTO log (username, domain, action, data) "
                   "VALUES ('admin', 'example.org', 'create_mailbox', 'bob@example.org')");
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
}

static char *
pfa_snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT domain, description, aliases, mailboxes, maxquota, quota, transport, "
                          "CASE WHEN backupmx THEN 1 ELSE 0 END, CASE WHEN active THEN 1 ELSE 0 END FROM domain "
                          "ORDER BY domain", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT username, domain FROM mailbox ORDER BY username", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT address, goto FROM alias ORDER BY address", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT alias_domain FROM alias_domain ORDER BY alias_domain", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT email FROM vacation ORDER BY email", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT username FROM quota2 ORDER BY username", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT domain FROM domain_admins ORDER BY domain", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT domain, action, data FROM log ORDER BY id", out);
  return g_string_free (out, FALSE);
}

static void
test_pfa_add (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *key2 = NULL;
  g_autofree char *row = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(MwDomainChange) settings = mw_domain_change_new ();
  MwAuditEntry *entry;

  pfa_set_up (&f, driver);
  g_assert_cmpint (mw_schema_get_domain_fields (f.schema) & MW_DOMAIN_ACTIVE, !=, 0);
  key = mw_schema_add_domain (f.schema, &f.admin, " Grüße.Example ", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "xn--gre-6ka8l.example");
  /* PostfixAdmin's config.inc.php defaults */
  row = mw_test_db_string (f.tdb, "SELECT CONCAT(domain, ' ', aliases, ' ', mailboxes, ' ', maxquota, ' ', quota, "
                           "' ', transport, ' ', CASE WHEN backupmx THEN 1 ELSE 0 END, ' ', "
                           "CASE WHEN active THEN 1 ELSE 0 END, ' ', CASE WHEN created IS NULL THEN 0 ELSE 1 END) "
                           "FROM domain WHERE domain = 'xn--gre-6ka8l.example'");
  g_assert_cmpstr (row, ==, "xn--gre-6ka8l.example 10 10 10 2048 virtual 0 1 1");
  g_clear_pointer (&row, g_free);
  row = mw_test_db_string (f.tdb, "SELECT CONCAT(action, ' ', data) FROM log WHERE domain = 'xn--gre-6ka8l.example'");
  g_assert_cmpstr (row, ==, "create_domain xn--gre-6ka8l.example");
  g_clear_pointer (&row, g_free);
  entry = last_audit ();
  g_assert_cmpstr (entry->action, ==, "domain.add");
  g_assert_cmpstr (entry->target, ==, "xn--gre-6ka8l.example");
  mw_audit_entry_free (entry);

  domain = mw_schema_get_domain (f.schema, f.tdb->db, "GRÜSSE.example", NULL, &error);
  g_assert_null (domain);
  g_clear_error (&error);
  domain = mw_schema_get_domain (f.schema, f.tdb->db, "grüße.EXAMPLE", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (domain->key, ==, key);
  g_assert_cmpint (domain->max_quota, ==, 10 * 1024000);
  g_assert_cmpint (domain->quota, ==, 2048 * 1024000);
  g_assert_cmpstr (domain->transport, ==, "virtual");
  g_assert_true (domain->active);
  g_clear_pointer (&domain, mw_domain_free);

  /* With settings: a description, disabled, limits, 1 GB per mailbox. */
  settings->changes = MW_DOMAIN_DESCRIPTION | MW_DOMAIN_ACTIVE | MW_DOMAIN_MAX_MAILBOXES | MW_DOMAIN_MAX_QUOTA;
  settings->description = g_strdup ("Bücher");
  settings->active = FALSE;
  settings->max_mailboxes = 3;
  settings->max_quota = 1000 * 1024000;
  key2 = mw_schema_add_domain (f.schema, &f.admin, "books.example", settings, &error);
  g_assert_no_error (error);
  row = mw_test_db_string (f.tdb, "SELECT CONCAT(description, ' ', aliases, ' ', mailboxes, ' ', maxquota, ' ', "
                           "CASE WHEN active THEN 1 ELSE 0 END) FROM domain WHERE domain = 'books.example'");
  g_assert_cmpstr (row, ==, "Bücher 10 3 1000 0");

  /* Taken, also in another case: refused, nothing written. */
  {
    g_autofree char *before = pfa_snapshot (&f);
    g_autofree char *after = NULL;
    g_autofree char *again = mw_schema_add_domain (f.schema, &f.admin, "EXAMPLE.Org", NULL, &error);

    g_assert_null (again);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
    assert_contains (error->message, "The domain “example.org” is already in this database.");
    g_clear_error (&error);
    after = pfa_snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }
  fixture_tear_down (&f);
}

static void
test_pfa_bad_names (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autofree char *before = NULL;
  const char *const bad[] = {
    "x.example'; DROP TABLE mailbox; --", "bad\xff.example", "", "   ", "localhost", "alice@example.org",
    "ex ample.org", "ALL", ".example.org",
  };

  pfa_set_up (&f, driver);
  before = pfa_snapshot (&f);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = mw_schema_add_domain (f.schema, &f.admin, bad[i], NULL, &error);
      g_autofree char *after = NULL;

      g_assert_null (key);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
      after = pfa_snapshot (&f);
      g_assert_cmpstr (after, ==, before);
    }
  /* A transport PostfixAdmin does not offer, a limit below -1. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwDomainChange) settings = mw_domain_change_new ();
    g_autofree char *key = NULL;
    g_autofree char *after = NULL;

    settings->changes = MW_DOMAIN_TRANSPORT;
    settings->transport = g_strdup ("smtp:[evil]'");
    key = mw_schema_add_domain (f.schema, &f.admin, "fine.example", settings, &error);
    g_assert_null (key);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_clear_error (&error);
    settings->changes = MW_DOMAIN_MAX_ALIASES;
    settings->max_aliases = -5;
    key = mw_schema_add_domain (f.schema, &f.admin, "fine.example", settings, &error);
    g_assert_null (key);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    after = pfa_snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }
  fixture_tear_down (&f);
}

static void
test_pfa_update (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(MwDomainChange) change = mw_domain_change_new ();
  g_autoptr(MwDomainChange) undo = NULL;
  g_autoptr(MwDomainChange) redo = NULL;
  g_autofree char *before = NULL;
  g_autofree char *row = NULL;
  MwAuditEntry *entry;

  pfa_set_up (&f, driver);
  before = pfa_snapshot (&f);
  domain = mw_schema_get_domain (f.schema, f.tdb->db, "Example.ORG", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (domain->description, ==, "Shop");
  g_assert_cmpint (domain->mailboxes, ==, 2);
  g_assert_cmpint (domain->aliases, ==, 1);
  change->changes = MW_DOMAIN_DESCRIPTION | MW_DOMAIN_ACTIVE | MW_DOMAIN_MAX_ALIASES | MW_DOMAIN_QUOTA |
                    MW_DOMAIN_TRANSPORT | MW_DOMAIN_BACKUP_MX;
  change->description = g_strdup ("Laden");
  change->active = FALSE;
  change->max_aliases = 0;
  change->quota = 500 * 1024000;
  change->transport = g_strdup ("relay");
  change->backup_mx = TRUE;
  change->expected_fingerprint = g_strdup (domain->fingerprint);
  undo = mw_schema_update_domain (f.schema, &f.admin, domain->key, change, &error);
  g_assert_no_error (error);
  row = mw_test_db_string (f.tdb, "SELECT CONCAT(description, ' ', aliases, ' ', mailboxes, ' ', maxquota, ' ', "
                           "quota, ' ', transport, ' ', CASE WHEN backupmx THEN 1 ELSE 0 END, ' ', "
                           "CASE WHEN active THEN 1 ELSE 0 END) FROM domain WHERE domain = 'example.org'");
  g_assert_cmpstr (row, ==, "Laden 0 10 10 500 relay 1 0");
  g_clear_pointer (&row, g_free);
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM log WHERE domain = 'example.org' "
                                   "AND action = 'edit_domain' AND data = 'example.org'"), ==, 1);
  entry = last_audit ();
  g_assert_cmpstr (entry->action, ==, "domain.update");
  assert_contains (entry->before, "Shop");
  assert_contains (entry->after, "Laden");
  mw_audit_entry_free (entry);

  /* The old fingerprint no longer matches: refused. */
  {
    MwDomainChange *stale = mw_schema_update_domain (f.schema, &f.admin, domain->key, change, &error);

    g_assert_null (stale);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT);
    g_clear_error (&error);
  }
  /* The undo puts every field back; only the log keeps the two edits. */
  redo = mw_schema_update_domain (f.schema, &f.admin, domain->key, undo, &error);
  g_assert_no_error (error);
  row = mw_test_db_string (f.tdb, "SELECT CONCAT(description, ' ', aliases, ' ', quota, ' ', transport, ' ', "
                           "CASE WHEN backupmx THEN 1 ELSE 0 END, ' ', CASE WHEN active THEN 1 ELSE 0 END) "
                           "FROM domain WHERE domain = 'example.org'");
  g_assert_cmpstr (row, ==, "Shop 10 2048 virtual 0 1");
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM log WHERE action = 'edit_domain'"), ==, 2);

  /* A rename and a bad transport are refused with nothing changed. */
  {
    g_autoptr(MwDomainChange) rename = mw_domain_change_new ();
    g_autofree char *now = NULL;
    g_autofree char *was = NULL;
    MwDomainChange *none;

    mw_test_db_exec (f.tdb, "DELETE FROM log WHERE action = 'edit_domain'");
    was = pfa_snapshot (&f);
    rename->changes = MW_DOMAIN_NAME;
    rename->name = g_strdup ("example.com");
    none = mw_schema_update_domain (f.schema, &f.admin, domain->key, rename, &error);
    g_assert_null (none);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    g_clear_error (&error);
    rename->changes = MW_DOMAIN_TRANSPORT;
    rename->transport = g_strdup ("smtp");
    none = mw_schema_update_domain (f.schema, &f.admin, domain->key, rename, &error);
    g_assert_null (none);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_clear_error (&error);
    now = pfa_snapshot (&f);
    g_assert_cmpstr (now, ==, was);
  }
  fixture_tear_down (&f);
}

static void
test_pfa_delete (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(MwDomainDeleteSummary) s = NULL;
  g_autofree char *before = NULL;
  g_autofree char *text = NULL;
  g_autofree char *row = NULL;
  MwAdmin dry = { 0 };
  MwAuditEntry *entry;

  pfa_set_up (&f, driver);
  before = pfa_snapshot (&f);
  /* The target of an alias domain: refused, as DomainHandler does. */
  domain = mw_schema_get_domain (f.schema, f.tdb->db, "example.org", NULL, &error);
  g_assert_no_error (error);
  {
    const char *keys[] = { domain->key, NULL };
    g_autofree char *after = NULL;

    s = mw_schema_delete_domains (f.schema, &f.admin, keys, &error);
    g_assert_null (s);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    assert_contains (error->message, "target of an alias domain");
    g_clear_error (&error);
    after = pfa_snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }
  mw_test_db_exec (f.tdb, "UPDATE alias_domain SET alias_domain = 'example.org', target_domain = 'other.example'");
  before = (g_free (before), pfa_snapshot (&f));

  dry = f.admin;
  dry.dry_run = TRUE;
  {
    const char *keys[] = { domain->key, NULL };
    g_autofree char *after = NULL;

    s = mw_schema_delete_domains (f.schema, &dry, keys, &error);
    g_assert_no_error (error);
    after = pfa_snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }
  g_assert_cmpint (s->domains, ==, 1);
  g_assert_cmpint (s->mailboxes, ==, 2);
  g_assert_cmpint (s->aliases, ==, 1);
  g_assert_cmpint (s->alias_domains, ==, 1);
  text = mw_domain_delete_summary_describe (s);
  g_assert_cmpstr (text, ==, "1 domain with 2 mailboxes, 1 alias and 1 alias domain. The mail is not in the "
                   "database: remove these Maildirs from the mail server's disk by hand: "
                   "/var/mail/vmail/example.org/alice/ /var/mail/vmail/example.org/bob/");
  g_clear_pointer (&s, mw_domain_delete_summary_free);

  {
    const char *keys[] = { domain->key, NULL };

    s = mw_schema_delete_domains (f.schema, &f.admin, keys, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (g_strv_length (s->maildirs), ==, 2);
  row = pfa_snapshot (&f);
  /* Only other.example's rows, and the one log row DomainHandler leaves. */
  g_assert_cmpstr (row, ==, "example.net||0|0|0|0|virtual|0|1|\nother.example||0|0|0|0|virtual|0|1|\n"
                   "dave@other.example|other.example|\n"
                   "dave@other.example|dave@other.example|\nfwd@other.example|alice@example.org|\n"
                   "dave@other.example|\n"
                   "other.example|\n"
                   "example.org|delete_domain|example.org|\n");
  entry = last_audit ();
  g_assert_cmpstr (entry->action, ==, "domain.delete");
  assert_contains (entry->before, "/var/mail/vmail/example.org/alice/");
  mw_audit_entry_free (entry);
  fixture_tear_down (&f);
}

/* The real Postfix with PostfixAdmin's maps: a domain added is one it
 * receives mail for; one deleted or disabled is not. */
static void
test_pfa_postmap (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *found = NULL;
  g_autoptr(MwDomainDeleteSummary) s = NULL;
  g_autoptr(MwDomainChange) change = mw_domain_change_new ();
  g_autoptr(MwDomainChange) undo = NULL;

  pfa_set_up (&f, driver);
  {
    g_autoptr(MwTestVmail) v = mw_test_vmail_new (f.tdb, MW_TEST_VMAIL_POSTFIXADMIN);

    found = mw_test_vmail_postmap (v, "virtual_mailbox_domains", "neu.example");
    g_assert_null (found);
    key = mw_schema_add_domain (f.schema, &f.admin, "Neu.Example", NULL, &error);
    g_assert_no_error (error);
    found = mw_test_vmail_postmap (v, "virtual_mailbox_domains", "neu.example");
    g_assert_nonnull (found);
    g_clear_pointer (&found, g_free);

    change->changes = MW_DOMAIN_ACTIVE;
    change->active = FALSE;
    undo = mw_schema_update_domain (f.schema, &f.admin, "other.example", change, &error);
    g_assert_no_error (error);
    found = mw_test_vmail_postmap (v, "virtual_mailbox_domains", "other.example");
    g_assert_null (found);

    found = mw_test_vmail_postmap (v, "virtual_mailbox_domains", "example.org");
    g_assert_nonnull (found);
    g_clear_pointer (&found, g_free);
    {
      const char *keys[] = { "neu.example", NULL };

      s = mw_schema_delete_domains (f.schema, &f.admin, keys, &error);
      g_assert_no_error (error);
    }
    found = mw_test_vmail_postmap (v, "virtual_mailbox_domains", "neu.example");
    g_assert_null (found);
  }
  fixture_tear_down (&f);
}

static void
test_pfa_cli (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autofree char *uri = NULL;

  pfa_set_up (&f, driver);
  uri = f.tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", f.tdb->settings->user, f.tdb->database,
                       f.tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", f.tdb->settings->user, f.tdb->database, f.tdb->settings->socket);
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "add", "Grüße.example", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Added the domain grüße.example (stored as xn--gre-6ka8l.example).\n");
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM log WHERE action = 'create_domain'"), ==, 1);
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "set", "grüße.example", "--description", "Grüße", "--disable",
                     "--max-mailboxes", "5", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Changed the domain grüße.example.\nPostfix no longer accepts mail for this domain, "
                     "but its mailboxes can still log in to Dovecot unless they are disabled too.\n");
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM domain WHERE domain = 'xn--gre-6ka8l.example' "
                                     "AND description = 'Grüße' AND mailboxes = 5 AND NOT active"), ==, 1);
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "set", "grüße.example", "--enable", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Changed the domain grüße.example.\n");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "domain", "delete", "other.example", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Deleted: 1 domain with 1 mailbox, 1 alias and 0 alias domains. The mail is not in "
                     "the database: remove this Maildir from the mail server's disk by hand: "
                     "/var/mail/vmail/other.example/dave/\n");
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM mailbox WHERE domain = 'other.example'"), ==, 0);
  }
  fixture_tear_down (&f);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  audit_path = mw_test_private_audit_log ();

  mw_test_add_both ("/domains/add", test_add);
  mw_test_add_both ("/domains/bad-names", test_bad_names);
  mw_test_add_both ("/domains/update", test_update);
  mw_test_add_both ("/domains/delete", test_delete);
  mw_test_add_both ("/domains/session", test_session);
  mw_test_add_both ("/domains/cli", test_cli);
  mw_test_add_both ("/domains/postmap", test_postmap);
  mw_test_add_both ("/domains/dbmail", test_dbmail);
  mw_test_add_both ("/domains/postfixadmin/add", test_pfa_add);
  mw_test_add_both ("/domains/postfixadmin/bad-names", test_pfa_bad_names);
  mw_test_add_both ("/domains/postfixadmin/update", test_pfa_update);
  mw_test_add_both ("/domains/postfixadmin/delete", test_pfa_delete);
  mw_test_add_both ("/domains/postfixadmin/postmap", test_pfa_postmap);
  mw_test_add_both ("/domains/postfixadmin/cli", test_pfa_cli);

  return mw_test_run ();
}
