// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Is a link in the store managed by root (store-internal.h)?  The walk
 * opens one component at a time with O_PATH | O_NOFOLLOW and judges what
 * it opened (fstat of that fd), so what is judged is what gets read.
 */
#include "store-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* links followed in one walk, as the kernel allows in one lookup */
#define MAX_LINKS 40
/* directories held open at once (one each, for ..) */
#define MAX_DEPTH 256

struct walk {
	int *fds;               /* the directories from the root down */
	size_t *shown_len;      /* length of `shown` at each of them */
	size_t depth, cap;
	struct mdk_buf shown;   /* the path so far, from the root prefix */
	char *why;
};

static const char *shown(struct walk *w)
{
	return w->shown.len ? w->shown.data : "/";
}

/* The walk ends here: not managed, for this reason.  Returns 0. */
static int not_managed(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int not_managed(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(w->why);
	w->why = mdk_vasprintf(fmt, ap);
	va_end(ap);
	return 0;
}

/* Only root may change it: owner root, no write bit for group and others
 * (unless a sticky directory, where only root moves root's entries). */
static int check_owner(struct walk *w, const struct stat *st)
{
	if (st->st_uid != 0)
		return not_managed(w, "\"%s\" is owned by uid %u, not root", shown(w),
				   (unsigned)st->st_uid);
	if (!S_ISLNK(st->st_mode) && (st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
		return not_managed(w, "\"%s\" is writable by group or others", shown(w));
	return 1;
}

static void push(struct walk *w, int fd)
{
	if (w->depth == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->fds = mdk_reallocarray(w->fds, w->cap, sizeof(*w->fds));
		w->shown_len = mdk_reallocarray(w->shown_len, w->cap, sizeof(*w->shown_len));
	}
	w->fds[w->depth] = fd;
	w->shown_len[w->depth++] = w->shown.len;
}

/* Back to `depth` directories (1: the root). */
static void pop_to(struct walk *w, size_t depth)
{
	while (w->depth > depth)
		close(w->fds[--w->depth]);
	w->shown.len = w->shown_len[w->depth - 1];
	if (w->shown.data)
		w->shown.data[w->shown.len] = '\0';
}

static char *read_link(int fd)
{
	char buf[PATH_MAX];
	ssize_t n = readlinkat(fd, "", buf, sizeof(buf));

	if (n <= 0 || (size_t)n >= sizeof(buf))
		return NULL;
	return mdk_strndup(buf, (size_t)n);
}

/* The next component of *rest (skipping slashes), cut out in place; NULL
 * at the end. */
static char *next_component(char **rest)
{
	char *p = *rest, *c;

	while (*p == '/')
		p++;
	if (!*p)
		return NULL;
	c = p;
	p += strcspn(p, "/");
	if (*p)
		*p++ = '\0';
	*rest = p;
	return c;
}

static bool only_slashes(const char *p)
{
	return p[strspn(p, "/")] == '\0';
}

/* The end of the walk, the file `name` in the current directory, stat'ed
 * as `st`: open it for reading and make sure it is the same file. */
static int open_end_file(struct walk *w, const char *name, const struct stat *st, int *out)
{
	struct stat again;
	int fd = openat(w->fds[w->depth - 1], name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &again) < 0 || again.st_dev != st->st_dev || again.st_ino != st->st_ino) {
		close(fd);
		return not_managed(w, "\"%s\" changed while it was checked", shown(w));
	}
	*out = fd;
	return 1;
}

static int walk(struct walk *w, const char *root, const char *abs, bool want_dir, int *out)
{
	char *path = mdk_strdup(abs), *rest = path, *name;
	unsigned links = 0;
	struct stat st;
	int r, fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		r = -errno;
		goto out;
	}
	push(w, fd);
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	r = check_owner(w, &st);
	while (r > 0 && (name = next_component(&rest))) {
		bool last = only_slashes(rest);

		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			/* never above the root prefix, as at / */
			pop_to(w, w->depth > 1 ? w->depth - 1 : 1);
			continue;
		}
		fd = openat(w->fds[w->depth - 1], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		mdk_buf_printf(&w->shown, "/%s", name);
		if (fd < 0) {
			r = err == ENOENT || err == ENOTDIR ?
				not_managed(w, "\"%s\" does not exist", shown(w)) : -err;
			break;
		}
		r = fstat(fd, &st) < 0 ? -errno : check_owner(w, &st);
		if (r <= 0) {
			close(fd);
			break;
		}
		if (S_ISDIR(st.st_mode) && w->depth >= MAX_DEPTH) {
			close(fd);
			r = not_managed(w, "more than %d directories deep", MAX_DEPTH);
		} else if (S_ISDIR(st.st_mode)) {
			push(w, fd);
		} else if (S_ISLNK(st.st_mode)) {
			char *target = ++links > MAX_LINKS ? NULL : read_link(fd);
			close(fd);
			if (!target) {
				r = links > MAX_LINKS ?
					not_managed(w, "more than %d links on the way (a loop?)", MAX_LINKS) :
					not_managed(w, "the link \"%s\" cannot be read", shown(w));
				break;
			}
			/* the target goes in front of what is left */
			char *next = mdk_asprintf("%s/%s", target, rest);
			pop_to(w, target[0] == '/' ? 1 : w->depth);
			free(target);
			free(path);
			path = rest = next;
		} else if (S_ISREG(st.st_mode) && last && !want_dir) {
			r = open_end_file(w, name, &st, out);
			close(fd);
			goto out;
		} else {
			close(fd);
			r = not_managed(w, "\"%s\" is not %s", shown(w),
					want_dir || !last ? "a directory" : "a regular file");
		}
	}
	if (r > 0 && !want_dir)
		r = not_managed(w, "\"%s\" is a directory", shown(w));
	if (r > 0 && (*out = fcntl(w->fds[w->depth - 1], F_DUPFD_CLOEXEC, 0)) < 0)
		r = -errno;
out:
	free(path);
	return r;
}

int mdk_managed_open(const char *path, bool want_dir, int *fd, char **why)
{
	struct walk w = { NULL, NULL, 0, 0, MDK_BUF_INIT, NULL };
	char *root = mdk_path_root();
	size_t n = strcmp(root, "/") ? strlen(root) : 0;
	int r;

	*fd = -1;
	*why = NULL;
	/* paths from env.h: the root prefix, then an absolute path */
	if (strncmp(path, root, n) || path[n] != '/')
		r = -EINVAL;
	else
		r = walk(&w, root, path + n, want_dir, fd);
	if (r == 0)
		*why = w.why ? w.why : mdk_strdup("it is not managed");
	else
		free(w.why);
	while (w.depth)
		close(w.fds[--w.depth]);
	free(w.fds);
	free(w.shown_len);
	mdk_buf_free(&w.shown);
	free(root);
	return r;
}
