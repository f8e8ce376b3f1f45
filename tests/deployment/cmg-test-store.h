/* cmg-test-store.h: the data of the local test deployment, kept in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CMG_TEST_STORE_ERROR (cmg_test_store_error_quark ())

typedef enum
{
  CMG_TEST_STORE_ERROR_INVALID_INPUT,
  CMG_TEST_STORE_ERROR_TABLE_EXISTS,
} CmgTestStoreError;

typedef enum
{
  CMG_TEST_IMPORT_REQUIRE_EMPTY,
  CMG_TEST_IMPORT_APPEND,
  CMG_TEST_IMPORT_REPLACE,
  CMG_TEST_IMPORT_REPLACE_ALL,
} CmgTestImportMode;

typedef enum
{
  CMG_TEST_FORMAT_ZIP,
  CMG_TEST_FORMAT_JSON_LINES,
  CMG_TEST_FORMAT_JSON_ARRAY,
  CMG_TEST_FORMAT_CSV,
} CmgTestFormat;

/* The parsed contents of one uploaded file, ready to be applied. */
typedef struct _CmgTestImportSet CmgTestImportSet;

#define CMG_TYPE_TEST_STORE (cmg_test_store_get_type ())
G_DECLARE_FINAL_TYPE (CmgTestStore, cmg_test_store, CMG, TEST_STORE, GObject)

GQuark            cmg_test_store_error_quark       (void);

gboolean          cmg_test_import_mode_from_string (const char        *text,
                                                    CmgTestImportMode *mode);
gboolean          cmg_test_format_from_string      (const char        *text,
                                                    CmgTestFormat     *format);

CmgTestStore     *cmg_test_store_new               (void);

CmgTestImportSet *cmg_test_import_set_parse        (GBytes            *data,
                                                    CmgTestFormat      format,
                                                    const char        *component,
                                                    const char        *table_name,
                                                    GError           **error);
void              cmg_test_import_set_free         (CmgTestImportSet  *set);

char             *cmg_test_store_summarize_import  (CmgTestStore      *self,
                                                    CmgTestImportSet  *set,
                                                    CmgTestImportMode  mode,
                                                    gboolean          *require_confirmation,
                                                    GError           **error);
GPtrArray        *cmg_test_store_apply_import      (CmgTestStore      *self,
                                                    CmgTestImportSet  *set,
                                                    CmgTestImportMode  mode,
                                                    gint64            *rows_written);

GBytes           *cmg_test_store_export_zip        (CmgTestStore      *self,
                                                    gboolean           include_storage,
                                                    GError           **error);

GPtrArray        *cmg_test_store_list_tables       (CmgTestStore      *self,
                                                    const char        *component);
GPtrArray        *cmg_test_store_get_documents     (CmgTestStore      *self,
                                                    const char        *component,
                                                    const char        *table);
char             *cmg_test_export_json_to_wire     (const char        *json);
guint             cmg_test_store_count_documents   (CmgTestStore      *self,
                                                    const char        *component,
                                                    const char        *table);

char             *cmg_test_encode_id               (guint32            table_number);
char             *cmg_test_format_count            (guint64            n);
char             *cmg_test_sort_object_keys        (const char        *json,
                                                    gsize              len,
                                                    GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgTestImportSet, cmg_test_import_set_free)

G_END_DECLS
