/* test-audit.c: the audit log, in a private file named by MAILWARDEN_AUDIT_LOG.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "mw-audit.h"
#include "mw-csv.h"

static char *tmp_dir;

/* Points the log at a new file of the test's own. */
static char *
use_log (const char *name)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_unlink (path);
  g_setenv ("MAILWARDEN_AUDIT_LOG", path, TRUE);
  return path;
}

static char *
read_log (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

static void
append_ok (const char         *action,
           const char         *target,
           const MwAuditField *before,
           guint               n_before,
           const MwAuditField *after,
           guint               n_after)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mw_audit_append ("main", "postgresql://dbmail@db.example.org/dbmail", action, target,
                                  before, n_before, after, n_after, &error));
  g_assert_no_error (error);
}

static void
test_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "mailwarden", "audit.jsonl", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("MAILWARDEN_AUDIT_LOG"));
  g_autofree char *by_default = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *set = NULL;

  g_unsetenv ("MAILWARDEN_AUDIT_LOG");
  by_default = mw_audit_get_path ();
  g_setenv ("MAILWARDEN_AUDIT_LOG", "", TRUE);
  empty = mw_audit_get_path ();
  g_setenv ("MAILWARDEN_AUDIT_LOG", "/srv/log/mw.jsonl", TRUE);
  set = mw_audit_get_path ();
  if (saved != NULL)
    g_setenv ("MAILWARDEN_AUDIT_LOG", saved, TRUE);

  g_assert_cmpstr (by_default, ==, expected);
  g_assert_cmpstr (empty, ==, expected);
  g_assert_cmpstr (set, ==, "/srv/log/mw.jsonl");
}

static void
test_missing (void)
{
  g_autofree char *path = use_log ("missing/audit.jsonl");
  g_autofree char *csv_path = g_build_filename (tmp_dir, "missing.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = mw_audit_read (0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, ==, 0);

  g_assert_true (mw_audit_export_csv (csv_path, &error));
  g_assert_no_error (error);
  csv = read_log (csv_path);
  g_assert_cmpstr (csv, ==, "\xEF\xBB\xBFtime,profile,os_user,database,action,target,before,after\r\n");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_append_read (void)
{
  g_autofree char *path = use_log ("sub/dir/append.jsonl");
  const MwAuditField added[] = { { "userid", "alice" }, { "maxmail_size", "0" }, { "client_idnr", NULL } };
  const MwAuditField quota_before[] = { { "maxmail_size", "0" } };
  const MwAuditField quota_after[] = { { "maxmail_size", "1048576" } };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) two = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  MwAuditEntry *e;

  append_ok ("user.add", "alice", NULL, 0, added, G_N_ELEMENTS (added));
  append_ok ("user.quota", "alice", quota_before, 1, quota_after, 1);
  g_assert_true (mw_audit_append (NULL, NULL, "user.delete", NULL, quota_after, 1, NULL, 0, &error));
  g_assert_no_error (error);
  append_ok ("settings.change", NULL, quota_before, 0, quota_before, 0);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  entries = mw_audit_read (0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 4);

  e = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (e->action, ==, "settings.change");
  g_assert_null (e->target);
  g_assert_cmpstr (e->before, ==, "{}");
  g_assert_cmpstr (e->after, ==, "{}");

  e = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (e->action, ==, "user.delete");
  g_assert_null (e->profile);
  g_assert_null (e->database);
  g_assert_null (e->target);
  g_assert_cmpstr (e->before, ==, "{\"maxmail_size\":\"1048576\"}");
  g_assert_null (e->after);

  e = g_ptr_array_index (entries, 2);
  g_assert_cmpstr (e->action, ==, "user.quota");
  g_assert_cmpstr (e->before, ==, "{\"maxmail_size\":\"0\"}");
  g_assert_cmpstr (e->after, ==, "{\"maxmail_size\":\"1048576\"}");

  e = g_ptr_array_index (entries, 3);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$",
                                       e->time, 0, 0));
  g_assert_cmpstr (e->profile, ==, "main");
  g_assert_cmpstr (e->os_user, ==, g_get_user_name ());
  g_assert_cmpstr (e->database, ==, "postgresql://dbmail@db.example.org/dbmail");
  g_assert_cmpstr (e->action, ==, "user.add");
  g_assert_cmpstr (e->target, ==, "alice");
  g_assert_null (e->before);
  g_assert_cmpstr (e->after, ==, "{\"userid\":\"alice\",\"maxmail_size\":\"0\",\"client_idnr\":null}");

  /* Times never go backwards within one process. */
  for (guint i = 1; i < entries->len; i++)
    g_assert_cmpstr (((MwAuditEntry *) g_ptr_array_index (entries, i))->time, <=,
                     ((MwAuditEntry *) g_ptr_array_index (entries, i - 1))->time);

  two = mw_audit_read (2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_cmpstr (((MwAuditEntry *) g_ptr_array_index (two, 0))->action, ==, "settings.change");
  g_assert_cmpstr (((MwAuditEntry *) g_ptr_array_index (two, 1))->action, ==, "user.delete");
}

