// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_vm.c - GPU virtual address spaces: their life, their files,
 * debugfs.
 */

/**
 * DOC: VMs
 *
 * A VM is a &struct drm_gpuvm over the 48-bit address space (less a guard
 * at each end) plus a page-table tree (svmgpu_mmu.c). Files own VMs by
 * id. Its mappings change through VM_BIND (svmgpu_vm_bind.c); a
 * fault-mode VM also has an SVM mirror (svmgpu_svm.c, its ioctls in
 * svmgpu_svm_ioctl.c).
 *
 * A VM leaves its file (VM_DESTROY or close) in two steps:
 * svmgpu_vm_close() marks it closed, so that new binds fail, and cancels
 * its pending binds; svmgpu_vm_release() waits for the binds to be done
 * and cleaned up, then for its jobs (bounded by the job timeout), removes
 * its mappings and drops the file's reference. The last reference frees
 * it (svmgpu_vm_free()).
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "svmgpu_drm.h"
#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_svm.h"
#include "svmgpu_vm.h"
#include "svmgpu_vm_bind.h"

#define SVMGPU_MAX_VMS_PER_FILE	1024

static void svmgpu_vm_free(struct drm_gpuvm *gpuvm)
{
	struct svmgpu_vm *vm = to_svmgpu_vm(gpuvm);
	struct svmgpu_device *sdev = vm->sdev;

	mutex_lock(&sdev->vms_lock);
	list_del(&vm->link);
	mutex_unlock(&sdev->vms_lock);

	if (vm->svm) {
		svmgpu_svm_fini(vm->svm);
		kfree(vm->svm);
	}
	svmgpu_pgtable_fini(&vm->pgt);
	mutex_destroy(&vm->userptr_lock);
	mutex_destroy(&vm->pgt_lock);
	mutex_destroy(&vm->lock);
	kfree(vm);
}

static const struct drm_gpuvm_ops svmgpu_gpuvm_ops = {
	.vm_free = svmgpu_vm_free,
};

/**
 * svmgpu_vm_put() - drop a reference to a VM.
 * @vm: the VM; NULL is allowed.
 */
void svmgpu_vm_put(struct svmgpu_vm *vm)
{
	if (vm)
		drm_gpuvm_put(&vm->base);
}

/**
 * svmgpu_vm_lookup() - find a VM of a file and take a reference.
 * @vms: the file's VMs.
 * @id: the VM id.
 *
 * Return: the VM, or NULL.
 */
struct svmgpu_vm *svmgpu_vm_lookup(struct svmgpu_file_vms *vms, u32 id)
{
	struct svmgpu_vm *vm;

	xa_lock(&vms->xa);
	vm = xa_load(&vms->xa, id);
	if (vm)
		drm_gpuvm_get(&vm->base);
	xa_unlock(&vms->xa);
	return vm;
}

/**
 * svmgpu_vm_wait_idle() - wait for every job and bind submitted to a VM.
 * @vm: the VM.
 * @intr: interruptibly.
 *
 * Return: 0, or -ERESTARTSYS when interrupted.
 */
int svmgpu_vm_wait_idle(struct svmgpu_vm *vm, bool intr)
{
	long ret = dma_resv_wait_timeout(drm_gpuvm_resv(&vm->base),
					 DMA_RESV_USAGE_BOOKKEEP, intr,
					 MAX_SCHEDULE_TIMEOUT);

	return ret < 0 ? ret : 0;
}

