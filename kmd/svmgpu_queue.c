// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_queue.c - queues: slots, rings, schedulers, and the interrupt of
 * a slot.
 */

/**
 * DOC: Queues
 *
 * Each queue owns a hardware queue slot, a one-page ring in GEM memory
 * and a drm_sched scheduler with one entity (the 1:1 model of Xe and
 * panthor: the hardware arbitrates between queues, the scheduler only
 * orders a queue's jobs and watches them for hangs). run_job writes a
 * BATCH and a FENCE command into the ring and rings the doorbell; the
 * FENCE raises the queue's interrupt, whose handler signals every
 * hardware fence up to the seqno the slot reports.
 *
 * Failure: a job that outlives the timeout, or a slot that stops on a
 * fault or a bad command (the interrupt handler records why and calls
 * drm_sched_fault()), ends up in svmgpu_job_timedout(): the queue is
 * banned, its slot reset, and every pending hardware fence signalled with
 * the error; drm_sched then completes those jobs with it and the later
 * ones fail in run_job. Other slots never stop.
 *
 * Faults: see "GPU fault path" (svmgpu_fault.c) for how a fault record
 * reaches its queue and how a fault-mode queue is resumed or banned.
 */

#include <linux/dma-fence-chain.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/hmm.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_syncobj.h>
#include <drm/drm_print.h>

#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_regs.h"
#include "hw/svmgpu_hw.h"
#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_fault.h"
#include "svmgpu_queue.h"
#include "svmgpu_svm.h"
#include "svmgpu_sync.h"
#include "svmgpu_userptr.h"
#include "svmgpu_vm.h"

#define SVMGPU_RING_SIZE	PAGE_SIZE
/* Every job writes a BATCH and a FENCE. */
#define SVMGPU_JOB_RING_BYTES	(4 * (SVMGPU_BATCH_DWORDS + SVMGPU_FENCE_DWORDS))
#define SVMGPU_MAX_QUEUES_PER_FILE	256

/**
 * struct svmgpu_fence - completion of one job on the hardware.
 * @base: the fence; its lock is &svmgpu_queue.fence_lock.
 * @link: in &svmgpu_queue.pending until signalled.
 * @queue: the queue, for the timeline name.
 * @submitted_ns: CLOCK_MONOTONIC when run_job handed the job to the
 *                hardware, for hang reporting in debugfs.
 */
struct svmgpu_fence {
	struct dma_fence base;
	struct list_head link;
	struct svmgpu_queue *queue;
	u64 submitted_ns;
};

static const char *svmgpu_fence_driver_name(struct dma_fence *fence)
{
	return "svmgpu";
}

static const char *svmgpu_fence_timeline_name(struct dma_fence *fence)
{
	return "svmgpu-queue";
}

static const struct dma_fence_ops svmgpu_fence_ops = {
	.get_driver_name = svmgpu_fence_driver_name,
	.get_timeline_name = svmgpu_fence_timeline_name,
};

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

/**
 * struct svmgpu_sched_slot - memory of one queue scheduler.
 * @base: the scheduler.
 * @link: in &svmgpu_device.sched_pool while no queue uses it.
 *
 * drm_sched's fences (6.12) read their timeline name through the
 * scheduler they came from, for as long as anyone holds them (a
 * sync_file can keep one for ever), so a scheduler's memory must outlive
 * its queue. Retired schedulers go to a per-device pool, are reused by
 * later queues (drm_sched_fini() leaves the struct ready for
 * drm_sched_init(), and the name stays the same string), and are freed
 * with the device.
 */
struct svmgpu_sched_slot {
	struct drm_gpu_scheduler base;
	struct list_head link;
};

static struct svmgpu_job *to_svmgpu_job(struct drm_sched_job *job)
{
	return container_of(job, struct svmgpu_job, base);
}

/**
 * svmgpu_queue_read() - read a register of a queue's hardware slot.
 * @queue: the queue.
 * @reg: SVMGPU_Q_* register.
 *
 * Return: its value.
 */
