/* test-vmail-last-login.c: what ISPmail and PostfixAdmin lists show of
 * Dovecot's own tables, and how they are searched (issue 17).
 *
 * - Dovecot's last-login table (its last_login plugin through an SQL dict,
 *   the documented map: table last_login, userid = $user, value_field
 *   last_login, value_type uint): when the database has it, the Mailboxes
 *   list has a sortable "Last Login" column, the account and `mailwarden-cli
 *   user` show it; without it (or of another shape) nothing changes. The
 *   last login is written by a real Dovecot 2.3: its dict server with the
 *   documented dict-sql map, sent the plugin's key by `doveadm dict set
 *   proxy::lastlogin shared/last-login/USER SECONDS` (the plugin's login
 *   hook itself needs a mail process: not run); an older row before it is
 *   inserted as dict-sql writes rows, so Dovecot's write is an update.
 * - Search in Unicode: "bücher" typed in the Mailboxes, Aliases, Forwards
 *   and Domains lists (and find) reaches the names stored in A-labels
 *   (xn--bcher-kva.example); SQL metacharacters, % and _ stay literal.
 *
 * On the demo's sample data (mw_demo_vmail_populate), on both servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mw-account.h"
#include "mw-schema.h"
#include "mw-demo-vmail.h"
#include "mw-test-db.h"

typedef struct
{
  MwTestDb      *tdb;
  MwDemoFlavour  flavour;
  MwSchema      *schema;
} Fixture;

static void
fixture_free (Fixture *f)
{
  g_clear_object (&f->schema);
  g_clear_pointer (&f->tdb, mw_test_db_free);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = mw_db_exec (f->tdb->db, sql, NULL, 0, NULL, &error);

  g_assert_no_error (error);
}

/* The demo's sample data, @setup_sql run on it (may be NULL), then the schema opened. */
static Fixture *
fixture_new (gconstpointer  driver,
             MwDemoFlavour  flavour,
             const char    *setup_sql)
{
  g_autoptr(GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);

  f->flavour = flavour;
  f->tdb = mw_test_db_new (driver, FALSE);
  g_assert_true (mw_demo_vmail_load_schema (f->tdb->db, flavour, &error));
  g_assert_no_error (error);
  g_assert_true (mw_demo_vmail_populate (f->tdb->db, flavour, &error));
  g_assert_no_error (error);
  if (setup_sql != NULL)
    {
      g_auto(GStrv) statements = g_strsplit (setup_sql, ";\n", -1);

      for (guint i = 0; statements[i] != NULL; i++)
        if (g_strstrip (statements[i])[0] != '\0')
          exec (f, statements[i]);
    }
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  return f;
}

/* The whole list searched for @search, sorted by name: each row's
 * columns as the list reads them, "a|b|c", one row a line. */
