// SPDX-License-Identifier: MIT
/*
 * svmgpu-info - what each svmgpu device reports about itself (the first
 * demo; `ci/run demo` now runs svmgpu-demo, the Vulkan SVM workload):
 * it finds every svmgpu device through libdrm's device enumeration and
 * prints its driver identity and the capabilities of
 * DRM_IOCTL_SVMGPU_GET_PARAM.
 * Exits 0 when it found at least one device and read all of them, 1
 * otherwise, with the reason on stderr.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "svmgpu_drm.h"
#include "hw/svmgpu_regs.h"

static int get_param(int fd, __u32 param, __u64 *value)
{
	struct drm_svmgpu_get_param args = { .param = param };

	if (drmIoctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &args))
		return -errno;
	*value = args.value;
	return 0;
}

static void print_page_sizes(__u64 mask)
{
	static const char *const names[] = { [12] = "4K", [21] = "2M", [30] = "1G" };
	const char *sep = "";

	for (unsigned int bit = 0; bit < 64; bit++) {
		if (!(mask & (1ull << bit)))
			continue;
		if (bit < sizeof(names) / sizeof(names[0]) && names[bit])
			printf("%s%s", sep, names[bit]);
		else
			printf("%s2^%u", sep, bit);
		sep = " ";
	}
}

/* Prints one device; returns 0 or a negative errno. */
static int show_device(const char *node, int fd, const drmVersion *v)
{
	__u64 rev = 0, va_bits = 0, sizes = 0, engines = 0, index = 0;
	int ret;

	if ((ret = get_param(fd, DRM_SVMGPU_PARAM_HW_REVISION, &rev)) ||
	    (ret = get_param(fd, DRM_SVMGPU_PARAM_VA_BITS, &va_bits)) ||
	    (ret = get_param(fd, DRM_SVMGPU_PARAM_PAGE_SIZES, &sizes)) ||
	    (ret = get_param(fd, DRM_SVMGPU_PARAM_NUM_ENGINES, &engines)) ||
	    (ret = get_param(fd, DRM_SVMGPU_PARAM_DEVICE_INDEX, &index))) {
		fprintf(stderr, "svmgpu-demo: %s: GET_PARAM: %s\n", node,
			strerror(-ret));
		return ret;
	}

	printf("svmgpu device %llu: %s\n", (unsigned long long)index, node);
	printf("  driver:        %s %d.%d.%d (%s)\n", v->name, v->version_major,
	       v->version_minor, v->version_patchlevel, v->desc);
	printf("  hardware:      revision %llu.%llu\n",
	       (unsigned long long)SVMGPU_REVISION_MAJOR(rev),
	       (unsigned long long)SVMGPU_REVISION_MINOR(rev));
	printf("  address space: %llu-bit GPU virtual addresses\n",
	       (unsigned long long)va_bits);
	printf("  page sizes:    ");
	print_page_sizes(sizes);
	printf("\n  engines:       %llu\n", (unsigned long long)engines);
	return 0;
}

int main(void)
{
	drmDevicePtr devs[64];
	int n, found = 0, failed = 0;

	n = drmGetDevices2(0, devs, 64);
	if (n < 0) {
		fprintf(stderr, "svmgpu-demo: drmGetDevices2: %s\n", strerror(-n));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		const char *node = devs[i]->nodes[DRM_NODE_RENDER];
		drmVersionPtr v;
		int fd;

		if (!(devs[i]->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "svmgpu-demo: %s: %s\n", node, strerror(errno));
			failed++;
			continue;
		}
		v = drmGetVersion(fd);
		if (v && strcmp(v->name, "svmgpu") == 0) {
			found++;
			if (show_device(node, fd, v))
				failed++;
		}
		drmFreeVersion(v);
		close(fd);
	}
	drmFreeDevices(devs, n);

	if (!found) {
		fprintf(stderr, "svmgpu-demo: no svmgpu device (is svmgpu.ko loaded?)\n");
		return 1;
	}
	printf("%d svmgpu device%s\n", found, found == 1 ? "" : "s");
	return failed ? 1 : 0;
}
