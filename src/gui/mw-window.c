/* mw-window.c: the main window: global lists in a sidebar, Find, account windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-account-window.h"
#include "mw-add-user-dialog.h"
#include "mw-address-window.h"
#include "mw-alias-dialog.h"
#include "mw-domain-window.h"
#include "mw-public-folder-dialog.h"
#include "mw-rights-dialog.h"
#include "mw-alias-domain-dialog.h"
#include "mw-login-map-dialog.h"
#include "mw-filter-dialog.h"
#include "mw-application.h"
#include "mw-group-actions.h"
#include "mw-health-page.h"
#include "mw-import-dialog.h"
#include "mw-overview-page.h"
#include "mw-trace-window.h"
#include "mw-index-advisor-dialog.h"
#include "mw-window.h"

#define N_PAGES MW_N_LISTS

struct _MwWindow
{
  AdwApplicationWindow  parent_instance;

  MwSession            *session;
  GSettings            *settings;      /* NULL: defaults */
  MwListPage           *pages[N_PAGES];
  GtkListBoxRow        *rows[N_PAGES];  /* the sidebar's row of each list the flavour has */
  GHashTable           *extra_rows;    /* name of a page that is no list -> its sidebar row */
  guint                 n_before;      /* such pages before the lists */
  GHashTable           *accounts;      /* account key -> MwAccountWindow (weak) */
  GCancellable         *cancellable;
  char                 *find_message;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkSearchEntry       *find_entry;
  GtkListBox           *sidebar;
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;
  gboolean              open_forwards;  /* the find came from a list: open a forward's window */
  GtkRevealer          *find_revealer;
  GtkLabel             *find_label;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_pane;
  GtkWidget            *sidebar_separator;
  GtkWidget            *lists_button;
  GtkWidget            *add_user_button;
  guint                 lists_button_id;
  gboolean              disposed;
};

G_DEFINE_FINAL_TYPE (MwWindow, mw_window, ADW_TYPE_APPLICATION_WINDOW)

static MwListPage *ensure_page (MwWindow *self, MwListKind kind);

static void
say_in_place (MwWindow   *self,
              const char *message)
{
  g_free (self->find_message);
  self->find_message = g_strdup (message);
  gtk_label_set_text (self->find_label, message);
  gtk_revealer_set_reveal_child (self->find_revealer, TRUE);
}

/* A session call cancelled before it ran says MW_DB_ERROR_CANCELLED, one
 * cancelled while it ran may say G_IO_ERROR_CANCELLED (mw-session.h). */
static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
on_found_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(MwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = NULL;

  found = mw_session_find_finish (self->session, res, &error);
  if (found == NULL)
    {
      if (!is_cancelled (error))
        say_in_place (self, error->message);
      return;
    }

  if (found->kind == MW_FOUND_FORWARD)
    {
      g_autofree char *targets = g_strjoinv (", ", found->targets);
      g_autofree char *msg = g_strdup_printf (_("%s is not a user: it forwards to %s."), found->address, targets);

      say_in_place (self, msg);
      /* A forward chosen in a list opens where it can be changed. */
      if (self->open_forwards)
        mw_window_open_address (self, found->address);
      return;
    }

  g_clear_pointer (&self->find_message, g_free);
  gtk_revealer_set_reveal_child (self->find_revealer, FALSE);
  mw_window_open_account (self, found->key);
}

void
mw_window_find (MwWindow   *self,
                const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  self->open_forwards = FALSE;
  if (copy[0] == '\0')
    {
      say_in_place (self, _("Type a user name, a user number or an address."));
      return;
    }
  mw_session_find_async (self->session, text, self->cancellable, on_found_cb, g_object_ref (self));
}

static void
on_find_entry_activate_cb (MwWindow *self)
{
  mw_window_find (self, gtk_editable_get_text (GTK_EDITABLE (self->find_entry)));
}

const char *
mw_window_get_find_message (MwWindow *self)
{
  return self->find_message;
}

static void
on_account_window_destroyed (gpointer  data,
                             GObject  *where)
{
  MwWindow *self = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == (gpointer) where)
      {
        g_hash_table_iter_remove (&iter);
        break;
      }
}

