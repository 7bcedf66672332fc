// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The guest configuration as libvirt XML, built as a libxml2 tree (which
 * escapes for us) for the libvirt version at hand (spec journey.md §3):
 *
 *   3.9   user aliases ("ua-..."), which the properties are set through
 *   4.6   <hostdev ... display='on'>
 *   5.0   <gl rendernode=...> for egl-headless
 *   5.10  ramfb='on' (libvirt then picks vfio-pci-nohotplug itself)
 *   8.2   <qemu:override>; before it only <qemu:commandline> -set
 *
 * Only mdevkit-xml links this file (and libxml2).
 */
#include "mdevkit/vmconfig.h"

#include "mdevkit/util.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"
#define X(s) ((const xmlChar *)(s))

/* a property libvirt does not model: for <qemu:property> and for -set */
struct prop {
	const char *name;
	const char *type;       /* override type: bool, unsigned, string */
	char *value;            /* override value */
	char *set_value;        /* -set value */
};

struct props {
	struct prop v[8];
	size_t n;
};

static void add_prop(struct props *p, const char *name, const char *type, char *value,
		     char *set_value)
{
	if (p->n < MDK_ARRAY_SIZE(p->v))
		p->v[p->n++] = (struct prop){ name, type, value, set_value };
}

static void props_free(struct props *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].value);
		free(p->v[i].set_value);
	}
	p->n = 0;
}

static bool at_least(const struct mdk_version *v, unsigned major, unsigned minor)
{
	return mdk_version_at_least(v, major, minor, 0);
}

static void collect_props(const struct mdk_vmconfig *vm, const struct mdk_version *v,
			  struct props *p)
{
	p->n = 0;
	/* -set only: libvirt before 5.10 neither sets ramfb nor picks the driver */
	if (vm->display && !at_least(v, 5, 10)) {
		add_prop(p, "driver", NULL, NULL, mdk_strdup("vfio-pci-nohotplug"));
		add_prop(p, "ramfb", NULL, NULL, mdk_strdup("on"));
	}
	if (vm->gvt)
		add_prop(p, "x-igd-opregion", "bool", mdk_strdup("true"), mdk_strdup("on"));
	if (vm->display) {
		add_prop(p, "xres", "unsigned", mdk_asprintf("%u", vm->w), mdk_asprintf("%u", vm->w));
		add_prop(p, "yres", "unsigned", mdk_asprintf("%u", vm->h), mdk_asprintf("%u", vm->h));
	}
	if (vm->rom)
		add_prop(p, "romfile", "string", mdk_strdup(vm->rom), mdk_strdup(vm->rom));
}

/* the nodes of the configuration, in order; comments only for pieces */
struct nodes {
	xmlNodePtr v[16];
	size_t n;
	bool pieces;
};

static void add_node(struct nodes *ns, xmlNodePtr n)
{
	if (ns->n < MDK_ARRAY_SIZE(ns->v))
		ns->v[ns->n++] = n;
	else
		xmlFreeNode(n);
}

static void add_comment(struct nodes *ns, const char *text)
{
	if (ns->pieces)
		add_node(ns, xmlNewComment(X(text)));
}

static xmlNodePtr hostdev(const struct mdk_vmconfig *vm, const struct mdk_version *v)
{
	xmlNodePtr h = xmlNewNode(NULL, X("hostdev"));

	xmlNewProp(h, X("mode"), X("subsystem"));
	xmlNewProp(h, X("type"), X("mdev"));
	xmlNewProp(h, X("model"), X(vm->model));
	if (vm->display) {
		xmlNewProp(h, X("display"), X("on"));
		if (at_least(v, 5, 10))
			xmlNewProp(h, X("ramfb"), X("on"));
	}
	xmlNodePtr src = xmlNewChild(h, NULL, X("source"), NULL);
	xmlNodePtr addr = xmlNewChild(src, NULL, X("address"), NULL);
	xmlNewProp(addr, X("uuid"), X(vm->uuid));
	xmlNodePtr alias = xmlNewChild(h, NULL, X("alias"), NULL);
	xmlNewProp(alias, X("name"), X(vm->alias));
	return h;
}

static void graphics(const struct mdk_vmconfig *vm, const struct mdk_version *v,
		     struct nodes *ns)
{
	xmlNodePtr g = xmlNewNode(NULL, X("graphics"));

