/* SPDX-License-Identifier: MIT */
/*
 * device_memory.c - VkDeviceMemory: a GEM BO, mapped for the CPU once and
 * bound in the device's VM at allocation, so that its device address is
 * fixed for its lifetime (buffer device address, with capture/replay of
 * that address through VkMemoryOpaqueCaptureAddressAllocateInfo).
 * Imported memory (external_memory.c) is a dma-buf's BO or, for a host
 * pointer, a userptr range bound in the VM. On a device with
 * systemAllocatedMemory (svm.c) every memory object's device address is
 * its host address: a BO, allocated or imported, is bound at its CPU
 * mapping, and host memory is already in the mirror.
 */
#include "svk_private.h"

/* BOs are mapped in the VM with this alignment, so a buffer at any
 * offset keeps the alignment its memory requirements promised. */
#define SVK_MEMORY_VA_ALIGN (64u * 1024u)

VKAPI_ATTR VkResult VKAPI_CALL
svk_AllocateMemory(VkDevice _device, const VkMemoryAllocateInfo *pAllocateInfo,
		   const VkAllocationCallbacks *pAllocator, VkDeviceMemory *pMemory)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	const VkMemoryOpaqueCaptureAddressAllocateInfo *capture;
	const VkMemoryAllocateFlagsInfo *flags;
	struct svk_device_memory *mem;
	uint64_t size, fixed = 0;
	VkResult r;

	/* VUID-vkAllocateMemory-pAllocateInfo-01714: memoryTypeIndex must be
	 * below memoryTypeCount; we have one type. */
	if (pAllocateInfo->memoryTypeIndex != 0)
		return VK_ERROR_OUT_OF_DEVICE_MEMORY;
	size = SVK_ALIGN(pAllocateInfo->allocationSize, 4096);
	/* More than the heap (or than a BO can be) cannot succeed. */
	if (size > dev->pdev->heap_size || size > dev->pdev->info->max_bo_size ||
	    size < pAllocateInfo->allocationSize)
		return VK_ERROR_OUT_OF_DEVICE_MEMORY;

	flags = svk_find_struct(pAllocateInfo->pNext,
				VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO);
	capture = svk_find_struct(pAllocateInfo->pNext,
				  VK_STRUCTURE_TYPE_MEMORY_OPAQUE_CAPTURE_ADDRESS_ALLOCATE_INFO);
	if (capture && flags &&
	    (flags->flags & VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_CAPTURE_REPLAY_BIT))
		fixed = capture->opaqueCaptureAddress;

	mem = svk_zalloc2(&dev->alloc, pAllocator, sizeof(*mem),
			  VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!mem)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&mem->base, VK_OBJECT_TYPE_DEVICE_MEMORY);
	mem->size = size;
	if (dev->svm) {
		/* Imports are checked as on any device, then bound at their
		 * host address like the rest: device address == CPU address
		 * (svm.c). A BO's dma-buf is exportable as anywhere. */
		r = svk_memory_import(dev, pAllocateInfo, mem);
		if (r != VK_SUCCESS)
			goto err_free;
		r = svk_svm_memory_bind(dev, mem, fixed);
		if (r != VK_SUCCESS)
			goto err_free;
		svk_memory_import_done(pAllocateInfo);
		*pMemory = svk_device_memory_to_handle(mem);
		return VK_SUCCESS;
	}

	/* An imported dma-buf or host pointer (external_memory.c) sets
	 * mem->bo or mem->host_ptr, and the size. */
	r = svk_memory_import(dev, pAllocateInfo, mem);
	if (r != VK_SUCCESS)
		goto err_free;
	size = mem->size;
	if (!mem->bo && !mem->host_ptr) {
		r = svk_ws_bo_create(dev->ws, size, &mem->bo, &mem->map);
		if (r != VK_SUCCESS)
			goto err_free;
	}
	r = svk_va_alloc(&dev->va, size, SVK_MEMORY_VA_ALIGN, fixed, &mem->va);
	if (r != VK_SUCCESS)
		goto err_bo;
	if (mem->host_ptr)
		r = svk_ws_vm_map_userptr(dev->vm, mem->host_ptr, mem->va, size);
	else
		r = svk_ws_vm_map(dev->vm, mem->bo, mem->va, size);
	if (r != VK_SUCCESS)
		goto err_va;
	svk_memory_import_done(pAllocateInfo);
	*pMemory = svk_device_memory_to_handle(mem);
	return VK_SUCCESS;

