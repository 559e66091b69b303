/* SPDX-License-Identifier: MIT */
/*
 * vulkan_svmgpu.h - provisional Vulkan extensions of the svmgpu driver.
 *
 * VK_EXT_system_allocated_memory: with the feature enabled on a VkDevice,
 * any address mapped in the process (malloc, mmap, the stack, a file
 * mapping) is a valid device address. The specification is
 * docs/VK_EXT_system_allocated_memory.md; this header is its C binding.
 *
 * PROVISIONAL AND UNREGISTERED. This extension is not in the Khronos
 * registry. Its extension number, 10001, lies outside the range Khronos
 * allocates (vk.xml of the 1.3.239 headers ends at 511; registered
 * numbers are far below 10000), so its VkStructureType values,
 * 1000000000 + (10001 - 1) * 1000 + i, collide with no registered value.
 * The interface may change incompatibly in any revision; applications
 * check VK_EXT_SYSTEM_ALLOCATED_MEMORY_SPEC_VERSION against the revision
 * vkEnumerateDeviceExtensionProperties reports.
 *
 * Include <vulkan/vulkan.h> (or <vulkan/vulkan_core.h>) first. Written
 * against the Vulkan 1.3.239 headers; it uses nothing newer than 1.2 and
 * VK_EXT_device_fault. Like the Khronos headers, it declares prototypes
 * unless VK_NO_PROTOTYPES is defined; the loader exports no extension
 * command, so applications get them with vkGetDeviceProcAddr (PFN_*).
 */
#ifndef VULKAN_SVMGPU_H_
#define VULKAN_SVMGPU_H_ 1

#ifndef VULKAN_CORE_H_
#error "include <vulkan/vulkan.h> before <vulkan/vulkan_svmgpu.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * If a future vulkan_core.h defines an extension of the same name, that
 * definition wins and this one steps aside.
 */
#ifndef VK_EXT_system_allocated_memory
#define VK_EXT_system_allocated_memory 1
#define VK_EXT_SYSTEM_ALLOCATED_MEMORY_SPEC_VERSION 1
#define VK_EXT_SYSTEM_ALLOCATED_MEMORY_EXTENSION_NAME "VK_EXT_system_allocated_memory"
/* The (unregistered) extension number the values below derive from. */
#define VK_EXT_SYSTEM_ALLOCATED_MEMORY_NUMBER 10001

/*
 * VkStructureType values: 1000000000 + (number - 1) * 1000 + offset, the
 * registry's rule. Macros, not enumerants, since VkStructureType cannot
 * be extended outside vulkan_core.h.
 */
#define VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT \
	((VkStructureType)1010000000)
#define VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_PROPERTIES_EXT \
	((VkStructureType)1010000001)
#define VK_STRUCTURE_TYPE_SYSTEM_MEMORY_ATTRIBUTES_EXT \
	((VkStructureType)1010000002)

/* What the device may do with a range of system memory. */
typedef enum VkSystemMemoryAccessEXT {
    VK_SYSTEM_MEMORY_ACCESS_NONE_EXT = 0,
    VK_SYSTEM_MEMORY_ACCESS_READ_ONLY_EXT = 1,
    VK_SYSTEM_MEMORY_ACCESS_READ_WRITE_EXT = 2,
    VK_SYSTEM_MEMORY_ACCESS_MAX_ENUM_EXT = 0x7FFFFFFF
} VkSystemMemoryAccessEXT;

/* Where a range of system memory should preferably reside. */
typedef enum VkSystemMemoryLocationEXT {
    VK_SYSTEM_MEMORY_LOCATION_HOST_EXT = 0,
    VK_SYSTEM_MEMORY_LOCATION_MAX_ENUM_EXT = 0x7FFFFFFF
} VkSystemMemoryLocationEXT;

/* The members of VkSystemMemoryAttributesEXT an operation concerns. */
typedef enum VkSystemMemoryAttributeFlagBitsEXT {
    VK_SYSTEM_MEMORY_ATTRIBUTE_ACCESS_BIT_EXT = 0x00000001,
    VK_SYSTEM_MEMORY_ATTRIBUTE_MAX_CHUNK_SIZE_BIT_EXT = 0x00000002,
    VK_SYSTEM_MEMORY_ATTRIBUTE_READ_MOSTLY_BIT_EXT = 0x00000004,
    VK_SYSTEM_MEMORY_ATTRIBUTE_PREFERRED_LOCATION_BIT_EXT = 0x00000008,
    VK_SYSTEM_MEMORY_ATTRIBUTE_FLAG_BITS_MAX_ENUM_EXT = 0x7FFFFFFF
} VkSystemMemoryAttributeFlagBitsEXT;
typedef VkFlags VkSystemMemoryAttributeFlagsEXT;

/* Reserved for future use. */
typedef VkFlags VkSystemMemoryPrefetchFlagsEXT;

