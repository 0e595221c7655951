/* mw-record.c: one row of a list; a placeholder until its page arrives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-record"

#include "config.h"

#include "mw-record.h"

struct _MwRecord
{
  GObject     parent_instance;

  guint       position;
  MwDbResult *result;   /* the page it came from, shared by its rows */
  guint       row;
};

G_DEFINE_FINAL_TYPE (MwRecord, mw_record, G_TYPE_OBJECT)

enum { PROP_0, PROP_POSITION, PROP_LOADED, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
mw_record_finalize (GObject *object)
{
  MwRecord *self = MW_RECORD (object);

  g_clear_pointer (&self->result, mw_db_result_unref);

  G_OBJECT_CLASS (mw_record_parent_class)->finalize (object);
}

static void
mw_record_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MwRecord *self = MW_RECORD (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->result != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_record_class_init (MwRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_record_finalize;
  object_class->get_property = mw_record_get_property;

  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_record_init (MwRecord *self)
{
}

MwRecord *
mw_record_new (guint position)
{
  MwRecord *self = g_object_new (MW_TYPE_RECORD, NULL);

  self->position = position;
  return self;
}

guint
mw_record_get_position (MwRecord *self)
{
  g_return_val_if_fail (MW_IS_RECORD (self), 0);
  return self->position;
}

gboolean
mw_record_get_loaded (MwRecord *self)
{
  g_return_val_if_fail (MW_IS_RECORD (self), FALSE);
  return self->result != NULL;
}

void
_mw_record_set_row (MwRecord   *self,
                    MwDbResult *result,
                    guint       row)
{
  g_return_if_fail (MW_IS_RECORD (self));

  if (self->result == result && self->row == row)
    return;
  g_clear_pointer (&self->result, mw_db_result_unref);
  self->result = mw_db_result_ref (result);
  self->row = row;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

/* Back to a placeholder: the row it showed belongs to a list that is gone. */
void
_mw_record_clear (MwRecord *self)
{
  g_return_if_fail (MW_IS_RECORD (self));

  if (self->result == NULL)
    return;
  g_clear_pointer (&self->result, mw_db_result_unref);
  self->row = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static int
column (MwRecord   *self,
        const char *name)
{
  if (self->result == NULL)
    return -1;
  return mw_db_result_find_col (self->result, name);
}

const char *
mw_record_get_string (MwRecord   *self,
                      const char *name)
{
  int c;

  g_return_val_if_fail (MW_IS_RECORD (self), NULL);
  if ((c = column (self, name)) < 0)
    return NULL;
  return mw_db_result_get_string (self->result, self->row, c);
}

gint64
mw_record_get_int64 (MwRecord   *self,
                     const char *name)
{
  int c;

  g_return_val_if_fail (MW_IS_RECORD (self), 0);
  if ((c = column (self, name)) < 0)
    return 0;
  return mw_db_result_get_int64 (self->result, self->row, c);
}

GDateTime *
mw_record_get_timestamp (MwRecord   *self,
                         const char *name)
{
  int c;

  g_return_val_if_fail (MW_IS_RECORD (self), NULL);
  if ((c = column (self, name)) < 0)
    return NULL;
  return mw_db_result_get_timestamp (self->result, self->row, c);
}

gboolean
mw_record_is_null (MwRecord   *self,
                   const char *name)
{
  int c;

  g_return_val_if_fail (MW_IS_RECORD (self), TRUE);
  if ((c = column (self, name)) < 0)
    return TRUE;
  return mw_db_result_is_null (self->result, self->row, c);
}
