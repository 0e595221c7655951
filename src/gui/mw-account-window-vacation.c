/* mw-account-window-vacation.c: the Vacation tab of an account window.
 *
 * Shown where the flavour keeps a vacation reply (mw_schema_can (schema,
 * MW_SCHEMA_CAN_VACATION): PostfixAdmin; not DBMail, not ISPmail). The
 * reply is read on a worker when the window opens (the tab says it is
 * loading meanwhile), and written through the session in one transaction
 * (mw-session-vacation.h): Save turns it on with the text, days and
 * interval in the form, or off when the switch is off; Clear turns it off
 * (the core keeps the text, as PostfixAdmin does, and takes the vacation
 * address out of the mailbox's goto). Each change offers Undo in a toast,
 * with the reply as it was before, which the core returns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "mw-account-window-private.h"
#include "mw-account-window-vacation.h"

#define MAX_INTERVALS 4

struct _MwAccountVacation
{
  AdwBin           parent_instance;

  MwSession       *session;
  char            *account_key;
  GCancellable    *cancellable;
  MwVacation      *loaded;        /* as read, or NULL: never had one */
  MwVacation      *undo;          /* the reply before the last change, for Undo */
  gboolean         busy;
  gboolean         undoing;
  const char      *done_toast;    /* what the toast says when the change is done */
  char            *last_toast;
  char            *shown_state;   /* the form as last filled in, to tell an unsaved edit */
  gboolean         close_after_save;
  GtkWindow       *window;        /* (weak) the account window */
  AdwToast        *shown_toast;
  gint64           intervals[MAX_INTERVALS];
  guint            n_intervals;

  /* Template widgets */
  GtkRevealer     *error_revealer;
  GtkLabel        *error_label;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  AdwActionRow    *active_row;
  GtkSwitch       *active_switch;
  AdwEntryRow     *subject_row;
  GtkLabel        *body_label;
  GtkTextView     *body_view;
  AdwEntryRow     *from_row;
  AdwEntryRow     *until_row;
  AdwComboRow     *interval_row;
  GtkLabel        *warning_label;
};

G_DEFINE_FINAL_TYPE (MwAccountVacation, mw_account_vacation, ADW_TYPE_BIN)

static void load (MwAccountVacation *self);

/* "2026-12-24", "2026-12-24 08:00" or "2026-12-24 08:00:00", local time; a
 * bare day starts at 00:00:00 or, for @end, ends at 23:59:59, as the core
 * and PostfixAdmin read it. NULL when it is not such a day. */
static GDateTime *
parse_day (const char *text,
           gboolean    end)
{
  int y, mo, d, h = 0, mi = 0, s = 0, n = 0, m = 0;

  if (sscanf (text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
    return NULL;
  if (text[n] == '\0')
    {
      if (end)
        h = 23, mi = 59, s = 59;
    }
  else
    {
      if (text[n] != ' ' || sscanf (text + n + 1, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5)
        return NULL;
      if (text[n + 1 + m] == ':')
        {
          int k = 0;

          if (sscanf (text + n + 1 + m + 1, "%2d%n", &s, &k) != 1 || k != 2 || text[n + 1 + m + 1 + k] != '\0')
            return NULL;
        }
      else if (text[n + 1 + m] != '\0')
        return NULL;
    }
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59 ||
      d > g_date_get_days_in_month ((GDateMonth) mo, (GDateYear) y))
    return NULL;
  return g_date_time_new_local (y, mo, d, h, mi, s);
}

/* A stored time as the person wrote it: the bare day where it is the
 * day's start (@end: its end), else the time without seconds. */
static char *
day_text (const char *stored,
          gboolean    end)
{
  if (stored == NULL)
    return g_strdup ("");
  if (strlen (stored) == 19 && g_str_has_suffix (stored, end ? " 23:59:59" : " 00:00:00"))
    return g_strndup (stored, 10);
  if (strlen (stored) == 19 && g_str_has_suffix (stored, ":00"))
    return g_strndup (stored, 16);
  return g_strdup (stored);
}

static char *
interval_label (gint64 interval)
{
  if (interval == MW_VACATION_REPLY_ONCE)
    return g_strdup (C_("vacation reply", "Once"));
  if (interval == MW_VACATION_REPLY_EVERY)
    return g_strdup (C_("vacation reply", "Every time they write"));
  if (interval == MW_VACATION_REPLY_WEEKLY)
    return g_strdup (C_("vacation reply", "Once a week"));
  if (interval % 86400 == 0)
    /* Translators: how often a sender gets the vacation reply */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Once a day", "Once every %d days",
                                         (gulong) (interval / 86400)), (int) (interval / 86400));
  if (interval % 3600 == 0)
    /* Translators: how often a sender gets the vacation reply */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Once an hour", "Once every %d hours",
                                         (gulong) (interval / 3600)), (int) (interval / 3600));
  /* Translators: how often a sender gets the vacation reply, in seconds */
  return g_strdup_printf (_("Once every %" G_GINT64_FORMAT " seconds"), interval);
}

