// SPDX-License-Identifier: MIT
/*
 * sync.c - syncobjs: thin wrappers over the DRM core's syncobj ioctls.
 *
 * What the library adds: timeouts relative to now (the ioctls take an
 * absolute CLOCK_MONOTONIC time), sync_file export and import at a
 * timeline point (through a temporary binary syncobj and
 * DRM_IOCTL_SYNCOBJ_TRANSFER, as Mesa does), and svmgpu_syncobj_status(),
 * which reads whether a fence signalled with an error from a sync_file's
 * SYNC_IOC_FILE_INFO: a job's fence carries -EFAULT, -ETIMEDOUT or -EIO
 * when its queue failed, and that is the only way to see it.
 *
 * All ioctls go through drmIoctl(), which restarts them when a signal
 * interrupts them.
 */

#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "svmgpu_priv.h"

/* The absolute CLOCK_MONOTONIC time @timeout_ns from now, saturated. */
static int64_t svmgpu_abs_timeout(int64_t timeout_ns)
{
	struct timespec now;
	int64_t now_ns;

	if (timeout_ns == SVMGPU_TIMEOUT_INFINITE)
		return INT64_MAX;
	clock_gettime(CLOCK_MONOTONIC, &now);
	now_ns = (int64_t)now.tv_sec * 1000000000ll + now.tv_nsec;
	if (timeout_ns > INT64_MAX - now_ns)
		return INT64_MAX;
	return now_ns + timeout_ns;
}

SVMGPU_PUBLIC int svmgpu_syncobj_create(struct svmgpu_device *dev,
					uint32_t flags, uint32_t *handle)
{
	struct drm_syncobj_create args = { .flags = flags };
	int ret;

	if (!dev || !handle || (flags & ~SVMGPU_SYNCOBJ_CREATE_SIGNALED))
		return -EINVAL;
	ret = svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_CREATE, &args);
	if (!ret)
		*handle = args.handle;
	return ret;
}

SVMGPU_PUBLIC int svmgpu_syncobj_destroy(struct svmgpu_device *dev,
					 uint32_t handle)
{
	struct drm_syncobj_destroy args = { .handle = handle };

	if (!dev)
		return -EINVAL;
	return svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &args);
}

SVMGPU_PUBLIC int svmgpu_syncobj_wait(struct svmgpu_device *dev,
				      const uint32_t *handles, uint32_t count,
				      int64_t timeout_ns, uint32_t flags,
				      uint32_t *first_signaled)
{
	struct drm_syncobj_wait args;
	int ret;

	if (!dev || !handles || !count || timeout_ns < 0 ||
	    (flags & ~(SVMGPU_SYNCOBJ_WAIT_ALL | SVMGPU_SYNCOBJ_WAIT_FOR_SUBMIT)))
		return -EINVAL;
	args = (struct drm_syncobj_wait){
		.handles = u64_ptr(handles),
		.timeout_nsec = svmgpu_abs_timeout(timeout_ns),
		.count_handles = count,
		.flags = flags,
	};
	ret = svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_WAIT, &args);
	if (!ret && first_signaled)
		*first_signaled = args.first_signaled;
	return ret;
}

SVMGPU_PUBLIC int svmgpu_syncobj_timeline_wait(struct svmgpu_device *dev,
					       const uint32_t *handles,
					       const uint64_t *points,
					       uint32_t count,
					       int64_t timeout_ns,
					       uint32_t flags,
					       uint32_t *first_signaled)
{
	struct drm_syncobj_timeline_wait args;
	int ret;

	if (!dev || !handles || !points || !count || timeout_ns < 0 ||
	    (flags & ~(SVMGPU_SYNCOBJ_WAIT_ALL | SVMGPU_SYNCOBJ_WAIT_FOR_SUBMIT |
		       SVMGPU_SYNCOBJ_WAIT_AVAILABLE)))
		return -EINVAL;
	args = (struct drm_syncobj_timeline_wait){
		.handles = u64_ptr(handles),
		.points = u64_ptr(points),
		.timeout_nsec = svmgpu_abs_timeout(timeout_ns),
		.count_handles = count,
		.flags = flags,
	};
	ret = svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &args);
	if (!ret && first_signaled)
		*first_signaled = args.first_signaled;
	return ret;
}

SVMGPU_PUBLIC int svmgpu_syncobj_signal(struct svmgpu_device *dev,
					uint32_t handle, uint64_t point)
{
	if (!dev)
		return -EINVAL;
	if (!point) {
		struct drm_syncobj_array args = {
			.handles = u64_ptr(&handle),
			.count_handles = 1,
		};

		return svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &args);
	} else {
		struct drm_syncobj_timeline_array args = {
			.handles = u64_ptr(&handle),
			.points = u64_ptr(&point),
			.count_handles = 1,
		};

		return svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL,
				    &args);
	}
}

