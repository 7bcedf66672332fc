/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inside the GVT-g part of the library, beside gvt.h as libkmod-internal.h
 * is beside libkmod.h:
 *   gvt-types.c  the kernel's type table and names            (pure)
 *   gvt-model.c  pools, visibility, available, fit, verdicts  (pure)
 *   gvt-parse.c  the kernel's description and PCI resource texts
 *   gvt-conf.c   the GGTT override file
 *   gvt-host.c   what a parent is, from sysfs; what the kernel shows of
 *                each type, for the model to compare
 *   gvt-check.c  the decisions: pre define/modify/start, `mdevkit check`,
 *                `types --gvt`
 *   gvt-msg.c    every text said about GVT-g, built from verdicts
 */
#ifndef MDEVKIT_GVT_INTERNAL_H
#define MDEVKIT_GVT_INTERNAL_H

#include "mdevkit/config.h"
#include "mdevkit/error.h"
#include "mdevkit/gvt.h"
#include "mdevkit/uuid.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- the model's arithmetic and verdicts (gvt-model.c) --------------------------- */

/* An amount of each resource (MiB for aperture and hidden GM). */
struct mdk_gvt_amount {
	unsigned long long v[MDK_GVT_NRES];
};

/* What vGPUs may use on an idle GPU (0 where the host's share is not
 * exceeded, never negative). */
void mdk_gvt_pools(const struct mdk_gvt_host *h, struct mdk_gvt_amount *out);
/* What a set of vGPUs takes. */
void mdk_gvt_need(const struct mdk_gvt_set *s, struct mdk_gvt_amount *out);
size_t mdk_gvt_set_count(const struct mdk_gvt_set *s);
/* The smallest aperture that shows table entry index: 128 + its share. */
unsigned long long mdk_gvt_type_min_aperture(size_t index);
/* Is type a name of this host's version (any version when unknown)?
 * Sets *index. */
bool mdk_gvt_host_type(const struct mdk_gvt_host *h, const char *type, size_t *index);

/* One device on its own, on an idle GPU of this host, in the order the
 * problems are reported. */
enum mdk_gvt_device_problem {
	MDK_GVT_DEVICE_OK,
	MDK_GVT_DEVICE_UNKNOWN_TYPE,    /* not a GVT-g type name */
	MDK_GVT_DEVICE_WRONG_VERSION,   /* V4 on a V5 GPU or the other way */
	MDK_GVT_DEVICE_HIDDEN,          /* the aperture is too small to show the type */
	MDK_GVT_DEVICE_ATTRIBUTES,      /* GVT-g vGPUs take no attributes */
	MDK_GVT_DEVICE_NEVER_FITS,      /* a resource is short even with none running */
};

struct mdk_gvt_device_verdict {
	enum mdk_gvt_device_problem problem;
	size_t index;                   /* table entry, unless UNKNOWN_TYPE */
	unsigned long long show_aperture; /* HIDDEN: the smallest that shows it */
	struct mdk_gvt_fit fit;         /* NEVER_FITS: the binding resource */
	unsigned long long min_aperture; /* NEVER_FITS: smallest that fits it; 0 none */
};
/* Returns v->problem. */
enum mdk_gvt_device_problem mdk_gvt_judge_device(const struct mdk_gvt_host *h, const char *type,
						 size_t n_attrs, struct mdk_gvt_device_verdict *v);

/* One more vGPU of entry index next to the running set `used`: the
 * model's fit, held against the kernel's available_instances of the type
 * (live, -1 when unknown), which is the authority for "can one start now". */
enum mdk_gvt_start {
	MDK_GVT_START_OK,
	MDK_GVT_START_BUSY,             /* the model and the kernel: it does not fit now */
	MDK_GVT_START_KERNEL_REFUSES,   /* the model says it fits, the kernel shows none */
	MDK_GVT_START_KERNEL_ALLOWS,    /* the model says it does not fit, the kernel has room */
};

struct mdk_gvt_start_verdict {
	enum mdk_gvt_start start;
	struct mdk_gvt_fit fit;         /* BUSY, KERNEL_ALLOWS: the binding resource */
	long long model_avail;          /* KERNEL_REFUSES: the model's count */
};
enum mdk_gvt_start mdk_gvt_judge_start(const struct mdk_gvt_host *h, const struct mdk_gvt_set *used,
				       size_t index, long long live, struct mdk_gvt_start_verdict *v);

