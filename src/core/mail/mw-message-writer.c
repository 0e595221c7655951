/* mw-message-writer.c: cut a message into the rows DBMail 3.5 stores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-message-writer"

#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "mw-message-writer.h"
#include "mw-message-store-private.h"

/* How DBMail 3.5 stores a message (src/dm_message.c of DBMail 3.5:
 * store_mime_object and friends), followed step by step, GMime included,
 * so that the rows we write are the rows a real DBMail writes. What its
 * IMAP server gives back for them is in mw-message-reader.c; the values it
 * caches beside them are in mw-message-cache.c; the database side is the
 * DBMail flavour's (mw-dbmail-store.c).
 *
 * GMime parses the message. Every entity leaves its header block
 * as GMime writes it (is_header = 1, a new part_key, part_order 0) and then
 * one body blob: what GMime writes for the entity minus that header block,
 * not stored when empty. A multipart leaves its prologue and its epilogue
 * instead (when GMime found one, even an empty one); its children go one
 * part_depth deeper with part_order starting again at 0, and the epilogue
 * comes after them at the multipart's depth with part_order moved on by
 * one. A message/rfc822 part leaves its own header, then the embedded
 * message's at the same depth. The top part of a message leaves no header
 * of its own: its Content- fields are in the message's header block. Every
 * blob moves part_order on. */

/* ------------------------------------------------------------------------ */
/* Writing rows: store_mime_object                                          */
/* ------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *parts;
  int        key;
  int        depth;
  int        order;
} Writer;

/* store_blob. DBMail's blobs are C strings, so a NUL byte ends one. */
static void
write_blob (Writer     *w,
            const char *text,
            gboolean    is_header)
{
  MwMessagePart *part;

  if (text == NULL)
    return;
  if (is_header)
    {
      w->key++;
      w->order = 0;
    }
  part = g_new0 (MwMessagePart, 1);
  part->part_key = w->key;
  part->part_depth = w->depth;
  part->part_order = w->order;
  part->is_header = is_header;
  part->data = g_bytes_new (text, strlen (text));
  g_ptr_array_add (w->parts, part);
  w->order++;
}

/* find_end_of_header: the offset just past the first blank line. DBMail's
 * loop starts at the second byte, so a text that starts with its blank line
 * (an entity without headers) has no header end, and then no body. */
static gsize
end_of_header (const char *text)
{
  gsize len = strlen (text);
  char prev1 = 0, prev2 = 0;
  gsize i = 0;

  while (i < len)
    {
      char c;

      i++;
      c = text[i];
      if (c == '\n' && (prev1 == '\n' || (prev1 == '\r' && prev2 == '\n')))
        {
          if (len > i)
            i++;
          break;
        }
      prev2 = prev1;
      prev1 = c;
    }
  return i;
}

static void
write_header (Writer      *w,
              GMimeObject *object)
{
  g_autofree char *head = g_mime_object_get_headers (object, NULL);

  write_blob (w, head, TRUE);
}

/* store_body: the entity as GMime writes it, less its header block; an
 * empty body leaves no row. */
static void
write_body (Writer      *w,
            GMimeObject *object)
{
  g_autofree char *text = g_mime_object_to_string (object, NULL);
  gsize start = end_of_header (text);

  if (start < strlen (text))
    write_blob (w, text + start, FALSE);
}

static void write_object (Writer *w, GMimeObject *object);

/* store_mime_multipart. Should GMime have made something other than a
 * multipart of a multipart/ type, DBMail's calls on it fail and leave only
 * the header. */
static void
write_multipart (Writer      *w,
                 GMimeObject *object,
                 gboolean     skip_header)
{
  GMimeMultipart *multipart;
  gboolean nested;

  if (!skip_header)
    write_header (w, object);
  if (!GMIME_IS_MULTIPART (object))
    return;
  multipart = GMIME_MULTIPART (object);
  nested = g_mime_multipart_get_boundary (multipart) != NULL;
  write_blob (w, g_mime_multipart_get_prologue (multipart), FALSE);
  if (nested)
    {
      w->depth++;
      w->order = 0;
    }
  for (int i = 0; i < g_mime_multipart_get_count (multipart); i++)
    write_object (w, g_mime_multipart_get_part (multipart, i));
  if (nested)
    {
      w->depth--;
      w->order++;
    }
  write_blob (w, g_mime_multipart_get_epilogue (multipart), FALSE);
}

/* store_mime_message: the part's header, then the embedded message at the
 * same depth; when GMime found no message in it, the part's body. */
static void
write_message_part (Writer      *w,
                    GMimeObject *object,
                    gboolean     skip_header)
{
  GMimeMessage *embedded = NULL;

  if (!skip_header)
    write_header (w, object);
  if (GMIME_IS_MESSAGE_PART (object))
    embedded = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
  if (embedded != NULL)
    write_object (w, GMIME_OBJECT (embedded));
  else
    write_body (w, object);
}

