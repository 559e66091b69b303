// SPDX-License-Identifier: MIT
/*
 * vk_submit_bench - empty Vulkan submissions waited for with a fence, on
 * either driver: Mesa's lavapipe (the CPU Vulkan driver Debian ships in
 * mesa-vulkan-drivers; the baseline of submit-empty and vk-submit-empty)
 * or svmgpu's own ICD (the svmgpu side of vk-submit-empty), in the same
 * guest.
 *
 *   vk_submit_bench [--driver lavapipe|svmgpu] [--name NAME]
 *                   [--submits N] [--no-cb] [--samples]
 *
 * The driver is selected by the loader's VK_DRIVER_FILES (lavapipe:
 * /usr/share/vulkan/icd.d/lvp_icd.x86_64.json; svmgpu: the build tree's
 * umd/vulkan/svmgpu_devenv_icd.x86_64.json); --driver (default lavapipe)
 * says which one this run is meant to measure, and the program checks the
 * device it got (VkPhysicalDeviceDriverProperties, name and type) and
 * fails when it is another. It creates a device with one queue of the
 * first transfer-capable family, a fence, and times N times
 * vkQueueSubmit() followed by vkWaitForFences() on the fence
 * (vkResetFences() between them is not timed). Prints median and p99 in
 * microseconds as "value NAME.median|p99 NUMBER us" lines for
 * tests/bench/run-bench; --samples also prints every submission's time
 * (run-bench pools them over several runs). NAME defaults to vk-submit
 * (vk-submit-nocb with --no-cb).
 *
 * What is submitted: by default one command buffer recorded empty
 * (vkBeginCommandBuffer + vkEndCommandBuffer). svmgpu's kernel-level side
 * (submit-empty) submits a batch buffer holding one END command, which
 * the engine fetches and executes; the matching Vulkan work is a command
 * buffer that the driver's queue has to run, not a submission without
 * any, which the Vulkan runtime may complete without running anything.
 * --no-cb submits zero command buffers instead (fence only), for
 * comparison.
 *
 * Exit status: 0 done; 1 a Vulkan call failed; 2 usage, or no device of
 * the requested driver.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vk_bench_util.h"

#define FENCE_TIMEOUT_NS (30ull * 1000000000ull)

int main(int argc, char **argv)
{
	const unsigned int warmup = 20;
	unsigned int submits = 1000;
	bool no_cb = false, samples = false;
	enum vkapp_driver driver = VKAPP_LAVAPIPE;
	const char *name = NULL;

	vkapp_prog = "vk_submit_bench";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-cb")) {
			no_cb = true;
		} else if (!strcmp(argv[i], "--samples")) {
			samples = true;
		} else if (!strcmp(argv[i], "--submits") && i + 1 < argc) {
			submits = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--driver") && i + 1 < argc) {
			driver = vkb_parse_driver(argv[++i]);
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			name = argv[++i];
		} else {
			fprintf(stderr, "usage: vk_submit_bench [--driver lavapipe|svmgpu] "
				"[--name NAME] [--submits N] [--no-cb] [--samples]\n");
			return 2;
		}
	}
	if (!submits)
		vkapp_die(2, "--submits must be > 0");
	if (!name)
		name = no_cb ? "vk-submit-nocb" : "vk-submit";
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct vkapp_device vk;
	VkCommandBuffer cb = VK_NULL_HANDLE;
	double *lat = calloc(submits, sizeof(double));

	if (!lat)
		vkapp_die(1, "out of memory");
	vkapp_physical_device_init(&vk, driver, name);
	vkapp_device_init(&vk, false);
	if (!no_cb) {
		/* Recorded once, submitted many times. */
		cb = vkapp_begin_command_buffer(&vk);
		vkapp_check(vkEndCommandBuffer(cb), "vkEndCommandBuffer");
	}
	for (unsigned int i = 0; i < warmup + submits; i++) {
		uint64_t ns = vkapp_submit_wait(&vk, cb, FENCE_TIMEOUT_NS);

		if (i >= warmup)
			lat[i - warmup] = ns / 1e3;
	}

	if (samples) {
		printf("samples %s", name);
		for (unsigned int i = 0; i < submits; i++)
			printf(" %.1f", lat[i]);
		printf("\n");
	}
	{
		unsigned int rank = (unsigned int)(0.99 * submits + 0.999999);
		double med = vkb_median(lat, submits); /* sorts lat */

		printf("info %s %u submits (%s) after %u warm-up: min %.1f us, max %.1f us\n",
		       name, submits, no_cb ? "zero command buffers" : "one empty command buffer",
		       warmup, lat[0], lat[submits - 1]);
		printf("value %s.median %.1f us\n", name, med);
		printf("value %s.p99 %.1f us\n", name, lat[(rank ? rank : 1) - 1]);
	}

	vkapp_device_finish(&vk);
	free(lat);
	return 0;
}
