/* mw-postfixadmin-addresses.c: the PostfixAdmin flavour's aliases and
 * forwards: targets in the comma-separated goto of an alias row, as
 * PostfixAdmin's AliasHandler keeps them.
 *
 * An address of the interface is one target of a row ("alias:A>T"). Adding
 * a target to an address that has a row appends it (AliasHandler's edit,
 * logged "edit_alias"); a new row is created with the domain's alias limit
 * checked ("create_alias"); removing the last target deletes the row
 * ("delete_alias"). A forward from a mailbox's own address goes into its
 * own row before the mailbox itself, which stays last ("forward and keep").
 * The mailbox's own target of its own row is the mailbox: it cannot be
 * removed or changed here. Catch-alls ("@domain") only when asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-postfixadmin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-postfixadmin-private.h"
#include "mw-sql-dialect.h"

#define run _mw_postfixadmin_run

#define OWN_ADDRESS_REFUSAL \
  _("This is the mailbox’s own address: it is its login and cannot change. Delete the mailbox instead.")

typedef struct
{
  char  *address;     /* as stored */
  char  *domain;
  GStrv  targets;
} AliasRow;

static void
alias_row_clear (AliasRow *row)
{
  g_clear_pointer (&row->address, g_free);
  g_clear_pointer (&row->domain, g_free);
  g_clear_pointer (&row->targets, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AliasRow, alias_row_clear)

/* The alias row of @address, locked; FALSE without an error when there is none. */
static gboolean
lock_alias (MwPostfixadminSchema  *self,
            const MwAdmin         *admin,
            const char            *address,
            AliasRow              *row,
            GError               **error)
{
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (admin->db), "address", "$1");
  g_autofree char *sql = g_strdup_printf ("SELECT address, domain, goto FROM [alias] WHERE %s FOR UPDATE", eq);
  MwDbValue params[] = { MW_DB_TEXT (address) };
  g_autoptr(MwDbResult) r = run (self, admin, sql, params, 1, error);

  if (r == NULL || mw_db_result_get_n_rows (r) == 0)
    return FALSE;
  row->address = g_strdup (mw_db_result_get_string (r, 0, 0));
  row->domain = g_strdup (mw_db_result_get_string (r, 0, 1));
  row->targets = _mw_postfixadmin_split_goto (mw_db_result_get_string (r, 0, 2));
  return TRUE;
}

static gint
find_target (GStrv       targets,
             const char *target)
{
  for (guint i = 0; targets[i] != NULL; i++)
    if (g_ascii_strcasecmp (targets[i], target) == 0)
      return (gint) i;
  return -1;
}

static gboolean
write_goto (MwPostfixadminSchema  *self,
            const MwAdmin         *admin,
            const AliasRow        *row,
            GError               **error)
{
  g_autofree char *go_to = g_strjoinv (",", row->targets);
  MwDbValue params[] = { MW_DB_TEXT (go_to), MW_DB_TEXT (row->address) };
  g_autoptr(MwDbResult) r = run (self, admin, "UPDATE [alias] SET goto = $1, modified = now() WHERE address = $2",
                                 params, 2, error);

  return r != NULL && _mw_postfixadmin_log (self, admin, row->domain, "edit_alias", row->address, error);
}

