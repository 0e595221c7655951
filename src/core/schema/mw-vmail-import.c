/* mw-vmail-import.c: mailboxes from CSV for the ISPmail and PostfixAdmin
 * flavours.
 *
 * The same two steps as DBMail's import (mw-dbmail-import.c): the plan reads
 * every line, checks it against the database as the flavour's single add
 * does (syntax, the domain, the address free also in another case, and for
 * PostfixAdmin the domain's limits) and names each refused line; the run
 * hashes the passwords on worker threads and writes batches, each batch one
 * transaction, each line inside it behind a savepoint, so that a line that
 * became impossible since the plan is refused alone and a failed batch
 * leaves nothing behind. The rows are those of the flavour's single add:
 * ISPmail's virtual_users row and its aliases; PostfixAdmin's mailbox row
 * with its maildir, created/modified and password_expiry, its own alias row,
 * its aliases, and the rows of PostfixAdmin's log.
 *
 * A line whose domain is not in the database is refused with a sentence
 * (the domain must be added first, with its limits): the import creates
 * no domains.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-vmail-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-csv.h"
#include "mw-ispmail-private.h"
#include "mw-postfixadmin-private.h"
#include "mw-sql-dialect.h"
#include "mw-vmail-import.h"

#define DEFAULT_BATCH     250
#define GENERATED_LENGTH  16
#define NAME_MAX_CHARS    255   /* PostfixAdmin's mailbox.name */

/* What a line becomes: MwImportUser first, so that the plan's users are
 * MwImportUser to everyone else. */
typedef struct
{
  MwImportUser  base;           /* base.name: the address as stored, once checked */
  char         *full_name;      /* PostfixAdmin's mailbox.name */
  gboolean      active;
  char         *domain;         /* as stored */
  gint64        domain_id;      /* ISPmail: virtual_domains.id */
  GArray       *alias_domains;  /* ISPmail: gint64 per alias */
} VmailUser;

typedef struct
{
  MwSchema *schema;
  gboolean  pfa;                /* PostfixAdmin; else ISPmail */
} Flavour;

static void
vmail_user_free (gpointer data)
{
  VmailUser *u = data;

  if (u == NULL)
    return;
  g_free (u->base.name);
  mw_password_free (u->base.password);
  g_free (u->base.scheme);
  mw_password_free (u->base.stored_password);
  g_free (u->base.stored_scheme);
  g_strfreev (u->base.aliases);
  g_free (u->base.account_key);
  g_free (u->full_name);
  g_free (u->domain);
  if (u->alias_domains != NULL)
    g_array_unref (u->alias_domains);
  g_free (u);
}

static void
issue_free (gpointer data)
{
  MwImportIssue *issue = data;

  g_free (issue->message);
  g_free (issue);
}

static void
add_issue (GPtrArray  *issues,
           guint       line,
           const char *message)
{
  MwImportIssue *issue = g_new0 (MwImportIssue, 1);

  issue->line = line;
  /* Translators: "Line 12: The address “bob@example.org” is taken: a mailbox has it." */
  issue->message = g_strdup_printf (_("Line %u: %s"), line, message);
  g_ptr_array_add (issues, issue);
}

static gint
issue_compare (gconstpointer a,
               gconstpointer b)
{
  const MwImportIssue *x = *(MwImportIssue *const *) a;
  const MwImportIssue *y = *(MwImportIssue *const *) b;

  return x->line < y->line ? -1 : x->line > y->line;
}

static gboolean
flavour_init (Flavour   *f,
              MwSchema  *schema,
              GError   **error)
{
  f->schema = schema;
  f->pfa = MW_IS_POSTFIXADMIN_SCHEMA (schema);
  if (!f->pfa && !MW_IS_ISPMAIL_SCHEMA (schema))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("This database cannot import mailboxes from CSV."));
      return FALSE;
    }
  return TRUE;
}

static char *
flavour_sql (Flavour    *f,
             const char *sql)
{
  if (f->pfa)
    return _mw_postfixadmin_sql (MW_POSTFIXADMIN_SCHEMA (f->schema), sql);
  return _mw_ispmail_sql (MW_ISPMAIL_SCHEMA (f->schema), sql);
}

/* A refusal of one line (a sentence for the person), not a failure of the
 * database that ends the import. */
static gboolean
is_refusal (const GError *error)
{
  return error->domain == MW_SCHEMA_ERROR || error->domain == MW_ADDRESS_ERROR ||
         g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CONSTRAINT) ||
         g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_BAD_VALUE);
}

const char *
mw_schema_describe_import_format (MwSchema *self)
{
  const MwSchemaInfo *info = self != NULL ? mw_schema_get_info (self) : NULL;

  if (info != NULL && info->kind == MW_SCHEMA_POSTFIXADMIN)
    return _("The first line names the columns: address (required), password (plain, or hashed as "
             "“{SHA512-CRYPT}$6$…”), scheme, name, quota, active and aliases. Each domain must be in the "
             "database already, and its limits apply. Nothing is written before you confirm the preview.");
  if (info != NULL && info->kind == MW_SCHEMA_ISPMAIL)
    return _("The first line names the columns: address (required), password (plain, or hashed as "
             "“{SHA512-CRYPT}$6$…”), scheme, quota and aliases. Each domain must be in the database already. "
             "Nothing is written before you confirm the preview.");
  return mw_import_describe_format ();
}

