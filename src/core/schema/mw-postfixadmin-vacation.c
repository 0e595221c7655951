/* mw-postfixadmin-vacation.c: the PostfixAdmin flavour's vacation, as
 * PostfixAdmin 3.3's VacationHandler keeps it.
 *
 * set_away(): the notifications already sent are forgotten
 * (vacation_notification), the vacation row is written (inserted or
 * updated: email, domain, subject, body, interval_time, active, activefrom,
 * activeuntil; MariaDB's leftover cache ''), and the mailbox's own alias
 * row gets the vacation address "local#domain@<vacation domain>" in its
 * goto, after the other targets and before the mailbox itself, as
 * AliasHandler::setmore() orders them. remove(): active off (the text
 * stays), the notifications go, the vacation address leaves the goto. Both
 * in one transaction (PostfixAdmin's are not), with the row PostfixAdmin's
 * AliasHandler::save() logs ("edit_alias", the address: VacationHandler
 * logs nothing of its own) and Mailwarden's audit entry.
 *
 * The vacation domain is PostfixAdmin's $CONF['vacation_domain'], which is
 * not in the database: the one the caller names, else the one the
 * database's other vacation addresses use, else "autoreply.example.org".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-postfixadmin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-postfixadmin-private.h"

#define run _mw_postfixadmin_run

#define DEFAULT_REPLY_DOMAIN "autoreply.example.org"

/* "dave#example.org@" for dave@example.org: the start of its vacation address. */
static char *
vacation_prefix (const char *username)
{
  g_autofree char *local = g_strdup (username);
  char *at = strchr (local, '@');

  if (at != NULL)
    *at = '#';
  return g_strconcat (local, "@", NULL);
}

static gboolean
is_vacation_entry (const char *target,
                   const char *prefix)
{
  return g_ascii_strncasecmp (target, prefix, strlen (prefix)) == 0 && target[strlen (prefix)] != '\0';
}

static char *
format_time (MwDbResult *r,
             guint       col)
{
  g_autoptr(GDateTime) t = mw_db_result_get_string (r, 0, col) != NULL ? mw_db_result_get_timestamp (r, 0, col) : NULL;

  return t != NULL ? g_date_time_format (t, "%Y-%m-%d %H:%M:%S") : NULL;
}

/* The vacation row of @username (NULL for none) with the state of its goto. */
static MwVacation *
read_vacation (MwPostfixadminSchema  *self,
               MwDb                  *db,
               const char            *username,
               const char            *go_to,
               gboolean               lock,
               GError               **error)
{
  g_autofree char *sql = _mw_postfixadmin_sql (self, lock ? "SELECT subject, body, activefrom, activeuntil, "
                                                            "interval_time, active, created, modified "
                                                            "FROM [vacation] WHERE email = $1 FOR UPDATE"
                                                          : "SELECT subject, body, activefrom, activeuntil, "
                                                            "interval_time, active, created, modified "
                                                            "FROM [vacation] WHERE email = $1");
  MwDbValue params[] = { MW_DB_TEXT (username) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, NULL, error);
  g_autofree char *prefix = vacation_prefix (username);
  g_auto(GStrv) targets = _mw_postfixadmin_split_goto (go_to);
  MwVacation *v;

  if (r == NULL || mw_db_result_get_n_rows (r) == 0)
    return NULL;
  v = mw_vacation_new ();
  v->address = g_strdup (username);
  v->subject = g_strdup (mw_db_result_get_string (r, 0, 0));
  v->body = g_strdup (mw_db_result_get_string (r, 0, 1));
  v->active_from = format_time (r, 2);
  v->active_until = format_time (r, 3);
  v->interval = mw_db_result_get_int64 (r, 0, 4);
  v->created = format_time (r, 6);
  v->modified = format_time (r, 7);
  /* Away is what routes the mail: the goto entry (PostfixAdmin's lists
   * read it there too), with the row's active flag. */
  for (guint i = 0; targets[i] != NULL; i++)
    if (is_vacation_entry (targets[i], prefix))
      {
        v->reply_domain = g_ascii_strdown (targets[i] + strlen (prefix), -1);
        v->active = mw_db_result_get_bool (r, 0, 5);
      }
  return v;
}

