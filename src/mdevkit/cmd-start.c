// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/device.h"
#include "mdevkit/util.h"


enum { O_UUID, O_PARENT, O_TYPE, O_JSONFILE, O_FORCE, O_RUNNING_OK };

static const struct cli_opt opts[] = {
	[O_UUID] = { "uuid", 'u', "UUID", "UUID of the device (generated and printed if omitted)", CLI_UUID },
	[O_PARENT] = { "parent", 'p', "PARENT", "Parent device, e.g. 0000:00:02.0" },
	[O_TYPE] = { "type", 't', "TYPE", "mdev type, e.g. i915-GVTg_V5_4" },
	[O_JSONFILE] = { "jsonfile", 0, "JSONFILE", "Take type and attributes from this JSON file" },
	[O_FORCE] = { "force", 'f', NULL, "Go on even if a callout refuses" },
	[O_RUNNING_OK] = { "running-ok", 0, NULL,
			   "Succeed if the device already runs with this parent and type" },
};

static const struct cli_spec spec = {
	"start", "[OPTIONS] <--uuid <UUID>|--parent <PARENT>>",
	"Create a mediated device: a defined one (--uuid, plus --parent if the UUID\n"
	"is defined under several parents), or a transient one from --parent and\n"
	"--type or --jsonfile.",
	opts, MDK_ARRAY_SIZE(opts), NULL,
};

int cmd_start(int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0 || (rc = cli_need_uuid_or_parent(&spec, &a, O_UUID, O_PARENT)) >= 0)
		return rc;
	if (cli_has(&a, O_JSONFILE) && cli_has(&a, O_TYPE))
		return cli_usage_error(&spec, "'--jsonfile <JSONFILE>' cannot be used with '--type <TYPE>'");

	struct mdk_start_req req = {
		.uuid = a.uuid,
		.parent = a.val[O_PARENT],
		.type = a.val[O_TYPE],
		.jsonfile = a.val[O_JSONFILE],
		.force = cli_has(&a, O_FORCE),
		.running_ok = cli_has(&a, O_RUNNING_OK),
	};
	struct mdk_error e = MDK_ERROR_INIT;
	mdk_uuid_str out;
	bool generated;
	int r = mdk_start(&req, out, &generated, &e);

	return cli_created(r, out, generated, &e);
}
