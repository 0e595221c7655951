/* test-message.c: reading stored messages with GMime and body search, on real PostgreSQL and MariaDB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "mw-message.h"
#include "mw-dbmail-mail.h"
#include "mw-dbmail-store.h"
#include "mw-test-db.h"
#include "mw-test-json.h"

#define STATIC_BYTES(s) g_bytes_new_static ((s), sizeof (s) - 1)

/* ------------------------------------------------------------------------ */
/* The corpus                                                               */
/* ------------------------------------------------------------------------ */

static void
append_base64 (GString    *out,
               const void *data,
               gsize       len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  gsize n = strlen (b64);

  for (gsize i = 0; i < n; i += 76)
    {
      g_string_append_len (out, b64 + i, (gssize) MIN (76, n - i));
      g_string_append_c (out, '\n');
    }
}

static const guint8 pdf_bytes[] = "%PDF-1.4\n\x00\x01\x02\xff binary \x80\x81 end\n";

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
    "Cc: dave@example.com\n"
    "Reply-To: team@example.org\n"
    "Subject: Re: [team] Lunch on Friday?\n"
    "Date: Wed, 05 Nov 2025 10:11:12 +0100\n"
    "Message-ID: <plain.1@example.org>\n"
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
msg_utf8 (void)
{
  return STATIC_BYTES (
    "From: koeln@example.org\n"
    "To: bob@example.com\n"
    "Subject: utf-8 body\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "Grüße aus Köln — 東京 ☺\n");
}

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
    "Content-Type: text/plain; charset=windows-1252\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "Preis: 20 \x80, \x93zitiert\x94, se\xf1ora N\xfa\xf1" "ez.\n"
    "--latin--\n");
}

static GBytes *
msg_rfc2047 (void)
{
  return STATIC_BYTES (
    "From: =?ISO-8859-15?Q?Ren=E9_=A4uro?= <rene@example.org>\n"
    "To: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.org>, =?KOI8-R?B?8NLJ18XU?= <ivan@example.net>\n"
    "Subject: =?UTF-8?B?w5xiZXJzaWNodCBmw7xy?= =?ISO-8859-1?Q?_M=E4rz?=\n"
    "Message-ID: <2047@example.org>\n"
    "Content-Type: text/plain\n"
    "\n"
    "headers only matter here\n");
}

static GBytes *
msg_qp (void)
{
  return STATIC_BYTES (
    "From: qp@example.org\n"
    "Subject: quoted-printable\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Caf=C3=A9 news: the =\n"
    "menu changed. A super=\n"
    "califragilistic word and a=3Db.\n");
}

static GBytes *
msg_base64_text (void)
{
  GString *m = g_string_new (NULL);
  const char *text = "Привет! Это тестовое сообщение в кодировке base64.\nThe zebrafish hides here.\n";

  g_string_append (m,
                   "From: =?UTF-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.net>\n"
                   "Subject: base64 text\n"
                   "MIME-Version: 1.0\n"
                   "Content-Type: text/plain; charset=\"utf-8\"\n"
                   "Content-Transfer-Encoding: base64\n"
                   "\n");
  append_base64 (m, text, strlen (text));
  return g_string_free_to_bytes (m);
}

static GBytes *
msg_mixed (void)
{
  GString *m = g_string_new (NULL);

  g_string_append (m,
                   "From: Carla Rossi <carla@example.net>\n"
                   "To: bob@example.com\n"
                   "Subject: Report with attachments\n"
                   "MIME-Version: 1.0\n"
                   "Content-Type: multipart/mixed; boundary=\"=-=mixed=-=\"\n"
                   "\n"
                   "This is a multi-part message in MIME format.\n"
                   "\n"
                   "--=-=mixed=-=\n"
                   "Content-Type: text/plain; charset=utf-8\n"
                   "\n"
                   "Hello Bob, the report is attached.\n"
                   "\n"
                   "--=-=mixed=-=\n"
                   "Content-Type: application/pdf; name=\"=?UTF-8?Q?B=C3=BCcher.pdf?=\"\n"
                   "Content-Disposition: attachment; filename=\"=?UTF-8?Q?B=C3=BCcher.pdf?=\"\n"
                   "Content-Transfer-Encoding: base64\n"
                   "\n");
  append_base64 (m, pdf_bytes, sizeof pdf_bytes - 1);
  g_string_append (m,
                   "--=-=mixed=-=\n"
                   "Content-Type: text/plain; charset=iso-8859-1\n"
                   "Content-Disposition: attachment;\n"
                   " filename*=iso-8859-1''%E9t%E9%20rates.txt\n"
                   "Content-Transfer-Encoding: quoted-printable\n"
                   "\n"
                   "attachedword in a text attachment, t=E9l=E9phone\n"
                   "--=-=mixed=-=\n"
                   "Content-Type: application/octet-stream\n"
                   "Content-Disposition: attachment; filename*0*=UTF-8''%E2%82%AC%20long%20;\n"
                   " filename*1=\"name.bin\"\n"
                   "\n"
                   "raw\n"
                   "--=-=mixed=-=--\n"
                   "\n"
                   "epilogue\n");
  return g_string_free_to_bytes (m);
}

static GBytes *
msg_alternative (void)
{
  return STATIC_BYTES (
    "From: news@example.org\n"
    "Subject: alternative\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/alternative; boundary=alt\n"
    "\n"
    "--alt\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "The plain version.\n"
    "--alt\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<html><body><p>The <b>HTML</b> version with htmlonlyword.</p></body></html>\n"
    "--alt--\n");
}

static GBytes *
msg_nested (void)
{
  GString *m = g_string_new (NULL);

  g_string_append (m,
                   "From: shop@example.org\n"
                   "Subject: nested\n"
                   "MIME-Version: 1.0\n"
                   "Content-Type: multipart/alternative; boundary=\"outer\"\n"
                   "\n"
                   "--outer\n"
                   "Content-Type: text/plain; charset=utf-8\n"
                   "Content-Transfer-Encoding: quoted-printable\n"
                   "\n"
                   "Plain offer: caf=C3=A9 for everyone.\n"
                   "--outer\n"
                   "Content-Type: multipart/related; boundary=\"outer-rel\"; type=\"text/html\"\n"
                   "\n"
                   "--outer-rel\n"
                   "Content-Type: text/html; charset=utf-8\n"
                   "\n"
                   "<p>HTML offer <img src=\"cid:logo@x\"></p>\n"
                   "--outer-rel\n"
                   "Content-Type: image/png\n"
                   "Content-ID: <logo@x>\n"
                   "Content-Transfer-Encoding: base64\n"
                   "\n");
  append_base64 (m, "\x89PNG\r\n\x1a\n", 8);
  g_string_append (m, "--outer-rel--\n\n--outer--\n");
  return g_string_free_to_bytes (m);
}

