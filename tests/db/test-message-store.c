/* test-message-store.c: DBMail 3.x message storage and the demo data on real PostgreSQL and MariaDB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mw-demo-data.h"
#include "mw-dbmail-store.h"
#include "mw-message-writer.h"
#include "mw-test-db.h"

/* ------------------------------------------------------------------------ */
/* The corpus                                                               */
/* ------------------------------------------------------------------------ */

#define STATIC_BYTES(s) g_bytes_new_static ((s), sizeof (s) - 1)

static void
append_base64 (GString      *out,
               const guint8 *data,
               gsize         len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  gsize n = strlen (b64);

  for (gsize i = 0; i < n; i += 76)
    {
      g_string_append_len (out, b64 + i, (gssize) MIN (76, n - i));
      g_string_append_c (out, '\n');
    }
}

static GBytes *
msg_plain (void)
{
  return STATIC_BYTES (
    "Return-Path: <alice@example.org>\n"
    "Received: from mail.example.org (mail.example.org [192.0.2.10])\n"
    "\tby mx.example.com (Postfix) with ESMTPS id 4ABC123\n"
    "\tfor <bob@example.com>; Wed, 05 Nov 2025 10:11:12 +0100 (CET)\n"
    "From: Alice Example <alice@example.org>\n"
    "To: Bob Builder <bob@example.com>, carol@example.net\n"
    "Subject: Re: [team] Lunch on Friday?\n"
    "Date: Wed, 05 Nov 2025 10:11:12 +0100\n"
    "Message-ID: <plain.1@example.org>\n"
    "In-Reply-To: <question.7@example.com>\n"
    "References: <start.1@example.com> <question.7@example.com>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "Hi Bob,\n"
    "\n"
    "shall we have lunch on Friday? The new place opposite the station.\n"
    "\n"
    "Alice\n");
}

static GBytes *
msg_plain_crlf (void)
{
  g_autoptr(GBytes) plain = msg_plain ();
  GString *out = g_string_new (NULL);
  gsize len;
  const char *data = g_bytes_get_data (plain, &len);

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n')
        g_string_append_c (out, '\r');
      g_string_append_c (out, data[i]);
    }
  return g_string_free_to_bytes (out);
}

static const guint8 png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
  0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
  0xae, 0x42, 0x60, 0x82,
};

/* multipart/mixed with preamble, text, two base64 attachments, epilogue */
static GBytes *
msg_mixed (void)
{
  GString *m = g_string_new (NULL);
  guint8 pdf[3000];

  for (guint i = 0; i < sizeof pdf; i++)
    pdf[i] = (guint8) ((i * 7919) >> 3);
  g_string_append (m,
                   "From: Carla Rossi <carla@example.net>\n"
                   "To: bob@example.com\n"
                   "Subject: Report with attachments\n"
                   "Date: Thu, 06 Nov 2025 08:00:00 -0500\n"
                   "Message-ID: <mixed.1@example.net>\n"
                   "MIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed;\n"
                   "\tboundary=\"=-=-=mixed-boundary=-=-=\"\n"
                   "\n"
                   "This is a multi-part message in MIME format.\n"
                   "\n"
                   "--=-=-=mixed-boundary=-=-=\n"
                   "Content-Type: text/plain; charset=utf-8\n"
                   "Content-Transfer-Encoding: 8bit\n"
                   "\n"
                   "Hello Bob, the report is attached. Grüße!\n"
                   "\n"
                   "--=-=-=mixed-boundary=-=-=\n"
                   "Content-Type: application/pdf; name=\"report.pdf\"\n"
                   "Content-Disposition: attachment; filename=\"report.pdf\"\n"
                   "Content-Transfer-Encoding: base64\n"
                   "\n");
  append_base64 (m, pdf, sizeof pdf);
  g_string_append (m,
                   "--=-=-=mixed-boundary=-=-=\n"
                   "Content-Type: image/png; name=\"logo.png\"\n"
                   "Content-Transfer-Encoding: base64\n"
                   "\n");
  append_base64 (m, png, sizeof png);
  g_string_append (m,
                   "--=-=-=mixed-boundary=-=-=--\n"
                   "\n"
                   "This is the epilogue. It is kept.\n");
  return g_string_free_to_bytes (m);
}

/* multipart/alternative inside multipart/mixed; the inner boundary starts
 * with the outer one */
static GBytes *
msg_nested (void)
{
  GString *m = g_string_new (NULL);

  g_string_append (m,
                   "From: =?ISO-8859-1?Q?Fran=E7ois_Lef=E8vre?= <francois@example.org>\n"
                   "To: undisclosed-recipients:;\n"
                   "Cc: \"Smith, John\" <john@example.com>, team: a@example.org, b@example.org;\n"
                   "Subject: Newsletter\n"
                   "Date: Fri, 07 Nov 2025 18:30:00 +0000\n"
                   "Message-ID: <nested.1@example.org>\n"
                   "MIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed; boundary=outer\n"
                   "\n"
                   "--outer\n"
                   "Content-Type: multipart/alternative; boundary=\"outer-alt\"\n"
                   "\n"
                   "--outer-alt\n"
                   "Content-Type: text/plain; charset=utf-8\n"
                   "Content-Transfer-Encoding: quoted-printable\n"
                   "\n"
                   "Caf=C3=A9 news: the =\n"
                   "menu changed.\n"
                   "--outer-alt\n"
                   "Content-Type: text/html; charset=utf-8\n"
                   "\n"
                   "<html><body><p>Caf&eacute; news</p></body></html>\n"
                   "--outer-alt--\n"
                   "\n"
                   "--outer\n"
                   "Content-Type: text/calendar; method=REQUEST\n"
                   "Content-Transfer-Encoding: base64\n"
                   "\n");
  append_base64 (m, (const guint8 *) "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n", 41);
  g_string_append (m, "--outer--\n");
  return g_string_free_to_bytes (m);
}

/* ISO-8859-1 bodies: quoted-printable and raw 8-bit; a raw 8-bit header */
static GBytes *
msg_latin1 (void)
{
  return STATIC_BYTES (
    "From: Dorte Jaeger <doerte@example.org>\n"
    "To: lea@example.com\n"
    "Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus_M=FCnchen?=\n"
    "Organization: Caf\xe9 M\xfcller\n"
    "Date: Sat, 8 Nov 25 09:05 +0100\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"latin\"\n"
    "\n"
    "--latin\n"
    "Content-Type: text/plain; charset=ISO-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Die =DCbergabe der Schl=FCssel ist am Dienstag. Die Stra=DFe ist gesperrt, =\n"
    "bitte bringt eure Ausweise mit.\n"
    "--latin\n"
    "Content-Type: text/plain; charset=ISO-8859-1\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "Gr\xfc\xdf" "e, \xe0 bient\xf4t, se\xf1ora N\xfa\xf1" "ez.\n"
    "--latin--\n");
}

/* RFC 2047 words (two adjacent ones, B and Q), a base64 text body */
static GBytes *
msg_rfc2047_base64 (void)
{
  GString *m = g_string_new (NULL);
  const char *text = "Привет! Это тестовое сообщение в кодировке base64.\nВторая строка.\n";

  g_string_append (m,
                   "From: =?UTF-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.net>\n"
                   "To: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.org>\n"
                   "Subject: =?UTF-8?B?0KHRh9GR0YI=?= =?UTF-8?Q?_na_oplatu_=E2=82=AC?=\n"
                   "Date: Sun, 09 Nov 2025 23:59:59 +0300\n"
                   "Message-ID: <b64.1@example.net>\n"
                   "MIME-Version: 1.0\n"
                   "Content-Type: text/plain; charset=\"utf-8\"\n"
                   "Content-Transfer-Encoding: base64\n"
                   "\n");
  append_base64 (m, (const guint8 *) text, strlen (text));
  return g_string_free_to_bytes (m);
}

/* a forwarded message (message/rfc822 holding a multipart) */
static GBytes *
msg_forward (void)
{
  return STATIC_BYTES (
    "From: bob@example.com\n"
    "To: alice@example.org\n"
    "Subject: Fwd: Report with attachments\n"
    "Date: Mon, 10 Nov 2025 07:00:00 +0100\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"fwd\"\n"
    "\n"
    "--fwd\n"
    "Content-Type: text/plain\n"
    "\n"
    "See below.\n"
    "--fwd\n"
    "Content-Type: message/rfc822\n"
    "Content-Disposition: inline\n"
    "\n"
    "From: Carla Rossi <carla@example.net>\n"
    "Subject: Report\n"
    "Content-Type: multipart/alternative; boundary=\"inner\"\n"
    "\n"
    "preamble of the inner message\n"
    "--inner\n"
    "Content-Type: text/plain\n"
    "\n"
    "plain\n"
    "--inner\n"
    "Content-Type: text/html\n"
    "\n"
    "<p>html</p>\n"
    "--inner--\n"
    "--fwd--\n");
}

/* multipart/digest: parts without Content-Type are message/rfc822 */
static GBytes *
msg_digest (void)
{
  return STATIC_BYTES (
    "From: list@example.org\n"
    "Subject: Digest 42\n"
    "Content-Type: multipart/digest; boundary=d\n"
    "\n"
    "--d\n"
    "\n"
    "From: a@example.org\n"
    "Subject: one\n"
    "\n"
    "first\n"
    "--d\n"
    "\n"
    "From: b@example.org\n"
    "Subject: two\n"
    "\n"
    "second\n"
    "--d--\n");
}

