// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit xml ...: carried out by mdevkit-xml, which links libxml2 (some
 * 1.1 ms per start, which every other command would pay). */
#include "cli.h"

#include "mdevkit/env.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XML_HELPER "mdevkit-xml"

int cmd_xml(int argc, char **argv)
{
	char *helper = mdk_path_helper(XML_HELPER);

	if (!helper) {
		char *installed = mdk_path_libexec(XML_HELPER);
		fprintf(stderr, "Error: " XML_HELPER " is neither beside mdevkit nor at %s; reinstall "
			"mdevkit (make install puts it there)\n", installed);
		free(installed);
		return 1;
	}
	char **args = mdk_calloc((size_t)argc + 1, sizeof(*args));
	args[0] = helper;
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];
	fflush(NULL);
	execv(helper, args);
	fprintf(stderr, "Error: cannot run %s: %s\n", helper, strerror(errno));
	free(args);
	free(helper);
	return 1;
}