	if (vm->graphics == MDK_VM_SPICE) {
		add_comment(ns, " In <devices>, instead of other <graphics>: SPICE shows the vGPU's "
				"frames with OpenGL on the iGPU's render node, to a viewer on this "
				"host (GL needs a local socket: listen type none) ");
		xmlNewProp(g, X("type"), X("spice"));
		xmlNodePtr l = xmlNewChild(g, NULL, X("listen"), NULL);
		xmlNewProp(l, X("type"), X("none"));
		xmlNodePtr gl = xmlNewChild(g, NULL, X("gl"), NULL);
		xmlNewProp(gl, X("enable"), X("yes"));
		xmlNewProp(gl, X("rendernode"), X(vm->rendernode));
		add_node(ns, g);
		return;
	}
	add_comment(ns, at_least(v, 5, 0)
		    ? " In <devices>, instead of other <graphics>: egl-headless reads the vGPU's "
		      "frames with OpenGL on the iGPU's render node, VNC shows them "
		    : " In <devices>, instead of other <graphics>: egl-headless reads the vGPU's "
		      "frames with OpenGL, VNC shows them (libvirt 5.0 adds the choice of render "
		      "node) ");
	xmlNewProp(g, X("type"), X("egl-headless"));
	if (at_least(v, 5, 0)) {
		xmlNodePtr gl = xmlNewChild(g, NULL, X("gl"), NULL);
		xmlNewProp(gl, X("rendernode"), X(vm->rendernode));
	}
	add_node(ns, g);
	xmlNodePtr vnc = xmlNewNode(NULL, X("graphics"));
	xmlNewProp(vnc, X("type"), X("vnc"));
	xmlNewProp(vnc, X("autoport"), X("yes"));
	add_node(ns, vnc);
}

static xmlNodePtr video(void)
{
	xmlNodePtr vid = xmlNewNode(NULL, X("video"));
	xmlNodePtr m = xmlNewChild(vid, NULL, X("model"), NULL);

	xmlNewProp(m, X("type"), X("none"));
	return vid;
}

/* <qemu:override> (8.2+); qns is the namespace, declared by the caller */
static xmlNodePtr override(const struct mdk_vmconfig *vm, const struct props *p, xmlNsPtr *qns)
{
	xmlNodePtr o = xmlNewNode(NULL, X("override"));

	if (!*qns)
		*qns = xmlNewNs(o, X(QEMU_NS), X("qemu"));
	xmlSetNs(o, *qns);
	xmlNodePtr d = xmlNewChild(o, *qns, X("device"), NULL);
	xmlNewProp(d, X("alias"), X(vm->alias));
	xmlNodePtr f = xmlNewChild(d, *qns, X("frontend"), NULL);
	for (size_t i = 0; i < p->n; i++) {
		xmlNodePtr q = xmlNewChild(f, *qns, X("property"), NULL);
		xmlNewProp(q, X("name"), X(p->v[i].name));
		xmlNewProp(q, X("type"), X(p->v[i].type));
		xmlNewProp(q, X("value"), X(p->v[i].value));
	}
	return o;
}

/* <qemu:commandline> with -set device.ALIAS.NAME=VALUE (before 8.2) */
static xmlNodePtr commandline(const struct mdk_vmconfig *vm, const struct props *p,
			      xmlNsPtr *qns)
{
	xmlNodePtr c = xmlNewNode(NULL, X("commandline"));

	if (!*qns)
		*qns = xmlNewNs(c, X(QEMU_NS), X("qemu"));
	xmlSetNs(c, *qns);
	for (size_t i = 0; i < p->n; i++) {
		char *set = mdk_asprintf("device.%s.%s=%s", vm->alias, p->v[i].name, p->v[i].set_value);
		xmlNodePtr a = xmlNewChild(c, *qns, X("arg"), NULL);
		xmlNewProp(a, X("value"), X("-set"));
		a = xmlNewChild(c, *qns, X("arg"), NULL);
		xmlNewProp(a, X("value"), X(set));
		free(set);
	}
	return c;
}

static int check_version(const struct mdk_vmconfig *vm, const struct mdk_version *v,
			 struct mdk_error *e)
{
	char have[48];

	snprintf(have, sizeof(have), "%u.%u.%u", v->major, v->minor, v->micro);
	if (vm->display && !at_least(v, 4, 6))
		return mdk_fail(e, "libvirt %s cannot give the vGPU a display: display='on' needs "
				   "libvirt 4.6 or later; upgrade libvirt, or use --headless", have);
	if (!at_least(v, 3, 9))
		return mdk_fail(e, "libvirt %s is too old: mdevkit xml names the device by a user "
				   "alias, which needs libvirt 3.9 or later", have);
	return 0;
}

