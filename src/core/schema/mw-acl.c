/* mw-acl.c: rights, ACL entries and the optional sharing interface's entry
 * points (mw-acl.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-acl"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-acl.h"

G_DEFINE_INTERFACE (MwAclStore, mw_acl_store, G_TYPE_OBJECT)

static void
mw_acl_store_default_init (MwAclStoreInterface *iface)
{
}

/* ------------------------------------------------------------------------ */
/* Rights                                                                   */
/* ------------------------------------------------------------------------ */

static const char right_letters[MW_N_RIGHTS + 1] = "lrswipkxtea";

MwRight
mw_right_nth (guint index)
{
  g_return_val_if_fail (index < MW_N_RIGHTS, MW_RIGHT_LOOKUP);

  return (MwRight) (1u << index);
}

static int
right_index (MwRight right)
{
  for (guint i = 0; i < MW_N_RIGHTS; i++)
    if ((guint) right == (1u << i))
      return (int) i;
  return -1;
}

char
mw_right_letter (MwRight right)
{
  int i = right_index (right);

  g_return_val_if_fail (i >= 0, '?');
  return right_letters[i];
}

const char *
mw_right_label (MwRight right)
{
  switch (right)
    {
    /* Translators: the IMAP rights a folder's owner gives another account
     * (RFC 4314), as short labels of switches. */
    case MW_RIGHT_LOOKUP:     return _("See the folder");
    case MW_RIGHT_READ:       return _("Read messages");
    case MW_RIGHT_SEEN:       return _("Keep “seen” marks");
    case MW_RIGHT_WRITE:      return _("Set other flags");
    case MW_RIGHT_INSERT:     return _("Add messages");
    case MW_RIGHT_POST:       return _("Send mail to the folder");
    case MW_RIGHT_CREATE:     return _("Create subfolders");
    case MW_RIGHT_DELETE:     return _("Delete the folder");
    case MW_RIGHT_DELETED:    return _("Mark messages deleted");
    case MW_RIGHT_EXPUNGE:    return _("Expunge deleted messages");
    case MW_RIGHT_ADMINISTER: return _("Change the sharing");
    default:                  break;
    }
  g_return_val_if_reached ("");
}

static const char *
right_word (MwRight right)
{
  switch (right)
    {
    /* Translators: the rights as a running list: "see the folder, read,
     * keep seen marks". */
    case MW_RIGHT_LOOKUP:     return _("see the folder");
    case MW_RIGHT_READ:       return _("read");
    case MW_RIGHT_SEEN:       return _("keep seen marks");
    case MW_RIGHT_WRITE:      return _("set flags");
    case MW_RIGHT_INSERT:     return _("add messages");
    case MW_RIGHT_POST:       return _("send to it");
    case MW_RIGHT_CREATE:     return _("create subfolders");
    case MW_RIGHT_DELETE:     return _("delete the folder");
    case MW_RIGHT_DELETED:    return _("mark deleted");
    case MW_RIGHT_EXPUNGE:    return _("expunge");
    case MW_RIGHT_ADMINISTER: return _("change the sharing");
    default:                  break;
    }
  g_return_val_if_reached ("");
}

gboolean
mw_rights_from_letters (const char  *letters,
                        MwRights    *rights,
                        GError     **error)
{
  g_autoptr (GString) unknown = NULL;
  MwRights set = 0;

  g_return_val_if_fail (rights != NULL, FALSE);

  if (letters == NULL)
    letters = "";
  if (!g_utf8_validate (letters, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The rights are not valid text (UTF-8)."));
      return FALSE;
    }
  for (const char *p = letters; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *at;

      if (g_unichar_isspace (c))
        continue;
      if (c == 'c')
        set |= MW_RIGHT_CREATE;
      else if (c == 'd')
        set |= MW_RIGHT_DELETE | MW_RIGHT_DELETED | MW_RIGHT_EXPUNGE;
      else if (c < 0x80 && c != 0 && (at = strchr (right_letters, (int) c)) != NULL)
        set |= 1u << (at - right_letters);
      else
        {
          if (unknown == NULL)
            unknown = g_string_new (NULL);
          char quoted[16];
          char buf[8] = { 0 };

          g_unichar_to_utf8 (c, buf);
          g_snprintf (quoted, sizeof quoted, "“%s”", buf);
          if (strstr (unknown->str, quoted) == NULL)
            {
              if (unknown->len > 0)
                g_string_append (unknown, ", ");
              g_string_append (unknown, quoted);
            }
        }
    }
  if (unknown != NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   /* Translators: %s lists the letters, "“q”, “z”"; the known ones follow. */
                   _("There is no right %s. Rights are the letters l r s w i p k x t e a (and c, d of RFC 2086), "
                     "or read-only, read-write, full."), unknown->str);
      return FALSE;
    }
  *rights = set;
  return TRUE;
}

