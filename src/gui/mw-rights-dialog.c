/* mw-rights-dialog.c: who may do what in one folder.
 *
 * "Share a Folder" takes a folder (chosen among the owner's, or fixed), a
 * grantee (a login name, or every user through the switch, which is IMAP's
 * "anyone") and the 11 rights of RFC 4314 as check rows named in plain
 * words by the core (mw_right_label), with presets (Read Only, Read and
 * Write, Full: the core's) and a live line with the IMAP letters. "Change
 * Rights" fixes the folder and the grantee and adds Revoke Access. Each
 * change is one call on a session worker; a refusal shows the core's
 * sentence in the dialog, which stays open; a change emits "changed" with
 * the rights the core says the grantee had before, for the caller's toast
 * and its Undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-rights-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-rights-dialog.h"
#include "mw-window.h"

struct _MwRightsDialog
{
  AdwWindow            parent_instance;

  MwSession           *session;
  GCancellable        *cancellable;
  gboolean             busy;
  MwAclEntry          *entry;         /* Change: the row as read; NULL when sharing */
  GPtrArray           *folders;       /* Share: MwAclEntry, one per folder offered */
  MwRights             wanted;        /* what the running call writes */
  gboolean             revoking;
  GtkCheckButton      *checks[MW_N_RIGHTS];

  /* Template widgets */
  GtkLabel            *title_label;
  GtkWidget           *grant_button;
  AdwPreferencesGroup *who_group;
  AdwPreferencesGroup *rights_group;
  GtkLabel            *error_label;
  AdwActionRow        *folder_row;
  AdwComboRow         *folder_combo;
  AdwActionRow        *anyone_row;
  GtkSwitch           *anyone_switch;
  AdwEntryRow         *grantee_row;
  AdwActionRow        *who_row;
  AdwPreferencesGroup *revoke_group;
  GtkWidget           *delete_folder_button;
};

