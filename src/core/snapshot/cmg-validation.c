/* cmg-validation.c: checks of an export, per line, per table and across tables. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cmg-id.h"
#include "cmg-json-scan.h"
#include "cmg-progress-timer.h"
#include "cmg-table.h"
#include "cmg-validation.h"
#include "cmg-value.h"

/* ---- findings ---- */

const char *
cmg_finding_severity_to_string (CmgFindingSeverity severity)
{
  switch (severity)
    {
    case CMG_FINDING_ERROR:
      return "error";
    case CMG_FINDING_WARNING:
      return "warning";
    case CMG_FINDING_INFO:
    default:
      return "info";
    }
}

CmgFinding *
cmg_finding_copy (const CmgFinding *finding)
{
  CmgFinding *copy = g_new0 (CmgFinding, 1);

  copy->component = g_strdup (finding->component);
  copy->table = g_strdup (finding->table);
  copy->line = finding->line;
  copy->severity = finding->severity;
  copy->code = g_strdup (finding->code);
  copy->message = g_strdup (finding->message);
  copy->target_component = g_strdup (finding->target_component);
  copy->target_table = g_strdup (finding->target_table);
  return copy;
}

void
cmg_finding_free (CmgFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->component);
  g_free (finding->table);
  g_free (finding->code);
  g_free (finding->message);
  g_free (finding->target_component);
  g_free (finding->target_table);
  g_free (finding);
}

G_DEFINE_BOXED_TYPE (CmgFinding, cmg_finding, cmg_finding_copy, cmg_finding_free)

/* ---- a set of 16-byte internal ids: open addressing, all-zero marks an empty slot ---- */

typedef struct
{
  guint8  *slots;
  gsize    capacity;   /* a power of two, or 0 */
  gsize    count;
  gboolean has_zero;
} IdSet;

static inline gsize
id_hash (const guint8 *key)
{
  guint64 a, b;

  memcpy (&a, key, 8);
  memcpy (&b, key + 8, 8);
  a ^= b * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  a ^= a >> 29;
  a *= G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  return (gsize) (a ^ (a >> 32));
}

static const guint8 zero_key[CMG_ID_INTERNAL_SIZE];

static gboolean id_set_add (IdSet *set, const guint8 *key);

static void
id_set_grow (IdSet *set)
{
  IdSet bigger = { .capacity = set->capacity ? set->capacity * 2 : 16, .has_zero = set->has_zero };

  bigger.slots = g_malloc0 (bigger.capacity * CMG_ID_INTERNAL_SIZE);
  for (gsize i = 0; i < set->capacity; i++)
    {
      const guint8 *slot = set->slots + i * CMG_ID_INTERNAL_SIZE;
      if (memcmp (slot, zero_key, CMG_ID_INTERNAL_SIZE) != 0)
        id_set_add (&bigger, slot);
    }
  g_free (set->slots);
  *set = bigger;
}

/* FALSE when the key was there already. */
static gboolean
id_set_add (IdSet        *set,
            const guint8 *key)
{
  gsize mask, i;

  if (memcmp (key, zero_key, CMG_ID_INTERNAL_SIZE) == 0)
    {
      gboolean had = set->has_zero;
      set->has_zero = TRUE;
      return !had;
    }
  if ((set->count + 1) * 2 > set->capacity)
    id_set_grow (set);
  mask = set->capacity - 1;
  for (i = id_hash (key) & mask;; i = (i + 1) & mask)
    {
      guint8 *slot = set->slots + i * CMG_ID_INTERNAL_SIZE;

      if (memcmp (slot, zero_key, CMG_ID_INTERNAL_SIZE) == 0)
        {
          memcpy (slot, key, CMG_ID_INTERNAL_SIZE);
          set->count++;
          return TRUE;
        }
      if (memcmp (slot, key, CMG_ID_INTERNAL_SIZE) == 0)
        return FALSE;
    }
}

static gboolean
id_set_contains (const IdSet  *set,
                 const guint8 *key)
{
  gsize mask;

  if (memcmp (key, zero_key, CMG_ID_INTERNAL_SIZE) == 0)
    return set->has_zero;
  if (set->capacity == 0)
    return FALSE;
  mask = set->capacity - 1;
  for (gsize i = id_hash (key) & mask;; i = (i + 1) & mask)
    {
      const guint8 *slot = set->slots + i * CMG_ID_INTERNAL_SIZE;

      if (memcmp (slot, zero_key, CMG_ID_INTERNAL_SIZE) == 0)
        return FALSE;
      if (memcmp (slot, key, CMG_ID_INTERNAL_SIZE) == 0)
        return TRUE;
    }
}

static void
id_set_free (IdSet *set)
{
  g_free (set->slots);
  g_free (set);
}

/* ---- the validation ---- */

typedef struct
{
  guint8  internal[CMG_ID_INTERNAL_SIZE];
  guint32 number;
  guint64 line;
} Reference;

typedef struct
{
  GHashTable *numbers;    /* table number → table name, from _tables */
  GHashTable *id_sets;    /* table number → IdSet of the table read with that number */
  GHashTable *incomplete; /* table numbers whose IdSet stopped at the limit */
} Component;

typedef struct
{
  char   *component;
  char   *table;
  GArray *refs;           /* Reference */
} ReferenceBatch;

struct _CmgValidation
{
  GObject     parent_instance;

  GMutex      lock;
  GHashTable *components;  /* char* → Component* */
  GPtrArray  *findings;    /* kept CmgFinding */
  GHashTable *kept;        /* "component\x1ftable" → number kept */
  GHashTable *counts;      /* code → guint64* */
  guint64     severity_counts[3];
  GPtrArray  *batches;     /* ReferenceBatch */
  guint64     id_limit;
  gsize       ids_stored;  /* atomic */
  gint        limited;     /* atomic */
  gboolean    finished;
};

G_DEFINE_FINAL_TYPE (CmgValidation, cmg_validation, G_TYPE_OBJECT)

static void
component_free (Component *c)
{
  g_hash_table_unref (c->numbers);
  g_hash_table_unref (c->id_sets);
  g_hash_table_unref (c->incomplete);
  g_free (c);
}

static void
batch_free (ReferenceBatch *b)
{
  g_free (b->component);
  g_free (b->table);
  g_array_unref (b->refs);
  g_free (b);
}

