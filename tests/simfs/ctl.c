/* See ctl.h.  The server side parses one line of words; the client side
 * writes that line to the ctl file and prints the answer. */
#include "ctl.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs.h"
#include "util.h"

#define MAX_WORDS 8

static const char usage_cmds[] =
	"register PARENT, unregister PARENT, busy UUID [on|off], "
	"fail-next-create PARENT ERRNO|none, override PATH /FILE|ERRNO|none, clear-events";

static int errorf(char **msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int errorf(char **msg, const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	*msg = sb_take(&b, NULL);
	return -1;
}

static struct sim_parent *find_parent(struct sim_host *h, const char *name, char **msg)
{
	struct sim_parent *p = host_parent(h, name);
	if (p)
		return p;
	struct sbuf b = { 0 };
	for (size_t i = 0; i < h->nparents; i++)
		sb_printf(&b, "%s%s", i ? ", " : "", h->parents[i].name);
	errorf(msg, "no parent '%s' in this scenario; use one of: %s", name,
	       b.s ? b.s : "(none)");
	sb_free(&b);
	return NULL;
}

static int cmd_registration(struct sim_host *h, char **w, size_t n, char **msg)
{
	bool reg = strcmp(w[0], "register") == 0;
	if (n != 2)
		return errorf(msg, "%s takes one parent; write %s PARENT", w[0], w[0]);
	struct sim_parent *p = find_parent(h, w[1], msg);
	if (!p)
		return -1;
	int r = reg ? host_register(h, p) : host_unregister(h, p);
	if (r == -EALREADY)
		return errorf(msg, "parent %s is already %s; nothing to do", p->name,
			      reg ? "registered" : "unregistered");
	return 0;
}

static int cmd_busy(struct sim_host *h, char **w, size_t n, char **msg)
{
	char uuid[SIM_UUID_LEN + 1];
	if (n < 2 || n > 3)
		return errorf(msg, "busy takes a UUID and optionally on or off; "
			      "write busy UUID [on|off]");
	if (strlen(w[1]) != SIM_UUID_LEN || !parse_uuid(w[1], uuid))
		return errorf(msg, "'%s' is not a UUID; write busy 8-4-4-4-12 [on|off]", w[1]);
	bool on = true;
	if (n == 3) {
		if (strcmp(w[2], "on") != 0 && strcmp(w[2], "off") != 0)
			return errorf(msg, "'%s' is not on or off; write busy UUID on|off", w[2]);
		on = w[2][1] == 'n';
	}
	struct sim_device *d = host_device(h, uuid);
	if (!d)
		return errorf(msg, "no mdev %s exists; create it first", uuid);
	d->busy = on;
	return 0;
}

static int cmd_fail(struct sim_host *h, char **w, size_t n, char **msg)
{
	if (n != 3)
		return errorf(msg, "fail-next-create takes a parent and an errno; "
			      "write fail-next-create PARENT EINVAL");
	struct sim_parent *p = find_parent(h, w[1], msg);
	if (!p)
		return -1;
	if (strcmp(w[2], "none") == 0) {
		p->fail_next = 0;
		return 0;
	}
	int e = parse_errno(w[2]);
	if (!e)
		return errorf(msg, "'%s' is not an errno; write a name such as EINVAL or a "
			      "number 1..511, or none", w[2]);
	p->fail_next = e;
	return 0;
}

#define OVERRIDE_MAX (16u << 20)

/* The bytes of an absolute path, at most OVERRIDE_MAX; 0 or -errno. */
static int slurp(const char *path, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct sbuf b = { 0 };
	char chunk[65536];
	ssize_t n;
	int r = 0;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || b.len + (size_t)n > OVERRIDE_MAX) {
			r = n < 0 ? -errno : -EFBIG;
			break;
		}
		sb_add(&b, chunk, (size_t)n);
	}
	close(fd);
	if (r < 0) {
		sb_free(&b);
		return r;
	}
	*data = sb_take(&b, len);
	return 0;
}

static struct sim_override *find_override(struct sim_host *h, const char *path)
{
	for (size_t i = 0; i < h->noverrides; i++)
		if (strcmp(h->overrides[i].path, path) == 0)
			return &h->overrides[i];
	return NULL;
}

/* override PATH /FILE|ERRNO|none: a read-only attribute reads as FILE's
 * bytes, or fails to open with ERRNO, until none */
