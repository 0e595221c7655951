/* mw-message-private.h: what the DBMail flavour's message reading uses of the message model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-message.h"

G_BEGIN_DECLS

/* A word to find, case-folded once for every message of a search. */
typedef struct _MwMessageNeedle MwMessageNeedle;

MwMessageNeedle *_mw_message_needle_new   (const char            *needle);
void             _mw_message_needle_free  (MwMessageNeedle       *needle);
/* mw_message_raw_text_contains with a needle made once; safe on any
 * thread, the needle shared read-only. */
gboolean         _mw_message_raw_contains (GBytes                *raw,
                                           const MwMessageNeedle *needle);

/* The message parsed from raw, as stored for physmessage_id. (transfer full) */
MwMessage       *_mw_message_new          (GBytes                *raw,
                                           gint64                 physmessage_id,
                                           MwMessageLoadFlags     flags);

G_END_DECLS
