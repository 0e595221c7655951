/* mw-dbmail-filters.c: DBMail's server-side filters (dbmail_filters: id,
 * user_id, headername, headervalue, mailbox; DBMail's doc/README.filters).
 * Delivery files a new message into the mailbox when the lowercase header
 * name matches and the header's value is LIKE headervalue, without case;
 * the rows of the user `anyone` apply to every user. The mailbox name is
 * stored as IMAP names it, in modified UTF-7.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dbmail-private.h"
#include "mw-dbmail-replies.h"
#include "mw-imap-utf7.h"
#include "mw-sql-dialect.h"

#define FILTER_COLUMNS "f.id, u.userid, f.headername, f.headervalue, f.mailbox"

static MwFilter *
filter_from_row (MwDbResult *r,
                 guint       row)
{
  MwFilter *f = mw_filter_new ();
  const char *mailbox = mw_db_result_get_string (r, row, 4);

  f->id = mw_db_result_get_int64 (r, row, 0);
  f->user = g_strdup (mw_db_result_get_string (r, row, 1));
  f->global = g_strcmp0 (f->user, MW_DBMAIL_ANYONE_USER) == 0;
  f->header_name = g_strdup (mw_db_result_get_string (r, row, 2));
  f->header_value = g_strdup (mw_db_result_get_string (r, row, 3));
  f->mailbox = mailbox != NULL ? mw_imap_utf7_decode (mailbox) : g_strdup ("");
  return f;
}

/* The owner of the rules: `anyone` for NULL, else the account named by
 * key, number, name or address (not one of DBMail's own accounts). Its
 * number, or 0 with a sentence; with @lock its row is held until the
 * transaction ends. */
static gint64
find_owner (MwDb        *db,
            const char  *text,
            gboolean     lock,
            char       **userid,
            GError     **error)
{
  g_autoptr(MwDbResult) r = NULL;
  gint64 user_idnr;

  if (text == NULL)
    {
      MwDbValue params[] = { MW_DB_TEXT (MW_DBMAIL_ANYONE_USER) };

      r = mw_db_exec (db, lock ? "SELECT user_idnr, userid FROM {users} WHERE userid = $1 FOR UPDATE"
                               : "SELECT user_idnr, userid FROM {users} WHERE userid = $1", params, 1, NULL, error);
      if (r == NULL)
        return 0;
      if (mw_db_result_get_n_rows (r) == 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                       _("The database has no user “anyone”, whose filters DBMail applies to everybody: add it "
                         "first (DBMail’s own schema creates it), or give the filter to one user."));
          return 0;
        }
      if (userid != NULL)
        *userid = g_strdup (mw_db_result_get_string (r, 0, 1));
      return mw_db_result_get_int64 (r, 0, 0);
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The user’s name is not valid UTF-8 text: type it again."));
      return 0;
    }
  if ((user_idnr = mw_dbmail_resolve_user (db, text, error)) <= 0)
    return 0;
  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr) };

    r = mw_db_exec (db, lock ? "SELECT user_idnr, userid FROM {users} WHERE user_idnr = $1 FOR UPDATE"
                             : "SELECT user_idnr, userid FROM {users} WHERE user_idnr = $1", params, 1, NULL, error);
  }
  if (r == NULL)
    return 0;
  if (mw_db_result_get_n_rows (r) == 0 || mw_dbmail_is_system_user (mw_db_result_get_string (r, 0, 1)))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no user “%s”: to add a filter for everybody, make it a global one."), text);
      return 0;
    }
  if (userid != NULL)
    *userid = g_strdup (mw_db_result_get_string (r, 0, 1));
  return user_idnr;
}

static GPtrArray *
dbmail_list_filters (MwFilterStore  *store,
                     MwDb           *db,
                     const char     *account_key,
                     GCancellable   *cancellable,
                     GError        **error)
{
  gint64 user_idnr = find_owner (db, account_key, FALSE, NULL, error);
  g_autoptr(MwDbResult) r = NULL;
  GPtrArray *filters;

  if (user_idnr <= 0)
    return NULL;
  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr) };

    r = mw_db_exec (db, "SELECT " FILTER_COLUMNS " FROM {filters} f JOIN {users} u ON u.user_idnr = f.user_id "
                        "WHERE f.user_id = $1 ORDER BY f.id", params, 1, cancellable, error);
  }
  if (r == NULL)
    return NULL;
  filters = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_filter_free);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    g_ptr_array_add (filters, filter_from_row (r, i));
  return filters;
}

