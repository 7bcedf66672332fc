// SPDX-License-Identifier: LGPL-2.1-or-later
/* LD_PRELOAD for the bench rows "fsync a no-op": fsync and fdatasync
 * return at once, so what a write command costs apart from making its
 * writes durable can be compared with mdevctl, which makes no fsync.
 * bench/run builds it; it is no part of mdevkit. */
int fsync(int fd);
int fdatasync(int fd);

int fsync(int fd)
{
	(void)fd;
	return 0;
}

int fdatasync(int fd)
{
	(void)fd;
	return 0;
}
