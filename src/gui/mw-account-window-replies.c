/* mw-account-window-replies.c: the Replies tab of an account window.
 *
 * Shown where the flavour keeps automatic notifications and replies
 * (mw_schema_has_replies (): DBMail). Both are read on a worker when the window opens
 * (the tab says it is loading meanwhile), and Save writes what changed
 * through the session (mw-session-replies.h): the notification address
 * (set, or cleared when the field is emptied), then the automatic reply
 * (set with the text and dates, or cleared when the switch is off), each
 * in one transaction. A line under the dates warns when they make the
 * reply never or always active; the note at the top says that the server's
 * configuration must enable both. A save that changed something offers
 * Undo in its toast (the notification and reply as read before the save,
 * put back the same way, one change each); closing the window with unsaved
 * edits in the tab asks whether to save them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-account-window-private.h"
#include "mw-account-window-replies.h"

struct _MwAccountReplies
{
  AdwBin           parent_instance;

  MwSession       *session;
  char            *account_key;
  GCancellable    *cancellable;
  MwReplies       *loaded;        /* as read */
  MwAutoReply     *pending;       /* the reply to write after the notification */
  gboolean         clear_reply;   /* ... or clear it */
  char            *notify_target; /* the notification to write, NULL to clear it */
  gboolean         do_notify;     /* the steps of this save (or undo) */
  gboolean         do_reply;
  gboolean         notify_done;   /* ... and what they changed */
  gboolean         reply_done;
  MwReplies       *saving;        /* what was stored before this save */
  MwReplies       *undo;          /* before the last save, for Undo */
  gboolean         undo_notify;
  gboolean         undo_reply;
  gboolean         undoing;
  gboolean         busy;
  gboolean         changed;       /* the save changed something */
  gboolean         close_after_save;
  GtkWindow       *window;        /* weak */
  AdwToast        *shown_toast;
  char            *shown_state;   /* the form as loaded, to see edits */
  char            *last_toast;

  /* Template widgets */
  GtkRevealer     *error_revealer;
  GtkLabel        *error_label;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  GtkLabel        *note_label;
  AdwEntryRow     *notify_row;
  AdwActionRow    *active_row;
  GtkSwitch       *active_switch;
  GtkLabel        *body_label;
  GtkTextView     *body_view;
  AdwEntryRow     *start_row;
  AdwEntryRow     *stop_row;
  GtkLabel        *warning_label;
};

G_DEFINE_FINAL_TYPE (MwAccountReplies, mw_account_replies, ADW_TYPE_BIN)

static void load (MwAccountReplies *self);

static char *
body_text (MwAccountReplies *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
field_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
show_error (MwAccountReplies *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
update_actions (MwAccountReplies *self)
{
  gboolean form = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "form") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "replies.save", form && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "replies.reload", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "replies.undo", self->undo != NULL && !self->busy);
}

/* Everything the form says, in one string, to compare. */
static char *
form_state (MwAccountReplies *self)
{
  g_autofree char *body = body_text (self);

  return g_strdup_printf ("%s\x1f%d\x1f%s\x1f%s\x1f%s", gtk_editable_get_text (GTK_EDITABLE (self->notify_row)),
                          gtk_switch_get_active (self->active_switch), body,
                          gtk_editable_get_text (GTK_EDITABLE (self->start_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->stop_row)));
}

static gboolean
is_edited (MwAccountReplies *self)
{
  g_autofree char *now = NULL;

  if (self->shown_state == NULL || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "form") != 0)
    return FALSE;
  now = form_state (self);
  return !g_str_equal (now, self->shown_state);
}

/* The reply the form describes, checked; NULL with the sentence. */
static MwAutoReply *
form_reply (MwAccountReplies  *self,
            GError           **error)
{
  g_autoptr(MwAutoReply) reply = mw_auto_reply_new ();
  g_autofree char *start = field_text (self->start_row);
  g_autofree char *stop = field_text (self->stop_row);

  reply->body = body_text (self);
  reply->start = start[0] != '\0' ? g_steal_pointer (&start) : NULL;
  reply->stop = stop[0] != '\0' ? g_steal_pointer (&stop) : NULL;
  if (!mw_auto_reply_check (reply, error))
    return NULL;
  return g_steal_pointer (&reply);
}

/* The line under the dates: the core's warning (never or always active),
 * or why the dates cannot be stored. */
