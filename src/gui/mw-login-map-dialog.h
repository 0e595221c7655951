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
/* Asks whether to delete the map of the list row @key. (transfer none) */
AdwMessageDialog *mw_login_map_open_actions (GtkWindow *parent, MwSession *session, const char *key);
/* The Add dialog's field ("login", "user", "allow", "deny"), for tests. (transfer none) */
GtkEditable      *mw_login_map_dialog_get_field (AdwMessageDialog *dialog, const char *name);

G_END_DECLS
