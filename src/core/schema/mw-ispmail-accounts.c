/* mw-ispmail-accounts.c: the ISPmail flavour's mailboxes: add, change,
 * delete, and the checks an address passes before it is stored.
 *
 * Each change is one transaction on the admin's connection and is written
 * to the audit log once committed (mw-dbmail-admin.c's helpers, which know
 * no table). Passwords are Dovecot strings ("{SHA512-CRYPT}$6$..."), quota
 * is in bytes (0: unlimited).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-ispmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-ispmail-private.h"
#include "mw-sql-dialect.h"

typedef char WipedText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedText, mw_password_free)

char *
_mw_ispmail_fingerprint (const char *email,
                         const char *password,
                         gint64      quota,
                         gint64      domain_id)
{
  return _mw_vmail_fingerprint (g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT,
                                                 email, password != NULL ? password : "", quota, domain_id));
}

static MwDbResult *
run (MwIspmailSchema  *self,
     const MwAdmin    *admin,
     const char       *sql,
     const MwDbValue  *params,
     guint             n_params,
     GError          **error)
{
  g_autofree char *expanded = _mw_ispmail_sql (self, sql);

  return _mw_admin_run (admin, expanded, params, n_params, error);
}

char *
_mw_ispmail_check_address (MwIspmailSchema  *self,
                           const MwAdmin    *admin,
                           const char       *text,
                           MwAddressFlags    flags,
                           gint64           *domain_id,
                           GError          **error)
{
  g_autofree char *stored = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (admin->db), "name", "$1");
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  MwAddressKind kind = MW_ADDRESS_PLAIN;

  stored = mw_address_normalize_alias (text, flags, &kind, error);
  if (stored == NULL)
    return NULL;
  /* Postfix folds an address to lowercase before it asks a map, and the
   * map's "WHERE email = '%s'" compares with case on PostgreSQL: stored any
   * other way, the address would never be found. */
  if (!(flags & MW_ADDRESS_BYPASS))
    {
      char *lower = g_utf8_strdown (stored, -1);

      g_free (stored);
      stored = lower;
    }
  if (kind == MW_ADDRESS_CATCH_ALL_SUBDOMAINS || kind == MW_ADDRESS_CATCH_ALL_LOCAL)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL,
                   _("Postfix reads only “@domain” as a catch-all in this database, not “@.domain” or “local@”."));
      return NULL;
    }
  if (g_utf8_strlen (stored, -1) > MW_ISPMAIL_ADDRESS_MAX_CHARS)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
                   _("The address is too long: this database holds at most %d characters."),
                   MW_ISPMAIL_ADDRESS_MAX_CHARS);
      return NULL;
    }
  domain = mw_address_get_domain (stored);
  if (domain == NULL)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN, _("The address has no domain."));
      return NULL;
    }
  {
    MwDbValue params[] = { MW_DB_TEXT (domain) };
    g_autofree char *inner = g_strdup_printf ("SELECT id FROM [domains] WHERE %s ORDER BY id LIMIT 1", eq);

    sql = _mw_ispmail_sql (self, inner);
    r = _mw_admin_run (admin, sql, params, 1, error);
  }
  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_autofree char *shown = _mw_vmail_domain_display (domain);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("The domain “%s” is not in this database: Postfix would not accept mail for it. "
                     "Add the domain first."), shown);
      return NULL;
    }
  *domain_id = mw_db_result_get_int64 (r, 0, 0);
  return g_steal_pointer (&stored);
}

gint64
_mw_ispmail_mailbox_id (MwIspmailSchema  *self,
                        MwDb             *db,
                        const char       *email,
                        char            **stored,
                        GError          **error)
{
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (db), "email", "$1");
  g_autofree char *inner = g_strdup_printf ("SELECT id, email FROM [users] WHERE %s ORDER BY id LIMIT 1", eq);
  g_autofree char *sql = _mw_ispmail_sql (self, inner);
  MwDbValue params[] = { MW_DB_TEXT (email) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, NULL, error);

  if (r == NULL)
    return -1;
  if (mw_db_result_get_n_rows (r) == 0)
    return 0;
  if (stored != NULL)
    *stored = g_strdup (mw_db_result_get_string (r, 0, 1));
  return mw_db_result_get_int64 (r, 0, 0);
}

