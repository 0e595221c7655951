/* mw-frame-meter.c: how long the last frame of a frame clock took to make.
 *
 * The views fill in rows and cells a step per frame. How much a step costs
 * depends on the machine and on what else it is doing: on these shared
 * two-core machines the same four rows cost a frame 10 ms one minute and
 * 35 ms the next. The meter times each frame (from the clock's before-paint
 * to its after-paint, which covers the tick callbacks, the style, the
 * layout and the painting) so that the next step can shrink when frames
 * grow, and the main loop is never held much longer than a frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-frame-meter.h"

/* A frame shorter than this leaves room for a full step. */
#define LIGHT_FRAME_US  9000
/* Past this, a quarter step; between the two, half. */
#define HEAVY_FRAME_US 14000

struct _MwFrameMeter
{
  GdkFrameClock *clock;
  gulong         before_id;
  gulong         after_id;
  gint64         frame_start;
  gint64         last_frame;
};

static void
on_before_paint_cb (GdkFrameClock *clock,
                    MwFrameMeter  *self)
{
  self->frame_start = g_get_monotonic_time ();
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   MwFrameMeter  *self)
{
  if (self->frame_start != 0)
    self->last_frame = g_get_monotonic_time () - self->frame_start;
}

static void
let_go (MwFrameMeter *self)
{
  if (self->clock == NULL)
    return;
  /* A clock disposed with its window has dropped its handlers already. */
  if (g_signal_handler_is_connected (self->clock, self->before_id))
    g_signal_handler_disconnect (self->clock, self->before_id);
  if (g_signal_handler_is_connected (self->clock, self->after_id))
    g_signal_handler_disconnect (self->clock, self->after_id);
  self->before_id = self->after_id = 0;
  g_clear_object (&self->clock);
  self->frame_start = 0;
  self->last_frame = 0;
}

MwFrameMeter *
mw_frame_meter_new (void)
{
  return g_new0 (MwFrameMeter, 1);
}

void
mw_frame_meter_free (MwFrameMeter *self)
{
  if (self == NULL)
    return;
  let_go (self);
  g_free (self);
}

gint64
mw_frame_meter_last_frame (MwFrameMeter  *self,
                           GdkFrameClock *clock)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (GDK_IS_FRAME_CLOCK (clock), 0);

  if (self->clock != clock)
    {
      let_go (self);
      self->clock = g_object_ref (clock);
      /* The tick that asks runs after this frame's before-paint: its start is now, near enough. */
      self->frame_start = g_get_monotonic_time ();
      self->before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint_cb), self);
      self->after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), self);
    }
  return self->last_frame;
}

guint
mw_frame_meter_step (MwFrameMeter  *self,
                     GdkFrameClock *clock,
                     guint          full_step)
{
  gint64 last = mw_frame_meter_last_frame (self, clock);

  if (last < LIGHT_FRAME_US)
    return MAX (full_step, 1);
  if (last < HEAVY_FRAME_US)
    return MAX (full_step / 2, 1);
  return MAX (full_step / 4, 1);
}
