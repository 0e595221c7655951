/* mw-local-server.c: private throwaway PostgreSQL and MariaDB servers for tests and the demo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-local-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mw-local-server.h"

G_DEFINE_QUARK (mw-local-server-error-quark, mw_local_server_error)

/* The port only names the socket file (.s.PGSQL.5432) inside our private
 * directory: the server gets listen_addresses='' and never opens TCP. */
#define PG_SOCKET_PORT     5432
#define PG_SOCKET_NAME     ".s.PGSQL.5432"
#define MY_SOCKET_NAME     "mysqld.sock"
#define SUN_PATH_MAX       107
#define START_TIMEOUT_S    60
#define STOP_TIMEOUT_MS    10000
#define KILL_TIMEOUT_MS    5000
#define POLL_INTERVAL_US   20000
#define LOG_TAIL_BYTES     6000

struct _MwLocalServer
{
  MwDbDriver    driver;
  gboolean      as_root;
  uid_t         pg_uid;
  gid_t         pg_gid;

  char         *dir;         /* everything lives here; removed by stop */
  char         *datadir;
  char         *socket;      /* pg: the directory; mysql: the socket file */
  char         *log_path;    /* pg: postgres.log; mysql: mariadbd.err */
  char         *stderr_path; /* mysql: whatever mariadbd wrote to stderr */
  char         *bindir;      /* pg: where initdb and pg_ctl are */

  gboolean      pg_started;
  GSubprocess  *mariadbd;

  MwDbSettings *settings;
  MwDb         *admin;
  guint         n_databases;
  GPid          watchdog;
};

/* Helpers */

static char *
read_log_tail (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (path == NULL || !g_file_get_contents (path, &contents, &len, NULL) || len == 0)
    return g_strdup ("");
  if (len > LOG_TAIL_BYTES)
    return g_strdup_printf ("[...]\n%s", contents + len - LOG_TAIL_BYTES);
  return g_steal_pointer (&contents);
}

static char *
collect_logs (MwLocalServer *self)
{
  GString *out = g_string_new (NULL);
  const char *paths[] = { self->log_path, self->stderr_path };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *tail = read_log_tail (paths[i]);

      if (tail[0] == '\0')
        continue;
      g_string_append_printf (out, "\n--- %s ---\n%s", paths[i], tail);
    }
  return g_string_free (out, FALSE);
}

/* The children get a predictable environment: no PG* variables that could
 * point them at another cluster, and untranslated messages for the logs. */
static char **
make_child_environ (void)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; env[i] != NULL; i++)
    {
      if (g_str_has_prefix (env[i], "PG") ||
          g_str_has_prefix (env[i], "LC_") ||
          g_str_has_prefix (env[i], "LANG") ||
          g_str_has_prefix (env[i], "MYSQL") ||
          g_str_has_prefix (env[i], "MARIADB"))
        continue;
      g_strv_builder_add (builder, env[i]);
    }
  g_strv_builder_add (builder, "LC_ALL=C");
  return g_strv_builder_end (builder);
}

/* Runs a command to completion in self->dir; on failure the error carries
 * the command's output. As root, as_postgres runs it as the postgres user. */
static gboolean
run_command (MwLocalServer  *self,
             const char     *what,
             const char     *const *args,
             gboolean        as_postgres,
             GError        **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) envp = make_child_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) local_error = NULL;
  int status = 0;

  if (as_postgres && self->as_root)
    {
      g_autofree char *runuser = g_find_program_in_path ("runuser");

      if (runuser == NULL && g_file_test ("/usr/sbin/runuser", G_FILE_TEST_IS_EXECUTABLE))
        runuser = g_strdup ("/usr/sbin/runuser");
      if (runuser == NULL)
        {
          g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_NOT_INSTALLED,
                       _("PostgreSQL refuses to run as root, and “runuser” was not found to start it as the postgres user."));
          return FALSE;
        }
      g_ptr_array_add (argv, g_steal_pointer (&runuser));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  g_debug ("running %s", (const char *) argv->pdata[0]);
  if (!g_spawn_sync (self->dir, (char **) argv->pdata, envp, G_SPAWN_DEFAULT,
                     NULL, NULL, &out, &err, &status, &local_error) ||
      !g_spawn_check_wait_status (status, &local_error))
    {
      g_autofree char *logs = collect_logs (self);

      g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_START_FAILED,
                   _("%s failed: %s\n%s%s%s"), what, local_error->message,
                   out != NULL ? out : "", err != NULL ? err : "", logs);
      return FALSE;
    }
  return TRUE;
}

