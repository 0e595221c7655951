/* mw-test-vmail.c: the real Postfix and Dovecot reading a test database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-test-vmail"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mw-test-vmail.h"

#define DOVECOT_START_TIMEOUT_S 20
#define DOVECOT_STOP_TIMEOUT_S  10

struct _MwTestVmail
{
  MwTestVmailFlavour flavour;
  MwTestDb          *tdb;       /* borrowed */
  char              *dir;
  char              *role;
  char              *role_password;
  char              *dovecot_conf;
  char              *dovecot_log;
  char              *dovecot_stderr;
  GPid               dovecot_pid;
  GPid               watchdog;
};

/* A map file: its name and query. PostfixAdmin's files say "mysql_" or
 * "pgsql_" before the name; the tutorial's "mysql-" (pgsql- here). */
typedef struct
{
  const char *name;
  const char *query;
} MapFile;

typedef struct
{
  const char *parameter;
  const char *maps[4];   /* names of MapFile, in order */
} MainCfParameter;

/* The ISPmail tutorial (Debian 12 edition), /etc/postfix/mysql-*.cf. The
 * same queries run on PostgreSQL. */
static const MapFile ispmail_maps[] = {
  { "virtual-mailbox-domains", "SELECT 1 FROM virtual_domains WHERE name='%s'" },
  { "virtual-mailbox-maps", "SELECT 1 FROM virtual_users WHERE email='%s'" },
  { "virtual-alias-maps", "SELECT destination FROM virtual_aliases WHERE source='%s'" },
  /* So that a catch-all does not swallow mail for existing users. */
  { "email2email", "SELECT email FROM virtual_users WHERE email='%s'" },
};

static const MainCfParameter ispmail_main_cf[] = {
  { "virtual_mailbox_domains", { "virtual-mailbox-domains" } },
  { "virtual_mailbox_maps", { "virtual-mailbox-maps" } },
  { "virtual_alias_maps", { "virtual-alias-maps", "email2email" } },
};

/* PostfixAdmin 3.3, DOCUMENTS/POSTFIX_CONF.txt, for MySQL. */
static const MapFile postfixadmin_mysql_maps[] = {
  { "virtual_alias_maps", "SELECT goto FROM alias WHERE address='%s' AND active = '1'" },
  { "virtual_alias_domain_maps",
    "SELECT goto FROM alias,alias_domain WHERE alias_domain.alias_domain = '%d' and alias.address = "
    "CONCAT('%u', '@', alias_domain.target_domain) AND alias.active='1' AND alias_domain.active='1'" },
  { "virtual_alias_domain_catchall_maps",
    "SELECT goto FROM alias,alias_domain WHERE alias_domain.alias_domain = '%d' and alias.address = "
    "CONCAT('@', alias_domain.target_domain) AND alias.active='1' AND alias_domain.active='1'" },
  { "virtual_domains_maps", "SELECT domain FROM domain WHERE domain='%s' AND active = '1'" },
  { "virtual_mailbox_maps", "SELECT maildir FROM mailbox WHERE username='%s' AND active = '1'" },
  { "virtual_alias_domain_mailbox_maps",
    "SELECT maildir FROM mailbox,alias_domain WHERE alias_domain.alias_domain = '%d' and mailbox.username = "
    "CONCAT('%u', '@', alias_domain.target_domain) AND mailbox.active='1' AND alias_domain.active='1'" },
};

/* The same with the changes POSTFIX_CONF.txt asks for on PostgreSQL:
 * active='t' instead of active='1', || instead of CONCAT(). */
