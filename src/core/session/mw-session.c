/* mw-session.c: one open connection: its settings, schema and worker pool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session.h"
#include "mw-session-private.h"

struct _MwSession
{
  GObject        parent_instance;

  char          *name;
  MwDbSettings  *settings;
  MwSchema      *schema;
  char          *audit_profile;
  gboolean       audit_profile_set;
  MwDbPool      *pool;
  MwDemoServer  *demo;
};

G_DEFINE_FINAL_TYPE (MwSession, mw_session, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
mw_session_finalize (GObject *object)
{
  MwSession *self = MW_SESSION (object);

  /* The workers first: their connections go to the demo server. */
  if (self->pool != NULL)
    mw_db_pool_shutdown (self->pool);
  g_clear_object (&self->pool);
  g_clear_pointer (&self->demo, mw_demo_server_stop);
  g_clear_object (&self->schema);
  g_free (self->audit_profile);
  g_clear_pointer (&self->settings, mw_db_settings_free);
  g_free (self->name);

  G_OBJECT_CLASS (mw_session_parent_class)->finalize (object);
}

static void
mw_session_class_init (MwSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_session_finalize;

  /* Something in the database changed through this session: the lists
   * showing it reload. The argument is an MwListKind. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_INT);
}

void
mw_session_notify_changed (MwSession *self,
                           int        kind)
{
  g_return_if_fail (MW_IS_SESSION (self));

  g_signal_emit (self, signals[CHANGED], 0, kind);
}

static void
mw_session_init (MwSession *self)
{
}

typedef struct
{
  char         *name;
  MwDbSettings *settings;
} ConnectData;

static void
connect_data_free (gpointer data)
{
  ConnectData *cd = data;

  g_free (cd->name);
  mw_db_settings_free (cd->settings);
  g_free (cd);
}

/* What the connect thread found: the schema, and the connection that found
 * it, which becomes the first worker's (a fresh server session costs more
 * than the schema check itself). */
typedef struct
{
  MwSchema *schema;
  MwDb     *db;
} Connected;

static void
connected_free (gpointer data)
{
  Connected *c = data;

  g_clear_object (&c->schema);
  g_clear_pointer (&c->db, mw_db_close);
  g_free (c);
}

/* What a fresh connection needs before it is handed on: the schema it holds,
 * and no transaction left open by the detection. */
static MwSchema *
open_schema (MwDb          *db,
             GCancellable  *cancellable,
             GError       **error)
{
  MwSchema *schema = mw_schema_open (db, cancellable, error);

  if (schema != NULL && mw_db_in_transaction (db))
    mw_db_rollback (db, NULL);
  return schema;
}

static void
connect_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ConnectData *cd = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDb) db = NULL;
  MwSchema *schema;
  Connected *c;

  db = mw_db_connect (cd->settings, cancellable, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  schema = open_schema (db, cancellable, &error);
  if (schema == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  c = g_new0 (Connected, 1);
  c->schema = schema;
  if (mw_db_is_connected (db))
    c->db = g_steal_pointer (&db);
  g_task_return_pointer (task, c, connected_free);
}

void
mw_session_connect_async (const char          *name,
                          const MwDbSettings  *settings,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ConnectData *cd = g_new0 (ConnectData, 1);

  cd->name = g_strdup (name);
  cd->settings = mw_db_settings_copy (settings);
  g_task_set_source_tag (task, mw_session_connect_async);
  g_task_set_task_data (task, cd, connect_data_free);
  g_task_run_in_thread (task, connect_thread);
}

MwSession *
mw_session_connect_finish (GAsyncResult  *result,
                           GError       **error)
{
  ConnectData *cd = g_task_get_task_data (G_TASK (result));
  Connected *c = g_task_propagate_pointer (G_TASK (result), error);
  MwSession *self;

  if (c == NULL)
    return NULL;

  self = g_object_new (MW_TYPE_SESSION, NULL);
  self->name = g_strdup (cd->name);
  self->settings = mw_db_settings_copy (cd->settings);
  self->schema = g_steal_pointer (&c->schema);
  if (c->db != NULL)
    self->pool = mw_db_pool_new_with_connection (self->settings, 2, g_steal_pointer (&c->db));
  else
    self->pool = mw_db_pool_new (self->settings, 2);
  connected_free (c);
  return self;
}

/**
 * mw_session_new_for_connection:
 * @name: (nullable): the saved connection's name, for the audit log
 * @settings: where @db is connected; copied
 * @db: (transfer full): an open connection, taken even on failure
 * @cancellable: (nullable): stops the schema detection
 * @error: what the detection found wrong
 *
 * For a program without a main loop, such as mailwarden-cli: detects the
 * schema on @db in the calling thread, and the session keeps @db for the
 * caller's own synchronous work (mw_session_get_db()). Connecting is left to
 * the caller so that it can tell a connection that failed from a database
 * that is not a mail database. Worker threads start only when
 * mw_session_get_pool() is first called; they open connections of their own.
 *
 * Returns: (transfer full): the session, or %NULL with @error set
 */
MwSession *
mw_session_new_for_connection (const char          *name,
                               const MwDbSettings  *settings,
                               MwDb                *db,
                               GCancellable        *cancellable,
                               GError             **error)
{
  g_autoptr(MwDb) owned = db;
  MwSchema *schema;
  MwSession *self;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  schema = open_schema (owned, cancellable, error);
  if (schema == NULL)
    return NULL;

  self = g_object_new (MW_TYPE_SESSION, NULL);
  self->name = g_strdup (name);
  self->settings = mw_db_settings_copy (settings);
  self->schema = schema;
  /* One worker on the caller's own connection: a program that waits for
   * each answer needs no second one, and the server sees one session. */
  self->pool = mw_db_pool_new_with_connection (self->settings, 1, g_steal_pointer (&owned));
  return self;
}

static void
demo_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  MwDemoServer *server = mw_demo_server_start_flavour (GPOINTER_TO_INT (task_data), 0, &error);

  if (server == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, server, (GDestroyNotify) mw_demo_server_stop);
}

