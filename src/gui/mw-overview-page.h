/* mw-overview-page.h: the main window's Overview page: figures, charts,
 * logins and the server's status (issue 19, F1, F6, F7, J5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_OVERVIEW_PAGE (mw_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (MwOverviewPage, mw_overview_page, MW, OVERVIEW_PAGE, AdwBin)

/* settings (nullable): the refresh timer's "overview-refresh" seconds (0: off). */
GtkWidget  *mw_overview_page_new              (MwSession *session, GSettings *settings);
/* Reads everything again on the session's worker; does nothing while a
 * refresh runs. The page starts its first refresh when first shown. */
void        mw_overview_page_refresh          (MwOverviewPage *self);
gboolean    mw_overview_page_is_refreshing    (MwOverviewPage *self);
/* Refreshes finished since the page was made (the timer's and the button's). */
guint       mw_overview_page_get_n_refreshes  (MwOverviewPage *self);
/* Seconds between refreshes the timer uses now, 0: off. */
guint       mw_overview_page_get_refresh_interval (MwOverviewPage *self);
/* The figure as shown ("1,234", "2.1 GB"), NULL when it is hidden (absent). */
const char *mw_overview_page_get_figure_text  (MwOverviewPage *self, MwStat stat);
/* Whether the figure shown is the server's estimate ("about 1,000,000") or
 * still being counted, not yet the exact count (signal "figures-shown"). */
gboolean    mw_overview_page_get_figure_estimated (MwOverviewPage *self, MwStat stat);
/* The database tile's text ("PostgreSQL 15.5"). */
const char *mw_overview_page_get_database_text (MwOverviewPage *self);
GtkWidget  *mw_overview_page_get_chart_view   (MwOverviewPage *self, MwChartKind kind);
/* The Logins list (rows are AdwActionRows, titled with the user) and its hours. */
GtkListBox *mw_overview_page_get_logins_list  (MwOverviewPage *self);
void        mw_overview_page_set_login_hours  (MwOverviewPage *self, guint hours);
GtkListBox *mw_overview_page_get_unused_list  (MwOverviewPage *self);
GtkListBox *mw_overview_page_get_before_smtp_list (MwOverviewPage *self);
/* The Server group's row titled title: its subtitle (the value), or NULL. */
const char *mw_overview_page_get_server_value (MwOverviewPage *self, const char *title);

G_END_DECLS
