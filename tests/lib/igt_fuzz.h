/* SPDX-License-Identifier: MIT */
/*
 * igt_fuzz - pieces of a seeded, replayable fuzzer: a small PRNG whose
 * whole state is one 64-bit word (so an operation's randomness can be
 * recorded and replayed alone), reading seeds and counts from the
 * environment, monotonic deadlines, and a delta-debugging shrinker over
 * a recorded list of operations.
 *
 * Nothing here knows svmgpu; tests/svmgpu_fuzz.c builds the driver's
 * model on it.
 */

#ifndef IGT_FUZZ_H
#define IGT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A splitmix64 generator: the state is the next seed. */
static inline uint64_t igt_fuzz_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 for n == 0. */
static inline uint32_t igt_fuzz_below(uint64_t *state, uint32_t n)
{
	return n ? (uint32_t)(((igt_fuzz_next(state) >> 32) * n) >> 32) : 0;
}

/* True with probability @pct percent. */
static inline bool igt_fuzz_chance(uint64_t *state, unsigned int pct)
{
	return igt_fuzz_below(state, 100) < pct;
}

/*
 * The unsigned number in environment variable @name (decimal or 0x-hex),
 * or @def when it is unset or empty. Asserts (igt_assert) that it parses.
 */
uint64_t igt_fuzz_env_u64(const char *name, uint64_t def);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t igt_fuzz_now_ns(void);

/*
 * A set of operation indices (0 .. @len - 1) to execute: what a replay
 * of a shrunk sequence keeps. NULL @keep means "all".
 */
struct igt_fuzz_keep {
	bool *keep;
	size_t len;
};

/*
 * Parses "i,j,k-l" (indices and ranges) into @k, sized to the largest
 * index + 1. Returns false on a syntax error.
 */
bool igt_fuzz_keep_parse(struct igt_fuzz_keep *k, const char *list);
/* Whether operation @i runs under @k (a NULL keep list runs everything). */
bool igt_fuzz_keep_has(const struct igt_fuzz_keep *k, size_t i);
/* Prints @k as "i,j,k-l" into @buf (truncated to @len). */
void igt_fuzz_keep_format(const struct igt_fuzz_keep *k, char *buf, size_t len);
void igt_fuzz_keep_fini(struct igt_fuzz_keep *k);

/*
 * Delta debugging (ddmin) over operations 0 .. @n - 1: @fails(ctx, keep)
 * replays the sequence with only the kept operations and says whether
 * it still fails. Starts from all @n kept and removes chunks while the
 * replay keeps failing, halving the chunk size down to single
 * operations, within @max_runs replays and @budget_ns. On return @out
 * holds a (1-minimal, if the budget allowed) failing subset; returns
 * the number of replays made.
 */
unsigned int igt_fuzz_shrink(size_t n,
			     bool (*fails)(void *ctx, const struct igt_fuzz_keep *keep),
			     void *ctx, unsigned int max_runs, int64_t budget_ns,
			     struct igt_fuzz_keep *out);

#endif