/* The mailbox @key names and its own alias row's goto, the row locked when @admin. */
static char *
lock_mailbox (MwPostfixadminSchema  *self,
              MwDb                  *db,
              const MwAdmin         *admin,
              const char            *key,
              char                 **go_to,
              char                 **domain,
              GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *username = NULL;
  g_autoptr(MwDbResult) r = NULL;

  if (!_mw_postfixadmin_parse_account_key (key, error))
    return NULL;
  username = _mw_postfixadmin_mailbox_of (self, db, key, &local_error);
  if (username == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        _mw_vmail_set_no_mailbox (error, key);
      return NULL;
    }
  {
    g_autofree char *sql = _mw_postfixadmin_sql (self, admin != NULL ? "SELECT goto, domain FROM [alias] "
                                                                       "WHERE address = $1 FOR UPDATE"
                                                                     : "SELECT goto, domain FROM [alias] "
                                                                       "WHERE address = $1");
    MwDbValue params[] = { MW_DB_TEXT (username) };

    r = mw_db_exec (db, sql, params, 1, NULL, error);
  }
  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      if (admin == NULL)
        {
          *go_to = NULL;
          *domain = g_strdup (strchr (username, '@') + 1);
          return g_steal_pointer (&username);
        }
      {
        g_autofree char *shown = mw_address_to_display (username);

        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                     _("The mailbox “%s” has no alias row of its own, which PostfixAdmin needs to route its mail "
                       "to the vacation reply. Save the mailbox in PostfixAdmin once to make it."), shown);
      }
      return NULL;
    }
  *go_to = g_strdup (mw_db_result_get_string (r, 0, 0));
  *domain = g_strdup (mw_db_result_get_string (r, 0, 1));
  return g_steal_pointer (&username);
}

static MwVacation *
pfa_get_vacation (MwVacationStore  *store,
                  MwDb             *db,
                  const char       *key,
                  GCancellable     *cancellable,
                  GError          **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (store);
  g_autofree char *go_to = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *username = lock_mailbox (self, db, NULL, key, &go_to, &domain, error);

  if (username == NULL)
    return NULL;
  return read_vacation (self, db, username, go_to, FALSE, error);
}

/* What the vacation columns can hold on this server, refused with a sentence. */
static gboolean
check_storable (MwPostfixadminSchema  *self,
                const MwAdmin         *admin,
                const MwVacation      *v,
                GError               **error)
{
  g_autoptr(MwDbResult) r = NULL;
  gunichar limit = 0x10FFFF;
  const char *charset;

  if (mw_db_get_driver (admin->db) == MW_DB_DRIVER_PGSQL)
    {
      r = _mw_admin_run (admin, "SELECT current_setting('server_encoding')", NULL, 0, error);
      if (r == NULL)
        return FALSE;
      charset = mw_db_result_get_string (r, 0, 0);
      if (g_strcmp0 (charset, "UTF8") != 0)
        limit = 0x7F;
    }
  else
    {
      g_autofree char *table = _mw_postfixadmin_sql (self, "[vacation]");
      MwDbValue params[] = { MW_DB_TEXT (table) };

      r = _mw_admin_run (admin, "SELECT CHARACTER_SET_NAME FROM information_schema.COLUMNS "
                                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND COLUMN_NAME IN "
                                "('subject', 'body') ORDER BY CHARACTER_SET_NAME LIMIT 1", params, 1, error);
      if (r == NULL)
        return FALSE;
      charset = mw_db_result_get_n_rows (r) > 0 ? mw_db_result_get_string (r, 0, 0) : "utf8mb4";
      if (g_strcmp0 (charset, "utf8mb4") == 0)
        limit = 0x10FFFF;
      else if (g_strcmp0 (charset, "utf8") == 0 || g_strcmp0 (charset, "utf8mb3") == 0)
        limit = 0xFFFF;
      else if (g_strcmp0 (charset, "latin1") == 0)
        limit = 0xFF;
      else
        limit = 0x7F;
    }
  for (guint part = 0; part < 2; part++)
    {
      const char *text = part == 0 ? v->subject : v->body;

      for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
        if (g_utf8_get_char (p) > limit)
          {
            char ch[8] = { 0 };

            g_unichar_to_utf8 (g_utf8_get_char (p), ch);
            if (mw_db_get_driver (admin->db) == MW_DB_DRIVER_PGSQL)
              g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                           _("This database stores text as %s, which cannot hold “%s”. Leave it out of the "
                             "vacation reply."), charset, ch);
            else
              g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                           _("The vacation table of this database stores text as %s, which cannot hold “%s”. "
                             "Leave it out, or convert the table’s subject and body to utf8mb4."),
                           charset, ch);
            return FALSE;
          }
    }
  return TRUE;
}

