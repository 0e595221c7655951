/* mw-application.c: the Mailwarden application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-application"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-a11y.h"
#include "mw-application.h"
#include "mailwarden-core.h"
#include "mw-connect-window.h"
#include "mw-audit-window.h"
#include "mw-password-window.h"
#include "mw-preferences-window.h"
#include "mw-gui-resources.h"
#include "mw-window.h"

struct _MwApplication
{
  AdwApplication  parent_instance;

  GCancellable   *cancellable;
  GtkWindow      *main_window;   /* weak */
  GtkWindow      *status_window; /* weak: "starting the demo" / "connecting" */
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (MwApplication, mw_application, ADW_TYPE_APPLICATION)

static void
show_error (MwApplication *self,
            const char    *heading,
            const char    *message)
{
  GtkWidget *dialog = adw_message_dialog_new (self->main_window, heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A small window saying what is going on while a connection is made. */
static void
show_status (MwApplication *self,
             const char    *title,
             const char    *description)
{
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *page;
  GtkWidget *spinner;

  if (self->status_window != NULL)
    gtk_window_destroy (self->status_window);

  window = adw_application_window_new (GTK_APPLICATION (self));
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 360);
  gtk_window_set_title (GTK_WINDOW (window), _("Mailwarden"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  page = adw_status_page_new ();
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), spinner);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  self->status_window = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->status_window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
close_status (MwApplication *self)
{
  if (self->status_window != NULL)
    gtk_window_destroy (self->status_window);
}

void
mw_application_open_session (MwApplication *self,
                             MwSession     *session)
{
  MwWindow *window = mw_window_new (ADW_APPLICATION (self), session);

  if (self->main_window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->main_window), (gpointer *) &self->main_window);
  self->main_window = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->main_window);
  gtk_window_present (GTK_WINDOW (window));
  close_status (self);
}

typedef struct
{
  MwApplication *self;
  MwDemoServer  *demo;
} ConnectRequest;

static void
on_connected_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  ConnectRequest *req = user_data;
  g_autoptr(MwApplication) self = req->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = mw_session_connect_finish (res, &error);

  if (session == NULL)
    {
      g_clear_pointer (&req->demo, mw_demo_server_stop);
      g_free (req);
      close_status (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Cannot Connect"), error->message);
      g_application_release (G_APPLICATION (self));
      return;
    }
  if (req->demo != NULL)
    mw_session_take_demo_server (session, g_steal_pointer (&req->demo));
  g_free (req);
  mw_application_open_session (self, session);
  g_application_release (G_APPLICATION (self));
}

static void
connect_with (MwApplication      *self,
              const char         *name,
              const MwDbSettings *settings,
              MwDemoServer       *demo)
{
  ConnectRequest *req = g_new0 (ConnectRequest, 1);

  req->self = g_object_ref (self);
  req->demo = demo;
  /* Keep running while nothing but the connection is under way. */
  g_application_hold (G_APPLICATION (self));
  mw_session_connect_async (name, settings, self->cancellable, on_connected_cb, req);
}

void
mw_application_connect (MwApplication      *self,
                        const char         *name,
                        const MwDbSettings *settings)
{
  g_autofree char *where = mw_db_settings_to_display_uri (settings);

  g_return_if_fail (MW_IS_APPLICATION (self));

  show_status (self, _("Connecting…"), where);
  connect_with (self, name, settings, NULL);
}

/* The name a demo session goes by: the window's title. */
static const char *
demo_name (MwDemoFlavour flavour)
{
  switch (flavour)
    {
    case MW_DEMO_FLAVOUR_ISPMAIL:
      return _("ISPmail Demo");
    case MW_DEMO_FLAVOUR_POSTFIXADMIN:
      return _("PostfixAdmin Demo");
    case MW_DEMO_FLAVOUR_DBMAIL:
    default:
      return _("Demo");
    }
}

static void
on_demo_started_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(MwApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  MwDemoServer *demo = mw_session_start_demo_finish (res, &error);

  if (demo == NULL)
    {
      close_status (self);
      show_error (self, _("The Demo Database Did Not Start"), error->message);
      g_application_release (G_APPLICATION (self));
      return;
    }
  connect_with (self, demo_name (mw_demo_server_get_flavour (demo)), mw_demo_server_get_settings (demo), demo);
  g_application_release (G_APPLICATION (self));
}

