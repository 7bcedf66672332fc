/* See tree.h. */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct node *tree_new(void)
{
	struct node *n = xcalloc(1, sizeof(*n));
	n->name = xstrdup("");
	n->kind = NODE_DIR;
	n->mode = 0755;
	return n;
}

void tree_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		tree_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->data);
	free(n->aux);
	free(n->aux2);
	free(n);
}

static struct node *child(const struct node *dir, const char *name, size_t len)
{
	for (size_t i = 0; i < dir->nkids; i++)
		if (strncmp(dir->kids[i]->name, name, len) == 0 && dir->kids[i]->name[len] == '\0')
			return dir->kids[i];
	return NULL;
}

static struct node *add_child(struct node *dir, const char *name, size_t len,
			      enum node_kind kind)
{
	struct node *n = xcalloc(1, sizeof(*n));
	n->name = xstrndup(name, len);
	n->kind = kind;
	n->mode = kind == NODE_DIR ? 0755 : kind == NODE_LINK ? 0777 : 0444;
	if (dir->nkids == dir->cap) {
		dir->cap = dir->cap ? dir->cap * 2 : 8;
		dir->kids = xrealloc(dir->kids, dir->cap * sizeof(*dir->kids));
	}
	dir->kids[dir->nkids++] = n;
	return n;
}

/* the directory that holds path's last component; *last points at it */
static struct node *walk_parent(struct node *root, const char *path, const char **last)
{
	struct node *dir = root;
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		if (!slash)
			break;
		size_t len = (size_t)(slash - p);
		if (len) {
			struct node *c = child(dir, p, len);
			if (!c)
				c = add_child(dir, p, len, NODE_DIR);
			dir = c;
		}
		p = slash + 1;
	}
	*last = p;
	return dir;
}

static struct node *leaf(struct node *root, const char *path, enum node_kind kind)
{
	const char *last;
	struct node *dir = walk_parent(root, path, &last);
	struct node *n = child(dir, last, strlen(last));
	if (n && n->kind == kind)
		return n;
	if (n) {	/* a builder bug; replace rather than serve two entries */
		n->kind = kind;
		free(n->data);
		n->data = NULL;
		return n;
	}
	return add_child(dir, last, strlen(last), kind);
}

struct node *tree_dir(struct node *root, const char *path)
{
	return leaf(root, path, NODE_DIR);
}

struct node *tree_file_bin(struct node *root, const char *path, unsigned mode,
			   const void *data, size_t len)
{
	struct node *n = leaf(root, path, NODE_FILE);
	n->mode = mode;
	free(n->data);
	n->data = xmalloc(len + 1);
	memcpy(n->data, data, len);
	n->data[len] = '\0';
	n->len = len;
	n->size = 4096;	/* what sysfs reports for every attribute */
	return n;
}

struct node *tree_file(struct node *root, const char *path, unsigned mode, const char *text)
{
	return tree_file_bin(root, path, mode, text, strlen(text));
}

struct node *tree_link(struct node *root, const char *path, const char *target)
{
	/* skip the directories both paths share, then climb out of the rest */
	const char *a = path, *b = target;
	for (;;) {
		const char *sa = strchr(a, '/'), *sb = strchr(b, '/');
		if (!sa || !sb || sa - a != sb - b || strncmp(a, b, (size_t)(sa - a)) != 0)
			break;
		a = sa + 1;
		b = sb + 1;
	}
	struct sbuf s = { 0 };
	for (const char *p = a; (p = strchr(p, '/')); p++)
		sb_puts(&s, "../");
	sb_puts(&s, b);
	struct node *n = leaf(root, path, NODE_LINK);
	free(n->data);
	n->data = sb_take(&s, &n->len);
	n->size = (off_t)n->len;
	return n;
}

struct node *tree_lookup(struct node *root, const char *path)
{
	struct node *n = root;
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, "/");
		if (n->kind != NODE_DIR)
			return NULL;
		n = child(n, p, len);
		if (!n)
			return NULL;
		p += len;
	}
	return n;
}
