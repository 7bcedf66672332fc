/* Small helpers shared by the simulator: allocation that never returns
 * NULL (a test double has no useful way to survive OOM) and a growable
 * string buffer. */
#ifndef SIMFS_UTIL_H
#define SIMFS_UTIL_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct sbuf {
	char *s;	/* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

void sb_add(struct sbuf *b, const void *data, size_t n);
void sb_puts(struct sbuf *b, const char *s);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* hand the buffer over (never NULL) and reset b */
char *sb_take(struct sbuf *b, size_t *len);
void sb_free(struct sbuf *b);

#endif
