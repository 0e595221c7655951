/* mw-cleanup-dialog.c: the cleanup dialog, opened from the Health page.
 *
 * One row per step the flavour has (mw_session_cleanup_steps ()), each with
 * a switch; purge is off by default and marked as destructive. Preview runs
 * the dry run on the session's worker and shows, per step, what it would
 * change (a sentence, the kinds of rows, a few samples); nothing is
 * changed. Apply is offered once the steps switched on were previewed: it
 * runs them in batches with a progress bar and Stop, then shows what was
 * done and asks for a new preview (which should find nothing left). An
 * apply that purges asks once first, naming the counts. Escape closes the
 * dialog while nothing runs; during an apply it asks whether to stop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-cleanup-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-cleanup-dialog.h"

typedef enum
{
  IDLE,
  PREVIEWING,
  APPLYING,
} State;

struct _MwCleanupDialog
{
  AdwWindow            parent_instance;

  MwSession           *session;
  GCancellable        *cancellable;   /* the preview or apply now, or NULL */
  State                state;
  gboolean             disposed;
  gboolean             close_after;   /* Stop and Close was chosen during an apply */
  MwCleanupSteps       available;
  GtkWidget           *switches[MW_CLEANUP_N_STEPS];
  GtkWidget           *rows[MW_CLEANUP_N_STEPS];
  GPtrArray           *previews;      /* MwCleanupPreview of the last preview */
  MwCleanupSteps       previewed;     /* the steps it covered; 0: none valid */
  MwCleanupSteps       applying;
  GPtrArray           *groups;        /* AdwPreferencesGroup shown below the steps */
  GString             *text;          /* what the groups say, for tests */
  AdwMessageDialog    *question;      /* (weak) */

  /* Template widgets */
  GtkWidget           *close_button;
  GtkWidget           *apply_button;
  GtkWidget           *preview_button;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *steps_group;
  GtkWidget           *results_group;
  GtkBox              *results_box;
  GtkLabel            *status_label;
  GtkWidget           *progress_box;
  GtkProgressBar      *progress_bar;
  GtkWidget           *stop_button;
};

G_DEFINE_FINAL_TYPE (MwCleanupDialog, mw_cleanup_dialog, ADW_TYPE_WINDOW)

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
set_status (MwCleanupDialog *self,
            const char      *text)
{
  gtk_label_set_text (self->status_label, text);
}

static MwCleanupSteps
chosen_steps (MwCleanupDialog *self)
{
  MwCleanupSteps steps = 0;

  for (guint i = 0; i < MW_CLEANUP_N_STEPS; i++)
    if (self->switches[i] != NULL && gtk_switch_get_active (GTK_SWITCH (self->switches[i])))
      steps |= MW_CLEANUP_STEP_BIT (i);
  return steps;
}

static void
update_actions (MwCleanupDialog *self)
{
  MwCleanupSteps steps = chosen_steps (self);
  gboolean idle = self->state == IDLE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cleanup.preview", idle && steps != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cleanup.apply",
                                 idle && steps != 0 && self->previewed == steps);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cleanup.stop", self->state != IDLE);
  gtk_widget_set_visible (self->progress_box, self->state != IDLE);
  for (guint i = 0; i < MW_CLEANUP_N_STEPS; i++)
    if (self->switches[i] != NULL)
      gtk_widget_set_sensitive (self->switches[i], idle);
}

