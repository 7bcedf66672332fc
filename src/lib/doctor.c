// SPDX-License-Identifier: LGPL-2.1-or-later
/* The doctor's report, its findings and values, and the runner that walks
 * the table of checks. */
#include "doctor-internal.h"
#include "mdevkit/names.h"
#include "mdevkit/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *mdk_doctor_level_name(enum mdk_doctor_level l)
{
	static const char *const names[] = { "PASS", "NOTE", "WARN", "FAIL" };
	return (size_t)l < MDK_ARRAY_SIZE(names) ? names[l] : "FAIL";
}

/* One line, safe for a terminal and for JSON (valid UTF-8). */
__attribute__((format(printf, 1, 0)))
static char *one_line(const char *fmt, va_list ap)
{
	char *raw = mdk_vasprintf(fmt, ap);
	char *safe = mdk_str_excerpt(raw, SIZE_MAX);
	free(raw);
	return safe;
}

struct mdk_doctor_finding *mdk_doctor_add(struct mdk_doctor_report *r, enum mdk_doctor_level level,
					  const char *check, const char *fmt, ...)
{
	struct mdk_doctor_finding *f = mdk_calloc(1, sizeof(*f));
	va_list ap;

	f->level = level;
	f->check = mdk_strdup(check);
	va_start(ap, fmt);
	f->found = one_line(fmt, ap);
	va_end(ap);
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = mdk_reallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n++] = f;
	return f;
}

void mdk_doctor_fix(struct mdk_doctor_finding *f, const char *fmt, ...)
{
	va_list ap;

	free(f->fix);
	va_start(ap, fmt);
	f->fix = one_line(fmt, ap);
	va_end(ap);
}

struct mdk_doctor_finding *mdk_doctor_add_reason_fix(struct mdk_doctor_report *r,
						     enum mdk_doctor_level level,
						     const char *check, const char *prefix,
						     const char *msg)
{
	const char *semi = strstr(msg, "; ");
	int len = semi ? (int)(semi - msg) : (int)strlen(msg);
	struct mdk_doctor_finding *f =
		prefix ? mdk_doctor_add(r, level, check, "%s: %.*s", prefix, len, msg)
		       : mdk_doctor_add(r, level, check, "%.*s", len, msg);

	mdk_doctor_fix(f, "%s", semi ? semi + 2 : msg);
	return f;
}

static struct mdk_doctor_value *new_value(struct mdk_doctor_finding *f, const char *name)
{
	f->values = mdk_reallocarray(f->values, f->n_values + 1, sizeof(*f->values));
	struct mdk_doctor_value *v = &f->values[f->n_values++];
	memset(v, 0, sizeof(*v));
	v->name = mdk_strdup(name);
	return v;
}

void mdk_doctor_value_str(struct mdk_doctor_finding *f, const char *name, const char *value)
{
	new_value(f, name)->s = mdk_str_excerpt(value ? value : "", SIZE_MAX);
}

void mdk_doctor_value_int(struct mdk_doctor_finding *f, const char *name, long long value)
{
	struct mdk_doctor_value *v = new_value(f, name);
	v->is_int = true;
	v->i = value;
}

static void finding_free(struct mdk_doctor_finding *f)
{
	for (size_t i = 0; i < f->n_values; i++) {
		free(f->values[i].name);
		free(f->values[i].s);
	}
	free(f->values);
	free(f->check);
	free(f->found);
	free(f->fix);
	free(f);
}

void mdk_doctor_report_free(struct mdk_doctor_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		finding_free(r->v[i]);
	free(r->v);
	free(r->budget.parent);
	memset(r, 0, sizeof(*r));
}

bool mdk_doctor_failed(const struct mdk_doctor_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i]->level == MDK_DOCTOR_FAIL)
			return true;
	return false;
}

void mdk_doctor_ctx_free(struct mdk_doctor_ctx *ctx)
{
	free(ctx->igpu);
	free(ctx->release);
	mdk_doctor_kernel_free(ctx->kernel);
	mdk_doctor_kmsg_free(ctx->kmsg);
	memset(ctx, 0, sizeof(*ctx));
}

int mdk_doctor_run(const char *parent, struct mdk_doctor_report *out, struct mdk_error *e)
{
	struct mdk_doctor_ctx ctx = { 0 };

	memset(out, 0, sizeof(*out));
	if (parent && mdk_name_check(MDK_NAME_PARENT, parent, e) < 0)
		return -EINVAL;
	ctx.parent_arg = parent;
	ctx.gvt_enabled = -1;
	ctx.parent = parent;
	for (size_t i = 0; i < mdk_doctor_n_checks; i++) {
		const struct mdk_doctor_check *c = &mdk_doctor_checks[i];
		int r = c->run(&ctx, out);
		if (r < 0) {
			struct mdk_doctor_finding *f =
				mdk_doctor_add(out, MDK_DOCTOR_WARN, c->name,
					       "the check could not finish: %s", strerror(-r));
			mdk_doctor_fix(f, "report this with the output of mdevkit doctor");
			mdk_doctor_value_int(f, "errno", -r);
		}
	}
	mdk_doctor_ctx_free(&ctx);
	return 0;
}
