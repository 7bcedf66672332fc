// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/config.h"
#include "mdevkit/device.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <stdlib.h>

enum { O_DEFINED, O_DUMPJSON, O_VERBOSE, O_UUID, O_PARENT };

static const struct cli_opt opts[] = {
	[O_DEFINED] = { "defined", 'd', NULL, "List definitions instead of running devices" },
	[O_DUMPJSON] = { "dumpjson", 0, NULL, "Print JSON (one device with --uuid: its definition)" },
	[O_VERBOSE] = { "verbose", 'v', NULL, "Also print attributes" },
	[O_UUID] = { "uuid", 'u', "UUID", "Only this device", CLI_UUID },
	[O_PARENT] = { "parent", 'p', "PARENT", "Only devices of this parent" },
};

static const struct cli_spec spec = {
	"list", "[OPTIONS]",
	"List running mediated devices, or with --defined the stored definitions,\n"
	"sorted by parent and UUID.",
	opts, sizeof(opts) / sizeof(opts[0]), NULL,
};

static void print_text(const struct mdk_listing *l, bool defined, bool verbose)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct mdk_listed *x = &l->v[i];
		printf("%s %s %s %s%s\n", x->uuid, x->parent, x->config.type,
		       x->config.autostart ? "auto" : "manual",
		       !x->mark ? "" : defined ? " (active)" : " (defined)");
		if (!verbose || !x->config.n_attrs)
			continue;
		printf("  Attrs:\n");
		/* not JSON-escaped: mdevctl prints the raw strings */
		for (size_t k = 0; k < x->config.n_attrs; k++)
			printf("    @{%zu}: {\"%s\":\"%s\"}\n", k, x->config.attrs[k].name,
			       x->config.attrs[k].value);
	}
	/* mdevctl 1.2 and 1.3.0 end every listing with one blank line */
	printf("\n");
}

static void print_json(const struct mdk_listing *l, bool single)
{
	char *text;

	if (single && l->n == 1) {
		text = mdk_config_format(&l->v[0].config);
	} else {
		struct mdk_json_device *devs = mdk_calloc(l->n, sizeof(*devs));
		for (size_t i = 0; i < l->n; i++)
			devs[i] = (struct mdk_json_device){ l->v[i].parent, l->v[i].uuid, &l->v[i].config };
		text = mdk_json_device_list(devs, l->n);
		free(devs);
	}
	printf("%s\n", text);
	free(text);
}

int cmd_list(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;

	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_listing l = { NULL, 0 };
	const char *u = a.uuid;
	bool defined = cli_has(&a, O_DEFINED);
	int r = defined ? mdk_list_defined(a.val[O_PARENT], u, &l, &e)
			: mdk_list_active(a.val[O_PARENT], u, &l, &e);
	if (r < 0)
		return cli_fail(&e);
	if (cli_has(&a, O_DUMPJSON))
		print_json(&l, u != NULL);
	else
		print_text(&l, defined, cli_has(&a, O_VERBOSE));
	mdk_listing_free(&l);
	return 0;
}
