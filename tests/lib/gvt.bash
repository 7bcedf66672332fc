# Helpers for the GVT-g tests: fixture sysfs trees built by hand (no FUSE)
# and mdevctl's exact callout invocations.  `load ../lib/helpers` first.
#
# gvt_fixture ROOT APERTURE [GEN] [GGTT]
#       an i915 GVT-g parent 0000:00:02.0 with the types the kernel shows
#       for that aperture; available_instances by the model (mdevkit-unit),
#       or as given later with gvt_set_avail
# gvt_running ROOT UUID TYPE      a running vGPU (links as the kernel makes them)
# gvt_set_avail ROOT TYPE N       overwrite one available_instances file
# mtty_fixture ROOT               a registered mtty parent with mtty-1, mtty-2
# callout TYPE EVENT ACTION STATE UUID PARENT   run $MDEVKIT_GVT with
#       mdevctl's 12 arguments (stdin as given by the caller)
# cfg TYPE [auto|manual] [ATTRS]  the compact device JSON mdevctl sends
# gvt_pre_start SECONDS UUID      $MDEVKIT_GVT as mdevctl calls it before
#       starting UUID as i915-GVTg_V5_4 on $GVT_P, killed after SECONDS

GVT_P=0000:00:02.0
GVT_DEV=devices/pci0000:00/0000:00:02.0
UNIT=$BUILD/mdevkit-unit
U1=11111111-0000-4000-8000-000000000001
U2=11111111-0000-4000-8000-000000000002
U3=11111111-0000-4000-8000-000000000003
U4=11111111-0000-4000-8000-000000000004
U5=11111111-0000-4000-8000-000000000005
U6=11111111-0000-4000-8000-000000000006
U7=11111111-0000-4000-8000-000000000007
U8=11111111-0000-4000-8000-000000000008
# what mdevctl 1.3 sends for get capabilities
PROVIDES='{"provides":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","notify","get","live"]}}'

_gvt_types() { echo "$1/sys/$GVT_DEV/mdev_supported_types"; }

# rewrite every available_instances from the model and the running vGPUs
_gvt_refresh() {
	local root=$1 used=() line t n
	for l in "$root"/sys/$GVT_DEV/*/mdev_type; do
		[ -L "$l" ] || continue
		t=$(readlink "$l")
		used+=("${t##*/}")
	done
	while read -r t n; do
		if [ -d "$(_gvt_types "$root")/$t" ]; then
			echo "$n" > "$(_gvt_types "$root")/$t/available_instances"
		fi
	done < <("$UNIT" gvt-avail "$(cat "$root/.gen")" "$(cat "$root/.aperture")" "$(cat "$root/.ggtt")" "${used[@]}")
}

gvt_fixture() {
	local root=$1 a=$2 gen=${3:-9} ggtt=${4:-4096} t n size end
	local dev=$root/sys/$GVT_DEV
	mkdir -p "$dev/mdev_supported_types" "$root/sys/class/mdev_bus" "$root/sys/bus/pci/devices" \
		"$root/sys/bus/pci/drivers/i915" "$root/sys/bus/mdev/devices"
	ln -sfn "../../$GVT_DEV" "$root/sys/class/mdev_bus/$GVT_P"
	ln -sfn "../../../$GVT_DEV" "$root/sys/bus/pci/devices/$GVT_P"
	ln -sfn "../../bus/pci/drivers/i915" "$dev/driver"
	end=$(printf '0x%016x' $((0x4000000000 + a * 1048576 - 1)))
	printf '%s\n' "0x00000000f6000000 0x00000000f6ffffff 0x0000000000140204" \
		"0x0000000000000000 0x0000000000000000 0x0000000000000000" \
		"0x0000004000000000 $end 0x000000000014220c" \
		"0x0000000000000000 0x0000000000000000 0x0000000000000000" \
		"0x000000000000f000 0x000000000000f03f 0x0000000000040101" > "$dev/resource"
	echo "$gen" > "$root/.gen"
	echo "$a" > "$root/.aperture"
	echo "$ggtt" > "$root/.ggtt"
	while read -r t n; do
		[ "$n" = - ] && continue
		mkdir -p "$dev/mdev_supported_types/$t/devices"
		echo vfio-pci > "$dev/mdev_supported_types/$t/device_api"
		: > "$dev/mdev_supported_types/$t/create"
		# spec gvt-g.md §1.4, the kernel's printf
		case ${t##*_} in
		8) set -- 64 384 1024x768 2 ;;
		4) set -- 128 512 1920x1200 4 ;;
		2) set -- 256 1024 1920x1200 8 ;;
		1) set -- 512 2048 1920x1200 16 ;;
		esac
		printf 'low_gm_size: %dMB\nhigh_gm_size: %dMB\nfence: 4\nresolution: %s\nweight: %d\n' "$@" \
			> "$dev/mdev_supported_types/$t/description"
	done < <("$UNIT" gvt-avail "$gen" "$a" "$ggtt")
	_gvt_refresh "$root"
}

gvt_running() {
	local root=$1 uuid=$2 type=$3 dev=$1/sys/$GVT_DEV
	mkdir -p "$dev/$uuid"
	ln -sfn "../mdev_supported_types/$type" "$dev/$uuid/mdev_type"
	ln -sfn "../../../$uuid" "$dev/mdev_supported_types/$type/devices/$uuid"
	ln -sfn "../../../$GVT_DEV/$uuid" "$root/sys/bus/mdev/devices/$uuid"
	_gvt_refresh "$root"
}

gvt_set_avail() {
	echo "$3" > "$(_gvt_types "$1")/$2/available_instances"
}

mtty_fixture() {
	local root=$1 dev=$1/sys/devices/virtual/mtty/mtty t
	mkdir -p "$root/sys/class/mdev_bus" "$root/sys/bus/mdev/devices"
	for t in mtty-1 mtty-2; do
		mkdir -p "$dev/mdev_supported_types/$t/devices"
		echo vfio-pci > "$dev/mdev_supported_types/$t/device_api"
	done
	echo 24 > "$dev/mdev_supported_types/mtty-1/available_instances"
	echo 12 > "$dev/mdev_supported_types/mtty-2/available_instances"
	ln -sfn ../../devices/virtual/mtty/mtty "$root/sys/class/mdev_bus/mtty"
}

callout() {
	"$MDEVKIT_GVT" -t "$1" -e "$2" -a "$3" -s "$4" -u "$5" -p "$6"
}

cfg() {
	printf '{"mdev_type":"%s","start":"%s","attrs":%s}' "$1" "${2:-manual}" "${3:-[]}"
}

gvt_pre_start() {
	timeout "$1" "$MDEVKIT_GVT" -t i915-GVTg_V5_4 -e pre -a start -s none -u "$2" -p $GVT_P \
		< <(cfg i915-GVTg_V5_4)
}
