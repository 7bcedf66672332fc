/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `mdevkit doctor`: why GVT-g does not come up on this host, and what to
 * change.  A run is an ordered table of checks (doctor-registry.c); each
 * check reads host facts through env.h paths only and adds findings to a
 * report.  A check never fails the run: a file it cannot read is itself a
 * finding.  The renderings (text with the budget bars, -q, --dumpjson) are
 * apart from the checks (doctor-text.c, output-doctor.c).
 *
 *   doctor.c           report, findings, values, the runner
 *   doctor-registry.c  the table of checks, in the order they run
 *   doctor-read.c      reading host files for checks (unreadable = finding)
 *   doctor-text.c      text, -q and the budget bars
 *   doctor-gens.c      Intel graphics generations by PCI device id
 *   doctor-<topic>.c   the checks (doctor-internal.h lists them)
 *   output-doctor.c    --dumpjson
 */
#ifndef MDEVKIT_DOCTOR_H
#define MDEVKIT_DOCTOR_H

#include "mdevkit/error.h"
#include "mdevkit/gvt.h"

#include <stdbool.h>
#include <stddef.h>

enum mdk_doctor_level {
	MDK_DOCTOR_PASS,
	MDK_DOCTOR_NOTE,        /* worth knowing, nothing to change */
	MDK_DOCTOR_WARN,        /* may stop GVT-g or a guest: has a fix */
	MDK_DOCTOR_FAIL,        /* stops GVT-g: has a fix; the exit status is 1 */
};
/* "PASS", "NOTE", "WARN", "FAIL" */
const char *mdk_doctor_level_name(enum mdk_doctor_level l);

/* A named value of a finding: --dumpjson prints it as a field of the
 * finding's object.  Names are snake_case and never "check", "level",
 * "found" or "fix". */
struct mdk_doctor_value {
	char *name;
	bool is_int;
	long long i;
	char *s;                /* when !is_int */
};

struct mdk_doctor_finding {
	enum mdk_doctor_level level;
	char *check;            /* short, stable, kebab-case: "igpu", "guc" */
	char *found;            /* what was read, with the value: one line */
	char *fix;              /* WARN, FAIL: what an administrator does; else NULL */
	struct mdk_doctor_value *values;
	size_t n_values;
};

/* The GVT-g budget of the parent, for the bars: per resource (index
 * enum mdk_gvt_res) what running vGPUs use, what the host holds (its
 * fixed share, plus aperture a desktop on the iGPU holds when the kernel
 * shows fewer vGPUs than the model), and what is free.  Units: MiB for
 * aperture and hidden GM, a count for fences and slots. */
struct mdk_doctor_budget {
	bool present;
	char *parent;
	unsigned long long used[MDK_GVT_NRES], host[MDK_GVT_NRES], free[MDK_GVT_NRES];
};

struct mdk_doctor_report {
	struct mdk_doctor_finding **v;  /* in the order they were added */
	size_t n, cap;
	struct mdk_doctor_budget budget;
};

/* What the checks share.  Filled as the checks run, in table order:
 * a later check may use what an earlier one learnt. */
struct mdk_doctor_ctx {
	const char *parent_arg;         /* -p PARENT (valid name), or NULL */
	/* the Intel iGPU (check "igpu") */
	char *igpu;                     /* PCI address, or NULL when there is none */
	unsigned vendor, device;
	const struct mdk_doctor_gen *gen; /* its generation, or NULL when unknown */
	/* the parent the mdev checks look at: parent_arg, else igpu; NULL when
	 * neither */
	const char *parent;
	bool registered;                /* the parent has mdev_supported_types */
	struct mdk_gvt_host host;       /* GVT-g facts of the parent (aperture etc.) */
	bool host_known;                /* host.aperture_mib was read */
	bool ggtt_configured;
	/* the running release (/proc/sys/kernel/osrelease), or NULL */
	char *release;
	/* facts of the module and command-line checks go below */
	struct mdk_doctor_kernel *kernel;  /* doctor-kernel.c, read on first use */
	struct mdk_doctor_kmsg *kmsg;      /* the kernel log, scanned on first use */
	/* i915.enable_gvt (check "enable-gvt"): -1 unknown, 0 off, 1 on */
	int gvt_enabled;
};

