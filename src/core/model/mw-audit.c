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

/* @text must be valid UTF-8. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_value (GString    *out,
                   const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  valid = g_utf8_make_valid (text, -1);
  append_json_string (out, valid);
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

static void
append_json_object (GString            *out,
                    const MwAuditField *fields,
                    guint               n_fields,
                    const MwAuditField *before,
                    guint               n_before,
                    gboolean            is_after)
{
  gboolean first = TRUE;

  if (fields == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '{');
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

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_json_value (out, fields[i].key);
      g_string_append_c (out, ':');
      append_json_value (out, value);
    }
  g_string_append_c (out, '}');
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
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *path = mw_audit_get_path ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
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

  g_string_append_printf (line, "{\"time\":\"%s.%03dZ\"", seconds, g_date_time_get_microsecond (now) / 1000);
  g_string_append (line, ",\"profile\":");
  append_json_value (line, safe_profile);
  g_string_append (line, ",\"os_user\":");
  append_json_value (line, g_get_user_name ());
  g_string_append (line, ",\"database\":");
  append_json_value (line, safe_database);
  g_string_append (line, ",\"action\":");
  append_json_value (line, action);
  g_string_append (line, ",\"target\":");
  append_json_value (line, target);
  g_string_append (line, ",\"before\":");
  append_json_object (line, before, n_before, NULL, 0, FALSE);
  g_string_append (line, ",\"after\":");
  append_json_object (line, after, n_after, before, n_before, TRUE);
  g_string_append (line, "}\n");

  return write_line (path, line, error);
}

/* Reading: only what append writes, that is an object whose values are
 * strings, null, or flat objects of string or null values. */

typedef struct
{
  const char *p;
  const char *end;
} Json;

static void
json_skip_space (Json *json)
{
  while (json->p < json->end && (*json->p == ' ' || *json->p == '\t' || *json->p == '\r' || *json->p == '\n'))
    json->p++;
}

