// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_gem.c - buffer objects: shmem GEM objects, their ioctls, PRIME.
 */

/**
 * DOC: Buffer objects
 *
 * An svmgpu buffer object (&struct svmgpu_bo) is a GEM object backed by
 * shmem, built on the DRM shmem helpers: drm_gem_shmem_create() allocates
 * it through the driver's gem_create_object hook, svmgpu_gem_create_object(),
 * which gives every BO svmgpu's object functions. Userspace creates BOs with
 * DRM_IOCTL_SVMGPU_GEM_CREATE, maps them with the fake offset from
 * DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET and closes them with DRM_IOCTL_GEM_CLOSE.
 *
 * Memory. Creating a BO allocates no memory for its contents; the shmem
 * helpers allocate all of it, zeroed, the first time the BO is mapped by
 * the CPU, pinned (dma-buf attachment, GPU use) or mapped by the kernel,
 * and keep it while any of these lasts. Once the BO has a DMA-mapped
 * sg_table (svmgpu_bo_pin_pages()) its pages stay until the BO is freed:
 * the helpers hold the sg_table for the BO's lifetime. A BO larger than
 * the machine's RAM can never be made resident and is refused up front
 * with -ENOMEM.
 *
 * CPU mappings are shared (a private mapping would be copy-on-write, which
 * a BO cannot be) and cached: the virtual GPU reaches memory through the
 * CPU's caches, so nothing needs write-combining.
 *
 * PRIME. Exporting uses the GEM defaults: the dma-buf's attachments pin the
 * BO's pages and DMA-map them for the importing device, and an mmap() of
 * the dma-buf maps the BO as above. Importing a dma-buf of another device
 * goes through drm_gem_shmem_prime_import_sg_table(): the new BO keeps the
 * attachment's sg_table (mapped for the svmgpu device) and its reservation
 * object is the exporter's; a CPU mapping of it is forwarded to the
 * exporter's mmap. Importing a dma-buf the same device exported gives
 * back the BO itself (and, in a file that has a handle for it, that
 * handle).
 *
 * Locking. The shmem helpers protect a BO's pages, page count and kernel
 * mapping with its reservation lock (svmgpu_bo_resv()); the helpers this
 * file exports take it themselves, so callers must not hold it. The list
 * of a BO's drm_gpuvm_bos (the driver has DRIVER_GEM_GPUVA, so the GEM
 * core initialises it) is protected by the same lock: no custom lock is
 * set with drm_gem_gpuva_set_lock().
 */

#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>

#include "svmgpu_drm.h"
#include "svmgpu_gem.h"

/* drm_gem_shmem_free() frees the shmem object: it must start the BO. */
static_assert(offsetof(struct svmgpu_bo, base) == 0);

/* Rounding a valid size up to a page overflows neither u64 nor size_t. */
static_assert(DRM_SVMGPU_GEM_MAX_SIZE <= (SIZE_MAX & PAGE_MASK));

/*
 * The shmem helpers make a BO resident all at once: the first mmap, pin or
 * vmap allocates every page and an array pointing at them. A BO larger than
 * RAM can never get there; failing early spares the system the reclaim
 * storm of trying (and kvmalloc the array size it refuses with a warning).
 */
static bool svmgpu_bo_fits_ram(struct drm_gem_object *obj)
{
	return (obj->size >> PAGE_SHIFT) <= totalram_pages();
}

static int svmgpu_bo_pin(struct drm_gem_object *obj)
{
	if (!svmgpu_bo_fits_ram(obj))
		return -ENOMEM;
	return drm_gem_shmem_object_pin(obj);
}

static int svmgpu_bo_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	if (!drm_gem_is_imported(obj) && !svmgpu_bo_fits_ram(obj))
		return -ENOMEM;
	return drm_gem_shmem_object_vmap(obj, map);
}

static int svmgpu_bo_mmap(struct drm_gem_object *obj,
			  struct vm_area_struct *vma)
{
	if (!drm_gem_is_imported(obj) && !svmgpu_bo_fits_ram(obj))
		return -ENOMEM;
	return drm_gem_shmem_object_mmap(obj, vma);
}

