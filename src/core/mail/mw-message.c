/* mw-message.c: a stored message as GMime reads it: headers, the text to read, attachments, searching its text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-message"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>

#include "mw-html-text.h"
#include "mw-mail-charset.h"
#include "mw-message-private.h"
#include "mw-message-reader.h"

G_DEFINE_QUARK (mw-message-error-quark, mw_message_error)

#define MAX_DEPTH         64

typedef struct
{
  MwMessageAttachment  pub;       /* first: the public array points here */
  GMimeObject         *object;    /* NULL for a private message */
} Attachment;

struct _MwMessage
{
  gint64         physmessage_id;
  gboolean       hide_bodies;

  GBytes        *raw;             /* NULL when private */
  GMimeMessage  *mime;            /* NULL when private */

  char          *from;
  char          *to;
  char          *cc;
  char          *reply_to;
  char          *subject;
  char          *message_id;
  GDateTime     *date;
  GPtrArray     *headers;         /* MwMessageHeader */

  char          *text;            /* NULL when private */
  gboolean       text_is_html;
  GPtrArray     *attachments;     /* Attachment */
};

/* ------------------------------------------------------------------------ */
/* GMime set-up                                                             */
/* ------------------------------------------------------------------------ */

static GMimeParserOptions *parser_options;

/* g_mime_init is not thread-safe; the options are shared read-only. */
static gpointer
init_gmime (gpointer data)
{
  static const char *fallback[] = { "UTF-8", "windows-1252", NULL };

  /* the message store reads and writes messages with GMime too */
  mw_message_store_ensure_gmime ();
  parser_options = g_mime_parser_options_new ();
  g_mime_parser_options_set_rfc2047_compliance_mode (parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode (parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode (parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_allow_addresses_without_domain (parser_options, TRUE);
  g_mime_parser_options_set_fallback_charsets (parser_options, fallback);
  return NULL;
}

static void
ensure_gmime (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_gmime, NULL);
}


/* ------------------------------------------------------------------------ */
/* Parts                                                                    */
/* ------------------------------------------------------------------------ */

static GBytes *
decode_part (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *mem;
  GByteArray *array;

  if (content == NULL)
    return g_bytes_new_static ("", 0);
  mem = g_mime_stream_mem_new ();
  g_mime_data_wrapper_write_to_stream (content, mem);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  g_object_unref (mem);
  return g_byte_array_free_to_bytes (array);
}

static gsize
decoded_size (GMimeObject *object)
{
  GMimeStream *null = g_mime_stream_null_new ();
  gsize size;

  if (GMIME_IS_PART (object))
    {
      GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (object));

      if (content != NULL)
        g_mime_data_wrapper_write_to_stream (content, null);
    }
  else if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *embedded = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      if (embedded != NULL)
        g_mime_object_write_to_stream (GMIME_OBJECT (embedded), NULL, null);
    }
  size = GMIME_STREAM_NULL (null)->written;
  g_object_unref (null);
  return size;
}

static gboolean
is_type (GMimeObject *object,
         const char  *type,
         const char  *subtype)
{
  GMimeContentType *ct = g_mime_object_get_content_type (object);

  return ct != NULL && g_mime_content_type_is_type (ct, type, subtype);
}

static gboolean
is_attachment_disposition (GMimeObject *object)
{
  GMimeContentDisposition *cd = g_mime_object_get_content_disposition (object);

  return cd != NULL && g_mime_content_disposition_is_attachment (cd);
}

