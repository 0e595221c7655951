/* test-csv.c: CSV reading and writing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "mw-csv.h"

static MwCsvReader *
reader_for (const char *text,
            char        sep)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return mw_csv_reader_new (bytes, sep);
}

/* Reads one record and checks its fields and line. */
static void
assert_record (MwCsvReader       *reader,
               guint              line,
               const char *const *expected)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  guint line_number = 0;

  g_assert_true (mw_csv_reader_next (reader, &fields, &line_number, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (line_number, ==, line);
  g_assert_cmpstrv (fields, expected);
}

static void
assert_end (MwCsvReader *reader)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (mw_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (fields);
}

static void
assert_error (MwCsvReader *reader,
              int          code,
              const char  *message)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (mw_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_error (error, MW_CSV_ERROR, code);
  g_assert_null (fields);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static const char *const round_trip_records[][5] = {
  { "userid", "name", "comment", "quota", NULL },
  { "alice", "Alice, Liddell", "says \"hi\"", "", NULL },
  { "bob", "", "", "", NULL },
  { "chloé", "Chloé Ümlaut 日本語", "line one\nline two", "10M", NULL },
  { "dave", "crlf\r\ninside", "lone\rcr", " padded ", NULL },
  { "eve", "=SUM(A1:A2)", "+1", "-2", NULL },
  { "frank", "@at", "semi;colon", "tab\there", NULL },
  { "", NULL },
  { "\"", "\"\"", ",", "\t", NULL },
};

static void
test_round_trip (void)
{
  const char seps[] = { ',', ';', '\t' };

  for (guint s = 0; s < G_N_ELEMENTS (seps); s++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(MwCsvReader) reader = NULL;
      g_autoptr(GBytes) bytes = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (round_trip_records); i++)
        mw_csv_append_record (out, round_trip_records[i], g_strv_length ((GStrv) round_trip_records[i]), seps[s]);

      /* Read back with the separator detected from the header line. */
      bytes = g_bytes_new (out->str, out->len);
      reader = mw_csv_reader_new (bytes, 0);
      g_assert_cmpint (mw_csv_reader_get_separator (reader), ==, seps[s]);
      for (guint i = 0; i < G_N_ELEMENTS (round_trip_records); i++)
        {
          g_auto(GStrv) fields = NULL;
          g_autoptr(GError) error = NULL;

          g_assert_true (mw_csv_reader_next (reader, &fields, NULL, &error));
          g_assert_no_error (error);
          g_assert_cmpstrv (fields, round_trip_records[i]);
        }
      assert_end (reader);
    }
}

static void
test_write_quoting (void)
{
  const char *const plain[] = { "a", "b c", "", "=1+1" };
  const char *const quoted[] = { "x,y", "say \"hi\"", "two\nlines", " lead", "trail ", NULL };
  const char *const lone_empty[] = { "" };
  g_autoptr(GString) out = g_string_new (NULL);

  mw_csv_append_record (out, plain, G_N_ELEMENTS (plain), ',');
  mw_csv_append_record (out, quoted, G_N_ELEMENTS (quoted), ',');
  mw_csv_append_record (out, lone_empty, 1, ',');
  /* A comma needs no quotes when the separator is a semicolon. */
  mw_csv_append_record (out, quoted, 1, ';');

  g_assert_cmpstr (out->str, ==,
                   "a,b c,,'=1+1\r\n"
                   "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\" lead\",\"trail \",\r\n"
                   "\"\"\r\n"
                   "x,y\r\n");
}

/* OWASP's rule against formula injection: a cell a spreadsheet would run
 * is written after an apostrophe; apostrophes before such a character get
 * one more, so that the reader, which takes that one apostrophe away, gives
 * every value back as it was. */
static void
test_formulas (void)
{
  const char *const values[] = {
    "=cmd|'/Ccalc'!A0", "+SUM(1+1)", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=x", "''+y",
    "'", "''", "o'hara", "'quoted'", "a=b", "", "-",
  };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MwCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;

  mw_csv_append_record (out, values, G_N_ELEMENTS (values), ',');
  g_assert_cmpstr (out->str, ==,
                   "'=cmd|'/Ccalc'!A0,'+SUM(1+1),'-2+3,'@SUM(A1),'\tx,\"'\rx\",''=x,'''+y,"
                   "','',o'hara,'quoted',a=b,,'-\r\n");

  bytes = g_bytes_new (out->str, out->len);
  reader = mw_csv_reader_new (bytes, ',');
  g_assert_true (mw_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (fields), ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpstr (fields[i], ==, values[i]);
  assert_end (reader);

  /* With a tab as separator the tab cell is quoted, and still reads back. */
  g_string_truncate (out, 0);
  mw_csv_append_record (out, (const char *const[]) { "\tx", "=y" }, 2, '\t');
  g_assert_cmpstr (out->str, ==, "\"'\tx\"\t'=y\r\n");
}

static void
test_bom (void)
{
  g_autoptr(MwCsvReader) reader = reader_for ("\xEF\xBB\xBFuserid,name\nalice,Alice\n", 0);

  assert_record (reader, 1, (const char *const[]) { "userid", "name", NULL });
  assert_record (reader, 2, (const char *const[]) { "alice", "Alice", NULL });
  assert_end (reader);
}

static void
test_detect_separator (void)
{
  g_autoptr(MwCsvReader) semi = reader_for ("\n\"a,b,c\";name;quota\nalice;Hello, world;1\n", 0);
  g_autoptr(MwCsvReader) tab = reader_for ("userid\tname\nalice\tA, B; C\n", 0);
  g_autoptr(MwCsvReader) single = reader_for ("userid\nalice\n", 0);
  g_autoptr(MwCsvReader) forced = reader_for ("a;b,c\n", ',');

  /* The commas inside quotes on the first line do not count. */
  g_assert_cmpint (mw_csv_reader_get_separator (semi), ==, ';');
  assert_record (semi, 2, (const char *const[]) { "a,b,c", "name", "quota", NULL });
  assert_record (semi, 3, (const char *const[]) { "alice", "Hello, world", "1", NULL });
  assert_end (semi);

  g_assert_cmpint (mw_csv_reader_get_separator (tab), ==, '\t');
  assert_record (tab, 1, (const char *const[]) { "userid", "name", NULL });
  assert_record (tab, 2, (const char *const[]) { "alice", "A, B; C", NULL });

  g_assert_cmpint (mw_csv_reader_get_separator (single), ==, ',');
  assert_record (forced, 1, (const char *const[]) { "a;b", "c", NULL });
}

static void
test_line_ends (void)
{
  const char *texts[] = {
    "a,b\n\"c\nd\",e\nf,g\n",
    "a,b\r\n\"c\nd\",e\r\nf,g\r\n",
    "a,b\r\"c\nd\",e\rf,g\r",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(MwCsvReader) reader = reader_for (texts[i], 0);

      assert_record (reader, 1, (const char *const[]) { "a", "b", NULL });
      assert_record (reader, 2, (const char *const[]) { "c\nd", "e", NULL });
      assert_record (reader, 4, (const char *const[]) { "f", "g", NULL });
      assert_end (reader);
    }
}

static void
test_last_line_without_newline (void)
{
  g_autoptr(MwCsvReader) plain = reader_for ("a,b\nc,d", 0);
  g_autoptr(MwCsvReader) quoted = reader_for ("a,b\nc,\"d\"", 0);
  g_autoptr(MwCsvReader) trailing = reader_for ("a,", 0);

  assert_record (plain, 1, (const char *const[]) { "a", "b", NULL });
  assert_record (plain, 2, (const char *const[]) { "c", "d", NULL });
  assert_end (plain);
  assert_record (quoted, 1, (const char *const[]) { "a", "b", NULL });
  assert_record (quoted, 2, (const char *const[]) { "c", "d", NULL });
  assert_end (quoted);
  assert_record (trailing, 1, (const char *const[]) { "a", "", NULL });
  assert_end (trailing);
}

static void
test_blank_lines (void)
{
  g_autoptr(MwCsvReader) reader = reader_for ("\n\na,b\n\n\r\n\nc,d\n\n", 0);
  g_autoptr(MwCsvReader) empty = reader_for ("", 0);
  g_autoptr(MwCsvReader) only_blank = reader_for ("\r\n\n\r\n", 0);

  assert_record (reader, 3, (const char *const[]) { "a", "b", NULL });
  assert_record (reader, 7, (const char *const[]) { "c", "d", NULL });
  assert_end (reader);
  /* Once at the end, it stays there. */
  assert_end (reader);
  assert_end (empty);
  assert_end (only_blank);
}

static void
test_unclosed_quote (void)
{
  g_autoptr(MwCsvReader) reader = reader_for ("a,b\nc,d\ne,\"f\ng,h\n", 0);

  assert_record (reader, 1, (const char *const[]) { "a", "b", NULL });
  assert_record (reader, 2, (const char *const[]) { "c", "d", NULL });
  assert_error (reader, MW_CSV_ERROR_SYNTAX, "Line 3: a quoted field is not closed.");
  assert_end (reader);
}

static void
test_text_after_quote (void)
{
  g_autoptr(MwCsvReader) reader = reader_for ("a,b\n\"c\" d,e\nf,g\n", 0);
  g_autoptr(MwCsvReader) inner = reader_for ("5\" disk,x\n", 0);

  assert_record (reader, 1, (const char *const[]) { "a", "b", NULL });
  assert_error (reader, MW_CSV_ERROR_SYNTAX, NULL);
  /* The reader goes on with the next line. */
  assert_record (reader, 3, (const char *const[]) { "f", "g", NULL });
  assert_end (reader);

  /* A quote inside a field that does not start with one is text. */
  assert_record (inner, 1, (const char *const[]) { "5\" disk", "x", NULL });
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(MwCsvReader) reader = reader_for ("a,b\nc,d\ncaf\xe9,x\nf,g\n\"multi\nline \xff\",h\ni,j\n", 0);
  static const char utf16_text[] = "\xff\xfe" "a\0,\0b\0\n\0";
  g_autoptr(GBytes) utf16_bytes = g_bytes_new_static (utf16_text, sizeof utf16_text - 1);
  g_autoptr(MwCsvReader) utf16 = mw_csv_reader_new (utf16_bytes, 0);
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  guint line = 0;

  assert_record (reader, 1, (const char *const[]) { "a", "b", NULL });
  assert_record (reader, 2, (const char *const[]) { "c", "d", NULL });
  assert_error (reader, MW_CSV_ERROR_ENCODING,
                "Line 3 is not UTF-8 text. Save the file as UTF-8 and import it again.");
  assert_record (reader, 4, (const char *const[]) { "f", "g", NULL });
  /* The line of the bad byte, not of the start of the record. */
  g_assert_false (mw_csv_reader_next (reader, &fields, &line, &error));
  g_assert_error (error, MW_CSV_ERROR, MW_CSV_ERROR_ENCODING);
  g_assert_cmpuint (line, ==, 5);
  g_assert_nonnull (strstr (error->message, "Line 6 "));
  assert_record (reader, 7, (const char *const[]) { "i", "j", NULL });
  assert_end (reader);

  assert_error (utf16, MW_CSV_ERROR_ENCODING, NULL);
}

static void
test_too_large (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MwCsvReader) reader = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;

  /* Line 1: a field at the limit; line 2: one byte over, quoted; line 3:
   * the most fields; line 4: one more; line 5: still read. */
  for (guint i = 0; i < MW_CSV_MAX_FIELD_BYTES; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\n\"");
  for (guint i = 0; i <= MW_CSV_MAX_FIELD_BYTES; i++)
    g_string_append_c (text, 'y');
  g_string_append (text, "\",z\n");
  for (guint i = 1; i < MW_CSV_MAX_FIELDS; i++)
    g_string_append_c (text, ',');
  g_string_append_c (text, '\n');
  for (guint i = 0; i < MW_CSV_MAX_FIELDS; i++)
    g_string_append_c (text, ',');
  g_string_append (text, "\nlast\n");

  bytes = g_bytes_new (text->str, text->len);
  reader = mw_csv_reader_new (bytes, ',');

  g_assert_true (mw_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_cmpuint (strlen (fields[0]), ==, MW_CSV_MAX_FIELD_BYTES);
  g_clear_pointer (&fields, g_strfreev);

  assert_error (reader, MW_CSV_ERROR_TOO_LARGE, "Line 2: a field is longer than 64 KiB.");

  g_assert_true (mw_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_cmpuint (g_strv_length (fields), ==, MW_CSV_MAX_FIELDS);
  g_clear_pointer (&fields, g_strfreev);

  assert_error (reader, MW_CSV_ERROR_TOO_LARGE, "Line 4 has more than 1000 fields.");
  assert_record (reader, 5, (const char *const[]) { "last", NULL });
  assert_end (reader);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/round-trip", test_round_trip);
  g_test_add_func ("/csv/write-quoting", test_write_quoting);
  g_test_add_func ("/csv/formulas", test_formulas);
  g_test_add_func ("/csv/bom", test_bom);
  g_test_add_func ("/csv/detect-separator", test_detect_separator);
  g_test_add_func ("/csv/line-ends", test_line_ends);
  g_test_add_func ("/csv/last-line-without-newline", test_last_line_without_newline);
  g_test_add_func ("/csv/blank-lines", test_blank_lines);
  g_test_add_func ("/csv/unclosed-quote", test_unclosed_quote);
  g_test_add_func ("/csv/text-after-quote", test_text_after_quote);
  g_test_add_func ("/csv/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/csv/too-large", test_too_large);

  return g_test_run ();
}
