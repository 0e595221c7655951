/* mw-demo-server.h: a private PostgreSQL with a DBMail, ISPmail or PostfixAdmin database full of sample data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

typedef struct _MwDemoServer MwDemoServer;

/* Which kind of mail database the demo holds. */
typedef enum
{
  MW_DEMO_FLAVOUR_DBMAIL,
  MW_DEMO_FLAVOUR_ISPMAIL,
  MW_DEMO_FLAVOUR_POSTFIXADMIN,
} MwDemoFlavour;

/* The number of mailboxes mw_demo_vmail_populate() makes. */
#define MW_DEMO_VMAIL_MAILBOXES 40

/* "dbmail", "ispmail", "postfixadmin" (also the --demo=NAME values). */
const char *mw_demo_flavour_to_string   (MwDemoFlavour  flavour);
gboolean    mw_demo_flavour_from_string (const char    *name,
                                         MwDemoFlavour *flavour);

#define MW_DEMO_USERS 300
#define MW_DEMO_SEED  20261122

/* Starts the server in a runtime directory, loads the schema and the sample
 * data; everything is removed again by mw_demo_server_stop(). */
MwDemoServer       *mw_demo_server_start        (guint n_users, GError **error);
/* The same for any flavour; n_users only counts for DBMail (ISPmail and
 * PostfixAdmin get MW_DEMO_VMAIL_MAILBOXES). */
MwDemoServer       *mw_demo_server_start_flavour (MwDemoFlavour flavour, guint n_users, GError **error);
MwDemoFlavour       mw_demo_server_get_flavour  (MwDemoServer *self);
const MwDbSettings *mw_demo_server_get_settings (MwDemoServer *self);
void                mw_demo_server_stop         (MwDemoServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDemoServer, mw_demo_server_stop)

G_END_DECLS
