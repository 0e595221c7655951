/* mw-message-store.c: store raw messages into a DBMail 3.x database the way DBMail 3.5 does, and read them back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-message-store"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>

#include "mw-message-store.h"

G_DEFINE_QUARK (mw-message-store-error-quark, mw_message_store_error)

/* How DBMail 3.5 stores a message and what its IMAP server gives back
 * (src/dm_message.c of DBMail 3.5: store_mime_object and friends for the
 * writer, _mime_retrieve for the reader). Both sides are followed here
 * step by step, GMime included, so that the rows we write are the rows a
 * real DBMail writes and the text we show is the text its IMAP server sends
 * for BODY[] (with LF line ends).
 *
 * Writing: GMime parses the message. Every entity leaves its header block
 * as GMime writes it (is_header = 1, a new part_key, part_order 0) and then
 * one body blob: what GMime writes for the entity minus that header block,
 * not stored when empty. A multipart leaves its prologue and its epilogue
 * instead (when GMime found one, even an empty one); its children go one
 * part_depth deeper with part_order starting again at 0, and the epilogue
 * comes after them at the multipart's depth with part_order moved on by
 * one. A message/rfc822 part leaves its own header, then the embedded
 * message's at the same depth. The top part of a message leaves no header
 * of its own: its Content- fields are in the message's header block. Every
 * blob moves part_order on.
 *
 * Reading: the rows in ORDER BY part_key, part_order, part_depth DESC are
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
#define CACHE_WIDTH      255     /* DBMail's CACHE_WIDTH: sortfield gets 254 characters */
#define MYSQL_TEXT_MAX   65535   /* TEXT columns on MySQL */
#define ENVELOPE_STR_MAX 4096
#define ENVELOPE_ADDRS   100
#define ROWS_PER_INSERT  64
#define DELIVERY_USER    "__@!internal_delivery_user!@__"

/* The header names every DBMail program registers at start-up; with the
 * default header_cache_readonly only these are cached. */
static const char *const cached_names[] = {
  "from", "to", "cc", "bcc", "date", "subject", "content-type",
  "content-disposition", "references", "in-reply-to", "reply-to", "return-path",
};

static const char *const month_names[] = {
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};

/* ------------------------------------------------------------------------ */
/* Small string helpers                                                     */
/* ------------------------------------------------------------------------ */

static gboolean
is_wsp (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes of a header as UTF-8: kept when valid, else read as ISO-8859-1 (the
 * usual charset of raw 8-bit headers); NUL and control characters become
 * spaces so that the text fits a TEXT column. */
static char *
bytes_to_utf8 (const char *text,
               gsize       len)
{
  char *out;

  if (g_utf8_validate (text, (gssize) len, NULL))
    out = g_strndup (text, len);
  else
    out = g_convert (text, (gssize) len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  if (out == NULL)
    out = g_utf8_make_valid (text, (gssize) len);
  for (char *p = out; *p != '\0'; p++)
    if ((guchar) *p < 0x20 && *p != '\t')
      *p = ' ';
  return out;
}

/* At most max_bytes of UTF-8 text, never cutting a character. */
static char *
utf8_cut_bytes (const char *text,
                gsize       max_bytes)
{
  gsize len = strlen (text);
  const char *end;

  if (len <= max_bytes)
    return g_strdup (text);
  end = g_utf8_find_prev_char (text, text + max_bytes + 1);
  if (end == NULL)
    return g_strdup ("");
  return g_strndup (text, (gsize) (end - text));
}

static char *
utf8_cut_chars (const char *text,
                glong       max_chars)
{
  if (g_utf8_strlen (text, -1) <= max_chars)
    return g_strdup (text);
  return g_utf8_substring (text, 0, max_chars);
}

static char *
sha1_hex (const void *data,
          gsize       len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA1, data, len);
}

/* ------------------------------------------------------------------------ */
/* Header fields                                                            */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char *name;    /* as written */
  char *value;   /* raw bytes, unfolded, surrounding white space removed */
} HeaderField;

static void
header_field_free (gpointer data)
{
  HeaderField *field = data;

  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

static void
finish_field (GPtrArray   *fields,
              char        *name,
              GString     *value)
{
  HeaderField *field;

  if (name == NULL)
    return;
  field = g_new0 (HeaderField, 1);
  field->name = name;
  field->value = g_strstrip (g_string_free (value, FALSE));
  g_ptr_array_add (fields, field);
}

/* The fields of a header block. Continuation lines are joined without their
 * line break; lines without a colon (an mbox From_ line, junk) are skipped,
 * as are names with spaces in them (as DBMail does). */
static GPtrArray *
parse_header_fields (const char *data,
                     gsize       len)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (header_field_free);
  char *name = NULL;
  GString *value = NULL;
  gsize pos = 0;

  while (pos < len)
    {
      const char *line = data + pos;
      const char *nl = memchr (line, '\n', len - pos);
      gsize line_len = nl != NULL ? (gsize) (nl - line) : len - pos;
      gsize next = pos + line_len + (nl != NULL ? 1 : 0);

      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;

      if (line_len > 0 && (line[0] == ' ' || line[0] == '\t'))
        {
          if (name != NULL)
            g_string_append_len (value, line, (gssize) line_len);
        }
      else
        {
          const char *colon = memchr (line, ':', line_len);

          finish_field (fields, name, value);
          name = NULL;
          value = NULL;
          if (colon != NULL)
            {
              g_autofree char *n = g_strstrip (g_strndup (line, (gsize) (colon - line)));

              if (n[0] != '\0' && strpbrk (n, " \t") == NULL)
                {
                  name = g_steal_pointer (&n);
                  value = g_string_new_len (colon + 1, (gssize) (line + line_len - colon - 1));
                }
            }
        }
      pos = next;
    }
  finish_field (fields, name, value);
  return fields;
}

