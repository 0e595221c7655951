/* test-password.c: DBMail password hashing and checking, against fixed vectors and a real doveadm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "mw-password.h"

/* Vectors for "secret". DES, md5-crypt and the md5base64 form were written by
 * a real dbmail-users 3.5.6 (DBMAIL-FACTS C); the digests come from Python's
 * hashlib, `openssl dgst -provider legacy -whirlpool` and the published Tiger
 * vectors; the other crypt(3) values from Python's crypt module (libxcrypt). */
#define DES_SECRET        "1VazoNhuD2Sog"
#define MD5_CRYPT_SECRET  "$1$1VZ.fDZE$JPh8NGNGgWge3WQk6x3vd1"
#define SHA256_CRYPT_SECRET "$5$OdZKOdZKOdZKOdZK$mrdldnFyVJo9f1V37VuZdOrc8ubRomQbuO3rv3MvLw8"
#define SHA512_CRYPT_SECRET "$6$OdZKOdZKOdZKOdZK$rpEcNlW3irP0Bz6/m/JGvqe58Ng5Ro.J3BHMyypqkJhGpuWl2Or9HqMkxFGWZAwlPpU1RUpg1shqrDdWKRiOX."
#define BCRYPT_SECRET     "$2b$05$UjnYUjnYUjnYUjnYUjnYUesISPVbr7gBqQ68qYTwwUmGXaGLGliH2"
#define YESCRYPT_SECRET   "$y$j9T$OdZKOdZKOdZKOdZKOdZKO/$cAGQJ5Lm5/C9I5U34aBSjAnyeCyHIA95JVSsqBVczp1"
#define SCRYPT_SECRET     "$7$CU..../....OdZKOdZKOdZKOdZKOdZKO/$RFzOqKkAbDxCZwjGVbLYWCttDqhwq47EVAeZlRpE241"
#define MD5_SECRET        "5ebe2294ecd0e0f08eab7690d2a6ee69"
#define SHA1_SECRET       "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"
#define SHA256_SECRET     "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
#define SHA512_SECRET     "bd2b1aaf7ef4f09be9f52ce2d8d599674d81aa9d6a4421696dc4d93dd0619d68" \
                          "2ce56b4d64a9ef097761ced99e0f67265b5f76085e5b0ee7ca4696b2ad6fe2b2"
#define WHIRLPOOL_SECRET  "e061b87a674ae3880e159ab55ed35d6c5e8a6aefac6ab08304a50588018d377b" \
                          "28639bb15fdeedf006d57e45f7b4298e6dfefceaf7c92c826a708fe6d1156eb3"
#define TIGER_SECRET      "fe47ec3ac6d65204bb821b4247db78eb7623b5a464310e5b"
#define TIGER_EMPTY       "3293ac630c13f0245f92bbb1766e16167a4e58492dde73f3"
#define MD5BASE64_PREFIX  "Xr4ilOzQ4PCOq3aQ0qbuaQ"

static const char * const writable_schemes[] = {
  "plaintext", "crypt-des", "md5-crypt", "sha256-crypt", "sha512-crypt", "bcrypt", "yescrypt",
  "md5sum", "sha1", "sha256", "sha512", "whirlpool", "tiger",
};

static const char * const crypt_schemes[] = {
  "crypt-des", "md5-crypt", "sha256-crypt", "sha512-crypt", "bcrypt", "yescrypt",
};

static char *
md5base64_stored (void)
{
  /* dbmail-users' form: the base64 digest, then 'A' up to 129 characters. */
  char *s = g_strnfill (129, 'A');

  memcpy (s, MD5BASE64_PREFIX, strlen (MD5BASE64_PREFIX));
  return s;
}

static void
assert_verifies (const char *type,
                 const char *stored,
                 const char *password,
                 gboolean    expected)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = mw_password_verify (type, stored, password, &error);

  g_assert_no_error (error);
  if (ok != expected)
    g_error ("verify (\"%s\", \"%s\", \"%s\") gave %s", type, stored, password, ok ? "TRUE" : "FALSE");
}