static void
update_warning (MwAccountReplies *self)
{
  g_autoptr(MwAutoReply) reply = mw_auto_reply_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *start = field_text (self->start_row);
  g_autofree char *stop = field_text (self->stop_row);
  g_autofree char *warning = NULL;

  if (gtk_switch_get_active (self->active_switch))
    {
      /* Only the dates count here: the text is checked on Save. */
      reply->body = g_strdup ("-");
      reply->start = start[0] != '\0' ? g_steal_pointer (&start) : NULL;
      reply->stop = stop[0] != '\0' ? g_steal_pointer (&stop) : NULL;
      if (mw_auto_reply_check (reply, &error))
        warning = mw_auto_reply_get_warning (reply, NULL);
      else
        warning = g_strdup (error->message);
    }
  gtk_label_set_text (self->warning_label, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), warning != NULL);
}

static void
on_date_changed_cb (MwAccountReplies *self)
{
  update_warning (self);
}

/* Fills the form with what was loaded. */
static void
show_replies (MwAccountReplies *self)
{
  MwReplies *r = self->loaded;
  MwAutoReply *reply = r->auto_reply;
  g_autofree char *notify = r->notification != NULL ? mw_address_to_display (r->notification) : NULL;
  g_autofree char *state = NULL;

  gtk_editable_set_text (GTK_EDITABLE (self->notify_row), notify != NULL ? notify : "");
  gtk_switch_set_active (self->active_switch, reply != NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view),
                            reply != NULL && reply->body != NULL ? reply->body : "", -1);
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), reply != NULL && reply->start != NULL ? reply->start : "");
  gtk_editable_set_text (GTK_EDITABLE (self->stop_row), reply != NULL && reply->stop != NULL ? reply->stop : "");
  if (reply == NULL)
    state = g_strdup (_("Off: no automatic reply is stored"));
  else
    switch (mw_auto_reply_get_state (reply, NULL))
      {
      case MW_AUTO_REPLY_SCHEDULED:
        /* Translators: %s is the start, "2026-12-24 08:00:00" */
        state = g_strdup_printf (_("On: senders get the reply from %s"), reply->start);
        break;
      case MW_AUTO_REPLY_NEVER_ACTIVE:
        state = g_strdup (_("On, but its stop has passed: nobody gets it"));
        break;
      case MW_AUTO_REPLY_ACTIVE:
      case MW_AUTO_REPLY_ALWAYS_ACTIVE:
      default:
        state = g_strdup (_("On: senders get the reply now"));
        break;
      }
  adw_action_row_set_subtitle (self->active_row, state);
  update_warning (self);
  g_free (self->shown_state);
  self->shown_state = form_state (self);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(MwAccountReplies) self = user_data;
  g_autoptr(GError) error = NULL;
  MwReplies *replies = mw_session_get_replies_finish (MW_SESSION (source), res, &error);

  if (is_cancelled (error))
    return;
  self->busy = FALSE;
  if (replies == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->loaded, mw_replies_free);
  self->loaded = replies;
  show_replies (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
  update_actions (self);
}

static void
load (MwAccountReplies *self)
{
  self->busy = TRUE;
  if (self->loaded == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  update_actions (self);
  mw_session_get_replies_async (self->session, self->account_key, self->cancellable, on_loaded_cb,
                                g_object_ref (self));
}

static void
on_toast_dismissed_cb (MwAccountReplies *self,
                       AdwToast         *toast)
{
  if (self->shown_toast == toast)
    {
      g_clear_object (&self->shown_toast);
      /* Undo is offered while its toast is there. */
      g_clear_pointer (&self->undo, mw_replies_free);
      update_actions (self);
    }
}

static void
toast (MwAccountReplies *self,
       const char       *title,
       gboolean          with_undo)
{
  g_autoptr(AdwToast) old = g_steal_pointer (&self->shown_toast);
  AdwToast *t = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  if (old != NULL)
    adw_toast_dismiss (old);
  adw_toast_set_timeout (t, with_undo ? 10 : 5);
  if (with_undo)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_action_name (t, "replies.undo");
    }
  self->shown_toast = g_object_ref (t);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static gboolean
destroy_window_cb (gpointer data)
{
  g_autoptr(GtkWindow) window = data;

  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

/* The save stopped (error set) or finished: the sentence or the toast, and
 * what is stored read again. */
static void
save_done (MwAccountReplies *self,
           const GError     *error)
{
  gboolean undoing = self->undoing;
  g_autoptr(MwReplies) saving = g_steal_pointer (&self->saving);

  self->busy = FALSE;
  self->undoing = FALSE;
  g_clear_pointer (&self->pending, mw_auto_reply_free);
  g_clear_pointer (&self->notify_target, g_free);
  if (error != NULL)
    {
      self->close_after_save = FALSE;
      show_error (self, error->message);
    }
  else if (self->close_after_save && self->window != NULL)
    {
      /* Once the question's dialog is done with its parent. */
      g_idle_add (destroy_window_cb, g_object_ref (self->window));
      return;
    }
  else
    {
      show_error (self, NULL);
      if (undoing)
        toast (self, _("The notification and the reply are as they were"), FALSE);
      else if (self->changed)
        {
          toast (self, _("Saved"), TRUE);
          /* After toast (), whose old toast takes its Undo along. */
          g_clear_pointer (&self->undo, mw_replies_free);
          self->undo = g_steal_pointer (&saving);
          self->undo_notify = self->notify_done;
          self->undo_reply = self->reply_done;
        }
      else
        toast (self, _("Nothing to save: it is stored like this already"), FALSE);
    }
  if (self->changed)
    load (self);
  else
    update_actions (self);
}

static void
on_reply_saved_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(MwAccountReplies) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReplies) before = NULL;

  if (self->clear_reply)
    before = mw_session_clear_auto_reply_finish (MW_SESSION (source), res, &error);
  else
    before = mw_session_set_auto_reply_finish (MW_SESSION (source), res, &error);
  if (is_cancelled (error))
    return;
  if (before != NULL)
    self->changed = self->reply_done = TRUE;
  save_done (self, error);
}

