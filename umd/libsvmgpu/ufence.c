// SPDX-License-Identifier: MIT
/*
 * ufence.c - user fences: waiting for a 64-bit value in process memory.
 *
 * Fault-mode jobs publish no dma-fence (servicing their faults may
 * allocate memory, so nothing may wait on them from reclaim): they end by
 * writing a value with a USER_FENCE command, and
 * DRM_IOCTL_SVMGPU_WAIT_USER_FENCE sleeps until the value satisfies a
 * comparison. This file wraps that ioctl, and the one that wakes waiters
 * after a CPU wrote a value (DRM_IOCTL_SVMGPU_USER_FENCE_WAKE); the
 * comparison, the timeout and
 * its write-back are the kernel's, passed through unchanged. drmIoctl()
 * restarts a wait a signal interrupted, with the timeout the kernel wrote
 * back, so the total wait stays the one asked for.
 */

#include "svmgpu_priv.h"

SVMGPU_PUBLIC int svmgpu_user_fence_wait(struct svmgpu_device *dev,
					 const volatile uint64_t *addr,
					 uint32_t op, uint64_t value,
					 uint64_t mask,
					 struct svmgpu_queue *queue,
					 int64_t *timeout_ns)
{
	struct drm_svmgpu_wait_user_fence args;
	int ret;

	if (!dev || !addr || !timeout_ns || (uintptr_t)addr & 7 ||
	    (queue && queue->dev != dev))
		return -EINVAL;

	args = (struct drm_svmgpu_wait_user_fence){
		.addr = (uint64_t)(uintptr_t)addr,
		.value = value,
		.mask = mask,
		.timeout_ns = *timeout_ns,
		.op = op,
		.queue_id = queue ? queue->id : 0,
	};
	ret = svmgpu_ioctl(dev->fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &args);
	/*
	 * The kernel writes what is left of the timeout back whatever the
	 * result (an error found before waiting leaves it as it was).
	 */
	*timeout_ns = args.timeout_ns;
	return ret;
}

SVMGPU_PUBLIC int svmgpu_user_fence_wake(struct svmgpu_device *dev)
{
	struct drm_svmgpu_user_fence_wake args = { 0 };

	if (!dev)
		return -EINVAL;
	return svmgpu_ioctl(dev->fd, DRM_IOCTL_SVMGPU_USER_FENCE_WAKE, &args);
}
