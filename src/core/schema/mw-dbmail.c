/* mw-dbmail.c: the DBMail flavour, read side: lists, find, account details.
 *
 * Every statement that reads the DBMail tables for these operations is in this
 * file. Follows DBMAIL-FACTS.md: names compare case-insensitively, deliver_to
 * of digits only is a user number, anything else a forward target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dbmail.h"
#include "mw-dbmail-admin.h"
#include "mw-dbmail-private.h"
#include "mw-sql-dialect.h"

#define NOT_SYSTEM(col) col " NOT IN ('" MW_DBMAIL_DELIVERY_USER "', '" MW_DBMAIL_ANYONE_USER "', '" MW_DBMAIL_PUBLIC_USER "')"

char *
_mw_dbmail_key (gint64 number)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, number);
}

gboolean
_mw_dbmail_parse_key (const char       *key,
                      MwDbmailKeyKind   kind,
                      gint64           *number,
                      GError          **error)
{
  guint64 value = 0;
  gsize len = key != NULL ? strlen (key) : 0;
  g_autofree char *shown = NULL;

  /* Only what _mw_dbmail_key() writes: keys are compared as strings, so
   * "042" or "+42" must not name the same row as "42". */
  if (len > 0 && len <= 18 && key[0] != '0' &&
      strspn (key, "0123456789") == len &&
      g_ascii_string_to_unsigned (key, 10, 1, G_MAXINT64, &value, NULL))
    {
      *number = (gint64) value;
      return TRUE;
    }

  shown = g_utf8_make_valid (key != NULL ? key : "", -1);
  switch (kind)
    {
    case MW_DBMAIL_KEY_ACCOUNT:
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no such account: “%s” is not an account’s key in this database."),
                   shown);
      break;
    case MW_DBMAIL_KEY_ADDRESS:
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no such address: “%s” is not an address’s key in this database."),
                   shown);
      break;
    case MW_DBMAIL_KEY_MAILBOX:
    default:
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no such mailbox: “%s” is not a mailbox’s key in this database."),
                   shown);
      break;
    }
  return FALSE;
}

gboolean
mw_dbmail_is_system_user (const char *userid)
{
  return userid != NULL &&
         (g_ascii_strcasecmp (userid, MW_DBMAIL_DELIVERY_USER) == 0 ||
          g_ascii_strcasecmp (userid, MW_DBMAIL_ANYONE_USER) == 0 ||
          g_ascii_strcasecmp (userid, MW_DBMAIL_PUBLIC_USER) == 0);
}

const char *
mw_dbmail_list_kind_name (MwListKind kind)
{
  g_return_val_if_fail (kind < MW_N_LISTS, NULL);
  return mw_dbmail_list_info (kind)->id;
}