err_va:
	svk_va_free(&dev->va, mem->va, size);
err_bo:
	svk_ws_bo_destroy(mem->bo);
err_free:
	svk_free2(&dev->alloc, pAllocator, mem);
	return r;
}

VKAPI_ATTR void VKAPI_CALL
svk_FreeMemory(VkDevice _device, VkDeviceMemory _memory,
	       const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_device_memory, mem, _memory);

	if (!mem)
		return;
	/* The application made sure no job uses it any more (spec
	 * VUID-vkFreeMemory-memory-00677). */
	if (dev->svm) {
		svk_svm_memory_unbind(dev, mem);
	} else {
		svk_ws_vm_unmap(dev->vm, mem->va, mem->size);
		svk_va_free(&dev->va, mem->va, mem->size);
		svk_ws_bo_destroy(mem->bo);	/* none for host memory */
	}
	svk_object_finish(&mem->base, &dev->alloc);
	svk_free2(&dev->alloc, pAllocator, mem);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_MapMemory(VkDevice device, VkDeviceMemory _memory, VkDeviceSize offset,
	      VkDeviceSize size, VkMemoryMapFlags flags, void **ppData)
{
	SVK_FROM_HANDLE(svk_device_memory, mem, _memory);

	(void)device;
	(void)size;
	(void)flags;
	/* VUID-vkMapMemory-memory-00678: not mapped already. */
	if (mem->mapped)
		return VK_ERROR_MEMORY_MAP_FAILED;
	mem->mapped = true;
	*ppData = (char *)mem->map + offset;
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_UnmapMemory(VkDevice device, VkDeviceMemory _memory)
{
	SVK_FROM_HANDLE(svk_device_memory, mem, _memory);

	(void)device;
	/* The CPU mapping lives as long as the BO; only the state goes. */
	mem->mapped = false;
}

/* The only memory type is HOST_COHERENT: flushes and invalidations have
 * nothing to do (spec 11.2.9 "Host Access to Device Memory Objects"). */
VKAPI_ATTR VkResult VKAPI_CALL
svk_FlushMappedMemoryRanges(VkDevice device, uint32_t count,
			    const VkMappedMemoryRange *ranges)
{
	(void)device;
	(void)count;
	(void)ranges;
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_InvalidateMappedMemoryRanges(VkDevice device, uint32_t count,
				 const VkMappedMemoryRange *ranges)
{
	(void)device;
	(void)count;
	(void)ranges;
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetDeviceMemoryCommitment(VkDevice device, VkDeviceMemory memory,
			      VkDeviceSize *pCommittedMemoryInBytes)
{
	(void)device;
	(void)memory;
	/* never called legally: no LAZILY_ALLOCATED type */
	*pCommittedMemoryInBytes = 0;
}

VKAPI_ATTR uint64_t VKAPI_CALL
svk_GetDeviceMemoryOpaqueCaptureAddress(VkDevice device,
					const VkDeviceMemoryOpaqueCaptureAddressInfo *pInfo)
{
	SVK_FROM_HANDLE(svk_device_memory, mem, pInfo->memory);

	(void)device;
	return mem->va;
}

/*
 * Driver-internal GPU memory (events, query pools): a BO mapped for the
 * CPU and bound in the device's VM, as device memory is.
 */
VkResult
svk_gpu_alloc_init(struct svk_device *dev, uint64_t size, struct svk_gpu_alloc *a)
{
	VkResult r;

	a->size = SVK_ALIGN(size, 4096);
	r = svk_va_alloc(&dev->va, a->size, 4096, 0, &a->va);
	if (r != VK_SUCCESS)
		return r;
	r = svk_ws_bo_create(dev->ws, a->size, &a->bo, &a->map);
	if (r != VK_SUCCESS)
		goto err_va;
	r = svk_ws_vm_map(dev->vm, a->bo, a->va, a->size);
	if (r != VK_SUCCESS)
		goto err_bo;
	return VK_SUCCESS;

err_bo:
	svk_ws_bo_destroy(a->bo);
err_va:
	svk_va_free(&dev->va, a->va, a->size);
	return r;
}

void
svk_gpu_alloc_finish(struct svk_device *dev, struct svk_gpu_alloc *a)
{
	svk_ws_vm_unmap(dev->vm, a->va, a->size);
	svk_va_free(&dev->va, a->va, a->size);
	svk_ws_bo_destroy(a->bo);
}
