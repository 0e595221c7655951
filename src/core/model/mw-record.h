/* mw-record.h: one row of a list; a placeholder until its page arrives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

#define MW_TYPE_RECORD (mw_record_get_type ())
G_DECLARE_FINAL_TYPE (MwRecord, mw_record, MW, RECORD, GObject)

MwRecord   *mw_record_new           (guint position);
guint       mw_record_get_position  (MwRecord *self);
gboolean    mw_record_get_loaded    (MwRecord *self);
/* Column values by name; NULL / 0 while not loaded or when the value is NULL. */
const char *mw_record_get_string    (MwRecord *self, const char *column);
gint64      mw_record_get_int64     (MwRecord *self, const char *column);
GDateTime  *mw_record_get_timestamp (MwRecord *self, const char *column); /* (transfer full) */
gboolean    mw_record_is_null       (MwRecord *self, const char *column);

/* For MwPagedModel: fills the record from a page result (notifies "loaded"). */
void        _mw_record_set_row      (MwRecord *self, MwDbResult *result, guint row);
void        _mw_record_clear        (MwRecord *self);

G_END_DECLS
