// SPDX-License-Identifier: MIT
/*
 * igt_selftest_crash.c - self-test binary of the IGT-compatible library
 * for fatal signals: crashes in subtests and dynamic subtests, and a
 * SIGTERM that is not a crash. check_igt_lib.py runs it and checks the
 * CRASH lines, the exit handler and that the process dies of the signal.
 *
 * TEST: igt_selftest_crash
 * Description: Subtests that die of a signal.
 *
 * SUBTEST: segv, abort, fpe, dynamic-crash
 * Description: Crash; reported as CRASH, then the binary dies of the signal.
 *
 * SUBTEST: term
 * Description: Killed by SIGTERM; exit handlers run, no CRASH line.
 *
 * SUBTEST: after
 * Description: Passes; never reached after a crash.
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "igt_core.h"

static void handler(int sig)
{
	char msg[] = "exit handler: signal 00\n";

	msg[21] = '0' + sig / 10;
	msg[22] = '0' + sig % 10;
	if (write(STDOUT_FILENO, msg, strlen(msg)) < 0)
		return;
}

igt_main
{
	igt_fixture
		igt_install_exit_handler(handler);

	igt_subtest("segv") {
		volatile uintptr_t address = 0;

		*(volatile int *)address = 1;
	}

	igt_subtest("abort")
		abort();

	igt_subtest("fpe")
		raise(SIGFPE);

	igt_subtest_with_dynamic("dynamic-crash") {
		igt_dynamic("fine")
			;
		igt_dynamic("boom")
			raise(SIGBUS);
	}

	igt_subtest("term")
		raise(SIGTERM);

	igt_subtest("after")
		;
}
