// SPDX-License-Identifier: MIT
/*
 * igt_vk.c - Vulkan helpers for the svmgpu test binaries (igt_vk.h):
 * loader setup for the build tree's ICD, instances validated by
 * VK_LAYER_KHRONOS_validation with per-test expected messages, devices,
 * buffers, memory and one-shot transfer submissions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_vk.h"

#include <vulkan/vulkan_svmgpu.h>

static char icd_manifest[4096];

/*
 * Known-benign warnings: logged, never failing. Keep this list short and
 * say why each is harmless.
 *
 * - The 1.3.239 layer warns once per device that enables the provisional
 *   VK_EXT_system_allocated_memory that it does not know the extension.
 *   Its structures are declared to it with VK_LAYER_CUSTOM_STYPE_LIST
 *   (igt_vk_setup()), so what it passes down is complete; the warning
 *   says only that it cannot validate the extension's own rules.
 */
static const char *const benign_warnings[] = {
	"Device Extension " VK_EXT_SYSTEM_ALLOCATED_MEMORY_EXTENSION_NAME
	" is not supported by this layer",
	NULL,
};

/* every ':'-separated entry of @list is a readable file */
static bool
files_readable(const char *list)
{
	char copy[sizeof(icd_manifest)], *entry, *save = NULL;

	snprintf(copy, sizeof(copy), "%s", list);
	for (entry = strtok_r(copy, ":", &save); entry;
	     entry = strtok_r(NULL, ":", &save))
		if (access(entry, R_OK))
			return false;
	return true;
}

static bool
has_layer(const char *name)
{
	VkLayerProperties props[64];
	uint32_t n = 64, i;

	if (vkEnumerateInstanceLayerProperties(&n, props) < 0)
		return false;
	for (i = 0; i < n; i++)
		if (!strcmp(props[i].layerName, name))
			return true;
	return false;
}

/*
 * The 1.3.239 validation layer does not know the provisional extension's
 * structures: without their sizes it reports them as unknown and drops
 * them from the chains it passes down (format: sType:size pairs,
 * ':'-separated on Linux; docs/vulkan.md).
 */
static void
set_custom_stypes(void)
{
	char list[128];

	snprintf(list, sizeof(list), "%d:%zu:%d:%zu:%d:%zu",
		 VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT,
		 sizeof(VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT),
		 VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_PROPERTIES_EXT,
		 sizeof(VkPhysicalDeviceSystemAllocatedMemoryPropertiesEXT),
		 VK_STRUCTURE_TYPE_SYSTEM_MEMORY_ATTRIBUTES_EXT,
		 sizeof(VkSystemMemoryAttributesEXT));
	setenv("VK_LAYER_CUSTOM_STYPE_LIST", list, 1);
}

void
igt_vk_setup(void)
{
	const char *icd = getenv("SVMGPU_VK_ICD");
	VkPhysicalDevice pdev;
	VkInstance instance;
	VkInstanceCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	};
	uint32_t n = 1;
	VkResult r;

	if (!icd)
		icd = getenv("VK_DRIVER_FILES");
	if (!icd)
		icd = SVK_ICD_MANIFEST;
	snprintf(icd_manifest, sizeof(icd_manifest), "%s", icd);
	igt_require_f(files_readable(icd_manifest), "no ICD manifest at %s\n",
		      icd_manifest);
	setenv("VK_DRIVER_FILES", icd_manifest, 1);
	set_custom_stypes();

	r = vkCreateInstance(&ici, NULL, &instance);
	igt_require_f(r == VK_SUCCESS, "vkCreateInstance: %d\n", r);
	r = vkEnumeratePhysicalDevices(instance, &n, &pdev);
	vkDestroyInstance(instance, NULL);
	igt_require_f(r >= 0 && n > 0, "no Vulkan device through %s\n",
		      icd_manifest);
	igt_require_f(has_layer(IGT_VK_VALIDATION_LAYER),
		      "%s is not installed (vulkan-validationlayers)\n",
		      IGT_VK_VALIDATION_LAYER);
}

const char *
igt_vk_icd_manifest(void)
{
	return icd_manifest;
}

static bool
matches(const char *const *list, const char *msg)
{
	for (; list && *list; list++)
		if (strstr(msg, *list))
			return true;
	return false;
}

