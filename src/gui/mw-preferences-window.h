/* mw-preferences-window.h: the settings a person may change, stored in GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MW_TYPE_PREFERENCES_WINDOW (mw_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (MwPreferencesWindow, mw_preferences_window, MW, PREFERENCES_WINDOW, AdwPreferencesWindow)

MwPreferencesWindow *mw_preferences_window_new (GSettings *settings);

G_END_DECLS
