/* mw-busy-indicator.c: a small turning arc beside a list while it loads.
 *
 * GtkSpinner turns by a CSS animation, and in GTK 4.8 a running CSS
 * animation makes every frame walk the style of the whole window: beside a
 * column view of 200 rows (3,400 style nodes) each frame took 27-49 ms
 * instead of 8-12 for as long as the list loaded (a search of a million
 * users: a second or more). This one draws its arc itself and asks only for
 * its own redraw, so a frame while loading costs what a frame costs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "mw-busy-indicator.h"

#define SIZE 16
/* One turn per second, like GtkSpinner. */
#define TURN_US G_USEC_PER_SEC

struct _MwBusyIndicator
{
  GtkWidget parent_instance;

  gboolean  busy;
  guint     tick_id;
  double    angle;
};

G_DEFINE_FINAL_TYPE (MwBusyIndicator, mw_busy_indicator, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  MwBusyIndicator *self = MW_BUSY_INDICATOR (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  self->angle = 2 * G_PI * (double) (now % TURN_US) / TURN_US;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
update_ticking (MwBusyIndicator *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean want = self->busy && gtk_widget_get_mapped (widget);

  if (want && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (widget, on_tick_cb, NULL, NULL);
  else if (!want && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
    }
}

static void
mw_busy_indicator_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  MwBusyIndicator *self = MW_BUSY_INDICATOR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double radius = MIN (width, height) / 2.0 - 1.5;
  GdkRGBA color;
  cairo_t *cr;

  if (!self->busy || radius <= 0)
    return;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  /* A faint full circle, and a quarter of it in the text colour turning. */
  color.alpha *= 0.25;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  cairo_stroke (cr);
  color.alpha *= 4;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, self->angle, self->angle + G_PI / 2);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
mw_busy_indicator_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = *natural = SIZE;
}

static void
mw_busy_indicator_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mw_busy_indicator_parent_class)->map (widget);
  update_ticking (MW_BUSY_INDICATOR (widget));
}

static void
mw_busy_indicator_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mw_busy_indicator_parent_class)->unmap (widget);
  update_ticking (MW_BUSY_INDICATOR (widget));
}

static void
mw_busy_indicator_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, MW_BUSY_INDICATOR (object)->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_busy_indicator_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      mw_busy_indicator_set_busy (MW_BUSY_INDICATOR (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_busy_indicator_class_init (MwBusyIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mw_busy_indicator_get_property;
  object_class->set_property = mw_busy_indicator_set_property;
  widget_class->snapshot = mw_busy_indicator_snapshot;
  widget_class->measure = mw_busy_indicator_measure;
  widget_class->map = mw_busy_indicator_map;
  widget_class->unmap = mw_busy_indicator_unmap;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "busyindicator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
mw_busy_indicator_init (MwBusyIndicator *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading…"), -1);
}

GtkWidget *
mw_busy_indicator_new (void)
{
  return g_object_new (MW_TYPE_BUSY_INDICATOR, NULL);
}

void
mw_busy_indicator_set_busy (MwBusyIndicator *self,
                            gboolean         busy)
{
  g_return_if_fail (MW_IS_BUSY_INDICATOR (self));

  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
  update_ticking (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
mw_busy_indicator_get_busy (MwBusyIndicator *self)
{
  g_return_val_if_fail (MW_IS_BUSY_INDICATOR (self), FALSE);
  return self->busy;
}
