// SPDX-License-Identifier: LGPL-2.1-or-later
/* Check "versions": the QEMU, libvirt and mdevctl a guest would use (the
 * first found in PATH, under the root), each asked for --version with a
 * short timeout, against the versions GVT-g guests need (spec
 * journey.md §3, §4).  A program that is missing is a NOTE: not every
 * host runs guests itself. */
#include "doctor-internal.h"
#include "callout-int.h"
#include "mdevkit/env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK "versions"
#define VERSION_TIMEOUT_S 2
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct feature {
	unsigned v[3];
	const char *what;
};

/* what libvirt's domain XML needs for a vGPU */
static const struct feature libvirt_features[] = {
	{ { 4, 6, 0 }, "display='on'" },
	{ { 5, 10, 0 }, "ramfb='on'" },
	{ { 7, 3, 0 }, "nodedev-define" },
	{ { 8, 2, 0 }, "qemu:override" },
};
/* what QEMU's vfio-pci needs for a vGPU display */
static const struct feature qemu_features[] = {
	{ { 2, 12, 0 }, "display=on" },
	{ { 4, 0, 0 }, "xres/yres" },
};

int mdk_doctor_parse_version(const char *text, unsigned v[3])
{
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9' || (p > text && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9'))))
			continue;
		unsigned n[3] = { 0, 0, 0 };
		size_t parts = 0;
		const char *q = p;
		while (parts < 3 && *q >= '0' && *q <= '9') {
			unsigned long x = 0;
			while (*q >= '0' && *q <= '9' && x < 10000)
				x = x * 10 + (unsigned)(*q++ - '0');
			if (*q >= '0' && *q <= '9')
				break;          /* a number too long to be a version */
			n[parts++] = (unsigned)x;
			if (*q != '.' || q[1] < '0' || q[1] > '9')
				break;
			q++;
		}
		if (parts >= 2) {
			memcpy(v, n, sizeof(n));
			return 0;
		}
	}
	return -EINVAL;
}

static bool older(const unsigned a[3], const unsigned b[3])
{
	for (size_t i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i];
	return false;
}

/* The first executable name in PATH, under the root, or NULL. */
static char *find_program(const char *name, char **shown)
{
	const char *env = getenv("PATH");
	char *path = mdk_strdup(env && *env ? env : DEFAULT_PATH), *save = NULL, *found = NULL;

	for (char *dir = strtok_r(path, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		if (dir[0] != '/')
			continue;   /* relative PATH entries depend on where doctor runs */
		char *host = mdk_asprintf("%s/%s", dir, name), *full = mdk_path_in_root(host);
		struct stat st;
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0) {
			found = full;
			*shown = host;
		} else {
			free(full);
			free(host);
		}
	}
	free(path);
	return found;
}

struct program {
	char *path, *shown;
	char *line;             /* the first line of its answer */
	unsigned v[3];
	bool has_version;
};

/* Find the first of names and ask it for --version.  0 when none is in PATH. */
static int ask(const char *const *names, size_t n, struct program *p)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < n && names[i] && !p->path; i++)
		p->path = find_program(names[i], &p->shown);
	if (!p->path)
		return 0;

	char *argv[] = { p->path, (char *)"--version", NULL };
	struct mdk_run run;
	if (mdk_run_script(argv, NULL, 0, VERSION_TIMEOUT_S, &run) == 0) {
		const char *out = run.out_len ? run.out : run.err ? run.err : "";
		size_t len = strcspn(out, "\n");
		char *first = mdk_strndup(out, len);
		p->line = mdk_str_excerpt(first, 120);
		free(first);
		p->has_version = !run.timed_out && mdk_doctor_parse_version(p->line, p->v) == 0;
		mdk_run_free(&run);
	}
	return 1;
}

static void program_free(struct program *p)
{
	free(p->path);
	free(p->shown);
	free(p->line);
}

