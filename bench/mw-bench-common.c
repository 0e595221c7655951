/* mw-bench-common.c: what mw-bench-lists and mw-bench-vmail share: the rows
 * of the report, the floor (the same SQL through one open psql / mariadb
 * session), the timed core calls, the watched main loop and the report.
 * See mw-bench-lists.c for how a measurement runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-bench"

#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "mw-bench-common.h"

/* Below this many ms the mariadb client's whole-ms timing says little. */
#define CLIENT_RESOLUTION_LIMIT_MS 10.0
#define WAIT_LIMIT_US (120 * G_USEC_PER_SEC)

int opt_runs = 7;
int opt_page_size = 200;
int opt_workers = 2;
char *opt_search = NULL;
char *opt_psql = NULL;
char *opt_mariadb = NULL;
gboolean opt_no_floor = FALSE;
gboolean opt_no_model = FALSE;

void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->label);
  g_free (row->note);
  g_free (row);
}

Row *
add_row (Bench      *b,
         const char *label)
{
  Row *row = g_new0 (Row, 1);

  row->label = g_strconcat (b->prefix != NULL ? b->prefix : "", label, NULL);
  row->core_ms = -1;
  row->floor_ms = -1;
  g_ptr_array_add (b->rows, row);
  return row;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
median (GArray *values)
{
  guint n = values->len;

  if (n == 0)
    return -1;
  g_array_sort (values, compare_double);
  if (n % 2 == 1)
    return g_array_index (values, double, n / 2);
  return (g_array_index (values, double, n / 2 - 1) + g_array_index (values, double, n / 2)) / 2;
}

double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* SQL text */

/* A value as an SQL literal of the driver's dialect. */
static void
append_literal (GString         *out,
                MwDbDriver       driver,
                const MwDbValue *v)
{
  switch (v->type)
    {
    case MW_DB_TYPE_NULL:
      g_string_append (out, "NULL");
      return;
    case MW_DB_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, v->v.i);
      return;
    case MW_DB_TYPE_BOOL:
      g_string_append (out, v->v.b ? "1" : "0");
      return;
    case MW_DB_TYPE_TIMESTAMP:
      if (driver == MW_DB_DRIVER_PGSQL)
        g_string_append (out, "TIMESTAMP ");
      break;
    case MW_DB_TYPE_TEXT:
    case MW_DB_TYPE_BYTES:
    default:
      break;
    }

  g_string_append_c (out, '\'');
  for (const char *p = v->v.s != NULL ? v->v.s : ""; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      else if (*p == '\\' && driver == MW_DB_DRIVER_MYSQL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

/* "$n" outside quotes becomes the literal of params[n - 1]. */
static char *
inline_params (const char      *sql,
               MwDbDriver       driver,
               const MwDbValue *params,
               guint            n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 64);
  char quote = 0;

  for (const char *p = sql; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          g_string_append_c (out, *p);
          if (*p == '\\' && driver == MW_DB_DRIVER_MYSQL && p[1] != '\0')
            g_string_append_c (out, *++p);
          else if (*p == quote)
            quote = 0;
          continue;
        }
      if (*p == '\'' || *p == '"' || *p == '`')
        {
          quote = *p;
          g_string_append_c (out, *p);
          continue;
        }
      if (*p == '$' && g_ascii_isdigit (p[1]))
        {
          guint n = 0;

          while (g_ascii_isdigit (p[1]))
            n = n * 10 + (guint) (*++p - '0');
          if (n >= 1 && n <= n_params)
            append_literal (out, driver, &params[n - 1]);
          else
            g_string_append_printf (out, "$%u", n);
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The paging statements come from the core itself (mw_list_query_build_*),
 * so the floor is the text the core runs; on PostgreSQL check_sent() also
 * compares it with what the core's connection last executed. */

char *
count_sql (MwListQuery *query)
{
  return mw_list_query_build_count_sql (query);
}

char *
offset_sql (MwListQuery *query,
            guint64      offset,
            guint        limit,
            gboolean     reverse)
{
  return mw_list_query_build_offset_sql (query, offset, limit, reverse);
}

char *
after_sql (MwListQuery *query,
           MwDbDriver   driver,
           gboolean     inclusive,
           gboolean     reverse,
           guint        limit)
{
  return mw_list_query_build_after_sql (query, driver, inclusive, reverse, limit);
}

char *
anchors_sql (MwListQuery *query,
             guint        page_size)
{
  return mw_list_query_build_anchors_sql (query, page_size);
}


void
statement_clear (Statement *st)
{
  g_free (st->sql);
  g_free (st->params);
}

Statement
statement_new (char            *sql,
               const MwDbValue *params,
               guint            n_params,
               const MwDbValue *extra,
               guint            n_extra)
{
  Statement st = { .sql = sql, .n_params = n_params + n_extra };

  st.params = g_new0 (MwDbValue, st.n_params + 1);
  if (n_params > 0)
    memcpy (st.params, params, n_params * sizeof (MwDbValue));
  if (n_extra > 0)
    memcpy (st.params + n_params, extra, n_extra * sizeof (MwDbValue));
  return st;
}

/* The ready-to-run text: tables expanded, values inlined, ';'-terminated. */
static char *
statement_text (Bench           *b,
                const Statement *st)
{
  g_autofree char *expanded = mw_db_expand_tables (st->sql, mw_db_get_prefix (b->db));

  return inline_params (expanded, b->driver, st->params, st->n_params);
}

/* PostgreSQL keeps the text of a backend's last statement: compare it with
 * ours, so that the floor is known to run exactly what the core ran. */
void
check_sent (Bench           *b,
            const char      *label,
            const Statement *st)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = NULL;
  g_autofree char *expected = NULL;
  MwDbValue params[] = { MW_DB_INT64 (b->backend_pid) };
  const char *sent;

  if (b->probe == NULL)
    return;
  result = mw_db_exec (b->probe, "SELECT query FROM pg_stat_activity WHERE pid = $1", params, 1, NULL, &error);
  if (result == NULL || mw_db_result_get_n_rows (result) == 0)
    {
      g_printerr ("note: cannot read what the core sent for “%s”: %s\n", label,
                  error != NULL ? error->message : "no such backend");
      return;
    }
  sent = mw_db_result_get_string (result, 0, 0);
  expected = mw_db_expand_tables (st->sql, mw_db_get_prefix (b->db));
  if (g_strcmp0 (sent, expected) != 0)
    {
      b->n_mismatches++;
      g_printerr ("WARNING: the floor SQL for “%s” differs from what the core sent.\n"
                  "  core:  %s\n  floor: %s\n", label, sent, expected);
    }
}

/* Floors through the command-line clients */

static char **
client_argv (Bench *b)
{
  const MwDbSettings *s = b->settings;
  GPtrArray *argv = g_ptr_array_new ();

  if (b->driver == MW_DB_DRIVER_PGSQL)
    {
      /* psql has no switch to flush after each query; stdbuf gives it one. */
      g_ptr_array_add (argv, g_strdup ("stdbuf"));
      g_ptr_array_add (argv, g_strdup ("-oL"));
      g_ptr_array_add (argv, g_strdup (opt_psql != NULL ? opt_psql : "psql"));
      g_ptr_array_add (argv, g_strdup ("-X"));
      g_ptr_array_add (argv, g_strdup ("-q"));
      g_ptr_array_add (argv, g_strdup ("-v"));
      g_ptr_array_add (argv, g_strdup ("ON_ERROR_STOP=1"));
      if (s->socket != NULL || s->host != NULL)
        g_ptr_array_add (argv, g_strdup_printf ("--host=%s", s->socket != NULL ? s->socket : s->host));
      if (s->port != 0)
        g_ptr_array_add (argv, g_strdup_printf ("--port=%u", s->port));
      if (s->user != NULL)
        g_ptr_array_add (argv, g_strdup_printf ("--username=%s", s->user));
      g_ptr_array_add (argv, g_strdup_printf ("--dbname=%s", s->database));
    }
  else
    {
      g_ptr_array_add (argv, g_strdup (opt_mariadb != NULL ? opt_mariadb : "mariadb"));
      g_ptr_array_add (argv, g_strdup ("--no-defaults"));
      g_ptr_array_add (argv, g_strdup ("-vvv"));
      g_ptr_array_add (argv, g_strdup ("--unbuffered"));
      if (s->socket != NULL)
        g_ptr_array_add (argv, g_strdup_printf ("--socket=%s", s->socket));
      if (s->host != NULL)
        g_ptr_array_add (argv, g_strdup_printf ("--host=%s", s->host));
      if (s->port != 0)
        g_ptr_array_add (argv, g_strdup_printf ("--port=%u", s->port));
      if (s->user != NULL)
        g_ptr_array_add (argv, g_strdup_printf ("--user=%s", s->user));
      g_ptr_array_add (argv, g_strdup (s->database));
    }
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

/* One session of psql or mariadb, fed one run at a time, so that each floor
 * run happens right beside its core run on this noisy machine. */
typedef struct
{
  Bench            *b;
  GSubprocess      *proc;
  GOutputStream    *in;
  GDataInputStream *out;
  const Statement  *statements;
  guint             n_statements;
  GArray           *client;    /* ms per run (sum of its statements) */
  GArray           *profile;   /* MariaDB: server-side ms per statement, from SHOW PROFILES */
  GError           *error;
} FloorSession;

#define MARK "mw-bench-mark"

static gboolean
floor_write (FloorSession *fs,
             const char   *text)
{
  return fs->error == NULL &&
         g_output_stream_write_all (fs->in, text, strlen (text), NULL, NULL, &fs->error) &&
         g_output_stream_flush (fs->in, NULL, &fs->error);
}

static void
floor_session_start (FloorSession    *fs,
                     Bench           *b,
                     const Statement *statements,
                     guint            n_statements)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = client_argv (b);

  memset (fs, 0, sizeof *fs);
  fs->b = b;
  fs->statements = statements;
  fs->n_statements = n_statements;
  fs->client = g_array_new (FALSE, FALSE, sizeof (double));
  fs->profile = g_array_new (FALSE, FALSE, sizeof (double));
  if (opt_no_floor || n_statements == 0)
    return;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  if (b->settings->password != NULL)
    g_subprocess_launcher_setenv (launcher, b->driver == MW_DB_DRIVER_PGSQL ? "PGPASSWORD" : "MYSQL_PWD",
                                  b->settings->password, TRUE);
  fs->proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv, &fs->error);
  if (fs->proc == NULL)
    return;
  fs->in = g_subprocess_get_stdin_pipe (fs->proc);
  fs->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fs->proc));
  if (b->driver == MW_DB_DRIVER_PGSQL)
    floor_write (fs, "\\o /dev/null\n\\timing on\n");
  else
    floor_write (fs, "SET profiling = 1;\nSET profiling_history_size = 100;\n");
}

