/* SPDX-License-Identifier: MIT */
/*
 * vk_bench_util.h - what the Vulkan benchmarks (vk_submit_bench,
 * vk_copy_bench) share: instance creation, picking the physical device of
 * the driver a run is meant to measure (svmgpu's ICD or Mesa's lavapipe,
 * selected by VK_DRIVER_FILES and checked here), a queue family, timing
 * and medians.
 */
#ifndef VK_BENCH_UTIL_H
#define VK_BENCH_UTIL_H

#include <stdint.h>

#include <vulkan/vulkan.h>

enum vkb_driver {
	VKB_LAVAPIPE,
	VKB_SVMGPU,
};

/* The program's name for messages ("vk_copy_bench"). */
extern const char *vkb_prog;

/* Exits 1 with a message when r is not VK_SUCCESS. */
void vkb_check(VkResult r, const char *what);

/* Prints "PROG: error: ..." on stderr and exits with status. */
void vkb_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* "lavapipe" or "svmgpu" -> driver; exits 2 on anything else. */
enum vkb_driver vkb_parse_driver(const char *s);
const char *vkb_driver_name(enum vkb_driver d);

/* A Vulkan 1.2 instance; exits 2 when the loader finds no driver. */
VkInstance vkb_create_instance(void);

/*
 * The first physical device that belongs to driver d, checked by its
 * VkPhysicalDeviceDriverProperties (lavapipe: VK_DRIVER_ID_MESA_LLVMPIPE,
 * a CPU device named "llvmpipe ..."; svmgpu: driverName "svmgpu", a
 * virtual GPU named "svmgpu ..."). Every device found is printed as an
 * "info" line under tag. Exits 2 when none matches.
 */
VkPhysicalDevice vkb_pick_device(VkInstance inst, enum vkb_driver d,
				 const char *tag);

/* The first queue family that can run transfer commands (a graphics or
 * compute family can too, spec "Queue Family Properties"). */
uint32_t vkb_transfer_family(VkPhysicalDevice pdev);

uint64_t vkb_now_ns(void);

/* Sorts v and returns its median. */
double vkb_median(double *v, unsigned int n);

#endif