static GBytes *
msg_html (void)
{
  return STATIC_BYTES (
    "From: promo@example.com\n"
    "Subject: html only\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/html; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "<html><head><title>Tracker title</title><style>p { color: red }</style></head>\n"
    "<body><!-- a comment --><p>Hello&nbsp;&amp; welcome, &eacute;t&eacute; &#8364; &#x263A; caf=E9</p>\n"
    "<img src=3D\"http://tracker.example.com/pixel.gif?id=3D42\" width=3D1 height=3D1>\n"
    "<p><img src=3D\"https://cdn.example.com/logo.png\" alt=3D\"Logo\"> <a href=3D\"https://example.com/offer\">See =\n"
    "the offer</a> or <a href=3D\"mailto:sales@example.com\">sales@example.com</a></p>\n"
    "<script>document.write('scripted')</script>\n"
    "<ul><li>one</li><li>two</li></ul>line<br>break &lt;tag&gt;</body></html>\n");
}

static GBytes *
msg_forward (void)
{
  return STATIC_BYTES (
    "From: bob@example.com\n"
    "Subject: Fwd: Report\n"
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
    "Content-Type: text/plain\n"
    "\n"
    "forwardedword inside\n"
    "--fwd--\n");
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
msg_broken_base64 (void)
{
  return STATIC_BYTES ("From: broken@example.org\n"
                       "Subject: broken base64\n"
                       "MIME-Version: 1.0\n"
                       "Content-Type: multipart/mixed; boundary=\"b\"\n"
                       "\n"
                       "--b\n"
                       "Content-Type: text/plain; charset=utf-8\n"
                       "Content-Transfer-Encoding: base64\n"
                       "\n"
                       "SGVsbG8g!!!@@@d29ybGQ=\n"
                       "QUJD\n"
                       "QU\n"
                       "--b\n"
                       "Content-Type: image/jpeg; name=x.jpg\n"
                       "Content-Transfer-Encoding: base64\n"
                       "\n"
                       "/9j/4AAQSkZJRgABAQ not base64 at all ===\n"
                       "--b--\n");
}

static GBytes *
msg_huge_header (void)
{
  GString *m = g_string_new ("From: long@example.org\nTo: bob@example.com\nSubject: ");
  const char *words = "very long subject line ";

  while (m->len < 2 * 1024 * 1024)
    g_string_append (m, words);
  g_string_append (m, "\nDate: Tue, 11 Nov 2025 12:00:00 +0100\n\nbody after a huge header\n");
  return g_string_free_to_bytes (m);
}

static GBytes *
msg_nul_and_bad_charset (void)
{
  static const char m[] =
    "From: odd@example.org\n"
    "Subject: NUL and a charset that does not exist\n"
    "Content-Type: text/plain; charset=x-no-such-charset\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "caf\xe9 before\0after\n";

  return g_bytes_new_static (m, sizeof m - 1);
}

typedef struct
{
  const char *name;
  GBytes   *(*build) (void);
  const char *text[4];      /* must be in the text shown */
  const char *not_text[3];  /* must not be */
  int         attachments;
  const char *served;       /* the source DBMail serves; NULL: the message */
} Sample;

/* DBMail closes the multipart at the end (its final delimiter) */
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

/* DBMail holds a message as a C string: nothing after the NUL byte is kept */
#define SERVED_NUL \
  "From: odd@example.org\n" \
  "Subject: NUL and a charset that does not exist\n" \
  "Content-Type: text/plain; charset=x-no-such-charset\n" \
  "Content-Transfer-Encoding: 8bit\n" \
  "\n" \
  "caf\xe9 before"

static const Sample corpus[] = {
  { "plain", msg_plain, { "shall we have lunch on Friday? The new place opposite the station.\n\nAlice\n" }, { NULL }, 0 },
  { "utf8", msg_utf8, { "Grüße aus Köln — 東京 ☺\n" }, { NULL }, 0 },
  { "latin1", msg_latin1, { "Die Übergabe der Schlüssel ist am Dienstag. Die Straße ist gesperrt, bitte bringt",
                            "Preis: 20 €, “zitiert”, señora Núñez." }, { NULL }, 0 },
  { "rfc2047", msg_rfc2047, { "headers only matter here" }, { NULL }, 0 },
  { "qp", msg_qp, { "Café news: the menu changed. A supercalifragilistic word and a=b.\n" }, { "=\n" }, 0 },
  { "base64-text", msg_base64_text, { "Привет! Это тестовое сообщение", "zebrafish" }, { NULL }, 0 },
  { "mixed", msg_mixed, { "Hello Bob, the report is attached." }, { "attachedword", "epilogue", "multi-part message" }, 3 },
  { "alternative", msg_alternative, { "The plain version.\n" }, { "HTML", "htmlonlyword" }, 0 },
  { "nested", msg_nested, { "Plain offer: café for everyone." }, { "HTML offer" }, 1 },
  { "html", msg_html, { "Hello\u00a0& welcome, été € ☺ café", "[Logo] See the offer <https://example.com/offer>",
                        "• one\n• two\n", "line\nbreak <tag>" },
    { "tracker", "scripted", "color" }, 0 },
  { "forward", msg_forward, { "See below.", "Subject: Report", "forwardedword inside" }, { NULL }, 1 },
  { "no-final-boundary", msg_no_final_boundary, { "first part" }, { NULL }, 1, SERVED_NO_FINAL_BOUNDARY },
  { "broken-base64", msg_broken_base64, { "Hello" }, { NULL }, 1 },
  { "huge-header", msg_huge_header, { "body after a huge header\n" }, { NULL }, 0 },
  { "nul-bad-charset", msg_nul_and_bad_charset, { "café before" }, { "after" }, 0, SERVED_NUL },
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

/* ------------------------------------------------------------------------ */
/* Fixture                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct
{
  MwTestDb *tdb;
  gint64    user;
  gint64    inbox;
  gint64    archive;
  gint64    other_inbox;
} Fixture;

static gint64
add_mailbox (Fixture    *f,
             gint64      owner,
             const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT
                                          ", '%s')", owner, name);
  g_autofree char *query = g_strdup_printf ("SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %"
                                            G_GINT64_FORMAT " AND name = '%s'", owner, name);

  mw_test_db_exec (f->tdb, sql);
  return mw_test_db_int (f->tdb, query);
}

static void
fixture_init (Fixture       *f,
              gconstpointer  data)
{
  gint64 other;

  f->tdb = mw_test_db_new (data, TRUE);
  f->user = mw_test_db_add_user (f->tdb, "bob", 1, 0);
  other = mw_test_db_add_user (f->tdb, "eve", 1, 0);
  f->inbox = add_mailbox (f, f->user, "INBOX");
  f->archive = add_mailbox (f, f->user, "Archive");
  f->other_inbox = add_mailbox (f, other, "INBOX");
}

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->tdb, mw_test_db_free);
}

static gint64
deliver (Fixture *f,
         gint64   mailbox,
         GBytes  *raw,
         int      status)
{
  g_autoptr(GError) error = NULL;
  gint64 id = mw_message_store_deliver (f->tdb->db, mailbox, raw, status, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
physmessage_of (Fixture *f,
                gint64   message_idnr)
{
  g_autofree char *sql = g_strdup_printf ("SELECT physmessage_id FROM dbmail_messages WHERE message_idnr = %"
                                          G_GINT64_FORMAT, message_idnr);

  return mw_test_db_int (f->tdb, sql);
}

static MwMessage *
load (Fixture            *f,
      gint64              message_idnr,
      MwMessageLoadFlags  flags)
{
  g_autoptr(GError) error = NULL;
  MwMessage *message = mw_dbmail_load_message (f->tdb->db, physmessage_of (f, message_idnr), flags, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

static void
assert_contains (const char *name,
                 const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_test_message ("%s: “%s” not in:\n%.2000s", name, needle, haystack);
  g_assert_nonnull (strstr (haystack, needle));
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */
/* ------------------------------------------------------------------------ */

static void
test_corpus (gconstpointer data)
{
  Fixture f;

  fixture_init (&f, data);
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      const Sample *s = &corpus[i];
      g_autoptr(GBytes) raw = s->build ();
      g_autoptr(GBytes) expected = s->served != NULL ? g_bytes_new_static (s->served, strlen (s->served))
                                                     : normalized (raw);
      g_autoptr(MwMessage) message = load (&f, deliver (&f, f.inbox, raw, 0), MW_MESSAGE_LOAD_DEFAULT);
      g_autoptr(GBytes) got = NULL;
      g_autoptr(GError) error = NULL;
      const char *text = mw_message_get_text (message, &error);

      g_test_message ("sample %s", s->name);
      g_assert_no_error (error);
      g_assert_nonnull (text);
      g_assert_true (g_utf8_validate (text, -1, NULL));
      for (guint k = 0; k < G_N_ELEMENTS (s->text) && s->text[k] != NULL; k++)
        assert_contains (s->name, text, s->text[k]);
      for (guint k = 0; k < G_N_ELEMENTS (s->not_text) && s->not_text[k] != NULL; k++)
        g_assert_null (strstr (text, s->not_text[k]));
      if ((int) mw_message_get_attachments (message)->len != s->attachments)
        g_test_message ("%s: %u attachments", s->name, mw_message_get_attachments (message)->len);
      g_assert_cmpint (mw_message_get_attachments (message)->len, ==, s->attachments);

      got = mw_message_get_raw (message, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                       g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
    }

  /* read from bytes rather than from DBMail, the text after a NUL byte is
   * kept, the NUL shown as U+FFFD */
  {
    g_autoptr(GBytes) raw = msg_nul_and_bad_charset ();
    g_autoptr(MwMessage) message = mw_message_new_from_bytes (raw, MW_MESSAGE_LOAD_DEFAULT);

    assert_contains ("nul from bytes", mw_message_get_text (message, NULL), "café before\xef\xbf\xbd" "after\n");
  }
  fixture_clear (&f);
}

static void
test_headers (gconstpointer data)
{
  Fixture f;
  g_autoptr(MwMessage) plain = NULL;
  g_autoptr(MwMessage) encoded = NULL;
  g_autoptr(MwMessage) latin = NULL;
  g_autoptr(MwMessage) huge = NULL;
  g_autoptr(GBytes) raw_plain = msg_plain ();
  g_autoptr(GBytes) raw_encoded = msg_rfc2047 ();
  g_autoptr(GBytes) raw_latin = msg_latin1 ();
  g_autoptr(GBytes) raw_huge = msg_huge_header ();
  g_autoptr(GPtrArray) headers = NULL;
  g_autofree char *org = NULL;
  GDateTime *date;

  fixture_init (&f, data);
  plain = load (&f, deliver (&f, f.inbox, raw_plain, 0), MW_MESSAGE_LOAD_DEFAULT);
  g_assert_cmpstr (mw_message_get_from (plain), ==, "Alice Example <alice@example.org>");
  g_assert_cmpstr (mw_message_get_to (plain), ==, "Bob Builder <bob@example.com>, carol@example.net");
  g_assert_cmpstr (mw_message_get_cc (plain), ==, "dave@example.com");
  g_assert_cmpstr (mw_message_get_reply_to (plain), ==, "team@example.org");
  g_assert_cmpstr (mw_message_get_subject (plain), ==, "Re: [team] Lunch on Friday?");
  g_assert_cmpstr (mw_message_get_message_id (plain), ==, "plain.1@example.org");
  date = mw_message_get_date (plain);
  g_assert_nonnull (date);
  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (date);
    g_autofree char *s = g_date_time_format (utc, "%Y-%m-%d %H:%M:%S");

    g_assert_cmpstr (s, ==, "2025-11-05 09:11:12");
  }
  headers = mw_message_get_headers (plain);
  g_assert_cmpuint (headers->len, ==, 11);
  g_assert_cmpstr (((MwMessageHeader *) headers->pdata[0])->name, ==, "Return-Path");
  g_assert_cmpstr (((MwMessageHeader *) headers->pdata[1])->name, ==, "Received");
  /* unfolded */
  g_assert_nonnull (strstr (((MwMessageHeader *) headers->pdata[1])->value, "(Postfix) with ESMTPS id 4ABC123"));
  g_assert_null (strchr (((MwMessageHeader *) headers->pdata[1])->value, '\n'));
  g_assert_cmpstr (((MwMessageHeader *) headers->pdata[10])->name, ==, "Content-Type");

  encoded = load (&f, deliver (&f, f.inbox, raw_encoded, 0), MW_MESSAGE_LOAD_DEFAULT);
  g_assert_cmpstr (mw_message_get_subject (encoded), ==, "Übersicht für März");
  g_assert_cmpstr (mw_message_get_from (encoded), ==, "René €uro <rene@example.org>");
  g_assert_cmpstr (mw_message_get_to (encoded), ==, "Zoë <zoe@example.org>, Привет <ivan@example.net>");
  {
    g_autofree char *subject = mw_message_dup_header (encoded, "subject");

    g_assert_cmpstr (subject, ==, "Übersicht für März");
  }

  latin = load (&f, deliver (&f, f.inbox, raw_latin, 0), MW_MESSAGE_LOAD_DEFAULT);
  g_assert_cmpstr (mw_message_get_subject (latin), ==, "Grüße aus München");
  org = mw_message_dup_header (latin, "Organization");
  g_assert_cmpstr (org, ==, "Café Müller");   /* raw 8-bit header: not UTF-8, read as windows-1252 */

  huge = load (&f, deliver (&f, f.inbox, raw_huge, 0), MW_MESSAGE_LOAD_DEFAULT);
  g_assert_cmpuint (strlen (mw_message_get_subject (huge)), >, 2 * 1024 * 1024 - 100);
  g_assert_true (g_str_has_prefix (mw_message_get_subject (huge), "very long subject line very"));
  fixture_clear (&f);
}

static void
test_attachments (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) raw = msg_mixed ();
  g_autoptr(MwMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;
  MwMessageAttachment *a;

  fixture_init (&f, data);
  message = load (&f, deliver (&f, f.inbox, raw, 0), MW_MESSAGE_LOAD_DEFAULT);
  list = mw_message_get_attachments (message);
  g_assert_cmpuint (list->len, ==, 3);

  a = g_ptr_array_index (list, 0);
  g_assert_cmpuint (a->index, ==, 0);
  g_assert_cmpstr (a->filename, ==, "Bücher.pdf");          /* RFC 2047 in a quoted parameter */
  g_assert_cmpstr (a->content_type, ==, "application/pdf");
  g_assert_cmpuint (a->size, ==, sizeof pdf_bytes - 1);
  g_assert_false (a->is_inline);
  {
    g_autoptr(GBytes) content = mw_message_get_attachment (message, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), pdf_bytes, sizeof pdf_bytes - 1);
  }

  a = g_ptr_array_index (list, 1);
  g_assert_cmpstr (a->filename, ==, "été rates.txt");      /* RFC 2231, ISO-8859-1 */
  g_assert_cmpstr (a->content_type, ==, "text/plain");
  {
    g_autoptr(GBytes) content = mw_message_get_attachment (message, 1, &error);

    g_assert_no_error (error);
    /* decoded from quoted-printable, bytes kept in their charset */
    static const char expected[] = "attachedword in a text attachment, t\xe9l\xe9phone";

    /* the line break before the boundary belongs to the boundary */
    g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), expected, sizeof expected - 1);
    g_assert_cmpuint (a->size, ==, sizeof expected - 1);
  }

  a = g_ptr_array_index (list, 2);
  g_assert_cmpstr (a->filename, ==, "€ long name.bin");       /* RFC 2231 continuations */

  g_assert_null (mw_message_get_attachment (message, 3, &error));
  g_assert_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_NO_ATTACHMENT);
  g_clear_error (&error);

  /* text attachments are searched, not shown */
  g_assert_true (mw_message_text_contains (message, "ATTACHEDWORD"));
  g_assert_true (mw_message_text_contains (message, "téléphone"));
  g_assert_false (mw_message_text_contains (message, "Carla"));   /* only in a header */

  /* a forwarded message is saved as its .eml */
  {
    g_autoptr(GBytes) fwd = msg_forward ();
    g_autoptr(MwMessage) m = load (&f, deliver (&f, f.inbox, fwd, 0), MW_MESSAGE_LOAD_DEFAULT);
    MwMessageAttachment *eml = g_ptr_array_index (mw_message_get_attachments (m), 0);
    g_autoptr(GBytes) content = mw_message_get_attachment (m, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (eml->content_type, ==, "message/rfc822");
    g_assert_cmpstr (eml->filename, ==, "Report.eml");
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (content, NULL), (gssize) g_bytes_get_size (content),
                                    "forwardedword inside"));
    g_assert_true (mw_message_text_contains (m, "forwardedword"));
  }

  /* the inline image of a multipart/related */
  {
    g_autoptr(GBytes) nested = msg_nested ();
    g_autoptr(MwMessage) m = load (&f, deliver (&f, f.inbox, nested, 0), MW_MESSAGE_LOAD_DEFAULT);
    MwMessageAttachment *img = g_ptr_array_index (mw_message_get_attachments (m), 0);

    g_assert_cmpstr (img->content_type, ==, "image/png");
    g_assert_true (img->is_inline);
    g_assert_cmpuint (img->size, ==, 8);
    g_assert_true (mw_message_text_contains (m, "html offer"));   /* the alternative not shown is searched */
  }
  fixture_clear (&f);
}

