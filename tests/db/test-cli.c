/* test-cli.c: mailwarden-cli run as a person or a script would, on real servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mw-demo-data.h"
#include "mw-demo-vmail.h"
#include "mw-dbmail-store.h"
#include "mw-password.h"
#include "mw-test-db.h"
#include "mw-test-json.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* MAILWARDEN_AUDIT_LOG for the CLI runs (run_cli) of a test that reads the log, or NULL. */
static const char *child_audit_log;

static const char *
cli_path (void)
{
  const char *path = g_getenv ("MW_CLI");

  g_assert_nonnull (path);
  return path;
}

/* Runs the CLI with the arguments up to NULL; setup (may be NULL) runs in
 * the child before it starts. */
static void
run_cli_valist (Run                  *run,
                GSpawnChildSetupFunc  setup,
                const char           *first,
                va_list               ap)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();

  g_ptr_array_add (argv, (char *) cli_path ());
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  if (child_audit_log != NULL)
    envp = g_environ_setenv (envp, "MAILWARDEN_AUDIT_LOG", child_audit_log, TRUE);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, setup, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  run->status = WIFEXITED (run->status) ? WEXITSTATUS (run->status) : -1;
}

static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  va_list ap;

  va_start (ap, first);
  run_cli_valist (run, NULL, first, ap);
  va_end (ap);
}


/* The same with text on standard input (passwords never go on the command line). */
static void
run_cli_input (Run        *run,
               const char *input,
               const char *first,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *) cli_path ());
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static char *
uri_of (MwTestDb *tdb)
{
  /* The test servers listen on a socket only. */
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
  return g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
}

static void
test_cli (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *first = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *forward = NULL;
  g_autofree char *target = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *n_users = NULL;
  gint64 count;

  g_assert_true (mw_demo_populate (tdb->db, 60, 7, &error));
  g_assert_no_error (error);
  uri = uri_of (tdb);

  first = mw_test_db_string (tdb, "SELECT userid FROM dbmail_users WHERE user_idnr > 3 ORDER BY user_idnr LIMIT 1");
  sql = g_strdup_printf ("SELECT a.alias FROM dbmail_aliases a JOIN dbmail_users u ON a.deliver_to = %s "
                         "WHERE u.userid = '%s' ORDER BY a.alias LIMIT 1",
                         tdb->driver == MW_DB_DRIVER_PGSQL ? "CAST(u.user_idnr AS TEXT)" : "CAST(u.user_idnr AS CHAR)",
                         first);
  alias = mw_test_db_string (tdb, sql);
  forward = mw_test_db_string (tdb, tdb->driver == MW_DB_DRIVER_PGSQL
                               ? "SELECT alias FROM dbmail_aliases WHERE deliver_to !~ '^[0-9]+$' ORDER BY alias LIMIT 1"
                               : "SELECT alias FROM dbmail_aliases WHERE deliver_to NOT REGEXP '^[0-9]+$' ORDER BY alias LIMIT 1");
  g_free (sql);
  sql = g_strdup_printf ("SELECT deliver_to FROM dbmail_aliases WHERE alias = '%s' ORDER BY alias_idnr LIMIT 1", forward);
  target = mw_test_db_string (tdb, sql);
  count = mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE user_idnr > 3");
  n_users = g_strdup_printf ("%" G_GINT64_FORMAT, count);

  /* check */
  {
    g_auto(Run) r = { 0 };
    g_autofree char *line = g_strdup_printf ("Users:             %s\n", n_users);

    run_cli (&r, "--db", uri, "check", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "DBMail 3.x (schema 35002)");
    assert_contains (r.out, line);
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "--json", "check", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_assert_int (o, "users", count);
  }

  /* users: every user counted, system accounts never shown */
  {
    g_auto(Run) r = { 0 };
    g_autofree char *footer = g_strdup_printf ("Rows 1–%s of %s", n_users, n_users);

    run_cli (&r, "--db", uri, "users", "--limit", "1000", "--sort", "number", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, first);
    assert_contains (r.out, footer);
    g_assert_null (strstr (r.out, "__public__"));
    g_assert_null (strstr (r.out, "internal_delivery_user"));
    g_assert_null (strstr (r.out, "anyone"));
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "--json", "users", "--search", first, "--limit", "5", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    g_assert_nonnull (mw_test_json_find (mw_test_json_get_array (o, "users"), "name", first));
  }

  /* user: by name, by alias; a forward says where it goes */
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", alias, NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, first);
    assert_contains (r.out, "Mailboxes:");
  }
  {
    g_auto(Run) r = { 0 };
    g_autofree char *upper = g_ascii_strup (first, -1);
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "--json", "user", upper, NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_get_array (o, "mailboxes");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", forward, NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "is not a user: it forwards to");
    assert_contains (r.out, target);
  }

  /* The other lists. */
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "forwards", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, target);
    assert_contains (r.out, "(pipe)");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "domains", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "example.org");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "aliases", "--search", "@", "--limit", "3", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Rows 1–3 of");
  }
  {
    g_auto(Run) r = { 0 };
    const char *page_at, *count_at;

    /* The first page is read and printed before the count (which takes
     * long at a million rows); the footer still has the exact total. */
    run_cli (&r, "--db", uri, "--timing", "aliases", "--limit", "3", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Rows 1–3 of");
    page_at = strstr (r.err, "page:");
    count_at = strstr (r.err, "count:");
    g_assert_nonnull (page_at);
    g_assert_nonnull (count_at);
    g_assert_true (page_at < count_at);
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "groups", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_get_array (o, "groups");
  }

  /* Exit codes and sentences. */
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", "nobody-at-all@nowhere.example", NULL);
    g_assert_cmpint (r.status, ==, 4);
    assert_contains (r.err, "Nothing matches");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "users", "--sort", "colour", NULL);
    g_assert_cmpint (r.status, ==, 1);
  }
  {
    g_auto(Run) r = { 0 };
    g_autofree char *bad = g_strdup_printf ("%s%sprefix=nope_", uri, strchr (uri, '?') ? "&" : "?");

    run_cli (&r, "--db", bad, "users", NULL);
    g_assert_cmpint (r.status, ==, 3);
    assert_contains (r.err, "“nope_”");
  }
  {
    g_auto(Run) r = { 0 };
    const char *nowhere = tdb->driver == MW_DB_DRIVER_PGSQL ? "postgresql://postgres@/x?host=/nonexistent"
                                                            : "mysql://root@/x?socket=/nonexistent/s";

    run_cli (&r, "--db", nowhere, "check", NULL);
    g_assert_cmpint (r.status, ==, 2);
    assert_contains (r.err, "No ");
  }
}


