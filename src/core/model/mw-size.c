/* mw-size.c: quotas as people write them ("500M", "1.5G"), read exactly, as whole bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-size"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-size.h"

G_DEFINE_QUARK (mw-size-error-quark, mw_size_error)

/* At most 18 digits after the point: 10^18 still fits in 64 bits. */
#define MAX_DECIMALS 18

static void
set_invalid (const char  *text,
             GError     **error)
{
  g_set_error (error, MW_SIZE_ERROR, MW_SIZE_ERROR_INVALID,
               _("“%s” is not a quota: write bytes, or a number with K, M, G or T (powers of 1024, for example 500M "
                 "or 1.5G), or 0 or “unlimited” for no limit."), text);
}

static void
set_too_large (const char  *text,
               GError     **error)
{
  g_set_error (error, MW_SIZE_ERROR, MW_SIZE_ERROR_TOO_LARGE,
               _("“%s” is too large for a quota: the most is 9223372036854775807 bytes (8 EiB)."), text);
}

gboolean
mw_size_parse_quota (const char  *text,
                     MwSizeUnit   unit,
                     gint64      *bytes,
                     GError     **error)
{
  const char *p = text;
  const char *end;
  guint64 whole = 0;
  guint64 fraction = 0;     /* the digits after the point, as an integer */
  guint64 scale = 1;        /* 10^decimals */
  guint decimals = 0;
  guint shift;
  char c;
  guint64 five_power = 1;
  guint64 part;
  guint64 total;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  while (*p == ' ' || *p == '\t')
    p++;
  end = p + strlen (p);
  while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  if ((gsize) (end - p) == strlen ("unlimited") && g_ascii_strncasecmp (p, "unlimited", (gsize) (end - p)) == 0)
    {
      *bytes = 0;
      return TRUE;
    }
  if ((gsize) (end - p) == strlen ("none") && g_ascii_strncasecmp (p, "none", (gsize) (end - p)) == 0)
    {
      *bytes = 0;
      return TRUE;
    }

  /* Digits only: no sign, no hexadecimal, no exponent, no "nan". */
  if (!g_ascii_isdigit (*p))
    {
      set_invalid (text, error);
      return FALSE;
    }
  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > ((guint64) G_MAXINT64 - (guint64) (*p - '0')) / 10)
        {
          set_too_large (text, error);
          return FALSE;
        }
      whole = whole * 10 + (guint64) (*p - '0');
    }
  if (*p == '.')
    {
      const char *digits = ++p;
      const char *last;

      if (!g_ascii_isdigit (*p))
        {
          set_invalid (text, error);
          return FALSE;
        }
      while (g_ascii_isdigit (*p))
        p++;
      /* Trailing zeros say nothing: 1.50G is 1.5G. */
      for (last = p; last > digits && last[-1] == '0'; last--)
        ;
      if (last - digits > MAX_DECIMALS)
        {
          g_set_error (error, MW_SIZE_ERROR, MW_SIZE_ERROR_INEXACT,
                       _("“%s” is not a whole number of bytes."), text);
          return FALSE;
        }
      for (const char *d = digits; d < last; d++)
        {
          fraction = fraction * 10 + (guint64) (*d - '0');
          scale *= 10;
          five_power *= 5;
          decimals++;
        }
    }
  while (*p == ' ' || *p == '\t')
    p++;
  c = g_ascii_tolower (*p);
  if (c != '\0' && strchr ("kmgt", c) != NULL)
    {
      shift = c == 'k' ? 10 : c == 'm' ? 20 : c == 'g' ? 30 : 40;
      p++;
      /* "M", "MB" and "MiB" all mean 2^20, as in dbmail-users. */
      if (g_ascii_tolower (p[0]) == 'i' && g_ascii_tolower (p[1]) == 'b')
        p += 2;
      else if (g_ascii_tolower (p[0]) == 'b')
        p++;
    }
  else if (c == 'b')
    {
      shift = 0;
      p++;
    }
  else
    shift = (guint) unit;
  if (p != end)
    {
      set_invalid (text, error);
      return FALSE;
    }

  /* whole * 2^shift + fraction / 10^decimals * 2^shift, the second part a
   * whole number only when fraction is a multiple of 5^decimals (2^shift
   * has no factor 5) and the rest of the division by 2^decimals comes out
   * even. */
  if (fraction % five_power != 0)
    goto inexact;
  part = fraction / five_power;          /* < 2^decimals */
  if (decimals > shift)
    {
      if (part % (G_GUINT64_CONSTANT (1) << (decimals - shift)) != 0)
        goto inexact;
      part >>= decimals - shift;
    }
  else
    part <<= shift - decimals;           /* < 2^shift */
  if (whole > ((guint64) G_MAXINT64 >> shift) || (whole << shift) > (guint64) G_MAXINT64 - part)
    {
      set_too_large (text, error);
      return FALSE;
    }
  total = (whole << shift) + part;
  if (unit != MW_SIZE_UNIT_BYTES && total % (G_GUINT64_CONSTANT (1) << unit) != 0)
    goto inexact;
  *bytes = (gint64) total;
  return TRUE;

inexact:
  if (unit == MW_SIZE_UNIT_BYTES)
    g_set_error (error, MW_SIZE_ERROR, MW_SIZE_ERROR_INEXACT, _("“%s” is not a whole number of bytes."), text);
  else
    {
      g_autofree char *in = g_format_size_full (G_GUINT64_CONSTANT (1) << unit, G_FORMAT_SIZE_IEC_UNITS);

      /* Translators: "“1.1” is not a whole number of 1.0 MiB." */
      g_set_error (error, MW_SIZE_ERROR, MW_SIZE_ERROR_INEXACT, _("“%s” is not a whole number of %s."), text, in);
    }
  return FALSE;
}
