/* mw-import-dialog.h: import users from a CSV file: choose, preview, progress, report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_IMPORT_DIALOG (mw_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwImportDialog, mw_import_dialog, MW, IMPORT_DIALOG, AdwWindow)

/* settings (optional) gives the default password scheme. Emits "imported"
 * (a sentence for a toast) when users were created. */
MwImportDialog *mw_import_dialog_new      (MwSession *session, GSettings *settings);

/* For tests, as a person would do it: the file as if chosen (starts the
 * preview), the Import button. */
void            mw_import_dialog_set_file (MwImportDialog *self, GFile *file);
void            mw_import_dialog_set_generate_passwords (MwImportDialog *self, gboolean generate);
void            mw_import_dialog_import   (MwImportDialog *self);
/* "choose" (also while the file is checked), "preview", "progress" or "report". */
const char     *mw_import_dialog_get_step (MwImportDialog *self);
/* The sentences of the refused lines shown now ("Line N: ..."); a file
 * refused as a whole gives its one sentence. (transfer full) */
GStrv           mw_import_dialog_dup_messages (MwImportDialog *self);
/* Users the preview would create ("preview") or the import created ("report"). */
guint           mw_import_dialog_get_created (MwImportDialog *self);
/* The generated passwords as name,password CSV, owner-only; as "Save Passwords…". */
gboolean        mw_import_dialog_save_passwords_to (MwImportDialog *self, GFile *file, GError **error);

G_END_DECLS
