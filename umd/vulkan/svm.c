/* SPDX-License-Identifier: MIT */
/*
 * svm.c - VK_EXT_system_allocated_memory (docs/VK_EXT_system_allocated_memory.md):
 * whether the physical device has it, its feature and property structs,
 * the fault-mode VM of a device that enables it (mirror window),
 * VkDeviceMemory bound at its CPU address, and
 * vkSet/GetSystemMemoryAttributesEXT.
 */
#include <errno.h>
#include <stdlib.h>

#include "svk_private.h"

bool
svk_svm_supported(const struct svk_physical_device *pdev)
{
	/* Spec "Features": all VK_TRUE when the kernel has
	 * DRM_SVMGPU_FEATURE_FAULT_MODE, all VK_FALSE otherwise. */
	return pdev->kernel_features & DRM_SVMGPU_FEATURE_FAULT_MODE;
}

void
svk_svm_physical_device_init(struct svk_physical_device *pdev)
{
	/* Without fault mode the extension is not advertised at all. */
	pdev->supported.on[SVK_VK_EXT_system_allocated_memory] =
		svk_svm_supported(pdev);
}

bool
svk_svm_fill_features(const struct svk_physical_device *pdev,
		      VkBaseOutStructure *s)
{
	VkBool32 on = svk_svm_supported(pdev) ? VK_TRUE : VK_FALSE;

	switch ((int)s->sType) {
	case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT: {
		VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT *f = (void *)s;

		f->systemAllocatedMemory = on;
		f->systemAllocatedMemoryConcurrentAccess = on;
		f->systemAllocatedMemoryAtomics = on;
		f->systemAllocatedMemoryAddressCommands = on;
		f->systemAllocatedMemoryRangeAttributes = on;
		return true;
	}
	default:
		return false;
	}
}

bool
svk_svm_fill_properties(const struct svk_physical_device *pdev,
			VkBaseOutStructure *s)
{
	if ((int)s->sType !=
	    VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_PROPERTIES_EXT)
		return false;
	VkPhysicalDeviceSystemAllocatedMemoryPropertiesEXT *p = (void *)s;
	bool on = svk_svm_supported(pdev);

	/* Spec "Properties", svmgpu's values. */
	p->systemMemoryRangeGranularity = on ? SVK_SVM_GRANULARITY : 0;
	p->systemMemoryAddressBits = on ? SVK_SVM_ADDRESS_BITS : 0;
	p->minSystemMemoryAddress = on ? DRM_SVMGPU_VM_GUARD : 0;
	p->maxSystemMemoryUpdateSize = on ? SVK_SVM_MAX_UPDATE : 0;
	p->recoverableFaultReporting = on ? VK_TRUE : VK_FALSE;
	return true;
}

VkResult
svk_svm_device_create(struct svk_device *dev, const VkDeviceCreateInfo *info)
{
	const VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT *f =
		svk_find_struct(info->pNext,
				VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT);
	struct svk_svm_device *svm;
	int err;

	if (!f || !(f->systemAllocatedMemory ||
		    f->systemAllocatedMemoryConcurrentAccess ||
		    f->systemAllocatedMemoryAtomics ||
		    f->systemAllocatedMemoryAddressCommands ||
		    f->systemAllocatedMemoryRangeAttributes))
		return VK_SUCCESS;
	/* Spec "Device Creation": an unsupported feature fails creation. */
	if (!svk_svm_supported(dev->pdev) ||
	    !dev->enabled.on[SVK_VK_EXT_system_allocated_memory]) {
		svk_debug_message(dev->pdev->instance,
				  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
				  "vkCreateDevice: systemAllocatedMemory features need %s",
				  svk_svm_supported(dev->pdev) ?
				  "VK_EXT_system_allocated_memory enabled" :
				  "a kernel with DRM_SVMGPU_FEATURE_FAULT_MODE");
		return VK_ERROR_FEATURE_NOT_PRESENT;
	}
	/* VUID-VkDeviceCreateInfo-systemAllocatedMemoryConcurrentAccess-10001001 */
	if (!f->systemAllocatedMemory) {
		svk_debug_message(dev->pdev->instance,
				  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
				  "VUID-VkDeviceCreateInfo-systemAllocatedMemoryConcurrentAccess-10001001: "
				  "a systemAllocatedMemory* feature is enabled without systemAllocatedMemory");
		return VK_ERROR_FEATURE_NOT_PRESENT;
	}

	svm = svk_zalloc(&dev->alloc, sizeof(*svm),
			 VK_SYSTEM_ALLOCATION_SCOPE_DEVICE);
	if (!svm)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svm->features = *f;
	svm->features.pNext = NULL;

	/* Spec "Implementation on svmgpu": VM_CREATE with FAULT_MODE, one
	 * mirror window over [VM_GUARD, 2^47). */
	err = svk_ws_vm_create_fault(dev->ws, &dev->vm);
	if (err)
		goto err_free;
	err = svk_ws_vm_mirror(dev->vm, DRM_SVMGPU_VM_GUARD,
			       SVK_SVM_MIRROR_END - DRM_SVMGPU_VM_GUARD);
	if (err)
		goto err_vm;
	dev->svm = svm;
	return VK_SUCCESS;

err_vm:
	svk_ws_vm_destroy(dev->vm);
	dev->vm = NULL;
err_free:
	svk_free(&dev->alloc, svm);
	return svk_ws_result(err, VK_ERROR_INITIALIZATION_FAILED);
}

