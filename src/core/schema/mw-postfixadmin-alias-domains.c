/* mw-postfixadmin-alias-domains.c: PostfixAdmin's alias_domain table, as
 * its AliasdomainHandler (PostfixAdmin 3.3, model/AliasdomainHandler.php)
 * writes it.
 *
 * A row (alias_domain, target_domain, created, modified, active) sends mail
 * for any address at the alias domain to the same local part at the target
 * (PostfixAdmin's virtual_alias_domain_*maps). Both must be rows of
 * [domain]; an alias domain is one only once, and AliasdomainHandler offers
 * neither a domain that is already an alias domain nor one that is a
 * target as the alias side, nor the alias domain itself as its target: no
 * chains (a -> b -> c) and no loops. Each change writes PostfixAdmin's log
 * row as PFAHandler::save() and AliasdomainHandler::delete() do:
 * create_alias_domain and edit_alias_domain with the alias domain as domain
 * and data, delete_alias_domain with the target as data; in the same
 * transaction, with Mailwarden's audit entry.
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

#define run _mw_postfixadmin_run

static char *
domain_display (const char *name)
{
  g_autofree char *with_at = g_strconcat ("@", name, NULL);
  g_autofree char *shown = mw_address_to_display (with_at);

  return g_strdup (shown[0] == '@' ? shown + 1 : shown);
}

/* A domain name given in Unicode or A-labels, as PostfixAdmin stores it:
 * lowercase A-labels; NULL with a sentence otherwise. */
static char *
normalize_domain (const char  *text,
                  GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_at = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) local = NULL;
  MwAddressKind kind = MW_ADDRESS_PLAIN;
  char *domain;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The domain name is not valid UTF-8 text: type it again, such as example.org."));
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("Type a domain name, such as example.org."));
      return NULL;
    }
  if (strchr (trimmed, '@') != NULL || trimmed[0] == '[' || trimmed[0] == '.')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” is not a domain name: type only the part of the addresses after the “@”, "
                     "such as example.org."), trimmed);
      return NULL;
    }
  with_at = g_strconcat ("@", trimmed, NULL);
  stored = mw_address_normalize_alias (with_at, MW_ADDRESS_ALLOW_CATCH_ALL, &kind, &local);
  if (stored == NULL || kind != MW_ADDRESS_CATCH_ALL_DOMAIN)
    {
      /* Translators: the second %s is why, a sentence from the address checks */
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("“%s” is not a domain name: %s"), trimmed,
                   local != NULL ? local->message : _("it has characters a domain name cannot have."));
      return NULL;
    }
  domain = g_ascii_strdown (stored + 1, -1);
  if (strchr (domain, '.') == NULL || g_ascii_strcasecmp (domain, "ALL") == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” is not a domain name Postfix receives mail for: a domain name has at least one dot, "
                     "such as example.org."), trimmed);
      g_free (domain);
      return NULL;
    }
  if (strlen (domain) > MW_POSTFIXADMIN_ADDRESS_MAX)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The domain name is too long: this database holds at most %d characters."),
                   MW_POSTFIXADMIN_ADDRESS_MAX);
      g_free (domain);
      return NULL;
    }
  return domain;
}

static char *
date_sql (MwDbDriver  driver,
          const char *column)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("to_char(%s, 'YYYY-MM-DD HH24:MI:SS')", column);
  return g_strdup_printf ("DATE_FORMAT(%s, '%%Y-%%m-%%d %%H:%%i:%%s')", column);
}

#define COLUMNS "alias_domain, target_domain, CASE WHEN active THEN 1 ELSE 0 END AS active, %s AS created, " \
                "%s AS modified"

static char *
select_sql (MwDbDriver  driver,
            const char *where)
{
  g_autofree char *created = date_sql (driver, "created");
  g_autofree char *modified = date_sql (driver, "modified");

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  {
    g_autofree char *columns = g_strdup_printf (COLUMNS, created, modified);

    return g_strdup_printf ("SELECT %s FROM [alias_domain] %s", columns, where);
  }
#pragma GCC diagnostic pop
}

static MwAliasDomain *
alias_domain_from_row (MwDbResult *r,
                       guint       row)
{
  MwAliasDomain *d = mw_alias_domain_new ();

  d->name = g_strdup (mw_db_result_get_string (r, row, 0));
  d->target = g_strdup (mw_db_result_get_string (r, row, 1));
  d->active = mw_db_result_get_int64 (r, row, 2) != 0;
  d->created = g_strdup (mw_db_result_get_string (r, row, 3));
  d->modified = g_strdup (mw_db_result_get_string (r, row, 4));
  return d;
}

