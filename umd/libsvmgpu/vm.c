// SPDX-License-Identifier: MIT
/*
 * vm.c - GPU virtual address spaces and their bindings.
 *
 * A struct svmgpu_vm is a VM id of the device's file.
 * svmgpu_vm_bind_submit() checks each operation against the rules of the
 * uAPI it can check on its own (alignment, ranges, the BO's device) and
 * the sync lists' sizes before translating them to &struct
 * drm_svmgpu_vm_bind_op and &struct drm_svmgpu_sync (waits first), so a
 * caller's mistake is reported before any system call; the kernel checks
 * everything again. svmgpu_vm_bind(), _map(), _unmap(), _mirror() and
 * _prefetch() are synchronous binds without syncs (the only kind a
 * fault-mode VM takes).
 */

#include <stdlib.h>

#include "svmgpu_priv.h"

#define SVMGPU_VM_PAGE		4096ull

SVMGPU_PUBLIC int svmgpu_vm_create(struct svmgpu_device *dev, uint32_t flags,
				   struct svmgpu_vm **vm)
{
	struct drm_svmgpu_vm_create args = { .flags = flags };
	struct svmgpu_vm *v;
	int ret;

	if (!dev || !vm)
		return -EINVAL;

	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	ret = svmgpu_ioctl(dev->fd, DRM_IOCTL_SVMGPU_VM_CREATE, &args);
	if (ret) {
		free(v);
		return ret;
	}
	v->dev = dev;
	v->id = args.vm_id;
	svmgpu_device_get(dev);
	*vm = v;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_vm_destroy(struct svmgpu_vm *vm)
{
	struct drm_svmgpu_vm_destroy args;

	if (!vm)
		return -EINVAL;
	args = (struct drm_svmgpu_vm_destroy){ .vm_id = vm->id };
	svmgpu_ioctl(vm->dev->fd, DRM_IOCTL_SVMGPU_VM_DESTROY, &args);
	svmgpu_device_put(vm->dev);
	free(vm);
	return 0;
}

SVMGPU_PUBLIC int svmgpu_vm_get_id(struct svmgpu_vm *vm, uint32_t *id)
{
	if (!vm || !id)
		return -EINVAL;
	*id = vm->id;
	return 0;
}

/* [start, start + size) is non-empty and inside [lo, hi). */
static bool svmgpu_range_ok(uint64_t start, uint64_t size, uint64_t lo,
			    uint64_t hi)
{
	return size && start >= lo && start <= hi && size <= hi - start;
}

/* Checks one operation and translates it. */
static int svmgpu_vm_bind_op_get(struct svmgpu_vm *vm,
				 const struct svmgpu_vm_bind_op *op,
				 struct drm_svmgpu_vm_bind_op *out)
{
	const struct svmgpu_device_info *info = &vm->dev->info;

	if ((op->va | op->size | op->bo_offset) & (SVMGPU_VM_PAGE - 1) ||
	    !svmgpu_range_ok(op->va, op->size, info->va_start, info->va_end))
		return -EINVAL;

	switch (op->op) {
	case SVMGPU_VM_BIND_MAP:
		if (!op->bo || op->bo->dev != vm->dev ||
		    !svmgpu_range_ok(op->bo_offset, op->size, 0, op->bo->size))
			return -EINVAL;
		break;
	case SVMGPU_VM_BIND_UNMAP:
	case SVMGPU_VM_BIND_MIRROR:
	case SVMGPU_VM_BIND_PREFETCH:
		if (op->bo || op->bo_offset || op->flags)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}

