/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The whole of mdevkit-gvt but for main(): argv as mdevctl passes it, the
 * device JSON read from in_fd to EOF.  Returns the exit status.  Split
 * out so that tests/fuzz/callout.c drives the same argument and stdin
 * handling without a process per input.
 */
#ifndef MDEVKIT_GVT_CALLOUT_H
#define MDEVKIT_GVT_CALLOUT_H

int mdk_gvt_callout(int argc, char **argv, int in_fd);

#endif
