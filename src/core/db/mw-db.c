/* mw-db.c: connection settings, results and the driver-independent part of MwDb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-db"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "mw-db-private.h"

G_DEFINE_QUARK (mw-db-error-quark, mw_db_error)

#define DEFAULT_PREFIX "dbmail_"

/* Settings */

MwDbSettings *
mw_db_settings_new (MwDbDriver driver)
{
  MwDbSettings *settings = g_new0 (MwDbSettings, 1);

  settings->driver = driver;
  settings->tls_mode = MW_DB_TLS_PREFER;
  return settings;
}

MwDbSettings *
mw_db_settings_copy (const MwDbSettings *settings)
{
  MwDbSettings *copy;

  g_return_val_if_fail (settings != NULL, NULL);

  copy = g_memdup2 (settings, sizeof *settings);
  copy->host = g_strdup (settings->host);
  copy->socket = g_strdup (settings->socket);
  copy->database = g_strdup (settings->database);
  copy->user = g_strdup (settings->user);
  copy->password = g_strdup (settings->password);
  copy->tls_ca_file = g_strdup (settings->tls_ca_file);
  copy->table_prefix = g_strdup (settings->table_prefix);
  return copy;
}

void
mw_db_settings_free (MwDbSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->host);
  g_free (settings->socket);
  g_free (settings->database);
  g_free (settings->user);
  if (settings->password != NULL)
    memset (settings->password, 0, strlen (settings->password));
  g_free (settings->password);
  g_free (settings->tls_ca_file);
  g_free (settings->table_prefix);
  g_free (settings);
}

gboolean
mw_db_prefix_is_valid (const char *prefix)
{
  gsize len;

  if (prefix == NULL)
    return TRUE;
  len = strlen (prefix);
  if (len > 32)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (prefix[i]) && prefix[i] != '_')
      return FALSE;
  return TRUE;
}

const char *
mw_db_settings_get_prefix (const MwDbSettings *settings)
{
  return settings->table_prefix != NULL ? settings->table_prefix : DEFAULT_PREFIX;
}

static gboolean
parse_tls_mode (const char *value, MwDbTlsMode *mode)
{
  static const struct { const char *name; MwDbTlsMode mode; } modes[] = {
    { "disable", MW_DB_TLS_DISABLE }, { "disabled", MW_DB_TLS_DISABLE },
    { "prefer", MW_DB_TLS_PREFER }, { "preferred", MW_DB_TLS_PREFER },
    { "require", MW_DB_TLS_REQUIRE }, { "required", MW_DB_TLS_REQUIRE },
    { "verify-full", MW_DB_TLS_VERIFY_FULL }, { "verify_identity", MW_DB_TLS_VERIFY_FULL },
    { "verify-identity", MW_DB_TLS_VERIFY_FULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_ascii_strcasecmp (value, modes[i].name) == 0)
      {
        *mode = modes[i].mode;
        return TRUE;
      }
  return FALSE;
}

/* Where the driver goes when no TCP host is named: the local socket. libpq
 * takes PGHOST when we pass no host; MySQL clients take "localhost" for the
 * socket. */
static gboolean
uses_local_socket (const MwDbSettings *settings)
{
  const char *host = settings->host;

  if (settings->socket != NULL && settings->socket[0] != '\0')
    return settings->driver == MW_DB_DRIVER_PGSQL || host == NULL || host[0] == '\0' ||
           g_ascii_strcasecmp (host, "localhost") == 0;
  if (settings->driver == MW_DB_DRIVER_PGSQL)
    {
      if (host == NULL || host[0] == '\0')
        host = g_getenv ("PGHOST");
      return host == NULL || host[0] == '\0' || host[0] == '/' || host[0] == '@';
    }
  return host == NULL || host[0] == '\0' || g_ascii_strcasecmp (host, "localhost") == 0;
}

/* The server's limits on names, checked here because a longer name gets a
 * multi-line protocol error (PostgreSQL refuses a start-up packet over 10,000
 * bytes) instead of a sentence. */
static gboolean
check_name_length (const MwDbSettings  *settings,
                   const char          *name,
                   gboolean             is_user,
                   GError             **error)
{
  if (name == NULL)
    return TRUE;
  if (settings->driver == MW_DB_DRIVER_PGSQL && strlen (name) > 63)
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   is_user ? _("The user name is longer than the 63 bytes PostgreSQL allows.")
                           : _("The database name is longer than the 63 bytes PostgreSQL allows."));
      return FALSE;
    }
  if (settings->driver == MW_DB_DRIVER_MYSQL &&
      (!g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > (is_user ? 128 : 64)))
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   is_user ? _("The user name is longer than the 128 characters MariaDB allows, or not UTF-8.")
                           : _("The database name is longer than the 64 characters MySQL and MariaDB allow, or not UTF-8."));
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_db_settings_validate (const MwDbSettings *settings,
                         GError            **error)
{
  g_return_val_if_fail (settings != NULL, FALSE);

  if (!mw_db_prefix_is_valid (settings->table_prefix))
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_BAD_PREFIX,
                   _("The table prefix “%s” is not allowed: use at most 32 letters, digits or underscores."),
                   settings->table_prefix);
      return FALSE;
    }
  if (settings->port > 65535)
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   _("The port %u is not a valid port number."), settings->port);
      return FALSE;
    }
  if (settings->tls_mode == MW_DB_TLS_VERIFY_FULL && settings->tls_ca_file != NULL &&
      settings->tls_ca_file[0] != '\0' && !g_file_test (settings->tls_ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   _("The certificate authority file “%s” does not exist."), settings->tls_ca_file);
      return FALSE;
    }
  /* libpq ignores sslmode on a socket and connects in the clear: a mode
   * that promises encryption or a verified server cannot be kept there, so
   * it is refused rather than silently dropped ("prefer" may fall back). */
  if ((settings->tls_mode == MW_DB_TLS_REQUIRE || settings->tls_mode == MW_DB_TLS_VERIFY_FULL) &&
      uses_local_socket (settings))
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   _("The TLS mode “%s” cannot apply to a local socket: a connection through a socket is never "
                     "encrypted. Give a host name or address to connect over TCP with TLS (to MySQL and MariaDB, "
                     "“localhost” means the socket: use 127.0.0.1), or use the mode “prefer” or “disable” for the "
                     "socket."),
                   settings->tls_mode == MW_DB_TLS_REQUIRE ? "require" : "verify-full");
      return FALSE;
    }
  if (settings->database == NULL || settings->database[0] == '\0')
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   _("No database name was given."));
      return FALSE;
    }
  if (!check_name_length (settings, settings->user, TRUE, error) ||
      !check_name_length (settings, settings->database, FALSE, error))
    return FALSE;
  return TRUE;
}

