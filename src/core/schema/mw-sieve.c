/* mw-sieve.c: the Sieve script and vacation types, their checks, the sievec
 * run that checks every script before it is stored, the vacation script
 * writer and reader, and the optional interface's entry points
 * (mw-sieve.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-sieve"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "mw-address.h"
#include "mw-sieve.h"

/* The first line of every vacation script Mailwarden writes. */
#define VACATION_MARK "# Mailwarden vacation script"

G_DEFINE_QUARK (mw-sieve-error-quark, mw_sieve_error)

G_DEFINE_INTERFACE (MwSieveStore, mw_sieve_store, G_TYPE_OBJECT)

static void
mw_sieve_store_default_init (MwSieveStoreInterface *iface)
{
}

/* Types */

MwSieveScript *
mw_sieve_script_new (void)
{
  MwSieveScript *s = g_new0 (MwSieveScript, 1);

  s->size = -1;
  return s;
}

MwSieveScript *
mw_sieve_script_copy (const MwSieveScript *s)
{
  MwSieveScript *copy;

  g_return_val_if_fail (s != NULL, NULL);

  copy = g_new0 (MwSieveScript, 1);
  copy->name = g_strdup (s->name);
  copy->active = s->active;
  copy->script = g_strdup (s->script);
  copy->size = s->size;
  return copy;
}

void
mw_sieve_script_free (MwSieveScript *s)
{
  if (s == NULL)
    return;
  g_free (s->name);
  g_free (s->script);
  g_free (s);
}

MwSieveVacation *
mw_sieve_vacation_new (void)
{
  MwSieveVacation *v = g_new0 (MwSieveVacation, 1);

  v->days = 7;
  return v;
}

MwSieveVacation *
mw_sieve_vacation_copy (const MwSieveVacation *v)
{
  MwSieveVacation *copy;

  g_return_val_if_fail (v != NULL, NULL);

  copy = g_new0 (MwSieveVacation, 1);
  copy->subject = g_strdup (v->subject);
  copy->body = g_strdup (v->body);
  copy->start = g_strdup (v->start);
  copy->stop = g_strdup (v->stop);
  copy->addresses = g_strdupv (v->addresses);
  copy->days = v->days;
  return copy;
}

void
mw_sieve_vacation_free (MwSieveVacation *v)
{
  if (v == NULL)
    return;
  g_free (v->subject);
  g_free (v->body);
  g_free (v->start);
  g_free (v->stop);
  g_strfreev (v->addresses);
  g_free (v);
}

/* Checks */

gboolean
mw_sieve_check_name (const char  *name,
                     guint        max_chars,
                     GError     **error)
{
  g_autofree char *quoted = NULL;

  if (max_chars == 0)
    max_chars = MW_SIEVE_NAME_MAX;
  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID, _("A Sieve script needs a name."));
      return FALSE;
    }
  quoted = mw_address_quote_for_message (name, -1);
  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                   _("The script name “%s” is not valid UTF-8 text."), quoted);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || mw_address_is_forbidden_char (c))
        {
          g_set_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                       _("The script name “%s” may not hold “/”, a line break, a control character or an "
                         "invisible character."), quoted);
          return FALSE;
        }
    }
  if (g_utf8_strlen (name, -1) > (glong) max_chars)
    {
      g_set_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "A script name may be at most %u character long.",
                                "A script name may be at most %u characters long.", max_chars),
                   max_chars);
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_sieve_check_script (const char  *script,
                       GError     **error)
{
  gsize len;

  if (script == NULL)
    script = "";
  len = strlen (script);
  if (!g_utf8_validate (script, (gssize) len, NULL))
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                           _("The Sieve script is not valid UTF-8 text."));
      return FALSE;
    }
  if (len > MW_SIEVE_SCRIPT_MAX)
    {
      g_autofree char *size = g_format_size_full (len, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                   /* Translators: %s is a size such as "1.2 MiB" */
                   _("The Sieve script is too big (%s): Sieve servers take at most 1 MiB."), size);
      return FALSE;
    }
  return TRUE;
}

/* The compiler */

static GMutex compiler_lock;
static char  *compiler_path;

