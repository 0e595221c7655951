/* mw-health-checks.c: the parts of the health checks every flavour shares:
 * findings, samples, domains one edit apart, IDN look-alikes and password
 * storage (mw-health-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-health"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <idn2.h>
#include <string.h>

#include "mw-health-private.h"

GPtrArray *
_mw_health_run_check (const MwHealthCheckInfo  *checks,
                      guint                     n_checks,
                      MwDb                     *db,
                      const char               *check,
                      guint                     max_samples,
                      GCancellable             *cancellable,
                      MwHealthCheckFunc         func,
                      gpointer                  user_data,
                      GError                  **error)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_health_finding_free);
  MwHealthRun run = { db, mw_db_get_driver (db), check, max_samples, cancellable, findings };

  for (guint i = 0; i < n_checks; i++)
    if (g_str_equal (checks[i].id, check))
      {
        if (!func (&run, i, user_data, error))
          return NULL;
        return g_steal_pointer (&findings);
      }
  g_return_val_if_reached (NULL);
}

MwHealthFinding *
_mw_health_add (MwHealthRun      *run,
                const char       *id,
                MwHealthSeverity  severity,
                guint64           count,
                char             *reason,
                const char       *fix)
{
  MwHealthFinding *f = mw_health_finding_new (run->check, id, severity, reason, fix, count);

  g_free (reason);
  g_ptr_array_add (run->findings, f);
  return f;
}

gint64
_mw_health_count (MwHealthRun  *run,
                  const char   *sql,
                  GError      **error)
{
  g_autoptr(MwDbResult) r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error);

  if (r == NULL)
    return -1;
  if (mw_db_result_get_n_rows (r) == 0 || mw_db_result_is_null (r, 0, 0))
    return 0;
  return mw_db_result_get_int64 (r, 0, 0);
}

char *
_mw_health_regexp (MwDbDriver  driver,
                   const char *expr,
                   const char *pattern)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("(%s ~ '%s')", expr, pattern);
  return g_strdup_printf ("(%s REGEXP BINARY '%s')", expr, pattern);
}

gboolean
_mw_health_samples (MwHealthRun         *run,
                    MwHealthFinding     *finding,
                    const char          *sql,
                    MwHealthTargetKind   target,
                    MwListKind           list,
                    GError             **error)
{
  g_autoptr(MwDbResult) r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error);

  if (r == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (r) && finding->samples->len < run->max_samples; i++)
    {
      const char *key = mw_db_result_get_string (r, i, 0);
      const char *label = mw_db_result_get_string (r, i, 1);
      guint64 count = mw_db_result_get_n_cols (r) > 2 ? (guint64) mw_db_result_get_int64 (r, i, 2) : 0;
      MwHealthTargetKind t = key != NULL ? target : MW_HEALTH_TARGET_LIST;

      mw_health_finding_add_sample (finding, mw_health_sample_new (t, key, list, label, label, count));
    }
  return TRUE;
}

guint64
_mw_health_sum (MwDbResult *r,
                guint       col)
{
  guint64 sum = 0;

  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    sum += (guint64) mw_db_result_get_int64 (r, i, col);
  return sum;
}

void
_mw_health_list_samples (MwHealthRun     *run,
                         MwHealthFinding *finding,
                         MwDbResult      *r,
                         MwListKind       list)
{
  for (guint i = 0; i < mw_db_result_get_n_rows (r) && finding->samples->len < run->max_samples; i++)
    mw_health_finding_add_sample (finding, mw_health_sample_new (MW_HEALTH_TARGET_LIST, NULL, list,
                                                                 mw_db_result_get_string (r, i, 0),
                                                                 mw_db_result_get_string (r, i, 1),
                                                                 (guint64) mw_db_result_get_int64 (r, i, 2)));
}

/* ------------------------------------------------------------------------ */
/* Domains                                                                  */
/* ------------------------------------------------------------------------ */

gboolean
_mw_health_domains (MwHealthRun  *run,
                    const char   *sql,
                    GError      **error)
{
  g_autoptr(GPtrArray) domains = _mw_health_read_domains (run, sql, error);

  if (domains == NULL)
    return FALSE;
  _mw_health_domain_typos (run, domains, MW_LIST_DOMAINS);
  _mw_health_idn_lookalikes (run, domains, MW_LIST_DOMAINS);
  return TRUE;
}

