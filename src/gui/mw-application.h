/* mw-application.h: the Mailwarden application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_APPLICATION (mw_application_get_type ())
G_DECLARE_FINAL_TYPE (MwApplication, mw_application, MW, APPLICATION, AdwApplication)

/* Registers the resources of the core and the GUI; tests call it too. */
void           mw_gui_init                   (void);
MwApplication *mw_application_new            (void);
/* Connects (password from the settings, the keyring or a prompt) and opens a
 * main window; errors are shown to the person. */
void           mw_application_connect        (MwApplication *self, const char *name, const MwDbSettings *settings);
void           mw_application_start_demo     (MwApplication *self);
void           mw_application_start_flavour_demo (MwApplication *self,
                                                  MwDemoFlavour  flavour);
void           mw_application_open_session   (MwApplication *self, MwSession *session);
/* The main window of the newest session, or NULL. */
GtkWindow     *mw_application_get_main_window (MwApplication *self);
/* NULL when the GSettings schema is not installed (an uninstalled build
 * without GSETTINGS_SCHEMA_DIR); callers then use the defaults. */
GSettings     *mw_application_get_settings   (MwApplication *self);

/* The cost Preferences sets for new hashes of scheme_name: the bcrypt cost
 * for bcrypt; 0 (the scheme's default) for the other schemes and when no
 * MwApplication runs. Safe to call from the main thread only. */
gulong         mw_application_password_rounds (const char  *scheme_name);

G_END_DECLS
