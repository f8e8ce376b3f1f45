/* cmg-plan-table.h: one table as an import plan sees it: its documents in the archive and (when a
 * backup told) in the target, what the chosen mode does to it, the server's change-summary row, and
 * the documents the import wrote. The plan updates it; every change is notified. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a mode does to one table, in the words of cmg_plan_table_effect_get_label. */
typedef enum {
  CMG_TABLE_EFFECT_UNCHANGED,      /* only in the target, and the mode leaves it alone */
  CMG_TABLE_EFFECT_CREATED,        /* only in the archive: the table gains its documents */
  CMG_TABLE_EFFECT_GAINS,          /* append (or none into an empty table): documents are added */
  CMG_TABLE_EFFECT_REPLACED,       /* its documents are deleted, the archive's take their place */
  CMG_TABLE_EFFECT_EMPTIED,        /* replace-all, in the archive but empty there: the table is emptied */
  CMG_TABLE_EFFECT_DELETED,        /* replace-all, not in the archive: emptied, deleted unless schema.ts defines it */
  CMG_TABLE_EFFECT_MUST_BE_EMPTY,  /* none: the import fails if the target table has documents */
} CmgTableEffect;

/* "unchanged" "created" "gains" "replaced" "emptied" "deleted" "must-be-empty" */
const char *cmg_table_effect_to_string (CmgTableEffect effect);
/* Translated, short: "Unchanged", "Created", "Gains documents", "Replaced", "Emptied",
 * "Deleted", "Must be empty" */
const char *cmg_table_effect_get_label (CmgTableEffect effect);

#define CMG_TYPE_PLAN_TABLE (cmg_plan_table_get_type ())
G_DECLARE_FINAL_TYPE (CmgPlanTable, cmg_plan_table, CMG, PLAN_TABLE, GObject)

/* Properties (notified on change): "component" ("" for the app's own), "name",
 * "archive-documents", "target-documents", "effect", "create", "delete", "of",
 * "written-documents", "done". Counts are -1 while unknown. */

CmgPlanTable   *cmg_plan_table_new (const char *component,
                                    const char *name);

const char     *cmg_plan_table_get_component (CmgPlanTable *self);
const char     *cmg_plan_table_get_name (CmgPlanTable *self);
/* "name" or "component:name", like cmg_table_dup_qualified_name. */
char           *cmg_plan_table_dup_qualified_name (CmgPlanTable *self);
gint64          cmg_plan_table_get_archive_documents (CmgPlanTable *self);
gint64          cmg_plan_table_get_target_documents (CmgPlanTable *self);
CmgTableEffect  cmg_plan_table_get_effect (CmgPlanTable *self);
/* The server's change summary: documents to create, to delete, and held now. */
gint64          cmg_plan_table_get_create (CmgPlanTable *self);
gint64          cmg_plan_table_get_delete (CmgPlanTable *self);
gint64          cmg_plan_table_get_of (CmgPlanTable *self);
/* From the CLI's checkpoint lines (`Imported "t" (3 documents)`). */
gint64          cmg_plan_table_get_written_documents (CmgPlanTable *self);
/* TRUE once the import reported the table written. */
gboolean        cmg_plan_table_get_done (CmgPlanTable *self);
/* Translated sentence for the mode page, e.g. "messages: 21 documents deleted, 20 imported". */
char           *cmg_plan_table_dup_effect_text (CmgPlanTable *self);

/* For the plan. */
void            cmg_plan_table_set_archive_documents (CmgPlanTable *self, gint64 documents);
void            cmg_plan_table_set_target_documents (CmgPlanTable *self, gint64 documents);
void            cmg_plan_table_set_effect (CmgPlanTable *self, CmgTableEffect effect);
void            cmg_plan_table_set_change (CmgPlanTable *self, gint64 create, gint64 delete, gint64 of);
void            cmg_plan_table_set_written (CmgPlanTable *self, gint64 documents);

/* The effect of a mode on one table. archive_documents: -1 when the table is not in the archive;
 * target_documents: -1 when the table is not in the target or the target is unknown. */
CmgTableEffect  cmg_table_effect_for_mode (int     mode,  /* a CmgCliImportMode */
                                           gint64  archive_documents,
                                           gint64  target_documents,
                                           gboolean target_known);

G_END_DECLS
