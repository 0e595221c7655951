/* mw-account-window-sharing.c: the Sharing tab of an account window.
 *
 * Shown where the flavour keeps shared folders (mw_schema_has_sharing ():
 * DBMail's ACLs). Two groups: "Folders of <user>", every folder the
 * account owns with who else may do what in it (a grantee per row, the
 * rights as IMAP letters and words, Change and Revoke buttons, Share on
 * each folder), and "Shared with <user>", the folders of others and the
 * public folders this account may use, by its own row or through
 * "anyone", named as its mail program shows them (#Public/…,
 * #Users/owner/…). Both are read on a worker the first time the tab is
 * shown (a spinner meanwhile). Changes go through the rights dialog
 * (mw-rights-dialog.c) or, for Revoke, straight to the core; each offers
 * Undo in a toast with the rights the core returned.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-account-window-private.h"
#include "mw-account-window-sharing.h"
#include "mw-dialog-a11y.h"

struct _MwAccountSharing
{
  AdwBin               parent_instance;

  MwSession           *session;
  char                *account_key;
  GCancellable        *cancellable;   /* the window's life */
  GCancellable        *load_cancellable;
  GtkWindow           *window;        /* (weak) the account window */
  gboolean             loaded;
  gboolean             hiding_buttons; /* the Account tab's Save and Revert, while shown */
  guint                loading;       /* reads under way */
  guint                writing;       /* changes under way */
  GPtrArray           *own;           /* MwAclEntry as read */
  GPtrArray           *shared;
  GError              *load_error;
  GPtrArray           *rows;          /* the rows added to the groups */
  GHashTable          *buttons;       /* "what\x1ffolder\x1fgrantee" -> GtkButton (weak: in rows) */
  MwRightsChange      *undo;          /* the last change, for the toast's Undo and Ctrl+Z */
  AdwToast            *undo_toast;    /* (weak) the toast offering it */
  char                *last_toast;

  /* Template widgets */
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  AdwPreferencesGroup *own_group;
  AdwPreferencesGroup *shared_group;
};

G_DEFINE_FINAL_TYPE (MwAccountSharing, mw_account_sharing, ADW_TYPE_BIN)

static void load (MwAccountSharing *self);

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
is_busy (MwAccountSharing *self)
{
  return self->loading > 0 || self->writing > 0;
}

static void
show_error (MwAccountSharing *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
update_actions (MwAccountSharing *self)
{
  gboolean list = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sharing.share",
                                 list && !is_busy (self) && self->own != NULL && self->own->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sharing.undo", self->undo != NULL && !is_busy (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sharing.reload", !is_busy (self));
}

/* Who has the rights, as a row names them. */
static char *
grantee_title (const char *grantee)
{
  if (g_strcmp0 (grantee, "anyone") == 0)
    /* Translators: IMAP's grantee "anyone", as the title of a row */
    return g_strdup (_("Every user (anyone)"));
  return g_strdup (grantee);
}

/* "lrs: see the folder, read, keep seen flags" */
static char *
rights_text (MwRights rights)
{
  g_autofree char *letters = mw_rights_to_letters (rights);
  g_autofree char *words = mw_rights_describe (rights);

  /* Translators: a grantee's rights: the IMAP letters, then in words */
  return g_strdup_printf (_("%s: %s"), letters, words);
}

static char *
button_key (const char *what,
            const char *folder,
            const char *grantee)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s", what, folder, grantee != NULL ? grantee : "");
}

static GtkWidget *
add_button (MwAccountSharing *self,
            const char       *what,
            const char       *folder,
            const char       *grantee,
            const char       *icon,
            const char       *name,
            GCallback         callback,
            const MwAclEntry *entry)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (button), "mw-acl-entry", mw_acl_entry_copy (entry),
                          (GDestroyNotify) mw_acl_entry_free);
  g_object_set_data_full (G_OBJECT (button), "mw-folder", g_strdup (folder), g_free);
  g_signal_connect_swapped (button, "clicked", callback, self);
  g_hash_table_insert (self->buttons, button_key (what, folder, grantee), button);
  return button;
}