void
mw_sieve_set_compiler (const char *path)
{
  g_mutex_lock (&compiler_lock);
  g_free (compiler_path);
  compiler_path = g_strdup (path);
  g_mutex_unlock (&compiler_lock);
}

/* The path set, or NULL: the result stays valid while nobody sets another
 * one, which only tests do. */
const char *
mw_sieve_get_compiler (void)
{
  const char *path;

  g_mutex_lock (&compiler_lock);
  path = compiler_path;
  g_mutex_unlock (&compiler_lock);
  return path;
}

static char *
find_compiler (GError **error)
{
  g_autofree char *configured = NULL;

  g_mutex_lock (&compiler_lock);
  configured = g_strdup (compiler_path);
  g_mutex_unlock (&compiler_lock);

  if (configured != NULL && g_file_test (configured, G_FILE_TEST_IS_EXECUTABLE)
      && !g_file_test (configured, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&configured);
  if (configured == NULL)
    {
      char *found = g_find_program_in_path ("sievec");

      if (found != NULL)
        return found;
    }
  g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NO_COMPILER,
                       _("Sieve scripts cannot be checked: the Sieve compiler sievec is not installed. It comes "
                         "with the package dovecot-sieve (apt install dovecot-sieve)."));
  return NULL;
}

/* The error lines of sievec's output, without the temporary folder, the
 * file's name ("script: line 2: error: ...") and the summary lines that
 * only repeat that it failed. */
static char *
clean_compiler_output (const char *output,
                       const char *dir)
{
  g_auto(GStrv) lines = g_strsplit (output != NULL ? output : "", "\n", -1);
  g_autoptr(GString) kept = g_string_new (NULL);
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GString) line = g_string_new (g_strchomp (lines[i]));
      const char *text;

      g_string_replace (line, dir, "", 0);
      g_string_replace (line, "/script.sieve", "script.sieve", 0);
      text = line->str;
      if (*text == '\0')
        continue;
      if (g_str_has_prefix (text, "script: "))
        text += strlen ("script: ");
      if (all->len > 0)
        g_string_append_c (all, '\n');
      g_string_append (all, text);
      if (g_str_has_prefix (text, "error: ") && g_str_has_suffix (text, " failed."))
        continue;
      if (strstr (text, "Fatal: failed to compile sieve script") != NULL)
        continue;
      if (kept->len > 0)
        g_string_append_c (kept, '\n');
      g_string_append (kept, text);
    }
  if (kept->len == 0)
    return g_string_free (g_steal_pointer (&all), FALSE);
  return g_string_free (g_steal_pointer (&kept), FALSE);
}

static void
remove_dir (const char *dir)
{
  static const char *const files[] = { "script.sieve", "script.svbin", "mailwarden-sievec.conf" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      g_unlink (path);
    }
  if (g_rmdir (dir) != 0)
    g_warning ("Could not remove %s", dir);
}

gboolean
mw_sieve_compile (const char    *script,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *compiler = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *source = NULL;
  g_autofree char *config = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  gboolean ok;

  if (!mw_sieve_check_script (script, error))
    return FALSE;
  if ((compiler = find_compiler (error)) == NULL)
    return FALSE;
  if ((dir = g_dir_make_tmp ("mailwarden-sieve-XXXXXX", error)) == NULL)
    return FALSE;
  source = g_build_filename (dir, "script.sieve", NULL);
  /* A private, empty configuration: sievec then needs no dovecot.conf of
   * the system (which an ordinary user may not read) and checks with
   * Pigeonhole's default extensions, whatever the local server enables. */
  config = g_build_filename (dir, "mailwarden-sievec.conf", NULL);
  if (!g_file_set_contents (source, script != NULL ? script : "", -1, error)
      || !g_file_set_contents (config, "# Mailwarden: sievec with Pigeonhole's defaults\n", -1, error))
    {
      remove_dir (dir);
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  process = g_subprocess_launcher_spawn (launcher, error, compiler, "-c", "mailwarden-sievec.conf",
                                         "script.sieve", "script.svbin", NULL);
  if (process == NULL)
    {
      remove_dir (dir);
      return FALSE;
    }
  if (!g_subprocess_communicate_utf8 (process, NULL, cancellable, &output, NULL, error))
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      remove_dir (dir);
      return FALSE;
    }
  ok = g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0;
  if (!ok)
    {
      g_autofree char *message = clean_compiler_output (output, dir);

      /* Translators: %s is the Sieve compiler's error lines, such as "line 2: error: unknown command 'fileintox'." */
      g_set_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_COMPILE, _("The Sieve script does not compile:\n%s"),
                   message);
    }
  remove_dir (dir);
  return ok;
}

