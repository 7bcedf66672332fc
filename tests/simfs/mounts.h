/* Finding, and taking down, our mounts. */
#ifndef SIMFS_MOUNTS_H
#define SIMFS_MOUNTS_H

#include <stdbool.h>

/* fstype of the mount whose mount point is exactly path ("fuse.x"), or
 * NULL when path is not a mount point.  Caller frees. */
char *mount_fstype(const char *path);

/* `mdevkit-simfs umount ROOT [--lazy]`: returns the exit status */
int umount_root(const char *root, bool lazy);

#endif