static void
clear_rows (MwAccountSharing *self)
{
  g_hash_table_remove_all (self->buttons);
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (MwAccountSharing    *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
}

/* libadwaita 1.2 leaves an expander row's two inner lists unnamed (read
 * as "GtkListBox"): the first holds the folder's own row, the second who
 * may use it. */
static void
name_inner_lists (GtkWidget  *widget,
                  const char *header,
                  const char *children,
                  guint      *seen)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LIST_BOX (c))
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          (*seen)++ == 0 ? header : children, -1);
          continue;
        }
      name_inner_lists (c, header, children, seen);
    }
}

static void on_share_clicked_cb (MwAccountSharing *self, GtkButton *button);
static void on_change_clicked_cb (MwAccountSharing *self, GtkButton *button);
static void on_revoke_clicked_cb (MwAccountSharing *self, GtkButton *button);

/* A grantee's row: who, the rights in letters and words, Change and Revoke. */
static GtkWidget *
grantee_row (MwAccountSharing *self,
             const MwAclEntry *entry,
             const char       *folder,
             const char       *title)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = rights_text (entry->rights);
  g_autofree char *who = grantee_title (entry->grantee);
  /* Translators: screen-reader name and tooltip of a button: "Change the rights of bob@example.com on Archive" */
  g_autofree char *change = g_strdup_printf (_("Change the rights of %s on %s"), who, folder);
  /* Translators: screen-reader name and tooltip of a button: "Revoke the rights of bob@example.com on Archive" */
  g_autofree char *revoke = g_strdup_printf (_("Revoke the rights of %s on %s"), who, folder);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             add_button (self, "change", folder, entry->grantee, "document-edit-symbolic", change,
                                         G_CALLBACK (on_change_clicked_cb), entry));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             add_button (self, "revoke", folder, entry->grantee, "user-trash-symbolic", revoke,
                                         G_CALLBACK (on_revoke_clicked_cb), entry));
  return row;
}

static void
show_own (MwAccountSharing *self)
{
  guint i = 0;

  if (self->own->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("This account has no folders"));
      add_row (self, self->own_group, row);
      return;
    }
  /* The entries come by folder, then grantee: one expander per shared folder. */
  while (i < self->own->len)
    {
      MwAclEntry *first = g_ptr_array_index (self->own, i);
      const char *folder = first->display_name;
      /* Translators: screen-reader name and tooltip of a button: "Share Archive…" */
      g_autofree char *share = g_strdup_printf (_("Share %s…"), folder);
      GtkWidget *share_button = add_button (self, "share", folder, NULL, "emblem-shared-symbolic", share,
                                            G_CALLBACK (on_share_clicked_cb), first);
      guint end = i;

      while (end < self->own->len &&
             g_strcmp0 (((MwAclEntry *) g_ptr_array_index (self->own, end))->mailbox_key, first->mailbox_key) == 0)
        end++;
      if (first->grantee == NULL)
        {
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), folder);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          /* Translators: a folder only its owner may use */
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Not shared"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), share_button);
          add_row (self, self->own_group, row);
        }
      else
        {
          GtkWidget *expander = adw_expander_row_new ();
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint k = i; k < end; k++)
            {
              MwAclEntry *entry = g_ptr_array_index (self->own, k);
              g_autofree char *who = grantee_title (entry->grantee);

              if (names->len > 0)
                g_string_append (names, _(", "));
              /* Translators: IMAP's grantee "anyone" in a list of grantees: "Shared with bob, every user (anyone)" */
              g_string_append (names, g_strcmp0 (entry->grantee, "anyone") == 0 ? _("every user (anyone)") : who);
              adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), grantee_row (self, entry, folder, who));
            }
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), folder);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
          {
            /* Translators: the subtitle of a shared folder: who else may use it */
            g_autofree char *subtitle = g_strdup_printf (_("Shared with %s"), names->str);

            adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
          }
          adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), share_button);
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
          {
            /* Translators: for screen readers, the list of who may use a folder: "Who may use Archive" */
            g_autofree char *children = g_strdup_printf (_("Who may use %s"), folder);
            guint seen = 0;

            name_inner_lists (expander, folder, children, &seen);
          }
          add_row (self, self->own_group, expander);
        }
      i = end;
    }
}