u32 svmgpu_queue_read(struct svmgpu_queue *queue, u32 reg)
{
	return svmgpu_hw_read32(queue->sdev->hw, SVMGPU_QUEUE_REG(queue->slot, reg));
}

/**
 * svmgpu_queue_write() - write a register of a queue's hardware slot.
 * @queue: the queue.
 * @reg: SVMGPU_Q_* register.
 * @value: what to write.
 */
void svmgpu_queue_write(struct svmgpu_queue *queue, u32 reg, u32 value)
{
	svmgpu_hw_write32(queue->sdev->hw, SVMGPU_QUEUE_REG(queue->slot, reg),
			  value);
}

static void svmgpu_queue_release(struct kref *ref)
{
	struct svmgpu_queue *queue = container_of(ref, struct svmgpu_queue, ref);

	drm_gem_object_put(&queue->ring_bo->base);
	svmgpu_vm_put(queue->vm);
	svmgpu_fault_queue_fini(queue);
	kfree(queue);
}

/**
 * svmgpu_queue_put() - drop a reference to a queue.
 * @queue: the queue.
 */
void svmgpu_queue_put(struct svmgpu_queue *queue)
{
	kref_put(&queue->ref, svmgpu_queue_release);
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
	struct svmgpu_fence *fence;
	unsigned long flags;
	bool banned;
	u32 seqno;

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

	fence = kzalloc(sizeof(*fence), GFP_NOWAIT);
	if (!fence) {
		svmgpu_count(queue->sdev, SVMGPU_CNT_JOBS_FAILED);
		job->counted = true;
		return ERR_PTR(-ENOMEM);
	}

	seqno = ++queue->next_seqno;
	dma_fence_init(&fence->base, &svmgpu_fence_ops, &queue->fence_lock,
		       queue->fence_ctx, seqno);
	fence->queue = queue;
	fence->submitted_ns = ktime_get_ns();

	spin_lock_irqsave(&queue->fence_lock, flags);
	list_add_tail(&fence->link, &queue->pending);
	dma_fence_get(&fence->base);
	spin_unlock_irqrestore(&queue->fence_lock, flags);
	job->hw_fence = dma_fence_get(&fence->base);

	svmgpu_ring_job(queue, job, seqno);
	return &fence->base;
}

/*
 * Signals the hardware fences up to @seqno. With @error, signals all of
 * them: the first (the job the queue stopped in) with @error, the ones
 * behind it with -ECANCELED.
 */
static void svmgpu_queue_signal(struct svmgpu_queue *queue, u32 seqno,
				int error)
{
	struct svmgpu_fence *fence, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&queue->fence_lock, flags);
	list_for_each_entry_safe(fence, tmp, &queue->pending, link) {
		if (!error && (s32)(fence->base.seqno - seqno) > 0)
			break;
		list_del(&fence->link);
		/* Counted before the fence signals: a waiter sees the count. */
		if (error) {
			dma_fence_set_error(&fence->base, error);
			error = -ECANCELED;
			svmgpu_count(queue->sdev, SVMGPU_CNT_JOBS_FAILED);
		} else {
			svmgpu_count(queue->sdev, SVMGPU_CNT_JOBS_COMPLETED);
		}
		dma_fence_signal_locked(&fence->base);
		dma_fence_put(&fence->base);
	}
	spin_unlock_irqrestore(&queue->fence_lock, flags);
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

static const struct drm_sched_backend_ops svmgpu_sched_ops = {
	.run_job = svmgpu_job_run,
	.timedout_job = svmgpu_job_timedout,
	.free_job = svmgpu_job_free,
};

/**
 * svmgpu_queue_irq() - the interrupt of one queue slot.
 * @queue: the queue using the slot.
 *
 * Signals the hardware fences the slot completed and, if it stopped, why:
 * -EFAULT or -EIO in &svmgpu_queue.error, then the fault worker (fault
 * mode) or drm_sched_fault() (dma-fence mode) takes over. Wakes the
 * user-fence waiters. From svmgpu_irq_handler(), under
 * &svmgpu_device.slots_lock.
 */
