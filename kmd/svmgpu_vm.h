/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_vm.h - GPU virtual address spaces (VMs) (svmgpu_vm.c).
 */
#ifndef SVMGPU_VM_H
#define SVMGPU_VM_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <drm/drm_gpuvm.h>
#include <drm/gpu_scheduler.h>

#include "svmgpu_drm.h"
#include "hw/svmgpu_pte.h"
#include "svmgpu_mmu.h"

/* The VA range of every VM: all of it but a guard at each end. */
#define SVMGPU_VM_START		DRM_SVMGPU_VM_GUARD
#define SVMGPU_VM_END		((1ull << SVMGPU_VA_BITS) - DRM_SVMGPU_VM_GUARD)

struct drm_device;
struct drm_file;
struct seq_file;
struct svmgpu_device;
struct svmgpu_svm;

/**
 * struct svmgpu_vm - one GPU address space.
 * @base: the drm_gpuvm tracking the mappings; its reference count is the
 *        VM's (jobs and binds take references).
 * @sdev: the device.
 * @lock: serialises binds: the drm_gpuvm tree (the mappings as they will
 *        be once every queued bind took effect), queuing binds on
 *        @bind_entity, and @closed. Taken before any reservation lock;
 *        held while allocating, never in a dma-fence signalling path.
 * @pgt_lock: protects @pgt, which binds change from their scheduler's
 *        run_job (a dma-fence signalling path): whoever holds it must not
 *        allocate memory, wait for a fence or take a reservation lock.
 *        Taken after @lock.
 * @pgt: the page tables: the mappings binds have applied so far.
 * @bind_entity: the VM's binds on &svmgpu_device.bind_sched, in order.
 * @closed: the VM left its file: binds fail with -ENOENT. Under @lock.
 * @pending_lock: protects @pending_binds.
 * @pending_binds: binds queued and not yet run, for cancelling them.
 * @live_binds: binds queued and not yet cleaned up.
 * @binds_idle_wq: woken when @live_binds drops to 0.
 * @link: in the device's list of VMs, for debugfs; under
 *        &svmgpu_device.vms_lock.
 * @id: id in the creating file, for debugfs.
 * @pid: process that created it, for debugfs.
 * @svm: the CPU-address mirror of a fault-mode VM; NULL in dma-fence mode.
 * @userptr_lock: the notifier lock of the VM's userptrs: protects their
 *        pages and state against their MMU notifier callbacks, which take
 *        it, as do bind jobs' run_job: nothing allocates memory or waits
 *        for a fence under it. Taken after @pgt_lock and any reservation
 *        lock, before &svmgpu_pgtable.lock (see svmgpu_userptr.c).
 * @userptrs: the userptr mappings in the drm_gpuvm tree (&struct
 *        svmgpu_userptr.link); under @lock.
 */
struct svmgpu_vm {
	struct drm_gpuvm base;
	struct svmgpu_device *sdev;
	struct mutex lock; /* binds: the mapping tree, queuing, @closed */
	struct mutex pgt_lock; /* @pgt; see above */
	struct svmgpu_pgtable pgt;
	struct drm_sched_entity bind_entity;
	bool closed;
	spinlock_t pending_lock; /* @pending_binds */
	struct list_head pending_binds;
	atomic_t live_binds;
	wait_queue_head_t binds_idle_wq;
	struct list_head link;
	u32 id;
	pid_t pid;
	struct svmgpu_svm *svm;
	struct mutex userptr_lock; /* userptr state; see above */
	struct list_head userptrs;
};

/**
 * struct svmgpu_file_vms - the VMs of one open file.
 * @xa: VMs by id; the xarray's lock protects lookups against removal.
 */
struct svmgpu_file_vms {
	struct xarray xa;
};

static inline struct svmgpu_vm *to_svmgpu_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct svmgpu_vm, base);
}

void svmgpu_file_vms_init(struct svmgpu_file_vms *vms);
void svmgpu_file_vms_close(struct svmgpu_file_vms *vms);
void svmgpu_file_vms_fini(struct svmgpu_file_vms *vms);

struct svmgpu_vm *svmgpu_vm_lookup(struct svmgpu_file_vms *vms, u32 id);
void svmgpu_vm_put(struct svmgpu_vm *vm);
int svmgpu_vm_wait_idle(struct svmgpu_vm *vm, bool intr);
bool svmgpu_vm_range_ok(u64 start, u64 size, u64 lo, u64 hi);

int svmgpu_ioctl_vm_create(struct drm_device *drm, void *data,
			   struct drm_file *file);
int svmgpu_ioctl_vm_destroy(struct drm_device *drm, void *data,
			    struct drm_file *file);
void svmgpu_vm_debugfs_show(struct svmgpu_device *sdev, struct seq_file *m);

#endif /* SVMGPU_VM_H */
