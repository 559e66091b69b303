/* SPDX-License-Identifier: MIT */
/*
 * queue.c - VkQueue: a kernel queue on the engine of its family, in the
 * device's VM, with a batch of one END for submissions without command
 * buffers; vkQueueSubmit (translated to vkQueueSubmit2), vkQueueSubmit2
 * and vkQueueWaitIdle. Submission itself belongs to the device's sync
 * backend (sync.h): sync_syncobj_submit.c (DRM syncobjs, deferral of
 * waits without a fence to a submit thread) or sync_user_fence.c (user
 * fences on a device with systemAllocatedMemory, which never defers).
 */
#include "svk_private.h"

VkResult
svk_queue_init(struct svk_device *dev, struct svk_queue *queue,
	       const VkDeviceQueueCreateInfo *info, uint32_t index)
{
	struct svmgpu_cmdbuf *cmd;
	VkResult r;

	svk_object_init(&queue->base, VK_OBJECT_TYPE_QUEUE);
	queue->device = dev;
	queue->family = info->queueFamilyIndex;
	queue->index = index;
	queue->flags = info->flags;
	pthread_mutex_init(&queue->lock, NULL);
	pthread_cond_init(&queue->cond, NULL);
	queue->deferred_tail = &queue->deferred;

	/* family i runs on engine i */
	r = svk_ws_queue_create(dev->vm, queue->family, &queue->ws);
	if (r != VK_SUCCESS)
		goto err_lock;
	r = svk_ws_bo_create(dev->ws, 4096, &queue->empty_bo, NULL);
	if (r != VK_SUCCESS)
		goto err_queue;
	r = svk_va_alloc(&dev->va, 4096, 4096, 0, &queue->empty_va);
	if (r != VK_SUCCESS)
		goto err_bo;
	r = svk_ws_vm_map(dev->vm, queue->empty_bo, queue->empty_va, 4096);
	if (r != VK_SUCCESS)
		goto err_va;
	r = svk_ws_cmdbuf_create(queue->empty_bo, 4096, queue->empty_va, &cmd);
	if (r != VK_SUCCESS)
		goto err_map;
	svmgpu_cmdbuf_emit_end(cmd);
	svmgpu_cmdbuf_destroy(cmd);
	/* the backend's state of the queue */
	r = dev->sync->queue_init(queue);
	if (r != VK_SUCCESS)
		goto err_map;
	return VK_SUCCESS;

err_map:
	svk_ws_vm_unmap(dev->vm, queue->empty_va, 4096);
err_va:
	svk_va_free(&dev->va, queue->empty_va, 4096);
err_bo:
	svk_ws_bo_destroy(queue->empty_bo);
err_queue:
	svk_ws_queue_destroy(queue->ws);
err_lock:
	pthread_cond_destroy(&queue->cond);
	pthread_mutex_destroy(&queue->lock);
	return r;
}

void
svk_queue_finish(struct svk_queue *queue)
{
	struct svk_device *dev = queue->device;

	/* the backend waits (a bounded time on the user-fence backend) for
	 * the queue's jobs, so the batch BO is not unmapped under one */
	dev->sync->queue_finish(queue);
	svk_ws_vm_unmap(dev->vm, queue->empty_va, 4096);
	svk_va_free(&dev->va, queue->empty_va, 4096);
	svk_ws_bo_destroy(queue->empty_bo);
	svk_ws_queue_destroy(queue->ws);
	pthread_cond_destroy(&queue->cond);
	pthread_mutex_destroy(&queue->lock);
	svk_object_finish(&queue->base, &dev->alloc);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_QueueSubmit2(VkQueue _queue, uint32_t submitCount,
		 const VkSubmitInfo2 *pSubmits, VkFence _fence)
{
	SVK_FROM_HANDLE(svk_queue, queue, _queue);
	SVK_FROM_HANDLE(svk_fence, fence, _fence);
	struct svk_device *dev = queue->device;

	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	return dev->sync->submit(queue, submitCount, pSubmits, fence);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_QueueSubmit(VkQueue queue, uint32_t submitCount,
		const VkSubmitInfo *pSubmits, VkFence fence)
{
	struct svk_device *dev = svk_queue_from_handle(queue)->device;
	uint32_t i, j, num_sems = 0, num_cmds = 0;
	VkSemaphoreSubmitInfo *sems;
	VkCommandBufferSubmitInfo *cmds;
	VkSubmitInfo2 *s2;
	VkResult r;
	void *mem;

	if (!submitCount)
		return svk_QueueSubmit2(queue, 0, NULL, fence);
	/* Translate the whole call to one vkQueueSubmit2 call, so it fails
	 * or succeeds as a whole. */
	for (i = 0; i < submitCount; i++) {
		num_sems += pSubmits[i].waitSemaphoreCount +
			    pSubmits[i].signalSemaphoreCount;
		num_cmds += pSubmits[i].commandBufferCount;
	}
	mem = svk_alloc(&dev->alloc, submitCount * sizeof(*s2) +
			num_sems * sizeof(*sems) + num_cmds * sizeof(*cmds),
			VK_SYSTEM_ALLOCATION_SCOPE_COMMAND);
	if (!mem)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	s2 = mem;
	sems = (VkSemaphoreSubmitInfo *)(s2 + submitCount);
	cmds = (VkCommandBufferSubmitInfo *)(sems + num_sems);
	for (i = 0; i < submitCount; i++) {
		const VkSubmitInfo *si = &pSubmits[i];
		const VkTimelineSemaphoreSubmitInfo *tl =
			svk_find_struct(si->pNext,
					VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO);

		s2[i] = (VkSubmitInfo2){
			.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO_2,
			.waitSemaphoreInfoCount = si->waitSemaphoreCount,
			.pWaitSemaphoreInfos = sems,
			.commandBufferInfoCount = si->commandBufferCount,
			.pCommandBufferInfos = cmds,
			.signalSemaphoreInfoCount = si->signalSemaphoreCount,
		};
		for (j = 0; j < si->waitSemaphoreCount; j++)
			*sems++ = (VkSemaphoreSubmitInfo){
				.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO,
				.semaphore = si->pWaitSemaphores[j],
				.value = tl && tl->pWaitSemaphoreValues &&
					 j < tl->waitSemaphoreValueCount ?
					 tl->pWaitSemaphoreValues[j] : 0,
				.stageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT,
			};
		s2[i].pSignalSemaphoreInfos = sems;
		for (j = 0; j < si->signalSemaphoreCount; j++)
			*sems++ = (VkSemaphoreSubmitInfo){
				.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO,
				.semaphore = si->pSignalSemaphores[j],
				.value = tl && tl->pSignalSemaphoreValues &&
					 j < tl->signalSemaphoreValueCount ?
					 tl->pSignalSemaphoreValues[j] : 0,
				.stageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT,
			};
		for (j = 0; j < si->commandBufferCount; j++)
			*cmds++ = (VkCommandBufferSubmitInfo){
				.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_SUBMIT_INFO,
				.commandBuffer = si->pCommandBuffers[j],
			};
	}
	r = svk_QueueSubmit2(queue, submitCount, s2, fence);
	svk_free(&dev->alloc, mem);
	return r;
}
VKAPI_ATTR VkResult VKAPI_CALL
svk_QueueWaitIdle(VkQueue _queue)
{
	SVK_FROM_HANDLE(svk_queue, queue, _queue);

	if (svk_device_is_lost(queue->device))
		return VK_ERROR_DEVICE_LOST;
	return queue->device->sync->wait_idle(queue);
}
