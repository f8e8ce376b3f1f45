/* cmg-storage-view.h: the files of an archive's file storage (`_storage`) with content type, size
 * and whether their bytes match the sha256 of their metadata, and a preview of images and text. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-snapshot.h"

G_BEGIN_DECLS

typedef enum {
  CMG_STORAGE_PREVIEW_NONE,
  CMG_STORAGE_PREVIEW_LOADING,
  CMG_STORAGE_PREVIEW_IMAGE,
  CMG_STORAGE_PREVIEW_TEXT,
  CMG_STORAGE_PREVIEW_UNAVAILABLE,
} CmgStoragePreview;

#define CMG_TYPE_STORAGE_VIEW (cmg_storage_view_get_type ())
G_DECLARE_FINAL_TYPE (CmgStorageView, cmg_storage_view, CMG, STORAGE_VIEW, GtkWidget)

GtkWidget        *cmg_storage_view_new (void);
/* Lists the files and starts checking their sha256 in a worker thread. */
void              cmg_storage_view_set_snapshot (CmgStorageView *self,
                                                 CmgSnapshot    *snapshot);
guint             cmg_storage_view_get_n_files (CmgStorageView *self);
/* Selects a file and loads its preview in a worker thread. */
void              cmg_storage_view_select (CmgStorageView *self,
                                           guint           position);
CmgStoragePreview cmg_storage_view_get_preview (CmgStorageView *self);
/* "matches", "differs", … for the file at position (for tests and the status column). */
const char       *cmg_storage_view_get_status (CmgStorageView *self,
                                               guint           position);

G_END_DECLS
