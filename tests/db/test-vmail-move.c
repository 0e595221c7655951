/* test-vmail-move.c: a mailbox's new address (issue 17: "move to another
 * domain where the flavour allows"), on PostgreSQL and MariaDB.
 *
 * ISPmail: the row's email and domain_id change in one transaction, the
 * alias rows that deliver to the old address deliver to the new one, the
 * mailbox's own forwards (rows from its address) move with it, and the old
 * address is not kept. The change returned undoes it and carries the
 * notice with the Maildir to move. The real Postfix (postmap -q with the
 * tutorial's maps) and Dovecot (doveadm auth test) see the new address and
 * no longer the old one. Refusals change nothing.
 *
 * PostfixAdmin: refused with the sentence that says what to do instead.
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

#define NOTICE "Move /var/vmail/example.org/alice/ to /var/vmail/example.com/alicia/ on the mail server, " \
               "or the mailbox will start empty."

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
  char     *alice_key;
} Fixture;

static const char *audit_path;

/* example.org with alice (password "alice-secret", made by Mailwarden)
 * and bob; example.com empty; info@example.org and team@bücher.example
 * deliver to alice, alice keeps a copy at alice@elsewhere.net (a row from
 * her address), sales@example.org forwards elsewhere. */
static void
set_up (Fixture       *f,
        gconstpointer  driver)
{
  g_autoptr(GError) error = NULL;
  MwNewAccount alice = { .name = "alice@example.org", .password = "alice-secret" };

  g_remove (audit_path);
  f->tdb = mw_test_db_new (driver, FALSE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  mw_test_vmail_load_schema (f->tdb, "ispmail");
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_domains (name) VALUES ('example.org'), ('example.com'), "
                   "('xn--bcher-kva.example')");
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  f->alice_key = mw_schema_add_account (f->schema, &f->admin, &alice, &error);
  g_assert_no_error (error);
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_users (domain_id, email, password, quota) VALUES "
                   "(1, 'bob@example.org', '{PLAIN}b', 0)");
  mw_test_db_exec (f->tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) VALUES "
                   "(1, 'info@example.org', 'alice@example.org'), "
                   "(3, 'team@xn--bcher-kva.example', 'Alice@Example.org'), "
                   "(1, 'alice@example.org', 'alice@elsewhere.net'), "
                   "(1, 'sales@example.org', 'boss@elsewhere.net')");
}

static void
tear_down (Fixture *f)
{
  g_free (f->alice_key);
  g_assert_finalize_object (f->schema);
  mw_test_db_free (f->tdb);
}

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

static MwAccountChange *
move (Fixture     *f,
      const char  *to,
      GError     **error)
{
  g_autoptr(MwAccountChange) c = mw_account_change_new ();

  c->changes = MW_ACCOUNT_CHANGE_NAME;
  c->name = g_strdup (to);
  return mw_schema_update_account (f->schema, &f->admin, f->alice_key, c, error);
}

static void
assert_postmap (MwTestVmail *v,
                const char  *map,
                const char  *key,
                const char  *expected)
{
  g_autofree char *found = mw_test_vmail_postmap (v, map, key);

  if (g_strcmp0 (found, expected) != 0)
    g_error ("postmap -q %s %s: “%s”, expected “%s”", key, map, found, expected);
}

/* ------------------------------------------------------------------------ */

