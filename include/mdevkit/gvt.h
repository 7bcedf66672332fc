/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Intel GVT-g vGPUs (i915 KVMGT): the kernel's type table, the host facts
 * that decide what fits, the kernel's budget model, and the messages that
 * say what to change.
 *
 * The model (spec gvt-g.md §2) in MiB:
 *   aperture A  = size of PCI BAR 2 of the GPU ("GPU aperture size" in
 *                 firmware setup); GGTT T = 4096 unless gvt.conf says
 *                 otherwise; hidden GM H = T - A.
 *   pools for vGPUs: aperture A - 128, hidden GM T - A - 384, fences
 *                 32 - 4 = 28, vGPU slots 7.
 *   a type is visible while (A - 128) / its aperture >= 1, walking the
 *                 table 8, 4, 2, 1 and stopping at the first that is not.
 *   available(t) = min over aperture, hidden GM and fences of
 *                 (pool - used) / t's share  (the kernel's formula).
 *   a set of vGPUs fits when each resource's sum stays within its pool
 *                 and there are at most 7: the kernel allocates one by
 *                 one from the same pools, so order does not matter.
 *
 * The model part (types, names, pools, available, fit, smallest
 * aperture) is pure: no file access, testable without sysfs.  The probe
 * reads sysfs through sysfs.h and env.h.  Every message text lives in
 * gvt-msg.c.
 */
#ifndef MDEVKIT_GVT_H
#define MDEVKIT_GVT_H

#include "mdevkit/callout.h"
#include "mdevkit/config.h"
#include "mdevkit/error.h"
#include "mdevkit/uuid.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- constants of the kernel (gvt.h in i915) ------------------------------ */

#define MDK_GVT_NTYPES 4
#define MDK_GVT_HOST_APERTURE_MIB 128ULL  /* HOST_LOW_GM_SIZE */
#define MDK_GVT_HOST_HIDDEN_MIB 384ULL    /* HOST_HIGH_GM_SIZE */
#define MDK_GVT_FENCES 32ULL              /* fence registers of the GPU */
#define MDK_GVT_HOST_FENCES 4ULL          /* HOST_FENCE */
#define MDK_GVT_MAX_VGPUS 7ULL            /* IDs 1..7 (GVT_MAX_VGPU 8, 0 is idle) */
#define MDK_GVT_DEFAULT_GGTT_MIB 4096ULL
#define MDK_GVT_PREFIX "i915-GVTg_"

/* ---- the type table, names, descriptions (gvt-types.c) ------------------------ */

struct mdk_gvt_type {
	unsigned suffix;        /* 8, 4, 2, 1: the name's last part */
	unsigned aperture_mib;  /* low_gm_size: mappable graphics memory */
	unsigned hidden_mib;    /* high_gm_size */
	unsigned fences;
	unsigned weight;        /* scheduler share only, not a resource */
	const char *resolution;
};

/* The kernel's table, in its order (index 0..3 = suffix 8, 4, 2, 1). */
extern const struct mdk_gvt_type mdk_gvt_table[MDK_GVT_NTYPES];

/* The cheap test: the name starts with "i915-GVTg_".  Everything else is
 * not for mdevkit-gvt (it exits 2). */
bool mdk_gvt_is_family(const char *type);

/* "i915-GVTg_V<v>_<suffix>" with v 4 or 5 and a suffix of the table:
 * 0 with *version and *index set, or -1. */
int mdk_gvt_parse_name(const char *type, unsigned *version, size_t *index);
/* The name of table entry index for version 4 or 5.  Caller frees. */
char *mdk_gvt_type_name(unsigned version, size_t index);
/* Name version for a graphics generation: 8 (Broadwell) -> 4, 9+ -> 5. */
unsigned mdk_gvt_version_of_gen(unsigned gen);

/* A type's `description` file, "low_gm_size: 128MB\nhigh_gm_size: 512MB\n
 * fence: 4\nresolution: 1920x1200\nweight: 4\n" (4.11: no weight line). */
struct mdk_gvt_desc {
	unsigned aperture_mib, hidden_mib, fences, weight;
	bool has_weight;
	char resolution[16];
};
int mdk_gvt_parse_description(const char *text, struct mdk_gvt_desc *out, struct mdk_error *e);
/* The table entry with these resources, or -1. */
int mdk_gvt_desc_index(const struct mdk_gvt_desc *d);

/* ---- the budget model (gvt-model.c), pure ------------------------------------ */

struct mdk_gvt_host {
	unsigned version;                 /* type names V4 / V5; 0 when unknown */
	unsigned long long aperture_mib;  /* A */
	unsigned long long ggtt_mib;      /* T */
};

/* How many vGPUs of each table entry. */
struct mdk_gvt_set {
	unsigned n[MDK_GVT_NTYPES];
};

/* The resources, in the order a shortage is reported when several run out
 * at once (slots first: no firmware setting adds one). */
enum mdk_gvt_res {
	MDK_GVT_RES_VGPUS,
	MDK_GVT_RES_APERTURE,
	MDK_GVT_RES_HIDDEN,
	MDK_GVT_RES_FENCES,
	MDK_GVT_NRES,
};

