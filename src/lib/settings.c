// SPDX-License-Identifier: LGPL-2.1-or-later
/* /etc/mdevkit/mdevkit.conf (settings.h): one row per key, each with the
 * parser of its value and the words that say what a value must be. */
#include "conf-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/pve.h"
#include "mdevkit/settings.h"
#include "mdevkit/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* the line suggested for one that is not "key = value" */
#define EXAMPLE "vfio_group = kvm"
/* a group name as useradd/groupadd accept it (shadow's NAME_REGEX default) */
#define GROUP_NAME_MAX 32

/* A whole decimal number in [min, max]; no sign, no spaces. */
static bool parse_number(const char *s, int base, unsigned long min, unsigned long max,
			 unsigned long *out)
{
	if (!*s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	unsigned long v = strtoul(s, &end, base);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool set_vfio_group(const char *v, struct mdk_settings *s)
{
	size_t n = strlen(v);

	if (n == 0 || n > GROUP_NAME_MAX || !(islower((unsigned char)v[0]) || v[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!islower((unsigned char)v[i]) && !isdigit((unsigned char)v[i]) && v[i] != '_' &&
		    v[i] != '-')
			return false;
	free(s->vfio_group);
	s->vfio_group = mdk_strdup(v);
	return true;
}

static bool set_vfio_mode(const char *v, struct mdk_settings *s)
{
	unsigned long mode;

	/* read and write bits only: a device node has no use for the others */
	if (v[0] != '0' || !parse_number(v, 8, 0, 0777, &mode) || (mode & 0111) || !(mode & 0600))
		return false;
	s->vfio_mode = (unsigned)mode;
	return true;
}

static bool set_ready_timeout(const char *v, struct mdk_settings *s)
{
	unsigned long sec;

	if (!parse_number(v, 10, 0, MDK_READY_TIMEOUT_SEC_MAX, &sec))
		return false;
	s->ready_timeout_sec = (unsigned)sec;
	return true;
}

static bool set_pve_keep_alive(const char *v, struct mdk_settings *s)
{
	unsigned long *ids = NULL;
	size_t n = 0;
	bool all = false, ok = true;
	char *copy = mdk_strdup(v);

	for (char *save, *w = strtok_r(copy, " \t,", &save); w && ok; w = strtok_r(NULL, " \t,", &save)) {
		unsigned long id;
		if (!strcmp(w, "all"))
			all = true;
		else if ((ok = parse_number(w, 10, MDK_PVE_VMID_MIN, MDK_PVE_VMID_MAX, &id))) {
			ids = mdk_reallocarray(ids, n + 1, sizeof(*ids));
			ids[n++] = id;
		}
	}
	free(copy);
	if (!ok || (!all && n == 0)) {
		free(ids);
		return false;
	}
	free(s->pve_keep_alive);
	s->pve_keep_alive = ids;
	s->n_pve_keep_alive = n;
	s->pve_keep_alive_all = all;
	return true;
}

static const struct setting {
	const char *key;
	bool (*set)(const char *value, struct mdk_settings *s);
	const char *expected;
} settings[] = {
	{ "vfio_group", set_vfio_group, "a group name such as kvm" },
	{ "vfio_mode", set_vfio_mode, "an octal mode with read/write bits only, such as 0660" },
	{ "ready_timeout_sec", set_ready_timeout, "a number of seconds from 0 to 600" },
	{ "pve_keep_alive", set_pve_keep_alive,
	  "Proxmox VMIDs (100 to 999999999) separated by spaces, or \"all\"" },
};

static int one_setting(const char *key, const char *value, const char *path, unsigned no,
		       void *data, struct mdk_error *e)
{
	for (size_t i = 0; i < MDK_ARRAY_SIZE(settings); i++) {
		if (strcmp(key, settings[i].key))
			continue;
		if (settings[i].set(value, data))
			return 0;
		char *shown = mdk_str_excerpt(value, 80);
		int r = mdk_fail(e, "%s:%u: %s is \"%s\"; it must be %s", path, no, key, shown,
				 settings[i].expected);
		free(shown);
		return r;
	}
	char *shown = mdk_str_excerpt(key, 80);
	int r = mdk_fail(e, "%s:%u: unknown setting \"%s\"; the settings are vfio_group, vfio_mode, "
			 "ready_timeout_sec and pve_keep_alive (mdevkit(8), FILES)", path, no, shown);
	free(shown);
	return r;
}

/* parsed holds what was read when r is 0: it replaces s */
static int take_parsed(int r, struct mdk_settings *parsed, struct mdk_settings *s)
{
	if (r < 0) {
		mdk_settings_free(parsed);
		return r;
	}
	mdk_settings_free(s);
	*s = *parsed;
	return 0;
}

int mdk_settings_parse(const char *text, size_t len, const char *path, struct mdk_settings *s,
		       struct mdk_error *e)
{
	struct mdk_settings parsed = MDK_SETTINGS_INIT;

	return take_parsed(mdk_conf_parse(text, len, path, EXAMPLE, one_setting, &parsed, e),
			   &parsed, s);
}

int mdk_settings_load(struct mdk_settings *s, struct mdk_error *e)
{
	struct mdk_settings parsed = MDK_SETTINGS_INIT;
	char *path = mdk_path_mdevkit_conf();
	int r = mdk_conf_load(path, EXAMPLE, one_setting, &parsed, e);

	free(path);
	return take_parsed(r, &parsed, s);
}

bool mdk_settings_pve_keep(const struct mdk_settings *s, unsigned long vmid)
{
	if (s->pve_keep_alive_all)
		return true;
	for (size_t i = 0; i < s->n_pve_keep_alive; i++)
		if (s->pve_keep_alive[i] == vmid)
			return true;
	return false;
}

void mdk_settings_free(struct mdk_settings *s)
{
	free(s->vfio_group);
	free(s->pve_keep_alive);
	*s = (struct mdk_settings)MDK_SETTINGS_INIT;
}
