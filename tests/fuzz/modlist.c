// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The module lists (/etc/modules, modules-load.d, initramfs-tools) and
 * the kernel's module indexes (modules.dep, modules.builtin), from any
 * text: an entry has a name without blanks at its ends, a line number in
 * the text, and a name found in an index is found again.
 */
#include "fuzz.h"

#include "mdevkit/modconf.h"
#include "mdevkit/util.h"

#include <string.h>

static unsigned count_lines(const char *s)
{
	unsigned n = 1;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void lists(const char *text)
{
	static const enum mdk_modlist_kind kinds[] = { MDK_MODLIST_ETC_MODULES, MDK_MODLIST_LOAD_D,
						       MDK_MODLIST_INITRAMFS };
	unsigned lines = count_lines(text);

	for (size_t k = 0; k < MDK_ARRAY_SIZE(kinds); k++) {
		struct mdk_modlists l;
		memset(&l, 0, sizeof(l));
		mdk_modlist_parse(&l, kinds[k], text, "/etc/modules");
		for (size_t i = 0; i < l.n; i++) {
			const char *m = l.v[i].module;
			size_t n = strlen(m);
			FUZZ_ASSERT(n > 0 && m[0] != '#' && m[0] != ' ' && m[n - 1] != ' ');
			FUZZ_ASSERT(l.v[i].at.line >= 1 && l.v[i].at.line <= lines);
			FUZZ_ASSERT(l.v[i].kind == kinds[k]);
		}
		mdk_modlists_free(&l);
	}
}

static void indexes(const char *text)
{
	struct mdk_kmods k;

	memset(&k, 0, sizeof(k));
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		mdk_kmods_add_line(&k, false, p, len);
		mdk_kmods_add_line(&k, true, p, len);
		char *name = mdk_kmod_name_of_path(p, len);
		if (name)
			FUZZ_ASSERT(!strchr(name, '/') && !strchr(name, '-'));
		free(name);
		p = nl ? nl + 1 : p + len;
	}
	mdk_kmods_index(&k);
	for (size_t i = 0; i < k.n_modules; i++)
		FUZZ_ASSERT(mdk_kmods_find(&k, k.modules[i]) != MDK_KMOD_ABSENT);
	for (size_t i = 0; i < k.n_builtin; i++)
		FUZZ_ASSERT(mdk_kmods_find(&k, k.builtin[i]) == MDK_KMOD_BUILTIN);
	mdk_kmods_free(&k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = mdk_strndup((const char *)data, size);

	lists(text);
	indexes(text);
	free(text);
	return 0;
}
