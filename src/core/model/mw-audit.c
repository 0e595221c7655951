/* mw-audit.c: the audit log of every change Mailwarden makes, as JSON Lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-audit"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mw-audit.h"
#include "mw-csv.h"

/* Lines from other processes stay whole because each is one write() to a
 * file opened with O_APPEND; the mutex keeps this process's writers from
 * interleaving the check for a missing newline with another's write. */
static GMutex audit_lock;

char *
mw_audit_get_path (void)
{
  const char *path = g_getenv ("MAILWARDEN_AUDIT_LOG");

  if (path != NULL && path[0] != '\0')
    return g_strdup (path);
  return g_build_filename (g_get_user_data_dir (), "mailwarden", "audit.jsonl", NULL);
}

void
mw_audit_entry_free (MwAuditEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->time);
  g_free (entry->profile);
  g_free (entry->os_user);
  g_free (entry->database);
  g_free (entry->action);
  g_free (entry->target);
  g_free (entry->before);
  g_free (entry->after);
  g_free (entry);
}

/* Writing */

static gboolean
is_secret_key (const char *key)
{
  return g_ascii_strcasecmp (key, "passwd") == 0 ||
         g_ascii_strcasecmp (key, "spasswd") == 0 ||
         g_ascii_strcasecmp (key, "password") == 0;
}

/* JSON wants UTF-8: anything else is repaired with U+FFFD. */
static void
set_text_member (JsonObject *object,
                 const char *key,
                 const char *text)
{
  g_autofree char *valid_key = g_utf8_make_valid (key, -1);

  if (text == NULL)
    json_object_set_null_member (object, valid_key);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      json_object_set_string_member (object, valid_key, valid);
    }
}

/* Display URIs carry no password; this is for a caller that passed a full one. */
static char *
strip_uri_password (const char *text)
{
  const char *authority;
  const char *authority_end;
  const char *at = NULL;
  const char *colon;

  if (text == NULL || (authority = strstr (text, "://")) == NULL)
    return g_strdup (text);

  authority += 3;
  authority_end = authority + strcspn (authority, "/?#");
  for (const char *p = authority; p < authority_end; p++)
    if (*p == '@')
      at = p;
  if (at == NULL || (colon = memchr (authority, ':', at - authority)) == NULL)
    return g_strdup (text);

  return g_strdup_printf ("%.*s%s", (int) (colon - text), text, at);
}

static const MwAuditField *
find_field (const MwAuditField *fields,
            guint               n_fields,
            const char         *key)
{
  for (guint i = 0; fields != NULL && i < n_fields; i++)
    if (g_ascii_strcasecmp (fields[i].key, key) == 0)
      return &fields[i];
  return NULL;
}

/* The fields as a flat object, or NULL (JSON null) for NULL fields. */
static JsonNode *
fields_to_json (const MwAuditField *fields,
                guint               n_fields,
                const MwAuditField *before,
                guint               n_before,
                gboolean            is_after)
{
  g_autoptr(JsonObject) object = NULL;

  if (fields == NULL)
    return json_node_init_null (json_node_alloc ());

  object = json_object_new ();
  for (guint i = 0; i < n_fields; i++)
    {
      const char *value = fields[i].value;

      if (is_secret_key (fields[i].key))
        {
          const MwAuditField *old;

          if (!is_after)
            continue;
          old = find_field (before, n_before, fields[i].key);
          if (old != NULL && g_strcmp0 (old->value, value) == 0)
            continue;
          value = "(changed)";
        }
      set_text_member (object, fields[i].key, value);
    }
  return json_node_init_object (json_node_alloc (), object);
}

static void
set_write_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("The change could not be recorded in the audit log “%s”: %s"),
               path, g_strerror (saved_errno));
}

static gboolean
write_line (const char  *path,
            GString     *line,
            GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&audit_lock);
  g_autofree char *dir = g_path_get_dirname (path);
  struct stat st;
  gsize done = 0;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_write_error (error, path, errno);
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_write_error (error, path, errno);
      return FALSE;
    }

  /* A crash may have cut the last line short; start on a line of our own
   * rather than gluing this entry onto it. */
  if (fstat (fd, &st) == 0 && st.st_size > 0)
    {
      char last;

      if (pread (fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
        g_string_prepend_c (line, '\n');
    }

  while (done < line->len)
    {
      gssize n = write (fd, line->str + done, line->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_close (fd, NULL);
          set_write_error (error, path, saved_errno);
          return FALSE;
        }
      done += (gsize) n;
    }

  /* A change is a database commit; one more fsync costs little beside it
   * and keeps the entry when the machine goes down right after. */
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      set_write_error (error, path, saved_errno);
      return FALSE;
    }

  if (close (fd) != 0)
    {
      set_write_error (error, path, errno);
      return FALSE;
    }

  return TRUE;
}

