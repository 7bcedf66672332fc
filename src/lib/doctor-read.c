// SPDX-License-Identifier: LGPL-2.1-or-later
/* Reading host files for the checks: a file that cannot be read becomes a
 * finding that names it, never a failed run. */
#include "mdevkit/doctor.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* sysfs attributes, /proc files and configuration snippets are small */
#define DOCTOR_FILE_MAX (1 << 20)

int mdk_doctor_read(const char *path, char **text)
{
	size_t len = 0;
	int r = mdk_read_regular(path, DOCTOR_FILE_MAX, 0, text, &len);

	if (r < 0)
		return r;
	while (len && ((*text)[len - 1] == '\n' || (*text)[len - 1] == '\r'))
		(*text)[--len] = '\0';
	return 0;
}

struct mdk_doctor_finding *mdk_doctor_unreadable(struct mdk_doctor_report *r, const char *check,
						 const char *path, int err)
{
	struct mdk_doctor_finding *f =
		mdk_doctor_add(r, MDK_DOCTOR_WARN, check, "cannot read %s: %s", path, strerror(err));

	if (err == EACCES || err == EPERM)
		mdk_doctor_fix(f, "run mdevkit doctor as root to read it");
	else
		mdk_doctor_fix(f, "check that %s is the kernel's or the package's file", path);
	mdk_doctor_value_str(f, "path", path);
	mdk_doctor_value_int(f, "errno", err);
	return f;
}

int mdk_doctor_read_or_say(struct mdk_doctor_report *r, const char *check, const char *path,
			   char **text)
{
	int rc = mdk_doctor_read(path, text);

	if (rc < 0)
		mdk_doctor_unreadable(r, check, path, -rc);
	return rc;
}

struct mdk_doctor_finding *mdk_doctor_error(struct mdk_doctor_report *r, const char *check,
					    const char *prefix, struct mdk_error *e)
{
	char *why = mdk_error_oneline(e);
	const char *fix = e->code == EACCES || e->code == EPERM ? "run mdevkit doctor as root"
			  : "check that the file is the kernel's";
	char *msg = strstr(why, "; ") ? mdk_strdup(why) : mdk_asprintf("%s; %s", why, fix);
	struct mdk_doctor_finding *f =
		mdk_doctor_add_reason_fix(r, MDK_DOCTOR_WARN, check, prefix, msg);

	mdk_doctor_value_int(f, "errno", e->code);
	free(msg);
	free(why);
	mdk_error_clear(e);
	return f;
}

char *mdk_doctor_link_name(const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	const char *base = strrchr(buf, '/');
	base = base ? base + 1 : buf;
	return *base && strcmp(base, ".") && strcmp(base, "..") ? mdk_strdup(base) : NULL;
}