/* store_mime_object. A message's own header block already holds the
 * Content- fields of its top part, so that part's header is not stored
 * again. */
static void
write_object (Writer      *w,
              GMimeObject *object)
{
  gboolean is_message = GMIME_IS_MESSAGE (object);
  GMimeObject *part = object;
  GMimeContentType *type = NULL;

  if (is_message)
    {
      write_header (w, object);
      part = g_mime_message_get_mime_part (GMIME_MESSAGE (object));
    }
  if (part != NULL)
    type = g_mime_object_get_content_type (part);
  if (type != NULL && g_mime_content_type_is_type (type, "multipart", "*"))
    write_multipart (w, part, is_message);
  else if (type != NULL && g_mime_content_type_is_type (type, "message", "*"))
    write_message_part (w, part, is_message);
  else if (type != NULL && g_mime_content_type_is_type (type, "text", "*") && is_message)
    write_body (w, object);
  else if (part != NULL)
    {
      if (!is_message)
        write_header (w, part);
      write_body (w, part);
    }
}


/* ------------------------------------------------------------------------ */
/* Rows of a message                                                        */
/* ------------------------------------------------------------------------ */

static GBytes *
normalize_line_ends (GBytes *raw)
{
  gsize len;
  const char *data = g_bytes_get_data (raw, &len);
  char *out;
  gsize n = 0;

  if (len == 0 || memchr (data, '\r', len) == NULL)
    return g_bytes_ref (raw);
  out = g_malloc (len);
  for (gsize i = 0; i < len; i++)
    if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
      out[n++] = data[i];
  return g_bytes_new_take (out, n);
}


/* DBMail stores LF line ends. It holds the message as a C string from the
 * moment it reads it, so a NUL byte ends it: sizes and rows count only
 * what comes before. */
static GBytes *
prepare_message (GBytes *raw)
{
  GBytes *message = normalize_line_ends (raw);
  gsize len;
  const char *data = g_bytes_get_data (message, &len);
  const char *nul = len > 0 ? memchr (data, '\0', len) : NULL;

  if (nul != NULL)
    {
      GBytes *cut = g_bytes_new_from_bytes (message, 0, (gsize) (nul - data));

      g_bytes_unref (message);
      message = cut;
    }
  return message;
}

/* The rows of a message with LF line ends, as DBMail's writer leaves them,
 * and in rfc_size the size DBMail gives it with CRLF line ends (the size of
 * GMime's serialisation of the message it parsed). A message GMime cannot
 * read at all (DBMail refuses those unless allow_invalid_messages is set)
 * is kept as one header row so that nothing is lost. With internal_date,
 * the values cached beside the rows go to cache. */
static GPtrArray *
split_normalized (GBytes          *message,
                  gsize           *rfc_size,
                  GDateTime       *internal_date,
                  MwMessageCache **cache)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  GMimeObject *object = _mw_message_store_parse (text);
  Writer w = { 0 };

  w.parts = g_ptr_array_new_with_free_func (mw_message_part_free);
  if (cache != NULL)
    *cache = mw_message_cache_new (object, internal_date);
  if (object == NULL)
    {
      write_blob (&w, text, TRUE);
      if (rfc_size != NULL)
        *rfc_size = strlen (text);
      return w.parts;
    }
  /* DBMail measures before it stores */
  if (rfc_size != NULL)
    {
      g_autofree char *whole = g_mime_object_to_string (object, NULL);
      gsize size = strlen (whole);

      for (const char *p = whole; (p = strchr (p, '\n')) != NULL; p++)
        if (p == whole || p[-1] != '\r')
          size++;
      *rfc_size = size;
    }
  write_object (&w, object);
  g_object_unref (object);
  return w.parts;
}

GPtrArray *
mw_message_store_split (GBytes *raw)
{
  g_autoptr(GBytes) message = NULL;

  g_return_val_if_fail (raw != NULL, NULL);

  message = normalize_line_ends (raw);
  return split_normalized (message, NULL, NULL, NULL);
}

MwMessageRows *
mw_message_rows_new (GBytes    *raw,
                     GDateTime *internal_date)
{
  g_autoptr(GBytes) message = NULL;
  MwMessageRows *rows;

  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (internal_date != NULL, NULL);

  message = prepare_message (raw);
  rows = g_new0 (MwMessageRows, 1);
  rows->size = g_bytes_get_size (message);
  if (rows->size > 0)
    rows->parts = split_normalized (message, &rows->rfc_size, internal_date, &rows->cache);
  return rows;
}

void
mw_message_rows_free (MwMessageRows *rows)
{
  if (rows == NULL)
    return;
  g_clear_pointer (&rows->parts, g_ptr_array_unref);
  g_clear_pointer (&rows->cache, mw_message_cache_free);
  g_free (rows);
}
