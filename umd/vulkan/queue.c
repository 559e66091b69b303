/* SPDX-License-Identifier: MIT */
/*
 * queue.c - VkQueue: a kernel queue on the engine of its family, in the
 * device's VM; vkQueueSubmit/vkQueueSubmit2 and vkQueueWaitIdle.
 *
 * A command buffer is a list of batches (cmd_buffer.c); each batch is one
 * job. Jobs of one queue run in submission order on the engine, so a
 * submission's waits go on its first job and its signals on its last.
 * Every call's last job also signals the queue's own syncobj, which is
 * what vkQueueWaitIdle waits for. A submission without command buffers
 * still needs a job to carry its waits and signals: a batch of one END.
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

	/* family i runs on engine i */
	r = svk_ws_queue_create(dev->vm, queue->family, &queue->ws);
	if (r != VK_SUCCESS)
		goto err_lock;
	r = svk_ws_syncobj_create(dev->ws, true, &queue->last);
	if (r != VK_SUCCESS)
		goto err_queue;
	r = svk_ws_bo_create(dev->ws, 4096, &queue->empty_bo, NULL);
	if (r != VK_SUCCESS)
		goto err_syncobj;
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
	if (dev->svm) {
		/* user-fence state (user_fence.c) */
		r = svk_svm_queue_init(queue);
		if (r != VK_SUCCESS) {
			svk_queue_finish(queue);
			return r;
		}
	}
	return VK_SUCCESS;

err_map:
	svk_ws_vm_unmap(dev->vm, queue->empty_va, 4096);
err_va:
	svk_va_free(&dev->va, queue->empty_va, 4096);
err_bo:
	svk_ws_bo_destroy(queue->empty_bo);
err_syncobj:
	svk_ws_syncobj_destroy(dev->ws, queue->last);
err_queue:
	svk_ws_queue_destroy(queue->ws);
err_lock:
	pthread_mutex_destroy(&queue->lock);
	return r;
}

void
svk_queue_finish(struct svk_queue *queue)
{
	struct svk_device *dev = queue->device;

	svk_svm_queue_finish(queue);
	/* Spec: vkDestroyDevice requires all submitted work to be complete;
	 * wait anyway so the batch BO is not unmapped under a job. */
	svk_ws_syncobj_wait(dev->ws, &queue->last, NULL, 1, UINT64_MAX, true);
	svk_ws_vm_unmap(dev->vm, queue->empty_va, 4096);
	svk_va_free(&dev->va, queue->empty_va, 4096);
	svk_ws_bo_destroy(queue->empty_bo);
	svk_ws_syncobj_destroy(dev->ws, queue->last);
	svk_ws_queue_destroy(queue->ws);
	pthread_mutex_destroy(&queue->lock);
	svk_object_finish(&queue->base, &dev->alloc);
}

