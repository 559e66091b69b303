// SPDX-License-Identifier: MIT
/*
 * svm.c - shared virtual memory of fault-mode VMs: what the GPU has
 * mapped of the mirror (per-page state and counters, DRM_IOCTL_SVMGPU_VM_QUERY)
 * and the attributes of address ranges (DRM_IOCTL_SVMGPU_VM_ATTR).
 *
 * Mirror windows and prefetches are VM binds and live in vm.c. Ranges and
 * counts are checked here against the rules the uAPI fixes, so a caller's
 * mistake is reported before any system call; whether the VM is in fault
 * mode, attribute types and values are the kernel's to check (a newer
 * kernel's attributes need no newer library).
 */

#include <stdlib.h>
#include <string.h>

#include "svmgpu_priv.h"

#define SVMGPU_SVM_PAGE		4096ull

SVMGPU_PUBLIC int svmgpu_vm_query_pages(struct svmgpu_vm *vm, uint64_t start,
					uint64_t size, uint8_t *states)
{
	struct drm_svmgpu_vm_query args;

	if (!vm || !states || (start | size) & (SVMGPU_SVM_PAGE - 1) ||
	    !size || size > SVMGPU_VM_QUERY_MAX_SIZE ||
	    start > vm->dev->info.va_end ||
	    size > vm->dev->info.va_end - start)
		return -EINVAL;

	args = (struct drm_svmgpu_vm_query){
		.vm_id = vm->id,
		.type = DRM_SVMGPU_VM_QUERY_PAGES,
		.start = start,
		.size = size,
		.data = u64_ptr(states),
		.data_size = size / SVMGPU_SVM_PAGE,
	};
	return svmgpu_ioctl(vm->dev->fd, DRM_IOCTL_SVMGPU_VM_QUERY, &args);
}

/* Reads the kernel's counters, however large its structure is. */
static int svmgpu_vm_read_counters(struct svmgpu_vm *vm,
				   struct drm_svmgpu_svm_counters *out)
{
	struct drm_svmgpu_vm_query args = {
		.vm_id = vm->id,
		.type = DRM_SVMGPU_VM_QUERY_COUNTERS,
		.data = u64_ptr(out),
		.data_size = sizeof(*out),
	};
	void *big;
	int ret;

	ret = svmgpu_ioctl(vm->dev->fd, DRM_IOCTL_SVMGPU_VM_QUERY, &args);
	if (ret != -ENOSPC || args.data_size <= sizeof(*out))
		return ret;

	/* A newer kernel's structure: read it whole, keep our prefix. */
	big = calloc(1, args.data_size);
	if (!big)
		return -ENOMEM;
	args.data = u64_ptr(big);
	ret = svmgpu_ioctl(vm->dev->fd, DRM_IOCTL_SVMGPU_VM_QUERY, &args);
	if (!ret)
		memcpy(out, big, sizeof(*out));
	free(big);
	return ret;
}

SVMGPU_PUBLIC int svmgpu_vm_query_counters(struct svmgpu_vm *vm,
					   struct svmgpu_vm_counters *counters)
{
	struct drm_svmgpu_svm_counters k = { 0 };
	int ret;

	if (!vm || !counters)
		return -EINVAL;
	ret = svmgpu_vm_read_counters(vm, &k);
	if (ret)
		return ret;
	*counters = (struct svmgpu_vm_counters){
		.faults = k.faults,
		.faults_unresolved = k.faults_unresolved,
		.pages_4k = k.pages_4k,
		.pages_2m = k.pages_2m,
		.invalidations = k.invalidations,
		.ranges_gc = k.ranges_gc,
		.retries = k.retries,
		.prefetched = k.prefetched,
	};
	return 0;
}

/*
 * One VM_ATTR call; @kattrs holds @count attributes in the kernel's
 * layout, read back for GET.
 */
static int svmgpu_vm_attr(struct svmgpu_vm *vm, uint32_t op, uint64_t start,
			  uint64_t size, struct drm_svmgpu_attr *kattrs,
			  uint32_t count)
{
	struct drm_svmgpu_vm_attr args = {
		.vm_id = vm->id,
		.op = op,
		.start = start,
		.size = size,
		.attrs = {
			.stride = sizeof(*kattrs),
			.count = count,
			.array = u64_ptr(kattrs),
		},
	};

	return svmgpu_ioctl(vm->dev->fd, DRM_IOCTL_SVMGPU_VM_ATTR, &args);
}

/* The arguments every attribute call shares. */
static bool svmgpu_vm_attr_args_ok(struct svmgpu_vm *vm, uint64_t start,
				   uint64_t size, const void *attrs,
				   uint32_t count)
{
	const struct svmgpu_device_info *info;

	if (!vm || !attrs || !count || count > DRM_SVMGPU_VM_ATTR_MAX)
		return false;
	info = &vm->dev->info;
	return !((start | size) & (SVMGPU_SVM_PAGE - 1)) && size &&
	       start >= info->va_start && start <= info->va_end &&
	       size <= info->va_end - start;
}

SVMGPU_PUBLIC int svmgpu_vm_set_attrs(struct svmgpu_vm *vm, uint64_t start,
				      uint64_t size,
				      const struct svmgpu_vm_attr *attrs,
				      uint32_t count)
{
	struct drm_svmgpu_attr kattrs[DRM_SVMGPU_VM_ATTR_MAX];
	uint32_t i;

	if (!svmgpu_vm_attr_args_ok(vm, start, size, attrs, count))
		return -EINVAL;
	for (i = 0; i < count; i++)
		kattrs[i] = (struct drm_svmgpu_attr){
			.type = attrs[i].type,
			.value = attrs[i].value,
		};
	return svmgpu_vm_attr(vm, DRM_SVMGPU_VM_ATTR_SET, start, size, kattrs,
			      count);
}

SVMGPU_PUBLIC int svmgpu_vm_get_attrs(struct svmgpu_vm *vm, uint64_t start,
				      uint64_t size,
				      struct svmgpu_vm_attr *attrs,
				      uint32_t count)
{
	struct drm_svmgpu_attr kattrs[DRM_SVMGPU_VM_ATTR_MAX];
	uint32_t i;
	int ret;

	if (!svmgpu_vm_attr_args_ok(vm, start, size, attrs, count))
		return -EINVAL;
	for (i = 0; i < count; i++)
		kattrs[i] = (struct drm_svmgpu_attr){ .type = attrs[i].type };
	ret = svmgpu_vm_attr(vm, DRM_SVMGPU_VM_ATTR_GET, start, size, kattrs,
			     count);
	if (ret)
		return ret;
	for (i = 0; i < count; i++)
		attrs[i].value = kattrs[i].value;
	return 0;
}
