// SPDX-License-Identifier: MIT
/*
 * vk_bench_util.c - helpers shared by the Vulkan benchmarks
 * (vk_bench_util.h): instance, checked device selection per driver,
 * queue family, timing, median.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vk_bench_util.h"

/* svmgpu's VkDriverId: 0x5356 ("SV"), not registered (docs/vulkan.md). */
#define SVMGPU_DRIVER_ID 0x5356

const char *vkb_prog = "vk_bench";

void vkb_die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", vkb_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

void vkb_check(VkResult r, const char *what)
{
	if (r != VK_SUCCESS)
		vkb_die(1, "%s failed: VkResult %d", what, (int)r);
}

enum vkb_driver vkb_parse_driver(const char *s)
{
	if (!strcmp(s, "lavapipe"))
		return VKB_LAVAPIPE;
	if (!strcmp(s, "svmgpu"))
		return VKB_SVMGPU;
	vkb_die(2, "unknown driver '%s' (lavapipe or svmgpu)", s);
}

const char *vkb_driver_name(enum vkb_driver d)
{
	return d == VKB_SVMGPU ? "svmgpu" : "lavapipe";
}

static const char *driver_files(void)
{
	const char *f = getenv("VK_DRIVER_FILES");

	if (!f)
		f = getenv("VK_ICD_FILENAMES");
	return f ? f : "unset";
}

VkInstance vkb_create_instance(void)
{
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = vkb_prog,
		.apiVersion = VK_API_VERSION_1_2,
	};
	VkInstanceCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pApplicationInfo = &app,
	};
	VkInstance inst;
	VkResult r = vkCreateInstance(&ici, NULL, &inst);

	if (r == VK_ERROR_INCOMPATIBLE_DRIVER)
		vkb_die(2, "no Vulkan driver found (VK_DRIVER_FILES=%s)",
			driver_files());
	vkb_check(r, "vkCreateInstance");
	return inst;
}

static int matches(enum vkb_driver d, const VkPhysicalDeviceProperties *p,
		   const VkPhysicalDeviceDriverProperties *dp)
{
	if (d == VKB_LAVAPIPE)
		return dp->driverID == VK_DRIVER_ID_MESA_LLVMPIPE &&
		       p->deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU &&
		       !strncmp(p->deviceName, "llvmpipe", 8);
	return (int)dp->driverID == SVMGPU_DRIVER_ID &&
	       !strcmp(dp->driverName, "svmgpu") &&
	       p->deviceType == VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU &&
	       !strncmp(p->deviceName, "svmgpu", 6);
}

VkPhysicalDevice vkb_pick_device(VkInstance inst, enum vkb_driver d,
				 const char *tag)
{
	VkPhysicalDevice devs[16];
	uint32_t n = 16;
	VkResult r = vkEnumeratePhysicalDevices(inst, &n, devs);

	if (r != VK_SUCCESS && r != VK_INCOMPLETE)
		vkb_check(r, "vkEnumeratePhysicalDevices");
	for (uint32_t i = 0; i < n; i++) {
		VkPhysicalDeviceDriverProperties dp = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES,
		};
		VkPhysicalDeviceProperties2 p2 = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
			.pNext = &dp,
		};
		const VkPhysicalDeviceProperties *p = &p2.properties;

		vkGetPhysicalDeviceProperties2(devs[i], &p2);
		printf("info %s physical device %u: %s (type %d, vendor 0x%x, "
		       "driver %s id %d, %s)\n", tag, i, p->deviceName,
		       (int)p->deviceType, p->vendorID, dp.driverName,
		       (int)dp.driverID, dp.driverInfo);
		if (matches(d, p, &dp))
			return devs[i];
	}
	vkb_die(2, "no %s device among %u (VK_DRIVER_FILES=%s)%s",
		vkb_driver_name(d), n, driver_files(),
		d == VKB_LAVAPIPE ?
		"; lavapipe: /usr/share/vulkan/icd.d/lvp_icd.x86_64.json, "
		"Debian package mesa-vulkan-drivers" :
		"; svmgpu: <builddir>/umd/vulkan/svmgpu_devenv_icd.x86_64.json, "
		"svmgpu.ko loaded");
}

uint32_t vkb_transfer_family(VkPhysicalDevice pdev)
{
	VkQueueFamilyProperties qf[16];
	uint32_t n = 16;
	const VkQueueFlags any = VK_QUEUE_TRANSFER_BIT | VK_QUEUE_GRAPHICS_BIT |
				 VK_QUEUE_COMPUTE_BIT;

	vkGetPhysicalDeviceQueueFamilyProperties(pdev, &n, qf);
	for (uint32_t i = 0; i < n; i++)
		if ((qf[i].queueFlags & any) && qf[i].queueCount)
			return i;
	vkb_die(1, "the device has no queue family for transfer commands");
}

uint64_t vkb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double vkb_median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
