/* mw-postfixadmin-accounts.c: the PostfixAdmin flavour's mailboxes: add,
 * change, delete, as PostfixAdmin 3.3's MailboxHandler does them: the
 * domain's limits (mailboxes, max quota per mailbox, domain quota), the
 * mailbox's own alias row (address = goto = username), the maildir
 * "domain/local/", local_part and domain, created and modified, and a row
 * in PostfixAdmin's log table for each change, as its db_log() writes it.
 *
 * Each change is one transaction on the admin's connection and is written
 * to Mailwarden's audit log once committed. Passwords are Dovecot strings
 * ("{SHA512-CRYPT}$6$..."); mailbox.quota is in bytes, the domain's limits
 * in MB of 1024000 bytes (PostfixAdmin's quota_multiplier).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-postfixadmin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-postfixadmin-private.h"
#include "mw-sql-dialect.h"

typedef char WipedText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedText, mw_password_free)

char *
_mw_postfixadmin_fingerprint (const char *username,
                              const char *password,
                              gint64      quota,
                              gboolean    active)
{
  return _mw_vmail_fingerprint (g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT "\n%d", username,
                                                 password != NULL ? password : "", quota, active ? 1 : 0));
}

MwDbResult *
_mw_postfixadmin_run (MwPostfixadminSchema  *self,
                      const MwAdmin         *admin,
                      const char            *sql,
                      const MwDbValue       *params,
                      guint                  n_params,
                      GError               **error)
{
  g_autofree char *expanded = _mw_postfixadmin_sql (self, sql);

  return _mw_admin_run (admin, expanded, params, n_params, error);
}

#define run _mw_postfixadmin_run

gboolean
_mw_postfixadmin_log (MwPostfixadminSchema  *self,
                      const MwAdmin         *admin,
                      const char            *domain,
                      const char            *action,
                      const char            *data,
                      GError               **error)
{
  /* db_log(): username "admin (REMOTE_ADDR)"; here who changed it and with what. */
  g_autofree char *who = g_strdup_printf ("%s (Mailwarden)", admin->profile != NULL ? admin->profile
                                                                                     : g_get_user_name ());
  MwDbValue params[] = { MW_DB_TEXT (who), MW_DB_TEXT (domain), MW_DB_TEXT (action), MW_DB_TEXT (data) };
  g_autoptr(MwDbResult) r = run (self, admin, "INSERT INTO [log] (timestamp, username, domain, action, data) "
                                              "VALUES (now(), $1, $2, $3, $4)", params, 4, error);

  return r != NULL;
}

char *
_mw_postfixadmin_check_address (const char      *text,
                                MwAddressFlags   flags,
                                GError         **error)
{
  g_autofree char *stored = NULL;
  MwAddressKind kind = MW_ADDRESS_PLAIN;
  const char *at;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The address is not valid UTF-8."));
      return NULL;
    }
  stored = mw_address_normalize_alias (text, flags & ~MW_ADDRESS_BYPASS, &kind, error);
  if (stored == NULL)
    return NULL;
  /* PostfixAdmin lowercases every address it stores (strtolower in its
   * handlers), and Postfix folds an address before it asks a map. */
  {
    char *lower = g_utf8_strdown (stored, -1);

    g_free (stored);
    stored = lower;
  }
  if (kind == MW_ADDRESS_CATCH_ALL_SUBDOMAINS || kind == MW_ADDRESS_CATCH_ALL_LOCAL)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL,
                   _("PostfixAdmin reads only “@domain” as a catch-all, not “@.domain” or “local@”."));
      return NULL;
    }
  /* Its check_email() (PHP's FILTER_VALIDATE_EMAIL) takes ASCII only, and
   * its MariaDB tables are latin1: an international domain is stored in
   * A-labels, a non-ASCII local part not at all. */
  for (const char *p = stored; *p != '\0'; p++)
    if ((guchar) *p >= 0x80 || *p == ',' || *p == '>' || *p == ' ')
      {
        g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                     _("PostfixAdmin stores only addresses in plain ASCII letters, digits and .-_+ "
                       "before the @ (a domain may be international)."));
        return NULL;
      }
  if (strlen (stored) > MW_POSTFIXADMIN_ADDRESS_MAX)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
                   _("The address is too long: this database holds at most %d characters."),
                   MW_POSTFIXADMIN_ADDRESS_MAX);
      return NULL;
    }
  at = strchr (stored, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL || at[1] == '\0')
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                   _("The address needs exactly one @ and a domain."));
      return NULL;
    }
  return g_steal_pointer (&stored);
}

