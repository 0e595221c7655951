/* mw-demo-server.c: a private PostgreSQL with a DBMail, ISPmail or PostfixAdmin database full of sample data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-demo-server"

#include "config.h"

#include "mw-demo-data.h"
#include "mw-demo-server.h"
#include "mw-demo-vmail.h"
#include "mw-local-server.h"

struct _MwDemoServer
{
  MwLocalServer *server;
  MwDbSettings  *settings;
  MwDemoFlavour  flavour;
};

MwDemoServer *
mw_demo_server_start (guint    n_users,
                      GError **error)
{
  return mw_demo_server_start_flavour (MW_DEMO_FLAVOUR_DBMAIL, n_users, error);
}

MwDemoServer *
mw_demo_server_start_flavour (MwDemoFlavour   flavour,
                              guint           n_users,
                              GError        **error)
{
  g_autoptr(MwDb) db = NULL;
  g_autofree char *database = NULL;
  MwDemoServer *self = g_new0 (MwDemoServer, 1);

  self->flavour = flavour;

  self->server = mw_local_server_start (MW_DB_DRIVER_PGSQL, error);
  if (self->server == NULL)
    goto failed;
  database = mw_local_server_create_database (self->server, "demo", error);
  if (database == NULL)
    goto failed;
  self->settings = mw_local_server_settings_for (self->server, database, NULL, NULL);

  db = mw_db_connect (self->settings, NULL, error);
  if (db == NULL)
    goto failed;
  if (flavour == MW_DEMO_FLAVOUR_DBMAIL)
    {
      if (!mw_demo_load_schema (db, error) ||
          !mw_demo_populate (db, n_users != 0 ? n_users : MW_DEMO_USERS, MW_DEMO_SEED, error))
        goto failed;
    }
  else if (!mw_demo_vmail_load_schema (db, flavour, error) ||
           !mw_demo_vmail_populate (db, flavour, error))
    goto failed;

  return self;

failed:
  mw_demo_server_stop (self);
  return NULL;
}

const MwDbSettings *
mw_demo_server_get_settings (MwDemoServer *self)
{
  return self->settings;
}

MwDemoFlavour
mw_demo_server_get_flavour (MwDemoServer *self)
{
  return self->flavour;
}

void
mw_demo_server_stop (MwDemoServer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->server, mw_local_server_stop);
  g_clear_pointer (&self->settings, mw_db_settings_free);
  g_free (self);
}
