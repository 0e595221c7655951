/* mw-postfixadmin-domains.c: PostfixAdmin's domain table, as its
 * DomainHandler (PostfixAdmin 3.3, model/DomainHandler.php) writes it.
 *
 * A domain's key is its name as stored (lowercase, A-labels). Adding uses
 * config.inc.php's defaults: 10 aliases, 10 mailboxes, maxquota 10 MB,
 * domain quota 2048 MB, transport 'virtual'; with
 * MwDomainChange.default_aliases_to, the four aliases of
 * $CONF['default_aliases'] (its form's "Add default mail aliases").
 * Deleting takes what DomainHandler::delete() takes: domain_admins, alias, mailbox,
 * alias_domain (as the alias side), vacation, vacation_notification, quota,
 * quota2, fetchmail and the domain's log rows, then writes its delete_domain
 * log row. Each change writes PostfixAdmin's log row (create_domain,
 * edit_domain, delete_domain; data: the domain) in the same transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "mw-postfixadmin"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-postfixadmin-private.h"
#include "mw-sql-dialect.h"

#define run _mw_postfixadmin_run

/* config.inc.php: $CONF['aliases'], ['mailboxes'], ['maxquota'],
 * ['domain_quota_default'], ['transport_default'], ['transport_options']. */
#define DEFAULT_ALIASES    10
#define DEFAULT_MAILBOXES  10
#define DEFAULT_MAXQUOTA   10
#define DEFAULT_QUOTA      2048
#define DEFAULT_TRANSPORT  "virtual"
static const char *const transports[] = { "virtual", "local", "relay" };

/* config.inc.php's $CONF['default_aliases'] (its targets are placeholders
 * there: here they all go to MwDomainChange.default_aliases_to). */
static const char *const default_aliases[] = { "abuse", "hostmaster", "postmaster", "webmaster" };

#define ALL_FIELDS (MW_DOMAIN_NAME | MW_DOMAIN_DESCRIPTION | MW_DOMAIN_ACTIVE | MW_DOMAIN_MAX_MAILBOXES | \
                    MW_DOMAIN_MAX_ALIASES | MW_DOMAIN_MAX_QUOTA | MW_DOMAIN_QUOTA | MW_DOMAIN_TRANSPORT | \
                    MW_DOMAIN_BACKUP_MX)

#define DOMAIN_COLUMNS "d.domain, d.description, d.aliases, d.mailboxes, d.maxquota, d.quota, " \
                       "COALESCE(d.transport, ''), CASE WHEN d.backupmx THEN 1 ELSE 0 END, " \
                       "CASE WHEN d.active THEN 1 ELSE 0 END, " \
                       "(SELECT COUNT(*) FROM [mailbox] m WHERE m.domain = d.domain), " \
                       "(SELECT COUNT(*) FROM [alias] a WHERE a.domain = d.domain)"

/* MB as PostfixAdmin keeps domain quotas <-> bytes (0: no limit, -1 kept). */
static gint64
mb_to_bytes (gint64 mb)
{
  return mb > 0 ? mb * MW_POSTFIXADMIN_MB : mb;
}

static gint64
bytes_to_mb (gint64 bytes)
{
  return bytes > 0 ? (bytes + MW_POSTFIXADMIN_MB - 1) / MW_POSTFIXADMIN_MB : bytes;
}

/* A domain name as PostfixAdmin stores it: lowercase A-labels, at least
 * one dot (so never its "ALL"), at most 255 characters. */
static char *
normalize_domain (const char  *text,
                  GError     **error)
{
  return _mw_vmail_normalize_domain (text, MW_POSTFIXADMIN_ADDRESS_MAX, error);
}

static char *
domain_fingerprint (const MwDomain *d)
{
  g_autofree char *text = g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT
                                           "\n%" G_GINT64_FORMAT "\n%s\n%d\n%d", d->name, d->description,
                                           d->max_aliases, d->max_mailboxes, d->max_quota, d->quota, d->transport,
                                           d->backup_mx, d->active);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static MwDomain *