static void
cmg_validation_finalize (GObject *object)
{
  CmgValidation *self = CMG_VALIDATION (object);

  g_hash_table_unref (self->components);
  g_ptr_array_unref (self->findings);
  g_hash_table_unref (self->kept);
  g_hash_table_unref (self->counts);
  g_ptr_array_unref (self->batches);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (cmg_validation_parent_class)->finalize (object);
}

static void
cmg_validation_class_init (CmgValidationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_validation_finalize;
}

static void
cmg_validation_init (CmgValidation *self)
{
  g_mutex_init (&self->lock);
  self->components = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) component_free);
  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) cmg_finding_free);
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->batches = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_free);
  self->id_limit = CMG_VALIDATION_DEFAULT_ID_LIMIT;
}

CmgValidation *
cmg_validation_new (void)
{
  return g_object_new (CMG_TYPE_VALIDATION, NULL);
}

void
cmg_validation_set_id_limit (CmgValidation *self,
                             guint64        max_ids)
{
  g_return_if_fail (CMG_IS_VALIDATION (self));
  self->id_limit = max_ids;
}

static Component *
get_component (CmgValidation *self,
               const char    *component)
{
  Component *c = g_hash_table_lookup (self->components, component);

  if (c == NULL)
    {
      c = g_new0 (Component, 1);
      c->numbers = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      c->id_sets = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) id_set_free);
      c->incomplete = g_hash_table_new (NULL, NULL);
      g_hash_table_insert (self->components, g_strdup (component), c);
    }
  return c;
}

void
cmg_validation_add_table_number (CmgValidation *self,
                                 const char    *component,
                                 const char    *table,
                                 guint32        number)
{
  g_return_if_fail (CMG_IS_VALIDATION (self));

  g_mutex_lock (&self->lock);
  g_hash_table_replace (get_component (self, component ? component : "")->numbers,
                        GUINT_TO_POINTER (number), g_strdup (table));
  g_mutex_unlock (&self->lock);
}

/* Counts a finding and keeps it while its table has fewer than the kept maximum. Takes
 * ownership of finding. Called with the lock held. */
static void
record_locked (CmgValidation *self,
               CmgFinding    *finding,
               guint64        how_many)
{
  g_autofree char *key = g_strconcat (finding->component, "\x1f", finding->table, NULL);
  guint kept = GPOINTER_TO_UINT (g_hash_table_lookup (self->kept, key));
  guint64 *count = g_hash_table_lookup (self->counts, finding->code);

  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->counts, g_strdup (finding->code), count);
    }
  *count += how_many;
  self->severity_counts[finding->severity] += how_many;

  if (kept < CMG_VALIDATION_KEPT_FINDINGS)
    {
      g_hash_table_replace (self->kept, g_steal_pointer (&key), GUINT_TO_POINTER (kept + 1));
      g_ptr_array_add (self->findings, finding);
    }
  else
    cmg_finding_free (finding);
}

static CmgFinding *
finding_new (const char         *component,
             const char         *table,
             guint64             line,
             CmgFindingSeverity  severity,
             const char         *code,
             char               *message)
{
  CmgFinding *f = g_new0 (CmgFinding, 1);

  f->component = g_strdup (component ? component : "");
  f->table = g_strdup (table ? table : "");
  f->line = line;
  f->severity = severity;
  f->code = g_strdup (code);
  f->message = message;
  return f;
}

void
cmg_validation_add_finding (CmgValidation      *self,
                            const char         *component,
                            const char         *table,
                            guint64             line,
                            CmgFindingSeverity  severity,
                            const char         *code,
                            const char         *format,
                            ...)
{
  va_list args;
  char *message;

  g_return_if_fail (CMG_IS_VALIDATION (self));

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_mutex_lock (&self->lock);
  record_locked (self, finding_new (component, table, line, severity, code, message), 1);
  g_mutex_unlock (&self->lock);
}

/* Reserves room for one more stored Id or reference; FALSE past the limit. */
static gboolean
reserve_id (CmgValidation *self)
{
  if (g_atomic_int_get (&self->limited))
    return FALSE;
  if ((guint64) g_atomic_pointer_add (&self->ids_stored, 1) >= self->id_limit)
    {
      g_atomic_int_set (&self->limited, 1);
      return FALSE;
    }
  return TRUE;
}

/* ---- one table ---- */

struct _CmgValidationTable
{
  CmgValidation *owner;
  char          *component;
  char          *table;
  guint32        number;
  gboolean       id_optional;
  GHashTable    *known_numbers;  /* the component's _tables numbers; read-only while feeding */
  IdSet         *ids;
  gboolean       ids_incomplete;
  GArray        *refs;
  GPtrArray     *kept;
  GHashTable    *counts;         /* code (static) → count */
  guint64        severity_counts[3];

  /* per line */
  guint64        line;
  int            depth;
  gboolean       root_is_object;
  gboolean       expect_id;
  gboolean       have_id;
  gboolean       id_is_string;
  const char    *id_raw;
  gsize          id_length;
};

CmgValidationTable *
cmg_validation_begin_table (CmgValidation *self,
                            const char    *component,
                            const char    *table,
                            guint32        number)
{
  CmgValidationTable *state;
  Component *c;

  g_return_val_if_fail (CMG_IS_VALIDATION (self), NULL);

  state = g_new0 (CmgValidationTable, 1);
  state->owner = g_object_ref (self);
  state->component = g_strdup (component ? component : "");
  state->table = g_strdup (table);
  state->number = number;
  state->ids = g_new0 (IdSet, 1);
  state->refs = g_array_new (FALSE, FALSE, sizeof (Reference));
  state->kept = g_ptr_array_new_with_free_func ((GDestroyNotify) cmg_finding_free);
  state->counts = g_hash_table_new (g_str_hash, g_str_equal);

  g_mutex_lock (&self->lock);
  c = get_component (self, state->component);
  state->known_numbers = g_hash_table_ref (c->numbers);
  g_mutex_unlock (&self->lock);
  return state;
}

void
cmg_validation_table_set_id_required (CmgValidationTable *state,
                                      gboolean            required)
{
  g_return_if_fail (state != NULL);
  state->id_optional = !required;
}

static void
table_report (CmgValidationTable *st,
              CmgFindingSeverity  severity,
              const char         *code,
              char               *message)
{
  guint64 n = GPOINTER_TO_SIZE (g_hash_table_lookup (st->counts, code));

  g_hash_table_insert (st->counts, (gpointer) code, GSIZE_TO_POINTER (n + 1));
  st->severity_counts[severity]++;
  if (st->kept->len < CMG_VALIDATION_KEPT_FINDINGS)
    g_ptr_array_add (st->kept, finding_new (st->component, st->table, st->line, severity, code, message));
  else
    g_free (message);
}

