// SPDX-License-Identifier: MIT
/*
 * igt_selftest_fixture.c - self-test binary of the IGT-compatible
 * library for fixtures and subtest groups: a fixture that skips, one that
 * fails, nested groups, group descriptions, and fixtures that must not
 * run while listing. SELFTEST_FIXTURE_OK set in the environment keeps the
 * failing fixture from failing. check_igt_lib.py runs it.
 *
 * TEST: igt_selftest_fixture
 * Description: Fixture skip and failure scoped by igt_subtest_group.
 *
 * SUBTEST: before, after-groups, undocumented, undocumented-in-group
 * Description: Pass, around the groups whose fixtures end early.
 *
 * SUBTEST: skipped-a, skipped-b
 * Description: Skipped because their group's fixture skips.
 *
 * SUBTEST: failed-a, failed-nested, failed-after-nested
 * Description: Failed because their group's fixture fails.
 */
#include <stdlib.h>

#include "igt_core.h"

igt_main
{
	volatile int setup = 0;

	igt_fixture
		igt_info("FIXTURE RAN\n");

	igt_describe("Runs before any group.");
	igt_subtest("before")
		;

	igt_subtest_group {
		igt_fixture
			igt_require_f(false, "fixture needs nothing\n");

		igt_describe("Never runs: the fixture skipped.");
		igt_subtest("skipped-a")
			igt_assert_f(false, "skipped-a ran\n");
		igt_subtest("skipped-b")
			igt_assert_f(false, "skipped-b ran\n");
	}

	igt_subtest_group {
		igt_fixture
			igt_assert_f(getenv("SELFTEST_FIXTURE_OK"), "fixture broke\n");

		igt_subtest("failed-a")
			igt_assert_f(false, "failed-a ran\n");
		igt_subtest_group {
			igt_subtest("failed-nested")
				igt_assert_f(false, "failed-nested ran\n");
		}
		igt_subtest("failed-after-nested")
			igt_assert_f(false, "failed-after-nested ran\n");
	}

	igt_describe("Group description, shared by the subtests of the group.");
	igt_subtest_group {
		igt_fixture
			setup = 1;

		igt_describe("Runs after the groups, with its own fixture; this "
			     "description is long enough to be wrapped at eighty "
			     "columns by --describe, which indents it by two spaces.");
		igt_subtest("after-groups")
			igt_assert_eq(setup, 1);
		igt_subtest("undocumented-in-group")
			;
	}

	igt_subtest("undocumented")
		;

	igt_fixture
		igt_info("TEARDOWN RAN\n");
}