static GBytes *
msg_no_final_boundary (void)
{
  return STATIC_BYTES ("From: broken@example.org\n"
                       "Subject: no final boundary\n"
                       "Content-Type: multipart/mixed; boundary=\"cut\"\n"
                       "\n"
                       "--cut\n"
                       "Content-Type: text/plain\n"
                       "\n"
                       "first part\n"
                       "--cut\n"
                       "Content-Type: application/octet-stream\n"
                       "Content-Transfer-Encoding: base64\n"
                       "\n"
                       "AAECAwQFBgcICQ==\n"
                       "and the mail was cut off here");
}

static GBytes *
msg_inner_no_final_boundary (void)
{
  return STATIC_BYTES ("From: broken@example.org\n"
                       "Subject: inner part not closed\n"
                       "Content-Type: multipart/mixed; boundary=\"o\"\n"
                       "\n"
                       "--o\n"
                       "Content-Type: multipart/alternative; boundary=\"i\"\n"
                       "\n"
                       "--i\n"
                       "Content-Type: text/plain\n"
                       "\n"
                       "only part\n"
                       "--o\n"
                       "Content-Type: text/plain\n"
                       "\n"
                       "second\n"
                       "--o--\n");
}

static GBytes *
msg_broken_base64 (void)
{
  return STATIC_BYTES ("From: broken@example.org\n"
                       "Subject: broken base64\n"
                       "MIME-Version: 1.0\n"
                       "Content-Type: multipart/mixed; boundary=\"b\"\n"
                       "\n"
                       "--b\n"
                       "Content-Type: image/jpeg; name=x.jpg\n"
                       "Content-Transfer-Encoding: base64\n"
                       "\n"
                       "/9j/4AAQSkZJRgABAQ!!!@@@ not base64 at all ===\n"
                       "QUJD\n"
                       "QU\n"
                       "--b  \n"
                       "this line has padding after the boundary\n"
                       "--b--\n");
}

static GBytes *
msg_huge_header (void)
{
  GString *m = g_string_new ("From: long@example.org\nTo: bob@example.com\nSubject: ");
  const char *words = "very long subject line ";

  while (m->len < 2 * 1024 * 1024)
    g_string_append (m, words);
  g_string_append (m, "\nX-Also-Long: ");
  for (guint i = 0; i < 50000; i++)
    g_string_append (m, "x");
  g_string_append (m, "\nDate: Tue, 11 Nov 2025 12:00:00 +0100\n\nbody\n");
  return g_string_free_to_bytes (m);
}

static GBytes *
msg_header_only (void)
{
  return STATIC_BYTES ("From: headers@example.org\nSubject: only headers, no body\n");
}

static GBytes *
msg_empty_body (void)
{
  return STATIC_BYTES ("From: empty@example.org\nSubject: empty body\n\n");
}

static GBytes *
msg_odd_layout (void)
{
  /* a part without headers, an empty preamble line, a header-only part,
   * text after the closing boundary without a final line break */
  return STATIC_BYTES ("From: odd@example.org\n"
                       "Subject: odd layout\n"
                       "Content-Type: multipart/mixed; boundary=z\n"
                       "\n"
                       "\n"
                       "--z\n"
                       "\n"
                       "part without headers\n"
                       "--z\n"
                       "Content-Type: text/plain\n"
                       "--z\n"
                       "Content-Type: text/plain\n"
                       "\n"
                       "\n"
                       "--z--\n"
                       "trailing text");
}

/* What DBMail 3.5's IMAP server sends for BODY[] (LF line ends) where that
 * is not the message itself, worked out by hand from DBMail's rules (see
 * mw-message-store.c) and GMime's way of writing a message back. */

/* The embedded multipart ends the message/rfc822 part, the last part: at the
 * end DBMail closes only the outermost boundary, so "--inner--" is gone, and
 * GMime writes the message part followed by its own "\n". */
#define SERVED_FORWARD \
  "From: bob@example.com\n" \
  "To: alice@example.org\n" \
  "Subject: Fwd: Report with attachments\n" \
  "Date: Mon, 10 Nov 2025 07:00:00 +0100\n" \
  "MIME-Version: 1.0\n" \
  "Content-Type: multipart/mixed; boundary=\"fwd\"\n" \
  "\n" \
  "--fwd\n" \
  "Content-Type: text/plain\n" \
  "\n" \
  "See below.\n" \
  "--fwd\n" \
  "Content-Type: message/rfc822\n" \
  "Content-Disposition: inline\n" \
  "\n" \
  "From: Carla Rossi <carla@example.net>\n" \
  "Subject: Report\n" \
  "Content-Type: multipart/alternative; boundary=\"inner\"\n" \
  "\n" \
  "preamble of the inner message\n" \
  "--inner\n" \
  "Content-Type: text/plain\n" \
  "\n" \
  "plain\n" \
  "--inner\n" \
  "Content-Type: text/html\n" \
  "\n" \
  "<p>html</p>\n" \
  "\n" \
  "--fwd--\n"

/* Each part of a digest is a message/rfc822 part with an empty header: its
 * row names no type, so DBMail still takes the last type seen (not
 * message/rfc822) and writes a second "--d" before the embedded message.
 * GMime then reads four parts: two empty ones (an empty header block,
 * written back as "\n") and the two messages, whose "first" and "second"
 * it takes for header lines of an embedded message (written back with a
 * blank line after them). Every part is followed by "\n". */
#define SERVED_DIGEST \
  "From: list@example.org\n" \
  "Subject: Digest 42\n" \
  "Content-Type: multipart/digest; boundary=d\n" \
  "\n" \
  "--d\n" \
  "\n" \
  "\n" \
  "--d\n" \
  "From: a@example.org\n" \
  "Subject: one\n" \
  "\n" \
  "first\n" \
  "\n" \
  "\n" \
  "--d\n" \
  "\n" \
  "\n" \
  "--d\n" \
  "From: b@example.org\n" \
  "Subject: two\n" \
  "\n" \
  "second\n" \
  "\n" \
  "\n" \
  "--d--\n"

/* GMime keeps the cut-off text as the last part's body; DBMail's final
 * "\n--cut--\n" closes the multipart. */
#define SERVED_NO_FINAL_BOUNDARY \
  "From: broken@example.org\n" \
  "Subject: no final boundary\n" \
  "Content-Type: multipart/mixed; boundary=\"cut\"\n" \
  "\n" \
  "--cut\n" \
  "Content-Type: text/plain\n" \
  "\n" \
  "first part\n" \
  "--cut\n" \
  "Content-Type: application/octet-stream\n" \
  "Content-Transfer-Encoding: base64\n" \
  "\n" \
  "AAECAwQFBgcICQ==\n" \
  "and the mail was cut off here\n" \
  "--cut--\n"

/* When the depth falls back to the second part, DBMail closes "i" with
 * "\n--i--\n", then opens the part with "\n--o\n". */
#define SERVED_INNER_NO_FINAL_BOUNDARY \
  "From: broken@example.org\n" \
  "Subject: inner part not closed\n" \
  "Content-Type: multipart/mixed; boundary=\"o\"\n" \
  "\n" \
  "--o\n" \
  "Content-Type: multipart/alternative; boundary=\"i\"\n" \
  "\n" \
  "--i\n" \
  "Content-Type: text/plain\n" \
  "\n" \
  "only part\n" \
  "--i--\n" \
  "\n" \
  "--o\n" \
  "Content-Type: text/plain\n" \
  "\n" \
  "second\n" \
  "--o--\n"

/* GMime ends the image at the padded boundary line and keeps nothing of the
 * line after it, which has no header block: DBMail never stores it. */
#define SERVED_BROKEN_BASE64 \
  "From: broken@example.org\n" \
  "Subject: broken base64\n" \
  "MIME-Version: 1.0\n" \
  "Content-Type: multipart/mixed; boundary=\"b\"\n" \
  "\n" \
  "--b\n" \
  "Content-Type: image/jpeg; name=x.jpg\n" \
  "Content-Transfer-Encoding: base64\n" \
  "\n" \
  "/9j/4AAQSkZJRgABAQ!!!@@@ not base64 at all ===\n" \
  "QUJD\n" \
  "QU\n" \
  "--b--\n"

/* DBMail writes "\n" after every header row: the blank line appears. */
#define SERVED_HEADER_ONLY "From: headers@example.org\nSubject: only headers, no body\n\n"

/* The part without headers: GMime writes it as "\n" + text, and DBMail's
 * search for the end of a header block skips the first byte, finds no blank
 * line and stores no body; the header-only part gets GMime's blank line. */
#define SERVED_ODD_LAYOUT \
  "From: odd@example.org\n" \
  "Subject: odd layout\n" \
  "Content-Type: multipart/mixed; boundary=z\n" \
  "\n" \
  "\n" \
  "--z\n" \
  "\n" \
  "\n" \
  "--z\n" \
  "Content-Type: text/plain\n" \
  "\n" \
  "\n" \
  "--z\n" \
  "Content-Type: text/plain\n" \
  "\n" \
  "\n" \
  "--z--\n" \
  "trailing text"

typedef struct
{
  const char *name;
  GBytes   *(*build) (void);
  int         rows;      /* partlists rows DBMail writes */
  const char *served;    /* NULL: the message itself (LF line ends) */
} Sample;

