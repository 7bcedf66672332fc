// SPDX-License-Identifier: LGPL-2.1-or-later
/* Decisions built from the probe and the model: what mdevkit-gvt answers
 * to pre define/modify/start, whether a parent's auto definitions fit
 * (`mdevkit check`), and the per-type budget for `types --gvt`.  The
 * model gives the verdicts, gvt-msg.c the words. */
#include "gvt-internal.h"
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
	struct mdk_gvt_device_verdict v;

	mdk_gvt_judge_device(h, type, c ? c->n_attrs : 0, &v);
	*index = v.index;
	return mdk_gvt_msg_device(type, h, c, &v);
}

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mdk_gvt_member *)a)->uuid,
		      ((const struct mdk_gvt_member *)b)->uuid);
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
	struct mdk_gvt_member *m = mdk_calloc(defs.n + 1, sizeof(*m));
	size_t n = 0;
	memset(&set, 0, sizeof(set));
	memset(&none, 0, sizeof(none));
	for (size_t i = 0; i < defs.n; i++) {
		const struct mdk_def *d = &defs.v[i];
		size_t k;
		if (!d->config.autostart || !strcmp(d->uuid, uuid) ||
		    !mdk_gvt_host_type(&p->host, d->config.type, &k) || !mdk_gvt_visible(&p->host, k))
			continue;
		set.n[k]++;
		m[n++] = (struct mdk_gvt_member){ d->uuid, d->config.type };
	}
	set.n[index]++;
	m[n++] = (struct mdk_gvt_member){ uuid, type };
	if (!mdk_gvt_fit(&p->host, &none, &set, &f)) {
		qsort(m, n, sizeof(*m), member_cmp);
		why = mdk_gvt_msg_boot_set(parent, &f, m, n,
					   mdk_gvt_min_aperture(p->host.ggtt_mib, &set));
	}
	free(m);
	mdk_defs_free(&defs);
	return why;
}

/* The model and the kernel disagree: the reason, or NULL. */
static char *crosscheck(const char *parent, const struct mdk_gvt_probe *p)
{
	struct mdk_gvt_crosscheck c;
	char *why = NULL;

	if (mdk_gvt_crosscheck(parent, p, &c))
		why = mdk_gvt_msg_crosscheck(&p->host, &c);
	mdk_gvt_crosscheck_free(&c);
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
	struct mdk_gvt_set used;
	struct mdk_gvt_start_verdict v;
	struct mdk_error e = MDK_ERROR_INIT;
	long long live = -1;
	char *why = NULL;

	*is_warning = false;
	mdk_gvt_running_except(p, uuid, &used);
	bool itself_runs = mdk_gvt_set_count(&used) < p->n_vgpus;
	/* the kernel's count cannot tell when the device itself already
	 * holds its share */
	if (itself_runs || mdk_sysfs_available(parent, type, &live, &e) < 0)
		live = -1;
	mdk_error_clear(&e);
	switch (mdk_gvt_judge_start(&p->host, &used, index, live, &v)) {
	case MDK_GVT_START_KERNEL_REFUSES:
		why = mdk_gvt_msg_live_refuses(type, v.model_avail, &p->host);
		*is_warning = define;
		break;
	case MDK_GVT_START_KERNEL_ALLOWS:
		why = mdk_gvt_msg_live_allows(type, live, &v.fit, &p->host);
		*is_warning = true;
		break;
	case MDK_GVT_START_BUSY: {
		size_t n;
		struct mdk_gvt_vgpu *h = holders(p, uuid, &n);
		why = define ? mdk_gvt_msg_busy_warning(&v.fit, h, n) : mdk_gvt_msg_busy(&v.fit, h, n);
		*is_warning = define;
		free(h);
		break;
	}
	default:
		break;
	}
	return why;
}

/* Probe parent: why no vGPU can start on it, or NULL.  p is always
 * filled (free it). */
static char *parent_problem(const char *parent, struct mdk_gvt_probe *p)
{
	struct mdk_error e = MDK_ERROR_INIT;
	char *why;

	if (mdk_gvt_probe(parent, p, &e) < 0) {
		why = mdk_gvt_msg_facts(&e);
		mdk_error_clear(&e);
		return why;
	}
	if (p->kind == MDK_GVT_UNREGISTERED)
		return mdk_gvt_msg_unregistered(parent);
	if (p->kind == MDK_GVT_OTHER)
		return mdk_gvt_msg_not_gvt(parent);
	return mdk_gvt_msg_host(&p->host, mdk_gvt_host_check(&p->host));
}

