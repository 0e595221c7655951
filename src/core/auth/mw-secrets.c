/* mw-secrets.c: passwords of connection profiles in the Secret Service (libsecret), never on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-secrets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "mw-secrets.h"

G_DEFINE_QUARK (mw-secrets-error-quark, mw_secrets_error)

static const SecretSchema connection_schema = {
  "org.mailwarden.Mailwarden.Connection",
  SECRET_SCHEMA_NONE,
  {
    { "profile",  SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "driver",   SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "host",     SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user",     SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef enum
{
  SECRETS_STORE,
  SECRETS_LOOKUP,
  SECRETS_CLEAR,
} SecretsOp;

typedef struct
{
  SecretsOp     op;
  GHashTable   *attributes;          /* the item stored or looked up */
  GHashTable   *profile_attributes;  /* every item of the profile: clear, and the first step of store */
  char         *label;
  char         *password;            /* store only, until libsecret has its own copy; wiped */
  GCancellable *cancellable;         /* ours: cancelled by the timer or by the caller's */
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GSource      *timer;
  guint         timeout_ms;
  gboolean      timed_out;
  gboolean      answered;            /* the service replied once: later errors are the keyring's */
  gint64        started_us;
} Request;

void
mw_secrets_password_free (char *password)
{
  if (password == NULL)
    return;

  /* A plain memset before free may be optimised away; explicit_bzero may not. */
  explicit_bzero (password, strlen (password));
  g_free (password);
}

static void
request_stop_timer (Request *req)
{
  if (req->timer != NULL)
    {
      g_source_destroy (req->timer);
      g_clear_pointer (&req->timer, g_source_unref);
    }
}

static void
request_free (gpointer data)
{
  Request *req = data;

  request_stop_timer (req);
  if (req->caller_handler != 0)
    g_cancellable_disconnect (req->caller_cancellable, req->caller_handler);
  g_clear_object (&req->caller_cancellable);
  g_clear_object (&req->cancellable);
  g_clear_pointer (&req->attributes, g_hash_table_unref);
  g_clear_pointer (&req->profile_attributes, g_hash_table_unref);
  g_clear_pointer (&req->label, g_free);
  g_clear_pointer (&req->password, mw_secrets_password_free);
  g_free (req);
}

static const char *
get_host_attribute (const MwDbSettings *settings)
{
  /* A local connection has no host; its socket tells servers apart. */
  if (settings->host != NULL && settings->host[0] != '\0')
    return settings->host;
  if (settings->socket != NULL)
    return settings->socket;
  return "";
}

static GHashTable *
build_attributes (const char         *profile,
                  const MwDbSettings *settings)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (attributes, g_strdup ("profile"), g_strdup (profile));
  if (settings != NULL)
    {
      const char *driver = settings->driver == MW_DB_DRIVER_MYSQL ? "mysql" : "postgresql";

      g_hash_table_insert (attributes, g_strdup ("driver"), g_strdup (driver));
      g_hash_table_insert (attributes, g_strdup ("host"), g_strdup (get_host_attribute (settings)));
      g_hash_table_insert (attributes, g_strdup ("user"), g_strdup (settings->user ? settings->user : ""));
      g_hash_table_insert (attributes, g_strdup ("database"),
                           g_strdup (settings->database ? settings->database : ""));
    }

  return attributes;
}

static gboolean
error_means_unreachable (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_REPLY:
        case G_DBUS_ERROR_TIMEOUT:
        case G_DBUS_ERROR_TIMED_OUT:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
          return TRUE;
        default:
          return FALSE;
        }
    }

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
}

static const char *
describe_op (SecretsOp op)
{
  if (op == SECRETS_STORE)
    return "store";
  if (op == SECRETS_LOOKUP)
    return "lookup";
  return "clear";
}

static double
request_elapsed_ms (Request *req)
{
  return (g_get_monotonic_time () - req->started_us) / 1000.0;
}

