/* mw-address.h: checks aliases and forward targets, and turns them into the form DBMail stores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MW_ADDRESS_ERROR (mw_address_error_quark ())

typedef enum
{
  MW_ADDRESS_ERROR_EMPTY,
  MW_ADDRESS_ERROR_TOO_LONG,       /* the whole, the local part, the domain or a label of it */
  MW_ADDRESS_ERROR_ENCODING,       /* not UTF-8; a control or invisible character (bidi too) */
  MW_ADDRESS_ERROR_LOCAL_PART,
  MW_ADDRESS_ERROR_DOMAIN,         /* also: no "@" at all in an alias */
  MW_ADDRESS_ERROR_CATCH_ALL,      /* a catch-all given without MW_ADDRESS_ALLOW_CATCH_ALL */
  MW_ADDRESS_ERROR_NOT_A_TARGET,   /* a number (user_idnr), a catch-all, an empty pipe, no "@" */
} MwAddressError;

typedef enum
{
  MW_ADDRESS_PLAIN,                /* local@domain */
  MW_ADDRESS_CATCH_ALL_DOMAIN,     /* @domain */
  MW_ADDRESS_CATCH_ALL_SUBDOMAINS, /* @.domain: every subdomain, not the parent */
  MW_ADDRESS_CATCH_ALL_LOCAL,      /* local@: that local part at any domain */
} MwAddressKind;

typedef enum
{
  MW_ADDRESS_FLAGS_NONE      = 0,
  MW_ADDRESS_ALLOW_CATCH_ALL = 1 << 0,  /* the admin explicitly chose a catch-all */
  MW_ADDRESS_BYPASS          = 1 << 1,  /* explicit bypass: store a non-RFC-5321 alias as typed */
} MwAddressFlags;

/* DBMail's columns: dbmail_aliases.alias is VARCHAR(100) on PostgreSQL and
 * deliver_to VARCHAR(250) (MySQL allows 255 for both; the smaller limits hold
 * everywhere). Lengths are in characters, as VARCHAR counts them, of the text
 * as stored. */
#define MW_ADDRESS_ALIAS_MAX_CHARS  100
#define MW_ADDRESS_TARGET_MAX_CHARS 250

GQuark    mw_address_error_quark      (void);

/* Checks an alias (the dbmail_aliases.alias column) and returns it in the
 * form to store.
 *
 * - Whitespace around the text is trimmed.
 * - The domain becomes its lowercase ASCII form (A-labels, "xn--..."), since
 *   the MTA hands DBMail that form: IDNA2008 with the UTS #46 mapping,
 *   non-transitional (ß stays ß: "straße.de" -> "xn--strae-oqa.de", as
 *   Postfix and current browsers do). Only when a name has a character
 *   IDNA2008 disallows (symbols such as ☃ or ❤ that IDNA2003 allowed) is the
 *   transitional mapping tried, and not when that would change ß, ς or a
 *   zero-width joiner. An all-ASCII label that is not "xn--..." is only
 *   lowercased, so LDH names like "r3--sn-abc" stay valid.
 * - The local part keeps its case (DBMail compares with lower()). A UTF-8
 *   local part (SMTPUTF8, RFC 6531) is accepted and put in NFC. A quoted
 *   local part is stored quoted only when it needs the quotes, and then with
 *   a backslash only before " and \: that is how Postfix hands it on
 *   ("\"abc\"@x" -> "abc@x"; "\"o'hara; drop\"@x" stays as it is).
 * - RFC 5321: the local part is a dot-atom or a quoted string, at most 64
 *   octets; domain labels are letters, digits and hyphens, no hyphen first or
 *   last, at most 63 octets each, 255 in all.
 * - A single-label domain ("root@localhost") is accepted: DBMail matches
 *   text, and MTAs do hand it local names. A domain whose last label is all
 *   digits is refused; an IP address must be an address literal.
 * - Address literals are accepted: "[192.0.2.1]" and "[IPv6:2001:db8::1]"
 *   (the tag written "IPv6", the address lowercased). Not after "@.".
 * - At most MW_ADDRESS_ALIAS_MAX_CHARS characters once converted.
 * - A catch-all ("@domain", "@.domain", "local@") needs
 *   MW_ADDRESS_ALLOW_CATCH_ALL, also with MW_ADDRESS_BYPASS.
 *
 * With MW_ADDRESS_BYPASS the trimmed text is stored exactly as typed: no
 * RFC 5321 check, no IDN conversion, nothing lowercased. Empty text, invalid
 * UTF-8, control characters, "@" alone and more than 100 characters are
 * still refused.
 *
 * @kind: (out) (optional): what the alias is, set on success.
 * Returns: (transfer full): the alias to store, or NULL with @error set. */
