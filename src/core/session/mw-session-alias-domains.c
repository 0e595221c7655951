/* mw-session-alias-domains.c: the session's wrappers of the alias domain
 * operations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-alias-domains.h"
#include "mw-session-private.h"

#define ALIAS_DOMAIN_CHANGES (MW_SESSION_CHANGES (MW_LIST_ALIAS_DOMAINS) | MW_SESSION_CHANGES (MW_LIST_DOMAINS))

static gpointer
list_work (MwSchema       *schema,
           const MwAdmin  *admin,
           MwSessionArgs  *args,
           GCancellable   *cancellable,
           GError        **error)
{
  return mw_schema_list_alias_domains (schema, admin->db, args->text, cancellable, error);
}

static const MwSessionOp list_op = { list_work, (GDestroyNotify) g_ptr_array_unref };

void
mw_session_list_alias_domains_async (MwSession           *self,
                                     const char          *domain,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (domain);
  _mw_session_run (self, &list_op, args, FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_list_alias_domains_finish (MwSession     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _mw_session_finish (self, result, &list_op, NULL, error);
}

static gpointer
add_work (MwSchema       *schema,
          const MwAdmin  *admin,
          MwSessionArgs  *args,
          GCancellable   *cancellable,
          GError        **error)
{
  return mw_schema_add_alias_domain (schema, admin, args->text, args->target, args->option, error);
}

static const MwSessionOp add_op = { add_work, g_free, ALIAS_DOMAIN_CHANGES };

void
mw_session_add_alias_domain_async (MwSession           *self,
                                   const char          *alias_domain,
                                   const char          *target_domain,
                                   gboolean             active,
                                   gboolean             dry_run,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (alias_domain);
  args->target = g_strdup (target_domain);
  args->option = active;
  _mw_session_run (self, &add_op, args, dry_run, cancellable, callback, user_data);
}

char *
mw_session_add_alias_domain_finish (MwSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _mw_session_finish (self, result, &add_op, NULL, error);
}

static gpointer
set_active_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  return mw_schema_set_alias_domain_active (schema, admin, args->text, args->option, error);
}

static const MwSessionOp set_active_op = { set_active_work, (GDestroyNotify) mw_alias_domain_free,
                                           ALIAS_DOMAIN_CHANGES };

void
mw_session_set_alias_domain_active_async (MwSession           *self,
                                          const char          *alias_domain,
                                          gboolean             active,
                                          gboolean             dry_run,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (alias_domain);
  args->option = active;
  _mw_session_run (self, &set_active_op, args, dry_run, cancellable, callback, user_data);
}

MwAliasDomain *
mw_session_set_alias_domain_active_finish (MwSession     *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return _mw_session_finish (self, result, &set_active_op, NULL, error);
}

static gpointer
delete_work (MwSchema       *schema,
             const MwAdmin  *admin,
             MwSessionArgs  *args,
             GCancellable   *cancellable,
             GError        **error)
{
  return mw_schema_delete_alias_domain (schema, admin, args->text, error);
}

static const MwSessionOp delete_op = { delete_work, (GDestroyNotify) mw_alias_domain_free, ALIAS_DOMAIN_CHANGES };

void
mw_session_delete_alias_domain_async (MwSession           *self,
                                      const char          *alias_domain,
                                      gboolean             dry_run,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (alias_domain);
  _mw_session_run (self, &delete_op, args, dry_run, cancellable, callback, user_data);
}

MwAliasDomain *
mw_session_delete_alias_domain_finish (MwSession     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _mw_session_finish (self, result, &delete_op, NULL, error);
}
