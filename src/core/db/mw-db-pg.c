/* mw-db-pg.c: the PostgreSQL driver (libpq).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-db-pg"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>
#include <string.h>

#include "mw-db-private.h"

/* Type OIDs from pg_type.h (stable across versions). */
#define BOOLOID        16
#define BYTEAOID       17
#define INT8OID        20
#define INT2OID        21
#define INT4OID        23
#define OIDOID         26
#define NUMERICOID     1700
#define DATEOID        1082
#define TIMESTAMPOID   1114
#define TIMESTAMPTZOID 1184

typedef struct
{
  PGcancel *cancel;
} PgExtra;

static gboolean
message_has (const char *message,
             const char *needle)
{
  return message != NULL && strstr (message, needle) != NULL;
}

/* libpq has no SQLSTATE for failures while connecting, so the message text is
 * all there is. These are libpq's and the server's English texts; anything
 * else ends up in the generic sentence with the server's own words. */
static void
set_connect_error (const MwDbSettings  *settings,
                   const char          *message,
                   GError             **error)
{
  const char *where = settings->socket != NULL && (settings->host == NULL || settings->host[0] == '\0')
                      ? settings->socket : (settings->host != NULL ? settings->host : "localhost");
  g_autofree char *msg = g_strstrip (g_strdup (message != NULL ? message : ""));

  /* libpq's text runs over several lines ("server closed the connection
   * unexpectedly\n\tThis probably means ..."); the first says what happened. */
  msg[strcspn (msg, "\n")] = '\0';
  if (message_has (message, "password authentication failed") ||
      message_has (message, "no password supplied") ||
      message_has (message, "fe_sendauth") ||
      (message_has (message, "role \"") && message_has (message, "does not exist")) ||
      message_has (message, "authentication failed"))
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_AUTH_FAILED,
                 _("The server rejected the user name or password for “%s”."),
                 settings->user != NULL ? settings->user : g_get_user_name ());
  else if (message_has (message, "database \"") && message_has (message, "does not exist"))
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_NO_SUCH_DATABASE,
                 _("The server has no database called “%s”."), settings->database);
  else if (message_has (message, "permission denied for database") ||
           message_has (message, "not permitted to log in") ||
           message_has (message, "no pg_hba.conf entry"))
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED,
                 _("The server does not let “%s” use the database “%s”."),
                 settings->user != NULL ? settings->user : g_get_user_name (), settings->database);
  else if (message_has (message, "SSL") || message_has (message, "certificate") ||
           message_has (message, "TLS"))
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_TLS,
                 _("A secure (TLS) connection to “%s” could not be made: %s"), where, msg);
  else if (message_has (message, "Connection refused") ||
           message_has (message, "No such file or directory") ||
           message_has (message, "could not translate host name") ||
           message_has (message, "timeout expired") ||
           message_has (message, "Network is unreachable") ||
           message_has (message, "No route to host") ||
           message_has (message, "could not connect") ||
           message_has (message, "Connection timed out"))
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_UNREACHABLE,
                 _("No PostgreSQL server answers at “%s”. Check the host, port or socket, and that the server is running."),
                 where);
  else
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_FAILED,
                 _("Could not connect to the PostgreSQL server at “%s”: %s"), where, msg);
}

