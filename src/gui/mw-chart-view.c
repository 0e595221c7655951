/* mw-chart-view.c: a bar chart of the core's chart data, drawn with
 * GtkSnapshot in the theme's colours and the widget's font.
 *
 * Colours come from the style context (the foreground and libadwaita's
 * accent), so dark mode and high contrast follow. Text is laid out with
 * Pango in the widget's font and measured, never given a fixed width: a
 * long label in any language gets the room it needs (up to two fifths of
 * the width, then an ellipsis, with the whole text in the tooltip and the
 * accessible description).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-chart-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-chart-view.h"

#define ROW_PADDING   8     /* above and below a bar's text */
#define GAP           8     /* between label, bar and value */
#define COLUMNS_HEIGHT 120  /* the columns' area */

struct _MwChartView
{
  GtkWidget         parent_instance;

  MwChartViewStyle  style;
  MwChart          *chart;
  gboolean          activatable;
  int               focus_index;   /* the bar Enter opens, -1: none yet */
};

G_DEFINE_FINAL_TYPE (MwChartView, mw_chart_view, GTK_TYPE_WIDGET)

enum { ACTIVATE_POINT, N_SIGNALS };
static guint signals[N_SIGNALS];

static guint
n_points (MwChartView *self)
{
  return self->chart != NULL && self->chart->points != NULL ? self->chart->points->len : 0;
}

static MwChartPoint *
point (MwChartView *self,
       guint        i)
{
  return g_ptr_array_index (self->chart->points, i);
}

static const char *
value_text (MwChartPoint *p)
{
  return p->value_text != NULL ? p->value_text : "";
}

static PangoLayout *
make_layout (MwChartView *self,
             const char  *text)
{
  return gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
}

static int
line_height (MwChartView *self)
{
  g_autoptr(PangoLayout) layout = make_layout (self, "Ag");
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return h;
}

static int
max_text_width (MwChartView *self,
                gboolean     values)
{
  int widest = 0;

  for (guint i = 0; i < n_points (self); i++)
    {
      MwChartPoint *p = point (self, i);
      g_autoptr(PangoLayout) layout = make_layout (self, values ? value_text (p) : p->label);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      widest = MAX (widest, w);
    }
  return widest;
}

static gint64
max_value (MwChartView *self)
{
  gint64 top = 0;

  for (guint i = 0; i < n_points (self); i++)
    top = MAX (top, point (self, i)->value);
  return top;
}

/* Where things go in a BARS chart of this width. */
typedef struct
{
  int row_height;
  int label_width;
  int bar_x;
  int bar_room;
} BarsLayout;

static BarsLayout
bars_layout (MwChartView *self,
             int          width)
{
  BarsLayout l;
  int value_width = max_text_width (self, TRUE);

  l.row_height = line_height (self) + ROW_PADDING;
  l.label_width = MIN (max_text_width (self, FALSE), width * 2 / 5);
  l.bar_x = l.label_width + GAP;
  l.bar_room = MAX (1, width - l.bar_x - GAP - value_width);
  return l;
}

gboolean
mw_chart_view_get_point_area (MwChartView     *self,
                              guint            index,
                              graphene_rect_t *area)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  gint64 top;

  g_return_val_if_fail (MW_IS_CHART_VIEW (self), FALSE);

  if (index >= n_points (self))
    return FALSE;
  top = MAX (max_value (self), 1);
  if (self->style == MW_CHART_VIEW_BARS)
    {
      BarsLayout l = bars_layout (self, width);
      double w = (double) l.bar_room * (double) point (self, index)->value / (double) top;

      /* A bar of nothing is still there to click and to see. */
      graphene_rect_init (area, l.bar_x, index * l.row_height + 3, MAX (w, 2), l.row_height - 6);
    }
  else
    {
      double col = (double) width / n_points (self);
      int room = height - line_height (self) - 4 - line_height (self);
      double h = (double) room * (double) point (self, index)->value / (double) top;

      h = MAX (h, 1);
      graphene_rect_init (area, index * col + 1, line_height (self) + room - h, MAX (col - 2, 1), h);
    }
  return TRUE;
}

int
mw_chart_view_point_at (MwChartView *self,
                        double       x,
                        double       y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  g_return_val_if_fail (MW_IS_CHART_VIEW (self), -1);

  if (n_points (self) == 0 || x < 0 || y < 0 || x >= width)
    return -1;
  if (self->style == MW_CHART_VIEW_BARS)
    {
      /* The whole row counts: label, bar and value. */
      int row = (int) y / bars_layout (self, width).row_height;

      return row < (int) n_points (self) ? row : -1;
    }
  return MIN ((int) (x / ((double) width / n_points (self))), (int) n_points (self) - 1);
}

