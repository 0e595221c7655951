/* mw-import-dialog.c: import users from a CSV file: choose, preview, progress, report.
 *
 * The file is read, then checked on a session worker (the preparation
 * writes nothing); the import runs on another job whose progress callback,
 * called on the worker, is carried to the main thread by an idle. The plan
 * stays in this dialog: after the run it holds the generated passwords, which
 * exist only in memory until saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-import-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-import-dialog.h"
#include "mw-dialog-a11y.h"

struct _MwImportDialog
{
  AdwWindow             parent_instance;

  MwSession            *session;
  GSettings            *settings;
  GCancellable         *cancellable;      /* the dialog's; cancelled when it goes */
  GCancellable         *run_cancellable;  /* the import's; Stop cancels it */
  GFile                *file;
  GPtrArray            *schemes;          /* writable scheme names, in scheme_row's order */
  MwImportPlan         *plan;
  MwImportReport       *report;
  MwImportOptions       options;
  char                 *default_scheme;   /* options.default_scheme points here */
  GPtrArray            *messages;         /* char*: the sentences shown now */
  gboolean              busy;
  GtkFileChooserNative *chooser;

  /* Template widgets */
  GtkStack             *stack;
  AdwPreferencesGroup  *format_group;
  GtkWidget            *cancel_button;
  GtkWidget            *back_button;
  GtkWidget            *import_button;
  AdwWindowTitle       *window_title;
  GtkWidget            *close_button;
  AdwActionRow         *file_row;
  GtkLabel             *file_error_label;
  AdwComboRow          *scheme_row;
  GtkSwitch            *generate_switch;
  GtkSpinner           *checking_spinner;
  GtkLabel             *preview_title;
  GtkLabel             *preview_detail;
  GtkLabel             *preview_errors_heading;
  GtkListBox           *preview_list;
  GtkProgressBar       *progress_bar;
  GtkLabel             *report_title;
  GtkLabel             *report_detail;
  GtkWidget            *passwords_box;
  GtkLabel             *passwords_label;
  GtkLabel             *report_errors_heading;
  GtkListBox           *report_list;
};

G_DEFINE_FINAL_TYPE (MwImportDialog, mw_import_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_IMPORTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_step (MwImportDialog *self,
           const char     *step)
{
  gboolean choose = g_str_equal (step, "choose");
  gboolean preview = g_str_equal (step, "preview");
  gboolean report = g_str_equal (step, "report");

  gtk_stack_set_visible_child_name (self->stack, step);
  gtk_widget_set_visible (self->cancel_button, !report && !preview);
  gtk_widget_set_visible (self->back_button, preview);
  gtk_widget_set_visible (self->import_button, preview);
  gtk_widget_set_visible (self->close_button, report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.choose", choose);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.import",
                                 preview && self->plan != NULL && self->plan->users->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", !g_str_equal (step, "progress"));
  if (g_str_equal (step, "checking"))
    gtk_spinner_start (self->checking_spinner);
  else
    gtk_spinner_stop (self->checking_spinner);
  if (preview && self->plan != NULL && self->plan->users->len > 0)
    gtk_window_set_default_widget (GTK_WINDOW (self), self->import_button);
  else if (report)
    gtk_window_set_default_widget (GTK_WINDOW (self), self->close_button);
}

/* Fills a boxed list with the issues' sentences, remembered for the tests. */
static void
fill_issues (MwImportDialog *self,
             GtkListBox     *list,
             GtkLabel       *heading,
             GPtrArray      *issues)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
  g_ptr_array_set_size (self->messages, 0);
  for (guint i = 0; issues != NULL && i < issues->len; i++)
    {
      MwImportIssue *issue = g_ptr_array_index (issues, i);
      GtkWidget *label = gtk_label_new (issue->message);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_top (label, 10);
      gtk_widget_set_margin_bottom (label, 10);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_append (list, label);
      g_ptr_array_add (self->messages, g_strdup (issue->message));
    }
  if (issues == NULL || issues->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (list), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (heading), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (list), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (heading), TRUE);
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line refused", "%u lines refused",
                                                          issues->len), issues->len);

    gtk_label_set_text (heading, text);
  }
}

