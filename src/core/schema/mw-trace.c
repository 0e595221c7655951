/* mw-trace.c: the delivery trace's tree, its words, and the optional
 * interface's entry point.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-trace"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-address.h"
#include "mw-trace.h"

G_DEFINE_INTERFACE (MwTraceStore, mw_trace_store, G_TYPE_OBJECT)

static void
mw_trace_store_default_init (MwTraceStoreInterface *iface)
{
}

/* ------------------------------------------------------------------------ */
/* Nodes                                                                    */
/* ------------------------------------------------------------------------ */

MwTraceNode *
mw_trace_node_new (MwTraceNodeKind  kind,
                   const char      *address,
                   guint            depth)
{
  MwTraceNode *node = g_new0 (MwTraceNode, 1);

  node->kind = kind;
  node->address = g_strdup (address != NULL ? address : "");
  node->depth = depth;
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_trace_node_free);
  return node;
}

void
mw_trace_node_free (MwTraceNode *node)
{
  if (node == NULL)
    return;
  g_free (node->address);
  g_free (node->matched);
  g_strfreev (node->missed);
  g_free (node->account_key);
  g_free (node->account_name);
  g_ptr_array_unref (node->children);
  g_free (node);
}

MwTraceNode *
mw_trace_node_add (MwTraceNode *node,
                   MwTraceNode *child)
{
  g_ptr_array_add (node->children, child);
  return child;
}

gboolean
mw_trace_node_is_end (const MwTraceNode *node)
{
  return node->kind != MW_TRACE_NODE_ADDRESS;
}

static void
collect_ends (MwTraceNode *node,
              GPtrArray   *ends)
{
  if (mw_trace_node_is_end (node))
    g_ptr_array_add (ends, node);
  for (guint i = 0; i < node->children->len; i++)
    collect_ends (g_ptr_array_index (node->children, i), ends);
}

