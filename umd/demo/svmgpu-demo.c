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
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vulkan/vulkan.h>
#include <vulkan/vulkan_svmgpu.h>

#define N_BYTES (4u << 20)

static VkDevice dev;
static VkQueue queue;
static VkCommandPool pool;
static PFN_vkCmdCopySystemMemoryEXT cmd_copy;
static PFN_vkCmdFillSystemMemoryEXT cmd_fill;
static PFN_vkCmdPrefetchSystemMemoryEXT cmd_prefetch;

static int
fail(const char *what, VkResult r)
{
	fprintf(stderr, "svmgpu-demo: %s failed (VkResult %d)\n", what, r);
	return 1;
}

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

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

typedef void (*record_fn)(VkCommandBuffer cb, void *a, void *b);

/* Record with @fn, submit, wait; print the step's numbers. */
static VkResult
step(const char *name, record_fn fn, void *a, void *b)
{
	VkCommandBufferAllocateInfo ai = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
		.commandPool = pool,
		.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
		.commandBufferCount = 1,
	};
	VkCommandBufferBeginInfo bi = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
	};
	VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
	VkCommandBuffer cb;
	VkFence fence;
	VkSubmitInfo si = {
		.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
		.commandBufferCount = 1,
		.pCommandBuffers = &cb,
	};
	long long f0, f1;
	double t0, t1;
	VkResult r;

	if ((r = vkAllocateCommandBuffers(dev, &ai, &cb)) ||
	    (r = vkBeginCommandBuffer(cb, &bi)))
		return r;
	fn(cb, a, b);
	if ((r = vkEndCommandBuffer(cb)) ||
	    (r = vkCreateFence(dev, &fci, NULL, &fence)))
		return r;
	f0 = faults();
	t0 = now_ms();
	r = vkQueueSubmit(queue, 1, &si, fence);
	if (!r)
		r = vkWaitForFences(dev, 1, &fence, VK_TRUE, UINT64_MAX);
	t1 = now_ms();
	f1 = faults();
	vkDestroyFence(dev, fence, NULL);
	vkFreeCommandBuffers(dev, pool, 1, &cb);
	if (r)
		return r;
	if (f0 >= 0 && f1 >= 0)
		printf("  %-32s %6u KiB  %9.1f ms  %6.1f MiB/s  GPU faults serviced: %lld\n",
		       name, N_BYTES >> 10, t1 - t0, N_BYTES / 1048576.0 / ((t1 - t0) / 1e3),
		       f1 - f0);
	else
		printf("  %-32s %6u KiB  %9.1f ms  %6.1f MiB/s  GPU faults serviced: n/a (no debugfs)\n",
		       name, N_BYTES >> 10, t1 - t0, N_BYTES / 1048576.0 / ((t1 - t0) / 1e3));
	return VK_SUCCESS;
}

static void
rec_fill(VkCommandBuffer cb, void *a, void *b)
{
	(void)b;
	cmd_fill(cb, (VkDeviceAddress)(uintptr_t)a, N_BYTES, 0x5eed1234u);
}

static void
rec_copy(VkCommandBuffer cb, void *a, void *b)
{
	VkSystemMemoryCopyEXT r = { (uintptr_t)a, (uintptr_t)b, N_BYTES };

	cmd_copy(cb, 1, &r);
}

/* prefetch ranges are whole pages (systemMemoryRangeGranularity) */
static void
prefetch_pages(VkCommandBuffer cb, void *p)
{
	uintptr_t start = (uintptr_t)p & ~(uintptr_t)4095;
	uintptr_t end = ((uintptr_t)p + N_BYTES + 4095) & ~(uintptr_t)4095;

	cmd_prefetch(cb, start, end - start, 0);
}

static void
rec_prefetch_copy(VkCommandBuffer cb, void *a, void *b)
{
	prefetch_pages(cb, a);
	prefetch_pages(cb, b);
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
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "svmgpu-demo",
		.apiVersion = VK_API_VERSION_1_2,
	};
	VkInstanceCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pApplicationInfo = &app,
	};
	static const char *ext = VK_EXT_SYSTEM_ALLOCATED_MEMORY_EXTENSION_NAME;
	static const char *exts[] = { VK_EXT_SYSTEM_ALLOCATED_MEMORY_EXTENSION_NAME,
				      VK_EXT_DEVICE_FAULT_EXTENSION_NAME };
	VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT sam = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT,
		.systemAllocatedMemory = VK_TRUE,
		.systemAllocatedMemoryAddressCommands = VK_TRUE,
	};
	VkPhysicalDeviceVulkan12Features f12 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
		.pNext = &sam,
		.bufferDeviceAddress = VK_TRUE,
	};
	float prio = 1.0f;
	VkDeviceQueueCreateInfo qci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		.queueCount = 1,
		.pQueuePriorities = &prio,
	};
	VkDeviceCreateInfo dci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
		.pNext = &f12,
		.queueCreateInfoCount = 1,
		.pQueueCreateInfos = &qci,
		.enabledExtensionCount = 2,
		.ppEnabledExtensionNames = exts,
	};
	VkCommandPoolCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
	};
	VkPhysicalDevice pdevs[8], pdev = VK_NULL_HANDLE;
	VkPhysicalDeviceProperties props;
	VkExtensionProperties eprops[64];
	uint32_t n = 8, ne = 64, i;
	VkInstance inst;
	bool has = false;
	uint32_t *a, *b, *c;
	VkResult r;
	int rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* progress shows in the VM console */
