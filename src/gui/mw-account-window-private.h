/* mw-account-window-private.h: what the files of the account window share.
 *
 * mw-account-window.c holds the widget, its page (the account's values and
 * mailboxes) and loading; mw-account-window-actions.c the staged changes,
 * save, Undo, revert and deleting the account; mw-account-window-addresses.c
 * the aliases and forwards, written at once with Undo in a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account-window.h"

G_BEGIN_DECLS

#define MIB (G_GINT64_CONSTANT (1) << 20)

struct _MwAccountWindow
{
  AdwWindow             parent_instance;

  MwSession            *session;
  char                 *account_key;
  MwAccount            *account;
  GCancellable         *cancellable;
  gboolean              loading;
  GHashTable           *values;        /* field -> GtkLabel */
  GHashTable           *group_rows;    /* group name -> GPtrArray of rows we added */

  /* Template widgets */
  AdwViewSwitcherTitle *window_title;
  AdwViewStack         *view_stack;
  AdwBin               *mail_bin;
  MwMailPage           *mail_page;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  AdwEntryRow          *name_row;
  AdwActionRow         *number_row;
  AdwActionRow         *group_row;
  AdwActionRow         *quota_limit_row;
  AdwActionRow         *quota_row;
  AdwActionRow         *login_row;
  AdwActionRow         *hash_row;
  AdwActionRow         *enabled_row;
  GtkLevelBar          *quota_bar;
  AdwPreferencesGroup  *password_group;
  AdwPreferencesGroup  *aliases_group;
  AdwPreferencesGroup  *forwards_group;
  AdwPreferencesGroup  *mailboxes_group;
  GtkSpinButton        *group_spin;
  GtkSpinButton        *quota_spin;
  GtkSwitch            *enabled_switch;
  AdwPasswordEntryRow  *password_row;
  AdwPasswordEntryRow  *security_password_row;
  AdwComboRow          *security_action_row;
  AdwActionRow         *security_rule_row;
  GtkSpinButton        *security_action_spin;
  AdwComboRow          *scheme_row;
  AdwEntryRow          *new_alias_row;
  AdwEntryRow          *new_forward_row;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  AdwToastOverlay      *toast_overlay;
  GtkActionBar         *action_bar;
  AdwViewSwitcherBar   *switcher_bar;

  gboolean              showing;       /* filling the rows; not a change by the person */
  gboolean              saving;
  MwAccountChange      *undo;          /* what puts back the last save, for the toast's Undo */
  guint                 alias_jobs;    /* alias writes under way */
  gboolean              close_after_save; /* Save in the close question: close once saved */
  char                 *last_toast;    /* for tests */
  AdwToast             *shown_toast;   /* the last toast, until it goes */
  AdwToast             *leaving_toast; /* undone by Ctrl+Z: goes once idle */
  guint                 leaving_idle;
  AdwToast             *undo_toast;    /* the toast whose Undo is offered (Ctrl+Z), or NULL */
  GtkWidget            *last_focus;    /* (weak) the last focus outside the toasts */
  GtkWidget            *undo_focus;    /* (weak) where the focus goes back after Undo */
  gboolean              refocus;       /* an Undo is under way: put the focus back once shown */
  GPtrArray            *scheme_names;  /* of the combo row, in order */
  const MwSecurityAction *security_actions; /* of their combo row, in order (the schema's) */
  guint                 n_security_actions;
};

/* mw-account-window.c */
void       _mw_account_window_reload        (MwAccountWindow *self);
void       _mw_account_window_show_account  (MwAccountWindow *self);
void       _mw_account_window_show_error    (MwAccountWindow *self,
                                             const char      *message);
void       _mw_account_window_toast         (MwAccountWindow *self,
                                             const char      *title,
                                             const char      *undo_action,
                                             GVariant        *undo_target);
void       _mw_account_window_clear_group   (MwAccountWindow     *self,
                                             const char          *name,
                                             AdwPreferencesGroup *group);
GtkWidget *_mw_account_window_add_row       (MwAccountWindow     *self,
                                             const char          *name,
                                             AdwPreferencesGroup *group,
                                             const char          *title,
                                             const char          *subtitle,
                                             const char          *suffix);
/* Shows a security action value in its combo row (and rule number). */
void       _mw_account_window_set_security_action (MwAccountWindow *self,
                                                   gint64           value);
/* Takes back the Undo of the last toast: a new change came. */
void       _mw_account_window_withdraw_undo (MwAccountWindow *self);
/* Puts the focus back where it was before an Undo (or on the field the
 * change was in), without selecting the text it lands in. */
void       _mw_account_window_restore_focus (MwAccountWindow *self);
/* A result the window stops caring about because it closed. */
gboolean   _mw_account_window_is_cancelled  (const GError    *error);

/* mw-account-window-actions.c */
void       _mw_account_window_class_init_actions (GtkWidgetClass  *widget_class);
void       _mw_account_window_init_actions       (MwAccountWindow *self);
void       _mw_account_window_update_actions     (MwAccountWindow *self);

/* mw-account-window-addresses.c */
void       _mw_account_window_class_init_addresses (GtkWidgetClass  *widget_class);
void       _mw_account_window_init_addresses       (MwAccountWindow *self);
void       _mw_account_window_show_addresses       (MwAccountWindow *self);

/* mw-account-window-vacation.c: the Vacation tab, where the flavour has one */
void       _mw_account_window_init_vacation        (MwAccountWindow *self);
/* mw-account-window-sharing.c: the Sharing tab, where the flavour has shared folders */
void       _mw_account_window_init_sharing         (MwAccountWindow *self);

G_END_DECLS
