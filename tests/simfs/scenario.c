/* See scenario.h.  Strict on purpose: a typo in a test's host must stop
 * the mount with the line, the reason and the fix, never be ignored. */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define MAX_PARENTS 32
#define MAX_VENDOR_TYPES 8
#define MAX_VENDOR_INSTANCES 64
#define MAX_LINE 1024
#define MAX_FILE (1024 * 1024)

const char scenario_default[] =
	"# built-in host: a Skylake desktop, 1 GiB aperture, Debian 12's kernel\n"
	"[host]\n"
	"kernel = 6.1\n"
	"\n"
	"[gvt 0000:00:02.0]\n"
	"generation = 9\n"
	"aperture = 1024\n"
	"ggtt = 4096\n"
	"registered = yes\n";

struct parser {
	const char *fname;
	unsigned line;
	char *err;
	struct sim_host *h;
	struct sim_parent *cur;	/* section being read; NULL for [host] */
	bool in_section, seen_host;
	unsigned cur_line;	/* line of the current section header */
	unsigned seen;		/* bit per key already given in this section */
	bool device_given;
	unsigned *lines;	/* header line of each parent, for late errors */
};

static int fail(struct parser *ps, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct parser *ps, unsigned line, const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;
	sb_printf(&b, "%s:%u: ", ps->fname, line);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	free(ps->err);
	ps->err = sb_take(&b, NULL);
	return -1;
}

static bool is_pci_addr(const char *s)
{
	/* DDDD:BB:dd.f, lower-case hex as sysfs names it */
	static const char pat[] = "hhhh:hh:hh.f";
	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (size_t i = 0; pat[i]; i++) {
		char c = s[i];
		if (pat[i] == 'h' && !(isdigit((unsigned char)c) || (c >= 'a' && c <= 'f')))
			return false;
		if (pat[i] == 'f' && !(c >= '0' && c <= '7'))
			return false;
		if ((pat[i] == ':' || pat[i] == '.') && c != pat[i])
			return false;
	}
	/* device number 0..1f */
	return s[8] <= '1';
}

static bool is_word(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static int parse_bool(struct parser *ps, const char *key, const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "no") == 0)
		*out = false;
	else
		return fail(ps, ps->line, "%s = '%s' is not yes or no; write %s = yes or %s = no",
			    key, v, key, key);
	return 0;
}

static int parse_kernel(struct parser *ps, const char *v)
{
	unsigned long maj, min;
	const char *dot = strchr(v, '.');
	char majs[8];
	if (!dot || (size_t)(dot - v) >= sizeof(majs))
		goto bad;
	memcpy(majs, v, (size_t)(dot - v));
	majs[dot - v] = '\0';
	if (!parse_decimal(majs, false, 99, &maj) || !parse_decimal(dot + 1, false, 99, &min))
		goto bad;
	if (KVER(maj, min) < KVER(4, 12))
		return fail(ps, ps->line,
			    "kernel = %s is older than the oldest modelled kernel; use 4.12 or later",
			    v);
	ps->h->kernel = (unsigned)KVER(maj, min);
	return 0;
bad:
	return fail(ps, ps->line, "kernel = '%s' is not MAJOR.MINOR; write e.g. kernel = 6.1", v);
}

static char *devpath_of(const char *addr)
{
	/* parents off bus 00 sit behind a root port, as on real hosts */
	if (strncmp(addr + 5, "00:", 3) == 0)
		return xasprintf("devices/pci%.4s:00/%s", addr, addr);
	return xasprintf("devices/pci%.4s:00/%.4s:00:1c.0/%s", addr, addr, addr);
}