static const Sample corpus[] = {
  { "plain", msg_plain, 2, NULL },
  { "plain-crlf", msg_plain_crlf, 2, NULL },
  { "mixed", msg_mixed, 9, NULL },
  { "nested", msg_nested, 9, NULL },
  { "latin1", msg_latin1, 5, NULL },
  { "rfc2047-base64", msg_rfc2047_base64, 2, NULL },
  { "forward", msg_forward, 10, SERVED_FORWARD },
  { "digest", msg_digest, 7, SERVED_DIGEST },
  { "no-final-boundary", msg_no_final_boundary, 5, SERVED_NO_FINAL_BOUNDARY },
  { "inner-no-final-boundary", msg_inner_no_final_boundary, 6, SERVED_INNER_NO_FINAL_BOUNDARY },
  { "broken-base64", msg_broken_base64, 3, SERVED_BROKEN_BASE64 },
  { "huge-header", msg_huge_header, 2, NULL },
  { "header-only", msg_header_only, 1, SERVED_HEADER_ONLY },
  { "empty-body", msg_empty_body, 1, NULL },
  { "odd-layout", msg_odd_layout, 6, SERVED_ODD_LAYOUT },
};


static GBytes *
normalized (GBytes *raw)
{
  gsize len;
  const char *data = g_bytes_get_data (raw, &len);
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
      g_string_append_c (out, data[i]);
  return g_string_free_to_bytes (out);
}

/* What IMAP serves for corpus[i], with LF line ends. */
static GBytes *
served_of (const Sample *sample,
           GBytes       *raw)
{
  if (sample->served != NULL)
    return g_bytes_new_static (sample->served, strlen (sample->served));
  return normalized (raw);
}

static void
assert_same_message (const char *name,
                     GBytes     *expected,
                     GBytes     *got)
{
  gsize elen, glen;
  const char *e = g_bytes_get_data (expected, &elen);
  const char *g = g_bytes_get_data (got, &glen);
  gsize i = 0;

  while (i < elen && i < glen && e[i] == g[i])
    i++;
  if (i == elen && i == glen)
    return;
  g_test_message ("%s differs at byte %" G_GSIZE_FORMAT " (lengths %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT "):\n"
                  "expected: %.80s\ngot:      %.80s", name, i, elen, glen,
                  i < elen ? e + i : "<end>", i < glen ? g + i : "<end>");
  g_assert_cmpmem (e, elen, g, glen);
}

/* ------------------------------------------------------------------------ */
/* Without a database                                                       */
/* ------------------------------------------------------------------------ */

static void
test_split_join (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autoptr(GBytes) raw = corpus[i].build ();
      g_autoptr(GBytes) expected = served_of (&corpus[i], raw);
      g_autoptr(GPtrArray) parts = mw_message_store_split (raw);
      g_autoptr(GBytes) joined = mw_message_store_join (parts);
      g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      assert_same_message (corpus[i].name, expected, joined);
      if ((int) parts->len != corpus[i].rows)
        g_test_message ("%s: %u rows", corpus[i].name, parts->len);
      g_assert_cmpint (parts->len, ==, corpus[i].rows);

      /* DBMail's rules: (key, depth, order) unique, headers open a key at order 0 */
      for (guint j = 0; j < parts->len; j++)
        {
          MwMessagePart *part = g_ptr_array_index (parts, j);
          char *key = g_strdup_printf ("%d/%d/%d", part->part_key, part->part_depth, part->part_order);

          g_assert_true (g_hash_table_add (keys, key));
          if (part->is_header)
            g_assert_cmpint (part->part_order, ==, 0);
          else
            g_assert_cmpint (part->part_order, >=, 1);
        }
    }
}

static void
test_split_layout (void)
{
  /* keys 1/2/3, depth 0/1/1, as seen on a real DBMail for a two-part
   * multipart/mixed; without a preamble or an epilogue (GMime finds none)
   * there are five rows. */
  g_autoptr(GBytes) raw = STATIC_BYTES ("Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n"
                                        "--b\nContent-Type: text/plain\n\none\n"
                                        "--b\nContent-Type: text/plain\n\ntwo\n--b--\n");
  g_autoptr(GPtrArray) parts = mw_message_store_split (raw);
  static const int expected[][4] = {   /* key, depth, order, is_header */
    { 1, 0, 0, 1 },
    { 2, 1, 0, 1 }, { 2, 1, 1, 0 },
    { 3, 1, 0, 1 }, { 3, 1, 1, 0 },
  };

  g_assert_cmpuint (parts->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < parts->len; i++)
    {
      MwMessagePart *part = g_ptr_array_index (parts, i);

      g_assert_cmpint (part->part_key, ==, expected[i][0]);
      g_assert_cmpint (part->part_depth, ==, expected[i][1]);
      g_assert_cmpint (part->part_order, ==, expected[i][2]);
      g_assert_cmpint (part->is_header, ==, expected[i][3]);
    }
  /* header blobs keep their last line break; body blobs lose the one that
   * belongs to the boundary */
  g_assert_cmpmem (g_bytes_get_data (((MwMessagePart *) parts->pdata[1])->data, NULL),
                   g_bytes_get_size (((MwMessagePart *) parts->pdata[1])->data),
                   "Content-Type: text/plain\n", 25);
  g_assert_cmpmem (g_bytes_get_data (((MwMessagePart *) parts->pdata[2])->data, NULL),
                   g_bytes_get_size (((MwMessagePart *) parts->pdata[2])->data), "one", 3);
}

/* ------------------------------------------------------------------------ */
/* Messages with every row written out                                      */
/* ------------------------------------------------------------------------ */

/* For each message: the partlists rows DBMail 3.5's writer stores
 * (store_mime_object: GMime's header block of each entity, its body less
 * the line break that belongs to the next boundary, prologue and epilogue
 * when GMime found them) and what its IMAP server then sends for BODY[]
 * (_mime_retrieve's text, read and written back by GMime), both worked out
 * by hand. gmime_adds: how many "\n" GMime's own writing of the delivered
 * message adds to it; DBMail's rfcsize is the CRLF size of that writing. */

typedef struct
{
  int         key;
  int         depth;
  int         order;
  gboolean    is_header;
  const char *data;
} Row;

typedef struct
{
  const char *name;
  const char *message;
  const Row  *rows;
  guint       n_rows;
  const char *served;      /* NULL: the message itself */
  int         gmime_adds;
} DbmailCase;

/* Neither preamble nor epilogue: none is stored, and the final boundary is
 * DBMail's own "\n--alt--\n" after more than two rows. */
static const char alt_message[] =
  "From: a@example.org\n"
  "Subject: alternative\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/alternative; boundary=\"alt\"\n"
  "\n"
  "--alt\n"
  "Content-Type: text/plain; charset=utf-8\n"
  "\n"
  "plain text\n"
  "--alt\n"
  "Content-Type: text/html; charset=utf-8\n"
  "\n"
  "<p>html text</p>\n"
  "--alt--\n";

static const Row alt_rows[] = {
  { 1, 0, 0, TRUE, "From: a@example.org\nSubject: alternative\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/alternative; boundary=\"alt\"\n" },
  { 2, 1, 0, TRUE, "Content-Type: text/plain; charset=utf-8\n" },
  { 2, 1, 1, FALSE, "plain text" },
  { 3, 1, 0, TRUE, "Content-Type: text/html; charset=utf-8\n" },
  { 3, 1, 1, FALSE, "<p>html text</p>" },
};

/* Preamble and epilogue, a base64 attachment; the epilogue row comes after
 * the children at depth 0, part_order 3, and closing "mix" as the depth
 * falls to it is all the closing there is. */
static const char mix_message[] =
  "From: b@example.org\n"
  "Subject: report\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"mix\"\n"
  "\n"
  "This is a multi-part message in MIME format.\n"
  "--mix\n"
  "Content-Type: text/plain\n"
  "\n"
  "The report is attached.\n"
  "\n"
  "--mix\n"
  "Content-Type: application/octet-stream; name=\"data.bin\"\n"
  "Content-Disposition: attachment; filename=\"data.bin\"\n"
  "Content-Transfer-Encoding: base64\n"
  "\n"
  "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\n"
  "OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3Bx\n"
  "--mix--\n"
  "This is the epilogue.\n";

static const Row mix_rows[] = {
  { 1, 0, 0, TRUE, "From: b@example.org\nSubject: report\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed; boundary=\"mix\"\n" },
  { 1, 0, 1, FALSE, "This is a multi-part message in MIME format." },
  { 2, 1, 0, TRUE, "Content-Type: text/plain\n" },
  { 2, 1, 1, FALSE, "The report is attached.\n" },
  { 3, 1, 0, TRUE, "Content-Type: application/octet-stream; name=\"data.bin\"\n"
                   "Content-Disposition: attachment; filename=\"data.bin\"\n"
                   "Content-Transfer-Encoding: base64\n" },
  { 3, 1, 1, FALSE, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\n"
                    "OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3Bx" },
  { 3, 0, 3, FALSE, "This is the epilogue.\n" },
};

/* Two levels. "--in--" is directly followed by "--out": GMime finds no
 * epilogue for "in", so no row marks its end; the next header (depth 1)
 * closes it with "\n--in--\n" and opens its part with "\n--out\n", one
 * blank line more than delivered. */
static const char nested2_message[] =
  "From: c@example.org\n"
  "Subject: nested\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"out\"\n"
  "\n"
  "--out\n"
  "Content-Type: multipart/alternative; boundary=\"in\"\n"
  "\n"
  "--in\n"
  "Content-Type: text/plain\n"
  "\n"
  "plain\n"
  "--in\n"
  "Content-Type: text/html\n"
  "\n"
  "<p>html</p>\n"
  "--in--\n"
  "--out\n"
  "Content-Type: text/plain; name=\"notes.txt\"\n"
  "\n"
  "notes\n"
  "--out--\n";

