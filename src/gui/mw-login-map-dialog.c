/* mw-login-map-dialog.c: adding, changing and deleting login maps from the
 * Login Maps list. The Add dialog takes the login, the user (for the login
 * ANY a format with one %s) and the sockets; the core checks them and its
 * refusal is shown in a dialog as its sentence. A row of the list opens the
 * same fields filled in, to change (its sockets above all) or delete it. Everything runs on the session's workers; the
 * session's "changed" reloads the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-login-map-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-login-map-dialog.h"

static const char *const field_names[] = { "login", "user", "allow", "deny" };
static const char *const field_titles[] = {
  N_("Login (ANY for every login)"),
  /* xgettext:no-c-format */
  N_("User (for ANY a format such as %s@example.org)"),
  N_("Allowed Socket (empty: every socket)"), N_("Denied Socket (empty: none)"),
};

static void
show_refusal (GtkWindow  *parent,
              const char *heading,
              const char *message)
{
  AdwMessageDialog *d = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, message));

  adw_message_dialog_add_response (d, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (d));
}

static void
on_added_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwLoginMap) stored = mw_session_add_login_map_finish (MW_SESSION (source), result, &error);

  if (stored == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
    show_refusal (parent, _("The Login Map Was Not Added"), error->message);
}

static void
on_add_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    MwSession        *session)
{
  g_autoptr(MwLoginMap) map = NULL;
  const char *v[4];

  if (!g_str_equal (response, "add"))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    v[i] = gtk_editable_get_text (mw_login_map_dialog_get_field (dialog, field_names[i]));
  map = mw_login_map_new (v[0], v[2], v[3], v[1]);
  mw_session_add_login_map_async (session, map, FALSE, NULL, on_added_cb,
                                  g_object_ref (gtk_window_get_transient_for (GTK_WINDOW (dialog))));
}

/* The four fields in a boxed list, as the dialog's extra child. */
static void
add_fields (AdwMessageDialog *dialog)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    {
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field_titles[i]));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_object_set_data (G_OBJECT (dialog), field_names[i], row);
    }
  adw_message_dialog_set_extra_child (dialog, list);
}

AdwMessageDialog *
mw_login_map_open_add (GtkWindow *parent,
                       MwSession *session)
{
  AdwMessageDialog *dialog;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Add a Login Map"),
                                                       _("Which user a login name logs in as, on which server "
                                                         "sockets. DBMail consults login maps only when their "
                                                         "table exists.")));
  add_fields (dialog);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_add_response_cb), g_object_ref (session),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

GtkEditable *
mw_login_map_dialog_get_field (AdwMessageDialog *dialog,
                               const char       *name)
{
  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (dialog), NULL);

  return g_object_get_data (G_OBJECT (dialog), name);
}

/* Changing a map */

typedef struct
{
  GtkWindow             *parent;    /* (owned) */
  MwLoginMapChangedFunc  done;
  gpointer               data;
  GDestroyNotify         data_free;
} EditCall;

static void
edit_call_free (EditCall *call)
{
  g_clear_object (&call->parent);
  if (call->data_free != NULL && call->data != NULL)
    call->data_free (call->data);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EditCall, edit_call_free)

static EditCall *
edit_call_new (AdwMessageDialog *dialog)
{
  EditCall *call = g_new0 (EditCall, 1);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  call->parent = parent != NULL ? g_object_ref (parent) : NULL;
  call->done = g_object_get_data (G_OBJECT (dialog), "mw-done");
  call->data = g_object_steal_data (G_OBJECT (dialog), "mw-done-data");
  call->data_free = g_object_get_data (G_OBJECT (dialog), "mw-done-free");
  return call;
}

static void
on_updated_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EditCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwLoginMap) before = mw_session_update_login_map_finish (MW_SESSION (source), result, &error);

  if (before == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
    show_refusal (call->parent, _("The Login Map Was Not Changed"), error->message);
  if (call->done != NULL)
    call->done (before, error, call->data);
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwLoginMap) before = mw_session_delete_login_map_finish (MW_SESSION (source), result, &error);

  if (before == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
    show_refusal (parent, _("The Login Map Was Not Deleted"), error->message);
}