/* The three PostfixAdmin offers, and the stored one if it is another. */
static void
fill_intervals (MwAccountVacation *self,
                gint64             current)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const gint64 standard[] = { MW_VACATION_REPLY_ONCE, MW_VACATION_REPLY_EVERY, MW_VACATION_REPLY_WEEKLY };
  guint selected = 0;

  self->n_intervals = 0;
  for (guint i = 0; i < G_N_ELEMENTS (standard); i++)
    self->intervals[self->n_intervals++] = standard[i];
  if (current != MW_VACATION_REPLY_ONCE && current != MW_VACATION_REPLY_EVERY && current != MW_VACATION_REPLY_WEEKLY &&
      current > 0)
    self->intervals[self->n_intervals++] = current;
  for (guint i = 0; i < self->n_intervals; i++)
    {
      g_autofree char *label = interval_label (self->intervals[i]);

      gtk_string_list_append (labels, label);
      if (self->intervals[i] == current)
        selected = i;
    }
  adw_combo_row_set_model (self->interval_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->interval_row, selected);
}

static gint64
selected_interval (MwAccountVacation *self)
{
  guint i = adw_combo_row_get_selected (self->interval_row);

  return i < self->n_intervals ? self->intervals[i] : MW_VACATION_REPLY_ONCE;
}

static char *
body_text (MwAccountVacation *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
show_error (MwAccountVacation *self,
            const char        *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
update_actions (MwAccountVacation *self)
{
  gboolean form = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "form") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vacation.save", form && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vacation.clear",
                                 form && !self->busy && self->loaded != NULL && self->loaded->active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vacation.undo", self->undo != NULL && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vacation.reload", !self->busy);
}

/* The line under the days when, as they stand, no reply would ever go. */
static void
update_warning (MwAccountVacation *self)
{
  const char *from_text = gtk_editable_get_text (GTK_EDITABLE (self->from_row));
  const char *until_text = gtk_editable_get_text (GTK_EDITABLE (self->until_row));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) from = from_text[0] != '\0' ? parse_day (from_text, FALSE) : g_date_time_ref (now);
  g_autoptr(GDateTime) until = NULL;
  const char *warning = NULL;

  if (from != NULL)
    until = until_text[0] != '\0' ? parse_day (until_text, TRUE) : g_date_time_add_weeks (from, 1);
  if (gtk_switch_get_active (self->active_switch) && from != NULL && until != NULL)
    {
      if (g_date_time_compare (until, now) < 0)
        warning = _("With these days the reply is never sent: the last day has passed.");
      else if (g_date_time_compare (until, from) <= 0)
        warning = _("With these days the reply is never sent: the last day comes before the first.");
    }
  gtk_label_set_text (self->warning_label, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), warning != NULL);
}

