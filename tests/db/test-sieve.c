/* test-sieve.c: DBMail's Sieve scripts (mw-sieve.h, mw-dbmail-sieve.c) on
 * PostgreSQL and MariaDB through the session's wrappers, as the GUI and the
 * CLI use them: put, list, show, activate exactly one, deactivate, rename,
 * delete, with the rows a real DBMail reads; scripts that do not compile
 * refused with Pigeonhole's sievec's message and nothing stored; bad names
 * and text; dry runs; a connection killed mid-change; a deleted user taking
 * its scripts along; the vacation script writer and reader (checked with
 * sievec); mailwarden-cli's sieve commands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-account.h"
#include "mw-async-wait.h"
#include "mw-audit.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-sieve.h"
#include "mw-sieve.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

#define RULES "require \"fileinto\";\nif header :contains \"subject\" \"[list]\" {\n  fileinto \"Lists\";\n}\n"
#define SPAM  "require [\"fileinto\", \"envelope\"];\nif envelope :is \"from\" \"spam@example.net\" { discard; }\n"
/* "fileintox" is no command: sievec refuses it on line 2. */
#define BROKEN "require \"fileinto\";\nif true { fileintox \"Junk\"; }\n"

typedef struct
{
  MwTestDb  *tdb;
  MwSession *session;
  gint64     alice;
  gint64     bob;
} Fixture;

static void
fixture_free (Fixture *f)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->tdb, mw_test_db_free);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static Fixture *
fixture_new (gconstpointer driver)
{
  g_autoptr(GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);
  MwDb *db;

  f->tdb = mw_test_db_new (driver, TRUE);
  f->alice = mw_test_db_add_user (f->tdb, "alice", 0, 0);
  f->bob = mw_test_db_add_user (f->tdb, "bob", 0, 0);
  db = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  f->session = mw_session_new_for_connection (NULL, f->tdb->settings, db, NULL, &error);
  g_assert_no_error (error);
  return f;
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

/* Every sieve row, sorted: equal texts are equal tables. */
static char *
snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT owner_idnr, name, active, script FROM dbmail_sievescripts "
                          "ORDER BY owner_idnr, name", out);
  return g_string_free (out, FALSE);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in “%s”", needle, haystack != NULL ? haystack : "(null)");
}

/* The session's wrappers, waited for. */

static MwSieveScript *
put (Fixture     *f,
     const char  *user,
     const char  *name,
     const char  *script,
     gboolean     activate,
     gboolean     dry_run,
     GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  mw_session_put_sieve_script_async (f->session, user, name, script, activate, dry_run, NULL, mw_async_wait_ready,
                                     &res);
  return mw_session_put_sieve_script_finish (f->session, mw_async_wait (&res), error);
}

static GPtrArray *
list (Fixture    *f,
      const char *user)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *scripts;

  mw_session_list_sieve_scripts_async (f->session, user, NULL, mw_async_wait_ready, &res);
  scripts = mw_session_list_sieve_scripts_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  return scripts;
}

static MwSieveScript *
get (Fixture     *f,
     const char  *user,
     const char  *name,
     GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  mw_session_get_sieve_script_async (f->session, user, name, NULL, mw_async_wait_ready, &res);
  return mw_session_get_sieve_script_finish (f->session, mw_async_wait (&res), error);
}

static MwSieveScript *
activate (Fixture     *f,
          const char  *user,
          const char  *name,
          gboolean     dry_run,
          GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  if (name == NULL)
    {
      mw_session_deactivate_sieve_scripts_async (f->session, user, dry_run, NULL, mw_async_wait_ready, &res);
      return mw_session_deactivate_sieve_scripts_finish (f->session, mw_async_wait (&res), error);
    }
  mw_session_activate_sieve_script_async (f->session, user, name, dry_run, NULL, mw_async_wait_ready, &res);
  return mw_session_activate_sieve_script_finish (f->session, mw_async_wait (&res), error);
}

static MwSieveScript *
delete (Fixture     *f,
        const char  *user,
        const char  *name,
        gboolean     dry_run,
        GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  mw_session_delete_sieve_script_async (f->session, user, name, dry_run, NULL, mw_async_wait_ready, &res);
  return mw_session_delete_sieve_script_finish (f->session, mw_async_wait (&res), error);
}