static gboolean
pg_connect (MwDb          *db,
            GCancellable  *cancellable,
            GError       **error)
{
  const MwDbSettings *s = db->settings;
  const char *keys[16];
  const char *values[16];
  g_autofree char *port = NULL;
  g_autofree char *timeout = NULL;
  guint n = 0;
  PGconn *conn;
  PgExtra *extra;

  if (s->socket != NULL && s->socket[0] != '\0')
    {
      keys[n] = "host"; values[n++] = s->socket;
    }
  else if (s->host != NULL && s->host[0] != '\0')
    {
      keys[n] = "host"; values[n++] = s->host;
    }
  if (s->port != 0)
    {
      port = g_strdup_printf ("%u", s->port);
      keys[n] = "port"; values[n++] = port;
    }
  keys[n] = "dbname"; values[n++] = s->database;
  if (s->user != NULL)
    {
      keys[n] = "user"; values[n++] = s->user;
    }
  /* An empty password must still be sent, or libpq would look in ~/.pgpass. */
  keys[n] = "password"; values[n++] = s->password != NULL ? s->password : "";
  timeout = g_strdup_printf ("%u", s->connect_timeout != 0 ? s->connect_timeout : 10);
  keys[n] = "connect_timeout"; values[n++] = timeout;
  keys[n] = "sslmode";
  switch (s->tls_mode)
    {
    case MW_DB_TLS_DISABLE: values[n++] = "disable"; break;
    case MW_DB_TLS_PREFER: values[n++] = "prefer"; break;
    case MW_DB_TLS_REQUIRE: values[n++] = "require"; break;
    case MW_DB_TLS_VERIFY_FULL: values[n++] = "verify-full"; break;
    default: g_assert_not_reached ();
    }
  if (s->tls_ca_file != NULL && s->tls_ca_file[0] != '\0')
    {
      keys[n] = "sslrootcert"; values[n++] = s->tls_ca_file;
    }
  keys[n] = "application_name"; values[n++] = "mailwarden";
  keys[n] = "client_encoding"; values[n++] = "UTF8";
  keys[n] = "options"; values[n++] = "-c datestyle=ISO -c bytea_output=hex -c client_min_messages=warning -c jit=off";
  keys[n] = NULL; values[n] = NULL;
  g_assert (n < G_N_ELEMENTS (keys));

  conn = PQconnectdbParams (keys, values, 0);
  if (conn == NULL)
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_FAILED, _("Out of memory."));
      return FALSE;
    }
  if (PQstatus (conn) != CONNECTION_OK)
    {
      set_connect_error (s, PQerrorMessage (conn), error);
      PQfinish (conn);
      return FALSE;
    }

  db->conn = conn;
  extra = g_new0 (PgExtra, 1);
  extra->cancel = PQgetCancel (conn);
  db->extra = extra;
  return TRUE;
}

static void
pg_close (MwDb *db)
{
  PgExtra *extra = db->extra;

  if (extra != NULL)
    {
      g_clear_pointer (&extra->cancel, PQfreeCancel);
      g_free (extra);
      db->extra = NULL;
    }
  g_clear_pointer ((PGconn **) &db->conn, PQfinish);
}

static gboolean
pg_is_connected (MwDb *db)
{
  return PQstatus (db->conn) == CONNECTION_OK;
}

static char *
pg_server_version (MwDb *db)
{
  int v = PQserverVersion (db->conn);

  return g_strdup_printf ("PostgreSQL %d.%d", v / 10000, v % 10000);
}

static void
set_result_error (MwDb       *db,
                  PGresult   *res,
                  GError    **error)
{
  const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = res != NULL ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  const char *table = res != NULL ? PQresultErrorField (res, PG_DIAG_TABLE_NAME) : NULL;
  g_autofree char *msg = g_strstrip (g_strdup (primary != NULL ? primary : PQerrorMessage (db->conn)));

  if (PQstatus (db->conn) != CONNECTION_OK || (state != NULL && g_str_has_prefix (state, "08")) ||
      g_strcmp0 (state, "57P01") == 0 || g_strcmp0 (state, "57P02") == 0 || g_strcmp0 (state, "57P03") == 0)
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST,
                 _("The connection to the database server was lost."));
  else if (g_strcmp0 (state, "57014") == 0)
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED, _("The query was cancelled."));
  else if (g_strcmp0 (state, "42501") == 0)
    {
      /* "permission denied for table dbmail_users" */
      const char *t = table;
      g_autofree char *from_msg = NULL;

      if (t == NULL && msg != NULL && (t = strstr (msg, "table ")) != NULL)
        t = from_msg = g_strdup (t + strlen ("table "));
      if (t != NULL)
        g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED,
                     _("The database user may not read or change the table “%s”. Ask the database administrator for the rights."),
                     t);
      else
        g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED,
                     _("The database user lacks a permission: %s"), msg);
    }
  else if (g_strcmp0 (state, "42P01") == 0)
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_NO_SUCH_TABLE, _("A table is missing: %s"), msg);
  else if (state != NULL && g_str_has_prefix (state, "23"))
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CONSTRAINT,
                 _("The database refused the change because it conflicts with existing data: %s"), msg);
  else if (state != NULL && g_str_has_prefix (state, "22"))
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_BAD_VALUE,
                 _("The database refused a value: %s"), msg);
  else
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_FAILED, _("The database reported an error: %s"), msg);
}

