/* SPDX-License-Identifier: MIT */
/*
 * svk_icd.c - the loader-driver interface and the vkGet*ProcAddr rules.
 *
 * The only exported symbols of the driver are the three vk_icd* functions
 * below (see vulkan.sym and the symbols-check test); the loader gets
 * everything else through vk_icdGetInstanceProcAddr. Names are looked up
 * in the generated table (svk_entrypoints.c) and are visible only when
 * the version or an extension that has them is enabled:
 *
 * - vkGetInstanceProcAddr (spec 5.2 "Command Function Pointers"): with a
 *   NULL instance only the global commands; with an instance, every
 *   instance, physical-device and device command of the instance's API
 *   version, of its enabled instance extensions, and of the device
 *   extensions a physical device supports; NULL for anything else.
 * - vkGetDeviceProcAddr: only device-level commands, of the device's
 *   effective API version (min of the instance's and the physical
 *   device's) and of its enabled extensions; NULL otherwise, including
 *   for instance and physical-device commands.
 * - vk_icdGetPhysicalDeviceProcAddr: only physical-device commands.
 */
#include "svk_private.h"

static uint32_t
version_no_patch(uint32_t v)
{
	return VK_MAKE_API_VERSION(0, VK_API_VERSION_MAJOR(v),
				   VK_API_VERSION_MINOR(v), 0);
}

bool
svk_entrypoint_visible(const struct svk_entrypoint *e, uint32_t version,
		       const struct svk_extension_set *instance_exts,
		       const struct svk_extension_set *device_exts)
{
	unsigned int i;

	if (e->core && e->core <= version_no_patch(version))
		return true;
	for (i = 0; i < SVK_ARRAY_SIZE(e->exts) && e->exts[i] >= 0; i++) {
		int x = e->exts[i];

		if (x < SVK_INSTANCE_EXT_COUNT) {
			if (instance_exts && instance_exts->on[x])
				return true;
		} else if (device_exts && device_exts->on[x]) {
			return true;
		}
	}
	return false;
}

VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
svk_GetInstanceProcAddr(VkInstance _instance, const char *pName)
{
	SVK_FROM_HANDLE(svk_instance, instance, _instance);
	const struct svk_entrypoint *e = svk_entrypoint_lookup(pName);
	struct svk_extension_set all_device = { { false } };
	unsigned int i;

	if (!e)
		return NULL;
	if (!instance) {
		/* Spec 5.2, table "vkGetInstanceProcAddr behavior". */
		return e->level == SVK_LEVEL_GLOBAL ? e->func : NULL;
	}
	if (e->level == SVK_LEVEL_GLOBAL)
		/* vkGetInstanceProcAddr itself works on any instance; the other
		 * global commands are undefined there: return them anyway. */
		return e->func;
	/* Device extensions count if the driver supports them: the
	 * application may create a device with them. */
	for (i = SVK_INSTANCE_EXT_COUNT; i < SVK_EXT_COUNT; i++)
		all_device.on[i] = true;
	if (!svk_entrypoint_visible(e, instance->api_version, &instance->enabled,
				    &all_device))
		return NULL;
	return e->func;
}

VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
svk_GetDeviceProcAddr(VkDevice _device, const char *pName)
{
	SVK_FROM_HANDLE(svk_device, device, _device);
	const struct svk_entrypoint *e = svk_entrypoint_lookup(pName);
	uint32_t version;

	if (!e || !device || e->level != SVK_LEVEL_DEVICE)
		return NULL;
	version = SVK_MIN(version_no_patch(device->pdev->instance->api_version),
			  version_no_patch(SVK_API_VERSION));
	if (!svk_entrypoint_visible(e, version, &device->pdev->instance->enabled,
				    &device->enabled))
		return NULL;
	return e->func;
}

#define SVK_EXPORT __attribute__((visibility("default")))

SVK_EXPORT VKAPI_ATTR VkResult VKAPI_CALL
vk_icdNegotiateLoaderICDInterfaceVersion(uint32_t *pSupportedVersion);
SVK_EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
vk_icdGetInstanceProcAddr(VkInstance instance, const char *pName);
SVK_EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
vk_icdGetPhysicalDeviceProcAddr(VkInstance instance, const char *pName);

/*
 * Loader-driver interface ("LoaderDriverInterface.md", vk_icd.h): the
 * loader offers the highest version it knows; we answer with the lower of
 * it and ours. Version 7 asks that vk_icdGetInstanceProcAddr also return
 * the vk_icd* functions, done below; versions 6 (Windows adapters) and 3
 * (surfaces are loader objects) need nothing from a driver without WSI.
 * Loaders older than version 2 cannot run a 1.1+ driver: refuse them.
 */
SVK_EXPORT VKAPI_ATTR VkResult VKAPI_CALL
vk_icdNegotiateLoaderICDInterfaceVersion(uint32_t *pSupportedVersion)
{
	if (*pSupportedVersion < 2)
		return VK_ERROR_INCOMPATIBLE_DRIVER;
	*pSupportedVersion = SVK_MIN(*pSupportedVersion,
				     SVK_ICD_INTERFACE_VERSION);
	return VK_SUCCESS;
}

SVK_EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
vk_icdGetInstanceProcAddr(VkInstance instance, const char *pName)
{
	if (pName && !strcmp(pName, "vk_icdNegotiateLoaderICDInterfaceVersion"))
		return (PFN_vkVoidFunction)vk_icdNegotiateLoaderICDInterfaceVersion;
	if (pName && !strcmp(pName, "vk_icdGetPhysicalDeviceProcAddr"))
		return (PFN_vkVoidFunction)vk_icdGetPhysicalDeviceProcAddr;
	return svk_GetInstanceProcAddr(instance, pName);
}

SVK_EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
vk_icdGetPhysicalDeviceProcAddr(VkInstance _instance, const char *pName)
{
	const struct svk_entrypoint *e = svk_entrypoint_lookup(pName);

	if (!e || e->level != SVK_LEVEL_PHYSICAL_DEVICE)
		return NULL;
	return svk_GetInstanceProcAddr(_instance, pName);
}