void
_mw_health_postmaster (MwHealthRun *run,
                       GPtrArray   *domains,
                       GHashTable  *present,
                       gboolean     local_catch_alls)
{
  for (int pass = 0; pass < 2; pass++)
    {
      const char *local = pass == 0 ? "postmaster@" : "abuse@";
      g_autoptr(GPtrArray) missing = g_ptr_array_new ();
      MwHealthFinding *f;

      if (local_catch_alls && g_hash_table_contains (present, local))
        continue;
      for (guint i = 0; i < domains->len; i++)
        {
          MwHealthDomain *d = domains->pdata[i];
          g_autofree char *catch_all = g_strconcat ("@", d->name, NULL);
          g_autofree char *address = g_strconcat (local, d->name, NULL);

          if (!g_hash_table_contains (present, catch_all) && !g_hash_table_contains (present, address))
            g_ptr_array_add (missing, d);
        }
      if (missing->len == 0)
        continue;
      if (pass == 0)
        f = _mw_health_add (run, "missing-postmaster", MW_HEALTH_SEVERITY_WARNING, missing->len,
                            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u domain takes no mail for postmaster@, which every "
                                                          "mail domain must (RFC 5321): other servers' admins "
                                                          "cannot reach you.",
                                                          "%u domains take no mail for postmaster@, which every "
                                                          "mail domain must (RFC 5321): other servers' admins "
                                                          "cannot reach you.", missing->len), missing->len),
                            _("Add an alias postmaster@ to each of these domains, delivering to the person who "
                              "runs the mail system."));
      else
        f = _mw_health_add (run, "missing-abuse", MW_HEALTH_SEVERITY_WARNING, missing->len,
                            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u domain takes no mail for abuse@: reports of spam "
                                                          "or attacks from your users bounce (RFC 2142).",
                                                          "%u domains take no mail for abuse@: reports of spam "
                                                          "or attacks from your users bounce (RFC 2142).",
                                                          missing->len), missing->len),
                            _("Add an alias abuse@ to each of these domains, delivering to whoever handles "
                              "complaints."));
      mw_health_finding_set_list (f, MW_LIST_DOMAINS, NULL);
      for (guint i = 0; i < missing->len && f->samples->len < run->max_samples; i++)
        {
          MwHealthDomain *d = missing->pdata[i];

          mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_LIST, NULL, MW_LIST_DOMAINS,
                                                                 d->name, d->name, 0));
        }
    }
}

void
_mw_health_domain_free (MwHealthDomain *domain)
{
  if (domain == NULL)
    return;
  g_free (domain->name);
  g_free (domain);
}

GPtrArray *
_mw_health_read_domains (MwHealthRun  *run,
                         const char   *sql,
                         GError      **error)
{
  g_autoptr(MwDbResult) r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error);
  GPtrArray *domains;

  if (r == NULL)
    return NULL;
  domains = g_ptr_array_new_with_free_func ((GDestroyNotify) _mw_health_domain_free);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *name = mw_db_result_get_string (r, i, 0);
      MwHealthDomain *d;

      if (name == NULL || name[0] == '\0' || name[0] == '.')
        continue;
      d = g_new0 (MwHealthDomain, 1);
      d->name = g_ascii_strdown (name, -1);
      d->rows = mw_db_result_get_int64 (r, i, 1);
      g_ptr_array_add (domains, d);
    }
  return domains;
}

/* Whether a and b are one edit apart: one character replaced, added or
 * taken away, or two neighbours swapped (the optimal string alignment
 * distance is 1), in linear time. */
static gboolean
one_edit_apart (const char *a,
                const char *b)
{
  size_t la = strlen (a), lb = strlen (b), i = 0;

  if (la < lb)
    {
      const char *t = a;
      size_t tl = la;

      a = b, la = lb;
      b = t, lb = tl;
    }
  if (la - lb > 1)
    return FALSE;
  while (i < lb && a[i] == b[i])
    i++;
  if (i == lb)
    return la != lb;              /* one added at the end, or equal */
  if (la == lb)
    {
      /* replaced: the rests agree; or swapped: a[i]a[i+1] = b[i+1]b[i] */
      if (strcmp (a + i + 1, b + i + 1) == 0)
        return TRUE;
      return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp (a + i + 2, b + i + 2) == 0;
    }
  return strcmp (a + i + 1, b + i) == 0;  /* a has one more */
}

