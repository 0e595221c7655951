/* mw-dialog-a11y.h: screen-reader names that libadwaita 1.2's own widgets leave out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Every AdwPasswordEntryRow under root: its show-text button, an icon that
 * GTK 4.8 names "GtkImage", is read as show_label, or hide_label while the
 * text is shown. */
void mw_dialog_a11y_name_password_rows (GtkWidget           *root,
                                        const char          *show_label,
                                        const char          *hide_label);
/* The outermost GtkListBoxes under root (not those inside a list's rows):
 * the list of an AdwPreferencesGroup is named after the group's title, and
 * without a title it is read as "GtkListBox". */
void mw_dialog_a11y_name_lists         (GtkWidget           *root,
                                        const char          *label);

G_END_DECLS
