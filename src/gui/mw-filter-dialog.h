/* mw-filter-dialog.h: the "Add a Filter" dialog of server-side filters,
 * used by the account window's Rules tab (a user's filter) and by the main
 * window's Filters list (also for everyone), and the list's Delete with
 * Undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

/* "Add a Filter" with the header, value and folder fields (and, with
 * @ask_owner, "For everyone" and the user), filled from @typed when given;
 * the body is @error (the core's refusal) or the sentence on how values
 * match. Responses "cancel" and "add". Not presented. (transfer none) */
AdwMessageDialog *mw_filter_dialog_new        (GtkWindow *parent, gboolean ask_owner, const MwFilter *typed,
                                               const char *user, const char *error);
/* What was typed: a new filter (global set from "For everyone"). */
MwFilter         *mw_filter_dialog_get_filter (AdwMessageDialog *dialog);
/* The user typed, or NULL for everyone (or without @ask_owner). (transfer none) */
const char       *mw_filter_dialog_get_user   (AdwMessageDialog *dialog);
/* A field: "header", "value", "folder", "user" (GtkEditable) or
 * "everyone" (GtkSwitch), for tests. (transfer none) */
GtkWidget        *mw_filter_dialog_get_field  (AdwMessageDialog *dialog, const char *name);

/* The Filters list's Add: the dialog for everyone's or a user's filter;
 * a refusal asks again with the core's sentence; the session's "changed"
 * reloads the list. (transfer none) */
AdwMessageDialog *mw_filter_open_add          (GtkWindow *parent, MwSession *session);
/* Asks whether to delete the filter numbered @id; deleted, a toast in
 * @parent (an MwWindow) offers Undo. (transfer none) */
AdwMessageDialog *mw_filter_open_actions      (GtkWindow *parent, MwSession *session, gint64 id);
/* The last Delete's toast of @parent, for tests. (transfer none) */
AdwToast         *mw_filter_get_undo_toast    (GtkWindow *parent);

G_END_DECLS
