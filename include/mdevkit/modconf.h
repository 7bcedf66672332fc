/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Kernel modules as the host is configured to load them, for `mdevkit
 * doctor`: module parameters on the kernel command line and in
 * modprobe.d, the module lists read at boot, and the modules the running
 * kernel has.  Pure parsers (text in, entries out) and readers of the
 * files under env.h's root, apart.
 *
 * Names: kmod and the kernel treat '-' and '_' alike in module and
 * parameter names; entries keep the spelling of the file, comparisons
 * use mdk_modname_eq().
 */
#ifndef MDEVKIT_MODCONF_H
#define MDEVKIT_MODCONF_H

#include "mdevkit/error.h"

#include <stdbool.h>
#include <stddef.h>

bool mdk_modname_eq(const char *a, const char *b);

/* ---- arguments: the kernel command line, options lines (modconf-cmdline.c) - */

/* Split text as the kernel splits its command line: arguments apart at
 * whitespace, a double quote starts or ends a part where whitespace does
 * not split, the quotes around a value (name="a b") and around a whole
 * argument ("name=a b") are dropped.  value is NULL without '='.  With
 * stop_at_dashes a lone "--" ends the kernel's part (the rest is init's).
 * fn returns as mdk_line_fn does (lines.h). */
typedef int (*mdk_arg_fn)(const char *name, const char *value, void *userdata);
int mdk_args_foreach(const char *text, bool stop_at_dashes, mdk_arg_fn fn, void *userdata);

/* The last "module.param[=value]" of a kernel command line: 1 and
 * *value (NULL for a flag without '='; caller frees), or 0. */
int mdk_cmdline_param(const char *cmdline, const char *module, const char *param, char **value);

/* ---- modprobe.d (modconf-modprobe.c) ------------------------------------- */

/* Where a line came from: the path as the host sees it, and its number. */
struct mdk_where {
	char *file;
	unsigned line;
};

struct mdk_modopt {
	char *module;
	char *param;
	char *value;            /* NULL: no '=' */
	struct mdk_where at;
};

enum mdk_modlist_kind {
	MDK_MODLIST_ETC_MODULES,   /* /etc/modules: "name [params]", '#' comments */
	MDK_MODLIST_LOAD_D,        /* the modules-load.d files: a name a line, '#' or ';' */
	MDK_MODLIST_INITRAMFS,     /* /etc/initramfs-tools/modules: as /etc/modules */
};

/* A module named by a line: "blacklist M", "install M CMD", a module list. */
struct mdk_modline {
	char *module;
	char *args;             /* the rest of the line, "" when none */
	struct mdk_where at;
	enum mdk_modlist_kind kind;     /* module lists only */
};

/* A file that could not be read (or has too long a line). */
struct mdk_conf_problem {
	char *file;
	int err;                /* positive errno */
};

struct mdk_modprobe {
	struct mdk_modopt *opts;         /* in kmod's order: a later one wins */
	size_t n_opts;
	struct mdk_modline *blacklist;
	size_t n_blacklist;
	struct mdk_modline *install;     /* "install M CMD": modprobe runs CMD instead */
	size_t n_install;
	struct mdk_conf_problem *problems;
	size_t n_problems;
};

/* Add the lines of one file's text ("options", "blacklist", "install";
 * '#' comments, '\' joins lines; the other commands are ignored). */
void mdk_modprobe_parse(struct mdk_modprobe *c, const char *text, const char *file);
/* Every *.conf of the modprobe.d directories (env.h), a name in an
 * earlier directory hiding the same name in later ones, all of them in
 * the order of their names, as kmod reads them. */
void mdk_modprobe_load(struct mdk_modprobe *c);
/* The option that wins for module.param (the last one), or NULL. */
const struct mdk_modopt *mdk_modprobe_option(const struct mdk_modprobe *c, const char *module,
					     const char *param);
const struct mdk_modline *mdk_modprobe_blacklisted(const struct mdk_modprobe *c,
						   const char *module);
void mdk_modprobe_free(struct mdk_modprobe *c);

/* ---- module lists read at boot (modconf-lists.c) --------------------------- */

struct mdk_modlists {
	struct mdk_modline *v;
	size_t n;
	struct mdk_conf_problem *problems;
	size_t n_problems;
};

void mdk_modlist_parse(struct mdk_modlists *l, enum mdk_modlist_kind kind, const char *text,
		       const char *file);
/* /etc/modules, the modules-load.d directories (as systemd-modules-load
 * picks their files; Debian's /etc/modules-load.d/modules.conf, a link to
 * ../modules, is read once) and /etc/initramfs-tools/modules.  A missing
 * file is no problem. */
void mdk_modlists_load(struct mdk_modlists *l);
/* The first line naming module in a file read at boot (not initramfs), or NULL. */
const struct mdk_modline *mdk_modlists_find(const struct mdk_modlists *l, const char *module);
void mdk_modlists_free(struct mdk_modlists *l);

/* ---- the running kernel's modules (modconf-kernel.c) ----------------------- */

enum mdk_kmod_state {
	MDK_KMOD_ABSENT,
	MDK_KMOD_MODULE,           /* in modules.dep: modprobe can load it */
	MDK_KMOD_BUILTIN,          /* in modules.builtin: part of the kernel */
};

struct mdk_kmods {
	char *release;             /* /proc/sys/kernel/osrelease */
	char **modules;            /* sorted names ('_' for '-'), from modules.dep */
	size_t n_modules;
	char **builtin;            /* sorted names, from modules.builtin */
	size_t n_builtin;
	struct mdk_conf_problem *problems;
	size_t n_problems;
};

/* The module name of a path in modules.dep or modules.builtin
 * ("kernel/drivers/gpu/drm/i915/kvmgt.ko.xz" -> "kvmgt"), '-' as '_';
 * NULL when the path does not end in .ko[.gz|.xz|.zst].  Caller frees. */
char *mdk_kmod_name_of_path(const char *path, size_t len);
/* Add the modules of one line of modules.dep ("path: deps...") or of
 * modules.builtin ("path"); mdk_kmods_index() once after the last line,
 * before mdk_kmods_find(). */
void mdk_kmods_add_line(struct mdk_kmods *k, bool builtin, const char *line, size_t len);
void mdk_kmods_index(struct mdk_kmods *k);
/* Read the release, then modules.dep and modules.builtin of it.  Fails
 * (with e) only when the release cannot be read or is not a name; an
 * unreadable list is a problem. */
int mdk_kmods_load(struct mdk_kmods *k, struct mdk_error *e);
enum mdk_kmod_state mdk_kmods_find(const struct mdk_kmods *k, const char *module);
void mdk_kmods_free(struct mdk_kmods *k);

/* Is the module in the kernel now: 1 (/sys/module/<m> exists: loaded,
 * or built in with parameters), 0, or -errno.  module passes names.h. */
int mdk_module_loaded(const char *module, struct mdk_error *e);
/* /sys/module/<module>/parameters/<param>, stripped: 0 and *value, or
 * -errno (-ENOENT: no such module or parameter) with e. */
int mdk_module_param(const char *module, const char *param, char **value, struct mdk_error *e);

#endif
