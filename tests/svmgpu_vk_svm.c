// SPDX-License-Identifier: MIT
/*
 * svmgpu_vk_svm - the Vulkan ICD's VK_EXT_system_allocated_memory
 * (docs/VK_EXT_system_allocated_memory.md) and VK_EXT_device_fault:
 * transfer commands on malloc'd, mmap'd (anonymous and file), stack
 * memory; device memory whose address is its host pointer; prefetch;
 * range attributes; fences and semaphores on user fences; device loss
 * with fault info after munmap and mprotect; external synchronization
 * (sync files imported temporarily into fences and binary semaphores,
 * from vgem fences the test signals; refused imports and exports; the
 * capability queries with and without the extension's features struct)
 * and external memory (vgem dma-bufs imported at their CPU address,
 * dma-buf export, host pointers) on such a device. Every subtest runs on
 * a fresh VkDevice with the validation layer (tests/lib/igt_vk.h) and
 * fails on any validation or driver error or warning it does not expect.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <vulkan/vulkan.h>
#include <vulkan/vulkan_svmgpu.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_vgem.h"
#include "igt_vk.h"
#include "svmgpu_drm.h"

IGT_TEST_DESCRIPTION("Vulkan VK_EXT_system_allocated_memory and VK_EXT_device_fault on svmgpu.");

#define NO_FAULT_MODE_REASON \
	"kernel has no DRM_SVMGPU_FEATURE_FAULT_MODE: VK_EXT_system_allocated_memory is not advertised\n"

struct ctx {
	struct igt_vk_device d;
	VkQueue queue2;		/* another family, or NULL */
	VkCommandPool pool2;	/* queue2's family */
	PFN_vkCmdCopySystemMemoryEXT copy;
	PFN_vkCmdFillSystemMemoryEXT fill;
	PFN_vkCmdUpdateSystemMemoryEXT update;
	PFN_vkCmdPrefetchSystemMemoryEXT prefetch;
	PFN_vkSetSystemMemoryAttributesEXT set_attrs;
	PFN_vkGetSystemMemoryAttributesEXT get_attrs;
	PFN_vkGetDeviceFaultInfoEXT fault_info;
};

static struct igt_vk vk;

/*
 * After a device loss: the driver's own "device lost" message, and the
 * validation layer's "in use" errors for the fence and command buffer of
 * the lost submission, which it still tracks as pending although the
 * spec lets a lost device's objects be destroyed.
 */
static const char *const lost_expect[] = { "device lost", "is in use", NULL };

static bool have_ext;

/* The external memory and synchronization extensions (ctx_init_exts()). */
/* a fence's sync_file import, and vkQueueSubmit2KHR */
static const char *const sync2_fence_exts[] = {
	VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME,
	VK_KHR_SYNCHRONIZATION_2_EXTENSION_NAME,
};

static const char *const external_exts[] = {
	VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME,
	VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME,
	VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME,
	VK_EXT_EXTERNAL_MEMORY_DMA_BUF_EXTENSION_NAME,
	VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
};
#define NUM_EXTERNAL_EXTS (sizeof(external_exts) / sizeof(external_exts[0]))

/* A device with every systemAllocatedMemory feature and @extra_count
 * more extensions. */
static void
ctx_init_exts(struct ctx *c, const char *const *extra, uint32_t extra_count)
{
	const char *exts[2 + NUM_EXTERNAL_EXTS] = {
		VK_EXT_SYSTEM_ALLOCATED_MEMORY_EXTENSION_NAME,
		VK_EXT_DEVICE_FAULT_EXTENSION_NAME,
	};
	float prio = 1.0f;
	VkDeviceQueueCreateInfo qci[2] = {
		{ .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		  .queueFamilyIndex = 0, .queueCount = 1, .pQueuePriorities = &prio },
		{ .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		  .queueFamilyIndex = 1, .queueCount = 1, .pQueuePriorities = &prio },
	};
	VkPhysicalDeviceSynchronization2Features sync2 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYNCHRONIZATION_2_FEATURES,
		.synchronization2 = VK_TRUE,
	};
	VkPhysicalDeviceFaultFeaturesEXT fault = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FAULT_FEATURES_EXT,
		.deviceFault = VK_TRUE,
	};
	VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT sam = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT,
		.pNext = &fault,
		.systemAllocatedMemory = VK_TRUE,
		.systemAllocatedMemoryConcurrentAccess = VK_TRUE,
		.systemAllocatedMemoryAtomics = VK_TRUE,
		.systemAllocatedMemoryAddressCommands = VK_TRUE,
		.systemAllocatedMemoryRangeAttributes = VK_TRUE,
	};
	VkPhysicalDeviceVulkan12Features f12 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
		.pNext = &sam,
		.timelineSemaphore = VK_TRUE,
		.bufferDeviceAddress = VK_TRUE,
	};
	uint32_t nfam = 0, i;
	struct igt_vk_device_info info = {
		.next = &f12,
		.exts = exts,
		.ext_count = 2 + extra_count,
		.queues = qci,
		.queue_count = 1,
	};
	VkCommandPoolCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
		.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
		.queueFamilyIndex = 1,
	};

	igt_require_f(have_ext, NO_FAULT_MODE_REASON);
	igt_assert(extra_count <= NUM_EXTERNAL_EXTS);
	memcpy(exts + 2, extra, extra_count * sizeof(*extra));
	/* VK_KHR_synchronization2 among @extra: its feature too */
	for (i = 0; i < extra_count; i++)
		if (!strcmp(extra[i], VK_KHR_SYNCHRONIZATION_2_EXTENSION_NAME))
			fault.pNext = &sync2;
	memset(c, 0, sizeof(*c));
	vkGetPhysicalDeviceQueueFamilyProperties(vk.pdev, &nfam, NULL);
	if (nfam > 1)
		info.queue_count = 2;
	igt_vk_device_create(&c->d, &vk, &info);
	if (nfam > 1)
		vkGetDeviceQueue(c->d.device, 1, 0, &c->queue2);
	if (c->queue2)
		igt_assert_eq(vkCreateCommandPool(c->d.device, &pci, NULL, &c->pool2), VK_SUCCESS);
#define GET(f, n) c->f = (void *)igt_vk_proc(&c->d, n)
	GET(copy, "vkCmdCopySystemMemoryEXT");
	GET(fill, "vkCmdFillSystemMemoryEXT");
	GET(update, "vkCmdUpdateSystemMemoryEXT");
	GET(prefetch, "vkCmdPrefetchSystemMemoryEXT");
	GET(set_attrs, "vkSetSystemMemoryAttributesEXT");
	GET(get_attrs, "vkGetSystemMemoryAttributesEXT");
	GET(fault_info, "vkGetDeviceFaultInfoEXT");
#undef GET
}

static void
ctx_init(struct ctx *c)
{
	ctx_init_exts(c, NULL, 0);
}

static void
ctx_fini(struct ctx *c)
{
	if (!c->d.device)
		return;
	if (c->pool2)
		vkDestroyCommandPool(c->d.device, c->pool2, NULL);
	c->pool2 = VK_NULL_HANDLE;
	igt_vk_device_destroy(&c->d);
}

static VkCommandBuffer
begin_in(struct ctx *c, VkCommandPool pool)
{
	return igt_vk_cmd_begin(&c->d, pool);
}

static VkCommandBuffer
begin(struct ctx *c)
{
	return igt_vk_cmd_begin(&c->d, VK_NULL_HANDLE);
}

/* End, submit on @q with a fence, wait; returns the wait's result. */
static VkResult
submit_wait(struct ctx *c, VkQueue q, VkCommandBuffer cb)
{
	return __igt_vk_submit_wait(&c->d, q, cb, 30ull * 1000000000);
}

#define ADDR(p) ((VkDeviceAddress)(uintptr_t)(p))

static void
fill_pattern(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + seed);
}

/* copy src -> dst (any alignment), fill, update; check every byte */
static void
transfer_check(struct ctx *c, uint8_t *src, uint8_t *dst, size_t n)
{
	VkSystemMemoryCopyEXT region = { ADDR(src + 1), ADDR(dst + 3), n - 8 };
	uint32_t upd[16];
	VkCommandBuffer cb;
	size_t i;

	fill_pattern(src, n, 5);
	memset(dst, 0, n);
	for (i = 0; i < 16; i++)
		upd[i] = 0xc0de0000u + i;
	cb = begin(c);
	c->copy(cb, 1, &region);
	c->fill(cb, ADDR(dst + n - 4), 4, 0xa5a5a5a5u);
	igt_assert_eq(submit_wait(c, c->d.queue, cb), VK_SUCCESS);
	for (i = 0; i < n - 8; i++)
		igt_assert_f(dst[3 + i] == src[1 + i], "byte %zu: %#x != %#x\n",
			     i, dst[3 + i], src[1 + i]);
	igt_assert_eq_u32(*(uint32_t *)(dst + n - 4), 0xa5a5a5a5u);

	cb = begin(c);
	c->update(cb, ADDR(dst), sizeof(upd), upd);
	memset(upd, 0, sizeof(upd));	/* the command copied the data */
	igt_assert_eq(submit_wait(c, c->d.queue, cb), VK_SUCCESS);
	for (i = 0; i < 16; i++)
		igt_assert_eq_u32(((uint32_t *)dst)[i], 0xc0de0000u + i);
}

/* A device counter from debugfs "counters" (svmgpu_debugfs.c). */
static uint64_t
debugfs_counter(const char *name)
{
	int fd = __drm_open_driver_render("svmgpu"), dir, f;
	char buf[4096], key[64], *p;
	uint64_t v = UINT64_MAX;
	ssize_t n;

	igt_require(fd >= 0);
	dir = __igt_debugfs_dir_for(fd);
	igt_require_f(dir >= 0, "debugfs not available\n");
	f = openat(dir, "counters", O_RDONLY);
	igt_require_f(f >= 0, "no debugfs counters file\n");
	n = read(f, buf + 1, sizeof(buf) - 2);
	igt_assert(n > 0);
	buf[0] = '\n';
	buf[n + 1] = 0;
	snprintf(key, sizeof(key), "\n%s ", name);
	p = strstr(buf, key);
	igt_assert_f(p, "no %s counter\n", name);
	v = strtoull(p + strlen(key), NULL, 10);
	close(f);
	close(dir);
	drm_close_driver(fd);
	return v;
}

static uint64_t
debugfs_faults(void)
{
	return debugfs_counter("faults");
}