MwDbSettings *
mw_db_settings_parse_uri (const char  *uri,
                          GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(MwDbSettings) settings = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *scheme;
  const char *path;
  const char *value;
  MwDbDriver driver;

  g_return_val_if_fail (uri != NULL, NULL);

  parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD, &local_error);
  if (parsed == NULL)
    {
      /* Not the address itself: it may hold a password. */
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   _("This is not a database address. Write it as postgresql://user@host/database or mysql://user@host/database."));
      return NULL;
    }

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "postgresql") == 0 || g_ascii_strcasecmp (scheme, "postgres") == 0)
    driver = MW_DB_DRIVER_PGSQL;
  else if (g_ascii_strcasecmp (scheme, "mysql") == 0 || g_ascii_strcasecmp (scheme, "mariadb") == 0)
    driver = MW_DB_DRIVER_MYSQL;
  else
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   _("Unknown kind of database “%s”: use postgresql:// or mysql://."), scheme);
      return NULL;
    }

  settings = mw_db_settings_new (driver);
  if (g_uri_get_host (parsed) != NULL && g_uri_get_host (parsed)[0] != '\0')
    settings->host = g_strdup (g_uri_get_host (parsed));
  if (g_uri_get_port (parsed) > 0)
    settings->port = g_uri_get_port (parsed);
  if (g_uri_get_user (parsed) != NULL && g_uri_get_user (parsed)[0] != '\0')
    settings->user = g_strdup (g_uri_get_user (parsed));
  if (g_uri_get_password (parsed) != NULL)
    settings->password = g_strdup (g_uri_get_password (parsed));
  path = g_uri_get_path (parsed);
  while (path != NULL && *path == '/')
    path++;
  if (path != NULL && *path != '\0')
    settings->database = g_strdup (path);

  if (g_uri_get_query (parsed) != NULL)
    {
      params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, &local_error);
      if (params == NULL)
        {
          g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                       _("The options after “?” in the database address cannot be read: %s"), local_error->message);
          return NULL;
        }

      {
        static const char *const known[] = { "host", "socket", "sslmode", "ssl-mode", "tls", "sslrootcert",
                                             "ssl-ca", "ca", "prefix", "connect_timeout", "user", "password",
                                             NULL };
        g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (params, NULL);
        const char *unknown = NULL;

        /* A misspelt setting (sslmod=require) must not pass for no setting. */
        for (guint i = 0; keys[i] != NULL; i++)
          if (!g_strv_contains (known, keys[i]) && (unknown == NULL || strcmp (keys[i], unknown) < 0))
            unknown = keys[i];
        if (unknown != NULL)
          {
            g_autofree char *list = g_strjoinv (", ", (char **) known);

            g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                         _("The database address has an unknown setting “%s” after “?”. Known settings: %s."),
                         unknown, list);
            return NULL;
          }
      }

      if ((value = g_hash_table_lookup (params, "host")) != NULL ||
          (value = g_hash_table_lookup (params, "socket")) != NULL)
        {
          if (value[0] == '/')
            {
              g_free (settings->socket);
              settings->socket = g_strdup (value);
            }
          else
            {
              g_free (settings->host);
              settings->host = g_strdup (value);
            }
        }
      if ((value = g_hash_table_lookup (params, "sslmode")) != NULL ||
          (value = g_hash_table_lookup (params, "ssl-mode")) != NULL ||
          (value = g_hash_table_lookup (params, "tls")) != NULL)
        {
          if (!parse_tls_mode (value, &settings->tls_mode))
            {
              g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                           _("Unknown TLS mode “%s”: use disable, prefer, require or verify-full."), value);
              return NULL;
            }
        }
      if ((value = g_hash_table_lookup (params, "sslrootcert")) != NULL ||
          (value = g_hash_table_lookup (params, "ssl-ca")) != NULL ||
          (value = g_hash_table_lookup (params, "ca")) != NULL)
        settings->tls_ca_file = g_strdup (value);
      if ((value = g_hash_table_lookup (params, "prefix")) != NULL)
        settings->table_prefix = g_strdup (value);
      if ((value = g_hash_table_lookup (params, "connect_timeout")) != NULL)
        {
          guint64 n;

          if (!g_ascii_string_to_unsigned (value, 10, 1, 3600, &n, NULL))
            {
              g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                           _("The connect time-out “%s” must be a number of seconds."), value);
              return NULL;
            }
          settings->connect_timeout = (guint) n;
        }
      if ((value = g_hash_table_lookup (params, "user")) != NULL)
        {
          g_free (settings->user);
          settings->user = g_strdup (value);
        }
      if ((value = g_hash_table_lookup (params, "password")) != NULL)
        {
          g_free (settings->password);
          settings->password = g_strdup (value);
        }
    }

  if (!mw_db_settings_validate (settings, error))
    return NULL;

  return g_steal_pointer (&settings);
}

