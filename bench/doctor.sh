#!/bin/sh
# Benchmark of `mdevkit doctor`, the whole process (exec included), on the
# simulated healthy host (mdevkit-simfs and tests/simfs/host-files.sh): it
# runs with every bug report, so it should take milliseconds.  Prints a
# markdown section on stdout.
#
#   bench/doctor.sh [BUILD_DIR]        (default: build)
#
# Needs hyperfine (tests/deps.sh bench), FUSE for the simulator, and root
# (host-files.sh makes the /dev nodes).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${MDEVKIT_BUILD:-$top/build}}
kit=$build/mdevkit
simfs=$build/mdevkit-simfs
runs=${BENCH_RUNS:-100}
for f in "$kit" "$simfs"; do
	[ -x "$f" ] || { echo "bench/doctor.sh: $f is missing; run make first" >&2; exit 1; }
done
command -v hyperfine > /dev/null || { echo "bench/doctor.sh: needs hyperfine (tests/deps.sh bench)" >&2; exit 1; }

work=$(mktemp -d)
root=$work/root
cleanup() {
	"$simfs" umount "$root" > /dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# the built-in Skylake host (1 GiB aperture) with two vGPUs running and
# two auto definitions, and a kernel log of 2,000 records (a desktop's
# after boot)
mkdir -p "$root/etc/mdevctl.d/0000:00:02.0"
"$top/tests/simfs/host-files.sh" "$root" healthy
"$simfs" mount "$root" --log "$work/simfs.log"
types=$root/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types
for i in 1 2; do
	u=11111111-0000-4000-8000-00000000000$i
	printf '%s' "$u" > "$types/i915-GVTg_V5_4/create"
	printf '{\n  "mdev_type": "i915-GVTg_V5_4",\n  "start": "auto",\n  "attrs": []\n}' \
		> "$root/etc/mdevctl.d/0000:00:02.0/$u"
done
awk 'BEGIN { for (i = 3; i < 2003; i++) printf "6,%d,%d,-;usb 1-%d: new high-speed USB device number %d using xhci_hcd\n", i, i * 1000, i % 9, i }' \
	>> "$root/dev/kmsg"
export MDEVCTL_ENV_ROOT="$root"
"$kit" doctor -q > /dev/null || { echo "bench/doctor.sh: doctor finds a problem on the healthy host" >&2; exit 1; }

# median in milliseconds of a command (python3 reads hyperfine's JSON)
median() { # RUNS CMD
	hyperfine -N -i --warmup 5 --runs "$1" --export-json "$work/hf.json" "$2" > /dev/null 2>&1
	python3 -c 'import json, sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$work/hf.json"
}

text=$(median "$runs" "$kit doctor")
json=$(median "$runs" "$kit doctor --dumpjson")
tr=$(median "$runs" /bin/true)
yes '6,12345,1234567,-;i915 0000:00:02.0: [drm] an ordinary line of a busy kernel log' |
	head -n 1300000 >> "$root/dev/kmsg"
big=$(median 10 "$kit doctor")
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)

cat <<MD
## mdevkit doctor, the whole process

- machine: ${cpu:-unknown CPU}, $(nproc) CPUs, $(uname -sr), $(uname -m)
- date: $(date -u +%Y-%m-%dT%H:%MZ)
- host: simulated Skylake GVT-g parent (1 GiB aperture, 2 vGPUs running, 2 auto definitions), mdevkit-simfs, the healthy profile of tests/simfs/host-files.sh
- method: hyperfine $(hyperfine --version | cut -d' ' -f2), -N, medians; exec included

| case | median |
|---|---:|
| \`mdevkit doctor\` (kernel log of 2,000 records) | ${text} ms |
| \`mdevkit doctor --dumpjson\` | ${json} ms |
| \`mdevkit doctor\` with a 100 MB kernel log (1.3 million records, 10 runs) | ${big} ms |
| exec of \`/bin/true\`, for scale | ${tr} ms |
MD