static MwDbType
type_for_oid (Oid oid)
{
  switch (oid)
    {
    case INT8OID:
    case INT4OID:
    case INT2OID:
    case OIDOID:
      return MW_DB_TYPE_INT64;
    case NUMERICOID:
      return MW_DB_TYPE_INT64;
    case BOOLOID:
      return MW_DB_TYPE_BOOL;
    case TIMESTAMPOID:
    case TIMESTAMPTZOID:
    case DATEOID:
      return MW_DB_TYPE_TIMESTAMP;
    case BYTEAOID:
      return MW_DB_TYPE_BYTES;
    default:
      return MW_DB_TYPE_TEXT;
    }
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  PGcancel *cancel = user_data;
  char buf[256];

  /* PQcancel is safe to call from any thread. */
  PQcancel (cancel, buf, sizeof buf);
}

static MwDbResult *
convert_result (PGresult *res)
{
  int n_cols = PQnfields (res);
  int n_rows = PQntuples (res);
  MwDbResult *result = _mw_db_result_new (n_cols);
  const char *tuples;

  for (int c = 0; c < n_cols; c++)
    _mw_db_result_set_col (result, c, PQfname (res, c), type_for_oid (PQftype (res, c)));

  for (int r = 0; r < n_rows; r++)
    {
      MwDbCell *cells = _mw_db_result_append_row (result);

      for (int c = 0; c < n_cols; c++)
        {
          const char *value;

          if (PQgetisnull (res, r, c))
            continue;
          value = PQgetvalue (res, r, c);
          switch (result->col_types[c])
            {
            case MW_DB_TYPE_INT64:
              if (PQftype (res, c) == NUMERICOID && strchr (value, '.') != NULL)
                {
                  result->col_types[c] = MW_DB_TYPE_TEXT;
                  _mw_db_cell_set_text (&cells[c], value, PQgetlength (res, r, c));
                }
              else
                _mw_db_cell_set_int (&cells[c], g_ascii_strtoll (value, NULL, 10));
              break;
            case MW_DB_TYPE_BOOL:
              cells[c].i = value[0] == 't';
              _mw_db_cell_set_text (&cells[c], value[0] == 't' ? "1" : "0", 1);
              break;
            case MW_DB_TYPE_TIMESTAMP:
              {
                char *ts = _mw_db_normalize_timestamp (value);
                _mw_db_cell_take_text (&cells[c], ts, strlen (ts));
              }
              break;
            case MW_DB_TYPE_BYTES:
              {
                size_t len = 0;
                unsigned char *raw = PQunescapeBytea ((const unsigned char *) value, &len);

                _mw_db_cell_set_text (&cells[c], (const char *) raw, len);
                PQfreemem (raw);
              }
              break;
            case MW_DB_TYPE_TEXT:
            case MW_DB_TYPE_NULL:
            default:
              _mw_db_cell_set_text (&cells[c], value, PQgetlength (res, r, c));
              break;
            }
        }
    }

  tuples = PQcmdTuples (res);
  result->affected = tuples != NULL && tuples[0] != '\0' ? g_ascii_strtoll (tuples, NULL, 10) : n_rows;
  /* RETURNING gives the id; keep the first column of the first row as insert id. */
  if (n_rows > 0 && n_cols > 0 && result->col_types[0] == MW_DB_TYPE_INT64)
    result->insert_id = g_array_index (result->cells, MwDbCell, 0).i;
  return result;
}