static VKAPI_ATTR VkBool32 VKAPI_CALL
on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
	   VkDebugUtilsMessageTypeFlagsEXT types,
	   const VkDebugUtilsMessengerCallbackDataEXT *data, void *user)
{
	struct igt_vk *vk = user;
	const char *msg = data->pMessage ? data->pMessage : "?";
	bool error = severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;

	(void)types;
	if (!error && !(severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT))
		return VK_FALSE;
	if (matches(vk->expect, msg)) {
		igt_info("expected Vulkan %s: %s\n", error ? "error" : "warning",
			 msg);
	} else if (!error && matches(benign_warnings, msg)) {
		igt_info("benign Vulkan warning: %s\n", msg);
	} else {
		vk->failures++;
		snprintf(vk->last, sizeof(vk->last), "%s", msg);
		igt_warn("Vulkan %s: %s\n", error ? "error" : "warning", msg);
	}
	return VK_FALSE;
}

void
igt_vk_expect(struct igt_vk *vk, const char *const *substrings)
{
	vk->expect = substrings;
}

void
igt_vk_check_messages(struct igt_vk *vk)
{
	unsigned int n = vk->failures;

	/* reset first: the next check reports only what comes after */
	vk->failures = 0;
	igt_assert_f(n == 0, "%u Vulkan error/warning message(s), last: %s\n",
		     n, vk->last);
}

void
igt_vk_instance_create(struct igt_vk *vk, uint32_t api_version)
{
	const char *layer = IGT_VK_VALIDATION_LAYER;
	const char *ext = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
	VkDebugUtilsMessengerCreateInfoEXT mci = {
		.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
		.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT |
				   VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT,
		.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
			       VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
			       VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
		.pfnUserCallback = on_message,
		.pUserData = vk,
	};
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "svmgpu-igt",
		.apiVersion = api_version,
	};
	VkInstanceCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pNext = &mci,
		.pApplicationInfo = &app,
		.enabledLayerCount = 1,
		.ppEnabledLayerNames = &layer,
		.enabledExtensionCount = 1,
		.ppEnabledExtensionNames = &ext,
	};
	PFN_vkCreateDebugUtilsMessengerEXT create;
	VkPhysicalDevice pdevs[16];
	uint32_t n = 16, i;

	memset(vk, 0, sizeof(*vk));
	igt_assert_eq(vkCreateInstance(&ici, NULL, &vk->instance), VK_SUCCESS);
	create = (PFN_vkCreateDebugUtilsMessengerEXT)
		vkGetInstanceProcAddr(vk->instance, "vkCreateDebugUtilsMessengerEXT");
	igt_assert(create);
	igt_assert_eq(create(vk->instance, &mci, NULL, &vk->messenger),
		      VK_SUCCESS);
	igt_assert(vkEnumeratePhysicalDevices(vk->instance, &n, pdevs) >= 0);
	for (i = 0; i < n && !vk->pdev; i++) {
		VkPhysicalDeviceProperties p;

		vkGetPhysicalDeviceProperties(pdevs[i], &p);
		if (strstr(p.deviceName, "svmgpu"))
			vk->pdev = pdevs[i];
	}
	igt_require_f(vk->pdev, "no svmgpu Vulkan device\n");
}

void
igt_vk_instance_destroy(struct igt_vk *vk)
{
	PFN_vkDestroyDebugUtilsMessengerEXT destroy;

	if (!vk->instance)
		return;
	if (vk->messenger) {
		destroy = (PFN_vkDestroyDebugUtilsMessengerEXT)
			vkGetInstanceProcAddr(vk->instance,
					      "vkDestroyDebugUtilsMessengerEXT");
		destroy(vk->instance, vk->messenger, NULL);
		vk->messenger = VK_NULL_HANDLE;
	}
	vkDestroyInstance(vk->instance, NULL);
	vk->instance = VK_NULL_HANDLE;
	igt_vk_check_messages(vk);
}

bool
igt_vk_has_device_ext(VkPhysicalDevice pdev, const char *name)
{
	VkExtensionProperties props[256];
	uint32_t n = 256, i;

	if (vkEnumerateDeviceExtensionProperties(pdev, NULL, &n, props) < 0)
		return false;
	for (i = 0; i < n; i++)
		if (!strcmp(props[i].extensionName, name))
			return true;
	return false;
}