static int start_section(struct parser *ps, char *body)
{
	char *kind = body, *name = NULL, *extra = NULL;
	kind += strspn(kind, " \t");
	char *sp = kind + strcspn(kind, " \t");
	if (*sp) {
		*sp++ = '\0';
		name = sp + strspn(sp, " \t");
		char *end = name + strcspn(name, " \t");
		if (*end) {
			*end++ = '\0';
			extra = end + strspn(end, " \t");
		}
		if (!*name)
			name = NULL;
	}
	if (extra && *extra)
		return fail(ps, ps->line, "section header has a word too many ('%s'); "
			    "write [host], [gvt ADDR], [mtty] or [vendor ADDR]", extra);
	ps->in_section = true;
	ps->cur_line = ps->line;
	ps->seen = 0;
	ps->device_given = false;
	ps->cur = NULL;
	enum sim_kind k;
	if (strcmp(kind, "host") == 0) {
		if (name)
			return fail(ps, ps->line, "[host] takes no name; write [host]");
		if (ps->seen_host)
			return fail(ps, ps->line, "second [host] section; merge it into the first");
		ps->seen_host = true;
		return 0;
	} else if (strcmp(kind, "gvt") == 0) {
		k = KIND_GVT;
	} else if (strcmp(kind, "vendor") == 0) {
		k = KIND_VENDOR;
	} else if (strcmp(kind, "mtty") == 0) {
		k = KIND_MTTY;
		if (name && strcmp(name, "mtty") != 0)
			return fail(ps, ps->line, "the mtty parent is always named mtty; write [mtty]");
		name = "mtty";
	} else {
		return fail(ps, ps->line, "unknown section kind '%s'; use host, gvt, mtty or vendor",
			    kind);
	}
	if (k != KIND_MTTY && (!name || !is_pci_addr(name)))
		return fail(ps, ps->line,
			    "[%s %s] needs a PCI address as sysfs names it; write e.g. [%s %s]", kind,
			    name ? name : "", kind, k == KIND_GVT ? "0000:00:02.0" : "0000:03:00.0");
	for (size_t i = 0; i < ps->h->nparents; i++)
		if (strcmp(ps->h->parents[i].name, name) == 0)
			return fail(ps, ps->line, "parent %s is already described at line %u; "
				    "give each parent one section", name, ps->lines[i]);
	if (k == KIND_MTTY)
		for (size_t i = 0; i < ps->h->nparents; i++)
			if (ps->h->parents[i].kind == KIND_MTTY)
				return fail(ps, ps->line, "second [mtty]; the sample driver has one parent");
	if (ps->h->nparents == MAX_PARENTS)
		return fail(ps, ps->line, "more than %d parents; describe fewer", MAX_PARENTS);

	struct sim_host *h = ps->h;
	h->parents = xrealloc(h->parents, (h->nparents + 1) * sizeof(*h->parents));
	ps->lines = xrealloc(ps->lines, (h->nparents + 1) * sizeof(*ps->lines));
	ps->lines[h->nparents] = ps->line;
	struct sim_parent *p = &h->parents[h->nparents++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	p->kind = k;
	p->registered = true;
	p->devpath = k == KIND_MTTY ? xstrdup("devices/virtual/mtty/mtty") : devpath_of(name);
	p->gen = 9;
	p->aperture_mb = 1024;
	p->ggtt_mb = 4096;
	p->gvt_enabled = true;
	ps->cur = p;
	return 0;
}

/* key index in the section's key list, or -1 */
static int key_index(const char *const *keys, const char *key)
{
	for (int i = 0; keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return i;
	return -1;
}

static void join_keys(struct sbuf *b, const char *const *keys)
{
	for (int i = 0; keys[i]; i++)
		sb_printf(b, "%s%s", i ? ", " : "", keys[i]);
}

static int vendor_type(struct parser *ps, struct sim_parent *p, const char *v)
{
	char suffix[64];
	unsigned long count;
	size_t n = strcspn(v, " \t");
	const char *cnt = v + n + strspn(v + n, " \t");
	if (n == 0 || n >= sizeof(suffix) || !*cnt)
		return fail(ps, ps->line, "type = '%s' is not 'NAME COUNT'; write e.g. type = small 4",
			    v);
	memcpy(suffix, v, n);
	suffix[n] = '\0';
	if (!is_word(suffix, 32))
		return fail(ps, ps->line, "type name '%s' is not 1-32 letters, digits or _; "
			    "write e.g. type = small 4", suffix);
	if (!parse_decimal(cnt, false, MAX_VENDOR_INSTANCES, &count) || count == 0)
		return fail(ps, ps->line, "type %s: count '%s' is not 1..%d; write e.g. type = %s 4",
			    suffix, cnt, MAX_VENDOR_INSTANCES, suffix);
	if (p->ntypes == MAX_VENDOR_TYPES)
		return fail(ps, ps->line, "more than %d types; describe fewer", MAX_VENDOR_TYPES);
	for (size_t i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i].dir + strlen("simvendor-"), suffix) == 0)
			return fail(ps, ps->line, "type %s given twice; keep one line", suffix);
	vendor_add_type(p, suffix, (unsigned)count);
	return 0;
}

