// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/sysfs.h"
#include "mdevkit/env.h"
#include "mdevkit/log.h"
#include "mdevkit/names.h"
#include "mdevkit/util.h"
#include "mdevkit/uuid.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* sysfs attributes are at most a page; a bigger file is refused, not read */
#define ATTR_MAX 65536
/* how much of a bad value an error message shows */
#define EXCERPT_MAX 64

void mdk_mdev_free(struct mdk_mdev *m)
{
	free(m->parent);
	free(m->type);
	m->parent = m->type = NULL;
}

void mdk_mdevs_free(struct mdk_mdevs *m)
{
	for (size_t i = 0; i < m->n; i++)
		mdk_mdev_free(&m->v[i]);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

/* A stat errno that says "there is nothing of that kind", as opposed to
 * "it cannot be told" (EACCES, EIO, ...). */
static bool is_absent(int err)
{
	return err == ENOENT || err == ENOTDIR || err == ELOOP;
}

/* A stat() result (1 or 0 for yes or no, or -errno) as an answer: an
 * absent path is a "no", any other errno is an error naming the path. */
static int stat_answer(const char *path, int r, struct mdk_error *e)
{
	if (r >= 0)
		return r;
	if (is_absent(-r))
		return 0;
	return mdk_fail_errno(e, -r, "Unable to access \"%s\"", path);
}

/* realpath(), in three system calls: the kernel resolves the path once
 * (glibc's realpath reads every component as a link, each a trip into
 * sysfs); without /proc, realpath itself.  NULL with errno on failure. */
static char *fd_path(int fd)
{
	char proc[64], buf[PATH_MAX];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(proc, buf, sizeof(buf) - 1);
	if (n <= 0 || (size_t)n >= sizeof(buf) - 1 || buf[0] != '/')
		return NULL;
	buf[n] = '\0';
	return mdk_strdup(buf);
}

/* name in dirfd (or a path with AT_FDCWD), resolved; `path` is the same
 * file by its full path, for realpath.  With fd_out, the O_PATH
 * descriptor stays open for lookups below it (every path walked again
 * from the top is a trip into sysfs per component). */
static char *real_path_at(int dirfd, const char *name, const char *path, int *fd_out)
{
	int fd = openat(dirfd, name, O_PATH | O_CLOEXEC);

	if (fd_out)
		*fd_out = -1;
	if (fd < 0)
		return NULL;
	char *real = fd_path(fd);
	if (!real)
		real = realpath(path, NULL);
	if (real && fd_out)
		*fd_out = fd;
	else
		close(fd);
	return real;
}

static char *real_path(const char *path)
{
	return real_path_at(AT_FDCWD, path, path, NULL);
}

static char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return mdk_strdup(s ? s + 1 : path);
}

/* Resolve /sys/bus/mdev/devices/<uuid> (uuid in devices_fd, the open
 * directory, or AT_FDCWD): parent and type. */
static int resolve(int devices_fd, const char *uuid, struct mdk_mdev *out, struct mdk_error *e)
{
	char *link = mdk_path_mdev(uuid);
	char *type_link = mdk_path_mdev_attr(uuid, "mdev_type");
	int dev_fd;
	char *dev = real_path_at(devices_fd, devices_fd == AT_FDCWD ? link : uuid, link, &dev_fd);
	char *type = dev ? real_path_at(dev_fd, "mdev_type", type_link, NULL) : NULL;
	int r = 0;

	if (dev_fd >= 0)
		close(dev_fd);

	if (!dev || !type) {
		r = mdk_fail_errno(e, errno, "Unable to resolve \"%s\"", dev ? type_link : link);
	} else {
		char *slash = strrchr(dev, '/');
		*slash = '\0';
		memcpy(out->uuid, uuid, sizeof(out->uuid));
		out->parent = base_name(dev);
		out->type = base_name(type);
		/* names from sysfs go to output and paths like names from a user */
		if (mdk_name_check_parent_type(out->parent, out->type, e) < 0) {
			r = mdk_wrap(e, "Unable to resolve \"%s\"", link);
			mdk_mdev_free(out);
		}
	}
	free(dev);
	free(type);
	free(type_link);
	free(link);
	return r;
}

