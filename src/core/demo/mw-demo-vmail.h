/* mw-demo-vmail.h: the ISPmail and PostfixAdmin schemas and their sample data, for the demo and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"
#include "mw-demo-server.h"

G_BEGIN_DECLS

/* Runs sql/ispmail/<driver>.sql or sql/postfixadmin/<driver>.sql (from the
 * core's resources) on an empty database. */
gboolean mw_demo_vmail_load_schema (MwDb           *db,
                                    MwDemoFlavour   flavour,
                                    GError        **error);

/* Fills a freshly loaded ISPmail or PostfixAdmin schema: example.org,
 * example.com and bücher.example (stored as xn--bcher-kva.example), 40
 * mailboxes whose password is MW_DEMO_PASSWORD as {SHA512-CRYPT}, aliases
 * (a catch-all, a fan-out), forwards; for PostfixAdmin also names with
 * umlauts, the pseudo-domain ALL, a disabled mailbox, the alias domain
 * example.net, a vacation and quota2 rows. The same every time. */
gboolean mw_demo_vmail_populate    (MwDb           *db,
                                    MwDemoFlavour   flavour,
                                    GError        **error);

G_END_DECLS
