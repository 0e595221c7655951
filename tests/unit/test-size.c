/* test-size.c: quotas read exactly, the same way by the CLI, the import and the GUI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "mw-dbmail-import.h"
#include "mw-size.h"

typedef struct
{
  const char *text;
  gint64      bytes;   /* -1: refused */
  int         code;    /* MwSizeError when refused */
} Case;

#define REFUSED(code_) -1, MW_SIZE_ERROR_##code_

static const Case cases[] = {
  { "0", 0, 0 },
  { "unlimited", 0, 0 },
  { " None ", 0, 0 },
  { "1", 1, 0 },
  { "0007", 7, 0 },
  { "100B", 100, 0 },
  { "500M", G_GINT64_CONSTANT (500) << 20, 0 },
  { "500 mb", G_GINT64_CONSTANT (500) << 20, 0 },
  { "2GiB", G_GINT64_CONSTANT (2) << 30, 0 },
  { "1t", G_GINT64_CONSTANT (1) << 40, 0 },
  { "1.5G", 1610612736, 0 },
  { "1.50G", 1610612736, 0 },
  { "0.5K", 512, 0 },
  { "0.0009765625K", 1, 0 },
  { "2.0", 2, 0 },
  { "9007199254740993", G_GINT64_CONSTANT (9007199254740993), 0 },
  { "9223372036854775807", G_MAXINT64, 0 },
  { "8388607.999999999068677425384521484375T", REFUSED (INEXACT) },   /* 19 significant decimals */
  { "0.0000001", REFUSED (INEXACT) },
  { "1.1K", REFUSED (INEXACT) },
  { "1.5", REFUSED (INEXACT) },
  { "0x10", REFUSED (INVALID) },
  { "1e3", REFUSED (INVALID) },
  { "nan", REFUSED (INVALID) },
  { "inf", REFUSED (INVALID) },
  { "-1", REFUSED (INVALID) },
  { "+1", REFUSED (INVALID) },
  { "", REFUSED (INVALID) },
  { "1,5G", REFUSED (INVALID) },
  { ".5G", REFUSED (INVALID) },
  { "5.G", REFUSED (INVALID) },
  { "5P", REFUSED (INVALID) },
  { "5 M B", REFUSED (INVALID) },
  { "5bb", REFUSED (INVALID) },
  { "lots", REFUSED (INVALID) },
  { "9223372036854775808", REFUSED (TOO_LARGE) },
  { "99999999999999999999999", REFUSED (TOO_LARGE) },
  { "8388608T", REFUSED (TOO_LARGE) },
  { "8589934592G", REFUSED (TOO_LARGE) },
  { "8589934591.9999999991G", REFUSED (INEXACT) },
};

static void
test_size_bytes (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 bytes = -42;
      gboolean ok = mw_size_parse_quota (cases[i].text, MW_SIZE_UNIT_BYTES, &bytes, &error);

      g_test_message ("“%s”", cases[i].text);
      if (cases[i].bytes >= 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (bytes, ==, cases[i].bytes);
        }
      else
        {
          g_assert_error (error, MW_SIZE_ERROR, cases[i].code);
          g_assert_false (ok);
          g_assert_cmpint (bytes, ==, -42);
          g_assert_nonnull (strstr (error->message, cases[i].text));
        }
    }
}

/* The import reads a quota cell exactly as the CLI reads --quota; an empty
 * cell is no quota. */
static void
test_size_import_agrees (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 bytes = -42;
      gboolean ok;

      if (cases[i].text[0] == '\0')
        continue;
      ok = mw_import_parse_quota (cases[i].text, &bytes, &error);
      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].bytes >= 0);
      g_assert_cmpint (bytes, ==, ok ? cases[i].bytes : -42);
      g_assert_true (ok == (error == NULL));
    }
}

/* The GUI's fields count whole MiB: a bare number is MiB, anything that is
 * not a whole number of MiB is refused. */
static void
test_size_mib (void)
{
  static const Case mib[] = {
    { "0", 0, 0 },
    { "500", G_GINT64_CONSTANT (500) << 20, 0 },
    { "1.5", REFUSED (INEXACT) },
    { "1.5G", 1610612736, 0 },
    { "2048K", G_GINT64_CONSTANT (2) << 20, 0 },
    { "1000K", REFUSED (INEXACT) },
    { "100B", REFUSED (INEXACT) },
    { "8796093022207", G_MAXINT64 - ((G_GINT64_CONSTANT (1) << 20) - 1), 0 },
    { "8796093022208", REFUSED (TOO_LARGE) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (mib); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 bytes = -42;
      gboolean ok = mw_size_parse_quota (mib[i].text, MW_SIZE_UNIT_MIB, &bytes, &error);

      g_test_message ("“%s”", mib[i].text);
      if (mib[i].bytes >= 0 && mib[i].code == 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (bytes, ==, mib[i].bytes);
        }
      else
        {
          g_assert_error (error, MW_SIZE_ERROR, mib[i].code);
          g_assert_false (ok);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/size/bytes", test_size_bytes);
  g_test_add_func ("/size/import-agrees", test_size_import_agrees);
  g_test_add_func ("/size/mib", test_size_mib);

  return g_test_run ();
}