static struct svmgpu_vm *svmgpu_vm_create(struct svmgpu_device *sdev, u32 flags)
{
	struct drm_gpu_scheduler *sched_list[] = { &sdev->bind_sched };
	struct drm_gem_object *resv_obj;
	struct svmgpu_vm *vm;
	bool cookie;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);

	ret = svmgpu_pgtable_init(&vm->pgt, sdev);
	if (ret)
		goto err_free_vm;

	ret = drm_sched_entity_init(&vm->bind_entity, DRM_SCHED_PRIORITY_NORMAL,
				    sched_list, ARRAY_SIZE(sched_list), NULL);
	if (ret)
		goto err_fini_pgtable;

	if (flags & DRM_SVMGPU_VM_CREATE_FAULT_MODE) {
		vm->svm = kzalloc(sizeof(*vm->svm), GFP_KERNEL);
		if (!vm->svm) {
			ret = -ENOMEM;
			goto err_fini_entity;
		}
		svmgpu_svm_init(vm->svm, sdev, &vm->pgt, current->mm);
	}

	resv_obj = drm_gpuvm_resv_object_alloc(&sdev->drm);
	if (!resv_obj) {
		ret = -ENOMEM;
		goto err_fini_svm;
	}

	vm->sdev = sdev;
	vm->pid = task_tgid_nr(current);
	mutex_init(&vm->lock);
	mutex_init(&vm->pgt_lock);
	mutex_init(&vm->userptr_lock);
	INIT_LIST_HEAD(&vm->userptrs);
	spin_lock_init(&vm->pending_lock);
	INIT_LIST_HEAD(&vm->pending_binds);
	init_waitqueue_head(&vm->binds_idle_wq);
	/* Tell lockdep now that the page tables change while signalling. */
	cookie = dma_fence_begin_signalling();
	might_lock(&vm->pgt_lock);
	might_lock(&vm->userptr_lock);
	dma_fence_end_signalling(cookie);
	/* ... and that memory reclaim takes the userptr lock (notifiers). */
	if (IS_ENABLED(CONFIG_LOCKDEP)) {
		fs_reclaim_acquire(GFP_KERNEL);
		might_lock(&vm->userptr_lock);
		might_lock(&vm->pgt.lock);
		fs_reclaim_release(GFP_KERNEL);
	}

	drm_gpuvm_init(&vm->base, "svmgpu-vm", 0, &sdev->drm, resv_obj,
		       SVMGPU_VM_START, SVMGPU_VM_END - SVMGPU_VM_START, 0, 0,
		       &svmgpu_gpuvm_ops);
	/* drm_gpuvm holds its own reference to the reservation object. */
	drm_gem_object_put(resv_obj);

	mutex_lock(&sdev->vms_lock);
	list_add_tail(&vm->link, &sdev->vms);
	mutex_unlock(&sdev->vms_lock);
	return vm;

err_fini_svm:
	if (vm->svm) {
		svmgpu_svm_fini(vm->svm);
		kfree(vm->svm);
	}
err_fini_entity:
	drm_sched_entity_destroy(&vm->bind_entity);
err_fini_pgtable:
	svmgpu_pgtable_fini(&vm->pgt);
err_free_vm:
	kfree(vm);
	return ERR_PTR(ret);
}

/*
 * The VM leaves its file: binds now fail, and the pending ones are
 * cancelled (see "Cancelling" in "Binds", svmgpu_vm_bind.c). Idempotent.
 */
static void svmgpu_vm_close(struct svmgpu_vm *vm)
{
	/* Binds that got past the check are on the list when it is taken. */
	mutex_lock(&vm->lock);
	vm->closed = true;
	mutex_unlock(&vm->lock);

	svmgpu_vm_binds_cancel(vm);
}

/*
 * A VM leaves its file: cancel its binds and wait until they are done
 * and cleaned up, wait for its jobs (bounded by the job timeout), remove
 * its mappings and drop the file's reference.
 */
static void svmgpu_vm_release(struct svmgpu_vm *vm)
{
	svmgpu_vm_close(vm);
	wait_event(vm->binds_idle_wq, !atomic_read(&vm->live_binds));
	/* Idle: nothing for drm_sched to flush or kill. */
	drm_sched_entity_destroy(&vm->bind_entity);
	svmgpu_vm_wait_idle(vm, false);
	svmgpu_vm_unmap_all(vm);
	svmgpu_vm_put(vm);
}

/**
 * svmgpu_file_vms_init() - a new file has no VMs.
 * @vms: the file's VMs.
 */
void svmgpu_file_vms_init(struct svmgpu_file_vms *vms)
{
	xa_init_flags(&vms->xa, XA_FLAGS_ALLOC1);
}

