// SPDX-License-Identifier: MIT
/*
 * vk_submit_bench - the baseline of the submit-empty benchmark: Mesa's
 * lavapipe (the CPU Vulkan driver Debian ships in mesa-vulkan-drivers)
 * submitting empty work and waiting for its fence, in the same guest.
 *
 *   vk_submit_bench [--submits N] [--no-cb] [--samples]
 *
 * Creates an instance, picks the physical device and checks that it is
 * lavapipe (a CPU device named "llvmpipe ..."; select it with
 * VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json), creates a
 * device, a queue and a fence, and times N times vkQueueSubmit() followed
 * by vkWaitForFences() on the fence (vkResetFences() between them is not
 * timed). Prints median and p99 in microseconds as "value NAME NUMBER
 * UNIT" lines for tests/bench/run-bench; --samples also prints every
 * submission's time (run-bench pools them over several runs).
 *
 * What is submitted: by default one command buffer recorded empty
 * (vkBeginCommandBuffer + vkEndCommandBuffer). svmgpu's side submits a
 * batch buffer holding one END command, which the engine fetches and
 * executes; the matching Vulkan work is a command buffer that the driver's
 * queue has to run, not a submission without any, which the Vulkan
 * runtime may complete without running anything. --no-cb submits zero
 * command buffers instead (fence only), for comparison; it reports under
 * the name vk-submit-nocb.
 *
 * Exit status: 0 done; 1 a Vulkan call failed; 2 no lavapipe device.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vulkan/vulkan.h>

static void check(VkResult r, const char *what)
{
	if (r != VK_SUCCESS) {
		fprintf(stderr, "vk_submit_bench: error: %s failed: VkResult %d\n",
			what, (int)r);
		exit(1);
	}
}

static uint64_t now_ns(void)
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

/* The first physical device that is lavapipe, or exit 2. */
static VkPhysicalDevice pick_lavapipe(VkInstance inst)
{
	VkPhysicalDevice devs[16];
	uint32_t n = 16;
	VkResult r = vkEnumeratePhysicalDevices(inst, &n, devs);

	if (r != VK_SUCCESS && r != VK_INCOMPLETE)
		check(r, "vkEnumeratePhysicalDevices");
	for (uint32_t i = 0; i < n; i++) {
		VkPhysicalDeviceProperties p;

		vkGetPhysicalDeviceProperties(devs[i], &p);
		printf("info vk-submit physical device %u: %s (type %d, vendor 0x%x)\n",
		       i, p.deviceName, (int)p.deviceType, p.vendorID);
		if (p.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU &&
		    !strncmp(p.deviceName, "llvmpipe", 8))
			return devs[i];
	}
	fprintf(stderr, "vk_submit_bench: error: no lavapipe device among %u "
		"(set VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json; "
		"Debian package mesa-vulkan-drivers)\n", n);
	exit(2);
}

