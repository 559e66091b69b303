// SPDX-License-Identifier: MIT
/*
 * igt_selftest_core.c - self-test binary of the IGT-compatible library:
 * every kind of subtest result, the assert/skip message formats, dynamic
 * subtests, igt_fork() children and exit handlers. It needs no device;
 * check_igt_lib.py runs it and checks what it prints and exits with.
 *
 * TEST: igt_selftest_core
 * Description: Subtests whose outcome is known in advance, one per rule
 *  of docs/testing.md that the checker verifies.
 *
 * SUBTEST: pass, pass-explicit, formatted-7, asserts-pass, warn
 * Description: Pass; the checker verifies the result lines and exit code.
 *
 * SUBTEST: skip, skip-errno, skip-on, skip-plain
 * Description: Skip through each skip macro; the checker verifies the
 *  "Test requirement" lines.
 *
 * SUBTEST: fail, fail-errno, fail-u32, fail-u64, fail-s64, fail-on, fail-log-dump
 * Description: Fail through each assert macro; the checker verifies the
 *  CRITICAL lines, "Subtest <name> failed." and the log dump.
 *
 * SUBTEST: dynamic-pass, dynamic-fail, dynamic-none, dynamic-all-skip,
 *  dynamic-require, dynamic-container-assert
 * Description: Dynamic containers with every combination of results.
 *
 * SUBTEST: fork-pass, fork-fail, fork-crash, fork-skip
 * Description: igt_fork() children that pass, fail, crash and skip.
 *
 * SUBTEST: fork-leftover, no-children
 * Description: Children left behind by a failing subtest are killed and
 *  reaped before the next subtest.
 *
 * SUBTEST: exit-handler, exit-handler-fork, exit-handler-fail
 * Description: Exit handlers run once, in reverse order, at exit, and
 *  not in igt_fork() children.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt_core.h"

IGT_TEST_DESCRIPTION("Self-test of svmgpu's IGT-compatible test library: "
		     "subtests with known results, checked by check_igt_lib.py.");

static void say(const char *msg)
{
	/* write(): exit handlers may run from a signal handler. */
	if (write(STDOUT_FILENO, msg, strlen(msg)) < 0)
		return;
}

static void first_handler(int sig)
{
	say(sig ? "first exit handler: signal\n" : "first exit handler: exit\n");
}

static void second_handler(int sig)
{
	say(sig ? "second exit handler: signal\n" : "second exit handler: exit\n");
}

static void failing_handler(int sig)
{
	(void)sig;
	say("failing exit handler\n");
	igt_assert_f(false, "assert in an exit handler\n");
}

