/* mw-password.c: hashing and checking DBMail user passwords exactly as DBMail 3.5 does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-password"

#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

#include "mw-password.h"

G_DEFINE_QUARK (mw-password-error-quark, mw_password_error)

/* db_user_validate copies passwd into a buffer of this many characters. */
#define DBMAIL_COLUMN_WIDTH 255

/* Length of the md5base64 value dbmail-users writes. */
#define MD5BASE64_STORED_LENGTH 129

/* Bytes of getrandom(2) output per salt: the most any libxcrypt method
 * we use takes for its default salt length (bcrypt and yescrypt need 16). */
#define SALT_ENTROPY_BYTES 16

typedef enum
{
  SCHEME_PLAINTEXT,
  SCHEME_CRYPT_DES,
  SCHEME_MD5_CRYPT,
  SCHEME_SHA256_CRYPT,
  SCHEME_SHA512_CRYPT,
  SCHEME_BCRYPT,
  SCHEME_YESCRYPT,
  SCHEME_MD5SUM,
  SCHEME_MD5BASE64,
  SCHEME_SHA1,
  SCHEME_SHA256,
  SCHEME_SHA512,
  SCHEME_WHIRLPOOL,
  SCHEME_TIGER,
  N_SCHEMES
} SchemeId;

static const MwPasswordScheme schemes[N_SCHEMES] = {
  [SCHEME_PLAINTEXT]    = { "plaintext",    "",          N_("Plain text (not hashed)"),               TRUE,  FALSE, 0 },
  [SCHEME_CRYPT_DES]    = { "crypt-des",    "crypt",     N_("DES crypt (legacy, first 8 characters)"), TRUE,  TRUE,  8 },
  [SCHEME_MD5_CRYPT]    = { "md5-crypt",    "md5",       N_("MD5-crypt (legacy)"),                    TRUE,  TRUE,  0 },
  [SCHEME_SHA256_CRYPT] = { "sha256-crypt", "crypt",     N_("SHA-256-crypt"),                         TRUE,  TRUE,  0 },
  [SCHEME_SHA512_CRYPT] = { "sha512-crypt", "crypt",     N_("SHA-512-crypt"),                         TRUE,  TRUE,  0 },
  [SCHEME_BCRYPT]       = { "bcrypt",       "crypt",     N_("bcrypt (first 72 bytes)"),               TRUE,  TRUE,  72 },
  [SCHEME_YESCRYPT]     = { "yescrypt",     "crypt",     N_("yescrypt"),                              TRUE,  TRUE,  0 },
  [SCHEME_MD5SUM]       = { "md5sum",       "md5sum",    N_("MD5 digest (unsalted)"),                 TRUE,  FALSE, 0 },
  [SCHEME_MD5BASE64]    = { "md5base64",    "md5base64", N_("MD5 digest in base64 (check only)"),     FALSE, FALSE, 0 },
  [SCHEME_SHA1]         = { "sha1",         "sha1",      N_("SHA-1 digest (unsalted)"),               TRUE,  FALSE, 0 },
  [SCHEME_SHA256]       = { "sha256",       "sha256",    N_("SHA-256 digest (unsalted)"),             TRUE,  FALSE, 0 },
  [SCHEME_SHA512]       = { "sha512",       "sha512",    N_("SHA-512 digest (unsalted)"),             TRUE,  FALSE, 0 },
  [SCHEME_WHIRLPOOL]    = { "whirlpool",    "whirlpool", N_("Whirlpool digest (unsalted)"),           TRUE,  FALSE, 0 },
  [SCHEME_TIGER]        = { "tiger",        "tiger",     N_("Tiger digest (unsalted)"),               TRUE,  FALSE, 0 },
};

/* crypt_gensalt prefixes; "" is traditional DES. */
static const char * const crypt_prefixes[N_SCHEMES] = {
  [SCHEME_CRYPT_DES]    = "",
  [SCHEME_MD5_CRYPT]    = "$1$",
  [SCHEME_SHA256_CRYPT] = "$5$",
  [SCHEME_SHA512_CRYPT] = "$6$",
  [SCHEME_BCRYPT]       = "$2b$",
  [SCHEME_YESCRYPT]     = "$y$",
};

