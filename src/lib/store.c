// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/store.h"
#include "store-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/log.h"
#include "mdevkit/names.h"
#include "mdevkit/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

/* A definition file is a few hundred bytes; anything huge is not one. */
#define DEF_MAX_SIZE (1 << 20)
/* How long a writer waits for another mdevkit to finish. */
#define LOCK_WAIT_MS 30000

static const char tmp_suffix[] = ".mdevkit-tmp";

/* What to do about a failed write to the store, by its errno. */
static const char *write_fix(int err)
{
	switch (err) {
	case ENOSPC:
	case EDQUOT:
		return "free some space on the file system that holds the store and try again";
	case EROFS:
		return "mount the file system that holds the store read-write and try again";
	case EACCES:
	case EPERM:
		return "run mdevkit as root";
	default:
		return "check the file system that holds the store (see dmesg) and try again";
	}
}

/* One line: what failed on which path, the reason, the fix; e->code keeps
 * the errno. */
static int write_failed(struct mdk_error *e, int err, const char *what, const char *path)
{
	mdk_fail(e, "Unable to %s \"%s\": %s (os error %d); %s", what, path,
		 strerror(err), err, write_fix(err));
	e->code = err;
	return -err;
}

/* ---- lock --------------------------------------------------------------- */

static int lock_fd = -1;
static unsigned lock_depth;

int mdk_store_lock(struct mdk_error *e)
{
	if (lock_depth) {
		lock_depth++;
		return 0;
	}
	char *store = mdk_path_store();
	struct stat st;
	int r = 0;
	if (stat(store, &st) < 0) {
		r = mdk_mkdir_p(store, 0755);
		if (r == 0)
			chmod(store, 0755);
	}
	if (r < 0) {
		r = write_failed(e, -r, "create directory", store);
		free(store);
		return r;
	}
	int fd = open(store, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = mdk_fail_errno(e, errno, "Unable to open directory \"%s\"", store);
		free(store);
		return r;
	}
	for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; waited += 10) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			r = mdk_fail_errno(e, errno, "Unable to lock \"%s\"", store);
			goto fail;
		}
		if (waited >= LOCK_WAIT_MS) {
			r = mdk_fail(e, "Timed out after %d s waiting for another mdevkit writing \"%s\"; "
				     "find it with 'fuser %s' and let it finish",
				     LOCK_WAIT_MS / 1000, store, store);
			goto fail;
		}
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	free(store);
	lock_fd = fd;
	lock_depth = 1;
	return 0;
fail:
	close(fd);
	free(store);
	return r;
}

void mdk_store_unlock(void)
{
	if (!lock_depth || --lock_depth)
		return;
	close(lock_fd); /* releases the flock */
	lock_fd = -1;
}

/* ---- reading ------------------------------------------------------------- */

void mdk_defs_free(struct mdk_defs *defs)
{
	for (size_t i = 0; i < defs->n; i++) {
		free(defs->v[i].parent);
		free(defs->v[i].path);
		mdk_config_free(&defs->v[i].config);
	}
	free(defs->v);
	*defs = (struct mdk_defs)MDK_DEFS_INIT;
}

/* A definition that is a link is read only when it is managed
 * (store-internal.h).  One that is not fails with code ELOOP, set in e. */
static int read_managed(const char *path, char **text, size_t *len, struct mdk_error *e)
{
	char *why;
	int fd, r = mdk_managed_open(path, false, &fd, &why);

	if (r == 0) {
		mdk_fail(e, "\"%s\" is a link that is not managed by root: %s", path, why);
		free(why);
		e->code = ELOOP;
		return -ELOOP;
	}
	if (r < 0)
		return r;
	/* a regular file: the reads may block again (FUSE answers later) */
	r = fcntl(fd, F_SETFL, 0) < 0 ? -errno : mdk_read_fd(fd, DEF_MAX_SIZE, text, len);
	close(fd);
	return r;
}

/* The definition `name` in dirfd (or a path with AT_FDCWD); `path` names
 * it in messages; a scan parses with its reader. */
static int read_config_at(int dirfd, const char *name, const char *path,
			  struct mdk_config_reader *reader, struct mdk_config *c, struct mdk_error *e)
{
	char *text;
	size_t len;
	int r = mdk_read_regular_at(dirfd, name, DEF_MAX_SIZE, MDK_READ_NOFOLLOW, &text, &len);

