/* test-cli.c: mailwarden-cli run as a person or a script would, on real servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "mw-demo-data.h"
#include "mw-password.h"
#include "mw-test-db.h"

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

static const char *
cli_path (void)
{
  const char *path = g_getenv ("MW_CLI");

  g_assert_nonnull (path);
  return path;
}

static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  va_list ap;

  g_ptr_array_add (argv, (char *) cli_path ());
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  run->status = WIFEXITED (run->status) ? WEXITSTATUS (run->status) : -1;
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
    g_autofree char *field = g_strdup_printf ("\"users\": %s,", n_users);

    run_cli (&r, "--db", uri, "--json", "check", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, field);
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

    run_cli (&r, "--db", uri, "--json", "users", "--search", first, "--limit", "5", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "\"users\": [");
    assert_contains (r.out, first);
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

    run_cli (&r, "--db", uri, "--json", "user", upper, NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "\"mailboxes\": [");
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

    run_cli (&r, "--db", uri, "groups", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "\"groups\": [");
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
    assert_contains (r.err, "is not a size");
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

    run_cli (&r, "--db", uri, "forward", "delete", "SALES@example.com", "|/usr/bin/procmail", NULL);
    g_assert_cmpint (r.status, ==, 0);
    run_clear (&r);
    memset (&r, 0, sizeof r);
    run_cli (&r, "--db", uri, "--json", "user", "delete", "dave", "--dry-run", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "\"aliases\": 2");
    assert_contains (r.out, "\"dry_run\": true");
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
static void
test_cli_hash (void)
{
  g_auto(Run) h = { 0 };
  g_auto(Run) v = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) md5 = { 0 };

  run_cli_input (&md5, "secret\n", "hash", "md5sum", NULL);
  g_assert_cmpint (md5.status, ==, 0);
  assert_contains (md5.out, "5ebe2294ecd0e0f08eab7690d2a6ee69");
  assert_contains (md5.out, "{PLAIN-MD5}");

  run_cli_input (&h, "secret\n", "--json", "hash", "sha512-crypt", NULL);
  g_assert_cmpint (h.status, ==, 0);
  assert_contains (h.out, "\"encryption_type\": \"crypt\"");
  assert_contains (h.out, "{SHA512-CRYPT}$6$");

  run_cli_input (&v, "secret\n", "verify", "--type", "md5", "$1$1VZ.fDZE$JPh8NGNGgWge3WQk6x3vd1", NULL);
  g_assert_cmpint (v.status, ==, 0);
  assert_contains (v.out, "matches");
  run_cli_input (&bad, "Secret\n", "verify", "--type", "sha1", "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4", NULL);
  g_assert_cmpint (bad.status, ==, 6);
  assert_contains (bad.out, "does not match");
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

int
main (int   argc,
      char *argv[])
{
  mw_test_init (&argc, &argv);

  mw_test_add_both ("/cli/commands", test_cli);
  mw_test_add_both ("/cli/admin", test_cli_admin);
  g_test_add_func ("/cli/hash", test_cli_hash);
  g_test_add_func ("/cli/demo", test_demo);

  return mw_test_run ();
}