static void
show_file_error (MwImportDialog *self,
                 const char     *message)
{
  gtk_label_set_text (self->file_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->file_error_label), message != NULL);
  g_ptr_array_set_size (self->messages, 0);
  if (message != NULL)
    g_ptr_array_add (self->messages, g_strdup (message));
}

/* Preview */

/* One preparation: the options must outlive the call. */
typedef struct
{
  MwImportDialog  *self;
  MwImportOptions  options;
  char            *default_scheme;  /* options.default_scheme points here */
} Prepare;

static void
prepare_free (Prepare *prepare)
{
  g_object_unref (prepare->self);
  g_free (prepare->default_scheme);
  g_free (prepare);
}

/* A session call cancelled before it ran says MW_DB_ERROR_CANCELLED, one
 * cancelled while it ran may say G_IO_ERROR_CANCELLED (mw-session.h), as
 * reading the file does. */
static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
show_file_refused (MwImportDialog *self,
                   const GError   *error)
{
  self->busy = FALSE;
  if (is_cancelled (error))
    return;
  show_step (self, "choose");
  show_file_error (self, error->message);
}

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Prepare *prepare = user_data;
  g_autoptr(MwImportDialog) self = g_object_ref (prepare->self);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  MwImportPlan *plan;
  guint n_users;

  plan = mw_session_import_prepare_finish (self->session, res, &error);
  prepare_free (prepare);
  if (plan == NULL)
    {
      show_file_refused (self, error);
      return;
    }
  self->busy = FALSE;
  g_clear_pointer (&self->plan, mw_import_plan_free);
  self->plan = plan;
  n_users = plan->users->len;

  if (n_users > 0 && mw_schema_names_mailboxes (mw_session_get_schema (self->session)))
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u mailbox will be added", "%u mailboxes will be added",
                                          n_users), n_users);
  else if (n_users > 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u user will be added", "%u users will be added",
                                          n_users), n_users);
  else
    title = g_strdup (_("No user can be added"));
  gtk_label_set_text (self->preview_title, title);
  if (plan->errors->len > 0 && n_users > 0)
    detail = g_strdup (_("The lines below are refused and will be skipped; fix them in the file and import it "
                         "again, or import the others now. Nothing has been written yet."));
  else if (plan->errors->len > 0)
    detail = g_strdup (_("Every line has a problem; fix the file and choose it again. Nothing has been written."));
  else
    detail = g_strdup (_("Every line can be imported. Nothing has been written yet."));
  gtk_label_set_text (self->preview_detail, detail);
  fill_issues (self, self->preview_list, self->preview_errors_heading, plan->errors);
  show_step (self, "preview");
}

static void
on_file_loaded_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  Prepare *prepare = user_data;
  MwImportDialog *self = prepare->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), res, NULL, &error);

  if (bytes == NULL)
    {
      show_file_refused (self, error);
      prepare_free (prepare);
      return;
    }
  mw_session_import_prepare_async (self->session, bytes, &prepare->options, self->cancellable, on_prepared_cb,
                                   prepare);
}

static void
start_preview (MwImportDialog *self)
{
  Prepare *prepare;
  guint selected;

  g_assert (self->file != NULL);

  g_clear_pointer (&self->plan, mw_import_plan_free);
  g_clear_pointer (&self->report, mw_import_report_free);
  show_file_error (self, NULL);

  selected = adw_combo_row_get_selected (self->scheme_row);
  g_free (self->default_scheme);
  self->default_scheme = g_strdup (selected < self->schemes->len
                                   ? g_ptr_array_index (self->schemes, selected)
                                   : mw_schema_get_default_password_scheme (mw_session_get_schema (self->session)));
  self->options.default_scheme = self->default_scheme;
  self->options.generate_passwords = gtk_switch_get_active (self->generate_switch);

  prepare = g_new0 (Prepare, 1);
  prepare->self = g_object_ref (self);
  prepare->default_scheme = g_strdup (self->default_scheme);
  prepare->options = self->options;
  prepare->options.default_scheme = prepare->default_scheme;

  self->busy = TRUE;
  show_step (self, "checking");
  g_file_load_bytes_async (self->file, self->cancellable, on_file_loaded_cb, prepare);
}

