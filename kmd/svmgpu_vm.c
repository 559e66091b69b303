// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_vm.c - GPU virtual address spaces and VM_BIND.
 *
 * DOC: VMs
 *
 * A VM is a &struct drm_gpuvm over the 48-bit address space (less a guard
 * at each end) plus a page-table tree (svmgpu_mmu.c). Files own VMs by
 * id. VM_BIND turns each MAP or UNMAP request into drm_gpuvm split/merge
 * operations and applies them to the tree:
 *
 * - MAP: new mapping; its BO's pages are pinned (shmem, or the importer's
 *   sg_table) and mapped with the largest leaves that fit.
 * - REMAP: an existing mapping loses the overlapped part; the whole old
 *   mapping is unmapped and the parts that stay are mapped again.
 * - UNMAP: an existing mapping goes.
 *
 * Locking: &svmgpu_vm.lock serialises all changes of a VM. The gpuva
 * lists of a BO are protected by its reservation lock (drm_gpuvm's
 * default), taken inside &svmgpu_vm.lock around each link and unlink.
 * Every job adds its fence to the VM's reservation object, so a bind
 * first waits for the VM's fences: no job runs while its mappings change.
 */

#include <linux/dma-resv.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>

#include "svmgpu_drm.h"
#include "hw/svmgpu_pte.h"
#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_svm.h"
#include "svmgpu_vm.h"

#define SVMGPU_VM_START		DRM_SVMGPU_VM_GUARD
#define SVMGPU_VM_END		((1ull << SVMGPU_VA_BITS) - DRM_SVMGPU_VM_GUARD)
#define SVMGPU_MAX_VMS_PER_FILE	1024

/**
 * struct svmgpu_vma - one mapping.
 * @base: the drm_gpuva.
 * @writable: mapped with GPU write access.
 */
struct svmgpu_vma {
	struct drm_gpuva base;
	bool writable;
};

static struct svmgpu_vma *to_svmgpu_vma(struct drm_gpuva *va)
{
	return container_of(va, struct svmgpu_vma, base);
}

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

/* Links @va to @obj's vm_bo in @vm; takes @obj's reservation. */
static int svmgpu_vma_link(struct svmgpu_vm *vm, struct drm_gpuva *va,
			   struct drm_gem_object *obj)
{
	struct drm_gpuvm_bo *vm_bo;

	dma_resv_lock(obj->resv, NULL);
	vm_bo = drm_gpuvm_bo_obtain(&vm->base, obj);
	if (IS_ERR(vm_bo)) {
		dma_resv_unlock(obj->resv);
		return PTR_ERR(vm_bo);
	}
	drm_gpuva_link(va, vm_bo);
	drm_gpuvm_bo_extobj_add(vm_bo);
	drm_gpuvm_bo_put(vm_bo);
	dma_resv_unlock(obj->resv);
	return 0;
}

/*
 * Unlinks @va from its BO; may drop the last vm_bo, and with it a GEM
 * reference, so hold one of our own across the reservation lock.
 */
static void svmgpu_vma_unlink(struct drm_gpuva *va)
{
	struct drm_gem_object *obj = va->gem.obj;

	drm_gem_object_get(obj);
	dma_resv_lock(obj->resv, NULL);
	drm_gpuva_unlink(va);
	dma_resv_unlock(obj->resv);
	drm_gem_object_put(obj);
}

/* The BO's pages for the MMU: pinned until the BO is freed. */
static struct sg_table *svmgpu_bo_sgt(struct drm_gem_object *obj)
{
	return drm_gem_shmem_get_pages_sgt(to_drm_gem_shmem_obj(obj));
}

