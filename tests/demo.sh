#!/bin/bash
# make demo: mdevkit on a simulated Skylake host (GVT-g, gen 9, 1024 MiB
# aperture), the way an administrator uses it, from `mdevkit doctor` on
# the healthy host to doctor on a broken one.  Every command is printed
# before its output.  Nothing outside a temporary directory is touched.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${MDEVKIT_BUILD:-$top/build}
export PATH=$build:$PATH

[ "$(id -u)" -eq 0 ] || { echo "make demo: run as root (it mounts a FUSE file system)" >&2; exit 1; }
root=$(mktemp -d /tmp/mdevkit-demo.XXXXXX)
cleanup() {
	mdevkit-simfs umount "$root" 2>/dev/null || umount -l "$root/sys" 2>/dev/null || true
	rm -rf "$root"
}
trap cleanup EXIT

# the host: the simulator's built-in Skylake iGPU, an empty store, and
# mdevkit-gvt installed as mdevctl's callout
mkdir -p "$root/etc/mdevctl.d/scripts.d/callouts" "$root/etc/mdevctl.d/scripts.d/notifiers" \
	"$root/usr/lib/mdevctl/scripts.d/callouts" "$root/usr/lib/mdevctl/scripts.d/notifiers"
mdevkit-simfs mount "$root"
# what doctor reads beside /sys: command line, modules, kernel log, /dev
"$top/tests/simfs/host-files.sh" "$root" healthy
export MDEVCTL_ENV_ROOT=$root

say() { printf '\n\033[1m# %s\033[0m\n' "$*"; }
show() { # print the command, then run it; a refusal is part of the story
	printf '$ %s\n' "$*"
	"$@" || printf '(exit status %d)\n' "$?"
}

say "A simulated Skylake host: is it ready for GVT-g?"
show mdevkit doctor
say "GVT-g parent 0000:00:02.0, 1024 MiB aperture"
show mdevkit types
say "Budget details of the GVT-g parent"
show mdevkit types --gvt -p 0000:00:02.0

say "Define two vGPUs that start whenever the iGPU registers, and one manual one"
A=$(mdevkit define -p 0000:00:02.0 -t i915-GVTg_V5_4 --auto)
printf '$ mdevkit define -p 0000:00:02.0 -t i915-GVTg_V5_4 --auto\n%s\n' "$A"
B=$(mdevkit define -p 0000:00:02.0 -t i915-GVTg_V5_4 --auto)
printf '$ mdevkit define -p 0000:00:02.0 -t i915-GVTg_V5_4 --auto\n%s\n' "$B"
show mdevkit define -u 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 -p 0000:00:02.0 -t i915-GVTg_V5_2
show mdevkit list -d
say "The definition file, byte for byte what mdevctl writes"
show cat "$root/etc/mdevctl.d/0000:00:02.0/$A"
echo

say "Start the auto devices, as udev and systemd do when the parent registers"
show mdevkit start-parent-mdevs 0000:00:02.0
show mdevkit list
show mdevkit types -p 0000:00:02.0

say "Install the GVT-g callout, as 'make install' does, and ask for too much"
ln -s "$build/mdevkit-gvt" "$root/usr/lib/mdevctl/scripts.d/callouts/mdevkit-gvt"
show mdevkit define -p 0000:00:02.0 -t i915-GVTg_V5_1 --auto
show mdevkit start -u 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001
show mdevkit start -p 0000:00:02.0 -t i915-GVTg_V5_1
show mdevkit check

say "Stop a device, start it again by its definition, then remove one for good"
show mdevkit stop -u "$B"
show mdevkit start -u "$B"
show mdevkit list
show mdevkit stop -u 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001
show mdevkit undefine -u 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001
show mdevkit list -d

if command -v mdevctl >/dev/null; then
	say "mdevctl reads the same store (Debian's 1.2.0, in a private mount namespace)"
	printf '$ mdevctl list -d\n'
	unshare -m --propagation private -- sh -c \
		'mount --bind "$1/sys" /sys && mount --bind "$1/etc/mdevctl.d" /etc/mdevctl.d && mdevctl list -d' \
		sh "$root"
fi
say "Another host: firmware that gives the iGPU only a 512 MiB aperture"
mdevkit-simfs umount "$root"
printf '[gvt 0000:00:02.0]\naperture = 512\n' > "$root/small-aperture.conf"
mdevkit-simfs mount "$root" --scenario "$root/small-aperture.conf"
show mdevkit types -p 0000:00:02.0
show mdevkit define -p 0000:00:02.0 -t i915-GVTg_V5_1 --auto
show mdevkit check -p 0000:00:02.0


say "Another host: an old recipe put i915.enable_guc=3 on the kernel command line"
mdevkit-simfs umount "$root"
rm -rf "$root/etc/mdevctl.d/0000:00:02.0"
"$top/tests/simfs/host-files.sh" "$root" guc-on
mdevkit-simfs mount "$root" --scenario "$top/tests/simfs/scenarios/guc-on.conf"
show mdevkit doctor -q

say "Done; the simulated hosts are unmounted and removed"
