/* mw-password-window.h: make and check password hashes, no database needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MW_TYPE_PASSWORD_WINDOW (mw_password_window_get_type ())
G_DECLARE_FINAL_TYPE (MwPasswordWindow, mw_password_window, MW, PASSWORD_WINDOW, AdwWindow)

MwPasswordWindow *mw_password_window_new (void);

/* For tests: fill the fields as a person would, and read what is shown. */
void        mw_password_window_set_hash_input  (MwPasswordWindow *self,
                                                const char       *scheme,
                                                const char       *password);
void        mw_password_window_set_check_input (MwPasswordWindow *self,
                                                const char       *stored_scheme,
                                                const char       *stored,
                                                const char       *password);
gboolean    mw_password_window_is_busy         (MwPasswordWindow *self);
const char *mw_password_window_get_stored      (MwPasswordWindow *self);
const char *mw_password_window_get_dovecot     (MwPasswordWindow *self);
const char *mw_password_window_get_check_result (MwPasswordWindow *self);

G_END_DECLS
