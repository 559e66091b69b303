// SPDX-License-Identifier: MIT
/*
 * igt_vk.c - Vulkan helpers for the svmgpu test binaries (igt_vk.h):
 * loader setup for the build tree's ICD, validated instances, devices,
 * buffers and one-shot transfer submissions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_vk.h"

static bool have_validation;
static unsigned int validation_count;
static char validation_last[1024];
static VkDebugUtilsMessengerEXT messenger;

void
igt_vk_setup(void)
{
	const char *icd = getenv("SVMGPU_VK_ICD");
	VkLayerProperties layers[64];
	uint32_t n = 64, i;

	if (!icd)
		icd = SVK_ICD_MANIFEST;
	igt_require_f(access(icd, R_OK) == 0, "no ICD manifest at %s\n", icd);
	/* the build tree's driver and nothing else */
	setenv("VK_DRIVER_FILES", icd, 1);
	if (vkEnumerateInstanceLayerProperties(&n, layers) >= 0)
		for (i = 0; i < n; i++)
			if (!strcmp(layers[i].layerName,
				    "VK_LAYER_KHRONOS_validation"))
				have_validation = true;
}

static VKAPI_ATTR VkBool32 VKAPI_CALL
on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
	   VkDebugUtilsMessageTypeFlagsEXT types,
	   const VkDebugUtilsMessengerCallbackDataEXT *data, void *user)
{
	(void)types;
	(void)user;
	if (severity & (VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT |
			VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT)) {
		validation_count++;
		snprintf(validation_last, sizeof(validation_last), "%s",
			 data->pMessage ? data->pMessage : "?");
		igt_info("validation: %s\n", validation_last);
	}
	return VK_FALSE;
}

void
igt_vk_check_validation(void)
{
	igt_assert_f(validation_count == 0,
		     "%u validation message(s), last: %s\n", validation_count,
		     validation_last);
}

VkInstance
igt_vk_instance_create(bool validate)
{
	const char *layers[] = { "VK_LAYER_KHRONOS_validation" };
	const char *exts[] = { VK_EXT_DEBUG_UTILS_EXTENSION_NAME };
	VkDebugUtilsMessengerCreateInfoEXT mci = {
		.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
		.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT |
				   VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT,
		.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
			       VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
			       VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
		.pfnUserCallback = on_message,
	};
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "svmgpu-igt",
		.apiVersion = VK_API_VERSION_1_2,
	};
	VkInstanceCreateInfo ci = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		/* chained, the messenger also sees create/destroy */
		.pNext = validate ? &mci : NULL,
		.pApplicationInfo = &app,
		.enabledLayerCount = validate ? 1 : 0,
		.ppEnabledLayerNames = layers,
		.enabledExtensionCount = 1,
		.ppEnabledExtensionNames = exts,
	};
	PFN_vkCreateDebugUtilsMessengerEXT create;
	VkInstance instance;

	if (validate)
		igt_require_f(have_validation,
			      "VK_LAYER_KHRONOS_validation is not installed\n");
	validation_count = 0;
	messenger = VK_NULL_HANDLE;
	igt_assert_eq(vkCreateInstance(&ci, NULL, &instance), VK_SUCCESS);
	if (validate) {
		create = (PFN_vkCreateDebugUtilsMessengerEXT)
			vkGetInstanceProcAddr(instance,
					      "vkCreateDebugUtilsMessengerEXT");
		igt_assert(create);
		igt_assert_eq(create(instance, &mci, NULL, &messenger),
			      VK_SUCCESS);
	}
	return instance;
}

void
igt_vk_instance_destroy(VkInstance instance)
{
	PFN_vkDestroyDebugUtilsMessengerEXT destroy;

	if (messenger) {
		destroy = (PFN_vkDestroyDebugUtilsMessengerEXT)
			vkGetInstanceProcAddr(instance,
					      "vkDestroyDebugUtilsMessengerEXT");
		destroy(instance, messenger, NULL);
		messenger = VK_NULL_HANDLE;
	}
	vkDestroyInstance(instance, NULL);
	igt_vk_check_validation();
}

static bool
has_extension(VkPhysicalDevice pdev, const char *name)
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