/* The vacation script */

static gboolean
parse_day (const char *text,
           GDate      *date)
{
  guint y, m, d;
  char end;

  g_date_clear (date, 1);
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &end) != 3)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

char *
mw_sieve_vacation_to_script (const MwSieveVacation  *v,
                             MwSieveEngine           engine,
                             GError                **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  GDate start, stop;
  gboolean has_start, has_stop;

  g_return_val_if_fail (v != NULL, NULL);

  if ((v->subject != NULL && !g_utf8_validate (v->subject, -1, NULL))
      || (v->body != NULL && !g_utf8_validate (v->body, -1, NULL)))
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                           _("The vacation reply’s subject and text must be valid UTF-8 text."));
      return NULL;
    }
  if (is_blank (v->body))
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                           _("The vacation reply needs a text."));
      return NULL;
    }
  if (strlen (v->body) > MW_SIEVE_SCRIPT_MAX / 2)
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                           _("The vacation reply’s text is too long: at most 512 KiB."));
      return NULL;
    }
  if (v->subject != NULL)
    {
      for (const char *p = v->subject; *p != '\0'; p = g_utf8_next_char (p))
        if (mw_address_is_forbidden_char (g_utf8_get_char (p)))
          {
            g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                                 _("The vacation reply’s subject may not hold a line break or a control character."));
            return NULL;
          }
      if (g_utf8_strlen (v->subject, -1) > 255)
        {
          g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                               _("The vacation reply’s subject may be at most 255 characters long."));
          return NULL;
        }
    }
  has_start = has_text (v->start);
  has_stop = has_text (v->stop);
  if ((has_start || has_stop) && engine == MW_SIEVE_ENGINE_LIBSIEVE)
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_UNSUPPORTED, mw_sieve_no_dates_sentence ());
      return NULL;
    }
  if ((has_start && !parse_day (v->start, &start)) || (has_stop && !parse_day (v->stop, &stop)))
    {
      g_autofree char *quoted = mw_address_quote_for_message (has_start && !parse_day (v->start, &start)
                                                              ? v->start : v->stop, -1);

      g_set_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                   /* Translators: %s is what was typed as a day */
                   _("“%s” is not a day: write it as 2026-12-24."), quoted);
      return NULL;
    }
  if (has_start && has_stop && g_date_compare (&stop, &start) < 0)
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                           _("The vacation reply’s last day is before its first day."));
      return NULL;
    }
  if (v->days < 1 || v->days > 365)
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID,
                           _("A sender is answered again after 1 to 365 days."));
      return NULL;
    }
  for (guint i = 0; v->addresses != NULL && v->addresses[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      char *address;

      if (is_blank (v->addresses[i]))
        continue;
      if ((address = mw_address_normalize_alias (v->addresses[i], MW_ADDRESS_FLAGS_NONE, NULL, &local)) == NULL)
        {
          g_autofree char *quoted = mw_address_quote_for_message (v->addresses[i], -1);

          /* Translators: the first %s is an address as typed, the second why it is refused */
          g_set_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID, _("“%s” is not an address: %s"), quoted,
                       local->message);
          return NULL;
        }
      g_ptr_array_add (addresses, address);
    }

  g_string_append (out, VACATION_MARK ": written by Mailwarden's vacation editor, which reads it back.\n");
  g_string_append (out, "# Changes made here by hand are lost when the editor saves it again.\n");
  g_string_append (out, (has_start || has_stop) ? "require [\"vacation\", \"date\", \"relational\"];\n\n"
                                                : "require [\"vacation\"];\n\n");
  if (has_start || has_stop)
    {
      g_string_append (out, has_start && has_stop ? "if allof (" : "if ");
      if (has_start)
        g_string_append_printf (out, "currentdate :value \"ge\" \"date\" \"%s\"", v->start);
      if (has_start && has_stop)
        g_string_append (out, ",\n          ");
      if (has_stop)
        g_string_append_printf (out, "currentdate :value \"le\" \"date\" \"%s\"", v->stop);
      g_string_append (out, has_start && has_stop ? ")\n{\n  " : "\n{\n  ");
    }
  g_string_append_printf (out, "vacation :days %u", v->days);
  if (has_text (v->subject))
    {
      g_string_append (out, " :subject ");
      append_quoted (out, v->subject);
    }
  if (addresses->len > 0)
    {
      g_string_append (out, " :addresses [");
      for (guint i = 0; i < addresses->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_quoted (out, g_ptr_array_index (addresses, i));
        }
      g_string_append (out, "]");
    }
  /* The text as a multi-line string (RFC 5228 2.4.2): a line that starts
   * with a dot gets a second one. */
  g_string_append (out, " text:\n");
  lines = g_strsplit (v->body, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gsize len = strlen (line);

      if (lines[i + 1] == NULL && len == 0)
        break;   /* the text's own last line break */
      if (len > 0 && line[len - 1] == '\r')
        len--;
      if (line[0] == '.')
        g_string_append_c (out, '.');
      g_string_append_len (out, line, (gssize) len);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, ".\n;\n");
  if (has_start || has_stop)
    g_string_append (out, "}\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
mw_sieve_is_vacation_script (const char *script)
{
  return script != NULL && g_str_has_prefix (script, VACATION_MARK);
}

/* Reading a script back: a small tokenizer of RFC 5228's lexical rules
 * (comments, quoted and multi-line strings, tags, numbers, identifiers),
 * then the tests of currentdate and the vacation command's arguments. */

typedef enum
{
  TOKEN_STRING,
  TOKEN_TAG,
  TOKEN_NUMBER,
  TOKEN_WORD,
  TOKEN_PUNCT,
} TokenKind;

typedef struct
{
  TokenKind  kind;
  char      *text;
} Token;

static void
token_free (gpointer data)
{
  Token *t = data;

  g_free (t->text);
  g_free (t);
}

static void
add_token (GPtrArray *tokens,
           TokenKind  kind,
           char      *text)
{
  Token *t = g_new0 (Token, 1);

  t->kind = kind;
  t->text = text;
  g_ptr_array_add (tokens, t);
}

static GPtrArray *
tokenize (const char *p)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (token_free);

  while (*p != '\0')
    {
      if (g_ascii_isspace (*p))
        p++;
      else if (*p == '#')
        {
          while (*p != '\0' && *p != '\n')
            p++;
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");

          if (end == NULL)
            return NULL;
          p = end + 2;
        }
      else if (*p == '"')
        {
          GString *s = g_string_new (NULL);

          for (p++; *p != '\0' && *p != '"'; p++)
            {
              if (*p == '\\' && p[1] != '\0')
                p++;
              g_string_append_c (s, *p);
            }
          if (*p != '"')
            {
              g_string_free (s, TRUE);
              return NULL;
            }
          p++;
          add_token (tokens, TOKEN_STRING, g_string_free (s, FALSE));
        }
      else if (g_ascii_strncasecmp (p, "text:", 5) == 0)
        {
          GString *s = g_string_new (NULL);

          /* the rest of the "text:" line (blanks, maybe a comment) */
          p = strchr (p, '\n');
          if (p == NULL)
            {
              g_string_free (s, TRUE);
              return NULL;
            }
          p++;
          for (;;)
            {
              const char *end = strchr (p, '\n');
              gsize len = end != NULL ? (gsize) (end - p) : strlen (p);

              if (len > 0 && p[len - 1] == '\r')
                len--;
              if (len == 1 && p[0] == '.')
                {
                  p = end != NULL ? end + 1 : p + 1;
                  break;
                }
              if (end == NULL)
                {
                  g_string_free (s, TRUE);
                  return NULL;
                }
              if (p[0] == '.' && len > 0)
                g_string_append_len (s, p + 1, (gssize) len - 1);
              else
                g_string_append_len (s, p, (gssize) len);
              g_string_append_c (s, '\n');
              p = end + 1;
            }
          add_token (tokens, TOKEN_STRING, g_string_free (s, FALSE));
        }
      else if (*p == ':' || g_ascii_isalpha (*p) || *p == '_' || g_ascii_isdigit (*p))
        {
          TokenKind kind = *p == ':' ? TOKEN_TAG : g_ascii_isdigit (*p) ? TOKEN_NUMBER : TOKEN_WORD;
          const char *start = p;

          if (*p == ':')
            p++;
          while (g_ascii_isalnum (*p) || *p == '_' || *p == '.' || *p == '-')
            p++;
          add_token (tokens, kind, g_ascii_strdown (start, p - start));
        }
      else
        {
          add_token (tokens, TOKEN_PUNCT, g_strndup (p, 1));
          p++;
        }
    }
  return g_steal_pointer (&tokens);
}

