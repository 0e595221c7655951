/* mw-vmail-trace.c: the delivery trace of ISPmail and PostfixAdmin, as
 * Postfix resolves an address with their documented maps
 * (VIRTUAL-MAIL-FACTS.md; tests/db/mw-test-vmail.c writes the same maps):
 *
 * virtual_alias_maps, each key asked of every table in order, the first
 * table with rows winning:
 *   1. the address:   ISPmail: virtual_aliases, then email2email (a mailbox
 *                     is its own target, so the catch-all does not swallow
 *                     it); PostfixAdmin: alias (active), then the alias
 *                     domain's maps (the same name at the target domain, then
 *                     the target domain's catch-all)
 *   2. without +detail (recipient_delimiter = +), the same tables
 *   3. "@domain": the catch-all
 * Each target found is resolved again the same way (an address that maps to
 * itself stays as it is); an address no alias has is final: a mailbox
 * (virtual_mailbox_maps; PostfixAdmin: active, also through an alias
 * domain), a disabled mailbox, "no such mailbox" in a domain of this
 * server, or an address on another server. Addresses are looked up in
 * lowercase, as Postfix asks. One indexed query per lookup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-vmail-trace"

#include "config.h"

#include <string.h>

#include "mw-ispmail-private.h"
#include "mw-postfixadmin-private.h"
#include "mw-trace.h"

/* Postfix's virtual_alias_recursion_limit. */
#define POSTFIX_RECURSION_LIMIT 1000

typedef struct
{
  MwSchema      *schema;
  gboolean       pfa;
  MwDb          *db;
  GCancellable  *cancellable;
  guint          budget;
  GError        *error;
} Trace;

static char *
sql_for (Trace      *t,
         const char *sql)
{
  if (t->pfa)
    return _mw_postfixadmin_sql (MW_POSTFIXADMIN_SCHEMA (t->schema), sql);
  return _mw_ispmail_sql (MW_ISPMAIL_SCHEMA (t->schema), sql);
}

static MwDbResult *
query (Trace      *t,
       const char *sql_text,
       const char *a,
       const char *b)
{
  g_autofree char *sql = sql_for (t, sql_text);
  MwDbValue params[] = { MW_DB_TEXT (a), MW_DB_TEXT (b) };

  if (t->error != NULL)
    return NULL;
  return mw_db_exec (t->db, sql, params, b != NULL ? 2 : 1, t->cancellable, &t->error);
}

/* The targets of the first column's rows (PostfixAdmin's goto split at
 * commas), NULL on failure. */
static GStrv
targets_of (Trace      *t,
            MwDbResult *r)
{
  GStrvBuilder *b;
  GStrv out;

  if (r == NULL)
    return NULL;
  b = g_strv_builder_new ();
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *value = mw_db_result_get_string (r, i, 0);

      if (t->pfa)
        {
          g_auto(GStrv) parts = _mw_postfixadmin_split_goto (value);

          g_strv_builder_addv (b, (const char **) parts);
        }
      else if (value != NULL)
        g_strv_builder_add (b, value);
    }
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

/* virtual_alias_maps' first table for one key. */
static GStrv
alias_rows (Trace      *t,
            const char *key)
{
  g_autoptr(MwDbResult) r = NULL;

  if (t->pfa)
    r = query (t, "SELECT goto FROM [alias] WHERE address = $1 AND active = '1'", key, NULL);
  else
    r = query (t, "SELECT destination FROM [aliases] WHERE source = $1 ORDER BY id", key, NULL);
  return targets_of (t, r);
}

/* SQL: $2 followed by the alias domain's target domain. */
static const char *
concat_target (Trace *t)
{
  return mw_db_get_driver (t->db) == MW_DB_DRIVER_PGSQL ? "($2::text || d.target_domain)"
                                                         : "CONCAT($2, d.target_domain)";
}

/* PostfixAdmin's alias-domain maps for local@domain: the same name at the
 * target domain, or (catch_all) the target domain's catch-all. *matched is
 * the alias found. */
static GStrv
alias_domain_rows (Trace       *t,
                   const char  *address,
                   gboolean     catch_all,
                   char       **matched)
{
  const char *at = strrchr (address, '@');
  g_autofree char *local = g_strndup (address, at - address + 1);
  g_autofree char *sql = g_strdup_printf ("SELECT a.goto, a.address FROM [alias] a JOIN [alias_domain] d "
                                          "ON a.address = %s WHERE d.alias_domain = $1 AND a.active = '1' "
                                          "AND d.active = '1'", concat_target (t));
  g_autoptr(MwDbResult) r = NULL;
  GStrv out;

  if (local[1] == '\0')
    return g_new0 (char *, 1);
  r = query (t, sql, at + 1, catch_all ? "@" : local);
  out = targets_of (t, r);
  if (out != NULL && out[0] != NULL)
    *matched = g_strdup (mw_db_result_get_string (r, 0, 1));
  return out;
}