static const MapFile postfixadmin_pgsql_maps[] = {
  { "virtual_alias_maps", "SELECT goto FROM alias WHERE address='%s' AND active = 't'" },
  { "virtual_alias_domain_maps",
    "SELECT goto FROM alias,alias_domain WHERE alias_domain.alias_domain = '%d' and alias.address = "
    "'%u' || '@' || alias_domain.target_domain AND alias.active='t' AND alias_domain.active='t'" },
  { "virtual_alias_domain_catchall_maps",
    "SELECT goto FROM alias,alias_domain WHERE alias_domain.alias_domain = '%d' and alias.address = "
    "'@' || alias_domain.target_domain AND alias.active='t' AND alias_domain.active='t'" },
  { "virtual_domains_maps", "SELECT domain FROM domain WHERE domain='%s' AND active = 't'" },
  { "virtual_mailbox_maps", "SELECT maildir FROM mailbox WHERE username='%s' AND active = 't'" },
  { "virtual_alias_domain_mailbox_maps",
    "SELECT maildir FROM mailbox,alias_domain WHERE alias_domain.alias_domain = '%d' and mailbox.username = "
    "'%u' || '@' || alias_domain.target_domain AND mailbox.active='t' AND alias_domain.active='t'" },
};

static const MainCfParameter postfixadmin_main_cf[] = {
  { "virtual_mailbox_domains", { "virtual_domains_maps" } },
  { "virtual_alias_maps", { "virtual_alias_maps", "virtual_alias_domain_maps", "virtual_alias_domain_catchall_maps" } },
  { "virtual_mailbox_maps", { "virtual_mailbox_maps", "virtual_alias_domain_mailbox_maps" } },
};

/* dovecot-sql.conf.ext of the ISPmail tutorial (Debian 12 edition). */
static const char ispmail_dovecot_sql[] =
  "user_query = SELECT email as user, concat('*:bytes=', quota) AS quota_rule, "
  "'/var/vmail/%d/%n' AS home, 5000 AS uid, 5000 AS gid FROM virtual_users WHERE email='%u'\n"
  "password_query = SELECT password FROM virtual_users WHERE email='%u'\n"
  "iterate_query = SELECT email AS user FROM virtual_users\n";

/* PostfixAdmin 3.3, DOCUMENTS/DOVECOT.txt: dovecot-sql.conf. */
static const char postfixadmin_dovecot_sql_mysql[] =
  "default_pass_scheme = MD5-CRYPT\n"
  "password_query = SELECT username AS user,password FROM mailbox WHERE username = '%u' AND active='1'\n"
  "user_query = SELECT CONCAT('/var/mail/vmail/', maildir) AS home, 1001 AS uid, 1001 AS gid, "
  "CONCAT('*:bytes=', quota) AS quota_rule FROM mailbox WHERE username = '%u' AND active='1'\n"
  "iterate_query = SELECT username as user FROM mailbox WHERE active = '1'\n";

static const char postfixadmin_dovecot_sql_pgsql[] =
  "default_pass_scheme = MD5-CRYPT\n"
  "password_query = SELECT username AS user,password FROM mailbox WHERE username = '%u' AND active='1'\n"
  "user_query = SELECT '/var/mail/vmail/' || maildir AS home, 1001 AS uid, 1001 AS gid, "
  "'*:bytes=' || quota AS quota_rule FROM mailbox WHERE username = '%u' AND active = '1'\n"
  "iterate_query = SELECT username as user FROM mailbox WHERE active = '1'\n";

static gboolean
is_pgsql (MwTestVmail *v)
{
  return v->tdb->driver == MW_DB_DRIVER_PGSQL;
}

static void
get_flavour_maps (MwTestVmail            *v,
                  const MapFile         **maps,
                  guint                  *n_maps,
                  const MainCfParameter **params,
                  guint                  *n_params)
{
  if (v->flavour == MW_TEST_VMAIL_ISPMAIL)
    {
      *maps = ispmail_maps;
      *n_maps = G_N_ELEMENTS (ispmail_maps);
      *params = ispmail_main_cf;
      *n_params = G_N_ELEMENTS (ispmail_main_cf);
    }
  else
    {
      *maps = is_pgsql (v) ? postfixadmin_pgsql_maps : postfixadmin_mysql_maps;
      *n_maps = G_N_ELEMENTS (postfixadmin_mysql_maps);
      *params = postfixadmin_main_cf;
      *n_params = G_N_ELEMENTS (postfixadmin_main_cf);
    }
}

