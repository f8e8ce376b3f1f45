/* cmg-redactor.h: masks deploy keys, admin keys and the known secrets of a run in text the app
 * shows or stores (log lines, commands, history). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a masked secret looks like; its length never tells the secret's length. */
#define CMG_REDACTOR_MASK "••••••••"

#define CMG_TYPE_REDACTOR (cmg_redactor_get_type ())
G_DECLARE_FINAL_TYPE (CmgRedactor, cmg_redactor, CMG, REDACTOR, GObject)

CmgRedactor *cmg_redactor_new (void);
/* A secret of this run (a deploy key, an admin key): every occurrence is masked, and so is its part
 * after `|`. Ignored when NULL or shorter than 4 bytes (masking it would garble ordinary text). */
void         cmg_redactor_add_secret (CmgRedactor *self,
                                      const char  *secret);
/* `text` with every secret masked: known secrets, anything shaped like a deploy or admin key
 * (`prod:name|secret`, `name|secret`, `name|hex`), `Authorization: Convex …`, `--admin-key …` and
 * `CONVEX_DEPLOY_KEY=…` style assignments. */
char        *cmg_redactor_redact (CmgRedactor *self,
                                  const char  *text);

/* `prod:name|••••••••` for a key with a `|`, else the mask alone. */
char        *cmg_redactor_mask_secret (const char *secret);

G_END_DECLS
