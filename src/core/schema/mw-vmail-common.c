/* mw-vmail-common.c: what the ISPmail and PostfixAdmin flavours do alike
 * (see mw-vmail-common.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-vmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-csv.h"
#include "mw-sql-dialect.h"
#include "mw-vmail-common.h"

/* ------------------------------------------------------------------------ */
/* Lists                                                                    */
/* ------------------------------------------------------------------------ */

gboolean
_mw_vmail_has_search (const MwListRequest *request)
{
  return request->search != NULL && request->search[0] != '\0';
}

MwListQuery *
_mw_vmail_bad_sort (GError **error)
{
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("This list cannot be sorted that way."));
  return NULL;
}

gboolean
_mw_vmail_check_list_request (const MwListRequest  *request,
                              const char           *no_groups,
                              GError              **error)
{
  if (request->search != NULL && !g_utf8_validate (request->search, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The search text is not valid UTF-8."));
      return FALSE;
    }
  if (request->search != NULL && strlen (request->search) > 255)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The search text is too long: use at most 255 bytes."));
      return FALSE;
    }
  if (request->has_group)
    {
      g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, no_groups);
      return FALSE;
    }
  return TRUE;
}

char *
_mw_vmail_search_ascii (const char *search)
{
  g_autofree char *lower = NULL;
  g_autofree char *ascii = NULL;
  const char *at;

  if (search == NULL || g_str_is_ascii (search) || !g_utf8_validate (search, -1, NULL))
    return NULL;
  lower = g_utf8_strdown (search, -1);
  /* An address typed whole or in part: only its domain is in A-labels. */
  at = strrchr (lower, '@');
  if (at != NULL)
    {
      g_autofree char *domain = at[1] != '\0' ? g_hostname_to_ascii (at + 1) : NULL;

      if (domain == NULL)
        return NULL;
      ascii = g_strdup_printf ("%.*s@%s", (int) (at - lower), lower, domain);
    }
  else
    ascii = g_hostname_to_ascii (lower);
  if (ascii == NULL || g_str_equal (ascii, lower))
    return NULL;
  return g_ascii_strdown (ascii, -1);
}

char *
_mw_vmail_search_like (const MwListRequest *request,
                       const char          *column)
{
  g_autofree char *ascii = _mw_vmail_search_ascii (request->search);

  if (ascii == NULL)
    return g_strdup_printf ("lower(%s) LIKE $1", column);
  return g_strdup_printf ("(lower(%s) LIKE $1 OR lower(%s) LIKE $2)", column, column);
}