void svmgpu_queue_irq(struct svmgpu_queue *queue)
{
	u32 status = svmgpu_queue_read(queue, SVMGPU_Q_STATUS);

	svmgpu_queue_signal(queue, svmgpu_queue_read(queue, SVMGPU_Q_SEQNO), 0);

	if (status == SVMGPU_Q_STATUS_ERROR) {
		u32 err = svmgpu_queue_read(queue, SVMGPU_Q_ERROR);

		spin_lock(&queue->state_lock);
		if (!queue->error)
			queue->error = err == SVMGPU_Q_ERR_FAULT ? -EFAULT : -EIO;
		spin_unlock(&queue->state_lock);
		if (queue->fault_mode)
			svmgpu_fault_kick(queue);
		else
			drm_sched_fault(queue->sched);
	}
	/* USER_FENCE with IRQ, or a stop: user-fence waiters look again. */
	wake_up_all(&queue->sdev->ufence_wq);
}

/**
 * svmgpu_queues_init() - set up the slots, the scheduler pool and workqueue.
 * @sdev: the device; its hardware is up.
 *
 * Return: 0 or -ENOMEM.
 */
int svmgpu_queues_init(struct svmgpu_device *sdev)
{
	spin_lock_init(&sdev->slots_lock);
	ida_init(&sdev->slot_ida);
	mutex_init(&sdev->sched_pool_lock);
	INIT_LIST_HEAD(&sdev->sched_pool);

	/*
	 * One workqueue runs every queue's scheduler work. It is per-CPU, not
	 * the ordered (hence unbound) queue drm_sched would allocate: a job's
	 * run_job then runs on the CPU that submitted it, which the submitter
	 * usually leaves idle by waiting, instead of waking another CPU. The
	 * workqueue core never runs one work item concurrently with itself,
	 * and drm_sched's run and free works only share state under its
	 * job_list_lock. WQ_MEM_RECLAIM: it signals fences.
	 */
	sdev->sched_wq = alloc_workqueue("svmgpu-sched", WQ_MEM_RECLAIM, 0);
	if (!sdev->sched_wq)
		goto err_ida;
	init_waitqueue_head(&sdev->ufence_wq);
	return 0;

err_ida:
	mutex_destroy(&sdev->sched_pool_lock);
	ida_destroy(&sdev->slot_ida);
	return -ENOMEM;
}

/**
 * svmgpu_queues_fini() - tear down what svmgpu_queues_init() built.
 * @sdev: the device; every queue is gone, interrupts are off.
 */
void svmgpu_queues_fini(struct svmgpu_device *sdev)
{
	struct svmgpu_sched_slot *slot, *tmp;

	destroy_workqueue(sdev->sched_wq);
	ida_destroy(&sdev->slot_ida);
	list_for_each_entry_safe(slot, tmp, &sdev->sched_pool, link)
		kfree(slot);
	mutex_destroy(&sdev->sched_pool_lock);
}

/* Allocates and pins the ring page. */
static int svmgpu_queue_ring_init(struct svmgpu_queue *queue)
{
	struct sg_table *sgt;

	queue->ring_bo = drm_gem_shmem_create(&queue->sdev->drm, SVMGPU_RING_SIZE);
	if (IS_ERR(queue->ring_bo))
		return PTR_ERR(queue->ring_bo);

	sgt = drm_gem_shmem_get_pages_sgt(queue->ring_bo);
	if (IS_ERR(sgt)) {
		drm_gem_object_put(&queue->ring_bo->base);
		return PTR_ERR(sgt);
	}
	queue->ring = page_address(sg_page(sgt->sgl));
	return 0;
}