static const struct
{
  const char *spelling;
  SchemeId    id;
} scheme_aliases[] = {
  /* dbmail-users -p */
  { "crypt",      SCHEME_CRYPT_DES },
  { "md5",        SCHEME_MD5_CRYPT },
  { "md5-hash",   SCHEME_MD5_CRYPT },
  { "md5-digest", SCHEME_MD5SUM },
  { "md5-base64", SCHEME_MD5BASE64 },
  /* Dovecot */
  { "blf-crypt",  SCHEME_BCRYPT },
};

/* The encryption_type values db_user_validate knows. */
typedef enum
{
  TYPE_UNKNOWN,
  TYPE_PLAIN,
  TYPE_CRYPT,
  TYPE_MD5,
  TYPE_MD5SUM,
  TYPE_MD5BASE64,
  TYPE_SHA1,
  TYPE_SHA256,
  TYPE_SHA512,
  TYPE_WHIRLPOOL,
  TYPE_TIGER,
} TypeId;

typedef enum
{
  DIGEST_MD5,
  DIGEST_SHA1,
  DIGEST_SHA256,
  DIGEST_SHA512,
  DIGEST_WHIRLPOOL,
  DIGEST_TIGER,
} Digest;

static const struct
{
  const char *encryption_type;
  TypeId      type;
  Digest      digest;     /* hex types only */
  guint       compared;   /* characters db_user_validate compares; 0 = all */
  SchemeId    scheme;     /* what identify reports for a matching value */
} types[] = {
  { "",          TYPE_PLAIN,     0,                0,   SCHEME_PLAINTEXT },
  { "crypt",     TYPE_CRYPT,     0,                0,   SCHEME_CRYPT_DES },
  { "md5",       TYPE_MD5,       DIGEST_MD5,       32,  SCHEME_MD5SUM },
  { "md5sum",    TYPE_MD5SUM,    DIGEST_MD5,       32,  SCHEME_MD5SUM },
  { "md5base64", TYPE_MD5BASE64, DIGEST_MD5,       32,  SCHEME_MD5BASE64 },
  { "sha1",      TYPE_SHA1,      DIGEST_SHA1,      32,  SCHEME_SHA1 },
  { "sha256",    TYPE_SHA256,    DIGEST_SHA256,    64,  SCHEME_SHA256 },
  { "sha512",    TYPE_SHA512,    DIGEST_SHA512,    128, SCHEME_SHA512 },
  { "whirlpool", TYPE_WHIRLPOOL, DIGEST_WHIRLPOOL, 128, SCHEME_WHIRLPOOL },
  { "tiger",     TYPE_TIGER,     DIGEST_TIGER,     48,  SCHEME_TIGER },
};

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct crypt_data CryptData;

static void
crypt_data_free (CryptData *data)
{
  /* Holds the pass phrase and intermediate state. */
  explicit_bzero (data, sizeof *data);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryptData, crypt_data_free)

static void
wipe_string (char *s)
{
  if (s != NULL)
    {
      explicit_bzero (s, strlen (s));
      g_free (s);
    }
}

typedef char WipedString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedString, wipe_string)

static int
find_type (const char *encryption_type)
{
  /* db_user_validate dispatches with strcasecmp. */
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (encryption_type, types[i].encryption_type) == 0)
      return (int) i;
  return -1;
}

static gboolean
fill_random (void    *buffer,
             gsize    length,
             GError **error)
{
  guint8 *p = buffer;

  while (length > 0)
    {
      ssize_t n = getrandom (p, length, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_FAILED,
                       _("The system's random number source failed: %s."), g_strerror (saved_errno));
          return FALSE;
        }
      p += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* Returns: (transfer full) (nullable): crypt(3) of password with setting,
 * NULL where crypt(3) would return a failure token. */
static char *
crypt_copy (const char *password,
            const char *setting)
{
  g_autoptr(CryptData) data = g_new0 (CryptData, 1);
  const char *hash;

  hash = crypt_rn (password, setting, data, sizeof *data);
  if (hash == NULL || hash[0] == '*')
    return NULL;
  return g_strdup (hash);
}

static gboolean
ensure_gcrypt (GError **error)
{
  static gsize state = 0;

  /* libgcrypt must see gcry_check_version before anything else. We only
   * check the version and leave GCRYCTL_INITIALIZATION_FINISHED to the
   * application: libsecret, also in this process, finishes the
   * initialization itself when it finds it unfinished, and message digests
   * need no secure memory. */
  if (g_once_init_enter (&state))
    g_once_init_leave (&state, gcry_check_version (GCRYPT_VERSION) != NULL ? 1 : 2);

  if (state != 1)
    {
      g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_FAILED,
                   _("The installed libgcrypt %s is older than the version %s Mailwarden was built with."),
                   gcry_check_version (NULL), GCRYPT_VERSION);
      return FALSE;
    }
  return TRUE;
}

