/* mw-mail-charset.h: mail text in any declared charset as valid UTF-8, as mail readers show it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* data in charset (NULL: not declared) appended to out as UTF-8 with LF
 * line ends. Undeclared or unknown charsets: UTF-8 when the bytes are valid
 * UTF-8, else windows-1252; bytes that cannot be read and NUL bytes become
 * U+FFFD. */
void  mw_mail_charset_append (GString    *out,
                              const char *data,
                              gsize       len,
                              const char *charset);

/* A decoded header value made safe: valid UTF-8, no NUL. NULL for NULL.
 * (transfer full) */
char *mw_mail_charset_clean  (const char *value);

G_END_DECLS
