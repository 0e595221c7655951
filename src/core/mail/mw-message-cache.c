/* mw-message-cache.c: the values DBMail 3.5 caches beside a message's rows: header cache, envelope, references.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-message-cache"

#include "config.h"

#include <string.h>

#include "mw-message-cache.h"
#include "mw-message-store-private.h"

/* DBMail 3.5 derives these from the message GMime parsed
 * (dbmail_message_cache_headers, _header_cache, _header_addresses and
 * dbmail_message_cache_referencesfield in its src/dm_message.c,
 * imap_get_envelope in src/dm_imaputil.c), and so does this file: GMime's
 * header list, RFC 2047 decoder, address parser, date parser and
 * references parser. What DBMail makes of GMime's answers (the address
 * text, the sort fields, the base subject, the ENVELOPE) is its own code,
 * followed here; where our stored form is not DBMail's, a comment says so. */

#define CACHE_WIDTH      255     /* DBMail's CACHE_WIDTH: sortfield gets 254 characters */
#define ENVELOPE_STR_MAX 4096
#define ENVELOPE_ADDRS   100

static const char *const cached_names[] = {
  "from", "to", "cc", "bcc", "date", "subject", "content-type",
  "content-disposition", "references", "in-reply-to", "reply-to", "return-path",
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
char *
_mw_utf8_cut_bytes (const char *text,
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

/* What GMime's decoders give back made fit for a TEXT column: an encoded
 * word may hold any byte, so invalid UTF-8 is replaced and control
 * characters become spaces, as in bytes_to_utf8. (transfer full) */
static char *
clean_text (char *text)
{
  char *valid = g_utf8_make_valid (text, -1);

  g_free (text);
  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 && *p != '\t')
      *p = ' ';
  return valid;
}

/* ------------------------------------------------------------------------ */
/* Header fields, through GMime                                             */
/* ------------------------------------------------------------------------ */

/* A field's value as the cache reads it: GMime's raw value without the
 * line breaks of its folding (the white space after them stays), white
 * space at both ends dropped, raw 8-bit bytes read as UTF-8 or else
 * ISO-8859-1. DBMail converts raw bytes from the message's charset; most
 * mail that has raw 8-bit headers is in one of these two. */
static char *
field_text (GMimeHeader *header)
{
  const char *raw = g_mime_header_get_raw_value (header);
  g_autoptr(GString) unfolded = g_string_new (NULL);
  char *text;

  for (const char *p = raw != NULL ? raw : ""; *p != '\0'; p++)
    if (*p != '\n' && !(*p == '\r' && p[1] == '\n'))
      g_string_append_c (unfolded, *p);
  text = bytes_to_utf8 (unfolded->str, unfolded->len);
  return g_strstrip (text);
}

/* The first field called name, as field_text; NULL when there is none. */
static char *
header_text (GMimeHeaderList *headers,
             const char      *name)
{
  GMimeHeader *header = headers != NULL ? g_mime_header_list_get_header (headers, name) : NULL;

  return header != NULL ? field_text (header) : NULL;
}

/* RFC 2047 words decoded by GMime, as DBMail's dbmail_iconv_decode_text. */
static char *
decode_text (const char *text)
{
  char *decoded = g_mime_utils_header_decode_text (NULL, text);

  return g_strstrip (clean_text (decoded != NULL ? decoded : g_strdup (text)));
}

/* A name GMime found in an address, or NULL when there is none. */
static char *
address_name (InternetAddress *address)
{
  const char *name = internet_address_get_name (address);

  if (name == NULL || name[0] == '\0')
    return NULL;
  return clean_text (g_strdup (name));
}

static const char *
address_addr (InternetAddress *address)
{
  const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));

  return addr != NULL ? addr : "";
}

/* The part of an address before its first "@", as DBMail splits it. */
static char *
local_part (const char *addr)
{
  const char *at = strchr (addr, '@');

  return at != NULL ? g_strndup (addr, (gsize) (at - addr)) : g_strdup (addr);
}

/* ------------------------------------------------------------------------ */
/* Header cache values: _header_cache                                       */
/* ------------------------------------------------------------------------ */

static void
append_mailbox_text (GString         *out,
                     InternetAddress *address)
{
  g_autofree char *name = address_name (address);
  g_autofree char *addr = clean_text (g_strdup (address_addr (address)));

  if (name != NULL)
    g_string_append_printf (out, strchr (name, ',') != NULL ? "\"%s\" <%s>" : "%s <%s>", name, addr);
  else
    g_string_append (out, addr);
}