static gboolean
json_take (Json *json,
           char  c)
{
  json_skip_space (json);
  if (json->p < json->end && *json->p == c)
    {
      json->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
json_take_null (Json *json)
{
  json_skip_space (json);
  if (json->end - json->p >= 4 && memcmp (json->p, "null", 4) == 0)
    {
      json->p += 4;
      return TRUE;
    }
  return FALSE;
}

static gboolean
json_peek (Json *json,
           char  c)
{
  json_skip_space (json);
  return json->p < json->end && *json->p == c;
}

static gboolean
json_read_hex4 (Json     *json,
                gunichar *value)
{
  *value = 0;
  if (json->end - json->p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (json->p[i]);

      if (digit < 0)
        return FALSE;
      *value = *value * 16 + (gunichar) digit;
    }
  json->p += 4;
  return TRUE;
}

/* Returns: (transfer full) (nullable): the string, valid UTF-8, or NULL when
 * the text is not a JSON string. */
static char *
json_read_string (Json *json)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!json_take (json, '"'))
    return NULL;

  for (;;)
    {
      char c;

      if (json->p >= json->end)
        return NULL;

      c = *json->p++;
      if (c == '"')
        break;
      if (c != '\\')
        {
          g_string_append_c (out, c);
          continue;
        }

      if (json->p >= json->end)
        return NULL;
      c = *json->p++;
      switch (c)
        {
        case '"':
        case '\\':
        case '/':
          g_string_append_c (out, c);
          break;
        case 'b':
          g_string_append_c (out, '\b');
          break;
        case 'f':
          g_string_append_c (out, '\f');
          break;
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 'r':
          g_string_append_c (out, '\r');
          break;
        case 't':
          g_string_append_c (out, '\t');
          break;
        case 'u':
          {
            gunichar ch, low;

            if (!json_read_hex4 (json, &ch))
              return NULL;
            if (ch >= 0xD800 && ch < 0xDC00 && json->end - json->p >= 6 &&
                json->p[0] == '\\' && json->p[1] == 'u')
              {
                Json rest = { json->p + 2, json->end };

                if (json_read_hex4 (&rest, &low) && low >= 0xDC00 && low < 0xE000)
                  {
                    ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
                    json->p = rest.p;
                  }
              }
            /* NUL would end the C string; a lone surrogate is no character. */
            if (ch == 0 || (ch >= 0xD800 && ch < 0xE000))
              ch = 0xFFFD;
            g_string_append_unichar (out, ch);
          }
          break;
        default:
          return NULL;
        }
    }

  if (!g_utf8_validate_len (out->str, out->len, NULL))
    return g_utf8_make_valid (out->str, out->len);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Reads a string or null into @value (NULL for null). */
static gboolean
json_read_string_or_null (Json  *json,
                          char **value)
{
  *value = NULL;
  if (json_take_null (json))
    return TRUE;
  return (*value = json_read_string (json)) != NULL;
}

/* Reads a flat object and writes it to @compact again, without spaces. */
static gboolean
json_read_flat_object (Json    *json,
                       GString *compact)
{
  if (!json_take (json, '{'))
    return FALSE;

  g_string_append_c (compact, '{');
  if (json_take (json, '}'))
    {
      g_string_append_c (compact, '}');
      return TRUE;
    }

  for (;;)
    {
      g_autofree char *key = json_read_string (json);
      g_autofree char *value = NULL;

      if (key == NULL || !json_take (json, ':') || !json_read_string_or_null (json, &value))
        return FALSE;

      append_json_string (compact, key);
      g_string_append_c (compact, ':');
      if (value != NULL)
        append_json_string (compact, value);
      else
        g_string_append (compact, "null");

      if (json_take (json, '}'))
        break;
      if (!json_take (json, ','))
        return FALSE;
      g_string_append_c (compact, ',');
    }

  g_string_append_c (compact, '}');
  return TRUE;
}

static gboolean
json_read_object_or_null (Json  *json,
                          char **value)
{
  g_autoptr(GString) compact = NULL;

  *value = NULL;
  if (json_take_null (json))
    return TRUE;

  compact = g_string_new (NULL);
  if (!json_read_flat_object (json, compact))
    return FALSE;
  *value = g_string_free (g_steal_pointer (&compact), FALSE);
  return TRUE;
}

static MwAuditEntry *
parse_entry (const char *start,
             const char *end)
{
  g_autoptr(MwAuditEntry) entry = g_new0 (MwAuditEntry, 1);
  Json json = { start, end };

  if (!json_take (&json, '{'))
    return NULL;

  if (!json_take (&json, '}'))
    for (;;)
      {
        g_autofree char *key = json_read_string (&json);
        g_autofree char *value = NULL;
        char **slot = NULL;
        gboolean is_object = FALSE;

        if (key == NULL || !json_take (&json, ':'))
          return NULL;

        if (g_str_equal (key, "time"))
          slot = &entry->time;
        else if (g_str_equal (key, "profile"))
          slot = &entry->profile;
        else if (g_str_equal (key, "os_user"))
          slot = &entry->os_user;
        else if (g_str_equal (key, "database"))
          slot = &entry->database;
        else if (g_str_equal (key, "action"))
          slot = &entry->action;
        else if (g_str_equal (key, "target"))
          slot = &entry->target;
        else if (g_str_equal (key, "before"))
          slot = &entry->before;
        else if (g_str_equal (key, "after"))
          slot = &entry->after;

        if (slot == &entry->before || slot == &entry->after)
          is_object = TRUE;
        else if (slot == NULL)
          /* A key of a later version: read it to step over it. */
          is_object = json_peek (&json, '{');

        if (is_object ? !json_read_object_or_null (&json, &value) : !json_read_string_or_null (&json, &value))
          return NULL;
        if (slot != NULL)
          {
            g_free (*slot);
            *slot = g_steal_pointer (&value);
          }

        if (json_take (&json, '}'))
          break;
        if (!json_take (&json, ','))
          return NULL;
      }

  json_skip_space (&json);
  if (json.p != json.end || entry->time == NULL || entry->action == NULL)
    return NULL;

  return g_steal_pointer (&entry);
}

GPtrArray *
mw_audit_read (guint    limit,
               GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_audit_entry_free);
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
          if ((entry = parse_entry (line_start, line_end)) != NULL)
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
