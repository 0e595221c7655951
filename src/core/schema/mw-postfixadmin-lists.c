/* mw-postfixadmin-lists.c: the PostfixAdmin flavour, read side: its lists
 * (columns and queries), find, an account's details and an address's rows.
 *
 * The lists page by keysets like DBMail's (MwListQuery): each inner SELECT
 * is unordered, and the paged model adds the sort, the key and the limit.
 * An alias row's goto is a comma-separated list: the alias and forward
 * lists show one row per target (each row's first target, UNION ALL the
 * further ones of the rows with a comma: PostgreSQL unnest() of the array's
 * rest, MariaDB a join with its SEQUENCE engine's seq_2_to_N), keyed
 * "alias:ADDRESS>TARGET"; the x.target <> '' around it drops empty ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-postfixadmin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-postfixadmin-alias-domains.h"
#include "mw-postfixadmin-private.h"
#include "mw-sql-dialect.h"
#include "mw-vmail-last-login.h"

#define SEARCHED  MW_LIST_COLUMN_SEARCHED
#define EXPAND    MW_LIST_COLUMN_EXPAND
#define SECONDARY MW_LIST_COLUMN_SECONDARY

static const MwListColumn mailbox_columns[] = {
  /* Translators: a mailbox's address, which is also its login */
  { "name", N_("Address"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_NAME, SEARCHED | EXPAND, "username" },
  /* Translators: the person's name a PostfixAdmin mailbox shows */
  { "full_name", N_("Name"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SEARCHED | EXPAND, "name" },
  { "domain", N_("Domain"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_GROUP, EXPAND, "domain" },
  { "quota", N_("Quota"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_QUOTA, MW_SORT_QUOTA, 0, "quota" },
  /* Translators: the mail a mailbox holds, as Dovecot reports it */
  { "used", N_("Used"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_BYTES, MW_SORT_MAIL_SIZE, 0, "used" },
  { "enabled", N_("Enabled"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "active" },
  { "created", N_("Created"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SECONDARY, "created" },
  /* Translators: when the mailbox was last changed */
  { "modified", N_("Modified"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SECONDARY, "modified" },
};

static const MwListColumn alias_columns[] = {
  { "address", N_("Alias"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_NAME, SEARCHED | EXPAND, "address" },
  /* Translators: the mailbox an alias delivers to */
  { "user", N_("Mailbox"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_OWNER, SEARCHED | EXPAND, "target" },
  { "enabled", N_("Enabled"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "active" },
};

static const MwListColumn forward_columns[] = {
  { "address", N_("Address"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_NAME, SEARCHED | EXPAND, "address" },
  { "target", N_("Forwards To"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_TARGET, MW_SORT_TARGET, SEARCHED | EXPAND,
    "target" },
  { "enabled", N_("Enabled"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "active" },
};

static const MwListColumn domain_columns[] = {
  { "domain", N_("Domain"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_NAME, SEARCHED | EXPAND, "domain" },
  { "description", N_("Description"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SEARCHED,
    "description" },
  { "mailboxes", N_("Mailboxes"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_COUNT, 0, "mailbox_count" },
  { "aliases", N_("Aliases"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "alias_count" },
  /* Translators: PostfixAdmin's limit of mailboxes in a domain (0: no limit, -1: none allowed) */
  { "mailbox_limit", N_("Mailbox Limit"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0,
    "mailbox_limit" },
  /* Translators: PostfixAdmin's limit of aliases in a domain (0: no limit, -1: none allowed) */
  { "alias_limit", N_("Alias Limit"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "alias_limit" },
  /* Translators: the largest quota one mailbox of the domain may have, in MB as PostfixAdmin counts them */
  { "max_quota_mb", N_("Max Quota (MB)"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "maxquota" },
  /* Translators: the quota of the whole domain, in MB as PostfixAdmin counts them */
  { "quota_mb", N_("Domain Quota (MB)"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "quota" },
  /* Translators: the quotas of the domain's mailboxes added up */
  { "quota_given", N_("Quotas Given"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_BYTES, MW_SORT_DEFAULT, 0, "quota_given" },
  { "enabled", N_("Enabled"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "active" },
  /* Translators: Postfix's transport for the domain, e.g. "virtual:" */
  { "transport", N_("Transport"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SECONDARY, "transport" },
  /* Translators: the mail server is only a backup MX for this domain */
  { "backup_mx", N_("Backup MX"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "backupmx" },
};

static const MwListInfo lists[MW_N_LISTS] = {
  [MW_LIST_USERS] = {
    MW_LIST_USERS, "users", N_("Mailboxes"), "system-users-symbolic", N_("Search addresses and names"),
    N_("No Mailboxes"), MW_SORT_NAME, mailbox_columns, G_N_ELEMENTS (mailbox_columns),
  },
  [MW_LIST_ALIASES] = {
    MW_LIST_ALIASES, "aliases", N_("Aliases"), "mail-forward-symbolic", N_("Search aliases and mailboxes"),
    N_("No Aliases"), MW_SORT_NAME, alias_columns, G_N_ELEMENTS (alias_columns),
  },
  [MW_LIST_FORWARDS] = {
    MW_LIST_FORWARDS, "forwards", N_("Forwards"), "mail-send-symbolic", N_("Search addresses and targets"),
    N_("No Forwards"), MW_SORT_NAME, forward_columns, G_N_ELEMENTS (forward_columns),
  },
  [MW_LIST_DOMAINS] = {
    MW_LIST_DOMAINS, "domains", N_("Domains"), "network-workgroup-symbolic", N_("Search domains"), N_("No Domains"),
    MW_SORT_NAME, domain_columns, G_N_ELEMENTS (domain_columns),
  },
};

const MwListInfo *
_mw_postfixadmin_list_info (MwListKind kind)
{
  if (kind >= MW_N_LISTS || lists[kind].id == NULL)
    return _mw_postfixadmin_more_list_info (kind);
  return &lists[kind];
}

/* @column = @value without case. PostfixAdmin stores its addresses and
 * domains in lowercase (PFAHandler::init() strtolower()s every id; its
 * local parts are ASCII): on PostgreSQL the stored column is compared with
 * the folded value, so that its primary key serves (lower(column) read
 * every row: 1.5 s for one mailbox at 1M); MariaDB's latin1_general_ci
 * compares without case anyway. */
static char *
stored_equal (MwDbDriver  driver,
              const char *column,
              const char *value)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("%s = lower(%s)", column, value);
  return g_strdup_printf ("%s = %s", column, value);
}

/* The query over @inner (with [tables]): _mw_vmail_list_finish(). */
static MwListQuery *
finish (MwPostfixadminSchema *self, const char *inner, const char *sort_col, const char *key_col,
        const MwListRequest *req, const char *estimate_table)
{
  return _mw_vmail_list_finish (_mw_postfixadmin_info (self), _mw_postfixadmin_sql (self, inner), sort_col, key_col,
                                req, estimate_table);
}

static const char *
date_text (MwDbDriver driver)
{
  return driver == MW_DB_DRIVER_PGSQL ? "to_char(%s, 'YYYY-MM-DD HH24:MI:SS')"
                                      : "DATE_FORMAT(%s, '%%Y-%%m-%%d %%H:%%i:%%s')";
}

static MwListQuery *
mailboxes_query (MwPostfixadminSchema *self,
                 const MwListRequest  *req,
                 GError              **error)
{
  MwDbDriver driver = _mw_postfixadmin_info (self)->driver;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;
  g_autofree char *last_login = _mw_vmail_last_login_select (_mw_postfixadmin_has_last_login (self), driver,
                                                             "m.username");
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "username"; break;
    case MW_SORT_QUOTA: sort_col = "quota"; break;
    case MW_SORT_MAIL_SIZE: sort_col = "used"; break;
    case MW_SORT_GROUP: sort_col = "domain"; break;
    case MW_SORT_LAST_LOGIN:
      if (last_login[0] == '\0')
        return _mw_vmail_bad_sort (error);
      sort_col = "last_login";
      break;
    default: return _mw_vmail_bad_sort (error);
    }

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  created = g_strdup_printf (date_text (driver), "m.created");
  modified = g_strdup_printf (date_text (driver), "m.modified");
#pragma GCC diagnostic pop
  /* quota2: Dovecot's dict quota (bytes, messages) when it reports there. */
  g_string_append_printf (sql,
                          "SELECT m.username, m.name, m.domain, m.quota, COALESCE(q.bytes, 0) AS used, "
                          "CASE WHEN m.active THEN 1 ELSE 0 END AS active, %s AS created, %s AS modified%s "
                          "FROM [mailbox] m LEFT JOIN [quota2] q ON q.username = m.username", created, modified,
                          last_login);
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *username = _mw_vmail_search_like (req, "m.username");

      g_string_append_printf (sql, " WHERE (%s OR lower(m.name) LIKE $1)", username);
    }
  return finish (self, sql->str, sort_col, "username", req, "mailbox");
}

/* One row per target of each alias row: address, target, active, rowkey. */
static char *
targets_sql (MwDbDriver driver)
{
  /* PostgreSQL: the same split in two, so that the planner knows the rows
   * (it takes unnest() for 10 a row, and then walked alias in order probing
   * mailbox once a target even for the whole list: the page anchors 2.9x
   * slower than with a hash join once the EXISTS below could use the key). */
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup ("SELECT a.address, split_part(replace(a.goto, ' ', ''), ',', 1) AS target, a.active, a.domain "
                     "FROM [alias] a UNION ALL "
                     "SELECT a.address, t.target, a.active, a.domain FROM [alias] a "
                     "CROSS JOIN LATERAL unnest((string_to_array(replace(a.goto, ' ', ''), ','))[2:]) AS t(target) "
                     "WHERE a.goto LIKE '%,%'");
  /* Each row's first target without a join; only the rows with a comma
   * join the sequence (alias first: joined the other way round, every
   * alias row met all 10,000 numbers, minutes at 20,000 mailboxes). */
  return g_strdup ("SELECT a.address, SUBSTRING_INDEX(REPLACE(a.goto, ' ', ''), ',', 1) AS target, a.active, a.domain "
                   "FROM [alias] a UNION ALL "
                   "SELECT a.address, SUBSTRING_INDEX(SUBSTRING_INDEX(REPLACE(a.goto, ' ', ''), ',', s.seq), ',', -1), "
                   "a.active, a.domain FROM [alias] a "
                   "STRAIGHT_JOIN seq_2_to_10000 s ON s.seq <= 1 + LENGTH(a.goto) - LENGTH(REPLACE(a.goto, ',', '')) "
                   "WHERE a.goto LIKE '%,%'");
}

/* The conditions a target @target of the alias row @address meets to be a
 * row of the Aliases list (@local) or of the Forwards list. */
static char *
target_condition (const MwListRequest *req,
                  gboolean             local,
                  MwDbDriver           driver,
                  const char          *address,
                  const char          *target)
{
  g_autofree char *same = stored_equal (driver, "m.username", target);
  GString *sql = g_string_new (NULL);

  /* The mailboxes' own rows (address = goto) are dropped before the look-up
   * in mailbox: where they sort together, a page reads many of them. */
  g_string_append_printf (sql, "%s <> ''", target);
  if (local)
    g_string_append_printf (sql, " AND lower(%s) <> lower(%s)", address, target);
  g_string_append_printf (sql, " AND %s (SELECT 1 FROM [mailbox] m WHERE %s)", local ? "EXISTS" : "NOT EXISTS", same);
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *a = _mw_vmail_search_like (req, address);
      g_autofree char *t = _mw_vmail_search_like (req, target);

      g_string_append_printf (sql, " AND (%s OR %s)", a, t);
    }
  return g_string_free (sql, FALSE);
}

/* MariaDB, sorted by address, no search: the alias rows that give at least one row of
 * the list, read by their primary key up to a page's worth
 * (MW_LIST_QUERY_PAGE_TOKEN), and only then split into their targets. The
 * list otherwise split and sorted the whole alias table for every page. */
static char *
paged_aliases_sql (const MwListRequest *req,
                   gboolean             local,
                   MwDbDriver           driver)
{
#define GOTO_TARGET(row) "SUBSTRING_INDEX(SUBSTRING_INDEX(REPLACE(" row ".goto, ' ', ''), ',', s.seq), ',', -1)"
#define GOTO_COUNT(row) "1 + LENGTH(" row ".goto) - LENGTH(REPLACE(" row ".goto, ',', ''))"
  g_autofree char *single = target_condition (req, local, driver, "a.address", "REPLACE(a.goto, ' ', '')");
  g_autofree char *any = target_condition (req, local, driver, "a.address", GOTO_TARGET ("a"));
  g_autofree char *each = target_condition (req, local, driver, "r.address", GOTO_TARGET ("r"));

  /* A dependent subquery reads its sequence in full where no target
   * matches (MariaDB takes no range on an outer value there): the first
   * eight targets from a short one, the rare longer lists from the long. */
  return g_strdup_printf ("SELECT r.address, " GOTO_TARGET ("r") " AS target, "
                          "CASE WHEN r.active THEN 1 ELSE 0 END AS active, "
                          "CONCAT('" MW_POSTFIXADMIN_ALIAS_KEY "', r.address, '>', " GOTO_TARGET ("r") ") AS rowkey "
                          "FROM (SELECT a.address, a.goto, a.active FROM [alias] a "
                          "WHERE ((a.goto NOT LIKE '%%,%%' AND %s) OR (a.goto LIKE '%%,%%' AND (EXISTS "
                          "(SELECT 1 FROM seq_1_to_8 s WHERE s.seq <= " GOTO_COUNT ("a") " AND %s) OR "
                          "(" GOTO_COUNT ("a") " > 8 AND EXISTS "
                          "(SELECT 1 FROM seq_9_to_10000 s WHERE s.seq <= " GOTO_COUNT ("a") " AND %s)))))"
                          MW_LIST_QUERY_PAGE_TOKEN ") r "
                          "STRAIGHT_JOIN seq_1_to_10000 s ON s.seq <= " GOTO_COUNT ("r") " WHERE %s",
                          single, any, any, each);
#undef GOTO_TARGET
#undef GOTO_COUNT
}

static MwListQuery *
aliases_query (MwPostfixadminSchema *self,
               const MwListRequest  *req,
               gboolean              local,
               GError              **error)
{
  MwDbDriver driver = _mw_postfixadmin_info (self)->driver;
  g_autofree char *targets = targets_sql (driver);
  g_autofree char *same = stored_equal (driver, "m.username", "x.target");
  g_autoptr(GString) sql = g_string_new (NULL);
  MwListQuery *query;
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "address"; break;
    case MW_SORT_OWNER:
    case MW_SORT_TARGET: sort_col = "target"; break;
    default: return _mw_vmail_bad_sort (error);
    }

  /* Aliases deliver to a mailbox of this database (less each mailbox's
   * own row address = goto = username, which is the mailbox itself),
   * forwards elsewhere (also the vacation address user#domain@...). */
  g_string_append_printf (sql, "SELECT x.address, x.target, CASE WHEN x.active THEN 1 ELSE 0 END AS active, %s AS rowkey "
                          "FROM (%s) x WHERE x.target <> '' AND %s (SELECT 1 FROM [mailbox] m WHERE %s)",
                          driver == MW_DB_DRIVER_PGSQL ? "'" MW_POSTFIXADMIN_ALIAS_KEY "' || x.address || '>' || x.target"
                                                       : "CONCAT('" MW_POSTFIXADMIN_ALIAS_KEY "', x.address, '>', x.target)",
                          targets, local ? "EXISTS" : "NOT EXISTS", same);
  if (local)
    g_string_append (sql, " AND lower(x.address) <> lower(x.target)");
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *address = _mw_vmail_search_like (req, "x.address");
      g_autofree char *target = _mw_vmail_search_like (req, "x.target");

      g_string_append_printf (sql, " AND (%s OR %s)", address, target);
    }
  query = finish (self, sql->str, sort_col, "rowkey", req, NULL);
  /* A search reads the whole table either way (LIKE '%...%'). */
  if (query != NULL && driver == MW_DB_DRIVER_MYSQL && g_str_equal (sort_col, "address") &&
      !_mw_vmail_has_search (req))
    {
      g_autofree char *paged = paged_aliases_sql (req, local, driver);
      g_autofree char *paged_sql = _mw_postfixadmin_sql (self, paged);

      mw_list_query_set_paged_inner (query, paged_sql, "a.address");
    }
  return query;
}

static MwListQuery *
domains_query (MwPostfixadminSchema *self,
               const MwListRequest  *req,
               GError              **error)
{
  MwDbDriver driver = _mw_postfixadmin_info (self)->driver;
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "domain"; break;
    case MW_SORT_COUNT: sort_col = "mailbox_count"; break;
    default: return _mw_vmail_bad_sort (error);
    }

  /* The aliases are counted as PostfixAdmin counts them: alias rows less
   * the mailboxes' own. "ALL" is the superadmins' pseudo-domain, no domain.
   * Sorted by name, only the page's domains are counted (details: by the
   * indexes on mailbox.domain and alias.domain); sorted by count, one pass
   * over each table. */
  if (req->sort != MW_SORT_COUNT)
    {
      g_autofree char *details = NULL;
      g_autofree char *details_sql = NULL;
      MwListQuery *query;

      g_string_append (sql, "SELECT d.domain, d.description, d.mailboxes AS mailbox_limit, d.aliases AS alias_limit, "
                       "d.maxquota, d.quota, CASE WHEN d.active THEN 1 ELSE 0 END AS active, d.transport, "
                       "CASE WHEN d.backupmx THEN 1 ELSE 0 END AS backupmx FROM [domain] d WHERE d.domain <> 'ALL'");
      if (_mw_vmail_has_search (req))
        {
          g_autofree char *domain = _mw_vmail_search_like (req, "d.domain");

          g_string_append_printf (sql, " AND (%s OR lower(d.description) LIKE $1)", domain);
        }
      details = g_strdup_printf ("(SELECT count(*) FROM [mailbox] m WHERE m.domain = d.domain) AS mailbox_count, "
                                 "(SELECT count(*) FROM [alias] a WHERE a.domain = d.domain) - "
                                 "(SELECT count(*) FROM [mailbox] m WHERE m.domain = d.domain) AS alias_count, "
                                 "CAST(COALESCE((SELECT SUM(m.quota) FROM [mailbox] m WHERE m.domain = d.domain), 0) "
                                 "AS %s) AS quota_given",
                                 driver == MW_DB_DRIVER_PGSQL ? "BIGINT" : "SIGNED");
      details_sql = _mw_postfixadmin_sql (self, details);
      query = finish (self, sql->str, sort_col, "domain", req, NULL);
      if (query != NULL)
        mw_list_query_set_details (query, details_sql);
      return query;
    }
  g_string_append_printf (sql,
                          "SELECT d.domain, d.description, COALESCE(mc.n, 0) AS mailbox_count, "
                          "COALESCE(ac.n, 0) - COALESCE(mc.n, 0) AS alias_count, d.mailboxes AS mailbox_limit, "
                          "d.aliases AS alias_limit, d.maxquota, d.quota, "
                          "CAST(COALESCE(mc.q, 0) AS %s) AS quota_given, "
                          "CASE WHEN d.active THEN 1 ELSE 0 END AS active, d.transport, "
                          "CASE WHEN d.backupmx THEN 1 ELSE 0 END AS backupmx "
                          "FROM [domain] d "
                          "LEFT JOIN (SELECT domain, count(*) AS n, SUM(quota) AS q FROM [mailbox] GROUP BY domain) mc "
                          "ON mc.domain = d.domain "
                          "LEFT JOIN (SELECT domain, count(*) AS n FROM [alias] GROUP BY domain) ac "
                          "ON ac.domain = d.domain WHERE d.domain <> 'ALL'",
                          driver == MW_DB_DRIVER_PGSQL ? "BIGINT" : "SIGNED");
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *domain = _mw_vmail_search_like (req, "d.domain");

      g_string_append_printf (sql, " AND (%s OR lower(d.description) LIKE $1)", domain);
    }
  return finish (self, sql->str, sort_col, "domain", req, NULL);
}

MwListQuery *
_mw_postfixadmin_list_query (MwSchema             *schema,
                             const MwListRequest  *request,
                             GError              **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  if (!_mw_vmail_check_list_request (request, _("A PostfixAdmin database has no groups."), error))
    return NULL;

  switch (request->kind)
    {
    case MW_LIST_USERS: return mailboxes_query (self, request, error);
    case MW_LIST_ALIASES: return aliases_query (self, request, TRUE, error);
    case MW_LIST_FORWARDS: return aliases_query (self, request, FALSE, error);
    case MW_LIST_DOMAINS: return domains_query (self, request, error);
    case MW_LIST_ALIAS_DOMAINS: case MW_LIST_VACATIONS: case MW_LIST_DOMAIN_ADMINS:
      return _mw_postfixadmin_more_list_query (self, request, error);
    case MW_LIST_GROUPS:
    default:
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("A PostfixAdmin database has no groups."));
      return NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* Find                                                                     */
/* ------------------------------------------------------------------------ */

char *
_mw_postfixadmin_mailbox_of (MwPostfixadminSchema  *self,
                             MwDb                  *db,
                             const char            *address,
                             GError               **error)
{
  g_autofree char *eq = stored_equal (mw_db_get_driver (db), "username", "$1");
  g_autofree char *inner = g_strdup_printf ("SELECT username FROM [mailbox] WHERE %s "
                                            "ORDER BY CASE WHEN username = $1 THEN 0 ELSE 1 END, username LIMIT 1", eq);
  g_autofree char *sql = _mw_postfixadmin_sql (self, inner);
  MwDbValue params[] = { MW_DB_TEXT (address) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, NULL, error);

  if (r == NULL || mw_db_result_get_n_rows (r) == 0)
    return NULL;
  return g_strdup (mw_db_result_get_string (r, 0, 0));
}

static MwFound *
found_mailbox (const char *username,
               const char *matched_by,
               const char *address)
{
  return _mw_vmail_found_account (g_strdup (username), username, matched_by, address);
}

/* The alias row of @address (without case): its address and goto, or FALSE. */
static gboolean
read_alias_row (MwPostfixadminSchema  *self,
                MwDb                  *db,
                const char            *address,
                char                 **stored,
                char                 **go_to,
                GError               **error)
{
  g_autofree char *eq = stored_equal (mw_db_get_driver (db), "address", "$1");
  g_autofree char *inner = g_strdup_printf ("SELECT address, goto FROM [alias] WHERE %s "
                                            "ORDER BY CASE WHEN address = $1 THEN 0 ELSE 1 END LIMIT 1", eq);
  g_autofree char *sql = _mw_postfixadmin_sql (self, inner);
  MwDbValue params[] = { MW_DB_TEXT (address) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, NULL, error);

  if (r == NULL || mw_db_result_get_n_rows (r) == 0)
    return FALSE;
  *stored = g_strdup (mw_db_result_get_string (r, 0, 0));
  *go_to = g_strdup (mw_db_result_get_string (r, 0, 1));
  return TRUE;
}

/* An alias row: the first mailbox it delivers to, else a forward. */
static MwFound *
find_alias (MwSchema      *schema,
            MwDb          *db,
            const char    *address,
            const char    *matched_by,
            GCancellable  *cancellable,
            GError       **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_autofree char *stored = NULL;
  g_autofree char *go_to = NULL;
  g_auto(GStrv) targets = NULL;
  MwFound *found = NULL;

  if (!read_alias_row (self, db, address, &stored, &go_to, error))
    return NULL;
  targets = _mw_postfixadmin_split_goto (go_to);
  for (guint i = 0; targets[i] != NULL && found == NULL; i++)
    {
      g_autofree char *mailbox = _mw_postfixadmin_mailbox_of (self, db, targets[i], error);

      if (mailbox == NULL && error != NULL && *error != NULL)
        return NULL;
      if (mailbox != NULL)
        found = found_mailbox (mailbox, matched_by, stored);
    }
  if (found == NULL)
    found = _mw_vmail_found_forward (matched_by, stored);
  found->targets = g_steal_pointer (&targets);
  return found;
}

/* A local part alone: the one mailbox that has it, in any domain. */
static MwFound *
find_local_part (MwSchema      *schema,
                 MwDb          *db,
                 const char    *local,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *eq = stored_equal (mw_db_get_driver (db), "local_part", "$1");
  g_autofree char *inner = g_strdup_printf ("SELECT username FROM [mailbox] WHERE %s ORDER BY username LIMIT 2", eq);
  g_autofree char *sql = _mw_postfixadmin_sql (MW_POSTFIXADMIN_SCHEMA (schema), inner);
  MwDbValue params[] = { MW_DB_TEXT (local) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, NULL, error);

  if (r == NULL || mw_db_result_get_n_rows (r) != 1)
    return NULL;
  return found_mailbox (mw_db_result_get_string (r, 0, 0), "local part", NULL);
}

/* The mailbox whose username is @address (without case). */
static MwFound *
find_mailbox (MwSchema      *schema,
              MwDb          *db,
              const char    *address,
              const char    *matched_by,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *mailbox = _mw_postfixadmin_mailbox_of (MW_POSTFIXADMIN_SCHEMA (schema), db, address, error);

  return mailbox != NULL ? found_mailbox (mailbox, matched_by, NULL) : NULL;
}

/* A mailbox's address (without case), an alias, the address without its
 * +detail, the domain's catch-all "@domain" (Postfix's order), and a local
 * part that only one mailbox has. */
MwFound *
_mw_postfixadmin_find (MwSchema      *schema,
                       MwDb          *db,
                       const char    *text,
                       GCancellable  *cancellable,
                       GError       **error)
{
  static const MwVmailFinders finders = { find_mailbox, find_alias, NULL, find_local_part, NULL };

  return _mw_vmail_find (&finders, schema, db, text, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* An account, an address's rows                                            */
/* ------------------------------------------------------------------------ */

/* The mailbox's own address first (its self-alias row: forwards go from
 * it), then the alias rows whose goto names it; its forwards are the other
 * targets of its own row ("forward and keep" when it names itself too). */
MwAccount *
_mw_postfixadmin_get_account (MwPostfixadminSchema  *self,
                              MwDb                  *db,
                              const char            *username,
                              GCancellable          *cancellable,
                              GError               **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autofree char *eq = stored_equal (driver, "m.username", "$1");
  g_autofree char *inner = g_strdup_printf ("SELECT m.username, m.password, m.quota, "
                                            "CASE WHEN m.active THEN 1 ELSE 0 END, COALESCE(q.bytes, 0) "
                                            "FROM [mailbox] m LEFT JOIN [quota2] q ON q.username = m.username "
                                            "WHERE %s", eq);
  g_autofree char *sql = _mw_postfixadmin_sql (self, inner);
  g_autofree char *has = _mw_postfixadmin_goto_has (driver, "goto", "$1");
  g_autofree char *not_self = mw_sql_ci_equal (driver, "address", "$1");
  g_autoptr(MwAccount) account = NULL;
  g_autoptr(MwDbResult) r = NULL;
  MwDbValue params[] = { MW_DB_TEXT (username) };
  MwAccountAddress *own;
  const char *password;

  r = mw_db_exec (db, sql, params, 1, cancellable, error);
  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      _mw_vmail_set_no_mailbox (error, username);
      return NULL;
    }
  account = g_new0 (MwAccount, 1);
  account->key = g_strdup (mw_db_result_get_string (r, 0, 0));
  account->name = g_strdup (account->key);
  password = mw_db_result_get_string (r, 0, 1);
  account->quota = mw_db_result_get_int64 (r, 0, 2);
  account->active = mw_db_result_get_int64 (r, 0, 3) != 0;
  account->used = mw_db_result_get_int64 (r, 0, 4);
  account->password_scheme = _mw_postfixadmin_label (password);
  account->stored_scheme = _mw_postfixadmin_identify (password);
  account->fingerprint = _mw_postfixadmin_fingerprint (account->name, password, account->quota, account->active);
  account->aliases = g_ptr_array_new_with_free_func (_mw_vmail_account_address_free);
  account->forwards = g_ptr_array_new_with_free_func (_mw_vmail_account_forward_free);
  account->mailboxes = g_ptr_array_new ();
  g_clear_pointer (&r, mw_db_result_unref);

  own = g_new0 (MwAccountAddress, 1);
  own->key = g_strconcat (MW_POSTFIXADMIN_MAILBOX_KEY, account->name, NULL);
  own->address = g_strdup (account->name);
  own->primary = TRUE;
  g_ptr_array_add (account->aliases, own);

  {
    MwDbValue p[] = { MW_DB_TEXT (account->name) };
    g_autofree char *aliases_inner = g_strdup_printf ("SELECT address FROM [alias] WHERE %s AND NOT (%s) "
                                                      "ORDER BY address", has, not_self);
    g_autofree char *aliases_sql = _mw_postfixadmin_sql (self, aliases_inner);
    g_autofree char *own_inner = g_strdup_printf ("SELECT goto FROM [alias] WHERE %s", not_self);
    g_autofree char *own_sql = _mw_postfixadmin_sql (self, own_inner);

    r = mw_db_exec (db, aliases_sql, p, 1, cancellable, error);
    if (r == NULL)
      return NULL;
    for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
      {
        MwAccountAddress *a = g_new0 (MwAccountAddress, 1);

        a->address = g_strdup (mw_db_result_get_string (r, i, 0));
        a->key = _mw_postfixadmin_alias_key (a->address, account->name);
        g_ptr_array_add (account->aliases, a);
      }
    g_clear_pointer (&r, mw_db_result_unref);

    r = mw_db_exec (db, own_sql, p, 1, cancellable, error);
    if (r == NULL)
      return NULL;
    if (mw_db_result_get_n_rows (r) > 0)
      {
        g_auto(GStrv) targets = _mw_postfixadmin_split_goto (mw_db_result_get_string (r, 0, 0));

        for (guint i = 0; targets[i] != NULL; i++)
          {
            MwAccountForward *f;

            if (g_ascii_strcasecmp (targets[i], account->name) == 0)
              continue;
            f = g_new0 (MwAccountForward, 1);
            f->key = _mw_postfixadmin_alias_key (account->name, targets[i]);
            f->address = g_strdup (account->name);
            f->target = g_strdup (targets[i]);
            g_ptr_array_add (account->forwards, f);
          }
      }
  }
  return g_steal_pointer (&account);
}

GPtrArray *
_mw_postfixadmin_find_routes (MwSchema              *schema,
                              MwDb                  *db,
                              const char            *address,
                              GError               **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_autofree char *normalized = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *go_to = NULL;
  g_auto(GStrv) targets = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *routes;

  if (!g_utf8_validate (address, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The address is not valid UTF-8."));
      return NULL;
    }
  normalized = mw_address_normalize_alias (address, MW_ADDRESS_ALLOW_CATCH_ALL, NULL, NULL);
  routes = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_address_route_free);
  if (!read_alias_row (self, db, normalized != NULL ? normalized : address, &stored, &go_to, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_ptr_array_unref (routes);
          return NULL;
        }
      return routes;
    }
  targets = _mw_postfixadmin_split_goto (go_to);
  for (guint i = 0; targets[i] != NULL; i++)
    {
      MwAddressRoute *route = g_new0 (MwAddressRoute, 1);
      g_autofree char *mailbox = _mw_postfixadmin_mailbox_of (self, db, targets[i], &local_error);

      if (local_error != NULL)
        {
          mw_address_route_free (route);
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_ptr_array_unref (routes);
          return NULL;
        }
      /* The mailbox's own target of its own row is the mailbox itself. */
      if (mailbox != NULL && g_ascii_strcasecmp (stored, targets[i]) == 0)
        route->key = g_strconcat (MW_POSTFIXADMIN_MAILBOX_KEY, mailbox, NULL);
      else
        route->key = _mw_postfixadmin_alias_key (stored, targets[i]);
      route->address = g_strdup (stored);
      route->target = g_strdup (targets[i]);
      if (mailbox != NULL)
        {
          route->account_key = g_strdup (mailbox);
          route->account_name = g_strdup (mailbox);
        }
      g_ptr_array_add (routes, route);
    }
  return routes;
}

/* ------------------------------------------------------------------------ */
/* CSV export                                                               */
/* ------------------------------------------------------------------------ */

/* The list as CSV: a header of its column ids (the CLI's JSON keys), then
 * each row's stored values. Never a password. */
gboolean
_mw_postfixadmin_export_csv (MwSchema              *schema,
                             MwDb                  *db,
                             const MwListRequest   *request,
                             GOutputStream         *out,
                             guint64               *rows,
                             GCancellable          *cancellable,
                             GError               **error)
{
  const MwListInfo *info = _mw_postfixadmin_list_info (request->kind);
  g_autoptr(MwListQuery) query = NULL;

  if (info == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("A PostfixAdmin database has no groups."));
      return FALSE;
    }
  query = _mw_postfixadmin_list_query (schema, request, error);
  return query != NULL && _mw_vmail_export_csv (info, query, db, out, rows, cancellable, error);
}
