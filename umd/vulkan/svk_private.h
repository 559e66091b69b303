/* SPDX-License-Identifier: MIT */
/*
 * svk_private.h - the svmgpu Vulkan driver's objects and their helpers.
 *
 * Every Vulkan object starts with struct svk_object_base: the loader's
 * dispatch slot (dispatchable objects only use it, but every object has
 * it so casts are uniform), the VkObjectType and the debug-utils name.
 * Handles are pointers to the objects; SVK_DEFINE_HANDLE_CASTS() makes
 * the typed casts and checks at compile time that the base is at offset 0.
 *
 * Kernel-facing calls go through svk_winsys.c only (the svk_ws_* ops).
 */
#ifndef SVK_PRIVATE_H
#define SVK_PRIVATE_H

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <vulkan/vulkan_core.h>
#include <vulkan/vk_icd.h>

#include "svmgpu.h"
#include "svk_entrypoints.h"

/* The Vulkan version the driver reports (VkPhysicalDeviceProperties). */
#define SVK_API_VERSION		VK_MAKE_API_VERSION(0, 1, 2, VK_HEADER_VERSION)
#define SVK_DRIVER_VERSION	VK_MAKE_VERSION(0, 1, 0)
/* The loader-driver interface version we implement (vk_icd.h). */
#define SVK_ICD_INTERFACE_VERSION 7

#define SVK_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SVK_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SVK_ALIGN(v, a) (((v) + (a) - 1) & ~((uint64_t)(a) - 1))
#define SVK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Objects (svk_object.c) */

/**
 * struct svk_object_base - the first member of every Vulkan object.
 * @loader_data: the loader's dispatch pointer; ICD_LOADER_MAGIC until the
 *	loader replaces it (dispatchable objects, vk_icd.h).
 * @type: the object's VkObjectType.
 * @name: the debug-utils name (vkSetDebugUtilsObjectNameEXT), or NULL.
 */
struct svk_object_base {
	VK_LOADER_DATA loader_data;
	VkObjectType type;
	char *name;
};

void svk_object_init(struct svk_object_base *base, VkObjectType type);
void svk_object_finish(struct svk_object_base *base,
		       const VkAllocationCallbacks *alloc);

