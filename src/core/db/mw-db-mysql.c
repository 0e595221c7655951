/* mw-db-mysql.c: the MySQL/MariaDB driver (MariaDB Connector/C, prepared statements).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-db-mysql"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <mysql.h>
#include <errmsg.h>
#include <string.h>

#include "mw-db-private.h"

typedef struct
{
  unsigned long thread_id;
  GThread      *kill;      /* sending KILL QUERY for the statement running now, or NULL */
} MyExtra;

static const char *
where_of (const MwDbSettings *s)
{
  if (s->host != NULL && s->host[0] != '\0')
    return s->host;
  if (s->socket != NULL && s->socket[0] != '\0')
    return s->socket;
  return "localhost";
}

static void
set_error_from_errno (MYSQL        *m,
                      unsigned int  err,
                      const char   *text,
                      const MwDbSettings *s,
                      GError      **error)
{
  const char *user = s->user != NULL ? s->user : g_get_user_name ();

  switch (err)
    {
    case 1045: /* ER_ACCESS_DENIED_ERROR */
    case 1698: /* ER_ACCESS_DENIED_NO_PASSWORD_ERROR */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_AUTH_FAILED,
                   _("The server rejected the user name or password for “%s”."), user);
      break;
    case 1049: /* ER_BAD_DB_ERROR */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_NO_SUCH_DATABASE,
                   _("The server has no database called “%s”."), s->database);
      break;
    case 1044: /* ER_DBACCESS_DENIED_ERROR */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED,
                   _("The server does not let “%s” use the database “%s”."), user, s->database);
      break;
    case 1142: /* ER_TABLEACCESS_DENIED_ERROR */
    case 1143: /* ER_COLUMNACCESS_DENIED_ERROR */
      {
        /* "SELECT command denied to user 'x'@'localhost' for table `db`.`dbmail_users`" */
        const char *t = text != NULL ? strstr (text, "for table ") : NULL;
        g_autofree char *name = NULL;

        if (t != NULL)
          {
            const char *last = strrchr (t, '.');
            name = g_strdup (last != NULL ? last + 1 : t + strlen ("for table "));
            g_strdelimit (name, "`'", ' ');
            g_strstrip (name);
          }
        if (name != NULL)
          g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED,
                       _("The database user may not read or change the table “%s”. Ask the database administrator for the rights."),
                       name);
        else
          g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED,
                       _("The database user lacks a permission: %s"), text);
      }
      break;
    case 1146: /* ER_NO_SUCH_TABLE */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_NO_SUCH_TABLE, _("A table is missing: %s"), text);
      break;
    case 1062: /* ER_DUP_ENTRY */
    case 1451: /* ER_ROW_IS_REFERENCED_2 */
    case 1452: /* ER_NO_REFERENCED_ROW_2 */
    case 1048: /* ER_BAD_NULL_ERROR */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CONSTRAINT,
                   _("The database refused the change because it conflicts with existing data: %s"), text);
      break;
    case 1406: /* ER_DATA_TOO_LONG */
    case 1366: /* ER_TRUNCATED_WRONG_VALUE_FOR_FIELD */
    case 1264: /* ER_WARN_DATA_OUT_OF_RANGE */
    case 1292: /* ER_TRUNCATED_WRONG_VALUE */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_BAD_VALUE, _("The database refused a value: %s"), text);
      break;
    case 1317: /* ER_QUERY_INTERRUPTED */
    case 3024: /* ER_QUERY_TIMEOUT */
    case 1969: /* ER_STATEMENT_TIMEOUT */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED, _("The query was cancelled."));
      break;
    case CR_CONNECTION_ERROR:     /* 2002, local socket */
    case CR_CONN_HOST_ERROR:      /* 2003 */
    case CR_UNKNOWN_HOST:         /* 2005 */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_UNREACHABLE,
                   _("No MySQL or MariaDB server answers at “%s”. Check the host, port or socket, and that the server is running."),
                   where_of (s));
      break;
    case CR_SSL_CONNECTION_ERROR: /* 2026 */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_TLS,
                   _("A secure (TLS) connection to “%s” could not be made: %s"), where_of (s), text);
      break;
    case CR_SERVER_GONE_ERROR:    /* 2006 */
    case CR_SERVER_LOST:          /* 2013 */
    case CR_SERVER_LOST_EXTENDED: /* 2055 */
    case 1927:                    /* ER_CONNECTION_KILLED */
    case 4031:                    /* ER_CLIENT_INTERACTION_TIMEOUT */
    case 1053:                    /* ER_SERVER_SHUTDOWN */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST,
                   _("The connection to the database server was lost."));
      break;
    default:
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_FAILED, _("The database reported an error: %s"), text);
      break;
    }
}

