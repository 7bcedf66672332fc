/* See mounts.h.  Unmount, then wait for the daemon to exit, so a caller
 * that removes the directory next (bats does) never races the daemon. */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sysfs.h"
#include "util.h"

#define FSTYPE "fuse.mdevkit-simfs"

/* undo mountinfo's octal escapes (\040 for a space, ...) in place */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

bool mount_find(const char *path, char **fstype, char **source)
{
	*fstype = *source = NULL;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	char *line = NULL;
	bool found = false;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		/* id parent maj:min root mountpoint opts [tags] - fstype src sopts */
		char *save = NULL, *mp = NULL, *t = strtok_r(line, " ", &save);
		for (int i = 0; t && i < 4; i++) {
			t = strtok_r(NULL, " ", &save);
			if (i == 3)
				mp = t;
		}
		if (!mp)
			continue;
		unescape(mp);
		if (strcmp(mp, path) != 0)
			continue;
		while ((t = strtok_r(NULL, " ", &save)) && strcmp(t, "-") != 0)
			;
		char *fs = t ? strtok_r(NULL, " ", &save) : NULL;
		char *src = fs ? strtok_r(NULL, " ", &save) : NULL;
		/* the last one stacked on path is the visible one */
		free(*fstype);
		free(*source);
		*fstype = xstrdup(fs ? fs : "?");
		*source = xstrdup(src ? src : "?");
		unescape(*source);
		found = true;
	}
	free(line);
	fclose(f);
	return found;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* "mdevkit-simfs:PID" -> PID; 0 if the source says nothing usable */
static pid_t source_pid(const char *source)
{
	const char *c = strchr(source, ':');
	if (!c)
		return 0;
	char *end;
	long pid = strtol(c + 1, &end, 10);
	return *end == '\0' && pid > 1 ? (pid_t)pid : 0;
}

/* /proc/<pid>/<file> into buf (NUL-terminated); its length, or 0 */
static ssize_t read_proc(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return n;
}

/* alive and still ours?  A zombie nobody reaps counts as gone. */
static bool daemon_alive(pid_t pid)
{
	char buf[512];
	if (!read_proc(pid, "stat", buf, sizeof(buf)))
		return false;
	const char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
}

/* is pid an mdevkit-simfs daemon (possibly under valgrind)? */
static bool is_ours(pid_t pid)
{
	char buf[4096];
	ssize_t n = read_proc(pid, "cmdline", buf, sizeof(buf));
	if (!n)
		return false;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	return strstr(buf, "mdevkit-simfs") != NULL;
}

static int run_fusermount(const char *mp, bool lazy)
{
	pid_t pid = fork();
	if (pid == 0) {
		execlp("fusermount3", "fusermount3", lazy ? "-uz" : "-u", "--", mp, (char *)NULL);
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int try_umount(const char *mp, bool lazy)
{
	if (geteuid() != 0)
		return run_fusermount(mp, lazy) == 0 ? 0 : EBUSY;
	if (umount2(mp, lazy ? MNT_DETACH : 0) == 0)
		return 0;
	return errno;
}

int umount_root(const char *root, bool lazy)
{
	char real[PATH_MAX];
	if (!realpath(root, real)) {
		fprintf(stderr, "mdevkit-simfs umount: %s: %s; pass the root given to mount\n", root,
			strerror(errno));
		return 1;
	}
	char *mp = xasprintf("%s/sys", strcmp(real, "/") == 0 ? "" : real);
	int status = 1;
	char *fstype, *source;
	if (!mount_find(mp, &fstype, &source)) {
		fprintf(stderr, "mdevkit-simfs umount: %s is not mounted; nothing to unmount\n", mp);
		goto out;
	}
	if (strcmp(fstype, FSTYPE) != 0) {
		fprintf(stderr, "mdevkit-simfs umount: %s is a %s mount, not " FSTYPE
			"; refusing to touch it\n", mp, fstype);
		goto out;
	}
	pid_t pid = source_pid(source);
	/* EBUSY: something still has a file open there; give it time,
	 * unless asked to detach anyway */
	int e = EBUSY;
	for (int i = 0; i < (lazy ? 1 : 100) && e == EBUSY; i++) {
		e = try_umount(mp, false);
		if (e == EBUSY && !lazy)
			sleep_ms(100);
	}
	bool detached = false;
	if (e == EBUSY && lazy) {
		e = try_umount(mp, true);
		detached = e == 0;
	}
	if (e && e != EINVAL) {
		fprintf(stderr, "mdevkit-simfs umount: %s: %s; close what uses it or use "
			"'mdevkit-simfs umount --lazy %s'\n", mp, strerror(e), root);
		goto out;
	}
	/* a detached mount lives on while files are open: stop the daemon
	 * (those files then fail with ENOTCONN) */
	if (detached && pid && is_ours(pid))
		kill(pid, SIGTERM);
	/* wait for the daemon (an ASan or valgrind build may take a while) */
	for (int i = 0; pid && i < 3000 && daemon_alive(pid); i++)
		sleep_ms(20);
	if (pid && daemon_alive(pid)) {
		fprintf(stderr, "mdevkit-simfs umount: daemon %ld did not exit after the unmount; "
			"killing it\n", (long)pid);
		if (is_ours(pid))
			kill(pid, SIGKILL);
		goto out;
	}
	status = 0;
out:
	free(fstype);
	free(source);
	free(mp);
	return status;
}