GtkWindow *
mw_window_lookup_account (MwWindow   *self,
                          const char *account_key)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  return g_hash_table_lookup (self->accounts, account_key);
}

GtkWindow *
mw_window_open_account (MwWindow   *self,
                        const char *account_key)
{
  GtkWindow *window;

  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  window = mw_window_lookup_account (self, account_key);
  if (window == NULL)
    {
      window = GTK_WINDOW (mw_account_window_new (self->session, account_key));
      gtk_window_set_application (window, gtk_window_get_application (GTK_WINDOW (self)));
      gtk_window_set_transient_for (window, GTK_WINDOW (self));
      g_object_weak_ref (G_OBJECT (window), on_account_window_destroyed, self);
      g_hash_table_insert (self->accounts, g_strdup (account_key), window);
    }
  gtk_window_present (window);
  return window;
}

GtkWindow *
mw_window_open_address (MwWindow   *self,
                        const char *address)
{
  GtkWindow *window;

  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  window = GTK_WINDOW (mw_address_window_new (self->session, address));
  gtk_window_set_application (window, gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_set_transient_for (window, GTK_WINDOW (self));
  g_object_set_data (G_OBJECT (self), "mw-address-window", window);
  gtk_window_present (window);
  return window;
}

/* A user chosen in a list: as if found, the find's message goes. */
static void
on_open_account_cb (MwListPage *page,
                    const char *account_key,
                    MwWindow   *self)
{
  g_clear_pointer (&self->find_message, g_free);
  gtk_revealer_set_reveal_child (self->find_revealer, FALSE);
  mw_window_open_account (self, account_key);
}

/* A domain chosen in the Domains list, where domains are rows of their own. */
static void
on_open_domain_cb (MwListPage *page,
                   const char *domain,
                   MwWindow   *self)
{
  /* A filter's row (its number) asks whether to delete it. */
  if (mw_list_page_get_kind (page) == MW_LIST_FILTERS)
    {
      mw_filter_open_actions (GTK_WINDOW (self), self->session, g_ascii_strtoll (domain, NULL, 10));
      return;
    }
  /* A login map's row (its key) asks whether to delete it. */
  if (mw_list_page_get_kind (page) == MW_LIST_LOGIN_MAPS)
    {
      mw_login_map_open_actions (GTK_WINDOW (self), self->session, domain);
      return;
    }
  /* An alias domain's row asks what to do with it. */
  if (mw_list_page_get_kind (page) == MW_LIST_ALIAS_DOMAINS)
    {
      mw_alias_domain_open_actions (GTK_WINDOW (self), self->session, domain);
      return;
    }
  mw_domain_window_open (GTK_WINDOW (self), self->session, domain);
}

/* A row of the Sharing list: its rights dialog. */
static void
on_open_shared_folder_cb (MwListPage *page,
                          const char *folder,
                          const char *grantee,
                          MwWindow   *self)
{
  mw_rights_dialog_open_row (GTK_WINDOW (self), self->session, folder, grantee);
}

/* An alias or a forward chosen in a list: its account, or where it goes. */
static void
on_open_address_cb (MwListPage *page,
                    const char *address,
                    MwWindow   *self)
{
  mw_window_find (self, address);
  self->open_forwards = TRUE;
}

static void
on_show_list_cb (MwListPage *page,
                 int         kind,
                 const char *search,
                 gboolean    has_group,
                 gint64      group,
                 MwWindow   *self)
{
  MwListPage *target = ensure_page (self, kind);

  if (target == NULL)
    return;
  mw_list_page_start (target);
  mw_list_page_set_group (target, has_group, group);
  mw_list_page_set_search (target, search);
  mw_window_show_page (self, kind);
}

MwListPage *
mw_window_get_page (MwWindow   *self,
                    MwListKind  kind)
{
  MwListPage *page;

  g_return_val_if_fail (kind < N_PAGES, NULL);

  page = ensure_page (self, kind);
  /* A list asked for reads its rows even while another page (the
   * Overview, after connecting) is shown. */
  if (page != NULL)
    mw_list_page_start (page);
  return page;
}

static const char *
page_name (MwWindow   *self,
           MwListKind  kind)
{
  return mw_schema_get_list (mw_session_get_schema (self->session), kind)->id;
}

void
mw_window_show_page (MwWindow   *self,
                     MwListKind  kind)
{
  g_return_if_fail (kind < N_PAGES);

  if (ensure_page (self, kind) == NULL)
    return;
  gtk_list_box_select_row (self->sidebar, self->rows[kind]);
  gtk_stack_set_visible_child_name (self->stack, page_name (self, kind));
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
}

/* Narrow: the sidebar folds away; the Lists button brings it back while a
 * list is shown. */
#define TITLE_MIN_WINDOW_WIDTH 900

static gboolean
update_header_bar (gpointer data)
{
  MwWindow *self = data;
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  int width = 0, height = 0;

  /* The default size follows the person's resizing; maximized, it stays. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (gtk_window_is_maximized (GTK_WINDOW (self)) || width <= 0)
    width = gtk_widget_get_width (GTK_WIDGET (self));
  GtkWidget *visible = adw_leaflet_get_visible_child (self->leaflet);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  self->lists_button_id = 0;
  gtk_widget_set_visible (self->lists_button, folded && visible != self->sidebar_pane);
  /* Folded, the focus follows the pane that came in (the Lists button,
   * Alt+Left, a swipe) instead of staying in the one that went away. */
  if (folded && focus != NULL && !gtk_widget_is_ancestor (focus, visible) &&
      (gtk_widget_is_ancestor (focus, self->sidebar_pane) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->stack))))
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sidebar);

      if (visible == self->sidebar_pane && row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
      else if (visible == GTK_WIDGET (self->stack))
        gtk_widget_child_focus (visible, GTK_DIR_TAB_FORWARD);
    }
  /* A narrow header bar keeps its room for the controls (the title would
   * squeeze Find to a few letters); the connection's name stays the
   * window's title. */
  gtk_widget_set_visible (GTK_WIDGET (self->window_title),
                          !folded && width >= TITLE_MIN_WINDOW_WIDTH);
  return G_SOURCE_REMOVE;
}