/* ------------------------------------------------------------------------ */
/* Reading the file                                                         */
/* ------------------------------------------------------------------------ */

typedef enum
{
  COL_ADDRESS, COL_PASSWORD, COL_SCHEME, COL_FULL_NAME, COL_QUOTA, COL_ACTIVE, COL_ALIASES,
  COL_IGNORED, N_COLS
} Column;

/* "name" is the address where no other column is (as the mailboxes export
 * writes it), the person's name otherwise. */
static int
column_of (const char *header,
           gboolean    name_is_address)
{
  static const struct { const char *name; Column col; } names[] = {
    { "address", COL_ADDRESS }, { "email", COL_ADDRESS }, { "username", COL_ADDRESS }, { "mailbox", COL_ADDRESS },
    { "password", COL_PASSWORD }, { "scheme", COL_SCHEME }, { "full_name", COL_FULL_NAME },
    { "quota", COL_QUOTA }, { "active", COL_ACTIVE }, { "enabled", COL_ACTIVE },
    { "aliases", COL_ALIASES }, { "alias", COL_ALIASES },
    /* written by the mailboxes export, of no use to an import */
    { "domain", COL_IGNORED }, { "used", COL_IGNORED }, { "created", COL_IGNORED }, { "modified", COL_IGNORED },
    { "number", COL_IGNORED }, { "password_scheme", COL_IGNORED }, { "last_login", COL_IGNORED },
  };
  g_autofree char *h = g_strstrip (g_ascii_strdown (header, -1));

  if (g_str_equal (h, "name"))
    return name_is_address ? COL_ADDRESS : COL_FULL_NAME;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (h, names[i].name))
      return names[i].col;
  return -1;
}

static const char *
field (GStrv      fields,
       const int *index,
       Column     col)
{
  if (index[col] < 0 || (guint) index[col] >= g_strv_length (fields))
    return "";
  return fields[index[col]];
}

static gboolean
all_empty (GStrv fields)
{
  for (guint i = 0; fields[i] != NULL; i++)
    for (const char *p = fields[i]; *p != '\0'; p++)
      if (!g_ascii_isspace (*p))
        return FALSE;
  return TRUE;
}

static gboolean
parse_active (const char *text,
              gboolean   *active)
{
  static const char *const yes[] = { "", "1", "t", "true", "y", "yes", "on", "enabled", "active" };
  static const char *const no[] = { "0", "f", "false", "n", "no", "off", "disabled", "inactive" };
  g_autofree char *t = g_strstrip (g_ascii_strdown (text, -1));

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_str_equal (t, yes[i]))
      return (*active = TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_str_equal (t, no[i]))
      {
        *active = FALSE;
        return TRUE;
      }
  return FALSE;
}