gboolean
mw_dbmail_parse_sort (MwListKind  kind,
                      const char *name,
                      MwListSort *sort)
{
  static const struct { const char *name; MwListSort sort; } sorts[] = {
    { "name", MW_SORT_NAME }, { "alias", MW_SORT_NAME }, { "domain", MW_SORT_NAME },
    { "number", MW_SORT_NUMBER }, { "id", MW_SORT_NUMBER },
    { "size", MW_SORT_MAIL_SIZE }, { "mail-size", MW_SORT_MAIL_SIZE },
    { "quota", MW_SORT_QUOTA },
    { "last-login", MW_SORT_LAST_LOGIN }, { "login", MW_SORT_LAST_LOGIN },
    { "group", MW_SORT_GROUP },
    { "owner", MW_SORT_OWNER }, { "user", MW_SORT_OWNER },
    { "target", MW_SORT_TARGET },
    { "count", MW_SORT_COUNT }, { "users", MW_SORT_COUNT }, { "addresses", MW_SORT_COUNT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    if (g_ascii_strcasecmp (name, sorts[i].name) == 0)
      {
        *sort = sorts[i].sort;
        return TRUE;
      }
  return FALSE;
}

static gboolean
set_bad_sort (GError **error)
{
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
               _("This list cannot be sorted that way."));
  return FALSE;
}

/* Every list ends the same way: the query over the SQL built so far, then
 * the group and the search as its parameters, in the order the SQL numbered
 * them. The search is a LIKE pattern, or the plain lower-cased text. */
static MwListQuery *
finish_query (GString             *sql,
              const char          *sort_col,
              const char          *key_col,
              const MwListRequest *req,
              gboolean             search_as_pattern)
{
  MwListQuery *query = mw_list_query_new (sql->str, sort_col, key_col, req->descending);

  g_string_free (sql, TRUE);
  if (req->has_group)
    mw_list_query_add_int64 (query, req->group);
  if (req->search != NULL && req->search[0] != '\0')
    {
      g_autofree char *lower = g_utf8_strdown (req->search, -1);
      g_autofree char *value = search_as_pattern ? mw_sql_like_contains (req->search) : mw_sql_like_escape (lower);

      mw_list_query_add_text (query, value);
    }
  return query;
}

static MwListQuery *
users_query (MwDbDriver           driver,
             const MwListRequest *req,
             GError             **error)
{
  g_autofree char *to_bigint = mw_sql_text_to_bigint (driver, "a.deliver_to");
  GString *sql = g_string_new ("SELECT u.user_idnr, u.userid, u.client_idnr, u.maxmail_size, "
                               "u.curmail_size, u.last_login, u.encryption_type, u.active "
                               "FROM {users} u WHERE " NOT_SYSTEM ("u.userid"));
  const char *sort_col;
  guint n = 0;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "userid"; break;
    case MW_SORT_NUMBER: sort_col = "user_idnr"; break;
    case MW_SORT_MAIL_SIZE: sort_col = "curmail_size"; break;
    case MW_SORT_QUOTA: sort_col = "maxmail_size"; break;
    case MW_SORT_LAST_LOGIN: sort_col = "last_login"; break;
    case MW_SORT_GROUP: sort_col = "client_idnr"; break;
    default:
      set_bad_sort (error);
      g_string_free (sql, TRUE);
      return NULL;
    }

  if (req->has_group)
    g_string_append_printf (sql, " AND u.client_idnr = $%u", ++n);
  if (req->search != NULL && req->search[0] != '\0')
    {
      n++;
      /* PostgreSQL: one set of numbers, so that each half can use its
       * trigram index (the index advisor's); an OR with a subquery reads
       * every user. The rows are the same: user_idnr is the key. */
      if (driver == MW_DB_DRIVER_PGSQL)
        g_string_append_printf (sql, " AND u.user_idnr IN (SELECT x.user_idnr FROM {users} x WHERE lower(x.userid) "
                                "LIKE $%u UNION SELECT %s FROM {aliases} a WHERE lower(a.alias) LIKE $%u)",
                                n, to_bigint, n);
      else
        g_string_append_printf (sql, " AND (lower(u.userid) LIKE $%u OR u.user_idnr IN "
                                "(SELECT %s FROM {aliases} a WHERE lower(a.alias) LIKE $%u))",
                                n, to_bigint, n);
    }

  /* userid is unique (the schema's UNIQUE index), and so is user_idnr. */
  {
    gboolean unfiltered = !req->has_group && (req->search == NULL || req->search[0] == '\0');
    MwListQuery *query = finish_query (sql, sort_col,
                                       g_str_equal (sort_col, "userid") || g_str_equal (sort_col, "user_idnr")
                                       ? sort_col : "user_idnr", req, TRUE);

    /* All users: the table's statistics less the three system accounts. */
    if (unfiltered && driver == MW_DB_DRIVER_PGSQL)
      mw_list_query_set_estimate_sql (query, "SELECT CAST(GREATEST(c.reltuples, 0) AS BIGINT) - 3 AS n FROM pg_class c "
                                             "WHERE c.oid = to_regclass('{users}')");
    else if (unfiltered)
      mw_list_query_set_estimate_sql (query, "SELECT CAST(TABLE_ROWS AS SIGNED) - 3 AS n FROM information_schema.TABLES "
                                             "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{users}'");
    return query;
  }
}