static MYSQL *
open_connection (const MwDbSettings  *s,
                 gboolean             multi_statements,
                 GError             **error)
{
  MYSQL *m = mysql_init (NULL);
  unsigned int timeout = s->connect_timeout != 0 ? s->connect_timeout : 10;
  unsigned long flags = CLIENT_FOUND_ROWS;
  const char *host = NULL;
  const char *socket = NULL;

  if (m == NULL)
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_FAILED, _("Out of memory."));
      return NULL;
    }

  mysql_options (m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options (m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (s->tls_mode == MW_DB_TLS_REQUIRE || s->tls_mode == MW_DB_TLS_VERIFY_FULL)
    {
      my_bool yes = 1;
      my_bool verify = s->tls_mode == MW_DB_TLS_VERIFY_FULL;

      mysql_options (m, MYSQL_OPT_SSL_ENFORCE, &yes);
      mysql_options (m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
      if (s->tls_ca_file != NULL && s->tls_ca_file[0] != '\0')
        mysql_options (m, MYSQL_OPT_SSL_CA, s->tls_ca_file);
    }
  if (multi_statements)
    flags |= CLIENT_MULTI_STATEMENTS;

  /* "localhost" means the socket to MySQL clients; a socket given with it
   * (mysql://root@localhost/db?socket=/path) must be used, not the default. */
  if (s->host != NULL && s->host[0] != '\0' &&
      !(g_ascii_strcasecmp (s->host, "localhost") == 0 && s->socket != NULL && s->socket[0] != '\0'))
    host = s->host;
  else
    {
      host = "localhost";
      socket = s->socket;
    }

  if (mysql_real_connect (m, host, s->user, s->password != NULL ? s->password : "",
                          s->database, s->port, socket, flags) == NULL)
    {
      set_error_from_errno (m, mysql_errno (m), mysql_error (m), s, error);
      mysql_close (m);
      return NULL;
    }
  return m;
}

static gboolean
my_connect (MwDb          *db,
            GCancellable  *cancellable,
            GError       **error)
{
  MYSQL *m = open_connection (db->settings, TRUE, error);
  MyExtra *extra;

  if (m == NULL)
    return FALSE;

  /* Strict mode, so that over-long text is refused instead of cut, whatever
   * the server's default is; and an interactive session that does not time out
   * while a window sits open. */
  if (mysql_real_query (m, "SET SESSION sql_mode = CONCAT(@@sql_mode, ',STRICT_ALL_TABLES')", (unsigned long) -1) != 0)
    {
      set_error_from_errno (m, mysql_errno (m), mysql_error (m), db->settings, error);
      mysql_close (m);
      return FALSE;
    }

  db->conn = m;
  extra = g_new0 (MyExtra, 1);
  extra->thread_id = mysql_thread_id (m);
  db->extra = extra;
  return TRUE;
}

static void
my_close (MwDb *db)
{
  g_clear_pointer (&db->extra, g_free);
  g_clear_pointer ((MYSQL **) &db->conn, mysql_close);
}

static gboolean
my_is_connected (MwDb *db)
{
  return db->conn != NULL;
}

static char *
my_server_version (MwDb *db)
{
  return g_strdup_printf ("MySQL/MariaDB %s", mysql_get_server_info (db->conn));
}

/* "$2 ... $1 ... $2" -> "? ... ? ... ?" with order [1, 0, 1]. */
static char *
rewrite_placeholders (const char  *sql,
                      GArray      *order)
{
  GString *out = g_string_sized_new (strlen (sql));
  char quote = 0;

  for (const char *p = sql; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          g_string_append_c (out, *p);
          if (*p == '\\' && p[1] != '\0')
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

          p++;
          while (g_ascii_isdigit (*p))
            n = n * 10 + (guint) (*p++ - '0');
          p--;
          g_array_append_val (order, n);
          g_string_append_c (out, '?');
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  gulong  thread_id;
  MwDbSettings *settings;
} KillData;

static gpointer
kill_thread (gpointer data)
{
  KillData *kd = data;
  g_autoptr(GError) error = NULL;
  MYSQL *m = open_connection (kd->settings, FALSE, &error);

  if (m != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("KILL QUERY %lu", kd->thread_id);

      if (mysql_real_query (m, sql, strlen (sql)) != 0)
        g_debug ("KILL QUERY failed: %s", mysql_error (m));
      mysql_close (m);
    }
  else
    g_debug ("cannot open a side connection to stop a query: %s", error->message);

  mw_db_settings_free (kd->settings);
  g_free (kd);
  return NULL;
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 MwDb         *db)
{
  MyExtra *extra = db->extra;
  KillData *kd = g_new0 (KillData, 1);

  /* KILL QUERY needs its own connection; opening one must not stall the
   * thread that cancelled (usually the main loop). */
  kd->thread_id = extra->thread_id;
  kd->settings = mw_db_settings_copy (db->settings);
  extra->kill = g_thread_new ("mw-kill-query", kill_thread, kd);
}

/* After the statement: no KILL QUERY sent for it may still be on its way,
 * or it would stop the next statement on this connection, which no one
 * cancelled (seen as a search that kept the previous list). The handler is
 * gone once disconnect returns, so the thread it started is known. */
static void
end_cancel_handler (MwDb         *db,
                    GCancellable *cancellable,
                    gulong        handler)
{
  MyExtra *extra = db->extra;

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  if (extra->kill != NULL)
    {
      g_thread_join (extra->kill);
      extra->kill = NULL;
    }
}

static MwDbType
type_for_field (MYSQL_FIELD *f)
{
  switch (f->type)
    {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_YEAR:
    case MYSQL_TYPE_NEWDECIMAL:
    case MYSQL_TYPE_DECIMAL:
      return MW_DB_TYPE_INT64;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_DATE:
      return MW_DB_TYPE_TIMESTAMP;
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
    case MYSQL_TYPE_STRING:
    case MYSQL_TYPE_VAR_STRING:
      return f->charsetnr == 63 ? MW_DB_TYPE_BYTES : MW_DB_TYPE_TEXT;
    default:
      return MW_DB_TYPE_TEXT;
    }
}

typedef struct
{
  MYSQL_BIND    *binds;
  unsigned long *lengths;
  my_bool       *nulls;
  my_bool       *errors;
  long long     *ints;
  MYSQL_TIME    *times;
  char         **buffers;
  guint          n;
} ResultBinds;

static void
result_binds_clear (ResultBinds *rb)
{
  for (guint i = 0; i < rb->n; i++)
    g_free (rb->buffers[i]);
  g_free (rb->buffers);
  g_free (rb->binds);
  g_free (rb->lengths);
  g_free (rb->nulls);
  g_free (rb->errors);
  g_free (rb->ints);
  g_free (rb->times);
}

static MwDbResult *
fetch_rows (MwDb        *db,
            MYSQL_STMT  *stmt,
            MYSQL_RES   *meta,
            GError     **error)
{
  guint n_cols = mysql_num_fields (meta);
  MYSQL_FIELD *fields = mysql_fetch_fields (meta);
  g_autoptr(MwDbResult) result = _mw_db_result_new (n_cols);
  ResultBinds rb = { 0 };
  my_bool update_max = 1;
  int rc;

  mysql_stmt_attr_set (stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
  if (mysql_stmt_store_result (stmt) != 0)
    {
      set_error_from_errno (db->conn, mysql_stmt_errno (stmt), mysql_stmt_error (stmt), db->settings, error);
      return NULL;
    }

  rb.n = n_cols;
  rb.binds = g_new0 (MYSQL_BIND, n_cols);
  rb.lengths = g_new0 (unsigned long, n_cols);
  rb.nulls = g_new0 (my_bool, n_cols);
  rb.errors = g_new0 (my_bool, n_cols);
  rb.ints = g_new0 (long long, n_cols);
  rb.times = g_new0 (MYSQL_TIME, n_cols);
  rb.buffers = g_new0 (char *, n_cols);

  for (guint c = 0; c < n_cols; c++)
    {
      MwDbType type = type_for_field (&fields[c]);
      MYSQL_BIND *b = &rb.binds[c];

      _mw_db_result_set_col (result, c, fields[c].name, type);
      b->length = &rb.lengths[c];
      b->is_null = &rb.nulls[c];
      b->error = &rb.errors[c];
      if (type == MW_DB_TYPE_INT64 && fields[c].type != MYSQL_TYPE_NEWDECIMAL &&
          fields[c].type != MYSQL_TYPE_DECIMAL)
        {
          b->buffer_type = MYSQL_TYPE_LONGLONG;
          b->buffer = &rb.ints[c];
        }
      else if (type == MW_DB_TYPE_TIMESTAMP)
        {
          b->buffer_type = MYSQL_TYPE_DATETIME;
          b->buffer = &rb.times[c];
        }
      else
        {
          gsize size = MAX (fields[c].max_length, 1) + 1;

          b->buffer_type = MYSQL_TYPE_BLOB;
          rb.buffers[c] = g_malloc (size);
          b->buffer = rb.buffers[c];
          b->buffer_length = size;
        }
    }

  if (mysql_stmt_bind_result (stmt, rb.binds) != 0)
    {
      set_error_from_errno (db->conn, mysql_stmt_errno (stmt), mysql_stmt_error (stmt), db->settings, error);
      result_binds_clear (&rb);
      return NULL;
    }

  while ((rc = mysql_stmt_fetch (stmt)) == 0 || rc == MYSQL_DATA_TRUNCATED)
    {
      MwDbCell *cells = _mw_db_result_append_row (result);

      for (guint c = 0; c < n_cols; c++)
        {
          MYSQL_BIND *b = &rb.binds[c];

          if (rb.nulls[c])
            continue;
          if (b->buffer_type == MYSQL_TYPE_LONGLONG)
            {
              if (result->col_types[c] == MW_DB_TYPE_INT64 && fields[c].flags & UNSIGNED_FLAG)
                _mw_db_cell_set_int (&cells[c], (gint64) (guint64) rb.ints[c]);
              else
                _mw_db_cell_set_int (&cells[c], rb.ints[c]);
            }
          else if (b->buffer_type == MYSQL_TYPE_DATETIME)
            {
              MYSQL_TIME *t = &rb.times[c];
              char *text = g_strdup_printf ("%04u-%02u-%02u %02u:%02u:%02u",
                                            t->year, t->month, t->day, t->hour, t->minute, t->second);

              _mw_db_cell_take_text (&cells[c], text, strlen (text));
            }
          else
            {
              gsize len = rb.lengths[c];

              if (len >= b->buffer_length)
                {
                  /* Should not happen with max_length, but fetch the whole value anyway. */
                  MYSQL_BIND big = { 0 };
                  char *buf = g_malloc (len + 1);

                  big.buffer_type = MYSQL_TYPE_BLOB;
                  big.buffer = buf;
                  big.buffer_length = len + 1;
                  mysql_stmt_fetch_column (stmt, &big, c, 0);
                  buf[len] = '\0';
                  _mw_db_cell_take_text (&cells[c], buf, len);
                }
              else
                _mw_db_cell_set_text (&cells[c], rb.buffers[c], len);

              if (result->col_types[c] == MW_DB_TYPE_INT64)
                {
                  /* DECIMAL from SUM(): an integer unless it has a fraction. */
                  if (strchr (cells[c].text, '.') != NULL && !g_str_has_suffix (cells[c].text, ".0"))
                    result->col_types[c] = MW_DB_TYPE_TEXT;
                  else
                    cells[c].i = g_ascii_strtoll (cells[c].text, NULL, 10);
                }
            }
        }
    }

  if (rc != MYSQL_NO_DATA)
    {
      set_error_from_errno (db->conn, mysql_stmt_errno (stmt), mysql_stmt_error (stmt), db->settings, error);
      result_binds_clear (&rb);
      return NULL;
    }

  result_binds_clear (&rb);
  result->affected = result->n_rows;
  return g_steal_pointer (&result);
}

static MwDbResult *
my_exec (MwDb             *db,
         const char       *sql,
         const MwDbValue  *params,
         guint             n_params,
         GCancellable     *cancellable,
         GError          **error)
{
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *rewritten = rewrite_placeholders (sql, order);
  g_autofree MYSQL_BIND *binds = NULL;
  g_autofree my_bool *bool_values = NULL;
  MYSQL_STMT *stmt;
  MYSQL_RES *meta;
  MwDbResult *result = NULL;
  gulong handler = 0;

  stmt = mysql_stmt_init (db->conn);
  if (stmt == NULL)
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_FAILED, _("Out of memory."));
      return NULL;
    }

  if (mysql_stmt_prepare (stmt, rewritten, strlen (rewritten)) != 0)
    {
      set_error_from_errno (db->conn, mysql_stmt_errno (stmt), mysql_stmt_error (stmt), db->settings, error);
      mysql_stmt_close (stmt);
      return NULL;
    }

  binds = g_new0 (MYSQL_BIND, order->len + 1);
  for (guint i = 0; i < order->len; i++)
    {
      guint n = g_array_index (order, guint, i);
      const MwDbValue *v;
      MYSQL_BIND *b = &binds[i];

      if (n < 1 || n > n_params)
        {
          g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_FAILED,
                       "internal error: placeholder $%u has no value", n);
          mysql_stmt_close (stmt);
          return NULL;
        }
      v = &params[n - 1];
      switch (v->type)
        {
        case MW_DB_TYPE_NULL:
          b->buffer_type = MYSQL_TYPE_NULL;
          break;
        case MW_DB_TYPE_TEXT:
        case MW_DB_TYPE_TIMESTAMP:
          if (v->v.s == NULL)
            b->buffer_type = MYSQL_TYPE_NULL;
          else
            {
              b->buffer_type = MYSQL_TYPE_STRING;
              b->buffer = (void *) v->v.s;
              b->buffer_length = strlen (v->v.s);
            }
          break;
        case MW_DB_TYPE_INT64:
        case MW_DB_TYPE_BOOL:
          b->buffer_type = MYSQL_TYPE_LONGLONG;
          b->buffer = (void *) &v->v.i;
          if (v->type == MW_DB_TYPE_BOOL)
            {
              /* v.b is a gboolean in the union; bind a 64-bit copy. */
              static const gint64 one = 1, zero = 0;
              b->buffer = (void *) (v->v.b ? &one : &zero);
            }
          break;
        case MW_DB_TYPE_BYTES:
          b->buffer_type = MYSQL_TYPE_BLOB;
          b->buffer = (void *) (v->v.s != NULL ? v->v.s : "");
          b->buffer_length = v->len;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (order->len > 0 && mysql_stmt_bind_param (stmt, binds) != 0)
    {
      set_error_from_errno (db->conn, mysql_stmt_errno (stmt), mysql_stmt_error (stmt), db->settings, error);
      mysql_stmt_close (stmt);
      return NULL;
    }

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb), db, NULL);

  if (mysql_stmt_execute (stmt) != 0)
    {
      unsigned int err = mysql_stmt_errno (stmt);

      end_cancel_handler (db, cancellable, handler);
      set_error_from_errno (db->conn, err, mysql_stmt_error (stmt), db->settings, error);
      mysql_stmt_close (stmt);
      return NULL;
    }

  meta = mysql_stmt_result_metadata (stmt);
  if (meta != NULL)
    {
      result = fetch_rows (db, stmt, meta, error);
      mysql_free_result (meta);
    }
  else
    {
      result = _mw_db_result_new (0);
      result->affected = (gint64) mysql_stmt_affected_rows (stmt);
      result->insert_id = (gint64) mysql_stmt_insert_id (stmt);
    }

  end_cancel_handler (db, cancellable, handler);
  mysql_stmt_close (stmt);
  return result;
}

static gboolean
my_exec_script (MwDb        *db,
                const char  *sql,
                GError     **error)
{
  MYSQL *m = db->conn;
  int status;

  if (mysql_real_query (m, sql, strlen (sql)) != 0)
    {
      set_error_from_errno (m, mysql_errno (m), mysql_error (m), db->settings, error);
      return FALSE;
    }
  do
    {
      MYSQL_RES *res = mysql_store_result (m);

      if (res != NULL)
        mysql_free_result (res);
      else if (mysql_field_count (m) != 0)
        {
          set_error_from_errno (m, mysql_errno (m), mysql_error (m), db->settings, error);
          return FALSE;
        }
      status = mysql_next_result (m);
      if (status > 0)
        {
          set_error_from_errno (m, mysql_errno (m), mysql_error (m), db->settings, error);
          return FALSE;
        }
    }
  while (status == 0);
  return TRUE;
}

static gboolean
my_exec_simple (MwDb        *db,
                const char  *sql,
                GError     **error)
{
  return my_exec_script (db, sql, error);
}

const MwDbDriverClass _mw_db_mysql_class = {
  .connect = my_connect,
  .close = my_close,
  .exec = my_exec,
  .exec_script = my_exec_script,
  .exec_simple = my_exec_simple,
  .is_connected = my_is_connected,
  .server_version = my_server_version,
};