/* A password given already hashed: "{SCHEME}…". */
static gboolean
looks_hashed (const char *password)
{
  const char *end;

  if (password[0] != '{' || (end = strchr (password, '}')) == NULL || end == password + 1)
    return FALSE;
  for (const char *p = password + 1; p < end; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

/* One record, without the database: FALSE with the sentence in error. */
static VmailUser *
parse_line (Flavour               *f,
            GStrv                  fields,
            const int             *index,
            guint                  line,
            const char            *default_scheme,
            const MwImportOptions *options,
            GError               **error)
{
  g_autofree char *address = g_strstrip (g_strdup (field (fields, index, COL_ADDRESS)));
  const char *password = field (fields, index, COL_PASSWORD);
  g_autofree char *scheme = g_strstrip (g_strdup (field (fields, index, COL_SCHEME)));
  g_autofree char *full_name = g_strstrip (g_strdup (field (fields, index, COL_FULL_NAME)));
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;
  gint64 quota = 0;
  gboolean active = TRUE;
  gulong rounds = 0;
  VmailUser *u;

  if (address[0] == '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The line has no address."));
      return NULL;
    }
  if (!g_utf8_validate (address, -1, NULL) || !g_utf8_validate (password, -1, NULL) ||
      !g_utf8_validate (full_name, -1, NULL) || !g_utf8_validate (field (fields, index, COL_ALIASES), -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The line is not valid UTF-8: save the file as UTF-8 and choose it again."));
      return NULL;
    }
  if (password[0] == '\0' && !options->generate_passwords)
    {
      g_autofree char *q = mw_address_quote_for_message (address, -1);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” has no password. Give one, or let Mailwarden generate passwords."), q);
      return NULL;
    }
  if (looks_hashed (password))
    {
      const MwPasswordScheme *known = f->pfa ? _mw_postfixadmin_identify (password) : _mw_ispmail_identify (password);
      gsize max = f->pfa ? 255 : 150;

      if (known == NULL)
        {
          g_autofree char *label = g_strndup (password, strchr (password, '}') - password + 1);

          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("The password is hashed as %s, a scheme Mailwarden does not know: Dovecot might refuse "
                         "every login. Give it in a scheme of the list, or as plain text."), label);
          return NULL;
        }
      if (strlen (password) > max)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("The hashed password is longer than the %u characters this database holds."), (guint) max);
          return NULL;
        }
      if (scheme[0] != '\0')
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("The password is hashed already: leave the scheme column empty on this line."));
          return NULL;
        }
    }
  else
    {
      g_autoptr(GError) rounds_error = NULL;

      if (scheme[0] == '\0')
        {
          g_free (scheme);
          scheme = g_strdup (default_scheme);
          rounds = options->rounds;
        }
      if (mw_schema_lookup_password_scheme (f->schema, scheme, NULL) == NULL)
        {
          g_autofree char *q = mw_address_quote_for_message (scheme, -1);

          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("“%s” is not a password scheme Mailwarden can write into this database."), q);
          return NULL;
        }
      if (!mw_password_check_rounds (scheme, rounds, &rounds_error))
        {
          g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, rounds_error->message);
          return NULL;
        }
    }
  if (full_name[0] != '\0' && !f->pfa)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("An ISPmail database keeps no names of people: leave the name column empty."));
      return NULL;
    }
  if (g_utf8_strlen (full_name, -1) > NAME_MAX_CHARS)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The name is longer than the %d characters PostfixAdmin holds."), NAME_MAX_CHARS);
      return NULL;
    }
  if (!mw_import_parse_quota (field (fields, index, COL_QUOTA), &quota, error))
    return NULL;
  if (!parse_active (field (fields, index, COL_ACTIVE), &active))
    {
      g_autofree char *q = mw_address_quote_for_message (field (fields, index, COL_ACTIVE), -1);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” in the active column is neither yes nor no (1 or 0)."), q);
      return NULL;
    }
  if (!active && !f->pfa)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("An ISPmail database cannot disable a mailbox: import it as active, or leave it out."));
      return NULL;
    }

  parts = g_strsplit_set (field (fields, index, COL_ALIASES), " ,;\t", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (aliases, g_strdup (parts[i]));
  g_ptr_array_add (aliases, NULL);

  u = g_new0 (VmailUser, 1);
  u->base.line = line;
  u->base.name = g_steal_pointer (&address);
  u->base.quota = quota;
  u->base.aliases = (GStrv) g_ptr_array_steal (aliases, NULL);
  u->full_name = g_steal_pointer (&full_name);
  u->active = active;
  if (looks_hashed (password))
    {
      u->base.stored_password = g_strdup (password);
      u->base.stored_scheme = g_strndup (password + 1, strchr (password, '}') - password - 1);
    }
  else
    {
      u->base.scheme = g_steal_pointer (&scheme);
      u->base.rounds = rounds;
      if (password[0] != '\0')
        u->base.password = g_strdup (password);
      else
        {
          u->base.password = mw_password_generate (GENERATED_LENGTH, error);
          u->base.generated = TRUE;
          if (u->base.password == NULL)
            {
              vmail_user_free (u);
              return NULL;
            }
        }
    }
  return u;
}

/* ------------------------------------------------------------------------ */
/* Checks against the database                                              */
/* ------------------------------------------------------------------------ */

/* What the file's earlier lines take of a domain (the plan only; in the
 * run the batch's own rows are in the database already). */
typedef struct
{
  gint64 mailboxes;
  gint64 quota;
} Planned;

/* count(*) of rows whose column is @value, without case; -1 on error. */
static gint64
count_ci (Flavour       *f,
          const MwAdmin *admin,
          const char    *table,
          const char    *column,
          const char    *value,
          GError       **error)
{
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (admin->db), column, "$1");
  g_autofree char *inner = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s", table, eq);
  g_autofree char *sql = flavour_sql (f, inner);
  MwDbValue params[] = { MW_DB_TEXT (value) };

  return _mw_admin_run_int (admin, sql, params, 1, error);
}

/* An address (a new mailbox's, or an alias of it) that no mailbox and no
 * alias has, in any case. */
static gboolean
check_free (Flavour       *f,
            const MwAdmin *admin,
            const char    *address,
            gboolean       alias,
            GError       **error)
{
  g_autofree char *shown = mw_address_to_display (address);
  gint64 n = count_ci (f, admin, f->pfa ? "[mailbox]" : "[users]", f->pfa ? "username" : "email", address, error);

  if (n < 0)
    return FALSE;
  if (n > 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   alias ? _("The alias “%s” is taken: a mailbox has this address.")
                         : _("The address “%s” is taken: a mailbox has it (letters may differ in case)."), shown);
      return FALSE;
    }
  n = count_ci (f, admin, f->pfa ? "[alias]" : "[aliases]", f->pfa ? "address" : "source", address, error);
  if (n < 0)
    return FALSE;
  if (n > 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   alias ? _("The alias “%s” is taken: it is an alias or a forward already.")
                         : _("The address “%s” is taken: it is an alias or a forward. Delete it first."), shown);
      return FALSE;
    }
  return TRUE;
}

