/* mw-message.c: read one stored DBMail message with GMime, and search message bodies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-message"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>

#include "mw-message.h"
#include "mw-dbmail-store.h"
#include "mw-message-reader.h"
#include "mw-dbmail.h"

G_DEFINE_QUARK (mw-message-error-quark, mw_message_error)

#define MAX_DEPTH         64
#define BATCH_MESSAGES    200
#define BATCH_BYTES       (32 * 1024 * 1024)
#define REPLACEMENT       "\xef\xbf\xbd"   /* U+FFFD */

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
static GMutex charset_lock;

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
/* Charsets                                                                 */
/* ------------------------------------------------------------------------ */

/* Bytes that are not text in a C string: NUL becomes U+FFFD, CR LF becomes LF. */
static void
append_clean (GString    *out,
              const char *text,
              gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '\0')
        g_string_append (out, REPLACEMENT);
      else if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
        continue;
      else
        g_string_append_c (out, c);
    }
}

static void
append_utf8_valid (GString    *out,
                   const char *text,
                   gsize       len)
{
  const char *end = text + len;

  while (text < end)
    {
      const char *bad;

      if (g_utf8_validate (text, end - text, &bad))
        {
          append_clean (out, text, (gsize) (end - text));
          return;
        }
      append_clean (out, text, (gsize) (bad - text));
      if (*bad == '\0')
        {
          g_string_append (out, REPLACEMENT);
          text = bad + 1;
          continue;
        }
      g_string_append (out, REPLACEMENT);
      text = bad + 1;
    }
}

static gboolean
is_utf8_name (const char *cs)
{
  return g_ascii_strcasecmp (cs, "utf-8") == 0 || g_ascii_strcasecmp (cs, "utf8") == 0 ||
         g_ascii_strcasecmp (cs, "us-ascii") == 0 || g_ascii_strcasecmp (cs, "ascii") == 0 ||
         g_ascii_strcasecmp (cs, "unicode-1-1-utf-7") == 0;
}

/* Converts with iconv, each byte it cannot read shown as U+FFFD. FALSE when
 * iconv does not know the charset. */
static gboolean
append_converted (GString    *out,
                  const char *data,
                  gsize       len,
                  const char *charset)
{
  const char *name;
  GIConv cd;
  char buffer[8192];
  char *in = (char *) data;
  gsize inleft = len;

  /* ISO-8859-1 mail is nearly always windows-1252 (as browsers read it) */
  if (g_ascii_strcasecmp (charset, "iso-8859-1") == 0 || g_ascii_strcasecmp (charset, "iso8859-1") == 0 ||
      g_ascii_strcasecmp (charset, "latin1") == 0 || g_ascii_strcasecmp (charset, "us-ascii") == 0)
    name = "WINDOWS-1252";
  else
    {
      g_mutex_lock (&charset_lock);
      name = g_intern_string (g_mime_charset_iconv_name (charset));
      g_mutex_unlock (&charset_lock);
    }
  cd = g_iconv_open ("UTF-8", name);
  if (cd == (GIConv) -1)
    return FALSE;

  while (inleft > 0)
    {
      char *outp = buffer;
      gsize outleft = sizeof buffer;
      gsize r = g_iconv (cd, &in, &inleft, &outp, &outleft);

      append_clean (out, buffer, sizeof buffer - outleft);
      if (r == (gsize) -1)
        {
          if (errno == E2BIG)
            continue;
          /* EILSEQ or EINVAL (truncated sequence): skip one byte */
          g_string_append (out, REPLACEMENT);
          in++;
          inleft--;
          g_iconv (cd, NULL, NULL, NULL, NULL);
        }
    }
  {
    char *outp = buffer;
    gsize outleft = sizeof buffer;

    g_iconv (cd, NULL, NULL, &outp, &outleft);
    append_clean (out, buffer, sizeof buffer - outleft);
  }
  g_iconv_close (cd);
  return TRUE;
}

/* Text in charset (NULL: not declared) appended as UTF-8. Undeclared or
 * unknown charsets: UTF-8 when the bytes are valid UTF-8, else windows-1252. */
