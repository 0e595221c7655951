/* mw-mail-charset.c: mail text in any declared charset as valid UTF-8, as mail readers show it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-mail-charset"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gmime/gmime.h>

#include "mw-mail-charset.h"

#define REPLACEMENT       "\xef\xbf\xbd"   /* U+FFFD */

/* body search converts on several threads; g_mime_charset_iconv_name is
 * called by one at a time */
static GMutex charset_lock;

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
void
mw_mail_charset_append (GString    *out,
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
char *
mw_mail_charset_clean (const char *value)
{
  GString *out;

  if (value == NULL)
    return NULL;
  out = g_string_sized_new (strlen (value));
  append_utf8_valid (out, value, strlen (value));
  return g_string_free (out, FALSE);
}