static int cmd_override(struct sim_host *h, char **w, size_t n, char **msg)
{
	if (n != 3)
		return errorf(msg, "override takes a path and what it reads as; write override "
			      "PATH /FILE, override PATH EACCES or override PATH none");
	const char *path = w[1];
	struct sim_override *o = find_override(h, path);
	if (strcmp(w[2], "none") == 0) {
		if (!o)
			return errorf(msg, "'%s' is not overridden; nothing to do", path);
		free(o->path);
		free(o->data);
		*o = h->overrides[--h->noverrides];
		return 0;
	}
	/* only what the model serves as plain text, found without links */
	struct node *tree = sysfs_build(h, 0);
	char *slashed = xasprintf("/%s", path);
	struct node *node = path[0] != '/' ? tree_lookup(tree, slashed) : NULL;
	bool plain = node && node->kind == NODE_FILE && node->op == OP_NONE;
	free(slashed);
	tree_free(tree);
	if (!plain)
		return errorf(msg, "'%s' is not a read-only attribute of this host; give its path "
			      "under sys without links, e.g. devices/pci0000:00/0000:00:02.0/resource",
			      path);
	char *data = NULL;
	size_t len = 0;
	int err = 0;
	if (w[2][0] == '/') {
		int r = slurp(w[2], &data, &len);
		if (r < 0)
			return errorf(msg, "cannot read '%s': %s; give a readable file of at most "
				      "16 MiB", w[2], strerror(-r));
	} else if (!(err = parse_errno(w[2]))) {
		return errorf(msg, "'%s' is neither an absolute file name nor an errno; write "
			      "override PATH /FILE, override PATH EACCES or override PATH none", w[2]);
	} else {
		data = xstrdup("");
	}
	if (!o) {
		h->overrides = xrealloc(h->overrides, (h->noverrides + 1) * sizeof(*h->overrides));
		o = &h->overrides[h->noverrides++];
		o->path = xstrdup(path);
	} else {
		free(o->data);
	}
	o->data = data;
	o->len = len;
	o->err = err;
	return 0;
}

int ctl_exec(struct sim_host *h, const char *line, char **msg)
{
	char *copy = xstrdup(line);
	size_t len = strlen(copy);
	if (len && copy[len - 1] == '\n')
		copy[--len] = '\0';
	char *w[MAX_WORDS];
	size_t n = 0;
	int r = 0;
	for (const char *c = copy; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t') {
			r = errorf(msg, "control character in the command; send one line");
			goto out;
		}
	for (char *save = NULL, *t = strtok_r(copy, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == MAX_WORDS) {
			r = errorf(msg, "too many words; commands are: %s", usage_cmds);
			goto out;
		}
		w[n++] = t;
	}
	if (n == 0)
		r = errorf(msg, "empty command; commands are: %s", usage_cmds);
	else if (strcmp(w[0], "register") == 0 || strcmp(w[0], "unregister") == 0)
		r = cmd_registration(h, w, n, msg);
	else if (strcmp(w[0], "busy") == 0)
		r = cmd_busy(h, w, n, msg);
	else if (strcmp(w[0], "fail-next-create") == 0)
		r = cmd_fail(h, w, n, msg);
	else if (strcmp(w[0], "override") == 0)
		r = cmd_override(h, w, n, msg);
	else if (strcmp(w[0], "clear-events") == 0 && n == 1)
		events_clear(&h->ev);
	else
		r = errorf(msg, "unknown command '%s'; commands are: %s", w[0], usage_cmds);
out:
	free(copy);
	return r;
}

int ctl_client(const char *root, int argc, char **argv)
{
	if (argc < 1) {
		fprintf(stderr, "mdevkit-simfs ctl: no command; commands are: %s\n", usage_cmds);
		return 2;
	}
	struct sbuf line = { 0 };
	for (int i = 0; i < argc; i++) {
		if (strpbrk(argv[i], "\n\r")) {
			fprintf(stderr, "mdevkit-simfs ctl: argument %d has a line break; "
				"pass plain words\n", i + 1);
			sb_free(&line);
			return 2;
		}
		sb_printf(&line, "%s%s", i ? " " : "", argv[i]);
	}
	sb_puts(&line, "\n");
	char *path = xasprintf("%s/sys/" SIMFS_CTL_DIR "/ctl", root);
	int status = 1;
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			fprintf(stderr, "mdevkit-simfs ctl: %s/sys is not an mdevkit-simfs mount; "
				"mount it first with 'mdevkit-simfs mount %s'\n", root, root);
		else
			fprintf(stderr, "mdevkit-simfs ctl: %s: %s; remount with 'mdevkit-simfs "
				"umount %s' and 'mdevkit-simfs mount %s'\n", path, strerror(errno),
				root, root);
		goto out;
	}
	ssize_t w = write(fd, line.s, line.len);
	int e = errno;
	char ans[4096];
	ssize_t n = pread(fd, ans, sizeof(ans) - 1, 0);
	ans[n > 0 ? n : 0] = '\0';
	close(fd);
	if (w == (ssize_t)line.len) {
		status = 0;
	} else if (n > 0) {
		fprintf(stderr, "mdevkit-simfs ctl: %s", ans);
	} else {
		fprintf(stderr, "mdevkit-simfs ctl: %s: %s\n", path,
			w < 0 ? strerror(e) : "short write");
	}
out:
	free(path);
	sb_free(&line);
	return status;
}