/* HTML is only read: this file contains no network code at all, and what
 * remote images point to never reaches the text. */
static void
test_html_no_network (void)
{
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const network[] = { "g_socket", "GSocket", "soup_", "curl_", "connect (", "getaddrinfo",
                                         "g_resolver", "GNetwork", "g_file_new_for_uri", "g_file_read" };
  g_autoptr(GBytes) raw = msg_html ();
  g_autoptr(MwMessage) message = mw_message_new_from_bytes (raw, MW_MESSAGE_LOAD_DEFAULT);
  const char *text = mw_message_get_text (message, NULL);

  g_assert_true (g_file_get_contents (MW_SOURCE_DIR "/src/core/mail/mw-message.c", &source, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (network); i++)
    g_assert_null (strstr (source, network[i]));

  g_assert_true (mw_message_get_text_is_html (message));
  g_assert_null (strstr (text, "http://tracker"));
  g_assert_null (strstr (text, "pixel.gif"));
  g_assert_null (strstr (text, "cdn.example.com"));
  g_assert_null (strstr (text, "Tracker title"));
  g_assert_null (strstr (text, "<p>"));
  g_assert_null (strstr (text, "mailto:"));
  g_assert_nonnull (strstr (text, "sales@example.com"));
}

static void
test_privacy (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) raw = msg_mixed ();
  g_autoptr(MwMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "mw-test-private.eml", NULL);
  gint64 id;

  fixture_init (&f, data);
  id = deliver (&f, f.inbox, raw, 0);
  message = load (&f, id, MW_MESSAGE_HIDE_BODIES);

  g_assert_true (mw_message_is_private (message));
  g_assert_cmpstr (mw_message_get_subject (message), ==, "Report with attachments");
  g_assert_cmpstr (mw_message_get_from (message), ==, "Carla Rossi <carla@example.net>");
  headers = mw_message_get_headers (message);
  g_assert_cmpuint (headers->len, ==, 5);
  g_assert_cmpuint (mw_message_get_attachments (message)->len, ==, 3);
  g_assert_cmpuint (((MwMessageAttachment *) mw_message_get_attachments (message)->pdata[0])->size, ==,
                    sizeof pdf_bytes - 1);

  g_assert_null (mw_message_get_text (message, &error));
  g_assert_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_PRIVATE);
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_clear_error (&error);
  g_assert_null (mw_message_get_raw (message, &error));
  g_assert_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_PRIVATE);
  g_clear_error (&error);
  g_assert_null (mw_message_get_attachment (message, 0, &error));
  g_assert_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_PRIVATE);
  g_clear_error (&error);
  g_assert_false (mw_message_save_eml (message, path, &error));
  g_assert_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_PRIVATE);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (mw_message_text_contains (message, "Hello"));

  g_assert_false (mw_dbmail_search_bodies (f.tdb->db, f.user, 0, "Hello", MW_MESSAGE_HIDE_BODIES,
                                            NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_PRIVATE);
  fixture_clear (&f);
}