/* Turns whatever stopped the request into the error the caller gets. */
static void
request_return_error (GTask  *task,
                      GError *error)
{
  Request *req = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  request_stop_timer (req);
  g_dbus_error_strip_remote_error (error);
  g_debug ("%s failed after %.1f ms: %s", describe_op (req->op), request_elapsed_ms (req), error->message);

  if (caller != NULL && g_cancellable_is_cancelled (caller))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("The request to the keyring was cancelled."));
  else if (req->timed_out)
    g_task_return_new_error (task, MW_SECRETS_ERROR, MW_SECRETS_ERROR_UNAVAILABLE, "%s",
                             _("The keyring did not answer in time. Check that GNOME Keyring "
                               "or another Secret Service is running."));
  else if (!req->answered || error_means_unreachable (error))
    g_task_return_new_error (task, MW_SECRETS_ERROR, MW_SECRETS_ERROR_UNAVAILABLE,
                             _("No keyring is available to keep the password (%s). Start GNOME "
                               "Keyring or another Secret Service to save passwords."),
                             error->message);
  else if (req->op == SECRETS_STORE)
    g_task_return_new_error (task, MW_SECRETS_ERROR, MW_SECRETS_ERROR_FAILED,
                             _("The keyring could not save the password: %s"), error->message);
  else if (req->op == SECRETS_LOOKUP)
    g_task_return_new_error (task, MW_SECRETS_ERROR, MW_SECRETS_ERROR_FAILED,
                             _("The keyring could not read the saved password: %s"), error->message);
  else
    g_task_return_new_error (task, MW_SECRETS_ERROR, MW_SECRETS_ERROR_FAILED,
                             _("The keyring could not remove the saved password: %s"), error->message);
}

static void
on_stored_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_service_store_finish (SECRET_SERVICE (source_object), result, &error))
    {
      /* A dismissed unlock prompt ends without an error. */
      if (error == NULL)
        error = g_error_new_literal (MW_SECRETS_ERROR, MW_SECRETS_ERROR_FAILED,
                                     _("The keyring is locked."));
      request_return_error (task, error);
      return;
    }

  g_debug ("store done after %.1f ms", request_elapsed_ms (req));
  g_task_return_boolean (task, TRUE);
}

static void
on_cleared_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to remove. */
  if (!secret_service_clear_finish (SECRET_SERVICE (source_object), result, &error) && error != NULL)
    {
      request_return_error (task, error);
      return;
    }

  if (req->op == SECRETS_CLEAR)
    {
      g_debug ("clear done after %.1f ms", request_elapsed_ms (req));
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* libsecret copies the password into non-pageable memory of its own. */
  value = secret_value_new (req->password, -1, "text/plain");
  g_clear_pointer (&req->password, mw_secrets_password_free);
  secret_service_store (SECRET_SERVICE (source_object), &connection_schema, req->attributes,
                        SECRET_COLLECTION_DEFAULT, req->label, value, req->cancellable,
                        on_stored_cb, g_steal_pointer (&task));
}

static void
on_looked_up_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  value = secret_service_lookup_finish (SECRET_SERVICE (source_object), result, &error);
  if (error != NULL)
    {
      request_return_error (task, error);
      return;
    }

  g_debug ("lookup done after %.1f ms, %s", request_elapsed_ms (req), value ? "found" : "nothing stored");
  if (value == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  text = secret_value_get_text (value);
  if (text == NULL)
    {
      error = g_error_new_literal (MW_SECRETS_ERROR, MW_SECRETS_ERROR_FAILED,
                                   _("The saved password is not text."));
      request_return_error (task, error);
      return;
    }

  /* The value's own memory is wiped when it is unreferenced; this copy is
   * ordinary memory so that a caller's g_free() is not fatal. */
  g_task_return_pointer (task, g_strdup (text), (GDestroyNotify) mw_secrets_password_free);
}

/* The service has answered: run the operation itself, without the time-out. */
static void
request_run (GTask         *task,
             SecretService *service)
{
  Request *req = g_task_get_task_data (task);

  req->answered = TRUE;
  request_stop_timer (req);
  g_debug ("Secret Service answered after %.1f ms", request_elapsed_ms (req));

  if (req->op == SECRETS_LOOKUP)
    secret_service_lookup (service, &connection_schema, req->attributes, req->cancellable,
                           on_looked_up_cb, task);
  else
    /* Store clears first so that an item saved under the profile's old host,
     * user or database does not linger after the settings changed. */
    secret_service_clear (service, &connection_schema, req->profile_attributes, req->cancellable,
                          on_cleared_cb, task);
}

