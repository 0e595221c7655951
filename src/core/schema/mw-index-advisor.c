/* mw-index-advisor.c: the indexes that make the lists' substring search
 * fast (issue 19, F8). See mw-index-advisor.h.
 *
 * The search is measured and explained exactly as the lists run it: the
 * users' and the aliases' list query (mw_schema_list_query ()) with a
 * search, counted as the paged model counts it. The trigram indexes are
 * built on the expression that query compares (lower(col)), so that its
 * "lower(col) LIKE '%x%'" can use them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-index-advisor"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-audit.h"
#include "mw-index-advisor.h"
#include "mw-list-query.h"

typedef enum
{
  INDEX_TRGM,     /* PostgreSQL only: GIN (lower(col) gin_trgm_ops) */
  INDEX_BTREE,    /* both: a plain index on col */
} IndexType;

typedef struct
{
  const char *suffix;   /* the name after the prefix */
  const char *table;    /* {table} token */
  const char *column;
  IndexType   type;
  const char *reason;   /* N_() */
} IndexSpec;

static const IndexSpec dbmail_specs[] = {
  { "users_userid_trgm", "{users}", "userid", INDEX_TRGM,
    N_("Lets the Users list find a part of a login name without reading every user.") },
  { "aliases_alias_trgm", "{aliases}", "alias", INDEX_TRGM,
    N_("Lets the Users, Aliases and Forwards lists find a part of an address without reading every alias.") },
  { "aliases_deliver_to_trgm", "{aliases}", "deliver_to", INDEX_TRGM,
    N_("Lets the Forwards list find a part of a target address without reading every alias.") },
  { "aliases_deliver_to", "{aliases}", "deliver_to", INDEX_BTREE,
    N_("Finds the addresses that deliver to an account (its aliases, the delivery trace, deleting it) "
       "without reading every alias; DBMail's schema has no index there.") },
};

MwIndexAdvice *
mw_index_advice_copy (const MwIndexAdvice *advice)
{
  MwIndexAdvice *copy = g_new0 (MwIndexAdvice, 1);

  *copy = *advice;
  copy->name = g_strdup (advice->name);
  copy->table = g_strdup (advice->table);
  copy->definition = g_strdup (advice->definition);
  copy->reason = g_strdup (advice->reason);
  copy->existing = g_strdup (advice->existing);
  return copy;
}

void
mw_index_advice_free (MwIndexAdvice *advice)
{
  if (advice == NULL)
    return;
  g_free (advice->name);
  g_free (advice->table);
  g_free (advice->definition);
  g_free (advice->reason);
  g_free (advice->existing);
  g_free (advice);
}

void
mw_index_report_free (MwIndexReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->indexes, g_ptr_array_unref);
  g_free (report->note);
  g_free (report->search_text);
  g_free (report);
}

gboolean
mw_schema_has_index_advice (MwSchema *self)
{
  const MwSchemaInfo *info;

  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  info = mw_schema_get_info (self);
  return info != NULL && (info->kind == MW_SCHEMA_DBMAIL_3 || info->kind == MW_SCHEMA_DBMAIL_2_2);
}

static gboolean
refuse_unless_advised (MwSchema *self, GError **error)
{
  if (mw_schema_has_index_advice (self))
    return TRUE;
  g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The index advisor knows DBMail's lists only; this mail system's lists get no advice yet."));
  return FALSE;
}

static const IndexSpec *
specs_of (MwSchema *self, guint *n)
{
  (void) self;
  *n = G_N_ELEMENTS (dbmail_specs);
  return dbmail_specs;
}

static char *
spec_name (const IndexSpec *spec)
{
  return g_strconcat (MW_INDEX_ADVISOR_PREFIX, spec->suffix, NULL);
}

static char *
spec_definition (const IndexSpec *spec)
{
  if (spec->type == INDEX_TRGM)
    return g_strdup_printf ("GIN (lower(%s) gin_trgm_ops)", spec->column);
  return g_strdup_printf ("b-tree (%s)", spec->column);
}

