// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mdevkit-gvt: the mdevctl callout for Intel GVT-g vGPUs (main() is in
 * mdevkit-gvt.c; this part is also driven by tests/fuzz/callout.c).
 *
 *   mdevkit-gvt -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT
 *
 * The six options come in any order, each exactly once.  A type that is
 * not i915-GVTg_* gets exit 2 ("not my device type") after stdin is
 * drained and before any file is touched.  Then:
 *   get capabilities   the events and actions mdevctl provides that this
 *                      callout handles, as {"supports":{"version":2,...}}
 *   get attributes     [] (GVT-g vGPUs have no attributes)
 *   pre define|modify|start
 *                      refuse (exit 1, one line on stderr) what cannot work
 *                      on this GPU, see gvt.h and mdevkit-gvt(8)
 *   anything else      nothing to do: exit 0 (also unknown events/actions)
 * stdout is written only for get.  mdevctl prefixes stderr with the file
 * name, so lines carry no program name.
 */
#include "gvt-callout.h"

#include "mdevkit/callout.h"
#include "mdevkit/config.h"
#include "mdevkit/env.h"
#include "mdevkit/gvt.h"
#include "mdevkit/log.h"
#include "mdevkit/output.h"
#include "mdevkit/util.h"
#include "mdevkit/uuid.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_NOT_MINE = 2 };

/* what is kept of stdin, and how much is read at most before giving up */
#define STDIN_KEEP (1u << 20)
#define STDIN_DRAIN (64u << 20)

enum opt { OPT_TYPE, OPT_EVENT, OPT_ACTION, OPT_STATE, OPT_UUID, OPT_PARENT, N_OPTS };
static const char opt_flag[N_OPTS] = { 't', 'e', 'a', 's', 'u', 'p' };

/* what mdevkit-gvt handles: every event and action; GVT-g vGPUs have no attributes */
static const struct mdk_callout_self gvt_callout = {
	.actions = MDK_ALL_ACTIONS,
	.events = MDK_ALL_EVENTS,
};

/* Read stdin to EOF (bounded), keeping the first STDIN_KEEP bytes.
 * *too_big says something was dropped. */
static char *read_stdin(int fd, size_t *len, bool *too_big)
{
	struct mdk_buf b = MDK_BUF_INIT;
	char chunk[16384];
	size_t total = 0;

	*too_big = false;
	while (total < STDIN_DRAIN) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (b.len + (size_t)n <= STDIN_KEEP)
			mdk_buf_add(&b, chunk, (size_t)n);
		else
			*too_big = true;
		total += (size_t)n;
	}
	*len = b.len;
	return mdk_buf_steal(&b);
}

static void drain_stdin(int fd)
{
	size_t len;
	bool big;

	free(read_stdin(fd, &len, &big));
}

/* 0, or -EINVAL with *why saying what is wrong with the arguments */
static int parse_args(int argc, char **argv, const char **val, char **why)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int k = -1;
		if (a[0] == '-' && a[1] && !a[2])
			for (int j = 0; j < N_OPTS; j++)
				if (a[1] == opt_flag[j])
					k = j;
		if (k < 0) {
			*why = mdk_asprintf("unexpected argument \"%s\"", a);
			return -EINVAL;
		}
		if (i + 1 >= argc) {
			*why = mdk_asprintf("%s has no value", a);
			return -EINVAL;
		}
		if (val[k]) {
			*why = mdk_asprintf("%s is given twice", a);
			return -EINVAL;
		}
		val[k] = argv[++i];
	}
	for (int j = 0; j < N_OPTS; j++)
		if (!val[j]) {
			*why = mdk_asprintf("-%c is missing", opt_flag[j]);
			return -EINVAL;
		}
	return 0;
}

/* get capabilities, get attributes: the library's answer, if any */
static int get(enum mdk_action action, const char *in, size_t len)
{
	char *answer = mdk_callout_answer_get(action, in, len, &gvt_callout);
	int rc = answer && (fputs(answer, stdout) < 0 || fflush(stdout)) ? EXIT_FAIL : EXIT_OK;

	free(answer);
	return rc;
}