/**
 * svmgpu_file_vms_close() - cancel the pending binds of a closing file.
 * @vms: the file's VMs.
 *
 * Called before the file's queues go: their jobs may wait for binds.
 */
void svmgpu_file_vms_close(struct svmgpu_file_vms *vms)
{
	struct svmgpu_vm *vm;
	unsigned long id;

	xa_for_each(&vms->xa, id, vm)
		svmgpu_vm_close(vm);
}

/**
 * svmgpu_file_vms_fini() - release every VM of a closing file.
 * @vms: the file's VMs.
 */
void svmgpu_file_vms_fini(struct svmgpu_file_vms *vms)
{
	struct svmgpu_vm *vm;
	unsigned long id;

	xa_for_each(&vms->xa, id, vm) {
		xa_erase(&vms->xa, id);
		svmgpu_vm_release(vm);
	}
	xa_destroy(&vms->xa);
}

int svmgpu_ioctl_vm_create(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_vm_create *args = data;
	struct svmgpu_vm *vm;
	u32 id;
	int ret;

	if (args->flags & ~DRM_SVMGPU_VM_CREATE_FAULT_MODE || args->extensions)
		return -EINVAL;

	vm = svmgpu_vm_create(to_svmgpu_device(drm), args->flags);
	if (IS_ERR(vm))
		return PTR_ERR(vm);

	ret = xa_alloc(&sfile->vms.xa, &id, vm,
		       XA_LIMIT(1, SVMGPU_MAX_VMS_PER_FILE), GFP_KERNEL);
	if (ret) {
		svmgpu_vm_release(vm);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	vm->id = id;
	args->vm_id = id;
	return 0;
}

int svmgpu_ioctl_vm_destroy(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_vm_destroy *args = data;
	struct svmgpu_vm *vm;

	if (args->pad)
		return -EINVAL;

	vm = xa_erase(&sfile->vms.xa, args->vm_id);
	if (!vm)
		return -ENOENT;
	svmgpu_vm_release(vm);
	return 0;
}

/**
 * svmgpu_vm_range_ok() - whether [@start, @start + @size) is a non-empty
 * range inside [@lo, @hi].
 * @start: first address.
 * @size: bytes.
 * @lo: lowest address allowed.
 * @hi: end of what is allowed.
 *
 * Return: true if it is.
 */
bool svmgpu_vm_range_ok(u64 start, u64 size, u64 lo, u64 hi)
{
	return size && start >= lo && start <= hi && size <= hi - start;
}

/**
 * svmgpu_vm_debugfs_show() - list every VM of the device and its mappings.
 * @sdev: the device.
 * @m: where to print: per VM a line "vm <id> pid <pid>: root <addr>,
 *     <n> tables, leaves 4K <n> 2M <n> 1G <n>", then a line per mapping
 *     "  <start>-<end> +<bo offset> rw|ro" (a userptr: "  <start>-<end>
 *     userptr <cpu address> rw|ro valid|invalid"). The mappings are the VM's
 *     tree: with asynchronous binds pending, they are ahead of the page
 *     tables the counts describe.
 */
void svmgpu_vm_debugfs_show(struct svmgpu_device *sdev, struct seq_file *m)
{
	struct svmgpu_pgtable_stats stats;
	struct svmgpu_vm *vm;

	mutex_lock(&sdev->vms_lock);
	list_for_each_entry(vm, &sdev->vms, link) {
		mutex_lock(&vm->lock);
		mutex_lock(&vm->pgt_lock);
		svmgpu_pgtable_stats(&vm->pgt, &stats);
		mutex_unlock(&vm->pgt_lock);
		seq_printf(m, "vm %u pid %d: root %#llx, %llu tables, leaves 4K %llu 2M %llu 1G %llu\n",
			   vm->id, vm->pid, svmgpu_pgtable_root_addr(&vm->pgt),
			   stats.tables, stats.pages_4k, stats.pages_2m,
			   stats.pages_1g);
		svmgpu_vm_mappings_debugfs_show(vm, m);
		if (vm->svm)
			svmgpu_svm_debugfs_show(vm->svm, m);
		mutex_unlock(&vm->lock);
	}
	mutex_unlock(&sdev->vms_lock);
}
