/* mw-address.c: checks aliases and forward targets, and turns them into the form DBMail stores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-address"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <idn2.h>
#include <stdlib.h>
#include <string.h>

#include "mw-address.h"

G_DEFINE_QUARK (mw-address-error-quark, mw_address_error)

#define LOCAL_PART_MAX_OCTETS 64
#define LABEL_MAX_OCTETS      63
#define DOMAIN_MAX_OCTETS     255
/* No conversion shortens text this much, so longer input is refused before
 * it is converted at all. */
#define INPUT_MAX_CHARS       1000
/* User text quoted in an error message is cut after this many characters. */
#define MESSAGE_MAX_CHARS     80

#define IDN_FLAGS_NONTRANSITIONAL (IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL)
#define IDN_FLAGS_TRANSITIONAL    (IDN2_NFC_INPUT | IDN2_TRANSITIONAL)

typedef enum
{
  ROLE_ALIAS,
  ROLE_TARGET,
} Role;

/* Control characters, line and paragraph separators, and the invisible
 * characters that reorder or hide text. None belongs in an address or a
 * command, and bidi controls would make the address shown differ from the
 * address stored. Joiners (U+200C, U+200D) are not here: some scripts need
 * them, and IDNA checks their context in domains. */
gboolean
mw_address_is_forbidden_char (gunichar c)
{
  if (g_unichar_iscntrl (c))
    return TRUE;

  switch (c)
    {
    case 0x061C:                 /* Arabic letter mark */
    case 0x200B:                 /* zero-width space */
    case 0x200E: case 0x200F:    /* LRM, RLM */
    case 0x2028: case 0x2029:    /* line and paragraph separators */
    case 0x202A: case 0x202B: case 0x202C: case 0x202D: case 0x202E:
    case 0x2060:                 /* word joiner */
    case 0x2066: case 0x2067: case 0x2068: case 0x2069:
    case 0xFEFF:                 /* byte order mark */
      return TRUE;
    default:
      return FALSE;
    }
}

char *
mw_address_quote_for_message (const char *text,
                              gssize      len)
{
  g_autofree char *valid = g_utf8_make_valid (text, len);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n++ == MESSAGE_MAX_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      g_string_append_unichar (out, mw_address_is_forbidden_char (c) ? 0xFFFD : c);
    }

  return g_string_free (out, FALSE);
}

static gboolean
str_is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
str_is_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* Lowercase as lower() does: the simple one-to-one mapping, character by character. */
static char *
lower_simple (const char *s)
{
  GString *out = g_string_sized_new (strlen (s));

  for (; *s != '\0'; s = g_utf8_next_char (s))
    g_string_append_unichar (out, g_unichar_tolower (g_utf8_get_char (s)));

  return g_string_free (out, FALSE);
}

static char *
dup_trimmed (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

static guint
role_max_chars (Role role)
{
  return role == ROLE_ALIAS ? MW_ADDRESS_ALIAS_MAX_CHARS : MW_ADDRESS_TARGET_MAX_CHARS;
}

/* stored is what would be stored; shown is the text as typed. converted: the
 * domain had to be written in ASCII, which made it longer. */
static gboolean
check_length (const char  *stored,
              const char  *shown,
              Role         role,
              gboolean     converted,
              GError     **error)
{
  gulong n = g_utf8_strlen (stored, -1);
  guint max = role_max_chars (role);
  g_autofree char *q = NULL;

  if (n <= max)
    return TRUE;

  q = mw_address_quote_for_message (shown, -1);
  if (role == ROLE_ALIAS && converted)
    g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
                 g_dngettext (GETTEXT_PACKAGE,
                              /* Translators: the first number is never below 101 */
                              "The alias “%s” is %lu character long once its domain is written "
                              "in the ASCII form (xn--…) mail servers use; an alias can have at "
                              "most %u.",
                              "The alias “%s” is %lu characters long once its domain is written "
                              "in the ASCII form (xn--…) mail servers use; an alias can have at "
                              "most %u.",
                              n),
                 q, n, max);
  else if (role == ROLE_ALIAS)
    g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
                 g_dngettext (GETTEXT_PACKAGE,
                              /* Translators: the first number is never below 101 */
                              "The alias “%s” is %lu character long; an alias can have at most %u.",
                              "The alias “%s” is %lu characters long; an alias can have at most "
                              "%u.",
                              n),
                 q, n, max);
  else if (converted)
    g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
                 g_dngettext (GETTEXT_PACKAGE,
                              /* Translators: the first number is never below 251 */
                              "The forward target “%s” is %lu character long once its domain is "
                              "written in the ASCII form (xn--…) mail servers use; a target can "
                              "have at most %u.",
                              "The forward target “%s” is %lu characters long once its domain is "
                              "written in the ASCII form (xn--…) mail servers use; a target can "
                              "have at most %u.",
                              n),
                 q, n, max);
  else
    g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
                 g_dngettext (GETTEXT_PACKAGE,
                              /* Translators: the first number is never below 251 */
                              "The forward target “%s” is %lu character long; a target can have "
                              "at most %u.",
                              "The forward target “%s” is %lu characters long; a target can have "
                              "at most %u.",
                              n),
                 q, n, max);

  return FALSE;
}