static void
test_move (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAccountChange) undo = NULL;
  g_autoptr(MwAccountChange) back = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *rows = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  MwAuditEntry *entry;

  set_up (&f, driver);
  g_assert_true (mw_schema_can (f.schema, MW_SCHEMA_CAN_RENAME));
  before = snapshot (&f);
  {
    g_autoptr(MwTestVmail) v = mw_test_vmail_new (f.tdb, MW_TEST_VMAIL_ISPMAIL);

    g_assert_true (mw_test_vmail_auth (v, "alice@example.org", "alice-secret", NULL));

    /* Typed in another case: stored as Postfix looks it up. */
    undo = move (&f, "Alicia@Example.COM", &error);
    g_assert_no_error (error);
    g_assert_nonnull (undo);
    g_assert_cmpstr (undo->notice, ==, NOTICE);
    g_assert_true (undo->changes & MW_ACCOUNT_CHANGE_NAME);
    g_assert_cmpstr (undo->name, ==, "alice@example.org");

    /* The same row (same key), in the other domain; aliases follow; the old
     * address is no alias. */
    rows = mw_test_db_string (f.tdb, "SELECT email FROM virtual_users WHERE domain_id = 2");
    g_assert_cmpstr (rows, ==, "alicia@example.com");
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_users WHERE lower(email) LIKE 'alice@%'"),
                     ==, 0);
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_aliases WHERE "
                                            "destination = 'alicia@example.com'"), ==, 2);
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_aliases WHERE "
                                            "source = 'alicia@example.com' AND domain_id = 2 "
                                            "AND destination = 'alice@elsewhere.net'"), ==, 1);
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_aliases WHERE "
                                            "lower(source) LIKE 'alice@%' OR lower(destination) = 'alice@example.org'"),
                     ==, 0);
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_aliases WHERE "
                                            "source = 'sales@example.org' AND destination = 'boss@elsewhere.net'"),
                     ==, 1);
    {
      g_autoptr(MwAccount) a = mw_schema_get_account (f.schema, f.tdb->db, f.alice_key, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (a->name, ==, "alicia@example.com");
    }

    /* What Postfix and Dovecot see. */
    assert_postmap (v, "virtual_mailbox_maps", "alicia@example.com", "1");
    assert_postmap (v, "virtual_mailbox_maps", "alice@example.org", NULL);
    assert_postmap (v, "virtual-alias-maps", "info@example.org", "alicia@example.com");
    assert_postmap (v, "virtual-alias-maps", "team@xn--bcher-kva.example", "alicia@example.com");
    assert_postmap (v, "virtual-alias-maps", "alicia@example.com", "alice@elsewhere.net");
    assert_postmap (v, "email2email", "alicia@example.com", "alicia@example.com");
    assert_postmap (v, "virtual_alias_maps", "alice@example.org", NULL);
    g_assert_true (mw_test_vmail_auth (v, "alicia@example.com", "alice-secret", NULL));
    g_assert_false (mw_test_vmail_auth (v, "alice@example.org", "alice-secret", NULL));

    /* Audit-logged under the old address, with the new one. */
    entries = mw_audit_read (1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, ==, 1);
    entry = g_ptr_array_index (entries, 0);
    g_assert_cmpstr (entry->action, ==, "user.change");
    g_assert_cmpstr (entry->target, ==, "alice@example.org");
    g_assert_nonnull (strstr (entry->after, "alicia@example.com"));

    /* Undo moves it back, aliases and forwards with it. */
    back = mw_schema_update_account (f.schema, &f.admin, f.alice_key, undo, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (back->notice, ==, "Move /var/vmail/example.com/alicia/ to /var/vmail/example.org/alice/ on the "
                                       "mail server, or the mailbox will start empty.");
    g_assert_cmpstr (back->name, ==, "alicia@example.com");
    after = snapshot (&f);
    /* team@ pointed to "Alice@Example.org": it comes back as stored now. */
    g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_aliases WHERE "
                                            "destination = 'alice@example.org'"), ==, 2);
    mw_test_db_exec (f.tdb, "UPDATE virtual_aliases SET destination = 'Alice@Example.org' "
                            "WHERE source = 'team@xn--bcher-kva.example'");
    g_free (after);
    after = snapshot (&f);
    g_assert_cmpstr (after, ==, before);
    assert_postmap (v, "virtual_mailbox_maps", "alice@example.org", "1");
    assert_postmap (v, "virtual_mailbox_maps", "alicia@example.com", NULL);
    g_assert_true (mw_test_vmail_auth (v, "alice@example.org", "alice-secret", NULL));
    g_assert_false (mw_test_vmail_auth (v, "alicia@example.com", "alice-secret", NULL));
  }
  tear_down (&f);
}