/* The leaflet folds while it is allocated: the header bar changes after. */
static void
on_leaflet_changed_cb (MwWindow *self)
{
  if (self->lists_button_id == 0 && !self->disposed)
    self->lists_button_id = g_idle_add_full (G_PRIORITY_DEFAULT, update_header_bar, self, NULL);
}

/* A list chosen in the folded sidebar (click, Enter): the list comes in. */
static void
on_sidebar_row_activated_cb (MwWindow      *self,
                             GtkListBoxRow *row)
{
  if (!adw_leaflet_get_folded (self->leaflet))
    return;
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
  gtk_widget_child_focus (GTK_WIDGET (self->stack), GTK_DIR_TAB_FORWARD);
}

static void
show_lists_action (GtkWidget  *widget,
                   const char *action,
                   GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sidebar);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_pane);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

gboolean
mw_window_is_folded (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), FALSE);

  return adw_leaflet_get_folded (self->leaflet);
}

gboolean
mw_window_shows_lists (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), FALSE);

  return !adw_leaflet_get_folded (self->leaflet) ||
         adw_leaflet_get_visible_child (self->leaflet) == self->sidebar_pane;
}

static void
on_sidebar_row_selected_cb (MwWindow      *self,
                            GtkListBoxRow *row)
{
  const char *name;

  if (row == NULL)
    return;
  /* A page that is no list (mw_window_add_page). */
  name = g_object_get_data (G_OBJECT (row), "mw-page-name");
  if (name != NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, name);
      return;
    }
  {
    MwListKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "mw-list-kind"));

    if (ensure_page (self, kind) != NULL)
      gtk_stack_set_visible_child_name (self->stack, page_name (self, kind));
  }
}

/* A page's widgets are built the first time it is shown: five column views
 * at once would hold up the first frame. */