domain_from_row (MwDbResult *r)
{
  MwDomain *d = mw_domain_new ();
  const char *description = mw_db_result_get_string (r, 0, 1);
  const char *transport = mw_db_result_get_string (r, 0, 6);

  d->key = g_strdup (mw_db_result_get_string (r, 0, 0));
  d->name = g_strdup (d->key);
  d->has = ALL_FIELDS;
  d->description = g_strdup (description != NULL ? description : "");
  d->max_aliases = mw_db_result_get_int64 (r, 0, 2);
  d->max_mailboxes = mw_db_result_get_int64 (r, 0, 3);
  d->max_quota = mb_to_bytes (mw_db_result_get_int64 (r, 0, 4));
  d->quota = mb_to_bytes (mw_db_result_get_int64 (r, 0, 5));
  d->transport = g_strdup (transport != NULL ? transport : "");
  d->backup_mx = mw_db_result_get_int64 (r, 0, 7) != 0;
  d->active = mw_db_result_get_int64 (r, 0, 8) != 0;
  d->mailboxes = mw_db_result_get_int64 (r, 0, 9);
  /* PostfixAdmin's alias_count: alias rows without the mailboxes' own. */
  d->aliases = MAX (mw_db_result_get_int64 (r, 0, 10) - d->mailboxes, 0);
  d->fingerprint = domain_fingerprint (d);
  return d;
}

/* The domain's row; with @lock inside the admin's transaction, FOR UPDATE. */
static MwDomain *
read_domain (MwPostfixadminSchema  *self,
             const MwAdmin         *admin,
             MwDb                  *db,
             const char            *key_or_name,
             gboolean               lock,
             GCancellable          *cancellable,
             GError               **error)
{
  g_autofree char *name = normalize_domain (key_or_name, error);
  g_autofree char *eq = NULL;
  g_autofree char *inner = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  MwDbValue params[1];

  if (name == NULL)
    return NULL;
  params[0] = (MwDbValue) MW_DB_TEXT (name);
  eq = mw_sql_ci_equal (mw_db_get_driver (db), "d.domain", "$1");
  inner = g_strdup_printf ("SELECT " DOMAIN_COLUMNS " FROM [domain] d WHERE %s AND d.domain <> 'ALL' "
                           "ORDER BY d.domain LIMIT 1%s", eq, lock ? " FOR UPDATE" : "");
  if (admin != NULL)
    r = run (self, admin, inner, params, 1, error);
  else
    {
      sql = _mw_postfixadmin_sql (self, inner);
      r = mw_db_exec (db, sql, params, 1, cancellable, error);
    }
  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_autofree char *shown = _mw_vmail_domain_display (name);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("The domain “%s” is not in this database."), shown);
      return NULL;
    }
  return domain_from_row (r);
}

static MwDomainFields
pfa_get_domain_fields (MwSchema *schema)
{
  return ALL_FIELDS;
}

static MwDomain *
pfa_get_domain (MwSchema      *schema,
                MwDb          *db,
                const char    *key_or_name,
                GCancellable  *cancellable,
                GError       **error)
{
  return read_domain (MW_POSTFIXADMIN_SCHEMA (schema), NULL, db, key_or_name, FALSE, cancellable, error);
}

/* The settings DomainHandler's form checks: limits -1 (none allowed), 0
 * (no limit) or more; a transport of $CONF['transport_options']; a
 * description of one line within varchar(255). */
