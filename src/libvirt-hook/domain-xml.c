// SPDX-License-Identifier: LGPL-2.1-or-later
/* The domain XML of libvirt's hook, read with libxml2. */
#include "domain-xml.h"

#include "mdevkit/util.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static bool named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (named(c, name))
			return c;
	return NULL;
}

/* attribute `name` of n is `value` */
static bool attr_is(const xmlNode *n, const char *name, const char *value)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	bool r = v && !strcmp((const char *)v, value);
	xmlFree(v);
	return r;
}

/* <hostdev mode='subsystem' type='mdev'><source><address uuid='U'/> */
static int add_mdev(const xmlNode *hostdev, struct hook_domain *d, struct mdk_error *e)
{
	const xmlNode *src = child(hostdev, "source");
	const xmlNode *addr = src ? child(src, "address") : NULL;
	xmlChar *u = addr ? xmlGetNoNsProp(addr, (const xmlChar *)"uuid") : NULL;
	mdk_uuid_str uuid;
	int r = 0;

	if (!u)
		r = mdk_fail(e, "a <hostdev type='mdev'> has no <source><address uuid=.../>: "
			     "name the mediated device by its UUID");
	else if (mdk_uuid_parse((const char *)u, uuid) < 0) {
		char *shown = mdk_str_excerpt((const char *)u, 64);
		r = mdk_fail(e, "the <hostdev type='mdev'> address uuid='%s' is not a UUID: "
			     "use the UUID of a device in 'mdevkit list -d'", shown);
		free(shown);
	}
	xmlFree(u);
	if (r < 0)
		return r;
	for (size_t i = 0; i < d->n_mdevs; i++)
		if (!strcmp(d->mdevs[i], uuid))
			return 0;
	if (d->n_mdevs == HOOK_DOMAIN_MDEVS_MAX)
		return mdk_fail(e, "the domain has more than %d mediated devices", HOOK_DOMAIN_MDEVS_MAX);
	d->mdevs = mdk_reallocarray(d->mdevs, d->n_mdevs + 1, sizeof(*d->mdevs));
	memcpy(d->mdevs[d->n_mdevs++], uuid, sizeof(uuid));
	return 0;
}

static int read_domain(const xmlDoc *doc, struct hook_domain *d, struct mdk_error *e)
{
	const xmlNode *root = xmlDocGetRootElement(doc);

	if (doc->intSubset || doc->extSubset)
		return mdk_fail(e, "the domain XML has a DOCTYPE; libvirt's never has one");
	if (!root || !named(root, "domain"))
		return mdk_fail(e, "the XML on stdin is not a libvirt <domain>");
	const xmlNode *u = child(root, "uuid");
	xmlChar *text = u ? xmlNodeGetContent(u) : NULL;
	int r = text && mdk_uuid_parse((const char *)text, d->uuid) == 0 ? 0 : -EINVAL;
	xmlFree(text);
	if (r < 0)
		return mdk_fail(e, "the domain XML has no <uuid> with a UUID");

	const xmlNode *devices = child(root, "devices");
	for (const xmlNode *h = devices ? devices->children : NULL; h; h = h->next) {
		if (!named(h, "hostdev") || !attr_is(h, "type", "mdev") || !attr_is(h, "mode", "subsystem"))
			continue;
		r = add_mdev(h, d, e);
		if (r < 0)
			return r;
	}
	return 0;
}

int hook_domain_parse(const char *xml, size_t len, struct hook_domain *out, struct mdk_error *e)
{
	memset(out, 0, sizeof(*out));
	if (len > HOOK_DOMAIN_XML_MAX)
		return mdk_fail(e, "the domain XML on stdin is larger than %u MiB", HOOK_DOMAIN_XML_MAX >> 20);
	/* no network, no entity substitution, no DTD loading; errors are
	 * reported below in one line, not printed by libxml2 */
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "domain.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	int r;

	if (!doc) {
		const xmlError *err = xmlGetLastError();
		char *msg = mdk_strdup(err && err->message ? err->message : "not well-formed");
		/* libxml2's text ends in a newline and may quote the input */
		char *why = mdk_str_excerpt(mdk_strstrip(msg), 200);
		r = mdk_fail(e, "the domain XML on stdin is malformed (line %d): %s",
			     err ? err->line : 0, why);
		free(why);
		free(msg);
		xmlResetLastError();
		return r;
	}
	r = read_domain(doc, out, e);
	xmlFreeDoc(doc);
	if (r < 0)
		hook_domain_free(out);
	return r;
}

void hook_domain_free(struct hook_domain *d)
{
	free(d->mdevs);
	d->mdevs = NULL;
	d->n_mdevs = 0;
}
