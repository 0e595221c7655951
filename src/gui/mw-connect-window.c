/* mw-connect-window.c: saved connections, their passwords in the keyring, Test and Connect.
 *
 * Profiles live in a key file without passwords (mw-profiles); passwords go
 * to the Secret Service (mw-secrets), asynchronously and with a time-out.
 * When no keyring answers, the password typed is kept in memory only, for as
 * long as Mailwarden runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-connect-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-application.h"
#include "mw-connect-window.h"
#include "mw-dialog-a11y.h"
#include "mailwarden-core.h"

#define DEMO_ROW "mw-demo"

struct _MwConnectWindow
{
  AdwApplicationWindow  parent_instance;

  GCancellable         *cancellable;
  char                 *selected;       /* profile name, NULL for a new one */
  char                 *message;
  guint                 busy;
  gboolean              connect_when_found;  /* --profile: connect once the keyring answered */
  GtkWidget            *focus_on_map;        /* (unowned): a template child */

  /* Template widgets */
  GtkListBox           *profile_list;
  AdwEntryRow          *name_row;
  AdwComboRow          *driver_row;
  AdwEntryRow          *host_row;
  AdwEntryRow          *port_row;
  AdwEntryRow          *database_row;
  AdwEntryRow          *user_row;
  AdwPasswordEntryRow  *password_row;
  AdwComboRow          *tls_row;
  AdwEntryRow          *ca_row;
  AdwEntryRow          *prefix_row;
  GtkRevealer          *message_revealer;
  GtkLabel             *message_label;
  GtkButton            *remove_button;
  GtkSpinner           *spinner;
};

G_DEFINE_FINAL_TYPE (MwConnectWindow, mw_connect_window, ADW_TYPE_APPLICATION_WINDOW)

/* Passwords typed while no keyring answered: this process only. */
static GHashTable *memory_passwords;

static void
remember_in_memory (const char *profile,
                    const char *password)
{
  if (memory_passwords == NULL)
    memory_passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (memory_passwords, g_strdup (profile), g_strdup (password));
}

static const char *
remembered (const char *profile)
{
  return memory_passwords != NULL ? g_hash_table_lookup (memory_passwords, profile) : NULL;
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
clear_marks (MwConnectWindow *self)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->name_row), GTK_WIDGET (self->driver_row), GTK_WIDGET (self->host_row),
                        GTK_WIDGET (self->port_row), GTK_WIDGET (self->database_row), GTK_WIDGET (self->user_row),
                        GTK_WIDGET (self->password_row), GTK_WIDGET (self->tls_row), GTK_WIDGET (self->ca_row),
                        GTK_WIDGET (self->prefix_row) };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
}

static void
say (MwConnectWindow *self,
     const char      *message,
     gboolean         is_error)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_revealer_set_reveal_child (self->message_revealer, message != NULL);
}

/* An error next to the field it concerns. */
static void
show_error (MwConnectWindow *self,
            const GError    *error)
{
  clear_marks (self);
  say (self, error->message, TRUE);

  if (error->domain == MW_DB_ERROR)
    {
      switch (error->code)
        {
        case MW_DB_ERROR_AUTH_FAILED:
          gtk_widget_add_css_class (GTK_WIDGET (self->user_row), "error");
          gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
          break;
        case MW_DB_ERROR_UNREACHABLE:
          gtk_widget_add_css_class (GTK_WIDGET (self->host_row), "error");
          gtk_widget_add_css_class (GTK_WIDGET (self->port_row), "error");
          break;
        case MW_DB_ERROR_NO_SUCH_DATABASE:
          gtk_widget_add_css_class (GTK_WIDGET (self->database_row), "error");
          break;
        case MW_DB_ERROR_BAD_PREFIX:
          gtk_widget_add_css_class (GTK_WIDGET (self->prefix_row), "error");
          break;
        case MW_DB_ERROR_TLS:
          gtk_widget_add_css_class (GTK_WIDGET (self->tls_row), "error");
          gtk_widget_add_css_class (GTK_WIDGET (self->ca_row), "error");
          break;
        case MW_DB_ERROR_PERMISSION_DENIED:
          gtk_widget_add_css_class (GTK_WIDGET (self->user_row), "error");
          break;
        default:
          break;
        }
    }
  else if (error->domain == MW_SCHEMA_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self->prefix_row), "error");
}

