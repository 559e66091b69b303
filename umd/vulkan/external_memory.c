/* SPDX-License-Identifier: MIT */
/*
 * external_memory.c - sharing VkDeviceMemory outside the device:
 * VK_KHR_external_memory_fd and VK_EXT_external_memory_dma_buf (a
 * memory object's GEM BO exported and imported as a dma-buf; OPAQUE_FD
 * and DMA_BUF_EXT are the same thing here) and VK_EXT_external_memory_host
 * (host memory imported through a userptr binding of the device's VM),
 * with the core 1.1 capability query vkGetPhysicalDeviceExternalBufferProperties.
 *
 * Every memory object can be exported: a GEM BO always has a dma-buf.
 * Host-pointer memory has no BO and cannot be exported.
 *
 * Devices with systemAllocatedMemory support the same handle types, so
 * the capability query has one answer for all devices: an imported
 * dma-buf's BO is bound at its CPU mapping, and host memory, already in
 * the mirror, is checked with a prefetch instead of a userptr binding
 * (fault-mode VMs have none); svm.c binds both.
 */
#include <errno.h>
#include <unistd.h>

#include "svk_private.h"

/* minImportedHostPointerAlignment: the userptr granule (the CPU page). */
#define SVK_HOST_POINTER_ALIGN 4096ull

#define SVK_FD_HANDLE_TYPES (VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT | \
			     VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT)
#define SVK_HOST_HANDLE_TYPES \
	(VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT | \
	 VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_MAPPED_FOREIGN_MEMORY_BIT_EXT)

