/* mw-account.c: freeing the account and address types every schema shares, and the delete summary's sentence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-account.h"
#include "mw-password.h"

void
mw_found_free (MwFound *found)
{
  if (found == NULL)
    return;
  g_free (found->key);
  g_free (found->name);
  g_free (found->matched_by);
  g_free (found->address);
  g_strfreev (found->targets);
  g_free (found);
}

/* The arrays free their elements: whoever fills them gives them their free
 * function. */
void
mw_account_free (MwAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->key);
  g_free (account->name);
  g_free (account->password_scheme);
  g_free (account->fingerprint);
  g_clear_pointer (&account->last_login, g_date_time_unref);
  g_clear_pointer (&account->aliases, g_ptr_array_unref);
  g_clear_pointer (&account->forwards, g_ptr_array_unref);
  g_clear_pointer (&account->mailboxes, g_ptr_array_unref);
  g_free (account);
}

MwAccountChange *
mw_account_change_new (void)
{
  return g_new0 (MwAccountChange, 1);
}

void
mw_account_change_free (MwAccountChange *change)
{
  if (change == NULL)
    return;
  g_free (change->name);
  /* Plain passwords and stored hashes are wiped, not only freed. */
  mw_password_free (change->password);
  g_free (change->password_scheme);
  mw_password_free (change->stored_password);
  g_free (change->stored_scheme);
  mw_password_free (change->security_password);
  g_free (change->expected_fingerprint);
  g_free (change->notice);
  g_free (change);
}

void
mw_address_route_free (MwAddressRoute *route)
{
  if (route == NULL)
    return;
  g_free (route->key);
  g_free (route->address);
  g_free (route->target);
  g_free (route->account_key);
  g_free (route->account_name);
  g_free (route);
}

static const char *
number_text (gint64  n,
             char   *buf,
             gsize   size)
{
  g_snprintf (buf, size, "%" G_GINT64_FORMAT, n);
  return buf;
}

char *
mw_delete_summary_describe (const MwDeleteSummary *s)
{
  g_autofree char *bytes = NULL;
  char b1[24], b2[24], b3[24], b4[24], b5[24], b6[24], b7[24];
  g_autofree char *users = NULL;
  g_autofree char *mailboxes = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *aliases = NULL;
  g_autofree char *forwards = NULL;
  g_autofree char *acls = NULL;
  g_autofree char *sieve = NULL;

  g_return_val_if_fail (s != NULL, NULL);

  if (s->maildirs > 0)
    {
      /* Postfix/Dovecot: the mail is in Maildirs on the mail server, not in the database. */
      users = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s mailbox", "%s mailboxes", (gulong) s->users),
                               number_text (s->users, b1, sizeof b1));
      aliases = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s alias", "%s aliases", (gulong) s->aliases),
                                 number_text (s->aliases, b4, sizeof b4));
      forwards = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s forward", "%s forwards", (gulong) s->forwards),
                                  number_text (s->forwards, b5, sizeof b5));
      /* Translators: "1 mailbox, 2 aliases and 1 forward. Its mail …: remove the Maildir /var/vmail/a.org/bo/ …" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s and %s. Its mail is not in the database: "
                                           "remove the Maildir %s on the mail server by hand.",
                                           "%s, %s and %s. Their mail is not in the database: remove the Maildirs "
                                           "(%s and the others) on the mail server by hand.",
                                           (gulong) s->maildirs),
                              users, aliases, forwards, s->maildir);
    }

  bytes = g_format_size_full ((guint64) s->bytes, G_FORMAT_SIZE_IEC_UNITS);
  users = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s user", "%s users", (gulong) s->users),
                           number_text (s->users, b1, sizeof b1));
  mailboxes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s mailbox", "%s mailboxes", (gulong) s->mailboxes),
                               number_text (s->mailboxes, b2, sizeof b2));
  messages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s message", "%s messages", (gulong) s->messages),
                              number_text (s->messages, b3, sizeof b3));
  aliases = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s alias", "%s aliases", (gulong) s->aliases),
                             number_text (s->aliases, b4, sizeof b4));
  forwards = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s forward", "%s forwards", (gulong) s->forwards),
                              number_text (s->forwards, b5, sizeof b5));
  acls = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s shared-folder right", "%s shared-folder rights",
                                       (gulong) s->acls),
                          number_text (s->acls, b6, sizeof b6));
  sieve = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s Sieve script", "%s Sieve scripts",
                                        (gulong) s->sieve_scripts),
                           number_text (s->sieve_scripts, b7, sizeof b7));

  /* Translators: "2 users with 3 mailboxes and 120 messages (4.5 MiB), 4 aliases, 1 forward,
   * 0 shared-folder rights and 1 Sieve script." */
  return g_strdup_printf (_("%s with %s and %s (%s), %s, %s, %s and %s."),
                          users, mailboxes, messages, bytes, aliases, forwards, acls, sieve);
}
