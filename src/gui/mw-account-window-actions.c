/* mw-account-window-actions.c: the account window's changes to the account:
 * staged, saved together, undone from the toast, reverted; and deleting it.
 *
 * A save sends what the rows hold that differs from the account as loaded,
 * with the fingerprint it was loaded with: the core refuses it when the
 * account changed in the database meanwhile, hashes the passwords on its
 * worker and answers with the change that undoes the save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-account-window-private.h"
#include "mw-application.h"
#include "mailwarden-core.h"

/* ------------------------------------------------------------------------ */
/* Staged changes                                                           */
/* ------------------------------------------------------------------------ */

static gint64
quota_in_editor (MwAccountWindow *self)
{
  return (gint64) gtk_spin_button_get_value (self->quota_spin) * MIB;
}

/* The value a spin button's text reads as while the cursor is still in it:
 * the button takes typed text only on Enter or on leaving the field, and
 * Save must count what the person sees. Read as the button reads it (its
 * "input" handler, else strtod); text it would refuse keeps the value. */
static double
typed_value (GtkSpinButton *spin)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  double value = gtk_spin_button_get_value (spin);
  int handled = FALSE;

  g_signal_emit_by_name (spin, "input", &value, &handled);
  if (handled == GTK_INPUT_ERROR)
    return gtk_spin_button_get_value (spin);
  if (!handled)
    {
      char *end = NULL;

      value = g_strtod (text, &end);
      if (*end != '\0')
        return gtk_spin_button_get_value (spin);
    }
  return CLAMP (value, gtk_adjustment_get_lower (adjustment), gtk_adjustment_get_upper (adjustment));
}

/* The security action the rows hold: the chosen action's value, or for an
 * action told apart by number, the rule number in the field (as typed, if
 * @typed). */
static gint64
security_action_in_editor (MwAccountWindow *self,
                           gboolean         typed)
{
  guint i = adw_combo_row_get_selected (self->security_action_row);
  const MwSecurityAction *action;

  if (i >= self->n_security_actions)
    return self->account != NULL ? self->account->security_action : 0;
  action = &self->security_actions[i];
  if (!action->numbered)
    return action->value;
  return MAX (action->value, (gint64) (typed ? typed_value (self->security_action_spin)
                                             : gtk_spin_button_get_value (self->security_action_spin)));
}

/* Makes the spin buttons take what is typed in them, as leaving them would. */
static void
commit_typed_values (MwAccountWindow *self)
{
  gtk_spin_button_update (self->group_spin);
  gtk_spin_button_update (self->quota_spin);
  gtk_spin_button_update (self->security_action_spin);
}

/* What the rows hold that differs from the account as loaded. */
static MwAccountChangeFlags
staged_changes (MwAccountWindow *self)
{
  MwAccount *a = self->account;
  MwAccountChangeFlags c = 0;

  if (a == NULL)
    return 0;
  if (!g_str_equal (gtk_editable_get_text (GTK_EDITABLE (self->name_row)), a->name))
    c |= MW_ACCOUNT_CHANGE_NAME;
  if ((gint64) typed_value (self->group_spin) != a->group)
    c |= MW_ACCOUNT_CHANGE_GROUP;
  /* The editor shows whole MiB; an untouched odd quota stays as it is. */
  if ((gint64) typed_value (self->quota_spin) != (a->quota + MIB / 2) / MIB)
    c |= MW_ACCOUNT_CHANGE_QUOTA;
  if (gtk_switch_get_active (self->enabled_switch) != a->active)
    c |= MW_ACCOUNT_CHANGE_ACTIVE;
  if (gtk_editable_get_text (GTK_EDITABLE (self->password_row))[0] != '\0')
    c |= MW_ACCOUNT_CHANGE_PASSWORD;
  if (gtk_editable_get_text (GTK_EDITABLE (self->security_password_row))[0] != '\0')
    c |= MW_ACCOUNT_CHANGE_SECURITY_PASSWORD;
  if (security_action_in_editor (self, TRUE) != a->security_action)
    c |= MW_ACCOUNT_CHANGE_SECURITY_ACTION;
  return c;
}