/* The group and the search of an alias list, numbered as finish_query()
 * binds them: " AND a.client_idnr = $1 AND (lower(x) LIKE $2 OR lower(y) LIKE $2)". */
static void
append_alias_filters (GString             *sql,
                      const MwListRequest *req,
                      const char          *search_a,
                      const char          *search_b)
{
  guint n = 0;

  if (req->has_group)
    g_string_append_printf (sql, " AND a.client_idnr = $%u", ++n);
  if (req->search != NULL && req->search[0] != '\0')
    {
      n++;
      g_string_append_printf (sql, " AND (lower(%s) LIKE $%u OR lower(%s) LIKE $%u)", search_a, n, search_b, n);
    }
}

static MwListQuery *
aliases_query (MwDbDriver           driver,
               const MwListRequest *req,
               GError             **error)
{
  g_autofree char *to_bigint = mw_sql_text_to_bigint (driver, "a.deliver_to");
  g_autofree char *digits = mw_sql_is_digits (driver, "a.deliver_to");
  GString *sql = g_string_new (NULL);
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "alias"; break;
    case MW_SORT_NUMBER: sort_col = "alias_idnr"; break;
    case MW_SORT_GROUP: sort_col = "client_idnr"; break;
    case MW_SORT_OWNER: sort_col = "owner"; break;
    default:
      set_bad_sort (error);
      g_string_free (sql, TRUE);
      return NULL;
    }

  g_string_append_printf (sql,
                          "SELECT a.alias_idnr, a.alias, a.deliver_to, a.client_idnr, "
                          "COALESCE(u.userid, '') AS owner, u.user_idnr AS owner_idnr "
                          "FROM {aliases} a LEFT JOIN {users} u ON u.user_idnr = %s "
                          "WHERE %s", to_bigint, digits);
  append_alias_filters (sql, req, "a.alias", "u.userid");

  return finish_query (sql, sort_col, g_str_equal (sort_col, "alias_idnr") ? sort_col : "alias_idnr", req, TRUE);
}

static MwListQuery *
forwards_query (MwDbDriver           driver,
                const MwListRequest *req,
                GError             **error)
{
  g_autofree char *to_bigint = mw_sql_text_to_bigint (driver, "a2.deliver_to");
  g_autofree char *digits = mw_sql_is_digits (driver, "a.deliver_to");
  g_autofree char *digits2 = mw_sql_is_digits (driver, "a2.deliver_to");
  g_autofree char *same = mw_sql_ci_equal (driver, "a2.alias", "a.alias");
  GString *sql = g_string_new (NULL);
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "alias"; break;
    case MW_SORT_NUMBER: sort_col = "alias_idnr"; break;
    case MW_SORT_GROUP: sort_col = "client_idnr"; break;
    case MW_SORT_OWNER: sort_col = "owner"; break;
    case MW_SORT_TARGET: sort_col = "deliver_to"; break;
    default:
      set_bad_sort (error);
      g_string_free (sql, TRUE);
      return NULL;
    }

  /* The owner of a forward is the user that an alias row with the same
   * address delivers to: the forward "hangs off" that user's alias. */
  g_string_append_printf (sql,
                          "SELECT a.alias_idnr, a.alias, a.deliver_to, a.client_idnr, "
                          "COALESCE((SELECT min(u.userid) FROM {aliases} a2 "
                          "JOIN {users} u ON u.user_idnr = %s WHERE %s AND %s), '') AS owner "
                          "FROM {aliases} a WHERE NOT %s",
                          to_bigint, same, digits2, digits);
  append_alias_filters (sql, req, "a.alias", "a.deliver_to");

  return finish_query (sql, sort_col, "alias_idnr", req, TRUE);
}

