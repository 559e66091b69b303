/* SPDX-License-Identifier: MIT */
/*
 * svmgpu_drm.h - userspace interface of the svmgpu DRM render driver.
 *
 * Shared by the kernel module (kmd/) and userspace (umd/, tests/).
 */
#ifndef _UAPI_SVMGPU_DRM_H_
#define _UAPI_SVMGPU_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Introduction
 *
 * svmgpu is a render-only DRM driver for a virtual GPU whose MMU mirrors
 * the CPU page tables. Userspace talks to it through the render node
 * (``/dev/dri/renderD*``) whose DRM_IOCTL_VERSION name is ``svmgpu``.
 *
 * Rules every ioctl of this header follows, and every future one must:
 *
 * - Ioctl numbers are append-only. A number, once released, is never
 *   reused or given another argument layout.
 * - Every argument structure is a multiple of 8 bytes with explicit
 *   padding. Padding and reserved fields are "must be zero" (MBZ): the
 *   kernel rejects non-zero values with -EINVAL, so they can gain a
 *   meaning later without breaking old userspace.
 * - Fields are marked (in) or (out). The kernel validates every (in)
 *   field before it has any side effect: an ioctl that fails has changed
 *   nothing.
 * - User pointers are passed as __u64. Arrays are passed as a pointer, a
 *   count and a stride, so elements can grow at the end.
 * - Structures that may grow take an extension chain through a __u64
 *   ``extensions`` field pointing to a &struct drm_svmgpu_ext_header.
 * - Unknown flags, parameters or extension names are rejected with
 *   -EINVAL; userspace discovers what the kernel supports with
 *   DRM_IOCTL_SVMGPU_GET_PARAM and never guesses.
 */

/**
 * DOC: Error codes shared by all ioctls
 *
 * - -EINVAL: a flag, parameter, padding or reserved field is not valid.
 * - -EFAULT: a user pointer could not be read or written.
 * - -ENOTTY: the ioctl number is not known to this driver (returned by
 *   the DRM core for numbers outside the driver's table).
 */

/**
 * struct drm_svmgpu_ext_header - start of every extension structure.
 *
 * Extension structures chain through @next; the chain ends with 0.
 */
struct drm_svmgpu_ext_header {
	/** @next: (in) user pointer to the next extension, or 0. */
	__u64 next;
	/** @name: (in) which extension this is. */
	__u32 name;
	/** @pad: MBZ. */
	__u32 pad;
};

#define DRM_SVMGPU_GET_PARAM		0x00
#define DRM_SVMGPU_GEM_CREATE		0x01
#define DRM_SVMGPU_GEM_MMAP_OFFSET	0x02

#define DRM_IOCTL_SVMGPU_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_GET_PARAM, \
		 struct drm_svmgpu_get_param)
#define DRM_IOCTL_SVMGPU_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_GEM_CREATE, \
		 struct drm_svmgpu_gem_create)
#define DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_GEM_MMAP_OFFSET, \
		 struct drm_svmgpu_gem_mmap_offset)

/**
 * enum drm_svmgpu_param - device capabilities readable with
 * DRM_IOCTL_SVMGPU_GET_PARAM.
 *
 * Values are read from the device's identification and capability
 * registers (see include/hw/svmgpu_regs.h and docs/hardware.md), so they
 * describe the hardware instance behind the render node.
 */
enum drm_svmgpu_param {
	/**
	 * @DRM_SVMGPU_PARAM_HW_REVISION: hardware interface revision,
	 * (major << 16) | minor. Userspace built for major M works with any
	 * minor of M.
	 */
	DRM_SVMGPU_PARAM_HW_REVISION = 0,
	/** @DRM_SVMGPU_PARAM_VA_BITS: width of a GPU virtual address. */
	DRM_SVMGPU_PARAM_VA_BITS = 1,
	/**
	 * @DRM_SVMGPU_PARAM_PAGE_SIZES: bitmask of the page sizes the MMU
	 * can map; bit n set means pages of 2^n bytes.
	 */
	DRM_SVMGPU_PARAM_PAGE_SIZES = 2,
	/**
	 * @DRM_SVMGPU_PARAM_NUM_ENGINES: number of command engines the
	 * hardware instance has.
	 */
	DRM_SVMGPU_PARAM_NUM_ENGINES = 3,
	/**
	 * @DRM_SVMGPU_PARAM_DEVICE_INDEX: index of this device among the
	 * svmgpu devices of the system (0 .. devices-1).
	 */
	DRM_SVMGPU_PARAM_DEVICE_INDEX = 4,
	/** @DRM_SVMGPU_PARAM_COUNT: number of parameters; not a parameter. */
	DRM_SVMGPU_PARAM_COUNT,
};

/**
 * struct drm_svmgpu_get_param - argument of DRM_IOCTL_SVMGPU_GET_PARAM.
 *
 * Reads one device capability.
 *
 * Errors:
 *
 * - -EINVAL: @param is not an &enum drm_svmgpu_param value, or @pad is
 *   not zero.
 */
struct drm_svmgpu_get_param {
	/** @param: (in) an &enum drm_svmgpu_param value. */
	__u32 param;
	/** @pad: MBZ. */
	__u32 pad;
	/** @value: (out) the parameter's value. */
	__u64 value;
};

/**
 * DOC: Buffer objects
 *
 * Buffer objects (BOs) are GEM objects backed by shmem (swappable system
 * memory). They are created with DRM_IOCTL_SVMGPU_GEM_CREATE, mapped by the
 * CPU through the fake offset DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET returns,
 * closed with DRM_IOCTL_GEM_CLOSE and shared with other devices through
 * PRIME (DRM_IOCTL_PRIME_HANDLE_TO_FD / FD_TO_HANDLE, dma-buf).
 */

/** DRM_SVMGPU_GEM_MAX_SIZE - largest BO size DRM_IOCTL_SVMGPU_GEM_CREATE accepts. */
#define DRM_SVMGPU_GEM_MAX_SIZE		(1ull << 40)

/**
 * struct drm_svmgpu_gem_create - argument of DRM_IOCTL_SVMGPU_GEM_CREATE.
 *
 * Creates a BO. Its pages are allocated on first use and are zero.
 *
 * Errors:
 *
 * - -EINVAL: @size is 0 or larger than %DRM_SVMGPU_GEM_MAX_SIZE, @flags
 *   has an unknown bit, @pad or @extensions is not zero.
 * - -ENOMEM: out of memory.
 */
struct drm_svmgpu_gem_create {
	/**
	 * @size: (in/out) size in bytes; rounded up to a multiple of the
	 * page size, and the rounded size written back.
	 */
	__u64 size;
	/** @flags: (in) none defined yet: MBZ. */
	__u32 flags;
	/** @handle: (out) GEM handle of the new BO. */
	__u32 handle;
	/** @extensions: (in) extension chain; none defined yet: MBZ. */
	__u64 extensions;
};

/**
 * struct drm_svmgpu_gem_mmap_offset - argument of
 * DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET.
 *
 * Returns the fake offset to pass to mmap() on the DRM file to map a BO
 * into the CPU's address space (cached, shared).
 *
 * Errors:
 *
 * - -EINVAL: @flags or @pad is not zero.
 * - -ENOENT: @handle names no BO of this file.
 */
struct drm_svmgpu_gem_mmap_offset {
	/** @handle: (in) GEM handle. */
	__u32 handle;
	/** @flags: (in) MBZ. */
	__u32 flags;
	/** @offset: (out) fake offset for mmap(). */
	__u64 offset;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_SVMGPU_DRM_H_ */