static void
test_save_eml (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) raw = msg_latin1 ();
  g_autoptr(MwMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-eml-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "saved.eml", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sql = NULL;
  gsize len;
  gint64 id;

  g_assert_no_error (error);
  fixture_init (&f, data);
  id = deliver (&f, f.inbox, raw, 0);
  message = load (&f, id, MW_MESSAGE_LOAD_DEFAULT);
  g_assert_true (mw_message_save_eml (message, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  /* CRLF, as the server sends it: its size is the stored rfcsize */
  sql = g_strdup_printf ("SELECT rfcsize FROM dbmail_physmessage WHERE id = %" G_GINT64_FORMAT, physmessage_of (&f, id));
  g_assert_cmpint ((gint64) len, ==, mw_test_db_int (f.tdb, sql));
  g_assert_true (g_str_has_prefix (contents, "From: Dorte Jaeger <doerte@example.org>\r\nTo:"));
  {
    g_autoptr(GBytes) back = g_bytes_new (contents, len);
    g_autoptr(GBytes) lf = normalized (back);
    g_autoptr(GBytes) expected = normalized (raw);

    g_assert_true (g_bytes_equal (lf, expected));
  }
  g_unlink (path);
  g_rmdir (dir);
  fixture_clear (&f);
}

/* ------------------------------------------------------------------------ */
/* Body search                                                              */
/* ------------------------------------------------------------------------ */

typedef struct
{
  GArray       *hits;        /* message_idnr */
  guint         progress_calls;
  guint         last_done;
  guint         last_total;
  GCancellable *cancel_on_progress;
} Search;

static void
on_hit (gint64   message_idnr,
        gint64   physmessage_id,
        gpointer user_data)
{
  Search *s = user_data;

  g_assert_cmpint (physmessage_id, >, 0);
  g_array_append_val (s->hits, message_idnr);
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  Search *s = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, s->last_done);
  s->progress_calls++;
  s->last_done = done;
  s->last_total = total;
  if (s->cancel_on_progress != NULL)
    g_cancellable_cancel (s->cancel_on_progress);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The sorted message_idnrs found, as "1,5,7". */
static char *
search (Fixture    *f,
        gint64      mailbox,
        const char *needle,
        Search     *s)
{
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);
  Search local = { 0 };

  if (s == NULL)
    s = &local;
  s->hits = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_assert_true (mw_dbmail_search_bodies (f->tdb->db, f->user, mailbox, needle, MW_MESSAGE_LOAD_DEFAULT,
                                           on_hit, on_progress, s, NULL, &error));
  g_assert_no_error (error);
  g_array_sort (s->hits, compare_ids);
  for (guint i = 0; i < s->hits->len; i++)
    g_string_append_printf (out, i == 0 ? "%" G_GINT64_FORMAT : ",%" G_GINT64_FORMAT, g_array_index (s->hits, gint64, i));
  g_array_unref (s->hits);
  return g_string_free (out, FALSE);
}

static char *
ids (gint64 a,
     gint64 b)
{
  return b != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, MIN (a, b), MAX (a, b))
                : g_strdup_printf ("%" G_GINT64_FORMAT, a);
}

