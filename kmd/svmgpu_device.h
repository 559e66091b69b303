/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_device.h - the per-device state of the svmgpu driver, and the
 * driver's locking rules.
 */

/**
 * DOC: Locking
 *
 * Every lock of the driver, what it protects and where it sits in the
 * order. The sleeping locks, outermost first (a lock is only ever taken
 * while holding locks above it):
 *
 * 1. &svmgpu_device.vms_lock: the device's list of VMs (debugfs walks it
 *    and takes each VM's locks under it).
 * 2. &svmgpu_queue.fault_lock: a fault-mode queue's fault worker holds it
 *    across the whole servicing (svmgpu_fault.c); the release of the
 *    queue's slot takes it to stop the worker.
 * 3. &svmgpu_vm.lock: a VM's binds (the drm_gpuvm tree, queuing bind
 *    jobs, &svmgpu_vm.closed) and the set of its userptrs, which EXEC
 *    holds while installing them. Allocates freely.
 * 4. &svmgpu_svm.lock (SVM): fault servicing, prefetch, windows,
 *    attributes, notifier regions and ranges, the garbage collector.
 *    Under &svmgpu_vm.lock only in debugfs.
 * 5. The mmap lock of the mirrored or userptr address space (read): taken
 *    under &svmgpu_svm.lock (hmm_range_fault()) and &svmgpu_vm.lock
 *    (userptr lookup). Notifier insertion takes it, so notifiers are
 *    inserted before it.
 * 6. Reservation locks (dma_resv, drm_exec): the VM's (its drm_gpuvm
 *    reservation object) and the BOs'; also protect a BO's pages and its
 *    gpuva list. Taken under &svmgpu_vm.lock.
 * 7. &svmgpu_vm.pgt_lock (VM): the VM's page tables between bind commits,
 *    debugfs and the teardown. Taken in bind jobs' run_job, a dma-fence
 *    signalling path.
 * 8. The notifier locks: &svmgpu_svm.notifier_lock (the state and pages
 *    of every SVM range) and &svmgpu_vm.userptr_lock (userptr pages and
 *    state). The MMU notifier callbacks take them (memory reclaim), and
 *    bind jobs' run_job takes &svmgpu_vm.userptr_lock (dma-fence
 *    signalling): nothing allocates memory or waits for a fence under
 *    them. A VM has one or the other, never both.
 * 9. &svmgpu_pgtable.lock (page tables): the structure and entries of one
 *    page-table tree. Same rules as the notifier locks, which it nests in.
 * 10. &svmgpu_device.mmu_lock: one MMU command sequence (the MMU_INVAL_*
 *     registers and MMU_COMMAND), innermost of the sleeping locks.
 *
 * Leaf sleeping locks, under which no other driver lock is taken:
 * &svmgpu_device.sched_pool_lock (retired schedulers),
 * &svmgpu_device.engine_regs_lock (the engines' 64-bit register pairs),
 * &svmgpu_device.debugfs_lock (the debugfs ``pgtable`` selection).
 *
 * Spinlocks, all below the sleeping locks:
 *
 * - &svmgpu_device.slots_lock (irq-safe): the slot table; the interrupt
 *   handler holds it throughout, so a queue it finds in a slot stays
 *   valid. Under it: &svmgpu_queue.state_lock (ban state, error, fault,
 *   stall) and &svmgpu_queue.fence_lock (the pending hardware fences, and
 *   those fences' lock), never both, and &svmgpu_fault_log.lock.
 * - &svmgpu_vm.pending_lock: the binds a VM has queued; cancelling them
 *   under it takes each gate's &svmgpu_gate.lock (the gate fence's lock),
 *   and the WAIT fences' locks when removing the callbacks.
 * - &svmgpu_svm.gc_lock: the garbage collector's list; taken in the
 *   notifier callback under &svmgpu_svm.notifier_lock.
 *
 * The hardware access locks (kmd/hw/, below every driver lock): each
 * register access takes the hardware's own register, queue or fault-unit
 * lock, and each engine memory access its port's access lock (TLB and
 * page walk), which a TLB invalidation takes too. The interrupt handler
 * runs under the hardware's irq_lock: a Q_CONTROL reset or disable waits
 * for a running handler, so it is never written while holding a lock the
 * handler takes (&svmgpu_device.slots_lock, the queue spinlocks).
 *
 * Lockdep is primed where the rules are set up, so that a violation is
 * reported the first time the code runs, not only when the rare path (reclaim,
 * a signalling fence) is taken: svmgpu_vm_create() tells lockdep that
 * &svmgpu_vm.pgt_lock and &svmgpu_vm.userptr_lock are taken in a
 * dma-fence signalling section, and that reclaim takes
 * &svmgpu_vm.userptr_lock and the page-table lock; svmgpu_svm_init() that
 * reclaim takes &svmgpu_svm.notifier_lock and the page-table lock; the
 * bind scheduler's run_job is a dma_fence_begin_signalling() section;
 * the hardware's Q_CONTROL reset and disable might_lock() its irq_lock,
 * as synchronize_irq() does.
 */
