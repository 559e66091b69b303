/* SPDX-License-Identifier: MIT */
/*
 * svk_winsys.c - the driver's kernel-facing layer: small operations over
 * libsvmgpu (and libdrm for the syncobj reset and transfer calls the
 * library does not wrap), turning negative errnos into VkResults. No other file of the
 * driver calls the library or the kernel.
 */
#include <errno.h>
#include <unistd.h>
#include <xf86drm.h>

#include "svk_private.h"

VkResult
svk_ws_result(int err, VkResult fallback)
{
	switch (err) {
	case 0:
		return VK_SUCCESS;
	case -ENOMEM:
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	case -ENOSPC:
		return VK_ERROR_OUT_OF_DEVICE_MEMORY;
	case -ETIME:
	case -ETIMEDOUT:
		return VK_TIMEOUT;
	case -EIO:
	case -EFAULT:
		return VK_ERROR_DEVICE_LOST;
	default:
		return fallback;
	}
}

int
svk_ws_device_count(void)
{
	return svmgpu_device_count();
}

VkResult
svk_ws_device_open(unsigned int index, struct svmgpu_device **dev,
		   const struct svmgpu_device_info **info, uint64_t *features)
{
	int err = svmgpu_device_open(index, dev);

	if (err)
		return err == -ENOMEM ? VK_ERROR_OUT_OF_HOST_MEMORY :
					VK_ERROR_INITIALIZATION_FAILED;
	svmgpu_device_get_info(*dev, info);
	if (svmgpu_device_query(*dev, DRM_SVMGPU_PARAM_FEATURES, features))
		*features = 0;
	return VK_SUCCESS;
}

void
svk_ws_device_close(struct svmgpu_device *dev)
{
	if (dev)
		svmgpu_device_destroy(dev);
}

VkResult
svk_ws_bo_create(struct svmgpu_device *dev, uint64_t size,
		 struct svmgpu_bo **bo, void **map)
{
	int err = svmgpu_bo_create(dev, size, 0, bo);

	if (err)
		return err == -ENOMEM ? VK_ERROR_OUT_OF_DEVICE_MEMORY :
		       svk_ws_result(err, VK_ERROR_OUT_OF_DEVICE_MEMORY);
	if (map) {
		err = svmgpu_bo_map(*bo, map);
		if (err) {
			svmgpu_bo_destroy(*bo);
			return VK_ERROR_OUT_OF_DEVICE_MEMORY;
		}
	}
	return VK_SUCCESS;
}

void
svk_ws_bo_destroy(struct svmgpu_bo *bo)
{
	if (bo)
		svmgpu_bo_destroy(bo);
}

VkResult
svk_ws_vm_create(struct svmgpu_device *dev, struct svmgpu_vm **vm)
{
	return svk_ws_result(svmgpu_vm_create(dev, 0, vm),
			     VK_ERROR_INITIALIZATION_FAILED);
}

void
svk_ws_vm_destroy(struct svmgpu_vm *vm)
{
	if (vm)
		svmgpu_vm_destroy(vm);
}

VkResult
svk_ws_vm_map(struct svmgpu_vm *vm, struct svmgpu_bo *bo, uint64_t va,
	      uint64_t size)
{
	return svk_ws_result(svmgpu_vm_map(vm, bo, 0, va, size, 0),
			     VK_ERROR_OUT_OF_DEVICE_MEMORY);
}

void
svk_ws_vm_unmap(struct svmgpu_vm *vm, uint64_t va, uint64_t size)
{
	svmgpu_vm_unmap(vm, va, size);
}

VkResult
svk_ws_queue_create(struct svmgpu_vm *vm, uint32_t engine,
		    struct svmgpu_queue **queue)
{
	return svk_ws_result(svmgpu_queue_create(vm, engine, 0, queue),
			     VK_ERROR_INITIALIZATION_FAILED);
}

void
svk_ws_queue_destroy(struct svmgpu_queue *queue)
{
	if (queue)
		svmgpu_queue_destroy(queue);
}

bool
svk_ws_queue_lost(struct svmgpu_queue *queue)
{
	struct svmgpu_queue_state st;

	return !svmgpu_queue_get_state(queue, &st) && st.banned;
}