static inline void
value_seen (CmgValidationTable *st,
            gboolean            is_string)
{
  if (st->depth == 1 && st->expect_id)
    {
      st->expect_id = FALSE;
      st->have_id = TRUE;
      st->id_is_string = is_string;
    }
}

static gboolean
ev_begin (gpointer data)
{
  CmgValidationTable *st = data;

  if (st->depth == 0)
    st->root_is_object = FALSE;
  value_seen (st, FALSE);
  st->depth++;
  return TRUE;
}

static gboolean
ev_begin_object (gpointer data)
{
  CmgValidationTable *st = data;
  gboolean root = st->depth == 0;

  ev_begin (data);
  if (root)
    st->root_is_object = TRUE;
  return TRUE;
}

static gboolean
ev_end (gpointer data)
{
  CmgValidationTable *st = data;

  st->depth--;
  return TRUE;
}

static gboolean
ev_key (const char *raw, gsize length, gboolean esc, gpointer data)
{
  CmgValidationTable *st = data;

  if (st->depth == 1)
    st->expect_id = !esc && length == 3 && memcmp (raw, "_id", 3) == 0;
  return TRUE;
}

static gboolean
ev_string (const char *raw, gsize length, gboolean esc, gpointer data)
{
  CmgValidationTable *st = data;
  CmgId id;

  if (st->depth == 1 && st->expect_id)
    {
      value_seen (st, TRUE);
      st->id_raw = raw;
      st->id_length = length;
      return TRUE;
    }
  /* Any other string that decodes as an Id of a table listed in _tables is a reference. */
  if (!esc && (length == CMG_ID_MIN_LENGTH || length == CMG_ID_MAX_LENGTH) &&
      cmg_id_is_valid (raw, length, &id) &&
      g_hash_table_contains (st->known_numbers, GUINT_TO_POINTER (id.table_number)) &&
      reserve_id (st->owner))
    {
      Reference ref = { .number = id.table_number, .line = st->line };

      memcpy (ref.internal, id.internal, CMG_ID_INTERNAL_SIZE);
      g_array_append_val (st->refs, ref);
    }
  return TRUE;
}

static gboolean
ev_scalar (gpointer data)
{
  value_seen (data, FALSE);
  return TRUE;
}

static gboolean
ev_integer (gint64 v, gpointer data)
{
  return ev_scalar (data);
}

static gboolean
ev_floating (double v, gpointer data)
{
  return ev_scalar (data);
}

static gboolean
ev_boolean (gboolean v, gpointer data)
{
  return ev_scalar (data);
}

static const CmgJsonEvents check_events = {
  .begin_object = ev_begin_object,
  .end_object = ev_end,
  .begin_array = ev_begin,
  .end_array = ev_end,
  .key = ev_key,
  .string = ev_string,
  .integer = ev_integer,
  .floating = ev_floating,
  .boolean = ev_boolean,
  .null = ev_scalar,
};

static void
check_id (CmgValidationTable *st)
{
  CmgId id;
  g_autoptr(GError) error = NULL;

  if (!st->have_id && st->id_optional)
    return;
  if (!st->have_id)
    {
      table_report (st, CMG_FINDING_ERROR, "missing-id",
                    g_strdup (_("This document has no “_id” field")));
      return;
    }
  if (!st->id_is_string)
    {
      table_report (st, CMG_FINDING_ERROR, "malformed-id",
                    g_strdup (_("The “_id” field is not a string")));
      return;
    }
  if (!cmg_id_decode (st->id_raw, st->id_length, &id, &error))
    {
      table_report (st, CMG_FINDING_ERROR, "malformed-id",
                    g_strdup_printf (_("The “_id” is not a valid document Id: %s"), error->message));
      return;
    }
  if (st->number != 0 && id.table_number != st->number)
    {
      const char *other = g_hash_table_lookup (st->known_numbers, GUINT_TO_POINTER (id.table_number));

      if (other)
        table_report (st, CMG_FINDING_ERROR, "id-table-mismatch",
                      g_strdup_printf (_("This document’s Id belongs to table “%s” (number %u), not to this table (number %u)"),
                                       other, id.table_number, st->number));
      else
        table_report (st, CMG_FINDING_ERROR, "id-table-mismatch",
                      g_strdup_printf (_("This document’s Id belongs to table number %u, not to this table (number %u)"),
                                       id.table_number, st->number));
    }
  if (st->ids_incomplete)
    return;
  if (!reserve_id (st->owner))
    {
      st->ids_incomplete = TRUE;
      return;
    }
  if (!id_set_add (st->ids, id.internal))
    table_report (st, CMG_FINDING_ERROR, "duplicate-id",
                  g_strdup_printf (_("The Id %.*s appears more than once in this table"),
                                   (int) st->id_length, st->id_raw));
}

