// SPDX-License-Identifier: LGPL-2.1-or-later
#include "conf-internal.h"
#include "mdevkit/util.h"

#define CONF_MAX 65536

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* one line, NUL-terminated and writable */
static int parse_line(char *line, const char *path, unsigned no, const char *example,
		      mdk_conf_setting_fn fn, void *data, struct mdk_error *e)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	mdk_strstrip(line);
	if (!*line)
		return 0;
	char *eq = strchr(line, '=');
	if (!eq) {
		char *shown = mdk_str_excerpt(line, 80);
		int r = mdk_fail(e, "%s:%u: \"%s\" is not \"key = value\"; write \"%s\" or remove the line",
				 path, no, shown, example);
		free(shown);
		return r;
	}
	*eq = '\0';
	return fn(mdk_strstrip(line), mdk_strstrip(eq + 1), path, no, data, e);
}

int mdk_conf_parse(const char *text, size_t len, const char *path, const char *example,
		   mdk_conf_setting_fn fn, void *data, struct mdk_error *e)
{
	if (memchr(text, '\0', len))
		return mdk_fail(e, "%s: contains a NUL byte; it must be a text file of \"key = value\" lines",
				path);
	char *copy = mdk_strndup(text, len);
	int r = 0;
	unsigned no = 1;

	for (char *line = copy, *next; line && r == 0; line = next, no++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		r = parse_line(line, path, no, example, fn, data, e);
	}
	free(copy);
	return r;
}

int mdk_conf_load(const char *path, const char *example, mdk_conf_setting_fn fn, void *data,
		  struct mdk_error *e)
{
	char *text = NULL;
	size_t len = 0;
	int r = mdk_read_file(path, CONF_MAX, &text, &len);

	if (r == -ENOENT)
		r = 0;
	else if (r < 0)
		r = mdk_fail_errno(e, -r, "Unable to read \"%s\"", path);
	else
		r = mdk_conf_parse(text, len, path, example, fn, data, e);
	free(text);
	return r;
}