igt_main
{
	igt_describe("A subtest that passes.");
	igt_subtest("pass") {
		igt_info("pass body\n");
		igt_debug("debug message of pass\n");
	}

	igt_describe("A subtest that passes by calling igt_success(), "
		     "which must leave the body.");
	igt_subtest("pass-explicit") {
		igt_success();
		igt_assert_f(false, "igt_success() did not leave the body\n");
	}

	igt_subtest_f("formatted-%d", 7)
		igt_info("formatted body\n");

	igt_subtest("asserts-pass") {
		int three = 3;

		igt_assert(three == 3);
		igt_assert_f(three == 3, "unused %d\n", three);
		igt_fail_on(three != 3);
		igt_fail_on_f(three != 3, "unused\n");
		igt_assert_eq(three, 3);
		igt_assert_neq(three, 4);
		igt_assert_lt(three, 4);
		igt_assert_lte(three, 3);
		igt_assert_gt(three, 2);
		igt_assert_gte(three, 3);
		igt_assert_eq_u32(0xffffffffu, 0xffffffffu);
		igt_assert_neq_u32(1u, 2u);
		igt_assert_lt_u32(1u, 0x80000000u);
		igt_assert_lte_u32(1u, 1u);
		igt_assert_gt_u32(0x80000000u, 1u);
		igt_assert_gte_u32(2u, 2u);
		igt_assert_eq_u64(1ull << 40, 1ull << 40);
		igt_assert_neq_u64(1ull << 40, 1ull << 41);
		igt_assert_lt_u64(1ull << 40, 1ull << 63);
		igt_assert_lte_u64(5, 5);
		igt_assert_gt_u64(1ull << 63, 1);
		igt_assert_gte_u64(1ull << 63, 1ull << 63);
		igt_assert_eq_s64(-1, -1);
		igt_assert_neq_s64(-1, 1);
		igt_assert_lt_s64(-(1ll << 40), 0);
		igt_assert_lte_s64(-3, -3);
		igt_assert_gt_s64(0, -(1ll << 40));
		igt_assert_gte_s64(7, -7);
		igt_require(three == 3);
		igt_require_f(three == 3, "unused\n");
		igt_skip_on(three != 3);
		igt_skip_on_f(three != 3, "unused\n");
		igt_assert(!igt_warn_on(three != 3));
		igt_assert(igt_only_list_subtests() == false);
		igt_assert(strcmp(igt_subtest_name(), "asserts-pass") == 0);
		igt_assert(!igt_dynamic_subtest_name());
		igt_assert(strcmp(igt_test_name(), "igt_selftest_core") == 0);
	}

	igt_subtest("warn")
		igt_warn("a warning\n");

	igt_subtest("skip") {
		errno = 0;
		igt_require(1 == 2);
	}

	igt_subtest("skip-errno") {
		errno = ENOENT;
		igt_require_f(false, "explanation %d\n", 42);
	}

	igt_subtest("skip-on")
		igt_skip_on(1 + 1 == 2);

	igt_subtest("skip-plain")
		igt_skip("plain skip reason %s\n", "here");

	igt_subtest("fail") {
		int a = 3;

		igt_assert_eq(a, 4);
	}

	igt_subtest("fail-errno") {
		errno = EINVAL;
		igt_assert_f(false, "extra message %d\n", 7);
	}

	igt_subtest("fail-u32")
		igt_assert_eq_u32(0x10u, 0x20u);

	igt_subtest("fail-u64")
		igt_assert_lt_u64(1ull << 40, 0x10);

	igt_subtest("fail-s64")
		igt_assert_gte_s64(-5, 5);

	igt_subtest("fail-on")
		igt_fail_on(1 == 1);

	igt_subtest("fail-log-dump") {
		igt_debug("hidden debug line\n");
		igt_info("info line\n");
		igt_assert(0);
	}

	igt_describe("Dynamic subtests a and b pass, c-1 skips.");
	igt_subtest_with_dynamic("dynamic-pass") {
		igt_dynamic("a")
			igt_assert(strcmp(igt_dynamic_subtest_name(), "a") == 0);
		igt_dynamic("b")
			igt_info("dynamic b body\n");
		igt_dynamic_f("c-%d", 1)
			igt_skip("skipping c\n");
	}

	igt_subtest_with_dynamic("dynamic-fail") {
		igt_dynamic("ok")
			;
		igt_dynamic("bad")
			igt_assert_eq(1, 2);
		igt_dynamic("after")
			;
	}

	igt_subtest_with_dynamic("dynamic-none")
		igt_info("no dynamic subtest here\n");

	igt_subtest_with_dynamic("dynamic-all-skip") {
		igt_dynamic("s1")
			igt_skip("skip s1\n");
		igt_dynamic("s2")
			igt_require(0);
	}

	igt_subtest_with_dynamic("dynamic-require") {
		igt_require_f(0, "container requirement\n");
		igt_dynamic("never")
			;
	}

	igt_subtest_with_dynamic("dynamic-container-assert") {
		igt_dynamic("fine")
			;
		igt_assert_f(0, "assert in the container body\n");
	}

	igt_subtest("fork-pass") {
		igt_fork(child, 3)
			igt_assert(child >= 0 && child < 3);
		igt_waitchildren();
	}

	igt_subtest("fork-fail") {
		igt_fork(child, 2) {
			if (child == 1)
				igt_assert_eq(child, 0);
		}
		igt_waitchildren();
	}

	igt_subtest("fork-crash") {
		igt_fork(child, 1)
			raise(SIGSEGV);
		igt_waitchildren();
	}

	igt_subtest("fork-skip") {
		igt_fork(child, 1)
			igt_require_f(false, "requirement inside a child\n");
		igt_waitchildren();
	}

	igt_subtest("fork-leftover") {
		igt_fork(child, 1)
			pause();
		igt_assert_f(false, "parent fails before igt_waitchildren()\n");
	}

	igt_subtest("no-children") {
		igt_assert_eq(waitpid(-1, NULL, WNOHANG), -1);
		igt_assert_eq(errno, ECHILD);
	}

	igt_subtest("exit-handler") {
		igt_install_exit_handler(first_handler);
		igt_install_exit_handler(second_handler);
		igt_install_exit_handler(first_handler);
	}

	igt_subtest("exit-handler-fork") {
		igt_install_exit_handler(first_handler);
		igt_fork(child, 2)
			igt_assert(child < 2);
		igt_waitchildren();
	}

	igt_subtest("exit-handler-fail")
		igt_install_exit_handler(failing_handler);
}
