/* mw-window.h: the main window: global lists in a sidebar, Find, account windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-list-page.h"
#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_WINDOW (mw_window_get_type ())
G_DECLARE_FINAL_TYPE (MwWindow, mw_window, MW, WINDOW, AdwApplicationWindow)

MwWindow   *mw_window_new          (AdwApplication *app, MwSession *session);
MwSession  *mw_window_get_session  (MwWindow *self);
/* The page of a list the flavour has (NULL for one it lacks). */
MwListPage *mw_window_get_page     (MwWindow *self, MwListKind kind);
void        mw_window_show_page    (MwWindow *self, MwListKind kind);
/* Pages that are not lists (Overview, Health, ...): a row in the sidebar
 * with the lists' look, keyboard, folding and screen-reader name (the
 * title), before the lists or after them, in the order added. The window
 * owns the page; name is its stack name ("overview"), the default-page
 * setting's value and win.show-named-page's parameter. A page finds the
 * window with gtk_widget_get_root () (mw_window_open_account ...), and F5
 * activates its "page.reload" action if it installs one. Add pages in
 * mw-window.c's add_pages (), one line each. */
typedef enum
{
  MW_WINDOW_PAGE_BEFORE_LISTS,
  MW_WINDOW_PAGE_AFTER_LISTS,
} MwWindowPagePosition;

void        mw_window_add_page     (MwWindow             *self,
                                    const char           *name,
                                    const char           *title,
                                    const char           *icon_name,
                                    GtkWidget            *page,
                                    MwWindowPagePosition  position);
/* FALSE when there is no such page. */
gboolean    mw_window_show_named_page (MwWindow *self, const char *name);
GtkWidget  *mw_window_get_named_page  (MwWindow *self, const char *name);
/* The stack name of the page shown now: a list's id or a page's name. */
const char *mw_window_get_visible_page_name (MwWindow *self);

/* Finds name, number or address; opens the account or says what it found. */
void        mw_window_find         (MwWindow *self, const char *text);
/* The window of the account whose key is account_key, raised if open. */
GtkWindow  *mw_window_open_account (MwWindow *self, const char *account_key);
GtkWindow  *mw_window_lookup_account (MwWindow *self, const char *account_key);
const char *mw_window_get_find_message (MwWindow *self);

/* Every row of an address (forwards, fan-out) in a window of its own. */
GtkWindow    *mw_window_open_address (MwWindow *self, const char *address);
/* A short message at the bottom of the window. */
void          mw_window_show_toast (MwWindow *self, const char *text);
/* A toast of the caller's making (with a button, say). (transfer full) */
void          mw_window_add_toast  (MwWindow *self, AdwToast *toast);

/* Narrow: whether the sidebar is folded away (AdwLeaflet), and whether the
 * lists (the sidebar) are in sight now. */
gboolean    mw_window_is_folded    (MwWindow *self);
gboolean    mw_window_shows_lists  (MwWindow *self);

/* The list shown now, or NULL. */
MwListPage *mw_window_get_visible_page (MwWindow *self);

/* Export (mw-window-export.c): the visible list (users, aliases or
 * forwards, as searched, grouped and sorted) as CSV, on a worker; a toast
 * says how many rows went where, or why not. _to skips the file chooser. */
gboolean    mw_window_can_export     (MwWindow *self);
void        mw_window_export_list    (MwWindow *self);
void        mw_window_export_list_to (MwWindow *self, GFile *file);
gboolean    mw_window_is_exporting   (MwWindow *self);
/* The last export's toast, or NULL while one runs. */
const char *mw_window_get_export_message (MwWindow *self);

G_END_DECLS
