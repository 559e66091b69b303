/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_queue.h - queues: a hardware queue slot, its ring and the
 * drm_sched scheduler that feeds it, plus job submission (EXEC).
 */
#ifndef SVMGPU_QUEUE_H
#define SVMGPU_QUEUE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/gpu_scheduler.h>

#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_fault.h"

/* The ring: one page; every job writes a BATCH and a FENCE into it. */
#define SVMGPU_RING_SIZE	PAGE_SIZE
#define SVMGPU_JOB_RING_BYTES	(4 * (SVMGPU_BATCH_DWORDS + SVMGPU_FENCE_DWORDS))

struct dma_fence;
struct drm_device;
struct drm_file;
struct drm_gem_shmem_object;
struct seq_file;
struct svmgpu_device;
struct svmgpu_vm;

/**
 * struct svmgpu_queue - one queue of jobs on one engine in one VM.
 * @ref: references: the file's id, jobs, and the interrupt path (through
 *       &svmgpu_device.slots).
 * @sdev: the device.
 * @vm: the VM its jobs run in; a reference.
 * @id: id in the owning file.
 * @slot: hardware queue slot.
 * @engine: engine executing the slot.
 * @ring_bo: the ring: one page of GEM memory, pinned.
 * @ring: @ring_bo's page through the kernel's direct map.
 * @ring_tail: where the next ring command goes (bytes); only touched by
 *             the scheduler's run_job, which drm_sched serialises.
 * @sched: the scheduler (from the device's pool, see
 *         svmgpu_queue_sched_get()); one per queue, so jobs run in order and a hang
 *         resets only this queue.
 * @entity: the scheduler entity jobs are pushed to.
 * @fence_ctx: dma_fence context of the hardware fences.
 * @next_seqno: seqno of the next job; under the scheduler's run_job.
 * @fence_lock: protects @pending; the lock of the hardware fences. Taken
 *              in the interrupt handler.
 * @pending: hardware fences not yet signalled, in seqno order.
 * @state_lock: protects @banned, @error, @reset_count and @fault. Taken in
 *              the interrupt handler.
 * @banned: refuses new jobs.
 * @error: negative errno of the failure that stopped the queue, or 0.
 * @reset_count: resets of the hardware queue.
 * @fault: the last fault record; @fault.reason is 0 if none.
 * @live_jobs: jobs created and not yet freed.
 * @idle_wq: woken when @live_jobs drops to 0.
 * @fault_mode: the queue's VM is in fault mode: the slot stalls on faults,
 *              jobs publish no fence (see "Fault mode" in the uAPI).
 * @lr_submitted: fault mode: jobs EXEC accepted, to bound those in the
 *                ring (the scheduler does not, as such jobs end at run).
 * @fault_work: fault mode: services the stalled fault in @stall, or stops
 *              and bans the queue after an error.
 * @fault_lock: serialises @fault_work with the release of the slot.
 * @released: the slot is being released; @fault_work must not touch it.
 *            Under @fault_lock.
 * @stall: the fault the slot stalls on; under @state_lock.
 * @stall_pending: @stall awaits service; under @state_lock.
 */
struct svmgpu_queue {
	struct kref ref;
	struct svmgpu_device *sdev;
	struct svmgpu_vm *vm;
	u32 id;
	u32 slot;
	u32 engine;
	struct drm_gem_shmem_object *ring_bo;
	u32 *ring;
	u32 ring_tail;
	struct drm_gpu_scheduler *sched;
	struct drm_sched_entity entity;
	u64 fence_ctx;
	u32 next_seqno;
	spinlock_t fence_lock; /* @pending; see above */
	struct list_head pending;
	spinlock_t state_lock; /* @banned, @error, @reset_count, @fault */
	bool banned;
	int error;
	u32 reset_count;
	struct svmgpu_fault_record fault;
	atomic_t live_jobs;
	wait_queue_head_t idle_wq;
	bool fault_mode;
	atomic_t lr_submitted;
	struct work_struct fault_work;
	struct mutex fault_lock; /* @released; see above */
	bool released;
	struct svmgpu_fault_record stall;
	bool stall_pending;
};

/**
 * struct svmgpu_file_queues - the queues of one open file.
 * @xa: queues by id; the xarray's lock protects lookups against removal.
 */
struct svmgpu_file_queues {
	struct xarray xa;
};

int svmgpu_queues_init(struct svmgpu_device *sdev);
void svmgpu_queues_fini(struct svmgpu_device *sdev);
void svmgpu_queue_irq(struct svmgpu_queue *queue);
u32 svmgpu_queue_read(struct svmgpu_queue *queue, u32 reg);
void svmgpu_queue_write(struct svmgpu_queue *queue, u32 reg, u32 value);
void svmgpu_queue_put(struct svmgpu_queue *queue);
struct svmgpu_queue *svmgpu_queue_lookup(struct svmgpu_file_queues *queues,
					 u32 id);
struct dma_fence *svmgpu_queue_fence_create(struct svmgpu_queue *queue);
void svmgpu_queue_signal(struct svmgpu_queue *queue, u32 seqno, int error);

void svmgpu_file_queues_init(struct svmgpu_file_queues *queues);
void svmgpu_file_queues_fini(struct svmgpu_file_queues *queues);

int svmgpu_ioctl_queue_create(struct drm_device *drm, void *data,
			      struct drm_file *file);
int svmgpu_ioctl_queue_destroy(struct drm_device *drm, void *data,
			       struct drm_file *file);
int svmgpu_ioctl_queue_get_state(struct drm_device *drm, void *data,
				 struct drm_file *file);

/**
 * struct svmgpu_engine_load - the driver's work on one engine.
 * @queues: queues using the engine.
 * @jobs: jobs handed to the hardware whose fence has not signalled.
 * @oldest_ns: CLOCK_MONOTONIC when the oldest of @jobs was handed over.
 * @stopped: a slot of the engine stopped on an error and is not reset yet.
 */
struct svmgpu_engine_load {
	u32 queues;
	u32 jobs;
	u64 oldest_ns;
	bool stopped;
};

void svmgpu_queues_debugfs_show(struct svmgpu_device *sdev, struct seq_file *m);
void svmgpu_queues_engine_load(struct svmgpu_device *sdev, u32 engine,
			       struct svmgpu_engine_load *load);

#endif /* SVMGPU_QUEUE_H */
