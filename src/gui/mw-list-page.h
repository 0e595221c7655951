/* mw-list-page.h: one global list (users, aliases, ...) of any size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_LIST_PAGE (mw_list_page_get_type ())
G_DECLARE_FINAL_TYPE (MwListPage, mw_list_page, MW, LIST_PAGE, GtkWidget)

/* The flavour's list @kind (mw_schema_get_list), which it must have. */
MwListPage   *mw_list_page_new        (MwSession *session, MwListKind kind, guint page_size);
void          mw_list_page_set_search_delay (MwListPage *self, guint delay_ms);
MwListKind    mw_list_page_get_kind   (MwListPage *self);
const char   *mw_list_page_get_title  (MwListPage *self);
MwPagedModel *mw_list_page_get_model  (MwListPage *self);
GtkColumnView *mw_list_page_get_column_view (MwListPage *self);
void          mw_list_page_set_search (MwListPage *self, const char *text);
void          mw_list_page_set_group  (MwListPage *self, gboolean has_group, gint64 group);
void          mw_list_page_set_sort   (MwListPage *self, MwListSort sort, gboolean descending);
void          mw_list_page_reload     (MwListPage *self);
/* Once the list shows the account whose key is account_key (after a search
 * for it), the keyboard focus goes to its row. */
void          mw_list_page_focus_account (MwListPage *self, const char *account_key);
/* The query as shown now (kind, sort, search, group); owned by the page. */
const MwListRequest *mw_list_page_get_request (MwListPage *self);
/* Runs the query now even if the page was never shown. */
void          mw_list_page_start      (MwListPage *self);
/* TRUE while rows on screen wait for their text to be filled in. */
gboolean      mw_list_page_is_filling_screen (MwListPage *self);
/* For tests: the title of the empty list's page when it is shown, else NULL. */
const char   *mw_list_page_get_empty_text (MwListPage *self);
/* For tests: the text shown in a cell of a loaded row. (transfer full) */
char         *mw_list_page_dup_cell_text (MwListPage *self, guint position, guint column);

G_END_DECLS
