// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include "mdevkit/device.h"
#include "mdevkit/util.h"

#include <stdlib.h>

enum { O_ALL, O_RETRIES, O_RETRY_DELAY };

static const struct cli_opt opts[] = {
	[O_ALL] = { "all", 0, NULL, "Every registered parent that has definitions" },
	[O_RETRIES] = { "retries", 0, "N", "Try devices whose parent or driver is not ready N more times (default 0)" },
	[O_RETRY_DELAY] = { "retry-delay", 0, "MS", "First wait between tries, doubled each time (default 500)" },
};

static const struct cli_spec spec = {
	"start-parent-mdevs", "[OPTIONS] <PARENT|--all>",
	"Start every \"auto\" definition of PARENT.  A device that already runs with\n"
	"the same parent and type counts as started; a device that fails is\n"
	"reported and the others go on.  Exits 1 if any auto device is not running\n"
	"at the end.  udev and systemd run this when a parent registers and at boot.",
	opts, MDK_ARRAY_SIZE(opts), "PARENT",
};

int cmd_start_parent_mdevs(int argc, char **argv)
{
	struct cli_args a;
	struct mdk_autostart_opts o = { 0, 500 };
	unsigned long v;
	int rc = cli_parse(&spec, argc, argv, &a);

	if (rc >= 0)
		return rc;
	if (cli_has(&a, O_ALL) == (a.positional != NULL))
		return cli_usage_error(&spec, "give either a parent or '--all'");
	if (cli_has(&a, O_RETRIES)) {
		if (cli_number(&spec, "retries", a.val[O_RETRIES], 100, &v))
			return EXIT_USAGE;
		o.retries = (unsigned)v;
	}
	if (cli_has(&a, O_RETRY_DELAY)) {
		if (cli_number(&spec, "retry-delay", a.val[O_RETRY_DELAY], 600000, &v))
			return EXIT_USAGE;
		o.retry_delay_ms = (unsigned)v;
	}

	struct mdk_error e = MDK_ERROR_INIT;
	int failed = a.positional ? mdk_start_parent(a.positional, &o, &e)
				  : mdk_start_registered_parents(&o, &e);
	if (failed < 0)
		return cli_fail(&e);
	return failed ? 1 : 0;
}