MwListQuery *
_mw_vmail_list_finish (const MwSchemaInfo   *info,
                       char                 *sql,
                       const char           *sort_col,
                       const char           *key_col,
                       const MwListRequest  *request,
                       const char           *estimate_table)
{
  g_autofree char *owned = sql;
  MwListQuery *query = mw_list_query_new (sql, sort_col, key_col, request->descending);

  if (_mw_vmail_has_search (request))
    {
      g_autofree char *pattern = mw_sql_like_contains (request->search);
      g_autofree char *ascii = _mw_vmail_search_ascii (request->search);

      mw_list_query_add_text (query, pattern);
      /* Only when the query names it (_mw_vmail_search_like ()): an unused
       * $2 is an error on PostgreSQL ("could not determine data type"). */
      if (ascii != NULL && strstr (sql, "$2") != NULL)
        {
          g_autofree char *ascii_pattern = mw_sql_like_contains (ascii);

          mw_list_query_add_text (query, ascii_pattern);
        }
    }
  else if (estimate_table != NULL)
    {
      g_autofree char *estimate = NULL;
      g_autofree char *table = g_strconcat (info->prefix, estimate_table, NULL);

      if (info->driver == MW_DB_DRIVER_PGSQL)
        estimate = g_strdup_printf ("SELECT CAST(GREATEST(c.reltuples, 0) AS BIGINT) AS n FROM pg_class c "
                                    "WHERE c.oid = to_regclass('%s')", table);
      else
        estimate = g_strdup_printf ("SELECT CAST(TABLE_ROWS AS SIGNED) AS n FROM information_schema.TABLES "
                                    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s'", table);
      mw_list_query_set_estimate_sql (query, estimate);
    }
  return query;
}

#define EXPORT_PAGE 1000

gboolean
_mw_vmail_export_csv (const MwListInfo  *info,
                      MwListQuery       *query,
                      MwDb              *db,
                      GOutputStream     *out,
                      guint64           *rows,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autoptr(MwDbResult) page = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree const char **fields = g_new0 (const char *, info->n_columns);
  guint64 written = 0;

  for (guint c = 0; c < info->n_columns; c++)
    fields[c] = info->columns[c].id;
  mw_csv_append_record (text, fields, info->n_columns, ',');

  for (;;)
    {
      MwDbResult *next = mw_list_query_fetch_next (query, db, page, EXPORT_PAGE, cancellable, error);
      guint n;

      g_clear_pointer (&page, mw_db_result_unref);
      if ((page = next) == NULL)
        return FALSE;
      n = mw_db_result_get_n_rows (page);
      for (guint r = 0; r < n; r++)
        {
          for (guint c = 0; c < info->n_columns; c++)
            {
              MwListValue value = { 0 };

              mw_list_column_read (&info->columns[c], page, r, &value);
              fields[c] = value.is_null || value.text == NULL ? "" : value.text;
            }
          mw_csv_append_record (text, fields, info->n_columns, ',');
          written++;
        }
      if (!g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
        return FALSE;
      g_string_truncate (text, 0);
      if (n < EXPORT_PAGE)
        break;
    }
  if (rows != NULL)
    *rows = written;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Changes                                                                  */
/* ------------------------------------------------------------------------ */

gboolean
_mw_vmail_transact (const MwAdmin  *admin,
                    MwVmailRows     rows,
                    gpointer        data,
                    GError        **error)
{
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      if (!_mw_admin_begin (admin, error))
        return FALSE;
      ok = rows (data, &local_error);
      if (_mw_admin_finish (admin, ok, &local_error))
        return TRUE;
      if (attempt > 0 || !g_error_matches (local_error, MW_DB_ERROR, MW_DB_ERROR_CONSTRAINT))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("A unique key refused a row another session added meanwhile; trying once more: %s",
               local_error->message);
    }
}

/* ------------------------------------------------------------------------ */
/* Find and accounts                                                        */
/* ------------------------------------------------------------------------ */

/* The typed text stripped (transfer full), refused when it is not UTF-8,
 * empty or longer than any address; *stored: as the tables keep it, or the
 * text itself. */
static char *
find_needle (const char  *text,
             char       **stored,
             GError     **error)
{
  g_autofree char *needle = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The search text is not valid UTF-8."));
      return NULL;
    }
  needle = g_strstrip (g_strdup (text));
  if (needle[0] == '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("Type an address or a local part."));
      return NULL;
    }
  if (strlen (needle) > 255)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("Nothing matches: the text is longer than any address can be."));
      return NULL;
    }
  /* As stored: the domain in lowercase A-labels ("bücher.example" is
   * stored as "xn--bcher-kva.example"). */
  *stored = mw_address_normalize_alias (needle, MW_ADDRESS_ALLOW_CATCH_ALL, NULL, NULL);
  if (*stored == NULL)
    *stored = g_strdup (needle);
  return g_steal_pointer (&needle);
}

MwFound *
_mw_vmail_found_account (char       *key,
                         const char *name,
                         const char *matched_by,
                         const char *address)
{
  MwFound *found = g_new0 (MwFound, 1);

  found->kind = MW_FOUND_ACCOUNT;
  found->key = key;
  found->name = g_strdup (name);
  found->matched_by = g_strdup (matched_by);
  found->address = g_strdup (address);
  return found;
}

