// SPDX-License-Identifier: LGPL-2.1-or-later
/* Decisions built from the probe and the model: what mdevkit-gvt answers
 * to pre define/modify/start, whether a parent's auto definitions fit
 * (`mdevkit check`), and the per-type budget for `types --gvt`. */
#include "mdevkit/gvt.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

struct lines {
	char **v;
	size_t n;
};

static void lines_add(struct lines *l, char *s)
{
	l->v = mdk_reallocarray(l->v, l->n + 2, sizeof(*l->v));
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

static const char *action_word(enum mdk_action a)
{
	switch (a) {
	case MDK_ACTION_DEFINE:
	case MDK_ACTION_MODIFY:
	case MDK_ACTION_START: return mdk_action_name(a);
	default: return "use";
	}
}

/* Problems of one device of its own (not of a set): the reason text, or
 * NULL when the type can start on an idle GPU of this host. */
static char *own_problem(const struct mdk_gvt_host *h, const char *type,
			 const struct mdk_config *c, size_t *index)
{
	unsigned v;
	struct mdk_gvt_set none, one;
	struct mdk_gvt_fit f;

	if (mdk_gvt_parse_name(type, &v, index) < 0)
		return mdk_gvt_msg_unknown_type(type, h);
	if (h->version && v != h->version)
		return mdk_gvt_msg_wrong_version(type, h, *index);
	if (!mdk_gvt_visible(h, *index))
		return mdk_gvt_msg_hidden_type(type, h, *index);
	if (c && c->n_attrs)
		return mdk_gvt_msg_attributes(c);
	memset(&none, 0, sizeof(none));
	memset(&one, 0, sizeof(one));
	one.n[*index] = 1;
	if (!mdk_gvt_fit(h, &none, &one, &f))
		return mdk_gvt_msg_never_fits(type, h, &f, mdk_gvt_min_aperture(h->ggtt_mib, &one));
	return NULL;
}

struct member {
	const char *uuid;
	const char *type;
};

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->uuid, ((const struct member *)b)->uuid);
}

/* The auto definitions of parent (with this one in place of any stored
 * definition of the same uuid): refusal reason, or NULL when they fit. */
