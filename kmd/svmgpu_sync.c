// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_sync.c - the syncobj syncs of EXEC and VM_BIND (parsing, waiting
 * and signalling, written once for both) and the gate fence of binds.
 */

/**
 * DOC: Syncs
 *
 * EXEC and VM_BIND take the same &struct drm_svmgpu_sync array. Both
 * handle it in three steps, all here:
 *
 * - svmgpu_syncs_get() (ioctl, before anything has an effect): copies the
 *   array with the caller's stride, checks every entry's flags (WAIT or
 *   SIGNAL) as it copies it, then looks every entry up: a WAIT sync's
 *   fence (drm_syncobj_find_fence() at its point; -ENOENT without the
 *   syncobj, -EINVAL without a fence), a SIGNAL sync's syncobj (-ENOENT)
 *   and, for a timeline point, the chain node it will need, allocated now
 *   so that signalling cannot fail.
 * - Waiting: an EXEC hands the WAIT fences to its scheduler job as
 *   dependencies (svmgpu_syncs_add_deps(); not
 *   drm_sched_job_add_syncobj_dependency(), whose point is 32 bits); a
 *   VM_BIND waits for them through its gate or, synchronously, in the
 *   ioctl (svmgpu_vm_bind.c).
 * - svmgpu_syncs_signal(), once the job is armed and can no longer fail:
 *   the job's fence replaces a binary syncobj's or becomes a timeline's
 *   point.
 *
 * svmgpu_syncs_free() drops whatever the steps left.
 *
 * The gate (&struct svmgpu_gate) is a fence of its own context that
 * signals once every fence of a set has (svmgpu_gate_arm()), or at once
 * with -ECANCELED (svmgpu_gate_cancel()). A VM_BIND job depends on the
 * gate over its WAIT fences rather than on the fences themselves, so
 * that a VM leaving its file can let its pending binds run (see
 * "Cancelling" in svmgpu_vm_bind.c) without waiting for fences that may
 * never signal.
 */

#include <linux/dma-fence-chain.h>
#include <linux/dma-fence.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>

#include "svmgpu_drm.h"
#include "svmgpu_drv.h"
#include "svmgpu_sync.h"

static const char *svmgpu_gate_driver_name(struct dma_fence *fence)
{
	return "svmgpu";
}

static const char *svmgpu_gate_timeline_name(struct dma_fence *fence)
{
	return "svmgpu-bind-wait";
}

static const struct dma_fence_ops svmgpu_gate_ops = {
	.get_driver_name = svmgpu_gate_driver_name,
	.get_timeline_name = svmgpu_gate_timeline_name,
};

static void svmgpu_gate_open_locked(struct svmgpu_gate *gate, int error)
{
	lockdep_assert_held(&gate->lock);
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &gate->base.flags))
		return;
	if (error)
		dma_fence_set_error(&gate->base, error);
	dma_fence_signal_locked(&gate->base);
}

/* One WAIT fence fewer to wait for. */
static void svmgpu_gate_wait_done(struct svmgpu_gate *gate)
{
	unsigned long flags;

	spin_lock_irqsave(&gate->lock, flags);
	if (!--gate->waiting)
		svmgpu_gate_open_locked(gate, 0);
	spin_unlock_irqrestore(&gate->lock, flags);
}

/* A WAIT fence signalled; runs under its lock, in any context. */
static void svmgpu_gate_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct svmgpu_gate_wait *wait = container_of(cb, struct svmgpu_gate_wait, cb);
	struct svmgpu_gate *gate = wait->gate;

	svmgpu_gate_wait_done(gate);
	dma_fence_put(&gate->base);
}

/**
 * svmgpu_gate_create() - a closed gate over some fences.
 * @fences: the fences to wait for; the caller keeps its references and
 *          must hold them for as long as the gate may wait.
 * @count: entries of @fences.
 *
 * Return: the gate (its fence's reference), or NULL without memory.
 */
struct svmgpu_gate *svmgpu_gate_create(struct dma_fence **fences, u32 count)
{
	struct svmgpu_gate *gate;
	u32 i;

	gate = kzalloc(struct_size(gate, waits, count), GFP_KERNEL);
	if (!gate)
		return NULL;
	gate->count = count;
	spin_lock_init(&gate->lock);
	gate->waiting = count + 1;
	for (i = 0; i < count; i++) {
		gate->waits[i].fence = fences[i];
		gate->waits[i].gate = gate;
	}
	dma_fence_init(&gate->base, &svmgpu_gate_ops, &gate->lock,
		       dma_fence_context_alloc(1), 1);
	return gate;
}

/**
 * svmgpu_gate_arm() - start waiting: the gate opens when every fence
 * signalled.
 * @gate: the gate, armed once.
 */
void svmgpu_gate_arm(struct svmgpu_gate *gate)
{
	u32 i;

	for (i = 0; i < gate->count; i++) {
		struct svmgpu_gate_wait *wait = &gate->waits[i];

		dma_fence_get(&gate->base);
		if (dma_fence_add_callback(wait->fence, &wait->cb, svmgpu_gate_cb)) {
			/* Already signalled. */
			dma_fence_put(&gate->base);
			svmgpu_gate_wait_done(gate);
		}
	}
	svmgpu_gate_wait_done(gate);
}

/**
 * svmgpu_gate_cancel() - open the gate now, with -ECANCELED if it was
 * still closed.
 * @gate: the gate.
 *
 * Any context but the fences' callbacks.
 */