/* Two test programs starting at once may both reap the same orphan: what
 * the other one removed first is gone, which is what was wanted. */
static void
remove_tree (const char *path)
{
  struct stat st;

  if (lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      if (g_rmdir (path) != 0 && errno != ENOENT)
        g_warning ("Could not remove %s: %s", path, g_strerror (errno));
    }
  else if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Could not remove %s: %s", path, g_strerror (errno));
}

static gboolean
pid_is_alive (GPid pid)
{
  return pid > 0 && (kill (pid, 0) == 0 || errno == EPERM);
}

static GPid
read_pid_file (const char *path)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  return (GPid) g_ascii_strtoll (contents, NULL, 10);
}

static void
wait_for_pid_exit (GPid  pid,
                   guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (pid_is_alive (pid) && g_get_monotonic_time () < deadline)
    g_usleep (POLL_INTERVAL_US / 2);
}

/* Who made a server directory, so that a later start can clean up after a
 * process that died without stopping its server (a failed assertion in a
 * test aborts the process). */
#define OWNER_FILE "owner"

static void
write_owner_file (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, OWNER_FILE, NULL);
  g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());

  if (!g_file_set_contents (path, pid, -1, NULL))
    g_debug ("could not write %s", path);
}

/* Whether pid is a server working in dir (and not some process that got the
 * number of a server that is long gone). */
static gboolean
pid_runs_in (GPid        pid,
             const char *dir)
{
  g_autofree char *proc = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
  g_autofree char *cmdline = NULL;
  gsize len = 0;

  if (pid <= 0 || !g_file_get_contents (proc, &cmdline, &len, NULL))
    return FALSE;
  for (gsize i = 0; i + 1 < len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  return strstr (cmdline, dir) != NULL;
}

static void
stop_orphan_process (GPid        pid,
                     const char *dir)
{
  if (!pid_is_alive (pid) || !pid_runs_in (pid, dir))
    return;
  /* SIGTERM is a fast shutdown for mariadbd; SIGQUIT an immediate one for
   * the postmaster. Either way SIGKILL follows if it lingers. */
  kill (pid, SIGTERM);
  kill (pid, SIGQUIT);
  wait_for_pid_exit (pid, STOP_TIMEOUT_MS / 2);
  if (pid_is_alive (pid))
    {
      kill (pid, SIGKILL);
      wait_for_pid_exit (pid, KILL_TIMEOUT_MS);
    }
}

/* Stops and removes servers left behind in base by processes of this user
 * that no longer exist. Directories without an owner file, of other users,
 * or whose owner still runs are left alone. */
static void
reap_orphans (const char *base)
{
  g_autoptr(GDir) dir = g_dir_open (base, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *owner_path = NULL;
      g_autofree char *pid_path = NULL;
      struct stat st;
      GPid owner;

      if ((!g_str_has_prefix (name, "mw-pg-") && !g_str_has_prefix (name, "mw-my-")) || strlen (name) != 12)
        continue;
      path = g_build_filename (base, name, NULL);
      owner_path = g_build_filename (path, OWNER_FILE, NULL);
      if (lstat (owner_path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid ())
        continue;
      owner = read_pid_file (owner_path);
      if (owner <= 0 || pid_is_alive (owner))
        continue;

      g_debug ("removing the server left behind by process %d in %s", (int) owner, path);
      if (g_str_has_prefix (name, "mw-pg-"))
        pid_path = g_build_filename (path, "data", "postmaster.pid", NULL);
      else
        pid_path = g_build_filename (path, "mariadbd.pid", NULL);
      stop_orphan_process (read_pid_file (pid_path), path);
      remove_tree (path);
    }
}

/* A fresh 0755 directory under the temporary directory whose socket path
 * stays below the 107-byte limit, and that the postgres user can reach. */
static char *
make_server_dir (MwLocalServer  *self,
                 const char     *kind,
                 gsize           socket_name_len,
                 GError        **error)
{
  const char *candidates[] = { g_get_tmp_dir (), "/tmp" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *template = g_strdup_printf ("%s/mw-%s-XXXXXX", candidates[i], kind);
      struct stat st;

      if (strlen (template) + 1 + socket_name_len > SUN_PATH_MAX)
        continue;
      reap_orphans (candidates[i]);
      if (self->as_root && self->driver == MW_DB_DRIVER_PGSQL &&
          (stat (candidates[i], &st) != 0 || (st.st_mode & S_IXOTH) == 0))
        continue;
      if (g_mkdtemp_full (template, 0755) == NULL)
        {
          int saved = errno;

          if (i + 1 < G_N_ELEMENTS (candidates))
            continue;
          g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_FAILED,
                       _("Could not create a directory for the database server in “%s”: %s"),
                       candidates[i], g_strerror (saved));
          return NULL;
        }
      /* mkdtemp honours the umask; the server user must be able to enter. */
      if (g_chmod (template, 0755) != 0)
        g_warning ("chmod %s: %s", template, g_strerror (errno));
      write_owner_file (template);
      return g_steal_pointer (&template);
    }

  g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_FAILED,
               _("No temporary directory is short enough for a database socket (at most %d bytes)."),
               SUN_PATH_MAX);
  return NULL;
}

