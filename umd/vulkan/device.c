/* SPDX-License-Identifier: MIT */
/*
 * device.c - VkDevice: its own DRM file, one GPU VM (every allocation,
 * batch and buffer of the device lives in it), its VA allocator and its
 * queues (a kernel queue each).
 */
#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateDevice(VkPhysicalDevice physicalDevice,
		 const VkDeviceCreateInfo *pCreateInfo,
		 const VkAllocationCallbacks *pAllocator, VkDevice *pDevice)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);
	const VkAllocationCallbacks *alloc = pAllocator ? pAllocator :
					     &pdev->instance->alloc;
	const struct svmgpu_device_info *info;
	struct svk_device *dev;
	uint64_t features;
	uint32_t i, j, q = 0, total = 0;
	VkResult r;

	r = svk_physical_device_check_features(pCreateInfo);
	if (r != VK_SUCCESS)
		return r;
	for (i = 0; i < pCreateInfo->queueCreateInfoCount; i++)
		total += pCreateInfo->pQueueCreateInfos[i].queueCount;

	dev = svk_zalloc(alloc, sizeof(*dev), VK_SYSTEM_ALLOCATION_SCOPE_DEVICE);
	if (!dev)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&dev->base, VK_OBJECT_TYPE_DEVICE);
	dev->alloc = *alloc;
	dev->pdev = pdev;
	pthread_mutex_init(&dev->sync_lock, NULL);

	for (i = 0; i < pCreateInfo->enabledExtensionCount; i++) {
		const char *name = pCreateInfo->ppEnabledExtensionNames[i];

		for (j = SVK_INSTANCE_EXT_COUNT; j < SVK_EXT_COUNT; j++)
			if (pdev->supported.on[j] &&
			    !strcmp(name, svk_ext_table[j].props.extensionName))
				break;
		if (j == SVK_EXT_COUNT) {
			r = VK_ERROR_EXTENSION_NOT_PRESENT;
			goto err_free;
		}
		dev->enabled.on[j] = true;
	}

	r = svk_ws_device_open(pdev->index, &dev->ws, &info, &features);
	if (r != VK_SUCCESS)
		goto err_free;
	/* systemAllocatedMemory: a fault-mode VM (svm.c), else dma-fence */
	r = svk_svm_device_create(dev, pCreateInfo);
	if (r == VK_SUCCESS && !dev->svm)
		r = svk_ws_vm_create(dev->ws, &dev->vm);
	if (r != VK_SUCCESS)
		goto err_close;
	/* the one choice of sync backend: user fences on a fault-mode VM,
	 * which cannot publish DMA fences, else syncobjs (sync.h) */
	dev->sync = svk_sync_type_select(dev->svm != NULL);
	/* with the mirror over [va_start, 2^47), the driver's BOs go above */
	r = svk_va_heap_init(&dev->va, dev->svm ? SVK_SVM_MIRROR_END : info->va_start,
			     info->va_end);
	if (r != VK_SUCCESS)
		goto err_vm;
	dev->queues = svk_zalloc(alloc, sizeof(*dev->queues) * (total ? total : 1),
				 VK_SYSTEM_ALLOCATION_SCOPE_DEVICE);
	if (!dev->queues) {
		r = VK_ERROR_OUT_OF_HOST_MEMORY;
		goto err_va;
	}
	for (i = 0; i < pCreateInfo->queueCreateInfoCount; i++) {
		const VkDeviceQueueCreateInfo *qi = &pCreateInfo->pQueueCreateInfos[i];

		if (qi->queueFamilyIndex >= pdev->queue_family_count) {
			r = VK_ERROR_INITIALIZATION_FAILED;
			goto err_queues;
		}
		for (j = 0; j < qi->queueCount; j++) {
			struct svk_queue *queue =
				svk_zalloc(alloc, sizeof(*queue),
					   VK_SYSTEM_ALLOCATION_SCOPE_DEVICE);
			if (!queue) {
				r = VK_ERROR_OUT_OF_HOST_MEMORY;
				goto err_queues;
			}
			r = svk_queue_init(dev, queue, qi, j);
			if (r != VK_SUCCESS) {
				svk_free(alloc, queue);
				goto err_queues;
			}
			dev->queues[q++] = queue;
			dev->queue_count = q;
		}
	}
	*pDevice = svk_device_to_handle(dev);
	return VK_SUCCESS;

