/* test-address.c: the alias and forward target checker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "mw-address.h"

/* Not a kind: shows that a refusal left the kind alone. */
#define NO_KIND ((MwAddressKind) 99)

/* Every refusal: the domain and code asked for, and a message that is
 * valid UTF-8 without control characters, whatever the input was. */
static void
assert_error (const GError   *error,
              MwAddressError  code)
{
  g_assert_error (error, MW_ADDRESS_ERROR, (int) code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, !=, "");
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
assert_alias (const char     *text,
              MwAddressFlags  flags,
              const char     *expected,
              MwAddressKind   expected_kind)
{
  g_autoptr(GError) error = NULL;
  MwAddressKind kind = NO_KIND;
  g_autofree char *stored = mw_address_normalize_alias (text, flags, &kind, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, expected);
  g_assert_cmpint (kind, ==, expected_kind);
}

static void
assert_alias_refused (const char     *text,
                      MwAddressFlags  flags,
                      MwAddressError  code)
{
  g_autoptr(GError) error = NULL;
  MwAddressKind kind = NO_KIND;
  g_autofree char *stored = mw_address_normalize_alias (text, flags, &kind, &error);

  if (stored != NULL)
    g_test_message ("“%s” was accepted as “%s”", text, stored);
  g_assert_null (stored);
  assert_error (error, code);
  g_assert_cmpint (kind, ==, NO_KIND);
}

static void
test_plain (void)
{
  assert_alias ("alice@example.com", 0, "alice@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("  alice.smith+news@mail.example.org\t\n", 0, "alice.smith+news@mail.example.org",
                MW_ADDRESS_PLAIN);
  assert_alias ("o'brien@example.com", 0, "o'brien@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("!#$%&'*+-/=?^_`{|}~@example.com", 0, "!#$%&'*+-/=?^_`{|}~@example.com",
                MW_ADDRESS_PLAIN);
  /* Single-label domains and LDH labels libidn2 alone would refuse. */
  assert_alias ("root@localhost", 0, "root@localhost", MW_ADDRESS_PLAIN);
  assert_alias ("x@r3--sn-abc.example.net", 0, "x@r3--sn-abc.example.net", MW_ADDRESS_PLAIN);
  /* Address literals. */
  assert_alias ("postmaster@[192.0.2.1]", 0, "postmaster@[192.0.2.1]", MW_ADDRESS_PLAIN);
  assert_alias ("postmaster@[ipv6:2001:DB8::1]", 0, "postmaster@[IPv6:2001:db8::1]", MW_ADDRESS_PLAIN);
  /* The kind is optional. */
  g_free (mw_address_normalize_alias ("bob@example.com", 0, NULL, NULL));
}

static void
test_case (void)
{
  assert_alias ("Alice.Smith@EXAMPLE.Com", 0, "Alice.Smith@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("Bob@Mail.Example.ORG", 0, "Bob@mail.example.org", MW_ADDRESS_PLAIN);
  assert_alias ("x@XN--BCHER-KVA.example", 0, "x@xn--bcher-kva.example", MW_ADDRESS_PLAIN);
}

static void
test_idn (void)
{
  g_autofree char *shown = NULL;
  g_autofree char *demo = NULL;

  /* The form the demo data stores, as DBMail gets it from the MTA. */
  assert_alias ("jürgen@Bücher.example", 0, "jürgen@xn--bcher-kva.example", MW_ADDRESS_PLAIN);
  assert_alias ("Jürgen@xn--bcher-kva.example", 0, "Jürgen@xn--bcher-kva.example", MW_ADDRESS_PLAIN);
  shown = mw_address_to_display ("jürgen@xn--bcher-kva.example");
  g_assert_cmpstr (shown, ==, "jürgen@bücher.example");
  demo = mw_address_to_display ("info@xn--bcher-kva.example");
  g_assert_cmpstr (demo, ==, "info@bücher.example");

  /* Non-transitional: ß stays ß; the transitional fallback only for symbols. */
  assert_alias ("a@straße.de", 0, "a@xn--strae-oqa.de", MW_ADDRESS_PLAIN);
  assert_alias ("a@☃.net", 0, "a@xn--n3h.net", MW_ADDRESS_PLAIN);
  /* Fullwidth letters and the ideographic full stop map to ASCII. */
  assert_alias ("a@ｅｘａｍｐｌｅ。com", 0, "a@example.com", MW_ADDRESS_PLAIN);
  /* A decomposed local part is stored composed. */
  assert_alias ("ju\xcc\x88rgen@example.com", 0, "jürgen@example.com", MW_ADDRESS_PLAIN);
  /* The IANA test name. */
  assert_alias ("用户@例子.测试", 0, "用户@xn--fsqu00a.xn--0zwm56d", MW_ADDRESS_PLAIN);

  assert_alias_refused ("a@xn--zzzz.example", 0, MW_ADDRESS_ERROR_DOMAIN);
  assert_alias_refused ("a@aא.example", 0, MW_ADDRESS_ERROR_DOMAIN);
  assert_alias_refused ("a@\xcc\x81x.example", 0, MW_ADDRESS_ERROR_DOMAIN);
  assert_alias_refused ("a@⑴.example", 0, MW_ADDRESS_ERROR_DOMAIN);
}

static void
test_display (void)
{
  struct { const char *stored; const char *shown; } cases[] = {
    { "alice@example.com", "alice@example.com" },
    { "a@xn--strae-oqa.de", "a@straße.de" },
    { "@xn--bcher-kva.example", "@bücher.example" },
    { "@.xn--bcher-kva.example", "@.bücher.example" },
    { "postmaster@", "postmaster@" },
    { "|/usr/bin/procmail", "|/usr/bin/procmail" },
    { "|/usr/bin/forward x@xn--bcher-kva.example", "|/usr/bin/forward x@xn--bcher-kva.example" },
    { "12345", "12345" },
    { "a@xn--zzzz.example", "a@xn--zzzz.example" },
    /* Case does not matter in an A-label. */
    { "a@XN--BCHER-KVA.example", "a@bücher.example" },
    { "a@[192.0.2.1]", "a@[192.0.2.1]" },
  };
  g_autofree char *invalid = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = mw_address_to_display (cases[i].stored);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }

  /* Round trip: what is shown is accepted and stored as before. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *shown = mw_address_to_display (cases[i].stored);
      g_autofree char *back = mw_address_normalize_alias (shown, MW_ADDRESS_ALLOW_CATCH_ALL, NULL, NULL);

      g_assert_cmpstr (back, ==, cases[i].stored);
    }

  invalid = mw_address_to_display ("a\xff@example.com");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
}

static void
test_catch_all (void)
{
  struct { const char *text; const char *stored; MwAddressKind kind; } cases[] = {
    { "@example.com", "@example.com", MW_ADDRESS_CATCH_ALL_DOMAIN },
    { "@Bücher.example", "@xn--bcher-kva.example", MW_ADDRESS_CATCH_ALL_DOMAIN },
    { "@.sub.example.org", "@.sub.example.org", MW_ADDRESS_CATCH_ALL_SUBDOMAINS },
    { " @.SUB.Example.org ", "@.sub.example.org", MW_ADDRESS_CATCH_ALL_SUBDOMAINS },
    { "postmaster@", "postmaster@", MW_ADDRESS_CATCH_ALL_LOCAL },
    { "Abuse@", "Abuse@", MW_ADDRESS_CATCH_ALL_LOCAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *refused = mw_address_normalize_alias (cases[i].text, 0, NULL, &error);

      g_assert_null (refused);
      assert_error (error, MW_ADDRESS_ERROR_CATCH_ALL);
      g_assert_nonnull (strstr (error->message, "catch-all"));
      assert_alias (cases[i].text, MW_ADDRESS_ALLOW_CATCH_ALL, cases[i].stored, cases[i].kind);
      /* Bypass is no consent to a catch-all. */
      assert_alias_refused (cases[i].text, MW_ADDRESS_BYPASS, MW_ADDRESS_ERROR_CATCH_ALL);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *refused = mw_address_normalize_alias ("@example.com", 0, NULL, &error);

    g_assert_cmpstr (error->message, ==,
                     "“@example.com” is a catch-all: it receives mail for every address at "
                     "example.com. Create it as a catch-all on purpose (the Catch-all switch, or --catch-all).");
  }

  /* A plain address is accepted with the flag too, as plain. */
  assert_alias ("a@example.com", MW_ADDRESS_ALLOW_CATCH_ALL, "a@example.com", MW_ADDRESS_PLAIN);
  assert_alias_refused ("@", MW_ADDRESS_ALLOW_CATCH_ALL, MW_ADDRESS_ERROR_DOMAIN);
  assert_alias_refused ("@.", MW_ADDRESS_ALLOW_CATCH_ALL, MW_ADDRESS_ERROR_DOMAIN);
  assert_alias_refused ("@..example.org", MW_ADDRESS_ALLOW_CATCH_ALL, MW_ADDRESS_ERROR_DOMAIN);
  assert_alias_refused ("@.[192.0.2.1]", MW_ADDRESS_ALLOW_CATCH_ALL, MW_ADDRESS_ERROR_DOMAIN);
  assert_alias_refused ("bad..local@", MW_ADDRESS_ALLOW_CATCH_ALL, MW_ADDRESS_ERROR_LOCAL_PART);
}