static const char *
fields_get (GPtrArray  *fields,
            const char *name)
{
  for (guint i = 0; i < fields->len; i++)
    {
      HeaderField *field = g_ptr_array_index (fields, i);

      if (g_ascii_strcasecmp (field->name, name) == 0)
        return field->value;
    }
  return NULL;
}

/* "text/plain; charset=x; boundary="b"" -> "text/plain" and "b". */
static void
parse_content_type (const char  *value,
                    char       **mime_type,
                    char       **boundary)
{
  const char *p = value;
  const char *start;

  *mime_type = NULL;
  *boundary = NULL;
  if (value == NULL)
    return;

  while (is_wsp (*p))
    p++;
  start = p;
  while (*p != '\0' && *p != ';' && !is_wsp (*p) && *p != '(')
    p++;
  if (p > start && memchr (start, '/', (gsize) (p - start)) != NULL)
    *mime_type = g_ascii_strdown (start, p - start);

  while (*p != '\0')
    {
      g_autofree char *pname = NULL;
      g_autoptr(GString) pvalue = NULL;

      /* to the next parameter, skipping comments */
      while (*p != '\0' && *p != ';')
        {
          if (*p == '(')
            {
              int level = 0;

              do
                {
                  if (*p == '\\' && p[1] != '\0')
                    p++;
                  else if (*p == '(')
                    level++;
                  else if (*p == ')')
                    level--;
                  p++;
                }
              while (*p != '\0' && level > 0);
            }
          else
            p++;
        }
      if (*p == '\0')
        break;
      p++;
      while (is_wsp (*p))
        p++;
      start = p;
      while (*p != '\0' && *p != '=' && *p != ';')
        p++;
      pname = g_strstrip (g_strndup (start, (gsize) (p - start)));
      if (*p != '=')
        continue;
      p++;
      while (is_wsp (*p))
        p++;
      pvalue = g_string_new (NULL);
      if (*p == '"')
        {
          for (p++; *p != '\0' && *p != '"'; p++)
            {
              if (*p == '\\' && p[1] != '\0')
                p++;
              g_string_append_c (pvalue, *p);
            }
          if (*p == '"')
            p++;
        }
      else
        {
          while (*p != '\0' && *p != ';' && !is_wsp (*p))
            g_string_append_c (pvalue, *p++);
        }
      if (*boundary == NULL && g_ascii_strcasecmp (pname, "boundary") == 0 && pvalue->len > 0)
        *boundary = g_string_free (g_steal_pointer (&pvalue), FALSE);
    }
}

/* ------------------------------------------------------------------------ */
/* RFC 2047 decoding                                                        */
/* ------------------------------------------------------------------------ */

static GBytes *
decode_q (const char *text,
          gsize       len)
{
  GByteArray *out = g_byte_array_sized_new ((guint) len);

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = (guint8) text[i];

      if (c == '_')
        c = ' ';
      else if (c == '=' && i + 2 < len && g_ascii_isxdigit (text[i + 1]) && g_ascii_isxdigit (text[i + 2]))
        {
          c = (guint8) (g_ascii_xdigit_value (text[i + 1]) * 16 + g_ascii_xdigit_value (text[i + 2]));
          i += 2;
        }
      g_byte_array_append (out, &c, 1);
    }
  return g_byte_array_free_to_bytes (out);
}

static GBytes *
decode_b (const char *text,
          gsize       len)
{
  guchar *out = g_malloc (len * 3 / 4 + 4);
  int state = 0;
  guint save = 0;
  gsize n = g_base64_decode_step (text, len, out, &state, &save);

  return g_bytes_new_take (out, n);
}

static char *
charset_to_utf8 (GBytes     *bytes,
                 const char *charset)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *cs = g_strdup (charset);
  char *star = strchr (cs, '*');   /* RFC 2231 language suffix */
  char *out = NULL;

  if (star != NULL)
    *star = '\0';
  if (g_ascii_strcasecmp (cs, "utf-8") != 0 && g_ascii_strcasecmp (cs, "utf8") != 0 &&
      g_ascii_strcasecmp (cs, "us-ascii") != 0)
    out = g_convert (data, (gssize) len, "UTF-8", cs, NULL, NULL, NULL);
  if (out == NULL)
    out = bytes_to_utf8 (data, len);
  return out;
}

/* Tries one encoded word =?charset?Q|B?text?= at p; returns its end. */
static const char *
decode_encoded_word (const char  *p,
                     const char  *end,
                     GString     *out)
{
  const char *charset_start = p + 2;
  const char *q = charset_start;
  const char *text;
  char encoding;
  g_autofree char *charset = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autofree char *utf8 = NULL;

  while (q < end && *q != '?' && !is_wsp (*q))
    q++;
  if (q >= end || *q != '?' || q == charset_start || q + 3 >= end || q[2] != '?')
    return NULL;
  encoding = g_ascii_toupper (q[1]);
  if (encoding != 'Q' && encoding != 'B')
    return NULL;
  text = q + 3;
  for (q = text; q + 1 < end; q++)
    {
      if (is_wsp (*q))
        return NULL;
      if (q[0] == '?' && q[1] == '=')
        break;
    }
  if (q + 1 >= end)
    return NULL;

  charset = g_strndup (charset_start, (gsize) (strchr (charset_start, '?') - charset_start));
  decoded = encoding == 'Q' ? decode_q (text, (gsize) (q - text)) : decode_b (text, (gsize) (q - text));
  utf8 = charset_to_utf8 (decoded, charset);
  g_string_append (out, utf8);
  return q + 2;
}

