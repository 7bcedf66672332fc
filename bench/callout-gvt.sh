#!/bin/sh
# Benchmark of the mdevkit-gvt callout against a minimal shell callout that
# does only the type test, on a simulated GVT-g host (mdevkit-simfs): the
# exit-2 path (a foreign type, the cost every other device pays) and the
# pre-start path (a GVT-g type, the whole check).  Process start-up (exec)
# is included.  Prints a markdown section on stdout.
#
#   bench/callout-gvt.sh [BUILD_DIR]        (default: build)
#
# Uses hyperfine when installed (tests/deps.sh bench), else a loop timed
# with date +%s%N.  Needs FUSE for the simulator.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
gvt=$build/mdevkit-gvt
simfs=$build/mdevkit-simfs
runs=${BENCH_RUNS:-300}
for f in "$gvt" "$simfs"; do
	[ -x "$f" ] || { echo "bench/callout-gvt.sh: $f is missing; run make first" >&2; exit 1; }
done

work=$(mktemp -d)
root=$work/root
cleanup() {
	"$simfs" umount "$root" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# a Skylake host with a 1 GiB aperture and two vGPUs running
mkdir -p "$root/etc/mdevctl.d"
printf '[host]\nkernel = 6.1\n[gvt 0000:00:02.0]\ngeneration = 9\naperture = 1024\nggtt = 4096\n[mtty]\n' \
	> "$work/host.conf"
"$simfs" mount "$root" --scenario "$work/host.conf" --log "$work/simfs.log"
types=$root/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types
printf 11111111-0000-4000-8000-000000000001 > "$types/i915-GVTg_V5_4/create"
printf 11111111-0000-4000-8000-000000000002 > "$types/i915-GVTg_V5_8/create"
export MDEVCTL_ENV_ROOT="$root"

# the minimal shell callout: only the type test
sh_callout=$work/type-test.sh
cat > "$sh_callout" <<'SH'
#!/bin/sh
case "$2" in
i915-GVTg_*) cat >/dev/null; exit 0 ;;
*) cat >/dev/null; exit 2 ;;
esac
SH
chmod +x "$sh_callout"
printf '{"mdev_type":"i915-GVTg_V5_4","start":"manual","attrs":[]}' > "$work/gvt.json"
printf '{"mdev_type":"mtty-1","start":"manual","attrs":[]}' > "$work/mtty.json"
U=11111111-0000-4000-8000-000000000009
foreign="-t mtty-1 -e pre -a start -s none -u $U -p mtty"
prestart="-t i915-GVTg_V5_4 -e pre -a start -s none -u $U -p 0000:00:02.0"

# sanity: the paths do what they are meant to
set +e
"$gvt" $foreign < "$work/mtty.json"; [ $? -eq 2 ] || { echo "exit-2 path did not exit 2" >&2; exit 1; }
"$gvt" $prestart < "$work/gvt.json" || { echo "pre-start path refused" >&2; exit 1; }
set -e

# median in microseconds of a command (stdin from a file)
median_loop() { # FILE CMD...
	in=$1
	shift
	i=0
	: > "$work/t"
	while [ $i -lt "$runs" ]; do
		t0=$(date +%s%N)
		"$@" < "$in" > /dev/null 2>&1 || true
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000)) >> "$work/t"
		i=$((i + 1))
	done
	sort -n "$work/t" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# median in microseconds with hyperfine (no shell in between; stdin empty)
median_hf() { # CMD
	hyperfine -N -i --warmup 20 --runs "$runs" --export-json "$work/hf.json" "$1" > /dev/null 2>&1
	awk -F'[:,]' '/"median"/ { gsub(/ /, "", $2); printf "%.0f\n", $2 * 1000000; exit }' "$work/hf.json"
}

if command -v hyperfine > /dev/null 2>&1; then
	how="hyperfine $(hyperfine --version | cut -d' ' -f2), -N, $runs runs after 20 warm-ups, stdin empty"
	g2=$(median_hf "$gvt $foreign")
	s2=$(median_hf "$sh_callout $foreign")
	gp=$(median_hf "$gvt $prestart")
	sp=$(median_hf "$sh_callout $prestart")
	tr=$(median_hf /bin/true)
else
	how="loop of $runs runs timed with date +%s%N (fork of the timing shell included), stdin the device JSON"
	g2=$(median_loop "$work/mtty.json" "$gvt" $foreign)
	s2=$(median_loop "$work/mtty.json" "$sh_callout" $foreign)
	gp=$(median_loop "$work/gvt.json" "$gvt" $prestart)
	sp=$(median_loop "$work/gvt.json" "$sh_callout" $prestart)
	tr=$(median_loop /dev/null /bin/true)
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)

cat <<MD
## mdevkit-gvt callout vs a shell type test

- machine: ${cpu:-unknown CPU}, $(nproc) CPUs, $(uname -sr), $(uname -m)
- date: $(date -u +%Y-%m-%dT%H:%MZ)
- host: simulated Skylake GVT-g parent (1 GiB aperture, 2 vGPUs running) and mtty, mdevkit-simfs
- method: $how; exec included

| path | mdevkit-gvt (median) | shell type test (median) | mdevkit-gvt / shell |
|---|---|---|---|
| exit 2 (foreign type \`mtty-1\`) | ${g2} µs | ${s2} µs | $(ratio "$g2" "$s2") |
| pre start (\`i915-GVTg_V5_4\`, full check) | ${gp} µs | ${sp} µs | $(ratio "$gp" "$sp") |

For scale, exec of \`/bin/true\` takes ${tr} µs (median) on this machine at this time.

The shell callout only tests the type; mdevkit-gvt's pre-start path also
reads the parent's types, PCI resource and driver link, every active mdev,
gvt.conf and available_instances, and runs the budget model.
MD