static const Row nested2_rows[] = {
  { 1, 0, 0, TRUE, "From: c@example.org\nSubject: nested\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed; boundary=\"out\"\n" },
  { 2, 1, 0, TRUE, "Content-Type: multipart/alternative; boundary=\"in\"\n" },
  { 3, 2, 0, TRUE, "Content-Type: text/plain\n" },
  { 3, 2, 1, FALSE, "plain" },
  { 4, 2, 0, TRUE, "Content-Type: text/html\n" },
  { 4, 2, 1, FALSE, "<p>html</p>" },
  { 5, 1, 0, TRUE, "Content-Type: text/plain; name=\"notes.txt\"\n" },
  { 5, 1, 1, FALSE, "notes" },
};

static const char nested2_served[] =
  "From: c@example.org\n"
  "Subject: nested\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"out\"\n"
  "\n"
  "--out\n"
  "Content-Type: multipart/alternative; boundary=\"in\"\n"
  "\n"
  "--in\n"
  "Content-Type: text/plain\n"
  "\n"
  "plain\n"
  "--in\n"
  "Content-Type: text/html\n"
  "\n"
  "<p>html</p>\n"
  "--in--\n"
  "\n"
  "--out\n"
  "Content-Type: text/plain; name=\"notes.txt\"\n"
  "\n"
  "notes\n"
  "--out--\n";

/* Three levels: from depth 3 back to 1 in one step, DBMail closes "l3",
 * then "l2", each with "\n--B--\n". */
static const char nested3_message[] =
  "From: d@example.org\n"
  "Subject: three levels\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"l1\"\n"
  "\n"
  "--l1\n"
  "Content-Type: multipart/related; boundary=\"l2\"\n"
  "\n"
  "--l2\n"
  "Content-Type: multipart/alternative; boundary=\"l3\"\n"
  "\n"
  "--l3\n"
  "Content-Type: text/plain\n"
  "\n"
  "deep plain\n"
  "--l3\n"
  "Content-Type: text/html\n"
  "\n"
  "<p>deep</p>\n"
  "--l3--\n"
  "--l2--\n"
  "--l1\n"
  "Content-Type: application/pdf; name=\"a.pdf\"\n"
  "Content-Transfer-Encoding: base64\n"
  "\n"
  "JVBERi0xLjQK\n"
  "--l1--\n";

static const Row nested3_rows[] = {
  { 1, 0, 0, TRUE, "From: d@example.org\nSubject: three levels\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed; boundary=\"l1\"\n" },
  { 2, 1, 0, TRUE, "Content-Type: multipart/related; boundary=\"l2\"\n" },
  { 3, 2, 0, TRUE, "Content-Type: multipart/alternative; boundary=\"l3\"\n" },
  { 4, 3, 0, TRUE, "Content-Type: text/plain\n" },
  { 4, 3, 1, FALSE, "deep plain" },
  { 5, 3, 0, TRUE, "Content-Type: text/html\n" },
  { 5, 3, 1, FALSE, "<p>deep</p>" },
  { 6, 1, 0, TRUE, "Content-Type: application/pdf; name=\"a.pdf\"\n"
                   "Content-Transfer-Encoding: base64\n" },
  { 6, 1, 1, FALSE, "JVBERi0xLjQK" },
};

static const char nested3_served[] =
  "From: d@example.org\n"
  "Subject: three levels\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"l1\"\n"
  "\n"
  "--l1\n"
  "Content-Type: multipart/related; boundary=\"l2\"\n"
  "\n"
  "--l2\n"
  "Content-Type: multipart/alternative; boundary=\"l3\"\n"
  "\n"
  "--l3\n"
  "Content-Type: text/plain\n"
  "\n"
  "deep plain\n"
  "--l3\n"
  "Content-Type: text/html\n"
  "\n"
  "<p>deep</p>\n"
  "--l3--\n"
  "\n"
  "--l2--\n"
  "\n"
  "--l1\n"
  "Content-Type: application/pdf; name=\"a.pdf\"\n"
  "Content-Transfer-Encoding: base64\n"
  "\n"
  "JVBERi0xLjQK\n"
  "--l1--\n";

/* message/rfc822 inside multipart/mixed, another part after it: the part's
 * header, then the embedded message's header at the same depth with no
 * boundary line between them; its multipart's children one level deeper. */
static const char rfc822_message[] =
  "From: e@example.org\n"
  "Subject: Fwd: hello\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"fwd\"\n"
  "\n"
  "--fwd\n"
  "Content-Type: text/plain\n"
  "\n"
  "See the forwarded message.\n"
  "--fwd\n"
  "Content-Type: message/rfc822\n"
  "\n"
  "From: f@example.org\n"
  "Subject: hello\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/alternative; boundary=\"inner\"\n"
  "\n"
  "--inner\n"
  "Content-Type: text/plain\n"
  "\n"
  "hello\n"
  "--inner\n"
  "Content-Type: text/html\n"
  "\n"
  "<p>hello</p>\n"
  "--inner--\n"
  "--fwd\n"
  "Content-Type: text/plain; name=\"sig.txt\"\n"
  "\n"
  "signature\n"
  "--fwd--\n";

static const Row rfc822_rows[] = {
  { 1, 0, 0, TRUE, "From: e@example.org\nSubject: Fwd: hello\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed; boundary=\"fwd\"\n" },
  { 2, 1, 0, TRUE, "Content-Type: text/plain\n" },
  { 2, 1, 1, FALSE, "See the forwarded message." },
  { 3, 1, 0, TRUE, "Content-Type: message/rfc822\n" },
  { 4, 1, 0, TRUE, "From: f@example.org\nSubject: hello\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/alternative; boundary=\"inner\"\n" },
  { 5, 2, 0, TRUE, "Content-Type: text/plain\n" },
  { 5, 2, 1, FALSE, "hello" },
  { 6, 2, 0, TRUE, "Content-Type: text/html\n" },
  { 6, 2, 1, FALSE, "<p>hello</p>" },
  { 7, 1, 0, TRUE, "Content-Type: text/plain; name=\"sig.txt\"\n" },
  { 7, 1, 1, FALSE, "signature" },
};

static const char rfc822_served[] =
  "From: e@example.org\n"
  "Subject: Fwd: hello\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"fwd\"\n"
  "\n"
  "--fwd\n"
  "Content-Type: text/plain\n"
  "\n"
  "See the forwarded message.\n"
  "--fwd\n"
  "Content-Type: message/rfc822\n"
  "\n"
  "From: f@example.org\n"
  "Subject: hello\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/alternative; boundary=\"inner\"\n"
  "\n"
  "--inner\n"
  "Content-Type: text/plain\n"
  "\n"
  "hello\n"
  "--inner\n"
  "Content-Type: text/html\n"
  "\n"
  "<p>hello</p>\n"
  "--inner--\n"
  "\n"
  "--fwd\n"
  "Content-Type: text/plain; name=\"sig.txt\"\n"
  "\n"
  "signature\n"
  "--fwd--\n";

/* message/rfc822 as the last part: nothing after it lowers the depth, and
 * the final delimiter closes only "out" (depth 0): "--in--" is lost, and
 * GMime ends the unclosed multipart after its last part ("\n"), then ends
 * the message part ("\n"). */
static const char rfc822_last_message[] =
  "From: g@example.org\n"
  "Subject: Fwd: last\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"out\"\n"
  "\n"
  "--out\n"
  "Content-Type: text/plain\n"
  "\n"
  "Forwarded below.\n"
  "--out\n"
  "Content-Type: message/rfc822\n"
  "\n"
  "From: h@example.org\n"
  "Subject: last\n"
  "Content-Type: multipart/alternative; boundary=\"in\"\n"
  "\n"
  "--in\n"
  "Content-Type: text/plain\n"
  "\n"
  "plain\n"
  "--in\n"
  "Content-Type: text/html\n"
  "\n"
  "<p>html</p>\n"
  "--in--\n"
  "--out--\n";

static const Row rfc822_last_rows[] = {
  { 1, 0, 0, TRUE, "From: g@example.org\nSubject: Fwd: last\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed; boundary=\"out\"\n" },
  { 2, 1, 0, TRUE, "Content-Type: text/plain\n" },
  { 2, 1, 1, FALSE, "Forwarded below." },
  { 3, 1, 0, TRUE, "Content-Type: message/rfc822\n" },
  { 4, 1, 0, TRUE, "From: h@example.org\nSubject: last\n"
                   "Content-Type: multipart/alternative; boundary=\"in\"\n" },
  { 5, 2, 0, TRUE, "Content-Type: text/plain\n" },
  { 5, 2, 1, FALSE, "plain" },
  { 6, 2, 0, TRUE, "Content-Type: text/html\n" },
  { 6, 2, 1, FALSE, "<p>html</p>" },
};

static const char rfc822_last_served[] =
  "From: g@example.org\n"
  "Subject: Fwd: last\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"out\"\n"
  "\n"
  "--out\n"
  "Content-Type: text/plain\n"
  "\n"
  "Forwarded below.\n"
  "--out\n"
  "Content-Type: message/rfc822\n"
  "\n"
  "From: h@example.org\n"
  "Subject: last\n"
  "Content-Type: multipart/alternative; boundary=\"in\"\n"
  "\n"
  "--in\n"
  "Content-Type: text/plain\n"
  "\n"
  "plain\n"
  "--in\n"
  "Content-Type: text/html\n"
  "\n"
  "<p>html</p>\n"
  "\n"
  "--out--\n";

/* A single part whose text does not end with a line break: served as it is. */
static const char no_break_message[] =
  "From: i@example.org\n"
  "Subject: no line break\n"
  "\n"
  "The last line has no line break.";

