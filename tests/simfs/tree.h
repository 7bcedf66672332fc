/* An in-memory directory tree: what the FUSE side serves.  sysfs.c
 * rebuilds it from the model after every change, so nodes may point into
 * the model freely (single-threaded: nothing reads a stale tree). */
#ifndef SIMFS_TREE_H
#define SIMFS_TREE_H

#include <stddef.h>
#include <sys/types.h>

enum node_kind { NODE_DIR, NODE_FILE, NODE_LINK };

/* what a write (or, for NODE_EVENTS, an open) of the node does */
enum node_op {
	OP_NONE,	/* plain read-only text */
	OP_CREATE,	/* type/create: obj parent, obj2 type */
	OP_REMOVE,	/* device/remove: obj device */
	OP_ATTR,	/* vendor attribute: obj device, arg attribute */
	OP_UEVENT,	/* uevent: aux devpath, aux2 subsystem */
	OP_CONFIG,	/* PCI config: root may open for writing, writes fail */
	OP_RESOURCE,	/* PCI resourceN: mmap only, read fails */
	OP_CTL,		/* kernel/mdevkit-simfs/ctl */
	OP_EVENTS,	/* kernel/mdevkit-simfs/events, text made at open */
};

struct node {
	char *name;
	enum node_kind kind;
	unsigned mode;		/* permission bits */
	char *data;		/* file content or link target (relative) */
	size_t len;
	off_t size;		/* st_size to report for files */
	enum node_op op;
	void *obj, *obj2;
	int arg;
	int open_errno;		/* ctl override: open fails with this */
	char *aux, *aux2;	/* owned strings for ops that need them */
	struct node **kids;
	size_t nkids, cap;
};

struct node *tree_new(void);
void tree_free(struct node *n);

/* Paths are relative to the tree root, '/'-separated, no leading '/'.
 * Missing directories are created on the way. */
struct node *tree_dir(struct node *root, const char *path);
struct node *tree_file(struct node *root, const char *path, unsigned mode, const char *text);
struct node *tree_file_bin(struct node *root, const char *path, unsigned mode,
			   const void *data, size_t len);
/* a symlink whose target is computed relative to the link's directory,
 * the way sysfs_create_link does it */
struct node *tree_link(struct node *root, const char *path, const char *target);

/* path as FUSE gives it: "/" or "/a/b" */
struct node *tree_lookup(struct node *root, const char *path);

#endif
