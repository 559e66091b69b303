// SPDX-License-Identifier: MIT
/*
 * exec.c - job submission.
 *
 * svmgpu_exec_submit() turns a struct svmgpu_exec_info into one
 * DRM_IOCTL_SVMGPU_EXEC: the wait and signal lists become one array of
 * &struct drm_svmgpu_sync (waits first), the BO list one array of
 * &struct drm_svmgpu_exec_bo with the BOs' handles. Small lists are built
 * on the stack; only long BO lists allocate.
 */

#include <stdlib.h>

#include "svmgpu_priv.h"

/* BO lists up to this long are built on the stack. */
#define SVMGPU_EXEC_STACK_BOS	32

static bool svmgpu_exec_array_ok(const void *array, uint32_t count)
{
	return array || !count;
}

static int svmgpu_exec_bo_compare(const void *a, const void *b)
{
	const struct drm_svmgpu_exec_bo *ba = a, *bb = b;

	return (ba->handle > bb->handle) - (ba->handle < bb->handle);
}

/* Sorts @bos by handle and merges duplicates; returns the new count. */
static uint32_t svmgpu_exec_bos_merge(struct drm_svmgpu_exec_bo *bos,
				      uint32_t count)
{
	uint32_t i, n = 0;

	if (count < 2)
		return count;
	qsort(bos, count, sizeof(*bos), svmgpu_exec_bo_compare);
	for (i = 1; i < count; i++) {
		if (bos[i].handle == bos[n].handle)
			bos[n].flags |= bos[i].flags;
		else
			bos[++n] = bos[i];
	}
	return n + 1;
}

SVMGPU_PUBLIC int svmgpu_exec_submit(struct svmgpu_queue *queue,
				     const struct svmgpu_exec_info *info)
{
	struct drm_svmgpu_sync syncs[DRM_SVMGPU_EXEC_MAX_SYNCS];
	struct drm_svmgpu_exec_bo stack_bos[SVMGPU_EXEC_STACK_BOS];
	struct drm_svmgpu_exec_bo *bos = stack_bos;
	struct drm_svmgpu_exec args;
	uint32_t i, nr_syncs, nr_bos;
	int ret;

	if (!queue || !info ||
	    !svmgpu_exec_array_ok(info->waits, info->num_waits) ||
	    !svmgpu_exec_array_ok(info->signals, info->num_signals) ||
	    !svmgpu_exec_array_ok(info->bos, info->num_bos) ||
	    info->num_waits > DRM_SVMGPU_EXEC_MAX_SYNCS ||
	    info->num_signals > DRM_SVMGPU_EXEC_MAX_SYNCS - info->num_waits ||
	    info->num_bos > DRM_SVMGPU_EXEC_MAX_BOS ||
	    !info->batch_size || info->batch_size > SVMGPU_BATCH_MAX_SIZE ||
	    (info->batch_address | info->batch_size) & 7 ||
	    info->batch_address + info->batch_size < info->batch_address)
		return -EINVAL;

	nr_syncs = 0;
	for (i = 0; i < info->num_waits; i++)
		syncs[nr_syncs++] = (struct drm_svmgpu_sync){
			.flags = DRM_SVMGPU_SYNC_WAIT,
			.handle = info->waits[i].handle,
			.point = info->waits[i].point,
		};
	for (i = 0; i < info->num_signals; i++)
		syncs[nr_syncs++] = (struct drm_svmgpu_sync){
			.flags = DRM_SVMGPU_SYNC_SIGNAL,
			.handle = info->signals[i].handle,
			.point = info->signals[i].point,
		};

	if (info->num_bos > SVMGPU_EXEC_STACK_BOS) {
		bos = calloc(info->num_bos, sizeof(*bos));
		if (!bos)
			return -ENOMEM;
	}
	for (i = 0; i < info->num_bos; i++) {
		const struct svmgpu_exec_bo *b = &info->bos[i];

		if (!b->bo || b->bo->dev != queue->dev) {
			ret = -EINVAL;
			goto out_free;
		}
		bos[i] = (struct drm_svmgpu_exec_bo){
			.handle = b->bo->handle,
			.flags = b->flags,
		};
	}
	nr_bos = svmgpu_exec_bos_merge(bos, info->num_bos);

	args = (struct drm_svmgpu_exec){
		.queue_id = queue->id,
		.flags = info->flags,
		.batch_address = info->batch_address,
		.batch_size = info->batch_size,
		.syncs = {
			.stride = sizeof(syncs[0]),
			.count = nr_syncs,
			.array = u64_ptr(syncs),
		},
		.bos = {
			.stride = sizeof(bos[0]),
			.count = nr_bos,
			.array = u64_ptr(bos),
		},
	};
	ret = svmgpu_ioctl(queue->dev->fd, DRM_IOCTL_SVMGPU_EXEC, &args);
out_free:
	if (bos != stack_bos)
		free(bos);
	return ret;
}