/* An amount of each resource (MiB for aperture and hidden GM). */
struct mdk_gvt_amount {
	unsigned long long v[MDK_GVT_NRES];
};

/* 0 when vGPUs can be modelled on this host; otherwise -1 and the reason
 * (aperture <= 128 MiB leaves nothing for vGPUs; T - A <= 384 MiB makes
 * the kernel's unsigned pools wrap). */
int mdk_gvt_host_check(const struct mdk_gvt_host *h, struct mdk_error *e);

/* What vGPUs may use on an idle GPU (0 where the host's share is not
 * exceeded, never negative). */
void mdk_gvt_pools(const struct mdk_gvt_host *h, struct mdk_gvt_amount *out);
/* What a set of vGPUs takes. */
void mdk_gvt_need(const struct mdk_gvt_set *s, struct mdk_gvt_amount *out);
size_t mdk_gvt_set_count(const struct mdk_gvt_set *s);
/* Does the kernel publish table entry index on this host (§2.3)? */
bool mdk_gvt_visible(const struct mdk_gvt_host *h, size_t index);
/* The smallest aperture that shows table entry index: 128 + its share. */
unsigned long long mdk_gvt_type_min_aperture(size_t index);
/* The kernel's available_instances for entry index with `used` allocated;
 * -1 when the type is not visible. */
long long mdk_gvt_available(const struct mdk_gvt_host *h, const struct mdk_gvt_set *used,
			    size_t index);

struct mdk_gvt_fit {
	bool fits;
	int hidden_index;               /* an entry of `add` the host does not show, or -1 */
	enum mdk_gvt_res binding;       /* when !fits and hidden_index < 0 */
	unsigned long long need;        /* of the binding resource, by `add` */
	unsigned long long free;        /* left by `used` */
	unsigned long long pool;        /* for vGPUs on an idle GPU */
};
/* Can `add` be created on top of `used`?  Returns out->fits. */
bool mdk_gvt_fit(const struct mdk_gvt_host *h, const struct mdk_gvt_set *used,
		 const struct mdk_gvt_set *add, struct mdk_gvt_fit *out);

/* The smallest aperture (a power of two, as BAR sizes are, from 256 MiB
 * below T) with which the set fits an idle GPU of GGTT ggtt_mib; 0 when
 * none does. */
unsigned long long mdk_gvt_min_aperture(unsigned long long ggtt_mib, const struct mdk_gvt_set *s);

/* ---- host facts (gvt-host.c, gvt-conf.c) ---------------------------------------- */

/* The GGTT size from the override file (env.h: mdk_path_gvt_conf(), a line
 * "ggtt_mib = 1024|2048|4096"; '#' starts a comment).  A missing file
 * gives MDK_GVT_DEFAULT_GGTT_MIB with *configured false. */
int mdk_gvt_conf_ggtt(unsigned long long *ggtt_mib, bool *configured, struct mdk_error *e);

/* The aperture from the text of a PCI `resource` file: line 2 (BAR 2),
 * "start end flags" in hex, size end - start + 1. */
int mdk_gvt_parse_resource(const char *text, unsigned long long *aperture_mib,
			   struct mdk_error *e);

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
 * version and the running vGPUs.  -1 (with the file and reason) when a
 * fact of a GVT-g parent cannot be read. */
int mdk_gvt_probe(const char *parent, struct mdk_gvt_probe *p, struct mdk_error *e);
void mdk_gvt_probe_free(struct mdk_gvt_probe *p);

/* The running set without the vGPU `uuid` (NULL: all of them). */
void mdk_gvt_running_except(const struct mdk_gvt_probe *p, const char *uuid,
			    struct mdk_gvt_set *out);

/* With no vGPU running, compare the model with the available_instances
 * files and the visible types with the directory listing.  Returns 0
 * when they agree, 1 with *why (a message reason; fix) when they do not.
 * Unreadable files are not a disagreement. */
int mdk_gvt_crosscheck(const char *parent, const struct mdk_gvt_probe *p, char **why);

/* ---- decisions (gvt-check.c) --------------------------------------------------- */

/* What mdevkit-gvt answers to "pre define|modify|start": 0 = go ahead,
 * 1 = refuse with *refusal (one line).  *warnings gets the warning lines
 * (NULL-terminated, possibly empty).  config is the device from stdin. */
int mdk_gvt_pre(enum mdk_action action, const char *parent, const char *uuid, const char *type,
		const struct mdk_config *config, char **refusal, char ***warnings);

/* One auto definition as `mdevkit check` sees it. */
struct mdk_gvt_def {
	const char *uuid;
	const struct mdk_config *config;
	char *problem;          /* out: why this one cannot start, or NULL */
};

struct mdk_gvt_verdict {
	bool fits;
	char *reason;           /* when !fits: one line "<reason>; <fix>" */
	unsigned long long min_aperture_mib;    /* smallest that fits them; 0 none */
	char *warning;          /* model and kernel disagree, or NULL */
};

/* Do these auto definitions of a GVT-g parent fit an idle GPU together?
 * p must be a probe of kind MDK_GVT_PARENT. */