/* The second step: the reply, where it changed. */
static void
save_reply (MwAccountReplies *self)
{
  if (!self->do_reply)
    {
      save_done (self, NULL);
      return;
    }
  if (self->clear_reply)
    mw_session_clear_auto_reply_async (self->session, self->account_key, FALSE, self->cancellable,
                                       on_reply_saved_cb, g_object_ref (self));
  else
    mw_session_set_auto_reply_async (self->session, self->account_key, self->pending, FALSE, self->cancellable,
                                     on_reply_saved_cb, g_object_ref (self));
}

static void
on_notification_saved_cb (GObject      *source,
                          GAsyncResult *res,
                          gpointer      user_data)
{
  g_autoptr(MwAccountReplies) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReplies) before = NULL;

  if (self->notify_target == NULL)
    before = mw_session_clear_notification_finish (MW_SESSION (source), res, &error);
  else
    before = mw_session_set_notification_finish (MW_SESSION (source), res, &error);
  if (is_cancelled (error))
    return;
  if (before == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->notify_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->notify_row));
      save_done (self, error);
      return;
    }
  self->changed = self->notify_done = TRUE;
  save_reply (self);
}

/* The steps, each one change: the notification, then the reply. */
static void
start_steps (MwAccountReplies *self)
{
  self->busy = TRUE;
  self->changed = self->notify_done = self->reply_done = FALSE;
  update_actions (self);
  if (!self->do_notify)
    save_reply (self);
  else if (self->notify_target == NULL)
    mw_session_clear_notification_async (self->session, self->account_key, FALSE, self->cancellable,
                                         on_notification_saved_cb, g_object_ref (self));
  else
    mw_session_set_notification_async (self->session, self->account_key, self->notify_target, FALSE,
                                       self->cancellable, on_notification_saved_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountReplies *self = MW_ACCOUNT_REPLIES (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *notify = NULL;
  g_autofree char *old_notify = NULL;
  MwAutoReply *old;

  if (self->busy || self->loaded == NULL)
    return;
  show_error (self, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->notify_row), "error");
  self->clear_reply = !gtk_switch_get_active (self->active_switch);
  if (!self->clear_reply && (self->pending = form_reply (self, &error)) == NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (strstr (error->message, "date") != NULL || strstr (error->message, "stop") != NULL
                             ? GTK_WIDGET (self->start_row) : GTK_WIDGET (self->body_view));
      return;
    }
  notify = field_text (self->notify_row);
  old_notify = self->loaded->notification != NULL ? mw_address_to_display (self->loaded->notification) : NULL;
  g_clear_pointer (&self->notify_target, g_free);
  self->do_notify = g_strcmp0 (notify[0] != '\0' ? notify : NULL, old_notify) != 0;
  if (notify[0] != '\0')
    self->notify_target = g_steal_pointer (&notify);
  old = self->loaded->auto_reply;
  if (self->clear_reply)
    self->do_reply = old != NULL;
  else
    self->do_reply = old == NULL || g_strcmp0 (old->body, self->pending->body) != 0 ||
                     g_strcmp0 (old->start, self->pending->start) != 0 ||
                     g_strcmp0 (old->stop, self->pending->stop) != 0;
  /* What Undo puts back. */
  g_clear_pointer (&self->saving, mw_replies_free);
  self->saving = mw_replies_copy (self->loaded);
  self->undoing = FALSE;
  start_steps (self);
}

/* Puts back what the last save changed: the notification and the reply as
 * they were read before it, one change each as the save did. */
static void
undo_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountReplies *self = MW_ACCOUNT_REPLIES (widget);
  g_autoptr(MwReplies) before = g_steal_pointer (&self->undo);

  if (before == NULL || self->busy)
    return;
  show_error (self, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->notify_row), "error");
  g_clear_pointer (&self->notify_target, g_free);
  g_clear_pointer (&self->pending, mw_auto_reply_free);
  self->do_notify = self->undo_notify;
  self->notify_target = g_strdup (before->notification);
  self->do_reply = self->undo_reply;
  self->clear_reply = before->auto_reply == NULL;
  if (before->auto_reply != NULL)
    self->pending = mw_auto_reply_copy (before->auto_reply);
  self->undoing = TRUE;
  start_steps (self);
}

