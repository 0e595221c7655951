/* mw-account-window-usermap.c: the Login Maps group of an account window.
 *
 * Appended to the Account tab where the flavour has login maps (DBMail's
 * table of login maps): the maps that log in as this user (and the ANY maps
 * whose format gives its name), each with its allowed and denied socket and
 * a Delete button; Add… (a dialog: the login, the sockets), Lock (DBMail
 * then refuses every login of the user) and Clear (its maps go), each with
 * Undo in a toast from what the core returned. The group says plainly that
 * DBMail consults the table only when it exists; where it does not, a
 * Create Table… button asks for consent first. Everything talks to the
 * database through the session, on its workers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-account-window-private.h"
#include "mw-account-window-usermap.h"
#include "mw-login-map-dialog.h"

struct _MwAccountUsermap
{
  AdwPreferencesGroup  parent_instance;

  MwSession           *session;
  char                *account_key;
  char                *user;          /* the account's name, for new maps */
  GCancellable        *cancellable;
  AdwToastOverlay     *toast_overlay; /* (weak) the window's */
  guint                busy;
  gboolean             table;         /* the table is there */
  GPtrArray           *maps;          /* MwLoginMap as read */
  GPtrArray           *rows;
  AdwMessageDialog    *dialog;        /* (weak) the one open */
  GtkEditable         *fields[3];     /* (weak) the Add dialog's login, allow, deny */
  char                *last_toast;
  AdwToast            *undo_toast;    /* (weak) */
  void               (*undo) (MwAccountUsermap *self, gpointer data); /* what the last toast's Undo does */
  gpointer             undo_data;
  GDestroyNotify       undo_free;
  AdwToast            *shown_toast;   /* (weak) */

  /* Template widgets */
  GtkButton           *create_button;
  GtkButton           *add_button;
  GtkMenuButton       *more_button;
  GtkLabel            *status_label;
  GtkLabel            *error_label;
  GtkListBox          *list;
};

G_DEFINE_FINAL_TYPE (MwAccountUsermap, mw_account_usermap, ADW_TYPE_PREFERENCES_GROUP)

static const char *const field_names[] = { "login", "allow", "deny" };

static void load (MwAccountUsermap *self);

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
show_error (MwAccountUsermap *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_actions (MwAccountUsermap *self)
{
  gboolean idle = self->busy == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "usermap.add", idle && self->table);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "usermap.lock", idle && self->table);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "usermap.clear", idle && self->table && self->maps != NULL &&
                                 self->maps->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "usermap.create-table", idle && !self->table);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "usermap.delete", idle && self->table);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "usermap.edit", idle && self->table);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), !self->table);
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), self->table);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->table);
}

/* A socket as a person reads it. */
static const char *
socket_text (const char *socket,
             gboolean    denied)
{
  if (socket != NULL && socket[0] != '\0')
    return socket;
  /* Translators: an empty socket: allowed on every socket, or denied on none */
  return denied ? C_("denied socket", "none") : C_("allowed socket", "every socket");
}

static void
show_maps (MwAccountUsermap *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->list, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->status_label), !self->table || self->maps->len == 0);
  gtk_label_set_text (self->status_label,
                      !self->table ? _("This database has no table of login maps, so DBMail maps no logins.")
                                   : _("No login maps: the user logs in with its own name on every socket."));
  gtk_widget_set_visible (GTK_WIDGET (self->list), self->maps->len > 0);

  for (guint i = 0; i < self->maps->len; i++)
    {
      MwLoginMap *m = g_ptr_array_index (self->maps, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      /* Translators: a login map: "allowed: inet:192.0.2.10:143 · denied: none → alice" */
      g_autofree char *subtitle = g_strdup_printf (_("allowed: %s · denied: %s → %s"), socket_text (m->allow, FALSE),
                                                   socket_text (m->deny, TRUE), m->user);
      /* Translators: the Delete button's name for a screen reader: "Delete the login map of alice" */
      g_autofree char *label = g_strdup_printf (_("Delete the login map of %s"), m->login);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), m->login);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Delete"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "usermap.delete");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", m->key);
      {
        GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
        /* Translators: the Change button's name for a screen reader: "Change the login map of alice" */
        g_autofree char *edit_label = g_strdup_printf (_("Change the login map of %s"), m->login);

        gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (edit, "flat");
        /* Translators: the tooltip of a login map's button that opens its fields (sockets, user) */
        gtk_widget_set_tooltip_text (edit, _("Change…"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL, edit_label, -1);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (edit), "usermap.edit");
        gtk_actionable_set_action_target (GTK_ACTIONABLE (edit), "s", m->key);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
      }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->list, row);
      g_ptr_array_add (self->rows, row);
    }
  update_actions (self);
}