static void
test_schemes (void)
{
  guint n = 0;
  const MwPasswordScheme *all = mw_password_get_schemes (&n);
  const MwPasswordScheme *def = mw_password_lookup_scheme (MW_PASSWORD_DEFAULT_SCHEME);
  struct { const char *spelling; const char *name; } lookups[] = {
    { "plaintext", "plaintext" },   { "PlainText", "plaintext" },
    { "crypt", "crypt-des" },       { "CRYPT-DES", "crypt-des" },
    { "md5", "md5-crypt" },         { "md5-hash", "md5-crypt" },   { "MD5-CRYPT", "md5-crypt" },
    { "md5sum", "md5sum" },         { "md5-digest", "md5sum" },
    { "md5base64", "md5base64" },   { "md5-base64", "md5base64" },
    { "sha1", "sha1" },             { "SHA256", "sha256" },        { "sha512", "sha512" },
    { "whirlpool", "whirlpool" },   { "Tiger", "tiger" },
    { "sha512-crypt", "sha512-crypt" }, { "SHA256-CRYPT", "sha256-crypt" },
    { "bcrypt", "bcrypt" },         { "BLF-CRYPT", "bcrypt" },     { "yescrypt", "yescrypt" },
  };

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (writable_schemes) + 1);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (mw_password_lookup_scheme (all[i].name) == &all[i]);
      g_assert_cmpstr (all[i].label, !=, "");
      g_assert_cmpuint (strlen (all[i].encryption_type), <=, 20);   /* VARCHAR(20) in PostgreSQL */
      g_assert_cmpint (all[i].writable, ==, !g_str_equal (all[i].name, "md5base64"));
    }

  g_assert_nonnull (def);
  g_assert_cmpstr (def->name, ==, "sha512-crypt");
  g_assert_cmpstr (def->encryption_type, ==, "crypt");
  g_assert_true (def->salted);

  for (guint i = 0; i < G_N_ELEMENTS (lookups); i++)
    {
      const MwPasswordScheme *s = mw_password_lookup_scheme (lookups[i].spelling);

      g_assert_nonnull (s);
      g_assert_cmpstr (s->name, ==, lookups[i].name);
    }

  g_assert_cmpstr (mw_password_lookup_scheme ("plaintext")->encryption_type, ==, "");
  g_assert_cmpstr (mw_password_lookup_scheme ("md5")->encryption_type, ==, "md5");
  g_assert_null (mw_password_lookup_scheme (""));
  g_assert_null (mw_password_lookup_scheme (NULL));
  g_assert_null (mw_password_lookup_scheme ("rot13"));
  g_assert_null (mw_password_lookup_scheme ("md5-raw"));
  g_assert_cmpuint (mw_password_lookup_scheme ("crypt-des")->used_bytes, ==, 8);
  g_assert_cmpuint (mw_password_lookup_scheme ("bcrypt")->used_bytes, ==, 72);
  g_assert_cmpuint (mw_password_lookup_scheme ("sha512-crypt")->used_bytes, ==, 0);
}

