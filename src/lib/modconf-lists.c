// SPDX-License-Identifier: LGPL-2.1-or-later
/* The lists of modules loaded at boot: Debian's /etc/modules and
 * /etc/initramfs-tools/modules ("name [parameters]", '#' comments) and
 * systemd's modules-load.d (a name a line, '#' and ';' comments). */
#include "modconf-internal.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void mdk_modlist_parse(struct mdk_modlists *l, enum mdk_modlist_kind kind, const char *text,
		       const char *file)
{
	unsigned no = 0;

	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = mdk_strndup(p, len), *s = mdk_strstrip(line);
		no++;
		p = nl ? nl + 1 : p + len;
		if (!*s || *s == '#' || (kind == MDK_MODLIST_LOAD_D && *s == ';')) {
			free(line);
			continue;
		}
		/* systemd takes the whole line as the name; a name with a blank
		 * in it is then a module that does not exist, as it should be */
		size_t name_len = kind == MDK_MODLIST_LOAD_D ? strlen(s) : strcspn(s, " \t");
		const char *args = s[name_len] ? mdk_strstrip(s + name_len + 1) : "";
		mdk_modline_add(&l->v, &l->n, s, name_len, args, file, no)->kind = kind;
		free(line);
	}
}

static void load_file(struct mdk_modlists *l, enum mdk_modlist_kind kind, const char *path)
{
	char *text;
	int r = mdk_read_file(path, MDK_CONF_FILE_MAX, &text, NULL);

	if (r == -ENOENT)
		return;
	if (r < 0) {
		mdk_conf_problem_add(&l->problems, &l->n_problems, path, -r);
		return;
	}
	mdk_modlist_parse(l, kind, text, mdk_path_unrooted(path));
	free(text);
}

static bool same_file(const char *a, const char *b)
{
	struct stat x, y;
	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

void mdk_modlists_load(struct mdk_modlists *l)
{
	char *etc = mdk_path_etc_modules(), *initramfs = mdk_path_initramfs_modules();
	char **files = mdk_conf_files(MDK_CONF_MODULES_LOAD, &l->problems, &l->n_problems);

	load_file(l, MDK_MODLIST_ETC_MODULES, etc);
	for (size_t i = 0; files[i]; i++)
		if (!same_file(files[i], etc))
			load_file(l, MDK_MODLIST_LOAD_D, files[i]);
	load_file(l, MDK_MODLIST_INITRAMFS, initramfs);
	mdk_strv_free(files);
	free(etc);
	free(initramfs);
}

const struct mdk_modline *mdk_modlists_find(const struct mdk_modlists *l, const char *module)
{
	for (size_t i = 0; i < l->n; i++)
		if (mdk_modname_eq(l->v[i].module, module) &&
		    l->v[i].kind != MDK_MODLIST_INITRAMFS)
			return &l->v[i];
	return NULL;
}

void mdk_modlists_free(struct mdk_modlists *l)
{
	mdk_modlines_free(l->v, l->n);
	mdk_conf_problems_free(l->problems, l->n_problems);
	memset(l, 0, sizeof(*l));
}
