/* mw-dbmail-store.c: store messages into a DBMail 3.x database the way DBMail 3.5 does, and read them back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mw-dbmail-store.h"
#include "mw-message-store-private.h"
#include "mw-message-writer.h"

G_DEFINE_QUARK (mw-message-store-error-quark, mw_message_store_error)

/* The database side of DBMail 3.5's writer and reader (src/dm_message.c):
 * the rows mw-message-writer.c cuts a message into, the values
 * mw-message-cache.c derives from it, and the tables they go to; the text
 * mw-message-reader.c rebuilds from them. */

#define MYSQL_TEXT_MAX   65535   /* TEXT columns on MySQL */
#define ROWS_PER_INSERT  64
#define DELIVERY_USER    "__@!internal_delivery_user!@__"

static char *
sha1_hex (const void *data,
          gsize       len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA1, data, len);
}

/* ------------------------------------------------------------------------ */
/* Database helpers                                                         */
/* ------------------------------------------------------------------------ */

static MwDbResult *
exec_sql (MwDb             *db,
          const char       *sql,
          const MwDbValue  *params,
          guint             n_params,
          GError          **error)
{
  return mw_db_exec (db, sql, params, n_params, NULL, error);
}

/* "$first, $first+1, ..." for an IN list or a VALUES row. */
static void
append_placeholders (GString *sql,
                     guint    first,
                     guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, i == 0 ? "$%u" : ", $%u", first + i);
}

/* ------------------------------------------------------------------------ */
/* Storing the MIME parts                                                   */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char   *hash;
  GBytes *data;
  gint64  id;
} Blob;

static void
blob_free (gpointer data)
{
  Blob *blob = data;

  g_free (blob->hash);
  g_bytes_unref (blob->data);
  g_free (blob);
}

/* Single-instance store, as DBMail with message_part_hash = 0: a blob is
 * reused when hash, size and bytes match. Returns the mimeparts id of every
 * part, in the order of parts. */
static GArray *
store_blobs (MwDb       *db,
             GPtrArray  *parts,
             GError    **error)
{
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func (blob_free);
  g_autoptr(GArray) part_blob = g_array_sized_new (FALSE, FALSE, sizeof (guint), parts->len);
  GArray *ids;

  for (guint i = 0; i < parts->len; i++)
    {
      MwMessagePart *part = g_ptr_array_index (parts, i);
      gsize len;
      const void *data = g_bytes_get_data (part->data, &len);
      g_autofree char *hash = sha1_hex (data, len);
      guint index = blobs->len;

      for (guint j = 0; j < blobs->len; j++)
        {
          Blob *b = g_ptr_array_index (blobs, j);

          if (g_str_equal (b->hash, hash) && g_bytes_equal (b->data, part->data))
            {
              index = j;
              break;
            }
        }
      if (index == blobs->len)
        {
          Blob *b = g_new0 (Blob, 1);

          b->hash = g_steal_pointer (&hash);
          b->data = g_bytes_ref (part->data);
          g_ptr_array_add (blobs, b);
        }
      g_array_append_val (part_blob, index);
    }

  /* Existing rows with the same hashes. */
  for (guint first = 0; first < blobs->len; first += ROWS_PER_INSERT)
    {
      guint n = MIN (ROWS_PER_INSERT, blobs->len - first);
      g_autoptr(GString) sql = g_string_new ("SELECT id, hash, data FROM {mimeparts} WHERE hash IN (");
      g_autofree MwDbValue *params = g_new0 (MwDbValue, n);
      g_autoptr(MwDbResult) result = NULL;

      append_placeholders (sql, 1, n);
      g_string_append (sql, ")");
      for (guint i = 0; i < n; i++)
        params[i] = MW_DB_TEXT (((Blob *) g_ptr_array_index (blobs, first + i))->hash);
      result = exec_sql (db, sql->str, params, n, error);
      if (result == NULL)
        return NULL;

      for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
        {
          g_autofree char *hash = g_strstrip (g_strdup (mw_db_result_get_string (result, row, 1)));
          g_autoptr(GBytes) data = mw_db_result_is_null (result, row, 2)
                                   ? g_bytes_new_static ("", 0) : mw_db_result_get_bytes (result, row, 2);

          for (guint i = first; i < first + n; i++)
            {
              Blob *b = g_ptr_array_index (blobs, i);

              if (b->id == 0 && g_ascii_strcasecmp (b->hash, hash) == 0 && g_bytes_equal (b->data, data))
                b->id = mw_db_result_get_int64 (result, row, 0);
            }
        }
    }

  for (guint i = 0; i < blobs->len; i++)
    {
      Blob *b = g_ptr_array_index (blobs, i);
      gsize len;
      const void *data = g_bytes_get_data (b->data, &len);
      MwDbValue params[] = { MW_DB_TEXT (b->hash), MW_DB_BYTES (data, len), MW_DB_INT64 ((gint64) len) };

      if (b->id != 0)
        continue;
      b->id = mw_db_insert_returning_id (db, "INSERT INTO {mimeparts} (hash, data, size) VALUES ($1, $2, $3)",
                                          "id", params, G_N_ELEMENTS (params), NULL, error);
      if (b->id == 0)
        return NULL;
    }

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), parts->len);
  for (guint i = 0; i < parts->len; i++)
    {
      Blob *b = g_ptr_array_index (blobs, g_array_index (part_blob, guint, i));

      g_array_append_val (ids, b->id);
    }
  return ids;
}