/* The write commands, checked in the database. */
static void
test_cli_admin (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = uri_of (tdb);
  g_autofree char *passwd = NULL;
  g_autofree char *type = NULL;
  g_autofree char *sql = NULL;
  gint64 id;

  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "S3cret pass\n", "--db", uri, "user", "add", "dave", "--password-stdin", "--group", "5",
                   "--quota", "25M", "--domain", "Example.ORG", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Added the user dave");
  }
  id = mw_test_db_int (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = 'dave'");
  g_assert_cmpint (id, >, 3);
  passwd = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'dave'");
  type = mw_test_db_string (tdb, "SELECT encryption_type FROM dbmail_users WHERE userid = 'dave'");
  g_assert_cmpstr (type, ==, "crypt");
  g_assert_true (g_str_has_prefix (passwd, "$6$"));
  g_assert_true (mw_password_verify (type, passwd, "S3cret pass", &error));
  g_assert_no_error (error);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'dave'"), ==, 25 << 20);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = 'dave@example.org' AND deliver_to = '%"
                         G_GINT64_FORMAT "' AND client_idnr = 5", id);
  g_assert_cmpint (mw_test_db_int (tdb, sql), ==, 1);

  /* The same name but for case, a password on no input, a bad quota. */
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", "add", "DAVE", "--generate", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "already exists");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "", "--db", uri, "user", "add", "erin", "--password-stdin", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "No password on standard input");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", "add", "erin", "--generate", "--quota", "lots", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "is not a quota");
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'erin'"), ==, 0);

  /* Change: quota and group (the aliases follow), then a new password in the scheme the account has. */
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", "set", "dave@example.org", "--quota", "1G", "--group", "6", "--disable", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'dave'"), ==,
                   G_GINT64_CONSTANT (1) << 30);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT client_idnr FROM dbmail_aliases WHERE alias = 'dave@example.org'"), ==, 6);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT active FROM dbmail_users WHERE userid = 'dave'"), ==, 0);
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "n3w\n", "--db", uri, "user", "set", "dave", "--password-stdin", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  g_free (passwd);
  passwd = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'dave'");
  g_assert_true (g_str_has_prefix (passwd, "$6$"));
  g_assert_true (mw_password_verify ("crypt", passwd, "n3w", &error));

  /* A security password, stored the way the account's password is; a new
   * scheme for the password alone would leave it unusable and is refused. */
  {
    g_auto(Run) r = { 0 };
    g_autofree char *spasswd = NULL;

    run_cli_input (&r, "sec ret\n", "--db", uri, "user", "set", "dave", "--security-password-stdin",
                   "--security-action", "1", NULL);
    g_assert_cmpint (r.status, ==, 0);
    spasswd = mw_test_db_string (tdb, "SELECT spasswd FROM dbmail_users WHERE userid = 'dave'");
    g_assert_true (mw_password_verify ("crypt", spasswd, "sec ret", &error));
    g_assert_no_error (error);
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT saction FROM dbmail_users WHERE userid = 'dave'"), ==, 1);
  }
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "other\n", "--db", uri, "user", "set", "dave", "--password-stdin", "--scheme", "sha1", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "security password");
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'dave' "
                                          "AND encryption_type = 'crypt'"), ==, 1);
  }
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "other\nsec2\n", "--db", uri, "user", "set", "dave", "--password-stdin", "--scheme", "sha1",
                   "--security-password-stdin", NULL);
    g_assert_cmpint (r.status, ==, 0);
    {
      g_autofree char *pw = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'dave'");
      g_autofree char *spw = mw_test_db_string (tdb, "SELECT spasswd FROM dbmail_users WHERE userid = 'dave'");
      g_autofree char *t = mw_test_db_string (tdb, "SELECT encryption_type FROM dbmail_users WHERE userid = 'dave'");

      g_assert_cmpstr (t, ==, "sha1");
      g_assert_true (mw_password_verify (t, pw, "other", &error));
      g_assert_true (mw_password_verify (t, spw, "sec2", &error));
      g_assert_no_error (error);
    }
  }

  /* Aliases and forwards. */
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "alias", "add", "dave", "Sales@Example.com", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "alias", "add", "dave", "@example.com", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "catch-all");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "forward", "add", "sales@example.com", "|/usr/bin/procmail", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE lower(alias) = 'sales@example.com'"), ==, 2);
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "forward", "delete", "SALES@example.com", "|/usr/bin/procmail", NULL);
    g_assert_cmpint (r.status, ==, 0);
    run_clear (&r);
    memset (&r, 0, sizeof r);
    run_cli (&r, "--db", uri, "--json", "user", "delete", "dave", "--dry-run", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_assert_int (o, "aliases", 2);
    mw_test_json_assert_bool (o, "dry_run", TRUE);
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'dave'"), ==, 1);
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", "delete", "dave", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Deleted:");
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'dave'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases"), ==, 0);
}

/* hash and verify need no database. */
/* Two "user add" runs for "Alice<n>" and "alice<n>" at the same instant:
 * one wins, the other exits 1 with the sentence of an ordinary "name taken",
 * on both servers (PostgreSQL let both in; MariaDB's loser got its raw
 * "Duplicate entry" text and exit 5). Standard input is the starting
 * gate: both wait, connected, for their password. */
static void
test_cli_name_race (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autofree char *uri = uri_of (tdb);
  const guint rounds = 30;

  for (guint n = 0; n < rounds; n++)
    {
      g_autofree char *upper = g_strdup_printf ("Alice%u", n);
      g_autofree char *lower = g_strdup_printf ("alice%u", n);
      g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE lower(userid) = 'alice%u'", n);
      const char *names[] = { upper, lower };
      GSubprocess *procs[2];
      Run runs[2] = { { 0 } };
      guint won = 0;

      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
          g_autoptr(GError) error = NULL;

          g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
          g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
          procs[i] = g_subprocess_launcher_spawn (launcher, &error, cli_path (), "--db", uri, "user", "add", names[i],
                                                  "--password-stdin", "--scheme", "md5-crypt", NULL);
          g_assert_no_error (error);
        }
      /* Time to start and connect, then both get their password at once. */
      g_usleep (150 * 1000);
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(GError) error = NULL;
          GOutputStream *in = g_subprocess_get_stdin_pipe (procs[i]);

          /* communicate() below closes it. */
          g_assert_true (g_output_stream_write_all (in, "pw\n", 3, NULL, NULL, &error));
          g_assert_no_error (error);
        }
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(GError) error = NULL;

          g_subprocess_communicate_utf8 (procs[i], NULL, NULL, &runs[i].out, &runs[i].err, &error);
          g_assert_no_error (error);
          runs[i].status = g_subprocess_get_if_exited (procs[i]) ? g_subprocess_get_exit_status (procs[i]) : -1;
          g_object_unref (procs[i]);
          won += runs[i].status == 0;
        }

      if (won != 1)
        g_error ("round %u: %u of the two runs added the user:\n%s%s", n, won, runs[0].err, runs[1].err);
      g_assert_cmpint (mw_test_db_int (tdb, q), ==, 1);
      {
        Run *loser = runs[0].status == 0 ? &runs[1] : &runs[0];

        g_assert_cmpint (loser->status, ==, 1);
        assert_contains (loser->err, "already exists. DBMail does not tell names apart by case");
      }
      run_clear (&runs[0]);
      run_clear (&runs[1]);
    }
}

/* A domain that could pass for another is stored with a warning on
 * standard error, not refused. */
static void
test_cli_lookalike_domain (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autofree char *uri = uri_of (tdb);
  g_auto(Run) r = { 0 };

  mw_test_db_add_user (tdb, "dave", 0, 0);
  run_cli (&r, "--db", uri, "alias", "add", "dave", "dave@\u0430pple.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "Warning: The domain “\u0430pple.com” mixes Latin and Cyrillic letters in “\u0430pple”");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'dave@xn--pple-43d.com'"), ==, 1);
  run_clear (&r);
  memset (&r, 0, sizeof r);
  run_cli (&r, "--db", uri, "alias", "add", "dave", "dave@apple.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, "Warning"));
}

static void
test_cli_hash (void)
{
  g_auto(Run) h = { 0 };
  g_auto(Run) v = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) md5 = { 0 };
  g_autoptr(JsonObject) hash = NULL;

  run_cli_input (&md5, "secret\n", "hash", "md5sum", NULL);
  g_assert_cmpint (md5.status, ==, 0);
  assert_contains (md5.out, "5ebe2294ecd0e0f08eab7690d2a6ee69");
  assert_contains (md5.out, "{PLAIN-MD5}");

  run_cli_input (&h, "secret\n", "--json", "hash", "sha512-crypt", NULL);
  g_assert_cmpint (h.status, ==, 0);
  hash = mw_test_json_parse (h.out);
  mw_test_json_assert_string (hash, "stored_scheme", "crypt");
  assert_contains (h.out, "{SHA512-CRYPT}$6$");

  run_cli_input (&v, "secret\n", "verify", "--type", "md5", "$1$1VZ.fDZE$JPh8NGNGgWge3WQk6x3vd1", NULL);
  g_assert_cmpint (v.status, ==, 0);
  assert_contains (v.out, "matches");
  run_cli_input (&bad, "Secret\n", "verify", "--type", "sha1", "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4", NULL);
  g_assert_cmpint (bad.status, ==, 6);
  assert_contains (bad.out, "does not match");
}