static gint
by_length (gconstpointer pa,
           gconstpointer pb)
{
  const MwHealthDomain *a = *(MwHealthDomain **) pa, *b = *(MwHealthDomain **) pb;
  size_t la = strlen (a->name), lb = strlen (b->name);

  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp (a->name, b->name);
}

/* Short names (a.de, b.de) are one edit apart by chance. */
#define TYPO_MIN_LENGTH 6

void
_mw_health_domain_typos (MwHealthRun *run,
                         GPtrArray   *domains,
                         MwListKind   list)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (domains, NULL, NULL);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  MwHealthFinding *f;

  /* The copy borrows the domains. */
  g_ptr_array_set_free_func (sorted, NULL);
  g_ptr_array_sort (sorted, by_length);
  for (guint i = 0; i < sorted->len; i++)
    {
      const MwHealthDomain *a = sorted->pdata[i];
      size_t la = strlen (a->name);

      if (la < TYPO_MIN_LENGTH)
        continue;
      for (guint j = i + 1; j < sorted->len; j++)
        {
          const MwHealthDomain *b = sorted->pdata[j];

          if (strlen (b->name) > la + 1)
            break;
          if (one_edit_apart (a->name, b->name))
            {
              /* The one with fewer rows first: the likely typo. */
              const MwHealthDomain *rare = a->rows <= b->rows ? a : b, *common = rare == a ? b : a;

              g_ptr_array_add (pairs, g_strdup_printf ("%s\t%s\t%" G_GINT64_FORMAT, rare->name, common->name,
                                                       rare->rows));
            }
        }
    }
  if (pairs->len == 0)
    return;
  g_ptr_array_sort (pairs, (GCompareFunc) g_strcmp0);
  f = _mw_health_add (run, "domain-one-edit", MW_HEALTH_SEVERITY_WARNING, pairs->len,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%u pair of domains differ by a single letter: one of "
                                                    "each pair is likely a typo, and mail to it goes astray.",
                                                    "%u pairs of domains differ by a single letter: one of "
                                                    "each pair is likely a typo, and mail to it goes astray.",
                                                    pairs->len), pairs->len),
                      _("Open the domain with fewer accounts and move its accounts and addresses to the "
                        "right domain, or leave it when both are meant."));
  mw_health_finding_set_list (f, list, NULL);
  for (guint i = 0; i < pairs->len && f->samples->len < run->max_samples; i++)
    {
      g_auto(GStrv) part = g_strsplit (pairs->pdata[i], "\t", 3);
      /* Translators: two domains that differ by one letter, the first probably a typo of the second. */
      g_autofree char *label = g_strdup_printf (_("%s ~ %s"), part[0], part[1]);

      mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_LIST, NULL, list, part[0], label,
                                                             g_ascii_strtoull (part[2], NULL, 10)));
    }
}

/* Letters from other scripts that look like Latin ones (a small part of
 * Unicode's confusables.txt: those that fool people in domain names). */
static const struct
{
  gunichar    c;
  const char *ascii;
} confusables[] = {
  /* Cyrillic */
  { 0x0430, "a" }, { 0x0432, "b" }, { 0x0435, "e" }, { 0x043E, "o" }, { 0x0440, "p" }, { 0x0441, "c" },
  { 0x0443, "y" }, { 0x0445, "x" }, { 0x0456, "i" }, { 0x0458, "j" }, { 0x0455, "s" }, { 0x04BB, "h" },
  { 0x0501, "d" }, { 0x051B, "q" }, { 0x051D, "w" }, { 0x04CF, "l" }, { 0x0491, "r" }, { 0x043A, "k" },
  { 0x043C, "m" }, { 0x043D, "h" }, { 0x0442, "t" }, { 0x044C, "b" },
  /* Greek */
  { 0x03B1, "a" }, { 0x03BF, "o" }, { 0x03BD, "v" }, { 0x03B9, "i" }, { 0x03BA, "k" }, { 0x03C1, "p" },
  { 0x03C5, "u" }, { 0x03C7, "x" }, { 0x03B5, "e" }, { 0x03C4, "t" }, { 0x03B7, "n" },
  /* Latin look-alikes */
  { 0x0131, "i" }, { 0x0251, "a" }, { 0x0261, "g" }, { 0x2113, "l" }, { 0x0269, "i" }, { 0x01C0, "l" },
  /* Armenian */
  { 0x0585, "o" }, { 0x0578, "n" }, { 0x057D, "u" }, { 0x0570, "h" },
};

