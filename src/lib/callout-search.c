// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which script handles an event, as mdevctl 1.3's callout(): a script
 * chosen before (versioned, or the one whose "pre" exited 0) is called
 * directly; otherwise the callout directories are searched in order,
 * each in byte-wise sorted order, for the first script that neither
 * exits 2 ("not my type") nor dies of a signal.
 */
#include "callout-int.h"

#include "mdevkit/env.h"
#include "mdevkit/log.h"
#include "mdevkit/output.h"
#include "mdevkit/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* What the 1.3 "version 1" script (found by a search) is asked for. */
#define V1_ACTIONS (MDK_ALL_ACTIONS & ~MDK_BIT(MDK_ACTION_CAPABILITIES))
#define V1_EVENTS (MDK_ALL_EVENTS & ~MDK_BIT(MDK_EVENT_LIVE))

struct mdk_script *mdk_script_new(const char *path, unsigned actions, unsigned events)
{
	struct mdk_script *s = mdk_malloc(sizeof(*s));

	*s = (struct mdk_script){ mdk_strdup(path), actions, events };
	return s;
}

void mdk_script_free(struct mdk_script *s)
{
	if (!s)
		return;
	free(s->path);
	free(s);
}

char *mdk_callout_quote(const char *s)
{
	struct mdk_buf b = MDK_BUF_INIT;
	bool utf8 = mdk_utf8_valid(s, strlen(s));

	mdk_buf_adds(&b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			mdk_buf_printf(&b, "\\%c", *p);
		else if (*p == '\n')
			mdk_buf_adds(&b, "\\n");
		else if (*p == '\r')
			mdk_buf_adds(&b, "\\r");
		else if (*p == '\t')
			mdk_buf_adds(&b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			mdk_buf_printf(&b, "\\u{%x}", *p);
		else if (*p >= 0x80 && !utf8)
			mdk_buf_printf(&b, "\\x%02X", *p);
		else
			mdk_buf_add(&b, p, 1);
	}
	mdk_buf_adds(&b, "\"");
	return mdk_buf_steal(&b);
}

int mdk_callout_run(const struct mdk_callout *c, const char *path, enum mdk_event ev,
		    enum mdk_action ac, const char *input, struct mdk_run *r)
{
	char *argv[] = {
		(char *)path,
		"-t", c->type,
		"-e", (char *)mdk_event_name(ev),
		"-a", (char *)mdk_action_name(ac),
		"-s", (char *)mdk_state_name(c->state),
		"-u", c->uuid,
		"-p", c->parent,
		NULL,
	};

	mdk_debug("%s-%s: executing %s", argv[4], argv[6], path);
	return mdk_run_script(argv, input, input ? strlen(input) : 0, mdk_callout_timeout(), r);
}

void mdk_callout_show_stderr(const char *path, const struct mdk_run *r)
{
	if (!r->err_len)
		return;
	const char *slash = strrchr(path, '/');
	struct mdk_buf b = MDK_BUF_INIT;

	/* one prefix for the whole text and no newline added, as mdevctl */
	mdk_buf_printf(&b, "%s: ", slash ? slash + 1 : path);
	mdk_buf_add(&b, r->err, r->err_len);
	/* the cut text ends wherever the cut fell: the note gets a line of its own */
	if (r->err_dropped && r->err[r->err_len - 1] != '\n')
		mdk_buf_adds(&b, "\n");
	mdk_log_text(MDK_LOG_NOTICE, b.data, b.len);
	mdk_buf_free(&b);
	if (r->err_dropped) {
		char *q = mdk_callout_quote(path);
		mdk_warn("Script %s wrote %llu more bytes on stderr; only the first %zu are shown",
			 q, r->err_dropped, r->err_len);
		free(q);
	}
}

int mdk_callout_check_size(const char *path, const struct mdk_run *r, struct mdk_error *e)
{
	if (!r->out_dropped)
		return 0;
	char *q = mdk_callout_quote(path);
	int rc = mdk_fail(e, "Script %s printed %llu bytes on stdout, more than the %zu an answer "
			  "may have; its answer is not used", q, r->out_dropped + r->out_len, r->out_len);
	free(q);
	return rc;
}

int mdk_callout_timeout_error(const char *path, enum mdk_event ev, enum mdk_action ac,
			      struct mdk_error *e)
{
	char *q = mdk_callout_quote(path);

	mdk_fail(e, "Script %s timed out after %us (event '%s', action '%s') and was killed; "
		 "set MDEVKIT_CALLOUT_TIMEOUT to more seconds, or 0 for no timeout",
		 q, mdk_callout_timeout(), mdk_event_name(ev), mdk_action_name(ac));
	free(q);
	e->code = MDK_ERROR_TIMEOUT;
	return -MDK_ERROR_TIMEOUT;
}

static int failed_with(const char *path, const char *status, struct mdk_error *e)
{
	char *q = mdk_callout_quote(path);

	int r = mdk_fail(e, "Script '%s' failed with status '%s'", q, status);
	free(q);
	return r;
}

static int failed_with_code(const char *path, int code, struct mdk_error *e)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", code);
	return failed_with(path, num, e);
}

static bool is_caps_answer(const struct mdk_run *r)
{
	struct mdk_json_caps caps;

	if (r->out_dropped || !mdk_utf8_valid(r->out, r->out_len) ||
	    !mdk_json_caps_parse(r->out, r->out_len, "supports", &caps))
		return false;
	mdk_json_caps_free(&caps);
	return true;
}

