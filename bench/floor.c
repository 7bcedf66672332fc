// SPDX-License-Identifier: LGPL-2.1-or-later
/* The floor of a listing: every definition file of the store read by the
 * least a C program can do (open, one read, close), nothing parsed or
 * printed.  bench/run builds it; it is no part of mdevkit.
 *
 *   floor STORE_DIR */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[4096];
	long files = 0;

	if (argc != 2)
		return 2;
	int top = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *store = top < 0 ? NULL : fdopendir(top);
	if (!store)
		return 1;
	for (struct dirent *p; (p = readdir(store));) {
		if (p->d_type != DT_DIR || p->d_name[0] == '.' || !strcmp(p->d_name, "scripts.d"))
			continue;
		int pfd = openat(top, p->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *parent = pfd < 0 ? NULL : fdopendir(pfd);
		if (!parent)
			continue;
		for (struct dirent *d; (d = readdir(parent));) {
			if (d->d_type != DT_REG)
				continue;
			int fd = openat(pfd, d->d_name, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (read(fd, buf, sizeof(buf)) > 0)
				files++;
			close(fd);
		}
		closedir(parent);
	}
	closedir(store);
	printf("%ld\n", files);
	return 0;
}