static gboolean
connect_admin (MwLocalServer  *self,
               GError        **error)
{
  if (self->admin != NULL && mw_db_is_connected (self->admin))
    return TRUE;
  g_clear_pointer (&self->admin, mw_db_close);
  self->admin = mw_db_connect (self->settings, NULL, error);
  return self->admin != NULL;
}

/* A cache of fresh data directories, for the test suite
 *
 * MW_LOCAL_SERVER_CACHE (tests/meson.build sets it; nothing else does) names
 * a folder where the first server leaves a copy of the data directory that
 * initdb or mariadb-install-db has just made, before the server ever ran on
 * it; later servers copy that instead of making their own, which takes a
 * second or more each (several on a loaded machine). A copy is named after
 * the command line (without the data directory's own name), the programs'
 * size and time and the user, so another server version or other options
 * make another one. Without the variable nothing changes. */
static char *
cached_data_dir (MwLocalServer      *self,
                 const char         *kind,
                 const char *const  *args,
                 const char         *server)
{
  const char *cache = g_getenv ("MW_LOCAL_SERVER_CACHE");
  const char *programs[] = { args[0], server };
  g_autoptr(GChecksum) sum = NULL;

  if (cache == NULL || !g_path_is_absolute (cache))
    return NULL;
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  for (guint i = 0; args[i] != NULL; i++)
    if (strstr (args[i], self->datadir) == NULL)
      g_checksum_update (sum, (const guchar *) args[i], (gssize) strlen (args[i]) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      struct stat st;
      g_autofree char *id = NULL;

      if (programs[i] == NULL || stat (programs[i], &st) != 0)
        return NULL;
      id = g_strdup_printf ("%s %lld %lld %u;", programs[i], (long long) st.st_size, (long long) st.st_mtime,
                            (guint) geteuid ());
      g_checksum_update (sum, (const guchar *) id, -1);
    }
  return g_strdup_printf ("%s/%s-%.16s", cache, kind, g_checksum_get_string (sum));
}

/* Copies the cached data directory into place; FALSE (and nothing there)
 * when there is none or it cannot be copied. cp -a keeps the owner (the
 * postgres user when running as root) and the modes. */
static gboolean
copy_cached_data_dir (MwLocalServer *self,
                      const char    *cached)
{
  g_autofree char *cp = g_find_program_in_path ("cp");
  g_autoptr(GError) error = NULL;

  if (cached == NULL || cp == NULL || !g_file_test (cached, G_FILE_TEST_IS_DIR))
    return FALSE;
  {
    const char *args[] = { cp, "-a", "--", cached, self->datadir, NULL };

    if (run_command (self, "cp", args, FALSE, &error))
      return TRUE;
  }
  g_debug ("%s", error->message);
  remove_tree (self->datadir);
  return FALSE;
}

/* Leaves a copy of the data directory just made in the cache: copied under
 * a name of its own, then renamed, so that a server never copies half of
 * one; of two programs making it at once, the first rename wins. */
