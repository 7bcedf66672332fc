/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Intel GVT-g vGPUs (i915 KVMGT): the kernel's type table and names, the
 * kernel's budget model, and the answers mdevkit-gvt and `mdevkit types
 * --gvt` give.  What only the library uses (host probe, decisions, the
 * messages) is in src/lib/gvt-internal.h.
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
 * The model (gvt-types.c, gvt-model.c) is pure arithmetic: no file, no
 * message text.  It answers with verdicts (numbers and enums); gvt-msg.c
 * turns them into text; gvt-host.c reads the host's facts and
 * gvt-parse.c parses the kernel's files.
 */
#ifndef MDEVKIT_GVT_H
#define MDEVKIT_GVT_H

#include "mdevkit/callout.h"
#include "mdevkit/config.h"
#include "mdevkit/error.h"

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

/* ---- the type table and names (gvt-types.c) ------------------------------------ */

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
 * 0 with *version and *index set, or -EINVAL. */
int mdk_gvt_parse_name(const char *type, unsigned *version, size_t *index);
/* The name of table entry index for version 4 or 5.  Caller frees. */
char *mdk_gvt_type_name(unsigned version, size_t index);
/* Name version for a graphics generation: 8 (Broadwell) -> 4, 9+ -> 5. */
unsigned mdk_gvt_version_of_gen(unsigned gen);

/* ---- what the kernel writes (gvt-parse.c) ---------------------------------------- */

/* A type's `description` file, "low_gm_size: 128MB\nhigh_gm_size: 512MB\n
 * fence: 4\nresolution: 1920x1200\nweight: 4\n" (4.11: no weight line). */
struct mdk_gvt_desc {
	unsigned aperture_mib, hidden_mib, fences, weight;
	bool has_weight;
	char resolution[16];
};
int mdk_gvt_parse_description(const char *text, struct mdk_gvt_desc *out, struct mdk_error *e);
/* The table entry with these resources, or -1 (gvt-types.c). */
int mdk_gvt_desc_index(const struct mdk_gvt_desc *d);

/* The aperture from the text of a PCI `resource` file: line 2 (BAR 2),
 * "start end flags" in hex, size end - start + 1. */
int mdk_gvt_parse_resource(const char *text, unsigned long long *aperture_mib,
			   struct mdk_error *e);

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

/* Can vGPUs be modelled on this host? */
enum mdk_gvt_host_problem {
	MDK_GVT_HOST_OK,
	MDK_GVT_HOST_SMALL_APERTURE,    /* A <= 128 MiB leaves nothing for vGPUs */
	MDK_GVT_HOST_NO_HIDDEN,         /* T - A <= 384 MiB: the kernel's unsigned pools wrap */
};
enum mdk_gvt_host_problem mdk_gvt_host_check(const struct mdk_gvt_host *h);

/* Does the kernel publish table entry index on this host (§2.3)? */
bool mdk_gvt_visible(const struct mdk_gvt_host *h, size_t index);
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

/* ---- answers (gvt-check.c) ----------------------------------------------------- */

/* What mdevkit-gvt answers to "pre define|modify|start": 0 = go ahead,
 * 1 = refuse with *refusal (one line).  *warnings gets the warning lines
 * (NULL-terminated, possibly empty).  config is the device from stdin. */
int mdk_gvt_pre(enum mdk_action action, const char *parent, const char *uuid, const char *type,
		const struct mdk_config *config, char **refusal, char ***warnings);

/* A vGPU by its UUID and type. */
struct mdk_gvt_member {
	const char *uuid;
	const char *type;
};

/* The vGPUs of one guest (a VM) about to start on parent, checked
 * together next to every vGPU running there (those of the guest that
 * already run hold their share already): each on its own as for a
 * start, then the set on the kernel's budget, then the kernel's rule
 * that one VM opens one GVT-g vGPU.  0 = go ahead, 1 = refuse with
 * *refusal, one line about member *culprit (n: the set).  *warnings as
 * for mdk_gvt_pre. */
int mdk_gvt_pre_guest(const char *parent, const struct mdk_gvt_member *m, size_t n,
		      char **refusal, size_t *culprit, char ***warnings);

/* For `mdevkit types --gvt`: indented lines (each "    ...\n") with the
 * budget of one type of a GVT-g parent: its share, what is free, what
 * limits it.  *text is NULL when parent/type is not GVT-g. */
int mdk_gvt_type_details(const char *parent, const char *type, char **text, struct mdk_error *e);

/* ---- messages (gvt-msg.c) ------------------------------------------------------- */

/* A line that echoes the callout's arguments as given, made safe to
 * print: a newline or an escape sequence in them must not split the line
 * or reach the terminal.  Control bytes become \xNN, and so do all bytes
 * above 0x7f when the line is not valid UTF-8.  Takes s, returns a new
 * string.  The refusal and warning lines are passed through it. */
char *mdk_gvt_msg_line(char *s);
/* "cannot <action> <uuid> (<type>) on <parent>: <reason>; <fix>" */
char *mdk_gvt_msg_refusal(const char *action, const char *uuid, const char *type,
			  const char *parent, const char *reason_fix);
/* resource names for messages: "vGPU slots", "aperture", "hidden GM", "fences" */
const char *mdk_gvt_res_name(enum mdk_gvt_res r);

#endif