/* PostfixAdmin: the domain's row (locked until the transaction ends) and
 * MailboxHandler's checks of a new mailbox against it. */
static gboolean
check_pfa_domain (Flavour       *f,
                  const MwAdmin *admin,
                  VmailUser     *u,
                  const Planned *planned,
                  GError       **error)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (f->schema);
  g_autofree char *shown = mw_address_to_display (u->domain);
  gint64 aliases_limit = 0, mailboxes_limit = 0, maxquota = 0, domain_quota = 0;
  gboolean active = FALSE, backupmx = FALSE;
  gint64 quota = u->base.quota;

  if (!_mw_postfixadmin_lock_domain (self, admin, u->domain, &aliases_limit, &mailboxes_limit, &maxquota,
                                     &domain_quota, &active, &backupmx, error))
    return FALSE;
  if (!active || backupmx)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   !active ? _("The domain “%s” is disabled: enable it before adding mailboxes to it.")
                           : _("This server is only a backup MX for the domain “%s”: its mailboxes live elsewhere."),
                   shown);
      return FALSE;
    }
  if (mailboxes_limit != 0)
    {
      MwDbValue params[] = { MW_DB_TEXT (u->domain) };
      g_autofree char *sql = flavour_sql (f, "SELECT count(*) FROM [mailbox] WHERE domain = $1");
      gint64 n = _mw_admin_run_int (admin, sql, params, 1, error);

      if (n < 0)
        return FALSE;
      n += planned != NULL ? planned->mailboxes : 0;
      if (mailboxes_limit < 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The domain “%s” may have no mailboxes (its mailbox limit is disabled)."), shown);
          return FALSE;
        }
      if (n >= mailboxes_limit)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The domain “%s” would have more than the %" G_GINT64_FORMAT " mailboxes its limit "
                         "allows."), shown, mailboxes_limit);
          return FALSE;
        }
    }
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
      MwDbValue params[] = { MW_DB_TEXT (u->domain) };
      g_autofree char *sql = flavour_sql (f, "SELECT COALESCE(SUM(quota), 0) FROM [mailbox] WHERE domain = $1");
      gint64 others;

      if (quota == 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                       _("The domain “%s” has a quota of %" G_GINT64_FORMAT " MB: its mailboxes cannot be "
                         "unlimited."), shown, domain_quota);
          return FALSE;
        }
      others = _mw_admin_run_int (admin, sql, params, 1, error);
      if (others < 0)
        return FALSE;
      others += planned != NULL ? planned->quota : 0;
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

/* An alias of a new mailbox: as the flavour stores it, its domain in the
 * database; NULL with the sentence. */
static char *
check_alias (Flavour       *f,
             const MwAdmin *admin,
             const char    *text,
             gint64        *domain_id,
             GError       **error)
{
  g_autofree char *alias = NULL;
  g_autofree char *domain = NULL;
  gint64 a = 0, m = 0, mq = 0, q = 0;
  gboolean active = FALSE, backupmx = FALSE;

  if (!f->pfa)
    return _mw_ispmail_check_address (MW_ISPMAIL_SCHEMA (f->schema), admin, text, MW_ADDRESS_FLAGS_NONE, domain_id,
                                      error);
  alias = _mw_postfixadmin_check_address (text, MW_ADDRESS_FLAGS_NONE, error);
  if (alias == NULL)
    return NULL;
  domain = mw_address_get_domain (alias);
  if (!_mw_postfixadmin_lock_domain (MW_POSTFIXADMIN_SCHEMA (f->schema), admin, domain, &a, &m, &mq, &q, &active,
                                     &backupmx, error))
    return NULL;
  return g_steal_pointer (&alias);
}

/* Every check of a line against the database; normalizes its address and
 * aliases (idempotent, so the run checks the plan's lines again). @planned
 * (the plan only): domain -> Planned, what the file's earlier lines take. */
