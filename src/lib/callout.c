// SPDX-License-Identifier: LGPL-2.1-or-later
/* Placeholder so the tree links; the real runner replaces this file. */
#include "mdevkit/callout.h"
#include "mdevkit/util.h"

#include <stdlib.h>

struct mdk_callout {
	int unused;
};

struct mdk_callout *mdk_callout_new(const char *uuid, const char *parent, const char *type,
				    const struct mdk_config *config)
{
	(void)uuid, (void)parent, (void)type, (void)config;
	return mdk_calloc(1, sizeof(struct mdk_callout));
}

void mdk_callout_free(struct mdk_callout *c)
{
	free(c);
}

int mdk_callout_invoke(struct mdk_callout *c, enum mdk_action action, bool force,
		       mdk_callout_fn fn, void *ctx, struct mdk_error *e)
{
	(void)c, (void)action, (void)force;
	return fn(ctx, e);
}

int mdk_callout_get_attributes(struct mdk_callout *c, struct mdk_attr **attrs, size_t *n,
			       struct mdk_error *e)
{
	(void)c, (void)e;
	*attrs = NULL;
	*n = 0;
	return 0;
}

int mdk_callout_live(struct mdk_callout *c, const struct mdk_config *next, struct mdk_error *e)
{
	(void)c, (void)next;
	return mdk_fail(e, "No callout script with version support found that supports live modify");
}
