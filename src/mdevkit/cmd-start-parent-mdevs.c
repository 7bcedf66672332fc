// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cli.h"

#include <stdio.h>

int cmd_start_parent_mdevs(int argc, char **argv)
{
	(void)argc, (void)argv;
	fprintf(stderr, "Error: not available yet\n");
	return 1;
}