static gboolean
check_settings (const MwDomainChange  *c,
                GError               **error)
{
  const char *bad = NULL;

  if (c == NULL)
    return TRUE;
  if ((c->changes & MW_DOMAIN_MAX_ALIASES) && c->max_aliases < -1)
    bad = _("The number of aliases is -1 (none), 0 (no limit) or more.");
  else if ((c->changes & MW_DOMAIN_MAX_MAILBOXES) && c->max_mailboxes < -1)
    bad = _("The number of mailboxes is -1 (none), 0 (no limit) or more.");
  else if (((c->changes & MW_DOMAIN_MAX_QUOTA) && c->max_quota < -1) ||
           ((c->changes & MW_DOMAIN_QUOTA) && c->quota < -1))
    bad = _("A quota is 0 (no limit) or more.");
  else if ((c->changes & MW_DOMAIN_DESCRIPTION) &&
           (c->description == NULL || !g_utf8_validate (c->description, -1, NULL) ||
            g_utf8_strlen (c->description, -1) > 255 || strpbrk (c->description, "\r\n") != NULL))
    bad = _("The description is one line of at most 255 characters of valid UTF-8 text.");
  else if (c->changes & MW_DOMAIN_TRANSPORT)
    {
      gboolean known = FALSE;

      for (guint i = 0; c->transport != NULL && i < G_N_ELEMENTS (transports); i++)
        known = known || g_str_equal (c->transport, transports[i]);
      if (!known)
        bad = _("PostfixAdmin offers only the transports “virtual”, “local” and “relay”.");
    }
  if (bad == NULL)
    return TRUE;
  g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, bad);
  return FALSE;
}

static void
audit_fields (const MwDomain *d,
              GPtrArray      *keep,
              MwAuditField   *fields)
{
  const char *names[] = { "domain", "description", "aliases", "mailboxes", "maxquota", "quota", "transport",
                          "backupmx", "active" };
  char *values[] = {
    g_strdup (d->name), g_strdup (d->description),
    g_strdup_printf ("%" G_GINT64_FORMAT, d->max_aliases), g_strdup_printf ("%" G_GINT64_FORMAT, d->max_mailboxes),
    g_strdup_printf ("%" G_GINT64_FORMAT, bytes_to_mb (d->max_quota)),
    g_strdup_printf ("%" G_GINT64_FORMAT, bytes_to_mb (d->quota)), g_strdup (d->transport),
    g_strdup (d->backup_mx ? "1" : "0"), g_strdup (d->active ? "1" : "0"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      fields[i].key = names[i];
      fields[i].value = values[i];
      g_ptr_array_add (keep, values[i]);
    }
}
#define N_AUDIT_FIELDS 9

/* Where the default aliases of the new domain @domain go: @text as an
 * address, or a local part alone in @domain (as PostfixAdmin reads a
 * $CONF['default_aliases'] target without "@"), never one of them.
 * (transfer full) */
static char *
default_aliases_target (const char  *text,
                        const char  *domain,
                        GError     **error)
{
  g_autofree char *full = NULL;
  g_autofree char *target = NULL;

  if (g_utf8_validate (text, -1, NULL) && strchr (text, '@') == NULL)
    {
      g_autofree char *local = g_strstrip (g_strdup (text));

      full = g_strconcat (local, "@", domain, NULL);
    }
  target = _mw_postfixadmin_check_address (full != NULL ? full : text, MW_ADDRESS_FLAGS_NONE, error);
  if (target == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (default_aliases); i++)
    {
      g_autofree char *address = g_strconcat (default_aliases[i], "@", domain, NULL);

      if (g_str_equal (address, target))
        {
          g_autofree char *shown = mw_address_to_display (target);

          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("The default aliases cannot go to “%s”, which is one of them: name a mailbox that "
                         "reads them, such as admin@example.org."), shown);
          return NULL;
        }
    }
  return g_steal_pointer (&target);
}

