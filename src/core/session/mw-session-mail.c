/* mw-session-mail.c: the session's wrappers of the mail store's operations
 * (mailboxes, messages, deleting and undeleting, body search).
 *
 * They fail at once, with a sentence, when the schema keeps no mail
 * (mw_session_get_mail_store() is NULL).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-private.h"

#define DONE GINT_TO_POINTER (TRUE)

static gpointer
list_mailboxes_work (MwSchema       *schema,
                     const MwAdmin  *admin,
                     MwSessionArgs  *args,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return mw_mail_store_list_mailboxes (MW_MAIL_STORE (schema), admin->db, args->key, cancellable, error);
}

static const MwSessionOp list_mailboxes_op = { list_mailboxes_work, (GDestroyNotify) g_ptr_array_unref, 0, TRUE };

void
mw_session_list_mailboxes_async (MwSession           *self,
                                 const char          *account,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account);
  _mw_session_run (self, &list_mailboxes_op, args, FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_list_mailboxes_finish (MwSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _mw_session_finish (self, result, &list_mailboxes_op, NULL, error);
}

static gpointer
find_mailbox_work (MwSchema       *schema,
                   const MwAdmin  *admin,
                   MwSessionArgs  *args,
                   GCancellable   *cancellable,
                   GError        **error)
{
  return mw_mail_store_find_mailbox (MW_MAIL_STORE (schema), admin->db, args->key, args->text, cancellable, error);
}

static const MwSessionOp find_mailbox_op = { find_mailbox_work, g_free, 0, TRUE };

void
mw_session_find_mailbox_async (MwSession           *self,
                               const char          *account,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account);
  args->text = g_strdup (name);
  _mw_session_run (self, &find_mailbox_op, args, FALSE, cancellable, callback, user_data);
}

char *
mw_session_find_mailbox_finish (MwSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _mw_session_finish (self, result, &find_mailbox_op, NULL, error);
}

static gpointer
find_message_work (MwSchema       *schema,
                   const MwAdmin  *admin,
                   MwSessionArgs  *args,
                   GCancellable   *cancellable,
                   GError        **error)
{
  return mw_mail_store_find_message (MW_MAIL_STORE (schema), admin->db, args->number, &args->out_key,
                                     cancellable, error);
}

static const MwSessionOp find_message_op = { find_message_work, g_free, 0, TRUE };

void
mw_session_find_message_async (MwSession           *self,
                               gint64               number,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->number = number;
  _mw_session_run (self, &find_message_op, args, FALSE, cancellable, callback, user_data);
}

char *
mw_session_find_message_finish (MwSession     *self,
                                GAsyncResult  *result,
                                char         **owner_key,
                                GError       **error)
{
  MwSessionArgs *args;
  char *key = _mw_session_finish (self, result, &find_message_op, &args, error);

  if (owner_key != NULL)
    *owner_key = key != NULL ? g_steal_pointer (&args->out_key) : NULL;
  return key;
}

static gpointer
load_message_work (MwSchema       *schema,
                   const MwAdmin  *admin,
                   MwSessionArgs  *args,
                   GCancellable   *cancellable,
                   GError        **error)
{
  return mw_mail_store_load_message (MW_MAIL_STORE (schema), admin->db, args->key, args->flags, cancellable, error);
}

static const MwSessionOp load_message_op = { load_message_work, g_object_unref, 0, TRUE };

void
mw_session_load_message_async (MwSession           *self,
                               const char          *message_key,
                               MwMessageLoadFlags   flags,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (message_key);
  args->flags = flags;
  _mw_session_run (self, &load_message_op, args, FALSE, cancellable, callback, user_data);
}

MwMessage *
mw_session_load_message_finish (MwSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _mw_session_finish (self, result, &load_message_op, NULL, error);
}

/* The renumbering the change may carry is owned by the arguments until
 * _finish hands it over, so that it goes with them when nobody asks. */
static void
keep_renumbered (MwSessionArgs *args)
{
  args->data = g_steal_pointer (&args->out.change.renumbered);
  args->data_free = (GDestroyNotify) g_array_unref;
}

static void
give_change (MwSessionArgs   *args,
             MwMessageChange *out)
{
  if (out == NULL)
    return;
  *out = args->out.change;
  out->renumbered = g_steal_pointer (&args->data);
}

/* Deleting and undeleting move the account's used size and its mailboxes'
 * counts, which the users list shows. */
#define MAIL_CHANGES MW_SESSION_CHANGES (MW_LIST_USERS)

static gpointer
set_deleted_work (MwSchema       *schema,
                  const MwAdmin  *admin,
                  MwSessionArgs  *args,
                  GCancellable   *cancellable,
                  GError        **error)
{
  if (!mw_mail_store_set_deleted (MW_MAIL_STORE (schema), admin, args->key, (const char *const *) args->keys,
                                  args->option, &args->out.change, error))
    return NULL;
  keep_renumbered (args);
  return DONE;
}

