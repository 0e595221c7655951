/* mw-alias-domains.c: the alias domain type and the optional interface's
 * entry points (mw-alias-domains.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-alias-domains"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-alias-domains.h"

G_DEFINE_INTERFACE (MwAliasDomainStore, mw_alias_domain_store, G_TYPE_OBJECT)

static void
mw_alias_domain_store_default_init (MwAliasDomainStoreInterface *iface)
{
}

MwAliasDomain *
mw_alias_domain_new (void)
{
  MwAliasDomain *d = g_new0 (MwAliasDomain, 1);

  d->active = TRUE;
  return d;
}

MwAliasDomain *
mw_alias_domain_copy (const MwAliasDomain *d)
{
  MwAliasDomain *copy;

  g_return_val_if_fail (d != NULL, NULL);

  copy = g_new0 (MwAliasDomain, 1);
  copy->name = g_strdup (d->name);
  copy->target = g_strdup (d->target);
  copy->active = d->active;
  copy->created = g_strdup (d->created);
  copy->modified = g_strdup (d->modified);
  return copy;
}

void
mw_alias_domain_free (MwAliasDomain *d)
{
  if (d == NULL)
    return;
  g_free (d->name);
  g_free (d->target);
  g_free (d->created);
  g_free (d->modified);
  g_free (d);
}

gboolean
mw_schema_has_alias_domains (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_ALIAS_DOMAIN_STORE (self);
}

static MwAliasDomainStore *
store_or_refuse (MwSchema  *self,
                 GError   **error)
{
  if (MW_IS_ALIAS_DOMAIN_STORE (self))
    return MW_ALIAS_DOMAIN_STORE (self);
  if (mw_schema_get_info (self)->kind == MW_SCHEMA_ISPMAIL)
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                 _("An ISPmail database has no alias domains: its tables have no place for them. To receive mail "
                   "for a second domain, add the domain and an alias for each address."));
  else
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                 _("This kind of mail database has no alias domains."));
  return NULL;
}

GPtrArray *
mw_schema_list_alias_domains (MwSchema      *self,
                              MwDb          *db,
                              const char    *domain,
                              GCancellable  *cancellable,
                              GError       **error)
{
  MwAliasDomainStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_ALIAS_DOMAIN_STORE_GET_IFACE (store)->list_alias_domains (store, db, domain, cancellable, error);
}

char *
mw_schema_add_alias_domain (MwSchema       *self,
                            const MwAdmin  *admin,
                            const char     *alias_domain,
                            const char     *target_domain,
                            gboolean        active,
                            GError        **error)
{
  MwAliasDomainStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_ALIAS_DOMAIN_STORE_GET_IFACE (store)->add_alias_domain (store, admin, alias_domain, target_domain,
                                                                    active, error);
}

MwAliasDomain *
mw_schema_set_alias_domain_active (MwSchema       *self,
                                   const MwAdmin  *admin,
                                   const char     *alias_domain,
                                   gboolean        active,
                                   GError        **error)
{
  MwAliasDomainStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_ALIAS_DOMAIN_STORE_GET_IFACE (store)->set_alias_domain_active (store, admin, alias_domain, active, error);
}

MwAliasDomain *
mw_schema_delete_alias_domain (MwSchema       *self,
                               const MwAdmin  *admin,
                               const char     *alias_domain,
                               GError        **error)
{
  MwAliasDomainStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_ALIAS_DOMAIN_STORE_GET_IFACE (store)->delete_alias_domain (store, admin, alias_domain, error);
}