static char *
pfa_add_domain (MwSchema              *schema,
                const MwAdmin         *admin,
                const char            *name,
                const MwDomainChange  *settings,
                GError               **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_autofree char *domain = NULL;
  g_autofree char *aliases_to = NULL;
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (admin->db), "domain", "$1");
  g_autofree char *taken_sql = g_strdup_printf ("SELECT domain FROM [domain] WHERE %s ORDER BY domain LIMIT 1", eq);
  MwDomain d = { 0 };
  MwDomainFields set = settings != NULL ? settings->changes : 0;
  gboolean ok;

  domain = normalize_domain (name, error);
  if (domain == NULL || !check_settings (settings, error))
    return NULL;
  if (settings != NULL && settings->default_aliases_to != NULL &&
      (aliases_to = default_aliases_target (settings->default_aliases_to, domain, error)) == NULL)
    return NULL;
  d.name = domain;
  d.description = (set & MW_DOMAIN_DESCRIPTION) ? settings->description : "";
  d.max_aliases = (set & MW_DOMAIN_MAX_ALIASES) ? settings->max_aliases : DEFAULT_ALIASES;
  d.max_mailboxes = (set & MW_DOMAIN_MAX_MAILBOXES) ? settings->max_mailboxes : DEFAULT_MAILBOXES;
  d.max_quota = (set & MW_DOMAIN_MAX_QUOTA) ? settings->max_quota : mb_to_bytes (DEFAULT_MAXQUOTA);
  d.quota = (set & MW_DOMAIN_QUOTA) ? settings->quota : mb_to_bytes (DEFAULT_QUOTA);
  d.transport = (set & MW_DOMAIN_TRANSPORT) ? settings->transport : DEFAULT_TRANSPORT;
  d.backup_mx = (set & MW_DOMAIN_BACKUP_MX) ? settings->backup_mx : FALSE;
  d.active = (set & MW_DOMAIN_ACTIVE) ? settings->active : TRUE;

  if (!_mw_admin_begin (admin, error))
    return NULL;
  {
    MwDbValue params[] = { MW_DB_TEXT (domain) };
    g_autoptr(MwDbResult) r = run (self, admin, taken_sql, params, 1, error);

    ok = r != NULL;
    if (ok && mw_db_result_get_n_rows (r) > 0)
      {
        g_autofree char *shown = _mw_vmail_domain_display (mw_db_result_get_string (r, 0, 0));

        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                     _("The domain “%s” is already in this database."), shown);
        ok = FALSE;
      }
  }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (domain), MW_DB_TEXT (d.description), MW_DB_INT64 (d.max_aliases),
                             MW_DB_INT64 (d.max_mailboxes), MW_DB_INT64 (bytes_to_mb (d.max_quota)),
                             MW_DB_INT64 (bytes_to_mb (d.quota)), MW_DB_TEXT (d.transport),
                             MW_DB_BOOL (d.backup_mx), MW_DB_BOOL (d.active) };
      g_autoptr(MwDbResult) r = run (self, admin, "INSERT INTO [domain] (domain, description, aliases, mailboxes, "
                                                  "maxquota, quota, transport, backupmx, active, created, modified) "
                                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), now())",
                                     params, G_N_ELEMENTS (params), error);

      ok = r != NULL;
    }
  /* DomainHandler::postSave(): the alias rows, written straight (no log
   * row of their own, no alias limit), before store()'s create_domain. */
  for (guint i = 0; ok && aliases_to != NULL && i < G_N_ELEMENTS (default_aliases); i++)
    {
      g_autofree char *address = g_strconcat (default_aliases[i], "@", domain, NULL);
      MwDbValue params[] = { MW_DB_TEXT (address), MW_DB_TEXT (aliases_to), MW_DB_TEXT (domain), MW_DB_BOOL (TRUE) };
      g_autoptr(MwDbResult) r = run (self, admin, "INSERT INTO [alias] (address, goto, domain, created, modified, "
                                                  "active) VALUES ($1, $2, $3, now(), now(), $4)", params, 4, error);

      ok = r != NULL;
    }
  ok = ok && _mw_postfixadmin_log (self, admin, domain, "create_domain", domain, error);
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
    MwAuditField after[N_AUDIT_FIELDS];

    audit_fields (&d, keep, after);
    _mw_admin_audit (admin, "domain.add", domain, NULL, 0, after, N_AUDIT_FIELDS);
  }
  for (guint i = 0; aliases_to != NULL && i < G_N_ELEMENTS (default_aliases); i++)
    {
      g_autofree char *address = g_strconcat (default_aliases[i], "@", domain, NULL);
      MwAuditField after[] = { { "address", address }, { "goto", aliases_to } };

      _mw_admin_audit (admin, "alias.add", address, NULL, 0, after, G_N_ELEMENTS (after));
    }
  return g_steal_pointer (&domain);
}