#ifdef SVMGPU_DEMO_ICD
	setenv("VK_DRIVER_FILES", SVMGPU_DEMO_ICD, 0);
#endif
	if ((r = vkCreateInstance(&ici, NULL, &inst)))
		return fail("vkCreateInstance", r);
	if ((r = vkEnumeratePhysicalDevices(inst, &n, pdevs)) < 0)
		return fail("vkEnumeratePhysicalDevices", r);
	for (i = 0; i < n && !pdev; i++) {
		vkGetPhysicalDeviceProperties(pdevs[i], &props);
		if (strstr(props.deviceName, "svmgpu"))
			pdev = pdevs[i];
	}
	if (!pdev) {
		fprintf(stderr, "svmgpu-demo: no svmgpu Vulkan device\n");
		return 1;
	}
	vkGetPhysicalDeviceProperties(pdev, &props);
	vkEnumerateDeviceExtensionProperties(pdev, NULL, &ne, eprops);
	for (i = 0; i < ne; i++)
		has |= !strcmp(eprops[i].extensionName, ext);
	printf("svmgpu-demo: %s, Vulkan %u.%u\n", props.deviceName,
	       VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion));
	if (!has) {
		fprintf(stderr, "svmgpu-demo: %s is not advertised: the kernel has no fault mode\n", ext);
		return 1;
	}
	if ((r = vkCreateDevice(pdev, &dci, NULL, &dev)))
		return fail("vkCreateDevice", r);
	vkGetDeviceQueue(dev, 0, 0, &queue);
	if ((r = vkCreateCommandPool(dev, &pci, NULL, &pool)))
		return fail("vkCreateCommandPool", r);
	cmd_copy = (PFN_vkCmdCopySystemMemoryEXT)vkGetDeviceProcAddr(dev, "vkCmdCopySystemMemoryEXT");
	cmd_fill = (PFN_vkCmdFillSystemMemoryEXT)vkGetDeviceProcAddr(dev, "vkCmdFillSystemMemoryEXT");
	cmd_prefetch = (PFN_vkCmdPrefetchSystemMemoryEXT)vkGetDeviceProcAddr(dev, "vkCmdPrefetchSystemMemoryEXT");
	if (!cmd_copy || !cmd_fill || !cmd_prefetch)
		return fail("vkGetDeviceProcAddr", VK_ERROR_EXTENSION_NOT_PRESENT);

	/* plain malloc: the GPU gets these pointers as they are */
	a = malloc(N_BYTES);
	b = malloc(N_BYTES);
	c = malloc(N_BYTES);
	if (!a || !b || !c)
		return fail("malloc", VK_ERROR_OUT_OF_HOST_MEMORY);
	printf("svmgpu-demo: three malloc'd arrays of %u MiB at %p, %p, %p\n",
	       N_BYTES >> 20, (void *)a, (void *)b, (void *)c);
	if ((r = step("fill a (first touch)", rec_fill, a, NULL)))
		return fail("fill", r);
	rc |= !check(a, "a");
	if ((r = step("copy a -> b", rec_copy, a, b)))
		return fail("copy", r);
	rc |= !check(b, "b");
	/* c: the CPU touches it first, then the GPU prefetches */
	memset(c, 0, N_BYTES);
	if ((r = step("prefetch + copy b -> c", rec_prefetch_copy, b, c)))
		return fail("prefetch + copy", r);
	rc |= !check(c, "c");
	printf("svmgpu-demo: %s\n", rc ? "FAILED" : "all elements checked");
	free(a);
	free(b);
	free(c);
	vkDestroyCommandPool(dev, pool, NULL);
	vkDestroyDevice(dev, NULL);
	vkDestroyInstance(inst, NULL);
	return rc;
}