static MwListPage *
ensure_page (MwWindow   *self,
             MwListKind  kind)
{
  MwListPage *page;
  guint page_size;

  if (self->pages[kind] != NULL)
    return self->pages[kind];
  if (mw_schema_get_list (mw_session_get_schema (self->session), kind) == NULL)
    return NULL;

  page_size = self->settings != NULL ? (guint) g_settings_get_int (self->settings, "page-size") : 0;
  page = mw_list_page_new (self->session, kind, page_size);
  if (self->settings != NULL)
    mw_list_page_set_search_delay (page, (guint) g_settings_get_int (self->settings, "search-delay"));
  self->pages[kind] = page;
  gtk_stack_add_titled (self->stack, GTK_WIDGET (page), page_name (self, kind), mw_list_page_get_title (page));
  g_signal_connect_object (page, "open-account", G_CALLBACK (on_open_account_cb), self, 0);
  g_signal_connect_object (page, "open-address", G_CALLBACK (on_open_address_cb), self, 0);
  g_signal_connect_object (page, "show-list", G_CALLBACK (on_show_list_cb), self, 0);
  g_signal_connect_object (page, "open-domain", G_CALLBACK (on_open_domain_cb), self, 0);
  g_signal_connect_object (page, "open-shared-folder", G_CALLBACK (on_open_shared_folder_cb), self, 0);
  return page;
}

/* A sidebar row: icon and title, read by its title alone (the icon is
 * presentation), at position (-1: the end). Lists and other pages alike. */
static GtkListBoxRow *
add_sidebar_row (MwWindow   *self,
                 const char *title,
                 const char *icon_name,
                 int         position)
{
  GtkWidget *box, *icon, *label;
  GtkListBoxRow *row;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", icon_name,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_insert (self->sidebar, box, position);
  row = GTK_LIST_BOX_ROW (gtk_widget_get_parent (box));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static void
build_pages (MwWindow *self)
{
  MwSchema *schema = mw_session_get_schema (self->session);

  /* The lists the flavour has, with the titles and icons it gives them, as
   * the pages' columns come from it. */
  for (guint i = 0; i < N_PAGES; i++)
    {
      const MwListInfo *info = mw_schema_get_list (schema, i);

      if (info == NULL)
        continue;
      self->rows[i] = add_sidebar_row (self, _(info->title), info->icon_name, -1);
      g_object_set_data (G_OBJECT (self->rows[i]), "mw-list-kind", GINT_TO_POINTER (i));
    }
}

void
mw_window_add_page (MwWindow             *self,
                    const char           *name,
                    const char           *title,
                    const char           *icon_name,
                    GtkWidget            *page,
                    MwWindowPagePosition  position)
{
  GtkListBoxRow *row;

  g_return_if_fail (MW_IS_WINDOW (self));
  g_return_if_fail (name != NULL && title != NULL);
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (!g_hash_table_contains (self->extra_rows, name));

  g_object_ref_sink (page);
  gtk_stack_add_titled (self->stack, page, name, title);
  /* Before the lists: after the pages put there already, in the order given. */
  row = add_sidebar_row (self, title, icon_name != NULL ? icon_name : "view-grid-symbolic",
                         position == MW_WINDOW_PAGE_BEFORE_LISTS ? (int) self->n_before : -1);
  if (position == MW_WINDOW_PAGE_BEFORE_LISTS)
    self->n_before++;
  g_object_set_data_full (G_OBJECT (row), "mw-page-name", g_strdup (name), g_free);
  g_hash_table_insert (self->extra_rows, g_strdup (name), row);
  g_object_unref (page);
}

GtkWidget *
mw_window_get_named_page (MwWindow   *self,
                          const char *name)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!g_hash_table_contains (self->extra_rows, name))
    return NULL;
  return gtk_stack_get_child_by_name (self->stack, name);
}

gboolean
mw_window_show_named_page (MwWindow   *self,
                           const char *name)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (MW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  row = g_hash_table_lookup (self->extra_rows, name);
  if (row == NULL)
    return FALSE;
  gtk_list_box_select_row (self->sidebar, row);
  gtk_stack_set_visible_child_name (self->stack, name);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
  return TRUE;
}

