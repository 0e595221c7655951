/* mw-trace.h: the delivery trace (FEATURES C6): where mail for an address
 * goes, as the mail system itself resolves it, as a tree.
 *
 * The root is the address asked. Each node is one address looked up (with
 * the lookup step that matched, and the keys tried before without a row) or
 * an end: an account's mailbox, an address outside the server, a program,
 * a disabled account, a loop, a chain too long, a dead end. Several targets
 * of one address are its children (fan-out).
 *
 * The flavour's implementation (MwTraceStore) follows its own rules:
 * DBMail's order (alias, alias without +detail, user name, user name
 * without +detail, domain catch-alls walking up the domain, local-part
 * catch-all; forwards followed to 20 levels), Postfix's virtual_alias_maps
 * then mailboxes for ISPmail and PostfixAdmin (alias domains, catch-alls
 * that do not swallow existing mailboxes). Each lookup is one indexed
 * query; nothing scans a table. mw_schema_trace_delivery () runs on a
 * worker; the GUI and the CLI use mw-session-trace.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* DBMail follows an alias's targets this deep, then gives up. */
#define MW_TRACE_MAX_LEVELS 20
/* The trace stops adding nodes after this many (a wide fan-out of fan-outs). */
#define MW_TRACE_MAX_NODES  2000

/* Which lookup found the rows of an address node. */
typedef enum
{
  MW_TRACE_STEP_NONE,                  /* nothing matched */
  MW_TRACE_STEP_ALIAS,                 /* the address is an alias (a row of the alias map) */
  MW_TRACE_STEP_ALIAS_NO_DETAIL,       /* the alias without its +detail */
  MW_TRACE_STEP_USER,                  /* a login name (DBMail) */
  MW_TRACE_STEP_USER_NO_DETAIL,        /* the login name without its +detail */
  MW_TRACE_STEP_DOMAIN_CATCH_ALL,      /* "@domain", "@.parent" walking up */
  MW_TRACE_STEP_LOCAL_CATCH_ALL,       /* "local@": that name at any domain */
  MW_TRACE_STEP_ALIAS_DOMAIN,          /* PostfixAdmin: the same name at the alias domain's target */
  MW_TRACE_STEP_ALIAS_DOMAIN_CATCH_ALL,/* PostfixAdmin: the target domain's catch-all */
  MW_TRACE_STEP_MAILBOX,               /* a mailbox (Postfix's virtual_mailbox_maps) */
} MwTraceStep;

typedef enum
{
  MW_TRACE_NODE_ADDRESS,   /* an address looked up; children: where it goes */
  MW_TRACE_NODE_MAILBOX,   /* end: delivered into an account's mailbox */
  MW_TRACE_NODE_EXTERNAL,  /* end: handed on to another mail server */
  MW_TRACE_NODE_PIPE,      /* end: handed to a program ("|command", "!command") */
  MW_TRACE_NODE_DISABLED,  /* end: the account is disabled, nothing is delivered */
  MW_TRACE_NODE_LOOP,      /* end: the address is already on the way here */
  MW_TRACE_NODE_TOO_DEEP,  /* end: more than MW_TRACE_MAX_LEVELS levels */
  MW_TRACE_NODE_DEAD_END,  /* end: nothing has the address, or its user is missing */
  MW_TRACE_NODE_CUT,       /* end: not followed, the trace has MW_TRACE_MAX_NODES nodes */
} MwTraceNodeKind;

typedef struct _MwTraceNode MwTraceNode;

struct _MwTraceNode
{
  MwTraceNodeKind  kind;
  char            *address;       /* the address, target or program this node is about */
  MwTraceStep      step;          /* ADDRESS: the lookup that matched; DEAD_END: USER for a missing
                                   * user number, MAILBOX for "no such mailbox in a local domain" */
  char            *matched;       /* (nullable) the key that matched: "@example.org", "alice" */
  GStrv            missed;        /* (nullable) keys looked up before it, without a row */
  char            *account_key;   /* (nullable) MAILBOX, DISABLED: the account's key */
  char            *account_name;  /* (nullable) MAILBOX, DISABLED: its login name */
  guint            depth;         /* 0 for the root */
  GPtrArray       *children;      /* MwTraceNode, in the order found */
};

MwTraceNode *mw_trace_node_new        (MwTraceNodeKind kind, const char *address, guint depth);
void         mw_trace_node_free       (MwTraceNode *node);
/* Adds @child (transfer full) and returns it. */
MwTraceNode *mw_trace_node_add        (MwTraceNode *node, MwTraceNode *child);
/* Whether the node ends a branch (every kind but ADDRESS). */
gboolean     mw_trace_node_is_end     (const MwTraceNode *node);
/* The node in translated words, for the tree and for screen readers:
 * "info@example.org: alias, forwards to alice@example.org and
 * bob@elsewhere.example"; "loop: info@example.org again". (transfer full) */
char        *mw_trace_node_describe   (const MwTraceNode *node);
/* The lookups tried before the match, in words: "not found as alias
 * a+b@example.org, alias a@example.org". NULL when none. (transfer full) */
char        *mw_trace_node_describe_missed (const MwTraceNode *node);
/* A short translated word for the kind: "alias", "mailbox", "loop". */
const char  *mw_trace_node_kind_label (const MwTraceNode *node);
/* Every end of the tree in order (MwTraceNode, borrowed). (transfer container) */
GPtrArray   *mw_trace_node_collect_ends (MwTraceNode *root);
/* The addresses mail finally goes to: the MAILBOX nodes' addresses and the
 * EXTERNAL ones, sorted, without repeats. (transfer full) */
GStrv        mw_trace_node_final_addresses (MwTraceNode *root);
/* How many nodes the tree has. */
guint        mw_trace_node_count      (const MwTraceNode *root);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwTraceNode, mw_trace_node_free)

#define MW_TYPE_TRACE_STORE (mw_trace_store_get_type ())
G_DECLARE_INTERFACE (MwTraceStore, mw_trace_store, MW, TRACE_STORE, GObject)

struct _MwTraceStoreInterface
{
  GTypeInterface parent_iface;

  /* @address is already checked and normalized (domain lowercase, A-labels). */
  MwTraceNode *(*trace) (MwTraceStore *self, MwDb *db, const char *address,
                         GCancellable *cancellable, GError **error);
};

/* Whether the flavour can trace deliveries (all three do). */
gboolean     mw_schema_has_trace      (MwSchema *self);
/* The tree for @text, an address ("alice+news@example.org"); whitespace
 * around is trimmed. Anything that is not an address is refused with
 * MW_SCHEMA_ERROR_INVALID and a sentence. (transfer full) */
MwTraceNode *mw_schema_trace_delivery (MwSchema *self, MwDb *db, const char *text,
                                       GCancellable *cancellable, GError **error);

/* For the flavours: the address without "+detail" in its local part, or
 * NULL when it has none. (transfer full) */
char        *_mw_trace_strip_detail   (const char *address);
/* TRUE while the tree may grow (*budget counts down); FALSE when it is
 * full, and @parent then ends with a CUT node. */
gboolean     _mw_trace_take_budget    (MwTraceNode *parent, guint *budget);

/* The flavours' implementations (mw-dbmail-trace.c, mw-vmail-trace.c). */
void         _mw_dbmail_trace_iface_init       (MwTraceStoreInterface *iface);
void         _mw_ispmail_trace_iface_init      (MwTraceStoreInterface *iface);
void         _mw_postfixadmin_trace_iface_init (MwTraceStoreInterface *iface);

G_END_DECLS
