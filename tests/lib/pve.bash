# Helpers for the Proxmox VE hookscript tests: /etc/pve as pmxcfs shows it,
# in a fixture root.  `load ../lib/helpers` first.
#
# pve_node ROOT NODE        /etc/pve/nodes/NODE with pmxcfs's links local
#                           and qemu-server pointing at it
# pve_vm ROOT VMID TEXT     NODE's qemu-server/VMID.conf with TEXT (printf %b)
# pve_mapping ROOT TEXT     /etc/pve/mapping/pci.cfg with TEXT (printf %b)
# pve_uuid VMID N           Proxmox's UUID of hostpciN of VMID
# pve_hook ARGS...          mdevkit pve-hook ARGS... (run it with `run`)

PVE_NODE=pve1

pve_node() {
	local root=$1 node=${2:-$PVE_NODE}
	mkdir -p "$root/etc/pve/nodes/$node/qemu-server" "$root/etc/pve/mapping"
	ln -sfn "nodes/$node" "$root/etc/pve/local"
	ln -sfn "nodes/$node/qemu-server" "$root/etc/pve/qemu-server"
}

pve_vm() {
	[ -L "$1/etc/pve/qemu-server" ] || pve_node "$1"
	printf '%b' "$3" > "$1/etc/pve/qemu-server/$2.conf"
}

pve_mapping() {
	mkdir -p "$1/etc/pve/mapping"
	printf '%b' "$2" > "$1/etc/pve/mapping/pci.cfg"
}

pve_uuid() {
	printf '%08d-0000-0000-0000-%012d' "$2" "$1"
}

pve_hook() {
	"$MDEVKIT" pve-hook "$@"
}