const char *
mw_window_get_visible_page_name (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* The pages that are no lists: one line each (mw_window_add_page). */
static void
add_pages (MwWindow *self)
{
  mw_window_add_page (self, "overview", _("Overview"), "go-home-symbolic",
                      mw_overview_page_new (self->session, self->settings), MW_WINDOW_PAGE_BEFORE_LISTS);
  if (mw_schema_has_health (mw_session_get_schema (self->session)) || mw_session_cleanup_steps (self->session) != 0)
    mw_window_add_page (self, "health", _("Health"), "security-high-symbolic",
                        GTK_WIDGET (mw_health_page_new (self->session)), MW_WINDOW_PAGE_AFTER_LISTS);
}

/* Actions */

static void
find_user_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  int kind = g_variant_get_int32 (param);

  if (kind >= 0 && kind < N_PAGES)
    mw_window_show_page (MW_WINDOW (widget), kind);
}

static void
show_named_page_action (GtkWidget  *widget,
                        const char *action,
                        GVariant   *param)
{
  mw_window_show_named_page (MW_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);
  GtkWidget *visible = gtk_stack_get_visible_child (self->stack);

  if (MW_IS_LIST_PAGE (visible))
    mw_list_page_reload (MW_LIST_PAGE (visible));
  else if (visible != NULL)
    /* A page that is no list reloads through its own "page.reload", if it has one. */
    gtk_widget_activate_action (visible, "page.reload", NULL);
}

/* A change anywhere in the session: the lists that show such rows reload
 * (users show their aliases, domains and groups count both). */
static void
on_session_changed_cb (MwSession *session,
                       int        kind,
                       MwWindow  *self)
{
  for (int i = 0; i < N_PAGES; i++)
    {
      gboolean affected = i == kind || i == MW_LIST_DOMAINS || i == MW_LIST_GROUPS ||
                          (kind == MW_LIST_USERS) || (i == MW_LIST_USERS && kind == MW_LIST_ALIASES);

      if (affected && self->pages[i] != NULL)
        mw_list_page_reload (self->pages[i]);
    }
}

static void
on_user_added_cb (MwAddUserDialog *dialog,
                  const char      *name,
                  const char      *account_key,
                  MwWindow        *self)
{
  /* Translators: a toast after adding a user: "Added alice" */
  g_autofree char *text = g_strdup_printf (C_("user", "Added %s"), name);
  MwListPage *users = ensure_page (self, MW_LIST_USERS);

  /* The dialog told the session: on_session_changed_cb reloads the lists. */
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  /* Focus goes to the new user's row, in the Users list searched for the
   * name (a long list would not show it otherwise), for when the dialog
   * closes: Enter opens the account. */
  if (users != NULL && account_key != NULL)
    {
      mw_window_show_page (self, MW_LIST_USERS);
      mw_list_page_set_search (users, name);
      mw_list_page_focus_account (users, account_key);
    }
}