int mdk_sysfs_lookup(const char *uuid, struct mdk_mdev *out, struct mdk_error *e)
{
	char *link = mdk_path_mdev(uuid);
	struct stat st;
	int r = stat_answer(link, lstat(link, &st) < 0 ? -errno : 1, e);

	if (r > 0) {
		r = resolve(AT_FDCWD, uuid, out, e);
		r = r < 0 ? r : 1;
	}
	free(link);
	return r;
}

static int mdev_cmp(const void *a, const void *b)
{
	const struct mdk_mdev *x = a, *y = b;
	int c = strcmp(x->parent, y->parent);

	return c ? c : strcmp(x->uuid, y->uuid);
}

int mdk_sysfs_active(struct mdk_mdevs *out, struct mdk_error *e)
{
	return mdk_sysfs_active_of(NULL, NULL, out, e);
}

int mdk_sysfs_active_of(bool (*want)(const char *uuid, void *data), void *data,
			struct mdk_mdevs *out, struct mdk_error *e)
{
	char *dir = mdk_path_mdev_devices();
	char **names;
	struct mdk_mdevs m = MDK_MDEVS_INIT;
	int r = mdk_list_dir(dir, &names, NULL);

	if (r == -ENOENT) {
		free(dir);
		*out = m;
		return 0;
	}
	if (r < 0) {
		r = mdk_fail_errno(e, -r, "Unable to read directory \"%s\"", dir);
		free(dir);
		return r;
	}
	/* each device is looked up in the open directory, not from / */
	int devices_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (char **name = names; *name; name++) {
		mdk_uuid_str uuid;
		struct mdk_mdev dev = { "", NULL, NULL };
		struct mdk_error err = MDK_ERROR_INIT;

		if (mdk_uuid_parse(*name, uuid) < 0) {
			mdk_warn("Can't determine uuid for file '%s'", *name);
			continue;
		}
		if (want && !want(uuid, data))
			continue;
		if (resolve(devices_fd < 0 ? AT_FDCWD : devices_fd, *name, &dev, &err) < 0) {
			mdk_warn_error(&err, "Skipping active device %s: %m", *name);
			continue;
		}
		memcpy(dev.uuid, uuid, sizeof(dev.uuid));
		m.v = mdk_reallocarray(m.v, m.n + 1, sizeof(*m.v));
		m.v[m.n++] = dev;
	}
	if (devices_fd >= 0)
		close(devices_fd);
	mdk_strv_free(names);
	free(dir);
	if (m.n > 1)
		qsort(m.v, m.n, sizeof(*m.v), mdev_cmp);
	*out = m;
	return 0;
}

/* Drop, with a warning each, the entries of a sysfs directory that are no
 * valid name (control characters, not UTF-8, ...); the count kept. */
static size_t keep_valid(char **names, enum mdk_name_kind kind, const char *dir)
{
	size_t kept = 0;

	for (char **p = names; *p; p++) {
		struct mdk_error e = MDK_ERROR_INIT;
		if (mdk_name_check(kind, *p, &e) == 0) {
			names[kept++] = *p;
			continue;
		}
		mdk_warn_error(&e, "Skipping an entry of \"%s\": %m", dir);
		free(*p);
	}
	names[kept] = NULL;
	return kept;
}

int mdk_sysfs_parents(char ***names, size_t *n, struct mdk_error *e)
{
	char *dir = mdk_path_mdev_bus();
	size_t count = 0;
	int r = mdk_list_dir(dir, names, &count);

	if (r == -ENOENT) {
		*names = mdk_calloc(1, sizeof(**names));
		r = 0;
	} else if (r < 0) {
		r = mdk_fail_errno(e, -r, "Unable to read directory \"%s\"", dir);
	} else {
		count = keep_valid(*names, MDK_NAME_PARENT, dir);
	}
	if (n)
		*n = r < 0 ? 0 : count;
	free(dir);
	return r < 0 ? r : 0;
}

