// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Versioned scripts (mdevctl 1.3+): before the first event of a device,
 * "get capabilities" goes to the scripts in search order with what
 * mdevctl provides on stdin; the first one that does not exit 2 and
 * prints a "supports" answer (whatever its exit code) handles every event
 * of that device type.  The result, "none" included, is kept per
 * (parent, type) for the life of the process.
 */
#include "callout-int.h"

#include "mdevkit/log.h"
#include "mdevkit/output.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

struct cached {
	char *parent, *type;
	struct mdk_script *script;      /* NULL: no versioned script */
	char *error;                    /* the probe timed out: this, for every device */
};

static struct cached *cache;
static size_t n_cache;

static void cache_free(void)
{
	for (size_t i = 0; i < n_cache; i++) {
		free(cache[i].parent);
		free(cache[i].type);
		mdk_script_free(cache[i].script);
		free(cache[i].error);
	}
	free(cache);
	cache = NULL;
	n_cache = 0;
}

static struct cached *lookup(const char *parent, const char *type)
{
	for (size_t i = 0; i < n_cache; i++)
		if (!strcmp(cache[i].parent, parent) && !strcmp(cache[i].type, type))
			return &cache[i];
	return NULL;
}

static struct cached *remember(const char *parent, const char *type)
{
	if (!cache)
		atexit(cache_free);     /* so leak checkers see a clean exit */
	cache = mdk_reallocarray(cache, n_cache + 1, sizeof(*cache));
	struct cached *x = &cache[n_cache++];
	*x = (struct cached){ mdk_strdup(parent), mdk_strdup(type), NULL, NULL };
	return x;
}

/* the order mdevctl sends them in */
static const enum mdk_event event_order[] = {
	MDK_EVENT_PRE, MDK_EVENT_POST, MDK_EVENT_NOTIFY, MDK_EVENT_GET, MDK_EVENT_LIVE,
};

/* The answer of the chosen script (already known to parse). */
static struct mdk_script *chosen(const char *path, const struct mdk_run *r)
{
	struct mdk_json_caps caps;
	bool bad_action = false, bad_event = false;

	mdk_json_caps_parse(r->out, r->out_len, "supports", &caps);
	unsigned actions = mdk_action_bits(caps.actions, false, &bad_action);
	unsigned events = mdk_event_bits(caps.events, false, &bad_event);
	mdk_json_caps_free(&caps);

	char *q = mdk_callout_quote(path);
	if (bad_action)
		mdk_warn("Callout script %s provides unknown Action type", q);
	if (bad_event)
		mdk_warn("Callout script %s provides unknown Event type", q);
	free(q);
	return mdk_script_new(path, actions, events);
}

static char *provides(void)
{
	const char *actions[MDK_N_ACTIONS], *events[MDK_ARRAY_SIZE(event_order)];
	size_t n_actions = mdk_action_names_of(MDK_ALL_ACTIONS, actions);

	for (size_t i = 0; i < MDK_ARRAY_SIZE(event_order); i++)
		events[i] = mdk_event_name(event_order[i]);
	return mdk_json_capabilities("provides", MDK_CAPS_VERSION, actions, n_actions,
				     events, MDK_ARRAY_SIZE(events));
}

static void probe(struct mdk_callout *c, struct cached *x)
{
	struct mdk_error e = MDK_ERROR_INIT;
	struct mdk_run r;
	char *path = NULL;
	char *input = provides();
	enum mdk_state state = c->state;

	c->state = MDK_STATE_NONE;
	int found = mdk_callout_search(c, MDK_EVENT_GET, MDK_ACTION_CAPABILITIES, input,
				       MDK_PICK_CAPS, &r, &path, &e);
	c->state = state;
	if (found == 1) {
		mdk_callout_show_stderr(path, &r);
		x->script = chosen(path, &r);
		mdk_run_free(&r);
		free(path);
	} else if (found < 0) {
		x->error = mdk_strdup(mdk_error_msg(&e));
	}
	mdk_error_clear(&e);
	free(input);
}

int mdk_callout_find_versioned(struct mdk_callout *c, struct mdk_error *e)
{
	mdk_script_free(c->script);
	c->script = NULL;
	if (!c->type)
		return 0;
	struct cached *x = lookup(c->parent, c->type);
	if (!x) {
		x = remember(c->parent, c->type);
		probe(c, x);
	}
	if (x->error) {
		mdk_fail(e, "%s", x->error);
		e->code = MDK_ERROR_TIMEOUT;
		return -MDK_ERROR_TIMEOUT;
	}
	if (x->script)
		c->script = mdk_script_new(x->script->path, x->script->actions, x->script->events);
	return 0;
}