char     *mw_address_normalize_alias  (const char      *text,
                                       MwAddressFlags   flags,
                                       MwAddressKind   *kind,
                                       GError         **error);

/* Checks a forward target (dbmail_aliases.deliver_to): an external address
 * (the rules of a plain alias, no catch-all), or a pipe "|command" or
 * "!command" (DBMail reads any target starting with | or ! as one) with a
 * command that is not empty. Whitespace around is trimmed; control
 * characters, line breaks included, are refused. At most
 * MW_ADDRESS_TARGET_MAX_CHARS characters. A bare number would be read as a
 * user_idnr and is refused with MW_ADDRESS_ERROR_NOT_A_TARGET.
 *
 * @is_pipe: (out) (optional): set on success.
 * Returns: (transfer full): the target to store, or NULL with @error set. */
char     *mw_address_normalize_target (const char      *text,
                                       gboolean        *is_pipe,
                                       GError         **error);

/* For display: the address with its domain in Unicode (U-labels) when it has
 * A-labels that convert back to exactly the same domain; any other text is
 * returned as is (invalid UTF-8 made valid).
 * Returns: (transfer full) */
char     *mw_address_to_display       (const char      *stored);

/* The domain of a stored alias, lowercased as lower() would: the text after
 * the last "@", without the leading dot of a subdomain catch-all
 * ("@.sub.example.org" -> "sub.example.org"). NULL when there is none
 * ("local@" catch-alls, text without "@").
 * Returns: (transfer full) (nullable) */
char     *mw_address_get_domain       (const char      *stored);

/* lower(a) = lower(b), as DBMail compares aliases: each character mapped by
 * its simple (one-to-one) lowercase mapping, which is what PostgreSQL's
 * lower() does in a UTF-8 database with a libc locale (towlower) and
 * MariaDB's LOWER() does for utf8mb4. Not case folding: "Straße" and
 * "STRASSE" differ, as they do in the database. (PostgreSQL with
 * LC_CTYPE=C lowers only ASCII, and an ICU collation uses full mappings
 * such as İ -> i̇; both differ only for non-ASCII local parts, since domains
 * are stored in ASCII.) Invalid UTF-8 is compared with ASCII case folding
 * only. */
gboolean  mw_address_equal            (const char      *a,
                                       const char      *b);

/* Control characters, line and paragraph separators, and the invisible
 * characters that reorder or hide text (bidi controls such as U+202E, the
 * zero-width space U+200B, the byte order mark...). No alias, forward target
 * or user name may hold one. */
gboolean  mw_address_is_forbidden_char (gunichar        c);

/* User text to quote in a message: valid UTF-8 whatever came in (@len bytes,
 * or -1), each character mw_address_is_forbidden_char() refuses shown as
 * U+FFFD, so that no control byte reaches a terminal, and cut after 80
 * characters.
 * Returns: (transfer full) */
char     *mw_address_quote_for_message (const char     *text,
                                        gssize          len);

/* A warning for an address (as typed or as stored) whose domain could be
 * taken for another one, as browsers warn: a label mixing scripts (Latin
 * with Cyrillic or Greek, for example the Cyrillic "а" in "аpple.com"; the
 * mixes Japanese, Chinese and Korean names use with Latin are fine, as UTS
 * #39 "highly restrictive" allows), or a label written only in Cyrillic
 * letters that look like Latin ones ("аре.com") under a top-level domain
 * that is not Cyrillic. A-labels are read back with IDNA2008. The address
 * is not refused for it: the warning is for the person to check.
 * Returns: (transfer full) (nullable): a translated sentence, or NULL. */
char     *mw_address_get_warning       (const char     *address);

/* A header cache value of From, To or Cc as a list shows it: an address
 * without a display name alone ("a@b.example"), where DBMail's cache keeps
 * it as " <a@b.example>"; named ones, groups and anything else as stored,
 * the elements joined by ", ". NULL gives "".
 * Returns: (transfer full) */
char     *mw_address_list_for_display  (const char     *value);

G_END_DECLS