GPtrArray *
mw_trace_node_collect_ends (MwTraceNode *root)
{
  GPtrArray *ends = g_ptr_array_new ();

  collect_ends (root, ends);
  return ends;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GStrv
mw_trace_node_final_addresses (MwTraceNode *root)
{
  g_autoptr(GPtrArray) ends = mw_trace_node_collect_ends (root);
  g_autoptr(GPtrArray) out = g_ptr_array_new ();

  for (guint i = 0; i < ends->len; i++)
    {
      MwTraceNode *n = g_ptr_array_index (ends, i);

      if (n->kind == MW_TRACE_NODE_MAILBOX || n->kind == MW_TRACE_NODE_EXTERNAL)
        g_ptr_array_add (out, n->address);
    }
  g_ptr_array_sort (out, compare_strings);
  {
    GStrvBuilder *b = g_strv_builder_new ();
    GStrv result;

    for (guint i = 0; i < out->len; i++)
      if (i == 0 || strcmp (out->pdata[i], out->pdata[i - 1]) != 0)
        g_strv_builder_add (b, out->pdata[i]);
    result = g_strv_builder_end (b);
    g_strv_builder_unref (b);
    return result;
  }
}

guint
mw_trace_node_count (const MwTraceNode *root)
{
  guint n = 1;

  for (guint i = 0; i < root->children->len; i++)
    n += mw_trace_node_count (g_ptr_array_index (root->children, i));
  return n;
}

/* ------------------------------------------------------------------------ */
/* Words                                                                    */
/* ------------------------------------------------------------------------ */

const char *
mw_trace_node_kind_label (const MwTraceNode *node)
{
  switch (node->kind)
    {
    case MW_TRACE_NODE_ADDRESS:
      switch (node->step)
        {
        case MW_TRACE_STEP_ALIAS:
        /* Translators: short labels of the steps of a delivery trace. */
        case MW_TRACE_STEP_ALIAS_NO_DETAIL:        return _("alias");
        case MW_TRACE_STEP_USER:
        case MW_TRACE_STEP_USER_NO_DETAIL:         return _("user name");
        case MW_TRACE_STEP_DOMAIN_CATCH_ALL:
        case MW_TRACE_STEP_LOCAL_CATCH_ALL:
        case MW_TRACE_STEP_ALIAS_DOMAIN_CATCH_ALL: return _("catch-all");
        case MW_TRACE_STEP_ALIAS_DOMAIN:           return _("alias domain");
        case MW_TRACE_STEP_MAILBOX:                return _("mailbox");
        case MW_TRACE_STEP_NONE:
        default:                                   return _("address");
        }
    case MW_TRACE_NODE_MAILBOX:  return _("mailbox");
    case MW_TRACE_NODE_EXTERNAL: return _("forward");
    case MW_TRACE_NODE_PIPE:     return _("program");
    case MW_TRACE_NODE_DISABLED: return _("disabled");
    case MW_TRACE_NODE_LOOP:     return _("loop");
    case MW_TRACE_NODE_TOO_DEEP: return _("too deep");
    case MW_TRACE_NODE_DEAD_END: return _("dead end");
    case MW_TRACE_NODE_CUT:      return _("not followed");
    default:                     break;
    }
  g_return_val_if_reached ("");
}

/* "a, b and 3 more": the children's addresses for display. */
static char *
targets_text (const MwTraceNode *node)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint shown = MIN (node->children->len, 3);

  for (guint i = 0; i < shown; i++)
    {
      const MwTraceNode *c = g_ptr_array_index (node->children, i);
      g_autofree char *shown_address = mw_address_to_display (c->address);

      if (i > 0)
        g_string_append (s, i + 1 == shown && node->children->len == shown ? _(" and ") : ", ");
      g_string_append (s, shown_address);
    }
  if (node->children->len > shown)
    /* Translators: ends a list of addresses, "a, b, c and 4 more". */
    g_string_append_printf (s, ngettext (" and %u more", " and %u more", node->children->len - shown),
                            node->children->len - shown);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
mw_trace_node_describe (const MwTraceNode *node)
{
  g_autofree char *addr = mw_address_to_display (node->address);
  g_autofree char *matched = node->matched != NULL ? mw_address_to_display (node->matched) : NULL;
  g_autofree char *targets = NULL;

  switch (node->kind)
    {
    case MW_TRACE_NODE_ADDRESS:
      targets = targets_text (node);
      switch (node->step)
        {
        case MW_TRACE_STEP_ALIAS:
          /* Translators: a step of a delivery trace; the first %s is the
           * address looked up, the last the addresses it goes to. */
          return g_strdup_printf (_("%s: alias, forwards to %s"), addr, targets);
        case MW_TRACE_STEP_ALIAS_NO_DETAIL:
          /* Translators: the second %s is the alias without "+detail". */
          return g_strdup_printf (_("%s: alias %s (without the +detail), forwards to %s"), addr, matched, targets);
        case MW_TRACE_STEP_USER:
          return g_strdup_printf (_("%s: user name %s"), addr, matched);
        case MW_TRACE_STEP_USER_NO_DETAIL:
          return g_strdup_printf (_("%s: user name %s (without the +detail)"), addr, matched);
        case MW_TRACE_STEP_DOMAIN_CATCH_ALL:
          /* Translators: the second %s is "@example.org" or "@.example.org". */
          return g_strdup_printf (_("%s: catch-all %s of the domain, forwards to %s"), addr, matched, targets);
        case MW_TRACE_STEP_LOCAL_CATCH_ALL:
          /* Translators: the second %s is "name@", that name at any domain. */
          return g_strdup_printf (_("%s: catch-all %s for the name at any domain, forwards to %s"),
                                  addr, matched, targets);
        case MW_TRACE_STEP_ALIAS_DOMAIN:
          /* Translators: the second %s is the same name at the alias domain's target domain. */
          return g_strdup_printf (_("%s: alias domain, read as %s, forwards to %s"), addr, matched, targets);
        case MW_TRACE_STEP_ALIAS_DOMAIN_CATCH_ALL:
          return g_strdup_printf (_("%s: alias domain, catch-all %s of its target, forwards to %s"),
                                  addr, matched, targets);
        case MW_TRACE_STEP_MAILBOX:
          return g_strdup_printf (_("%s: mailbox"), addr);
        case MW_TRACE_STEP_NONE:
        default:
          return g_strdup_printf (_("%s: address"), addr);
        }
    case MW_TRACE_NODE_MAILBOX:
      /* Translators: an end of a delivery trace; %s the address, then the account's login name. */
      return g_strdup_printf (_("%s: delivered to the mailbox of %s"), addr,
                              node->account_name != NULL ? node->account_name : addr);
    case MW_TRACE_NODE_EXTERNAL:
      return g_strdup_printf (_("%s: forwarded, handed to the mail server to send on"), addr);
    case MW_TRACE_NODE_PIPE:
      return g_strdup_printf (_("handed to the program %s"), addr);
    case MW_TRACE_NODE_DISABLED:
      return g_strdup_printf (_("%s: the account %s is disabled, nothing is delivered"), addr,
                              node->account_name != NULL ? node->account_name : addr);
    case MW_TRACE_NODE_LOOP:
      return g_strdup_printf (_("%s: loop, this address is already on the way here"), addr);
    case MW_TRACE_NODE_TOO_DEEP:
      return g_strdup_printf (ngettext ("%s: not followed, more than %d level",
                                        "%s: not followed, more than %d levels", MW_TRACE_MAX_LEVELS),
                              addr, MW_TRACE_MAX_LEVELS);
    case MW_TRACE_NODE_DEAD_END:
      if (node->step == MW_TRACE_STEP_USER)
        return g_strdup_printf (_("%s: dead end, there is no user number %s"), addr, addr);
      if (node->step == MW_TRACE_STEP_MAILBOX)
        return g_strdup_printf (_("%s: dead end, the domain is here but has no such mailbox"), addr);
      return g_strdup_printf (_("%s: dead end, no alias, user or catch-all has it"), addr);
    case MW_TRACE_NODE_CUT:
      return g_strdup_printf (ngettext ("not followed: the trace shows at most %d step",
                                        "not followed: the trace shows at most %d steps", MW_TRACE_MAX_NODES),
                              MW_TRACE_MAX_NODES);
    default:
      break;
    }
  g_return_val_if_reached (g_strdup (""));
}

char *
mw_trace_node_describe_missed (const MwTraceNode *node)
{
  g_autoptr(GString) s = NULL;

  if (node->missed == NULL || node->missed[0] == NULL)
    return NULL;
  s = g_string_new (NULL);
  for (guint i = 0; node->missed[i] != NULL; i++)
    {
      g_autofree char *shown = mw_address_to_display (node->missed[i]);

      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, shown);
    }
  /* Translators: the keys a delivery trace looked up before it found one. */
  return g_strdup_printf (_("Not found first: %s"), s->str);
}