char *
mw_db_settings_to_display_uri (const MwDbSettings *settings)
{
  GString *s = g_string_new (settings->driver == MW_DB_DRIVER_PGSQL ? "postgresql://" : "mysql://");

  if (settings->user != NULL)
    {
      g_autofree char *u = g_uri_escape_string (settings->user, NULL, FALSE);
      g_string_append_printf (s, "%s@", u);
    }
  if (settings->host != NULL)
    g_string_append (s, settings->host);
  if (settings->port != 0)
    g_string_append_printf (s, ":%u", settings->port);
  g_string_append_printf (s, "/%s", settings->database != NULL ? settings->database : "");
  if (settings->socket != NULL)
    g_string_append_printf (s, "?%s=%s", settings->driver == MW_DB_DRIVER_PGSQL ? "host" : "socket",
                            settings->socket);
  return g_string_free (s, FALSE);
}

/* Results */

MwDbResult *
_mw_db_result_new (guint n_cols)
{
  MwDbResult *result = g_new0 (MwDbResult, 1);

  g_atomic_ref_count_init (&result->ref_count);
  result->n_cols = n_cols;
  result->col_names = g_new0 (char *, n_cols + 1);
  result->col_types = g_new0 (MwDbType, n_cols);
  result->cells = g_array_new (FALSE, TRUE, sizeof (MwDbCell));
  return result;
}

void
_mw_db_result_set_col (MwDbResult *result,
                       guint       col,
                       const char *name,
                       MwDbType    type)
{
  g_assert (col < result->n_cols);
  g_free (result->col_names[col]);
  result->col_names[col] = g_strdup (name);
  result->col_types[col] = type;
}

