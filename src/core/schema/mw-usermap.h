/* mw-usermap.h: login maps, and the optional interface of a schema that
 * keeps them (DBMail: its dbmail_usermap table).
 *
 * A login map turns the name a client types into the user it logs in as,
 * per listening socket of the server: DBMail 3.5 (db_usermap_resolve in
 * dm_db.c) reads the rows whose login is the typed name or "ANY", refuses
 * the login when any row's denied socket matches the socket the client
 * connected to, and otherwise maps it with the row whose allowed socket
 * matches best (an empty allowed socket matches every socket); for "ANY"
 * the user is a format with one "%s" for the typed name ("%s@example.org").
 * Rows exist, but no row matches: the login is refused. No row at all: the
 * name is the user's own. DBMail consults the table only when it exists.
 *
 * A flavour without login maps does not implement MwLoginMapStore;
 * mw_schema_has_login_maps () says whether it does, and the
 * mw_schema_*login_map* () functions refuse with a sentence where it does
 * not. They run on a worker; the GUI and the CLI use the session's wrappers
 * (mw-session-usermap.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* The login of a row that applies to every typed name. */
#define MW_LOGIN_MAP_ANY "ANY"

typedef struct
{
  char *login;   /* the name a client types, or MW_LOGIN_MAP_ANY */
  char *allow;   /* the allowed socket: "" for every socket, "inet:ADDRESS[/BITS][:PORT]" or "unix:PATH" */
  char *deny;    /* the denied socket: "" for none */
  char *user;    /* the user it logs in as; for MW_LOGIN_MAP_ANY a format with one "%s" */
  char *key;     /* (nullable) opaque, made by the flavour: which row this is */
} MwLoginMap;

MwLoginMap *mw_login_map_new  (const char *login, const char *allow, const char *deny, const char *user);
MwLoginMap *mw_login_map_copy (const MwLoginMap *map);
void        mw_login_map_free (MwLoginMap *map);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwLoginMap, mw_login_map_free)

/* What mw_schema_set_account_login_maps () does with an account's maps. */
typedef enum
{
  MW_LOGIN_MAPS_LOCK,     /* refuse every login of the account, on every socket */
  MW_LOGIN_MAPS_CLEAR,    /* remove the account's maps */
  MW_LOGIN_MAPS_RESTORE,  /* put back the maps a Lock or Clear returned (Undo) */
} MwLoginMapsPreset;

#define MW_TYPE_LOGIN_MAP_STORE (mw_login_map_store_get_type ())
G_DECLARE_INTERFACE (MwLoginMapStore, mw_login_map_store, MW, LOGIN_MAP_STORE, GObject)

struct _MwLoginMapStoreInterface
{
  GTypeInterface parent_iface;

  gboolean    (*login_maps_table_exists) (MwLoginMapStore *self, MwDb *db, gboolean *exists,
                                          GCancellable *cancellable, GError **error);
  gboolean    (*create_login_maps_table) (MwLoginMapStore *self, const MwAdmin *admin, GError **error);
  GPtrArray  *(*list_login_maps)         (MwLoginMapStore *self, MwDb *db, const char *account_key,
                                          GCancellable *cancellable, GError **error);
  MwLoginMap *(*add_login_map)           (MwLoginMapStore *self, const MwAdmin *admin, const MwLoginMap *map,
                                          GError **error);
  MwLoginMap *(*update_login_map)        (MwLoginMapStore *self, const MwAdmin *admin, const char *key,
                                          const MwLoginMap *map, GError **error);
  MwLoginMap *(*delete_login_map)        (MwLoginMapStore *self, const MwAdmin *admin, const char *key,
                                          GError **error);
  GPtrArray  *(*set_account_login_maps)  (MwLoginMapStore *self, const MwAdmin *admin, const char *account_key,
                                          MwLoginMapsPreset preset, GPtrArray *restore, GError **error);
};

/* Whether the flavour has login maps (DBMail). Whether its table is there
 * is another question: mw_schema_login_maps_table_exists (). */
gboolean    mw_schema_has_login_maps            (MwSchema *self);

/* *exists: whether the table of login maps is there (DBMail consults it
 * only then). FALSE only on failure. */
gboolean    mw_schema_login_maps_table_exists   (MwSchema *self, MwDb *db, gboolean *exists,
                                                 GCancellable *cancellable, GError **error);
/* Creates the table as the flavour's own schema defines it (the app's
 * sql/<driver>/usermap.sql); only with the admin's consent. Refused with a
 * sentence when it is there already. */
gboolean    mw_schema_create_login_maps_table   (MwSchema *self, const MwAdmin *admin, GError **error);

/* The maps (MwLoginMap, with keys) of @account_key: the rows that log in as
 * the account, and the MW_LOGIN_MAP_ANY rows whose format yields its name;
 * every row when @account_key is NULL. Sorted by login, then allowed socket.
 * Empty when the table is not there. (transfer container) */
GPtrArray  *mw_schema_list_login_maps           (MwSchema *self, MwDb *db, const char *account_key,
                                                 GCancellable *cancellable, GError **error);
/* Checks and adds a row: sockets as described above, the user an existing
 * account's name (a format with exactly one "%s" for MW_LOGIN_MAP_ANY).
 * Returns the row as stored, with its key. (transfer full) */
MwLoginMap *mw_schema_add_login_map             (MwSchema *self, const MwAdmin *admin, const MwLoginMap *map,
                                                 GError **error);
/* Changes the row @key to @map (checked as on add); returns it as it was. */
MwLoginMap *mw_schema_update_login_map          (MwSchema *self, const MwAdmin *admin, const char *key,
                                                 const MwLoginMap *map, GError **error);
/* Deletes the row @key; returns it as it was, to undo with. */
MwLoginMap *mw_schema_delete_login_map          (MwSchema *self, const MwAdmin *admin, const char *key,
                                                 GError **error);
/* The Lock and Clear presets, and their Undo (@restore: what one of them
 * returned). Returns the account's own rows (those that log in as it) as
 * they were. (transfer container) */
GPtrArray  *mw_schema_set_account_login_maps    (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                                 MwLoginMapsPreset preset, GPtrArray *restore, GError **error);

/* The checks of a socket text, without a database: NULL with a sentence,
 * else the text as it is stored ("" for empty; a bare absolute path becomes
 * "unix:PATH"). @denied: for the denied socket (DBMail matches those only
 * with a port). (transfer full) */
char       *mw_login_map_normalize_socket       (const char *text, gboolean denied, GError **error);

G_END_DECLS