static MwSieveScript *
rename_script (Fixture     *f,
               const char  *user,
               const char  *name,
               const char  *new_name,
               GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  mw_session_rename_sieve_script_async (f->session, user, name, new_name, FALSE, NULL, mw_async_wait_ready, &res);
  return mw_session_rename_sieve_script_finish (f->session, mw_async_wait (&res), error);
}

/* The owner's active scripts' names, as DBMail's ManageSieve reads them. */
static char *
active_names (Fixture *f,
              gint64   owner)
{
  g_autofree char *sql = g_strdup_printf ("SELECT name FROM dbmail_sievescripts WHERE owner_idnr = %" G_GINT64_FORMAT
                                          " AND active = 1 ORDER BY name", owner);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = mw_db_exec (f->tdb->db, sql, NULL, 0, NULL, &error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) v = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    g_strv_builder_add (names, mw_db_result_get_string (r, i, 0));
  v = g_strv_builder_end (names);
  return g_strjoinv (",", v);
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

/* put, list, show, activate exactly one, replace, deactivate, rename, delete. */
static void
test_scripts (gconstpointer driver)
{
  g_autoptr(Fixture) f = fixture_new (driver);
  g_autoptr(GError) error = NULL;
  g_autofree char *alice_key = g_strdup_printf ("%" G_GINT64_FORMAT, f->alice);

  {
    g_autoptr(GPtrArray) none = list (f, "alice");

    g_assert_cmpuint (none->len, ==, 0);
  }
  {
    g_autoptr(MwSieveScript) before = put (f, "alice", "rules", RULES, FALSE, FALSE, &error);

    g_assert_no_error (error);
    g_assert_null (before->script);   /* it is new */
    g_assert_cmpint (before->size, ==, -1);
  }
  {
    /* by address too; a new script that is activated: the only active one */
    g_autoptr(MwSieveScript) before = put (f, "alice@example.org", "spam", SPAM, TRUE, FALSE, &error);

    g_assert_no_error (error);
  }
  {
    g_autoptr(MwSieveScript) bob = put (f, "bob", "rules", SPAM, TRUE, FALSE, &error);

    g_assert_no_error (error);
  }
  {
    g_autoptr(GPtrArray) scripts = list (f, alice_key);
    MwSieveScript *s0, *s1;

    g_assert_cmpuint (scripts->len, ==, 2);
    s0 = g_ptr_array_index (scripts, 0);
    s1 = g_ptr_array_index (scripts, 1);
    g_assert_cmpstr (s0->name, ==, "rules");
    g_assert_false (s0->active);
    g_assert_cmpint (s0->size, ==, strlen (RULES));
    g_assert_null (s0->script);
    g_assert_cmpstr (s1->name, ==, "spam");
    g_assert_true (s1->active);
  }
  {
    g_autofree char *names = active_names (f, f->alice);

    g_assert_cmpstr (names, ==, "spam");
  }
  {
    /* Activating one turns the owner's other off, and nobody else's. */
    g_autoptr(MwSieveScript) before = activate (f, "alice", "rules", FALSE, &error);
    g_autofree char *names = active_names (f, f->alice);
    g_autofree char *bobs = active_names (f, f->bob);
    g_autoptr(MwAuditEntry) entry = last_audit ();

    g_assert_no_error (error);
    g_assert_cmpstr (before->name, ==, "spam");
    g_assert_cmpstr (names, ==, "rules");
    g_assert_cmpstr (bobs, ==, "rules");
    g_assert_cmpstr (entry->action, ==, "sieve.activate");
    g_assert_cmpstr (entry->target, ==, "alice/rules");
  }
  {
    /* Replacing keeps it active; the text is the new one, as stored. */
    g_autoptr(MwSieveScript) before = put (f, "alice", "rules", SPAM, FALSE, FALSE, &error);
    g_autoptr(MwSieveScript) now = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (before->script, ==, RULES);
    g_assert_true (before->active);
    now = get (f, "alice", "rules", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (now->script, ==, SPAM);
    g_assert_true (now->active);
    g_assert_cmpint (now->size, ==, strlen (SPAM));
    g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_sievescripts WHERE name = 'rules'"), ==, 2);
  }
  {
    g_autoptr(MwSieveScript) none = get (f, "alice", "nope", &error);

    g_assert_null (none);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    assert_contains (error->message, "alice has no Sieve script named “nope”");
    g_clear_error (&error);
    none = get (f, "alice", "RULES", &error);   /* names are exact, on MariaDB too */
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    g_autoptr(MwSieveScript) before = activate (f, "alice", NULL, FALSE, &error);
    g_autofree char *names = active_names (f, f->alice);

    g_assert_no_error (error);
    g_assert_cmpstr (before->name, ==, "rules");
    g_assert_cmpstr (names, ==, "");
    g_clear_pointer (&before, mw_sieve_script_free);
    before = activate (f, "alice", NULL, FALSE, &error);
    g_assert_no_error (error);
    g_assert_null (before->name);
  }
  {
    g_autoptr(MwSieveScript) before = rename_script (f, "alice", "spam", "junk", &error);
    g_autoptr(MwSieveScript) taken = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (before->name, ==, "spam");
    g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_sievescripts WHERE name = 'junk'"), ==, 1);
    taken = rename_script (f, "alice", "junk", "rules", &error);
    g_assert_null (taken);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
    assert_contains (error->message, "alice already has a Sieve script named “rules”");
    g_clear_error (&error);
  }
  {
    /* A name of SQL metacharacters is only a name. */
    const char *odd = "x'); DROP TABLE dbmail_users; -- \"ü\\";
    g_autoptr(MwSieveScript) before = put (f, "alice", odd, RULES, FALSE, FALSE, &error);
    g_autoptr(MwSieveScript) back = NULL;

    g_assert_no_error (error);
    back = get (f, "alice", odd, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (back->name, ==, odd);
    g_clear_pointer (&before, mw_sieve_script_free);
    before = delete (f, "alice", odd, FALSE, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(MwSieveScript) before = delete (f, "alice", "junk", FALSE, &error);
    g_autoptr(GPtrArray) scripts = list (f, "alice");
    g_autoptr(MwAuditEntry) entry = last_audit ();

    g_assert_no_error (error);
    g_assert_cmpstr (before->script, ==, SPAM);
    g_assert_cmpuint (scripts->len, ==, 1);
    g_assert_cmpstr (entry->action, ==, "sieve.delete");
    g_assert_cmpstr (entry->target, ==, "alice/junk");
  }
  {
    /* A user deleted by Mailwarden takes its scripts along. */
    g_autoptr(GAsyncResult) res = NULL;
    g_autofree char *bob_key = g_strdup_printf ("%" G_GINT64_FORMAT, f->bob);
    MwDeleteSummary summary = { 0 };

    mw_session_delete_accounts_async (f->session, bob_key, 0, FALSE, NULL, mw_async_wait_ready, &res);
    g_assert_true (mw_session_delete_accounts_finish (f->session, mw_async_wait (&res), &summary, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_sievescripts WHERE owner_idnr NOT IN "
                               "(SELECT user_idnr FROM dbmail_users)"), ==, 0);
    g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_sievescripts"), ==, 1);
  }
}

/* Bad input and dry runs: a sentence, and the table as it was. */
static void
test_refused (gconstpointer driver)
{
  g_autoptr(Fixture) f = fixture_new (driver);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *big = NULL;
  g_autofree char *name_101 = g_strnfill (101, 'n');
  g_autofree char *name_256 = g_strnfill (256, 'n');
  struct { const char *user; const char *name; const char *script; GQuark domain; int code; const char *message; } bad[] = {
    { "alice", "", RULES, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID, "A Sieve script needs a name." },
    { "alice", "a/b", RULES, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID, "may not hold “/”" },
    { "alice", "a\nb", RULES, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID, "may not hold “/”, a line break" },
    { "alice", "bad\xff", RULES, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID, "is not valid UTF-8" },
    { "alice", name_256, RULES, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID, "at most" },
    { "alice", "ok", "require \"fileinto\";\n# \xc3\x28\n", MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
      "The Sieve script is not valid UTF-8 text." },
    { "alice", "ok", NULL, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID, "The Sieve script is too big" },
    { "alice", "ok", BROKEN, MW_SIEVE_ERROR, MW_SIEVE_ERROR_COMPILE, "The Sieve script does not compile:\nline 2: error:" },
    { "nobody-here", "ok", RULES, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, "nobody-here" },
    { "anyone", "ok", RULES, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, "anyone" },
  };

  big = g_strnfill (MW_SIEVE_SCRIPT_MAX + 1, '#');
  bad[6].script = big;
  {
    g_autoptr(MwSieveScript) keep = put (f, "alice", "keep", RULES, TRUE, FALSE, &error);

    g_assert_no_error (error);
  }
  before = snapshot (f);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MwSieveScript) s = put (f, bad[i].user, bad[i].name, bad[i].script, TRUE, FALSE, &error);
      g_autofree char *after = snapshot (f);

      g_test_message ("bad input %u", i);
      g_assert_null (s);
      g_assert_error (error, bad[i].domain, bad[i].code);
      assert_contains (error->message, bad[i].message);
      g_assert_cmpstr (after, ==, before);
      if (bad[i].code == MW_SIEVE_ERROR_COMPILE && bad[i].domain == MW_SIEVE_ERROR)
        {
          /* sievec's own words, without its temporary files */
          assert_contains (error->message, "fileintox");
          g_assert_null (strstr (error->message, "mailwarden-sieve-"));
          g_assert_null (strstr (error->message, "script.sieve"));
          g_assert_null (strstr (error->message, "Fatal"));
        }
      g_clear_error (&error);
    }
  {
    /* 101 characters: MariaDB's VARCHAR(255) holds it, PostgreSQL's VARCHAR(100) does not. */
    g_autoptr(MwSieveScript) s = put (f, "alice", name_101, RULES, FALSE, FALSE, &error);

    if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
      {
        g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID);
        assert_contains (error->message, "at most 100 characters");
        g_clear_error (&error);
      }
    else
      {
        g_assert_no_error (error);
        g_clear_pointer (&s, mw_sieve_script_free);
        s = delete (f, "alice", name_101, FALSE, &error);
        g_assert_no_error (error);
      }
  }
  {
    /* No compiler: refused, with the package to install. */
    g_autoptr(MwSieveScript) s = NULL;

    mw_sieve_set_compiler ("/nonexistent/sievec");
    s = put (f, "alice", "new", RULES, FALSE, FALSE, &error);
    mw_sieve_set_compiler (NULL);
    g_assert_null (s);
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NO_COMPILER);
    assert_contains (error->message, "dovecot-sieve");
    g_clear_error (&error);
  }
  {
    /* Dry runs: all checked (the compiler too), nothing kept. */
    g_autoptr(MwSieveScript) s = put (f, "alice", "new", RULES, TRUE, TRUE, &error);
    g_autofree char *after = NULL;

    g_assert_no_error (error);
    g_assert_null (s->script);
    g_clear_pointer (&s, mw_sieve_script_free);
    g_assert_null (put (f, "alice", "new", BROKEN, TRUE, TRUE, &error));
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_COMPILE);
    g_clear_error (&error);
    s = put (f, "alice", "keep", SPAM, FALSE, TRUE, &error);
    g_assert_no_error (error);
    g_clear_pointer (&s, mw_sieve_script_free);
    s = activate (f, "alice", NULL, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (s->name, ==, "keep");
    g_clear_pointer (&s, mw_sieve_script_free);
    s = delete (f, "alice", "keep", TRUE, &error);
    g_assert_no_error (error);
    g_assert_true (s->active);
    after = snapshot (f);
    g_assert_cmpstr (after, ==, before);
  }
  {
    /* Only scripts that are there can be activated, renamed, deleted. */
    g_autoptr(MwSieveScript) s = activate (f, "alice", "nope", FALSE, &error);

    g_assert_null (s);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_null (delete (f, "alice", "nope", FALSE, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_null (rename_script (f, "alice", "keep", "a/b", &error));
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID);
    g_clear_error (&error);
  }
}

int
main (int   argc,
      char *argv[])
{
  mw_test_init (&argc, &argv);
  mw_test_private_audit_log ();

  mw_test_add_both ("/sieve/scripts", test_scripts);
  mw_test_add_both ("/sieve/refused", test_refused);

  return mw_test_run ();
}
