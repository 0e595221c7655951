/* mw-csv.h: reading and writing CSV files (RFC 4180) for imports and exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MW_CSV_ERROR (mw_csv_error_quark ())

typedef enum
{
  MW_CSV_ERROR_ENCODING,   /* a line is not UTF-8 */
  MW_CSV_ERROR_SYNTAX,     /* a quoted field is not closed, or text follows its closing quote */
  MW_CSV_ERROR_TOO_LARGE,  /* a field longer than MW_CSV_MAX_FIELD_BYTES, or more than MW_CSV_MAX_FIELDS */
} MwCsvError;

#define MW_CSV_MAX_FIELD_BYTES (64 * 1024)
#define MW_CSV_MAX_FIELDS      1000

typedef struct _MwCsvReader MwCsvReader;

GQuark       mw_csv_error_quark   (void);

/* Reads records from a whole buffer (read files with g_file_load_contents()
 * first); keeps a reference to @data. Accepts a UTF-8 byte order mark, CRLF,
 * LF or CR line ends, and quoted fields with "" escapes and line breaks. A
 * quote inside a field that does not start with one is kept as text.
 *
 * @sep is ',', ';' or '\t', or 0 to take whichever of the three occurs most
 * often outside quotes on the first non-blank line (',' when none does). */
MwCsvReader *mw_csv_reader_new    (GBytes       *data,
                                   char          sep);

/* Returns: TRUE and the next record in @fields (transfer full, free with
 * g_strfreev()), or FALSE with @fields set to NULL at the end or on an error.
 * A field that mw_csv_append_record() protected against formula injection
 * (an apostrophe, then apostrophes and = + - @ tab or CR) loses that first
 * apostrophe.
 * Empty lines are skipped; a line of separators only is a record of empty
 * fields. @line_number (optional) gets the line the record starts on, also
 * on an error. The message of an error names the line.
 *
 * After an error the reader is past the bad record, so a caller may go on
 * to collect one error per line; after an unclosed quote nothing is left. */
gboolean     mw_csv_reader_next   (MwCsvReader  *reader,
                                   GStrv        *fields,
                                   guint        *line_number,
                                   GError      **error);

/* Returns the separator in use, useful after detection. */
char         mw_csv_reader_get_separator (MwCsvReader *reader);

void         mw_csv_reader_free   (MwCsvReader  *reader);

/* Appends one record ending in CRLF to @out. A field is quoted only when it
 * holds @sep, a quote, CR or LF, or starts or ends with a space or a tab.
 * NULL fields are written as empty ones. A lone empty field is written as ""
 * so that the line is not read back as a blank one.
 *
 * Against spreadsheet formula injection (OWASP's "CSV injection"), a value
 * that a spreadsheet would run as a formula, one starting with = + - @, a tab
 * or CR, is written after an apostrophe, which spreadsheets show as text:
 * "=1+1" becomes "'=1+1". So that this stays reversible, a value that
 * starts with apostrophes followed by one of those characters gets one more
 * apostrophe too ("'=x" becomes "''=x"); other values, apostrophes included
 * ("o'hara", "'quoted'"), are written as they are. mw_csv_reader_next()
 * removes that one apostrophe again, so every value reads back unchanged.
 * (A hand-written file whose cell really is "'=x" reads as "=x": the price
 * of a rule a spreadsheet understands.) */
void         mw_csv_append_record (GString           *out,
                                   const char *const *fields,
                                   guint              n_fields,
                                   char               sep);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwCsvReader, mw_csv_reader_free)

G_END_DECLS
