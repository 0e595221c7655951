/* mw-filter-dialog.c: "Add a Filter" for server-side filters: the header,
 * the value (matched as DBMail does, like SQL LIKE ignoring case) and the
 * folder; on the main window's Filters list also "For everyone" or a user.
 * The account window's Rules tab uses the dialog for a user's filter; the
 * Filters list adds with it, asks again with the core's sentence after a
 * refusal, and deletes a row with Undo in a toast. Everything runs on the
 * session's workers; the session's "changed" reloads the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-filter-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-filter-dialog.h"
#include "mw-window.h"

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED);
}

static GtkWidget *
entry_row (GtkWidget  *list,
           const char *title,
           const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static void
on_everyone_cb (GtkSwitch  *everyone,
                GParamSpec *pspec,
                GtkWidget  *user_row)
{
  gtk_widget_set_sensitive (user_row, !gtk_switch_get_active (everyone));
}

AdwMessageDialog *
mw_filter_dialog_new (GtkWindow      *parent,
                      gboolean        ask_owner,
                      const MwFilter *typed,
                      const char     *user,
                      const char     *error)
{
  AdwMessageDialog *dialog;
  GtkWidget *list = gtk_list_box_new ();
  GObject *d;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    parent, _("Add a Filter"),
    error != NULL ? error
                  : _("New mail whose header holds the value goes into the folder. In the value, a percent sign "
                      "stands for any text and an underscore for any one character; capitals and small letters "
                      "are the same (as in SQL LIKE, as DBMail compares).")));
  d = G_OBJECT (dialog);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("The new filter"), -1);
  if (ask_owner)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *everyone = gtk_switch_new ();
      GtkWidget *user_row;

      /* Translators: a filter of the user "anyone", applied to every user's mail */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("For everyone"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Otherwise for the user below"));
      gtk_widget_set_valign (everyone, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (everyone), typed == NULL || typed->global);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), everyone);
      /* Names the switch for screen readers too. */
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), everyone);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      /* Translators: the login name of the user a filter is for */
      user_row = entry_row (list, _("User"), user);
      gtk_widget_set_sensitive (user_row, !gtk_switch_get_active (GTK_SWITCH (everyone)));
      g_signal_connect_object (everyone, "notify::active", G_CALLBACK (on_everyone_cb), user_row, 0);
      g_object_set_data (d, "everyone", everyone);
      g_object_set_data (d, "user", user_row);
    }
  /* Translators: a filter's header name, "subject" or "x-spam-flag" */
  g_object_set_data (d, "header", entry_row (list, _("Header"), typed != NULL ? typed->header_name : NULL));
  /* Translators: what the header must hold for a filter to file the message */
  g_object_set_data (d, "value", entry_row (list, _("Value"), typed != NULL ? typed->header_value : NULL));
  /* Translators: the folder a filter files matching messages into */
  g_object_set_data (d, "folder", entry_row (list, _("Folder"), typed != NULL ? typed->mailbox : NULL));
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "add");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

GtkWidget *
mw_filter_dialog_get_field (AdwMessageDialog *dialog,
                            const char       *name)
{
  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (dialog), NULL);

  return g_object_get_data (G_OBJECT (dialog), name);
}

static char *
field_text (AdwMessageDialog *dialog,
            const char       *name,
            gboolean          strip)
{
  char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (mw_filter_dialog_get_field (dialog, name))));

  return strip ? g_strstrip (text) : text;
}

MwFilter *
mw_filter_dialog_get_filter (AdwMessageDialog *dialog)
{
  MwFilter *filter = mw_filter_new ();
  GtkWidget *everyone = mw_filter_dialog_get_field (dialog, "everyone");

  filter->global = everyone != NULL && gtk_switch_get_active (GTK_SWITCH (everyone));
  filter->header_name = field_text (dialog, "header", TRUE);
  filter->header_value = field_text (dialog, "value", FALSE);
  filter->mailbox = field_text (dialog, "folder", TRUE);
  return filter;
}

const char *
mw_filter_dialog_get_user (AdwMessageDialog *dialog)
{
  GtkWidget *everyone = mw_filter_dialog_get_field (dialog, "everyone");

  if (everyone == NULL || gtk_switch_get_active (GTK_SWITCH (everyone)))
    return NULL;
  return gtk_editable_get_text (GTK_EDITABLE (mw_filter_dialog_get_field (dialog, "user")));
}

/* The Filters list */

typedef struct
{
  GtkWindow *parent;
  MwSession *session;
  MwFilter  *typed;
  char      *user;
} AddJob;

static void
add_job_free (AddJob *job)
{
  g_clear_object (&job->parent);
  g_clear_object (&job->session);
  g_clear_pointer (&job->typed, mw_filter_free);
  g_free (job->user);
  g_free (job);
}

