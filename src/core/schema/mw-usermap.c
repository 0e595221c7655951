/* mw-usermap.c: the login map type, the socket checks, and the optional
 * interface's entry points (mw-usermap.h).
 *
 * The sockets are checked against what DBMail 3.5 can match (dm_sock_score
 * and dm_sock_compare in dm_misc.c, cidr_new and cidr_match in dm_cidr.c):
 *
 * - DBMail compares the socket the client connected to, as
 *   "inet:SERVER-ADDRESS:PORT", with each row's sockets.
 * - "inet:ADDRESS[/BITS][:PORT]" is read with inet_aton(): IPv4 only. An
 *   IPv6 address never matches (cidr_new fails), so it is refused here.
 *   0.0.0.0 (or /0) is every address; no port (or 0) every port, but only
 *   for the allowed socket: a denied socket must name the port, since
 *   cidr_match compares the client's port with it.
 * - "unix:PATTERN" is matched with fnmatch() against the client socket's
 *   text after its first colon, so "unix:*" matches every socket (the
 *   wildcard Lock uses) and "unix:/run/x.sock" is kept as written.
 *   A bare absolute path is stored as "unix:PATH".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-usermap"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "mw-usermap.h"

G_DEFINE_INTERFACE (MwLoginMapStore, mw_login_map_store, G_TYPE_OBJECT)

static void
mw_login_map_store_default_init (MwLoginMapStoreInterface *iface)
{
}

MwLoginMap *
mw_login_map_new (const char *login,
                  const char *allow,
                  const char *deny,
                  const char *user)
{
  MwLoginMap *map = g_new0 (MwLoginMap, 1);

  map->login = g_strdup (login != NULL ? login : "");
  map->allow = g_strdup (allow != NULL ? allow : "");
  map->deny = g_strdup (deny != NULL ? deny : "");
  map->user = g_strdup (user != NULL ? user : "");
  return map;
}

MwLoginMap *
mw_login_map_copy (const MwLoginMap *map)
{
  MwLoginMap *copy;

  g_return_val_if_fail (map != NULL, NULL);

  copy = mw_login_map_new (map->login, map->allow, map->deny, map->user);
  copy->key = g_strdup (map->key);
  return copy;
}

void
mw_login_map_free (MwLoginMap *map)
{
  if (map == NULL)
    return;
  g_free (map->login);
  g_free (map->allow);
  g_free (map->deny);
  g_free (map->user);
  g_free (map->key);
  g_free (map);
}

/* The IPv4 dotted quad inet_aton() reads the way a person means it: four
 * decimal numbers 0-255 (inet_aton also takes "10.1" and octal, which
 * nobody writes on purpose). */
static gboolean
is_ipv4 (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ".", -1);

  if (g_strv_length (parts) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      char *end = NULL;
      guint64 n;

      if (parts[i][0] == '\0' || strlen (parts[i]) > 3 || !g_ascii_isdigit (parts[i][0]))
        return FALSE;
      n = g_ascii_strtoull (parts[i], &end, 10);
      if (*end != '\0' || n > 255)
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_number (const char *text,
              guint64     max,
              guint64    *out)
{
  char *end = NULL;

  if (text[0] == '\0' || strlen (text) > 5)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  *out = g_ascii_strtoull (text, &end, 10);
  return *end == '\0' && *out <= max;
}

static char *
bad_socket (GError     **error,
            const char  *text)
{
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
               _("“%s” is not a socket DBMail can match: type inet:ADDRESS:PORT with an IPv4 address, such as "
                 "inet:192.0.2.10:143 (0.0.0.0 or /BITS for several addresses), unix:PATH, or leave it empty."),
               text);
  return NULL;
}

