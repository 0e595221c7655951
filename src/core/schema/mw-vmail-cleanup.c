/* mw-vmail-cleanup.c: the cleanup of ISPmail and PostfixAdmin databases.
 * They keep no mail, counters or groups that could disagree, so their one
 * step is the server's VACUUM ANALYZE / OPTIMIZE TABLE over the database's
 * tables (mw-cleanup.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-vmail"

#include "config.h"

#include "mw-cleanup-private.h"

static MwCleanupSteps
vmail_get_steps (MwCleanupStore *self)
{
  return MW_CLEANUP_STEP_BIT (MW_CLEANUP_VACUUM);
}

static MwCleanupPreview *
vmail_preview (MwCleanupStore  *self,
               MwDb            *db,
               MwCleanupStep    step,
               guint            n_samples,
               GCancellable    *cancellable,
               GError         **error)
{
  g_return_val_if_fail (step == MW_CLEANUP_VACUUM, NULL);

  return _mw_cleanup_vacuum_preview (db, "%", n_samples, cancellable, error);
}

static MwCleanupResult *
vmail_apply (MwCleanupStore     *self,
             const MwAdmin      *admin,
             MwCleanupStep       step,
             guint               batch_size,
             MwCleanupProgress   progress,
             gpointer            user_data,
             GCancellable       *cancellable,
             GError            **error)
{
  g_return_val_if_fail (step == MW_CLEANUP_VACUUM, NULL);

  return _mw_cleanup_vacuum (admin, "%", progress, user_data, cancellable, error);
}

void
_mw_vmail_cleanup_iface_init (MwCleanupStoreInterface *iface)
{
  iface->get_steps = vmail_get_steps;
  iface->preview = vmail_preview;
  iface->apply = vmail_apply;
}
