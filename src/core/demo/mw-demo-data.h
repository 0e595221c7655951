/* mw-demo-data.h: the DBMail schema and realistic sample data for the demo and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

#define MW_DEMO_DATA_ERROR (mw_demo_data_error_quark ())

typedef enum
{
  MW_DEMO_DATA_ERROR_FAILED,
  MW_DEMO_DATA_ERROR_NO_SCHEMA,     /* the schema file is not in the resources */
  MW_DEMO_DATA_ERROR_NOT_DBMAIL,    /* the system users of a DBMail schema are missing */
} MwDemoDataError;

/* Every generated user can log in with this password, whatever its
 * encryption_type. */
#define MW_DEMO_PASSWORD "demo"

/* The groups (client_idnr) and their domains. */
#define MW_DEMO_N_GROUPS 4

GQuark   mw_demo_data_error_quark (void);

/* Runs sql/pgsql/dbmail.sql or sql/mysql/dbmail.sql (from the resource
 * /org/mailwarden/Mailwarden/sql/...) on an empty database. */
gboolean mw_demo_load_schema      (MwDb     *db,
                                   GError  **error);

/* Fills a freshly loaded schema with n_users users in MW_DEMO_N_GROUPS groups
 * and five domains, their aliases, forwards, catch-alls, mailboxes, shared
 * folders and MIME messages (some deleted or waiting to be purged).
 * The same seed gives the same data (apart from ids on a reused database).
 * The three system users are left as they are. */
gboolean mw_demo_populate         (MwDb     *db,
                                   guint     n_users,
                                   guint32   seed,
                                   GError  **error);

G_END_DECLS