static void
test_search (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) b64 = msg_base64_text ();
  g_autoptr(GBytes) qp = msg_qp ();
  g_autoptr(GBytes) latin = msg_latin1 ();
  g_autoptr(GBytes) html = msg_html ();
  g_autoptr(GBytes) mixed = msg_mixed ();
  g_autoptr(GBytes) plain = msg_plain ();
  gint64 m_b64, m_qp, m_latin, m_html, m_mixed, m_deleted, m_copy, m_purge;
  Search s = { 0 };
  char *got, *want;

  fixture_init (&f, data);
  m_b64 = deliver (&f, f.inbox, b64, 0);
  m_qp = deliver (&f, f.archive, qp, 1);          /* POP-retrieved: still visible */
  m_latin = deliver (&f, f.inbox, latin, 0);
  m_html = deliver (&f, f.inbox, html, 0);
  m_mixed = deliver (&f, f.inbox, mixed, 0);
  m_deleted = deliver (&f, f.inbox, plain, 2);    /* deleted, not yet purged */
  deliver (&f, f.other_inbox, b64, 0);            /* another user's: never found */
  m_purge = deliver (&f, f.archive, b64, 3);
  {
    /* an IMAP COPY: a second messages row on the same physmessage */
    g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_messages (mailbox_idnr, physmessage_id, unique_id, status) "
                                            "SELECT %" G_GINT64_FORMAT ", physmessage_id, 'copy', 0 FROM dbmail_messages "
                                            "WHERE message_idnr = %" G_GINT64_FORMAT, f.archive, m_latin);
    g_autofree char *q = g_strdup_printf ("SELECT max(message_idnr) FROM dbmail_messages WHERE mailbox_idnr = %"
                                          G_GINT64_FORMAT, f.archive);

    mw_test_db_exec (f.tdb, sql);
    m_copy = mw_test_db_int (f.tdb, q);
  }
  {
    /* status 5 (being delivered) is not searched */
    g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_messages (mailbox_idnr, physmessage_id, unique_id, status) "
                                            "SELECT mailbox_idnr, physmessage_id, 'insert', 5 FROM dbmail_messages "
                                            "WHERE message_idnr = %" G_GINT64_FORMAT, m_qp);

    mw_test_db_exec (f.tdb, sql);
  }

  /* only inside a base64 part */
  got = search (&f, 0, "ZEBRAFISH", &s);
  want = ids (m_b64, m_purge);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  g_free (want);
  g_assert_cmpuint (s.progress_calls, >=, 2);
  g_assert_cmpuint (s.last_done, ==, s.last_total);
  g_assert_cmpuint (s.last_total, ==, 7);   /* distinct physmessages with status 0..3 of bob */

  got = search (&f, 0, "тестовое", NULL);
  want = ids (m_b64, m_purge);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  g_free (want);

  /* across a quoted-printable soft line break */
  got = search (&f, 0, "supercalifragilistic", NULL);
  want = ids (m_qp, 0);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  g_free (want);

  /* ISO-8859-1 quoted-printable and windows-1252 8-bit, any case */
  got = search (&f, 0, "SCHLÜSSEL", NULL);
  want = ids (m_latin, m_copy);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  g_free (want);
  got = search (&f, 0, "señora núñez", NULL);
  want = ids (m_latin, m_copy);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  g_free (want);

  /* HTML as text: entities decoded, link targets kept, tags not matched */
  want = ids (m_html, 0);
  got = search (&f, 0, "welcome, été", NULL);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  got = search (&f, 0, "example.com/offer", NULL);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  g_free (want);
  got = search (&f, 0, "<script", NULL);
  g_assert_cmpstr (got, ==, "");
  g_free (got);

  /* text attachment; deleted message */
  got = search (&f, 0, "attachedword", NULL);
  want = ids (m_mixed, 0);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  g_free (want);
  got = search (&f, 0, "opposite the station", NULL);
  want = ids (m_deleted, 0);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  g_free (want);

  /* header words are no body hits */
  got = search (&f, 0, "[team] Lunch", NULL);
  g_assert_cmpstr (got, ==, "");
  g_free (got);
  got = search (&f, 0, "carla@example.net", NULL);
  g_assert_cmpstr (got, ==, "");
  g_free (got);

  /* one mailbox */
  got = search (&f, f.archive, "zebrafish", NULL);
  want = ids (m_purge, 0);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
  g_free (want);
  got = search (&f, f.other_inbox, "zebrafish", NULL);   /* not bob's mailbox */
  g_assert_cmpstr (got, ==, "");
  g_free (got);

  /* cancelled from the progress callback */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;
    Search c = { .hits = g_array_new (FALSE, FALSE, sizeof (gint64)), .cancel_on_progress = cancellable };

    g_assert_false (mw_dbmail_search_bodies (f.tdb->db, f.user, 0, "zebrafish", MW_MESSAGE_LOAD_DEFAULT,
                                              on_hit, on_progress, &c, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (c.hits->len, ==, 0);
    g_assert_cmpuint (c.progress_calls, ==, 1);
    g_array_unref (c.hits);
  }
  fixture_clear (&f);
}