static void
on_day_changed_cb (MwAccountVacation *self,
                   GtkEditable       *row)
{
  /* The sentence about this field goes once it is being mended. */
  if (gtk_widget_has_css_class (GTK_WIDGET (row), "error"))
    show_error (self, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  update_warning (self);
}

/* Everything the form says, in one string, to compare. */
static char *
form_state (MwAccountVacation *self)
{
  g_autofree char *body = body_text (self);

  return g_strdup_printf ("%d\x1f%s\x1f%s\x1f%s\x1f%s\x1f%" G_GINT64_FORMAT,
                          gtk_switch_get_active (self->active_switch),
                          gtk_editable_get_text (GTK_EDITABLE (self->subject_row)), body,
                          gtk_editable_get_text (GTK_EDITABLE (self->from_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->until_row)), selected_interval (self));
}

static gboolean
is_edited (MwAccountVacation *self)
{
  g_autofree char *now = NULL;

  if (self->shown_state == NULL || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "form") != 0)
    return FALSE;
  now = form_state (self);
  return !g_str_equal (now, self->shown_state);
}

/* Fills the form with the reply as loaded (or an empty one). */
static void
show_vacation (MwAccountVacation *self)
{
  MwVacation *v = self->loaded;
  g_autofree char *from = day_text (v != NULL ? v->active_from : NULL, FALSE);
  g_autofree char *until = day_text (v != NULL ? v->active_until : NULL, TRUE);
  g_autofree char *state = NULL;

  gtk_switch_set_active (self->active_switch, v != NULL && v->active);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), v != NULL && v->subject != NULL ? v->subject : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), v != NULL && v->body != NULL ? v->body : "",
                            -1);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from);
  gtk_editable_set_text (GTK_EDITABLE (self->until_row), until);
  gtk_widget_remove_css_class (GTK_WIDGET (self->from_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->until_row), "error");
  fill_intervals (self, v != NULL ? v->interval : MW_VACATION_REPLY_ONCE);
  if (v == NULL)
    state = g_strdup (_("This mailbox has never had a vacation reply"));
  else if (v->active)
    state = g_strdup (_("On: senders get the reply"));
  else
    state = g_strdup (_("Off: the text is kept for next time"));
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
  g_autoptr(MwAccountVacation) self = user_data;
  g_autoptr(GError) error = NULL;
  MwVacation *v = mw_session_get_vacation_finish (MW_SESSION (source), res, &error);

  if (is_cancelled (error))
    return;
  self->busy = FALSE;
  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->loaded, mw_vacation_free);
  self->loaded = v;
  show_vacation (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
  update_actions (self);
}

static void
load (MwAccountVacation *self)
{
  self->busy = TRUE;
  if (self->loaded == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  update_actions (self);
  mw_session_get_vacation_async (self->session, self->account_key, self->cancellable, on_loaded_cb,
                                 g_object_ref (self));
}

static void
on_toast_dismissed_cb (MwAccountVacation *self,
                       AdwToast          *toast)
{
  if (self->shown_toast == toast)
    {
      g_clear_object (&self->shown_toast);
      /* Undo is offered while its toast is there. */
      g_clear_pointer (&self->undo, mw_vacation_free);
      update_actions (self);
    }
}

static void
toast (MwAccountVacation *self,
       const char        *title,
       gboolean           with_undo)
{
  g_autoptr(AdwToast) old = g_steal_pointer (&self->shown_toast);
  AdwToast *t = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  if (old != NULL)
    adw_toast_dismiss (old);
  adw_toast_set_timeout (t, 10);
  if (with_undo)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_action_name (t, "vacation.undo");
    }
  self->shown_toast = g_object_ref (t);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* A change is done (or refused): the toast, and the reply read again. */
static void
change_done (MwAccountVacation *self,
             MwVacation        *before,
             GError            *error)
{
  gboolean undoing = self->undoing;

  self->busy = FALSE;
  self->undoing = FALSE;
  if (before == NULL)
    {
      self->close_after_save = FALSE;
      show_error (self, error->message);
      update_actions (self);
      return;
    }
  if (self->close_after_save && self->window != NULL)
    {
      mw_vacation_free (before);
      gtk_window_destroy (self->window);
      return;
    }
  show_error (self, NULL);
  if (undoing)
    {
      mw_vacation_free (before);
      toast (self, _("The vacation reply is as it was"), FALSE);
    }
  else
    {
      toast (self, self->done_toast, TRUE);
      /* After toast (), whose old toast takes its Undo along. */
      g_clear_pointer (&self->undo, mw_vacation_free);
      self->undo = before;
    }
  load (self);
}

static void
on_set_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(MwAccountVacation) self = user_data;
  g_autoptr(GError) error = NULL;
  MwVacation *before = mw_session_set_vacation_finish (MW_SESSION (source), res, &error);

  if (is_cancelled (error))
    return;
  change_done (self, before, error);
}