/* Creates the mapping @map describes: tree entries, then the gpuva. */
static int svmgpu_vm_map(struct svmgpu_vm *vm, struct drm_gpuva_op_map *map,
			 bool writable)
{
	struct drm_gem_object *obj = map->gem.obj;
	struct svmgpu_vma *vma;
	struct sg_table *sgt;
	int ret;

	sgt = svmgpu_bo_sgt(obj);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);

	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return -ENOMEM;
	vma->writable = writable;

	ret = svmgpu_pgtable_map_sgt(&vm->pgt, map->va.addr, map->va.range,
				     sgt, map->gem.offset, writable);
	if (ret)
		goto err_unmap;

	drm_gpuva_map(&vm->base, &vma->base, map);
	ret = svmgpu_vma_link(vm, &vma->base, obj);
	if (ret)
		goto err_remove;
	return 0;

err_remove:
	drm_gpuva_remove(&vma->base);
err_unmap:
	svmgpu_pgtable_unmap(&vm->pgt, map->va.addr, map->va.range);
	kfree(vma);
	return ret;
}

/* Removes a whole mapping: tree entries first, then the gpuva. */
static void svmgpu_vm_unmap_va(struct svmgpu_vm *vm, struct drm_gpuva *va)
{
	svmgpu_pgtable_unmap(&vm->pgt, va->va.addr, va->va.range);
	drm_gpuva_remove(va);
	svmgpu_vma_unlink(va);
	kfree(to_svmgpu_vma(va));
}

/*
 * An existing mapping loses a part: unmap all of it, then map again what
 * stays before and after the part.
 */
static int svmgpu_vm_remap(struct svmgpu_vm *vm, struct drm_gpuva_op_remap *op)
{
	struct drm_gpuva *old = op->unmap->va;
	struct drm_gem_object *obj = old->gem.obj;
	bool writable = to_svmgpu_vma(old)->writable;
	struct drm_gpuva_op_map *prev = op->prev, *next = op->next;
	int ret = 0;

	/* The BO must outlive the old mapping's last reference to it. */
	drm_gem_object_get(obj);
	svmgpu_vm_unmap_va(vm, old);
	if (prev)
		ret = svmgpu_vm_map(vm, prev, writable);
	if (!ret && next)
		ret = svmgpu_vm_map(vm, next, writable);
	drm_gem_object_put(obj);
	return ret;
}

/* Applies drm_gpuvm's split/merge operations in order. */
static int svmgpu_vm_apply_ops(struct svmgpu_vm *vm, struct drm_gpuva_ops *ops,
			       bool writable)
{
	struct drm_gpuva_op *op;
	int ret = 0;

	drm_gpuva_for_each_op(op, ops) {
		switch (op->op) {
		case DRM_GPUVA_OP_MAP:
			ret = svmgpu_vm_map(vm, &op->map, writable);
			break;
		case DRM_GPUVA_OP_REMAP:
			ret = svmgpu_vm_remap(vm, &op->remap);
			break;
		case DRM_GPUVA_OP_UNMAP:
			svmgpu_vm_unmap_va(vm, op->unmap.va);
			break;
		default:
			ret = -EINVAL;
			break;
		}
		if (ret)
			break;
	}
	return ret;
}

/* Removes every mapping; the VM must be idle. */
static void svmgpu_vm_unmap_all(struct svmgpu_vm *vm)
{
	struct drm_gpuva *va, *next;

	mutex_lock(&vm->lock);
	drm_gpuvm_for_each_va_safe(va, next, &vm->base)
		svmgpu_vm_unmap_va(vm, va);
	mutex_unlock(&vm->lock);
}

/* Waits for every job submitted to @vm; -EINTR when interrupted. */
static int svmgpu_vm_wait_idle(struct svmgpu_vm *vm, bool intr)
{
	long ret = dma_resv_wait_timeout(drm_gpuvm_resv(&vm->base),
					 DMA_RESV_USAGE_BOOKKEEP, intr,
					 MAX_SCHEDULE_TIMEOUT);

	return ret < 0 ? ret : 0;
}