void
igt_vk_device_create(struct igt_vk_device *d, VkInstance instance,
		     const char *const *exts, uint32_t ext_count)
{
	VkPhysicalDevice pdevs[8];
	uint32_t n = 8, i;
	float prio = 1.0f;
	VkDeviceQueueCreateInfo qci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		.queueFamilyIndex = 0,
		.queueCount = 1,
		.pQueuePriorities = &prio,
	};
	/* timeline semaphores: core 1.2, supported by the driver */
	VkPhysicalDeviceTimelineSemaphoreFeatures f12 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
		.timelineSemaphore = VK_TRUE,
	};
	VkDeviceCreateInfo dci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
		.pNext = &f12,
		.queueCreateInfoCount = 1,
		.pQueueCreateInfos = &qci,
		.enabledExtensionCount = ext_count,
		.ppEnabledExtensionNames = exts,
	};
	VkCommandPoolCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
		.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
		.queueFamilyIndex = 0,
	};

	memset(d, 0, sizeof(*d));
	igt_assert(vkEnumeratePhysicalDevices(instance, &n, pdevs) >= 0);
	igt_require_f(n > 0, "no svmgpu Vulkan device\n");
	d->pdev = pdevs[0];
	for (i = 0; i < ext_count; i++)
		igt_require_f(has_extension(d->pdev, exts[i]),
			      "%s is not supported\n", exts[i]);
	igt_assert_eq(vkCreateDevice(d->pdev, &dci, NULL, &d->device),
		      VK_SUCCESS);
	vkGetDeviceQueue(d->device, 0, 0, &d->queue);
	igt_assert_eq(vkCreateCommandPool(d->device, &pci, NULL, &d->pool),
		      VK_SUCCESS);
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
}

PFN_vkVoidFunction
igt_vk_proc(struct igt_vk_device *d, const char *name)
{
	PFN_vkVoidFunction f = vkGetDeviceProcAddr(d->device, name);

	igt_assert_f(f, "no %s\n", name);
	return f;
}

VkBuffer
igt_vk_buffer_create(struct igt_vk_device *d, VkDeviceSize size,
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
			 VK_BUFFER_USAGE_TRANSFER_DST_BIT,
		.sharingMode = VK_SHARING_MODE_EXCLUSIVE,
	};
	VkMemoryRequirements req;
	VkBuffer buf;

	igt_assert_eq(vkCreateBuffer(d->device, &bci, NULL, &buf), VK_SUCCESS);
	vkGetBufferMemoryRequirements(d->device, buf, &req);
	igt_assert(req.memoryTypeBits & 1);
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

static VkCommandBuffer
begin(struct igt_vk_device *d)
{
	VkCommandBufferAllocateInfo ai = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
		.commandPool = d->pool,
		.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
		.commandBufferCount = 1,
	};
	VkCommandBufferBeginInfo bi = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
		.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
	};
	VkCommandBuffer cmd;

	igt_assert_eq(vkAllocateCommandBuffers(d->device, &ai, &cmd),
		      VK_SUCCESS);
	igt_assert_eq(vkBeginCommandBuffer(cmd, &bi), VK_SUCCESS);
	return cmd;
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
	VkCommandBuffer cmd = begin(d);
	VkBufferCopy region = { .size = size };

	vkCmdCopyBuffer(cmd, src, dst, 1, &region);
	return end_and_submit(d, cmd, s);
}

VkCommandBuffer
igt_vk_fill(struct igt_vk_device *d, VkBuffer dst, VkDeviceSize size,
	    uint32_t value, const struct igt_vk_submit *s)
{
	VkCommandBuffer cmd = begin(d);

	vkCmdFillBuffer(cmd, dst, 0, size, value);
	return end_and_submit(d, cmd, s);
}

void
igt_vk_cmd_free(struct igt_vk_device *d, VkCommandBuffer cmd)
{
	vkFreeCommandBuffers(d->device, d->pool, 1, &cmd);
}

/* ---- struct igt_vk: per-instance validation state ---- */

/* @allow: '|'-separated substrings, or NULL */
static bool
allowed(const char *allow, const char *msg)
{
	while (allow && *allow) {
		const char *end = strchr(allow, '|');
		size_t n = end ? (size_t)(end - allow) : strlen(allow);
		char part[256];

		if (n < sizeof(part)) {
			memcpy(part, allow, n);
			part[n] = 0;
			if (strstr(msg, part))
				return true;
		}
		allow = end ? end + 1 : NULL;
	}
	return false;
}