void
mw_import_dialog_set_file (MwImportDialog *self,
                           GFile          *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (MW_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->busy)
    return;
  g_set_object (&self->file, file);
  name = g_file_get_parse_name (file);
  adw_action_row_set_subtitle (self->file_row, name);
  start_preview (self);
}

void
mw_import_dialog_set_generate_passwords (MwImportDialog *self,
                                         gboolean        generate)
{
  g_return_if_fail (MW_IS_IMPORT_DIALOG (self));

  gtk_switch_set_active (self->generate_switch, generate);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        MwImportDialog  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        mw_import_dialog_set_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL || self->busy)
    return;
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_add_pattern (csv, "*.CSV");
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  self->chooser = gtk_file_chooser_native_new (_("Choose a CSV File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), csv);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
back_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (widget);

  if (self->busy)
    return;
  g_clear_pointer (&self->plan, mw_import_plan_free);
  g_ptr_array_set_size (self->messages, 0);
  show_step (self, "choose");
}

/* Progress: the worker's callback posts here through an idle. */

typedef struct
{
  gatomicrefcount  ref_count;
  GWeakRef         dialog;      /* set and read on the main thread only */
} ProgressSink;

typedef struct
{
  ProgressSink *sink;
  guint64       done;
  guint64       total;
} ProgressUpdate;

static ProgressSink *
progress_sink_ref (ProgressSink *sink)
{
  g_atomic_ref_count_inc (&sink->ref_count);
  return sink;
}

static void
progress_sink_unref (gpointer data)
{
  ProgressSink *sink = data;

  if (g_atomic_ref_count_dec (&sink->ref_count))
    {
      g_weak_ref_clear (&sink->dialog);
      g_free (sink);
    }
}

static void
set_progress (MwImportDialog *self,
              guint64         done,
              guint64         total)
{
  g_autofree char *text = NULL;

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / (double) total : 0.0);
  {
    g_autofree char *d = g_strdup_printf ("%" G_GUINT64_FORMAT, done);
    g_autofree char *t = g_strdup_printf ("%" G_GUINT64_FORMAT, total);

    /* Translators: progress of an import, "1500 of 20000 users" */
    text = g_strdup_printf (_("%s of %s users"), d, t);
  }
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static gboolean
apply_progress (gpointer data)
{
  ProgressUpdate *update = data;
  g_autoptr(MwImportDialog) self = g_weak_ref_get (&update->sink->dialog);

  if (self != NULL && self->busy)
    set_progress (self, update->done, update->total);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  /* The last reference may go here or when the run is freed: the sink
   * holds no widget, only a weak ref. */
  progress_sink_unref (update->sink);
  g_free (update);
}

/* Worker thread. */
static void
on_import_progress (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->sink = progress_sink_ref (user_data);
  update->done = done;
  update->total = total;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, apply_progress, update, progress_update_free);
}

/* One run: the plan (the dialog's) and the options must outlive the call. */
typedef struct
{
  MwImportDialog  *self;
  MwImportOptions  options;
  char            *default_scheme;  /* options.default_scheme points here */
  ProgressSink    *sink;
} Run;

static void
run_free (Run *run)
{
  g_object_unref (run->self);
  g_free (run->default_scheme);
  progress_sink_unref (run->sink);
  g_free (run);
}

static guint
count_generated (MwImportDialog *self)
{
  guint n = 0;

  for (guint i = 0; self->plan != NULL && i < self->plan->users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (self->plan->users, i);

      if (u->generated && u->account_key != NULL && u->password != NULL)
        n++;
    }
  return n;
}