static const MwSessionOp set_deleted_op = { set_deleted_work, NULL, MAIL_CHANGES, TRUE };

void
mw_session_set_deleted_async (MwSession           *self,
                              const char          *account,
                              const char *const   *message_keys,
                              gboolean             deleted,
                              gboolean             dry_run,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account);
  args->keys = g_strdupv ((char **) message_keys);
  args->option = deleted;
  _mw_session_run (self, &set_deleted_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_set_deleted_finish (MwSession        *self,
                               GAsyncResult     *result,
                               MwMessageChange  *out,
                               GError          **error)
{
  MwSessionArgs *args;

  if (_mw_session_finish (self, result, &set_deleted_op, &args, error) == NULL)
    return FALSE;
  give_change (args, out);
  return TRUE;
}

static gpointer
undelete_mailbox_work (MwSchema       *schema,
                       const MwAdmin  *admin,
                       MwSessionArgs  *args,
                       GCancellable   *cancellable,
                       GError        **error)
{
  if (!mw_mail_store_undelete_mailbox (MW_MAIL_STORE (schema), admin, args->key, &args->out.change, error))
    return NULL;
  keep_renumbered (args);
  return DONE;
}

static const MwSessionOp undelete_mailbox_op = { undelete_mailbox_work, NULL, MAIL_CHANGES, TRUE };

void
mw_session_undelete_mailbox_async (MwSession           *self,
                                   const char          *mailbox,
                                   gboolean             dry_run,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (mailbox);
  _mw_session_run (self, &undelete_mailbox_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_undelete_mailbox_finish (MwSession        *self,
                                    GAsyncResult     *result,
                                    MwMessageChange  *out,
                                    GError          **error)
{
  MwSessionArgs *args;

  if (_mw_session_finish (self, result, &undelete_mailbox_op, &args, error) == NULL)
    return FALSE;
  give_change (args, out);
  return TRUE;
}

static gpointer
purge_state_work (MwSchema       *schema,
                  const MwAdmin  *admin,
                  MwSessionArgs  *args,
                  GCancellable   *cancellable,
                  GError        **error)
{
  if (!mw_mail_store_purge_state (MW_MAIL_STORE (schema), admin->db, args->key, &args->out.purge, cancellable,
                                  error))
    return NULL;
  return DONE;
}

static const MwSessionOp purge_state_op = { purge_state_work, NULL, 0, TRUE };

void
mw_session_purge_state_async (MwSession           *self,
                              const char          *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account);
  _mw_session_run (self, &purge_state_op, args, FALSE, cancellable, callback, user_data);
}

gboolean
mw_session_purge_state_finish (MwSession     *self,
                               GAsyncResult  *result,
                               MwPurgeState  *out,
                               GError       **error)
{
  MwSessionArgs *args;

  if (_mw_session_finish (self, result, &purge_state_op, &args, error) == NULL)
    return FALSE;
  if (out != NULL)
    *out = args->out.purge;
  return TRUE;
}

static gpointer
count_mail_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  if (!mw_mail_store_count_all (MW_MAIL_STORE (schema), admin->db, &args->out.counts, cancellable, error))
    return NULL;
  return DONE;
}

static const MwSessionOp count_mail_op = { count_mail_work, NULL, 0, TRUE };

void
mw_session_count_mail_async (MwSession           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  _mw_session_run (self, &count_mail_op, _mw_session_args_new (), FALSE, cancellable, callback, user_data);
}

gboolean
mw_session_count_mail_finish (MwSession     *self,
                              GAsyncResult  *result,
                              MwMailCounts  *out,
                              GError       **error)
{
  MwSessionArgs *args;

  if (_mw_session_finish (self, result, &count_mail_op, &args, error) == NULL)
    return FALSE;
  if (out != NULL)
    *out = args->out.counts;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Body search                                                              */
/* ------------------------------------------------------------------------ */

/* What the worker found, queued for the caller's main context. */
typedef struct
{
  gboolean  is_hit;
  char     *key;
  gint64    number;
  char     *sender;
  char     *subject;
  guint     done;
  guint     total;
} Update;

static void
update_free (gpointer data)
{
  Update *u = data;

  g_free (u->key);
  g_free (u->sender);
  g_free (u->subject);
  g_free (u);
}

/* Hits and progress travel from the worker to the caller's context through
 * one queue, delivered in the order they were made; when the worker is
 * done, the callback first delivers what is still queued, then closes the
 * feed, so that every hit comes before the callback. Shared by reference
 * with the deliveries waiting on the context, which may run after the call
 * is gone (and then find the feed closed). */
typedef struct
{
  GMutex                 lock;
  GQueue                 updates;
  gboolean               scheduled;   /* a delivery waits on the context */
  gboolean               closed;      /* the caller's thread only */
  GMainContext          *context;
  GCancellable          *cancellable;
  MwMessageHitFunc       hit;
  MwMessageProgressFunc  progress;
  gpointer               hit_data;
} Feed;

static void
feed_clear (gpointer data)
{
  Feed *feed = data;

  g_queue_clear_full (&feed->updates, update_free);
  g_mutex_clear (&feed->lock);
  g_main_context_unref (feed->context);
  g_clear_object (&feed->cancellable);
}

static void
feed_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, feed_clear);
}