typedef struct VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT {
    VkStructureType    sType;
    void*              pNext;
    VkBool32           systemAllocatedMemory;
    VkBool32           systemAllocatedMemoryConcurrentAccess;
    VkBool32           systemAllocatedMemoryAtomics;
    VkBool32           systemAllocatedMemoryAddressCommands;
    VkBool32           systemAllocatedMemoryRangeAttributes;
} VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT;

typedef struct VkPhysicalDeviceSystemAllocatedMemoryPropertiesEXT {
    VkStructureType    sType;
    void*              pNext;
    VkDeviceSize       systemMemoryRangeGranularity;
    uint32_t           systemMemoryAddressBits;
    VkDeviceAddress    minSystemMemoryAddress;
    VkDeviceSize       maxSystemMemoryUpdateSize;
    VkBool32           recoverableFaultReporting;
} VkPhysicalDeviceSystemAllocatedMemoryPropertiesEXT;

typedef struct VkSystemMemoryAttributesEXT {
    VkStructureType                    sType;
    void*                              pNext;
    VkSystemMemoryAttributeFlagsEXT    attributeMask;
    VkSystemMemoryAttributeFlagsEXT    mixedAttributes;
    VkSystemMemoryAccessEXT            access;
    VkDeviceSize                       maxChunkSize;
    VkBool32                           readMostly;
    VkSystemMemoryLocationEXT          preferredLocation;
} VkSystemMemoryAttributesEXT;

typedef struct VkSystemMemoryCopyEXT {
    VkDeviceAddress    srcAddress;
    VkDeviceAddress    dstAddress;
    VkDeviceSize       size;
} VkSystemMemoryCopyEXT;

typedef void (VKAPI_PTR *PFN_vkCmdCopySystemMemoryEXT)(VkCommandBuffer commandBuffer, uint32_t regionCount, const VkSystemMemoryCopyEXT* pRegions);
typedef void (VKAPI_PTR *PFN_vkCmdFillSystemMemoryEXT)(VkCommandBuffer commandBuffer, VkDeviceAddress dstAddress, VkDeviceSize size, uint32_t data);
typedef void (VKAPI_PTR *PFN_vkCmdUpdateSystemMemoryEXT)(VkCommandBuffer commandBuffer, VkDeviceAddress dstAddress, VkDeviceSize dataSize, const void* pData);
typedef void (VKAPI_PTR *PFN_vkCmdPrefetchSystemMemoryEXT)(VkCommandBuffer commandBuffer, VkDeviceAddress address, VkDeviceSize size, VkSystemMemoryPrefetchFlagsEXT flags);
typedef VkResult (VKAPI_PTR *PFN_vkSetSystemMemoryAttributesEXT)(VkDevice device, VkDeviceAddress address, VkDeviceSize size, const VkSystemMemoryAttributesEXT* pAttributes);
typedef VkResult (VKAPI_PTR *PFN_vkGetSystemMemoryAttributesEXT)(VkDevice device, VkDeviceAddress address, VkDeviceSize size, VkSystemMemoryAttributesEXT* pAttributes);

#ifndef VK_NO_PROTOTYPES
VKAPI_ATTR void VKAPI_CALL vkCmdCopySystemMemoryEXT(
    VkCommandBuffer                             commandBuffer,
    uint32_t                                    regionCount,
    const VkSystemMemoryCopyEXT*                pRegions);

VKAPI_ATTR void VKAPI_CALL vkCmdFillSystemMemoryEXT(
    VkCommandBuffer                             commandBuffer,
    VkDeviceAddress                             dstAddress,
    VkDeviceSize                                size,
    uint32_t                                    data);

VKAPI_ATTR void VKAPI_CALL vkCmdUpdateSystemMemoryEXT(
    VkCommandBuffer                             commandBuffer,
    VkDeviceAddress                             dstAddress,
    VkDeviceSize                                dataSize,
    const void*                                 pData);

VKAPI_ATTR void VKAPI_CALL vkCmdPrefetchSystemMemoryEXT(
    VkCommandBuffer                             commandBuffer,
    VkDeviceAddress                             address,
    VkDeviceSize                                size,
    VkSystemMemoryPrefetchFlagsEXT              flags);

VKAPI_ATTR VkResult VKAPI_CALL vkSetSystemMemoryAttributesEXT(
    VkDevice                                    device,
    VkDeviceAddress                             address,
    VkDeviceSize                                size,
    const VkSystemMemoryAttributesEXT*          pAttributes);

VKAPI_ATTR VkResult VKAPI_CALL vkGetSystemMemoryAttributesEXT(
    VkDevice                                    device,
    VkDeviceAddress                             address,
    VkDeviceSize                                size,
    VkSystemMemoryAttributesEXT*                pAttributes);
#endif /* VK_NO_PROTOTYPES */

#endif /* VK_EXT_system_allocated_memory */

#ifdef __cplusplus
}
#endif

#endif /* VULKAN_SVMGPU_H_ */
