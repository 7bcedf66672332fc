#!/usr/bin/env bats
# contrib/nixos (module.nix, package.nix, definitions.nix) evaluated with
# Debian's nix-bin against the stubs of tests/fixtures/nixos (no nixpkgs,
# no network): syntax, the options' defaults and checks, what the module
# sets, and the scripts it makes, run here with this build's mdevkit.  The
# evaluator uses the dummy:// store (nothing is written anywhere).  What
# only a real NixOS can show (nixos-rebuild, the derivation built by Nix,
# the switch) is named in README's NixOS section.
load ../lib/helpers

U1=6e0c190e-7d4b-4e16-9a23-3f2c5a6b7c01
U2=0b3f1c9e-5a0e-4c47-9d3b-6a1f0e0d0e02
NIX=$TOP/contrib/nixos
STUBS=$TOP/tests/fixtures/nixos
STORE=/nix/store/00000000000000000000000000000000

setup() {
	command -v nix-instantiate > /dev/null || skip "nix-instantiate is missing (Debian: nix-bin; tests/deps.sh)"
	T=$BATS_TEST_TMPDIR
}

# nix_eval EXPR: EXPR evaluated strictly, printed as JSON; run with the
# stubs' directory as ./ (eval.nix, stubs.nix)
nix_eval() {
	(cd "$STUBS" && HOME=$T XDG_CACHE_HOME=$T/cache NIX_CONFIG='build-users-group =' \
		nix-instantiate --store dummy:// --eval --strict --json -E "$1")
}

# the user's configuration of services.mdevkit used by most tests
CONF='{
	enable = true;
	definitions."'$U1'" = {
		parent = "0000:00:02.0";
		type = "i915-GVTg_V5_4";
		attrs = [ { name = "b"; value = "2"; } { name = "a"; value = "1"; } ];
	};
	definitions."'$U2'" = { parent = "mtty"; type = "mtty-1"; start = "manual"; };
}'

# module_eval ATTRPATH [CONF]: that part of the evaluated module
module_eval() { nix_eval "(import ./eval.nix { config.services.mdevkit = ${2:-$CONF}; }).$1"; }

# render_script [CONF]: the build script of the definitions' derivation
render_script() {
	nix_eval "let e = import ./eval.nix { config.services.mdevkit = ${1:-$CONF}; }; in
		(import $NIX/definitions.nix { inherit ((import ./stubs.nix).pkgs) runCommand;
			mdevkit = e.services.mdevkit.package; } e.services.mdevkit.definitions).script" | jq -r .
}

# run_render [CONF]: that script as Nix would run it, with this build's
# mdevkit, into $T/out
run_render() {
	local script
	script=$(render_script "$@") || return 1
	mkdir -p "$T/build"
	(cd "$T/build" && out=$T/out PATH=$BUILD:$PATH bash -c "$script")
}