static const char *
confusable (gunichar c)
{
  for (guint i = 0; i < G_N_ELEMENTS (confusables); i++)
    if (confusables[i].c == c)
      return confusables[i].ascii;
  return NULL;
}

/* The domain as it looks: marks taken away, look-alike letters replaced
 * by the Latin ones. (transfer full) */
static char *
skeleton (const char *unicode)
{
  g_autofree char *nfd = g_utf8_normalize (unicode, -1, G_NORMALIZE_NFD);
  g_autofree char *lower = g_utf8_strdown (nfd != NULL ? nfd : unicode, -1);
  GString *s = g_string_new (NULL);

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *ascii;

      if (g_unichar_ismark (c))
        continue;
      if ((ascii = confusable (c)) != NULL)
        g_string_append (s, ascii);
      else
        g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

/* Whether one label of @unicode mixes scripts, as phishing names do
 * ("аpple": Cyrillic а, Latin pple). Han with Hiragana, Katakana or
 * Hangul is how Japanese and Korean are written, not a mix. */
static gboolean
mixes_scripts (const char *unicode)
{
  GUnicodeScript first = G_UNICODE_SCRIPT_INVALID_CODE;

  for (const char *p = unicode; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeScript s;

      if (c == '.')
        {
          first = G_UNICODE_SCRIPT_INVALID_CODE;
          continue;
        }
      s = g_unichar_get_script (c);
      if (s == G_UNICODE_SCRIPT_COMMON || s == G_UNICODE_SCRIPT_INHERITED || s == G_UNICODE_SCRIPT_UNKNOWN)
        continue;
      if (s == G_UNICODE_SCRIPT_HIRAGANA || s == G_UNICODE_SCRIPT_KATAKANA || s == G_UNICODE_SCRIPT_HANGUL)
        s = G_UNICODE_SCRIPT_HAN;
      if (first == G_UNICODE_SCRIPT_INVALID_CODE)
        first = s;
      else if (s != first)
        return TRUE;
    }
  return FALSE;
}

void
_mw_health_idn_lookalikes (MwHealthRun *run,
                           GPtrArray   *domains,
                           MwListKind   list)
{
  g_autoptr(GHashTable) by_skeleton = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) mixed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) alike = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) decoded = g_ptr_array_new_with_free_func (g_free);

  /* Every domain's skeleton, the plain ones first so that an IDN meets the
   * domain it imitates. */
  for (guint i = 0; i < domains->len; i++)
    {
      const MwHealthDomain *d = domains->pdata[i];
      char *unicode = NULL;

      if (strstr (d->name, "xn--") == NULL || idn2_to_unicode_8z8z (d->name, &unicode, 0) != IDN2_OK)
        {
          if (unicode != NULL)
            idn2_free (unicode);
          g_ptr_array_add (decoded, NULL);
          g_hash_table_insert (by_skeleton, g_strdup (d->name), (gpointer) d->name);
          continue;
        }
      g_ptr_array_add (decoded, g_strdup (unicode));
      idn2_free (unicode);
    }
  for (guint i = 0; i < domains->len; i++)
    {
      const MwHealthDomain *d = domains->pdata[i];
      const char *unicode = decoded->pdata[i];
      g_autofree char *skel = NULL;
      const char *twin;

      if (unicode == NULL)
        continue;
      skel = skeleton (unicode);
      twin = g_hash_table_lookup (by_skeleton, skel);
      if (twin != NULL && !g_str_equal (twin, d->name))
        /* Translators: an IDN domain (its A-label and Unicode form) that looks like another domain. */
        g_ptr_array_add (alike, g_strdup_printf (_("%s (%s) looks like %s"), d->name, unicode, twin));
      else if (mixes_scripts (unicode))
        /* Translators: an IDN domain: its A-label and its Unicode form. */
        g_ptr_array_add (mixed, g_strdup_printf (_("%s (%s)"), d->name, unicode));
      if (twin == NULL)
        g_hash_table_insert (by_skeleton, g_steal_pointer (&skel), (gpointer) d->name);
    }

  if (alike->len > 0)
    {
      MwHealthFinding *f = _mw_health_add (
        run, "idn-lookalike", MW_HEALTH_SEVERITY_WARNING, alike->len,
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u international domain looks like another domain here: people "
                                      "cannot tell them apart, and phishing uses that.",
                                      "%u international domains look like other domains here: people "
                                      "cannot tell them apart, and phishing uses that.", alike->len),
                         alike->len),
        _("Make sure each such domain is meant and owned by whoever owns the domain it looks like; "
          "remove it otherwise."));

      mw_health_finding_set_list (f, list, NULL);
      for (guint i = 0; i < alike->len && f->samples->len < run->max_samples; i++)
        {
          const char *label = alike->pdata[i];
          g_autofree char *domain = g_strndup (label, strcspn (label, " "));

          mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_LIST, NULL, list, domain,
                                                                 label, 0));
        }
    }
  if (mixed->len > 0)
    {
      MwHealthFinding *f = _mw_health_add (
        run, "idn-mixed-script", MW_HEALTH_SEVERITY_WARNING, mixed->len,
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u international domain mixes letters of different scripts in one "
                                      "name, as look-alike domains do.",
                                      "%u international domains mix letters of different scripts in one "
                                      "name, as look-alike domains do.", mixed->len), mixed->len),
        _("Check that each such domain is spelt as meant; remove it if nobody asked for it."));

      mw_health_finding_set_list (f, list, NULL);
      for (guint i = 0; i < mixed->len && f->samples->len < run->max_samples; i++)
        {
          const char *label = mixed->pdata[i];
          g_autofree char *domain = g_strndup (label, strcspn (label, " "));

          mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_LIST, NULL, list, domain,
                                                                 label, 0));
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Passwords                                                                */
/* ------------------------------------------------------------------------ */