static void
clear_undo (MwAccountUsermap *self)
{
  if (self->undo_free != NULL && self->undo_data != NULL)
    self->undo_free (self->undo_data);
  self->undo = NULL;
  self->undo_data = NULL;
  self->undo_free = NULL;
}

static void
on_undo_clicked_cb (MwAccountUsermap *self)
{
  /* The toast goes by itself: not dismissed a second time. */
  g_clear_weak_pointer (&self->undo_toast);
  mw_account_usermap_undo (self);
}

typedef void (*UndoFunc) (MwAccountUsermap *self, gpointer data);

static void
toast (MwAccountUsermap *self,
       const char       *title,
       UndoFunc          undo,
       gpointer          undo_data,
       GDestroyNotify    undo_free)
{
  AdwToast *t = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  adw_toast_set_timeout (t, 10);
  clear_undo (self);
  if (undo != NULL)
    {
      self->undo = undo;
      self->undo_data = undo_data;
      self->undo_free = undo_free;
      adw_toast_set_button_label (t, _("_Undo"));
      g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_undo_clicked_cb), self, G_CONNECT_SWAPPED);
      g_set_weak_pointer (&self->undo_toast, t);
    }
  /* The news replaces the old at once, rather than waiting in the queue. */
  if (self->shown_toast != NULL)
    adw_toast_dismiss (self->shown_toast);
  g_set_weak_pointer (&self->shown_toast, t);
  if (self->toast_overlay != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, t);
  else
    g_object_unref (t);
}

/* Loading */

static void
on_listed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MwAccountUsermap) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) maps = mw_session_list_login_maps_finish (MW_SESSION (source), result, &error);

  self->busy--;
  if (maps == NULL)
    {
      if (!is_cancelled (error))
        show_error (self, error->message);
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->maps, g_ptr_array_unref);
  self->maps = g_steal_pointer (&maps);
  show_maps (self);
}

static void
on_exists_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MwAccountUsermap) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE;

  if (!mw_session_login_maps_table_exists_finish (MW_SESSION (source), result, &exists, &error))
    {
      self->busy--;
      if (!is_cancelled (error))
        show_error (self, error->message);
      update_actions (self);
      return;
    }
  self->table = exists;
  mw_session_list_login_maps_async (self->session, self->account_key, self->cancellable, on_listed_cb,
                                    g_object_ref (self));
}

static void
load (MwAccountUsermap *self)
{
  self->busy++;
  update_actions (self);
  mw_session_login_maps_table_exists_async (self->session, self->cancellable, on_exists_cb, g_object_ref (self));
}

/* Changes: each ends by reading the maps again. */

static void
changed (MwAccountUsermap *self,
         const GError     *error)
{
  self->busy--;
  if (error != NULL && is_cancelled (error))
    return;
  show_error (self, error != NULL ? error->message : NULL);
  load (self);
}

static void on_restored_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
undo_preset (MwAccountUsermap *self,
             gpointer          data)
{
  GPtrArray *before = data;

  self->busy++;
  update_actions (self);
  mw_session_set_account_login_maps_async (self->session, self->account_key, MW_LOGIN_MAPS_RESTORE, before, FALSE,
                                           self->cancellable, on_restored_cb, g_object_ref (self));
}

static void
on_restored_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MwAccountUsermap) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = mw_session_set_account_login_maps_finish (MW_SESSION (source), result, &error);

  if (before != NULL)
    toast (self, _("The login maps are as they were."), NULL, NULL, NULL);
  changed (self, error);
}