/* The budget of one type next to `used`, for `types --gvt`. */
struct mdk_gvt_budget {
	struct mdk_gvt_amount share;    /* one vGPU of the type */
	struct mdk_gvt_amount pool, free;
	bool visible;
	unsigned long long show_aperture; /* hidden: the aperture that shows it */
	long long more;                 /* visible: how many more can start */
	enum mdk_gvt_res limit;         /* visible: what runs out after those */
};
void mdk_gvt_budget(const struct mdk_gvt_host *h, const struct mdk_gvt_set *used, size_t index,
		    struct mdk_gvt_budget *out);

/* How the kernel's view of an idle GPU differs from the model. */
enum mdk_gvt_gap {
	MDK_GVT_GAP_NONE,
	MDK_GVT_GAP_VISIBLE,            /* the kernel shows a type the model hides, or the reverse */
	MDK_GVT_GAP_AVAIL_UNREADABLE,   /* available_instances cannot be read or parsed */
	MDK_GVT_GAP_DESC_UNREADABLE,    /* a description is there but not a GVT-g one */
	MDK_GVT_GAP_DESC_TABLE,         /* the description is not the table's entry */
	MDK_GVT_GAP_COUNT,              /* available_instances is not the model's */
};

struct mdk_gvt_crosscheck {
	enum mdk_gvt_gap gap;
	size_t index;                   /* the type */
	bool shown;                     /* VISIBLE: the kernel shows it */
	char *why;                      /* *_UNREADABLE: the error, one line */
	struct mdk_gvt_desc desc;       /* DESC_TABLE: the kernel's description */
	long long live, model;          /* COUNT: the kernel's count and the model's */
	unsigned long long suggested_ggtt; /* COUNT: a GGTT with which all agree, or 0 */
};
void mdk_gvt_crosscheck_free(struct mdk_gvt_crosscheck *c);
/* live[i]: the kernel's available_instances of entry i on an idle GPU, -1
 * when unknown.  Fills the COUNT gap of the first entry that disagrees;
 * returns false when all agree. */
bool mdk_gvt_compare_counts(const struct mdk_gvt_host *h, const long long *live,
			    struct mdk_gvt_crosscheck *out);

/* ---- host facts (gvt-conf.c, gvt-host.c) ----------------------------------------- */

/* The GGTT size from the override file (env.h: mdk_path_gvt_conf(), a line
 * "ggtt_mib = 1024|2048|4096"; '#' starts a comment).  A missing file
 * gives MDK_GVT_DEFAULT_GGTT_MIB with *configured false. */
int mdk_gvt_conf_ggtt(unsigned long long *ggtt_mib, bool *configured, struct mdk_error *e);

enum mdk_gvt_kind {
	MDK_GVT_UNREGISTERED,   /* no mdev_supported_types */
	MDK_GVT_OTHER,          /* registered, not i915 GVT-g */
	MDK_GVT_PARENT,         /* an i915 GVT-g parent */
};

struct mdk_gvt_vgpu {
	mdk_uuid_str uuid;
	char *type;
	size_t index;           /* table entry */
};

struct mdk_gvt_probe {
	enum mdk_gvt_kind kind;
	struct mdk_gvt_host host;       /* when kind is MDK_GVT_PARENT */
	bool ggtt_configured;           /* T came from gvt.conf */
	struct mdk_gvt_vgpu *vgpus;     /* active mdevs of the parent, sorted by uuid */
	size_t n_vgpus;
	struct mdk_gvt_set running;     /* the same, counted per entry */
};

/* Learn what the parent is and, for a GVT-g parent, A, T, the name
 * version and the running vGPUs.  -errno (with the file and reason) when a
 * fact of a GVT-g parent cannot be read. */
int mdk_gvt_probe(const char *parent, struct mdk_gvt_probe *p, struct mdk_error *e);
void mdk_gvt_probe_free(struct mdk_gvt_probe *p);

/* The running set without the vGPU `uuid` (NULL: all of them). */
void mdk_gvt_running_except(const struct mdk_gvt_probe *p, const char *uuid,
			    struct mdk_gvt_set *out);

/* With no vGPU running, compare the model with the available_instances
 * files, the descriptions and the visible types with the directory
 * listing.  Returns false when they agree, true with *out (free it with
 * mdk_gvt_crosscheck_free) when they do not.  Unreadable files are not a
 * disagreement. */
bool mdk_gvt_crosscheck(const char *parent, const struct mdk_gvt_probe *p,
			struct mdk_gvt_crosscheck *out);