static gboolean
check_user (Flavour       *f,
            const MwAdmin *admin,
            VmailUser     *u,
            GHashTable    *planned,
            GError       **error)
{
  g_autofree char *address = NULL;

  if (f->pfa)
    address = _mw_postfixadmin_check_address (u->base.name, MW_ADDRESS_FLAGS_NONE, error);
  else
    address = _mw_ispmail_check_address (MW_ISPMAIL_SCHEMA (f->schema), admin, u->base.name, MW_ADDRESS_FLAGS_NONE,
                                         &u->domain_id, error);
  if (address == NULL)
    return FALSE;
  g_free (u->base.name);
  u->base.name = g_steal_pointer (&address);
  g_free (u->domain);
  u->domain = mw_address_get_domain (u->base.name);
  if (f->pfa && !check_pfa_domain (f, admin, u, planned != NULL ? g_hash_table_lookup (planned, u->domain) : NULL,
                                   error))
    return FALSE;
  if (!check_free (f, admin, u->base.name, FALSE, error))
    return FALSE;

  if (u->alias_domains == NULL)
    u->alias_domains = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_array_set_size (u->alias_domains, 0);
  for (guint j = 0; u->base.aliases[j] != NULL; j++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 domain_id = 0;
      g_autofree char *alias = check_alias (f, admin, u->base.aliases[j], &domain_id, &local_error);

      if (alias != NULL && g_ascii_strcasecmp (alias, u->base.name) == 0)
        g_set_error_literal (&local_error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                             _("It is the mailbox's own address."));
      for (guint k = 0; local_error == NULL && k < j; k++)
        if (g_ascii_strcasecmp (alias, u->base.aliases[k]) == 0)
          g_set_error_literal (&local_error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                               _("It is given twice on this line."));
      if (local_error != NULL)
        {
          g_autofree char *q = mw_address_quote_for_message (u->base.aliases[j], -1);

          if (!is_refusal (local_error))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The alias “%s” is refused: %s"), q,
                         local_error->message);
          return FALSE;
        }
      /* Its sentence names the alias. */
      if (!check_free (f, admin, alias, TRUE, error))
        return FALSE;
      g_free (u->base.aliases[j]);
      u->base.aliases[j] = g_steal_pointer (&alias);
      g_array_append_val (u->alias_domains, domain_id);
    }
  return TRUE;
}

MwImportPlan *
_mw_vmail_import_prepare (MwSchema               *schema,
                          MwDb                   *db,
                          GBytes                 *csv,
                          const MwImportOptions  *options,
                          GCancellable           *cancellable,
                          GError                **error)
{
  g_autoptr(MwCsvReader) reader = NULL;
  g_autoptr(MwImportPlan) plan = g_new0 (MwImportPlan, 1);
  g_autoptr(GHashTable) file_addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) planned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) header = NULL;
  g_autofree char *default_scheme = NULL;
  MwImportOptions defaults = { 0 };
  MwAdmin admin = { 0 };
  Flavour f;
  int index[N_COLS];
  guint n_header, line = 0, last_error_line = 0;
  gboolean name_is_address = TRUE;
  GError *local_error = NULL;

  g_return_val_if_fail (db != NULL && csv != NULL, NULL);
  if (!flavour_init (&f, schema, error))
    return NULL;
  if (options == NULL)
    options = &defaults;
  admin.db = db;
  if (options->default_scheme != NULL)
    default_scheme = g_strdup (options->default_scheme);
  else
    default_scheme = g_strdup (f.pfa ? _mw_postfixadmin_detect_scheme (MW_POSTFIXADMIN_SCHEMA (schema), db)
                                     : _mw_ispmail_detect_scheme (MW_ISPMAIL_SCHEMA (schema), db));

  plan->users = g_ptr_array_new_with_free_func (vmail_user_free);
  plan->errors = g_ptr_array_new_with_free_func (issue_free);
  reader = mw_csv_reader_new (csv, 0);
  if (!mw_csv_reader_next (reader, &header, &line, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                     _("The file is empty: its first line must name the columns, such as address,password,aliases."));
      return NULL;
    }
  for (guint c = 0; c < N_COLS; c++)
    index[c] = -1;
  n_header = g_strv_length (header);
  for (guint i = 0; i < n_header; i++)
    if (column_of (header[i], FALSE) == COL_ADDRESS)
      name_is_address = FALSE;
  for (guint i = 0; i < n_header; i++)
    {
      int col = column_of (header[i], name_is_address);
      g_autofree char *q = mw_address_quote_for_message (header[i], -1);

      if (col < 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       f.pfa ? _("The column “%s” is unknown. The columns can be: address, password, scheme, name, "
                                 "quota, active, aliases.")
                             : _("The column “%s” is unknown. The columns can be: address, password, scheme, quota, "
                                 "aliases."), q);
          return NULL;
        }
      if (col != COL_IGNORED && index[col] >= 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The column “%s” is named twice."), q);
          return NULL;
        }
      index[col] = (int) i;
    }
  if (index[COL_ADDRESS] < 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The file has no “address” column: its first line must name the columns, such as "
                     "address,password,aliases."));
      return NULL;
    }

  for (;;)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(GError) line_error = NULL;
      VmailUser *u;
      Planned *p;
      char *key;
      gpointer first;
      gboolean in_file = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!mw_csv_reader_next (reader, &fields, &line, &line_error))
        {
          MwImportIssue *issue;

          if (line_error == NULL || line == last_error_line)
            break;
          last_error_line = line;
          /* The reader's message names the line already. */
          issue = g_new0 (MwImportIssue, 1);
          issue->line = line;
          issue->message = g_strdup (line_error->message);
          g_ptr_array_add (plan->errors, issue);
          continue;
        }
      if (all_empty (fields))
        continue;
      if (g_strv_length (fields) > n_header)
        {
          add_issue (plan->errors, line, _("The line has more fields than the first line names columns."));
          continue;
        }
      u = parse_line (&f, fields, index, line, default_scheme, options, &line_error);
      if (u == NULL)
        {
          add_issue (plan->errors, line, line_error->message);
          continue;
        }
      if (!check_user (&f, &admin, u, planned, &line_error))
        {
          if (!is_refusal (line_error))
            {
              vmail_user_free (u);
              g_propagate_error (error, g_steal_pointer (&line_error));
              return NULL;
            }
          add_issue (plan->errors, line, line_error->message);
          vmail_user_free (u);
          continue;
        }

      /* Taken by an earlier line of the file, as address or alias. */
      key = g_utf8_strdown (u->base.name, -1);
      if ((first = g_hash_table_lookup (file_addresses, key)) != NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("The address “%s” is already on line %u (letters may differ "
                                                    "in case)."), u->base.name, GPOINTER_TO_UINT (first));

          add_issue (plan->errors, line, msg);
          in_file = TRUE;
        }
      for (guint j = 0; !in_file && u->base.aliases[j] != NULL; j++)
        {
          g_autofree char *akey = g_utf8_strdown (u->base.aliases[j], -1);

          if ((first = g_hash_table_lookup (file_addresses, akey)) != NULL)
            {
              g_autofree char *msg = g_strdup_printf (_("The alias “%s” is already on line %u."), u->base.aliases[j],
                                                      GPOINTER_TO_UINT (first));

              add_issue (plan->errors, line, msg);
              in_file = TRUE;
            }
        }
      if (in_file)
        {
          g_free (key);
          vmail_user_free (u);
          continue;
        }
      g_hash_table_insert (file_addresses, key, GUINT_TO_POINTER (line));
      for (guint j = 0; u->base.aliases[j] != NULL; j++)
        g_hash_table_insert (file_addresses, g_utf8_strdown (u->base.aliases[j], -1), GUINT_TO_POINTER (line));
      if ((p = g_hash_table_lookup (planned, u->domain)) == NULL)
        {
          p = g_new0 (Planned, 1);
          g_hash_table_insert (planned, g_strdup (u->domain), p);
        }
      p->mailboxes++;
      p->quota += u->base.quota;
      g_ptr_array_add (plan->users, u);
    }
  g_ptr_array_sort (plan->errors, issue_compare);
  return g_steal_pointer (&plan);
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