/* How many alias rows have this source (without case); -1 on error. */
static gint64
count_sources (MwIspmailSchema  *self,
               MwDb             *db,
               const char       *source,
               GError          **error)
{
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (db), "source", "$1");
  g_autofree char *inner = g_strdup_printf ("SELECT count(*) FROM [aliases] WHERE %s", eq);
  g_autofree char *sql = _mw_ispmail_sql (self, inner);
  MwDbValue params[] = { MW_DB_TEXT (source) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, NULL, error);

  return r != NULL ? mw_db_result_get_int64 (r, 0, 0) : -1;
}

gboolean
_mw_ispmail_name_taken (MwSchema         *schema,
                        MwDb             *db,
                        const char       *name,
                        GError          **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  g_autofree char *stored = mw_address_normalize_alias (name, MW_ADDRESS_FLAGS_NONE, NULL, NULL);
  const char *address = stored != NULL ? stored : name;
  gint64 id;
  gint64 n;

  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;
  if ((id = _mw_ispmail_mailbox_id (self, db, address, NULL, error)) != 0)
    return id > 0;
  if ((n = count_sources (self, db, address, error)) < 0)
    return FALSE;
  return n > 0;
}

/* A new mailbox's address: free as a mailbox and as an alias. */
static gboolean
check_free (MwIspmailSchema  *self,
            const MwAdmin    *admin,
            const char       *email,
            GError          **error)
{
  g_autofree char *taken = NULL;
  g_autofree char *shown = mw_address_to_display (email);
  gint64 id = _mw_ispmail_mailbox_id (self, admin->db, email, &taken, error);
  gint64 n;

  if (id < 0)
    return FALSE;
  if (id > 0)
    {
      g_autofree char *other = mw_address_to_display (taken);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   _("The address “%s” is taken: the mailbox “%s” has it."), shown, other);
      return FALSE;
    }
  if ((n = count_sources (self, admin->db, email, error)) < 0)
    return FALSE;
  if (n > 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   _("The address “%s” is taken: it is an alias or a forward. Delete it first."), shown);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  MwIspmailSchema    *self;
  const MwAdmin      *admin;
  const MwNewAccount *account;
  const char         *hash;
  char               *email;   /* out: as stored */
  char               *alias;
  gint64              id;
} NewAccount;