void
mw_session_start_demo_async (GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  mw_session_start_flavour_demo_async (MW_DEMO_FLAVOUR_DBMAIL, cancellable, callback, user_data);
}

void
mw_session_start_flavour_demo_async (MwDemoFlavour        flavour,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, mw_session_start_demo_async);
  g_task_set_task_data (task, GINT_TO_POINTER (flavour), NULL);
  g_task_run_in_thread (task, demo_thread);
}

MwDemoServer *
mw_session_start_demo_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
mw_session_get_name (MwSession *self)
{
  return self->name;
}

MwDbPool *
mw_session_get_pool (MwSession *self)
{
  return self->pool;
}

MwDbDriver
mw_session_get_driver (MwSession *self)
{
  return self->settings->driver;
}

const MwSchemaInfo *
mw_session_get_info (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);

  return mw_schema_get_info (self->schema);
}

MwSchema *
mw_session_get_schema (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);

  return self->schema;
}

MwMailStore *
mw_session_get_mail_store (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);

  return MW_IS_MAIL_STORE (self->schema) ? MW_MAIL_STORE (self->schema) : NULL;
}

/**
 * mw_session_set_audit_profile:
 * @profile: (nullable): the name the audit log gives the changes; NULL for
 *   the connection's address
 *
 * Until this is called, changes are logged under the session's name (the
 * saved connection's), as they always were.
 */
void
mw_session_set_audit_profile (MwSession  *self,
                              const char *profile)
{
  g_return_if_fail (MW_IS_SESSION (self));

  g_free (self->audit_profile);
  self->audit_profile = g_strdup (profile);
  self->audit_profile_set = TRUE;
}

const char *
_mw_session_get_audit_profile (MwSession *self)
{
  return self->audit_profile_set ? self->audit_profile : self->name;
}

void
mw_session_take_demo_server (MwSession    *self,
                             MwDemoServer *server)
{
  g_clear_pointer (&self->demo, mw_demo_server_stop);
  self->demo = server;
}