	*out = (struct drm_svmgpu_vm_bind_op){
		.op = op->op,
		.flags = op->flags,
		.handle = op->bo ? op->bo->handle : 0,
		.bo_offset = op->bo_offset,
		.va = op->va,
		.size = op->size,
	};
	return 0;
}

static bool svmgpu_vm_array_ok(const void *array, uint32_t count)
{
	return array || !count;
}

SVMGPU_PUBLIC int svmgpu_vm_bind_submit(struct svmgpu_vm *vm,
					const struct svmgpu_vm_bind_info *info)
{
	struct drm_svmgpu_sync syncs[DRM_SVMGPU_VM_BIND_MAX_SYNCS];
	struct drm_svmgpu_vm_bind_op *kops;
	struct drm_svmgpu_vm_bind args;
	uint32_t i, nr_syncs = 0;
	int ret = 0;

	if (!vm || !info || !info->ops || !info->num_ops ||
	    info->num_ops > DRM_SVMGPU_VM_BIND_MAX_OPS ||
	    !svmgpu_vm_array_ok(info->waits, info->num_waits) ||
	    !svmgpu_vm_array_ok(info->signals, info->num_signals) ||
	    info->num_waits > DRM_SVMGPU_VM_BIND_MAX_SYNCS ||
	    info->num_signals > DRM_SVMGPU_VM_BIND_MAX_SYNCS - info->num_waits)
		return -EINVAL;

	for (i = 0; i < info->num_waits; i++)
		syncs[nr_syncs++] = (struct drm_svmgpu_sync){
			.flags = DRM_SVMGPU_SYNC_WAIT,
			.handle = info->waits[i].handle,
			.point = info->waits[i].point,
		};
	for (i = 0; i < info->num_signals; i++)
		syncs[nr_syncs++] = (struct drm_svmgpu_sync){
			.flags = DRM_SVMGPU_SYNC_SIGNAL,
			.handle = info->signals[i].handle,
			.point = info->signals[i].point,
		};

	kops = calloc(info->num_ops, sizeof(*kops));
	if (!kops)
		return -ENOMEM;
	for (i = 0; i < info->num_ops && !ret; i++)
		ret = svmgpu_vm_bind_op_get(vm, &info->ops[i], &kops[i]);
	if (!ret) {
		args = (struct drm_svmgpu_vm_bind){
			.vm_id = vm->id,
			.flags = info->flags,
			.ops = {
				.stride = sizeof(*kops),
				.count = info->num_ops,
				.array = u64_ptr(kops),
			},
			.syncs = {
				.stride = sizeof(syncs[0]),
				.count = nr_syncs,
				.array = u64_ptr(syncs),
			},
		};
		ret = svmgpu_ioctl(vm->dev->fd, DRM_IOCTL_SVMGPU_VM_BIND, &args);
	}
	free(kops);
	return ret;
}

SVMGPU_PUBLIC int svmgpu_vm_bind(struct svmgpu_vm *vm,
				 const struct svmgpu_vm_bind_op *ops,
				 uint32_t count)
{
	const struct svmgpu_vm_bind_info info = {
		.ops = ops,
		.num_ops = count,
	};

	return svmgpu_vm_bind_submit(vm, &info);
}

/*
 * Issues a bind of the single operation @op (SVMGPU_VM_BIND_*) with the
 * other fields of &struct svmgpu_vm_bind_op; the one-operation wrappers
 * below are this with their own operation. Returns what svmgpu_vm_bind()
 * returns.
 */
static int svmgpu_vm_bind_one(struct svmgpu_vm *vm, uint32_t op,
			      struct svmgpu_bo *bo, uint64_t bo_offset,
			      uint64_t va, uint64_t size, uint32_t flags)
{
	const struct svmgpu_vm_bind_op bind_op = {
		.op = op,
		.flags = flags,
		.bo = bo,
		.bo_offset = bo_offset,
		.va = va,
		.size = size,
	};

	return svmgpu_vm_bind(vm, &bind_op, 1);
}

SVMGPU_PUBLIC int svmgpu_vm_map(struct svmgpu_vm *vm, struct svmgpu_bo *bo,
				uint64_t bo_offset, uint64_t va, uint64_t size,
				uint32_t flags)
{
	return svmgpu_vm_bind_one(vm, SVMGPU_VM_BIND_MAP, bo, bo_offset, va,
				  size, flags);
}

SVMGPU_PUBLIC int svmgpu_vm_unmap(struct svmgpu_vm *vm, uint64_t va,
				  uint64_t size)
{
	return svmgpu_vm_bind_one(vm, SVMGPU_VM_BIND_UNMAP, NULL, 0, va, size,
				  0);
}

SVMGPU_PUBLIC int svmgpu_vm_mirror(struct svmgpu_vm *vm, uint64_t va,
				   uint64_t size)
{
	return svmgpu_vm_bind_one(vm, SVMGPU_VM_BIND_MIRROR, NULL, 0, va, size,
				  0);
}

SVMGPU_PUBLIC int svmgpu_vm_prefetch(struct svmgpu_vm *vm, uint64_t va,
				     uint64_t size)
{
	return svmgpu_vm_bind_one(vm, SVMGPU_VM_BIND_PREFETCH, NULL, 0, va,
				  size, 0);
}

SVMGPU_PUBLIC int svmgpu_vm_map_userptr(struct svmgpu_vm *vm, const void *ptr,
					uint64_t va, uint64_t size,
					uint32_t flags)
{
	struct drm_svmgpu_vm_bind_op op;
	struct drm_svmgpu_vm_bind args;
	uint64_t cpu = u64_ptr(ptr);

	if (!vm || (va | size | cpu) & (SVMGPU_VM_PAGE - 1) ||
	    !svmgpu_range_ok(va, size, vm->dev->info.va_start,
			     vm->dev->info.va_end) ||
	    size > DRM_SVMGPU_USERPTR_MAX_SIZE ||
	    flags & ~SVMGPU_VM_BIND_READ_ONLY)
		return -EINVAL;

	op = (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR,
		.flags = flags,
		.va = va,
		.size = size,
		.userptr = cpu,
	};
	args = (struct drm_svmgpu_vm_bind){
		.vm_id = vm->id,
		.ops = { .stride = sizeof(op), .count = 1, .array = u64_ptr(&op) },
	};
	return svmgpu_ioctl(vm->dev->fd, DRM_IOCTL_SVMGPU_VM_BIND, &args);
}
