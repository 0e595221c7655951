/* mw-db.h: one connection to a PostgreSQL or MySQL/MariaDB server, one API for both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MW_DB_ERROR (mw_db_error_quark ())

typedef enum
{
  MW_DB_ERROR_FAILED,              /* anything else; the server's text is in the message */
  MW_DB_ERROR_INVALID_SETTINGS,    /* bad URI, bad port, TLS file missing ... */
  MW_DB_ERROR_BAD_PREFIX,          /* table prefix with illegal characters */
  MW_DB_ERROR_UNREACHABLE,         /* host or socket does not answer */
  MW_DB_ERROR_AUTH_FAILED,         /* wrong user name or password */
  MW_DB_ERROR_NO_SUCH_DATABASE,
  MW_DB_ERROR_TLS,                 /* TLS required or verification failed */
  MW_DB_ERROR_PERMISSION_DENIED,   /* on a table or a database */
  MW_DB_ERROR_NO_SUCH_TABLE,
  MW_DB_ERROR_CANCELLED,           /* the query was stopped on the server */
  MW_DB_ERROR_CONNECTION_LOST,     /* the connection broke; reconnect before the next job */
  MW_DB_ERROR_CONSTRAINT,          /* unique or foreign key violation */
  MW_DB_ERROR_BAD_VALUE,           /* invalid UTF-8, value too long, wrong type */
} MwDbError;

typedef enum
{
  MW_DB_DRIVER_PGSQL,
  MW_DB_DRIVER_MYSQL,
} MwDbDriver;

typedef enum
{
  MW_DB_TLS_DISABLE,
  MW_DB_TLS_PREFER,
  MW_DB_TLS_REQUIRE,
  MW_DB_TLS_VERIFY_FULL,
} MwDbTlsMode;

typedef enum
{
  MW_DB_TYPE_NULL,
  MW_DB_TYPE_TEXT,
  MW_DB_TYPE_INT64,
  MW_DB_TYPE_BOOL,
  MW_DB_TYPE_TIMESTAMP,   /* bound and returned as "YYYY-MM-DD HH:MM:SS" text in UTC-less server time */
  MW_DB_TYPE_BYTES,
} MwDbType;

/* A bound value. Text and bytes are borrowed: they must outlive the call. */
typedef struct
{
  MwDbType type;
  union {
    const char *s;
    gint64      i;
    gboolean    b;
  } v;
  gsize len;              /* bytes only */
} MwDbValue;

#define MW_DB_NULL          ((MwDbValue) { .type = MW_DB_TYPE_NULL })
#define MW_DB_TEXT(str_)       ((MwDbValue) { .type = MW_DB_TYPE_TEXT, .v.s = (str_) })
#define MW_DB_INT64(num_)      ((MwDbValue) { .type = MW_DB_TYPE_INT64, .v.i = (num_) })
#define MW_DB_BOOL(flag_)      ((MwDbValue) { .type = MW_DB_TYPE_BOOL, .v.b = (flag_) })
#define MW_DB_TIMESTAMP(str_)  ((MwDbValue) { .type = MW_DB_TYPE_TIMESTAMP, .v.s = (str_) })
#define MW_DB_BYTES(ptr_, len_) ((MwDbValue) { .type = MW_DB_TYPE_BYTES, .v.s = (const char *) (ptr_), .len = (len_) })

/* Connection settings. Copy with mw_db_settings_copy. */
typedef struct
{
  MwDbDriver   driver;
  char        *host;         /* NULL or "" with socket: local socket */
  char        *socket;       /* pg: the socket directory; mysql: the socket file */
  guint        port;         /* 0 = default */
  char        *database;
  char        *user;
  char        *password;
  MwDbTlsMode  tls_mode;
  char        *tls_ca_file;
  char        *table_prefix; /* NULL = "dbmail_" */
  guint        connect_timeout; /* seconds, 0 = 10 */
} MwDbSettings;

GQuark        mw_db_error_quark        (void);

