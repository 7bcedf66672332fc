/* The mtty sample driver: 24 serial ports shared by two types
 * (spec/gvt-g.md §5). */
#include "model.h"
#include "util.h"

#define MAX_MTTYS 24

void mtty_init(struct sim_parent *p)
{
	static const struct {
		unsigned ports;
		const char *name;
	} defs[] = { { 1, "Single port serial" }, { 2, "Dual port serial" } };
	p->ports = MAX_MTTYS;
	p->types = xcalloc(2, sizeof(*p->types));
	p->ntypes = 2;
	for (size_t i = 0; i < 2; i++) {
		p->types[i].dir = xasprintf("mtty-%u", defs[i].ports);
		p->types[i].name = xstrdup(defs[i].name);
		p->types[i].ports = defs[i].ports;	/* no description file */
	}
}

unsigned mtty_free_ports(const struct sim_host *h, const struct sim_parent *p)
{
	unsigned used = 0;
	for (size_t i = 0; i < h->ndevices; i++)
		if (h->devices[i]->parent == p)
			used += h->devices[i]->type->ports;
	return used < p->ports ? p->ports - used : 0;
}

unsigned mtty_available(const struct sim_host *h, const struct sim_parent *p,
			const struct sim_type *t)
{
	return mtty_free_ports(h, p) / t->ports;
}