static void
show_shared (MwAccountSharing *self)
{
  if (self->shared->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No folder of another account is shared with it"));
      add_row (self, self->shared_group, row);
      return;
    }
  for (guint i = 0; i < self->shared->len; i++)
    {
      MwAclEntry *entry = g_ptr_array_index (self->shared, i);
      GtkWidget *row = grantee_row (self, entry, entry->shown_as, entry->shown_as);
      g_autofree char *rights = rights_text (entry->rights);
      g_autofree char *subtitle = NULL;

      if (g_strcmp0 (entry->grantee, "anyone") == 0)
        /* Translators: a folder shared with every user: "Through every user (anyone): lrs: see the folder, …" */
        subtitle = g_strdup_printf (_("Through every user (anyone): %s"), rights);
      else
        subtitle = g_steal_pointer (&rights);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      add_row (self, self->shared_group, row);
    }
}

static void
set_titles (MwAccountSharing *self)
{
  MwAccountWindow *window = MW_IS_ACCOUNT_WINDOW (self->window) ? MW_ACCOUNT_WINDOW (self->window) : NULL;
  const MwAccount *account = window != NULL ? mw_account_window_get_account (window) : NULL;
  const char *user = NULL;
  g_autofree char *own = NULL;
  g_autofree char *shared = NULL;

  if (self->own != NULL)
    for (guint i = 0; i < self->own->len && user == NULL; i++)
      user = ((MwAclEntry *) g_ptr_array_index (self->own, i))->owner;
  if (user == NULL && account != NULL)
    user = account->name;
  if (user == NULL)
    {
      own = g_strdup (_("Folders of this account"));
      shared = g_strdup (_("Shared with this account"));
    }
  else
    {
      /* Translators: the title of a group of the Sharing tab: "Folders of alice@example.com" */
      own = g_strdup_printf (_("Folders of %s"), user);
      /* Translators: the title of a group of the Sharing tab: "Shared with alice@example.com" */
      shared = g_strdup_printf (_("Shared with %s"), user);
    }
  adw_preferences_group_set_title (self->own_group, own);
  adw_preferences_group_set_title (self->shared_group, shared);
}

static void
show_all (MwAccountSharing *self)
{
  gtk_spinner_stop (self->spinner);
  if (self->load_error != NULL)
    {
      adw_status_page_set_description (self->error_page, self->load_error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_actions (self);
      return;
    }
  clear_rows (self);
  set_titles (self);
  show_own (self);
  show_shared (self);
  self->loaded = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "list");
  update_actions (self);
}

/* One read of a load: a result of an older load (cancelled, or finished
 * before it could be) is dropped. */
typedef struct
{
  MwAccountSharing *self;
  GCancellable     *cancellable;
} LoadCall;

static LoadCall *
load_call_new (MwAccountSharing *self)
{
  LoadCall *call = g_new0 (LoadCall, 1);

  call->self = g_object_ref (self);
  call->cancellable = g_object_ref (self->load_cancellable);
  return call;
}

static void
load_call_free (LoadCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->cancellable);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadCall, load_call_free)

static void
loaded_one (LoadCall   *call,
            GPtrArray  *rows,
            GPtrArray **into,
            GError     *error)
{
  MwAccountSharing *self = call->self;

  if (call->cancellable != self->load_cancellable || is_cancelled (error))
    {
      g_clear_pointer (&rows, g_ptr_array_unref);
      return;
    }
  self->loading--;
  if (rows == NULL && self->load_error == NULL)
    self->load_error = g_error_copy (error);
  if (rows != NULL)
    {
      g_clear_pointer (into, g_ptr_array_unref);
      *into = rows;
    }
  if (self->loading == 0)
    show_all (self);
}

