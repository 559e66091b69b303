// SPDX-License-Identifier: MIT
/*
 * igt_selftest_simple.c - self-test binary of the IGT-compatible library
 * for igt_simple_main (a binary without subtests). SELFTEST_MODE picks the
 * outcome: pass (default), skip or fail. check_igt_lib.py runs it.
 *
 * TEST: igt_selftest_simple
 * Description: A test without subtests that passes, skips or fails.
 */
#include <stdlib.h>
#include <string.h>

#include "igt_core.h"

igt_simple_main
{
	const char *mode = getenv("SELFTEST_MODE");

	igt_info("simple body\n");
	if (mode && !strcmp(mode, "skip"))
		igt_require_f(false, "simple skip\n");
	if (mode && !strcmp(mode, "fail"))
		igt_assert_eq(1, 2);
}
