// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_fault.c - the driver half of the GPU fault path: the fault queue,
 * the fault log, and the fault worker that resumes or bans a queue.
 */

/**
 * DOC: GPU fault path
 *
 * A GPU fault goes from the engine's fault record to the resume (or the
 * ban) in these steps. The driver's side is in this file, except the
 * interrupt dispatch (svmgpu_irq.c) and the servicing of the address
 * (svmgpu_svm.c).
 *
 * 1. The hardware: an engine's access misses in the MMU (no valid PTE, or
 *    one without the permission; hw/svmgpu_hw_mmu.c). The fault unit
 *    (hw/svmgpu_hw_fault.c) appends a &struct svmgpu_fault_record
 *    (address, access, reason, slot, engine, flags) to the fault queue,
 *    the page svmgpu_fault_init() gave it, moves FAULTQ_PUT and raises
 *    SVMGPU_IRQ_FAULT. A slot configured with SVMGPU_Q_CONFIG_FAULT_STALL
 *    (fault-mode VMs) stalls on the access and the record says
 *    SVMGPU_FAULT_FLAG_STALLED; any other slot stops in
 *    SVMGPU_Q_STATUS_ERROR with SVMGPU_Q_ERR_FAULT and raises its queue
 *    interrupt.
 * 2. svmgpu_irq_handler() (hard interrupt, &svmgpu_device.slots_lock
 *    held) handles SVMGPU_IRQ_FAULT before the slots' interrupts, so a
 *    stopped slot finds its record: svmgpu_fault_drain().
 * 3. svmgpu_fault_drain() reads the records from FAULTQ_GET to FAULTQ_PUT;
 *    each is counted (SVMGPU_CNT_FAULTS), logged by svmgpu_fault_log_add()
 *    for debugfs ``faults``, and given to the queue of its slot:
 *
 *    - dma-fence mode: it becomes &svmgpu_queue.fault, which
 *      DRM_IOCTL_SVMGPU_QUEUE_GET_STATE reports. The slot's own interrupt
 *      then finds it stopped: svmgpu_queue_irq() records -EFAULT and calls
 *      drm_sched_fault(), and svmgpu_job_timedout() (svmgpu_exec.c) bans
 *      the queue, resets the slot and fails the job. The path ends there.
 *    - fault mode: it becomes &svmgpu_queue.stall (stall_pending set) and
 *      svmgpu_fault_kick() queues the queue's fault worker on
 *      &svmgpu_device.fault_wq, with a queue reference.
 *
 *    FAULTQ_GET is written back once the queue is empty.
 * 4. svmgpu_fault_work() (process context, under &svmgpu_queue.fault_lock;
 *    nothing to do once the slot was released or the queue banned) takes
 *    the stall and services it: svmgpu_svm_fault() -> svmgpu_svm_populate()
 *    (svmgpu_svm.c), in named steps: garbage-collect, find or insert the
 *    range around the address (svmgpu_svm_range_find_or_insert()), get its
 *    pages (svmgpu_svm_range_get_pages(): hmm_range_fault(), DMA mapping,
 *    page-table reservation), and bind them under the notifier lock
 *    (svmgpu_svm_range_bind()), starting again at ``retry:`` when an
 *    invalidation raced with it.
 * 5. Resolved: svmgpu_fault_work() writes SVMGPU_Q_CTL_RESUME and the slot
 *    retries the access through the new PTEs. Not resolved, or the slot
 *    stopped on an error (svmgpu_queue_irq() kicks the worker for that
 *    too): svmgpu_fault_ban() records the fault and its reason in
 *    &svmgpu_queue.fault, bans the queue with the error, resets the slot
 *    and wakes the user-fence waiters, whose waits on that queue end with
 *    -EIO.
 *
 * A fault-mode queue has no job timeout: a stalled slot waits for its
 * worker, however long servicing takes.
 */

#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/drm_print.h>

#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_hw.h"
#include "hw/svmgpu_regs.h"
#include "svmgpu_device.h"
#include "svmgpu_fault.h"
#include "svmgpu_queue.h"
#include "svmgpu_svm.h"
#include "svmgpu_vm.h"

#define SVMGPU_FAULTQ_RECORDS	(PAGE_SIZE / sizeof(struct svmgpu_fault_record))

