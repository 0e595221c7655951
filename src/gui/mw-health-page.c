/* mw-health-page.c: the main window's Health page.
 *
 * "Run Checks" runs the flavour's health checks on the session's worker
 * (mw_session_run_health_async ()); each check's group appears as soon as
 * it finishes (a progress bar and Stop meanwhile). A group is titled by
 * the check; each finding in it says what is wrong (its reason), what to
 * do (its fix), how many rows it concerns and a few samples, each sample
 * with a link to what it concerns: the account window, the address window,
 * or a list searched for it. The password storage check adds Copy and
 * Export: the whole list of accounts to ask for a new password, read again
 * with every sample. "Clean Up…" opens the cleanup dialog
 * (mw-cleanup-dialog.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-health-page"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-cleanup-dialog.h"
#include "mw-format.h"
#include "mw-health-page.h"
#include "mw-list-page.h"
#include "mw-window.h"

struct _MwHealthPage
{
  AdwBin              parent_instance;

  MwSession          *session;
  GCancellable       *cancellable;     /* the run now, or NULL */
  GCancellable       *life;            /* the page's life */
  gboolean            running;
  guint               reading_passwords;
  guint               n_findings;
  guint               n_problem_checks;
  GPtrArray          *groups;          /* AdwPreferencesGroup added to findings_page */
  GPtrArray          *results;         /* MwHealthCheckResult, copies, in order */
  GHashTable         *links;           /* "check\x1flabel" -> GtkButton (weak: in rows) */
  char               *status;
  char               *password_list;
  GtkWindow          *cleanup_dialog;  /* (weak) */
  GtkFileChooserNative *chooser;

  /* Template widgets */
  GtkWidget          *run_button;
  GtkWidget          *stop_button;
  GtkWidget          *cleanup_button;
  GtkProgressBar     *progress_bar;
  GtkLabel           *status_label;
  AdwPreferencesPage *findings_page;
};

G_DEFINE_FINAL_TYPE (MwHealthPage, mw_health_page, ADW_TYPE_BIN)

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
set_status (MwHealthPage *self,
            const char   *text)
{
  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_text (self->status_label, text);
}

static void
update_actions (MwHealthPage *self)
{
  gboolean has = self->session != NULL && mw_schema_has_health (mw_session_get_schema (self->session));
  gboolean cleanup = self->session != NULL && mw_session_cleanup_steps (self->session) != 0 &&
                     mw_schema_can (mw_session_get_schema (self->session), MW_SCHEMA_CAN_WRITE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "health.run", has && !self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "health.stop", self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "health.cleanup", cleanup);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "health.copy-passwords", self->reading_passwords == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "health.export-passwords", self->reading_passwords == 0);
  gtk_widget_set_visible (self->stop_button, self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), self->running);
}

static void
clear_groups (MwHealthPage *self)
{
  g_hash_table_remove_all (self->links);
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->findings_page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->results, 0);
  self->n_findings = 0;
  self->n_problem_checks = 0;
}

/* Links */

static MwWindow *
main_window (MwHealthPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MW_IS_WINDOW (root) ? MW_WINDOW (root) : NULL;
}

static void
show_list (MwHealthPage *self,
           MwListKind    kind,
           const char   *search)
{
  MwWindow *window = main_window (self);
  MwListPage *page;

  if (window == NULL)
    return;
  page = mw_window_get_page (window, kind);
  if (page == NULL)
    return;
  mw_list_page_start (page);
  mw_list_page_set_group (page, FALSE, 0);
  mw_list_page_set_search (page, search != NULL ? search : "");
  mw_window_show_page (window, kind);
}

static void
open_sample (MwHealthPage         *self,
             const MwHealthSample *sample)
{
  MwWindow *window = main_window (self);

  if (window == NULL)
    return;
  switch (sample->target)
    {
    case MW_HEALTH_TARGET_ACCOUNT:
      mw_window_open_account (window, sample->key);
      break;
    case MW_HEALTH_TARGET_ADDRESS:
      /* The address itself is the search text; the key is the core's. */
      mw_window_open_address (window, sample->search != NULL ? sample->search : sample->label);
      break;
    case MW_HEALTH_TARGET_LIST:
      show_list (self, sample->list, sample->search);
      break;
    case MW_HEALTH_TARGET_NONE:
    default:
      break;
    }
}