gboolean
_mw_postfixadmin_lock_domain (MwPostfixadminSchema  *self,
                              const MwAdmin         *admin,
                              const char            *domain,
                              gint64                *aliases_limit,
                              gint64                *mailboxes_limit,
                              gint64                *maxquota,
                              gint64                *quota,
                              gboolean              *active,
                              gboolean              *backupmx,
                              GError               **error)
{
  MwDbValue params[] = { MW_DB_TEXT (domain) };
  g_autoptr(MwDbResult) r = run (self, admin, "SELECT aliases, mailboxes, maxquota, quota, "
                                              "CASE WHEN active THEN 1 ELSE 0 END, "
                                              "CASE WHEN backupmx THEN 1 ELSE 0 END "
                                              "FROM [domain] WHERE domain = $1 AND domain <> 'ALL' FOR UPDATE",
                                 params, 1, error);

  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_autofree char *shown = _mw_vmail_domain_display (domain);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("The domain “%s” is not in this database: Postfix would not accept mail for it. "
                     "Add the domain first."), shown);
      return FALSE;
    }
  *aliases_limit = mw_db_result_get_int64 (r, 0, 0);
  *mailboxes_limit = mw_db_result_get_int64 (r, 0, 1);
  *maxquota = mw_db_result_get_int64 (r, 0, 2);
  *quota = mw_db_result_get_int64 (r, 0, 3);
  *active = mw_db_result_get_int64 (r, 0, 4) != 0;
  *backupmx = mw_db_result_get_int64 (r, 0, 5) != 0;
  return TRUE;
}

/* MailboxHandler::check_quota(), in bytes: a mailbox's quota against the
 * domain's max quota per mailbox and the domain's quota (both MB; 0: no
 * limit), the other mailboxes of the domain counted. */
static gboolean
check_quota (MwPostfixadminSchema  *self,
             const MwAdmin         *admin,
             const char            *domain,
             const char            *username,
             gint64                 quota,
             gint64                 maxquota,
             gint64                 domain_quota,
             GError               **error)
{
  g_autofree char *shown = _mw_vmail_domain_display (domain);

  if (maxquota > 0 && quota == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("The domain “%s” allows no unlimited mailbox: give it a quota of at most %" G_GINT64_FORMAT
                     " MB."), shown, maxquota);
      return FALSE;
    }
  if (maxquota > 0 && quota > maxquota * MW_POSTFIXADMIN_MB)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("The quota is larger than the domain “%s” allows a mailbox: at most %" G_GINT64_FORMAT
                     " MB (of 1,024,000 bytes, as PostfixAdmin counts)."), shown, maxquota);
      return FALSE;
    }
  if (domain_quota > 0)
    {
      MwDbValue params[] = { MW_DB_TEXT (domain), MW_DB_TEXT (username) };
      gint64 others;
      g_autofree char *sql = NULL;

      if (quota == 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The domain “%s” has a quota of %" G_GINT64_FORMAT " MB: its mailboxes cannot be "
                         "unlimited."), shown, domain_quota);
          return FALSE;
        }
      sql = _mw_postfixadmin_sql (self, "SELECT COALESCE(SUM(quota), 0) FROM [mailbox] "
                                        "WHERE domain = $1 AND username <> $2");
      others = _mw_admin_run_int (admin, sql, params, 2, error);
      if (others < 0)
        return FALSE;
      if (others + quota > domain_quota * MW_POSTFIXADMIN_MB)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The domain “%s” has a quota of %" G_GINT64_FORMAT " MB and its other mailboxes have "
                         "%" G_GINT64_FORMAT " MB of it: this quota does not fit."),
                       shown, domain_quota, others / MW_POSTFIXADMIN_MB);
          return FALSE;
        }
    }
  return TRUE;
}

