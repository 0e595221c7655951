/* mw-public-folder-dialog.h: create a public folder ("#Public/…", flavours
 * with sharing: DBMail), after asking to create the special accounts it
 * needs where they are missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_PUBLIC_FOLDER_DIALOG (mw_public_folder_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwPublicFolderDialog, mw_public_folder_dialog, MW, PUBLIC_FOLDER_DIALOG, AdwWindow)

/* "New Public Folder": its name and what every user may do in it. When
 * "anyone" or "__public__" is missing, Create first asks whether to create
 * them (as DBMail's schema seeds them); "created" (text for a toast) once
 * the folder and its row are there; the dialog then closes. */
MwPublicFolderDialog *mw_public_folder_dialog_new  (MwSession *session);
/* What the main window calls: the dialog, transient for @parent, which
 * gets the toast. */
GtkWindow  *mw_public_folder_dialog_open          (GtkWindow *parent, MwSession *session);

/* For tests: waiting for the database (not while the question is asked). */
gboolean    mw_public_folder_dialog_is_busy       (MwPublicFolderDialog *self);
/* For tests: the sentence shown in the dialog, or NULL. */
const char *mw_public_folder_dialog_get_error     (MwPublicFolderDialog *self);
/* For tests: the question about the special accounts while it is shown. */
AdwMessageDialog *mw_public_folder_dialog_get_question (MwPublicFolderDialog *self);
/* For tests, as typed: "name" (text), "rights" ("read", "write", "none"). */
void        mw_public_folder_dialog_set_field     (MwPublicFolderDialog *self, const char *field,
                                                   const char *value);
/* For tests: the last toast's text from a dialog opened on a window. */
const char *mw_public_folder_dialog_get_last_toast (void);

G_END_DECLS
