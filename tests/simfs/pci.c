/* See pci.h.  Numbers follow a Skylake/Broadwell iGPU as Linux shows it;
 * the vendor parent uses QEMU's test vendor ID. */
#include "pci.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MIB (1024ULL * 1024ULL)

/* pci-sysfs resource flags as seen on these devices */
#define F_MEM64 0x140204ULL	/* 64-bit, non-prefetchable */
#define F_MEM64_PREF 0x14220cULL
#define F_MEM32 0x40200ULL
#define F_IO 0x40101ULL
#define F_ROM_SHADOW 0x212ULL
#define F_ROM 0x46200ULL

struct bar {
	unsigned long long start, size, flags;
};

struct ident {
	const char *driver;
	unsigned vendor, device, sub_vendor, sub_device, class, revision;
	struct bar res[7];	/* BARs 0-5 and the ROM */
};

static void ident_of(const struct sim_parent *p, struct ident *id)
{
	memset(id, 0, sizeof(*id));
	if (p->kind == KIND_GVT) {
		unsigned long long a = (unsigned long long)p->aperture_mb * MIB;
		id->driver = "i915";
		id->vendor = 0x8086;
		id->device = p->device_id;
		id->sub_vendor = 0x1458;
		id->sub_device = 0xd000;
		id->class = 0x030000;
		id->revision = p->gen == 8 ? 0x09 : 0x06;
		/* BAR0 GTTMMADR, BAR2 GMADR (the aperture), BAR4 I/O; 64-bit
		 * BARs leave lines 1 and 3 empty */
		id->res[0] = (struct bar){ 0xf6000000ULL, 16 * MIB, F_MEM64 };
		id->res[2] = (struct bar){ a <= 256 * MIB ? 0xe0000000ULL : 0x4000000000ULL, a,
					   F_MEM64_PREF };
		id->res[4] = (struct bar){ 0xf000, 64, F_IO };
		id->res[6] = (struct bar){ 0xc0000, 128 * 1024, F_ROM_SHADOW };
	} else {
		id->driver = "simvendor";
		id->vendor = 0x1234;
		id->device = 0x5a5a;
		id->sub_vendor = 0x1234;
		id->sub_device = 0x0001;
		id->class = 0x030200;
		id->revision = 0xa1;
		id->res[0] = (struct bar){ 0xde000000ULL, 16 * MIB, F_MEM32 };
		id->res[1] = (struct bar){ 0x4800000000ULL, 256 * MIB, F_MEM64_PREF };
		id->res[3] = (struct bar){ 0x4810000000ULL, 32 * MIB, F_MEM64_PREF };
		id->res[5] = (struct bar){ 0xe000, 128, F_IO };
		id->res[6] = (struct bar){ 0xdf000000ULL, 512 * 1024, F_ROM };
	}
}