static char *
gcrypt_hex (int          algo,
            const char  *password,
            GError     **error)
{
  gcry_md_hd_t hd = NULL;
  gcry_error_t err;
  const guint8 *digest;
  guint length;
  GString *hex;

  if (!ensure_gcrypt (error))
    return NULL;

  err = gcry_md_open (&hd, algo, 0);
  if (err != 0)
    {
      /* FIPS mode refuses Whirlpool and Tiger. */
      g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_FAILED,
                   _("The system's libgcrypt cannot compute %s digests: %s."),
                   gcry_md_algo_name (algo), gcry_strerror (err));
      return NULL;
    }
  gcry_md_write (hd, password, strlen (password));
  digest = gcry_md_read (hd, algo);
  length = gcry_md_get_algo_dlen (algo);

  hex = g_string_sized_new (length * 2);
  for (guint i = 0; i < length; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  gcry_md_close (hd);

  return g_string_free (hex, FALSE);
}

/* Lowercase hex, as DBMail's dm_md5/dm_sha1/... write it. */
static char *
hex_digest (Digest       digest,
            const char  *password,
            GError     **error)
{
  switch (digest)
    {
    case DIGEST_MD5:
      return g_compute_checksum_for_string (G_CHECKSUM_MD5, password, -1);
    case DIGEST_SHA1:
      return g_compute_checksum_for_string (G_CHECKSUM_SHA1, password, -1);
    case DIGEST_SHA256:
      return g_compute_checksum_for_string (G_CHECKSUM_SHA256, password, -1);
    case DIGEST_SHA512:
      return g_compute_checksum_for_string (G_CHECKSUM_SHA512, password, -1);
    case DIGEST_WHIRLPOOL:
      return gcrypt_hex (GCRY_MD_WHIRLPOOL, password, error);
    case DIGEST_TIGER:
      /* TIGER1 is the published byte order, which DBMail reorders mhash's output into. */
      return gcrypt_hex (GCRY_MD_TIGER1, password, error);
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

/* DBMail base64-encodes the 16-byte digest followed by zero bytes and cuts
 * the result, so the "==" padding becomes a run of 'A'. */
static char *
md5_base64_dbmail (const char *password)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  guint8 digest[16];
  gsize length = sizeof digest;
  g_autofree char *base64 = NULL;
  char *form;

  g_checksum_update (checksum, (const guchar *) password, strlen (password));
  g_checksum_get_digest (checksum, digest, &length);
  base64 = g_base64_encode (digest, length);

  form = g_strnfill (MD5BASE64_STORED_LENGTH, 'A');
  memcpy (form, base64, 22);
  return form;
}

static gboolean
has_lower_hex_prefix (const char *s,
                      guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
      return FALSE;   /* also stops at the terminating NUL */
  return TRUE;
}

static gboolean
is_crypt_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '/';
}

static gboolean
is_des_hash (const char *s)
{
  for (guint i = 0; i < 13; i++)
    if (!is_crypt_char (s[i]))
      return FALSE;
  return s[13] == '\0';
}

/* The scheme of a crypt(3) hash from its prefix. */
static int
identify_crypt (const char *stored)
{
  if (g_str_has_prefix (stored, "$1$"))
    return SCHEME_MD5_CRYPT;
  if (g_str_has_prefix (stored, "$5$"))
    return SCHEME_SHA256_CRYPT;
  if (g_str_has_prefix (stored, "$6$"))
    return SCHEME_SHA512_CRYPT;
  if (g_str_has_prefix (stored, "$2b$") || g_str_has_prefix (stored, "$2a$") ||
      g_str_has_prefix (stored, "$2y$"))
    return SCHEME_BCRYPT;
  if (g_str_has_prefix (stored, "$y$"))
    return SCHEME_YESCRYPT;
  if (is_des_hash (stored))
    return SCHEME_CRYPT_DES;
  return -1;
}

