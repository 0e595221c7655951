/* mw-audit-window.c: the changes Mailwarden made, newest first, with CSV export.
 *
 * The log is a local file (mw-audit); it is read on a worker thread so a
 * long log never holds up the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-audit-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mailwarden-core.h"
#include "mw-audit-window.h"
#include "mw-dialog-a11y.h"
#include "mw-format.h"

/* Enough to answer "who changed this account last week"; the export has all. */
#define SHOWN_ENTRIES 1000

struct _MwAuditWindow
{
  AdwWindow        parent_instance;

  GCancellable    *cancellable;
  GPtrArray       *rows;          /* GtkWidget rows we added */
  gboolean         loading;
  GtkFileChooserNative *chooser;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  GtkStack        *stack;
  GtkListBox      *list;
  AdwToastOverlay *toast_overlay;
};

G_DEFINE_FINAL_TYPE (MwAuditWindow, mw_audit_window, ADW_TYPE_WINDOW)

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *entries = mw_audit_read (SHOWN_ENTRIES, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static const struct
{
  const char *action;
  const char *label;
} action_labels[] = {
  { "user.add", N_("User added") },
  { "user.change", N_("User changed") },
  { "user.delete", N_("User deleted") },
  { "user.import", N_("Users imported") },
  { "group.delete", N_("Group deleted") },
  { "group.add-domain", N_("Group given a domain") },
  { "alias.add", N_("Alias added") },
  { "alias.rename", N_("Alias renamed") },
  { "alias.move", N_("Alias moved") },
  { "alias.delete", N_("Alias deleted") },
  { "forward.add", N_("Forward added") },
  { "forward.change", N_("Forward changed") },
  { "forward.delete", N_("Forward deleted") },
  { "forward.to-alias", N_("Forward made an alias") },
};

static const char *
action_label (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_labels); i++)
    if (g_strcmp0 (action, action_labels[i].action) == 0)
      return _(action_labels[i].label);
  return action;
}

static void
add_entry (MwAuditWindow *self,
           MwAuditEntry  *e)
{
  GtkWidget *row = adw_expander_row_new ();
  /* An address at an international domain reads in Unicode; the stored form is the tooltip. */
  g_autofree char *target = mw_format_address (e->target);
  g_autofree char *title = g_strdup_printf ("%s: %s", action_label (e->action), target);
  g_autofree char *id = g_strdup_printf ("%s  %s", e->action, e->target != NULL ? e->target : "");
  g_autofree char *subtitle = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (e->time, NULL);
  g_autofree char *local = NULL;

  if (when != NULL)
    local = mw_format_date_time_seconds (when);
  /* Translators: "2026-12-01 10:22:03 · alice on Office server" */
  subtitle = g_strdup_printf (_("%s · %s on %s"), local != NULL ? local : e->time,
                              e->os_user != NULL ? e->os_user : "?", e->profile != NULL ? e->profile : "?");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  if (e->target != NULL && g_strcmp0 (target, e->target) != 0)
    gtk_widget_set_tooltip_text (row, e->target);

  for (guint i = 0; i < 2; i++)
    {
      const char *json = i == 0 ? e->before : e->after;
      GtkWidget *detail;
      GtkWidget *label;

      if (json == NULL)
        continue;
      detail = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (detail), i == 0 ? _("Before") : _("After"));
      label = gtk_label_new (json);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "monospace");
      adw_action_row_add_suffix (ADW_ACTION_ROW (detail), label);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), detail);
    }
  /* Translators: for screen readers, the list of an audit entry's values before and after */
  mw_dialog_a11y_name_lists (row, _("Before and after"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  text = g_strjoin (" | ", id, title, subtitle, e->before != NULL ? e->before : "", e->after != NULL ? e->after : "",
                    NULL);
  g_object_set_data_full (G_OBJECT (row), "mw-text", g_steal_pointer (&text), g_free);
  gtk_list_box_append (self->list, row);
  g_ptr_array_add (self->rows, row);
}

static void
on_read_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(MwAuditWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->list, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  if (entries == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    add_entry (self, g_ptr_array_index (entries, i));
  gtk_stack_set_visible_child_name (self->stack, entries->len > 0 ? "entries" : "empty");
  if (entries->len >= SHOWN_ENTRIES)
    {
      g_autofree char *sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The newest %d change; Export saves them all",
                                                           "The newest %d changes; Export saves them all", SHOWN_ENTRIES),
                                              SHOWN_ENTRIES);

      adw_window_title_set_subtitle (self->window_title, sub);
    }
  else
    {
      g_autofree char *path = mw_audit_get_path ();

      adw_window_title_set_subtitle (self->window_title, path);
    }
}

static void
reload (MwAuditWindow *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_read_cb, g_object_ref (self));

  self->loading = TRUE;
  g_task_run_in_thread (task, read_thread);
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  reload (MW_AUDIT_WINDOW (widget));
}

gboolean
mw_audit_window_export (MwAuditWindow  *self,
                        const char     *path,
                        GError        **error)
{
  g_return_val_if_fail (MW_IS_AUDIT_WINDOW (self), FALSE);

  if (!mw_audit_export_csv (path, error))
    return FALSE;
  {
    g_autofree char *base = g_path_get_basename (path);
    /* Translators: a toast: "Saved audit.csv" */
    g_autofree char *text = g_strdup_printf (_("Saved %s"), base);

    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  }
  return TRUE;
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        MwAuditWindow   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && !mw_audit_window_export (self, path, &error))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAuditWindow *self = MW_AUDIT_WINDOW (widget);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export the Audit Log"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "mailwarden-audit.csv");
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

MwAuditWindow *
mw_audit_window_new (void)
{
  return g_object_new (MW_TYPE_AUDIT_WINDOW, NULL);
}

gboolean
mw_audit_window_is_loading (MwAuditWindow *self)
{
  g_return_val_if_fail (MW_IS_AUDIT_WINDOW (self), FALSE);

  return self->loading;
}

GStrv
mw_audit_window_dup_rows (MwAuditWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MW_IS_AUDIT_WINDOW (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (self->rows->pdata[i], "mw-text"));
  return g_strv_builder_end (builder);
}

static void
mw_audit_window_dispose (GObject *object)
{
  MwAuditWindow *self = MW_AUDIT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_AUDIT_WINDOW);

  G_OBJECT_CLASS (mw_audit_window_parent_class)->dispose (object);
}

static void
mw_audit_window_finalize (GObject *object)
{
  MwAuditWindow *self = MW_AUDIT_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mw_audit_window_parent_class)->finalize (object);
}

static void
mw_audit_window_class_init (MwAuditWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_audit_window_dispose;
  object_class->finalize = mw_audit_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-audit-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAuditWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwAuditWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MwAuditWindow, list);
  gtk_widget_class_bind_template_child (widget_class, MwAuditWindow, toast_overlay);

  gtk_widget_class_install_action (widget_class, "audit.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "audit.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "audit.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_audit_window_init (MwAuditWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  reload (self);
}