/* ---- decisions (gvt-check.c) ----------------------------------------------------- */

/* One auto definition as `mdevkit check` sees it. */
struct mdk_gvt_def {
	const char *uuid;
	const struct mdk_config *config;
	char *problem;          /* out: why this one cannot start, or NULL */
};

/* What `mdevkit check` says about a GVT-g parent; the caller owns the texts. */
struct mdk_gvt_defs_report {
	bool fits;
	char *reason;           /* when !fits: one line "<reason>; <fix>" */
	unsigned long long min_aperture_mib;    /* smallest that fits them; 0 none */
	char *warning;          /* model and kernel disagree, or NULL */
};

/* Do these auto definitions of a GVT-g parent fit an idle GPU together?
 * p must be a probe of kind MDK_GVT_PARENT. */
void mdk_gvt_check_defs(const struct mdk_gvt_probe *p, const char *parent,
			struct mdk_gvt_def *defs, size_t n, struct mdk_gvt_defs_report *r);

/* ---- messages (gvt-msg.c): the "<reason>; <fix>" parts ------------------------- */

/* The firmware setting that sizes the aperture, as messages name it. */
#define MDK_GVT_FIRMWARE_SETTING "\"GPU aperture size\" in firmware setup"

/* "warning: <action> <uuid> (<type>) on <parent>: <reason>; <fix>" */
char *mdk_gvt_msg_warning(const char *action, const char *uuid, const char *type,
			  const char *parent, const char *reason_fix);

char *mdk_gvt_msg_unregistered(const char *parent);
char *mdk_gvt_msg_not_gvt(const char *parent);
/* a host the model rejects; NULL for MDK_GVT_HOST_OK */
char *mdk_gvt_msg_host(const struct mdk_gvt_host *h, enum mdk_gvt_host_problem problem);
/* one device on its own (c: its definition, for the attribute names);
 * NULL for MDK_GVT_DEVICE_OK */
char *mdk_gvt_msg_device(const char *type, const struct mdk_gvt_host *h,
			 const struct mdk_config *c, const struct mdk_gvt_device_verdict *v);

/* holders: the running vGPUs that hold the binding resource */
char *mdk_gvt_msg_busy(const struct mdk_gvt_fit *f, const struct mdk_gvt_vgpu *holders, size_t n);
char *mdk_gvt_msg_busy_warning(const struct mdk_gvt_fit *f, const struct mdk_gvt_vgpu *holders,
			       size_t n);
char *mdk_gvt_msg_live_refuses(const char *type, long long model_avail,
			       const struct mdk_gvt_host *h);
char *mdk_gvt_msg_live_allows(const char *type, long long live_avail, const struct mdk_gvt_fit *f,
			      const struct mdk_gvt_host *h);

/* a set on an idle GPU: "not enough X: they need N and the GPU has P for
 * vGPUs; <fix>" */
char *mdk_gvt_msg_set_shortage(const struct mdk_gvt_fit *f, unsigned long long min_aperture);
/* the auto set with a new or changed definition; members sorted by uuid */
char *mdk_gvt_msg_boot_set(const char *parent, const struct mdk_gvt_fit *f,
			   const struct mdk_gvt_member *members, size_t n,
			   unsigned long long min_aperture);
/* a guest's vGPUs that do not fit next to the running ones (`held`) */
char *mdk_gvt_msg_busy_guest(const struct mdk_gvt_fit *f, const struct mdk_gvt_vgpu *held, size_t n);
/* a guest with more than one GVT-g vGPU */
char *mdk_gvt_msg_one_per_guest(size_t n);
/* "cannot <action> <u1> (<t1>) and <u2> (<t2>) on <parent>: <reason>; <fix>" */
char *mdk_gvt_msg_refusal_set(const char *action, const struct mdk_gvt_member *m, size_t n,
			      const char *parent, const char *reason_fix);
/* `check`: some definitions have problems of their own */
char *mdk_gvt_msg_defs_broken(size_t bad, size_t n);

/* `types --gvt` lines for one type (see mdk_gvt_type_details) */
char *mdk_gvt_msg_details(const struct mdk_gvt_host *h, const struct mdk_gvt_budget *b);
/* the model and the kernel disagree (mdk_gvt_crosscheck) */
char *mdk_gvt_msg_crosscheck(const struct mdk_gvt_host *h, const struct mdk_gvt_crosscheck *c);
/* a fact could not be read: the error's text as reason */
char *mdk_gvt_msg_facts(const struct mdk_error *e);

#endif