static MwDbResult *
pg_exec (MwDb             *db,
         const char       *sql,
         const MwDbValue  *params,
         guint             n_params,
         GCancellable     *cancellable,
         GError          **error)
{
  PgExtra *extra = db->extra;
  g_autofree Oid *types = g_new0 (Oid, n_params + 1);
  g_autofree const char **values = g_new0 (const char *, n_params + 1);
  g_autofree int *lengths = g_new0 (int, n_params + 1);
  g_autofree int *formats = g_new0 (int, n_params + 1);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  PGresult *res;
  MwDbResult *result = NULL;
  gulong handler = 0;
  ExecStatusType status;

  for (guint i = 0; i < n_params; i++)
    {
      switch (params[i].type)
        {
        case MW_DB_TYPE_NULL:
          values[i] = NULL;
          break;
        case MW_DB_TYPE_TEXT:
          values[i] = params[i].v.s;
          break;
        case MW_DB_TYPE_TIMESTAMP:
          types[i] = TIMESTAMPOID;
          values[i] = params[i].v.s;
          break;
        case MW_DB_TYPE_INT64:
          {
            char *s = g_strdup_printf ("%" G_GINT64_FORMAT, params[i].v.i);
            g_ptr_array_add (owned, s);
            types[i] = INT8OID;
            values[i] = s;
          }
          break;
        case MW_DB_TYPE_BOOL:
          /* DBMail's flags are SMALLINT, so a boolean is bound as 0/1. */
          values[i] = params[i].v.b ? "1" : "0";
          break;
        case MW_DB_TYPE_BYTES:
          types[i] = BYTEAOID;
          values[i] = params[i].v.s != NULL ? params[i].v.s : "";
          lengths[i] = (int) params[i].len;
          formats[i] = 1;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (cancellable != NULL && extra->cancel != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb), extra->cancel, NULL);

  res = PQexecParams (db->conn, sql, (int) n_params, types, values, lengths, formats, 0);
  status = res != NULL ? PQresultStatus (res) : PGRES_FATAL_ERROR;
  /* A cancel request is sent apart from the statement it means: sent just
   * as that statement ended, it stops the next one on this connection. A
   * statement cancelled by nobody, outside a transaction, runs again. */
  if (status == PGRES_FATAL_ERROR && !g_cancellable_is_cancelled (cancellable) &&
      g_strcmp0 (PQresultErrorField (res, PG_DIAG_SQLSTATE), "57014") == 0 &&
      PQtransactionStatus (db->conn) == PQTRANS_IDLE)
    {
      PQclear (res);
      res = PQexecParams (db->conn, sql, (int) n_params, types, values, lengths, formats, 0);
      status = res != NULL ? PQresultStatus (res) : PGRES_FATAL_ERROR;
    }

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
    result = convert_result (res);
  else if (g_cancellable_is_cancelled (cancellable) && PQstatus (db->conn) == CONNECTION_OK)
    g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED, _("The query was cancelled."));
  else
    set_result_error (db, res, error);

  PQclear (res);
  return result;
}

static gboolean
pg_exec_script (MwDb        *db,
                const char  *sql,
                GError     **error)
{
  PGresult *res = PQexec (db->conn, sql);
  ExecStatusType status = res != NULL ? PQresultStatus (res) : PGRES_FATAL_ERROR;
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;

  if (!ok)
    set_result_error (db, res, error);
  PQclear (res);
  return ok;
}

static gboolean
pg_exec_simple (MwDb        *db,
                const char  *sql,
                GError     **error)
{
  if (g_str_equal (sql, "START TRANSACTION"))
    sql = "BEGIN";
  return pg_exec_script (db, sql, error);
}

const MwDbDriverClass _mw_db_pg_class = {
  .connect = pg_connect,
  .close = pg_close,
  .exec = pg_exec,
  .exec_script = pg_exec_script,
  .exec_simple = pg_exec_simple,
  .is_connected = pg_is_connected,
  .server_version = pg_server_version,
};
