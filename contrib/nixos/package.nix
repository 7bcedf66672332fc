# mdevkit built from this tree for NixOS.  Every path it installs to or
# calls is under its own store path or systemd's (the Makefile's build-time
# paths, README "Paths set at build time"); the definitions and settings
# stay in /etc/mdevctl.d and /etc/mdevkit, where mdevctl and libvirt look.
{ lib, stdenv, pkg-config, json-c, libuuid, systemd
, src ? ../..
}:

let
  out = placeholder "out";
in
stdenv.mkDerivation {
  pname = "mdevkit";
  version = lib.fileContents ../../VERSION;

  # the tree without build products (build/ holds test builds and VM images)
  src = lib.cleanSourceWith {
    name = "mdevkit-source";
    inherit src;
    filter = path: type: !(type == "directory" && builtins.elem (baseNameOf path) [ "build" ".git" ]);
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ json-c libuuid ];

  makeFlags = [
    "PREFIX=${out}"
    "SYSCONFDIR=/etc"
    # mdevkit searches its own callout directory first, as mdevctl 1.3
    # searches /usr/lib/mdevctl, which NixOS does not have
    "MDEVCTL_LIBDIR=${out}/lib/mdevctl"
    "UDEVDIR=${out}/lib/udev"
    "SYSTEMDUNITDIR=${out}/lib/systemd/system"
    "BASHCOMPLETIONSDIR=${out}/share/bash-completion/completions"
    # the udev rule calls only absolute paths that exist (NixOS checks)
    "MDEVKIT_UDEV_BIN=${out}/lib/udev/mdevkit-udev"
    "SYSTEMCTL=${systemd}/bin/systemctl"
    "SYSTEMD_ESCAPE=${systemd}/bin/systemd-escape"
    "UDEVADM=${systemd}/bin/udevadm"
    # NixOS enables units itself (module.nix: wantedBy)
    "ENABLE_BOOT_UNIT=no"
  ];
  buildFlags = [ "programs" ];

  # make install also makes /etc/mdevctl.d and the callout's link there:
  # into a staging root, of which the store path is kept, with that etc/
  # as $out/etc for reference (module.nix links the callout into /etc)
  installFlags = [ "DESTDIR=$(NIX_BUILD_TOP)/staging" ];
  postInstall = ''
    mkdir -p "$out"
    cp -a "$NIX_BUILD_TOP/staging$out/." "$out/"
    cp -a "$NIX_BUILD_TOP/staging/etc" "$out/etc"
  '';

  meta = {
    description = "Mediated devices (Intel GVT-g vGPUs) for mdevctl's store: CLI, callout, udev rule and units";
    license = lib.licenses.lgpl21Plus;
    platforms = lib.platforms.linux;
  };
}