/* bcrypt is stored at cost 12 unless --rounds says otherwise; --rounds is
 * checked against the scheme before anything is written. */
static void
test_cli_rounds (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autofree char *uri = uri_of (tdb);
  g_autofree char *csv_path = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-rounds-XXXXXX", NULL);
  g_autofree char *passwd = NULL;

  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "secret\n", "hash", "bcrypt", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "{BLF-CRYPT}$2b$12$");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "secret\n", "hash", "sha512-crypt", "--rounds", "10000", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "$6$rounds=10000$");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "secret\n", "hash", "md5-crypt", "--rounds", "5", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "fixed cost");
  }

  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "S3cret pass\n", "--db", uri, "user", "add", "bea", "--password-stdin", "--scheme", "bcrypt", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  passwd = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'bea'");
  g_assert_true (g_str_has_prefix (passwd, "$2b$12$"));
  g_assert_true (mw_password_verify ("crypt", passwd, "S3cret pass", NULL));
  g_clear_pointer (&passwd, g_free);

  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "S3cret pass\n", "--db", uri, "user", "add", "cat", "--password-stdin", "--scheme", "bcrypt",
                   "--rounds", "32", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "from 4 to 31");
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'cat'"), ==, 0);
  }
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "N3w pass\n", "--db", uri, "user", "set", "bea", "--password-stdin", "--rounds", "6", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  passwd = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'bea'");
  g_assert_true (g_str_has_prefix (passwd, "$2b$06$"));
  g_assert_true (mw_password_verify ("crypt", passwd, "N3w pass", NULL));
  g_clear_pointer (&passwd, g_free);

  /* --scheme names one the database can store, in any spelling its schema
   * reads; any other is refused with the sentence and nothing is written. */
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "S3cret pass\n", "--db", uri, "user", "add", "cat", "--password-stdin", "--scheme", "argon2id",
                   NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "does not know the password scheme “argon2id”");
    assert_contains (r.err, "sha512-crypt");
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'cat'"), ==, 0);
  }
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "S3cret pass\n", "--db", uri, "user", "set", "bea", "--password-stdin", "--scheme", "md5base64",
                   NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "Choose another scheme");
    passwd = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'bea'");
    g_assert_true (mw_password_verify ("crypt", passwd, "N3w pass", NULL));
    g_clear_pointer (&passwd, g_free);
  }
  {
    g_auto(Run) r = { 0 };

    run_cli_input (&r, "S3cret pass\n", "--db", uri, "user", "add", "cat", "--password-stdin", "--scheme", "SHA512",
                   NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'cat' "
                                          "AND encryption_type = 'sha512'"), ==, 1);
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "import", "--quiet", "--scheme", "argon2id", "nothing.csv", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "Unknown password scheme");
  }

  csv_path = g_build_filename (dir, "users.csv", NULL);
  g_assert_true (g_file_set_contents (csv_path, "name,password,scheme\n"
                                                "dan,pw one,\n"
                                                "eve,pw two,sha512-crypt\n", -1, NULL));
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "import", "--quiet", "--scheme", "bcrypt", "--rounds", "5", csv_path, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  passwd = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'dan'");
  g_assert_true (g_str_has_prefix (passwd, "$2b$05$"));
  g_assert_true (mw_password_verify ("crypt", passwd, "pw one", NULL));
  g_clear_pointer (&passwd, g_free);
  /* A line naming its own scheme keeps that scheme's default cost. */
  passwd = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'eve'");
  g_assert_true (g_str_has_prefix (passwd, "$6$"));
  g_assert_false (g_str_has_prefix (passwd, "$6$rounds="));

  g_unlink (csv_path);
  g_rmdir (dir);
}

/* DBMail's header cache keeps a From without a display name as
 * " <a@b.example>": the message list shows the address alone. */
static void
test_cli_sender_display (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = uri_of (tdb);
  g_autofree char *sql = NULL;
  g_autoptr(GBytes) raw = g_bytes_new_static ("From: a@b.example\nTo: <c@d.example>\nSubject: hello\n\nbody\n", 57);
  gint64 user = mw_test_db_add_user (tdb, "fay", 0, 0);
  gint64 mailbox;

  sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT ", 'INBOX')", user);
  mw_test_db_exec (tdb, sql);
  mailbox = mw_test_db_int (tdb, "SELECT max(mailbox_idnr) FROM dbmail_mailboxes");
  g_assert_cmpint (mw_message_store_deliver (tdb->db, mailbox, raw, 0, NULL, &error), >, 0);
  g_assert_no_error (error);
  /* What a real DBMail 3.5 writes into its cache for these headers. */
  mw_test_db_exec (tdb, "UPDATE dbmail_headervalue SET headervalue = ' <a@b.example>' WHERE headervalue = 'a@b.example'");
  mw_test_db_exec (tdb, "UPDATE dbmail_headervalue SET headervalue = ' <c@d.example>' WHERE headervalue = 'c@d.example'");
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_headervalue WHERE headervalue LIKE ' <%'"), ==, 2);

  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "messages", "fay", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, " a@b.example ");
    g_assert_null (strstr (r.out, "<a@b.example>"));
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;
    JsonObject *message;

    run_cli (&r, "--db", uri, "--json", "messages", "fay", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    message = json_array_get_object_element (mw_test_json_get_array (o, "messages"), 0);
    mw_test_json_assert_string (message, "sender", "a@b.example");
    mw_test_json_assert_string (message, "recipient", "c@d.example");
  }
}