/* DBMail's _header_addresses: "Name <a@b>, c@d, team: e@f, g@h;" with the
 * names GMime decoded; sortfield = the local part of the first address, or
 * the first group's name. */
static char *
format_addresses (InternetAddressList  *list,
                  char                **sortfield)
{
  GString *out = g_string_new (NULL);
  int count = internet_address_list_length (list);

  *sortfield = NULL;
  for (int i = 0; i < count; i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (address))
        {
          InternetAddressList *members = internet_address_group_get_members (INTERNET_ADDRESS_GROUP (address));
          g_autofree char *name = address_name (address);
          int n_members = members != NULL ? internet_address_list_length (members) : 0;

          if (name == NULL)
            name = g_strdup ("");
          if (i > 0)
            g_string_append_c (out, ' ');
          g_string_append_printf (out, strchr (name, ',') != NULL ? "\"%s\":" : "%s:", name);
          if (*sortfield == NULL)
            *sortfield = g_strdup (name);
          for (int k = 0; k < n_members; k++)
            {
              InternetAddress *member = internet_address_list_get_address (members, k);

              g_string_append (out, k > 0 ? ", " : " ");
              if (INTERNET_ADDRESS_IS_MAILBOX (member))
                append_mailbox_text (out, member);
            }
          g_string_append_c (out, ';');
        }
      else
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_mailbox_text (out, address);
          if (*sortfield == NULL)
            *sortfield = clean_text (local_part (address_addr (address)));
        }
    }
  return g_string_free (out, FALSE);
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


static void
cache_item_free (gpointer data)
{
  MwHeaderCacheItem *item = data;

  g_free (item->name);
  g_free (item->value);
  g_free (item->sortfield);
  g_free (item->datefield);
  g_free (item);
}

static void
add_cache_item (GPtrArray  *items,
                const char *name,
                char       *value,        /* (transfer full) */
                char       *sortfield,    /* (transfer full) (nullable) */
                char       *datefield)    /* (transfer full) (nullable) */
{
  MwHeaderCacheItem *item = g_new0 (MwHeaderCacheItem, 1);

  item->name = g_strdup (name);
  item->value = value;
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

static gboolean
is_cached_name (const char *lname)
{
  for (guint i = 0; i < G_N_ELEMENTS (cached_names); i++)
    if (g_str_equal (lname, cached_names[i]))
      return TRUE;
  return FALSE;
}

/* The values DBMail's _header_cache derives from one header field. */
static void
cache_field (GPtrArray   *items,
             const char  *lname,
             GMimeHeader *header)
{
  gboolean is_addr = g_str_equal (lname, "from") || g_str_equal (lname, "to") ||
                     g_str_equal (lname, "cc") || g_str_equal (lname, "bcc") ||
                     g_str_equal (lname, "reply-to") || g_str_equal (lname, "return-path");
  g_autofree char *raw = field_text (header);
  char *value = NULL;
  char *sortfield = NULL;
  char *datefield = NULL;

  if (is_addr)
    {
      InternetAddressList *list = internet_address_list_parse (NULL, raw);

      /* DBMail would store an empty text for a list GMime finds no
       * address in; the decoded field is kept instead. */
      if (list != NULL && internet_address_list_length (list) > 0)
        value = format_addresses (list, &sortfield);
      else
        value = decode_text (raw);
      g_clear_object (&list);
    }
  else
    value = decode_text (raw);

  g_strstrip (value);
  if (value[0] == '\0')
    {
      g_free (value);
      g_free (sortfield);
      return;
    }
  if (sortfield != NULL && sortfield[0] == '\0')
    g_clear_pointer (&sortfield, g_free);

  if (g_str_equal (lname, "subject"))
    sortfield = base_subject (value);
  else if (g_str_equal (lname, "date"))
    {
      g_autoptr(GDateTime) dt = g_mime_utils_header_decode_date (value);

      if (dt != NULL)
        {
          sortfield = date_sortfield (dt);
          datefield = date_datefield (dt);
        }
    }
  add_cache_item (items, lname, value, sortfield, datefield);
}

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  gint64 oa = g_mime_header_get_offset (*(GMimeHeader **) a);
  gint64 ob = g_mime_header_get_offset (*(GMimeHeader **) b);

  return oa < ob ? -1 : oa > ob;
}

/* The fields of the header block as written: GMime 3 keeps the Content-
 * fields of a message's top part in that part's header list, not in the
 * message's. DBMail 3.5 walks only the message's list, so with GMime 3 it
 * caches Content-Type only as the bare type; the stored form kept here
 * caches it as written as well, in the order of the header block. */