static void
set_busy (MwConnectWindow *self,
          gboolean         busy)
{
  self->busy += busy ? 1 : -1;
  gtk_spinner_set_spinning (self->spinner, self->busy > 0);
}

/* Form <-> settings */

static MwDbSettings *
settings_from_form (MwConnectWindow  *self,
                    GError          **error)
{
  g_autoptr(MwDbSettings) s = mw_db_settings_new (adw_combo_row_get_selected (self->driver_row) == 1
                                                  ? MW_DB_DRIVER_MYSQL : MW_DB_DRIVER_PGSQL);
  g_autofree char *host = g_strstrip (g_strdup (text_of (self->host_row)));
  g_autofree char *port = g_strstrip (g_strdup (text_of (self->port_row)));
  const char *prefix = text_of (self->prefix_row);

  clear_marks (self);
  if (host[0] == '/')
    s->socket = g_strdup (host);
  else if (host[0] != '\0')
    s->host = g_strdup (host);
  if (port[0] != '\0')
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &n, NULL))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->port_row), "error");
          g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                       _("The port must be a number from 1 to 65535."));
          return NULL;
        }
      s->port = (guint) n;
    }
  s->database = g_strstrip (g_strdup (text_of (self->database_row)));
  if (text_of (self->user_row)[0] != '\0')
    s->user = g_strdup (text_of (self->user_row));
  s->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  s->tls_mode = (MwDbTlsMode) adw_combo_row_get_selected (self->tls_row);
  if (text_of (self->ca_row)[0] != '\0')
    s->tls_ca_file = g_strdup (text_of (self->ca_row));
  s->table_prefix = g_strdup (prefix);

  if (!mw_db_settings_validate (s, error))
    {
      if (!mw_db_prefix_is_valid (prefix))
        gtk_widget_add_css_class (GTK_WIDGET (self->prefix_row), "error");
      else if (s->database[0] == '\0')
        gtk_widget_add_css_class (GTK_WIDGET (self->database_row), "error");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->ca_row), "error");
      return NULL;
    }
  return g_steal_pointer (&s);
}

void
mw_connect_window_fill (MwConnectWindow    *self,
                        const char         *name,
                        const MwDbSettings *s)
{
  g_autofree char *port = s->port != 0 ? g_strdup_printf ("%u", s->port) : NULL;

  set_text (self->name_row, name);
  adw_combo_row_set_selected (self->driver_row, s->driver == MW_DB_DRIVER_MYSQL ? 1 : 0);
  set_text (self->host_row, s->socket != NULL ? s->socket : s->host);
  set_text (self->port_row, port);
  set_text (self->database_row, s->database);
  set_text (self->user_row, s->user);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), s->password != NULL ? s->password : "");
  adw_combo_row_set_selected (self->tls_row, s->tls_mode);
  set_text (self->ca_row, s->tls_ca_file);
  set_text (self->prefix_row, mw_db_settings_get_prefix (s));
  clear_marks (self);
  say (self, NULL, FALSE);
}

/* A window given the focus before it is mapped reaches screen readers as a
 * "filler", not as a window, on GTK 4.8: until it is shown, the field is
 * kept and focused on "map". */
static void
focus_when_shown (MwConnectWindow *self,
                  GtkWidget       *widget)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (widget);
  else
    self->focus_on_map = widget;
}

static void
on_mapped_cb (MwConnectWindow *self)
{
  if (self->focus_on_map != NULL)
    gtk_widget_grab_focus (self->focus_on_map);
  self->focus_on_map = NULL;
}

/* Profiles list */