G_DEFINE_FINAL_TYPE (MwRightsDialog, mw_rights_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_CHANGED, SIGNAL_DELETED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* For tests, across a row of the Sharing list, its dialog and its toast. */
static char             *last_toast;
static guint             changing;
static AdwMessageDialog *shown_question;  /* weak */

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The change and its Undo */

MwRightsChange *
mw_rights_change_copy (const MwRightsChange *change)
{
  MwRightsChange *copy = g_new0 (MwRightsChange, 1);

  copy->mailbox_key = g_strdup (change->mailbox_key);
  copy->folder = g_strdup (change->folder);
  copy->grantee = g_strdup (change->grantee);
  copy->before = change->before;
  return copy;
}

void
mw_rights_change_free (MwRightsChange *change)
{
  if (change == NULL)
    return;
  g_free (change->mailbox_key);
  g_free (change->folder);
  g_free (change->grantee);
  g_free (change);
}

void
mw_rights_change_undo_async (MwSession            *session,
                             const MwRightsChange *change,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_return_if_fail (MW_IS_SESSION (session));
  g_return_if_fail (change != NULL);

  /* No rights takes the row away: as it was where there was none. */
  mw_session_set_rights_async (session, change->mailbox_key, change->grantee, change->before, FALSE, cancellable,
                               callback, user_data);
}

gboolean
mw_rights_change_undo_finish (MwSession     *session,
                              GAsyncResult  *result,
                              GError       **error)
{
  return mw_session_set_rights_finish (session, result, NULL, error);
}

/* The dialog */

/* A folder as the dialog names it: its public name, or its name and owner. */
static char *
folder_text (const MwAclEntry *entry)
{
  if (entry->is_public || entry->owner == NULL)
    return g_strdup (entry->shown_as != NULL ? entry->shown_as : entry->display_name);
  /* Translators: a folder and its owner in the rights dialog and its toasts: "Archive (alice@example.com)" */
  return g_strdup_printf (_("%s (%s)"), entry->display_name, entry->owner);
}

/* Who gets the rights, as a sentence names them. */
static char *
grantee_text (const char *grantee)
{
  if (g_strcmp0 (grantee, "anyone") == 0)
    /* Translators: IMAP's grantee "anyone" in a sentence: "Shared Archive with every user: lrs" */
    return g_strdup (_("every user"));
  return g_strdup (grantee);
}

static void
show_error (MwRightsDialog *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static MwRights
checked_rights (MwRightsDialog *self)
{
  MwRights rights = MW_RIGHTS_NONE;

  for (guint i = 0; i < MW_N_RIGHTS; i++)
    if (gtk_check_button_get_active (self->checks[i]))
      rights |= mw_right_nth (i);
  return rights;
}

static void
set_checks (MwRightsDialog *self,
            MwRights        rights)
{
  for (guint i = 0; i < MW_N_RIGHTS; i++)
    gtk_check_button_set_active (self->checks[i], (rights & mw_right_nth (i)) != 0);
}

static void
update_actions (MwRightsDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rights.grant", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rights.revoke", !self->busy && self->entry != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rights.preset", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rights.delete-folder",
                                 !self->busy && self->entry != NULL && self->entry->is_public);
}

/* The live line: the IMAP letters of the checks, and the preset they are. */
static void
update_letters (MwRightsDialog *self)
{
  MwRights rights = checked_rights (self);
  g_autofree char *letters = mw_rights_to_letters (rights);
  const char *preset = mw_rights_preset_name (rights);
  g_autofree char *line = NULL;

  if (rights == MW_RIGHTS_NONE)
    line = g_strdup (self->entry != NULL ? _("No rights: changing takes the folder away from them")
                                         : _("No rights chosen"));
  else if (g_strcmp0 (preset, "read-only") == 0)
    /* Translators: the IMAP letters of the rights checked, and the preset they make */
    line = g_strdup_printf (_("IMAP rights: %s (Read Only)"), letters);
  else if (g_strcmp0 (preset, "read-write") == 0)
    /* Translators: the IMAP letters of the rights checked, and the preset they make */
    line = g_strdup_printf (_("IMAP rights: %s (Read and Write)"), letters);
  else if (g_strcmp0 (preset, "full") == 0)
    /* Translators: the IMAP letters of the rights checked, and the preset they make */
    line = g_strdup_printf (_("IMAP rights: %s (Full)"), letters);
  else
    /* Translators: the IMAP letters of the rights checked */
    line = g_strdup_printf (_("IMAP rights: %s"), letters);
  /* Right under the group's title, in sight while the checks change. */
  adw_preferences_group_set_description (self->rights_group, line);
}

static void
on_check_toggled_cb (MwRightsDialog *self)
{
  update_letters (self);
}

/* A sentence about what was typed goes once it is typed again. */
static void
on_field_changed_cb (MwRightsDialog *self)
{
  if (!self->busy)
    show_error (self, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->grantee_row), "error");
}

static void
on_anyone_changed_cb (MwRightsDialog *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Never leave the focus in a field that goes insensitive. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->grantee_row)))
    gtk_widget_grab_focus (GTK_WIDGET (self->anyone_switch));
  gtk_widget_set_sensitive (GTK_WIDGET (self->grantee_row),
                            self->entry == NULL && !gtk_switch_get_active (self->anyone_switch));
  on_field_changed_cb (self);
}

static const MwAclEntry *
chosen_folder (MwRightsDialog *self)
{
  guint i;

  if (self->entry != NULL)
    return self->entry;
  if (self->folders == NULL || self->folders->len == 0)
    return NULL;
  i = self->folders->len == 1 ? 0 : adw_combo_row_get_selected (self->folder_combo);
  return i < self->folders->len ? g_ptr_array_index (self->folders, i) : NULL;
}

static char *
chosen_grantee (MwRightsDialog *self)
{
  if (self->entry != NULL)
    return g_strdup (self->entry->grantee);
  if (gtk_switch_get_active (self->anyone_switch))
    return g_strdup ("anyone");
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->grantee_row))));
}

