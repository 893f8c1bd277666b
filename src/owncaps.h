#pragma once

#include <stdint.h>

/* Capability @c's bit in the masks below (and in privs.c's). */
#define CAPS_BIT(c) (1ULL << (c))

/* The sets of the init itself, as masks of bits 0..cap_max_bits()-1. */
struct capsets {
	uint64_t eff, prm, inh, bnd, amb;
	int max; /* how many capabilities this kernel has */
};

/* owncaps_read() - the sets of the init itself, with libcap. Returns 0, or -errno. */
int owncaps_read(struct capsets *cs);

/*
 * owncaps_drop() - once the child exists: keep only CAP_KILL (to signal a child or
 * descendant that changed its uid) in the init's permitted and effective sets, none in the
 * inheritable and ambient ones, and only it in the bounding set. Where it cannot, it says so
 * once; it never fails.
 */
void owncaps_drop(void);