static gint64
count_where (MwPostfixadminSchema  *self,
             MwDb                  *db,
             const char            *table_column,
             const char            *value,
             GError               **error)
{
  /* table_column: "[mailbox] username" */
  g_auto(GStrv) parts = g_strsplit (table_column, " ", 2);
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (db), parts[1], "$1");
  g_autofree char *inner = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s", parts[0], eq);
  g_autofree char *sql = _mw_postfixadmin_sql (self, inner);
  MwDbValue params[] = { MW_DB_TEXT (value) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, NULL, error);

  return r != NULL ? mw_db_result_get_int64 (r, 0, 0) : -1;
}

gboolean
_mw_postfixadmin_name_taken (MwSchema              *schema,
                             MwDb                  *db,
                             const char            *name,
                             GError               **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_autofree char *stored = NULL;
  gint64 n;

  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;
  stored = mw_address_normalize_alias (name, MW_ADDRESS_ALLOW_CATCH_ALL, NULL, NULL);
  if ((n = count_where (self, db, "[mailbox] username", stored != NULL ? stored : name, error)) != 0)
    return n > 0;
  n = count_where (self, db, "[alias] address", stored != NULL ? stored : name, error);
  return n > 0;
}

/* A new mailbox's address: free as a mailbox and as an alias, without case. */
static gboolean
check_free (MwPostfixadminSchema  *self,
            const MwAdmin         *admin,
            const char            *username,
            GError               **error)
{
  g_autofree char *shown = mw_address_to_display (username);
  gint64 n = count_where (self, admin->db, "[mailbox] username", username, error);

  if (n < 0)
    return FALSE;
  if (n > 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   _("The address “%s” is taken: a mailbox has it."), shown);
      return FALSE;
    }
  if ((n = count_where (self, admin->db, "[alias] address", username, error)) < 0)
    return FALSE;
  if (n > 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   _("The address “%s” is taken: it is an alias or a forward. Delete it first."), shown);
      return FALSE;
    }
  return TRUE;
}

/* MailboxHandler::preSave() with $CONF['password_expiration'] = 'YES'
 * (Debian's default): a new password expires after the domain's
 * password_expiry days (365 where the domain has none). SQL for $n. */
static char *
expiry_sql (MwDbDriver  driver,
            int         n)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("now() + CAST($%d AS INTEGER) * interval '1 day'", n);
  return g_strdup_printf ("DATE_ADD(now(), INTERVAL $%d DAY)", n);
}

static gint64
expiry_days (MwPostfixadminSchema  *self,
             const MwAdmin         *admin,
             const char            *domain,
             GError               **error)
{
  g_autofree char *sql = _mw_postfixadmin_sql (self, "SELECT COALESCE(MAX(password_expiry), 0) FROM [domain] "
                                                     "WHERE domain = $1");
  MwDbValue params[] = { MW_DB_TEXT (domain) };
  gint64 days = _mw_admin_run_int (admin, sql, params, 1, error);

  if (days < 0 && error != NULL && *error != NULL)
    return -1;
  return days > 0 ? days : 365;
}

static gboolean
alias_is_username (const char *alias,
                   const char *username)
{
  g_autofree char *stored = mw_address_normalize_alias (alias, MW_ADDRESS_FLAGS_NONE, NULL, NULL);

  return stored != NULL && g_ascii_strcasecmp (stored, username) == 0;
}

typedef struct
{
  MwPostfixadminSchema *self;
  const MwAdmin        *admin;
  const MwNewAccount   *account;
  const char           *hash;
  const char           *username;
  const char           *local;
  const char           *domain;
  const char           *maildir;
  char                 *alias_key;  /* out */
} NewAccount;

