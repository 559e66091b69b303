/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_device.h - the per-device state of the svmgpu driver.
 */
#ifndef SVMGPU_DEVICE_H
#define SVMGPU_DEVICE_H

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include <drm/drm_device.h>
#include <drm/gpu_scheduler.h>

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
 * @faultq_page: the fault queue's memory, one page.
 * @faultq: @faultq_page's records.
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
	struct page *faultq_page;
	struct svmgpu_fault_record *faultq;
	struct drm_gpu_scheduler bind_sched;
	struct workqueue_struct *bind_cleanup_wq;
};

static inline struct svmgpu_device *to_svmgpu_device(struct drm_device *drm)
{
	return container_of(drm, struct svmgpu_device, drm);
}

int svmgpu_device_init(struct svmgpu_device *sdev, unsigned int num_engines);
void svmgpu_device_fini(struct svmgpu_device *sdev);

#endif /* SVMGPU_DEVICE_H */