static void
append_text_as_utf8 (GString    *out,
                     const char *data,
                     gsize       len,
                     const char *charset)
{
  if (charset != NULL && charset[0] != '\0' && !is_utf8_name (charset))
    {
      if (append_converted (out, data, len, charset))
        return;
    }
  if (g_utf8_validate (data, (gssize) len, NULL))
    append_clean (out, data, len);
  else if (charset != NULL && (g_ascii_strcasecmp (charset, "utf-8") == 0 || g_ascii_strcasecmp (charset, "utf8") == 0))
    append_utf8_valid (out, data, len);
  else if (!append_converted (out, data, len, "windows-1252"))
    append_utf8_valid (out, data, len);
}

/* A decoded header value made safe: valid UTF-8, no NUL. */
static char *
clean_value (const char *value)
{
  GString *out;

  if (value == NULL)
    return NULL;
  out = g_string_sized_new (strlen (value));
  append_utf8_valid (out, value, strlen (value));
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* HTML to text                                                             */
/* ------------------------------------------------------------------------ */

static const struct { const char *name; gunichar c; } entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' }, { "nbsp", 0xa0 },
  { "iexcl", 0xa1 }, { "cent", 0xa2 }, { "pound", 0xa3 }, { "curren", 0xa4 }, { "yen", 0xa5 },
  { "brvbar", 0xa6 }, { "sect", 0xa7 }, { "uml", 0xa8 }, { "copy", 0xa9 }, { "ordf", 0xaa },
  { "laquo", 0xab }, { "not", 0xac }, { "shy", 0xad }, { "reg", 0xae }, { "macr", 0xaf },
  { "deg", 0xb0 }, { "plusmn", 0xb1 }, { "sup2", 0xb2 }, { "sup3", 0xb3 }, { "acute", 0xb4 },
  { "micro", 0xb5 }, { "para", 0xb6 }, { "middot", 0xb7 }, { "cedil", 0xb8 }, { "sup1", 0xb9 },
  { "ordm", 0xba }, { "raquo", 0xbb }, { "frac14", 0xbc }, { "frac12", 0xbd }, { "frac34", 0xbe },
  { "iquest", 0xbf }, { "Agrave", 0xc0 }, { "Aacute", 0xc1 }, { "Acirc", 0xc2 }, { "Atilde", 0xc3 },
  { "Auml", 0xc4 }, { "Aring", 0xc5 }, { "AElig", 0xc6 }, { "Ccedil", 0xc7 }, { "Egrave", 0xc8 },
  { "Eacute", 0xc9 }, { "Ecirc", 0xca }, { "Euml", 0xcb }, { "Igrave", 0xcc }, { "Iacute", 0xcd },
  { "Icirc", 0xce }, { "Iuml", 0xcf }, { "ETH", 0xd0 }, { "Ntilde", 0xd1 }, { "Ograve", 0xd2 },
  { "Oacute", 0xd3 }, { "Ocirc", 0xd4 }, { "Otilde", 0xd5 }, { "Ouml", 0xd6 }, { "times", 0xd7 },
  { "Oslash", 0xd8 }, { "Ugrave", 0xd9 }, { "Uacute", 0xda }, { "Ucirc", 0xdb }, { "Uuml", 0xdc },
  { "Yacute", 0xdd }, { "THORN", 0xde }, { "szlig", 0xdf }, { "agrave", 0xe0 }, { "aacute", 0xe1 },
  { "acirc", 0xe2 }, { "atilde", 0xe3 }, { "auml", 0xe4 }, { "aring", 0xe5 }, { "aelig", 0xe6 },
  { "ccedil", 0xe7 }, { "egrave", 0xe8 }, { "eacute", 0xe9 }, { "ecirc", 0xea }, { "euml", 0xeb },
  { "igrave", 0xec }, { "iacute", 0xed }, { "icirc", 0xee }, { "iuml", 0xef }, { "eth", 0xf0 },
  { "ntilde", 0xf1 }, { "ograve", 0xf2 }, { "oacute", 0xf3 }, { "ocirc", 0xf4 }, { "otilde", 0xf5 },
  { "ouml", 0xf6 }, { "divide", 0xf7 }, { "oslash", 0xf8 }, { "ugrave", 0xf9 }, { "uacute", 0xfa },
  { "ucirc", 0xfb }, { "uuml", 0xfc }, { "yacute", 0xfd }, { "thorn", 0xfe }, { "yuml", 0xff },
  { "OElig", 0x152 }, { "oelig", 0x153 }, { "Scaron", 0x160 }, { "scaron", 0x161 }, { "Yuml", 0x178 },
  { "fnof", 0x192 }, { "circ", 0x2c6 }, { "tilde", 0x2dc }, { "ensp", 0x2002 }, { "emsp", 0x2003 },
  { "thinsp", 0x2009 }, { "zwnj", 0x200c }, { "zwj", 0x200d }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
  { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201a }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
  { "bdquo", 0x201e }, { "dagger", 0x2020 }, { "Dagger", 0x2021 }, { "bull", 0x2022 }, { "hellip", 0x2026 },
  { "permil", 0x2030 }, { "prime", 0x2032 }, { "lsaquo", 0x2039 }, { "rsaquo", 0x203a }, { "euro", 0x20ac },
  { "trade", 0x2122 }, { "larr", 0x2190 }, { "rarr", 0x2192 }, { "uarr", 0x2191 }, { "darr", 0x2193 },
  { "alpha", 0x3b1 }, { "beta", 0x3b2 }, { "pi", 0x3c0 }, { "mu", 0x3bc }, { "Omega", 0x3a9 },
};