static gboolean
check_password (const char  *password,
                GError     **error)
{
  if (password[0] == '\0')
    {
      g_set_error_literal (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID,
                           _("The password is empty. DBMail refuses every login with an empty password."));
      return FALSE;
    }
  if (!g_utf8_validate (password, -1, NULL))
    {
      g_set_error_literal (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID,
                           _("The password contains bytes that are not valid UTF-8 text."));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */
/* ------------------------------------------------------------------------ */

const MwPasswordScheme *
mw_password_get_schemes (guint *n_schemes)
{
  g_return_val_if_fail (n_schemes != NULL, NULL);

  *n_schemes = N_SCHEMES;
  return schemes;
}

const MwPasswordScheme *
mw_password_lookup_scheme (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return NULL;

  for (guint i = 0; i < N_SCHEMES; i++)
    if (g_ascii_strcasecmp (name, schemes[i].name) == 0)
      return &schemes[i];
  for (guint i = 0; i < G_N_ELEMENTS (scheme_aliases); i++)
    if (g_ascii_strcasecmp (name, scheme_aliases[i].spelling) == 0)
      return &schemes[scheme_aliases[i].id];
  return NULL;
}

static char *
list_writable_schemes (void)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < N_SCHEMES; i++)
    {
      if (!schemes[i].writable)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, schemes[i].name);
    }
  return g_string_free (names, FALSE);
}

/* The scheme, or NULL with the sentence that lists the known ones. */
static const MwPasswordScheme *
lookup_known_scheme (const char  *scheme_name,
                     GError     **error)
{
  const MwPasswordScheme *scheme = mw_password_lookup_scheme (scheme_name);

  if (scheme == NULL)
    {
      g_autofree char *known = list_writable_schemes ();

      g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME,
                   _("Mailwarden does not know the password scheme “%s”. Known schemes are: %s."),
                   scheme_name, known);
    }
  return scheme;
}

const MwPasswordScheme *
mw_password_lookup_writable_scheme (const char  *name,
                                    GError     **error)
{
  const MwPasswordScheme *scheme;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((scheme = lookup_known_scheme (name != NULL ? name : "", error)) == NULL)
    return NULL;
  if (!scheme->writable)
    {
      g_set_error_literal (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_VERIFY_ONLY,
                           _("DBMail writes md5base64 passwords in a truncated base64 form that no other "
                             "program reads, so Mailwarden checks existing ones but does not create new "
                             "ones. Choose another scheme, such as SHA-512-crypt."));
      return NULL;
    }
  return scheme;
}

/* The cost range each crypt method takes, in libxcrypt's "count" unit:
 * bcrypt a power of two (2^count rounds), sha-crypt the number of rounds,
 * yescrypt its own cost scale. DES and md5-crypt have a fixed cost. */
static gboolean
rounds_range (SchemeId id,
              gulong  *min,
              gulong  *max)
{
  switch (id)
    {
    case SCHEME_BCRYPT:
      *min = 4;
      *max = 31;
      return TRUE;
    case SCHEME_SHA256_CRYPT:
    case SCHEME_SHA512_CRYPT:
      *min = 1000;
      *max = 999999999;
      return TRUE;
    case SCHEME_YESCRYPT:
      *min = 1;
      *max = 11;
      return TRUE;
    case SCHEME_PLAINTEXT:
    case SCHEME_CRYPT_DES:
    case SCHEME_MD5_CRYPT:
    case SCHEME_MD5SUM:
    case SCHEME_MD5BASE64:
    case SCHEME_SHA1:
    case SCHEME_SHA256:
    case SCHEME_SHA512:
    case SCHEME_WHIRLPOOL:
    case SCHEME_TIGER:
    case N_SCHEMES:
    default:
      return FALSE;
    }
}

