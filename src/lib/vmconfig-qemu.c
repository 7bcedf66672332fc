// SPDX-License-Identifier: LGPL-2.1-or-later
/* The guest configuration as QEMU options.  Values inside an option
 * double their commas (QEMU's escape); each line is then quoted for a
 * POSIX shell, so a path with spaces or quotes survives a paste. */
#include "mdevkit/vmconfig.h"

#include "mdevkit/log.h"
#include "mdevkit/util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* value with every ',' doubled */
static void add_value(struct mdk_buf *b, const char *v)
{
	for (; *v; v++)
		mdk_buf_adds(b, *v == ',' ? ",," : (char[]){ *v, '\0' });
}

/* add word to the line, quoted when the shell would change it */
static void add_word(struct mdk_buf *line, const char *w)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_,./=:@%+-";

	if (line->len)
		mdk_buf_adds(line, " ");
	if (*w && strspn(w, safe) == strlen(w)) {
		mdk_buf_adds(line, w);
		return;
	}
	mdk_buf_adds(line, "'");
	for (; *w; w++)
		mdk_buf_adds(line, *w == '\'' ? "'\\''" : (char[]){ *w, '\0' });
	mdk_buf_adds(line, "'");
}

struct lines {
	struct mdk_buf text;
	size_t n;
};

static void add_option(struct lines *l, const char *opt, const char *value)
{
	struct mdk_buf line = MDK_BUF_INIT;

	add_word(&line, opt);
	add_word(&line, value);
	if (l->n++)
		mdk_buf_adds(&l->text, " \\\n");
	mdk_buf_adds(&l->text, line.data);
	mdk_buf_free(&line);
}

/* the property if this QEMU has it, else a warning */
static bool wanted(const struct mdk_qemu_caps *caps, enum mdk_qemu_prop p)
{
	if (caps->has[p])
		return true;
	mdk_warn("this QEMU has no vfio-pci property %s (QEMU %s adds it): left out",
		 mdk_qemu_prop_name(p), mdk_qemu_prop_since(p));
	return false;
}

static char *device_option(const struct mdk_vmconfig *vm, const struct mdk_qemu_caps *caps)
{
	struct mdk_buf d = MDK_BUF_INIT;
	bool display = vm->display && wanted(caps, MDK_QEMU_DISPLAY);
	bool ramfb = false;

	if (display) {
		if (!caps->nohotplug)
			mdk_warn("this QEMU has no vfio-pci-nohotplug device (QEMU %s adds it, with "
				 "ramfb): no picture before the guest's driver loads",
				 mdk_qemu_prop_since(MDK_QEMU_RAMFB));
		else
			ramfb = wanted(caps, MDK_QEMU_RAMFB);
	}
	mdk_buf_adds(&d, ramfb ? "vfio-pci-nohotplug" : "vfio-pci");
	mdk_buf_printf(&d, ",id=%s,sysfsdev=", vm->alias);
	add_value(&d, vm->sysfsdev);
	if (display)
		mdk_buf_adds(&d, ",display=on");
	if (ramfb)
		mdk_buf_adds(&d, ",ramfb=on");
	if (vm->gvt && wanted(caps, MDK_QEMU_X_IGD_OPREGION))
		mdk_buf_adds(&d, ",x-igd-opregion=on");
	if (display) {
		bool xres = wanted(caps, MDK_QEMU_XRES), yres = wanted(caps, MDK_QEMU_YRES);
		if (xres && yres)
			mdk_buf_printf(&d, ",xres=%u,yres=%u", vm->w, vm->h);
	}
	if (vm->rom && wanted(caps, MDK_QEMU_ROMFILE)) {
		mdk_buf_adds(&d, ",romfile=");
		add_value(&d, vm->rom);
	}
	return mdk_buf_steal(&d);
}

char *mdk_vm_qemu_args(const struct mdk_vmconfig *vm, const struct mdk_qemu_caps *caps)
{
	struct lines l = { MDK_BUF_INIT, 0 };
	char *device = device_option(vm, caps);

	add_option(&l, "-device", device);
	free(device);
	if (vm->display) {
		struct mdk_buf v = MDK_BUF_INIT;
		if (vm->graphics == MDK_VM_SPICE) {
			/* SPICE's GL works over a local socket only */
			mdk_buf_adds(&v, "unix=on,addr=mdevkit-spice.sock,disable-ticketing=on,gl=on,rendernode=");
			add_value(&v, vm->rendernode);
			add_option(&l, "-spice", v.data);
		} else {
			mdk_buf_adds(&v, "egl-headless,rendernode=");
			add_value(&v, vm->rendernode);
			add_option(&l, "-display", v.data);
			add_option(&l, "-vnc", "127.0.0.1:0");
		}
		mdk_buf_free(&v);
		add_option(&l, "-vga", "none");
	}
	mdk_buf_adds(&l.text, "\n");
	return mdk_buf_steal(&l.text);
}