/* Decodes the entity at p (just after '&'); returns the characters used, 0 if none. */
static gsize
decode_entity (const char *p,
               const char *end,
               gunichar   *c)
{
  const char *q = p;

  if (q < end && *q == '#')
    {
      guint64 value = 0;
      gboolean hex = FALSE;
      const char *digits;

      q++;
      if (q < end && (*q == 'x' || *q == 'X'))
        {
          hex = TRUE;
          q++;
        }
      digits = q;
      while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)) && q - digits < 8)
        {
          value = value * (hex ? 16 : 10) + (guint64) (hex ? g_ascii_xdigit_value (*q) : *q - '0');
          q++;
        }
      if (q == digits)
        return 0;
      if (q < end && *q == ';')
        q++;
      if (value == 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
        value = 0xfffd;
      /* as browsers: 0x80..0x9f mean windows-1252 */
      if (value >= 0x80 && value <= 0x9f)
        {
          static const gunichar w1252[32] = {
            0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
            0x0152, 0xfffd, 0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
            0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
          };
          value = w1252[value - 0x80];
        }
      *c = (gunichar) value;
      return (gsize) (q - p);
    }

  while (q < end && g_ascii_isalnum (*q) && q - p < 10)
    q++;
  if (q == p)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strlen (entities[i].name) == (gsize) (q - p) && strncmp (entities[i].name, p, (gsize) (q - p)) == 0)
      {
        *c = entities[i].c;
        if (q < end && *q == ';')
          q++;
        return (gsize) (q - p);
      }
  return 0;
}

static void
append_decoded_entities (GString    *out,
                         const char *text,
                         gsize       len)
{
  const char *end = text + len;

  while (text < end)
    {
      gunichar c;
      gsize used;

      if (*text == '&' && (used = decode_entity (text + 1, end, &c)) > 0)
        {
          g_string_append_unichar (out, c);
          text += 1 + used;
        }
      else
        g_string_append_c (out, *text++);
    }
}

typedef struct
{
  GString  *out;
  gboolean  space;        /* white space seen since the last character */
  int       pre;          /* inside <pre> */
  char     *href;         /* the open <a>'s target */
  gsize     link_start;   /* where its text starts in out */
} Html;

static gboolean
ends_with_newline (GString *out)
{
  return out->len == 0 || out->str[out->len - 1] == '\n';
}

static void
html_break (Html *h,
            int   lines)
{
  int have = 0;

  while (h->out->len > 0 && h->out->str[h->out->len - 1] == ' ')
    g_string_truncate (h->out, h->out->len - 1);
  if (h->out->len == 0)
    return;
  for (gssize i = (gssize) h->out->len - 1; i >= 0 && h->out->str[i] == '\n'; i--)
    have++;
  for (; have < lines; have++)
    g_string_append_c (h->out, '\n');
  h->space = FALSE;
}