static AdwMessageDialog *open_add (GtkWindow *parent, MwSession *session, const MwFilter *typed, const char *user,
                                   const char *error);

static void
on_added_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AddJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFilter) stored = mw_session_add_filter_finish (MW_SESSION (source), result, &error);

  /* Refused: asked again with what was typed and the core's sentence. */
  if (stored == NULL && !is_cancelled (error))
    open_add (job->parent, job->session, job->typed, job->user, error->message);
  add_job_free (job);
}

static void
start_add (GtkWindow      *parent,
           MwSession      *session,
           const MwFilter *filter,
           const char     *user)
{
  AddJob *job = g_new0 (AddJob, 1);

  job->parent = parent != NULL ? g_object_ref (parent) : NULL;
  job->session = g_object_ref (session);
  job->typed = mw_filter_copy (filter);
  job->user = g_strdup (user);
  mw_session_add_filter_async (session, filter->global ? NULL : user, filter, FALSE, NULL, on_added_cb, job);
}

static void
on_add_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    MwSession        *session)
{
  g_autoptr(MwFilter) filter = NULL;

  if (!g_str_equal (response, "add"))
    return;
  filter = mw_filter_dialog_get_filter (dialog);
  start_add (gtk_window_get_transient_for (GTK_WINDOW (dialog)), session, filter,
             gtk_editable_get_text (GTK_EDITABLE (mw_filter_dialog_get_field (dialog, "user"))));
}

static AdwMessageDialog *
open_add (GtkWindow      *parent,
          MwSession      *session,
          const MwFilter *typed,
          const char     *user,
          const char     *error)
{
  AdwMessageDialog *dialog = mw_filter_dialog_new (parent, TRUE, typed, user, error);

  g_signal_connect_data (dialog, "response", G_CALLBACK (on_add_response_cb), g_object_ref (session),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

AdwMessageDialog *
mw_filter_open_add (GtkWindow *parent,
                    MwSession *session)
{
  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  return open_add (parent, session, NULL, NULL, NULL);
}

static void
show_refusal (GtkWindow  *parent,
              const char *message)
{
  AdwMessageDialog *d = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("The Filter Was Not Deleted"),
                                                                    message));

  adw_message_dialog_add_response (d, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (d));
}

static void
on_undo_cb (AdwToast *toast,
            gpointer  user_data)
{
  MwFilter *before = g_object_get_data (G_OBJECT (toast), "mw-filter");
  MwSession *session = g_object_get_data (G_OBJECT (toast), "mw-session");
  GtkWindow *parent = g_object_get_data (G_OBJECT (toast), "mw-parent");

  if (before == NULL || session == NULL)
    return;
  start_add (parent, session, before, before->user);
  /* Once only. */
  g_object_set_data (G_OBJECT (toast), "mw-filter", NULL);
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFilter) before = mw_session_delete_filter_finish (MW_SESSION (source), result, &error);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (before == NULL)
    {
      if (!is_cancelled (error))
        show_refusal (parent, error->message);
      return;
    }
  if (!MW_IS_WINDOW (parent))
    return;
  /* Translators: a toast; the two %s are a filter's header and value, "subject: %invoice%" */
  text = g_strdup_printf (_("Deleted the filter %s: %s"), before->header_name, before->header_value);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "mw-session", g_object_ref (source), g_object_unref);
  g_object_set_data (G_OBJECT (toast), "mw-parent", parent);
  g_object_set_data_full (G_OBJECT (toast), "mw-filter", g_steal_pointer (&before),
                          (GDestroyNotify) mw_filter_free);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo_cb), NULL);
  /* Kept by the window, so Undo still works for a test once it timed out. */
  g_object_set_data_full (G_OBJECT (parent), "mw-filter-undo-toast", g_object_ref (toast), g_object_unref);
  mw_window_add_toast (MW_WINDOW (parent), toast);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwSession        *session)
{
  gint64 *id = g_object_get_data (G_OBJECT (dialog), "mw-id");

  if (!g_str_equal (response, "delete"))
    return;
  mw_session_delete_filter_async (session, *id, FALSE, NULL, on_deleted_cb,
                                  g_object_ref (gtk_window_get_transient_for (GTK_WINDOW (dialog))));
}

AdwMessageDialog *
mw_filter_open_actions (GtkWindow *parent,
                        MwSession *session,
                        gint64     id)
{
  AdwMessageDialog *dialog;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (id > 0, NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Delete This Filter?"),
                                                       _("DBMail then files new mail by it no more.")));
  g_object_set_data_full (G_OBJECT (dialog), "mw-id", g_memdup2 (&id, sizeof id), g_free);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_response_cb), g_object_ref (session),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

AdwToast *
mw_filter_get_undo_toast (GtkWindow *parent)
{
  return g_object_get_data (G_OBJECT (parent), "mw-filter-undo-toast");
}