static void
on_service_answered_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source_object), result, &error);
  if (reply == NULL)
    {
      request_return_error (task, error);
      return;
    }

  request_run (g_steal_pointer (&task), SECRET_SERVICE (source_object));
}

static void
on_service_ready_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      request_return_error (task, error);
      return;
    }

  /* libsecret keeps the service once it has been reached, so getting it
   * proves nothing the second time: a keyring that hangs since then must
   * still hit the time-out. Every Secret Service answers this property. */
  g_dbus_proxy_call (G_DBUS_PROXY (service),
                     "org.freedesktop.DBus.Properties.Get",
                     g_variant_new ("(ss)", "org.freedesktop.Secret.Service", "Collections"),
                     G_DBUS_CALL_FLAGS_NONE, -1, req->cancellable,
                     on_service_answered_cb, g_steal_pointer (&task));
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  g_debug ("no answer from the Secret Service within %u ms", req->timeout_ms);
  req->timed_out = TRUE;
  g_clear_pointer (&req->timer, g_source_unref);
  g_cancellable_cancel (req->cancellable);

  return G_SOURCE_REMOVE;
}

/* May run in the thread that cancels the caller's cancellable. */
static void
on_caller_cancelled_cb (GCancellable *caller,
                        gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Takes over the task reference. */
static void
request_start (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  req->started_us = g_get_monotonic_time ();
  req->cancellable = g_cancellable_new ();
  if (caller != NULL)
    {
      req->caller_cancellable = g_object_ref (caller);
      req->caller_handler = g_cancellable_connect (caller, G_CALLBACK (on_caller_cancelled_cb),
                                                   g_object_ref (req->cancellable), g_object_unref);
    }

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  req->timer = g_timeout_source_new (req->timeout_ms);
  g_source_set_static_name (req->timer, "[mw-secrets] time-out");
  /* No reference: request_free destroys the timer before the task goes away. */
  g_task_attach_source (task, req->timer, on_timeout_cb);

  secret_service_get (SECRET_SERVICE_OPEN_SESSION, req->cancellable, on_service_ready_cb, task);
}

static GTask *
request_new (SecretsOp            op,
             guint                timeout_ms,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Request *req = g_new0 (Request, 1);

  req->op = op;
  req->timeout_ms = timeout_ms != 0 ? timeout_ms : MW_SECRETS_DEFAULT_TIMEOUT_MS;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, req, request_free);

  return task;
}

/**
 * mw_secrets_store_async:
 * @profile: the profile name
 * @settings: the profile's settings; their password field is ignored
 * @password: the password; copied, and the copy is wiped after use
 *
 * Saves @password in the default keyring, replacing any earlier password of
 * @profile.
 */
void
mw_secrets_store_async (const char          *profile,
                        const MwDbSettings  *settings,
                        const char          *password,
                        guint                timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (profile != NULL && profile[0] != '\0');
  g_return_if_fail (settings != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_new (SECRETS_STORE, timeout_ms, cancellable, callback, user_data, mw_secrets_store_async);
  req = g_task_get_task_data (task);
  req->attributes = build_attributes (profile, settings);
  req->profile_attributes = build_attributes (profile, NULL);
  req->password = g_strdup (password);
  /* Translators: the name of a saved password in the keyring, as password
   * managers such as Seahorse show it; %s is the name of a connection. */
  req->label = g_strdup_printf (_("Mailwarden: password for %s"), profile);

  request_start (task);
}

gboolean
mw_secrets_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_secrets_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_secrets_lookup_async (const char          *profile,
                         const MwDbSettings  *settings,
                         guint                timeout_ms,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (profile != NULL && profile[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_new (SECRETS_LOOKUP, timeout_ms, cancellable, callback, user_data, mw_secrets_lookup_async);
  req = g_task_get_task_data (task);
  req->attributes = build_attributes (profile, settings);

  request_start (task);
}

char *
mw_secrets_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_secrets_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mw_secrets_clear_async (const char          *profile,
                        guint                timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (profile != NULL && profile[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = request_new (SECRETS_CLEAR, timeout_ms, cancellable, callback, user_data, mw_secrets_clear_async);
  req = g_task_get_task_data (task);
  req->profile_attributes = build_attributes (profile, NULL);

  request_start (task);
}

gboolean
mw_secrets_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
