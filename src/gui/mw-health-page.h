/* mw-health-page.h: the main window's Health page: the health checks'
 * findings, grouped by check, each with its reason, its fix and links to
 * what it concerns; the password storage; the way to the cleanup dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_HEALTH_PAGE (mw_health_page_get_type ())
G_DECLARE_FINAL_TYPE (MwHealthPage, mw_health_page, MW, HEALTH_PAGE, AdwBin)

MwHealthPage *mw_health_page_new            (MwSession *session);

/* For tests: whether checks (or a password list) are being read now. */
gboolean      mw_health_page_is_running     (MwHealthPage *self);
/* The sentence under the buttons: "Checking… 3 of 12", "12 checks …". */
const char   *mw_health_page_get_status     (MwHealthPage *self);
/* Every line the page shows, one a line: "<check title>", then for each
 * finding "<reason>", "<fix>" and its samples' labels. (transfer full) */
char         *mw_health_page_dup_text       (MwHealthPage *self);
/* Presses the link of the sample shown as @label in the check @check
 * (its id); FALSE where there is none. */
gboolean      mw_health_page_press_link     (MwHealthPage *self, const char *check, const char *label);
/* The accounts to ask for a new password, one a line, as the Copy button
 * puts them on the clipboard (NULL before it was pressed). */
const char   *mw_health_page_get_password_list (MwHealthPage *self);
/* The open cleanup dialog, or NULL. */
GtkWindow    *mw_health_page_get_cleanup_dialog (MwHealthPage *self);

G_END_DECLS