gboolean
cmg_validation_table_feed_line (const char *line,
                                gsize       length,
                                gboolean    truncated,
                                guint64     line_number,
                                gpointer    state)
{
  CmgValidationTable *st = state;
  CmgJsonProblem problem;
  gsize offset;
  guint refs_before;

  st->line = line_number;

  if (truncated)
    {
      table_report (st, CMG_FINDING_ERROR, "oversize-line",
                    g_strdup_printf (_("This line is too long to read (more than %u MiB); no import accepts a document this large"),
                                     (guint) (CMG_SNAPSHOT_MAX_LINE / (1024 * 1024))));
      return TRUE;
    }
  if (line_number == 1 && length >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
    {
      table_report (st, CMG_FINDING_ERROR, "bom",
                    g_strdup (_("The file starts with a byte order mark, which the importer does not accept; remove it")));
      line += 3;
      length -= 3;
    }
  if (length > 0 && line[length - 1] == '\r')
    {
      table_report (st, CMG_FINDING_WARNING, "crlf",
                    g_strdup (_("This line ends with Windows line endings (CR LF)")));
      length--;
    }
  if (length > CMG_VALIDATION_DOCUMENT_LIMIT)
    table_report (st, CMG_FINDING_WARNING, "oversize-line",
                  g_strdup_printf (_("This document is larger than 1 MiB (%" G_GSIZE_FORMAT " bytes); Convex refuses documents that large"),
                                   length));
  if (!g_utf8_validate_len (line, length, NULL))
    {
      table_report (st, CMG_FINDING_ERROR, "invalid-utf8",
                    g_strdup (_("This line is not valid UTF-8 text")));
      return TRUE;
    }

  st->depth = 0;
  st->root_is_object = FALSE;
  st->expect_id = FALSE;
  st->have_id = FALSE;
  st->id_is_string = FALSE;
  refs_before = st->refs->len;
  if (!cmg_json_scan (line, length, FALSE, &check_events, st, &problem, &offset))
    {
      g_array_set_size (st->refs, refs_before);
      table_report (st, CMG_FINDING_ERROR, problem == CMG_JSON_BAD_UTF8 ? "invalid-utf8" : "invalid-json",
                    g_strdup_printf (_("%s (at character %" G_GSIZE_FORMAT ")"),
                                     cmg_json_problem_to_string (problem), offset + 1));
      return TRUE;
    }
  if (!st->root_is_object)
    {
      g_array_set_size (st->refs, refs_before);
      table_report (st, CMG_FINDING_ERROR, "not-an-object",
                    g_strdup (_("This line is valid JSON but not an object; every document must be an object")));
      return TRUE;
    }
  check_id (st);
  return TRUE;
}

static void
table_state_free (CmgValidationTable *st)
{
  g_object_unref (st->owner);
  g_free (st->component);
  g_free (st->table);
  g_hash_table_unref (st->known_numbers);
  if (st->ids)
    id_set_free (st->ids);
  if (st->refs)
    g_array_unref (st->refs);
  g_ptr_array_unref (st->kept);
  g_hash_table_unref (st->counts);
  g_free (st);
}

void
cmg_validation_end_table (CmgValidation      *self,
                          CmgValidationTable *st)
{
  GHashTableIter iter;
  gpointer code, n;

  g_return_if_fail (CMG_IS_VALIDATION (self));
  g_return_if_fail (st != NULL && st->owner == self);

  g_mutex_lock (&self->lock);

  /* The kept findings first, then the counts of those that were only counted. */
  for (guint i = 0; i < st->kept->len; i++)
    {
      CmgFinding *f = g_ptr_array_index (st->kept, i);

      record_locked (self, cmg_finding_copy (f), 1);
      g_hash_table_insert (st->counts, f->code,
                           GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (st->counts, f->code)) - 1));
      st->severity_counts[f->severity]--;
    }
  g_hash_table_iter_init (&iter, st->counts);
  while (g_hash_table_iter_next (&iter, &code, &n))
    {
      guint64 *count = g_hash_table_lookup (self->counts, code);

      if (GPOINTER_TO_SIZE (n) == 0)
        continue;
      if (count == NULL)
        {
          count = g_new0 (guint64, 1);
          g_hash_table_insert (self->counts, g_strdup (code), count);
        }
      *count += GPOINTER_TO_SIZE (n);
    }
  for (int s = 0; s < 3; s++)
    self->severity_counts[s] += st->severity_counts[s];

  if (st->number != 0)
    {
      Component *c = get_component (self, st->component);

      if (st->ids_incomplete)
        g_hash_table_add (c->incomplete, GUINT_TO_POINTER (st->number));
      /* Two tables claiming one number: references cannot tell them apart, keep the first. */
      if (!g_hash_table_contains (c->id_sets, GUINT_TO_POINTER (st->number)))
        g_hash_table_insert (c->id_sets, GUINT_TO_POINTER (st->number), g_steal_pointer (&st->ids));
    }
  if (st->refs->len > 0)
    {
      ReferenceBatch *b = g_new0 (ReferenceBatch, 1);

      b->component = g_strdup (st->component);
      b->table = g_strdup (st->table);
      b->refs = g_steal_pointer (&st->refs);
      g_ptr_array_add (self->batches, b);
    }
  g_mutex_unlock (&self->lock);

  table_state_free (st);
}

void
cmg_validation_finish (CmgValidation *self)
{
  g_return_if_fail (CMG_IS_VALIDATION (self));

  g_mutex_lock (&self->lock);
  if (self->finished)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->finished = TRUE;

  for (guint b = 0; b < self->batches->len; b++)
    {
      ReferenceBatch *batch = g_ptr_array_index (self->batches, b);
      Component *c = get_component (self, batch->component);

      for (guint i = 0; i < batch->refs->len; i++)
        {
          const Reference *ref = &g_array_index (batch->refs, Reference, i);
          IdSet *ids = g_hash_table_lookup (c->id_sets, GUINT_TO_POINTER (ref->number));
          const char *target = g_hash_table_lookup (c->numbers, GUINT_TO_POINTER (ref->number));
          CmgId id = { .table_number = ref->number };
          g_autofree char *text = NULL;
          CmgFinding *finding;

          if (g_hash_table_contains (c->incomplete, GUINT_TO_POINTER (ref->number)))
            continue;
          if (ids && id_set_contains (ids, ref->internal))
            continue;
          memcpy (id.internal, ref->internal, CMG_ID_INTERNAL_SIZE);
          text = cmg_id_encode (&id);
          finding = finding_new (batch->component, batch->table, ref->line, CMG_FINDING_WARNING,
                                 "dangling-reference",
                                 g_strdup_printf (_("This document refers to %s in table “%s”, which is not in the archive"),
                                                  text ? text : "?", target ? target : "?"));
          if (target != NULL)
            {
              finding->target_component = g_strdup (batch->component);
              finding->target_table = g_strdup (target);
            }
          record_locked (self, finding, 1);
        }
    }
  g_ptr_array_set_size (self->batches, 0);

  if (g_atomic_int_get (&self->limited))
    record_locked (self,
                   finding_new ("", "", 0, CMG_FINDING_INFO, "id-check-limited",
                                g_strdup_printf (_("This archive holds more than %" G_GUINT64_FORMAT " Ids; duplicate Ids and references were checked only for the first ones"),
                                                 self->id_limit)),
                   1);
  g_mutex_unlock (&self->lock);
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const CmgFinding *fa = *(CmgFinding **) a;
  const CmgFinding *fb = *(CmgFinding **) b;
  int c;

  if ((c = strcmp (fa->component, fb->component)) != 0)
    return c;
  if ((c = strcmp (fa->table, fb->table)) != 0)
    return c;
  if (fa->line != fb->line)
    return fa->line < fb->line ? -1 : 1;
  return strcmp (fa->code, fb->code);
}

GPtrArray *
cmg_validation_get_findings (CmgValidation *self)
{
  g_return_val_if_fail (CMG_IS_VALIDATION (self), NULL);

  g_mutex_lock (&self->lock);
  g_ptr_array_sort (self->findings, compare_findings);
  g_mutex_unlock (&self->lock);
  return self->findings;
}

