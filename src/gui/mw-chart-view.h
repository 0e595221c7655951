/* mw-chart-view.h: a bar chart of the core's chart data (mw-stats.h), drawn
 * with GtkSnapshot in the theme's colours and the widget's font.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

typedef enum
{
  MW_CHART_VIEW_BARS,     /* one row per point: label, bar, value (long labels in any language) */
  MW_CHART_VIEW_COLUMNS,  /* columns over time: the first, middle and last labels below */
} MwChartViewStyle;

#define MW_TYPE_CHART_VIEW (mw_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (MwChartView, mw_chart_view, MW, CHART_VIEW, GtkWidget)

GtkWidget     *mw_chart_view_new          (MwChartViewStyle style);
/* Takes the chart (transfer full; NULL: empty). The accessible label is its
 * title, the accessible description its numbers (mw_chart_describe ()). */
void           mw_chart_view_set_chart    (MwChartView *self, MwChart *chart);
const MwChart *mw_chart_view_get_chart    (MwChartView *self);
/* Whether a click (or Enter on the focused bar) emits "activate-point" with
 * the point's key (the biggest mailboxes: the account key). */
void           mw_chart_view_set_activatable (MwChartView *self, gboolean activatable);
/* The bar's area in widget coordinates, for tests. FALSE: no such point. */
gboolean       mw_chart_view_get_point_area (MwChartView *self, guint index, graphene_rect_t *area);
/* What a click at x, y in widget coordinates hits: the point's index or -1. */
int            mw_chart_view_point_at     (MwChartView *self, double x, double y);

G_END_DECLS