static void
new_account_clear (NewAccount *n)
{
  g_clear_pointer (&n->alias_key, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NewAccount, new_account_clear)

/* The rows of a new mailbox, as MailboxHandler writes them, with the
 * domain's limits checked. */
static gboolean
insert_account (gpointer   data,
                GError   **error)
{
  NewAccount *rows = data;
  MwPostfixadminSchema *self = rows->self;
  const MwAdmin *admin = rows->admin;
  const MwNewAccount *account = rows->account;
  const char *hash = rows->hash;
  const char *username = rows->username;
  const char *local = rows->local;
  const char *domain = rows->domain;
  const char *maildir = rows->maildir;
  gint64 aliases_limit = 0, mailboxes_limit = 0, maxquota = 0, domain_quota = 0;
  gboolean active = FALSE, backupmx = FALSE;
  gboolean ok;

  g_clear_pointer (&rows->alias_key, g_free);
  ok = _mw_postfixadmin_lock_domain (self, admin, domain, &aliases_limit, &mailboxes_limit, &maxquota, &domain_quota,
                                     &active, &backupmx, error);
  if (ok && (!active || backupmx))
    {
      g_autofree char *shown = _mw_vmail_domain_display (domain);

      /* PostfixAdmin offers only active domains that are no backup MX. */
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   !active ? _("The domain “%s” is disabled: enable it before adding mailboxes to it.")
                           : _("This server is only a backup MX for the domain “%s”: its mailboxes live elsewhere."),
                   shown);
      ok = FALSE;
    }
  if (ok && mailboxes_limit != 0)
    {
      g_autofree char *shown = _mw_vmail_domain_display (domain);
      MwDbValue params[] = { MW_DB_TEXT (domain) };
      g_autofree char *sql = _mw_postfixadmin_sql (self, "SELECT count(*) FROM [mailbox] WHERE domain = $1");
      gint64 n = _mw_admin_run_int (admin, sql, params, 1, error);

      ok = n >= 0;
      if (ok && mailboxes_limit < 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The domain “%s” may have no mailboxes (its mailbox limit is disabled)."), shown);
          ok = FALSE;
        }
      else if (ok && n >= mailboxes_limit)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The domain “%s” has %" G_GINT64_FORMAT " mailboxes, as many as its limit allows."),
                       shown, n);
          ok = FALSE;
        }
    }
  ok = ok && check_quota (self, admin, domain, username, account->quota, maxquota, domain_quota, error) &&
       check_free (self, admin, username, error);
  /* The mailbox's own alias first, as MailboxHandler::preSave() saves it. */
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (username), MW_DB_TEXT (username), MW_DB_TEXT (domain), MW_DB_BOOL (TRUE) };
      g_autoptr(MwDbResult) r = run (self, admin, "INSERT INTO [alias] (address, goto, domain, created, modified, "
                                                  "active) VALUES ($1, $2, $3, now(), now(), $4)", params, 4, error);

      ok = r != NULL && _mw_postfixadmin_log (self, admin, domain, "create_alias", username, error);
    }
  if (ok)
    {
      gint64 days = expiry_days (self, admin, domain, error);
      g_autofree char *expiry = expiry_sql (mw_db_get_driver (admin->db), 8);
      g_autofree char *sql = g_strdup_printf ("INSERT INTO [mailbox] (username, password, name, maildir, quota, "
                                              "local_part, domain, created, modified, active, password_expiry) "
                                              "VALUES ($1, $2, '', $3, $4, $5, $6, now(), now(), $7, %s)", expiry);
      MwDbValue params[] = { MW_DB_TEXT (username), MW_DB_TEXT (hash), MW_DB_TEXT (maildir),
                             MW_DB_INT64 (account->quota), MW_DB_TEXT (local), MW_DB_TEXT (domain),
                             MW_DB_BOOL (TRUE), MW_DB_INT64 (days) };
      g_autoptr(MwDbResult) r = days > 0 ? run (self, admin, sql, params, G_N_ELEMENTS (params), error) : NULL;

      ok = r != NULL && _mw_postfixadmin_log (self, admin, domain, "create_mailbox", username, error);
    }
  /* A first alias that is the mailbox's own address is its own alias row,
   * written above (mailwarden-cli user add gives the address as both). */
  if (ok && account->alias != NULL && account->alias[0] != '\0' && !alias_is_username (account->alias, username))
    ok = (rows->alias_key = _mw_postfixadmin_add_target (self, admin, account->alias, account->alias_flags, username,
                                                   TRUE, error)) != NULL;
  return ok;
}