static void
get_colors (MwChartView *self,
            GdkRGBA     *fg,
            GdkRGBA     *bar)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, fg);
  /* libadwaita's accent, as the theme has it light or dark; else the text's colour, fainter. */
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", bar))
    {
      *bar = *fg;
      bar->alpha *= 0.6f;
    }
}

static void
draw_text (GtkSnapshot   *snapshot,
           PangoLayout   *layout,
           double         x,
           double         y,
           const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_focus (GtkSnapshot           *snapshot,
            const graphene_rect_t *area,
            const GdkRGBA         *fg)
{
  GskRoundedRect outline;
  float widths[4] = { 2, 2, 2, 2 };
  GdkRGBA colors[4] = { *fg, *fg, *fg, *fg };

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (area->origin.x - 3, area->origin.y - 2,
                                                                   area->size.width + 6, area->size.height + 4), 3);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

static void
snapshot_bars (MwChartView *self,
               GtkSnapshot *snapshot,
               int          width,
               const GdkRGBA *fg,
               const GdkRGBA *bar)
{
  BarsLayout l = bars_layout (self, width);
  int lh = line_height (self);

  for (guint i = 0; i < n_points (self); i++)
    {
      MwChartPoint *p = point (self, i);
      g_autoptr(PangoLayout) label = make_layout (self, p->label);
      g_autoptr(PangoLayout) value = make_layout (self, value_text (p));
      graphene_rect_t area;
      int y = i * l.row_height + (l.row_height - lh) / 2;
      int lw, lhh;

      pango_layout_set_width (label, l.label_width * PANGO_SCALE);
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (label, PANGO_ALIGN_RIGHT);
      pango_layout_get_pixel_size (label, &lw, &lhh);
      draw_text (snapshot, label, 0, y, fg);
      mw_chart_view_get_point_area (self, i, &area);
      gtk_snapshot_append_color (snapshot, bar, &area);
      draw_text (snapshot, value, area.origin.x + area.size.width + GAP, y, fg);
      if (self->activatable && gtk_widget_has_focus (GTK_WIDGET (self)) && (int) i == self->focus_index)
        draw_focus (snapshot, &GRAPHENE_RECT_INIT (0, i * l.row_height + 1, width, l.row_height - 2), fg);
    }
}

static void
snapshot_columns (MwChartView   *self,
                  GtkSnapshot   *snapshot,
                  int            width,
                  int            height,
                  const GdkRGBA *fg,
                  const GdkRGBA *bar)
{
  guint n = n_points (self);
  int lh = line_height (self);
  GdkRGBA axis = *fg;
  gint64 top = max_value (self);
  guint marks[3] = { 0, n / 2, n - 1 };

  /* The highest column's figure at the top left, so the scale is known. */
  for (guint i = 0; i < n; i++)
    if (point (self, i)->value == top)
      {
        /* Translators: above a chart of columns: the highest one's figure, "Most: 12 logins" */
        g_autofree char *text = g_strdup_printf (_("Most: %s"), value_text (point (self, i)));
        g_autoptr(PangoLayout) layout = make_layout (self, text);

        draw_text (snapshot, layout, 0, 0, fg);
        break;
      }
  for (guint i = 0; i < n; i++)
    {
      graphene_rect_t area;

      mw_chart_view_get_point_area (self, i, &area);
      gtk_snapshot_append_color (snapshot, bar, &area);
    }
  axis.alpha *= 0.4f;
  gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (0, height - lh - 4, width, 1));
  /* The first, middle and last labels, kept inside the chart. */
  for (guint m = 0; m < G_N_ELEMENTS (marks); m++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      double col = (double) width / n;
      double x;
      int w, h;

      if (m > 0 && marks[m] == marks[m - 1])
        continue;
      layout = make_layout (self, point (self, marks[m])->label);
      pango_layout_get_pixel_size (layout, &w, &h);
      x = marks[m] * col + col / 2 - w / 2.0;
      x = CLAMP (x, 0, MAX (0, width - w));
      draw_text (snapshot, layout, x, height - lh - 2, fg);
    }
}

static void
mw_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  MwChartView *self = MW_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg, bar;

  if (n_points (self) == 0)
    return;
  get_colors (self, &fg, &bar);
  if (self->style == MW_CHART_VIEW_BARS)
    snapshot_bars (self, snapshot, width, &fg, &bar);
  else
    snapshot_columns (self, snapshot, width, height, &fg, &bar);
}

