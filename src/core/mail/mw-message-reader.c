/* mw-message-reader.c: the text DBMail 3.5's IMAP server serves for a message's stored rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-message-reader"

#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "mw-message-reader.h"
#include "mw-message-store-private.h"

/* What DBMail 3.5's IMAP server gives back for the rows of a message
 * (src/dm_message.c of DBMail 3.5: _mime_retrieve), followed step by step,
 * GMime included, so that the text we show is the text its IMAP server
 * sends for BODY[] (with LF line ends). How the rows are written is in
 * mw-message-writer.c.
 *
 * The rows in ORDER BY part_key, part_order, part_depth DESC are
 * glued together. A header row that opens a multipart records its boundary
 * for its depth. Whenever the depth falls, each multipart left behind is
 * closed with "\n--B--\n", the inner one first, whether or not an epilogue
 * follows. A header row is preceded by "--B\n" (B: the boundary recorded
 * one level up) when it is below the top, the row before was a header and
 * the last header that named a type did not say message/rfc822 (so the
 * header of a message embedded in a message/rfc822 part gets no boundary
 * line); otherwise by "\n--B\n" when the row before was a body or a header
 * that named a boundary. Every header row is followed by "\n".
 * After more than two rows, "\n--B--\n" closes the outermost boundary if it
 * is still open: a multipart nested deeper that was never closed (one
 * inside a message/rfc822 part at the end) stays open. GMime then parses
 * that text and IMAP serves GMime's serialisation of it, which is not
 * always the glued text: GMime writes "\n" after every part except an
 * unclosed multipart, and "\n" after a closing boundary. */

#define MAX_MIME_DEPTH   64      /* DBMail's MAX_MIME_DEPTH */

/* ------------------------------------------------------------------------ */
/* GMime, read and written as DBMail does                                   */
/* ------------------------------------------------------------------------ */

static gpointer
init_gmime (gpointer data)
{
  g_mime_init ();
  return NULL;
}

void
mw_message_store_ensure_gmime (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_gmime, NULL);
}

/* dbmail_message_init_with_string: a first line that starts with a space is
 * dropped (DBMail takes it for a broken From_ line); GMime, with its default
 * options, reads a message or, failing that, a bare part. NULL when GMime
 * finds neither. */
GMimeObject *
_mw_message_store_parse (const char *text)
{
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeObject *object;

  mw_message_store_ensure_gmime ();
  if (text[0] == ' ')
    {
      const char *nl = g_strstr_len (text, 80, "\n");

      if (nl != NULL)
        text = nl + 1;
    }
  stream = g_mime_stream_mem_new ();
  g_mime_stream_write (stream, text, strlen (text));
  g_mime_stream_reset (stream);
  parser = g_mime_parser_new_with_stream (stream);
  object = (GMimeObject *) g_mime_parser_construct_message (parser, NULL);
  if (object == NULL)
    object = g_mime_parser_construct_part (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);
  return object;
}

void
mw_message_part_free (gpointer data)
{
  MwMessagePart *part = data;

  if (part == NULL)
    return;
  g_clear_pointer (&part->data, g_bytes_unref);
  g_free (part);
}

/* ------------------------------------------------------------------------ */
/* Reading rows: _mime_retrieve                                             */
/* ------------------------------------------------------------------------ */

#define MIME_BLEN 128   /* DBMail's MAX_MIME_BLEN: a longer boundary is cut */

/* find_type_header: the value of the first field that starts a line with
 * "Content-type: " (any case, one space), then of one at the very start;
 * folded lines are kept. */
static char *
content_type_value (const char *header)
{
  static const char key[] = "\ncontent-type: ";
  const char *rest = NULL;
  GString *value;
  gsize i;

  for (const char *p = strchr (header, '\n'); p != NULL; p = strchr (p + 1, '\n'))
    if (g_ascii_strncasecmp (p, key, sizeof key - 1) == 0)
      {
        rest = p;
        break;
      }
  if (rest == NULL && g_ascii_strncasecmp (header, key + 1, sizeof key - 2) == 0)
    rest = header;
  if (rest == NULL)
    return NULL;

  for (i = 0; rest[i] != '\0' && rest[i] != ':'; i++)
    ;
  if (rest[i] != '\0')
    i++;
  value = g_string_new (NULL);
  for (; rest[i] != '\0'; i++)
    {
      if ((rest[i] == '\n' || rest[i] == '\r') && !g_ascii_isspace (rest[i + 1]))
        break;
      g_string_append_c (value, rest[i]);
    }
  return g_strstrip (g_string_free (value, FALSE));
}

/* (transfer full) */
static GMimeContentType *
find_type (const char *header)
{
  g_autofree char *value = content_type_value (header);

  return value != NULL ? g_mime_content_type_parse (NULL, value) : NULL;
}

/* A row's bytes as DBMail reads them: up to the first NUL byte. */
static char *
row_text (MwMessagePart *part)
{
  gsize len;
  const char *data = g_bytes_get_data (part->data, &len);

  return g_strndup (data != NULL ? data : "", len);
}

/* The text DBMail glues together from the rows, before GMime reads it; the
 * rules are written at the top of this file. parts are in ORDER BY
 * part_key, part_order, part_depth DESC. */
