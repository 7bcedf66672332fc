/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the commands do, built from the store, sysfs and callouts, with
 * mdevctl 1.3's checks, order and messages.  Every name that comes from
 * input is checked with names.h here before anything touches a path.
 */
#ifndef MDEVKIT_DEVICE_H
#define MDEVKIT_DEVICE_H

#include "mdevkit/config.h"
#include "mdevkit/error.h"
#include "mdevkit/sysfs.h"
#include "mdevkit/uuid.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- define / undefine ----------------------------------------------- */

struct mdk_define_req {
	const char *uuid;               /* canonical, or NULL to generate */
	const char *parent;             /* NULL: the running device's */
	const char *type;               /* NULL: the running device's */
	bool autostart;
	const char *jsonfile;           /* path, or NULL */
	bool force;
};
/* On success *generated says whether uuid_out was generated. */
int mdk_define(const struct mdk_define_req *req, mdk_uuid_str uuid_out, bool *generated,
	       struct mdk_error *e);

int mdk_undefine(const char *uuid, const char *parent, bool force, struct mdk_error *e);

/* ---- modify ------------------------------------------------------------ */

struct mdk_modify_req {
	const char *uuid;
	const char *parent;             /* NULL: the only definition */
	const char *type;               /* NULL: unchanged */
	int autostart;                  /* -1 unchanged, 0 manual, 1 auto */
	const char *addattr, *value;    /* --addattr/--value */
	bool delattr;
	bool has_index;
	unsigned long index;
	const char *jsonfile;
	bool live, defined;
	bool force;
};
int mdk_modify(const struct mdk_modify_req *req, struct mdk_error *e);

/* ---- start / stop --------------------------------------------------------- */

struct mdk_start_req {
	const char *uuid;               /* NULL: generate */
	const char *parent;
	const char *type;
	const char *jsonfile;
	bool force;
	bool running_ok;                /* already running, same parent and type: success */
};
int mdk_start(const struct mdk_start_req *req, mdk_uuid_str uuid_out, bool *generated,
	      struct mdk_error *e);
/* not_running_ok: a device that is not running (any more) is a success */
int mdk_stop(const char *uuid, bool force, bool not_running_ok, struct mdk_error *e);

/* ---- autostart ------------------------------------------------------------- */

struct mdk_autostart_opts {
	unsigned retries;               /* extra rounds for devices that failed */
	unsigned retry_delay_ms;        /* first delay; doubles each round */
};
/* Start every auto definition of parent; failures are reported as
 * warnings and the others go on.  Returns the number of auto devices not
 * running at the end (0 = all up), or -errno if the store cannot be read. */
int mdk_start_parent(const char *parent, const struct mdk_autostart_opts *o, struct mdk_error *e);
/* The same for every parent in /sys/class/mdev_bus that has definitions
 * (boot: catches registrations that happened before udev's rules could
 * act).  Returns the number of auto devices not running, or -errno. */
int mdk_start_registered_parents(const struct mdk_autostart_opts *o, struct mdk_error *e);

/* ---- listing ---------------------------------------------------------------- */

struct mdk_listed {
	char *parent;
	mdk_uuid_str uuid;
	struct mdk_config config;
	bool mark;      /* defined view: "(active)"; active view: "(defined)" */
};

struct mdk_listing {
	struct mdk_listed *v;   /* sorted by parent, then uuid */
	size_t n;
};

int mdk_list_defined(const char *parent, const char *uuid, struct mdk_listing *out,
		     struct mdk_error *e);
int mdk_list_active(const char *parent, const char *uuid, struct mdk_listing *out,
		    struct mdk_error *e);
void mdk_listing_free(struct mdk_listing *l);

/* `types`: the registered parents (or only `parent`) and their types;
 * parents that are not registered are skipped with a warning.  with_gvt
 * also works out each GVT-g type's share of the GPU. */
struct mdk_type_gvt {
	char *lines;            /* the GVT-g budget lines; NULL for other types */
	char *error;            /* or why they could not be worked out */
};

struct mdk_type_parent {
	char *parent;
	struct mdk_type_info *types;    /* sorted by name */
	size_t n;
	struct mdk_type_gvt *gvt;       /* with_gvt: one per type; else NULL */
};

struct mdk_type_listing {
	struct mdk_type_parent *v;      /* sorted by parent */
	size_t n;
};

int mdk_list_types(const char *parent, bool with_gvt, struct mdk_type_listing *out,
		   struct mdk_error *e);
void mdk_type_listing_free(struct mdk_type_listing *l);

#endif