/* The vacation domain: @wanted, else the one in use, else the default. */
static char *
reply_domain (MwPostfixadminSchema  *self,
              const MwAdmin         *admin,
              const char            *wanted,
              GError               **error)
{
  g_autoptr(MwDbResult) r = NULL;

  if (wanted != NULL && wanted[0] != '\0')
    {
      g_autofree char *probe = g_strconcat ("vacation@", wanted, NULL);
      g_autofree char *stored = _mw_postfixadmin_check_address (probe, 0, error);

      if (stored == NULL)
        return NULL;
      return g_strdup (strchr (stored, '@') + 1);
    }
  r = run (self, admin, "SELECT goto FROM [alias] WHERE goto LIKE '%#%@%' ORDER BY modified DESC LIMIT 20",
           NULL, 0, error);
  if (r == NULL)
    return NULL;
  for (guint row = 0; row < mw_db_result_get_n_rows (r); row++)
    {
      g_auto(GStrv) targets = _mw_postfixadmin_split_goto (mw_db_result_get_string (r, row, 0));

      for (guint i = 0; targets[i] != NULL; i++)
        {
          const char *hash = strchr (targets[i], '#');
          const char *at = strrchr (targets[i], '@');

          if (hash != NULL && at != NULL && hash < at && at[1] != '\0')
            return g_ascii_strdown (at + 1, -1);
        }
    }
  return g_strdup (DEFAULT_REPLY_DOMAIN);
}

/* The goto without the vacation address, plus @entry (NULL: none) before
 * the mailbox itself, which stays last where it was there. */
static char *
new_goto (const char *go_to,
          const char *username,
          const char *prefix,
          const char *entry)
{
  g_auto(GStrv) targets = _mw_postfixadmin_split_goto (go_to);
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  gboolean keeps_self = FALSE;

  for (guint i = 0; targets[i] != NULL; i++)
    if (g_ascii_strcasecmp (targets[i], username) == 0)
      keeps_self = TRUE;
    else if (!is_vacation_entry (targets[i], prefix))
      g_ptr_array_add (out, targets[i]);
  if (entry != NULL)
    g_ptr_array_add (out, (char *) entry);
  if (keeps_self)
    g_ptr_array_add (out, (char *) username);
  g_ptr_array_add (out, NULL);
  return g_strjoinv (",", (GStrv) out->pdata);
}

static gboolean
write_goto (MwPostfixadminSchema  *self,
            const MwAdmin         *admin,
            const char            *username,
            const char            *domain,
            const char            *old_goto,
            const char            *go_to,
            GError               **error)
{
  MwDbValue params[] = { MW_DB_TEXT (go_to), MW_DB_TEXT (username) };
  g_autoptr(MwDbResult) r = NULL;

  if (g_strcmp0 (old_goto, go_to) == 0)
    return TRUE;
  r = run (self, admin, "UPDATE [alias] SET goto = $1, modified = now() WHERE address = $2", params, 2, error);
  return r != NULL && _mw_postfixadmin_log (self, admin, domain, "edit_alias", username, error);
}

static gboolean
forget_notified (MwPostfixadminSchema  *self,
                 const MwAdmin         *admin,
                 const char            *username,
                 GError               **error)
{
  MwDbValue params[] = { MW_DB_TEXT (username) };
  g_autoptr(MwDbResult) r = run (self, admin, "DELETE FROM [vacation_notification] WHERE on_vacation = $1",
                                 params, 1, error);

  return r != NULL;
}

static MwVacation *
before_or_none (MwVacation *before,
                const char *username)
{
  if (before == NULL)
    {
      before = mw_vacation_new ();
      before->address = g_strdup (username);
    }
  return before;
}

