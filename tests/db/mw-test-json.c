/* mw-test-json.c: reading mailwarden-cli's --json output in tests, with json-glib.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-test-json.h"

JsonObject *
mw_test_json_parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_nonnull (text);
  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("not JSON (%s):\n%s", error->message, text);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    g_error ("not a JSON object:\n%s", text);
  return json_object_ref (json_node_get_object (root));
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    g_error ("no member “%s”", name);
  return node;
}

void
mw_test_json_assert_int (JsonObject *object,
                         const char *name,
                         gint64      expected)
{
  JsonNode *node = member (object, name);

  if (json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("“%s” is not a whole number", name);
  g_assert_cmpint (json_node_get_int (node), ==, expected);
}

void
mw_test_json_assert_bool (JsonObject *object,
                          const char *name,
                          gboolean    expected)
{
  JsonNode *node = member (object, name);

  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    g_error ("“%s” is not true or false", name);
  g_assert_cmpint (json_node_get_boolean (node), ==, expected);
}

void
mw_test_json_assert_string (JsonObject *object,
                            const char *name,
                            const char *expected)
{
  JsonNode *node = member (object, name);

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("“%s” is not a string", name);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

void
mw_test_json_assert_null (JsonObject *object,
                          const char *name)
{
  if (!JSON_NODE_HOLDS_NULL (member (object, name)))
    g_error ("“%s” is not null", name);
}

JsonArray *
mw_test_json_get_array (JsonObject *object,
                        const char *name)
{
  JsonNode *node = member (object, name);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    g_error ("“%s” is not an array", name);
  return json_node_get_array (node);
}

JsonObject *
mw_test_json_get_object (JsonObject *object,
                         const char *name)
{
  JsonNode *node = member (object, name);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    g_error ("“%s” is not an object", name);
  return json_node_get_object (node);
}

JsonObject *
mw_test_json_find (JsonArray  *array,
                   const char *name,
                   const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonNode *node;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      node = json_object_get_member (json_node_get_object (element), name);
      if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (node), value) == 0)
        return json_node_get_object (element);
    }
  return NULL;
}

void
mw_test_json_assert_members (JsonObject        *object,
                             const char *const *members)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (members, l->data))
      g_error ("unexpected member “%s”", (const char *) l->data);
  for (guint i = 0; members[i] != NULL; i++)
    member (object, members[i]);
}