static void
clear_groups (MwCleanupDialog *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    gtk_box_remove (self->results_box, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  gtk_widget_set_visible (self->results_group, FALSE);
  g_string_truncate (self->text, 0);
}

static AdwPreferencesGroup *
add_group (MwCleanupDialog *self,
           const char      *title,
           const char      *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  if (description != NULL && description[0] != '\0')
    adw_preferences_group_set_description (group, description);
  gtk_box_append (self->results_box, GTK_WIDGET (group));
  gtk_widget_set_visible (self->results_group, TRUE);
  g_ptr_array_add (self->groups, group);
  g_string_append_printf (self->text, "%s:%s%s\n", title, description != NULL ? " " : "",
                          description != NULL ? description : "");
  return group;
}

static GtkWidget *
add_line (MwCleanupDialog     *self,
          AdwPreferencesGroup *group,
          const char          *title,
          const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  g_string_append_printf (self->text, "%s\n", title);
  return row;
}

/* A step's switch changed: the preview no longer matches what Apply would do. */
static void
on_switch_changed_cb (MwCleanupDialog *self)
{
  if (self->previewed != 0 && self->previewed != chosen_steps (self))
    set_status (self, _("The steps changed: preview them again before applying."));
  update_actions (self);
}

static void
build_steps (MwCleanupDialog *self)
{
  for (guint i = 0; i < MW_CLEANUP_N_STEPS; i++)
    {
      GtkWidget *row, *sw;

      if ((self->available & MW_CLEANUP_STEP_BIT (i)) == 0)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mw_cleanup_step_title (i));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), mw_cleanup_step_describe (i));
      sw = gtk_switch_new ();
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (sw), (MW_CLEANUP_DEFAULT_STEPS & MW_CLEANUP_STEP_BIT (i)) != 0);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
      if (i == MW_CLEANUP_PURGE)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
          /* Translators: the purge step's mark: it deletes mail for good */
          const char *mark = _("Deletes mail for good: it cannot be undone");

          gtk_widget_add_css_class (icon, "error");
          gtk_widget_set_tooltip_text (icon, mark);
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, mark, -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, mark, -1);
        }
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_switch_changed_cb), self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      adw_preferences_group_add (self->steps_group, row);
      self->switches[i] = sw;
      self->rows[i] = row;
    }
}

static MwCleanupPreview *
find_preview (MwCleanupDialog *self,
              MwCleanupStep    step)
{
  for (guint i = 0; self->previews != NULL && i < self->previews->len; i++)
    {
      MwCleanupPreview *p = g_ptr_array_index (self->previews, i);

      if (p->step == step)
        return p;
    }
  return NULL;
}

/* Preview */

static void
show_previews (MwCleanupDialog *self)
{
  gint64 total = 0;
  guint with_work = 0;
  g_autofree char *text = NULL;

  GtkWidget *first = NULL;

  clear_groups (self);
  for (guint i = 0; i < self->previews->len; i++)
    {
      const MwCleanupPreview *p = g_ptr_array_index (self->previews, i);
      g_autoptr(GString) details = g_string_new (NULL);
      AdwPreferencesGroup *group;
      GtkWidget *row;

      for (guint j = 0; p->details != NULL && p->details[j] != NULL; j++)
        g_string_append_printf (details, "%s%s", details->len > 0 ? "\n" : "", p->details[j]);
      if (p->bytes > 0)
        {
          g_autofree char *size = g_format_size ((guint64) p->bytes);

          if (details->len > 0)
            g_string_append_c (details, '\n');
          /* Translators: after a cleanup step's preview: "Frees about 12.3 kB." */
          g_string_append_printf (details, _("Frees about %s."), size);
        }
      /* The summary is a row of its own, so that the keyboard and a
       * screen reader reach it like the samples below it. */
      group = add_group (self, mw_cleanup_step_title (p->step), NULL);
      row = add_line (self, group, p->summary, details->len > 0 ? details->str : NULL);
      if (first == NULL)
        first = row;
      for (guint j = 0; p->samples != NULL && p->samples[j] != NULL; j++)
        add_line (self, group, p->samples[j], NULL);
      if (p->samples != NULL && p->count > (gint64) g_strv_length (p->samples) && p->samples[0] != NULL)
        {
          gint64 more = p->count - g_strv_length (p->samples);
          g_autofree char *line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %" G_GINT64_FORMAT " more",
                                                                "and %" G_GINT64_FORMAT " more", more), more);

          add_line (self, group, line, NULL);
        }
      total += p->count;
      with_work += p->count > 0;
    }
  /* The page scrolls to what the preview found. */
  if (first != NULL)
    gtk_widget_grab_focus (first);
  if (total == 0)
    text = g_strdup (_("Preview: nothing to repair. Nothing has been changed."));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         /* Translators: "Preview: 7 rows to change in 3 steps. Nothing has been changed yet." */
                                         "Preview: %" G_GINT64_FORMAT " rows to change in %u step. Nothing has been changed yet.",
                                         "Preview: %" G_GINT64_FORMAT " rows to change in %u steps. Nothing has been changed yet.",
                                         with_work),
                            total, with_work);
  set_status (self, text);
}

