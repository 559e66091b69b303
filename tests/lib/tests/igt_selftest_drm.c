// SPDX-License-Identifier: MIT
/*
 * igt_selftest_drm.c - self-test binary of drmtest: opening a driver that
 * does not exist, and the ioctl assert macros against /dev/null (which
 * rejects every ioctl with ENOTTY). Needs no DRM device.
 * check_igt_lib.py runs it.
 *
 * TEST: igt_selftest_drm
 * Description: drmtest helpers behave as documented without a device.
 *
 * SUBTEST: open-missing, open-missing-nth
 * Description: Skip with a clear message when the driver is absent.
 *
 * SUBTEST: open-missing-raw, count-missing, is-driver, debugfs-not-drm,
 *  ioctl-err-pass
 * Description: The non-asserting helpers report absence and errors.
 *
 * SUBTEST: ioctl-fail, ioctl-err-mismatch
 * Description: The ioctl asserts fail, naming the ioctl.
 */
#include <fcntl.h>
#include <unistd.h>
#include <xf86drm.h>

#include "drmtest.h"

#define MISSING_DRIVER "svmgpu-selftest-missing"

igt_main
{
	struct drm_version version = { 0 };
	int null_fd = -1;

	igt_fixture {
		null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		igt_assert(null_fd >= 0);
	}

	igt_subtest("open-missing")
		drm_open_driver_render(MISSING_DRIVER);

	igt_subtest("open-missing-nth")
		drm_open_driver_render_nth(MISSING_DRIVER, 3);

	igt_subtest("open-missing-raw") {
		errno = 0;
		igt_assert_eq(__drm_open_driver_render(MISSING_DRIVER), -1);
		igt_assert_neq(errno, 0);
		errno = 0;
		igt_assert_eq(__drm_open_driver_render_nth(MISSING_DRIVER, 1), -1);
		igt_assert_neq(errno, 0);
	}

	igt_subtest("count-missing")
		igt_assert_eq(drm_count_render_nodes(MISSING_DRIVER), 0);

	igt_subtest("is-driver") {
		igt_assert(!drm_is_driver(null_fd, DRIVER_SVMGPU));
		igt_assert(strcmp(DRIVER_SVMGPU, "svmgpu") == 0);
		igt_assert_eq(drm_close_driver(-1), -1);
		igt_assert_eq(errno, EBADF);
	}

	igt_subtest("debugfs-not-drm") {
		int fds[2];

		igt_assert_eq(pipe(fds), 0);
		igt_assert_eq(__igt_debugfs_dir_for(fds[0]), -ENOTTY);
		close(fds[0]);
		close(fds[1]);
	}

	igt_subtest("ioctl-err-pass") {
		do_ioctl_err(null_fd, DRM_IOCTL_VERSION, &version, ENOTTY);
		igt_assert_eq(errno, 0);
		igt_assert_eq(igt_ioctl(null_fd, DRM_IOCTL_VERSION, &version), -1);
		igt_assert_eq(errno, ENOTTY);
	}

	igt_subtest("ioctl-fail")
		do_ioctl(null_fd, DRM_IOCTL_VERSION, &version);

	igt_subtest("ioctl-err-mismatch")
		do_ioctl_err(null_fd, DRM_IOCTL_VERSION, &version, EINVAL);

	igt_fixture
		igt_assert_eq(drm_close_driver(null_fd), 0);
}