static void
fill_profile_list (MwConnectWindow *self,
                   const char      *select)
{
  g_auto(GStrv) names = mw_profiles_list (NULL);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->profile_list))) != NULL)
    gtk_list_box_remove (self->profile_list, child);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(MwDbSettings) s = mw_profiles_load (names[i], NULL);
      g_autofree char *where = s != NULL ? mw_db_settings_to_display_uri (s) : NULL;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (where != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
      g_object_set_data_full (G_OBJECT (row), "mw-profile", g_strdup (names[i]), g_free);
      gtk_list_box_append (self->profile_list, row);
      if (g_strcmp0 (select, names[i]) == 0)
        gtk_list_box_select_row (self->profile_list, GTK_LIST_BOX_ROW (row));
    }

  /* One demo row per kind of database Mailwarden manages. */
  {
    static const struct
    {
      MwDemoFlavour  flavour;
      const char    *title;
      const char    *subtitle;
    } demos[] = {
      { MW_DEMO_FLAVOUR_DBMAIL, N_("DBMail Demo"), N_("Sample data on a private server") },
      /* Translators: ISPmail is the name of a well-known Postfix/Dovecot setup tutorial (workaround.org) */
      { MW_DEMO_FLAVOUR_ISPMAIL, N_("ISPmail Demo"), N_("The ISPmail tutorial’s tables") },
      /* Translators: PostfixAdmin is a product name */
      { MW_DEMO_FLAVOUR_POSTFIXADMIN, N_("PostfixAdmin Demo"), N_("PostfixAdmin 3.3 sample data") },
    };

    for (guint i = 0; i < G_N_ELEMENTS (demos); i++)
      {
        GtkWidget *row = adw_action_row_new ();

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(demos[i].title));
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(demos[i].subtitle));
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("applications-science-symbolic"));
        /* flavour + 1: the data's presence says "a demo row". */
        g_object_set_data (G_OBJECT (row), DEMO_ROW, GINT_TO_POINTER (demos[i].flavour + 1));
        gtk_list_box_append (self->profile_list, row);
      }
  }
}

static void
on_password_found_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(MwConnectWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = mw_secrets_lookup_finish (res, &error);

  set_busy (self, FALSE);
  if (password != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
      mw_secrets_password_free (password);
      if (self->connect_when_found)
        {
          self->connect_when_found = FALSE;
          gtk_widget_activate_action (GTK_WIDGET (self), "connect.connect", NULL);
          return;
        }
    }
  else if (self->connect_when_found && error == NULL)
    {
      /* Nothing stored: this window is the prompt. */
      self->connect_when_found = FALSE;
      say (self, _("Type the password to connect."), FALSE);
      focus_when_shown (self, GTK_WIDGET (self->password_row));
    }
  else if (g_error_matches (error, MW_SECRETS_ERROR, MW_SECRETS_ERROR_UNAVAILABLE) && self->selected != NULL)
    {
      const char *kept = remembered (self->selected);

      if (kept != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->password_row), kept);
      say (self, _("No keyring answered: type the password; it is kept only until Mailwarden closes."), FALSE);
    }
}

gboolean
mw_connect_window_select (MwConnectWindow *self,
                          const char      *profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbSettings) s = mw_profiles_load (profile, &error);

  if (s == NULL)
    {
      say (self, error->message, TRUE);
      return FALSE;
    }
  g_free (self->selected);
  self->selected = g_strdup (profile);
  mw_connect_window_fill (self, profile, s);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), TRUE);

  set_busy (self, TRUE);
  mw_secrets_lookup_async (profile, s, 0, self->cancellable, on_password_found_cb, g_object_ref (self));
  return TRUE;
}

static void
on_profile_list_row_selected_cb (MwConnectWindow *self,
                                 GtkListBoxRow   *row)
{
  const char *profile;

  if (row == NULL)
    return;
  if (g_object_get_data (G_OBJECT (row), DEMO_ROW) != NULL)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      if (app != NULL)
        {
          mw_application_start_flavour_demo (MW_APPLICATION (app),
                                             GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), DEMO_ROW)) - 1);
          gtk_window_destroy (GTK_WINDOW (self));
        }
      return;
    }
  profile = g_object_get_data (G_OBJECT (row), "mw-profile");
  if (profile != NULL && g_strcmp0 (profile, self->selected) != 0)
    mw_connect_window_select (self, profile);
}

/* Actions */

static void
new_action (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  MwConnectWindow *self = MW_CONNECT_WINDOW (widget);
  g_autoptr(MwDbSettings) s = mw_db_settings_new (MW_DB_DRIVER_PGSQL);

  g_clear_pointer (&self->selected, g_free);
  gtk_list_box_unselect_all (self->profile_list);
  s->database = g_strdup ("dbmail");
  s->user = g_strdup ("dbmail");
  mw_connect_window_fill (self, "", s);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), FALSE);
  focus_when_shown (self, GTK_WIDGET (self->name_row));
}