static void
show_report (MwImportDialog *self)
{
  MwImportReport *report = self->report;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  guint generated = count_generated (self);

  if (mw_schema_names_mailboxes (mw_session_get_schema (self->session)))
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u mailbox created", "%u mailboxes created",
                                          report->created), report->created);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u user created", "%u users created", report->created),
                             report->created);
  gtk_label_set_text (self->report_title, title);
  if (report->cancelled)
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The import was stopped: %u user of the file was not created. "
                                           "The users created before are kept.",
                                           "The import was stopped: %u users of the file were not created. "
                                           "The users created before are kept.",
                                           report->planned - report->created),
                              report->planned - report->created);
  else if (report->refused->len > 0)
    detail = g_strdup (_("The lines below were not imported."));
  else
    detail = g_strdup (_("Every line of the file was imported."));
  gtk_label_set_text (self->report_detail, detail);

  gtk_widget_set_visible (self->passwords_box, generated > 0);
  if (generated > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u user got a generated password. It is kept only in "
                                                            "this window: save it before closing.",
                                                            "%u users got a generated password. They are kept only "
                                                            "in this window: save them before closing.",
                                                            generated), generated);

      gtk_label_set_text (self->passwords_label, text);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-passwords", generated > 0);
  fill_issues (self, self->report_list, self->report_errors_heading, report->refused);
  show_step (self, "report");
}

static void
on_imported_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(MwImportDialog) self = g_object_ref (run->self);
  g_autoptr(GError) error = NULL;
  MwImportReport *report;

  report = mw_session_import_run_finish (self->session, res, &error);
  run_free (run);
  self->busy = FALSE;
  if (report == NULL)
    {
      MwImportIssue issue = { 0, error->message };
      g_autoptr(GPtrArray) issues = g_ptr_array_new ();

      /* The window went away: nothing to show. The session told the lists
       * of any batch committed before a failure ("changed"). */
      if (g_cancellable_is_cancelled (self->cancellable))
        return;
      if (is_cancelled (error))
        {
          /* Stopped before the first batch. */
          gtk_label_set_text (self->report_title, _("No user was created"));
          gtk_label_set_text (self->report_detail, _("The import was stopped before it began."));
          gtk_widget_set_visible (self->passwords_box, FALSE);
          fill_issues (self, self->report_list, self->report_errors_heading, NULL);
          show_step (self, "report");
          return;
        }
      /* The connection was lost: what was committed stays. */
      gtk_label_set_text (self->report_title, _("The import failed"));
      gtk_label_set_text (self->report_detail,
                          _("The users of the batches committed before the failure were created; "
                            "check the Users list."));
      gtk_widget_set_visible (self->passwords_box, count_generated (self) > 0);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-passwords", count_generated (self) > 0);
      g_ptr_array_add (issues, &issue);
      fill_issues (self, self->report_list, self->report_errors_heading, issues);
      show_step (self, "report");
      return;
    }
  self->report = report;
  show_report (self);
  if (report->created > 0)
    {
      g_autofree char *created = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u user",
                                                               "Imported %u users", report->created),
                                                  report->created);
      g_autofree char *refused = NULL;
      g_autofree char *text = NULL;

      if (report->refused->len > 0)
        /* Translators: follows "Imported 12 users" in a toast */
        refused = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "; %u line refused", "; %u lines refused",
                                                report->refused->len), report->refused->len);
      text = g_strconcat (created, refused, NULL);
      /* The session told the lists ("changed"). */
      g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, text);
    }
}

