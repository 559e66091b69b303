/* SPDX-License-Identifier: MIT */
/*
 * sync.c - the backend-independent part of the sync layer (sync.h): the
 * choice of a device's backend, the life of a payload around the
 * backend's ops, and temporary payloads, which are syncobjs on every
 * backend.
 */
#include "svk_private.h"

const struct svk_sync_type *
svk_sync_type_select(bool user_fence)
{
	return user_fence ? &svk_sync_user_fence : &svk_sync_syncobj;
}

VkResult
svk_sync_init(struct svk_device *dev, struct svk_sync *sync,
	      enum svk_sync_kind kind, uint64_t initial)
{
	memset(sync, 0, sizeof(*sync));
	sync->kind = kind;
	return dev->sync->init(dev, sync, initial);
}

void
svk_sync_finish(struct svk_device *dev, struct svk_sync *sync)
{
	svk_sync_drop_temporary(dev, sync);
	dev->sync->finish(dev, sync);
}

VkResult
svk_sync_reset(struct svk_device *dev, struct svk_sync *sync)
{
	/* Spec: a temporarily imported payload is first replaced by the
	 * permanent one, which is then reset. */
	svk_sync_drop_temporary(dev, sync);
	return dev->sync->reset(dev, sync);
}

VkResult
svk_sync_wait_many(struct svk_device *dev, uint32_t count,
		   void (*get)(const void *objects, uint32_t i,
			       struct svk_sync_wait *w),
		   const void *objects, bool wait_all, uint64_t timeout)
{
	struct svk_sync_wait local[64] = { { 0 } }, *waits = local;
	uint32_t i;
	VkResult r;

	if (count > SVK_ARRAY_SIZE(local)) {
		waits = svk_alloc(&dev->alloc, count * sizeof(*waits),
				  VK_SYSTEM_ALLOCATION_SCOPE_COMMAND);
		if (!waits)
			return VK_ERROR_OUT_OF_HOST_MEMORY;
	}
	for (i = 0; i < count; i++)
		get(objects, i, &waits[i]);
	r = dev->sync->wait(dev, waits, count, wait_all, timeout);
	if (waits != local)
		svk_free(&dev->alloc, waits);
	return r;
}

void
svk_sync_set_temporary(struct svk_device *dev, struct svk_sync *sync,
		       uint32_t syncobj)
{
	uint32_t old;

	pthread_mutex_lock(&dev->sync_lock);
	old = sync->temporary;
	sync->temporary = syncobj;
	pthread_mutex_unlock(&dev->sync_lock);
	if (old)
		svk_ws_syncobj_destroy(dev->ws, old);
}

uint32_t
svk_sync_take_temporary(struct svk_device *dev, struct svk_sync *sync)
{
	uint32_t syncobj;

	pthread_mutex_lock(&dev->sync_lock);
	syncobj = sync->temporary;
	sync->temporary = 0;
	pthread_mutex_unlock(&dev->sync_lock);
	return syncobj;
}

void
svk_sync_drop_temporary(struct svk_device *dev, struct svk_sync *sync)
{
	uint32_t syncobj = svk_sync_take_temporary(dev, sync);

	if (syncobj)
		svk_ws_syncobj_destroy(dev->ws, syncobj);
}