/* A header value with RFC 2047 encoded words decoded, as UTF-8. */
static char *
decode_header_value (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = value;
  const char *end = value + strlen (value);
  const char *pending = NULL;   /* white space not yet copied */
  gboolean after_word = FALSE;

  while (p < end)
    {
      if (is_wsp (*p))
        {
          if (pending == NULL)
            pending = p;
          p++;
          continue;
        }
      if (p[0] == '=' && p + 1 < end && p[1] == '?')
        {
          gsize before = out->len;
          const char *next;

          /* White space between two encoded words disappears. */
          if (pending != NULL && !after_word)
            g_string_append_len (out, pending, p - pending);
          next = decode_encoded_word (p, end, out);
          if (next != NULL)
            {
              pending = NULL;
              after_word = TRUE;
              p = next;
              continue;
            }
          g_string_truncate (out, before);
        }
      if (pending != NULL)
        {
          g_string_append_len (out, pending, p - pending);
          pending = NULL;
        }
      {
        const char *start = p;
        g_autofree char *utf8 = NULL;

        while (p < end && !is_wsp (*p) && !(p > start && p[0] == '=' && p + 1 < end && p[1] == '?'))
          p++;
        utf8 = bytes_to_utf8 (start, (gsize) (p - start));
        g_string_append (out, utf8);
        after_word = FALSE;
      }
    }

  {
    char *valid = bytes_to_utf8 (out->str, out->len);

    g_string_free (out, TRUE);
    return g_strstrip (valid);
  }
}

/* ------------------------------------------------------------------------ */
/* Addresses                                                                */
/* ------------------------------------------------------------------------ */

typedef enum
{
  ADDRESS_MAILBOX,
  ADDRESS_GROUP_START,
  ADDRESS_GROUP_END,
} AddressKind;

typedef struct
{
  AddressKind kind;
  char       *name;      /* raw phrase without quotes, or the group name; may be NULL */
  char       *mailbox;   /* local part */
  char       *host;
} Address;

static void
address_free (gpointer data)
{
  Address *a = data;

  g_free (a->name);
  g_free (a->mailbox);
  g_free (a->host);
  g_free (a);
}