/* The same with raw bytes on standard input (a NUL byte, for one). */
static void
run_cli_bytes (Run        *run,
               const char *input,
               gsize       input_len,
               const char *first,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) in = g_bytes_new (input, input_len);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *) cli_path ());
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  /* Kept whole, NUL bytes and all; an empty GBytes may have no data pointer. */
  run->out = g_malloc0 (g_bytes_get_size (out) + 1);
  if (g_bytes_get_size (out) > 0)
    memcpy (run->out, g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  run->err = g_malloc0 (g_bytes_get_size (err) + 1);
  if (g_bytes_get_size (err) > 0)
    memcpy (run->err, g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static void
close_stdin_cb (gpointer data)
{
  close (STDIN_FILENO);
  /* Before the fix the CLI could wait for ever on a socket that took fd 0. */
  alarm (60);
}

/* The same with standard input closed, as "cmd <&-" or a careless daemon starts it. */
static void
run_cli_stdin_closed (Run        *run,
                      const char *first,
                      ...)
{
  va_list ap;

  va_start (ap, first);
  run_cli_valist (run, close_stdin_cb, first, ap);
  va_end (ap);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* With standard input closed, the database connection could take fd 0 and
 * --password-stdin read from it. Now fds 0-2 are opened on /dev/null at
 * start and reading a password from a closed input is refused. */
static void
test_cli_stdin_closed (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autofree char *uri = uri_of (tdb);

  mw_test_db_add_user (tdb, "dave", 0, 0);
  {
    g_auto(Run) r = { 0 };

    run_cli_stdin_closed (&r, "--db", uri, "user", "add", "erin", "--password-stdin", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "Standard input is closed");
    g_assert_cmpuint (count_lines (r.err), ==, 1);
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'erin'"), ==, 0);
  {
    g_auto(Run) r = { 0 };
    g_autofree char *before = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'dave'");
    g_autofree char *after = NULL;

    run_cli_stdin_closed (&r, "--db", uri, "user", "set", "dave", "--security-password-stdin", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "Standard input is closed");
    after = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'dave'");
    g_assert_cmpstr (before, ==, after);
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'dave' "
                                          "AND spasswd <> ''"), ==, 0);
  }
  /* A command that does not read standard input still works. */
  {
    g_auto(Run) r = { 0 };

    run_cli_stdin_closed (&r, "--db", uri, "user", "add", "fred", "--generate", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Generated password:");
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'fred'"), ==, 1);
  {
    g_auto(Run) r = { 0 };

    run_cli_stdin_closed (&r, "hash", "sha512-crypt", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "Standard input is closed");
  }
}

/* "pa\0ss" on standard input was stored as "pa". */
static void
test_cli_password_nul (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autofree char *uri = uri_of (tdb);
  static const char input[] = "pa\0ss\n";

  mw_test_db_add_user (tdb, "dave", 0, 0);
  {
    g_auto(Run) r = { 0 };

    run_cli_bytes (&r, input, sizeof input - 1, "--db", uri, "user", "add", "erin", "--password-stdin", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "NUL byte");
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'erin'"), ==, 0);
  {
    g_auto(Run) r = { 0 };
    g_autofree char *before = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'dave'");
    g_autofree char *after = NULL;

    run_cli_bytes (&r, input, sizeof input - 1, "--db", uri, "user", "set", "dave", "--password-stdin", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "NUL byte");
    after = mw_test_db_string (tdb, "SELECT passwd FROM dbmail_users WHERE userid = 'dave'");
    g_assert_cmpstr (before, ==, after);
  }
  {
    g_auto(Run) r = { 0 };

    run_cli_bytes (&r, input, sizeof input - 1, "hash", "md5sum", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "NUL byte");
    g_assert_cmpstr (r.out, ==, "");
  }
}

/* A password written into --db stays in /proc/PID/cmdline (ps) for the whole
 * run: it is written over at start, with a warning. The CLI is caught while
 * it waits on a server that never answers. */
static void
test_cli_password_in_uri (gconstpointer data)
{
  MwDbDriver driver = MW_TEST_DRIVER (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *cmdline_path = NULL;
  g_autofree char *cmdline = NULL;
  gsize cmdline_len = 0;

  g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &effective, &error));
  g_assert_no_error (error);
  uri = g_strdup_printf ("%s://mwuser:s3cret%%21pw@127.0.0.1:%u/maildb?connect_timeout=60&password=qu3rypw&prefix=dbmail_",
                         driver == MW_DB_DRIVER_PGSQL ? "postgresql" : "mysql",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  proc = g_subprocess_launcher_spawn (launcher, &error, cli_path (), "--db", uri, "check", NULL);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  warning = g_data_input_stream_read_line (err, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (warning);
  assert_contains (warning, "visible to other users");
  assert_contains (warning, "MAILWARDEN_PASSWORD");

  /* The warning comes after the overwrite; the connection is still waiting. */
  cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (proc));
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &cmdline_len, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i + 1 < cmdline_len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  g_test_message ("cmdline: %s", cmdline);
  g_assert_null (strstr (cmdline, "s3cret"));
  g_assert_null (strstr (cmdline, "qu3rypw"));
  assert_contains (cmdline, "://mwuser:");
  assert_contains (cmdline, "@127.0.0.1:");
  assert_contains (cmdline, "&prefix=dbmail_ check");

  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, NULL);
}

/* Settings that did nothing: a misspelt one, and TLS over a local socket
 * (libpq connects without TLS and without a word). */
static void
test_cli_settings (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autofree char *uri = uri_of (tdb);

  {
    g_auto(Run) r = { 0 };
    g_autofree char *bad = g_strdup_printf ("%s&sslmod=require", uri);

    run_cli (&r, "--db", bad, "check", NULL);
    g_assert_cmpint (r.status, ==, 2);
    assert_contains (r.err, "unknown setting “sslmod”");
    assert_contains (r.err, "sslmode");
    g_assert_cmpuint (count_lines (r.err), ==, 1);
  }
  for (guint i = 0; i < 3; i++)
    {
      const char *modes[] = { "verify-full", "require", "verify_identity" };
      g_auto(Run) r = { 0 };
      g_autofree char *tls = g_strdup_printf ("%s&%s=%s", uri, tdb->driver == MW_DB_DRIVER_PGSQL ? "sslmode" : "tls",
                                              modes[i]);

      run_cli (&r, "--db", tls, "check", NULL);
      g_assert_cmpint (r.status, ==, 2);
      assert_contains (r.err, "cannot apply to a local socket");
    }
  {
    g_auto(Run) r = { 0 };
    g_autofree char *prefer = g_strdup_printf ("%s&sslmode=prefer", uri);

    run_cli (&r, "--db", prefer, "check", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
  }
}

/* Exit codes as the README gives them: invalid input 1, cannot connect 2. */
static void
test_cli_exit_codes (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autofree char *uri = uri_of (tdb);
  g_autofree char *dir = g_dir_make_tmp ("mw-exit-XXXXXX", NULL);
  g_autofree char *unclosed = g_build_filename (dir, "unclosed.csv", NULL);
  g_autofree char *wide = g_build_filename (dir, "wide.csv", NULL);
  g_autoptr(GString) header = g_string_new ("name");
  g_autoptr(GString) long_name = g_string_new (NULL);

  g_assert_true (g_file_set_contents (unclosed, "name,\"password\nbob,pw\n", -1, NULL));
  for (guint i = 0; i < 1001; i++)
    g_string_append_printf (header, ",c%u", i);
  g_string_append (header, "\nbob\n");
  g_assert_true (g_file_set_contents (wide, header->str, -1, NULL));
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "import", "--quiet", unclosed, NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "not closed");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "import", "--quiet", wide, NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "more than 1000 fields");
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'bob'"), ==, 0);

  /* 10,000 characters of user or database name. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (long_name, 'u');
  for (guint which = 0; which < 2; which++)
    {
      g_auto(Run) r = { 0 };
      g_autofree char *bad = NULL;

      if (tdb->driver == MW_DB_DRIVER_PGSQL)
        bad = which == 0 ? g_strdup_printf ("postgresql://%s@/%s?host=%s", long_name->str, tdb->database, tdb->settings->socket)
                         : g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, long_name->str, tdb->settings->socket);
      else
        bad = which == 0 ? g_strdup_printf ("mysql://%s@/%s?socket=%s", long_name->str, tdb->database, tdb->settings->socket)
                         : g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, long_name->str, tdb->settings->socket);
      run_cli (&r, "--db", bad, "check", NULL);
      g_assert_cmpint (r.status, ==, 2);
      assert_contains (r.err, which == 0 ? "user name is longer than" : "database name is longer than");
      g_assert_cmpuint (count_lines (r.err), ==, 1);
    }

  g_unlink (unclosed);
  g_unlink (wide);
  g_rmdir (dir);
}

/* Quotas are read exactly, by one parser for --quota, the import and the GUI. */
static void
test_cli_quota (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autofree char *uri = uri_of (tdb);
  g_autofree char *dir = g_dir_make_tmp ("mw-quota-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "users.csv", NULL);
  const char *refused[] = { "0.0000001", "0x10", "1e3", "nan", "inf", "-1", "99999999999999999999", "8388608T", "1.1K" };

  mw_test_db_add_user (tdb, "dave", 0, 1234);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_auto(Run) r = { 0 };
      g_auto(Run) s = { 0 };

      run_cli (&r, "--db", uri, "user", "add", "erin", "--generate", "--quota", refused[i], NULL);
      g_assert_cmpint (r.status, ==, 1);
      assert_contains (r.err, refused[i]);
      g_assert_null (strstr (r.out, "Generated password"));
      run_cli (&s, "--db", uri, "user", "set", "dave", "--quota", refused[i], NULL);
      g_assert_cmpint (s.status, ==, 1);
    }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'erin'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'dave'"), ==, 1234);

  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", "set", "dave", "--quota", "9007199254740993", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'dave'"), ==,
                   G_GINT64_CONSTANT (9007199254740993));
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", "add", "erin", "--generate", "--quota", "1.5G", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'erin'"), ==,
                   1610612736);

  /* The import reads the same texts the same way. */
  g_assert_true (g_file_set_contents (csv, "name,password,quota\n"
                                           "gus,pw,1.5G\n"
                                           "hal,pw,9007199254740993\n"
                                           "ida,pw,0.0000001\n"
                                           "jon,pw,1e3\n", -1, NULL));
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "import", "--quiet", csv, NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.out, "2 users created; 2 lines refused.");
  }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'gus'"), ==, 1610612736);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'hal'"), ==,
                   G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid IN ('ida', 'jon')"), ==, 0);

  g_unlink (csv);
  g_rmdir (dir);
}