static void
on_rights_set_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(MwRightsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRightsChange) change = g_new0 (MwRightsChange, 1);
  g_autofree char *folder = NULL;
  g_autofree char *who = NULL;
  g_autofree char *letters = NULL;
  g_autofree char *text = NULL;
  const MwAclEntry *entry = chosen_folder (self);
  MwRights before = MW_RIGHTS_NONE;

  self->busy = FALSE;
  update_actions (self);
  if (!mw_session_set_rights_finish (self->session, res, &before, &error))
    {
      if (is_cancelled (error))
        return;
      show_error (self, error->message);
      return;
    }
  folder = folder_text (entry);
  change->mailbox_key = g_strdup (entry->mailbox_key);
  change->folder = g_strdup (folder);
  change->grantee = chosen_grantee (self);
  change->before = before;
  who = grantee_text (change->grantee);
  letters = mw_rights_to_letters (self->wanted);
  if (self->wanted == MW_RIGHTS_NONE)
    /* Translators: a toast: "Revoked the rights of bob@example.com on Archive (alice@example.com)" */
    text = g_strdup_printf (_("Revoked the rights of %s on %s"), who, folder);
  else if (before == MW_RIGHTS_NONE)
    /* Translators: a toast: "Shared Archive (alice@example.com) with bob@example.com: lrs" */
    text = g_strdup_printf (_("Shared %s with %s: %s"), folder, who, letters);
  else
    /* Translators: a toast: "Rights of bob@example.com on Archive (alice@example.com): lrswi" */
    text = g_strdup_printf (_("Rights of %s on %s: %s"), who, folder, letters);
  /* The session told the lists ("changed"). */
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, text, change);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_set (MwRightsDialog *self,
           MwRights        rights)
{
  const MwAclEntry *folder = chosen_folder (self);
  g_autofree char *grantee = chosen_grantee (self);

  show_error (self, NULL);
  if (folder == NULL)
    {
      show_error (self, _("This account has no folder to share."));
      return;
    }
  if (grantee == NULL || grantee[0] == '\0')
    {
      show_error (self, _("Type the login name of the user to share with, or switch on Every user."));
      gtk_widget_add_css_class (GTK_WIDGET (self->grantee_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->grantee_row));
      return;
    }
  if (rights == MW_RIGHTS_NONE && self->entry == NULL)
    {
      show_error (self, _("Choose at least one right, or a preset."));
      gtk_widget_grab_focus (GTK_WIDGET (self->checks[0]));
      return;
    }
  self->busy = TRUE;
  self->wanted = rights;
  update_actions (self);
  mw_session_set_rights_async (self->session, folder->mailbox_key, grantee, rights, FALSE, self->cancellable,
                               on_rights_set_cb, g_object_ref (self));
}

static void
grant_action (GtkWidget  *widget,
              const char *action,
              GVariant   *param)
{
  MwRightsDialog *self = MW_RIGHTS_DIALOG (widget);

  if (!self->busy)
    start_set (self, checked_rights (self));
}

/* Takes the row away; the toast's Undo gives the rights back. */
static void
revoke_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwRightsDialog *self = MW_RIGHTS_DIALOG (widget);

  if (!self->busy && self->entry != NULL)
    start_set (self, MW_RIGHTS_NONE);
}

static void
preset_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwRightsDialog *self = MW_RIGHTS_DIALOG (widget);
  MwRights rights;

  if (mw_rights_from_preset (g_variant_get_string (param, NULL), &rights))
    set_checks (self, rights);
}

