/* mw-rights-dialog.h: who may do what in one folder (flavours with
 * sharing: DBMail's ACLs): grant, change and revoke a user's or every
 * user's rights, with Undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

/* What a change did, to undo it with: the grantee had @before on the folder
 * (MW_RIGHTS_NONE: no row). */
typedef struct
{
  char     *mailbox_key;
  char     *folder;       /* the folder as shown, for the toast */
  char     *grantee;
  MwRights  before;
} MwRightsChange;

MwRightsChange *mw_rights_change_copy (const MwRightsChange *change);
void            mw_rights_change_free (MwRightsChange *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwRightsChange, mw_rights_change_free)

/* Puts the rights of @change back (removes the row where there was none).
 * _finish: TRUE, or FALSE with the core's sentence. */
void     mw_rights_change_undo_async  (MwSession *session, const MwRightsChange *change,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean mw_rights_change_undo_finish (MwSession *session, GAsyncResult *result, GError **error);

#define MW_TYPE_RIGHTS_DIALOG (mw_rights_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwRightsDialog, mw_rights_dialog, MW, RIGHTS_DIALOG, AdwWindow)

/* "Share a Folder": one of @folders (MwAclEntry of the owner's folders:
 * each folder once is enough) is chosen, or the only one given is fixed; a
 * user's login name or every user; Read only checked. */
MwRightsDialog *mw_rights_dialog_new_share  (MwSession *session, GPtrArray *folders);
/* "Change Rights": @entry's folder and grantee fixed, its rights checked;
 * Revoke Access takes the row away. */
MwRightsDialog *mw_rights_dialog_new_change (MwSession *session, const MwAclEntry *entry);

/* Opens a row of the Sharing list (@folder as the list shows it,
 * "#Users/alice/Team" or "#Public/News", and @grantee): finds the folder,
 * reads its rows afresh and opens "Change Rights" transient for @parent
 * (an MwWindow gets the toast, with Undo). @grantee "" (a public folder
 * nobody has rights on yet) opens "Share a Folder" for it instead. */
void            mw_rights_dialog_open_row   (GtkWindow *parent, MwSession *session, const char *folder,
                                             const char *grantee);

/* "changed" (const char *toast, MwRightsChange *undo) once the core wrote
 * the row; "deleted" (const char *toast) once a public folder is deleted
 * (Delete Public Folder…, asked first; no Undo). The dialog then closes. */

/* For tests: waiting for the database. */
gboolean    mw_rights_dialog_is_busy     (MwRightsDialog *self);
/* For tests: the sentence shown in the dialog, or NULL. */
const char *mw_rights_dialog_get_error   (MwRightsDialog *self);
/* For tests: the letters of the checks, and the line that shows them. */
char       *mw_rights_dialog_dup_letters (MwRightsDialog *self);
const char *mw_rights_dialog_get_letters_line (MwRightsDialog *self);
/* For tests, as a person would: "grantee" (typed), "anyone" ("yes"/"no"),
 * "letters" (the checks set to exactly these), "folder" (the folder shown
 * so, chosen). */
void        mw_rights_dialog_set_field   (MwRightsDialog *self, const char *field, const char *value);
/* For tests: the window's last toast from a row of the Sharing list (or
 * NULL), and whether such a change is under way. */
const char *mw_rights_dialog_get_last_toast (void);
gboolean    mw_rights_dialog_is_changing    (void);
/* For tests: the question before deleting a public folder, while shown. */
AdwMessageDialog *mw_rights_dialog_get_question (void);

G_END_DECLS
