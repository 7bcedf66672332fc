// SPDX-License-Identifier: LGPL-2.1-or-later
/* Check "mdevctl-rule": mdevctl's udev rule (60-mdevctl.rules) starts the
 * auto devices of a parent when it registers, by running programs named
 * by absolute paths; Debian 12's calls /usr/sbin/mdevctl, which Debian
 * installs as /usr/bin/mdevctl.  mdevkit's rule and units do the same job
 * and cover for it when they are installed. */
#include "doctor-internal.h"
#include "mdevkit/env.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK "mdevctl-rule"
#define MDEVCTL_RULE "60-mdevctl.rules"
#define MDEVKIT_RULE "70-mdevkit.rules"
#define MDEVKIT_UNIT "mdevkit-parent@.service"

static bool path_char(char c)
{
	return c && !strchr(" \t\"'`;|&(){}<>$\\", c);
}

void mdk_doctor_rule_programs(const char *line, void (*fn)(const char *path, size_t len,
							   void *userdata), void *userdata)
{
	static const char *const keys[] = { "RUN", "PROGRAM", "IMPORT{program}" };
	const char *p = line + strspn(line, " \t");

	if (*p == '#')
		return;
	for (; *p; p++) {
		size_t key = MDK_ARRAY_SIZE(keys);
		for (size_t i = 0; i < MDK_ARRAY_SIZE(keys) && key == MDK_ARRAY_SIZE(keys); i++)
			if (!strncmp(p, keys[i], strlen(keys[i])) &&
			    (p == line || !((p[-1] >= 'A' && p[-1] <= 'Z') || p[-1] == '_')))
				key = i;
		if (key == MDK_ARRAY_SIZE(keys))
			continue;
		const char *q = p + strlen(keys[key]);
		q += strspn(q, "+:=");
		if (*q != '"')
			continue;
		const char *end = strchr(++q, '"');
		if (!end)
			end = q + strlen(q);
		/* every absolute path at the start of a word of the value */
		for (const char *w = q; w < end; w++)
			if (*w == '/' && (w == q || !path_char(w[-1]))) {
				size_t len = 1;
				while (w + len < end && path_char(w[len]))
					len++;
				if (len > 1)
					fn(w, len, userdata);
				w += len - 1;
			}
		p = end[0] ? end : end - 1;
	}
}

struct missing {
	struct mdk_buf list;
	size_t n, programs;
};

static void check_program(const char *path, size_t len, void *userdata)
{
	struct missing *m = userdata;
	char *host = mdk_strndup(path, len), *full = mdk_path_in_root(host);
	struct stat st;

	m->programs++;
	if ((stat(full, &st) < 0 || !S_ISREG(st.st_mode) || access(full, X_OK) < 0) &&
	    !strstr(m->list.data ? m->list.data : "", host)) {
		mdk_buf_printf(&m->list, "%s%s", m->n++ ? ", " : "", host);
	}
	free(full);
	free(host);
}

/* The first of the rules directories (/etc/udev/rules.d overrides the
 * packages' ones) holding name, or NULL.  Caller frees. */
static char *find_rule(const char *name)
{
	char *etc = mdk_path_in_root("/etc/udev/rules.d");
	char *dirs[1 + MDK_UDEV_RULES_DIRS] = { etc, NULL, NULL }, *found = NULL;

	for (size_t i = 0; i < MDK_UDEV_RULES_DIRS; i++)
		dirs[1 + i] = mdk_path_udev_rules_dir(i);
	for (size_t i = 0; i < MDK_ARRAY_SIZE(dirs); i++) {
		char *path = mdk_asprintf("%s/%s", dirs[i], name);
		if (!found && access(path, F_OK) == 0)
			found = path;
		else
			free(path);
		free(dirs[i]);
	}
	return found;
}

/* udev's way to switch a packaged rule off: a link to /dev/null in /etc */
static bool masked(const char *path)
{
	char target[16];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return false;
	target[n] = '\0';
	return !strcmp(target, "/dev/null");
}

static bool have_unit(const char *name)
{
	bool found = false;
	char *dir;

	for (size_t i = 0; (dir = mdk_path_unit_dir(i)); i++) {
		char *path = mdk_asprintf("%s/%s", dir, name);
		found |= access(path, F_OK) == 0;
		free(path);
		free(dir);
	}
	return found;
}

int mdk_doctor_check_mdevctl_rule(struct mdk_doctor_ctx *ctx, struct mdk_doctor_report *r)
{
	char *rule = find_rule(MDEVCTL_RULE), *ours = find_rule(MDEVKIT_RULE), *text = NULL;
	bool covered = ours && have_unit(MDEVKIT_UNIT);
	struct missing m = { MDK_BUF_INIT, 0, 0 };
	struct mdk_doctor_finding *f;
	int rc;

	(void)ctx;
	if (rule && masked(rule)) {
		const char *shown = mdk_path_unrooted(rule);
		if (covered) {
			f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK,
					   "%s masks mdevctl's rule (a link to /dev/null); mdevkit's %s "
					   "and %s start the auto devices", shown, MDEVKIT_RULE,
					   MDEVKIT_UNIT);
		} else {
			f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK,
					   "%s masks mdevctl's rule (a link to /dev/null): auto devices "
					   "do not start when their parent registers", shown);
			mdk_doctor_fix(f, "install mdevkit's udev rule and units (make install-units, "
				       "or the mdevkit package), or remove the link");
		}
		mdk_doctor_value_str(f, "rule", shown);
	} else if (!rule) {
		f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK, "no %s: %s", MDEVCTL_RULE,
				   covered ? "mdevkit's rule and units start the auto devices"
					   : "nothing of mdevctl's to check");
	} else if ((rc = mdk_doctor_read(rule, &text)) < 0) {
		mdk_doctor_unreadable(r, CHECK, mdk_path_unrooted(rule), -rc);
	} else {
		for (char *line = text, *next; line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			mdk_doctor_rule_programs(line, check_program, &m);
		}
		const char *shown = mdk_path_unrooted(rule);
		if (!m.n) {
			f = mdk_doctor_add(r, MDK_DOCTOR_PASS, CHECK,
					   "%s calls %zu program(s), all present", shown, m.programs);
		} else if (covered) {
			f = mdk_doctor_add(r, MDK_DOCTOR_NOTE, CHECK,
					   "%s calls %s, which does not exist; harmless here: mdevkit's "
					   "%s and %s start the auto devices instead", shown, m.list.data,
					   MDEVKIT_RULE, MDEVKIT_UNIT);
		} else {
			f = mdk_doctor_add(r, MDK_DOCTOR_WARN, CHECK,
					   "%s calls %s, which does not exist: auto devices do not "
					   "start when their parent registers", shown, m.list.data);
			mdk_doctor_fix(f, "install mdevkit's udev rule and units (make install-units, "
				       "or the mdevkit package), which do it through systemd");
		}
		if (m.n)
			mdk_doctor_value_str(f, "missing", m.list.data);
		mdk_doctor_value_str(f, "rule", shown);
	}
	mdk_buf_free(&m.list);
	free(text);
	free(rule);
	free(ours);
	return 0;
}