static void
add_user_action (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);
  MwAddUserDialog *dialog = mw_add_user_dialog_new (self->session, self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "user-added", G_CALLBACK (on_user_added_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_domain_action (GtkWidget  *widget,
                   const char *action,
                   GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  mw_domain_window_open_add (GTK_WINDOW (self), self->session);
}

static void
add_login_map_action (GtkWidget  *widget,
                      const char *action,
                      GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  mw_login_map_open_add (GTK_WINDOW (self), self->session);
}

static void
add_filter_action (GtkWidget  *widget,
                   const char *action,
                   GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  mw_filter_open_add (GTK_WINDOW (self), self->session);
}

static void
add_alias_domain_action (GtkWidget  *widget,
                         const char *action,
                         GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  mw_alias_domain_dialog_open (GTK_WINDOW (self), self->session);
}

static void
add_public_folder_action (GtkWidget  *widget,
                          const char *action,
                          GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  mw_public_folder_dialog_open (GTK_WINDOW (self), self->session);
}

/* The Add button and Ctrl+N add what the list shown holds: a domain on the
 * Domains list (where the flavour has a table of them), else a user. */
static void
add_action (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  gtk_widget_activate_action (widget, gtk_actionable_get_action_name (GTK_ACTIONABLE (self->add_user_button)), NULL);
}

static void
update_add_button (MwWindow *self)
{
  MwListPage *page = mw_window_get_visible_page (self);
  gboolean domain = page != NULL && mw_list_page_get_kind (page) == MW_LIST_DOMAINS && self->session != NULL &&
                    mw_schema_can (mw_session_get_schema (self->session), MW_SCHEMA_CAN_DOMAINS_TABLE) &&
                    mw_schema_can (mw_session_get_schema (self->session), MW_SCHEMA_CAN_WRITE);
  gboolean alias_domain = page != NULL && mw_list_page_get_kind (page) == MW_LIST_ALIAS_DOMAINS &&
                          self->session != NULL &&
                          mw_schema_has_alias_domains (mw_session_get_schema (self->session)) &&
                          mw_schema_can (mw_session_get_schema (self->session), MW_SCHEMA_CAN_WRITE);
  /* On the Sharing list: a public folder (the folders of users are shared from their accounts). */
  gboolean public_folder = page != NULL && mw_list_page_get_kind (page) == MW_LIST_SHARING &&
                           self->session != NULL && mw_schema_has_sharing (mw_session_get_schema (self->session)) &&
                           mw_schema_can (mw_session_get_schema (self->session), MW_SCHEMA_CAN_WRITE);
  const char *label = public_folder ? _("Add a public folder") : alias_domain ? _("Add an alias domain")
                                                               : domain ? _("Add a domain") : _("Add a user");

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_user_button),
                                  public_folder ? "win.add-public-folder" : alias_domain ? "win.add-alias-domain"
                                                                          : domain ? "win.add-domain" : "win.add-user");
  gtk_widget_set_tooltip_text (self->add_user_button,
                               public_folder ? _("Add a public folder (Ctrl+N)")
                               : alias_domain ? _("Add an alias domain (Ctrl+N)")
                                              : domain ? _("Add a domain (Ctrl+N)") : _("Add a user (Ctrl+N)"));
  /* On the Login Maps list: a login map (mw-login-map-dialog.c). */
  if (page != NULL && mw_list_page_get_kind (page) == MW_LIST_LOGIN_MAPS && self->session != NULL &&
      mw_schema_has_login_maps (mw_session_get_schema (self->session)) &&
      mw_schema_can (mw_session_get_schema (self->session), MW_SCHEMA_CAN_WRITE))
    {
      label = _("Add a login map");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_user_button), "win.add-login-map");
      gtk_widget_set_tooltip_text (self->add_user_button, _("Add a login map (Ctrl+N)"));
    }
  /* On the Filters list: a filter, for everyone or a user (mw-filter-dialog.c). */
  if (page != NULL && mw_list_page_get_kind (page) == MW_LIST_FILTERS && self->session != NULL &&
      mw_schema_has_filters (mw_session_get_schema (self->session)) &&
      mw_schema_can (mw_session_get_schema (self->session), MW_SCHEMA_CAN_WRITE))
    {
      label = _("Add a filter");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_user_button), "win.add-filter");
      gtk_widget_set_tooltip_text (self->add_user_button, _("Add a filter (Ctrl+N)"));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_user_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (self->add_user_button); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && !GTK_IS_MENU_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
on_alias_added_cb (MwAliasDialog *dialog,
                   const char    *text,
                   MwWindow      *self)
{
  mw_window_show_toast (self, text);
}

static void
add_alias_or_forward (MwWindow *self,
                      gboolean  forward)
{
  MwAliasDialog *dialog = mw_alias_dialog_new (self->session, self->settings, forward);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "added", G_CALLBACK (on_alias_added_cb), self, 0);
  g_object_set_data (G_OBJECT (self), "mw-alias-dialog", dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_alias_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  add_alias_or_forward (MW_WINDOW (widget), FALSE);
}

static void
add_forward_action (GtkWidget  *widget,
                    const char *action,
                    GVariant   *param)
{
  add_alias_or_forward (MW_WINDOW (widget), TRUE);
}

static void
on_users_imported_cb (MwImportDialog *dialog,
                      const char     *text,
                      MwWindow       *self)
{
  mw_window_show_toast (self, text);
}

