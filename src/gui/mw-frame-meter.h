/* mw-frame-meter.h: how long the last frame of a frame clock took to make.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _MwFrameMeter MwFrameMeter;

MwFrameMeter *mw_frame_meter_new        (void);
void          mw_frame_meter_free       (MwFrameMeter  *self);
/* Follows @clock from now on (the one a tick callback is given) and returns
 * the time from the start of the last frame painted on it to its end, in
 * microseconds: 0 until one has been seen. */
gint64        mw_frame_meter_last_frame (MwFrameMeter  *self,
                                         GdkFrameClock *clock);
/* How much of @full_step the next frame can take: all of it after a light
 * frame, less after heavier ones, never less than 1. */
guint         mw_frame_meter_step       (MwFrameMeter  *self,
                                         GdkFrameClock *clock,
                                         guint          full_step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwFrameMeter, mw_frame_meter_free)

G_END_DECLS