/* g_set_str () is GLib 2.76. */
static void
set_text (char       **field,
          const char  *text)
{
  g_free (*field);
  *field = g_strdup (text);
}

static Token *
token_at (GPtrArray *tokens,
          guint      i)
{
  return i < tokens->len ? g_ptr_array_index (tokens, i) : NULL;
}

static gboolean
token_is (Token      *t,
          TokenKind   kind,
          const char *text)
{
  return t != NULL && t->kind == kind && (text == NULL || g_str_equal (t->text, text));
}

/* A string or a string list at *i; moves past it. */
static GStrv
read_strings (GPtrArray *tokens,
              guint     *i)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  Token *t = token_at (tokens, *i);

  if (token_is (t, TOKEN_STRING, NULL))
    {
      (*i)++;
      g_strv_builder_add (b, t->text);
      return g_strv_builder_end (b);
    }
  if (!token_is (t, TOKEN_PUNCT, "["))
    return NULL;
  for ((*i)++; (t = token_at (tokens, *i)) != NULL && !token_is (t, TOKEN_PUNCT, "]"); (*i)++)
    if (token_is (t, TOKEN_STRING, NULL))
      g_strv_builder_add (b, t->text);
  if (t == NULL)
    return NULL;
  (*i)++;
  return g_strv_builder_end (b);
}