/* Runs the statements once, then a mark, and reads the client's figures up
 * to the mark: psql prints "Time: 1.234 ms", mariadb -vvv "200 rows in set
 * (0.004 sec)" (the mark's own line is the last one). */
static void
floor_session_run (FloorSession *fs,
                   gboolean      keep)
{
  g_autoptr(GString) script = g_string_new (NULL);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double sum = 0;

  if (fs->proc == NULL || fs->error != NULL)
    return;

  for (guint i = 0; i < fs->n_statements; i++)
    {
      g_autofree char *text = statement_text (fs->b, &fs->statements[i]);
      g_string_append_printf (script, "%s;\n", text);
    }
  if (fs->b->driver == MW_DB_DRIVER_PGSQL)
    g_string_append (script, "\\echo " MARK "\n");
  else
    g_string_append (script, "SELECT '" MARK "' AS mark;\n");
  if (!floor_write (fs, script->str))
    return;

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (fs->out, NULL, NULL, &fs->error);
      const char *p;
      double v;

      if (line == NULL)
        {
          if (fs->error == NULL)
            g_set_error (&fs->error, G_IO_ERROR, G_IO_ERROR_FAILED, "the client stopped (an SQL error?)");
          return;
        }
      if (fs->b->driver == MW_DB_DRIVER_PGSQL)
        {
          if (g_str_has_prefix (line, "Time: "))
            {
              v = g_ascii_strtod (line + 6, NULL);
              g_array_append_val (times, v);
            }
          else if (strcmp (line, MARK) == 0)
            break;
          else if (strstr (line, "ERROR") != NULL)
            g_printerr ("  client: %s\n", line);
          continue;
        }
      if ((p = strstr (line, " set (")) != NULL && g_str_has_suffix (line, " sec)"))
        {
          /* Over a minute the client writes "(1 min 2.345 sec)", over an
           * hour "(1 hour 2 min 3.456 sec)". */
          const char *q = p + 6;

          v = 0;
          while (*q != '\0' && *q != ')')
            {
              char *end = NULL;
              double n = g_ascii_strtod (q, &end);

              if (end == q)
                break;
              while (*end == ' ')
                end++;
              v += n * (g_str_has_prefix (end, "day") ? 86400000.0 : g_str_has_prefix (end, "hour") ? 3600000.0 :
                        g_str_has_prefix (end, "min") ? 60000.0 : 1000.0);
              q = end;
              while (*q != '\0' && *q != ' ' && *q != ')')
                q++;
              while (*q == ' ')
                q++;
            }
          g_array_append_val (times, v);
          if (times->len == fs->n_statements + 1)
            {
              g_array_set_size (times, fs->n_statements);
              break;
            }
        }
      else if (strstr (line, "ERROR") != NULL)
        g_printerr ("  client: %s\n", line);
    }

  if (times->len != fs->n_statements)
    {
      g_set_error (&fs->error, G_IO_ERROR, G_IO_ERROR_FAILED, "expected %u timings from the client, got %u",
                   fs->n_statements, times->len);
      return;
    }
  for (guint i = 0; i < times->len; i++)
    sum += g_array_index (times, double, i);
  if (keep)
    g_array_append_val (fs->client, sum);
}