static GPtrArray *
pfa_list_alias_domains (MwAliasDomainStore  *store,
                        MwDb                *db,
                        const char          *domain,
                        GCancellable        *cancellable,
                        GError             **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (store);
  g_autofree char *name = NULL;
  g_autofree char *inner = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  GPtrArray *out;
  MwDbValue params[1];

  if (domain != NULL && (name = normalize_domain (domain, error)) == NULL)
    return NULL;
  inner = select_sql (mw_db_get_driver (db), name != NULL ? "WHERE alias_domain = $1 OR target_domain = $1 "
                                                           "ORDER BY alias_domain"
                                                         : "ORDER BY alias_domain");
  sql = _mw_postfixadmin_sql (self, inner);
  params[0] = (MwDbValue) MW_DB_TEXT (name);
  r = mw_db_exec (db, sql, params, name != NULL ? 1 : 0, cancellable, error);
  if (r == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_alias_domain_free);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    g_ptr_array_add (out, alias_domain_from_row (r, i));
  return out;
}

/* The alias domain's row, locked, or NULL with a sentence. */
static MwAliasDomain *
lock_alias_domain (MwPostfixadminSchema  *self,
                   const MwAdmin         *admin,
                   const char            *name,
                   GError               **error)
{
  g_autofree char *sql = select_sql (mw_db_get_driver (admin->db), "WHERE alias_domain = $1 FOR UPDATE");
  MwDbValue params[] = { MW_DB_TEXT (name) };
  g_autoptr(MwDbResult) r = run (self, admin, sql, params, 1, error);

  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_autofree char *shown = domain_display (name);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("“%s” is not an alias domain in this database."), shown);
      return NULL;
    }
  return alias_domain_from_row (r, 0);
}

/* The domain's name as [domain] stores it, its row locked; NULL with a sentence when it is not there. */
static char *
lock_domain (MwPostfixadminSchema  *self,
             const MwAdmin         *admin,
             const char            *name,
             GError               **error)
{
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (admin->db), "domain", "$1");
  g_autofree char *sql = g_strdup_printf ("SELECT domain FROM [domain] WHERE %s AND domain <> 'ALL' "
                                          "ORDER BY domain LIMIT 1 FOR UPDATE", eq);
  MwDbValue params[] = { MW_DB_TEXT (name) };
  g_autoptr(MwDbResult) r = run (self, admin, sql, params, 1, error);

  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_autofree char *shown = domain_display (name);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("The domain “%s” is not in this database: add it as a domain first."), shown);
      return NULL;
    }
  return g_strdup (mw_db_result_get_string (r, 0, 0));
}

static void
audit (const MwAdmin       *admin,
       const char          *action,
       const MwAliasDomain *before,
       const MwAliasDomain *after)
{
  MwAuditField b[] = { { "alias_domain", before != NULL ? before->name : NULL },
                       { "target_domain", before != NULL ? before->target : NULL },
                       { "active", before != NULL ? (before->active ? "1" : "0") : NULL } };
  MwAuditField a[] = { { "alias_domain", after != NULL ? after->name : NULL },
                       { "target_domain", after != NULL ? after->target : NULL },
                       { "active", after != NULL ? (after->active ? "1" : "0") : NULL } };

  _mw_admin_audit (admin, action, before != NULL ? before->name : after->name, before != NULL ? b : NULL,
                   before != NULL ? G_N_ELEMENTS (b) : 0, after != NULL ? a : NULL, after != NULL ? G_N_ELEMENTS (a) : 0);
}

/* What AliasdomainHandler would not offer: an alias domain already, a
 * target of one, or a target that is itself an alias domain. */
static gboolean
check_free (MwPostfixadminSchema  *self,
            const MwAdmin         *admin,
            const char            *alias,
            const char            *target,
            GError               **error)
{
  g_autofree char *sql = select_sql (mw_db_get_driver (admin->db), "WHERE alias_domain = $1 OR target_domain = $1 "
                                                                   "OR alias_domain = $2 ORDER BY alias_domain "
                                                                   "FOR UPDATE");
  MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_TEXT (target) };
  g_autoptr(MwDbResult) r = run (self, admin, sql, params, 2, error);
  g_autofree char *shown_alias = domain_display (alias);
  g_autofree char *shown_target = domain_display (target);

  if (r == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *a = mw_db_result_get_string (r, i, 0);
      const char *t = mw_db_result_get_string (r, i, 1);
      g_autofree char *shown_t = domain_display (t);

      if (g_ascii_strcasecmp (a, alias) == 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                       _("“%s” is already an alias domain: its mail goes to “%s”. Delete that alias domain first "
                         "to send it elsewhere."), shown_alias, shown_t);
          return FALSE;
        }
    }
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *a = mw_db_result_get_string (r, i, 0);
      const char *t = mw_db_result_get_string (r, i, 1);
      g_autofree char *shown_a = domain_display (a);

      if (g_ascii_strcasecmp (a, target) == 0 && g_ascii_strcasecmp (t, alias) == 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("“%s” is an alias domain of “%s” already: the other way round too would make a loop, "
                         "and mail would go to neither."), shown_target, shown_alias);
          return FALSE;
        }
      if (g_ascii_strcasecmp (t, alias) == 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("“%s” is the target of the alias domain “%s”, so it cannot be an alias domain itself: "
                         "Postfix would not follow the chain. Point “%s” at the final domain instead."),
                       shown_alias, shown_a, shown_a);
          return FALSE;
        }
      if (g_ascii_strcasecmp (a, target) == 0)
        {
          g_autofree char *shown_t = domain_display (t);

          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("“%s” is itself an alias domain of “%s”: Postfix would not follow the chain. Choose “%s” "
                         "as the target instead."), shown_target, shown_t, shown_t);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