MwSieveVacation *
mw_sieve_vacation_from_script (const char  *script,
                               GError     **error)
{
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(MwSieveVacation) v = NULL;
  gboolean seen_vacation = FALSE;

  if (!mw_sieve_is_vacation_script (script) || (tokens = tokenize (script)) == NULL)
    goto not_ours;

  v = mw_sieve_vacation_new ();
  for (guint i = 0; i < tokens->len; i++)
    {
      Token *t = token_at (tokens, i);

      if (token_is (t, TOKEN_WORD, "currentdate"))
        {
          g_autofree char *op = NULL;
          g_auto(GStrv) part = NULL;
          g_auto(GStrv) keys = NULL;

          for (i++; (t = token_at (tokens, i)) != NULL && t->kind == TOKEN_TAG; )
            {
              i++;
              if (g_str_equal (t->text, ":value") && token_is (token_at (tokens, i), TOKEN_STRING, NULL))
                op = g_strdup (token_at (tokens, i++)->text);
              else if (g_str_equal (t->text, ":zone") || g_str_equal (t->text, ":comparator"))
                i++;
            }
          part = read_strings (tokens, &i);
          keys = read_strings (tokens, &i);
          i--;
          if (op == NULL || part == NULL || keys == NULL || keys[0] == NULL || g_strcmp0 (part[0], "date") != 0)
            goto not_ours;
          if (g_str_equal (op, "ge"))
            set_text (&v->start, keys[0]);
          else if (g_str_equal (op, "le"))
            set_text (&v->stop, keys[0]);
          else
            goto not_ours;
        }
      else if (token_is (t, TOKEN_WORD, "vacation"))
        {
          g_auto(GStrv) reason = NULL;

          if (seen_vacation)
            goto not_ours;
          seen_vacation = TRUE;
          for (i++; (t = token_at (tokens, i)) != NULL && t->kind == TOKEN_TAG; )
            {
              Token *arg = token_at (tokens, ++i);

              if (g_str_equal (t->text, ":days") || g_str_equal (t->text, ":seconds"))
                {
                  guint64 n;

                  if (!token_is (arg, TOKEN_NUMBER, NULL) || !g_ascii_string_to_unsigned (arg->text, 10, 0, 365 * 86400, &n, NULL))
                    goto not_ours;
                  v->days = g_str_equal (t->text, ":days") ? (guint) n : (guint) MAX (1, (n + 86399) / 86400);
                  i++;
                }
              else if (g_str_equal (t->text, ":subject") && token_is (arg, TOKEN_STRING, NULL))
                {
                  set_text (&v->subject, arg->text);
                  i++;
                }
              else if (g_str_equal (t->text, ":addresses"))
                {
                  g_strfreev (v->addresses);
                  if ((v->addresses = read_strings (tokens, &i)) == NULL)
                    goto not_ours;
                }
              else if ((g_str_equal (t->text, ":from") || g_str_equal (t->text, ":handle"))
                       && token_is (arg, TOKEN_STRING, NULL))
                i++;
              else if (!g_str_equal (t->text, ":mime"))
                goto not_ours;
            }
          reason = read_strings (tokens, &i);
          if (reason == NULL || reason[0] == NULL || reason[1] != NULL)
            goto not_ours;
          v->body = g_strdup (reason[0]);
          i--;
        }
    }
  if (!seen_vacation)
    goto not_ours;
  return g_steal_pointer (&v);

not_ours:
  g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NOT_VACATION,
                       _("This Sieve script is not a vacation reply written by Mailwarden: open it as a script."));
  return NULL;
}

