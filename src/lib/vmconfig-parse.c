// SPDX-License-Identifier: LGPL-2.1-or-later
/* Versions, resolutions and QEMU's property listings: pure text parsing
 * for vmconfig.h (fuzzed by tests/fuzz/vmconfig.c). */
#include "mdevkit/vmconfig.h"

#include "mdevkit/util.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#define VERSION_PART_MAX 9999u
#define RES_MAX 16384u

/* Digits at *p into *out (at most max, no sign, no leading '+'):
 * advances *p; -EINVAL when there are none or too many. */
static int number(const char **p, unsigned max, unsigned *out)
{
	unsigned long v = 0;
	const char *s = *p;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -EINVAL;
	}
	*out = (unsigned)v;
	*p = s;
	return 0;
}

/* X.Y[.Z] at *p; advances *p past it */
static int version_at(const char **p, struct mdk_version *v)
{
	struct mdk_version r = { 0, 0, 0 };
	const char *s = *p;

	if (number(&s, VERSION_PART_MAX, &r.major) < 0 || *s++ != '.' ||
	    number(&s, VERSION_PART_MAX, &r.minor) < 0)
		return -EINVAL;
	if (*s == '.') {
		s++;
		if (number(&s, VERSION_PART_MAX, &r.micro) < 0)
			return -EINVAL;
	}
	*v = r;
	*p = s;
	return 0;
}

int mdk_version_parse(const char *text, struct mdk_version *v)
{
	const char *s = text;
	struct mdk_version r;

	if (version_at(&s, &r) < 0 || *s)
		return -EINVAL;
	*v = r;
	return 0;
}

int mdk_version_find(const char *text, struct mdk_version *v)
{
	for (const char *s = text; *s; s++) {
		bool word_start = s == text || isspace((unsigned char)s[-1]);
		const char *p = s;
		if (word_start && version_at(&p, v) == 0)
			return 0;
	}
	return -EINVAL;
}

bool mdk_version_at_least(const struct mdk_version *v, unsigned major, unsigned minor,
			  unsigned micro)
{
	if (v->major != major)
		return v->major > major;
	if (v->minor != minor)
		return v->minor > minor;
	return v->micro >= micro;
}

int mdk_vm_parse_res(const char *text, unsigned *w, unsigned *h)
{
	const char *s = text;
	unsigned a, b;

	if (number(&s, RES_MAX, &a) < 0 || *s++ != 'x' || number(&s, RES_MAX, &b) < 0 || *s ||
	    a == 0 || b == 0)
		return -EINVAL;
	*w = a;
	*h = b;
	return 0;
}

/* name and the QEMU release that added it (hw/vfio/pci.c, hw/vfio/display.c;
 * romfile is every PCI device's) */
static const struct {
	const char *name;
	const char *since;
	struct mdk_version v;
} props[MDK_QEMU_NPROPS] = {
	[MDK_QEMU_DISPLAY] = { "display", "2.12", { 2, 12, 0 } },
	[MDK_QEMU_RAMFB] = { "ramfb", "3.1", { 3, 1, 0 } },
	[MDK_QEMU_X_IGD_OPREGION] = { "x-igd-opregion", "2.7", { 2, 7, 0 } },
	[MDK_QEMU_XRES] = { "xres", "4.0", { 4, 0, 0 } },
	[MDK_QEMU_YRES] = { "yres", "4.0", { 4, 0, 0 } },
	[MDK_QEMU_ROMFILE] = { "romfile", "0.13", { 0, 13, 0 } },
};
/* vfio-pci-nohotplug came with ramfb */
#define NOHOTPLUG_SINCE MDK_QEMU_RAMFB

const char *mdk_qemu_prop_name(enum mdk_qemu_prop p)
{
	return p < MDK_QEMU_NPROPS ? props[p].name : "";
}

const char *mdk_qemu_prop_since(enum mdk_qemu_prop p)
{
	return p < MDK_QEMU_NPROPS ? props[p].since : "";
}

int mdk_qemu_parse_help(const char *text, struct mdk_qemu_caps *c)
{
	int n = 0;

	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *s = line, *stop = line + len;
		while (s < stop && (*s == ' ' || *s == '\t'))
			s++;
		const char *eq = memchr(s, '=', (size_t)(stop - s));
		if (eq) {
			/* "DRIVER.name=type": the name after the last '.' */
			const char *dot = NULL;
			for (const char *q = s; q < eq; q++)
				if (*q == '.')
					dot = q;
			const char *name = dot ? dot + 1 : s;
			size_t name_len = (size_t)(eq - name);
			if (name_len && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") >= name_len) {
				n++;
				for (size_t i = 0; i < MDK_QEMU_NPROPS; i++)
					if (strlen(props[i].name) == name_len &&
					    !memcmp(props[i].name, name, name_len))
						c->has[i] = true;
			}
		}
		line = end ? end + 1 : NULL;
	}
	return n;
}

void mdk_qemu_caps_of_version(const struct mdk_version *v, struct mdk_qemu_caps *c)
{
	const struct mdk_version *nh = &props[NOHOTPLUG_SINCE].v;

	c->nohotplug = mdk_version_at_least(v, nh->major, nh->minor, nh->micro);
	for (size_t i = 0; i < MDK_QEMU_NPROPS; i++)
		c->has[i] = mdk_version_at_least(v, props[i].v.major, props[i].v.minor,
						 props[i].v.micro);
}
