/* mw-login-map-dialog.h: adding and deleting login maps from the Login Maps
 * list (DBMail's table of login maps), for the main window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

/* A dialog for a new map (login, user or ANY format, sockets); on success
 * the session's "changed" reloads the list. Returns the dialog. (transfer none) */
AdwMessageDialog *mw_login_map_open_add     (GtkWindow *parent, MwSession *session);
/* The map of the list row @key, read afresh, in the fields: Save changes
 * it (its sockets, login or user), Delete deletes it. (transfer none) */
AdwMessageDialog *mw_login_map_open_actions (GtkWindow *parent, MwSession *session, const char *key);

/* Called once a change is done: @before the row as it was, or NULL with @error. */
typedef void (*MwLoginMapChangedFunc) (const MwLoginMap *before, const GError *error, gpointer data);

/* "Change the Login Map" with @map's values; Save updates it and calls
 * @done (may be NULL) with @data, freed with @data_free. (transfer none) */
AdwMessageDialog *mw_login_map_open_edit    (GtkWindow *parent, MwSession *session, const MwLoginMap *map,
                                             MwLoginMapChangedFunc done, gpointer data, GDestroyNotify data_free);
/* The Add dialog's field ("login", "user", "allow", "deny"), for tests. (transfer none) */
GtkEditable      *mw_login_map_dialog_get_field (AdwMessageDialog *dialog, const char *name);

G_END_DECLS
