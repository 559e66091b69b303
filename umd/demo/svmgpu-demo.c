// SPDX-License-Identifier: MIT
/*
 * svmgpu-demo - the program `ci/run demo` runs in the VM: a Vulkan
 * application that has the GPU process a malloc'd array through
 * VK_EXT_system_allocated_memory (docs/VK_EXT_system_allocated_memory.md).
 * No allocation, import or registration: the GPU is handed the array's
 * pointers as device addresses.
 *
 * Steps, each timed: the GPU fills a fresh malloc'd array (every page is
 * a first touch: GPU faults serviced by the kernel through HMM), copies
 * it into a second malloc'd array, then copies it again into a third one
 * after vkCmdPrefetchSystemMemoryEXT (no faults). The CPU checks every
 * element. For each step it prints the bytes moved, the time and the GPU
 * faults the kernel serviced (the "faults" counter of the device's
 * debugfs directory, when readable).
 *
 * Exits 0 when every check passed, 1 otherwise (the reason on stderr;
 * also when the kernel has no fault mode, so the extension is missing).
 * The Vulkan set-up is umd/vkapp's, shared with the Vulkan benchmarks.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vkapp.h"

#define N_BYTES (4u << 20)

static struct vkapp_device vk;

/*
 * GPU faults serviced so far: the "faults" line of the svmgpu debugfs
 * "counters" file (only svmgpu has one under dri/; the card and render
 * minors link to the same directory, so the first found is the device),
 * or -1 if not readable.
 */
static long long
faults(void)
{
	char path[64], name[64];
	long long v, r = -1;
	unsigned int i;
	FILE *f = NULL;

	for (i = 0; i < 256 && !f; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/counters", i);
		f = fopen(path, "r");
	}
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", name, &v) == 2)
		if (!strcmp(name, "faults"))
			r = v;
	fclose(f);
	return r;
}

typedef void (*record_fn)(VkCommandBuffer cb, void *a, void *b);

/* Record with @fn, submit, wait; print the step's numbers. */
static void
step(const char *name, record_fn fn, void *a, void *b)
{
	VkCommandBuffer cb = vkapp_begin_command_buffer(&vk);
	long long f0, f1;
	double ms;

	fn(cb, a, b);
	vkapp_check(vkEndCommandBuffer(cb), "vkEndCommandBuffer");
	f0 = faults();
	ms = vkapp_submit_wait(&vk, cb, UINT64_MAX) / 1e6;
	f1 = faults();
	vkFreeCommandBuffers(vk.device, vk.command_pool, 1, &cb);
	if (f0 >= 0 && f1 >= 0)
		printf("  %-32s %6u KiB  %9.1f ms  %6.1f MiB/s  GPU faults serviced: %lld\n",
		       name, N_BYTES >> 10, ms, N_BYTES / 1048576.0 / (ms / 1e3),
		       f1 - f0);
	else
		printf("  %-32s %6u KiB  %9.1f ms  %6.1f MiB/s  GPU faults serviced: n/a (no debugfs)\n",
		       name, N_BYTES >> 10, ms, N_BYTES / 1048576.0 / (ms / 1e3));
}

static void
rec_fill(VkCommandBuffer cb, void *a, void *b)
{
	(void)b;
	vk.cmd_fill_system_memory(cb, (VkDeviceAddress)(uintptr_t)a, N_BYTES, 0x5eed1234u);
}

static void
rec_copy(VkCommandBuffer cb, void *a, void *b)
{
	VkSystemMemoryCopyEXT r = { (uintptr_t)a, (uintptr_t)b, N_BYTES };

	vk.cmd_copy_system_memory(cb, 1, &r);
}

static void
rec_prefetch_copy(VkCommandBuffer cb, void *a, void *b)
{
	vkapp_cmd_prefetch_pages(&vk, cb, a, N_BYTES);
	vkapp_cmd_prefetch_pages(&vk, cb, b, N_BYTES);
	rec_copy(cb, a, b);
}

static bool
check(const uint32_t *p, const char *what)
{
	for (size_t i = 0; i < N_BYTES / 4; i++)
		if (p[i] != 0x5eed1234u) {
			fprintf(stderr, "svmgpu-demo: %s[%zu] = %#x, expected 0x5eed1234\n",
				what, i, p[i]);
			return false;
		}
	return true;
}

int
main(void)
{
	VkPhysicalDeviceProperties props;
	uint32_t *a, *b, *c;
	int rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* progress shows in the VM console */
#ifdef SVMGPU_DEMO_ICD
	setenv("VK_DRIVER_FILES", SVMGPU_DEMO_ICD, 0);
#endif
	vkapp_prog = "svmgpu-demo";
	vkapp_unavailable_status = 1;
	vkapp_physical_device_init(&vk, VKAPP_SVMGPU, NULL);
	vkGetPhysicalDeviceProperties(vk.physical_device, &props);
	printf("svmgpu-demo: %s, Vulkan %u.%u\n", props.deviceName,
	       VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion));
	vkapp_device_init(&vk, true);

	/* plain malloc: the GPU gets these pointers as they are */
	a = malloc(N_BYTES);
	b = malloc(N_BYTES);
	c = malloc(N_BYTES);
	if (!a || !b || !c)
		vkapp_die(1, "malloc failed");
	printf("svmgpu-demo: three malloc'd arrays of %u MiB at %p, %p, %p\n",
	       N_BYTES >> 20, (void *)a, (void *)b, (void *)c);
	step("fill a (first touch)", rec_fill, a, NULL);
	rc |= !check(a, "a");
	step("copy a -> b", rec_copy, a, b);
	rc |= !check(b, "b");
	/* c: the CPU touches it first, then the GPU prefetches */
	memset(c, 0, N_BYTES);
	step("prefetch + copy b -> c", rec_prefetch_copy, b, c);
	rc |= !check(c, "c");
	printf("svmgpu-demo: %s\n", rc ? "FAILED" : "all elements checked");
	free(a);
	free(b);
	free(c);
	vkapp_device_finish(&vk);
	return rc;
}
