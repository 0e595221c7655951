/* mw-db-private.h: what the drivers share with mw-db.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

typedef struct
{
  char    *text;     /* canonical text form (bytes: the raw bytes, NUL-terminated); NULL when null */
  gsize    len;
  gint64   i;        /* INT64 and BOOL */
} MwDbCell;

struct _MwDbResult
{
  gatomicrefcount  ref_count;
  guint            n_rows;
  guint            n_cols;
  char           **col_names;
  MwDbType        *col_types;
  GArray          *cells;      /* MwDbCell, n_rows * n_cols */
  gint64           affected;
  gint64           insert_id;
};

typedef struct
{
  gboolean    (*connect)        (MwDb *db, GCancellable *cancellable, GError **error);
  void        (*close)          (MwDb *db);
  MwDbResult *(*exec)           (MwDb *db, const char *sql, const MwDbValue *params, guint n_params,
                                 GCancellable *cancellable, GError **error);
  gboolean    (*exec_script)    (MwDb *db, const char *sql, GError **error);
  gboolean    (*exec_simple)    (MwDb *db, const char *sql, GError **error);
  gboolean    (*is_connected)   (MwDb *db);
  char       *(*server_version) (MwDb *db);
} MwDbDriverClass;

struct _MwDb
{
  const MwDbDriverClass *klass;
  MwDbSettings          *settings;
  gpointer               conn;
  gpointer               extra;
  gboolean               in_transaction;
  gboolean               lost;
};

extern const MwDbDriverClass _mw_db_pg_class;
extern const MwDbDriverClass _mw_db_mysql_class;

MwDbResult *_mw_db_result_new        (guint n_cols);
void        _mw_db_result_set_col    (MwDbResult *result, guint col, const char *name, MwDbType type);
MwDbCell   *_mw_db_result_append_row (MwDbResult *result);
void        _mw_db_cell_set_text     (MwDbCell *cell, const char *text, gsize len);
void        _mw_db_cell_set_int      (MwDbCell *cell, gint64 value);
void        _mw_db_cell_take_text    (MwDbCell *cell, char *text, gsize len);

/* "2024-01-02 03:04:05.123+01" -> "2024-01-02 03:04:05" */
char       *_mw_db_normalize_timestamp (const char *text);
gboolean    _mw_db_check_params      (const MwDbValue *params, guint n_params, GError **error);

G_END_DECLS
