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
 * configuration must enable both.
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
  gboolean         busy;
  gboolean         changed;       /* the save changed something */
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
toast (MwAccountReplies *self,
       const char       *title)
{
  AdwToast *t = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* The save stopped (error set) or finished: the sentence or the toast, and
 * what is stored read again. */
static void
save_done (MwAccountReplies *self,
           const GError     *error)
{
  self->busy = FALSE;
  g_clear_pointer (&self->pending, mw_auto_reply_free);
  if (error != NULL)
    show_error (self, error->message);
  else
    {
      show_error (self, NULL);
      toast (self, self->changed ? _("Saved") : _("Nothing to save: it is stored like this already"));
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
    self->changed = TRUE;
  save_done (self, error);
}

/* The second step: the reply, where it changed. */
static void
save_reply (MwAccountReplies *self)
{
  MwAutoReply *old = self->loaded->auto_reply;

  if (self->clear_reply && old == NULL)
    {
      save_done (self, NULL);
      return;
    }
  if (!self->clear_reply && old != NULL && g_strcmp0 (old->body, self->pending->body) == 0 &&
      g_strcmp0 (old->start, self->pending->start) == 0 && g_strcmp0 (old->stop, self->pending->stop) == 0)
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
  g_autofree char *notify = field_text (self->notify_row);

  if (notify[0] == '\0')
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
  self->changed = TRUE;
  save_reply (self);
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
  self->busy = TRUE;
  self->changed = FALSE;
  update_actions (self);
  notify = field_text (self->notify_row);
  old_notify = self->loaded->notification != NULL ? mw_address_to_display (self->loaded->notification) : NULL;
  if (g_strcmp0 (notify[0] != '\0' ? notify : NULL, old_notify) == 0)
    save_reply (self);
  else if (notify[0] == '\0')
    mw_session_clear_notification_async (self->session, self->account_key, FALSE, self->cancellable,
                                         on_notification_saved_cb, g_object_ref (self));
  else
    mw_session_set_notification_async (self->session, self->account_key, notify, FALSE, self->cancellable,
                                       on_notification_saved_cb, g_object_ref (self));
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
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "replies.save", NULL);
}

static void
mw_account_replies_init (MwAccountReplies *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->note_label, mw_replies_get_server_note ());
  g_signal_connect_object (self->start_row, "changed", G_CALLBACK (on_date_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stop_row, "changed", G_CALLBACK (on_date_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->active_switch, "notify::active", G_CALLBACK (on_date_changed_cb), self,
                           G_CONNECT_SWAPPED);
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
