/* SPDX-License-Identifier: MIT */
/*
 * igt_vk.c - Vulkan test helpers (igt_vk.h): instance with the
 * validation layer, an error-counting debug messenger, the svmgpu
 * physical device.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt_core.h"
#include "igt_vk.h"

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
#ifdef IGT_VK_ICD
	/* run on the build tree's ICD (ci runs the binaries uninstalled) */
	setenv("VK_DRIVER_FILES", IGT_VK_ICD, 0);
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
