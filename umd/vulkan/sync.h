/* SPDX-License-Identifier: MIT */
/*
 * sync.h - the driver's one synchronisation interface: the payload of a
 * VkFence or VkSemaphore (struct svk_sync) and the backend that
 * implements payloads and submission (struct svk_sync_type). Included by
 * svk_private.h; the common part is in sync.c.
 *
 * A device has one backend, chosen once in vkCreateDevice
 * (svk_sync_type_select()) and never tested again:
 *
 * - svk_sync_syncobj (sync_syncobj.c, submission in
 *   sync_syncobj_submit.c): DRM syncobjs, binary or timeline, that the
 *   kernel signals at the end of a job; submissions whose waits have no
 *   fence yet are deferred to a per-queue submit thread. Every device
 *   without systemAllocatedMemory.
 * - svk_sync_user_fence (sync_user_fence.c): 64-bit counters in host
 *   memory that the GPU writes (USER_FENCE) and waits on (WAIT), for
 *   devices with VK_EXT_system_allocated_memory's systemAllocatedMemory
 *   enabled, whose fault-mode VMs cannot publish DMA fences.
 *
 * fence.c, semaphore.c, external_sync.c and queue.c speak to the
 * backend through the svk_sync_*() calls and the ops below only.
 *
 * Temporary payloads (spec "Importing Fence Payloads", "Importing
 * Semaphore Payloads") are syncobjs on both backends: a sync_file (or,
 * on the syncobj backend, a syncobj file) imported with the TEMPORARY
 * semantics lives in svk_sync.temporary until consumed; sync.c keeps
 * it, the backends read it.
 */
#ifndef SVK_SYNC_H
#define SVK_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include <vulkan/vulkan_core.h>

struct svk_device;
struct svk_queue;
struct svk_fence;

/* What a payload is: the object it belongs to. */
enum svk_sync_kind {
	SVK_SYNC_FENCE,
	SVK_SYNC_BINARY,	/* binary semaphore */
	SVK_SYNC_TIMELINE,	/* timeline semaphore */
	SVK_SYNC_KIND_COUNT,
};

/* How a payload is shared, whichever object it belongs to (fence and
 * semaphore handle-type bits differ; external_sync.c maps them). */
enum svk_sync_handle {
	SVK_SYNC_HANDLE_NONE,
	SVK_SYNC_HANDLE_OPAQUE_FD,	/* the syncobj's file: reference transference */
	SVK_SYNC_HANDLE_SYNC_FILE,	/* a sync_file of its fence: copy transference */
};
#define SVK_SYNC_HANDLE_BIT(h)	(1u << (h))

/* The syncobj backend's payload. */
struct svk_sync_syncobj {
	uint32_t handle;	/* the permanent payload */
	/*
	 * Binary semaphores: a handle of the pending-signal syncobj of the
	 * latest deferred submission that signals the semaphore, or 0. Only
	 * that submission signals it, so a wait submitted before that signal
	 * reaches the kernel waits on it and no re-signal can satisfy it
	 * (sync_syncobj_submit.c). Under svk_device.sync_lock.
	 */
	uint32_t pending_signal;
};

/**
 * struct svk_sync - the payload of a fence or semaphore.
 * @kind: fence, binary or timeline semaphore.
 * @temporary: a temporarily imported payload (a syncobj), used instead
 *	of the permanent one until consumed, or 0. Changed under
 *	svk_device.sync_lock (the user-fence backend reads it with its
 *	payload under that lock).
 * @syncobj, @uf_fence, @uf_sem: the permanent payload of the device's
 *	backend (a fence's or a semaphore's on the user-fence backend).
 */
struct svk_sync {
	enum svk_sync_kind kind;
	uint32_t temporary;
	union {
		struct svk_sync_syncobj syncobj;
		struct svk_svm_fence uf_fence;
		struct svk_svm_semaphore uf_sem;
	};
};

/* One payload of a host wait and the value it waits for (timelines; 0
 * for fences and binary semaphores). */
struct svk_sync_wait {
	struct svk_sync *sync;
	uint64_t value;
};

/**
 * struct svk_sync_type - a backend. Every op is set unless marked
 * optional. VkResults are the Vulkan commands' own: the front-ends
 * return them as they are.
 *
 * @name: for messages.
 * @exports, @imports: per enum svk_sync_kind, the SVK_SYNC_HANDLE_BIT()s
 *	a payload of that kind exports and imports: the external
 *	capability queries answer from them (external_sync.c).
 * @check_create: optional; refuse, before the object is allocated, a
 *	create info (its pNext @chain) the backend cannot honour.
 * @init: set up @sync, of the kind already in it: a fence signalled if
 *	@initial != 0, a timeline at value @initial.
 * @finish: release the permanent payload (the temporary is gone).
 * @reset: unsignal a fence, or a binary semaphore (the side effect of a
 *	copy-transference export); the temporary is gone.
 * @signal: host signal of a timeline to @value (vkSignalSemaphore).
 * @get_value: a timeline's current value.
 * @status: a fence's state: VK_SUCCESS, VK_NOT_READY or
 *	VK_ERROR_DEVICE_LOST (vkGetFenceStatus).
 * @wait: host wait for all (@wait_all) or any of @count payloads of one
 *	kind, fences or timelines, @timeout ns relative (vkWaitForFences,
 *	vkWaitSemaphores).
 * @check_import: optional; refuse (reporting @vuid) an import of @handle
 *	with or without the TEMPORARY flag (@temporary_flag);
 *	@handle_type is the application's value, for the message.
 * @import_permanent: optional (NULL: no permanent import gets through
 *	@check_import); make @syncobj, just imported, the permanent payload.
 * @export: export the payload in use as @handle into *@fd; a backend
 *	that exports nothing reports @vuid (the command's) and fails.
 * @queue_init, @queue_finish: a queue's backend state.
 * @submit: vkQueueSubmit2 (the device is not lost).
 * @wait_idle: vkQueueWaitIdle (the device is not lost).
 * @device_lost: optional; the device was just lost (no queue lock held,
 *	svk_device_set_lost()): end host waits for work that will now
 *	never be submitted.
 */
