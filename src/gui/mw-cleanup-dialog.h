/* mw-cleanup-dialog.h: the cleanup dialog: a switch per step, Preview
 * (counts and samples, nothing changed), Apply with progress and Stop,
 * then what was done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_CLEANUP_DIALOG (mw_cleanup_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwCleanupDialog, mw_cleanup_dialog, MW, CLEANUP_DIALOG, AdwWindow)

MwCleanupDialog *mw_cleanup_dialog_new          (MwSession *session);

/* For tests: a preview or an apply runs. */
gboolean          mw_cleanup_dialog_is_busy      (MwCleanupDialog *self);
/* Turns the step's switch on or off; FALSE where the flavour lacks it. */
gboolean          mw_cleanup_dialog_set_step     (MwCleanupDialog *self, MwCleanupStep step, gboolean on);
/* The sentence above the buttons ("Preview: 7 rows to change in 3 steps."). */
const char       *mw_cleanup_dialog_get_status   (MwCleanupDialog *self);
/* What the last preview or apply showed, one line a row: "<step title>:
 * <summary>", then its samples. (transfer full) */
char             *mw_cleanup_dialog_dup_text     (MwCleanupDialog *self);
/* The question asked now (before a destructive apply, or closing while
 * it runs), or NULL. */
AdwMessageDialog *mw_cleanup_dialog_get_question (MwCleanupDialog *self);

G_END_DECLS