/* libSieve: DBMail 3.5's engine, checked by mailwarden-sieve-check */

static GMutex checker_lock;
static char  *checker_path;
static char  *checker_extensions_of;   /* the checker the list below came from */
static GStrv  checker_extensions;

void
mw_sieve_set_libsieve_checker (const char *path)
{
  g_mutex_lock (&checker_lock);
  g_free (checker_path);
  checker_path = g_strdup (path);
  g_mutex_unlock (&checker_lock);
}

const char *
mw_sieve_no_dates_sentence (void)
{
  return _("DBMail’s Sieve engine (libSieve) cannot test dates, so a vacation script cannot have a first or last "
           "day. The automatic reply (the Replies tab, or mailwarden-cli autoreply) has start and stop dates.");
}

static char *
find_checker (GError **error)
{
  g_autofree char *path = NULL;

  g_mutex_lock (&checker_lock);
  path = g_strdup (checker_path);
  g_mutex_unlock (&checker_lock);
  if (path == NULL && g_getenv ("MW_SIEVE_CHECK") != NULL && *g_getenv ("MW_SIEVE_CHECK") != '\0')
    path = g_strdup (g_getenv ("MW_SIEVE_CHECK"));
  if (path == NULL)
    path = g_strdup (MW_SIEVE_CHECK_PATH);
  if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test (path, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&path);
  g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NO_COMPILER,
                       _("Sieve scripts for DBMail cannot be checked: mailwarden-sieve-check, which checks them with "
                         "DBMail’s Sieve engine libSieve, is not installed. Mailwarden builds it when the package "
                         "libsieve2-dev is installed (tools/install-deps)."));
  return NULL;
}

/* Runs the checker with @arg, @input on its stdin (from a private
 * temporary file: a checker that dies before reading a pipe would kill us
 * with SIGPIPE); its output and how it ended (crashed: killed by a
 * signal). */
static gboolean
run_checker (const char    *checker,
             const char    *arg,
             const char    *input,
             GCancellable  *cancellable,
             char         **output,
             int           *status,
             gboolean      *crashed,
             GError       **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *path = NULL;
  gboolean ok;
  int fd;

  if ((fd = g_file_open_tmp ("mailwarden-sieve-XXXXXX", &path, error)) < 0)
    return FALSE;
  g_close (fd, NULL);
  if (!g_file_set_contents (path, input, -1, error))
    {
      g_unlink (path);
      return FALSE;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdin_file_path (launcher, path);
  process = g_subprocess_launcher_spawn (launcher, error, checker, arg, NULL);
  ok = process != NULL && g_subprocess_communicate_utf8 (process, NULL, cancellable, output, NULL, error);
  g_unlink (path);
  if (process == NULL)
    return FALSE;
  if (!ok)
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      return FALSE;
    }
  *crashed = !g_subprocess_get_if_exited (process);
  *status = *crashed ? -1 : g_subprocess_get_exit_status (process);
  return TRUE;
}

