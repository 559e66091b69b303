/* SPDX-License-Identifier: MIT */
/*
 * fence.c - VkFence: a payload of the device's sync backend (sync.h): a
 * binary DRM syncobj, or a user fence on a device with
 * systemAllocatedMemory. A submission with the fence makes its last job
 * signal it; reset makes it unsignalled.
 */
#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateFence(VkDevice _device, const VkFenceCreateInfo *pCreateInfo,
		const VkAllocationCallbacks *pAllocator, VkFence *pFence)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svk_fence *fence;
	VkResult r;

	/* VkExportFenceCreateInfo: what the backend cannot export */
	if (dev->sync->check_create) {
		r = dev->sync->check_create(dev, SVK_SYNC_FENCE, pCreateInfo->pNext);
		if (r != VK_SUCCESS)
			return r;
	}
	fence = svk_zalloc2(&dev->alloc, pAllocator, sizeof(*fence),
			    VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!fence)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&fence->base, VK_OBJECT_TYPE_FENCE);
	r = svk_sync_init(dev, &fence->sync, SVK_SYNC_FENCE,
			  !!(pCreateInfo->flags & VK_FENCE_CREATE_SIGNALED_BIT));
	if (r != VK_SUCCESS) {
		svk_free2(&dev->alloc, pAllocator, fence);
		return r;
	}
	*pFence = svk_fence_to_handle(fence);
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroyFence(VkDevice _device, VkFence _fence,
		 const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_fence, fence, _fence);

	if (!fence)
		return;
	svk_sync_finish(dev, &fence->sync);
	svk_object_finish(&fence->base, &dev->alloc);
	svk_free2(&dev->alloc, pAllocator, fence);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_ResetFences(VkDevice _device, uint32_t fenceCount, const VkFence *pFences)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	uint32_t i;
	VkResult r;

	for (i = 0; i < fenceCount; i++) {
		r = svk_sync_reset(dev, &svk_fence_from_handle(pFences[i])->sync);
		if (r != VK_SUCCESS)
			return r;
	}
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetFenceStatus(VkDevice _device, VkFence _fence)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_fence, fence, _fence);

	return dev->sync->status(dev, &fence->sync);
}

static void
fence_wait(const void *fences, uint32_t i, struct svk_sync_wait *w)
{
	w->sync = &svk_fence_from_handle(((const VkFence *)fences)[i])->sync;
	w->value = 0;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_WaitForFences(VkDevice _device, uint32_t fenceCount, const VkFence *pFences,
		  VkBool32 waitAll, uint64_t timeout)
{
	return svk_sync_wait_many(svk_device_from_handle(_device), fenceCount,
				  fence_wait, pFences, waitAll, timeout);
}