/* Ctrl+Z in the tab undoes the save its toast offers, even in a field. */
static gboolean
on_undo_shortcut_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  MwAccountReplies *self = MW_ACCOUNT_REPLIES (widget);

  if (self->undo == NULL || self->busy)
    return FALSE;
  return gtk_widget_activate_action (widget, "replies.undo", NULL);
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountReplies *self = MW_ACCOUNT_REPLIES (widget);

  if (!self->busy)
    load (self);
}

static void
mw_account_replies_dispose (GObject *object)
{
  MwAccountReplies *self = MW_ACCOUNT_REPLIES (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->shown_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ACCOUNT_REPLIES);
  G_OBJECT_CLASS (mw_account_replies_parent_class)->dispose (object);
}

static void
mw_account_replies_finalize (GObject *object)
{
  MwAccountReplies *self = MW_ACCOUNT_REPLIES (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_key, g_free);
  g_clear_pointer (&self->loaded, mw_replies_free);
  g_clear_pointer (&self->pending, mw_auto_reply_free);
  g_clear_pointer (&self->notify_target, g_free);
  g_clear_pointer (&self->saving, mw_replies_free);
  g_clear_pointer (&self->undo, mw_replies_free);
  g_clear_pointer (&self->shown_state, g_free);
  g_clear_pointer (&self->last_toast, g_free);
  G_OBJECT_CLASS (mw_account_replies_parent_class)->finalize (object);
}

static void
mw_account_replies_class_init (MwAccountRepliesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_account_replies_dispose;
  object_class->finalize = mw_account_replies_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-account-window-replies.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, stack);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, error_page);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, note_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, notify_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, active_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, active_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, body_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, body_view);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, start_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, stop_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountReplies, warning_label);

  gtk_widget_class_install_action (widget_class, "replies.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "replies.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "replies.undo", NULL, undo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "replies.save", NULL);
}

