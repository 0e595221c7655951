/* mw-vacation.c: the vacation type, its checks, and the optional
 * interface's entry points (mw-vacation.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-vacation"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "mw-vacation.h"

G_DEFINE_INTERFACE (MwVacationStore, mw_vacation_store, G_TYPE_OBJECT)

static void
mw_vacation_store_default_init (MwVacationStoreInterface *iface)
{
}

MwVacation *
mw_vacation_new (void)
{
  MwVacation *vacation = g_new0 (MwVacation, 1);

  vacation->interval = MW_VACATION_REPLY_ONCE;
  return vacation;
}

MwVacation *
mw_vacation_copy (const MwVacation *vacation)
{
  MwVacation *copy;

  g_return_val_if_fail (vacation != NULL, NULL);

  copy = g_new0 (MwVacation, 1);
  *copy = *vacation;
  copy->address = g_strdup (vacation->address);
  copy->subject = g_strdup (vacation->subject);
  copy->body = g_strdup (vacation->body);
  copy->active_from = g_strdup (vacation->active_from);
  copy->active_until = g_strdup (vacation->active_until);
  copy->reply_domain = g_strdup (vacation->reply_domain);
  copy->created = g_strdup (vacation->created);
  copy->modified = g_strdup (vacation->modified);
  return copy;
}

void
mw_vacation_free (MwVacation *vacation)
{
  if (vacation == NULL)
    return;
  g_free (vacation->address);
  g_free (vacation->subject);
  g_free (vacation->body);
  g_free (vacation->active_from);
  g_free (vacation->active_until);
  g_free (vacation->reply_domain);
  g_free (vacation->created);
  g_free (vacation->modified);
  g_free (vacation);
}

/* "2026-12-24", "2026-12-24 08:00" or "2026-12-24 08:00:00" (also with a
 * 'T'), local time; a bare day starts at 00:00:00 or, for @end, ends at
 * 23:59:59, as PostfixAdmin's set_away() reads it. */
static GDateTime *
parse_date (const char *text,
            gboolean    end)
{
  int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
  char sep;

  if (text == NULL)
    return NULL;
  if (sscanf (text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
    return NULL;
  if (text[n] == '\0')
    {
      if (end)
        h = 23, mi = 59, s = 59;
    }
  else
    {
      int m = 0;

      sep = text[n];
      if (sep != ' ' && sep != 'T')
        return NULL;
      if (sscanf (text + n + 1, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5)
        return NULL;
      if (text[n + 1 + m] == ':')
        {
          int k = 0;

          if (sscanf (text + n + 1 + m + 1, "%2d%n", &s, &k) != 1 || k != 2 || text[n + 1 + m + 1 + k] != '\0')
            return NULL;
        }
      else if (text[n + 1 + m] != '\0')
        return NULL;
    }
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
    return NULL;
  if (d > g_date_get_days_in_month ((GDateMonth) mo, (GDateYear) y))
    return NULL;
  return g_date_time_new_local (y, mo, d, h, mi, s);
}

gboolean
mw_vacation_check (MwVacation  *v,
                   GError     **error)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) until = NULL;

  g_return_val_if_fail (v != NULL, FALSE);

  if (v->subject == NULL || !g_utf8_validate (v->subject, -1, NULL) ||
      (v->body != NULL && !g_utf8_validate (v->body, -1, NULL)))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The vacation text is not valid UTF-8: save it as UTF-8 and try again."));
      return FALSE;
    }
  {
    g_autofree char *stripped = g_strstrip (g_strdup (v->subject));

    if (stripped[0] == '\0')
      {
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The vacation reply needs a subject."));
        return FALSE;
      }
  }
  if (strchr (v->subject, '\n') != NULL || strchr (v->subject, '\r') != NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The subject of the vacation reply must be one line."));
      return FALSE;
    }
  if (g_utf8_strlen (v->subject, -1) > MW_VACATION_SUBJECT_MAX)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The subject has %ld characters; a vacation reply’s subject may have at most %d."),
                   g_utf8_strlen (v->subject, -1), MW_VACATION_SUBJECT_MAX);
      return FALSE;
    }
  if (v->body != NULL && strlen (v->body) > MW_VACATION_BODY_MAX)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The text of the vacation reply is %zu bytes long; at most %d fit."),
                   strlen (v->body), MW_VACATION_BODY_MAX);
      return FALSE;
    }
  if (v->interval < 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The time between two replies cannot be negative."));
      return FALSE;
    }

  if (v->active_from != NULL)
    from = parse_date (v->active_from, FALSE);
  else
    from = g_date_time_new_now_local ();
  if (from == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” is not a date: write it as 2026-12-24 or 2026-12-24 08:00."), v->active_from);
      return FALSE;
    }
  if (v->active_until != NULL)
    until = parse_date (v->active_until, TRUE);
  else
    until = g_date_time_add_weeks (from, 1);
  if (until == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” is not a date: write it as 2026-12-24 or 2026-12-24 08:00."), v->active_until);
      return FALSE;
    }
  if (g_date_time_compare (until, from) <= 0)
    {
      g_autofree char *a = g_date_time_format (from, "%Y-%m-%d %H:%M");
      g_autofree char *b = g_date_time_format (until, "%Y-%m-%d %H:%M");

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The vacation ends (%s) before it starts (%s): the end must come after the start."), b, a);
      return FALSE;
    }
  g_free (v->active_from);
  v->active_from = g_date_time_format (from, "%Y-%m-%d %H:%M:%S");
  g_free (v->active_until);
  v->active_until = g_date_time_format (until, "%Y-%m-%d %H:%M:%S");
  return TRUE;
}

static MwVacationStore *
store_or_refuse (MwSchema  *self,
                 GError   **error)
{
  if (MW_IS_VACATION_STORE (self))
    return MW_VACATION_STORE (self);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This kind of mail database keeps no vacation replies that Mailwarden can change."));
  return NULL;
}

MwVacation *
mw_schema_get_vacation (MwSchema      *self,
                        MwDb          *db,
                        const char    *account_key,
                        GCancellable  *cancellable,
                        GError       **error)
{
  MwVacationStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_VACATION_STORE_GET_IFACE (store)->get_vacation (store, db, account_key, cancellable, error);
}

MwVacation *
mw_schema_set_vacation (MwSchema          *self,
                        const MwAdmin     *admin,
                        const char        *account_key,
                        const MwVacation  *vacation,
                        GError           **error)
{
  MwVacationStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (account_key != NULL && vacation != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_VACATION_STORE_GET_IFACE (store)->set_vacation (store, admin, account_key, vacation, error);
}

MwVacation *
mw_schema_clear_vacation (MwSchema       *self,
                          const MwAdmin  *admin,
                          const char     *account_key,
                          GError        **error)
{
  MwVacationStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_VACATION_STORE_GET_IFACE (store)->clear_vacation (store, admin, account_key, error);
}