static MwListQuery *
domains_query (MwDbDriver           driver,
               const MwListRequest *req,
               GError             **error)
{
  g_autofree char *domain = mw_sql_domain_of (driver, "a.alias");
  g_autofree char *digits = mw_sql_is_digits (driver, "a.deliver_to");
  GString *sql = g_string_new (NULL);
  const char *sort_col;
  guint n = 0;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "domain"; break;
    case MW_SORT_COUNT: sort_col = "addresses"; break;
    default:
      set_bad_sort (error);
      g_string_free (sql, TRUE);
      return NULL;
    }

  /* Addresses, not rows: an address that fans out to two targets, or that
   * reaches a user and also forwards (a BCC), counts once, and as many
   * times under "to users" and "forwards" as it has kinds of target. DBMail
   * compares addresses without regard to case. */
  g_string_append_printf (sql,
                          "SELECT y.domain, count(*) AS addresses, SUM(y.to_user) AS user_aliases, "
                          "SUM(y.forwarding) AS forwards FROM "
                          "(SELECT x.domain, MAX(x.is_user) AS to_user, MAX(1 - x.is_user) AS forwarding FROM "
                          "(SELECT %s AS domain, lower(a.alias) AS address, CASE WHEN %s THEN 1 ELSE 0 END AS is_user "
                          "FROM {aliases} a", domain, digits);
  if (req->has_group)
    g_string_append_printf (sql, " WHERE a.client_idnr = $%u", ++n);
  g_string_append (sql, ") x WHERE x.domain IS NOT NULL");
  if (req->search != NULL && req->search[0] != '\0')
    g_string_append_printf (sql, " AND x.domain LIKE $%u", ++n);
  g_string_append (sql, " GROUP BY x.domain, x.address) y GROUP BY y.domain");

  return finish_query (sql, sort_col, "domain", req, TRUE);
}

static MwListQuery *
groups_query (MwDbDriver           driver,
              const MwListRequest *req,
              GError             **error)
{
  g_autofree char *domain = mw_sql_domain_of (driver, "a.alias");
  g_autofree char *agg_x = mw_sql_string_agg_distinct (driver, "x.domain", ", ");
  g_autofree char *digits = mw_sql_is_digits (driver, "a.deliver_to");
  g_autofree char *id_text = mw_sql_int_to_text (driver, "gg.client_idnr");
  GString *sql = g_string_new (NULL);
  const char *sort_col;
  guint n = 0;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NUMBER:
    case MW_SORT_GROUP: sort_col = "client_idnr"; break;
    case MW_SORT_COUNT: sort_col = "users"; break;
    case MW_SORT_MAIL_SIZE: sort_col = "mail_size"; break;
    default:
      set_bad_sort (error);
      g_string_free (sql, TRUE);
      return NULL;
    }

  /* One pass over the aliases for every group's domains (a subquery per
   * group would scan them once a group, and there is no index on
   * aliases.client_idnr in DBMail's PostgreSQL schema). */
  g_string_append_printf (sql,
                          "SELECT gg.* FROM (SELECT g.client_idnr, g.users, g.mail_size, "
                          "COALESCE(d.domains, '') AS domains "
                          "FROM (SELECT u.client_idnr, count(*) AS users, SUM(u.curmail_size) AS mail_size "
                          "FROM {users} u WHERE " NOT_SYSTEM ("u.userid") " GROUP BY u.client_idnr) g "
                          "LEFT JOIN (SELECT x.client_idnr, %s AS domains FROM "
                          "(SELECT a.client_idnr, %s AS domain FROM {aliases} a WHERE %s) x "
                          "WHERE x.domain IS NOT NULL GROUP BY x.client_idnr) d ON d.client_idnr = g.client_idnr) gg",
                          agg_x, domain, digits);
  if (req->has_group)
    g_string_append_printf (sql, " WHERE gg.client_idnr = $%u", ++n);
  if (req->search != NULL && req->search[0] != '\0')
    {
      n++;
      g_string_append_printf (sql, " %s (%s = $%u OR lower(gg.domains) LIKE concat('%%', $%u, '%%'))",
                              req->has_group ? "AND" : "WHERE", id_text, n, n);
    }

  return finish_query (sql, sort_col, "client_idnr", req, FALSE);
}

