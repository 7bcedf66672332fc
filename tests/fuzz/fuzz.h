/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What every harness in tests/fuzz/ shares: libFuzzer's entry points and
 * one way to report a broken invariant (abort, so libFuzzer keeps the
 * input as a crash).
 */
#ifndef MDEVKIT_FUZZ_H
#define MDEVKIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_ASSERT(cond)                                                              \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__,     \
				__LINE__, #cond);                                      \
			abort();                                                       \
		}                                                                      \
	} while (0)

#endif