/* A text part's content as UTF-8; HTML turned into text when to_plain. */
static char *
part_text (GMimePart *part,
           gboolean   to_plain)
{
  g_autoptr(GBytes) bytes = decode_part (part);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  const char *charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");
  g_autofree char *meta = NULL;
  gboolean html = is_type (GMIME_OBJECT (part), "text", "html");
  GString *out = g_string_sized_new (len + 1);

  if (html && (charset == NULL || charset[0] == '\0'))
    charset = meta = mw_html_meta_charset (data, len);
  mw_mail_charset_append (out, data, len, charset);
  if (html && to_plain)
    {
      char *plain = mw_html_to_text (out->str, out->len);

      g_string_free (out, TRUE);
      return plain;
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* The text to read and the attachment list                                 */
/* ------------------------------------------------------------------------ */

typedef struct
{
  GString   *text;
  gboolean   from_html;
  GPtrArray *attachments;
} Walk;

static void
attachment_free (gpointer data)
{
  Attachment *a = data;

  g_free (a->pub.filename);
  g_free (a->pub.content_type);
  g_clear_object (&a->object);
  g_free (a);
}

static void
add_attachment (Walk        *walk,
                GMimeObject *object)
{
  Attachment *a = g_new0 (Attachment, 1);
  GMimeContentType *ct = g_mime_object_get_content_type (object);
  GMimeContentDisposition *cd = g_mime_object_get_content_disposition (object);
  const char *filename = NULL;

  a->pub.index = walk->attachments->len;
  if (ct != NULL)
    {
      g_autofree char *mime_type = g_mime_content_type_get_mime_type (ct);   /* (transfer full) */

      a->pub.content_type = g_ascii_strdown (mime_type, -1);
    }
  else
    a->pub.content_type = g_strdup ("application/octet-stream");
  if (GMIME_IS_PART (object))
    filename = g_mime_part_get_filename (GMIME_PART (object));
  else
    {
      filename = g_mime_object_get_content_disposition_parameter (object, "filename");
      if (filename == NULL)
        filename = g_mime_object_get_content_type_parameter (object, "name");
    }
  a->pub.filename = mw_mail_charset_clean (filename);
  if (a->pub.filename == NULL && GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *embedded = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
      const char *subject = embedded != NULL ? g_mime_message_get_subject (embedded) : NULL;

      if (subject != NULL && subject[0] != '\0')
        {
          g_autofree char *clean = mw_mail_charset_clean (subject);

          g_strdelimit (clean, "/\\", '_');
          a->pub.filename = g_strconcat (clean, ".eml", NULL);
        }
    }
  a->pub.is_inline = cd == NULL || !g_mime_content_disposition_is_attachment (cd);
  a->pub.size = decoded_size (object);
  a->object = g_object_ref (object);
  g_ptr_array_add (walk->attachments, a);
}

static void
append_block (Walk       *walk,
              const char *text)
{
  if (text == NULL || text[0] == '\0')
    return;
  if (walk->text->len > 0)
    {
      if (walk->text->str[walk->text->len - 1] != '\n')
        g_string_append_c (walk->text, '\n');
      g_string_append_c (walk->text, '\n');
    }
  g_string_append (walk->text, text);
}

static void walk_display (Walk *walk, GMimeObject *object, gboolean display, int depth);

static void
walk_embedded (Walk             *walk,
               GMimeMessagePart *part,
               gboolean          display,
               int               depth)
{
  GMimeMessage *embedded = g_mime_message_part_get_message (part);

  add_attachment (walk, GMIME_OBJECT (part));
  if (embedded == NULL)
    return;
  if (display && !is_attachment_disposition (GMIME_OBJECT (part)))
    {
      GString *intro = g_string_new (NULL);
      static const char *const shown[] = { "From", "Date", "Subject", "To" };

      g_string_append_printf (intro, "%s\n", _("――― Forwarded message ―――"));
      for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
        {
          const char *raw = g_mime_object_get_header (GMIME_OBJECT (embedded), shown[i]);
          g_autofree char *decoded = raw != NULL ? g_mime_utils_header_decode_text (parser_options, raw) : NULL;
          g_autofree char *value = mw_mail_charset_clean (decoded);

          if (value != NULL)
            g_string_append_printf (intro, "%s: %s\n", shown[i], value);
        }
      append_block (walk, intro->str);
      g_string_free (intro, TRUE);
      if (embedded->mime_part != NULL)
        {
          /* the separator's block must not get a blank line before the text */
          Walk inner = { .text = g_string_new (NULL), .attachments = g_ptr_array_new_with_free_func (attachment_free) };

          walk_display (&inner, embedded->mime_part, TRUE, depth + 1);
          if (inner.text->len > 0)
            g_string_append_printf (walk->text, "\n%s", inner.text->str);
          walk->from_html = walk->from_html || inner.from_html;
          g_string_free (inner.text, TRUE);
          g_ptr_array_unref (inner.attachments);   /* parts of the forwarded message: saved with it */
        }
    }
}

static void
walk_display (Walk        *walk,
              GMimeObject *object,
              gboolean     display,
              int          depth)
{
  if (object == NULL || depth > MAX_DEPTH)
    return;

  if (GMIME_IS_MESSAGE_PART (object))
    {
      walk_embedded (walk, GMIME_MESSAGE_PART (object), display, depth);
      return;
    }

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);
      int chosen = -1;

      if (display && is_type (object, "multipart", "alternative"))
        {
          /* text/plain first; else the last part, the richest */
          for (int i = 0; i < n && chosen < 0; i++)
            {
              GMimeObject *child = g_mime_multipart_get_part (multipart, i);

              if (GMIME_IS_PART (child) && is_type (child, "text", "plain") && !is_attachment_disposition (child))
                chosen = i;
            }
          for (int i = n - 1; i >= 0 && chosen < 0; i--)
            {
              GMimeObject *child = g_mime_multipart_get_part (multipart, i);

              if (GMIME_IS_MULTIPART (child) || is_type (child, "text", "*"))
                chosen = i;
            }
          for (int i = 0; i < n; i++)
            walk_display (walk, g_mime_multipart_get_part (multipart, i), i == chosen, depth + 1);
        }
      else if (display && is_type (object, "multipart", "related"))
        {
          const char *start = g_mime_object_get_content_type_parameter (object, "start");

          if (start != NULL)
            {
              g_autofree char *id = g_strdup (start);

              if (id[0] == '<')
                {
                  memmove (id, id + 1, strlen (id));
                  if (id[0] != '\0' && id[strlen (id) - 1] == '>')
                    id[strlen (id) - 1] = '\0';
                }
              for (int i = 0; i < n && chosen < 0; i++)
                if (g_strcmp0 (g_mime_object_get_content_id (g_mime_multipart_get_part (multipart, i)), id) == 0)
                  chosen = i;
            }
          if (chosen < 0)
            chosen = 0;
          for (int i = 0; i < n; i++)
            walk_display (walk, g_mime_multipart_get_part (multipart, i), i == chosen, depth + 1);
        }
      else
        {
          for (int i = 0; i < n; i++)
            walk_display (walk, g_mime_multipart_get_part (multipart, i), display, depth + 1);
        }
      return;
    }

  if (GMIME_IS_PART (object))
    {
      gboolean plain = is_type (object, "text", "plain") || is_type (object, "text", "enriched");
      gboolean html = is_type (object, "text", "html");
      gboolean attached = is_attachment_disposition (object);

      if ((plain || html) && !attached)
        {
          if (display)
            {
              g_autofree char *text = part_text (GMIME_PART (object), TRUE);

              append_block (walk, text);
              walk->from_html = walk->from_html || html;
              if (g_mime_part_get_filename (GMIME_PART (object)) != NULL)
                add_attachment (walk, object);
            }
          /* a text alternative not shown is no attachment */
          return;
        }
      add_attachment (walk, object);
    }
}

