/* mw-test-json.h: reading mailwarden-cli's --json output in tests, with json-glib.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The document in @text, whose root must be an object: anything else fails
 * the test, with the text. (transfer full) */
JsonObject *mw_test_json_parse (const char *text);

/* Fail the test, naming the member, unless it is there with this value. */
void        mw_test_json_assert_int    (JsonObject *object, const char *member, gint64 expected);
void        mw_test_json_assert_bool   (JsonObject *object, const char *member, gboolean expected);
void        mw_test_json_assert_string (JsonObject *object, const char *member, const char *expected);
void        mw_test_json_assert_null   (JsonObject *object, const char *member);
/* The array or object member, failing the test when it is not one. (transfer none) */
JsonArray  *mw_test_json_get_array     (JsonObject *object, const char *member);
JsonObject *mw_test_json_get_object    (JsonObject *object, const char *member);
/* The first object of @array whose @member is the string @value, or NULL. (transfer none) */
JsonObject *mw_test_json_find          (JsonArray *array, const char *member, const char *value);
/* Fails unless @object's members are exactly @members (NULL-terminated), in any order. */
void        mw_test_json_assert_members (JsonObject *object, const char *const *members);

G_END_DECLS
