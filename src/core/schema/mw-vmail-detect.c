/* mw-vmail-detect.c: recognise ISPmail's and PostfixAdmin's tables, under
 * any table prefix, for mw_schema_detect().
 *
 * Facts: VIRTUAL-MAIL-FACTS.md in the project's shared docs; the real
 * schemas are sql/ispmail/ and sql/postfixadmin/ (the latter made by
 * PostfixAdmin's own upgrade code, tools/gen-postfixadmin-schema).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-vmail-detect"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-sql-dialect.h"
#include "mw-vmail-detect.h"

/* The tables issue 17 names for PostfixAdmin; fetchmail, quota and
 * vacation_notification are there too but nothing Mailwarden does needs them. */
static const char *const postfixadmin_tables[] = {
  "domain", "mailbox", "alias", "alias_domain", "admin", "domain_admins", "vacation", "quota2", "log", "config",
};
/* Tables no other application is likely to have: one of them, with half of
 * the rest, makes a database PostfixAdmin's (missing tables then get named),
 * while "admin", "config" and "log" alone make nothing. */
static const char *const postfixadmin_telling[] = { "mailbox", "alias_domain", "domain_admins" };

static const char *const ispmail_tables[] = { "virtual_domains", "virtual_users", "virtual_aliases" };

/* The columns Mailwarden reads, probed at detection so that a table closed
 * to this user or of another layout is named now, not on the first list. */
static const struct { const char *table; const char *columns; } postfixadmin_probes[] = {
  { "domain", "domain, aliases, mailboxes, maxquota, quota, transport, backupmx, active" },
  { "mailbox", "username, password, name, maildir, quota, local_part, domain, active" },
  { "alias", "address, goto, domain, active" },
};
static const struct { const char *table; const char *columns; } ispmail_probes[] = {
  { "virtual_domains", "id, name" },
  { "virtual_users", "id, domain_id, email, password" },
  { "virtual_aliases", "id, domain_id, source, destination" },
};

/* Schema versions (config.version) whose release is known: what each
 * release's upgrade code leaves, checked on Debian's package. */
static const struct { gint64 schema_version; const char *release; } postfixadmin_releases[] = {
  { 1847, "3.3" },   /* 3.3.13, Debian 12 */
};

/* Listing in the sentence about an unknown database: enough to recognise it. */
#define MAX_TABLES_NAMED 6

static const char *
postfixadmin_release (gint64 schema_version)
{
  for (guint i = 0; i < G_N_ELEMENTS (postfixadmin_releases); i++)
    if (postfixadmin_releases[i].schema_version == schema_version)
      return postfixadmin_releases[i].release;
  return NULL;
}

/* "PostfixAdmin 3.3" or "PostfixAdmin": a product's name, not translated. */
static char *
product_name (const MwSchemaInfo *info)
{
  const char *release;

  if (info->kind == MW_SCHEMA_ISPMAIL)
    return g_strdup ("ISPmail");
  release = postfixadmin_release (info->schema_version);
  return release != NULL ? g_strconcat ("PostfixAdmin ", release, NULL) : g_strdup ("PostfixAdmin");
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Every table of the current schema (PostgreSQL) or database (MySQL),
 * sorted, as the server spells them. */
static GPtrArray *
list_all_tables (MwDb          *db,
                 GCancellable  *cancellable,
                 GError       **error)
{
  MwDbValue params[] = { MW_DB_TEXT ("%") };
  g_autoptr(MwDbResult) result = NULL;
  GPtrArray *names;

  result = mw_db_exec (db, mw_sql_tables_query (mw_db_get_driver (db)), params, 1, cancellable, error);
  if (result == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < mw_db_result_get_n_rows (result); i++)
    g_ptr_array_add (names, g_strdup (mw_db_result_get_string (result, i, 0)));
  g_ptr_array_sort (names, compare_names);
  return names;
}

typedef struct
{
  char  *prefix;     /* as the server spells it */
  guint  n_present;
  guint  n_telling;
} Candidate;

static gboolean
has_table (GHashTable *lower_names,
           const char *prefix,
           const char *table)
{
  g_autofree char *name = g_strconcat (prefix, table, NULL);
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_hash_table_contains (lower_names, lower);
}

/* The prefix under which most of @wanted are there: every table name that
 * ends in a wanted name proposes the rest as a prefix. Ties go to the
 * profile's prefix, then to the shorter one (no prefix at all first). */
static Candidate
find_best_prefix (GPtrArray          *names,
                  GHashTable         *lower_names,
                  const char *const  *wanted,
                  guint               n_wanted,
                  const char *const  *telling,
                  guint               n_telling,
                  const char         *profile_prefix)
{
  Candidate best = { NULL, 0, 0 };

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *lower = g_ascii_strdown (name, -1);

      for (guint w = 0; w < n_wanted; w++)
        {
          g_autofree char *prefix = NULL;
          guint n_present = 0;
          guint n_tell = 0;
          gboolean better;

          if (!g_str_has_suffix (lower, wanted[w]))
            continue;
          prefix = g_strndup (name, strlen (name) - strlen (wanted[w]));
          if (*prefix != '\0' && !mw_db_prefix_is_valid (prefix))
            continue;
          for (guint k = 0; k < n_wanted; k++)
            if (has_table (lower_names, prefix, wanted[k]))
              n_present++;
          for (guint k = 0; k < n_telling; k++)
            if (has_table (lower_names, prefix, telling[k]))
              n_tell++;

          if (best.prefix == NULL || n_present > best.n_present)
            better = TRUE;
          else if (n_present < best.n_present)
            better = FALSE;
          else if (g_ascii_strcasecmp (prefix, profile_prefix) == 0)
            better = g_ascii_strcasecmp (best.prefix, profile_prefix) != 0;
          else
            better = g_ascii_strcasecmp (best.prefix, profile_prefix) != 0 && strlen (prefix) < strlen (best.prefix);
          if (better)
            {
              g_free (best.prefix);
              best.prefix = g_steal_pointer (&prefix);
              best.n_present = n_present;
              best.n_telling = n_tell;
            }
        }
    }
  return best;
}