static void
on_preset_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MwAccountUsermap) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *before = mw_session_set_account_login_maps_finish (MW_SESSION (source), result, &error);
  MwLoginMapsPreset preset = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "mw-preset"));

  if (before != NULL)
    {
      g_autofree char *title = NULL;

      if (preset == MW_LOGIN_MAPS_LOCK)
        /* Translators: %s is a user */
        title = g_strdup_printf (_("DBMail now refuses every login of %s."), self->user);
      else
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              /* Translators: "Removed 2 login maps of alice." */
                                              "Removed %u login map of %s.", "Removed %u login maps of %s.",
                                              before->len), before->len, self->user);
      toast (self, title, undo_preset, before, (GDestroyNotify) g_ptr_array_unref);
    }
  changed (self, error);
}

static void
run_preset (MwAccountUsermap  *self,
            MwLoginMapsPreset  preset)
{
  self->busy++;
  update_actions (self);
  show_error (self, NULL);
  /* The callback tells Lock from Clear by the preset asked for (one at a time: busy). */
  g_object_set_data (G_OBJECT (self), "mw-preset", GINT_TO_POINTER (preset));
  mw_session_set_account_login_maps_async (self->session, self->account_key, preset, NULL, FALSE, self->cancellable,
                                           on_preset_done_cb, g_object_ref (self));
}

static void
lock_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  run_preset (MW_ACCOUNT_USERMAP (widget), MW_LOGIN_MAPS_LOCK);
}

static void
clear_action (GtkWidget  *widget,
              const char *action,
              GVariant   *param)
{
  run_preset (MW_ACCOUNT_USERMAP (widget), MW_LOGIN_MAPS_CLEAR);
}

static void on_added_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
undo_delete (MwAccountUsermap *self,
             gpointer          data)
{
  MwLoginMap *map = data;

  self->busy++;
  update_actions (self);
  mw_session_add_login_map_async (self->session, map, FALSE, self->cancellable, on_added_cb, g_object_ref (self));
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(MwAccountUsermap) self = user_data;
  g_autoptr(GError) error = NULL;
  MwLoginMap *before = mw_session_delete_login_map_finish (MW_SESSION (source), result, &error);

  if (before != NULL)
    {
      /* Translators: "Deleted the login map of ali." */
      g_autofree char *title = g_strdup_printf (_("Deleted the login map of %s."), before->login);

      toast (self, title, undo_delete, before, (GDestroyNotify) mw_login_map_free);
    }
  changed (self, error);
}

static void
delete_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountUsermap *self = MW_ACCOUNT_USERMAP (widget);

  self->busy++;
  update_actions (self);
  show_error (self, NULL);
  mw_session_delete_login_map_async (self->session, g_variant_get_string (param, NULL), FALSE, self->cancellable,
                                     on_deleted_cb, g_object_ref (self));
}

static GtkWindow *window_of (MwAccountUsermap *self);

static void
on_edited_cb (const MwLoginMap *before,
              const GError     *error,
              gpointer          data)
{
  MwAccountUsermap *self = data;

  self->busy++;
  if (before != NULL)
    {
      /* Translators: "Changed the login map of ali." */
      g_autofree char *title = g_strdup_printf (_("Changed the login map of %s."), before->login);

      toast (self, title, NULL, NULL, NULL);
    }
  /* A refusal has its dialog (mw-login-map-dialog.c); the rows are read again either way. */
  changed (self, error != NULL && is_cancelled (error) ? error : NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountUsermap *self = MW_ACCOUNT_USERMAP (widget);
  const char *key = g_variant_get_string (param, NULL);

  for (guint i = 0; i < self->maps->len; i++)
    {
      MwLoginMap *m = g_ptr_array_index (self->maps, i);

      if (g_strcmp0 (m->key, key) == 0)
        {
          AdwMessageDialog *dialog = mw_login_map_open_edit (window_of (self), self->session, m, on_edited_cb,
                                                             g_object_ref (self), g_object_unref);

          g_set_weak_pointer (&self->dialog, dialog);
          return;
        }
    }
}

static void
on_added_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MwAccountUsermap) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwLoginMap) stored = mw_session_add_login_map_finish (MW_SESSION (source), result, &error);

  if (stored != NULL)
    {
      /* Translators: "The login ali now logs in as alice." */
      g_autofree char *title = g_strdup_printf (_("The login %s now logs in as %s."), stored->login, stored->user);

      toast (self, title, NULL, NULL, NULL);
    }
  changed (self, error);
}