/* The kinds, as the SQL below names them; the weak ones have a finding. */
typedef struct
{
  const char *kind;
  const char *finding;   /* NULL: not weak */
} Kind;

static const Kind kinds[] = {
  { "plaintext", "password-plaintext" },
  { "md5", "password-unsalted" }, { "md5sum", "password-unsalted" }, { "md5base64", "password-unsalted" },
  { "sha1", "password-unsalted" }, { "sha256", "password-unsalted" }, { "sha512", "password-unsalted" },
  { "whirlpool", "password-unsalted" }, { "tiger", "password-unsalted" },
  { "des-crypt", "password-des-crypt" }, { "bsdi-crypt", "password-des-crypt" },
  { "md5-crypt", "password-md5-crypt" },
  { "bcrypt-low-cost", "password-bcrypt-low-cost" },
  { "bcrypt", NULL }, { "sha256-crypt", NULL }, { "sha512-crypt", NULL }, { "yescrypt", NULL },
  { "scrypt", NULL }, { "argon2", NULL }, { "ssha", NULL }, { "none", NULL }, { "unknown", NULL },
};

static const char *
kind_label (const char *kind)
{
  /* Translators: how passwords are stored; shown with a count. */
  if (g_str_equal (kind, "plaintext")) return _("plain text");
  if (g_str_equal (kind, "md5")) return _("MD5 (unsalted)");
  if (g_str_equal (kind, "md5sum")) return _("MD5 hex (unsalted)");
  if (g_str_equal (kind, "md5base64")) return _("MD5 base64 (unsalted)");
  if (g_str_equal (kind, "sha1")) return _("SHA-1 (unsalted)");
  if (g_str_equal (kind, "sha256")) return _("SHA-256 (unsalted)");
  if (g_str_equal (kind, "sha512")) return _("SHA-512 (unsalted)");
  if (g_str_equal (kind, "whirlpool")) return _("Whirlpool (unsalted)");
  if (g_str_equal (kind, "tiger")) return _("Tiger (unsalted)");
  if (g_str_equal (kind, "des-crypt")) return _("DES crypt (8 characters)");
  if (g_str_equal (kind, "bsdi-crypt")) return _("BSDi extended DES crypt");
  if (g_str_equal (kind, "md5-crypt")) return _("MD5-crypt");
  if (g_str_equal (kind, "bcrypt-low-cost")) return _("bcrypt with a low cost");
  if (g_str_equal (kind, "bcrypt")) return _("bcrypt");
  if (g_str_equal (kind, "sha256-crypt")) return _("SHA-256-crypt");
  if (g_str_equal (kind, "sha512-crypt")) return _("SHA-512-crypt");
  if (g_str_equal (kind, "yescrypt")) return _("yescrypt");
  if (g_str_equal (kind, "scrypt")) return _("scrypt");
  if (g_str_equal (kind, "argon2")) return _("Argon2");
  if (g_str_equal (kind, "ssha")) return _("salted SHA (one round)");
  if (g_str_equal (kind, "none")) return _("no password (cannot log in)");
  return _("unknown scheme");
}