static void
html_text (Html       *h,
           const char *text,
           gsize       len)
{
  g_autoptr(GString) decoded = g_string_sized_new (len);

  append_decoded_entities (decoded, text, len);
  for (gsize i = 0; i < decoded->len; i++)
    {
      char c = decoded->str[i];

      if (h->pre > 0)
        {
          g_string_append_c (h->out, c);
          continue;
        }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
        {
          h->space = TRUE;
          continue;
        }
      if (h->space && !ends_with_newline (h->out) && h->out->str[h->out->len - 1] != ' ')
        g_string_append_c (h->out, ' ');
      h->space = FALSE;
      g_string_append_c (h->out, c);
    }
}

/* Value of attribute name in the tag text between the name and '>'. */
static char *
tag_attribute (const char *attrs,
               gsize       len,
               const char *name)
{
  const char *p = attrs;
  const char *end = attrs + len;
  gsize nlen = strlen (name);

  while (p < end)
    {
      const char *n;
      gsize this_len;

      while (p < end && (g_ascii_isspace (*p) || *p == '/'))
        p++;
      n = p;
      while (p < end && !g_ascii_isspace (*p) && *p != '=' && *p != '>' && *p != '/')
        p++;
      this_len = (gsize) (p - n);
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == '=')
        {
          const char *v;
          gsize vlen;

          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              char quote = *p++;

              v = p;
              while (p < end && *p != quote)
                p++;
              vlen = (gsize) (p - v);
              if (p < end)
                p++;
            }
          else
            {
              v = p;
              while (p < end && !g_ascii_isspace (*p) && *p != '>')
                p++;
              vlen = (gsize) (p - v);
            }
          if (this_len == nlen && g_ascii_strncasecmp (n, name, nlen) == 0)
            {
              GString *value = g_string_new (NULL);

              append_decoded_entities (value, v, vlen);
              return g_strstrip (g_string_free (value, FALSE));
            }
        }
      else if (p == n)
        p++;
    }
  return NULL;
}

static gboolean
name_is (const char *name,
         gsize       len,
         const char *what)
{
  return strlen (what) == len && g_ascii_strncasecmp (name, what, len) == 0;
}

static gboolean
name_in (const char  *name,
         gsize        len,
         const char  *const *list)
{
  for (; *list != NULL; list++)
    if (name_is (name, len, *list))
      return TRUE;
  return FALSE;
}

/* Finds "</name" from p, case-insensitively; returns its start or end. */
static const char *
find_closing_tag (const char *p,
                  const char *end,
                  const char *name,
                  gsize       nlen)
{
  for (; p + 2 + nlen <= end; p++)
    if (p[0] == '<' && p[1] == '/' && g_ascii_strncasecmp (p + 2, name, nlen) == 0)
      return p;
  return end;
}

/* HTML as plain text. Only the markup is read: nothing is fetched, images
 * show as their alt text, links as "text <target>". */
