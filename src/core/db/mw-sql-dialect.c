/* mw-sql-dialect.c: the few places where PostgreSQL and MySQL SQL differ.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-sql-dialect"

#include "config.h"

#include <string.h>

#include "mw-sql-dialect.h"

char *
mw_sql_is_digits (MwDbDriver  driver,
                  const char *expr)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("(%s ~ '^[0-9]+$')", expr);
  return g_strdup_printf ("(%s REGEXP '^[0-9]+$')", expr);
}

char *
mw_sql_int_to_text (MwDbDriver  driver,
                    const char *expr)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("CAST(%s AS TEXT)", expr);
  return g_strdup_printf ("CAST(%s AS CHAR)", expr);
}

char *
mw_sql_domain_of (MwDbDriver  driver,
                  const char *expr)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("NULLIF(lower(substring(%s from '@([^@]*)$')), '')", expr);
  return g_strdup_printf ("NULLIF(lower(CASE WHEN %s LIKE '%%@%%' THEN SUBSTRING_INDEX(%s, '@', -1) END), '')",
                          expr, expr);
}

char *
mw_sql_string_agg_distinct (MwDbDriver  driver,
                            const char *expr,
                            const char *separator)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("string_agg(DISTINCT %s, '%s' ORDER BY %s)", expr, separator, expr);
  return g_strdup_printf ("GROUP_CONCAT(DISTINCT %s ORDER BY %s SEPARATOR '%s')", expr, expr, separator);
}

char *
mw_sql_ci_equal (MwDbDriver  driver,
                 const char *column,
                 const char *value)
{
  /* PostgreSQL has an index on lower(col); MySQL columns use a
   * case-insensitive collation, where lower() would defeat the index. */
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("lower(%s) = lower(%s)", column, value);
  return g_strdup_printf ("%s = %s", column, value);
}

char *
mw_sql_row_compare (MwDbDriver         driver,
                    const char *const *columns,
                    guint              n,
                    guint              first_param,
                    gboolean           descending,
                    gboolean           inclusive)
{
  const char *op = descending ? "<" : ">";
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (n > 0, NULL);

  if (driver == MW_DB_DRIVER_PGSQL)
    {
      /* A row comparison uses a multi-column index directly. */
      g_string_append_c (s, '(');
      for (guint i = 0; i < n; i++)
        g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", columns[i]);
      g_string_append_printf (s, ") %s%s (", op, inclusive ? "=" : "");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (s, "%s$%u", i > 0 ? ", " : "", first_param + i);
      g_string_append_c (s, ')');
      return g_string_free (s, FALSE);
    }

  /* MySQL: (a > $1 OR (a = $1 AND (b > $2 ...))), with a leading a >= $1 so
   * the optimizer sees a range on the first column. */
  g_string_append_printf (s, "(%s %s= $%u AND ", columns[0], op, first_param);
  for (guint i = 0; i < n; i++)
    {
      gboolean last = i + 1 == n;

      g_string_append_printf (s, "(%s %s%s $%u", columns[i], op, last && inclusive ? "=" : "",
                              first_param + i);
      if (!last)
        g_string_append_printf (s, " OR (%s = $%u AND ", columns[i], first_param + i);
    }
  for (guint i = 0; i < n; i++)
    g_string_append (s, i + 1 < n ? "))" : ")");
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

char *
mw_sql_text_to_bigint (MwDbDriver  driver,
                       const char *expr)
{
  /* DBMail reads deliver_to with strtoull; a cast of anything else would fail. */
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("(CASE WHEN %s ~ '^[0-9]+$' AND length(%s) < 19 THEN CAST(%s AS BIGINT) END)",
                            expr, expr, expr);
  return g_strdup_printf ("(CASE WHEN %s REGEXP '^[0-9]+$' AND length(%s) < 19 THEN CAST(%s AS UNSIGNED) END)",
                          expr, expr, expr);
}

char *
mw_sql_ci (MwDbDriver  driver,
           const char *expr)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("lower(%s)", expr);
  return g_strdup (expr);
}

const char *
mw_sql_tables_query (MwDbDriver driver)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return "SELECT table_name FROM information_schema.tables "
           "WHERE table_schema = current_schema() AND table_name LIKE $1";
  return "SELECT table_name FROM information_schema.tables "
         "WHERE table_schema = DATABASE() AND table_name LIKE $1";
}

char *
mw_sql_like_escape (const char *text)
{
  GString *s = g_string_sized_new (strlen (text) + 8);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

char *
mw_sql_like_contains (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  g_autofree char *escaped = mw_sql_like_escape (lower);

  return g_strdup_printf ("%%%s%%", escaped);
}