VkResult
__igt_vk_device_create(struct igt_vk_device *d, struct igt_vk *vk,
		       const struct igt_vk_device_info *info)
{
	static const struct igt_vk_device_info none;
	float prio = 1.0f;
	VkDeviceQueueCreateInfo qci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		.queueFamilyIndex = 0,
		.queueCount = 1,
		.pQueuePriorities = &prio,
	};
	VkDeviceCreateInfo dci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
		.queueCreateInfoCount = 1,
		.pQueueCreateInfos = &qci,
	};
	VkCommandPoolCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
		.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
	};
	uint32_t i;
	VkResult r;

	if (!info)
		info = &none;
	memset(d, 0, sizeof(*d));
	d->vk = vk;
	d->pdev = vk->pdev;
	for (i = 0; i < info->ext_count; i++)
		igt_require_f(igt_vk_has_device_ext(d->pdev, info->exts[i]),
			      "%s is not supported\n", info->exts[i]);
	dci.pNext = info->next;
	dci.enabledExtensionCount = info->ext_count;
	dci.ppEnabledExtensionNames = info->exts;
	if (info->queue_count) {
		dci.queueCreateInfoCount = info->queue_count;
		dci.pQueueCreateInfos = info->queues;
	}
	r = vkCreateDevice(d->pdev, &dci, NULL, &d->device);
	if (r != VK_SUCCESS) {
		d->device = VK_NULL_HANDLE;
		return r;
	}
	pci.queueFamilyIndex = dci.pQueueCreateInfos[0].queueFamilyIndex;
	vkGetDeviceQueue(d->device, pci.queueFamilyIndex, 0, &d->queue);
	igt_assert_eq(vkCreateCommandPool(d->device, &pci, NULL, &d->pool),
		      VK_SUCCESS);
	return VK_SUCCESS;
}

void
igt_vk_device_create(struct igt_vk_device *d, struct igt_vk *vk,
		     const struct igt_vk_device_info *info)
{
	igt_assert_eq(__igt_vk_device_create(d, vk, info), VK_SUCCESS);
}

void
igt_vk_device_destroy(struct igt_vk_device *d)
{
	if (!d->device)
		return;
	vkDeviceWaitIdle(d->device);
	vkDestroyCommandPool(d->device, d->pool, NULL);
	vkDestroyDevice(d->device, NULL);
	d->device = VK_NULL_HANDLE;
	igt_vk_check_messages(d->vk);
}

PFN_vkVoidFunction
igt_vk_proc(struct igt_vk_device *d, const char *name)
{
	PFN_vkVoidFunction f = vkGetDeviceProcAddr(d->device, name);

	igt_assert_f(f, "no %s\n", name);
	return f;
}

VkResult
igt_vk_import_fence_fd(struct igt_vk_device *d, VkFence fence,
		       VkExternalFenceHandleTypeFlagBits type,
		       VkFenceImportFlags flags, int fd)
{
	PFN_vkImportFenceFdKHR import = (PFN_vkImportFenceFdKHR)
		igt_vk_proc(d, "vkImportFenceFdKHR");
	VkImportFenceFdInfoKHR info = {
		.sType = VK_STRUCTURE_TYPE_IMPORT_FENCE_FD_INFO_KHR,
		.fence = fence,
		.flags = flags,
		.handleType = type,
		.fd = fd,
	};

	return import(d->device, &info);
}

VkResult
igt_vk_import_semaphore_fd(struct igt_vk_device *d, VkSemaphore sem,
			   VkExternalSemaphoreHandleTypeFlagBits type,
			   VkSemaphoreImportFlags flags, int fd)
{
	PFN_vkImportSemaphoreFdKHR import = (PFN_vkImportSemaphoreFdKHR)
		igt_vk_proc(d, "vkImportSemaphoreFdKHR");
	VkImportSemaphoreFdInfoKHR info = {
		.sType = VK_STRUCTURE_TYPE_IMPORT_SEMAPHORE_FD_INFO_KHR,
		.semaphore = sem,
		.flags = flags,
		.handleType = type,
		.fd = fd,
	};

	return import(d->device, &info);
}

int
igt_vk_fence_fd(struct igt_vk_device *d, VkFence fence,
		VkExternalFenceHandleTypeFlagBits type)
{
	PFN_vkGetFenceFdKHR get = (PFN_vkGetFenceFdKHR)
		igt_vk_proc(d, "vkGetFenceFdKHR");
	VkFenceGetFdInfoKHR info = {
		.sType = VK_STRUCTURE_TYPE_FENCE_GET_FD_INFO_KHR,
		.fence = fence,
		.handleType = type,
	};
	int fd = -2;

	igt_assert_eq(get(d->device, &info, &fd), VK_SUCCESS);
	return fd;
}

int
igt_vk_semaphore_fd(struct igt_vk_device *d, VkSemaphore sem,
		    VkExternalSemaphoreHandleTypeFlagBits type)
{
	PFN_vkGetSemaphoreFdKHR get = (PFN_vkGetSemaphoreFdKHR)
		igt_vk_proc(d, "vkGetSemaphoreFdKHR");
	VkSemaphoreGetFdInfoKHR info = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR,
		.semaphore = sem,
		.handleType = type,
	};
	int fd = -2;

	igt_assert_eq(get(d->device, &info, &fd), VK_SUCCESS);
	return fd;
}