/* Closes the session and sets the row's floor: the client's median, or on
 * MariaDB the SHOW PROFILES median when the client's whole ms say too little. */
static void
floor_session_finish (FloorSession *fs,
                      Row          *row)
{
  g_autoptr(GArray) per_run = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean in_profiles = FALSE;
  guint n_runs = fs->client->len;

  if (fs->proc != NULL && fs->error == NULL && fs->b->driver == MW_DB_DRIVER_MYSQL)
    floor_write (fs, "SHOW PROFILES;\n");
  if (fs->proc != NULL)
    {
      g_output_stream_close (fs->in, NULL, NULL);
      /* The rest of the output: SHOW PROFILES, "Bye". */
      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line_utf8 (fs->out, NULL, NULL, NULL);

          if (line == NULL)
            break;
          if (g_str_has_prefix (line, "SHOW PROFILES"))
            in_profiles = TRUE;
          else if (in_profiles && line[0] == '|')
            {
              g_auto(GStrv) cells = g_strsplit (line, "|", 4);

              if (g_strv_length (cells) >= 4 && g_ascii_isdigit (g_strstrip (cells[1])[0]) &&
                  !g_str_has_prefix (g_strstrip (cells[3]), "SET ") && strstr (cells[3], MARK) == NULL)
                {
                  double v = g_ascii_strtod (g_strstrip (cells[2]), NULL) * 1000.0;
                  g_array_append_val (fs->profile, v);
                }
            }
        }
      g_subprocess_wait (fs->proc, NULL, NULL);
    }

  if (fs->error != NULL)
    g_printerr ("  floor for “%s” not measured: %s\n", row->label, fs->error->message);
  else if (n_runs > 0)
    {
      row->floor_ms = median (fs->client);
      /* The profile holds the warm-up too: runs + 1 groups of statements. */
      if (fs->b->driver == MW_DB_DRIVER_MYSQL && row->floor_ms < CLIENT_RESOLUTION_LIMIT_MS &&
          fs->profile->len == (n_runs + 1) * fs->n_statements)
        {
          for (guint run = 1; run <= n_runs; run++)
            {
              double sum = 0;

              for (guint i = 0; i < fs->n_statements; i++)
                sum += g_array_index (fs->profile, double, run * fs->n_statements + i);
              g_array_append_val (per_run, sum);
            }
          row->floor_ms = median (per_run);
          row->floor_profile = TRUE;
        }
    }

  g_clear_object (&fs->out);
  g_clear_object (&fs->proc);
  g_array_unref (fs->client);
  g_array_unref (fs->profile);
  g_clear_error (&fs->error);
}

