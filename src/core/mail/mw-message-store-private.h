/* mw-message-store-private.h: what the message writer, the reader and the DBMail flavour's store share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gmime/gmime.h>

#include "mw-message-reader.h"

G_BEGIN_DECLS

/* dbmail_message_init_with_string: GMime's reading of text as DBMail does
 * it, a message or else a bare part; NULL when GMime finds neither.
 * (transfer full) */
GMimeObject *_mw_message_store_parse   (const char   *text);
/* What IMAP serves for a text DBMail put together; takes text over.
 * (transfer full) */
GBytes      *_mw_message_store_serve   (char         *text);
/* ORDER BY part_key, part_order, part_depth DESC, for g_ptr_array_sort. */
int          _mw_message_part_compare  (gconstpointer a,
                                        gconstpointer b);
/* At most max_bytes of UTF-8 text, never cutting a character: header
 * values that fit the cache's columns. (transfer full) */
char        *_mw_utf8_cut_bytes        (const char   *text,
                                        gsize         max_bytes);

G_END_DECLS
