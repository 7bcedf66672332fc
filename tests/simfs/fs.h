/* The FUSE filesystem: serves the tree of sysfs.c and turns writes into
 * model operations.  Runs single-threaded, so no locking anywhere. */
#ifndef SIMFS_FS_H
#define SIMFS_FS_H

#include <stdbool.h>

#include "model.h"

struct fs_options {
	const char *mountpoint;	/* <root>/sys, exists */
	bool foreground;
	int log_fd;		/* daemon's stderr after detaching; -1: /dev/null */
	int ready_fd;		/* foreground: write "1" here once mounted; -1: none */
};

/* Mounts, detaches unless foreground, serves until unmounted or signalled.
 * Takes ownership of *h.  Returns the process exit status. */
int fs_run(struct sim_host *h, const struct fs_options *o);

#endif