int main(int argc, char **argv)
{
	const unsigned int warmup = 20;
	unsigned int submits = 1000;
	bool no_cb = false, samples = false;
	const char *name;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-cb")) {
			no_cb = true;
		} else if (!strcmp(argv[i], "--samples")) {
			samples = true;
		} else if (!strcmp(argv[i], "--submits") && i + 1 < argc) {
			submits = strtoul(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: vk_submit_bench [--submits N] [--no-cb] [--samples]\n");
			return 2;
		}
	}
	if (!submits) {
		fprintf(stderr, "vk_submit_bench: error: --submits must be > 0\n");
		return 2;
	}
	name = no_cb ? "vk-submit-nocb" : "vk-submit";
	setvbuf(stdout, NULL, _IOLBF, 0);

	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "vk_submit_bench",
		.apiVersion = VK_API_VERSION_1_0,
	};
	VkInstanceCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pApplicationInfo = &app,
	};
	VkInstance inst;
	VkResult r = vkCreateInstance(&ici, NULL, &inst);

	if (r == VK_ERROR_INCOMPATIBLE_DRIVER) {
		fprintf(stderr, "vk_submit_bench: error: no Vulkan driver found "
			"(install mesa-vulkan-drivers; VK_DRIVER_FILES=%s)\n",
			getenv("VK_DRIVER_FILES") ? getenv("VK_DRIVER_FILES") : "unset");
		return 2;
	}
	check(r, "vkCreateInstance");

	VkPhysicalDevice pdev = pick_lavapipe(inst);

	/* Any queue family does: lavapipe's one has every capability. */
	VkQueueFamilyProperties qf[8];
	uint32_t nqf = 8;

	vkGetPhysicalDeviceQueueFamilyProperties(pdev, &nqf, qf);
	if (!nqf || !qf[0].queueCount) {
		fprintf(stderr, "vk_submit_bench: error: lavapipe reports no queue\n");
		return 1;
	}

	float prio = 1.0f;
	VkDeviceQueueCreateInfo qci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		.queueFamilyIndex = 0,
		.queueCount = 1,
		.pQueuePriorities = &prio,
	};
	VkDeviceCreateInfo dci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
		.queueCreateInfoCount = 1,
		.pQueueCreateInfos = &qci,
	};
	VkDevice dev;
	VkQueue queue;

	check(vkCreateDevice(pdev, &dci, NULL, &dev), "vkCreateDevice");
	vkGetDeviceQueue(dev, 0, 0, &queue);

	VkCommandPoolCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
		.queueFamilyIndex = 0,
	};
	VkCommandPool pool;
	VkCommandBufferAllocateInfo cbai = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
		.commandBufferCount = 1,
		.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
	};
	VkCommandBufferBeginInfo cbbi = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
	};
	VkCommandBuffer cb;

	check(vkCreateCommandPool(dev, &pci, NULL, &pool), "vkCreateCommandPool");
	cbai.commandPool = pool;
	check(vkAllocateCommandBuffers(dev, &cbai, &cb), "vkAllocateCommandBuffers");
	/* Recorded once, submitted many times (no ONE_TIME_SUBMIT flag). */
	check(vkBeginCommandBuffer(cb, &cbbi), "vkBeginCommandBuffer");
	check(vkEndCommandBuffer(cb), "vkEndCommandBuffer");

	VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
	VkFence fence;

	check(vkCreateFence(dev, &fci, NULL, &fence), "vkCreateFence");

	VkSubmitInfo si = {
		.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
		.commandBufferCount = no_cb ? 0 : 1,
		.pCommandBuffers = no_cb ? NULL : &cb,
	};
	double *lat = calloc(submits, sizeof(double));

	if (!lat) {
		fprintf(stderr, "vk_submit_bench: error: out of memory\n");
		return 1;
	}
	for (unsigned int i = 0; i < warmup + submits; i++) {
		uint64_t t0, t1;

		t0 = now_ns();
		check(vkQueueSubmit(queue, 1, &si, fence), "vkQueueSubmit");
		check(vkWaitForFences(dev, 1, &fence, VK_TRUE, 30ull * 1000000000ull),
		      "vkWaitForFences");
		t1 = now_ns();
		check(vkResetFences(dev, 1, &fence), "vkResetFences");
		if (i >= warmup)
			lat[i - warmup] = (t1 - t0) / 1e3;
	}

	if (samples) {
		printf("samples %s", name);
		for (unsigned int i = 0; i < submits; i++)
			printf(" %.1f", lat[i]);
		printf("\n");
	}
	qsort(lat, submits, sizeof(double), cmp_double);
	{
		unsigned int rank = (unsigned int)(0.99 * submits + 0.999999);
		double med = submits % 2 ? lat[submits / 2] :
			(lat[submits / 2 - 1] + lat[submits / 2]) / 2;

		printf("info %s %u submits (%s) after %u warm-up: min %.1f us, max %.1f us\n",
		       name, submits, no_cb ? "zero command buffers" : "one empty command buffer",
		       warmup, lat[0], lat[submits - 1]);
		printf("value %s.median %.1f us\n", name, med);
		printf("value %s.p99 %.1f us\n", name, lat[(rank ? rank : 1) - 1]);
	}

	vkDestroyFence(dev, fence, NULL);
	vkDestroyCommandPool(dev, pool, NULL);
	vkDestroyDevice(dev, NULL);
	vkDestroyInstance(inst, NULL);
	free(lat);
	return 0;
}