static void
on_own_loaded_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(LoadCall) call = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = mw_session_list_account_folders_finish (MW_SESSION (source), res, &error);

  if (rows != NULL)
    g_ptr_array_set_free_func (rows, (GDestroyNotify) mw_acl_entry_free);
  loaded_one (call, rows, &call->self->own, error);
}

static void
on_shared_loaded_cb (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  g_autoptr(LoadCall) call = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = mw_session_list_shared_with_finish (MW_SESSION (source), res, &error);

  if (rows != NULL)
    g_ptr_array_set_free_func (rows, (GDestroyNotify) mw_acl_entry_free);
  loaded_one (call, rows, &call->self->shared, error);
}

static void
load (MwAccountSharing *self)
{
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  g_clear_error (&self->load_error);
  /* The rows stay on screen while they are read again after a change. */
  if (!self->loaded)
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_start (self->spinner);
    }
  self->loading = 2;
  update_actions (self);
  mw_session_list_account_folders_async (self->session, self->account_key, self->load_cancellable,
                                         on_own_loaded_cb, load_call_new (self));
  mw_session_list_shared_with_async (self->session, self->account_key, self->load_cancellable,
                                     on_shared_loaded_cb, load_call_new (self));
}

/* Changes, toasts and Undo */

static void
on_toast_dismissed_cb (AdwToast         *toast,
                       MwAccountSharing *self)
{
  if (self->undo_toast == toast)
    g_clear_weak_pointer (&self->undo_toast);
}

static void
undo_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param);

static void
on_undo_clicked_cb (AdwToast         *toast,
                    MwAccountSharing *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sharing.undo", NULL);
}

/* The toast; with Undo when @undo (taken) says how. */
static void
toast (MwAccountSharing *self,
       const char       *title,
       MwRightsChange   *undo)
{
  AdwToast *t = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  g_clear_pointer (&self->undo, mw_rights_change_free);
  self->undo = undo;
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_weak_pointer (&self->undo_toast);
  adw_toast_set_timeout (t, 10);
  /* The newest change's toast at once, not after the last one's 10 s. */
  adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
  if (undo != NULL)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_undo_clicked_cb), self, 0);
      g_signal_connect_object (t, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, 0);
      g_set_weak_pointer (&self->undo_toast, t);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, t);
  update_actions (self);
}

static void
on_undone_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(MwAccountSharing) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRightsChange) change = g_object_steal_data (G_OBJECT (self), "mw-undoing");
  g_autofree char *text = NULL;

  if (!mw_rights_change_undo_finish (MW_SESSION (source), res, &error) && is_cancelled (error))
    return;
  self->writing--;
  if (error != NULL)
    {
      show_error (self, error->message);
      update_actions (self);
      return;
    }
  /* Translators: a toast after Undo: "The rights on Archive are as they were" */
  text = g_strdup_printf (_("The rights on %s are as they were"), change->folder);
  toast (self, text, NULL);
  load (self);
}

static void
undo_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountSharing *self = MW_ACCOUNT_SHARING (widget);
  MwRightsChange *change;

  if (self->undo == NULL || is_busy (self))
    return;
  change = g_steal_pointer (&self->undo);
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_weak_pointer (&self->undo_toast);
  show_error (self, NULL);
  self->writing++;
  update_actions (self);
  g_object_set_data_full (G_OBJECT (self), "mw-undoing", change, (GDestroyNotify) mw_rights_change_free);
  mw_rights_change_undo_async (self->session, change, self->cancellable, on_undone_cb, g_object_ref (self));
}

