/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_gem.h - buffer objects of the svmgpu driver.
 */
#ifndef SVMGPU_GEM_H
#define SVMGPU_GEM_H

#include <drm/drm_gem_shmem_helper.h>

struct dma_resv;
struct drm_device;
struct drm_file;
struct sg_table;

/**
 * struct svmgpu_bo - an svmgpu buffer object.
 * @base: the shmem GEM object; @base.base is the GEM object.
 *
 * Every GEM object of an svmgpu device is an svmgpu_bo: the BOs the driver
 * creates and those it imports from another device's dma-buf alike (the
 * shmem helpers allocate both through the driver's gem_create_object hook).
 * An imported BO has no shmem pages of its own; its memory is the
 * exporter's, reached through @base.sgt.
 */
struct svmgpu_bo {
	struct drm_gem_shmem_object base;
};

/**
 * to_svmgpu_bo() - the svmgpu_bo of a GEM object.
 * @obj: a GEM object of an svmgpu device.
 *
 * Return: the BO that embeds @obj.
 */
static inline struct svmgpu_bo *to_svmgpu_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct svmgpu_bo, base.base);
}

/**
 * svmgpu_bo_gem() - the GEM object of a BO.
 * @bo: the BO.
 *
 * Return: the embedded GEM object, e.g. for drm_exec or the GEM refcount.
 */
static inline struct drm_gem_object *svmgpu_bo_gem(struct svmgpu_bo *bo)
{
	return &bo->base.base;
}

/**
 * svmgpu_bo_size() - size of a BO in bytes, a multiple of PAGE_SIZE.
 * @bo: the BO.
 *
 * Return: the size; constant for the BO's lifetime.
 */
static inline size_t svmgpu_bo_size(struct svmgpu_bo *bo)
{
	return bo->base.base.size;
}

/**
 * svmgpu_bo_resv() - the reservation object of a BO.
 * @bo: the BO.
 *
 * Implicit fencing goes through it: a job that uses @bo locks it (with
 * dma_resv_lock() or, for several BOs, drm_exec), reserves a fence slot
 * and adds its done-fence with DMA_RESV_USAGE_WRITE or _READ. For an
 * imported BO it is the exporter's reservation object, shared with every
 * other device that uses the buffer. The lock is a ww_mutex: it may sleep
 * and is taken before any notifier or hardware lock.
 *
 * Return: the reservation object; constant for the BO's lifetime.
 */
static inline struct dma_resv *svmgpu_bo_resv(struct svmgpu_bo *bo)
{
	return bo->base.base.resv;
}

/**
 * svmgpu_bo_put() - drop a reference to a BO.
 * @bo: the BO, or NULL.
 *
 * The BO is freed when the last reference (handle, mapping, dma-buf, or
 * the caller's) goes.
 */
static inline void svmgpu_bo_put(struct svmgpu_bo *bo)
{
	if (bo)
		drm_gem_object_put(svmgpu_bo_gem(bo));
}

struct drm_gem_object *svmgpu_gem_create_object(struct drm_device *drm,
						size_t size);
struct svmgpu_bo *svmgpu_bo_create(struct drm_device *drm, size_t size);
struct svmgpu_bo *svmgpu_bo_lookup(struct drm_file *file, u32 handle);

struct sg_table *svmgpu_bo_pin_pages(struct svmgpu_bo *bo);
void svmgpu_bo_unpin_pages(struct svmgpu_bo *bo);

int svmgpu_ioctl_gem_create(struct drm_device *drm, void *data,
			    struct drm_file *file);
int svmgpu_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
				 struct drm_file *file);

#endif /* SVMGPU_GEM_H */