/* A generated password is shown only for an account that exists; a bad
 * attachment number is refused; a NUL byte in a CSV is named. */
static void
test_cli_wording (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autofree char *uri = uri_of (tdb);
  g_autofree char *dir = g_dir_make_tmp ("mw-wording-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "users.csv", NULL);
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  static const char nul_csv[] = "name,password\nbob,pw\nc\0l,pw\n";

  mw_test_db_add_user (tdb, "dave", 0, 0);
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", "add", "DAVE", "--generate", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_null (strstr (r.out, "Generated password"));
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "user", "add", "", "--generate", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_null (strstr (r.out, "Generated password"));
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "--json", "user", "add", "erin", "--generate", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_assert_int (o, "number", mw_test_db_int (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = 'erin'"));
    g_assert_cmpuint (strlen (json_object_get_string_member (o, "generated_password")), >, 0);
  }
  for (guint i = 0; i < 3; i++)
    {
      const char *bad[] = { "-1", "x", "4294967296" };
      g_auto(Run) r = { 0 };

      run_cli (&r, "--db", uri, "message", "show", "1", "--save-attachment", bad[i], "--output", out, NULL);
      g_assert_cmpint (r.status, ==, 1);
      assert_contains (r.err, "is not an attachment number");
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }

  g_assert_true (g_file_set_contents (csv, nul_csv, sizeof nul_csv - 1, NULL));
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "import", "--quiet", csv, NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.out, "Line 3 contains a NUL byte");
    g_assert_null (strstr (r.out, "UTF-8 text."));
  }
  g_unlink (csv);
  g_rmdir (dir);
}

/* The rows of a list's JSON, each with exactly the documented keys. */
static JsonArray *
list_rows (JsonObject        *o,
           const char        *list,
           const char *const *keys)
{
  JsonArray *rows = mw_test_json_get_array (o, list);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    mw_test_json_assert_members (json_array_get_object_element (rows, i), keys);
  return rows;
}

