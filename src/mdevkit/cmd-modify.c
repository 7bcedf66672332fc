// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/device.h"
#include "mdevkit/util.h"

enum {
	O_UUID, O_PARENT, O_TYPE, O_ADDATTR, O_DELATTR, O_INDEX, O_VALUE, O_AUTO, O_MANUAL,
	O_LIVE, O_DEFINED, O_JSONFILE, O_FORCE,
};

static const struct cli_opt opts[] = {
	[O_UUID] = { "uuid", 'u', "UUID", "UUID of the device", CLI_REQUIRED | CLI_UUID },
	[O_PARENT] = { "parent", 'p', "PARENT", "Parent of the device" },
	[O_TYPE] = { "type", 't', "TYPE", "New mdev type" },
	[O_ADDATTR] = { "addattr", 0, "attr_name", "Add an attribute (with --value, at --index or last)" },
	[O_DELATTR] = { "delattr", 0, NULL, "Delete the attribute at --index, or the last one" },
	[O_INDEX] = { "index", 'i', "INDEX", "Position of the attribute to add or delete" },
	[O_VALUE] = { "value", 0, "attr_value", "Value of the attribute given by --addattr" },
	[O_AUTO] = { "auto", 'a', NULL, "Start the device whenever its parent registers" },
	[O_MANUAL] = { "manual", 'm', NULL, "Start the device only on request" },
	[O_LIVE] = { "live", 'l', NULL, "Change the running device (through its callout); with --defined also the definition" },
	[O_DEFINED] = { "defined", 'd', NULL, "Change the stored definition (the default without --live)" },
	[O_JSONFILE] = { "jsonfile", 0, "JSONFILE", "Replace type, start and attributes with this JSON file" },
	[O_FORCE] = { "force", 'f', NULL, "Go on even if a callout refuses" },
};

static const struct cli_spec spec = {
	"modify", "[OPTIONS] --uuid <UUID> <--auto|--manual|--addattr <attr_name>|--delattr|--jsonfile <JSONFILE>>",
	"Change a stored definition: its type, start mode or attributes, or replace\n"
	"it from a JSON file (which creates it if missing).  Running devices are\n"
	"not changed, except with --live.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

static const char *const conflict_names[] = {
	[O_TYPE] = "--type <TYPE>", [O_INDEX] = "--index <INDEX>", [O_VALUE] = "--value <attr_value>",
	[O_DELATTR] = "--delattr",
};

/* `opt` given together with one of `others` is a usage error */
static int conflicts(const struct cli_args *a, int opt, const char *opt_name, const int *others,
		     size_t n)
{
	if (!cli_has(a, opt))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (cli_has(a, others[i]))
			return cli_usage_error(&spec, "the argument '%s' cannot be used with '%s'", opt_name,
					       conflict_names[others[i]]);
	return 0;
}

static int check_usage(const struct cli_args *a)
{
	static const int group[] = { O_AUTO, O_MANUAL, O_ADDATTR, O_DELATTR, O_JSONFILE };
	static const int idx_val[] = { O_INDEX, O_VALUE };
	static const int type_idx_val[] = { O_TYPE, O_INDEX, O_VALUE };
	static const int del[] = { O_DELATTR };
	size_t given = 0;
	int r;

	for (size_t i = 0; i < MDK_ARRAY_SIZE(group); i++)
		given += cli_has(a, group[i]);
	if (given != 1)
		return cli_usage_error(&spec, "exactly one of '--auto', '--manual', '--addattr <attr_name>', "
					      "'--delattr' or '--jsonfile <JSONFILE>' is required");
	if (cli_has(a, O_ADDATTR) && !cli_has(a, O_VALUE))
		return cli_usage_error(&spec, "'--addattr <attr_name>' requires '--value <attr_value>'");
	if (cli_has(a, O_VALUE) && !cli_has(a, O_ADDATTR))
		return cli_usage_error(&spec, "'--value <attr_value>' requires '--addattr <attr_name>'");
	if (cli_has(a, O_LIVE) && !cli_has(a, O_JSONFILE))
		return cli_usage_error(&spec, "'--live' requires '--jsonfile <JSONFILE>'");
	if ((r = conflicts(a, O_VALUE, "--value <attr_value>", del, 1)) ||
	    (r = conflicts(a, O_AUTO, "--auto", idx_val, 2)) ||
	    (r = conflicts(a, O_MANUAL, "--manual", idx_val, 2)) ||
	    (r = conflicts(a, O_LIVE, "--live", type_idx_val, 3)) ||
	    (r = conflicts(a, O_JSONFILE, "--jsonfile <JSONFILE>", type_idx_val, 3)))
		return r;
	return 0;
}

int cmd_modify(int argc, char **argv)
{
	struct cli_args a;
	unsigned long index = 0;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;
	if (check_usage(&a))
		return EXIT_USAGE;
	if (cli_has(&a, O_INDEX) && cli_number(&spec, "index", a.val[O_INDEX], 0xffffffffUL, &index))
		return EXIT_USAGE;

	struct mdk_modify_req req = {
		.uuid = a.uuid,
		.parent = a.val[O_PARENT],
		.type = a.val[O_TYPE],
		.autostart = cli_has(&a, O_AUTO) ? 1 : cli_has(&a, O_MANUAL) ? 0 : -1,
		.addattr = a.val[O_ADDATTR],
		.value = a.val[O_VALUE],
		.delattr = cli_has(&a, O_DELATTR),
		.has_index = cli_has(&a, O_INDEX),
		.index = index,
		.jsonfile = a.val[O_JSONFILE],
		.live = cli_has(&a, O_LIVE),
		.defined = cli_has(&a, O_DEFINED),
		.force = cli_has(&a, O_FORCE),
	};
	struct mdk_error e = MDK_ERROR_INIT;
	if (mdk_modify(&req, &e) < 0)
		return cli_fail(&e);
	return 0;
}