static MwDbResult *
run (MwDb *db, const char *sql, const MwDbValue *params, guint n, GCancellable *cancellable, GError **error)
{
  g_debug ("%s", sql);
  return mw_db_exec (db, sql, params, n, cancellable, error);
}

/* The name of an index on @table like @spec, or NULL. PostgreSQL: from
 * pg_indexes' definitions; MariaDB: a b-tree whose first column is it. */
static char *
find_existing (MwDb *db, const IndexSpec *spec, const char *table, GCancellable *cancellable, GError **error)
{
  g_autoptr(MwDbResult) result = NULL;
  MwDbValue params[] = { MW_DB_TEXT (table), MW_DB_TEXT (spec->column) };

  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    {
      result = run (db, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                        "AND tablename = $1 ORDER BY indexname", params, 1, cancellable, error);
      if (result == NULL)
        return NULL;
      for (guint i = 0; i < mw_db_result_get_n_rows (result); i++)
        {
          const char *def = mw_db_result_get_string (result, i, 1);
          g_autofree char *trgm = g_strdup_printf ("lower((%s)::text) gin_trgm_ops", spec->column);
          g_autofree char *trgm2 = g_strdup_printf ("lower(%s) gin_trgm_ops", spec->column);
          g_autofree char *btree = g_strdup_printf ("USING btree (%s)", spec->column);
          g_autofree char *btree2 = g_strdup_printf ("USING btree (%s,", spec->column);

          if (def == NULL)
            continue;
          if (spec->type == INDEX_TRGM && strstr (def, "USING gin") != NULL
              && (strstr (def, trgm) != NULL || strstr (def, trgm2) != NULL))
            return g_strdup (mw_db_result_get_string (result, i, 0));
          if (spec->type == INDEX_BTREE && (strstr (def, btree) != NULL || strstr (def, btree2) != NULL))
            return g_strdup (mw_db_result_get_string (result, i, 0));
        }
      return NULL;
    }

  if (spec->type == INDEX_TRGM)
    return NULL;
  result = run (db, "SELECT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() "
                    "AND table_name = $1 AND column_name = $2 AND seq_in_index = 1 ORDER BY index_name",
                params, 2, cancellable, error);
  if (result == NULL || mw_db_result_get_n_rows (result) == 0)
    return NULL;
  return g_strdup (mw_db_result_get_string (result, 0, 0));
}

/* A substring of a stored login name, as an admin would type it: four
 * letters from inside the local part ("ce12" of "alice123@..."). */
static char *
pick_search_text (MwDb *db, GCancellable *cancellable, GError **error)
{
  g_autoptr(MwDbResult) result = NULL;
  const char *userid;
  const char *at;
  gsize len, start;

  result = run (db, "SELECT userid FROM {users} WHERE userid NOT LIKE '\\_\\_%' AND userid <> 'anyone' "
                    "ORDER BY user_idnr DESC LIMIT 1", NULL, 0, cancellable, error);
  if (result == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (result) == 0 || (userid = mw_db_result_get_string (result, 0, 0)) == NULL)
    return g_strdup ("mail");
  at = strchr (userid, '@');
  len = at != NULL ? (gsize) (at - userid) : strlen (userid);
  if (len <= 4)
    return g_utf8_strdown (userid, (gssize) len);
  start = len / 3;
  if (start + 4 > len)
    start = len - 4;
  /* Stay on whole characters. */
  while (start > 0 && (userid[start] & 0xC0) == 0x80)
    start--;
  {
    const char *end = g_utf8_offset_to_pointer (userid + start, 4);
    return g_utf8_strdown (userid + start, MIN ((gssize) (end - userid - start), (gssize) (len - start)));
  }
}

/* The list's search counted as the list counts it; its time in ms and
 * whether its plan reads one of @names. */