#ifndef SVMGPU_DEVICE_H
#define SVMGPU_DEVICE_H

#include <linux/atomic.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/drm_device.h>
#include <drm/gpu_scheduler.h>

#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_regs.h"

struct svmgpu_fault_record;
struct svmgpu_hw;
struct svmgpu_queue;
struct workqueue_struct;

/**
 * struct svmgpu_caps - capabilities read from the hardware at probe.
 * @revision: REVISION register.
 * @va_bits: width of a GPU virtual address.
 * @page_sizes: MMU page sizes, bit n set for 2^n bytes.
 * @num_engines: command engines.
 * @num_queues: hardware queue slots.
 *
 * Read once in svmgpu_device_init() and constant afterwards, so readers
 * need no lock.
 */
struct svmgpu_caps {
	u32 revision;
	u32 va_bits;
	u64 page_sizes;
	u32 num_engines;
	u32 num_queues;
};

/**
 * enum svmgpu_counter - device event counters (debugfs ``counters``).
 * @SVMGPU_CNT_JOBS_SUBMITTED: jobs EXEC accepted.
 * @SVMGPU_CNT_JOBS_COMPLETED: jobs whose hardware fence signalled without
 *                             error.
 * @SVMGPU_CNT_JOBS_FAILED: jobs that ended with an error (fault, hang, bad
 *                          command, cancelled behind one, never run).
 * @SVMGPU_CNT_RESETS: hardware queue resets after a failure.
 * @SVMGPU_CNT_FAULTS: fault records the hardware delivered.
 * @SVMGPU_CNT_BINDS: VM_BIND MAP operations applied.
 * @SVMGPU_CNT_UNBINDS: VM_BIND UNMAP operations applied.
 * @SVMGPU_CNT_MAPPED_4K: 4 KiB leaves written into page tables.
 * @SVMGPU_CNT_MAPPED_2M: 2 MiB leaves written.
 * @SVMGPU_CNT_MAPPED_1G: 1 GiB leaves written.
 * @SVMGPU_CNT_TLB_INVALIDATIONS: MMU invalidation commands issued.
 * @SVMGPU_CNT_INTERRUPTS: interrupt handler invocations.
 * @SVMGPU_CNT_COUNT: number of counters.
 *
 * The three MAPPED counters are in leaf-level order (4 KiB first).
 */
