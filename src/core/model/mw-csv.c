/* mw-csv.c: reading and writing CSV files (RFC 4180) for imports and exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-csv.h"

G_DEFINE_QUARK (mw-csv-error-quark, mw_csv_error)

struct _MwCsvReader
{
  GBytes     *bytes;
  const char *data;
  gsize       len;
  gsize       pos;
  guint       line;   /* 1-based line of data[pos] */
  char        sep;
};

typedef enum
{
  FIELD_END_SEPARATOR,
  FIELD_END_LINE,
  FIELD_END_DATA,
  FIELD_UNCLOSED,
  FIELD_TEXT_AFTER_QUOTE,
} FieldEnd;

static gboolean
is_line_end (char c)
{
  return c == '\n' || c == '\r';
}

/* A cell a spreadsheet would evaluate: OWASP's list of first characters. */
static gboolean
is_formula_start (char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Whether the writer puts an apostrophe before value: a formula, or
 * apostrophes before one, so that the reader can tell the apostrophe it
 * added from one that was there. */
static gboolean
needs_apostrophe (const char *value)
{
  while (*value == '\'')
    value++;
  return is_formula_start (*value);
}

/* Steps over "\r\n", "\n" or a lone "\r" at pos. */
static void
reader_skip_line_end (MwCsvReader *reader)
{
  g_assert (reader->pos < reader->len && is_line_end (reader->data[reader->pos]));

  if (reader->data[reader->pos] == '\r' && reader->pos + 1 < reader->len && reader->data[reader->pos + 1] == '\n')
    reader->pos++;
  reader->pos++;
  reader->line++;
}

static char
detect_separator (const char *data,
                  gsize       len)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0, };
  gboolean quoted = FALSE;
  gsize i = 0;
  guint best = 0;

  while (i < len && is_line_end (data[i]))
    i++;

  /* Only the first record counts, which may span lines inside quotes. */
  for (; i < len && (quoted || !is_line_end (data[i])); i++)
    {
      if (data[i] == '"')
        quoted = !quoted;
      else if (!quoted)
        for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
          if (data[i] == candidates[c])
            counts[c]++;
    }

  for (guint c = 1; c < G_N_ELEMENTS (candidates); c++)
    if (counts[c] > counts[best])
      best = c;
  return candidates[best];
}

MwCsvReader *
mw_csv_reader_new (GBytes *data,
                   char    sep)
{
  MwCsvReader *reader;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (sep != '"' && !is_line_end (sep), NULL);

  reader = g_new0 (MwCsvReader, 1);
  reader->bytes = g_bytes_ref (data);
  reader->data = g_bytes_get_data (data, &reader->len);
  reader->line = 1;
  if (reader->len >= 3 && memcmp (reader->data, "\xEF\xBB\xBF", 3) == 0)
    reader->pos = 3;
  reader->sep = sep != '\0' ? sep : detect_separator (reader->data + reader->pos, reader->len - reader->pos);

  return reader;
}

char
mw_csv_reader_get_separator (MwCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, ',');

  return reader->sep;
}

void
mw_csv_reader_free (MwCsvReader *reader)
{
  if (reader == NULL)
    return;

  g_bytes_unref (reader->bytes);
  g_free (reader);
}

/* Appends while the field is within the limit; past it, only counts, so that
 * the rest of the record is still read and the next call starts after it. */
static void
append_byte (GString  *field,
             char      c,
             gboolean *too_long)
{
  if (field->len < MW_CSV_MAX_FIELD_BYTES)
    g_string_append_c (field, c);
  else
    *too_long = TRUE;
}

static FieldEnd
read_field (MwCsvReader *reader,
            GString     *field,
            gboolean    *too_long)
{
  const char *data = reader->data;

  if (reader->pos < reader->len && data[reader->pos] == '"')
    {
      reader->pos++;
      for (;;)
        {
          char c;

          if (reader->pos >= reader->len)
            return FIELD_UNCLOSED;

          c = data[reader->pos];
          if (c == '"')
            {
              if (reader->pos + 1 < reader->len && data[reader->pos + 1] == '"')
                {
                  append_byte (field, '"', too_long);
                  reader->pos += 2;
                  continue;
                }
              reader->pos++;
              break;
            }

          /* Line breaks inside quotes are kept as they are, CRLF included. */
          if (c == '\n' || (c == '\r' && (reader->pos + 1 >= reader->len || data[reader->pos + 1] != '\n')))
            reader->line++;
          append_byte (field, c, too_long);
          reader->pos++;
        }

      if (reader->pos >= reader->len)
        return FIELD_END_DATA;
      if (data[reader->pos] == reader->sep)
        {
          reader->pos++;
          return FIELD_END_SEPARATOR;
        }
      if (is_line_end (data[reader->pos]))
        {
          reader_skip_line_end (reader);
          return FIELD_END_LINE;
        }
      return FIELD_TEXT_AFTER_QUOTE;
    }

  for (;;)
    {
      char c;

      if (reader->pos >= reader->len)
        return FIELD_END_DATA;

      c = data[reader->pos];
      if (c == reader->sep)
        {
          reader->pos++;
          return FIELD_END_SEPARATOR;
        }
      if (is_line_end (c))
        {
          reader_skip_line_end (reader);
          return FIELD_END_LINE;
        }
      append_byte (field, c, too_long);
      reader->pos++;
    }
}

/* The line of @at, counting from @start, which is on line @start_line. */
static guint
count_line (const char *start,
            const char *at,
            guint       start_line)
{
  guint line = start_line;

  for (const char *p = start; p < at; p++)
    if (*p == '\n' || (*p == '\r' && (p + 1 >= at || p[1] != '\n')))
      line++;
  return line;
}