static void
on_stored_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(MwConnectWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!mw_secrets_store_finish (res, &error))
    {
      if (g_error_matches (error, MW_SECRETS_ERROR, MW_SECRETS_ERROR_UNAVAILABLE) && self->selected != NULL)
        {
          remember_in_memory (self->selected, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
          say (self, _("Saved. No keyring answered: the password is kept only until Mailwarden closes."), FALSE);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say (self, error->message, TRUE);
    }
}

static gboolean
save (MwConnectWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbSettings) s = settings_from_form (self, &error);
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));
  g_autofree char *password = NULL;

  if (s == NULL)
    {
      say (self, error->message, TRUE);
      return FALSE;
    }
  if (name[0] == '\0' || strchr (name, '[') != NULL || strchr (name, ']') != NULL || strchr (name, '\n') != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      say (self, _("Give the connection a name (without square brackets)."), TRUE);
      return FALSE;
    }

  password = g_steal_pointer (&s->password);
  if (self->selected != NULL && g_strcmp0 (self->selected, name) != 0)
    mw_profiles_remove (self->selected, NULL);
  if (!mw_profiles_save (name, s, &error))
    {
      say (self, error->message, TRUE);
      return FALSE;
    }
  g_free (self->selected);
  self->selected = g_strdup (name);
  fill_profile_list (self, name);
  say (self, _("Saved."), FALSE);

  if (password != NULL && password[0] != '\0')
    {
      set_busy (self, TRUE);
      mw_secrets_store_async (name, s, password, 0, self->cancellable, on_stored_cb, g_object_ref (self));
    }
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  save (MW_CONNECT_WINDOW (widget));
}

static void
on_removed_from_keyring_cb (GObject      *source,
                            GAsyncResult *res,
                            gpointer      user_data)
{
  g_autoptr(MwConnectWindow) self = user_data;

  set_busy (self, FALSE);
  mw_secrets_clear_finish (res, NULL);
}

static void
remove_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwConnectWindow *self = MW_CONNECT_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->selected == NULL)
    return;
  if (!mw_profiles_remove (self->selected, &error))
    {
      say (self, error->message, TRUE);
      return;
    }
  if (memory_passwords != NULL)
    g_hash_table_remove (memory_passwords, self->selected);
  set_busy (self, TRUE);
  mw_secrets_clear_async (self->selected, 0, self->cancellable, on_removed_from_keyring_cb, g_object_ref (self));
  fill_profile_list (self, NULL);
  gtk_widget_activate_action (widget, "connect.new", NULL);
}

static void
on_tested_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(MwConnectWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = mw_session_connect_finish (res, &error);

  set_busy (self, FALSE);
  if (session == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  {
    g_autofree char *what = mw_schema_describe (mw_session_get_schema (session));
    /* Translators: the result of Test Connection: "Connected: DBMail 3.x (schema 35002) on PostgreSQL 15.4." */
    g_autofree char *msg = g_strdup_printf (_("Connected: %s."), what);

    clear_marks (self);
    say (self, msg, FALSE);
  }
}

static void
test_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwConnectWindow *self = MW_CONNECT_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbSettings) s = settings_from_form (self, &error);

  if (s == NULL)
    {
      say (self, error->message, TRUE);
      return;
    }
  say (self, _("Connecting…"), FALSE);
  set_busy (self, TRUE);
  mw_session_connect_async (text_of (self->name_row), s, self->cancellable, on_tested_cb, g_object_ref (self));
}