static MwDomainChange *
pfa_update_domain (MwSchema              *schema,
                   const MwAdmin         *admin,
                   const char            *key,
                   const MwDomainChange  *change,
                   GError               **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_autoptr(MwDomain) now = NULL;
  g_autoptr(MwDomainChange) undo = mw_domain_change_new ();
  MwDomain after;
  MwDomainFields c = change->changes;
  gboolean ok;

  if (c & MW_DOMAIN_NAME)
    {
      g_autofree char *name = normalize_domain (change->name, error);

      if (name == NULL)
        return NULL;
      if (g_ascii_strcasecmp (name, key) != 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("PostfixAdmin cannot rename a domain: its name is part of every address and of the "
                         "Maildirs on the mail server (%s/%s/). Add the new domain and its mailboxes instead."),
                       MW_POSTFIXADMIN_VMAIL_DIR, key);
          return NULL;
        }
    }
  if (!check_settings (change, error) || !_mw_admin_begin (admin, error))
    return NULL;
  now = read_domain (self, admin, admin->db, key, TRUE, NULL, error);
  ok = now != NULL;
  if (ok && change->expected_fingerprint != NULL && g_strcmp0 (change->expected_fingerprint, now->fingerprint) != 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT,
                   _("The domain changed in the database since it was read: look at it again."));
      ok = FALSE;
    }
  if (ok)
    {
      after = *now;
      if (c & MW_DOMAIN_DESCRIPTION)
        after.description = change->description;
      if (c & MW_DOMAIN_MAX_ALIASES)
        after.max_aliases = change->max_aliases;
      if (c & MW_DOMAIN_MAX_MAILBOXES)
        after.max_mailboxes = change->max_mailboxes;
      if (c & MW_DOMAIN_MAX_QUOTA)
        after.max_quota = change->max_quota;
      if (c & MW_DOMAIN_QUOTA)
        after.quota = change->quota;
      if (c & MW_DOMAIN_TRANSPORT)
        after.transport = change->transport;
      if (c & MW_DOMAIN_BACKUP_MX)
        after.backup_mx = change->backup_mx;
      if (c & MW_DOMAIN_ACTIVE)
        after.active = change->active;
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (after.description), MW_DB_INT64 (after.max_aliases),
                             MW_DB_INT64 (after.max_mailboxes), MW_DB_INT64 (bytes_to_mb (after.max_quota)),
                             MW_DB_INT64 (bytes_to_mb (after.quota)), MW_DB_TEXT (after.transport),
                             MW_DB_BOOL (after.backup_mx), MW_DB_BOOL (after.active), MW_DB_TEXT (now->name) };
      g_autoptr(MwDbResult) r = run (self, admin, "UPDATE [domain] SET description = $1, aliases = $2, "
                                                  "mailboxes = $3, maxquota = $4, quota = $5, transport = $6, "
                                                  "backupmx = $7, active = $8, modified = now() WHERE domain = $9",
                                     params, G_N_ELEMENTS (params), error);

      ok = r != NULL && _mw_postfixadmin_log (self, admin, now->name, "edit_domain", now->name, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;

  undo->changes = c & ~MW_DOMAIN_NAME;
  undo->description = g_strdup (now->description);
  undo->max_aliases = now->max_aliases;
  undo->max_mailboxes = now->max_mailboxes;
  undo->max_quota = now->max_quota;
  undo->quota = now->quota;
  undo->transport = g_strdup (now->transport);
  undo->backup_mx = now->backup_mx;
  undo->active = now->active;
  {
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
    MwAuditField before_f[N_AUDIT_FIELDS];
    MwAuditField after_f[N_AUDIT_FIELDS];

    audit_fields (now, keep, before_f);
    audit_fields (&after, keep, after_f);
    _mw_admin_audit (admin, "domain.update", now->name, before_f, N_AUDIT_FIELDS, after_f, N_AUDIT_FIELDS);
  }
  {
    g_autofree char *fp = domain_fingerprint (&after);

    undo->expected_fingerprint = g_steal_pointer (&fp);
  }
  return g_steal_pointer (&undo);
}