int mdk_gvt_pre(enum mdk_action action, const char *parent, const char *uuid, const char *type,
		const struct mdk_config *config, char **refusal, char ***warnings)
{
	const char *act = action_word(action);
	struct mdk_gvt_probe p;
	struct lines warn = { NULL, 0 };
	char *why = NULL;
	size_t index = 0;

	*refusal = NULL;
	lines_add(&warn, NULL);
	warn.n = 0;
	why = parent_problem(parent, &p);
	if (why)
		goto out;
	why = own_problem(&p.host, type, config, &index);
	if (why)
		goto out;
	char *cross = crosscheck(parent, &p);
	if (cross)
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

static bool is_running(const struct mdk_gvt_probe *p, const char *uuid)
{
	for (size_t i = 0; i < p->n_vgpus; i++)
		if (!strcmp(p->vgpus[i].uuid, uuid))
			return true;
	return false;
}

/* The members that do not run yet, together next to the running set:
 * the reason they do not fit, or NULL; *culprit as for mdk_gvt_pre_guest. */
static char *guest_fits(const struct mdk_gvt_probe *p, const char *parent,
			const struct mdk_gvt_member *m, const size_t *index, size_t n,
			size_t *culprit, struct lines *warn)
{
	struct mdk_gvt_set add;
	size_t n_add = 0, last = 0;
	char *why = NULL;

	memset(&add, 0, sizeof(add));
	for (size_t i = 0; i < n; i++)
		if (!is_running(p, m[i].uuid)) {
			add.n[index[i]]++;
			n_add++;
			last = i;
		}
	if (n_add == 1) {
		/* one new vGPU: exactly what a start of it is told */
		bool is_warning;
		why = start_now(p, parent, m[last].uuid, m[last].type, index[last], false, &is_warning);
		if (why && is_warning) {
			lines_add(warn, mdk_gvt_msg_warning("start", m[last].uuid, m[last].type, parent, why));
			free(why);
			why = NULL;
		}
		*culprit = last;
	} else if (n_add > 1) {
		struct mdk_gvt_fit f;
		if (!mdk_gvt_fit(&p->host, &p->running, &add, &f))
			why = mdk_gvt_msg_busy_guest(&f, p->vgpus, p->n_vgpus);
		*culprit = n;
	}
	if (!why && n > 1) {
		why = mdk_gvt_msg_one_per_guest(n);
		*culprit = n;
	}
	return why;
}

int mdk_gvt_pre_guest(const char *parent, const struct mdk_gvt_member *m, size_t n,
		      char **refusal, size_t *culprit, char ***warnings)
{
	struct mdk_gvt_probe p;
	struct lines warn = { NULL, 0 };
	size_t *index = mdk_calloc(n + 1, sizeof(*index));
	char *why;

	*refusal = NULL;
	*culprit = n;
	lines_add(&warn, NULL);
	warn.n = 0;
	why = parent_problem(parent, &p);
	for (size_t i = 0; !why && i < n; i++) {
		why = own_problem(&p.host, m[i].type, NULL, &index[i]);
		*culprit = i;
	}
	if (!why) {
		char *cross = crosscheck(parent, &p);
		if (cross)
			lines_add(&warn, mdk_gvt_msg_warning("start", m[0].uuid, m[0].type, parent, cross));
		free(cross);
		why = guest_fits(&p, parent, m, index, n, culprit, &warn);
	}
	if (why) {
		*refusal = *culprit < n ?
			mdk_gvt_msg_refusal("start", m[*culprit].uuid, m[*culprit].type, parent, why) :
			mdk_gvt_msg_refusal_set("start", m, n, parent, why);
		free(why);
	}
	free(index);
	mdk_gvt_probe_free(&p);
	*warnings = warn.v;
	return *refusal ? 1 : 0;
}

void mdk_gvt_check_defs(const struct mdk_gvt_probe *p, const char *parent,
			struct mdk_gvt_def *defs, size_t n, struct mdk_gvt_defs_report *v)
{
	struct mdk_gvt_set set, named, none;
	struct mdk_gvt_fit f;
	size_t bad = 0;

	memset(v, 0, sizeof(*v));
	memset(&set, 0, sizeof(set));
	memset(&named, 0, sizeof(named));
	memset(&none, 0, sizeof(none));
	v->warning = crosscheck(parent, p);
	v->reason = mdk_gvt_msg_host(&p->host, mdk_gvt_host_check(&p->host));
	for (size_t i = 0; i < n; i++) {
		size_t k;
		const char *type = defs[i].config->type;
		defs[i].problem = v->reason ? NULL : own_problem(&p->host, type, defs[i].config, &k);
		if (mdk_gvt_host_type(&p->host, type, &k)) {
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
	int r;

	*text = NULL;
	if (mdk_gvt_parse_name(type, &v, &index) < 0)
		return 0;
	r = mdk_gvt_probe(parent, &p, e);
	if (r < 0)
		return r;
	if (p.kind == MDK_GVT_PARENT) {
		struct mdk_gvt_budget b;
		mdk_gvt_budget(&p.host, &p.running, index, &b);
		*text = mdk_gvt_msg_details(&p.host, &b);
	}
	mdk_gvt_probe_free(&p);
	return 0;
}