MwDbSettings *mw_db_settings_new       (MwDbDriver driver);
MwDbSettings *mw_db_settings_copy      (const MwDbSettings *settings);
void          mw_db_settings_free      (MwDbSettings *settings);
MwDbSettings *mw_db_settings_parse_uri (const char *uri, GError **error);
char         *mw_db_settings_to_display_uri (const MwDbSettings *settings); /* no password */
gboolean      mw_db_settings_validate  (const MwDbSettings *settings, GError **error);
const char   *mw_db_settings_get_prefix (const MwDbSettings *settings);
gboolean      mw_db_prefix_is_valid    (const char *prefix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDbSettings, mw_db_settings_free)

/* Results: all rows in memory, each value converted to one of MwDbType. */
typedef struct _MwDbResult MwDbResult;

guint         mw_db_result_get_n_rows   (MwDbResult *result);
guint         mw_db_result_get_n_cols   (MwDbResult *result);
const char   *mw_db_result_get_col_name (MwDbResult *result, guint col);
int           mw_db_result_find_col     (MwDbResult *result, const char *name);
gint64        mw_db_result_get_affected (MwDbResult *result);
gint64        mw_db_result_get_insert_id (MwDbResult *result);
MwDbType      mw_db_result_get_type     (MwDbResult *result, guint row, guint col);
gboolean      mw_db_result_is_null      (MwDbResult *result, guint row, guint col);
const char   *mw_db_result_get_string   (MwDbResult *result, guint row, guint col); /* any type as text; NULL for NULL */
gint64        mw_db_result_get_int64    (MwDbResult *result, guint row, guint col);
gboolean      mw_db_result_get_bool     (MwDbResult *result, guint row, guint col);
GDateTime    *mw_db_result_get_timestamp (MwDbResult *result, guint row, guint col); /* (transfer full), local time zone */
GBytes       *mw_db_result_get_bytes    (MwDbResult *result, guint row, guint col); /* (transfer full) */
/* The cell as a value to bind again (a keyset page's anchor): its text is
 * borrowed from result, which must outlive the value. */
MwDbValue     mw_db_result_get_value    (MwDbResult *result, guint row, guint col);
MwDbResult   *mw_db_result_ref          (MwDbResult *result);
void          mw_db_result_unref        (MwDbResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDbResult, mw_db_result_unref)

/* One connection. Not thread-safe: one thread at a time (the pool gives each worker its own). */
typedef struct _MwDb MwDb;

MwDb         *mw_db_connect         (const MwDbSettings *settings, GCancellable *cancellable, GError **error);
void          mw_db_close           (MwDb *db);
MwDbDriver    mw_db_get_driver      (MwDb *db);
const MwDbSettings *mw_db_get_settings (MwDb *db);
const char   *mw_db_get_prefix      (MwDb *db);
char         *mw_db_get_server_version (MwDb *db);
gboolean      mw_db_is_connected    (MwDb *db);

/* SQL with $1..$n placeholders and {name} for prefixed table names
 * ("{users}" becomes "dbmail_users"). Values are always bound. The
 * cancellable, when cancelled during the call, stops the query on the server. */
MwDbResult   *mw_db_exec            (MwDb            *db,
                                     const char      *sql,
                                     const MwDbValue *params,
                                     guint            n_params,
                                     GCancellable    *cancellable,
                                     GError         **error);
/* An INSERT of one row (no RETURNING clause of its own) that gives back
 * the new row's id_column: by RETURNING on PostgreSQL, by the insert id
 * (an AUTO_INCREMENT column) on MySQL. 0 with error set when the statement
 * failed or the server reported no number. */
gint64        mw_db_insert_returning_id (MwDb            *db,
                                         const char      *sql,
                                         const char      *id_column,
                                         const MwDbValue *params,
                                         guint            n_params,
                                         GCancellable    *cancellable,
                                         GError         **error);
gboolean      mw_db_exec_script     (MwDb *db, const char *sql, GError **error); /* several statements, no parameters, no prefix substitution */
gboolean      mw_db_begin           (MwDb *db, GError **error);
gboolean      mw_db_commit          (MwDb *db, GError **error);
gboolean      mw_db_rollback        (MwDb *db, GError **error);
gboolean      mw_db_in_transaction  (MwDb *db);

/* Expands {name} to prefix+name; exposed for tests and the dialect helpers. */
char         *mw_db_expand_tables   (const char *sql, const char *prefix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDb, mw_db_close)

G_END_DECLS