static void
test_bypass (void)
{
  g_autofree char *local88 = g_strnfill (88, 'a');
  g_autofree char *at_limit = g_strdup_printf ("%s@example.com", local88);
  g_autofree char *over_limit = g_strdup_printf ("%sa@example.com", local88);

  assert_alias_refused ("weird..name@example.com", 0, MW_ADDRESS_ERROR_LOCAL_PART);
  assert_alias ("weird..name@example.com", MW_ADDRESS_BYPASS, "weird..name@example.com", MW_ADDRESS_PLAIN);
  /* As typed: nothing lowercased, nothing converted; only trimmed. */
  assert_alias (" .Odd.@Bücher.Example ", MW_ADDRESS_BYPASS, ".Odd.@Bücher.Example", MW_ADDRESS_PLAIN);
  assert_alias ("no-at-sign", MW_ADDRESS_BYPASS, "no-at-sign", MW_ADDRESS_PLAIN);
  assert_alias ("@.Sub.Example", MW_ADDRESS_BYPASS | MW_ADDRESS_ALLOW_CATCH_ALL, "@.Sub.Example",
                MW_ADDRESS_CATCH_ALL_SUBDOMAINS);
  assert_alias ("odd..local@", MW_ADDRESS_BYPASS | MW_ADDRESS_ALLOW_CATCH_ALL, "odd..local@",
                MW_ADDRESS_CATCH_ALL_LOCAL);
  g_assert_cmpuint (strlen (at_limit), ==, 100);
  assert_alias (at_limit, MW_ADDRESS_BYPASS, at_limit, MW_ADDRESS_PLAIN);

  assert_alias_refused ("weird..name@exa\xc3(mple.com", MW_ADDRESS_BYPASS, MW_ADDRESS_ERROR_ENCODING);
  assert_alias_refused ("weird..name\n@example.com", MW_ADDRESS_BYPASS, MW_ADDRESS_ERROR_ENCODING);
  assert_alias_refused ("weird\x01name@example.com", MW_ADDRESS_BYPASS, MW_ADDRESS_ERROR_ENCODING);
  assert_alias_refused ("weird\x7fname@example.com", MW_ADDRESS_BYPASS, MW_ADDRESS_ERROR_ENCODING);
  /* A right-to-left override would show another address than the one stored. */
  assert_alias_refused ("weird\xe2\x80\xaename@example.com", MW_ADDRESS_BYPASS, MW_ADDRESS_ERROR_ENCODING);
  assert_alias_refused ("   ", MW_ADDRESS_BYPASS, MW_ADDRESS_ERROR_EMPTY);
  assert_alias_refused ("@", MW_ADDRESS_BYPASS | MW_ADDRESS_ALLOW_CATCH_ALL, MW_ADDRESS_ERROR_DOMAIN);
  assert_alias_refused (over_limit, MW_ADDRESS_BYPASS, MW_ADDRESS_ERROR_TOO_LONG);
}

