/* mw-dbmail-health.c: DBMail's health checks (mw-health.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-health-private.h"

static const MwHealthCheckInfo *
list_checks (MwHealthStore *self,
             guint         *n_checks)
{
  static MwHealthCheckInfo checks[1];
  static gsize done = 0;

  /* Translated once: the language does not change while the program runs. */
  if (g_once_init_enter (&done))
    {
      checks[0] = (MwHealthCheckInfo) { "postmaster-abuse", _("Postmaster and abuse addresses"),
                                        _("Every domain should take mail for postmaster@ and abuse@.") };
      g_once_init_leave (&done, 1);
    }
  *n_checks = G_N_ELEMENTS (checks);
  return checks;
}

static GPtrArray *
run_check (MwHealthStore  *self,
           MwDb           *db,
           const char     *check,
           guint           max_samples,
           GCancellable   *cancellable,
           GError        **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not yet");
  return NULL;
}

void
_mw_dbmail_health_iface_init (MwHealthStoreInterface *iface)
{
  iface->list_checks = list_checks;
  iface->run_check = run_check;
}
