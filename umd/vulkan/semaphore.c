/* SPDX-License-Identifier: MIT */
/*
 * semaphore.c - VkSemaphore, binary and timeline (core 1.2): a payload of
 * the device's sync backend (sync.h; a DRM syncobj used as binary or as
 * a timeline, or a user-fence counter on a device with
 * systemAllocatedMemory), with host signal, wait and counter query for
 * timelines.
 */
#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateSemaphore(VkDevice _device, const VkSemaphoreCreateInfo *pCreateInfo,
		    const VkAllocationCallbacks *pAllocator, VkSemaphore *pSemaphore)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	const VkSemaphoreTypeCreateInfo *type =
		svk_find_struct(pCreateInfo->pNext,
				VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO);
	bool timeline = type && type->semaphoreType == VK_SEMAPHORE_TYPE_TIMELINE;
	enum svk_sync_kind kind = timeline ? SVK_SYNC_TIMELINE : SVK_SYNC_BINARY;
	struct svk_semaphore *sem;
	VkResult r;

	/* VkExportSemaphoreCreateInfo: what the backend cannot export */
	if (dev->sync->check_create) {
		r = dev->sync->check_create(dev, kind, pCreateInfo->pNext);
		if (r != VK_SUCCESS)
			return r;
	}
	sem = svk_zalloc2(&dev->alloc, pAllocator, sizeof(*sem),
			  VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!sem)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&sem->base, VK_OBJECT_TYPE_SEMAPHORE);
	r = svk_sync_init(dev, &sem->sync, kind, timeline ? type->initialValue : 0);
	if (r != VK_SUCCESS) {
		svk_free2(&dev->alloc, pAllocator, sem);
		return r;
	}
	*pSemaphore = svk_semaphore_to_handle(sem);
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroySemaphore(VkDevice _device, VkSemaphore _sem,
		     const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, _sem);

	if (!sem)
		return;
	svk_sync_finish(dev, &sem->sync);
	svk_object_finish(&sem->base, &dev->alloc);
	svk_free2(&dev->alloc, pAllocator, sem);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetSemaphoreCounterValue(VkDevice _device, VkSemaphore _sem, uint64_t *pValue)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, _sem);

	return dev->sync->get_value(dev, &sem->sync, pValue);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_SignalSemaphore(VkDevice _device, const VkSemaphoreSignalInfo *pInfo)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, pInfo->semaphore);

	return dev->sync->signal(dev, &sem->sync, pInfo->value);
}

static void
semaphore_wait(const void *info, uint32_t i, struct svk_sync_wait *w)
{
	const VkSemaphoreWaitInfo *wi = info;

	w->sync = &svk_semaphore_from_handle(wi->pSemaphores[i])->sync;
	w->value = wi->pValues[i];
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_WaitSemaphores(VkDevice _device, const VkSemaphoreWaitInfo *pInfo,
		   uint64_t timeout)
{
	return svk_sync_wait_many(svk_device_from_handle(_device),
				  pInfo->semaphoreCount, semaphore_wait, pInfo,
				  !(pInfo->flags & VK_SEMAPHORE_WAIT_ANY_BIT),
				  timeout);
}
