/* SPDX-License-Identifier: MIT */
/*
 * igt_vk.h - small helpers for Vulkan tests of the svmgpu ICD: an
 * instance on the build tree's ICD with VK_LAYER_KHRONOS_validation and a
 * debug messenger that counts validation errors (tests fail on them), and
 * the svmgpu physical device.
 */
#ifndef IGT_VK_H
#define IGT_VK_H

#include <stdbool.h>
#include <stdint.h>

#include <vulkan/vulkan.h>

/**
 * struct igt_vk - an instance and the svmgpu physical device.
 * @errors: validation (and driver) error messages seen so far.
 * @layer: whether VK_LAYER_KHRONOS_validation is enabled.
 * @allow: '|'-separated substrings; error messages containing one are
 *	logged but not counted (messages the test expects), or NULL.
 */
struct igt_vk {
	VkInstance instance;
	VkPhysicalDevice pdev;
	VkDebugUtilsMessengerEXT messenger;
	unsigned int errors;
	bool layer;
	const char *allow;
};

/*
 * igt_vk_init - create the instance (API 1.2, VK_EXT_debug_utils, the
 * validation layer if installed) on the ICD of the build tree (unless
 * VK_DRIVER_FILES is set) and find the svmgpu physical device; skips if
 * there is none.
 */
void igt_vk_init(struct igt_vk *vk);
void igt_vk_fini(struct igt_vk *vk);
bool igt_vk_has_device_ext(struct igt_vk *vk, const char *name);

#endif /* IGT_VK_H */