guint64
cmg_validation_get_count (CmgValidation *self,
                          const char    *code)
{
  guint64 *count;
  guint64 n;

  g_return_val_if_fail (CMG_IS_VALIDATION (self), 0);

  g_mutex_lock (&self->lock);
  count = g_hash_table_lookup (self->counts, code);
  n = count ? *count : 0;
  g_mutex_unlock (&self->lock);
  return n;
}

guint64
cmg_validation_get_severity_count (CmgValidation      *self,
                                   CmgFindingSeverity  severity)
{
  guint64 n;

  g_return_val_if_fail (CMG_IS_VALIDATION (self), 0);
  g_return_val_if_fail (severity <= CMG_FINDING_INFO, 0);

  g_mutex_lock (&self->lock);
  n = self->severity_counts[severity];
  g_mutex_unlock (&self->lock);
  return n;
}

/* ---- a whole snapshot ---- */

/* Splits "_components/a/_components/b/rest" into component "a/b" and "rest". FALSE when the
 * component part is malformed. */
static gboolean
split_component (const char  *name,
                 char       **component,
                 const char **rest)
{
  GString *path = g_string_new (NULL);

  while (g_str_has_prefix (name, "_components/"))
    {
      const char *start = name + strlen ("_components/");
      const char *slash = strchr (start, '/');

      if (slash == NULL || slash == start)
        {
          g_string_free (path, TRUE);
          return FALSE;
        }
      if (path->len)
        g_string_append_c (path, '/');
      g_string_append_len (path, start, slash - start);
      name = slash + 1;
    }
  *component = g_string_free (path, FALSE);
  *rest = name;
  return TRUE;
}

/* Exports unpacked and zipped again sit under one folder; the reader accepts that, so find it
 * from where the first table's documents are. */
static char *
leading_folder (GListModel *tables)
{
  g_autoptr(CmgTable) table = g_list_model_get_item (tables, 0);

  return table != NULL ? cmg_table_dup_leading_folder (table) : g_strdup ("");
}

typedef struct
{
  CmgValidation *self;
  char          *component;
  GHashTable    *names;      /* table name → line, for tables-line-without-folder */
  GHashTable    *numbers;    /* table name → number */
} TablesReader;

static gboolean
read_tables_line (const char *line,
                  gsize       length,
                  gboolean    truncated,
                  guint64     line_number,
                  gpointer    user_data)
{
  TablesReader *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgValue) v = NULL;
  CmgValue *name, *id;

  if (length == 0)
    return TRUE;
  v = truncated ? NULL : cmg_value_parse (line, length, &error);
  if (v == NULL)
    {
      cmg_validation_add_finding (r->self, r->component, "_tables", line_number, CMG_FINDING_ERROR,
                                  "invalid-json", "%s",
                                  error ? error->message : _("This line is too long to read"));
      return TRUE;
    }
  name = cmg_value_lookup (v, "name");
  id = cmg_value_lookup (v, "id");
  if (name == NULL || id == NULL || cmg_value_get_kind (name) != CMG_VALUE_STRING ||
      (cmg_value_get_kind (id) != CMG_VALUE_INT64 && cmg_value_get_kind (id) != CMG_VALUE_FLOAT64))
    {
      cmg_validation_add_finding (r->self, r->component, "_tables", line_number, CMG_FINDING_ERROR,
                                  "not-an-object",
                                  "%s", _("A line of _tables must be an object with a “name” and a numeric “id”"));
      return TRUE;
    }
  {
    const char *table = cmg_value_get_string (name, NULL);
    guint32 number = cmg_value_get_kind (id) == CMG_VALUE_INT64 ? (guint32) cmg_value_get_int64 (id)
                                                                : (guint32) cmg_value_get_float64 (id);

    g_hash_table_replace (r->names, g_strdup (table), GSIZE_TO_POINTER (line_number));
    g_hash_table_replace (r->numbers, g_strdup (table), GUINT_TO_POINTER (number));
    cmg_validation_add_table_number (r->self, r->component, table, number);
  }
  return TRUE;
}

typedef struct
{
  char    *component;
  char    *id;
  char    *sha256;   /* base64, or NULL */
  gint64   size;     /* -1 when absent */
  guint64  line;
} StorageMeta;

static void
storage_meta_free (StorageMeta *m)
{
  g_free (m->component);
  g_free (m->id);
  g_free (m->sha256);
  g_free (m);
}

typedef struct
{
  CmgValidation *self;
  char          *component;
  GPtrArray     *metas;
} StorageReader;

static gboolean
read_storage_line (const char *line,
                   gsize       length,
                   gboolean    truncated,
                   guint64     line_number,
                   gpointer    user_data)
{
  StorageReader *r = user_data;
  g_autoptr(CmgValue) v = NULL;
  CmgValue *id, *sha, *size;
  StorageMeta *m;

  /* Malformed lines are reported by the line checks of the _storage table itself. */
  if (truncated || length == 0 || (v = cmg_value_parse (line, length, NULL)) == NULL)
    return TRUE;
  id = cmg_value_lookup (v, "_id");
  if (id == NULL || cmg_value_get_kind (id) != CMG_VALUE_STRING)
    return TRUE;
  sha = cmg_value_lookup (v, "sha256");
  size = cmg_value_lookup (v, "size");
  m = g_new0 (StorageMeta, 1);
  m->component = g_strdup (r->component);
  m->id = g_strdup (cmg_value_get_string (id, NULL));
  m->sha256 = sha && cmg_value_get_kind (sha) == CMG_VALUE_STRING ? g_strdup (cmg_value_get_string (sha, NULL)) : NULL;
  m->size = size == NULL ? -1 :
            cmg_value_get_kind (size) == CMG_VALUE_INT64 ? cmg_value_get_int64 (size) :
            cmg_value_get_kind (size) == CMG_VALUE_FLOAT64 ? (gint64) cmg_value_get_float64 (size) : -1;
  m->line = line_number;
  g_ptr_array_add (r->metas, m);
  return TRUE;
}

/* SHA-256 of an entry streamed as lines: the bytes are the lines joined by '\n', plus a final
 * '\n' or not, which the entry's size decides. */
typedef struct
{
  GChecksum *checksum;
  guint64    bytes;
  guint64    lines;
  gboolean   truncated;
} Hasher;

