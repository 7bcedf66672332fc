// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mdevkit-gvt's argument and stdin handling (mdk_gvt_callout), as mdevctl
 * drives it.  An input is argv text up to the first NUL byte, one
 * argument per line, and then the bytes of stdin.  The callout reads
 * sysfs under MDEVCTL_ENV_ROOT: a fixture built here in $TMPDIR (an i915
 * GVT-g parent with a 512 MiB aperture, so one type is hidden, one vGPU
 * running, and an mtty parent), removed at exit.  The callout writes no
 * file; stdout and stderr are best closed (-close_fd_mask=3).
 */
#include "fuzz.h"

#include "gvt-callout.h"
#include "mdevkit/gvt.h"
#include "mdevkit/util.h"

#include <ftw.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ARGS 32
#define GPU "sys/devices/pci0000:00/0000:00:02.0"
#define RUNNING "11111111-0000-4000-8000-000000000001"

static char root[256];
static int stdin_fd = -1;

static void put(const char *rel, const char *text)
{
	char *path = mdk_asprintf("%s/%s", root, rel);
	char *dir = mdk_strdup(path);

	*strrchr(dir, '/') = '\0';
	FUZZ_ASSERT(mdk_mkdir_p(dir, 0755) == 0);
	if (text) {
		FILE *f = fopen(path, "w");
		FUZZ_ASSERT(f && fputs(text, f) >= 0 && fclose(f) == 0);
	} else {
		FUZZ_ASSERT(mdk_mkdir_p(path, 0755) == 0);
	}
	free(dir);
	free(path);
}

static void link_to(const char *target, const char *rel)
{
	char *path = mdk_asprintf("%s/%s", root, rel);
	char *dir = mdk_strdup(path);

	*strrchr(dir, '/') = '\0';
	FUZZ_ASSERT(mdk_mkdir_p(dir, 0755) == 0);
	FUZZ_ASSERT(symlink(target, path) == 0);
	free(dir);
	free(path);
}

static void gvt_parent(void)
{
	const struct mdk_gvt_host host = { 5, 512, MDK_GVT_DEFAULT_GGTT_MIB };
	struct mdk_gvt_set used = { { 0, 1, 0, 0 } };

	put(GPU "/resource", "0x00000000f6000000 0x00000000f6ffffff 0x0000000000140204\n"
			     "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
			     "0x0000004000000000 0x000000401fffffff 0x000000000014220c\n");
	put("sys/bus/pci/drivers/i915", NULL);
	link_to("../../bus/pci/drivers/i915", GPU "/driver");
	link_to("../../devices/pci0000:00/0000:00:02.0", "sys/class/mdev_bus/0000:00:02.0");
	link_to("../../../devices/pci0000:00/0000:00:02.0", "sys/bus/pci/devices/0000:00:02.0");
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		const struct mdk_gvt_type *t = &mdk_gvt_table[i];
		if (!mdk_gvt_visible(&host, i))
			continue;
		char *name = mdk_gvt_type_name(5, i);
		char *dir = mdk_asprintf(GPU "/mdev_supported_types/%s", name);
		char *rel = mdk_asprintf("%s/description", dir);
		char *text = mdk_asprintf("low_gm_size: %uMB\nhigh_gm_size: %uMB\nfence: %u\n"
					  "resolution: %s\nweight: %u\n", t->aperture_mib,
					  t->hidden_mib, t->fences, t->resolution, t->weight);
		put(rel, text);
		free(rel);
		free(text);
		rel = mdk_asprintf("%s/available_instances", dir);
		text = mdk_asprintf("%lld\n", mdk_gvt_available(&host, &used, i));
		put(rel, text);
		free(rel);
		free(text);
		rel = mdk_asprintf("%s/device_api", dir);
		put(rel, "vfio-pci\n");
		free(rel);
		rel = mdk_asprintf("%s/devices", dir);
		put(rel, NULL);
		free(rel);
		free(dir);
		free(name);
	}
	link_to("../mdev_supported_types/i915-GVTg_V5_4", GPU "/" RUNNING "/mdev_type");
	link_to("../../../" RUNNING, GPU "/mdev_supported_types/i915-GVTg_V5_4/devices/" RUNNING);
	link_to("../../../devices/pci0000:00/0000:00:02.0/" RUNNING, "sys/bus/mdev/devices/" RUNNING);
}

static void mtty_parent(void)
{
	put("sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-1/available_instances", "24\n");
	put("sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-1/device_api", "vfio-pci\n");
	link_to("../../devices/virtual/mtty/mtty", "sys/class/mdev_bus/mtty");
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void remove_root(void)
{
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	close(stdin_fd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc, (void)argv;
	snprintf(root, sizeof(root), "%s/mdevkit-fuzz-callout.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	FUZZ_ASSERT(mkdtemp(root));
	atexit(remove_root);
	gvt_parent();
	mtty_parent();
	setenv("MDEVCTL_ENV_ROOT", root, 1);
	stdin_fd = memfd_create("stdin", 0);
	FUZZ_ASSERT(stdin_fd >= 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *end = memchr(data, '\0', size);
	size_t args_len = end ? (size_t)(end - (const char *)data) : size;
	char *args = mdk_strndup((const char *)data, args_len);
	char *argv[MAX_ARGS + 2] = { "mdevkit-gvt" };
	int argc = 1;

	/* one argument per line; an empty line is an empty argument */
	for (char *a = args; a && argc <= MAX_ARGS; argc++) {
		argv[argc] = a;
		a = strchr(a, '\n');
		if (a)
			*a++ = '\0';
	}
	argv[argc] = NULL;
	size_t in_len = end ? size - args_len - 1 : 0;
	FUZZ_ASSERT(ftruncate(stdin_fd, 0) == 0);
	FUZZ_ASSERT(mdk_write_all(stdin_fd, end ? end + 1 : "", in_len) == 0);
	FUZZ_ASSERT(lseek(stdin_fd, 0, SEEK_SET) == 0);

	int rc = mdk_gvt_callout(argc, argv, stdin_fd);
	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2);
	free(args);
	return 0;
}