static char *
html_to_text (const char *html,
              gsize       len)
{
  static const char *const paragraph[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table",
                                           "ul", "ol", "dl", "pre", "address", "center", "form", NULL };
  static const char *const line[] = { "div", "tr", "li", "dt", "dd", "section", "article", "header", "footer",
                                      "nav", "aside", "main", "figure", "figcaption", "caption", "fieldset", NULL };
  const char *p = html;
  const char *end = html + len;
  Html h = { .out = g_string_sized_new (len / 2) };

  while (p < end)
    {
      const char *lt = memchr (p, '<', (gsize) (end - p));
      const char *name, *attrs, *gt;
      gsize name_len;
      gboolean closing = FALSE;

      if (lt == NULL)
        lt = end;
      html_text (&h, p, (gsize) (lt - p));
      if (lt == end)
        break;
      p = lt + 1;

      if (end - p >= 3 && strncmp (p, "!--", 3) == 0)
        {
          const char *close = g_strstr_len (p + 3, end - p - 3, "-->");

          p = close != NULL ? close + 3 : end;
          continue;
        }
      if (p < end && (*p == '!' || *p == '?'))
        {
          gt = memchr (p, '>', (gsize) (end - p));
          p = gt != NULL ? gt + 1 : end;
          continue;
        }
      if (p < end && *p == '/')
        {
          closing = TRUE;
          p++;
        }
      name = p;
      while (p < end && (g_ascii_isalnum (*p) || *p == ':' || *p == '-'))
        p++;
      name_len = (gsize) (p - name);
      if (name_len == 0)
        {
          /* a lone "<" is text */
          html_text (&h, "<", 1);
          p = closing ? p - 1 : p;
          continue;
        }
      attrs = p;
      /* the end of the tag, outside quoted attribute values */
      {
        char quote = 0;

        while (p < end && (quote != 0 || *p != '>'))
          {
            if (quote != 0 && *p == quote)
              quote = 0;
            else if (quote == 0 && (*p == '"' || *p == '\'') && p > attrs && (p[-1] == '=' || g_ascii_isspace (p[-1])))
              quote = *p;
            p++;
          }
      }
      gt = p;
      p = p < end ? p + 1 : end;

      if (!closing && (name_is (name, name_len, "script") || name_is (name, name_len, "style") ||
                       name_is (name, name_len, "head") || name_is (name, name_len, "title") ||
                       name_is (name, name_len, "template")))
        {
          const char *close = find_closing_tag (p, end, name, name_len);

          p = close;
          if (p < end)
            {
              const char *cgt = memchr (p, '>', (gsize) (end - p));

              p = cgt != NULL ? cgt + 1 : end;
            }
          continue;
        }

      if (name_is (name, name_len, "br"))
        {
          while (h.out->len > 0 && h.out->str[h.out->len - 1] == ' ')
            g_string_truncate (h.out, h.out->len - 1);
          g_string_append_c (h.out, '\n');
          h.space = FALSE;
        }
      else if (name_in (name, name_len, paragraph))
        {
          html_break (&h, 2);
          if (name_is (name, name_len, "pre"))
            h.pre = MAX (0, h.pre + (closing ? -1 : 1));
        }
      else if (name_in (name, name_len, line))
        {
          html_break (&h, 1);
          if (!closing && name_is (name, name_len, "li"))
            g_string_append (h.out, "• ");
        }
      else if (name_is (name, name_len, "td") || name_is (name, name_len, "th"))
        {
          if (!closing)
            h.space = TRUE;
        }
      else if (name_is (name, name_len, "hr"))
        {
          html_break (&h, 1);
          g_string_append (h.out, "――――――――\n");
        }
      else if (!closing && name_is (name, name_len, "img"))
        {
          g_autofree char *alt = tag_attribute (attrs, (gsize) (gt - attrs), "alt");

          if (alt != NULL && alt[0] != '\0')
            {
              g_autofree char *shown = g_strdup_printf ("[%s]", alt);

              h.space = h.space || (h.out->len > 0 && !g_ascii_isspace (h.out->str[h.out->len - 1]));
              html_text (&h, shown, strlen (shown));
            }
        }
      else if (name_is (name, name_len, "a"))
        {
          if (!closing)
            {
              g_free (h.href);
              h.href = tag_attribute (attrs, (gsize) (gt - attrs), "href");
              h.link_start = h.out->len;
            }
          else if (h.href != NULL)
            {
              const char *target = h.href;
              g_autofree char *link_text = g_strstrip (g_strndup (h.out->str + MIN (h.link_start, h.out->len),
                                                                  h.out->len - MIN (h.link_start, h.out->len)));

              if (g_ascii_strncasecmp (target, "mailto:", 7) == 0)
                target += 7;
              if (target[0] != '\0' && target[0] != '#' && g_ascii_strncasecmp (target, "javascript:", 11) != 0 &&
                  strcmp (link_text, target) != 0 && strcmp (link_text, h.href) != 0)
                {
                  g_autofree char *shown = g_strdup_printf (link_text[0] != '\0' ? " <%s>" : "<%s>", target);

                  if (link_text[0] == '\0')
                    h.space = h.space || (h.out->len > 0 && !g_ascii_isspace (h.out->str[h.out->len - 1]));
                  g_string_append (h.out, h.space && link_text[0] == '\0' && !ends_with_newline (h.out) ? " " : "");
                  g_string_append (h.out, shown);
                  h.space = FALSE;
                }
              g_clear_pointer (&h.href, g_free);
            }
        }
    }

  g_free (h.href);
  /* trim, one line break at the end, at most one blank line in a row */
  {
    GString *out = g_string_sized_new (h.out->len + 1);
    int newlines = 0;
    const char *s = h.out->str;

    while (*s == '\n' || *s == ' ')
      s++;
    for (; *s != '\0'; s++)
      {
        if (*s == '\n')
          {
            while (out->len > 0 && out->str[out->len - 1] == ' ')
              g_string_truncate (out, out->len - 1);
            if (++newlines > 2)
              continue;
          }
        else
          newlines = 0;
        g_string_append_c (out, *s);
      }
    while (out->len > 0 && (out->str[out->len - 1] == '\n' || out->str[out->len - 1] == ' '))
      g_string_truncate (out, out->len - 1);
    if (out->len > 0)
      g_string_append_c (out, '\n');
    g_string_free (h.out, TRUE);
    return g_string_free (out, FALSE);
  }
}