/* Many messages: several batches, each physmessage once. */
static void
test_search_batches (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) b64 = msg_base64_text ();
  g_autoptr(GBytes) plain = msg_plain ();
  Search s = { 0 };
  g_autofree char *got = NULL;
  guint n_hits;

  fixture_init (&f, data);
  g_assert_true (mw_db_begin (f.tdb->db, NULL));
  for (guint i = 0; i < 450; i++)
    deliver (&f, i % 2 == 0 ? f.inbox : f.archive, i % 3 == 0 ? b64 : plain, i % 4);
  g_assert_true (mw_db_commit (f.tdb->db, NULL));
  got = search (&f, 0, "zebrafish", &s);
  n_hits = 1;
  for (const char *p = got; *p != '\0'; p++)
    n_hits += *p == ',';
  g_assert_cmpuint (n_hits, ==, 150);
  g_assert_cmpuint (s.last_total, ==, 450);
  g_assert_cmpuint (s.progress_calls, ==, 1 + 3);   /* start, then 200 + 200 + 50 */
  fixture_clear (&f);
}

/* Loading and searching on several threads at once, each with its own
 * connection: every thread finds what one thread alone finds. */
typedef struct
{
  MwDbSettings *settings;
  gint64        user;
  GArray       *phys;
  gint64        zebrafish_phys;  /* the one message whose text has "zebrafish" */
  const char   *cafe_hits;       /* what one search for "café" finds, alone */
} ThreadJob;

