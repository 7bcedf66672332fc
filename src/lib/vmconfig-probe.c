// SPDX-License-Identifier: LGPL-2.1-or-later
/* What the installed libvirt and QEMU are: their own answers, with a
 * short timeout (a hung program must not hang `mdevkit xml`). */
#include "mdevkit/vmconfig.h"

#include "mdevkit/run.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROBE_TIMEOUT_S 5
#define QEMU_PROGRAM "qemu-system-x86_64"

/* name in PATH (as execvp searches it), or NULL */
static char *find_program(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = mdk_strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	char *save = NULL, *found = NULL;

	for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *p = mdk_asprintf("%s/%s", dir, name);
		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

/* Run name with args; 1 with *out (its stdout) when it exited 0, 0 when it
 * is not installed, failed or timed out. */
static int ask(const char *name, const char *arg1, const char *arg2, char **out)
{
	char *path = find_program(name);
	struct mdk_run r;
	int ok = 0;

	*out = NULL;
	if (!path)
		return 0;
	char *argv[] = { path, (char *)arg1, (char *)arg2, NULL };
	if (mdk_run_script(argv, NULL, 0, PROBE_TIMEOUT_S, &r) == 0) {
		if (!r.timed_out && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0) {
			*out = r.out;
			r.out = NULL;
			ok = 1;
		}
		mdk_run_free(&r);
	}
	free(path);
	return ok;
}

int mdk_libvirt_probe(struct mdk_version *v, struct mdk_error *e)
{
	static const char *const programs[] = { "virsh", "libvirtd" };

	for (size_t i = 0; i < MDK_ARRAY_SIZE(programs); i++) {
		char *out;
		if (!ask(programs[i], "--version", NULL, &out))
			continue;
		int r = mdk_version_find(out, v);
		free(out);
		if (r == 0)
			return 0;
	}
	return mdk_fail(e, "cannot tell the libvirt version: neither virsh --version nor "
			   "libvirtd --version answered; install libvirt-clients or give "
			   "--libvirt-version");
}

int mdk_qemu_probe(struct mdk_qemu_caps *c, struct mdk_error *e)
{
	static const char *const drivers[] = { "vfio-pci-nohotplug,help", "vfio-pci,help" };

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < MDK_ARRAY_SIZE(drivers); i++) {
		char *out;
		if (!ask(QEMU_PROGRAM, "-device", drivers[i], &out))
			continue;
		int n = mdk_qemu_parse_help(out, c);
		free(out);
		if (n > 0) {
			c->nohotplug = i == 0;
			return 0;
		}
	}
	return mdk_fail(e, "cannot tell which vfio-pci properties QEMU has: "
			   QEMU_PROGRAM " -device vfio-pci,help did not list them; install QEMU "
			   "(qemu-system-x86) or give --qemu-version");
}