static void
on_folder_deleted_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(MwRightsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->busy = FALSE;
  update_actions (self);
  if (!mw_session_delete_public_folder_finish (self->session, res, &error))
    {
      if (!is_cancelled (error))
        show_error (self, error->message);
      return;
    }
  /* Translators: a toast: "Deleted the public folder #Public/Team" */
  text = g_strdup_printf (_("Deleted the public folder %s"), self->entry->shown_as);
  g_signal_emit (self, signals[SIGNAL_DELETED], 0, text);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwRightsDialog   *self)
{
  if (g_strcmp0 (response, "delete") != 0 || self->busy)
    return;
  show_error (self, NULL);
  self->busy = TRUE;
  update_actions (self);
  mw_session_delete_public_folder_async (self->session, self->entry->shown_as, FALSE, self->cancellable,
                                         on_folder_deleted_cb, g_object_ref (self));
}

/* Asks first: a deleted folder's rows go with it and no Undo brings them back. */
static void
delete_folder_action (GtkWidget  *widget,
                      const char *action,
                      GVariant   *param)
{
  MwRightsDialog *self = MW_RIGHTS_DIALOG (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->busy || self->entry == NULL || !self->entry->is_public)
    return;
  /* Translators: the question before deleting a public folder: "Delete the Public Folder #Public/Team?" */
  heading = g_strdup_printf (_("Delete the Public Folder %s?"), self->entry->shown_as);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Nobody sees it any more, and who may do what in it is forgotten. Only an "
                                     "empty folder without subfolders can be deleted."));
  gtk_window_set_title (GTK_WINDOW (dialog), heading);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  g_set_weak_pointer (&shown_question, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Rows of the Sharing list: read afresh, then the dialog, then the toast */

typedef struct
{
  GtkWindow      *parent;   /* weak */
  MwSession      *session;
  char           *mailbox_key;
  char           *grantee;   /* "" for a public folder nobody has rights on */
  char           *folder;    /* as the list shows it, "#Public/News" */
  MwRightsChange *undo;
} RowCall;

static RowCall *
row_call_new (GtkWindow  *parent,
              MwSession  *session,
              const char *mailbox_key,
              const char *grantee)
{
  RowCall *call = g_new0 (RowCall, 1);

  g_set_weak_pointer (&call->parent, parent);
  call->session = g_object_ref (session);
  call->mailbox_key = g_strdup (mailbox_key);
  call->grantee = g_strdup (grantee);
  return call;
}

static void
row_call_free (RowCall *call)
{
  g_clear_weak_pointer (&call->parent);
  g_clear_object (&call->session);
  g_free (call->mailbox_key);
  g_free (call->grantee);
  g_free (call->folder);
  g_clear_pointer (&call->undo, mw_rights_change_free);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RowCall, row_call_free)

static void on_row_undo_clicked_cb (AdwToast *toast, RowCall *call);

static void
row_toast (GtkWindow  *parent,
           const char *title,
           RowCall    *undo)
{
  AdwToast *toast;

  g_free (last_toast);
  last_toast = g_strdup (title);
  if (parent == NULL || !MW_IS_WINDOW (parent))
    {
      g_clear_pointer (&undo, row_call_free);
      return;
    }
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 10);
  if (undo != NULL)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_row_undo_clicked_cb), undo,
                             (GClosureNotify) (void (*) (void)) row_call_free, 0);
    }
  mw_window_add_toast (MW_WINDOW (parent), toast);
}

static void
on_row_undone_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(RowCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  changing--;
  if (!mw_rights_change_undo_finish (call->session, res, &error))
    {
      if (!is_cancelled (error))
        row_toast (call->parent, error->message, NULL);
      return;
    }
  /* Translators: a toast after Undo: "The rights on Archive (alice@example.com) are as they were" */
  text = g_strdup_printf (_("The rights on %s are as they were"), call->undo->folder);
  row_toast (call->parent, text, NULL);
}

static void
on_row_undo_clicked_cb (AdwToast *toast,
                        RowCall  *call)
{
  RowCall *again = row_call_new (call->parent, call->session, call->mailbox_key, call->grantee);

  again->undo = mw_rights_change_copy (call->undo);
  changing++;
  mw_rights_change_undo_async (call->session, call->undo, NULL, on_row_undone_cb, again);
}