MwDbCell *
_mw_db_result_append_row (MwDbResult *result)
{
  guint first = result->cells->len;

  g_array_set_size (result->cells, first + result->n_cols);
  result->n_rows++;
  return &g_array_index (result->cells, MwDbCell, first);
}

void
_mw_db_cell_set_text (MwDbCell   *cell,
                      const char *text,
                      gsize       len)
{
  cell->text = g_malloc (len + 1);
  memcpy (cell->text, text, len);
  cell->text[len] = '\0';
  cell->len = len;
}

void
_mw_db_cell_take_text (MwDbCell *cell,
                       char     *text,
                       gsize     len)
{
  cell->text = text;
  cell->len = len;
}

void
_mw_db_cell_set_int (MwDbCell *cell,
                     gint64    value)
{
  cell->i = value;
  cell->text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  cell->len = strlen (cell->text);
}

char *
_mw_db_normalize_timestamp (const char *text)
{
  /* Keep "YYYY-MM-DD HH:MM:SS"; drop fractions and zones, which DBMail never writes. */
  if (strlen (text) >= 19)
    return g_strndup (text, 19);
  if (strlen (text) == 10)
    return g_strconcat (text, " 00:00:00", NULL);
  return g_strdup (text);
}

gboolean
_mw_db_check_params (const MwDbValue  *params,
                     guint             n_params,
                     GError          **error)
{
  for (guint i = 0; i < n_params; i++)
    {
      if ((params[i].type == MW_DB_TYPE_TEXT || params[i].type == MW_DB_TYPE_TIMESTAMP) &&
          params[i].v.s == NULL)
        continue;
      if ((params[i].type == MW_DB_TYPE_TEXT || params[i].type == MW_DB_TYPE_TIMESTAMP) &&
          !g_utf8_validate (params[i].v.s, -1, NULL))
        {
          g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_BAD_VALUE,
                       _("The text contains bytes that are not valid UTF-8; nothing was changed."));
          return FALSE;
        }
    }
  return TRUE;
}

static MwDbCell *
get_cell (MwDbResult *result,
          guint       row,
          guint       col)
{
  g_return_val_if_fail (row < result->n_rows && col < result->n_cols, NULL);
  return &g_array_index (result->cells, MwDbCell, row * result->n_cols + col);
}

guint
mw_db_result_get_n_rows (MwDbResult *result)
{
  return result->n_rows;
}

guint
mw_db_result_get_n_cols (MwDbResult *result)
{
  return result->n_cols;
}

const char *
mw_db_result_get_col_name (MwDbResult *result,
                           guint       col)
{
  g_return_val_if_fail (col < result->n_cols, NULL);
  return result->col_names[col];
}

int
mw_db_result_find_col (MwDbResult *result,
                       const char *name)
{
  for (guint i = 0; i < result->n_cols; i++)
    if (g_ascii_strcasecmp (result->col_names[i], name) == 0)
      return (int) i;
  return -1;
}

gint64
mw_db_result_get_affected (MwDbResult *result)
{
  return result->affected;
}

gint64
mw_db_result_get_insert_id (MwDbResult *result)
{
  return result->insert_id;
}

MwDbType
mw_db_result_get_type (MwDbResult *result,
                       guint       row,
                       guint       col)
{
  MwDbCell *cell = get_cell (result, row, col);

  if (cell == NULL || cell->text == NULL)
    return MW_DB_TYPE_NULL;
  return result->col_types[col];
}

gboolean
mw_db_result_is_null (MwDbResult *result,
                      guint       row,
                      guint       col)
{
  MwDbCell *cell = get_cell (result, row, col);

  return cell == NULL || cell->text == NULL;
}

const char *
mw_db_result_get_string (MwDbResult *result,
                         guint       row,
                         guint       col)
{
  MwDbCell *cell = get_cell (result, row, col);

  return cell != NULL ? cell->text : NULL;
}

MwDbValue
mw_db_result_get_value (MwDbResult *result,
                        guint       row,
                        guint       col)
{
  switch (mw_db_result_get_type (result, row, col))
    {
    case MW_DB_TYPE_NULL:
      return MW_DB_NULL;
    case MW_DB_TYPE_INT64:
    case MW_DB_TYPE_BOOL:
      return MW_DB_INT64 (mw_db_result_get_int64 (result, row, col));
    case MW_DB_TYPE_TIMESTAMP:
      return MW_DB_TIMESTAMP (mw_db_result_get_string (result, row, col));
    case MW_DB_TYPE_TEXT:
    case MW_DB_TYPE_BYTES:
    default:
      return MW_DB_TEXT (mw_db_result_get_string (result, row, col));
    }
}

