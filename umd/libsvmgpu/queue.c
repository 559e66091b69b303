// SPDX-License-Identifier: MIT
/*
 * queue.c - queues: creation on an engine of a VM, destruction, state.
 *
 * A struct svmgpu_queue is a queue id of the device's file. The kernel
 * keeps the queue's VM alive while the queue exists, so the library
 * object remembers only the ids. What happened to a queue (ban, resets,
 * the last fault) is read from the kernel each time: it changes under a
 * running job.
 */

#include <stdlib.h>

#include "svmgpu_priv.h"

SVMGPU_PUBLIC int svmgpu_queue_create(struct svmgpu_vm *vm, uint32_t engine,
				      uint32_t flags,
				      struct svmgpu_queue **queue)
{
	struct drm_svmgpu_queue_create args;
	struct svmgpu_queue *q;
	int ret;

	if (!vm || !queue || engine >= vm->dev->info.num_engines)
		return -EINVAL;

	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	args = (struct drm_svmgpu_queue_create){
		.vm_id = vm->id,
		.engine = engine,
		.flags = flags,
	};
	ret = svmgpu_ioctl(vm->dev->fd, DRM_IOCTL_SVMGPU_QUEUE_CREATE, &args);
	if (ret) {
		free(q);
		return ret;
	}
	q->dev = vm->dev;
	q->id = args.queue_id;
	q->vm_id = vm->id;
	q->engine = engine;
	svmgpu_device_get(q->dev);
	*queue = q;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_queue_destroy(struct svmgpu_queue *queue)
{
	struct drm_svmgpu_queue_destroy args;

	if (!queue)
		return -EINVAL;
	args = (struct drm_svmgpu_queue_destroy){ .queue_id = queue->id };
	svmgpu_ioctl(queue->dev->fd, DRM_IOCTL_SVMGPU_QUEUE_DESTROY, &args);
	svmgpu_device_put(queue->dev);
	free(queue);
	return 0;
}

SVMGPU_PUBLIC int svmgpu_queue_get_id(struct svmgpu_queue *queue, uint32_t *id)
{
	if (!queue || !id)
		return -EINVAL;
	*id = queue->id;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_queue_get_state(struct svmgpu_queue *queue,
					 struct svmgpu_queue_state *state)
{
	struct drm_svmgpu_queue_get_state args;
	int ret;

	if (!queue || !state)
		return -EINVAL;
	args = (struct drm_svmgpu_queue_get_state){ .queue_id = queue->id };
	ret = svmgpu_ioctl(queue->dev->fd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE,
			   &args);
	if (ret)
		return ret;
	*state = (struct svmgpu_queue_state){
		.banned = args.state & DRM_SVMGPU_QUEUE_STATE_BANNED,
		.reset_count = args.reset_count,
		.error = -(int)args.error,
		.fault_access = args.fault_access,
		.fault_reason = args.fault_reason,
		.fault_address = args.fault_address,
	};
	return 0;
}
