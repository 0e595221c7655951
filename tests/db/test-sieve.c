/* test-sieve.c: DBMail's Sieve scripts (mw-sieve.h, mw-dbmail-sieve.c) on
 * PostgreSQL and MariaDB through the session's wrappers, as the GUI and the
 * CLI use them: put, list, show, activate exactly one, deactivate, rename,
 * delete, with the rows a real DBMail reads; scripts that do not compile
 * refused with Pigeonhole's sievec's message and nothing stored; bad names
 * and text; dry runs; a connection killed mid-change; a deleted user taking
 * its scripts along; the vacation script writer and reader (checked with
 * sievec, and the form DBMail runs with libSieve through
 * mailwarden-sieve-check); scripts libSieve refuses (an extension it lacks,
 * its parse errors, a crash); mailwarden-cli's sieve commands.
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
#include "mw-session-sieve.h"
#include "mw-sieve.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

#define RULES "require \"fileinto\";\nif header :contains \"subject\" \"[list]\" {\n  fileinto \"Lists\";\n}\n"
#define SPAM  "require [\"fileinto\", \"envelope\"];\nif envelope :is \"from\" \"spam@example.net\" { discard; }\n"
/* "fileintox" is no command: sievec refuses it on line 2. */
#define BROKEN "require \"fileinto\";\nif true { fileintox \"Junk\"; }\n"
/* sievec takes a command in capitals; libSieve's parser does not. */
#define CAPITALS "require \"fileinto\";\nif true { FILEINTO \"Junk\"; }\n"
#define NO_DATES "DBMail’s Sieve engine (libSieve) cannot test dates"

/* mailwarden-sieve-check run on @script as the core runs it: its exit
 * status, its output in @out. */
static int
run_checker (const char  *script,
             char       **out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                g_getenv ("MW_SIEVE_CHECK"), NULL);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (p, script, NULL, out, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (p));
  return g_subprocess_get_exit_status (p);
}

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
    /* libSieve, DBMail's engine, after sievec: an extension it lacks is
     * named (before libSieve runs: it crashes on "date"), its parse error
     * comes with its line, a crash and a missing checker are said;
     * nothing is stored. */
    g_autofree char *now = snapshot (f);
    g_autofree char *after = NULL;
    g_autofree char *crasher = g_build_filename (g_get_tmp_dir (), "mw-test-sieve-crash.sh", NULL);

    g_assert_null (put (f, "alice", "dated", "require [\"vacation\", \"date\"];\nkeep;\n", FALSE, FALSE, &error));
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_UNSUPPORTED);
    g_assert_cmpstr (error->message, ==, "DBMail’s Sieve engine (libSieve) does not support the extension “date”.");
    g_clear_error (&error);
    g_assert_null (put (f, "alice", "caps", CAPITALS, FALSE, FALSE, &error));
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_COMPILE);
    assert_contains (error->message, "DBMail’s Sieve engine (libSieve) refuses the script:\nline 2: syntax error");
    g_clear_error (&error);
    g_assert_true (mw_sieve_compile (CAPITALS, NULL, &error));   /* sievec alone takes it */
    g_assert_true (g_file_set_contents (crasher, "#!/bin/sh\n[ \"$1\" = --extensions ] && { echo fileinto; exit 0; }\n"
                                                 "kill -SEGV $$\n", -1, NULL));
    g_assert_cmpint (g_chmod (crasher, 0700), ==, 0);
    mw_sieve_set_libsieve_checker (crasher);
    g_assert_null (put (f, "alice", "new", RULES, FALSE, FALSE, &error));
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_UNSUPPORTED);
    assert_contains (error->message, "libSieve) crashed on this script");
    g_clear_error (&error);
    mw_sieve_set_libsieve_checker ("/nonexistent/mailwarden-sieve-check");
    g_assert_null (put (f, "alice", "new", RULES, FALSE, FALSE, &error));
    mw_sieve_set_libsieve_checker (NULL);
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NO_COMPILER);
    assert_contains (error->message, "libsieve2-dev");
    g_clear_error (&error);
    g_unlink (crasher);
    after = snapshot (f);
    g_assert_cmpstr (after, ==, now);
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