enum svmgpu_counter {
	SVMGPU_CNT_JOBS_SUBMITTED,
	SVMGPU_CNT_JOBS_COMPLETED,
	SVMGPU_CNT_JOBS_FAILED,
	SVMGPU_CNT_RESETS,
	SVMGPU_CNT_FAULTS,
	SVMGPU_CNT_BINDS,
	SVMGPU_CNT_UNBINDS,
	SVMGPU_CNT_MAPPED_4K,
	SVMGPU_CNT_MAPPED_2M,
	SVMGPU_CNT_MAPPED_1G,
	SVMGPU_CNT_TLB_INVALIDATIONS,
	SVMGPU_CNT_INTERRUPTS,
	SVMGPU_CNT_COUNT
};

/* Entries of the fault log (debugfs ``faults``): the last ones are kept. */
#define SVMGPU_FAULT_LOG_SIZE	64

/**
 * enum svmgpu_fault_outcome - what became of the access that faulted.
 * @SVMGPU_FAULT_ABORTED: the slot stopped; its job fails with -EFAULT.
 * @SVMGPU_FAULT_STALLED: the slot stalled, waiting for the driver to
 *                        service the fault and resume it.
 */
enum svmgpu_fault_outcome {
	SVMGPU_FAULT_ABORTED,
	SVMGPU_FAULT_STALLED,
};

/**
 * struct svmgpu_fault_log_entry - one GPU fault, as the driver saw it.
 * @seqno: position in the device's stream of faults, from 1.
 * @time_ns: CLOCK_MONOTONIC when the driver received the record.
 * @va: address that could not be translated.
 * @pid: process that created the faulting queue's VM, 0 if unknown.
 * @queue_id: the queue's id in its file, 0 if the slot had no queue.
 * @vm_id: the queue's VM id in its file, 0 if unknown.
 * @slot: hardware queue slot.
 * @engine: engine that made the access.
 * @access: SVMGPU_ACCESS_*.
 * @reason: SVMGPU_FAULT_*.
 * @outcome: &enum svmgpu_fault_outcome.
 */
struct svmgpu_fault_log_entry {
	u64 seqno;
	u64 time_ns;
	u64 va;
	pid_t pid;
	u32 queue_id;
	u32 vm_id;
	u32 slot;
	u8 engine;
	u8 access;
	u8 reason;
	u8 outcome;
};

/**
 * struct svmgpu_fault_log - ring of the last SVMGPU_FAULT_LOG_SIZE faults.
 * @lock: protects the ring; taken in the interrupt handler.
 * @count: faults logged since the device came up; the next gets seqno
 *         @count + 1 and goes to index @count % SVMGPU_FAULT_LOG_SIZE.
 * @entries: the ring.
 */
struct svmgpu_fault_log {
	spinlock_t lock; /* the ring; interrupt handler */
	u64 count;
	struct svmgpu_fault_log_entry entries[SVMGPU_FAULT_LOG_SIZE];
};

/**
 * struct svmgpu_pgtable_sel - the range the debugfs ``pgtable`` file dumps.
 * @valid: a range was selected.
 * @by_pid: @owner is a process id, not a DRM client id.
 * @owner: DRM client id (drm-client-id in fdinfo) or process id.
 * @vm_id: VM id in the owner's file.
 * @start: first address.
 * @size: bytes.
 */
struct svmgpu_pgtable_sel {
	bool valid;
	bool by_pid;
	u64 owner;
	u32 vm_id;
	u64 start;
	u64 size;
};