#define SVK_DEFINE_HANDLE_CASTS(T, vk_handle, vk_type)		\
	static_assert(offsetof(struct T, base) == 0,			\
		      #T " must start with its base");		\
	static inline struct T *T##_from_handle(vk_handle h)	\
	{								\
		struct T *o = (struct T *)(uintptr_t)h;		\
		assert(!o || o->base.type == (vk_type));		\
		return o;						\
	}								\
	static inline vk_handle T##_to_handle(struct T *o)	\
	{								\
		return (vk_handle)(uintptr_t)o;				\
	}

#define SVK_FROM_HANDLE(T, name, h) struct T *name = T##_from_handle(h)

/* ------------------------------------------------------------------ */
/* Allocation (svk_alloc.c) */

extern const VkAllocationCallbacks svk_default_alloc;

void *svk_alloc(const VkAllocationCallbacks *alloc, size_t size,
		VkSystemAllocationScope scope);
void *svk_zalloc(const VkAllocationCallbacks *alloc, size_t size,
		 VkSystemAllocationScope scope);
void svk_free(const VkAllocationCallbacks *alloc, void *ptr);
char *svk_strdup(const VkAllocationCallbacks *alloc, const char *s,
		 VkSystemAllocationScope scope);
/* svk_alloc2 - allocate with the object's own callbacks if given, else the
 * parent's (Vulkan spec 11.1 "Host Memory"). */
void *svk_zalloc2(const VkAllocationCallbacks *parent,
		  const VkAllocationCallbacks *alloc, size_t size,
		  VkSystemAllocationScope scope);
void svk_free2(const VkAllocationCallbacks *parent,
	       const VkAllocationCallbacks *alloc, void *ptr);

void svk_report_unimplemented(const char *command);
/* svk_find_struct - first struct of @type in a pNext chain, or NULL. */
const void *svk_find_struct(const void *chain, VkStructureType type);

/* ------------------------------------------------------------------ */
/* Kernel-facing layer (svk_winsys.c): every libsvmgpu call lives there. */

VkResult svk_ws_result(int err, VkResult fallback);
int svk_ws_device_count(void);
VkResult svk_ws_device_open(unsigned int index, struct svmgpu_device **dev,
			    const struct svmgpu_device_info **info,
			    uint64_t *features);
void svk_ws_device_close(struct svmgpu_device *dev);
VkResult svk_ws_bo_create(struct svmgpu_device *dev, uint64_t size,
			  struct svmgpu_bo **bo, void **map);
void svk_ws_bo_destroy(struct svmgpu_bo *bo);
VkResult svk_ws_vm_create(struct svmgpu_device *dev, struct svmgpu_vm **vm);
void svk_ws_vm_destroy(struct svmgpu_vm *vm);
VkResult svk_ws_vm_map(struct svmgpu_vm *vm, struct svmgpu_bo *bo,
		       uint64_t va, uint64_t size);
void svk_ws_vm_unmap(struct svmgpu_vm *vm, uint64_t va, uint64_t size);
VkResult svk_ws_queue_create(struct svmgpu_vm *vm, uint32_t engine,
			     struct svmgpu_queue **queue);
void svk_ws_queue_destroy(struct svmgpu_queue *queue);
bool svk_ws_queue_lost(struct svmgpu_queue *queue);
VkResult svk_ws_exec(struct svmgpu_queue *queue, uint64_t batch,
		     uint64_t size, const struct svmgpu_sync *waits,
		     uint32_t num_waits, const struct svmgpu_sync *signals,
		     uint32_t num_signals);
VkResult svk_ws_syncobj_create(struct svmgpu_device *dev, bool signaled,
			       uint32_t *handle);
void svk_ws_syncobj_destroy(struct svmgpu_device *dev, uint32_t handle);
VkResult svk_ws_syncobj_reset(struct svmgpu_device *dev, uint32_t handle);
VkResult svk_ws_syncobj_signal(struct svmgpu_device *dev, uint32_t handle,
			       uint64_t point);
VkResult svk_ws_syncobj_query(struct svmgpu_device *dev, uint32_t handle,
			      uint64_t *point);
/* Returns VK_SUCCESS, VK_TIMEOUT or an error; @abs_timeout_ns is absolute
 * CLOCK_MONOTONIC as the Vulkan waits are relative: converted by callers. */
VkResult svk_ws_syncobj_wait(struct svmgpu_device *dev, const uint32_t *handles,
			     const uint64_t *points, uint32_t count,
			     uint64_t timeout_ns, bool wait_all);
/* 1 if signalled, 0 if not, negative on error */
int svk_ws_syncobj_signaled(struct svmgpu_device *dev, uint32_t handle,
			    uint64_t point);
/* Wait until syncobjs (points; 0: binary) have a fence, signalled or not:
 * their signal operation was queued to the kernel or done by the host.
 * VK_SUCCESS, VK_TIMEOUT (@timeout_ns relative) or an error. */
VkResult svk_ws_syncobj_wait_submitted(struct svmgpu_device *dev,
				       const uint32_t *handles,
				       const uint64_t *points, uint32_t count,
				       uint64_t timeout_ns, bool wait_all);
/* A second handle @copy of the same syncobj as @handle (its own
 * reference: the syncobj lives until both are destroyed). */
VkResult svk_ws_syncobj_share(struct svmgpu_device *dev, uint32_t handle,
			      uint32_t *copy);
/* Give binary syncobj @dst the current fence of binary syncobj @src;
 * VK_NOT_READY if @src has none. */
VkResult svk_ws_syncobj_copy_fence(struct svmgpu_device *dev, uint32_t dst,
				   uint32_t src);
/* @map: (out, optional) the BO's CPU mapping */
VkResult svk_ws_bo_import(struct svmgpu_device *dev, int fd,
			  struct svmgpu_bo **bo, uint64_t *size, void **map);
VkResult svk_ws_bo_export(struct svmgpu_bo *bo, int *fd);
VkResult svk_ws_vm_map_userptr(struct svmgpu_vm *vm, const void *ptr,
			       uint64_t va, uint64_t size);
VkResult svk_ws_syncobj_export_sync_file(struct svmgpu_device *dev,
					 uint32_t handle, int *fd);
VkResult svk_ws_syncobj_import_sync_file(struct svmgpu_device *dev,
					 uint32_t handle, int fd);
VkResult svk_ws_syncobj_export_fd(struct svmgpu_device *dev, uint32_t handle,
				  int *fd);
VkResult svk_ws_syncobj_import_fd(struct svmgpu_device *dev, int fd,
				  uint32_t *handle);
VkResult svk_ws_cmdbuf_create(struct svmgpu_bo *bo, uint64_t size,
			      uint64_t va, struct svmgpu_cmdbuf **cmdbuf);
/* fault-mode VMs, user fences, queue state: negative errno or 0 */
int svk_ws_vm_create_fault(struct svmgpu_device *dev, struct svmgpu_vm **vm);
int svk_ws_vm_mirror(struct svmgpu_vm *vm, uint64_t va, uint64_t size);
int svk_ws_vm_prefetch(struct svmgpu_vm *vm, uint64_t va, uint64_t size);
int svk_ws_vm_set_attrs(struct svmgpu_vm *vm, uint64_t start, uint64_t size,
			const struct svmgpu_vm_attr *attrs, uint32_t count);
int svk_ws_vm_get_attrs(struct svmgpu_vm *vm, uint64_t start, uint64_t size,
			struct svmgpu_vm_attr *attrs, uint32_t count);
/* a raw batch job with WAIT syncobjs (allowed on fault-mode queues, SIGNAL
 * is not) */
int svk_ws_exec_raw_waits(struct svmgpu_queue *queue, uint64_t batch,
			  uint64_t size, const struct svmgpu_sync *waits,
			  uint32_t num_waits);
int svk_ws_user_fence_wait(struct svmgpu_device *dev,
			   const volatile uint64_t *addr, uint64_t value,
			   struct svmgpu_queue *queue, int64_t *timeout_ns);
int svk_ws_user_fence_wake(struct svmgpu_device *dev);
int svk_ws_queue_state(struct svmgpu_queue *queue,
		       struct svmgpu_queue_state *st);
int svk_ws_cmdbuf_create_at(struct svmgpu_bo *bo, uint64_t offset,
			    uint64_t size, uint64_t va,
			    struct svmgpu_cmdbuf **cmdbuf);

/* ------------------------------------------------------------------ */
/* Instance (instance.c), debug utils (debug_utils.c) */

struct svk_physical_device;

struct svk_instance {
	struct svk_object_base base;
	VkAllocationCallbacks alloc;
	uint32_t api_version;
	struct svk_extension_set enabled;
	pthread_mutex_t lock;	/* protects @messengers and @physical_devices_done */
	struct svk_debug_messenger *messengers;
	bool physical_devices_done;
	VkResult physical_devices_result;
	uint32_t physical_device_count;
	struct svk_physical_device *physical_devices;
};
SVK_DEFINE_HANDLE_CASTS(svk_instance, VkInstance, VK_OBJECT_TYPE_INSTANCE)

struct svk_debug_messenger {
	struct svk_object_base base;
	struct svk_debug_messenger *next;
	VkDebugUtilsMessageSeverityFlagsEXT severity;
	VkDebugUtilsMessageTypeFlagsEXT types;
	PFN_vkDebugUtilsMessengerCallbackEXT callback;
	void *user_data;
};
SVK_DEFINE_HANDLE_CASTS(svk_debug_messenger, VkDebugUtilsMessengerEXT,
			VK_OBJECT_TYPE_DEBUG_UTILS_MESSENGER_EXT)

void svk_debug_message(struct svk_instance *instance,
		       VkDebugUtilsMessageSeverityFlagBitsEXT severity,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

bool svk_entrypoint_visible(const struct svk_entrypoint *e, uint32_t version,
			    const struct svk_extension_set *instance_exts,
			    const struct svk_extension_set *device_exts);

/* ------------------------------------------------------------------ */
/* Physical devices (physical_device.c) */

#define SVK_MAX_QUEUE_FAMILIES 8

struct svk_physical_device {
	struct svk_object_base base;
	struct svk_instance *instance;
	unsigned int index;		/* libsvmgpu device index */
	struct svmgpu_device *ws;	/* kept open for queries */
	const struct svmgpu_device_info *info;
	uint64_t kernel_features;
	uint32_t queue_family_count;	/* one family per engine */
	uint64_t heap_size;
	struct svk_extension_set supported;
	uint8_t device_uuid[VK_UUID_SIZE];
	uint8_t driver_uuid[VK_UUID_SIZE];
	uint8_t cache_uuid[VK_UUID_SIZE];
};
SVK_DEFINE_HANDLE_CASTS(svk_physical_device, VkPhysicalDevice,
			VK_OBJECT_TYPE_PHYSICAL_DEVICE)

VkResult svk_physical_device_init(struct svk_instance *instance,
				  struct svk_physical_device *pdev,
				  unsigned int index);
void svk_physical_device_finish(struct svk_physical_device *pdev);
/* VK_ERROR_FEATURE_NOT_PRESENT if @info enables a feature the driver does
 * not support (the table of physical_device.c; VK_EXT_system_allocated_
 * memory's features are checked by svm.c) */
VkResult svk_physical_device_check_features(const VkDeviceCreateInfo *info);

/* ------------------------------------------------------------------ */
/* Devices (device.c), VA allocation (svk_va.c), queues (queue.c) */

struct svk_va_range {
	uint64_t start, size;
	struct svk_va_range *next;
};

struct svk_va_heap {
	pthread_mutex_t lock;	/* protects @free */
	struct svk_va_range *free;	/* sorted by address, coalesced */
};

VkResult svk_va_heap_init(struct svk_va_heap *heap, uint64_t start,
			  uint64_t end);
void svk_va_heap_finish(struct svk_va_heap *heap);
/* fixed != 0: allocate exactly there (capture/replay) */
VkResult svk_va_alloc(struct svk_va_heap *heap, uint64_t size, uint64_t align,
		      uint64_t fixed, uint64_t *va);
void svk_va_free(struct svk_va_heap *heap, uint64_t va, uint64_t size);

struct svk_queue;

struct svk_device {
	struct svk_object_base base;
	VkAllocationCallbacks alloc;
	struct svk_physical_device *pdev;
	struct svk_extension_set enabled;
	struct svmgpu_device *ws;	/* the device's own DRM file */
	struct svmgpu_vm *vm;		/* one VM per VkDevice */
	struct svk_va_heap va;
	bool buffer_device_address_replay;
	uint32_t queue_count;
	struct svk_queue **queues;
	bool lost;		/* atomic: the submit threads set it too */
	/* the sync backend (sync.h), chosen at vkCreateDevice */
	const struct svk_sync_type *sync;
	/* protects the payload bookkeeping of the device's fences and
	 * semaphores (struct svk_sync): temporary payloads, pending-signal
	 * handles, user-fence values; not the memory the GPU writes */
	pthread_mutex_t sync_lock;
	/* VK_EXT_system_allocated_memory enabled: the fault-mode state, else NULL */
	struct svk_svm_device *svm;
};
SVK_DEFINE_HANDLE_CASTS(svk_device, VkDevice, VK_OBJECT_TYPE_DEVICE)

/* svk_device_set_lost - mark @dev lost (any thread); the first time,
 * tells the sync backend (svk_sync_type.device_lost: on the syncobj
 * backend, called with no queue lock held, the submit threads signal
 * what their deferred submissions would have); returns
 * VK_ERROR_DEVICE_LOST. svk_device_is_lost - whether it is. */
VkResult svk_device_set_lost(struct svk_device *dev, const char *why);

static inline bool
svk_device_is_lost(const struct svk_device *dev)
{
	return __atomic_load_n(&dev->lost, __ATOMIC_ACQUIRE);
}

struct svk_submit;

/*
 * struct svk_queue - a VkQueue.
 *
 * Wait-before-signal (syncobj backend, sync_syncobj_submit.c): a submission whose
 * waits are not all materialised (a timeline point, or a binary payload,
 * without a fence yet) goes on @deferred, processed in order by the
 * queue's submit thread (started on first need, stopped by
 * vkDestroyDevice). Whenever @deferred is non-empty every later
 * submission of the queue goes there too, so none overtakes.
 *
 * @lock protects @deferred, @deferred_tail and the @thread_* members, and
 * serialises kernel submission: vkQueueSubmit submits directly only while
 * holding it with @deferred empty; the thread submits the head of
 * @deferred without it and unlinks the head afterwards (under it), so at
 * most one of them submits at a time and order is kept.
 * @cond (with @lock) is broadcast when a submission is added (the thread
 * waits for work), when one leaves @deferred (vkQueueWaitIdle drains),
 * when the thread must stop, and when the device is lost.
 */
struct svk_queue {
	struct svk_object_base base;
	struct svk_device *device;
	uint32_t family;
	uint32_t index;
	VkDeviceQueueCreateFlags flags;
	struct svmgpu_queue *ws;
	/* protects the deferred list and the thread's state, and serialises
	 * submission to the kernel (docs/vulkan.md, "the submit thread");
	 * @cond, with it: a submission joined or left the list, stop */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint32_t last;		/* syncobj: signalled by the latest job */
	bool has_last;
	struct svk_submit *deferred;	/* oldest first */
	struct svk_submit **deferred_tail;
	bool thread_started;
	bool thread_stop;
	pthread_t thread;
	/* binary syncobj signalled by vkDestroyDevice to end the thread's
	 * kernel wait; 0 until the thread starts */
	uint32_t thread_wake;
	/* a batch of one END, for submissions without command buffers */
	struct svmgpu_bo *empty_bo;
	uint64_t empty_va;
	struct svk_svm_queue *svm;	/* user-fence backend state, else NULL */
};
SVK_DEFINE_HANDLE_CASTS(svk_queue, VkQueue, VK_OBJECT_TYPE_QUEUE)

VkResult svk_queue_init(struct svk_device *dev, struct svk_queue *queue,
			const VkDeviceQueueCreateInfo *info, uint32_t index);
void svk_queue_finish(struct svk_queue *queue);

/* ------------------------------------------------------------------ */
/* Memory (device_memory.c), buffers (buffer.c) */

struct svk_device_memory {
	struct svk_object_base base;
	struct svmgpu_bo *bo;
	uint64_t size;		/* the BO's size */
	uint64_t va;		/* GPU VA of its first byte in the device's VM */
	void *map;		/* CPU mapping of the whole BO */
	bool mapped;		/* between vkMapMemory and vkUnmapMemory */
	void *host_ptr;		/* imported host memory (no BO), or NULL */
};
SVK_DEFINE_HANDLE_CASTS(svk_device_memory, VkDeviceMemory,
			VK_OBJECT_TYPE_DEVICE_MEMORY)

struct svk_buffer {
	struct svk_object_base base;
	VkDeviceSize size;
	VkBufferUsageFlags usage;
	VkBufferCreateFlags flags;
	uint64_t va;		/* 0 until bound */
};
SVK_DEFINE_HANDLE_CASTS(svk_buffer, VkBuffer, VK_OBJECT_TYPE_BUFFER)

/* ------------------------------------------------------------------ */
/* Command pools and buffers (cmd_pool.c, cmd_buffer.c, cmd_copy.c) */

#define SVK_BATCH_CHUNK_SIZE (64u * 1024u)

struct svk_cmd_pool {
	struct svk_object_base base;
	VkAllocationCallbacks alloc;
	uint32_t family;
	VkCommandPoolCreateFlags flags;
	struct svk_cmd_buffer *buffers;	/* list of allocated buffers */
};
SVK_DEFINE_HANDLE_CASTS(svk_cmd_pool, VkCommandPool, VK_OBJECT_TYPE_COMMAND_POOL)

/*
 * One GEM-backed batch of a command buffer, submitted as one job; or, with
 * @secondary set (and no BO), the place where vkCmdExecuteCommands put a
 * secondary command buffer, whose batches run there.
 */
struct svk_batch_chunk {
	struct svk_batch_chunk *next;
	struct svk_cmd_buffer *secondary;
	struct svmgpu_bo *bo;
	uint64_t va;
	struct svmgpu_cmdbuf *cmd;
};

enum svk_cmd_state {
	SVK_CMD_INITIAL,
	SVK_CMD_RECORDING,
	SVK_CMD_EXECUTABLE,
	SVK_CMD_INVALID,
};

struct svk_cmd_buffer {
	struct svk_object_base base;
	struct svk_device *device;
	struct svk_cmd_pool *pool;
	struct svk_cmd_buffer *pool_next, *pool_prev;
	VkCommandBufferLevel level;
	VkCommandBufferUsageFlags usage;
	enum svk_cmd_state state;
	VkResult record_result;	/* first error while recording */
	struct svk_batch_chunk *chunks, *chunks_tail;
	struct svk_batch_chunk *cur;	/* the chunk being written */
	uint32_t chunk_count;
	/* vkCmdPrefetchSystemMemoryEXT ranges, done at submission (cmd_svm.c) */
	struct svk_svm_range *prefetch;
	uint32_t prefetch_count, prefetch_cap;
};
SVK_DEFINE_HANDLE_CASTS(svk_cmd_buffer, VkCommandBuffer,
			VK_OBJECT_TYPE_COMMAND_BUFFER)

void svk_cmd_buffer_destroy(struct svk_cmd_buffer *cmd);
/* svk_cmd_chunk - the batch being written, or NULL after an error;
 * svk_cmd_retry - after an emit failed with @err: true if the next chunk
 * was opened (emit again), false if recording failed (record_result). */
struct svmgpu_cmdbuf *svk_cmd_chunk(struct svk_cmd_buffer *cmd);
bool svk_cmd_retry(struct svk_cmd_buffer *cmd, int err);
/* Call @fn on every non-empty batch of @cmd in execution order (through
 * executed secondaries); stops at, and returns, the first error. */
VkResult svk_cmd_for_each_batch(struct svk_cmd_buffer *cmd,
				VkResult (*fn)(void *data, uint64_t addr,
					       uint64_t size),
				void *data);

/* ------------------------------------------------------------------ */
/* Synchronisation (fence.c, semaphore.c; the sync layer: sync.h) */

/* Fences and semaphores are payloads of the device's sync backend (DRM
 * syncobjs, or user fences on a device with systemAllocatedMemory:
 * svk_svm.h). */
#include "svk_svm.h"
#include "sync.h"

struct svk_fence {
	struct svk_object_base base;
	struct svk_sync sync;	/* kind SVK_SYNC_FENCE */
};
SVK_DEFINE_HANDLE_CASTS(svk_fence, VkFence, VK_OBJECT_TYPE_FENCE)

struct svk_semaphore {
	struct svk_object_base base;
	struct svk_sync sync;	/* kind SVK_SYNC_BINARY or SVK_SYNC_TIMELINE */
};
SVK_DEFINE_HANDLE_CASTS(svk_semaphore, VkSemaphore, VK_OBJECT_TYPE_SEMAPHORE)

/* ------------------------------------------------------------------ */
/* External memory, fences and semaphores (external_memory.c,
 * external_sync.c) */

/* svk_memory_import - the import structure of @info (dma-buf/opaque fd
 * or host pointer), if any, in @mem: its BO and CPU mapping or host
 * pointer, and its size. VK_SUCCESS with nothing done without one. */
VkResult svk_memory_import(struct svk_device *dev,
			   const VkMemoryAllocateInfo *info,
			   struct svk_device_memory *mem);
/* svk_memory_import_done - the allocation succeeded: the driver now owns
 * the imported file descriptor, if any, and closes it. */
void svk_memory_import_done(const VkMemoryAllocateInfo *info);


/* ------------------------------------------------------------------ */
/* Events (event.c) and query pools (query_pool.c) */

/* A GPU-visible allocation of the device: a BO mapped for the CPU and in
 * the device's VM (svk_gpu_alloc in device_memory.c). */
struct svk_gpu_alloc {
	struct svmgpu_bo *bo;
	uint64_t size;
	uint64_t va;
	void *map;
};

VkResult svk_gpu_alloc_init(struct svk_device *dev, uint64_t size,
			    struct svk_gpu_alloc *a);
void svk_gpu_alloc_finish(struct svk_device *dev, struct svk_gpu_alloc *a);

struct svk_event {
	struct svk_object_base base;
	struct svk_gpu_alloc mem;	/* one uint32_t: 1 set, 0 reset */
};
SVK_DEFINE_HANDLE_CASTS(svk_event, VkEvent, VK_OBJECT_TYPE_EVENT)

/* A query's slot: the value, then its availability (0 or 1). */
struct svk_query_slot {
	uint64_t value;
	uint64_t available;
};

struct svk_query_pool {
	struct svk_object_base base;
	VkQueryType type;
	uint32_t count;
	struct svk_gpu_alloc mem;	/* count slots */
};
SVK_DEFINE_HANDLE_CASTS(svk_query_pool, VkQueryPool, VK_OBJECT_TYPE_QUERY_POOL)

/* Emit with a retry on a fresh chunk when the current one is full. */
#define SVK_EMIT(cmd, call_with_cb)					\
	do {								\
		struct svmgpu_cmdbuf *cb;				\
		int err_;						\
		while ((cb = svk_cmd_chunk(cmd))) {			\
			err_ = call_with_cb;				\
			if (!err_ || !svk_cmd_retry(cmd, err_))		\
				break;					\
		}							\
	} while (0)

#endif /* SVK_PRIVATE_H */
