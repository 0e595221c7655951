/* mw-bench-common.h: shared by mw-bench-lists and mw-bench-vmail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-db.h"
#include "mw-db-pool.h"
#include "mw-list-query.h"
#include "mw-paged-model.h"
#include "mw-record.h"
#include "mw-schema.h"
#include "mw-sql-dialect.h"

#define ANCHORS_LABEL "page anchors (first key of every page)"

extern int opt_runs;
extern int opt_page_size;
extern int opt_workers;
extern char *opt_search;
extern char *opt_psql;
extern char *opt_mariadb;
extern gboolean opt_no_floor;
extern gboolean opt_no_model;

typedef struct
{
  char        *label;
  double       core_ms;     /* median; < 0 when missing */
  double       floor_ms;
  gboolean     floor_profile; /* MariaDB SHOW PROFILES (server side, microseconds), not the client's figure */
  gboolean     floor_sum;     /* the sum of other rows' floors */
  char        *note;
} Row;

typedef struct Bench Bench;

struct Bench
{
  MwDbSettings *settings;
  MwDbDriver    driver;
  MwDb         *db;
  MwDb         *probe;        /* PostgreSQL: reads what db last ran */
  gint64        backend_pid;
  MwSchema     *schema;       /* mw-bench-vmail */
  const MwSchemaInfo *info;
  char         *title;        /* "== server: database, start time ==" */
  char         *prefix;       /* "users: ", prepended to the labels of rows */
  GPtrArray    *rows;         /* Row */
  guint         n_mismatches;
  /* The model's count may come after the first page (a lower bound first)
   * and it may ask for no anchors: time the exact count too (mw-bench-vmail). */
  gboolean      model_counts;
  /* CORE_FIND: 1 found, 0 not found, -1 error. */
  gint64      (*find) (Bench *b, const char *text, GError **error);
};

/* One floor statement: SQL with $n and {tables}, and the values of $n. */
typedef struct
{
  char      *sql;
  MwDbValue *params;
  guint      n_params;
} Statement;

typedef enum
{
  CORE_COUNT,
  CORE_OFFSET,
  CORE_AFTER,
  CORE_ANCHORS,
  CORE_FIND,
} CoreKind;

typedef struct
{
  CoreKind     kind;
  MwListQuery *query;
  guint64      offset;
  guint        limit;
  gboolean     reverse;
  gboolean     inclusive;
  MwDbValue    sort_value;
  MwDbValue    key_value;
  const char  *text;
} CoreCall;

typedef gboolean (*Predicate) (gpointer data);

extern GPollFunc default_poll;
extern gint64 longest_stall;

void row_free (gpointer data);
Row *add_row (Bench *b, const char *label);
double median (GArray *values);
double ms_since (gint64 start);
char *count_sql (MwListQuery *query);
char *offset_sql (MwListQuery *query, guint64 offset, guint limit, gboolean reverse);
char *after_sql (MwListQuery *query, MwDbDriver driver, gboolean inclusive, gboolean reverse, guint limit);
char *anchors_sql (MwListQuery *query, guint page_size);
void statement_clear (Statement *st);
Statement statement_new (char *sql, const MwDbValue *params, guint n_params, const MwDbValue *extra, guint n_extra);
void check_sent (Bench *b, const char *label, const Statement *st);
Row *measure (Bench *b, const char *label, const CoreCall *call, const Statement *statements, guint n_statements, MwDbResult **result_out);
gint watching_poll (GPollFD *fds, guint n_fds, gint timeout);
void watch_start (void);
void watch_stop (void);
gboolean model_loading (gpointer data);
gboolean model_without_anchors (gpointer data);
gboolean count_is_lower_bound (gpointer data);
gboolean record_not_loaded (gpointer data);
gboolean iterate_while (MwPagedModel *model, Predicate pred, gpointer data);
void floor_from (Row *row, Bench *b, ...);
void measure_model (Bench *b, MwListQuery *query);
void print_rows (Bench *b, int width);
int bench_connect (Bench *b, const char *summary, const GOptionEntry *entries, int argc, char *argv[]);
void bench_begin (Bench *b, const char *program);
void bench_report (Bench *b, const char *program, int width);
void bench_close (Bench *b);
