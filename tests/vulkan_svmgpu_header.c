// SPDX-License-Identifier: MIT
/*
 * vulkan_svmgpu_header - compile-time check of include/vulkan/vulkan_svmgpu.h.
 *
 * Built (never run) twice, with and without VK_NO_PROTOTYPES, against the
 * system's Vulkan headers with the project's warnings as errors, so the
 * provisional header keeps compiling standalone after <vulkan/vulkan.h>,
 * its structure-type values keep following the registry's rule from the
 * extension number, and every PFN typedef keeps matching its prototype.
 */

#include <stddef.h>

#include <vulkan/vulkan.h>
#include <vulkan/vulkan_svmgpu.h>

#define SAM_STYPE(i) \
	(1000000000ll + (VK_EXT_SYSTEM_ALLOCATED_MEMORY_NUMBER - 1) * 1000ll + (i))

_Static_assert(VK_EXT_system_allocated_memory == 1, "extension macro");
_Static_assert(VK_EXT_SYSTEM_ALLOCATED_MEMORY_NUMBER >= 10000,
	       "the number stays outside the range Khronos registers");
_Static_assert(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT ==
	       SAM_STYPE(0), "features sType");
_Static_assert(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_PROPERTIES_EXT ==
	       SAM_STYPE(1), "properties sType");
_Static_assert(VK_STRUCTURE_TYPE_SYSTEM_MEMORY_ATTRIBUTES_EXT == SAM_STYPE(2),
	       "attributes sType");
_Static_assert(SAM_STYPE(999) <= 0x7fffffffll, "sType values fit an enum");

/* Chainable structures start like VkBaseOutStructure. */
_Static_assert(offsetof(VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT, pNext) ==
	       offsetof(VkBaseOutStructure, pNext), "features header");
_Static_assert(offsetof(VkPhysicalDeviceSystemAllocatedMemoryPropertiesEXT, pNext) ==
	       offsetof(VkBaseOutStructure, pNext), "properties header");
_Static_assert(offsetof(VkSystemMemoryAttributesEXT, pNext) ==
	       offsetof(VkBaseOutStructure, pNext), "attributes header");
_Static_assert(sizeof(VkSystemMemoryAccessEXT) == 4 &&
	       sizeof(VkSystemMemoryLocationEXT) == 4 &&
	       sizeof(VkSystemMemoryAttributeFlagBitsEXT) == 4, "32-bit enums");
_Static_assert(sizeof(VkSystemMemoryCopyEXT) == 24, "copy region");

#ifndef VK_NO_PROTOTYPES
#define SAME_TYPE(fn) \
	_Static_assert(__builtin_types_compatible_p(__typeof__(&fn), PFN_##fn), #fn)
SAME_TYPE(vkCmdCopySystemMemoryEXT);
SAME_TYPE(vkCmdFillSystemMemoryEXT);
SAME_TYPE(vkCmdUpdateSystemMemoryEXT);
SAME_TYPE(vkCmdPrefetchSystemMemoryEXT);
SAME_TYPE(vkSetSystemMemoryAttributesEXT);
SAME_TYPE(vkGetSystemMemoryAttributesEXT);
#endif

/* Something to compile: filling the structures as an application does. */
VkResult vulkan_svmgpu_header_use(VkDevice device, PFN_vkGetDeviceProcAddr gdpa);

VkResult vulkan_svmgpu_header_use(VkDevice device, PFN_vkGetDeviceProcAddr gdpa)
{
	VkPhysicalDeviceSystemAllocatedMemoryPropertiesEXT props = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_PROPERTIES_EXT,
	};
	VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT features = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT,
		.pNext = &props,
		.systemAllocatedMemory = VK_TRUE,
	};
	VkSystemMemoryAttributesEXT attrs = {
		.sType = VK_STRUCTURE_TYPE_SYSTEM_MEMORY_ATTRIBUTES_EXT,
		.attributeMask = VK_SYSTEM_MEMORY_ATTRIBUTE_ACCESS_BIT_EXT,
		.access = VK_SYSTEM_MEMORY_ACCESS_READ_ONLY_EXT,
	};
	PFN_vkSetSystemMemoryAttributesEXT set = (PFN_vkSetSystemMemoryAttributesEXT)
		gdpa(device, "vkSetSystemMemoryAttributesEXT");

	(void)features;
	if (!set)
		return VK_ERROR_EXTENSION_NOT_PRESENT;
	return set(device, (VkDeviceAddress)(uintptr_t)&attrs & ~4095ull, 4096, &attrs);
}