/* The checks every alias and target gets, bypass or not. Returns the trimmed text. */
static char *
check_text (const char  *text,
            Role         role,
            GError     **error)
{
  g_autofree char *trimmed = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *q = mw_address_quote_for_message (text, -1);

      if (role == ROLE_ALIAS)
        g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_ENCODING,
                     _("The alias “%s” is not valid UTF-8 text. Type it again."), q);
      else
        g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_ENCODING,
                     _("The forward target “%s” is not valid UTF-8 text. Type it again."), q);
      return NULL;
    }

  trimmed = dup_trimmed (text);
  if (trimmed[0] == '\0')
    {
      if (role == ROLE_ALIAS)
        g_set_error_literal (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_EMPTY,
                             _("The alias is empty. Enter an address such as name@example.com."));
      else
        g_set_error_literal (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_EMPTY,
                             _("The forward target is empty. Enter an address such as "
                               "name@example.com, or a command after “|”."));
      return NULL;
    }

  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (mw_address_is_forbidden_char (c))
        {
          g_autofree char *q = mw_address_quote_for_message (trimmed, -1);

          if (role == ROLE_ALIAS)
            g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_ENCODING,
                         /* Translators: %04X is a Unicode code point, as in U+000A */
                         _("The alias “%s” contains a control character or an invisible "
                           "character (U+%04X). Remove it."), q, (guint) c);
          else
            g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_ENCODING,
                         /* Translators: %04X is a Unicode code point, as in U+000A */
                         _("The forward target “%s” contains a control character or an invisible "
                           "character (U+%04X), such as a line break. A target must be one line "
                           "of text."), q, (guint) c);
          return NULL;
        }
    }

  if (g_utf8_strlen (trimmed, -1) > INPUT_MAX_CHARS)
    {
      check_length (trimmed, trimmed, role, FALSE, error);
      return NULL;
    }

  return g_steal_pointer (&trimmed);
}

/* Local part */

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* RFC 5321 Dot-string with RFC 6531 UTF-8: atext and any non-ASCII
 * character but a space, in dot-separated runs. */
static gboolean
is_dot_atom (const char *s)
{
  gboolean after_dot = TRUE;

  if (*s == '\0')
    return FALSE;

  for (; *s != '\0'; s = g_utf8_next_char (s))
    {
      gunichar c = g_utf8_get_char (s);

      if (c == '.')
        {
          if (after_dot)
            return FALSE;
          after_dot = TRUE;
          continue;
        }
      if (c < 0x80 ? !is_atext ((char) c) : g_unichar_isspace (c))
        return FALSE;
      after_dot = FALSE;
    }

  return !after_dot;
}

/* Explains why an unquoted local part is not a dot-atom. */
static void
set_dot_atom_error (const char  *local,
                    GError     **error)
{
  g_autofree char *q = mw_address_quote_for_message (local, -1);
  const char *p;

  for (p = local; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                       _("The local part “%s” (before the “@”) contains a space. If the address "
                         "really has one, put the local part in double quotes."), q);
          return;
        }
      if (c == '@')
        {
          g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                       _("The local part “%s” (before the last “@”) contains “@”. An address has "
                         "only one, unless its local part is in double quotes."), q);
          return;
        }
      if (c < 0x80 && c != '.' && !is_atext ((char) c))
        {
          char bad[2] = { (char) c, '\0' };

          g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                       _("The local part “%s” (before the “@”) contains “%s”, which is only "
                         "allowed when the local part is in double quotes."), q, bad);
          return;
        }
    }

  if (local[0] == '.')
    g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                 _("The local part “%s” (before the “@”) starts with a dot. If the address really "
                   "is like this, put the local part in double quotes."), q);
  else if (p > local && p[-1] == '.')
    g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                 _("The local part “%s” (before the “@”) ends with a dot. If the address really "
                   "is like this, put the local part in double quotes."), q);
  else
    g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                 _("The local part “%s” (before the “@”) has two dots in a row. If the address "
                   "really is like this, put the local part in double quotes."), q);
}

/* The quoted string in its minimal form, as Postfix hands it on. */
static char *
quote_local_part (const char *content)
{
  GString *out;

  if (is_dot_atom (content))
    return g_strdup (content);

  out = g_string_new ("\"");
  for (const char *p = content; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

/* RFC 5321 Quoted-string (with RFC 6531 UTF-8), starting at the opening quote. */
static char *
normalize_quoted_local_part (const char  *local,
                             GError     **error)
{
  g_autofree char *q = mw_address_quote_for_message (local, -1);
  g_autoptr(GString) content = g_string_new (NULL);
  const char *p = local + 1;

  g_assert (local[0] == '"');

  for (;;)
    {
      if (*p == '\0')
        {
          g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                       _("The local part “%s” (before the “@”) opens a double quote but does not "
                         "close it."), q);
          return NULL;
        }
      if (*p == '"')
        break;
      if (*p == '\\')
        {
          if ((guchar) p[1] < 0x20 || (guchar) p[1] > 0x7e)
            {
              g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                           _("In the local part “%s” (before the “@”), a backslash must be "
                             "followed by a printable ASCII character."), q);
              return NULL;
            }
          g_string_append_c (content, p[1]);
          p += 2;
          continue;
        }
      /* Any other character: forbidden ones were refused before. */
      g_string_append_len (content, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  if (p[1] != '\0')
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                   _("The local part “%s” (before the “@”) goes on after its closing double "
                     "quote. Put all of it inside the quotes."), q);
      return NULL;
    }
  if (content->len == 0)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_LOCAL_PART,
                   _("The local part “%s” (before the “@”) is empty."), q);
      return NULL;
    }

  return quote_local_part (content->str);
}