/* One submission, whichever of the two vkQueueSubmit forms it came from. */
struct submit {
	struct svmgpu_sync waits[DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint32_t num_waits;
	struct svmgpu_sync signals[DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint32_t num_signals;
	/* waited semaphores with a temporary payload, consumed once the
	 * jobs are queued (external_sync.c) */
	struct svk_semaphore *consume[DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint32_t num_consume;
};

static VkResult
add_wait(struct svk_queue *queue, struct submit *s, VkSemaphore _sem,
	 uint64_t value)
{
	SVK_FROM_HANDLE(svk_semaphore, sem, _sem);
	VkResult r;

	if (sem->type == VK_SEMAPHORE_TYPE_TIMELINE) {
		if (value == 0)
			return VK_SUCCESS;	/* always reached */
		/* The kernel needs the point's fence to exist when the job
		 * is queued; Vulkan allows waiting before the signal is
		 * submitted (spec 7.4.2 "Semaphore Waiting"): block here
		 * until it is. */
		r = svk_ws_syncobj_wait_available(queue->device->ws,
						  sem->syncobj, value);
		if (r != VK_SUCCESS)
			return r;
	} else {
		value = 0;
	}
	if (s->num_waits == SVK_ARRAY_SIZE(s->waits))
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	s->waits[s->num_waits++] =
		(struct svmgpu_sync){ svk_semaphore_syncobj(sem), value };
	if (sem->temporary)
		s->consume[s->num_consume++] = sem;
	return VK_SUCCESS;
}

static VkResult
add_signal(struct submit *s, uint32_t syncobj, uint64_t point)
{
	if (s->num_signals == SVK_ARRAY_SIZE(s->signals))
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	s->signals[s->num_signals++] = (struct svmgpu_sync){ syncobj, point };
	return VK_SUCCESS;
}

static VkResult
add_signal_sem(struct submit *s, VkSemaphore _sem, uint64_t value)
{
	SVK_FROM_HANDLE(svk_semaphore, sem, _sem);

	return add_signal(s, svk_semaphore_syncobj(sem),
			  sem->type == VK_SEMAPHORE_TYPE_TIMELINE ? value : 0);
}

struct job_walk {
	struct svk_queue *queue;
	struct submit *s;
	uint32_t total, done;
	const struct svmgpu_sync *waits;
	uint32_t num_waits;
};

static VkResult
count_batch(void *data, uint64_t addr, uint64_t size)
{
	(void)addr;
	(void)size;
	((struct job_walk *)data)->total++;
	return VK_SUCCESS;
}

static VkResult
exec_batch(void *data, uint64_t addr, uint64_t size)
{
	struct job_walk *w = data;
	bool last = ++w->done == w->total;
	VkResult r;

	r = svk_ws_exec(w->queue->ws, addr, size, w->waits, w->num_waits,
			last ? w->s->signals : NULL, last ? w->s->num_signals : 0);
	w->waits = NULL;
	w->num_waits = 0;
	return r;
}

/* Queue the jobs of one submission: its command buffers' batches in
 * order, or the empty batch. */
static VkResult
submit_jobs(struct svk_queue *queue, struct submit *s,
	    struct svk_cmd_buffer *const *cmds, uint32_t count)
{
	struct job_walk w = {
		.queue = queue, .s = s,
		.waits = s->waits, .num_waits = s->num_waits,
	};
	uint32_t i;
	VkResult r;

	for (i = 0; i < count; i++)
		svk_cmd_for_each_batch(cmds[i], count_batch, &w);
	if (!w.total)
		return svk_ws_exec(queue->ws, queue->empty_va, 8, s->waits,
				   s->num_waits, s->signals, s->num_signals);
	for (i = 0; i < count; i++) {
		r = svk_cmd_for_each_batch(cmds[i], exec_batch, &w);
		if (r != VK_SUCCESS)
			return r;
	}
	return VK_SUCCESS;
}

static VkResult
queue_result(struct svk_queue *queue, VkResult r)
{
	if (r == VK_ERROR_DEVICE_LOST || svk_ws_queue_lost(queue->ws))
		return svk_device_set_lost(queue->device, "queue banned");
	return r;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_QueueSubmit2(VkQueue _queue, uint32_t submitCount,
		 const VkSubmitInfo2 *pSubmits, VkFence _fence)
{
	SVK_FROM_HANDLE(svk_queue, queue, _queue);
	SVK_FROM_HANDLE(svk_fence, fence, _fence);
	struct svk_cmd_buffer *cmds[64];
	struct submit s;
	VkResult r = VK_SUCCESS;
	uint32_t i, j;

	if (queue->device->lost)
		return VK_ERROR_DEVICE_LOST;
	if (queue->svm)
		return svk_svm_queue_submit2(queue, submitCount, pSubmits, fence);
	pthread_mutex_lock(&queue->lock);
	for (i = 0; i < SVK_MAX(submitCount, 1u) && r == VK_SUCCESS; i++) {
		const VkSubmitInfo2 *si = submitCount ? &pSubmits[i] : NULL;
		bool last = i + 1 >= submitCount;
		uint32_t n = 0, k = 0;

		memset(&s, 0, sizeof(s));
		if (si) {
			for (j = 0; j < si->waitSemaphoreInfoCount && r == VK_SUCCESS; j++)
				r = add_wait(queue, &s, si->pWaitSemaphoreInfos[j].semaphore,
					     si->pWaitSemaphoreInfos[j].value);
			for (j = 0; j < si->signalSemaphoreInfoCount && r == VK_SUCCESS; j++)
				r = add_signal_sem(&s, si->pSignalSemaphoreInfos[j].semaphore,
						   si->pSignalSemaphoreInfos[j].value);
			n = si->commandBufferInfoCount;
		}
		if (last && r == VK_SUCCESS)
			r = add_signal(&s, queue->last, 0);
		if (last && fence && r == VK_SUCCESS)
			r = add_signal(&s, svk_fence_syncobj(fence), 0);
		if (r != VK_SUCCESS)
			break;
		/* without command buffers, a submission with nothing to wait
		 * for or signal needs no job */
		if (!n && !s.num_waits && !s.num_signals)
			continue;
		do {
			uint32_t m = SVK_MIN(n - k, (uint32_t)SVK_ARRAY_SIZE(cmds));
			struct submit part = s;

			for (j = 0; j < m; j++)
				cmds[j] = svk_cmd_buffer_from_handle(
					si->pCommandBufferInfos[k + j].commandBuffer);
			/* split in groups of 64: waits on the first group,
			 * signals on the last */
			if (k)
				part.num_waits = 0;
			if (k + m < n)
				part.num_signals = 0;
			r = submit_jobs(queue, &part, cmds, m);
			k += m;
		} while (r == VK_SUCCESS && k < n);
		/* Spec 7.4.5: a temporarily imported payload is consumed by
		 * the wait (restoring the permanent one); the queued job
		 * holds the fence it waits for. */
		for (j = 0; j < s.num_consume; j++)
			svk_semaphore_drop_temporary(queue->device, s.consume[j]);
	}
	pthread_mutex_unlock(&queue->lock);
	return queue_result(queue, r);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_QueueSubmit(VkQueue queue, uint32_t submitCount,
		const VkSubmitInfo *pSubmits, VkFence fence)
{
	VkSemaphoreSubmitInfo waits[32], signals[32];
	VkCommandBufferSubmitInfo cmds[64];
	VkResult r = VK_SUCCESS;
	uint32_t i, j;

	if (!submitCount)
		return svk_QueueSubmit2(queue, 0, NULL, fence);
	/* Translate each VkSubmitInfo to a VkSubmitInfo2, one at a time;
	 * the fence goes with the last one only. */
	for (i = 0; i < submitCount && r == VK_SUCCESS; i++) {
		const VkSubmitInfo *si = &pSubmits[i];
		const VkTimelineSemaphoreSubmitInfo *tl =
			svk_find_struct(si->pNext,
					VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO);
		VkSubmitInfo2 s2 = { .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO_2 };

		if (si->waitSemaphoreCount > SVK_ARRAY_SIZE(waits) ||
		    si->signalSemaphoreCount > SVK_ARRAY_SIZE(signals) ||
		    si->commandBufferCount > SVK_ARRAY_SIZE(cmds))
			return VK_ERROR_OUT_OF_HOST_MEMORY;
		for (j = 0; j < si->waitSemaphoreCount; j++)
			waits[j] = (VkSemaphoreSubmitInfo){
				.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO,
				.semaphore = si->pWaitSemaphores[j],
				.value = tl && tl->pWaitSemaphoreValues &&
					 j < tl->waitSemaphoreValueCount ?
					 tl->pWaitSemaphoreValues[j] : 0,
				.stageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT,
			};
		for (j = 0; j < si->signalSemaphoreCount; j++)
			signals[j] = (VkSemaphoreSubmitInfo){
				.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO,
				.semaphore = si->pSignalSemaphores[j],
				.value = tl && tl->pSignalSemaphoreValues &&
					 j < tl->signalSemaphoreValueCount ?
					 tl->pSignalSemaphoreValues[j] : 0,
				.stageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT,
			};
		for (j = 0; j < si->commandBufferCount; j++)
			cmds[j] = (VkCommandBufferSubmitInfo){
				.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_SUBMIT_INFO,
				.commandBuffer = si->pCommandBuffers[j],
			};
		s2.waitSemaphoreInfoCount = si->waitSemaphoreCount;
		s2.pWaitSemaphoreInfos = waits;
		s2.signalSemaphoreInfoCount = si->signalSemaphoreCount;
		s2.pSignalSemaphoreInfos = signals;
		s2.commandBufferInfoCount = si->commandBufferCount;
		s2.pCommandBufferInfos = cmds;
		r = svk_QueueSubmit2(queue, 1, &s2,
				     i + 1 == submitCount ? fence : VK_NULL_HANDLE);
	}
	return r;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_QueueWaitIdle(VkQueue _queue)
{
	SVK_FROM_HANDLE(svk_queue, queue, _queue);
	VkResult r;

	if (queue->device->lost)
		return VK_ERROR_DEVICE_LOST;
	if (queue->svm)
		return svk_svm_queue_wait_idle(queue);
	r = svk_ws_syncobj_wait(queue->device->ws, &queue->last, NULL, 1,
				UINT64_MAX, true);
	if (r == VK_SUCCESS && svk_ws_queue_lost(queue->ws))
		r = VK_ERROR_DEVICE_LOST;
	return queue_result(queue, r);
}
