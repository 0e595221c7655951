/* mw-index-advisor-dialog.c: the index advisor's window (issue 19, F8).
 * Measuring, creating and removing run on the session's worker; Stop
 * cancels (a PostgreSQL index being built is stopped and dropped again).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-index-advisor-dialog.h"

struct _MwIndexAdvisorDialog
{
  AdwWindow      parent_instance;

  MwSession     *session;
  GCancellable  *cancellable;
  MwIndexReport *report;
  GPtrArray     *rows;           /* the rows added to indexes_group */
  double         before_ms;      /* the search before a change */
  gboolean       dropping;

  GtkLabel             *status_label;
  GtkLabel             *note_label;
  AdwPreferencesGroup  *indexes_group;
  GtkProgressBar       *progress_bar;
  GtkLabel             *result_label;
  GtkButton            *create_button;
  GtkButton            *stop_button;
  GtkButton            *remove_button;
};

G_DEFINE_FINAL_TYPE (MwIndexAdvisorDialog, mw_index_advisor_dialog, ADW_TYPE_WINDOW)

static void
set_busy (MwIndexAdvisorDialog *self, gboolean busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy && self->cancellable != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            !busy && self->report != NULL && self->report->n_missing > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button),
                            !busy && self->report != NULL && self->report->n_ours > 0);
}

static void
show_report (MwIndexAdvisorDialog *self)
{
  const MwIndexReport *report = self->report;
  g_autofree char *status = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->indexes_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  /* Translators: "A search of the Users and Aliases lists for “ce12” takes 812 ms now." */
  status = g_strdup_printf (_("A search of the Users and Aliases lists for “%s” takes %.0f ms now."),
                            report->search_text, report->search_ms);
  gtk_label_set_label (self->status_label, status);
  gtk_label_set_label (self->note_label, report->note != NULL ? report->note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), report->note != NULL);

  for (guint i = 0; i < report->indexes->len; i++)
    {
      const MwIndexAdvice *a = g_ptr_array_index (report->indexes, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *state;
      g_autofree char *title = g_strdup_printf ("%s (%s)", a->table, a->definition);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), a->reason);
      if (a->ours)
        /* Translators: the state of an offered index */
        state = gtk_label_new (_("Created by Mailwarden"));
      else if (a->exists)
        state = gtk_label_new (_("There"));
      else
        state = gtk_label_new (_("Missing"));
      gtk_widget_add_css_class (state, a->exists ? "success" : "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
      adw_preferences_group_add (self->indexes_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
on_advised (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MwIndexAdvisorDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  MwIndexReport *report = mw_session_index_advise_finish (MW_SESSION (source), result, &error);

  if (self->rows == NULL)
    {
      /* The window was closed meanwhile. */
      g_clear_pointer (&report, mw_index_report_free);
      return;
    }
  g_clear_object (&self->cancellable);
  if (report == NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      set_busy (self, FALSE);
      return;
    }
  g_clear_pointer (&self->report, mw_index_report_free);
  self->report = report;
  show_report (self);
  set_busy (self, FALSE);
}

static void
on_progress (guint done, guint total, const char *name, gpointer user_data)
{
  MwIndexAdvisorDialog *self = user_data;
  g_autofree char *text = NULL;

  if (total == 0)
    return;
  gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  if (name != NULL)
    /* Translators: progress: "1 of 4: mw_advisor_users_userid_trgm" */
    text = g_strdup_printf (_("%u of %u: %s"), done + 1, total, name);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
on_changed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MwIndexAdvisorDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  MwIndexReport *report = mw_session_index_change_finish (MW_SESSION (source), result, &error);
  g_autofree char *text = NULL;

  if (self->rows == NULL)
    {
      /* The window was closed meanwhile (which stopped the work). */
      g_clear_pointer (&report, mw_index_report_free);
      return;
    }
  g_clear_object (&self->cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
  if (report == NULL)
    {
      gtk_label_set_label (self->result_label,
                           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                           ? _("Stopped. The indexes made before the stop are kept; the one being made was removed.")
                           : error->message);
      set_busy (self, FALSE);
      /* What is there now. */
      self->cancellable = NULL;
      mw_session_index_advise_async (self->session, NULL, on_advised, g_object_ref (self));
      return;
    }
  g_clear_pointer (&self->report, mw_index_report_free);
  self->report = report;
  show_report (self);
  if (self->dropping)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Removed %u index. The search took %.0f ms before and %.0f ms now.",
                                         "Removed %u indexes. The search took %.0f ms before and %.0f ms now.",
                                         report->n_changed),
                            report->n_changed, self->before_ms, report->search_ms);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Created %u index. The search took %.0f ms before and %.0f ms now.",
                                         "Created %u indexes. The search took %.0f ms before and %.0f ms now.",
                                         report->n_changed),
                            report->n_changed, self->before_ms, report->search_ms);
  gtk_label_set_label (self->result_label, text);
  set_busy (self, FALSE);
}