static void
on_cleared_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(MwAccountVacation) self = user_data;
  g_autoptr(GError) error = NULL;
  MwVacation *before = mw_session_clear_vacation_finish (MW_SESSION (source), res, &error);

  if (is_cancelled (error))
    return;
  change_done (self, before, error);
}

static void
start_clear (MwAccountVacation *self,
             const char        *done_toast)
{
  self->busy = TRUE;
  self->done_toast = done_toast;
  update_actions (self);
  mw_session_clear_vacation_async (self->session, self->account_key, FALSE, self->cancellable, on_cleared_cb,
                                   g_object_ref (self));
}

/* A day field's text, NULL when empty; FALSE with the sentence when it is
 * not a day. */
static gboolean
read_day (MwAccountVacation  *self,
          AdwEntryRow        *row,
          gboolean            end,
          char              **out)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GDateTime) day = NULL;

  *out = NULL;
  if (text[0] == '\0')
    return TRUE;
  day = parse_day (text, end);
  if (day == NULL)
    {
      g_autofree char *message = NULL;

      if (end)
        /* Translators: %s is what was typed in the vacation's last-day field */
        message = g_strdup_printf (_("The last day, “%s”, is not a day: write it as 2026-12-24 (or 2026-12-24 18:00)."),
                                   text);
      else
        /* Translators: %s is what was typed in the vacation's first-day field */
        message = g_strdup_printf (_("The first day, “%s”, is not a day: write it as 2026-12-24 (or 2026-12-24 08:00)."),
                                   text);
      show_error (self, message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (row));
      return FALSE;
    }
  *out = g_steal_pointer (&text);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountVacation *self = MW_ACCOUNT_VACATION (widget);
  g_autoptr(MwVacation) v = NULL;

  if (self->busy)
    return;
  show_error (self, NULL);
  if (!gtk_switch_get_active (self->active_switch))
    {
      start_clear (self, _("Saved: the vacation reply is off"));
      return;
    }
  v = mw_vacation_new ();
  if (!read_day (self, self->from_row, FALSE, &v->active_from) ||
      !read_day (self, self->until_row, TRUE, &v->active_until))
    return;
  v->active = TRUE;
  v->subject = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_row)));
  v->body = body_text (self);
  v->interval = selected_interval (self);
  v->reply_domain = self->loaded != NULL ? g_strdup (self->loaded->reply_domain) : NULL;
  self->busy = TRUE;
  self->done_toast = _("Saved");
  update_actions (self);
  mw_session_set_vacation_async (self->session, self->account_key, v, FALSE, self->cancellable, on_set_cb,
                                 g_object_ref (self));
}

static void
clear_action (GtkWidget  *widget,
              const char *action,
              GVariant   *param)
{
  MwAccountVacation *self = MW_ACCOUNT_VACATION (widget);

  if (self->busy)
    return;
  show_error (self, NULL);
  start_clear (self, _("Vacation reply cleared: it is off"));
}

/* Puts back the reply the last change returned: on again with its text
 * and days, or off where it was off. */
