/* mw-connect-window.h: saved connections, their passwords in the keyring, Test and Connect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_CONNECT_WINDOW (mw_connect_window_get_type ())
G_DECLARE_FINAL_TYPE (MwConnectWindow, mw_connect_window, MW, CONNECT_WINDOW, AdwApplicationWindow)

MwConnectWindow *mw_connect_window_new         (GtkApplication *app);
/* For tests and for --profile: select a saved connection (its password is
 * looked up in the keyring). */
gboolean         mw_connect_window_select      (MwConnectWindow *self, const char *profile);
/* --profile NAME: selects it and connects as soon as the keyring gives its
 * password; without one stored, the window asks for it. */
void             mw_connect_window_connect_profile (MwConnectWindow *self, const char *profile);
/* For tests: fill the form from settings. */
void             mw_connect_window_fill        (MwConnectWindow *self, const char *name, const MwDbSettings *settings);
const char      *mw_connect_window_get_message (MwConnectWindow *self);
const char      *mw_connect_window_get_password (MwConnectWindow *self);
gboolean         mw_connect_window_is_busy     (MwConnectWindow *self);
/* The names of the rows marked as wrong, comma-separated ("user,password"). */
char            *mw_connect_window_dup_marked  (MwConnectWindow *self);

G_END_DECLS