static gboolean
check_rounds (SchemeId   id,
              gulong     rounds,
              GError   **error)
{
  gulong min, max;

  if (rounds == 0)
    return TRUE;
  if (!rounds_range (id, &min, &max))
    {
      g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID,
                   _("%s has a fixed cost: leave the rounds unset for it."), _(schemes[id].label));
      return FALSE;
    }
  if (rounds < min || rounds > max)
    {
      g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID,
                   _("%s takes rounds from %lu to %lu; %lu is outside that range."),
                   _(schemes[id].label), min, max, rounds);
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_password_check_rounds (const char  *scheme_name,
                          gulong       rounds,
                          GError     **error)
{
  const MwPasswordScheme *scheme;

  g_return_val_if_fail (scheme_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((scheme = lookup_known_scheme (scheme_name, error)) == NULL)
    return FALSE;
  return check_rounds ((SchemeId) (scheme - schemes), rounds, error);
}

gboolean
mw_password_scheme_has_rounds (const char *scheme_name)
{
  const MwPasswordScheme *scheme = scheme_name != NULL ? mw_password_lookup_scheme (scheme_name) : NULL;
  gulong min, max;

  return scheme != NULL && rounds_range ((SchemeId) (scheme - schemes), &min, &max);
}

char *
mw_password_hash (const char  *scheme_name,
                  const char  *password,
                  const char **encryption_type,
                  GError     **error)
{
  return mw_password_hash_with_rounds (scheme_name, password, 0, encryption_type, error);
}

char *
mw_password_hash_with_rounds (const char  *scheme_name,
                              const char  *password,
                              gulong       rounds,
                              const char **encryption_type,
                              GError     **error)
{
  const MwPasswordScheme *scheme;
  SchemeId id;
  g_autoptr(WipedString) hash = NULL;
  gsize length;

  g_return_val_if_fail (scheme_name != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((scheme = mw_password_lookup_writable_scheme (scheme_name, error)) == NULL)
    return NULL;
  id = (SchemeId) (scheme - schemes);

  if (!check_password (password, error) || !check_rounds (id, rounds, error))
    return NULL;
  /* libxcrypt's own bcrypt default is cost 5 (32 rounds), far below what
   * a password database stored today should take. */
  if (rounds == 0 && id == SCHEME_BCRYPT)
    rounds = MW_PASSWORD_BCRYPT_DEFAULT_COST;

  switch (id)
    {
    case SCHEME_PLAINTEXT:
      length = strlen (password);
      if (length > MW_PASSWORD_MAX_STORED)
        {
          g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The password is too long to store as plain text: DBMail accepts at "
                                    "most %u bytes, and this password has %u byte.",
                                    "The password is too long to store as plain text: DBMail accepts at "
                                    "most %u bytes, and this password has %u bytes.",
                                    (gulong) length),
                       (guint) MW_PASSWORD_MAX_STORED, (guint) length);
          return NULL;
        }
      hash = g_strdup (password);
      break;

    case SCHEME_CRYPT_DES:
    case SCHEME_MD5_CRYPT:
    case SCHEME_SHA256_CRYPT:
    case SCHEME_SHA512_CRYPT:
    case SCHEME_BCRYPT:
    case SCHEME_YESCRYPT:
      {
        guint8 entropy[SALT_ENTROPY_BYTES];
        char setting[CRYPT_GENSALT_OUTPUT_SIZE];
        gboolean made_salt;

        if (strlen (password) >= CRYPT_MAX_PASSPHRASE_SIZE)
          {
            g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID,
                         _("The password is too long: the system's crypt library hashes at most %u bytes."),
                         (guint) CRYPT_MAX_PASSPHRASE_SIZE - 1);
            return NULL;
          }
        if (!fill_random (entropy, sizeof entropy, error))
          return NULL;
        made_salt = crypt_gensalt_rn (crypt_prefixes[id], rounds, (const char *) entropy, sizeof entropy,
                                      setting, sizeof setting) != NULL;
        explicit_bzero (entropy, sizeof entropy);
        if (made_salt)
          hash = crypt_copy (password, setting);
        if (hash == NULL)
          {
            g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_FAILED,
                         _("The system's crypt library cannot make %s password hashes."), _(scheme->label));
            return NULL;
          }
      }
      break;

    case SCHEME_MD5SUM:
    case SCHEME_SHA1:
    case SCHEME_SHA256:
    case SCHEME_SHA512:
    case SCHEME_WHIRLPOOL:
    case SCHEME_TIGER:
      {
        int t = find_type (scheme->encryption_type);

        g_assert (t >= 0);
        hash = hex_digest (types[t].digest, password, error);
        if (hash == NULL)
          return NULL;
      }
      break;

    case SCHEME_MD5BASE64:
    case N_SCHEMES:
    default:
      g_assert_not_reached ();
    }

  /* Only plain text can get here today; the check keeps it true for new schemes. */
  if (strlen (hash) > MW_PASSWORD_MAX_STORED)
    {
      g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID,
                   _("The hashed password is longer than the %u characters DBMail accepts."),
                   (guint) MW_PASSWORD_MAX_STORED);
      return NULL;
    }

  if (encryption_type != NULL)
    *encryption_type = scheme->encryption_type;
  return g_steal_pointer (&hash);
}