/* PostfixAdmin's password_expiry of a new mailbox: now + the domain's
 * password_expiry days (365 where it has none), as add_account writes it. */
static gint64
expiry_days (Flavour       *f,
             const MwAdmin *admin,
             const char    *domain,
             GError       **error)
{
  g_autofree char *sql = flavour_sql (f, "SELECT COALESCE(MAX(password_expiry), 0) FROM [domain] WHERE domain = $1");
  MwDbValue params[] = { MW_DB_TEXT (domain) };
  gint64 days = _mw_admin_run_int (admin, sql, params, 1, error);

  if (days < 0)
    return -1;
  return days > 0 ? days : 365;
}

/* The rows of one checked line, inside the open transaction. */
static gboolean
insert_user (Flavour       *f,
             const MwAdmin *admin,
             VmailUser     *u,
             GError       **error)
{
  if (!f->pfa)
    {
      MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (f->schema);
      g_autofree char *sql = flavour_sql (f, "INSERT INTO [users] (domain_id, email, password, quota) "
                                             "VALUES ($1, $2, $3, $4)");
      MwDbValue params[] = { MW_DB_INT64 (u->domain_id), MW_DB_TEXT (u->base.name),
                             MW_DB_TEXT (u->base.stored_password), MW_DB_INT64 (u->base.quota) };
      gint64 id = _mw_admin_insert_id (admin, sql, "id", params, G_N_ELEMENTS (params), error);

      if (id <= 0)
        return FALSE;
      for (guint j = 0; u->base.aliases[j] != NULL; j++)
        if (_mw_ispmail_insert_alias (self, admin, u->base.aliases[j],
                                      g_array_index (u->alias_domains, gint64, j), u->base.name, error) <= 0)
          return FALSE;
      g_free (u->base.account_key);
      u->base.account_key = _mw_ispmail_key (id);
      return TRUE;
    }
  else
    {
      MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (f->schema);
      const char *at = strchr (u->base.name, '@');
      g_autofree char *local = g_strndup (u->base.name, at - u->base.name);
      /* MailboxHandler::_missing_maildir() with domain_path YES, domain_in_mailbox NO. */
      g_autofree char *maildir = g_strdup_printf ("%s/%s/", u->domain, local);
      gint64 days = expiry_days (f, admin, u->domain, error);
      MwDbDriver driver = mw_db_get_driver (admin->db);
      g_autofree char *expiry = driver == MW_DB_DRIVER_PGSQL ? g_strdup ("now() + CAST($9 AS INTEGER) * interval '1 day'")
                                                             : g_strdup ("DATE_ADD(now(), INTERVAL $9 DAY)");
      g_autofree char *mailbox_sql = g_strdup_printf ("INSERT INTO [mailbox] (username, password, name, maildir, "
                                                      "quota, local_part, domain, created, modified, active, "
                                                      "password_expiry) VALUES ($1, $2, $3, $4, $5, $6, $7, now(), "
                                                      "now(), $8, %s)", expiry);
      MwDbValue alias_params[] = { MW_DB_TEXT (u->base.name), MW_DB_TEXT (u->base.name), MW_DB_TEXT (u->domain),
                                   MW_DB_BOOL (u->active) };
      MwDbValue mailbox_params[] = { MW_DB_TEXT (u->base.name), MW_DB_TEXT (u->base.stored_password),
                                     MW_DB_TEXT (u->full_name), MW_DB_TEXT (maildir), MW_DB_INT64 (u->base.quota),
                                     MW_DB_TEXT (local), MW_DB_TEXT (u->domain), MW_DB_BOOL (u->active),
                                     MW_DB_INT64 (days) };
      g_autoptr(MwDbResult) r = NULL;

      if (days < 0)
        return FALSE;
      /* Its own alias row first, as MailboxHandler::preSave() saves it. */
      r = _mw_postfixadmin_run (self, admin, "INSERT INTO [alias] (address, goto, domain, created, modified, active) "
                                             "VALUES ($1, $2, $3, now(), now(), $4)",
                                alias_params, G_N_ELEMENTS (alias_params), error);
      if (r == NULL || !_mw_postfixadmin_log (self, admin, u->domain, "create_alias", u->base.name, error))
        return FALSE;
      g_clear_pointer (&r, mw_db_result_unref);
      r = _mw_postfixadmin_run (self, admin, mailbox_sql, mailbox_params, G_N_ELEMENTS (mailbox_params), error);
      if (r == NULL || !_mw_postfixadmin_log (self, admin, u->domain, "create_mailbox", u->base.name, error))
        return FALSE;
      for (guint j = 0; u->base.aliases[j] != NULL; j++)
        {
          g_autofree char *key = _mw_postfixadmin_add_target (self, admin, u->base.aliases[j], MW_ADDRESS_FLAGS_NONE,
                                                              u->base.name, TRUE, error);

          if (key == NULL)
            return FALSE;
        }
      g_free (u->base.account_key);
      u->base.account_key = g_strdup (u->base.name);
      return TRUE;
    }
}