char *
_mw_postfixadmin_add_account (MwSchema              *schema,
                              const MwAdmin         *admin,
                              const MwNewAccount    *account,
                              GError               **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_autoptr(WipedText) hash = NULL;
  g_autofree char *username = NULL;
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *maildir = NULL;
  g_autofree char *quota_text = NULL;
  const char *scheme = account->password_scheme;
  g_auto(NewAccount) n = { self, admin, account, NULL, NULL, NULL, NULL, NULL, NULL };

  if (!_mw_vmail_check_new_account (account, _("A PostfixAdmin database has no groups."), error))
    return NULL;
  username = _mw_postfixadmin_check_address (account->name, MW_ADDRESS_FLAGS_NONE, error);
  if (username == NULL)
    return NULL;
  {
    const char *at = strchr (username, '@');

    local = g_strndup (username, at - username);
    domain = g_strdup (at + 1);
    /* MailboxHandler::_missing_maildir() with the default
     * $CONF['domain_path'] = 'YES', $CONF['domain_in_mailbox'] = 'NO'. */
    maildir = g_strdup_printf ("%s/%s/", domain, local);
  }
  n.username = username;
  n.local = local;
  n.domain = domain;
  n.maildir = maildir;
  if (scheme == NULL)
    scheme = _mw_postfixadmin_detect_scheme (self, admin->db);
  /* Hashing takes a while on purpose: here, on the worker, before the transaction. */
  hash = _mw_postfixadmin_hash (scheme, account->password, account->password_rounds, error);
  if (hash == NULL)
    return NULL;

  n.hash = hash;
  if (!_mw_vmail_transact (admin, insert_account, &n, error))
    return NULL;

  quota_text = g_strdup_printf ("%" G_GINT64_FORMAT, account->quota);
  {
    MwAuditField after[] = {
      { "username", username }, { "password", hash }, { "quota", quota_text }, { "maildir", maildir },
      { "alias", account->alias },
    };

    _mw_admin_audit (admin, "user.add", username, NULL, 0, after, G_N_ELEMENTS (after));
  }
  return g_steal_pointer (&username);
}

typedef struct
{
  char     *username;
  char     *password;
  char     *maildir;
  char     *domain;
  gint64    quota;
  gboolean  active;
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->username, g_free);
  g_clear_pointer (&row->password, mw_password_free);
  g_clear_pointer (&row->maildir, g_free);
  g_clear_pointer (&row->domain, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

static gboolean
read_row (MwPostfixadminSchema  *self,
          const MwAdmin         *admin,
          const char            *username,
          gboolean               lock,
          Row                   *row,
          GError               **error)
{
  MwDbValue params[] = { MW_DB_TEXT (username) };
  g_autoptr(MwDbResult) r = NULL;

  r = run (self, admin, lock ? "SELECT username, password, maildir, domain, quota, CASE WHEN active THEN 1 ELSE 0 END "
                               "FROM [mailbox] WHERE username = $1 FOR UPDATE"
                             : "SELECT username, password, maildir, domain, quota, CASE WHEN active THEN 1 ELSE 0 END "
                               "FROM [mailbox] WHERE username = $1",
           params, 1, error);
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      _mw_vmail_set_no_mailbox (error, username);
      return FALSE;
    }
  row->username = g_strdup (mw_db_result_get_string (r, 0, 0));
  row->password = g_strdup (mw_db_result_get_string (r, 0, 1));
  row->maildir = g_strdup (mw_db_result_get_string (r, 0, 2));
  row->domain = g_strdup (mw_db_result_get_string (r, 0, 3));
  row->quota = mw_db_result_get_int64 (r, 0, 4);
  row->active = mw_db_result_get_int64 (r, 0, 5) != 0;
  return TRUE;
}