static void
cache_data_dir (MwLocalServer *self,
                const char    *cached)
{
  g_autofree char *cp = g_find_program_in_path ("cp");
  g_autofree char *cache = NULL;
  g_autofree char *partial = NULL;
  g_autoptr(GError) error = NULL;

  if (cached == NULL || cp == NULL)
    return;
  cache = g_path_get_dirname (cached);
  partial = g_strdup_printf ("%s.%d.partial", cached, (int) getpid ());
  if (g_mkdir_with_parents (cache, 0755) != 0)
    return;
  {
    const char *args[] = { cp, "-a", "--", self->datadir, partial, NULL };

    if (!run_command (self, "cp", args, FALSE, &error))
      g_debug ("%s", error->message);
    else if (g_rename (partial, cached) == 0)
      return;
  }
  remove_tree (partial);
}

/* PostgreSQL */

static int
compare_versions (const char *a,
                  const char *b)
{
  guint a1 = 0, a2 = 0, b1 = 0, b2 = 0;

  sscanf (a, "%u.%u", &a1, &a2);
  sscanf (b, "%u.%u", &b1, &b2);
  if (a1 != b1)
    return a1 < b1 ? -1 : 1;
  return a2 < b2 ? -1 : (a2 > b2 ? 1 : 0);
}

static char *
find_pg_bindir (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  g_autofree char *best_version = NULL;
  g_autofree char *in_path = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *initdb = g_build_filename ("/usr/lib/postgresql", name, "bin", "initdb", NULL);
      g_autofree char *pg_ctl = g_build_filename ("/usr/lib/postgresql", name, "bin", "pg_ctl", NULL);

      if (!g_ascii_isdigit (name[0]) ||
          !g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE) ||
          !g_file_test (pg_ctl, G_FILE_TEST_IS_EXECUTABLE))
        continue;
      if (best_version == NULL || compare_versions (name, best_version) > 0)
        {
          g_free (best_version);
          best_version = g_strdup (name);
        }
    }
  if (best_version != NULL)
    return g_build_filename ("/usr/lib/postgresql", best_version, "bin", NULL);

  /* Not Debian's layout: initdb and pg_ctl in PATH. */
  in_path = g_find_program_in_path ("initdb");
  if (in_path != NULL)
    {
      g_autofree char *bindir = g_path_get_dirname (in_path);
      g_autofree char *pg_ctl = g_build_filename (bindir, "pg_ctl", NULL);

      if (g_file_test (pg_ctl, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&bindir);
    }
  return NULL;
}

static gboolean
write_pg_hba (MwLocalServer  *self,
              GError        **error)
{
  /* The superuser needs no password; every other role must give its own, so
   * tests can check what a wrong password looks like. Rewritten in place so
   * the file keeps the postgres user as owner. */
  static const char hba[] =
    "# Written by Mailwarden's throwaway server: unix socket only.\n"
    "local all postgres trust\n"
    "local all all scram-sha-256\n";
  g_autofree char *path = g_build_filename (self->datadir, "pg_hba.conf", NULL);
  FILE *f = fopen (path, "w");
  gboolean ok;

  if (f == NULL)
    {
      int saved = errno;

      g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_FAILED,
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  ok = fputs (hba, f) >= 0;
  ok = fclose (f) == 0 && ok;
  if (!ok)
    g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_FAILED,
                 _("Could not write “%s”."), path);
  return ok;
}