static void
on_link_clicked_cb (GtkButton    *button,
                    MwHealthPage *self)
{
  const MwHealthSample *sample = g_object_get_data (G_OBJECT (button), "mw-health-sample");

  if (sample != NULL)
    open_sample (self, sample);
}

static void
on_list_clicked_cb (GtkButton    *button,
                    MwHealthPage *self)
{
  const MwHealthFinding *finding = g_object_get_data (G_OBJECT (button), "mw-health-finding");

  if (finding != NULL && finding->has_list)
    show_list (self, finding->list, finding->list_search);
}

static const char *
severity_icon (MwHealthSeverity severity)
{
  switch (severity)
    {
    case MW_HEALTH_SEVERITY_PROBLEM:
      return "dialog-error-symbolic";
    case MW_HEALTH_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case MW_HEALTH_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_class (MwHealthSeverity severity)
{
  switch (severity)
    {
    case MW_HEALTH_SEVERITY_PROBLEM:
      return "error";
    case MW_HEALTH_SEVERITY_WARNING:
      return "warning";
    case MW_HEALTH_SEVERITY_INFO:
    default:
      return "accent";
    }
}

/* How a sample is shown: its label, an address in Unicode. */
static char *
sample_text (const MwHealthSample *sample)
{
  if (sample->target == MW_HEALTH_TARGET_ADDRESS || sample->target == MW_HEALTH_TARGET_ACCOUNT)
    return mw_format_address (sample->label);
  return g_strdup (sample->label != NULL ? sample->label : "");
}

static char *
link_key (const char *check,
          const char *label)
{
  return g_strdup_printf ("%s\x1f%s", check, label);
}

static GtkWidget *
sample_row (MwHealthPage         *self,
            const char           *check,
            const MwHealthSample *sample)
{
  g_autofree char *text = sample_text (sample);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (sample->count > 0)
    {
      g_autofree char *figure = g_strdup_printf ("%" G_GUINT64_FORMAT, sample->count);
      GtkWidget *label = gtk_label_new (figure);

      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  if (sample->target != MW_HEALTH_TARGET_NONE)
    {
      GtkWidget *button;
      g_autofree char *name = NULL;
      const char *tip;

      switch (sample->target)
        {
        case MW_HEALTH_TARGET_ACCOUNT:
          /* Translators: a link's screen-reader name: "Open the account alice" */
          name = g_strdup_printf (_("Open the account %s"), text);
          tip = _("Open the account");
          break;
        case MW_HEALTH_TARGET_ADDRESS:
          /* Translators: a link's screen-reader name: "Open the address bob@example.org" */
          name = g_strdup_printf (_("Open the address %s"), text);
          tip = _("Open the address");
          break;
        case MW_HEALTH_TARGET_LIST:
        default:
          /* Translators: a link's screen-reader name: "Show example.org in its list" */
          name = g_strdup_printf (_("Show %s in its list"), text);
          tip = _("Show it in its list");
          break;
        }
      /* Translators: a link beside a finding's sample */
      button = gtk_button_new_with_label (C_("link", "Open"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data_full (G_OBJECT (button), "mw-health-sample", mw_health_sample_copy (sample),
                              (GDestroyNotify) mw_health_sample_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_link_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      g_hash_table_insert (self->links, link_key (check, text), button);
    }
  return row;
}

/* The finding's own row: its severity, reason and fix, and how many. */
static GtkWidget *
finding_row (MwHealthPage          *self,
             const MwHealthFinding *finding)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (finding->severity));
  g_autofree char *fix = NULL;
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, finding->count);
  GtkWidget *count_label = gtk_label_new (count);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), finding->reason);
  /* Translators: a finding's fix, below its reason: "Fix: add the alias …" */
  fix = g_strdup_printf (_("Fix: %s"), finding->fix != NULL ? finding->fix : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fix);
  gtk_widget_add_css_class (icon, severity_class (finding->severity));
  gtk_widget_set_tooltip_text (icon, mw_health_severity_label (finding->severity));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  mw_health_severity_label (finding->severity), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (count_label, "numeric");
  gtk_widget_set_tooltip_text (count_label, _("How many it concerns"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), count_label);
  return row;
}

/* "… and 12 more", with the list that shows them all where there is one. */
static GtkWidget *
more_row (MwHealthPage          *self,
          const MwHealthFinding *finding)
{
  GtkWidget *row = adw_action_row_new ();
  guint64 more = finding->count > finding->samples->len ? finding->count - finding->samples->len : 0;
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %" G_GUINT64_FORMAT " more",
                                                        "and %" G_GUINT64_FORMAT " more", more), more);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  if (finding->has_list)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Show in the _List"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Open the list that shows all of them"));
      g_object_set_data_full (G_OBJECT (button), "mw-health-finding", mw_health_finding_copy (finding),
                              (GDestroyNotify) mw_health_finding_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_list_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static gboolean
is_password_check (const char *check)
{
  return g_str_has_prefix (check, "password");
}

static GtkWidget *
password_buttons (MwHealthPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy List"));
  GtkWidget *export = gtk_button_new_with_mnemonic (_("E_xport…"));

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "health.copy-passwords");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export), "health.export-passwords");
  gtk_widget_set_tooltip_text (copy, _("Copy the accounts to ask for a new password, one a line"));
  gtk_widget_set_tooltip_text (export, _("Save the accounts to ask for a new password as a text file"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy the accounts to ask for a new password"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (export), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Export the accounts to ask for a new password"), -1);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_add_css_class (export, "flat");
  gtk_box_append (GTK_BOX (box), copy);
  gtk_box_append (GTK_BOX (box), export);
  return box;
}