static void
import_users_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);
  MwImportDialog *dialog = mw_import_dialog_new (self->session, self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_users_imported_cb), self, 0);
  g_object_set_data (G_OBJECT (self), "mw-import-dialog", dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_list_action (GtkWidget  *widget,
                    const char *action,
                    GVariant   *param)
{
  mw_window_export_list (MW_WINDOW (widget));
}

MwListPage *
mw_window_get_visible_page (MwWindow *self)
{
  GtkWidget *visible;

  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  visible = gtk_stack_get_visible_child (self->stack);
  return MW_IS_LIST_PAGE (visible) ? MW_LIST_PAGE (visible) : NULL;
}

static void
on_stack_visible_child_changed_cb (MwWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-list",
                                 mw_window_can_export (self) && !mw_window_is_exporting (self));
  update_add_button (self);
}

static void
group_add_domain_action (GtkWidget  *widget,
                         const char *action,
                         GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  mw_group_add_domain (GTK_WINDOW (self), self->session, g_variant_get_int64 (param));
}

static void
group_delete_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  mw_group_delete (GTK_WINDOW (self), self->session, g_variant_get_int64 (param));
}

void
mw_window_show_toast (MwWindow   *self,
                      const char *text)
{
  g_return_if_fail (MW_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
mw_window_add_toast (MwWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (MW_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
dismiss_find_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  MwWindow *self = MW_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->find_revealer, FALSE);
  g_clear_pointer (&self->find_message, g_free);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action,
                   GVariant   *param)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));

  gtk_window_destroy (GTK_WINDOW (widget));
  if (app != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (app), "connect", NULL);
}

/* What the flavour cannot do is not offered: the menus hide disabled
 * actions (hidden-when in mw-window.ui) and shortcuts do nothing. */
static void
enable_capabilities (MwWindow *self)
{
  MwSchema *schema = mw_session_get_schema (self->session);
  gboolean write = mw_schema_can (schema, MW_SCHEMA_CAN_WRITE);
  gboolean groups = write && mw_schema_can (schema, MW_SCHEMA_CAN_GROUPS);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-user", write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-alias", write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-domain",
                                 write && mw_schema_can (schema, MW_SCHEMA_CAN_DOMAINS_TABLE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-login-map", write && mw_schema_has_login_maps (schema));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-filter", write && mw_schema_has_filters (schema));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-alias-domain",
                                 write && mw_schema_has_alias_domains (schema));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-public-folder", write && mw_schema_has_sharing (schema));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-forward",
                                 write && mw_schema_can (schema, MW_SCHEMA_CAN_FORWARDS));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-users",
                                 write && mw_schema_can (schema, MW_SCHEMA_CAN_IMPORT));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.group-add-domain", groups);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.group-delete", groups);
}

MwWindow *
mw_window_new (AdwApplication *app,
               MwSession      *session)
{
  MwWindow *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_WINDOW, "application", app, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed_cb), self, 0);
  if (app != NULL && MW_IS_APPLICATION (app) && mw_application_get_settings (MW_APPLICATION (app)) != NULL)
    {
      self->settings = g_object_ref (mw_application_get_settings (MW_APPLICATION (app)));
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  subtitle = mw_schema_describe (mw_session_get_schema (session));
  adw_window_title_set_title (self->window_title, mw_session_get_name (session));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), mw_session_get_name (session));
  if (mw_schema_names_mailboxes (mw_session_get_schema (session)))
    {
      /* ISPmail, PostfixAdmin: a mailbox is found by its address or a part of it. */
      g_object_set (self->find_entry, "placeholder-text", _("Find by address, local part or domain"), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->find_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Find a mailbox by address, local part or domain"), -1);
    }
  build_pages (self);
  add_pages (self);
  enable_capabilities (self);
  {
    MwListKind first = MW_LIST_USERS;
    g_autofree char *page = NULL;

    /* The application's default is the Overview (default-page); a window
     * without settings (the tests make them so) opens on Users, as before. */
    if (self->settings != NULL)
      {
        page = g_settings_get_string (self->settings, "default-page");

        for (guint i = 0; i < N_PAGES; i++)
          if (self->rows[i] != NULL && g_str_equal (page, page_name (self, i)))
            first = i;
      }
    if (page == NULL || !mw_window_show_named_page (self, page))
      mw_window_show_page (self, first);
  }
  return self;
}

MwSession *
mw_window_get_session (MwWindow *self)
{
  return self->session;
}

static gboolean
mw_window_close_request (GtkWindow *window)
{
  MwWindow *self = MW_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window))
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
  return GTK_WINDOW_CLASS (mw_window_parent_class)->close_request (window);
}

