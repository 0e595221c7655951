/* mw-profiles.c: saved connection profiles (no passwords) in a key file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-profiles"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mw-profiles.h"

static const char *const tls_names[] = { "disable", "prefer", "require", "verify-full" };

char *
mw_profiles_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "mailwarden", "profiles.ini", NULL);
}

static GKeyFile *
load_key_file (GError **error)
{
  g_autofree char *path = mw_profiles_get_path ();
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   _("The saved connections in “%s” cannot be read: %s"), path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&kf);
}

GStrv
mw_profiles_list (GError **error)
{
  g_autoptr(GKeyFile) kf = load_key_file (error);

  if (kf == NULL)
    return NULL;
  return g_key_file_get_groups (kf, NULL);
}

MwDbSettings *
mw_profiles_load (const char  *name,
                  GError     **error)
{
  g_autoptr(GKeyFile) kf = load_key_file (error);
  g_autoptr(MwDbSettings) settings = NULL;
  g_autofree char *driver = NULL;
  g_autofree char *tls = NULL;

  if (kf == NULL)
    return NULL;
  if (!g_key_file_has_group (kf, name))
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   _("There is no saved connection called “%s”."), name);
      return NULL;
    }

  driver = g_key_file_get_string (kf, name, "driver", NULL);
  settings = mw_db_settings_new (g_strcmp0 (driver, "mysql") == 0 ? MW_DB_DRIVER_MYSQL : MW_DB_DRIVER_PGSQL);
  settings->host = g_key_file_get_string (kf, name, "host", NULL);
  settings->socket = g_key_file_get_string (kf, name, "socket", NULL);
  settings->port = (guint) g_key_file_get_integer (kf, name, "port", NULL);
  settings->database = g_key_file_get_string (kf, name, "database", NULL);
  settings->user = g_key_file_get_string (kf, name, "user", NULL);
  settings->tls_ca_file = g_key_file_get_string (kf, name, "tls-ca-file", NULL);
  settings->table_prefix = g_key_file_get_string (kf, name, "table-prefix", NULL);
  settings->connect_timeout = (guint) g_key_file_get_integer (kf, name, "connect-timeout", NULL);
  tls = g_key_file_get_string (kf, name, "tls-mode", NULL);
  for (guint i = 0; tls != NULL && i < G_N_ELEMENTS (tls_names); i++)
    if (g_str_equal (tls, tls_names[i]))
      settings->tls_mode = (MwDbTlsMode) i;

  if (!mw_db_settings_validate (settings, error))
    return NULL;
  return g_steal_pointer (&settings);
}

static void
set_or_remove (GKeyFile   *kf,
               const char *group,
               const char *key,
               const char *value)
{
  if (value != NULL && value[0] != '\0')
    g_key_file_set_string (kf, group, key, value);
  else
    g_key_file_remove_key (kf, group, key, NULL);
}

gboolean
mw_profiles_save (const char          *name,
                  const MwDbSettings  *settings,
                  GError             **error)
{
  g_autoptr(GKeyFile) kf = NULL;
  g_autofree char *path = mw_profiles_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_return_val_if_fail (name != NULL && name[0] != '\0', FALSE);

  if (!mw_db_settings_validate (settings, error))
    return FALSE;
  if ((kf = load_key_file (error)) == NULL)
    return FALSE;

  g_key_file_remove_group (kf, name, NULL);
  g_key_file_set_string (kf, name, "driver", settings->driver == MW_DB_DRIVER_MYSQL ? "mysql" : "postgresql");
  set_or_remove (kf, name, "host", settings->host);
  set_or_remove (kf, name, "socket", settings->socket);
  if (settings->port != 0)
    g_key_file_set_integer (kf, name, "port", (int) settings->port);
  set_or_remove (kf, name, "database", settings->database);
  set_or_remove (kf, name, "user", settings->user);
  g_key_file_set_string (kf, name, "tls-mode", tls_names[settings->tls_mode]);
  set_or_remove (kf, name, "tls-ca-file", settings->tls_ca_file);
  set_or_remove (kf, name, "table-prefix", settings->table_prefix);
  if (settings->connect_timeout != 0)
    g_key_file_set_integer (kf, name, "connect-timeout", (int) settings->connect_timeout);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS,
                   _("The folder “%s” cannot be created."), dir);
      return FALSE;
    }
  return g_key_file_save_to_file (kf, path, error);
}

gboolean
mw_profiles_remove (const char  *name,
                    GError     **error)
{
  g_autoptr(GKeyFile) kf = load_key_file (error);
  g_autofree char *path = mw_profiles_get_path ();

  if (kf == NULL)
    return FALSE;
  g_key_file_remove_group (kf, name, NULL);
  return g_key_file_save_to_file (kf, path, error);
}