static void
on_connected_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(MwConnectWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = mw_session_connect_finish (res, &error);
  GtkApplication *app;

  set_busy (self, FALSE);
  if (session == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app != NULL && self->selected != NULL && mw_application_get_settings (MW_APPLICATION (app)) != NULL)
    g_settings_set_string (mw_application_get_settings (MW_APPLICATION (app)), "last-profile", self->selected);
  if (app != NULL)
    {
      mw_application_open_session (MW_APPLICATION (app), session);
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

static void
connect_action (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  MwConnectWindow *self = MW_CONNECT_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbSettings) s = settings_from_form (self, &error);
  const char *name = text_of (self->name_row);

  if (s == NULL)
    {
      say (self, error->message, TRUE);
      return;
    }
  if (self->selected != NULL && s->password != NULL && s->password[0] != '\0')
    remember_in_memory (self->selected, s->password);
  say (self, _("Connecting…"), FALSE);
  set_busy (self, TRUE);
  mw_session_connect_async (name[0] != '\0' ? name : _("Unsaved connection"), s, self->cancellable,
                            on_connected_cb, g_object_ref (self));
}

/* Public */

MwConnectWindow *
mw_connect_window_new (GtkApplication *app)
{
  MwConnectWindow *self = g_object_new (MW_TYPE_CONNECT_WINDOW, "application", app, NULL);
  GSettings *settings = app != NULL ? mw_application_get_settings (MW_APPLICATION (app)) : NULL;

  /* Start where the person left off. */
  if (settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (settings, "last-profile");
      g_auto(GStrv) names = mw_profiles_list (NULL);

      if (last[0] != '\0' && names != NULL && g_strv_contains ((const char *const *) names, last))
        {
          /* Selecting the row fills the form and asks the keyring. */
          fill_profile_list (self, last);
        }
    }
  return self;
}

void
mw_connect_window_connect_profile (MwConnectWindow *self,
                                   const char      *profile)
{
  self->connect_when_found = TRUE;
  fill_profile_list (self, profile);
  if (g_strcmp0 (self->selected, profile) != 0 && !mw_connect_window_select (self, profile))
    self->connect_when_found = FALSE;
}

const char *
mw_connect_window_get_message (MwConnectWindow *self)
{
  return self->message;
}

const char *
mw_connect_window_get_password (MwConnectWindow *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

gboolean
mw_connect_window_is_busy (MwConnectWindow *self)
{
  return self->busy > 0;
}

char *
mw_connect_window_dup_marked (MwConnectWindow *self)
{
  struct { GtkWidget *row; const char *name; } rows[] = {
    { GTK_WIDGET (self->name_row), "name" }, { GTK_WIDGET (self->host_row), "host" },
    { GTK_WIDGET (self->port_row), "port" }, { GTK_WIDGET (self->database_row), "database" },
    { GTK_WIDGET (self->user_row), "user" }, { GTK_WIDGET (self->password_row), "password" },
    { GTK_WIDGET (self->tls_row), "tls" }, { GTK_WIDGET (self->ca_row), "ca" },
    { GTK_WIDGET (self->prefix_row), "prefix" },
  };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (gtk_widget_has_css_class (rows[i].row, "error"))
      g_string_append_printf (s, "%s%s", s->len > 0 ? "," : "", rows[i].name);
  return g_string_free (s, FALSE);
}

static void
mw_connect_window_dispose (GObject *object)
{
  MwConnectWindow *self = MW_CONNECT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_CONNECT_WINDOW);

  G_OBJECT_CLASS (mw_connect_window_parent_class)->dispose (object);
}

static void
mw_connect_window_finalize (GObject *object)
{
  MwConnectWindow *self = MW_CONNECT_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_free (self->selected);
  g_free (self->message);

  G_OBJECT_CLASS (mw_connect_window_parent_class)->finalize (object);
}

static void
mw_connect_window_class_init (MwConnectWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_connect_window_dispose;
  object_class->finalize = mw_connect_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-connect-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, profile_list);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, driver_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, host_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, port_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, tls_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, ca_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, MwConnectWindow, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_list_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "connect.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "connect.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "connect.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "connect.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "connect.connect", NULL, connect_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "connect.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "connect.save", NULL);
}

static void
mw_connect_window_init (MwConnectWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "map", G_CALLBACK (on_mapped_cb), NULL);
  /* Translators: for screen readers, the eye button of a password field */
  mw_dialog_a11y_name_password_rows (GTK_WIDGET (self->password_row), _("Show the password"),
                                     /* Translators: the same button while the password is shown */
                                     _("Hide the password"));
  fill_profile_list (self, NULL);
  gtk_widget_activate_action (GTK_WIDGET (self), "connect.new", NULL);
}