static void
test_verify_vectors (void)
{
  g_autofree char *md5base64 = md5base64_stored ();

  assert_verifies ("", "secret", "secret", TRUE);
  assert_verifies ("crypt", DES_SECRET, "secret", TRUE);
  assert_verifies ("md5", MD5_CRYPT_SECRET, "secret", TRUE);
  assert_verifies ("crypt", MD5_CRYPT_SECRET, "secret", TRUE);      /* any crypt(3) format under crypt */
  assert_verifies ("crypt", SHA256_CRYPT_SECRET, "secret", TRUE);
  assert_verifies ("crypt", SHA512_CRYPT_SECRET, "secret", TRUE);
  assert_verifies ("crypt", BCRYPT_SECRET, "secret", TRUE);
  assert_verifies ("crypt", YESCRYPT_SECRET, "secret", TRUE);
  assert_verifies ("crypt", SCRYPT_SECRET, "secret", TRUE);
  assert_verifies ("md5", MD5_SECRET, "secret", TRUE);              /* bare hex MD5 under md5 */
  assert_verifies ("md5sum", MD5_SECRET, "secret", TRUE);
  assert_verifies ("sha1", SHA1_SECRET, "secret", TRUE);
  assert_verifies ("sha1", "e5e9fa1ba31ecd1ae84f75caaa474f3a", "secret", TRUE);  /* only 32 of 40 compared */
  assert_verifies ("sha1", "e5e9fa1ba31ecd1ae84f75caaa474f3", "secret", FALSE);  /* 31 is too short */
  assert_verifies ("sha256", SHA256_SECRET, "secret", TRUE);
  assert_verifies ("sha512", SHA512_SECRET, "secret", TRUE);
  assert_verifies ("whirlpool", WHIRLPOOL_SECRET, "secret", TRUE);
  assert_verifies ("tiger", TIGER_SECRET, "secret", TRUE);
  assert_verifies ("tiger", TIGER_EMPTY, "", TRUE);
  assert_verifies ("md5base64", md5base64, "secret", TRUE);
  assert_verifies ("md5base64", MD5BASE64_PREFIX "AAAAAAAAAA", "secret", TRUE);  /* first 32 compared */
  assert_verifies ("md5base64", MD5BASE64_PREFIX "==", "secret", FALSE);         /* standard base64 fails */

  /* strncmp semantics: characters after the compared ones do not matter for
   * digests, but crypt compares the whole string. */
  assert_verifies ("md5sum", MD5_SECRET "trailing", "secret", TRUE);
  assert_verifies ("crypt", SHA512_CRYPT_SECRET "x", "secret", FALSE);
  assert_verifies ("md5", MD5_CRYPT_SECRET "x", "secret", TRUE);      /* md5-crypt: 34 characters */

  /* encryption_type is case-insensitive. */
  assert_verifies ("SHA256", SHA256_SECRET, "secret", TRUE);
  assert_verifies ("Crypt", DES_SECRET, "secret", TRUE);
  assert_verifies ("MD5", MD5_CRYPT_SECRET, "secret", TRUE);
  assert_verifies ("WHIRLPOOL", WHIRLPOOL_SECRET, "secret", TRUE);

  /* Comparisons are case-sensitive, prefixes are not understood. */
  assert_verifies ("md5sum", "5EBE2294ECD0E0F08EAB7690D2A6EE69", "secret", FALSE);
  assert_verifies ("sha1", "E5E9FA1BA31ECD1AE84F75CAAA474F3A663F05F4", "secret", FALSE);
  assert_verifies ("sha256", "2BB80D537B1DA3E38BD30361AA855686BDE0EACD7162FEF6A25FE97BF527A25B", "secret", FALSE);
  assert_verifies ("sha256", "{SHA256}" SHA256_SECRET, "secret", FALSE);
  assert_verifies ("", "Secret", "secret", FALSE);

  /* Types that do not match the value. */
  assert_verifies ("md5", SHA512_CRYPT_SECRET, "secret", FALSE);
  assert_verifies ("crypt", MD5_SECRET, "secret", FALSE);
  assert_verifies ("sha1", SHA256_SECRET, "secret", FALSE);
  assert_verifies ("", MD5_SECRET, "secret", FALSE);
}

static void
test_verify_wrong (void)
{
  g_autofree char *md5base64 = md5base64_stored ();
  struct { const char *type; const char *stored; } cases[] = {
    { "", "secret" },
    { "crypt", DES_SECRET },
    { "md5", MD5_CRYPT_SECRET },
    { "crypt", SHA256_CRYPT_SECRET },
    { "crypt", SHA512_CRYPT_SECRET },
    { "crypt", BCRYPT_SECRET },
    { "crypt", YESCRYPT_SECRET },
    { "md5", MD5_SECRET },
    { "md5sum", MD5_SECRET },
    { "md5base64", md5base64 },
    { "sha1", SHA1_SECRET },
    { "sha256", SHA256_SECRET },
    { "sha512", SHA512_SECRET },
    { "whirlpool", WHIRLPOOL_SECRET },
    { "tiger", TIGER_SECRET },
  };
  const char *wrong[] = { "Secret", "secret ", "", "secre", "wrong" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint j = 0; j < G_N_ELEMENTS (wrong); j++)
      assert_verifies (cases[i].type, cases[i].stored, wrong[j], FALSE);
}

