/* test-trace.c: the delivery trace (mw-trace.h) on PostgreSQL and MariaDB.
 * DBMail: every step of its order (alias, alias without +detail, user name,
 * user name without +detail, domain catch-alls walking up the domain,
 * local-part catch-all), fan-out, forwards through aliases, a pipe, a
 * disabled user, a missing user, a loop, the 20-level limit, a dead end,
 * text that is no address; the session's wrapper; mailwarden-cli trace.
 * ISPmail and PostfixAdmin: the addresses the trace ends at are those the
 * real Postfix reaches with the same maps (postmap -q, followed as Postfix
 * follows virtual_alias_maps).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "mw-async-wait.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-trace.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"
#include "mw-trace.h"

static MwTraceNode *
trace (MwSchema   *schema,
       MwTestDb   *tdb,
       const char *address)
{
  g_autoptr(GError) error = NULL;
  MwTraceNode *root = mw_schema_trace_delivery (schema, tdb->db, address, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

static MwTraceNode *
child (MwTraceNode *node,
       guint        i)
{
  g_assert_cmpuint (i, <, node->children->len);
  return g_ptr_array_index (node->children, i);
}

/* The tree as indented lines of mw_trace_node_describe (). */
static void
dump (MwTraceNode *node,
      GString     *out)
{
  g_autofree char *text = mw_trace_node_describe (node);

  for (guint i = 0; i < node->depth; i++)
    g_string_append (out, "  ");
  g_string_append_printf (out, "%s\n", text);
  for (guint i = 0; i < node->children->len; i++)
    dump (child (node, i), out);
}

static char *
finals (MwTraceNode *root)
{
  g_auto(GStrv) list = mw_trace_node_final_addresses (root);

  return g_strjoinv (",", list);
}

static char *
dumped (MwTraceNode *root)
{
  GString *out = g_string_new (NULL);

  dump (root, out);
  return g_string_free (out, FALSE);
}

static void
add_alias (MwTestDb   *tdb,
           const char *alias,
           gint64      user)
{
  g_autofree char *to = g_strdup_printf ("%" G_GINT64_FORMAT, user);

  mw_test_db_add_alias (tdb, alias, to, 0);
}

/* ------------------------------------------------------------------------ */
/* DBMail                                                                   */
/* ------------------------------------------------------------------------ */