static void
reader_skip_to_line_end (MwCsvReader *reader)
{
  while (reader->pos < reader->len && !is_line_end (reader->data[reader->pos]))
    reader->pos++;
  if (reader->pos < reader->len)
    reader_skip_line_end (reader);
}

gboolean
mw_csv_reader_next (MwCsvReader  *reader,
                    GStrv        *fields,
                    guint        *line_number,
                    GError      **error)
{
  g_autoptr(GPtrArray) record = NULL;
  g_autoptr(GString) field = NULL;
  const char *record_start;
  const char *invalid;
  guint start_line;
  gboolean too_long = FALSE;
  gboolean too_many = FALSE;
  FieldEnd end;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *fields = NULL;

  while (reader->pos < reader->len && is_line_end (reader->data[reader->pos]))
    reader_skip_line_end (reader);
  if (reader->pos >= reader->len)
    return FALSE;

  start_line = reader->line;
  if (line_number != NULL)
    *line_number = start_line;
  record_start = reader->data + reader->pos;
  record = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);

  do
    {
      end = read_field (reader, field, &too_long);
      if (field->len > 0 && field->str[0] == '\'' && needs_apostrophe (field->str + 1))
        g_string_erase (field, 0, 1);
      if (record->len < MW_CSV_MAX_FIELDS)
        g_ptr_array_add (record, g_strndup (field->str, field->len));
      else
        too_many = TRUE;
      g_string_truncate (field, 0);
    }
  while (end == FIELD_END_SEPARATOR);

  /* Encoding first: a file in another encoding, or not text at all, may
   * also look like broken quoting, and the encoding is what to fix. A NUL
   * byte is named as such: the rest of such a line is often good UTF-8. */
  if ((invalid = memchr (record_start, '\0', (gsize) (reader->data + reader->pos - record_start))) != NULL)
    {
      if (end == FIELD_TEXT_AFTER_QUOTE)
        reader_skip_to_line_end (reader);
      g_set_error (error, MW_CSV_ERROR, MW_CSV_ERROR_ENCODING,
                   _("Line %u contains a NUL byte (a zero byte), which a text file does not hold. Check that the "
                     "file is a CSV text file in UTF-8 and import it again."),
                   count_line (record_start, invalid, start_line));
      return FALSE;
    }
  if (!g_utf8_validate_len (record_start, reader->data + reader->pos - record_start, &invalid))
    {
      if (end == FIELD_TEXT_AFTER_QUOTE)
        reader_skip_to_line_end (reader);
      g_set_error (error, MW_CSV_ERROR, MW_CSV_ERROR_ENCODING,
                   _("Line %u is not UTF-8 text. Save the file as UTF-8 and import it again."),
                   count_line (record_start, invalid, start_line));
      return FALSE;
    }

  if (end == FIELD_UNCLOSED)
    {
      g_set_error (error, MW_CSV_ERROR, MW_CSV_ERROR_SYNTAX,
                   _("Line %u: a quoted field is not closed."), start_line);
      return FALSE;
    }

  if (end == FIELD_TEXT_AFTER_QUOTE)
    {
      guint line = reader->line;

      reader_skip_to_line_end (reader);
      g_set_error (error, MW_CSV_ERROR, MW_CSV_ERROR_SYNTAX,
                   _("Line %u: there is text after the closing quote of a field. "
                     "Write a quote inside a quoted field as two quotes."), line);
      return FALSE;
    }

  if (too_long)
    {
      g_set_error (error, MW_CSV_ERROR, MW_CSV_ERROR_TOO_LARGE,
                   _("Line %u: a field is longer than %u KiB."), start_line, MW_CSV_MAX_FIELD_BYTES / 1024);
      return FALSE;
    }

  if (too_many)
    {
      g_set_error (error, MW_CSV_ERROR, MW_CSV_ERROR_TOO_LARGE,
                   _("Line %u has more than %u fields."), start_line, MW_CSV_MAX_FIELDS);
      return FALSE;
    }

  g_ptr_array_add (record, NULL);
  *fields = (GStrv) g_ptr_array_free (g_steal_pointer (&record), FALSE);
  return TRUE;
}

static gboolean
needs_quotes (const char *value,
              gsize       len,
              char        sep)
{
  if (len == 0)
    return FALSE;
  if (value[0] == ' ' || value[0] == '\t' || value[len - 1] == ' ' || value[len - 1] == '\t')
    return TRUE;
  for (gsize i = 0; i < len; i++)
    if (value[i] == sep || value[i] == '"' || is_line_end (value[i]))
      return TRUE;
  return FALSE;
}

void
mw_csv_append_record (GString           *out,
                      const char *const *fields,
                      guint              n_fields,
                      char               sep)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (fields != NULL || n_fields == 0);
  g_return_if_fail (sep != '\0' && sep != '"' && !is_line_end (sep));

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *protected = NULL;
      const char *value = fields[i] != NULL ? fields[i] : "";
      gsize len;

      if (needs_apostrophe (value))
        value = protected = g_strconcat ("'", value, NULL);
      len = strlen (value);

      if (i > 0)
        g_string_append_c (out, sep);

      if (!needs_quotes (value, len, sep))
        {
          g_string_append_len (out, value, len);
          continue;
        }

      g_string_append_c (out, '"');
      for (gsize j = 0; j < len; j++)
        {
          if (value[j] == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, value[j]);
        }
      g_string_append_c (out, '"');
    }

  if (n_fields == 1 && (fields[0] == NULL || fields[0][0] == '\0'))
    g_string_append (out, "\"\"");
  g_string_append (out, "\r\n");
}
