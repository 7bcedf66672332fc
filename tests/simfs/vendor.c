/* A generic vendor-like parent: types with fixed instance counts and two
 * writable per-device attributes that validate their input, so the
 * generic paths (name, description, attribute writes) get exercised. */
#include <errno.h>

#include "model.h"
#include "util.h"

#define CHANNEL_MAX 15

void vendor_add_type(struct sim_parent *p, const char *suffix, unsigned max)
{
	p->types = xrealloc(p->types, (p->ntypes + 1) * sizeof(*p->types));
	struct sim_type *t = &p->types[p->ntypes++];
	*t = (struct sim_type){ 0 };
	t->dir = xasprintf("simvendor-%s", suffix);
	t->name = xasprintf("Simulated %s", suffix);
	t->description = xasprintf("instances: %u\nattributes: channel display\n", max);
	t->max = max;
}

unsigned vendor_available(const struct sim_host *h, const struct sim_parent *p,
			  const struct sim_type *t)
{
	unsigned used = 0;
	for (size_t i = 0; i < h->ndevices; i++)
		if (h->devices[i]->parent == p && h->devices[i]->type == t)
			used++;
	return used < t->max ? t->max - used : 0;
}

const char *vendor_attr_name(enum vendor_attr a)
{
	return a == VATTR_CHANNEL ? "channel" : "display";
}

char *vendor_attr_text(const struct sim_device *d, enum vendor_attr a)
{
	if (a == VATTR_CHANNEL)
		return xasprintf("%lu\n", d->channel);
	return xstrdup(d->display ? "on\n" : "off\n");
}

int vendor_attr_write(struct sim_device *d, enum vendor_attr a, const char *buf)
{
	if (a == VATTR_CHANNEL) {
		/* like kstrtouint(buf, 10) plus a range check */
		unsigned long v;
		if (!parse_decimal(buf, true, CHANNEL_MAX, &v))
			return -EINVAL;
		d->channel = v;
		return 0;
	}
	if (sysfs_streq(buf, "on"))
		d->display = true;
	else if (sysfs_streq(buf, "off"))
		d->display = false;
	else
		return -EINVAL;
	return 0;
}