static const Row no_break_rows[] = {
  { 1, 0, 0, TRUE, "From: i@example.org\nSubject: no line break\n" },
  { 1, 0, 1, FALSE, "The last line has no line break." },
};

/* A preamble, no epilogue, and the closing boundary without a line break:
 * DBMail's final delimiter brings one. */
static const char cut_close_message[] =
  "From: j@example.org\n"
  "Subject: cut short\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"b\"\n"
  "\n"
  "Preamble.\n"
  "--b\n"
  "Content-Type: text/plain\n"
  "\n"
  "one\n"
  "--b\n"
  "Content-Type: text/plain\n"
  "\n"
  "two\n"
  "--b--";

static const Row cut_close_rows[] = {
  { 1, 0, 0, TRUE, "From: j@example.org\nSubject: cut short\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed; boundary=\"b\"\n" },
  { 1, 0, 1, FALSE, "Preamble." },
  { 2, 1, 0, TRUE, "Content-Type: text/plain\n" },
  { 2, 1, 1, FALSE, "one" },
  { 3, 1, 0, TRUE, "Content-Type: text/plain\n" },
  { 3, 1, 1, FALSE, "two" },
};

static const char cut_close_served[] =
  "From: j@example.org\n"
  "Subject: cut short\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"b\"\n"
  "\n"
  "Preamble.\n"
  "--b\n"
  "Content-Type: text/plain\n"
  "\n"
  "one\n"
  "--b\n"
  "Content-Type: text/plain\n"
  "\n"
  "two\n"
  "--b--\n";

/* An epilogue and no preamble. */
static const char epilogue_message[] =
  "From: k@example.org\n"
  "Subject: epilogue\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/mixed; boundary=\"b\"\n"
  "\n"
  "--b\n"
  "Content-Type: text/plain\n"
  "\n"
  "only part\n"
  "--b--\n"
  "\n"
  "Text after the closing boundary.\n";

static const Row epilogue_rows[] = {
  { 1, 0, 0, TRUE, "From: k@example.org\nSubject: epilogue\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed; boundary=\"b\"\n" },
  { 2, 1, 0, TRUE, "Content-Type: text/plain\n" },
  { 2, 1, 1, FALSE, "only part" },
  { 2, 0, 3, FALSE, "\nText after the closing boundary.\n" },
};

/* One empty part: two rows (the part's header is empty and its empty body
 * is not stored), so DBMail adds no final delimiter at all; GMime writes
 * the empty part as a blank line and a "\n". */
static const char two_rows_message[] =
  "From: l@example.org\n"
  "Subject: empty part\n"
  "Content-Type: multipart/mixed; boundary=\"b\"\n"
  "\n"
  "--b\n"
  "\n"
  "--b--\n";

static const Row two_rows_rows[] = {
  { 1, 0, 0, TRUE, "From: l@example.org\nSubject: empty part\nContent-Type: multipart/mixed; boundary=\"b\"\n" },
  { 2, 1, 0, TRUE, "" },
};

static const char two_rows_served[] =
  "From: l@example.org\n"
  "Subject: empty part\n"
  "Content-Type: multipart/mixed; boundary=\"b\"\n"
  "\n"
  "--b\n"
  "\n"
  "\n";

#define CASE(name, prefix, served, adds) \
  { name, prefix##_message, prefix##_rows, G_N_ELEMENTS (prefix##_rows), served, adds }

static const DbmailCase cases[] = {
  CASE ("alternative", alt, NULL, 0),
  CASE ("preamble-epilogue-base64", mix, NULL, 0),
  CASE ("nested-two", nested2, nested2_served, 1),
  CASE ("nested-three", nested3, nested3_served, 2),
  CASE ("rfc822-in-mixed", rfc822, rfc822_served, 1),
  CASE ("rfc822-last", rfc822_last, rfc822_last_served, 1),
  CASE ("no-line-break", no_break, NULL, 0),
  CASE ("close-without-line-break", cut_close, cut_close_served, 1),
  CASE ("epilogue-only", epilogue, NULL, 0),
  CASE ("two-rows", two_rows, two_rows_served, 1),
};

#undef CASE

static GBytes *
case_served (const DbmailCase *c)
{
  const char *text = c->served != NULL ? c->served : c->message;

  return g_bytes_new_static (text, strlen (text));
}

/* The case's rows as MwMessagePart, as DBMail's writer left them. */
static GPtrArray *
case_parts (const DbmailCase *c)
{
  GPtrArray *parts = g_ptr_array_new ();

  for (guint i = 0; i < c->n_rows; i++)
    {
      MwMessagePart *part = g_new0 (MwMessagePart, 1);

      part->part_key = c->rows[i].key;
      part->part_depth = c->rows[i].depth;
      part->part_order = c->rows[i].order;
      part->is_header = c->rows[i].is_header;
      part->data = g_bytes_new_static (c->rows[i].data, strlen (c->rows[i].data));
      g_ptr_array_add (parts, part);
    }
  return parts;
}

static void
case_parts_free (GPtrArray *parts)
{
  for (guint i = 0; i < parts->len; i++)
    {
      MwMessagePart *part = g_ptr_array_index (parts, i);

      g_bytes_unref (part->data);
      g_free (part);
    }
  g_ptr_array_unref (parts);
}

/* Rows as text, one a line, for a readable difference when they differ. */
static char *
rows_dump (const Row *rows,
           guint      n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *data = g_strescape (rows[i].data, NULL);

      g_string_append_printf (out, "%d/%d/%d %s \"%s\"\n", rows[i].key, rows[i].depth, rows[i].order,
                              rows[i].is_header ? "header" : "body", data);
    }
  return g_string_free (out, FALSE);
}

static void
assert_rows (const DbmailCase *c,
             const Row        *got,
             guint             n)
{
  g_autofree char *expected = rows_dump (c->rows, c->n_rows);
  g_autofree char *actual = rows_dump (got, n);

  if (g_strcmp0 (expected, actual) != 0)
    g_test_message ("%s: rows differ", c->name);
  g_assert_cmpstr (actual, ==, expected);
}

static void
assert_parts (const DbmailCase *c,
              GPtrArray        *parts)
{
  g_autofree Row *got = g_new0 (Row, parts->len);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < parts->len; i++)
    {
      MwMessagePart *part = g_ptr_array_index (parts, i);
      gsize len;
      const char *data = g_bytes_get_data (part->data, &len);
      char *text = g_strndup (data != NULL ? data : "", len);

      g_assert_cmpuint (strlen (text), ==, len);
      g_ptr_array_add (texts, text);
      got[i] = (Row) { part->part_key, part->part_depth, part->part_order, part->is_header, text };
    }
  assert_rows (c, got, parts->len);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const MwMessagePart *pa = *(MwMessagePart **) a;
  const MwMessagePart *pb = *(MwMessagePart **) b;

  if (pa->part_key != pb->part_key)
    return pa->part_key - pb->part_key;
  if (pa->part_order != pb->part_order)
    return pa->part_order - pb->part_order;
  return pb->part_depth - pa->part_depth;
}

static void
test_cases_split_join (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DbmailCase *c = &cases[i];
      g_autoptr(GBytes) message = g_bytes_new_static (c->message, strlen (c->message));
      g_autoptr(GBytes) served = case_served (c);
      g_autoptr(GPtrArray) parts = mw_message_store_split (message);
      g_autoptr(GBytes) joined = NULL;
      GPtrArray *dbmail_parts = case_parts (c);
      g_autoptr(GBytes) from_dbmail = mw_message_store_join (dbmail_parts);

      /* DBMail's rows read back give what DBMail serves */
      assert_same_message (c->name, served, from_dbmail);
      /* our writer stores DBMail's rows */
      g_ptr_array_sort (parts, compare_rows);
      assert_parts (c, parts);
      joined = mw_message_store_join (parts);
      assert_same_message (c->name, served, joined);
      case_parts_free (dbmail_parts);
    }
}

/* ------------------------------------------------------------------------ */
/* With a database                                                          */
/* ------------------------------------------------------------------------ */

typedef struct
{
  MwTestDb *tdb;
  gint64    user;
  gint64    inbox;
} Fixture;

static gint64
query_int (MwTestDb   *tdb,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gint64
query_int (MwTestDb   *tdb,
           const char *format,
           ...)
{
  va_list args;
  g_autofree char *sql = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return mw_test_db_int (tdb, sql);
}

static char *
query_string (MwTestDb   *tdb,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static char *
query_string (MwTestDb   *tdb,
              const char *format,
              ...)
{
  va_list args;
  g_autofree char *sql = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return mw_test_db_string (tdb, sql);
}

static void
fixture_init (Fixture       *f,
              gconstpointer  data)
{
  f->tdb = mw_test_db_new (data, TRUE);
  f->user = mw_test_db_add_user (f->tdb, "bob", 1, 0);
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT
                                            ", 'INBOX')", f->user);

    mw_test_db_exec (f->tdb, sql);
  }
  f->inbox = query_int (f->tdb, "SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT,
                        f->user);
}

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->tdb, mw_test_db_free);
}