static MwVacation *
pfa_set_vacation (MwVacationStore   *store,
                  const MwAdmin     *admin,
                  const char        *key,
                  const MwVacation  *vacation,
                  GError           **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (store);
  g_autoptr(MwVacation) v = mw_vacation_copy (vacation);
  g_autoptr(MwVacation) before = NULL;
  g_autofree char *username = NULL;
  g_autofree char *go_to = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *rdomain = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *goto_after = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (v->body == NULL)
    v->body = g_strdup ("");
  if (!mw_vacation_check (v, error) || !_mw_postfixadmin_parse_account_key (key, error) ||
      !_mw_admin_begin (admin, error))
    return NULL;
  ok = (username = lock_mailbox (self, admin->db, admin, key, &go_to, &domain, error)) != NULL;
  if (ok)
    {
      before = read_vacation (self, admin->db, username, go_to, TRUE, &local_error);
      ok = local_error == NULL;
      if (!ok)
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  ok = ok && check_storable (self, admin, v, error);
  /* A vacation that is on keeps its domain unless another is asked for. */
  ok = ok && (rdomain = reply_domain (self, admin, v->reply_domain != NULL ? v->reply_domain
                                                   : before != NULL ? before->reply_domain : NULL, error)) != NULL;
  if (ok)
    {
      prefix = vacation_prefix (username);
      entry = g_strconcat (prefix, rdomain, NULL);
      goto_after = new_goto (go_to, username, prefix, entry);
      ok = forget_notified (self, admin, username, error);
    }
  if (ok)
    {
      const char *mailbox_domain = strchr (username, '@') + 1;
      gboolean mysql = mw_db_get_driver (admin->db) == MW_DB_DRIVER_MYSQL;
      MwDbValue params[] = {
        MW_DB_TEXT (username), MW_DB_TEXT (mailbox_domain), MW_DB_TEXT (v->subject), MW_DB_TEXT (v->body),
        MW_DB_INT64 (v->interval), MW_DB_BOOL (TRUE), MW_DB_TIMESTAMP (v->active_from),
        MW_DB_TIMESTAMP (v->active_until),
      };
      g_autoptr(MwDbResult) r = NULL;

      if (before != NULL)
        r = run (self, admin, "UPDATE [vacation] SET domain = $2, subject = $3, body = $4, interval_time = $5, "
                              "active = $6, activefrom = $7, activeuntil = $8, modified = now() WHERE email = $1",
                 params, G_N_ELEMENTS (params), error);
      else if (mysql)
        r = run (self, admin, "INSERT INTO [vacation] (email, domain, subject, body, interval_time, active, "
                              "activefrom, activeuntil, cache, created, modified) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', now(), now())",
                 params, G_N_ELEMENTS (params), error);
      else
        r = run (self, admin, "INSERT INTO [vacation] (email, domain, subject, body, interval_time, active, "
                              "activefrom, activeuntil, created, modified) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now())",
                 params, G_N_ELEMENTS (params), error);
      ok = r != NULL;
    }
  ok = ok && write_goto (self, admin, username, domain, go_to, goto_after, error);
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    MwAuditField b[] = { { "goto", go_to }, { "subject", before != NULL ? before->subject : NULL } };
    MwAuditField a[] = { { "goto", goto_after }, { "subject", v->subject }, { "from", v->active_from },
                         { "until", v->active_until } };

    _mw_admin_audit (admin, "vacation.set", username, b, G_N_ELEMENTS (b), a, G_N_ELEMENTS (a));
  }
  return before_or_none (g_steal_pointer (&before), username);
}

static MwVacation *
pfa_clear_vacation (MwVacationStore  *store,
                    const MwAdmin    *admin,
                    const char       *key,
                    GError          **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (store);
  g_autoptr(MwVacation) before = NULL;
  g_autofree char *username = NULL;
  g_autofree char *go_to = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *goto_after = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (!_mw_postfixadmin_parse_account_key (key, error) || !_mw_admin_begin (admin, error))
    return NULL;
  ok = (username = lock_mailbox (self, admin->db, admin, key, &go_to, &domain, error)) != NULL;
  if (ok)
    {
      before = read_vacation (self, admin->db, username, go_to, TRUE, &local_error);
      ok = local_error == NULL;
      if (!ok)
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_BOOL (FALSE), MW_DB_TEXT (username) };
      g_autoptr(MwDbResult) r = run (self, admin, "UPDATE [vacation] SET active = $1, modified = now() "
                                                  "WHERE email = $2", params, 2, error);

      ok = r != NULL && forget_notified (self, admin, username, error);
    }
  if (ok)
    {
      prefix = vacation_prefix (username);
      goto_after = new_goto (go_to, username, prefix, NULL);
      ok = write_goto (self, admin, username, domain, go_to, goto_after, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    MwAuditField b[] = { { "goto", go_to } };
    MwAuditField a[] = { { "goto", goto_after } };

    _mw_admin_audit (admin, "vacation.clear", username, b, G_N_ELEMENTS (b), a, G_N_ELEMENTS (a));
  }
  return before_or_none (g_steal_pointer (&before), username);
}

void
_mw_postfixadmin_vacation_iface_init (MwVacationStoreInterface *iface)
{
  iface->get_vacation = pfa_get_vacation;
  iface->set_vacation = pfa_set_vacation;
  iface->clear_vacation = pfa_clear_vacation;
}
