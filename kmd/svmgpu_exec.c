// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_exec.c - EXEC: jobs from the ioctl to a queue's ring, and the
 * scheduler backend that runs, times out and frees them.
 */

/**
 * DOC: EXEC
 *
 * DRM_IOCTL_SVMGPU_EXEC makes one &struct svmgpu_job on one queue:
 *
 * - svmgpu_ioctl_exec() copies and checks the arrays (svmgpu_exec_args_get();
 *   the syncs through svmgpu_syncs_get(), svmgpu_sync.c), refuses a
 *   banned queue and, on a fault-mode queue, what such a queue cannot do
 *   (svmgpu_exec_check_fault_mode()). The job depends on the WAIT syncs,
 *   on the VM's KERNEL fences (its binds) and implicitly on its BOs'
 *   fences; in a dma-fence VM it also installs the userptrs it may use
 *   (svmgpu_userptr.c), starting again if a CPU mapping changed while it
 *   took the reservation locks. Once armed it cannot fail: its finished
 *   fence goes into the VM's reservation object (BOOKKEEP), the BOs'
 *   (READ or WRITE) and the SIGNAL syncobjs, and it is pushed to the
 *   queue's entity.
 * - run_job, svmgpu_job_run(): a banned queue's job fails with
 *   -ECANCELED; otherwise a hardware fence is created
 *   (svmgpu_queue_fence_create()) and BATCH + FENCE are written into the
 *   ring and the doorbell rung (svmgpu_ring_job()). A fault-mode job has
 *   no hardware fence: it is done for drm_sched once in the ring, and
 *   userspace waits with user fences (svmgpu_user_fence.c).
 * - timedout_job, svmgpu_job_timedout(): a job that outlives the job
 *   timeout, or a slot that stopped (svmgpu_queue_irq() calls
 *   drm_sched_fault()): the queue is banned, the slot reset and every
 *   pending hardware fence signalled, with the error for the job the slot
 *   stopped in, -ECANCELED behind it.
 * - free_job, svmgpu_job_free(): counts a job killed before it ran, drops
 *   the queue reference and wakes &svmgpu_queue.idle_wq for the last one.
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>

#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_regs.h"
#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_exec.h"
#include "svmgpu_queue.h"
#include "svmgpu_svm.h"
#include "svmgpu_sync.h"
#include "svmgpu_userptr.h"
#include "svmgpu_vm.h"

/**
 * struct svmgpu_job - one EXEC.
 * @base: the scheduler job.
 * @queue: the queue; a reference.
 * @batch_address: GPU VA of the batch.
 * @batch_size: its size in bytes.
 * @hw_fence: its hardware fence once run_job has written it to the ring;
 *            a reference.
 * @counted: the job's end is already in the device's job counters (a job
 *           with @hw_fence is counted when that fence signals).
 */
struct svmgpu_job {
	struct drm_sched_job base;
	struct svmgpu_queue *queue;
	u64 batch_address;
	u64 batch_size;
	struct dma_fence *hw_fence;
	bool counted;
};

static struct svmgpu_job *to_svmgpu_job(struct drm_sched_job *job)
{
	return container_of(job, struct svmgpu_job, base);
}

/* Writes one ring command; @dw holds SVMGPU_CMD_DWORDS(dw[0]) dwords. */
static void svmgpu_ring_emit(struct svmgpu_queue *queue, const u32 *dw)
{
	u32 i, n = SVMGPU_CMD_DWORDS(dw[0]);

	for (i = 0; i < n; i++) {
		WRITE_ONCE(queue->ring[queue->ring_tail / 4], dw[i]);
		queue->ring_tail = (queue->ring_tail + 4) % SVMGPU_RING_SIZE;
	}
}

/* Writes a job's BATCH and FENCE into the ring and rings the doorbell. */
static void svmgpu_ring_job(struct svmgpu_queue *queue, struct svmgpu_job *job,
			    u32 seqno)
{
	u32 batch[SVMGPU_BATCH_DWORDS], fcmd[SVMGPU_FENCE_DWORDS];

	batch[0] = SVMGPU_CMD_HEADER(SVMGPU_OP_BATCH, 0, SVMGPU_BATCH_DWORDS);
	batch[1] = 0;
	batch[2] = lower_32_bits(job->batch_address);
	batch[3] = upper_32_bits(job->batch_address);
	batch[4] = lower_32_bits(job->batch_size);
	batch[5] = upper_32_bits(job->batch_size);
	fcmd[0] = SVMGPU_CMD_HEADER(SVMGPU_OP_FENCE, 0, SVMGPU_FENCE_DWORDS);
	fcmd[1] = seqno;
	svmgpu_ring_emit(queue, batch);
	svmgpu_ring_emit(queue, fcmd);
	/* The commands are in memory before the hardware sees the tail. */
	wmb();
	svmgpu_queue_write(queue, SVMGPU_Q_TAIL, queue->ring_tail);
	svmgpu_queue_write(queue, SVMGPU_Q_DOORBELL, 1);
}