static const struct drm_gem_object_funcs svmgpu_bo_funcs = {
	.free = drm_gem_shmem_object_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = svmgpu_bo_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = svmgpu_bo_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = svmgpu_bo_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * svmgpu_gem_create_object() - the driver's &drm_driver.gem_create_object.
 * @drm: the DRM device.
 * @size: size of the object, page-aligned (unused: the helpers set it).
 *
 * Allocates the BO the shmem helpers initialise, for created and imported
 * BOs alike.
 *
 * Return: the BO's GEM object, or ERR_PTR(-ENOMEM).
 */
struct drm_gem_object *svmgpu_gem_create_object(struct drm_device *drm,
						size_t size)
{
	struct svmgpu_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	bo->base.base.funcs = &svmgpu_bo_funcs;
	/* Cached CPU mappings: see the DOC above. */
	bo->base.map_wc = false;

	return svmgpu_bo_gem(bo);
}

/**
 * svmgpu_bo_create() - create a BO.
 * @drm: the DRM device.
 * @size: size in bytes, > 0; rounded up to a multiple of PAGE_SIZE.
 *
 * The BO has no memory until it is first used (see the DOC above). The
 * caller owns the one reference; svmgpu_bo_put() drops it.
 *
 * Context: process context; may sleep.
 * Return: the BO, or an ERR_PTR(): -ENOMEM, or -ENOSPC when the device's
 * space of mmap offsets cannot hold it.
 */
struct svmgpu_bo *svmgpu_bo_create(struct drm_device *drm, size_t size)
{
	struct drm_gem_shmem_object *shmem;

	shmem = drm_gem_shmem_create(drm, size);
	if (IS_ERR(shmem))
		return ERR_CAST(shmem);

	return to_svmgpu_bo(&shmem->base);
}

/**
 * svmgpu_bo_lookup() - look a BO up by handle.
 * @file: the DRM file the handle belongs to.
 * @handle: GEM handle.
 *
 * Context: any context where drm_gem_object_lookup() may be used.
 * Return: the BO with a reference the caller drops with svmgpu_bo_put(),
 * or NULL if @handle names no BO of @file.
 */
struct svmgpu_bo *svmgpu_bo_lookup(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	return obj ? to_svmgpu_bo(obj) : NULL;
}

/**
 * svmgpu_bo_pin_pages() - make a BO's memory resident for the GPU.
 * @bo: the BO; the caller holds a reference.
 *
 * Allocates the BO's pages if it has none yet, pins them and returns them
 * as an sg_table DMA-mapped for the svmgpu device (the GPU sits behind no
 * IOMMU: DMA addresses are physical addresses). The pages stay in place
 * until the matching svmgpu_bo_unpin_pages(); the table itself belongs to
 * the BO and must not be modified or freed.
 *
 * For an imported BO the table is the dma-buf attachment's: the exporter
 * pinned the pages for as long as the BO exists, and they are its pages, so
 * only the DMA addresses may be used, never the struct pages behind them.
 *
 * Context: process context; may sleep. Takes the BO's reservation lock:
 * the caller must not hold it (pin before drm_exec locks the BOs).
 * Return: the sg_table, or an ERR_PTR(): -ENOMEM when the memory cannot be
 * allocated (always for a BO larger than RAM), -EINTR or -ERESTARTSYS when
 * interrupted by a signal.
 */
struct sg_table *svmgpu_bo_pin_pages(struct svmgpu_bo *bo)
{
	struct drm_gem_shmem_object *shmem = &bo->base;
	struct sg_table *sgt;
	int ret;

	if (drm_gem_is_imported(&shmem->base))
		return shmem->sgt;

	if (!svmgpu_bo_fits_ram(&shmem->base))
		return ERR_PTR(-ENOMEM);

	ret = drm_gem_shmem_pin(shmem);
	if (ret)
		return ERR_PTR(ret);

	sgt = drm_gem_shmem_get_pages_sgt(shmem);
	if (IS_ERR(sgt))
		drm_gem_shmem_unpin(shmem);
	return sgt;
}

/**
 * svmgpu_bo_unpin_pages() - undo one svmgpu_bo_pin_pages().
 * @bo: the BO, pinned by the caller.
 *
 * Context: process context; may sleep. Takes the BO's reservation lock:
 * the caller must not hold it.
 */
void svmgpu_bo_unpin_pages(struct svmgpu_bo *bo)
{
	if (drm_gem_is_imported(svmgpu_bo_gem(bo)))
		return;

	drm_gem_shmem_unpin(&bo->base);
}

/**
 * svmgpu_ioctl_gem_create() - DRM_IOCTL_SVMGPU_GEM_CREATE.
 * @drm: the DRM device.
 * @data: &struct drm_svmgpu_gem_create.
 * @file: the DRM file that gets the handle.
 *
 * Return: 0 or a negative errno, as documented in svmgpu_drm.h.
 */
int svmgpu_ioctl_gem_create(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct drm_svmgpu_gem_create *args = data;
	struct svmgpu_bo *bo;
	size_t size;
	u32 handle;
	int ret;

	if (args->flags || args->extensions)
		return -EINVAL;
	if (!args->size || args->size > DRM_SVMGPU_GEM_MAX_SIZE)
		return -EINVAL;
	size = PAGE_ALIGN(args->size);

	bo = svmgpu_bo_create(drm, size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	ret = drm_gem_handle_create(file, svmgpu_bo_gem(bo), &handle);
	/*
	 * The handle holds its own reference; without one the BO dies here.
	 * Either way @bo is not ours any more: another thread may close the
	 * handle as soon as it exists.
	 */
	svmgpu_bo_put(bo);
	if (ret)
		return ret;

	args->size = size;
	args->handle = handle;
	return 0;
}

/**
 * svmgpu_ioctl_gem_mmap_offset() - DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET.
 * @drm: the DRM device.
 * @data: &struct drm_svmgpu_gem_mmap_offset.
 * @file: the DRM file the handle belongs to.
 *
 * Imported BOs have an offset too: mapping one maps the exporter's memory.
 *
 * Return: 0 or a negative errno, as documented in svmgpu_drm.h.
 */
int svmgpu_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct drm_svmgpu_gem_mmap_offset *args = data;
	struct svmgpu_bo *bo;
	int ret;

	if (args->flags)
		return -EINVAL;

	bo = svmgpu_bo_lookup(file, args->handle);
	if (!bo)
		return -ENOENT;

	/* The helpers created the offset with the BO; this only reads it. */
	ret = drm_gem_create_mmap_offset(svmgpu_bo_gem(bo));
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&svmgpu_bo_gem(bo)->vma_node);

	svmgpu_bo_put(bo);
	return ret;
}