static void
on_preview_done_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(MwCleanupDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) previews = mw_session_cleanup_preview_finish (MW_SESSION (source), res, &error);

  if (previews != NULL)
    g_ptr_array_set_free_func (previews, (GDestroyNotify) mw_cleanup_preview_free);
  if (self->disposed)
    return;
  self->state = IDLE;
  g_clear_object (&self->cancellable);
  if (previews == NULL)
    {
      self->previewed = 0;
      set_status (self, is_cancelled (error) ? _("The preview was stopped.") : error->message);
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->previews, g_ptr_array_unref);
  self->previews = g_steal_pointer (&previews);
  /* What was asked and what the flavour has: Apply does exactly this. */
  self->previewed = chosen_steps (self);
  update_actions (self);
  show_previews (self);
}

static void
preview_action (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  MwCleanupDialog *self = MW_CLEANUP_DIALOG (widget);
  MwCleanupSteps steps = chosen_steps (self);

  if (self->state != IDLE || steps == 0)
    return;
  self->state = PREVIEWING;
  self->previewed = 0;
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_pulse (self->progress_bar);
  gtk_progress_bar_set_text (self->progress_bar, _("Counting…"));
  set_status (self, _("Previewing: counting what each step would change…"));
  update_actions (self);
  gtk_widget_grab_focus (self->stop_button);
  mw_session_cleanup_preview_async (self->session, steps, MW_CLEANUP_DEFAULT_SAMPLES, self->cancellable,
                                    on_preview_done_cb, g_object_ref (self));
}

/* Apply */

static void
on_progress_cb (MwCleanupStep step,
                gint64        done,
                gint64        total,
                gpointer      user_data)
{
  MwCleanupDialog *self = user_data;
  guint index = 0, n = 0;
  double fraction;
  g_autofree char *text = NULL;

  if (self->disposed)
    return;
  for (guint i = 0; i < MW_CLEANUP_N_STEPS; i++)
    if (self->applying & MW_CLEANUP_STEP_BIT (i))
      {
        if (i < (guint) step)
          index++;
        n++;
      }
  fraction = n > 0 ? (index + (total > 0 ? MIN (1.0, (double) done / total) : 1.0)) / n : 1.0;
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  /* Translators: the cleanup's progress: "Rebuild quota counters: 2000 of 5000" */
  text = g_strdup_printf (_("%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT), mw_cleanup_step_title (step), done,
                          MAX (done, total));
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
on_apply_done_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(MwCleanupDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = mw_session_cleanup_apply_finish (MW_SESSION (source), res, &error);
  gboolean stopped = FALSE;
  gint64 done = 0;

  if (results != NULL)
    g_ptr_array_set_free_func (results, (GDestroyNotify) mw_cleanup_result_free);
  if (self->disposed)
    return;
  self->state = IDLE;
  self->previewed = 0;
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->previews, g_ptr_array_unref);
  if (self->question != NULL)
    gtk_window_destroy (GTK_WINDOW (self->question));
  if (self->close_after)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  clear_groups (self);
  if (results != NULL)
    {
      AdwPreferencesGroup *group;
      GtkWidget *first = NULL;
      g_autofree char *text = NULL;

      for (guint i = 0; i < results->len; i++)
        {
          const MwCleanupResult *r = g_ptr_array_index (results, i);

          stopped = stopped || r->stopped;
          /* Vacuum counts tables, not rows. */
          if (r->step != MW_CLEANUP_VACUUM)
            done += r->done;
        }
      group = add_group (self, stopped ? _("Stopped") : _("Done"), NULL);
      for (guint i = 0; i < results->len; i++)
        {
          const MwCleanupResult *r = g_ptr_array_index (results, i);

          GtkWidget *row = add_line (self, group, mw_cleanup_step_title (r->step), r->summary);

          g_string_append_printf (self->text, "%s\n", r->summary);
          if (first == NULL)
            first = row;
        }
      if (stopped)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             /* Translators: "Stopped after changing 2000 rows: what is done stays done. Preview again to see what is left." */
                                             "Stopped after changing %" G_GINT64_FORMAT " row: what is done stays done. Preview again to see what is left.",
                                             "Stopped after changing %" G_GINT64_FORMAT " rows: what is done stays done. Preview again to see what is left.",
                                             done), done);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             /* Translators: "Done: changed 7 rows. Preview again to check that nothing is left." */
                                             "Done: changed %" G_GINT64_FORMAT " row. Preview again to check that nothing is left.",
                                             "Done: changed %" G_GINT64_FORMAT " rows. Preview again to check that nothing is left.",
                                             done), done);
      set_status (self, text);
      update_actions (self);
      /* The page scrolls to what was done. */
      gtk_widget_grab_focus (first != NULL ? first : self->preview_button);
      return;
    }
  set_status (self, error->message);
  update_actions (self);
  gtk_widget_grab_focus (self->preview_button);
}