static gboolean
hash_line (const char *line,
           gsize       length,
           gboolean    truncated,
           guint64     line_number,
           gpointer    user_data)
{
  Hasher *h = user_data;

  if (h->lines++ > 0)
    {
      g_checksum_update (h->checksum, (const guchar *) "\n", 1);
      h->bytes++;
    }
  g_checksum_update (h->checksum, (const guchar *) line, length);
  h->bytes += length;
  h->truncated |= truncated;
  return !truncated;
}

static char *
base64_sha256 (GChecksum *checksum)
{
  guint8 digest[32];
  gsize n = sizeof digest;

  g_checksum_get_digest (checksum, digest, &n);
  return g_base64_encode (digest, n);
}

static void
check_storage_file (CmgValidation     *self,
                    CmgSnapshot       *snapshot,
                    const StorageMeta *meta,
                    const CmgStorageFile *entry,
                    GCancellable      *cancellable)
{
  Hasher h = { .checksum = g_checksum_new (G_CHECKSUM_SHA256) };
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *with_newline = NULL;
  const char *actual = NULL;

  if (meta->size >= 0 && (guint64) meta->size != entry->size)
    cmg_validation_add_finding (self, meta->component, "_storage", meta->line, CMG_FINDING_ERROR,
                                "storage-size-mismatch",
                                _("File %s holds %" G_GUINT64_FORMAT " bytes, but its metadata says %" G_GINT64_FORMAT),
                                entry->entry_path, entry->size, meta->size);
  if (meta->sha256 == NULL)
    goto out;

  if (!cmg_snapshot_read_lines (snapshot, entry->entry_path, hash_line, &h, NULL, cancellable, &error) ||
      h.truncated)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cmg_validation_add_finding (self, meta->component, "_storage", meta->line, CMG_FINDING_WARNING,
                                    "storage-not-verified",
                                    _("The checksum of file %s could not be verified: %s"),
                                    entry->entry_path, error ? error->message : _("it has a line too long to read"));
      goto out;
    }
  if (h.lines > 0)
    {
      g_autoptr(GChecksum) copy = g_checksum_copy (h.checksum);

      g_checksum_update (copy, (const guchar *) "\n", 1);
      with_newline = base64_sha256 (copy);
    }
  plain = base64_sha256 (h.checksum);
  /* The size tells whether the file ended with '\n'. */
  if (h.lines > 0 && h.bytes + 1 == entry->size)
    actual = with_newline;
  else
    actual = plain;
  if (strcmp (actual, meta->sha256) != 0)
    cmg_validation_add_finding (self, meta->component, "_storage", meta->line, CMG_FINDING_ERROR,
                                "storage-sha256-mismatch",
                                _("File %s does not match the SHA-256 checksum in its metadata: the file is damaged or not the one uploaded"),
                                entry->entry_path);
out:
  g_checksum_free (h.checksum);
}

typedef struct
{
  CmgValidation *self;
  CmgSnapshot   *snapshot;
  GPtrArray     *jobs;        /* CmgTable, those whose lines are checked */
  GHashTable    *numbers;     /* "component\x1ftable" → number from _tables */
  gint           next;        /* atomic */
  guint64       *progress;    /* caller's, may be NULL; grown atomically */
  GCancellable  *cancellable;
  GMutex         error_lock;
  GError        *error;
} TableJobs;

static guint32
job_number (TableJobs *jobs,
            CmgTable  *table)
{
  g_autofree char *key = g_strconcat (cmg_table_get_component (table), "\x1f", cmg_table_get_name (table), NULL);
  gpointer n;

  if (g_hash_table_lookup_extended (jobs->numbers, key, NULL, &n))
    return GPOINTER_TO_UINT (n);
  return cmg_table_get_number (table);
}

typedef struct
{
  CmgValidationTable *state;
  guint64            *progress;
  gsize               pending;
} WorkerLine;

/* Progress is published every megabyte, not every line, to keep the threads apart. */
static gboolean
worker_line (const char *line,
             gsize       length,
             gboolean    truncated,
             guint64     line_number,
             gpointer    user_data)
{
  WorkerLine *w = user_data;

  w->pending += length + 1;
  if (w->progress && w->pending >= 1024 * 1024)
    {
      __atomic_fetch_add (w->progress, w->pending, __ATOMIC_RELAXED);
      w->pending = 0;
    }
  return cmg_validation_table_feed_line (line, length, truncated, line_number, w->state);
}

static gpointer
table_worker (gpointer data)
{
  TableJobs *jobs = data;

  for (;;)
    {
      gint i = g_atomic_int_add (&jobs->next, 1);
      CmgTable *table;
      CmgValidationTable *state;
      WorkerLine w = { .progress = jobs->progress };
      g_autoptr(GError) error = NULL;

      if (i >= (gint) jobs->jobs->len || g_cancellable_is_cancelled (jobs->cancellable))
        break;
      table = g_ptr_array_index (jobs->jobs, i);
      state = cmg_validation_begin_table (jobs->self, cmg_table_get_component (table),
                                          cmg_table_get_name (table), job_number (jobs, table));
      w.state = state;
      cmg_validation_table_set_id_required (state, cmg_snapshot_get_kind (jobs->snapshot) == CMG_SNAPSHOT_KIND_ZIP);
      /* A JSON array's rows are its elements; the reader splits them. */
      if (cmg_snapshot_get_kind (jobs->snapshot) == CMG_SNAPSHOT_KIND_JSON
          ? !cmg_snapshot_read_table_rows (jobs->snapshot, table, 0, worker_line, &w,
                                           jobs->cancellable, &error)
          : !cmg_snapshot_read_lines (jobs->snapshot, cmg_table_get_entry_path (table),
                                      worker_line, &w, NULL, jobs->cancellable, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_mutex_lock (&jobs->error_lock);
              if (jobs->error == NULL)
                jobs->error = g_steal_pointer (&error);
              g_mutex_unlock (&jobs->error_lock);
            }
          else
            cmg_validation_add_finding (jobs->self, cmg_table_get_component (table),
                                        cmg_table_get_name (table), 0, CMG_FINDING_ERROR,
                                        "corrupt-entry", _("This table cannot be read to the end: %s"),
                                        error->message);
        }
      cmg_validation_end_table (jobs->self, state);
      if (jobs->progress && w.pending)
        __atomic_fetch_add (jobs->progress, w.pending, __ATOMIC_RELAXED);
    }
  return NULL;
}

