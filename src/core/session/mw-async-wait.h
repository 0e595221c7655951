/* mw-async-wait.h: waiting for an _async call in a program whose main loop
 * is not running, such as mailwarden-cli.
 *
 * Pass mw_async_wait_ready as the call's callback and the address of a
 * GAsyncResult pointer that is NULL as its user data; mw_async_wait() then
 * runs the thread-default main context (the one the call was made in)
 * until the result has arrived, and returns it for the _finish function:
 *
 *   g_autoptr(GAsyncResult) res = NULL;
 *   g_autoptr(MwFound) found = NULL;
 *
 *   mw_session_find_async (session, "alice", NULL, mw_async_wait_ready, &res);
 *   found = mw_session_find_finish (session, mw_async_wait (&res), &error);
 *
 * Whatever the call delivers on its way (the hits of a body search, the
 * session's "changed" signal) is dispatched while waiting, before it
 * returns. A program with a running main loop (the GUI) uses callbacks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Stores a reference to @result in *(GAsyncResult **) @user_data. */
void          mw_async_wait_ready (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data);
/* Returns *@result once it is set (still owned by *@result). */
GAsyncResult *mw_async_wait       (GAsyncResult **result);

G_END_DECLS