static void
test_dbmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSchema) schema = NULL;
  gint64 alice = mw_test_db_add_user (tdb, "alice", 0, 0);
  gint64 bob = mw_test_db_add_user (tdb, "bob", 0, 0);
  gint64 carol = mw_test_db_add_user (tdb, "carol", 0, 0);
  g_autofree char *carol_text = g_strdup_printf ("%" G_GINT64_FORMAT, carol);
  g_autofree char *alice_key = g_strdup_printf ("%" G_GINT64_FORMAT, alice);

  mw_test_db_add_user (tdb, "dave@example.org", 0, 0);
  mw_test_db_exec (tdb, "UPDATE {users} SET active = 0 WHERE userid = 'carol'");
  /* mw_test_db_add_user () gave each user the alias <name>@example.org. */
  add_alias (tdb, "@example.com", bob);
  add_alias (tdb, "@.corp.example", alice);
  add_alias (tdb, "postmaster@", bob);
  add_alias (tdb, "team@example.org", alice);
  add_alias (tdb, "team@example.org", bob);
  mw_test_db_add_alias (tdb, "team@example.org", "|/usr/bin/procmail -m", 0);
  mw_test_db_add_alias (tdb, "team@example.org", "ext@elsewhere.example", 0);
  mw_test_db_add_alias (tdb, "team@example.org", carol_text, 0);
  mw_test_db_add_alias (tdb, "team@example.org", "999999", 0);
  mw_test_db_add_alias (tdb, "info@example.org", "Team@example.org", 0);
  mw_test_db_add_alias (tdb, "self@example.org", "self@example.org", 0);   /* DBMail skips it */
  mw_test_db_add_alias (tdb, "loop1@example.org", "loop2@example.org", 0);
  mw_test_db_add_alias (tdb, "loop2@example.org", "loop1@example.org", 0);
  mw_test_db_add_alias (tdb, "loop2@example.org", "bob@example.org", 0);
  /* d0 -> d1 -> ... -> d19 -> alice: alice at level 20, delivered;
   * e0 -> ... -> e20 -> alice: alice at level 21, DBMail gives up. */
  for (guint i = 0; i < 21; i++)
    {
      g_autofree char *d = g_strdup_printf ("d%u@example.org", i);
      g_autofree char *d_next = g_strdup_printf ("d%u@example.org", i + 1);
      g_autofree char *e = g_strdup_printf ("e%u@example.org", i);
      g_autofree char *e_next = g_strdup_printf ("e%u@example.org", i + 1);

      if (i < 19)
        mw_test_db_add_alias (tdb, d, d_next, 0);
      else if (i == 19)
        add_alias (tdb, d, alice);
      if (i < 20)
        mw_test_db_add_alias (tdb, e, e_next, 0);
      else
        add_alias (tdb, e, alice);
    }
  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_schema_has_trace (schema));

  /* 1. the alias; the case of the local part does not matter. */
  {
    g_autoptr(MwTraceNode) root = trace (schema, tdb, "  ALICE@Example.ORG ");
    g_autofree char *text = dumped (root);

    g_assert_cmpint (root->kind, ==, MW_TRACE_NODE_ADDRESS);
    g_assert_cmpint (root->step, ==, MW_TRACE_STEP_ALIAS);
    g_assert_cmpuint (root->children->len, ==, 1);
    g_assert_cmpint (child (root, 0)->kind, ==, MW_TRACE_NODE_MAILBOX);
    g_assert_cmpstr (child (root, 0)->account_key, ==, alice_key);
    g_assert_cmpstr (text, ==, "ALICE@example.org: alias, forwards to alice\n"
                               "  alice: delivered to the mailbox of alice\n");
  }
  /* 2. the alias without +detail */
  {
    g_autoptr(MwTraceNode) root = trace (schema, tdb, "alice+news@example.org");

    g_assert_cmpint (root->step, ==, MW_TRACE_STEP_ALIAS_NO_DETAIL);
    g_assert_cmpstr (root->matched, ==, "alice@example.org");
    g_assert_cmpstr (root->missed[0], ==, "alice+news@example.org");
    g_assert_cmpstr (child (root, 0)->account_name, ==, "alice");
  }
  /* 3. a user name; 4. the user name without +detail */
  {
    g_autoptr(MwTraceNode) root = trace (schema, tdb, "dave@example.org");
    g_autoptr(MwTraceNode) detail = trace (schema, tdb, "dave+x@example.org");
    g_autofree char *text = dumped (detail);

    g_assert_cmpint (root->step, ==, MW_TRACE_STEP_USER);
    g_assert_cmpstr (child (root, 0)->account_name, ==, "dave@example.org");
    g_assert_cmpint (detail->step, ==, MW_TRACE_STEP_USER_NO_DETAIL);
    g_assert_cmpstrv (detail->missed, ((const char *[]) { "dave+x@example.org", "dave@example.org",
                                                          "dave+x@example.org", NULL }));
    g_assert_cmpstr (text, ==, "dave+x@example.org: user name dave@example.org (without the +detail)\n"
                               "  dave@example.org: delivered to the mailbox of dave@example.org\n");
  }
  /* 5. domain catch-alls, walking up; "@.corp.example" is not for corp.example itself */
  {
    g_autoptr(MwTraceNode) exact = trace (schema, tdb, "x@example.com");
    g_autoptr(MwTraceNode) sub = trace (schema, tdb, "x@mail.eu.corp.example");
    g_autoptr(MwTraceNode) parent = trace (schema, tdb, "x@corp.example");

    g_assert_cmpint (exact->step, ==, MW_TRACE_STEP_DOMAIN_CATCH_ALL);
    g_assert_cmpstr (exact->matched, ==, "@example.com");
    g_assert_cmpstr (child (exact, 0)->account_name, ==, "bob");
    g_assert_cmpint (sub->step, ==, MW_TRACE_STEP_DOMAIN_CATCH_ALL);
    g_assert_cmpstr (sub->matched, ==, "@.corp.example");
    g_assert_cmpstrv (sub->missed, ((const char *[]) { "x@mail.eu.corp.example", "x@mail.eu.corp.example",
                                                       "@mail.eu.corp.example", "@.eu.corp.example", NULL }));
    g_assert_cmpint (parent->kind, ==, MW_TRACE_NODE_DEAD_END);
  }
  /* 6. the local-part catch-all */
  {
    g_autoptr(MwTraceNode) root = trace (schema, tdb, "postmaster@corp.example");
    g_autofree char *text = mw_trace_node_describe (root);

    g_assert_cmpint (root->step, ==, MW_TRACE_STEP_LOCAL_CATCH_ALL);
    g_assert_cmpstr (root->matched, ==, "postmaster@");
    g_assert_cmpstr (text, ==, "postmaster@corp.example: catch-all postmaster@ for the name at any domain, "
                               "forwards to bob");
  }
  /* fan-out through an alias of an alias: users, a pipe, an external
   * address, a disabled user, a missing user */
  {
    g_autoptr(MwTraceNode) root = trace (schema, tdb, "info@example.org");
    g_autofree char *text = dumped (root);
    g_autofree char *final = finals (root);
    g_autofree char *missed = mw_trace_node_describe_missed (root);

    g_assert_null (missed);
    g_assert_cmpstr (text, ==,
                     "info@example.org: alias, forwards to Team@example.org\n"
                     "  Team@example.org: alias, forwards to alice, bob, |/usr/bin/procmail -m and 3 more\n"
                     "    alice: delivered to the mailbox of alice\n"
                     "    bob: delivered to the mailbox of bob\n"
                     "    handed to the program |/usr/bin/procmail -m\n"
                     "    ext@elsewhere.example: forwarded, handed to the mail server to send on\n"
                     "    carol: the account carol is disabled, nothing is delivered\n"
                     "    999999: dead end, there is no user number 999999\n");
    g_assert_cmpstr (final, ==, "alice,bob,ext@elsewhere.example");
  }
  /* a row pointing at itself is skipped, as DBMail does: nothing else has it */
  {
    g_autoptr(MwTraceNode) root = trace (schema, tdb, "self@example.org");

    g_assert_cmpint (root->kind, ==, MW_TRACE_NODE_DEAD_END);
  }
  /* a loop ends its branch; the other target still gets the mail */
  {
    g_autoptr(MwTraceNode) root = trace (schema, tdb, "loop1@example.org");
    g_autofree char *text = dumped (root);

    g_assert_cmpstr (text, ==,
                     "loop1@example.org: alias, forwards to loop2@example.org\n"
                     "  loop2@example.org: alias, forwards to loop1@example.org and bob@example.org\n"
                     "    loop1@example.org: loop, this address is already on the way here\n"
                     "    bob@example.org: alias, forwards to bob\n"
                     "      bob: delivered to the mailbox of bob\n");
  }
  /* the 20-level limit */
  {
    g_autoptr(MwTraceNode) d = trace (schema, tdb, "d0@example.org");
    g_autoptr(MwTraceNode) e = trace (schema, tdb, "e0@example.org");
    g_autoptr(GPtrArray) d_ends = mw_trace_node_collect_ends (d);
    g_autoptr(GPtrArray) e_ends = mw_trace_node_collect_ends (e);
    MwTraceNode *d_end, *e_end;

    g_assert_cmpuint (d_ends->len, ==, 1);
    d_end = g_ptr_array_index (d_ends, 0);
    g_assert_cmpint (d_end->kind, ==, MW_TRACE_NODE_MAILBOX);
    g_assert_cmpuint (d_end->depth, ==, 20);
    g_assert_cmpuint (e_ends->len, ==, 1);
    e_end = g_ptr_array_index (e_ends, 0);
    g_assert_cmpint (e_end->kind, ==, MW_TRACE_NODE_TOO_DEEP);
    g_assert_cmpuint (e_end->depth, ==, 21);
    {
      g_autofree char *text = mw_trace_node_describe (e_end);
      g_autofree char *final = finals (e);

      g_assert_cmpstr (e_end->address, ==, alice_key);   /* deliver_to, the user number */
      g_assert_true (g_str_has_suffix (text, ": not followed, more than 20 levels"));
      g_assert_cmpstr (final, ==, "");
    }
  }
  /* a dead end, with every key tried */
  {
    g_autoptr(MwTraceNode) root = trace (schema, tdb, "nobody+x@nowhere.example");
    g_autofree char *text = mw_trace_node_describe (root);
    g_autofree char *missed = mw_trace_node_describe_missed (root);

    g_assert_cmpint (root->kind, ==, MW_TRACE_NODE_DEAD_END);
    g_assert_cmpstr (text, ==, "nobody+x@nowhere.example: dead end, no alias, user or catch-all has it");
    g_assert_cmpstr (missed, ==, "Not found first: nobody+x@nowhere.example, nobody@nowhere.example, "
                                 "nobody+x@nowhere.example, nobody@nowhere.example, @nowhere.example, "
                                 "@.example, nobody+x@");
  }
  /* text that is no address */
  {
    g_autoptr(MwTraceNode) none = mw_schema_trace_delivery (schema, tdb->db, "not an address", NULL, &error);

    g_assert_null (none);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "“not an address” is not an address: "));
    g_clear_error (&error);
    g_assert_null (mw_schema_trace_delivery (schema, tdb->db, "@example.org", NULL, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (mw_schema_trace_delivery (schema, tdb->db, "  ", NULL, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "Type the address to trace, such as alice@example.org.");
    g_clear_error (&error);
  }
  /* the session's wrapper */
  {
    g_autoptr(MwSession) session = mw_session_new_for_connection (NULL, tdb->settings,
                                                                  mw_db_connect (tdb->settings, NULL, NULL),
                                                                  NULL, &error);
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(MwTraceNode) root = NULL;

    g_assert_no_error (error);
    mw_session_trace_delivery_async (session, "team@example.org", NULL, mw_async_wait_ready, &res);
    root = mw_session_trace_delivery_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (root->children->len, ==, 6);
  }
  /* mailwarden-cli trace */
  {
    g_autofree char *uri = mw_test_vmail_db_uri (tdb);
    g_auto(MwTestRun) r = { 0 };
    g_auto(MwTestRun) j = { 0 };
    g_auto(MwTestRun) bad = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o;

    mw_test_run_cli (&r, NULL, "--db", uri, "trace", "loop1@example.org", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==,
                     "loop1@example.org: alias, forwards to loop2@example.org\n"
                     "  loop2@example.org: alias, forwards to loop1@example.org and bob@example.org\n"
                     "    loop1@example.org: loop, this address is already on the way here\n"
                     "    bob@example.org: alias, forwards to bob\n"
                     "      bob: delivered to the mailbox of bob\n"
                     "Mail ends at: bob\n");
    mw_test_run_cli (&j, NULL, "--db", uri, "trace", "alice+x@example.org", "--json", NULL);
    g_assert_cmpint (j.status, ==, 0);
    g_assert_true (json_parser_load_from_data (parser, j.out, -1, NULL));
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "address");
    g_assert_cmpstr (json_object_get_string_member (o, "step"), ==, "alias-without-detail");
    g_assert_cmpstr (json_object_get_string_member (o, "matched"), ==, "alice@example.org");
    o = json_array_get_object_element (json_object_get_array_member (o, "children"), 0);
    g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "mailbox");
    g_assert_cmpstr (json_object_get_string_member (o, "account"), ==, "alice");
    mw_test_run_cli (&bad, NULL, "--db", uri, "trace", "not an address", NULL);
    g_assert_cmpint (bad.status, ==, 1);
    mw_test_assert_contains (bad.err, "“not an address” is not an address: ");
  }
}