/* The passwords of every batch are hashed on the pool from the start, so
 * that the hashing of the next batches goes on while one is written. */
typedef struct
{
  GMutex    lock;
  GCond     cond;
  guint    *remaining;   /* per batch: users not hashed yet */
  guint     batch_size;
  gint      stop;        /* atomic: skip the rest */
  MwSchema *schema;
} Hashing;

typedef struct
{
  Hashing   *h;
  VmailUser *u;
  guint      index;
  char      *error;
} HashJob;

static void
hash_one (gpointer data,
          gpointer user_data)
{
  HashJob *job = data;
  Hashing *h = user_data;
  MwImportUser *u = &job->u->base;

  if (u->stored_password == NULL && !g_atomic_int_get (&h->stop))
    {
      g_autoptr(GError) error = NULL;
      char *hash = mw_schema_encode_password (h->schema, u->scheme, u->password, u->rounds, NULL, &error);

      if (hash == NULL)
        job->error = g_strdup (error->message);
      else
        {
          u->stored_password = hash;
          u->stored_scheme = g_strdup (u->scheme);
        }
    }
  g_mutex_lock (&h->lock);
  h->remaining[job->index / h->batch_size]--;
  g_cond_broadcast (&h->cond);
  g_mutex_unlock (&h->lock);
}

static gboolean
savepoint (MwDb       *db,
           const char *verb,
           GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("%s mw_import_line", verb);

  return mw_db_exec_script (db, sql, error);
}

static void
audit_batch (const MwAdmin *admin,
             GPtrArray     *created)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *count = g_strdup_printf ("%u", created->len);

  if (created->len == 0)
    return;
  for (guint i = 0; i < created->len; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? " " : "", ((MwImportUser *) g_ptr_array_index (created, i))->name);
  {
    MwAuditField after[] = { { "users", names->str }, { "count", count } };

    _mw_admin_audit (admin, "user.import", ((MwImportUser *) g_ptr_array_index (created, 0))->name, NULL, 0,
                     after, G_N_ELEMENTS (after));
  }
}

/* One transaction for @users: each line behind a savepoint, refused alone
 * when it became impossible since the plan. FALSE with error (everything
 * of the batch rolled back) when the database failed or
 * options->before_commit refused. */