void mdk_gvt_check_defs(const struct mdk_gvt_probe *p, const char *parent,
			struct mdk_gvt_def *defs, size_t n, struct mdk_gvt_verdict *v);
void mdk_gvt_verdict_free(struct mdk_gvt_verdict *v);

/* For `mdevkit types --gvt`: indented lines (each "    ...\n") with the
 * budget of one type of a GVT-g parent: its share, what is free, what
 * limits it.  *text is NULL when parent/type is not GVT-g. */
int mdk_gvt_type_details(const char *parent, const char *type, char **text, struct mdk_error *e);

/* ---- messages (gvt-msg.c) ------------------------------------------------------- */

/* A line that echoes the callout's arguments as given, made safe to
 * print: a newline or an escape sequence in them must not split the line
 * or reach the terminal.  Control bytes become \xNN, and so do all bytes
 * above 0x7f when the line is not valid UTF-8.  Takes s, returns a new
 * string.  The refusal and warning below are passed through it. */
char *mdk_gvt_msg_line(char *s);
/* "cannot <action> <uuid> (<type>) on <parent>: <reason>; <fix>" */
char *mdk_gvt_msg_refusal(const char *action, const char *uuid, const char *type,
			  const char *parent, const char *reason_fix);
/* "warning: <action> <uuid> (<type>) on <parent>: <reason>; <fix>" */
char *mdk_gvt_msg_warning(const char *action, const char *uuid, const char *type,
			  const char *parent, const char *reason_fix);

/* The "<reason>; <fix>" parts. */
char *mdk_gvt_msg_unregistered(const char *parent);
char *mdk_gvt_msg_not_gvt(const char *parent);
char *mdk_gvt_msg_unknown_type(const char *type, const struct mdk_gvt_host *h);
char *mdk_gvt_msg_wrong_version(const char *type, const struct mdk_gvt_host *h, size_t index);
char *mdk_gvt_msg_hidden_type(const char *type, const struct mdk_gvt_host *h, size_t index);
char *mdk_gvt_msg_attributes(const struct mdk_config *c);
char *mdk_gvt_msg_never_fits(const char *type, const struct mdk_gvt_host *h,
			     const struct mdk_gvt_fit *f, unsigned long long min_aperture);
/* holders: the running vGPUs that hold the binding resource */
char *mdk_gvt_msg_busy(const struct mdk_gvt_fit *f, const struct mdk_gvt_vgpu *holders, size_t n);
char *mdk_gvt_msg_busy_warning(const struct mdk_gvt_fit *f, const struct mdk_gvt_vgpu *holders,
			       size_t n);
/* a set on an idle GPU: "not enough X: they need N and the GPU has P for
 * vGPUs; <fix>" */
char *mdk_gvt_msg_set_shortage(const struct mdk_gvt_fit *f, unsigned long long min_aperture);
/* `check`: some definitions have problems of their own */
char *mdk_gvt_msg_defs_broken(size_t bad, size_t n);
/* `types --gvt` lines for one type (see mdk_gvt_type_details) */
char *mdk_gvt_msg_details(const struct mdk_gvt_host *h, const struct mdk_gvt_set *used,
			  size_t index);
/* the auto set: its members as "uuid (type)" strings */
char *mdk_gvt_msg_boot_set(const char *parent, const struct mdk_gvt_fit *f,
			   const char *const *members, size_t n, unsigned long long min_aperture);
char *mdk_gvt_msg_live_refuses(const char *type, long long model_avail,
			       const struct mdk_gvt_host *h);
char *mdk_gvt_msg_live_allows(const char *type, long long live_avail, const struct mdk_gvt_fit *f,
			      const struct mdk_gvt_host *h);
char *mdk_gvt_msg_crosscheck(const char *type, long long live, long long model,
			     const struct mdk_gvt_host *h, unsigned long long suggested_ggtt);
/* the kernel's available_instances of type cannot be read or parsed */
char *mdk_gvt_msg_avail_bad(const char *type, const char *why);
/* the kernel's description of type cannot be read or is not a GVT-g one */
char *mdk_gvt_msg_desc_bad(const char *type, const char *why);
char *mdk_gvt_msg_desc_mismatch(const char *type, const struct mdk_gvt_desc *d, size_t index);
char *mdk_gvt_msg_visible_mismatch(const char *type, bool shown, const struct mdk_gvt_host *h);
/* hosts the model rejects (mdk_gvt_host_check) */
char *mdk_gvt_msg_small_aperture(const struct mdk_gvt_host *h);
char *mdk_gvt_msg_no_hidden(const struct mdk_gvt_host *h);
/* a fact could not be read: the error's text as reason */
char *mdk_gvt_msg_facts(const struct mdk_error *e);
/* resource names for messages: "vGPU slots", "aperture", "hidden GM", "fences" */
const char *mdk_gvt_res_name(enum mdk_gvt_res r);
/* "512 MiB" or "3": an amount of resource r.  Caller frees. */
char *mdk_gvt_amount_text(enum mdk_gvt_res r, unsigned long long v);

#endif