static struct dma_fence *svmgpu_job_run(struct drm_sched_job *sched_job)
{
	struct svmgpu_job *job = to_svmgpu_job(sched_job);
	struct svmgpu_queue *queue = job->queue;
	struct dma_fence *fence;
	unsigned long flags;
	bool banned;

	spin_lock_irqsave(&queue->state_lock, flags);
	banned = queue->banned;
	spin_unlock_irqrestore(&queue->state_lock, flags);
	if (banned || sched_job->s_fence->finished.error) {
		svmgpu_count(queue->sdev, SVMGPU_CNT_JOBS_FAILED);
		job->counted = true;
		return ERR_PTR(-ECANCELED);
	}

	if (queue->fault_mode) {
		/* No fence: the job is done for drm_sched once in the ring. */
		svmgpu_ring_job(queue, job, ++queue->next_seqno);
		return NULL;
	}

	fence = svmgpu_queue_fence_create(queue);
	if (!fence) {
		svmgpu_count(queue->sdev, SVMGPU_CNT_JOBS_FAILED);
		job->counted = true;
		return ERR_PTR(-ENOMEM);
	}
	job->hw_fence = dma_fence_get(fence);

	svmgpu_ring_job(queue, job, lower_32_bits(fence->seqno));
	return fence;
}

static enum drm_gpu_sched_stat svmgpu_job_timedout(struct drm_sched_job *sched_job)
{
	struct svmgpu_queue *queue = to_svmgpu_job(sched_job)->queue;
	struct drm_sched_job *s_job;
	unsigned long flags;
	int error;

	drm_sched_stop(queue->sched, sched_job);

	spin_lock_irqsave(&queue->state_lock, flags);
	if (!queue->error)
		queue->error = -ETIMEDOUT;
	error = queue->error;
	queue->banned = true;
	queue->reset_count++;
	spin_unlock_irqrestore(&queue->state_lock, flags);
	svmgpu_count(queue->sdev, SVMGPU_CNT_RESETS);
	atomic64_inc(&queue->sdev->engine_resets[queue->engine]);

	drm_info(&queue->sdev->drm, "queue slot %u: job failed (%d), queue reset and banned\n",
		 queue->slot, error);

	/* Returns when the engine no longer executes the slot. */
	svmgpu_queue_write(queue, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESET);
	queue->ring_tail = 0;
	/* Jobs that completed before the failure keep their success. */
	svmgpu_queue_signal(queue, svmgpu_queue_read(queue, SVMGPU_Q_SEQNO), 0);
	svmgpu_queue_signal(queue, 0, error);

	/*
	 * drm_sched_stop() detached the jobs from their hardware fences;
	 * attach them again so drm_sched_start() completes each job with its
	 * fence's error (a job that never reached the ring gets -ECANCELED).
	 */
	list_for_each_entry(s_job, &queue->sched->pending_list, list) {
		struct svmgpu_job *job = to_svmgpu_job(s_job);

		if (job->hw_fence && !s_job->s_fence->parent)
			s_job->s_fence->parent = dma_fence_get(job->hw_fence);
	}
	drm_sched_start(queue->sched);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void svmgpu_job_free(struct drm_sched_job *sched_job)
{
	struct svmgpu_job *job = to_svmgpu_job(sched_job);
	struct svmgpu_queue *queue = job->queue;

	/* Killed with its entity before it ever ran. */
	if (!job->hw_fence && !job->counted)
		svmgpu_count(queue->sdev, SVMGPU_CNT_JOBS_FAILED);
	drm_sched_job_cleanup(sched_job);
	dma_fence_put(job->hw_fence);
	kfree(job);
	if (atomic_dec_and_test(&queue->live_jobs))
		wake_up_all(&queue->idle_wq);
	svmgpu_queue_put(queue);
}

/* The backend of every queue's scheduler (svmgpu_queue.c creates them). */
const struct drm_sched_backend_ops svmgpu_job_sched_ops = {
	.run_job = svmgpu_job_run,
	.timedout_job = svmgpu_job_timedout,
	.free_job = svmgpu_job_free,
};

/* The arrays of one EXEC, copied and checked, with what they name. */
struct svmgpu_exec_args {
	struct svmgpu_syncs syncs;
	struct drm_svmgpu_exec_bo *bos;
	struct drm_gem_object **objs;
	u32 nr_bos;
};

/* Copies an array of @ksize-byte elements with the caller's stride. */
static void *svmgpu_copy_array(const struct drm_svmgpu_obj_array *arr,
			       size_t ksize, u32 max)
{
	void *out;
	u32 i;
	int ret;

	if (arr->count > max || (arr->count && arr->stride < ksize))
		return ERR_PTR(-EINVAL);
	out = kvcalloc(max_t(u32, arr->count, 1), ksize, GFP_KERNEL);
	if (!out)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < arr->count; i++) {
		ret = svmgpu_copy_array_elem(out + i * ksize, ksize, arr, i);
		if (ret) {
			kvfree(out);
			return ERR_PTR(ret);
		}
	}
	return out;
}

