/* mw-window-export.c: the main window's "Export This List…": the visible list as CSV.
 *
 * The list's request (kind, sort, search, group) is copied for the export,
 * which pages through the list on a session worker and writes to a
 * replacement of the file, which appears only when the whole list is in it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-window.h"

#define EXPORTING_KEY   "mw-exporting"
#define MESSAGE_KEY     "mw-export-message"
#define CANCELLABLE_KEY "mw-export-cancellable"

gboolean
mw_window_can_export (MwWindow *self)
{
  MwListPage *page = mw_window_get_visible_page (self);

  if (page == NULL)
    return FALSE;
  switch (mw_list_page_get_kind (page))
    {
    case MW_LIST_USERS:
    case MW_LIST_ALIASES:
    case MW_LIST_FORWARDS:
      return TRUE;
    default:
      return FALSE;
    }
}

/* One export, from opening the file to closing it. */
typedef struct
{
  MwWindow          *window;
  GFile             *file;
  MwListRequest      request;
  char              *search;      /* request.search points here */
  GFileOutputStream *out;
  GCancellable      *cancellable; /* the window's */
  guint64            rows;
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->window);
  g_object_unref (export->file);
  g_free (export->search);
  g_clear_object (&export->out);
  g_object_unref (export->cancellable);
  g_free (export);
}

static void
export_finish (Export       *export,
               const GError *error)
{
  MwWindow *self = export->window;
  g_autofree char *name = NULL;
  g_autofree char *count = NULL;
  char *text;
  AdwToast *toast;
  GObject *overlay;

  g_object_set_data (G_OBJECT (self), EXPORTING_KEY, NULL);
  if (g_cancellable_is_cancelled (export->cancellable))
    {
      export_free (export);
      return;   /* the window went away */
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-list", mw_window_can_export (self));
  name = g_file_get_basename (export->file);
  if (error != NULL)
    /* Translators: a toast, "Could not export to users.csv: Permission denied" */
    text = g_strdup_printf (_("Could not export to %s: %s"), name, error->message);
  else
    {
      count = g_strdup_printf ("%'" G_GUINT64_FORMAT, export->rows);
      /* Translators: a toast, "Exported 1,234 rows to users.csv" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %s row to %s", "Exported %s rows to %s",
                                           (gulong) MIN (export->rows, G_MAXULONG)), count, name);
    }
  g_object_set_data_full (G_OBJECT (self), MESSAGE_KEY, text, g_free);
  /* Asked for just now: shown at once, before any toast still queued. */
  toast = adw_toast_new (text);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  overlay = gtk_widget_get_template_child (GTK_WIDGET (self), MW_TYPE_WINDOW, "toast_overlay");
  if (ADW_IS_TOAST_OVERLAY (overlay))
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    {
      g_object_unref (toast);
      mw_window_show_toast (self, text);
    }
  export_free (export);
}

static void
on_closed_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), res, &error))
    export_finish (export, error);
  else
    export_finish (export, NULL);
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_session_export_csv_finish (mw_window_get_session (export->window), res, &export->rows, &error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing with a cancelled cancellable drops the replacement: the
       * file stays as it was. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (export->out), abandon, NULL);
      export_finish (export, error);
      return;
    }
  g_output_stream_close_async (G_OUTPUT_STREAM (export->out), G_PRIORITY_DEFAULT, export->cancellable,
                               on_closed_cb, export);
}

static void
on_replaced_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;

  export->out = g_file_replace_finish (G_FILE (source), res, &error);
  if (export->out == NULL)
    {
      export_finish (export, error);
      return;
    }
  mw_session_export_csv_async (mw_window_get_session (export->window), &export->request,
                               G_OUTPUT_STREAM (export->out), export->cancellable, on_exported_cb, export);
}

static void
on_window_destroyed_cb (GtkWidget    *widget,
                        GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

void
mw_window_export_list_to (MwWindow *self,
                          GFile    *file)
{
  MwListPage *page;
  const MwListRequest *request;
  GCancellable *cancellable;
  Export *export;

  g_return_if_fail (MW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!mw_window_can_export (self) || mw_window_is_exporting (self))
    return;
  page = mw_window_get_visible_page (self);
  request = mw_list_page_get_request (page);

  cancellable = g_object_get_data (G_OBJECT (self), CANCELLABLE_KEY);
  if (cancellable == NULL)
    {
      cancellable = g_cancellable_new ();
      g_object_set_data_full (G_OBJECT (self), CANCELLABLE_KEY, cancellable, g_object_unref);
      g_signal_connect_object (self, "destroy", G_CALLBACK (on_window_destroyed_cb), cancellable, 0);
    }
  g_object_set_data (G_OBJECT (self), MESSAGE_KEY, NULL);
  g_object_set_data (G_OBJECT (self), EXPORTING_KEY, GINT_TO_POINTER (TRUE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-list", FALSE);

  export = g_new0 (Export, 1);
  export->window = g_object_ref (self);
  export->file = g_object_ref (file);
  export->request = *request;
  export->search = g_strdup (request->search);
  export->request.search = export->search;
  export->cancellable = g_object_ref (cancellable);
  g_file_replace_async (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, cancellable, on_replaced_cb, export);
}

gboolean
mw_window_is_exporting (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), FALSE);

  return g_object_get_data (G_OBJECT (self), EXPORTING_KEY) != NULL;
}

const char *
mw_window_get_export_message (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  return g_object_get_data (G_OBJECT (self), MESSAGE_KEY);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        MwWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        mw_window_export_list_to (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
mw_window_export_list (MwWindow *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  MwListKind kind;

  g_return_if_fail (MW_IS_WINDOW (self));

  if (!mw_window_can_export (self) || mw_window_is_exporting (self))
    return;
  kind = mw_list_page_get_kind (mw_window_get_visible_page (self));
  name = g_strconcat (mw_schema_get_list (mw_session_get_schema (mw_window_get_session (self)), kind)->id, ".csv",
                      NULL);
  chooser = gtk_file_chooser_native_new (_("Export This List"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