static void add_version(struct mdk_doctor_finding *f, const struct program *p)
{
	char v[48];

	snprintf(v, sizeof(v), "%u.%u.%u", p->v[0], p->v[1], p->v[2]);
	mdk_doctor_value_str(f, "path", p->shown);
	mdk_doctor_value_str(f, "version", v);
}

/* No version in the answer: say what it printed. */
static bool unknown_version(struct mdk_doctor_report *r, const char *what, const struct program *p)
{
	if (p->has_version)
		return false;
	struct mdk_doctor_finding *f =
		mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK, "%s %s: no version in its answer to "
			       "--version (\"%s\")", what, p->shown, p->line ? p->line : "");
	mdk_doctor_value_str(f, "path", p->shown);
	return true;
}

/* PASS when p has every feature, else the lacking ones ("x (4.6), y (5.10)"). */
static void against(struct mdk_doctor_report *r, const char *what, const struct program *p,
		    const struct feature *fs, size_t n, const char *fix)
{
	struct mdk_buf lacks = MDK_BUF_INIT;
	struct mdk_doctor_finding *f;
	bool first_lacking = false;

	for (size_t i = 0; i < n; i++)
		if (older(p->v, fs[i].v)) {
			first_lacking |= i == 0;
			mdk_buf_printf(&lacks, "%s%s (%u.%u)", lacks.len ? ", " : "", fs[i].what,
				       fs[i].v[0], fs[i].v[1]);
		}
	if (n == 0) {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK, "%s %u.%u.%u (%s)", what, p->v[0],
				   p->v[1], p->v[2], p->shown);
	} else if (!lacks.len) {
		for (size_t i = 0; i < n; i++)
			mdk_buf_printf(&lacks, "%s%s", i ? ", " : "", fs[i].what);
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK, "%s %u.%u.%u (%s): has %s", what,
				   p->v[0], p->v[1], p->v[2], p->shown, lacks.data);
	} else {
		/* without the first feature a vGPU has no display at all */
		f = mdk_doctor_add(r, first_lacking ? MDK_DOCTOR_WARN : MDK_DOCTOR_NOTE, CHECK,
				   "%s %u.%u.%u (%s) lacks %s", what, p->v[0], p->v[1], p->v[2],
				   p->shown, lacks.data);
		if (first_lacking)
			mdk_doctor_fix(f, "%s", fix);
	}
	add_version(f, p);
	mdk_buf_free(&lacks);
}

static const struct tool {
	const char *what;
	const char *names[2];           /* the first found in PATH */
	const char *missing;            /* the NOTE when none is */
	const struct feature *features;
	size_t n_features;
	const char *fix;                /* when the first feature is lacking */
} tools[] = {
	{ "QEMU", { "qemu-system-x86_64", "qemu-kvm" }, "no QEMU (qemu-system-x86_64) in PATH",
	  qemu_features, MDK_ARRAY_SIZE(qemu_features),
	  "upgrade QEMU to 2.12 or later for a vGPU display (display=on)" },
	{ "libvirt", { "virsh", "libvirtd" }, "no libvirt (virsh, libvirtd) in PATH",
	  libvirt_features, MDK_ARRAY_SIZE(libvirt_features),
	  "upgrade libvirt to 4.6 or later for a vGPU display (<hostdev ... display='on'>)" },
	{ "mdevctl", { "mdevctl", NULL },
	  "no mdevctl in PATH: libvirt runs mdevctl by name for its mdev devices (virsh "
	  "nodedev-define, nodedev-start)", NULL, 0, NULL },
};

int mdk_doctor_check_versions(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	(void)ctx;
	for (size_t i = 0; i < MDK_ARRAY_SIZE(tools); i++) {
		const struct tool *t = &tools[i];
		struct program p;
		if (!ask(t->names, MDK_ARRAY_SIZE(t->names), &p))
			mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK, "%s", t->missing);
		else if (!unknown_version(r, t->what, &p))
			against(r, t->what, &p, t->features, t->n_features, t->fix);
		program_free(&p);
	}
	return 0;
}
