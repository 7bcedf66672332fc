/* Finding, and taking down, our mounts. */
#ifndef SIMFS_MOUNTS_H
#define SIMFS_MOUNTS_H

#include <stdbool.h>

/* The mount whose mount point is exactly path: its fstype ("fuse.x")
 * and source (ours: "mdevkit-simfs:PID").  False when path is not a
 * mount point.  Caller frees both. */
bool mount_find(const char *path, char **fstype, char **source);

/* `mdevkit-simfs umount ROOT [--lazy]`: returns the exit status */
int umount_root(const char *root, bool lazy);

#endif