static gboolean
store_partlists (MwDb       *db,
                 gint64      physmessage_id,
                 GPtrArray  *parts,
                 GArray     *ids,
                 GError    **error)
{
  for (guint first = 0; first < parts->len; first += ROWS_PER_INSERT)
    {
      guint n = MIN (ROWS_PER_INSERT, parts->len - first);
      g_autoptr(GString) sql = g_string_new ("INSERT INTO {partlists} "
                                             "(physmessage_id, is_header, part_key, part_depth, part_order, part_id) VALUES ");
      g_autofree MwDbValue *params = g_new0 (MwDbValue, n * 6);
      g_autoptr(MwDbResult) result = NULL;

      for (guint i = 0; i < n; i++)
        {
          MwMessagePart *part = g_ptr_array_index (parts, first + i);
          MwDbValue *p = params + i * 6;

          g_string_append (sql, i == 0 ? "(" : ", (");
          append_placeholders (sql, i * 6 + 1, 6);
          g_string_append (sql, ")");
          p[0] = MW_DB_INT64 (physmessage_id);
          p[1] = MW_DB_INT64 (part->is_header ? 1 : 0);
          p[2] = MW_DB_INT64 (part->part_key);
          p[3] = MW_DB_INT64 (part->part_depth);
          p[4] = MW_DB_INT64 (part->part_order);
          p[5] = MW_DB_INT64 (g_array_index (ids, gint64, first + i));
        }
      result = exec_sql (db, sql->str, params, n * 6, error);
      if (result == NULL)
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Header cache, envelope, references                                       */
/* ------------------------------------------------------------------------ */

/* A header cache value on its way to dbmail_headervalue. */
typedef struct
{
  gint64  name_id;
  char   *value;
  char   *hash;
  const char *sortfield;
  const char *datefield;   /* "YYYY-MM-DD 00:00:00" or NULL */
  gint64  value_id;
} CacheItem;

static void
cache_item_free (gpointer data)
{
  CacheItem *item = data;

  g_free (item->value);
  g_free (item->hash);
  g_free (item);
}

static GHashTable *
load_header_names (MwDb    *db,
                   GError **error)
{
  guint n_names;
  const char *const *cached_names = mw_message_cache_names (&n_names);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) sql = g_string_new ("SELECT id, lower(headername) FROM {headername} WHERE lower(headername) IN (");
  g_autofree MwDbValue *params = g_new0 (MwDbValue, n_names);
  g_autoptr(MwDbResult) result = NULL;

  for (guint i = 0; i < n_names; i++)
    params[i] = MW_DB_TEXT (cached_names[i]);
  append_placeholders (sql, 1, n_names);
  g_string_append (sql, ")");
  result = exec_sql (db, sql->str, params, n_names, error);
  if (result == NULL)
    return NULL;
  for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
    {
      gint64 *id = g_new (gint64, 1);

      *id = mw_db_result_get_int64 (result, row, 0);
      g_hash_table_insert (names, g_strdup (mw_db_result_get_string (result, row, 1)), id);
    }

  /* Every DBMail program inserts the twelve names when it starts. */
  for (guint i = 0; i < n_names; i++)
    {
      MwDbValue p[] = { MW_DB_TEXT (cached_names[i]) };
      gint64 *id;

      if (g_hash_table_contains (names, cached_names[i]))
        continue;
      id = g_new (gint64, 1);
      *id = mw_db_insert_returning_id (db, "INSERT INTO {headername} (headername) VALUES ($1)", "id", p, 1, NULL, error);
      if (*id == 0)
        {
          g_free (id);
          return NULL;
        }
      g_hash_table_insert (names, g_strdup (cached_names[i]), id);
    }
  return g_steal_pointer (&names);
}

static gint64
name_id_of (GHashTable *names,
            const char *lname)
{
  gint64 *id = g_hash_table_lookup (names, lname);

  return id != NULL ? *id : 0;
}

static gboolean
store_header_cache (MwDb        *db,
                    gint64       physmessage_id,
                    GPtrArray   *cache,
                    GError     **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autoptr(GHashTable) names = load_header_names (db, error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (cache_item_free);
  g_autoptr(GHashTable) pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  if (names == NULL)
    return FALSE;

  for (guint i = 0; i < cache->len; i++)
    {
      MwHeaderCacheItem *value = g_ptr_array_index (cache, i);
      gint64 name_id = name_id_of (names, value->name);
      CacheItem *item;

      if (name_id == 0)
        continue;
      item = g_new0 (CacheItem, 1);
      item->name_id = name_id;
      /* A MySQL TEXT column holds 64 KiB. */
      if (driver == MW_DB_DRIVER_MYSQL && strlen (value->value) > MYSQL_TEXT_MAX)
        item->value = _mw_utf8_cut_bytes (value->value, MYSQL_TEXT_MAX);
      else
        item->value = g_strdup (value->value);
      item->hash = sha1_hex (item->value, strlen (item->value));
      item->sortfield = value->sortfield;
      item->datefield = value->datefield;
      g_ptr_array_add (items, item);
    }

  if (items->len == 0)
    return TRUE;

  /* Values are shared between messages: find the existing ones by hash. */
  for (guint first = 0; first < items->len; first += ROWS_PER_INSERT)
    {
      guint n = MIN (ROWS_PER_INSERT, items->len - first);
      g_autoptr(GString) sql = g_string_new ("SELECT id, hash, headervalue FROM {headervalue} WHERE hash IN (");
      g_autofree MwDbValue *params = g_new0 (MwDbValue, n);
      g_autoptr(MwDbResult) result = NULL;

      append_placeholders (sql, 1, n);
      g_string_append (sql, ")");
      for (guint i = 0; i < n; i++)
        params[i] = MW_DB_TEXT (((CacheItem *) g_ptr_array_index (items, first + i))->hash);
      result = exec_sql (db, sql->str, params, n, error);
      if (result == NULL)
        return FALSE;
      for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
        {
          const char *hash = mw_db_result_get_string (result, row, 1);
          const char *value = mw_db_result_get_string (result, row, 2);

          for (guint i = 0; i < items->len; i++)
            {
              CacheItem *item = g_ptr_array_index (items, i);

              if (item->value_id == 0 && g_str_equal (item->hash, hash) && g_strcmp0 (item->value, value) == 0)
                item->value_id = mw_db_result_get_int64 (result, row, 0);
            }
        }
    }

  for (guint i = 0; i < items->len; i++)
    {
      CacheItem *item = g_ptr_array_index (items, i);
      g_autofree char *key = NULL;

      if (item->value_id == 0)
        {
          MwDbValue params[] = {
            MW_DB_TEXT (item->hash), MW_DB_TEXT (item->value), MW_DB_TEXT (item->sortfield),
            item->datefield != NULL ? MW_DB_TIMESTAMP (item->datefield) : MW_DB_NULL,
          };

          item->value_id = mw_db_insert_returning_id (db,
                                                       "INSERT INTO {headervalue} (hash, headervalue, sortfield, datefield) "
                                                       "VALUES ($1, $2, $3, $4)",
                                                       "id", params, G_N_ELEMENTS (params), NULL, error);
          if (item->value_id == 0)
            return FALSE;
          /* later items with the same value share the new row */
          for (guint j = i + 1; j < items->len; j++)
            {
              CacheItem *other = g_ptr_array_index (items, j);

              if (other->value_id == 0 && g_str_equal (other->value, item->value))
                other->value_id = item->value_id;
            }
        }
      key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, item->name_id, item->value_id);
      if (g_hash_table_add (pairs, g_steal_pointer (&key)))
        g_ptr_array_add (rows, item);
    }

  for (guint first = 0; first < rows->len; first += ROWS_PER_INSERT)
    {
      guint n = MIN (ROWS_PER_INSERT, rows->len - first);
      g_autoptr(GString) sql = g_string_new ("INSERT INTO {header} (physmessage_id, headername_id, headervalue_id) VALUES ");
      g_autofree MwDbValue *params = g_new0 (MwDbValue, n * 3);
      g_autoptr(MwDbResult) result = NULL;

      for (guint i = 0; i < n; i++)
        {
          CacheItem *item = g_ptr_array_index (rows, first + i);

          g_string_append (sql, i == 0 ? "(" : ", (");
          append_placeholders (sql, i * 3 + 1, 3);
          g_string_append (sql, ")");
          params[i * 3] = MW_DB_INT64 (physmessage_id);
          params[i * 3 + 1] = MW_DB_INT64 (item->name_id);
          params[i * 3 + 2] = MW_DB_INT64 (item->value_id);
        }
      result = exec_sql (db, sql->str, params, n * 3, error);
      if (result == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Each message id once (case-insensitively on MySQL, whose unique key
 * compares so), in order. (transfer container) */
static GPtrArray *
unique_references (GPtrArray  *ids,
                   MwDbDriver  driver)
{
  GPtrArray *unique = g_ptr_array_new ();

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      gboolean seen = FALSE;

      for (guint k = 0; k < unique->len && !seen; k++)
        seen = driver == MW_DB_DRIVER_MYSQL ? g_ascii_strcasecmp (g_ptr_array_index (unique, k), id) == 0
                                            : g_str_equal (g_ptr_array_index (unique, k), id);
      if (!seen)
        g_ptr_array_add (unique, (gpointer) id);
    }
  return unique;
}

static gboolean
store_envelope_and_references (MwDb            *db,
                               gint64           physmessage_id,
                               MwMessageCache  *cache,
                               GError         **error)
{
  g_autoptr(GPtrArray) refs = unique_references (cache->references, mw_db_get_driver (db));
  g_autoptr(MwDbResult) result = NULL;
  MwDbValue params[] = { MW_DB_INT64 (physmessage_id), MW_DB_TEXT (cache->envelope) };

  result = exec_sql (db, "INSERT INTO {envelope} (physmessage_id, envelope) VALUES ($1, $2)",
                     params, G_N_ELEMENTS (params), error);
  if (result == NULL)
    return FALSE;

  for (guint first = 0; first < refs->len; first += ROWS_PER_INSERT)
    {
      guint n = MIN (ROWS_PER_INSERT, refs->len - first);
      g_autoptr(GString) sql = g_string_new ("INSERT INTO {referencesfield} (physmessage_id, referencesfield) VALUES ");
      g_autofree MwDbValue *rparams = g_new0 (MwDbValue, n * 2);
      g_autoptr(MwDbResult) rresult = NULL;

      for (guint i = 0; i < n; i++)
        {
          g_string_append_printf (sql, i == 0 ? "($%u, $%u)" : ", ($%u, $%u)", i * 2 + 1, i * 2 + 2);
          rparams[i * 2] = MW_DB_INT64 (physmessage_id);
          rparams[i * 2 + 1] = MW_DB_TEXT (g_ptr_array_index (refs, first + i));
        }
      rresult = exec_sql (db, sql->str, rparams, n * 2, error);
      if (rresult == NULL)
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */
/* ------------------------------------------------------------------------ */

static char *
random_unique_id (void)
{
  return g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (),
                          g_random_int (), g_random_int ());
}

static gint64
deliver_in_transaction (MwDb            *db,
                        gint64           mailbox_idnr,
                        MwMessageRows   *rows,
                        int              status,
                        GDateTime       *internal_date_utc,
                        MwMessageFlags   flags,
                        const char      *unique_id,
                        GError         **error)
{
  gsize size = rows->size;
  GPtrArray *parts = rows->parts;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(MwDbResult) mailbox = NULL;
  g_autofree char *stamp = g_date_time_format (internal_date_utc, "%Y-%m-%d %H:%M:%S");
  gint64 owner, physmessage_id, seq, message_idnr;
  gboolean owner_is_delivery_user;

  {
    MwDbValue params[] = { MW_DB_INT64 (mailbox_idnr) };

    mailbox = exec_sql (db,
                        "SELECT m.owner_idnr, u.userid FROM {mailboxes} m "
                        "JOIN {users} u ON u.user_idnr = m.owner_idnr WHERE m.mailbox_idnr = $1",
                        params, 1, error);
    if (mailbox == NULL)
      return 0;
    if (mw_db_result_get_n_rows (mailbox) == 0)
      {
        g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, mailbox_idnr);

        g_set_error (error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_NO_MAILBOX,
                     _("There is no mailbox number %s."), number);
        return 0;
      }
    owner = mw_db_result_get_int64 (mailbox, 0, 0);
    owner_is_delivery_user = g_strcmp0 (mw_db_result_get_string (mailbox, 0, 1), DELIVERY_USER) == 0;
  }

  /* physmessage: size with LF line ends (the quota unit) and with CRLF */
  {
    MwDbValue params[] = { MW_DB_INT64 ((gint64) size), MW_DB_INT64 ((gint64) rows->rfc_size), MW_DB_TIMESTAMP (stamp) };

    physmessage_id = mw_db_insert_returning_id (db,
                                                 "INSERT INTO {physmessage} (messagesize, rfcsize, internal_date) "
                                                 "VALUES ($1, $2, $3)",
                                                 "id", params, G_N_ELEMENTS (params), NULL, error);
    if (physmessage_id == 0)
      return 0;
  }

  ids = store_blobs (db, parts, error);
  if (ids == NULL || !store_partlists (db, physmessage_id, parts, ids, error))
    return 0;

  if (!store_header_cache (db, physmessage_id, rows->cache->header_cache, error) ||
      !store_envelope_and_references (db, physmessage_id, rows->cache, error))
    return 0;

  /* The mailbox's MODSEQ moves on; the message gets the new value. */
  {
    MwDbValue params[] = { MW_DB_INT64 (mailbox_idnr) };
    g_autoptr(MwDbResult) updated = NULL;
    g_autoptr(MwDbResult) result = NULL;

    updated = exec_sql (db, "UPDATE {mailboxes} SET seq = seq + 1 WHERE mailbox_idnr = $1", params, 1, error);
    if (updated == NULL)
      return 0;
    result = exec_sql (db, "SELECT seq FROM {mailboxes} WHERE mailbox_idnr = $1", params, 1, error);
    if (result == NULL)
      return 0;
    seq = mw_db_result_get_int64 (result, 0, 0);
  }

  {
    gboolean deleted = status == 2 || status == 3 || (flags & MW_MESSAGE_FLAG_DELETED) != 0;
    MwDbValue params[] = {
      MW_DB_INT64 (mailbox_idnr), MW_DB_INT64 (physmessage_id),
      MW_DB_INT64 ((flags & MW_MESSAGE_FLAG_SEEN) != 0),
      MW_DB_INT64 ((flags & MW_MESSAGE_FLAG_ANSWERED) != 0),
      MW_DB_INT64 (deleted),
      MW_DB_INT64 ((flags & MW_MESSAGE_FLAG_FLAGGED) != 0),
      MW_DB_INT64 ((flags & MW_MESSAGE_FLAG_RECENT) != 0),
      MW_DB_INT64 ((flags & MW_MESSAGE_FLAG_DRAFT) != 0),
      MW_DB_TEXT (unique_id), MW_DB_INT64 (status), MW_DB_INT64 (seq),
    };

    message_idnr = mw_db_insert_returning_id (db,
                                               "INSERT INTO {messages} (mailbox_idnr, physmessage_id, seen_flag, "
                                               "answered_flag, deleted_flag, flagged_flag, recent_flag, draft_flag, "
                                               "unique_id, status, seq) "
                                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                                               "message_idnr", params, G_N_ELEMENTS (params), NULL, error);
    if (message_idnr == 0)
      return 0;
  }

  /* Only messages that exist (status < 2) count against the quota; DBMail
   * never counts for its delivery user. */
  if (status < 2 && !owner_is_delivery_user)
    {
      MwDbValue params[] = { MW_DB_INT64 ((gint64) size), MW_DB_INT64 (owner) };
      g_autoptr(MwDbResult) result = NULL;

      result = exec_sql (db, "UPDATE {users} SET curmail_size = curmail_size + $1 WHERE user_idnr = $2",
                         params, G_N_ELEMENTS (params), error);
      if (result == NULL)
        return 0;
    }

  return message_idnr;
}

gint64
mw_message_store_deliver_full (MwDb           *db,
                               gint64          mailbox_idnr,
                               GBytes         *raw,
                               int             status,
                               GDateTime      *internal_date,
                               MwMessageFlags  flags,
                               const char     *unique_id,
                               GError        **error)
{
  g_autoptr(MwMessageRows) rows = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *uid = NULL;
  gboolean own_transaction;
  gint64 message_idnr;

  g_return_val_if_fail (db != NULL, 0);
  g_return_val_if_fail (raw != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (status < 0 || status > 6)
    {
      g_set_error (error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_INVALID,
                   _("%d is not a DBMail message status."), status);
      return 0;
    }
  /* DBMail keeps the internal date in UTC; the message with LF line ends,
   * up to a NUL byte (see mw_message_rows_new). */
  when = internal_date != NULL ? g_date_time_to_utc (internal_date) : g_date_time_new_now_utc ();
  rows = mw_message_rows_new (raw, when);
  if (rows->size == 0)
    {
      g_set_error (error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_INVALID,
                   _("An empty message cannot be stored."));
      return 0;
    }
  uid = unique_id != NULL ? g_strdup (unique_id) : random_unique_id ();

  own_transaction = !mw_db_in_transaction (db);
  if (own_transaction && !mw_db_begin (db, error))
    return 0;

  message_idnr = deliver_in_transaction (db, mailbox_idnr, rows, status, when, flags, uid, error);

  if (own_transaction)
    {
      if (message_idnr != 0 && !mw_db_commit (db, error))
        message_idnr = 0;
      if (message_idnr == 0)
        {
          g_autoptr(GError) rollback_error = NULL;

          if (mw_db_in_transaction (db) && !mw_db_rollback (db, &rollback_error))
            g_debug ("rollback failed: %s", rollback_error->message);
        }
    }
  return message_idnr;
}

gint64
mw_message_store_deliver (MwDb       *db,
                          gint64      mailbox_idnr,
                          GBytes     *raw,
                          int         status,
                          GDateTime  *internal_date,
                          GError    **error)
{
  return mw_message_store_deliver_full (db, mailbox_idnr, raw, status, internal_date,
                                        status < 2 ? MW_MESSAGE_FLAG_RECENT : MW_MESSAGE_FLAG_NONE,
                                        NULL, error);
}

GBytes *
mw_message_store_rebuild (MwDb    *db,
                          gint64   physmessage_id,
                          GError **error)
{
  g_autoptr(MwDbResult) result = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  MwDbValue params[] = { MW_DB_INT64 (physmessage_id) };

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  result = exec_sql (db,
                     "SELECT l.part_key, l.part_depth, l.part_order, l.is_header, p.data "
                     "FROM {partlists} l JOIN {mimeparts} p ON p.id = l.part_id "
                     "WHERE l.physmessage_id = $1 "
                     "ORDER BY l.part_key, l.part_order, l.part_depth DESC",
                     params, 1, error);
  if (result == NULL)
    return NULL;

  if (mw_db_result_get_n_rows (result) == 0)
    {
      /* A message from DBMail 2.x not yet migrated by dbmail-util -M:
       * DBMail serves the blocks put together, through GMime as well. */
      g_autoptr(MwDbResult) blocks = NULL;
      g_autoptr(GError) local_error = NULL;
      GByteArray *out;

      blocks = exec_sql (db, "SELECT messageblk FROM {messageblks} WHERE physmessage_id = $1 "
                         "ORDER BY messageblk_idnr", params, 1, &local_error);
      if (blocks == NULL || mw_db_result_get_n_rows (blocks) == 0)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, physmessage_id);

          g_set_error (error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_NOT_FOUND,
                       _("The database holds no content for message %s."), number);
          return NULL;
        }
      out = g_byte_array_new ();
      for (guint row = 0; row < mw_db_result_get_n_rows (blocks); row++)
        {
          g_autoptr(GBytes) block = mw_db_result_get_bytes (blocks, row, 0);

          if (block != NULL && g_bytes_get_size (block) > 0)
            g_byte_array_append (out, g_bytes_get_data (block, NULL), (guint) g_bytes_get_size (block));
        }
      g_byte_array_append (out, (const guint8 *) "", 1);
      return _mw_message_store_serve ((char *) g_byte_array_free (out, FALSE));
    }

  parts = g_ptr_array_new_with_free_func (mw_message_part_free);
  for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
    {
      MwMessagePart *part = g_new0 (MwMessagePart, 1);

      part->part_key = (int) mw_db_result_get_int64 (result, row, 0);
      part->part_depth = (int) mw_db_result_get_int64 (result, row, 1);
      part->part_order = (int) mw_db_result_get_int64 (result, row, 2);
      part->is_header = mw_db_result_get_int64 (result, row, 3) != 0;
      part->data = mw_db_result_is_null (result, row, 4) ? g_bytes_new_static ("", 0)
                                                          : mw_db_result_get_bytes (result, row, 4);
      g_ptr_array_add (parts, part);
    }
  /* The server sorted already; join sorts again so the rules do not
   * depend on how the database orders equal keys. */
  return mw_message_store_join (parts);
}