static gboolean
measure_list (MwSchema *self, MwDb *db, MwListKind kind, const char *text, GPtrArray *names,
              double *ms, gboolean *uses_index, GCancellable *cancellable, GError **error)
{
  MwListRequest req = { .kind = kind, .sort = MW_SORT_DEFAULT, .search = text };
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwDbResult) result = NULL;
  g_autoptr(MwDbResult) plan = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *explain = NULL;
  const MwDbValue *params;
  guint n_params;
  gint64 start;

  if (mw_schema_get_list (self, kind) == NULL)
    return TRUE;
  query = mw_schema_list_query (self, &req, error);
  if (query == NULL)
    return FALSE;
  sql = mw_list_query_build_count_sql (query);
  params = mw_list_query_get_params (query, &n_params);
  start = g_get_monotonic_time ();
  result = run (db, sql, params, n_params, cancellable, error);
  if (result == NULL)
    return FALSE;
  *ms += (g_get_monotonic_time () - start) / 1000.0;

  explain = g_strconcat ("EXPLAIN ", sql, NULL);
  plan = run (db, explain, params, n_params, cancellable, error);
  if (plan == NULL)
    return FALSE;
  for (guint row = 0; row < mw_db_result_get_n_rows (plan); row++)
    for (guint col = 0; col < mw_db_result_get_n_cols (plan); col++)
      {
        const char *cell = mw_db_result_get_string (plan, row, col);

        for (guint i = 0; cell != NULL && i < names->len; i++)
          if (strstr (cell, g_ptr_array_index (names, i)) != NULL)
            *uses_index = TRUE;
      }
  return TRUE;
}

static gboolean
read_trgm (MwDb *db, MwIndexReport *report, GCancellable *cancellable, GError **error)
{
  g_autoptr(MwDbResult) result = NULL;

  result = run (db, "SELECT (SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'), "
                    "(SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm')", NULL, 0, cancellable, error);
  if (result == NULL)
    return FALSE;
  report->trgm_available = mw_db_result_get_int64 (result, 0, 0) > 0;
  report->trgm_installed = mw_db_result_get_int64 (result, 0, 1) > 0;
  if (!report->trgm_available)
    report->note = g_strdup (_("This PostgreSQL server lacks the pg_trgm extension (the package postgresql-contrib "
                               "has it), so only the plain index is offered."));
  else if (!report->trgm_installed)
    report->note = g_strdup (_("The trigram indexes need PostgreSQL's pg_trgm extension, which is not installed in "
                               "this database yet; creating them installs it first (that needs the right to "
                               "create extensions)."));
  return TRUE;
}

MwIndexReport *
mw_schema_index_advise (MwSchema     *self,
                        MwDb         *db,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autoptr(MwIndexReport) report = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gboolean pgsql;
  const IndexSpec *specs;
  guint n_specs;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if (!refuse_unless_advised (self, error))
    return NULL;
  pgsql = mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL;
  report = g_new0 (MwIndexReport, 1);
  report->indexes = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_index_advice_free);
  if (pgsql && !read_trgm (db, report, cancellable, error))
    return NULL;
  if (!pgsql)
    report->note = g_strdup (_("MariaDB and MySQL have no index that finds a part of a word: a search for a part "
                               "of a name reads the narrow indexes on user names and addresses the schema already "
                               "has, so only the index on targets is offered."));

  specs = specs_of (self, &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      const IndexSpec *spec = &specs[i];
      g_autoptr(MwIndexAdvice) advice = NULL;
      GError *local = NULL;

      if (spec->type == INDEX_TRGM && (!pgsql || !report->trgm_available))
        continue;
      advice = g_new0 (MwIndexAdvice, 1);
      advice->name = spec_name (spec);
      advice->table = mw_db_expand_tables (spec->table, mw_db_get_prefix (db));
      advice->definition = spec_definition (spec);
      advice->reason = g_strdup (_(spec->reason));
      advice->existing = find_existing (db, spec, advice->table, cancellable, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      advice->exists = advice->existing != NULL;
      advice->ours = advice->exists && g_str_has_prefix (advice->existing, MW_INDEX_ADVISOR_PREFIX);
      if (!advice->exists)
        report->n_missing++;
      if (advice->ours)
        report->n_ours++;
      g_ptr_array_add (names, g_strdup (advice->exists ? advice->existing : advice->name));
      g_ptr_array_add (report->indexes, g_steal_pointer (&advice));
    }

  report->search_text = pick_search_text (db, cancellable, error);
  if (report->search_text == NULL)
    return NULL;
  if (!measure_list (self, db, MW_LIST_USERS, report->search_text, names, &report->search_ms,
                     &report->search_uses_index, cancellable, error)
      || !measure_list (self, db, MW_LIST_ALIASES, report->search_text, names, &report->search_ms,
                        &report->search_uses_index, cancellable, error))
    return NULL;
  return g_steal_pointer (&report);
}