static void
start_apply (MwCleanupDialog *self)
{
  self->state = APPLYING;
  self->applying = self->previewed;
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  set_status (self, _("Applying: each batch is one transaction and goes into the audit log."));
  update_actions (self);
  gtk_widget_grab_focus (self->stop_button);
  mw_session_cleanup_apply_async (self->session, self->applying, 0, on_progress_cb, self, self->cancellable,
                                  on_apply_done_cb, g_object_ref (self));
}

static void
on_purge_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      MwCleanupDialog  *self)
{
  if (g_strcmp0 (response, "apply") == 0 && self->state == IDLE && self->previewed == chosen_steps (self))
    start_apply (self);
}

static void
apply_action (GtkWidget  *widget,
              const char *action,
              GVariant   *param)
{
  MwCleanupDialog *self = MW_CLEANUP_DIALOG (widget);
  MwCleanupPreview *purge;
  AdwMessageDialog *question;
  g_autofree char *heading = NULL;
  g_autofree char *size = NULL;
  g_autofree char *body = NULL;
  gint64 others = 0;

  if (self->state != IDLE || self->previewed == 0 || self->previewed != chosen_steps (self))
    return;
  purge = (self->previewed & MW_CLEANUP_STEP_BIT (MW_CLEANUP_PURGE)) ? find_preview (self, MW_CLEANUP_PURGE) : NULL;
  if (purge == NULL || purge->count == 0)
    {
      start_apply (self);
      return;
    }
  for (guint i = 0; i < self->previews->len; i++)
    {
      MwCleanupPreview *p = g_ptr_array_index (self->previews, i);

      if (p->step != MW_CLEANUP_PURGE)
        others += p->count;
    }
  /* Translators: the question before a cleanup that purges: "Purge 4 Messages for Good?" */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Purge %" G_GINT64_FORMAT " Message for Good?",
                                          "Purge %" G_GINT64_FORMAT " Messages for Good?", purge->count),
                             purge->count);
  size = g_format_size ((guint64) MAX (purge->bytes, 0));
  if (others == 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         /* Translators: "The purge removes 4 messages (12.3 kB) for good. This cannot be undone." */
                                         "The purge removes %" G_GINT64_FORMAT " message (%s) for good. This cannot "
                                         "be undone.",
                                         "The purge removes %" G_GINT64_FORMAT " messages (%s) for good. This cannot "
                                         "be undone.", purge->count),
                            purge->count, size);
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         /* Translators: "The purge removes 4 messages (12.3 kB) for good, and the other steps change 7 rows. This cannot be undone." */
                                         "The purge removes %" G_GINT64_FORMAT " message (%s) for good, and the other "
                                         "steps change %" G_GINT64_FORMAT " rows. This cannot be undone.",
                                         "The purge removes %" G_GINT64_FORMAT " messages (%s) for good, and the other "
                                         "steps change %" G_GINT64_FORMAT " rows. This cannot be undone.",
                                         purge->count),
                            purge->count, size, others);
  question = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (question, "cancel", _("_Cancel"), "apply", _("_Purge and Apply"), NULL);
  adw_message_dialog_set_response_appearance (question, "apply", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (question, "cancel");
  adw_message_dialog_set_close_response (question, "cancel");
  g_signal_connect_object (question, "response", G_CALLBACK (on_purge_response_cb), self, 0);
  g_set_weak_pointer (&self->question, question);
  gtk_window_present (GTK_WINDOW (question));
}

static void
stop_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwCleanupDialog *self = MW_CLEANUP_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_progress_bar_set_text (self->progress_bar, _("Stopping after this batch…"));
}

static void
close_action (GtkWidget  *widget,
              const char *action,
              GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
on_close_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      MwCleanupDialog  *self)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;
  if (self->state == IDLE)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  self->close_after = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Closing while it applies asks; a preview only reads and just stops. */
