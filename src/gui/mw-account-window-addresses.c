/* mw-account-window-addresses.c: the account window's aliases and forwards.
 *
 * Unlike the account's values, an address is written at once, and the toast
 * that says so can undo it. Addresses are named by their keys, which only
 * the schema reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-account-window-private.h"
#include "mailwarden-core.h"

/* ------------------------------------------------------------------------ */
/* The rows                                                                 */
/* ------------------------------------------------------------------------ */

static GtkWidget *
new_delete_button (const char *label,
                   const char *action,
                   const char *key)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", key);
  return button;
}

void
_mw_account_window_show_addresses (MwAccountWindow *self)
{
  MwAccount *a = self->account;

  _mw_account_window_clear_group (self, "aliases", self->aliases_group);
  for (guint i = 0; i < a->aliases->len; i++)
    {
      MwAccountAddress *al = g_ptr_array_index (a->aliases, i);
      gboolean catch_all = al->address[0] == '@' || g_str_has_suffix (al->address, "@");
      g_autofree char *shown = mw_address_to_display (al->address);
      GtkWidget *row = _mw_account_window_add_row (self, "aliases", self->aliases_group, shown,
                                                   catch_all ? _("Catch-all") : NULL, NULL);
      g_autofree char *label = g_strdup_printf (_("Delete the alias %s"), shown);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_delete_button (label, "account.delete-alias", al->key));
    }
  if (a->aliases->len == 0)
    _mw_account_window_add_row (self, "aliases", self->aliases_group, _("No aliases"),
                                _("Mail reaches this account only by its login name."), NULL);

  _mw_account_window_clear_group (self, "forwards", self->forwards_group);
  for (guint i = 0; i < a->forwards->len; i++)
    {
      MwAccountForward *f = g_ptr_array_index (a->forwards, i);
      g_autofree char *title = NULL;

      if (f->target[0] == '|' || f->target[0] == '!')
        /* Translators: a forward into a program */
        title = g_strdup_printf (_("%s (program)"), f->target);
      else
        title = g_strdup (f->target);
      {
        /* Translators: where a forward hangs off: "from sales@example.com" */
        g_autofree char *from = g_strdup_printf (_("from %s"), f->address);
        GtkWidget *row = _mw_account_window_add_row (self, "forwards", self->forwards_group, title, from, NULL);
        g_autofree char *label = g_strdup_printf (_("Stop forwarding %s to %s"), f->address, f->target);

        adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_delete_button (label, "account.delete-forward", f->key));
      }
    }
}

/* ------------------------------------------------------------------------ */
/* Writing them                                                             */
/* ------------------------------------------------------------------------ */

typedef enum
{
  ADD_ALIAS,
  ADD_FORWARD,
  DELETE_ADDRESS,
} AliasOp;

typedef struct
{
  MwAccountWindow *self;
  AliasOp          op;
  char            *address;   /* for the toast, and what its Undo puts back */
  char            *target;    /* a forward: where the copies go */
  gboolean         undo;      /* this undoes a toast: no new toast */
} AliasCall;

static void
on_alias_done_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  AliasCall *call = user_data;
  g_autoptr(MwAccountWindow) self = call->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = call->address;
  g_autofree char *target = call->target;
  g_autofree char *shown = mw_address_to_display (address);
  g_autofree char *key = NULL;
  gboolean remove = call->op == DELETE_ADDRESS;
  gboolean undo = call->undo;
  gboolean ok;

  switch (call->op)
    {
    case ADD_ALIAS:
      ok = (key = mw_session_add_alias_finish (MW_SESSION (source), res, &error)) != NULL;
      break;
    case ADD_FORWARD:
      ok = (key = mw_session_add_forward_finish (MW_SESSION (source), res, &error)) != NULL;
      break;
    case DELETE_ADDRESS:
    default:
      ok = mw_session_delete_address_finish (MW_SESSION (source), res, &error);
      break;
    }
  g_free (call);
  self->alias_jobs--;
  if (!ok)
    {
      if (!_mw_account_window_is_cancelled (error))
        {
          _mw_account_window_show_error (self, error->message);
          _mw_account_window_restore_focus (self);
        }
      return;
    }
  _mw_account_window_show_error (self, NULL);
  if (!remove && !undo)
    {
      /* A domain that could pass for another is kept, with a word about it. */
      g_autofree char *warning = mw_address_get_warning (address);

      if (warning == NULL && target != NULL)
        warning = mw_address_get_warning (target);
      if (warning != NULL)
        _mw_account_window_show_error (self, warning);
    }
  if (target != NULL && !remove && !undo)
    {
      /* Translators: "sales@example.com now also goes to a@b.org" */
      g_autofree char *title = g_strdup_printf (_("%s now also goes to %s"), shown, target);

      gtk_editable_set_text (GTK_EDITABLE (self->new_forward_row), "");
      _mw_account_window_toast (self, title, "account.delete-forward", g_variant_new_string (key));
    }
  else if (target != NULL && remove && !undo)
    {
      g_autofree char *title = g_strdup_printf (_("Stopped forwarding %s to %s"), shown, target);

      _mw_account_window_toast (self, title, "account.restore-forward", g_variant_new ("(ss)", address, target));
    }
  else if (!remove && !undo)
    {
      /* Translators: a toast after adding an alias: "Added sales@example.com" */
      g_autofree char *title = g_strdup_printf (C_("alias", "Added %s"), shown);

      gtk_editable_set_text (GTK_EDITABLE (self->new_alias_row), "");
      _mw_account_window_toast (self, title, "account.delete-alias", g_variant_new_string (key));
    }
  else if (remove && !undo)
    {
      /* Translators: a toast after deleting an alias: "Deleted sales@example.com" */
      g_autofree char *title = g_strdup_printf (C_("alias", "Deleted %s"), shown);

      _mw_account_window_toast (self, title, "account.restore-alias", g_variant_new_string (address));
    }
  /* The session told the lists; this window reads the account again. */
  _mw_account_window_reload (self);
}