void
_mw_account_window_update_actions (MwAccountWindow *self)
{
  /* Before mw_account_window_new() has given the window its session,
   * nothing can be done. */
  gboolean writable = self->session != NULL &&
                      mw_schema_can (mw_session_get_schema (self->session), MW_SCHEMA_CAN_WRITE);
  gboolean dirty = writable && staged_changes (self) != 0;
  static const char *const writes[] = {
    "account.delete", "account.generate-password", "account.delete-alias", "account.restore-alias",
    "account.delete-forward", "account.restore-forward",
  };

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.save", dirty && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.revert", dirty && !self->saving);
  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), writes[i], writable);
}

static void
on_editor_changed_cb (MwAccountWindow *self)
{
  if (self->showing)
    return;
  _mw_account_window_update_actions (self);
  /* Ctrl+Z would now undo something older than what the fields show. */
  if (staged_changes (self) != 0)
    _mw_account_window_withdraw_undo (self);
}

/* ------------------------------------------------------------------------ */
/* Save and Undo                                                            */
/* ------------------------------------------------------------------------ */

typedef struct
{
  MwAccountWindow *self;
  MwAccountChange *change;   /* kept until the answer: the call borrows it */
  gboolean         undo;     /* this call undoes a save */
} SaveCall;

static void
on_conflict_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         MwAccountWindow  *self)
{
  if (g_str_equal (response, "reload"))
    {
      g_clear_pointer (&self->account, mw_account_free);
      _mw_account_window_reload (self);
    }
}

/* What the admin must still do on the mail server (which Maildir to move
 * after a new address): a dialog that stays until it is read, with the text
 * selectable to copy the paths. Over the main window when this one closes. */
static void
show_notice (MwAccountWindow *self,
             const char      *notice)
{
  GtkWindow *parent = self->close_after_save ? gtk_window_get_transient_for (GTK_WINDOW (self)) : GTK_WINDOW (self);
  GtkWidget *dialog = adw_message_dialog_new (parent, _("Move the Mail"), NULL);
  GtkWidget *label = gtk_label_new (notice);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  gtk_widget_add_css_class (label, "body");
  gtk_widget_set_name (label, "notice");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), label);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
  g_object_set_data (G_OBJECT (self), "mw-notice-dialog", dialog);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  SaveCall *call = user_data;
  g_autoptr(MwAccountWindow) self = call->self;
  gboolean undo = call->undo;
  g_autoptr(GError) error = NULL;
  MwAccountChange *inverse;

  mw_account_change_free (call->change);
  g_free (call);
  inverse = mw_session_update_account_finish (MW_SESSION (source), res, &error);
  self->saving = FALSE;
  if (inverse == NULL)
    {
      if (_mw_account_window_is_cancelled (error))
        return;
      /* The window stays open with the reason shown. */
      self->close_after_save = FALSE;
      _mw_account_window_update_actions (self);
      if (g_error_matches (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT))
        {
          GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Changed Elsewhere"), error->message);

          adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "keep", _("_Keep Editing"),
                                            "reload", _("_Reload"), NULL);
          adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reload",
                                                      ADW_RESPONSE_SUGGESTED);
          adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reload");
          g_signal_connect (dialog, "response", G_CALLBACK (on_conflict_response_cb), self);
          gtk_window_present (GTK_WINDOW (dialog));
          g_object_set_data (G_OBJECT (self), "mw-conflict-dialog", dialog);
        }
      _mw_account_window_show_error (self, error->message);
      _mw_account_window_restore_focus (self);
      return;
    }
  _mw_account_window_show_error (self, NULL);
  g_clear_pointer (&self->undo, mw_account_change_free);
  if (inverse->notice != NULL)
    show_notice (self, inverse->notice);
  if (undo)
    {
      mw_account_change_free (inverse);
      _mw_account_window_toast (self, _("Changes undone"), NULL, NULL);
    }
  else if (inverse->changes != 0)
    {
      self->undo = inverse;
      _mw_account_window_toast (self, _("Saved"), "account.undo-save", NULL);
    }
  else
    {
      /* Nothing to put back: a new security password alone cannot be
       * undone, its old hash was never read. */
      mw_account_change_free (inverse);
      _mw_account_window_toast (self, _("Saved"), NULL, NULL);
    }
  if (self->close_after_save)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  /* The session told the lists; this window reads the account again. */
  _mw_account_window_reload (self);
}

