/* mw-format.h: one way to show dates and stored addresses on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A date and time to the minute, in local time, in the form the translation
 * chooses (untranslated: 2025-01-20 14:05). Every list, window and dialog
 * shows dates this way; the CLI keeps ISO 8601 for scripts.
 * Returns: (transfer full) */
char *mw_format_date_time         (GDateTime  *date_time);
/* The same with the seconds, for the message and audit windows, where the
 * seconds tell events apart. */
char *mw_format_date_time_seconds (GDateTime  *date_time);
/* A database timestamp as the core's lists hand it over ("2025-01-20
 * 14:05:33", local time of the server, maybe with fractions) in the form
 * above; text that is not such a timestamp is returned as it is. */
char *mw_format_timestamp_text    (const char *text);
/* An address or domain as stored (A-labels, "xn--") shown in Unicode
 * ("bücher.example") when it converts back to exactly the stored form;
 * anything else as it is. Tooltips and exports keep the stored form. */
char *mw_format_address           (const char *stored);

G_END_DECLS