/* Core measurements */



/* One call; returns the rows it got (or the count), -1 on error. */
static gint64
core_call_run (Bench          *b,
               const CoreCall *call,
               MwDbResult    **result_out,
               GError        **error)
{
  g_autoptr(MwDbResult) result = NULL;
  gint64 n;

  switch (call->kind)
    {
    case CORE_COUNT:
      return mw_list_query_count (call->query, b->db, NULL, error);
    case CORE_OFFSET:
      result = mw_list_query_fetch_offset (call->query, b->db, call->offset, call->limit, call->reverse, NULL, error);
      break;
    case CORE_AFTER:
      result = mw_list_query_fetch_after (call->query, b->db, &call->sort_value, &call->key_value,
                                          call->inclusive, call->reverse, call->limit, NULL, error);
      break;
    case CORE_ANCHORS:
      result = mw_list_query_fetch_anchors (call->query, b->db, call->limit, NULL, error);
      break;
    case CORE_FIND:
      return b->find (b, call->text, error);
    default:
      g_assert_not_reached ();
    }
  if (result == NULL)
    return -1;
  n = mw_db_result_get_n_rows (result);
  if (result_out != NULL)
    *result_out = g_steal_pointer (&result);
  return n;
}

/* Warm-up, a check of the SQL sent, then the timed runs, each core run
 * followed by the same SQL through the client. */