/**
 * svmgpu_fault_init() - give the hardware its fault queue.
 * @sdev: the device; its hardware is up, its interrupts masked.
 *
 * Allocates the fault worker's workqueue and the fault queue's page and
 * programs FAULTQ_BASE, FAULTQ_SIZE and FAULTQ_GET.
 *
 * Return: 0 or -ENOMEM.
 */
int svmgpu_fault_init(struct svmgpu_device *sdev)
{
	struct svmgpu_hw *hw = sdev->hw;
	u64 addr;

	/* Fault servicing allocates memory: never on a reclaim path. */
	sdev->fault_wq = alloc_workqueue("svmgpu-fault", WQ_UNBOUND, 0);
	if (!sdev->fault_wq)
		return -ENOMEM;

	sdev->faultq_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!sdev->faultq_page) {
		destroy_workqueue(sdev->fault_wq);
		return -ENOMEM;
	}
	sdev->faultq = page_address(sdev->faultq_page);
	addr = page_to_phys(sdev->faultq_page);

	svmgpu_hw_write32(hw, SVMGPU_REG_FAULTQ_BASE_LO, lower_32_bits(addr));
	svmgpu_hw_write32(hw, SVMGPU_REG_FAULTQ_BASE_HI, upper_32_bits(addr));
	svmgpu_hw_write32(hw, SVMGPU_REG_FAULTQ_SIZE, SVMGPU_FAULTQ_RECORDS);
	svmgpu_hw_write32(hw, SVMGPU_REG_FAULTQ_GET, 0);
	return 0;
}

/**
 * svmgpu_fault_fini() - take the fault queue back from the hardware.
 * @sdev: the device; interrupts are masked and every queue is gone.
 */
void svmgpu_fault_fini(struct svmgpu_device *sdev)
{
	svmgpu_hw_write32(sdev->hw, SVMGPU_REG_FAULTQ_SIZE, 0);
	__free_page(sdev->faultq_page);
	destroy_workqueue(sdev->fault_wq);
}

/* Appends a fault to the device's fault log (debugfs); interrupt handler. */
static void svmgpu_fault_log_add(struct svmgpu_device *sdev,
				 const struct svmgpu_fault_record *rec,
				 struct svmgpu_queue *queue)
{
	struct svmgpu_fault_log *log = &sdev->fault_log;
	struct svmgpu_fault_log_entry *e;

	spin_lock(&log->lock);
	e = &log->entries[log->count % SVMGPU_FAULT_LOG_SIZE];
	*e = (struct svmgpu_fault_log_entry){
		.seqno = log->count + 1,
		.time_ns = ktime_get_ns(),
		.va = rec->va,
		.pid = queue ? queue->vm->pid : 0,
		.queue_id = queue ? queue->id : 0,
		.vm_id = queue ? queue->vm->id : 0,
		.slot = rec->queue,
		.engine = rec->engine,
		.access = rec->access,
		.reason = rec->reason,
		.outcome = rec->flags & SVMGPU_FAULT_FLAG_STALLED ?
			   SVMGPU_FAULT_STALLED : SVMGPU_FAULT_ABORTED,
	};
	log->count++;
	spin_unlock(&log->lock);
}

/**
 * svmgpu_fault_drain() - take the new records out of the fault queue.
 * @sdev: the device.
 *
 * Step 3 of the fault path: counts and logs each record and hands it to
 * the queue of its slot: the queue's last fault (dma-fence mode) or its
 * stall, with the fault worker kicked (fault mode). From
 * svmgpu_irq_handler(), in hard-interrupt context, under
 * &svmgpu_device.slots_lock.
 */
void svmgpu_fault_drain(struct svmgpu_device *sdev)
{
	struct svmgpu_hw *hw = sdev->hw;
	u32 put = svmgpu_hw_read32(hw, SVMGPU_REG_FAULTQ_PUT);
	u32 get = svmgpu_hw_read32(hw, SVMGPU_REG_FAULTQ_GET);

	for (; get != put; get++) {
		const struct svmgpu_fault_record *rec =
			&sdev->faultq[get % SVMGPU_FAULTQ_RECORDS];
		struct svmgpu_queue *queue = NULL;

		if (rec->queue < SVMGPU_MAX_QUEUES)
			queue = sdev->slots[rec->queue];
		svmgpu_count(sdev, SVMGPU_CNT_FAULTS);
		svmgpu_fault_log_add(sdev, rec, queue);
		if (!queue)
			continue;
		spin_lock(&queue->state_lock);
		if (queue->fault_mode) {
			/* The worker records it if it cannot be resolved. */
			if (rec->flags & SVMGPU_FAULT_FLAG_STALLED) {
				queue->stall = *rec;
				queue->stall_pending = true;
			}
		} else {
			queue->fault = *rec;
		}
		spin_unlock(&queue->state_lock);
		if (queue->fault_mode && rec->flags & SVMGPU_FAULT_FLAG_STALLED)
			svmgpu_fault_kick(queue);
	}
	svmgpu_hw_write32(hw, SVMGPU_REG_FAULTQ_GET, get);
}

