// SPDX-License-Identifier: MIT
/*
 * harness_inject_warn - makes the kernel WARN through svmgpu's debugfs
 * injection knob. Not part of the suite: `ci/run selftest` runs it to
 * prove that ci/vm and the test runner turn a kernel warning into a
 * failure even when the subtest itself passes.
 *
 * TEST: harness inject warn
 * Description: Triggers a kernel warning on purpose.
 *
 * SUBTEST: inject-warn
 * Description: Writes "warn" to debugfs inject; the subtest passes, the
 *   kernel log shows a WARNING, and the harness must fail the run.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"

IGT_TEST_DESCRIPTION("Triggers a kernel WARNING through debugfs on purpose.");

igt_main
{
	int fd = -1;

	igt_fixture
		fd = drm_open_driver_render(DRIVER_SVMGPU);

	igt_describe("Writes \"warn\" to debugfs inject: passes, but the "
		     "kernel warning it causes must fail the run.");
	igt_subtest("inject-warn") {
		int dir = igt_debugfs_dir_for(fd);
		int file = openat(dir, "inject", O_WRONLY);

		igt_assert_f(file >= 0, "debugfs inject: %s\n", strerror(errno));
		igt_assert_eq(write(file, "warn", 4), 4);
		close(file);
		close(dir);
	}

	igt_fixture
		drm_close_driver(fd);
}