void
mw_import_dialog_import (MwImportDialog *self)
{
  Run *run;

  g_return_if_fail (MW_IS_IMPORT_DIALOG (self));

  if (self->busy || self->plan == NULL || self->plan->users->len == 0 || self->report != NULL)
    return;
  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->default_scheme = g_strdup (self->default_scheme);
  run->options = self->options;
  run->options.default_scheme = run->default_scheme;
  run->sink = g_new0 (ProgressSink, 1);
  g_atomic_ref_count_init (&run->sink->ref_count);
  g_weak_ref_init (&run->sink->dialog, self);

  g_clear_object (&self->run_cancellable);
  self->run_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                           self->run_cancellable, G_CONNECT_SWAPPED);
  self->busy = TRUE;
  set_progress (self, 0, self->plan->users->len);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.stop", TRUE);
  show_step (self, "progress");
  mw_session_import_run_async (self->session, self->plan, &run->options, FALSE, on_import_progress, run->sink,
                               self->run_cancellable, on_imported_cb, run);
}

static void
import_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  mw_import_dialog_import (MW_IMPORT_DIALOG (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (widget);

  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  gtk_widget_action_set_enabled (widget, "import.stop", FALSE);
  gtk_progress_bar_set_text (self->progress_bar, _("Stopping after the current batch…"));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* Passwords */

gboolean
mw_import_dialog_save_passwords_to (MwImportDialog  *self,
                                    GFile           *file,
                                    GError         **error)
{
  static const char *const header[] = { "name", "password" };
  g_autofree char *path = NULL;
  GString *out;
  gboolean ok;

  g_return_val_if_fail (MW_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if ((path = g_file_get_path (file)) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The passwords can only be saved to a local file."));
      return FALSE;
    }
  out = g_string_new (NULL);
  mw_csv_append_record (out, header, 2, ',');
  for (guint i = 0; self->plan != NULL && i < self->plan->users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (self->plan->users, i);
      const char *fields[] = { u->name, u->password };

      if (u->generated && u->account_key != NULL && u->password != NULL)
        mw_csv_append_record (out, fields, 2, ',');
    }
  ok = g_file_set_contents_full (path, out->str, (gssize) out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  memset (out->str, 0, out->len);
  g_string_free (out, TRUE);
  return ok;
}

static void
on_save_chooser_response_cb (GtkNativeDialog *chooser,
                             int              response,
                             MwImportDialog  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;
      g_autofree char *name = NULL;
      g_autofree char *text = NULL;

      if (file != NULL && !mw_import_dialog_save_passwords_to (self, file, &error))
        text = g_strdup (error->message);
      else if (file != NULL)
        {
          name = g_file_get_basename (file);
          /* Translators: "The passwords are in passwords.csv, readable only by you." */
          text = g_strdup_printf (_("The passwords are in %s, readable only by you."), name);
        }
      if (text != NULL)
        gtk_label_set_text (self->passwords_label, text);
    }
  g_clear_object (&self->chooser);
}

static void
save_passwords_action (GtkWidget  *widget,
                       const char *action,
                       GVariant   *param)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save the Passwords"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "passwords.csv");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_save_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Tests */

const char *
mw_import_dialog_get_step (MwImportDialog *self)
{
  const char *name;

  g_return_val_if_fail (MW_IS_IMPORT_DIALOG (self), NULL);

  name = gtk_stack_get_visible_child_name (self->stack);
  return g_strcmp0 (name, "checking") == 0 ? "choose" : name;
}

GStrv
mw_import_dialog_dup_messages (MwImportDialog *self)
{
  GStrvBuilder *builder;
  GStrv strv;

  g_return_val_if_fail (MW_IS_IMPORT_DIALOG (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->messages->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->messages, i));
  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

guint
mw_import_dialog_get_created (MwImportDialog *self)
{
  g_return_val_if_fail (MW_IS_IMPORT_DIALOG (self), 0);

  if (self->report != NULL)
    return self->report->created;
  if (self->plan != NULL)
    return self->plan->users->len;
  return 0;
}

/* The schemes the schema can store, in its order, its default chosen (the
 * names belong to the schema, which the session keeps while this dialog
 * holds it). */
static void
fill_schemes (MwImportDialog *self)
{
  MwSchema *schema = mw_session_get_schema (self->session);
  const char *default_name = mw_schema_get_default_password_scheme (schema);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint n_schemes;
  const MwPasswordScheme *schemes = mw_schema_get_password_schemes (schema, &n_schemes);

  for (guint i = 0; i < n_schemes; i++)
    {
      g_ptr_array_add (self->schemes, (gpointer) schemes[i].name);
      gtk_string_list_append (labels, _(schemes[i].label));
    }
  adw_combo_row_set_model (self->scheme_row, G_LIST_MODEL (labels));
  for (guint i = 0; i < self->schemes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->schemes, i), default_name) == 0)
      adw_combo_row_set_selected (self->scheme_row, i);
}

MwImportDialog *
mw_import_dialog_new (MwSession *session,
                      GSettings *settings)
{
  MwImportDialog *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MW_TYPE_IMPORT_DIALOG, NULL);
  self->session = g_object_ref (session);
  g_set_object (&self->settings, settings);
  /* The columns are those of the database's flavour, told by the core. */
  adw_preferences_group_set_description (self->format_group,
                                         mw_schema_describe_import_format (mw_session_get_schema (session)));
  if (mw_schema_names_mailboxes (mw_session_get_schema (session)))
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Import Mailboxes"));
      adw_window_title_set_title (self->window_title, _("Import Mailboxes"));
    }
  fill_schemes (self);
  if (settings != NULL)
    {
      g_autofree char *scheme = g_settings_get_string (settings, "default-password-scheme");

      for (guint i = 0; i < self->schemes->len; i++)
        if (g_str_equal (scheme, g_ptr_array_index (self->schemes, i)))
          adw_combo_row_set_selected (self->scheme_row, i);
    }
  return self;
}

