/* mw-core.h: once-per-process set-up of the core library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Registers the core's resources (schema files) and its translations. Safe to
 * call any number of times, from any thread. */
void mw_core_init (void);

/* Opens /dev/null on each of the standard descriptors 0, 1 and 2 that was
 * closed by whoever started us, so that no database connection or file opened
 * later gets one of those numbers (and a password "read from standard input"
 * is never read from a socket). Call first thing in main(). Returns the
 * descriptors that were closed as a bit mask (1 << fd). */
guint mw_core_open_standard_fds (void);

G_END_DECLS