static char *
normalize_local_part (const char  *local,
                      GError     **error)
{
  /* RFC 6532 3.1: UTF-8 addresses should be in NFC; text pasted from some
   * systems is decomposed and would never match. */
  g_autofree char *nfc = g_utf8_normalize (local, -1, G_NORMALIZE_NFC);
  g_autofree char *result = NULL;

  if (nfc[0] == '"')
    {
      result = normalize_quoted_local_part (nfc, error);
      if (result == NULL)
        return NULL;
    }
  else if (is_dot_atom (nfc))
    result = g_steal_pointer (&nfc);
  else
    {
      set_dot_atom_error (local, error);
      return NULL;
    }

  if (strlen (result) > LOCAL_PART_MAX_OCTETS)
    {
      g_autofree char *q = mw_address_quote_for_message (local, -1);

      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The local part “%s” (before the “@”) is %lu byte long; it can "
                                "have at most %u.",
                                "The local part “%s” (before the “@”) is %lu bytes long; it can "
                                "have at most %u.",
                                (gulong) strlen (result)),
                   q, (gulong) strlen (result), (guint) LOCAL_PART_MAX_OCTETS);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/* Domain */

/* Dotted decimal, four numbers 0..255 without leading zeros. */
static gboolean
is_ipv4 (const char *s)
{
  g_auto(GStrv) parts = g_strsplit (s, ".", -1);

  if (g_strv_length (parts) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      const char *part = parts[i];

      if (!str_is_digits (part) || strlen (part) > 3 || (part[0] == '0' && part[1] != '\0') ||
          atoi (part) > 255)
        return FALSE;
    }

  return TRUE;
}

static char *
normalize_address_literal (const char  *domain,
                           GError     **error)
{
  g_autofree char *q = mw_address_quote_for_message (domain, -1);
  gsize len = strlen (domain);
  g_autofree char *inner = NULL;

  g_assert (domain[0] == '[');

  if (len >= 2 && domain[len - 1] == ']')
    {
      inner = g_strndup (domain + 1, len - 2);

      if (is_ipv4 (inner))
        return g_strdup (domain);

      if (g_ascii_strncasecmp (inner, "IPv6:", 5) == 0)
        {
          const char *addr = inner + 5;

          /* No zone: it means nothing outside the host that wrote it. */
          if (strchr (addr, ':') != NULL && strchr (addr, '%') == NULL &&
              g_hostname_is_ip_address (addr))
            {
              g_autofree char *lower = g_ascii_strdown (addr, -1);

              return g_strdup_printf ("[IPv6:%s]", lower);
            }
        }
    }

  g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
               _("The address literal “%s” is not an IPv4 address such as [192.0.2.1] or an "
                 "IPv6 address such as [IPv6:2001:db8::1]."), q);
  return NULL;
}

static void
set_bad_char_error (const char  *domain,
                    GError     **error)
{
  g_autofree char *qd = mw_address_quote_for_message (domain, -1);

  g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
               _("The domain “%s” contains a character that cannot be part of a domain name."), qd);
}

static void
set_label_too_long_error (const char  *domain,
                          const char  *label,
                          GError     **error)
{
  g_autofree char *qd = mw_address_quote_for_message (domain, -1);
  g_autofree char *ql = mw_address_quote_for_message (label, -1);

  g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
               _("The part “%s” of the domain “%s” is too long: a part between dots can have at "
                 "most 63 characters (an international name counts in its xn-- form)."), ql, qd);
}

static void
set_idn_error (int          rc,
               const char  *domain,
               const char  *label,
               GError     **error)
{
  g_autofree char *qd = mw_address_quote_for_message (domain, -1);
  g_autofree char *ql = mw_address_quote_for_message (label, -1);

  switch (rc)
    {
    case IDN2_TOO_BIG_LABEL:
    case IDN2_PUNYCODE_BIG_OUTPUT:   /* the label is too long once encoded */
      set_label_too_long_error (domain, label, error);
      break;

    case IDN2_TOO_BIG_DOMAIN:
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
                   _("The domain “%s” is too long: a domain name can have at most 255 characters."),
                   qd);
      break;

    case IDN2_DISALLOWED:
      set_bad_char_error (domain, error);
      break;

    case IDN2_UNASSIGNED:
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                   _("The domain “%s” contains a character that Unicode has not assigned yet."),
                   qd);
      break;

    case IDN2_BIDI:
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                   _("The domain “%s” mixes right-to-left and left-to-right text in a way domain "
                     "names do not allow."), qd);
      break;

    case IDN2_CONTEXTJ:
    case IDN2_CONTEXTJ_NO_RULE:
    case IDN2_CONTEXTO:
    case IDN2_CONTEXTO_NO_RULE:
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                   _("The domain “%s” contains a joiner or another special character in a place "
                     "where domain names do not allow it."), qd);
      break;

    case IDN2_LEADING_COMBINING:
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                   _("The part “%s” of the domain “%s” starts with a combining mark, such as an "
                     "accent without its letter."), ql, qd);
      break;

    case IDN2_2HYPHEN:
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                   _("The part “%s” of the domain “%s” has hyphens in its third and fourth "
                     "places, which an international name cannot have."), ql, qd);
      break;

    case IDN2_HYPHEN_STARTEND:
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                   _("The part “%s” of the domain “%s” starts or ends with a hyphen."), ql, qd);
      break;

    case IDN2_PUNYCODE_BAD_INPUT:
    case IDN2_PUNYCODE_OVERFLOW:
    case IDN2_INVALID_ALABEL:
    case IDN2_UALABEL_MISMATCH:
    case IDN2_ALABEL_ROUNDTRIP_FAILED:
      if (g_ascii_strncasecmp (label, "xn--", 4) == 0)
        {
          g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                       _("The part “%s” of the domain “%s” is not a valid international name in "
                         "its xn-- form."), ql, qd);
          break;
        }
      G_GNUC_FALLTHROUGH;

    default:
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                   /* Translators: the second %s is libidn2's description of the problem */
                   _("The domain “%s” is not a valid international domain name (%s)."),
                   qd, idn2_strerror (rc));
      break;
    }
}