static void
test_verify_refused (void)
{
  const char *known[] = { "", "crypt", "md5", "md5sum", "md5base64", "sha1", "sha256", "sha512", "whirlpool", "tiger" };
  const char *unknown[] = { "plaintext", "PLAINTEXT", "sha512-crypt", "bcrypt", "des", "{SHA256}", "sha-1", " md5" };

  /* Empty stored values never log in, without an error. */
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      assert_verifies (known[i], "", "", FALSE);
      assert_verifies (known[i], "", "secret", FALSE);
    }

  /* Types DBMail does not know refuse every login, with an error. */
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (mw_password_verify (unknown[i], "secret", "secret", &error));
      g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME);
      g_assert_nonnull (strstr (error->message, "DBMail"));
      g_assert_nonnull (strstr (error->message, "refuses every login"));
    }
}

static void
test_hash_round_trip (void)
{
  const char *passwords[] = { "secret", "Zürich 2025!", "x", "pass word with spaces and a \"quote\"" };

  for (guint i = 0; i < G_N_ELEMENTS (writable_schemes); i++)
    for (guint j = 0; j < G_N_ELEMENTS (passwords); j++)
      {
        const MwPasswordScheme *scheme = mw_password_lookup_scheme (writable_schemes[i]);
        g_autoptr(GError) error = NULL;
        const char *type = NULL;
        /* bcrypt at its lowest cost: what is checked here does not depend
         * on the cost, and cost 12 takes a quarter of a second a hash. */
        g_autofree char *hash = mw_password_hash_with_rounds (writable_schemes[i], passwords[j],
                                                              g_str_equal (writable_schemes[i], "bcrypt") ? 4 : 0,
                                                              &type, &error);

        g_assert_no_error (error);
        g_assert_nonnull (hash);
        g_assert_true (type == scheme->encryption_type);
        g_assert_cmpuint (strlen (hash), <=, MW_PASSWORD_MAX_STORED);
        assert_verifies (type, hash, passwords[j], TRUE);
        assert_verifies (type, hash, "definitely not it", FALSE);
        g_assert_true (mw_password_identify (type, hash) == scheme);
      }
}

static void
test_hash_formats (void)
{
  struct { const char *scheme; const char *type; const char *prefix; guint length; } cases[] = {
    { "plaintext",    "",          "secret", 6 },
    { "crypt-des",    "crypt",     "",       13 },
    { "md5-crypt",    "md5",       "$1$",    34 },
    { "sha256-crypt", "crypt",     "$5$",    63 },
    { "sha512-crypt", "crypt",     "$6$",    106 },
    { "bcrypt",       "crypt",     "$2b$",   60 },
    { "yescrypt",     "crypt",     "$y$",    0 },
    { "md5sum",       "md5sum",    MD5_SECRET,       32 },
    { "sha1",         "sha1",      SHA1_SECRET,      40 },
    { "sha256",       "sha256",    SHA256_SECRET,    64 },
    { "sha512",       "sha512",    SHA512_SECRET,    128 },
    { "whirlpool",    "whirlpool", WHIRLPOOL_SECRET, 128 },
    { "tiger",        "tiger",     TIGER_SECRET,     48 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MwPasswordScheme *scheme = mw_password_lookup_scheme (cases[i].scheme);
      g_autoptr(GError) error = NULL;
      const char *type = NULL;
      g_autofree char *a = mw_password_hash (cases[i].scheme, "secret", &type, &error);
      g_autofree char *b = mw_password_hash (cases[i].scheme, "secret", NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (type, ==, cases[i].type);
      g_assert_true (g_str_has_prefix (a, cases[i].prefix));
      if (cases[i].length > 0)
        g_assert_cmpuint (strlen (a), ==, cases[i].length);
      /* Salted schemes get a fresh salt every time, digests are fixed. */
      if (scheme->salted)
        g_assert_cmpstr (a, !=, b);
      else
        g_assert_cmpstr (a, ==, b);
    }

  /* The empty password through the digest code, against the published Tiger vector. */
  assert_verifies ("tiger", TIGER_EMPTY, "", TRUE);
}

static void
test_hash_errors (void)
{
  g_autofree char *max_plain = g_strnfill (MW_PASSWORD_MAX_STORED, 'a');
  g_autofree char *long_plain = g_strnfill (MW_PASSWORD_MAX_STORED + 1, 'a');
  g_autofree char *huge = g_strnfill (600, 'a');

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *h = mw_password_hash ("rot13", "secret", NULL, &error);

    g_assert_null (h);
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME);
    g_assert_nonnull (strstr (error->message, "rot13"));
    g_assert_nonnull (strstr (error->message, "sha512-crypt"));
  }
  {
    g_autoptr(GError) error = NULL;
    const char *type = "untouched";
    g_autofree char *h = mw_password_hash ("md5-base64", "secret", &type, &error);

    g_assert_null (h);
    g_assert_cmpstr (type, ==, "untouched");
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_VERIFY_ONLY);
    g_assert_nonnull (strstr (error->message, "md5base64"));
  }
  for (guint i = 0; i < G_N_ELEMENTS (writable_schemes); i++)
    {
      const char *bad[] = { "", "caf\xc3", "\xff\xfe", "ok\x80" };

      for (guint j = 0; j < G_N_ELEMENTS (bad); j++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *h = mw_password_hash (writable_schemes[i], bad[j], NULL, &error);

          g_assert_null (h);
          g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID);
          g_assert_cmpstr (error->message, !=, "");
        }
    }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *h = mw_password_hash ("plaintext", max_plain, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (h, ==, max_plain);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *h = mw_password_hash ("plaintext", long_plain, NULL, &error);

    g_assert_null (h);
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "130"));
  }
  {
    /* A long password is fine when its hash is short. */
    g_autoptr(GError) error = NULL;
    g_autofree char *h = mw_password_hash ("sha512", long_plain, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (strlen (h), ==, 128);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *h = mw_password_hash ("sha512-crypt", huge, NULL, &error);

    g_assert_null (h);
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID);
  }
}