void
svk_svm_device_destroy(struct svk_device *dev)
{
	struct svk_svm_device *svm = dev->svm;

	if (!svm)
		return;
	svk_free(&dev->alloc, svm);
	dev->svm = NULL;
}

/*
 * Spec "Host-pointer imports": imported host memory is already in the
 * mirror and its device address is the pointer; nothing is bound. What
 * the import checks is that the device can use the range now: a
 * prefetch of it (VM_BIND PREFETCH) fails with -EFAULT where the process
 * maps nothing, maps device memory (VM_IO/VM_PFNMAP, such as a BO's
 * mmap, or this device's own VkDeviceMemory) or where the range
 * attributes forbid device access; it also makes the first accesses
 * fault-free. The range follows the host mapping afterwards, as all
 * system memory does.
 */
static VkResult
memory_bind_host(struct svk_device *dev, struct svk_device_memory *mem,
		 uint64_t fixed)
{
	int err;

	mem->va = (uint64_t)(uintptr_t)mem->host_ptr;
	if (fixed && fixed != mem->va)
		return VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS;
	if (mem->va < DRM_SVMGPU_VM_GUARD ||
	    mem->va + mem->size > SVK_SVM_MIRROR_END)
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	err = svk_ws_vm_prefetch(dev->vm, mem->va, mem->size);
	if (err == -EFAULT)
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	if (err == -EACCES)
		return svk_device_set_lost(dev, "memory imported from another process");
	return svk_ws_result(err, VK_ERROR_OUT_OF_HOST_MEMORY);
}

/*
 * Spec "System-allocated device addresses", "Device memory shares the
 * space": the device address of byte o of the memory equals the host
 * address vkMapMemory returns for o. The BO's CPU mapping is made once
 * here (or by a dma-buf import, external_memory.c) and is the memory's
 * address; VM_BIND OP_MAP there takes the range out of the mirror window
 * (a BO's own mapping is VM_PFNMAP and could not be mirrored). On
 * failure an imported BO is released too: the import only owns its file
 * descriptor once vkAllocateMemory succeeded.
 */
VkResult
svk_svm_memory_bind(struct svk_device *dev, struct svk_device_memory *mem,
		    uint64_t fixed)
{
	VkResult r;

	if (mem->host_ptr)
		return memory_bind_host(dev, mem, fixed);
	if (!mem->bo) {
		r = svk_ws_bo_create(dev->ws, mem->size, &mem->bo, &mem->map);
		if (r != VK_SUCCESS)
			return r;
	}
	mem->va = (uint64_t)(uintptr_t)mem->map;
	/* Capture/replay: the opaque address is the host address; a replay
	 * that cannot get the same range fails (the spec's error). */
	if (fixed && fixed != mem->va) {
		r = VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS;
		goto err_bo;
	}
	if (mem->va < DRM_SVMGPU_VM_GUARD ||
	    mem->va + mem->size > SVK_SVM_MIRROR_END) {
		r = VK_ERROR_OUT_OF_DEVICE_MEMORY;
		goto err_bo;
	}
	r = svk_ws_vm_map(dev->vm, mem->bo, mem->va, mem->size);
	if (r != VK_SUCCESS)
		goto err_bo;
	return VK_SUCCESS;

err_bo:
	svk_ws_bo_destroy(mem->bo);
	mem->bo = NULL;
	return r;
}