static gboolean
rows_equal (JsonArray *a,
            JsonArray *b)
{
  g_autoptr(JsonNode) na = json_node_init_array (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_array (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

/* The keys of each command's JSON, as README.md documents them. */
static const char *const check_keys[] = {
  "schema", "schema_version", "server", "prefix", "users", "aliases", "forwards", "domains", "groups",
  "mailboxes", "messages", "deleted_messages", NULL,
};
static const char *const account_keys[] = {
  "key", "name", "number", "group", "quota", "used", "last_login", "password_scheme", "enabled",
  "aliases", "forwards", "mailboxes", NULL,
};
static const char *const account_forward_keys[] = { "address", "target", NULL };
static const char *const account_mailbox_keys[] = {
  "key", "name", "display_name", "visible_count", "visible_bytes", "deleted_count", "deleted_bytes", NULL,
};
static const char *const found_forward_keys[] = { "forward", "matched_by", "targets", NULL };
static const char *const added_keys[] = { "key", "number", "dry_run", "generated_password", NULL };
static const char *const deleted_keys[] = {
  "users", "mailboxes", "messages", "bytes", "aliases", "forwards", "acls", "sieve_scripts", "message_bodies",
  "dry_run", NULL,
};
static const char *const mailbox_keys[] = {
  "key", "number", "section", "owner_key", "owner", "name", "display_name", "visible_count", "visible_bytes",
  "deleted_count", "deleted_bytes", "purge_count", "purge_bytes", "seq", NULL,
};
static const char *const message_list_keys[] = { "total", "offset", "messages", NULL };
static const char *const message_keys[] = {
  "key", "number", "status", "sender", "recipient", "subject", "date", "size", "flags", "keywords", "mailbox", NULL,
};
static const char *const message_show_keys[] = {
  "number", "key", "from", "to", "cc", "reply_to", "subject", "date", "message_id", "bodies_hidden", "text",
  "text_from_html", "attachments", NULL,
};
static const char *const attachment_keys[] = { "index", "filename", "content_type", "size", "inline", NULL };
static const char *const message_change_keys[] = { "messages", "bytes", "unchanged", "mailboxes", "used", "dry_run", NULL };
static const char *const message_undelete_keys[] = {
  "messages", "bytes", "unchanged", "mailboxes", "used", "new_ids", "dry_run", NULL,
};
static const char *const hash_keys[] = { "stored_scheme", "stored_password", "dovecot", NULL };

/* Every element of @array is an object with exactly @keys. */
static void
assert_elements (JsonArray         *array,
                 const char *const *keys)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    mw_test_json_assert_members (json_array_get_object_element (array, i), keys);
}

/* Every command that has --json prints one JSON document; the lists' keys
 * are the column ids the README documents, with their types, and every
 * other command's keys are the documented ones. */
static void
test_cli_json (gconstpointer data)
{
  static const char *const user_keys[] = {
    "name", "number", "group", "quota", "used", "last_login", "password_scheme", "enabled", NULL,
  };
  static const char *const alias_keys[] = { "address", "user", "user_number", "group", "number", NULL };
  static const char *const forward_keys[] = { "address", "target", "owner", "group", "number", NULL };
  static const char *const domain_keys[] = { "domain", "addresses", "to_users", "forwards", NULL };
  static const char *const group_keys[] = { "group", "users", "used", "domains", NULL };
  const struct { const char *command; const char *const *keys; const char *count_sql; } lists[] = {
    { "users", user_keys, "SELECT count(*) FROM dbmail_users WHERE user_idnr > 3" },
    { "aliases", alias_keys, NULL },
    { "forwards", forward_keys, NULL },
    { "domains", domain_keys, NULL },
    { "groups", group_keys, "SELECT count(DISTINCT client_idnr) FROM dbmail_users WHERE user_idnr > 3" },
  };
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-json-XXXXXX", NULL);
  g_autofree char *saved = g_build_filename (dir, "attachment", NULL);
  g_autofree char *audit = g_build_filename (dir, "audit.jsonl", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *first = NULL;
  g_autofree char *forward = NULL;
  g_autofree char *message = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *with_attachment = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_entries = 0;

  g_assert_true (mw_demo_populate (tdb->db, 60, 7, &error));
  g_assert_no_error (error);
  uri = uri_of (tdb);
  child_audit_log = audit;
  first = mw_test_db_string (tdb, "SELECT userid FROM dbmail_users WHERE user_idnr > 3 ORDER BY user_idnr LIMIT 1");
  forward = mw_test_db_string (tdb, tdb->driver == MW_DB_DRIVER_PGSQL
                               ? "SELECT alias FROM dbmail_aliases WHERE deliver_to !~ '^[0-9]+$' ORDER BY alias LIMIT 1"
                               : "SELECT alias FROM dbmail_aliases WHERE deliver_to NOT REGEXP '^[0-9]+$' ORDER BY alias LIMIT 1");
  message = mw_test_db_string (tdb, tdb->driver == MW_DB_DRIVER_PGSQL
                               ? "SELECT CAST(m.message_idnr AS TEXT) FROM dbmail_messages m WHERE m.status = 0 "
                                 "ORDER BY m.message_idnr LIMIT 1"
                               : "SELECT CAST(m.message_idnr AS CHAR) FROM dbmail_messages m WHERE m.status = 0 "
                                 "ORDER BY m.message_idnr LIMIT 1");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT u.userid FROM dbmail_messages m JOIN dbmail_mailboxes b "
                                            "ON b.mailbox_idnr = m.mailbox_idnr JOIN dbmail_users u "
                                            "ON u.user_idnr = b.owner_idnr WHERE m.message_idnr = %s", message);

    owner = mw_test_db_string (tdb, sql);
  }

  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "--json", "check", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_assert_string (o, "schema", "dbmail-3");
    mw_test_json_assert_int (o, "users", mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE user_idnr > 3"));
    mw_test_json_assert_members (o, check_keys);
  }

  /* The lists: one page, every row by --all in small pages (the same rows
   * in the same order), --all without a count (the total after the rows),
   * and the text table of --all with the same cells. */
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_auto(Run) page = { 0 };
      g_auto(Run) whole = { 0 };
      g_auto(Run) all = { 0 };
      g_auto(Run) uncounted = { 0 };
      g_auto(Run) text = { 0 };
      g_auto(Run) text_all = { 0 };
      g_autoptr(JsonObject) o_page = NULL;
      g_autoptr(JsonObject) o_whole = NULL;
      g_autoptr(JsonObject) o_all = NULL;
      g_autoptr(JsonObject) o_uncounted = NULL;
      g_autoptr(GRegex) spaces = g_regex_new (" +", 0, 0, NULL);
      g_autofree char *squeezed = NULL;
      g_autofree char *squeezed_all = NULL;
      JsonArray *rows;

      run_cli (&page, "--db", uri, "--json", lists[i].command, "--limit", "5", NULL);
      g_assert_cmpint (page.status, ==, 0);
      o_page = mw_test_json_parse (page.out);
      rows = list_rows (o_page, lists[i].command, lists[i].keys);
      g_assert_cmpuint (json_array_get_length (rows), >, 0);
      mw_test_json_assert_int (o_page, "offset", 0);

      run_cli (&whole, "--db", uri, "--json", lists[i].command, "--limit", "1000000", "--sort", "number", "--desc",
               NULL);
      run_cli (&all, "--db", uri, "--json", lists[i].command, "--all", "--page-size", "7", "--sort", "number", "--desc",
               NULL);
      if (g_str_equal (lists[i].command, "domains"))
        {
          /* Domains have no number: by count, where many are equal. */
          run_clear (&whole);
          run_clear (&all);
          memset (&whole, 0, sizeof whole);
          memset (&all, 0, sizeof all);
          run_cli (&whole, "--db", uri, "--json", lists[i].command, "--limit", "1000000", "--sort", "count", NULL);
          run_cli (&all, "--db", uri, "--json", lists[i].command, "--all", "--page-size", "2", "--sort", "count", NULL);
        }
      g_assert_cmpint (whole.status, ==, 0);
      g_assert_cmpint (all.status, ==, 0);
      o_whole = mw_test_json_parse (whole.out);
      o_all = mw_test_json_parse (all.out);
      g_assert_true (rows_equal (list_rows (o_whole, lists[i].command, lists[i].keys),
                                 list_rows (o_all, lists[i].command, lists[i].keys)));
      g_assert_cmpint (json_object_get_int_member (o_all, "total"), ==,
                       json_array_get_length (mw_test_json_get_array (o_whole, lists[i].command)));
      if (lists[i].count_sql != NULL)
        mw_test_json_assert_int (o_all, "total", mw_test_db_int (tdb, lists[i].count_sql));

      run_cli (&uncounted, "--db", uri, "--json", lists[i].command, "--all", "--no-count", "--page-size", "3", NULL);
      g_assert_cmpint (uncounted.status, ==, 0);
      o_uncounted = mw_test_json_parse (uncounted.out);
      mw_test_json_assert_int (o_uncounted, "total",
                               json_array_get_length (list_rows (o_uncounted, lists[i].command, lists[i].keys)));
      mw_test_json_assert_int (o_uncounted, "total", json_object_get_int_member (o_all, "total"));

      run_cli (&text, "--db", uri, lists[i].command, "--limit", "1000000", NULL);
      run_cli (&text_all, "--db", uri, lists[i].command, "--all", "--page-size", "4", NULL);
      g_assert_cmpint (text.status, ==, 0);
      g_assert_cmpint (text_all.status, ==, 0);
      squeezed = g_regex_replace_literal (spaces, text.out, -1, 0, " ", 0, NULL);
      squeezed_all = g_regex_replace_literal (spaces, text_all.out, -1, 0, " ", 0, NULL);
      g_assert_cmpstr (squeezed, ==, squeezed_all);
    }
  /* --sort takes the column ids; the older words name the same sorts. */
  {
    const char *const pairs[][3] = {
      { "users", "used", "size" }, { "users", "last_login", "last-login" }, { "aliases", "user", "owner" },
      { "domains", "addresses", "count" }, { "groups", "users", "count" }, { "forwards", "address", "name" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
      {
        g_auto(Run) by_id = { 0 };
        g_auto(Run) by_word = { 0 };

        run_cli (&by_id, "--db", uri, "--json", pairs[i][0], "--limit", "1000", "--sort", pairs[i][1], "--desc", NULL);
        run_cli (&by_word, "--db", uri, "--json", pairs[i][0], "--limit", "1000", "--sort", pairs[i][2], "--desc",
                 NULL);
        g_assert_cmpint (by_id.status, ==, 0);
        g_assert_cmpint (by_word.status, ==, 0);
        g_assert_cmpstr (by_id.out, ==, by_word.out);
      }
  }
  {
    g_auto(Run) r = { 0 };
    g_auto(Run) e = { 0 };

    run_cli (&r, "--db", uri, "users", "--sort", "enabled", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "cannot be sorted by “enabled”: name one of name, number, group, quota, used, last_login.");
    run_cli (&e, "--db", uri, "export", "users", "--sort", "used", "--desc", NULL);
    g_assert_cmpint (e.status, ==, 0);
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;
    JsonObject *row;

    /* Typed values: numbers, true or false, strings. */
    run_cli (&r, "--db", uri, "--json", "users", "--search", first, "--limit", "1", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    row = json_array_get_object_element (list_rows (o, "users", user_keys), 0);
    mw_test_json_assert_string (row, "name", first);
    {
      g_autofree char *sql = g_strdup_printf ("SELECT user_idnr FROM dbmail_users WHERE userid = '%s'", first);

      mw_test_json_assert_int (row, "number", mw_test_db_int (tdb, sql));
    }
    g_assert_true (json_node_get_value_type (json_object_get_member (row, "enabled")) == G_TYPE_BOOLEAN);
    g_assert_true (json_node_get_value_type (json_object_get_member (row, "quota")) == G_TYPE_INT64);
  }

  /* One account, and an address that forwards. */
  {
    g_auto(Run) r = { 0 };
    g_auto(Run) f = { 0 };
    g_autoptr(JsonObject) o = NULL;
    g_autoptr(JsonObject) of = NULL;

    run_cli (&r, "--db", uri, "--json", "user", first, NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_assert_string (o, "name", first);
    mw_test_json_get_array (o, "aliases");
    mw_test_json_assert_members (o, account_keys);
    assert_elements (mw_test_json_get_array (o, "forwards"), account_forward_keys);
    assert_elements (mw_test_json_get_array (o, "mailboxes"), account_mailbox_keys);
    g_assert_cmpuint (json_array_get_length (mw_test_json_get_array (o, "mailboxes")), >, 0);
    {
      g_autofree char *sql = g_strdup_printf ("SELECT user_idnr FROM dbmail_users WHERE userid = '%s'", first);

      mw_test_json_assert_int (o, "number", mw_test_db_int (tdb, sql));
    }
    run_cli (&f, "--db", uri, "--json", "user", forward, NULL);
    g_assert_cmpint (f.status, ==, 0);
    of = mw_test_json_parse (f.out);
    mw_test_json_assert_string (of, "forward", forward);
    mw_test_json_assert_members (of, found_forward_keys);
    g_assert_cmpuint (json_array_get_length (mw_test_json_get_array (of, "targets")), >, 0);
  }

  /* Changes: add, then a dry-run delete of a user and of a group, then the delete. */
  {
    g_auto(Run) add = { 0 };
    g_auto(Run) dry = { 0 };
    g_auto(Run) group = { 0 };
    g_auto(Run) del = { 0 };
    g_autoptr(JsonObject) o_add = NULL;
    g_autoptr(JsonObject) o_dry = NULL;
    g_autoptr(JsonObject) o_group = NULL;
    g_autoptr(JsonObject) o_del = NULL;

    run_cli (&add, "--db", uri, "--json", "user", "add", "json-erin", "--generate", "--alias", "erin@json.example",
             NULL);
    g_assert_cmpint (add.status, ==, 0);
    o_add = mw_test_json_parse (add.out);
    mw_test_json_assert_int (o_add, "number",
                             mw_test_db_int (tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = 'json-erin'"));
    mw_test_json_assert_bool (o_add, "dry_run", FALSE);
    mw_test_json_assert_members (o_add, added_keys);

    run_cli (&dry, "--db", uri, "--json", "user", "delete", "json-erin", "--dry-run", NULL);
    g_assert_cmpint (dry.status, ==, 0);
    o_dry = mw_test_json_parse (dry.out);
    mw_test_json_assert_int (o_dry, "users", 1);
    mw_test_json_assert_int (o_dry, "aliases", 1);
    mw_test_json_assert_bool (o_dry, "dry_run", TRUE);
    mw_test_json_assert_members (o_dry, deleted_keys);

    run_cli (&group, "--db", uri, "--json", "group", "delete", "1", "--dry-run", NULL);
    g_assert_cmpint (group.status, ==, 0);
    o_group = mw_test_json_parse (group.out);
    mw_test_json_assert_int (o_group, "users",
                             mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE client_idnr = 1 "
                                                  "AND user_idnr > 3"));
    mw_test_json_assert_members (o_group, deleted_keys);

    run_cli (&del, "--db", uri, "--json", "user", "delete", "json-erin", NULL);
    g_assert_cmpint (del.status, ==, 0);
    o_del = mw_test_json_parse (del.out);
    mw_test_json_assert_bool (o_del, "dry_run", FALSE);
    mw_test_json_assert_members (o_del, deleted_keys);
    g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM dbmail_users WHERE userid = 'json-erin'"), ==, 0);
  }

  /* Mail. */
  {
    g_auto(Run) boxes = { 0 };
    g_auto(Run) list = { 0 };
    g_auto(Run) raw = { 0 };
    g_auto(Run) del = { 0 };
    g_auto(Run) undel = { 0 };
    g_autoptr(JsonObject) o_boxes = NULL;
    g_autoptr(JsonObject) o_list = NULL;
    g_autoptr(JsonObject) o_raw = NULL;
    g_autoptr(JsonObject) o_del = NULL;
    g_autoptr(JsonObject) o_undel = NULL;

    run_cli (&boxes, "--db", uri, "--json", "mailboxes", owner, NULL);
    g_assert_cmpint (boxes.status, ==, 0);
    o_boxes = mw_test_json_parse (boxes.out);
    g_assert_nonnull (mw_test_json_find (mw_test_json_get_array (o_boxes, "mailboxes"), "name", "INBOX"));
    assert_elements (mw_test_json_get_array (o_boxes, "mailboxes"), mailbox_keys);

    run_cli (&list, "--db", uri, "--json", "messages", owner, "--limit", "1000", NULL);
    g_assert_cmpint (list.status, ==, 0);
    o_list = mw_test_json_parse (list.out);
    g_assert_cmpint (json_object_get_int_member (o_list, "total"), ==,
                     json_array_get_length (mw_test_json_get_array (o_list, "messages")));
    mw_test_json_assert_members (o_list, message_list_keys);
    assert_elements (mw_test_json_get_array (o_list, "messages"), message_keys);

    for (guint i = 0; i < json_array_get_length (mw_test_json_get_array (o_list, "messages")); i++)
      {
        JsonObject *m = json_array_get_object_element (mw_test_json_get_array (o_list, "messages"), i);
        g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (m, "number"));
        g_auto(Run) show = { 0 };
        g_autoptr(JsonObject) o_show = NULL;

        run_cli (&show, "--db", uri, "--json", "message", "show", id, NULL);
        g_assert_cmpint (show.status, ==, 0);
        o_show = mw_test_json_parse (show.out);
        mw_test_json_assert_int (o_show, "number", json_object_get_int_member (m, "number"));
        mw_test_json_assert_string (o_show, "key", json_object_get_string_member (m, "key"));
        mw_test_json_assert_members (o_show, message_show_keys);
        assert_elements (mw_test_json_get_array (o_show, "attachments"), attachment_keys);
        if (with_attachment == NULL && json_array_get_length (mw_test_json_get_array (o_show, "attachments")) > 0)
          with_attachment = g_steal_pointer (&id);
      }
    g_assert_nonnull (with_attachment);
    {
      g_auto(Run) save = { 0 };
      g_autoptr(JsonObject) o_save = NULL;
      GStatBuf st;

      run_cli (&save, "--db", uri, "--json", "message", "show", with_attachment, "--save-attachment", "0",
               "--output", saved, NULL);
      g_assert_cmpint (save.status, ==, 0);
      o_save = mw_test_json_parse (save.out);
      g_assert_cmpint (g_stat (saved, &st), ==, 0);
      mw_test_json_assert_int (o_save, "saved", st.st_size);
      mw_test_json_assert_members (o_save, (const char *const[]) { "saved", NULL });
      g_unlink (saved);
    }

    run_cli (&raw, "--db", uri, "--json", "message", "show", "--raw", message, NULL);
    g_assert_cmpint (raw.status, ==, 0);
    o_raw = mw_test_json_parse (raw.out);
    g_assert_nonnull (strstr (json_object_get_string_member (o_raw, "raw"), "Subject:"));
    mw_test_json_assert_members (o_raw, (const char *const[]) { "raw", NULL });

    run_cli (&del, "--db", uri, "--json", "message", "delete", message, NULL);
    g_assert_cmpint (del.status, ==, 0);
    o_del = mw_test_json_parse (del.out);
    mw_test_json_assert_int (o_del, "messages", 1);
    mw_test_json_assert_bool (o_del, "dry_run", FALSE);
    mw_test_json_assert_members (o_del, message_change_keys);

    run_cli (&undel, "--db", uri, "--json", "message", "undelete", message, "--dry-run", NULL);
    g_assert_cmpint (undel.status, ==, 0);
    o_undel = mw_test_json_parse (undel.out);
    mw_test_json_assert_int (o_undel, "messages", 1);
    mw_test_json_assert_null (o_undel, "new_ids");
    mw_test_json_assert_members (o_undel, message_undelete_keys);
  }

  /* No database. */
  {
    g_auto(Run) h = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli_input (&h, "secret\n", "--json", "hash", "md5sum", NULL);
    g_assert_cmpint (h.status, ==, 0);
    o = mw_test_json_parse (h.out);
    mw_test_json_assert_string (o, "stored_scheme", "md5sum");
    mw_test_json_assert_string (o, "stored_password", "5ebe2294ecd0e0f08eab7690d2a6ee69");
    mw_test_json_assert_string (o, "dovecot", "{PLAIN-MD5}5ebe2294ecd0e0f08eab7690d2a6ee69");
    mw_test_json_assert_members (o, hash_keys);
  }

  /* The audit log of these changes: every line one JSON object json-glib
   * reads, and the log reads back through the CLI. */
  g_assert_true (g_file_get_contents (audit, &log, NULL, NULL));
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonObject) entry = NULL;

      if (lines[i][0] == '\0')
        continue;
      entry = mw_test_json_parse (lines[i]);
      g_assert_nonnull (json_object_get_string_member (entry, "time"));
      g_assert_nonnull (json_object_get_string_member (entry, "action"));
      n_entries++;
    }
  g_assert_cmpuint (n_entries, >=, 3);
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "audit", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "json-erin");
  }
  child_audit_log = NULL;
  g_unlink (audit);
  g_rmdir (dir);
}