static void svmgpu_exec_args_free(struct svmgpu_exec_args *ea)
{
	u32 i;

	svmgpu_syncs_free(&ea->syncs);
	for (i = 0; ea->objs && i < ea->nr_bos; i++)
		if (ea->objs[i])
			drm_gem_object_put(ea->objs[i]);
	kvfree(ea->objs);
	kvfree(ea->bos);
}

/* Copies and checks the arrays; looks up what they name. */
static int svmgpu_exec_args_get(struct drm_file *file,
				const struct drm_svmgpu_exec *args,
				struct svmgpu_exec_args *ea)
{
	u32 i;
	int ret;

	ret = svmgpu_syncs_get(file, &args->syncs, DRM_SVMGPU_EXEC_MAX_SYNCS,
			       &ea->syncs);
	if (ret)
		return ret;
	ea->bos = svmgpu_copy_array(&args->bos, sizeof(*ea->bos),
				    DRM_SVMGPU_EXEC_MAX_BOS);
	if (IS_ERR(ea->bos)) {
		ret = PTR_ERR(ea->bos);
		ea->bos = NULL;
		return ret;
	}
	ea->nr_bos = args->bos.count;

	ea->objs = kvcalloc(max_t(u32, ea->nr_bos, 1), sizeof(*ea->objs),
			    GFP_KERNEL);
	if (!ea->objs)
		return -ENOMEM;
	for (i = 0; i < ea->nr_bos; i++) {
		if (ea->bos[i].flags & ~DRM_SVMGPU_EXEC_BO_WRITE)
			return -EINVAL;
		ea->objs[i] = drm_gem_object_lookup(file, ea->bos[i].handle);
		if (!ea->objs[i])
			return -ENOENT;
	}
	return 0;
}

/* Locks the VM's and the BOs' reservations with a fence slot each. */
static int svmgpu_exec_lock(struct drm_exec *exec, struct svmgpu_queue *queue,
			    struct svmgpu_exec_args *ea)
{
	u32 i;
	int ret = 0;

	drm_exec_until_all_locked(exec) {
		ret = drm_exec_prepare_obj(exec, queue->vm->base.r_obj, 1);
		drm_exec_retry_on_contention(exec);
		for (i = 0; !ret && i < ea->nr_bos; i++) {
			ret = drm_exec_prepare_obj(exec, ea->objs[i], 1);
			drm_exec_retry_on_contention(exec);
		}
		if (ret)
			break;
	}
	return ret;
}

/*
 * What a fault-mode queue refuses: fences that would depend on fault
 * servicing (SIGNAL syncs, implicit fencing), a process whose address
 * space is not the mirrored one, more jobs than the ring holds.
 */
static int svmgpu_exec_check_fault_mode(struct svmgpu_queue *queue,
					const struct svmgpu_exec_args *ea)
{
	u32 in_ring;
	u32 i;

	for (i = 0; i < ea->syncs.count; i++)
		if (ea->syncs.syncs[i].flags & DRM_SVMGPU_SYNC_SIGNAL)
			return -EINVAL;
	if (ea->nr_bos)
		return -EINVAL;
	if (current->mm != queue->vm->svm->mm)
		return -EACCES;
	in_ring = (u32)atomic_read(&queue->lr_submitted) -
		  svmgpu_queue_read(queue, SVMGPU_Q_SEQNO);
	if (in_ring >= SVMGPU_RING_SIZE / SVMGPU_JOB_RING_BYTES - 1)
		return -EBUSY;
	return 0;
}

