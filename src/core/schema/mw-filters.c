/* mw-filters.c: the filter type, its checks, and the optional interface's
 * entry points (mw-filters.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-filters"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-filters.h"
#include "mw-imap-utf7.h"

G_DEFINE_INTERFACE (MwFilterStore, mw_filter_store, G_TYPE_OBJECT)

static void
mw_filter_store_default_init (MwFilterStoreInterface *iface)
{
}

MwFilter *
mw_filter_new (void)
{
  return g_new0 (MwFilter, 1);
}

MwFilter *
mw_filter_copy (const MwFilter *filter)
{
  MwFilter *copy;

  g_return_val_if_fail (filter != NULL, NULL);

  copy = g_new0 (MwFilter, 1);
  copy->id = filter->id;
  copy->global = filter->global;
  copy->user = g_strdup (filter->user);
  copy->header_name = g_strdup (filter->header_name);
  copy->header_value = g_strdup (filter->header_value);
  copy->mailbox = g_strdup (filter->mailbox);
  return copy;
}

void
mw_filter_free (MwFilter *filter)
{
  if (filter == NULL)
    return;
  g_free (filter->user);
  g_free (filter->header_name);
  g_free (filter->header_value);
  g_free (filter->mailbox);
  g_free (filter);
}

static gboolean
has_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        return TRUE;
    }
  return FALSE;
}

gboolean
mw_filter_check (MwFilter  *filter,
                 GError   **error)
{
  g_autofree char *name = NULL;
  g_autofree char *mailbox = NULL;
  g_autofree char *stored = NULL;

  g_return_val_if_fail (filter != NULL, FALSE);

  if ((filter->header_name != NULL && !g_utf8_validate (filter->header_name, -1, NULL)) ||
      (filter->header_value != NULL && !g_utf8_validate (filter->header_value, -1, NULL)) ||
      (filter->mailbox != NULL && !g_utf8_validate (filter->mailbox, -1, NULL)))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The filter is not valid UTF-8 text: type it again."));
      return FALSE;
    }

  name = g_strstrip (g_strdup (filter->header_name != NULL ? filter->header_name : ""));
  if (g_str_has_suffix (name, ":"))
    name[strlen (name) - 1] = '\0';
  if (name[0] == '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The filter needs the name of a header, such as “subject” or “from”."));
      return FALSE;
    }
  /* RFC 5322 field names: printable ASCII but ':' and the space. */
  for (const char *p = name; *p != '\0'; p++)
    if ((guchar) *p <= 32 || (guchar) *p >= 127 || *p == ':')
      {
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                     _("“%s” is not the name of a header: a header’s name has only letters, digits and “-” "
                       "(no “:” and no spaces), such as “subject” or “list-id”."), name);
        return FALSE;
      }
  if (strlen (name) > MW_FILTER_HEADER_NAME_MAX)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The header’s name has %zu characters; at most %d fit."), strlen (name),
                   MW_FILTER_HEADER_NAME_MAX);
      return FALSE;
    }

  if (filter->header_value == NULL || filter->header_value[0] == '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The filter needs a value to compare the header with, such as “%%invoice%%” (“%%” stands "
                     "for any text)."));
      return FALSE;
    }
  if (has_control (filter->header_value))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The value to compare the header with has a line break or another control character: "
                     "a header’s value is one line."));
      return FALSE;
    }
  if (g_utf8_strlen (filter->header_value, -1) > MW_FILTER_HEADER_VALUE_MAX)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The value to compare the header with has %ld characters; at most %d fit."),
                   g_utf8_strlen (filter->header_value, -1), MW_FILTER_HEADER_VALUE_MAX);
      return FALSE;
    }

  mailbox = g_strstrip (g_strdup (filter->mailbox != NULL ? filter->mailbox : ""));
  if (mailbox[0] == '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The filter needs the folder that matching messages go to, such as “INBOX/Invoices”."));
      return FALSE;
    }
  if (has_control (mailbox) || mailbox[0] == '/' || g_str_has_suffix (mailbox, "/") ||
      strstr (mailbox, "//") != NULL || strchr (mailbox, '*') != NULL || strchr (mailbox, '%') != NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” is not a folder name: parts are separated by single “/”, without one at the start or "
                     "the end, and “*”, “%%” and control characters are not allowed."), mailbox);
      return FALSE;
    }
  stored = mw_imap_utf7_encode (mailbox);
  if (stored == NULL || strlen (stored) > MW_FILTER_MAILBOX_MAX)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The folder name “%s” is too long: stored as IMAP stores it, at most %d characters fit."),
                   mailbox, MW_FILTER_MAILBOX_MAX);
      return FALSE;
    }

  g_free (filter->header_name);
  filter->header_name = g_ascii_strdown (name, -1);
  g_free (filter->mailbox);
  filter->mailbox = g_steal_pointer (&mailbox);
  return TRUE;
}

gboolean
mw_schema_has_filters (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_FILTER_STORE (self);
}

static MwFilterStore *
store_or_refuse (MwSchema  *self,
                 GError   **error)
{
  if (MW_IS_FILTER_STORE (self))
    return MW_FILTER_STORE (self);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This kind of mail database has no server-side filters of its own."));
  return NULL;
}

GPtrArray *
mw_schema_list_filters (MwSchema      *self,
                        MwDb          *db,
                        const char    *account_key,
                        GCancellable  *cancellable,
                        GError       **error)
{
  MwFilterStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_FILTER_STORE_GET_IFACE (store)->list_filters (store, db, account_key, cancellable, error);
}

MwFilter *
mw_schema_add_filter (MwSchema        *self,
                      const MwAdmin   *admin,
                      const char      *account_key,
                      const MwFilter  *filter,
                      GError         **error)
{
  MwFilterStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_FILTER_STORE_GET_IFACE (store)->add_filter (store, admin, account_key, filter, error);
}

MwFilter *
mw_schema_delete_filter (MwSchema       *self,
                         const MwAdmin  *admin,
                         gint64          id,
                         GError        **error)
{
  MwFilterStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_FILTER_STORE_GET_IFACE (store)->delete_filter (store, admin, id, error);
}
