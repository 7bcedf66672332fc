/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Callouts and notifiers, run exactly as mdevctl 1.3+ runs them.
 *
 * Scripts live in /usr/lib/mdevctl/scripts.d/callouts, then
 * /etc/mdevctl.d/scripts.d/callouts (notifiers likewise), are tried in
 * byte-wise sorted order, and get 12 arguments:
 *   -t <type> -e <event> -a <action> -s <state> -u <uuid> -p <parent>
 * Exit code 2 means "not my device type"; a script killed by a signal is
 * skipped.  Before the first event of a device, "get capabilities" finds a
 * versioned script (see spec §5.6); otherwise the first script that does
 * not exit 2 handles the event.  The handling script's stderr is shown as
 * "<file name>: <text>".
 *
 * Unlike mdevctl, a script that runs longer than the timeout is killed
 * (SIGTERM to its process group, SIGKILL one second later) and counts as
 * a failure: "Script "<path>" timed out after <N>s (event 'pre', action
 * 'start') and was killed; ...".  The timeout is MDEVKIT_CALLOUT_TIMEOUT
 * in seconds: default 30, 0 = wait forever.  A script that has exited is
 * not waited for beyond half a second more when something it left running
 * still holds its stdout or stderr.  Notifiers run in sorted order too
 * (mdevctl: directory order), and a notifier or "post" that times out is
 * reported as a warning.  The directories are listed once per process.  Each script runs in its own process group;
 * SIGINT, SIGTERM, SIGHUP or SIGQUIT sent to mdevkit while a script runs
 * is passed on to that group before mdevkit itself ends by it.
 */
#ifndef MDEVKIT_CALLOUT_H
#define MDEVKIT_CALLOUT_H

#include "mdevkit/config.h"
#include "mdevkit/error.h"

#include <stdbool.h>

enum mdk_event {
	MDK_EVENT_PRE,
	MDK_EVENT_POST,
	MDK_EVENT_GET,
	MDK_EVENT_NOTIFY,
	MDK_EVENT_LIVE,
};

enum mdk_action {
	MDK_ACTION_START,
	MDK_ACTION_STOP,
	MDK_ACTION_DEFINE,
	MDK_ACTION_UNDEFINE,
	MDK_ACTION_MODIFY,
	MDK_ACTION_ATTRIBUTES,
	MDK_ACTION_CAPABILITIES,
};

enum mdk_state {
	MDK_STATE_NONE,
	MDK_STATE_SUCCESS,
	MDK_STATE_FAILURE,
};

#define MDK_N_EVENTS (MDK_EVENT_LIVE + 1)
#define MDK_N_ACTIONS (MDK_ACTION_CAPABILITIES + 1)

/* Sets of actions or events: bit 1u << the enum value. */
#define MDK_BIT(x) (1u << (x))
#define MDK_ALL_EVENTS (MDK_BIT(MDK_N_EVENTS) - 1)
#define MDK_ALL_ACTIONS (MDK_BIT(MDK_N_ACTIONS) - 1)

/* Callouts for one device during one command. */
struct mdk_callout;

/* type may be NULL (then no callout runs, as mdevctl skips devices
 * without a type); config is what pre/post get on stdin. */
struct mdk_callout *mdk_callout_new(const char *uuid, const char *parent, const char *type,
				    const struct mdk_config *config);
void mdk_callout_free(struct mdk_callout *c);

typedef int (*mdk_callout_fn)(void *ctx, struct mdk_error *e);

/* mdevctl's invoke: "pre" (a refusal stops here unless force, and then
 * notifiers run with state none), fn, "post" with success/failure, then
 * notifiers.  Returns fn's result or the refusal. */
int mdk_callout_invoke(struct mdk_callout *c, enum mdk_action action, bool force,
		       mdk_callout_fn fn, void *ctx, struct mdk_error *e);

/* "get attributes": what the handling script prints, or none. */
int mdk_callout_get_attributes(struct mdk_callout *c, struct mdk_attr **attrs, size_t *n,
			       struct mdk_error *e);

/* "live modify" with the new definition on stdin, then notifiers; needs a
 * versioned script that lists "live" and "modify". */
int mdk_callout_live(struct mdk_callout *c, const struct mdk_config *next, struct mdk_error *e);

/* The protocol's names, as in argv and capabilities ("pre", "start",
 * "none"); the *_from_name give the enum value of one, -1 when unknown. */
const char *mdk_event_name(enum mdk_event ev);
const char *mdk_action_name(enum mdk_action ac);
const char *mdk_state_name(enum mdk_state st);
int mdk_event_from_name(const char *name);
int mdk_action_from_name(const char *name);

/* ---- the other side: answers of a callout script (mdevkit-gvt) -------- */

/* What a callout script handles and has, for its answers to "get". */
struct mdk_callout_self {
	unsigned actions;               /* set of enum mdk_action */
	unsigned events;                /* set of enum mdk_event */
	const struct mdk_attr *attrs;   /* what "get attributes" answers */
	size_t n_attrs;
};

/* The answer of such a script to "-e get -a <action>", given what came on
 * stdin: for capabilities {"supports":{"version":2,"actions":[...],
 * "events":[...]}} with those of its actions and events that mdevctl's
 * "provides" lists (names compared ignoring case), or all of them when
 * stdin has no "provides" (mdevctl 1.2); for attributes its attributes as
 * a JSON array ([] when none).  NULL for any other action: nothing to say.
 * Caller frees. */
char *mdk_callout_answer_get(enum mdk_action action, const char *input, size_t len,
			     const struct mdk_callout_self *self);

#endif