MwListQuery *
mw_dbmail_list_query (MwDbDriver           driver,
                      const MwListRequest *request,
                      GError             **error)
{
  g_return_val_if_fail (request != NULL, NULL);

  if (request->search != NULL && !g_utf8_validate (request->search, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The search text is not valid UTF-8."));
      return NULL;
    }
  if (request->search != NULL && strlen (request->search) > 255)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The search text is too long: use at most 255 bytes."));
      return NULL;
    }

  switch (request->kind)
    {
    case MW_LIST_USERS: return users_query (driver, request, error);
    case MW_LIST_ALIASES: return aliases_query (driver, request, error);
    case MW_LIST_FORWARDS: return forwards_query (driver, request, error);
    case MW_LIST_DOMAINS: return domains_query (driver, request, error);
    case MW_LIST_GROUPS: return groups_query (driver, request, error);
    default:
      /* Alias domains, vacations, domain admins: PostfixAdmin's, not DBMail's. */
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("A DBMail database has no such list."));
      return NULL;
    }
}

MwDbResult *
mw_dbmail_list_group_counts (MwDb          *db,
                             GCancellable  *cancellable,
                             GError       **error)
{
  return mw_db_exec (db, "SELECT client_idnr, count(*) AS users FROM {users} WHERE " NOT_SYSTEM ("userid")
                     " GROUP BY client_idnr ORDER BY client_idnr", NULL, 0, cancellable, error);
}

/* Find */

static MwFound *
found_user (gint64      user_idnr,
            const char *userid,
            const char *matched_by,
            const char *alias)
{
  MwFound *found = g_new0 (MwFound, 1);

  found->kind = MW_FOUND_ACCOUNT;
  found->key = _mw_dbmail_key (user_idnr);
  found->name = g_strdup (userid);
  found->matched_by = g_strdup (matched_by);
  found->address = g_strdup (alias);
  return found;
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* One alias address: a user, a forward, or nothing (NULL without error). */
static MwFound *
resolve_alias (MwDb          *db,
               const char    *address,
               const char    *matched_by,
               GCancellable  *cancellable,
               GError       **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autofree char *eq = mw_sql_ci_equal (driver, "a.alias", "$1");
  g_autofree char *to_bigint = mw_sql_text_to_bigint (driver, "a.deliver_to");
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) result = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  MwDbValue params[] = { MW_DB_TEXT (address) };
  MwFound *found = NULL;
  guint n;

  sql = g_strdup_printf ("SELECT a.alias, a.deliver_to, u.user_idnr, u.userid FROM {aliases} a "
                         "LEFT JOIN {users} u ON u.user_idnr = %s "
                         "WHERE %s AND lower(a.alias) <> lower(a.deliver_to) "
                         "ORDER BY u.userid IS NULL, a.alias_idnr", to_bigint, eq);
  result = mw_db_exec (db, sql, params, 1, cancellable, error);
  if (result == NULL)
    return NULL;

  n = mw_db_result_get_n_rows (result);
  for (guint i = 0; i < n; i++)
    {
      const char *target = mw_db_result_get_string (result, i, 1);

      if (!mw_db_result_is_null (result, i, 2) && found == NULL &&
          !mw_dbmail_is_system_user (mw_db_result_get_string (result, i, 3)))
        found = found_user (mw_db_result_get_int64 (result, i, 2), mw_db_result_get_string (result, i, 3),
                            matched_by, mw_db_result_get_string (result, i, 0));
      g_ptr_array_add (targets, g_strdup (target));
    }
  if (n == 0)
    return NULL;

  if (found == NULL)
    {
      found = g_new0 (MwFound, 1);
      found->kind = MW_FOUND_FORWARD;
      found->matched_by = g_strdup (matched_by);
      found->address = g_strdup (mw_db_result_get_string (result, 0, 0));
    }
  g_ptr_array_add (targets, NULL);
  found->targets = (GStrv) g_ptr_array_free (g_steal_pointer (&targets), FALSE);
  return found;
}

