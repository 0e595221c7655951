/* mw-ispmail-lists.c: the ISPmail flavour, read side: its lists (columns and
 * queries), find, and an account's details.
 *
 * The lists page by keysets like DBMail's (MwListQuery): each inner SELECT
 * is unordered, and the paged model adds the sort, the key and the limit.
 * Addresses compare without case, as Postfix looks them up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-ispmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-ispmail-private.h"
#include "mw-vmail-last-login.h"
#include "mw-sql-dialect.h"

#define SEARCHED  MW_LIST_COLUMN_SEARCHED
#define EXPAND    MW_LIST_COLUMN_EXPAND
#define SECONDARY MW_LIST_COLUMN_SECONDARY

static const MwListColumn mailbox_columns[] = {
  /* Translators: a mailbox's address, which is also its login */
  { "name", N_("Address"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_NAME, SEARCHED | EXPAND, "email" },
  { "domain", N_("Domain"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_GROUP, 0, "domain" },
  { "quota", N_("Quota"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_QUOTA, MW_SORT_QUOTA, 0, "quota" },
  /* Translators: the {SCHEME} Dovecot reads a password hash with, e.g. SHA512-CRYPT */
  { "password_scheme", N_("Password Hash"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "scheme" },
  { "number", N_("Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_NUMBER, SECONDARY, "id" },
};

static const MwListColumn alias_columns[] = {
  { "address", N_("Alias"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_NAME, SEARCHED | EXPAND, "source" },
  /* Translators: the mailbox an alias delivers to */
  { "user", N_("Mailbox"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_OWNER, SEARCHED | EXPAND,
    "destination" },
  { "number", N_("Alias Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_NUMBER, SECONDARY, "id" },
};

static const MwListColumn forward_columns[] = {
  { "address", N_("Address"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_NAME, SEARCHED | EXPAND, "source" },
  { "target", N_("Forwards To"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_TARGET, MW_SORT_TARGET, SEARCHED | EXPAND,
    "destination" },
  { "number", N_("Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_NUMBER, SECONDARY, "id" },
};

static const MwListColumn domain_columns[] = {
  { "domain", N_("Domain"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_NAME, SEARCHED | EXPAND, "name" },
  { "mailboxes", N_("Mailboxes"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_COUNT, 0, "mailboxes" },
  { "aliases", N_("Aliases"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "aliases" },
  { "number", N_("Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_NUMBER, SECONDARY, "id" },
};

static const MwListInfo lists[MW_N_LISTS] = {
  [MW_LIST_USERS] = {
    MW_LIST_USERS, "users", N_("Mailboxes"), "system-users-symbolic", N_("Search addresses and aliases"),
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
_mw_ispmail_list_info (MwListKind kind)
{
  if (kind >= MW_N_LISTS || lists[kind].id == NULL)
    return NULL;
  return &lists[kind];
}

/* The query over @inner (with [tables]): _mw_vmail_list_finish(). */
static MwListQuery *
finish (MwIspmailSchema *self, const char *inner, const char *sort_col, const char *key_col,
        const MwListRequest *req, const char *estimate_table)
{
  return _mw_vmail_list_finish (_mw_ispmail_info (self), _mw_ispmail_sql (self, inner), sort_col, key_col, req,
                                estimate_table);
}

static MwListQuery *
mailboxes_query (MwIspmailSchema     *self,
                 const MwListRequest *req,
                 GError             **error)
{
  MwDbDriver driver = _mw_ispmail_info (self)->driver;
  g_autofree char *domain = mw_sql_domain_of (driver, "u.email");
  g_autofree char *folded = driver == MW_DB_DRIVER_PGSQL ? g_strdup ("lower(a.destination)") : g_strdup ("a.destination");
  g_autofree char *last_login = _mw_vmail_last_login_select (_mw_ispmail_has_last_login (self), driver, "u.email");
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "email"; break;
    case MW_SORT_NUMBER: sort_col = "id"; break;
    case MW_SORT_QUOTA: sort_col = "quota"; break;
    case MW_SORT_GROUP: sort_col = "domain"; break;
    case MW_SORT_LAST_LOGIN:
      if (last_login[0] == '\0')
        return _mw_vmail_bad_sort (error);
      sort_col = "last_login";
      break;
    default: return _mw_vmail_bad_sort (error);
    }

  /* No join: the domain is the address's (the tutorial's domain_id points
   * at the same name), so that the sort by address uses its index on both
   * servers. The {SCHEME} of the password, without the hash. */
  g_string_append_printf (sql,
                          "SELECT u.id, u.email, %s AS domain, u.quota, "
                          "CASE WHEN u.password LIKE '{%%}%%' THEN %s ELSE '' END AS scheme%s "
                          "FROM [users] u",
                          domain,
                          driver == MW_DB_DRIVER_PGSQL ? "split_part(substr(u.password, 2), '}', 1)"
                                                       : "SUBSTRING_INDEX(SUBSTRING(u.password, 2), '}', 1)",
                          last_login);
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *email = _mw_vmail_search_like (req, "u.email");
      g_autofree char *source = _mw_vmail_search_like (req, "a.source");

      g_string_append_printf (sql, " WHERE (%s OR u.email IN (SELECT %s FROM [aliases] a WHERE %s))", email, folded,
                              source);
    }
  /* email is unique, and so is id. */
  return finish (self, sql->str, sort_col, g_str_equal (sort_col, "email") ? sort_col : "id", req, "virtual_users");
}

static MwListQuery *
aliases_query (MwIspmailSchema     *self,
               const MwListRequest *req,
               gboolean             local,
               GError             **error)
{
  MwDbDriver driver = _mw_ispmail_info (self)->driver;
  g_autofree char *same = _mw_ispmail_sql_lookup (driver, "u.email", "a.destination");
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "source"; break;
    case MW_SORT_NUMBER: sort_col = "id"; break;
    case MW_SORT_OWNER:
    case MW_SORT_TARGET: sort_col = "destination"; break;
    default: return _mw_vmail_bad_sort (error);
    }

  /* Aliases deliver to a mailbox of this database, forwards elsewhere. */
  g_string_append_printf (sql, "SELECT a.id, a.source, a.destination FROM [aliases] a WHERE %s "
                          "(SELECT 1 FROM [users] u WHERE %s)", local ? "EXISTS" : "NOT EXISTS", same);
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *source = _mw_vmail_search_like (req, "a.source");
      g_autofree char *destination = _mw_vmail_search_like (req, "a.destination");

      g_string_append_printf (sql, " AND (%s OR %s)", source, destination);
    }
  return finish (self, sql->str, sort_col, "id", req, NULL);
}

static MwListQuery *
domains_query (MwIspmailSchema     *self,
               const MwListRequest *req,
               GError             **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *sort_col;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "name"; break;
    case MW_SORT_NUMBER: sort_col = "id"; break;
    case MW_SORT_COUNT: sort_col = "mailboxes"; break;
    default: return _mw_vmail_bad_sort (error);
    }

  /* MariaDB: sorted by name or number, only the page's domains are counted
   * (details: a subquery per page row, by the index InnoDB keeps for each
   * table's foreign key domain_id), not every row of both tables. Sorted by
   * count, and on PostgreSQL (no index on domain_id: a subquery per row
   * would read the whole table each time), one pass over each table. The
   * older editions have no unique key on the name: id makes the order
   * unique. */
  if (_mw_ispmail_info (self)->driver == MW_DB_DRIVER_MYSQL && req->sort != MW_SORT_COUNT)
    {
      g_autofree char *details = _mw_ispmail_sql (self, "(SELECT count(*) FROM [users] u WHERE u.domain_id = d.id) "
                                                        "AS mailboxes, "
                                                        "(SELECT count(*) FROM [aliases] a WHERE a.domain_id = d.id) "
                                                        "AS aliases");
      MwListQuery *query;

      g_string_append (sql, "SELECT d.id, d.name FROM [domains] d");
      if (_mw_vmail_has_search (req))
        {
          g_autofree char *name = _mw_vmail_search_like (req, "d.name");

          g_string_append_printf (sql, " WHERE %s", name);
        }
      query = finish (self, sql->str, sort_col, "id", req, NULL);
      if (query != NULL)
        mw_list_query_set_details (query, details);
      return query;
    }
  g_string_append (sql, "SELECT d.id, d.name, COALESCE(u.n, 0) AS mailboxes, COALESCE(a.n, 0) AS aliases "
                   "FROM [domains] d "
                   "LEFT JOIN (SELECT domain_id, count(*) AS n FROM [users] GROUP BY domain_id) u "
                   "ON u.domain_id = d.id "
                   "LEFT JOIN (SELECT domain_id, count(*) AS n FROM [aliases] GROUP BY domain_id) a "
                   "ON a.domain_id = d.id");
  if (_mw_vmail_has_search (req))
    {
      g_autofree char *name = _mw_vmail_search_like (req, "d.name");

      g_string_append_printf (sql, " WHERE %s", name);
    }
  return finish (self, sql->str, sort_col, "id", req, NULL);
}

MwListQuery *
_mw_ispmail_list_query (MwSchema             *schema,
                        const MwListRequest  *request,
                        GError              **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  if (!_mw_vmail_check_list_request (request, _("An ISPmail database has no groups."), error))
    return NULL;

  switch (request->kind)
    {
    case MW_LIST_USERS: return mailboxes_query (self, request, error);
    case MW_LIST_ALIASES: return aliases_query (self, request, TRUE, error);
    case MW_LIST_FORWARDS: return aliases_query (self, request, FALSE, error);
    case MW_LIST_DOMAINS: return domains_query (self, request, error);
    case MW_LIST_GROUPS:
    default:
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("An ISPmail database has no groups."));
      return NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* Find                                                                     */
/* ------------------------------------------------------------------------ */

static MwFound *
found_mailbox (gint64      id,
               const char *email,
               const char *matched_by,
               const char *address)
{
  return _mw_vmail_found_account (_mw_ispmail_key (id), email, matched_by, address);
}

/* As Postfix finds it (the index), or, with @any_case, also a row stored
 * in another case (a scan; PostgreSQL only, where Postfix would miss it). */
static MwFound *
find_mailbox_as (MwIspmailSchema  *self,
                 MwDb             *db,
                 const char       *email,
                 const char       *matched_by,
                 gboolean          any_case,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autofree char *eq = any_case ? mw_sql_ci_equal (mw_db_get_driver (db), "email", "$1")
                                 : _mw_ispmail_sql_lookup (mw_db_get_driver (db), "email", "$1");
  g_autofree char *inner = g_strdup_printf ("SELECT id, email FROM [users] WHERE %s ORDER BY id LIMIT 1", eq);
  g_autofree char *sql = _mw_ispmail_sql (self, inner);
  MwDbValue params[] = { MW_DB_TEXT (email) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, cancellable, error);

  if (r == NULL || mw_db_result_get_n_rows (r) == 0)
    return NULL;
  return found_mailbox (mw_db_result_get_int64 (r, 0, 0), mw_db_result_get_string (r, 0, 1), matched_by, NULL);
}

static MwFound *
find_mailbox (MwSchema      *schema,
              MwDb          *db,
              const char    *email,
              const char    *matched_by,
              GCancellable  *cancellable,
              GError       **error)
{
  return find_mailbox_as (MW_ISPMAIL_SCHEMA (schema), db, email, matched_by, FALSE, cancellable, error);
}

static MwFound *
find_mailbox_any_case (MwSchema      *schema,
                       MwDb          *db,
                       const char    *email,
                       const char    *matched_by,
                       GCancellable  *cancellable,
                       GError       **error)
{
  if (mw_db_get_driver (db) != MW_DB_DRIVER_PGSQL)
    return NULL;
  return find_mailbox_as (MW_ISPMAIL_SCHEMA (schema), db, email, matched_by, TRUE, cancellable, error);
}

/* The rows of an alias source: the first mailbox it reaches, else a forward. */
static MwFound *
find_alias (MwSchema      *schema,
            MwDb          *db,
            const char    *address,
            const char    *matched_by,
            GCancellable  *cancellable,
            GError       **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autofree char *eq = _mw_ispmail_sql_lookup (driver, "a.source", "$1");
  g_autofree char *join = _mw_ispmail_sql_lookup (driver, "u.email", "a.destination");
  g_autofree char *inner = g_strdup_printf ("SELECT a.source, a.destination, u.id, u.email FROM [aliases] a "
                                            "LEFT JOIN [users] u ON %s WHERE %s "
                                            "ORDER BY CASE WHEN u.id IS NULL THEN 1 ELSE 0 END, a.id", join, eq);
  g_autofree char *sql = _mw_ispmail_sql (MW_ISPMAIL_SCHEMA (schema), inner);
  MwDbValue params[] = { MW_DB_TEXT (address) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, cancellable, error);
  g_autoptr(GPtrArray) targets = NULL;
  MwFound *found;
  guint n;

  if (r == NULL || (n = mw_db_result_get_n_rows (r)) == 0)
    return NULL;
  if (!mw_db_result_is_null (r, 0, 2))
    found = found_mailbox (mw_db_result_get_int64 (r, 0, 2), mw_db_result_get_string (r, 0, 3), matched_by,
                           mw_db_result_get_string (r, 0, 0));
  else
    found = _mw_vmail_found_forward (matched_by, mw_db_result_get_string (r, 0, 0));
  targets = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (targets, g_strdup (mw_db_result_get_string (r, i, 1)));
  g_ptr_array_add (targets, NULL);
  found->targets = (GStrv) g_ptr_array_free (g_steal_pointer (&targets), FALSE);
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
  g_autofree char *escaped = mw_sql_like_escape (local);
  g_autofree char *lower = g_utf8_strdown (escaped, -1);
  g_autofree char *pattern = g_strconcat (lower, "@%", NULL);
  g_autofree char *sql = _mw_ispmail_sql (MW_ISPMAIL_SCHEMA (schema), "SELECT id, email FROM [users] "
                                                                      "WHERE lower(email) LIKE $1 ORDER BY id LIMIT 2");
  MwDbValue params[] = { MW_DB_TEXT (pattern) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, cancellable, error);

  if (r == NULL || mw_db_result_get_n_rows (r) != 1)
    return NULL;
  return found_mailbox (mw_db_result_get_int64 (r, 0, 0), mw_db_result_get_string (r, 0, 1), "local part", NULL);
}

static MwFound *
find_number (MwSchema      *schema,
             MwDb          *db,
             gint64         id,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *sql = _mw_ispmail_sql (MW_ISPMAIL_SCHEMA (schema), "SELECT id, email FROM [users] WHERE id = $1");
  MwDbValue params[] = { MW_DB_INT64 (id) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, cancellable, error);

  if (r == NULL || mw_db_result_get_n_rows (r) != 1)
    return NULL;
  return found_mailbox (id, mw_db_result_get_string (r, 0, 1), "number", NULL);
}

/* A mailbox's address (without case), an alias, the address without its
 * +detail, the domain's catch-all "@domain" (Postfix's order), a local part
 * that only one mailbox has, and last a mailbox's number. */
MwFound *
_mw_ispmail_find (MwSchema      *schema,
                  MwDb          *db,
                  const char    *text,
                  GCancellable  *cancellable,
                  GError       **error)
{
  static const MwVmailFinders finders = {
    find_mailbox, find_alias, find_mailbox_any_case, find_local_part, find_number,
  };

  return _mw_vmail_find (&finders, schema, db, text, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* An account                                                               */
/* ------------------------------------------------------------------------ */

/* The mailbox's own address first (the primary one: forwards go from it),
 * then the alias rows that deliver to it; its forwards are the rows from
 * any of those addresses that go elsewhere. */
MwAccount *
_mw_ispmail_get_account (MwIspmailSchema  *self,
                         MwDb             *db,
                         gint64            id,
                         GCancellable     *cancellable,
                         GError          **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autofree char *users_sql = _mw_ispmail_sql (self, "SELECT id, email, password, quota, domain_id "
                                                      "FROM [users] WHERE id = $1");
  g_autofree char *to_me = mw_sql_ci_equal (driver, "a.destination", "$1");
  g_autofree char *self_row = mw_sql_ci_equal (driver, "a.source", "$1");
  g_autofree char *ci_src = mw_sql_ci (driver, "f.source");
  g_autoptr(GArray) sources = g_array_new (FALSE, TRUE, sizeof (MwDbValue));
  g_autofree char *inner = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(MwAccount) account = NULL;
  g_autoptr(MwDbResult) r = NULL;
  MwDbValue id_param[] = { MW_DB_INT64 (id) };
  MwAccountAddress *own;
  const char *email;

  r = mw_db_exec (db, users_sql, id_param, 1, cancellable, error);
  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_autofree char *number = _mw_ispmail_key (id);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no mailbox with the number %s; someone may have deleted it."), number);
      return NULL;
    }

  account = g_new0 (MwAccount, 1);
  account->key = _mw_ispmail_key (id);
  /* virtual_users.id: the list's Number column, `mailwarden-cli user ID`. */
  account->number = id;
  account->name = g_strdup (mw_db_result_get_string (r, 0, 1));
  account->quota = mw_db_result_get_int64 (r, 0, 3);
  {
    const char *password = mw_db_result_get_string (r, 0, 2);
    const char *end = password != NULL && password[0] == '{' ? strchr (password, '}') : NULL;

    account->password_scheme = end != NULL ? g_strndup (password + 1, end - password - 1) : g_strdup ("");
    account->fingerprint = _mw_ispmail_fingerprint (account->name, password, account->quota,
                                                    mw_db_result_get_int64 (r, 0, 4));
  }
  account->active = TRUE;
  account->aliases = g_ptr_array_new_with_free_func (_mw_vmail_account_address_free);
  account->forwards = g_ptr_array_new_with_free_func (_mw_vmail_account_forward_free);
  account->mailboxes = g_ptr_array_new ();
  email = account->name;

  own = g_new0 (MwAccountAddress, 1);
  own->key = g_strdup_printf ("mailbox-%" G_GINT64_FORMAT, id);
  own->address = g_strdup (email);
  own->primary = TRUE;
  g_ptr_array_add (account->aliases, own);
  g_clear_pointer (&r, mw_db_result_unref);

  {
    MwDbValue params[] = { MW_DB_TEXT (email) };

    inner = g_strdup_printf ("SELECT a.id, a.source FROM [aliases] a WHERE %s AND NOT (%s) "
                             "ORDER BY a.source, a.id", to_me, self_row);
    sql = _mw_ispmail_sql (self, inner);
    r = mw_db_exec (db, sql, params, 1, cancellable, error);
    if (r == NULL)
      return NULL;
    for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
      {
        MwAccountAddress *a = g_new0 (MwAccountAddress, 1);

        a->key = _mw_ispmail_key (mw_db_result_get_int64 (r, i, 0));
        a->address = g_strdup (mw_db_result_get_string (r, i, 1));
        g_ptr_array_add (account->aliases, a);
      }
    g_clear_pointer (&r, mw_db_result_unref);
    g_clear_pointer (&inner, g_free);
    g_clear_pointer (&sql, g_free);

    /* The addresses are known now: one pass over the rows, not a
     * subquery (virtual_aliases has no index but its key). */
    {
      g_autoptr(GString) in = g_string_new (NULL);

      g_array_set_size (sources, 0);
      for (guint i = 0; i < account->aliases->len; i++)
        {
          MwAccountAddress *a = g_ptr_array_index (account->aliases, i);
          MwDbValue v = MW_DB_TEXT (a->address);

          g_array_append_val (sources, v);
          g_string_append_printf (in, "%s%s", i > 0 ? ", " : "",
                                  driver == MW_DB_DRIVER_PGSQL ? "lower($" : "($");
          g_string_append_printf (in, "%u)", sources->len);
        }
      inner = g_strdup_printf ("SELECT f.id, f.source, f.destination FROM [aliases] f "
                               "WHERE %s IN (%s) AND NOT (%s) ORDER BY f.source, f.destination, f.id",
                               ci_src, in->str,
                               driver == MW_DB_DRIVER_PGSQL ? "lower(f.destination) = lower($1)"
                                                            : "f.destination = $1");
    }
    sql = _mw_ispmail_sql (self, inner);
    r = mw_db_exec (db, sql, (const MwDbValue *) sources->data, sources->len, cancellable, error);
    if (r == NULL)
      return NULL;
    for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
      {
        MwAccountForward *f = g_new0 (MwAccountForward, 1);

        f->key = _mw_ispmail_key (mw_db_result_get_int64 (r, i, 0));
        f->address = g_strdup (mw_db_result_get_string (r, i, 1));
        f->target = g_strdup (mw_db_result_get_string (r, i, 2));
        g_ptr_array_add (account->forwards, f);
      }
  }
  return g_steal_pointer (&account);
}

/* ------------------------------------------------------------------------ */
/* CSV export                                                               */
/* ------------------------------------------------------------------------ */

/* The list as CSV: a header of its column ids (the CLI's JSON keys), then
 * each row's stored values. Passwords are never exported, only their {SCHEME}. */
gboolean
_mw_ispmail_export_csv (MwSchema             *schema,
                        MwDb                 *db,
                        const MwListRequest  *request,
                        GOutputStream        *out,
                        guint64              *rows,
                        GCancellable         *cancellable,
                        GError              **error)
{
  const MwListInfo *info = _mw_ispmail_list_info (request->kind);
  g_autoptr(MwListQuery) query = NULL;

  if (info == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("An ISPmail database has no groups."));
      return FALSE;
    }
  query = _mw_ispmail_list_query (schema, request, error);
  return query != NULL && _mw_vmail_export_csv (info, query, db, out, rows, cancellable, error);
}