static void
on_row_dialog_changed_cb (MwRightsDialog *dialog,
                          const char     *text,
                          MwRightsChange *change,
                          RowCall        *call)
{
  RowCall *undo = row_call_new (call->parent, call->session, change->mailbox_key, change->grantee);

  undo->undo = mw_rights_change_copy (change);
  row_toast (call->parent, text, undo);
}

static void
on_row_dialog_deleted_cb (MwRightsDialog *dialog,
                          const char     *text,
                          RowCall        *call)
{
  row_toast (call->parent, text, NULL);
}

static void
on_row_read_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(RowCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  changing--;
  rows = mw_session_list_folder_acl_finish (call->session, res, &error);
  if (rows == NULL)
    {
      if (!is_cancelled (error))
        row_toast (call->parent, error->message, NULL);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      MwAclEntry *entry = g_ptr_array_index (rows, i);

      if (g_strcmp0 (entry->grantee, call->grantee) == 0)
        {
          MwRightsDialog *dialog = mw_rights_dialog_new_change (call->session, entry);

          gtk_window_set_transient_for (GTK_WINDOW (dialog), call->parent);
          g_signal_connect_data (dialog, "changed", G_CALLBACK (on_row_dialog_changed_cb),
                                 row_call_new (call->parent, call->session, call->mailbox_key, call->grantee),
                                 (GClosureNotify) (void (*) (void)) row_call_free, 0);
          g_signal_connect_data (dialog, "deleted", G_CALLBACK (on_row_dialog_deleted_cb),
                                 row_call_new (call->parent, call->session, call->mailbox_key, call->grantee),
                                 (GClosureNotify) (void (*) (void)) row_call_free, 0);
          gtk_window_present (GTK_WINDOW (dialog));
          return;
        }
    }
  {
    g_autofree char *who = grantee_text (call->grantee);
    /* Translators: a toast: the row was taken away elsewhere meanwhile */
    g_autofree char *text = g_strdup_printf (_("%s no longer has rights on this folder."), who);

    row_toast (call->parent, text, NULL);
  }
}