void
svk_svm_memory_unbind(struct svk_device *dev, struct svk_device_memory *mem)
{
	if (mem->host_ptr)	/* never taken out of the window */
		return;
	/* Spec table: OP_UNMAP, OP_MIRROR of the range (back into the
	 * window), then munmap and GEM_CLOSE. */
	svk_ws_vm_unmap(dev->vm, mem->va, mem->size);
	svk_ws_vm_mirror(dev->vm, mem->va, mem->size);
	svk_ws_bo_destroy(mem->bo);
}

/* ------------------------------------------------------------------ */
/* Range attributes (spec "Range attributes") */

static bool
range_ok(struct svk_device *dev, const char *cmd, uint64_t address,
	 uint64_t size, const VkSystemMemoryAttributesEXT *a)
{
	const char *vuid = NULL;

	if (!dev->svm || !dev->svm->features.systemAllocatedMemoryRangeAttributes)
		vuid = "systemAllocatedMemoryRangeAttributes must be enabled";
	else if (address % SVK_SVM_GRANULARITY)
		vuid = "address must be a multiple of systemMemoryRangeGranularity";
	else if (!size || size % SVK_SVM_GRANULARITY)
		vuid = "size must be a non-zero multiple of systemMemoryRangeGranularity";
	else if (address < DRM_SVMGPU_VM_GUARD || address > SVK_SVM_MIRROR_END ||
		 size > SVK_SVM_MIRROR_END - address)
		vuid = "the range must lie within [minSystemMemoryAddress, 2^systemMemoryAddressBits)";
	else if (!a->attributeMask ||
		 (a->attributeMask & ~(VkSystemMemoryAttributeFlagsEXT)0xf))
		vuid = "attributeMask must be a non-zero combination of VkSystemMemoryAttributeFlagBitsEXT";
	if (vuid)
		svk_debug_message(dev->pdev->instance,
				  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
				  "%s: %s", cmd, vuid);
	return !vuid;
}

