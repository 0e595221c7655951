/* mw-password.h: hashing and checking DBMail user passwords exactly as DBMail 3.5 does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MW_PASSWORD_ERROR (mw_password_error_quark ())

typedef enum
{
  MW_PASSWORD_ERROR_UNKNOWN_SCHEME,  /* scheme name or encryption_type we do not know */
  MW_PASSWORD_ERROR_VERIFY_ONLY,     /* md5base64: DBMail's stored form is broken, we only verify it */
  MW_PASSWORD_ERROR_INVALID,         /* empty password, invalid UTF-8, longer than DBMail accepts */
  MW_PASSWORD_ERROR_FAILED,          /* crypt library or random source failed */
} MwPasswordError;

typedef struct
{
  const char *name;             /* CLI/settings id: "plaintext", "crypt-des", "md5-crypt", "sha512-crypt", "md5sum", ... */
  const char *encryption_type;  /* what goes into dbmail_users.encryption_type: "", "crypt", "md5", "md5sum", "sha1", ... */
  const char *label;            /* untranslated (N_); show it with _() */
  gboolean    writable;         /* FALSE for md5base64 */
  gboolean    salted;
  guint       used_bytes;       /* bytes of the password the scheme looks at; 0 = all (DES 8, bcrypt 72) */
} MwPasswordScheme;

#define MW_PASSWORD_DEFAULT_SCHEME "sha512-crypt"

/* The longest passwd (and spasswd) value DBMail accepts. */
#define MW_PASSWORD_MAX_STORED 130

GQuark                  mw_password_error_quark   (void);

/* Returns: (transfer none): every scheme, in a fixed order; *n_schemes is set. */
const MwPasswordScheme *mw_password_get_schemes   (guint       *n_schemes);

/* Case-insensitive. Accepts our names and the dbmail-users -p spellings
 * (plaintext, crypt, md5, md5-hash, md5sum, md5-digest, md5base64, md5-base64,
 * sha1, sha256, sha512, whirlpool, tiger) and "blf-crypt". NULL or "" gives
 * NULL, so an empty setting never silently means plain text. */
const MwPasswordScheme *mw_password_lookup_scheme (const char  *name);

/* The same for a scheme new passwords can be written in: NULL with the
 * sentence why not (an unknown name lists the known ones; md5base64 is
 * verify-only). */
const MwPasswordScheme *mw_password_lookup_writable_scheme (const char  *name,
                                                            GError     **error);

/* bcrypt's cost when none is asked for (2^12 rounds, about 0.23 s a hash
 * here); libxcrypt's own default of 5 is too cheap for stored passwords. */
#define MW_PASSWORD_BCRYPT_DEFAULT_COST 12

/* Hashes password for storage with a fresh random salt (getrandom(2)), at
 * the scheme's default cost: bcrypt MW_PASSWORD_BCRYPT_DEFAULT_COST, the
 * others libxcrypt's defaults (sha-crypt 5000 rounds, yescrypt 5).
 * Returns: (transfer full): the passwd column value; *encryption_type (may be
 * NULL) gets the static encryption_type string. Thread-safe. */
char                   *mw_password_hash          (const char  *scheme_name,
                                                   const char  *password,
                                                   const char **encryption_type,
                                                   GError     **error);

/* The same with a chosen cost: rounds 0 is the default above; otherwise
 * bcrypt's cost (4..31, 2^N rounds), sha256-crypt's and sha512-crypt's
 * rounds (1000..999999999) or yescrypt's cost (1..11). Other schemes have a
 * fixed cost and refuse rounds other than 0 (MW_PASSWORD_ERROR_INVALID). */
char                   *mw_password_hash_with_rounds (const char  *scheme_name,
                                                      const char  *password,
                                                      gulong       rounds,
                                                      const char **encryption_type,
                                                      GError     **error);

/* Whether rounds (0 = default) suit the scheme, with the sentence why not;
 * for checking a setting before any password is hashed. */
gboolean                mw_password_check_rounds  (const char  *scheme_name,
                                                   gulong       rounds,
                                                   GError     **error);

/* Whether the scheme takes a cost at all (sha-crypt, bcrypt, yescrypt). */
gboolean                mw_password_scheme_has_rounds (const char *scheme_name);

/* Exactly what DBMail 3.5 db_user_validate does: TRUE when the password
 * would log in. FALSE without an error is a mismatch (also for an empty
 * stored value). An error (MW_PASSWORD_ERROR_UNKNOWN_SCHEME) only for an
 * encryption_type DBMail never validates; MW_PASSWORD_ERROR_FAILED if
 * libgcrypt cannot compute Whirlpool or Tiger. Thread-safe. */
gboolean                mw_password_verify        (const char  *encryption_type,
                                                   const char  *stored,
                                                   const char  *password,
                                                   GError     **error);

/* Which scheme a stored value uses, for display: ("crypt", "$6$...") gives
 * sha512-crypt, ("md5", "$1$...") md5-crypt, ("md5", 32 hex digits) md5sum.
 * The scheme's encryption_type is the one we would write, which can differ
 * from the stored one (md5-crypt under "crypt"). Returns: (transfer none)
 * (nullable): NULL for an unknown type, an empty value, or a value that
 * cannot match any password under its type (e.g. uppercase hex). */
const MwPasswordScheme *mw_password_identify      (const char  *encryption_type,
                                                   const char  *stored);

/* The same hash as Dovecot reads it: "{SHA512-CRYPT}$6$...", "{CRYPT}$y$...",
 * "{MD5-CRYPT}$1$...", "{BLF-CRYPT}$2b$...", "{PLAIN}x", "{PLAIN-MD5}hex",
 * "{SHA1.HEX}hex", "{SHA256.HEX}hex", "{SHA512.HEX}hex". Only the part DBMail
 * compares is passed on. Returns: (transfer full) (nullable): NULL where
 * Dovecot has no scheme (whirlpool, tiger, md5base64, SHA-1 truncated to 32
 * digits) or the value cannot log in to DBMail. */
char                   *mw_password_to_dovecot    (const char  *encryption_type,
                                                   const char  *stored);

/* A random password from getrandom(2): length characters from an alphabet
 * without look-alikes (no 0, O, 1, l, I), with at least one digit and one
 * letter. length must be 2..MW_PASSWORD_MAX_STORED. Returns: (transfer full):
 * free it with mw_password_free(). */
char                   *mw_password_generate      (guint        length,
                                                   GError     **error);

/* Overwrites the string with zeros, then frees it. NULL is allowed. */
void                    mw_password_free          (char        *password);

G_END_DECLS