/* <meta charset="x"> or <meta http-equiv content="...; charset=x"> in the
 * first kilobytes, for HTML whose Content-Type names no charset. */
static char *
html_meta_charset (const char *html,
                   gsize       len)
{
  gsize n = MIN (len, 4096);

  for (gsize i = 0; i + 8 <= n; i++)
    if (g_ascii_strncasecmp (html + i, "charset=", 8) == 0)
      {
        const char *p = html + i + 8;
        const char *e;

        while (p < html + n && (*p == '"' || *p == '\'' || *p == ' '))
          p++;
        e = p;
        while (e < html + n && (g_ascii_isalnum (*e) || *e == '-' || *e == '_' || *e == ':' || *e == '.'))
          e++;
        if (e > p)
          return g_strndup (p, (gsize) (e - p));
      }
  return NULL;
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
    charset = meta = html_meta_charset (data, len);
  append_text_as_utf8 (out, data, len, charset);
  if (html && to_plain)
    {
      char *plain = html_to_text (out->str, out->len);

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
  a->pub.filename = clean_value (filename);
  if (a->pub.filename == NULL && GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *embedded = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
      const char *subject = embedded != NULL ? g_mime_message_get_subject (embedded) : NULL;

      if (subject != NULL && subject[0] != '\0')
        {
          g_autofree char *clean = clean_value (subject);

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
          g_autofree char *value = clean_value (decoded);

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

typedef struct
{
  char     *folded;     /* the needle, case-folded */
  gsize     len;
  gboolean  ascii;
  guint8    lower[256];
} Needle;

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
  return text != NULL && text[0] != '\0' ? clean_value (text) : NULL;
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
  h->name = clean_value (name);
  h->value = clean_value (decoded != NULL ? decoded : value);
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

static MwMessage *
message_new (GBytes             *raw,
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
      self->subject = clean_value (g_mime_message_get_subject (mime));
      self->message_id = clean_value (g_mime_message_get_message_id (mime));
      self->date = date != NULL ? g_date_time_ref (date) : NULL;
      walk_display (&walk, mime->mime_part, TRUE, 0);
    }
  else
    append_text_as_utf8 (walk.text, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), NULL);

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

  return message_new (raw, 0, flags);
}

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
mw_message_load (MwDb                *db,
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
  return message_new (raw, physmessage_id, flags);
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
  const Needle *needle;
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

  b->found[item->index] = raw != NULL && raw_contains (raw, b->needle);
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
                  const Needle *needle)
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
              MwMessageHitFunc       on_hit,
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
mw_message_search_bodies (MwDb                   *db,
                          gint64                  user_idnr,
                          gint64                  mailbox_idnr,
                          const char             *needle,
                          MwMessageLoadFlags      flags,
                          MwMessageHitFunc        on_hit,
                          MwMessageProgressFunc   on_progress,
                          gpointer                user_data,
                          GCancellable           *cancellable,
                          GError                **error)
{
  g_autoptr(MwDbResult) list = NULL;
  g_autoptr(GArray) phys = NULL;
  Needle n = { 0 };
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

  needle_init (&n, needle);
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

      batch = scan_batch_start (pool, g_steal_pointer (&raws), done, &n);
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
  needle_clear (&n);

cancel_check:
  if (error != NULL && *error != NULL && g_cancellable_is_cancelled (cancellable) &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  return list != NULL && ok;
}