static void
mw_window_dispose (GObject *object)
{
  MwWindow *self = MW_WINDOW (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->lists_button_id, g_source_remove);
  if (self->accounts != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          g_object_weak_unref (value, on_account_window_destroyed, self);
          gtk_window_destroy (value);
        }
      g_hash_table_remove_all (self->accounts);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_WINDOW);

  G_OBJECT_CLASS (mw_window_parent_class)->dispose (object);
}

static void
mw_window_finalize (GObject *object)
{
  MwWindow *self = MW_WINDOW (object);

  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->extra_rows, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_free (self->find_message);

  G_OBJECT_CLASS (mw_window_parent_class)->finalize (object);
}

/* Trace Delivery (the menu): the trace window, with Find's text when it is an address. */
static void
trace_delivery_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));
  MwTraceWindow *window = mw_trace_window_new (self->session, g_strrstr (text, "@") != NULL ? text : NULL);

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (window));
}

/* Search Speed… (the menu): the index advisor. */
static void
index_advisor_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwIndexAdvisorDialog *dialog = mw_index_advisor_dialog_new (self->session);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
mw_window_class_init (MwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_window_dispose;
  object_class->finalize = mw_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = mw_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, find_entry);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, find_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, find_label);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, lists_button);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, add_user_button);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "win.find-user", NULL, find_user_action);
  gtk_widget_class_install_action (widget_class, "win.show-lists", NULL, show_lists_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "i", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-named-page", "s", show_named_page_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-find", NULL, dismiss_find_action);
  gtk_widget_class_install_action (widget_class, "win.add-user", NULL, add_user_action);
  gtk_widget_class_install_action (widget_class, "win.add-alias", NULL, add_alias_action);
  gtk_widget_class_install_action (widget_class, "win.add-domain", NULL, add_domain_action);
  gtk_widget_class_install_action (widget_class, "win.add-alias-domain", NULL, add_alias_domain_action);
  gtk_widget_class_install_action (widget_class, "win.add-login-map", NULL, add_login_map_action);
  gtk_widget_class_install_action (widget_class, "win.add-filter", NULL, add_filter_action);
  gtk_widget_class_install_action (widget_class, "win.add-public-folder", NULL, add_public_folder_action);
  gtk_widget_class_install_action (widget_class, "win.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "win.add-forward", NULL, add_forward_action);
  gtk_widget_class_install_action (widget_class, "win.trace-delivery", NULL, trace_delivery_action);
  gtk_widget_class_install_action (widget_class, "win.index-advisor", NULL, index_advisor_action);
  gtk_widget_class_install_action (widget_class, "win.import-users", NULL, import_users_action);
  gtk_widget_class_install_action (widget_class, "win.export-list", NULL, export_list_action);
  gtk_widget_class_install_action (widget_class, "win.group-add-domain", "x", group_add_domain_action);
  gtk_widget_class_install_action (widget_class, "win.group-delete", "x", group_delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find-user", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  for (int i = 0; i < N_PAGES; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK, "win.show-page", "i", i);
}

/* AdwSplitButton 1.2 names neither of its halves: a screen reader read the
 * main part by its icon ("GtkImage") and the arrow as "GtkMenuButton". */
static void
name_split_button (MwWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->add_user_button); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_MENU_BUTTON (child))
        {
          /* Translators: the arrow beside the Add button */
          const char *label = _("More ways to add: an alias, a forward, an import");

          /* Its inner button reads the menu button's label. */
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        }
      else if (GTK_IS_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Add a user"), -1);
    }
}

static void
mw_window_init (MwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->extra_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect_object (self, "notify::default-width", G_CALLBACK (on_leaflet_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "notify::maximized", G_CALLBACK (on_leaflet_changed_cb), self,
                           G_CONNECT_SWAPPED);
  on_leaflet_changed_cb (self);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (on_stack_visible_child_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_stack_visible_child_changed_cb (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->find_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Find a user by name, number or address"), -1);
  adw_leaflet_page_set_navigatable (adw_leaflet_get_page (self->leaflet, self->sidebar_separator), FALSE);
  name_split_button (self);
}