static void
audit (const MwAdmin *admin, const char *action, const char *name, const char *table, const char *definition)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = mw_db_settings_to_display_uri (mw_db_get_settings (admin->db));
  MwAuditField fields[] = { { "index", name }, { "table", table }, { "definition", definition } };
  gboolean created = g_str_equal (action, "index.create");

  if (!mw_audit_append (admin->profile != NULL ? admin->profile : database, database, action, name,
                        created ? NULL : fields, created ? 0 : 2, created ? fields : NULL,
                        created ? G_N_ELEMENTS (fields) : 0, &error))
    g_warning ("The index was changed, but the audit log could not be written: %s", error->message);
}

static gboolean
install_trgm (MwDb *db, GCancellable *cancellable, GError **error)
{
  g_autoptr(MwDbResult) result = NULL;
  GError *local = NULL;

  result = run (db, "CREATE EXTENSION IF NOT EXISTS pg_trgm", NULL, 0, cancellable, &local);
  if (result != NULL)
    return TRUE;
  if (g_error_matches (local, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED)
      || (local->message != NULL && strstr (local->message, "permission denied") != NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("The server refused to install the pg_trgm extension for this login (%s). A superuser, or "
                     "the database's owner on PostgreSQL 13 and later, can run \"CREATE EXTENSION pg_trgm;\" in "
                     "this database; then create the indexes again."), local->message);
      g_error_free (local);
      return FALSE;
    }
  g_propagate_error (error, local);
  return FALSE;
}

gboolean
mw_schema_index_apply (MwSchema            *self,
                       const MwAdmin       *admin,
                       MwIndexProgressFunc  progress,
                       gpointer             user_data,
                       guint               *n_created,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_autoptr(MwIndexReport) report = NULL;
  MwDb *db = admin->db;
  gboolean pgsql = mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL;
  const IndexSpec *specs;
  guint n_specs, done = 0;

  if (n_created != NULL)
    *n_created = 0;
  if (!refuse_unless_advised (self, error))
    return FALSE;
  if (mw_db_in_transaction (db))
    {
      g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                           _("Indexes are created outside a transaction; finish the transaction first."));
      return FALSE;
    }
  report = mw_schema_index_advise (self, db, cancellable, error);
  if (report == NULL)
    return FALSE;
  if (report->n_missing == 0)
    return TRUE;

  specs = specs_of (self, &n_specs);
  for (guint i = 0; i < report->indexes->len; i++)
    {
      MwIndexAdvice *advice = g_ptr_array_index (report->indexes, i);
      const IndexSpec *spec = NULL;
      g_autofree char *sql = NULL;
      g_autoptr(MwDbResult) result = NULL;
      GError *local = NULL;

      if (advice->exists)
        continue;
      for (guint j = 0; j < n_specs; j++)
        if (g_str_has_suffix (advice->name, specs[j].suffix)
            && strlen (advice->name) == strlen (MW_INDEX_ADVISOR_PREFIX) + strlen (specs[j].suffix))
          spec = &specs[j];
      g_assert (spec != NULL);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress != NULL)
        progress (done, report->n_missing, advice->name, user_data);
      if (admin->dry_run)
        {
          done++;
          if (n_created != NULL)
            *n_created = done;
          continue;
        }
      if (spec->type == INDEX_TRGM && !report->trgm_installed)
        {
          if (!install_trgm (db, cancellable, error))
            return FALSE;
          report->trgm_installed = TRUE;
        }
      if (pgsql && spec->type == INDEX_TRGM)
        sql = g_strdup_printf ("CREATE INDEX CONCURRENTLY IF NOT EXISTS %s ON %s USING gin (lower(%s) gin_trgm_ops)",
                               advice->name, spec->table, spec->column);
      else if (pgsql)
        sql = g_strdup_printf ("CREATE INDEX CONCURRENTLY IF NOT EXISTS %s ON %s (%s)",
                               advice->name, spec->table, spec->column);
      else
        sql = g_strdup_printf ("ALTER TABLE %s ADD INDEX %s (%s), ALGORITHM=INPLACE, LOCK=NONE",
                               spec->table, advice->name, spec->column);
      result = run (db, sql, NULL, 0, cancellable, &local);
      if (result == NULL)
        {
          /* A stopped CREATE INDEX CONCURRENTLY leaves an invalid index behind. */
          if (pgsql)
            {
              g_autofree char *drop = g_strdup_printf ("DROP INDEX CONCURRENTLY IF EXISTS %s", advice->name);
              g_autoptr(MwDbResult) dropped = run (db, drop, NULL, 0, NULL, NULL);
            }
          g_propagate_error (error, local);
          return FALSE;
        }
      audit (admin, "index.create", advice->name, advice->table, advice->definition);
      done++;
      if (n_created != NULL)
        *n_created = done;
    }
  if (progress != NULL)
    progress (done, report->n_missing, NULL, user_data);
  return TRUE;
}

