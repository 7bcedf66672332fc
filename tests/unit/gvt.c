// SPDX-License-Identifier: LGPL-2.1-or-later
/* mdevkit-unit subcommands for the pure GVT-g model (gvt.h).  Types are
 * given by their full names (i915-GVTg_V5_4); gen is 8 or 9. */
#include "unit.h"

#include "mdevkit/check.h"
#include "mdevkit/gvt.h"
#include "mdevkit/util.h"
/* internal: the words of the model's host verdict (mdk_gvt_msg_host), so
 * that gvt-host-check prints what mdevkit-gvt says */
#include "../../src/lib/gvt-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int number(const char *s, unsigned long long *out)
{
	char *end;

	if (!s || !*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	*out = strtoull(s, &end, 10);
	return 0;
}

/* <gen> <A> <T> */
static int host_args(int argc, char **argv, struct mdk_gvt_host *h)
{
	unsigned long long gen;

	if (argc < 4 || number(argv[1], &gen) < 0 || number(argv[2], &h->aperture_mib) < 0 ||
	    number(argv[3], &h->ggtt_mib) < 0) {
		fprintf(stderr, "expected <gen> <A> <T> in MiB\n");
		return -1;
	}
	h->version = mdk_gvt_version_of_gen((unsigned)gen);
	return 0;
}

/* add type names argv[from..to) to the set */
static int types(char **argv, int from, int to, struct mdk_gvt_set *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = from; i < to; i++) {
		unsigned v;
		size_t k;
		if (mdk_gvt_parse_name(argv[i], &v, &k) < 0) {
			fprintf(stderr, "\"%s\" is not a GVT-g type name\n", argv[i]);
			return -1;
		}
		s->n[k]++;
	}
	return 0;
}

int unit_gvt_avail(int argc, char **argv)
{
	struct mdk_gvt_host h;
	struct mdk_gvt_set used;

	if (host_args(argc, argv, &h) < 0 || types(argv, 4, argc, &used) < 0)
		return 2;
	for (size_t i = 0; i < MDK_GVT_NTYPES; i++) {
		char *name = mdk_gvt_type_name(h.version, i);
		long long a = mdk_gvt_available(&h, &used, i);
		if (a < 0)
			printf("%s -\n", name);
		else
			printf("%s %lld\n", name, a);
		free(name);
	}
	return 0;
}

int unit_gvt_fit(int argc, char **argv)
{
	struct mdk_gvt_host h;
	struct mdk_gvt_set used, add;
	struct mdk_gvt_fit f;
	int sep = 4;

	while (sep < argc && strcmp(argv[sep], "--"))
		sep++;
	if (host_args(argc, argv, &h) < 0 || sep == argc || types(argv, 4, sep, &used) < 0 ||
	    types(argv, sep + 1, argc, &add) < 0)
		return 2;
	if (mdk_gvt_fit(&h, &used, &add, &f)) {
		printf("fits\n");
		return 0;
	}
	if (f.hidden_index >= 0) {
		char *name = mdk_gvt_type_name(h.version, (size_t)f.hidden_index);
		printf("hidden %s\n", name);
		free(name);
	} else {
		printf("does not fit: %s need %llu free %llu pool %llu\n",
		       mdk_gvt_res_name(f.binding), f.need, f.free, f.pool);
	}
	return 1;
}

int unit_gvt_min_aperture(int argc, char **argv)
{
	unsigned long long ggtt;
	struct mdk_gvt_set s;

	if (argc < 2 || number(argv[1], &ggtt) < 0 || types(argv, 2, argc, &s) < 0)
		return 2;
	printf("%llu\n", mdk_gvt_min_aperture(ggtt, &s));
	return 0;
}

int unit_gvt_host_check(int argc, char **argv)
{
	struct mdk_gvt_host h = { 5, 0, 0 };

	if (argc != 3 || number(argv[1], &h.aperture_mib) < 0 || number(argv[2], &h.ggtt_mib) < 0)
		return 2;
	char *why = mdk_gvt_msg_host(&h, mdk_gvt_host_check(&h));
	if (why) {
		printf("%s\n", why);
		free(why);
		return 1;
	}
	printf("ok\n");
	return 0;
}

int unit_gvt_name(int argc, char **argv)
{
	unsigned v;
	size_t k;

	if (argc != 2)
		return 2;
	if (mdk_gvt_parse_name(argv[1], &v, &k) < 0) {
		printf("not a GVT-g type%s\n", mdk_gvt_is_family(argv[1]) ? " (but i915-GVTg_*)" : "");
		return 1;
	}
	const struct mdk_gvt_type *t = &mdk_gvt_table[k];
	printf("V%u index %zu: aperture %u MiB, hidden %u MiB, fences %u, weight %u, %s\n", v, k,
	       t->aperture_mib, t->hidden_mib, t->fences, t->weight, t->resolution);
	return 0;
}

int unit_gvt_desc(int argc, char **argv)
{
	char *text;
	size_t len;
	struct mdk_gvt_desc d;
	struct mdk_error e = MDK_ERROR_INIT;

	(void)argv;
	if (argc != 1 || mdk_read_fd(STDIN_FILENO, 65536, &text, &len) < 0)
		return 2;
	int r = mdk_gvt_parse_description(text, &d, &e);
	free(text);
	if (r < 0) {
		printf("error: %s\n", mdk_error_msg(&e));
		mdk_error_clear(&e);
		return 1;
	}
	printf("low %u high %u fence %u resolution %s weight %s%u entry %d\n", d.aperture_mib,
	       d.hidden_mib, d.fences, d.resolution, d.has_weight ? "" : "none ", d.weight,
	       mdk_gvt_desc_index(&d));
	return 0;
}

int unit_gvt_resource(int argc, char **argv)
{
	char *text;
	size_t len;
	unsigned long long a;
	struct mdk_error e = MDK_ERROR_INIT;

	(void)argv;
	if (argc != 1 || mdk_read_fd(STDIN_FILENO, 65536, &text, &len) < 0)
		return 2;
	int r = mdk_gvt_parse_resource(text, &a, &e);
	free(text);
	if (r < 0) {
		printf("error: %s\n", mdk_error_msg(&e));
		mdk_error_clear(&e);
		return 1;
	}
	printf("%llu\n", a);
	return 0;
}

int unit_check_summary(int argc, char **argv)
{
	struct mdk_check_summary s;
	struct mdk_error e = MDK_ERROR_INIT;

	if (argc != 2)
		return 2;
	if (mdk_check_summary(argv[1], &s, &e) < 0) {
		printf("error: %s\n", mdk_error_msg(&e));
		mdk_error_clear(&e);
		return 1;
	}
	printf("registered=%d gvt=%d aperture_mib=%llu n_auto=%zu fits=%d\n", s.registered, s.gvt,
	       s.aperture_mib, s.n_auto, s.fits);
	return 0;
}

int unit_gvt_details(int argc, char **argv)
{
	char *text;
	struct mdk_error e = MDK_ERROR_INIT;

	if (argc != 3)
		return 2;
	if (mdk_gvt_type_details(argv[1], argv[2], &text, &e) < 0) {
		printf("error: %s\n", mdk_error_msg(&e));
		mdk_error_clear(&e);
		return 1;
	}
	printf("%s", text ? text : "(not GVT-g)\n");
	free(text);
	return 0;
}
