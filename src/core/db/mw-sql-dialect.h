/* mw-sql-dialect.h: the few places where PostgreSQL and MySQL SQL differ.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

/* Each returns a newly allocated SQL fragment. */
char *mw_sql_is_digits          (MwDbDriver driver, const char *expr);            /* expr consists of digits only */
char *mw_sql_int_to_text        (MwDbDriver driver, const char *expr);
char *mw_sql_domain_of          (MwDbDriver driver, const char *expr);            /* lower-case part after the last '@' */
char *mw_sql_string_agg_distinct (MwDbDriver driver, const char *expr, const char *separator);
char *mw_sql_ci_equal           (MwDbDriver driver, const char *column, const char *value); /* case-insensitive, index-friendly */
char *mw_sql_row_compare        (MwDbDriver driver, const char *const *columns, guint n,
                                 guint first_param, gboolean descending, gboolean inclusive);
char *mw_sql_text_to_bigint     (MwDbDriver driver, const char *expr);            /* NULL unless digits */
char *mw_sql_ci                 (MwDbDriver driver, const char *expr);            /* comparable case-insensitively */
const char *mw_sql_tables_query (MwDbDriver driver); /* $1 = LIKE pattern; returns table_name */

/* Escape % _ and \ for a LIKE pattern (backslash is the escape character in both). */
char *mw_sql_like_escape        (const char *text);
char *mw_sql_like_contains      (const char *text); /* "%text%", escaped, lower-cased */

G_END_DECLS