/**
 * struct svmgpu_device - one svmgpu GPU.
 * @drm: the DRM device; first member so the container cast is free.
 * @hw: the hardware instance, only reached through its register interface.
 * @index: position among the svmgpu devices of the system.
 * @caps: capabilities of @hw.
 * @mmu_lock: serialises MMU commands: the MMU_INVAL_* registers are
 *            programmed and the command issued as one sequence.
 * @vms_lock: protects @vms.
 * @vms: every VM of the device (&svmgpu_vm.link), for debugfs.
 * @slots_lock: protects @slots; taken in the interrupt handler, which
 *              holds it while it looks at a queue, so a queue removed from
 *              @slots is no longer used by interrupts.
 * @slots: the queue using each hardware queue slot, or NULL.
 * @slot_ida: allocator of hardware queue slots.
 * @sched_wq: runs every queue's drm_sched work (svmgpu_queues_init()).
 * @sched_pool_lock: protects @sched_pool.
 * @sched_pool: retired queue schedulers, reused by later queues (&struct
 *              svmgpu_sched_slot).
 * @fault_wq: runs the fault workers of fault-mode queues.
 * @ufence_wq: user-fence waiters; woken by queue interrupts, stopped
 *             queues and DRM_IOCTL_SVMGPU_USER_FENCE_WAKE.
 * @faultq_page: the fault queue's memory, one page.
 * @faultq: @faultq_page's records.
 * @counters: event counters, by &enum svmgpu_counter; atomic, no lock.
 * @engine_resets: queue resets per engine; atomic, no lock.
 * @fault_log: the last faults, for debugfs (has its own lock).
 * @engine_regs_lock: serialises reads of the engines' 64-bit register
 *                    pairs (a _LO read latches the _HI half).
 * @debugfs_lock: protects @pgtable_sel.
 * @pgtable_sel: the range the debugfs ``pgtable`` file shows.
 * @bind_sched: applies the binds of every VM (one entity per VM).
 * @bind_cleanup_wq: ordered; releases what applied binds leave behind
 *                   (pages, tables), outside the signalling path.
 */
struct svmgpu_device {
	struct drm_device drm;
	struct svmgpu_hw *hw;
	unsigned int index;
	struct svmgpu_caps caps;
	struct mutex mmu_lock; /* MMU command sequences */
	struct mutex vms_lock; /* @vms */
	struct list_head vms;
	spinlock_t slots_lock; /* @slots; see above */
	struct svmgpu_queue *slots[SVMGPU_MAX_QUEUES];
	struct ida slot_ida;
	struct workqueue_struct *sched_wq; /* every queue's drm_sched work */
	struct mutex sched_pool_lock; /* @sched_pool */
	struct list_head sched_pool; /* retired queue schedulers, see svmgpu_queue.c */
	struct workqueue_struct *fault_wq; /* fault-mode fault servicing */
	wait_queue_head_t ufence_wq; /* user-fence waiters; woken by queue IRQs */
	struct page *faultq_page;
	struct svmgpu_fault_record *faultq;
	atomic64_t counters[SVMGPU_CNT_COUNT];
	atomic64_t engine_resets[SVMGPU_MAX_ENGINES];
	struct svmgpu_fault_log fault_log;
	struct mutex engine_regs_lock; /* ENG_*_LO/HI read pairs */
	struct mutex debugfs_lock; /* @pgtable_sel */
	struct svmgpu_pgtable_sel pgtable_sel;
	struct drm_gpu_scheduler bind_sched;
	struct workqueue_struct *bind_cleanup_wq;
};

static inline struct svmgpu_device *to_svmgpu_device(struct drm_device *drm)
{
	return container_of(drm, struct svmgpu_device, drm);
}

/**
 * svmgpu_count() - count one event.
 * @sdev: the device.
 * @counter: which.
 *
 * Any context.
 */
static inline void svmgpu_count(struct svmgpu_device *sdev,
				enum svmgpu_counter counter)
{
	atomic64_inc(&sdev->counters[counter]);
}

/**
 * svmgpu_count_add() - count several events.
 * @sdev: the device.
 * @counter: which.
 * @n: how many.
 *
 * Any context.
 */
static inline void svmgpu_count_add(struct svmgpu_device *sdev,
				    enum svmgpu_counter counter, u64 n)
{
	atomic64_add(n, &sdev->counters[counter]);
}

int svmgpu_device_init(struct svmgpu_device *sdev, unsigned int num_engines,
		       unsigned int num_channels);
void svmgpu_device_fini(struct svmgpu_device *sdev);

#endif /* SVMGPU_DEVICE_H */
