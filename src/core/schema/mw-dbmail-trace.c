/* mw-dbmail-trace.c: DBMail's delivery trace, in the order dbmail-deliver
 * resolves an address (docs: DBMAIL-FACTS.md, dbmail_aliases):
 *
 *   1. the address as an alias        4. the user name without +detail
 *   2. the alias without +detail      5. domain catch-alls, walking up:
 *   3. users.userid                      "@a.b.example", "@.b.example", "@.example"
 *                                     6. the local-part catch-all "name@"
 *
 * An alias's rows fan out; a deliver_to of digits is a user number (its
 * INBOX; a disabled user gets nothing), "|cmd" or "!cmd" a program, any
 * other text is looked up as an alias again (DBMail's auth_check_user_ext,
 * at most MW_TRACE_MAX_LEVELS deep) and, when no alias has it, forwarded
 * out. Lookups compare without case and skip rows that point at themselves,
 * as DBMail's `lower(alias) = lower(?) AND lower(alias) <> lower(deliver_to)`.
 * Each lookup is one indexed query (alias, user name or user number).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-trace"

#include "config.h"

#include <string.h>

#include "mw-dbmail-private.h"
#include "mw-dbmail-schema.h"
#include "mw-sql-dialect.h"
#include "mw-trace.h"

typedef struct
{
  MwDb          *db;
  GCancellable  *cancellable;
  guint          budget;
  GError        *error;
} Trace;

/* The deliver_to values of the alias @key (GStrv, empty when none), or NULL
 * on failure. */
static GStrv
alias_targets (Trace      *t,
               const char *key)
{
  MwDbDriver driver = mw_db_get_driver (t->db);
  g_autofree char *eq = mw_sql_ci_equal (driver, "alias", "$1");
  g_autofree char *ci_alias = mw_sql_ci (driver, "alias");
  g_autofree char *ci_target = mw_sql_ci (driver, "deliver_to");
  g_autofree char *sql = g_strdup_printf ("SELECT deliver_to FROM {aliases} WHERE %s AND %s <> %s "
                                          "ORDER BY alias_idnr", eq, ci_alias, ci_target);
  MwDbValue params[] = { MW_DB_TEXT (key) };
  g_autoptr(MwDbResult) r = NULL;
  GStrvBuilder *b;
  GStrv out;

  if (t->error != NULL)
    return NULL;
  r = mw_db_exec (t->db, sql, params, 1, t->cancellable, &t->error);
  if (r == NULL)
    return NULL;
  b = g_strv_builder_new ();
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    g_strv_builder_add (b, mw_db_result_get_string (r, i, 0));
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

/* A user by name (as DBMail: without case, the exact spelling first) or by
 * number: TRUE when found, with its number, name and whether it is active. */
static gboolean
find_user (Trace       *t,
           const char  *name,
           gint64       number,
           gint64      *idnr,
           char       **userid,
           gboolean    *active)
{
  g_autoptr(MwDbResult) r = NULL;

  if (t->error != NULL)
    return FALSE;
  if (name != NULL)
    {
      g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (t->db), "userid", "$1");
      g_autofree char *sql = g_strdup_printf ("SELECT user_idnr, userid, active FROM {users} WHERE %s AND "
                                              MW_DBMAIL_NOT_SYSTEM ("userid")
                                              " ORDER BY CASE WHEN userid = $1 THEN 0 ELSE 1 END, user_idnr "
                                              "LIMIT 1", eq);
      MwDbValue params[] = { MW_DB_TEXT (name) };

      r = mw_db_exec (t->db, sql, params, 1, t->cancellable, &t->error);
    }
  else
    {
      MwDbValue params[] = { MW_DB_INT64 (number) };

      r = mw_db_exec (t->db, "SELECT user_idnr, userid, active FROM {users} WHERE user_idnr = $1",
                      params, 1, t->cancellable, &t->error);
    }
  if (r == NULL || mw_db_result_get_n_rows (r) == 0)
    return FALSE;
  *idnr = mw_db_result_get_int64 (r, 0, 0);
  *userid = g_strdup (mw_db_result_get_string (r, 0, 1));
  *active = mw_db_result_is_null (r, 0, 2) || mw_db_result_get_int64 (r, 0, 2) != 0;
  return TRUE;
}