char *
_mw_postfixadmin_add_target (MwPostfixadminSchema  *self,
                             const MwAdmin         *admin,
                             const char            *address,
                             MwAddressFlags         flags,
                             const char            *target,
                             gboolean               to_mailbox,
                             GError               **error)
{
  g_autofree char *source = _mw_postfixadmin_check_address (address, flags, error);
  g_autofree char *mailbox = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(AliasRow) row = { 0 };
  const char *domain;
  gint64 aliases_limit, mailboxes_limit, maxquota, quota;
  gboolean active, backupmx;

  if (source == NULL)
    return NULL;
  domain = strchr (source, '@') + 1;
  mailbox = _mw_postfixadmin_mailbox_of (self, admin->db, source, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (mailbox != NULL && to_mailbox)
    {
      g_autofree char *shown = mw_address_to_display (source);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   _("The address “%s” is taken: a mailbox has it."), shown);
      return NULL;
    }
  if (!_mw_postfixadmin_lock_domain (self, admin, domain, &aliases_limit, &mailboxes_limit, &maxquota, &quota,
                                     &active, &backupmx, error))
    return NULL;
  /* PostfixAdmin's list_domains_for_admin(): only active domains that are
   * no backup MX have aliases edited. */
  if (!active || backupmx)
    {
      g_autofree char *shown = _mw_vmail_domain_display (domain);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   !active ? _("The domain “%s” is disabled: enable it before changing its aliases.")
                           : _("This server is only a backup MX for the domain “%s”: its aliases live elsewhere."),
                   shown);
      return NULL;
    }

  if (lock_alias (self, admin, source, &row, &local_error))
    {
      g_autoptr(GPtrArray) targets = g_ptr_array_new ();
      gint self_at = mailbox != NULL ? find_target (row.targets, row.address) : -1;

      if (find_target (row.targets, target) >= 0)
        {
          _mw_vmail_set_already_goes (error, row.address, target);
          return NULL;
        }
      /* A mailbox's own row keeps the mailbox last, as PostfixAdmin writes it. */
      for (guint i = 0; row.targets[i] != NULL; i++)
        if ((gint) i != self_at)
          g_ptr_array_add (targets, row.targets[i]);
      g_ptr_array_add (targets, (char *) target);
      if (self_at >= 0)
        g_ptr_array_add (targets, row.targets[self_at]);
      g_ptr_array_add (targets, NULL);
      {
        GStrv old = row.targets;

        row.targets = g_strdupv ((GStrv) targets->pdata);
        g_strfreev (old);
      }
      if (!write_goto (self, admin, &row, error))
        return NULL;
      return _mw_postfixadmin_alias_key (row.address, target);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* AliasHandler::create_allowed(): the domain's alias limit (0: none,
   * -1: no aliases), counted as PostfixAdmin counts, less the mailboxes. */
  if (aliases_limit != 0)
    {
      g_autofree char *shown = _mw_vmail_domain_display (domain);
      g_autofree char *sql = _mw_postfixadmin_sql (self, "SELECT (SELECT count(*) FROM [alias] WHERE domain = $1) - "
                                                         "(SELECT count(*) FROM [mailbox] WHERE domain = $1)");
      MwDbValue params[] = { MW_DB_TEXT (domain) };
      gint64 n = _mw_admin_run_int (admin, sql, params, 1, error);

      if (n < 0 && error != NULL && *error != NULL)
        return NULL;
      if (aliases_limit < 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The domain “%s” may have no aliases (its alias limit is disabled)."), shown);
          return NULL;
        }
      if (n >= aliases_limit)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The domain “%s” has %" G_GINT64_FORMAT " aliases, as many as its limit allows."), shown, n);
          return NULL;
        }
    }
  {
    MwDbValue params[] = { MW_DB_TEXT (source), MW_DB_TEXT (target), MW_DB_TEXT (domain), MW_DB_BOOL (TRUE) };
    g_autoptr(MwDbResult) r = run (self, admin, "INSERT INTO [alias] (address, goto, domain, created, modified, "
                                                "active) VALUES ($1, $2, $3, now(), now(), $4)", params, 4, error);

    if (r == NULL || !_mw_postfixadmin_log (self, admin, domain, "create_alias", source, error))
      return NULL;
  }
  return _mw_postfixadmin_alias_key (source, target);
}

typedef struct
{
  MwPostfixadminSchema *self;
  const MwAdmin        *admin;
  const char           *address;
  MwAddressFlags        flags;
  const char           *account_key;  /* an alias of this mailbox; NULL: */
  const char           *target;       /* a forward to this address */
  char                 *mailbox;      /* out: the alias's mailbox as stored */
  char                 *key;          /* out */
} NewTarget;