char *
mw_rights_to_letters (MwRights rights)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < MW_N_RIGHTS; i++)
    if (rights & (1u << i))
      g_string_append_c (s, right_letters[i]);
  return g_string_free (s, FALSE);
}

char *
mw_rights_describe (MwRights rights)
{
  GString *s;

  if ((rights & MW_RIGHTS_FULL) == 0)
    return g_strdup (_("no rights"));
  s = g_string_new (NULL);
  for (guint i = 0; i < MW_N_RIGHTS; i++)
    if (rights & (1u << i))
      {
        if (s->len > 0)
          /* Translators: between the words of mw_rights_describe (). */
          g_string_append (s, _(", "));
        g_string_append (s, right_word (mw_right_nth (i)));
      }
  return g_string_free (s, FALSE);
}

static const struct
{
  const char *name;
  MwRights    rights;
} presets[] = {
  { "read-only",  MW_RIGHTS_READ_ONLY },
  { "read-write", MW_RIGHTS_READ_WRITE },
  { "full",       MW_RIGHTS_FULL },
};

gboolean
mw_rights_from_preset (const char *name,
                       MwRights   *rights)
{
  g_return_val_if_fail (rights != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_ascii_strcasecmp (name, presets[i].name) == 0)
      {
        *rights = presets[i].rights;
        return TRUE;
      }
  return FALSE;
}

const char *
mw_rights_preset_name (MwRights rights)
{
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (rights == presets[i].rights)
      return presets[i].name;
  return NULL;
}

gboolean
mw_rights_parse (const char  *text,
                 MwRights    *rights,
                 GError     **error)
{
  if (mw_rights_from_preset (text, rights))
    return TRUE;
  return mw_rights_from_letters (text, rights, error);
}

/* ------------------------------------------------------------------------ */
/* Entries                                                                  */
/* ------------------------------------------------------------------------ */

MwAclEntry *
mw_acl_entry_new (void)
{
  return g_new0 (MwAclEntry, 1);
}

MwAclEntry *
mw_acl_entry_copy (const MwAclEntry *e)
{
  MwAclEntry *copy;

  g_return_val_if_fail (e != NULL, NULL);

  copy = g_new0 (MwAclEntry, 1);
  copy->mailbox_key = g_strdup (e->mailbox_key);
  copy->mailbox = g_strdup (e->mailbox);
  copy->display_name = g_strdup (e->display_name);
  copy->owner_key = g_strdup (e->owner_key);
  copy->owner = g_strdup (e->owner);
  copy->shown_as = g_strdup (e->shown_as);
  copy->is_public = e->is_public;
  copy->grantee = g_strdup (e->grantee);
  copy->grantee_key = g_strdup (e->grantee_key);
  copy->rights = e->rights;
  return copy;
}

void
mw_acl_entry_free (MwAclEntry *e)
{
  if (e == NULL)
    return;
  g_free (e->mailbox_key);
  g_free (e->mailbox);
  g_free (e->display_name);
  g_free (e->owner_key);
  g_free (e->owner);
  g_free (e->shown_as);
  g_free (e->grantee);
  g_free (e->grantee_key);
  g_free (e);
}

/* ------------------------------------------------------------------------ */
/* The interface                                                            */
/* ------------------------------------------------------------------------ */

gboolean
mw_schema_has_sharing (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_ACL_STORE (self);
}