/* The vacation script: written, compiled by sievec, read back the same;
 * bad vacations refused with a sentence; other scripts not read as one. */
static void
test_vacation_script (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveVacation) v = mw_sieve_vacation_new ();
  g_autoptr(MwSieveVacation) back = NULL;
  g_autofree char *script = NULL;

  v->subject = g_strdup ("Away \"till\" \\ next year — ü");
  v->body = g_strdup ("Hello,\n.a line with a dot\n..two\n.\n\nBack on 7 January. ü\n");
  v->start = g_strdup ("2026-12-24");
  v->stop = g_strdup ("2027-01-06");
  v->addresses = g_strsplit ("alice@example.org,Alice@Bücher.example", ",", -1);
  v->days = 3;
  script = mw_sieve_vacation_to_script (v, MW_SIEVE_ENGINE_PIGEONHOLE, &error);
  g_assert_no_error (error);
  g_test_message ("%s", script);
  g_assert_true (mw_sieve_is_vacation_script (script));
  assert_contains (script, "require [\"vacation\", \"date\", \"relational\"];");
  assert_contains (script, "currentdate :value \"ge\" \"date\" \"2026-12-24\"");
  assert_contains (script, "currentdate :value \"le\" \"date\" \"2027-01-06\"");
  assert_contains (script, ":addresses [\"alice@example.org\", \"Alice@xn--bcher-kva.example\"]");
  assert_contains (script, ":days 3");
  g_assert_true (mw_sieve_compile (script, NULL, &error));
  g_assert_no_error (error);
  back = mw_sieve_vacation_from_script (script, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->subject, ==, v->subject);
  g_assert_cmpstr (back->body, ==, v->body);
  g_assert_cmpstr (back->start, ==, "2026-12-24");
  g_assert_cmpstr (back->stop, ==, "2027-01-06");
  g_assert_cmpuint (back->days, ==, 3);
  g_assert_cmpuint (g_strv_length (back->addresses), ==, 2);
  g_assert_cmpstr (back->addresses[1], ==, "Alice@xn--bcher-kva.example");

  /* Without days it always answers; with only an end it needs the extensions. */
  {
    g_autoptr(MwSieveVacation) plain = mw_sieve_vacation_new ();
    g_autoptr(MwSieveVacation) read = NULL;
    g_autofree char *text = NULL;

    g_autofree char *out = NULL;

    plain->body = g_strdup ("Away.");
    plain->subject = g_strdup ("Away");
    plain->addresses = g_strsplit ("alice@example.org", ",", -1);
    /* DBMail's form: vacation with :days :subject :addresses, which
     * libSieve takes (the program's exit and output), and sievec too. */
    text = mw_sieve_vacation_to_script (plain, MW_SIEVE_ENGINE_LIBSIEVE, &error);
    g_assert_no_error (error);
    g_assert_null (strstr (text, "currentdate"));
    assert_contains (text, "require [\"vacation\"];");
    assert_contains (text, "vacation :days 7 :subject \"Away\" :addresses [\"alice@example.org\"] text:");
    g_assert_cmpint (run_checker (text, &out), ==, 0);
    g_assert_cmpstr (out, ==, "");
    g_assert_true (mw_sieve_check_libsieve (text, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (mw_sieve_compile (text, NULL, &error));
    g_clear_pointer (&plain->subject, g_free);
    g_clear_pointer (&plain->addresses, g_strfreev);
    g_clear_pointer (&text, g_free);
    text = mw_sieve_vacation_to_script (plain, MW_SIEVE_ENGINE_LIBSIEVE, &error);
    g_assert_no_error (error);
    read = mw_sieve_vacation_from_script (text, &error);
    g_assert_no_error (error);
    g_assert_null (read->start);
    g_assert_null (read->stop);
    g_assert_null (read->subject);
    g_assert_cmpstr (read->body, ==, "Away.\n");
    g_assert_cmpuint (read->days, ==, 7);
    g_clear_pointer (&text, g_free);
    g_clear_pointer (&read, mw_sieve_vacation_free);
    plain->stop = g_strdup ("2027-02-28");
    /* libSieve has no "date": days are refused with the sentence (it
     * crashes on, or refuses, the form with currentdate). */
    g_assert_null (mw_sieve_vacation_to_script (plain, MW_SIEVE_ENGINE_LIBSIEVE, &error));
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_UNSUPPORTED);
    assert_contains (error->message, NO_DATES);
    assert_contains (error->message, "mailwarden-cli autoreply");
    g_clear_error (&error);
    text = mw_sieve_vacation_to_script (plain, MW_SIEVE_ENGINE_PIGEONHOLE, &error);
    g_assert_no_error (error);
    g_assert_true (mw_sieve_compile (text, NULL, &error));
    read = mw_sieve_vacation_from_script (text, &error);
    g_assert_no_error (error);
    g_assert_null (read->start);
    g_assert_cmpstr (read->stop, ==, "2027-02-28");
  }
  {
    struct { const char *field; const char *value; const char *message; } bad[] = {
      { "stop", "2026-12-01", "last day is before its first day" },
      { "start", "2026-02-30", "“2026-02-30” is not a day" },
      { "stop", "24.12.2026", "“24.12.2026” is not a day" },
      { "body", " \n", "needs a text" },
      { "subject", "two\nlines", "may not hold a line break" },
      { "subject", "bad \xff", "valid UTF-8" },
      { "address", "not an address", "is not an address" },
      { "days", NULL, "1 to 365 days" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(MwSieveVacation) w = mw_sieve_vacation_copy (v);
        g_autofree char *text = NULL;

        if (g_str_equal (bad[i].field, "stop"))
          g_free (w->stop), w->stop = g_strdup (bad[i].value);
        else if (g_str_equal (bad[i].field, "start"))
          g_free (w->start), w->start = g_strdup (bad[i].value);
        else if (g_str_equal (bad[i].field, "body"))
          g_free (w->body), w->body = g_strdup (bad[i].value);
        else if (g_str_equal (bad[i].field, "subject"))
          g_free (w->subject), w->subject = g_strdup (bad[i].value);
        else if (g_str_equal (bad[i].field, "address"))
          g_free (w->addresses[0]), w->addresses[0] = g_strdup (bad[i].value);
        else
          w->days = 0;
        text = mw_sieve_vacation_to_script (w, MW_SIEVE_ENGINE_PIGEONHOLE, &error);
        g_assert_null (text);
        g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID);
        assert_contains (error->message, bad[i].message);
        g_clear_error (&error);
      }
  }
  /* A script Mailwarden did not write is no vacation to edit. */
  g_assert_null (mw_sieve_vacation_from_script (RULES, &error));
  g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NOT_VACATION);
  g_clear_error (&error);
  g_assert_null (mw_sieve_vacation_from_script ("# Mailwarden vacation script\nrequire \"fileinto\";\nfileinto \"x\";\n", &error));
  g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NOT_VACATION);
  g_clear_error (&error);
}

