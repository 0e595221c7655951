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
 * The reverse too: a list of many rows cut to a few (a search that matches
 * 80 users, where the list held a million) tears down the 120 row widgets
 * past the 80th in one iteration (20-23 ms here). Those rows stay a few
 * frames longer as blank rows ("ghosts": the items the view was given for
 * them, cleared by the lazy model) and go a step per frame.
 *
 * The items shown are always the first ones of the wrapped model, then any
 * ghosts after them, so positions mean the same in both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-ramp-model.h"

#include "mw-frame-meter.h"

/* GTK 4.8 keeps at most this many row widgets (GTK_LIST_VIEW_MAX_LIST_ITEMS),
 * and a little more: past it, more items cost the view nothing. */
#define RAMP_ROWS_WITH_WIDGETS 240
/* Rows added per frame after a light one (fewer after heavier frames, see
 * MwFrameMeter). Measured under Xvfb with the cairo renderer, a new row of
 * 8 cells costs the frame 2-4 ms, most of it in computing the style of its
 * widgets (which GTK does in a tick callback after ours), so a step of 4
 * rows keeps a frame near 12-20 ms; steps of 8 made 25-40 ms frames, and a
 * first step of 48 rows one of 100-180 ms. */
#define RAMP_STEP 4
/* Shown at once: the first rows of the view, so that the list is never
 * blank for more than a frame. */
#define RAMP_FIRST_STEP 8
/* Ghost rows taken away per frame: a row torn down costs about 0.2 ms. */
#define SHRINK_STEP 24

struct _MwRampModel
{
  GObject     parent_instance;

  GListModel *model;
  GtkWidget  *widget;     /* weak */
  guint       n_items;    /* of the wrapped model */
  guint       shown;      /* a prefix of it, or all of it and the ghosts */
  guint       ghosts;     /* rows shown past the wrapped model's end */
  guint       tick_id;
  MwFrameMeter *meter;
  /* The items given out for the first RAMP_ROWS_WITH_WIDGETS positions
   * (NULL where none was asked for): what the ghosts show. */
  GPtrArray  *handed;
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
  gpointer item;

  if (position >= self->shown)
    return NULL;
  if (position >= self->n_items)
    return g_object_ref (g_ptr_array_index (self->handed, position));
  item = g_list_model_get_item (self->model, position);
  if (item != NULL && position < RAMP_ROWS_WITH_WIDGETS)
    {
      if (position >= self->handed->len)
        g_ptr_array_set_size (self->handed, position + 1);
      if (g_ptr_array_index (self->handed, position) != item)
        {
          g_clear_object (&g_ptr_array_index (self->handed, position));
          g_ptr_array_index (self->handed, position) = g_object_ref (item);
        }
    }
  return item;
}

static void
release_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
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

static gboolean on_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data);

static void
start_ticking (MwRampModel *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (self->widget, on_tick_cb, self, NULL);
}

/* Takes @n ghost rows away from the end. */
static void
drop_ghosts (MwRampModel *self,
             guint        n)
{
  n = MIN (n, self->ghosts);
  if (n == 0)
    return;
  self->ghosts -= n;
  self->shown -= n;
  if (self->handed->len > self->shown)
    g_ptr_array_set_size (self->handed, self->shown);
  g_list_model_items_changed (G_LIST_MODEL (self), self->shown, n, 0);
}

/* Keeps the cache of given items in step with a change passed on to the view. */
static void
splice_handed (MwRampModel *self,
               guint        position,
               guint        removed,
               guint        added)
{
  GPtrArray *h = self->handed;

  if (position >= h->len)
    return;
  g_ptr_array_remove_range (h, position, MIN (removed, h->len - position));
  for (guint i = 0; i < added && position + i < RAMP_ROWS_WITH_WIDGETS; i++)
    g_ptr_array_insert (h, position + i, NULL);
  if (h->len > RAMP_ROWS_WITH_WIDGETS)
    g_ptr_array_set_size (h, RAMP_ROWS_WITH_WIDGETS);
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  MwRampModel *self = user_data;

  if (self->ghosts > 0)
    drop_ghosts (self, SHRINK_STEP);
  else if (self->shown >= RAMP_ROWS_WITH_WIDGETS)
    show_more (self, self->n_items - self->shown);
  else if (self->shown < self->n_items)
    show_more (self, MIN (mw_frame_meter_step (self->meter, clock, RAMP_STEP), self->n_items - self->shown));
  if (self->shown != self->n_items)
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

  /* Ghosts go before anything else changes: they stand after the old end. */
  drop_ghosts (self, self->ghosts);
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
              start_ticking (self);
              return;
            }
        }
      /* The end of the list cut off among the rows with widgets: the rows
       * given out for it stay as ghosts, and go over the next frames. Not a
       * list emptied: the lazy model does that to put a new list in at once
       * (see its reset), which would take the ghosts away at once anyway. */
      if (added == 0 && removed > 0 && position > 0 && position + removed == old_n &&
          position < RAMP_ROWS_WITH_WIDGETS && self->widget != NULL)
        {
          guint end = MIN (old_n, RAMP_ROWS_WITH_WIDGETS);
          guint kept = 0;

          while (position + kept < end && position + kept < self->handed->len &&
                 g_ptr_array_index (self->handed, position + kept) != NULL)
            kept++;
          if (kept > SHRINK_STEP)
            {
              self->ghosts = kept;
              self->shown = position + kept;
              g_ptr_array_set_size (self->handed, self->shown);
              /* Past the ghosts the view has no widgets: that part goes now. */
              if (old_n > self->shown)
                g_list_model_items_changed (G_LIST_MODEL (self), self->shown, old_n - self->shown, 0);
              start_ticking (self);
              return;
            }
        }
      self->shown = self->n_items;
      splice_handed (self, position, removed, added);
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
      splice_handed (self, position, removed, added);
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
    }
  else
    {
      /* It reaches past the rows shown: show a step of what replaces them. */
      guint visible_removed = self->shown - position;
      guint visible_added = MIN (added, first_step (self));

      self->shown = position + visible_added;
      splice_handed (self, position, visible_removed, visible_added);
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
  g_clear_pointer (&self->meter, mw_frame_meter_free);
  g_clear_pointer (&self->handed, g_ptr_array_unref);
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
  self->meter = mw_frame_meter_new ();
  self->handed = g_ptr_array_new_with_free_func (release_item);
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
  return self->shown != self->n_items;
}