static GPtrArray *
header_block (GMimeObject *object)
{
  GPtrArray *fields = g_ptr_array_new ();
  GMimeObject *part = NULL;

  if (object == NULL)
    return fields;
  if (GMIME_IS_MESSAGE (object))
    part = g_mime_message_get_mime_part (GMIME_MESSAGE (object));
  for (GMimeObject *o = object; o != NULL; o = o != part ? part : NULL)
    {
      GMimeHeaderList *list = g_mime_object_get_header_list (o);
      int count = g_mime_header_list_get_count (list);

      for (int i = 0; i < count; i++)
        g_ptr_array_add (fields, g_mime_header_list_get_header_at (list, i));
    }
  /* stable: a field of the message before one of the part at the same offset */
  g_ptr_array_sort (fields, compare_offsets);
  return fields;
}

static GPtrArray *
header_cache (GMimeObject *object,
              GDateTime   *internal_date)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (cache_item_free);
  GMimeHeaderList *headers = object != NULL ? g_mime_object_get_header_list (object) : NULL;
  g_autoptr(GPtrArray) fields = header_block (object);
  GMimeObject *part = object;
  GMimeContentType *type = NULL;

  for (guint i = 0; i < fields->len; i++)
    {
      GMimeHeader *header = g_ptr_array_index (fields, i);
      const char *name = g_mime_header_get_name (header);
      g_autofree char *lname = NULL;

      /* DBMail skips names with spaces in them */
      if (name == NULL || strpbrk (name, " \t") != NULL)
        continue;
      lname = g_ascii_strdown (name, -1);
      if (is_cached_name (lname))
        cache_field (items, lname, header);
    }

  /* Like GMime's view of the message: the bare content type ... */
  if (object != NULL && GMIME_IS_MESSAGE (object))
    part = g_mime_message_get_mime_part (GMIME_MESSAGE (object));
  if (part != NULL)
    type = g_mime_object_get_content_type (part);
  add_cache_item (items, "content-type",
                  type != NULL ? g_mime_content_type_get_mime_type (type) : g_strdup ("text/plain"),
                  NULL, NULL);

  /* ... and the arrival time when the message has no Date: header. */
  if (headers == NULL || !g_mime_header_list_contains (headers, "Date"))
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (internal_date);

      add_cache_item (items, "date", g_mime_utils_header_format_date (local),
                      date_sortfield (internal_date), date_datefield (internal_date));
    }
  return items;
}

/* ------------------------------------------------------------------------ */
/* Envelope and references                                                  */
/* ------------------------------------------------------------------------ */

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
  text = _mw_utf8_cut_bytes (utf8, max_bytes);
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


/* A name in the ENVELOPE as DBMail writes it: RFC 2047 encoded again by
 * GMime when it is not ASCII, quotes and backslashes turned into spaces. */
static void
append_envelope_name (GString         *out,
                      InternetAddress *address)
{
  g_autofree char *name = address_name (address);
  g_autofree char *encoded = NULL;

  if (name == NULL)
    {
      g_string_append (out, "NIL");
      return;
    }
  encoded = g_mime_utils_header_encode_phrase (NULL, name, NULL);
  g_strstrip (g_strdelimit (encoded, "\"\\", ' '));
  append_imap_string (out, encoded, ENVELOPE_STR_MAX);
}

static void
append_envelope_mailbox (GString         *out,
                         InternetAddress *address)
{
  const char *addr = address_addr (address);
  const char *at = strchr (addr, '@');
  g_autofree char *mailbox = local_part (addr);

  g_string_append_c (out, '(');
  append_envelope_name (out, address);
  g_string_append (out, " NIL ");
  append_imap_string (out, mailbox, ENVELOPE_STR_MAX);
  g_string_append_c (out, ' ');
  append_imap_string (out, at != NULL ? at + 1 : NULL, ENVELOPE_STR_MAX);
  g_string_append_c (out, ')');
}

/* At most ENVELOPE_ADDRS entries, a group's start and end counting as one each. */
static void
append_envelope_addresses (GString    *out,
                           const char *text)
{
  InternetAddressList *list = text != NULL ? internet_address_list_parse (NULL, text) : NULL;
  int count = list != NULL ? internet_address_list_length (list) : 0;
  guint n = 0;

  if (count == 0)
    {
      g_string_append (out, "NIL");
      g_clear_object (&list);
      return;
    }
  g_string_append_c (out, '(');
  for (int i = 0; i < count && n < ENVELOPE_ADDRS; i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (address))
        {
          InternetAddressList *members = internet_address_group_get_members (INTERNET_ADDRESS_GROUP (address));
          int n_members = members != NULL ? internet_address_list_length (members) : 0;
          g_autofree char *name = address_name (address);

          g_string_append (out, "(NIL NIL ");
          append_imap_string (out, name != NULL ? name : "", ENVELOPE_STR_MAX);
          g_string_append (out, " NIL)");
          n++;
          for (int k = 0; k < n_members && n < ENVELOPE_ADDRS; k++, n++)
            append_envelope_mailbox (out, internet_address_list_get_address (members, k));
          if (n < ENVELOPE_ADDRS)
            {
              g_string_append (out, "(NIL NIL NIL NIL)");
              n++;
            }
        }
      else
        {
          append_envelope_mailbox (out, address);
          n++;
        }
    }
  g_string_append_c (out, ')');
  g_object_unref (list);
}