static gpointer
thread_main (gpointer data)
{
  ThreadJob *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDb) db = mw_db_connect (job->settings, NULL, &error);
  g_autoptr(GString) got = g_string_new (NULL);
  Search s = { 0 };

  g_assert_no_error (error);
  for (guint round = 0; round < 5; round++)
    for (guint i = 0; i < job->phys->len; i++)
      {
        gint64 phys = g_array_index (job->phys, gint64, i);
        g_autoptr(MwMessage) m = mw_dbmail_load_message (db, phys, MW_MESSAGE_LOAD_DEFAULT, NULL, &error);

        g_assert_no_error (error);
        g_assert_nonnull (mw_message_get_text (m, NULL));
        g_assert_cmpint (mw_message_text_contains (m, "zebrafish"), ==, phys == job->zebrafish_phys);
      }
  s.hits = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_assert_true (mw_dbmail_search_bodies (db, job->user, 0, "café", MW_MESSAGE_LOAD_DEFAULT, on_hit, on_progress,
                                           &s, NULL, &error));
  g_assert_no_error (error);
  g_array_sort (s.hits, compare_ids);
  for (guint i = 0; i < s.hits->len; i++)
    g_string_append_printf (got, i == 0 ? "%" G_GINT64_FORMAT : ",%" G_GINT64_FORMAT, g_array_index (s.hits, gint64, i));
  g_array_unref (s.hits);
  g_assert_cmpstr (got->str, ==, job->cafe_hits);
  return NULL;
}

static void
test_threads (gconstpointer data)
{
  Fixture f;
  GThread *threads[4];
  ThreadJob job = { 0 };
  g_autofree char *cafe_hits = NULL;

  fixture_init (&f, data);
  job.settings = f.tdb->settings;
  job.user = f.user;
  job.phys = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autoptr(GBytes) raw = corpus[i].build ();
      gint64 phys = physmessage_of (&f, deliver (&f, f.inbox, raw, 0));

      g_array_append_val (job.phys, phys);
      if (g_str_equal (corpus[i].name, "base64-text"))
        job.zebrafish_phys = phys;
    }
  g_assert_cmpint (job.zebrafish_phys, >, 0);
  cafe_hits = search (&f, 0, "café", NULL);
  g_assert_cmpstr (cafe_hits, !=, "");
  job.cafe_hits = cafe_hits;
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("loader", thread_main, &job);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_array_unref (job.phys);
  fixture_clear (&f);
}

/* ------------------------------------------------------------------------ */
/* mailwarden-cli message show                                              */
/* ------------------------------------------------------------------------ */

static char *
uri_of (MwTestDb *tdb)
{
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
  return g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
}

static int
run_cli (char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *err = NULL;
  int status;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("MW_CLI"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out, &err, &status, &error);
  g_assert_no_error (error);
  if (err != NULL && err[0] != '\0')
    g_test_message ("stderr: %s", err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) raw = msg_mixed ();
  g_autofree char *uri = NULL;
  g_autofree char *id = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-cli-msg-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "a.pdf", NULL);

  if (g_getenv ("MW_CLI") == NULL)
    {
      g_test_skip ("MW_CLI is not set");
      return;
    }
  fixture_init (&f, data);
  uri = uri_of (f.tdb);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, deliver (&f, f.inbox, raw, 0));
  {
    g_autofree char *out = NULL;

    g_assert_cmpint (run_cli (&out, "--db", uri, "message", "show", id, NULL), ==, 0);
    assert_contains ("cli", out, "Subject:     Report with attachments\n");
    assert_contains ("cli", out, "Hello Bob, the report is attached.");
    assert_contains ("cli", out, "[0] Bücher.pdf (application/pdf");
    assert_contains ("cli", out, "[1] été rates.txt (text/plain");
  }
  {
    g_autofree char *out = NULL;
    g_autoptr(GBytes) got = NULL;
    g_autoptr(GBytes) expected = normalized (raw);

    g_assert_cmpint (run_cli (&out, "--db", uri, "message", "show", "--raw", id, NULL), ==, 0);
    got = g_bytes_new (out, strlen (out));
    g_assert_true (g_bytes_equal (got, expected));
  }
  {
    g_autofree char *out = NULL;
    g_autoptr(JsonObject) o = NULL;

    g_assert_cmpint (run_cli (&out, "--db", uri, "--json", "message", "show", "--no-bodies", id, NULL), ==, 0);
    o = mw_test_json_parse (out);
    mw_test_json_assert_string (o, "subject", "Report with attachments");
    mw_test_json_assert_null (o, "text");
    g_assert_nonnull (mw_test_json_find (mw_test_json_get_array (o, "attachments"), "filename", "Bücher.pdf"));
    g_assert_null (strstr (out, "Hello Bob"));
  }
  {
    g_autofree char *out = NULL;
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_cmpint (run_cli (&out, "--db", uri, "message", "show", id, "--save-attachment", "0", "--output", file,
                              NULL), ==, 0);
    g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
    g_assert_cmpmem (contents, len, pdf_bytes, sizeof pdf_bytes - 1);
    g_unlink (file);
  }
  {
    g_autofree char *out = NULL;

    g_assert_cmpint (run_cli (&out, "--db", uri, "message", "show", "--headers", id, NULL), ==, 0);
    assert_contains ("cli", out, "MIME-Version: 1.0\n");
    g_assert_cmpint (run_cli (NULL, "--db", uri, "message", "show", "999999", NULL), ==, 4);
  }
  g_rmdir (dir);
  fixture_clear (&f);
}

static void
on_hit_count (gint64   message_idnr,
              gint64   physmessage_id,
              gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* A message still in DBMail 2.2's messageblks (not yet migrated by
 * dbmail-util -M): read and searched all the same. */
