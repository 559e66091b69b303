// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_sync.c - the syncobj syncs of EXEC and VM_BIND: parsing, waiting
 * and signalling, written once for both.
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