/* Into a domain in Unicode, and together with a new quota. */
static void
test_move_unicode (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAccountChange) c = mw_account_change_new ();
  g_autoptr(MwAccountChange) undo = NULL;
  g_autofree char *row = NULL;

  set_up (&f, driver);
  c->changes = MW_ACCOUNT_CHANGE_NAME | MW_ACCOUNT_CHANGE_QUOTA;
  c->name = g_strdup ("Alice@Bücher.example");
  c->quota = 5000;
  undo = mw_schema_update_account (f.schema, &f.admin, f.alice_key, c, &error);
  g_assert_no_error (error);
  row = mw_test_db_string (f.tdb, "SELECT CONCAT(email, ' ', domain_id, ' ', quota) FROM virtual_users "
                                  "WHERE email LIKE 'alice@%'");
  g_assert_cmpstr (row, ==, "alice@xn--bcher-kva.example 3 5000");
  g_assert_cmpstr (undo->notice, ==, "Move /var/vmail/example.org/alice/ to /var/vmail/xn--bcher-kva.example/alice/ "
                                     "on the mail server, or the mailbox will start empty.");
  tear_down (&f);
}

static void
test_refusals (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autofree char *before = NULL;
  /* 114 characters, each part within its own limit: the column holds 100. */
  g_autofree char *long_address = g_strdup_printf ("%s@%s.example", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                                   "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  struct { const char *to; const char *says; } cases[] = {
    { "bob@example.org", "the mailbox “bob@example.org” has it" },
    { "BOB@Example.org", "the mailbox “bob@example.org” has it" },
    { "info@example.org", "it is an alias or a forward" },
    { "Sales@EXAMPLE.org", "it is an alias or a forward" },
    { "alice@nowhere.example", "The domain “nowhere.example” is not in this database" },
    { "not an address", NULL },
    { "@example.com", NULL },
    { "", NULL },
    { long_address, "at most 100" },
    { "x'; DROP TABLE virtual_users; --@example.com", NULL },
    { "al\xff" "ice@example.com", NULL },
  };

  set_up (&f, driver);
  before = snapshot (&f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwAccountChange) undo = move (&f, cases[i].to, &error);
      g_autofree char *after = NULL;

      if (undo != NULL)
        g_error ("“%s” was accepted", cases[i].to);
      g_assert_nonnull (error);
      if (cases[i].says != NULL && strstr (error->message, cases[i].says) == NULL)
        g_error ("“%s”: “%s” does not say “%s”", cases[i].to, error->message, cases[i].says);
      after = snapshot (&f);
      g_assert_cmpstr (after, ==, before);
    }

  /* A dry run changes nothing and asks for no Maildir to move. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwAccountChange) c = mw_account_change_new ();
    g_autoptr(MwAccountChange) undo = NULL;
    g_autofree char *after = NULL;
    MwAdmin dry = f.admin;

    dry.dry_run = TRUE;
    c->changes = MW_ACCOUNT_CHANGE_NAME;
    c->name = g_strdup ("alicia@example.com");
    undo = mw_schema_update_account (f.schema, &dry, f.alice_key, c, &error);
    g_assert_no_error (error);
    g_assert_null (undo->notice);
    after = snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }

  /* The address as shown, in another case, is no move: no notice. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwAccountChange) undo = move (&f, "ALICE@example.ORG", &error);
    g_autofree char *after = NULL;

    g_assert_no_error (error);
    g_assert_null (undo->notice);
    g_assert_false (undo->changes & MW_ACCOUNT_CHANGE_NAME);
    after = snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }

  /* Read before someone else changed the row: refused. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwAccountChange) c = mw_account_change_new ();
    g_autoptr(MwAccountChange) undo = NULL;
    g_autofree char *after = NULL;

    c->changes = MW_ACCOUNT_CHANGE_NAME;
    c->name = g_strdup ("alicia@example.com");
    c->expected_fingerprint = g_strdup ("stale");
    undo = mw_schema_update_account (f.schema, &f.admin, f.alice_key, c, &error);
    g_assert_null (undo);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT);
    after = snapshot (&f);
    g_assert_cmpstr (after, ==, before);
  }

  /* The undo of a move after someone took the old address: refused, nothing changed. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwAccountChange) undo = move (&f, "alicia@example.com", &error);
    g_autoptr(MwAccountChange) back = NULL;
    g_autofree char *moved = NULL;
    g_autofree char *after = NULL;

    g_assert_no_error (error);
    mw_test_db_exec (f.tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) VALUES "
                            "(1, 'alice@example.org', 'bob@example.org')");
    moved = snapshot (&f);
    back = mw_schema_update_account (f.schema, &f.admin, f.alice_key, undo, &error);
    g_assert_null (back);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
    after = snapshot (&f);
    g_assert_cmpstr (after, ==, moved);
  }
  tear_down (&f);
}

/* ------------------------------------------------------------------------ */