static gboolean
start_postgres (MwLocalServer  *self,
                GError        **error)
{
  g_autofree char *initdb = NULL;
  g_autofree char *pg_ctl = NULL;
  g_autofree char *options = NULL;
  g_autofree char *quoted_dir = NULL;
  g_autofree char *timeout = g_strdup_printf ("%d", START_TIMEOUT_S);

  self->bindir = find_pg_bindir ();
  if (self->bindir == NULL)
    {
      g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_NOT_INSTALLED,
                   _("PostgreSQL's initdb and pg_ctl were not found (install the “postgresql” package)."));
      return FALSE;
    }
  initdb = g_build_filename (self->bindir, "initdb", NULL);
  pg_ctl = g_build_filename (self->bindir, "pg_ctl", NULL);

  if (self->as_root)
    {
      struct passwd *pw = getpwnam ("postgres");

      if (pw == NULL)
        {
          g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_NOT_INSTALLED,
                       _("PostgreSQL refuses to run as root, and there is no “postgres” user to run it."));
          return FALSE;
        }
      self->pg_uid = pw->pw_uid;
      self->pg_gid = pw->pw_gid;
    }

  self->dir = make_server_dir (self, "pg", strlen (PG_SOCKET_NAME), error);
  if (self->dir == NULL)
    return FALSE;
  if (self->as_root && chown (self->dir, self->pg_uid, self->pg_gid) != 0)
    {
      int saved = errno;

      g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_FAILED,
                   _("Could not hand “%s” to the postgres user: %s"), self->dir, g_strerror (saved));
      return FALSE;
    }
  self->datadir = g_build_filename (self->dir, "data", NULL);
  self->log_path = g_build_filename (self->dir, "postgres.log", NULL);
  self->socket = g_strdup (self->dir);

  {
    const char *args[] = {
      initdb, "-D", self->datadir, "-U", "postgres", "-A", "trust", "-E", "UTF8",
      "--locale=C.UTF-8", "--no-sync", "--no-instructions", NULL
    };
    g_autofree char *postgres = g_build_filename (self->bindir, "postgres", NULL);
    g_autofree char *cached = cached_data_dir (self, "pg", args, postgres);

    if (!copy_cached_data_dir (self, cached))
      {
        if (!run_command (self, _("Creating the PostgreSQL data directory"), args, TRUE, error))
          return FALSE;
        cache_data_dir (self, cached);
      }
  }

  if (!write_pg_hba (self, error))
    return FALSE;

  /* pg_ctl hands -o to /bin/sh, hence the quoting. */
  quoted_dir = g_shell_quote (self->dir);
  options = g_strdup_printf ("-p %d -k %s -c listen_addresses='' -c fsync=off "
                             "-c synchronous_commit=off -c full_page_writes=off",
                             PG_SOCKET_PORT, quoted_dir);
  {
    const char *args[] = {
      pg_ctl, "-D", self->datadir, "-l", self->log_path, "-w", "-t", timeout,
      "-o", options, "start", NULL
    };

    /* Set before running: a pg_ctl that times out may still leave a server. */
    self->pg_started = TRUE;
    if (!run_command (self, _("Starting PostgreSQL"), args, TRUE, error))
      return FALSE;
  }

  self->settings = mw_db_settings_new (MW_DB_DRIVER_PGSQL);
  self->settings->socket = g_strdup (self->dir);
  self->settings->port = PG_SOCKET_PORT;
  self->settings->database = g_strdup ("postgres");
  self->settings->user = g_strdup ("postgres");
  self->settings->tls_mode = MW_DB_TLS_DISABLE;
  return TRUE;
}

static void
stop_postgres (MwLocalServer *self)
{
  g_autofree char *pid_path = NULL;
  g_autofree char *pg_ctl = NULL;
  g_autoptr(GError) error = NULL;
  GPid pid;

  if (self->datadir == NULL || self->bindir == NULL || !self->pg_started)
    return;

  pid_path = g_build_filename (self->datadir, "postmaster.pid", NULL);
  pid = read_pid_file (pid_path);
  pg_ctl = g_build_filename (self->bindir, "pg_ctl", NULL);

  {
    const char *args[] = { pg_ctl, "-D", self->datadir, "-m", "immediate", "-w", "-t", "10", "stop", NULL };

    if (!run_command (self, "pg_ctl stop", args, TRUE, &error))
      g_debug ("%s", error->message);
  }

  /* Whatever pg_ctl said: make sure nothing is left running. */
  if (pid_is_alive (pid))
    {
      kill (pid, SIGKILL);
      wait_for_pid_exit (pid, KILL_TIMEOUT_MS);
    }
  self->pg_started = FALSE;
}

/* MariaDB */

static char *
find_program (const char *const *names,
              const char *const *dirs)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (names[i]);

      if (path != NULL)
        return g_steal_pointer (&path);
      for (guint j = 0; dirs[j] != NULL; j++)
        {
          g_autofree char *candidate = g_build_filename (dirs[j], names[i], NULL);

          if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
            return g_steal_pointer (&candidate);
        }
    }
  return NULL;
}

