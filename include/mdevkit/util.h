/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small helpers shared by every module: allocation that never returns
 * NULL (running out of memory ends the program with a message, like
 * libkmod's tools), a growable string buffer, whole-file reads.
 */
#ifndef MDEVKIT_UTIL_H
#define MDEVKIT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

void *mdk_malloc(size_t n);
void *mdk_calloc(size_t n, size_t size);
void *mdk_realloc(void *p, size_t n);
void *mdk_reallocarray(void *p, size_t n, size_t size);
char *mdk_strdup(const char *s);
char *mdk_strndup(const char *s, size_t n);
char *mdk_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *mdk_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

struct mdk_buf {
	char *data;  /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};
#define MDK_BUF_INIT { NULL, 0, 0 }

void mdk_buf_add(struct mdk_buf *b, const void *data, size_t n);
void mdk_buf_adds(struct mdk_buf *b, const char *s);
void mdk_buf_printf(struct mdk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The contents as a NUL-terminated string owned by the caller ("" if empty);
 * the buffer is left empty. */
char *mdk_buf_steal(struct mdk_buf *b);
void mdk_buf_free(struct mdk_buf *b);

/* Read a whole file (at most `max` bytes; more is EFBIG) into a
 * NUL-terminated buffer.  Returns 0 or -errno. */
int mdk_read_file(const char *path, size_t max, char **data, size_t *len);
/* Read a regular file of at most `max` bytes into a NUL-terminated buffer,
 * with one read() when its size is its length.  Anything else in its place
 * (a FIFO, a device node, a directory) is refused without blocking
 * (EBADFD); with MDK_READ_NOFOLLOW a symlink is too (ELOOP).  More than
 * `max` bytes is EFBIG.  0 or -errno (*data is NULL then). */
#define MDK_READ_NOFOLLOW 1
int mdk_read_regular(const char *path, size_t max, int flags, char **data, size_t *len);
/* The same for `name` relative to the directory `dirfd` (or AT_FDCWD). */
int mdk_read_regular_at(int dirfd, const char *name, size_t max, int flags, char **data,
			size_t *len);
/* Read everything from fd up to `max` bytes (more is EFBIG). 0 or -errno. */
int mdk_read_fd(int fd, size_t max, char **data, size_t *len);
/* Write all of buf to fd, retrying short writes and EINTR. 0 or -errno. */
int mdk_write_all(int fd, const void *buf, size_t len);

/* Strip leading and trailing ASCII whitespace in place; returns s. */
char *mdk_strstrip(char *s);
bool mdk_str_has_prefix(const char *s, const char *prefix);
/* A copy of s for one line of a message: control characters, and every
 * byte past 0x7f when s is not UTF-8, as \xNN; cut to about max bytes (at
 * a UTF-8 boundary) with "..." when longer (SIZE_MAX: never).  The one
 * escaper of message text. */
char *mdk_str_excerpt(const char *s, size_t max);
/* Byte-wise comparison for qsort over arrays of char *. */
int mdk_strcmp_ptr(const void *a, const void *b);
/* True if the n bytes at s are valid UTF-8. */
bool mdk_utf8_valid(const char *s, size_t n);

/* Sorted names of the entries of a directory (without . and ..).
 * Returns 0 or -errno; *names is a NULL-terminated array. */
int mdk_list_dir(const char *path, char ***names, size_t *n);
void mdk_strv_free(char **v);
/* An entry of a directory with its type as getdents gave it (DT_*, maybe
 * DT_UNKNOWN), so a scan need not look each one up again. */
struct mdk_dir_entry {
	char *name;
	unsigned char type;
};
struct __dirstream;
/* Sorted entries (without . and ..) of an open directory stream.  0 or
 * -errno. */
int mdk_dir_entries(struct __dirstream *d, struct mdk_dir_entry **v, size_t *n);
void mdk_dir_entries_free(struct mdk_dir_entry *v, size_t n);

/* mkdir -p with the given mode for every created component. 0 or -errno. */
int mdk_mkdir_p(const char *path, mode_t mode);

#define MDK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