MwFound *
_mw_vmail_found_forward (const char *matched_by,
                         const char *address)
{
  MwFound *found = g_new0 (MwFound, 1);

  found->kind = MW_FOUND_FORWARD;
  found->matched_by = g_strdup (matched_by);
  found->address = g_strdup (address);
  return found;
}

MwFound *
_mw_vmail_find (const MwVmailFinders  *finders,
                MwSchema              *schema,
                MwDb                  *db,
                const char            *text,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autofree char *stored = NULL;
  g_autofree char *needle = find_needle (text, &stored, error);
  g_autoptr(GError) local_error = NULL;
  MwFound *found;
  const char *at;

  if (needle == NULL)
    return NULL;

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

  TRY (finders->mailbox (schema, db, stored, "name", cancellable, &local_error));
  TRY (finders->alias (schema, db, stored, "alias", cancellable, &local_error));
  if (finders->mailbox_any_case != NULL)
    TRY (finders->mailbox_any_case (schema, db, stored, "name", cancellable, &local_error));
  at = strrchr (stored, '@');
  if (at != NULL && at != stored)
    {
      const char *plus = memchr (stored, '+', at - stored);

      if (plus != NULL)
        {
          g_autofree char *local = g_strndup (stored, plus - stored);
          g_autofree char *bare = g_strconcat (local, at, NULL);

          TRY (finders->mailbox (schema, db, bare, "name without +detail", cancellable, &local_error));
          TRY (finders->alias (schema, db, bare, "alias without +detail", cancellable, &local_error));
        }
      if (at[1] != '\0')
        TRY (finders->alias (schema, db, at, "catch-all", cancellable, &local_error));
    }
  else if (at == NULL)
    {
      gint64 id;

      TRY (finders->local_part (schema, db, needle, cancellable, &local_error));
      if (finders->number != NULL && strspn (needle, "0123456789") == strlen (needle) && strlen (needle) < 19 &&
          (id = g_ascii_strtoll (needle, NULL, 10)) > 0)
        TRY (finders->number (schema, db, id, cancellable, &local_error));
    }
#undef TRY

  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("Nothing matches “%s”: it is not a mailbox, an alias or a local part of one mailbox."), needle);
  return NULL;
}

gboolean
_mw_vmail_found_mailbox (const MwFound  *found,
                         const char     *account,
                         GError        **error)
{
  g_autofree char *shown = NULL;

  if (found->kind == MW_FOUND_ACCOUNT)
    return TRUE;
  shown = mw_address_quote_for_message (account, -1);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("“%s” is a forward, not a mailbox."), shown);
  return FALSE;
}

void
_mw_vmail_account_address_free (gpointer address)
{
  MwAccountAddress *a = address;

  g_free (a->key);
  g_free (a->address);
  g_free (a);
}

void
_mw_vmail_account_forward_free (gpointer forward)
{
  MwAccountForward *f = forward;

  g_free (f->key);
  g_free (f->address);
  g_free (f->target);
  g_free (f);
}

char *
_mw_vmail_fingerprint (char *text)
{
  char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  memset (text, 0, strlen (text));
  g_free (text);
  return digest;
}

gboolean
_mw_vmail_check_new_account (const MwNewAccount  *account,
                             const char          *no_groups,
                             GError             **error)
{
  if (account->password == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The new account needs a password."));
      return FALSE;
    }
  if (account->group != 0)
    {
      g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, no_groups);
      return FALSE;
    }
  if (account->quota < 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The quota cannot be negative."));
      return FALSE;
    }
  return TRUE;
}

gboolean
_mw_vmail_check_password_change (const MwAccountChange  *change,
                                 GError                **error)
{
  if ((change->changes & MW_ACCOUNT_CHANGE_PASSWORD) && (change->password == NULL) == (change->stored_password == NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("A new password is either plain text to hash or a stored value, not both or neither."));
      return FALSE;
    }
  return TRUE;
}

