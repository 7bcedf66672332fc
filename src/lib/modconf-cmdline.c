// SPDX-License-Identifier: LGPL-2.1-or-later
/* Arguments of the kernel command line and of modprobe.d options lines,
 * split the way the kernel splits them when it hands parameters to a
 * module (its next_arg(), lib/cmdline.c). */
#include "mdevkit/modconf.h"
#include "mdevkit/util.h"

#include <stdlib.h>
#include <string.h>

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool mdk_modname_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

/* Cut the argument at s into name and value in place; returns where the
 * next argument starts. */
static char *next_arg(char *s, char **name, char **value)
{
	bool in_quote = false, quoted = false;
	char *eq = NULL, *end;

	if (*s == '"') {
		s++;
		in_quote = quoted = true;
	}
	for (end = s; *end && (in_quote || !space(*end)); end++) {
		if (*end == '=' && !eq)
			eq = end;
		if (*end == '"')
			in_quote = !in_quote;
	}
	char *next = *end ? end + 1 : end;
	*end = '\0';
	*name = s;
	*value = NULL;
	if (eq) {
		*eq = '\0';
		*value = eq + 1;
		/* name="v": the value without its quotes */
		if (**value == '"') {
			(*value)++;
			if (end > *value && end[-1] == '"')
				end[-1] = '\0';
		}
	}
	/* "name=v": the whole argument was quoted */
	if (quoted && end > s && end[-1] == '"')
		end[-1] = '\0';
	while (space(*next))
		next++;
	return next;
}

int mdk_args_foreach(const char *text, bool stop_at_dashes, mdk_arg_fn fn, void *userdata)
{
	char *copy = mdk_strdup(text), *p = copy;
	int r = 0;

	while (space(*p))
		p++;
	while (r == 0 && *p) {
		char *name, *value;
		p = next_arg(p, &name, &value);
		if (stop_at_dashes && !value && !strcmp(name, "--"))
			break;
		if (*name)
			r = fn(name, value, userdata);
	}
	free(copy);
	return r;
}

struct lookup {
	const char *module, *param;
	bool found;
	char *value;
};

static int match_param(const char *name, const char *value, void *userdata)
{
	struct lookup *l = userdata;
	const char *dot = strchr(name, '.');

	if (!dot)
		return 0;
	char *module = mdk_strndup(name, (size_t)(dot - name));
	bool hit = mdk_modname_eq(module, l->module) && mdk_modname_eq(dot + 1, l->param);
	free(module);
	if (hit) {
		free(l->value);
		l->value = value ? mdk_strdup(value) : NULL;
		l->found = true;
	}
	return 0;
}

int mdk_cmdline_param(const char *cmdline, const char *module, const char *param, char **value)
{
	struct lookup l = { module, param, false, NULL };

	mdk_args_foreach(cmdline, true, match_param, &l);
	*value = l.value;
	return l.found;
}