/* A trigger that stalls the next UPDATE of the owner's scripts (the
 * activation, after the INSERT of a put), and a second connection that
 * kills the stalled one, as tests/db/test-vmail-faults.c does. */
static void
stall_updates (Fixture *f)
{
  if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
    {
      mw_test_db_exec (f->tdb, "CREATE OR REPLACE FUNCTION mw_stall() RETURNS trigger AS $$ "
                               "BEGIN PERFORM pg_sleep(60); RETURN NULL; END $$ LANGUAGE plpgsql");
      mw_test_db_exec (f->tdb, "CREATE TRIGGER mw_stall AFTER UPDATE ON dbmail_sievescripts FOR EACH ROW "
                               "EXECUTE FUNCTION mw_stall()");
    }
  else
    mw_test_db_exec (f->tdb, "CREATE TRIGGER mw_stall AFTER UPDATE ON dbmail_sievescripts FOR EACH ROW "
                             "SET @mw_stall = SLEEP(60)");
}

typedef struct
{
  MwDbSettings *settings;
  MwDbDriver    driver;
  gboolean      killed;
} Killer;

static gpointer
killer_thread (gpointer data)
{
  Killer *k = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDb) db = mw_db_connect (k->settings, NULL, &error);
  const char *find = k->driver == MW_DB_DRIVER_PGSQL
                     ? "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
                       "AND datname = current_database() AND pid <> pg_backend_pid()"
                     : "SELECT id FROM information_schema.processlist WHERE state = 'User sleep' "
                       "AND db = DATABASE() AND id <> CONNECTION_ID()";

  g_assert_no_error (error);
  for (guint i = 0; i < 1500 && !k->killed; i++)
    {
      g_autoptr(MwDbResult) r = mw_db_exec (db, find, NULL, 0, NULL, &error);

      g_assert_no_error (error);
      if (mw_db_result_get_n_rows (r) == 1)
        {
          gint64 victim = mw_db_result_get_int64 (r, 0, 0);
          g_autofree char *kill = k->driver == MW_DB_DRIVER_PGSQL
                                  ? g_strdup_printf ("SELECT pg_terminate_backend(%" G_GINT64_FORMAT ")", victim)
                                  : g_strdup_printf ("KILL CONNECTION %" G_GINT64_FORMAT, victim);
          g_autoptr(MwDbResult) done = mw_db_exec (db, kill, NULL, 0, NULL, &error);

          g_assert_no_error (error);
          k->killed = TRUE;
        }
      else
        g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }
  return NULL;
}

