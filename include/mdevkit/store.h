/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The definition store, /etc/mdevctl.d/<parent>/<uuid>, shared with
 * mdevctl and libvirt.
 *
 * Reading skips what mdevctl skips (entries that are not real directories
 * or regular files; file names that are not UUIDs, with a warning) and also
 * the scripts.d directory.  A definition that is a symbolic link is read
 * only when root manages it (the link, every step after it and every
 * directory on the way owned by root and writable by no one else, as
 * NixOS's environment.etc makes them); others are skipped silently, and
 * nothing is ever written through a link.  A file that does not parse
 * is reported with its path and the reason and skipped; the others still
 * load; nothing is deleted or rewritten.
 *
 * Writing is atomic and durable: a temporary file in the same directory,
 * fsync, rename (or link, when the file must not exist yet), fsync of the
 * directory.  New files get mode 0644; a rewritten file keeps its mode and
 * owner.  Writers serialise on a lock (flock on the store directory), so a
 * read-modify-write by one mdevkit never loses another's change, and a
 * reader never sees a partial file.
 */
#ifndef MDEVKIT_STORE_H
#define MDEVKIT_STORE_H

#include "mdevkit/config.h"
#include "mdevkit/error.h"
#include "mdevkit/uuid.h"

#include <stddef.h>

struct mdk_def {
	char *parent;
	mdk_uuid_str uuid;      /* canonical, even if the file name is not */
	char *path;             /* the file itself */
	struct mdk_config config;
};

struct mdk_defs {
	struct mdk_def *v;      /* sorted by parent, then uuid */
	size_t n;
	size_t n_skipped;       /* files reported and skipped */
	size_t cap;             /* room in v */
};

#define MDK_DEFS_INIT { NULL, 0, 0, 0 }

/* Load every definition, or only those of `parent` and/or `uuid` (NULL:
 * any).  A missing store is an empty store.  Fails only when the store
 * itself cannot be read. */
int mdk_store_scan(const char *parent, const char *uuid, struct mdk_defs *out, struct mdk_error *e);
void mdk_defs_free(struct mdk_defs *defs);

/* Load one definition.  A missing file fails with code ENOENT. */
int mdk_store_load(const char *parent, const char *uuid, struct mdk_config *out, struct mdk_error *e);
/* Is there a file for this definition (1) or not (0)? */
int mdk_store_exists(const char *parent, const char *uuid, struct mdk_error *e);

enum mdk_store_mode {
	MDK_STORE_CREATE,   /* fail with code EEXIST if the definition exists */
	MDK_STORE_REPLACE,  /* create or replace */
};
int mdk_store_save(const char *parent, const char *uuid, const struct mdk_config *c,
		   enum mdk_store_mode mode, struct mdk_error *e);
/* May the definition be written (saved, removed)?  0, or a failure with
 * one line, code EROFS, when it is managed elsewhere: the definition is a
 * managed link, or the store itself a managed link to a directory that
 * cannot be written.  Save and remove refuse those too; commands ask
 * first, before any callout runs. */
int mdk_store_writable(const char *parent, const char *uuid, struct mdk_error *e);
/* Remove the file at `path` (a definition's path from a scan). */
int mdk_store_remove(const char *path, struct mdk_error *e);

/* The writers' lock.  Nested calls in one process count; save and remove
 * take it themselves, callers take it around a read-modify-write. */
int mdk_store_lock(struct mdk_error *e);
void mdk_store_unlock(void);

#endif
