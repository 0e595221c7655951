/* mw-group-actions.c: what an admin does to a whole group: a new domain for all, or delete it.
 *
 * Both start with a dry run on a worker (the core rolls it back), so the
 * question shows exactly what the change will do, then run for real in one
 * transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-group-actions"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-group-actions.h"
#include "mw-window.h"

#define PREVIEW_LINES 12

typedef struct
{
  GtkWindow *parent;      /* weak */
  MwSession *session;
  gint64     group;
  char      *domain;
  gboolean   delete;
  gboolean   dry_run;
} GroupJob;

static void
group_job_free (gpointer data)
{
  GroupJob *job = data;

  g_clear_weak_pointer (&job->parent);
  g_clear_object (&job->session);
  g_free (job->domain);
  g_free (job);
}

static GroupJob *
group_job_copy (const GroupJob *job,
                gboolean        dry_run)
{
  GroupJob *copy = g_new0 (GroupJob, 1);

  g_set_weak_pointer (&copy->parent, job->parent);
  copy->session = g_object_ref (job->session);
  copy->group = job->group;
  copy->domain = g_strdup (job->domain);
  copy->delete = job->delete;
  copy->dry_run = dry_run;
  return copy;
}

static void run_job (GroupJob *job);

static void
set_dialog (GtkWindow        *parent,
            AdwMessageDialog *dialog)
{
  g_object_set_data (G_OBJECT (parent), "mw-group-dialog", dialog);
}

static void
set_result (GtkWindow  *parent,
            const char *text)
{
  g_object_set_data_full (G_OBJECT (parent), "mw-group-result", g_strdup (text), g_free);
}

static void
clear_dialog (GtkWindow *parent)
{
  set_dialog (parent, NULL);
}

/* The end of an action: a toast when it worked, a dialog when not. */
static void
say (GroupJob   *job,
     const char *text,
     gboolean    error)
{
  GtkWidget *dialog;

  set_result (job->parent, text);
  if (!error)
    {
      if (MW_IS_WINDOW (job->parent))
        mw_window_show_toast (MW_WINDOW (job->parent), text);
      return;
    }
  dialog = adw_message_dialog_new (job->parent, _("The Group Was Not Changed"), text);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (clear_dialog), job->parent);
  set_dialog (job->parent, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_confirm_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  GroupJob *job = user_data;

  if (job->parent != NULL)
    set_dialog (job->parent, NULL);
  if (g_str_equal (response, "apply") && job->parent != NULL)
    run_job (group_job_copy (job, FALSE));
}

static void
ask (GroupJob   *job,
     const char *heading,
     const char *body,
     const char *apply_label,
     gboolean    destructive)
{
  GtkWidget *dialog = adw_message_dialog_new (job->parent, heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "apply", apply_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), destructive ? "cancel" : "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_confirm_response_cb), group_job_copy (job, FALSE),
                         (GClosureNotify) (void (*) (void)) group_job_free, 0);
  set_dialog (job->parent, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A session call cancelled before it ran says MW_DB_ERROR_CANCELLED, one
 * cancelled while it ran may say G_IO_ERROR_CANCELLED (mw-session.h). */
static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
on_group_job_done_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  GroupJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) created = NULL;
  MwDeleteSummary summary = { 0 };
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, job->group);
  gboolean ok;

  if (job->delete)
    ok = mw_session_delete_accounts_finish (job->session, res, &summary, &error);
  else
    ok = (created = mw_session_group_add_domain_finish (job->session, res, &error)) != NULL;
  if (job->parent == NULL || is_cancelled (error))
    goto out;
  if (!ok)
    {
      say (job, error->message, TRUE);
      goto out;
    }

  if (job->delete && job->dry_run)
    {
      g_autofree char *what = mw_delete_summary_describe (&summary);
      /* Translators: "Delete Group 7?" */
      g_autofree char *heading = g_strdup_printf (_("Delete Group %s?"), number);
      /* The summary is a sentence of its own: "12 users with 30 mailboxes and …". */
      g_autofree char *body = g_strdup_printf ("%s\n%s", what,
                                               _("Message bodies that accounts outside the group still hold are "
                                                 "kept. This cannot be undone."));

      ask (job, heading, body, _("_Delete Group"), TRUE);
    }
  else if (job->delete)
    {
      g_autofree char *what = mw_delete_summary_describe (&summary);
      /* Translators: a toast; %s is a sentence: "Deleted: 12 users with 30 mailboxes and …" */
      g_autofree char *text = g_strdup_printf (C_("group", "Deleted: %s"), what);

      say (job, text, FALSE);
    }
  else if (job->dry_run)
    {
      guint n = g_strv_length (created);
      GString *body = g_string_new (NULL);
      g_autofree char *heading = NULL;

      if (n == 0)
        {
          g_autofree char *text = g_strdup_printf (_("Every user of group %s already has an address at %s."),
                                                   number, job->domain);

          say (job, text, TRUE);
          g_string_free (body, TRUE);
          goto out;
        }
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Add %u Alias?", "Add %u Aliases?", n), n);
      for (guint i = 0; i < n && i < PREVIEW_LINES; i++)
        {
          g_autofree char *shown = mw_address_to_display (created[i]);

          g_string_append_printf (body, "%s\n", shown);
        }
      if (n > PREVIEW_LINES)
        g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "… and %u more\n", "… and %u more\n",
                                                   n - PREVIEW_LINES), n - PREVIEW_LINES);
      g_string_append (body, _("Users who already have this address are left out."));
      ask (job, heading, body->str, _("_Add Aliases"), FALSE);
      g_string_free (body, TRUE);
    }
  else
    {
      guint n = g_strv_length (created);
      g_autofree char *shown = n > 0 ? mw_address_to_display (created[0]) : g_strdup (job->domain);
      const char *at = strrchr (shown, '@');
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u alias at %s",
                                                            "Added %u aliases at %s", n), n,
                                               at != NULL ? at + 1 : shown);

      say (job, text, FALSE);
    }