void
mw_application_start_demo (MwApplication *self)
{
  mw_application_start_flavour_demo (self, MW_DEMO_FLAVOUR_DBMAIL);
}

void
mw_application_start_flavour_demo (MwApplication *self,
                                   MwDemoFlavour  flavour)
{
  const char *explanation;

  g_return_if_fail (MW_IS_APPLICATION (self));

  switch (flavour)
    {
    case MW_DEMO_FLAVOUR_ISPMAIL:
      explanation = _("A private PostgreSQL server with sample ISPmail data; it is removed again when Mailwarden closes.");
      break;
    case MW_DEMO_FLAVOUR_POSTFIXADMIN:
      explanation = _("A private PostgreSQL server with sample PostfixAdmin data; it is removed again when Mailwarden closes.");
      break;
    case MW_DEMO_FLAVOUR_DBMAIL:
    default:
      explanation = _("A private PostgreSQL server with sample DBMail data; it is removed again when Mailwarden closes.");
      break;
    }
  show_status (self, _("Starting the Demo Database…"), explanation);
  g_application_hold (G_APPLICATION (self));
  mw_session_start_flavour_demo_async (flavour, self->cancellable, on_demo_started_cb, g_object_ref (self));
}

GtkWindow *
mw_application_get_main_window (MwApplication *self)
{
  return self->main_window;
}

GSettings *
mw_application_get_settings (MwApplication *self)
{
  g_return_val_if_fail (MW_IS_APPLICATION (self), NULL);
  return self->settings;
}

gulong
mw_application_password_rounds (const char *scheme_name)
{
  const MwPasswordScheme *scheme = scheme_name != NULL ? mw_password_lookup_scheme (scheme_name) : NULL;
  GApplication *app = g_application_get_default ();
  GSettings *settings;

  if (scheme == NULL || !g_str_equal (scheme->name, "bcrypt") || app == NULL || !MW_IS_APPLICATION (app))
    return 0;
  settings = MW_APPLICATION (app)->settings;
  return settings != NULL ? (gulong) g_settings_get_int (settings, "bcrypt-cost") : 0;
}

/* Command line */

static int
mw_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  MwApplication *self = MW_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_auto(GStrv) args = NULL;
  const char *profile = NULL;
  const char *demo = NULL;
  g_autoptr(GError) error = NULL;

  g_variant_dict_lookup (options, "demo-flavour", "&s", &demo);
  g_variant_dict_lookup (options, "profile", "&s", &profile);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^as", &args);

  if (demo != NULL)
    {
      MwDemoFlavour flavour;

      if (!mw_demo_flavour_from_string (demo, &flavour))
        {
          /* Translators: --demo=NAME was given a name Mailwarden does not know; keep the three names as they are. */
          g_application_command_line_printerr (cmdline, _("Unknown demo “%s”: use dbmail, ispmail or postfixadmin.\n"),
                                               demo);
          return 1;
        }
      mw_application_start_flavour_demo (self, flavour);
      return 0;
    }
  if (profile != NULL)
    {
      g_autoptr(MwDbSettings) settings = mw_profiles_load (profile, &error);
      MwConnectWindow *window;

      if (settings == NULL)
        {
          g_application_command_line_printerr (cmdline, "%s\n", error->message);
          return 1;
        }
      if (g_getenv ("MAILWARDEN_PASSWORD") != NULL)
        {
          settings->password = g_strdup (g_getenv ("MAILWARDEN_PASSWORD"));
          mw_application_connect (self, profile, settings);
          return 0;
        }
      /* The password comes from the keyring, or the window asks for it. */
      window = mw_connect_window_new (GTK_APPLICATION (self));
      gtk_window_present (GTK_WINDOW (window));
      mw_connect_window_connect_profile (window, profile);
      return 0;
    }
  if (args != NULL && args[0] != NULL)
    {
      g_autoptr(MwDbSettings) settings = mw_db_settings_parse_uri (args[0], &error);
      g_autofree char *name = NULL;

      if (settings == NULL)
        {
          g_application_command_line_printerr (cmdline, "%s\n", error->message);
          return 1;
        }
      if (settings->password == NULL && g_getenv ("MAILWARDEN_PASSWORD") != NULL)
        settings->password = g_strdup (g_getenv ("MAILWARDEN_PASSWORD"));
      name = g_strdup_printf ("%s@%s", settings->database,
                              settings->host != NULL ? settings->host : "localhost");
      mw_application_connect (self, name, settings);
      return 0;
    }

  g_application_activate (app);
  return 0;
}

