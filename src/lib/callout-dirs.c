// SPDX-License-Identifier: LGPL-2.1-or-later
/* The scripts of the callout and notifier directories, listed once per
 * process: start-parent-mdevs runs callouts for every device of a parent,
 * and the directories do not change during one command. */
#include "callout-int.h"
#include "mdevkit/env.h"
#include "mdevkit/util.h"

#include <stdlib.h>

static char **listing[2][MDK_SCRIPT_DIRS];
static bool listed[2][MDK_SCRIPT_DIRS];

static void forget(void)
{
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < MDK_SCRIPT_DIRS; i++) {
			mdk_strv_free(listing[k][i]);
			listing[k][i] = NULL;
			listed[k][i] = false;
		}
}

char *const *mdk_script_paths(enum mdk_script_kind kind, size_t i)
{
	static bool registered;
	size_t k = kind == MDK_SCRIPTS_CALLOUTS ? 0 : 1;

	if (i >= MDK_SCRIPT_DIRS)
		return NULL;
	if (listed[k][i])
		return listing[k][i];
	if (!registered) {
		atexit(forget);         /* leak checkers see a clean exit */
		registered = true;
	}
	char *dir = mdk_path_script_dir(kind, i);
	char **names;
	/* a directory that is missing or not a directory has no scripts */
	if (mdk_list_dir(dir, &names, NULL) == 0) {
		for (char **n = names; *n; n++) {
			char *path = mdk_asprintf("%s/%s", dir, *n);
			free(*n);
			*n = path;
		}
		listing[k][i] = names;
	}
	listed[k][i] = true;
	free(dir);
	return listing[k][i];
}