Row *
measure (Bench           *b,
         const char      *label,
         const CoreCall  *call,
         const Statement *statements,
         guint            n_statements,
         MwDbResult     **result_out)
{
  Row *row = add_row (b, label);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  FloorSession fs;
  gint64 n;

  g_printerr ("  %s ...\n", label);
  n = core_call_run (b, call, result_out, &error);
  if (n < 0)
    {
      g_printerr ("  %s failed: %s\n", label, error->message);
      row->note = g_strdup_printf ("failed: %s", error->message);
      return row;
    }
  if (n_statements > 0)
    check_sent (b, label, &statements[n_statements - 1]);

  floor_session_start (&fs, b, statements, n_statements);
  floor_session_run (&fs, FALSE);
  for (int run = 0; run < opt_runs; run++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (core_call_run (b, call, NULL, &error) < 0)
        {
          g_printerr ("  %s failed: %s\n", label, error->message);
          break;
        }
      ms = ms_since (start);
      g_array_append_val (times, ms);
      floor_session_run (&fs, TRUE);
    }
  floor_session_finish (&fs, row);
  row->core_ms = median (times);
  row->note = g_strdup_printf (call->kind == CORE_COUNT ? "= %" G_GINT64_FORMAT : "%" G_GINT64_FORMAT " rows", n);
  return row;
}

/* The main loop, watched: the longest stretch spent outside poll() is the
 * longest stall a window would have seen (without any drawing). */

GPollFunc default_poll;
static gint64 busy_since;
gint64 longest_stall;

gint
watching_poll (GPollFD *fds,
               guint    n_fds,
               gint     timeout)
{
  gint64 now = g_get_monotonic_time ();
  gint r;

  if (busy_since != 0)
    longest_stall = MAX (longest_stall, now - busy_since);
  r = default_poll (fds, n_fds, timeout);
  busy_since = g_get_monotonic_time ();
  return r;
}

void
watch_start (void)
{
  busy_since = g_get_monotonic_time ();
}

void
watch_stop (void)
{
  if (busy_since != 0)
    longest_stall = MAX (longest_stall, g_get_monotonic_time () - busy_since);
  busy_since = 0;
}

/* Wakes the loop now and then, so that a stuck model is noticed. */
static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}


gboolean
model_loading (gpointer data)
{
  return mw_paged_model_get_loading (data);
}

gboolean
model_without_anchors (gpointer data)
{
  return !mw_paged_model_has_anchors (data);
}

gboolean
count_is_lower_bound (gpointer data)
{
  return mw_paged_model_get_count_is_lower_bound (data);
}

gboolean
record_not_loaded (gpointer data)
{
  return !mw_record_get_loaded (data);
}

/* Iterates while pred holds and the model still has work in flight; FALSE
 * when it stopped short (an error, a job that gave up) or after a long wait. */
gboolean
iterate_while (MwPagedModel *model,
               Predicate     pred,
               gpointer      data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;
  guint wake_up = g_timeout_add (1000, wake_up_cb, NULL);

  while (pred (data) && mw_paged_model_is_busy (model) && mw_paged_model_get_error (model) == NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_up);
  return !pred (data);
}

static Row *
find_row (Bench      *b,
          const char *label)
{
  for (guint i = 0; i < b->rows->len; i++)
    {
      Row *row = g_ptr_array_index (b->rows, i);
      g_autofree char *full = g_strconcat (b->prefix != NULL ? b->prefix : "", label, NULL);

      if (strcmp (row->label, full) == 0)
        return row;
    }
  return NULL;
}

