// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mdevkit-libvirt-hook: libvirt's qemu hook (/etc/libvirt/hooks/qemu.d/
 * mdevkit), run as HOOK <domain> <operation> <sub-operation> <extra> with
 * the domain XML on stdin.
 *
 *   prepare begin  start every mediated device of the domain that is
 *                  defined and not running (callouts included); the first
 *                  that cannot start undoes the others and fails the
 *                  domain's start with its reason on stderr
 *   release end    stop the manual devices prepare started for the domain
 *   anything else  nothing
 *
 * A hook must never call libvirt back: it only reads the store and sysfs.
 */
#include "domain-xml.h"

#include "mdevkit/device.h"
#include "mdevkit/env.h"
#include "mdevkit/error.h"
#include "mdevkit/log.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG "mdevkit-libvirt-hook"

/* The one line libvirt shows when the hook refuses: "mdevkit: domain
 * NAME[ WHAT]: CHAIN".  Clears e. */
static void refuse(const char *name, const char *what, struct mdk_error *e)
{
	char *why = mdk_error_oneline(e), *dom = mdk_str_excerpt(name, 256);

	fprintf(stderr, "mdevkit: domain %s%s: %s\n", dom, what, why);
	free(dom);
	free(why);
	mdk_error_clear(e);
}

static int read_domain(struct hook_domain *d, struct mdk_error *e)
{
	char *xml = NULL;
	size_t len = 0;
	int r = mdk_read_fd(STDIN_FILENO, HOOK_DOMAIN_XML_MAX, &xml, &len);

	if (r == -EFBIG)
		return mdk_fail(e, "the domain XML on stdin is larger than %u MiB", HOOK_DOMAIN_XML_MAX >> 20);
	if (r < 0)
		return mdk_fail_errno(e, -r, "Unable to read the domain XML on stdin");
	r = hook_domain_parse(xml, len, d, e);
	free(xml);
	return r;
}

/* 1: defined and not running (prepare starts it), 0: running or not
 * defined (libvirt judges those itself), or -errno. *manual: its
 * definition says "manual". */
static int needs_start(const char *uuid, bool *manual, struct mdk_error *e)
{
	char *sys = mdk_path_mdev(uuid);
	bool running = access(sys, F_OK) == 0;
	free(sys);
	if (running)
		return 0;
	struct mdk_listing l = { 0 };
	int r = mdk_list_defined(NULL, uuid, &l, e);
	if (r < 0)
		return r;
	r = l.n > 0;
	*manual = r && !l.v[0].config.autostart;
	mdk_listing_free(&l);
	return r;
}

/* The record: one UUID a line, replaced atomically (its directory is
 * mdevkit's own, in /run: gone at reboot with the devices). */
static int save_record(const char *domain, char *const *uuids, size_t n, struct mdk_error *e)
{
	char *dir = mdk_path_libvirt_hook_state(NULL), *path = mdk_path_libvirt_hook_state(domain);
	char *tmp = mdk_asprintf("%s.tmp", path);
	struct mdk_buf b = { 0 };
	int r = mdk_mkdir_p(dir, 0755);

	for (size_t i = 0; i < n; i++)
		mdk_buf_printf(&b, "%s\n", uuids[i]);
	char *text = mdk_buf_steal(&b);
	if (r == 0) {
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		r = fd < 0 ? -errno : mdk_write_all(fd, text, strlen(text));
		if (fd >= 0 && close(fd) < 0 && r == 0)
			r = -errno;
		if (r == 0 && rename(tmp, path) < 0)
			r = -errno;
		if (r < 0)
			unlink(tmp);
	}
	if (r < 0)
		mdk_fail_errno(e, -r, "Unable to record the devices started for domain %s in \"%s\"",
			       domain, path);
	free(text);
	free(tmp);
	free(path);
	free(dir);
	return r;
}

static void stop_started(char **started, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct mdk_error e = MDK_ERROR_INIT;
		if (mdk_stop(started[i], false, true, &e) < 0)
			mdk_log_error(MDK_LOG_WARNING, &e, "Warning: could not stop %s again: %%m", started[i]);
	}
}

static int prepare(const char *name, const struct hook_domain *d)
{
	char **started = mdk_calloc(d->n_mdevs + 1, sizeof(*started));
	size_t n_started = 0, n_manual = 0;
	char **manual = mdk_calloc(d->n_mdevs + 1, sizeof(*manual));
	struct mdk_error e = MDK_ERROR_INIT;
	const char *uuid = NULL;
	int r = 0;

	for (size_t i = 0; i < d->n_mdevs && r >= 0; i++) {
		uuid = d->mdevs[i];
		bool is_manual = false;
		r = needs_start(uuid, &is_manual, &e);
		if (r <= 0)
			continue;
		struct mdk_start_req req = { .uuid = uuid };
		mdk_uuid_str out;
		bool generated;
		r = mdk_start(&req, out, &generated, &e);
		if (r < 0)
			break;
		started[n_started++] = (char *)uuid;
		if (is_manual)
			manual[n_manual++] = (char *)uuid;
	}
	if (r < 0) {
		char *what = mdk_asprintf(" cannot start: mediated device %s", uuid);
		refuse(name, what, &e);
		free(what);
		stop_started(started, n_started);
	} else if (n_manual && (r = save_record(d->uuid, manual, n_manual, &e)) < 0) {
		refuse(name, " cannot start", &e);
		stop_started(started, n_started);
	}
	free(started);
	free(manual);
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int release(const struct hook_domain *d)
{
	char *path = mdk_path_libvirt_hook_state(d->uuid), *text = NULL;
	size_t len;
	int r = mdk_read_regular(path, 64 * 1024, MDK_READ_NOFOLLOW, &text, &len);

	if (r == 0) {
		unlink(path);
		for (char *save, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			mdk_uuid_str uuid;
			/* only what prepare wrote: canonical UUIDs */
			if (mdk_uuid_parse(line, uuid) == 0)
				stop_started(&line, 1);
		}
	}
	free(text);
	free(path);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	mdk_log_open(PROG, MDK_LOG_STDERR);
	atexit(mdk_env_reset);
	if (argc < 4) {
		fprintf(stderr, "%s: called as %s DOMAIN OPERATION SUB-OPERATION EXTRA by libvirt "
			"(/etc/libvirt/hooks/qemu.d/mdevkit); it is not a command\n", PROG, PROG);
		return 2;
	}
	bool is_prepare = !strcmp(argv[2], "prepare") && !strcmp(argv[3], "begin");
	bool is_release = !strcmp(argv[2], "release") && !strcmp(argv[3], "end");
	if (!is_prepare && !is_release)
		return EXIT_SUCCESS;

	struct hook_domain d;
	struct mdk_error e = MDK_ERROR_INIT;
	int rc = EXIT_SUCCESS;
	if (read_domain(&d, &e) < 0) {
		refuse(argv[1], "", &e);
		/* a domain XML mdevkit cannot read: its release has nothing to do */
		rc = is_prepare ? EXIT_FAILURE : EXIT_SUCCESS;
	} else {
		rc = is_prepare ? prepare(argv[1], &d) : release(&d);
		hook_domain_free(&d);
	}
	xmlCleanupParser();
	return rc;
}
