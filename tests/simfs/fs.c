/* See fs.h.  Path based (high-level libfuse API): every operation looks
 * its node up again, so an fd whose file vanished gets ENODEV on write
 * like a kernfs file whose kobject went away. */
#define FUSE_USE_VERSION 35

#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "sysfs.h"
#include "util.h"

/* kernfs hands at most one page to a store() */
#define STORE_MAX 4096

struct handle {
	enum node_op op;
	char *path;
	char *data;	/* snapshot for reads; ctl: the answer */
	size_t len;
	struct handle *prev, *next;
};

struct state {
	struct sim_host host;
	struct node *root;
	time_t t0;
	/* open files; the kernel may drop a RELEASE at unmount, so whatever
	 * is still here at exit gets freed then */
	struct handle *handles;
};

static void handle_free(struct state *s, struct handle *h)
{
	if (h->prev)
		h->prev->next = h->next;
	else
		s->handles = h->next;
	if (h->next)
		h->next->prev = h->prev;
	free(h->path);
	free(h->data);
	free(h);
}

static struct state *state(void)
{
	return fuse_get_context()->private_data;
}

static void rebuild(struct state *s)
{
	tree_free(s->root);
	s->root = sysfs_build(&s->host, getpid());
}

static void *op_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	/* no caching anywhere: a create must show at the next lookup */
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;	/* reads return the text, not st_size bytes */
	cfg->kernel_cache = 0;
	cfg->use_ino = 0;
	struct state *s = state();
	rebuild(s);	/* here, after the fork, so the pid file is right */
	return s;
}

static int op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	struct state *s = state();
	struct node *n = tree_lookup(s->root, path);
	if (!n)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->st_uid = 0;
	st->st_gid = 0;
	st->st_blksize = 4096;
	st->st_atime = st->st_mtime = st->st_ctime = s->t0;
	switch (n->kind) {
	case NODE_DIR:
		st->st_mode = S_IFDIR | n->mode;
		st->st_nlink = 2;
		for (size_t i = 0; i < n->nkids; i++)
			st->st_nlink += n->kids[i]->kind == NODE_DIR;
		break;
	case NODE_FILE:
		st->st_mode = S_IFREG | n->mode;
		st->st_nlink = 1;
		st->st_size = n->size;
		break;
	case NODE_LINK:
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		st->st_size = (off_t)n->len;
		break;
	}
	return 0;
}

static int op_readlink(const char *path, char *buf, size_t size)
{
	struct node *n = tree_lookup(state()->root, path);
	if (!n)
		return -ENOENT;
	if (n->kind != NODE_LINK)
		return -EINVAL;
	if (size == 0)
		return -EINVAL;
	size_t len = n->len < size - 1 ? n->len : size - 1;
	memcpy(buf, n->data, len);
	buf[len] = '\0';
	return 0;
}

static int op_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	struct node *n = tree_lookup(state()->root, path);
	if (!n)
		return -ENOENT;
	if (n->kind != NODE_DIR)
		return -ENOTDIR;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	for (size_t i = 0; i < n->nkids; i++)
		if (fill(buf, n->kids[i]->name, NULL, 0, 0))
			break;
	return 0;
}

/* (re)take the text a read returns, as seq_file does at offset 0 */
static int snapshot(struct state *s, struct handle *h)
{
	struct node *n = tree_lookup(s->root, h->path);
	if (!n || n->op != h->op)
		return -ENODEV;
	free(h->data);
	if (n->op == OP_EVENTS) {
		h->data = events_text(&s->host.ev, &h->len);
	} else {
		h->data = xmalloc(n->len + 1);
		memcpy(h->data, n->data, n->len + 1);
		h->len = n->len;
	}
	return 0;
}

