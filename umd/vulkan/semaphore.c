/* SPDX-License-Identifier: MIT */
/*
 * semaphore.c - VkSemaphore, binary and timeline (core 1.2): a DRM
 * syncobj used as binary (point 0) or as a timeline (points), with host
 * signal, wait and counter query for timelines. A binary semaphore
 * signalled by a deferred submission also keeps that signal's
 * pending-signal syncobj (queue.c).
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
	struct svk_semaphore *sem;
	VkResult r;

	if (dev->svm)	/* a user-fence payload (user_fence.c) */
		return svk_svm_create_semaphore(dev, pCreateInfo, pAllocator,
						pSemaphore);
	/* VkExportSemaphoreCreateInfo: every syncobj can be exported
	 * (external_sync.c). */
	sem = svk_zalloc2(&dev->alloc, pAllocator, sizeof(*sem),
			  VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!sem)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&sem->base, VK_OBJECT_TYPE_SEMAPHORE);
	sem->type = type ? type->semaphoreType : VK_SEMAPHORE_TYPE_BINARY;
	r = svk_ws_syncobj_create(dev->ws, false, &sem->syncobj);
	if (r != VK_SUCCESS)
		goto err_free;
	/* A timeline starts at initialValue: signal that point now. */
	if (sem->type == VK_SEMAPHORE_TYPE_TIMELINE && type->initialValue) {
		r = svk_ws_syncobj_signal(dev->ws, sem->syncobj, type->initialValue);
		if (r != VK_SUCCESS)
			goto err_syncobj;
	}
	*pSemaphore = svk_semaphore_to_handle(sem);
	return VK_SUCCESS;

err_syncobj:
	svk_ws_syncobj_destroy(dev->ws, sem->syncobj);
err_free:
	svk_free2(&dev->alloc, pAllocator, sem);
	return r;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroySemaphore(VkDevice _device, VkSemaphore _sem,
		     const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, _sem);

	if (!sem)
		return;
	svk_semaphore_drop_temporary(dev, sem);
	svk_semaphore_set_pending_signal(dev, sem, 0);
	if (dev->svm)
		svk_svm_semaphore_destroy(dev, sem);
	else
		svk_ws_syncobj_destroy(dev->ws, sem->syncobj);
	svk_object_finish(&sem->base, &dev->alloc);
	svk_free2(&dev->alloc, pAllocator, sem);
}

void
svk_semaphore_set_pending_signal(struct svk_device *dev,
				 struct svk_semaphore *sem, uint32_t syncobj)
{
	uint32_t old;

	pthread_mutex_lock(&dev->sync_lock);
	old = sem->pending_signal;
	sem->pending_signal = syncobj;
	pthread_mutex_unlock(&dev->sync_lock);
	if (old)
		svk_ws_syncobj_destroy(dev->ws, old);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetSemaphoreCounterValue(VkDevice _device, VkSemaphore _sem, uint64_t *pValue)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, _sem);

	if (dev->svm)
		return svk_svm_semaphore_value(dev, sem, pValue);
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	return svk_ws_syncobj_query(dev->ws, sem->syncobj, pValue);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_SignalSemaphore(VkDevice _device, const VkSemaphoreSignalInfo *pInfo)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, pInfo->semaphore);

	if (dev->svm)
		return svk_svm_signal_semaphore(dev, pInfo);
	return svk_ws_syncobj_signal(dev->ws, sem->syncobj, pInfo->value);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_WaitSemaphores(VkDevice _device, const VkSemaphoreWaitInfo *pInfo,
		   uint64_t timeout)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	uint32_t handles[64];
	uint64_t points[64];
	uint32_t i, n = 0;
	VkResult r;

	if (dev->svm)
		return svk_svm_wait_semaphores(dev, pInfo, timeout);
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	if (pInfo->semaphoreCount > SVK_ARRAY_SIZE(handles))
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	for (i = 0; i < pInfo->semaphoreCount; i++) {
		if (!pInfo->pValues[i]) {
			/* value 0 is always reached */
			if (pInfo->flags & VK_SEMAPHORE_WAIT_ANY_BIT)
				return VK_SUCCESS;
			continue;
		}
		handles[n] = svk_semaphore_from_handle(pInfo->pSemaphores[i])->syncobj;
		points[n++] = pInfo->pValues[i];
	}
	if (!n)
		return VK_SUCCESS;
	r = svk_ws_syncobj_wait(dev->ws, handles, points, n, timeout,
				!(pInfo->flags & VK_SEMAPHORE_WAIT_ANY_BIT));
	/* a device lost while waiting: its submit threads signalled what
	 * their deferred submissions would have (queue.c) */
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	return r;
}
