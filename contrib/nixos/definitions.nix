# The store /etc/mdevctl.d as mdevkit writes it, from
# services.mdevkit.definitions: `mdevkit define --jsonfile` into a root of
# its own (MDEVCTL_ENV_ROOT), so the bytes are mdevkit's, which are
# mdevctl's, and a name mdevkit refuses fails the build with its one line.
# builtins.toJSON only makes define's input (it sorts keys and writes no
# whitespace: not mdevctl's bytes).
#
# Result: a directory with <parent>/<uuid> for each definition.
{ runCommand, mdevkit }:
definitions:

let
  inherit (builtins) attrNames concatStringsSep replaceStrings toJSON;
  quote = s: "'" + replaceStrings [ "'" ] [ "'\\''" ] s + "'";
  # mdevctl's own form: attributes as a list of one-key objects, in order
  input = d: toJSON {
    mdev_type = d.type;
    inherit (d) start;
    attrs = map (a: { ${a.name} = a.value; }) d.attrs;
  };
  define = uuid: let d = definitions.${uuid}; in ''
    printf '%s' ${quote (input d)} > definition.json
    mdevkit define -u ${quote uuid} -p ${quote d.parent} --jsonfile definition.json
  '';
in
runCommand "mdevkit-definitions" { nativeBuildInputs = [ mdevkit ]; } ''
  set -e
  export MDEVCTL_ENV_ROOT=$PWD/root
  mkdir -p root/etc/mdevctl.d
  ${concatStringsSep "" (map define (attrNames definitions))}
  cp -r root/etc/mdevctl.d "$out"
''