/* A connection killed mid-change changes nothing; the next call works.
 * And the vacation script through the session: written, active, read back. */
static void
test_faults_and_vacation (gconstpointer driver)
{
  g_autoptr(Fixture) f = fixture_new (driver);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(MwSieveScript) s = NULL;
  Killer k = { f->tdb->settings, f->tdb->driver, FALSE };
  GThread *thread;

  s = put (f, "alice", "keep", RULES, TRUE, FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&s, mw_sieve_script_free);
  stall_updates (f);
  before = snapshot (f);
  thread = g_thread_new ("killer", killer_thread, &k);
  s = put (f, "alice", "new", SPAM, TRUE, FALSE, &error);
  g_thread_join (thread);
  g_assert_true (k.killed);
  g_assert_null (s);
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
  assert_contains (error->message, "nothing was changed");
  g_clear_error (&error);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  mw_test_db_exec (f->tdb, f->tdb->driver == MW_DB_DRIVER_PGSQL ? "DROP TRIGGER mw_stall ON dbmail_sievescripts"
                                                                 : "DROP TRIGGER mw_stall");

  /* The next call connects again: the vacation editor's script. */
  {
    g_autoptr(MwSieveVacation) v = mw_sieve_vacation_new ();
    g_autoptr(MwSieveVacation) back = NULL;
    g_autoptr(GAsyncResult) res = NULL;
    g_autofree char *names = NULL;
    gboolean active = FALSE;

    mw_session_get_sieve_vacation_async (f->session, "alice", NULL, mw_async_wait_ready, &res);
    back = mw_session_get_sieve_vacation_finish (f->session, mw_async_wait (&res), &active, &error);
    g_assert_no_error (error);
    g_assert_null (back);   /* none yet */
    g_assert_false (active);
    g_clear_object (&res);

    v->subject = g_strdup ("Out of office");
    v->body = g_strdup ("Back in January.\n");
    v->start = g_strdup ("2026-12-24");
    v->stop = g_strdup ("2027-01-06");
    v->addresses = g_strsplit ("alice@example.org", ",", -1);
    /* DBMail's libSieve cannot test dates: refused, nothing stored. */
    g_assert_false (mw_schema_sieve_can_test_dates (mw_session_get_schema (f->session)));
    mw_session_put_sieve_vacation_async (f->session, "alice", v, TRUE, FALSE, NULL, mw_async_wait_ready, &res);
    g_assert_null (mw_session_put_sieve_vacation_finish (f->session, mw_async_wait (&res), &error));
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_UNSUPPORTED);
    assert_contains (error->message, NO_DATES);
    g_clear_error (&error);
    g_clear_object (&res);
    names = active_names (f, f->alice);
    g_assert_cmpstr (names, ==, "keep");
    g_clear_pointer (&names, g_free);
    g_clear_pointer (&v->start, g_free);
    g_clear_pointer (&v->stop, g_free);
    mw_session_put_sieve_vacation_async (f->session, "alice", v, TRUE, FALSE, NULL, mw_async_wait_ready, &res);
    s = mw_session_put_sieve_vacation_finish (f->session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_null (s->script);
    g_clear_object (&res);
    names = active_names (f, f->alice);
    g_assert_cmpstr (names, ==, MW_SIEVE_VACATION_NAME);

    mw_session_get_sieve_vacation_async (f->session, "alice", NULL, mw_async_wait_ready, &res);
    back = mw_session_get_sieve_vacation_finish (f->session, mw_async_wait (&res), &active, &error);
    g_assert_no_error (error);
    g_assert_true (active);
    g_assert_cmpstr (back->subject, ==, "Out of office");
    g_assert_cmpstr (back->body, ==, "Back in January.\n");
    g_assert_null (back->start);
    g_assert_null (back->stop);
    g_assert_cmpstr (back->addresses[0], ==, "alice@example.org");
    g_clear_object (&res);
    g_clear_pointer (&back, mw_sieve_vacation_free);

    /* A hand-written script of that name is no vacation to edit. */
    g_clear_pointer (&s, mw_sieve_script_free);
    s = put (f, "alice", MW_SIEVE_VACATION_NAME, RULES, FALSE, FALSE, &error);
    g_assert_no_error (error);
    mw_session_get_sieve_vacation_async (f->session, "alice", NULL, mw_async_wait_ready, &res);
    back = mw_session_get_sieve_vacation_finish (f->session, mw_async_wait (&res), &active, &error);
    g_assert_null (back);
    g_assert_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NOT_VACATION);
  }
}

