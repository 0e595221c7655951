/* mw-message-writer.h: cut a message into the rows DBMail 3.5 stores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-message-cache.h"
#include "mw-message-reader.h"

G_BEGIN_DECLS

/* Everything DBMail's writer stores for one message, before it meets a
 * database (the DBMail flavour's mw-dbmail-store.c writes it). */
typedef struct
{
  GPtrArray      *parts;      /* MwMessagePart, in the order DBMail writes them; NULL when size is 0 */
  gsize           size;       /* with LF line ends, up to a NUL byte: physmessage.messagesize */
  gsize           rfc_size;   /* with CRLF line ends, as DBMail measures it: physmessage.rfcsize */
  MwMessageCache *cache;      /* header cache, envelope, references; NULL when size is 0 */
} MwMessageRows;

/* raw with CRLF or LF line ends; internal_date stands in for a missing
 * Date: header. (transfer full) */
MwMessageRows *mw_message_rows_new   (GBytes        *raw,
                                      GDateTime     *internal_date);
void           mw_message_rows_free  (MwMessageRows *rows);

/* The parts alone, without a database: the rows mw_message_store_deliver
 * would write. (transfer full) (element-type MwMessagePart) */
GPtrArray     *mw_message_store_split (GBytes       *raw);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMessageRows, mw_message_rows_free)

G_END_DECLS
