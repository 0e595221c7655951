/* mw-message-reader.h: the text DBMail 3.5's IMAP server serves for a message's stored rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One partlists row with the mimeparts data it points to. */
typedef struct
{
  int     part_key;
  int     part_depth;
  int     part_order;
  gboolean is_header;
  GBytes *data;
} MwMessagePart;

void       mw_message_part_free       (gpointer part);

/* What IMAP serves for these rows: glued together by DBMail's rules, then
 * read and written out by GMime as DBMail does, with LF line ends. That is
 * not always the delivered message: DBMail's rebuild adds line breaks and
 * closing boundaries of its own (see mw-message-reader.c). */
GBytes    *mw_message_store_join      (GPtrArray *parts);     /* parts in any order */
/* The text DBMail glues the rows into before GMime reads it: the same MIME
 * tree as mw_message_store_join's, without GMime's writing pass (for
 * searching, which parses it anyway). */
GBytes    *mw_message_store_assemble  (GPtrArray *parts);     /* parts in any order */

/* g_mime_init, once per process (it is not thread-safe); every user of
 * GMime in the core calls this first. */
void       mw_message_store_ensure_gmime (void);

G_END_DECLS