static char *
assemble_sorted (GPtrArray *parts)
{
  GString *m = g_string_new (NULL);
  char boundary[MIME_BLEN] = "";
  char blist[MAX_MIME_DEPTH + 1][MIME_BLEN];
  int depth = 0, prevdepth, rows = 0;
  gboolean got_boundary = FALSE, got_boundary_before, prev_boundary = FALSE;
  gboolean is_header = TRUE, prev_header;
  gboolean is_message = FALSE, prev_is_message = FALSE;

  mw_message_store_ensure_gmime ();   /* for the Content-Type parser */
  memset (blist, 0, sizeof blist);
  for (guint i = 0; i < parts->len; i++)
    {
      MwMessagePart *part = g_ptr_array_index (parts, i);
      g_autofree char *str = NULL;

      prevdepth = depth;
      prev_header = is_header;
      depth = part->part_depth;
      /* DBMail skips rows nested too deep; rows we or DBMail never write
       * (a negative depth) are skipped alike rather than read out of bounds */
      if (depth > MAX_MIME_DEPTH || depth < 0)
        continue;
      is_header = part->is_header;
      str = row_text (part);

      got_boundary_before = got_boundary;
      got_boundary = FALSE;
      if (is_header)
        {
          GMimeContentType *type = find_type (str);
          const char *param = NULL;

          prev_boundary = got_boundary_before;
          prev_is_message = is_message;
          if (type != NULL)
            {
              is_message = g_mime_content_type_is_type (type, "message", "rfc822");
              param = g_mime_content_type_get_parameter (type, "boundary");
            }
          if (param != NULL)
            {
              got_boundary = TRUE;
              g_strlcpy (boundary, param, MIME_BLEN);
              g_strlcpy (blist[depth], boundary, MIME_BLEN);
            }
          g_clear_object (&type);
        }

      while (prevdepth > 0 && prevdepth - 1 >= depth && prevdepth - 1 <= MAX_MIME_DEPTH &&
             blist[prevdepth - 1][0] != '\0')
        {
          g_string_append_printf (m, "\n--%s--\n", blist[prevdepth - 1]);
          blist[prevdepth - 1][0] = '\0';
          prevdepth--;
        }

      if (depth > 0 && blist[depth - 1][0] != '\0')
        g_strlcpy (boundary, blist[depth - 1], MIME_BLEN);

      if (is_header)
        {
          if (prev_header && depth > 0 && !prev_is_message)
            g_string_append_printf (m, "--%s\n", boundary);
          else if (!prev_header || prev_boundary)
            g_string_append_printf (m, "\n--%s\n", boundary);
        }

      g_string_append (m, str);
      if (is_header)
        g_string_append_c (m, '\n');
      rows++;
    }

  if (rows > 2 && blist[0][0] != '\0')
    g_string_append_printf (m, "\n--%s--\n", blist[0]);
  return g_string_free (m, FALSE);
}

/* dbmail_message_init_with_string + dbmail_message_to_string: what IMAP
 * serves for a text DBMail put together. If GMime can read nothing from it,
 * DBMail serves nothing; the text is shown as it is then. */
GBytes *
_mw_message_store_serve (char *text)
{
  GMimeObject *object = _mw_message_store_parse (text);
  char *served;

  if (object == NULL)
    return g_bytes_new_take (text, strlen (text));
  served = g_mime_object_to_string (object, NULL);
  g_object_unref (object);
  g_free (text);
  return g_bytes_new_take (served, strlen (served));
}

/* ------------------------------------------------------------------------ */
/* Rows in any order                                                        */
/* ------------------------------------------------------------------------ */

int
_mw_message_part_compare (gconstpointer a,
                          gconstpointer b)
{
  const MwMessagePart *pa = *(MwMessagePart **) a;
  const MwMessagePart *pb = *(MwMessagePart **) b;

  if (pa->part_key != pb->part_key)
    return pa->part_key < pb->part_key ? -1 : 1;
  if (pa->part_order != pb->part_order)
    return pa->part_order < pb->part_order ? -1 : 1;
  if (pa->part_depth != pb->part_depth)
    return pa->part_depth > pb->part_depth ? -1 : 1;
  return 0;
}

static GPtrArray *
sorted_copy (GPtrArray *parts)
{
  /* not g_ptr_array_copy: that would take over the free function */
  GPtrArray *sorted = g_ptr_array_sized_new (parts->len);

  for (guint i = 0; i < parts->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (parts, i));
  g_ptr_array_sort (sorted, _mw_message_part_compare);
  return sorted;
}

GBytes *
mw_message_store_assemble (GPtrArray *parts)
{
  g_autoptr(GPtrArray) sorted = NULL;
  char *text;

  g_return_val_if_fail (parts != NULL, NULL);

  sorted = sorted_copy (parts);
  text = assemble_sorted (sorted);
  return g_bytes_new_take (text, strlen (text));
}

GBytes *
mw_message_store_join (GPtrArray *parts)
{
  g_autoptr(GPtrArray) sorted = NULL;

  g_return_val_if_fail (parts != NULL, NULL);

  sorted = sorted_copy (parts);
  return _mw_message_store_serve (assemble_sorted (sorted));
}

