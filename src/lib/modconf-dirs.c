// SPDX-License-Identifier: LGPL-2.1-or-later
/* The directories of configuration snippets, merged as kmod (modprobe.d)
 * and systemd (modules-load.d) merge them, and the bookkeeping shared by
 * the module configuration parsers. */
#include "modconf-internal.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void mdk_conf_problem_add(struct mdk_conf_problem **v, size_t *n, const char *path, int err)
{
	*v = mdk_reallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].file = mdk_strdup(mdk_path_unrooted(path));
	(*v)[*n].err = err;
	(*n)++;
}

void mdk_conf_problems_free(struct mdk_conf_problem *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].file);
	free(v);
}

struct mdk_modline *mdk_modline_add(struct mdk_modline **v, size_t *n, const char *module,
				    size_t module_len, const char *args, const char *file,
				    unsigned line)
{
	*v = mdk_reallocarray(*v, *n + 1, sizeof(**v));
	struct mdk_modline *m = &(*v)[(*n)++];
	m->module = mdk_strndup(module, module_len);
	m->args = mdk_strdup(args ? args : "");
	m->at.file = mdk_strdup(file);
	m->at.line = line;
	m->kind = MDK_MODLIST_ETC_MODULES;
	return m;
}

void mdk_modlines_free(struct mdk_modline *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].module);
		free(v[i].args);
		free(v[i].at.file);
	}
	free(v);
}

static bool is_conf(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".conf");
}

static int by_base(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	return strcmp(strrchr(x, '/') + 1, strrchr(y, '/') + 1);
}

char **mdk_conf_files(enum mdk_conf_kind kind, struct mdk_conf_problem **problems,
		      size_t *n_problems)
{
	char **files = mdk_calloc(1, sizeof(*files));
	size_t n = 0;
	char *dir;

	for (size_t i = 0; (dir = mdk_path_conf_dir(kind, i)); i++, free(dir)) {
		char **names;
		size_t count;
		int r = mdk_list_dir(dir, &names, &count);
		if (r == -ENOENT || r == -ENOTDIR)
			continue;
		if (r < 0) {
			mdk_conf_problem_add(problems, n_problems, dir, -r);
			continue;
		}
		for (size_t j = 0; j < count; j++) {
			bool hidden = false;
			if (!is_conf(names[j]))
				continue;
			for (size_t k = 0; k < n && !hidden; k++)
				hidden = !strcmp(strrchr(files[k], '/') + 1, names[j]);
			if (hidden)
				continue;
			files = mdk_reallocarray(files, n + 2, sizeof(*files));
			files[n++] = mdk_asprintf("%s/%s", dir, names[j]);
			files[n] = NULL;
		}
		mdk_strv_free(names);
	}
	qsort(files, n, sizeof(*files), by_base);
	return files;
}