/* Starts the write; @key is the address to delete, NULL to add one. */
static void
run_alias_call (MwAccountWindow *self,
                const char      *key,
                const char      *address,
                const char      *target,
                MwAddressFlags   flags,
                gboolean         undo)
{
  AliasCall *call = g_new0 (AliasCall, 1);

  call->self = g_object_ref (self);
  call->address = g_strdup (address);
  call->target = g_strdup (target);
  call->undo = undo;
  self->alias_jobs++;
  if (key != NULL)
    {
      call->op = DELETE_ADDRESS;
      mw_session_delete_address_async (self->session, key, FALSE, self->cancellable, on_alias_done_cb, call);
    }
  else if (target != NULL)
    {
      call->op = ADD_FORWARD;
      mw_session_add_forward_async (self->session, address, target, flags, -1, FALSE, self->cancellable,
                                    on_alias_done_cb, call);
    }
  else
    {
      call->op = ADD_ALIAS;
      mw_session_add_alias_async (self->session, self->account_key, address, flags, FALSE, self->cancellable,
                                  on_alias_done_cb, call);
    }
}

static void
on_new_alias_applied_cb (MwAccountWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->new_alias_row));

  /* A catch-all typed here is meant: the row says what it is afterwards. */
  run_alias_call (self, NULL, text, NULL, MW_ADDRESS_ALLOW_CATCH_ALL, FALSE);
}

static void
delete_alias_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  const char *key = g_variant_get_string (param, NULL);
  const char *address = NULL;

  for (guint i = 0; self->account != NULL && i < self->account->aliases->len; i++)
    {
      MwAccountAddress *al = g_ptr_array_index (self->account->aliases, i);

      if (g_str_equal (al->key, key))
        address = al->address;
    }
  /* Undoing an "Added" toast deletes quietly. */
  run_alias_call (self, key, address != NULL ? address : "", NULL, 0, address == NULL);
}

static void
on_new_forward_applied_cb (MwAccountWindow *self)
{
  const char *first = NULL;

  /* The account's primary address: forwards hang off it. */
  for (guint i = 0; self->account != NULL && i < self->account->aliases->len; i++)
    {
      MwAccountAddress *al = g_ptr_array_index (self->account->aliases, i);

      if (al->primary)
        first = al->address;
    }
  if (first == NULL)
    {
      _mw_account_window_show_error (self, _("Forwards hang off an address of the account; add an alias first."));
      return;
    }
  run_alias_call (self, NULL, first, gtk_editable_get_text (GTK_EDITABLE (self->new_forward_row)), 0, FALSE);
}

static void
delete_forward_action (GtkWidget  *widget,
                       const char *action,
                       GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  const char *key = g_variant_get_string (param, NULL);
  MwAccountForward *found = NULL;

  for (guint i = 0; self->account != NULL && i < self->account->forwards->len; i++)
    {
      MwAccountForward *f = g_ptr_array_index (self->account->forwards, i);

      if (g_str_equal (f->key, key))
        found = f;
    }
  run_alias_call (self, key, found != NULL ? found->address : "", found != NULL ? found->target : "", 0,
                  found == NULL);
}

static void
restore_forward_action (GtkWidget  *widget,
                        const char *action,
                        GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  const char *address = NULL;
  const char *target = NULL;

  g_variant_get (param, "(&s&s)", &address, &target);
  run_alias_call (self, NULL, address, target, MW_ADDRESS_ALLOW_CATCH_ALL | MW_ADDRESS_BYPASS, TRUE);
}

static void
restore_alias_action (GtkWidget  *widget,
                      const char *action,
                      GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);

  /* Put back exactly what was stored, even if it would not pass today's check. */
  run_alias_call (self, NULL, g_variant_get_string (param, NULL), NULL,
                  MW_ADDRESS_ALLOW_CATCH_ALL | MW_ADDRESS_BYPASS, TRUE);
}

void
_mw_account_window_class_init_addresses (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "account.delete-alias", "s", delete_alias_action);
  gtk_widget_class_install_action (widget_class, "account.restore-alias", "s", restore_alias_action);
  gtk_widget_class_install_action (widget_class, "account.delete-forward", "s", delete_forward_action);
  gtk_widget_class_install_action (widget_class, "account.restore-forward", "(ss)", restore_forward_action);
}

void
_mw_account_window_init_addresses (MwAccountWindow *self)
{
  g_signal_connect_swapped (self->new_alias_row, "apply", G_CALLBACK (on_new_alias_applied_cb), self);
  g_signal_connect_swapped (self->new_forward_row, "apply", G_CALLBACK (on_new_forward_applied_cb), self);
}