/* DELETE FROM [table] WHERE column = $1 (OR column LIKE '%@' || $1), counted. */
static gint64
delete_rows (MwPostfixadminSchema  *self,
             const MwAdmin         *admin,
             const char            *table,
             const char            *column,
             gboolean               like_domain,
             const char            *domain,
             GError               **error)
{
  g_autofree char *like = g_strconcat ("%@", domain, NULL);
  MwDbValue params[] = { MW_DB_TEXT (domain), MW_DB_TEXT (like) };
  g_autofree char *where = like_domain ? g_strdup_printf ("%s = $1 OR %s LIKE $2", column, column)
                                       : g_strdup_printf ("%s = $1", column);
  g_autofree char *count = g_strdup_printf ("SELECT COUNT(*) FROM [%s] WHERE %s", table, where);
  g_autofree char *del = g_strdup_printf ("DELETE FROM [%s] WHERE %s", table, where);
  g_autofree char *count_sql = _mw_postfixadmin_sql (self, count);
  gint64 n = _mw_admin_run_int (admin, count_sql, params, like_domain ? 2 : 1, error);
  g_autoptr(MwDbResult) r = NULL;

  if (n < 0)
    return -1;
  r = run (self, admin, del, params, like_domain ? 2 : 1, error);
  return r != NULL ? n : -1;
}

