/* Control commands that change the simulated host while it is mounted.
 * Transport: one command per write to <mount>/kernel/mdevkit-simfs/ctl;
 * the answer ("ok" or the error line) is read back from the same fd. */
#ifndef SIMFS_CTL_H
#define SIMFS_CTL_H

#include "model.h"

/* Runs one command line.  Returns 0, or -1 with *msg set to one line
 * (caller frees). */
int ctl_exec(struct sim_host *h, const char *line, char **msg);

/* The client: `mdevkit-simfs ctl ROOT WORDS...`; returns exit status. */
int ctl_client(const char *root, int argc, char **argv);

#endif
