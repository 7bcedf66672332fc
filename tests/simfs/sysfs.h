/* Turns the model into the tree a kernel would show under /sys. */
#ifndef SIMFS_SYSFS_H
#define SIMFS_SYSFS_H

#include <sys/types.h>

#include "model.h"
#include "tree.h"

/* where the simulator's own files live, below the mount */
#define SIMFS_CTL_DIR "kernel/mdevkit-simfs"

struct node *sysfs_build(struct sim_host *h, pid_t pid);

#endif