gboolean
mw_audit_append (const char          *profile,
                 const char          *database,
                 const char          *action,
                 const char          *target,
                 const MwAuditField  *before,
                 guint                n_before,
                 const MwAuditField  *after,
                 guint                n_after,
                 GError             **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GString) line = NULL;
  g_autoptr(JsonObject) entry = json_object_new ();
  g_autoptr(JsonNode) root = json_node_alloc ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *path = mw_audit_get_path ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *time = NULL;
  g_autofree char *text = NULL;
  g_autofree char *safe_profile = strip_uri_password (profile);
  g_autofree char *safe_database = strip_uri_password (database);

  g_return_val_if_fail (action != NULL && action[0] != '\0', FALSE);
  g_return_val_if_fail (before != NULL || n_before == 0, FALSE);
  g_return_val_if_fail (after != NULL || n_after == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  for (guint i = 0; i < n_before; i++)
    g_return_val_if_fail (before[i].key != NULL, FALSE);
  for (guint i = 0; i < n_after; i++)
    g_return_val_if_fail (after[i].key != NULL, FALSE);

  time = g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
  set_text_member (entry, "time", time);
  set_text_member (entry, "profile", safe_profile);
  set_text_member (entry, "os_user", g_get_user_name ());
  set_text_member (entry, "database", safe_database);
  set_text_member (entry, "action", action);
  set_text_member (entry, "target", target);
  json_object_set_member (entry, "before", fields_to_json (before, n_before, NULL, 0, FALSE));
  json_object_set_member (entry, "after", fields_to_json (after, n_after, before, n_before, TRUE));

  json_node_init_object (root, entry);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  line = g_string_new (text);
  g_string_append_c (line, '\n');

  return write_line (path, line, error);
}

/* Reading: objects whose values are strings or null, and whose "before"
 * and "after" are flat objects of string or null values, or null. */

/* A member of the entry, a string or null, into @slot. */
static gboolean
read_text_member (JsonNode  *node,
                  char     **slot)
{
  g_clear_pointer (slot, g_free);
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *slot = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* "before" or "after" into @slot, as compact JSON text. */
static gboolean
read_fields_member (JsonGenerator  *generator,
                    JsonNode       *node,
                    char          **slot)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  g_clear_pointer (slot, g_free);
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    if (!JSON_NODE_HOLDS_NULL (value) &&
        (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING))
      return FALSE;
  json_generator_set_root (generator, node);
  *slot = json_generator_to_data (generator, NULL);
  return TRUE;
}

static MwAuditEntry *
parse_entry (JsonParser    *parser,
             JsonGenerator *generator,
             const char    *start,
             const char    *end)
{
  g_autoptr(MwAuditEntry) entry = g_new0 (MwAuditEntry, 1);
  g_autofree char *repaired = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  /* Bytes that are not UTF-8 (another program's line) are repaired, not
   * the whole line lost. */
  if (!g_utf8_validate_len (start, (gsize) (end - start), NULL))
    start = repaired = g_utf8_make_valid (start, end - start);
  if (!json_parser_load_from_data (parser, start, repaired != NULL ? -1 : end - start, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      gboolean ok = TRUE;

      if (g_str_equal (key, "time"))
        ok = read_text_member (value, &entry->time);
      else if (g_str_equal (key, "profile"))
        ok = read_text_member (value, &entry->profile);
      else if (g_str_equal (key, "os_user"))
        ok = read_text_member (value, &entry->os_user);
      else if (g_str_equal (key, "database"))
        ok = read_text_member (value, &entry->database);
      else if (g_str_equal (key, "action"))
        ok = read_text_member (value, &entry->action);
      else if (g_str_equal (key, "target"))
        ok = read_text_member (value, &entry->target);
      else if (g_str_equal (key, "before"))
        ok = read_fields_member (generator, value, &entry->before);
      else if (g_str_equal (key, "after"))
        ok = read_fields_member (generator, value, &entry->after);
      /* Any other key is of a later version: passed over. */
      if (!ok)
        return NULL;
    }

  if (entry->time == NULL || entry->action == NULL)
    return NULL;
  return g_steal_pointer (&entry);
}

GPtrArray *
mw_audit_read (guint    limit,
               GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_audit_entry_free);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *path = mw_audit_get_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *line_end;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&entries);
      g_set_error (error, G_FILE_ERROR, local_error->code,
                   _("The audit log “%s” cannot be read: %s"), path, local_error->message);
      return NULL;
    }

  /* From the end backwards: newest first, and a limit reads only the tail. */
  line_end = contents + len;
  while (limit == 0 || entries->len < limit)
    {
      const char *line_start = line_end;
      MwAuditEntry *entry;

      while (line_start > contents && line_start[-1] != '\n')
        line_start--;

      if (line_start < line_end)
        {
          if ((entry = parse_entry (parser, generator, line_start, line_end)) != NULL)
            g_ptr_array_add (entries, entry);
          else
            g_debug ("Skipping an unreadable line in %s at byte %" G_GSIZE_FORMAT,
                     path, (gsize) (line_start - contents));
        }

      if (line_start == contents)
        break;
      line_end = line_start - 1;
    }

  return g_steal_pointer (&entries);
}

gboolean
mw_audit_export_csv (const char  *path,
                     GError     **error)
{
  static const char *const header[] = {
    "time", "profile", "os_user", "database", "action", "target", "before", "after",
  };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((entries = mw_audit_read (0, error)) == NULL)
    return FALSE;

  out = g_string_new ("\xEF\xBB\xBF");
  mw_csv_append_record (out, header, G_N_ELEMENTS (header), ',');
  for (guint i = entries->len; i > 0; i--)
    {
      const MwAuditEntry *e = g_ptr_array_index (entries, i - 1);
      const char *const row[] = {
        e->time, e->profile, e->os_user, e->database, e->action, e->target, e->before, e->after,
      };

      mw_csv_append_record (out, row, G_N_ELEMENTS (row), ',');
    }

  if (!g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, local_error->code,
                   _("The audit log cannot be exported to “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  return TRUE;
}