/* ------------------------------------------------------------------------ */
/* ISPmail and PostfixAdmin against the real Postfix                        */
/* ------------------------------------------------------------------------ */

static void
sql (MwTestDb   *tdb,
     const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!mw_db_exec_script (tdb->db, text, &error))
    g_error ("%s\n%s", error->message, text);
}

static char *
postmap (MwTestVmail *v,
         const char  *map,
         const char  *key)
{
  return mw_test_vmail_postmap (v, map, key);
}

/* Where Postfix sends mail for @address: virtual_alias_maps (the address,
 * then "@domain"), each target again unless it is the address itself; an
 * address without an alias is a mailbox (virtual_mailbox_maps), unknown in a
 * domain of this server (left out), or on another server. */
static void
postfix_resolve (MwTestVmail *v,
                 const char  *address,
                 GPtrArray   *out,
                 guint        depth)
{
  g_autofree char *value = postmap (v, "virtual_alias_maps", address);
  const char *at = strrchr (address, '@');

  g_assert_cmpuint (depth, <, 30);
  if (value == NULL)
    {
      g_autofree char *catch_all = g_strconcat ("@", at + 1, NULL);

      value = postmap (v, "virtual_alias_maps", catch_all);
    }
  if (value == NULL)
    {
      g_autofree char *mailbox = postmap (v, "virtual_mailbox_maps", address);
      g_autofree char *domain = postmap (v, "virtual_mailbox_domains", at + 1);

      if (mailbox != NULL || domain == NULL)
        g_ptr_array_add (out, g_strdup (address));
      return;
    }
  {
    g_auto(GStrv) targets = g_strsplit (value, ",", -1);

    for (guint i = 0; targets[i] != NULL; i++)
      if (g_str_equal (targets[i], address))
        {
          g_autofree char *mailbox = postmap (v, "virtual_mailbox_maps", address);

          if (mailbox != NULL)
            g_ptr_array_add (out, g_strdup (address));
        }
      else
        postfix_resolve (v, targets[i], out, depth + 1);
  }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
postfix_finals (MwTestVmail *v,
                const char  *address)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) s = g_string_new (NULL);

  postfix_resolve (v, address, out, 0);
  g_ptr_array_sort (out, compare_strings);
  for (guint i = 0; i < out->len; i++)
    if (i == 0 || strcmp (out->pdata[i], out->pdata[i - 1]) != 0)
      g_string_append_printf (s, "%s%s", s->len > 0 ? "," : "", (char *) out->pdata[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The trace ends where Postfix does, for each address; returns the last tree. */
static void
assert_like_postfix (MwSchema          *schema,
                     MwTestDb          *tdb,
                     MwTestVmail       *v,
                     const char *const *addresses)
{
  for (guint i = 0; addresses[i] != NULL; i++)
    {
      g_autoptr(MwTraceNode) root = trace (schema, tdb, addresses[i]);
      g_autofree char *ours = finals (root);
      g_autofree char *postfix = postfix_finals (v, addresses[i]);

      if (g_strcmp0 (ours, postfix) != 0)
        {
          g_autofree char *text = dumped (root);

          g_error ("%s: the trace ends at “%s”, Postfix at “%s”:\n%s", addresses[i], ours, postfix, text);
        }
    }
}

static void
test_ispmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwTestVmail) v = NULL;
  g_autoptr(MwSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const addresses[] = {
    "info@example.org", "alice@example.org", "Alice@Example.org", "list@example.org", "nobody@example.org",
    "nobody@example.net", "bob@example.org", "someone@elsewhere.example", NULL
  };

  mw_test_vmail_load_schema (tdb, "ispmail");
  v = mw_test_vmail_new (tdb, MW_TEST_VMAIL_ISPMAIL);
  sql (tdb, "INSERT INTO virtual_domains (name) VALUES ('example.org'), ('example.net')");
  sql (tdb, "INSERT INTO virtual_users (domain_id, email, password, quota) "
            "SELECT id, 'alice@example.org', 'x', 0 FROM virtual_domains WHERE name = 'example.org'");
  sql (tdb, "INSERT INTO virtual_users (domain_id, email, password, quota) "
            "SELECT id, 'bob@example.org', 'x', 0 FROM virtual_domains WHERE name = 'example.org'");
  sql (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, 'info@example.org', "
            "'alice@example.org' FROM virtual_domains WHERE name = 'example.org'");
  sql (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, 'info@example.org', "
            "'x@elsewhere.example' FROM virtual_domains WHERE name = 'example.org'");
  sql (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, 'list@example.org', "
            "'info@example.org' FROM virtual_domains WHERE name = 'example.org'");
  sql (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, 'list@example.org', "
            "'bob@example.org' FROM virtual_domains WHERE name = 'example.org'");
  sql (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, '@example.org', "
            "'catch@elsewhere.example' FROM virtual_domains WHERE name = 'example.org'");
  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);

  assert_like_postfix (schema, tdb, v, addresses);
  /* The catch-all does not swallow alice: email2email finds her first. */
  {
    g_autoptr(MwTraceNode) root = trace (schema, tdb, "alice@example.org");
    g_autoptr(MwTraceNode) list = trace (schema, tdb, "list@example.org");
    g_autofree char *text = dumped (list);

    g_assert_cmpint (root->kind, ==, MW_TRACE_NODE_MAILBOX);
    g_assert_cmpstr (text, ==,
                     "list@example.org: alias, forwards to info@example.org and bob@example.org\n"
                     "  info@example.org: alias, forwards to alice@example.org and x@elsewhere.example\n"
                     "    alice@example.org: delivered to the mailbox of alice@example.org\n"
                     "    x@elsewhere.example: forwarded, handed to the mail server to send on\n"
                     "  bob@example.org: delivered to the mailbox of bob@example.org\n");
  }
}