static gint64
deliver (Fixture *f,
         GBytes  *raw,
         int      status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2025, 11, 12, 13, 14, 15);
  gint64 id = mw_message_store_deliver (f->tdb->db, f->inbox, raw, status, when, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
physmessage_of (Fixture *f,
                gint64   message_idnr)
{
  return query_int (f->tdb, "SELECT physmessage_id FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT,
                    message_idnr);
}

static void
test_roundtrip (gconstpointer data)
{
  Fixture f;

  fixture_init (&f, data);
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autoptr(GBytes) raw = corpus[i].build ();
      g_autoptr(GBytes) delivered = normalized (raw);
      g_autoptr(GBytes) expected = served_of (&corpus[i], raw);
      g_autoptr(GBytes) rebuilt = NULL;
      g_autoptr(GError) error = NULL;
      gint64 message = deliver (&f, raw, 0);
      gint64 phys = physmessage_of (&f, message);
      gsize len = g_bytes_get_size (delivered);
      gsize lines = 0;

      for (gsize j = 0; j < len; j++)
        lines += ((const char *) g_bytes_get_data (delivered, NULL))[j] == '\n';

      rebuilt = mw_message_store_rebuild (f.tdb->db, phys, &error);
      g_assert_no_error (error);
      assert_same_message (corpus[i].name, expected, rebuilt);

      g_assert_cmpint (query_int (f.tdb, "SELECT messagesize FROM dbmail_physmessage WHERE id = %" G_GINT64_FORMAT,
                                  phys), ==, (gint64) len);
      /* where GMime writes the message back unchanged, rfcsize is its size
       * with CRLF (the others are in test_cases_db) */
      if (corpus[i].served == NULL)
        g_assert_cmpint (query_int (f.tdb, "SELECT rfcsize FROM dbmail_physmessage WHERE id = %" G_GINT64_FORMAT,
                                    phys), ==, (gint64) (len + lines));
      g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_partlists WHERE physmessage_id = %"
                                  G_GINT64_FORMAT, phys), ==, corpus[i].rows);
      g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_envelope WHERE physmessage_id = %"
                                  G_GINT64_FORMAT, phys), ==, 1);
    }

  /* internal date is stored in UTC, as DBMail does */
  {
    g_autofree char *when = query_string (f.tdb, "SELECT internal_date FROM dbmail_physmessage ORDER BY id LIMIT 1");

    g_assert_cmpstr (when, ==, "2025-11-12 13:14:15");
  }
  fixture_clear (&f);
}

/* The cases' rows in the database, read back the way DBMail reads them. */
static void
test_cases_db (gconstpointer data)
{
  Fixture f;

  fixture_init (&f, data);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DbmailCase *c = &cases[i];
      g_autoptr(GBytes) message = g_bytes_new_static (c->message, strlen (c->message));
      g_autoptr(GBytes) served = case_served (c);
      g_autoptr(GBytes) rebuilt = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(MwDbResult) r = NULL;
      g_autofree Row *got = NULL;
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
      gint64 phys = physmessage_of (&f, deliver (&f, message, 0));
      MwDbValue params[] = { MW_DB_INT64 (phys) };
      gsize len = strlen (c->message);
      gsize lines = 0;

      r = mw_db_exec (f.tdb->db, "SELECT l.part_key, l.part_depth, l.part_order, l.is_header, p.data "
                      "FROM {partlists} l JOIN {mimeparts} p ON p.id = l.part_id WHERE l.physmessage_id = $1 "
                      "ORDER BY l.part_key, l.part_order, l.part_depth DESC", params, 1, NULL, &error);
      g_assert_no_error (error);
      got = g_new0 (Row, mw_db_result_get_n_rows (r));
      for (guint row = 0; row < mw_db_result_get_n_rows (r); row++)
        {
          g_autoptr(GBytes) blob = mw_db_result_get_bytes (r, row, 4);
          gsize blen = blob != NULL ? g_bytes_get_size (blob) : 0;
          char *text = g_strndup (blen > 0 ? g_bytes_get_data (blob, NULL) : "", blen);

          g_ptr_array_add (texts, text);
          got[row] = (Row) { (int) mw_db_result_get_int64 (r, row, 0), (int) mw_db_result_get_int64 (r, row, 1),
                             (int) mw_db_result_get_int64 (r, row, 2), mw_db_result_get_int64 (r, row, 3) != 0,
                             text };
        }
      assert_rows (c, got, mw_db_result_get_n_rows (r));

      rebuilt = mw_message_store_rebuild (f.tdb->db, phys, &error);
      g_assert_no_error (error);
      assert_same_message (c->name, served, rebuilt);

      /* messagesize: the delivered bytes; rfcsize: GMime's writing of the
       * delivered message (gmime_adds more line breaks), with CRLF */
      for (gsize j = 0; j < len; j++)
        lines += c->message[j] == '\n';
      g_assert_cmpint (query_int (f.tdb, "SELECT messagesize FROM dbmail_physmessage WHERE id = %" G_GINT64_FORMAT,
                                  phys), ==, (gint64) len);
      g_assert_cmpint (query_int (f.tdb, "SELECT rfcsize FROM dbmail_physmessage WHERE id = %" G_GINT64_FORMAT,
                                  phys), ==, (gint64) (len + lines + 2 * c->gmime_adds));
    }
  fixture_clear (&f);
}

static void
test_dedup (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) raw = msg_mixed ();
  g_autoptr(GBytes) rebuilt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 parts_before, values_before, first, second;

  fixture_init (&f, data);
  first = deliver (&f, raw, 0);
  parts_before = query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_mimeparts");
  values_before = query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_headervalue");
  /* the two text/plain-less blobs: header, preamble, 3 parts x 2, epilogue */
  g_assert_cmpint (parts_before, ==, 9);

  second = deliver (&f, raw, 0);
  g_assert_cmpint (physmessage_of (&f, first), !=, physmessage_of (&f, second));
  g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_mimeparts"), ==, parts_before);
  g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_headervalue"), ==, values_before);
  g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_partlists"), ==, 18);
  g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(DISTINCT part_id) FROM dbmail_partlists"), ==, 9);

  /* the hash is the lowercase hex sha1 of the blob */
  {
    g_autofree char *hash = query_string (f.tdb, "SELECT hash FROM dbmail_mimeparts p JOIN dbmail_partlists l "
                                          "ON l.part_id = p.id WHERE l.physmessage_id = %" G_GINT64_FORMAT
                                          " AND l.part_key = 1 AND l.is_header = 1", physmessage_of (&f, first));
    g_autoptr(GPtrArray) parts = mw_message_store_split (raw);
    MwMessagePart *head = g_ptr_array_index (parts, 0);
    g_autofree char *sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, head->data);

    g_strstrip (hash);
    g_assert_cmpstr (hash, ==, sha1);
  }

  rebuilt = mw_message_store_rebuild (f.tdb->db, physmessage_of (&f, second), &error);
  g_assert_no_error (error);
  assert_same_message ("mixed again", raw, rebuilt);

  /* Another message adds only the blobs that are new; within one message an
   * identical blob (here "Content-Type: text/plain\n" twice) is stored once
   * too. */
  {
    g_autoptr(GBytes) nested = msg_forward ();
    g_autoptr(GPtrArray) old_parts = mw_message_store_split (raw);
    g_autoptr(GPtrArray) new_parts = mw_message_store_split (nested);
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                        (GDestroyNotify) g_bytes_unref, NULL);
    guint fresh = 0;

    for (guint i = 0; i < old_parts->len; i++)
      g_hash_table_add (seen, g_bytes_ref (((MwMessagePart *) old_parts->pdata[i])->data));
    for (guint i = 0; i < new_parts->len; i++)
      if (g_hash_table_add (seen, g_bytes_ref (((MwMessagePart *) new_parts->pdata[i])->data)))
        fresh++;
    g_assert_cmpuint (fresh, <, new_parts->len);

    deliver (&f, nested, 0);
    g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_mimeparts"), ==, parts_before + fresh);
  }
  fixture_clear (&f);
}

static void
test_quota_and_seq (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) raw = msg_plain ();
  gint64 size = (gint64) g_bytes_get_size (raw);
  gint64 m;
  g_autofree char *uid = NULL;

  fixture_init (&f, data);
  g_assert_cmpint (query_int (f.tdb, "SELECT curmail_size FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT,
                              f.user), ==, 0);

  m = deliver (&f, raw, 0);
  g_assert_cmpint (query_int (f.tdb, "SELECT curmail_size FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT,
                              f.user), ==, size);
  g_assert_cmpint (query_int (f.tdb, "SELECT seq FROM dbmail_mailboxes WHERE mailbox_idnr = %" G_GINT64_FORMAT,
                              f.inbox), ==, 1);
  g_assert_cmpint (query_int (f.tdb, "SELECT seq FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, m),
                   ==, 1);
  g_assert_cmpint (query_int (f.tdb, "SELECT recent_flag FROM dbmail_messages WHERE message_idnr = %"
                              G_GINT64_FORMAT, m), ==, 1);
  g_assert_cmpint (query_int (f.tdb, "SELECT deleted_flag FROM dbmail_messages WHERE message_idnr = %"
                              G_GINT64_FORMAT, m), ==, 0);
  uid = query_string (f.tdb, "SELECT unique_id FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, m);
  g_assert_cmpuint (strlen (uid), ==, 32);
  for (const char *p = uid; *p != '\0'; p++)
    g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));

  /* status 1 (seen by POP3) still counts */
  m = deliver (&f, raw, 1);
  g_assert_cmpint (query_int (f.tdb, "SELECT curmail_size FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT,
                              f.user), ==, 2 * size);
  g_assert_cmpint (query_int (f.tdb, "SELECT status FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, m),
                   ==, 1);

  /* status 2 and 3 do not count, and are \Deleted */
  for (int status = 2; status <= 3; status++)
    {
      m = deliver (&f, raw, status);
      g_assert_cmpint (query_int (f.tdb, "SELECT curmail_size FROM dbmail_users WHERE user_idnr = %"
                                  G_GINT64_FORMAT, f.user), ==, 2 * size);
      g_assert_cmpint (query_int (f.tdb, "SELECT deleted_flag FROM dbmail_messages WHERE message_idnr = %"
                                  G_GINT64_FORMAT, m), ==, 1);
      g_assert_cmpint (query_int (f.tdb, "SELECT status FROM dbmail_messages WHERE message_idnr = %"
                                  G_GINT64_FORMAT, m), ==, status);
    }
  g_assert_cmpint (query_int (f.tdb, "SELECT seq FROM dbmail_mailboxes WHERE mailbox_idnr = %" G_GINT64_FORMAT,
                              f.inbox), ==, 4);
  g_assert_cmpint (query_int (f.tdb, "SELECT MAX(seq) FROM dbmail_messages"), ==, 4);

  /* curmail_size is what dbmail-util -d -y would compute */
  g_assert_cmpint (query_int (f.tdb, "SELECT SUM(p.messagesize) FROM dbmail_messages m "
                              "JOIN dbmail_physmessage p ON p.id = m.physmessage_id WHERE m.status < 2"), ==, 2 * size);
  fixture_clear (&f);
}