/* Characters that the transitional mapping changes rather than keeps. */
static gboolean
has_deviation_char (const char *label)
{
  for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x00DF || c == 0x03C2 || c == 0x200C || c == 0x200D)
        return TRUE;
    }

  return FALSE;
}

/* One label to its ASCII form. An all-ASCII label that is not an A-label is
 * only lowercased: libidn2 would refuse valid LDH names such as "ab--cd". */
static char *
label_to_ascii (const char  *domain,
                const char  *label,
                GError     **error)
{
  char *out = NULL;
  char *result;
  int rc;

  if (str_is_ascii (label) && g_ascii_strncasecmp (label, "xn--", 4) != 0)
    {
      if (strlen (label) > LABEL_MAX_OCTETS)
        {
          set_label_too_long_error (domain, label, error);
          return NULL;
        }
      return g_ascii_strdown (label, -1);
    }

  rc = idn2_to_ascii_8z (label, &out, IDN_FLAGS_NONTRANSITIONAL);
  /* IDNA2008 disallows symbols that IDNA2003 allowed and that names were
   * registered with (☃.net); as curl and wget do, try the transitional
   * mapping for those, unless it would turn ß into ss and so on: that would
   * be a different domain from the one Postfix converts. An A-label is
   * checked, never remapped, by either. */
  if (rc == IDN2_DISALLOWED && !has_deviation_char (label))
    {
      g_debug ("“%s” is not IDNA2008, trying the transitional mapping", label);
      rc = idn2_to_ascii_8z (label, &out, IDN_FLAGS_TRANSITIONAL);
    }
  if (rc != IDN2_OK)
    {
      set_idn_error (rc, domain, label, error);
      return NULL;
    }

  result = g_ascii_strdown (out, -1);
  idn2_free (out);
  return result;
}

static gboolean
is_ldh (char c)
{
  return g_ascii_isalnum (c) || c == '-';
}

/* Returns the next label and moves *p past the dot after it, or sets
 * *p to NULL at the end. UTS #46 treats the ideographic and the fullwidth
 * full stops as dots too. */
static char *
next_label (const char **p)
{
  const char *start = *p;

  for (const char *s = start; ; s = g_utf8_next_char (s))
    {
      gunichar c = g_utf8_get_char (s);

      if (c == '\0')
        {
          *p = NULL;
          return g_strndup (start, s - start);
        }
      if (c == '.' || c == 0x3002 || c == 0xFF0E || c == 0xFF61)
        {
          *p = g_utf8_next_char (s);
          return g_strndup (start, s - start);
        }
    }
}

/* The domain, not empty, as typed: to lowercase ASCII. */
static char *
normalize_domain (const char  *domain,
                  GError     **error)
{
  g_autofree char *q = mw_address_quote_for_message (domain, -1);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *last = NULL;
  const char *p;
  guint n_labels = 0;

  g_assert (domain[0] != '\0');

  if (domain[0] == '[')
    return normalize_address_literal (domain, error);

  for (p = domain; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                       _("The domain “%s” contains a space."), q);
          return NULL;
        }
      if (c < 0x80 && c != '.' && !is_ldh ((char) c))
        {
          char bad[2] = { (char) c, '\0' };

          g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                       _("The domain “%s” contains “%s”. A domain name can only have letters, "
                         "digits, hyphens and dots."), q, bad);
          return NULL;
        }
    }

  p = domain;
  while (p != NULL)
    {
      g_autofree char *label = next_label (&p);
      g_autofree char *ascii = NULL;
      gsize len;

      if (label[0] == '\0')
        {
          if (n_labels == 0)
            g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                         _("The domain “%s” starts with a dot."), q);
          else if (p == NULL)
            g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                         _("The domain “%s” ends with a dot. Remove the dot at the end."), q);
          else
            g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                         _("The domain “%s” has two dots in a row."), q);
          return NULL;
        }

      if (g_str_has_prefix (label, "-") || g_str_has_suffix (label, "-"))
        {
          g_autofree char *ql = mw_address_quote_for_message (label, -1);

          if (label[0] == '-')
            g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                         _("The part “%s” of the domain “%s” starts with a hyphen."), ql, q);
          else
            g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                         _("The part “%s” of the domain “%s” ends with a hyphen."), ql, q);
          return NULL;
        }

      ascii = label_to_ascii (domain, label, error);
      if (ascii == NULL)
        return NULL;

      /* What the mapping made of it must be a hostname label too ("⑴" becomes "(1)"). */
      len = strlen (ascii);
      if (len == 0 || ascii[0] == '-' || ascii[len - 1] == '-' ||
          strspn (ascii, "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
        {
          set_bad_char_error (domain, error);
          return NULL;
        }
      if (len > LABEL_MAX_OCTETS)
        {
          set_label_too_long_error (domain, label, error);
          return NULL;
        }

      if (n_labels++ > 0)
        g_string_append_c (out, '.');
      g_string_append (out, ascii);
      g_free (last);
      last = g_steal_pointer (&ascii);
    }

  if (out->len > DOMAIN_MAX_OCTETS)
    {
      set_idn_error (IDN2_TOO_BIG_DOMAIN, domain, domain, error);
      return NULL;
    }

  /* A top-level domain is never all digits (RFC 3696 2), so this is an IP
   * address or a typo. */
  if (str_is_digits (last))
    {
      if (is_ipv4 (out->str))
        g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                     _("The domain “%s” is an IP address. Write it in square brackets: [%s]."),
                     q, out->str);
      else
        g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                     _("The domain “%s” ends in a number, which a top-level domain cannot be."), q);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The Unicode form of an ASCII domain when it has A-labels that convert back
 * to exactly this domain; otherwise NULL. */
