// SPDX-License-Identifier: MIT
/*
 * svmgpu_basic - the render node, driver identity, device enumeration,
 * GET_PARAM and debugfs of svmgpu.
 *
 * Opens the svmgpu render node and checks what the driver says about
 * itself: DRM_IOCTL_VERSION, libdrm enumeration, every GET_PARAM value
 * against the hardware specification, and the errors of bad GET_PARAM
 * arguments and unknown ioctls.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"
#include "svmgpu_drm.h"
#include "hw/svmgpu_regs.h"

IGT_TEST_DESCRIPTION("Render node, identity, enumeration and GET_PARAM of svmgpu.");

/* Reads an unsigned module parameter of svmgpu from sysfs. */
static unsigned int module_param(const char *name)
{
	char path[128];
	unsigned int value;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/svmgpu/parameters/%s", name);
	f = fopen(path, "r");
	igt_require_f(f, "svmgpu module parameter %s readable\n", name);
	igt_assert_eq(fscanf(f, "%u", &value), 1);
	fclose(f);
	return value;
}

static int __get_param(int fd, __u32 param, __u64 *value)
{
	struct drm_svmgpu_get_param args = { .param = param };

	if (igt_ioctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &args))
		return -errno;
	*value = args.value;
	return 0;
}

static __u64 get_param(int fd, __u32 param)
{
	__u64 value = 0;

	igt_assert_eq(__get_param(fd, param, &value), 0);
	return value;
}

static void test_open_close(void)
{
	int fds[4];
	unsigned int i;

	for (i = 0; i < 4; i++)
		fds[i] = drm_open_driver_render(DRIVER_SVMGPU);
	for (i = 0; i < 4; i++) {
		igt_assert_eq(get_param(fds[i], DRM_SVMGPU_PARAM_VA_BITS), 48);
		drm_close_driver(fds[i]);
	}
}

static void test_version(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);

	igt_assert(v);
	igt_assert_eq(v->name_len, (int)strlen("svmgpu"));
	igt_assert(strcmp(v->name, "svmgpu") == 0);
	igt_assert(v->desc_len > 0);
	igt_assert_eq(v->version_major, 0);
	igt_assert_eq(v->version_minor, 2);
	drmFreeVersion(v);
}

static void test_enumerate(void)
{
	drmDevicePtr devs[64];
	unsigned int expected = module_param("devices");
	unsigned int found = 0;
	__u64 seen = 0;
	int n, i;

	n = drmGetDevices2(0, devs, 64);
	igt_assert_lt(0, n);
	for (i = 0; i < n; i++) {
		drmVersionPtr v;
		int fd;

		if (!(devs[i]->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		fd = open(devs[i]->nodes[DRM_NODE_RENDER], O_RDWR | O_CLOEXEC);
		igt_assert_lte(0, fd);
		v = drmGetVersion(fd);
		igt_assert(v);
		if (strcmp(v->name, "svmgpu") == 0) {
			__u64 index = get_param(fd, DRM_SVMGPU_PARAM_DEVICE_INDEX);

			igt_assert_eq(devs[i]->bustype, DRM_BUS_PLATFORM);
			/* Each index once: one node per device. */
			igt_assert_lt_u64(index, expected);
			igt_assert(!(seen & (1ull << index)));
			seen |= 1ull << index;
			found++;
		}
		drmFreeVersion(v);
		close(fd);
	}
	drmFreeDevices(devs, n);
	igt_assert_eq(found, expected);
}

static void test_invalid_param(int fd)
{
	static const __u32 bad[] = {
		DRM_SVMGPU_PARAM_COUNT, DRM_SVMGPU_PARAM_COUNT + 1, 0x80000000u,
		0xffffffffu,
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct drm_svmgpu_get_param args = {
			.param = bad[i], .value = 0xdeadbeefcafeull,
		};

		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &args, EINVAL);
		igt_assert_eq_u64(args.value, 0xdeadbeefcafeull);
	}
}

static void test_nonzero_pad(int fd)
{
	static const __u32 pads[] = { 1, 0x80000000u, 0xffffffffu };
	unsigned int i;

	for (i = 0; i < sizeof(pads) / sizeof(pads[0]); i++) {
		struct drm_svmgpu_get_param args = {
			.param = DRM_SVMGPU_PARAM_VA_BITS, .pad = pads[i],
			.value = 0x1234,
		};

		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &args, EINVAL);
		igt_assert_eq_u64(args.value, 0x1234);
	}
}

static void test_unknown_ioctl(int fd)
{
	struct drm_svmgpu_get_param args = {};
	unsigned int nr;

	/* The first number past the table, and the last driver number. */
	for (nr = DRM_SVMGPU_USER_FENCE_WAKE + 1; nr <= 0x5f; nr = 0x5f + (nr == 0x5f))
		do_ioctl_err(fd, DRM_IOWR(DRM_COMMAND_BASE + nr,
					  struct drm_svmgpu_get_param),
			     &args, EINVAL);
}

/* Reads the whole of a small debugfs file of the device. */
static void read_debugfs(int fd, const char *name, char *buf, size_t size)
{
	int dir = igt_debugfs_dir_for(fd);
	int file;
	ssize_t len;

	file = openat(dir, name, O_RDONLY);
	igt_assert_f(file >= 0, "debugfs %s: %s\n", name, strerror(errno));
	len = read(file, buf, size - 1);
	igt_assert_lte(0, len);
	buf[len] = '\0';
	close(file);
	close(dir);
}

