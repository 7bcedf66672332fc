/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared between the store-*.c files of the library only. */
#ifndef MDEVKIT_STORE_INTERNAL_H
#define MDEVKIT_STORE_INTERNAL_H

#include <stdbool.h>

/*
 * Definitions managed elsewhere (store-managed.c).  A symbolic link in the
 * store is followed only when no one but root can have made or changed any
 * step of it: NixOS's environment.etc makes /etc/mdevctl.d/<parent>/<uuid>
 * a link to /etc/static/..., itself a link into the read-only /nix/store.
 *
 * `path` is a path under the root prefix (env.h); the walk starts at the
 * prefix, and an absolute link target starts again there, as if it were /.
 * Every link on the way must be owned by root; every directory owned by
 * root and writable by no one else unless it is sticky (/nix/store is 1775
 * root:nixbld: in a sticky directory only root renames or removes root's
 * entries); the end owned by root and writable by no one else, and a
 * regular file (want_dir false) or a directory.
 *
 * Returns 1 when the path is managed, with *fd open on its end (O_RDONLY
 * for a file, O_PATH for a directory); 0 when it is not, with *why the
 * reason (caller frees); -errno when it cannot be told.
 */
int mdk_managed_open(const char *path, bool want_dir, int *fd, char **why);

#endif
