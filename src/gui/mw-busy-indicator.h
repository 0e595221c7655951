/* mw-busy-indicator.h: a small turning arc beside a list while it loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MW_TYPE_BUSY_INDICATOR (mw_busy_indicator_get_type ())
G_DECLARE_FINAL_TYPE (MwBusyIndicator, mw_busy_indicator, MW, BUSY_INDICATOR, GtkWidget)

GtkWidget *mw_busy_indicator_new      (void);
void       mw_busy_indicator_set_busy (MwBusyIndicator *self,
                                       gboolean         busy);
gboolean   mw_busy_indicator_get_busy (MwBusyIndicator *self);

G_END_DECLS
