/* The scenario file: an INI-like description of the simulated host.
 * Format documented in tests/simfs/README.md. */
#ifndef SIMFS_SCENARIO_H
#define SIMFS_SCENARIO_H

#include <stddef.h>

#include "model.h"

/* the host used when no scenario is given: one Skylake GVT-g parent */
extern const char scenario_default[];

/* Fills h (which must be zeroed).  On error returns -1, leaves h empty
 * and sets *err to one line "FILE:LINE: reason; fix" (caller frees). */
int scenario_parse(const char *text, size_t len, const char *fname, struct sim_host *h,
		   char **err);

/* reads and parses a file; same contract */
int scenario_load(const char *path, struct sim_host *h, char **err);

#endif