static void
add_check_group (MwHealthPage              *self,
                 const MwHealthCheckResult *result)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  gboolean weak_passwords = FALSE;

  adw_preferences_group_set_title (group, result->title);
  if (result->findings->len == 0)
    adw_preferences_group_set_description (group, _("Nothing found: all is well here."));
  for (guint i = 0; i < result->findings->len; i++)
    {
      const MwHealthFinding *finding = g_ptr_array_index (result->findings, i);

      adw_preferences_group_add (group, finding_row (self, finding));
      for (guint j = 0; j < finding->samples->len; j++)
        adw_preferences_group_add (group, sample_row (self, result->check, g_ptr_array_index (finding->samples, j)));
      /* Each sample has its own link: the list is offered for the rest. */
      if (finding->count > finding->samples->len)
        adw_preferences_group_add (group, more_row (self, finding));
      self->n_findings++;
      weak_passwords = weak_passwords || finding->severity != MW_HEALTH_SEVERITY_INFO;
    }
  if (result->findings->len > 0)
    self->n_problem_checks++;
  if (is_password_check (result->check) && weak_passwords)
    adw_preferences_group_set_header_suffix (group, password_buttons (self));
  adw_preferences_page_add (self->findings_page, group);
  g_ptr_array_add (self->groups, group);
  g_ptr_array_add (self->results, mw_health_check_result_copy (result));
}

/* The run */

static void
on_check_done_cb (const MwHealthCheckResult *result,
                  guint                      done,
                  guint                      total,
                  gpointer                   user_data)
{
  MwHealthPage *self = user_data;
  g_autofree char *text = NULL;
  g_autofree char *fraction = NULL;

  if (self->session == NULL)
    return;
  add_check_group (self, result);
  /* Translators: the progress of the health checks: "3 of 12 checks done" */
  fraction = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u check done", "%u of %u checks done", total),
                              done, total);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0.0);
  gtk_progress_bar_set_text (self->progress_bar, fraction);
  /* Translators: "3 of 12 checks done; 4 findings so far." */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checking… %s; %u finding so far.",
                                       "Checking… %s; %u findings so far.", self->n_findings),
                          fraction, self->n_findings);
  set_status (self, text);
}

