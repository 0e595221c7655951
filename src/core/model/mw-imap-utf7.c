/* mw-imap-utf7.c: IMAP modified UTF-7 mailbox names (RFC 3501 5.1.3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-imap-utf7"

#include "config.h"

#include <string.h>

#include "mw-imap-utf7.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int
b64_value (char c)
{
  const char *p = c != '\0' ? strchr (b64, c) : NULL;

  return p != NULL ? (int) (p - b64) : -1;
}

char *
mw_imap_utf7_decode (const char *name)
{
  GString *out;

  g_return_val_if_fail (name != NULL, NULL);

  out = g_string_new (NULL);
  for (const char *p = name; *p != '\0'; p++)
    {
      g_autoptr(GArray) units = NULL;
      guint32 bits = 0;
      int n_bits = 0;
      g_autofree char *utf8 = NULL;

      if (*p != '&')
        {
          if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
            goto malformed;
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      if (*p == '-')
        {
          g_string_append_c (out, '&');
          continue;
        }

      units = g_array_new (FALSE, FALSE, sizeof (gunichar2));
      for (; *p != '-'; p++)
        {
          int v = b64_value (*p);

          if (v < 0)
            goto malformed;
          bits = (bits << 6) | (guint32) v;
          n_bits += 6;
          if (n_bits >= 16)
            {
              gunichar2 unit = (gunichar2) ((bits >> (n_bits - 16)) & 0xffff);

              g_array_append_val (units, unit);
              n_bits -= 16;
            }
        }
      if (units->len == 0)
        goto malformed;
      utf8 = g_utf16_to_utf8 ((gunichar2 *) units->data, units->len, NULL, NULL, NULL);
      if (utf8 == NULL)
        goto malformed;
      g_string_append (out, utf8);
    }
  return g_string_free (out, FALSE);

malformed:
  g_string_free (out, TRUE);
  return g_strdup (name);
}

char *
mw_imap_utf7_encode (const char *name)
{
  GString *out;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (name, -1, NULL), NULL);

  out = g_string_new (NULL);
  for (const char *p = name; *p != '\0';)
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x20 && c <= 0x7e)
        {
          if (c == '&')
            g_string_append (out, "&-");
          else
            g_string_append_c (out, (char) c);
          p = g_utf8_next_char (p);
          continue;
        }
      else
        {
          const char *end = p;
          g_autofree gunichar2 *units = NULL;
          glong n_units = 0;
          guint32 bits = 0;
          int n_bits = 0;

          while (*end != '\0' && (g_utf8_get_char (end) < 0x20 || g_utf8_get_char (end) > 0x7e))
            end = g_utf8_next_char (end);
          units = g_utf8_to_utf16 (p, end - p, NULL, &n_units, NULL);
          g_string_append_c (out, '&');
          for (glong i = 0; i < n_units; i++)
            {
              bits = (bits << 16) | units[i];
              n_bits += 16;
              while (n_bits >= 6)
                {
                  g_string_append_c (out, b64[(bits >> (n_bits - 6)) & 0x3f]);
                  n_bits -= 6;
                }
            }
          if (n_bits > 0)
            g_string_append_c (out, b64[(bits << (6 - n_bits)) & 0x3f]);
          g_string_append_c (out, '-');
          p = end;
        }
    }
  return g_string_free (out, FALSE);
}
