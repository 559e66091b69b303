/* SPDX-License-Identifier: MIT */
/*
 * igt_vk.h - Vulkan helpers for the svmgpu test binaries: the build
 * tree's ICD through the loader (VK_DRIVER_FILES), an instance with
 * VK_LAYER_KHRONOS_validation whose every error or warning fails the
 * subtest, devices with a queue and a command pool, buffers bound to
 * memory, and one-shot transfer submissions.
 *
 * Failures assert (igt_assert*), missing pieces skip (igt_require*).
 *
 * Two styles live here for now, from two test binaries written at the
 * same time: the functions above struct igt_vk (global validation state,
 * svmgpu_vk_interop) and struct igt_vk with igt_vk_init() (per-instance
 * state with expected-message lists, svmgpu_vk_svm). They are to become
 * one; new tests should use the first.
 */
#ifndef IGT_VK_H
#define IGT_VK_H

#include <stdbool.h>
#include <stdint.h>

#include <vulkan/vulkan.h>

/**
 * igt_vk_setup - point the loader at the build tree's driver.
 *
 * SVMGPU_VK_ICD in the environment overrides the manifest the build
 * wrote; skips without a manifest or without an svmgpu device. Call it
 * from the first fixture.
 */
void igt_vk_setup(void);

/**
 * igt_vk_instance_create - a Vulkan 1.2 instance.
 * @validate: with the validation layer (skips if it is not installed)
 *	and a messenger that counts its errors and warnings.
 */
VkInstance igt_vk_instance_create(bool validate);
/* igt_vk_instance_destroy - checks the validation count, then destroys. */
void igt_vk_instance_destroy(VkInstance instance);
/* igt_vk_check_validation - assert no validation message so far. */
void igt_vk_check_validation(void);

/* a VkDevice on the first physical device, with one queue and a pool */
struct igt_vk_device {
	VkPhysicalDevice pdev;
	VkDevice device;
	VkQueue queue;
	VkCommandPool pool;
};

/**
 * igt_vk_device_create - a device with @exts and the timelineSemaphore
 * feature enabled (skips if the physical device lacks an extension).
 */
void igt_vk_device_create(struct igt_vk_device *d, VkInstance instance,
			  const char *const *exts, uint32_t ext_count);
void igt_vk_device_destroy(struct igt_vk_device *d);
/* igt_vk_proc - a device command, asserted to exist. */
PFN_vkVoidFunction igt_vk_proc(struct igt_vk_device *d, const char *name);

/**
 * igt_vk_buffer_create - a transfer src/dst buffer of @size bytes,
 * created with @handle_types in VkExternalMemoryBufferCreateInfo (0:
 * none), bound to @mem at offset 0 if @mem is not VK_NULL_HANDLE.
 */
VkBuffer igt_vk_buffer_create(struct igt_vk_device *d, VkDeviceSize size,
			      VkExternalMemoryHandleTypeFlags handle_types,
			      VkDeviceMemory mem);

/**
 * igt_vk_memory_alloc - allocate @size bytes of the device's memory
 * type; @next is chained to VkMemoryAllocateInfo. Returns the result,
 * @mem is set on success.
 */
VkResult igt_vk_memory_alloc(struct igt_vk_device *d, VkDeviceSize size,
			     const void *next, VkDeviceMemory *mem);

/* one-shot submission: its waits, its signals, the fence to signal */
struct igt_vk_submit {
	const VkSemaphore *waits;
	uint32_t wait_count;
	const VkSemaphore *signals;
	uint32_t signal_count;
	VkFence fence;
	bool no_wait;	/* return once submitted; else wait for the queue */
};

/**
 * igt_vk_copy - copy @size bytes from @src to @dst on the GPU.
 * igt_vk_fill - fill @size bytes of @dst with @value on the GPU.
 * With @s NULL, waits for completion. Returns the command buffer, to be
 * freed with igt_vk_cmd_free() once complete.
 */
VkCommandBuffer igt_vk_copy(struct igt_vk_device *d, VkBuffer src,
			    VkBuffer dst, VkDeviceSize size,
			    const struct igt_vk_submit *s);
VkCommandBuffer igt_vk_fill(struct igt_vk_device *d, VkBuffer dst,
			    VkDeviceSize size, uint32_t value,
			    const struct igt_vk_submit *s);
void igt_vk_cmd_free(struct igt_vk_device *d, VkCommandBuffer cmd);

/* ---- struct igt_vk: per-instance validation state ---- */

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
