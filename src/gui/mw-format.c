/* mw-format.c: one way to show dates and stored addresses on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-format"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "mailwarden-core.h"
#include "mw-format.h"

char *
mw_format_date_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  local = g_date_time_to_local (date_time);
  /* Translators: a date and time to the minute, as every list and window
   * shows it; strftime() codes (%d day, %m month, %Y year, %H:%M time), for
   * example "%d.%m.%Y %H:%M" */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

char *
mw_format_date_time_seconds (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  local = g_date_time_to_local (date_time);
  /* Translators: the same date and time with seconds (message and audit
   * windows); keep it in step with "%Y-%m-%d %H:%M" */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M:%S"));
}

char *
mw_format_timestamp_text (const char *text)
{
  int y, mo, d, h, mi;
  double s = 0;
  int n;
  g_autoptr(GDateTime) date_time = NULL;

  if (text == NULL)
    return g_strdup ("");
  n = sscanf (text, "%4d-%2d-%2d %2d:%2d:%lf", &y, &mo, &d, &h, &mi, &s);
  if (n < 5)
    return g_strdup (text);
  date_time = g_date_time_new_local (y, mo, d, h, mi, n >= 6 ? s : 0);
  if (date_time == NULL)
    return g_strdup (text);
  return mw_format_date_time (date_time);
}

char *
mw_format_address (const char *stored)
{
  if (stored == NULL)
    return g_strdup ("");
  return mw_address_to_display (stored);
}