static void
new_account_clear (NewAccount *n)
{
  g_clear_pointer (&n->email, g_free);
  g_clear_pointer (&n->alias, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NewAccount, new_account_clear)

/* The mailbox's row and its first alias's. */
static gboolean
insert_account (gpointer   data,
                GError   **error)
{
  NewAccount *n = data;
  gint64 domain_id = 0;
  gint64 alias_domain = 0;

  new_account_clear (n);
  n->email = _mw_ispmail_check_address (n->self, n->admin, n->account->name, MW_ADDRESS_FLAGS_NONE, &domain_id,
                                        error);
  if (n->email == NULL || !check_free (n->self, n->admin, n->email, error))
    return FALSE;
  {
    g_autofree char *sql = _mw_ispmail_sql (n->self, "INSERT INTO [users] (domain_id, email, password, quota) "
                                                     "VALUES ($1, $2, $3, $4)");
    MwDbValue params[] = { MW_DB_INT64 (domain_id), MW_DB_TEXT (n->email), MW_DB_TEXT (n->hash),
                           MW_DB_INT64 (n->account->quota) };

    n->id = _mw_admin_insert_id (n->admin, sql, "id", params, G_N_ELEMENTS (params), error);
    if (n->id <= 0)
      return FALSE;
  }
  if (n->account->alias == NULL || n->account->alias[0] == '\0')
    return TRUE;
  n->alias = _mw_ispmail_check_address (n->self, n->admin, n->account->alias, n->account->alias_flags,
                                        &alias_domain, error);
  return n->alias != NULL && _mw_ispmail_insert_alias (n->self, n->admin, n->alias, alias_domain, n->email, error) > 0;
}

char *
_mw_ispmail_add_account (MwSchema            *schema,
                         const MwAdmin       *admin,
                         const MwNewAccount  *account,
                         GError             **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  g_autoptr(WipedText) hash = NULL;
  g_autofree char *quota_text = NULL;
  const char *scheme = account->password_scheme;
  g_auto(NewAccount) n = { self, admin, account, NULL, NULL, NULL, 0 };

  if (!_mw_vmail_check_new_account (account, _("An ISPmail database has no groups."), error))
    return NULL;
  /* Like the rows already there: {BLF-CRYPT} where the database uses it. */
  if (scheme == NULL)
    scheme = _mw_ispmail_detect_scheme (self, admin->db);
  /* Hashing takes a while on purpose: here, on the worker, before the transaction. */
  hash = _mw_vmail_hash (scheme, account->password, account->password_rounds, error);
  if (hash == NULL)
    return NULL;

  n.hash = hash;
  if (!_mw_vmail_transact (admin, insert_account, &n, error))
    return NULL;

  quota_text = g_strdup_printf ("%" G_GINT64_FORMAT, account->quota);
  {
    MwAuditField after[] = {
      { "email", n.email }, { "password", hash }, { "quota", quota_text }, { "alias", n.alias },
    };

    _mw_admin_audit (admin, "user.add", n.email, NULL, 0, after, G_N_ELEMENTS (after));
  }
  return _mw_ispmail_key (n.id);
}

typedef struct
{
  char   *email;
  char   *password;
  gint64  quota;
  gint64  domain_id;
  char   *domain;
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->email, g_free);
  g_clear_pointer (&row->password, mw_password_free);
  g_clear_pointer (&row->domain, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

/* The mailbox's row (locked until the transaction ends when @lock), or
 * FALSE with MW_SCHEMA_ERROR_NOT_FOUND. */
static gboolean
read_row (MwIspmailSchema  *self,
          const MwAdmin    *admin,
          gint64            id,
          gboolean          lock,
          Row              *row,
          GError          **error)
{
  MwDbValue params[] = { MW_DB_INT64 (id) };
  g_autoptr(MwDbResult) r = NULL;

  r = run (self, admin, lock ? "SELECT u.email, u.password, u.quota, u.domain_id, d.name FROM [users] u "
                               "JOIN [domains] d ON d.id = u.domain_id WHERE u.id = $1 FOR UPDATE"
                             : "SELECT u.email, u.password, u.quota, u.domain_id, d.name FROM [users] u "
                               "JOIN [domains] d ON d.id = u.domain_id WHERE u.id = $1",
           params, 1, error);
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_autofree char *number = _mw_ispmail_key (id);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no mailbox with the number %s; someone may have deleted it."), number);
      return FALSE;
    }
  row->email = g_strdup (mw_db_result_get_string (r, 0, 0));
  row->password = g_strdup (mw_db_result_get_string (r, 0, 1));
  row->quota = mw_db_result_get_int64 (r, 0, 2);
  row->domain_id = mw_db_result_get_int64 (r, 0, 3);
  row->domain = g_strdup (mw_db_result_get_string (r, 0, 4));
  return TRUE;
}

static char *
row_fingerprint (const Row *row)
{
  return _mw_ispmail_fingerprint (row->email, row->password, row->quota, row->domain_id);
}

/* Whether @typed names the stored address: also as the window shows it
 * (the domain in Unicode) or in another case. */
static gboolean
same_address (const char *typed,
              const char *stored)
{
  g_autofree char *normal = typed != NULL ? mw_address_normalize_alias (typed, MW_ADDRESS_FLAGS_NONE, NULL, NULL)
                                          : NULL;

  return g_strcmp0 (typed, stored) == 0 || (normal != NULL && mw_address_equal (normal, stored));
}

/* What ISPmail has no column for is refused, unless it asks for what is
 * already so (an account window saves its whole form). */
static gboolean
check_change (const MwAccountChange  *change,
              const Row              *row,
              GError                **error)
{
  MwAccountChangeFlags c = change->changes;

  if (!_mw_vmail_check_password_change (change, error))
    return FALSE;
  /* A new address (MW_ACCOUNT_CHANGE_NAME) is checked in the transaction,
   * as on add: move_rows(). */
  if ((c & MW_ACCOUNT_CHANGE_NAME) && change->name == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The mailbox needs an address."));
      return FALSE;
    }
  if ((c & MW_ACCOUNT_CHANGE_GROUP) && change->group != 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, _("An ISPmail database has no groups."));
      return FALSE;
    }
  if ((c & MW_ACCOUNT_CHANGE_ACTIVE) && !change->active)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("An ISPmail mailbox cannot be disabled: the database has no column for it."));
      return FALSE;
    }
  if (c & (MW_ACCOUNT_CHANGE_SECURITY_PASSWORD | MW_ACCOUNT_CHANGE_SECURITY_ACTION))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("An ISPmail mailbox has no security password."));
      return FALSE;
    }
  /* virtual_users.password is varchar(150). */
  return _mw_vmail_check_change_values (change, 150, error);
}

/* Dovecot's mail_location in the tutorial, maildir:/var/vmail/%d/%n, for
 * an address as stored. */