static void
new_target_clear (NewTarget *t)
{
  g_clear_pointer (&t->mailbox, g_free);
  g_clear_pointer (&t->key, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NewTarget, new_target_clear)

static gboolean
insert_target (gpointer   data,
               GError   **error)
{
  NewTarget *t = data;

  new_target_clear (t);
  if (t->account_key != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      t->mailbox = _mw_postfixadmin_mailbox_of (t->self, t->admin->db, t->account_key, &local_error);
      if (t->mailbox == NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            _mw_vmail_set_no_mailbox (error, t->account_key);
          return FALSE;
        }
    }
  t->key = _mw_postfixadmin_add_target (t->self, t->admin, t->address, t->flags,
                                        t->mailbox != NULL ? t->mailbox : t->target, t->mailbox != NULL, error);
  return t->key != NULL;
}

char *
_mw_postfixadmin_add_alias (MwSchema              *schema,
                            const MwAdmin         *admin,
                            const char            *account_key,
                            const char            *address,
                            MwAddressFlags         flags,
                            GError               **error)
{
  g_auto(NewTarget) t = { MW_POSTFIXADMIN_SCHEMA (schema), admin, address, flags, account_key, NULL, NULL, NULL };

  if (!_mw_postfixadmin_parse_account_key (account_key, error) ||
      !_mw_vmail_transact (admin, insert_target, &t, error))
    return NULL;
  {
    MwAuditField after[] = { { "address", strchr (t.key, ':') + 1 }, { "goto", t.mailbox } };

    _mw_admin_audit (admin, "alias.add", address, NULL, 0, after, G_N_ELEMENTS (after));
  }
  return g_steal_pointer (&t.key);
}

/* A target Postfix can deliver to: an address (no programs in virtual
 * alias maps), lowercase, ASCII, no commas. */
static char *
check_target (const char  *text,
              GError     **error)
{
  g_autofree char *target = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The address is not valid UTF-8."));
      return NULL;
    }
  target = _mw_vmail_normalize_target (text, _("Postfix delivers a PostfixAdmin alias only to addresses, not to "
                                               "programs."), error);
  if (target == NULL)
    return NULL;
  for (const char *p = target; *p != '\0'; p++)
    if ((guchar) *p >= 0x80 || *p == ',' || *p == '>' || *p == ' ')
      {
        g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                     _("PostfixAdmin stores only addresses in plain ASCII letters, digits and .-_+ "
                       "before the @ (a domain may be international)."));
        return NULL;
      }
  if (strlen (target) > MW_POSTFIXADMIN_ADDRESS_MAX || strchr (target, '@') == NULL)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                   _("A forward goes to one address of at most %d characters."), MW_POSTFIXADMIN_ADDRESS_MAX);
      return NULL;
    }
  return g_steal_pointer (&target);
}

char *
_mw_postfixadmin_add_forward (MwPostfixadminSchema  *self,
                              const MwAdmin         *admin,
                              const char            *address,
                              const char            *target,
                              MwAddressFlags         flags,
                              GError               **error)
{
  g_autofree char *to = check_target (target, error);
  g_auto(NewTarget) t = { self, admin, address, flags, NULL, to, NULL, NULL };

  if (to == NULL || !_mw_vmail_transact (admin, insert_target, &t, error))
    return NULL;
  {
    MwAuditField after[] = { { "address", strchr (t.key, ':') + 1 }, { "goto", to } };

    _mw_admin_audit (admin, "forward.add", address, NULL, 0, after, G_N_ELEMENTS (after));
  }
  return g_steal_pointer (&t.key);
}

/* The row and the index of the key's target in it, locked; a mailbox's
 * own target of its own row is refused. */