static gboolean
start_mariadb (MwLocalServer  *self,
               GError        **error)
{
  static const char *const server_names[] = { "mariadbd", "mysqld", NULL };
  static const char *const install_names[] = { "mariadb-install-db", "mysql_install_db", NULL };
  static const char *const dirs[] = { "/usr/sbin", "/usr/libexec", "/usr/bin", "/usr/scripts", NULL };
  g_autofree char *server = find_program (server_names, dirs);
  g_autofree char *install = find_program (install_names, dirs);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) envp = NULL;
  g_autoptr(GError) last_error = NULL;
  g_autofree char *user_arg = NULL;
  g_autofree char *datadir_arg = NULL;
  g_autofree char *socket_arg = NULL;
  g_autofree char *pid_arg = NULL;
  g_autofree char *log_arg = NULL;
  g_autofree char *tmpdir_arg = NULL;
  const char *user = g_get_user_name ();
  gint64 deadline;

  if (server == NULL || install == NULL)
    {
      g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_NOT_INSTALLED,
                   _("MariaDB's mariadbd and mariadb-install-db were not found (install the “mariadb-server” package)."));
      return FALSE;
    }

  self->dir = make_server_dir (self, "my", strlen (MY_SOCKET_NAME), error);
  if (self->dir == NULL)
    return FALSE;
  self->datadir = g_build_filename (self->dir, "data", NULL);
  self->socket = g_build_filename (self->dir, MY_SOCKET_NAME, NULL);
  self->log_path = g_build_filename (self->dir, "mariadbd.err", NULL);
  self->stderr_path = g_build_filename (self->dir, "mariadbd.stderr", NULL);

  /* mariadbd wants --user=root when it runs as root; for anybody else the
   * option names the user it already is. */
  user_arg = g_strdup_printf ("--user=%s", user);
  datadir_arg = g_strdup_printf ("--datadir=%s", self->datadir);
  socket_arg = g_strdup_printf ("--socket=%s", self->socket);
  pid_arg = g_strdup_printf ("--pid-file=%s/mariadbd.pid", self->dir);
  log_arg = g_strdup_printf ("--log-error=%s", self->log_path);
  tmpdir_arg = g_strdup_printf ("--tmpdir=%s", self->dir);

  {
    /* Without native AIO: many throwaway servers at once (parallel tests,
     * benchmarks) can run out of the kernel's io_uring/AIO contexts. */
    const char *args[] = {
      install, "--no-defaults", datadir_arg, user_arg,
      "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
      "--innodb-use-native-aio=0", NULL
    };
    g_autoptr(GError) first_error = NULL;
    g_autofree char *cached = cached_data_dir (self, "my", args, server);

    if (!copy_cached_data_dir (self, cached))
      {
        if (!run_command (self, _("Creating the MariaDB data directory"), args, FALSE, &first_error))
          {
            /* Once more into an empty directory: a loaded machine can make the
             * bootstrap fail for reasons of its own. */
            g_autofree char *quoted = g_shell_quote (self->datadir);
            g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

            g_message ("%s; trying once more", first_error->message);
            g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
            if (!run_command (self, _("Creating the MariaDB data directory"), args, FALSE, error))
              return FALSE;
          }
        cache_data_dir (self, cached);
      }
  }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  envp = make_child_environ ();
  g_subprocess_launcher_set_environ (launcher, envp);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  g_subprocess_launcher_set_stderr_file_path (launcher, self->stderr_path);
  self->mariadbd = g_subprocess_launcher_spawn (launcher, error,
                                                server, "--no-defaults", datadir_arg, socket_arg,
                                                "--skip-networking", user_arg, pid_arg, log_arg,
                                                tmpdir_arg, "--skip-log-bin",
                                                "--character-set-server=utf8mb4",
                                                "--collation-server=utf8mb4_general_ci",
                                                "--innodb-flush-log-at-trx-commit=0",
                                                "--innodb-doublewrite=0",
                                                "--innodb-buffer-pool-size=64M",
                                                "--innodb-use-native-aio=0",
                                                "--max-allowed-packet=256M",
                                                NULL);
  if (self->mariadbd == NULL)
    return FALSE;

  self->settings = mw_db_settings_new (MW_DB_DRIVER_MYSQL);
  self->settings->socket = g_strdup (self->socket);
  self->settings->database = g_strdup ("mysql");
  self->settings->user = g_strdup ("root");
  self->settings->tls_mode = MW_DB_TLS_DISABLE;
  self->settings->connect_timeout = 5;

  /* Ready when the socket answers; gone when the process has exited. */
  deadline = g_get_monotonic_time () + (gint64) START_TIMEOUT_S * G_USEC_PER_SEC;
  for (;;)
    {
      if (g_subprocess_get_identifier (self->mariadbd) == NULL)
        {
          g_autofree char *logs = collect_logs (self);

          g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_START_FAILED,
                       _("MariaDB stopped while starting up.%s"), logs);
          return FALSE;
        }
      if (g_file_test (self->socket, G_FILE_TEST_EXISTS))
        {
          g_clear_error (&last_error);
          if (connect_admin (self, &last_error))
            return TRUE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *logs = collect_logs (self);

          g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_START_FAILED,
                       _("MariaDB did not answer within %d seconds%s%s.%s"), START_TIMEOUT_S,
                       last_error != NULL ? ": " : "", last_error != NULL ? last_error->message : "",
                       logs);
          return FALSE;
        }
      g_usleep (POLL_INTERVAL_US);
    }
}