static MwFound *
find_by_name (MwDb          *db,
              const char    *name,
              const char    *matched_by,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (db), "userid", "$1");
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) result = NULL;
  MwDbValue params[] = { MW_DB_TEXT (name) };

  /* DBMail looks names up with lower(userid) = lower(?); prefer the exact
   * spelling when PostgreSQL holds two that differ only in case. */
  sql = g_strdup_printf ("SELECT user_idnr, userid FROM {users} WHERE %s AND " NOT_SYSTEM ("userid")
                         " ORDER BY CASE WHEN userid = $1 THEN 0 ELSE 1 END, user_idnr LIMIT 1", eq);
  result = mw_db_exec (db, sql, params, 1, cancellable, error);
  if (result == NULL || mw_db_result_get_n_rows (result) == 0)
    return NULL;
  return found_user (mw_db_result_get_int64 (result, 0, 0), mw_db_result_get_string (result, 0, 1),
                     matched_by, NULL);
}

/**
 * mw_dbmail_find_user:
 * @text: a user name, a user number or an address
 *
 * Looks @text up the way a person means it: a number is a user number, then
 * a user name (case-insensitive, as DBMail), then the address resolved in
 * DBMail's delivery order (alias, alias without +detail, user name without
 * +detail, domain catch-all walking up the domain, local-part catch-all).
 * Fails with %MW_SCHEMA_ERROR_NOT_FOUND when nothing matches.
 */
MwFound *
mw_dbmail_find_user (MwDb          *db,
                     const char    *text,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *needle = NULL;
  g_autoptr(GError) local_error = NULL;
  MwFound *found;
  const char *at;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The search text is not valid UTF-8."));
      return NULL;
    }
  needle = g_strstrip (g_strdup (text));
  if (needle[0] == '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("Type a user name, a user number or an address."));
      return NULL;
    }
  if (strlen (needle) > 255)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("Nothing matches: the text is longer than any name or address can be."));
      return NULL;
    }

#define TRY(expr) \
  G_STMT_START { \
    found = (expr); \
    if (found != NULL) \
      return found; \
    if (local_error != NULL) \
      { \
        g_propagate_error (error, g_steal_pointer (&local_error)); \
        return NULL; \
      } \
  } G_STMT_END

  if (all_digits (needle) && strlen (needle) < 19)
    {
      g_autoptr(MwDbResult) result = NULL;
      MwDbValue params[] = { MW_DB_INT64 (g_ascii_strtoll (needle, NULL, 10)) };

      result = mw_db_exec (db, "SELECT user_idnr, userid FROM {users} WHERE user_idnr = $1 AND "
                           NOT_SYSTEM ("userid"), params, 1, cancellable, error);
      if (result == NULL)
        return NULL;
      if (mw_db_result_get_n_rows (result) == 1)
        return found_user (mw_db_result_get_int64 (result, 0, 0), mw_db_result_get_string (result, 0, 1),
                           "number", NULL);
    }

  TRY (find_by_name (db, needle, "name", cancellable, &local_error));
  TRY (resolve_alias (db, needle, "alias", cancellable, &local_error));

  at = strrchr (needle, '@');
  if (at != NULL)
    {
      const char *plus = memchr (needle, '+', at - needle);
      g_autofree char *domain = g_strdup (at + 1);

      if (plus != NULL)
        {
          g_autofree char *local = g_strndup (needle, plus - needle);
          g_autofree char *bare = g_strconcat (local, at, NULL);

          TRY (resolve_alias (db, bare, "alias without +detail", cancellable, &local_error));
          TRY (find_by_name (db, bare, "name without +detail", cancellable, &local_error));
        }

      if (domain[0] != '\0')
        {
          g_autofree char *exact = g_strconcat ("@", domain, NULL);

          TRY (resolve_alias (db, exact, "catch-all", cancellable, &local_error));
          for (const char *dot = strchr (domain, '.'); dot != NULL; dot = strchr (dot + 1, '.'))
            {
              g_autofree char *sub = g_strconcat ("@", dot, NULL);

              TRY (resolve_alias (db, sub, "catch-all", cancellable, &local_error));
            }
        }
      if (at != needle)
        {
          g_autofree char *local = g_strndup (needle, at - needle + 1);

          TRY (resolve_alias (db, local, "catch-all", cancellable, &local_error));
        }
    }