/* Programs the slot and starts it. */
static void svmgpu_queue_hw_start(struct svmgpu_queue *queue)
{
	u64 ring = sg_dma_address(queue->ring_bo->sgt->sgl);
	u64 root = svmgpu_pgtable_root_addr(&queue->vm->pgt);

	svmgpu_queue_write(queue, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESET);
	svmgpu_queue_write(queue, SVMGPU_Q_RING_BASE_LO, lower_32_bits(ring));
	svmgpu_queue_write(queue, SVMGPU_Q_RING_BASE_HI, upper_32_bits(ring));
	svmgpu_queue_write(queue, SVMGPU_Q_RING_SIZE, SVMGPU_RING_SIZE);
	svmgpu_queue_write(queue, SVMGPU_Q_PT_ROOT_LO, lower_32_bits(root));
	svmgpu_queue_write(queue, SVMGPU_Q_PT_ROOT_HI, upper_32_bits(root));
	svmgpu_queue_write(queue, SVMGPU_Q_ENGINE, queue->engine);
	svmgpu_queue_write(queue, SVMGPU_Q_CONFIG,
			   queue->fault_mode ? SVMGPU_Q_CONFIG_FAULT_STALL : 0);
	svmgpu_queue_write(queue, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_ENABLE);
}

/* A scheduler struct for a new queue: a retired one, or a new one. */
static struct drm_gpu_scheduler *svmgpu_queue_sched_get(struct svmgpu_device *sdev)
{
	struct svmgpu_sched_slot *slot;

	mutex_lock(&sdev->sched_pool_lock);
	slot = list_first_entry_or_null(&sdev->sched_pool,
					struct svmgpu_sched_slot, link);
	if (slot)
		list_del(&slot->link);
	mutex_unlock(&sdev->sched_pool_lock);
	if (!slot)
		slot = kzalloc(sizeof(*slot), GFP_KERNEL);
	return slot ? &slot->base : NULL;
}

/* Retires a scheduler after drm_sched_fini() (or a failed init). */
static void svmgpu_queue_sched_put(struct svmgpu_device *sdev,
				   struct drm_gpu_scheduler *sched)
{
	struct svmgpu_sched_slot *slot =
		container_of(sched, struct svmgpu_sched_slot, base);

	sched->free_guilty = false;
	mutex_lock(&sdev->sched_pool_lock);
	list_add(&slot->link, &sdev->sched_pool);
	mutex_unlock(&sdev->sched_pool_lock);
}

static struct svmgpu_queue *svmgpu_queue_create(struct svmgpu_device *sdev,
						struct svmgpu_vm *vm,
						u32 engine)
{
	struct drm_gpu_scheduler *sched_list[1];
	struct drm_sched_init_args args = {
		.ops = &svmgpu_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = SVMGPU_RING_SIZE / SVMGPU_JOB_RING_BYTES - 1,
		.timeout = msecs_to_jiffies(svmgpu_job_timeout_ms()),
		.name = "svmgpu-queue",
		.submit_wq = sdev->sched_wq,
		.dev = sdev->drm.dev,
	};
	struct svmgpu_queue *queue;
	int slot, ret;

	queue = kzalloc(sizeof(*queue), GFP_KERNEL);
	if (!queue)
		return ERR_PTR(-ENOMEM);
	kref_init(&queue->ref);
	queue->sdev = sdev;
	queue->vm = vm;
	queue->engine = engine;
	queue->fault_mode = vm->svm;
	svmgpu_fault_queue_init(queue);
	if (queue->fault_mode)
		args.timeout = MAX_SCHEDULE_TIMEOUT;
	queue->fence_ctx = dma_fence_context_alloc(1);
	spin_lock_init(&queue->fence_lock);
	spin_lock_init(&queue->state_lock);
	INIT_LIST_HEAD(&queue->pending);
	init_waitqueue_head(&queue->idle_wq);

	ret = svmgpu_queue_ring_init(queue);
	if (ret)
		goto err_free;

	slot = ida_alloc_max(&sdev->slot_ida, sdev->caps.num_queues - 1,
			     GFP_KERNEL);
	if (slot < 0) {
		ret = slot == -ENOSPC ? -ENOSPC : slot;
		goto err_put_ring;
	}
	queue->slot = slot;

	queue->sched = svmgpu_queue_sched_get(sdev);
	if (!queue->sched) {
		ret = -ENOMEM;
		goto err_free_slot;
	}
	ret = drm_sched_init(queue->sched, &args);
	if (ret)
		goto err_put_sched;

	sched_list[0] = queue->sched;
	ret = drm_sched_entity_init(&queue->entity, DRM_SCHED_PRIORITY_NORMAL,
				    sched_list, 1, NULL);
	if (ret)
		goto err_fini_sched;

	drm_gpuvm_get(&vm->base);
	svmgpu_queue_hw_start(queue);

	spin_lock_irq(&sdev->slots_lock);
	sdev->slots[slot] = queue;
	spin_unlock_irq(&sdev->slots_lock);
	return queue;

err_fini_sched:
	drm_sched_fini(queue->sched);
err_put_sched:
	svmgpu_queue_sched_put(sdev, queue->sched);
err_free_slot:
	ida_free(&sdev->slot_ida, slot);
err_put_ring:
	drm_gem_object_put(&queue->ring_bo->base);
err_free:
	svmgpu_fault_queue_fini(queue);
	kfree(queue);
	return ERR_PTR(ret);
}