/* "pgsql:/tmp/…/pgsql_virtual_alias_maps.cf" */
static char *
map_table (MwTestVmail *v,
           const char  *name)
{
  const char *type = is_pgsql (v) ? "pgsql" : "mysql";
  g_autofree char *file = g_strdup_printf ("%s%s%s.cf", type,
                                           v->flavour == MW_TEST_VMAIL_ISPMAIL ? "-" : "_", name);
  g_autofree char *path = g_build_filename (v->dir, file, NULL);

  return g_strdup_printf ("%s:%s", type, path);
}

static void
write_file (MwTestVmail *v,
            const char  *name,
            const char  *contents)
{
  g_autofree char *path = g_build_filename (v->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  /* Dovecot's auth process reads its files as user dovecot. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
}

/* Where the database is, in the words of a Postfix map file. */
static char *
postfix_connection (MwTestVmail *v)
{
  const MwDbSettings *s = v->tdb->settings;

  g_assert_nonnull (s->socket);
  return g_strdup_printf ("# Written by tests/db/mw-test-vmail.c\n"
                          "hosts = unix:%s\n"
                          "user = %s\n"
                          "password = %s\n"
                          "dbname = %s\n",
                          s->socket, v->role, v->role_password, v->tdb->database);
}

static void
write_postfix (MwTestVmail *v)
{
  const MapFile *maps;
  const MainCfParameter *params;
  guint n_maps, n_params;
  g_autofree char *connection = postfix_connection (v);
  g_autoptr(GString) main_cf = g_string_new ("# Written by tests/db/mw-test-vmail.c for postmap -c\n"
                                             "compatibility_level = 3.6\n");

  get_flavour_maps (v, &maps, &n_maps, &params, &n_params);
  for (guint i = 0; i < n_maps; i++)
    {
      g_autofree char *table = map_table (v, maps[i].name);
      g_autofree char *contents = g_strdup_printf ("%squery = %s\n", connection, maps[i].query);
      g_autofree char *file = g_path_get_basename (strchr (table, ':') + 1);

      write_file (v, file, contents);
    }
  for (guint i = 0; i < n_params; i++)
    {
      g_string_append_printf (main_cf, "%s =", params[i].parameter);
      for (guint m = 0; m < G_N_ELEMENTS (params[i].maps) && params[i].maps[m] != NULL; m++)
        {
          g_autofree char *table = map_table (v, params[i].maps[m]);

          g_string_append_printf (main_cf, "%s\n  %s", m > 0 ? "," : "", table);
        }
      g_string_append_c (main_cf, '\n');
    }
  write_file (v, "main.cf", main_cf->str);
}

static void
write_dovecot (MwTestVmail *v)
{
  const MwDbSettings *s = v->tdb->settings;
  g_autofree char *sql_path = g_build_filename (v->dir, "dovecot-sql.conf.ext", NULL);
  g_autofree char *run_dir = g_build_filename (v->dir, "run", NULL);
  g_autofree char *state_dir = g_build_filename (v->dir, "state", NULL);
  g_autofree char *instance = g_path_get_basename (v->dir);
  g_autofree char *connect = NULL;
  g_autofree char *sql_conf = NULL;
  g_autoptr(GString) conf = g_string_new (NULL);
  const char *queries;

  if (is_pgsql (v))
    connect = g_strdup_printf ("host=%s port=%u dbname=%s user=%s password=%s",
                               s->socket, s->port != 0 ? s->port : 5432,
                               v->tdb->database, v->role, v->role_password);
  else
    connect = g_strdup_printf ("host=%s dbname=%s user=%s password=%s",
                               s->socket, v->tdb->database, v->role, v->role_password);
  if (v->flavour == MW_TEST_VMAIL_ISPMAIL)
    queries = ispmail_dovecot_sql;
  else
    queries = is_pgsql (v) ? postfixadmin_dovecot_sql_pgsql : postfixadmin_dovecot_sql_mysql;
  sql_conf = g_strdup_printf ("# Written by tests/db/mw-test-vmail.c\n"
                              "driver = %s\n"
                              "connect = \"%s\"\n"
                              "%s",
                              is_pgsql (v) ? "pgsql" : "mysql", connect, queries);
  write_file (v, "dovecot-sql.conf.ext", sql_conf);

  g_assert_cmpint (g_mkdir (state_dir, 0755), ==, 0);
  g_string_append_printf (conf,
                          "# Written by tests/db/mw-test-vmail.c: only the auth service, no listener.\n"
                          "base_dir = %s\n"
                          "state_dir = %s\n"
                          "log_path = %s\n"
                          "instance_name = %s\n"
                          "protocols =\n"
                          "ssl = no\n"
                          "auth_mechanisms = plain\n"
                          "auth_cache_size = 0\n"
                          "auth_failure_delay = 0\n"
                          "auth_verbose = yes\n"
                          "disable_plaintext_auth = no\n"
                          "passdb {\n  driver = sql\n  args = %s\n}\n"
                          "userdb {\n  driver = sql\n  args = %s\n}\n",
                          run_dir, state_dir, v->dovecot_log, instance, sql_path, sql_path);
  if (geteuid () != 0)
    {
      /* Dovecot as a normal user (wiki: "Running Dovecot as non-root"): its
       * internal and login users are this user, nothing chroots. */
      struct passwd *pw = getpwuid (geteuid ());
      struct group *gr = getgrgid (getegid ());

      g_assert_nonnull (pw);
      g_string_append_printf (conf,
                              "default_internal_user = %s\n"
                              "default_login_user = %s\n"
                              "default_internal_group = %s\n"
                              "service anvil {\n  chroot =\n}\n",
                              pw->pw_name, pw->pw_name, gr != NULL ? gr->gr_name : pw->pw_name);
    }
  write_file (v, "dovecot.conf", conf->str);
}

static void
exec_admin (MwTestVmail *v,
            const char  *sql)
{
  g_autoptr(GError) error = NULL;

  if (!mw_db_exec_script (v->tdb->db, sql, &error))
    g_error ("%s\n%s", error->message, sql);
}

/* The read-only role Postfix and Dovecot log in as. */
static void
create_role (MwTestVmail *v)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *grant = NULL;

  v->role = g_strdup_printf ("vm_%s", v->tdb->database);
  if (strlen (v->role) > 32)
    v->role[32] = '\0';
  v->role_password = g_strdup_printf ("pw%08x%08x", g_random_int (), g_random_int ());
  mw_local_server_create_role (v->tdb->server, v->role, v->role_password, &error);
  g_assert_no_error (error);

  if (is_pgsql (v))
    grant = g_strdup_printf ("GRANT USAGE ON SCHEMA public TO \"%s\";"
                             "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"%s\";"
                             "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO \"%s\"",
                             v->role, v->role, v->role);
  else
    grant = g_strdup_printf ("GRANT SELECT ON `%s`.* TO '%s'@'localhost'", v->tdb->database, v->role);
  exec_admin (v, grant);
}

static void
drop_role (MwTestVmail *v)
{
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  if (v->role == NULL || v->tdb->db == NULL)
    return;
  if (is_pgsql (v))
    sql = g_strdup_printf ("DROP OWNED BY \"%s\"; DROP ROLE \"%s\"", v->role, v->role);
  else
    sql = g_strdup_printf ("DROP USER '%s'@'localhost'", v->role);
  if (!mw_db_exec_script (v->tdb->db, sql, &error))
    g_warning ("Could not drop role %s: %s", v->role, error->message);
}

static void
watchdog_child_setup (gpointer data)
{
  setsid ();
}

/* When this process dies without mw_test_vmail_free() (an aborted test), a
 * shell stops Dovecot (if its parent-death signal did not) and removes the
 * directory. It only signals a pid whose command line names the directory. */
static void
start_watchdog (MwTestVmail *v)
{
  static const char script[] =
    "owner=$1; dir=$2\n"
    "while kill -0 \"$owner\" 2>/dev/null; do sleep 1; done\n"
    "[ -d \"$dir\" ] || exit 0\n"
    "pid=$(head -n 1 \"$dir/run/master.pid\" 2>/dev/null)\n"
    "if [ -n \"$pid\" ] && tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -qF \"$dir\"; then\n"
    "  kill -TERM \"$pid\"\n"
    "  for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 \"$pid\" 2>/dev/null || break; sleep 0.5; done\n"
    "  kill -KILL \"$pid\" 2>/dev/null\n"
    "fi\n"
    "rm -rf \"$dir\"\n";
  g_autofree char *owner = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "/bin/sh", "-c", script, "mw-vmail-watchdog", owner, v->dir, NULL };

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL |
                      G_SPAWN_STDIN_FROM_DEV_NULL,
                      watchdog_child_setup, NULL, &v->watchdog, &error))
    g_debug ("no watchdog for %s: %s", v->dir, error->message);
}