/* 1 if path is a directory, 0 if it is not or is missing, -errno (e set)
 * if that cannot be told; path is freed. */
static int is_dir(char *path, struct mdk_error *e)
{
	struct stat st;
	int r = stat_answer(path, stat(path, &st) < 0 ? -errno : S_ISDIR(st.st_mode), e);

	free(path);
	return r;
}

int mdk_sysfs_parent_exists(const char *parent, char **suggestion, struct mdk_error *e)
{
	int r = is_dir(mdk_path_parent(parent), e);

	*suggestion = NULL;
	if (r != 0)
		return r;
	char **names;
	r = mdk_sysfs_parents(&names, NULL, e);
	if (r < 0)
		return r;
	for (char **p = names; *p; p++)
		if (!strcasecmp(*p, parent)) {
			*suggestion = mdk_strdup(*p);
			break;
		}
	mdk_strv_free(names);
	return 0;
}

int mdk_sysfs_parent_at(const char *dir, char **parent)
{
	char *real = real_path(dir);
	int r = 0;

	*parent = NULL;
	if (!real)
		return is_absent(errno) ? 0 : -errno;
	const char *base = strrchr(real, '/') + 1;
	struct mdk_error e = MDK_ERROR_INIT;
	if (mdk_name_check(MDK_NAME_PARENT, base, &e) == 0) {
		char *link = mdk_path_parent(base);
		char *target = real_path(link);
		if (target && !strcmp(target, real)) {
			*parent = mdk_strdup(base);
			r = 1;
		} else if (!target && !is_absent(errno)) {
			r = -errno;
		}
		free(target);
		free(link);
	}
	mdk_error_clear(&e);
	free(real);
	return r;
}

int mdk_sysfs_parent_registered(const char *parent, struct mdk_error *e)
{
	return is_dir(mdk_path_parent_types(parent), e);
}

int mdk_sysfs_type_exists(const char *parent, const char *type, struct mdk_error *e)
{
	return is_dir(mdk_path_type(parent, type), e);
}

/* Read a sysfs attribute: a regular file of at most ATTR_MAX bytes of
 * UTF-8 text.  0, or -errno with e set (ENOENT when missing). */
static int read_attr_at(int dirfd, const char *name, const char *path, char **text,
			struct mdk_error *e)
{
	size_t len = 0;
	int r = mdk_read_regular_at(dirfd, dirfd == AT_FDCWD ? path : name, ATTR_MAX, 0, text, &len);

	if (r == 0 && (!mdk_utf8_valid(*text, len) || strlen(*text) != len)) {
		free(*text);
		*text = NULL;
		r = -EILSEQ;
	}
	if (r == -EBADFD)
		return mdk_fail(e, "Unable to read \"%s\": it is not a regular file, as every sysfs "
				"attribute is; remove what was put in its place", path);
	if (r == -EFBIG)
		return mdk_fail(e, "Unable to read \"%s\": it is larger than %d bytes, which no sysfs "
				"attribute is; check what provides this file", path, ATTR_MAX);
	if (r == -EILSEQ)
		return mdk_fail(e, "Unable to read \"%s\": it is not text (NUL bytes or not UTF-8); "
				"check what provides this file", path);
	if (r < 0)
		return mdk_fail_errno(e, -r, "Unable to read \"%s\"", path);
	return 0;
}

static int read_attr(const char *path, char **text, struct mdk_error *e)
{
	return read_attr_at(AT_FDCWD, path, path, text, e);
}

/* A decimal that fits a signed 32-bit integer, as Rust's i32::from_str. */
static int parse_i32(const char *s, long long *out)
{
	const char *p = s;
	long long v = 0;
	bool neg = false;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return -EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (*p - '0');
		if (v > (long long)INT_MAX + 1)
			return -EINVAL;
	}
	v = neg ? -v : v;
	if (v > INT_MAX || v < INT_MIN)
		return -EINVAL;
	*out = v;
	return 0;
}