static void
test_header_cache (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) plain = msg_plain ();
  g_autoptr(GBytes) latin1 = msg_latin1 ();
  g_autoptr(GBytes) b64 = msg_rfc2047_base64 ();
  g_autoptr(GBytes) nodate = msg_header_only ();
  g_autoptr(GBytes) huge = msg_huge_header ();
  gint64 phys;
  g_autofree char *s = NULL;

  fixture_init (&f, data);
  phys = physmessage_of (&f, deliver (&f, plain, 0));

#define CACHED(field, name) \
  query_string (f.tdb, "SELECT v." field " FROM dbmail_header h JOIN dbmail_headername n ON n.id = h.headername_id " \
                "JOIN dbmail_headervalue v ON v.id = h.headervalue_id WHERE h.physmessage_id = %" G_GINT64_FORMAT \
                " AND n.headername = '" name "' ORDER BY v.id LIMIT 1", phys)

  s = CACHED ("headervalue", "subject");
  g_assert_cmpstr (s, ==, "Re: [team] Lunch on Friday?");
  g_clear_pointer (&s, g_free);
  s = CACHED ("sortfield", "subject");
  g_assert_cmpstr (s, ==, "lunch on friday?");
  g_clear_pointer (&s, g_free);
  s = CACHED ("headervalue", "from");
  g_assert_cmpstr (s, ==, "Alice Example <alice@example.org>");
  g_clear_pointer (&s, g_free);
  s = CACHED ("sortfield", "from");
  g_assert_cmpstr (s, ==, "alice");
  g_clear_pointer (&s, g_free);
  s = CACHED ("sortfield", "to");
  g_assert_cmpstr (s, ==, "bob");
  g_clear_pointer (&s, g_free);
  s = CACHED ("sortfield", "date");
  g_assert_cmpstr (s, ==, "2025-11-05 10:11:12");
  g_clear_pointer (&s, g_free);
  s = CACHED ("datefield", "date");
  g_assert_cmpstr (s, ==, "2025-11-05 00:00:00");
  g_clear_pointer (&s, g_free);
  /* only the twelve names are cached: not Message-ID, not MIME-Version */
  g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_header h JOIN dbmail_headername n "
                              "ON n.id = h.headername_id WHERE h.physmessage_id = %" G_GINT64_FORMAT
                              " AND n.headername NOT IN ('from', 'to', 'cc', 'bcc', 'date', 'subject', "
                              "'content-type', 'content-disposition', 'references', 'in-reply-to', 'reply-to', "
                              "'return-path')", phys), ==, 0);
  /* Content-Type twice: as written and the bare type */
  g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_header h JOIN dbmail_headername n "
                              "ON n.id = h.headername_id WHERE h.physmessage_id = %" G_GINT64_FORMAT
                              " AND n.headername = 'content-type'", phys), ==, 2);
  g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_referencesfield WHERE physmessage_id = %"
                              G_GINT64_FORMAT, phys), ==, 2);
  s = query_string (f.tdb, "SELECT envelope FROM dbmail_envelope WHERE physmessage_id = %" G_GINT64_FORMAT, phys);
  g_assert_true (g_str_has_prefix (s, "(\"Wed, 05 Nov 2025 10:11:12 +0100\" \"Re: [team] Lunch on Friday?\" "
                                   "((\"Alice Example\" NIL \"alice\" \"example.org\"))"));
  g_assert_true (g_str_has_suffix (s, "\"<question.7@example.com>\" \"<plain.1@example.org>\")"));
  g_clear_pointer (&s, g_free);

  /* RFC 2047 and raw 8-bit headers become UTF-8 */
  phys = physmessage_of (&f, deliver (&f, latin1, 0));
  s = CACHED ("headervalue", "subject");
  g_assert_cmpstr (s, ==, "Grüße aus München");
  g_clear_pointer (&s, g_free);
  s = CACHED ("sortfield", "date");
  g_assert_cmpstr (s, ==, "2025-11-08 09:05:00");
  g_clear_pointer (&s, g_free);
  phys = physmessage_of (&f, deliver (&f, b64, 0));
  s = CACHED ("headervalue", "subject");
  g_assert_cmpstr (s, ==, "Счёт na oplatu €");
  g_clear_pointer (&s, g_free);
  s = CACHED ("headervalue", "from");
  g_assert_cmpstr (s, ==, "Иван Петров <ivan@example.net>");
  g_clear_pointer (&s, g_free);

  /* without a Date: header the arrival time is cached */
  phys = physmessage_of (&f, deliver (&f, nodate, 0));
  s = CACHED ("sortfield", "date");
  g_assert_cmpstr (s, ==, "2025-11-12 13:14:15");
  g_clear_pointer (&s, g_free);

  /* a 2 MB subject: cached (cut to 64 KiB on MySQL), sortfield cut to 254 characters */
  phys = physmessage_of (&f, deliver (&f, huge, 0));
  s = CACHED ("sortfield", "subject");
  g_assert_cmpint (g_utf8_strlen (s, -1), ==, 254);
  g_assert_true (g_str_has_prefix (s, "very long subject line"));
  g_clear_pointer (&s, g_free);
#undef CACHED
  fixture_clear (&f);
}