/* The floor of a model step: the sum of the floors of the statements it runs. */
void
floor_from (Row   *row,
            Bench *b,
            ...)
{
  va_list args;
  const char *label;
  double sum = 0;
  guint n = 0;
  gboolean profile = FALSE;

  va_start (args, b);
  while ((label = va_arg (args, const char *)) != NULL)
    {
      Row *part = find_row (b, label);

      if (part == NULL || part->floor_ms < 0)
        {
          va_end (args);
          return;
        }
      sum += part->floor_ms;
      profile |= part->floor_profile;
      n++;
    }
  va_end (args);
  row->floor_ms = sum;
  row->floor_sum = n > 1;
  row->floor_profile = profile;
}

typedef struct
{
  GArray *first_rows;
  GArray *before_anchors;
  GArray *anchors_ready;
  GArray *after_anchors;
  GArray *counted;
  guint   no_anchors;       /* runs where the model never asked for anchors */
  guint   offset_fetches_before;
  guint   offset_fetches_after;
  gint64  n_items;
} ModelTimes;

static gboolean
model_run_once (Bench        *b,
                MwListQuery  *query,
                ModelTimes   *mt,
                gboolean      keep,
                GError      **error)
{
  g_autoptr(MwDbPool) pool = NULL;
  g_autoptr(MwPagedModel) model = NULL;
  g_autoptr(MwRecord) near_end = NULL;
  g_autoptr(MwRecord) near_end2 = NULL;
  gint64 start, t;
  guint n, pos, pos2, page = (guint) opt_page_size;
  guint offsets;
  double ms;
  const char *phase = "first rows";

  start = g_get_monotonic_time ();
  pool = mw_db_pool_new (b->settings, (guint) opt_workers);
  model = mw_paged_model_new (pool, page);

  watch_start ();
  mw_paged_model_set_query (model, query);
  if (!iterate_while (model, model_loading, model))
    goto failed;
  ms = ms_since (start);
  if (keep)
    g_array_append_val (mt->first_rows, ms);

  /* A list without an estimate shows its first page as "at least" and
   * counts afterwards (a search, the alias lists). */
  if (b->model_counts)
    {
      phase = "the count";
      if (!iterate_while (model, count_is_lower_bound, model))
        goto failed;
      ms = ms_since (start);
      if (keep)
        g_array_append_val (mt->counted, ms);
    }

  /* Straight to 99%, before the anchors are there: the model's fallback. */
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  mt->n_items = n;
  pos = (guint) (n * 0.99);
  offsets = mw_paged_model_get_n_offset_fetches (model);
  t = g_get_monotonic_time ();
  near_end = g_list_model_get_item (G_LIST_MODEL (model), pos);
  phase = "item at 99% before the anchors";
  if (!iterate_while (model, record_not_loaded, near_end))
    goto failed;
  ms = ms_since (t);
  if (keep)
    {
      g_array_append_val (mt->before_anchors, ms);
      mt->offset_fetches_before += mw_paged_model_get_n_offset_fetches (model) - offsets;
    }

  phase = "anchors";
  if (!iterate_while (model, model_without_anchors, model))
    {
      if (!b->model_counts || mw_paged_model_is_busy (model) || mw_paged_model_get_error (model) != NULL)
        goto failed;
      /* Done, and no anchors asked for: every jump stays an OFFSET. */
      watch_stop ();
      if (keep)
        mt->no_anchors++;
      g_clear_object (&near_end);
      g_clear_object (&model);
      mw_db_pool_shutdown (pool);
      return TRUE;
    }
  ms = ms_since (start);
  if (keep)
    g_array_append_val (mt->anchors_ready, ms);

  /* Another page near 99%, now that the anchors are known. */
  pos2 = pos + page < n ? pos + page : (pos >= page ? pos - page : pos);
  offsets = mw_paged_model_get_n_offset_fetches (model);
  t = g_get_monotonic_time ();
  near_end2 = g_list_model_get_item (G_LIST_MODEL (model), pos2);
  phase = "item at ~99% after the anchors";
  if (!iterate_while (model, record_not_loaded, near_end2))
    goto failed;
  ms = ms_since (t);
  watch_stop ();
  if (keep)
    {
      g_array_append_val (mt->after_anchors, ms);
      mt->offset_fetches_after += mw_paged_model_get_n_offset_fetches (model) - offsets;
    }

  g_clear_object (&near_end);
  g_clear_object (&near_end2);
  g_clear_object (&model);
  mw_db_pool_shutdown (pool);
  return TRUE;

failed:
  watch_stop ();
  if (mw_paged_model_get_error (model) != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", mw_paged_model_get_error (model)->message);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "the model stopped waiting for %s (busy %d, anchors %d, %u fetches, %u pages cached%s)",
                 phase, mw_paged_model_is_busy (model),
                 mw_paged_model_has_anchors (model), mw_paged_model_get_n_fetches (model),
                 mw_paged_model_get_n_cached_pages (model),
                 mw_paged_model_is_busy (model) ? ", timed out" : "");
  return FALSE;
}