MwTestVmail *
mw_test_vmail_new (MwTestDb           *tdb,
                   MwTestVmailFlavour  flavour)
{
  g_autoptr(GError) error = NULL;
  MwTestVmail *v;

  g_return_val_if_fail (tdb != NULL, NULL);

  v = g_new0 (MwTestVmail, 1);
  v->flavour = flavour;
  v->tdb = tdb;
  v->dir = g_dir_make_tmp ("mw-vmail-XXXXXX", &error);
  g_assert_no_error (error);
  /* Dovecot's auth process runs as user dovecot when we are root. */
  g_assert_cmpint (g_chmod (v->dir, 0755), ==, 0);
  v->dovecot_conf = g_build_filename (v->dir, "dovecot.conf", NULL);
  v->dovecot_log = g_build_filename (v->dir, "dovecot.log", NULL);
  v->dovecot_stderr = g_build_filename (v->dir, "dovecot.stderr", NULL);

  start_watchdog (v);
  create_role (v);
  write_postfix (v);
  write_dovecot (v);
  return v;
}

const char *
mw_test_vmail_get_dir (MwTestVmail *v)
{
  g_return_val_if_fail (v != NULL, NULL);
  return v->dir;
}

static char *
read_tail (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return g_strdup ("");
  if (len > 4000)
    return g_strdup (contents + len - 4000);
  return g_steal_pointer (&contents);
}

