/* mw-html-text.c: HTML mail as plain text to read, with nothing fetched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-html-text"

#include "config.h"

#include <string.h>

#include "mw-html-text.h"

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
char *
mw_html_to_text (const char *html,
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
char *
mw_html_meta_charset (const char *html,
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