out:
  group_job_free (job);
}

/* The session tells the lists when a real run changed something. */
static void
run_job (GroupJob *job)
{
  set_result (job->parent, NULL);
  if (job->delete)
    mw_session_delete_accounts_async (job->session, NULL, job->group, job->dry_run, NULL, on_group_job_done_cb, job);
  else
    mw_session_group_add_domain_async (job->session, job->group, job->domain, job->dry_run, NULL,
                                       on_group_job_done_cb, job);
}

static GroupJob *
new_job (GtkWindow *parent,
         MwSession *session,
         gint64     group,
         gboolean   delete)
{
  GroupJob *job = g_new0 (GroupJob, 1);

  g_set_weak_pointer (&job->parent, parent);
  job->session = g_object_ref (session);
  job->group = group;
  job->delete = delete;
  job->dry_run = TRUE;
  return job;
}

/* The group number typed in the question, when the caller had none. */
static gboolean
read_group (GtkWidget  *extra,
            gint64     *group)
{
  GtkWidget *spin = g_object_get_data (G_OBJECT (extra), "mw-group-spin");

  if (spin != NULL)
    *group = (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin));
  return TRUE;
}

static void
on_domain_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  GroupJob *job = user_data;
  GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
  GtkEditable *entry = g_object_get_data (G_OBJECT (extra), "mw-domain-entry");

  if (job->parent != NULL)
    set_dialog (job->parent, NULL);
  if (!g_str_equal (response, "preview") || job->parent == NULL)
    return;
  job = group_job_copy (job, TRUE);
  read_group (extra, &job->group);
  g_free (job->domain);
  job->domain = g_strdup (gtk_editable_get_text (entry));
  run_job (job);
}

static void
on_group_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  GroupJob *job = user_data;

  if (job->parent != NULL)
    set_dialog (job->parent, NULL);
  if (!g_str_equal (response, "next") || job->parent == NULL)
    return;
  job = group_job_copy (job, TRUE);
  read_group (adw_message_dialog_get_extra_child (dialog), &job->group);
  run_job (job);
}

/* A box with a group number (when none was given) and, for a domain, its entry. */
static GtkWidget *
make_extra (gint64    group,
            gboolean  with_domain)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  if (group < 0)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new_with_mnemonic (_("_Group number"));
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 9007199254740991.0, 1);

      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), spin);
      gtk_box_append (GTK_BOX (box), row);
      g_object_set_data (G_OBJECT (box), "mw-group-spin", spin);
    }
  if (with_domain)
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("example.com"));
      gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Domain"), -1);
      gtk_box_append (GTK_BOX (box), entry);
      g_object_set_data (G_OBJECT (box), "mw-domain-entry", entry);
    }
  return box;
}

void
mw_group_add_domain (GtkWindow *parent,
                     MwSession *session,
                     gint64     group)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, group);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (MW_IS_SESSION (session));

  if (group >= 0)
    /* Translators: %s is a group number */
    body = g_strdup_printf (_("Each user of group %s gets an alias at the domain, with the local part of its "
                              "first address. You see the list before anything is written."), number);
  else
    body = g_strdup (_("Each user of the group gets an alias at the domain, with the local part of its first "
                       "address. You see the list before anything is written."));
  dialog = adw_message_dialog_new (parent, _("New Domain for the Group"), body);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), make_extra (group, TRUE));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "preview", _("_Preview"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "preview", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "preview");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_domain_response_cb), new_job (parent, session, group, FALSE),
                         (GClosureNotify) (void (*) (void)) group_job_free, 0);
  set_dialog (parent, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
mw_group_delete (GtkWindow *parent,
                 MwSession *session,
                 gint64     group)
{
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (MW_IS_SESSION (session));

  if (group >= 0)
    {
      run_job (new_job (parent, session, group, TRUE));
      return;
    }
  /* Which group first; the next question says what goes. */
  dialog = adw_message_dialog_new (parent, _("Delete a Group"),
                                   _("Every user of the group is deleted with everything they own. "
                                     "The next step shows exactly what that is."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), make_extra (group, FALSE));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "next", _("_Next"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "next");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_group_response_cb), new_job (parent, session, group, TRUE),
                         (GClosureNotify) (void (*) (void)) group_job_free, 0);
  set_dialog (parent, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

AdwMessageDialog *
mw_group_actions_get_dialog (GtkWindow *parent)
{
  return g_object_get_data (G_OBJECT (parent), "mw-group-dialog");
}

const char *
mw_group_actions_get_result (GtkWindow *parent)
{
  return g_object_get_data (G_OBJECT (parent), "mw-group-result");
}