static char *
read_list (Fixture     *f,
           MwListKind   kind,
           const char  *search,
           guint       *n_rows)
{
  const MwListInfo *info = mw_schema_get_list (f->schema, kind);
  MwListRequest request = { .kind = kind, .sort = MW_SORT_NAME, .search = search };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwDbResult) page = NULL;
  GString *out = g_string_new (NULL);

  g_assert_nonnull (info);
  query = mw_schema_list_query (f->schema, &request, &error);
  g_assert_no_error (error);
  page = mw_list_query_fetch_offset (query, f->tdb->db, 0, 1000, FALSE, NULL, &error);
  g_assert_no_error (error);
  *n_rows = mw_db_result_get_n_rows (page);
  for (guint r = 0; r < *n_rows; r++)
    {
      for (guint c = 0; c < info->n_columns; c++)
        {
          MwListValue value = { 0 };

          mw_list_column_read (&info->columns[c], page, r, &value);
          g_string_append_printf (out, "%s%s", c > 0 ? "|" : "", value.is_null ? "" : value.text);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Every line of @rows names the IDN domain in its stored form. */
static void
assert_all_bucher (const char *rows,
                   guint       n_rows)
{
  g_auto(GStrv) lines = g_strsplit (rows, "\n", -1);

  g_assert_cmpuint (n_rows, >, 0);
  for (guint i = 0; i < n_rows; i++)
    if (strstr (lines[i], "xn--bcher-kva.example") == NULL)
      g_error ("a row without bücher.example: %s", lines[i]);
}

/* Dovecot's documented table (Last Login Plugin, "MySQL Example"). */
static const char pg_table[] =
  "CREATE TABLE last_login (userid varchar(255) NOT NULL, last_login integer DEFAULT NULL, PRIMARY KEY (userid))";
static const char mysql_table[] =
  "CREATE TABLE last_login (userid varchar(255) NOT NULL, last_login int(11) DEFAULT NULL, PRIMARY KEY (userid), "
  "KEY last_login (last_login))";
/* Another shape: not Dovecot's map, ignored. */
static const char other_table[] =
  "CREATE TABLE last_login (username varchar(255) NOT NULL, last_login varchar(40))";

/* 2023-11-14 22:13:20 UTC */
#define LOGIN_SECONDS 1700000000

/* One row as dict-sql writes it: an upsert of value_field by userid. */
static void
dovecot_writes (Fixture    *f,
                const char *user,
                gint64      seconds)
{
  g_autofree char *sql = f->tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("INSERT INTO last_login (userid, last_login) VALUES ('%s', %" G_GINT64_FORMAT ") "
                       "ON CONFLICT (userid) DO UPDATE SET last_login = %" G_GINT64_FORMAT, user, seconds, seconds)
    : g_strdup_printf ("INSERT INTO last_login (userid, last_login) VALUES ('%s', %" G_GINT64_FORMAT ") "
                       "ON DUPLICATE KEY UPDATE last_login = %" G_GINT64_FORMAT, user, seconds, seconds);

  exec (f, sql);
}

/* Dovecot's own dict server writes the plugin's key through the documented
 * map: a private Dovecot (master and its dict service only) with
 * dict { lastlogin = <driver>:dict-sql.conf.ext }, and `doveadm dict set
 * proxy::lastlogin shared/last-login/USER SECONDS`, which is what the
 * last_login plugin does at a login with last_login_dict = proxy::lastlogin
 * (its default key last-login/%u, in the shared namespace). */
static void
dovecot_dict_writes (Fixture    *f,
                     const char *user,
                     gint64      seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-last-login-XXXXXX", &error);
  g_autofree char *run = NULL, *state = NULL, *conf = NULL, *dict = NULL, *socket = NULL, *text = NULL;
  g_autofree char *key = g_strdup_printf ("shared/last-login/%s", user);
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);
  g_autofree char *out = NULL, *err = NULL;
  const MwDbSettings *s = f->tdb->settings;
  struct passwd *pw = getpwuid (geteuid ());
  struct group *gr = getgrgid (getegid ());
  GPid pid = 0;
  int status = -1;
  gint64 deadline;

  g_assert_no_error (error);
  run = g_build_filename (dir, "run", NULL);
  state = g_build_filename (dir, "state", NULL);
  conf = g_build_filename (dir, "dovecot.conf", NULL);
  dict = g_build_filename (dir, "dict-sql.conf.ext", NULL);
  socket = g_build_filename (run, "dict", NULL);
  g_assert_cmpint (g_mkdir (state, 0755), ==, 0);
  text = g_strdup_printf ("connect = \"host=%s dbname=%s user=%s%s%s\"\n"
                          "map {\n  pattern = shared/last-login/$user\n  table = last_login\n"
                          "  value_field = last_login\n  value_type = uint\n"
                          "  fields {\n    userid = $user\n  }\n}\n",
                          s->socket, f->tdb->database, s->user,
                          s->password != NULL && s->password[0] != '\0' ? " password=" : "",
                          s->password != NULL ? s->password : "");
  g_assert_true (g_file_set_contents (dict, text, -1, &error));
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf ("base_dir = %s\nstate_dir = %s\nlog_path = %s/dovecot.log\ninstance_name = %s\n"
                          "protocols =\nssl = no\n"
                          "default_internal_user = %s\ndefault_login_user = %s\ndefault_internal_group = %s\n"
                          "service anvil {\n  chroot =\n}\n"
                          "dict {\n  lastlogin = %s:%s\n}\n",
                          run, state, dir, dir, pw->pw_name, pw->pw_name, gr != NULL ? gr->gr_name : pw->pw_name,
                          f->tdb->driver == MW_DB_DRIVER_PGSQL ? "pgsql" : "mysql", dict);
  g_assert_true (g_file_set_contents (conf, text, -1, &error));

  {
    const char *argv[] = { "dovecot", "-F", "-c", conf, NULL };

    g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                   G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, &error);
    g_assert_no_error (error);
  }
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!g_file_test (socket, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (waitpid (pid, &status, WNOHANG), ==, 0);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
  {
    const char *argv[] = { "doveadm", "-c", conf, "dict", "set", "proxy::lastlogin", key, value, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
  }
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *log_path = g_build_filename (dir, "dovecot.log", NULL);
      g_autofree char *log = NULL;

      g_file_get_contents (log_path, &log, NULL, NULL);
      g_error ("doveadm dict set failed:\n%s%s\n%s", out, err, log != NULL ? log : "");
    }
  {
    const char *argv[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
}

static const MwListColumn *
find_column (const MwListInfo *info,
             const char       *id,
             guint            *index)
{
  for (guint c = 0; c < info->n_columns; c++)
    if (g_str_equal (info->columns[c].id, id))
      {
        *index = c;
        return &info->columns[c];
      }
  return NULL;
}

/* The first page of Mailboxes sorted by @sort: the address and the
 * last-login column's value of row @row. */
static void
read_row (Fixture      *f,
          MwListSort    sort,
          gboolean      descending,
          guint         row,
          char        **address,
          MwListValue  *login,
          char        **login_text)
{
  const MwListInfo *info = mw_schema_get_list (f->schema, MW_LIST_USERS);
  MwListRequest request = { .kind = MW_LIST_USERS, .sort = sort, .descending = descending };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = mw_schema_list_query (f->schema, &request, &error);
  g_autoptr(MwDbResult) page = NULL;
  const MwListColumn *column;
  MwListValue value = { 0 };
  guint address_at = 0, login_at = 0;

  g_assert_no_error (error);
  page = mw_list_query_fetch_offset (query, f->tdb->db, 0, 100, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_db_result_get_n_rows (page), >, row);
  g_assert_nonnull (find_column (info, "name", &address_at));
  mw_list_column_read (&info->columns[address_at], page, row, &value);
  *address = g_strdup (value.text);
  column = find_column (info, "last_login", &login_at);
  g_assert_nonnull (column);
  mw_list_column_read (column, page, row, login);
  *login_text = g_strdup (login->text);
  login->text = *login_text;
}

static void
check_last_login (gconstpointer  driver,
                  MwDemoFlavour  flavour)
{
  g_autoptr(Fixture) f = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAccount) account = NULL;
  g_autofree char *first = NULL, *first_login = NULL, *top = NULL, *top_login = NULL, *text = NULL;
  g_autofree char *key = NULL, *uri = NULL, *out = NULL, *err = NULL;
  const MwListInfo *info;
  const MwListColumn *column;
  MwListValue login = { 0 };
  guint at = 0, used_at = 0;
  int status = -1;
  const char *line;

  f = fixture_new (driver, flavour, NULL);
  exec (f, f->tdb->driver == MW_DB_DRIVER_PGSQL ? pg_table : mysql_table);
  g_clear_object (&f->schema);
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);

  /* The column, titled and sortable, after the use where there is one. */
  g_assert_true (mw_schema_can (f->schema, MW_SCHEMA_CAN_LAST_LOGIN));
  info = mw_schema_get_list (f->schema, MW_LIST_USERS);
  column = find_column (info, "last_login", &at);
  g_assert_nonnull (column);
  g_assert_cmpstr (column->title, ==, "Last Login");
  g_assert_cmpint (column->format, ==, MW_LIST_FORMAT_LOGIN);
  g_assert_cmpint (column->sort, ==, MW_SORT_LAST_LOGIN);
  if (find_column (info, "used", &used_at) != NULL)
    g_assert_cmpuint (at, ==, used_at + 1);
  else
    g_assert_cmpuint (at, ==, info->n_columns - 1);

  /* Nobody has logged in yet: never. */
  read_row (f, MW_SORT_NAME, FALSE, 0, &first, &login, &first_login);
  g_assert_cmpint (login.mark, ==, MW_LIST_MARK_NEVER);

  /* A login an hour earlier, then Dovecot's dict server writes the last
   * one (an update of that row); sorted by last login, newest first, that
   * mailbox comes first with the date. */
  dovecot_writes (f, first, LOGIN_SECONDS - 3600);
  dovecot_dict_writes (f, first, LOGIN_SECONDS);
  read_row (f, MW_SORT_LAST_LOGIN, TRUE, 0, &top, &login, &top_login);
  g_assert_cmpstr (top, ==, first);
  g_assert_cmpint (login.mark, ==, MW_LIST_MARK_NONE);
  /* (The day in the server's time zone: the 14th or the 15th.) */
  g_assert_true (g_str_has_prefix (top_login, "2023-11-14 ") || g_str_has_prefix (top_login, "2023-11-15 "));
  text = mw_list_value_format (column, &login);
  g_assert_cmpuint (strlen (text), ==, 16);
  g_clear_pointer (&top, g_free);
  g_clear_pointer (&top_login, g_free);
  read_row (f, MW_SORT_LAST_LOGIN, FALSE, 0, &top, &login, &top_login);
  g_assert_cmpstr (top, !=, first);
  g_assert_cmpint (login.mark, ==, MW_LIST_MARK_NEVER);

  /* The account: its last login, to the second. */
  {
    g_autoptr(MwFound) found = mw_schema_find (f->schema, f->tdb->db, first, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (found);
    key = g_strdup (found->key);
  }
  account = mw_schema_get_account (f->schema, f->tdb->db, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account->last_login);
  g_assert_cmpint (g_date_time_to_unix (account->last_login), ==, LOGIN_SECONDS);

  /* mailwarden-cli user ADDRESS: "Last login:" with the date. */
  uri = f->tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", f->tdb->settings->user, f->tdb->database, f->tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", f->tdb->settings->user, f->tdb->database, f->tdb->settings->socket);
  {
    const char *argv[] = { g_getenv ("MW_CLI"), "--db", uri, "user", first, NULL };
    g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);

    g_assert_nonnull (argv[0]);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
    line = strstr (out, "Last login:");
    if (line == NULL)
      g_error ("no last login in:\n%s\n%s", out, err);
    line += strlen ("Last login:");
    while (*line == ' ')
      line++;
    g_assert_true (g_str_has_prefix (line, "2023-11-14 ") || g_str_has_prefix (line, "2023-11-15 "));
  }

  /* mailwarden-cli users --sort last_login --desc: that mailbox first. */
  {
    const char *argv[] = { g_getenv ("MW_CLI"), "--db", uri, "users", "--sort", "last_login", "--desc", "--limit", "1",
                           "--json", NULL };
    g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
    g_autofree char *expected = g_strdup_printf ("\"%s\"", first);

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
    if (strstr (out, expected) == NULL || strstr (out, "\"last_login\"") == NULL)
      g_error ("not sorted by last login:\n%s\n%s", out, err);
  }
}