	/* only a link costs more than the one open */
	if (r == -ELOOP && (r = read_managed(path, &text, &len, e)) == -ELOOP)
		return r;
	if (r == -EFBIG)
		return mdk_fail(e, "the file is larger than %d bytes", DEF_MAX_SIZE);
	if (r == -EBADFD || r == -ELOOP)
		return mdk_fail(e, "\"%s\" is not a regular file", path);
	if (r < 0)
		return mdk_fail_errno(e, -r, "Unable to read file \"%s\"", path);
	r = reader ? mdk_config_parse_with(reader, text, len, c, e) : mdk_config_parse(text, len, c, e);
	free(text);
	return r;
}

static int read_config(const char *path, struct mdk_config *c, struct mdk_error *e)
{
	return read_config_at(AT_FDCWD, path, path, NULL, c, e);
}

static bool is_temp_name(const char *name)
{
	size_t n = strlen(name), s = sizeof(tmp_suffix) - 1;

	return name[0] == '.' && n > s && !strcmp(name + n - s, tmp_suffix);
}

/* What a directory entry is (a DT_* type), from getdents when it says,
 * else lstat; or -errno. */
static int entry_type(int dirfd, const struct mdk_dir_entry *ent)
{
	struct stat st;

	if (ent->type != DT_UNKNOWN)
		return ent->type;
	if (fstatat(dirfd, ent->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return IFTODT(st.st_mode);
}

/* 0 (a regular file, or a directory with want_dir), 1 (anything else) or
 * -errno. */
static int entry_not_regular(int dirfd, const struct mdk_dir_entry *ent, bool want_dir)
{
	int t = entry_type(dirfd, ent);

	return t < 0 ? t : t != (want_dir ? DT_DIR : DT_REG);
}

/* An open directory and its sorted entries. */
static int open_dir_entries(int at, const char *path, DIR **d, struct mdk_dir_entry **v, size_t *n)
{
	int fd = openat(at, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	*d = fd < 0 ? NULL : fdopendir(fd);
	if (!*d) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return -err;
	}
	int r = mdk_dir_entries(*d, v, n);
	if (r < 0) {
		closedir(*d);
		*d = NULL;
	}
	return r;
}

/* One file of a parent directory: append it if it is a definition. */
static void scan_file(int dirfd, const char *dir, const char *parent, const struct mdk_dir_entry *ent,
		      const char *uuid_filter, struct mdk_config_reader *reader, struct mdk_defs *out)
{
	const char *name = ent->name;
	size_t dn = strlen(dir), nn = strlen(name);
	char *path = mdk_malloc(dn + nn + 2);

	/* dir/name, without printf: a listing makes one per file */
	memcpy(path, dir, dn);
	path[dn] = '/';
	memcpy(path + dn + 1, name, nn + 1);
	mdk_uuid_str uuid;
	struct mdk_config c = MDK_CONFIG_INIT;
	struct mdk_error e = MDK_ERROR_INIT;
	int type = entry_type(dirfd, ent);
	bool link = type == DT_LNK;

	if (type < 0) {
		mdk_warn("Unable to access file \"%s\": %s", path, strerror(-type));
	} else if (link && mdk_uuid_parse(name, uuid) < 0) {
		/* a link is a definition only when it is managed, and then
		 * only when it is named like one */
	} else if ((type != DT_REG && !link) || is_temp_name(name)) {
		/* directories, fifos; temporary files of a save (made in the
		 * top directory, but never definitions anywhere) */
	} else if (mdk_uuid_parse(name, uuid) < 0) {
		/* a name that would break the line or the terminal is not shown */
		if (mdk_name_check(MDK_NAME_ATTRIBUTE, name, &e) < 0)
			mdk_warn("Skipping a file in \"%s\": its name is not a UUID and not "
				 "printable; only files named after a device's UUID are definitions",
				 dir);
		else
			mdk_warn("Skipping \"%s\": the file name is not a UUID; "
				 "only files named after a device's UUID are definitions", path);
		mdk_error_clear(&e);
	} else if (uuid_filter && strcmp(uuid, uuid_filter)) {
		/* filtered out before reading, as mdevctl does */
	} else if (read_config_at(dirfd, name, path, reader, &c, &e) < 0) {
		if (link && e.code == ELOOP) {
			/* skipped silently, as every link was before */
			mdk_log_error(MDK_LOG_DEBUG, &e, "Debug: Not read: %m");
		} else if (!link && e.code == ENOENT) {
			/* gone since the directory was read: as if lstat had failed */
			mdk_warn("Unable to access file \"%s\": %s", path, strerror(ENOENT));
		} else {
			mdk_warn_error(&e, "Skipping definition \"%s\": %m; fix the file or remove it", path);
			out->n_skipped++;
		}
		mdk_error_clear(&e);
	} else {
		if (out->n == out->cap) {
			out->cap = out->cap ? 2 * out->cap : 64;
			out->v = mdk_reallocarray(out->v, out->cap, sizeof(*out->v));
		}
		struct mdk_def *d = &out->v[out->n++];
		d->parent = mdk_strdup(parent);
		memcpy(d->uuid, uuid, sizeof(d->uuid));
		d->path = path;
		d->config = c;
		path = NULL;
	}
	free(path);
}

/* One parent directory: append its definitions. */
static void scan_parent(int storefd, const char *parent, const char *uuid_filter,
			struct mdk_config_reader *reader, struct mdk_defs *out)
{
	char *dir = mdk_path_store_parent(parent);
	DIR *d;
	struct mdk_dir_entry *ents;
	size_t n;
	int r = open_dir_entries(storefd, storefd == AT_FDCWD ? dir : parent, &d, &ents, &n);

	if (r < 0) {
		if (r != -ENOENT)
			mdk_warn("Unable to read directory \"%s\": %s", dir, strerror(-r));
		free(dir);
		return;
	}
	for (size_t i = 0; i < n; i++)
		scan_file(dirfd(d), dir, parent, &ents[i], uuid_filter, reader, out);
	mdk_dir_entries_free(ents, n);
	closedir(d);
	free(dir);
}

static int def_cmp(const void *a, const void *b)
{
	const struct mdk_def *x = a, *y = b;
	int c = strcmp(x->parent, y->parent);

	return c ? c : strcmp(x->uuid, y->uuid);
}

/* Directories are read in name order, so the definitions usually come
 * sorted already (not always: a file name may be a UUID in capitals). */
static bool defs_sorted(const struct mdk_defs *defs)
{
	for (size_t i = 1; i < defs->n; i++)
		if (def_cmp(&defs->v[i - 1], &defs->v[i]) > 0)
			return false;
	return true;
}

int mdk_store_scan(const char *parent, const char *uuid, struct mdk_defs *out, struct mdk_error *e)
{
	struct mdk_defs defs = MDK_DEFS_INIT;
	struct mdk_config_reader *reader;
	int r;

	if (parent && (r = mdk_name_check(MDK_NAME_PARENT, parent, e)) < 0)
		return r;
	/* one json-c tokener for every file of the scan */
	reader = mdk_config_reader_new();
	if (parent) {
		scan_parent(AT_FDCWD, parent, uuid, reader, &defs);
	} else {
		char *store = mdk_path_store();
		DIR *d;
		struct mdk_dir_entry *ents;
		size_t n;
		r = open_dir_entries(AT_FDCWD, store, &d, &ents, &n);
		if (r < 0 && r != -ENOENT) {
			r = mdk_fail_errno(e, -r, "Unable to read directory \"%s\"", store);
			free(store);
			mdk_config_reader_free(reader);
			return r;
		}
		for (size_t i = 0; r == 0 && i < n; i++) {
			/* a parent is a real directory named like a device */
			if (entry_not_regular(dirfd(d), &ents[i], true) == 0 &&
			    strcmp(ents[i].name, MDK_STORE_SCRIPTS_DIR) &&
			    mdk_name_check(MDK_NAME_PARENT, ents[i].name, e) == 0)
				scan_parent(dirfd(d), ents[i].name, uuid, reader, &defs);
			mdk_error_clear(e);
		}
		if (r == 0) {
			mdk_dir_entries_free(ents, n);
			closedir(d);
		}
		free(store);
	}
	mdk_config_reader_free(reader);
	if (!defs_sorted(&defs))
		qsort(defs.v, defs.n, sizeof(*defs.v), def_cmp);
	mdk_defs_free(out);
	*out = defs;
	return 0;
}

static int check_names(const char *parent, const char *uuid, struct mdk_error *e)
{
	int r = mdk_name_check(MDK_NAME_PARENT, parent, e);

	if (r < 0)
		return r;
	if (!mdk_uuid_is_canonical(uuid))
		return mdk_fail(e, "Invalid UUID '%s'", uuid);
	return 0;
}

int mdk_store_load(const char *parent, const char *uuid, struct mdk_config *out, struct mdk_error *e)
{
	int r = check_names(parent, uuid, e);

	if (r < 0)
		return r;
	char *path = mdk_path_definition(parent, uuid);
	r = read_config(path, out, e);
	if (r < 0 && e->code != ENOENT && e->depth)
		r = mdk_wrap(e, "Invalid definition \"%s\"", path);
	free(path);
	return r;
}

int mdk_store_exists(const char *parent, const char *uuid, struct mdk_error *e)
{
	struct stat st;
	int r = check_names(parent, uuid, e);

	if (r < 0)
		return r;
	char *path = mdk_path_definition(parent, uuid);
	r = lstat(path, &st) < 0 ? -errno : 1;
	if (r == -ENOENT || r == -ENOTDIR || r == -ELOOP)
		r = 0;
	else if (r < 0)
		mdk_fail_errno(e, -r, "Unable to access file \"%s\"", path);
	free(path);
	return r;
}

/* ---- writing ------------------------------------------------------------- */

/* Is `path` a link managed by root (store-internal.h): to a file, or, with
 * want_dir, to a directory that cannot be written (a read-only mount, or
 * no write bit even for root, as in /nix/store)?  Anything else is left
 * to the write itself to report. */
static bool is_managed_link(const char *path, bool want_dir)
{
	struct stat st;
	struct statvfs vfs;
	char *why;
	int fd;

	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return false;
	int r = mdk_managed_open(path, want_dir, &fd, &why);
	free(why);
	if (r <= 0)
		return false;
	bool managed = !want_dir || (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) ||
		       (fstat(fd, &st) == 0 && !(st.st_mode & S_IWUSR));
	close(fd);
	return managed;
}

#define MANAGED_FIX "in the system configuration (NixOS: services.mdevkit.definitions, then nixos-rebuild switch)"

/* Refuse to write the definition at `path` when it is managed elsewhere. */
static int refuse_managed(const char *path, struct mdk_error *e)
{
	char *store = mdk_path_store();
	int r = 0;

	if (is_managed_link(store, true))
		r = mdk_fail(e, "The definitions in \"%s\" are managed elsewhere (the store is a link "
			     "owned by root to a read-only directory, as NixOS's environment.etc makes): "
			     "change them " MANAGED_FIX, store);
	else if (is_managed_link(path, false))
		r = mdk_fail(e, "Definition \"%s\" is managed elsewhere (a link owned by root into "
			     "files only root can change, as NixOS's environment.etc makes): "
			     "change it " MANAGED_FIX, path);
	free(store);
	if (r < 0) {
		e->code = EROFS;
		r = -EROFS;
	}
	return r;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	int r = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return r;
}

/* Make <store>/<parent>, making its creation durable too. */
static int make_parent_dir(const char *parent, char **dir, struct mdk_error *e)
{
	char *store = mdk_path_store();
	struct stat st;
	int r = 0;

	*dir = mdk_path_store_parent(parent);
	if (lstat(*dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			r = mdk_fail(e, "\"%s\" is not a directory; move it away so definitions for %s can be stored",
				     *dir, parent);
	} else if (mkdir(*dir, 0755) < 0 && errno != EEXIST) {
		r = write_failed(e, errno, "create directory", *dir);
	} else {
		/* readable by every reader of the store, whatever our umask */
		chmod(*dir, 0755);
		fsync_dir(store);
	}
	free(store);
	return r;
}

/* The temporary file of a save (mdk_path_definition_temp) is beside the
 * store, in its parent directory (/etc): libvirt watches every directory
 * of the store with inotify and reads the whole store again for each
 * change it sees there, so the new definition arrives as one change, the
 * rename or link.  When the store is a file system of its own (EXDEV,
 * EROFS) the file goes to the store's top directory instead, where
 * mdevkit and mdevctl look for parent directories only, so a writer
 * killed half-way leaves a file that no reader warns about.  A fixed name
 * is safe under the lock; the next save of the device replaces it,
 * undefine removes it. */

/* Write `text` to a fresh `tmp` with the mode and owner `final` has (or
 * 0644), durably.  Returns 0 or -errno, with no temporary file left. */
static int write_temp(const char *tmp, const char *final, const char *text)
{
	struct stat old;
	bool keep = stat(final, &old) == 0 && S_ISREG(old.st_mode);
	/* a leftover of a writer killed between link() and unlink() is a second
	 * name of the definition itself: writing through it would change the
	 * definition in place, so it goes before a fresh file is made */
	if (unlink(tmp) < 0 && errno != ENOENT)
		return -errno;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return -errno;
	int r = mdk_write_all(fd, text, strlen(text));
	if (r == 0 && keep && fchown(fd, old.st_uid, old.st_gid) < 0 && errno != EPERM)
		r = -errno;
	if (r == 0 && fchmod(fd, keep ? old.st_mode & 07777 : 0644) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

/* Put the written temporary file in place.  A new definition must not
 * replace a file another tool just wrote: renameat2(RENAME_NOREPLACE), or
 * link() where the file system has no such rename.  A rename is what
 * libvirt's file monitor (GLib) takes for a complete new file, one
 * refresh; a link looks like a file still being written, two.  0 or
 * -errno; the temporary file is gone either way unless the answer is
 * -EXDEV. */
static int put_in_place(const char *tmp, const char *final, enum mdk_store_mode mode)
{
	int r = 0;

	if (mode == MDK_STORE_CREATE) {
		r = renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) < 0 ? -errno : 0;
		if (r == -EINVAL || r == -ENOSYS) {
			r = link(tmp, final) < 0 ? -errno : 0;
			if (r != -EXDEV)
				unlink(tmp);
		} else if (r < 0 && r != -EXDEV) {
			unlink(tmp);
		}
	} else if (rename(tmp, final) < 0) {
		r = -errno;
		if (r != -EXDEV)
			unlink(tmp);
	}
	return r;
}

/* Write text to final through a temporary file: beside the store, or in
 * its top directory when that is another file system.  0 or -errno with
 * e set. */
static int save_text(const char *uuid, const char *final, const char *text, enum mdk_store_mode mode,
		     struct mdk_error *e)
{
	int r = -EXDEV;

	for (int in_store = 0; in_store <= 1 && (r == -EXDEV || r == -EROFS); in_store++) {
		char *tmp = mdk_path_definition_temp(uuid, in_store);
		r = write_temp(tmp, final, text);
		if (r == 0) {
			r = put_in_place(tmp, final, mode);
			if (r == -EXDEV)
				unlink(tmp);
		}
		free(tmp);
	}
	if (r == -EEXIST && mode == MDK_STORE_CREATE)
		return mdk_fail_errno(e, EEXIST, "Definition \"%s\" already exists", final);
	if (r < 0)
		return write_failed(e, -r, "save definition", final);
	return 0;
}

int mdk_store_save(const char *parent, const char *uuid, const struct mdk_config *c,
		   enum mdk_store_mode mode, struct mdk_error *e)
{
	char *dir = NULL, *final = NULL, *text = NULL, *old_tmp = NULL;
	int r = check_names(parent, uuid, e);

	if (r < 0)
		return r;
	r = mdk_store_lock(e);
	if (r < 0)
		return r;
	final = mdk_path_definition(parent, uuid);
	r = refuse_managed(final, e);
	if (r < 0)
		goto out;
	r = make_parent_dir(parent, &dir, e);
	if (r < 0)
		goto out;
	text = mdk_config_format(c);
	/* a leftover in the store's top directory goes with this save (none:
	 * no change anyone can see) */
	old_tmp = mdk_path_definition_temp(uuid, true);
	unlink(old_tmp);
	r = save_text(uuid, final, text, mode, e);
	if (r < 0)
		goto out;
	/* the new definition is in place; only its durability is in doubt */
	int s = fsync_dir(dir);
	if (s < 0)
		r = write_failed(e, -s, "sync the directory of definition", final);
out:
	mdk_store_unlock();
	free(old_tmp);
	free(text);
	free(final);
	free(dir);
	return r;
}

int mdk_store_writable(const char *parent, const char *uuid, struct mdk_error *e)
{
	int r = check_names(parent, uuid, e);

	if (r < 0)
		return r;
	char *path = mdk_path_definition(parent, uuid);
	r = refuse_managed(path, e);
	free(path);
	return r;
}

int mdk_store_remove(const char *path, struct mdk_error *e)
{
	int r = mdk_store_lock(e);

	if (r < 0)
		return r;
	if ((r = refuse_managed(path, e)) < 0) {
		/* nothing removed */
	} else if (unlink(path) < 0) {
		r = write_failed(e, errno, "remove definition", path);
	} else {
		char *dir = mdk_strdup(path);
		char *slash = strrchr(dir, '/');
		mdk_uuid_str uuid;
		if (slash) {
			*slash = '\0';
			/* what a writer killed half-way left of this device goes too */
			for (int in_store = 0; in_store <= 1 && mdk_uuid_parse(slash + 1, uuid) == 0; in_store++) {
				char *tmp = mdk_path_definition_temp(uuid, in_store);
				unlink(tmp);
				free(tmp);
			}
		}
		fsync_dir(dir);
		free(dir);
	}
	mdk_store_unlock();
	return r;
}