static void
expect_lost_with_fault(struct ctx *c, VkResult r, uint64_t addr, size_t range,
		       VkDeviceFaultAddressTypeEXT type)
{
	VkDeviceFaultCountsEXT counts = { .sType = VK_STRUCTURE_TYPE_DEVICE_FAULT_COUNTS_EXT };
	VkDeviceFaultAddressInfoEXT ai;
	VkDeviceFaultVendorInfoEXT vi;
	VkDeviceFaultInfoEXT info = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_FAULT_INFO_EXT,
		.pAddressInfos = &ai,
		.pVendorInfos = &vi,
	};
	VkCommandBuffer cb;
	VkSubmitInfo si = { .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO };

	igt_assert_eq(r, VK_ERROR_DEVICE_LOST);
	igt_assert_eq(c->fault_info(c->d.device, &counts, NULL), VK_SUCCESS);
	igt_assert_eq_u32(counts.addressInfoCount, 1);
	igt_assert_eq_u32(counts.vendorInfoCount, 1);
	igt_assert_eq(c->fault_info(c->d.device, &counts, &info), VK_SUCCESS);
	igt_info("fault: %s at %#" PRIx64 " type %d code %" PRIu64 " access %" PRIu64 "\n",
		 info.description, ai.reportedAddress, ai.addressType,
		 vi.vendorFaultCode, vi.vendorFaultData);
	igt_assert_eq(ai.addressType, type);
	igt_assert_f(ai.reportedAddress >= addr && ai.reportedAddress < addr + range,
		     "fault address %#" PRIx64 " not in [%#" PRIx64 ", +%zu)\n",
		     ai.reportedAddress, addr, range);
	igt_assert_eq_u64(ai.addressPrecision, 1);
	igt_assert(strstr(info.description, "GPU page fault"));
	/* the device stays lost */
	igt_assert_eq(vkQueueWaitIdle(c->d.queue), VK_ERROR_DEVICE_LOST);
	igt_assert_eq(vkQueueSubmit(c->d.queue, 1, &si, VK_NULL_HANDLE),
		      VK_ERROR_DEVICE_LOST);
	(void)cb;
}

static void
set_access(struct ctx *c, void *p, size_t n, VkSystemMemoryAccessEXT a)
{
	VkSystemMemoryAttributesEXT at = {
		.sType = VK_STRUCTURE_TYPE_SYSTEM_MEMORY_ATTRIBUTES_EXT,
		.attributeMask = VK_SYSTEM_MEMORY_ATTRIBUTE_ACCESS_BIT_EXT,
		.access = a,
	};

	igt_assert_eq(c->set_attrs(c->d.device, ADDR(p), n, &at), VK_SUCCESS);
}

struct signal_arg {
	struct ctx *c;
	VkSemaphore sem;
	uint64_t value;
};

static void *
host_signal_later(void *p)
{
	struct signal_arg *a = p;
	VkSemaphoreSignalInfo si = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
		.semaphore = a->sem,
		.value = a->value,
	};

	usleep(200 * 1000);
	igt_assert_eq(vkSignalSemaphore(a->c->d.device, &si), VK_SUCCESS);
	return NULL;
}

static double
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * Submit @cb on @q waiting for timeline @wait >= @wait_val (none if
 * @wait_val is 0) and signalling @sig_val (none if 0), with @fence;
 * assert the call returned within 5 s.
 */
static void
submit_timed(VkQueue q, VkCommandBuffer cb, VkSemaphore tl, uint64_t wait_val,
	     uint64_t sig_val, VkFence fence)
{
	VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
	VkTimelineSemaphoreSubmitInfo tsi = {
		.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
		.waitSemaphoreValueCount = wait_val ? 1 : 0,
		.pWaitSemaphoreValues = &wait_val,
		.signalSemaphoreValueCount = sig_val ? 1 : 0,
		.pSignalSemaphoreValues = &sig_val,
	};
	VkSubmitInfo si = {
		.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .pNext = &tsi,
		.waitSemaphoreCount = wait_val ? 1 : 0, .pWaitSemaphores = &tl,
		.pWaitDstStageMask = &stage,
		.commandBufferCount = 1, .pCommandBuffers = &cb,
		.signalSemaphoreCount = sig_val ? 1 : 0, .pSignalSemaphores = &tl,
	};
	struct timespec t0;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	igt_assert_eq(vkQueueSubmit(q, 1, &si, fence), VK_SUCCESS);
	ms = elapsed_ms(&t0);
	igt_info("vkQueueSubmit returned after %.1f ms\n", ms);
	igt_assert_f(ms < 5000, "vkQueueSubmit took %.1f ms\n", ms);
}

/* ------------------------------------------------------------------ */
/* External synchronization and memory */

#define EXT_SIZE (4 * 4096)

static bool
fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/* Submit @cb (may be NULL) waiting for binary @wait (may be NULL),
 * signalling binary @signal (may be NULL) and @fence. */
static VkResult
submit_sync(struct ctx *c, VkCommandBuffer cb, VkSemaphore wait,
	    VkSemaphore signal, VkFence fence)
{
	VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
	VkSubmitInfo si = {
		.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
		.waitSemaphoreCount = wait ? 1 : 0,
		.pWaitSemaphores = &wait,
		.pWaitDstStageMask = &stage,
		.commandBufferCount = cb ? 1 : 0,
		.pCommandBuffers = &cb,
		.signalSemaphoreCount = signal ? 1 : 0,
		.pSignalSemaphores = &signal,
	};

	return vkQueueSubmit(c->d.queue, 1, &si, fence);
}

static void
check_semaphore_caps(bool timeline, const void *svm_chain,
		     VkExternalSemaphoreHandleTypeFlagBits type,
		     VkExternalSemaphoreHandleTypeFlags compatible,
		     VkExternalSemaphoreHandleTypeFlags export_from,
		     VkExternalSemaphoreFeatureFlags features)
{
	VkSemaphoreTypeCreateInfo sti = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
		.pNext = svm_chain,
		.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE,
	};
	VkPhysicalDeviceExternalSemaphoreInfo info = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO,
		.pNext = timeline ? (const void *)&sti : svm_chain,
		.handleType = type,
	};
	VkExternalSemaphoreProperties p = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES,
	};

	vkGetPhysicalDeviceExternalSemaphoreProperties(vk.pdev, &info, &p);
	igt_debug("semaphore %s type 0x%x%s: compatible 0x%x from 0x%x features 0x%x\n",
		  timeline ? "timeline" : "binary", type, svm_chain ? " (svm)" : "",
		  p.compatibleHandleTypes, p.exportFromImportedHandleTypes,
		  p.externalSemaphoreFeatures);
	igt_assert_eq_u32(p.compatibleHandleTypes, compatible);
	igt_assert_eq_u32(p.exportFromImportedHandleTypes, export_from);
	igt_assert_eq_u32(p.externalSemaphoreFeatures, features);
}

static void
check_fence_caps(const void *svm_chain, VkExternalFenceHandleTypeFlagBits type,
		 VkExternalFenceHandleTypeFlags compatible,
		 VkExternalFenceHandleTypeFlags export_from,
		 VkExternalFenceFeatureFlags features)
{
	VkPhysicalDeviceExternalFenceInfo info = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_FENCE_INFO,
		.pNext = svm_chain,
		.handleType = type,
	};
	VkExternalFenceProperties p = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_FENCE_PROPERTIES,
	};

	vkGetPhysicalDeviceExternalFenceProperties(vk.pdev, &info, &p);
	igt_debug("fence type 0x%x%s: compatible 0x%x from 0x%x features 0x%x\n",
		  type, svm_chain ? " (svm)" : "", p.compatibleHandleTypes,
		  p.exportFromImportedHandleTypes, p.externalFenceFeatures);
	igt_assert_eq_u32(p.compatibleHandleTypes, compatible);
	igt_assert_eq_u32(p.exportFromImportedHandleTypes, export_from);
	igt_assert_eq_u32(p.externalFenceFeatures, features);
}

static void
check_buffer_caps(VkExternalMemoryHandleTypeFlagBits type,
		  VkExternalMemoryHandleTypeFlags compatible,
		  VkExternalMemoryFeatureFlags features)
{
	VkPhysicalDeviceExternalBufferInfo info = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_BUFFER_INFO,
		.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
		.handleType = type,
	};
	VkExternalBufferProperties p = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_BUFFER_PROPERTIES,
	};

	vkGetPhysicalDeviceExternalBufferProperties(vk.pdev, &info, &p);
	igt_assert_eq_u32(p.externalMemoryProperties.compatibleHandleTypes, compatible);
	igt_assert_eq_u32(p.externalMemoryProperties.externalMemoryFeatures, features);
}

static VkResult
host_pointer_props(struct ctx *c, VkExternalMemoryHandleTypeFlagBits type,
		   const void *ptr, uint32_t *bits)
{
	PFN_vkGetMemoryHostPointerPropertiesEXT get =
		(PFN_vkGetMemoryHostPointerPropertiesEXT)
		igt_vk_proc(&c->d, "vkGetMemoryHostPointerPropertiesEXT");
	VkMemoryHostPointerPropertiesEXT p = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_HOST_POINTER_PROPERTIES_EXT,
	};
	VkResult r = get(c->d.device, type, ptr, &p);

	*bits = p.memoryTypeBits;
	return r;
}

/* Host memory import of EXT_SIZE bytes at @ptr, usable for buffer
 * device addresses. */
static VkResult
import_host(struct ctx *c, VkExternalMemoryHandleTypeFlagBits type, void *ptr,
	    VkDeviceMemory *mem)
{
	VkImportMemoryHostPointerInfoEXT import = {
		.sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_HOST_POINTER_INFO_EXT,
		.handleType = type,
		.pHostPointer = ptr,
	};
	VkMemoryAllocateFlagsInfo flags = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
		.pNext = &import,
		.flags = VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT,
	};

	return igt_vk_memory_alloc(&c->d, EXT_SIZE, &flags, mem);
}

static uint32_t
vgem_bo_create(int vgem, size_t size)
{
	struct drm_mode_create_dumb args = {
		.width = 1024, .height = size / 4096, .bpp = 32,
	};

	do_ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &args);
	igt_assert_eq_u64(args.size, size);
	return args.handle;
}

static void *
vgem_bo_mmap(int vgem, uint32_t handle, size_t size)
{
	struct drm_mode_map_dumb args = { .handle = handle };
	void *p;

	do_ioctl(vgem, DRM_IOCTL_MODE_MAP_DUMB, &args);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vgem, args.offset);
	igt_assert_f(p != MAP_FAILED, "mmap: %s\n", strerror(errno));
	return p;
}

static int
vgem_bo_export(int vgem, uint32_t handle)
{
	struct drm_prime_handle args = {
		.handle = handle, .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1,
	};

	do_ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args);
	igt_assert_lte(0, args.fd);
	return args.fd;
}

static void
fill_words(uint32_t *p, size_t size, uint32_t seed)
{
	size_t i;

	for (i = 0; i < size / 4; i++)
		p[i] = seed + i;
}

static void
check_words(const uint32_t *p, size_t size, uint32_t seed)
{
	size_t i;

	for (i = 0; i < size / 4; i++)
		igt_assert_f(p[i] == seed + i, "word %zu: %#x, expected %#x\n",
			     i, p[i], (uint32_t)(seed + i));
}

static void
check_value(const uint32_t *p, size_t size, uint32_t value)
{
	size_t i;

	for (i = 0; i < size / 4; i++)
		igt_assert_f(p[i] == value, "word %zu: %#x, expected %#x\n",
			     i, p[i], value);
}

enum prefetch_mode {
	PREFETCH_PLAIN,		/* in the command buffer itself */
	PREFETCH_SECONDARY,	/* in a secondary it executes */
	PREFETCH_HOLE,		/* a source range with an unmapped page early on */
};

/*
 * The memory of one attempt, fresh (no GPU mapping yet): a 1 MiB source
 * and destination, no THP (khugepaged stays away), and the range to
 * prefetch for the source: with PREFETCH_HOLE a page, a hole, then the
 * source.
 */
struct prefetch_bufs {
	uint8_t *src, *dst, *pf_start;
	size_t n, pf_size;
};