static void
on_row_found_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(RowCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = mw_session_find_shared_folder_finish (call->session, res, &error);
  MwSession *session;

  if (key == NULL)
    {
      changing--;
      if (!is_cancelled (error))
        row_toast (call->parent, error->message, NULL);
      return;
    }
  g_free (call->mailbox_key);
  call->mailbox_key = g_strdup (key);
  /* A public folder without rows: the dialog that shares it. */
  if (call->grantee[0] == '\0')
    {
      g_autoptr(MwAclEntry) entry = mw_acl_entry_new ();
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      MwRightsDialog *dialog;

      changing--;
      entry->mailbox_key = g_strdup (key);
      entry->shown_as = g_strdup (call->folder);
      entry->display_name = g_strdup (call->folder);
      entry->owner = g_strdup ("__public__");
      entry->is_public = TRUE;
      g_ptr_array_add (one, entry);
      dialog = mw_rights_dialog_new_share (call->session, one);
      gtk_window_set_transient_for (GTK_WINDOW (dialog), call->parent);
      g_signal_connect_data (dialog, "changed", G_CALLBACK (on_row_dialog_changed_cb),
                             row_call_new (call->parent, call->session, key, call->grantee),
                             (GClosureNotify) (void (*) (void)) row_call_free, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  /* Read afresh: the list may be older than the row. */
  session = call->session;
  mw_session_list_folder_acl_async (session, key, NULL, on_row_read_cb, g_steal_pointer (&call));
}

void
mw_rights_dialog_open_row (GtkWindow  *parent,
                           MwSession  *session,
                           const char *folder,
                           const char *grantee)
{
  RowCall *call;

  g_return_if_fail (MW_IS_SESSION (session));
  g_return_if_fail (folder != NULL && grantee != NULL);

  changing++;
  call = row_call_new (parent, session, NULL, grantee);
  call->folder = g_strdup (folder);
  mw_session_find_shared_folder_async (session, folder, NULL, on_row_found_cb, call);
}

const char *
mw_rights_dialog_get_last_toast (void)
{
  return last_toast;
}

gboolean
mw_rights_dialog_is_changing (void)
{
  return changing > 0;
}

AdwMessageDialog *
mw_rights_dialog_get_question (void)
{
  return shown_question;
}

/* Public: the dialog */

static void
set_title (MwRightsDialog *self,
           const char     *title)
{
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->title_label, title);
}

MwRightsDialog *
mw_rights_dialog_new_share (MwSession *session,
                            GPtrArray *folders)
{
  MwRightsDialog *self;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (folders != NULL, NULL);

  self = g_object_new (MW_TYPE_RIGHTS_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->folders = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_acl_entry_free);
  for (guint i = 0; i < folders->len; i++)
    {
      MwAclEntry *entry = g_ptr_array_index (folders, i);
      g_autofree char *text = NULL;

      if (!g_hash_table_add (seen, entry->mailbox_key))
        continue;
      g_ptr_array_add (self->folders, mw_acl_entry_copy (entry));
      text = folder_text (entry);
      gtk_string_list_append (names, text);
    }
  set_title (self, _("Share a Folder"));
  if (self->folders->len == 1)
    {
      g_autofree char *text = folder_text (g_ptr_array_index (self->folders, 0));

      adw_action_row_set_subtitle (self->folder_row, text);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->folder_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->folder_combo), TRUE);
      adw_combo_row_set_model (self->folder_combo, G_LIST_MODEL (names));
    }
  set_checks (self, MW_RIGHTS_READ_ONLY);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->grant_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->grantee_row));
  return self;
}

MwRightsDialog *
mw_rights_dialog_new_change (MwSession        *session,
                             const MwAclEntry *entry)
{
  MwRightsDialog *self;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (entry != NULL && entry->grantee != NULL, NULL);

  self = g_object_new (MW_TYPE_RIGHTS_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->entry = mw_acl_entry_copy (entry);
  folder = folder_text (entry);
  adw_action_row_set_subtitle (self->folder_row, folder);
  set_title (self, _("Change Rights"));
  gtk_button_set_label (GTK_BUTTON (self->grant_button), _("C_hange"));
  /* Whose rights: fixed, shown as a property rather than a field. */
  gtk_switch_set_active (self->anyone_switch, g_strcmp0 (entry->grantee, "anyone") == 0);
  gtk_editable_set_text (GTK_EDITABLE (self->grantee_row), entry->grantee);
  gtk_widget_set_visible (GTK_WIDGET (self->anyone_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->grantee_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->who_row), TRUE);
  {
    g_autofree char *who = grantee_text (entry->grantee);

    adw_action_row_set_subtitle (self->who_row, g_strcmp0 (entry->grantee, "anyone") == 0
                                                ? _("Every user (anyone)") : who);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->revoke_group), TRUE);
  gtk_widget_set_visible (self->delete_folder_button, entry->is_public);
  set_checks (self, entry->rights);
  update_actions (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->grant_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->checks[0]));
  return self;
}

gboolean
mw_rights_dialog_is_busy (MwRightsDialog *self)
{
  g_return_val_if_fail (MW_IS_RIGHTS_DIALOG (self), FALSE);
  return self->busy;
}