static gboolean
lock_key (MwPostfixadminSchema  *self,
          const MwAdmin         *admin,
          const char            *key,
          AliasRow              *row,
          gint                  *index,
          gboolean              *was_mailbox,
          GError               **error)
{
  g_autofree char *address = NULL;
  g_autofree char *target = NULL;
  g_autofree char *mailbox = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean own;

  if (!_mw_postfixadmin_parse_address_key (key, &address, &target, &own, error))
    return FALSE;
  if (own || g_ascii_strcasecmp (address, target) == 0)
    {
      g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, OWN_ADDRESS_REFUSAL);
      return FALSE;
    }
  if (!lock_alias (self, admin, address, row, &local_error) || (*index = find_target (row->targets, target)) < 0)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                     _("This address is no longer in the database; someone may have deleted it."));
      return FALSE;
    }
  mailbox = _mw_postfixadmin_mailbox_of (self, admin->db, target, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *was_mailbox = mailbox != NULL;
  return TRUE;
}

static gboolean
set_target (MwPostfixadminSchema  *self,
            const MwAdmin         *admin,
            const char            *key,
            const char            *target,
            const char            *action,
            GError               **error)
{
  g_auto(AliasRow) row = { 0 };
  g_autofree char *old = NULL;
  gboolean was_mailbox = FALSE;
  gint index = -1;
  gboolean ok;

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = lock_key (self, admin, key, &row, &index, &was_mailbox, error);
  if (ok && find_target (row.targets, target) >= 0)
    {
      _mw_vmail_set_already_goes (error, row.address, target);
      ok = FALSE;
    }
  if (ok)
    {
      old = row.targets[index];
      row.targets[index] = g_strdup (target);
      ok = write_goto (self, admin, &row, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    MwAuditField before[] = { { "address", row.address }, { "target", old } };
    MwAuditField after[] = { { "address", row.address }, { "target", target } };

    _mw_admin_audit (admin, action, row.address, before, 2, after, 2);
  }
  return TRUE;
}

gboolean
_mw_postfixadmin_retarget_address (MwSchema              *schema,
                                   const MwAdmin         *admin,
                                   const char            *key,
                                   const char            *target,
                                   GError               **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_autofree char *to = check_target (target, error);

  return to != NULL && set_target (self, admin, key, to, "forward.change", error);
}

gboolean
_mw_postfixadmin_move_address (MwSchema              *schema,
                               const MwAdmin         *admin,
                               const char            *key,
                               const char            *account,
                               GError               **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_autoptr(MwFound) found = _mw_postfixadmin_find (schema, admin->db, account, NULL, error);

  return found != NULL && _mw_vmail_found_mailbox (found, account, error) &&
         set_target (self, admin, key, found->name, "alias.move", error);
}

gboolean
_mw_postfixadmin_delete_address (MwSchema              *schema,
                                 const MwAdmin         *admin,
                                 const char            *key,
                                 GError               **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (schema);
  g_auto(AliasRow) row = { 0 };
  g_autofree char *old = NULL;
  gboolean was_mailbox = FALSE;
  gint index = -1;
  gboolean ok;

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = lock_key (self, admin, key, &row, &index, &was_mailbox, error);
  if (ok)
    {
      guint n = g_strv_length (row.targets);

      old = row.targets[index];
      memmove (&row.targets[index], &row.targets[index + 1], (n - index) * sizeof (char *));
      if (row.targets[0] != NULL)
        ok = write_goto (self, admin, &row, error);
      else
        {
          /* AliasHandler::delete(): the whole row, when nothing is left. */
          MwDbValue params[] = { MW_DB_TEXT (row.address) };
          g_autoptr(MwDbResult) r = run (self, admin, "DELETE FROM [alias] WHERE address = $1", params, 1, error);

          ok = r != NULL && _mw_postfixadmin_log (self, admin, row.domain, "delete_alias", row.address, error);
        }
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    MwAuditField before[] = { { "address", row.address }, { "target", old } };

    _mw_admin_audit (admin, was_mailbox ? "alias.delete" : "forward.delete", row.address, before, 2, NULL, 0);
  }
  return TRUE;
}