/**
 * svmgpu_fault_kick() - queue the fault worker of a fault-mode queue.
 * @queue: the queue; the worker gets a reference of its own.
 *
 * Any context (the interrupt handler calls it).
 */
void svmgpu_fault_kick(struct svmgpu_queue *queue)
{
	kref_get(&queue->ref);
	if (!queue_work(queue->sdev->fault_wq, &queue->fault_work))
		svmgpu_queue_put(queue);
}

/*
 * Step 5, failure: the fault (with the reason servicing gave, if any) is
 * the queue's last, the queue is banned and its slot reset. Under
 * &svmgpu_queue.fault_lock.
 */
static void svmgpu_fault_ban(struct svmgpu_queue *queue,
			     const struct svmgpu_fault_record *rec, u16 reason,
			     int error)
{
	spin_lock_irq(&queue->state_lock);
	if (rec) {
		queue->fault = *rec;
		if (reason)
			queue->fault.reason = reason;
	}
	if (!queue->error)
		queue->error = error;
	queue->banned = true;
	queue->reset_count++;
	spin_unlock_irq(&queue->state_lock);

	drm_info(&queue->sdev->drm, "queue slot %u: fault-mode job failed (%d) at %#llx, queue reset and banned\n",
		 queue->slot, error, rec ? rec->va : 0);
	/* Returns when the engine no longer executes the slot. */
	svmgpu_queue_write(queue, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESET);
	wake_up_all(&queue->sdev->ufence_wq);
}

/*
 * Steps 4 and 5: services the fault the slot stalls on and resumes it,
 * or, when the fault cannot be resolved or the slot stopped on an error,
 * bans the queue and stops the slot.
 */
static void svmgpu_fault_work(struct work_struct *work)
{
	struct svmgpu_queue *queue =
		container_of(work, struct svmgpu_queue, fault_work);
	struct svmgpu_fault_record rec;
	bool pending, banned;
	u16 reason = 0;
	int error;

	mutex_lock(&queue->fault_lock);
	if (queue->released)
		goto out;

	spin_lock_irq(&queue->state_lock);
	rec = queue->stall;
	pending = queue->stall_pending;
	queue->stall_pending = false;
	error = queue->error;
	banned = queue->banned;
	spin_unlock_irq(&queue->state_lock);
	if (banned)
		goto out;

	if (pending && !error) {
		if (!svmgpu_svm_fault(queue->vm->svm, rec.va, rec.access,
				      &reason)) {
			svmgpu_queue_write(queue, SVMGPU_Q_CONTROL,
					   SVMGPU_Q_CTL_RESUME);
			goto out;
		}
		error = -EFAULT;
	} else if (!error) {
		goto out;
	}
	svmgpu_fault_ban(queue, pending ? &rec : NULL, reason, error);
out:
	mutex_unlock(&queue->fault_lock);
	svmgpu_queue_put(queue);
}

/**
 * svmgpu_fault_queue_init() - set up a new queue's fault worker.
 * @queue: the queue.
 */
void svmgpu_fault_queue_init(struct svmgpu_queue *queue)
{
	INIT_WORK(&queue->fault_work, svmgpu_fault_work);
	mutex_init(&queue->fault_lock);
}

/**
 * svmgpu_fault_queue_release() - the queue lets go of its slot.
 * @queue: the queue; its jobs are done.
 *
 * A fault being serviced finishes first; the worker does nothing after
 * this returns.
 */
void svmgpu_fault_queue_release(struct svmgpu_queue *queue)
{
	mutex_lock(&queue->fault_lock);
	queue->released = true;
	mutex_unlock(&queue->fault_lock);
}

/**
 * svmgpu_fault_queue_fini() - tear down what svmgpu_fault_queue_init() set up.
 * @queue: the queue, about to be freed: no worker holds it.
 */
void svmgpu_fault_queue_fini(struct svmgpu_queue *queue)
{
	mutex_destroy(&queue->fault_lock);
}
