// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel command line and modprobe.d parsers (modconf.h): any text
 * split into arguments as the kernel does, looked up, and parsed as a
 * modprobe.d file.  Names are never empty; a name never holds an
 * unquoted blank; what an options line gives is what the lookup finds.
 */
#include "fuzz.h"

#include "mdevkit/modconf.h"
#include "mdevkit/util.h"

#include <string.h>

static int check_arg(const char *name, const char *value, void *userdata)
{
	(void)value;
	(void)userdata;
	FUZZ_ASSERT(*name);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = mdk_strndup((const char *)data, size), *value = NULL;
	struct mdk_modprobe c;

	mdk_args_foreach(text, true, check_arg, NULL);
	mdk_args_foreach(text, false, check_arg, NULL);
	if (mdk_cmdline_param(text, "i915", "enable_gvt", &value) == 0)
		FUZZ_ASSERT(value == NULL);
	free(value);

	memset(&c, 0, sizeof(c));
	mdk_modprobe_parse(&c, text, "/etc/modprobe.d/fuzz.conf");
	for (size_t i = 0; i < c.n_opts; i++) {
		const struct mdk_modopt *o = &c.opts[i];
		FUZZ_ASSERT(*o->module && *o->param && o->at.line >= 1);
		const struct mdk_modopt *w = mdk_modprobe_option(&c, o->module, o->param);
		FUZZ_ASSERT(w && w >= o);
	}
	for (size_t i = 0; i < c.n_blacklist; i++)
		FUZZ_ASSERT(mdk_modprobe_blacklisted(&c, c.blacklist[i].module));
	mdk_modprobe_free(&c);
	free(text);
	return 0;
}
