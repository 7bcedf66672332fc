// SPDX-License-Identifier: LGPL-2.1-or-later
/* start-parent-mdevs: bring up every auto definition of a parent. */
#include "device-internal.h"
#include "mdevkit/device.h"
#include "mdevkit/log.h"
#include "mdevkit/names.h"
#include "mdevkit/store.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

enum auto_state { NOT_AUTO, PENDING, UP, FAILED };

/* One round over the pending devices; returns whether any asked to be
 * tried again.  created[i]: device i was created (not found running). */
static bool start_round(struct mdk_defs *defs, enum auto_state *state, bool *created,
			struct mdk_ready *batch, bool last_round)
{
	bool retry = false;

	for (size_t i = 0; i < defs->n; i++) {
		if (state[i] != PENDING)
			continue;
		struct mdk_def *d = &defs->v[i];
		struct mdk_error err = MDK_ERROR_INIT;
		enum mdk_start_outcome outcome;

		if (mdk_device_start(d->uuid, d->parent, &d->config, false, true, batch, &outcome,
				     &err) == 0) {
			created[i] = outcome == MDK_START_CREATED;
			if (created[i])
				mdk_log(MDK_LOG_INFO, "Started %s (%s) on %s", d->uuid, d->config.type,
					d->parent);
			state[i] = UP;
			continue;
		}
		if (outcome == MDK_START_NOT_READY && !last_round) {
			mdk_log_error(MDK_LOG_NOTICE, &err, "Cannot start %s (%s) on %s yet: %m; trying again",
				      d->uuid, d->config.type, d->parent);
			retry = true;
		} else {
			mdk_log_error(MDK_LOG_ERR, &err, "Error: Cannot start auto device %s (%s) on %s: %m",
				      d->uuid, d->config.type, d->parent);
			state[i] = FAILED;
		}
	}
	return retry;
}

int mdk_start_parent(const char *parent, const struct mdk_autostart_opts *o, struct mdk_error *e)
{
	struct mdk_defs defs = MDK_DEFS_INIT;
	int r;

	r = mdk_name_check(MDK_NAME_PARENT, parent, e);
	if (r < 0)
		return r;
	r = mdk_store_scan(parent, NULL, &defs, e);
	if (r < 0)
		return r;

	enum auto_state *state = mdk_calloc(defs.n ? defs.n : 1, sizeof(*state));
	bool *created = mdk_calloc(defs.n ? defs.n : 1, sizeof(*created));
	for (size_t i = 0; i < defs.n; i++)
		state[i] = defs.v[i].config.autostart ? PENDING : NOT_AUTO;

	/* every device created first, then udev's work on them waited for */
	struct mdk_ready *batch = mdk_device_ready_open();
	unsigned delay = o->retry_delay_ms ? o->retry_delay_ms : 500;
	for (unsigned round = 0; round <= o->retries; round++) {
		if (round) {
			sleep_ms(delay);
			delay = delay >= 60000 ? 120000 : delay * 2;
		}
		if (!start_round(&defs, state, created, batch, round == o->retries))
			break;
	}

	int failed = 0;
	for (size_t i = 0; i < defs.n; i++) {
		if (state[i] == UP)
			mdk_device_ready_wait(batch, defs.v[i].uuid, created[i]);
		failed += state[i] == PENDING || state[i] == FAILED;
	}
	mdk_ready_free(batch);
	free(created);
	free(state);
	mdk_defs_free(&defs);
	return failed;
}

int mdk_start_registered_parents(const struct mdk_autostart_opts *o, struct mdk_error *e)
{
	char **parents;
	int failed = 0;
	int r;

	r = mdk_sysfs_parents(&parents, NULL, e);
	if (r < 0)
		return r;
	for (char **p = parents; *p; p++) {
		struct mdk_error err = MDK_ERROR_INIT;
		if (mdk_name_check(MDK_NAME_PARENT, *p, &err) < 0) {
			mdk_error_clear(&err);
			continue;
		}
		r = mdk_start_parent(*p, o, &err);
		if (r < 0) {
			mdk_log_error(MDK_LOG_ERR, &err, "Error: Cannot start the auto devices of %s: %m", *p);
			failed++;
		} else {
			failed += r;
		}
	}
	mdk_strv_free(parents);
	return failed;
}