static gboolean
mw_cleanup_dialog_close_request (GtkWindow *window)
{
  MwCleanupDialog *self = MW_CLEANUP_DIALOG (window);
  AdwMessageDialog *question;

  if (self->state == PREVIEWING && self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->state != APPLYING)
    return GTK_WINDOW_CLASS (mw_cleanup_dialog_parent_class)->close_request (window);
  if (self->question != NULL || self->close_after)
    return TRUE;
  question = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Stop the Cleanup?"),
                                                         _("The batch that runs now is finished first; what is done "
                                                           "stays done and is in the audit log.")));
  adw_message_dialog_add_responses (question, "keep", _("_Keep Running"), "stop", _("_Stop and Close"), NULL);
  adw_message_dialog_set_response_appearance (question, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (question, "keep");
  adw_message_dialog_set_close_response (question, "keep");
  g_signal_connect_object (question, "response", G_CALLBACK (on_close_response_cb), self, 0);
  g_set_weak_pointer (&self->question, question);
  gtk_window_present (GTK_WINDOW (question));
  return TRUE;
}

/* Public */

MwCleanupDialog *
mw_cleanup_dialog_new (MwSession *session)
{
  MwCleanupDialog *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_CLEANUP_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->available = mw_session_cleanup_steps (session);
  build_steps (self);
  if (self->available == 0)
    set_status (self, _("This kind of mail database has no cleanup steps."));
  update_actions (self);
  return self;
}

gboolean
mw_cleanup_dialog_is_busy (MwCleanupDialog *self)
{
  g_return_val_if_fail (MW_IS_CLEANUP_DIALOG (self), FALSE);

  return self->state != IDLE;
}

gboolean
mw_cleanup_dialog_set_step (MwCleanupDialog *self,
                            MwCleanupStep    step,
                            gboolean         on)
{
  g_return_val_if_fail (MW_IS_CLEANUP_DIALOG (self), FALSE);
  g_return_val_if_fail (step < MW_CLEANUP_N_STEPS, FALSE);

  if (self->switches[step] == NULL)
    return FALSE;
  gtk_switch_set_active (GTK_SWITCH (self->switches[step]), on);
  return TRUE;
}

const char *
mw_cleanup_dialog_get_status (MwCleanupDialog *self)
{
  g_return_val_if_fail (MW_IS_CLEANUP_DIALOG (self), NULL);

  return gtk_label_get_text (self->status_label);
}

char *
mw_cleanup_dialog_dup_text (MwCleanupDialog *self)
{
  g_return_val_if_fail (MW_IS_CLEANUP_DIALOG (self), NULL);

  return g_strdup (self->text->str);
}

AdwMessageDialog *
mw_cleanup_dialog_get_question (MwCleanupDialog *self)
{
  g_return_val_if_fail (MW_IS_CLEANUP_DIALOG (self), NULL);

  return self->question;
}

static void
mw_cleanup_dialog_dispose (GObject *object)
{
  MwCleanupDialog *self = MW_CLEANUP_DIALOG (object);

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->question != NULL)
    gtk_window_destroy (GTK_WINDOW (self->question));
  g_clear_weak_pointer (&self->question);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_CLEANUP_DIALOG);

  G_OBJECT_CLASS (mw_cleanup_dialog_parent_class)->dispose (object);
}

static void
mw_cleanup_dialog_finalize (GObject *object)
{
  MwCleanupDialog *self = MW_CLEANUP_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->previews, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_string_free (self->text, TRUE);

  G_OBJECT_CLASS (mw_cleanup_dialog_parent_class)->finalize (object);
}

static void
mw_cleanup_dialog_class_init (MwCleanupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_cleanup_dialog_dispose;
  object_class->finalize = mw_cleanup_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = mw_cleanup_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-cleanup-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, preview_button);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, page);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, steps_group);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, results_group);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, results_box);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MwCleanupDialog, stop_button);

  gtk_widget_class_install_action (widget_class, "cleanup.preview", NULL, preview_action);
  gtk_widget_class_install_action (widget_class, "cleanup.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "cleanup.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "cleanup.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "cleanup.close", NULL);
}

static void
mw_cleanup_dialog_init (MwCleanupDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_ptr_array_new ();
  self->text = g_string_new (NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->page), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Steps and what they would change"), -1);
}