/* SQL: the crypt(3) kind of hash h. */
static char *
crypt_kind_sql (const char *h)
{
  return g_strdup_printf (
    "CASE WHEN %1$s LIKE '$1$%%' THEN 'md5-crypt' "
    "WHEN %1$s LIKE '$2_$%%' THEN CASE WHEN SUBSTRING(%1$s FROM 5 FOR 2) < '%2$02d' THEN 'bcrypt-low-cost' "
    "ELSE 'bcrypt' END "
    "WHEN %1$s LIKE '$5$%%' THEN 'sha256-crypt' WHEN %1$s LIKE '$6$%%' THEN 'sha512-crypt' "
    "WHEN %1$s LIKE '$y$%%' OR %1$s LIKE '$gy$%%' THEN 'yescrypt' WHEN %1$s LIKE '$7$%%' THEN 'scrypt' "
    "WHEN %1$s LIKE '$argon2%%' THEN 'argon2' WHEN %1$s LIKE '\\_%%' AND length(%1$s) = 20 THEN 'bsdi-crypt' "
    "WHEN length(%1$s) = 13 AND %1$s NOT LIKE '$%%' THEN 'des-crypt' ELSE 'unknown' END",
    h, MW_HEALTH_BCRYPT_MIN_COST);
}

/* SQL: the hash without Dovecot's "{SCHEME}". */
static char *
bare_hash_sql (const char *p)
{
  return g_strdup_printf ("(CASE WHEN %1$s LIKE '{%%}%%' THEN SUBSTRING(%1$s FROM POSITION('}' IN %1$s) + 1) "
                          "ELSE %1$s END)", p);
}

/* SQL: the kind of each stored password. */
static char *
kind_sql (MwDbDriver               driver,
          const MwHealthPasswords *w)
{
  const char *p = w->password_expr;

  if (w->scheme_expr != NULL)
    {
      /* DBMail: encryption_type decides (DBMAIL-FACTS.md C). */
      g_autofree char *crypt = crypt_kind_sql (p);

      return g_strdup_printf (
        "CASE WHEN %1$s = '' THEN 'none' WHEN lower(%2$s) = '' THEN 'plaintext' "
        "WHEN lower(%2$s) IN ('md5sum', 'md5base64', 'sha1', 'sha256', 'sha512', 'whirlpool', 'tiger') "
        "THEN lower(%2$s) "
        "WHEN lower(%2$s) = 'md5' AND %1$s LIKE '$1$%%' THEN 'md5-crypt' WHEN lower(%2$s) = 'md5' THEN 'md5' "
        "WHEN lower(%2$s) = 'crypt' THEN %3$s ELSE 'unknown' END",
        p, w->scheme_expr, crypt);
    }
  else
    {
      /* Dovecot: "{SCHEME}hash", or a bare crypt(3) string (PostfixAdmin's md5crypt). */
      g_autofree char *bare = bare_hash_sql (p);
      g_autofree char *crypt = crypt_kind_sql (bare);
      g_autofree char *bare_crypt = crypt_kind_sql (p);
      g_autofree char *hex32 = _mw_health_regexp (driver, p, "^[0-9a-f]{32}$");
      g_autofree char *scheme = g_strdup_printf ("upper(SUBSTRING(%1$s FROM 2 FOR POSITION('}' IN %1$s) - 2))", p);

      return g_strdup_printf (
        "CASE WHEN %1$s = '' THEN 'none' "
        "WHEN %1$s LIKE '{%%}%%' THEN CASE "
        "WHEN %2$s IN ('PLAIN', 'CLEAR', 'CLEARTEXT', 'PLAIN-TRUNC') THEN 'plaintext' "
        "WHEN %2$s IN ('PLAIN-MD5', 'LDAP-MD5') THEN 'md5' WHEN %2$s = 'MD5' THEN 'md5-crypt' "
        "WHEN %2$s IN ('SHA', 'SHA1') THEN 'sha1' WHEN %2$s = 'SHA256' THEN 'sha256' "
        "WHEN %2$s = 'SHA512' THEN 'sha512' WHEN %2$s IN ('SSHA', 'SSHA256', 'SSHA512', 'SMD5') THEN 'ssha' "
        "WHEN %2$s IN ('ARGON2I', 'ARGON2ID') THEN 'argon2' ELSE %3$s END "
        "WHEN %4$s THEN 'md5' ELSE %5$s END",
        p, scheme, crypt, hex32, bare_crypt);
    }
}

