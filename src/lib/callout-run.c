// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One script as one process: argv and stdin in; exit status, stdout and
 * stderr out.  The script gets its own process group so that, when it
 * outlives the timeout, it and everything it started can be killed
 * together (a background child holding our pipes would otherwise keep us
 * waiting for an EOF that never comes).
 */
#include "callout-int.h"

#include "mdevkit/log.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S 30
/* Kept of each stream; the rest is read (so the script never blocks on a
 * full pipe) and only counted.  An answer on stdout (capabilities,
 * attributes) is far smaller; stderr is shown to a person. */
#define OUT_MAX (1u << 20)
#define ERR_MAX (64u << 10)
#define KILL_GRACE_MS 1000      /* from SIGTERM to SIGKILL */
#define DRAIN_MS 500            /* after the script exits, for pipes others still hold */
#define POLL_TICK_MS 50         /* without a pidfd: how often to look for the exit */

static volatile sig_atomic_t caught;    /* a signal meant for mdevkit, see guard_signals */

unsigned mdk_callout_timeout(void)
{
	static long cached = -1;

	if (cached >= 0)
		return (unsigned)cached;
	cached = DEFAULT_TIMEOUT_S;
	const char *s = getenv("MDEVKIT_CALLOUT_TIMEOUT");
	if (!s)
		return (unsigned)cached;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (*s >= '0' && *s <= '9' && *end == '\0' && errno == 0 && v <= UINT_MAX)
		cached = (long)v;
	else
		mdk_warn("MDEVKIT_CALLOUT_TIMEOUT=\"%s\" is not a number of seconds; using %d "
			 "(set it to a whole number, 0 for no timeout)", s, DEFAULT_TIMEOUT_S);
	return (unsigned)cached;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* ---- starting the process --------------------------------------------- */

struct child {
	pid_t pid;
	int pidfd;              /* readable once the script exits; -1 if unsupported */
	int in, out, err;       /* our pipe ends; -1 once closed */
	bool exited;            /* exited, not reaped yet (its pid still names the group) */
};

/* Pipe ends stay off 0-2, so the child's dup2 onto 0-2 cannot overwrite
 * one end with another when mdevkit itself started with 0-2 closed. */
static int above_stdio(int fd)
{
	if (fd > STDERR_FILENO)
		return fd;
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	int err = errno;
	close(fd);
	errno = err;
	return moved;
}

static int make_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	p[0] = above_stdio(p[0]);
	p[1] = above_stdio(p[1]);
	if (p[0] >= 0 && p[1] >= 0)
		return 0;
	int err = errno;
	close_fd(&p[0]);
	close_fd(&p[1]);
	return -err;
}

static int fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 65536)
		return 65536;
	return (int)rl.rlim_cur;
}

/* Between fork and exec: async-signal-safe calls only.  Environment, cwd
 * and umask are inherited; signal mask and SIGPIPE go back to defaults;
 * every fd but 0-2 is closed (mdevkit may hold the store lock).  An exec
 * failure is reported as errno through `report`, which exec closes. */
static _Noreturn void child_exec(char *const argv[], int in, int out, int err, int report,
				 int max_fd)
{
	sigset_t none;

	sigemptyset(&none);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		goto fail;
	if (report != 3 && dup3(report, 3, O_CLOEXEC) == 3)
		report = 3;
#ifdef SYS_close_range
	if (syscall(SYS_close_range, report + 1, ~0U, 0) < 0)
#endif
		for (int fd = report + 1; fd < max_fd; fd++)
			close(fd);
	for (int fd = 3; fd < report; fd++)
		close(fd);
	execv(argv[0], argv);
fail:;
	int code = errno;
	ssize_t ignored = write(report, &code, sizeof(code));
	(void)ignored;
	_exit(127);
}