static gboolean
write_batch (Flavour               *f,
             const MwAdmin         *admin,
             const MwImportOptions *options,
             GPtrArray             *users,
             MwImportReport        *report,
             GPtrArray             *created,
             GError               **error)
{
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func (issue_free);
  g_autoptr(GPtrArray) ok_users = g_ptr_array_new ();

  if (!mw_db_begin (admin->db, error))
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    {
      VmailUser *u = g_ptr_array_index (users, i);
      g_autoptr(GError) line_error = NULL;

      if (!savepoint (admin->db, "SAVEPOINT", error))
        goto fail;
      if (check_user (f, admin, u, NULL, &line_error) && insert_user (f, admin, u, &line_error))
        {
          g_ptr_array_add (ok_users, u);
          continue;
        }
      if (!is_refusal (line_error) || !savepoint (admin->db, "ROLLBACK TO SAVEPOINT", NULL))
        {
          g_propagate_error (error, g_steal_pointer (&line_error));
          goto fail;
        }
      g_clear_pointer (&u->base.account_key, g_free);
      add_issue (refused, u->base.line, line_error->message);
    }
  if (ok_users->len > 0 && options->before_commit != NULL &&
      !options->before_commit (ok_users, options->before_commit_data, error))
    goto fail;
  if (!mw_db_commit (admin->db, error))
    goto fail;
  for (guint i = 0; i < ok_users->len; i++)
    g_ptr_array_add (created, g_ptr_array_index (ok_users, i));
  report->created += ok_users->len;
  for (guint i = 0; i < refused->len; i++)
    g_ptr_array_add (report->refused, g_ptr_array_steal_index (refused, i--));
  return TRUE;

fail:
  if (mw_db_in_transaction (admin->db))
    mw_db_rollback (admin->db, NULL);
  for (guint i = 0; i < users->len; i++)
    g_clear_pointer (&((MwImportUser *) g_ptr_array_index (users, i))->account_key, g_free);
  return FALSE;
}

MwImportReport *
_mw_vmail_import_run (MwSchema               *schema,
                      const MwAdmin          *admin,
                      MwImportPlan           *plan,
                      const MwImportOptions  *options,
                      MwImportProgress        progress,
                      gpointer                user_data,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(MwImportReport) report = g_new0 (MwImportReport, 1);
  MwImportOptions defaults = { 0 };
  Hashing h = { 0 };
  GThreadPool *pool;
  HashJob *jobs;
  Flavour f;
  guint total, batch_size, threads, n_batches;
  gboolean ok = TRUE;

  g_return_val_if_fail (admin != NULL && admin->db != NULL && plan != NULL, NULL);
  if (!flavour_init (&f, schema, error))
    return NULL;
  if (options == NULL)
    options = &defaults;

  report->refused = g_ptr_array_new_with_free_func (issue_free);
  for (guint i = 0; i < plan->errors->len; i++)
    {
      MwImportIssue *e = g_ptr_array_index (plan->errors, i);
      MwImportIssue *copy = g_new0 (MwImportIssue, 1);

      copy->line = e->line;
      copy->message = g_strdup (e->message);
      g_ptr_array_add (report->refused, copy);
    }
  total = plan->users->len;
  report->planned = total;
  if (admin->dry_run || total == 0)
    return g_steal_pointer (&report);

  batch_size = options->batch_size > 0 ? options->batch_size : DEFAULT_BATCH;
  threads = options->n_threads > 0 ? options->n_threads : g_get_num_processors ();
  n_batches = (total + batch_size - 1) / batch_size;
  g_mutex_init (&h.lock);
  g_cond_init (&h.cond);
  h.schema = schema;
  h.batch_size = batch_size;
  h.remaining = g_new0 (guint, n_batches);
  for (guint b = 0; b < n_batches; b++)
    h.remaining[b] = MIN (batch_size, total - b * batch_size);
  /* Hashing takes a while on purpose: on the workers, before the transactions. */
  jobs = g_new0 (HashJob, total);
  pool = g_thread_pool_new (hash_one, &h, (gint) threads, FALSE, NULL);
  for (guint i = 0; i < total; i++)
    {
      jobs[i].h = &h;
      jobs[i].u = g_ptr_array_index (plan->users, i);
      jobs[i].index = i;
      g_thread_pool_push (pool, &jobs[i], NULL);
    }

  for (guint b = 0, start = 0; start < total && ok; b++, start += batch_size)
    {
      guint end = MIN (total, start + batch_size);
      g_autoptr(GPtrArray) batch = g_ptr_array_new ();
      g_autoptr(GPtrArray) created = g_ptr_array_new ();

      if (g_cancellable_is_cancelled (cancellable))
        {
          report->cancelled = TRUE;
          break;
        }
      g_mutex_lock (&h.lock);
      while (h.remaining[b] > 0)
        g_cond_wait (&h.cond, &h.lock);
      g_mutex_unlock (&h.lock);

      for (guint i = start; i < end; i++)
        {
          if (jobs[i].error != NULL)
            add_issue (report->refused, jobs[i].u->base.line, jobs[i].error);
          else
            g_ptr_array_add (batch, jobs[i].u);
        }
      if (batch->len > 0 && !write_batch (&f, admin, options, batch, report, created, error))
        ok = FALSE;
      audit_batch (admin, created);
      if (ok && progress != NULL)
        progress (end, total, user_data);
    }

  g_atomic_int_set (&h.stop, 1);
  g_thread_pool_free (pool, FALSE, TRUE);
  for (guint i = 0; i < total; i++)
    g_free (jobs[i].error);
  g_free (jobs);
  g_free (h.remaining);
  g_mutex_clear (&h.lock);
  g_cond_clear (&h.cond);
  if (!ok)
    return NULL;
  g_ptr_array_sort (report->refused, issue_compare);
  return g_steal_pointer (&report);
}