#undef TRY

  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("Nothing matches “%s”: it is not a user name, a user number or an address."), needle);
  return NULL;
}

/* Account details */

static void
account_alias_free (gpointer data)
{
  MwAccountAddress *a = data;

  g_free (a->key);
  g_free (a->address);
  g_free (a);
}

static void
account_forward_free (gpointer data)
{
  MwAccountForward *f = data;

  g_free (f->key);
  g_free (f->address);
  g_free (f->target);
  g_free (f);
}

static void
account_mailbox_free (gpointer data)
{
  MwAccountMailbox *m = data;

  g_free (m->key);
  g_free (m->name);
  g_free (m);
}

MwAccount *
mw_dbmail_get_account (MwDb          *db,
                       gint64         user_idnr,
                       GCancellable  *cancellable,
                       GError       **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autoptr(MwAccount) account = NULL;
  g_autoptr(MwDbResult) result = NULL;
  g_autofree char *idnr_text = g_strdup_printf ("%" G_GINT64_FORMAT, user_idnr);
  g_autofree char *digits = mw_sql_is_digits (driver, "f.deliver_to");
  g_autofree char *ci_f = mw_sql_ci (driver, "f.alias");
  g_autofree char *ci_a = mw_sql_ci (driver, "a.alias");
  g_autofree char *sql = NULL;
  MwDbValue id_param[] = { MW_DB_INT64 (user_idnr) };
  MwDbValue text_param[] = { MW_DB_TEXT (idnr_text) };
  MwAccountAddress *primary = NULL;
  gint64 primary_number = 0;

  result = mw_db_exec (db, "SELECT user_idnr, userid, client_idnr, maxmail_size, curmail_size, "
                       "encryption_type, last_login, active, saction, spasswd <> '' AS has_spasswd, passwd "
                       "FROM {users} WHERE user_idnr = $1", id_param, 1, cancellable, error);
  if (result == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (result) == 0 || mw_dbmail_is_system_user (mw_db_result_get_string (result, 0, 1)))
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, user_idnr);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no user with the number %s."), number);
      return NULL;
    }

  account = g_new0 (MwAccount, 1);
  account->key = _mw_dbmail_key (mw_db_result_get_int64 (result, 0, 0));
  account->number = mw_db_result_get_int64 (result, 0, 0);
  account->name = g_strdup (mw_db_result_get_string (result, 0, 1));
  account->group = mw_db_result_get_int64 (result, 0, 2);
  account->quota = mw_db_result_get_int64 (result, 0, 3);
  account->used = mw_db_result_get_int64 (result, 0, 4);
  account->password_scheme = g_strdup (mw_db_result_get_string (result, 0, 5));
  account->stored_scheme = mw_password_identify (account->password_scheme, mw_db_result_get_string (result, 0, 10));
  account->last_login = mw_db_result_get_timestamp (result, 0, 6);
  account->active = mw_db_result_get_int64 (result, 0, 7) != 0;
  account->security_action = mw_db_result_get_int64 (result, 0, 8);
  account->has_security_password = mw_db_result_get_bool (result, 0, 9);
  account->aliases = g_ptr_array_new_with_free_func (account_alias_free);
  account->forwards = g_ptr_array_new_with_free_func (account_forward_free);
  account->mailboxes = g_ptr_array_new_with_free_func (account_mailbox_free);
  g_clear_pointer (&result, mw_db_result_unref);

  account->fingerprint = mw_dbmail_user_fingerprint (db, user_idnr, cancellable, error);
  if (account->fingerprint == NULL)
    return NULL;

  result = mw_db_exec (db, "SELECT alias_idnr, alias, client_idnr FROM {aliases} WHERE deliver_to = $1 "
                       "ORDER BY alias, alias_idnr", text_param, 1, cancellable, error);
  if (result == NULL)
    return NULL;
  for (guint i = 0; i < mw_db_result_get_n_rows (result); i++)
    {
      MwAccountAddress *a = g_new0 (MwAccountAddress, 1);
      gint64 number = mw_db_result_get_int64 (result, i, 0);

      a->key = _mw_dbmail_key (number);
      a->address = g_strdup (mw_db_result_get_string (result, i, 1));
      a->group = mw_db_result_get_int64 (result, i, 2);
      /* New forwards go from the oldest alias that is a whole address. */
      if (a->address[0] != '@' && !g_str_has_suffix (a->address, "@") && (primary == NULL || number < primary_number))
        {
          primary = a;
          primary_number = number;
        }
      g_ptr_array_add (account->aliases, a);
    }
  if (primary != NULL)
    primary->primary = TRUE;
  g_clear_pointer (&result, mw_db_result_unref);

  sql = g_strdup_printf ("SELECT f.alias_idnr, f.alias, f.deliver_to FROM {aliases} f "
                         "WHERE %s IN (SELECT %s FROM {aliases} a WHERE a.deliver_to = $1) AND NOT %s "
                         "ORDER BY f.alias, f.deliver_to, f.alias_idnr", ci_f, ci_a, digits);
  result = mw_db_exec (db, sql, text_param, 1, cancellable, error);
  if (result == NULL)
    return NULL;
  for (guint i = 0; i < mw_db_result_get_n_rows (result); i++)
    {
      MwAccountForward *f = g_new0 (MwAccountForward, 1);

      f->key = _mw_dbmail_key (mw_db_result_get_int64 (result, i, 0));
      f->address = g_strdup (mw_db_result_get_string (result, i, 1));
      f->target = g_strdup (mw_db_result_get_string (result, i, 2));
      g_ptr_array_add (account->forwards, f);
    }
  g_clear_pointer (&result, mw_db_result_unref);

  result = mw_db_exec (db,
                       "SELECT mb.mailbox_idnr, mb.name, "
                       "COALESCE(SUM(CASE WHEN m.status < 2 THEN 1 ELSE 0 END), 0) AS visible_count, "
                       "COALESCE(SUM(CASE WHEN m.status < 2 THEN p.messagesize ELSE 0 END), 0) AS visible_bytes, "
                       "COALESCE(SUM(CASE WHEN m.status IN (2, 3) THEN 1 ELSE 0 END), 0) AS deleted_count, "
                       "COALESCE(SUM(CASE WHEN m.status IN (2, 3) THEN p.messagesize ELSE 0 END), 0) AS deleted_bytes, "
                       "mb.no_select, mb.seq "
                       "FROM {mailboxes} mb "
                       "LEFT JOIN {messages} m ON m.mailbox_idnr = mb.mailbox_idnr "
                       "LEFT JOIN {physmessage} p ON p.id = m.physmessage_id "
                       "WHERE mb.owner_idnr = $1 "
                       "GROUP BY mb.mailbox_idnr, mb.name, mb.no_select, mb.seq ORDER BY mb.name",
                       id_param, 1, cancellable, error);
  if (result == NULL)
    return NULL;
  for (guint i = 0; i < mw_db_result_get_n_rows (result); i++)
    {
      MwAccountMailbox *m = g_new0 (MwAccountMailbox, 1);

      m->key = _mw_dbmail_key (mw_db_result_get_int64 (result, i, 0));
      m->name = g_strdup (mw_db_result_get_string (result, i, 1));
      m->visible_count = mw_db_result_get_int64 (result, i, 2);
      m->visible_bytes = mw_db_result_get_int64 (result, i, 3);
      m->deleted_count = mw_db_result_get_int64 (result, i, 4);
      m->deleted_bytes = mw_db_result_get_int64 (result, i, 5);
      m->no_select = mw_db_result_get_int64 (result, i, 6) != 0;
      m->seq = mw_db_result_get_int64 (result, i, 7);
      g_ptr_array_add (account->mailboxes, m);
    }

  return g_steal_pointer (&account);
}