static void test_debugfs_info(int fd)
{
	char buf[512], expect[64];

	read_debugfs(fd, "info", buf, sizeof(buf));
	igt_debug("info:\n%s", buf);

	snprintf(expect, sizeof(expect), "va_bits: %llu\n",
		 (unsigned long long)get_param(fd, DRM_SVMGPU_PARAM_VA_BITS));
	igt_assert_f(strstr(buf, expect), "missing '%s' in\n%s", expect, buf);
	snprintf(expect, sizeof(expect), "engines: %llu\n",
		 (unsigned long long)get_param(fd, DRM_SVMGPU_PARAM_NUM_ENGINES));
	igt_assert_f(strstr(buf, expect), "missing '%s' in\n%s", expect, buf);
	snprintf(expect, sizeof(expect), "page_sizes: %#llx\n",
		 (unsigned long long)get_param(fd, DRM_SVMGPU_PARAM_PAGE_SIZES));
	igt_assert_f(strstr(buf, expect), "missing '%s' in\n%s", expect, buf);
}

static void test_debugfs_inject_invalid(int fd)
{
	static const char *const bad[] = { "bogus", "", "warnx", "WARN" };
	char buf[256];
	unsigned int i;
	int dir, file;

	read_debugfs(fd, "inject", buf, sizeof(buf));
	igt_assert_f(strcmp(buf, "warn\n") == 0, "inject lists '%s'\n", buf);

	dir = igt_debugfs_dir_for(fd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		file = openat(dir, "inject", O_WRONLY);
		igt_assert_lte(0, file);
		igt_assert_eq(write(file, bad[i], strlen(bad[i])), -1);
		igt_assert_eq(errno, EINVAL);
		close(file);
	}
	/* Longer than any injection name. */
	file = openat(dir, "inject", O_WRONLY);
	igt_assert_lte(0, file);
	memset(buf, 'w', sizeof(buf));
	igt_assert_eq(write(file, buf, sizeof(buf)), -1);
	igt_assert_eq(errno, EINVAL);
	close(file);
	close(dir);
}

static const struct {
	const char *name;
	__u32 param;
} params[] = {
	{ "hw-revision", DRM_SVMGPU_PARAM_HW_REVISION },
	{ "va-bits", DRM_SVMGPU_PARAM_VA_BITS },
	{ "page-sizes", DRM_SVMGPU_PARAM_PAGE_SIZES },
	{ "num-engines", DRM_SVMGPU_PARAM_NUM_ENGINES },
	{ "device-index", DRM_SVMGPU_PARAM_DEVICE_INDEX },
};

/*
 * The value the hardware specification and module parameters promise for
 * the parameters that are the same on every device.
 */
static __u64 expected_param(__u32 param)
{
	switch (param) {
	case DRM_SVMGPU_PARAM_HW_REVISION:
		return SVMGPU_REVISION_CURRENT;
	case DRM_SVMGPU_PARAM_VA_BITS:
		return 48;
	case DRM_SVMGPU_PARAM_PAGE_SIZES:
		return SVMGPU_PAGE_SIZE_4K | SVMGPU_PAGE_SIZE_2M |
		       SVMGPU_PAGE_SIZE_1G;
	case DRM_SVMGPU_PARAM_NUM_ENGINES:
		return module_param("engines");
	}
	igt_assert_f(0, "no expectation for param %u\n", param);
	return 0;
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = drm_open_driver_render(DRIVER_SVMGPU);

	igt_describe("The render node opens, several times at once, and closes.");
	igt_subtest("open-close")
		test_open_close();

	igt_describe("DRM_IOCTL_VERSION names the driver svmgpu.");
	igt_subtest("version")
		test_version(fd);

	igt_describe("drmGetDevices2 lists one platform device with a render "
		     "node per svmgpu device the module created.");
	igt_subtest("enumerate")
		test_enumerate();

	for (unsigned int i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		igt_describe_f("GET_PARAM %s returns the documented value on "
			       "every svmgpu device.", params[i].name);
		igt_subtest_f("get-param-%s", params[i].name) {
			unsigned int n = module_param("devices");
			__u64 seen = 0;

			for (unsigned int d = 0; d < n; d++) {
				int dfd = drm_open_driver_render_nth(DRIVER_SVMGPU, d);
				__u64 value = get_param(dfd, params[i].param);

				drm_close_driver(dfd);
				if (params[i].param == DRM_SVMGPU_PARAM_DEVICE_INDEX) {
					/* Any order, each index once. */
					igt_assert_lt_u64(value, n);
					igt_assert(!(seen & (1ull << value)));
					seen |= 1ull << value;
				} else {
					igt_assert_eq_u64(value,
							  expected_param(params[i].param));
				}
			}
		}
	}

	igt_describe("Unknown parameters fail with EINVAL and change nothing.");
	igt_subtest("get-param-invalid")
		test_invalid_param(fd);

	igt_describe("A non-zero pad fails with EINVAL and changes nothing.");
	igt_subtest("get-param-nonzero-pad")
		test_nonzero_pad(fd);

	igt_describe("Driver ioctl numbers past the table fail with EINVAL.");
	igt_subtest("unknown-ioctl")
		test_unknown_ioctl(fd);

	igt_describe("debugfs info agrees with GET_PARAM.");
	igt_subtest("debugfs-info")
		test_debugfs_info(fd);

	igt_describe("The injection knob lists its points and refuses unknown "
		     "names with EINVAL.");
	igt_subtest("debugfs-inject-invalid")
		test_debugfs_inject_invalid(fd);

	igt_fixture
		drm_close_driver(fd);
}