CmgValidation *
cmg_validation_check_snapshot (CmgSnapshot   *snapshot,
                               guint64       *progress_bytes,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(CmgValidation) self = cmg_validation_new ();
  GListModel *tables;
  guint n_tables;
  CmgSnapshotKind kind;
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) storage_tables = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) table_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) metas = g_ptr_array_new_with_free_func ((GDestroyNotify) storage_meta_free);
  g_autoptr(GHashTable) storage_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) jobs_array = g_ptr_array_new_with_free_func (g_object_unref);
  TableJobs jobs = { 0 };
  GThread *threads[8];
  guint n_threads;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (snapshot), NULL);

  kind = cmg_snapshot_get_kind (snapshot);
  tables = cmg_snapshot_get_tables (snapshot);
  n_tables = g_list_model_get_n_items (tables);

  if (kind == CMG_SNAPSHOT_KIND_ZIP)
    {
      GPtrArray *suspicious = cmg_snapshot_get_suspicious_entries (snapshot);
      GPtrArray *names = cmg_snapshot_get_entry_names (snapshot);
      GPtrArray *files = cmg_snapshot_get_storage_files (snapshot);
      g_autofree char *lead = leading_folder (tables);

      for (guint i = 0; i < suspicious->len; i++)
        {
          CmgSuspiciousEntry *e = g_ptr_array_index (suspicious, i);

          switch (e->problem)
            {
            case CMG_ENTRY_PROBLEM_DUPLICATE_NAME:
              cmg_validation_add_finding (self, "", "", 0, CMG_FINDING_ERROR, "duplicate-member",
                                          _("The archive holds “%s” more than once; which copy an import reads is undefined"),
                                          e->name);
              break;
            case CMG_ENTRY_PROBLEM_ENCRYPTED:
            case CMG_ENTRY_PROBLEM_UNSUPPORTED_METHOD:
              cmg_validation_add_finding (self, "", "", 0, CMG_FINDING_ERROR, "unreadable-member",
                                          "%s", e->message);
              break;
            case CMG_ENTRY_PROBLEM_ABSOLUTE_PATH:
            case CMG_ENTRY_PROBLEM_PARENT_REFERENCE:
            case CMG_ENTRY_PROBLEM_NON_UTF8_NAME:
            default:
              cmg_validation_add_finding (self, "", "", 0, CMG_FINDING_WARNING, "suspicious-member-name",
                                          _("The member name “%s” is absolute, climbs out of its folder or is not UTF-8; it is never extracted"),
                                          e->name);
              break;
            }
        }

      /* _tables and _storage metadata per component. */
      for (guint i = 0; i < names->len; i++)
        {
          const char *entry_name = g_ptr_array_index (names, i);
          g_autofree char *component = NULL;
          const char *rest;

          if (!g_str_has_prefix (entry_name, lead) ||
              !split_component (entry_name + strlen (lead), &component, &rest) ||
              g_hash_table_contains (by_name, entry_name))
            continue;
          g_hash_table_add (by_name, (gpointer) entry_name);
          if (strcmp (rest, "_tables/documents.jsonl") == 0)
            {
              TablesReader r = { self, component, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
                                 g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
              g_autoptr(GError) local = NULL;
              GHashTableIter iter;
              gpointer key, value;

              if (!cmg_snapshot_read_lines (snapshot, entry_name, read_tables_line, &r, NULL, cancellable, &local))
                {
                  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                    {
                      g_hash_table_unref (r.names);
                      g_hash_table_unref (r.numbers);
                      g_propagate_error (error, g_steal_pointer (&local));
                      return NULL;
                    }
                  cmg_validation_add_finding (self, component, "_tables", 0, CMG_FINDING_ERROR, "corrupt-entry",
                                              _("The list of tables cannot be read: %s"), local->message);
                }
              g_hash_table_iter_init (&iter, r.numbers);
              while (g_hash_table_iter_next (&iter, &key, &value))
                g_hash_table_insert (numbers, g_strconcat (component, "\x1f", key, NULL), value);
              g_hash_table_unref (r.numbers);
              g_hash_table_insert (listed, g_strdup (component), r.names);
            }
          else if (strcmp (rest, "_storage/documents.jsonl") == 0)
            {
              StorageReader r = { self, component, metas };
              CmgTable *t = cmg_table_new ("_storage", component, entry_name,
                                           MAX (cmg_snapshot_get_entry_size (snapshot, entry_name), 0), 0);

              /* The reader does not list _storage as a table; its lines are checked all the same. */
              g_ptr_array_add (storage_tables, t);
              if (!cmg_snapshot_read_lines (snapshot, entry_name, read_storage_line, &r, NULL, cancellable, error))
                return NULL;
            }
        }

      for (guint i = 0; i < files->len; i++)
        {
          CmgStorageFile *f = g_ptr_array_index (files, i);

          g_hash_table_insert (storage_files, g_strconcat (f->component, "\x1f", f->storage_id, NULL), f);
        }
    }

  /* Per table: what can be told without reading it, then the line checks. */
  for (guint i = 0; i < n_tables; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      const char *name = cmg_table_get_name (table);
      const char *component = cmg_table_get_component (table);

      g_hash_table_add (table_names, g_strconcat (component, "\x1f", name, NULL));

      if (kind == CMG_SNAPSHOT_KIND_JSON)
        {
          if (cmg_table_get_bytes (table) > CMG_VALIDATION_JSON_ARRAY_LIMIT)
            cmg_validation_add_finding (self, component, name, 0, CMG_FINDING_ERROR, "json-array-too-large",
                                        _("This JSON file is larger than 8 MiB, the import limit for JSON arrays; convert it to JSON lines (.jsonl)"));
        }
      if (kind == CMG_SNAPSHOT_KIND_CSV)
        continue;
      if (kind == CMG_SNAPSHOT_KIND_ZIP && name[0] != '_')
        {
          GHashTable *names = g_hash_table_lookup (listed, component);

          if (names == NULL || !g_hash_table_contains (names, name))
            cmg_validation_add_finding (self, component, name, 0, CMG_FINDING_WARNING, "table-not-in-tables",
                                        _("This table is not listed in _tables: the import gives it a new table number, and Ids that refer to it break"));
          if (cmg_table_get_schema_entry_path (table) == NULL)
            cmg_validation_add_finding (self, component, name, 0, CMG_FINDING_WARNING, "missing-generated-schema",
                                        _("This table has no generated_schema.jsonl: the import turns every integer (Int64) into a float"));
        }
      g_ptr_array_add (jobs_array, g_object_ref (table));
    }

  /* _tables lines whose table has no folder. */
  {
    GHashTableIter iter;
    gpointer component, names;

    g_hash_table_iter_init (&iter, listed);
    while (g_hash_table_iter_next (&iter, &component, &names))
      {
        GHashTableIter it2;
        gpointer table, line;

        g_hash_table_iter_init (&it2, names);
        while (g_hash_table_iter_next (&it2, &table, &line))
          {
            g_autofree char *key = g_strconcat (component, "\x1f", table, NULL);
            g_autofree char *prefix = cmg_table_dup_component_folder (component);
            g_autofree char *member = g_strconcat (prefix, table, "/documents.jsonl", NULL);

            if (!g_hash_table_contains (table_names, key) && !g_hash_table_contains (by_name, member))
              cmg_validation_add_finding (self, component, "_tables", GPOINTER_TO_SIZE (line), CMG_FINDING_WARNING,
                                          "tables-line-without-folder",
                                          _("Table “%s” is listed in _tables but has no documents.jsonl in the archive"),
                                          (const char *) table);
          }
      }
  }

  /* The _storage Ids of a component with storage metadata can be checked as references too. */
  for (guint i = 0; i < metas->len; i++)
    {
      StorageMeta *m = g_ptr_array_index (metas, i);
      CmgId id;

      if (cmg_id_is_valid (m->id, strlen (m->id), &id))
        {
          g_autofree char *key = g_strconcat (m->component, "\x1f_storage", NULL);

          cmg_validation_add_table_number (self, m->component, "_storage", id.table_number);
          g_hash_table_replace (numbers, g_steal_pointer (&key), GUINT_TO_POINTER (id.table_number));
        }
    }

  for (guint i = 0; i < storage_tables->len; i++)
    g_ptr_array_add (jobs_array, g_object_ref (g_ptr_array_index (storage_tables, i)));

  jobs.self = self;
  jobs.snapshot = snapshot;
  jobs.jobs = jobs_array;
  jobs.numbers = numbers;
  jobs.cancellable = cancellable;
  jobs.progress = progress_bytes;
  g_mutex_init (&jobs.error_lock);
  n_threads = MIN (MIN (g_get_num_processors (), G_N_ELEMENTS (threads)), MAX (jobs_array->len, 1));
  for (guint i = 0; i < n_threads; i++)
    threads[i] = g_thread_new ("cmg-check", table_worker, &jobs);
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&jobs.error_lock);
  if (jobs.error)
    {
      g_propagate_error (error, jobs.error);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* Storage files against their metadata. */
  for (guint i = 0; i < metas->len; i++)
    {
      StorageMeta *m = g_ptr_array_index (metas, i);
      g_autofree char *key = g_strconcat (m->component, "\x1f", m->id, NULL);
      CmgStorageFile *e = g_hash_table_lookup (storage_files, key);

      if (e == NULL)
        {
          cmg_validation_add_finding (self, m->component, "_storage", m->line, CMG_FINDING_ERROR,
                                      "storage-metadata-without-file",
                                      _("File %s is listed in _storage but is not in the archive"), m->id);
          continue;
        }
      g_hash_table_remove (storage_files, key);
      check_storage_file (self, snapshot, m, e, cancellable);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, storage_files);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        CmgStorageFile *e = value;

        cmg_validation_add_finding (self, e->component, "_storage", 0, CMG_FINDING_WARNING,
                                    "storage-file-without-metadata",
                                    _("File %s has no line in _storage/documents.jsonl; the import skips it"),
                                    e->entry_path);
      }
  }

  cmg_validation_finish (self);
  return g_steal_pointer (&self);
}

