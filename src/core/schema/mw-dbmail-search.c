/* mw-dbmail-search.c: the DBMail flavour's reading of stored messages: one message to show, and body search.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-search"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mw-dbmail.h"
#include "mw-dbmail-mail.h"
#include "mw-dbmail-store.h"
#include "mw-message.h"
#include "mw-message-private.h"
#include "mw-message-reader.h"

/* The mail store's load_message and search_bodies (mw-dbmail-mail-store.c)
 * come here: what they ask of the database, beside the other DBMail
 * statements. */

#define BATCH_MESSAGES    200
#define BATCH_BYTES       (32 * 1024 * 1024)

/* ------------------------------------------------------------------------ */
/* One message                                                              */
/* ------------------------------------------------------------------------ */

/* partlists + mimeparts, or on a DBMail 2.2 schema (no partlists table) the
 * messageblks. */
static GBytes *
rebuild_any (MwDb     *db,
             gint64    physmessage_id,
             GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *raw = mw_message_store_rebuild (db, physmessage_id, &local_error);

  if (raw == NULL && g_error_matches (local_error, MW_DB_ERROR, MW_DB_ERROR_NO_SUCH_TABLE))
    {
      MwDbValue params[] = { MW_DB_INT64 (physmessage_id) };
      g_autoptr(MwDbResult) blocks = NULL;
      GByteArray *out;

      g_clear_error (&local_error);
      blocks = mw_db_exec (db, "SELECT messageblk FROM {messageblks} WHERE physmessage_id = $1 "
                           "ORDER BY messageblk_idnr", params, 1, NULL, &local_error);
      if (blocks != NULL && mw_db_result_get_n_rows (blocks) > 0)
        {
          out = g_byte_array_new ();
          for (guint row = 0; row < mw_db_result_get_n_rows (blocks); row++)
            {
              g_autoptr(GBytes) block = mw_db_result_get_bytes (blocks, row, 0);

              if (block != NULL)
                g_byte_array_append (out, g_bytes_get_data (block, NULL), (guint) g_bytes_get_size (block));
            }
          return g_byte_array_free_to_bytes (out);
        }
      if (blocks != NULL)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, physmessage_id);

          g_set_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_NOT_FOUND,
                       _("The database holds no content for message %s."), number);
          return NULL;
        }
    }
  if (raw == NULL)
    {
      if (g_error_matches (local_error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_NOT_FOUND))
        {
          g_set_error_literal (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_NOT_FOUND, local_error->message);
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return raw;
}

MwMessage *
mw_dbmail_load_message (MwDb                *db,
                        gint64               physmessage_id,
                        MwMessageLoadFlags   flags,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(GBytes) raw = NULL;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  raw = rebuild_any (db, physmessage_id, error);
  if (raw == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return _mw_message_new (raw, physmessage_id, flags);
}

/* ------------------------------------------------------------------------ */
/* Body search                                                              */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gint64 physmessage_id;
  guint  first_row;     /* in the message list */
  guint  n_rows;
  gint64 size;
} Phys;

static gboolean
cancelled (GCancellable  *cancellable,
           GError       **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* The raw messages of phys[0..n), fetched with one query; NULL entries for
 * physmessages without parts (2.x messageblks, or none). */
static GPtrArray *
fetch_batch (MwDb          *db,
             const Phys    *phys,
             guint          n,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT l.physmessage_id, l.part_key, l.part_depth, l.part_order, "
                                         "l.is_header, p.data FROM {partlists} l "
                                         "JOIN {mimeparts} p ON p.id = l.part_id WHERE l.physmessage_id IN (");
  g_autofree MwDbValue *params = g_new0 (MwDbValue, n);
  g_autoptr(MwDbResult) result = NULL;
  GPtrArray *raws = g_ptr_array_new_full (n, (GDestroyNotify) g_bytes_unref);
  guint rows, row = 0;

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (sql, i == 0 ? "$%u" : ", $%u", i + 1);
      params[i] = MW_DB_INT64 (phys[i].physmessage_id);
      g_ptr_array_add (raws, NULL);
    }
  g_string_append (sql, ") ORDER BY l.physmessage_id, l.part_key, l.part_order, l.part_depth DESC");

  result = mw_db_exec (db, sql->str, params, n, cancellable, error);
  if (result == NULL)
    {
      g_ptr_array_unref (raws);
      return NULL;
    }

  rows = mw_db_result_get_n_rows (result);
  for (guint i = 0; i < n && row < rows; i++)
    {
      g_autoptr(GPtrArray) parts = NULL;
      g_autofree MwMessagePart *storage = NULL;
      guint start, count;

      while (row < rows && mw_db_result_get_int64 (result, row, 0) < phys[i].physmessage_id)
        row++;
      start = row;
      while (row < rows && mw_db_result_get_int64 (result, row, 0) == phys[i].physmessage_id)
        row++;
      count = row - start;
      if (count == 0)
        continue;

      storage = g_new0 (MwMessagePart, count);
      parts = g_ptr_array_sized_new (count);
      for (guint k = 0; k < count; k++)
        {
          MwMessagePart *part = &storage[k];

          part->part_key = (int) mw_db_result_get_int64 (result, start + k, 1);
          part->part_depth = (int) mw_db_result_get_int64 (result, start + k, 2);
          part->part_order = (int) mw_db_result_get_int64 (result, start + k, 3);
          part->is_header = mw_db_result_get_int64 (result, start + k, 4) != 0;
          part->data = mw_db_result_is_null (result, start + k, 5) ? g_bytes_new_static ("", 0)
                                                                   : mw_db_result_get_bytes (result, start + k, 5);
          g_ptr_array_add (parts, part);
        }
      /* parsed below anyway: GMime's writing pass (join) would give the
       * same tree */
      g_ptr_array_index (raws, i) = mw_message_store_assemble (parts);
      for (guint k = 0; k < count; k++)
        g_bytes_unref (storage[k].data);
    }
  return raws;
}

