/* SPDX-License-Identifier: MIT */
/*
 * sync_syncobj.c - the syncobj backend of the sync layer (sync.h), for
 * every device without systemAllocatedMemory: a fence is a binary DRM
 * syncobj (reset replaces its fence with none), a semaphore a syncobj
 * used as binary (point 0) or as a timeline (points, host signal, wait
 * and counter query); the kernel signals them at the end of a job.
 * OPAQUE_FD shares the syncobj itself, SYNC_FD a sync_file of its
 * current fence (external_sync.c). A binary semaphore signalled by a
 * deferred submission also keeps that signal's pending-signal syncobj.
 * Submission, with the deferral of waits that have no fence yet, is in
 * sync_syncobj_submit.c.
 */
#include "svk_private.h"

#define HANDLES_ALL (SVK_SYNC_HANDLE_BIT(SVK_SYNC_HANDLE_OPAQUE_FD) | \
		     SVK_SYNC_HANDLE_BIT(SVK_SYNC_HANDLE_SYNC_FILE))
/* the most payloads one kernel wait is given */
#define MAX_WAIT 64u

static VkResult
syncobj_init(struct svk_device *dev, struct svk_sync *sync, uint64_t initial)
{
	VkResult r;

	/* VkExport*CreateInfo: every syncobj can be exported
	 * (external_sync.c). */
	r = svk_ws_syncobj_create(dev->ws, sync->kind == SVK_SYNC_FENCE && initial,
				  &sync->syncobj.handle);
	if (r != VK_SUCCESS)
		return r;
	/* A timeline starts at initialValue: signal that point now. */
	if (sync->kind == SVK_SYNC_TIMELINE && initial) {
		r = svk_ws_syncobj_signal(dev->ws, sync->syncobj.handle, initial);
		if (r != VK_SUCCESS)
			svk_ws_syncobj_destroy(dev->ws, sync->syncobj.handle);
	}
	return r;
}

static void
syncobj_finish(struct svk_device *dev, struct svk_sync *sync)
{
	svk_syncobj_set_pending_signal(dev, sync, 0);
	svk_ws_syncobj_destroy(dev->ws, sync->syncobj.handle);
}

void
svk_syncobj_set_pending_signal(struct svk_device *dev, struct svk_sync *sync,
			       uint32_t syncobj)
{
	uint32_t old;

	pthread_mutex_lock(&dev->sync_lock);
	old = sync->syncobj.pending_signal;
	sync->syncobj.pending_signal = syncobj;
	pthread_mutex_unlock(&dev->sync_lock);
	if (old)
		svk_ws_syncobj_destroy(dev->ws, old);
}

static VkResult
syncobj_reset(struct svk_device *dev, struct svk_sync *sync)
{
	VkResult r = svk_ws_syncobj_reset(dev->ws, sync->syncobj.handle);

	/* a binary semaphore's signal (reached the kernel) is consumed */
	if (sync->kind == SVK_SYNC_BINARY)
		svk_syncobj_set_pending_signal(dev, sync, 0);
	return r;
}

static VkResult
syncobj_signal(struct svk_device *dev, struct svk_sync *sync, uint64_t value)
{
	return svk_ws_syncobj_signal(dev->ws, sync->syncobj.handle, value);
}

static VkResult
syncobj_get_value(struct svk_device *dev, struct svk_sync *sync,
		  uint64_t *value)
{
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	return svk_ws_syncobj_query(dev->ws, sync->syncobj.handle, value);
}

static VkResult
syncobj_status(struct svk_device *dev, struct svk_sync *sync)
{
	int s;

	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	s = svk_ws_syncobj_signaled(dev->ws, svk_syncobj_current(sync), 0);
	if (s == 0)
		return VK_NOT_READY;
	if (s < 0)	/* the job failed: the device is lost (spec 5.2.3) */
		return svk_device_set_lost(dev, "a job failed");
	return VK_SUCCESS;
}

static VkResult
wait_fences(struct svk_device *dev, const struct svk_sync_wait *waits,
	    uint32_t count, bool wait_all, uint64_t timeout)
{
	uint32_t handles[MAX_WAIT] = { 0 };
	uint32_t i, n = 0;
	VkResult r;

	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	if (count > MAX_WAIT) {
		/* rare: wait in groups (only correct for waitAll) */
		for (i = 0; i < count; i += n) {
			n = SVK_MIN(count - i, MAX_WAIT);
			r = wait_fences(dev, waits + i, n, wait_all, timeout);
			if (r != VK_SUCCESS || !wait_all)
				return r;
		}
		return VK_SUCCESS;
	}
	for (i = 0; i < count; i++)
		handles[i] = svk_syncobj_current(waits[i].sync);
	r = svk_ws_syncobj_wait(dev->ws, handles, NULL, count, timeout,
				wait_all);
	/* a device lost, here or anywhere, while waiting: its submit
	 * threads signalled the fences of their deferred submissions
	 * (sync_syncobj_submit.c), so the wait ended early */
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	if (r != VK_SUCCESS)
		return r;
	for (i = 0; i < count; i++) {
		int s = svk_ws_syncobj_signaled(dev->ws, handles[i], 0);

		if (s < 0)
			return svk_device_set_lost(dev, "a job failed");
	}
	return VK_SUCCESS;
}

