/* deploy-test-util.h: throw-away project folders for the deploy tests. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fresh temporary folder; remove it with deploy_test_remove_tree(). */
char     *deploy_test_make_dir (void);
/* Writes relative (creating parent folders); length -1 for a C string. */
void      deploy_test_write (const char *dir,
                             const char *relative,
                             const char *contents,
                             gssize      length);
void      deploy_test_mkdir (const char *dir,
                             const char *relative);
/* A package.json that lists convex, and node_modules/convex. */
void      deploy_test_make_convex_project (const char *dir);
void      deploy_test_remove_tree (const char *path);

G_END_DECLS