/* SELECT of the columns Mailwarden reads: a closed table is the server's
 * own "permission denied"; another layout a sentence naming the table. */
static gboolean
probe_table (MwDb          *db,
             MwSchemaKind   kind,
             const char    *table,
             const char    *columns,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE 1 = 0", columns, table);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(MwDbResult) r = NULL;

  r = mw_db_exec (db, sql, NULL, 0, cancellable, &local_error);
  if (r != NULL)
    return TRUE;
  if (mw_db_in_transaction (db))
    mw_db_rollback (db, NULL);
  if (local_error->domain != MW_DB_ERROR ||
      local_error->code == MW_DB_ERROR_PERMISSION_DENIED ||
      local_error->code == MW_DB_ERROR_CANCELLED ||
      local_error->code == MW_DB_ERROR_CONNECTION_LOST)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (kind == MW_SCHEMA_ISPMAIL)
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE,
                 /* Translators: the first %s is a table name, the second the database server's own message */
                 _("This looks like an ISPmail database, but its table “%s” lacks columns Mailwarden needs: %s"),
                 table, local_error->message);
  else
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE,
                 /* Translators: the first %s is a table name, the second the database server's own message */
                 _("This looks like a PostfixAdmin database, but its table “%s” lacks columns Mailwarden needs: %s"),
                 table, local_error->message);
  return FALSE;
}

/* information_schema lists only the tables this user may use: a missing
 * table may be a closed one. The server's own error says which. */