static MwAclStoreInterface *
iface_or_refuse (MwSchema    *self,
                 GError     **error)
{
  if (MW_IS_ACL_STORE (self))
    return MW_ACL_STORE_GET_IFACE (self);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This kind of mail database has no shared folders: only DBMail keeps them."));
  return NULL;
}

GPtrArray *
mw_schema_list_account_folders (MwSchema      *self,
                                MwDb          *db,
                                const char    *account_key,
                                GCancellable  *cancellable,
                                GError       **error)
{
  MwAclStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  return iface->list_account_folders (MW_ACL_STORE (self), db, account_key, cancellable, error);
}

GPtrArray *
mw_schema_list_shared_with (MwSchema      *self,
                            MwDb          *db,
                            const char    *account_key,
                            GCancellable  *cancellable,
                            GError       **error)
{
  MwAclStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  return iface->list_shared_with (MW_ACL_STORE (self), db, account_key, cancellable, error);
}

GPtrArray *
mw_schema_list_folder_acl (MwSchema      *self,
                           MwDb          *db,
                           const char    *mailbox_key,
                           GCancellable  *cancellable,
                           GError       **error)
{
  MwAclStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  return iface->list_folder_acl (MW_ACL_STORE (self), db, mailbox_key, cancellable, error);
}

char *
mw_schema_find_shared_folder (MwSchema      *self,
                              MwDb          *db,
                              const char    *folder,
                              GCancellable  *cancellable,
                              GError       **error)
{
  MwAclStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  return iface->find_shared_folder (MW_ACL_STORE (self), db, folder, cancellable, error);
}

gboolean
mw_schema_get_effective_rights (MwSchema      *self,
                                MwDb          *db,
                                const char    *mailbox_key,
                                const char    *user,
                                MwRights      *rights,
                                GCancellable  *cancellable,
                                GError       **error)
{
  MwAclStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (rights != NULL, FALSE);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return FALSE;
  return iface->get_effective_rights (MW_ACL_STORE (self), db, mailbox_key, user, rights, cancellable, error);
}

gboolean
mw_schema_set_rights (MwSchema       *self,
                      const MwAdmin  *admin,
                      const char     *mailbox_key,
                      const char     *grantee,
                      MwRights        rights,
                      MwRights       *before,
                      GError        **error)
{
  MwAclStoreInterface *iface;
  MwRights ignored;

  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (admin != NULL, FALSE);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return FALSE;
  if ((rights & ~MW_RIGHTS_FULL) != 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("There are only 11 rights."));
      return FALSE;
    }
  return iface->set_rights (MW_ACL_STORE (self), admin, mailbox_key, grantee, rights,
                            before != NULL ? before : &ignored, error);
}

gboolean
mw_schema_revoke_rights (MwSchema       *self,
                         const MwAdmin  *admin,
                         const char     *mailbox_key,
                         const char     *grantee,
                         MwRights       *before,
                         GError        **error)
{
  return mw_schema_set_rights (self, admin, mailbox_key, grantee, MW_RIGHTS_NONE, before, error);
}

MwSpecialUsers
mw_schema_missing_special_users (MwSchema      *self,
                                 MwDb          *db,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  MwAclStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), 0);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return 0;
  return iface->missing_special_users (MW_ACL_STORE (self), db, cancellable, error);
}

gboolean
mw_schema_create_special_users (MwSchema       *self,
                                const MwAdmin  *admin,
                                MwSpecialUsers  which,
                                GError        **error)
{
  MwAclStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (admin != NULL, FALSE);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return FALSE;
  return iface->create_special_users (MW_ACL_STORE (self), admin, which, error);
}

char *
mw_schema_create_public_folder (MwSchema       *self,
                                const MwAdmin  *admin,
                                const char     *name,
                                GError        **error)
{
  MwAclStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  return iface->create_public_folder (MW_ACL_STORE (self), admin, name, error);
}

gboolean
mw_schema_delete_public_folder (MwSchema       *self,
                                const MwAdmin  *admin,
                                const char     *name,
                                GError        **error)
{
  MwAclStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (admin != NULL, FALSE);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return FALSE;
  return iface->delete_public_folder (MW_ACL_STORE (self), admin, name, error);
}