const char *
mw_rights_dialog_get_error (MwRightsDialog *self)
{
  g_return_val_if_fail (MW_IS_RIGHTS_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

char *
mw_rights_dialog_dup_letters (MwRightsDialog *self)
{
  g_return_val_if_fail (MW_IS_RIGHTS_DIALOG (self), NULL);
  return mw_rights_to_letters (checked_rights (self));
}

const char *
mw_rights_dialog_get_letters_line (MwRightsDialog *self)
{
  g_return_val_if_fail (MW_IS_RIGHTS_DIALOG (self), NULL);
  return adw_preferences_group_get_description (self->rights_group);
}

void
mw_rights_dialog_set_field (MwRightsDialog *self,
                            const char     *field,
                            const char     *value)
{
  g_return_if_fail (MW_IS_RIGHTS_DIALOG (self));

  if (g_strcmp0 (field, "grantee") == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->grantee_row), value);
  else if (g_strcmp0 (field, "anyone") == 0)
    gtk_switch_set_active (self->anyone_switch, g_strcmp0 (value, "yes") == 0);
  else if (g_strcmp0 (field, "letters") == 0)
    {
      MwRights rights = MW_RIGHTS_NONE;

      if (!mw_rights_from_letters (value, &rights, NULL))
        g_return_if_reached ();
      set_checks (self, rights);
    }
  else if (g_strcmp0 (field, "folder") == 0)
    {
      for (guint i = 0; self->folders != NULL && i < self->folders->len; i++)
        {
          g_autofree char *text = folder_text (g_ptr_array_index (self->folders, i));

          if (g_strcmp0 (text, value) == 0)
            adw_combo_row_set_selected (self->folder_combo, i);
        }
    }
  else
    g_return_if_reached ();
}

static void
mw_rights_dialog_dispose (GObject *object)
{
  MwRightsDialog *self = MW_RIGHTS_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_RIGHTS_DIALOG);
  G_OBJECT_CLASS (mw_rights_dialog_parent_class)->dispose (object);
}

static void
mw_rights_dialog_finalize (GObject *object)
{
  MwRightsDialog *self = MW_RIGHTS_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->entry, mw_acl_entry_free);
  g_clear_pointer (&self->folders, g_ptr_array_unref);
  G_OBJECT_CLASS (mw_rights_dialog_parent_class)->finalize (object);
}

static void
mw_rights_dialog_class_init (MwRightsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_rights_dialog_dispose;
  object_class->finalize = mw_rights_dialog_finalize;

  /* "changed": a sentence for a toast, and what undoes the change. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_POINTER);
  /* "deleted": the public folder is gone; a sentence for a toast. */
  signals[SIGNAL_DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-rights-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, grant_button);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, who_group);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, rights_group);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, folder_combo);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, anyone_row);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, anyone_switch);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, grantee_row);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, who_row);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, revoke_group);
  gtk_widget_class_bind_template_child (widget_class, MwRightsDialog, delete_folder_button);

  gtk_widget_class_install_action (widget_class, "rights.grant", NULL, grant_action);
  gtk_widget_class_install_action (widget_class, "rights.revoke", NULL, revoke_action);
  gtk_widget_class_install_action (widget_class, "rights.preset", "s", preset_action);
  gtk_widget_class_install_action (widget_class, "rights.delete-folder", NULL, delete_folder_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_rights_dialog_init (MwRightsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* The 11 rights, each a row named by the core's plain words, with its letter. */
  for (guint i = 0; i < MW_N_RIGHTS; i++)
    {
      MwRight right = mw_right_nth (i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *letter = g_strdup_printf ("%c", mw_right_letter (right));
      /* Translators: the subtitle of a right's row: its IMAP letter */
      g_autofree char *subtitle = g_strdup_printf (_("IMAP right “%s”"), letter);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mw_right_label (right));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      /* Named by its row's title (the activatable widget's relation). */
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_check_toggled_cb), self);
      adw_preferences_group_add (self->rights_group, row);
      self->checks[i] = GTK_CHECK_BUTTON (check);
    }
  g_signal_connect_swapped (self->grantee_row, "changed", G_CALLBACK (on_field_changed_cb), self);
  g_signal_connect_swapped (self->anyone_switch, "notify::active", G_CALLBACK (on_anyone_changed_cb), self);
  /* The groups' lists are named by their titles. */
  update_letters (self);
  update_actions (self);
}
