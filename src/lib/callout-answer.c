// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The other side of the protocol: what a callout script (mdevkit-gvt)
 * answers when mdevctl or mdevkit asks it "get".  The script says what it
 * handles and has; the negotiation and the JSON are done here.
 */
#include "callout-int.h"

#include "mdevkit/config.h"
#include "mdevkit/output.h"

/* mdevctl 1.3 sends what it provides; ours are kept where it lists them */
static char *capabilities(const char *input, size_t len, unsigned actions, unsigned events)
{
	struct mdk_json_caps provided;
	const char *action_names[MDK_N_ACTIONS], *event_names[MDK_N_EVENTS];

	if (mdk_json_caps_parse(input, len, "provides", &provided)) {
		actions &= mdk_action_bits(provided.actions, true, NULL);
		events &= mdk_event_bits(provided.events, true, NULL);
		mdk_json_caps_free(&provided);
	}
	size_t n_actions = mdk_action_names_of(actions, action_names);
	size_t n_events = mdk_event_names_of(events, event_names);
	return mdk_json_capabilities("supports", MDK_CAPS_VERSION, action_names, n_actions,
				     event_names, n_events);
}

char *mdk_callout_answer_get(enum mdk_action action, const char *input, size_t len,
			     const struct mdk_callout_self *self)
{
	switch (action) {
	case MDK_ACTION_CAPABILITIES:
		return capabilities(input, len, self->actions, self->events);
	case MDK_ACTION_ATTRIBUTES:
		return mdk_json_attrs(self->attrs, self->n_attrs);
	default:
		return NULL;
	}
}
