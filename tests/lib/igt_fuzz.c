// SPDX-License-Identifier: MIT
/*
 * igt_fuzz - seeds from the environment, deadlines, keep lists and the
 * ddmin shrinker of seeded fuzzers (see igt_fuzz.h).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "igt_core.h"
#include "igt_fuzz.h"

uint64_t igt_fuzz_env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);
	char *end;
	uint64_t v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoull(s, &end, 0);
	igt_assert_f(!*end && !errno, "%s=%s is not a number\n", name, s);
	return v;
}

int64_t igt_fuzz_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

bool igt_fuzz_keep_parse(struct igt_fuzz_keep *k, const char *list)
{
	const char *p = list;
	size_t max = 0;

	k->keep = NULL;
	k->len = 0;
	/* First pass: the largest index. */
	while (*p) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;

		if (end == p)
			return false;
		if (*end == '-') {
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p || b < a)
				return false;
		}
		if (b + 1 > max)
			max = b + 1;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return false;
	}
	k->keep = calloc(max ? max : 1, sizeof(*k->keep));
	k->len = max;
	for (p = list; *p;) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;

		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		for (unsigned long i = a; i <= b; i++)
			k->keep[i] = true;
		p = *end == ',' ? end + 1 : end;
	}
	return true;
}

bool igt_fuzz_keep_has(const struct igt_fuzz_keep *k, size_t i)
{
	if (!k || !k->keep)
		return true;
	return i < k->len && k->keep[i];
}

void igt_fuzz_keep_format(const struct igt_fuzz_keep *k, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = 0;
	for (size_t i = 0; i < k->len && pos + 1 < len; i++) {
		size_t j = i;

		if (!k->keep[i])
			continue;
		while (j + 1 < k->len && k->keep[j + 1])
			j++;
		if (j > i)
			pos += snprintf(buf + pos, len - pos, "%s%zu-%zu",
					pos ? "," : "", i, j);
		else
			pos += snprintf(buf + pos, len - pos, "%s%zu",
					pos ? "," : "", i);
		i = j;
	}
}

void igt_fuzz_keep_fini(struct igt_fuzz_keep *k)
{
	free(k->keep);
	k->keep = NULL;
	k->len = 0;
}

static size_t keep_count(const struct igt_fuzz_keep *k)
{
	size_t n = 0;

	for (size_t i = 0; i < k->len; i++)
		n += k->keep[i];
	return n;
}

unsigned int igt_fuzz_shrink(size_t n,
			     bool (*fails)(void *ctx, const struct igt_fuzz_keep *keep),
			     void *ctx, unsigned int max_runs, int64_t budget_ns,
			     struct igt_fuzz_keep *out)
{
	int64_t end = igt_fuzz_now_ns() + budget_ns;
	struct igt_fuzz_keep cand = { calloc(n ? n : 1, sizeof(bool)), n };
	unsigned int runs = 0;
	size_t chunk;

	out->keep = calloc(n ? n : 1, sizeof(bool));
	out->len = n;
	for (size_t i = 0; i < n; i++)
		out->keep[i] = true;

	chunk = (n + 1) / 2;
	while (chunk >= 1 && runs < max_runs && igt_fuzz_now_ns() < end) {
		bool removed = false;
		size_t kept = keep_count(out);

		/* Walk the kept operations in chunks of @chunk; try without each. */
		for (size_t start = 0; start < kept && runs < max_runs &&
		     igt_fuzz_now_ns() < end;) {
			size_t idx = 0;

			for (size_t i = 0; i < n; i++) {
				cand.keep[i] = out->keep[i];
				if (out->keep[i]) {
					if (idx >= start && idx < start + chunk)
						cand.keep[i] = false;
					idx++;
				}
			}
			runs++;
			if (fails(ctx, &cand)) {
				/* The chunk goes; the next one now starts at @start. */
				memcpy(out->keep, cand.keep, n * sizeof(bool));
				kept = keep_count(out);
				removed = true;
			} else {
				start += chunk;
			}
		}
		if (!removed) {
			if (chunk == 1)
				break;
			chunk = (chunk + 1) / 2;
		}
	}
	free(cand.keep);
	return runs;
}
