/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What mdevkit's libvirt hook needs of a domain's XML: the domain's UUID
 * and the UUIDs of its mediated devices, each <hostdev mode='subsystem'
 * type='mdev'> with <source><address uuid='...'/></source>.
 */
#ifndef MDEVKIT_HOOK_DOMAIN_XML_H
#define MDEVKIT_HOOK_DOMAIN_XML_H

#include "mdevkit/error.h"
#include "mdevkit/uuid.h"

#include <stddef.h>

/* libvirt's domain XML is a few KiB; more than this is not a domain */
#define HOOK_DOMAIN_XML_MAX (4u << 20)
/* more mdevs than this in one domain is not a real domain either */
#define HOOK_DOMAIN_MDEVS_MAX 256

struct hook_domain {
	mdk_uuid_str uuid;
	mdk_uuid_str *mdevs;    /* in document order, without repeats */
	size_t n_mdevs;
};

/* Parse len bytes of domain XML (no network, no entities, no DTD).
 * Returns 0, or -EINVAL with e saying what is wrong. */
int hook_domain_parse(const char *xml, size_t len, struct hook_domain *out, struct mdk_error *e);
void hook_domain_free(struct hook_domain *d);

#endif