static char *
domain_to_unicode (const char *domain)
{
  g_autofree char *lower = g_ascii_strdown (domain, -1);
  g_auto(GStrv) labels = g_strsplit (lower, ".", -1);
  g_autofree char *unicode = NULL;
  g_autofree char *back = NULL;
  gboolean any = FALSE;

  for (guint i = 0; labels[i] != NULL; i++)
    {
      char *u = NULL;

      if (!g_str_has_prefix (labels[i], "xn--"))
        continue;
      if (idn2_to_unicode_8z8z (labels[i], &u, 0) != IDN2_OK)
        return NULL;
      g_free (labels[i]);
      labels[i] = g_strdup (u);
      idn2_free (u);
      any = TRUE;
    }
  if (!any)
    return NULL;

  /* Otherwise the Unicode form shown would stand for another domain. */
  unicode = g_strjoinv (".", labels);
  if (!g_utf8_validate (unicode, -1, NULL))
    return NULL;
  back = normalize_domain (unicode, NULL);
  if (back == NULL || strcmp (back, lower) != 0)
    return NULL;

  return g_steal_pointer (&unicode);
}

static char *
domain_for_message (const char *ascii)
{
  char *unicode = domain_to_unicode (ascii);

  return unicode != NULL ? unicode : g_strdup (ascii);
}

/* Splits an address at the "@" after the local part; FALSE when there is none. */
static gboolean
split_address (const char  *text,
               char       **local,
               char       **domain)
{
  const char *at = NULL;

  /* A quoted local part may have an "@" of its own. */
  if (text[0] == '"')
    {
      const char *p = text + 1;

      while (*p != '\0' && *p != '"')
        p += (p[0] == '\\' && p[1] != '\0') ? 2 : 1;
      if (p[0] == '"' && p[1] == '@')
        at = p + 1;
    }
  if (at == NULL)
    at = strrchr (text, '@');
  if (at == NULL)
    return FALSE;

  *local = g_strndup (text, at - text);
  *domain = g_strdup (at + 1);
  return TRUE;
}

/* What a catch-all needs no check to tell: which kind it is. */
static MwAddressKind
guess_kind (const char *text)
{
  gsize len = strlen (text);

  if (g_str_has_prefix (text, "@."))
    return MW_ADDRESS_CATCH_ALL_SUBDOMAINS;
  if (text[0] == '@')
    return MW_ADDRESS_CATCH_ALL_DOMAIN;
  if (len > 0 && text[len - 1] == '@')
    return MW_ADDRESS_CATCH_ALL_LOCAL;
  return MW_ADDRESS_PLAIN;
}

/* An alias or an address target, trimmed and checked by check_text. */
static char *
normalize_address (const char     *text,
                   MwAddressKind  *kind,
                   gboolean       *converted,
                   GError        **error)
{
  g_autofree char *local = NULL;
  g_autofree char *local_out = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *domain_out = NULL;
  const char *prefix = "";

  *kind = guess_kind (text);
  *converted = FALSE;

  if (strcmp (text, "@") == 0)
    {
      g_set_error_literal (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                           _("“@” alone is not an address. Add a local part, a domain or both, "
                             "as in name@example.com."));
      return NULL;
    }

  if (*kind == MW_ADDRESS_CATCH_ALL_SUBDOMAINS || *kind == MW_ADDRESS_CATCH_ALL_DOMAIN)
    {
      gboolean sub = *kind == MW_ADDRESS_CATCH_ALL_SUBDOMAINS;

      domain = g_strdup (text + (sub ? 2 : 1));
      prefix = sub ? "." : "";
      if (sub && domain[0] == '[')
        {
          g_set_error_literal (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                               _("An address literal such as [192.0.2.1] has no subdomains: "
                                 "write the catch-all without the dot after “@”."));
          return NULL;
        }
      if (domain[0] == '\0')
        {
          g_set_error_literal (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                               _("“@.” needs a domain after it, as in @.example.com for every "
                                 "subdomain of example.com."));
          return NULL;
        }
    }
  else
    {
      if (!split_address (text, &local, &domain))
        {
          g_autofree char *q = mw_address_quote_for_message (text, -1);

          g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                       _("“%s” has no “@” and no domain. Enter a whole address, such as "
                         "name@example.com."), q);
          return NULL;
        }
      local_out = normalize_local_part (local, error);
      if (local_out == NULL)
        return NULL;
      if (domain[0] == '\0')
        {
          *kind = MW_ADDRESS_CATCH_ALL_LOCAL;
          return g_strconcat (local_out, "@", NULL);
        }
      *kind = MW_ADDRESS_PLAIN;
    }

  domain_out = normalize_domain (domain, error);
  if (domain_out == NULL)
    return NULL;
  *converted = !str_is_ascii (domain);

  return g_strconcat (local_out != NULL ? local_out : "", "@", prefix, domain_out, NULL);
}

