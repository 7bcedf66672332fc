/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Do the auto-start definitions fit the hardware?  For each parent that
 * has definitions (or the one asked for): every "start": "auto"
 * definition is checked on its own (does its type exist here, can it
 * start on an idle parent) and all of them together, as at boot when
 * nothing else runs.  GVT-g parents use the budget model of gvt.h and
 * also learn the smallest aperture that fits them; other parents are
 * checked as far as sysfs tells: the type exists, and per type the count
 * of auto definitions is at most available_instances plus the devices
 * of that type already running.
 */
#ifndef MDEVKIT_CHECK_H
#define MDEVKIT_CHECK_H

#include "mdevkit/error.h"
#include "mdevkit/uuid.h"

#include <stdbool.h>
#include <stddef.h>

struct mdk_check_def {
	mdk_uuid_str uuid;
	char *type;
	char *problem;          /* why this one cannot start here, or NULL */
};

enum mdk_check_status {
	MDK_CHECK_FITS,
	MDK_CHECK_NO_FIT,       /* reason says why */
	MDK_CHECK_UNREGISTERED, /* not registered for mdev: skipped */
	MDK_CHECK_ERROR,        /* a fact could not be read: reason says which */
};

struct mdk_check_parent {
	char *parent;
	enum mdk_check_status status;
	bool gvt;
	char *reason;           /* NO_FIT, ERROR: "<reason>; <fix>" */
	char *warning;          /* e.g. the GVT-g model disagrees with the kernel */
	struct mdk_check_def *defs;     /* the auto definitions, sorted by uuid */
	size_t n_defs;
	/* GVT-g parents */
	unsigned long long aperture_mib, ggtt_mib;
	bool ggtt_configured;
	unsigned long long min_aperture_mib;    /* 0: no aperture fits them */
};

struct mdk_check_report {
	struct mdk_check_parent *v;     /* sorted by parent */
	size_t n;
};

/* parent NULL: every parent of the store.  Fails only when the store
 * cannot be read or the parent name is invalid. */
int mdk_check(const char *parent, struct mdk_check_report *out, struct mdk_error *e);
void mdk_check_report_free(struct mdk_check_report *r);
/* Every parent that was checked fits (unregistered ones are skipped). */
bool mdk_check_all_fit(const struct mdk_check_report *r);
/* The report as printed (text, --dumpjson) is in output.h. */

/* For the udev helper: quick facts about one parent. */
struct mdk_check_summary {
	bool registered;
	bool gvt;                       /* an i915 GVT-g parent */
	unsigned long long aperture_mib; /* GVT-g: A in MiB, else 0 */
	size_t n_auto;                  /* auto definitions in the store */
	bool fits;                      /* they fit together (true when n_auto is 0) */
};
int mdk_check_summary(const char *parent, struct mdk_check_summary *s, struct mdk_error *e);

#endif