struct svk_sync_type {
	const char *name;
	uint32_t exports[SVK_SYNC_KIND_COUNT];
	uint32_t imports[SVK_SYNC_KIND_COUNT];

	VkResult (*check_create)(struct svk_device *dev, enum svk_sync_kind kind,
				 const void *chain);
	VkResult (*init)(struct svk_device *dev, struct svk_sync *sync,
			 uint64_t initial);
	void (*finish)(struct svk_device *dev, struct svk_sync *sync);
	VkResult (*reset)(struct svk_device *dev, struct svk_sync *sync);
	VkResult (*signal)(struct svk_device *dev, struct svk_sync *sync,
			   uint64_t value);
	VkResult (*get_value)(struct svk_device *dev, struct svk_sync *sync,
			      uint64_t *value);
	VkResult (*status)(struct svk_device *dev, struct svk_sync *sync);
	VkResult (*wait)(struct svk_device *dev, const struct svk_sync_wait *waits,
			 uint32_t count, bool wait_all, uint64_t timeout);

	bool (*check_import)(struct svk_device *dev, const char *vuid,
			     enum svk_sync_handle handle, bool temporary_flag,
			     uint32_t handle_type);
	void (*import_permanent)(struct svk_device *dev, struct svk_sync *sync,
				 uint32_t syncobj);
	VkResult (*export)(struct svk_device *dev, struct svk_sync *sync,
			   enum svk_sync_handle handle, int *fd, const char *vuid);

	VkResult (*queue_init)(struct svk_queue *queue);
	void (*queue_finish)(struct svk_queue *queue);
	VkResult (*submit)(struct svk_queue *queue, uint32_t count,
			   const VkSubmitInfo2 *submits, struct svk_fence *fence);
	VkResult (*wait_idle)(struct svk_queue *queue);
	void (*device_lost)(struct svk_device *dev);
};

extern const struct svk_sync_type svk_sync_syncobj;
extern const struct svk_sync_type svk_sync_user_fence;

/* sync.c */

/* The backend of a device with (@user_fence) or without
 * systemAllocatedMemory enabled; capability queries ask the same. */
const struct svk_sync_type *svk_sync_type_select(bool user_fence);

VkResult svk_sync_init(struct svk_device *dev, struct svk_sync *sync,
		       enum svk_sync_kind kind, uint64_t initial);
/* Drops the temporary payload, then the permanent one. */
void svk_sync_finish(struct svk_device *dev, struct svk_sync *sync);
/* vkResetFences for one fence: the temporary payload gives way to the
 * permanent one, which is reset. */
VkResult svk_sync_reset(struct svk_device *dev, struct svk_sync *sync);

/* A host wait (vkWaitForFences, vkWaitSemaphores) for all or any of
 * @count objects, whose i-th payload and value @get gives from @objects. */
VkResult svk_sync_wait_many(struct svk_device *dev, uint32_t count,
			    void (*get)(const void *objects, uint32_t i,
					struct svk_sync_wait *w),
			    const void *objects, bool wait_all, uint64_t timeout);

/* The payload's temporary syncobj: install @syncobj (dropping an older
 * one), take it out (0 if none; the caller owns it), or drop it. */
void svk_sync_set_temporary(struct svk_device *dev, struct svk_sync *sync,
			    uint32_t syncobj);
uint32_t svk_sync_take_temporary(struct svk_device *dev, struct svk_sync *sync);
void svk_sync_drop_temporary(struct svk_device *dev, struct svk_sync *sync);

/* Internal to the syncobj backend (sync_syncobj.c and
 * sync_syncobj_submit.c). */
/* Replace @sync's pending-signal handle by @syncobj (0: none). */
void svk_syncobj_set_pending_signal(struct svk_device *dev,
				    struct svk_sync *sync, uint32_t syncobj);
/* The syncobj in use: the temporary payload if there is one. */
static inline uint32_t
svk_syncobj_current(const struct svk_sync *sync)
{
	return sync->temporary ? sync->temporary : sync->syncobj.handle;
}
bool svk_syncobj_has_deferred(struct svk_device *dev);
VkResult svk_syncobj_queue_init(struct svk_queue *queue);
void svk_syncobj_queue_finish(struct svk_queue *queue);
VkResult svk_syncobj_submit(struct svk_queue *queue, uint32_t count,
			    const VkSubmitInfo2 *submits, struct svk_fence *fence);
VkResult svk_syncobj_wait_idle(struct svk_queue *queue);
void svk_syncobj_device_lost(struct svk_device *dev);

#endif /* SVK_SYNC_H */
