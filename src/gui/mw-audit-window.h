/* mw-audit-window.h: the changes Mailwarden made, newest first, with CSV export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MW_TYPE_AUDIT_WINDOW (mw_audit_window_get_type ())
G_DECLARE_FINAL_TYPE (MwAuditWindow, mw_audit_window, MW, AUDIT_WINDOW, AdwWindow)

MwAuditWindow *mw_audit_window_new       (void);
/* For tests: still reading the log; the rows shown ("action target | details"). */
gboolean       mw_audit_window_is_loading (MwAuditWindow *self);
GStrv          mw_audit_window_dup_rows   (MwAuditWindow *self);
/* Writes the whole log to path as CSV, as the Export button does. */
gboolean       mw_audit_window_export     (MwAuditWindow *self, const char *path, GError **error);

G_END_DECLS
