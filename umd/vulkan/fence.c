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

VKAPI_ATTR VkResult VKAPI_CALL
svk_WaitForFences(VkDevice _device, uint32_t fenceCount, const VkFence *pFences,
		  VkBool32 waitAll, uint64_t timeout)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svk_sync_wait local[64] = { { 0 } }, *waits = local;
	uint32_t i;
	VkResult r;

	if (fenceCount > SVK_ARRAY_SIZE(local)) {
		waits = svk_alloc(&dev->alloc, fenceCount * sizeof(*waits),
				  VK_SYSTEM_ALLOCATION_SCOPE_COMMAND);
		if (!waits)
			return VK_ERROR_OUT_OF_HOST_MEMORY;
	}
	for (i = 0; i < fenceCount; i++)
		waits[i] = (struct svk_sync_wait){
			&svk_fence_from_handle(pFences[i])->sync, 0
		};
	r = dev->sync->wait(dev, waits, fenceCount, waitAll, timeout);
	if (waits != local)
		svk_free(&dev->alloc, waits);
	return r;
}