static MwTraceNode *
mailbox_end (const char *address,
             const char *key,
             const char *name,
             gboolean    active,
             guint       depth)
{
  MwTraceNode *end = mw_trace_node_new (active ? MW_TRACE_NODE_MAILBOX : MW_TRACE_NODE_DISABLED, address, depth);

  end->account_key = g_strdup (key);
  end->account_name = g_strdup (name);
  return end;
}

/* ISPmail's email2email and virtual_mailbox_maps: the mailbox @address. */
static MwTraceNode *
ispmail_mailbox (Trace      *t,
                 const char *address,
                 guint       depth)
{
  g_autoptr(MwDbResult) r = query (t, "SELECT id, email FROM [users] WHERE email = $1", address, NULL);
  g_autofree char *key = NULL;

  if (r == NULL || mw_db_result_get_n_rows (r) == 0)
    return NULL;
  key = _mw_ispmail_key (mw_db_result_get_int64 (r, 0, 0));
  return mailbox_end (address, key, mw_db_result_get_string (r, 0, 1), TRUE, depth);
}

/* Where an address no alias has ends. */
static MwTraceNode *
final_end (Trace      *t,
           const char *address,
           guint       depth)
{
  const char *at = strrchr (address, '@');
  g_autoptr(MwDbResult) r = NULL;
  MwTraceNode *end;

  if (t->pfa)
    {
      /* virtual_mailbox_maps: the mailbox, then the same name through an alias domain. */
      r = query (t, "SELECT username, active FROM [mailbox] WHERE username = $1", address, NULL);
      if (r != NULL && mw_db_result_get_n_rows (r) == 0 && at != NULL)
        {
          g_autofree char *local = g_strndup (address, at - address + 1);
          g_autofree char *sql = g_strdup_printf ("SELECT m.username, m.active FROM [mailbox] m JOIN "
                                                  "[alias_domain] d ON m.username = %s WHERE d.alias_domain = $1 "
                                                  "AND d.active = '1'", concat_target (t));

          g_clear_pointer (&r, mw_db_result_unref);
          r = query (t, sql, at + 1, local);
        }
      if (r == NULL)
        return NULL;
      if (mw_db_result_get_n_rows (r) > 0)
        {
          const char *username = mw_db_result_get_string (r, 0, 0);
          const char *active = mw_db_result_get_string (r, 0, 1);
          gboolean on = active != NULL && (g_str_equal (active, "1") || g_str_equal (active, "t") ||
                                           g_str_equal (active, "true"));

          return mailbox_end (on ? username : address, username, username, on, depth);
        }
      g_clear_pointer (&r, mw_db_result_unref);
      if (at != NULL)
        r = query (t, "SELECT 1 FROM [domain] WHERE domain = $1", at + 1, NULL);
    }
  else
    {
      if ((end = ispmail_mailbox (t, address, depth)) != NULL || t->error != NULL)
        return end;
      if (at != NULL)
        r = query (t, "SELECT 1 FROM [domains] WHERE name = $1", at + 1, NULL);
    }
  if (t->error != NULL)
    return NULL;
  if (r != NULL && mw_db_result_get_n_rows (r) > 0)
    {
      end = mw_trace_node_new (MW_TRACE_NODE_DEAD_END, address, depth);
      end->step = MW_TRACE_STEP_MAILBOX;
      return end;
    }
  return mw_trace_node_new (MW_TRACE_NODE_EXTERNAL, address, depth);
}

static gboolean
on_path (GPtrArray  *path,
         const char *key)
{
  for (guint i = 0; i < path->len; i++)
    if (g_str_equal (path->pdata[i], key))
      return TRUE;
  return FALSE;
}