gint64
mw_db_result_get_int64 (MwDbResult *result,
                        guint       row,
                        guint       col)
{
  MwDbCell *cell = get_cell (result, row, col);

  if (cell == NULL || cell->text == NULL)
    return 0;
  if (result->col_types[col] == MW_DB_TYPE_INT64 || result->col_types[col] == MW_DB_TYPE_BOOL)
    return cell->i;
  return g_ascii_strtoll (cell->text, NULL, 10);
}

gboolean
mw_db_result_get_bool (MwDbResult *result,
                       guint       row,
                       guint       col)
{
  MwDbCell *cell = get_cell (result, row, col);

  if (cell == NULL || cell->text == NULL)
    return FALSE;
  if (result->col_types[col] == MW_DB_TYPE_INT64 || result->col_types[col] == MW_DB_TYPE_BOOL)
    return cell->i != 0;
  return cell->text[0] == 't' || cell->text[0] == 'T' || (cell->text[0] >= '1' && cell->text[0] <= '9');
}

GDateTime *
mw_db_result_get_timestamp (MwDbResult *result,
                            guint       row,
                            guint       col)
{
  MwDbCell *cell = get_cell (result, row, col);
  int y, mo, d, h = 0, mi = 0, s = 0;

  if (cell == NULL || cell->text == NULL)
    return NULL;
  if (sscanf (cell->text, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) < 3)
    return NULL;
  if (y < 1)
    return NULL;
  return g_date_time_new_local (y, mo, d, h, mi, s);
}

GBytes *
mw_db_result_get_bytes (MwDbResult *result,
                        guint       row,
                        guint       col)
{
  MwDbCell *cell = get_cell (result, row, col);

  if (cell == NULL || cell->text == NULL)
    return NULL;
  return g_bytes_new (cell->text, cell->len);
}

