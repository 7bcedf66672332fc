// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/env.h"
#include "mdevkit/kmsg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A decimal number of at most 20 digits ending at one of `ends`. */
static const char *number(const char *p, const char *end, const char *ends,
			  unsigned long long *out)
{
	unsigned long long v = 0;
	const char *start = p;

	while (p < end && *p >= '0' && *p <= '9') {
		if (v > (~0ULL - 9) / 10)
			return NULL;
		v = v * 10 + (unsigned)(*p++ - '0');
	}
	if (p == start || p == end || !strchr(ends, *p))
		return NULL;
	*out = v;
	return p;
}

int mdk_kmsg_parse(const char *line, size_t len, struct mdk_kmsg_record *r)
{
	const char *end = line + len, *p = line;
	const char *semi = memchr(line, ';', len);
	unsigned long long pri, seq, usec;

	if (!semi)
		return -EINVAL;
	if (!(p = number(p, semi, ",", &pri)) || !(p = number(p + 1, semi, ",", &seq)) ||
	    !(p = number(p + 1, semi, ",;", &usec)))
		return -EINVAL;
	/* FLAGS and what newer kernels add (",caller=T1") up to ';' */
	if (pri > 0xffffffULL)
		return -EINVAL;
	r->level = (unsigned)(pri & 7);
	r->facility = (unsigned)(pri >> 3);
	r->seq = seq;
	r->usec = usec;
	r->text = semi + 1;
	r->len = (size_t)(end - (semi + 1));
	return 0;
}

struct kmsg_reader {
	mdk_kmsg_fn fn;
	void *userdata;
	struct mdk_kmsg_stats *st;
};

static int one_line(char *line, size_t len, unsigned long no, void *userdata)
{
	struct kmsg_reader *kr = userdata;
	struct mdk_kmsg_record rec;

	(void)no;
	if (len > 0 && line[0] == ' ') {
		kr->st->continuations++;
		return 0;
	}
	if (mdk_kmsg_parse(line, len, &rec) < 0) {
		kr->st->malformed++;
		return 0;
	}
	kr->st->records++;
	return kr->fn(&rec, kr->userdata);
}

int mdk_kmsg_read_fd(int fd, mdk_kmsg_fn fn, void *userdata, struct mdk_kmsg_stats *st)
{
	struct mdk_kmsg_stats dummy;
	struct kmsg_reader kr = { fn, userdata, st ? st : &dummy };

	memset(kr.st, 0, sizeof(*kr.st));
	return mdk_lines_fd(fd, one_line, &kr, &kr.st->lines);
}

int mdk_kmsg_read(mdk_kmsg_fn fn, void *userdata, struct mdk_kmsg_stats *st,
		  struct mdk_error *e)
{
	struct mdk_kmsg_stats dummy;
	struct kmsg_reader kr = { fn, userdata, st ? st : &dummy };
	char *path = mdk_path_kmsg();
	int r;

	memset(kr.st, 0, sizeof(*kr.st));
	/* at the end of the records /dev/kmsg answers EAGAIN (lines.h opens
	 * it with O_NONBLOCK) instead of waiting for the next one */
	r = mdk_lines_file(path, one_line, &kr, &kr.st->lines);
	if (r < 0)
		mdk_fail_errno(e, -r, "Unable to read the kernel log \"%s\"",
			       mdk_path_unrooted(path));
	free(path);
	return r;
}