static void
set_catch_all_error (const char     *shown,
                     const char     *stored,
                     MwAddressKind   kind,
                     GError        **error)
{
  g_autofree char *q = mw_address_quote_for_message (shown, -1);

  if (kind == MW_ADDRESS_CATCH_ALL_LOCAL)
    {
      g_autofree char *local = mw_address_quote_for_message (stored, strlen (stored) - 1);

      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL,
                   _("“%s” is a catch-all: it receives mail for “%s” at every domain. Create it "
                     "as a catch-all on purpose (the Catch-all switch, or --catch-all)."), q, local);
    }
  else
    {
      gboolean sub = kind == MW_ADDRESS_CATCH_ALL_SUBDOMAINS;
      g_autofree char *domain = domain_for_message (stored + (sub ? 2 : 1));
      g_autofree char *qd = mw_address_quote_for_message (domain, -1);

      if (sub)
        g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL,
                     _("“%s” is a catch-all: it receives mail for every address at every "
                       "subdomain of %s, though not at %s itself. Create it as a "
                       "catch-all on purpose (the Catch-all switch, or --catch-all)."),
                     q, qd, qd);
      else
        g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL,
                     _("“%s” is a catch-all: it receives mail for every address at %s. Create it "
                       "as a catch-all on purpose (the Catch-all switch, or --catch-all)."), q, qd);
    }
}

char *
mw_address_normalize_alias (const char      *text,
                            MwAddressFlags   flags,
                            MwAddressKind   *kind,
                            GError         **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *result = NULL;
  MwAddressKind k;
  gboolean converted = FALSE;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = check_text (text, ROLE_ALIAS, error);
  if (trimmed == NULL)
    return NULL;

  if (flags & MW_ADDRESS_BYPASS)
    {
      if (strcmp (trimmed, "@") == 0)
        {
          g_set_error_literal (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_DOMAIN,
                               _("“@” alone is not an address. Add a local part, a domain or "
                                 "both, as in name@example.com."));
          return NULL;
        }
      k = guess_kind (trimmed);
      result = g_strdup (trimmed);
    }
  else
    {
      result = normalize_address (trimmed, &k, &converted, error);
      if (result == NULL)
        return NULL;
    }

  if (k != MW_ADDRESS_PLAIN && !(flags & MW_ADDRESS_ALLOW_CATCH_ALL))
    {
      set_catch_all_error (trimmed, result, k, error);
      return NULL;
    }

  if (!check_length (result, trimmed, ROLE_ALIAS, converted, error))
    return NULL;

  if (kind != NULL)
    *kind = k;
  return g_steal_pointer (&result);
}

char *
mw_address_normalize_target (const char  *text,
                             gboolean    *is_pipe,
                             GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *result = NULL;
  g_autofree char *q = NULL;
  MwAddressKind kind;
  gboolean converted = FALSE;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = check_text (text, ROLE_TARGET, error);
  if (trimmed == NULL)
    return NULL;
  q = mw_address_quote_for_message (trimmed, -1);

  /* DBMail pipes any target that starts with | or !, address or not. */
  if (trimmed[0] == '|' || trimmed[0] == '!')
    {
      /* Trimmed: nothing but spaces can follow. */
      if (trimmed[1] == '\0')
        {
          g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET,
                       _("“%s” has no command after it. Enter the program to pipe mail into, such "
                         "as |/usr/bin/procmail."), q);
          return NULL;
        }
      if (!check_length (trimmed, trimmed, ROLE_TARGET, FALSE, error))
        return NULL;
      if (is_pipe != NULL)
        *is_pipe = TRUE;
      return g_steal_pointer (&trimmed);
    }

  if (str_is_digits (trimmed))
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET,
                   _("“%s” is a number, which DBMail reads as a user number (user_idnr), not as a "
                     "forward. To deliver into a user’s mailbox, give the user an alias instead."),
                   q);
      return NULL;
    }

  if (strchr (trimmed, '@') == NULL)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET,
                   _("“%s” is neither an address nor a command. Enter an address such as "
                     "name@example.com, or a command after “|”."), q);
      return NULL;
    }

  result = normalize_address (trimmed, &kind, &converted, error);
  if (result == NULL)
    return NULL;

  if (kind == MW_ADDRESS_CATCH_ALL_LOCAL)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET,
                   _("The forward target “%s” has no domain after the “@”. Enter a whole "
                     "address, such as name@example.com."), q);
      return NULL;
    }
  if (kind != MW_ADDRESS_PLAIN)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET,
                   _("The forward target “%s” has no local part before the “@”: that is a "
                     "catch-all, which cannot receive forwarded mail. Enter a whole address, "
                     "such as name@example.com."), q);
      return NULL;
    }

  if (!check_length (result, trimmed, ROLE_TARGET, converted, error))
    return NULL;

  if (is_pipe != NULL)
    *is_pipe = FALSE;
  return g_steal_pointer (&result);
}