static gboolean
missing_is_closed (MwDb          *db,
                   GPtrArray     *missing,
                   GCancellable  *cancellable,
                   GError       **error)
{
  for (guint i = 0; i < missing->len; i++)
    {
      const char *name = g_ptr_array_index (missing, i);
      g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE 1 = 0", name);
      g_autoptr(GError) probe_error = NULL;
      g_autoptr(MwDbResult) r = NULL;

      r = mw_db_exec (db, sql, NULL, 0, cancellable, &probe_error);
      if (r == NULL && mw_db_in_transaction (db))
        mw_db_rollback (db, NULL);
      if (r == NULL && g_error_matches (probe_error, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED))
        {
          g_propagate_error (error, g_steal_pointer (&probe_error));
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
check_complete (MwDb              *db,
                MwSchemaKind       kind,
                const char        *prefix,
                GHashTable        *lower_names,
                const char *const *wanted,
                guint              n_wanted,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;

  for (guint i = 0; i < n_wanted; i++)
    if (!has_table (lower_names, prefix, wanted[i]))
      g_ptr_array_add (missing, g_strconcat (prefix, wanted[i], NULL));
  if (missing->len == 0)
    return TRUE;
  if (missing_is_closed (db, missing, cancellable, error))
    return FALSE;
  g_ptr_array_add (missing, NULL);
  list = g_strjoinv (", ", (char **) missing->pdata);
  if (kind == MW_SCHEMA_ISPMAIL)
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE,
                 /* Translators: %s is a list of table names */
                 _("This looks like an ISPmail database, but these tables are missing: %s."), list);
  else
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE,
                 /* Translators: %s is a list of table names */
                 _("This looks like a PostfixAdmin database, but these tables are missing: %s."), list);
  return FALSE;
}

/* Whether virtual_domains.name has a unique key of its own (the Debian 13
 * edition of the tutorial adds it; 11 and 12 have none). */
static gboolean
ispmail_unique_domain_names (MwDb          *db,
                             const char    *table,
                             GCancellable  *cancellable,
                             GError       **error)
{
  MwDbValue params[] = { MW_DB_TEXT (table) };
  g_autoptr(MwDbResult) r = NULL;
  const char *sql;

  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    sql = "SELECT 1 FROM pg_catalog.pg_index i "
          "JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
          "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] "
          "WHERE c.relname = $1 AND pg_catalog.pg_table_is_visible (c.oid) "
          "AND i.indisunique AND i.indnatts = 1 AND a.attname = 'name'";
  else
    sql = "SELECT 1 FROM information_schema.statistics s "
          "WHERE s.table_schema = DATABASE() AND s.table_name = $1 AND s.column_name = 'name' "
          "AND s.non_unique = 0 AND s.seq_in_index = 1 "
          "AND NOT EXISTS (SELECT 1 FROM information_schema.statistics o "
          "WHERE o.table_schema = s.table_schema AND o.table_name = s.table_name "
          "AND o.index_name = s.index_name AND o.seq_in_index > 1)";
  r = mw_db_exec (db, sql, params, 1, cancellable, error);
  if (r == NULL)
    return FALSE;
  return mw_db_result_get_n_rows (r) > 0;
}

static MwSchemaInfo *
new_info (MwDb         *db,
          MwSchemaKind  kind,
          const char   *prefix)
{
  MwSchemaInfo *info = g_new0 (MwSchemaInfo, 1);

  info->kind = kind;
  info->flavour = g_strdup (kind == MW_SCHEMA_ISPMAIL ? "ispmail" : "postfixadmin");
  info->driver = mw_db_get_driver (db);
  info->prefix = g_strdup (prefix);
  info->server_version = mw_db_get_server_version (db);
  return info;
}

static MwSchemaInfo *
detect_postfixadmin (MwDb          *db,
                     const char    *prefix,
                     GHashTable    *lower_names,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autofree char *config = g_strconcat (prefix, "config", NULL);
  g_autoptr(MwDbResult) r = NULL;
  g_autofree char *sql = NULL;

  if (!check_complete (db, MW_SCHEMA_POSTFIXADMIN, prefix, lower_names, postfixadmin_tables,
                       G_N_ELEMENTS (postfixadmin_tables), cancellable, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (postfixadmin_probes); i++)
    {
      g_autofree char *table = g_strconcat (prefix, postfixadmin_probes[i].table, NULL);

      if (!probe_table (db, MW_SCHEMA_POSTFIXADMIN, table, postfixadmin_probes[i].columns, cancellable, error))
        return NULL;
    }

  info = new_info (db, MW_SCHEMA_POSTFIXADMIN, prefix);
  /* The domain is the primary key of its table. */
  info->unique_domain_names = TRUE;
  /* Its upgrade code keeps the number of the last step it ran here. */
  sql = g_strdup_printf ("SELECT value FROM %s WHERE name = 'version'", config);
  r = mw_db_exec (db, sql, NULL, 0, cancellable, error);
  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 1 && !mw_db_result_is_null (r, 0, 0))
    info->schema_version = g_ascii_strtoll (mw_db_result_get_string (r, 0, 0), NULL, 10);
  return g_steal_pointer (&info);
}

static MwSchemaInfo *
detect_ispmail (MwDb          *db,
                const char    *prefix,
                GHashTable    *lower_names,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autofree char *domains = g_strconcat (prefix, "virtual_domains", NULL);
  g_autoptr(GError) local_error = NULL;

  if (!check_complete (db, MW_SCHEMA_ISPMAIL, prefix, lower_names, ispmail_tables,
                       G_N_ELEMENTS (ispmail_tables), cancellable, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (ispmail_probes); i++)
    {
      g_autofree char *table = g_strconcat (prefix, ispmail_probes[i].table, NULL);

      if (!probe_table (db, MW_SCHEMA_ISPMAIL, table, ispmail_probes[i].columns, cancellable, error))
        return NULL;
    }

  info = new_info (db, MW_SCHEMA_ISPMAIL, prefix);
  info->unique_domain_names = ispmail_unique_domain_names (db, domains, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&info);
}

MwSchemaInfo *
_mw_vmail_detect (MwDb          *db,
                  const char    *profile_prefix,
                  GStrv         *found_tables,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) lower_names = NULL;
  Candidate pfa;
  Candidate isp;
  gboolean is_pfa;
  gboolean is_isp;
  MwSchemaInfo *info = NULL;

  g_assert (found_tables != NULL && *found_tables == NULL);

  names = list_all_tables (db, cancellable, error);
  if (names == NULL)
    return NULL;
  lower_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < names->len; i++)
    g_hash_table_add (lower_names, g_ascii_strdown (g_ptr_array_index (names, i), -1));

  pfa = find_best_prefix (names, lower_names, postfixadmin_tables, G_N_ELEMENTS (postfixadmin_tables),
                          postfixadmin_telling, G_N_ELEMENTS (postfixadmin_telling), profile_prefix);
  isp = find_best_prefix (names, lower_names, ispmail_tables, G_N_ELEMENTS (ispmail_tables),
                          ispmail_tables, G_N_ELEMENTS (ispmail_tables), profile_prefix);
  is_pfa = pfa.prefix != NULL && pfa.n_present >= G_N_ELEMENTS (postfixadmin_tables) / 2 && pfa.n_telling > 0;
  is_isp = isp.prefix != NULL && isp.n_present >= 2;

  /* Both in one database: the complete one, PostfixAdmin when both are. */
  if (is_pfa && is_isp)
    {
      if (isp.n_present == G_N_ELEMENTS (ispmail_tables) && pfa.n_present < G_N_ELEMENTS (postfixadmin_tables))
        is_pfa = FALSE;
      else
        is_isp = FALSE;
    }

  if (is_pfa)
    info = detect_postfixadmin (db, pfa.prefix, lower_names, cancellable, error);
  else if (is_isp)
    info = detect_ispmail (db, isp.prefix, lower_names, cancellable, error);
  else
    {
      g_ptr_array_add (names, NULL);
      *found_tables = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
    }

  g_free (pfa.prefix);
  g_free (isp.prefix);
  return info;
}