/* the device's nodes; the qemu ones go to *qemu (NULL when none) */
static void build(const struct mdk_vmconfig *vm, const struct mdk_version *v, struct nodes *dev,
		  xmlNodePtr *qemu, xmlNsPtr *qns, struct nodes *top)
{
	struct props p;

	add_comment(dev, !vm->display ? " In <devices>: the mediated device, named by a user alias "
		    : at_least(v, 5, 10)
		    ? " In <devices>: the vGPU with its display and, through ramfb, a picture "
		      "from power-on; the QEMU properties below name it by its alias "
		    : " In <devices>: the vGPU with its display; the QEMU options below name it "
		      "by its alias ");
	add_node(dev, hostdev(vm, v));
	if (vm->display) {
		graphics(vm, v, dev);
		add_comment(dev, " In <devices>, instead of any other <video>: no emulated graphics "
				 "card, so the vGPU is the guest's primary display ");
		add_node(dev, video());
	}
	collect_props(vm, v, &p);
	*qemu = NULL;
	if (p.n == 0)
		return;         /* never an empty override (libvirt 8.4 crashed on one) */
	if (at_least(v, 8, 2)) {
		add_comment(top, " In <domain>, after <devices>: what libvirt does not model, set on "
				 "the device by its alias; the xmlns:qemu declaration may move to "
				 "<domain> ");
		*qemu = override(vm, &p, qns);
	} else {
		/* kept in a domain too: it says when this stops working */
		bool pieces = top->pieces;
		top->pieces = true;
		add_comment(top, pieces
			    ? " In <domain>, after <devices>: what this libvirt does not model, as "
			      "-set options on the device's alias. Warning: -set breaks once libvirt "
			      "passes -device as JSON (with QEMU 6.2 or later); libvirt 8.2 or later "
			      "takes <qemu:override>, which mdevkit xml writes then "
			    : " Warning: -set breaks once libvirt passes -device as JSON (with QEMU "
			      "6.2 or later); libvirt 8.2 or later takes <qemu:override>, which "
			      "mdevkit xml writes then ");
		top->pieces = pieces;
		*qemu = commandline(vm, &p, qns);
	}
	props_free(&p);
}

static char *dump_pieces(struct nodes *dev, xmlNodePtr qemu, struct nodes *top)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlBufferPtr buf = xmlBufferCreate();
	struct mdk_buf out = MDK_BUF_INIT;

	if (qemu)
		add_node(top, qemu);
	for (int part = 0; part < 2; part++) {
		struct nodes *ns = part ? top : dev;
		for (size_t i = 0; i < ns->n; i++) {
			xmlBufferEmpty(buf);
			xmlNodeDump(buf, doc, ns->v[i], 0, 1);
			mdk_buf_printf(&out, "%s\n", (const char *)xmlBufferContent(buf));
			xmlFreeNode(ns->v[i]);
		}
	}
	xmlBufferFree(buf);
	xmlFreeDoc(doc);
	return mdk_buf_steal(&out);
}

static void add_text_child(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNewTextChild(parent, NULL, X(name), X(text));
}

/* a minimal domain around the nodes; d is its root, holding the qemu
 * namespace declaration, dropped again when nothing uses it */
static char *dump_domain(xmlNodePtr d, const char *name, struct nodes *dev, xmlNodePtr qemu,
			 struct nodes *top)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));

	xmlDocSetRootElement(doc, d);
	if (!qemu) {
		xmlFreeNsList(d->nsDef);
		d->nsDef = NULL;
	}
	xmlNewProp(d, X("type"), X("kvm"));
	add_text_child(d, "name", name);
	xmlNodePtr mem = xmlNewTextChild(d, NULL, X("memory"), X("2048"));
	xmlNewProp(mem, X("unit"), X("MiB"));
	add_text_child(d, "vcpu", "2");
	xmlNodePtr os = xmlNewChild(d, NULL, X("os"), NULL);
	xmlNodePtr type = xmlNewTextChild(os, NULL, X("type"), X("hvm"));
	xmlNewProp(type, X("arch"), X("x86_64"));
	xmlNewProp(type, X("machine"), X("q35"));
	xmlNodePtr devices = xmlNewChild(d, NULL, X("devices"), NULL);
	for (size_t i = 0; i < dev->n; i++)
		xmlAddChild(devices, dev->v[i]);
	for (size_t i = 0; i < top->n; i++)
		xmlAddChild(d, top->v[i]);
	if (qemu)
		xmlAddChild(d, qemu);
	xmlChar *text = NULL;
	int len = 0;
	xmlDocDumpFormatMemory(doc, &text, &len, 1);
	char *s = mdk_strndup((const char *)text, len > 0 ? (size_t)len : 0);
	xmlFree(text);
	xmlFreeDoc(doc);
	return s;
}

int mdk_vm_libvirt_xml(const struct mdk_vmconfig *vm, const struct mdk_version *v,
		       const char *domain, char **xml, struct mdk_error *e)
{
	struct nodes dev = { .n = 0, .pieces = !domain }, top = { .n = 0, .pieces = !domain };
	xmlNodePtr qemu, root = NULL;
	xmlNsPtr qns = NULL;

	*xml = NULL;
	int r = check_version(vm, v, e);
	if (r < 0)
		return r;
	if (domain) {
		/* declared on <domain>, as libvirt writes it */
		root = xmlNewNode(NULL, X("domain"));
		qns = xmlNewNs(root, X(QEMU_NS), X("qemu"));
	}
	build(vm, v, &dev, &qemu, &qns, &top);
	*xml = domain ? dump_domain(root, domain, &dev, qemu, &top) : dump_pieces(&dev, qemu, &top);
	return 0;
}