MwDbResult *
mw_db_result_ref (MwDbResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
mw_db_result_unref (MwDbResult *result)
{
  if (result == NULL || !g_atomic_ref_count_dec (&result->ref_count))
    return;
  for (guint i = 0; i < result->cells->len; i++)
    g_free (g_array_index (result->cells, MwDbCell, i).text);
  g_array_unref (result->cells);
  g_strfreev (result->col_names);
  g_free (result->col_types);
  g_free (result);
}

/* Connections */

char *
mw_db_expand_tables (const char *sql,
                     const char *prefix)
{
  GString *out = g_string_sized_new (strlen (sql) + 64);

  /* Everywhere, literals included ('{users}' names the table for catalog
   * look-ups): this is only ever our own SQL text, values are bound. */
  for (const char *p = sql; *p != '\0'; p++)
    {
      if (*p == '{' && g_ascii_islower (p[1]))
        {
          const char *end = p + 1;

          while (g_ascii_islower (*end) || *end == '_')
            end++;
          if (*end == '}')
            {
              g_string_append (out, prefix);
              g_string_append_len (out, p + 1, end - p - 1);
              p = end;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

MwDb *
mw_db_connect (const MwDbSettings  *settings,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autoptr(MwDb) db = NULL;

  g_return_val_if_fail (settings != NULL, NULL);

  if (!mw_db_settings_validate (settings, error))
    return NULL;

  db = g_new0 (MwDb, 1);
  db->settings = mw_db_settings_copy (settings);
  db->klass = settings->driver == MW_DB_DRIVER_PGSQL ? &_mw_db_pg_class : &_mw_db_mysql_class;
  if (!db->klass->connect (db, cancellable, error))
    return NULL;
  return g_steal_pointer (&db);
}

void
mw_db_close (MwDb *db)
{
  if (db == NULL)
    return;
  if (db->conn != NULL)
    db->klass->close (db);
  mw_db_settings_free (db->settings);
  g_free (db);
}

MwDbDriver
mw_db_get_driver (MwDb *db)
{
  return db->settings->driver;
}

const MwDbSettings *
mw_db_get_settings (MwDb *db)
{
  return db->settings;
}

const char *
mw_db_get_prefix (MwDb *db)
{
  return mw_db_settings_get_prefix (db->settings);
}

char *
mw_db_get_server_version (MwDb *db)
{
  return db->klass->server_version (db);
}

gboolean
mw_db_is_connected (MwDb *db)
{
  return db != NULL && !db->lost && db->conn != NULL && db->klass->is_connected (db);
}

static gboolean
set_lost_error (MwDb    *db,
                GError **error)
{
  g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST,
               _("The connection to the database server was lost."));
  return FALSE;
}

MwDbResult *
mw_db_exec (MwDb             *db,
            const char       *sql,
            const MwDbValue  *params,
            guint             n_params,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autofree char *expanded = NULL;
  g_autoptr(GError) local_error = NULL;
  MwDbResult *result;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (db->lost)
    {
      set_lost_error (db, error);
      return NULL;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED, _("The query was cancelled."));
      return NULL;
    }
  if (!_mw_db_check_params (params, n_params, error))
    return NULL;

  expanded = mw_db_expand_tables (sql, mw_db_get_prefix (db));
  result = db->klass->exec (db, expanded, params, n_params, cancellable, &local_error);
  if (result == NULL)
    {
      if (g_error_matches (local_error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST))
        {
          /* The server rolls back a transaction whose connection goes. */
          if (db->in_transaction)
            {
              g_clear_error (&local_error);
              g_set_error (&local_error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST,
                           _("The connection to the database server was lost before the change was complete; "
                             "the server undid it, so nothing was changed."));
            }
          db->lost = TRUE;
          db->in_transaction = FALSE;
        }
      g_debug ("query failed: %s\n%s", local_error->message, expanded);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return result;
}

gint64
mw_db_insert_returning_id (MwDb             *db,
                           const char       *sql,
                           const char       *id_column,
                           const MwDbValue  *params,
                           guint             n_params,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(MwDbResult) result = NULL;
  gint64 id = 0;

  g_return_val_if_fail (db != NULL, 0);
  g_return_val_if_fail (sql != NULL, 0);
  g_return_val_if_fail (id_column != NULL, 0);

  /* MySQL's insert id comes with the statement's own answer; PostgreSQL
   * has none, so the INSERT asks for the column. */
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    {
      g_autofree char *full = g_strdup_printf ("%s RETURNING %s", sql, id_column);

      result = mw_db_exec (db, full, params, n_params, cancellable, error);
      if (result != NULL && mw_db_result_get_n_rows (result) > 0)
        id = mw_db_result_get_int64 (result, 0, 0);
    }
  else
    {
      result = mw_db_exec (db, sql, params, n_params, cancellable, error);
      if (result != NULL)
        id = mw_db_result_get_insert_id (result);
    }
  if (result == NULL)
    return 0;
  if (id <= 0)
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_FAILED,
                   _("The database did not report the number of the new row."));
      return 0;
    }
  return id;
}

gboolean
mw_db_exec_script (MwDb        *db,
                   const char  *sql,
                   GError     **error)
{
  g_return_val_if_fail (db != NULL, FALSE);

  if (db->lost)
    return set_lost_error (db, error);
  return db->klass->exec_script (db, sql, error);
}

static gboolean
exec_simple (MwDb        *db,
             const char  *sql,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (db->lost)
    return set_lost_error (db, error);
  if (!db->klass->exec_simple (db, sql, &local_error))
    {
      if (g_error_matches (local_error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST))
        {
          db->lost = TRUE;
          db->in_transaction = FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_db_begin (MwDb    *db,
             GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (!db->in_transaction, FALSE);

  if (!exec_simple (db, "START TRANSACTION", error))
    return FALSE;
  db->in_transaction = TRUE;
  return TRUE;
}

gboolean
mw_db_commit (MwDb    *db,
              GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);

  ok = exec_simple (db, "COMMIT", &local_error);
  db->in_transaction = FALSE;
  /* The server may have committed before the answer was lost. */
  if (g_error_matches (local_error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST))
    {
      g_clear_error (&local_error);
      g_set_error (&local_error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST,
                   _("The connection to the database server was lost while the change was being saved: it may or "
                     "may not have been made. Look before you try again."));
    }
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

gboolean
mw_db_rollback (MwDb    *db,
                GError **error)
{
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);

  if (db->lost)
    {
      db->in_transaction = FALSE;
      return set_lost_error (db, error);
    }
  ok = exec_simple (db, "ROLLBACK", error);
  db->in_transaction = FALSE;
  return ok;
}

gboolean
mw_db_in_transaction (MwDb *db)
{
  return db->in_transaction;
}