static gboolean
wait_for_subprocess (GSubprocess *process,
                     guint        timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  /* GLib's worker thread reaps the child and clears the identifier. */
  while (g_subprocess_get_identifier (process) != NULL)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (POLL_INTERVAL_US / 4);
    }
  return TRUE;
}

static void
stop_mariadb (MwLocalServer *self)
{
  if (self->mariadbd == NULL)
    return;

  if (g_subprocess_get_identifier (self->mariadbd) != NULL)
    {
      g_subprocess_send_signal (self->mariadbd, SIGTERM);
      if (!wait_for_subprocess (self->mariadbd, STOP_TIMEOUT_MS))
        {
          g_warning ("mariadbd did not stop within %d ms; killing it", STOP_TIMEOUT_MS);
          g_subprocess_force_exit (self->mariadbd);
          wait_for_subprocess (self->mariadbd, KILL_TIMEOUT_MS);
        }
    }
  g_clear_object (&self->mariadbd);
}

/* A process of its own that stops the server and removes its directory as
 * soon as this process is gone, however it ended (an aborted test, Ctrl+C on
 * the demo). It only signals a pid whose command line names the directory. */
static void
watchdog_child_setup (gpointer data)
{
  setsid ();
}

static void
start_watchdog (MwLocalServer *self)
{
  static const char script[] =
    "owner=$1; dir=$2; pidfile=$3\n"
    "while kill -0 \"$owner\" 2>/dev/null; do sleep 1; done\n"
    "[ -d \"$dir\" ] || exit 0\n"
    "pid=$(head -n 1 \"$pidfile\" 2>/dev/null)\n"
    "if [ -n \"$pid\" ] && tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -qF \"$dir\"; then\n"
    "  kill -TERM \"$pid\"; kill -QUIT \"$pid\"\n"
    "  for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 \"$pid\" 2>/dev/null || break; sleep 0.2; done\n"
    "  kill -KILL \"$pid\" 2>/dev/null\n"
    "fi\n"
    "rm -rf \"$dir\"\n";
  g_autofree char *owner = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *pidfile = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "/bin/sh", "-c", script, "mw-watchdog", owner, self->dir, NULL, NULL };

  if (self->driver == MW_DB_DRIVER_PGSQL)
    pidfile = g_build_filename (self->datadir, "postmaster.pid", NULL);
  else
    pidfile = g_build_filename (self->dir, "mariadbd.pid", NULL);
  argv[6] = pidfile;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL,
                      watchdog_child_setup, NULL, &self->watchdog, &error))
    g_debug ("no watchdog for %s: %s", self->dir, error->message);
}

/* Public API */