static char *
row_fingerprint (const Row *row)
{
  return _mw_postfixadmin_fingerprint (row->username, row->password, row->quota, row->active);
}

static gboolean
check_change (const MwAccountChange  *change,
              const Row              *row,
              GError                **error)
{
  MwAccountChangeFlags c = change->changes;

  if (!_mw_vmail_check_password_change (change, error))
    return FALSE;
  if ((c & MW_ACCOUNT_CHANGE_NAME) && g_strcmp0 (change->name, row->username) != 0)
    {
      g_autofree char *shown = mw_address_to_display (row->username);
      g_autofree char *maildir = g_strdup_printf (MW_POSTFIXADMIN_VMAIL_DIR "/%s",
                                                  row->maildir != NULL ? row->maildir : "");

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   /* Translators: the first %s is the old mailbox's Maildir
                    * ("/var/mail/vmail/example.org/alice/"), the second its address. Keep
                    * the doveadm command as it is, only NEW-ADDRESS may be translated. */
                   _("A PostfixAdmin mailbox cannot change its address: the address is the key of its rows, and "
                     "PostfixAdmin cannot change it either. Add a mailbox with the new address, move the mail into "
                     "it on the mail server with doveadm (doveadm import -u NEW-ADDRESS maildir:%s \"\" all), "
                     "then delete the mailbox “%s”."),
                   maildir, shown);
      return FALSE;
    }
  if ((c & MW_ACCOUNT_CHANGE_GROUP) && change->group != 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, _("A PostfixAdmin database has no groups."));
      return FALSE;
    }
  if (c & (MW_ACCOUNT_CHANGE_SECURITY_PASSWORD | MW_ACCOUNT_CHANGE_SECURITY_ACTION))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("A PostfixAdmin mailbox has no security password."));
      return FALSE;
    }
  /* mailbox.password is varchar(255). */
  return _mw_vmail_check_change_values (change, 255, error);
}

/* The scheme a changed password keeps: the mailbox's own where Mailwarden
 * writes it, else this database's default (md5crypt becomes {SHA512-CRYPT}). */
static const char *
scheme_for (MwPostfixadminSchema *self,
            MwDb                 *db,
            const char           *stored)
{
  static const char *const ours[] = { "sha512-crypt", "bcrypt", "sha256-crypt", "yescrypt" };
  const MwPasswordScheme *current = stored != NULL && stored[0] == '{' ? _mw_postfixadmin_identify (stored) : NULL;

  for (guint i = 0; current != NULL && i < G_N_ELEMENTS (ours); i++)
    if (g_str_equal (current->name, ours[i]))
      return ours[i];
  return _mw_postfixadmin_detect_scheme (self, db);
}

