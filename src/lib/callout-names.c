// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The words of the callout protocol, written once: the event, action and
 * state names mdevctl passes in -e/-a/-s and lists in capabilities, the
 * capitalised forms its messages print (Rust's Debug), and the bit sets
 * of a script's actions and events.  A leaf: it uses no other part of
 * the callout code, so everything else may use it.
 */
#include "callout-int.h"

#include "mdevkit/util.h"

#include <string.h>
#include <strings.h>

struct word {
	const char *name;       /* on the command line and in JSON */
	const char *debug;      /* in mdevctl's messages */
};

static const struct word events[] = {
	[MDK_EVENT_PRE] = { "pre", "Pre" },
	[MDK_EVENT_POST] = { "post", "Post" },
	[MDK_EVENT_GET] = { "get", "Get" },
	[MDK_EVENT_NOTIFY] = { "notify", "Notify" },
	[MDK_EVENT_LIVE] = { "live", "Live" },
};

static const struct word actions[] = {
	[MDK_ACTION_START] = { "start", "Start" },
	[MDK_ACTION_STOP] = { "stop", "Stop" },
	[MDK_ACTION_DEFINE] = { "define", "Define" },
	[MDK_ACTION_UNDEFINE] = { "undefine", "Undefine" },
	[MDK_ACTION_MODIFY] = { "modify", "Modify" },
	[MDK_ACTION_ATTRIBUTES] = { "attributes", "Attributes" },
	[MDK_ACTION_CAPABILITIES] = { "capabilities", "Capabilities" },
};

static const char *const states[] = {
	[MDK_STATE_NONE] = "none",
	[MDK_STATE_SUCCESS] = "success",
	[MDK_STATE_FAILURE] = "failure",
};

_Static_assert(MDK_ARRAY_SIZE(events) == MDK_N_EVENTS, "one word per event");
_Static_assert(MDK_ARRAY_SIZE(actions) == MDK_N_ACTIONS, "one word per action");

const char *mdk_event_name(enum mdk_event ev)
{
	return (size_t)ev < MDK_N_EVENTS ? events[ev].name : "unknown";
}

const char *mdk_action_name(enum mdk_action ac)
{
	return (size_t)ac < MDK_N_ACTIONS ? actions[ac].name : "unknown";
}

const char *mdk_state_name(enum mdk_state st)
{
	return (size_t)st < MDK_ARRAY_SIZE(states) ? states[st] : "none";
}

const char *mdk_event_debug_name(enum mdk_event ev)
{
	return (size_t)ev < MDK_N_EVENTS ? events[ev].debug : "Unknown";
}

const char *mdk_action_debug_name(enum mdk_action ac)
{
	return (size_t)ac < MDK_N_ACTIONS ? actions[ac].debug : "Unknown";
}

static int lookup(const struct word *words, size_t n, const char *name, bool ignore_case)
{
	for (size_t i = 0; i < n; i++)
		if (!(ignore_case ? strcasecmp : strcmp)(words[i].name, name))
			return (int)i;
	return -1;
}

int mdk_event_from_name(const char *name)
{
	return lookup(events, MDK_N_EVENTS, name, false);
}

int mdk_action_from_name(const char *name)
{
	return lookup(actions, MDK_N_ACTIONS, name, false);
}

/* also_known: a name that is no word of ours but not unknown either */
static unsigned bits_of(const struct word *words, size_t n, char *const *names,
			bool ignore_case, const char *also_known, bool *unknown)
{
	unsigned bits = 0;

	for (char *const *name = names; name && *name; name++) {
		int i = lookup(words, n, *name, ignore_case);
		if (i >= 0)
			bits |= MDK_BIT(i);
		else if (unknown && !(also_known && !strcmp(*name, also_known)))
			*unknown = true;
	}
	return bits;
}

unsigned mdk_event_bits(char *const *names, bool ignore_case, bool *unknown)
{
	return bits_of(events, MDK_N_EVENTS, names, ignore_case, NULL, unknown);
}

unsigned mdk_action_bits(char *const *names, bool ignore_case, bool *unknown)
{
	/* mdevctl also knows "test" (its unit tests), which is never asked */
	return bits_of(actions, MDK_N_ACTIONS, names, ignore_case, "test", unknown);
}

static size_t names_of(const struct word *words, size_t n, unsigned set, const char **out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (set & MDK_BIT(i))
			out[k++] = words[i].name;
	return k;
}

size_t mdk_event_names_of(unsigned set, const char **out)
{
	return names_of(events, MDK_N_EVENTS, set, out);
}

size_t mdk_action_names_of(unsigned set, const char **out)
{
	return names_of(actions, MDK_N_ACTIONS, set, out);
}
