/* mw-demo-server.h: a private PostgreSQL with a DBMail database full of sample data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

typedef struct _MwDemoServer MwDemoServer;

#define MW_DEMO_USERS 300
#define MW_DEMO_SEED  20261122

/* Starts the server in a runtime directory, loads the schema and the sample
 * data; everything is removed again by mw_demo_server_stop(). */
MwDemoServer       *mw_demo_server_start        (guint n_users, GError **error);
const MwDbSettings *mw_demo_server_get_settings (MwDemoServer *self);
void                mw_demo_server_stop         (MwDemoServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDemoServer, mw_demo_server_stop)

G_END_DECLS
