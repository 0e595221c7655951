/* mw-cli-json.c: the --json output of mailwarden-cli, through json-glib.
 *
 * Every command prints one JSON document, compact, on one line; a list
 * prints one row per line, and is written row by row (MwCliJsonStream) so
 * that a list of any length takes the memory of one page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-cli"

#include "config.h"

#include <string.h>

#include "mw-cli-private.h"

static char *
node_to_text (JsonGenerator *generator,
              JsonNode      *node)
{
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

void
mw_cli_json_print_node (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = node_to_text (generator, node);

  g_print ("%s\n", text);
}

void
mw_cli_json_print (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  mw_cli_json_print_node (root);
}

/* Adds @text, or null for NULL; text that is not UTF-8 is repaired with U+FFFD. */
void
mw_cli_json_add_string_or_null (JsonBuilder *builder,
                                const char  *member,
                                const char  *text)
{
  json_builder_set_member_name (builder, member);
  if (text == NULL)
    json_builder_add_null_value (builder);
  else if (g_utf8_validate (text, -1, NULL))
    json_builder_add_string_value (builder, text);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      json_builder_add_string_value (builder, valid);
    }
}

/* The same for a JsonObject. */
void
mw_cli_json_set_string (JsonObject *object,
                        const char *member,
                        const char *text)
{
  if (text == NULL)
    json_object_set_null_member (object, member);
  else if (g_utf8_validate (text, -1, NULL))
    json_object_set_string_member (object, member, text);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      json_object_set_string_member (object, member, valid);
    }
}

void
mw_cli_json_add_int (JsonBuilder *builder,
                     const char  *member,
                     gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
mw_cli_json_add_bool (JsonBuilder *builder,
                      const char  *member,
                      gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

/* Streams. The members and elements are json-glib's text; only the
 * brackets and commas between them are written here. */

static void
print_key (MwCliJsonStream *stream,
           const char      *key)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), key);
  g_autofree char *text = node_to_text (stream->generator, node);

  g_print ("%s%s:", stream->n_members > 0 ? "," : "", text);
  stream->n_members++;
}

void
mw_cli_json_stream_begin (MwCliJsonStream *stream)
{
  g_assert (stream->generator == NULL);

  *stream = (MwCliJsonStream) { .generator = json_generator_new () };
  g_print ("{");
}

void
mw_cli_json_stream_member (MwCliJsonStream *stream,
                           const char      *key,
                           JsonNode        *value)
{
  g_autofree char *text = NULL;

  g_assert (!stream->in_array);
  print_key (stream, key);
  text = node_to_text (stream->generator, value);
  g_print ("%s", text);
}

void
mw_cli_json_stream_int (MwCliJsonStream *stream,
                        const char      *key,
                        gint64           value)
{
  g_autoptr(JsonNode) node = json_node_init_int (json_node_alloc (), value);

  mw_cli_json_stream_member (stream, key, node);
}

void
mw_cli_json_stream_begin_array (MwCliJsonStream *stream,
                                const char      *key)
{
  g_assert (!stream->in_array);
  print_key (stream, key);
  g_print ("[");
  stream->in_array = TRUE;
  stream->n_elements = 0;
}

void
mw_cli_json_stream_element (MwCliJsonStream *stream,
                            JsonNode        *element)
{
  g_autofree char *text = NULL;

  g_assert (stream->in_array);
  text = node_to_text (stream->generator, element);
  g_print ("%s\n%s", stream->n_elements > 0 ? "," : "", text);
  stream->n_elements++;
}

void
mw_cli_json_stream_end_array (MwCliJsonStream *stream)
{
  g_assert (stream->in_array);
  g_print ("%s]", stream->n_elements > 0 ? "\n" : "");
  stream->in_array = FALSE;
}

void
mw_cli_json_stream_end (MwCliJsonStream *stream)
{
  g_assert (!stream->in_array);
  g_print ("}\n");
  g_clear_object (&stream->generator);
}