static void
undo_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountVacation *self = MW_ACCOUNT_VACATION (widget);
  g_autoptr(MwVacation) before = g_steal_pointer (&self->undo);

  if (before == NULL || self->busy)
    return;
  show_error (self, NULL);
  self->undoing = TRUE;
  self->busy = TRUE;
  update_actions (self);
  if (before->active)
    mw_session_set_vacation_async (self->session, self->account_key, before, FALSE, self->cancellable, on_set_cb,
                                   g_object_ref (self));
  else
    mw_session_clear_vacation_async (self->session, self->account_key, FALSE, self->cancellable, on_cleared_cb,
                                     g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountVacation *self = MW_ACCOUNT_VACATION (widget);

  if (!self->busy)
    load (self);
}

/* Ctrl+Z in the tab undoes the change its toast offers, even in a field. */
static gboolean
on_undo_shortcut_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  MwAccountVacation *self = MW_ACCOUNT_VACATION (widget);

  if (self->undo == NULL || self->busy)
    return FALSE;
  return gtk_widget_activate_action (widget, "vacation.undo", NULL);
}

static void
mw_account_vacation_dispose (GObject *object)
{
  MwAccountVacation *self = MW_ACCOUNT_VACATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->shown_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ACCOUNT_VACATION);

  G_OBJECT_CLASS (mw_account_vacation_parent_class)->dispose (object);
}

static void
mw_account_vacation_finalize (GObject *object)
{
  MwAccountVacation *self = MW_ACCOUNT_VACATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_key, g_free);
  g_clear_pointer (&self->loaded, mw_vacation_free);
  g_clear_pointer (&self->undo, mw_vacation_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_pointer (&self->shown_state, g_free);
  g_clear_weak_pointer (&self->window);

  G_OBJECT_CLASS (mw_account_vacation_parent_class)->finalize (object);
}

static void
mw_account_vacation_class_init (MwAccountVacationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_account_vacation_dispose;
  object_class->finalize = mw_account_vacation_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/mailwarden/Mailwarden/mw-account-window-vacation.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, stack);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, error_page);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, active_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, active_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, subject_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, body_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, body_view);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, from_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, until_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, interval_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountVacation, warning_label);

  gtk_widget_class_install_action (widget_class, "vacation.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "vacation.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "vacation.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "vacation.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "vacation.save", NULL);
  /* In the tab, before the window's own F5 (which reloads the Account tab). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "vacation.reload", NULL);
}

static void
mw_account_vacation_init (MwAccountVacation *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* The switch is named by its row, the text by its label (.ui): nothing to add here. */
  g_signal_connect_swapped (self->from_row, "changed", G_CALLBACK (on_day_changed_cb), self);
  g_signal_connect_swapped (self->until_row, "changed", G_CALLBACK (on_day_changed_cb), self);
  g_signal_connect_swapped (self->active_switch, "notify::active", G_CALLBACK (update_warning), self);
  /* Before the fields, which have a Ctrl+Z of their own. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (on_undo_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  update_actions (self);
}

static gboolean
destroy_window_cb (gpointer data)
{
  g_autoptr(GtkWindow) window = data;

  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
on_close_response_cb (AdwMessageDialog  *dialog,
                      const char        *response,
                      MwAccountVacation *self)
{
  if (self->window == NULL)
    return;
  /* Once the dialog is done with its parent: destroying it in the
   * dialog's own signal left the dialog a parent that was gone. */
  if (g_str_equal (response, "discard"))
    g_idle_add (destroy_window_cb, g_object_ref (self->window));
  else if (g_str_equal (response, "save"))
    {
      /* Closes in change_done once saved; a refusal keeps the window open. */
      self->close_after_save = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (self), "vacation.save", NULL);
      if (!self->busy)
        self->close_after_save = FALSE;
    }
}

/* After the Account tab's own question (mw-account-window-actions.c):
 * closing with an unsaved vacation reply asks too. */
static gboolean
on_close_request_cb (GtkWindow         *window,
                     MwAccountVacation *self)
{
  GtkWidget *dialog;

  if (self->close_after_save)
    return TRUE;
  if (self->busy || !is_edited (self))
    return FALSE;
  dialog = adw_message_dialog_new (window, _("Save the Vacation Reply?"),
                                   _("Changes to the vacation reply are lost if you close without saving."));
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
 * Revert): not on the Vacation tab, which saves with its own button. */
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
  gboolean vacation = g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "vacation") == 0;

  for (guint i = 0; i < buttons->len; i++)
    gtk_widget_set_visible (buttons->pdata[i], !vacation);
}