static VkResult
wait_timelines(struct svk_device *dev, const struct svk_sync_wait *waits,
	       uint32_t count, bool wait_all, uint64_t timeout)
{
	uint32_t handles[MAX_WAIT];
	uint64_t points[MAX_WAIT];
	uint32_t i, n = 0;
	VkResult r;

	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	if (count > MAX_WAIT)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	for (i = 0; i < count; i++) {
		if (!waits[i].value) {
			/* value 0 is always reached */
			if (!wait_all)
				return VK_SUCCESS;
			continue;
		}
		handles[n] = waits[i].sync->syncobj.handle;
		points[n++] = waits[i].value;
	}
	if (!n)
		return VK_SUCCESS;
	r = svk_ws_syncobj_wait(dev->ws, handles, points, n, timeout, wait_all);
	/* a device lost while waiting: its submit threads signalled what
	 * their deferred submissions would have (sync_syncobj_submit.c) */
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	return r;
}

static VkResult
syncobj_wait(struct svk_device *dev, const struct svk_sync_wait *waits,
	     uint32_t count, bool wait_all, uint64_t timeout)
{
	if (count && waits[0].sync->kind == SVK_SYNC_FENCE)
		return wait_fences(dev, waits, count, wait_all, timeout);
	return wait_timelines(dev, waits, count, wait_all, timeout);
}

static void
syncobj_import_permanent(struct svk_device *dev, struct svk_sync *sync,
			 uint32_t syncobj)
{
	uint32_t old;

	/* the new permanent payload also ends any temporary one, and has
	 * no pending signal */
	svk_sync_drop_temporary(dev, sync);
	pthread_mutex_lock(&dev->sync_lock);
	old = sync->syncobj.handle;
	sync->syncobj.handle = syncobj;
	pthread_mutex_unlock(&dev->sync_lock);
	svk_ws_syncobj_destroy(dev->ws, old);
	svk_syncobj_set_pending_signal(dev, sync, 0);
}

/*
 * A SYNC_FD export copies the payload's current fence, and the object may
 * be exported while its signal operation is pending (VUID-
 * VkSemaphoreGetFdInfoKHR-handleType-01136, VUID-VkFenceGetFdInfoKHR-
 * handleType-01454): a pending signal may still be on a queue's deferred
 * list (sync_syncobj_submit.c), so, while any submission is deferred,
 * wait until it reached the kernel.
 */
static VkResult
wait_signal_submitted(struct svk_device *dev, uint32_t syncobj)
{
	const uint64_t point = 0;
	VkResult r;

	if (!svk_syncobj_has_deferred(dev))
		return VK_SUCCESS;
	r = svk_ws_syncobj_wait_submitted(dev->ws, &syncobj, &point, 1,
					  UINT64_MAX, true);
	if (r == VK_SUCCESS && svk_device_is_lost(dev))
		r = VK_ERROR_DEVICE_LOST;
	return r;
}

static VkResult
syncobj_export(struct svk_device *dev, struct svk_sync *sync,
	       enum svk_sync_handle handle, int *fd, const char *vuid)
{
	uint32_t syncobj = svk_syncobj_current(sync);
	VkResult r;

	(void)vuid;	/* everything the queries offer is exported */
	/* timelines have OPAQUE_FD only */
	if (sync->kind == SVK_SYNC_TIMELINE && handle != SVK_SYNC_HANDLE_OPAQUE_FD)
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	switch (handle) {
	case SVK_SYNC_HANDLE_OPAQUE_FD:
		return svk_ws_syncobj_export_fd(dev->ws, syncobj, fd);
	case SVK_SYNC_HANDLE_SYNC_FILE:
		r = wait_signal_submitted(dev, syncobj);
		if (r != VK_SUCCESS)
			return r;
		return svk_ws_syncobj_export_sync_file(dev->ws, syncobj, fd);
	default:
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	}
}

const struct svk_sync_type svk_sync_syncobj = {
	.name = "syncobj",
	.exports = {
		[SVK_SYNC_FENCE] = HANDLES_ALL,
		[SVK_SYNC_BINARY] = HANDLES_ALL,
		[SVK_SYNC_TIMELINE] = SVK_SYNC_HANDLE_BIT(SVK_SYNC_HANDLE_OPAQUE_FD),
	},
	.imports = {
		[SVK_SYNC_FENCE] = HANDLES_ALL,
		[SVK_SYNC_BINARY] = HANDLES_ALL,
		[SVK_SYNC_TIMELINE] = SVK_SYNC_HANDLE_BIT(SVK_SYNC_HANDLE_OPAQUE_FD),
	},
	.init = syncobj_init,
	.finish = syncobj_finish,
	.reset = syncobj_reset,
	.signal = syncobj_signal,
	.get_value = syncobj_get_value,
	.status = syncobj_status,
	.wait = syncobj_wait,
	.import_permanent = syncobj_import_permanent,
	.export = syncobj_export,
	.queue_init = svk_syncobj_queue_init,
	.queue_finish = svk_syncobj_queue_finish,
	.submit = svk_syncobj_submit,
	.wait_idle = svk_syncobj_wait_idle,
	.device_lost = svk_syncobj_device_lost,
};