/* libSieve's extensions, as the checker lists them (asked once). */
static GStrv
checker_list_extensions (const char    *checker,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *output = NULL;
  GStrv list = NULL;
  gboolean crashed;
  int status;

  g_mutex_lock (&checker_lock);
  if (checker_extensions != NULL && g_strcmp0 (checker_extensions_of, checker) == 0)
    list = g_strdupv (checker_extensions);
  g_mutex_unlock (&checker_lock);
  if (list != NULL)
    return list;

  if (!run_checker (checker, "--extensions", "", cancellable, &output, &status, &crashed, error))
    return NULL;
  if (crashed || status != 0)
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NO_COMPILER,
                           _("Sieve scripts for DBMail cannot be checked: mailwarden-sieve-check could not start "
                             "DBMail’s Sieve engine libSieve."));
      return NULL;
    }
  list = g_strsplit_set (g_strstrip (output), " \t\n", -1);
  g_mutex_lock (&checker_lock);
  g_strfreev (checker_extensions);
  checker_extensions = g_strdupv (list);
  g_free (checker_extensions_of);
  checker_extensions_of = g_strdup (checker);
  g_mutex_unlock (&checker_lock);
  return list;
}

/* The first extension the script requires that @known lacks (comparators
 * are left to libSieve), or NULL. */
static char *
first_unknown_extension (const char         *script,
                         const char * const *known)
{
  g_autoptr(GPtrArray) tokens = tokenize (script);

  if (tokens == NULL)
    return NULL;   /* libSieve reports what does not even tokenize */
  for (guint i = 0; i < tokens->len; i++)
    {
      g_auto(GStrv) names = NULL;

      if (!token_is (token_at (tokens, i), TOKEN_WORD, "require"))
        continue;
      i++;
      if ((names = read_strings (tokens, &i)) == NULL)
        continue;
      i--;
      for (guint j = 0; names[j] != NULL; j++)
        if (!g_str_has_prefix (names[j], "comparator-") && !g_strv_contains (known, names[j]))
          return g_strdup (names[j]);
    }
  return NULL;
}

gboolean
mw_sieve_check_libsieve (const char    *script,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *checker = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) known = NULL;
  gboolean crashed;
  int status;

  if (!mw_sieve_check_script (script, error))
    return FALSE;
  if (script == NULL)
    script = "";
  if ((checker = find_checker (error)) == NULL)
    return FALSE;
  if ((known = checker_list_extensions (checker, cancellable, error)) == NULL)
    return FALSE;
  if ((unknown = first_unknown_extension (script, (const char * const *) known)) != NULL)
    {
      g_autofree char *quoted = mw_address_quote_for_message (unknown, -1);

      g_set_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_UNSUPPORTED,
                   /* Translators: %s is a Sieve extension's name from the script's "require", such as date */
                   _("DBMail’s Sieve engine (libSieve) does not support the extension “%s”."), quoted);
      return FALSE;
    }
  if (!run_checker (checker, "-", script, cancellable, &output, &status, &crashed, error))
    return FALSE;
  if (crashed)
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_UNSUPPORTED,
                           _("DBMail’s Sieve engine (libSieve) crashed on this script: DBMail could not run it."));
      return FALSE;
    }
  if (status != 0)
    {
      g_autofree char *message = g_strdup (g_strstrip (output));

      if (status != 1 || *message == '\0')
        {
          g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_NO_COMPILER,
                               _("Sieve scripts for DBMail cannot be checked: mailwarden-sieve-check could not start "
                                 "DBMail’s Sieve engine libSieve."));
          return FALSE;
        }
      g_set_error (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_COMPILE,
                   /* Translators: %s is libSieve's error lines, such as "line 3: syntax error, unexpected $undefined" */
                   _("DBMail’s Sieve engine (libSieve) refuses the script:\n%s"), message);
      return FALSE;
    }
  return TRUE;
}