static void
test_identify (void)
{
  g_autofree char *md5base64 = md5base64_stored ();
  struct { const char *type; const char *stored; const char *scheme; } cases[] = {
    { "",          "secret",              "plaintext" },
    { "crypt",     DES_SECRET,            "crypt-des" },
    { "crypt",     MD5_CRYPT_SECRET,      "md5-crypt" },
    { "md5",       MD5_CRYPT_SECRET,      "md5-crypt" },
    { "crypt",     SHA256_CRYPT_SECRET,   "sha256-crypt" },
    { "CRYPT",     SHA512_CRYPT_SECRET,   "sha512-crypt" },
    { "crypt",     BCRYPT_SECRET,         "bcrypt" },
    { "crypt",     "$2y$05$UjnYUjnYUjnYUjnYUjnYUesISPVbr7gBqQ68qYTwwUmGXaGLGliH2", "bcrypt" },
    { "crypt",     YESCRYPT_SECRET,       "yescrypt" },
    { "md5",       MD5_SECRET,            "md5sum" },
    { "md5sum",    MD5_SECRET,            "md5sum" },
    { "md5base64", md5base64,             "md5base64" },
    { "sha1",      SHA1_SECRET,           "sha1" },
    { "sha1",      "e5e9fa1ba31ecd1ae84f75caaa474f3a", "sha1" },
    { "sha256",    SHA256_SECRET,         "sha256" },
    { "SHA512",    SHA512_SECRET,         "sha512" },
    { "whirlpool", WHIRLPOOL_SECRET,      "whirlpool" },
    { "tiger",     TIGER_SECRET,          "tiger" },
    /* Values that cannot log in, or that we do not name. */
    { "",          "",                    NULL },
    { "md5",       "",                    NULL },
    { "plaintext", "secret",              NULL },
    { "sha512-crypt", SHA512_CRYPT_SECRET, NULL },
    { "crypt",     SCRYPT_SECRET,         NULL },
    { "crypt",     MD5_SECRET,            NULL },
    { "md5",       SHA512_CRYPT_SECRET,   NULL },
    { "md5sum",    "5EBE2294ECD0E0F08EAB7690D2A6EE69", NULL },
    { "sha1",      "e5e9fa1b",            NULL },
    { "sha256",    SHA1_SECRET,           NULL },
    { "md5base64", MD5BASE64_PREFIX "==", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MwPasswordScheme *s = mw_password_identify (cases[i].type, cases[i].stored);

      if (cases[i].scheme == NULL)
        {
          if (s != NULL)
            g_error ("identify (\"%s\", \"%s\") gave %s, expected NULL", cases[i].type, cases[i].stored, s->name);
        }
      else
        {
          if (s == NULL)
            g_error ("identify (\"%s\", \"%s\") gave NULL, expected %s", cases[i].type, cases[i].stored, cases[i].scheme);
          g_assert_cmpstr (s->name, ==, cases[i].scheme);
        }
    }
}

static void
test_to_dovecot (void)
{
  g_autofree char *md5base64 = md5base64_stored ();
  struct { const char *type; const char *stored; const char *dovecot; } cases[] = {
    { "",          "secret",            "{PLAIN}secret" },
    { "crypt",     DES_SECRET,          "{CRYPT}" DES_SECRET },
    { "crypt",     MD5_CRYPT_SECRET,    "{MD5-CRYPT}" MD5_CRYPT_SECRET },
    { "md5",       MD5_CRYPT_SECRET,    "{MD5-CRYPT}" MD5_CRYPT_SECRET },
    { "md5",       MD5_CRYPT_SECRET "junk", "{MD5-CRYPT}" MD5_CRYPT_SECRET },
    { "crypt",     SHA256_CRYPT_SECRET, "{SHA256-CRYPT}" SHA256_CRYPT_SECRET },
    { "crypt",     SHA512_CRYPT_SECRET, "{SHA512-CRYPT}" SHA512_CRYPT_SECRET },
    { "crypt",     BCRYPT_SECRET,       "{BLF-CRYPT}" BCRYPT_SECRET },
    { "crypt",     YESCRYPT_SECRET,     "{CRYPT}" YESCRYPT_SECRET },
    { "crypt",     SCRYPT_SECRET,       "{CRYPT}" SCRYPT_SECRET },
    { "md5",       MD5_SECRET,          "{PLAIN-MD5}" MD5_SECRET },
    { "md5sum",    MD5_SECRET "junk",   "{PLAIN-MD5}" MD5_SECRET },
    { "sha1",      SHA1_SECRET,         "{SHA1.HEX}" SHA1_SECRET },
    { "Sha256",    SHA256_SECRET,       "{SHA256.HEX}" SHA256_SECRET },
    { "sha512",    SHA512_SECRET,       "{SHA512.HEX}" SHA512_SECRET },
    /* No Dovecot scheme, or nothing that logs in. */
    { "sha1",      "e5e9fa1ba31ecd1ae84f75caaa474f3a", NULL },
    { "whirlpool", WHIRLPOOL_SECRET,    NULL },
    { "tiger",     TIGER_SECRET,        NULL },
    { "md5base64", md5base64,           NULL },
    { "",          "",                  NULL },
    { "plaintext", "secret",            NULL },
    { "md5sum",    "5EBE2294ECD0E0F08EAB7690D2A6EE69", NULL },
    { "crypt",     "not a hash",        NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *d = mw_password_to_dovecot (cases[i].type, cases[i].stored);

      g_assert_cmpstr (d, ==, cases[i].dovecot);
    }
}

static void
test_generate (void)
{
  const char *allowed = "23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
  guint lengths[] = { 2, 3, 8, 16, 24, MW_PASSWORD_MAX_STORED };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[256] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    for (guint round = 0; round < 200; round++)
      {
        g_autoptr(GError) error = NULL;
        char *p = mw_password_generate (lengths[i], &error);
        gboolean digit = FALSE, letter = FALSE;

        g_assert_no_error (error);
        g_assert_cmpuint (strlen (p), ==, lengths[i]);
        g_assert_cmpuint (strspn (p, allowed), ==, lengths[i]);
        for (const char *c = p; *c; c++)
          {
            digit |= g_ascii_isdigit (*c);
            letter |= g_ascii_isalpha (*c);
            counts[(guchar) *c]++;
          }
        g_assert_true (digit);
        g_assert_true (letter);
        if (lengths[i] >= 16)
          g_assert_true (g_hash_table_add (seen, g_strdup (p)));   /* no repeats */
        mw_password_free (p);
      }

  /* Every symbol of the alphabet turns up. */
  for (const char *c = allowed; *c; c++)
    g_assert_cmpuint (counts[(guchar) *c], >, 0);

  for (guint bad = 0; bad < 2; bad++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (mw_password_generate (bad, &error));
      g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (mw_password_generate (MW_PASSWORD_MAX_STORED + 1, &error));
    g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID);
  }
  mw_password_free (NULL);
}

typedef struct
{
  const char *scheme;
  guint       rounds;
} ThreadJob;

static gpointer
hash_in_thread (gpointer data)
{
  const ThreadJob *job = data;

  for (guint i = 0; i < job->rounds; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *password = g_strdup_printf ("pw-%s-%u", job->scheme, i);
      const char *type = NULL;
      g_autofree char *hash = mw_password_hash_with_rounds (job->scheme, password,
                                                            g_str_equal (job->scheme, "bcrypt") ? 4 : 0, &type, &error);

      g_assert_no_error (error);
      g_assert_true (mw_password_verify (type, hash, password, &error));
      g_assert_false (mw_password_verify (type, hash, "other", &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_threads (void)
{
  ThreadJob jobs[] = {
    { "whirlpool", 200 }, { "tiger", 200 }, { "sha512-crypt", 40 }, { "md5-crypt", 200 },
    { "whirlpool", 200 }, { "crypt-des", 200 }, { "bcrypt", 20 }, { "tiger", 200 },
  };
  GThread *threads[G_N_ELEMENTS (jobs)];

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    threads[i] = g_thread_new ("hash", hash_in_thread, &jobs[i]);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_thread_join (threads[i]);
}

/* ------------------------------------------------------------------------ */
/* The same hashes through a real Dovecot                                   */
/* ------------------------------------------------------------------------ */

/* `doveadm -c /dev/null pw -t HASH -p PASSWORD` needs no dovecot.conf and no
 * running server; it exits 0 on a match and 75 on a mismatch (and also 75 for
 * an unknown scheme, hence the check of its message). */
static void
run_doveadm (const char *doveadm,
             const char *dovecot_hash,
             const char *password,
             gboolean    expect_match)
{
  const char *argv[] = { doveadm, "-c", "/dev/null", "pw", "-t", dovecot_hash, "-p", password, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
    g_error ("cannot run %s: %s", doveadm, error->message);

  if (expect_match)
    {
      if (!g_spawn_check_wait_status (status, &error))
        g_error ("doveadm refused %s for the right password: %s %s", dovecot_hash, error->message, err);
    }
  else
    {
      if (g_spawn_check_wait_status (status, &error))
        g_error ("doveadm accepted %s for a wrong password", dovecot_hash);
      if (strstr (err, "mismatch") == NULL)
        g_error ("doveadm failed on %s for another reason than a mismatch: %s", dovecot_hash, err);
    }
}

static void
test_dovecot (void)
{
  g_autofree char *doveadm = g_find_program_in_path ("doveadm");
  const char *password = "Zürich 2025!";
  const char *wrong = "zürich 2025!";   /* differs in the first 8 bytes, for DES */
  const char *digest_schemes[] = { "plaintext", "md5sum", "sha1", "sha256", "sha512" };
  struct { const char *type; const char *stored; } vectors[] = {
    { "crypt", DES_SECRET }, { "md5", MD5_CRYPT_SECRET }, { "md5", MD5_SECRET },
    { "crypt", SHA256_CRYPT_SECRET }, { "crypt", SHA512_CRYPT_SECRET }, { "crypt", BCRYPT_SECRET },
    { "crypt", YESCRYPT_SECRET }, { "crypt", SCRYPT_SECRET }, { "sha1", SHA1_SECRET },
  };

  if (doveadm == NULL)
    {
      g_test_fail_printf ("doveadm is not installed, so the Dovecot compatibility of the hashes "
                          "cannot be checked: run tools/install-deps (it installs dovecot-core).");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (crypt_schemes) + G_N_ELEMENTS (digest_schemes); i++)
    {
      const char *name = i < G_N_ELEMENTS (crypt_schemes)
                         ? crypt_schemes[i] : digest_schemes[i - G_N_ELEMENTS (crypt_schemes)];
      g_autoptr(GError) error = NULL;
      const char *type = NULL;
      g_autofree char *hash = mw_password_hash (name, password, &type, &error);
      g_autofree char *dovecot = NULL;

      g_assert_no_error (error);
      dovecot = mw_password_to_dovecot (type, hash);
      g_assert_nonnull (dovecot);
      g_test_message ("%s: %s", name, dovecot);
      run_doveadm (doveadm, dovecot, password, TRUE);
      run_doveadm (doveadm, dovecot, wrong, FALSE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *dovecot = mw_password_to_dovecot (vectors[i].type, vectors[i].stored);

      g_assert_nonnull (dovecot);
      run_doveadm (doveadm, dovecot, "secret", TRUE);
      run_doveadm (doveadm, dovecot, "Secret", FALSE);
    }
}

/* bcrypt is written at cost 12 unless asked otherwise (libxcrypt alone would
 * write 5); the crypt schemes take a chosen cost, and what comes out still
 * logs in to DBMail and to Dovecot. */
static void
test_rounds (void)
{
  g_autofree char *doveadm = g_find_program_in_path ("doveadm");
  struct { const char *scheme; gulong rounds; const char *prefix; } cases[] = {
    { "bcrypt", 0, "$2b$12$" },
    { "blf-crypt", 0, "$2b$12$" },
    { "bcrypt", 6, "$2b$06$" },
    { "sha512-crypt", 0, "$6$" },
    { "sha512-crypt", 10000, "$6$rounds=10000$" },
    { "sha256-crypt", 2000, "$5$rounds=2000$" },
    { "yescrypt", 3, "$y$j7T$" },
  };
  struct { const char *scheme; gulong rounds; } refused[] = {
    { "bcrypt", 3 }, { "bcrypt", 32 }, { "sha512-crypt", 999 }, { "yescrypt", 12 },
    { "md5-crypt", 5 }, { "crypt-des", 25 }, { "sha512", 2 }, { "plaintext", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *type = NULL;
      g_autofree char *hash = mw_password_hash_with_rounds (cases[i].scheme, "secret", cases[i].rounds, &type, &error);

      g_assert_no_error (error);
      g_test_message ("%s %lu: %s", cases[i].scheme, cases[i].rounds, hash);
      g_assert_true (g_str_has_prefix (hash, cases[i].prefix));
      if (g_str_equal (cases[i].prefix, "$6$"))
        g_assert_false (g_str_has_prefix (hash, "$6$rounds="));
      g_assert_cmpstr (type, ==, "crypt");
      g_assert_true (mw_password_check_rounds (cases[i].scheme, cases[i].rounds, &error));
      g_assert_true (mw_password_verify (type, hash, "secret", &error));
      g_assert_no_error (error);
      g_assert_false (mw_password_verify (type, hash, "Secret", &error));
      g_assert_no_error (error);
      if (doveadm != NULL)
        {
          g_autofree char *dovecot = mw_password_to_dovecot (type, hash);

          run_doveadm (doveadm, dovecot, "secret", TRUE);
        }
    }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *hash = mw_password_hash ("bcrypt", "secret", NULL, &error);

    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (hash, "$2b$12$"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) check_error = NULL;
      g_autofree char *hash = mw_password_hash_with_rounds (refused[i].scheme, "secret", refused[i].rounds, NULL, &error);

      g_assert_null (hash);
      g_assert_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID);
      g_assert_false (mw_password_check_rounds (refused[i].scheme, refused[i].rounds, &check_error));
      g_assert_error (check_error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, check_error->message);
      g_test_message ("%s", error->message);
    }
  g_assert_true (mw_password_scheme_has_rounds ("bcrypt"));
  g_assert_true (mw_password_scheme_has_rounds ("SHA512-crypt"));
  g_assert_false (mw_password_scheme_has_rounds ("md5-crypt"));
  g_assert_false (mw_password_scheme_has_rounds ("sha1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* First, so that libgcrypt is first used from several threads at once. */
  g_test_add_func ("/password/threads", test_threads);
  g_test_add_func ("/password/schemes", test_schemes);
  g_test_add_func ("/password/verify/vectors", test_verify_vectors);
  g_test_add_func ("/password/verify/wrong", test_verify_wrong);
  g_test_add_func ("/password/verify/refused", test_verify_refused);
  g_test_add_func ("/password/hash/round-trip", test_hash_round_trip);
  g_test_add_func ("/password/hash/formats", test_hash_formats);
  g_test_add_func ("/password/hash/errors", test_hash_errors);
  g_test_add_func ("/password/identify", test_identify);
  g_test_add_func ("/password/to-dovecot", test_to_dovecot);
  g_test_add_func ("/password/generate", test_generate);
  g_test_add_func ("/password/hash/rounds", test_rounds);
  g_test_add_func ("/password/dovecot/doveadm", test_dovecot);   /* last: a failure stops the run */

  return g_test_run ();
}