static void
on_dialog_changed_cb (MwRightsDialog   *dialog,
                      const char       *text,
                      MwRightsChange   *change,
                      MwAccountSharing *self)
{
  show_error (self, NULL);
  toast (self, text, mw_rights_change_copy (change));
  load (self);
}

static void
on_dialog_deleted_cb (MwRightsDialog   *dialog,
                      const char       *text,
                      MwAccountSharing *self)
{
  show_error (self, NULL);
  toast (self, text, NULL);
  load (self);
}

static void
present_dialog (MwAccountSharing *self,
                MwRightsDialog   *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), self->window);
  g_signal_connect_object (dialog, "changed", G_CALLBACK (on_dialog_changed_cb), self, 0);
  g_signal_connect_object (dialog, "deleted", G_CALLBACK (on_dialog_deleted_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_share_clicked_cb (MwAccountSharing *self,
                     GtkButton        *button)
{
  const MwAclEntry *entry = g_object_get_data (G_OBJECT (button), "mw-acl-entry");
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, (gpointer) entry);
  present_dialog (self, mw_rights_dialog_new_share (self->session, one));
}

static void
share_action (GtkWidget  *widget,
              const char *action,
              GVariant   *param)
{
  MwAccountSharing *self = MW_ACCOUNT_SHARING (widget);

  if (self->own != NULL && self->own->len > 0)
    present_dialog (self, mw_rights_dialog_new_share (self->session, self->own));
}

static void
on_change_clicked_cb (MwAccountSharing *self,
                      GtkButton        *button)
{
  const MwAclEntry *entry = g_object_get_data (G_OBJECT (button), "mw-acl-entry");

  present_dialog (self, mw_rights_dialog_new_change (self->session, entry));
}

typedef struct
{
  MwAccountSharing *self;
  MwRightsChange   *change;
} RevokeCall;

static void
on_revoked_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  RevokeCall *call = user_data;
  g_autoptr(MwAccountSharing) self = call->self;
  g_autoptr(MwRightsChange) change = call->change;
  g_autoptr(GError) error = NULL;
  g_autofree char *who = NULL;
  g_autofree char *text = NULL;

  g_free (call);
  if (!mw_session_set_rights_finish (MW_SESSION (source), res, &change->before, &error) && is_cancelled (error))
    return;
  self->writing--;
  if (error != NULL)
    {
      show_error (self, error->message);
      update_actions (self);
      return;
    }
  who = g_strcmp0 (change->grantee, "anyone") == 0 ? g_strdup (_("every user")) : g_strdup (change->grantee);
  /* Translators: a toast: "Revoked the rights of bob@example.com on Archive" */
  text = g_strdup_printf (_("Revoked the rights of %s on %s"), who, change->folder);
  toast (self, text, g_steal_pointer (&change));
  load (self);
}

/* At once, without a question: the toast's Undo gives the rights back. */
static void
on_revoke_clicked_cb (MwAccountSharing *self,
                      GtkButton        *button)
{
  const MwAclEntry *entry = g_object_get_data (G_OBJECT (button), "mw-acl-entry");
  RevokeCall *call;

  if (is_busy (self))
    return;
  show_error (self, NULL);
  call = g_new0 (RevokeCall, 1);
  call->self = g_object_ref (self);
  call->change = g_new0 (MwRightsChange, 1);
  call->change->mailbox_key = g_strdup (entry->mailbox_key);
  call->change->folder = g_strdup (g_object_get_data (G_OBJECT (button), "mw-folder"));
  call->change->grantee = g_strdup (entry->grantee);
  self->writing++;
  update_actions (self);
  mw_session_set_rights_async (self->session, entry->mailbox_key, entry->grantee, MW_RIGHTS_NONE, FALSE,
                               self->cancellable, on_revoked_cb, call);
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountSharing *self = MW_ACCOUNT_SHARING (widget);

  if (!is_busy (self))
    load (self);
}

/* The GObject */

