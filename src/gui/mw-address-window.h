/* mw-address-window.h: every row of one address: the users it delivers to and where it forwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ADDRESS_WINDOW (mw_address_window_get_type ())
G_DECLARE_FINAL_TYPE (MwAddressWindow, mw_address_window, MW, ADDRESS_WINDOW, AdwWindow)

MwAddressWindow *mw_address_window_new      (MwSession *session, const char *address);
const char      *mw_address_window_get_address (MwAddressWindow *self);

/* For tests: busy loading or writing; the rows shown ("target | kind");
 * the error shown, or NULL. */
gboolean         mw_address_window_is_busy  (MwAddressWindow *self);
GStrv            mw_address_window_dup_rows (MwAddressWindow *self);
const char      *mw_address_window_get_error (MwAddressWindow *self);
/* As a person would do it, for the row whose target is target:
 * "delete", "to-alias" (value: a user), "retarget" (value: the new target),
 * "move" (value: a user); with target NULL, "add-forward" or "add-user"
 * (value: where to). */
void             mw_address_window_apply    (MwAddressWindow *self, const char *op, const char *target,
                                             const char *value);

G_END_DECLS
