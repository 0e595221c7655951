/* mw-trace-window.h: where mail for an address goes (the delivery trace,
 * mw-trace.h), as a tree: each step in words, ends marked (mailbox,
 * forward, program, disabled, loop, dead end); a mailbox opens its account.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_TRACE_WINDOW (mw_trace_window_get_type ())
G_DECLARE_FINAL_TYPE (MwTraceWindow, mw_trace_window, MW, TRACE_WINDOW, AdwWindow)

/* @address (nullable): traced at once when it is not empty. */
MwTraceWindow *mw_trace_window_new      (MwSession *session, const char *address);
/* As a person would do it: types @address and presses Trace. */
void           mw_trace_window_trace    (MwTraceWindow *self, const char *address);

/* For tests: a trace is running; the rows shown, each indented by two
 * spaces per level ("  alice: delivered to the mailbox of alice"); the
 * sentence under the entry; activates the row that says @text (a mailbox
 * opens its account window): FALSE when no row says it. */
gboolean       mw_trace_window_is_busy    (MwTraceWindow *self);
GStrv          mw_trace_window_dup_rows   (MwTraceWindow *self);
const char    *mw_trace_window_get_status (MwTraceWindow *self);
gboolean       mw_trace_window_activate_row (MwTraceWindow *self, const char *text);

G_END_DECLS
