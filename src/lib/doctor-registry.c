// SPDX-License-Identifier: LGPL-2.1-or-later
/* The checks of `mdevkit doctor`, in the order they run and print.  A
 * later check may use what an earlier one put in the context: the iGPU
 * first, then the kernel's side (module parameters, modules), then the
 * mdev parent and its budget, then what guests need. */
#include "doctor-internal.h"

const struct mdk_doctor_check mdk_doctor_checks[] = {
	{ "igpu", mdk_doctor_check_igpu },
	/* the kernel's side: module parameters and modules */
	{ "enable-gvt", mdk_doctor_check_enable_gvt },
	{ "guc", mdk_doctor_check_guc },
	{ "kvmgt", mdk_doctor_check_kvmgt },
	{ "mdev-modules", mdk_doctor_check_mdev_modules },
	{ "module-lines", mdk_doctor_check_module_lines },
	{ "parent", mdk_doctor_check_parent },
	{ "aperture", mdk_doctor_check_aperture },
	{ "available", mdk_doctor_check_available },
	{ "definitions", mdk_doctor_check_definitions },
	{ "iommu", mdk_doctor_check_iommu },
	{ "vfio", mdk_doctor_check_vfio },
	{ "render-node", mdk_doctor_check_render_node },
	/* what the host said and runs */
	{ "kernel-log", mdk_doctor_check_kernel_log },
	{ "versions", mdk_doctor_check_versions },
	{ "mdevctl-rule", mdk_doctor_check_mdevctl_rule },
	{ "other-creators", mdk_doctor_check_other_creators },
};

const size_t mdk_doctor_n_checks = MDK_ARRAY_SIZE(mdk_doctor_checks);
