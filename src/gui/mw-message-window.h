/* mw-message-window.h: one message: the headers that matter, its text, attachments, source.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_MESSAGE_WINDOW (mw_message_window_get_type ())
G_DECLARE_FINAL_TYPE (MwMessageWindow, mw_message_window, MW, MESSAGE_WINDOW, AdwWindow)

/* The message whose key is message_key; number is what the admin sees as
 * its id, for the name of a saved .eml. hide_bodies: headers and the
 * attachment list only (the core refuses the rest). */
MwMessageWindow *mw_message_window_new (MwSession *session, const char *message_key, gint64 number,
                                        gboolean hide_bodies);

/* The message is deleted: a banner says so. With account_key (the account
 * whose mailbox holds it) it offers Undelete, which emits "undeleted" once
 * done; NULL: it says where it is undeleted from. */
void        mw_message_window_show_deleted (MwMessageWindow *self, const char *account_key);
/* For tests: the banner's text, or NULL when the message is not deleted. */
const char *mw_message_window_get_banner (MwMessageWindow *self);
/* A header's addresses ("Name <a@xn--bcher-kva.example>, b@c") with
 * international domains in Unicode, as the window and the message list
 * show them. Returns: (transfer full) */
char       *mw_message_window_format_addresses (const char *value);

/* For tests: still loading; a header shown ("from", "to", "cc", "date",
 * "subject"); the text shown (or the source when shown); the attachment rows. */
gboolean    mw_message_window_is_loading (MwMessageWindow *self);
const char *mw_message_window_get_field  (MwMessageWindow *self, const char *field);
char       *mw_message_window_dup_text   (MwMessageWindow *self);
GStrv       mw_message_window_dup_attachments (MwMessageWindow *self);
/* Writes attachment index / the .eml to path, as the Save buttons do. */
gboolean    mw_message_window_save_attachment (MwMessageWindow *self, guint index, const char *path, GError **error);
gboolean    mw_message_window_save_eml (MwMessageWindow *self, const char *path, GError **error);

G_END_DECLS