static int pre(enum mdk_action action, const char *const *val, const char *in, size_t len,
	       bool too_big)
{
	const char *act = mdk_action_name(action);
	const char *type = val[OPT_TYPE], *parent = val[OPT_PARENT];
	struct mdk_config c = MDK_CONFIG_INIT;
	struct mdk_error e = MDK_ERROR_INIT;
	mdk_uuid_str uuid;
	char *refusal = NULL, **warnings = NULL, *why = NULL;
	bool have_config = false;

	if (mdk_uuid_parse(val[OPT_UUID], uuid) < 0) {
		why = mdk_asprintf("\"%s\" is not a UUID; pass the device's UUID with -u",
				   val[OPT_UUID]);
	} else if (too_big) {
		why = mdk_asprintf("the device JSON on stdin is larger than %u bytes; pass the "
				   "device's definition as mdevctl does", STDIN_KEEP);
	} else if (len) {
		/* empty stdin: no definition, checked as a manual device */
		if (mdk_config_parse(in, len, &c, &e) < 0) {
			char *err = mdk_error_oneline(&e);
			why = mdk_asprintf("the device JSON on stdin is not a definition (%s); pass "
					   "the device's definition as mdevctl does", err);
			free(err);
			mdk_error_clear(&e);
		}
		have_config = why == NULL;
	}
	if (why) {
		refusal = mdk_gvt_msg_refusal(act, val[OPT_UUID], type, parent, why);
		free(why);
	} else {
		mdk_gvt_pre(action, parent, uuid, type, have_config ? &c : NULL, &refusal, &warnings);
	}
	for (char **w = warnings; w && *w; w++) {
		fprintf(stderr, "%s\n", *w);
		free(*w);
	}
	free(warnings);
	if (refusal)
		fprintf(stderr, "%s\n", refusal);
	int rc = refusal ? EXIT_FAIL : EXIT_OK;
	free(refusal);
	mdk_config_free(&c);
	return rc;
}

int mdk_gvt_callout(int argc, char **argv, int in_fd)
{
	const char *val[N_OPTS] = { NULL };
	char *why = NULL;
	int parsed = parse_args(argc, argv, val, &why);

	/* not ours: answer at once, touching no file (stdin drained first so
	 * mdevctl 1.2 never sees EPIPE) */
	if (val[OPT_TYPE] && !mdk_gvt_is_family(val[OPT_TYPE])) {
		free(why);
		drain_stdin(in_fd);
		return EXIT_NOT_MINE;
	}
	mdk_log_open("mdevkit-gvt", MDK_LOG_STDERR);
	size_t len;
	bool too_big;
	char *in = read_stdin(in_fd, &len, &too_big);
	int rc = EXIT_OK;

	if (parsed < 0) {
		char *line = mdk_gvt_msg_line(mdk_asprintf("cannot check the arguments: %s; mdevctl "
			"passes -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT, each once", why));
		fprintf(stderr, "%s\n", line);
		free(line);
		rc = EXIT_FAIL;
		goto out;
	}
	int ev = mdk_event_from_name(val[OPT_EVENT]);
	int ac = mdk_action_from_name(val[OPT_ACTION]);
	if (ev < 0 || ac < 0)
		goto out;  /* an event or action newer than this callout: nothing to do */
	if (ev == MDK_EVENT_GET)
		rc = get((enum mdk_action)ac, in, len);
	else if (ev == MDK_EVENT_PRE && (ac == MDK_ACTION_DEFINE || ac == MDK_ACTION_MODIFY ||
					 ac == MDK_ACTION_START))
		rc = pre((enum mdk_action)ac, val, in, len, too_big);
out:
	free(why);
	free(in);
	mdk_env_reset();
	mdk_log_close();
	return rc;
}
