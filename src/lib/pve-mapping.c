// SPDX-License-Identifier: LGPL-2.1-or-later
/* This node's name, and /etc/pve/mapping/pci.cfg (pve.h): a section per
 * mapping ID, "ID" on a line of its own, then indented "key value"
 * lines up to a blank line; the "map" lines are property strings with
 * node= and path=. */
#include "pve-internal.h"
#include "mdevkit/env.h"
#include "mdevkit/pve.h"
#include "mdevkit/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* pve-common's node names: letters, digits and inner '-' */
static bool node_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

int mdk_pve_node_name(char **node, struct mdk_error *e)
{
	char *local = mdk_path_pve_local();
	char target[256];
	ssize_t n = readlink(local, target, sizeof(target) - 1);
	char *name = NULL;

	free(local);
	if (n > 0) {
		target[n] = '\0';
		if (mdk_str_has_prefix(target, "nodes/"))
			name = mdk_strdup(target + 6);
	}
	if (!name) {
		struct utsname u;
		if (uname(&u) < 0)
			return mdk_fail_errno(e, errno, "Unable to learn this node's name (uname)");
		name = mdk_strndup(u.nodename, strcspn(u.nodename, "."));
	}
	if (!node_valid(name)) {
		char *shown = mdk_str_excerpt(name, 80);
		int r = mdk_fail(e, "this node's name \"%s\" is not a Proxmox VE node name; check "
				 "/etc/pve/local and the host name", shown);
		free(shown);
		free(name);
		return r;
	}
	*node = name;
	return 0;
}

struct map_ctx {
	const char *path, *id, *node;
	bool found;             /* the section of id was seen */
	char **paths;
	size_t n;
};

/* one "map" value of the wanted section */
static int map_line(struct map_ctx *c, const char *value, unsigned no, struct mdk_error *e)
{
	struct mdk_pve_prop *props;
	size_t n;
	char *why;
	const char *node = NULL, *path = NULL;

	if (mdk_pve_props_split(value, &props, &n, &why) < 0) {
		int r = mdk_fail(e, "%s:%u: map of %s: %s; fix it under Datacenter, Resource Mappings",
				 c->path, no, c->id, why);
		free(why);
		return r;
	}
	for (size_t i = 0; i < n; i++) {
		if (props[i].key && !strcmp(props[i].key, "node"))
			node = props[i].value;
		else if (props[i].key && !strcmp(props[i].key, "path"))
			path = props[i].value;
	}
	int r = 0;
	if (!node || !path)
		r = mdk_fail(e, "%s:%u: map of %s has no %s=; fix it under Datacenter, Resource Mappings",
			     c->path, no, c->id, node ? "path" : "node");
	else if (!mdk_pve_address_list_valid(path, true)) {
		char *shown = mdk_str_excerpt(path, 60);
		r = mdk_fail(e, "%s:%u: map of %s: path \"%s\" is not a PCI address such as 0000:00:02.0 "
			     "(several joined by ';'); fix it under Datacenter, Resource Mappings",
			     c->path, no, c->id, shown);
		free(shown);
	} else if (!strcmp(node, c->node)) {
		c->paths = mdk_reallocarray(c->paths, c->n + 2, sizeof(*c->paths));
		c->paths[c->n++] = mdk_strdup(path);
		c->paths[c->n] = NULL;
	}
	mdk_pve_props_free(props, n);
	return r;
}

static int bad_line(const struct map_ctx *c, unsigned no, const char *line, const char *what,
		    struct mdk_error *e)
{
	char *shown = mdk_str_excerpt(line, 80);
	int r = mdk_fail(e, "%s:%u: \"%s\" %s; fix or remove the line", c->path, no, shown, what);

	free(shown);
	return r;
}

static int mapping_lines(struct map_ctx *c, char *text, struct mdk_error *e)
{
	bool in_section = false, wanted = false;
	unsigned no = 1;
	int r = 0;

	for (char *line = text, *next; line && r == 0; line = next, no++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t len = strlen(line);
		while (len && isspace((unsigned char)line[len - 1]))
			line[--len] = '\0';
		const char *s = line + strspn(line, " \t");
		if (*s == '#')
			continue;
		if (!*s) {
			in_section = false;
			continue;
		}
		bool indented = s != line;
		if (!in_section) {
			if (indented || strpbrk(line, " \t"))
				r = bad_line(c, no, line, "is not a mapping ID on a line of its own", e);
			in_section = true;
			wanted = !strcmp(line, c->id);
			c->found |= wanted;
			continue;
		}
		if (!indented) {
			r = bad_line(c, no, line, "is not an indented \"key value\" line of a mapping "
				     "(a blank line ends a mapping)", e);
			continue;
		}
		size_t k = strcspn(s, " \t");
		const char *value = s + k + strspn(s + k, " \t");
		if (wanted && k == 3 && !strncmp(s, "map", 3))
			r = map_line(c, value, no, e);
	}
	return r;
}

int mdk_pve_mapping_parse(const char *text, size_t len, const char *path, const char *id,
			  const char *node, char ***paths, size_t *n, struct mdk_error *e)
{
	struct map_ctx c = { path, id, node, false, NULL, 0 };

	if (memchr(text, '\0', len))
		return mdk_fail(e, "%s: contains a NUL byte; it is not Proxmox's PCI mapping file", path);
	char *copy = mdk_strndup(text, len);
	int r = mapping_lines(&c, copy, e);
	free(copy);
	if (r == 0 && !c.found)
		r = mdk_fail(e, "%s has no mapping %s; add it under Datacenter, Resource Mappings, or "
			     "give hostpci a host= address", path, id);
	else if (r == 0 && c.n == 0)
		r = mdk_fail(e, "mapping %s in %s has no device on node %s; add this node's device to it "
			     "under Datacenter, Resource Mappings", id, path, node);
	if (r < 0) {
		mdk_strv_free(c.paths);
		return r;
	}
	*paths = c.paths;
	*n = c.n;
	return 0;
}
