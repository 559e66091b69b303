/* SPDX-License-Identifier: MIT */
/*
 * svk_svm.h - state and helpers of VK_EXT_system_allocated_memory
 * (docs/VK_EXT_system_allocated_memory.md) and VK_EXT_device_fault.
 * Included by svk_private.h; the code is in svm.c (device, memory,
 * attributes), cmd_svm.c (the commands), sync_user_fence.c (the sync
 * backend of such devices: fences, semaphores and submission on user
 * fences, sync.h) and device_fault.c.
 *
 * On a device with systemAllocatedMemory the VM is a fault-mode VM whose
 * mirror window covers [DRM_SVMGPU_VM_GUARD, 2^47), the process's user
 * half. The driver's own BOs (batches) live above it, in
 * [2^47, va_end), so they never shadow process memory; VkDeviceMemory is
 * bound at its own CPU mapping's address, taking that range out of the
 * window (the spec: device address == vkMapMemory pointer).
 */
#ifndef SVK_SVM_H
#define SVK_SVM_H

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>

#include <vulkan/vulkan_core.h>
#include <vulkan/vulkan_svmgpu.h>

/* End of the mirror window and of systemMemoryAddressBits (47). */
#define SVK_SVM_ADDRESS_BITS	47
#define SVK_SVM_MIRROR_END	(1ull << SVK_SVM_ADDRESS_BITS)
#define SVK_SVM_GRANULARITY	4096ull
#define SVK_SVM_MAX_UPDATE	65536ull

/* Per-queue ring of small batches for the waits before and the user
 * fences after each submission: slots of SVK_SVM_SLOT_SIZE bytes. */
#define SVK_SVM_SLOTS		64u
#define SVK_SVM_SLOT_SIZE	4096u
#define SVK_SVM_MAX_SYNC	(SVK_SVM_SLOT_SIZE / 2 / 64)	/* per submission */

struct svk_device;
struct svk_queue;
struct svk_fence;
struct svk_semaphore;
struct svk_cmd_buffer;
struct svk_device_memory;
struct svk_physical_device;

struct svk_svm_range {
	uint64_t start, size;
};

/**
 * struct svk_svm_device - per-device state with systemAllocatedMemory.
 * @features: what the application enabled.
 *
 * The payload bookkeeping of fences and semaphores (the @addr, @value,
 * @queue, @signaled and @next members below) is under
 * svk_device.sync_lock, as their temporary payloads are.
 */
struct svk_svm_device {
	VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT features;
};

/**
 * struct svk_svm_queue - a queue's user fence and batch ring.
 * @seq: the 64-bit value the last job of every submission writes (host
 *	memory, written through the mirror; only grows).
 * @submitted: the value of the latest submission.
 * @ring_bo, @ring_va: SVK_SVM_SLOTS batches for waits and signals.
 * @slot_seq: for each slot, the @seq value after which it is free.
 * @slot_next: the next slot to use.
 */
struct svk_svm_queue {
	volatile uint64_t *seq;
	uint64_t submitted;
	struct svmgpu_bo *ring_bo;
	uint64_t ring_va;
	uint64_t slot_seq[SVK_SVM_SLOTS];
	uint32_t slot_next;
};

/**
 * struct svk_svm_fence - a fence's payload: signalled when *@addr >=
 * @value. @addr NULL: not signalled and nothing pending; @signaled: created
 * signalled (or reset never happened since).
 */
struct svk_svm_fence {
	const volatile uint64_t *addr;
	uint64_t value;
	struct svk_queue *queue;
	bool signaled;
};

/**
 * struct svk_svm_semaphore - a semaphore's payload: a 64-bit counter the
 * driver owns (@counter, host memory, the GPU writes it through the
 * mirror). @next: for binary semaphores, the value of the latest signal
 * operation submitted (waits wait for it). @queue: the queue of the
 * latest signal, whose failure ends host waits.
 */
struct svk_svm_semaphore {
	volatile uint64_t *counter;
	uint64_t next;
	struct svk_queue *queue;
};

/* svm.c */
void svk_svm_physical_device_init(struct svk_physical_device *pdev);
bool svk_svm_supported(const struct svk_physical_device *pdev);
bool svk_svm_fill_features(const struct svk_physical_device *pdev,
			   VkBaseOutStructure *s);
bool svk_svm_fill_properties(const struct svk_physical_device *pdev,
			     VkBaseOutStructure *s);
/* Called by vkCreateDevice instead of creating a dma-fence VM: leaves
 * dev->svm NULL if the feature is not enabled. */
VkResult svk_svm_device_create(struct svk_device *dev,
			       const VkDeviceCreateInfo *info);
void svk_svm_device_destroy(struct svk_device *dev);
VkResult svk_svm_memory_bind(struct svk_device *dev,
			     struct svk_device_memory *mem, uint64_t fixed);
void svk_svm_memory_unbind(struct svk_device *dev,
			   struct svk_device_memory *mem);

/* cmd_svm.c */
void svk_svm_cmd_reset(struct svk_cmd_buffer *cmd);
void svk_svm_cmd_prefetch(struct svk_cmd_buffer *cmd);

/* device_fault.c: a banned queue's state as VkResult, set_lost */
VkResult svk_device_check_lost(struct svk_device *dev);

#endif /* SVK_SVM_H */