gboolean
mw_schema_index_drop (MwSchema            *self,
                      const MwAdmin       *admin,
                      MwIndexProgressFunc  progress,
                      gpointer             user_data,
                      guint               *n_dropped,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(MwDbResult) ours = NULL;
  MwDb *db = admin->db;
  gboolean pgsql = mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL;
  g_autofree char *pattern = g_strconcat (mw_db_get_prefix (db), "%", NULL);
  MwDbValue params[] = { MW_DB_TEXT (MW_INDEX_ADVISOR_PREFIX "%"), MW_DB_TEXT (pattern) };
  guint n;

  if (n_dropped != NULL)
    *n_dropped = 0;
  if (!refuse_unless_advised (self, error))
    return FALSE;
  /* Only our names, and only on this profile's tables. */
  if (pgsql)
    ours = run (db, "SELECT indexname, tablename FROM pg_indexes WHERE schemaname = current_schema() "
                    "AND left(indexname, 11) = 'mw_advisor_' AND indexname LIKE $1 AND tablename LIKE $2 "
                    "ORDER BY indexname", params, 2, cancellable, error);
  else
    ours = run (db, "SELECT DISTINCT index_name, table_name FROM information_schema.statistics "
                    "WHERE table_schema = DATABASE() AND LEFT(index_name, 11) = 'mw_advisor_' "
                    "AND index_name LIKE $1 AND table_name LIKE $2 ORDER BY index_name", params, 2,
                cancellable, error);
  if (ours == NULL)
    return FALSE;
  n = mw_db_result_get_n_rows (ours);
  for (guint i = 0; i < n; i++)
    {
      const char *name = mw_db_result_get_string (ours, i, 0);
      const char *table = mw_db_result_get_string (ours, i, 1);
      g_autofree char *sql = NULL;
      g_autoptr(MwDbResult) result = NULL;

      g_assert (g_str_has_prefix (name, MW_INDEX_ADVISOR_PREFIX));
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress != NULL)
        progress (i, n, name, user_data);
      if (admin->dry_run)
        {
          if (n_dropped != NULL)
            *n_dropped = i + 1;
          continue;
        }
      sql = pgsql ? g_strdup_printf ("DROP INDEX CONCURRENTLY IF EXISTS %s", name)
                  : g_strdup_printf ("ALTER TABLE %s DROP INDEX %s, ALGORITHM=INPLACE, LOCK=NONE", table, name);
      result = run (db, sql, NULL, 0, cancellable, error);
      if (result == NULL)
        return FALSE;
      audit (admin, "index.drop", name, table, NULL);
      if (n_dropped != NULL)
        *n_dropped = i + 1;
    }
  if (progress != NULL && n > 0)
    progress (n, n, NULL, user_data);
  return TRUE;
}
