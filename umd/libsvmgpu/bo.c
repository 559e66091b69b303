// SPDX-License-Identifier: MIT
/*
 * bo.c - buffer objects: creation, PRIME import and export, CPU mapping.
 *
 * A GEM handle is not reference counted by the kernel: closing it once
 * drops it, whoever else in the process still uses it. Importing a
 * dma-buf of a GEM object the file already has a handle for returns that
 * handle again. So, like libdrm_amdgpu, each device keeps a table from
 * GEM handle to struct svmgpu_bo: an import that gets a known handle
 * returns the known BO with one more reference, and the handle is closed
 * only with the BO's last reference. The table lookup, the import ioctl
 * and the final close all run under the device's bo_lock, so an import
 * racing with the last destroy of the same object is safe.
 *
 * The CPU mapping is made on first use, installed by compare-and-swap
 * (a thread that loses the race unmaps its own), and removed with the
 * last reference.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "svmgpu_priv.h"

/* Makes room for @handle in the table. Caller holds bo_lock. */
static int svmgpu_bo_table_reserve(struct svmgpu_device *dev, uint32_t handle)
{
	struct svmgpu_bo **grown;
	uint32_t size;

	if (handle < dev->bo_table_size)
		return 0;
	size = dev->bo_table_size ? dev->bo_table_size : 64;
	while (size <= handle) {
		if (size > UINT32_MAX / 2)
			return -ENOMEM;
		size *= 2;
	}
	grown = realloc(dev->bo_table, size * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	memset(grown + dev->bo_table_size, 0,
	       (size - dev->bo_table_size) * sizeof(*grown));
	dev->bo_table = grown;
	dev->bo_table_size = size;
	return 0;
}

static void svmgpu_gem_close(struct svmgpu_device *dev, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	svmgpu_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &args);
}

/*
 * Wraps the new handle @handle in a BO and enters it in the table.
 * Caller holds bo_lock; on failure the handle is closed.
 */
static int svmgpu_bo_wrap_locked(struct svmgpu_device *dev, uint32_t handle,
				 uint64_t size, struct svmgpu_bo **out)
{
	struct svmgpu_bo *bo;
	int ret;

	ret = svmgpu_bo_table_reserve(dev, handle);
	if (ret)
		goto err_close;
	bo = calloc(1, sizeof(*bo));
	if (!bo) {
		ret = -ENOMEM;
		goto err_close;
	}
	bo->dev = dev;
	bo->handle = handle;
	bo->size = size;
	atomic_init(&bo->refcount, 1);
	atomic_init(&bo->map, NULL);
	svmgpu_device_get(dev);
	dev->bo_table[handle] = bo;
	*out = bo;
	return 0;

err_close:
	svmgpu_gem_close(dev, handle);
	return ret;
}

SVMGPU_PUBLIC int svmgpu_bo_create(struct svmgpu_device *dev, uint64_t size,
				   uint32_t flags, struct svmgpu_bo **bo)
{
	struct drm_svmgpu_gem_create args = { .size = size, .flags = flags };
	int ret;

	if (!dev || !bo || !size || size > dev->info.max_bo_size)
		return -EINVAL;

	ret = svmgpu_ioctl(dev->fd, DRM_IOCTL_SVMGPU_GEM_CREATE, &args);
	if (ret)
		return ret;
	pthread_mutex_lock(&dev->bo_lock);
	ret = svmgpu_bo_wrap_locked(dev, args.handle, args.size, bo);
	pthread_mutex_unlock(&dev->bo_lock);
	return ret;
}

SVMGPU_PUBLIC int svmgpu_bo_import(struct svmgpu_device *dev, int dmabuf_fd,
				   struct svmgpu_bo **bo)
{
	struct drm_prime_handle args = { .fd = dmabuf_fd };
	struct svmgpu_bo *found;
	off_t size;
	int ret;

	if (!dev || !bo || dmabuf_fd < 0)
		return -EINVAL;

	/* A dma-buf's size is its file's size. */
	size = lseek(dmabuf_fd, 0, SEEK_END);
	if (size < 0)
		return -errno;
	if (size == 0)
		return -EINVAL;

	pthread_mutex_lock(&dev->bo_lock);
	ret = svmgpu_ioctl(dev->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args);
	if (ret)
		goto out_unlock;
	found = args.handle < dev->bo_table_size ? dev->bo_table[args.handle] :
						    NULL;
	if (found) {
		/* A known object: the same BO. Its refcount is > 0 here. */
		atomic_fetch_add(&found->refcount, 1);
		*bo = found;
	} else {
		ret = svmgpu_bo_wrap_locked(dev, args.handle, size, bo);
	}
out_unlock:
	pthread_mutex_unlock(&dev->bo_lock);
	return ret;
}

SVMGPU_PUBLIC int svmgpu_bo_ref(struct svmgpu_bo *bo)
{
	if (!bo)
		return -EINVAL;
	atomic_fetch_add(&bo->refcount, 1);
	return 0;
}

SVMGPU_PUBLIC int svmgpu_bo_destroy(struct svmgpu_bo *bo)
{
	struct svmgpu_device *dev;
	void *map;

	if (!bo)
		return -EINVAL;
	dev = bo->dev;

	pthread_mutex_lock(&dev->bo_lock);
	if (atomic_fetch_sub(&bo->refcount, 1) != 1) {
		pthread_mutex_unlock(&dev->bo_lock);
		return 0;
	}
	dev->bo_table[bo->handle] = NULL;
	map = atomic_load(&bo->map);
	if (map)
		munmap(map, bo->size);
	svmgpu_gem_close(dev, bo->handle);
	pthread_mutex_unlock(&dev->bo_lock);

	free(bo);
	svmgpu_device_put(dev);
	return 0;
}

SVMGPU_PUBLIC int svmgpu_bo_map(struct svmgpu_bo *bo, void **ptr)
{
	struct drm_svmgpu_gem_mmap_offset args;
	void *map, *expected = NULL;
	int ret;

	if (!bo || !ptr)
		return -EINVAL;

	map = atomic_load(&bo->map);
	if (map) {
		*ptr = map;
		return 0;
	}

	args = (struct drm_svmgpu_gem_mmap_offset){ .handle = bo->handle };
	ret = svmgpu_ioctl(bo->dev->fd, DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, &args);
	if (ret)
		return ret;
	map = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   bo->dev->fd, args.offset);
	if (map == MAP_FAILED)
		return -errno;

	if (!atomic_compare_exchange_strong(&bo->map, &expected, map)) {
		/* Another thread mapped it first: use theirs. */
		munmap(map, bo->size);
		map = expected;
	}
	*ptr = map;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_bo_get_handle(struct svmgpu_bo *bo, uint32_t *handle)
{
	if (!bo || !handle)
		return -EINVAL;
	*handle = bo->handle;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_bo_get_size(struct svmgpu_bo *bo, uint64_t *size)
{
	if (!bo || !size)
		return -EINVAL;
	*size = bo->size;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_bo_export(struct svmgpu_bo *bo, int *dmabuf_fd)
{
	struct drm_prime_handle args;
	int ret;

	if (!bo || !dmabuf_fd)
		return -EINVAL;
	args = (struct drm_prime_handle){
		.handle = bo->handle,
		.flags = DRM_CLOEXEC | DRM_RDWR,
	};
	ret = svmgpu_ioctl(bo->dev->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args);
	if (ret)
		return ret;
	*dmabuf_fd = args.fd;
	return 0;
}