/* SQL: the salt part ("$1$c9809462$") of a salted crypt(3) hash, NULL for others. */
static char *
salt_sql (const char *h)
{
  return g_strdup_printf (
    "CASE WHEN %1$s LIKE '$1$%%' OR %1$s LIKE '$5$%%' OR %1$s LIKE '$6$%%' OR %1$s LIKE '$y$%%' "
    "THEN LEFT(%1$s, length(%1$s) - POSITION('$' IN REVERSE(%1$s)) + 1) "
    "WHEN %1$s LIKE '$2_$%%' THEN LEFT(%1$s, 29) END", h);
}

gboolean
_mw_health_passwords (MwHealthRun              *run,
                      const MwHealthPasswords  *w,
                      GError                  **error)
{
  g_autofree char *kind = kind_sql (run->driver, w);
  g_autofree char *bare = w->scheme_expr != NULL ? g_strdup (w->password_expr) : bare_hash_sql (w->password_expr);
  g_autofree char *salt = salt_sql (bare);
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  g_autoptr(GHashTable) weak = g_hash_table_new (g_str_hash, g_str_equal);   /* finding id -> count */
  MwHealthFinding *f;
  guint64 total = 0;
  gint64 shared;

  /* One pass for the counts. */
  sql = g_strdup_printf ("SELECT k, count(*) FROM (SELECT %s AS k %s) x GROUP BY k ORDER BY count(*) DESC, k",
                         kind, w->from);
  if ((r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    total += (guint64) mw_db_result_get_int64 (r, i, 1);
  f = _mw_health_add (run, "password-schemes", MW_HEALTH_SEVERITY_INFO, total,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "How the password of %" G_GUINT64_FORMAT " account is stored.",
                                                    "How the passwords of %" G_GUINT64_FORMAT
                                                    " accounts are stored, by scheme.", total), total),
                      _("Nothing to do here; the weak schemes have findings of their own."));
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *k = mw_db_result_get_string (r, i, 0);
      gint64 n = mw_db_result_get_int64 (r, i, 1);
      g_autofree char *label = g_strdup_printf ("%s: %s", k, kind_label (k));

      /* Every scheme, whatever max_samples says: they are few. */
      g_ptr_array_add (f->samples, mw_health_sample_new (MW_HEALTH_TARGET_NONE, NULL, w->list, NULL, label,
                                                        (guint64) n));
      for (guint j = 0; j < G_N_ELEMENTS (kinds); j++)
        if (g_str_equal (kinds[j].kind, k) && kinds[j].finding != NULL)
          g_hash_table_insert (weak, (gpointer) kinds[j].finding,
                               GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (weak, kinds[j].finding))
                                                 + (gsize) n));
    }

  /* The weak kinds, each with the accounts to ask for a new password. */
  static const char *const weak_order[] = { "password-plaintext", "password-unsalted", "password-des-crypt",
                                            "password-md5-crypt", "password-bcrypt-low-cost" };
  for (guint i = 0; i < G_N_ELEMENTS (weak_order); i++)
    {
      const char *id = weak_order[i];
      guint64 n = GPOINTER_TO_SIZE (g_hash_table_lookup (weak, id));
      g_autoptr(GString) in = g_string_new (NULL);
      g_autofree char *reason = NULL;
      g_autofree char *sample_sql = NULL;

      if (n == 0)
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (kinds); j++)
        if (g_strcmp0 (kinds[j].finding, id) == 0)
          g_string_append_printf (in, "%s'%s'", in->len > 0 ? ", " : "", kinds[j].kind);

      if (g_str_equal (id, "password-plaintext"))
        reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%" G_GUINT64_FORMAT " password is stored as plain text: anyone "
                                               "who reads the database or a backup can log in.",
                                               "%" G_GUINT64_FORMAT " passwords are stored as plain text: anyone "
                                               "who reads the database or a backup can log in.", n), n);
      else if (g_str_equal (id, "password-unsalted"))
        reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%" G_GUINT64_FORMAT " password is stored as an unsalted digest "
                                               "(MD5, SHA-1 …): lookup tables reverse common ones at once.",
                                               "%" G_GUINT64_FORMAT " passwords are stored as unsalted digests "
                                               "(MD5, SHA-1 …): lookup tables reverse common ones at once.", n),
                                  n);
      else if (g_str_equal (id, "password-des-crypt"))
        reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%" G_GUINT64_FORMAT " password is stored with DES crypt, which "
                                               "uses only its first 8 characters and is cracked in hours.",
                                               "%" G_GUINT64_FORMAT " passwords are stored with DES crypt, which "
                                               "uses only their first 8 characters and is cracked in hours.", n),
                                  n);
      else if (g_str_equal (id, "password-md5-crypt"))
        reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%" G_GUINT64_FORMAT " password is stored with MD5-crypt, which "
                                               "graphics cards try billions of times a second.",
                                               "%" G_GUINT64_FORMAT " passwords are stored with MD5-crypt, which "
                                               "graphics cards try billions of times a second.", n), n);
      else
        reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%" G_GUINT64_FORMAT " password is stored with bcrypt at a cost "
                                               "below %d, too cheap to slow down guessing.",
                                               "%" G_GUINT64_FORMAT " passwords are stored with bcrypt at a cost "
                                               "below %d, too cheap to slow down guessing.", n),
                                  n, MW_HEALTH_BCRYPT_MIN_COST);
      f = _mw_health_add (run, id, MW_HEALTH_SEVERITY_WARNING, n, g_steal_pointer (&reason),
                          _("Ask these accounts for a new password: setting it again stores it with a strong "
                            "scheme (SHA-512-crypt, bcrypt or yescrypt)."));
      mw_health_finding_set_list (f, w->list, NULL);
      sample_sql = g_strdup_printf ("SELECT akey, aname FROM (SELECT %s AS akey, %s AS aname, %s AS k %s) x "
                                    "WHERE k IN (%s) ORDER BY aname LIMIT %u",
                                    w->key_expr, w->name_expr, kind, w->from, in->str, run->max_samples);
      if (!_mw_health_samples (run, f, sample_sql, MW_HEALTH_TARGET_ACCOUNT, w->list, error))
        return FALSE;
    }

  /* Salts shared by several accounts (PostfixAdmin 3.3's md5crypt: all). */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM (SELECT %1$s AS s %2$s) x WHERE s IN "
                         "(SELECT s FROM (SELECT %1$s AS s %2$s) y WHERE s IS NOT NULL GROUP BY s "
                         "HAVING count(*) >= %3$d)", salt, w->from, MW_HEALTH_SHARED_SALT_MIN);
  if ((shared = _mw_health_count (run, sql, error)) < 0)
    return FALSE;
  if (shared > 0)
    {
      g_autofree char *sample_sql = NULL;

      f = _mw_health_add (run, "password-shared-salt", MW_HEALTH_SEVERITY_WARNING, (guint64) shared,
                          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "%" G_GINT64_FORMAT " account shares its password's salt "
                                                        "with others: equal passwords give equal hashes, and one "
                                                        "guess tests them all.",
                                                        "%" G_GINT64_FORMAT " accounts share their passwords' salt "
                                                        "with others: equal passwords give equal hashes, and one "
                                                        "guess tests them all.", shared), shared),
                          _("Ask these accounts for a new password, stored with a fresh salt each (Mailwarden "
                            "makes one per password)."));
      mw_health_finding_set_list (f, w->list, NULL);
      sample_sql = g_strdup_printf ("SELECT x.akey, x.aname, y.n FROM (SELECT %1$s AS akey, %2$s AS aname, %3$s AS s "
                                    "%4$s) x JOIN (SELECT s, count(*) AS n FROM (SELECT %3$s AS s %4$s) z "
                                    "WHERE s IS NOT NULL GROUP BY s HAVING count(*) >= %5$d) y ON y.s = x.s "
                                    "ORDER BY y.n DESC, x.aname LIMIT %6$u",
                                    w->key_expr, w->name_expr, salt, w->from, MW_HEALTH_SHARED_SALT_MIN,
                                    run->max_samples);
      if (!_mw_health_samples (run, f, sample_sql, MW_HEALTH_TARGET_ACCOUNT, w->list, error))
        return FALSE;
    }
  return TRUE;
}