static VKAPI_ATTR VkBool32 VKAPI_CALL
messenger_cb(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
	     VkDebugUtilsMessageTypeFlagsEXT types,
	     const VkDebugUtilsMessengerCallbackDataEXT *data, void *user)
{
	struct igt_vk *vk = user;
	const char *msg = data->pMessage ? data->pMessage : "";

	(void)types;
	if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
		if (allowed(vk->allow, msg)) {
			igt_info("expected error: %s\n", msg);
		} else {
			igt_warn("Vulkan error: %s\n", msg);
			vk->errors++;
		}
	} else if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
		igt_info("Vulkan warning: %s\n", msg);
	}
	return VK_FALSE;
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

void
igt_vk_init(struct igt_vk *vk)
{
	static const char *layer = "VK_LAYER_KHRONOS_validation";
	const char *ext = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
	VkDebugUtilsMessengerCreateInfoEXT mci = {
		.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
		.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT |
				   VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT,
		.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
			       VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
			       VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
		.pfnUserCallback = messenger_cb,
		.pUserData = vk,
	};
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "igt",
		.apiVersion = VK_API_VERSION_1_2,
	};
	VkInstanceCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pNext = &mci,
		.pApplicationInfo = &app,
		.enabledExtensionCount = 1,
		.ppEnabledExtensionNames = &ext,
	};
	PFN_vkCreateDebugUtilsMessengerEXT create_messenger;
	VkPhysicalDevice pdevs[16];
	uint32_t n = 16, i;
	VkResult r;

	memset(vk, 0, sizeof(*vk));
#ifdef SVK_ICD_MANIFEST
	/* run on the build tree's ICD (ci runs the binaries uninstalled) */
	setenv("VK_DRIVER_FILES", SVK_ICD_MANIFEST, 0);
#endif
	vk->layer = has_layer(layer);
	if (vk->layer) {
		ici.enabledLayerCount = 1;
		ici.ppEnabledLayerNames = &layer;
	} else {
		igt_info("%s not installed: running without it\n", layer);
	}
	r = vkCreateInstance(&ici, NULL, &vk->instance);
	igt_require_f(r == VK_SUCCESS, "vkCreateInstance: %d\n", r);
	create_messenger = (PFN_vkCreateDebugUtilsMessengerEXT)
		vkGetInstanceProcAddr(vk->instance, "vkCreateDebugUtilsMessengerEXT");
	igt_assert(create_messenger);
	igt_assert_eq(create_messenger(vk->instance, &mci, NULL, &vk->messenger),
		      VK_SUCCESS);
	r = vkEnumeratePhysicalDevices(vk->instance, &n, pdevs);
	igt_require_f(r >= 0, "vkEnumeratePhysicalDevices: %d\n", r);
	for (i = 0; i < n; i++) {
		VkPhysicalDeviceDriverProperties drv = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES,
		};
		VkPhysicalDeviceProperties2 p = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
			.pNext = &drv,
		};

		vkGetPhysicalDeviceProperties2(pdevs[i], &p);
		if (strstr(p.properties.deviceName, "svmgpu")) {
			vk->pdev = pdevs[i];
			break;
		}
	}
	igt_require_f(vk->pdev, "no svmgpu Vulkan device\n");
}

void
igt_vk_fini(struct igt_vk *vk)
{
	PFN_vkDestroyDebugUtilsMessengerEXT destroy;

	if (!vk->instance)
		return;
	destroy = (PFN_vkDestroyDebugUtilsMessengerEXT)
		vkGetInstanceProcAddr(vk->instance, "vkDestroyDebugUtilsMessengerEXT");
	if (destroy && vk->messenger)
		destroy(vk->instance, vk->messenger, NULL);
	vkDestroyInstance(vk->instance, NULL);
	vk->instance = VK_NULL_HANDLE;
}

bool
igt_vk_has_device_ext(struct igt_vk *vk, const char *name)
{
	VkExtensionProperties props[64];
	uint32_t n = 64, i;

	if (vkEnumerateDeviceExtensionProperties(vk->pdev, NULL, &n, props) < 0)
		return false;
	for (i = 0; i < n; i++)
		if (!strcmp(props[i].extensionName, name))
			return true;
	return false;
}