err_queues:
	for (i = 0; i < dev->queue_count; i++) {
		svk_queue_finish(dev->queues[i]);
		svk_free(alloc, dev->queues[i]);
	}
	svk_free(alloc, dev->queues);
err_va:
	svk_svm_device_destroy(dev);
	svk_va_heap_finish(&dev->va);
err_vm:
	svk_ws_vm_destroy(dev->vm);
err_close:
	svk_ws_device_close(dev->ws);
err_free:
	pthread_mutex_destroy(&dev->sync_lock);
	svk_free(alloc, dev);
	return r;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroyDevice(VkDevice _device, const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	uint32_t i;

	(void)pAllocator;
	if (!dev)
		return;
	for (i = 0; i < dev->queue_count; i++) {
		svk_queue_finish(dev->queues[i]);
		svk_free(&dev->alloc, dev->queues[i]);
	}
	svk_free(&dev->alloc, dev->queues);
	svk_svm_device_destroy(dev);
	svk_va_heap_finish(&dev->va);
	svk_ws_vm_destroy(dev->vm);
	svk_ws_device_close(dev->ws);
	pthread_mutex_destroy(&dev->sync_lock);
	svk_object_finish(&dev->base, &dev->alloc);
	svk_free(&dev->alloc, dev);
}

VkResult
svk_device_set_lost(struct svk_device *dev, const char *why)
{
	if (!__atomic_exchange_n(&dev->lost, true, __ATOMIC_ACQ_REL)) {
		svk_debug_message(dev->pdev->instance,
				  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
				  "svmgpu: device lost: %s", why);
		/* host waits for deferred submissions end now, not at their
		 * timeout (spec 5.2.3 "Lost Device") */
		if (dev->sync->device_lost)
			dev->sync->device_lost(dev);
	}
	return VK_ERROR_DEVICE_LOST;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetDeviceQueue2(VkDevice _device, const VkDeviceQueueInfo2 *pQueueInfo,
		    VkQueue *pQueue)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	uint32_t i;

	*pQueue = VK_NULL_HANDLE;
	for (i = 0; i < dev->queue_count; i++) {
		struct svk_queue *q = dev->queues[i];

		if (q->family == pQueueInfo->queueFamilyIndex &&
		    q->index == pQueueInfo->queueIndex &&
		    q->flags == pQueueInfo->flags) {
			*pQueue = svk_queue_to_handle(q);
			return;
		}
	}
}

VKAPI_ATTR void VKAPI_CALL
svk_GetDeviceQueue(VkDevice device, uint32_t queueFamilyIndex,
		   uint32_t queueIndex, VkQueue *pQueue)
{
	VkDeviceQueueInfo2 info = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_INFO_2,
		.queueFamilyIndex = queueFamilyIndex,
		.queueIndex = queueIndex,
	};

	svk_GetDeviceQueue2(device, &info, pQueue);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_DeviceWaitIdle(VkDevice _device)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	VkResult r, result = VK_SUCCESS;
	uint32_t i;

	for (i = 0; i < dev->queue_count; i++) {
		r = svk_QueueWaitIdle(svk_queue_to_handle(dev->queues[i]));
		if (r != VK_SUCCESS && result == VK_SUCCESS)
			result = r;
	}
	return result;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetDeviceGroupPeerMemoryFeatures(VkDevice device, uint32_t heapIndex,
				     uint32_t localDeviceIndex,
				     uint32_t remoteDeviceIndex,
				     VkPeerMemoryFeatureFlags *pPeerMemoryFeatures)
{
	(void)device;
	(void)heapIndex;
	(void)localDeviceIndex;
	(void)remoteDeviceIndex;
	/* single-device groups: only the device itself, with everything */
	*pPeerMemoryFeatures = VK_PEER_MEMORY_FEATURE_COPY_SRC_BIT |
			       VK_PEER_MEMORY_FEATURE_COPY_DST_BIT |
			       VK_PEER_MEMORY_FEATURE_GENERIC_SRC_BIT |
			       VK_PEER_MEMORY_FEATURE_GENERIC_DST_BIT;
}
