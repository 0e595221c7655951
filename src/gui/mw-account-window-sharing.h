/* mw-account-window-sharing.h: the Sharing tab of an account window, where
 * the flavour keeps shared folders (mw_schema_has_sharing (): DBMail).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-account-window.h"
#include "mw-rights-dialog.h"
#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ACCOUNT_SHARING (mw_account_sharing_get_type ())
G_DECLARE_FINAL_TYPE (MwAccountSharing, mw_account_sharing, MW, ACCOUNT_SHARING, AdwBin)

/* The window's Sharing tab, or NULL where the flavour has none. (transfer none) */
MwAccountSharing *mw_account_window_get_sharing (MwAccountWindow *window);

/* For tests: loading, or writing a change (or its Undo). */
gboolean    mw_account_sharing_is_busy    (MwAccountSharing *self);
/* For tests: whether the rows were read once. */
gboolean    mw_account_sharing_is_loaded  (MwAccountSharing *self);
/* For tests: what the rows of a group say, "own" or "shared", one string
 * a row: "title: subtitle" (a folder's grantees as rows of their own). */
GStrv       mw_account_sharing_dup_rows   (MwAccountSharing *self, const char *group);
/* For tests: the title of a group ("own" or "shared"). */
const char *mw_account_sharing_get_title  (MwAccountSharing *self, const char *group);
/* For tests, as a person would: presses the button @what ("share",
 * "change", "revoke") of the row of @folder (as the tab shows it) and
 * @grantee (NULL for "share"); FALSE when there is no such button. */
gboolean    mw_account_sharing_press      (MwAccountSharing *self, const char *what, const char *folder,
                                           const char *grantee);
/* For tests: the text of the last toast, or NULL, and the toast itself
 * while it offers Undo. */
const char *mw_account_sharing_get_toast      (MwAccountSharing *self);
AdwToast   *mw_account_sharing_get_undo_toast (MwAccountSharing *self);
/* For tests: the sentence above the rows, or NULL. */
const char *mw_account_sharing_get_error  (MwAccountSharing *self);

G_END_DECLS
