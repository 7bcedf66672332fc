/* See events.h. */
#include "events.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util.h"

void events_add(struct events *ev, const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	sb_puts(&b, "\n");
	if (!ev->line)
		ev->line = xcalloc(EVENTS_MAX, sizeof(*ev->line));
	size_t slot = (ev->head + ev->count) % EVENTS_MAX;
	if (ev->count == EVENTS_MAX) {
		free(ev->line[ev->head]);
		ev->head = (ev->head + 1) % EVENTS_MAX;
	} else {
		ev->count++;
	}
	ev->line[slot] = sb_take(&b, NULL);
}

char *events_text(const struct events *ev, size_t *len)
{
	struct sbuf b = { 0 };
	for (size_t i = 0; i < ev->count; i++)
		sb_puts(&b, ev->line[(ev->head + i) % EVENTS_MAX]);
	return sb_take(&b, len);
}

void events_clear(struct events *ev)
{
	for (size_t i = 0; i < ev->count; i++)
		free(ev->line[(ev->head + i) % EVENTS_MAX]);
	free(ev->line);
	ev->line = NULL;
	ev->head = ev->count = 0;
}