static void
mw_chart_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  MwChartView *self = MW_CHART_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = MAX (*minimum, max_text_width (self, FALSE) + max_text_width (self, TRUE) + 2 * GAP + 200);
    }
  else if (self->style == MW_CHART_VIEW_BARS)
    *minimum = *natural = n_points (self) * (line_height (self) + ROW_PADDING);
  else
    *minimum = *natural = n_points (self) > 0 ? COLUMNS_HEIGHT + 2 * line_height (self) + 4 : 0;
}

static gboolean
on_query_tooltip_cb (GtkWidget   *widget,
                     int          x,
                     int          y,
                     gboolean     keyboard,
                     GtkTooltip  *tooltip,
                     MwChartView *self)
{
  int i = keyboard ? self->focus_index : mw_chart_view_point_at (self, x, y);
  g_autofree char *text = NULL;

  if (i < 0 || i >= (int) n_points (self))
    return FALSE;
  text = g_strdup_printf ("%s: %s", point (self, i)->label, value_text (point (self, i)));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
activate_point (MwChartView *self,
                int          i)
{
  if (!self->activatable || i < 0 || i >= (int) n_points (self) || point (self, i)->key == NULL)
    return;
  g_signal_emit (self, signals[ACTIVATE_POINT], 0, point (self, i)->key);
}

static void
on_click_released_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      MwChartView     *self)
{
  int i = mw_chart_view_point_at (self, x, y);

  if (i < 0)
    return;
  self->focus_index = i;
  activate_point (self, i);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   MwChartView           *self)
{
  int n = n_points (self);

  if (!self->activatable || n == 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      self->focus_index = MAX (0, self->focus_index - 1);
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      self->focus_index = MIN (n - 1, self->focus_index + 1);
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
      activate_point (self, MAX (self->focus_index, 0));
      return TRUE;
    default:
      return FALSE;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
on_focus_changed_cb (MwChartView *self)
{
  if (self->focus_index < 0)
    self->focus_index = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_accessible (MwChartView *self)
{
  g_autofree char *description = NULL;

  if (self->chart == NULL)
    return;
  description = mw_chart_describe (self->chart);
  if (self->activatable)
    {
      /* Translators: added to a chart's figures read by a screen reader */
      char *more = g_strconcat (description, " ", _("Up and Down choose a bar, Enter opens it."), NULL);

      g_free (description);
      description = more;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->chart->title != NULL ? self->chart->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

void
mw_chart_view_set_chart (MwChartView *self,
                         MwChart     *chart)
{
  g_return_if_fail (MW_IS_CHART_VIEW (self));

  g_clear_pointer (&self->chart, mw_chart_free);
  self->chart = chart;
  self->focus_index = n_points (self) > 0 ? CLAMP (self->focus_index, 0, (int) n_points (self) - 1) : -1;
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const MwChart *
mw_chart_view_get_chart (MwChartView *self)
{
  g_return_val_if_fail (MW_IS_CHART_VIEW (self), NULL);

  return self->chart;
}

void
mw_chart_view_set_activatable (MwChartView *self,
                               gboolean     activatable)
{
  g_return_if_fail (MW_IS_CHART_VIEW (self));

  self->activatable = activatable;
  gtk_widget_set_focusable (GTK_WIDGET (self), activatable);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), activatable ? "pointer" : NULL);
  update_accessible (self);
}

GtkWidget *
mw_chart_view_new (MwChartViewStyle style)
{
  MwChartView *self = g_object_new (MW_TYPE_CHART_VIEW, NULL);

  self->style = style;
  return GTK_WIDGET (self);
}

static void
mw_chart_view_finalize (GObject *object)
{
  MwChartView *self = MW_CHART_VIEW (object);

  g_clear_pointer (&self->chart, mw_chart_free);

  G_OBJECT_CLASS (mw_chart_view_parent_class)->finalize (object);
}

static void
mw_chart_view_class_init (MwChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = mw_chart_view_finalize;
  widget_class->snapshot = mw_chart_view_snapshot;
  widget_class->measure = mw_chart_view_measure;

  /**
   * MwChartView::activate-point:
   * @key: the point's key (the biggest mailboxes: an account key)
   */
  signals[ACTIVATE_POINT] = g_signal_new ("activate-point", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
mw_chart_view_init (MwChartView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->focus_index = -1;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (on_focus_changed_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}
