// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(void)
{
	static const char msg[] = "mdevkit: out of memory\n";

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing left to report it with */
	}
	abort();
}

void *mdk_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *mdk_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *mdk_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *mdk_reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	return mdk_realloc(p, n * size);
}

char *mdk_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *mdk_strndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		oom();
	return p;
}

char *mdk_vasprintf(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		oom();
	return p;
}

char *mdk_asprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *p = mdk_vasprintf(fmt, ap);
	va_end(ap);
	return p;
}

static void buf_reserve(struct mdk_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = mdk_realloc(b->data, cap);
	b->cap = cap;
}

void mdk_buf_add(struct mdk_buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void mdk_buf_adds(struct mdk_buf *b, const char *s)
{
	mdk_buf_add(b, s, strlen(s));
}

void mdk_buf_printf(struct mdk_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *s = mdk_vasprintf(fmt, ap);
	va_end(ap);
	mdk_buf_adds(b, s);
	free(s);
}

char *mdk_buf_steal(struct mdk_buf *b)
{
	char *s = b->data ? b->data : mdk_strdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void mdk_buf_free(struct mdk_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* read(), retrying EINTR; a regular file opened O_NONBLOCK (so that a
 * FIFO in its place could not block the open) reads as if blocking: only a
 * file system that answers later (FUSE) says EAGAIN, and then the flag
 * goes, so the common case costs no fcntl(). */
static ssize_t read_blocking(int fd, void *buf, size_t n)
{
	bool cleared = false;

	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || cleared)
			return -1;
		cleared = true;
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
			return -1;
	}
}

/* Append what is left in fd to b: at most max bytes in all (more is
 * EFBIG).  0 or -errno. */
static int read_rest(int fd, size_t max, bool regular, struct mdk_buf *b)
{
	char chunk[4096];

	for (;;) {
		ssize_t r = regular ? read_blocking(fd, chunk, sizeof(chunk)) : read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		if (b->len + (size_t)r > max)
			return -EFBIG;
		mdk_buf_add(b, chunk, (size_t)r);
	}
}

static int buf_result(struct mdk_buf *b, int r, char **data, size_t *len)
{
	if (r < 0) {
		mdk_buf_free(b);
		return r;
	}
	if (len)
		*len = b->len;
	*data = mdk_buf_steal(b);
	return 0;
}

int mdk_read_fd(int fd, size_t max, char **data, size_t *len)
{
	struct mdk_buf b = MDK_BUF_INIT;

	return buf_result(&b, read_rest(fd, max, false, &b), data, len);
}

/* One read() of size + 1 bytes: getting fewer is the end of the file.
 * More (the file grew, or its size is not its length) is read the
 * general way. */
static int read_sized(int fd, size_t size, size_t max, char **data, size_t *len)
{
	char *head = mdk_malloc(size + 2);
	ssize_t n;

	n = read_blocking(fd, head, size + 1);
	if (n < 0) {
		int err = errno;
		free(head);
		return -err;
	}
	head[n] = '\0';
	struct mdk_buf b = { head, (size_t)n, size + 2 };
	int r = (size_t)n > max ? -EFBIG : (size_t)n > size ? read_rest(fd, max, true, &b) : 0;
	return buf_result(&b, r, data, len);
}

int mdk_read_regular(const char *path, size_t max, int flags, char **data, size_t *len)
{
	return mdk_read_regular_at(AT_FDCWD, path, max, flags, data, len);
}

int mdk_read_regular_at(int dirfd, const char *name, size_t max, int flags, char **data,
			size_t *len)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC |
			    (flags & MDK_READ_NOFOLLOW ? O_NOFOLLOW : 0));
	struct stat st;
	int r = fd < 0 ? -errno : fstat(fd, &st) < 0 ? -errno : 0;

	*data = NULL;
	if (r == 0 && !S_ISREG(st.st_mode))
		r = -EBADFD;
	if (r == 0 && (size_t)st.st_size > max)
		r = -EFBIG;
	if (r == 0)
		r = read_sized(fd, (size_t)st.st_size, max, data, len);
	if (fd >= 0)
		close(fd);
	return r;
}

int mdk_read_file(const char *path, size_t max, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	int r = mdk_read_fd(fd, max, data, len);
	close(fd);
	return r;
}

int mdk_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *mdk_strstrip(char *s)
{
	size_t n = strlen(s);

	while (n && is_space(s[n - 1]))
		s[--n] = '\0';
	size_t i = 0;
	while (is_space(s[i]))
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
	return s;
}

bool mdk_str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *mdk_str_excerpt(const char *s, size_t max)
{
	struct mdk_buf b = MDK_BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	bool utf8 = mdk_utf8_valid(s, strlen(s));

	for (; *p && b.len < max; p++) {
		if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && !utf8))
			mdk_buf_printf(&b, "\\x%02X", *p);
		else
			mdk_buf_add(&b, p, 1);
	}
	/* finish a multi-byte character rather than cut it */
	for (; utf8 && (*p & 0xc0) == 0x80; p++)
		mdk_buf_add(&b, p, 1);
	if (*p)
		mdk_buf_adds(&b, "...");
	return mdk_buf_steal(&b);
}

int mdk_strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool mdk_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		uint32_t cp;

		/* plain ASCII eight bytes at a time: most texts are nothing else */
		uint64_t word;
		if (n - i >= sizeof(word) && (memcpy(&word, s + i, sizeof(word)),
					      !(word & 0x8080808080808080ull))) {
			i += sizeof(word);
			continue;
		}
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (k >= n - i)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		/* overlong forms, surrogates and values past U+10FFFF */
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) ||
		    (k == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

void mdk_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static int dir_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mdk_dir_entry *)a)->name, ((const struct mdk_dir_entry *)b)->name);
}

void mdk_dir_entries_free(struct mdk_dir_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int mdk_dir_entries(DIR *d, struct mdk_dir_entry **v, size_t *n)
{
	struct mdk_dir_entry *e = NULL;
	size_t count = 0, cap = 0;

	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de)
			break;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 16;
			e = mdk_reallocarray(e, cap, sizeof(*e));
		}
		e[count].name = mdk_strdup(de->d_name);
		e[count++].type = de->d_type;
	}
	if (errno) {
		int err = errno;
		mdk_dir_entries_free(e, count);
		return -err;
	}
	if (count > 1)
		qsort(e, count, sizeof(*e), dir_entry_cmp);
	*v = e;
	*n = count;
	return 0;
}

int mdk_list_dir(const char *path, char ***names, size_t *n)
{
	DIR *d = opendir(path);
	struct mdk_dir_entry *e;
	size_t count;

	if (!d)
		return -errno;
	int r = mdk_dir_entries(d, &e, &count);
	closedir(d);
	if (r < 0)
		return r;
	char **v = mdk_reallocarray(NULL, count + 1, sizeof(*v));
	for (size_t i = 0; i < count; i++)
		v[i] = e[i].name; /* the names move over */
	v[count] = NULL;
	free(e);
	*names = v;
	if (n)
		*n = count;
	return 0;
}

int mdk_mkdir_p(const char *path, mode_t mode)
{
	char *p = mdk_strdup(path);
	int r = 0;

	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			r = -errno;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	if (r == 0) {
		struct stat st;
		if (stat(path, &st) < 0)
			r = -errno;
		else if (!S_ISDIR(st.st_mode))
			r = -ENOTDIR;
	}
	return r;
}