static MwFilter *
dbmail_add_filter (MwFilterStore   *store,
                   const MwAdmin   *admin,
                   const char      *account_key,
                   const MwFilter  *filter_in,
                   GError         **error)
{
  g_autoptr(MwFilter) filter = mw_filter_copy (filter_in);
  g_autofree char *stored_mailbox = NULL;
  g_autofree char *userid = NULL;
  gint64 user_idnr = 0;
  gint64 id = 0;
  gboolean ok;

  if (!mw_filter_check (filter, error))
    return NULL;
  stored_mailbox = mw_imap_utf7_encode (filter->mailbox);
  if (!_mw_admin_begin (admin, error))
    return NULL;
  user_idnr = find_owner (admin->db, account_key, TRUE, &userid, error);
  ok = user_idnr > 0;
  if (ok)
    {
      MwDbValue params[] = { MW_DB_INT64 (user_idnr), MW_DB_TEXT (filter->header_name),
                             MW_DB_TEXT (filter->header_value), MW_DB_TEXT (stored_mailbox) };

      id = _mw_admin_insert_id (admin, "INSERT INTO {filters} (user_id, headername, headervalue, mailbox) "
                                       "VALUES ($1, $2, $3, $4)", "id", params, 4, error);
      ok = id > 0;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  filter->id = admin->dry_run ? 0 : id;
  g_free (filter->user);
  filter->user = g_steal_pointer (&userid);
  filter->global = account_key == NULL;
  {
    g_autofree char *id_text = _mw_dbmail_int_text (filter->id);
    MwAuditField a[] = { { "id", id_text }, { "user", filter->user }, { "header", filter->header_name },
                         { "value", filter->header_value }, { "mailbox", stored_mailbox } };

    _mw_admin_audit (admin, "filter.add", filter->user, NULL, 0, a, G_N_ELEMENTS (a));
  }
  return g_steal_pointer (&filter);
}

static MwFilter *
dbmail_delete_filter (MwFilterStore  *store,
                      const MwAdmin  *admin,
                      gint64          id,
                      GError        **error)
{
  g_autoptr(MwFilter) before = NULL;
  g_autofree char *id_text = _mw_dbmail_int_text (id);
  gboolean ok;

  if (id <= 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no filter number %s: a filter’s number is a positive whole number."), id_text);
      return NULL;
    }
  if (!_mw_admin_begin (admin, error))
    return NULL;
  {
    MwDbValue params[] = { MW_DB_INT64 (id) };
    g_autoptr(MwDbResult) r = _mw_admin_run (admin, "SELECT " FILTER_COLUMNS " FROM {filters} f "
                                                    "JOIN {users} u ON u.user_idnr = f.user_id WHERE f.id = $1 "
                                                    "FOR UPDATE", params, 1, error);

    ok = r != NULL;
    if (ok && mw_db_result_get_n_rows (r) == 0)
      {
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                     _("There is no filter number %s: somebody may have deleted it already."), id_text);
        ok = FALSE;
      }
    if (ok)
      {
        before = filter_from_row (r, 0);
        ok = _mw_admin_run_ok (admin, "DELETE FROM {filters} WHERE id = $1", params, 1, error);
      }
  }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    MwAuditField b[] = { { "id", id_text }, { "user", before->user }, { "header", before->header_name },
                         { "value", before->header_value }, { "mailbox", before->mailbox } };

    _mw_admin_audit (admin, "filter.delete", before->user, b, G_N_ELEMENTS (b), NULL, 0);
  }
  return g_steal_pointer (&before);
}

void
_mw_dbmail_filters_iface_init (MwFilterStoreInterface *iface)
{
  iface->list_filters = dbmail_list_filters;
  iface->add_filter = dbmail_add_filter;
  iface->delete_filter = dbmail_delete_filter;
}

/* The Filters list: every row of dbmail_filters, with its user ("anyone"
 * for the global ones). */
MwListQuery *
_mw_dbmail_filters_query (MwSchema             *schema,
                          const MwListRequest  *req,
                          GError              **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *sort_col;
  MwListQuery *query;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_OWNER: sort_col = "userid"; break;
    case MW_SORT_NAME: sort_col = "headername"; break;
    case MW_SORT_TARGET: sort_col = "mailbox"; break;
    case MW_SORT_NUMBER: sort_col = "id"; break;
    default:
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("This list cannot be sorted that way."));
      return NULL;
    }
  g_string_append (sql, "SELECT f.id, u.userid, CASE WHEN u.userid = '" MW_DBMAIL_ANYONE_USER "' THEN 1 ELSE 0 END "
                        "AS everybody, f.headername, f.headervalue, f.mailbox "
                        "FROM {filters} f JOIN {users} u ON u.user_idnr = f.user_id WHERE 1 = 1");
  if (req->search != NULL && req->search[0] != '\0')
    g_string_append (sql, " AND (lower(u.userid) LIKE $1 OR lower(f.headername) LIKE $1 "
                          "OR lower(f.headervalue) LIKE $1 OR lower(f.mailbox) LIKE $1)");
  query = mw_list_query_new (sql->str, sort_col, "id", req->descending);
  if (req->search != NULL && req->search[0] != '\0')
    {
      g_autofree char *value = mw_sql_like_contains (req->search);

      mw_list_query_add_text (query, value);
    }
  else
    {
      /* Every filter has its user (the foreign key, ON DELETE CASCADE):
       * counted without the join, which read all users (200,000 filters
       * of 1M users on PostgreSQL: 1.2 s, 48 ms without). */
      mw_list_query_set_count_sql (query, "SELECT count(*) AS n FROM {filters} f");
    }
  return query;
}