static char *
take_trimmed (GString *s)
{
  char *text = g_strstrip (g_strdup (s->str));

  g_string_truncate (s, 0);
  if (text[0] == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static void
finish_address (GPtrArray *list,
                GString   *phrase,
                GString   *angle,
                GString   *comment,
                gboolean   have_angle)
{
  g_autofree char *name = NULL;
  g_autofree char *addr = NULL;
  Address *a;
  char *at;

  if (have_angle)
    {
      /* obsolete source route: <@a,@b:user@host> */
      const char *colon = strrchr (angle->str, ':');
      g_autoptr(GString) compact = g_string_new (NULL);

      for (const char *p = colon != NULL ? colon + 1 : angle->str; *p != '\0'; p++)
        if (!is_wsp (*p))
          g_string_append_c (compact, *p);
      addr = compact->len > 0 ? g_strdup (compact->str) : NULL;
      name = take_trimmed (phrase);
      if (name == NULL)
        name = take_trimmed (comment);
    }
  else
    {
      g_autoptr(GString) compact = g_string_new (NULL);

      for (const char *p = phrase->str; *p != '\0'; p++)
        if (!is_wsp (*p))
          g_string_append_c (compact, *p);
      addr = compact->len > 0 ? g_strdup (compact->str) : NULL;
      name = take_trimmed (comment);
    }
  g_string_truncate (phrase, 0);
  g_string_truncate (angle, 0);
  g_string_truncate (comment, 0);

  if (addr == NULL)
    return;
  a = g_new0 (Address, 1);
  a->kind = ADDRESS_MAILBOX;
  a->name = g_steal_pointer (&name);
  at = strrchr (addr, '@');
  if (at != NULL)
    {
      a->host = g_strdup (at + 1);
      a->mailbox = g_strndup (addr, (gsize) (at - addr));
    }
  else
    a->mailbox = g_steal_pointer (&addr);
  g_ptr_array_add (list, a);
}

/* A forgiving RFC 5322 address-list parser: "Name <a@b>", "a@b (Name)",
 * quoted names, groups "team: a@b, c@d;". */
static GPtrArray *
parse_addresses (const char *value)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (address_free);
  g_autoptr(GString) phrase = g_string_new (NULL);
  g_autoptr(GString) angle = g_string_new (NULL);
  g_autoptr(GString) comment = g_string_new (NULL);
  gboolean have_angle = FALSE;
  gboolean in_group = FALSE;
  const char *p = value != NULL ? value : "";

  for (;;)
    {
      char c = *p;

      if (c == '"')
        {
          for (p++; *p != '\0' && *p != '"'; p++)
            {
              if (*p == '\\' && p[1] != '\0')
                p++;
              g_string_append_c (phrase, *p);
            }
          if (*p == '"')
            p++;
          continue;
        }
      if (c == '(')
        {
          int level = 1;

          for (p++; *p != '\0'; p++)
            {
              if (*p == '\\' && p[1] != '\0')
                p++;
              else if (*p == '(')
                level++;
              else if (*p == ')' && --level == 0)
                break;
              g_string_append_c (comment, *p);
            }
          if (*p == ')')
            p++;
          continue;
        }
      if (c == '<')
        {
          have_angle = TRUE;
          for (p++; *p != '\0' && *p != '>'; p++)
            g_string_append_c (angle, *p);
          if (*p == '>')
            p++;
          continue;
        }
      if (c == ':' && !have_angle && !in_group && strchr (phrase->str, '@') == NULL)
        {
          Address *a = g_new0 (Address, 1);

          a->kind = ADDRESS_GROUP_START;
          a->name = take_trimmed (phrase);
          g_string_truncate (comment, 0);
          g_ptr_array_add (list, a);
          in_group = TRUE;
          p++;
          continue;
        }
      if (c == ',' || c == ';' || c == '\0')
        {
          finish_address (list, phrase, angle, comment, have_angle);
          have_angle = FALSE;
          if ((c == ';' || c == '\0') && in_group)
            {
              Address *a = g_new0 (Address, 1);

              a->kind = ADDRESS_GROUP_END;
              g_ptr_array_add (list, a);
              in_group = FALSE;
            }
          if (c == '\0')
            break;
          p++;
          continue;
        }
      if (is_wsp (c))
        {
          if (phrase->len > 0 && phrase->str[phrase->len - 1] != ' ')
            g_string_append_c (phrase, ' ');
        }
      else
        g_string_append_c (phrase, c);
      p++;
    }
  return list;
}

static void
append_address_text (GString *out,
                     Address *a)
{
  g_autofree char *name = a->name != NULL ? decode_header_value (a->name) : NULL;

  if (name != NULL && name[0] == '\0')
    g_clear_pointer (&name, g_free);
  if (name != NULL)
    g_string_append_printf (out, strchr (name, ',') != NULL ? "\"%s\" " : "%s ", name);
  g_string_append (out, name != NULL ? "<" : "");
  g_string_append (out, a->mailbox);
  if (a->host != NULL)
    g_string_append_printf (out, "@%s", a->host);
  g_string_append (out, name != NULL ? ">" : "");
}

/* DBMail's _header_addresses: "Name <a@b>, c@d, team: e@f, g@h;" with the
 * names decoded; sortfield = the local part of the first address (or the
 * first group's name). */
static char *
format_addresses (GPtrArray  *list,
                  char      **sortfield)
{
  GString *out = g_string_new (NULL);
  guint top = 0;
  guint member = 0;
  gboolean in_group = FALSE;

  *sortfield = NULL;
  for (guint i = 0; i < list->len; i++)
    {
      Address *a = g_ptr_array_index (list, i);

      switch (a->kind)
        {
        case ADDRESS_GROUP_START:
          {
            g_autofree char *name = a->name != NULL ? decode_header_value (a->name) : g_strdup ("");

            if (top++ > 0)
              g_string_append_c (out, ' ');
            g_string_append_printf (out, strchr (name, ',') != NULL ? "\"%s\":" : "%s:", name);
            if (*sortfield == NULL)
              *sortfield = g_strdup (name);
            in_group = TRUE;
            member = 0;
          }
          break;
        case ADDRESS_GROUP_END:
          g_string_append_c (out, ';');
          in_group = FALSE;
          break;
        case ADDRESS_MAILBOX:
        default:
          if (in_group)
            g_string_append (out, member++ > 0 ? ", " : " ");
          else if (top++ > 0)
            g_string_append (out, ", ");
          append_address_text (out, a);
          if (*sortfield == NULL)
            *sortfield = bytes_to_utf8 (a->mailbox, strlen (a->mailbox));
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Dates and subjects                                                       */
/* ------------------------------------------------------------------------ */

static int
month_of (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (g_ascii_strncasecmp (word, month_names[i], 3) == 0)
      return (int) i + 1;
  return 0;
}

static int
zone_offset_of (const char *word,
                gboolean   *known)
{
  static const struct { const char *name; int hours; } zones[] = {
    { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
    { "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
    { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
  };

  *known = TRUE;
  if ((word[0] == '+' || word[0] == '-') && strlen (word) == 5 &&
      g_ascii_isdigit (word[1]) && g_ascii_isdigit (word[2]) &&
      g_ascii_isdigit (word[3]) && g_ascii_isdigit (word[4]))
    {
      int hh = (word[1] - '0') * 10 + (word[2] - '0');
      int mm = (word[3] - '0') * 10 + (word[4] - '0');
      int seconds = hh * 3600 + mm * 60;

      return word[0] == '-' ? -seconds : seconds;
    }
  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    if (g_ascii_strcasecmp (word, zones[i].name) == 0)
      return zones[i].hours * 3600;
  *known = FALSE;
  return 0;
}

/* RFC 5322 date-time, with the obsolete forms (two-digit years, zone names,
 * comments). The result keeps the zone of the header. */
static GDateTime *
parse_date (const char *value)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GTimeZone) tz = NULL;
  int day = 0, month = 0, year = -1, hour = -1, minute = -1, second = 0, offset = 0;
  const char *p = value;

  while (*p != '\0')
    {
      const char *start;

      if (*p == '(')
        {
          int level = 0;

          do
            {
              if (*p == '(')
                level++;
              else if (*p == ')')
                level--;
              p++;
            }
          while (*p != '\0' && level > 0);
          continue;
        }
      if (is_wsp (*p) || *p == ',')
        {
          p++;
          continue;
        }
      start = p;
      while (*p != '\0' && !is_wsp (*p) && *p != ',' && *p != '(')
        p++;
      g_ptr_array_add (words, g_strndup (start, (gsize) (p - start)));
    }

  for (guint i = 0; i < words->len; i++)
    {
      const char *w = g_ptr_array_index (words, i);
      gboolean known;
      int z;

      if (strchr (w, ':') != NULL && hour < 0)
        {
          if (sscanf (w, "%d:%d:%d", &hour, &minute, &second) < 2)
            return NULL;
        }
      else if (g_ascii_isalpha (w[0]) && month == 0 && month_of (w) != 0 && strlen (w) >= 3 &&
               (strlen (w) == 3 || g_ascii_isalpha (w[3])))
        month = month_of (w);
      else if (g_ascii_isdigit (w[0]) && day == 0 && month == 0 && strlen (w) <= 2)
        day = atoi (w);
      else if (g_ascii_isdigit (w[0]) && day == 0 && month != 0 && year < 0 && strlen (w) <= 2)
        day = atoi (w);
      else if (g_ascii_isdigit (w[0]) && year < 0 && month != 0)
        {
          year = atoi (w);
          if (strlen (w) == 2)
            year += year < 50 ? 2000 : 1900;
          else if (strlen (w) == 3)
            year += 1900;
        }
      else if (hour >= 0 && ((z = zone_offset_of (w, &known)), known))
        offset = z;
    }

  if (day < 1 || day > 31 || month < 1 || year < 1 || year > 9999 ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
    return NULL;
  if (second == 60)
    second = 59;
  tz = g_time_zone_new_offset (offset);
  return g_date_time_new (tz, year, month, day, hour, minute, second);
}

/* "Wed, 05 Nov 2025 10:11:12 +0100" in the C locale. */
static char *
format_rfc5322_date (GDateTime *dt)
{
  static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autofree char *time = g_date_time_format (dt, "%H:%M:%S %z");

  return g_strdup_printf ("%s, %02d %s %04d %s", days[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt), months[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt), time);
}

static gboolean
strip_prefix_ci (GString    *s,
                 const char *prefix)
{
  gsize n = strlen (prefix);

  if (s->len >= n && g_ascii_strncasecmp (s->str, prefix, n) == 0)
    {
      g_string_erase (s, 0, (gssize) n);
      return TRUE;
    }
  return FALSE;
}

/* The RFC 5256 base subject, lower-cased, like DBMail's dm_base_subject. */
static char *
base_subject (const char *decoded)
{
  g_autoptr(GString) s = g_string_new (NULL);
  gboolean changed = TRUE;

  for (const char *p = decoded; *p != '\0'; p++)
    {
      if (is_wsp (*p))
        {
          if (s->len > 0 && s->str[s->len - 1] != ' ')
            g_string_append_c (s, ' ');
        }
      else
        g_string_append_c (s, *p);
    }

  while (changed)
    {
      changed = FALSE;

      /* trailing "(fwd)" and white space */
      for (;;)
        {
          while (s->len > 0 && s->str[s->len - 1] == ' ')
            g_string_truncate (s, s->len - 1);
          if (s->len >= 5 && g_ascii_strcasecmp (s->str + s->len - 5, "(fwd)") == 0)
            g_string_truncate (s, s->len - 5);
          else
            break;
        }

      /* leading "re:", "fw:", "fwd:" (with an optional [blob]), and [blob]s */
      for (;;)
        {
          gboolean step = FALSE;
          gsize save_len;
          g_autofree char *save = NULL;

          while (s->len > 0 && s->str[0] == ' ')
            g_string_erase (s, 0, 1);
          save = g_strdup (s->str);
          save_len = s->len;
          if (strip_prefix_ci (s, "re") || strip_prefix_ci (s, "fwd") || strip_prefix_ci (s, "fw"))
            {
              while (s->len > 0 && s->str[0] == ' ')
                g_string_erase (s, 0, 1);
              if (s->len > 0 && s->str[0] == '[')
                {
                  const char *close = strchr (s->str, ']');

                  if (close != NULL)
                    g_string_erase (s, 0, close - s->str + 1);
                }
              while (s->len > 0 && s->str[0] == ' ')
                g_string_erase (s, 0, 1);
              if (s->len > 0 && s->str[0] == ':')
                {
                  g_string_erase (s, 0, 1);
                  step = TRUE;
                }
              else
                {
                  g_string_assign (s, save);
                  g_assert (s->len == save_len);
                }
            }
          if (!step && s->len > 0 && s->str[0] == '[')
            {
              const char *close = strchr (s->str, ']');

              if (close != NULL && close[1] != '\0')
                {
                  g_autofree char *rest = g_strstrip (g_strdup (close + 1));

                  if (rest[0] != '\0')
                    {
                      g_string_assign (s, rest);
                      step = TRUE;
                    }
                }
            }
          if (!step)
            break;
          changed = TRUE;
        }

      /* "[fwd: subject]" */
      if (s->len >= 6 && g_ascii_strncasecmp (s->str, "[fwd:", 5) == 0 && s->str[s->len - 1] == ']')
        {
          g_string_truncate (s, s->len - 1);
          g_string_erase (s, 0, 5);
          changed = TRUE;
        }
    }

  return g_utf8_strdown (s->str, -1);
}

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
static GMimeObject *
parse_like_dbmail (const char *text)
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

/* ------------------------------------------------------------------------ */
/* Writing rows: store_mime_object                                          */
/* ------------------------------------------------------------------------ */

static void
message_part_free (gpointer data)
{
  MwMessagePart *part = data;

  g_clear_pointer (&part->data, g_bytes_unref);
  g_free (part);
}

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
static GBytes *
serve_text (char *text)
{
  GMimeObject *object = parse_like_dbmail (text);
  char *served;

  if (object == NULL)
    return g_bytes_new_take (text, strlen (text));
  served = g_mime_object_to_string (object, NULL);
  g_object_unref (object);
  g_free (text);
  return g_bytes_new_take (served, strlen (served));
}

/* ------------------------------------------------------------------------ */
/* Rows without a database                                                  */
/* ------------------------------------------------------------------------ */

static int
compare_parts (gconstpointer a,
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

/* The rows of a message with LF line ends, as DBMail's writer leaves them,
 * and in rfc_size the size DBMail gives it with CRLF line ends (the size of
 * GMime's serialisation of the message it parsed). A message GMime cannot
 * read at all (DBMail refuses those unless allow_invalid_messages is set)
 * is kept as one header row so that nothing is lost. */
static GPtrArray *
split_normalized (GBytes *message,
                  gsize  *rfc_size)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  GMimeObject *object = parse_like_dbmail (text);
  Writer w = { 0 };

  w.parts = g_ptr_array_new_with_free_func (message_part_free);
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
  return split_normalized (message, NULL);
}

static GPtrArray *
sorted_copy (GPtrArray *parts)
{
  /* not g_ptr_array_copy: that would take over the free function */
  GPtrArray *sorted = g_ptr_array_sized_new (parts->len);

  for (guint i = 0; i < parts->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (parts, i));
  g_ptr_array_sort (sorted, compare_parts);
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
  return serve_text (assemble_sorted (sorted));
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

/* INSERT that gives back the new row's id: RETURNING on PostgreSQL, the
 * insert id on MySQL. */
static gint64
insert_returning_id (MwDb             *db,
                     const char       *sql,
                     const char       *id_column,
                     const MwDbValue  *params,
                     guint             n_params,
                     GError          **error)
{
  g_autoptr(MwDbResult) result = NULL;
  g_autofree char *full = NULL;
  gint64 id = 0;

  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    {
      full = g_strdup_printf ("%s RETURNING %s", sql, id_column);
      result = exec_sql (db, full, params, n_params, error);
      if (result != NULL && mw_db_result_get_n_rows (result) > 0)
        id = mw_db_result_get_int64 (result, 0, 0);
    }
  else
    {
      result = exec_sql (db, sql, params, n_params, error);
      if (result != NULL)
        id = mw_db_result_get_insert_id (result);
    }
  if (result != NULL && id <= 0)
    g_set_error (error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_FAILED,
                 _("The database did not report the number of the new row."));
  return result != NULL ? id : 0;
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
      b->id = insert_returning_id (db, "INSERT INTO {mimeparts} (hash, data, size) VALUES ($1, $2, $3)",
                                   "id", params, G_N_ELEMENTS (params), error);
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

typedef struct
{
  gint64  name_id;
  char   *value;
  char   *hash;
  char   *sortfield;
  char   *datefield;   /* "YYYY-MM-DD 00:00:00" or NULL */
  gint64  value_id;
} CacheItem;

static void
cache_item_free (gpointer data)
{
  CacheItem *item = data;

  g_free (item->value);
  g_free (item->hash);
  g_free (item->sortfield);
  g_free (item->datefield);
  g_free (item);
}

static GHashTable *
load_header_names (MwDb    *db,
                   GError **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) sql = g_string_new ("SELECT id, lower(headername) FROM {headername} WHERE lower(headername) IN (");
  MwDbValue params[G_N_ELEMENTS (cached_names)];
  g_autoptr(MwDbResult) result = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cached_names); i++)
    params[i] = MW_DB_TEXT (cached_names[i]);
  append_placeholders (sql, 1, G_N_ELEMENTS (cached_names));
  g_string_append (sql, ")");
  result = exec_sql (db, sql->str, params, G_N_ELEMENTS (params), error);
  if (result == NULL)
    return NULL;
  for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
    {
      gint64 *id = g_new (gint64, 1);

      *id = mw_db_result_get_int64 (result, row, 0);
      g_hash_table_insert (names, g_strdup (mw_db_result_get_string (result, row, 1)), id);
    }

  /* Every DBMail program inserts the twelve names when it starts. */
  for (guint i = 0; i < G_N_ELEMENTS (cached_names); i++)
    {
      MwDbValue p[] = { MW_DB_TEXT (cached_names[i]) };
      gint64 *id;

      if (g_hash_table_contains (names, cached_names[i]))
        continue;
      id = g_new (gint64, 1);
      *id = insert_returning_id (db, "INSERT INTO {headername} (headername) VALUES ($1)", "id", p, 1, error);
      if (*id == 0)
        {
          g_free (id);
          return NULL;
        }
      g_hash_table_insert (names, g_strdup (cached_names[i]), id);
    }
  return g_steal_pointer (&names);
}

static void
add_cache_item (GPtrArray  *items,
                MwDbDriver  driver,
                gint64      name_id,
                char       *value,        /* (transfer full) */
                char       *sortfield,    /* (transfer full) (nullable) */
                char       *datefield)    /* (transfer full) (nullable) */
{
  CacheItem *item = g_new0 (CacheItem, 1);

  /* A MySQL TEXT column holds 64 KiB. */
  if (driver == MW_DB_DRIVER_MYSQL && strlen (value) > MYSQL_TEXT_MAX)
    {
      char *cut = utf8_cut_bytes (value, MYSQL_TEXT_MAX);

      g_free (value);
      value = cut;
    }
  item->name_id = name_id;
  item->value = value;
  item->hash = sha1_hex (value, strlen (value));
  item->sortfield = utf8_cut_chars (sortfield != NULL ? sortfield : value, CACHE_WIDTH - 1);
  item->datefield = datefield;
  g_free (sortfield);
  g_ptr_array_add (items, item);
}

static char *
date_sortfield (GDateTime *dt)
{
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
}

static char *
date_datefield (GDateTime *dt)
{
  return g_date_time_format (dt, "%Y-%m-%d 00:00:00");
}

/* The values DBMail's _header_cache derives from one header field. */
static void
cache_field (GPtrArray  *items,
             MwDbDriver  driver,
             gint64      name_id,
             const char *lname,
             const char *raw)
{
  gboolean is_addr = g_str_equal (lname, "from") || g_str_equal (lname, "to") ||
                     g_str_equal (lname, "cc") || g_str_equal (lname, "bcc") ||
                     g_str_equal (lname, "reply-to") || g_str_equal (lname, "return-path");
  char *value = NULL;
  char *sortfield = NULL;
  char *datefield = NULL;

  if (is_addr)
    {
      g_autoptr(GPtrArray) list = parse_addresses (raw);

      if (list->len > 0)
        value = format_addresses (list, &sortfield);
      else
        value = decode_header_value (raw);
    }
  else
    value = decode_header_value (raw);

  g_strstrip (value);
  if (value[0] == '\0')
    {
      g_free (value);
      g_free (sortfield);
      return;
    }

  if (g_str_equal (lname, "subject"))
    sortfield = base_subject (value);
  else if (g_str_equal (lname, "date"))
    {
      g_autoptr(GDateTime) dt = parse_date (value);

      if (dt != NULL)
        {
          sortfield = date_sortfield (dt);
          datefield = date_datefield (dt);
        }
    }
  add_cache_item (items, driver, name_id, value, sortfield, datefield);
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
                    GPtrArray   *fields,
                    GDateTime   *internal_date_utc,
                    GError     **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autoptr(GHashTable) names = load_header_names (db, error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (cache_item_free);
  g_autoptr(GHashTable) pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gint64 *ct_id;

  if (names == NULL)
    return FALSE;

  for (guint i = 0; i < fields->len; i++)
    {
      HeaderField *field = g_ptr_array_index (fields, i);
      g_autofree char *lname = g_ascii_strdown (field->name, -1);
      gint64 name_id = name_id_of (names, lname);

      if (name_id != 0)
        cache_field (items, driver, name_id, lname, field->value);
    }

  /* Like GMime's view of the message: the bare content type ... */
  ct_id = g_hash_table_lookup (names, "content-type");
  if (ct_id != NULL)
    {
      g_autofree char *mime_type = NULL;
      g_autofree char *boundary = NULL;

      parse_content_type (fields_get (fields, "Content-Type"), &mime_type, &boundary);
      add_cache_item (items, driver, *ct_id, g_strdup (mime_type != NULL ? mime_type : "text/plain"), NULL, NULL);
    }

  /* ... and the arrival time when the message has no Date: header. */
  if (fields_get (fields, "Date") == NULL && name_id_of (names, "date") != 0)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (internal_date_utc);

      add_cache_item (items, driver, name_id_of (names, "date"), format_rfc5322_date (local),
                      date_sortfield (internal_date_utc), date_datefield (internal_date_utc));
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

          item->value_id = insert_returning_id (db,
                                                "INSERT INTO {headervalue} (hash, headervalue, sortfield, datefield) "
                                                "VALUES ($1, $2, $3, $4)",
                                                "id", params, G_N_ELEMENTS (params), error);
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

/* IMAP strings: quoted when plain, a literal otherwise. */
static void
append_imap_string (GString    *out,
                    const char *raw,
                    gsize       max_bytes)
{
  g_autofree char *utf8 = NULL;
  g_autofree char *text = NULL;
  gboolean plain = TRUE;

  if (raw == NULL || raw[0] == '\0')
    {
      g_string_append (out, "NIL");
      return;
    }
  utf8 = bytes_to_utf8 (raw, strlen (raw));
  text = utf8_cut_bytes (utf8, max_bytes);
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80 || (guchar) *p < 0x20)
      plain = FALSE;

  if (!plain)
    {
      g_string_append_printf (out, "{%" G_GSIZE_FORMAT "}\r\n%s", strlen (text), text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_envelope_addresses (GString    *out,
                           const char *raw)
{
  g_autoptr(GPtrArray) list = NULL;
  guint n = 0;

  if (raw == NULL)
    {
      g_string_append (out, "NIL");
      return;
    }
  list = parse_addresses (raw);
  if (list->len == 0)
    {
      g_string_append (out, "NIL");
      return;
    }
  g_string_append_c (out, '(');
  for (guint i = 0; i < list->len && n < ENVELOPE_ADDRS; i++, n++)
    {
      Address *a = g_ptr_array_index (list, i);

      g_string_append_c (out, '(');
      switch (a->kind)
        {
        case ADDRESS_GROUP_START:
          g_string_append (out, "NIL NIL ");
          append_imap_string (out, a->name != NULL ? a->name : "", ENVELOPE_STR_MAX);
          g_string_append (out, " NIL");
          break;
        case ADDRESS_GROUP_END:
          g_string_append (out, "NIL NIL NIL NIL");
          break;
        case ADDRESS_MAILBOX:
        default:
          append_imap_string (out, a->name, ENVELOPE_STR_MAX);
          g_string_append (out, " NIL ");
          append_imap_string (out, a->mailbox, ENVELOPE_STR_MAX);
          g_string_append_c (out, ' ');
          append_imap_string (out, a->host, ENVELOPE_STR_MAX);
          break;
        }
      g_string_append_c (out, ')');
    }
  g_string_append_c (out, ')');
}

/* RFC 3501 ENVELOPE: date subject from sender reply-to to cc bcc in-reply-to
 * message-id, sender and reply-to defaulting to from. */
static char *
build_envelope (GPtrArray *fields)
{
  GString *out = g_string_new ("(");
  const char *from = fields_get (fields, "From");
  const char *sender = fields_get (fields, "Sender");
  const char *reply_to = fields_get (fields, "Reply-To");

  append_imap_string (out, fields_get (fields, "Date"), ENVELOPE_STR_MAX);
  g_string_append_c (out, ' ');
  append_imap_string (out, fields_get (fields, "Subject"), ENVELOPE_STR_MAX);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, from);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, sender != NULL && sender[0] != '\0' ? sender : from);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, reply_to != NULL && reply_to[0] != '\0' ? reply_to : from);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, fields_get (fields, "To"));
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, fields_get (fields, "Cc"));
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, fields_get (fields, "Bcc"));
  g_string_append_c (out, ' ');
  append_imap_string (out, fields_get (fields, "In-Reply-To"), ENVELOPE_STR_MAX);
  g_string_append_c (out, ' ');
  append_imap_string (out, fields_get (fields, "Message-ID"), ENVELOPE_STR_MAX);
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

/* Message ids from References and In-Reply-To, without the angle brackets,
 * each once (case-insensitively on MySQL, whose unique key compares so). */
static GPtrArray *
collect_references (GPtrArray  *fields,
                    MwDbDriver  driver)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = g_strconcat (fields_get (fields, "References") != NULL ? fields_get (fields, "References") : "",
                                         " ",
                                         fields_get (fields, "In-Reply-To") != NULL ? fields_get (fields, "In-Reply-To") : "",
                                         NULL);
  const char *p = joined;

  while ((p = strchr (p, '<')) != NULL)
    {
      const char *close = strchr (p + 1, '>');
      g_autofree char *raw = NULL;
      g_autofree char *utf8 = NULL;
      char *id;
      gboolean seen = FALSE;

      if (close == NULL)
        break;
      raw = g_strstrip (g_strndup (p + 1, (gsize) (close - p - 1)));
      p = close + 1;
      if (raw[0] == '\0' || strpbrk (raw, "<") != NULL)
        continue;
      utf8 = bytes_to_utf8 (raw, strlen (raw));
      id = utf8_cut_chars (utf8, CACHE_WIDTH);
      for (guint i = 0; i < ids->len && !seen; i++)
        seen = driver == MW_DB_DRIVER_MYSQL ? g_ascii_strcasecmp (g_ptr_array_index (ids, i), id) == 0
                                            : g_str_equal (g_ptr_array_index (ids, i), id);
      if (seen)
        g_free (id);
      else
        g_ptr_array_add (ids, id);
    }
  return ids;
}

static gboolean
store_envelope_and_references (MwDb       *db,
                               gint64      physmessage_id,
                               GPtrArray  *fields,
                               GError    **error)
{
  g_autofree char *envelope = build_envelope (fields);
  g_autoptr(GPtrArray) refs = collect_references (fields, mw_db_get_driver (db));
  g_autoptr(MwDbResult) result = NULL;
  MwDbValue params[] = { MW_DB_INT64 (physmessage_id), MW_DB_TEXT (envelope) };

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
                        GBytes          *message,
                        int              status,
                        GDateTime       *internal_date_utc,
                        MwMessageFlags   flags,
                        const char      *unique_id,
                        GError         **error)
{
  gsize size = g_bytes_get_size (message);
  gsize rfc_size = 0;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GPtrArray) fields = NULL;
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

  parts = split_normalized (message, &rfc_size);

  /* physmessage: size with LF line ends (the quota unit) and with CRLF */
  {
    MwDbValue params[] = { MW_DB_INT64 ((gint64) size), MW_DB_INT64 ((gint64) rfc_size), MW_DB_TIMESTAMP (stamp) };

    physmessage_id = insert_returning_id (db,
                                          "INSERT INTO {physmessage} (messagesize, rfcsize, internal_date) "
                                          "VALUES ($1, $2, $3)",
                                          "id", params, G_N_ELEMENTS (params), error);
    if (physmessage_id == 0)
      return 0;
  }

  ids = store_blobs (db, parts, error);
  if (ids == NULL || !store_partlists (db, physmessage_id, parts, ids, error))
    return 0;

  /* the header cache and the envelope come from the message's header
   * block, always the first row */
  {
    MwMessagePart *head = g_ptr_array_index (parts, 0);
    gsize hlen;
    const char *hdata = g_bytes_get_data (head->data, &hlen);

    fields = parse_header_fields (hdata, hlen);
  }
  if (!store_header_cache (db, physmessage_id, fields, internal_date_utc, error) ||
      !store_envelope_and_references (db, physmessage_id, fields, error))
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

    message_idnr = insert_returning_id (db,
                                        "INSERT INTO {messages} (mailbox_idnr, physmessage_id, seen_flag, "
                                        "answered_flag, deleted_flag, flagged_flag, recent_flag, draft_flag, "
                                        "unique_id, status, seq) "
                                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                                        "message_idnr", params, G_N_ELEMENTS (params), error);
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
  g_autoptr(GBytes) message = NULL;
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
  /* DBMail stores LF line ends and the internal date in UTC. It holds the
   * message as a C string from the moment it reads it, so a NUL byte ends
   * it: sizes and rows count only what comes before. */
  message = normalize_line_ends (raw);
  {
    gsize len;
    const char *data = g_bytes_get_data (message, &len);
    const char *nul = len > 0 ? memchr (data, '\0', len) : NULL;

    if (nul != NULL)
      {
        GBytes *cut = g_bytes_new_from_bytes (message, 0, (gsize) (nul - data));

        g_bytes_unref (message);
        message = cut;
      }
  }
  if (g_bytes_get_size (message) == 0)
    {
      g_set_error (error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_INVALID,
                   _("An empty message cannot be stored."));
      return 0;
    }
  when = internal_date != NULL ? g_date_time_to_utc (internal_date) : g_date_time_new_now_utc ();
  uid = unique_id != NULL ? g_strdup (unique_id) : random_unique_id ();

  own_transaction = !mw_db_in_transaction (db);
  if (own_transaction && !mw_db_begin (db, error))
    return 0;

  message_idnr = deliver_in_transaction (db, mailbox_idnr, message, status, when, flags, uid, error);

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
      return serve_text ((char *) g_byte_array_free (out, FALSE));
    }

  parts = g_ptr_array_new_with_free_func (message_part_free);
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
  /* The server sorted already; sort again so the rules do not depend on
   * how the database orders equal keys. */
  g_ptr_array_sort (parts, compare_parts);
  return serve_text (assemble_sorted (parts));
}