static char *boot_set(const struct mdk_gvt_probe *p, const char *parent, const char *uuid,
		      const char *type, size_t index)
{
	struct mdk_defs defs = MDK_DEFS_INIT;
	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_gvt_set set, none;
	struct mdk_gvt_fit f;
	char *why = NULL;

	if (mdk_store_scan(parent, NULL, &defs, &e) < 0) {
		why = mdk_gvt_msg_facts(&e);
		mdk_error_clear(&e);
		return why;
	}
	struct member *m = mdk_calloc(defs.n + 1, sizeof(*m));
	size_t n = 0;
	memset(&set, 0, sizeof(set));
	memset(&none, 0, sizeof(none));
	for (size_t i = 0; i < defs.n; i++) {
		const struct mdk_def *d = &defs.v[i];
		unsigned v;
		size_t k;
		if (!d->config.autostart || !strcmp(d->uuid, uuid) ||
		    mdk_gvt_parse_name(d->config.type, &v, &k) < 0 ||
		    (p->host.version && v != p->host.version) || !mdk_gvt_visible(&p->host, k))
			continue;
		set.n[k]++;
		m[n++] = (struct member){ d->uuid, d->config.type };
	}
	set.n[index]++;
	m[n++] = (struct member){ uuid, type };
	if (!mdk_gvt_fit(&p->host, &none, &set, &f)) {
		qsort(m, n, sizeof(*m), member_cmp);
		char **names = mdk_calloc(n, sizeof(*names));
		for (size_t i = 0; i < n; i++)
			names[i] = mdk_asprintf("%s (%s)", m[i].uuid, m[i].type);
		why = mdk_gvt_msg_boot_set(parent, &f, (const char *const *)names, n,
					   mdk_gvt_min_aperture(p->host.ggtt_mib, &set));
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	free(m);
	mdk_defs_free(&defs);
	return why;
}

/* The running vGPUs other than uuid. */
static struct mdk_gvt_vgpu *holders(const struct mdk_gvt_probe *p, const char *uuid, size_t *n)
{
	struct mdk_gvt_vgpu *v = mdk_calloc(p->n_vgpus + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < p->n_vgpus; i++)
		if (strcmp(p->vgpus[i].uuid, uuid))
			v[(*n)++] = p->vgpus[i];
	return v;
}

/* Can it start now, next to the running vGPUs?  NULL, or a reason;
 * *is_warning says the kernel allows it although the model does not. */
static char *start_now(const struct mdk_gvt_probe *p, const char *parent, const char *uuid,
		       const char *type, size_t index, bool define, bool *is_warning)
{
	struct mdk_gvt_set used, one;
	struct mdk_gvt_fit f;
	struct mdk_error e = MDK_ERROR_INIT;
	long long live = -1;
	char *why = NULL;

	*is_warning = false;
	mdk_gvt_running_except(p, uuid, &used);
	memset(&one, 0, sizeof(one));
	one.n[index] = 1;
	bool fits = mdk_gvt_fit(&p->host, &used, &one, &f);
	bool itself_runs = mdk_gvt_set_count(&used) < p->n_vgpus;
	/* the kernel's own count is the authority for "can one start now";
	 * it cannot tell when the device itself already holds its share */
	if (itself_runs || mdk_sysfs_available(parent, type, &live, &e) < 0)
		live = -1;
	mdk_error_clear(&e);
	if (fits && live == 0) {
		why = mdk_gvt_msg_live_refuses(type, mdk_gvt_available(&p->host, &used, index), &p->host);
		*is_warning = define;
	} else if (!fits && live > 0) {
		why = mdk_gvt_msg_live_allows(type, live, &f, &p->host);
		*is_warning = true;
	} else if (!fits) {
		size_t n;
		struct mdk_gvt_vgpu *h = holders(p, uuid, &n);
		why = define ? mdk_gvt_msg_busy_warning(&f, h, n) : mdk_gvt_msg_busy(&f, h, n);
		*is_warning = define;
		free(h);
	}
	return why;
}

int mdk_gvt_pre(enum mdk_action action, const char *parent, const char *uuid, const char *type,
		const struct mdk_config *config, char **refusal, char ***warnings)
{
	const char *act = action_word(action);
	struct mdk_gvt_probe p;
	struct mdk_error e = MDK_ERROR_INIT;
	struct lines warn = { NULL, 0 };
	char *why = NULL;
	size_t index = 0;

	*refusal = NULL;
	lines_add(&warn, NULL);
	warn.n = 0;
	if (mdk_gvt_probe(parent, &p, &e) < 0) {
		why = mdk_gvt_msg_facts(&e);
		mdk_error_clear(&e);
		goto out;
	}
	if (p.kind == MDK_GVT_UNREGISTERED) {
		why = mdk_gvt_msg_unregistered(parent);
		goto out;
	}
	if (p.kind == MDK_GVT_OTHER) {
		why = mdk_gvt_msg_not_gvt(parent);
		goto out;
	}
	if (mdk_gvt_host_check(&p.host, &e) < 0) {
		why = mdk_strdup(mdk_error_msg(&e));
		mdk_error_clear(&e);
		goto out;
	}
	why = own_problem(&p.host, type, config, &index);
	if (why)
		goto out;
	char *cross = NULL;
	if (mdk_gvt_crosscheck(parent, &p, &cross))
		lines_add(&warn, mdk_gvt_msg_warning(act, uuid, type, parent, cross));
	free(cross);
	if (action != MDK_ACTION_START && config && config->autostart) {
		why = boot_set(&p, parent, uuid, type, index);
		if (why)
			goto out;
	}
	bool is_warning;
	why = start_now(&p, parent, uuid, type, index, action != MDK_ACTION_START, &is_warning);
	if (why && is_warning) {
		lines_add(&warn, mdk_gvt_msg_warning(act, uuid, type, parent, why));
		free(why);
		why = NULL;
	}
out:
	if (why) {
		*refusal = mdk_gvt_msg_refusal(act, uuid, type, parent, why);
		free(why);
	}
	mdk_gvt_probe_free(&p);
	*warnings = warn.v;
	return *refusal ? 1 : 0;
}

void mdk_gvt_verdict_free(struct mdk_gvt_verdict *v)
{
	free(v->reason);
	free(v->warning);
	memset(v, 0, sizeof(*v));
}

void mdk_gvt_check_defs(const struct mdk_gvt_probe *p, const char *parent,
			struct mdk_gvt_def *defs, size_t n, struct mdk_gvt_verdict *v)
{
	struct mdk_gvt_set set, named, none;
	struct mdk_gvt_fit f;
	struct mdk_error e = MDK_ERROR_INIT;
	size_t bad = 0;

	memset(v, 0, sizeof(*v));
	memset(&set, 0, sizeof(set));
	memset(&named, 0, sizeof(named));
	memset(&none, 0, sizeof(none));
	if (mdk_gvt_crosscheck(parent, p, &v->warning) == 0)
		v->warning = NULL;
	if (mdk_gvt_host_check(&p->host, &e) < 0) {
		v->reason = mdk_strdup(mdk_error_msg(&e));
		mdk_error_clear(&e);
	}
	for (size_t i = 0; i < n; i++) {
		unsigned ver;
		size_t k;
		const char *type = defs[i].config->type;
		defs[i].problem = v->reason ? NULL : own_problem(&p->host, type, defs[i].config, &k);
		if (mdk_gvt_parse_name(type, &ver, &k) == 0 &&
		    (!p->host.version || ver == p->host.version)) {
			named.n[k]++;
			if (!defs[i].problem)
				set.n[k]++;
		}
		bad += defs[i].problem != NULL;
	}
	v->min_aperture_mib = mdk_gvt_min_aperture(p->host.ggtt_mib, &named);
	if (v->reason)
		return;
	if (!mdk_gvt_fit(&p->host, &none, &set, &f))
		v->reason = mdk_gvt_msg_set_shortage(&f, v->min_aperture_mib);
	else if (bad)
		v->reason = mdk_gvt_msg_defs_broken(bad, n);
	v->fits = v->reason == NULL;
}

int mdk_gvt_type_details(const char *parent, const char *type, char **text, struct mdk_error *e)
{
	struct mdk_gvt_probe p;
	unsigned v;
	size_t index;

	*text = NULL;
	if (mdk_gvt_parse_name(type, &v, &index) < 0)
		return 0;
	if (mdk_gvt_probe(parent, &p, e) < 0)
		return -1;
	if (p.kind == MDK_GVT_PARENT)
		*text = mdk_gvt_msg_details(&p.host, &p.running, index);
	mdk_gvt_probe_free(&p);
	return 0;
}
