// SPDX-License-Identifier: LGPL-2.1-or-later
/* The modules of the running kernel: what modprobe can load (modules.dep
 * of /lib/modules/<release>), what is built in (modules.builtin), and
 * what is in the kernel now (/sys/module). */
#include "modconf-internal.h"
#include "mdevkit/lines.h"
#include "mdevkit/names.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *mdk_kmod_name_of_path(const char *path, size_t len)
{
	static const char *const suffixes[] = { ".ko", ".ko.gz", ".ko.xz", ".ko.zst" };
	const char *slash = memrchr(path, '/', len);
	const char *base = slash ? slash + 1 : path;
	size_t n = len - (size_t)(base - path);

	for (size_t i = 0; i < MDK_ARRAY_SIZE(suffixes); i++) {
		size_t s = strlen(suffixes[i]);
		if (n > s && !memcmp(base + n - s, suffixes[i], s)) {
			char *name = mdk_strndup(base, n - s);
			if (strlen(name) != n - s) {  /* a NUL inside */
				free(name);
				return NULL;
			}
			for (char *p = name; *p; p++)
				if (*p == '-')
					*p = '_';
			return name;
		}
	}
	return NULL;
}

void mdk_kmods_add_line(struct mdk_kmods *k, bool builtin, const char *line, size_t len)
{
	/* modules.dep: "path: dep dep"; modules.builtin: "path" */
	const char *colon = builtin ? NULL : memchr(line, ':', len);
	char *name = mdk_kmod_name_of_path(line, colon ? (size_t)(colon - line) : len);
	char ***v = builtin ? &k->builtin : &k->modules;
	size_t *n = builtin ? &k->n_builtin : &k->n_modules;

	if (!name)
		return;
	*v = mdk_reallocarray(*v, *n + 2, sizeof(**v));
	(*v)[(*n)++] = name;
	(*v)[*n] = NULL;
}

struct list_ctx {
	struct mdk_kmods *k;
	bool builtin;
};

static int add_line(char *line, size_t len, unsigned long no, void *userdata)
{
	struct list_ctx *c = userdata;

	(void)no;
	mdk_kmods_add_line(c->k, c->builtin, line, len);
	return 0;
}

static void sort_unique(char **v, size_t *n)
{
	size_t out = 0;

	if (!v)
		return;
	qsort(v, *n, sizeof(*v), mdk_strcmp_ptr);
	for (size_t i = 0; i < *n; i++) {
		if (out && !strcmp(v[out - 1], v[i]))
			free(v[i]);
		else
			v[out++] = v[i];
	}
	*n = out;
	v[out] = NULL;
}

void mdk_kmods_index(struct mdk_kmods *k)
{
	sort_unique(k->modules, &k->n_modules);
	sort_unique(k->builtin, &k->n_builtin);
}

static void load_list(struct mdk_kmods *k, bool builtin)
{
	char *path = mdk_path_kernel_modules(k->release, builtin ? "modules.builtin" : "modules.dep");
	struct list_ctx c = { k, builtin };
	struct mdk_lines_stats st = { 0, 0, 0 };
	int r = mdk_lines_file(path, add_line, &c, &st);

	if (r == 0 && st.overlong)
		r = -EFBIG;
	if (r < 0)
		mdk_conf_problem_add(&k->problems, &k->n_problems, path, -r);
	free(path);
}

int mdk_kmods_load(struct mdk_kmods *k, struct mdk_error *e)
{
	char *path = mdk_path_osrelease(), *text = NULL;
	int r = mdk_read_file(path, 4096, &text, NULL);

	if (r < 0) {
		r = mdk_fail_errno(e, -r, "Unable to read the kernel release \"%s\"",
				   mdk_path_unrooted(path));
	} else {
		mdk_strstrip(text);
		r = mdk_name_check(MDK_NAME_RELEASE, text, e);
	}
	free(path);
	if (r < 0) {
		free(text);
		return r;
	}
	k->release = text;
	load_list(k, false);
	load_list(k, true);
	mdk_kmods_index(k);
	return 0;
}

static bool in(char **v, size_t n, const char *name)
{
	return v && bsearch(&name, v, n, sizeof(*v), mdk_strcmp_ptr);
}

enum mdk_kmod_state mdk_kmods_find(const struct mdk_kmods *k, const char *module)
{
	char *name = mdk_strdup(module);
	enum mdk_kmod_state s = MDK_KMOD_ABSENT;

	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	if (in(k->builtin, k->n_builtin, name))
		s = MDK_KMOD_BUILTIN;
	else if (in(k->modules, k->n_modules, name))
		s = MDK_KMOD_MODULE;
	free(name);
	return s;
}

void mdk_kmods_free(struct mdk_kmods *k)
{
	free(k->release);
	mdk_strv_free(k->modules);
	mdk_strv_free(k->builtin);
	mdk_conf_problems_free(k->problems, k->n_problems);
	memset(k, 0, sizeof(*k));
}

/* /sys/module names use '_' whatever modprobe was given */
static char *sys_name(const char *module, struct mdk_error *e)
{
	if (mdk_name_check(MDK_NAME_MODULE, module, e) < 0)
		return NULL;
	char *name = mdk_strdup(module);
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

int mdk_module_loaded(const char *module, struct mdk_error *e)
{
	char *name = sys_name(module, e);
	struct stat st;

	if (!name)
		return -EINVAL;
	char *path = mdk_path_module(name);
	int r = stat(path, &st) == 0 ? 1 : errno == ENOENT ? 0 : -errno;
	if (r < 0)
		mdk_fail_errno(e, -r, "Unable to look at \"%s\"", mdk_path_unrooted(path));
	free(path);
	free(name);
	return r;
}

int mdk_module_param(const char *module, const char *param, char **value, struct mdk_error *e)
{
	char *name = sys_name(module, e), *text = NULL;

	*value = NULL;
	if (!name)
		return -EINVAL;
	if (mdk_name_check(MDK_NAME_ATTRIBUTE, param, e) < 0) {
		free(name);
		return -EINVAL;
	}
	char *path = mdk_path_module_param(name, param);
	int r = mdk_read_file(path, 4096, &text, NULL);
	if (r < 0)
		mdk_fail_errno(e, -r, "Unable to read \"%s\"", mdk_path_unrooted(path));
	else
		*value = mdk_strdup(mdk_strstrip(text));
	free(text);
	free(path);
	free(name);
	return r;
}
