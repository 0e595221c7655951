/* mw-ramp-model.c: a list model that shows a large new list over several frames.
 *
 * GTK 4.8's list and column views build a widget for every row near the
 * scroll position, up to 200 rows, as soon as the model says its items
 * changed: at a million users that is 200 rows of 8 cells each, built and
 * then measured in one main-loop iteration (60-150 ms here). This model
 * stands between the lazy model and the view. It passes every change
 * through, except rows appended to a list shorter than the view's 200 (an
 * empty list filled, a search's first page followed by its count): of
 * those, it shows the first few at once and the rest a few per frame, until
 * the view has all its rows; then the remainder (which needs no widgets) in
 * one step.
 *
 * The items shown are always the first ones of the wrapped model, so
 * positions mean the same in both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-ramp-model.h"

/* GTK 4.8 keeps at most this many row widgets (GTK_LIST_VIEW_MAX_LIST_ITEMS),
 * and a little more: past it, more items cost the view nothing. */
#define RAMP_ROWS_WITH_WIDGETS 240
/* Rows added per frame. Measured under Xvfb with the cairo renderer, a new
 * row of 8 cells costs the frame 2-4 ms, most of it in computing the style
 * of its widgets (which GTK does in a tick callback after ours), so a step
 * of 4 rows keeps a frame near 12-20 ms; steps of 8 made 25-40 ms frames,
 * and a first step of 48 rows one of 100-180 ms. */
#define RAMP_STEP 4
/* Shown at once: the first rows of the view, so that the list is never
 * blank for more than a frame. */
#define RAMP_FIRST_STEP 8

struct _MwRampModel
{
  GObject     parent_instance;

  GListModel *model;
  GtkWidget  *widget;     /* weak */
  guint       n_items;    /* of the wrapped model */
  guint       shown;      /* a prefix of it */
  guint       tick_id;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MwRampModel, mw_ramp_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
mw_ramp_model_get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (MW_RAMP_MODEL (model)->model);
}

static guint
mw_ramp_model_get_n_items (GListModel *model)
{
  return MW_RAMP_MODEL (model)->shown;
}

static gpointer
mw_ramp_model_get_item (GListModel *model,
                        guint       position)
{
  MwRampModel *self = MW_RAMP_MODEL (model);

  if (position >= self->shown)
    return NULL;
  return g_list_model_get_item (self->model, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = mw_ramp_model_get_item_type;
  iface->get_n_items = mw_ramp_model_get_n_items;
  iface->get_item = mw_ramp_model_get_item;
}

/* The rows shown with the first frame: the top of the view; the rest of the
 * screen fills over the next few frames. */
static guint
first_step (MwRampModel *self)
{
  return RAMP_FIRST_STEP;
}

static void
stop_ticking (MwRampModel *self)
{
  if (self->tick_id != 0 && self->widget != NULL)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
}

static void
show_more (MwRampModel *self,
           guint        n)
{
  guint old = self->shown;

  self->shown += n;
  g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n);
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  MwRampModel *self = user_data;

  if (self->shown >= RAMP_ROWS_WITH_WIDGETS)
    show_more (self, self->n_items - self->shown);
  else if (self->shown < self->n_items)
    show_more (self, MIN (RAMP_STEP, self->n_items - self->shown));
  if (self->shown < self->n_items)
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
on_items_changed_cb (GListModel  *model,
                     guint        position,
                     guint        removed,
                     guint        added,
                     MwRampModel *self)
{
  guint old_n = self->n_items;

  self->n_items = g_list_model_get_n_items (model);

  if (self->shown == old_n)
    {
      /* Rows appended where the view would build widgets for all of them (an
       * empty list filled, or a first page followed by its count): show what
       * fills the view now and the rest over the next frames, where a frame
       * clock can drive it. */
      if (position == old_n && removed == 0 && old_n < RAMP_ROWS_WITH_WIDGETS && self->widget != NULL)
        {
          guint first = first_step (self);
          guint now = old_n < first ? MIN (added, first - old_n) : 0;

          if (now < added)
            {
              self->shown = old_n + now;
              if (now > 0)
                g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, now);
              if (self->tick_id == 0)
                self->tick_id = gtk_widget_add_tick_callback (self->widget, on_tick_cb, self, NULL);
              return;
            }
        }
      self->shown = self->n_items;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }

  /* Ramping: a change among the rows held back waits for its turn. */
  if (position >= self->shown)
    return;
  if (position + removed < self->shown)
    {
      /* Inside the rows shown: the rows after it stay shown. */
      self->shown = self->shown - removed + added;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
    }
  else
    {
      /* It reaches past the rows shown: show a step of what replaces them. */
      guint visible_removed = self->shown - position;
      guint visible_added = MIN (added, first_step (self));

      self->shown = position + visible_added;
      g_list_model_items_changed (G_LIST_MODEL (self), position, visible_removed, visible_added);
    }
  if (self->shown >= self->n_items)
    {
      self->shown = self->n_items;
      stop_ticking (self);
    }
}

static void
mw_ramp_model_dispose (GObject *object)
{
  MwRampModel *self = MW_RAMP_MODEL (object);

  stop_ticking (self);
  g_clear_weak_pointer (&self->widget);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  G_OBJECT_CLASS (mw_ramp_model_parent_class)->dispose (object);
}

static void
mw_ramp_model_class_init (MwRampModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mw_ramp_model_dispose;
}

static void
mw_ramp_model_init (MwRampModel *self)
{
}

MwRampModel *
mw_ramp_model_new (GListModel *model,
                   GtkWidget  *widget)
{
  MwRampModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (MW_TYPE_RAMP_MODEL, NULL);
  self->model = g_object_ref (model);
  g_set_weak_pointer (&self->widget, widget);
  self->n_items = g_list_model_get_n_items (model);
  self->shown = self->n_items;
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), self);
  return self;
}

GListModel *
mw_ramp_model_get_model (MwRampModel *self)
{
  g_return_val_if_fail (MW_IS_RAMP_MODEL (self), NULL);
  return self->model;
}

gboolean
mw_ramp_model_is_ramping (MwRampModel *self)
{
  g_return_val_if_fail (MW_IS_RAMP_MODEL (self), FALSE);
  return self->shown < self->n_items;
}
