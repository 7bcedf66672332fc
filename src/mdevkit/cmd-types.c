// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/config.h"
#include "mdevkit/error.h"
#include "mdevkit/gvt.h"
#include "mdevkit/log.h"
#include "mdevkit/names.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_PARENT, O_DUMPJSON, O_GVT };

static const struct cli_opt opts[] = {
	[O_PARENT] = { "parent", 'p', "PARENT", "Only this parent" },
	[O_DUMPJSON] = { "dumpjson", 0, NULL, "Print JSON" },
	[O_GVT] = { "gvt", 0, NULL, "Also print each Intel GVT-g type's share of the GPU and what is free" },
};

static const struct cli_spec spec = {
	"types", "[OPTIONS]",
	"List the mdev types each registered parent offers, with their available\n"
	"instances, device API, name and description, as mdevctl does.  With --gvt,\n"
	"GVT-g types also show their aperture, hidden GM and fence needs, what is\n"
	"free, and what limits them.",
	opts, sizeof(opts) / sizeof(opts[0]), NULL,
};

struct parent_types {
	const char *parent;
	struct mdk_type_info *types;
	size_t n;
};

/* the GVT-g budget lines of one type; nothing for other types */
static void print_gvt(const char *parent, const char *type)
{
	struct mdk_error e = MDK_ERROR_INIT;
	char *text = NULL;

	if (mdk_gvt_type_details(parent, type, &text, &e) < 0) {
		char *why = mdk_error_oneline(&e);
		printf("    GVT-g: %s\n", why);
		free(why);
		mdk_error_clear(&e);
	} else if (text) {
		fputs(text, stdout);
		free(text);
	}
}

static void print_text(const struct parent_types *p, size_t n, bool gvt)
{
	for (size_t i = 0; i < n; i++) {
		printf("%s\n", p[i].parent);
		for (size_t k = 0; k < p[i].n; k++) {
			const struct mdk_type_info *t = &p[i].types[k];
			printf("  %s\n    Available instances: %lld\n    Device API: %s\n", t->type,
			       t->available, t->device_api);
			if (t->name)
				printf("    Name: %s\n", t->name);
			if (t->description)
				printf("    Description: %s\n", t->description);
			if (gvt)
				print_gvt(p[i].parent, t->type);
		}
	}
	/* mdevctl 1.2 and 1.3.0 end the listing with one blank line */
	printf("\n");
}

static void print_json(const struct parent_types *p, size_t n)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += p[i].n;
	struct mdk_json_type *v = mdk_calloc(total, sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < p[i].n; j++, k++) {
			const struct mdk_type_info *t = &p[i].types[j];
			v[k] = (struct mdk_json_type){ p[i].parent, t->type, t->available,
						       t->device_api, t->name, t->description };
		}
	char *text = mdk_json_type_list(v, total);
	printf("%s\n", text);
	free(text);
	free(v);
}

int cmd_types(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;

	struct mdk_error e = MDK_ERROR_INIT;
	const char *only = a.val[O_PARENT];
	if (only && mdk_name_check(MDK_NAME_PARENT, only, &e) < 0)
		return cli_fail(&e);
	char **parents;
	size_t n_parents;
	if (mdk_sysfs_parents(&parents, &n_parents, &e) < 0)
		return cli_fail(&e);

	struct parent_types *p = mdk_calloc(n_parents, sizeof(*p));
	size_t n = 0;
	rc = 0;
	for (size_t i = 0; i < n_parents && rc == 0; i++) {
		if (only && strcmp(only, parents[i]))
			continue;
		if (!mdk_sysfs_parent_registered(parents[i])) {
			mdk_warn("Skipping %s: it is not registered for mdev support", parents[i]);
			continue;
		}
		p[n].parent = parents[i];
		if (mdk_sysfs_types(parents[i], &p[n].types, &p[n].n, &e) < 0)
			rc = cli_fail(&e);
		else
			n++;
	}
	if (rc == 0) {
		if (cli_has(&a, O_DUMPJSON))
			print_json(p, n);
		else
			print_text(p, n, cli_has(&a, O_GVT));
	}
	for (size_t i = 0; i < n; i++)
		mdk_type_infos_free(p[i].types, p[i].n);
	free(p);
	mdk_strv_free(parents);
	return rc;
}