static int parent_key(struct parser *ps, const char *key, const char *v)
{
	static const char *const gvt_keys[] = { "generation", "aperture", "ggtt", "device",
						"registered", "enable_gvt", "enable_guc", NULL };
	static const char *const mtty_keys[] = { "registered", NULL };
	static const char *const vendor_keys[] = { "registered", "type", NULL };
	struct sim_parent *p = ps->cur;
	const char *const *keys = p->kind == KIND_GVT ? gvt_keys :
				  p->kind == KIND_MTTY ? mtty_keys : vendor_keys;
	int k = key_index(keys, key);
	if (k < 0) {
		struct sbuf b = { 0 };
		join_keys(&b, keys);
		int r = fail(ps, ps->line, "unknown key '%s' for parent %s; use one of: %s", key,
			     p->name, b.s);
		sb_free(&b);
		return r;
	}
	if (strcmp(key, "type") != 0) {
		if (ps->seen & (1u << k))
			return fail(ps, ps->line, "%s given twice for parent %s; keep one line", key,
				    p->name);
		ps->seen |= 1u << k;
	}
	unsigned long n;
	if (strcmp(key, "registered") == 0)
		return parse_bool(ps, key, v, &p->registered);
	if (strcmp(key, "type") == 0)
		return vendor_type(ps, p, v);
	if (strcmp(key, "enable_gvt") == 0)
		return parse_bool(ps, key, v, &p->gvt_enabled);
	if (strcmp(key, "enable_guc") == 0) {
		if (strcmp(v, "-1") != 0 && !(strlen(v) == 1 && v[0] >= '0' && v[0] <= '3'))
			return fail(ps, ps->line, "enable_guc = '%s' is not -1..3 (i915's "
				    "enable_guc); write e.g. enable_guc = 0", v);
		p->guc = atoi(v);
		return 0;
	}
	if (strcmp(key, "generation") == 0) {
		if (strcmp(v, "8") != 0 && strcmp(v, "9") != 0)
			return fail(ps, ps->line, "generation = '%s' is not 8 (Broadwell) or 9 "
				    "(Skylake to Comet Lake); write generation = 9", v);
		p->gen = (unsigned)(v[0] - '0');
		return 0;
	}
	if (strcmp(key, "aperture") == 0) {
		if (!parse_decimal(v, false, 65536, &n) || n == 0)
			return fail(ps, ps->line, "aperture = '%s' is not 1..65536 MiB; "
				    "write e.g. aperture = 1024", v);
		p->aperture_mb = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "ggtt") == 0) {
		if (strcmp(v, "1024") != 0 && strcmp(v, "2048") != 0 && strcmp(v, "4096") != 0)
			return fail(ps, ps->line, "ggtt = '%s' is not a size GGMS can encode; "
				    "write ggtt = 1024, 2048 or 4096 (MiB)", v);
		p->ggtt_mb = (unsigned)atoi(v);
		return 0;
	}
	/* device */
	if (strncmp(v, "0x", 2) != 0 || strlen(v) != 6 || strspn(v + 2, "0123456789abcdef") != 4)
		return fail(ps, ps->line, "device = '%s' is not a PCI device ID; "
			    "write e.g. device = 0x1912", v);
	p->device_id = (unsigned)strtoul(v + 2, NULL, 16);
	ps->device_given = true;
	return 0;
}

static int end_section(struct parser *ps)
{
	struct sim_parent *p = ps->cur;
	if (!p)
		return 0;
	if (p->kind == KIND_GVT) {
		if (p->aperture_mb > p->ggtt_mb)
			return fail(ps, ps->cur_line, "parent %s: aperture %u MiB is larger than the "
				    "GGTT (%u MiB); make aperture <= ggtt", p->name, p->aperture_mb,
				    p->ggtt_mb);
		if (!ps->device_given)
			p->device_id = p->gen == 8 ? 0x1616 : 0x1912;
		/* the kernel registers no GVT-g parent while GVT-g is off */
		if (!p->gvt_enabled)
			p->registered = false;
	}
	return 0;
}