static gboolean
mw_import_dialog_close_request (GtkWindow *window)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (window);

  /* While users are written the window stays: Stop ends the run after a batch. */
  if (self->busy && g_str_equal (mw_import_dialog_get_step (self), "progress"))
    {
      stop_action (GTK_WIDGET (self), "import.stop", NULL);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (mw_import_dialog_parent_class)->close_request (window);
}

static void
mw_import_dialog_dispose (GObject *object)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (mw_import_dialog_parent_class)->dispose (object);
}

/* Generated passwords are wiped before the memory goes back. */
static void
wipe_passwords (MwImportPlan *plan)
{
  for (guint i = 0; plan != NULL && i < plan->users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (plan->users, i);

      if (u->password != NULL)
        memset (u->password, 0, strlen (u->password));
    }
}

static void
mw_import_dialog_finalize (GObject *object)
{
  MwImportDialog *self = MW_IMPORT_DIALOG (object);

  wipe_passwords (self->plan);
  g_clear_pointer (&self->plan, mw_import_plan_free);
  g_clear_pointer (&self->report, mw_import_report_free);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->schemes, g_ptr_array_unref);
  g_clear_pointer (&self->default_scheme, g_free);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mw_import_dialog_parent_class)->finalize (object);
}

static void
mw_import_dialog_class_init (MwImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_import_dialog_dispose;
  object_class->finalize = mw_import_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = mw_import_dialog_close_request;

  /* "imported": a sentence saying what was created, for a toast. */
  signals[SIGNAL_IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, format_group);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, file_error_label);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, scheme_row);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, generate_switch);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, preview_title);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, preview_detail);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, preview_errors_heading);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, preview_list);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, report_title);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, report_detail);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, passwords_box);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, passwords_label);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, report_errors_heading);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, report_list);
  gtk_widget_class_bind_template_child (widget_class, MwImportDialog, window_title);

  gtk_widget_class_install_action (widget_class, "import.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "import.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "import.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "import.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "import.save-passwords", NULL, save_passwords_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_import_dialog_init (MwImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: for screen readers, the list holding the CSV file row */
  mw_dialog_a11y_name_lists (GTK_WIDGET (self->format_group), _("File"));
  self->cancellable = g_cancellable_new ();
  self->messages = g_ptr_array_new_with_free_func (g_free);
  self->schemes = g_ptr_array_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-passwords", FALSE);
  show_step (self, "choose");
}