MwLocalServer *
mw_local_server_start (MwDbDriver   driver,
                       GError     **error)
{
  g_autoptr(MwLocalServer) self = g_new0 (MwLocalServer, 1);
  gboolean ok;

  g_return_val_if_fail (driver == MW_DB_DRIVER_PGSQL || driver == MW_DB_DRIVER_MYSQL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->driver = driver;
  self->as_root = geteuid () == 0;

  if (driver == MW_DB_DRIVER_PGSQL)
    ok = start_postgres (self, error) && connect_admin (self, error);
  else
    ok = start_mariadb (self, error);

  if (!ok)
    return NULL;   /* the autoptr stops whatever did start */

  start_watchdog (self);

  g_debug ("%s server ready in %s", driver == MW_DB_DRIVER_PGSQL ? "PostgreSQL" : "MariaDB", self->dir);
  return g_steal_pointer (&self);
}

MwDbDriver
mw_local_server_get_driver (MwLocalServer *self)
{
  g_return_val_if_fail (self != NULL, MW_DB_DRIVER_PGSQL);

  return self->driver;
}

const MwDbSettings *
mw_local_server_get_settings (MwLocalServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->settings;
}

const char *
mw_local_server_get_directory (MwLocalServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dir;
}

MwDbSettings *
mw_local_server_settings_for (MwLocalServer *self,
                              const char    *database,
                              const char    *user,
                              const char    *password)
{
  MwDbSettings *settings;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->settings != NULL, NULL);

  settings = mw_db_settings_copy (self->settings);
  if (database != NULL)
    {
      g_free (settings->database);
      settings->database = g_strdup (database);
    }
  if (user != NULL)
    {
      g_free (settings->user);
      settings->user = g_strdup (user);
    }
  g_free (settings->password);
  settings->password = g_strdup (password);
  return settings;
}

char *
mw_local_server_create_database (MwLocalServer  *self,
                                 const char     *prefix_hint,
                                 GError        **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *sql = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Only [a-z0-9_] so the name needs no quoting rules beyond the obvious;
   * pid and counter keep it unique, 63 bytes at most (PostgreSQL's limit). */
  for (const char *p = prefix_hint != NULL ? prefix_hint : ""; *p != '\0' && name->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (name, g_ascii_tolower (*p));
      else if (name->len > 0 && name->str[name->len - 1] != '_')
        g_string_append_c (name, '_');
    }
  while (name->len > 0 && name->str[name->len - 1] == '_')
    g_string_truncate (name, name->len - 1);
  if (name->len == 0 || g_ascii_isdigit (name->str[0]))
    g_string_prepend (name, "mw");
  g_string_append_printf (name, "_%u_%u", (guint) getpid (), ++self->n_databases);

  if (self->driver == MW_DB_DRIVER_PGSQL)
    sql = g_strdup_printf ("CREATE DATABASE \"%s\" ENCODING 'UTF8'", name->str);
  else
    sql = g_strdup_printf ("CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
                           name->str);

  if (!connect_admin (self, error) || !mw_db_exec_script (self->admin, sql, error))
    return NULL;
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static char *
quote_literal (MwDbDriver  driver,
               const char *text)
{
  GString *out = g_string_new ("'");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append (out, "''");
      else if (*p == '\\' && driver == MW_DB_DRIVER_MYSQL)
        g_string_append (out, "\\\\");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

gboolean
mw_local_server_create_role (MwLocalServer  *self,
                             const char     *name,
                             const char     *password,
                             GError        **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *literal = NULL;
  gsize len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = strlen (name);
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_')
      len = 0;
  if (len == 0 || len > 32)
    {
      g_set_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_FAILED,
                   _("“%s” is not a usable role name (letters, digits and “_”, at most 32)."), name);
      return FALSE;
    }

  /* Utility statements take no bound parameters, so the password goes in as
   * a quoted literal. */
  literal = quote_literal (self->driver, password);
  if (self->driver == MW_DB_DRIVER_PGSQL)
    sql = g_strdup_printf ("CREATE ROLE \"%s\" LOGIN PASSWORD %s", name, literal);
  else
    sql = g_strdup_printf ("CREATE USER '%s'@'localhost' IDENTIFIED BY %s", name, literal);

  return connect_admin (self, error) && mw_db_exec_script (self->admin, sql, error);
}

void
mw_local_server_stop (MwLocalServer *self)
{
  if (self == NULL)
    return;

  if (self->watchdog > 0)
    kill (self->watchdog, SIGKILL);
  g_clear_pointer (&self->admin, mw_db_close);
  if (self->driver == MW_DB_DRIVER_PGSQL)
    stop_postgres (self);
  else
    stop_mariadb (self);

  if (self->dir != NULL)
    remove_tree (self->dir);

  g_clear_pointer (&self->settings, mw_db_settings_free);
  g_free (self->dir);
  g_free (self->datadir);
  g_free (self->socket);
  g_free (self->log_path);
  g_free (self->stderr_path);
  g_free (self->bindir);
  g_free (self);
}
