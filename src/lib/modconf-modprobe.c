// SPDX-License-Identifier: LGPL-2.1-or-later
/* modprobe.d: the "options", "blacklist" and "install" lines, read in the
 * order kmod reads them (modprobe.d(5)).  A line ending in '\' goes on
 * on the next one; a line whose first word starts with '#' is a comment. */
#include "modconf-internal.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct opt_ctx {
	struct mdk_modprobe *c;
	const char *module, *file;
	unsigned line;
};

static int add_opt(const char *name, const char *value, void *userdata)
{
	struct opt_ctx *o = userdata;
	struct mdk_modprobe *c = o->c;

	c->opts = mdk_reallocarray(c->opts, c->n_opts + 1, sizeof(*c->opts));
	struct mdk_modopt *m = &c->opts[c->n_opts++];
	m->module = mdk_strdup(o->module);
	m->param = mdk_strdup(name);
	m->value = value ? mdk_strdup(value) : NULL;
	m->at.file = mdk_strdup(o->file);
	m->at.line = o->line;
	return 0;
}

static char *word(char **p)
{
	char *s = *p + strspn(*p, " \t");
	if (!*s)
		return NULL;
	char *end = s + strcspn(s, " \t");
	*p = *end ? end + 1 : end;
	*end = '\0';
	return s;
}

static void one_line(struct mdk_modprobe *c, char *p, const char *file, unsigned no)
{
	char *cmd = word(&p), *module;

	if (!cmd || cmd[0] == '#' || !(module = word(&p)))
		return;
	char *rest = mdk_strstrip(p);
	if (!strcmp(cmd, "options")) {
		struct opt_ctx o = { c, module, file, no };
		mdk_args_foreach(rest, false, add_opt, &o);
	} else if (!strcmp(cmd, "blacklist")) {
		mdk_modline_add(&c->blacklist, &c->n_blacklist, module, strlen(module), rest, file, no);
	} else if (!strcmp(cmd, "install")) {
		mdk_modline_add(&c->install, &c->n_install, module, strlen(module), rest, file, no);
	}
}

void mdk_modprobe_parse(struct mdk_modprobe *c, const char *text, const char *file)
{
	struct mdk_buf logical = MDK_BUF_INIT;
	unsigned no = 0, first = 0;

	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		no++;
		if (!logical.len)
			first = no;
		bool more = len > 0 && p[len - 1] == '\\';
		mdk_buf_add(&logical, p, more ? len - 1 : len);
		if (more && nl) {
			mdk_buf_adds(&logical, " ");
		} else {
			if (logical.len)
				one_line(c, logical.data, file, first);
			logical.len = 0;
		}
		p = nl ? nl + 1 : p + len;
	}
	if (logical.len)
		one_line(c, logical.data, file, first);
	mdk_buf_free(&logical);
}

void mdk_modprobe_load(struct mdk_modprobe *c)
{
	char **files = mdk_conf_files(MDK_CONF_MODPROBE, &c->problems, &c->n_problems);

	for (size_t i = 0; files[i]; i++) {
		char *text;
		int r = mdk_read_file(files[i], MDK_CONF_FILE_MAX, &text, NULL);
		if (r < 0) {
			mdk_conf_problem_add(&c->problems, &c->n_problems, files[i], -r);
			continue;
		}
		mdk_modprobe_parse(c, text, mdk_path_unrooted(files[i]));
		free(text);
	}
	mdk_strv_free(files);
}

const struct mdk_modopt *mdk_modprobe_option(const struct mdk_modprobe *c, const char *module,
					     const char *param)
{
	for (size_t i = c->n_opts; i-- > 0;)
		if (mdk_modname_eq(c->opts[i].module, module) &&
		    mdk_modname_eq(c->opts[i].param, param))
			return &c->opts[i];
	return NULL;
}

const struct mdk_modline *mdk_modprobe_blacklisted(const struct mdk_modprobe *c,
						   const char *module)
{
	for (size_t i = 0; i < c->n_blacklist; i++)
		if (mdk_modname_eq(c->blacklist[i].module, module))
			return &c->blacklist[i];
	return NULL;
}

void mdk_modprobe_free(struct mdk_modprobe *c)
{
	for (size_t i = 0; i < c->n_opts; i++) {
		free(c->opts[i].module);
		free(c->opts[i].param);
		free(c->opts[i].value);
		free(c->opts[i].at.file);
	}
	free(c->opts);
	mdk_modlines_free(c->blacklist, c->n_blacklist);
	mdk_modlines_free(c->install, c->n_install);
	mdk_conf_problems_free(c->problems, c->n_problems);
	memset(c, 0, sizeof(*c));
}