/* The tab, where the flavour keeps vacations and can be written; the
 * reply starts loading at once. */
void
_mw_account_window_init_vacation (MwAccountWindow *window)
{
  MwSchema *schema = mw_session_get_schema (window->session);
  MwAccountVacation *self;
  AdwViewStackPage *page;

  if (!mw_schema_can (schema, MW_SCHEMA_CAN_VACATION) || !mw_schema_can (schema, MW_SCHEMA_CAN_WRITE))
    return;
  self = g_object_new (MW_TYPE_ACCOUNT_VACATION, NULL);
  self->session = g_object_ref (window->session);
  self->account_key = g_strdup (window->account_key);
  page = adw_view_stack_add_titled (window->view_stack, GTK_WIDGET (self), "vacation",
                                    C_("account page", "Vacation"));
  adw_view_stack_page_set_icon_name (page, "mail-reply-sender-symbolic");
  /* Two tabs at least: a narrow window switches them in the bar at the bottom. */
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

MwAccountVacation *
mw_account_window_get_vacation (MwAccountWindow *window)
{
  GtkWidget *child;

  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (window), NULL);

  child = adw_view_stack_get_child_by_name (window->view_stack, "vacation");
  return child != NULL ? MW_ACCOUNT_VACATION (child) : NULL;
}

gboolean
mw_account_vacation_is_busy (MwAccountVacation *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_VACATION (self), FALSE);

  return self->busy;
}

char *
mw_account_vacation_dup_field (MwAccountVacation *self,
                               const char        *field)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_VACATION (self), NULL);

  if (g_str_equal (field, "active"))
    return g_strdup (gtk_switch_get_active (self->active_switch) ? "yes" : "no");
  if (g_str_equal (field, "subject"))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_row)));
  if (g_str_equal (field, "body"))
    return body_text (self);
  if (g_str_equal (field, "from"))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->from_row)));
  if (g_str_equal (field, "until"))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->until_row)));
  if (g_str_equal (field, "interval"))
    {
      GObject *item = adw_combo_row_get_selected_item (self->interval_row);

      return item != NULL ? g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item))) : NULL;
    }
  g_return_val_if_reached (NULL);
}

void
mw_account_vacation_set_field (MwAccountVacation *self,
                               const char        *field,
                               const char        *value)
{
  g_return_if_fail (MW_IS_ACCOUNT_VACATION (self));

  if (g_str_equal (field, "active"))
    gtk_switch_set_active (self->active_switch, g_str_equal (value, "yes"));
  else if (g_str_equal (field, "subject"))
    gtk_editable_set_text (GTK_EDITABLE (self->subject_row), value);
  else if (g_str_equal (field, "body"))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), value, -1);
  else if (g_str_equal (field, "from"))
    gtk_editable_set_text (GTK_EDITABLE (self->from_row), value);
  else if (g_str_equal (field, "until"))
    gtk_editable_set_text (GTK_EDITABLE (self->until_row), value);
  else if (g_str_equal (field, "interval"))
    {
      gint64 interval = g_ascii_strtoll (value, NULL, 10);

      for (guint i = 0; i < self->n_intervals; i++)
        if (self->intervals[i] == interval)
          adw_combo_row_set_selected (self->interval_row, i);
    }
  else
    g_return_if_reached ();
}

const char *
mw_account_vacation_get_error (MwAccountVacation *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_VACATION (self), NULL);

  return gtk_revealer_get_reveal_child (self->error_revealer) ? gtk_label_get_text (self->error_label) : NULL;
}

const char *
mw_account_vacation_get_warning (MwAccountVacation *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_VACATION (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->warning_label)) ? gtk_label_get_text (self->warning_label) : NULL;
}

const char *
mw_account_vacation_get_toast (MwAccountVacation *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_VACATION (self), NULL);

  return self->last_toast;
}
