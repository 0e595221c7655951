/* mw-size-spin.h: quota spin buttons that read what the CLI and the import read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

/* Typed text goes through mw_size_parse_quota(): "500M", "1.5G", "unlimited"
 * or a bare number in @unit, the unit the button's value counts in. Text that
 * is not a whole number of @unit is refused (the button keeps its value). */
void mw_size_spin_attach   (GtkSpinButton *spin,
                            MwSizeUnit     unit);
void mw_size_spin_set_unit (GtkSpinButton *spin,
                            MwSizeUnit     unit);

G_END_DECLS
