/* cmg-id.h: Convex document Ids (convex-facts §4): lowercase Crockford base32 of
 * varint(table number) + 16-byte internal id + a 2-byte Fletcher-16 footer. */
#pragma once

#include <gio/gio.h>

#include "cmg-snapshot.h"

G_BEGIN_DECLS

#define CMG_ID_ERROR (cmg_id_error_quark ())
typedef enum {
  CMG_ID_ERROR_LENGTH,    /* not 31–32 characters */
  CMG_ID_ERROR_ALPHABET,  /* a character outside the base32 alphabet */
  CMG_ID_ERROR_FORMAT,    /* bad table number encoding or stray bits */
  CMG_ID_ERROR_CHECKSUM,  /* the footer does not match */
} CmgIdError;
GQuark cmg_id_error_quark (void);

#define CMG_ID_INTERNAL_SIZE 16
#define CMG_ID_MIN_LENGTH 31
#define CMG_ID_MAX_LENGTH 32
/* The largest table number that still fits in 32 characters (a 2-byte varint). */
#define CMG_ID_MAX_TABLE_NUMBER 16383

typedef struct
{
  guint32 table_number;
  guint8  internal[CMG_ID_INTERNAL_SIZE];
} CmgId;

/* Decodes and validates text (not NUL-terminated necessarily). */
gboolean cmg_id_decode (const char  *text,
                        gsize        length,
                        CmgId       *out,
                        GError     **error);
/* Cheap test without error reporting, for scanning every string of every document. */
gboolean cmg_id_is_valid (const char *text, gsize length, CmgId *out);
/* Returns NULL when the table number does not fit (> CMG_ID_MAX_TABLE_NUMBER). */
char    *cmg_id_encode (const CmgId *id);

/* The table an Id belongs to: the table of the same component whose _tables number is the Id's
 * (Ids never cross components). Transfer none, or NULL. */
CmgTable *cmg_id_resolve_table (const CmgId *id,
                                CmgSnapshot *snapshot,
                                const char  *component);
/* The document an Id names: streams its table until the line whose "_id" is text. Returns the
 * line (a new string) and its 1-based line number, or NULL (error set only when the table cannot
 * be read). Blocking. */
char     *cmg_id_find_document (const char    *text,
                                CmgSnapshot   *snapshot,
                                const char    *component,
                                CmgTable     **table,
                                guint64       *line_number,
                                GCancellable  *cancellable,
                                GError       **error);

G_END_DECLS