static void
test_passwords (void)
{
  g_autofree char *path = use_log ("passwords.jsonl");
  const MwAuditField added[] = {
    { "userid", "alice" }, { "passwd", "$6$rounds=5000$ADDEDHASH" }, { "encryption_type", "sha512-crypt" },
  };
  const MwAuditField old[] = {
    { "passwd", "$6$OLDHASH" }, { "spasswd", "SPASSOLD" }, { "Password", "PLAINOLD" }, { "maxmail_size", "0" },
  };
  const MwAuditField new[] = {
    { "passwd", "$6$NEWHASH" }, { "spasswd", "SPASSOLD" }, { "Password", "PLAINNEW" }, { "maxmail_size", "5" },
  };
  const MwAuditField deleted[] = { { "userid", "alice" }, { "passwd", "$6$DELETEDHASH" } };
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  MwAuditEntry *e;

  append_ok ("user.add", "alice", NULL, 0, added, G_N_ELEMENTS (added));
  append_ok ("user.modify", "alice", old, G_N_ELEMENTS (old), new, G_N_ELEMENTS (new));
  append_ok ("user.delete", "alice", deleted, G_N_ELEMENTS (deleted), NULL, 0);
  /* A URI with a password, passed by mistake, loses the password. */
  g_assert_true (mw_audit_append ("mysql://root:T0pSecret@localhost/dbmail",
                                  "mysql://root:T0pSecret@localhost:3306/dbmail?socket=/run/mysqld.sock",
                                  "user.add", "bob", NULL, 0, NULL, 0, &error));
  g_assert_no_error (error);

  contents = read_log (path);
  g_assert_null (strstr (contents, "HASH"));
  g_assert_null (strstr (contents, "SPASS"));
  g_assert_null (strstr (contents, "PLAIN"));
  g_assert_null (strstr (contents, "T0pSecret"));
  g_assert_null (strstr (contents, "rounds"));

  entries = mw_audit_read (0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 4);

  e = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (e->profile, ==, "mysql://root@localhost/dbmail");
  g_assert_cmpstr (e->database, ==, "mysql://root@localhost:3306/dbmail?socket=/run/mysqld.sock");

  e = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (e->before, ==, "{\"userid\":\"alice\"}");
  g_assert_null (e->after);

  /* A changed hash shows as changed, an unchanged one not at all. */
  e = g_ptr_array_index (entries, 2);
  g_assert_cmpstr (e->before, ==, "{\"maxmail_size\":\"0\"}");
  g_assert_cmpstr (e->after, ==, "{\"passwd\":\"(changed)\",\"Password\":\"(changed)\",\"maxmail_size\":\"5\"}");

  e = g_ptr_array_index (entries, 3);
  g_assert_null (e->before);
  g_assert_cmpstr (e->after, ==,
                   "{\"userid\":\"alice\",\"passwd\":\"(changed)\",\"encryption_type\":\"sha512-crypt\"}");
}