static void
test_postfixadmin (gconstpointer driver)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwSchema) schema = NULL;
  g_autoptr(MwAccountChange) c = mw_account_change_new ();
  g_autoptr(MwAccountChange) undo = NULL;
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  const char *rows = "SELECT username, maildir, domain FROM mailbox ORDER BY username";
  const char *aliases = "SELECT address, goto FROM alias ORDER BY address";
  MwAdmin admin = { .db = tdb->db, .profile = "test" };

  mw_test_vmail_load_schema (tdb, "postfixadmin");
  mw_test_db_exec (tdb, "INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, "
                        "backupmx, active) VALUES ('example.org', '', 10, 10, 0, 0, 'virtual', '0', '1'), "
                        "('example.com', '', 10, 10, 0, 0, 'virtual', '0', '1')");
  mw_test_db_exec (tdb, "INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) "
                        "VALUES ('dave@example.org', '{PLAIN}x', 'Dave', 'example.org/dave/', 0, 'dave', "
                        "'example.org', '1')");
  mw_test_db_exec (tdb, "INSERT INTO alias (address, goto, domain, active) "
                        "VALUES ('dave@example.org', 'dave@example.org', 'example.org', '1')");
  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (mw_schema_can (schema, MW_SCHEMA_CAN_RENAME));
  mw_test_db_append_rows (tdb->db, rows, before);
  mw_test_db_append_rows (tdb->db, aliases, before);

  c->changes = MW_ACCOUNT_CHANGE_NAME;
  c->name = g_strdup ("david@example.com");
  undo = mw_schema_update_account (schema, &admin, "dave@example.org", c, &error);
  g_assert_null (undo);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==,
                   "A PostfixAdmin mailbox cannot change its address: the address is the key of its rows, and "
                   "PostfixAdmin cannot change it either. Add a mailbox with the new address, move the mail into it "
                   "on the mail server with doveadm (doveadm import -u NEW-ADDRESS "
                   "maildir:/var/mail/vmail/example.org/dave/ \"\" all), then delete the mailbox “dave@example.org”.");
  mw_test_db_append_rows (tdb->db, rows, after);
  mw_test_db_append_rows (tdb->db, aliases, after);
  g_assert_cmpstr (after->str, ==, before->str);
  g_clear_object (&schema);
}

/* ------------------------------------------------------------------------ */
/* mailwarden-cli user set ADDRESS --name NEW                                */

static void
test_cli (gconstpointer driver)
{
  Fixture f = { 0 };
  g_autofree char *uri = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  const char *cli = g_getenv ("MW_CLI");

  set_up (&f, driver);
  uri = f.tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", f.tdb->settings->user, f.tdb->database,
                       f.tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", f.tdb->settings->user, f.tdb->database, f.tdb->settings->socket);
  g_assert_nonnull (cli);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  proc = g_subprocess_launcher_spawn (launcher, &error, cli, "--db", uri, "user", "set", "alice@example.org",
                                      "--name", "alicia@example.com", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (proc) != 0)
    g_error ("mailwarden-cli: %s", err);
  g_assert_cmpstr (out, ==, "Changed the user alicia@example.com.\n" NOTICE "\n");
  g_assert_cmpint (mw_test_db_int (f.tdb, "SELECT COUNT(*) FROM virtual_users WHERE email = 'alicia@example.com' "
                                          "AND domain_id = 2"), ==, 1);
  tear_down (&f);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  audit_path = mw_test_private_audit_log ();

  mw_test_add_both ("/vmail-move/ispmail/move", test_move);
  mw_test_add_both ("/vmail-move/ispmail/unicode", test_move_unicode);
  mw_test_add_both ("/vmail-move/ispmail/refusals", test_refusals);
  mw_test_add_both ("/vmail-move/ispmail/cli", test_cli);
  mw_test_add_both ("/vmail-move/postfixadmin/refused", test_postfixadmin);

  return mw_test_run ();
}