gboolean
mw_password_verify (const char  *encryption_type,
                    const char  *stored,
                    const char  *password,
                    GError     **error)
{
  g_autoptr(WipedString) dbpass = NULL;
  g_autoptr(WipedString) computed = NULL;
  GError *local_error = NULL;
  int t;

  g_return_val_if_fail (encryption_type != NULL, FALSE);
  g_return_val_if_fail (stored != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  t = find_type (encryption_type);
  if (t < 0)
    {
      if (g_ascii_strcasecmp (encryption_type, "plaintext") == 0)
        g_set_error_literal (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME,
                             _("DBMail refuses every login for the encryption type “plaintext”: "
                               "a plain-text password needs an empty encryption type."));
      else
        g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME,
                     _("DBMail does not know the encryption type “%s” and refuses every login for it."),
                     encryption_type);
      return FALSE;
    }

  if (stored[0] == '\0')
    return FALSE;
  dbpass = g_strndup (stored, DBMAIL_COLUMN_WIDTH);

  switch (types[t].type)
    {
    case TYPE_PLAIN:
      return strcmp (dbpass, password) == 0;

    case TYPE_CRYPT:
      computed = crypt_copy (password, dbpass);
      return computed != NULL && strcmp (computed, dbpass) == 0;

    case TYPE_MD5:
      if (g_str_has_prefix (dbpass, "$1$"))
        {
          computed = crypt_copy (password, dbpass);
          return computed != NULL && strncmp (dbpass, computed, 34) == 0;
        }
      break;   /* hex MD5 below */

    case TYPE_MD5BASE64:
      computed = md5_base64_dbmail (password);
      return strncmp (computed, dbpass, types[t].compared) == 0;

    case TYPE_MD5SUM:
    case TYPE_SHA1:
    case TYPE_SHA256:
    case TYPE_SHA512:
    case TYPE_WHIRLPOOL:
    case TYPE_TIGER:
      break;

    case TYPE_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  computed = hex_digest (types[t].digest, password, &local_error);
  if (computed == NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  /* strncmp, like DBMail: a stored value with extra characters after the
   * compared ones still logs in, a shorter one never does. */
  return strncmp (computed, dbpass, types[t].compared) == 0;
}

const MwPasswordScheme *
mw_password_identify (const char *encryption_type,
                      const char *stored)
{
  int t;
  int id;

  g_return_val_if_fail (encryption_type != NULL, NULL);
  g_return_val_if_fail (stored != NULL, NULL);

  t = find_type (encryption_type);
  if (t < 0 || stored[0] == '\0')
    return NULL;

  switch (types[t].type)
    {
    case TYPE_PLAIN:
      return &schemes[SCHEME_PLAINTEXT];

    case TYPE_CRYPT:
      id = identify_crypt (stored);
      return id >= 0 ? &schemes[id] : NULL;

    case TYPE_MD5:
      if (g_str_has_prefix (stored, "$1$"))
        return &schemes[SCHEME_MD5_CRYPT];
      break;

    case TYPE_MD5BASE64:
      for (guint i = 0; i < 22; i++)
        if (!g_ascii_isalnum (stored[i]) && stored[i] != '+' && stored[i] != '/')
          return NULL;
      for (guint i = 22; i < types[t].compared; i++)
        if (stored[i] != 'A')
          return NULL;
      return &schemes[SCHEME_MD5BASE64];

    case TYPE_MD5SUM:
    case TYPE_SHA1:
    case TYPE_SHA256:
    case TYPE_SHA512:
    case TYPE_WHIRLPOOL:
    case TYPE_TIGER:
      break;

    case TYPE_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  if (!has_lower_hex_prefix (stored, types[t].compared))
    return NULL;
  return &schemes[types[t].scheme];
}

char *
mw_password_to_dovecot (const char *encryption_type,
                        const char *stored)
{
  const MwPasswordScheme *scheme;

  g_return_val_if_fail (encryption_type != NULL, NULL);
  g_return_val_if_fail (stored != NULL, NULL);

  scheme = mw_password_identify (encryption_type, stored);
  if (scheme == NULL)
    {
      /* Other crypt(3) methods ($7$ scrypt, $gy$, ...): Dovecot's CRYPT calls
       * the same libxcrypt. */
      int checked;

      if (g_ascii_strcasecmp (encryption_type, "crypt") != 0 || stored[0] == '\0')
        return NULL;
      checked = crypt_checksalt (stored);
      if (checked != CRYPT_SALT_OK && checked != CRYPT_SALT_METHOD_LEGACY && checked != CRYPT_SALT_TOO_CHEAP)
        return NULL;
      return g_strconcat ("{CRYPT}", stored, NULL);
    }

  switch ((SchemeId) (scheme - schemes))
    {
    case SCHEME_PLAINTEXT:
      return g_strconcat ("{PLAIN}", stored, NULL);
    case SCHEME_CRYPT_DES:
    case SCHEME_YESCRYPT:   /* Dovecot has no YESCRYPT label */
      return g_strconcat ("{CRYPT}", stored, NULL);
    case SCHEME_MD5_CRYPT:
      /* Under "md5" DBMail compares only 34 characters. */
      return g_strdup_printf ("{MD5-CRYPT}%.34s", stored);
    case SCHEME_SHA256_CRYPT:
      return g_strconcat ("{SHA256-CRYPT}", stored, NULL);
    case SCHEME_SHA512_CRYPT:
      return g_strconcat ("{SHA512-CRYPT}", stored, NULL);
    case SCHEME_BCRYPT:
      return g_strconcat ("{BLF-CRYPT}", stored, NULL);
    case SCHEME_MD5SUM:
      return g_strdup_printf ("{PLAIN-MD5}%.32s", stored);
    case SCHEME_SHA1:
      /* DBMail checks 32 of the 40 digits; Dovecot needs all of them. */
      if (!has_lower_hex_prefix (stored, 40))
        return NULL;
      return g_strdup_printf ("{SHA1.HEX}%.40s", stored);
    case SCHEME_SHA256:
      return g_strdup_printf ("{SHA256.HEX}%.64s", stored);
    case SCHEME_SHA512:
      return g_strdup_printf ("{SHA512.HEX}%.128s", stored);
    case SCHEME_MD5BASE64:
    case SCHEME_WHIRLPOOL:
    case SCHEME_TIGER:
      return NULL;
    case N_SCHEMES:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

char *
mw_password_generate (guint    length,
                      GError **error)
{
  /* No 0/O, 1/l/I: people read these passwords off a screen. */
  static const char alphabet[] = "23456789"
                                 "abcdefghijkmnopqrstuvwxyz"
                                 "ABCDEFGHJKLMNPQRSTUVWXYZ";
  const guint n_symbols = sizeof alphabet - 1;
  /* Bytes at or above this would make the first symbols more likely. */
  const guint limit = 256 - 256 % n_symbols;
  g_autoptr(WipedString) password = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 2 || length > MW_PASSWORD_MAX_STORED)
    {
      g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_INVALID,
                   _("A generated password must have between 2 and %u characters."),
                   (guint) MW_PASSWORD_MAX_STORED);
      return NULL;
    }

  password = g_malloc0 (length + 1);
  for (;;)
    {
      gboolean has_digit = FALSE;
      gboolean has_letter = FALSE;
      guint filled = 0;

      while (filled < length)
        {
          guint8 bytes[64];

          if (!fill_random (bytes, sizeof bytes, error))
            return NULL;
          for (guint i = 0; i < sizeof bytes && filled < length; i++)
            if (bytes[i] < limit)
              password[filled++] = alphabet[bytes[i] % n_symbols];
          explicit_bzero (bytes, sizeof bytes);
        }

      for (guint i = 0; i < length; i++)
        {
          if (g_ascii_isdigit (password[i]))
            has_digit = TRUE;
          else
            has_letter = TRUE;
        }
      if (has_digit && has_letter)
        return g_steal_pointer (&password);
    }
}

void
mw_password_free (char *password)
{
  wipe_string (password);
}