static int key_line(struct parser *ps, char *s)
{
	char *eq = strchr(s, '=');
	if (!eq)
		return fail(ps, ps->line, "'%s' is neither [section] nor key = value; fix or "
			    "comment it out with #", s);
	char *key = s, *v = eq + 1;
	char *kend = eq;
	while (kend > key && (kend[-1] == ' ' || kend[-1] == '\t'))
		kend--;
	*kend = '\0';
	v += strspn(v, " \t");
	if (!*key)
		return fail(ps, ps->line, "missing key before '='; write key = value");
	if (!*v)
		return fail(ps, ps->line, "%s has no value; write %s = VALUE", key, key);
	if (!ps->in_section)
		return fail(ps, ps->line, "%s = %s is outside any section; put it under [host], "
			    "[gvt ADDR], [mtty] or [vendor ADDR]", key, v);
	if (ps->cur)
		return parent_key(ps, key, v);
	if (strcmp(key, "kernel") != 0)
		return fail(ps, ps->line, "unknown key '%s' in [host]; the only key is kernel", key);
	if (ps->seen & 1u)
		return fail(ps, ps->line, "kernel given twice; keep one line");
	ps->seen |= 1u;
	return parse_kernel(ps, v);
}

static int parse_line(struct parser *ps, char *s)
{
	/* trim */
	s += strspn(s, " \t");
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		if (s[n - 1] != ']')
			return fail(ps, ps->line, "section header '%s' lacks the closing ']'; "
				    "write e.g. [gvt 0000:00:02.0]", s);
		s[n - 1] = '\0';
		if (end_section(ps) < 0)
			return -1;
		return start_section(ps, s + 1);
	}
	return key_line(ps, s);
}

static int finish(struct parser *ps)
{
	struct sim_host *h = ps->h;
	if (end_section(ps) < 0)
		return -1;
	for (size_t i = 0; i < h->nparents; i++) {
		struct sim_parent *p = &h->parents[i];
		if (p->kind == KIND_GVT) {
			gvt_init(p, h->kernel);
		} else if (p->kind == KIND_MTTY) {
			mtty_init(p);
		} else if (p->ntypes == 0) {
			vendor_add_type(p, "small", 4);
			vendor_add_type(p, "large", 2);
		}
	}
	return 0;
}

int scenario_parse(const char *text, size_t len, const char *fname, struct sim_host *h,
		   char **err)
{
	struct parser ps = { .fname = fname, .h = h };
	h->kernel = KVER(6, 1);
	int r = 0;
	size_t pos = 0;
	while (pos < len && r == 0) {
		ps.line++;
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		if (memchr(text + pos, '\0', n))
			r = fail(&ps, ps.line, "NUL byte in line; the scenario must be text");
		else if (memchr(text + pos, '\r', n))
			r = fail(&ps, ps.line, "carriage return in line; save with Unix line endings");
		else if (n > MAX_LINE)
			r = fail(&ps, ps.line, "line longer than %d bytes; shorten it", MAX_LINE);
		else {
			char *line = xstrndup(text + pos, n);
			r = parse_line(&ps, line);
			free(line);
		}
		pos += n + (nl ? 1 : 0);
	}
	if (r == 0) {
		ps.line++;
		r = finish(&ps);
	}
	free(ps.lines);
	if (r < 0) {
		host_free(h);
		*err = ps.err;
		return -1;
	}
	h->scenario = xstrndup(text, len);
	return 0;
}

int scenario_load(const char *path, struct sim_host *h, char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = xasprintf("%s: cannot open the scenario: %s; check the path", path,
				 strerror(errno));
		return -1;
	}
	struct sbuf b = { 0 };
	char buf[8192];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sb_add(&b, buf, (size_t)n);
		if (b.len > MAX_FILE)
			break;
	}
	int e = errno;
	close(fd);
	if (n < 0 || b.len > MAX_FILE) {
		*err = n < 0 ? xasprintf("%s: cannot read the scenario: %s; check the file", path,
					 strerror(e))
			     : xasprintf("%s: larger than %d bytes; a scenario is a few lines",
					 path, MAX_FILE);
		sb_free(&b);
		return -1;
	}
	size_t len;
	char *text = sb_take(&b, &len);
	int r = scenario_parse(text, len, path, h, err);
	free(text);
	return r;
}