SVMGPU_PUBLIC int svmgpu_syncobj_query(struct svmgpu_device *dev,
				       uint32_t handle, uint64_t *point)
{
	struct drm_syncobj_timeline_array args;
	uint64_t value = 0;
	int ret;

	if (!dev || !point)
		return -EINVAL;
	args = (struct drm_syncobj_timeline_array){
		.handles = u64_ptr(&handle),
		.points = u64_ptr(&value),
		.count_handles = 1,
	};
	ret = svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_QUERY, &args);
	if (!ret)
		*point = value;
	return ret;
}

/* Moves the fence of @src at @src_point to @dst at @dst_point. */
static int svmgpu_syncobj_transfer(struct svmgpu_device *dev, uint32_t dst,
				   uint64_t dst_point, uint32_t src,
				   uint64_t src_point)
{
	struct drm_syncobj_transfer args = {
		.src_handle = src,
		.dst_handle = dst,
		.src_point = src_point,
		.dst_point = dst_point,
	};

	return svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &args);
}

/* Exports the fence of a binary syncobj as a sync_file. */
static int svmgpu_syncobj_export_binary(struct svmgpu_device *dev,
					uint32_t handle, int *fd)
{
	struct drm_syncobj_handle args = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	int ret;

	ret = svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &args);
	if (!ret)
		*fd = args.fd;
	return ret;
}

/* Replaces the fence of a binary syncobj with a sync_file's. */
static int svmgpu_syncobj_import_binary(struct svmgpu_device *dev,
					uint32_t handle, int fd)
{
	struct drm_syncobj_handle args = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
		.fd = fd,
	};

	return svmgpu_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &args);
}

SVMGPU_PUBLIC int svmgpu_syncobj_export_sync_file(struct svmgpu_device *dev,
						  uint32_t handle,
						  uint64_t point,
						  int *sync_file_fd)
{
	uint32_t tmp;
	int ret;

	if (!dev || !sync_file_fd)
		return -EINVAL;
	if (!point)
		return svmgpu_syncobj_export_binary(dev, handle, sync_file_fd);

	/* The point's fence, through a binary syncobj. */
	ret = svmgpu_syncobj_create(dev, 0, &tmp);
	if (ret)
		return ret;
	ret = svmgpu_syncobj_transfer(dev, tmp, 0, handle, point);
	if (!ret)
		ret = svmgpu_syncobj_export_binary(dev, tmp, sync_file_fd);
	svmgpu_syncobj_destroy(dev, tmp);
	return ret;
}

SVMGPU_PUBLIC int svmgpu_syncobj_import_sync_file(struct svmgpu_device *dev,
						  uint32_t handle,
						  uint64_t point,
						  int sync_file_fd)
{
	uint32_t tmp;
	int ret;

	if (!dev || sync_file_fd < 0)
		return -EINVAL;
	if (!point)
		return svmgpu_syncobj_import_binary(dev, handle, sync_file_fd);

	ret = svmgpu_syncobj_create(dev, 0, &tmp);
	if (ret)
		return ret;
	ret = svmgpu_syncobj_import_binary(dev, tmp, sync_file_fd);
	if (!ret)
		ret = svmgpu_syncobj_transfer(dev, handle, point, tmp, 0);
	svmgpu_syncobj_destroy(dev, tmp);
	return ret;
}

/*
 * The status of a sync_file: 1 signalled, 0 not yet, < 0 signalled with
 * that error. With the fences listed, the kernel folds the status of
 * every fence the file is made of (through fence chains and arrays); the
 * file's own status would miss an error inside a chain.
 */
static int svmgpu_sync_file_status(int fd, int *status)
{
	struct sync_file_info info = {};
	struct sync_fence_info *fences;
	int ret;

	if (ioctl(fd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	if (!info.num_fences) {
		*status = info.status;
		return 0;
	}
	fences = calloc(info.num_fences, sizeof(*fences));
	if (!fences)
		return -ENOMEM;
	info.status = 0;
	info.sync_fence_info = u64_ptr(fences);
	ret = ioctl(fd, SYNC_IOC_FILE_INFO, &info) ? -errno : 0;
	if (!ret)
		*status = info.status;
	free(fences);
	return ret;
}

SVMGPU_PUBLIC int svmgpu_syncobj_status(struct svmgpu_device *dev,
					uint32_t handle, uint64_t point,
					int *error)
{
	int fd, status = 0, ret;

	if (!dev || !error)
		return -EINVAL;
	ret = svmgpu_syncobj_export_sync_file(dev, handle, point, &fd);
	if (ret)
		return ret;
	ret = svmgpu_sync_file_status(fd, &status);
	close(fd);
	if (ret)
		return ret;
	if (!status)
		return -EBUSY;
	*error = status < 0 ? status : 0;
	return 0;
}
