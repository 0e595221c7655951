/* mw-alias-domains.h: alias domains, and the optional interface of a
 * schema that keeps them (PostfixAdmin: its alias_domain table, where mail
 * to user@alias.example goes to user@target.example).
 *
 * A flavour without alias domains (DBMail, ISPmail) does not implement
 * MwAliasDomainStore; mw_schema_has_alias_domains () says whether it does,
 * and the mw_schema_*_alias_domain* () functions refuse with a sentence
 * where it does not. They run on a worker; the GUI and the CLI use the
 * session's wrappers (mw-session-alias-domains.h).
 *
 * Names are given in Unicode or in A-labels and stored as Postfix looks
 * them up: lowercase A-labels ("xn--bcher-kva.example").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

typedef struct
{
  char     *name;       /* the alias domain, as stored */
  char     *target;     /* the domain its mail goes to, as stored */
  gboolean  active;
  char     *created;    /* "YYYY-MM-DD HH:MM:SS", the server's time; NULL when unknown */
  char     *modified;
} MwAliasDomain;

MwAliasDomain *mw_alias_domain_new  (void);
MwAliasDomain *mw_alias_domain_copy (const MwAliasDomain *alias_domain);
void           mw_alias_domain_free (MwAliasDomain *alias_domain);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwAliasDomain, mw_alias_domain_free)

#define MW_TYPE_ALIAS_DOMAIN_STORE (mw_alias_domain_store_get_type ())
G_DECLARE_INTERFACE (MwAliasDomainStore, mw_alias_domain_store, MW, ALIAS_DOMAIN_STORE, GObject)

struct _MwAliasDomainStoreInterface
{
  GTypeInterface parent_iface;

  GPtrArray     *(*list_alias_domains)      (MwAliasDomainStore *self, MwDb *db, const char *domain,
                                             GCancellable *cancellable, GError **error);
  char          *(*add_alias_domain)        (MwAliasDomainStore *self, const MwAdmin *admin, const char *alias_domain,
                                             const char *target_domain, gboolean active, GError **error);
  MwAliasDomain *(*set_alias_domain_active) (MwAliasDomainStore *self, const MwAdmin *admin, const char *alias_domain,
                                             gboolean active, GError **error);
  MwAliasDomain *(*delete_alias_domain)     (MwAliasDomainStore *self, const MwAdmin *admin, const char *alias_domain,
                                             GError **error);
};

/* Whether the flavour keeps alias domains (PostfixAdmin). */
gboolean       mw_schema_has_alias_domains      (MwSchema *self);

/* The alias domains (MwAliasDomain, by name) of @domain: those that are it
 * or go to it; every one when @domain is NULL. (transfer container) */
GPtrArray     *mw_schema_list_alias_domains     (MwSchema *self, MwDb *db, const char *domain,
                                                 GCancellable *cancellable, GError **error);
/* Mail to any address of @alias_domain goes to the same local part at
 * @target_domain. Both must be domains of the database; the alias domain
 * may not already be one, nor be the target of one, and the target may not
 * be an alias domain itself (no chains, no loops). One transaction.
 * Returns the alias domain's name as stored. (transfer full) */
char          *mw_schema_add_alias_domain       (MwSchema *self, const MwAdmin *admin, const char *alias_domain,
                                                 const char *target_domain, gboolean active, GError **error);
/* Turns it on or off; returns it as it was before, to undo with. */
MwAliasDomain *mw_schema_set_alias_domain_active (MwSchema *self, const MwAdmin *admin, const char *alias_domain,
                                                  gboolean active, GError **error);
/* Deletes it (the domain itself stays); returns it as it was, to undo with. */
MwAliasDomain *mw_schema_delete_alias_domain    (MwSchema *self, const MwAdmin *admin, const char *alias_domain,
                                                 GError **error);

G_END_DECLS