gboolean
_mw_vmail_check_change_values (const MwAccountChange  *change,
                               guint                   max_stored,
                               GError                **error)
{
  MwAccountChangeFlags c = change->changes;

  if ((c & MW_ACCOUNT_CHANGE_QUOTA) && change->quota < 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The quota cannot be negative."));
      return FALSE;
    }
  if ((c & MW_ACCOUNT_CHANGE_PASSWORD) && change->stored_password != NULL &&
      (!g_utf8_validate (change->stored_password, -1, NULL) || strlen (change->stored_password) > max_stored))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The stored password does not fit this database (at most %u characters)."), max_stored);
      return FALSE;
    }
  return TRUE;
}

void
_mw_vmail_set_no_mailbox (GError     **error,
                          const char  *address)
{
  g_autofree char *shown = mw_address_to_display (address);

  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("There is no mailbox “%s”; someone may have deleted it."), shown);
}

void
_mw_vmail_set_changed_error (GError     **error,
                             const char  *name)
{
  g_autofree char *shown = mw_address_to_display (name);

  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT,
               _("The account “%s” was changed in the database after this window loaded it. "
                 "Reload it to see the changes, then make yours again."), shown);
}

/* ------------------------------------------------------------------------ */
/* Addresses and domains                                                    */
/* ------------------------------------------------------------------------ */

void
_mw_vmail_set_already_goes (GError     **error,
                            const char  *source,
                            const char  *target)
{
  g_autofree char *shown = mw_address_to_display (source);
  g_autofree char *to = mw_address_to_display (target);

  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS, _("“%s” already goes to “%s”."), shown, to);
}

char *
_mw_vmail_normalize_target (const char  *text,
                            const char  *pipe_refusal,
                            GError     **error)
{
  gboolean is_pipe = FALSE;
  g_autofree char *target = mw_address_normalize_target (text, &is_pipe, error);

  if (target == NULL)
    return NULL;
  if (is_pipe)
    {
      g_set_error_literal (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET, pipe_refusal);
      return NULL;
    }
  /* Postfix folds an address to lowercase before it asks a map. */
  return g_utf8_strdown (target, -1);
}

char *
_mw_vmail_domain_display (const char *name)
{
  /* mw_address_to_display reads addresses, hence the "@". */
  g_autofree char *with_at = g_strconcat ("@", name, NULL);
  g_autofree char *shown = mw_address_to_display (with_at);

  return g_strdup (shown[0] == '@' ? shown + 1 : shown);
}

char *
_mw_vmail_normalize_domain (const char  *text,
                            guint        max_chars,
                            GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_at = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *domain = NULL;
  g_autoptr(GError) local = NULL;
  MwAddressKind kind = MW_ADDRESS_PLAIN;

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
  /* No dot: also PostfixAdmin's superadmins' pseudo-domain "ALL". */
  if (strchr (domain, '.') == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” is not a domain Postfix can receive mail for from the Internet: a domain name has at "
                     "least one dot, such as example.org."), trimmed);
      return NULL;
    }
  if (g_utf8_strlen (domain, -1) > max_chars)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The domain name is too long: this database holds at most %d characters, and “%s” is stored "
                     "as “%s”."), (int) max_chars, trimmed, domain);
      return NULL;
    }
  return g_steal_pointer (&domain);
}

/* ------------------------------------------------------------------------ */
/* Passwords                                                                */
/* ------------------------------------------------------------------------ */

/* What Mailwarden writes, in the order offered; each is checked by Dovecot
 * 2.3 (doveadm pw -t) in the tests. Dovecot follows the {SCHEME} whatever
 * its default_pass_scheme, as PostfixAdmin's own $CONF['encrypt'] =
 * 'dovecot:SHA512-CRYPT' writes them; PostfixAdmin's default md5crypt is
 * not offered: on PHP 8 its salt is always the same. */
static const struct { const char *name; const char *dovecot; } writable[] = {
  { "sha512-crypt", "SHA512-CRYPT" },  /* the ISPmail tutorial's Debian 11/12 editions */
  { "bcrypt", "BLF-CRYPT" },           /* its Debian 13 edition */
  { "sha256-crypt", "SHA256-CRYPT" },
  { "yescrypt", "CRYPT" },             /* Dovecot has no YESCRYPT label: {CRYPT}$y$ */
};

