/* mw-postfixadmin-more-lists.c: the PostfixAdmin flavour's lists of alias
 * domains (alias_domain), vacations (vacation) and domain admins (admin
 * with its domain_admins), paged, sorted and searched like its other lists
 * (mw-postfixadmin-lists.c): each inner SELECT is unordered, and the paged
 * model adds the sort, the key and the limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-postfixadmin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-postfixadmin-alias-domains.h"
#include "mw-postfixadmin-private.h"

#define SEARCHED  MW_LIST_COLUMN_SEARCHED
#define EXPAND    MW_LIST_COLUMN_EXPAND
#define SECONDARY MW_LIST_COLUMN_SECONDARY

/* Dates are shown to the minute, as a last login is (MW_LIST_FORMAT_LOGIN without a "never"). */
static const MwListColumn alias_domain_columns[] = {
  /* Translators: a domain whose mail goes to another domain (PostfixAdmin's alias domain) */
  { "domain", N_("Alias Domain"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_NAME, SEARCHED | EXPAND,
    "alias_domain" },
  /* Translators: the domain an alias domain's mail goes to */
  { "target_domain", N_("Target Domain"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_TARGET,
    SEARCHED | EXPAND, "target_domain" },
  { "enabled", N_("Enabled"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "active" },
  { "created", N_("Created"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_LOGIN, MW_SORT_DEFAULT, 0, "created" },
  /* Translators: when the row was last changed */
  { "modified", N_("Modified"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_LOGIN, MW_SORT_DEFAULT, 0, "modified" },
};

static const MwListColumn vacation_columns[] = {
  /* Translators: the mailbox that answers with a vacation reply */
  { "address", N_("Mailbox"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_NAME, SEARCHED | EXPAND, "email" },
  /* Translators: whether the vacation reply is on */
  { "enabled", N_("On"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "active" },
  /* Translators: the subject of a vacation reply */
  { "subject", N_("Subject"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SEARCHED | EXPAND, "subject" },
  /* Translators: the vacation reply is sent from this date */
  { "from", N_("From"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_LOGIN, MW_SORT_DEFAULT, 0, "activefrom" },
  /* Translators: the vacation reply is sent until this date */
  { "until", N_("Until"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_LOGIN, MW_SORT_TARGET, 0, "activeuntil" },
  { "modified", N_("Modified"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_LOGIN, MW_SORT_DEFAULT, SECONDARY, "modified" },
};

static const MwListColumn domain_admin_columns[] = {
  /* Translators: the login name of a PostfixAdmin administrator */
  { "admin", N_("Admin"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_LOGIN_NAME, MW_SORT_NAME, SEARCHED | EXPAND, "username" },
  /* Translators: the domains an administrator manages; "ALL" for every domain */
  { "domains", N_("Domains"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SEARCHED | EXPAND,
    "domains" },
  /* Translators: the administrator manages every domain and the other admins */
  { "superadmin", N_("Superadmin"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "superadmin" },
  { "enabled", N_("Enabled"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "active" },
  { "modified", N_("Modified"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_LOGIN, MW_SORT_DEFAULT, SECONDARY, "modified" },
};

static const MwListInfo lists[] = {
  {
    MW_LIST_ALIAS_DOMAINS, "alias-domains", N_("Alias Domains"), "insert-link-symbolic",
    N_("Search alias and target domains"), N_("No Alias Domains"), MW_SORT_NAME, alias_domain_columns,
    G_N_ELEMENTS (alias_domain_columns),
  },
  {
    MW_LIST_VACATIONS, "vacations", N_("Vacations"), "mail-reply-sender-symbolic",
    N_("Search mailboxes and subjects"), N_("No Vacation Replies"), MW_SORT_NAME, vacation_columns,
    G_N_ELEMENTS (vacation_columns),
  },
  {
    MW_LIST_DOMAIN_ADMINS, "domain-admins", N_("Domain Admins"), "avatar-default-symbolic",
    N_("Search admins and domains"), N_("No Domain Admins"), MW_SORT_NAME, domain_admin_columns,
    G_N_ELEMENTS (domain_admin_columns),
  },
};

const MwListInfo *
_mw_postfixadmin_more_list_info (MwListKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (lists[i].kind == kind)
      return &lists[i];
  return NULL;
}

/* The query over @inner (with [tables]); a search typed in Unicode finds
 * the domains stored in A-labels too (_mw_vmail_search_like ()). */
static MwListQuery *
finish (MwPostfixadminSchema *self,
        const char           *inner,
        const char           *sort_col,
        const char           *key_col,
        const MwListRequest  *req)
{
  return _mw_vmail_list_finish (_mw_postfixadmin_info (self), _mw_postfixadmin_sql (self, inner), sort_col, key_col,
                                req, NULL);
}

static char *
date_sql (MwDbDriver  driver,
          const char *column)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("to_char(%s, 'YYYY-MM-DD HH24:MI:SS')", column);
  return g_strdup_printf ("DATE_FORMAT(%s, '%%Y-%%m-%%d %%H:%%i:%%s')", column);
}

static MwListQuery *
alias_domains_query (MwPostfixadminSchema *self,
                     const MwListRequest  *req,
                     GError              **error)
{
  MwDbDriver driver = _mw_postfixadmin_info (self)->driver;
  g_autofree char *created = date_sql (driver, "created");
  g_autofree char *modified = date_sql (driver, "modified");
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "alias_domain"; break;
    case MW_SORT_TARGET: sort_col = "target_domain"; break;
    default: return _mw_vmail_bad_sort (error);
    }
  g_string_append_printf (sql, "SELECT alias_domain, target_domain, CASE WHEN active THEN 1 ELSE 0 END AS active, "
                               "%s AS created, %s AS modified FROM [alias_domain]", created, modified);
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *alias_domain = _mw_vmail_search_like (req, "alias_domain");
      g_autofree char *target_domain = _mw_vmail_search_like (req, "target_domain");

      g_string_append_printf (sql, " WHERE (%s OR %s)", alias_domain, target_domain);
    }
  return finish (self, sql->str, sort_col, "alias_domain", req);
}

static MwListQuery *
vacations_query (MwPostfixadminSchema *self,
                 const MwListRequest  *req,
                 GError              **error)
{
  MwDbDriver driver = _mw_postfixadmin_info (self)->driver;
  g_autofree char *from = date_sql (driver, "activefrom");
  g_autofree char *until = date_sql (driver, "activeuntil");
  g_autofree char *modified = date_sql (driver, "modified");
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "email"; break;
    case MW_SORT_TARGET: sort_col = "activeuntil"; break;
    default: return _mw_vmail_bad_sort (error);
    }
  g_string_append_printf (sql, "SELECT email, CASE WHEN active THEN 1 ELSE 0 END AS active, subject, "
                               "%s AS activefrom, %s AS activeuntil, %s AS modified FROM [vacation]",
                          from, until, modified);
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *email = _mw_vmail_search_like (req, "email");

      g_string_append_printf (sql, " WHERE (%s OR lower(subject) LIKE $1)", email);
    }
  return finish (self, sql->str, sort_col, "email", req);
}

static MwListQuery *
domain_admins_query (MwPostfixadminSchema *self,
                     const MwListRequest  *req,
                     GError              **error)
{
  MwDbDriver driver = _mw_postfixadmin_info (self)->driver;
  g_autofree char *modified = date_sql (driver, "a.modified");
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *agg = driver == MW_DB_DRIVER_PGSQL ? "string_agg(domain, ', ' ORDER BY domain)"
                                                 : "GROUP_CONCAT(domain ORDER BY domain SEPARATOR ', ')";

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: break;
    default: return _mw_vmail_bad_sort (error);
    }
  /* ([admin] is not one of _mw_postfixadmin_sql ()'s tables: the prefix is written in here.)
   * A superadmin (admin.superadmin, or PostfixAdmin 2's domain_admins row
   * for the pseudo-domain "ALL") manages every domain: "ALL", as
   * PostfixAdmin's list of admins shows it. */
  g_string_append_printf (sql,
                          "SELECT x.username, CASE WHEN x.superadmin = 1 THEN 'ALL' ELSE x.domains END AS domains, "
                          "x.superadmin, x.active, x.modified FROM ("
                          "SELECT a.username, COALESCE(d.domains, '') AS domains, "
                          "CASE WHEN a.superadmin OR COALESCE(d.has_all, 0) > 0 THEN 1 ELSE 0 END AS superadmin, "
                          "CASE WHEN a.active THEN 1 ELSE 0 END AS active, %s AS modified FROM %sadmin a "
                          "LEFT JOIN (SELECT username, %s AS domains, "
                          "SUM(CASE WHEN domain = 'ALL' THEN 1 ELSE 0 END) AS has_all "
                          "FROM [domain_admins] GROUP BY username) d ON d.username = a.username) x",
                          modified, _mw_postfixadmin_info (self)->prefix, agg);
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *username = _mw_vmail_search_like (req, "x.username");
      g_autofree char *domains = _mw_vmail_search_like (req, "x.domains");

      g_string_append_printf (sql, " WHERE (%s OR %s)", username, domains);
    }
  return finish (self, sql->str, "username", "username", req);
}

MwListQuery *
_mw_postfixadmin_more_list_query (MwPostfixadminSchema *self,
                                  const MwListRequest  *request,
                                  GError              **error)
{
  switch (request->kind)
    {
    case MW_LIST_ALIAS_DOMAINS: return alias_domains_query (self, request, error);
    case MW_LIST_VACATIONS: return vacations_query (self, request, error);
    case MW_LIST_DOMAIN_ADMINS: return domain_admins_query (self, request, error);
    default:
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("A PostfixAdmin database has no such list."));
      return NULL;
    }
}
