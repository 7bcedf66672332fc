// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit-gvt: see gvt-callout.c and mdevkit-gvt(8). */
#include "gvt-callout.h"

#include <unistd.h>

int main(int argc, char **argv)
{
	return mdk_gvt_callout(argc, argv, STDIN_FILENO);
}