static void
on_add_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    MwAccountUsermap *self)
{
  g_autoptr(MwLoginMap) map = NULL;

  if (!g_str_equal (response, "add"))
    return;
  map = mw_login_map_new (gtk_editable_get_text (self->fields[0]), gtk_editable_get_text (self->fields[1]),
                          gtk_editable_get_text (self->fields[2]), self->user);
  self->busy++;
  update_actions (self);
  show_error (self, NULL);
  mw_session_add_login_map_async (self->session, map, FALSE, self->cancellable, on_added_cb, g_object_ref (self));
}

static GtkWindow *
window_of (MwAccountUsermap *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
add_action (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  MwAccountUsermap *self = MW_ACCOUNT_USERMAP (widget);
  static const char *const titles[] = {
    N_("Login"), N_("Allowed Socket (empty: every socket)"), N_("Denied Socket (empty: none)"),
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *hint;
  /* Translators: %s is the user the new login logs in as */
  g_autofree char *body = g_strdup_printf (_("The login a mail client types, and the server sockets on which it "
                                             "logs in as %s."), self->user);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window_of (self), _("Add a Login Map"),
                                                                         body));

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(titles[i]));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_set_weak_pointer (&self->fields[i], GTK_EDITABLE (row));
    }
  hint = gtk_label_new (_("A socket is the server's address and port the client connects to, such as "
                          "inet:192.0.2.10:143 (IPv4; 0.0.0.0 or /24 for several addresses), or unix:PATH."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 40);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), hint);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "add");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_add_response_cb), self, 0);
  g_set_weak_pointer (&self->dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (self->fields[0]));
}

static void
on_created_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(MwAccountUsermap) self = user_data;
  g_autoptr(GError) error = NULL;

  if (mw_session_create_login_maps_table_finish (MW_SESSION (source), result, &error))
    toast (self, _("Created the table of login maps: DBMail consults it from now on."), NULL, NULL, NULL);
  changed (self, error);
}

static void
on_create_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwAccountUsermap *self)
{
  if (!g_str_equal (response, "create"))
    return;
  self->busy++;
  update_actions (self);
  show_error (self, NULL);
  mw_session_create_login_maps_table_async (self->session, FALSE, self->cancellable, on_created_cb,
                                            g_object_ref (self));
}