static void
start_change (MwIndexAdvisorDialog *self, gboolean drop)
{
  self->dropping = drop;
  self->before_ms = self->report->search_ms;
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
  set_busy (self, TRUE);
  mw_session_index_change_async (self->session, drop, FALSE, on_progress, self, self->cancellable, on_changed,
                                 g_object_ref (self));
}

static void
on_create_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  MwIndexAdvisorDialog *self = user_data;

  if (g_str_equal (response, "create"))
    start_change (self, FALSE);
  else if (g_str_equal (response, "remove"))
    start_change (self, TRUE);
}

static void
ask (MwIndexAdvisorDialog *self, gboolean drop)
{
  AdwMessageDialog *question;
  g_autofree char *heading = NULL;

  if (self->report == NULL)
    return;
  if (drop)
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Remove %u Index?", "Remove %u Indexes?",
                                            self->report->n_ours), self->report->n_ours);
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Create %u Index?", "Create %u Indexes?",
                                            self->report->n_missing), self->report->n_missing);
  question = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (self), heading,
    drop ? _("Only the indexes Mailwarden created are removed; the search becomes as slow as before.")
         : _("The indexes are built while the mail system keeps running, without locking the tables. On a large "
             "database this takes minutes and uses disk space; Stop removes the index being built.")));
  adw_message_dialog_add_responses (question, "cancel", _("_Cancel"), drop ? "remove" : "create",
                                    drop ? _("_Remove") : _("_Create"), NULL);
  adw_message_dialog_set_response_appearance (question, drop ? "remove" : "create",
                                              drop ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (question, "cancel");
  adw_message_dialog_set_close_response (question, "cancel");
  g_signal_connect_object (question, "response", G_CALLBACK (on_create_response), self, 0);
  gtk_window_present (GTK_WINDOW (question));
}

static void
on_create_cb (MwIndexAdvisorDialog *self)
{
  ask (self, FALSE);
}

static void
on_remove_cb (MwIndexAdvisorDialog *self)
{
  ask (self, TRUE);
}

static void
on_stop_cb (MwIndexAdvisorDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
mw_index_advisor_dialog_dispose (GObject *object)
{
  MwIndexAdvisorDialog *self = MW_INDEX_ADVISOR_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->report, mw_index_report_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_INDEX_ADVISOR_DIALOG);
  G_OBJECT_CLASS (mw_index_advisor_dialog_parent_class)->dispose (object);
}

static void
mw_index_advisor_dialog_class_init (MwIndexAdvisorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_index_advisor_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-index-advisor-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwIndexAdvisorDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, MwIndexAdvisorDialog, note_label);
  gtk_widget_class_bind_template_child (widget_class, MwIndexAdvisorDialog, indexes_group);
  gtk_widget_class_bind_template_child (widget_class, MwIndexAdvisorDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MwIndexAdvisorDialog, result_label);
  gtk_widget_class_bind_template_child (widget_class, MwIndexAdvisorDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, MwIndexAdvisorDialog, stop_button);
  gtk_widget_class_bind_template_child (widget_class, MwIndexAdvisorDialog, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_create_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_index_advisor_dialog_init (MwIndexAdvisorDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

MwIndexAdvisorDialog *
mw_index_advisor_dialog_new (MwSession *session)
{
  MwIndexAdvisorDialog *self = g_object_new (MW_TYPE_INDEX_ADVISOR_DIALOG, NULL);

  self->session = g_object_ref (session);
  set_busy (self, TRUE);
  mw_session_index_advise_async (session, NULL, on_advised, g_object_ref (self));
  return self;
}

gboolean
mw_index_advisor_dialog_is_busy (MwIndexAdvisorDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->stop_button)) || self->report == NULL;
}

const char *
mw_index_advisor_dialog_get_status (MwIndexAdvisorDialog *self)
{
  return gtk_label_get_label (self->status_label);
}

const char *
mw_index_advisor_dialog_get_result (MwIndexAdvisorDialog *self)
{
  return gtk_label_get_label (self->result_label);
}