pfa_add_alias_domain (MwAliasDomainStore  *store,
                      const MwAdmin       *admin,
                      const char          *alias_text,
                      const char          *target_text,
                      gboolean             active,
                      GError             **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (store);
  g_autofree char *alias_in = normalize_domain (alias_text, error);
  g_autofree char *target_in = alias_in != NULL ? normalize_domain (target_text, error) : NULL;
  g_autofree char *alias = NULL;
  g_autofree char *target = NULL;
  MwAliasDomain after = { 0 };
  gboolean ok;

  if (alias_in == NULL || target_in == NULL)
    return NULL;
  if (g_str_equal (alias_in, target_in))
    {
      g_autofree char *shown = domain_display (alias_in);

      /* PostfixAdmin's alias_domain_to_itsself */
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” cannot be an alias domain of itself: choose another domain as the target."), shown);
      return NULL;
    }
  if (!_mw_admin_begin (admin, error))
    return NULL;
  /* The two domain rows in one order, so that two changes wait instead of deadlocking. */
  if (strcmp (alias_in, target_in) < 0)
    ok = (alias = lock_domain (self, admin, alias_in, error)) != NULL &&
         (target = lock_domain (self, admin, target_in, error)) != NULL;
  else
    ok = (target = lock_domain (self, admin, target_in, error)) != NULL &&
         (alias = lock_domain (self, admin, alias_in, error)) != NULL;
  ok = ok && check_free (self, admin, alias, target, error);
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_TEXT (target), MW_DB_BOOL (active) };
      g_autoptr(MwDbResult) r = run (self, admin, "INSERT INTO [alias_domain] (alias_domain, target_domain, created, "
                                                  "modified, active) VALUES ($1, $2, now(), now(), $3)",
                                     params, G_N_ELEMENTS (params), error);

      ok = r != NULL && _mw_postfixadmin_log (self, admin, alias, "create_alias_domain", alias, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  after.name = alias;
  after.target = target;
  after.active = active;
  audit (admin, "alias-domain.add", NULL, &after);
  return g_steal_pointer (&alias);
}

static MwAliasDomain *
pfa_set_alias_domain_active (MwAliasDomainStore  *store,
                             const MwAdmin       *admin,
                             const char          *alias_text,
                             gboolean             active,
                             GError             **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (store);
  g_autofree char *name = normalize_domain (alias_text, error);
  g_autoptr(MwAliasDomain) before = NULL;
  g_autoptr(MwAliasDomain) after = NULL;
  gboolean ok;

  if (name == NULL || !_mw_admin_begin (admin, error))
    return NULL;
  before = lock_alias_domain (self, admin, name, error);
  ok = before != NULL;
  if (ok)
    {
      MwDbValue params[] = { MW_DB_BOOL (active), MW_DB_TEXT (before->name) };
      g_autoptr(MwDbResult) r = run (self, admin, "UPDATE [alias_domain] SET active = $1, modified = now() "
                                                  "WHERE alias_domain = $2", params, 2, error);

      ok = r != NULL && _mw_postfixadmin_log (self, admin, before->name, "edit_alias_domain", before->name, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  after = mw_alias_domain_copy (before);
  after->active = active;
  audit (admin, "alias-domain.update", before, after);
  return g_steal_pointer (&before);
}

static MwAliasDomain *
pfa_delete_alias_domain (MwAliasDomainStore  *store,
                         const MwAdmin       *admin,
                         const char          *alias_text,
                         GError             **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (store);
  g_autofree char *name = normalize_domain (alias_text, error);
  g_autoptr(MwAliasDomain) before = NULL;
  gboolean ok;

  if (name == NULL || !_mw_admin_begin (admin, error))
    return NULL;
  before = lock_alias_domain (self, admin, name, error);
  ok = before != NULL;
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (before->name) };
      g_autoptr(MwDbResult) r = run (self, admin, "DELETE FROM [alias_domain] WHERE alias_domain = $1",
                                     params, 1, error);

      /* AliasdomainHandler::delete(): db_log($id, 'delete_alias_domain', target_domain). */
      ok = r != NULL && _mw_postfixadmin_log (self, admin, before->name, "delete_alias_domain", before->target, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  audit (admin, "alias-domain.delete", before, NULL);
  return g_steal_pointer (&before);
}

void
_mw_postfixadmin_alias_domains_iface_init (MwAliasDomainStoreInterface *iface)
{
  iface->list_alias_domains = pfa_list_alias_domains;
  iface->add_alias_domain = pfa_add_alias_domain;
  iface->set_alias_domain_active = pfa_set_alias_domain_active;
  iface->delete_alias_domain = pfa_delete_alias_domain;
}
