// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel log reader (kmsg.h over lines.h): any bytes, fed through a
 * file as /dev/kmsg's records are, in chunks of any size.  Every record
 * handed out lies inside the input and has the level of its prefix;
 * lines, records and skipped lines add up.
 */
#include "fuzz.h"

#include "mdevkit/kmsg.h"
#include "mdevkit/util.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int check_record(const struct mdk_kmsg_record *r, void *userdata)
{
	size_t *count = userdata;

	FUZZ_ASSERT(r->level <= 7);
	FUZZ_ASSERT(r->text[r->len] == '\0');
	FUZZ_ASSERT(!memchr(r->text, '\n', r->len));
	(*count)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdk_kmsg_record rec;
	struct mdk_kmsg_stats st;
	size_t count = 0;
	int fd = memfd_create("kmsg", MFD_CLOEXEC);

	if (mdk_kmsg_parse((const char *)data, size, &rec) == 0) {
		FUZZ_ASSERT(rec.text >= (const char *)data &&
			    rec.text + rec.len == (const char *)data + size);
		FUZZ_ASSERT(rec.level <= 7);
	}
	FUZZ_ASSERT(fd >= 0);
	FUZZ_ASSERT(mdk_write_all(fd, data, size) == 0);
	FUZZ_ASSERT(lseek(fd, 0, SEEK_SET) == 0);
	FUZZ_ASSERT(mdk_kmsg_read_fd(fd, check_record, &count, &st) == 0);
	close(fd);
	FUZZ_ASSERT(count == st.records);
	FUZZ_ASSERT(st.records + st.continuations + st.malformed == st.lines.lines);
	FUZZ_ASSERT(st.lines.lines + st.lines.overlong <= size + 1);
	return 0;
}