static char *
maildir_of (const char *email)
{
  const char *at = strrchr (email, '@');
  g_autofree char *local = at != NULL ? g_strndup (email, at - email) : g_strdup (email);

  return g_strdup_printf (MW_ISPMAIL_VMAIL_DIR "/%s/%s/", at != NULL ? at + 1 : "", local);
}

/* A mailbox's new address, in the transaction that holds its row: checked
 * as on add (malformed, too long, taken in any case as a mailbox or an
 * alias, its domain in the database), then the row's email and domain_id
 * change, the alias rows from its address (its forwards) move with it, and
 * the alias rows that deliver to it deliver to the new address. The old
 * address is not kept as an alias. */
static gboolean
move_rows (MwIspmailSchema  *self,
           const MwAdmin    *admin,
           gint64            id,
           const Row        *row,
           const char       *typed,
           char            **email,
           gint64           *domain_id,
           gint64           *retargeted,
           GError          **error)
{
  MwDbDriver driver = mw_db_get_driver (admin->db);
  g_autofree char *to_it = mw_sql_ci_equal (driver, "destination", "$2");
  g_autofree char *from_it = mw_sql_ci_equal (driver, "source", "$3");
  g_autofree char *sources_sql = g_strdup_printf ("UPDATE [aliases] SET source = $1, domain_id = $2 WHERE %s",
                                                  from_it);
  g_autofree char *targets_sql = g_strdup_printf ("UPDATE [aliases] SET destination = $1 WHERE %s", to_it);

  *email = _mw_ispmail_check_address (self, admin, typed, MW_ADDRESS_FLAGS_NONE, domain_id, error);
  if (*email == NULL || !check_free (self, admin, *email, error))
    return FALSE;
  {
    MwDbValue params[] = { MW_DB_TEXT (*email), MW_DB_INT64 (*domain_id), MW_DB_INT64 (id) };
    g_autoptr(MwDbResult) r = run (self, admin, "UPDATE [users] SET email = $1, domain_id = $2 WHERE id = $3",
                                   params, G_N_ELEMENTS (params), error);

    if (r == NULL)
      return FALSE;
  }
  {
    MwDbValue params[] = { MW_DB_TEXT (*email), MW_DB_INT64 (*domain_id), MW_DB_TEXT (row->email) };
    g_autoptr(MwDbResult) r = run (self, admin, sources_sql, params, G_N_ELEMENTS (params), error);

    if (r == NULL)
      return FALSE;
  }
  {
    MwDbValue params[] = { MW_DB_TEXT (*email), MW_DB_TEXT (row->email) };
    g_autoptr(MwDbResult) r = run (self, admin, targets_sql, params, G_N_ELEMENTS (params), error);

    if (r == NULL)
      return FALSE;
    *retargeted = mw_db_result_get_affected (r);
  }
  return TRUE;
}