static char *
summary (MwHealthPage *self,
         guint         n_checks)
{
  g_autofree char *checks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u check ran", "%u checks ran",
                                                          n_checks), n_checks);

  if (self->n_findings == 0)
    /* Translators: "12 checks ran: nothing found." */
    return g_strdup_printf (_("%s: nothing found."), checks);
  /* Translators: "12 checks ran: 5 findings in 3 checks." */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u finding in %u of them.",
                                       "%s: %u findings in %u of them.", self->n_findings),
                          checks, self->n_findings, self->n_problem_checks);
}

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(MwHealthPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = mw_session_run_health_finish (MW_SESSION (source), res, &error);

  if (results != NULL)
    g_ptr_array_set_free_func (results, (GDestroyNotify) mw_health_check_result_free);
  if (self->session == NULL)
    return;
  self->running = FALSE;
  g_clear_object (&self->cancellable);
  if (results != NULL)
    {
      g_autofree char *text = summary (self, results->len);

      set_status (self, text);
    }
  else if (is_cancelled (error))
    {
      g_autofree char *done = summary (self, self->results->len);
      /* Translators: "Stopped. 4 checks ran: 2 findings in 1 of them." */
      g_autofree char *text = g_strdup_printf (_("Stopped. %s"), done);

      set_status (self, text);
    }
  else
    set_status (self, error->message);
  update_actions (self);
}

static void
run_action (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  MwHealthPage *self = MW_HEALTH_PAGE (widget);

  if (self->running)
    return;
  clear_groups (self);
  self->running = TRUE;
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting the checks…"));
  set_status (self, _("Checking…"));
  update_actions (self);
  mw_session_run_health_async (self->session, NULL, 0, on_check_done_cb, self, self->cancellable, on_run_done_cb,
                               g_object_ref (self));
  /* Stop has the focus while the checks run (Run Checks is off). */
  gtk_widget_grab_focus (self->stop_button);
}

static void
stop_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwHealthPage *self = MW_HEALTH_PAGE (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_grab_focus (self->run_button);
}

static void
on_cleanup_dialog_destroyed (gpointer  data,
                             GObject  *where)
{
  MwHealthPage *self = data;

  self->cleanup_dialog = NULL;
}

static void
cleanup_action (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  MwHealthPage *self = MW_HEALTH_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->cleanup_dialog == NULL)
    {
      self->cleanup_dialog = GTK_WINDOW (mw_cleanup_dialog_new (self->session));
      if (GTK_IS_WINDOW (root))
        gtk_window_set_transient_for (self->cleanup_dialog, GTK_WINDOW (root));
      g_object_weak_ref (G_OBJECT (self->cleanup_dialog), on_cleanup_dialog_destroyed, self);
    }
  gtk_window_present (self->cleanup_dialog);
}

/* The password list: every sample of the weak findings, read again. */

typedef struct
{
  MwHealthPage *self;
  char         *check;
  GFile        *file;     /* NULL: to the clipboard */
} PasswordJob;

static void
password_job_free (PasswordJob *job)
{
  g_object_unref (job->self);
  g_free (job->check);
  g_clear_object (&job->file);
  g_free (job);
}

static char *
password_text (GPtrArray *results)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < results->len; i++)
    {
      const MwHealthCheckResult *result = g_ptr_array_index (results, i);

      for (guint j = 0; j < result->findings->len; j++)
        {
          const MwHealthFinding *finding = g_ptr_array_index (result->findings, j);

          if (finding->severity == MW_HEALTH_SEVERITY_INFO)
            continue;
          for (guint k = 0; k < finding->samples->len; k++)
            {
              const MwHealthSample *sample = g_ptr_array_index (finding->samples, k);

              if (sample->target != MW_HEALTH_TARGET_ACCOUNT || sample->label == NULL ||
                  !g_hash_table_add (seen, sample->label))
                continue;
              g_string_append (text, sample->label);
              g_string_append_c (text, '\n');
            }
        }
    }
  return g_string_free (text, FALSE);
}

