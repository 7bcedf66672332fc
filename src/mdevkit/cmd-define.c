// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/device.h"
#include "mdevkit/util.h"


enum { O_UUID, O_PARENT, O_TYPE, O_AUTO, O_JSONFILE, O_FORCE };

static const struct cli_opt opts[] = {
	[O_UUID] = { "uuid", 'u', "UUID", "UUID of the device (generated and printed if omitted)", CLI_UUID },
	[O_PARENT] = { "parent", 'p', "PARENT", "Parent device, e.g. 0000:00:02.0" },
	[O_TYPE] = { "type", 't', "TYPE", "mdev type, e.g. i915-GVTg_V5_4" },
	[O_AUTO] = { "auto", 'a', NULL, "Start the device whenever its parent registers" },
	[O_JSONFILE] = { "jsonfile", 0, "JSONFILE", "Take type, start and attributes from this JSON file" },
	[O_FORCE] = { "force", 'f', NULL, "Go on even if a callout refuses" },
};

static const struct cli_spec spec = {
	"define", "[OPTIONS] <--uuid <UUID>|--parent <PARENT>>",
	"Store a definition in /etc/mdevctl.d/<parent>/<uuid>.  For a running device,\n"
	"--parent and --type default to the running values.  Running devices are\n"
	"not changed.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

int cmd_define(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0 || (rc = cli_need_uuid_or_parent(&spec, &a, O_UUID, O_PARENT)) >= 0)
		return rc;
	if (cli_has(&a, O_JSONFILE) && (cli_has(&a, O_TYPE) || cli_has(&a, O_AUTO)))
		return cli_usage_error(&spec, "'--jsonfile <JSONFILE>' cannot be used with '%s'",
				       cli_has(&a, O_TYPE) ? "--type <TYPE>" : "--auto");

	struct mdk_define_req req = {
		.uuid = a.uuid,
		.parent = a.val[O_PARENT],
		.type = a.val[O_TYPE],
		.autostart = cli_has(&a, O_AUTO),
		.jsonfile = a.val[O_JSONFILE],
		.force = cli_has(&a, O_FORCE),
	};
	struct mdk_error e = MDK_ERROR_INIT;
	mdk_uuid_str out;
	bool generated;
	int r = mdk_define(&req, out, &generated, &e);

	return cli_created(r, out, generated, &e);
}