@test "every file of contrib/nixos and the stubs parses" {
	for f in "$NIX"/*.nix "$STUBS"/*.nix; do
		run nix-instantiate --store dummy:// --parse "$f"
		assert_success
	done
}

@test "each definition becomes /etc/mdevctl.d/<parent>/<uuid>, a file of the rendered store; the callout is linked for mdevctl 1.2" {
	run module_eval config.environment.etc
	assert_success
	run jq -r 'to_entries[] | "\(.key) \(.value.source)"' <<<"$output"
	assert_output "$(printf '%s\n' \
		"mdevctl.d/0000:00:02.0/$U1 $STORE-mdevkit-definitions/0000:00:02.0/$U1" \
		"mdevctl.d/mtty/$U2 $STORE-mdevkit-definitions/mtty/$U2" \
		"mdevctl.d/scripts.d/callouts/mdevkit-gvt $STORE-mdevkit/lib/mdevctl/scripts.d/callouts/mdevkit-gvt")"
}

@test "options: start defaults to auto and attrs to none; other values of start, unknown keys and a missing type are refused" {
	run module_eval 'services.mdevkit.definitions' '{ definitions.x = { parent = "p"; type = "t"; }; }'
	assert_success
	assert_equal "$(jq -c .x <<<"$output")" '{"attrs":[],"parent":"p","start":"auto","type":"t"}'
	run module_eval 'services.mdevkit.definitions' '{ definitions.x = { parent = "p"; type = "t"; start = "sometimes"; }; }'
	assert_failure
	assert_output --partial 'services.mdevkit.definitions."x".start: "sometimes" is not one of "auto", "manual"'
	run module_eval 'services.mdevkit.definitions' '{ definitions.x = { parent = "p"; type = "t"; autostart = true; }; }'
	assert_failure
	assert_output --partial "The option \`services.mdevkit.definitions.\"x\".autostart' does not exist."
	run module_eval 'services.mdevkit.definitions' '{ definitions.x = { parent = "p"; }; }'
	assert_failure
	assert_output --partial "The option \`services.mdevkit.definitions.\"x\".type' is used but not defined."
}

@test "a definition named otherwise than by a lower-case UUID fails an assertion that says so" {
	run module_eval 'config.assertions' '{ enable = true; definitions."6E0C190E-7D4B-4E16-9A23-3F2C5A6B7C01" = { parent = "p"; type = "t"; }; definitions."'$U1'" = { parent = "p"; type = "t"; }; }'
	assert_success
	run jq -r '.[] | "\(.assertion) \(.message)"' <<<"$output"
	assert_line --index 0 'false services.mdevkit.definitions."6E0C190E-7D4B-4E16-9A23-3F2C5A6B7C01": the name must be a UUID in lower case (8-4-4-4-12 hexadecimal digits), as /etc/mdevctl.d names the file'
	assert_line --index 1 --regexp '^true '
}

@test "the rendered store holds exactly the bytes mdevctl 1.2.0 writes for the same definitions" {
	[ "$(id -u)" -eq 0 ] || skip "needs root for mdevctl in a private mount namespace"
	command -v mdevctl > /dev/null || skip "mdevctl is missing (tests/deps.sh)"
	run run_render
	assert_success
	assert_output ""
	run find "$T/out" -type f
	assert_equal "${#lines[@]}" 2
	mk_root "$T/ctl"
	mdevctl_ns "$ROOT" define -u "$U1" -p 0000:00:02.0 -t i915-GVTg_V5_4 -a
	mdevctl_ns "$ROOT" modify -u "$U1" --addattr b --value 2
	mdevctl_ns "$ROOT" modify -u "$U1" --addattr a --value 1
	mdevctl_ns "$ROOT" define -u "$U2" -p mtty -t mtty-1
	cmp "$ROOT/etc/mdevctl.d/0000:00:02.0/$U1" "$T/out/0000:00:02.0/$U1"
	cmp "$ROOT/etc/mdevctl.d/mtty/$U2" "$T/out/mtty/$U2"
}

@test "the rendering: attributes keep their order, any value is passed through, no definitions make an empty store" {
	run run_render '{ definitions."'$U1'" = { parent = "p"; type = "t"; attrs = [ { name = "z"; value = "it'"'"'s \"quoted\" $HOME"; } { name = "a"; value = ""; } ]; }; }'
	assert_success
	run cat "$T/out/p/$U1"
	assert_output '{
  "mdev_type": "t",
  "start": "auto",
  "attrs": [
    {
      "z": "it'"'"'s \"quoted\" $HOME"
    },
    {
      "a": ""
    }
  ]
}'
	rm -rf "$T/out" "$T/build"
	run run_render '{ }'
	assert_success
	run find "$T/out"
	assert_output "$T/out"
}

@test "a name mdevkit refuses fails the rendering (the build) with mdevkit's one line" {
	run --separate-stderr run_render '{ definitions."'$U1'" = { parent = "../x"; type = "t"; }; }'
	assert_failure 1
	assert_equal "$stderr" "Error: Invalid parent name '../x': it contains '/'; use the device name shown in /sys/class/mdev_bus, e.g. 0000:00:02.0"
	assert_file_not_exists "$T/out"
}

@test "udev rule and units come from the package; the boot sweep is wanted by multi-user.target; GVT-g only when asked" {
	run module_eval config
	assert_success
	local c=$output
	assert_equal "$(jq -c '[.services.udev.packages, .systemd.packages, .environment.systemPackages]' <<<"$c")" \
		"[[\"$STORE-mdevkit\"],[\"$STORE-mdevkit\"],[\"$STORE-mdevkit\"]]"
	assert_equal "$(jq -c .systemd.services <<<"$c")" '{"mdevkit-boot":{"wantedBy":["multi-user.target"]}}'
	assert_equal "$(jq -c .boot <<<"$c")" '{}'
	run module_eval config.boot '{ enable = true; gvt.enable = true; }'
	assert_equal "$output" '{"kernelModules":["kvmgt"],"kernelParams":["i915.enable_gvt=1"]}'
	# not enabled: the module sets nothing
	run module_eval config '{ definitions."'$U1'" = { parent = "p"; type = "t"; }; }'
	assert_equal "$output" 'null'
}

@test "activation: mdevkit check after /etc; when it fails the activation's ERR trap marks the switch failed, with mdevkit's reason" {
	run module_eval config.system.activationScripts.mdevkit-check
	assert_success
	assert_equal "$(jq -c .deps <<<"$output")" '["etc"]'
	local text
	text=$(jq -r .text <<<"$output")
	# the activation script's own frame, around a stand-in mdevkit
	mkdir -p "$T/pkg/bin"
	printf '#!/bin/sh\necho "0000:00:02.0: does not fit: not enough aperture"\nexit 1\n' > "$T/pkg/bin/mdevkit"
	chmod +x "$T/pkg/bin/mdevkit"
	frame='_status=0; trap "_status=1" ERR; '"${text//$STORE-mdevkit/$T/pkg}"'
echo "status $_status"'
	run --separate-stderr bash -c "$frame"
	assert_output "$(printf '0000:00:02.0: does not fit: not enough aperture\nstatus 1')"
	assert_equal "$stderr" "mdevkit: the auto definitions in services.mdevkit.definitions do not fit this host (see above); change them and switch again"
	printf '#!/bin/sh\nexit 0\n' > "$T/pkg/bin/mdevkit"
	run --separate-stderr bash -c "$frame"
	assert_output "status 0"
	assert_equal "$stderr" ""
	run module_eval config.system.activationScripts '{ enable = true; check = false; }'
	assert_equal "$output" '{}'
}

@test "package.nix: the version of VERSION, only the installed programs, and make flags whose rule and units call only the package's and systemd's paths" {
	local p='(import ./stubs.nix).pkgs'
	# (a derivation would print as its path: the attributes as a set)
	run nix_eval "let pkgs = $p; d = import $NIX/package.nix {
		inherit (import ./stubs.nix) lib; inherit (pkgs) stdenv pkg-config json-c libuuid systemd;
		}; in { inherit (d) version makeFlags buildFlags installFlags; }"
	assert_success
	local drv=$output out sys=$STORE-systemd
	assert_equal "$(jq -r .version <<<"$drv")" "$(cat "$TOP/VERSION")"
	assert_equal "$(jq -c .buildFlags <<<"$drv")" '["programs"]'
	out=$(nix_eval 'builtins.placeholder "out"' | jq -r .)
	# the flags as Nix passes them, with the placeholder for $out filled in
	mapfile -t flags < <(jq -r '.makeFlags[]' <<<"$drv" | sed "s|$out|/nix/store/x-mdevkit|g")
	run make_top BUILD="$T/build" units "$T/build/paths-c" "${flags[@]}"
	assert_success
	run grep -hoE '(IMPORT\{program\}|PROGRAM|RUN\+|Exec[A-Za-z]*)="?[-@]*/[^ "]+' \
		"$T/build/udev-rules/70-mdevkit.rules" "$T"/build/systemd-units/*
	assert_success
	# every program the rule and the units run is the package's or systemd's
	local line path outside=
	while read -r line; do
		path=${line#*=}
		path=${path#\"}
		path=${path#-}
		path=${path#@}
		case $path in
		/nix/store/x-mdevkit/* | "$sys"/*) ;;
		*) outside+="$line"$'\n' ;;
		esac
	done <<<"$output"
	assert_equal "$outside" ""
	# and each kind of program is there
	assert_line "PROGRAM=\"$sys/bin/systemd-escape"
	assert_line "RUN+=\"$sys/bin/systemctl"
	assert_line "IMPORT{program}=\"/nix/store/x-mdevkit/lib/udev/mdevkit-udev"
	assert_line "ExecStartPre=-$sys/bin/udevadm"
	assert_line "ExecStart=/nix/store/x-mdevkit/bin/mdevkit"
	assert_line "ExecStop=/nix/store/x-mdevkit/bin/mdevkit"
	run grep -n 'TEST!=' "$T/build/udev-rules/70-mdevkit.rules"
	assert_output --partial 'TEST!="/etc/mdevctl.d/$kernel"'
	run cat "$T/build/paths-c"
	assert_output "$(printf '%s\n' STOREDIR=/etc/mdevctl.d CONFDIR=/etc/mdevkit \
		MDEVCTL_LIBDIR=/nix/store/x-mdevkit/lib/mdevctl LIBEXECDIR=/nix/store/x-mdevkit/libexec/mdevkit)"
	# make install into a staging root: the store path's part and etc/
	assert_equal "$(jq -c .installFlags <<<"$drv")" '["DESTDIR=$(NIX_BUILD_TOP)/staging"]'
}