/* Processes whose command line names this instance's directory: Dovecot's
 * master ("dovecot -F -c <dir>/dovecot.conf") and its children
 * ("dovecot-mw-vmail-XXXXXX/auth"). With signal, sends it to each. */
static guint
signal_instance (const char *dir,
                 int         signal)
{
  g_autofree char *instance = g_path_get_basename (dir);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  if (proc == NULL)
    return 0;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      gsize len = 0;
      int pid = atoi (name);

      if (pid <= 0 || pid == getpid ())
        continue;
      path = g_build_filename ("/proc", name, "cmdline", NULL);
      if (!g_file_get_contents (path, &cmdline, &len, NULL) || len == 0)
        continue;
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      if (strstr (cmdline, instance) == NULL || strstr (cmdline, "mw-vmail-watchdog") != NULL)
        continue;
      n++;
      if (signal != 0)
        kill (pid, signal);
    }
  return n;
}

guint
mw_test_vmail_count_processes (const char *dir)
{
  g_return_val_if_fail (dir != NULL, 0);
  return signal_instance (dir, 0);
}

static void
stop_dovecot (MwTestVmail *v)
{
  gint64 deadline;
  int status;

  if (v->dovecot_pid <= 0)
    return;
  kill (v->dovecot_pid, SIGTERM);
  deadline = g_get_monotonic_time () + DOVECOT_STOP_TIMEOUT_S * G_USEC_PER_SEC;
  while (waitpid (v->dovecot_pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (v->dovecot_pid, SIGKILL);
          waitpid (v->dovecot_pid, &status, 0);
          break;
        }
      g_usleep (10000);
    }
  v->dovecot_pid = 0;

  /* Its children end when they see the master gone; wait for them. */
  deadline = g_get_monotonic_time () + DOVECOT_STOP_TIMEOUT_S * G_USEC_PER_SEC;
  while (signal_instance (v->dir, 0) > 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          signal_instance (v->dir, SIGKILL);
          break;
        }
      g_usleep (10000);
    }
}

