/* mw-vmail-import.h: mailboxes from CSV for the ISPmail and PostfixAdmin
 * flavours (the MwSchema import slots of both).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-import.h"

G_BEGIN_DECLS

MwImportPlan   *_mw_vmail_import_prepare (MwSchema *self, MwDb *db, GBytes *csv, const MwImportOptions *options,
                                          GCancellable *cancellable, GError **error);
MwImportReport *_mw_vmail_import_run     (MwSchema *self, const MwAdmin *admin, MwImportPlan *plan,
                                          const MwImportOptions *options, MwImportProgress progress,
                                          gpointer user_data, GCancellable *cancellable, GError **error);

G_END_DECLS