static void put16(uint8_t *c, unsigned off, unsigned v)
{
	c[off] = (uint8_t)v;
	c[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *c, unsigned off, unsigned long long v)
{
	put16(c, off, (unsigned)(v & 0xffff));
	put16(c, off + 2, (unsigned)((v >> 16) & 0xffff));
}

/* 256 bytes of type-0 config space; for GVT, word 0x50 (GMCH control)
 * carries GGMS in bits 7:6 so the GGTT size can be read back */
static void config_of(const struct sim_parent *p, const struct ident *id, uint8_t c[256])
{
	memset(c, 0, 256);
	put16(c, 0x00, id->vendor);
	put16(c, 0x02, id->device);
	put16(c, 0x04, 0x0007);
	c[0x08] = (uint8_t)id->revision;
	c[0x09] = (uint8_t)(id->class & 0xff);
	c[0x0a] = (uint8_t)((id->class >> 8) & 0xff);
	c[0x0b] = (uint8_t)((id->class >> 16) & 0xff);
	for (unsigned i = 0; i < 6; i++) {
		const struct bar *b = &id->res[i];
		if (!b->size)
			continue;
		unsigned off = 0x10 + 4 * i;
		if (b->flags == F_IO) {
			put32(c, off, b->start | 1);
		} else if (b->flags == F_MEM32) {
			put32(c, off, b->start);
		} else {
			put32(c, off, (b->start & 0xfffffff0ULL) | (b->flags == F_MEM64_PREF ? 0xc : 0x4));
			put32(c, off + 4, b->start >> 32);
		}
	}
	put16(c, 0x2c, id->sub_vendor);
	put16(c, 0x2e, id->sub_device);
	c[0x3c] = 0xff;
	c[0x3d] = 1;
	if (p->kind == KIND_GVT) {
		unsigned ggms = p->ggtt_mb == 1024 ? 1 : p->ggtt_mb == 2048 ? 2 : 3;
		put16(c, 0x50, (0x01u << 8) | (ggms << 6));	/* 32 MiB stolen */
	}
}

void pci_build(struct node *root, const struct sim_parent *p)
{
	struct ident id;
	char path[1024];
	char *text;
	const char *dp = p->devpath;
	ident_of(p, &id);

#define AT(leaf) (snprintf(path, sizeof(path), "%s/%s", dp, (leaf)), path)
	text = xasprintf("0x%04x\n", id.vendor);
	tree_file(root, AT("vendor"), 0444, text);
	free(text);
	text = xasprintf("0x%04x\n", id.device);
	tree_file(root, AT("device"), 0444, text);
	free(text);
	text = xasprintf("0x%04x\n", id.sub_vendor);
	tree_file(root, AT("subsystem_vendor"), 0444, text);
	free(text);
	text = xasprintf("0x%04x\n", id.sub_device);
	tree_file(root, AT("subsystem_device"), 0444, text);
	free(text);
	text = xasprintf("0x%06x\n", id.class);
	tree_file(root, AT("class"), 0444, text);
	free(text);
	text = xasprintf("0x%02x\n", id.revision);
	tree_file(root, AT("revision"), 0444, text);
	free(text);

	/* dev_uevent + pci_uevent, in the kernel's order and formats */
	text = xasprintf("DRIVER=%s\nPCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
			 "PCI_SLOT_NAME=%s\nMODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
			 id.driver, id.class, id.vendor, id.device, id.sub_vendor, id.sub_device,
			 p->name, id.vendor, id.device, id.sub_vendor, id.sub_device,
			 (id.class >> 16) & 0xff, (id.class >> 8) & 0xff, id.class & 0xff);
	struct node *n = tree_file(root, AT("uevent"), 0644, text);
	n->op = OP_UEVENT;
	n->aux = xstrdup(dp);
	n->aux2 = xstrdup("pci");
	free(text);

	/* resource: BARs 0-5, ROM, then the six SR-IOV slots (CONFIG_PCI_IOV) */
	struct sbuf res = { 0 };
	for (unsigned i = 0; i < 13; i++) {
		const struct bar *b = i < 7 ? &id.res[i] : NULL;
		if (b && b->size)
			sb_printf(&res, "0x%016llx 0x%016llx 0x%016llx\n", b->start,
				  b->start + b->size - 1, b->flags);
		else
			sb_printf(&res, "0x%016llx 0x%016llx 0x%016llx\n", 0ULL, 0ULL, 0ULL);
	}
	tree_file(root, AT("resource"), 0444, res.s);
	sb_free(&res);
	for (unsigned i = 0; i < 6; i++) {
		if (!id.res[i].size || id.res[i].flags == F_IO)
			continue;
		char leaf[16];
		snprintf(leaf, sizeof(leaf), "resource%u", i);
		n = tree_file(root, AT(leaf), 0600, "");
		n->op = OP_RESOURCE;
		n->size = (off_t)id.res[i].size;	/* stat size = BAR size */
	}

	uint8_t cfg[256];
	config_of(p, &id, cfg);
	n = tree_file_bin(root, AT("config"), 0644, cfg, sizeof(cfg));
	n->op = OP_CONFIG;
	n->size = sizeof(cfg);

	char target[1024];
	snprintf(target, sizeof(target), "bus/pci/drivers/%s", id.driver);
	tree_link(root, AT("driver"), target);
	tree_link(root, AT("subsystem"), "bus/pci");
	snprintf(path, sizeof(path), "bus/pci/drivers/%s/%s", id.driver, p->name);
	tree_link(root, path, dp);
	snprintf(path, sizeof(path), "bus/pci/devices/%s", p->name);
	tree_link(root, path, dp);
#undef AT
}
