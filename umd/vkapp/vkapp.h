/* SPDX-License-Identifier: MIT */
/*
 * vkapp.h - the Vulkan set-up the programs of this tree that are not IGT
 * tests share (umd/demo/svmgpu-demo and the Vulkan benchmarks in
 * tests/bench): instance creation, picking the physical device of the
 * wanted driver (checked, not just the first one), the device with one
 * queue, a command pool and a fence, VK_EXT_system_allocated_memory
 * enabled on request with its commands loaded, command buffers, and
 * submit-and-wait.
 *
 * Errors are fatal: every function here either succeeds or prints
 * "PROG: error: ..." on stderr and exits, with status 1 when a Vulkan call
 * failed and vkapp_unavailable_status when what the program needs is not
 * there (no driver, no device of the driver, no extension).
 */
#ifndef VKAPP_H
#define VKAPP_H

#include <stdbool.h>
#include <stdint.h>

#include <vulkan/vulkan.h>
#include <vulkan/vulkan_svmgpu.h>

enum vkapp_driver {
	VKAPP_LAVAPIPE,
	VKAPP_SVMGPU,
};

/* The program's name, for messages and VkApplicationInfo. */
extern const char *vkapp_prog;
/* The exit status when the driver, device or extension is missing (2). */
extern int vkapp_unavailable_status;

/* Prints "PROG: error: ..." on stderr and exits with status. */
void vkapp_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* Exits 1 with a message when r is not VK_SUCCESS. */
void vkapp_check(VkResult r, const char *what);

/* "lavapipe" or "svmgpu". */
const char *vkapp_driver_name(enum vkapp_driver driver);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t vkapp_now_ns(void);

/*
 * struct vkapp_device - one device of one driver with one queue.
 * @tag: prefix of the "info" lines printed on stdout, or NULL for none.
 * @driver, @instance, @physical_device, @queue_family:
 *	vkapp_physical_device_init().
 * @device, @queue, @command_pool, @fence: vkapp_device_init(); the fence is
 *	the one vkapp_submit_wait() uses, unsignalled between its calls.
 * @cmd_copy_system_memory, @cmd_fill_system_memory,
 * @cmd_prefetch_system_memory: VK_EXT_system_allocated_memory's commands
 *	when the device was created with it, NULL otherwise.
 */
struct vkapp_device {
	const char *tag;
	enum vkapp_driver driver;
	VkInstance instance;
	VkPhysicalDevice physical_device;
	uint32_t queue_family;
	VkDevice device;
	VkQueue queue;
	VkCommandPool command_pool;
	VkFence fence;
	PFN_vkCmdCopySystemMemoryEXT cmd_copy_system_memory;
	PFN_vkCmdFillSystemMemoryEXT cmd_fill_system_memory;
	PFN_vkCmdPrefetchSystemMemoryEXT cmd_prefetch_system_memory;
};

/*
 * Creates a Vulkan 1.2 instance and picks its first physical device that
 * belongs to driver, checked by its VkPhysicalDeviceDriverProperties
 * (lavapipe: VK_DRIVER_ID_MESA_LLVMPIPE, a CPU device named "llvmpipe
 * ..."; svmgpu: driverName "svmgpu", a virtual GPU named "svmgpu ..."),
 * and its first queue family that can run transfer commands. With a tag,
 * every physical device looked at is printed as an "info" line.
 */
void vkapp_physical_device_init(struct vkapp_device *d,
				enum vkapp_driver driver, const char *tag);

/*
 * Creates the device of vkapp_physical_device_init()'s physical device
 * with one queue, a command pool and a fence. With svm, the device must
 * advertise VK_EXT_system_allocated_memory and VK_EXT_device_fault; both
 * are enabled with the features systemAllocatedMemory,
 * systemAllocatedMemoryAddressCommands, timelineSemaphore and
 * bufferDeviceAddress, and the extension's commands are loaded. With a
 * tag, prints "info TAG driver NAME, queue family N" first (with
 * ", systemAllocatedMemory enabled" when svm).
 */
void vkapp_device_init(struct vkapp_device *d, bool svm);

/* Destroys what the two init functions created; command buffers of the
 * pool go with it. */
void vkapp_device_finish(struct vkapp_device *d);

/* A primary command buffer of the pool, begun (reusable: no
 * ONE_TIME_SUBMIT). */
VkCommandBuffer vkapp_begin_command_buffer(struct vkapp_device *d);

/*
 * Records into cmd a vkCmdPrefetchSystemMemoryEXT of the 4 KiB pages that
 * [ptr, ptr + size) covers: the extension takes whole multiples of
 * systemMemoryRangeGranularity, which is 4096 on svmgpu.
 */
void vkapp_cmd_prefetch_pages(struct vkapp_device *d, VkCommandBuffer cmd,
			      const void *ptr, uint64_t size);

/*
 * Submits cmd (none when VK_NULL_HANDLE) to the queue with the fence and
 * waits at most timeout_ns for it; returns the time from the submission
 * to the end of the wait in nanoseconds. The fence is reset afterwards,
 * outside the time.
 */
uint64_t vkapp_submit_wait(struct vkapp_device *d, VkCommandBuffer cmd,
			   uint64_t timeout_ns);

#endif
