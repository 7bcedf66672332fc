# services.mdevkit: mediated devices (Intel GVT-g vGPUs) defined in the
# NixOS configuration.  Import this file from configuration.nix:
#
#   imports = [ /path/to/mdevkit/contrib/nixos/module.nix ];
#   services.mdevkit = {
#     enable = true;
#     gvt.enable = true;
#     definitions."6e0c190e-7d4b-4e16-9a23-3f2c5a6b7c01" = {
#       parent = "0000:00:02.0";
#       type = "i915-GVTg_V5_4";
#     };
#   };
#
# Each definition becomes /etc/mdevctl.d/<parent>/<uuid> (a link into the
# store, which mdevkit reads as a definition managed elsewhere and refuses
# to change), with the bytes mdevkit and mdevctl write.  mdevkit's udev
# rule and units start the "auto" ones when the parent registers and at
# boot, before libvirt; `mdevkit check` at activation fails the switch when
# they cannot fit the GPU together.
{ config, lib, pkgs, ... }:

let
  inherit (lib) mkEnableOption mkIf mkOption types;
  cfg = config.services.mdevkit;
  render = import ./definitions.nix {
    inherit (pkgs) runCommand;
    mdevkit = cfg.package;
  };
  rendered = render cfg.definitions;
  # the file name mdevkit gives a definition: the canonical UUID
  canonical = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  attrType = types.submodule {
    options = {
      name = mkOption {
        type = types.str;
        description = "Attribute name (a file of the device in sysfs).";
      };
      value = mkOption {
        type = types.str;
        description = "Value written to it when the device starts.";
      };
    };
  };

  definitionType = types.submodule {
    options = {
      parent = mkOption {
        type = types.str;
        example = "0000:00:02.0";
        description = "Parent device, as /sys/class/mdev_bus names it.";
      };
      type = mkOption {
        type = types.str;
        example = "i915-GVTg_V5_4";
        description = "mdev type (see `mdevkit types`).";
      };
      start = mkOption {
        type = types.enum [ "auto" "manual" ];
        default = "auto";
        description = ''
          "auto": started when the parent registers and at boot;
          "manual": only by `mdevkit start` or mdevkit@<uuid>.service.
        '';
      };
      attrs = mkOption {
        type = types.listOf attrType;
        default = [ ];
        example = [ { name = "some_attribute"; value = "1"; } ];
        description = "Attributes written in this order after the device is created.";
      };
    };
  };
in
{
  options.services.mdevkit = {
    enable = mkEnableOption "mdevkit: mediated devices defined here, started at boot and when their parent registers";

    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ./package.nix { };
      description = "The mdevkit package (built from this tree by package.nix).";
    };

    definitions = mkOption {
      type = types.attrsOf definitionType;
      default = { };
      description = ''
        Mediated device definitions by UUID (lower case, as mdevkit and
        mdevctl name the files), each rendered to
        /etc/mdevctl.d/<parent>/<uuid>.
      '';
    };

    check = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Run `mdevkit check` at activation: when the "auto" definitions of
        a registered parent cannot run together (GVT-g aperture, hidden
        GM, fences, vGPU count), the switch fails with mdevkit's reason.
        Parents that are not registered yet are skipped.
      '';
    };

    gvt.enable = mkEnableOption "Intel GVT-g on this host: the kvmgt module and i915.enable_gvt=1 (as virtualisation.kvmgt sets them)";
  };

  config = mkIf cfg.enable {
    assertions = map (uuid: {
      assertion = builtins.match canonical uuid != null;
      message = "services.mdevkit.definitions.\"${uuid}\": the name must be a UUID in lower case (8-4-4-4-12 hexadecimal digits), as /etc/mdevctl.d names the file";
    }) (builtins.attrNames cfg.definitions);

    environment.systemPackages = [ cfg.package ];
    services.udev.packages = [ cfg.package ];
    systemd.packages = [ cfg.package ];
    # units from systemd.packages keep no [Install] section: the boot sweep
    # is enabled here
    systemd.services.mdevkit-boot.wantedBy = [ "multi-user.target" ];

    environment.etc = lib.mapAttrs' (uuid: d:
      lib.nameValuePair "mdevctl.d/${d.parent}/${uuid}" {
        source = "${rendered}/${d.parent}/${uuid}";
      }) cfg.definitions // {
      # for mdevctl 1.2, which looks for callouts only here
      "mdevctl.d/scripts.d/callouts/mdevkit-gvt".source =
        "${cfg.package}/lib/mdevctl/scripts.d/callouts/mdevkit-gvt";
    };

    boot.kernelModules = mkIf cfg.gvt.enable [ "kvmgt" ];
    boot.kernelParams = mkIf cfg.gvt.enable [ "i915.enable_gvt=1" ];

    # after /etc is in place; a failure here makes the switch report an
    # error and exit non-zero (the activation script's ERR trap)
    system.activationScripts.mdevkit-check = mkIf cfg.check {
      deps = [ "etc" ];
      text = ''
        if ! ${cfg.package}/bin/mdevkit check; then
          echo "mdevkit: the auto definitions in services.mdevkit.definitions do not fit this host (see above); change them and switch again" >&2
          false
        fi
      '';
    };
  };
}