/* The file lets go of a queue: let its jobs finish, then stop the slot. */
static void svmgpu_queue_release_slot(struct svmgpu_queue *queue)
{
	struct svmgpu_device *sdev = queue->sdev;

	/* Waits for queued jobs to reach the hardware (or be killed). */
	drm_sched_entity_destroy(&queue->entity);
	/*
	 * Jobs end on completion or on the timeout's reset; drm_sched_fini()
	 * must not run before the last free_job.
	 */
	wait_event(queue->idle_wq, !atomic_read(&queue->live_jobs));
	drm_sched_fini(queue->sched);
	svmgpu_queue_sched_put(sdev, queue->sched);

	svmgpu_fault_queue_release(queue);

	spin_lock_irq(&sdev->slots_lock);
	sdev->slots[queue->slot] = NULL;
	spin_unlock_irq(&sdev->slots_lock);

	svmgpu_queue_write(queue, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESET);
	ida_free(&sdev->slot_ida, queue->slot);
	svmgpu_queue_put(queue);
}

void svmgpu_file_queues_init(struct svmgpu_file_queues *queues)
{
	xa_init_flags(&queues->xa, XA_FLAGS_ALLOC1);
}

void svmgpu_file_queues_fini(struct svmgpu_file_queues *queues)
{
	struct svmgpu_queue *queue;
	unsigned long id;

	xa_for_each(&queues->xa, id, queue) {
		xa_erase(&queues->xa, id);
		svmgpu_queue_release_slot(queue);
	}
	xa_destroy(&queues->xa);
}

static struct svmgpu_queue *svmgpu_queue_lookup(struct svmgpu_file_queues *queues,
						u32 id)
{
	struct svmgpu_queue *queue;

	xa_lock(&queues->xa);
	queue = xa_load(&queues->xa, id);
	if (queue)
		kref_get(&queue->ref);
	xa_unlock(&queues->xa);
	return queue;
}