/* The node for @address at @depth (NULL on failure). */
static MwTraceNode *
resolve (Trace      *t,
         const char *address,
         guint       depth,
         GPtrArray  *path)
{
  g_autoptr(GPtrArray) missed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *bare = _mw_trace_strip_detail (address);
  const char *at = strrchr (address, '@');
  g_auto(GStrv) targets = NULL;
  g_autofree char *matched = NULL;
  MwTraceStep step = MW_TRACE_STEP_NONE;
  MwTraceNode *node = NULL;

  if (depth > POSTFIX_RECURSION_LIMIT)
    return mw_trace_node_new (MW_TRACE_NODE_TOO_DEEP, address, depth);
  if (on_path (path, address))
    return mw_trace_node_new (MW_TRACE_NODE_LOOP, address, depth);

  for (guint pass = 0; pass < 2 && step == MW_TRACE_STEP_NONE; pass++)
    {
      const char *key = pass == 0 ? address : bare;

      if (key == NULL)
        continue;
      g_strfreev (targets);
      if ((targets = alias_rows (t, key)) == NULL)
        return NULL;
      if (targets[0] != NULL)
        {
          step = pass == 0 ? MW_TRACE_STEP_ALIAS : MW_TRACE_STEP_ALIAS_NO_DETAIL;
          matched = g_strdup (key);
          break;
        }
      g_ptr_array_add (missed, g_strdup (key));
      if (t->pfa)
        {
          for (guint c = 0; c < 2 && step == MW_TRACE_STEP_NONE; c++)
            {
              g_strfreev (targets);
              if ((targets = alias_domain_rows (t, key, c == 1, &matched)) == NULL)
                return NULL;
              if (targets[0] != NULL)
                step = c == 0 ? MW_TRACE_STEP_ALIAS_DOMAIN : MW_TRACE_STEP_ALIAS_DOMAIN_CATCH_ALL;
            }
        }
      else
        {
          /* email2email: a mailbox is final here, before any catch-all. */
          if ((node = ispmail_mailbox (t, key, depth)) != NULL)
            break;
          if (t->error != NULL)
            return NULL;
        }
    }
  if (step == MW_TRACE_STEP_NONE && node == NULL && at != NULL)
    {
      g_autofree char *catch_all = g_strconcat ("@", at + 1, NULL);

      g_strfreev (targets);
      if ((targets = alias_rows (t, catch_all)) == NULL)
        return NULL;
      if (targets[0] != NULL)
        {
          step = MW_TRACE_STEP_DOMAIN_CATCH_ALL;
          matched = g_steal_pointer (&catch_all);
        }
      else
        g_ptr_array_add (missed, g_steal_pointer (&catch_all));
    }
  /* PostfixAdmin's own row of a mailbox (address = goto): the mailbox itself. */
  if (step == MW_TRACE_STEP_ALIAS && targets[0] != NULL && targets[1] == NULL &&
      g_ascii_strcasecmp (targets[0], address) == 0)
    step = MW_TRACE_STEP_NONE;
  if (step == MW_TRACE_STEP_NONE && node == NULL && (node = final_end (t, address, depth)) == NULL)
    return NULL;

  if (node == NULL)
    {
      node = mw_trace_node_new (MW_TRACE_NODE_ADDRESS, address, depth);
      node->step = step;
      node->matched = g_steal_pointer (&matched);
      g_ptr_array_add (path, g_strdup (address));
      for (guint i = 0; targets[i] != NULL; i++)
        {
          g_autofree char *target = g_utf8_strdown (targets[i], -1);
          MwTraceNode *child;

          if (!_mw_trace_take_budget (node, &t->budget))
            break;
          /* An address that maps to itself is delivered as it is. */
          if (g_str_equal (target, address) || (bare != NULL && step == MW_TRACE_STEP_ALIAS_NO_DETAIL &&
                                                g_str_equal (target, bare)))
            child = final_end (t, target, depth + 1);
          else
            child = resolve (t, target, depth + 1, path);
          if (child == NULL)
            {
              mw_trace_node_free (node);
              node = NULL;
              break;
            }
          mw_trace_node_add (node, child);
        }
      g_free (g_ptr_array_steal_index (path, path->len - 1));
      if (node == NULL)
        return NULL;
    }
  if (missed->len > 0)
    {
      g_ptr_array_add (missed, NULL);
      node->missed = (GStrv) g_ptr_array_steal (missed, NULL);
    }
  return node;
}

static MwTraceNode *
vmail_trace (MwTraceStore  *store,
             MwDb          *db,
             const char    *address,
             GCancellable  *cancellable,
             GError       **error)
{
  Trace t = { MW_SCHEMA (store), MW_IS_POSTFIXADMIN_SCHEMA (store), db, cancellable, MW_TRACE_MAX_NODES, NULL };
  g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = g_utf8_strdown (address, -1);
  MwTraceNode *root = resolve (&t, key, 0, path);

  if (root == NULL)
    {
      if (t.error == NULL)
        g_set_error_literal (&t.error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, "no trace");
      g_propagate_error (error, t.error);
      return NULL;
    }
  return root;
}

void
_mw_ispmail_trace_iface_init (MwTraceStoreInterface *iface)
{
  iface->trace = vmail_trace;
}

void
_mw_postfixadmin_trace_iface_init (MwTraceStoreInterface *iface)
{
  iface->trace = vmail_trace;
}
