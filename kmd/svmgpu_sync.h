/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_sync.h - the syncobj syncs of EXEC and VM_BIND (svmgpu_sync.c).
 */
#ifndef SVMGPU_SYNC_H
#define SVMGPU_SYNC_H

#include <linux/types.h>

struct dma_fence;
struct dma_fence_chain;
struct drm_file;
struct drm_sched_job;
struct drm_svmgpu_obj_array;
struct drm_svmgpu_sync;
struct drm_syncobj;

/**
 * struct svmgpu_syncs - the syncs of one EXEC or VM_BIND, copied, checked
 * and looked up by svmgpu_syncs_get().
 * @syncs: the &struct drm_svmgpu_sync array as userspace gave it.
 * @count: entries of @syncs.
 * @waits: the fences of the WAIT syncs, in order; references.
 * @nr_waits: entries of @waits.
 * @signal: per sync, the syncobj of a SIGNAL sync (a reference), else NULL.
 * @chains: per sync, the chain node a timeline SIGNAL sync (point != 0)
 *          adds its point with, else NULL.
 */
struct svmgpu_syncs {
	struct drm_svmgpu_sync *syncs;
	u32 count;
	struct dma_fence **waits;
	u32 nr_waits;
	struct drm_syncobj **signal;
	struct dma_fence_chain **chains;
};

int svmgpu_syncs_get(struct drm_file *file,
		     const struct drm_svmgpu_obj_array *arr, u32 max,
		     struct svmgpu_syncs *s);
int svmgpu_syncs_add_deps(struct svmgpu_syncs *s, struct drm_sched_job *job);
void svmgpu_syncs_signal(struct svmgpu_syncs *s, struct dma_fence *done);
void svmgpu_syncs_free(struct svmgpu_syncs *s);

#endif /* SVMGPU_SYNC_H */
