/* SPDX-License-Identifier: MIT */
/*
 * igt_vk.h - Vulkan helpers for the svmgpu test binaries
 * (svmgpu_vk_basic, svmgpu_vk_interop, svmgpu_vk_svm).
 *
 * - igt_vk_setup(), from the first fixture: the loader is pointed at the
 *   build tree's ICD manifest, the validation layer is told the sizes of
 *   our provisional structures; skips without a manifest, a device or the
 *   validation layer.
 * - struct igt_vk: an instance with VK_LAYER_KHRONOS_validation and a
 *   messenger. Every validation (or driver) error *and warning* fails the
 *   subtest (igt_vk_check_messages(), also called when the instance or a
 *   device is destroyed), except messages containing one of the
 *   substrings the test declared expected with igt_vk_expect(), and the
 *   known-benign warnings listed in igt_vk.c (documented there).
 * - struct igt_vk_device: a VkDevice with a pNext chain and extensions,
 *   its first queue and a command pool; buffers, memory, one-shot copy,
 *   fill and submissions, device command lookup.
 *
 * Failures assert (igt_assert*), missing pieces skip (igt_require*);
 * __igt_vk_*() variants return the VkResult instead of asserting.
 */
#ifndef IGT_VK_H
#define IGT_VK_H

#include <stdbool.h>
#include <stdint.h>

#include <vulkan/vulkan.h>

#define IGT_VK_VALIDATION_LAYER "VK_LAYER_KHRONOS_validation"

/**
 * igt_vk_setup - point the loader at the build tree's driver.
 *
 * The manifest is SVMGPU_VK_ICD from the environment, else
 * VK_DRIVER_FILES if set (used as is: it may list other drivers), else
 * the one the build wrote. Sets VK_LAYER_CUSTOM_STYPE_LIST for the
 * provisional VK_EXT_system_allocated_memory structures. Skips without a
 * manifest, without an svmgpu device or without the validation layer.
 * Call it from the first fixture.
 */
void igt_vk_setup(void);

/* igt_vk_icd_manifest - the manifest(s) igt_vk_setup() chose. */
const char *igt_vk_icd_manifest(void);

/**
 * struct igt_vk - an instance and the svmgpu physical device.
 * @instance, @pdev: the instance, the first svmgpu physical device.
 * @messenger: the debug-utils messenger of the validation layer.
 * @expect: NULL-terminated list of substrings; a message containing one
 *	is logged as expected and does not fail (igt_vk_expect()).
 * @failures: messages seen that fail the subtest, @last: the last one.
 */
struct igt_vk {
	VkInstance instance;
	VkPhysicalDevice pdev;
	VkDebugUtilsMessengerEXT messenger;
	const char *const *expect;
	unsigned int failures;
	char last[1024];
};

/**
 * igt_vk_instance_create - an instance of @api_version with
 * VK_EXT_debug_utils, the validation layer and a messenger (also chained
 * to the create info, so instance creation and destruction are checked
 * too). Skips if there is no svmgpu physical device.
 */
void igt_vk_instance_create(struct igt_vk *vk, uint32_t api_version);
/* igt_vk_instance_destroy - destroys, then igt_vk_check_messages(). */
void igt_vk_instance_destroy(struct igt_vk *vk);

/**
 * igt_vk_expect - messages containing one of @substrings (NULL-terminated,
 * must outlive its use) do not fail; NULL: none. For subtests that break
 * valid usage on purpose or go on after a device loss.
 */
void igt_vk_expect(struct igt_vk *vk, const char *const *substrings);
/* igt_vk_check_messages - assert no failing message since the last check. */
void igt_vk_check_messages(struct igt_vk *vk);

bool igt_vk_has_device_ext(VkPhysicalDevice pdev, const char *name);

/**
 * struct igt_vk_device_info - what igt_vk_device_create() enables.
 * @next: pNext chain of VkDeviceCreateInfo (features), or NULL.
 * @exts, @ext_count: device extensions; a missing one skips.
 * @queues, @queue_count: queue create infos; none: one queue of family 0.
 */
struct igt_vk_device_info {
	const void *next;
	const char *const *exts;
	uint32_t ext_count;
	const VkDeviceQueueCreateInfo *queues;
	uint32_t queue_count;
};

/**
 * struct igt_vk_device - a VkDevice of @vk's physical device.
 * @queue: queue 0 of the first queue create info's family.
 * @pool: a command pool of that family (RESET_COMMAND_BUFFER).
 */
struct igt_vk_device {
	struct igt_vk *vk;
	VkPhysicalDevice pdev;
	VkDevice device;
	VkQueue queue;
	VkCommandPool pool;
};

VkResult __igt_vk_device_create(struct igt_vk_device *d, struct igt_vk *vk,
				const struct igt_vk_device_info *info);
void igt_vk_device_create(struct igt_vk_device *d, struct igt_vk *vk,
			  const struct igt_vk_device_info *info);
/* waits for idle, destroys, igt_vk_check_messages(); no-op if none */
void igt_vk_device_destroy(struct igt_vk_device *d);