MwAccountChange *
_mw_ispmail_update_account (MwSchema               *schema,
                            const MwAdmin          *admin,
                            const char             *key,
                            const MwAccountChange  *change,
                            GError                **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  MwAccountChangeFlags c = change->changes;
  g_auto(Row) before = { 0 };
  g_auto(Row) now = { 0 };
  g_autofree char *fingerprint = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(WipedText) hash = NULL;
  g_autoptr(MwAccountChange) undo = NULL;
  g_autofree char *email = NULL;
  const char *password = NULL;
  gboolean move;
  gint64 domain_id;
  gint64 retargeted = 0;
  gint64 quota;
  gint64 id;
  gboolean ok;

  if (!_mw_ispmail_parse_account_key (key, &id, error) ||
      !read_row (self, admin, id, FALSE, &before, error) ||
      !check_change (change, &before, error))
    return NULL;
  /* The address as the window shows it (Unicode, another case) is no move. */
  move = (c & MW_ACCOUNT_CHANGE_NAME) && !same_address (change->name, before.email);
  domain_id = before.domain_id;
  expected = row_fingerprint (&before);
  if (change->expected_fingerprint != NULL && !g_str_equal (change->expected_fingerprint, expected))
    {
      _mw_vmail_set_changed_error (error, before.email);
      return NULL;
    }

  if (c & MW_ACCOUNT_CHANGE_PASSWORD)
    {
      if (change->password != NULL)
        {
          const char *scheme = change->password_scheme;

          /* No scheme given keeps the mailbox's, where Mailwarden writes it. */
          if (scheme == NULL)
            {
              const MwPasswordScheme *current = _mw_ispmail_identify (before.password);

              scheme = current != NULL ? current->name : _mw_ispmail_detect_scheme (self, admin->db);
            }
          hash = _mw_vmail_hash (scheme, change->password, change->password_rounds, error);
          if (hash == NULL)
            return NULL;
          password = hash;
        }
      else
        password = change->stored_password;
    }
  quota = (c & MW_ACCOUNT_CHANGE_QUOTA) ? change->quota : before.quota;

  /* In the transaction, the row must still be the one the hash was made
   * for: the undo holds exactly what this change overwrites. */
  if (!_mw_admin_begin (admin, error))
    return NULL;
  ok = read_row (self, admin, id, TRUE, &now, error);
  if (ok)
    {
      fingerprint = row_fingerprint (&now);
      if (!g_str_equal (fingerprint, expected))
        {
          _mw_vmail_set_changed_error (error, before.email);
          ok = FALSE;
        }
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (password != NULL ? password : now.password), MW_DB_INT64 (quota),
                             MW_DB_INT64 (id) };
      g_autoptr(MwDbResult) r = run (self, admin, "UPDATE [users] SET password = $1, quota = $2 WHERE id = $3",
                                     params, G_N_ELEMENTS (params), error);

      ok = r != NULL;
    }
  if (ok && move)
    ok = move_rows (self, admin, id, &now, change->name, &email, &domain_id, &retargeted, error);
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  if (email == NULL)
    email = g_strdup (before.email);

  {
    g_autofree char *quota_before = g_strdup_printf ("%" G_GINT64_FORMAT, before.quota);
    g_autofree char *quota_after = g_strdup_printf ("%" G_GINT64_FORMAT, quota);
    g_autofree char *aliases = g_strdup_printf ("%" G_GINT64_FORMAT, retargeted);
    MwAuditField b[] = { { "email", before.email }, { "password", before.password }, { "quota", quota_before } };
    MwAuditField a[] = { { "email", email }, { "password", password != NULL ? password : before.password },
                         { "quota", quota_after }, { "aliases_retargeted", aliases } };

    _mw_admin_audit (admin, "user.change", before.email, b, G_N_ELEMENTS (b), a, G_N_ELEMENTS (a));
  }

  undo = mw_account_change_new ();
  undo->changes = c & (MW_ACCOUNT_CHANGE_PASSWORD | MW_ACCOUNT_CHANGE_QUOTA);
  if (c & MW_ACCOUNT_CHANGE_PASSWORD)
    undo->stored_password = g_strdup (before.password);
  undo->quota = before.quota;
  undo->active = TRUE;
  if (move)
    {
      /* The undo moves it back, its aliases with it. */
      undo->changes |= MW_ACCOUNT_CHANGE_NAME;
      undo->name = g_strdup (before.email);
    }
  if (move && !admin->dry_run)
    {
      g_autofree char *from = maildir_of (before.email);
      g_autofree char *to = maildir_of (email);

      /* Translators: the first is the Maildir of the mailbox's old address,
       * the second where Dovecot now looks for its mail. */
      undo->notice = g_strdup_printf (_("Move %s to %s on the mail server, or the mailbox will start empty."),
                                      from, to);
    }
  /* The row as this change left it (a dry run left it as it was). */
  undo->expected_fingerprint = admin->dry_run ? g_strdup (expected)
                                              : _mw_ispmail_fingerprint (email,
                                                                         password != NULL ? password : before.password,
                                                                         quota, domain_id);
  return g_steal_pointer (&undo);
}

/* The mailbox, the alias rows that deliver to it and the rows from its own
 * address (its forwards). Its Maildir is on the mail server's disk, not in
 * the database: the summary names it. */
