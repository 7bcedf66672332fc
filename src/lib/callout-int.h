/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inside the callout code.  Every callout*.c includes this header and no
 * other callout file; the calls among them form a DAG, each module
 * calling only those after its arrow:
 *
 *   callout.c         the public calls, notifiers  -> caps search dirs run names
 *   callout-caps.c    capabilities probe, cache    -> search run names
 *   callout-search.c  which script handles an event -> dirs run names
 *   callout-answer.c  a script's answers to "get"  -> names
 *   callout-dirs.c    the directory listings       (leaf)
 *   callout-run.c     one process                  (leaf)
 *   callout-names.c   the protocol's words, sets   (leaf)
 *
 * Outside it they call config.h and output.h (all JSON), env.h, log.h and
 * util.h.
 */
#ifndef MDEVKIT_CALLOUT_INT_H
#define MDEVKIT_CALLOUT_INT_H

#include "mdevkit/callout.h"
#include "mdevkit/env.h"
#include "mdevkit/run.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

/* A script chosen for a device; actions/events are sets (MDK_BIT). */
struct mdk_script {
	char *path;
	unsigned actions;
	unsigned events;
};

struct mdk_callout {
	char *uuid;
	char *parent;
	char *type;                     /* NULL: no callouts */
	const struct mdk_config *config;
	enum mdk_state state;           /* -s of the next call */
	struct mdk_script *script;      /* called directly; NULL: search */
};

/* ---- callout-names.c ------------------------------------------------- */

/* The version of the capabilities exchange: mdevctl 1.3's "provides" and
 * a script's "supports". */
#define MDK_CAPS_VERSION 2

/* As mdevctl's messages print them (Rust's Debug): "Pre", "Modify". */
const char *mdk_event_debug_name(enum mdk_event ev);
const char *mdk_action_debug_name(enum mdk_action ac);

/* The set of the names in a NULL-terminated list (NULL: none); *unknown
 * (when not NULL) is set when a name is not one of ours. */
unsigned mdk_event_bits(char *const *names, bool ignore_case, bool *unknown);
unsigned mdk_action_bits(char *const *names, bool ignore_case, bool *unknown);
/* The names of a set in enum order into out (room for all of them);
 * returns how many. */
size_t mdk_event_names_of(unsigned set, const char **out);
size_t mdk_action_names_of(unsigned set, const char **out);

/* ---- callout-run.c --------------------------------------------------- */

/* MDEVKIT_CALLOUT_TIMEOUT in seconds (default 30, 0 = none). */
unsigned mdk_callout_timeout(void);

/* ---- callout-dirs.c -------------------------------------------------- */

/* Full paths of the scripts in directory i (0: /usr/lib..., 1: /etc...)
 * of a kind, sorted; NULL when the directory is missing.  Listed once. */
char *const *mdk_script_paths(enum mdk_script_kind kind, size_t i);

/* ---- callout-search.c ------------------------------------------------- */

/* error.code of "the script timed out" */
#define MDK_ERROR_TIMEOUT ETIME

enum mdk_pick {
	MDK_PICK_HANDLER,       /* the first script not exiting 2 */
	MDK_PICK_CAPS,          /* ... that also prints a capabilities answer */
};

/* Run one script with the 12 arguments for this callout. */
int mdk_callout_run(const struct mdk_callout *c, const char *path, enum mdk_event ev,
		    enum mdk_action ac, const char *input, struct mdk_run *r);

/* Search the callout directories.  1: *path answered (r filled), 0: none
 * did, -ETIME: the matching script timed out. */
int mdk_callout_search(const struct mdk_callout *c, enum mdk_event ev, enum mdk_action ac,
		       const char *input, enum mdk_pick pick, struct mdk_run *r, char **path,
		       struct mdk_error *e);

/* mdevctl's callout(): the chosen script directly, else a search (whose
 * script, when it exits 0, is kept for the next events).  1: r holds the
 * handler's output, 0: no script, -errno: error (refusal, timeout, ...). */
int mdk_callout_call(struct mdk_callout *c, enum mdk_event ev, enum mdk_action ac,
		     const char *input, struct mdk_run *r, struct mdk_error *e);

/* "<file name>: <stderr>" on our stderr, when there is any, and a line
 * saying how much more there was when it was cut. */
void mdk_callout_show_stderr(const char *path, const struct mdk_run *r);
/* The timeout failure, with error.code = MDK_ERROR_TIMEOUT. */
int mdk_callout_timeout_error(const char *path, enum mdk_event ev, enum mdk_action ac,
			      struct mdk_error *e);
/* An answer cut because the script printed more than is kept: the error
 * naming the script.  0 when r is complete. */
int mdk_callout_check_size(const char *path, const struct mdk_run *r, struct mdk_error *e);
/* A path as Rust's {:?} prints it: "..." with escapes.  Caller frees. */
char *mdk_callout_quote(const char *s);

void mdk_script_free(struct mdk_script *s);
/* A versioned script is only asked for the actions and events it listed:
 * 'Script "<path>" does not support action 'Modify'' otherwise. */
int mdk_script_check(const struct mdk_script *s, enum mdk_event ev, enum mdk_action ac,
		     struct mdk_error *e);
struct mdk_script *mdk_script_new(const char *path, unsigned actions, unsigned events);

/* ---- callout-caps.c --------------------------------------------------- */

/* Set c->script to the versioned script of (parent, type), probing once
 * per process; NULL when there is none.  -ETIME when the probe timed out. */
int mdk_callout_find_versioned(struct mdk_callout *c, struct mdk_error *e);

#endif