/* One batch of a body search: its messages, parsed on the pool's threads. */
typedef struct
{
  GPtrArray    *raws;      /* GBytes, NULL where nothing is stored */
  gboolean     *found;
  guint         first;     /* index of its first message in the Phys array */
  const MwMessageNeedle *needle;
  GMutex        mutex;
  GCond         cond;
  guint         pending;
} ScanBatch;

typedef struct
{
  ScanBatch *batch;
  guint      index;
} ScanItem;

static void
scan_one (gpointer data,
          gpointer user_data)
{
  ScanItem *item = data;
  ScanBatch *b = item->batch;
  GBytes *raw = g_ptr_array_index (b->raws, item->index);

  b->found[item->index] = raw != NULL && _mw_message_raw_contains (raw, b->needle);
  g_free (item);
  g_mutex_lock (&b->mutex);
  if (--b->pending == 0)
    g_cond_signal (&b->cond);
  g_mutex_unlock (&b->mutex);
}

static ScanBatch *
scan_batch_start (GThreadPool  *pool,
                  GPtrArray    *raws,
                  guint         first,
                  const MwMessageNeedle *needle)
{
  ScanBatch *b = g_new0 (ScanBatch, 1);

  b->raws = raws;
  b->found = g_new0 (gboolean, raws->len);
  b->first = first;
  b->needle = needle;
  b->pending = raws->len;
  g_mutex_init (&b->mutex);
  g_cond_init (&b->cond);
  for (guint i = 0; i < raws->len; i++)
    {
      ScanItem *item = g_new (ScanItem, 1);

      item->batch = b;
      item->index = i;
      g_thread_pool_push (pool, item, NULL);
    }
  return b;
}

static void
scan_batch_wait (ScanBatch *b)
{
  g_mutex_lock (&b->mutex);
  while (b->pending > 0)
    g_cond_wait (&b->cond, &b->mutex);
  g_mutex_unlock (&b->mutex);
}

/* Waits for the batch's messages to be parsed, then frees it. */
static void
scan_batch_free (ScanBatch *b)
{
  scan_batch_wait (b);
  g_mutex_clear (&b->mutex);
  g_cond_clear (&b->cond);
  g_ptr_array_unref (b->raws);
  g_free (b->found);
  g_free (b);
}

/* Tells the hits of a batch (in list order) and the progress, on the
 * searching thread, then frees it. */
static void
report_batch (ScanBatch             *b,
              GArray                *phys,
              MwDbResult            *list,
              MwDbmailHitFunc        on_hit,
              MwMessageProgressFunc  on_progress,
              gpointer               user_data)
{
  guint count = b->raws->len;
  guint first = b->first;

  scan_batch_wait (b);
  for (guint i = 0; i < count; i++)
    {
      const Phys *p = &g_array_index (phys, Phys, first + i);

      if (b->found[i] && on_hit != NULL)
        for (guint k = 0; k < p->n_rows; k++)
          on_hit (mw_db_result_get_int64 (list, p->first_row + k, 1), p->physmessage_id, user_data);
    }
  scan_batch_free (b);
  if (on_progress != NULL)
    on_progress (first + count, phys->len, user_data);
}