static void
create_table_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  MwAccountUsermap *self = MW_ACCOUNT_USERMAP (widget);
  AdwMessageDialog *dialog =
    ADW_MESSAGE_DIALOG (adw_message_dialog_new (window_of (self), _("Create the Table of Login Maps?"),
                                                _("DBMail consults login maps only when this table exists. "
                                                  "Mailwarden creates it empty, as DBMail's own schema defines "
                                                  "it; until you add a map, every login stays as it is.")));

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "create", _("C_reate Table"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_create_response_cb), self, 0);
  g_set_weak_pointer (&self->dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The class */

static void
mw_account_usermap_dispose (GObject *object)
{
  MwAccountUsermap *self = MW_ACCOUNT_USERMAP (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->dialog);
  for (guint i = 0; i < G_N_ELEMENTS (self->fields); i++)
    g_clear_weak_pointer (&self->fields[i]);
  g_clear_weak_pointer (&self->toast_overlay);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_weak_pointer (&self->shown_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ACCOUNT_USERMAP);
  G_OBJECT_CLASS (mw_account_usermap_parent_class)->dispose (object);
}

static void
mw_account_usermap_finalize (GObject *object)
{
  MwAccountUsermap *self = MW_ACCOUNT_USERMAP (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->account_key);
  g_free (self->user);
  g_free (self->last_toast);
  g_clear_pointer (&self->maps, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  clear_undo (self);
  G_OBJECT_CLASS (mw_account_usermap_parent_class)->finalize (object);
}

static void
mw_account_usermap_class_init (MwAccountUsermapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_account_usermap_dispose;
  object_class->finalize = mw_account_usermap_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/mailwarden/Mailwarden/mw-account-window-usermap.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAccountUsermap, create_button);
  gtk_widget_class_bind_template_child (widget_class, MwAccountUsermap, add_button);
  gtk_widget_class_bind_template_child (widget_class, MwAccountUsermap, more_button);
  gtk_widget_class_bind_template_child (widget_class, MwAccountUsermap, status_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountUsermap, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountUsermap, list);

  gtk_widget_class_install_action (widget_class, "usermap.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "usermap.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "usermap.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "usermap.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "usermap.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "usermap.create-table", NULL, create_table_action);
}

static void
mw_account_usermap_init (MwAccountUsermap *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->maps = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_login_map_free);
}

static void
on_account_notify_cb (MwAccountUsermap *self)
{
  /* The name new maps lead to: the account's as loaded (not the field being edited). */
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const MwAccount *account = MW_IS_ACCOUNT_WINDOW (root) ? mw_account_window_get_account (MW_ACCOUNT_WINDOW (root))
                                                         : NULL;

  if (account != NULL && account->name != NULL)
    {
      g_free (self->user);
      self->user = g_strdup (account->name);
    }
}

void
_mw_account_window_init_usermap (MwAccountWindow *window)
{
  MwSchema *schema = mw_session_get_schema (window->session);
  MwAccountUsermap *self;
  GtkWidget *page;

  if (!mw_schema_has_login_maps (schema) || !mw_schema_can (schema, MW_SCHEMA_CAN_WRITE))
    return;
  page = gtk_widget_get_ancestor (GTK_WIDGET (window->mailboxes_group), ADW_TYPE_PREFERENCES_PAGE);
  if (page == NULL)
    return;
  self = g_object_new (MW_TYPE_ACCOUNT_USERMAP, NULL);
  self->session = g_object_ref (window->session);
  self->account_key = g_strdup (window->account_key);
  g_set_weak_pointer (&self->toast_overlay, window->toast_overlay);
  g_object_set_data (G_OBJECT (window), "mw-usermap", self);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self));
  /* "destroy", not "close-request": that one's handlers return whether to
   * keep the window, and g_cancellable_cancel returns nothing. */
  g_signal_connect_object (window, "destroy", G_CALLBACK (g_cancellable_cancel), self->cancellable,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window->name_row, "notify::text", G_CALLBACK (on_account_notify_cb), self,
                           G_CONNECT_SWAPPED);
  load (self);
}

MwAccountUsermap *
mw_account_window_get_usermap (MwAccountWindow *window)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (window), NULL);

  return g_object_get_data (G_OBJECT (window), "mw-usermap");
}

gboolean
mw_account_usermap_is_busy (MwAccountUsermap *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_USERMAP (self), FALSE);

  return self->busy > 0;
}

char *
mw_account_usermap_dup_rows (MwAccountUsermap *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (MW_IS_ACCOUNT_USERMAP (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      MwLoginMap *m = g_ptr_array_index (self->maps, i);

      g_string_append_printf (out, "%s|%s|%s|%s\n", m->login, m->allow, m->deny, m->user);
    }
  return g_string_free (out, FALSE);
}

AdwMessageDialog *
mw_account_usermap_get_dialog (MwAccountUsermap *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_USERMAP (self), NULL);

  return self->dialog;
}

GtkEditable *
mw_account_usermap_get_field (MwAccountUsermap *self,
                              const char       *name)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_USERMAP (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (field_names[i], name))
      return self->fields[i];
  return NULL;
}

const char *
mw_account_usermap_get_toast (MwAccountUsermap *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_USERMAP (self), NULL);

  return self->last_toast;
}

void
mw_account_usermap_undo (MwAccountUsermap *self)
{
  void (*undo) (MwAccountUsermap *, gpointer);
  gpointer data;
  GDestroyNotify data_free;

  g_return_if_fail (MW_IS_ACCOUNT_USERMAP (self));

  /* Once: the data goes when the undo was asked for. */
  undo = self->undo;
  data = self->undo_data;
  data_free = self->undo_free;
  self->undo = NULL;
  self->undo_data = NULL;
  self->undo_free = NULL;
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  if (undo != NULL)
    undo (self, data);
  if (data_free != NULL && data != NULL)
    data_free (data);
}