static void
run_save (MwAccountWindow *self,
          MwAccountChange *change,
          gboolean         undo)
{
  SaveCall *call = g_new0 (SaveCall, 1);

  call->self = g_object_ref (self);
  call->change = change;
  call->undo = undo;
  self->saving = TRUE;
  _mw_account_window_update_actions (self);
  mw_session_update_account_async (self->session, self->account_key, change, FALSE, self->cancellable,
                                   on_saved_cb, call);
}

static void
save_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  MwAccountChange *change;
  MwAccountChangeFlags changes;
  guint scheme = adw_combo_row_get_selected (self->scheme_row);

  if (self->account == NULL || self->saving)
    return;
  /* Ctrl+S with the cursor still in a number field saves what it shows. */
  commit_typed_values (self);
  if ((changes = staged_changes (self)) == 0)
    return;
  change = mw_account_change_new ();
  change->changes = changes;
  change->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  change->group = (gint64) gtk_spin_button_get_value (self->group_spin);
  change->quota = quota_in_editor (self);
  change->active = gtk_switch_get_active (self->enabled_switch);
  change->security_action = security_action_in_editor (self, FALSE);
  if (changes & MW_ACCOUNT_CHANGE_PASSWORD)
    {
      MwSchema *schema = mw_session_get_schema (self->session);

      change->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
      change->password_scheme = g_strdup (scheme < self->scheme_names->len
                                          ? g_ptr_array_index (self->scheme_names, scheme)
                                          : mw_schema_get_default_password_scheme (schema));
      /* Preferences' cost, for the schemes that have one there (bcrypt). */
      change->password_rounds = mw_application_password_rounds (change->password_scheme);
    }
  if (changes & MW_ACCOUNT_CHANGE_SECURITY_PASSWORD)
    change->security_password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->security_password_row)));
  change->expected_fingerprint = g_strdup (self->account->fingerprint);
  run_save (self, change, FALSE);
}

/* Puts back what the last save replaced, unless the account changed since. */
static void
undo_save_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);

  if (self->undo == NULL || self->saving)
    return;
  run_save (self, g_steal_pointer (&self->undo), TRUE);
}

static void
revert_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);

  if (self->account != NULL)
    _mw_account_window_show_account (self);
}

static void
generate_password_action (GtkWidget  *widget,
                          const char *action,
                          GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  char *pw = mw_password_generate (16, &error);

  if (pw == NULL)
    {
      _mw_account_window_show_error (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), pw);
  /* Shown once, so that it can be copied and passed on before saving. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("New password (generated, copy it now)"));
  mw_password_free (pw);
}

/* ------------------------------------------------------------------------ */
/* Closing with unsaved changes                                             */
/* ------------------------------------------------------------------------ */

static void
on_close_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      MwAccountWindow  *self)
{
  g_object_set_data (G_OBJECT (self), "mw-close-dialog", NULL);
  if (g_str_equal (response, "discard"))
    gtk_window_destroy (GTK_WINDOW (self));
  else if (g_str_equal (response, "save"))
    {
      /* Closes in on_saved_cb once saved; a refusal keeps the window open. */
      self->close_after_save = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (self), "account.save", NULL);
      if (!self->saving)
        self->close_after_save = FALSE;
    }
}