/* igt_vk_proc - a device command, asserted to exist. */
PFN_vkVoidFunction igt_vk_proc(struct igt_vk_device *d, const char *name);

/*
 * External fences and semaphores (VK_KHR_external_{fence,semaphore}_fd):
 * the import functions return the driver's VkResult (the fd is the
 * driver's on success only, as the spec says); the export functions
 * assert success and return the new fd.
 */
VkResult igt_vk_import_fence_fd(struct igt_vk_device *d, VkFence fence,
				VkExternalFenceHandleTypeFlagBits type,
				VkFenceImportFlags flags, int fd);
VkResult igt_vk_import_semaphore_fd(struct igt_vk_device *d, VkSemaphore sem,
				    VkExternalSemaphoreHandleTypeFlagBits type,
				    VkSemaphoreImportFlags flags, int fd);
int igt_vk_fence_fd(struct igt_vk_device *d, VkFence fence,
		    VkExternalFenceHandleTypeFlagBits type);
int igt_vk_semaphore_fd(struct igt_vk_device *d, VkSemaphore sem,
			VkExternalSemaphoreHandleTypeFlagBits type);

/**
 * igt_vk_buffer_create - a buffer of @size bytes with TRANSFER_SRC,
 * TRANSFER_DST and @usage, created with @handle_types in
 * VkExternalMemoryBufferCreateInfo (0: none), bound to @mem at offset 0
 * unless @mem is VK_NULL_HANDLE. Memory type 0 must fit it.
 */
VkBuffer igt_vk_buffer_create(struct igt_vk_device *d, VkDeviceSize size,
			      VkBufferUsageFlags usage,
			      VkExternalMemoryHandleTypeFlags handle_types,
			      VkDeviceMemory mem);

/**
 * igt_vk_memory_alloc - allocate @size bytes of memory type 0; @next is
 * chained to VkMemoryAllocateInfo. Returns the result, @mem is set on
 * success.
 */
VkResult igt_vk_memory_alloc(struct igt_vk_device *d, VkDeviceSize size,
			     const void *next, VkDeviceMemory *mem);

/* a buffer with its own memory (its requirements' size), mapped */
struct igt_vk_buffer {
	VkBuffer buffer;
	VkDeviceMemory memory;
	uint8_t *map;
	VkDeviceSize size;
};

/* @usage as for igt_vk_buffer_create(), @mem_next for the allocation */
void igt_vk_buffer_alloc(struct igt_vk_device *d, VkDeviceSize size,
			 VkBufferUsageFlags usage, const void *mem_next,
			 struct igt_vk_buffer *b);
void igt_vk_buffer_free(struct igt_vk_device *d, struct igt_vk_buffer *b);

/* igt_vk_cmd_begin - a one-time-submit primary command buffer of @pool
 * (VK_NULL_HANDLE: the device's), begun. */
VkCommandBuffer igt_vk_cmd_begin(struct igt_vk_device *d, VkCommandPool pool);
/* igt_vk_secondary_begin - a secondary command buffer of the device's
 * pool for transfer commands (no render pass), begun with @flags
 * (VkCommandBufferUsageFlags); free it with igt_vk_cmd_free(). */
VkCommandBuffer igt_vk_secondary_begin(struct igt_vk_device *d,
				       VkCommandBufferUsageFlags flags);
void igt_vk_cmd_free(struct igt_vk_device *d, VkCommandBuffer cmd);

/**
 * __igt_vk_submit_wait - end @cmd, submit it on @queue with a new fence,
 * wait for the fence up to @timeout_ns, free @cmd (to the device's pool).
 * Returns the first failing result of submit and wait, else VK_SUCCESS.
 * igt_vk_submit_wait() asserts VK_SUCCESS.
 */
VkResult __igt_vk_submit_wait(struct igt_vk_device *d, VkQueue queue,
			      VkCommandBuffer cmd, uint64_t timeout_ns);
void igt_vk_submit_wait(struct igt_vk_device *d, VkQueue queue,
			VkCommandBuffer cmd, uint64_t timeout_ns);

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
 * On the device's queue; with @s NULL, waits for the queue to be idle.
 * Returns the command buffer, to be freed with igt_vk_cmd_free() once
 * complete.
 */
VkCommandBuffer igt_vk_copy(struct igt_vk_device *d, VkBuffer src,
			    VkBuffer dst, VkDeviceSize size,
			    const struct igt_vk_submit *s);
VkCommandBuffer igt_vk_fill(struct igt_vk_device *d, VkBuffer dst,
			    VkDeviceSize size, uint32_t value,
			    const struct igt_vk_submit *s);

/**
 * igt_vk_semaphore_create - a binary (@timeline false) or timeline
 * semaphore starting at @initial, exportable as @export_types (0: not).
 */
VkSemaphore igt_vk_semaphore_create(struct igt_vk_device *d, bool timeline,
				    uint64_t initial,
				    VkExternalSemaphoreHandleTypeFlags export_types);

/* igt_vk_fence_create - a fence created with @flags (SIGNALED_BIT). */
VkFence igt_vk_fence_create(struct igt_vk_device *d, VkFenceCreateFlags flags);

#endif /* IGT_VK_H */