VkResult
svk_ws_exec(struct svmgpu_queue *queue, uint64_t batch, uint64_t size,
	    const struct svmgpu_sync *waits, uint32_t num_waits,
	    const struct svmgpu_sync *signals, uint32_t num_signals)
{
	struct svmgpu_exec_info info = {
		.batch_address = batch,
		.batch_size = size,
		.waits = waits,
		.num_waits = num_waits,
		.signals = signals,
		.num_signals = num_signals,
	};
	int err = svmgpu_exec_submit(queue, &info);

	if (err == -EINTR || err == -EAGAIN)
		err = svmgpu_exec_submit(queue, &info);
	return svk_ws_result(err, VK_ERROR_DEVICE_LOST);
}

VkResult
svk_ws_syncobj_create(struct svmgpu_device *dev, bool signaled,
		      uint32_t *handle)
{
	return svk_ws_result(svmgpu_syncobj_create(dev,
			signaled ? SVMGPU_SYNCOBJ_CREATE_SIGNALED : 0, handle),
			VK_ERROR_OUT_OF_HOST_MEMORY);
}

void
svk_ws_syncobj_destroy(struct svmgpu_device *dev, uint32_t handle)
{
	svmgpu_syncobj_destroy(dev, handle);
}

VkResult
svk_ws_syncobj_reset(struct svmgpu_device *dev, uint32_t handle)
{
	/* DRM core ioctl; libsvmgpu has no wrapper for it. */
	int err = drmSyncobjReset(svmgpu_device_get_fd(dev), &handle, 1);

	return svk_ws_result(err ? -errno : 0, VK_ERROR_OUT_OF_HOST_MEMORY);
}

VkResult
svk_ws_syncobj_signal(struct svmgpu_device *dev, uint32_t handle,
		      uint64_t point)
{
	return svk_ws_result(svmgpu_syncobj_signal(dev, handle, point),
			     VK_ERROR_OUT_OF_HOST_MEMORY);
}

VkResult
svk_ws_syncobj_query(struct svmgpu_device *dev, uint32_t handle,
		     uint64_t *point)
{
	return svk_ws_result(svmgpu_syncobj_query(dev, handle, point),
			     VK_ERROR_DEVICE_LOST);
}

VkResult
svk_ws_syncobj_wait(struct svmgpu_device *dev, const uint32_t *handles,
		    const uint64_t *points, uint32_t count,
		    uint64_t timeout_ns, bool wait_all)
{
	int64_t t = timeout_ns > (uint64_t)INT64_MAX ? SVMGPU_TIMEOUT_INFINITE :
						       (int64_t)timeout_ns;
	uint32_t flags = SVMGPU_SYNCOBJ_WAIT_FOR_SUBMIT |
			 (wait_all ? SVMGPU_SYNCOBJ_WAIT_ALL : 0);
	int err;

	do {
		if (points)
			err = svmgpu_syncobj_timeline_wait(dev, handles, points,
							   count, t, flags, NULL);
		else
			err = svmgpu_syncobj_wait(dev, handles, count, t, flags,
						  NULL);
	} while (err == -EINTR || err == -ERESTART);
	if (err == -ETIME || err == -ETIMEDOUT)
		return VK_TIMEOUT;
	return svk_ws_result(err, VK_ERROR_DEVICE_LOST);
}

int
svk_ws_syncobj_signaled(struct svmgpu_device *dev, uint32_t handle,
			uint64_t point)
{
	int err, status;

	err = svmgpu_syncobj_status(dev, handle, point, &status);
	if (err == -EBUSY || err == -EINVAL)	/* pending, or no fence yet */
		return 0;
	if (err)
		return err;
	return status ? status : 1;
}

VkResult
svk_ws_cmdbuf_create(struct svmgpu_bo *bo, uint64_t size, uint64_t va,
		     struct svmgpu_cmdbuf **cmdbuf)
{
	return svk_ws_result(svmgpu_cmdbuf_create(bo, 0, size, va, cmdbuf),
			     VK_ERROR_OUT_OF_HOST_MEMORY);
}