#define CLI(input_, status_, ...) \
  g_auto(MwTestRun) r = { 0 }; \
  mw_test_run_cli (&r, input_, "--db", uri, __VA_ARGS__, NULL); \
  g_assert_cmpint (r.status, ==, status_)

/* mailwarden-cli sieve …: what a person reads, and the rows. */
static void
test_cli (gconstpointer driver)
{
  g_autoptr(Fixture) f = fixture_new (driver);
  g_autofree char *uri = mw_test_vmail_db_uri (f->tdb);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  {
    CLI (NULL, 0, "sieve", "list", "alice");
    assert_contains (r.out, "alice has no Sieve scripts.");
  }
  {
    CLI (RULES, 0, "sieve", "put", "alice", "rules", "-", "--dry-run");
    assert_contains (r.out, "The Sieve script “rules” of alice compiles and can be stored.");
    assert_contains (r.out, "Dry run: nothing was changed.");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_sievescripts"), ==, 0);
  {
    CLI (RULES, 0, "sieve", "put", "alice", "rules", "-", "--activate");
    assert_contains (r.out, "Stored the new Sieve script “rules” of alice.");
    assert_contains (r.out, "It is the active script now");
  }
  {
    CLI (SPAM, 0, "sieve", "put", "alice@example.org", "spam", "-");
    assert_contains (r.out, "It is not active");
  }
  {
    CLI (NULL, 0, "sieve", "list", "alice");
    assert_contains (r.out, "rules  ");
    assert_contains (r.out, "(active)");
    assert_contains (r.out, "spam  ");
  }
  {
    CLI (NULL, 0, "sieve", "list", "alice", "--json");
    assert_contains (r.out, "\"total\":2");
    assert_contains (r.out, "{\"name\":\"rules\",\"active\":true,\"size\":");
    assert_contains (r.out, "{\"name\":\"spam\",\"active\":false,\"size\":");
  }
  {
    CLI (NULL, 0, "sieve", "show", "alice", "rules");
    g_assert_cmpstr (r.out, ==, RULES);
  }
  before = snapshot (f);
  {
    CLI (BROKEN, 1, "sieve", "put", "alice", "rules", "-");
    assert_contains (r.err, "The Sieve script does not compile:");
    assert_contains (r.err, "line 2: error:");
    assert_contains (r.err, "fileintox");
  }
  {
    CLI (RULES, 1, "sieve", "put", "alice", "a/b", "-");
    assert_contains (r.err, "may not hold “/”");
  }
  {
    CLI (NULL, 4, "sieve", "show", "alice", "nope");
    assert_contains (r.err, "alice has no Sieve script named “nope”.");
  }
  {
    CLI (NULL, 0, "sieve", "activate", "alice", "spam", "--dry-run");
    assert_contains (r.out, "“spam” can become the active Sieve script of alice.");
    assert_contains (r.out, "“rules” is no longer active.");
  }
  {
    CLI (NULL, 0, "sieve", "delete", "alice", "rules", "--dry-run");
    assert_contains (r.out, "The Sieve script “rules” of alice can be deleted.");
    assert_contains (r.out, "no script would be active");
  }
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  {
    CLI (NULL, 0, "sieve", "activate", "alice", "spam");
    assert_contains (r.out, "“spam” is the active Sieve script of alice now.");
  }
  {
    g_autofree char *names = active_names (f, f->alice);

    g_assert_cmpstr (names, ==, "spam");
  }
  {
    CLI (NULL, 0, "sieve", "deactivate", "alice");
    assert_contains (r.out, "“spam” of alice is off; no script is active now.");
  }
  {
    CLI (NULL, 0, "sieve", "rename", "alice", "spam", "junk");
    assert_contains (r.out, "The Sieve script “spam” of alice is called “junk” now.");
  }
  {
    CLI (NULL, 0, "sieve", "delete", "alice", "junk", "--json");
    assert_contains (r.out, "\"name\":\"junk\"");
  }
  {
    CLI (NULL, 1, "sieve", "vacation", "alice", "--body", "x", "--from", "2026-12-24");
    assert_contains (r.err, NO_DATES);
    assert_contains (r.err, "The automatic reply (the Replies tab, or mailwarden-cli autoreply) has start and stop dates.");
  }
  {
    CLI ("Back in January.\n", 0, "sieve", "vacation", "alice", "--subject", "Out of office", "--body-file", "-",
         "--address", "alice@example.org", "--address", "a.smith@example.org");
    assert_contains (r.out, "Stored the new Sieve script “vacation” of alice.");
    assert_contains (r.out, "It is the active script now");
  }
  {
    CLI (NULL, 0, "sieve", "vacation", "alice", "--json");
    assert_contains (r.out, "\"exists\":true,\"active\":true,\"subject\":\"Out of office\","
                            "\"body\":\"Back in January.\\n\",\"from\":null,\"until\":null,"
                            "\"days\":7,\"addresses\":[\"alice@example.org\",\"a.smith@example.org\"]");
  }
  {
    CLI (NULL, 1, "sieve", "frobnicate");
    assert_contains (r.err, "sieve list|show|put|activate|deactivate|delete|rename|vacation USER");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--help", NULL);
    assert_contains (r.out, "sieve list|show|put|activate|deactivate|delete|rename USER");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "sieve", "put", "--help", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "--activate");
    assert_contains (r.out, "--dry-run");
  }
}

int
main (int   argc,
      char *argv[])
{
  mw_test_init (&argc, &argv);
  mw_test_private_audit_log ();

  g_test_add_func ("/sieve/vacation-script", test_vacation_script);
  mw_test_add_both ("/sieve/scripts", test_scripts);
  mw_test_add_both ("/sieve/refused", test_refused);
  mw_test_add_both ("/sieve/faults-vacation", test_faults_and_vacation);
  mw_test_add_both ("/sieve/cli", test_cli);

  return mw_test_run ();
}