/* available_instances of the type directory type_fd (or AT_FDCWD) */
static int available_at(int type_fd, const char *parent, const char *type, long long *out,
			struct mdk_error *e)
{
	char *path = mdk_path_type_attr(parent, type, "available_instances");
	char *text;
	int r = read_attr_at(type_fd, "available_instances", path, &text, e);

	if (r == 0) {
		if (parse_i32(mdk_strstrip(text), out) < 0) {
			char *shown = mdk_str_excerpt(text, EXCERPT_MAX);
			r = mdk_fail(e, "Unable to parse \"%s\": '%s' is not a number", path, shown);
			free(shown);
		}
		free(text);
	}
	free(path);
	return r;
}

int mdk_sysfs_available(const char *parent, const char *type, long long *out, struct mdk_error *e)
{
	return available_at(AT_FDCWD, parent, type, out, e);
}

/* Optional text attribute: trimmed, NULL if missing or empty; one that
 * cannot be read is left out with a warning. */
static char *optional_attr(int type_fd, const char *parent, const char *type, const char *file)
{
	char *path = mdk_path_type_attr(parent, type, file);
	char *text = NULL;
	struct mdk_error e = MDK_ERROR_INIT;
	int r = read_attr_at(type_fd, file, path, &text, &e);

	free(path);
	if (r < 0) {
		if (e.code == ENOENT)
			mdk_error_clear(&e);
		else
			mdk_warn_error(&e, "Leaving out the %s of %s: %m", file, type);
		return NULL;
	}
	mdk_strstrip(text);
	if (!*text) {
		free(text);
		return NULL;
	}
	return text;
}

static char *join_lines(const char *text)
{
	struct mdk_buf b = MDK_BUF_INIT;

	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			mdk_buf_adds(&b, ", ");
		else
			mdk_buf_add(&b, p, 1);
	}
	return mdk_buf_steal(&b);
}

void mdk_type_infos_free(struct mdk_type_info *types, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(types[i].type);
		free(types[i].device_api);
		free(types[i].name);
		free(types[i].description);
		free(types[i].raw_description);
	}
	free(types);
}

int mdk_sysfs_types(const char *parent, struct mdk_type_info **types, size_t *n,
		    struct mdk_error *e)
{
	char *dir = mdk_path_parent_types(parent);
	char **names;
	struct mdk_type_info *v = NULL;
	size_t count = 0;
	int r = mdk_list_dir(dir, &names, NULL);