char *
mw_address_to_display (const char *stored)
{
  const char *at;
  const char *domain;
  g_autofree char *local = NULL;
  g_autofree char *local_checked = NULL;
  g_autofree char *unicode = NULL;

  g_return_val_if_fail (stored != NULL, NULL);

  if (!g_utf8_validate (stored, -1, NULL))
    return g_utf8_make_valid (stored, -1);

  at = strrchr (stored, '@');
  if (at == NULL)
    return g_strdup (stored);

  domain = at + 1;
  if (at == stored && domain[0] == '.')
    domain++;
  if (domain[0] == '\0' || domain[0] == '[')
    return g_strdup (stored);

  /* Only for what looks like an address: a pipe command is shown exactly. */
  local = g_strndup (stored, at - stored);
  if (local[0] != '\0')
    {
      local_checked = normalize_local_part (local, NULL);
      if (local_checked == NULL)
        return g_strdup (stored);
    }

  unicode = domain_to_unicode (domain);
  if (unicode == NULL)
    return g_strdup (stored);

  return g_strdup_printf ("%.*s%s", (int) (domain - stored), stored, unicode);
}

char *
mw_address_get_domain (const char *stored)
{
  g_autofree char *valid = NULL;
  const char *at;
  const char *domain;

  g_return_val_if_fail (stored != NULL, NULL);

  valid = g_utf8_make_valid (stored, -1);
  at = strrchr (valid, '@');
  if (at == NULL)
    return NULL;

  domain = at + 1;
  if (at == valid && domain[0] == '.')
    domain++;
  if (domain[0] == '\0')
    return NULL;

  return lower_simple (domain);
}

gboolean
mw_address_equal (const char *a,
                  const char *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (!g_utf8_validate (a, -1, NULL) || !g_utf8_validate (b, -1, NULL))
    return g_ascii_strcasecmp (a, b) == 0;

  while (*a != '\0' && *b != '\0')
    {
      if (g_unichar_tolower (g_utf8_get_char (a)) != g_unichar_tolower (g_utf8_get_char (b)))
        return FALSE;
      a = g_utf8_next_char (a);
      b = g_utf8_next_char (b);
    }

  return *a == '\0' && *b == '\0';
}

/* Spoofing warnings */

/* The scripts a label may mix under UTS #39's "highly restrictive" level:
 * Latin with the scripts written together in Japanese, Chinese or Korean. */
static gboolean
is_allowed_mix (const GUnicodeScript *scripts,
                guint                 n)
{
  static const GUnicodeScript japanese[] = { G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN,
                                             G_UNICODE_SCRIPT_HIRAGANA, G_UNICODE_SCRIPT_KATAKANA };
  static const GUnicodeScript chinese[] = { G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN,
                                            G_UNICODE_SCRIPT_BOPOMOFO };
  static const GUnicodeScript korean[] = { G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN,
                                           G_UNICODE_SCRIPT_HANGUL };
  static const struct { const GUnicodeScript *set; guint n; } mixes[] = {
    { japanese, G_N_ELEMENTS (japanese) }, { chinese, G_N_ELEMENTS (chinese) }, { korean, G_N_ELEMENTS (korean) },
  };

  if (n <= 1)
    return TRUE;
  for (guint m = 0; m < G_N_ELEMENTS (mixes); m++)
    {
      guint inside = 0;

      for (guint i = 0; i < n; i++)
        for (guint j = 0; j < mixes[m].n; j++)
          if (scripts[i] == mixes[m].set[j])
            {
              inside++;
              break;
            }
      if (inside == n)
        return TRUE;
    }
  return FALSE;
}

static const char *
script_name (GUnicodeScript script)
{
  switch (script)
    {
    case G_UNICODE_SCRIPT_LATIN: return C_("script", "Latin");
    case G_UNICODE_SCRIPT_CYRILLIC: return C_("script", "Cyrillic");
    case G_UNICODE_SCRIPT_GREEK: return C_("script", "Greek");
    case G_UNICODE_SCRIPT_ARMENIAN: return C_("script", "Armenian");
    case G_UNICODE_SCRIPT_GEORGIAN: return C_("script", "Georgian");
    case G_UNICODE_SCRIPT_CHEROKEE: return C_("script", "Cherokee");
    case G_UNICODE_SCRIPT_ARABIC: return C_("script", "Arabic");
    case G_UNICODE_SCRIPT_HEBREW: return C_("script", "Hebrew");
    case G_UNICODE_SCRIPT_HAN: return C_("script", "Chinese");
    case G_UNICODE_SCRIPT_HIRAGANA: return C_("script", "Hiragana");
    case G_UNICODE_SCRIPT_KATAKANA: return C_("script", "Katakana");
    case G_UNICODE_SCRIPT_HANGUL: return C_("script", "Hangul");
    default: return C_("script", "other");
    }
}

/* Cyrillic letters that look like Latin ones (а, с, е, о, р, х, у...), the
 * set browsers check a whole-Cyrillic label against. */
static gboolean
is_latin_lookalike (gunichar c)
{
  static const gunichar lookalikes[] = {
    0x0430, 0x0441, 0x0501, 0x0435, 0x04BB, 0x0456, 0x0458, 0x04CF, 0x043E, 0x0440,
    0x051B, 0x0455, 0x051D, 0x0445, 0x0443, 0x04AF, 0x04BD, 0x043F, 0x0433, 0x0475, 0x0461,
  };

  for (guint i = 0; i < G_N_ELEMENTS (lookalikes); i++)
    if (c == lookalikes[i])
      return TRUE;
  return FALSE;
}

/* A label as its Unicode text: A-labels read back with IDNA2008, anything
 * else as it is. NULL for an A-label that does not decode. */