static void
test_errors (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) raw = msg_plain ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) nothing = NULL;

  fixture_init (&f, data);
  g_assert_cmpint (mw_message_store_deliver (f.tdb->db, 987654, raw, 0, NULL, &error), ==, 0);
  g_assert_error (error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_NO_MAILBOX);
  g_clear_error (&error);
  g_assert_false (mw_db_in_transaction (f.tdb->db));
  g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_physmessage"), ==, 0);

  g_assert_cmpint (mw_message_store_deliver (f.tdb->db, f.inbox, raw, 9, NULL, &error), ==, 0);
  g_assert_error (error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  nothing = mw_message_store_rebuild (f.tdb->db, 424242, &error);
  g_assert_null (nothing);
  g_assert_error (error, MW_MESSAGE_STORE_ERROR, MW_MESSAGE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* inside the caller's transaction: joins it, the caller decides */
  g_assert_true (mw_db_begin (f.tdb->db, &error));
  g_assert_cmpint (mw_message_store_deliver (f.tdb->db, f.inbox, raw, 0, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (mw_db_in_transaction (f.tdb->db));
  g_assert_true (mw_db_rollback (f.tdb->db, &error));
  g_assert_cmpint (query_int (f.tdb, "SELECT COUNT(*) FROM dbmail_messages"), ==, 0);
  g_assert_cmpint (query_int (f.tdb, "SELECT curmail_size FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT,
                              f.user), ==, 0);
  fixture_clear (&f);
}

/* ------------------------------------------------------------------------ */
/* Demo data                                                                */
/* ------------------------------------------------------------------------ */

static char *
system_users_snapshot (MwTestDb *tdb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = mw_db_exec (tdb->db,
                                        "SELECT user_idnr, userid, passwd, client_idnr, maxmail_size, curmail_size, "
                                        "encryption_type, last_login, active FROM {users} WHERE user_idnr <= 3 "
                                        "ORDER BY user_idnr", NULL, 0, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (mw_db_result_get_n_rows (r), ==, 3);
  for (guint row = 0; row < mw_db_result_get_n_rows (r); row++)
    for (guint col = 0; col < mw_db_result_get_n_cols (r); col++)
      g_string_append_printf (out, "%s|", mw_db_result_get_string (r, row, col));
  return g_string_free (out, FALSE);
}

#define DEMO_USERS 300

static void
test_demo_populate (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = system_users_snapshot (tdb);
  g_autofree char *after = NULL;
  gint64 started = g_get_monotonic_time ();
  double seconds;
  gint64 n;

  g_assert_true (mw_demo_populate (tdb->db, DEMO_USERS, 20261122, &error));
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("populate: %u users in %.2f s, %" G_GINT64_FORMAT " messages", DEMO_USERS, seconds,
                  mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_messages"));
  g_assert_false (mw_db_in_transaction (tdb->db));

  /* system accounts untouched; only the public folder hangs off __public__ */
  after = system_users_snapshot (tdb);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_mailboxes WHERE owner_idnr IN (1, 2)"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_mailboxes m JOIN dbmail_users u "
                                   "ON u.user_idnr = m.owner_idnr WHERE u.userid = '__public__'"), ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_acl a JOIN dbmail_users u ON u.user_idnr = a.user_id "
                                   "JOIN dbmail_mailboxes m ON m.mailbox_idnr = a.mailbox_id "
                                   "WHERE u.userid = 'anyone' AND m.owner_idnr = 3 AND a.lookup_flag = 1 "
                                   "AND a.read_flag = 1"), ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_aliases WHERE deliver_to IN ('1', '2', '3')"),
                   ==, 0);

  /* users in groups 0..3 */
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users WHERE user_idnr > 3"), ==, DEMO_USERS);
  for (int group = 0; group < MW_DEMO_N_GROUPS; group++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM dbmail_users WHERE user_idnr > 3 "
                                              "AND client_idnr = %d", group);

      n = mw_test_db_int (tdb, sql);
      g_test_message ("group %d: %" G_GINT64_FORMAT " users", group, n);
      g_assert_cmpint (n, >=, DEMO_USERS / 10);
    }
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(DISTINCT client_idnr) FROM dbmail_users WHERE user_idnr > 3"),
                   ==, MW_DEMO_N_GROUPS);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users WHERE active = 0"), >, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users WHERE user_idnr > 3 AND maxmail_size = 0"),
                   >, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(DISTINCT encryption_type) FROM dbmail_users WHERE user_idnr > 3"),
                   ==, 5);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users WHERE encryption_type = 'crypt' "
                                   "AND passwd NOT LIKE '$6$%'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users WHERE encryption_type = 'md5' "
                                   "AND user_idnr > 3 AND passwd NOT LIKE '$1$%'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users WHERE encryption_type = '' "
                                   "AND user_idnr > 3 AND passwd <> 'demo'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users WHERE encryption_type = 'sha1' "
                                   "AND passwd <> '89e495e7941cf9e40e6980d14a16bf023ccd4c91'"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users WHERE userid LIKE '%@xn--bcher-kva.example'"),
                   >, 0);

  /* every user has its address; forwards, a pipe, catch-alls, a dangling alias */
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(DISTINCT deliver_to) FROM dbmail_aliases a JOIN dbmail_users u "
                                   "ON a.deliver_to = CAST(u.user_idnr AS CHAR(20)) WHERE u.user_idnr > 3"),
                   ==, DEMO_USERS);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_aliases WHERE deliver_to LIKE '%@%'"), >=, 3);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_aliases WHERE deliver_to = '|/usr/bin/procmail'"),
                   ==, 1);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_aliases WHERE alias IN "
                                   "('@example.net', '@.sub.example.org', 'postmaster@')"), ==, 3);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_aliases a WHERE a.deliver_to = '999999'"), ==, 1);
  /* a forward hanging off a user's own alias */
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_aliases f JOIN dbmail_aliases a "
                                   "ON a.alias = f.alias WHERE f.deliver_to LIKE '%@%' "
                                   "AND a.deliver_to IN (SELECT CAST(user_idnr AS CHAR(20)) FROM dbmail_users)"), >, 0);

  /* mailboxes and messages */
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_mailboxes WHERE name = 'INBOX'"), ==, DEMO_USERS);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_mailboxes WHERE name = '&AMk-t&AOk-'"), >, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_mailboxes WHERE name = 'Archive/2025'"), >, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_messages WHERE status = 2"), >, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_messages WHERE status = 3"), >, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_messages WHERE status = 1"), >, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_messages WHERE status >= 2 AND deleted_flag = 0"),
                   ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_messages"), >=, DEMO_USERS * 2);
  /* attachments shared between messages are stored once */
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT MAX(c) FROM (SELECT COUNT(*) AS c FROM dbmail_partlists "
                                   "GROUP BY part_id) t"), >, 10);

  /* curmail_size is what dbmail-util -d -y would compute, except for the two
   * accounts whose quotas were adjusted afterwards (which keeps curmail) */
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users u WHERE u.curmail_size <> "
                                   "(SELECT COALESCE(SUM(p.messagesize), 0) FROM dbmail_messages m "
                                   "JOIN dbmail_mailboxes b ON b.mailbox_idnr = m.mailbox_idnr "
                                   "JOIN dbmail_physmessage p ON p.id = m.physmessage_id "
                                   "WHERE b.owner_idnr = u.user_idnr AND m.status < 2)"), ==, 0);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT COUNT(*) FROM dbmail_users WHERE maxmail_size > 0 "
                                   "AND curmail_size > maxmail_size"), >=, 1);

  /* every stored message rebuilds to something with a header and a body */
  {
    g_autoptr(MwDbResult) r = mw_db_exec (tdb->db, "SELECT id, messagesize FROM {physmessage} ORDER BY id",
                                          NULL, 0, NULL, &error);

    g_assert_no_error (error);
    for (guint row = 0; row < mw_db_result_get_n_rows (r); row += 7)
      {
        g_autoptr(GBytes) msg = mw_message_store_rebuild (tdb->db, mw_db_result_get_int64 (r, row, 0), &error);

        g_assert_no_error (error);
        g_assert_cmpint ((gint64) g_bytes_get_size (msg), ==, mw_db_result_get_int64 (r, row, 1));
      }
  }
}

static char *
demo_fingerprint (MwTestDb *tdb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = mw_db_exec (tdb->db,
                                        "SELECT u.userid, u.passwd, u.client_idnr, u.maxmail_size, u.curmail_size, "
                                        "u.active, u.last_login, (SELECT COUNT(*) FROM {aliases} a "
                                        "WHERE a.alias LIKE CONCAT('%', u.userid)) FROM {users} u ORDER BY u.user_idnr",
                                        NULL, 0, NULL, &error);
  g_autoptr(MwDbResult) m = NULL;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint row = 0; row < mw_db_result_get_n_rows (r); row++)
    for (guint col = 0; col < mw_db_result_get_n_cols (r); col++)
      g_string_append_printf (out, "%s|", mw_db_result_get_string (r, row, col));
  m = mw_db_exec (tdb->db, "SELECT unique_id, status, seen_flag, mailbox_idnr FROM {messages} ORDER BY message_idnr",
                  NULL, 0, NULL, &error);
  g_assert_no_error (error);
  for (guint row = 0; row < mw_db_result_get_n_rows (m); row++)
    for (guint col = 0; col < mw_db_result_get_n_cols (m); col++)
      g_string_append_printf (out, "%s|", mw_db_result_get_string (m, row, col));
  return g_string_free (out, FALSE);
}

static void
test_demo_deterministic (gconstpointer data)
{
  g_autoptr(MwTestDb) one = mw_test_db_new (data, TRUE);
  g_autoptr(MwTestDb) two = mw_test_db_new (data, TRUE);
  g_autoptr(MwTestDb) three = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  g_assert_true (mw_demo_populate (one->db, 40, 7, &error));
  g_assert_no_error (error);
  g_assert_true (mw_demo_populate (two->db, 40, 7, &error));
  g_assert_no_error (error);
  g_assert_true (mw_demo_populate (three->db, 40, 8, &error));
  g_assert_no_error (error);
  a = demo_fingerprint (one);
  b = demo_fingerprint (two);
  c = demo_fingerprint (three);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

static void
test_local_server_roles (gconstpointer data)
{
  MwLocalServer *server = mw_test_server (MW_TEST_DRIVER (data));
  g_autoptr(GError) error = NULL;
  g_autofree char *database = mw_local_server_create_database (server, "Roles Test!", &error);
  g_autofree char *role = g_strdup_printf ("mw_role_%u", g_random_int_range (0, 1000000));
  g_autoptr(MwDbSettings) good = NULL;
  g_autoptr(MwDbSettings) bad = NULL;
  g_autoptr(MwDb) db = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (database, "roles_test_"));
  g_assert_false (g_str_has_prefix (database, "roles_test__"));
  g_assert_true (mw_local_server_create_role (server, role, "s3cr'et\\x", &error));
  g_assert_no_error (error);

  /* a role without grants may still connect: to any database on pg, to
   * information_schema on MariaDB */
  good = mw_local_server_settings_for (server, MW_TEST_DRIVER (data) == MW_DB_DRIVER_PGSQL
                                               ? database : "information_schema",
                                       role, "s3cr'et\\x");
  db = mw_db_connect (good, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);

  bad = mw_db_settings_copy (good);
  g_free (bad->password);
  bad->password = g_strdup ("wrong");
  g_assert_null (mw_db_connect (bad, NULL, &error));
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_AUTH_FAILED);
  g_clear_error (&error);

  g_assert_false (mw_local_server_create_role (server, "bad name", "x", &error));
  g_assert_error (error, MW_LOCAL_SERVER_ERROR, MW_LOCAL_SERVER_ERROR_FAILED);

  /* the socket lives in a short private directory */
  g_assert_cmpuint (strlen (mw_local_server_get_directory (server)), <, 80);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);

  g_test_add_func ("/message-store/split-join", test_split_join);
  g_test_add_func ("/message-store/split-layout", test_split_layout);
  g_test_add_func ("/message-store/dbmail-cases", test_cases_split_join);
  mw_test_add_both ("/local-server/roles", test_local_server_roles);
  mw_test_add_both ("/message-store/roundtrip", test_roundtrip);
  mw_test_add_both ("/message-store/dbmail-cases", test_cases_db);
  mw_test_add_both ("/message-store/dedup", test_dedup);
  mw_test_add_both ("/message-store/quota-seq", test_quota_and_seq);
  mw_test_add_both ("/message-store/header-cache", test_header_cache);
  mw_test_add_both ("/message-store/errors", test_errors);
  mw_test_add_both ("/demo/populate", test_demo_populate);
  mw_test_add_both ("/demo/deterministic", test_demo_deterministic);

  return mw_test_run ();
}