/* ------------------------------------------------------------------------ */
/* Searching                                                                */
/* ------------------------------------------------------------------------ */

struct _MwMessageNeedle
{
  char     *folded;     /* the needle, case-folded */
  gsize     len;
  gboolean  ascii;
  guint8    lower[256];
};

typedef MwMessageNeedle Needle;

static void
needle_init (Needle     *n,
             const char *needle)
{
  g_autofree char *valid = g_utf8_make_valid (needle, -1);
  g_autofree char *norm = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  n->folded = g_utf8_casefold (norm != NULL ? norm : valid, -1);
  n->len = strlen (n->folded);
  n->ascii = TRUE;
  for (gsize i = 0; i < n->len; i++)
    if ((guchar) n->folded[i] >= 0x80)
      n->ascii = FALSE;
  for (guint c = 0; c < 256; c++)
    n->lower[c] = (guint8) g_ascii_tolower ((char) c);
}

static void
needle_clear (Needle *n)
{
  g_clear_pointer (&n->folded, g_free);
}

static gboolean
needle_in (const Needle *n,
           const char   *text,
           gsize         len)
{
  if (n->len == 0)
    return FALSE;
  if (n->ascii)
    {
      /* ASCII needle: byte comparison ignoring ASCII case, no copy */
      guint8 first = (guint8) n->folded[0];
      guint8 first_upper = (guint8) g_ascii_toupper ((char) first);
      const char *p = text;
      const char *last;

      if (len < n->len)
        return FALSE;
      last = text + len - n->len;
      while (p <= last)
        {
          const char *a = memchr (p, first, (gsize) (last - p) + 1);
          const char *b = first_upper != first ? memchr (p, first_upper, (gsize) (last - p) + 1) : NULL;
          const char *hit = a == NULL ? b : (b == NULL ? a : MIN (a, b));
          gsize i;

          if (hit == NULL)
            return FALSE;
          for (i = 1; i < n->len && n->lower[(guint8) hit[i]] == (guint8) n->folded[i]; i++)
            ;
          if (i == n->len)
            return TRUE;
          p = hit + 1;
        }
      return FALSE;
    }
  else
    {
      g_autofree char *norm = g_utf8_normalize (text, (gssize) len, G_NORMALIZE_DEFAULT_COMPOSE);
      g_autofree char *folded = norm != NULL ? g_utf8_casefold (norm, -1) : NULL;

      return folded != NULL && strstr (folded, n->folded) != NULL;
    }
}