void svmgpu_gate_cancel(struct svmgpu_gate *gate)
{
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&gate->lock, flags);
	svmgpu_gate_open_locked(gate, -ECANCELED);
	spin_unlock_irqrestore(&gate->lock, flags);

	/* A callback removed here will not run: drop its reference. */
	for (i = 0; i < gate->count; i++)
		if (dma_fence_remove_callback(gate->waits[i].fence,
					      &gate->waits[i].cb))
			dma_fence_put(&gate->base);
}

/**
 * svmgpu_syncs_get() - copy, check and look up the syncs of an ioctl.
 * @file: the caller's file, whose syncobjs the handles name.
 * @arr: the array of &struct drm_svmgpu_sync.
 * @max: most entries the ioctl accepts.
 * @s: (out) the syncs; zeroed by the caller, freed with
 *     svmgpu_syncs_free() whatever this returns.
 *
 * Changes nothing: no syncobj is touched until svmgpu_syncs_signal().
 *
 * Return: 0, -EINVAL (count, stride, flags, a WAIT point without a
 * fence), -EFAULT, -ENOENT (a handle) or -ENOMEM.
 */
int svmgpu_syncs_get(struct drm_file *file,
		     const struct drm_svmgpu_obj_array *arr, u32 max,
		     struct svmgpu_syncs *s)
{
	u32 i, n = max_t(u32, arr->count, 1);
	int ret;

	if (arr->count > max ||
	    (arr->count && arr->stride < sizeof(struct drm_svmgpu_sync)))
		return -EINVAL;

	s->syncs = kvcalloc(n, sizeof(*s->syncs), GFP_KERNEL);
	s->waits = kvcalloc(n, sizeof(*s->waits), GFP_KERNEL);
	s->signal = kvcalloc(n, sizeof(*s->signal), GFP_KERNEL);
	s->chains = kvcalloc(n, sizeof(*s->chains), GFP_KERNEL);
	if (!s->syncs || !s->waits || !s->signal || !s->chains)
		return -ENOMEM;
	s->count = arr->count;

	for (i = 0; i < s->count; i++) {
		ret = svmgpu_copy_array_elem(&s->syncs[i], sizeof(s->syncs[i]),
					     arr, i);
		if (ret)
			return ret;
		if (s->syncs[i].flags != DRM_SVMGPU_SYNC_WAIT &&
		    s->syncs[i].flags != DRM_SVMGPU_SYNC_SIGNAL)
			return -EINVAL;
	}

	for (i = 0; i < s->count; i++) {
		const struct drm_svmgpu_sync *sync = &s->syncs[i];

		if (sync->flags == DRM_SVMGPU_SYNC_WAIT) {
			/* -ENOENT: no syncobj; -EINVAL: no fence (point). */
			ret = drm_syncobj_find_fence(file, sync->handle,
						     sync->point, 0,
						     &s->waits[s->nr_waits]);
			if (ret)
				return ret;
			s->nr_waits++;
			continue;
		}
		s->signal[i] = drm_syncobj_find(file, sync->handle);
		if (!s->signal[i])
			return -ENOENT;
		if (sync->point) {
			s->chains[i] = dma_fence_chain_alloc();
			if (!s->chains[i])
				return -ENOMEM;
		}
	}
	return 0;
}

/**
 * svmgpu_syncs_add_deps() - make a scheduler job wait for the WAIT fences.
 * @s: the syncs; gives up its fence references, even on failure.
 * @job: the job, initialised and not armed.
 *
 * Return: 0 or what drm_sched_job_add_dependency() returned (-ENOMEM).
 */
int svmgpu_syncs_add_deps(struct svmgpu_syncs *s, struct drm_sched_job *job)
{
	int ret = 0;
	u32 i;

	for (i = 0; i < s->nr_waits; i++) {
		struct dma_fence *fence = s->waits[i];

		s->waits[i] = NULL;
		/* Takes the reference, also when it fails. */
		if (!ret)
			ret = drm_sched_job_add_dependency(job, fence);
		else
			dma_fence_put(fence);
	}
	s->nr_waits = 0;
	return ret;
}

/**
 * svmgpu_syncs_signal() - hand a job's fence to the SIGNAL syncobjs.
 * @s: the syncs; their chain nodes are used up.
 * @done: the fence.
 *
 * Cannot fail: everything it needs was looked up and allocated by
 * svmgpu_syncs_get().
 */
void svmgpu_syncs_signal(struct svmgpu_syncs *s, struct dma_fence *done)
{
	u32 i;

	for (i = 0; i < s->count; i++) {
		if (!s->signal[i])
			continue;
		if (s->chains[i]) {
			drm_syncobj_add_point(s->signal[i], s->chains[i], done,
					      s->syncs[i].point);
			s->chains[i] = NULL;
		} else {
			drm_syncobj_replace_fence(s->signal[i], done);
		}
	}
}

/**
 * svmgpu_syncs_free() - drop what svmgpu_syncs_get() took.
 * @s: the syncs, as svmgpu_syncs_get() left them (fully or partly).
 */
void svmgpu_syncs_free(struct svmgpu_syncs *s)
{
	u32 i;

	for (i = 0; s->signal && i < s->count; i++) {
		if (s->signal[i])
			drm_syncobj_put(s->signal[i]);
		dma_fence_chain_free(s->chains[i]);
	}
	for (i = 0; s->waits && i < s->nr_waits; i++)
		dma_fence_put(s->waits[i]);
	kvfree(s->waits);
	kvfree(s->chains);
	kvfree(s->signal);
	kvfree(s->syncs);
}
