// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit-gvt: see gvt-callout.c and mdevkit-gvt(8). */
#include "gvt-callout.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
	printf("Usage: mdevkit-gvt -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT\n\n"
	       "mdevctl callout for Intel GVT-g vGPUs: before define, modify and start it\n"
	       "refuses a vGPU that cannot work on this GPU, with one line that says what\n"
	       "to change.  mdevctl and mdevkit run it with the device's JSON on stdin;\n"
	       "for a type that is not i915-GVTg_* it exits 2.\n\n"
	       "Options:\n"
	       "  -t <TYPE>                    mdev type, e.g. i915-GVTg_V5_4\n"
	       "  -e <EVENT>                   pre, post, get, notify or live\n"
	       "  -a <ACTION>                  start, stop, define, undefine, modify, attributes or capabilities\n"
	       "  -s <STATE>                   State of the device (not used)\n"
	       "  -u <UUID>                    UUID of the device\n"
	       "  -p <PARENT>                  Parent device, e.g. 0000:00:02.0\n"
	       "  -h, --help                   Print help (only as the first argument)\n\n"
	       "See mdevkit-gvt(8).\n");
}

int main(int argc, char **argv)
{
	/* mdevctl never passes -h: only a person asks for help */
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage();
		return fflush(stdout) == 0 ? 0 : 1;
	}
	return mdk_gvt_callout(argc, argv, STDIN_FILENO);
}