static void
mw_account_sharing_dispose (GObject *object)
{
  MwAccountSharing *self = MW_ACCOUNT_SHARING (object);

  g_cancellable_cancel (self->cancellable);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_pointer (&self->buttons, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ACCOUNT_SHARING);

  G_OBJECT_CLASS (mw_account_sharing_parent_class)->dispose (object);
}

static void
mw_account_sharing_finalize (GObject *object)
{
  MwAccountSharing *self = MW_ACCOUNT_SHARING (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->account_key, g_free);
  g_clear_pointer (&self->own, g_ptr_array_unref);
  g_clear_pointer (&self->shared, g_ptr_array_unref);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->undo, mw_rights_change_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_weak_pointer (&self->window);

  G_OBJECT_CLASS (mw_account_sharing_parent_class)->finalize (object);
}

static void
mw_account_sharing_class_init (MwAccountSharingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_account_sharing_dispose;
  object_class->finalize = mw_account_sharing_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/mailwarden/Mailwarden/mw-account-window-sharing.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAccountSharing, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwAccountSharing, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountSharing, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwAccountSharing, stack);
  gtk_widget_class_bind_template_child (widget_class, MwAccountSharing, spinner);
  gtk_widget_class_bind_template_child (widget_class, MwAccountSharing, error_page);
  gtk_widget_class_bind_template_child (widget_class, MwAccountSharing, own_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountSharing, shared_group);

  gtk_widget_class_install_action (widget_class, "sharing.share", NULL, share_action);
  gtk_widget_class_install_action (widget_class, "sharing.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "sharing.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "sharing.undo", NULL);
  /* In the tab, before the window's own F5 (which reloads the Account tab). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "sharing.reload", NULL);
}

static void
mw_account_sharing_init (MwAccountSharing *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  update_actions (self);
}

/* The header bar's buttons for the Account tab's staged changes (Save,
 * Revert): not on this tab, whose changes are written at once. */
static void
find_account_buttons (GtkWidget *widget,
                      GPtrArray *found)
{
  if (GTK_IS_ACTIONABLE (widget))
    {
      const char *name = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));

      if (g_strcmp0 (name, "account.save") == 0 || g_strcmp0 (name, "account.revert") == 0)
        g_ptr_array_add (found, widget);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    find_account_buttons (c, found);
}

/* Read the first time the tab is shown, not when the window opens. */
static void
on_tab_changed_cb (AdwViewStack     *stack,
                   GParamSpec       *pspec,
                   MwAccountSharing *self)
{
  gboolean shown = g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "sharing") == 0;

  if (shown != self->hiding_buttons && self->window != NULL)
    {
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

      /* Only back to visible when leaving this tab: other tabs decide for themselves. */
      find_account_buttons (GTK_WIDGET (self->window), buttons);
      for (guint i = 0; i < buttons->len; i++)
        gtk_widget_set_visible (buttons->pdata[i], !shown);
      self->hiding_buttons = shown;
    }
  if (!self->loaded && self->loading == 0 && shown)
    load (self);
}

/* A change elsewhere (the Sharing list's dialog, another account's
 * window): read again once shown; this tab's own changes read again
 * when they are done. */
static void
on_session_changed_cb (MwAccountSharing *self,
                       int               kind)
{
  if (kind == MW_LIST_SHARING && self->loaded && self->writing == 0)
    load (self);
}

/* The account's name came: the groups' titles may use it. */
static void
on_account_loaded_cb (MwAccountSharing *self)
{
  if (self->loaded)
    set_titles (self);
}

