// SPDX-License-Identifier: MIT
/*
 * igt_selftest_invalid.c - self-test binary of the IGT-compatible library
 * for misuse, which must abort with IGT_EXIT_ABORT (112), and for a binary
 * without any subtest. SELFTEST_MODE picks the case: badname,
 * skip-outside, nested, longname, none (default). check_igt_lib.py runs it.
 *
 * TEST: igt_selftest_invalid
 * Description: Library misuse is reported, not silently accepted.
 */
#include <stdlib.h>
#include <string.h>

#include "igt_core.h"

static bool mode_is(const char *mode)
{
	const char *env = getenv("SELFTEST_MODE");

	return env && !strcmp(env, mode);
}

igt_main
{
	if (mode_is("badname")) {
		igt_subtest("bad name!")
			;
	}

	if (mode_is("skip-outside"))
		igt_skip("outside of any fixture or subtest\n");

	if (mode_is("nested")) {
		igt_subtest("outer") {
			igt_subtest("inner")
				;
		}
	}

	if (mode_is("longname")) {
		igt_subtest_f("%0300d", 1)
			;
	}
}
