/* mw-profiles.h: saved connection profiles (no passwords) in a key file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

/* $XDG_CONFIG_HOME/mailwarden/profiles.ini; one group per profile with the keys
 * driver (postgresql|mysql), host, socket, port, database, user, tls-mode,
 * tls-ca-file, table-prefix, connect-timeout. */
char         *mw_profiles_get_path  (void);
GStrv         mw_profiles_list      (GError **error);
MwDbSettings *mw_profiles_load      (const char *name, GError **error);
gboolean      mw_profiles_save      (const char *name, const MwDbSettings *settings, GError **error);
gboolean      mw_profiles_remove    (const char *name, GError **error);

G_END_DECLS