/* 1: this script answers (r kept), 0: try the next, -ETIME: it timed out. */
static int try_candidate(const struct mdk_callout *c, const char *path, enum mdk_event ev,
			 enum mdk_action ac, const char *input, enum mdk_pick pick,
			 struct mdk_run *r, struct mdk_error *e)
{
	int rc = mdk_callout_run(c, path, ev, ac, input, r);

	if (rc < 0) {
		/* not executable, a directory, no shebang: not a candidate */
		mdk_debug("failed to execute callout script %s: %s", path, strerror(-rc));
		return 0;
	}
	if (r->timed_out) {
		mdk_callout_show_stderr(path, r);
		mdk_run_free(r);
		return mdk_callout_timeout_error(path, ev, ac, e);
	}
	bool take = true;
	if (WIFSIGNALED(r->status)) {
		char *q = mdk_callout_quote(path);
		mdk_warn("callout script %s was terminated by a signal (%s); trying the next script",
			 q, strsignal(WTERMSIG(r->status)));
		free(q);
		take = false;
	} else if (WEXITSTATUS(r->status) == 2) {
		take = false;   /* not this script's device type */
	} else if (pick == MDK_PICK_CAPS && !is_caps_answer(r)) {
		take = false;
	}
	if (!take)
		mdk_run_free(r);
	return take;
}

static int search_dir(const struct mdk_callout *c, char *const *scripts, enum mdk_event ev,
		      enum mdk_action ac, const char *input, enum mdk_pick pick,
		      struct mdk_run *r, char **path, struct mdk_error *e)
{
	int found = 0;

	for (char *const *p = scripts; p && *p && !found; p++) {
		found = try_candidate(c, *p, ev, ac, input, pick, r, e);
		if (found == 1)
			*path = mdk_strdup(*p);
	}
	return found;
}

int mdk_callout_search(const struct mdk_callout *c, enum mdk_event ev, enum mdk_action ac,
		       const char *input, enum mdk_pick pick, struct mdk_run *r, char **path,
		       struct mdk_error *e)
{
	int found = 0;

	for (size_t i = 0; i < MDK_SCRIPT_DIRS && !found; i++)
		found = search_dir(c, mdk_script_paths(MDK_SCRIPTS_CALLOUTS, i), ev, ac, input, pick,
				   r, path, e);
	return found;
}

int mdk_script_check(const struct mdk_script *s, enum mdk_event ev, enum mdk_action ac,
		     struct mdk_error *e)
{
	const char *what = NULL, *name = NULL;

	if (!(s->actions & MDK_BIT(ac)))
		what = "action", name = mdk_action_debug_name(ac);
	else if (!(s->events & MDK_BIT(ev)))
		what = "event", name = mdk_event_debug_name(ev);
	if (!what)
		return 0;
	char *q = mdk_callout_quote(s->path);
	int r = mdk_fail(e, "Script %s does not support %s '%s'", q, what, name);
	free(q);
	return r;
}

/* A chosen script: exit 2 is no longer special and a signal counts as
 * success, as in mdevctl. */
static int call_direct(struct mdk_callout *c, enum mdk_event ev, enum mdk_action ac,
		       const char *input, struct mdk_run *r, struct mdk_error *e)
{
	const char *path = c->script->path;

	int rc = mdk_script_check(c->script, ev, ac, e);
	if (rc < 0)
		return rc;
	rc = mdk_callout_run(c, path, ev, ac, input, r);
	if (rc < 0) {
		char *q = mdk_callout_quote(path);
		rc = mdk_fail_errno(e, -rc, "Unable to run callout script %s", q);
		free(q);
		return rc;
	}
	mdk_callout_show_stderr(path, r);
	if (r->timed_out) {
		mdk_run_free(r);
		return mdk_callout_timeout_error(path, ev, ac, e);
	}
	if (WIFSIGNALED(r->status) && !(ev == MDK_EVENT_GET && ac == MDK_ACTION_ATTRIBUTES)) {
		/* a success for mdevctl too, but worth a word */
		char *q = mdk_callout_quote(path);
		mdk_warn("Script %s was killed by signal %d (%s) at %s %s; taken as success",
			 q, WTERMSIG(r->status), strsignal(WTERMSIG(r->status)),
			 mdk_event_name(ev), mdk_action_name(ac));
		free(q);
	}
	if (WIFSIGNALED(r->status) || WEXITSTATUS(r->status) == 0)
		return 1;
	int code = WEXITSTATUS(r->status);
	mdk_run_free(r);
	return failed_with_code(path, code, e);
}

int mdk_callout_call(struct mdk_callout *c, enum mdk_event ev, enum mdk_action ac,
		     const char *input, struct mdk_run *r, struct mdk_error *e)
{
	char *path = NULL;

	if (c->script)
		return call_direct(c, ev, ac, input, r, e);
	int found = mdk_callout_search(c, ev, ac, input, MDK_PICK_HANDLER, r, &path, e);
	if (found <= 0)
		return found;
	mdk_callout_show_stderr(path, r);
	int code = WEXITSTATUS(r->status);
	if (code == 0) {
		/* the same script handles the next events of this command */
		c->script = mdk_script_new(path, V1_ACTIONS, V1_EVENTS);
		free(path);
		return 1;
	}
	mdk_run_free(r);
	int rc = failed_with_code(path, code, e);
	free(path);
	return rc;
}