void
measure_model (Bench       *b,
               MwListQuery *query)
{
  ModelTimes mt = { 0 };
  g_autoptr(GError) error = NULL;
  Row *row;

  g_printerr ("  MwPagedModel ...\n");
  mt.first_rows = g_array_new (FALSE, FALSE, sizeof (double));
  mt.before_anchors = g_array_new (FALSE, FALSE, sizeof (double));
  mt.anchors_ready = g_array_new (FALSE, FALSE, sizeof (double));
  mt.after_anchors = g_array_new (FALSE, FALSE, sizeof (double));
  mt.counted = g_array_new (FALSE, FALSE, sizeof (double));

  default_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, watching_poll);

  for (int run = 0; run <= opt_runs && error == NULL; run++)
    {
      /* The warm-up's stalls include first-use costs (type registration, threads). */
      if (run == 1)
        longest_stall = 0;
      model_run_once (b, query, &mt, run > 0, &error);
    }
  g_main_context_set_poll_func (NULL, default_poll);

  if (error != NULL)
    {
      row = add_row (b, "model: failed");
      row->note = g_strdup (error->message);
    }
  else
    {
      row = add_row (b, "model: set_query -> first rows (connect)");
      row->core_ms = median (mt.first_rows);
      floor_from (row, b, "count", "first page (OFFSET 0)", NULL);
      row->note = g_strdup_printf ("%" G_GINT64_FORMAT " items; floor: count + first page", mt.n_items);

      if (b->model_counts)
        {
          row = add_row (b, "model: set_query -> exact count");
          row->core_ms = median (mt.counted);
          floor_from (row, b, "count", "first page (OFFSET 0)", NULL);
          row->note = g_strdup ("floor: count + first page");
        }

      row = add_row (b, "model: item at 99%, no anchors yet");
      row->core_ms = median (mt.before_anchors);
      floor_from (row, b, "page at 99%, OFFSET from the end", NULL);
      row->note = g_strdup_printf ("%u OFFSET fetches in %d runs", mt.offset_fetches_before, opt_runs);

      row = add_row (b, "model: set_query -> anchors ready");
      row->core_ms = median (mt.anchors_ready);
      floor_from (row, b, "count", "first page (OFFSET 0)", ANCHORS_LABEL, NULL);
      row->note = mt.no_anchors > 0
        ? g_strdup_printf ("the model asked for no anchors in %u of %d runs (count was a lower bound)",
                           mt.no_anchors, opt_runs)
        : g_strdup ("floor: count + first page + anchors");

      row = add_row (b, "model: item at ~99%, anchors ready");
      row->core_ms = median (mt.after_anchors);
      floor_from (row, b, "page at 99%, keyset from anchor", NULL);
      row->note = g_strdup_printf ("%u OFFSET fetches in %d runs", mt.offset_fetches_after, opt_runs);

      row = add_row (b, "model: longest main-loop stall");
      row->core_ms = longest_stall / 1000.0;
      row->note = g_strdup ("no drawing; target <= 20 ms");
    }

  g_array_unref (mt.first_rows);
  g_array_unref (mt.before_anchors);
  g_array_unref (mt.anchors_ready);
  g_array_unref (mt.after_anchors);
  g_array_unref (mt.counted);
}

