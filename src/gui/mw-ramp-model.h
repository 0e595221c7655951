/* mw-ramp-model.h: a list model that shows a large new list over several frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MW_TYPE_RAMP_MODEL (mw_ramp_model_get_type ())
G_DECLARE_FINAL_TYPE (MwRampModel, mw_ramp_model, MW, RAMP_MODEL, GObject)

/* Wraps @model. When @model grows from fewer than a view's rows to many, the
 * first rows appear at once and the rest over the next frames of @widget's
 * frame clock, a few each frame, so that GTK 4.8's list views never build
 * two hundred rows in one main-loop iteration. Positions are @model's. */
MwRampModel *mw_ramp_model_new        (GListModel *model,
                                       GtkWidget  *widget);
GListModel  *mw_ramp_model_get_model  (MwRampModel *self);
/* TRUE while part of the model is still held back. */
gboolean     mw_ramp_model_is_ramping (MwRampModel *self);

G_END_DECLS
