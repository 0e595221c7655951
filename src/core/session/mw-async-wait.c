/* mw-async-wait.c: waiting for an _async call without a running main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-async-wait.h"

void
mw_async_wait_ready (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_return_if_fail (out != NULL && *out == NULL);

  *out = g_object_ref (result);
}

/**
 * mw_async_wait:
 * @result: where mw_async_wait_ready() puts the result; NULL until then
 *
 * Runs the thread-default main context until the call whose user data is
 * @result has answered. Call it in the thread, and with the thread-default
 * context, that made the call.
 *
 * Returns: (transfer none): *@result
 */
GAsyncResult *
mw_async_wait (GAsyncResult **result)
{
  GMainContext *context;

  g_return_val_if_fail (result != NULL, NULL);

  context = g_main_context_ref_thread_default ();
  while (*result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_unref (context);
  return *result;
}