/* On the caller's thread: one update at a time, so that a callback that
 * runs the main context itself cannot see a later one first. Once the
 * search is cancelled, what it still finds is dropped: the caller has moved
 * on. */
static void
feed_deliver (Feed *feed)
{
  for (;;)
    {
      Update *u;

      g_mutex_lock (&feed->lock);
      u = g_queue_pop_head (&feed->updates);
      if (u == NULL)
        feed->scheduled = FALSE;
      g_mutex_unlock (&feed->lock);
      if (u == NULL)
        return;

      if (!feed->closed && !g_cancellable_is_cancelled (feed->cancellable))
        {
          if (u->is_hit && feed->hit != NULL)
            {
              MwMessageHit hit = { u->key, u->number, u->sender, u->subject };

              feed->hit (&hit, feed->hit_data);
            }
          else if (!u->is_hit && feed->progress != NULL)
            feed->progress (u->done, u->total, feed->hit_data);
        }
      update_free (u);
    }
}

static gboolean
feed_deliver_cb (gpointer data)
{
  feed_deliver (data);
  return G_SOURCE_REMOVE;
}

/* On the worker. */
static void
feed_push (Feed   *feed,
           Update *u)
{
  Update *last;
  gboolean schedule;

  g_mutex_lock (&feed->lock);
  last = g_queue_peek_tail (&feed->updates);
  /* Progress not yet shown is replaced by newer progress. */
  if (!u->is_hit && last != NULL && !last->is_hit)
    {
      last->done = u->done;
      last->total = u->total;
      update_free (u);
    }
  else
    g_queue_push_tail (&feed->updates, u);
  schedule = !feed->scheduled;
  feed->scheduled = TRUE;
  g_mutex_unlock (&feed->lock);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      /* Below drawing, as the mail page's own updates were. */
      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (source, feed_deliver_cb, g_atomic_rc_box_acquire (feed), feed_release);
      g_source_attach (source, feed->context);
    }
}

static void
on_search_hit (const MwMessageHit *hit,
               gpointer            user_data)
{
  Update *u = g_new0 (Update, 1);

  u->is_hit = TRUE;
  u->key = g_strdup (hit->key);
  u->number = hit->number;
  u->sender = g_strdup (hit->sender);
  u->subject = g_strdup (hit->subject);
  feed_push (user_data, u);
}

static void
on_search_progress (guint    done,
                    guint    total,
                    gpointer user_data)
{
  Update *u = g_new0 (Update, 1);

  u->done = done;
  u->total = total;
  feed_push (user_data, u);
}

static gpointer
search_bodies_work (MwSchema       *schema,
                    const MwAdmin  *admin,
                    MwSessionArgs  *args,
                    GCancellable   *cancellable,
                    GError        **error)
{
  if (!mw_mail_store_search_bodies (MW_MAIL_STORE (schema), admin->db, args->key, args->target, args->text,
                                    args->flags, on_search_hit, on_search_progress, args->data, cancellable, error))
    return NULL;
  return DONE;
}

static void
search_bodies_done (MwSessionArgs *args)
{
  Feed *feed = args->data;

  feed_deliver (feed);
  feed->closed = TRUE;
}

static const MwSessionOp search_bodies_op = { search_bodies_work, NULL, 0, TRUE, NULL, search_bodies_done };

void
mw_session_search_bodies_async (MwSession              *self,
                                const char             *account,
                                const char             *mailbox,
                                const char             *needle,
                                MwMessageLoadFlags      flags,
                                MwMessageHitFunc        hit,
                                MwMessageProgressFunc   progress,
                                gpointer                hit_data,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();
  Feed *feed = g_atomic_rc_box_new0 (Feed);

  g_mutex_init (&feed->lock);
  g_queue_init (&feed->updates);
  feed->context = g_main_context_ref_thread_default ();
  feed->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  feed->hit = hit;
  feed->progress = progress;
  feed->hit_data = hit_data;

  args->key = g_strdup (account);
  args->target = g_strdup (mailbox);
  args->text = g_strdup (needle);
  args->flags = flags;
  args->data = feed;
  args->data_free = feed_release;
  _mw_session_run (self, &search_bodies_op, args, FALSE, cancellable, callback, user_data);
}

gboolean
mw_session_search_bodies_finish (MwSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _mw_session_finish (self, result, &search_bodies_op, NULL, error) != NULL;
}
