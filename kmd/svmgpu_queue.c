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
 * orders a queue's jobs and watches them for hangs; its backend, and
 * EXEC, are in svmgpu_exec.c). run_job writes a BATCH and a FENCE command
 * into the ring and rings the doorbell; the FENCE raises the queue's
 * interrupt, whose handler, svmgpu_queue_irq(), signals every hardware
 * fence (&struct svmgpu_fence, svmgpu_queue_fence_create()) up to the
 * seqno the slot reports (svmgpu_queue_signal()).
 *
 * Failure: a job that outlives the timeout, or a slot that stops on a
 * fault or a bad command (svmgpu_queue_irq() records why and calls
 * drm_sched_fault()), ends up in svmgpu_job_timedout(): the queue is
 * banned, its slot reset, and every pending hardware fence signalled with
 * the error; drm_sched then completes those jobs with it and the later
 * ones fail in run_job. Other slots never stop.
 *
 * Faults: see "GPU fault path" (svmgpu_fault.c) for how a fault record
 * reaches its queue and how a fault-mode queue is resumed or banned.
 */

#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>

#include "svmgpu_drm.h"
#include "hw/svmgpu_regs.h"
#include "hw/svmgpu_hw.h"
#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_exec.h"
#include "svmgpu_fault.h"
#include "svmgpu_queue.h"
#include "svmgpu_vm.h"

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

/**
 * svmgpu_queue_fence_create() - the hardware fence of the queue's next job.
 * @queue: the queue.
 *
 * Takes the next seqno and puts the fence on &svmgpu_queue.pending, which
 * holds a reference of its own until the fence signals. From run_job
 * (the dma-fence signalling path: no sleeping allocation).
 *
 * Return: the fence (the caller's reference), or NULL without memory
 * (the seqno is not taken then).
 */
struct dma_fence *svmgpu_queue_fence_create(struct svmgpu_queue *queue)
{
	struct svmgpu_fence *fence;
	unsigned long flags;

	fence = kzalloc(sizeof(*fence), GFP_NOWAIT);
	if (!fence)
		return NULL;

	dma_fence_init(&fence->base, &svmgpu_fence_ops, &queue->fence_lock,
		       queue->fence_ctx, ++queue->next_seqno);
	fence->queue = queue;
	fence->submitted_ns = ktime_get_ns();

	spin_lock_irqsave(&queue->fence_lock, flags);
	list_add_tail(&fence->link, &queue->pending);
	dma_fence_get(&fence->base);
	spin_unlock_irqrestore(&queue->fence_lock, flags);
	return &fence->base;
}

/**
 * svmgpu_queue_signal() - signal a queue's completed hardware fences.
 * @queue: the queue.
 * @seqno: the seqno the slot reports done: fences up to it signal.
 * @error: 0, or the error the queue stopped with: then every pending
 *         fence signals, the first (the job the queue stopped in) with
 *         @error, the ones behind it with -ECANCELED.
 *
 * Any context; takes &svmgpu_queue.fence_lock.
 */
void svmgpu_queue_signal(struct svmgpu_queue *queue, u32 seqno, int error)
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
		.ops = &svmgpu_job_sched_ops,
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

/**
 * svmgpu_queue_lookup() - find a queue of a file and take a reference.
 * @queues: the file's queues.
 * @id: the queue id.
 *
 * Return: the queue (put it with svmgpu_queue_put()), or NULL.
 */
struct svmgpu_queue *svmgpu_queue_lookup(struct svmgpu_file_queues *queues,
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