static void
test_demo (void)
{
  g_auto(Run) r = { 0 };

  /* The README's first command runs exactly this. */
  run_cli (&r, "--demo", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Rows 1–20 of 300");
  assert_contains (r.out, "Mailboxes:");
  assert_contains (r.out, "INBOX");
}

/* mailwarden-cli --demo=FLAVOUR, as the GUI's mailwarden --demo=FLAVOUR. */
static void
test_demo_flavours (void)
{
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--demo=postfixadmin", "users", "--search", "jaeger", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "agnes.jaeger@example.com");
    /* PostfixAdmin's columns: the full name, quota2's use. */
    assert_contains (r.out, "Agnès Jäger");
    assert_contains (r.out, "960.0\u00a0MiB");
  }
  {
    g_auto(Run) r = { 0 };

    /* The tour: the flavour's mailboxes, then one of them. */
    run_cli (&r, "--demo=ispmail", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "== Mailboxes ==");
    assert_contains (r.out, "Rows 1–20 of 40");
    assert_contains (r.out, "agnes.jaeger@example.com");
    assert_contains (r.out, "== One account ==");
    assert_contains (r.out, "Quota:");
    g_assert_null (strstr (r.out, "INBOX"));
    g_assert_null (strstr (r.out, "Mail used:"));
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--demo=postfixadmin", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "== Mailboxes ==");
    assert_contains (r.out, "Rows 1–20 of 40");
    assert_contains (r.out, "Mail used:       960.0\u00a0MiB / 2.0\u00a0GiB (48%)");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--demo=dbmail", "check", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "DBMail");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--demo=exim", NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "Unknown demo “exim”: use dbmail, ispmail or postfixadmin.");
  }
}