static int op_open(const char *path, struct fuse_file_info *fi)
{
	struct state *s = state();
	struct node *n = tree_lookup(s->root, path);
	if (!n)
		return -ENOENT;
	if (n->kind == NODE_DIR)
		return -EISDIR;
	if (n->open_errno)
		return -n->open_errno;
	int acc = fi->flags & O_ACCMODE;
	bool want_r = acc == O_RDONLY || acc == O_RDWR;
	bool want_w = acc == O_WRONLY || acc == O_RDWR;
	/* kernfs checks the mode bits at open, for root too */
	if ((want_r && !(n->mode & 0444)) || (want_w && !(n->mode & 0222)))
		return -EACCES;
	struct handle *h = xcalloc(1, sizeof(*h));
	h->op = n->op;
	h->path = xstrdup(path);
	h->next = s->handles;
	if (h->next)
		h->next->prev = h;
	s->handles = h;
	if (want_r && n->op != OP_CTL && n->op != OP_RESOURCE)
		snapshot(s, h);
	fi->fh = (uint64_t)(uintptr_t)h;
	fi->direct_io = 1;
	return 0;
}

static int op_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	(void)path;
	struct state *s = state();
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	if (h->op == OP_RESOURCE)
		return -EIO;	/* memory BARs are for mmap only */
	if (off == 0 && h->op != OP_CTL) {
		int r = snapshot(s, h);
		if (r)
			return r;
	}
	if (!h->data || off < 0 || (size_t)off >= h->len)
		return 0;
	size_t n = h->len - (size_t)off;
	if (n > size)
		n = size;
	memcpy(buf, h->data + off, n);
	return (int)n;
}

static int do_store(struct state *s, struct node *n, struct handle *h, const char *buf,
		    size_t len)
{
	char *str = xstrndup(buf, len);	/* the C string a store() sees */
	char *msg = NULL;
	int r;
	switch (n->op) {
	case OP_CREATE:
		r = host_create(&s->host, n->obj, n->obj2, buf, len);
		break;
	case OP_REMOVE:
		r = host_remove(&s->host, n->obj, str);
		break;
	case OP_ATTR:
		r = vendor_attr_write(n->obj, (enum vendor_attr)n->arg, str);
		break;
	case OP_UEVENT:
		r = host_uevent_write(&s->host, n->aux, n->aux2, str);
		break;
	case OP_CTL:
		r = ctl_exec(&s->host, str, &msg) ? -EINVAL : 0;
		free(h->data);
		h->data = msg ? xasprintf("%s\n", msg) : xstrdup("ok\n");
		h->len = strlen(h->data);
		free(msg);
		break;
	default:
		r = -EPERM;	/* config space and BARs: not simulated */
		break;
	}
	free(str);
	return r;
}

static int op_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)path;
	(void)off;	/* sysfs stores ignore the offset */
	struct state *s = state();
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	struct node *n = tree_lookup(s->root, h->path);
	if (!n || n->op != h->op)
		return -ENODEV;
	size_t len = size > STORE_MAX ? STORE_MAX : size;
	int r = do_store(s, n, h, buf, len);
	rebuild(s);
	return r < 0 ? r : (int)len;
}

static int op_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)size;
	(void)fi;
	struct node *n = tree_lookup(state()->root, path);
	if (!n)
		return -ENOENT;
	if (n->kind == NODE_DIR)
		return -EISDIR;
	/* `echo x > create` opens with O_TRUNC: accept it, as sysfs does */
	return (n->mode & 0222) ? 0 : -EACCES;
}

static int op_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	if (h)
		handle_free(state(), h);
	return 0;
}

static int op_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)path;
	(void)mode;
	(void)fi;
	return -EACCES;	/* kernfs directories have no create */
}

static int op_mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	return -EPERM;
}

static int op_unlink(const char *path)
{
	(void)path;
	return -EPERM;
}

static int op_rename(const char *from, const char *to, unsigned flags)
{
	(void)from;
	(void)to;
	(void)flags;
	return -EPERM;
}

static int op_symlink(const char *target, const char *path)
{
	(void)target;
	(void)path;
	return -EPERM;
}

static int op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)path;
	(void)mode;
	(void)fi;
	return -EPERM;
}

static int op_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	(void)path;
	(void)uid;
	(void)gid;
	(void)fi;
	return -EPERM;
}

static int op_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	(void)tv;
	(void)fi;
	return tree_lookup(state()->root, path) ? 0 : -ENOENT;
}

static const struct fuse_operations ops = {
	.init = op_init,
	.getattr = op_getattr,
	.readlink = op_readlink,
	.readdir = op_readdir,
	.open = op_open,
	.read = op_read,
	.write = op_write,
	.truncate = op_truncate,
	.release = op_release,
	.create = op_create,
	.mkdir = op_mkdir,
	.rmdir = op_unlink,
	.unlink = op_unlink,
	.rename = op_rename,
	.symlink = op_symlink,
	.chmod = op_chmod,
	.chown = op_chown,
	.utimens = op_utimens,
};