int svmgpu_ioctl_queue_create(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct svmgpu_device *sdev = to_svmgpu_device(drm);
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_queue_create *args = data;
	struct svmgpu_queue *queue;
	struct svmgpu_vm *vm;
	u32 id;
	int ret;

	if (args->flags || args->extensions ||
	    args->engine >= sdev->caps.num_engines)
		return -EINVAL;

	vm = svmgpu_vm_lookup(&sfile->vms, args->vm_id);
	if (!vm)
		return -ENOENT;

	queue = svmgpu_queue_create(sdev, vm, args->engine);
	svmgpu_vm_put(vm);
	if (IS_ERR(queue))
		return PTR_ERR(queue);

	ret = xa_alloc(&sfile->queues.xa, &id, queue,
		       XA_LIMIT(1, SVMGPU_MAX_QUEUES_PER_FILE), GFP_KERNEL);
	if (ret) {
		svmgpu_queue_release_slot(queue);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	queue->id = id;
	args->queue_id = id;
	return 0;
}

int svmgpu_ioctl_queue_destroy(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_queue_destroy *args = data;
	struct svmgpu_queue *queue;

	if (args->pad)
		return -EINVAL;
	queue = xa_erase(&sfile->queues.xa, args->queue_id);
	if (!queue)
		return -ENOENT;
	svmgpu_queue_release_slot(queue);
	return 0;
}

int svmgpu_ioctl_queue_get_state(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_queue_get_state *args = data;
	struct svmgpu_queue *queue;

	if (args->pad)
		return -EINVAL;
	queue = svmgpu_queue_lookup(&sfile->queues, args->queue_id);
	if (!queue)
		return -ENOENT;

	spin_lock_irq(&queue->state_lock);
	args->state = queue->banned ? DRM_SVMGPU_QUEUE_STATE_BANNED : 0;
	args->reset_count = queue->reset_count;
	args->error = -queue->error;
	args->fault_access = queue->fault.access;
	args->fault_reason = queue->fault.reason;
	args->fault_address = queue->fault.va;
	spin_unlock_irq(&queue->state_lock);

	svmgpu_queue_put(queue);
	return 0;
}

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

static bool svmgpu_ufence_holds(u64 cur, u64 value, u64 mask, u32 op)
{
	cur &= mask;
	value &= mask;
	switch (op) {
	case DRM_SVMGPU_UFENCE_EQ:
		return cur == value;
	case DRM_SVMGPU_UFENCE_NEQ:
		return cur != value;
	case DRM_SVMGPU_UFENCE_GT:
		return cur > value;
	case DRM_SVMGPU_UFENCE_GTE:
		return cur >= value;
	case DRM_SVMGPU_UFENCE_LT:
		return cur < value;
	default:
		return cur <= value;
	}
}

/*
 * wait_woken() with an hrtimer: sleeps until woken through @wait, a
 * signal, or the absolute CLOCK_MONOTONIC time *@deadline (none if NULL),
 * so that timeouts shorter than a jiffy are honoured.
 */
static void svmgpu_ufence_sleep(struct wait_queue_entry *wait,
				ktime_t *deadline)
{
	set_current_state(TASK_INTERRUPTIBLE);
	if (!(wait->flags & WQ_FLAG_WOKEN))
		schedule_hrtimeout_range(deadline, current->timer_slack_ns,
					 HRTIMER_MODE_ABS);
	__set_current_state(TASK_RUNNING);
	/* Pairs with the barrier of woken_wake_function(). */
	smp_store_mb(wait->flags, wait->flags & ~WQ_FLAG_WOKEN);
}

int svmgpu_ioctl_wait_user_fence(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct svmgpu_device *sdev = to_svmgpu_device(drm);
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_wait_user_fence *args = data;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	u64 __user *uaddr = u64_to_user_ptr(args->addr);
	struct svmgpu_queue *queue = NULL;
	bool forever = args->timeout_ns < 0;
	bool waited = false;
	ktime_t deadline = 0;
	int ret;

	if (args->flags || args->pad || args->extensions ||
	    !IS_ALIGNED(args->addr, 8) || args->op > DRM_SVMGPU_UFENCE_LTE)
		return -EINVAL;
	if (args->queue_id) {
		queue = svmgpu_queue_lookup(&sfile->queues, args->queue_id);
		if (!queue)
			return -ENOENT;
	}

	if (!forever)
		deadline = ktime_add_safe(ktime_get(),
					  ns_to_ktime(args->timeout_ns));

	add_wait_queue(&sdev->ufence_wq, &wait);
	for (;;) {
		u64 cur;
		bool banned = false;

		if (get_user(cur, uaddr)) {
			ret = -EFAULT;
			break;
		}
		if (svmgpu_ufence_holds(cur, args->value, args->mask, args->op)) {
			ret = 0;
			break;
		}
		if (queue) {
			spin_lock_irq(&queue->state_lock);
			banned = queue->banned;
			spin_unlock_irq(&queue->state_lock);
		}
		if (banned) {
			ret = -EIO;
			break;
		}
		if (!forever && ktime_compare(ktime_get(), deadline) >= 0) {
			ret = -ETIME;
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		svmgpu_ufence_sleep(&wait, forever ? NULL : &deadline);
		waited = true;
	}
	remove_wait_queue(&sdev->ufence_wq, &wait);

	/*
	 * What is left of the timeout: only if the call waited (a call that
	 * returns at its first check used nothing up and leaves @timeout_ns
	 * as it was), and 0 when it passed.
	 */
	if (ret == -ETIME)
		args->timeout_ns = 0;
	else if (!forever && waited)
		args->timeout_ns = max_t(s64, 0, ktime_to_ns(ktime_sub(deadline,
								       ktime_get())));
	if (queue)
		svmgpu_queue_put(queue);
	return ret;
}

int svmgpu_ioctl_user_fence_wake(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct svmgpu_device *sdev = to_svmgpu_device(drm);
	struct drm_svmgpu_user_fence_wake *args = data;

	if (args->flags || args->pad)
		return -EINVAL;
	/* Waiters re-read their value; spurious wake-ups are harmless. */
	wake_up_all(&sdev->ufence_wq);
	return 0;
}

/**
 * svmgpu_queues_debugfs_show() - list the queue slots in use.
 * @sdev: the device.
 * @m: where to print: per queue its slot, engine, VM, hardware status,
 *     seqnos, ban state, resets and last fault.
 */
void svmgpu_queues_debugfs_show(struct svmgpu_device *sdev, struct seq_file *m)
{
	unsigned int slot;

	spin_lock_irq(&sdev->slots_lock);
	for (slot = 0; slot < SVMGPU_MAX_QUEUES; slot++) {
		struct svmgpu_queue *queue = sdev->slots[slot];

		if (!queue)
			continue;
		spin_lock(&queue->state_lock);
		seq_printf(m, "slot %u: engine %u vm %u status %u seqno %u/%u %s resets %u error %d fault %#llx access %u reason %u\n",
			   slot, queue->engine, queue->vm->id,
			   svmgpu_queue_read(queue, SVMGPU_Q_STATUS),
			   svmgpu_queue_read(queue, SVMGPU_Q_SEQNO), queue->next_seqno,
			   queue->banned ? "banned" : "ok", queue->reset_count,
			   queue->error, queue->fault.va, queue->fault.access,
			   queue->fault.reason);
		spin_unlock(&queue->state_lock);
	}
	spin_unlock_irq(&sdev->slots_lock);
}

/**
 * svmgpu_queues_engine_load() - what the driver has on one engine.
 * @sdev: the device.
 * @engine: the engine.
 * @load: (out) its queues, jobs on the hardware and stopped slots.
 */
void svmgpu_queues_engine_load(struct svmgpu_device *sdev, u32 engine,
			       struct svmgpu_engine_load *load)
{
	unsigned int slot;

	memset(load, 0, sizeof(*load));
	spin_lock_irq(&sdev->slots_lock);
	for (slot = 0; slot < SVMGPU_MAX_QUEUES; slot++) {
		struct svmgpu_queue *queue = sdev->slots[slot];
		struct svmgpu_fence *fence;

		if (!queue || queue->engine != engine)
			continue;
		load->queues++;
		if (svmgpu_queue_read(queue, SVMGPU_Q_STATUS) == SVMGPU_Q_STATUS_ERROR)
			load->stopped = true;
		spin_lock(&queue->fence_lock);
		list_for_each_entry(fence, &queue->pending, link) {
			if (!load->jobs || fence->submitted_ns < load->oldest_ns)
				load->oldest_ns = fence->submitted_ns;
			load->jobs++;
		}
		spin_unlock(&queue->fence_lock);
	}
	spin_unlock_irq(&sdev->slots_lock);
}