/* The end for a user: its mailbox, or "disabled". */
static MwTraceNode *
user_end (const char *address,
          gint64      idnr,
          const char *userid,
          gboolean    active,
          guint       depth)
{
  MwTraceNode *end = mw_trace_node_new (active ? MW_TRACE_NODE_MAILBOX : MW_TRACE_NODE_DISABLED,
                                        address, depth);

  end->account_key = _mw_dbmail_key (idnr);
  end->account_name = g_strdup (userid);
  return end;
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
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

static void follow_targets (Trace *t, MwTraceNode *node, GStrv targets, GPtrArray *path);

/* One deliver_to under @parent, as auth_check_user_ext () reads it. */
static void
follow (Trace       *t,
        MwTraceNode *parent,
        const char  *target,
        GPtrArray   *path)
{
  guint depth = parent->depth + 1;
  g_autofree char *key = g_utf8_strdown (target, -1);
  g_auto(GStrv) targets = NULL;

  if (t->error != NULL || !_mw_trace_take_budget (parent, &t->budget))
    return;
  if (depth > MW_TRACE_MAX_LEVELS)
    {
      mw_trace_node_add (parent, mw_trace_node_new (MW_TRACE_NODE_TOO_DEEP, target, depth));
      return;
    }
  if (on_path (path, key))
    {
      mw_trace_node_add (parent, mw_trace_node_new (MW_TRACE_NODE_LOOP, target, depth));
      return;
    }
  if ((targets = alias_targets (t, target)) == NULL)
    return;
  if (targets[0] != NULL)
    {
      MwTraceNode *node = mw_trace_node_add (parent, mw_trace_node_new (MW_TRACE_NODE_ADDRESS, target, depth));

      node->step = MW_TRACE_STEP_ALIAS;
      node->matched = g_strdup (target);
      g_ptr_array_add (path, g_steal_pointer (&key));
      follow_targets (t, node, targets, path);
      g_free (g_ptr_array_steal_index (path, path->len - 1));
      return;
    }
  if (all_digits (target))
    {
      gint64 idnr = 0;
      g_autofree char *userid = NULL;
      gboolean active = TRUE;

      if (strlen (target) < 19 && find_user (t, NULL, g_ascii_strtoll (target, NULL, 10), &idnr, &userid, &active))
        mw_trace_node_add (parent, user_end (userid, idnr, userid, active, depth));
      else if (t->error == NULL)
        {
          MwTraceNode *end = mw_trace_node_add (parent, mw_trace_node_new (MW_TRACE_NODE_DEAD_END, target, depth));

          end->step = MW_TRACE_STEP_USER;
        }
      return;
    }
  if (target[0] == '|' || target[0] == '!')
    {
      mw_trace_node_add (parent, mw_trace_node_new (MW_TRACE_NODE_PIPE, target, depth));
      return;
    }
  mw_trace_node_add (parent, mw_trace_node_new (MW_TRACE_NODE_EXTERNAL, target, depth));
}

static void
follow_targets (Trace       *t,
                MwTraceNode *node,
                GStrv        targets,
                GPtrArray   *path)
{
  for (guint i = 0; targets[i] != NULL && t->error == NULL; i++)
    follow (t, node, targets[i], path);
}

static MwTraceNode *
dbmail_trace (MwTraceStore  *store,
              MwDb          *db,
              const char    *address,
              GCancellable  *cancellable,
              GError       **error)
{
  Trace t = { db, cancellable, MW_TRACE_MAX_NODES, NULL };
  g_autoptr(MwTraceNode) root = mw_trace_node_new (MW_TRACE_NODE_ADDRESS, address, 0);
  g_autoptr(GPtrArray) missed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *bare = _mw_trace_strip_detail (address);
  const char *at = strrchr (address, '@');
  g_auto(GStrv) targets = NULL;
  MwTraceStep step = MW_TRACE_STEP_NONE;
  g_autofree char *matched = NULL;

  g_ptr_array_add (path, g_utf8_strdown (address, -1));

#define TRY_ALIAS(key_, step_) \
  G_STMT_START { \
    if (step == MW_TRACE_STEP_NONE && (key_) != NULL) \
      { \
        g_strfreev (targets); \
        targets = alias_targets (&t, (key_)); \
        if (targets == NULL) \
          goto failed; \
        if (targets[0] != NULL) \
          { \
            step = (step_); \
            matched = g_strdup (key_); \
          } \
        else \
          g_ptr_array_add (missed, g_strdup (key_)); \
      } \
  } G_STMT_END

  TRY_ALIAS (address, MW_TRACE_STEP_ALIAS);
  TRY_ALIAS (bare, MW_TRACE_STEP_ALIAS_NO_DETAIL);
  for (guint i = 0; i < 2 && step == MW_TRACE_STEP_NONE; i++)
    {
      const char *name = i == 0 ? address : bare;
      gint64 idnr = 0;
      g_autofree char *userid = NULL;
      gboolean active = TRUE;

      if (name == NULL)
        continue;
      if (find_user (&t, name, 0, &idnr, &userid, &active))
        {
          root->step = i == 0 ? MW_TRACE_STEP_USER : MW_TRACE_STEP_USER_NO_DETAIL;
          root->matched = g_strdup (userid);
          mw_trace_node_add (root, user_end (userid, idnr, userid, active, 1));
          step = root->step;
        }
      else if (t.error != NULL)
        goto failed;
      else
        g_ptr_array_add (missed, g_strdup (name));
    }
  if (step == MW_TRACE_STEP_NONE && at != NULL && at[1] != '\0')
    {
      g_autofree char *exact = g_strconcat ("@", at + 1, NULL);

      TRY_ALIAS (exact, MW_TRACE_STEP_DOMAIN_CATCH_ALL);
      for (const char *dot = strchr (at + 1, '.'); dot != NULL && step == MW_TRACE_STEP_NONE;
           dot = strchr (dot + 1, '.'))
        {
          g_autofree char *sub = g_strconcat ("@", dot, NULL);

          TRY_ALIAS (sub, MW_TRACE_STEP_DOMAIN_CATCH_ALL);
        }
    }
  if (step == MW_TRACE_STEP_NONE && at != NULL && at != address)
    {
      g_autofree char *local = g_strndup (address, at - address + 1);

      TRY_ALIAS (local, MW_TRACE_STEP_LOCAL_CATCH_ALL);
    }
#undef TRY_ALIAS

  g_ptr_array_add (missed, NULL);
  root->missed = (GStrv) g_ptr_array_steal (missed, NULL);
  if (step == MW_TRACE_STEP_NONE)
    root->kind = MW_TRACE_NODE_DEAD_END;
  else if (root->step == MW_TRACE_STEP_NONE)
    {
      root->step = step;
      root->matched = g_steal_pointer (&matched);
      if (g_ascii_strcasecmp (root->matched, address) != 0)
        g_ptr_array_add (path, g_utf8_strdown (root->matched, -1));
      follow_targets (&t, root, targets, path);
      if (t.error != NULL)
        goto failed;
    }
  return g_steal_pointer (&root);

failed:
  g_propagate_error (error, t.error);
  return NULL;
}

void
_mw_dbmail_trace_iface_init (MwTraceStoreInterface *iface)
{
  iface->trace = dbmail_trace;
}
