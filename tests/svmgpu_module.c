// SPDX-License-Identifier: MIT
/*
 * svmgpu_module - loading and unloading svmgpu.ko.
 *
 * Unloads and reloads svmgpu.ko: repeatedly, with files opened and
 * closed in between, with a file still open (refused), with several
 * devices, and with out-of-range parameters (refused). Needs root and
 * the module's path in $SVMGPU_KO (ci/vm sets it); the module is loaded
 * again with $SVMGPU_MODPARAMS when the test ends.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_kmod.h"
#include "igt_core.h"
#include "svmgpu_drm.h"

IGT_TEST_DESCRIPTION("Loading and unloading svmgpu.ko.");

#define RELOADS 10

static const char *default_params;

/* Leaves the module loaded with the parameters the run started with. */
static void restore_module(int sig)
{
	(void)sig;
	svmgpu_kmod_restore();
}

static __u64 get_param(int fd, __u32 param)
{
	struct drm_svmgpu_get_param args = { .param = param };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &args);
	return args.value;
}

/* Opens the device, checks it answers, closes it. */
static void use_device(void)
{
	int fd = drm_open_driver_render(DRIVER_SVMGPU);

	igt_assert_eq_u64(get_param(fd, DRM_SVMGPU_PARAM_VA_BITS), 48);
	drm_close_driver(fd);
}

static void test_reload(bool use_between)
{
	for (int i = 0; i < RELOADS; i++) {
		if (use_between)
			use_device();
		svmgpu_kmod_unload();
		igt_assert_eq(__drm_open_driver_render(DRIVER_SVMGPU), -1);
		svmgpu_kmod_load(default_params);
	}
	use_device();
}

static void test_unload_busy(void)
{
	int fd = drm_open_driver_render(DRIVER_SVMGPU);

	igt_assert_eq(__svmgpu_kmod_unload(), -EWOULDBLOCK);
	igt_assert(svmgpu_kmod_loaded());
	igt_assert_eq_u64(get_param(fd, DRM_SVMGPU_PARAM_VA_BITS), 48);
	drm_close_driver(fd);

	svmgpu_kmod_unload();
	svmgpu_kmod_load(default_params);
	use_device();
}

static void test_load_devices(void)
{
	char params[256];
	__u64 seen = 0;

	snprintf(params, sizeof(params), "%s devices=3", default_params);
	svmgpu_kmod_unload();
	svmgpu_kmod_load(params);
	for (unsigned int d = 0; d < 3; d++) {
		int fd = drm_open_driver_render_nth(DRIVER_SVMGPU, d);
		__u64 index = get_param(fd, DRM_SVMGPU_PARAM_DEVICE_INDEX);

		igt_assert_lt_u64(index, 3);
		igt_assert(!(seen & (1ull << index)));
		seen |= 1ull << index;
		drm_close_driver(fd);
	}
	igt_assert_eq(__drm_open_driver_render_nth(DRIVER_SVMGPU, 3), -1);
	svmgpu_kmod_unload();
	svmgpu_kmod_load(default_params);
}

static void test_load_bad_params(void)
{
	static const char *const bad[] = {
		"devices=0", "devices=17", "engines=0", "engines=9",
		"copy_channels=0", "copy_channels=5",
	};

	svmgpu_kmod_unload();
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char params[256];

		snprintf(params, sizeof(params), "%s %s", default_params, bad[i]);
		igt_assert_eq(__svmgpu_kmod_load(params), -EINVAL);
		igt_assert(!svmgpu_kmod_loaded());
		igt_assert_eq(__drm_open_driver_render(DRIVER_SVMGPU), -1);
	}
	svmgpu_kmod_load(default_params);
	use_device();
}

igt_main
{
	igt_fixture {
		default_params = svmgpu_kmod_default_params();
		igt_require_f(svmgpu_kmod_path(),
			      "SVMGPU_KO names svmgpu.ko (ci/vm sets it)\n");
		igt_require_f(geteuid() == 0, "running as root\n");
		igt_require(svmgpu_kmod_loaded());
		igt_install_exit_handler(restore_module);
	}

	igt_describe("Unload and load 10 times with no file open.");
	igt_subtest("reload")
		test_reload(false);

	igt_describe("Unload and load 10 times, opening the render node, "
		     "using it and closing it before every unload.");
	igt_subtest("reload-after-close")
		test_reload(true);

	igt_describe("Unloading while a file is open fails with EWOULDBLOCK "
		     "and the open file keeps working.");
	igt_subtest("unload-busy")
		test_unload_busy();

	igt_describe("devices=3 creates three devices, each index once.");
	igt_subtest("load-devices")
		test_load_devices();

	igt_describe("Out-of-range devices, engines and copy_channels values fail the load "
		     "with EINVAL and leave no device behind.");
	igt_subtest("load-bad-params")
		test_load_bad_params();
}