/* Parent side of the detach: wait for the child's verdict on the mount,
 * then prove it answers.  Returns the exit status for the caller. */
static int wait_ready(int rfd, const char *mountpoint)
{
	char c = '0';
	ssize_t n = read(rfd, &c, 1);
	close(rfd);
	if (n != 1 || c != '1')
		return 1;	/* the child printed why */
	char *probe = xasprintf("%s/" SIMFS_CTL_DIR "/pid", mountpoint);
	struct stat st;
	int ok = stat(probe, &st) == 0;
	int e = errno;
	free(probe);
	if (ok)
		return 0;
	fprintf(stderr, "mdevkit-simfs: %s: the daemon stopped answering right after mounting "
		"(%s); see its --log\n", mountpoint, strerror(e));
	umount2(mountpoint, MNT_DETACH);
	return 1;
}

/* Child side: stdio away from the caller (bats waits for its pipes). */
static void detach_stdio(const struct fs_options *o)
{
	if (chdir("/") < 0)
		return;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return;
	dup2(null, 0);
	dup2(null, 1);
	dup2(o->log_fd >= 0 ? o->log_fd : null, 2);
	close(null);
}

int fs_run(struct sim_host *h, const struct fs_options *o)
{
	int wfd = -1;
	if (!o->foreground) {
		/* fork before mounting: the daemon's pid goes into the mount's
		 * source name, so umount finds it without asking the mount */
		int pfd[2];
		if (pipe2(pfd, O_CLOEXEC) < 0) {
			fprintf(stderr, "mdevkit-simfs: pipe: %s\n", strerror(errno));
			return 1;
		}
		pid_t pid = fork();
		if (pid < 0) {
			fprintf(stderr, "mdevkit-simfs: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid > 0) {
			close(pfd[1]);
			return wait_ready(pfd[0], o->mountpoint);
		}
		close(pfd[0]);
		wfd = pfd[1];
		setsid();
	}
	struct state *s = xcalloc(1, sizeof(*s));
	s->host = *h;
	memset(h, 0, sizeof(*h));
	s->t0 = time(NULL);

	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	fuse_opt_add_arg(&args, "mdevkit-simfs");
	fuse_opt_add_arg(&args, "-o");
	/* root mounts for every user, like /sys; no default_permissions:
	 * the mode checks are ours (kernfs semantics, root included) */
	char *mopts = xasprintf("fsname=mdevkit-simfs:%ld,subtype=mdevkit-simfs%s", (long)getpid(),
				geteuid() == 0 ? ",allow_other" : "");
	fuse_opt_add_arg(&args, mopts);
	free(mopts);
	int status = 1;
	struct fuse *f = fuse_new(&args, &ops, sizeof(ops), s);
	if (!f) {
		fprintf(stderr, "mdevkit-simfs: cannot set up FUSE; is libfuse3 working?\n");
		goto out;
	}
	if (fuse_mount(f, o->mountpoint) != 0) {
		fprintf(stderr, "mdevkit-simfs: cannot mount on %s; check /dev/fuse and that you "
			"may mount (root, or fusermount3 installed)\n", o->mountpoint);
		fuse_destroy(f);
		goto out;
	}
	if (wfd >= 0) {
		detach_stdio(o);
		if (write(wfd, "1", 1) != 1)
			fprintf(stderr, "mdevkit-simfs: the mount command went away\n");
		close(wfd);
		wfd = -1;
	}
	struct fuse_session *se = fuse_get_session(f);
	fuse_set_signal_handlers(se);
	/* >0 is the signal that stopped us: a normal way to end */
	status = fuse_loop(f) < 0 ? 1 : 0;
	fuse_remove_signal_handlers(se);
	fuse_unmount(f);
	fuse_destroy(f);
out:
	if (wfd >= 0) {
		if (write(wfd, "0", 1) != 1)
			status = 1;
		close(wfd);
	}
	fuse_opt_free_args(&args);
	while (s->handles)
		handle_free(s, s->handles);
	tree_free(s->root);
	host_free(&s->host);
	free(s);
	return status;
}
