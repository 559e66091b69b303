// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_svm_ioctl.c - the SVM ioctls of fault-mode VMs: mapping and
 * counter queries (VM_QUERY) and memory attributes (VM_ATTR).
 */

/**
 * DOC: SVM ioctls
 *
 * DRM_IOCTL_SVMGPU_VM_QUERY and DRM_IOCTL_SVMGPU_VM_ATTR check their
 * arguments in full, look the VM up (it must be in fault mode) and call
 * the SVM core (svmgpu_svm.c): svmgpu_svm_snapshot() for the per-page
 * mapping state, the mirror's &struct svmgpu_svm_stats for the counters,
 * svmgpu_svm_attr_set() and svmgpu_svm_attr_get() for attributes. A SET
 * steers the mirror of the process that created the VM and is refused
 * (-EACCES) from any other.
 */

#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>

#include "svmgpu_drm.h"
#include "svmgpu_drv.h"
#include "svmgpu_svm.h"
#include "svmgpu_svm_ioctl.h"
#include "svmgpu_vm.h"

/* DRM_SVMGPU_VM_QUERY_PAGES: the GPU mapping state of each page. */
static int svmgpu_vm_query_pages(struct svmgpu_vm *vm,
				 struct drm_svmgpu_vm_query *args)
{
	u32 npages = args->size >> PAGE_SHIFT;
	u8 *states;
	int ret = 0;

	if (!IS_ALIGNED(args->start | args->size, SZ_4K) || !args->size ||
	    args->size > SZ_1G ||
	    !svmgpu_vm_range_ok(args->start, args->size, 0, SVMGPU_VM_END))
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
	else
		args->data_size = npages;
	kvfree(states);
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

/* Checks one attribute of a SET or GET and records it in @set. */
static int svmgpu_vm_attr_check(const struct drm_svmgpu_attr *attr, bool get,
				struct svmgpu_svm_attr_set *set)
{
	u64 v = attr->value;

	if (attr->pad || attr->type > DRM_SVMGPU_ATTR_PREFERRED_LOCATION ||
	    set->mask & BIT(attr->type))
		return -EINVAL;
	set->mask |= BIT(attr->type);
	if (get)
		return 0;

	switch (attr->type) {
	case DRM_SVMGPU_ATTR_ACCESS:
		if (v > DRM_SVMGPU_ACCESS_READ_WRITE)
			return -EINVAL;
		set->values.access = v;
		return 0;
	case DRM_SVMGPU_ATTR_MAX_CHUNK:
		if (v != SZ_4K && v != SZ_64K && v != SZ_2M)
			return -EINVAL;
		set->values.max_chunk = v;
		return 0;
	case DRM_SVMGPU_ATTR_READ_MOSTLY:
		if (v > 1)
			return -EINVAL;
		set->values.read_mostly = v;
		return 0;
	default:
		if (v != DRM_SVMGPU_LOCATION_SYSTEM)
			return -EINVAL;
		set->values.location = v;
		return 0;
	}
}

int svmgpu_ioctl_vm_attr(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_vm_attr *args = data;
	struct drm_svmgpu_attr attrs[DRM_SVMGPU_VM_ATTR_MAX];
	struct svmgpu_svm_attr_set set = {};
	bool get = args->op == DRM_SVMGPU_VM_ATTR_GET;
	struct svmgpu_vm *vm;
	u32 i;
	int ret = 0;

	if (args->extensions ||
	    (args->op != DRM_SVMGPU_VM_ATTR_SET && !get) ||
	    !IS_ALIGNED(args->start | args->size, SZ_4K) ||
	    !svmgpu_vm_range_ok(args->start, args->size, SVMGPU_VM_START,
			     SVMGPU_VM_END) ||
	    !args->attrs.count || args->attrs.count > DRM_SVMGPU_VM_ATTR_MAX ||
	    args->attrs.stride < sizeof(attrs[0]))
		return -EINVAL;

	for (i = 0; i < args->attrs.count; i++) {
		ret = svmgpu_copy_array_elem(&attrs[i], sizeof(attrs[i]),
					     &args->attrs, i);
		if (!ret)
			ret = svmgpu_vm_attr_check(&attrs[i], get, &set);
		if (ret)
			return ret;
	}

	vm = svmgpu_vm_lookup(&sfile->vms, args->vm_id);
	if (!vm)
		return -ENOENT;
	if (!vm->svm) {
		ret = -EINVAL;
	} else if (!get) {
		/* The attributes steer the mirror of the creating process. */
		if (current->mm != vm->svm->mm)
			ret = -EACCES;
		else
			ret = svmgpu_svm_attr_set(vm->svm, args->start,
						  args->start + args->size, &set);
	} else {
		for (i = 0; i < args->attrs.count && !ret; i++) {
			u64 __user *uval = u64_to_user_ptr(args->attrs.array +
				(u64)i * args->attrs.stride +
				offsetof(struct drm_svmgpu_attr, value));

			svmgpu_svm_attr_get(vm->svm, args->start,
					    args->start + args->size,
					    attrs[i].type, &attrs[i].value);
			if (put_user(attrs[i].value, uval))
				ret = -EFAULT;
		}
	}
	svmgpu_vm_put(vm);
	return ret;
}