/* No table, or one of another shape: no column, no capability, no sort. */
static void
check_no_last_login (gconstpointer  driver,
                     MwDemoFlavour  flavour,
                     const char    *setup_sql)
{
  g_autoptr(Fixture) f = fixture_new (driver, flavour, setup_sql);
  MwListRequest request = { .kind = MW_LIST_USERS, .sort = MW_SORT_LAST_LOGIN };
  g_autoptr(GError) error = NULL;
  const MwListInfo *info = mw_schema_get_list (f->schema, MW_LIST_USERS);
  guint at;

  g_assert_false (mw_schema_can (f->schema, MW_SCHEMA_CAN_LAST_LOGIN));
  g_assert_null (find_column (info, "last_login", &at));
  g_assert_null (mw_schema_list_query (f->schema, &request, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
}

static void
test_last_login_ispmail (gconstpointer driver)
{
  check_last_login (driver, MW_DEMO_FLAVOUR_ISPMAIL);
}

static void
test_last_login_postfixadmin (gconstpointer driver)
{
  check_last_login (driver, MW_DEMO_FLAVOUR_POSTFIXADMIN);
}

static void
test_no_last_login (gconstpointer driver)
{
  check_no_last_login (driver, MW_DEMO_FLAVOUR_ISPMAIL, NULL);
  check_no_last_login (driver, MW_DEMO_FLAVOUR_POSTFIXADMIN, NULL);
  check_no_last_login (driver, MW_DEMO_FLAVOUR_ISPMAIL, other_table);
  check_no_last_login (driver, MW_DEMO_FLAVOUR_POSTFIXADMIN, other_table);
}

/* A forward out of bücher.example, so that Forwards has one there. */
static const char ispmail_forward[] =
  "INSERT INTO virtual_aliases (domain_id, source, destination) VALUES "
  "((SELECT id FROM virtual_domains WHERE name = 'xn--bcher-kva.example'), 'laden@xn--bcher-kva.example', "
  "'kasse@laden.test')";
static const char postfixadmin_forward[] =
  "INSERT INTO alias (address, goto, domain, created, modified, active) VALUES "
  "('laden@xn--bcher-kva.example', 'kasse@laden.test', 'xn--bcher-kva.example', '2024-01-01 00:00:00', "
  "'2024-01-01 00:00:00', '1')";

static void
check_unicode_search (gconstpointer  driver,
                      MwDemoFlavour  flavour)
{
  g_autoptr(Fixture) f = fixture_new (driver, flavour, flavour == MW_DEMO_FLAVOUR_ISPMAIL ? ispmail_forward
                                                                                  : postfixadmin_forward);
  static const MwListKind kinds[] = { MW_LIST_USERS, MW_LIST_ALIASES, MW_LIST_FORWARDS, MW_LIST_DOMAINS };
  static const char *const literal[] = {
    "%", "_", "bücher%", "bücher_example", "ücher.example' OR '1'='1", "bücher\\", "xn--bcher-kva.example\"; --",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *unicode = NULL;
      g_autofree char *upper = NULL;
      g_autofree char *stored = NULL;
      g_autofree char *address = NULL;
      guint n_unicode, n_upper, n_stored, n_address, n;

      /* Typed in Unicode, in any case: the same rows as the stored form. */
      unicode = read_list (f, kinds[k], "bücher", &n_unicode);
      stored = read_list (f, kinds[k], "xn--bcher-kva", &n_stored);
      upper = read_list (f, kinds[k], "BÜCHER.example", &n_upper);
      g_test_message ("list %u, 'bücher': %u rows\n%s", kinds[k], n_unicode, unicode);
      assert_all_bucher (unicode, n_unicode);
      g_assert_cmpstr (unicode, ==, stored);
      g_assert_cmpstr (upper, ==, stored);

      /* An address typed whole: its domain in A-labels, the local part as typed. */
      if (kinds[k] != MW_LIST_DOMAINS)
        {
          const char *local = kinds[k] == MW_LIST_FORWARDS ? "laden@bücher" : "@bücher.example";

          address = read_list (f, kinds[k], local, &n_address);
          assert_all_bucher (address, n_address);
        }

      /* % _ ' " \ are literal: nothing matches, and no error. */
      for (guint i = 0; i < G_N_ELEMENTS (literal); i++)
        {
          g_autofree char *rows = read_list (f, kinds[k], literal[i], &n);

          g_assert_cmpuint (n, ==, 0);
        }
    }

  /* find: the address typed in Unicode. */
  found = mw_schema_find (f->schema, f->tdb->db, "Laden@Bücher.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->kind, ==, MW_FOUND_FORWARD);
}

static void
test_search_ispmail (gconstpointer driver)
{
  check_unicode_search (driver, MW_DEMO_FLAVOUR_ISPMAIL);
}

static void
test_search_postfixadmin (gconstpointer driver)
{
  check_unicode_search (driver, MW_DEMO_FLAVOUR_POSTFIXADMIN);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);

  mw_test_add_both ("/vmail-last-login/ispmail", test_last_login_ispmail);
  mw_test_add_both ("/vmail-last-login/postfixadmin", test_last_login_postfixadmin);
  mw_test_add_both ("/vmail-last-login/absent", test_no_last_login);
  mw_test_add_both ("/vmail-last-login/search-unicode/ispmail", test_search_ispmail);
  mw_test_add_both ("/vmail-last-login/search-unicode/postfixadmin", test_search_postfixadmin);

  return mw_test_run ();
}