static void
on_edit_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     MwSession        *session)
{
  const char *key = g_object_get_data (G_OBJECT (dialog), "mw-key");
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (g_str_equal (response, "delete"))
    mw_session_delete_login_map_async (session, key, FALSE, NULL, on_deleted_cb,
                                       parent != NULL ? g_object_ref (parent) : NULL);
  else if (g_str_equal (response, "save"))
    {
      g_autoptr(MwLoginMap) map = NULL;
      const char *v[4];

      for (guint i = 0; i < G_N_ELEMENTS (v); i++)
        v[i] = gtk_editable_get_text (mw_login_map_dialog_get_field (dialog, field_names[i]));
      map = mw_login_map_new (v[0], v[2], v[3], v[1]);
      mw_session_update_login_map_async (session, key, map, FALSE, NULL, on_updated_cb, edit_call_new (dialog));
    }
}

static void
fill_fields (AdwMessageDialog *dialog,
             const MwLoginMap *map)
{
  const char *v[4] = { map->login, map->user, map->allow, map->deny };

  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    gtk_editable_set_text (mw_login_map_dialog_get_field (dialog, field_names[i]), v[i] != NULL ? v[i] : "");
  adw_message_dialog_set_response_enabled (dialog, "save", TRUE);
}

/* "Change the Login Map": the fields, Cancel, Delete (only with
 * @with_delete) and Save (enabled once the fields hold the map). */
static AdwMessageDialog *
edit_dialog_new (GtkWindow  *parent,
                 MwSession  *session,
                 const char *key,
                 gboolean    with_delete)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Change the Login Map"),
                                                       _("Which user the login logs in as, on which server "
                                                         "sockets: DBMail refuses the login on the denied socket "
                                                         "and maps it only on the allowed one.")));
  add_fields (dialog);
  g_object_set_data_full (G_OBJECT (dialog), "mw-key", g_strdup (key), g_free);
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  if (with_delete)
    {
      adw_message_dialog_add_response (dialog, "delete", _("_Delete"));
      adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_add_response (dialog, "save", _("_Save"));
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", FALSE);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_edit_response_cb), g_object_ref (session),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  return dialog;
}

AdwMessageDialog *
mw_login_map_open_edit (GtkWindow             *parent,
                        MwSession             *session,
                        const MwLoginMap      *map,
                        MwLoginMapChangedFunc  done,
                        gpointer               data,
                        GDestroyNotify         data_free)
{
  AdwMessageDialog *dialog;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (map != NULL && map->key != NULL, NULL);

  dialog = edit_dialog_new (parent, session, map->key, FALSE);
  g_object_set_data (G_OBJECT (dialog), "mw-done", done);
  g_object_set_data_full (G_OBJECT (dialog), "mw-done-data", data, data_free);
  g_object_set_data (G_OBJECT (dialog), "mw-done-free", data_free);
  fill_fields (dialog, map);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* The list row's map, read afresh (the list may be older than the row). */
static void
on_row_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AdwMessageDialog) dialog = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) maps = mw_session_list_login_maps_finish (MW_SESSION (source), result, &error);
  const char *key = g_object_get_data (G_OBJECT (dialog), "mw-key");

  if (maps == NULL)
    return;
  g_ptr_array_set_free_func (maps, (GDestroyNotify) mw_login_map_free);
  for (guint i = 0; i < maps->len; i++)
    {
      MwLoginMap *map = g_ptr_array_index (maps, i);

      if (g_strcmp0 (map->key, key) == 0)
        {
          fill_fields (dialog, map);
          return;
        }
    }
}

AdwMessageDialog *
mw_login_map_open_actions (GtkWindow  *parent,
                           MwSession  *session,
                           const char *key)
{
  AdwMessageDialog *dialog;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  dialog = edit_dialog_new (parent, session, key, TRUE);
  mw_session_list_login_maps_async (session, NULL, NULL, on_row_read_cb, g_object_ref (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
