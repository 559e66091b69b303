/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_sync.h - the syncobj syncs of EXEC and VM_BIND, and the gate
 * fence (svmgpu_sync.c).
 */
#ifndef SVMGPU_SYNC_H
#define SVMGPU_SYNC_H

#include <linux/dma-fence.h>
#include <linux/spinlock.h>
#include <linux/types.h>

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

/**
 * struct svmgpu_gate_wait - the gate waiting for one WAIT fence.
 * @cb: on @fence until it signals or the gate is cancelled.
 * @fence: the fence; the job holds the reference.
 * @gate: the gate; the callback holds a reference while registered.
 */
struct svmgpu_gate_wait {
	struct dma_fence_cb cb;
	struct dma_fence *fence;
	struct svmgpu_gate *gate;
};

/**
 * struct svmgpu_gate - fence that signals when a set of fences has, or
 * with -ECANCELED when cancelled first (a bind's WAIT fences).
 * @base: the fence; a context of its own (gates signal in any order).
 * @lock: the fence's lock; protects @waiting.
 * @waiting: WAIT fences not signalled yet, plus one until armed.
 * @count: entries of @waits.
 * @waits: one per WAIT fence.
 */
struct svmgpu_gate {
	struct dma_fence base;
	spinlock_t lock; /* the fence and @waiting */
	unsigned int waiting;
	unsigned int count;
	struct svmgpu_gate_wait waits[] __counted_by(count);
};

struct svmgpu_gate *svmgpu_gate_create(struct dma_fence **fences, u32 count);
void svmgpu_gate_arm(struct svmgpu_gate *gate);
void svmgpu_gate_cancel(struct svmgpu_gate *gate);

int svmgpu_syncs_get(struct drm_file *file,
		     const struct drm_svmgpu_obj_array *arr, u32 max,
		     struct svmgpu_syncs *s);
int svmgpu_syncs_add_deps(struct svmgpu_syncs *s, struct drm_sched_job *job);
void svmgpu_syncs_signal(struct svmgpu_syncs *s, struct dma_fence *done);
void svmgpu_syncs_free(struct svmgpu_syncs *s);

#endif /* SVMGPU_SYNC_H */