/* Every text part, shown or not, and the parts of forwarded messages. */
static gboolean
object_contains (GMimeObject  *object,
                 const Needle *n,
                 int           depth)
{
  if (object == NULL || depth > MAX_DEPTH)
    return FALSE;
  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *embedded = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      return embedded != NULL && object_contains (embedded->mime_part, n, depth + 1);
    }
  if (GMIME_IS_MULTIPART (object))
    {
      int count = g_mime_multipart_get_count (GMIME_MULTIPART (object));

      for (int i = 0; i < count; i++)
        if (object_contains (g_mime_multipart_get_part (GMIME_MULTIPART (object), i), n, depth + 1))
          return TRUE;
      return FALSE;
    }
  if (GMIME_IS_PART (object) && is_type (object, "text", "*"))
    {
      g_autofree char *text = part_text (GMIME_PART (object), TRUE);

      return needle_in (n, text, strlen (text));
    }
  return FALSE;
}

/* Parses raw, taking it over when nobody else holds it. */
static GMimeMessage *
parse_bytes (GBytes *raw)
{
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  GByteArray *array = g_bytes_unref_to_array (g_bytes_ref (raw));

  ensure_gmime ();
  stream = g_mime_stream_mem_new_with_byte_array (array);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  message = g_mime_parser_construct_message (parser, parser_options);
  g_object_unref (parser);
  g_object_unref (stream);
  return message;
}

static gboolean
raw_contains (GBytes       *raw,
              const Needle *n)
{
  GMimeMessage *mime = parse_bytes (raw);
  gboolean found;

  if (mime == NULL)
    return FALSE;
  found = object_contains (mime->mime_part, n, 0);
  g_object_unref (mime);
  return found;
}

