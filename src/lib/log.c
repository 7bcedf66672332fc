// SPDX-License-Identifier: LGPL-2.1-or-later
#include "mdevkit/log.h"
#include "mdevkit/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

static enum mdk_log_target log_target = MDK_LOG_STDERR;
static int log_max = -1;        /* -1: not read from the environment yet */
static int log_journal = -1;    /* -1: not probed yet */

static int parse_level(const char *s)
{
	static const char *const names[] = { "emerg", "alert", "crit", "err",
					     "warning", "notice", "info", "debug" };

	if (s[0] >= '0' && s[0] <= '7' && s[1] == '\0')
		return s[0] - '0';
	for (int i = 0; i < (int)MDK_ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i]))
			return i;
	return MDK_LOG_NOTICE;
}

static int max_level(void)
{
	if (log_max < 0) {
		const char *e = getenv("MDEVKIT_LOG_LEVEL");
		log_max = e ? parse_level(e) : MDK_LOG_NOTICE;
	}
	return log_max;
}

/* systemd's rule: the prefix is understood only if JOURNAL_STREAM names
 * the device and inode of our stderr. */
static int stderr_is_journal(void)
{
	if (log_journal >= 0)
		return log_journal;
	log_journal = 0;
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(STDERR_FILENO, &st) == 0 &&
	    (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino)
		log_journal = 1;
	return log_journal;
}

void mdk_log_open(const char *ident, enum mdk_log_target target)
{
	log_target = target;
	if (target == MDK_LOG_SYSLOG)
		openlog(ident, LOG_PID, LOG_DAEMON);
}

void mdk_log_close(void)
{
	if (log_target == MDK_LOG_SYSLOG)
		closelog();
}

int mdk_log_enabled(int prio)
{
	return prio <= max_level();
}

static void emit(int prio, const char *text)
{
	if (log_target == MDK_LOG_SYSLOG) {
		syslog(prio, "%s", text);
		return;
	}
	if (!stderr_is_journal()) {
		fprintf(stderr, "%s\n", text);
		return;
	}
	/* one prefix per line: the journal splits the stream at newlines */
	const char *line = text;
	for (;;) {
		const char *nl = strchr(line, '\n');
		int n = nl ? (int)(nl - line) : (int)strlen(line);
		fprintf(stderr, "<%d>%.*s\n", prio, n, line);
		if (!nl)
			break;
		line = nl + 1;
	}
}

void mdk_log_text(int prio, const char *text, size_t len)
{
	if (log_target == MDK_LOG_STDERR && !stderr_is_journal()) {
		fwrite(text, 1, len, stderr);
		fflush(stderr);
		return;
	}
	/* line by line, so a missing final newline cannot glue the next
	 * message onto this one */
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;
		if (log_target == MDK_LOG_SYSLOG)
			syslog(prio, "%.*s", (int)n, text);
		else
			fprintf(stderr, "<%d>%.*s\n", prio, (int)n, text);
		text += nl ? n + 1 : n;
		len -= nl ? n + 1 : n;
	}
}

static void vlog(int prio, const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vlog(int prio, const char *prefix, const char *fmt, va_list ap)
{
	if (!mdk_log_enabled(prio))
		return;
	char *msg = mdk_vasprintf(fmt, ap);
	char *text = mdk_asprintf("%s%s", prefix, msg);
	emit(prio, text);
	free(text);
	free(msg);
}

void mdk_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(prio, "", fmt, ap);
	va_end(ap);
}

void mdk_log_prefixed(int prio, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(prio, prefix, fmt, ap);
	va_end(ap);
}