/* The interface's entry points */

gboolean
mw_schema_has_sieve (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_SIEVE_STORE (self);
}

MwSieveEngine
mw_schema_get_sieve_engine (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), MW_SIEVE_ENGINE_PIGEONHOLE);

  if (!MW_IS_SIEVE_STORE (self) || MW_SIEVE_STORE_GET_IFACE (self)->get_sieve_engine == NULL)
    return MW_SIEVE_ENGINE_PIGEONHOLE;
  return MW_SIEVE_STORE_GET_IFACE (self)->get_sieve_engine (MW_SIEVE_STORE (self));
}

gboolean
mw_schema_sieve_can_test_dates (MwSchema *self)
{
  return mw_schema_get_sieve_engine (self) != MW_SIEVE_ENGINE_LIBSIEVE;
}

gboolean
mw_schema_check_sieve_script (MwSchema      *self,
                              const char    *script,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  if (!mw_sieve_compile (script, cancellable, error))
    return FALSE;
  if (mw_schema_get_sieve_engine (self) == MW_SIEVE_ENGINE_LIBSIEVE)
    return mw_sieve_check_libsieve (script, cancellable, error);
  return TRUE;
}

static MwSieveStore *
store_or_refuse (MwSchema  *self,
                 GError   **error)
{
  if (MW_IS_SIEVE_STORE (self))
    return MW_SIEVE_STORE (self);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This kind of mail database keeps no Sieve scripts: its mail server reads them from elsewhere."));
  return NULL;
}

GPtrArray *
mw_schema_list_sieve_scripts (MwSchema      *self,
                              MwDb          *db,
                              const char    *account_key,
                              GCancellable  *cancellable,
                              GError       **error)
{
  MwSieveStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_SIEVE_STORE_GET_IFACE (store)->list_sieve_scripts (store, db, account_key, cancellable, error);
}

MwSieveScript *
mw_schema_get_sieve_script (MwSchema      *self,
                            MwDb          *db,
                            const char    *account_key,
                            const char    *name,
                            GCancellable  *cancellable,
                            GError       **error)
{
  MwSieveStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_SIEVE_STORE_GET_IFACE (store)->get_sieve_script (store, db, account_key, name, cancellable, error);
}

MwSieveScript *
mw_schema_put_sieve_script (MwSchema       *self,
                            const MwAdmin  *admin,
                            const char     *account_key,
                            const char     *name,
                            const char     *script,
                            gboolean        activate,
                            GCancellable   *cancellable,
                            GError        **error)
{
  MwSieveStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_SIEVE_STORE_GET_IFACE (store)->put_sieve_script (store, admin, account_key, name, script, activate,
                                                             cancellable, error);
}

MwSieveScript *
mw_schema_activate_sieve_script (MwSchema       *self,
                                 const MwAdmin  *admin,
                                 const char     *account_key,
                                 const char     *name,
                                 GError        **error)
{
  MwSieveStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_SIEVE_STORE_GET_IFACE (store)->activate_sieve_script (store, admin, account_key, name, error);
}

MwSieveScript *
mw_schema_deactivate_sieve_scripts (MwSchema       *self,
                                    const MwAdmin  *admin,
                                    const char     *account_key,
                                    GError        **error)
{
  MwSieveStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_SIEVE_STORE_GET_IFACE (store)->deactivate_sieve_scripts (store, admin, account_key, error);
}

MwSieveScript *
mw_schema_delete_sieve_script (MwSchema       *self,
                               const MwAdmin  *admin,
                               const char     *account_key,
                               const char     *name,
                               GError        **error)
{
  MwSieveStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_SIEVE_STORE_GET_IFACE (store)->delete_sieve_script (store, admin, account_key, name, error);
}

MwSieveScript *
mw_schema_rename_sieve_script (MwSchema       *self,
                               const MwAdmin  *admin,
                               const char     *account_key,
                               const char     *name,
                               const char     *new_name,
                               GError        **error)
{
  MwSieveStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_SIEVE_STORE_GET_IFACE (store)->rename_sieve_script (store, admin, account_key, name, new_name, error);
}