/* ------------------------------------------------------------------------ */
/* For the flavours                                                         */
/* ------------------------------------------------------------------------ */

char *
_mw_trace_strip_detail (const char *address)
{
  const char *at = strrchr (address, '@');
  const char *plus = strchr (address, '+');

  if (at == NULL || plus == NULL || plus > at)
    return NULL;
  return g_strdup_printf ("%.*s%s", (int) (plus - address), address, at);
}

gboolean
_mw_trace_take_budget (MwTraceNode *parent,
                       guint       *budget)
{
  if (*budget > 0)
    {
      (*budget)--;
      return TRUE;
    }
  if (parent->children->len == 0 ||
      ((MwTraceNode *) g_ptr_array_index (parent->children, parent->children->len - 1))->kind != MW_TRACE_NODE_CUT)
    mw_trace_node_add (parent, mw_trace_node_new (MW_TRACE_NODE_CUT, "", parent->depth + 1));
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* The interface                                                            */
/* ------------------------------------------------------------------------ */

gboolean
mw_schema_has_trace (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_TRACE_STORE (self);
}

MwTraceNode *
mw_schema_trace_delivery (MwSchema      *self,
                          MwDb          *db,
                          const char    *text,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *address = NULL;
  MwAddressKind kind = MW_ADDRESS_PLAIN;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if (!MW_IS_TRACE_STORE (self))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("This kind of mail database cannot trace a delivery."));
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (trimmed[0] == '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("Type the address to trace, such as alice@example.org."));
      return NULL;
    }
  address = mw_address_normalize_alias (trimmed, MW_ADDRESS_ALLOW_CATCH_ALL, &kind, &local);
  if (address != NULL && kind != MW_ADDRESS_PLAIN)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   /* Translators: %s is what was typed, such as "@example.org". */
                   _("“%s” is a catch-all, not an address mail is sent to: trace an address such as "
                     "someone@example.org."), trimmed);
      return NULL;
    }
  if (address == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   /* Translators: %s is what was typed, then why it is no address. */
                   _("“%s” is not an address: %s"), trimmed, local->message);
      return NULL;
    }
  return MW_TRACE_STORE_GET_IFACE (self)->trace (MW_TRACE_STORE (self), db, address, cancellable, error);
}