gboolean
_mw_ispmail_delete_account (MwIspmailSchema  *self,
                            const MwAdmin    *admin,
                            const char       *key,
                            MwDeleteSummary  *summary,
                            GError          **error)
{
  MwDbDriver driver = mw_db_get_driver (admin->db);
  g_autofree char *to_it = mw_sql_ci_equal (driver, "destination", "$1");
  g_autofree char *from_it = mw_sql_ci_equal (driver, "source", "$1");
  g_autofree char *count_sql = g_strdup_printf ("SELECT COALESCE(SUM(CASE WHEN %s AND NOT (%s) THEN 1 ELSE 0 END), 0), "
                                                "COALESCE(SUM(CASE WHEN %s AND NOT (%s) THEN 1 ELSE 0 END), 0) "
                                                "FROM [aliases]", to_it, from_it, from_it, to_it);
  g_autofree char *delete_sql = g_strdup_printf ("DELETE FROM [aliases] WHERE %s OR %s", to_it, from_it);
  g_autofree char *maildir = NULL;
  g_auto(Row) row = { 0 };
  MwDeleteSummary s = { 0 };
  gint64 id;
  gboolean ok;

  if (!_mw_ispmail_parse_account_key (key, &id, error) || !_mw_admin_begin (admin, error))
    return FALSE;
  ok = read_row (self, admin, id, TRUE, &row, error);
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (row.email) };
      g_autoptr(MwDbResult) r = run (self, admin, count_sql, params, 1, error);

      ok = r != NULL;
      if (ok)
        {
          s.aliases = mw_db_result_get_int64 (r, 0, 0);
          s.forwards = mw_db_result_get_int64 (r, 0, 1);
        }
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (row.email) };
      g_autoptr(MwDbResult) r = run (self, admin, delete_sql, params, 1, error);

      ok = r != NULL;
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_INT64 (id) };
      g_autoptr(MwDbResult) r = run (self, admin, "DELETE FROM [users] WHERE id = $1", params, 1, error);

      ok = r != NULL;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;

  /* Dovecot's mail_location in the tutorial: maildir:/var/vmail/%d/%n. */
  {
    const char *at = strrchr (row.email, '@');
    g_autofree char *local = at != NULL ? g_strndup (row.email, at - row.email) : g_strdup (row.email);
    g_autofree char *domain = g_ascii_strdown (row.domain, -1);

    maildir = g_strdup_printf (MW_ISPMAIL_VMAIL_DIR "/%s/%s/", domain, local);
  }
  s.users = 1;
  s.maildirs = 1;
  g_strlcpy (s.maildir, maildir, sizeof s.maildir);
  if (summary != NULL)
    *summary = s;

  {
    g_autofree char *aliases = g_strdup_printf ("%" G_GINT64_FORMAT, s.aliases);
    g_autofree char *forwards = g_strdup_printf ("%" G_GINT64_FORMAT, s.forwards);
    MwAuditField b[] = { { "email", row.email }, { "aliases", aliases }, { "forwards", forwards },
                         { "maildir", maildir } };

    _mw_admin_audit (admin, "user.delete", row.email, b, G_N_ELEMENTS (b), NULL, 0);
  }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Domains: virtual_domains keeps only a name                               */
/* ------------------------------------------------------------------------ */

#define DOMAIN_KEY_PREFIX "domain-"

static char *
domain_key (gint64 id)
{
  return g_strdup_printf (DOMAIN_KEY_PREFIX "%" G_GINT64_FORMAT, id);
}

/* The id in "domain-7", or 0. */
static gint64
parse_domain_key (const char *key)
{
  gint64 id;
  char *end = NULL;

  if (!g_str_has_prefix (key, DOMAIN_KEY_PREFIX) || !g_ascii_isdigit (key[strlen (DOMAIN_KEY_PREFIX)]))
    return 0;
  id = g_ascii_strtoll (key + strlen (DOMAIN_KEY_PREFIX), &end, 10);
  return end != NULL && *end == '\0' && id > 0 ? id : 0;
}

char *
_mw_ispmail_normalize_domain (const char  *text,
                              GError     **error)
{
  return _mw_vmail_normalize_domain (text, MW_ISPMAIL_DOMAIN_MAX_CHARS, error);
}