gboolean
mw_message_raw_text_contains (GBytes     *raw,
                              const char *needle)
{
  Needle n = { 0 };
  gboolean found;

  g_return_val_if_fail (raw != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  needle_init (&n, needle);
  found = raw_contains (raw, &n);
  needle_clear (&n);
  return found;
}

MwMessageNeedle *
_mw_message_needle_new (const char *needle)
{
  MwMessageNeedle *n = g_new0 (MwMessageNeedle, 1);

  needle_init (n, needle);
  return n;
}

void
_mw_message_needle_free (MwMessageNeedle *needle)
{
  if (needle == NULL)
    return;
  needle_clear (needle);
  g_free (needle);
}

gboolean
_mw_message_raw_contains (GBytes                *raw,
                          const MwMessageNeedle *needle)
{
  return raw_contains (raw, needle);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                  */
/* ------------------------------------------------------------------------ */

static char *
address_list (InternetAddressList *list)
{
  g_autofree char *text = NULL;

  if (list == NULL || internet_address_list_length (list) == 0)
    return NULL;
  text = internet_address_list_to_string (list, NULL, FALSE);
  return text != NULL && text[0] != '\0' ? mw_mail_charset_clean (text) : NULL;
}

void
mw_message_header_free (MwMessageHeader *header)
{
  if (header == NULL)
    return;
  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

static void
message_clear (MwMessage *self)
{
  g_clear_pointer (&self->raw, g_bytes_unref);
  g_clear_object (&self->mime);
  g_free (self->from);
  g_free (self->to);
  g_free (self->cc);
  g_free (self->reply_to);
  g_free (self->subject);
  g_free (self->message_id);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_free (self->text);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
}

MwMessage *
mw_message_ref (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return g_atomic_rc_box_acquire (message);
}

void
mw_message_unref (MwMessage *message)
{
  g_return_if_fail (message != NULL);
  g_atomic_rc_box_release_full (message, (GDestroyNotify) message_clear);
}

/* The top-level header fields in their order, read from the raw block
 * (GMime moves the Content-* fields to the body part). */
static void
add_field (GPtrArray  *headers,
           GString    *field)
{
  const char *colon = memchr (field->str, ':', field->len);
  MwMessageHeader *h;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  g_autofree char *decoded = NULL;

  if (colon == NULL)
    return;
  name = g_strstrip (g_strndup (field->str, (gsize) (colon - field->str)));
  if (name[0] == '\0')
    return;
  value = g_strstrip (g_strdup (colon + 1));
  decoded = g_mime_utils_header_decode_text (parser_options, value);
  h = g_new0 (MwMessageHeader, 1);
  h->name = mw_mail_charset_clean (name);
  h->value = mw_mail_charset_clean (decoded != NULL ? decoded : value);
  g_ptr_array_add (headers, h);
}

static void
read_header_block (GPtrArray *headers,
                   GBytes    *raw)
{
  gsize len;
  const char *data = g_bytes_get_data (raw, &len);
  g_autoptr(GString) field = g_string_new (NULL);
  gsize pos = 0;

  while (pos < len)
    {
      const char *line = data + pos;
      const char *nl = memchr (line, '\n', len - pos);
      gsize line_len = nl != NULL ? (gsize) (nl - line) : len - pos;

      pos += line_len + (nl != NULL ? 1 : 0);
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
      if (line_len == 0)
        break;
      if (line[0] == ' ' || line[0] == '\t')
        {
          /* unfolding: the line break goes, the white space stays */
          g_string_append_len (field, line, (gssize) line_len);
          continue;
        }
      add_field (headers, field);
      g_string_truncate (field, 0);
      /* NUL bytes would cut the field short */
      for (gsize i = 0; i < line_len; i++)
        g_string_append_c (field, line[i] != '\0' ? line[i] : ' ');
    }
  add_field (headers, field);
}

MwMessage *
_mw_message_new (GBytes             *raw,
                 gint64              physmessage_id,
                 MwMessageLoadFlags  flags)
{
  MwMessage *self = g_atomic_rc_box_new0 (MwMessage);
  GMimeMessage *mime;
  Walk walk = { 0 };

  self->physmessage_id = physmessage_id;
  self->hide_bodies = (flags & MW_MESSAGE_HIDE_BODIES) != 0;
  self->raw = g_bytes_ref (raw);
  self->mime = mime = parse_bytes (raw);
  self->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_message_header_free);

  walk.text = g_string_new (NULL);
  walk.attachments = g_ptr_array_new_with_free_func (attachment_free);

  if (mime != NULL)
    {
      GDateTime *date = g_mime_message_get_date (mime);

      self->from = address_list (g_mime_message_get_from (mime));
      self->to = address_list (g_mime_message_get_to (mime));
      self->cc = address_list (g_mime_message_get_cc (mime));
      self->reply_to = address_list (g_mime_message_get_reply_to (mime));
      self->subject = mw_mail_charset_clean (g_mime_message_get_subject (mime));
      self->message_id = mw_mail_charset_clean (g_mime_message_get_message_id (mime));
      self->date = date != NULL ? g_date_time_ref (date) : NULL;
      walk_display (&walk, mime->mime_part, TRUE, 0);
    }
  else
    mw_mail_charset_append (walk.text, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), NULL);

  read_header_block (self->headers, raw);

  if (walk.text->len > 0 && walk.text->str[walk.text->len - 1] != '\n')
    g_string_append_c (walk.text, '\n');
  self->text = g_string_free (walk.text, FALSE);
  self->text_is_html = walk.from_html;
  self->attachments = walk.attachments;

  /* Privacy: keep nothing a caller could read a body from. */
  if (self->hide_bodies)
    {
      for (guint i = 0; i < self->attachments->len; i++)
        g_clear_object (&((Attachment *) g_ptr_array_index (self->attachments, i))->object);
      g_clear_pointer (&self->text, g_free);
      g_clear_pointer (&self->raw, g_bytes_unref);
      g_clear_object (&self->mime);
    }
  return self;
}

MwMessage *
mw_message_new_from_bytes (GBytes             *raw,
                           MwMessageLoadFlags  flags)
{
  g_return_val_if_fail (raw != NULL, NULL);

  return _mw_message_new (raw, 0, flags);
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */
/* ------------------------------------------------------------------------ */

static gboolean
refuse_private (MwMessage  *self,
                GError    **error)
{
  if (!self->hide_bodies)
    return FALSE;
  g_set_error_literal (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_PRIVATE,
                       _("Message bodies are hidden: the preference “Hide message bodies” is on, so only headers can be shown."));
  return TRUE;
}

gint64
mw_message_get_physmessage_id (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, 0);
  return message->physmessage_id;
}

gboolean
mw_message_is_private (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, FALSE);
  return message->hide_bodies;
}

