# Helpers for the callout and notifier tests (tests/roots/callout*.bats):
# scripts that do as they are told, and the fixture parent "mtty" (type
# mtty-1) they are called for.  `load ../lib/helpers` first.
#
# callout_script DIR NAME BODY    a bash script that runs BODY with $ev,
#                                 $ac, $st set from mdevctl's argv
# recording_script DIR NAME [BODY]
#                                 one that first appends its call to $LOG
#                                 ("<name> <args 1-12>") and its stdin to
#                                 $IN ("<name> <event>-<action> [<stdin>]");
#                                 BODY defaults to exit 0
# mk_parent [AVAIL] [CREATE]      the parent mtty in $ROOT/sys with type
#                                 mtty-1 (AVAIL instances, default 2) and
#                                 its create file; CREATE "no" leaves that
#                                 out (a start then fails at the create
#                                 write, after the pre callouts)
# mk_active UUID [TYPE]           a running device of mtty (TYPE default
#                                 mtty-1), as sysfs shows it

callout_script() {
	printf '#!/bin/bash\nev=$4 ac=$6 st=$8\n%s\n' "$3" >"$1/$2"
	chmod +x "$1/$2"
}

recording_script() {
	local record
	read -r -d '' record <<'EOF' || true
in=$(cat; echo .)
printf '%s %s\n' "${0##*/}" "$*" >>"$LOG"
printf '%s %s-%s [%s]\n' "${0##*/}" "$ev" "$ac" "${in%.}" >>"$IN"
EOF
	callout_script "$1" "$2" "$record
${3:-exit 0}"
}

mk_parent() {
	local d=$ROOT/sys/devices/virtual/mtty/mtty
	mkdir -p "$d/mdev_supported_types/mtty-1"
	echo "${1:-2}" >"$d/mdev_supported_types/mtty-1/available_instances"
	echo vfio-pci >"$d/mdev_supported_types/mtty-1/device_api"
	[ "${2:-}" = no ] || : >"$d/mdev_supported_types/mtty-1/create"
	ln -s ../../devices/virtual/mtty/mtty "$ROOT/sys/class/mdev_bus/mtty"
}

mk_active() {
	local d=$ROOT/sys/devices/virtual/mtty/mtty/$1 t=${2:-mtty-1}
	mkdir -p "$d" "$ROOT/sys/devices/virtual/mtty/mtty/mdev_supported_types/$t"
	ln -s "../mdev_supported_types/$t" "$d/mdev_type"
	: >"$d/remove"
	ln -s "../../../devices/virtual/mtty/mtty/$1" "$ROOT/sys/bus/mdev/devices/$1"
}