/* Runs in the child between fork and exec: Dovecot's master gets SIGTERM
 * when this process dies (an aborted test), and writes its stderr (fatal
 * configuration errors) to a file. Only async-signal-safe calls. */
static void
dovecot_child_setup (gpointer data)
{
  const char *stderr_path = data;
  int fd;

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  fd = open (stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0)
    {
      dup2 (fd, STDOUT_FILENO);
      dup2 (fd, STDERR_FILENO);
    }
}

static void
start_dovecot (MwTestVmail *v)
{
  g_autofree char *socket = g_build_filename (v->dir, "run", "auth-client", NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "dovecot", "-F", "-c", v->dovecot_conf, NULL };
  gint64 deadline;

  g_assert_cmpint (v->dovecot_pid, ==, 0);
  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                 dovecot_child_setup, v->dovecot_stderr, &v->dovecot_pid, &error);
  if (error != NULL)
    g_error ("Could not start Dovecot (run tools/install-deps): %s", error->message);

  /* Ready when its master has made the auth socket. */
  deadline = g_get_monotonic_time () + DOVECOT_START_TIMEOUT_S * G_USEC_PER_SEC;
  while (!g_file_test (socket, G_FILE_TEST_EXISTS))
    {
      int status;

      if (waitpid (v->dovecot_pid, &status, WNOHANG) != 0 || g_get_monotonic_time () > deadline)
        {
          g_autofree char *err = read_tail (v->dovecot_stderr);
          g_autofree char *log = read_tail (v->dovecot_log);

          v->dovecot_pid = 0;
          g_error ("Dovecot did not start with %s:\n%s\n%s", v->dovecot_conf, err, log);
        }
      g_usleep (10000);
    }
}

void
mw_test_vmail_free (MwTestVmail *v)
{
  if (v == NULL)
    return;
  stop_dovecot (v);
  drop_role (v);
  if (v->watchdog > 0)
    {
      kill (v->watchdog, SIGKILL);
      waitpid (v->watchdog, NULL, 0);
    }
  if (v->dir != NULL)
    {
      const char *argv[] = { "rm", "-rf", v->dir, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }
  g_free (v->dir);
  g_free (v->role);
  g_free (v->role_password);
  g_free (v->dovecot_conf);
  g_free (v->dovecot_log);
  g_free (v->dovecot_stderr);
  g_free (v);
}

/* Runs argv; fails the test when it cannot start. */
static int
run (const char *const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &error);
  if (error != NULL)
    g_error ("Could not run %s (run tools/install-deps): %s", argv[0], error->message);
  if (!WIFEXITED (status))
    g_error ("%s ended by a signal", argv[0]);
  return WEXITSTATUS (status);
}

static char *
chomp (char *s)
{
  return g_strchomp (s);
}

