/* SPDX-License-Identifier: MIT */
/*
 * fence.c - VkFence: a binary DRM syncobj of the device. A submission
 * with the fence makes its last job signal it; reset replaces its fence
 * with none (unsignalled).
 */
#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateFence(VkDevice _device, const VkFenceCreateInfo *pCreateInfo,
		const VkAllocationCallbacks *pAllocator, VkFence *pFence)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svk_fence *fence;
	VkResult r;

	if (dev->svm)	/* a user-fence payload (user_fence.c) */
		return svk_svm_create_fence(dev, pCreateInfo, pAllocator, pFence);
	/* VkExportFenceCreateInfo: every syncobj can be exported
	 * (external_sync.c). */
	fence = svk_zalloc2(&dev->alloc, pAllocator, sizeof(*fence),
			    VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!fence)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&fence->base, VK_OBJECT_TYPE_FENCE);
	r = svk_ws_syncobj_create(dev->ws,
			pCreateInfo->flags & VK_FENCE_CREATE_SIGNALED_BIT,
			&fence->syncobj);
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
	svk_fence_drop_temporary(dev, fence);
	if (!dev->svm)
		svk_ws_syncobj_destroy(dev->ws, fence->syncobj);
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
		SVK_FROM_HANDLE(svk_fence, fence, pFences[i]);

		/* Spec: a temporarily imported payload is first replaced by
		 * the permanent one, which is then reset. */
		svk_fence_drop_temporary(dev, fence);
		if (dev->svm) {
			svk_svm_fence_reset(dev, fence);
			continue;
		}
		r = svk_ws_syncobj_reset(dev->ws, fence->syncobj);
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
	int s;

	if (dev->svm)
		return svk_svm_fence_status(dev, fence);
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	s = svk_ws_syncobj_signaled(dev->ws, svk_fence_syncobj(fence), 0);
	if (s == 0)
		return VK_NOT_READY;
	if (s < 0)	/* the job failed: the device is lost (spec 5.2.3) */
		return svk_device_set_lost(dev, "a job failed");
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_WaitForFences(VkDevice _device, uint32_t fenceCount, const VkFence *pFences,
		  VkBool32 waitAll, uint64_t timeout)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	uint32_t handles[64] = { 0 };
	uint32_t i, n = 0;
	VkResult r;

	if (dev->svm)
		return svk_svm_wait_fences(dev, fenceCount, pFences, waitAll, timeout);
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	if (fenceCount > SVK_ARRAY_SIZE(handles)) {
		/* rare: wait in groups (only correct for waitAll) */
		for (i = 0; i < fenceCount; i += n) {
			n = SVK_MIN(fenceCount - i, (uint32_t)SVK_ARRAY_SIZE(handles));
			r = svk_WaitForFences(_device, n, pFences + i, waitAll, timeout);
			if (r != VK_SUCCESS || !waitAll)
				return r;
		}
		return VK_SUCCESS;
	}
	for (i = 0; i < fenceCount; i++)
		handles[i] = svk_fence_syncobj(svk_fence_from_handle(pFences[i]));
	r = svk_ws_syncobj_wait(dev->ws, handles, NULL, fenceCount, timeout,
				waitAll);
	/* a device lost, here or anywhere, while waiting: its submit
	 * threads signalled the fences of their deferred submissions
	 * (queue.c), so the wait ended early */
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	if (r != VK_SUCCESS)
		return r;
	for (i = 0; i < fenceCount; i++) {
		int s = svk_ws_syncobj_signaled(dev->ws, handles[i], 0);

		if (s < 0)
			return svk_device_set_lost(dev, "a job failed");
	}
	return VK_SUCCESS;
}
