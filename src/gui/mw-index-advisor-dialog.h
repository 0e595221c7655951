/* mw-index-advisor-dialog.h: the index advisor (issue 19, F8): the search
 * time measured now, the indexes that would make search fast with a
 * sentence each, "Create Indexes" (asks first, then runs with progress and
 * Stop) with the gain, and "Remove Indexes Mailwarden Created".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_INDEX_ADVISOR_DIALOG (mw_index_advisor_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwIndexAdvisorDialog, mw_index_advisor_dialog, MW, INDEX_ADVISOR_DIALOG, AdwWindow)

/* Measures at once, on the session's worker. */
MwIndexAdvisorDialog *mw_index_advisor_dialog_new (MwSession *session);

/* For tests: work is running; the sentence at the top (the search time). */
gboolean    mw_index_advisor_dialog_is_busy    (MwIndexAdvisorDialog *self);
const char *mw_index_advisor_dialog_get_status (MwIndexAdvisorDialog *self);
/* The sentence after creating or removing ("" before). */
const char *mw_index_advisor_dialog_get_result (MwIndexAdvisorDialog *self);

G_END_DECLS