void
_mw_vmail_set_unknown_error (const char *const  *found_tables,
                             const char         *dbmail_prefix,
                             GError            **error)
{
  guint n = found_tables != NULL ? g_strv_length ((GStrv) found_tables) : 0;
  g_autoptr(GString) list = g_string_new (NULL);

  if (n == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE,
                   /* Translators: %s is DBMail's table prefix, as in “dbmail_users” */
                   _("This database has no tables, so no mail schema Mailwarden knows: DBMail (a table “%susers”), ISPmail or PostfixAdmin."),
                   dbmail_prefix);
      return;
    }

  for (guint i = 0; i < n && i < MAX_TABLES_NAMED; i++)
    {
      if (i > 0)
        /* Translators: between the names of tables in a list */
        g_string_append (list, _(", "));
      g_string_append (list, found_tables[i]);
    }
  if (n > MAX_TABLES_NAMED)
    /* Translators: after a list of table names that goes on */
    g_string_append (list, _(", …"));

  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE,
               g_dngettext (GETTEXT_PACKAGE,
                            /* Translators: the first %s is a table name, the second DBMail's table prefix,
                             * as in “dbmail_users” */
                            "This database has the table %s but no mail schema Mailwarden knows: DBMail (a table “%susers”), ISPmail or PostfixAdmin.",
                            "This database has the tables %s but no mail schema Mailwarden knows: DBMail (a table “%susers”), ISPmail or PostfixAdmin.",
                            n),
               list->str, dbmail_prefix);
}

char *
_mw_vmail_describe (const MwSchemaInfo *info)
{
  g_autofree char *name = product_name (info);

  g_return_val_if_fail (info->kind == MW_SCHEMA_ISPMAIL || info->kind == MW_SCHEMA_POSTFIXADMIN, NULL);

  if (info->schema_version > 0)
    {
      g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, info->schema_version);

      /* Translators: "DBMail 3.x (schema 35002) on PostgreSQL 15.4" */
      return g_strdup_printf (_("%s (schema %s) on %s"), name, version, info->server_version);
    }
  /* Translators: "DBMail 3.x on PostgreSQL 15.4" */
  return g_strdup_printf (_("%s on %s"), name, info->server_version);
}

void
_mw_vmail_set_cannot_manage_error (const MwSchemaInfo  *info,
                                   GError             **error)
{
  g_autofree char *name = product_name (info);

  g_return_if_fail (info->kind == MW_SCHEMA_ISPMAIL || info->kind == MW_SCHEMA_POSTFIXADMIN);

  if (info->kind == MW_SCHEMA_ISPMAIL)
    g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE,
                         _("This is an ISPmail database. Mailwarden can read its schema but cannot manage ISPmail accounts yet."));
  else
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE,
                 /* Translators: %s is "PostfixAdmin 3.3" or "PostfixAdmin" */
                 _("This is a %s database. Mailwarden can read its schema but cannot manage PostfixAdmin accounts yet."),
                 name);
}