int svmgpu_ioctl_exec(struct drm_device *drm, void *data,
		      struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_exec *args = data;
	struct svmgpu_exec_args ea = {};
	struct svmgpu_queue *queue;
	struct svmgpu_pt_pool pool;
	struct svmgpu_job *job;
	struct dma_fence *done;
	struct drm_exec exec;
	unsigned long timeout;
	struct svmgpu_vm *vm;
	bool banned, userptrs;
	u32 i;
	int ret;

	if (args->flags || args->extensions || !args->batch_size ||
	    args->batch_size > SVMGPU_BATCH_MAX_SIZE ||
	    !IS_ALIGNED(args->batch_address | args->batch_size, 8))
		return -EINVAL;

	ret = svmgpu_exec_args_get(file, args, &ea);
	if (ret)
		goto out_free_args;

	queue = svmgpu_queue_lookup(&sfile->queues, args->queue_id);
	if (!queue) {
		ret = -ENOENT;
		goto out_free_args;
	}
	spin_lock_irq(&queue->state_lock);
	banned = queue->banned;
	spin_unlock_irq(&queue->state_lock);
	if (banned) {
		ret = -EIO;
		goto out_put_queue;
	}
	if (queue->fault_mode) {
		ret = svmgpu_exec_check_fault_mode(queue, &ea);
		if (ret)
			goto out_put_queue;
	}

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job) {
		ret = -ENOMEM;
		goto out_put_queue;
	}
	job->batch_address = args->batch_address;
	job->batch_size = args->batch_size;

	ret = drm_sched_job_init(&job->base, &queue->entity, 1, queue,
				 file->client_id);
	if (ret)
		goto out_free_job;

	ret = svmgpu_syncs_add_deps(&ea.syncs, &job->base);
	if (ret)
		goto out_cleanup_job;

	/*
	 * Userptrs (dma-fence VMs only): under the VM's lock, which keeps
	 * the set of userptrs, look the invalidated ones up again before
	 * the reservation locks, and install them under the userptr lock
	 * held until the job's fence is in the VM's reservation object; if
	 * a CPU mapping changed meanwhile, start again (svmgpu_userptr.c).
	 */
	vm = queue->vm;
	userptrs = !queue->fault_mode;
	svmgpu_pt_pool_init(&pool);
	if (userptrs) {
		ret = mutex_lock_interruptible(&vm->lock);
		if (ret)
			goto out_cleanup_job;
	}
	timeout = jiffies + msecs_to_jiffies(HMM_RANGE_DEFAULT_TIMEOUT);
retry:
	if (userptrs) {
		ret = svmgpu_userptr_exec_prepare(vm, &pool);
		if (ret)
			goto out_unlock_vm;
	}

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT, ea.nr_bos + 1);
	ret = svmgpu_exec_lock(&exec, queue, &ea);
	/* The VM's binds (KERNEL fences) go first: the job sees their result. */
	if (!ret)
		ret = drm_sched_job_add_resv_dependencies(&job->base,
							  queue->vm->base.r_obj->resv,
							  DMA_RESV_USAGE_KERNEL);
	for (i = 0; !ret && i < ea.nr_bos; i++)
		ret = drm_sched_job_add_implicit_dependencies(&job->base, ea.objs[i],
							      ea.bos[i].flags &
							      DRM_SVMGPU_EXEC_BO_WRITE);
	if (ret)
		goto out_exec_fini;

	if (userptrs) {
		mutex_lock(&vm->userptr_lock);
		if (!svmgpu_userptr_exec_install(vm, &pool)) {
			mutex_unlock(&vm->userptr_lock);
			drm_exec_fini(&exec);
			svmgpu_userptr_exec_abort(vm);
			svmgpu_pt_pool_fini(&pool);
			if (!time_before(jiffies, timeout)) {
				ret = -EAGAIN;
				goto out_unlock_vm;
			}
			goto retry;
		}
	}

	/* No failure from here on: the job is armed and will run. */
	job->queue = queue;
	atomic_inc(&queue->live_jobs);
	if (queue->fault_mode)
		atomic_inc(&queue->lr_submitted);
	drm_sched_job_arm(&job->base);
	done = dma_fence_get(&job->base.s_fence->finished);

	dma_resv_add_fence(queue->vm->base.r_obj->resv, done,
			   DMA_RESV_USAGE_BOOKKEEP);
	if (userptrs)
		mutex_unlock(&vm->userptr_lock);
	for (i = 0; i < ea.nr_bos; i++)
		dma_resv_add_fence(ea.objs[i]->resv, done,
				   ea.bos[i].flags & DRM_SVMGPU_EXEC_BO_WRITE ?
				   DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);
	svmgpu_count(queue->sdev, SVMGPU_CNT_JOBS_SUBMITTED);
	drm_sched_entity_push_job(&job->base);
	drm_exec_fini(&exec);
	if (userptrs)
		mutex_unlock(&vm->lock);
	svmgpu_pt_pool_fini(&pool);

	svmgpu_syncs_signal(&ea.syncs, done);
	dma_fence_put(done);
	/* The job holds the lookup's queue reference now. */
	svmgpu_exec_args_free(&ea);
	return 0;

out_exec_fini:
	drm_exec_fini(&exec);
	if (userptrs)
		svmgpu_userptr_exec_abort(vm);
out_unlock_vm:
	if (userptrs)
		mutex_unlock(&vm->lock);
	svmgpu_pt_pool_fini(&pool);
out_cleanup_job:
	drm_sched_job_cleanup(&job->base);
out_free_job:
	kfree(job);
out_put_queue:
	svmgpu_queue_put(queue);
out_free_args:
	svmgpu_exec_args_free(&ea);
	return ret;
}