/* A database of @flavour with the demo's sample data. */
static void
load_vmail (MwTestDb      *tdb,
            MwDemoFlavour  flavour)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mw_demo_vmail_load_schema (tdb->db, flavour, &error));
  g_assert_no_error (error);
  g_assert_true (mw_demo_vmail_populate (tdb->db, flavour, &error));
  g_assert_no_error (error);
}

/* ISPmail's virtual_users.id of the demo's agnes. */
static gint64
id_of_agnes (MwTestDb *tdb)
{
  return mw_test_db_int (tdb, "SELECT id FROM virtual_users WHERE email = 'agnes.jaeger@example.com'");
}

/* "user ADDRESS" prints only what the flavour knows: ISPmail counts no use
 * (no "Mail used: 0 bytes") and shows its virtual_users.id as the number,
 * PostfixAdmin has none. */
static void
test_cli_vmail_user (gconstpointer data)
{
  for (MwDemoFlavour flavour = MW_DEMO_FLAVOUR_ISPMAIL; flavour <= MW_DEMO_FLAVOUR_POSTFIXADMIN; flavour++)
    {
      g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
      g_autofree char *uri = NULL;
      g_auto(Run) text = { 0 };
      g_auto(Run) json = { 0 };
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object;

      load_vmail (tdb, flavour);
      uri = uri_of (tdb);

      run_cli (&text, "--db", uri, "user", "agnes.jaeger@example.com", NULL);
      g_assert_cmpint (text.status, ==, 0);
      assert_contains (text.out, "Name:            agnes.jaeger@example.com\n");
      g_assert_null (strstr (text.out, "0 bytes"));
      if (flavour == MW_DEMO_FLAVOUR_ISPMAIL)
        {
          g_autofree char *number_line = g_strdup_printf ("Number:          %" G_GINT64_FORMAT "\n", id_of_agnes (tdb));

          assert_contains (text.out, number_line);
          assert_contains (text.out, "Quota:           2.0\u00a0GiB\n");
          g_assert_null (strstr (text.out, "Mail used:"));
        }
      else
        assert_contains (text.out, "Mail used:       960.0\u00a0MiB / 2.0\u00a0GiB (48%)\n");

      run_cli (&json, "--db", uri, "--json", "user", "agnes.jaeger@example.com", NULL);
      g_assert_cmpint (json.status, ==, 0);
      root = json_from_string (json.out, NULL);
      g_assert_nonnull (root);
      object = json_node_get_object (root);
      g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "agnes.jaeger@example.com");
      g_assert_false (strstr (json.out, "\"number\":0") != NULL);
      if (flavour == MW_DEMO_FLAVOUR_ISPMAIL)
        g_assert_cmpint (json_object_get_int_member (object, "number"), ==, id_of_agnes (tdb));
      else
        {
          g_assert_null (strstr (text.out, "Number:"));
          if (json_object_has_member (object, "number"))
            g_assert_true (json_object_get_null_member (object, "number"));
        }
      if (flavour == MW_DEMO_FLAVOUR_ISPMAIL)
        g_assert_false (json_object_has_member (object, "used"));
      else
        g_assert_cmpint (json_object_get_int_member (object, "used"), ==, 960 * 1024 * 1024);
    }
}

int
main (int   argc,
      char *argv[])
{
  mw_test_init (&argc, &argv);

  mw_test_add_both ("/cli/commands", test_cli);
  mw_test_add_both ("/cli/admin", test_cli_admin);
  mw_test_add_both ("/cli/name-race", test_cli_name_race);
  mw_test_add_both ("/cli/lookalike-domain", test_cli_lookalike_domain);
  g_test_add_func ("/cli/hash", test_cli_hash);
  mw_test_add_both ("/cli/rounds", test_cli_rounds);
  mw_test_add_both ("/cli/sender-display", test_cli_sender_display);
  g_test_add_func ("/cli/demo", test_demo);
  g_test_add_func ("/cli/demo-flavours", test_demo_flavours);
  mw_test_add_both ("/cli/vmail-user", test_cli_vmail_user);
  mw_test_add_both ("/cli/stdin-closed", test_cli_stdin_closed);
  mw_test_add_both ("/cli/password-nul", test_cli_password_nul);
  mw_test_add_both ("/cli/password-in-uri", test_cli_password_in_uri);
  mw_test_add_both ("/cli/settings", test_cli_settings);
  mw_test_add_both ("/cli/exit-codes", test_cli_exit_codes);
  mw_test_add_both ("/cli/quota", test_cli_quota);
  mw_test_add_both ("/cli/wording", test_cli_wording);
  mw_test_add_both ("/cli/json", test_cli_json);

  return mw_test_run ();
}
