/* mw-mail-store.c: the optional MwMailStore interface, its dispatchers and the mail types' helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-mail-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-mail-store.h"

G_DEFINE_INTERFACE (MwMailStore, mw_mail_store, G_TYPE_OBJECT)

static void
mw_mail_store_default_init (MwMailStoreInterface *iface)
{
}

/* ------------------------------------------------------------------------ */
/* The types                                                                */
/* ------------------------------------------------------------------------ */

void
mw_mailbox_free (MwMailbox *mailbox)
{
  if (mailbox == NULL)
    return;
  g_free (mailbox->key);
  g_free (mailbox->owner_key);
  g_free (mailbox->owner);
  g_free (mailbox->name);
  g_free (mailbox->display_name);
  g_free (mailbox);
}

const char *
mw_mailbox_section_name (MwMailboxSection section)
{
  static const char *const names[] = { "own", "public", "shared" };

  g_return_val_if_fail (section <= MW_MAILBOX_SHARED, NULL);
  return names[section];
}

void
mw_message_row_clear (MwMessageRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_clear_pointer (&row->date, g_date_time_unref);
  /* The strings were the record's. */
  *row = (MwMessageRow) { 0 };
}

void
mw_message_change_clear (MwMessageChange *change)
{
  if (change == NULL)
    return;
  g_clear_pointer (&change->renumbered, g_array_unref);
  *change = (MwMessageChange) { 0 };
}

/**
 * mw_purge_state_describe:
 *
 * Returns: (transfer full) (nullable): the sentence for a window,
 * translated; NULL when there is nothing to say.
 */
char *
mw_purge_state_describe (const MwPurgeState *state)
{
  g_return_val_if_fail (state != NULL, NULL);

  if (state->maintenance_seen && state->deleted_count + state->purge_count == 0)
    return NULL;
  if (!state->maintenance_seen)
    return g_strdup (_("Deleted messages are purged by the server's maintenance run (dbmail-util -d then -p); "
                       "none seems to have run yet."));
  return g_strdup (_("Deleted messages are purged by the server's maintenance run (dbmail-util -d then -p). "
                     "Until then they can be undeleted."));
}

/* ------------------------------------------------------------------------ */
/* Dispatchers                                                              */
/* ------------------------------------------------------------------------ */

const MwListInfo *
mw_mail_store_get_message_list (MwMailStore *self)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), NULL);

  return MW_MAIL_STORE_GET_IFACE (self)->get_message_list (self);
}

GPtrArray *
mw_mail_store_list_mailboxes (MwMailStore   *self,
                              MwDb          *db,
                              const char    *account,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), NULL);
  g_return_val_if_fail (db != NULL && account != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return MW_MAIL_STORE_GET_IFACE (self)->list_mailboxes (self, db, account, cancellable, error);
}

char *
mw_mail_store_find_mailbox (MwMailStore   *self,
                            MwDb          *db,
                            const char    *account,
                            const char    *name,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), NULL);
  g_return_val_if_fail (db != NULL && account != NULL && name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return MW_MAIL_STORE_GET_IFACE (self)->find_mailbox (self, db, account, name, cancellable, error);
}

MwListQuery *
mw_mail_store_messages_query (MwMailStore             *self,
                              const MwMessageRequest  *request,
                              GError                 **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), NULL);
  g_return_val_if_fail (request != NULL && request->account != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return MW_MAIL_STORE_GET_IFACE (self)->messages_query (self, request, error);
}

void
mw_mail_store_read_row (MwMailStore  *self,
                        MwRecord     *record,
                        MwMessageRow *row)
{
  g_return_if_fail (MW_IS_MAIL_STORE (self));
  g_return_if_fail (MW_IS_RECORD (record));
  g_return_if_fail (row != NULL);

  MW_MAIL_STORE_GET_IFACE (self)->read_row (self, record, row);
}

char *
mw_mail_store_find_message (MwMailStore   *self,
                            MwDb          *db,
                            gint64         number,
                            char         **owner_key,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return MW_MAIL_STORE_GET_IFACE (self)->find_message (self, db, number, owner_key, cancellable, error);
}

MwMessage *
mw_mail_store_load_message (MwMailStore         *self,
                            MwDb                *db,
                            const char          *message_key,
                            MwMessageLoadFlags   flags,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), NULL);
  g_return_val_if_fail (db != NULL && message_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return MW_MAIL_STORE_GET_IFACE (self)->load_message (self, db, message_key, flags, cancellable, error);
}

gboolean
mw_mail_store_set_deleted (MwMailStore        *self,
                           const MwAdmin      *admin,
                           const char         *account,
                           const char *const  *message_keys,
                           gboolean            deleted,
                           MwMessageChange    *out,
                           GError            **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), FALSE);
  g_return_val_if_fail (admin != NULL && admin->db != NULL && account != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return MW_MAIL_STORE_GET_IFACE (self)->set_deleted (self, admin, account, message_keys, deleted, out, error);
}

gboolean
mw_mail_store_undelete_mailbox (MwMailStore      *self,
                                const MwAdmin    *admin,
                                const char       *mailbox,
                                MwMessageChange  *out,
                                GError          **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), FALSE);
  g_return_val_if_fail (admin != NULL && admin->db != NULL && mailbox != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return MW_MAIL_STORE_GET_IFACE (self)->undelete_mailbox (self, admin, mailbox, out, error);
}

gboolean
mw_mail_store_purge_state (MwMailStore   *self,
                           MwDb          *db,
                           const char    *account,
                           MwPurgeState  *out,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), FALSE);
  g_return_val_if_fail (db != NULL && account != NULL && out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return MW_MAIL_STORE_GET_IFACE (self)->purge_state (self, db, account, out, cancellable, error);
}

gboolean
mw_mail_store_count_all (MwMailStore   *self,
                         MwDb          *db,
                         MwMailCounts  *out,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), FALSE);
  g_return_val_if_fail (db != NULL && out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return MW_MAIL_STORE_GET_IFACE (self)->count_all (self, db, out, cancellable, error);
}

gboolean
mw_mail_store_search_bodies (MwMailStore            *self,
                             MwDb                   *db,
                             const char             *account,
                             const char             *mailbox,
                             const char             *needle,
                             MwMessageLoadFlags      flags,
                             MwMessageHitFunc        hit,
                             MwMessageProgressFunc   progress,
                             gpointer                user_data,
                             GCancellable           *cancellable,
                             GError                **error)
{
  g_return_val_if_fail (MW_IS_MAIL_STORE (self), FALSE);
  g_return_val_if_fail (db != NULL && account != NULL && needle != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return MW_MAIL_STORE_GET_IFACE (self)->search_bodies (self, db, account, mailbox, needle, flags, hit, progress,
                                                         user_data, cancellable, error);
}