static MwDomainDeleteSummary *
pfa_delete_domains (MwSchema           *schema,
                    const MwAdmin      *admin,
                    const char *const  *keys,
                    GError            **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_autoptr(GPtrArray) maildirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MwDomainDeleteSummary) s = g_new0 (MwDomainDeleteSummary, 1);
  g_autofree char *target_sql = _mw_postfixadmin_sql (self, "SELECT COUNT(*) FROM [alias_domain] "
                                                            "WHERE target_domain = $1");
  gboolean ok;

  if (!_mw_admin_begin (admin, error))
    return NULL;
  ok = TRUE;
  for (guint i = 0; ok && keys[i] != NULL; i++)
    {
      g_autoptr(MwDomain) d = read_domain (self, admin, admin->db, keys[i], TRUE, NULL, error);
      g_autoptr(MwDbResult) boxes = NULL;
      MwDbValue params[1];
      gint64 n;

      if (d == NULL)
        {
          ok = FALSE;
          break;
        }
      params[0] = (MwDbValue) MW_DB_TEXT (d->name);
      /* DomainHandler refuses to delete the target of an alias domain. */
      n = _mw_admin_run_int (admin, target_sql, params, 1, error);
      if (n != 0)
        {
          if (n > 0)
            {
              g_autofree char *shown = _mw_vmail_domain_display (d->name);

              g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                           _("The domain “%s” is the target of an alias domain: delete the alias domain first."),
                           shown);
            }
          ok = FALSE;
          break;
        }
      boxes = run (self, admin, "SELECT maildir FROM [mailbox] WHERE domain = $1 ORDER BY username", params, 1, error);
      ok = boxes != NULL;
      for (guint row = 0; ok && row < mw_db_result_get_n_rows (boxes); row++)
        {
          const char *maildir = mw_db_result_get_string (boxes, row, 0);

          if (maildir != NULL && maildir[0] != '\0')
            g_ptr_array_add (maildirs, g_strdup_printf (MW_POSTFIXADMIN_VMAIL_DIR "/%s%s", maildir,
                                                        g_str_has_suffix (maildir, "/") ? "" : "/"));
        }
      if (ok)
        {
          s->mailboxes += d->mailboxes;
          s->aliases += d->aliases;
        }
      ok = ok && delete_rows (self, admin, "domain_admins", "domain", FALSE, d->name, error) >= 0;
      ok = ok && delete_rows (self, admin, "alias", "domain", FALSE, d->name, error) >= 0;
      ok = ok && delete_rows (self, admin, "mailbox", "domain", FALSE, d->name, error) >= 0;
      if (ok)
        {
          n = delete_rows (self, admin, "alias_domain", "alias_domain", FALSE, d->name, error);
          ok = n >= 0;
          s->alias_domains += MAX (n, 0);
        }
      ok = ok && delete_rows (self, admin, "vacation", "domain", FALSE, d->name, error) >= 0;
      ok = ok && delete_rows (self, admin, "vacation_notification", "on_vacation", TRUE, d->name, error) >= 0;
      ok = ok && delete_rows (self, admin, "quota", "username", TRUE, d->name, error) >= 0;
      ok = ok && delete_rows (self, admin, "quota2", "username", TRUE, d->name, error) >= 0;
      ok = ok && delete_rows (self, admin, "fetchmail", "mailbox", TRUE, d->name, error) >= 0;
      /* As DomainHandler::delete(): the domain's log goes too, then its delete_domain row. */
      ok = ok && delete_rows (self, admin, "log", "domain", FALSE, d->name, error) >= 0;
      ok = ok && delete_rows (self, admin, "domain", "domain", FALSE, d->name, error) >= 0;
      ok = ok && _mw_postfixadmin_log (self, admin, d->name, "delete_domain", d->name, error);
      if (ok)
        {
          s->domains++;
          g_ptr_array_add (names, g_strdup (d->name));
        }
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;

  g_ptr_array_add (maildirs, NULL);
  s->maildirs = (GStrv) g_ptr_array_free (g_steal_pointer (&maildirs), FALSE);
  {
    g_autofree char *mailboxes = g_strdup_printf ("%" G_GINT64_FORMAT, s->mailboxes);
    g_autofree char *aliases = g_strdup_printf ("%" G_GINT64_FORMAT, s->aliases);
    g_autofree char *dirs = g_strjoinv (" ", s->maildirs);

    for (guint i = 0; i < names->len; i++)
      {
        MwAuditField b[] = { { "domain", g_ptr_array_index (names, i) }, { "mailboxes", mailboxes },
                             { "aliases", aliases }, { "maildirs", dirs } };

        _mw_admin_audit (admin, "domain.delete", g_ptr_array_index (names, i), b, G_N_ELEMENTS (b), NULL, 0);
      }
  }
  return g_steal_pointer (&s);
}

/* What pfa_add_domain writes when no settings are given. */
static MwDomainChange *
pfa_get_domain_defaults (MwSchema *schema)
{
  MwDomainChange *d = mw_domain_change_new ();

  d->changes = ALL_FIELDS & ~MW_DOMAIN_NAME;
  d->description = g_strdup ("");
  d->active = TRUE;
  d->max_aliases = DEFAULT_ALIASES;
  d->max_mailboxes = DEFAULT_MAILBOXES;
  d->max_quota = mb_to_bytes (DEFAULT_MAXQUOTA);
  d->quota = mb_to_bytes (DEFAULT_QUOTA);
  d->transport = g_strdup (DEFAULT_TRANSPORT);
  d->backup_mx = FALSE;
  return d;
}

void
_mw_postfixadmin_domains_iface_init (MwSchemaInterface *iface)
{
  iface->get_domain_defaults = pfa_get_domain_defaults;
  iface->get_domain_fields = pfa_get_domain_fields;
  iface->get_domain = pfa_get_domain;
  iface->add_domain = pfa_add_domain;
  iface->update_domain = pfa_update_domain;
  iface->delete_domains = pfa_delete_domains;
}
