/* SPDX-License-Identifier: MIT */
/*
 * instance.c - VkInstance: creation with its API version and extensions,
 * the instance-level enumeration commands, and physical-device
 * enumeration (one VkPhysicalDevice per svmgpu render node).
 */
#include <stdlib.h>

#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_EnumerateInstanceVersion(uint32_t *pApiVersion)
{
	*pApiVersion = SVK_API_VERSION;
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_EnumerateInstanceLayerProperties(uint32_t *pPropertyCount,
				     VkLayerProperties *pProperties)
{
	(void)pProperties;
	*pPropertyCount = 0;
	return VK_SUCCESS;
}

/* The count/array protocol of spec 3.6.2 "Opaque Non-Dispatchable Handles"
 * / "Returning lists": fill what fits, VK_INCOMPLETE if not all did. */
static VkResult
fill_extensions(bool device, const struct svk_extension_set *supported,
		uint32_t *count, VkExtensionProperties *props)
{
	uint32_t n = 0, cap = *count;
	unsigned int i;
	VkResult result = VK_SUCCESS;

	for (i = 0; i < SVK_EXT_COUNT; i++) {
		if (svk_ext_table[i].device != device)
			continue;
		if (supported && !supported->on[i])
			continue;
		if (props) {
			if (n == cap) {
				result = VK_INCOMPLETE;
				break;
			}
			props[n] = svk_ext_table[i].props;
		}
		n++;
	}
	*count = n;
	return result;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_EnumerateInstanceExtensionProperties(const char *pLayerName,
					 uint32_t *pPropertyCount,
					 VkExtensionProperties *pProperties)
{
	if (pLayerName)
		return VK_ERROR_LAYER_NOT_PRESENT;
	return fill_extensions(false, NULL, pPropertyCount, pProperties);
}

VkResult
svk_enumerate_device_extensions(const struct svk_extension_set *supported,
				uint32_t *count, VkExtensionProperties *props);
VkResult
svk_enumerate_device_extensions(const struct svk_extension_set *supported,
				uint32_t *count, VkExtensionProperties *props)
{
	return fill_extensions(true, supported, count, props);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateInstance(const VkInstanceCreateInfo *pCreateInfo,
		   const VkAllocationCallbacks *pAllocator,
		   VkInstance *pInstance)
{
	const VkAllocationCallbacks *alloc = pAllocator ? pAllocator :
					     &svk_default_alloc;
	const VkDebugUtilsMessengerCreateInfoEXT *dbg;
	struct svk_instance *instance;
	uint32_t i, j;

	instance = svk_zalloc(alloc, sizeof(*instance),
			      VK_SYSTEM_ALLOCATION_SCOPE_INSTANCE);
	if (!instance)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&instance->base, VK_OBJECT_TYPE_INSTANCE);
	instance->alloc = *alloc;
	pthread_mutex_init(&instance->lock, NULL);

	/* Spec 4.2 "Instances": apiVersion 0 means 1.0; any higher version
	 * is accepted (a 1.1+ implementation must not fail for it). */
	instance->api_version = VK_API_VERSION_1_0;
	if (pCreateInfo->pApplicationInfo &&
	    pCreateInfo->pApplicationInfo->apiVersion)
		instance->api_version = pCreateInfo->pApplicationInfo->apiVersion;

	for (i = 0; i < pCreateInfo->enabledExtensionCount; i++) {
		const char *name = pCreateInfo->ppEnabledExtensionNames[i];

		for (j = 0; j < SVK_INSTANCE_EXT_COUNT; j++)
			if (!strcmp(name, svk_ext_table[j].props.extensionName))
				break;
		if (j == SVK_INSTANCE_EXT_COUNT) {
			pthread_mutex_destroy(&instance->lock);
			svk_free(alloc, instance);
			return VK_ERROR_EXTENSION_NOT_PRESENT;
		}
		instance->enabled.on[j] = true;
	}

	/* VK_EXT_debug_utils: messengers chained to the create info report
	 * during vkCreateInstance/vkDestroyInstance. Such a messenger lives
	 * in the instance until it is destroyed. */
	dbg = svk_find_struct(pCreateInfo->pNext,
			      VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT);
	if (dbg && instance->enabled.on[SVK_VK_EXT_debug_utils]) {
		VkDebugUtilsMessengerEXT m;

		(void)svk_CreateDebugUtilsMessengerEXT(svk_instance_to_handle(instance),
						       dbg, pAllocator, &m);
	}

	*pInstance = svk_instance_to_handle(instance);
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroyInstance(VkInstance _instance, const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_instance, instance, _instance);
	struct svk_debug_messenger *m, *next;
	uint32_t i;

	(void)pAllocator;
	if (!instance)
		return;
	for (i = 0; i < instance->physical_device_count; i++)
		svk_physical_device_finish(&instance->physical_devices[i]);
	svk_free(&instance->alloc, instance->physical_devices);
	for (m = instance->messengers; m; m = next) {
		next = m->next;
		svk_free(&instance->alloc, m);
	}
	pthread_mutex_destroy(&instance->lock);
	svk_object_finish(&instance->base, &instance->alloc);
	svk_free(&instance->alloc, instance);
}

/* Open every svmgpu render node once, the first time it is asked for. A
 * node that fails to open is skipped (its reason goes to debug utils). */
static VkResult
enumerate_devices(struct svk_instance *instance)
{
	int count;
	uint32_t n = 0;
	int i;

	if (instance->physical_devices_done)
		return instance->physical_devices_result;
	instance->physical_devices_done = true;
	count = svk_ws_device_count();
	if (count <= 0) {
		instance->physical_devices_result = count < 0 ?
			VK_ERROR_OUT_OF_HOST_MEMORY : VK_SUCCESS;
		return instance->physical_devices_result;
	}
	instance->physical_devices =
		svk_zalloc(&instance->alloc,
			   sizeof(*instance->physical_devices) * count,
			   VK_SYSTEM_ALLOCATION_SCOPE_INSTANCE);
	if (!instance->physical_devices) {
		instance->physical_devices_result = VK_ERROR_OUT_OF_HOST_MEMORY;
		return instance->physical_devices_result;
	}
	for (i = 0; i < count; i++) {
		VkResult r = svk_physical_device_init(instance,
						      &instance->physical_devices[n], i);
		if (r == VK_SUCCESS)
			n++;
		else
			svk_debug_message(instance,
					  VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT,
					  "svmgpu: device %d skipped (VkResult %d)", i, r);
	}
	instance->physical_device_count = n;
	instance->physical_devices_result = VK_SUCCESS;
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_EnumeratePhysicalDevices(VkInstance _instance, uint32_t *pPhysicalDeviceCount,
			     VkPhysicalDevice *pPhysicalDevices)
{
	SVK_FROM_HANDLE(svk_instance, instance, _instance);
	VkResult result;
	uint32_t i, n;

	pthread_mutex_lock(&instance->lock);
	result = enumerate_devices(instance);
	pthread_mutex_unlock(&instance->lock);
	if (result != VK_SUCCESS)
		return result;
	if (!pPhysicalDevices) {
		*pPhysicalDeviceCount = instance->physical_device_count;
		return VK_SUCCESS;
	}
	n = SVK_MIN(*pPhysicalDeviceCount, instance->physical_device_count);
	for (i = 0; i < n; i++)
		pPhysicalDevices[i] =
			svk_physical_device_to_handle(&instance->physical_devices[i]);
	*pPhysicalDeviceCount = n;
	return n < instance->physical_device_count ? VK_INCOMPLETE : VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_EnumeratePhysicalDeviceGroups(VkInstance _instance,
				  uint32_t *pPhysicalDeviceGroupCount,
				  VkPhysicalDeviceGroupProperties *pGroups)
{
	SVK_FROM_HANDLE(svk_instance, instance, _instance);
	VkResult result;
	uint32_t i, n;

	/* Every device is a group of its own (no device groups). */
	pthread_mutex_lock(&instance->lock);
	result = enumerate_devices(instance);
	pthread_mutex_unlock(&instance->lock);
	if (result != VK_SUCCESS)
		return result;
	if (!pGroups) {
		*pPhysicalDeviceGroupCount = instance->physical_device_count;
		return VK_SUCCESS;
	}
	n = SVK_MIN(*pPhysicalDeviceGroupCount, instance->physical_device_count);
	for (i = 0; i < n; i++) {
		pGroups[i].physicalDeviceCount = 1;
		memset(pGroups[i].physicalDevices, 0,
		       sizeof(pGroups[i].physicalDevices));
		pGroups[i].physicalDevices[0] =
			svk_physical_device_to_handle(&instance->physical_devices[i]);
		pGroups[i].subsetAllocation = VK_FALSE;
	}
	*pPhysicalDeviceGroupCount = n;
	return n < instance->physical_device_count ? VK_INCOMPLETE : VK_SUCCESS;
}