const char *
mw_message_get_from (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->from;
}

const char *
mw_message_get_to (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->to;
}

const char *
mw_message_get_cc (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->cc;
}

const char *
mw_message_get_reply_to (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->reply_to;
}

const char *
mw_message_get_subject (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->subject;
}

const char *
mw_message_get_message_id (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->message_id;
}

GDateTime *
mw_message_get_date (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->date;
}

GPtrArray *
mw_message_get_headers (MwMessage *message)
{
  GPtrArray *copy;

  g_return_val_if_fail (message != NULL, NULL);

  copy = g_ptr_array_new_full (message->headers->len, (GDestroyNotify) mw_message_header_free);
  for (guint i = 0; i < message->headers->len; i++)
    {
      MwMessageHeader *h = g_ptr_array_index (message->headers, i);
      MwMessageHeader *c = g_new0 (MwMessageHeader, 1);

      c->name = g_strdup (h->name);
      c->value = g_strdup (h->value);
      g_ptr_array_add (copy, c);
    }
  return copy;
}

char *
mw_message_dup_header (MwMessage  *message,
                       const char *name)
{
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < message->headers->len; i++)
    {
      MwMessageHeader *h = g_ptr_array_index (message->headers, i);

      if (g_ascii_strcasecmp (h->name, name) == 0)
        return g_strdup (h->value);
    }
  return NULL;
}

const char *
mw_message_get_text (MwMessage  *message,
                     GError    **error)
{
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (refuse_private (message, error))
    return NULL;
  return message->text;
}

gboolean
mw_message_get_text_is_html (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, FALSE);
  return message->text_is_html;
}

GPtrArray *
mw_message_get_attachments (MwMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return message->attachments;
}

GBytes *
mw_message_get_attachment (MwMessage  *message,
                           guint       index,
                           GError    **error)
{
  Attachment *a;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (refuse_private (message, error))
    return NULL;
  if (index >= message->attachments->len)
    {
      g_set_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_NO_ATTACHMENT,
                   _("The message has no attachment number %u."), index);
      return NULL;
    }
  a = g_ptr_array_index (message->attachments, index);
  if (GMIME_IS_PART (a->object))
    return decode_part (GMIME_PART (a->object));
  if (GMIME_IS_MESSAGE_PART (a->object))
    {
      GMimeMessage *embedded = g_mime_message_part_get_message (GMIME_MESSAGE_PART (a->object));
      GMimeStream *mem = g_mime_stream_mem_new ();
      GByteArray *array;

      if (embedded != NULL)
        g_mime_object_write_to_stream (GMIME_OBJECT (embedded), NULL, mem);
      g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
      array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
      g_object_unref (mem);
      return g_byte_array_free_to_bytes (array);
    }
  return g_bytes_new_static ("", 0);
}

GBytes *
mw_message_get_raw (MwMessage  *message,
                    GError    **error)
{
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (refuse_private (message, error))
    return NULL;
  return g_bytes_ref (message->raw);
}

gboolean
mw_message_save_eml (MwMessage   *message,
                     const char  *path,
                     GError     **error)
{
  gsize len;
  const char *data;
  GString *out;
  gboolean ok;

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (refuse_private (message, error))
    return FALSE;
  /* as DBMail sends it (get_crlf_encoded): every bare LF becomes CRLF */
  data = g_bytes_get_data (message->raw, &len);
  out = g_string_sized_new (len + len / 30 + 1);
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
        g_string_append_c (out, '\r');
      g_string_append_c (out, data[i]);
    }
  ok = g_file_set_contents_full (path, out->str, (gssize) out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  g_string_free (out, TRUE);
  return ok;
}

gboolean
mw_message_text_contains (MwMessage  *message,
                          const char *needle)
{
  Needle n = { 0 };
  gboolean found;

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  if (message->hide_bodies || needle[0] == '\0')
    return FALSE;
  needle_init (&n, needle);
  found = message->mime != NULL ? object_contains (message->mime->mime_part, &n, 0)
                                : needle_in (&n, message->text, strlen (message->text));
  needle_clear (&n);
  return found;
}