MwDomain *
_mw_ispmail_get_domain (MwSchema         *schema,
                        MwDb             *db,
                        const char       *key_or_name,
                        GCancellable     *cancellable,
                        GError          **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  gint64 id = parse_domain_key (key_or_name);
  g_autofree char *name = NULL;
  g_autofree char *inner = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  g_autoptr(MwDomain) domain = NULL;
  const char *counts = "(SELECT COUNT(*) FROM [users] u WHERE u.domain_id = d.id), "
                       "(SELECT COUNT(*) FROM [aliases] a WHERE a.domain_id = d.id)";

  if (id > 0)
    {
      MwDbValue params[] = { MW_DB_INT64 (id) };

      inner = g_strdup_printf ("SELECT d.id, d.name, %s FROM [domains] d WHERE d.id = $1", counts);
      sql = _mw_ispmail_sql (self, inner);
      r = mw_db_exec (db, sql, params, 1, cancellable, error);
    }
  else
    {
      g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (db), "d.name", "$1");
      MwDbValue params[1];

      name = _mw_ispmail_normalize_domain (key_or_name, error);
      if (name == NULL)
        return NULL;
      params[0] = (MwDbValue) MW_DB_TEXT (name);
      inner = g_strdup_printf ("SELECT d.id, d.name, %s FROM [domains] d WHERE %s ORDER BY d.id LIMIT 1",
                               counts, eq);
      sql = _mw_ispmail_sql (self, inner);
      r = mw_db_exec (db, sql, params, 1, cancellable, error);
    }
  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_autofree char *shown = name != NULL ? _mw_vmail_domain_display (name) : g_strdup (key_or_name);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("The domain “%s” is not in this database."), shown);
      return NULL;
    }
  domain = mw_domain_new ();
  domain->key = domain_key (mw_db_result_get_int64 (r, 0, 0));
  domain->name = g_strdup (mw_db_result_get_string (r, 0, 1));
  domain->has = MW_DOMAIN_NAME;
  domain->active = TRUE;
  domain->mailboxes = mw_db_result_get_int64 (r, 0, 2);
  domain->aliases = mw_db_result_get_int64 (r, 0, 3);
  domain->fingerprint = g_compute_checksum_for_string (G_CHECKSUM_SHA256, domain->name, -1);
  return g_steal_pointer (&domain);
}

static gboolean
refuse_domain_fields (MwDomainFields   fields,
                      GError         **error)
{
  if ((fields & ~MW_DOMAIN_NAME) == 0)
    return TRUE;
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This database keeps only a domain's name: it has no description, limits, quota, transport, "
                 "backup MX or active flag for a domain."));
  return FALSE;
}

char *
_mw_ispmail_add_domain (MwSchema              *schema,
                        const MwAdmin         *admin,
                        const char            *name,
                        const MwDomainChange  *settings,
                        GError               **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  g_autofree char *domain = NULL;
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (admin->db), "name", "$1");
  g_autofree char *taken_sql = g_strdup_printf ("SELECT name FROM [domains] WHERE %s ORDER BY id LIMIT 1", eq);
  gint64 id = 0;
  gboolean ok;

  if (settings != NULL && !refuse_domain_fields (settings->changes, error))
    return NULL;
  if (settings != NULL && settings->default_aliases_to != NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("This database has no default aliases for a new domain: add the domain, then its "
                     "postmaster and abuse aliases like any other."));
      return NULL;
    }
  domain = _mw_ispmail_normalize_domain (name, error);
  if (domain == NULL || !_mw_admin_begin (admin, error))
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
      MwDbValue params[] = { MW_DB_TEXT (domain) };
      g_autofree char *sql = _mw_ispmail_sql (self, "INSERT INTO [domains] (name) VALUES ($1)");

      id = _mw_admin_insert_id (admin, sql, "id", params, 1, error);
      ok = id > 0;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    MwAuditField a[] = { { "name", domain } };

    _mw_admin_audit (admin, "domain.add", domain, NULL, 0, a, G_N_ELEMENTS (a));
  }
  return domain_key (id);
}

MwDomainChange *
_mw_ispmail_update_domain (MwSchema              *schema,
                           const MwAdmin         *admin,
                           const char            *key,
                           const MwDomainChange  *change,
                           GError               **error)
{
  g_autoptr(MwDomain) now = NULL;
  g_autoptr(MwDomainChange) undo = NULL;

  if (parse_domain_key (key) == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("There is no such domain in this database."));
      return NULL;
    }
  now = _mw_ispmail_get_domain (schema, admin->db, key, NULL, error);
  if (now == NULL)
    return NULL;
  if (change->expected_fingerprint != NULL && g_strcmp0 (change->expected_fingerprint, now->fingerprint) != 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT,
                   _("The domain changed in the database since it was read: look at it again."));
      return NULL;
    }
  if (change->changes & MW_DOMAIN_NAME)
    {
      g_autofree char *name = _mw_ispmail_normalize_domain (change->name != NULL ? change->name : "", error);

      if (name == NULL)
        return NULL;
      if (g_strcmp0 (name, now->name) != 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("A domain cannot be renamed here: its name is part of every address and of the Maildirs "
                         "on the mail server (" MW_ISPMAIL_VMAIL_DIR "/%s/), which Dovecot would no longer find. "
                         "Add the new domain and its mailboxes instead."), now->name);
          return NULL;
        }
    }
  if (!refuse_domain_fields (change->changes, error))
    return NULL;
  /* Nothing this database keeps changes: the undo is empty too. */
  undo = mw_domain_change_new ();
  undo->expected_fingerprint = g_strdup (now->fingerprint);
  return g_steal_pointer (&undo);
}

