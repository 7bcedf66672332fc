// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The callouts of one device during one command, in mdevctl 1.3's order:
 * capabilities probe, "pre", the action, "post", notifiers; "get
 * attributes"; "live modify".  See callout.h.
 */
#include "callout-int.h"

#include "mdevkit/env.h"
#include "mdevkit/log.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct mdk_callout *mdk_callout_new(const char *uuid, const char *parent, const char *type,
				    const struct mdk_config *config)
{
	struct mdk_callout *c = mdk_calloc(1, sizeof(*c));

	c->uuid = mdk_strdup(uuid);
	/* without a parent there is nothing to pass as -p: no callouts either */
	c->parent = mdk_strdup(parent ? parent : "");
	c->type = type && parent ? mdk_strdup(type) : NULL;
	c->config = config;
	c->state = MDK_STATE_NONE;
	return c;
}

void mdk_callout_free(struct mdk_callout *c)
{
	if (!c)
		return;
	free(c->uuid);
	free(c->parent);
	free(c->type);
	mdk_script_free(c->script);
	free(c);
}

/* Every notifier of both directories, sorted (mdevctl: readdir order);
 * exit codes and output are ignored, only a timeout or a crash is worth a
 * word. */
static void notify(struct mdk_callout *c, enum mdk_action ac)
{
	for (size_t i = 0; i < MDK_SCRIPT_DIRS; i++) {
		char *const *scripts = mdk_script_paths(MDK_SCRIPTS_NOTIFIERS, i);
		for (char *const *p = scripts; p && *p; p++) {
			struct mdk_run r;
			if (mdk_callout_run(c, *p, MDK_EVENT_NOTIFY, ac, NULL, &r) < 0)
				continue;
			if (r.timed_out) {
				struct mdk_error e = MDK_ERROR_INIT;
				mdk_callout_timeout_error(*p, MDK_EVENT_NOTIFY, ac, &e);
				mdk_warn_error(&e, "%m");
			} else if (WIFSIGNALED(r.status)) {
				char *q = mdk_callout_quote(*p);
				mdk_warn("Notifier %s was killed by signal %d (%s)", q,
					 WTERMSIG(r.status), strsignal(WTERMSIG(r.status)));
				free(q);
			}
			mdk_run_free(&r);
		}
	}
}

/* What pre and post get on stdin; a device known only from sysfs is
 * {"mdev_type":..,"start":"manual","attrs":[]}. */
static char *device_json(const struct mdk_callout *c)
{
	if (c->config)
		return mdk_config_format_compact(c->config);
	struct mdk_config bare = MDK_CONFIG_INIT;
	mdk_config_set_type(&bare, c->type);
	char *text = mdk_config_format_compact(&bare);
	mdk_config_free(&bare);
	return text;
}

/* One event whose output nobody needs. */
static int call_quiet(struct mdk_callout *c, enum mdk_event ev, enum mdk_action ac,
		      const char *input, struct mdk_error *e)
{
	struct mdk_run r;
	int found = mdk_callout_call(c, ev, ac, input, &r, e);

	if (found == 1)
		mdk_run_free(&r);
	return found < 0 ? found : 0;
}

/* post's result does not change the command's; a hang is still reported */
static void post(struct mdk_callout *c, enum mdk_action ac, const char *input)
{
	struct mdk_error e = MDK_ERROR_INIT;

	if (call_quiet(c, MDK_EVENT_POST, ac, input, &e) < 0) {
		if (e.code == MDK_ERROR_TIMEOUT)
			mdk_warn("%s", mdk_error_msg(&e));
		else
			mdk_debug("post %s callout failed: %s", mdk_action_name(ac), mdk_error_msg(&e));
	}
	mdk_error_clear(&e);
}

int mdk_callout_invoke(struct mdk_callout *c, enum mdk_action action, bool force,
		       mdk_callout_fn fn, void *ctx, struct mdk_error *e)
{
	if (!c->type)
		return fn(ctx, e);

	struct mdk_error refusal = MDK_ERROR_INIT;
	char *input = device_json(c);      /* once: the action may change the config */
	int r = mdk_callout_find_versioned(c, &refusal);

	if (r == 0)
		r = call_quiet(c, MDK_EVENT_PRE, action, input, &refusal);
	if (r < 0 && !force) {
		notify(c, action);
		free(input);
		mdk_error_move(e, &refusal);
		return r;
	}
	if (r < 0) {
		mdk_warn("Forcing operation '%s' despite callout failure. Error was: %s",
			 mdk_action_name(action), mdk_error_msg(&refusal));
		mdk_error_clear(&refusal);
	}
	r = fn(ctx, e);
	c->state = r == 0 ? MDK_STATE_SUCCESS : MDK_STATE_FAILURE;
	post(c, action, input);
	notify(c, action);
	free(input);
	return r;
}

int mdk_callout_get_attributes(struct mdk_callout *c, struct mdk_attr **attrs, size_t *n,
			       struct mdk_error *e)
{
	struct mdk_run r;

	*attrs = NULL;
	*n = 0;
	if (!c->type)
		return 0;
	int rc = mdk_callout_find_versioned(c, e);
	if (rc < 0)
		return rc;
	int found = mdk_callout_call(c, MDK_EVENT_GET, MDK_ACTION_ATTRIBUTES, NULL, &r, e);
	if (found <= 0)
		return found;
	if (WIFSIGNALED(r.status)) {
		/* a chosen script killed by a signal: no answer to parse */
		char *q = mdk_callout_quote(c->script->path);
		rc = mdk_fail(e, "Script '%s' failed with status 'unknown'", q);
		free(q);
	} else if ((rc = mdk_callout_check_size(c->script->path, &r, e)) < 0) {
		/* too much output: rc says so */
	} else {
		rc = mdk_attrs_parse(r.out, r.out_len, attrs, n, e);
	}
	mdk_run_free(&r);
	return rc;
}

int mdk_callout_live(struct mdk_callout *c, const struct mdk_config *next, struct mdk_error *e)
{
	int rc = mdk_callout_find_versioned(c, e);
	if (rc < 0)
		return rc;
	if (!c->script)
		return mdk_fail(e, "No callout script with version support found that supports live modify");

	/* a script lacking live or modify is refused before anything runs */
	rc = mdk_script_check(c->script, MDK_EVENT_LIVE, MDK_ACTION_MODIFY, e);
	if (rc < 0)
		return rc;

	struct mdk_run r;
	char *input = mdk_config_format_compact(next);
	int found = mdk_callout_call(c, MDK_EVENT_LIVE, MDK_ACTION_MODIFY, input, &r, e);
	free(input);
	if (found == 1)
		mdk_run_free(&r);
	notify(c, MDK_ACTION_MODIFY);
	return found < 0 ? found : 0;
}