static uint64_t
chunk_size(VkDeviceSize max)
{
	/* svmgpu's chunk sizes; the largest not larger than asked */
	if (max >= 2u << 20)
		return 2u << 20;
	if (max >= 64u << 10)
		return 64u << 10;
	return 4096;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_SetSystemMemoryAttributesEXT(VkDevice _device, VkDeviceAddress address,
				 VkDeviceSize size,
				 const VkSystemMemoryAttributesEXT *pAttributes)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svmgpu_vm_attr attrs[4];
	VkSystemMemoryAttributeFlagsEXT m = pAttributes->attributeMask;
	uint32_t n = 0;
	int err;

	if (!range_ok(dev, "vkSetSystemMemoryAttributesEXT", address, size,
		      pAttributes))
		return VK_ERROR_UNKNOWN;
	if (m & VK_SYSTEM_MEMORY_ATTRIBUTE_ACCESS_BIT_EXT) {
		static const uint64_t access[] = {
			[VK_SYSTEM_MEMORY_ACCESS_NONE_EXT] = SVMGPU_ATTR_ACCESS_NONE,
			[VK_SYSTEM_MEMORY_ACCESS_READ_ONLY_EXT] = SVMGPU_ATTR_ACCESS_READ,
			[VK_SYSTEM_MEMORY_ACCESS_READ_WRITE_EXT] = SVMGPU_ATTR_ACCESS_READ_WRITE,
		};

		if ((uint32_t)pAttributes->access >= SVK_ARRAY_SIZE(access))
			return VK_ERROR_UNKNOWN;	/* VUID-...-access-10001065 */
		attrs[n++] = (struct svmgpu_vm_attr){ SVMGPU_ATTR_ACCESS,
						      access[pAttributes->access] };
	}
	if (m & VK_SYSTEM_MEMORY_ATTRIBUTE_MAX_CHUNK_SIZE_BIT_EXT) {
		VkDeviceSize c = pAttributes->maxChunkSize;

		/* VUID-vkSetSystemMemoryAttributesEXT-maxChunkSize-10001066 */
		if (c < SVK_SVM_GRANULARITY || (c & (c - 1)))
			return VK_ERROR_UNKNOWN;
		attrs[n++] = (struct svmgpu_vm_attr){ SVMGPU_ATTR_MAX_CHUNK,
						      chunk_size(c) };
	}
	if (m & VK_SYSTEM_MEMORY_ATTRIBUTE_READ_MOSTLY_BIT_EXT)
		attrs[n++] = (struct svmgpu_vm_attr){ SVMGPU_ATTR_READ_MOSTLY,
						      pAttributes->readMostly ? 1 : 0 };
	if (m & VK_SYSTEM_MEMORY_ATTRIBUTE_PREFERRED_LOCATION_BIT_EXT) {
		if (pAttributes->preferredLocation != VK_SYSTEM_MEMORY_LOCATION_HOST_EXT)
			return VK_ERROR_UNKNOWN;	/* -10001067 */
		attrs[n++] = (struct svmgpu_vm_attr){ SVMGPU_ATTR_PREFERRED_LOCATION,
						      SVMGPU_ATTR_LOCATION_SYSTEM };
	}
	/* one VM_ATTR SET: the kernel checks everything before changing
	 * anything, as the spec's "atomically" needs */
	err = svk_ws_vm_set_attrs(dev->vm, address, size, attrs, n);
	if (err == -EACCES)
		return svk_device_set_lost(dev, "attributes set from another process");
	if (err == -ENOMEM)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	return err ? VK_ERROR_OUT_OF_DEVICE_MEMORY : VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetSystemMemoryAttributesEXT(VkDevice _device, VkDeviceAddress address,
				 VkDeviceSize size,
				 VkSystemMemoryAttributesEXT *pAttributes)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	static const VkSystemMemoryAttributeFlagBitsEXT bits[4] = {
		VK_SYSTEM_MEMORY_ATTRIBUTE_ACCESS_BIT_EXT,
		VK_SYSTEM_MEMORY_ATTRIBUTE_MAX_CHUNK_SIZE_BIT_EXT,
		VK_SYSTEM_MEMORY_ATTRIBUTE_READ_MOSTLY_BIT_EXT,
		VK_SYSTEM_MEMORY_ATTRIBUTE_PREFERRED_LOCATION_BIT_EXT,
	};
	static const uint32_t types[4] = {
		SVMGPU_ATTR_ACCESS, SVMGPU_ATTR_MAX_CHUNK,
		SVMGPU_ATTR_READ_MOSTLY, SVMGPU_ATTR_PREFERRED_LOCATION,
	};
	struct svmgpu_vm_attr attrs[4];
	uint32_t n = 0, i;
	int err;

	if (!range_ok(dev, "vkGetSystemMemoryAttributesEXT", address, size,
		      pAttributes))
		return VK_ERROR_UNKNOWN;
	for (i = 0; i < 4; i++)
		if (pAttributes->attributeMask & bits[i])
			attrs[n++] = (struct svmgpu_vm_attr){ types[i], 0 };
	err = svk_ws_vm_get_attrs(dev->vm, address, size, attrs, n);
	if (err)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	/* Issue 3: a member whose attribute is mixed is left unchanged and
	 * its bit set in mixedAttributes. */
	pAttributes->mixedAttributes = 0;
	for (i = 0; i < n; i++) {
		uint64_t v = attrs[i].value;

		if (v == SVMGPU_ATTR_MIXED) {
			uint32_t j;

			for (j = 0; j < 4; j++)
				if (types[j] == attrs[i].type)
					pAttributes->mixedAttributes |= bits[j];
			continue;
		}
		switch (attrs[i].type) {
		case SVMGPU_ATTR_ACCESS:
			pAttributes->access =
				v == SVMGPU_ATTR_ACCESS_NONE ? VK_SYSTEM_MEMORY_ACCESS_NONE_EXT :
				v == SVMGPU_ATTR_ACCESS_READ ? VK_SYSTEM_MEMORY_ACCESS_READ_ONLY_EXT :
				VK_SYSTEM_MEMORY_ACCESS_READ_WRITE_EXT;
			break;
		case SVMGPU_ATTR_MAX_CHUNK:
			pAttributes->maxChunkSize = v;
			break;
		case SVMGPU_ATTR_READ_MOSTLY:
			pAttributes->readMostly = v ? VK_TRUE : VK_FALSE;
			break;
		case SVMGPU_ATTR_PREFERRED_LOCATION:
			pAttributes->preferredLocation = VK_SYSTEM_MEMORY_LOCATION_HOST_EXT;
			break;
		}
	}
	return VK_SUCCESS;
}