static void
prefetch_bufs_map(struct prefetch_bufs *b, enum prefetch_mode mode)
{
	uint8_t *region;

	b->n = 1u << 20;
	region = mmap(NULL, b->n + 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b->dst = mmap(NULL, b->n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(region != MAP_FAILED && b->dst != MAP_FAILED);
	igt_assert_eq(munmap(region, 8192), 0);
	b->src = region + 8192;
	b->pf_start = b->src;
	b->pf_size = b->n;
	if (mode == PREFETCH_HOLE) {
		/* the first page back, the second stays a hole */
		igt_assert(mmap(region, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == region);
		b->pf_start = region;
		b->pf_size = b->n + 8192;
	}
	igt_assert(madvise(b->src, b->n, MADV_NOHUGEPAGE) == 0);
	igt_assert(madvise(b->dst, b->n, MADV_NOHUGEPAGE) == 0);
	memset(b->src, 0x3c, b->n);
}

static void
prefetch_bufs_unmap(struct prefetch_bufs *b)
{
	if (b->pf_start != b->src)
		munmap(b->pf_start, 4096);
	munmap(b->src, b->n);
	munmap(b->dst, b->n);
}

/*
 * Prefetch a source and a destination (as @mode says), then copy one to
 * the other in the same submission: the copy must take no GPU fault. The
 * same copy into a fresh mapping without a prefetch must fault (the
 * counter works).
 */
static void
test_prefetch_no_faults(struct ctx *c, enum prefetch_mode mode)
{
	struct prefetch_bufs b;
	VkCommandBuffer cb, sec;
	uint64_t before, after;
	unsigned int attempt;

	ctx_init(c);
	/* warm the driver's own counters (the queue's seq page) */
	cb = begin(c);
	igt_assert_eq(submit_wait(c, c->d.queue, cb), VK_SUCCESS);
	/*
	 * The kernel may invalidate what the prefetch mapped before the
	 * copy runs (compaction migrating a page, ...): the copy then
	 * faults, rightly. An attempt that faulted while invalidations
	 * happened is retried, at most twice, on fresh memory (what the
	 * faulting copy mapped must not help the next attempt); one
	 * without an invalidation must take no fault.
	 */
	for (attempt = 1; ; attempt++) {
		uint64_t inval = debugfs_counter("tlb_invalidations");

		prefetch_bufs_map(&b, mode);
		before = debugfs_faults();
		cb = begin(c);
		if (mode == PREFETCH_SECONDARY) {
			sec = igt_vk_secondary_begin(&c->d, 0);
			c->prefetch(sec, ADDR(b.pf_start), b.pf_size, 0);
			c->prefetch(sec, ADDR(b.dst), b.n, 0);
			igt_assert_eq(vkEndCommandBuffer(sec), VK_SUCCESS);
			vkCmdExecuteCommands(cb, 1, &sec);
		} else {
			c->prefetch(cb, ADDR(b.pf_start), b.pf_size, 0);
			c->prefetch(cb, ADDR(b.dst), b.n, 0);
		}
		c->copy(cb, 1, &(VkSystemMemoryCopyEXT){ ADDR(b.src), ADDR(b.dst), b.n });
		igt_assert_eq(submit_wait(c, c->d.queue, cb), VK_SUCCESS);
		after = debugfs_faults();
		inval = debugfs_counter("tlb_invalidations") - inval;
		if (mode == PREFETCH_SECONDARY)
			igt_vk_cmd_free(&c->d, sec);
		igt_info("attempt %u: faults during the prefetched copy: %" PRIu64
			 ", TLB invalidations: %" PRIu64 "\n", attempt, after - before, inval);
		if (after == before || !inval || attempt == 3)
			break;
		prefetch_bufs_unmap(&b);
	}
	igt_assert_eq_u64(after - before, 0);
	igt_assert_eq(b.dst[b.n - 1], 0x3c);
	/* and without prefetch the same copy does fault */
	munmap(b.dst, b.n);
	b.dst = mmap(NULL, b.n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(b.dst != MAP_FAILED);
	before = debugfs_faults();
	cb = begin(c);
	c->copy(cb, 1, &(VkSystemMemoryCopyEXT){ ADDR(b.src), ADDR(b.dst), b.n });
	igt_assert_eq(submit_wait(c, c->d.queue, cb), VK_SUCCESS);
	after = debugfs_faults();
	igt_info("faults during the copy without prefetch: %" PRIu64 "\n", after - before);
	igt_assert_lt_u64(0, after - before);
	ctx_fini(c);
	prefetch_bufs_unmap(&b);
}

igt_main
{
	struct ctx c = { 0 };

	igt_fixture {
		igt_vk_setup();
		igt_vk_instance_create(&vk, VK_API_VERSION_1_2);
		have_ext = igt_vk_has_device_ext(vk.pdev,
				VK_EXT_SYSTEM_ALLOCATED_MEMORY_EXTENSION_NAME);
	}

	igt_describe("The extension and its features are advertised exactly when the kernel has fault mode.");
	igt_subtest("feature-matches-kernel") {
		int fd = drm_open_driver_render("svmgpu");
		struct drm_svmgpu_get_param gp = { .param = DRM_SVMGPU_PARAM_FEATURES };
		VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT f = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT,
		};
		VkPhysicalDeviceFeatures2 f2 = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
			.pNext = &f,
		};
		VkPhysicalDeviceSystemAllocatedMemoryPropertiesEXT p = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_PROPERTIES_EXT,
		};
		VkPhysicalDeviceProperties2 p2 = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
			.pNext = &p,
		};
		bool fault_mode;

		igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &gp), 0);
		fault_mode = gp.value & DRM_SVMGPU_FEATURE_FAULT_MODE;
		drm_close_driver(fd);
		vkGetPhysicalDeviceFeatures2(vk.pdev, &f2);
		vkGetPhysicalDeviceProperties2(vk.pdev, &p2);
		igt_assert_eq(have_ext, fault_mode);
		igt_assert_eq(!!f.systemAllocatedMemory, fault_mode);
		igt_assert_eq(!!f.systemAllocatedMemoryAddressCommands, fault_mode);
		igt_assert_eq(!!f.systemAllocatedMemoryRangeAttributes, fault_mode);
		igt_assert(igt_vk_has_device_ext(vk.pdev, VK_EXT_DEVICE_FAULT_EXTENSION_NAME));
		igt_require_f(fault_mode, NO_FAULT_MODE_REASON);
		igt_assert_eq_u64(p.systemMemoryRangeGranularity, 4096);
		igt_assert_eq_u32(p.systemMemoryAddressBits, 47);
		igt_assert_eq_u64(p.minSystemMemoryAddress, DRM_SVMGPU_VM_GUARD);
		igt_assert_eq_u64(p.maxSystemMemoryUpdateSize, 65536);
		igt_assert_eq(p.recoverableFaultReporting, VK_TRUE);
	}

	igt_describe("Copy, fill and update on malloc'd memory.");
	igt_subtest("transfer-malloc") {
		size_t n = 3 * 4096 + 100;
		uint8_t *src = malloc(n), *dst = malloc(n);

		ctx_init(&c);
		transfer_check(&c, src, dst, n);
		ctx_fini(&c);
		free(src);
		free(dst);
	}

	igt_describe("Copy, fill and update on anonymous mmap'd memory, 2 MiB.");
	igt_subtest("transfer-mmap-anon") {
		size_t n = 2u << 20;
		uint8_t *src = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint8_t *dst = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(src != MAP_FAILED && dst != MAP_FAILED);
		ctx_init(&c);
		transfer_check(&c, src, dst, n);
		ctx_fini(&c);
		munmap(src, n);
		munmap(dst, n);
	}

	igt_describe("The GPU writes a shared file mapping; read back through read(2).");
	igt_subtest("transfer-mmap-file") {
		char path[] = "/tmp/svmgpu-vk-XXXXXX";
		size_t n = 64 * 1024;
		int fd = mkstemp(path);
		uint8_t *src = malloc(n), *dst, *back = malloc(n);

		igt_assert(fd >= 0);
		unlink(path);
		igt_assert_eq(ftruncate(fd, n), 0);
		dst = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		igt_assert(dst != MAP_FAILED);
		ctx_init(&c);
		transfer_check(&c, src, dst, n);
		igt_assert_eq(msync(dst, n, MS_SYNC), 0);
		igt_assert_eq((int)pread(fd, back, n, 0), (int)n);
		igt_assert(!memcmp(back, dst, n));
		ctx_fini(&c);
		munmap(dst, n);
		close(fd);
		free(src);
		free(back);
	}

	igt_describe("Copy, fill and update on the stack.");
	igt_subtest("transfer-stack") {
		uint8_t src[8192], dst[8192];

		ctx_init(&c);
		transfer_check(&c, src, dst, sizeof(dst));
		ctx_fini(&c);
	}

	igt_describe("Device memory: vkMapMemory's pointer is its device address.");
	igt_subtest("device-memory-address") {
		VkMemoryAllocateFlagsInfo fi = {
			.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
			.flags = VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT,
		};
		VkMemoryAllocateInfo ai = {
			.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
			.pNext = &fi,
			.allocationSize = 1 << 20,
		};
		VkBufferCreateInfo bci = {
			.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
			.size = 4096,
			.usage = VK_BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT |
				 VK_BUFFER_USAGE_TRANSFER_DST_BIT,
		};
		VkBufferDeviceAddressInfo bai = {
			.sType = VK_STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO,
		};
		VkMemoryRequirements req;
		VkDeviceMemory mem;
		VkBuffer buf;
		VkCommandBuffer cb;
		uint8_t *map, *src = malloc(4096);
		unsigned int i;

		ctx_init(&c);
		igt_assert_eq(vkAllocateMemory(c.d.device, &ai, NULL, &mem), VK_SUCCESS);
		igt_assert_eq(vkMapMemory(c.d.device, mem, 0, VK_WHOLE_SIZE, 0, (void **)&map), VK_SUCCESS);
		igt_assert_eq(vkCreateBuffer(c.d.device, &bci, NULL, &buf), VK_SUCCESS);
		vkGetBufferMemoryRequirements(c.d.device, buf, &req);
		igt_assert_eq(vkBindBufferMemory(c.d.device, buf, mem, 65536), VK_SUCCESS);
		bai.buffer = buf;
		igt_assert_eq_u64(vkGetBufferDeviceAddress(c.d.device, &bai), ADDR(map) + 65536);
		/* the GPU copies system memory into the memory by address */
		for (i = 0; i < 4096; i++)
			src[i] = i ^ 0x5a;
		cb = begin(&c);
		c.copy(cb, 1, &(VkSystemMemoryCopyEXT){ ADDR(src), ADDR(map + 65536), 4096 });
		igt_assert_eq(submit_wait(&c, c.d.queue, cb), VK_SUCCESS);
		igt_assert(!memcmp(map + 65536, src, 4096));
		vkUnmapMemory(c.d.device, mem);
		igt_assert_eq(vkMapMemory(c.d.device, mem, 4096, VK_WHOLE_SIZE, 0, (void **)&map), VK_SUCCESS);
		igt_assert_eq_u64(ADDR(map) - 4096 + 65536, vkGetBufferDeviceAddress(c.d.device, &bai));
		vkUnmapMemory(c.d.device, mem);
		vkDestroyBuffer(c.d.device, buf, NULL);
		vkFreeMemory(c.d.device, mem, NULL);
		ctx_fini(&c);
		free(src);
	}

	igt_describe("After vkCmdPrefetchSystemMemoryEXT a copy takes no GPU fault (debugfs counters).");
	igt_subtest("prefetch-no-faults")
		test_prefetch_no_faults(&c, PREFETCH_PLAIN);

	igt_describe("Prefetches recorded in a secondary command buffer are done when a primary executing it is submitted.");
	igt_subtest("prefetch-secondary")
		test_prefetch_no_faults(&c, PREFETCH_SECONDARY);

	igt_describe("A prefetch over a range with an unmapped page skips the page and still prefetches the mapped rest.");
	igt_subtest("prefetch-hole")
		test_prefetch_no_faults(&c, PREFETCH_HOLE);

	igt_describe("Range attributes: set then get, and mixed ranges.");
	igt_subtest("attributes-roundtrip") {
		size_t n = 16 * 4096;
		uint8_t *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		VkSystemMemoryAttributesEXT a = {
			.sType = VK_STRUCTURE_TYPE_SYSTEM_MEMORY_ATTRIBUTES_EXT,
			.attributeMask = 0xf,
		};

		ctx_init(&c);
		/* defaults */
		igt_assert_eq(c.get_attrs(c.d.device, ADDR(p), n, &a), VK_SUCCESS);
		igt_assert_eq_u32(a.mixedAttributes, 0);
		igt_assert_eq(a.access, VK_SYSTEM_MEMORY_ACCESS_READ_WRITE_EXT);
		igt_assert_eq_u64(a.maxChunkSize, 2u << 20);
		igt_assert_eq(a.readMostly, VK_FALSE);
		igt_assert_eq(a.preferredLocation, VK_SYSTEM_MEMORY_LOCATION_HOST_EXT);
		/* set on the first half: read-only, 100 KiB chunks (-> 64 KiB), read-mostly */
		a.access = VK_SYSTEM_MEMORY_ACCESS_READ_ONLY_EXT;
		a.maxChunkSize = 128 * 1024;
		a.readMostly = VK_TRUE;
		a.mixedAttributes = 0;
		igt_assert_eq(c.set_attrs(c.d.device, ADDR(p), n / 2, &a), VK_SUCCESS);
		memset(&a, 0, sizeof(a));
		a.sType = VK_STRUCTURE_TYPE_SYSTEM_MEMORY_ATTRIBUTES_EXT;
		a.attributeMask = 0xf;
		igt_assert_eq(c.get_attrs(c.d.device, ADDR(p), n / 2, &a), VK_SUCCESS);
		igt_assert_eq_u32(a.mixedAttributes, 0);
		igt_assert_eq(a.access, VK_SYSTEM_MEMORY_ACCESS_READ_ONLY_EXT);
		igt_assert_eq_u64(a.maxChunkSize, 64 * 1024);
		igt_assert_eq(a.readMostly, VK_TRUE);
		/* the whole range: mixed access/chunk/read-mostly, members unchanged */
		a.access = 77;
		a.maxChunkSize = 99;
		igt_assert_eq(c.get_attrs(c.d.device, ADDR(p), n, &a), VK_SUCCESS);
		igt_assert_eq_u32(a.mixedAttributes,
				  VK_SYSTEM_MEMORY_ATTRIBUTE_ACCESS_BIT_EXT |
				  VK_SYSTEM_MEMORY_ATTRIBUTE_MAX_CHUNK_SIZE_BIT_EXT |
				  VK_SYSTEM_MEMORY_ATTRIBUTE_READ_MOSTLY_BIT_EXT);
		igt_assert_eq(a.access, 77);
		igt_assert_eq_u64(a.maxChunkSize, 99);
		igt_assert_eq(a.preferredLocation, VK_SYSTEM_MEMORY_LOCATION_HOST_EXT);
		/* attributes outlive the mapping (spec: they belong to ranges) */
		munmap(p, n);
		igt_assert(mmap(p, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
		a.attributeMask = VK_SYSTEM_MEMORY_ATTRIBUTE_ACCESS_BIT_EXT;
		igt_assert_eq(c.get_attrs(c.d.device, ADDR(p), 4096, &a), VK_SUCCESS);
		igt_assert_eq(a.access, VK_SYSTEM_MEMORY_ACCESS_READ_ONLY_EXT);
		ctx_fini(&c);
		munmap(p, n);
	}

	igt_describe("A GPU write to a range whose access attribute is READ_ONLY: device lost, WRITE_INVALID.");
	igt_subtest("attribute-readonly-write-fault") {
		size_t n = 4 * 4096;
		uint8_t *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		VkCommandBuffer cb;

		ctx_init(&c);
		set_access(&c, p, n, VK_SYSTEM_MEMORY_ACCESS_READ_ONLY_EXT);
		cb = begin(&c);
		c.fill(cb, ADDR(p + 4096), 64, 1);
		igt_vk_expect(&vk, lost_expect);
		expect_lost_with_fault(&c, submit_wait(&c, c.d.queue, cb), ADDR(p + 4096), 64,
				       VK_DEVICE_FAULT_ADDRESS_TYPE_WRITE_INVALID_EXT);
		ctx_fini(&c);
		igt_vk_expect(&vk, NULL);
		munmap(p, n);
	}

	igt_describe("munmap then use: VK_ERROR_DEVICE_LOST and fault info with the address (READ_INVALID).");
	igt_subtest("munmap-device-lost") {
		size_t n = 8 * 4096;
		uint8_t *src = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint8_t *dst = malloc(n);
		VkCommandBuffer cb;

		ctx_init(&c);
		/* the GPU used it once ... */
		cb = begin(&c);
		c.copy(cb, 1, &(VkSystemMemoryCopyEXT){ ADDR(src), ADDR(dst), n });
		igt_assert_eq(submit_wait(&c, c.d.queue, cb), VK_SUCCESS);
		/* ... then the host unmaps it */
		munmap(src, n);
		cb = begin(&c);
		c.copy(cb, 1, &(VkSystemMemoryCopyEXT){ ADDR(src), ADDR(dst), n });
		igt_vk_expect(&vk, lost_expect);
		expect_lost_with_fault(&c, submit_wait(&c, c.d.queue, cb), ADDR(src), n,
				       VK_DEVICE_FAULT_ADDRESS_TYPE_READ_INVALID_EXT);
		ctx_fini(&c);
		igt_vk_expect(&vk, NULL);
		free(dst);
	}

	igt_describe("mprotect read-only then a GPU write: device lost, WRITE_INVALID at the address.");
	igt_subtest("mprotect-write-fault") {
		size_t n = 4 * 4096;
		uint8_t *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		VkCommandBuffer cb;

		memset(p, 1, n);
		ctx_init(&c);
		igt_assert_eq(mprotect(p, n, PROT_READ), 0);
		cb = begin(&c);
		c.fill(cb, ADDR(p + 8192), 16, 0);
		igt_vk_expect(&vk, lost_expect);
		expect_lost_with_fault(&c, submit_wait(&c, c.d.queue, cb), ADDR(p + 8192), 16,
				       VK_DEVICE_FAULT_ADDRESS_TYPE_WRITE_INVALID_EXT);
		igt_assert_eq(p[8192], 1);	/* nothing written */
		ctx_fini(&c);
		igt_vk_expect(&vk, NULL);
		munmap(p, n);
	}

	igt_describe("Fences: unsignalled, signalled by a submission, reset, created signalled, timeout.");
	igt_subtest("fence") {
		VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
		VkFence f, fs;
		uint32_t *word = malloc(4);

		ctx_init(&c);
		igt_assert_eq(vkCreateFence(c.d.device, &fci, NULL, &f), VK_SUCCESS);
		fci.flags = VK_FENCE_CREATE_SIGNALED_BIT;
		igt_assert_eq(vkCreateFence(c.d.device, &fci, NULL, &fs), VK_SUCCESS);
		igt_assert_eq(vkGetFenceStatus(c.d.device, fs), VK_SUCCESS);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 1000000), VK_TIMEOUT);
		igt_assert_eq(vkQueueSubmit(c.d.queue, 0, NULL, f), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 10ull * 1000000000), VK_SUCCESS);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_SUCCESS);
		igt_assert_eq(vkResetFences(c.d.device, 1, &f), VK_SUCCESS);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);
		/* wait-any: one signalled fence is enough */
		igt_assert_eq(vkWaitForFences(c.d.device, 2, (VkFence[]){ f, fs }, VK_FALSE, 0), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 2, (VkFence[]){ f, fs }, VK_TRUE, 0), VK_TIMEOUT);
		/* a fence after real work */
		{
			VkCommandBuffer cb = begin(&c);
			VkSubmitInfo si = { .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
					    .commandBufferCount = 1, .pCommandBuffers = &cb };

			*word = 0;
			c.fill(cb, ADDR(word), 4, 0x1234);
			igt_assert_eq(vkEndCommandBuffer(cb), VK_SUCCESS);
			igt_assert_eq(vkQueueSubmit(c.d.queue, 1, &si, f), VK_SUCCESS);
			igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 10ull * 1000000000), VK_SUCCESS);
			igt_assert_eq_u32(*word, 0x1234);
			igt_assert_eq(vkQueueWaitIdle(c.d.queue), VK_SUCCESS);
			vkFreeCommandBuffers(c.d.device, c.d.pool, 1, &cb);
		}
		vkDestroyFence(c.d.device, f, NULL);
		vkDestroyFence(c.d.device, fs, NULL);
		ctx_fini(&c);
		free(word);
	}

	igt_describe("Binary semaphores between two submissions (and two queues when there are two families).");
	igt_subtest("semaphore-binary") {
		VkSemaphoreCreateInfo sci = { .sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO };
		VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
		uint32_t *a = malloc(64 * 1024), *b = malloc(64 * 1024);
		VkCommandBuffer cb1, cb2;
		VkSemaphore s;
		VkFence f;
		VkQueue q2;

		ctx_init(&c);
		q2 = c.queue2 ? c.queue2 : c.d.queue;
		igt_assert_eq(vkCreateSemaphore(c.d.device, &sci, NULL, &s), VK_SUCCESS);
		f = igt_vk_fence_create(&c.d, 0);
		memset(b, 0, 64 * 1024);
		cb1 = begin(&c);
		c.fill(cb1, ADDR(a), 64 * 1024, 0x77777777);
		igt_assert_eq(vkEndCommandBuffer(cb1), VK_SUCCESS);
		cb2 = begin_in(&c, c.queue2 ? c.pool2 : c.d.pool);
		c.copy(cb2, 1, &(VkSystemMemoryCopyEXT){ ADDR(a), ADDR(b), 64 * 1024 });
		igt_assert_eq(vkEndCommandBuffer(cb2), VK_SUCCESS);
		igt_assert_eq(vkQueueSubmit(c.d.queue, 1, &(VkSubmitInfo){
			.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			.commandBufferCount = 1, .pCommandBuffers = &cb1,
			.signalSemaphoreCount = 1, .pSignalSemaphores = &s }, VK_NULL_HANDLE), VK_SUCCESS);
		igt_assert_eq(vkQueueSubmit(q2, 1, &(VkSubmitInfo){
			.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			.waitSemaphoreCount = 1, .pWaitSemaphores = &s, .pWaitDstStageMask = &stage,
			.commandBufferCount = 1, .pCommandBuffers = &cb2 }, f), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 30ull * 1000000000), VK_SUCCESS);
		igt_assert_eq_u32(b[0], 0x77777777);
		igt_assert_eq_u32(b[16383], 0x77777777);
		igt_assert_eq(vkDeviceWaitIdle(c.d.device), VK_SUCCESS);
		vkFreeCommandBuffers(c.d.device, c.d.pool, 1, &cb1);
		vkFreeCommandBuffers(c.d.device, c.queue2 ? c.pool2 : c.d.pool, 1, &cb2);
		vkDestroySemaphore(c.d.device, s, NULL);
		vkDestroyFence(c.d.device, f, NULL);
		ctx_fini(&c);
		free(a);
		free(b);
	}

	igt_describe("Timeline semaphores: initial value, GPU signal, GPU wait on a host signal, host wait woken by a host signal.");
	igt_subtest("semaphore-timeline") {
		VkSemaphore s;
		VkCommandBuffer cb;
		uint32_t *w = malloc(4);
		uint64_t v;
		pthread_t th;
		struct signal_arg arg;
		struct timespec t0;
		double ms;

		ctx_init(&c);
		s = igt_vk_semaphore_create(&c.d, true, 5, 0);
		igt_assert_eq(vkGetSemaphoreCounterValue(c.d.device, s, &v), VK_SUCCESS);
		igt_assert_eq_u64(v, 5);
		/* GPU waits for 10 (host-signalled later), then fills and signals 20 */
		*w = 0;
		cb = begin(&c);
		c.fill(cb, ADDR(w), 4, 42);
		igt_assert_eq(vkEndCommandBuffer(cb), VK_SUCCESS);
		{
			uint64_t wv = 10, sv = 20;
			VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
			VkTimelineSemaphoreSubmitInfo tsi = {
				.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
				.waitSemaphoreValueCount = 1, .pWaitSemaphoreValues = &wv,
				.signalSemaphoreValueCount = 1, .pSignalSemaphoreValues = &sv,
			};
			VkSubmitInfo si = {
				.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .pNext = &tsi,
				.waitSemaphoreCount = 1, .pWaitSemaphores = &s,
				.pWaitDstStageMask = &stage,
				.commandBufferCount = 1, .pCommandBuffers = &cb,
				.signalSemaphoreCount = 1, .pSignalSemaphores = &s,
			};

			igt_assert_eq(vkQueueSubmit(c.d.queue, 1, &si, VK_NULL_HANDLE), VK_SUCCESS);
		}
		usleep(100 * 1000);
		igt_assert_eq_u32(*w, 0);	/* still waiting for 10 */
		igt_assert_eq(vkSignalSemaphore(c.d.device, &(VkSemaphoreSignalInfo){
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
			.semaphore = s, .value = 10 }), VK_SUCCESS);
		igt_assert_eq(vkWaitSemaphores(c.d.device, &(VkSemaphoreWaitInfo){
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
			.semaphoreCount = 1, .pSemaphores = &s, .pValues = (uint64_t[]){ 20 } },
			30ull * 1000000000), VK_SUCCESS);
		igt_assert_eq_u32(*w, 42);
		/* host wait woken by a host signal from another thread */
		arg = (struct signal_arg){ &c, s, 30 };
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pthread_create(&th, NULL, host_signal_later, &arg);
		igt_assert_eq(vkWaitSemaphores(c.d.device, &(VkSemaphoreWaitInfo){
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
			.semaphoreCount = 1, .pSemaphores = &s, .pValues = (uint64_t[]){ 30 } },
			30ull * 1000000000), VK_SUCCESS);
		ms = elapsed_ms(&t0);
		pthread_join(th, NULL);
		igt_info("host wait woke %.1f ms after start (signal at 200 ms)\n", ms);
		igt_assert_f(ms >= 190 && ms < 5000, "woke after %.1f ms\n", ms);
		igt_assert_eq(vkWaitSemaphores(c.d.device, &(VkSemaphoreWaitInfo){
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
			.semaphoreCount = 1, .pSemaphores = &s, .pValues = (uint64_t[]){ 31 } },
			1000000), VK_TIMEOUT);
		igt_assert_eq(vkDeviceWaitIdle(c.d.device), VK_SUCCESS);
		vkFreeCommandBuffers(c.d.device, c.d.pool, 1, &cb);
		vkDestroySemaphore(c.d.device, s, NULL);
		ctx_fini(&c);
		free(w);
	}

	igt_describe("Wait-before-signal: waits on timeline points nothing signalled yet do not block vkQueueSubmit (they are GPU WAIT commands); a chain across two queues and a later submission on the same queue run in order after one host signal from the submitting thread.");
	igt_subtest("wait-before-signal") {
		VkSemaphore s;
		VkCommandBuffer cb[3];
		VkFence f[3];
		VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
		uint32_t *w = calloc(64, sizeof(*w));
		uint32_t i, nf;
		uint64_t v;

		alarm(120);
		ctx_init(&c);
		s = igt_vk_semaphore_create(&c.d, true, 0, 0);
		nf = c.queue2 ? 3 : 2;
		for (i = 0; i < nf; i++)
			igt_assert_eq(vkCreateFence(c.d.device, &fci, NULL, &f[i]), VK_SUCCESS);
		/* queue 1: after 3 (from queue 2's submission below, or the
		 * host without a second queue), fill w[0..4) */
		cb[0] = begin(&c);
		c.fill(cb[0], ADDR(w), 16, 0x11111111);
		igt_assert_eq(vkEndCommandBuffer(cb[0]), VK_SUCCESS);
		submit_timed(c.d.queue, cb[0], s, 3, 4, f[0]);
		/* queue 1, no wait: overwrites w[2..4) after the first */
		cb[1] = begin(&c);
		c.fill(cb[1], ADDR(w + 2), 8, 0x22222222);
		igt_assert_eq(vkEndCommandBuffer(cb[1]), VK_SUCCESS);
		submit_timed(c.d.queue, cb[1], s, 0, 0, f[1]);
		if (c.queue2) {
			/* queue 2: after 1 (host), fill w[8..12), signal 3 */
			cb[2] = begin_in(&c, c.pool2);
			c.fill(cb[2], ADDR(w + 8), 16, 0x33333333);
			igt_assert_eq(vkEndCommandBuffer(cb[2]), VK_SUCCESS);
			submit_timed(c.queue2, cb[2], s, 1, 3, f[2]);
		}
		usleep(200 * 1000);
		for (i = 0; i < nf; i++)
			igt_assert_eq(vkGetFenceStatus(c.d.device, f[i]), VK_NOT_READY);
		for (i = 0; i < 12; i++)
			igt_assert_eq_u32(w[i], 0);
		igt_assert_eq(vkSignalSemaphore(c.d.device, &(VkSemaphoreSignalInfo){
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
			.semaphore = s, .value = c.queue2 ? 1 : 3 }), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, nf, f, VK_TRUE, 30ull * 1000000000),
			      VK_SUCCESS);
		igt_assert_eq(vkQueueWaitIdle(c.d.queue), VK_SUCCESS);
		igt_assert_eq_u32(w[0], 0x11111111);
		igt_assert_eq_u32(w[1], 0x11111111);
		igt_assert_eq_u32(w[2], 0x22222222);
		igt_assert_eq_u32(w[3], 0x22222222);
		for (i = 8; i < 12; i++)
			igt_assert_eq_u32(w[i], c.queue2 ? 0x33333333 : 0);
		igt_assert_eq(vkGetSemaphoreCounterValue(c.d.device, s, &v), VK_SUCCESS);
		igt_assert_eq_u64(v, 4);
		igt_assert_eq(vkDeviceWaitIdle(c.d.device), VK_SUCCESS);
		vkFreeCommandBuffers(c.d.device, c.d.pool, 2, cb);
		if (c.queue2)
			vkFreeCommandBuffers(c.d.device, c.pool2, 1, &cb[2]);
		for (i = 0; i < nf; i++)
			vkDestroyFence(c.d.device, f[i], NULL);
		vkDestroySemaphore(c.d.device, s, NULL);
		ctx_fini(&c);
		free(w);
		alarm(0);
	}

	igt_describe("vkDestroyDevice with a submission still waiting (GPU WAIT) for a timeline value never signalled returns promptly (the validation layer reports the objects in use).");
	igt_subtest("wait-before-signal-destroy") {
		/* The validation layer reports the objects still in use.
		 * vkDestroyDevice waits at most 2 s for the queue, then
		 * unmaps the driver's batch ring under the job still blocked
		 * in its WAIT (user_fence.c): the job faults on it, the
		 * kernel bans the queue and the driver reports the device
		 * lost. Both are consequences of breaking the rule on
		 * purpose. */
		static const char *const destroy_expect[] = {
			"in use", "05137", "has not been destroyed", "device lost",
			NULL,
		};
		VkSemaphore s;
		VkCommandBuffer cb;
		uint32_t *w = calloc(16, sizeof(*w));
		struct timespec t0;
		double ms;

		alarm(120);
		ctx_init(&c);
		s = igt_vk_semaphore_create(&c.d, true, 0, 0);
		cb = begin(&c);
		c.fill(cb, ADDR(w), 16, 0x44444444);
		igt_assert_eq(vkEndCommandBuffer(cb), VK_SUCCESS);
		submit_timed(c.d.queue, cb, s, 1, 0, VK_NULL_HANDLE);
		usleep(100 * 1000);
		igt_assert_eq_u32(w[0], 0);
		igt_vk_expect(&vk, destroy_expect);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		vkFreeCommandBuffers(c.d.device, c.d.pool, 1, &cb);
		vkDestroySemaphore(c.d.device, s, NULL);
		if (c.pool2)
			vkDestroyCommandPool(c.d.device, c.pool2, NULL);
		c.pool2 = VK_NULL_HANDLE;
		vkDestroyCommandPool(c.d.device, c.d.pool, NULL);
		vkDestroyDevice(c.d.device, NULL);
		c.d.device = VK_NULL_HANDLE;
		ms = elapsed_ms(&t0);
		igt_info("vkDestroyDevice returned after %.1f ms\n", ms);
		igt_assert_f(ms < 10000, "destroying took %.1f ms\n", ms);
		igt_vk_check_messages(&vk);
		igt_vk_expect(&vk, NULL);
		free(w);
		alarm(0);
	}

	igt_describe("Exporting a fence or semaphore: the spec's VUID is reported and VK_ERROR_UNKNOWN returned.");
	igt_subtest("export-refused") {
		static const char *const export_expect[] = {
			"10001011", "10001010", "handleTypes",
			"VkExportFenceCreateInfo", "VkExportSemaphoreCreateInfo",
			NULL,
		};
		VkExportFenceCreateInfo ef = {
			.sType = VK_STRUCTURE_TYPE_EXPORT_FENCE_CREATE_INFO,
			.handleTypes = VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
		};
		VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, .pNext = &ef };
		VkExportSemaphoreCreateInfo es = {
			.sType = VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO,
			.handleTypes = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
		};
		VkSemaphoreCreateInfo sci = { .sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO, .pNext = &es };
		VkFence f = VK_NULL_HANDLE;
		VkSemaphore s = VK_NULL_HANDLE;

		ctx_init(&c);
		/* the driver reports the spec's VUIDs; the validation layer may
		 * also object to the export request (handle types this device
		 * reports as not exportable) */
		igt_vk_expect(&vk, export_expect);
		igt_assert_eq(vkCreateFence(c.d.device, &fci, NULL, &f), VK_ERROR_UNKNOWN);
		igt_assert_eq(vkCreateSemaphore(c.d.device, &sci, NULL, &s), VK_ERROR_UNKNOWN);
		igt_vk_expect(&vk, NULL);
		ef.handleTypes = 0;
		es.handleTypes = 0;
		igt_assert_eq(vkCreateFence(c.d.device, &fci, NULL, &f), VK_SUCCESS);
		igt_assert_eq(vkCreateSemaphore(c.d.device, &sci, NULL, &s), VK_SUCCESS);
		vkDestroyFence(c.d.device, f, NULL);
		vkDestroySemaphore(c.d.device, s, NULL);
		ctx_fini(&c);
	}


	igt_describe("Capability queries: without the extension's features struct, what a "
		     "device without systemAllocatedMemory does; with it, only temporary "
		     "SYNC_FD imports into fences and binary semaphores; memory alike on both.");
	igt_subtest("external-caps") {
		const VkExternalSemaphoreHandleTypeFlags sem_fd =
			VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT |
			VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT;
		const VkExternalFenceHandleTypeFlags fence_fd =
			VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT |
			VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT;
		const VkExternalSemaphoreFeatureFlags both =
			VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT |
			VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT;
		const VkExternalMemoryHandleTypeFlags mem_fd =
			VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT |
			VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT;
		VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT sam = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT,
			.systemAllocatedMemory = VK_TRUE,
		};
		VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT off = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT,
		};

		igt_require_f(have_ext, NO_FAULT_MODE_REASON);
		/* devices without the feature (no struct, or the feature off) */
		check_semaphore_caps(false, NULL, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
				     sem_fd, sem_fd, both);
		check_semaphore_caps(false, &off, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
				     sem_fd, sem_fd, both);
		check_semaphore_caps(true, NULL, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
				     VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
				     VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT, both);
		check_fence_caps(NULL, VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
				 fence_fd, fence_fd, both);
		check_fence_caps(&off, VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT,
				 fence_fd, fence_fd, both);
		/* devices with systemAllocatedMemory */
		check_semaphore_caps(false, &sam, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
				     VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT, 0,
				     VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT);
		check_semaphore_caps(false, &sam, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
				     0, 0, 0);
		check_semaphore_caps(true, &sam, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
				     0, 0, 0);
		check_semaphore_caps(true, &sam, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
				     0, 0, 0);
		check_fence_caps(&sam, VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
				 VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT, 0,
				 VK_EXTERNAL_FENCE_FEATURE_IMPORTABLE_BIT);
		check_fence_caps(&sam, VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT, 0, 0, 0);
		/* memory: one answer for every device (the subtests below
		 * import and export on a device with the feature) */
		check_buffer_caps(VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT, mem_fd,
				  VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT |
				  VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT);
		check_buffer_caps(VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT, mem_fd,
				  VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT |
				  VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT);
		check_buffer_caps(VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT,
				  VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT,
				  VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT);
	}

	igt_describe("A vgem fence's sync_file imported temporarily into a fence: the host "
		     "wait blocks until vgem signals it; reset and a new submission bring "
		     "back the user-fence payload.");
	igt_subtest("sync-file-fence") {
		const VkExternalFenceHandleTypeFlagBits sync_fd =
			VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT;
		struct igt_cpu_fence cf, cf2;
		struct timespec t0;
		VkFence f, fs;
		double ms;
		int fd;

		ctx_init_exts(&c, external_exts, NUM_EXTERNAL_EXTS);
		igt_cpu_fence_init(&cf);
		f = igt_vk_fence_create(&c.d, 0);
		fs = igt_vk_fence_create(&c.d, VK_FENCE_CREATE_SIGNALED_BIT);
		fd = igt_cpu_fence_sync_file(&cf);
		igt_assert_eq(igt_vk_import_fence_fd(&c.d, f, sync_fd, VK_FENCE_IMPORT_TEMPORARY_BIT, fd),
			      VK_SUCCESS);
		igt_assert(!fd_is_open(fd));	/* the driver owns it now */
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 1000000), VK_TIMEOUT);
		/* mixed with a user-fence payload */
		igt_assert_eq(vkWaitForFences(c.d.device, 2, (VkFence[]){ f, fs }, VK_FALSE, 0),
			      VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 2, (VkFence[]){ f, fs }, VK_TRUE,
					      1000000), VK_TIMEOUT);
		/* the wait ends when vgem signals, not before */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		igt_cpu_fence_signal_later(&cf, 200);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 30ull * 1000000000),
			      VK_SUCCESS);
		ms = elapsed_ms(&t0);
		igt_cpu_fence_join(&cf);
		igt_info("fence wait ended %.1f ms after start (signal at 200 ms)\n", ms);
		igt_assert_f(ms >= 190 && ms < 5000, "wait ended after %.1f ms\n", ms);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 2, (VkFence[]){ f, fs }, VK_TRUE, 0),
			      VK_SUCCESS);
		/* reset: back to the permanent payload, reset */
		igt_assert_eq(vkResetFences(c.d.device, 1, &f), VK_SUCCESS);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);
		igt_assert_eq(vkQueueSubmit(c.d.queue, 0, NULL, f), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 10ull * 1000000000),
			      VK_SUCCESS);
		/* a pending sync file replaces the signalled payload; a
		 * submission with the fence replaces it in turn, and the fence
		 * signals with the submission while vgem's is still pending */
		igt_assert_eq(vkResetFences(c.d.device, 1, &f), VK_SUCCESS);
		igt_cpu_fence_init(&cf2);
		igt_assert_eq(igt_vk_import_fence_fd(&c.d, f, sync_fd, VK_FENCE_IMPORT_TEMPORARY_BIT,
					   igt_cpu_fence_sync_file(&cf2)), VK_SUCCESS);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);
		igt_assert_eq(vkQueueSubmit(c.d.queue, 0, NULL, f), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 10ull * 1000000000),
			      VK_SUCCESS);
		igt_assert(!cf2.signaled);
		igt_cpu_fence_fini(&cf2);
		vkDestroyFence(c.d.device, f, NULL);
		vkDestroyFence(c.d.device, fs, NULL);
		igt_cpu_fence_fini(&cf);
		ctx_fini(&c);
	}

	igt_describe("A submission that fails (too many waits: VK_ERROR_OUT_OF_HOST_MEMORY) "
		     "with a fence whose payload is a temporarily imported sync_file "
		     "leaves that payload: the fence signals when vgem does.");
	igt_subtest("sync-file-fence-failed-submit") {
		/* one more than a submission may wait for (SVK_SVM_MAX_SYNC) */
		enum { TOO_MANY_WAITS = 33 };
		VkSemaphoreSubmitInfo waits[TOO_MANY_WAITS];
		VkSubmitInfo2 si = {
			.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO_2,
			.waitSemaphoreInfoCount = TOO_MANY_WAITS,
			.pWaitSemaphoreInfos = waits,
		};
		PFN_vkQueueSubmit2KHR submit2;
		VkSemaphore tl;
		struct igt_cpu_fence cf;
		VkFence f;
		int i;

		ctx_init_exts(&c, sync2_fence_exts, 2);
		submit2 = (PFN_vkQueueSubmit2KHR)igt_vk_proc(&c.d, "vkQueueSubmit2KHR");
		igt_cpu_fence_init(&cf);
		f = igt_vk_fence_create(&c.d, 0);
		tl = igt_vk_semaphore_create(&c.d, true, 0, 0);
		for (i = 0; i < TOO_MANY_WAITS; i++)	/* value 0: reached */
			waits[i] = (VkSemaphoreSubmitInfo){
				.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO,
				.semaphore = tl,
				.stageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT,
			};
		igt_assert_eq(igt_vk_import_fence_fd(&c.d, f, VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
						     VK_FENCE_IMPORT_TEMPORARY_BIT,
						     igt_cpu_fence_sync_file(&cf)), VK_SUCCESS);
		igt_assert_eq(submit2(c.d.queue, 1, &si, f), VK_ERROR_OUT_OF_HOST_MEMORY);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);
		igt_cpu_fence_signal(&cf);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 10ull * 1000000000),
			      VK_SUCCESS);
		vkDestroySemaphore(c.d.device, tl, NULL);
		vkDestroyFence(c.d.device, f, NULL);
		igt_cpu_fence_fini(&cf);
		ctx_fini(&c);
	}

	igt_describe("Importing the sync_file -1 into a fence and into a semaphore: already signalled.");
	igt_subtest("sync-file-signaled") {
		VkSemaphore s;
		VkCommandBuffer cb;
		uint32_t *w = malloc(4);
		VkFence f;

		ctx_init_exts(&c, external_exts, NUM_EXTERNAL_EXTS);
		f = igt_vk_fence_create(&c.d, 0);
		igt_assert_eq(igt_vk_import_fence_fd(&c.d, f, VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
					   VK_FENCE_IMPORT_TEMPORARY_BIT, -1), VK_SUCCESS);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 0), VK_SUCCESS);
		igt_assert_eq(vkResetFences(c.d.device, 1, &f), VK_SUCCESS);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);

		s = igt_vk_semaphore_create(&c.d, false, 0, 0);
		igt_assert_eq(igt_vk_import_semaphore_fd(&c.d, s, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
					       VK_SEMAPHORE_IMPORT_TEMPORARY_BIT, -1), VK_SUCCESS);
		*w = 0;
		cb = begin(&c);
		c.fill(cb, ADDR(w), 4, 0x5151);
		igt_assert_eq(vkEndCommandBuffer(cb), VK_SUCCESS);
		igt_assert_eq(submit_sync(&c, cb, s, VK_NULL_HANDLE, f), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 30ull * 1000000000),
			      VK_SUCCESS);
		igt_assert_eq_u32(*w, 0x5151);
		igt_assert_eq(vkQueueWaitIdle(c.d.queue), VK_SUCCESS);
		vkFreeCommandBuffers(c.d.device, c.d.pool, 1, &cb);
		vkDestroySemaphore(c.d.device, s, NULL);
		vkDestroyFence(c.d.device, f, NULL);
		ctx_fini(&c);
		free(w);
	}

	igt_describe("A vgem fence's sync_file imported temporarily into a binary semaphore: "
		     "the submission waiting on it returns at once, its copy runs only after "
		     "vgem signals; then the semaphore works on its own payload again.");
	igt_subtest("sync-file-semaphore") {
		uint32_t *src = malloc(EXT_SIZE), *dst = malloc(EXT_SIZE), *b = malloc(EXT_SIZE);
		struct igt_cpu_fence cf;
		struct timespec t0;
		VkCommandBuffer cb, cb1, cb2;
		VkSemaphore s;
		VkFence f;
		int fd;

		ctx_init_exts(&c, external_exts, NUM_EXTERNAL_EXTS);
		igt_cpu_fence_init(&cf);
		s = igt_vk_semaphore_create(&c.d, false, 0, 0);
		f = igt_vk_fence_create(&c.d, 0);
		fill_words(src, EXT_SIZE, 0x6a000000);
		memset(dst, 0, EXT_SIZE);
		fd = igt_cpu_fence_sync_file(&cf);
		igt_assert_eq(igt_vk_import_semaphore_fd(&c.d, s, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
					       VK_SEMAPHORE_IMPORT_TEMPORARY_BIT, fd), VK_SUCCESS);
		igt_assert(!fd_is_open(fd));
		cb = begin(&c);
		c.copy(cb, 1, &(VkSystemMemoryCopyEXT){ ADDR(src), ADDR(dst), EXT_SIZE });
		igt_assert_eq(vkEndCommandBuffer(cb), VK_SUCCESS);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		igt_assert_eq(submit_sync(&c, cb, s, VK_NULL_HANDLE, f), VK_SUCCESS);
		/* the kernel waits, not vkQueueSubmit */
		igt_assert_f(elapsed_ms(&t0) < 5000, "vkQueueSubmit took %.1f ms\n",
			     elapsed_ms(&t0));
		usleep(300 * 1000);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);
		check_value(dst, EXT_SIZE, 0);
		igt_cpu_fence_signal(&cf);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 30ull * 1000000000),
			      VK_SUCCESS);
		check_words(dst, EXT_SIZE, 0x6a000000);

		/* the wait consumed the import: the permanent payload again,
		 * signalled and waited by the device */
		igt_assert_eq(vkResetFences(c.d.device, 1, &f), VK_SUCCESS);
		memset(b, 0, EXT_SIZE);
		cb1 = begin(&c);
		c.fill(cb1, ADDR(dst), EXT_SIZE, 0x24242424);
		igt_assert_eq(vkEndCommandBuffer(cb1), VK_SUCCESS);
		cb2 = begin(&c);
		c.copy(cb2, 1, &(VkSystemMemoryCopyEXT){ ADDR(dst), ADDR(b), EXT_SIZE });
		igt_assert_eq(vkEndCommandBuffer(cb2), VK_SUCCESS);
		igt_assert_eq(submit_sync(&c, cb1, VK_NULL_HANDLE, s, VK_NULL_HANDLE), VK_SUCCESS);
		igt_assert_eq(submit_sync(&c, cb2, s, VK_NULL_HANDLE, f), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 30ull * 1000000000),
			      VK_SUCCESS);
		check_value(b, EXT_SIZE, 0x24242424);
		igt_assert_eq(vkQueueWaitIdle(c.d.queue), VK_SUCCESS);
		vkFreeCommandBuffers(c.d.device, c.d.pool, 1, &cb);
		vkFreeCommandBuffers(c.d.device, c.d.pool, 1, &cb1);
		vkFreeCommandBuffers(c.d.device, c.d.pool, 1, &cb2);
		vkDestroySemaphore(c.d.device, s, NULL);
		vkDestroyFence(c.d.device, f, NULL);
		igt_cpu_fence_fini(&cf);
		ctx_fini(&c);
		free(src);
		free(dst);
		free(b);
	}

	igt_describe("A sync_file of an ordinary svmgpu device's fence (its job waits for a vgem "
		     "fence, then fills host memory) imported into a semaphore: the copy "
		     "waiting on it reads what that job wrote.");
	igt_subtest("sync-file-from-device") {
		const VkExternalMemoryHandleTypeFlagBits host =
			VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT;
		const struct igt_vk_device_info plain = {
			.exts = external_exts,
			.ext_count = NUM_EXTERNAL_EXTS,
		};
		VkExportFenceCreateInfo export = {
			.sType = VK_STRUCTURE_TYPE_EXPORT_FENCE_CREATE_INFO,
			.handleTypes = VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
		};
		VkFenceCreateInfo fci = {
			.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, .pNext = &export,
		};
		uint32_t *shared, *dst = malloc(EXT_SIZE);
		PFN_vkGetFenceFdKHR get_fence_fd;
		struct igt_vk_device other = { 0 };
		struct igt_cpu_fence cf;
		VkCommandBuffer cb, other_cb;
		VkSemaphore s, other_s;
		VkDeviceMemory other_mem;
		VkFence f, other_f;
		VkBuffer other_buf;
		int fd = -1;

		/*
		 * @shared is a userptr whose job waits for a fence this thread
		 * signals. Any invalidation of its range meanwhile (a THP split
		 * or collapse of heap memory: the debug lane's THP mode is
		 * "always") makes the kernel wait for that job, bounded, and
		 * then run it without the pages (docs/svm.md, "Userptr"). Its
		 * own mapping, never huge, keeps it out of that.
		 */
		shared = mmap(NULL, EXT_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(shared != MAP_FAILED);
		igt_assert_eq(madvise(shared, EXT_SIZE, MADV_NOHUGEPAGE), 0);
		memset(shared, 0, EXT_SIZE);
		memset(dst, 0, EXT_SIZE);
		ctx_init_exts(&c, external_exts, NUM_EXTERNAL_EXTS);
		igt_cpu_fence_init(&cf);
		/* the ordinary device: fill @shared (a host-pointer import)
		 * once vgem's fence signals; its fence as a sync_file */
		igt_vk_device_create(&other, &vk, &plain);
		get_fence_fd = (PFN_vkGetFenceFdKHR)igt_vk_proc(&other, "vkGetFenceFdKHR");
		igt_assert_eq(igt_vk_memory_alloc(&other, EXT_SIZE,
			&(VkImportMemoryHostPointerInfoEXT){
				.sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_HOST_POINTER_INFO_EXT,
				.handleType = host, .pHostPointer = shared },
			&other_mem), VK_SUCCESS);
		other_buf = igt_vk_buffer_create(&other, EXT_SIZE, 0, host, other_mem);
		other_s = igt_vk_semaphore_create(&other, false, 0, 0);
		igt_assert_eq(igt_vk_import_semaphore_fd(&other, other_s,
					       VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
					       VK_SEMAPHORE_IMPORT_TEMPORARY_BIT,
					       igt_cpu_fence_sync_file(&cf)), VK_SUCCESS);
		igt_assert_eq(vkCreateFence(other.device, &fci, NULL, &other_f), VK_SUCCESS);
		other_cb = igt_vk_fill(&other, other_buf, EXT_SIZE, 0x0d0d0d0d,
				       &(struct igt_vk_submit){
					       .waits = &other_s, .wait_count = 1,
					       .fence = other_f, .no_wait = true });
		igt_assert_eq(get_fence_fd(other.device, &(VkFenceGetFdInfoKHR){
			.sType = VK_STRUCTURE_TYPE_FENCE_GET_FD_INFO_KHR, .fence = other_f,
			.handleType = VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT }, &fd),
			VK_SUCCESS);
		igt_assert_lte(0, fd);

		/* the SVM device copies @shared once that fence signals */
		s = igt_vk_semaphore_create(&c.d, false, 0, 0);
		f = igt_vk_fence_create(&c.d, 0);
		igt_assert_eq(igt_vk_import_semaphore_fd(&c.d, s, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
					       VK_SEMAPHORE_IMPORT_TEMPORARY_BIT, fd), VK_SUCCESS);
		cb = begin(&c);
		c.copy(cb, 1, &(VkSystemMemoryCopyEXT){ ADDR(shared), ADDR(dst), EXT_SIZE });
		igt_assert_eq(vkEndCommandBuffer(cb), VK_SUCCESS);
		igt_assert_eq(submit_sync(&c, cb, s, VK_NULL_HANDLE, f), VK_SUCCESS);
		usleep(300 * 1000);
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);
		check_value(dst, EXT_SIZE, 0);
		igt_cpu_fence_signal(&cf);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 30ull * 1000000000),
			      VK_SUCCESS);
		check_value(dst, EXT_SIZE, 0x0d0d0d0d);

		/* exporting a SYNC_FD reset other_f (copy transference):
		 * wait for that queue instead */
		igt_assert_eq(vkGetFenceStatus(other.device, other_f), VK_NOT_READY);
		igt_assert_eq(vkQueueWaitIdle(other.queue), VK_SUCCESS);
		igt_assert_eq(vkQueueWaitIdle(c.d.queue), VK_SUCCESS);
		vkFreeCommandBuffers(c.d.device, c.d.pool, 1, &cb);
		vkDestroySemaphore(c.d.device, s, NULL);
		vkDestroyFence(c.d.device, f, NULL);
		igt_vk_cmd_free(&other, other_cb);
		vkDestroyFence(other.device, other_f, NULL);
		vkDestroySemaphore(other.device, other_s, NULL);
		vkDestroyBuffer(other.device, other_buf, NULL);
		vkFreeMemory(other.device, other_mem, NULL);
		igt_vk_device_destroy(&other);
		igt_cpu_fence_fini(&cf);
		ctx_fini(&c);
		munmap(shared, EXT_SIZE);
		free(dst);
	}

	igt_describe("Refused on such a device, with the extension's VUIDs reported: OPAQUE_FD "
		     "and non-temporary imports (VK_ERROR_INVALID_EXTERNAL_HANDLE, the "
		     "descriptor stays the application's), SYNC_FD into a timeline, and "
		     "exports (VK_ERROR_UNKNOWN).");
	igt_subtest("sync-import-refused") {
		static const char *const refused_expect[] = {
			/* the driver's (spec "External synchronization") */
			"10001012", "10001013", "10001014", "10001015",
			/* the layer's objections to the same calls */
			"VUID-VkImportFenceFdInfoKHR", "VUID-VkImportSemaphoreFdInfoKHR",
			"VUID-VkFenceGetFdInfoKHR", "VUID-VkSemaphoreGetFdInfoKHR",
			NULL,
		};
		PFN_vkGetFenceFdKHR get_fence_fd;
		PFN_vkGetSemaphoreFdKHR get_sem_fd;
		struct igt_cpu_fence cf;
		VkSemaphore s, t;
		VkFence f;
		int fd, out = -1;

		ctx_init_exts(&c, external_exts, NUM_EXTERNAL_EXTS);
		get_fence_fd = (PFN_vkGetFenceFdKHR)igt_vk_proc(&c.d, "vkGetFenceFdKHR");
		get_sem_fd = (PFN_vkGetSemaphoreFdKHR)igt_vk_proc(&c.d, "vkGetSemaphoreFdKHR");
		igt_cpu_fence_init(&cf);
		f = igt_vk_fence_create(&c.d, 0);
		s = igt_vk_semaphore_create(&c.d, false, 0, 0);
		t = igt_vk_semaphore_create(&c.d, true, 0, 0);
		fd = igt_cpu_fence_sync_file(&cf);

		igt_vk_expect(&vk, refused_expect);
		igt_assert_eq(igt_vk_import_fence_fd(&c.d, f, VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT,
					   0, fd), VK_ERROR_INVALID_EXTERNAL_HANDLE);
		igt_assert_eq(igt_vk_import_fence_fd(&c.d, f, VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT,
					   VK_FENCE_IMPORT_TEMPORARY_BIT, fd),
			      VK_ERROR_INVALID_EXTERNAL_HANDLE);
		igt_assert_eq(igt_vk_import_fence_fd(&c.d, f, VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
					   0, fd), VK_ERROR_INVALID_EXTERNAL_HANDLE);
		igt_assert_eq(igt_vk_import_semaphore_fd(&c.d, s, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
					       0, fd), VK_ERROR_INVALID_EXTERNAL_HANDLE);
		igt_assert_eq(igt_vk_import_semaphore_fd(&c.d, s, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
					       0, fd), VK_ERROR_INVALID_EXTERNAL_HANDLE);
		igt_assert_eq(igt_vk_import_semaphore_fd(&c.d, t, VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
					       VK_SEMAPHORE_IMPORT_TEMPORARY_BIT, fd),
			      VK_ERROR_INVALID_EXTERNAL_HANDLE);
		igt_assert(fd_is_open(fd));
		igt_assert_eq(get_fence_fd(c.d.device, &(VkFenceGetFdInfoKHR){
			.sType = VK_STRUCTURE_TYPE_FENCE_GET_FD_INFO_KHR, .fence = f,
			.handleType = VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT }, &out),
			VK_ERROR_UNKNOWN);
		igt_assert_eq(get_sem_fd(c.d.device, &(VkSemaphoreGetFdInfoKHR){
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR, .semaphore = s,
			.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT }, &out),
			VK_ERROR_UNKNOWN);
		igt_assert_eq(out, -1);
		igt_vk_check_messages(&vk);
		igt_vk_expect(&vk, NULL);

		/* nothing changed: the fence and the semaphore still work */
		igt_assert_eq(vkGetFenceStatus(c.d.device, f), VK_NOT_READY);
		igt_assert_eq(submit_sync(&c, VK_NULL_HANDLE, VK_NULL_HANDLE, s, VK_NULL_HANDLE),
			      VK_SUCCESS);
		igt_assert_eq(submit_sync(&c, VK_NULL_HANDLE, s, VK_NULL_HANDLE, f), VK_SUCCESS);
		igt_assert_eq(vkWaitForFences(c.d.device, 1, &f, VK_TRUE, 30ull * 1000000000),
			      VK_SUCCESS);
		close(fd);
		vkDestroySemaphore(c.d.device, t, NULL);
		vkDestroySemaphore(c.d.device, s, NULL);
		vkDestroyFence(c.d.device, f, NULL);
		igt_cpu_fence_fini(&cf);
		ctx_fini(&c);
	}

	igt_describe("A vgem buffer imported as DMA_BUF: its device address is its vkMapMemory "
		     "pointer; system-memory copies read it and fills write it, seen through vgem.");
	igt_subtest("dma-buf-import-vgem") {
		PFN_vkGetMemoryFdPropertiesKHR props;
		VkMemoryFdPropertiesKHR mp = { .sType = VK_STRUCTURE_TYPE_MEMORY_FD_PROPERTIES_KHR };
		uint32_t *dst = malloc(EXT_SIZE), *v, *p = NULL, handle;
		VkDeviceMemory mem;
		VkCommandBuffer cb;
		int vgem, fd;

		ctx_init_exts(&c, external_exts, NUM_EXTERNAL_EXTS);
		vgem = drm_open_driver_primary(DRIVER_VGEM);
		handle = vgem_bo_create(vgem, EXT_SIZE);
		v = vgem_bo_mmap(vgem, handle, EXT_SIZE);
		fill_words(v, EXT_SIZE, 0x3c000000);
		fd = vgem_bo_export(vgem, handle);
		props = (PFN_vkGetMemoryFdPropertiesKHR)
			igt_vk_proc(&c.d, "vkGetMemoryFdPropertiesKHR");
		igt_assert_eq(props(c.d.device, VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT,
				    fd, &mp), VK_SUCCESS);
		igt_assert_eq_u32(mp.memoryTypeBits, 1);
		igt_assert_eq(igt_vk_memory_alloc(&c.d, EXT_SIZE, &(VkImportMemoryFdInfoKHR){
			.sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_FD_INFO_KHR,
			.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT,
			.fd = fd }, &mem), VK_SUCCESS);
		igt_assert(!fd_is_open(fd));
		igt_assert_eq(vkMapMemory(c.d.device, mem, 0, VK_WHOLE_SIZE, 0, (void **)&p),
			      VK_SUCCESS);
		check_words(p, EXT_SIZE, 0x3c000000);
		/* the GPU reads the imported BO at the host address (a BO's
		 * own mapping cannot be mirrored: this works only if the
		 * driver bound the BO there) */
		memset(dst, 0, EXT_SIZE);
		cb = begin(&c);
		c.copy(cb, 1, &(VkSystemMemoryCopyEXT){ ADDR(p), ADDR(dst), EXT_SIZE });
		igt_assert_eq(submit_wait(&c, c.d.queue, cb), VK_SUCCESS);
		check_words(dst, EXT_SIZE, 0x3c000000);
		cb = begin(&c);
		c.fill(cb, ADDR(p), EXT_SIZE, 0x0badcafe);
		igt_assert_eq(submit_wait(&c, c.d.queue, cb), VK_SUCCESS);
		check_value(v, EXT_SIZE, 0x0badcafe);
		vkFreeMemory(c.d.device, mem, NULL);
		ctx_fini(&c);
		munmap(v, EXT_SIZE);
		drm_close_driver(vgem);
		free(dst);
	}

	igt_describe("Memory of such a device exported as a dma-buf: the dma-buf's own mapping "
		     "shows what the GPU wrote at the memory's device address.");
	igt_subtest("dma-buf-export") {
		PFN_vkGetMemoryFdKHR get_fd;
		VkExportMemoryAllocateInfo export = {
			.sType = VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO,
			.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT,
		};
		uint32_t *p = NULL, *q;
		VkDeviceMemory mem;
		VkCommandBuffer cb;
		int fd = -1;

		ctx_init_exts(&c, external_exts, NUM_EXTERNAL_EXTS);
		get_fd = (PFN_vkGetMemoryFdKHR)igt_vk_proc(&c.d, "vkGetMemoryFdKHR");
		igt_assert_eq(igt_vk_memory_alloc(&c.d, EXT_SIZE, &export, &mem), VK_SUCCESS);
		igt_assert_eq(vkMapMemory(c.d.device, mem, 0, VK_WHOLE_SIZE, 0, (void **)&p),
			      VK_SUCCESS);
		cb = begin(&c);
		c.fill(cb, ADDR(p), EXT_SIZE, 0x600df00d);
		igt_assert_eq(submit_wait(&c, c.d.queue, cb), VK_SUCCESS);
		igt_assert_eq(get_fd(c.d.device, &(VkMemoryGetFdInfoKHR){
			.sType = VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR, .memory = mem,
			.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT }, &fd),
			VK_SUCCESS);
		igt_assert_lte(0, fd);
		igt_assert_lte((off_t)EXT_SIZE, lseek(fd, 0, SEEK_END));
		q = mmap(NULL, EXT_SIZE, PROT_READ, MAP_SHARED, fd, 0);
		igt_assert(q != MAP_FAILED);
		igt_assert(q != p);
		check_value(q, EXT_SIZE, 0x600df00d);
		munmap(q, EXT_SIZE);
		close(fd);
		vkFreeMemory(c.d.device, mem, NULL);
		ctx_fini(&c);
	}

	igt_describe("Host pointers: imported memory's device address is the pointer (buffer "
		     "device address, vkCmdFillBuffer); unmapped memory and device mappings "
		     "(a vgem BO's, this device's own memory) are refused.");
	igt_subtest("host-pointer-import") {
		const VkExternalMemoryHandleTypeFlagBits host =
			VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT;
		const VkExternalMemoryHandleTypeFlagBits foreign =
			VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_MAPPED_FOREIGN_MEMORY_BIT_EXT;
		uint32_t *ptr = aligned_alloc(4096, EXT_SIZE), *v, bits = ~0u, handle;
		void *p = NULL, *gone, *own = NULL;
		VkDeviceMemory mem, bad = VK_NULL_HANDLE, own_mem;
		VkBuffer buf;
		VkCommandBuffer cb;
		int vgem;

		igt_assert(ptr);
		memset(ptr, 0, EXT_SIZE);
		ctx_init_exts(&c, external_exts, NUM_EXTERNAL_EXTS);
		igt_assert_eq(host_pointer_props(&c, host, ptr, &bits), VK_SUCCESS);
		igt_assert_eq_u32(bits, 1);
		igt_assert_eq(import_host(&c, host, ptr, &mem), VK_SUCCESS);
		igt_assert_eq(vkMapMemory(c.d.device, mem, 0, VK_WHOLE_SIZE, 0, &p), VK_SUCCESS);
		igt_assert(p == ptr);
		buf = igt_vk_buffer_create(&c.d, EXT_SIZE,
					   VK_BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT, host, mem);
		igt_assert_eq_u64(vkGetBufferDeviceAddress(c.d.device, &(VkBufferDeviceAddressInfo){
			.sType = VK_STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO, .buffer = buf }),
			ADDR(ptr));
		igt_vk_cmd_free(&c.d, igt_vk_fill(&c.d, buf, EXT_SIZE, 0x7e57f111, NULL));
		check_value(ptr, EXT_SIZE, 0x7e57f111);
		/* and the same bytes by address */
		cb = begin(&c);
		c.fill(cb, ADDR(ptr + 1), 4, 0x11111111);
		igt_assert_eq(submit_wait(&c, c.d.queue, cb), VK_SUCCESS);
		igt_assert_eq_u32(ptr[1], 0x11111111);
		vkDestroyBuffer(c.d.device, buf, NULL);
		vkFreeMemory(c.d.device, mem, NULL);
		igt_assert_eq_u32(ptr[0], 0x7e57f111);	/* freeing left it alone */

		/* not mapped */
		gone = mmap(NULL, EXT_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(gone != MAP_FAILED);
		munmap(gone, EXT_SIZE);
		igt_assert_eq(host_pointer_props(&c, host, gone, &bits),
			      VK_ERROR_INVALID_EXTERNAL_HANDLE);
		igt_assert_eq_u32(bits, 0);
		igt_assert_eq(import_host(&c, host, gone, &bad), VK_ERROR_INVALID_EXTERNAL_HANDLE);
		/* another device's mapping (VM_PFNMAP) */
		vgem = drm_open_driver_primary(DRIVER_VGEM);
		handle = vgem_bo_create(vgem, EXT_SIZE);
		v = vgem_bo_mmap(vgem, handle, EXT_SIZE);
		igt_assert_eq(host_pointer_props(&c, foreign, v, &bits),
			      VK_ERROR_INVALID_EXTERNAL_HANDLE);
		igt_assert_eq(import_host(&c, foreign, v, &bad), VK_ERROR_INVALID_EXTERNAL_HANDLE);
		/* this device's own memory */
		igt_assert_eq(igt_vk_memory_alloc(&c.d, EXT_SIZE, NULL, &own_mem), VK_SUCCESS);
		igt_assert_eq(vkMapMemory(c.d.device, own_mem, 0, VK_WHOLE_SIZE, 0, &own),
			      VK_SUCCESS);
		igt_assert_eq(host_pointer_props(&c, foreign, own, &bits),
			      VK_ERROR_INVALID_EXTERNAL_HANDLE);
		igt_assert(bad == VK_NULL_HANDLE);
		vkFreeMemory(c.d.device, own_mem, NULL);
		ctx_fini(&c);
		munmap(v, EXT_SIZE);
		drm_close_driver(vgem);
		free(ptr);
	}

	igt_fixture {
		ctx_fini(&c);
		igt_vk_instance_destroy(&vk);
	}
}