static struct svmgpu_vm *svmgpu_vm_create(struct svmgpu_device *sdev, u32 flags)
{
	struct drm_gem_object *resv_obj;
	struct svmgpu_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);

	ret = svmgpu_pgtable_init(&vm->pgt, sdev);
	if (ret)
		goto err_free_vm;

	if (flags & DRM_SVMGPU_VM_CREATE_FAULT_MODE) {
		vm->svm = kzalloc(sizeof(*vm->svm), GFP_KERNEL);
		if (!vm->svm) {
			ret = -ENOMEM;
			goto err_fini_pgtable;
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
err_fini_pgtable:
	svmgpu_pgtable_fini(&vm->pgt);
err_free_vm:
	kfree(vm);
	return ERR_PTR(ret);
}

/*
 * A VM leaves its file: wait for its jobs (bounded by the job timeout),
 * remove its mappings and drop the file's reference.
 */
static void svmgpu_vm_release(struct svmgpu_vm *vm)
{
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
		svmgpu_vm_put(vm);
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

/* A bind operation, validated, with its BO looked up. */
struct svmgpu_bind_op {
	struct drm_svmgpu_vm_bind_op args;
	struct drm_gem_object *obj;
};

static bool svmgpu_range_ok(u64 start, u64 size, u64 lo, u64 hi)
{
	return size && start >= lo && start <= hi && size <= hi - start;
}

/* Checks one operation; looks up its BO. Changes nothing. */
static int svmgpu_bind_op_check(struct drm_file *file, struct svmgpu_vm *vm,
				struct svmgpu_bind_op *op)
{
	struct drm_svmgpu_vm_bind_op *a = &op->args;

	if (a->pad || !IS_ALIGNED(a->va | a->size | a->bo_offset, SZ_4K) ||
	    !svmgpu_range_ok(a->va, a->size, SVMGPU_VM_START, SVMGPU_VM_END))
		return -EINVAL;

	switch (a->op) {
	case DRM_SVMGPU_VM_BIND_OP_MAP:
		if (a->flags & ~DRM_SVMGPU_VM_BIND_OP_READ_ONLY)
			return -EINVAL;
		op->obj = drm_gem_object_lookup(file, a->handle);
		if (!op->obj)
			return -ENOENT;
		if (!svmgpu_range_ok(a->bo_offset, a->size, 0, op->obj->size))
			return -EINVAL;
		return 0;
	case DRM_SVMGPU_VM_BIND_OP_UNMAP:
		if (a->flags || a->handle || a->bo_offset)
			return -EINVAL;
		return 0;
	case DRM_SVMGPU_VM_BIND_OP_MIRROR:
	case DRM_SVMGPU_VM_BIND_OP_PREFETCH:
		if (a->flags || a->handle || a->bo_offset || !vm->svm)
			return -EINVAL;
		/* The mirror is of the creating process's address space. */
		if (current->mm != vm->svm->mm)
			return -EACCES;
		return 0;
	}
	return -EINVAL;
}

static void svmgpu_bind_ops_free(struct svmgpu_bind_op *ops, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (ops[i].obj)
			drm_gem_object_put(ops[i].obj);
	kvfree(ops);
}

/* Copies and checks every operation before any is applied. */
static struct svmgpu_bind_op *
svmgpu_bind_ops_get(struct drm_file *file, struct svmgpu_vm *vm,
		    const struct drm_svmgpu_obj_array *arr)
{
	struct svmgpu_bind_op *ops;
	u32 i;
	int ret;

	if (!arr->count || arr->count > DRM_SVMGPU_VM_BIND_MAX_OPS ||
	    arr->stride < sizeof(struct drm_svmgpu_vm_bind_op))
		return ERR_PTR(-EINVAL);

	ops = kvcalloc(arr->count, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return ERR_PTR(-ENOMEM);

	for (i = 0; i < arr->count; i++) {
		void __user *uop = u64_to_user_ptr(arr->array +
						   (u64)i * arr->stride);

		ret = copy_struct_from_user(&ops[i].args, sizeof(ops[i].args),
					    uop, arr->stride);
		if (ret == -E2BIG)
			ret = -EINVAL;
		if (!ret)
			ret = svmgpu_bind_op_check(file, vm, &ops[i]);
		if (ret) {
			svmgpu_bind_ops_free(ops, i + 1);
			return ERR_PTR(ret);
		}
	}
	return ops;
}

static int svmgpu_vm_bind_op(struct svmgpu_vm *vm, struct svmgpu_bind_op *op)
{
	struct drm_svmgpu_vm_bind_op *a = &op->args;
	struct drm_gpuva_ops *ops;
	int ret;

	if (a->op == DRM_SVMGPU_VM_BIND_OP_PREFETCH)
		return svmgpu_svm_prefetch(vm->svm, a->va, a->va + a->size);
	/* A mirror window yields to whatever is mapped over it. */
	if (vm->svm)
		svmgpu_svm_window_remove(vm->svm, a->va, a->va + a->size);

	if (a->op == DRM_SVMGPU_VM_BIND_OP_MAP)
		ops = drm_gpuvm_sm_map_ops_create(&vm->base, a->va, a->size,
						  op->obj, a->bo_offset);
	else
		ops = drm_gpuvm_sm_unmap_ops_create(&vm->base, a->va, a->size);
	if (IS_ERR(ops))
		return PTR_ERR(ops);

	ret = svmgpu_vm_apply_ops(vm, ops,
				  !(a->flags & DRM_SVMGPU_VM_BIND_OP_READ_ONLY));
	drm_gpuva_ops_free(&vm->base, ops);
	if (!ret && a->op == DRM_SVMGPU_VM_BIND_OP_MIRROR)
		ret = svmgpu_svm_window_add(vm->svm, a->va, a->va + a->size);
	if (!ret)
		svmgpu_count(vm->sdev, a->op == DRM_SVMGPU_VM_BIND_OP_MAP ?
			     SVMGPU_CNT_BINDS : SVMGPU_CNT_UNBINDS);
	return ret;
}

int svmgpu_ioctl_vm_bind(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_vm_bind *args = data;
	struct svmgpu_bind_op *ops;
	struct svmgpu_vm *vm;
	u32 i;
	int ret;

	if (args->flags || args->extensions)
		return -EINVAL;

	vm = svmgpu_vm_lookup(&sfile->vms, args->vm_id);
	if (!vm)
		return -ENOENT;

	ops = svmgpu_bind_ops_get(file, vm, &args->ops);
	if (IS_ERR(ops)) {
		ret = PTR_ERR(ops);
		goto out_put_vm;
	}

	mutex_lock(&vm->lock);
	ret = svmgpu_vm_wait_idle(vm, true);
	for (i = 0; !ret && i < args->ops.count; i++)
		ret = svmgpu_vm_bind_op(vm, &ops[i]);
	mutex_unlock(&vm->lock);

	svmgpu_bind_ops_free(ops, args->ops.count);
out_put_vm:
	svmgpu_vm_put(vm);
	return ret;
}

/* DRM_SVMGPU_VM_QUERY_PAGES: the GPU mapping state of each page. */
static int svmgpu_vm_query_pages(struct svmgpu_vm *vm,
				 struct drm_svmgpu_vm_query *args)
{
	u32 npages = args->size >> PAGE_SHIFT;
	u8 *states;
	int ret = 0;

	if (!IS_ALIGNED(args->start | args->size, SZ_4K) || !args->size ||
	    args->size > SZ_1G ||
	    !svmgpu_range_ok(args->start, args->size, 0, SVMGPU_VM_END))
		return -EINVAL;
	if (args->data_size < npages) {
		args->data_size = npages;
		return -ENOSPC;
	}
	states = kvmalloc(npages, GFP_KERNEL);
	if (!states)
		return -ENOMEM;
	svmgpu_svm_snapshot(vm->svm, args->start, npages, states);
	if (copy_to_user(u64_to_user_ptr(args->data), states, npages))
		ret = -EFAULT;
	kvfree(states);
	args->data_size = npages;
	return ret;
}

/* DRM_SVMGPU_VM_QUERY_COUNTERS: the mirror's counters. */
static int svmgpu_vm_query_counters(struct svmgpu_vm *vm,
				    struct drm_svmgpu_vm_query *args)
{
	const struct svmgpu_svm_stats *st = &vm->svm->stats;
	struct drm_svmgpu_svm_counters c = {
		.faults = atomic64_read(&st->faults),
		.faults_unresolved = atomic64_read(&st->faults_unresolved),
		.pages_4k = atomic64_read(&st->pages_4k),
		.pages_2m = atomic64_read(&st->pages_2m),
		.invalidations = atomic64_read(&st->invalidations),
		.ranges_gc = atomic64_read(&st->ranges_gc),
		.retries = atomic64_read(&st->retries),
		.prefetched = atomic64_read(&st->prefetched),
	};

	if (args->start || args->size)
		return -EINVAL;
	if (args->data_size < sizeof(c)) {
		args->data_size = sizeof(c);
		return -ENOSPC;
	}
	if (copy_to_user(u64_to_user_ptr(args->data), &c, sizeof(c)))
		return -EFAULT;
	args->data_size = sizeof(c);
	return 0;
}

int svmgpu_ioctl_vm_query(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_vm_query *args = data;
	struct svmgpu_vm *vm;
	int ret;

	if (args->pad || args->extensions ||
	    (args->type != DRM_SVMGPU_VM_QUERY_PAGES &&
	     args->type != DRM_SVMGPU_VM_QUERY_COUNTERS))
		return -EINVAL;
	vm = svmgpu_vm_lookup(&sfile->vms, args->vm_id);
	if (!vm)
		return -ENOENT;
	if (!vm->svm)
		ret = -EINVAL;
	else if (args->type == DRM_SVMGPU_VM_QUERY_PAGES)
		ret = svmgpu_vm_query_pages(vm, args);
	else
		ret = svmgpu_vm_query_counters(vm, args);
	svmgpu_vm_put(vm);
	return ret;
}

/**
 * svmgpu_vm_debugfs_show() - list every VM of the device and its mappings.
 * @sdev: the device.
 * @m: where to print: per VM a line "vm <id> pid <pid>: root <addr>,
 *     <n> tables, leaves 4K <n> 2M <n> 1G <n>", then a line per mapping
 *     "  <start>-<end> +<bo offset> rw|ro".
 */
void svmgpu_vm_debugfs_show(struct svmgpu_device *sdev, struct seq_file *m)
{
	struct svmgpu_pgtable_stats stats;
	struct svmgpu_vm *vm;
	struct drm_gpuva *va;

	mutex_lock(&sdev->vms_lock);
	list_for_each_entry(vm, &sdev->vms, link) {
		mutex_lock(&vm->lock);
		svmgpu_pgtable_stats(&vm->pgt, &stats);
		seq_printf(m, "vm %u pid %d: root %#llx, %llu tables, leaves 4K %llu 2M %llu 1G %llu\n",
			   vm->id, vm->pid, svmgpu_pgtable_root_addr(&vm->pgt),
			   stats.tables, stats.pages_4k, stats.pages_2m,
			   stats.pages_1g);
		drm_gpuvm_for_each_va(va, &vm->base)
			seq_printf(m, "  %#014llx-%#014llx +%#llx %s\n",
				   va->va.addr, va->va.addr + va->va.range,
				   va->gem.offset,
				   to_svmgpu_vma(va)->writable ? "rw" : "ro");
		if (vm->svm)
			svmgpu_svm_debugfs_show(vm->svm, m);
		mutex_unlock(&vm->lock);
	}
	mutex_unlock(&sdev->vms_lock);
}