char *
mw_login_map_normalize_socket (const char  *text,
                               gboolean     denied,
                               GError     **error)
{
  g_autofree char *trimmed = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The socket is not valid UTF-8 text: type it again, such as inet:192.0.2.10:143."));
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    return g_strdup ("");
  for (const char *p = trimmed; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || *p == ' ' || *p == '\'' || *p == '"' || *p == '\\' || *p == ';')
      return bad_socket (error, trimmed);
  if (strlen (trimmed) > 100)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The socket is too long: this database holds at most %d characters."), 100);
      return NULL;
    }

  if (trimmed[0] == '/')
    return g_strconcat ("unix:", trimmed, NULL);
  if (g_str_has_prefix (trimmed, "unix:"))
    {
      const char *path = trimmed + 5;

      if (g_strcmp0 (path, "*") != 0 && path[0] != '/')
        return bad_socket (error, trimmed);
      return g_strdup (trimmed);
    }
  if (g_str_has_prefix (trimmed, "inet:"))
    {
      const char *rest = trimmed + 5;
      const char *colon = strchr (rest, ':');
      g_autofree char *address = colon != NULL ? g_strndup (rest, colon - rest) : g_strdup (rest);
      const char *port = colon != NULL ? colon + 1 : NULL;
      char *slash = strchr (address, '/');
      guint64 n = 0;

      if (strchr (rest, '[') != NULL || (colon != NULL && strchr (port, ':') != NULL) ||
          (address[0] == '\0' && colon != NULL))
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("“%s” names an IPv6 address: DBMail 3.5 compares only IPv4 addresses in login maps, "
                         "so it would never match. Type an IPv4 address, such as inet:192.0.2.10:143."),
                       trimmed);
          return NULL;
        }
      if (slash != NULL)
        {
          *slash = '\0';
          if (!parse_number (slash + 1, 32, &n))
            return bad_socket (error, trimmed);
        }
      if (!is_ipv4 (address))
        return bad_socket (error, trimmed);
      if (port != NULL && (!parse_number (port, 65535, &n)))
        return bad_socket (error, trimmed);
      if (denied && (port == NULL || n == 0))
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("“%s” has no port: DBMail refuses a login on a denied socket only when its port is "
                         "the one the client connected to. Add the port, such as %s:143, or use unix:* to "
                         "refuse every socket."), trimmed, trimmed);
          return NULL;
        }
      return g_strdup (trimmed);
    }
  return bad_socket (error, trimmed);
}

gboolean
mw_schema_has_login_maps (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_LOGIN_MAP_STORE (self);
}

static MwLoginMapStore *
store_or_refuse (MwSchema  *self,
                 GError   **error)
{
  if (MW_IS_LOGIN_MAP_STORE (self))
    return MW_LOGIN_MAP_STORE (self);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This kind of mail database has no login maps: only DBMail maps login names per socket."));
  return NULL;
}

gboolean
mw_schema_login_maps_table_exists (MwSchema      *self,
                                   MwDb          *db,
                                   gboolean      *exists,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  MwLoginMapStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (exists != NULL, FALSE);

  *exists = FALSE;
  if ((store = store_or_refuse (self, error)) == NULL)
    return FALSE;
  return MW_LOGIN_MAP_STORE_GET_IFACE (store)->login_maps_table_exists (store, db, exists, cancellable, error);
}

gboolean
mw_schema_create_login_maps_table (MwSchema       *self,
                                   const MwAdmin  *admin,
                                   GError        **error)
{
  MwLoginMapStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (admin != NULL, FALSE);

  if ((store = store_or_refuse (self, error)) == NULL)
    return FALSE;
  return MW_LOGIN_MAP_STORE_GET_IFACE (store)->create_login_maps_table (store, admin, error);
}

GPtrArray *
mw_schema_list_login_maps (MwSchema      *self,
                           MwDb          *db,
                           const char    *account_key,
                           GCancellable  *cancellable,
                           GError       **error)
{
  MwLoginMapStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_LOGIN_MAP_STORE_GET_IFACE (store)->list_login_maps (store, db, account_key, cancellable, error);
}

MwLoginMap *
mw_schema_add_login_map (MwSchema          *self,
                         const MwAdmin     *admin,
                         const MwLoginMap  *map,
                         GError           **error)
{
  MwLoginMapStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && map != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_LOGIN_MAP_STORE_GET_IFACE (store)->add_login_map (store, admin, map, error);
}

MwLoginMap *
mw_schema_update_login_map (MwSchema          *self,
                            const MwAdmin     *admin,
                            const char        *key,
                            const MwLoginMap  *map,
                            GError           **error)
{
  MwLoginMapStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && map != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_LOGIN_MAP_STORE_GET_IFACE (store)->update_login_map (store, admin, key, map, error);
}

MwLoginMap *
mw_schema_delete_login_map (MwSchema       *self,
                            const MwAdmin  *admin,
                            const char     *key,
                            GError        **error)
{
  MwLoginMapStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_LOGIN_MAP_STORE_GET_IFACE (store)->delete_login_map (store, admin, key, error);
}

GPtrArray *
mw_schema_set_account_login_maps (MwSchema           *self,
                                  const MwAdmin      *admin,
                                  const char         *account_key,
                                  MwLoginMapsPreset   preset,
                                  GPtrArray          *restore,
                                  GError            **error)
{
  MwLoginMapStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_LOGIN_MAP_STORE_GET_IFACE (store)->set_account_login_maps (store, admin, account_key, preset, restore,
                                                                       error);
}
