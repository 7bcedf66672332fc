/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the modconf-*.c files share. */
#ifndef MDEVKIT_MODCONF_INTERNAL_H
#define MDEVKIT_MODCONF_INTERNAL_H

#include "mdevkit/env.h"
#include "mdevkit/modconf.h"

/* configuration files are small; a bigger one is a problem, not read */
#define MDK_CONF_FILE_MAX (1024 * 1024)

void mdk_conf_problem_add(struct mdk_conf_problem **v, size_t *n, const char *path, int err);
void mdk_conf_problems_free(struct mdk_conf_problem *v, size_t n);
void mdk_modlines_free(struct mdk_modline *v, size_t n);
struct mdk_modline *mdk_modline_add(struct mdk_modline **v, size_t *n, const char *module,
				    size_t module_len, const char *args, const char *file,
				    unsigned line);

/* The rooted paths of the *.conf files of kind's directories, sorted by
 * file name, a name in an earlier directory hiding it in later ones.  A
 * directory that exists but cannot be read is a problem. */
char **mdk_conf_files(enum mdk_conf_kind kind, struct mdk_conf_problem **problems,
		      size_t *n_problems);

#endif