VkResult
svk_ws_syncobj_wait_submitted(struct svmgpu_device *dev, const uint32_t *handles,
			      const uint64_t *points, uint32_t count,
			      uint64_t timeout_ns, bool wait_all)
{
	int64_t t = timeout_ns > (uint64_t)INT64_MAX ? SVMGPU_TIMEOUT_INFINITE :
						       (int64_t)timeout_ns;
	uint32_t flags = SVMGPU_SYNCOBJ_WAIT_FOR_SUBMIT |
			 SVMGPU_SYNCOBJ_WAIT_AVAILABLE |
			 (wait_all ? SVMGPU_SYNCOBJ_WAIT_ALL : 0);
	int err;

	do {
		err = svmgpu_syncobj_timeline_wait(dev, handles, points, count,
						   t, flags, NULL);
	} while (err == -EINTR || err == -ERESTART);
	if (err == -ETIME || err == -ETIMEDOUT)
		return VK_TIMEOUT;
	return svk_ws_result(err, VK_ERROR_DEVICE_LOST);
}

VkResult
svk_ws_syncobj_share(struct svmgpu_device *dev, uint32_t handle,
		     uint32_t *copy)
{
	/* DRM core ioctls: the syncobj's file, imported again */
	int fd, err;

	err = drmSyncobjHandleToFD(svmgpu_device_get_fd(dev), handle, &fd);
	if (err)
		return svk_ws_result(-errno, VK_ERROR_OUT_OF_HOST_MEMORY);
	err = drmSyncobjFDToHandle(svmgpu_device_get_fd(dev), fd, copy);
	if (err)
		err = -errno;
	close(fd);
	return svk_ws_result(err, VK_ERROR_OUT_OF_HOST_MEMORY);
}

VkResult
svk_ws_syncobj_copy_fence(struct svmgpu_device *dev, uint32_t dst,
			  uint32_t src)
{
	/* DRM core ioctl (binary to binary); libsvmgpu has no wrapper. */
	int err = drmSyncobjTransfer(svmgpu_device_get_fd(dev), dst, 0, src, 0, 0);

	if (err)
		err = -errno;
	if (err == -EINVAL)	/* @src has no fence */
		return VK_NOT_READY;
	return svk_ws_result(err, VK_ERROR_OUT_OF_HOST_MEMORY);
}

/* ------------------------------------------------------------------ */
/* Fault-mode VMs, user fences and queue state (svk_svm.h users).
 * These return negative errnos: the callers decide (-EBUSY ring full,
 * -EFAULT of a prefetch, -EIO of a banned queue, ...). */

int
svk_ws_vm_create_fault(struct svmgpu_device *dev, struct svmgpu_vm **vm)
{
	return svmgpu_vm_create(dev, SVMGPU_VM_CREATE_FAULT_MODE, vm);
}

int
svk_ws_vm_mirror(struct svmgpu_vm *vm, uint64_t va, uint64_t size)
{
	return svmgpu_vm_mirror(vm, va, size);
}

int
svk_ws_vm_prefetch(struct svmgpu_vm *vm, uint64_t va, uint64_t size)
{
	return svmgpu_vm_prefetch(vm, va, size);
}

int
svk_ws_vm_set_attrs(struct svmgpu_vm *vm, uint64_t start, uint64_t size,
		    const struct svmgpu_vm_attr *attrs, uint32_t count)
{
	return svmgpu_vm_set_attrs(vm, start, size, attrs, count);
}

int
svk_ws_vm_get_attrs(struct svmgpu_vm *vm, uint64_t start, uint64_t size,
		    struct svmgpu_vm_attr *attrs, uint32_t count)
{
	return svmgpu_vm_get_attrs(vm, start, size, attrs, count);
}

int
svk_ws_exec_raw_waits(struct svmgpu_queue *queue, uint64_t batch,
		      uint64_t size, const struct svmgpu_sync *waits,
		      uint32_t num_waits)
{
	struct svmgpu_exec_info info = {
		.batch_address = batch,
		.batch_size = size,
		.waits = waits,
		.num_waits = num_waits,
	};
	int err;

	do {
		err = svmgpu_exec_submit(queue, &info);
	} while (err == -EINTR || err == -EAGAIN);
	return err;
}