gboolean
mw_dbmail_search_bodies (MwDb                   *db,
                         gint64                  user_idnr,
                         gint64                  mailbox_idnr,
                         const char             *needle,
                         MwMessageLoadFlags      flags,
                         MwDbmailHitFunc         on_hit,
                         MwMessageProgressFunc   on_progress,
                         gpointer                user_data,
                         GCancellable           *cancellable,
                         GError                **error)
{
  g_autoptr(MwDbResult) list = NULL;
  g_autoptr(GArray) phys = NULL;
  MwMessageNeedle *n = NULL;
  gboolean ok = TRUE;
  gboolean blocks_only = FALSE;   /* a DBMail 2.2 schema: no partlists */
  guint rows, done = 0;
  GThreadPool *pool = NULL;
  ScanBatch *batch = NULL, *previous = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((flags & MW_MESSAGE_HIDE_BODIES) != 0)
    {
      g_set_error_literal (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_PRIVATE,
                           _("Message bodies are hidden: the preference “Hide message bodies” is on, so bodies cannot be searched."));
      return FALSE;
    }
  if (needle[0] == '\0')
    {
      g_set_error_literal (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_FAILED, _("Give a word to search for."));
      return FALSE;
    }

  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr), MW_DB_INT64 (mailbox_idnr) };

    list = mw_db_exec (db,
                       mailbox_idnr != 0
                       ? "SELECT m.physmessage_id, m.message_idnr, p.messagesize FROM {messages} m "
                         "JOIN {mailboxes} b ON b.mailbox_idnr = m.mailbox_idnr "
                         "JOIN {physmessage} p ON p.id = m.physmessage_id "
                         "WHERE " MW_DBMAIL_READABLE_BY_1 ("b") " AND m.mailbox_idnr = $2 AND m.status IN (0, 1, 2, 3) "
                         "ORDER BY m.physmessage_id, m.message_idnr"
                       : "SELECT m.physmessage_id, m.message_idnr, p.messagesize FROM {messages} m "
                         "JOIN {mailboxes} b ON b.mailbox_idnr = m.mailbox_idnr "
                         "JOIN {physmessage} p ON p.id = m.physmessage_id "
                         "WHERE b.owner_idnr = $1 AND m.status IN (0, 1, 2, 3) "
                         "ORDER BY m.physmessage_id, m.message_idnr",
                       params, mailbox_idnr != 0 ? 2 : 1, cancellable, error);
    if (list == NULL)
      goto cancel_check;
  }

  rows = mw_db_result_get_n_rows (list);
  phys = g_array_new (FALSE, FALSE, sizeof (Phys));
  for (guint row = 0; row < rows; row++)
    {
      gint64 id = mw_db_result_get_int64 (list, row, 0);

      if (phys->len > 0 && g_array_index (phys, Phys, phys->len - 1).physmessage_id == id)
        g_array_index (phys, Phys, phys->len - 1).n_rows++;
      else
        {
          Phys p = { id, row, 1, mw_db_result_get_int64 (list, row, 2) };

          g_array_append_val (phys, p);
        }
    }

  n = _mw_message_needle_new (needle);
  if (on_progress != NULL)
    on_progress (0, phys->len, user_data);

  /* Parsing and decoding take longer than reading (about 60 MB/s on one
   * core against 80-125 MB/s read): the messages of a batch are parsed on
   * every core while this thread reads the next batch from the server. */
  pool = g_thread_pool_new (scan_one, NULL, (int) MAX (g_get_num_processors (), 1), FALSE, NULL);
  while (ok && done < phys->len)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) raws = NULL;
      guint count = 0;
      gint64 bytes = 0;

      if (cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      /* up to BATCH_MESSAGES, and no more than BATCH_BYTES unless one message is bigger */
      while (done + count < phys->len && count < BATCH_MESSAGES &&
             (count == 0 || bytes + g_array_index (phys, Phys, done + count).size <= BATCH_BYTES))
        {
          bytes += g_array_index (phys, Phys, done + count).size;
          count++;
        }

      if (!blocks_only)
        {
          raws = fetch_batch (db, &g_array_index (phys, Phys, done), count, cancellable, &local_error);
          if (raws == NULL && g_error_matches (local_error, MW_DB_ERROR, MW_DB_ERROR_NO_SUCH_TABLE))
            {
              blocks_only = TRUE;
              g_clear_error (&local_error);
            }
          else if (raws == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              ok = FALSE;
              break;
            }
        }
      if (raws == NULL)
        {
          raws = g_ptr_array_new_full (count, (GDestroyNotify) g_bytes_unref);
          for (guint i = 0; i < count; i++)
            g_ptr_array_add (raws, NULL);
        }
      for (guint i = 0; i < count; i++)
        if (g_ptr_array_index (raws, i) == NULL)
          {
            /* not in partlists: a 2.x message, or nothing stored */
            g_autoptr(GError) one_error = NULL;

            g_ptr_array_index (raws, i) = rebuild_any (db, g_array_index (phys, Phys, done + i).physmessage_id,
                                                       &one_error);
            if (g_ptr_array_index (raws, i) == NULL &&
                !g_error_matches (one_error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_NOT_FOUND))
              {
                g_propagate_error (error, g_steal_pointer (&one_error));
                ok = FALSE;
                break;
              }
          }
      if (!ok)
        break;

      batch = scan_batch_start (pool, g_steal_pointer (&raws), done, n);
      done += count;
      /* While this one is parsed, the hits of the one before are told. */
      if (previous != NULL)
        report_batch (g_steal_pointer (&previous), phys, list, on_hit, on_progress, user_data);
      previous = g_steal_pointer (&batch);
    }
  if (previous != NULL)
    {
      if (ok)
        report_batch (g_steal_pointer (&previous), phys, list, on_hit, on_progress, user_data);
      else
        scan_batch_free (g_steal_pointer (&previous));
    }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_clear_pointer (&n, _mw_message_needle_free);

cancel_check:
  if (error != NULL && *error != NULL && g_cancellable_is_cancelled (cancellable) &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  return list != NULL && ok;
}