/* --demo with no value is --demo=dbmail. GOption gives an optional value
 * only to a callback; the value goes into the options dictionary here, so
 * that it also reaches a Mailwarden that is already running. */
static char *demo_option;

static gboolean
on_demo_option_parsed_cb (const char  *option_name,
                          const char  *value,
                          gpointer     data,
                          GError     **error)
{
  g_free (demo_option);
  demo_option = g_strdup (value != NULL ? value : "dbmail");
  return TRUE;
}

static int
mw_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (demo_option != NULL)
    {
      g_variant_dict_insert (options, "demo-flavour", "s", demo_option);
      g_clear_pointer (&demo_option, g_free);
    }
  return -1;
}

static void
mw_application_activate (GApplication *app)
{
  MwApplication *self = MW_APPLICATION (app);

  if (self->main_window != NULL)
    {
      gtk_window_present (self->main_window);
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (self), "connect", NULL);
}

/* Actions */

static void
on_quit_activated (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
on_about_activated (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  MwApplication *self = user_data;
  GtkWidget *about = adw_about_window_new ();

  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), _("Mailwarden"));
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), APP_ID);
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
                                 _("Administer SQL-backed mail systems: DBMail on PostgreSQL and MySQL/MariaDB."));
  adw_about_window_set_developer_name (ADW_ABOUT_WINDOW (about), _("The Mailwarden developers"));
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_3_0);
  /* Translators: put your names here, one per line */
  adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _("translator-credits"));
  gtk_window_set_transient_for (GTK_WINDOW (about), self->main_window);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_connect_activated (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  MwApplication *self = user_data;
  MwConnectWindow *window = mw_connect_window_new (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (window));
}

static void
on_preferences_activated (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  MwApplication *self = user_data;
  MwPreferencesWindow *window;

  if (self->settings == NULL)
    return;
  window = mw_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (window), self->main_window);
  gtk_window_present (GTK_WINDOW (window));
}

/* Needs no connection: it is offered before connecting too. */
static void
on_password_tool_activated (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  MwApplication *self = user_data;
  MwPasswordWindow *window = mw_password_window_new ();
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_audit_log_activated (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  MwApplication *self = user_data;
  MwAuditWindow *window = mw_audit_window_new ();

  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", on_quit_activated },
  { "preferences", on_preferences_activated },
  { "about", on_about_activated },
  { "connect", on_connect_activated },
  { "password-tool", on_password_tool_activated },
  { "audit-log", on_audit_log_activated },
};

static void
mw_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Primary>q", NULL };
  MwApplication *self = MW_APPLICATION (app);

  G_APPLICATION_CLASS (mw_application_parent_class)->startup (app);

  mw_core_init ();
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);

  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

    if (schema != NULL)
      self->settings = g_settings_new_full (schema, NULL, NULL);
    else
      {
        g_warning ("The settings schema %s is not installed; using defaults", APP_ID);
        g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app), "preferences")),
                                     FALSE);
      }
  }
}

static void
mw_application_dispose (GObject *object)
{
  MwApplication *self = MW_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mw_application_parent_class)->dispose (object);
}

static void
mw_application_class_init (MwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mw_application_dispose;
  app_class->startup = mw_application_startup;
  app_class->activate = mw_application_activate;
  app_class->command_line = mw_application_command_line;
  app_class->handle_local_options = mw_application_handle_local_options;
}

static void
mw_application_init (MwApplication *self)
{
  static const GOptionEntry options[] = {
    { "demo", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, on_demo_option_parsed_cb,
      /* Translators: keep dbmail, ispmail and postfixadmin as they are: they are the values to type. */
      N_("Start a private demo database with sample data (dbmail, ispmail or postfixadmin; dbmail when not given) and connect to it"),
      N_("KIND") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, NULL, N_("Connect with the saved connection NAME"), N_("NAME") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[DATABASE-URI]"));
}

void
mw_gui_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      mw_core_init ();
      /* By hand: a resource constructor in a static library can be dropped. */
      mw_gui_register_resource ();
      mw_a11y_init ();
      g_once_init_leave (&once, 1);
    }
}

MwApplication *
mw_application_new (void)
{
  mw_gui_init ();
  return g_object_new (MW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/mailwarden/Mailwarden",
                       NULL);
}