/* RFC 3501 ENVELOPE: date subject from sender reply-to to cc bcc in-reply-to
 * message-id, sender and reply-to defaulting to from. Date, subject and the
 * ids are the fields as written, not decoded. */
static char *
build_envelope (GMimeHeaderList *headers)
{
  GString *out = g_string_new ("(");
  g_autofree char *date = header_text (headers, "Date");
  g_autofree char *subject = header_text (headers, "Subject");
  g_autofree char *from = header_text (headers, "From");
  g_autofree char *sender = header_text (headers, "Sender");
  g_autofree char *reply_to = header_text (headers, "Reply-To");
  g_autofree char *to = header_text (headers, "To");
  g_autofree char *cc = header_text (headers, "Cc");
  g_autofree char *bcc = header_text (headers, "Bcc");
  g_autofree char *in_reply_to = header_text (headers, "In-Reply-To");
  g_autofree char *message_id = header_text (headers, "Message-ID");

  append_imap_string (out, date, ENVELOPE_STR_MAX);
  g_string_append_c (out, ' ');
  append_imap_string (out, subject, ENVELOPE_STR_MAX);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, from);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, sender != NULL && sender[0] != '\0' ? sender : from);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, reply_to != NULL && reply_to[0] != '\0' ? reply_to : from);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, to);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, cc);
  g_string_append_c (out, ' ');
  append_envelope_addresses (out, bcc);
  g_string_append_c (out, ' ');
  append_imap_string (out, in_reply_to, ENVELOPE_STR_MAX);
  g_string_append_c (out, ' ');
  append_imap_string (out, message_id, ENVELOPE_STR_MAX);
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

/* The message ids of References and In-Reply-To as GMime's references
 * parser finds them, each cut to CACHE_WIDTH characters. */
static GPtrArray *
collect_references (GMimeHeaderList *headers)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *references = header_text (headers, "References");
  g_autofree char *in_reply_to = header_text (headers, "In-Reply-To");
  g_autofree char *joined = g_strconcat (references != NULL ? references : "", " ",
                                         in_reply_to != NULL ? in_reply_to : "", NULL);
  GMimeReferences *refs = g_mime_references_parse (NULL, joined);
  int count = refs != NULL ? g_mime_references_length (refs) : 0;

  for (int i = 0; i < count; i++)
    {
      const char *id = g_mime_references_get_message_id (refs, i);
      g_autofree char *utf8 = NULL;

      if (id == NULL || id[0] == '\0')
        continue;
      utf8 = clean_text (g_strdup (id));
      g_ptr_array_add (ids, utf8_cut_chars (utf8, CACHE_WIDTH));
    }
  g_clear_pointer (&refs, g_mime_references_free);
  return ids;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */
/* ------------------------------------------------------------------------ */

const char *const *
mw_message_cache_names (guint *n_names)
{
  if (n_names != NULL)
    *n_names = G_N_ELEMENTS (cached_names);
  return cached_names;
}

MwMessageCache *
mw_message_cache_new (GMimeObject *object,
                      GDateTime   *internal_date)
{
  MwMessageCache *cache;
  GMimeHeaderList *headers;

  g_return_val_if_fail (object == NULL || GMIME_IS_OBJECT (object), NULL);
  g_return_val_if_fail (internal_date != NULL, NULL);

  headers = object != NULL ? g_mime_object_get_header_list (object) : NULL;
  cache = g_new0 (MwMessageCache, 1);
  cache->header_cache = header_cache (object, internal_date);
  cache->envelope = build_envelope (headers);
  cache->references = collect_references (headers);
  return cache;
}

void
mw_message_cache_free (MwMessageCache *cache)
{
  if (cache == NULL)
    return;
  g_clear_pointer (&cache->header_cache, g_ptr_array_unref);
  g_free (cache->envelope);
  g_clear_pointer (&cache->references, g_ptr_array_unref);
  g_free (cache);
}
