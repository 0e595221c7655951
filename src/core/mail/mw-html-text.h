/* mw-html-text.h: HTML mail as plain text to read, with nothing fetched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* html (UTF-8) as plain text: tags removed, entities decoded, block
 * elements as line breaks, images as their alt text, links as
 * "text <target>". (transfer full) */
char *mw_html_to_text      (const char *html,
                            gsize       len);

/* The charset a <meta> tag names in the first kilobytes, or NULL, for HTML
 * whose Content-Type names none. (transfer full) */
char *mw_html_meta_charset (const char *html,
                            gsize       len);

G_END_DECLS
