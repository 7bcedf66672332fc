// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mdevkit-gvt's argument and stdin handling (mdk_gvt_callout), as mdevctl
 * drives it.  An input is argv text up to the first NUL byte, one
 * argument per line, and then the bytes of stdin.  The callout reads
 * sysfs under MDEVCTL_ENV_ROOT: a fixture built here in $TMPDIR and
 * removed at exit: 0000:00:02.0, an i915 GVT-g parent with a 512 MiB
 * aperture (so one type is hidden) and one vGPU running; 0000:00:12.0, an
 * idle one whose available_instances and descriptions disagree with the
 * model; and an mtty parent.  What the callout prints is checked: whole
 * lines of printable text on stderr, JSON on stdout.  The callout writes no
 * file.
 */
#include "fuzz.h"

#include "gvt-callout.h"
#include "mdevkit/config.h"
#include "mdevkit/gvt.h"
#include "mdevkit/output.h"
#include "mdevkit/util.h"

#include <ftw.h>
#include <sanitizer/common_interface_defs.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ARGS 32
#define GPU "sys/devices/pci0000:00/0000:00:02.0"
#define RUNNING "11111111-0000-4000-8000-000000000001"

static char root[256];
static int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;

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

/* An i915 GVT-g parent <bdf> with aperture_mib, V5 names and the files the
 * kernel shows with `used` running; `avail_off` is added to every
 * available_instances and to the fences of every description (a kernel
 * that disagrees with the model when non-zero). */
static void gvt_parent(const char *bdf, unsigned long long aperture_mib,
		       const struct mdk_gvt_set *used, long long avail_off)
{
	const struct mdk_gvt_host host = { 5, aperture_mib, MDK_GVT_DEFAULT_GGTT_MIB };
	char *dev = mdk_asprintf("sys/devices/pci0000:00/%s", bdf);
	char *rel, *text, *target;

	rel = mdk_asprintf("%s/resource", dev);
	text = mdk_asprintf("0x00000000f6000000 0x00000000f6ffffff 0x0000000000140204\n"
			    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
			    "0x0000004000000000 0x%016llx 0x000000000014220c\n",
			    0x4000000000ULL + (aperture_mib << 20) - 1);
	put(rel, text);
	free(rel);
	free(text);
	put("sys/bus/pci/drivers/i915", NULL);
	rel = mdk_asprintf("%s/driver", dev);
	link_to("../../bus/pci/drivers/i915", rel);
	free(rel);
	target = mdk_asprintf("../../devices/pci0000:00/%s", bdf);
	rel = mdk_asprintf("sys/class/mdev_bus/%s", bdf);
	link_to(target, rel);
	free(rel);
	free(target);
	target = mdk_asprintf("../../../devices/pci0000:00/%s", bdf);
	rel = mdk_asprintf("sys/bus/pci/devices/%s", bdf);
	link_to(target, rel);
	free(rel);
	free(target);
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		const struct mdk_gvt_type *t = &mdk_gvt_table[i];
		if (!mdk_gvt_visible(&host, i))
			continue;
		char *name = mdk_gvt_type_name(5, i);
		char *dir = mdk_asprintf("%s/mdev_supported_types/%s", dev, name);
		rel = mdk_asprintf("%s/description", dir);
		text = mdk_asprintf("low_gm_size: %uMB\nhigh_gm_size: %uMB\nfence: %u\n"
				    "resolution: %s\nweight: %u\n", t->aperture_mib,
				    t->hidden_mib, t->fences + (avail_off ? 1 : 0), t->resolution,
				    t->weight);
		put(rel, text);
		free(rel);
		free(text);
		rel = mdk_asprintf("%s/available_instances", dir);
		text = mdk_asprintf("%lld\n", mdk_gvt_available(&host, used, i) + avail_off);
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
	free(dev);
}

/* a vGPU of type i915-GVTg_V5_4 running on 0000:00:02.0 */
static void running_vgpu(void)
{
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
	close(stdout_fd);
	close(stderr_fd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc, (void)argv;
	snprintf(root, sizeof(root), "%s/mdevkit-fuzz-callout.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	FUZZ_ASSERT(mkdtemp(root));
	atexit(remove_root);
	const struct mdk_gvt_set one_v5_4 = { { 0, 1, 0, 0 } }, none = { { 0 } };

	gvt_parent("0000:00:02.0", 512, &one_v5_4, 0);
	running_vgpu();
	gvt_parent("0000:00:12.0", 1024, &none, 1);
	mtty_parent();
	setenv("MDEVCTL_ENV_ROOT", root, 1);
	stdin_fd = memfd_create("stdin", 0);
	stdout_fd = memfd_create("stdout", 0);
	stderr_fd = memfd_create("stderr", 0);
	FUZZ_ASSERT(stdin_fd >= 0 && stdout_fd >= 0 && stderr_fd >= 0);
	/* sanitizer reports go to the real stderr, not to the callout's */
	__sanitizer_set_report_fd((void *)(intptr_t)dup(STDERR_FILENO));
	return 0;
}

/* fd 1 and 2 point to a fresh file each while the callout runs */
static void redirect(int fd, int to, int *saved)
{
	FUZZ_ASSERT(ftruncate(to, 0) == 0 && lseek(to, 0, SEEK_SET) == 0);
	*saved = dup(fd);
	FUZZ_ASSERT(*saved >= 0 && dup2(to, fd) == fd);
}

static void restore(int fd, int saved)
{
	FUZZ_ASSERT(dup2(saved, fd) == fd);
	close(saved);
}

static int run(int argc, char **argv)
{
	int saved_out, saved_err;

	fflush(stdout);
	fflush(stderr);
	redirect(STDOUT_FILENO, stdout_fd, &saved_out);
	redirect(STDERR_FILENO, stderr_fd, &saved_err);
	int rc = mdk_gvt_callout(argc, argv, stdin_fd);
	fflush(stdout);
	fflush(stderr);
	restore(STDOUT_FILENO, saved_out);
	restore(STDERR_FILENO, saved_err);
	return rc;
}

static char *contents(int fd)
{
	char *text;
	size_t len;

	FUZZ_ASSERT(lseek(fd, 0, SEEK_SET) == 0);
	FUZZ_ASSERT(mdk_read_fd(fd, 1 << 20, &text, &len) == 0);
	FUZZ_ASSERT(strlen(text) == len);
	return text;
}

/* stderr: whole lines of printable UTF-8 (mdevctl shows them to the
 * user); stdout: nothing, or an answer to get attributes/capabilities */
static void check_output(int rc)
{
	char *err = contents(stderr_fd), *out = contents(stdout_fd);
	size_t n = strlen(err);
	struct mdk_json_caps caps;

	FUZZ_ASSERT(mdk_utf8_valid(err, n));
	FUZZ_ASSERT(n == 0 || err[n - 1] == '\n');
	for (const unsigned char *p = (const unsigned char *)err; *p; p++)
		FUZZ_ASSERT(*p == '\n' || (*p >= 0x20 && *p != 0x7f));
	FUZZ_ASSERT(rc != 1 || n > 0);
	if (*out && strcmp(out, "[]")) {
		FUZZ_ASSERT(mdk_json_caps_parse(out, strlen(out), "supports", &caps) == 1);
		mdk_json_caps_free(&caps);
	}
	free(err);
	free(out);
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

	int rc = run(argc, argv);
	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2);
	check_output(rc);
	free(args);
	return 0;
}