/* The generations of Intel graphics doctor knows (doctor-igpu.c). */
enum mdk_doctor_gvt_support {
	MDK_DOCTOR_GVT_YES,             /* GVT-g works */
	MDK_DOCTOR_GVT_NO_WINDOWS,      /* GVT-g works, no Windows guest driver */
	MDK_DOCTOR_GVT_NONE,            /* no GVT-g, no other vGPU mechanism */
	MDK_DOCTOR_GVT_SRIOV,           /* no GVT-g: SR-IOV virtual functions instead */
};
struct mdk_doctor_gen {
	const char *name;               /* "Kaby Lake" */
	unsigned gen;                   /* graphics generation: 8, 9, 11, 12 ... */
	enum mdk_doctor_gvt_support support;
};
/* The generation of an Intel GPU by PCI device id, or NULL. */
const struct mdk_doctor_gen *mdk_doctor_gen_of(unsigned device);

/* ---- building a report (for checks) ------------------------------------------ */

/* Add a finding; found is printf-formatted and made safe to print on one
 * line.  The finding stays valid until the report is freed. */
struct mdk_doctor_finding *mdk_doctor_add(struct mdk_doctor_report *r, enum mdk_doctor_level level,
					  const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void mdk_doctor_fix(struct mdk_doctor_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A finding from a "<reason>; <fix>" message (gvt-msg.c, check.h): found
 * is "<prefix>: <reason>" (or the reason alone when prefix is NULL), the
 * fix what follows the first "; " (the whole message when there is none). */
struct mdk_doctor_finding *mdk_doctor_add_reason_fix(struct mdk_doctor_report *r,
						     enum mdk_doctor_level level,
						     const char *check, const char *prefix,
						     const char *msg);
void mdk_doctor_value_str(struct mdk_doctor_finding *f, const char *name, const char *value);
void mdk_doctor_value_int(struct mdk_doctor_finding *f, const char *name, long long value);

/* A file a check needs cannot be read: a WARN finding that names the file
 * and the reason (values "path", "errno"), with the fix (run as root when
 * it is EACCES).  Returns the finding. */
struct mdk_doctor_finding *mdk_doctor_unreadable(struct mdk_doctor_report *r, const char *check,
						 const char *path, int err);

/* A failed read from another module (sysfs.h, gvt.h, check.h): a WARN
 * finding "<prefix>: <the error>", the fix the error's own after "; " or
 * one for the errno; e is cleared. */
struct mdk_doctor_finding *mdk_doctor_error(struct mdk_doctor_report *r, const char *check,
					    const char *prefix, struct mdk_error *e);

/* The last component of the symbolic link at path (a device's driver,
 * an mdev's iommu_group), or NULL when it is not a link. */
char *mdk_doctor_link_name(const char *path);

/* Read a small host file (sysfs attribute, /proc, a configuration file):
 * its text with the final newline removed, or -errno.  Never blocks (a
 * FIFO or device node is refused). */
int mdk_doctor_read(const char *path, char **text);
/* The same, turning a failure into mdk_doctor_unreadable(); -errno then. */
int mdk_doctor_read_or_say(struct mdk_doctor_report *r, const char *check, const char *path,
			   char **text);

/* ---- the table of checks (doctor-registry.c) ---------------------------------- */

/* A check adds findings.  It returns 0; a negative errno says it could
 * not finish (the runner adds a WARN finding for it and goes on). */
typedef int (*mdk_doctor_check_fn)(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r);
struct mdk_doctor_check {
	const char *name;               /* the check name of its findings */
	mdk_doctor_check_fn run;
};
extern const struct mdk_doctor_check mdk_doctor_checks[];
extern const size_t mdk_doctor_n_checks;

/* ---- a run ---------------------------------------------------------------------- */

/* Run every check.  parent: -p, or NULL for the iGPU.  Fails only when
 * the parent name is invalid (usage); everything the host lacks is a
 * finding. */
int mdk_doctor_run(const char *parent, struct mdk_doctor_report *out, struct mdk_error *e);
void mdk_doctor_report_free(struct mdk_doctor_report *r);
/* Does a finding FAIL? (the exit status) */
bool mdk_doctor_failed(const struct mdk_doctor_report *r);
void mdk_doctor_ctx_free(struct mdk_doctor_ctx *ctx);

/* ---- renderings ----------------------------------------------------------------- */

/* Text: one line per finding, "LEVEL  check           found" (the check
 * name padded to 16 columns), then for WARN and FAIL "      fix: ..."; then
 * the budget bars.  quiet: only WARN and FAIL, no bars. */
char *mdk_doctor_text(const struct mdk_doctor_report *r, bool quiet);
/* The budget bars alone ("" when there is no budget). */
char *mdk_doctor_bars(const struct mdk_doctor_budget *b);
/* --dumpjson: [{"check", "level", "found", "fix" (null when none), values
 * ...}, ...], pretty, final newline (output-doctor.c). */
char *mdk_output_doctor_json(const struct mdk_doctor_report *r);

#endif
