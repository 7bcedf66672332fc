/* The uevents the kernel would emit, kept as text lines so tests can
 * compare them: "ACTION DEVPATH KEY=VALUE...".  Bounded: the oldest lines
 * are dropped once EVENTS_MAX is reached (seq keeps counting). */
#ifndef SIMFS_EVENTS_H
#define SIMFS_EVENTS_H

#include <stddef.h>

#define EVENTS_MAX 10000

struct events {
	char **line;	/* ring of EVENTS_MAX entries, allocated on first use */
	size_t head;	/* index of the oldest line */
	size_t count;
};

void events_add(struct events *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* all lines, each ending in '\n'; caller frees */
char *events_text(const struct events *ev, size_t *len);
void events_clear(struct events *ev);

#endif