void
_mw_account_window_init_sharing (MwAccountWindow *window)
{
  MwSchema *schema = mw_session_get_schema (window->session);
  MwAccountSharing *self;
  AdwViewStackPage *page;

  if (!mw_schema_has_sharing (schema) || !mw_schema_can (schema, MW_SCHEMA_CAN_WRITE))
    return;
  self = g_object_new (MW_TYPE_ACCOUNT_SHARING, NULL);
  self->session = g_object_ref (window->session);
  self->account_key = g_strdup (window->account_key);
  set_titles (self);
  page = adw_view_stack_add_titled (window->view_stack, GTK_WIDGET (self), "sharing",
                                    C_("account page", "Sharing"));
  adw_view_stack_page_set_icon_name (page, "emblem-shared-symbolic");
  /* Two tabs at least: a narrow window switches them in the bar at the bottom. */
  adw_view_switcher_bar_set_reveal (window->switcher_bar, TRUE);
  g_set_weak_pointer (&self->window, GTK_WINDOW (window));
  g_signal_connect_object (window->view_stack, "notify::visible-child-name", G_CALLBACK (on_tab_changed_cb), self,
                           0);
  g_signal_connect_object (window, "notify::title", G_CALLBACK (on_account_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "changed", G_CALLBACK (on_session_changed_cb), self, G_CONNECT_SWAPPED);
}

/* Public, for tests */

MwAccountSharing *
mw_account_window_get_sharing (MwAccountWindow *window)
{
  GtkWidget *child;

  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (window), NULL);

  child = adw_view_stack_get_child_by_name (window->view_stack, "sharing");
  return child != NULL ? MW_ACCOUNT_SHARING (child) : NULL;
}

gboolean
mw_account_sharing_is_busy (MwAccountSharing *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_SHARING (self), FALSE);
  return is_busy (self);
}

gboolean
mw_account_sharing_is_loaded (MwAccountSharing *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_SHARING (self), FALSE);
  return self->loaded;
}

static void
collect_rows (GtkWidget    *widget,
              GStrvBuilder *out)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_ACTION_ROW (c) || ADW_IS_EXPANDER_ROW (c))
        {
          const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c));
          const char *subtitle = ADW_IS_ACTION_ROW (c) ? adw_action_row_get_subtitle (ADW_ACTION_ROW (c))
                                                       : adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (c));

          if (subtitle != NULL && subtitle[0] != '\0')
            {
              g_autofree char *line = g_strdup_printf ("%s: %s", title, subtitle);

              g_strv_builder_add (out, line);
            }
          else
            g_strv_builder_add (out, title);
        }
      collect_rows (c, out);
    }
}

GStrv
mw_account_sharing_dup_rows (MwAccountSharing *self,
                             const char       *group)
{
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  g_return_val_if_fail (MW_IS_ACCOUNT_SHARING (self), NULL);

  collect_rows (GTK_WIDGET (g_str_equal (group, "own") ? self->own_group : self->shared_group), out);
  return g_strv_builder_end (out);
}

const char *
mw_account_sharing_get_title (MwAccountSharing *self,
                              const char       *group)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_SHARING (self), NULL);
  return adw_preferences_group_get_title (g_str_equal (group, "own") ? self->own_group : self->shared_group);
}

gboolean
mw_account_sharing_press (MwAccountSharing *self,
                          const char       *what,
                          const char       *folder,
                          const char       *grantee)
{
  g_autofree char *key = NULL;
  GtkWidget *button;

  g_return_val_if_fail (MW_IS_ACCOUNT_SHARING (self), FALSE);

  key = button_key (what, folder, grantee);
  button = g_hash_table_lookup (self->buttons, key);
  if (button == NULL || !gtk_widget_is_sensitive (button))
    return FALSE;
  g_signal_emit_by_name (button, "clicked");
  return TRUE;
}

const char *
mw_account_sharing_get_toast (MwAccountSharing *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_SHARING (self), NULL);
  return self->last_toast;
}

AdwToast *
mw_account_sharing_get_undo_toast (MwAccountSharing *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_SHARING (self), NULL);
  return self->undo_toast;
}

const char *
mw_account_sharing_get_error (MwAccountSharing *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_SHARING (self), NULL);
  return gtk_revealer_get_reveal_child (self->error_revealer) ? gtk_label_get_text (self->error_label) : NULL;
}