static void
on_passwords_read_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  PasswordJob *job = user_data;
  MwHealthPage *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = mw_session_run_health_finish (MW_SESSION (source), res, &error);
  g_autofree char *text = NULL;
  guint lines = 0;

  if (results != NULL)
    g_ptr_array_set_free_func (results, (GDestroyNotify) mw_health_check_result_free);
  self->reading_passwords--;
  if (self->session == NULL)
    {
      password_job_free (job);
      return;
    }
  update_actions (self);
  if (results == NULL)
    {
      if (!is_cancelled (error))
        set_status (self, error->message);
      password_job_free (job);
      return;
    }
  text = password_text (results);
  for (const char *p = text; *p != '\0'; p++)
    lines += *p == '\n';
  g_free (self->password_list);
  self->password_list = g_strdup (text);
  if (job->file == NULL)
    {
      g_autofree char *msg = NULL;

      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
      /* Translators: after Copy List: "Copied 3 accounts to ask for a new password." */
      msg = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copied %u account to ask for a new password.",
                                          "Copied %u accounts to ask for a new password.", lines), lines);
      set_status (self, msg);
    }
  else
    {
      g_autofree char *path = g_file_get_parse_name (job->file);
      g_autofree char *msg = NULL;

      if (!g_file_replace_contents (job->file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL,
                                    &error))
        /* Translators: "Could not save /home/me/list.txt: Permission denied" */
        msg = g_strdup_printf (_("Could not save %s: %s"), path, error->message);
      else
        /* Translators: "Saved 3 accounts to ask for a new password in /home/me/list.txt." */
        msg = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saved %u account to ask for a new password in %s.",
                                            "Saved %u accounts to ask for a new password in %s.", lines),
                               lines, path);
      set_status (self, msg);
    }
  password_job_free (job);
}

static const char *
password_check (MwHealthPage *self)
{
  for (guint i = 0; i < self->results->len; i++)
    {
      const MwHealthCheckResult *result = g_ptr_array_index (self->results, i);

      if (is_password_check (result->check))
        return result->check;
    }
  return NULL;
}

static void
read_passwords (MwHealthPage *self,
                GFile        *file)
{
  const char *check = password_check (self);
  PasswordJob *job;
  const char *only[2] = { NULL, NULL };

  if (check == NULL)
    return;
  job = g_new0 (PasswordJob, 1);
  job->self = g_object_ref (self);
  job->check = g_strdup (check);
  job->file = file != NULL ? g_object_ref (file) : NULL;
  only[0] = job->check;
  self->reading_passwords++;
  update_actions (self);
  set_status (self, _("Reading the accounts to ask for a new password…"));
  mw_session_run_health_async (self->session, only, G_MAXUINT, NULL, NULL, self->life, on_passwords_read_cb, job);
}