static void
external_memory_properties(VkExternalMemoryHandleTypeFlagBits type,
			   VkExternalMemoryProperties *p)
{
	switch ((int)type) {
	case VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT:
	case VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT:
		/* Both are dma-bufs of a GEM BO: a memory object imported
		 * from one can be exported as either. */
		*p = (VkExternalMemoryProperties){
			.externalMemoryFeatures =
				VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT |
				VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT,
			.exportFromImportedHandleTypes = SVK_FD_HANDLE_TYPES,
			.compatibleHandleTypes = SVK_FD_HANDLE_TYPES,
		};
		break;
	case VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT:
	case VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_MAPPED_FOREIGN_MEMORY_BIT_EXT:
		/* Import only (the extension has no export). */
		*p = (VkExternalMemoryProperties){
			.externalMemoryFeatures =
				VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT,
			.exportFromImportedHandleTypes = 0,
			.compatibleHandleTypes = type,
		};
		break;
	default:
		/* Spec: an unsupported handle type reports no features. */
		*p = (VkExternalMemoryProperties){ 0 };
		break;
	}
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceExternalBufferProperties(VkPhysicalDevice physicalDevice,
					      const VkPhysicalDeviceExternalBufferInfo *info,
					      VkExternalBufferProperties *p)
{
	(void)physicalDevice;
	/* No sparse binding: sparse buffers cannot be created at all. */
	if (info->flags & (VK_BUFFER_CREATE_SPARSE_BINDING_BIT |
			   VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT |
			   VK_BUFFER_CREATE_SPARSE_ALIASED_BIT)) {
		p->externalMemoryProperties = (VkExternalMemoryProperties){ 0 };
		return;
	}
	external_memory_properties(info->handleType,
				   &p->externalMemoryProperties);
}

static const VkImportMemoryFdInfoKHR *
find_fd_import(const VkMemoryAllocateInfo *info)
{
	const VkImportMemoryFdInfoKHR *fd =
		svk_find_struct(info->pNext,
				VK_STRUCTURE_TYPE_IMPORT_MEMORY_FD_INFO_KHR);

	/* Spec: "If handleType is 0, no handle is imported." */
	return fd && fd->handleType ? fd : NULL;
}

static VkResult
import_fd(struct svk_device *dev, const VkMemoryAllocateInfo *info,
	  const VkImportMemoryFdInfoKHR *import, struct svk_device_memory *mem)
{
	uint64_t size;
	VkResult r;

	if (!(import->handleType & SVK_FD_HANDLE_TYPES) || import->fd < 0)
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	r = svk_ws_bo_import(dev->ws, import->fd, &mem->bo, &size, &mem->map);
	if (r != VK_SUCCESS)
		return r;
	/* The dma-buf must hold allocationSize bytes (for OPAQUE_FD the
	 * application must pass the exported size, for DMA_BUF at most the
	 * dma-buf's): a smaller one is not a handle we can use. */
	if (size < info->allocationSize) {
		svk_ws_bo_destroy(mem->bo);
		mem->bo = NULL;
		mem->map = NULL;
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	}
	mem->size = size;
	return VK_SUCCESS;
}

static VkResult
import_host(const VkMemoryAllocateInfo *info,
	    const VkImportMemoryHostPointerInfoEXT *import,
	    struct svk_device_memory *mem)
{
	uintptr_t ptr = (uintptr_t)import->pHostPointer;

	if (!(import->handleType & SVK_HOST_HANDLE_TYPES))
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	/* VUID-VkImportMemoryHostPointerInfoEXT-pHostPointer-01749 and
	 * VUID-VkMemoryAllocateInfo-allocationSize-01745: pointer and size
	 * are multiples of minImportedHostPointerAlignment. Refuse rather
	 * than bind memory the application did not give. */
	if (!ptr || ptr % SVK_HOST_POINTER_ALIGN ||
	    info->allocationSize % SVK_HOST_POINTER_ALIGN ||
	    info->allocationSize > DRM_SVMGPU_USERPTR_MAX_SIZE)
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	mem->host_ptr = import->pHostPointer;
	mem->map = import->pHostPointer;
	mem->size = info->allocationSize;
	return VK_SUCCESS;
}

VkResult
svk_memory_import(struct svk_device *dev, const VkMemoryAllocateInfo *info,
		  struct svk_device_memory *mem)
{
	const VkImportMemoryFdInfoKHR *fd = find_fd_import(info);
	const VkImportMemoryHostPointerInfoEXT *host =
		svk_find_struct(info->pNext,
				VK_STRUCTURE_TYPE_IMPORT_MEMORY_HOST_POINTER_INFO_EXT);

	if (fd && host)		/* VUID-VkMemoryAllocateInfo-pNext-... */
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	if (fd)
		return import_fd(dev, info, fd, mem);
	if (host && host->handleType)
		return import_host(info, host, mem);
	return VK_SUCCESS;
}

void
svk_memory_import_done(const VkMemoryAllocateInfo *info)
{
	const VkImportMemoryFdInfoKHR *fd = find_fd_import(info);

	/* Spec 11.2.4 (VkImportMemoryFdInfoKHR): "Importing memory from a
	 * file descriptor transfers ownership of the file descriptor from
	 * the application to the Vulkan implementation." The BO keeps the
	 * dma-buf; the descriptor is not needed. */
	if (fd)
		close(fd->fd);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetMemoryFdKHR(VkDevice device, const VkMemoryGetFdInfoKHR *pGetFdInfo,
		   int *pFd)
{
	SVK_FROM_HANDLE(svk_device_memory, mem, pGetFdInfo->memory);

	(void)device;
	/* Each call makes a new descriptor the application owns (spec,
	 * vkGetMemoryFdKHR). Host memory has no BO to export. */
	if (!(pGetFdInfo->handleType & SVK_FD_HANDLE_TYPES) || !mem->bo)
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	return svk_ws_bo_export(mem->bo, pFd);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetMemoryFdPropertiesKHR(VkDevice _device,
			     VkExternalMemoryHandleTypeFlagBits handleType,
			     int fd, VkMemoryFdPropertiesKHR *pProperties)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svmgpu_bo *bo;
	uint64_t size;
	VkResult r;

	/* VUID-vkGetMemoryFdPropertiesKHR-handleType-00674: never
	 * OPAQUE_FD; a DMA_BUF is usable if the device can import it. */
	pProperties->memoryTypeBits = 0;
	if (handleType != VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT)
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	r = svk_ws_bo_import(dev->ws, fd, &bo, &size, NULL);
	if (r != VK_SUCCESS)
		return r;
	svk_ws_bo_destroy(bo);
	pProperties->memoryTypeBits = 1;	/* the one type */
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetMemoryHostPointerPropertiesEXT(VkDevice _device,
				      VkExternalMemoryHandleTypeFlagBits handleType,
				      const void *pHostPointer,
				      VkMemoryHostPointerPropertiesEXT *pProperties)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	uint64_t va;
	VkResult r;

	pProperties->memoryTypeBits = 0;
	if (!(handleType & SVK_HOST_HANDLE_TYPES) || !pHostPointer ||
	    (uintptr_t)pHostPointer % SVK_HOST_POINTER_ALIGN)
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	if (dev->svm) {
		/* The mirror decides: a prefetch of the first page fails
		 * with -EFAULT where the device could not use the memory
		 * (svm.c, the import checks the whole range the same way). */
		uint64_t addr = (uint64_t)(uintptr_t)pHostPointer;
		int err;

		if (addr < DRM_SVMGPU_VM_GUARD ||
		    addr + SVK_HOST_POINTER_ALIGN > SVK_SVM_MIRROR_END)
			return VK_ERROR_INVALID_EXTERNAL_HANDLE;
		err = svk_ws_vm_prefetch(dev->vm, addr, SVK_HOST_POINTER_ALIGN);
		if (err == -EFAULT)
			return VK_ERROR_INVALID_EXTERNAL_HANDLE;
		if (err)
			return svk_ws_result(err, VK_ERROR_OUT_OF_HOST_MEMORY);
		pProperties->memoryTypeBits = 1;
		return VK_SUCCESS;
	}
	/* Whether the kernel takes the pointer (user memory the process can
	 * write, not a device's mapping such as a BO's mmap) is only known
	 * by binding it: bind its first page at a scratch address. */
	r = svk_va_alloc(&dev->va, SVK_HOST_POINTER_ALIGN,
			 SVK_HOST_POINTER_ALIGN, 0, &va);
	if (r != VK_SUCCESS)
		return r;
	r = svk_ws_vm_map_userptr(dev->vm, pHostPointer, va,
				  SVK_HOST_POINTER_ALIGN);
	if (r == VK_SUCCESS)
		svk_ws_vm_unmap(dev->vm, va, SVK_HOST_POINTER_ALIGN);
	svk_va_free(&dev->va, va, SVK_HOST_POINTER_ALIGN);
	if (r != VK_SUCCESS)
		return r;
	pProperties->memoryTypeBits = 1;
	return VK_SUCCESS;
}
