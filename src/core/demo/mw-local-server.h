/* mw-local-server.h: private throwaway PostgreSQL and MariaDB servers for tests and the demo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

#define MW_LOCAL_SERVER_ERROR (mw_local_server_error_quark ())

typedef enum
{
  MW_LOCAL_SERVER_ERROR_FAILED,        /* a command or a statement failed */
  MW_LOCAL_SERVER_ERROR_NOT_INSTALLED, /* initdb/pg_ctl or mariadbd/mariadb-install-db not found */
  MW_LOCAL_SERVER_ERROR_START_FAILED,  /* the server did not come up; its log is in the message */
} MwLocalServerError;

typedef struct _MwLocalServer MwLocalServer;

GQuark              mw_local_server_error_quark     (void);

/* Creates a data directory under g_get_tmp_dir() and starts a server that
 * listens only on a unix socket in that directory. Works as root and as a
 * normal user. */
MwLocalServer      *mw_local_server_start           (MwDbDriver       driver,
                                                     GError         **error);
MwDbDriver          mw_local_server_get_driver      (MwLocalServer   *self);

/* The superuser over the unix socket: "postgres" without a password and
 * database "postgres" (pg), or "root" with an empty password and database
 * "mysql" (mysql). Owned by the server. */
const MwDbSettings *mw_local_server_get_settings    (MwLocalServer   *self);

/* A copy of the superuser settings with database, user and password replaced;
 * NULL keeps the superuser's database or user, and means no password.
 * (transfer full) */
MwDbSettings       *mw_local_server_settings_for    (MwLocalServer   *self,
                                                     const char      *database,
                                                     const char      *user,
                                                     const char      *password);

/* A new empty database (UTF-8; utf8mb4 on MariaDB) with a unique name made
 * from prefix_hint. Returns the name. (transfer full) */
char               *mw_local_server_create_database (MwLocalServer   *self,
                                                     const char      *prefix_hint,
                                                     GError         **error);

/* A login role (pg) or user@localhost (mysql, mysql_native_password) that
 * must give its password. It gets no rights on any database: grant them with
 * the superuser settings. name: [A-Za-z0-9_]{1,32}. */
gboolean            mw_local_server_create_role     (MwLocalServer   *self,
                                                     const char      *name,
                                                     const char      *password,
                                                     GError         **error);

/* The directory holding data, socket and logs (for debugging). */
const char         *mw_local_server_get_directory   (MwLocalServer   *self);

/* Stops the server (immediately, without waiting for clients), removes its
 * directory and frees self. NULL is allowed; a server that never came up
 * completely is cleaned up as far as it got. */
void                mw_local_server_stop            (MwLocalServer   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwLocalServer, mw_local_server_stop)

G_END_DECLS