VkBuffer
igt_vk_buffer_create(struct igt_vk_device *d, VkDeviceSize size,
		     VkBufferUsageFlags usage,
		     VkExternalMemoryHandleTypeFlags handle_types,
		     VkDeviceMemory mem)
{
	VkExternalMemoryBufferCreateInfo ext = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO,
		.handleTypes = handle_types,
	};
	VkBufferCreateInfo bci = {
		.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
		.pNext = handle_types ? &ext : NULL,
		.size = size,
		.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
			 VK_BUFFER_USAGE_TRANSFER_DST_BIT | usage,
		.sharingMode = VK_SHARING_MODE_EXCLUSIVE,
	};
	VkMemoryRequirements req;
	VkBuffer buf;

	igt_assert_eq(vkCreateBuffer(d->device, &bci, NULL, &buf), VK_SUCCESS);
	vkGetBufferMemoryRequirements(d->device, buf, &req);
	igt_assert(req.memoryTypeBits & 1);
	igt_assert_lte_u64(size, req.size);
	if (mem)
		igt_assert_eq(vkBindBufferMemory(d->device, buf, mem, 0),
			      VK_SUCCESS);
	return buf;
}

VkResult
igt_vk_memory_alloc(struct igt_vk_device *d, VkDeviceSize size,
		    const void *next, VkDeviceMemory *mem)
{
	VkMemoryAllocateInfo mai = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
		.pNext = next,
		.allocationSize = size,
		.memoryTypeIndex = 0,
	};

	return vkAllocateMemory(d->device, &mai, NULL, mem);
}

void
igt_vk_buffer_alloc(struct igt_vk_device *d, VkDeviceSize size,
		    VkBufferUsageFlags usage, const void *mem_next,
		    struct igt_vk_buffer *b)
{
	VkMemoryRequirements req;
	void *p;

	b->size = size;
	b->buffer = igt_vk_buffer_create(d, size, usage, 0, VK_NULL_HANDLE);
	vkGetBufferMemoryRequirements(d->device, b->buffer, &req);
	igt_assert_eq(igt_vk_memory_alloc(d, req.size, mem_next, &b->memory),
		      VK_SUCCESS);
	igt_assert_eq(vkBindBufferMemory(d->device, b->buffer, b->memory, 0),
		      VK_SUCCESS);
	igt_assert_eq(vkMapMemory(d->device, b->memory, 0, VK_WHOLE_SIZE, 0, &p),
		      VK_SUCCESS);
	b->map = p;
}

void
igt_vk_buffer_free(struct igt_vk_device *d, struct igt_vk_buffer *b)
{
	vkUnmapMemory(d->device, b->memory);
	vkDestroyBuffer(d->device, b->buffer, NULL);
	vkFreeMemory(d->device, b->memory, NULL);
}

/* A command buffer of @pool at @level, begun with @bi. */
static VkCommandBuffer
cmd_alloc_begin(struct igt_vk_device *d, VkCommandPool pool,
		VkCommandBufferLevel level, const VkCommandBufferBeginInfo *bi)
{
	VkCommandBufferAllocateInfo ai = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
		.commandPool = pool,
		.level = level,
		.commandBufferCount = 1,
	};
	VkCommandBuffer cmd;

	igt_assert_eq(vkAllocateCommandBuffers(d->device, &ai, &cmd),
		      VK_SUCCESS);
	igt_assert_eq(vkBeginCommandBuffer(cmd, bi), VK_SUCCESS);
	return cmd;
}

VkCommandBuffer
igt_vk_cmd_begin(struct igt_vk_device *d, VkCommandPool pool)
{
	VkCommandBufferBeginInfo bi = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
		.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
	};

	return cmd_alloc_begin(d, pool ? pool : d->pool,
			       VK_COMMAND_BUFFER_LEVEL_PRIMARY, &bi);
}

VkCommandBuffer
igt_vk_secondary_begin(struct igt_vk_device *d, VkCommandBufferUsageFlags flags)
{
	VkCommandBufferInheritanceInfo inh = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_INHERITANCE_INFO,
	};
	VkCommandBufferBeginInfo bi = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
		.flags = flags,
		.pInheritanceInfo = &inh,
	};

	return cmd_alloc_begin(d, d->pool, VK_COMMAND_BUFFER_LEVEL_SECONDARY,
			       &bi);
}