static void
test_postfixadmin (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr(MwTestVmail) v = NULL;
  g_autoptr(MwSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const addresses[] = {
    "info@example.org", "alice@example.org", "alice@example.net", "nobody@example.net", "team@example.org",
    "bob@example.org", "nobody@example.org", "someone@elsewhere.example", NULL
  };

  mw_test_vmail_load_schema (tdb, "postfixadmin");
  v = mw_test_vmail_new (tdb, MW_TEST_VMAIL_POSTFIXADMIN);
  sql (tdb, "INSERT INTO domain (domain, description, transport, active) VALUES "
            "('example.org', '', 'virtual', '1'), ('example.net', '', 'virtual', '1')");
  sql (tdb, "INSERT INTO alias_domain (alias_domain, target_domain, active) VALUES ('example.net', 'example.org', '1')");
  sql (tdb, "INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) VALUES "
            "('alice@example.org', 'x', '', 'example.org/alice/', 0, 'alice', 'example.org', '1'), "
            "('bob@example.org', 'x', '', 'example.org/bob/', 0, 'bob', 'example.org', '0')");
  sql (tdb, "INSERT INTO alias (address, goto, domain, active) VALUES "
            "('alice@example.org', 'alice@example.org', 'example.org', '1'), "
            "('bob@example.org', 'bob@example.org', 'example.org', '0'), "
            "('info@example.org', 'alice@example.org,x@elsewhere.example', 'example.org', '1'), "
            "('team@example.org', 'info@example.org,carol@elsewhere.example', 'example.org', '1'), "
            "('@example.org', 'alice@example.org', 'example.org', '1')");
  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);

  assert_like_postfix (schema, tdb, v, addresses);
  {
    g_autoptr(MwTraceNode) same = trace (schema, tdb, "alice@example.net");
    g_autoptr(MwTraceNode) catch_all = trace (schema, tdb, "nobody@example.net");
    g_autofree char *text = dumped (same);

    g_assert_cmpint (same->step, ==, MW_TRACE_STEP_ALIAS_DOMAIN);
    g_assert_cmpstr (same->matched, ==, "alice@example.org");
    g_assert_cmpstr (text, ==, "alice@example.net: alias domain, read as alice@example.org, forwards to "
                               "alice@example.org\n"
                               "  alice@example.org: delivered to the mailbox of alice@example.org\n");
    g_assert_cmpint (catch_all->step, ==, MW_TRACE_STEP_ALIAS_DOMAIN_CATCH_ALL);
    g_assert_cmpstr (catch_all->matched, ==, "@example.org");
  }
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_add_both ("/trace/dbmail", test_dbmail);
  mw_test_add_both ("/trace/ispmail", test_ispmail);
  mw_test_add_both ("/trace/postfixadmin", test_postfixadmin);
  return mw_test_run ();
}