const MwPasswordScheme *
_mw_vmail_get_schemes (MwSchema *schema,
                       guint    *n_schemes)
{
  static MwPasswordScheme *list;

  if (g_once_init_enter (&list))
    {
      MwPasswordScheme *l = g_new0 (MwPasswordScheme, G_N_ELEMENTS (writable));

      for (guint i = 0; i < G_N_ELEMENTS (writable); i++)
        {
          const MwPasswordScheme *s = mw_password_lookup_scheme (writable[i].name);

          g_assert (s != NULL);
          l[i] = *s;
          /* Kept inside the value as "{SHA512-CRYPT}": what a scheme column would say. */
          l[i].encryption_type = writable[i].dovecot;
        }
      g_once_init_leave (&list, l);
    }
  *n_schemes = G_N_ELEMENTS (writable);
  return list;
}

const MwPasswordScheme *
_mw_vmail_scheme_by_name (const char *name)
{
  guint n;
  const MwPasswordScheme *list = _mw_vmail_get_schemes (NULL, &n);

  for (guint i = 0; name != NULL && i < n; i++)
    if (g_str_equal (list[i].name, name))
      return &list[i];
  return NULL;
}

const MwPasswordScheme *
_mw_vmail_lookup_scheme (MwSchema    *schema,
                         const char  *name,
                         GError     **error)
{
  const MwPasswordScheme *scheme = NULL;

  if (name != NULL)
    {
      g_autofree char *label = g_ascii_strup (name, -1);

      g_strdelimit (label, "{}", ' ');
      g_strstrip (label);
      for (guint i = 0; i < G_N_ELEMENTS (writable); i++)
        if (g_str_equal (label, writable[i].dovecot) && !g_str_equal (label, "CRYPT"))
          return _mw_vmail_scheme_by_name (writable[i].name);
      scheme = mw_password_lookup_scheme (name);
    }
  if (scheme != NULL && _mw_vmail_scheme_by_name (scheme->name) != NULL)
    return _mw_vmail_scheme_by_name (scheme->name);
  g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME,
               _("This database stores passwords as Dovecot reads them: use sha512-crypt, bcrypt, "
                 "sha256-crypt or yescrypt."));
  return NULL;
}

char *
_mw_vmail_hash (const char  *scheme_name,
                const char  *password,
                gulong       rounds,
                GError     **error)
{
  const MwPasswordScheme *scheme = _mw_vmail_lookup_scheme (NULL, scheme_name, error);
  const char *type = NULL;
  char *hash;
  char *dovecot;

  if (scheme == NULL)
    return NULL;
  hash = mw_password_hash_with_rounds (scheme->name, password, rounds, &type, error);
  if (hash == NULL)
    return NULL;
  dovecot = mw_password_to_dovecot (type, hash);
  mw_password_free (hash);
  if (dovecot == NULL)
    g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_FAILED,
                 _("The password could not be written as Dovecot reads it."));
  return dovecot;
}

const char *
_mw_vmail_pick_scheme (MwDbResult              *rows,
                       const MwPasswordScheme *(*identify) (const char *stored))
{
  guint counts[G_N_ELEMENTS (writable)] = { 0 };
  guint best = 0;
  gboolean any = FALSE;

  for (guint i = 0; rows != NULL && i < mw_db_result_get_n_rows (rows); i++)
    {
      const MwPasswordScheme *s = identify (mw_db_result_get_string (rows, i, 0));

      for (guint k = 0; s != NULL && k < G_N_ELEMENTS (writable); k++)
        if (g_str_equal (writable[k].name, s->name))
          {
            /* Rows come newest first: a tie goes to the newer. */
            if (!any || counts[k] + 1 > counts[best])
              best = k;
            counts[k]++;
            any = TRUE;
          }
    }
  return writable[any ? best : 0].name;
}