void
igt_vk_cmd_free(struct igt_vk_device *d, VkCommandBuffer cmd)
{
	vkFreeCommandBuffers(d->device, d->pool, 1, &cmd);
}

VkResult
__igt_vk_submit_wait(struct igt_vk_device *d, VkQueue queue,
		     VkCommandBuffer cmd, uint64_t timeout_ns)
{
	VkSubmitInfo si = {
		.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
		.commandBufferCount = 1,
		.pCommandBuffers = &cmd,
	};
	VkFence fence = igt_vk_fence_create(d, 0);
	VkResult r;

	igt_assert_eq(vkEndCommandBuffer(cmd), VK_SUCCESS);
	r = vkQueueSubmit(queue, 1, &si, fence);
	if (r == VK_SUCCESS)
		r = vkWaitForFences(d->device, 1, &fence, VK_TRUE, timeout_ns);
	vkDestroyFence(d->device, fence, NULL);
	igt_vk_cmd_free(d, cmd);
	return r;
}

void
igt_vk_submit_wait(struct igt_vk_device *d, VkQueue queue,
		   VkCommandBuffer cmd, uint64_t timeout_ns)
{
	igt_assert_eq(__igt_vk_submit_wait(d, queue, cmd, timeout_ns),
		      VK_SUCCESS);
}

static VkCommandBuffer
end_and_submit(struct igt_vk_device *d, VkCommandBuffer cmd,
	       const struct igt_vk_submit *s)
{
	static const struct igt_vk_submit none;
	VkPipelineStageFlags stages[8];
	VkSubmitInfo si = {
		.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
		.commandBufferCount = 1,
		.pCommandBuffers = &cmd,
	};
	uint32_t i;

	if (!s)
		s = &none;
	igt_assert(s->wait_count <= 8);
	for (i = 0; i < s->wait_count; i++)
		stages[i] = VK_PIPELINE_STAGE_TRANSFER_BIT;
	si.waitSemaphoreCount = s->wait_count;
	si.pWaitSemaphores = s->waits;
	si.pWaitDstStageMask = stages;
	si.signalSemaphoreCount = s->signal_count;
	si.pSignalSemaphores = s->signals;
	igt_assert_eq(vkEndCommandBuffer(cmd), VK_SUCCESS);
	igt_assert_eq(vkQueueSubmit(d->queue, 1, &si, s->fence), VK_SUCCESS);
	if (!s->no_wait)
		igt_assert_eq(vkQueueWaitIdle(d->queue), VK_SUCCESS);
	return cmd;
}

VkCommandBuffer
igt_vk_copy(struct igt_vk_device *d, VkBuffer src, VkBuffer dst,
	    VkDeviceSize size, const struct igt_vk_submit *s)
{
	VkCommandBuffer cmd = igt_vk_cmd_begin(d, VK_NULL_HANDLE);
	VkBufferCopy region = { .size = size };

	vkCmdCopyBuffer(cmd, src, dst, 1, &region);
	return end_and_submit(d, cmd, s);
}

VkCommandBuffer
igt_vk_fill(struct igt_vk_device *d, VkBuffer dst, VkDeviceSize size,
	    uint32_t value, const struct igt_vk_submit *s)
{
	VkCommandBuffer cmd = igt_vk_cmd_begin(d, VK_NULL_HANDLE);

	vkCmdFillBuffer(cmd, dst, 0, size, value);
	return end_and_submit(d, cmd, s);
}

VkSemaphore
igt_vk_semaphore_create(struct igt_vk_device *d, bool timeline,
			uint64_t initial,
			VkExternalSemaphoreHandleTypeFlags export_types)
{
	VkSemaphoreCreateInfo ci = { .sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO };
	VkSemaphoreTypeCreateInfo type = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
		.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE,
		.initialValue = initial,
	};
	VkExportSemaphoreCreateInfo export = {
		.sType = VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO,
		.handleTypes = export_types,
	};
	VkSemaphore sem;

	/* chain what applies: ci -> export -> type */
	if (timeline) {
		type.pNext = ci.pNext;
		ci.pNext = &type;
	}
	if (export_types) {
		export.pNext = ci.pNext;
		ci.pNext = &export;
	}
	igt_assert_eq(vkCreateSemaphore(d->device, &ci, NULL, &sem), VK_SUCCESS);
	return sem;
}

VkFence
igt_vk_fence_create(struct igt_vk_device *d, VkFenceCreateFlags flags)
{
	VkFenceCreateInfo ci = {
		.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
		.flags = flags,
	};
	VkFence fence;

	igt_assert_eq(vkCreateFence(d->device, &ci, NULL, &fence), VK_SUCCESS);
	return fence;
}
