// SPDX-License-Identifier: LGPL-2.1-or-later
/* The options `mdevkit xml` (mdevkit-xml) and `mdevkit qemu-args` share. */
#include "cli.h"

#include "mdevkit/vmconfig.h"

#include <string.h>

static int vm_request(const struct cli_spec *spec, const struct cli_args *a,
		      struct mdk_vm_request *req)
{
	const char *g = a->val[CLI_VM_GRAPHICS];

	memset(req, 0, sizeof(*req));
	req->uuid = a->uuid;
	req->headless = cli_has(a, CLI_VM_HEADLESS);
	req->res = a->val[CLI_VM_RES];
	req->rom = a->val[CLI_VM_ROM];
	req->rendernode = a->val[CLI_VM_RENDERNODE];
	if (!g || !strcmp(g, "egl-headless"))
		req->graphics = MDK_VM_EGL_HEADLESS;
	else if (!strcmp(g, "spice"))
		req->graphics = MDK_VM_SPICE;
	else
		return cli_usage_error(spec, "invalid value '%s' for '--graphics <KIND>': give "
					     "egl-headless or spice", g);
	if (req->headless && (req->res || req->rendernode || g))
		return cli_usage_error(spec, "'--headless' cannot be used with '--%s': a headless "
					     "vGPU has no display",
				       req->res ? "res" : req->rendernode ? "rendernode" : "graphics");
	return -1;
}

int cli_vm_parse(const struct cli_spec *spec, int argc, char **argv, struct cli_args *a,
		 struct mdk_vm_request *req, int o_version, struct mdk_version *v)
{
	int rc = cli_parse(spec, argc, argv, a);

	if (rc < 0)
		rc = vm_request(spec, a, req);
	const char *value = a->val[o_version];
	if (rc < 0 && value && mdk_version_parse(value, v) < 0)
		rc = cli_usage_error(spec, "invalid value '%s' for '--%s <%s>': not a version "
					   "(e.g. 9.0.0)", value, spec->opts[o_version].name,
				     spec->opts[o_version].value);
	return rc;
}