static void
test_messageblks (gconstpointer data)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwMessage) message = NULL;
  g_autofree char *sql = NULL;
  static const char header[] = "From: Old Server <old@example.org>\nTo: bob@example.org\n"
                               "Subject: =?ISO-8859-1?Q?Gr=FC=DFe_from_2.2?=\n"
                               "Date: Mon, 01 Dec 2008 10:00:00 +0100\n\n";
  static const char body[] = "Kept in messageblks since the days of DBMail 2.2: quokka.\n";
  MwDbValue params[3];
  gint64 phys, id;
  guint hits = 0;

  fixture_init (&f, data);
  if (f.tdb->driver == MW_DB_DRIVER_MYSQL)
    /* The MySQL 3.x schema has no messageblks; a database upgraded from 2.2 does. */
    mw_test_db_exec (f.tdb, "CREATE TABLE dbmail_messageblks (messageblk_idnr BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, "
                     "physmessage_id BIGINT UNSIGNED NOT NULL, messageblk LONGBLOB NOT NULL, blocksize BIGINT NOT NULL "
                     "DEFAULT 0, is_header TINYINT(1) NOT NULL DEFAULT 0, PRIMARY KEY (messageblk_idnr)) ENGINE=InnoDB");
  mw_test_db_exec (f.tdb, "INSERT INTO dbmail_physmessage (messagesize, rfcsize, internal_date) "
                   "VALUES (300, 306, '2008-12-01 10:00:00')");
  phys = mw_test_db_int (f.tdb, "SELECT max(id) FROM dbmail_physmessage");
  params[0] = MW_DB_INT64 (phys);
  params[1] = MW_DB_BYTES (header, sizeof header - 1);
  params[2] = MW_DB_INT64 (1);
  g_clear_pointer (&message, mw_message_unref);
  {
    g_autoptr(MwDbResult) r = mw_db_exec (f.tdb->db, "INSERT INTO {messageblks} (physmessage_id, messageblk, blocksize, "
                                          "is_header) VALUES ($1, $2, 0, $3)", params, 3, NULL, &error);
    g_assert_no_error (error);
  }
  params[1] = MW_DB_BYTES (body, sizeof body - 1);
  params[2] = MW_DB_INT64 (0);
  {
    g_autoptr(MwDbResult) r = mw_db_exec (f.tdb->db, "INSERT INTO {messageblks} (physmessage_id, messageblk, blocksize, "
                                          "is_header) VALUES ($1, $2, 0, $3)", params, 3, NULL, &error);
    g_assert_no_error (error);
  }
  sql = g_strdup_printf ("INSERT INTO dbmail_messages (mailbox_idnr, physmessage_id, unique_id, status) VALUES (%"
                         G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'old22', 0)", f.inbox, phys);
  mw_test_db_exec (f.tdb, sql);
  id = mw_test_db_int (f.tdb, "SELECT message_idnr FROM dbmail_messages WHERE unique_id = 'old22'");

  message = load (&f, id, MW_MESSAGE_LOAD_DEFAULT);
  g_assert_cmpstr (mw_message_get_subject (message), ==, "Grüße from 2.2");
  assert_contains ("messageblks", mw_message_get_text (message, NULL), "quokka");

  g_assert_true (mw_dbmail_search_bodies (f.tdb->db, f.user, 0, "QUOKKA", MW_MESSAGE_LOAD_DEFAULT, on_hit_count,
                                           NULL, &hits, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hits, ==, 1);
  fixture_clear (&f);
}

/* A nested multipart whose inner close is directly followed by the outer
 * boundary: DBMail serves it with a blank line between them ("\n--in--\n",
 * then "\n--out\n"). The source in the message window, "Save as .eml" and
 * message show --raw all give what DBMail serves. */
static const char nested_close[] =
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
  "--in--\n"
  "--out\n"
  "Content-Type: text/plain; name=\"notes.txt\"\n"
  "\n"
  "notes\n"
  "--out--";

static const char nested_close_served[] =
  "From: c@example.org\r\n"
  "Subject: nested\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: multipart/mixed; boundary=\"out\"\r\n"
  "\r\n"
  "--out\r\n"
  "Content-Type: multipart/alternative; boundary=\"in\"\r\n"
  "\r\n"
  "--in\r\n"
  "Content-Type: text/plain\r\n"
  "\r\n"
  "plain\r\n"
  "--in--\r\n"
  "\r\n"
  "--out\r\n"
  "Content-Type: text/plain; name=\"notes.txt\"\r\n"
  "\r\n"
  "notes\r\n"
  "--out--\r\n";

static void
test_source_as_served (gconstpointer data)
{
  Fixture f;
  g_autoptr(GBytes) raw = g_bytes_new_static (nested_close, sizeof nested_close - 1);
  g_autoptr(GBytes) crlf = g_bytes_new_static (nested_close_served, sizeof nested_close_served - 1);
  g_autoptr(GBytes) lf = normalized (crlf);
  g_autoptr(MwMessage) message = NULL;
  g_autoptr(GBytes) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-served-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "saved.eml", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  gint64 id;

  g_assert_no_error (error);
  fixture_init (&f, data);
  id = deliver (&f, f.inbox, raw, 0);
  message = load (&f, id, MW_MESSAGE_LOAD_DEFAULT);

  source = mw_message_get_raw (message, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (source, NULL), g_bytes_get_size (source),
                   g_bytes_get_data (lf, NULL), g_bytes_get_size (lf));

  g_assert_true (mw_message_save_eml (message, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpmem (contents, len, nested_close_served, sizeof nested_close_served - 1);
  g_unlink (path);
  g_rmdir (dir);

  if (g_getenv ("MW_CLI") != NULL)
    {
      g_autofree char *uri = uri_of (f.tdb);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_autofree char *out = NULL;

      g_assert_cmpint (run_cli (&out, "--db", uri, "message", "show", "--raw", number, NULL), ==, 0);
      g_assert_cmpmem (out, strlen (out), g_bytes_get_data (lf, NULL), g_bytes_get_size (lf));
    }
  fixture_clear (&f);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);

  g_test_add_func ("/message/html-no-network", test_html_no_network);
  mw_test_add_both ("/message/corpus", test_corpus);
  mw_test_add_both ("/message/headers", test_headers);
  mw_test_add_both ("/message/attachments", test_attachments);
  mw_test_add_both ("/message/privacy", test_privacy);
  mw_test_add_both ("/message/save-eml", test_save_eml);
  mw_test_add_both ("/message/search", test_search);
  mw_test_add_both ("/message/search-batches", test_search_batches);
  mw_test_add_both ("/message/threads", test_threads);
  mw_test_add_both ("/message/cli", test_cli);
  mw_test_add_both ("/message/messageblks", test_messageblks);
  mw_test_add_both ("/message/source-as-served", test_source_as_served);

  return mw_test_run ();
}