void
print_rows (Bench *b,
            int    width)
{
  g_autofree char *rule = g_strnfill (width, '-');
  gboolean any_profile = FALSE, any_sum = FALSE;

  g_print ("%-*s %10s %10s %7s  %s\n", width, "measurement", "core ms", "floor ms", "ratio", "");
  g_print ("%-*s %10s %10s %7s\n", width, rule, "----------",
           "----------", "-------");
  for (guint i = 0; i < b->rows->len; i++)
    {
      Row *row = g_ptr_array_index (b->rows, i);
      g_autofree char *core = row->core_ms >= 0 ? g_strdup_printf ("%.2f", row->core_ms) : g_strdup ("-");
      g_autofree char *floor_ms = NULL;
      g_autofree char *ratio = NULL;

      any_sum |= row->floor_sum;
      any_profile |= row->floor_profile;
      floor_ms = row->floor_ms >= 0 ? g_strdup_printf ("%.2f%s%s", row->floor_ms, row->floor_sum ? "+" : "",
                                                       row->floor_profile ? "*" : "")
                                    : g_strdup ("-");
      ratio = row->core_ms >= 0 && row->floor_ms > 0 ? g_strdup_printf ("%.2f", row->core_ms / row->floor_ms)
                                                      : g_strdup ("-");
      g_print ("%-*s %10s %10s %7s  %s\n", width, row->label, core, floor_ms, ratio, row->note != NULL ? row->note : "");
    }
  if (any_sum)
    g_print ("+ sum of the floors named in the note\n");
  if (any_profile)
    g_print ("* server-side time from SHOW PROFILES (the mariadb client prints whole ms only)\n");
}

/* Parses the options and the URI, connects b->db and, on PostgreSQL, the
 * probe that reads what b->db last ran. Returns 0, or the exit status after
 * printing why. */
int
bench_connect (Bench              *b,
               const char         *summary,
               const GOptionEntry *entries,
               int                 argc,
               char               *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  context = g_option_context_new (summary);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "URI: postgresql://postgres@/db?host=/socket/dir or mysql://root@/db?socket=/path\n"
    "Medians in ms of --runs runs after one warm-up; floors are the same SQL through\n"
    "psql -X with \\timing, or the mariadb client.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (argc != 2 || opt_runs < 1 || opt_page_size < 1 || opt_workers < 1)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return 1;
    }

  b->settings = mw_db_settings_parse_uri (argv[1], &error);
  if (b->settings == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  b->driver = b->settings->driver;
  b->rows = g_ptr_array_new_with_free_func (row_free);
  b->db = mw_db_connect (b->settings, NULL, &error);
  if (b->db == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (b->driver == MW_DB_DRIVER_PGSQL)
    {
      g_autoptr(MwDbResult) pid = mw_db_exec (b->db, "SELECT pg_backend_pid()", NULL, 0, NULL, NULL);

      b->probe = mw_db_connect (b->settings, NULL, NULL);
      if (pid != NULL)
        b->backend_pid = mw_db_result_get_int64 (pid, 0, 0);
      else
        g_clear_pointer (&b->probe, mw_db_close);
    }
  return 0;
}

/* Before the run: the report's title (server, database, start time), and
 * on stderr which database the program measures. */
void
bench_begin (Bench      *b,
             const char *program)
{
  g_autofree char *version = mw_db_get_server_version (b->db);
  g_autofree char *display = mw_db_settings_to_display_uri (b->settings);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M %Z");

  b->title = g_strdup_printf ("== %s: %s, %s ==", version, display, when);
  g_printerr ("%s: %s\n", program, display);
}

/* After the run and the program's own summary line: the table, the check
 * of the floor SQL and the program's peak memory. */
void
bench_report (Bench      *b,
              const char *program,
              int         width)
{
  struct rusage usage;

  print_rows (b, width);
  if (b->n_mismatches > 0)
    g_print ("WARNING: %u floor statements differ from the core's (see stderr)\n", b->n_mismatches);
  else if (b->probe != NULL)
    g_print ("floor SQL checked against pg_stat_activity of the core's connection: identical\n");
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    g_print ("peak RSS of %s itself: %ld MB\n", program, usage.ru_maxrss / 1024);
}

void
bench_close (Bench *b)
{
  g_clear_object (&b->schema);
  g_clear_pointer (&b->prefix, g_free);
  g_clear_pointer (&b->title, g_free);
  g_clear_pointer (&b->probe, mw_db_close);
  g_clear_pointer (&b->db, mw_db_close);
  g_clear_pointer (&b->rows, g_ptr_array_unref);
  g_clear_pointer (&b->settings, mw_db_settings_free);
}
