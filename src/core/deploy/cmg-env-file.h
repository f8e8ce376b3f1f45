/* cmg-env-file.h: a dotenv file (`.env.local`, `.env`) parsed the way the CLI's dotenv does,
 * keeping the line of every value. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Files larger than this are refused (CMG_DEPLOY_ERROR_TOO_LARGE) rather than read. */
#define CMG_ENV_FILE_MAX_SIZE (1024 * 1024)

typedef struct {
  char  *key;
  char  *value;    /* quotes removed; `\n` expanded in double quotes, as dotenv does */
  guint  line;     /* 1-based line where the assignment starts */
  char  *comment;  /* text after `#` on that line (trimmed), or NULL */
} CmgEnvEntry;

#define CMG_TYPE_ENV_FILE (cmg_env_file_get_type ())
G_DECLARE_FINAL_TYPE (CmgEnvFile, cmg_env_file, CMG, ENV_FILE, GObject)

/* name: how the file is named to the user (".env.local"). Invalid UTF-8 is repaired and noted in
 * cmg_env_file_get_warnings(); NUL bytes fail with CMG_DEPLOY_ERROR_BINARY. */
CmgEnvFile        *cmg_env_file_new_from_data (const char  *name,
                                               const char  *data,
                                               gsize        length,
                                               GError     **error);
/* Blocking; refuses files over CMG_ENV_FILE_MAX_SIZE without reading them. */
CmgEnvFile        *cmg_env_file_load (GFile       *file,
                                      const char  *name,
                                      GError     **error);
const char        *cmg_env_file_get_name (CmgEnvFile *self);
/* Every assignment in file order, repeated keys included. */
guint              cmg_env_file_get_n_entries (CmgEnvFile *self);
const CmgEnvEntry *cmg_env_file_get_entry (CmgEnvFile *self, guint index);
/* The effective entry for a key: the last assignment, as dotenv keeps it; NULL when absent. */
const CmgEnvEntry *cmg_env_file_lookup (CmgEnvFile *self, const char *key);
/* Translated notes about the file (e.g. "not valid UTF-8; invalid bytes were replaced"). */
const char * const *cmg_env_file_get_warnings (CmgEnvFile *self);

G_END_DECLS