static void
test_escaping (void)
{
  g_autofree char *path = use_log ("escaping.jsonl");
  const char *target = "quote \" backslash \\ slash / newline \n cr \r tab \t bell \x07 del \x7f é 😀";
  const MwAuditField after[] = {
    { "comment", target },
    { "bad", "caf\xe9 \xff\xfe end" },
    { "key \"quoted\"\n", "v" },
  };
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  MwAuditEntry *e;

  g_assert_true (mw_audit_append ("pro\"file", "db\\uri", "user.modify", target, NULL, 0,
                                  after, G_N_ELEMENTS (after), &error));
  g_assert_no_error (error);
  append_ok ("user.modify", "second", NULL, 0, NULL, 0);

  contents = read_log (path);
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  g_assert_cmpuint (count_lines (contents), ==, 2);
  g_assert_nonnull (strstr (contents, "\"quote \\\" backslash \\\\ slash / newline \\n cr \\r tab \\t "
                                      "bell \\u0007 del \\u007f é 😀\""));
  g_assert_nonnull (strstr (contents, "\"caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd end\""));

  entries = mw_audit_read (0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  e = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (e->profile, ==, "pro\"file");
  g_assert_cmpstr (e->database, ==, "db\\uri");
  g_assert_cmpstr (e->target, ==, target);
  g_assert_cmpstr (e->after, ==,
                   "{\"comment\":\"quote \\\" backslash \\\\ slash / newline \\n cr \\r tab \\t "
                   "bell \\u0007 del \\u007f é 😀\","
                   "\"bad\":\"caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd end\","
                   "\"key \\\"quoted\\\"\\n\":\"v\"}");
}

/* Lines another program, or an older or newer version, might have left. */
static void
test_damaged_lines (void)
{
  g_autofree char *path = use_log ("damaged.jsonl");
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  MwAuditEntry *e;

  g_assert_true (g_file_set_contents (path,
                                      "{\"time\":\"2024-01-01T00:00:00.000Z\",\"action\":\"a.first\","
                                      "\"target\":\"\\u00e9\\ud83d\\ude00\\/\",\"extra\":{\"k\":null},\"more\":null}\n"
                                      "not json\n"
                                      "\n"
                                      "{\"time\":\"2024-01-01T00:00:01.000Z\"}\n"
                                      " { \"time\" : \"2024-01-01T00:00:02.000Z\" , \"action\" : \"a.second\" ,"
                                      " \"before\" : { \"k\" : \"v\" , \"n\" : null } }\r\n"
                                      "{\"time\":\"2024-01-01T00:00:03.000Z\",\"action\":\"a.cut\",\"targ",
                                      -1, &error));
  g_assert_no_error (error);

  entries = mw_audit_read (0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  e = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (e->action, ==, "a.second");
  g_assert_cmpstr (e->before, ==, "{\"k\":\"v\",\"n\":null}");
  e = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (e->action, ==, "a.first");
  g_assert_cmpstr (e->target, ==, "é😀/");

  /* The next entry starts a line of its own instead of joining the cut one. */
  append_ok ("a.third", "x", NULL, 0, NULL, 0);
  contents = read_log (path);
  g_assert_nonnull (strstr (contents, "\"targ\n{\"time\""));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = mw_audit_read (0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (((MwAuditEntry *) g_ptr_array_index (entries, 0))->action, ==, "a.third");
}

#define N_THREADS 4
#define N_PER_THREAD 100

static gpointer
append_many (gpointer data)
{
  guint thread = GPOINTER_TO_UINT (data);
  g_autofree char *long_value = g_strnfill (3000, 'a' + thread);

  for (guint i = 0; i < N_PER_THREAD; i++)
    {
      g_autofree char *target = g_strdup_printf ("t%u-%u", thread, i);
      const MwAuditField after[] = { { "comment", long_value } };
      g_autoptr(GError) error = NULL;

      if (!mw_audit_append ("main", "db", "user.modify", target, NULL, 0, after, 1, &error))
        g_error ("append failed: %s", error->message);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autofree char *path = use_log ("threads.jsonl");
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GThread *threads[N_THREADS];

  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("append", append_many, GUINT_TO_POINTER (t));
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  contents = read_log (path);
  g_assert_cmpuint (count_lines (contents), ==, N_THREADS * N_PER_THREAD);
  g_assert_true (g_str_has_suffix (contents, "}\n"));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_assert_true (g_str_has_prefix (lines[i], "{\"time\":"));
      g_assert_true (g_str_has_suffix (lines[i], "\"}}"));
    }

  entries = mw_audit_read (0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, N_THREADS * N_PER_THREAD);
  for (guint i = 0; i < entries->len; i++)
    {
      MwAuditEntry *e = g_ptr_array_index (entries, i);
      guint thread = (guint) (e->target[1] - '0');
      g_autofree char *value = g_strnfill (3000, 'a' + thread);
      g_autofree char *after = g_strdup_printf ("{\"comment\":\"%s\"}", value);

      g_assert_cmpstr (e->after, ==, after);
      g_assert_true (g_hash_table_add (seen, g_strdup (e->target)));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_THREADS * N_PER_THREAD);
}

/* Both ways: what append writes is JSON another parser reads back to the
 * same values, and what another JSON writer puts on a line is read. */
static void
test_round_trip (void)
{
  g_autofree char *path = use_log ("round-trip.jsonl");
  const char *hard = "tab\t nl\n quote\" back\\ nul-free \x01 é 😀 \xe2\x80\xa8";
  const MwAuditField before[] = { { "maxmail_size", "0" }, { "comment", hard }, { "gone", NULL } };
  const MwAuditField after[] = { { "maxmail_size", "5" }, { "comment", "x" } };
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) lines = NULL;
  MwAuditEntry *e;

  append_ok ("user.modify", hard, before, G_N_ELEMENTS (before), after, G_N_ELEMENTS (after));

  /* One line, one object, read by json-glib to the values given. */
  contents = read_log (path);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[1], ==, "");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *entry;
    JsonObject *fields;

    g_assert_true (json_parser_load_from_data (parser, lines[0], -1, &error));
    g_assert_no_error (error);
    entry = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (entry, "action"), ==, "user.modify");
    g_assert_cmpstr (json_object_get_string_member (entry, "target"), ==, hard);
    g_assert_cmpstr (json_object_get_string_member (entry, "profile"), ==, "main");
    fields = json_object_get_object_member (entry, "before");
    g_assert_cmpuint (json_object_get_size (fields), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (fields, "comment"), ==, hard);
    g_assert_true (json_object_get_null_member (fields, "gone"));
    fields = json_object_get_object_member (entry, "after");
    g_assert_cmpstr (json_object_get_string_member (fields, "maxmail_size"), ==, "5");
  }

  /* A line another writer made: members in another order, pretty spaces
   * inside the line, a member of a later version; read like our own. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "after");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "comment");
  json_builder_add_string_value (builder, hard);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, "user.other");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 2);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, "2099-01-01T00:00:00.000Z");
  json_builder_set_member_name (builder, "target");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  {
    g_autofree char *more = g_strconcat (contents, line, "\n", NULL);

    g_assert_true (g_file_set_contents (path, more, -1, &error));
    g_assert_no_error (error);
  }

  entries = mw_audit_read (0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  e = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (e->action, ==, "user.other");
  g_assert_cmpstr (e->time, ==, "2099-01-01T00:00:00.000Z");
  g_assert_null (e->target);
  g_assert_null (e->before);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser, e->after, -1, &error));
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "comment"),
                     ==, hard);
  }
  e = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (e->action, ==, "user.modify");
  g_assert_cmpstr (e->target, ==, hard);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *fields;

    g_assert_true (json_parser_load_from_data (parser, e->before, -1, &error));
    fields = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (fields, "comment"), ==, hard);
    g_assert_true (json_object_get_null_member (fields, "gone"));
  }
}

static void
test_export_csv (void)
{
  g_autofree char *path = use_log ("export.jsonl");
  g_autofree char *csv_path = g_build_filename (tmp_dir, "export.csv", NULL);
  const MwAuditField before[] = { { "comment", "a, \"b\"\nc" } };
  const MwAuditField after[] = { { "comment", NULL }, { "passwd", "$6$HASH" } };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(MwCsvReader) reader = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *csv = NULL;
  gsize len;
  GStatBuf st;

  append_ok ("user.add", "alice", NULL, 0, NULL, 0);
  append_ok ("user.modify", "ali,ce", before, 1, after, 2);
  entries = mw_audit_read (0, &error);
  g_assert_no_error (error);

  g_assert_true (mw_audit_export_csv (csv_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (csv_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (g_file_get_contents (csv_path, &csv, &len, &error));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFtime,profile,os_user,database,action,target,before,after\r\n"));
  g_assert_null (strstr (csv, "HASH"));
  bytes = g_bytes_new_take (g_steal_pointer (&csv), len);
  reader = mw_csv_reader_new (bytes, 0);

  g_assert_true (mw_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_cmpstrv (fields, ((const char *const[]) { "time", "profile", "os_user", "database", "action",
                                                     "target", "before", "after", NULL }));

  /* Oldest first, as in the log. */
  for (guint i = entries->len; i > 0; i--)
    {
      MwAuditEntry *e = g_ptr_array_index (entries, i - 1);
      const char *const expected[] = {
        e->time, e->profile, e->os_user, e->database, e->action, e->target,
        e->before != NULL ? e->before : "", e->after != NULL ? e->after : "", NULL,
      };

      g_clear_pointer (&fields, g_strfreev);
      g_assert_true (mw_csv_reader_next (reader, &fields, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstrv (fields, expected);
    }
  g_assert_cmpstr (fields[4], ==, "user.modify");
  g_assert_cmpstr (fields[5], ==, "ali,ce");
  g_assert_cmpstr (fields[6], ==, "{\"comment\":\"a, \\\"b\\\"\\nc\"}");
  g_assert_cmpstr (fields[7], ==, "{\"comment\":null,\"passwd\":\"(changed)\"}");

  g_clear_pointer (&fields, g_strfreev);
  g_assert_false (mw_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_clear_pointer (&dir, g_dir_close);
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("mw-audit-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/audit/path", test_path);
  g_test_add_func ("/audit/missing", test_missing);
  g_test_add_func ("/audit/append-read", test_append_read);
  g_test_add_func ("/audit/passwords", test_passwords);
  g_test_add_func ("/audit/escaping", test_escaping);
  g_test_add_func ("/audit/damaged-lines", test_damaged_lines);
  g_test_add_func ("/audit/round-trip", test_round_trip);
  g_test_add_func ("/audit/export-csv", test_export_csv);
  /* Last: setenv() is not safe once threads have run. */
  g_test_add_func ("/audit/threads", test_threads);

  ret = g_test_run ();
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