/* Escape, Ctrl+W and the close button ask before unsaved changes go. */
static gboolean
on_close_request_cb (GtkWindow *window,
                     gpointer   user_data)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (window);
  gboolean writable = self->session != NULL &&
                      mw_schema_can (mw_session_get_schema (self->session), MW_SCHEMA_CAN_WRITE);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->close_after_save)
    return TRUE;
  if ((dialog = g_object_get_data (G_OBJECT (self), "mw-close-dialog")) != NULL)
    {
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }
  if (!writable || self->account == NULL)
    return FALSE;
  commit_typed_values (self);
  if (staged_changes (self) == 0)
    return FALSE;
  /* Translators: asked when an account window with unsaved changes is closed: "Save changes to alice?" */
  heading = g_strdup_printf (_("Save changes to %s?"), self->account->name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Unsaved changes to this account are lost if you close without saving."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "discard", _("_Discard"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response_cb), self);
  g_object_set_data (G_OBJECT (self), "mw-close-dialog", dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Deleting the account                                                     */
/* ------------------------------------------------------------------------ */

static void
run_delete (MwAccountWindow     *self,
            gboolean             dry_run,
            GAsyncReadyCallback  callback)
{
  self->saving = TRUE;
  _mw_account_window_update_actions (self);
  mw_session_delete_accounts_async (self->session, self->account_key, 0, dry_run, self->cancellable, callback,
                                    g_object_ref (self));
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(MwAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MwDeleteSummary summary = { 0 };

  self->saving = FALSE;
  if (!mw_session_delete_accounts_finish (MW_SESSION (source), res, &summary, &error))
    {
      if (!_mw_account_window_is_cancelled (error))
        _mw_account_window_show_error (self, error->message);
      _mw_account_window_update_actions (self);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwAccountWindow  *self)
{
  g_object_set_data (G_OBJECT (self), "mw-delete-dialog", NULL);
  if (g_str_equal (response, "delete"))
    run_delete (self, FALSE, on_deleted_cb);
}

static void
on_delete_summary_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(MwAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MwDeleteSummary summary = { 0 };
  g_autofree char *described = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  self->saving = FALSE;
  _mw_account_window_update_actions (self);
  if (!mw_session_delete_accounts_finish (MW_SESSION (source), res, &summary, &error))
    {
      if (!_mw_account_window_is_cancelled (error))
        _mw_account_window_show_error (self, error->message);
      return;
    }
  described = mw_delete_summary_describe (&summary);
  /* Translators: "Delete alice?" */
  heading = g_strdup_printf (_("Delete %s?"), self->account != NULL ? self->account->name : "");
  /* The summary is a sentence of its own: "1 user with 3 mailboxes and …". */
  body = g_strdup_printf ("%s\n%s", described,
                          _("Message bodies that other accounts still hold are kept. This cannot be undone."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_delete_response_cb), self);
  g_object_set_data (G_OBJECT (self), "mw-delete-dialog", dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* First a dry run, so the question says exactly what goes. */
static void
delete_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);

  if (self->account == NULL || self->saving)
    return;
  run_delete (self, TRUE, on_delete_summary_cb);
}

void
_mw_account_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "account.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "account.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "account.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "account.undo-save", NULL, undo_save_action);
  gtk_widget_class_install_action (widget_class, "account.generate-password", NULL, generate_password_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "account.save", NULL);
}

void
_mw_account_window_init_actions (MwAccountWindow *self)
{
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->group_spin, "value-changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->quota_spin, "value-changed", G_CALLBACK (on_editor_changed_cb), self);
  /* Typing in a number field counts before the field takes the value. */
  g_signal_connect_swapped (self->group_spin, "changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->quota_spin, "changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->security_action_spin, "changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->enabled_switch, "notify::active", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->security_password_row, "changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->security_action_spin, "value-changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->security_action_row, "notify::selected", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request_cb), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.save", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.revert", FALSE);
}