static void
mw_account_replies_init (MwAccountReplies *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* Before the fields, which have a Ctrl+Z of their own. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (on_undo_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  gtk_label_set_text (self->note_label, mw_replies_get_server_note ());
  g_signal_connect_object (self->start_row, "changed", G_CALLBACK (on_date_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stop_row, "changed", G_CALLBACK (on_date_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->active_switch, "notify::active", G_CALLBACK (on_date_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
on_close_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      MwAccountReplies *self)
{
  if (self->window == NULL)
    return;
  /* Once the dialog is done with its parent. */
  if (g_str_equal (response, "discard"))
    g_idle_add (destroy_window_cb, g_object_ref (self->window));
  else if (g_str_equal (response, "save"))
    {
      /* Closes in save_done once saved; a refusal keeps the window open. */
      self->close_after_save = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (self), "replies.save", NULL);
      if (!self->busy)
        self->close_after_save = FALSE;
    }
}

/* Closing with unsaved edits in the tab asks, as the Vacation tab does. */
static gboolean
on_close_request_cb (GtkWindow        *window,
                     MwAccountReplies *self)
{
  GtkWidget *dialog;

  if (self->close_after_save)
    return TRUE;
  if (self->busy || !is_edited (self))
    return FALSE;
  dialog = adw_message_dialog_new (window, _("Save Changes?"),
                                   _("Changes to the notification address and the automatic reply are lost if "
                                     "you close without saving."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "discard", _("_Discard"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* The header bar's buttons for the Account tab's staged changes (Save,
 * Revert): not on this tab, which saves with its own button. */
static void
find_account_buttons (GtkWidget *widget,
                      GPtrArray *found)
{
  if (GTK_IS_ACTIONABLE (widget))
    {
      const char *name = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));

      if (g_strcmp0 (name, "account.save") == 0 || g_strcmp0 (name, "account.revert") == 0)
        g_ptr_array_add (found, g_object_ref (widget));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    find_account_buttons (c, found);
}

static void
on_tab_changed_cb (AdwViewStack *stack,
                   GParamSpec   *pspec,
                   GPtrArray    *buttons)
{
  gboolean replies = g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "replies") == 0;

  for (guint i = 0; i < buttons->len; i++)
    gtk_widget_set_visible (buttons->pdata[i], !replies);
}

void
_mw_account_window_init_replies (MwAccountWindow *window)
{
  MwSchema *schema = mw_session_get_schema (window->session);
  MwAccountReplies *self;
  AdwViewStackPage *page;

  if (!mw_schema_has_replies (schema) || !mw_schema_can (schema, MW_SCHEMA_CAN_WRITE))
    return;
  self = g_object_new (MW_TYPE_ACCOUNT_REPLIES, NULL);
  self->session = g_object_ref (window->session);
  self->account_key = g_strdup (window->account_key);
  /* Translators: the account window's tab of automatic notifications and replies */
  page = adw_view_stack_add_titled (window->view_stack, GTK_WIDGET (self), "replies", C_("account page", "Replies"));
  adw_view_stack_page_set_icon_name (page, "mail-reply-sender-symbolic");
  adw_view_switcher_bar_set_reveal (window->switcher_bar, TRUE);
  g_set_weak_pointer (&self->window, GTK_WINDOW (window));
  g_signal_connect_object (window, "close-request", G_CALLBACK (on_close_request_cb), self, 0);
  {
    /* Held: the stack may change its page while the window is torn down. */
    GPtrArray *buttons = g_ptr_array_new_with_free_func (g_object_unref);

    find_account_buttons (GTK_WIDGET (window), buttons);
    g_signal_connect_data (window->view_stack, "notify::visible-child-name", G_CALLBACK (on_tab_changed_cb),
                           buttons, (GClosureNotify) (void (*) (void)) g_ptr_array_unref, 0);
  }
  load (self);
}

MwAccountReplies *
mw_account_window_get_replies (MwAccountWindow *window)
{
  GtkWidget *child;

  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (window), NULL);

  child = adw_view_stack_get_child_by_name (window->view_stack, "replies");
  return child != NULL ? MW_ACCOUNT_REPLIES (child) : NULL;
}

gboolean
mw_account_replies_is_busy (MwAccountReplies *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_REPLIES (self), FALSE);

  return self->busy;
}

char *
mw_account_replies_dup_field (MwAccountReplies *self,
                              const char       *field)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_REPLIES (self), NULL);

  if (g_str_equal (field, "notify"))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->notify_row)));
  if (g_str_equal (field, "active"))
    return g_strdup (gtk_switch_get_active (self->active_switch) ? "yes" : "no");
  if (g_str_equal (field, "body"))
    return body_text (self);
  if (g_str_equal (field, "start"))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->start_row)));
  if (g_str_equal (field, "stop"))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->stop_row)));
  g_return_val_if_reached (NULL);
}

void
mw_account_replies_set_field (MwAccountReplies *self,
                              const char       *field,
                              const char       *value)
{
  g_return_if_fail (MW_IS_ACCOUNT_REPLIES (self));

  if (g_str_equal (field, "notify"))
    gtk_editable_set_text (GTK_EDITABLE (self->notify_row), value);
  else if (g_str_equal (field, "active"))
    gtk_switch_set_active (self->active_switch, g_str_equal (value, "yes"));
  else if (g_str_equal (field, "body"))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), value, -1);
  else if (g_str_equal (field, "start"))
    gtk_editable_set_text (GTK_EDITABLE (self->start_row), value);
  else if (g_str_equal (field, "stop"))
    gtk_editable_set_text (GTK_EDITABLE (self->stop_row), value);
  else
    g_return_if_reached ();
}

const char *
mw_account_replies_get_error (MwAccountReplies *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_REPLIES (self), NULL);

  return gtk_revealer_get_reveal_child (self->error_revealer) ? gtk_label_get_text (self->error_label) : NULL;
}

const char *
mw_account_replies_get_warning (MwAccountReplies *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_REPLIES (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->warning_label)) ? gtk_label_get_text (self->warning_label) : NULL;
}

const char *
mw_account_replies_get_toast (MwAccountReplies *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_REPLIES (self), NULL);

  return self->last_toast;
}