static void
test_quoted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  /* Stored as typed: the checker is no place to escape SQL, the queries bind parameters. */
  assert_alias ("\"o'hara; drop\"@example.com", 0, "\"o'hara; drop\"@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("\"Robert'); DROP TABLE dbmail_aliases;--\"@example.com", 0,
                "\"Robert'); DROP TABLE dbmail_aliases;--\"@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("\"john doe\"@example.com", 0, "\"john doe\"@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("\"a@b\"@example.com", 0, "\"a@b\"@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("\"weird..name\"@example.com", 0, "\"weird..name\"@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("\"say \\\"hi\\\"\"@example.com", 0, "\"say \\\"hi\\\"\"@example.com", MW_ADDRESS_PLAIN);
  /* Quotes that are not needed go, as Postfix drops them. */
  assert_alias ("\"Alice\"@example.com", 0, "Alice@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("\"j\\oe\"@example.com", 0, "joe@example.com", MW_ADDRESS_PLAIN);
  assert_alias ("\"jo\\ e\"@example.com", 0, "\"jo e\"@example.com", MW_ADDRESS_PLAIN);

  assert_alias_refused ("\"unclosed@example.com", 0, MW_ADDRESS_ERROR_LOCAL_PART);
  assert_alias_refused ("\"a\"b@example.com", 0, MW_ADDRESS_ERROR_LOCAL_PART);
  assert_alias_refused ("\"\"@example.com", 0, MW_ADDRESS_ERROR_LOCAL_PART);
  assert_alias_refused ("\"a\\\"@example.com", 0, MW_ADDRESS_ERROR_LOCAL_PART);
  assert_alias_refused ("\"a\\ü\"@example.com", 0, MW_ADDRESS_ERROR_LOCAL_PART);

  stored = mw_address_normalize_alias ("john doe@example.com", 0, NULL, &error);
  assert_error (error, MW_ADDRESS_ERROR_LOCAL_PART);
  g_assert_nonnull (strstr (error->message, "double quotes"));
}