int
svk_ws_user_fence_wait(struct svmgpu_device *dev, const volatile uint64_t *addr,
		       uint64_t value, struct svmgpu_queue *queue,
		       int64_t *timeout_ns)
{
	return svmgpu_user_fence_wait(dev, addr, SVMGPU_UFENCE_GTE, value,
				      ~0ull, queue, timeout_ns);
}

int
svk_ws_user_fence_wake(struct svmgpu_device *dev)
{
	return svmgpu_user_fence_wake(dev);
}

int
svk_ws_queue_state(struct svmgpu_queue *queue, struct svmgpu_queue_state *st)
{
	return svmgpu_queue_get_state(queue, st);
}

int
svk_ws_cmdbuf_create_at(struct svmgpu_bo *bo, uint64_t offset, uint64_t size,
			uint64_t va, struct svmgpu_cmdbuf **cmdbuf)
{
	return svmgpu_cmdbuf_create(bo, offset, size, va, cmdbuf);
}

/* External memory and synchronisation (external_memory.c,
 * external_sync.c). A handle the kernel refuses is
 * VK_ERROR_INVALID_EXTERNAL_HANDLE; running out of descriptors is
 * VK_ERROR_TOO_MANY_OBJECTS. */

static VkResult
ws_external_result(int err)
{
	switch (err) {
	case 0:
		return VK_SUCCESS;
	case -ENOMEM:
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	case -EMFILE:
	case -ENFILE:
		return VK_ERROR_TOO_MANY_OBJECTS;
	default:
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	}
}

VkResult
svk_ws_bo_import(struct svmgpu_device *dev, int fd, struct svmgpu_bo **bo,
		 uint64_t *size, void **map)
{
	int err = svmgpu_bo_import(dev, fd, bo);

	if (err)
		return ws_external_result(err);
	err = svmgpu_bo_get_size(*bo, size);
	if (!err && map)
		err = svmgpu_bo_map(*bo, map);
	if (err) {
		svmgpu_bo_destroy(*bo);
		return err == -ENOMEM ? VK_ERROR_OUT_OF_HOST_MEMORY :
					VK_ERROR_INVALID_EXTERNAL_HANDLE;
	}
	return VK_SUCCESS;
}

VkResult
svk_ws_bo_export(struct svmgpu_bo *bo, int *fd)
{
	return ws_external_result(svmgpu_bo_export(bo, fd));
}

VkResult
svk_ws_vm_map_userptr(struct svmgpu_vm *vm, const void *ptr, uint64_t va,
		      uint64_t size)
{
	int err;

	do {
		err = svmgpu_vm_map_userptr(vm, ptr, va, size, 0);
	} while (err == -EINTR || err == -EAGAIN);
	/* -EFAULT: not (writable) user memory, or device memory. */
	if (err == -ENOSPC)
		return VK_ERROR_OUT_OF_DEVICE_MEMORY;
	return ws_external_result(err);
}

VkResult
svk_ws_syncobj_export_sync_file(struct svmgpu_device *dev, uint32_t handle,
				int *fd)
{
	int err = svmgpu_syncobj_export_sync_file(dev, handle, 0, fd);

	/* -EINVAL: no fence yet, which the application must not ask for */
	return ws_external_result(err);
}

VkResult
svk_ws_syncobj_import_sync_file(struct svmgpu_device *dev, uint32_t handle,
				int fd)
{
	return ws_external_result(svmgpu_syncobj_import_sync_file(dev, handle,
								  0, fd));
}

VkResult
svk_ws_syncobj_export_fd(struct svmgpu_device *dev, uint32_t handle, int *fd)
{
	/* DRM core ioctl (DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD); no library
	 * wrapper. libdrm returns -1 with errno set. */
	int err = drmSyncobjHandleToFD(svmgpu_device_get_fd(dev), handle, fd);

	return ws_external_result(err ? -errno : 0);
}

VkResult
svk_ws_syncobj_import_fd(struct svmgpu_device *dev, int fd, uint32_t *handle)
{
	int err = drmSyncobjFDToHandle(svmgpu_device_get_fd(dev), fd, handle);

	return ws_external_result(err ? -errno : 0);
}
