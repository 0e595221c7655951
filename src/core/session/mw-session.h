/* mw-session.h: one open connection: its settings, schema and worker pool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-db-pool.h"
#include "mw-demo-server.h"
#include "mw-schema.h"

G_BEGIN_DECLS

#define MW_TYPE_SESSION (mw_session_get_type ())
G_DECLARE_FINAL_TYPE (MwSession, mw_session, MW, SESSION, GObject)

/* Connects and detects the schema on a worker thread. */
void                mw_session_connect_async  (const char          *name,
                                               const MwDbSettings  *settings,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
MwSession          *mw_session_connect_finish (GAsyncResult  *result,
                                               GError       **error);
/* Detects the schema on @db, a connection the caller opened, in the calling
 * thread; the session keeps @db for the caller (mw_session_get_db). */
MwSession          *mw_session_new_for_connection (const char          *name,
                                                   const MwDbSettings  *settings,
                                                   MwDb                *db,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
/* Starts the demo database on a worker thread. */
void                mw_session_start_demo_async  (GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
MwDemoServer       *mw_session_start_demo_finish (GAsyncResult  *result,
                                                  GError       **error);

const char         *mw_session_get_name     (MwSession *self);
MwDbPool           *mw_session_get_pool     (MwSession *self);
/* The connection given to mw_session_new_for_connection, for synchronous work
 * in the thread that made the session; NULL for a session made by
 * mw_session_connect_async, whose connections belong to its workers. */
MwDb               *mw_session_get_db       (MwSession *self);
MwDbDriver          mw_session_get_driver   (MwSession *self);
const MwSchemaInfo *mw_session_get_info     (MwSession *self);
/* The session stops the demo server when it goes away. */
void                mw_session_take_demo_server (MwSession *self, MwDemoServer *server);
/* Tells whoever shows a list (an MwListKind) that its rows changed: the
 * "changed" signal. */
void                mw_session_notify_changed (MwSession *self, int kind);

G_END_DECLS
