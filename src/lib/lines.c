// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/lines.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct reader {
	mdk_line_fn fn;
	void *userdata;
	struct mdk_lines_stats *st;
	unsigned long no;
	bool skipping;          /* inside a line that did not fit */
};

static int emit(struct reader *rd, char *line, size_t len)
{
	rd->no++;
	if (rd->skipping) {
		rd->skipping = false;
		rd->st->overlong++;
		return 0;
	}
	line[len] = '\0';
	rd->st->lines++;
	return rd->fn(line, len, rd->no, rd->userdata);
}

/* Hand over the complete lines of buf[0..*fill); keep the partial rest. */
static int drain(struct reader *rd, char *buf, size_t *fill)
{
	size_t start = 0;
	int r = 0;

	while (r == 0 && start < *fill) {
		char *nl = memchr(buf + start, '\n', *fill - start);
		if (!nl)
			break;
		r = emit(rd, buf + start, (size_t)(nl - (buf + start)));
		start = (size_t)(nl - buf) + 1;
	}
	memmove(buf, buf + start, *fill - start);
	*fill -= start;
	if (r == 0 && *fill == MDK_LINE_MAX) {
		/* no newline in a full buffer: drop it up to the next one */
		rd->skipping = true;
		*fill = 0;
	}
	return r;
}

int mdk_lines_fd(int fd, mdk_line_fn fn, void *userdata, struct mdk_lines_stats *st)
{
	struct mdk_lines_stats dummy = { 0, 0, 0 };
	struct reader rd = { fn, userdata, st ? st : &dummy, 0, false };
	/* one byte more for the NUL of a last line without '\n' */
	char *buf = mdk_malloc(MDK_LINE_MAX + 1);
	size_t fill = 0;
	int r = 0;

	for (;;) {
		ssize_t n = read(fd, buf + fill, MDK_LINE_MAX - fill);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				rd.st->overwritten++;
				continue;
			}
			if (errno != EAGAIN)
				r = -errno;
			break;
		}
		if (n == 0)
			break;
		fill += (size_t)n;
		if ((r = drain(&rd, buf, &fill)) != 0)
			break;
	}
	if (r == 0 && fill > 0)
		r = emit(&rd, buf, fill);
	free(buf);
	return r;
}

int mdk_lines_file(const char *path, mdk_line_fn fn, void *userdata, struct mdk_lines_stats *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	struct stat sb;

	if (fd < 0)
		return -errno;
	/* a regular file waits for its data (FUSE may answer later); only
	 * devices and FIFOs keep O_NONBLOCK */
	int r = fstat(fd, &sb) < 0 ? -errno : 0;
	if (r == 0 && S_ISDIR(sb.st_mode))
		r = -EISDIR;
	if (r == 0 && S_ISREG(sb.st_mode) && fcntl(fd, F_SETFL, 0) < 0)
		r = -errno;
	if (r == 0)
		r = mdk_lines_fd(fd, fn, userdata, st);
	close(fd);
	return r;
}