static void
test_refused (void)
{
  struct { const char *text; MwAddressError code; } cases[] = {
    { "", MW_ADDRESS_ERROR_EMPTY },
    { " \t ", MW_ADDRESS_ERROR_EMPTY },
    { "alice", MW_ADDRESS_ERROR_DOMAIN },
    { "@", MW_ADDRESS_ERROR_DOMAIN },
    { "a@b@example.com", MW_ADDRESS_ERROR_LOCAL_PART },
    { ".alice@example.com", MW_ADDRESS_ERROR_LOCAL_PART },
    { "alice.@example.com", MW_ADDRESS_ERROR_LOCAL_PART },
    { "al..ice@example.com", MW_ADDRESS_ERROR_LOCAL_PART },
    { "a,b@example.com", MW_ADDRESS_ERROR_LOCAL_PART },
    { "a(b)@example.com", MW_ADDRESS_ERROR_LOCAL_PART },
    { "a\xc2\xa0" "b@example.com", MW_ADDRESS_ERROR_LOCAL_PART },
    { "alice@exa mple.com", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@exa_mple.com", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@example..com", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@.example.com", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@example.com.", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@-example.com", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@example-.com", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@192.0.2.1", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@example.123", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@[300.0.2.1]", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@[192.0.2.01]", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@[IPv6:fe80::1%eth0]", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@[IPv6:1.2.3.4]", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@[example.com]", MW_ADDRESS_ERROR_DOMAIN },
    { "alice@[192.0.2.1", MW_ADDRESS_ERROR_DOMAIN },
    { "ali\tce@example.com", MW_ADDRESS_ERROR_ENCODING },
    { "alice@exam\xe2\x80\x8bple.com", MW_ADDRESS_ERROR_ENCODING },
    { "\xef\xbb\xbf" "alice@example.com", MW_ADDRESS_ERROR_ENCODING },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_alias_refused (cases[i].text, 0, cases[i].code);

  stored = mw_address_normalize_alias ("alice@exa mple.com", 0, NULL, &error);
  g_assert_cmpstr (error->message, ==, "The domain “exa mple.com” contains a space.");
}

static void
test_lengths (void)
{
  g_autofree char *l64 = g_strnfill (64, 'l');
  g_autofree char *l65 = g_strnfill (65, 'l');
  g_autofree char *d63 = g_strnfill (63, 'd');
  g_autofree char *d64 = g_strnfill (64, 'd');
  g_autofree char *b23 = g_strnfill (23, 'b');
  g_autofree char *b24 = g_strnfill (24, 'b');
  g_autofree char *b37 = g_strnfill (37, 'b');
  g_autofree char *u45 = g_strnfill (45, 'u');
  g_autofree char *huge = g_strnfill (100000, 'h');
  g_autofree char *ok_local = g_strdup_printf ("%s@example.com", l64);
  g_autofree char *long_local = g_strdup_printf ("%s@example.com", l65);
  g_autofree char *ok_label = g_strdup_printf ("a@%s.example", d63);
  g_autofree char *long_label = g_strdup_printf ("a@%s.example", d64);
  g_autofree char *long_idn_label = g_strdup_printf ("a@%sü.example", d63);
  g_autofree char *whole100 = g_strdup_printf ("%s@%s.example.com", l64, b23);
  g_autofree char *whole101 = g_strdup_printf ("%s@%s.example.com", l64, b24);
  g_autofree char *idn_long = g_strdup_printf ("%s@%sü.example.com", u45, b37);
  g_autoptr(GString) b = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  assert_alias (ok_local, 0, ok_local, MW_ADDRESS_PLAIN);
  assert_alias_refused (long_local, 0, MW_ADDRESS_ERROR_TOO_LONG);
  /* 64 octets, not characters: 32 ü are 64 bytes. */
  for (guint i = 0; i < 32; i++)
    g_string_append (b, "ü");
  g_string_append (b, "@example.com");
  assert_alias (b->str, 0, b->str, MW_ADDRESS_PLAIN);
  g_string_prepend (b, "x");
  assert_alias_refused (b->str, 0, MW_ADDRESS_ERROR_TOO_LONG);

  assert_alias (ok_label, 0, ok_label, MW_ADDRESS_PLAIN);
  assert_alias_refused (long_label, 0, MW_ADDRESS_ERROR_TOO_LONG);
  assert_alias_refused (long_idn_label, 0, MW_ADDRESS_ERROR_TOO_LONG);

  /* The whole: 100 characters at most. */
  g_assert_cmpuint (strlen (whole100), ==, 100);
  assert_alias (whole100, 0, whole100, MW_ADDRESS_PLAIN);
  g_assert_cmpuint (strlen (whole101), ==, 101);
  assert_alias_refused (whole101, 0, MW_ADDRESS_ERROR_TOO_LONG);

  /* Counted after conversion: fewer than 100 as typed, more as an A-label. */
  g_assert_cmpuint (g_utf8_strlen (idn_long, -1), <=, 100);
  stored = mw_address_normalize_alias (idn_long, 0, NULL, &error);
  g_assert_null (stored);
  assert_error (error, MW_ADDRESS_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "xn--"));
  g_clear_error (&error);

  /* Very long input is refused before any conversion, and the message stays short. */
  stored = mw_address_normalize_alias (huge, 0, NULL, &error);
  g_assert_null (stored);
  assert_error (error, MW_ADDRESS_ERROR_TOO_LONG);
  g_assert_cmpuint (strlen (error->message), <, 500);
}

static void
test_encoding (void)
{
  const char *bad[] = {
    "alice@exa\xffmple.com",
    "\xc3\x28@example.com",
    "alice\xe2\x82@example.com",
    "\xed\xa0\x80@example.com",   /* a UTF-16 surrogate */
    "\xc0\xaf@example.com",       /* overlong "/" */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *target = mw_address_normalize_target (bad[i], NULL, &error);

      assert_alias_refused (bad[i], 0, MW_ADDRESS_ERROR_ENCODING);
      assert_alias_refused (bad[i], MW_ADDRESS_ALLOW_CATCH_ALL | MW_ADDRESS_BYPASS,
                            MW_ADDRESS_ERROR_ENCODING);
      g_assert_null (target);
      assert_error (error, MW_ADDRESS_ERROR_ENCODING);
    }

  g_assert_null (mw_address_get_domain ("\xff"));
  g_assert_false (mw_address_equal ("a\xff", "a"));
  g_assert_true (mw_address_equal ("A\xff", "a\xff"));
}

static void
assert_target (const char *text,
               const char *expected,
               gboolean    expected_pipe)
{
  g_autoptr(GError) error = NULL;
  gboolean is_pipe = !expected_pipe;
  g_autofree char *stored = mw_address_normalize_target (text, &is_pipe, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, expected);
  g_assert_cmpint (is_pipe, ==, expected_pipe);
}

static void
assert_target_refused (const char     *text,
                       MwAddressError  code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = mw_address_normalize_target (text, NULL, &error);

  if (stored != NULL)
    g_test_message ("“%s” was accepted as “%s”", text, stored);
  g_assert_null (stored);
  assert_error (error, code);
}

static void
test_targets (void)
{
  g_autofree char *c249 = g_strnfill (249, 'c');
  g_autofree char *a64 = g_strnfill (64, 'a');
  g_autofree char *b24 = g_strnfill (24, 'b');
  g_autofree char *cmd250 = g_strdup_printf ("|%s", c249);
  g_autofree char *cmd251 = g_strdup_printf ("|%sc", c249);
  g_autofree char *addr101 = g_strdup_printf ("%s@%s.example.com", a64, b24);

  assert_target ("friend@example.net", "friend@example.net", FALSE);
  assert_target ("  Friend@Bücher.Example ", "Friend@xn--bcher-kva.example", FALSE);
  assert_target ("\"o'hara; drop\"@example.com", "\"o'hara; drop\"@example.com", FALSE);
  assert_target ("12345@example.com", "12345@example.com", FALSE);
  assert_target ("|/usr/bin/procmail", "|/usr/bin/procmail", TRUE);
  assert_target ("!/usr/sbin/x", "!/usr/sbin/x", TRUE);
  assert_target ("| /usr/bin/procmail -m 'a b' \n", "| /usr/bin/procmail -m 'a b'", TRUE);
  assert_target (cmd250, cmd250, TRUE);
  /* Targets may be longer than aliases. */
  assert_target (addr101, addr101, FALSE);
  g_free (mw_address_normalize_target ("x@example.com", NULL, NULL));

  assert_target_refused ("12345", MW_ADDRESS_ERROR_NOT_A_TARGET);
  assert_target_refused (" 42 ", MW_ADDRESS_ERROR_NOT_A_TARGET);
  assert_target_refused ("|", MW_ADDRESS_ERROR_NOT_A_TARGET);
  assert_target_refused ("|   ", MW_ADDRESS_ERROR_NOT_A_TARGET);
  assert_target_refused ("!", MW_ADDRESS_ERROR_NOT_A_TARGET);
  assert_target_refused ("|/usr/bin/procmail\nrm -rf /", MW_ADDRESS_ERROR_ENCODING);
  assert_target_refused ("friend@example.net\r\nBcc: x@example.org", MW_ADDRESS_ERROR_ENCODING);
  assert_target_refused ("|/bin/x\x1b[2J", MW_ADDRESS_ERROR_ENCODING);
  assert_target_refused (cmd251, MW_ADDRESS_ERROR_TOO_LONG);
  assert_target_refused ("alice", MW_ADDRESS_ERROR_NOT_A_TARGET);
  assert_target_refused ("@example.com", MW_ADDRESS_ERROR_NOT_A_TARGET);
  assert_target_refused ("@.example.com", MW_ADDRESS_ERROR_NOT_A_TARGET);
  assert_target_refused ("alice@", MW_ADDRESS_ERROR_NOT_A_TARGET);
  assert_target_refused ("weird..name@example.com", MW_ADDRESS_ERROR_LOCAL_PART);
  assert_target_refused ("friend@exa mple.com", MW_ADDRESS_ERROR_DOMAIN);
  assert_target_refused ("", MW_ADDRESS_ERROR_EMPTY);
}

static void
test_domain (void)
{
  struct { const char *stored; const char *domain; } cases[] = {
    { "alice@example.com", "example.com" },
    { "Alice@Example.COM", "example.com" },
    { "@example.com", "example.com" },
    { "@.sub.example.org", "sub.example.org" },
    { "\"a@b\"@example.com", "example.com" },
    { "a@xn--bcher-kva.example", "xn--bcher-kva.example" },
    { "a@[192.0.2.1]", "[192.0.2.1]" },
    { "a@Bücher.Example", "bücher.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *domain = mw_address_get_domain (cases[i].stored);

      g_assert_cmpstr (domain, ==, cases[i].domain);
    }

  g_assert_null (mw_address_get_domain ("postmaster@"));
  g_assert_null (mw_address_get_domain ("nodomain"));
  g_assert_null (mw_address_get_domain ("@"));
}

static void
test_equal (void)
{
  g_assert_true (mw_address_equal ("Jürgen@X", "jürgen@x"));
  g_assert_true (mw_address_equal ("JÜRGEN@X", "jürgen@x"));
  g_assert_true (mw_address_equal ("alice@example.com", "ALICE@EXAMPLE.COM"));
  g_assert_true (mw_address_equal ("", ""));
  g_assert_true (mw_address_equal ("ΣΊΣΥΦΟΣ@x", "σίσυφοσ@x"));
  /* lower(), not case folding: no ß = ss, and final sigma is its own letter. */
  g_assert_false (mw_address_equal ("straße@x", "STRASSE@x"));
  g_assert_false (mw_address_equal ("σίσυφος@x", "σίσυφοσ@x"));
  g_assert_false (mw_address_equal ("alice@example.com", "alice@example.co"));
  g_assert_false (mw_address_equal ("alice@example.com", "alice@example.com "));
  g_assert_false (mw_address_equal ("a@xn--bcher-kva.example", "a@bücher.example"));
  /* The simple mapping of İ is i, as towlower() has it. */
  g_assert_true (mw_address_equal ("İ@x", "i@x"));
}

/* DBMail's header cache keeps a From without a display name as
 * " <a@b.example>"; lists show the address alone. */
static void
test_list_for_display (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { " <a@b.example>", "a@b.example" },
    { "<a@b.example>", "a@b.example" },
    { "Ann Example <ann@b.example>", "Ann Example <ann@b.example>" },
    { " <a@b.example>, Bob <bob@c.example>,  <c@d.example>", "a@b.example, Bob <bob@c.example>, c@d.example" },
    { "\"Doe, Jane\" <jane@x.example>", "\"Doe, Jane\" <jane@x.example>" },
    { "team: <a@b.example>, c@d.example;", "team: <a@b.example>, c@d.example;" },
    { "plain@x.example", "plain@x.example" },
    { "<>", "<>" },
    { "", "" },
    { "  ", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = mw_address_list_for_display (cases[i].in);

      g_assert_cmpstr (shown, ==, cases[i].out);
    }
  {
    g_autofree char *shown = mw_address_list_for_display (NULL);

    g_assert_cmpstr (shown, ==, "");
  }
}

/* Domains that could pass for others get a warning (not a refusal), as
 * browsers show: scripts mixed in a label, or a whole label of Cyrillic
 * letters that look like Latin ones. Typed and stored forms alike. */
static void
test_warning (void)
{
  struct { const char *address; const char *part; } warned[] = {
    { "user@\u0430pple.com", "mixes Latin and Cyrillic letters in “\u0430pple”" },
    { "user@xn--pple-43d.com", "“\u0430pple.com” mixes Latin and Cyrillic" },
    { "@\u0430pple.com", "mixes Latin and Cyrillic" },
    { "@.\u0430pple.com", "mixes Latin and Cyrillic" },
    { "user@\u03b1pple.com", "mixes Latin and Greek" },
    { "user@mail.\u0440\u0430y\u0440\u0430l.com", "mixes Latin and Cyrillic" },
    { "user@\u0430\u0440\u0435.com", "Cyrillic letters that look like Latin ones (“\u0430\u0440\u0435”)" },
  };
  const char *fine[] = {
    "user@example.com", "user@stra\u00dfe.de", "user@xn--strae-oqa.de", "user@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",
    "user@\u0430\u0440\u0435.\u0440\u0444", "user@\u65e5\u672c\u8a9e.jp", "user@\u30d5\u30a1\u30df\u30ea\u30fcmart.jp",
    "user@\u03b5\u03bb\u03bb\u03ac\u03b4\u03b1.gr", "|/usr/bin/procmail", "user@[192.0.2.1]", "local@", "plain",
  };

  for (guint i = 0; i < G_N_ELEMENTS (warned); i++)
    {
      g_autofree char *warning = mw_address_get_warning (warned[i].address);

      if (warning == NULL || strstr (warning, warned[i].part) == NULL)
        g_error ("%s: got “%s”, not “%s”", warned[i].address, warning, warned[i].part);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      g_autofree char *warning = mw_address_get_warning (fine[i]);

      if (warning != NULL)
        g_error ("%s: unexpected warning “%s”", fine[i], warning);
    }
  /* The alias is still accepted: a warning, not a refusal. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *stored = mw_address_normalize_alias ("user@\u0430pple.com", MW_ADDRESS_FLAGS_NONE, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (stored, ==, "user@xn--pple-43d.com");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/plain", test_plain);
  g_test_add_func ("/address/case", test_case);
  g_test_add_func ("/address/idn", test_idn);
  g_test_add_func ("/address/display", test_display);
  g_test_add_func ("/address/catch-all", test_catch_all);
  g_test_add_func ("/address/bypass", test_bypass);
  g_test_add_func ("/address/quoted", test_quoted);
  g_test_add_func ("/address/refused", test_refused);
  g_test_add_func ("/address/lengths", test_lengths);
  g_test_add_func ("/address/encoding", test_encoding);
  g_test_add_func ("/address/targets", test_targets);
  g_test_add_func ("/address/domain", test_domain);
  g_test_add_func ("/address/equal", test_equal);
  g_test_add_func ("/address/warning", test_warning);
  g_test_add_func ("/address/list-for-display", test_list_for_display);

  return g_test_run ();
}