static int open_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* 0 and ch filled, or -errno (the exec's errno when that failed). */
static int spawn(char *const argv[], struct child *ch)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, rep[2] = { -1, -1 };
	struct stat st;

	/* What execve() refuses anyway is refused before a fork, with its
	 * errno: a directory, a FIFO or a device is no program (and an exec
	 * wrapper that opens the file first, as valgrind's does, would wait
	 * forever on a FIFO). */
	if (stat(argv[0], &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	int r = make_pipe(in);

	if (r == 0)
		r = make_pipe(out);
	if (r == 0)
		r = make_pipe(err);
	if (r == 0)
		r = make_pipe(rep);
	int max_fd = fd_limit();
	pid_t pid = r == 0 ? fork() : -1;
	if (pid == 0)
		child_exec(argv, in[0], out[1], err[1], rep[1], max_fd);
	if (r == 0 && pid < 0)
		r = -errno;
	if (pid > 0)
		setpgid(pid, pid);      /* also here: we may kill the group before the child runs */
	close_fd(&in[0]);
	close_fd(&out[1]);
	close_fd(&err[1]);
	close_fd(&rep[1]);
	if (pid > 0) {
		int code;
		ssize_t n;
		do
			n = read(rep[0], &code, sizeof(code));
		while (n < 0 && errno == EINTR);
		if (n == sizeof(code)) {
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
			r = -code;
		}
	}
	close_fd(&rep[0]);
	if (r < 0) {
		close_fd(&in[1]);
		close_fd(&out[0]);
		close_fd(&err[0]);
		return r;
	}
	*ch = (struct child){ pid, open_pidfd(pid), in[1], out[0], err[0], false };
	set_nonblock(ch->in);
	set_nonblock(ch->out);
	set_nonblock(ch->err);
	return 0;
}

/* ---- talking to it ------------------------------------------------------ */

struct io {
	const char *in;
	size_t in_len, in_off;
	struct mdk_buf out, err;
	unsigned long long out_dropped, err_dropped;
};

static void feed(struct child *ch, struct io *io)
{
	while (io->in_off < io->in_len) {
		ssize_t w = write(ch->in, io->in + io->in_off, io->in_len - io->in_off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return;
		if (w < 0)
			break;  /* EPIPE: the script does not read stdin, which is fine */
		io->in_off += (size_t)w;
	}
	close_fd(&ch->in);
}

static void drain(int *fd, struct mdk_buf *b, size_t max, unsigned long long *dropped)
{
	char chunk[16384];

	/* bounded, so a script writing without pause still lets us check the clock */
	for (int i = 0; i < 64; i++) {
		ssize_t n = read(*fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close_fd(fd);
			return;
		}
		size_t keep = (size_t)n < max - b->len ? (size_t)n : max - b->len;
		mdk_buf_add(b, chunk, keep);
		*dropped += (size_t)n - keep;
	}
}

/* Exited, without reaping: the pid keeps naming the process group until
 * we reap it, so killing the group stays safe. */
static bool has_exited(const struct child *ch)
{
	siginfo_t si;

	si.si_pid = 0;
	if (waitid(P_PID, (id_t)ch->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno != EINTR;
	return si.si_pid != 0;
}

static int ms_until(long long t, long long now)
{
	if (t < 0)
		return -1;
	return t <= now ? 0 : (int)(t - now < INT_MAX ? t - now : INT_MAX);
}

static void watch(struct pollfd *p, int **fds, nfds_t *n, int *fd, short events)
{
	if (*fd < 0)
		return;
	p[*n] = (struct pollfd){ *fd, events, 0 };
	fds[(*n)++] = fd;
}

/* Talk to the script until it exited and its pipes are done (or DRAIN_MS
 * later, when something it left behind still holds them): true.  Until
 * `deadline` (ms, -1: none) at most, or until mdevkit is told to stop
 * when `interruptible`: false. */
static bool pump(struct child *ch, struct io *io, long long deadline, int drain_ms,
		 bool interruptible)
{
	long long drain_until = -1;

	for (;;) {
		if (interruptible && caught)
			return false;
		long long now = now_ms();
		if (!ch->exited && has_exited(ch)) {
			ch->exited = true;
			drain_until = now + drain_ms;
			close_fd(&ch->in);
		}
		if (ch->exited && ((ch->out < 0 && ch->err < 0) || now >= drain_until))
			return true;
		if (!ch->exited && deadline >= 0 && now >= deadline)
			return false;

		struct pollfd p[4];
		int *fds[4];
		nfds_t n = 0;
		watch(p, fds, &n, &ch->in, POLLOUT);
		watch(p, fds, &n, &ch->out, POLLIN);
		watch(p, fds, &n, &ch->err, POLLIN);
		if (!ch->exited)
			watch(p, fds, &n, &ch->pidfd, POLLIN);
		int wait = ms_until(ch->exited ? drain_until : deadline, now);
		if (!ch->exited && ch->pidfd < 0 && (wait < 0 || wait > POLL_TICK_MS))
			wait = POLL_TICK_MS;
		if (poll(p, n, wait) < 0)
			continue;       /* EINTR */
		for (nfds_t i = 0; i < n; i++) {
			if (!p[i].revents)
				continue;
			if (fds[i] == &ch->in)
				feed(ch, io);
			else if (fds[i] == &ch->out)
				drain(&ch->out, &io->out, OUT_MAX, &io->out_dropped);
			else if (fds[i] == &ch->err)
				drain(&ch->err, &io->err, ERR_MAX, &io->err_dropped);
		}
	}
}

static void kill_all(pid_t pid, int sig)
{
	kill(-pid, sig);
	kill(pid, sig);         /* in case the script left its group */
}

/* `sig` to the group, a short grace, then SIGKILL to whatever is left. */
static void terminate(struct child *ch, struct io *io, int sig)
{
	kill_all(ch->pid, sig);
	pump(ch, io, now_ms() + KILL_GRACE_MS, 0, false);
	kill_all(ch->pid, SIGKILL);
}

static int reap(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static void finish(struct child *ch, struct io *io, bool timed_out, struct mdk_run *r)
{
	r->status = reap(ch->pid);
	r->timed_out = timed_out;
	close_fd(&ch->in);
	close_fd(&ch->out);
	close_fd(&ch->err);
	close_fd(&ch->pidfd);
	r->out_len = io->out.len;
	r->out = mdk_buf_steal(&io->out);
	r->err_len = io->err.len;
	r->err = mdk_buf_steal(&io->err);
	r->out_dropped = io->out_dropped;
	r->err_dropped = io->err_dropped;
}

/* The script has its own process group, so Ctrl-C or a service stop
 * meant for mdevkit would not reach it: while it runs, such a signal is
 * caught, passed on to the script's group, and then, once the script is
 * gone, delivered to mdevkit as it would have been. */
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

struct signal_guard {
	struct sigaction old[MDK_ARRAY_SIZE(forwarded)];
	bool installed[MDK_ARRAY_SIZE(forwarded)];
};

static void on_signal(int sig)
{
	caught = sig;
}

static void guard_signals(struct signal_guard *g)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	caught = 0;
	for (size_t i = 0; i < MDK_ARRAY_SIZE(forwarded); i++) {
		/* an ignored signal stays ignored, a handler of the caller stays */
		g->installed[i] = sigaction(forwarded[i], NULL, &g->old[i]) == 0 &&
				  !(g->old[i].sa_flags & SA_SIGINFO) &&
				  g->old[i].sa_handler == SIG_DFL &&
				  sigaction(forwarded[i], &sa, NULL) == 0;
	}
}

static void unguard_signals(struct signal_guard *g)
{
	for (size_t i = 0; i < MDK_ARRAY_SIZE(forwarded); i++)
		if (g->installed[i])
			sigaction(forwarded[i], &g->old[i], NULL);
	if (caught)
		raise(caught);
}

/* Writing to a script that closed its stdin raises SIGPIPE; keep it
 * blocked while scripts run and swallow the one we caused. */
struct pipe_guard {
	sigset_t old;
	bool was_pending;
};

static void guard_sigpipe(struct pipe_guard *g)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	g->was_pending = sigismember(&pending, SIGPIPE) == 1;
	sigprocmask(SIG_BLOCK, &set, &g->old);
}

static void unguard_sigpipe(struct pipe_guard *g)
{
	sigset_t set;
	struct timespec zero = { 0, 0 };

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	if (!g->was_pending)
		while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
			;
	sigprocmask(SIG_SETMASK, &g->old, NULL);
}

int mdk_run_script(char *const argv[], const char *input, size_t input_len,
		   unsigned timeout_s, struct mdk_run *r)
{
	struct io io = { input, input ? input_len : 0, 0, MDK_BUF_INIT, MDK_BUF_INIT, 0, 0 };
	struct signal_guard signals;
	struct pipe_guard guard;
	struct child ch;

	memset(r, 0, sizeof(*r));
	guard_sigpipe(&guard);
	guard_signals(&signals);
	int rc = spawn(argv, &ch);
	if (rc == 0) {
		if (io.in_len == 0)
			close_fd(&ch.in);
		long long deadline = timeout_s ? now_ms() + (long long)timeout_s * 1000 : -1;
		bool done = pump(&ch, &io, deadline, DRAIN_MS, true);
		if (!done)
			terminate(&ch, &io, caught ? caught : SIGTERM);
		finish(&ch, &io, !done, r);
	}
	unguard_sigpipe(&guard);
	unguard_signals(&signals);     /* may not return: mdevkit was told to stop */
	return rc;
}

void mdk_run_free(struct mdk_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
	r->out_len = r->err_len = 0;
}