MwAccountChange *
_mw_postfixadmin_update_account (MwSchema               *schema,
                                 const MwAdmin          *admin,
                                 const char             *key,
                                 const MwAccountChange  *change,
                                 GError                **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  MwAccountChangeFlags c = change->changes;
  g_auto(Row) before = { 0 };
  g_auto(Row) now = { 0 };
  g_autofree char *fingerprint = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(WipedText) hash = NULL;
  g_autoptr(MwAccountChange) undo = NULL;
  const char *password = NULL;
  gint64 quota;
  gboolean active;
  gboolean ok;

  if (!_mw_postfixadmin_parse_account_key (key, error) ||
      !read_row (self, admin, key, FALSE, &before, error) ||
      !check_change (change, &before, error))
    return NULL;
  expected = row_fingerprint (&before);
  if (change->expected_fingerprint != NULL && !g_str_equal (change->expected_fingerprint, expected))
    {
      _mw_vmail_set_changed_error (error, before.username);
      return NULL;
    }
  if (c & MW_ACCOUNT_CHANGE_PASSWORD)
    {
      if (change->password != NULL)
        {
          const char *scheme = change->password_scheme != NULL ? change->password_scheme
                                                               : scheme_for (self, admin->db, before.password);

          hash = _mw_postfixadmin_hash (scheme, change->password, change->password_rounds, error);
          if (hash == NULL)
            return NULL;
          password = hash;
        }
      else
        password = change->stored_password;
    }
  quota = (c & MW_ACCOUNT_CHANGE_QUOTA) ? change->quota : before.quota;
  active = (c & MW_ACCOUNT_CHANGE_ACTIVE) ? change->active : before.active;

  if (!_mw_admin_begin (admin, error))
    return NULL;
  ok = read_row (self, admin, key, TRUE, &now, error);
  if (ok)
    {
      fingerprint = row_fingerprint (&now);
      if (!g_str_equal (fingerprint, expected))
        {
          _mw_vmail_set_changed_error (error, before.username);
          ok = FALSE;
        }
    }
  /* A larger (or unlimited) quota must fit the domain's limits, as in
   * PostfixAdmin's form; a smaller one is always allowed. */
  if (ok && quota != before.quota && (quota == 0 || (before.quota != 0 && quota > before.quota)))
    {
      gint64 aliases_limit, mailboxes_limit, maxquota, domain_quota;
      gboolean d_active, backupmx;

      ok = _mw_postfixadmin_lock_domain (self, admin, now.domain, &aliases_limit, &mailboxes_limit, &maxquota,
                                         &domain_quota, &d_active, &backupmx, error) &&
           check_quota (self, admin, now.domain, now.username, quota, maxquota, domain_quota, error);
    }
  if (ok)
    {
      /* A new password (not Undo's stored one) gets a new expiry, as in PostfixAdmin. */
      gint64 days = change->password != NULL ? expiry_days (self, admin, now.domain, error) : 0;
      g_autofree char *expiry = expiry_sql (mw_db_get_driver (admin->db), 5);
      g_autofree char *sql = g_strdup_printf ("UPDATE [mailbox] SET password = $1, quota = $2, active = $3, "
                                              "modified = now()%s%s WHERE username = $4",
                                              days > 0 ? ", password_expiry = " : "", days > 0 ? expiry : "");
      MwDbValue params[] = { MW_DB_TEXT (password != NULL ? password : now.password), MW_DB_INT64 (quota),
                             MW_DB_BOOL (active), MW_DB_TEXT (now.username), MW_DB_INT64 (days) };
      g_autoptr(MwDbResult) r = days >= 0 ? run (self, admin, sql, params, days > 0 ? 5 : 4, error) : NULL;

      ok = r != NULL;
    }
  /* MailboxHandler saves the mailbox's alias with it: its active follows. */
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (now.username), MW_DB_BOOL (active) };
      g_autoptr(MwDbResult) r = active != now.active
        ? run (self, admin, "UPDATE [alias] SET active = $2, modified = now() WHERE address = $1", params, 2, error)
        : run (self, admin, "UPDATE [alias] SET modified = now() WHERE address = $1", params, 1, error);

      ok = r != NULL && _mw_postfixadmin_log (self, admin, now.domain, "edit_alias", now.username, error) &&
           _mw_postfixadmin_log (self, admin, now.domain, "edit_mailbox", now.username, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;

  {
    g_autofree char *quota_before = g_strdup_printf ("%" G_GINT64_FORMAT, before.quota);
    g_autofree char *quota_after = g_strdup_printf ("%" G_GINT64_FORMAT, quota);
    MwAuditField b[] = { { "password", before.password }, { "quota", quota_before },
                         { "active", before.active ? "true" : "false" } };
    MwAuditField a[] = { { "password", password != NULL ? password : before.password }, { "quota", quota_after },
                         { "active", active ? "true" : "false" } };

    _mw_admin_audit (admin, "user.change", before.username, b, G_N_ELEMENTS (b), a, G_N_ELEMENTS (a));
  }

  undo = mw_account_change_new ();
  undo->changes = c & (MW_ACCOUNT_CHANGE_PASSWORD | MW_ACCOUNT_CHANGE_QUOTA | MW_ACCOUNT_CHANGE_ACTIVE);
  if (c & MW_ACCOUNT_CHANGE_PASSWORD)
    undo->stored_password = g_strdup (before.password);
  undo->quota = before.quota;
  undo->active = before.active;
  undo->expected_fingerprint = admin->dry_run ? g_strdup (expected)
                                              : _mw_postfixadmin_fingerprint (before.username,
                                                                              password != NULL ? password
                                                                                               : before.password,
                                                                              quota, active);
  return g_steal_pointer (&undo);
}

