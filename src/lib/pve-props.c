// SPDX-License-Identifier: LGPL-2.1-or-later
/* Proxmox's property strings and PCI address lists (pve-internal.h). */
#include "pve-internal.h"
#include "mdevkit/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

void mdk_pve_props_free(struct mdk_pve_prop *props, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(props[i].key);
		free(props[i].value);
	}
	free(props);
}

int mdk_pve_props_split(const char *s, struct mdk_pve_prop **props, size_t *n, char **why)
{
	struct mdk_pve_prop *v = NULL;
	size_t count = 0;
	bool bare = false;
	const char *p = s;

	*why = NULL;
	for (;;) {
		size_t len = strcspn(p, ",");
		char *item = mdk_strndup(p, len);
		char *eq = strchr(item, '=');
		if (!blank(item)) {
			if (eq && (eq == item || !eq[1])) {
				char *shown = mdk_str_excerpt(item, 60);
				*why = mdk_asprintf("\"%s\" has an empty %s", shown, eq == item ? "key" : "value");
				free(shown);
			} else if (!eq && bare) {
				*why = mdk_strdup("more than one item without a key");
			}
			if (*why) {
				free(item);
				mdk_pve_props_free(v, count);
				return -EINVAL;
			}
			v = mdk_reallocarray(v, count + 1, sizeof(*v));
			if (eq) {
				*eq = '\0';
				v[count].key = mdk_strdup(item);
				v[count].value = mdk_strdup(eq + 1);
			} else {
				bare = true;
				v[count].key = NULL;
				v[count].value = mdk_strdup(item);
			}
			count++;
		}
		free(item);
		if (!p[len])
			break;
		p += len + 1;
	}
	*props = v;
	*n = count;
	return 0;
}

static size_t hex_run(const char *s)
{
	size_t n = 0;

	while ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f'))
		n++;
	return n;
}

/* [domain:]bb:ss[.f] from s; returns its length or 0 */
static size_t address_len(const char *s, bool need_domain)
{
	size_t a = hex_run(s), at = 0;

	/* a run of 4 or more digits then ':' then a 2-digit run then ':' is a domain */
	if (a >= 4 && s[a] == ':' && hex_run(s + a + 1) == 2 && s[a + 3] == ':')
		at = a + 1;
	else if (need_domain)
		return 0;
	if (hex_run(s + at) != 2 || s[at + 2] != ':' || hex_run(s + at + 3) != 2)
		return 0;
	at += 5;
	if (s[at] == '.') {
		if (hex_run(s + at + 1) != 1)
			return 0;
		at += 2;
	}
	return at;
}

bool mdk_pve_address_list_valid(const char *s, bool need_domain)
{
	for (;;) {
		size_t n = address_len(s, need_domain);
		if (!n)
			return false;
		s += n;
		if (!*s)
			return true;
		if (*s++ != ';')
			return false;
	}
}