static void
copy_passwords_action (GtkWidget  *widget,
                       const char *action,
                       GVariant   *param)
{
  read_passwords (MW_HEALTH_PAGE (widget), NULL);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        MwHealthPage    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        read_passwords (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
export_passwords_action (GtkWidget  *widget,
                         const char *action,
                         GVariant   *param)
{
  MwHealthPage *self = MW_HEALTH_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export the Accounts to Ask for a New Password"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* Translators: the file name offered for the password list */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("accounts-new-password.txt"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Public */

MwHealthPage *
mw_health_page_new (MwSession *session)
{
  MwHealthPage *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_HEALTH_PAGE, NULL);
  self->session = g_object_ref (session);
  if (!mw_schema_has_health (mw_session_get_schema (session)))
    set_status (self, _("This kind of mail database has no health checks."));
  update_actions (self);
  return self;
}

gboolean
mw_health_page_is_running (MwHealthPage *self)
{
  g_return_val_if_fail (MW_IS_HEALTH_PAGE (self), FALSE);

  return self->running || self->reading_passwords > 0;
}

const char *
mw_health_page_get_status (MwHealthPage *self)
{
  g_return_val_if_fail (MW_IS_HEALTH_PAGE (self), NULL);

  return gtk_label_get_text (self->status_label);
}

char *
mw_health_page_dup_text (MwHealthPage *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (MW_IS_HEALTH_PAGE (self), NULL);

  for (guint i = 0; i < self->results->len; i++)
    {
      const MwHealthCheckResult *result = g_ptr_array_index (self->results, i);

      g_string_append_printf (text, "%s\n", result->title);
      for (guint j = 0; j < result->findings->len; j++)
        {
          const MwHealthFinding *finding = g_ptr_array_index (result->findings, j);

          g_string_append_printf (text, "%s\n%s\n", finding->reason, finding->fix);
          for (guint k = 0; k < finding->samples->len; k++)
            {
              g_autofree char *shown = sample_text (g_ptr_array_index (finding->samples, k));

              g_string_append_printf (text, "%s\n", shown);
            }
        }
    }
  return g_string_free (text, FALSE);
}

gboolean
mw_health_page_press_link (MwHealthPage *self,
                           const char   *check,
                           const char   *label)
{
  g_autofree char *key = NULL;
  GtkWidget *button;

  g_return_val_if_fail (MW_IS_HEALTH_PAGE (self), FALSE);

  key = link_key (check, label);
  button = g_hash_table_lookup (self->links, key);
  if (button == NULL || !gtk_widget_is_sensitive (button))
    return FALSE;
  g_signal_emit_by_name (button, "clicked");
  return TRUE;
}

const char *
mw_health_page_get_password_list (MwHealthPage *self)
{
  g_return_val_if_fail (MW_IS_HEALTH_PAGE (self), NULL);

  return self->password_list;
}

GtkWindow *
mw_health_page_get_cleanup_dialog (MwHealthPage *self)
{
  g_return_val_if_fail (MW_IS_HEALTH_PAGE (self), NULL);

  return self->cleanup_dialog;
}

static void
mw_health_page_dispose (GObject *object)
{
  MwHealthPage *self = MW_HEALTH_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->life);
  if (self->cleanup_dialog != NULL)
    {
      g_object_weak_unref (G_OBJECT (self->cleanup_dialog), on_cleanup_dialog_destroyed, self);
      gtk_window_destroy (self->cleanup_dialog);
      self->cleanup_dialog = NULL;
    }
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  /* Callbacks still to come find no session and do nothing. */
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_HEALTH_PAGE);

  G_OBJECT_CLASS (mw_health_page_parent_class)->dispose (object);
}

static void
mw_health_page_finalize (GObject *object)
{
  MwHealthPage *self = MW_HEALTH_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->life);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->links, g_hash_table_unref);
  g_free (self->status);
  g_free (self->password_list);

  G_OBJECT_CLASS (mw_health_page_parent_class)->finalize (object);
}

static void
mw_health_page_class_init (MwHealthPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_health_page_dispose;
  object_class->finalize = mw_health_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-health-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwHealthPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, MwHealthPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, MwHealthPage, cleanup_button);
  gtk_widget_class_bind_template_child (widget_class, MwHealthPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MwHealthPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MwHealthPage, findings_page);

  gtk_widget_class_install_action (widget_class, "health.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "health.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "health.cleanup", NULL, cleanup_action);
  gtk_widget_class_install_action (widget_class, "health.copy-passwords", NULL, copy_passwords_action);
  gtk_widget_class_install_action (widget_class, "health.export-passwords", NULL, export_passwords_action);
  /* F5 in the main window (mw_window_add_page). */
  gtk_widget_class_install_action (widget_class, "page.reload", NULL, run_action);
}

static void
mw_health_page_init (MwHealthPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->life = g_cancellable_new ();
  self->groups = g_ptr_array_new ();
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_health_check_result_free);
  self->links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->findings_page), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Findings"), -1);
}