/* As MailboxHandler::delete(): its fetchmail jobs, vacation and who was
 * answered, quota rows, its own alias row, the mailbox. Other aliases
 * that name it in their goto keep it, as in PostfixAdmin (the audit
 * entry counts them). Its Maildir is on the mail server's disk: the summary
 * names it. */
gboolean
_mw_postfixadmin_delete_account (MwPostfixadminSchema  *self,
                                 const MwAdmin         *admin,
                                 const char            *key,
                                 MwDeleteSummary       *summary,
                                 GError               **error)
{
  static const char *const deletes[] = {
    "DELETE FROM [fetchmail] WHERE mailbox = $1",
    "DELETE FROM [vacation] WHERE email = $1",
    "DELETE FROM [vacation_notification] WHERE on_vacation = $1",
    "DELETE FROM [quota] WHERE username = $1",
    "DELETE FROM [quota2] WHERE username = $1",
    "DELETE FROM [alias] WHERE address = $1",
    "DELETE FROM [mailbox] WHERE username = $1",
  };
  MwDbDriver driver = mw_db_get_driver (admin->db);
  g_autofree char *has = _mw_postfixadmin_goto_has (driver, "goto", "$1");
  g_autofree char *named_sql = g_strdup_printf ("SELECT count(*) FROM [alias] WHERE %s AND address <> $1", has);
  g_autofree char *named = _mw_postfixadmin_sql (self, named_sql);
  g_autofree char *maildir = NULL;
  g_autofree char *named_text = NULL;
  g_auto(Row) row = { 0 };
  MwDeleteSummary s = { 0 };
  gint64 named_by = 0;
  gboolean ok;

  if (!_mw_postfixadmin_parse_account_key (key, error) || !_mw_admin_begin (admin, error))
    return FALSE;
  ok = read_row (self, admin, key, TRUE, &row, error);
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (row.username) };

      g_autoptr(MwDbResult) r = NULL;

      named_by = _mw_admin_run_int (admin, named, params, 1, error);
      ok = named_by >= 0 && (r = run (self, admin, "SELECT goto FROM [alias] WHERE address = $1", params, 1,
                                      error)) != NULL;
      /* Its own row's other targets are its forwards: they go with it. */
      if (ok && mw_db_result_get_n_rows (r) > 0)
        {
          g_auto(GStrv) targets = _mw_postfixadmin_split_goto (mw_db_result_get_string (r, 0, 0));

          for (guint i = 0; targets[i] != NULL; i++)
            if (g_ascii_strcasecmp (targets[i], row.username) != 0)
              s.forwards++;
        }
    }
  for (guint i = 0; ok && i < G_N_ELEMENTS (deletes); i++)
    {
      MwDbValue params[] = { MW_DB_TEXT (row.username) };
      g_autoptr(MwDbResult) r = run (self, admin, deletes[i], params, 1, error);

      ok = r != NULL;
    }
  ok = ok && _mw_postfixadmin_log (self, admin, row.domain, "delete_mailbox", row.username, error);
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;

  maildir = g_strdup_printf (MW_POSTFIXADMIN_VMAIL_DIR "/%s", row.maildir != NULL && row.maildir[0] != '\0'
                             ? row.maildir : "");
  s.users = 1;
  s.maildirs = 1;
  g_strlcpy (s.maildir, maildir, sizeof s.maildir);
  if (summary != NULL)
    *summary = s;

  named_text = g_strdup_printf ("%" G_GINT64_FORMAT, named_by);
  {
    MwAuditField b[] = { { "username", row.username }, { "maildir", maildir }, { "named_by_aliases", named_text } };

    _mw_admin_audit (admin, "user.delete", row.username, b, G_N_ELEMENTS (b), NULL, 0);
  }
  return TRUE;
}