MwDomainDeleteSummary *
_mw_ispmail_delete_domains (MwSchema            *schema,
                            const MwAdmin       *admin,
                            const char *const   *keys,
                            GError             **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  g_autoptr(GPtrArray) maildirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MwDomainDeleteSummary) s = g_new0 (MwDomainDeleteSummary, 1);
  /* Alias rows of the domain, and rows elsewhere that deliver to one of its
   * mailboxes (as deleting a mailbox removes them). */
  const char *aliases_where = "domain_id = $1 OR lower(destination) IN "
                              "(SELECT lower(email) FROM [users] WHERE domain_id = $1)";
  g_autofree char *count_sql = g_strdup_printf ("SELECT COUNT(*) FROM [aliases] WHERE %s", aliases_where);
  g_autofree char *delete_sql = g_strdup_printf ("DELETE FROM [aliases] WHERE %s", aliases_where);
  gboolean ok;

  if (!_mw_admin_begin (admin, error))
    return NULL;
  ok = TRUE;
  for (guint i = 0; ok && keys[i] != NULL; i++)
    {
      gint64 id = parse_domain_key (keys[i]);
      MwDbValue params[] = { MW_DB_INT64 (id) };
      g_autoptr(MwDbResult) domain = NULL;
      g_autoptr(MwDbResult) users = NULL;
      g_autofree char *name = NULL;

      if (id == 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                       _("There is no such domain in this database."));
          ok = FALSE;
          break;
        }
      domain = run (self, admin, "SELECT name FROM [domains] WHERE id = $1 FOR UPDATE", params, 1, error);
      if (domain == NULL)
        {
          ok = FALSE;
          break;
        }
      if (mw_db_result_get_n_rows (domain) == 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                       _("The domain is no longer in this database; someone may have deleted it."));
          ok = FALSE;
          break;
        }
      name = g_ascii_strdown (mw_db_result_get_string (domain, 0, 0), -1);
      users = run (self, admin, "SELECT email FROM [users] WHERE domain_id = $1 ORDER BY email", params, 1, error);
      ok = users != NULL;
      for (guint row = 0; ok && row < mw_db_result_get_n_rows (users); row++)
        {
          const char *email = mw_db_result_get_string (users, row, 0);
          const char *at = strrchr (email, '@');
          g_autofree char *local = at != NULL ? g_strndup (email, at - email) : g_strdup (email);

          /* Dovecot's mail_location in the tutorial: maildir:/var/vmail/%d/%n. */
          g_ptr_array_add (maildirs, g_strdup_printf (MW_ISPMAIL_VMAIL_DIR "/%s/%s/", name, local));
          s->mailboxes++;
        }
      if (ok)
        {
          g_autofree char *sql = _mw_ispmail_sql (self, count_sql);
          gint64 n = _mw_admin_run_int (admin, sql, params, 1, error);

          ok = n >= 0;
          s->aliases += MAX (n, 0);
        }
      /* The tutorial's foreign keys delete a domain's users and aliases ON
       * DELETE CASCADE; deleting them first also serves a schema without. */
      if (ok)
        {
          g_autofree char *sql = _mw_ispmail_sql (self, delete_sql);

          ok = _mw_admin_run_ok (admin, sql, params, 1, error);
        }
      if (ok)
        {
          g_autofree char *sql = _mw_ispmail_sql (self, "DELETE FROM [users] WHERE domain_id = $1");

          ok = _mw_admin_run_ok (admin, sql, params, 1, error);
        }
      if (ok)
        {
          g_autofree char *sql = _mw_ispmail_sql (self, "DELETE FROM [domains] WHERE id = $1");

          ok = _mw_admin_run_ok (admin, sql, params, 1, error);
        }
      if (ok)
        {
          s->domains++;
          g_ptr_array_add (names, g_steal_pointer (&name));
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
        MwAuditField b[] = { { "name", g_ptr_array_index (names, i) }, { "mailboxes", mailboxes },
                             { "aliases", aliases }, { "maildirs", dirs } };

        _mw_admin_audit (admin, "domain.delete", g_ptr_array_index (names, i), b, G_N_ELEMENTS (b), NULL, 0);
      }
  }
  return g_steal_pointer (&s);
}