	if (r < 0) {
		r = mdk_fail_errno(e, -r, "Unable to read directory \"%s\"", dir);
		free(dir);
		return r;
	}
	keep_valid(names, MDK_NAME_TYPE, dir);
	/* each type and its attributes are looked up from the open
	 * directory: a path walked from / is a trip into sysfs per component */
	int types_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (char **name = names; *name && r == 0; name++) {
		char *type_dir = mdk_path_type(parent, *name);
		int type_fd = types_fd < 0 ? AT_FDCWD :
			      openat(types_fd, *name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		struct stat st;
		/* as stat() of the directory: missing or not one is a "no" */
		r = types_fd < 0 ? stat_answer(type_dir, stat(type_dir, &st) < 0 ? -errno : S_ISDIR(st.st_mode), e)
				 : stat_answer(type_dir, type_fd < 0 ? -errno : 1, e);
		free(type_dir);
		if (r <= 0)
			continue;
		struct mdk_type_info t = { NULL, 0, NULL, NULL, NULL, NULL };
		t.type = mdk_strdup(*name);
		char *api_path = mdk_path_type_attr(parent, *name, "device_api");
		r = available_at(type_fd, parent, *name, &t.available, e);
		if (r == 0)
			r = read_attr_at(type_fd, "device_api", api_path, &t.device_api, e);
		free(api_path);
		if (r == 0) {
			mdk_strstrip(t.device_api);
			t.name = optional_attr(type_fd, parent, *name, "name");
			t.raw_description = optional_attr(type_fd, parent, *name, "description");
			t.description = t.raw_description ? join_lines(t.raw_description) : NULL;
		}
		if (type_fd >= 0)
			close(type_fd);
		v = mdk_reallocarray(v, count + 1, sizeof(*v));
		v[count++] = t;
	}
	if (types_fd >= 0)
		close(types_fd);
	mdk_strv_free(names);
	free(dir);
	if (r < 0) {
		mdk_type_infos_free(v, count);
		return r;
	}
	*types = v;
	*n = count;
	return 0;
}

/* One write() of exactly these bytes, as the kernel's store functions
 * expect; the errno is the driver's answer. */
static int write_attr(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	size_t len = strlen(value);
	ssize_t w = write(fd, value, len);
	int r = w < 0 ? -errno : (size_t)w != len ? -EIO : 0;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

int mdk_sysfs_create(const char *parent, const char *type, const char *uuid, struct mdk_error *e)
{
	char *path = mdk_path_type_attr(parent, type, "create");
	int r = write_attr(path, uuid);

	free(path);
	if (r < 0)
		return mdk_fail_errno(e, -r, "Failed to create mdev %s, type %s on %s", uuid, type, parent);
	return 0;
}

int mdk_sysfs_remove(const char *uuid, struct mdk_error *e)
{
	char *path = mdk_path_mdev_attr(uuid, "remove");
	int r = write_attr(path, "1");

	free(path);
	if (r < 0)
		return mdk_fail_errno(e, -r, "Error removing device %s", uuid);
	return 0;
}

int mdk_sysfs_attr_exists(const char *uuid, const char *attr, struct mdk_error *e)
{
	char *path = mdk_path_mdev_attr(uuid, attr);
	struct stat st;
	int r = stat_answer(path, stat(path, &st) < 0 ? -errno : 1, e);

	free(path);
	return r;
}

int mdk_sysfs_write_attr(const char *uuid, const char *attr, const char *value, struct mdk_error *e)
{
	char *path = mdk_path_mdev_attr(uuid, attr);
	int r = write_attr(path, value);

	free(path);
	if (r < 0)
		return mdk_fail_errno(e, -r, "Failed to write %s to attribute %s", value, attr);
	return 0;
}

int mdk_sysfs_iommu_group(const char *uuid, char **group, struct mdk_error *e)
{
	char *link = mdk_path_mdev_attr(uuid, "iommu_group");
	char *target = realpath(link, NULL);
	int r = 1;

	*group = NULL;
	if (target)
		*group = base_name(target);
	else if (is_absent(errno))
		r = 0;
	else
		r = mdk_fail_errno(e, errno, "Unable to resolve \"%s\"", link);
	free(target);
	free(link);
	return r;
}

int mdk_sysfs_group_mdev(const char *group, struct mdk_mdev *out, struct mdk_error *e)
{
	char *dir = mdk_path_iommu_group_devices(group);
	char **names;
	int r = mdk_list_dir(dir, &names, NULL);

	if (r < 0) {
		r = is_absent(-r) ? 0 : mdk_fail_errno(e, -r, "Unable to read \"%s\"", dir);
		free(dir);
		return r;
	}
	/* an emulated group holds its one mdev; anything else is not ours */
	for (char **p = names; *p && r == 0; p++) {
		if (mdk_uuid_is_canonical(*p))
			r = mdk_sysfs_lookup(*p, out, e);
	}
	mdk_strv_free(names);
	free(dir);
	return r;
}

int mdk_sysfs_read_pci_attr(const char *parent, const char *file, char **text, struct mdk_error *e)
{
	char *path = mdk_path_pci_attr(parent, file);
	int r = read_attr(path, text, e);

	free(path);
	return r;
}

int mdk_sysfs_read_type_attr(const char *parent, const char *type, const char *file, char **text,
			     struct mdk_error *e)
{
	char *path = mdk_path_type_attr(parent, type, file);
	int r = read_attr(path, text, e);

	free(path);
	return r;
}