typedef struct
{
  CmgSnapshot               *snapshot;
  guint64                    progress;     /* atomic, written by the workers */
  guint64                    total;
  CmgValidationProgressFunc  func;
  gpointer                   func_data;
  GSource                   *source;
} RunData;

static void
run_data_free (RunData *d)
{
  cmg_progress_timer_stop (&d->source);
  g_object_unref (d->snapshot);
  g_free (d);
}

static gboolean
report_progress (gpointer user_data)
{
  RunData *d = user_data;
  guint64 done = __atomic_load_n (&d->progress, __ATOMIC_RELAXED);

  /* Loaded once: MIN() reads its arguments twice, and the workers keep adding. */
  d->func (MIN (done, d->total), d->total, d->func_data);
  return G_SOURCE_CONTINUE;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *d = task_data;
  GError *error = NULL;
  CmgValidation *validation;

  validation = cmg_validation_check_snapshot (d->snapshot, &d->progress, cancellable, &error);
  if (validation)
    g_task_return_pointer (task, validation, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *outer = user_data;
  RunData *d = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  CmgValidation *validation = g_task_propagate_pointer (G_TASK (result), &error);

  /* The inner task keeps the data alive until the worker lets go: no report after the end. */
  cmg_progress_timer_stop (&d->source);
  /* One last report so a bar ends full. */
  if (validation && d->func)
    d->func (d->total, d->total, d->func_data);
  if (validation)
    g_task_return_pointer (outer, validation, g_object_unref);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

void
cmg_validation_run_async (CmgSnapshot               *snapshot,
                          GCancellable              *cancellable,
                          CmgValidationProgressFunc  progress,
                          gpointer                   progress_data,
                          GAsyncReadyCallback        callback,
                          gpointer                   user_data)
{
  GTask *outer;
  g_autoptr(GTask) inner = NULL;
  RunData *d;
  GListModel *tables;

  g_return_if_fail (CMG_IS_SNAPSHOT (snapshot));

  outer = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cmg_validation_run_async);

  d = g_new0 (RunData, 1);
  d->snapshot = g_object_ref (snapshot);
  d->func = progress;
  d->func_data = progress_data;
  tables = cmg_snapshot_get_tables (snapshot);
  for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      d->total += cmg_table_get_bytes (table);
    }
  if (cmg_snapshot_get_kind (snapshot) == CMG_SNAPSHOT_KIND_ZIP)
    d->total += cmg_snapshot_get_storage_bytes (snapshot);
  if (progress)
    d->source = cmg_progress_timer_start (g_main_context_get_thread_default (), report_progress, d);

  /* The inner task owns the run data, so the timer stops when the work is done. */
  inner = g_task_new (NULL, cancellable, run_done, outer);
  g_task_set_task_data (inner, d, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (inner, run_in_thread);
}

CmgValidation *
cmg_validation_run_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cmg_validation_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
