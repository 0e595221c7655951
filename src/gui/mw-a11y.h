/* mw-a11y.h: what every window does for screen readers without being asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Installs, once, what mends GTK 4.8 for screen readers in every widget as
 * it is mapped: a button whose label has a mnemonic ("_Save") is read as
 * "_Save Save" by GTK 4.8 and one without as "Save Save"; each is named
 * once, without the underscore. Called by mw_gui_init(). */
void mw_a11y_init (void);

/* The text with mnemonic underscores removed ("_Save" -> "Save", "__" -> "_").
 * Returns: (transfer full) */
char *mw_a11y_strip_mnemonic (const char *text);

G_END_DECLS