static char *
label_to_unicode (const char *label)
{
  g_autofree char *lower = g_ascii_strdown (label, -1);
  g_autofree char *result = NULL;
  char *u = NULL;

  if (!g_str_has_prefix (lower, "xn--"))
    return g_steal_pointer (&lower);
  if (idn2_to_unicode_8z8z (lower, &u, 0) != IDN2_OK)
    return NULL;
  result = g_strdup (u);
  idn2_free (u);
  if (!g_utf8_validate (result, -1, NULL))
    return NULL;
  return g_steal_pointer (&result);
}

char *
mw_address_get_warning (const char *address)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autofree char *trimmed = NULL;
  g_autofree char *q = NULL;
  const char *at;
  const char *p;
  gboolean tld_cyrillic = FALSE;

  g_return_val_if_fail (address != NULL, NULL);

  if (!g_utf8_validate (address, -1, NULL))
    return NULL;
  trimmed = dup_trimmed (address);
  /* A pipe command has no domain to check. */
  if (trimmed[0] == '|' || trimmed[0] == '!')
    return NULL;
  at = strrchr (trimmed, '@');
  p = at != NULL ? at + 1 : trimmed;
  if (p[0] == '.')
    p++;
  if (p[0] == '\0' || p[0] == '[')
    return NULL;

  while (p != NULL)
    {
      g_autofree char *label = next_label (&p);
      char *unicode = label_to_unicode (label);

      if (unicode == NULL)
        return NULL;
      g_string_append_printf (shown, "%s%s", labels->len > 0 ? "." : "", unicode);
      g_ptr_array_add (labels, unicode);
    }
  q = mw_address_quote_for_message (shown->str, -1);

  for (const char *s = g_ptr_array_index (labels, labels->len - 1); *s != '\0'; s = g_utf8_next_char (s))
    if (g_unichar_get_script (g_utf8_get_char (s)) == G_UNICODE_SCRIPT_CYRILLIC)
      tld_cyrillic = TRUE;

  for (guint i = 0; i < labels->len; i++)
    {
      const char *label = g_ptr_array_index (labels, i);
      g_autofree char *ql = mw_address_quote_for_message (label, -1);
      GUnicodeScript scripts[8];
      guint n = 0;
      gboolean all_lookalike = TRUE;

      for (const char *s = label; *s != '\0'; s = g_utf8_next_char (s))
        {
          gunichar c = g_utf8_get_char (s);
          GUnicodeScript script = g_unichar_get_script (c);
          guint k;

          /* Digits, hyphens and combining marks belong to any script. */
          if (script == G_UNICODE_SCRIPT_COMMON || script == G_UNICODE_SCRIPT_INHERITED ||
              script == G_UNICODE_SCRIPT_UNKNOWN)
            continue;
          if (script != G_UNICODE_SCRIPT_CYRILLIC || !is_latin_lookalike (c))
            all_lookalike = FALSE;
          for (k = 0; k < n && scripts[k] != script; k++)
            ;
          if (k == n && n < G_N_ELEMENTS (scripts))
            scripts[n++] = script;
        }

      if (!is_allowed_mix (scripts, n))
        {
          GUnicodeScript other = scripts[0] == G_UNICODE_SCRIPT_LATIN ? scripts[1] : scripts[0];
          GUnicodeScript first = scripts[0] == G_UNICODE_SCRIPT_LATIN || scripts[1] == G_UNICODE_SCRIPT_LATIN
                                 ? G_UNICODE_SCRIPT_LATIN : scripts[1];

          /* Translators: "The domain “аpple.com” mixes Latin and Cyrillic letters in
           * “аpple”: it could pass for another domain. ..." The scripts are C_("script", ...). */
          return g_strdup_printf (_("The domain “%s” mixes %s and %s letters in “%s”: it could pass for "
                                    "another domain. Check that it is the domain you mean."),
                                  q, script_name (first), script_name (other), ql);
        }
      if (n == 1 && all_lookalike && !tld_cyrillic && i + 1 < labels->len)
        return g_strdup_printf (_("The domain “%s” is written in Cyrillic letters that look like Latin "
                                  "ones (“%s”): it could pass for another domain. Check that it is the "
                                  "domain you mean."), q, ql);
    }
  return NULL;
}

/* One element of an address list, trimmed: "<a@b>" alone becomes "a@b". */
static void
append_display_element (GString    *out,
                        const char *start,
                        const char *end)
{
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (start == end)
    return;
  if (out->len > 0)
    g_string_append (out, ", ");
  if (*start == '<' && end[-1] == '>' && memchr (start + 1, '<', (gsize) (end - start - 1)) == NULL &&
      memchr (start + 1, '>', (gsize) (end - start - 2)) == NULL && end - start > 2)
    g_string_append_len (out, start + 1, end - start - 2);
  else
    g_string_append_len (out, start, end - start);
}

char *
mw_address_list_for_display (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *element = value;
  gboolean quoted = FALSE;
  int angle = 0;
  int group = 0;

  if (value == NULL)
    return g_string_free (out, FALSE);

  /* Commas inside quotes, angle brackets or a group (“team: a@b, c@d;”)
   * do not separate elements. */
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && quoted && p[1] != '\0')
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == '<')
        angle++;
      else if (*p == '>' && angle > 0)
        angle--;
      else if (*p == ':' && angle == 0)
        group++;
      else if (*p == ';' && group > 0 && angle == 0)
        group--;
      else if (*p == ',' && angle == 0 && group == 0)
        {
          append_display_element (out, element, p);
          element = p + 1;
        }
    }
  append_display_element (out, element, value + strlen (value));
  return g_string_free (out, FALSE);
}