char *
mw_test_vmail_postmap (MwTestVmail *v,
                       const char  *map,
                       const char  *key)
{
  const MapFile *maps;
  const MainCfParameter *params;
  guint n_maps, n_params;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_return_val_if_fail (v != NULL, NULL);
  g_return_val_if_fail (map != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  g_ptr_array_add (argv, g_strdup ("postmap"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (v->dir));
  g_ptr_array_add (argv, g_strdup ("-q"));
  g_ptr_array_add (argv, g_strdup (key));

  get_flavour_maps (v, &maps, &n_maps, &params, &n_params);
  for (guint i = 0; i < n_params && argv->len == 5; i++)
    if (g_str_equal (params[i].parameter, map))
      for (guint m = 0; m < G_N_ELEMENTS (params[i].maps) && params[i].maps[m] != NULL; m++)
        g_ptr_array_add (argv, map_table (v, params[i].maps[m]));
  for (guint i = 0; i < n_maps && argv->len == 5; i++)
    if (g_str_equal (maps[i].name, map))
      g_ptr_array_add (argv, map_table (v, map));
  if (argv->len == 5)
    g_error ("No Postfix parameter or map file “%s” for this flavour", map);
  g_ptr_array_add (argv, NULL);

  status = run ((const char *const *) argv->pdata, &out, &err);
  /* postmap says nothing and exits 1 when no table has the key; a failed
   * query or login is a warning and a fatal error, also with status 1. */
  if (err[0] != '\0' || status > 1)
    g_error ("postmap -q %s %s failed (%d):\n%s", key, map, status, err);
  if (status == 1)
    return NULL;
  return chomp (g_steal_pointer (&out));
}

gboolean
mw_test_vmail_auth (MwTestVmail  *v,
                    const char   *user,
                    const char   *password,
                    char        **out)
{
  /* no-penalty: without it, anvil delays each request after a refusal by
   * up to 15 s (the "auth penalty" for the same client). */
  const char *argv[] = { "doveadm", "-c", v->dovecot_conf, "auth", "test", "-x", "no-penalty", user, password, NULL };
  g_autofree char *stdout_text = NULL;
  g_autofree char *err = NULL;
  int status;

  g_return_val_if_fail (v != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (v->dovecot_pid == 0)
    start_dovecot (v);
  status = run (argv, &stdout_text, &err);
  if ((status != 0 && status != 77) || err[0] != '\0')
    {
      g_autofree char *log = read_tail (v->dovecot_log);

      g_error ("doveadm auth test %s failed (%d):\n%s%s\n%s", user, status, stdout_text, err, log);
    }
  /* Dovecot says why it refused in its log; an SQL error there is a broken
   * configuration, not a refusal. */
  if (status == 77)
    {
      g_autofree char *log = read_tail (v->dovecot_log);

      if (strstr (log, " Error: ") != NULL || strstr (log, " Fatal: ") != NULL)
        g_error ("Dovecot's password query failed:\n%s", log);
    }
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  return status == 0;
}

char *
mw_test_vmail_userdb (MwTestVmail *v,
                      const char  *user,
                      const char  *field)
{
  const char *argv[] = { "doveadm", "-c", v->dovecot_conf, "user", "-f", field, user, NULL };
  g_autofree char *stdout_text = NULL;
  g_autofree char *err = NULL;
  int status;

  g_return_val_if_fail (v != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (v->dovecot_pid == 0)
    start_dovecot (v);
  status = run (argv, &stdout_text, &err);
  /* doveadm user: 67 (EX_NOUSER) when the userdb does not know the user. */
  if (status == 67)
    return NULL;
  if (status != 0)
    {
      g_autofree char *log = read_tail (v->dovecot_log);

      g_error ("doveadm user %s failed (%d):\n%s%s\n%s", user, status, stdout_text, err, log);
    }
  return chomp (g_steal_pointer (&stdout_text));
}

char *
mw_test_vmail_hash (const char *scheme,
                    const char *password)
{
  const char *argv[] = { "doveadm", "pw", "-s", scheme, "-p", password, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_return_val_if_fail (scheme != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (run (argv, &out, &err) != 0)
    g_error ("doveadm pw -s %s failed: %s", scheme, err);
  return chomp (g_steal_pointer (&out));
}

void
mw_test_run_clear (MwTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
mw_test_run_cli (MwTestRun  *run,
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
  const char *cli = g_getenv ("MW_CLI");
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
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
  g_test_message ("mailwarden-cli %s: %d\n%s%s", first, run->status, run->out, run->err);
}

char *
mw_test_vmail_db_uri (MwTestDb *tdb)
{
  return tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, tdb->database, tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
}

char *
mw_test_vmail_postfixadmin_copy (MwTestDb   *tdb,
                                 const char *conf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mw-pfa-php-XXXXXX", &error);
  g_autofree char *dir = NULL;
  g_autofree char *config = NULL;
  g_autofree char *path = NULL;
  const char *cp[] = { "cp", "-rL", "/usr/share/postfixadmin", NULL, NULL };
  int status = -1;

  g_assert_no_error (error);
  if (!g_file_test ("/usr/share/postfixadmin/common.php", G_FILE_TEST_EXISTS))
    g_error ("PostfixAdmin's PHP code is missing: run tools/install-deps (Debian's postfixadmin package).");
  dir = g_build_filename (tmp, "pfa", NULL);
  cp[3] = dir;
  /* templates_c points at /var/cache: copying it may fail, which is fine. */
  g_spawn_sync (NULL, (char **) cp, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "templates_c", NULL);
  g_mkdir_with_parents (path, 0700);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "dbconfig.inc.php", NULL);
  g_file_set_contents (path, "<?php $dbtype = $dbuser = $dbpass = $dbname = $dbserver = \"\";\n", -1, &error);
  g_assert_no_error (error);
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    config = g_strdup_printf ("<?php\n$CONF['configured'] = true;\n$CONF['database_type'] = 'pgsql';\n"
                              "$CONF['database_host'] = '%s';\n$CONF['database_port'] = '%u';\n"
                              "$CONF['database_user'] = '%s';\n$CONF['database_password'] = '%s';\n"
                              "$CONF['database_name'] = '%s';\n$CONF['emailcheck_resolve_domain'] = 'NO';\n%s",
                              tdb->settings->socket, tdb->settings->port != 0 ? tdb->settings->port : 5432,
                              tdb->settings->user, tdb->settings->password != NULL ? tdb->settings->password : "",
                              tdb->database, conf != NULL ? conf : "");
  else
    config = g_strdup_printf ("<?php\n$CONF['configured'] = true;\n$CONF['database_type'] = 'mysqli';\n"
                              "$CONF['database_socket'] = '%s';\n"
                              "$CONF['database_user'] = '%s';\n$CONF['database_password'] = '%s';\n"
                              "$CONF['database_name'] = '%s';\n$CONF['emailcheck_resolve_domain'] = 'NO';\n%s",
                              tdb->settings->socket, tdb->settings->user,
                              tdb->settings->password != NULL ? tdb->settings->password : "", tdb->database,
                              conf != NULL ? conf : "");
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "config.local.php", NULL);
  g_unlink (path);
  g_file_set_contents (path, config, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&dir);
}

void
mw_test_vmail_postfixadmin_remove (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (dir);
  const char *rm[] = { "rm", "-rf", parent, NULL };
  int status = -1;

  g_assert_true (g_str_has_prefix (parent, g_get_tmp_dir ()));
  g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
}

char *
mw_test_vmail_postfixadmin_php (const char *dir,
                                const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *all = g_strconcat ("define('POSTFIXADMIN_CLI', 1); require_once('common.php'); ", code, NULL);
  const char *argv[] = { "php", "-r", all, NULL };
  int status = -1;

  g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("php failed:\n%s%s", out, err);
  g_test_message ("PostfixAdmin: %s%s", out, err);
  return g_steal_pointer (&out);
}

void
mw_test_vmail_load_schema (MwTestDb   *tdb,
                           const char *flavour)
{
  g_autofree char *path = g_build_filename (MW_SOURCE_DIR, "sql", flavour,
                                            tdb->driver == MW_DB_DRIVER_PGSQL ? "pgsql.sql" : "mysql.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &sql, NULL, &error);
  g_assert_no_error (error);
  mw_db_exec_script (tdb->db, sql, &error);
  g_assert_no_error (error);
}
