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
 * - -EINVAL: a flag, parameter, padding or reserved field is not valid;
 *   or the ioctl number is in the driver range but past the last ioctl
 *   of this header (the DRM core's answer, whatever the size, direction
 *   or argument).
 * - -EFAULT: a user pointer could not be read or written. The argument
 *   structure itself is read by the DRM core before the driver sees it,
 *   so a bad argument pointer has no effect. An (out) structure is
 *   written back after the ioctl did its work: if that write fails the
 *   ioctl returns -EFAULT although it took effect (a create ioctl's
 *   object then exists under an id userspace never learnt, until the
 *   file is closed).
 * - -ENOTTY: the ioctl type is not DRM's (returned by the DRM core).
 *
 * Argument sizes: the size encoded in the ioctl number may differ from
 * the structure's. A smaller structure is read as if its missing tail
 * were zero, and only its own bytes are written back. A larger one is
 * read up to the structure's size; the extra bytes are ignored and, for
 * ioctls that write back, returned unchanged. This is how old userspace
 * keeps working with a kernel whose structures grew at the end.
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
#define DRM_SVMGPU_VM_CREATE		0x03
#define DRM_SVMGPU_VM_DESTROY		0x04
#define DRM_SVMGPU_VM_BIND		0x05
#define DRM_SVMGPU_QUEUE_CREATE		0x06
#define DRM_SVMGPU_QUEUE_DESTROY	0x07
#define DRM_SVMGPU_QUEUE_GET_STATE	0x08
#define DRM_SVMGPU_EXEC			0x09
#define DRM_SVMGPU_WAIT_USER_FENCE	0x0a
#define DRM_SVMGPU_VM_QUERY		0x0b
#define DRM_SVMGPU_VM_ATTR		0x0c
#define DRM_SVMGPU_USER_FENCE_WAKE	0x0d

#define DRM_IOCTL_SVMGPU_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_GET_PARAM, \
		 struct drm_svmgpu_get_param)
#define DRM_IOCTL_SVMGPU_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_GEM_CREATE, \
		 struct drm_svmgpu_gem_create)
#define DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_GEM_MMAP_OFFSET, \
		 struct drm_svmgpu_gem_mmap_offset)
#define DRM_IOCTL_SVMGPU_VM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_VM_CREATE, \
		 struct drm_svmgpu_vm_create)
#define DRM_IOCTL_SVMGPU_VM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SVMGPU_VM_DESTROY, \
		struct drm_svmgpu_vm_destroy)
#define DRM_IOCTL_SVMGPU_VM_BIND \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SVMGPU_VM_BIND, \
		struct drm_svmgpu_vm_bind)
#define DRM_IOCTL_SVMGPU_QUEUE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_QUEUE_CREATE, \
		 struct drm_svmgpu_queue_create)
#define DRM_IOCTL_SVMGPU_QUEUE_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SVMGPU_QUEUE_DESTROY, \
		struct drm_svmgpu_queue_destroy)
#define DRM_IOCTL_SVMGPU_QUEUE_GET_STATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_QUEUE_GET_STATE, \
		 struct drm_svmgpu_queue_get_state)
#define DRM_IOCTL_SVMGPU_EXEC \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SVMGPU_EXEC, struct drm_svmgpu_exec)
#define DRM_IOCTL_SVMGPU_WAIT_USER_FENCE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_WAIT_USER_FENCE, \
		 struct drm_svmgpu_wait_user_fence)
#define DRM_IOCTL_SVMGPU_VM_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMGPU_VM_QUERY, \
		 struct drm_svmgpu_vm_query)
#define DRM_IOCTL_SVMGPU_VM_ATTR \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SVMGPU_VM_ATTR, \
		struct drm_svmgpu_vm_attr)
#define DRM_IOCTL_SVMGPU_USER_FENCE_WAKE \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SVMGPU_USER_FENCE_WAKE, \
		struct drm_svmgpu_user_fence_wake)

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
	/**
	 * @DRM_SVMGPU_PARAM_FEATURES: bitmask of DRM_SVMGPU_FEATURE_* the
	 * driver supports.
	 */
	DRM_SVMGPU_PARAM_FEATURES = 5,
	/** @DRM_SVMGPU_PARAM_COUNT: number of parameters; not a parameter. */
	DRM_SVMGPU_PARAM_COUNT,
};

/**
 * DRM_SVMGPU_FEATURE_FAULT_MODE - fault-mode VMs with a CPU-address
 * mirror (DRM_SVMGPU_VM_CREATE_FAULT_MODE, DRM_SVMGPU_VM_BIND_OP_MIRROR,
 * DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, DRM_IOCTL_SVMGPU_VM_QUERY).
 */
#define DRM_SVMGPU_FEATURE_FAULT_MODE	(1ull << 0)

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
 * Buffer objects (BOs) are GEM objects backed by shmem (system memory).
 * They are created with DRM_IOCTL_SVMGPU_GEM_CREATE, mapped by the CPU
 * through the fake offset DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET returns, closed
 * with DRM_IOCTL_GEM_CLOSE and shared with other devices through PRIME
 * (DRM_IOCTL_PRIME_HANDLE_TO_FD / FD_TO_HANDLE, dma-buf).
 *
 * Creating a BO allocates none of its memory. All of it is allocated,
 * zeroed, the first time the BO is mapped by the CPU or used by a device,
 * and stays allocated (not swapped) while it is mapped or in use; a BO
 * larger than the system's RAM can therefore be created but never mapped.
 *
 * A BO imported from another device's dma-buf is the exporter's memory: it
 * is mapped with DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET like any other BO, and
 * the mapping is the exporter's. Importing a dma-buf the same device
 * exported gives back the BO itself, under the handle the file already
 * has for it.
 */

/** DRM_SVMGPU_GEM_MAX_SIZE - largest BO size DRM_IOCTL_SVMGPU_GEM_CREATE accepts. */
#define DRM_SVMGPU_GEM_MAX_SIZE		(1ull << 40)

/**
 * struct drm_svmgpu_gem_create - argument of DRM_IOCTL_SVMGPU_GEM_CREATE.
 *
 * Creates a BO. Its memory is allocated on first use and reads as zero
 * (see "Buffer objects").
 *
 * Errors:
 *
 * - -EINVAL: @size is 0 or larger than %DRM_SVMGPU_GEM_MAX_SIZE, @flags
 *   has an unknown bit, or @extensions is not zero.
 * - -ENOMEM: out of memory.
 * - -ENOSPC: the device's space of mmap offsets is full. It is shared by
 *   all BOs of the device and holds a little less than 1 TiB (2^40 bytes
 *   minus 1 MiB), so a BO of exactly %DRM_SVMGPU_GEM_MAX_SIZE never fits.
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
 * into the CPU's address space. The mapping is cached and must be shared
 * (MAP_SHARED); it starts at the beginning of the BO (mmap()'s offset is
 * exactly the fake offset) and is at most the BO's size long. Any number
 * of mappings of a BO see the same memory. mmap() fails with EINVAL for
 * MAP_PRIVATE, another offset or a longer length, and with ENOMEM when
 * the BO's memory cannot be allocated (always for a BO larger than the
 * system's RAM).
 *
 * Errors:
 *
 * - -EINVAL: @flags is not zero.
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

/**
 * DOC: Virtual memory
 *
 * A VM is a GPU virtual address space: one page-table root of the MMU. A
 * file can create several; their ids are per file. Addresses 0 to
 * 2^48 - 1 are usable except the first and last %DRM_SVMGPU_VM_GUARD
 * bytes, which the kernel reserves so that a null or wrapped pointer
 * always faults.
 *
 * DRM_IOCTL_SVMGPU_VM_BIND maps ranges of BOs into a VM and unmaps them.
 * Mapping over an existing mapping replaces the overlapped part (the
 * rest of the old mapping stays, split as needed); unmapping a range that
 * covers parts of mappings keeps the parts outside it. The MMU maps with
 * the largest page (1 GiB, 2 MiB, 4 KiB) that the alignment of the VA,
 * the BO's physical pages and the range allow.
 *
 * A bind waits for every job and every bind already submitted to the VM
 * before it changes a page table, so no running job ever sees a mapping
 * vanish or change under it; jobs submitted after the bind (EXEC) wait for
 * it and see the new mappings. Binds of a VM take effect in the order they
 * were submitted, and the pages of a BO stay allocated while it is mapped
 * (also after its handle is closed), until the unmapping took effect.
 *
 * Synchronous and asynchronous binds. A VM_BIND with
 * %DRM_SVMGPU_VM_BIND_ASYNC checks everything, updates the VM's view of
 * its mappings (so later binds already build on it), reserves the memory
 * the page tables need, and returns: the page tables change later, once
 * its WAIT syncobjs have signalled and the VM's earlier jobs and binds have
 * completed; then its SIGNAL syncobjs signal. Everything that can fail
 * fails in the ioctl: once it returned 0 the bind takes effect. A
 * VM_BIND without the flag is the same bind followed by a wait for it: the
 * ioctl first waits (interruptibly) for its WAIT syncobjs and for the
 * VM's earlier jobs and binds, pending asynchronous binds included, then
 * applies the operations and returns when they took effect; its SIGNAL
 * syncobjs are signalled by then.
 *
 * A WAIT syncobj (point) must have a fence when the ioctl is called (there
 * is no wait-before-submit); a fence that signals with an error releases
 * the bind all the same. Destroying a VM (DRM_IOCTL_SVMGPU_VM_DESTROY, or
 * closing the file) cancels its pending binds: they stop waiting for
 * their WAIT syncobjs, complete in order once the VM's earlier jobs have,
 * and their SIGNAL syncobjs signal with the error -ECANCELED.
 */

/** DRM_SVMGPU_VM_GUARD - bytes reserved at both ends of every VM. */
#define DRM_SVMGPU_VM_GUARD		(1ull << 21)

/**
 * DRM_SVMGPU_VM_CREATE_FAULT_MODE - a fault-mode (long-running) VM; see
 * "Fault mode" below.
 */
#define DRM_SVMGPU_VM_CREATE_FAULT_MODE	(1u << 0)

/**
 * struct drm_svmgpu_vm_create - argument of DRM_IOCTL_SVMGPU_VM_CREATE.
 *
 * Errors:
 *
 * - -EINVAL: @flags has an unknown bit, or @extensions is not zero.
 * - -ENOSPC: the file already has 1024 VMs.
 * - -ENOMEM: out of memory.
 */
struct drm_svmgpu_vm_create {
	/** @flags: (in) 0 or DRM_SVMGPU_VM_CREATE_FAULT_MODE. */
	__u32 flags;
	/** @vm_id: (out) id of the new VM in this file. */
	__u32 vm_id;
	/** @extensions: (in) extension chain; none defined yet: MBZ. */
	__u64 extensions;
};

/**
 * struct drm_svmgpu_vm_destroy - argument of DRM_IOCTL_SVMGPU_VM_DESTROY.
 *
 * Destroys a VM: its id becomes invalid at once; its pending binds are
 * cancelled (see "Virtual memory"); its mappings and page tables go when
 * the last job using it has completed. The ioctl returns when the VM's
 * binds are done and its jobs completed.
 *
 * Errors:
 *
 * - -EINVAL: @pad is not zero.
 * - -ENOENT: @vm_id names no VM of this file.
 */
struct drm_svmgpu_vm_destroy {
	/** @vm_id: (in) the VM. */
	__u32 vm_id;
	/** @pad: MBZ. */
	__u32 pad;
};

/** enum drm_svmgpu_vm_bind_op_type - what a bind operation does. */
enum drm_svmgpu_vm_bind_op_type {
	/** @DRM_SVMGPU_VM_BIND_OP_MAP: map @size bytes of a BO at @va. */
	DRM_SVMGPU_VM_BIND_OP_MAP = 0,
	/**
	 * @DRM_SVMGPU_VM_BIND_OP_UNMAP: unmap [@va, @va + @size): BO
	 * mappings and mirror windows alike.
	 */
	DRM_SVMGPU_VM_BIND_OP_UNMAP = 1,
	/**
	 * @DRM_SVMGPU_VM_BIND_OP_MIRROR: make [@va, @va + @size) a
	 * CPU-address-mirror window of a fault-mode VM (GPU VA == CPU VA
	 * of the creating process); replaces what was mapped there.
	 */
	DRM_SVMGPU_VM_BIND_OP_MIRROR = 2,
	/**
	 * @DRM_SVMGPU_VM_BIND_OP_PREFETCH: populate the GPU mappings of
	 * [@va, @va + @size), which lies in mirror windows, now instead of
	 * on the GPU's first access (writable where the CPU mapping is).
	 * Fails with -EFAULT where the CPU has no mapping the GPU may use.
	 */
	DRM_SVMGPU_VM_BIND_OP_PREFETCH = 3,
	/**
	 * @DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR: map @size bytes of the
	 * calling process's memory, from CPU address @userptr, at @va of a
	 * dma-fence-mode VM (see "Userptr mappings").
	 */
	DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR = 4,
};

/**
 * DRM_SVMGPU_VM_BIND_OP_READ_ONLY - MAP or MAP_USERPTR without GPU write
 * access.
 */
#define DRM_SVMGPU_VM_BIND_OP_READ_ONLY	(1u << 0)

/**
 * DRM_SVMGPU_USERPTR_MAX_SIZE - largest @size of a
 * DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR operation.
 */
#define DRM_SVMGPU_USERPTR_MAX_SIZE	(1ull << 32)

/**
 * DOC: Userptr mappings
 *
 * DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR maps part of the calling process's
 * address space (anonymous, file or shared memory: anything but
 * VM_IO/VM_PFNMAP mappings such as a DRM BO's mmap) at a GPU address of a
 * dma-fence-mode VM; this is what a Vulkan host-pointer import uses. The
 * pages are not pinned: the mapping follows the CPU's. The bind looks the
 * pages up (faulting them in, for writing unless
 * %DRM_SVMGPU_VM_BIND_OP_READ_ONLY) and maps them. When the CPU mapping
 * changes (munmap, mmap(MAP_FIXED) over it, mprotect, madvise, fork's
 * copy-on-write, swap, migration), the kernel waits for the VM's jobs
 * submitted so far (bounded: a job that has not completed after twice the
 * job timeout may fault), then unmaps the pages from the GPU; the CPU
 * change completes only then. The next EXEC on the VM looks the pages up
 * again before its job is queued, so a job never sees pages the CPU
 * mapping no longer has; if the range is no longer mapped (or no longer
 * allows the access) that EXEC fails with -EFAULT and submits nothing,
 * and keeps failing until the range is mapped again or the userptr is
 * unmapped from the VM (DRM_SVMGPU_VM_BIND_OP_UNMAP). Memory registered
 * with userfaultfd(2) is not faulted in (nothing here waits for its
 * handler): only pages the handler has already provided, and for writing
 * not write-protected, can be looked up; otherwise -EFAULT.
 *
 * A userptr belongs to the address space of the process that bound it.
 * A job submitted by another process through the same file (a child after
 * fork, or a process the file was passed to) uses the binding process's
 * memory, never the submitter's; once the binding process has exited,
 * EXECs on a VM that has its userptrs fail with -EFAULT until they are
 * unmapped (whole: unmapping part of such a userptr fails with -EFAULT).
 * Unmapping or replacing part of a userptr keeps the rest (looked up
 * again at the next EXEC).
 *
 * Fault-mode VMs have no userptrs (their mirror windows serve the same
 * purpose): the operation fails with -EINVAL there.
 */

/**
 * struct drm_svmgpu_vm_bind_op - one operation of a VM_BIND.
 *
 * @va, @size and @bo_offset are multiples of 4096; [@va, @va + @size)
 * lies inside the usable VA range; for MAP, [@bo_offset, @bo_offset +
 * @size) lies inside the BO; for MAP_USERPTR, @userptr is a multiple of
 * 4096 and @size is at most %DRM_SVMGPU_USERPTR_MAX_SIZE.
 */
struct drm_svmgpu_vm_bind_op {
	/** @op: (in) an &enum drm_svmgpu_vm_bind_op_type value. */
	__u32 op;
	/**
	 * @flags: (in) DRM_SVMGPU_VM_BIND_OP_READ_ONLY (MAP and MAP_USERPTR
	 * only).
	 */
	__u32 flags;
	/** @handle: (in) the BO for MAP; MBZ for the other operations. */
	__u32 handle;
	/** @pad: MBZ. */
	__u32 pad;
	/** @bo_offset: (in) offset in the BO for MAP; MBZ for the others. */
	__u64 bo_offset;
	/** @va: (in) start of the range in the VM. */
	__u64 va;
	/** @size: (in) size of the range, not zero. */
	__u64 size;
	/**
	 * @userptr: (in) CPU address of the memory for MAP_USERPTR; MBZ
	 * for the other operations. (Added after the first release: a
	 * @stride of 40 bytes reads it as zero.)
	 */
	__u64 userptr;
};

/**
 * struct drm_svmgpu_obj_array - an array passed by pointer.
 *
 * Elements are @stride bytes apart. A @stride larger than the kernel's
 * element size is allowed if the extra bytes are zero; a smaller one is
 * allowed if it covers every field the kernel needs (the missing fields
 * are zero).
 */
struct drm_svmgpu_obj_array {
	/** @stride: (in) bytes between elements. */
	__u32 stride;
	/** @count: (in) number of elements. */
	__u32 count;
	/** @array: (in) user pointer to the first element. */
	__u64 array;
};

/** DRM_SVMGPU_VM_BIND_MAX_OPS - most operations in one VM_BIND. */
#define DRM_SVMGPU_VM_BIND_MAX_OPS	256
/** DRM_SVMGPU_VM_BIND_MAX_SYNCS - most syncs in one VM_BIND. */
#define DRM_SVMGPU_VM_BIND_MAX_SYNCS	64

/**
 * DRM_SVMGPU_VM_BIND_ASYNC - return once the bind is queued; it takes
 * effect after its WAIT syncobjs and the VM's earlier work.
 */
#define DRM_SVMGPU_VM_BIND_ASYNC	(1u << 0)

/**
 * struct drm_svmgpu_vm_bind - argument of DRM_IOCTL_SVMGPU_VM_BIND.
 *
 * Applies @ops in order, as one bind (see "Virtual memory"): with
 * %DRM_SVMGPU_VM_BIND_ASYNC the ioctl returns once the bind is queued,
 * without it once the bind took effect. Every argument is checked, and
 * every BO's pages and every page table the bind needs are allocated,
 * before the first operation is applied: a failing VM_BIND applies
 * nothing and signals nothing.
 *
 * @syncs are &struct drm_svmgpu_sync, as for EXEC: WAIT syncobjs (binary,
 * or a timeline point) the bind waits for before it changes the page
 * tables, and SIGNAL syncobjs (binary: the bind's fence replaces theirs;
 * timeline: it is added as that point) that signal when it took effect.
 * They are allowed with and without %DRM_SVMGPU_VM_BIND_ASYNC.
 *
 * Errors:
 *
 * - -EINVAL: @flags has a bit other than %DRM_SVMGPU_VM_BIND_ASYNC;
 *   @extensions is not zero; @ops.count is 0 or more than
 *   %DRM_SVMGPU_VM_BIND_MAX_OPS; @syncs.count is more than
 *   %DRM_SVMGPU_VM_BIND_MAX_SYNCS; a stride is too small for the fields
 *   the kernel needs, or an element has non-zero bytes past them; an
 *   operation has an unknown @op or flag, a misaligned or zero size, a
 *   range outside the usable VA range or outside its BO, or a non-zero
 *   field that must be zero; a sync has not exactly one of
 *   DRM_SVMGPU_SYNC_WAIT and DRM_SVMGPU_SYNC_SIGNAL; a WAIT syncobj has no
 *   fence, or a WAIT timeline point does not exist yet; a MIRROR or
 *   PREFETCH operation on a VM not in fault mode; %DRM_SVMGPU_VM_BIND_ASYNC
 *   on a fault-mode VM (it binds synchronously only). For MAP_USERPTR
 *   also: the VM is in fault mode, @userptr is not a multiple of 4096,
 *   @size is above %DRM_SVMGPU_USERPTR_MAX_SIZE, or @userptr + @size
 *   overflows 64 bits.
 * - -ENOENT: @vm_id names no VM; an operation's @handle names no BO; a
 *   sync's handle names no syncobj.
 * - -EACCES: a MIRROR or PREFETCH operation from a process other than
 *   the one that created the VM.
 * - -EFAULT: @ops.array or @syncs.array could not be read; a PREFETCH
 *   range has no CPU mapping the GPU may use, or leaves the mirror
 *   windows. For MAP_USERPTR: [@userptr, @userptr + @size) is not user
 *   memory (NULL, a kernel address), is not (or only partly) mapped in
 *   the calling process, includes a VM_IO or VM_PFNMAP mapping (device
 *   memory, a DRM BO's mmap), or does not allow the access (not
 *   readable; not writable without %DRM_SVMGPU_VM_BIND_OP_READ_ONLY).
 *   Any operation: it would keep part of a userptr whose process has
 *   exited.
 * - -EAGAIN: MAP_USERPTR: the CPU mapping kept changing while the kernel
 *   looked its pages up (for about a second); nothing was applied.
 * - -ENOMEM: out of memory (also: a BO larger than the system's RAM).
 * - -EINTR, -ERESTARTSYS: interrupted by a signal. Nothing was applied,
 *   with one exception: a bind without %DRM_SVMGPU_VM_BIND_ASYNC
 *   interrupted while it waited for its own completion, when another
 *   thread submitted work to the VM in the meantime; its operations are
 *   then queued and take effect as an asynchronous bind's would (calling
 *   it again gives the same result).
 *
 * A fault-mode VM applies the operations one after the other, after all
 * of them were checked: an operation that fails while being applied
 * (PREFETCH's -EFAULT, -ENOMEM, -EINTR) leaves the ones before it
 * applied.
 */
struct drm_svmgpu_vm_bind {
	/** @vm_id: (in) the VM. */
	__u32 vm_id;
	/** @flags: (in) %DRM_SVMGPU_VM_BIND_ASYNC or 0. */
	__u32 flags;
	/** @ops: (in) array of &struct drm_svmgpu_vm_bind_op. */
	struct drm_svmgpu_obj_array ops;
	/** @syncs: (in) array of &struct drm_svmgpu_sync; may be empty. */
	struct drm_svmgpu_obj_array syncs;
	/** @extensions: (in) extension chain; none defined yet: MBZ. */
	__u64 extensions;
};

/**
 * DOC: Queues and jobs
 *
 * A queue executes jobs on one engine in one VM, in submission order. A
 * job is a batch buffer: commands of include/hw/svmgpu_cmd.h at a GPU
 * virtual address of the queue's VM. DRM_IOCTL_SVMGPU_EXEC submits one;
 * it runs once its wait syncobjs have signalled, the binds of its VM
 * submitted before it have taken effect, and the BOs it lists are idle
 * for its access (implicit fencing through their reservation objects),
 * and its completion signals its signal syncobjs (binary, or a
 * timeline point) and the fences it adds to those BOs.
 *
 * A job that does not complete within the timeout (module parameter
 * ``job_timeout_ms``, default 2000), or that faults on an address its VM
 * does not map (or maps read-only for a write), or that executes an
 * invalid command, stops its queue: the hardware queue is reset, the
 * queue is banned, that job fails (its fence carries -ETIMEDOUT, -EFAULT
 * or -EIO), every job queued behind it fails with -ECANCELED, and later
 * EXECs on the queue fail with -EIO. Other queues, VMs and files are not affected.
 * DRM_IOCTL_SVMGPU_QUEUE_GET_STATE reports the ban, the number of resets,
 * and the last fault.
 */

/**
 * struct drm_svmgpu_queue_create - argument of DRM_IOCTL_SVMGPU_QUEUE_CREATE.
 *
 * Errors:
 *
 * - -EINVAL: @flags, @pad or @extensions is not zero, or @engine is not
 *   below DRM_SVMGPU_PARAM_NUM_ENGINES.
 * - -ENOENT: @vm_id names no VM of this file.
 * - -ENOSPC: every hardware queue slot of the device is in use, or the
 *   file has 256 queues.
 * - -ENOMEM: out of memory.
 */
struct drm_svmgpu_queue_create {
	/** @vm_id: (in) the VM the queue's jobs run in. */
	__u32 vm_id;
	/** @engine: (in) the engine that executes the queue. */
	__u32 engine;
	/** @flags: (in) none defined yet: MBZ. */
	__u32 flags;
	/** @queue_id: (out) id of the new queue in this file. */
	__u32 queue_id;
	/** @extensions: (in) extension chain; none defined yet: MBZ. */
	__u64 extensions;
};

/**
 * struct drm_svmgpu_queue_destroy - argument of
 * DRM_IOCTL_SVMGPU_QUEUE_DESTROY.
 *
 * Destroys a queue once its submitted jobs have completed (or failed:
 * a job that hangs is stopped by the timeout).
 *
 * Errors:
 *
 * - -EINVAL: @pad is not zero.
 * - -ENOENT: @queue_id names no queue of this file.
 */
struct drm_svmgpu_queue_destroy {
	/** @queue_id: (in) the queue. */
	__u32 queue_id;
	/** @pad: MBZ. */
	__u32 pad;
};

/** DRM_SVMGPU_QUEUE_STATE_BANNED - the queue refuses new jobs. */
#define DRM_SVMGPU_QUEUE_STATE_BANNED	(1u << 0)

/**
 * struct drm_svmgpu_queue_get_state - argument of
 * DRM_IOCTL_SVMGPU_QUEUE_GET_STATE.
 *
 * Errors:
 *
 * - -EINVAL: @pad is not zero.
 * - -ENOENT: @queue_id names no queue of this file.
 */
struct drm_svmgpu_queue_get_state {
	/** @queue_id: (in) the queue. */
	__u32 queue_id;
	/** @pad: MBZ. */
	__u32 pad;
	/** @state: (out) DRM_SVMGPU_QUEUE_STATE_* flags. */
	__u32 state;
	/** @reset_count: (out) times the queue was reset. */
	__u32 reset_count;
	/**
	 * @error: (out) positive errno of the failure that banned the queue
	 * (ETIMEDOUT, EFAULT, EIO), or 0.
	 */
	__u32 error;
	/**
	 * @fault_access: (out) access of the last fault: 0 read, 1 write,
	 * 2 atomic (SVMGPU_ACCESS_* of include/hw/svmgpu_fault.h).
	 */
	__u16 fault_access;
	/**
	 * @fault_reason: (out) reason of the last fault, SVMGPU_FAULT_* of
	 * include/hw/svmgpu_fault.h; 0 if the queue never faulted.
	 */
	__u16 fault_reason;
	/** @fault_address: (out) GPU virtual address of the last fault. */
	__u64 fault_address;
};

/** DRM_SVMGPU_SYNC_WAIT - the job (or bind) waits for the syncobj (point). */
#define DRM_SVMGPU_SYNC_WAIT		(1u << 0)
/**
 * DRM_SVMGPU_SYNC_SIGNAL - the job's completion (the bind taking effect)
 * signals the syncobj (point).
 */
#define DRM_SVMGPU_SYNC_SIGNAL		(1u << 1)

/**
 * struct drm_svmgpu_sync - a syncobj a job (EXEC) or a bind (VM_BIND)
 * waits for or signals.
 *
 * With @point 0 the syncobj is used as binary: a wait takes its current
 * fence, a signal replaces it. With @point > 0 it is a timeline: a wait
 * waits for that point, a signal adds that point.
 */
struct drm_svmgpu_sync {
	/** @flags: (in) exactly one of WAIT and SIGNAL. */
	__u32 flags;
	/** @handle: (in) the syncobj. */
	__u32 handle;
	/** @point: (in) timeline point, or 0. */
	__u64 point;
};

/** DRM_SVMGPU_EXEC_BO_WRITE - the job writes the BO (else reads it). */
#define DRM_SVMGPU_EXEC_BO_WRITE	(1u << 0)

/**
 * struct drm_svmgpu_exec_bo - a BO a job accesses, for implicit fencing.
 */
struct drm_svmgpu_exec_bo {
	/** @handle: (in) the BO. */
	__u32 handle;
	/** @flags: (in) DRM_SVMGPU_EXEC_BO_WRITE or 0. */
	__u32 flags;
};

/** DRM_SVMGPU_EXEC_MAX_SYNCS - most syncs in one EXEC. */
#define DRM_SVMGPU_EXEC_MAX_SYNCS	64
/** DRM_SVMGPU_EXEC_MAX_BOS - most BOs in one EXEC. */
#define DRM_SVMGPU_EXEC_MAX_BOS		1024

/**
 * struct drm_svmgpu_exec - argument of DRM_IOCTL_SVMGPU_EXEC.
 *
 * Submits one job; returns when it is queued, not when it ran.
 *
 * Errors:
 *
 * - -EINVAL: @flags or @extensions is not zero; @batch_address or
 *   @batch_size is not a multiple of 8, @batch_size is 0 or larger than
 *   1 MiB; an array has a bad stride or too many elements; a sync has
 *   not exactly one of WAIT and SIGNAL, or a BO an unknown flag; a WAIT
 *   sync names a syncobj that has no fence, or (with @point > 0) a
 *   point its timeline does not have yet (a job never waits for work
 *   not yet submitted). The full 64-bit @point is used. On a queue of a
 *   fault-mode VM: a SIGNAL sync, or any BO (see "Fault mode").
 * - -ENOENT: @queue_id names no queue; a sync names no syncobj; a BO
 *   handle names no BO.
 * - -EACCES: a queue of a fault-mode VM, from a process other than the
 *   one that created the VM.
 * - -EBUSY: a queue of a fault-mode VM already holds a ring's worth of
 *   jobs the hardware has not finished.
 * - -EIO: the queue is banned.
 * - -EALREADY: a BO is listed twice in @bos (list each BO once, with
 *   DRM_SVMGPU_EXEC_BO_WRITE if any use writes it).
 * - -EFAULT: an array could not be read; or a userptr mapping of the
 *   queue's VM had to be looked up again (its CPU mapping changed) and
 *   its range is no longer mapped, no longer allows the access, or its
 *   process has exited (see "Userptr mappings"). Nothing was submitted.
 * - -EAGAIN: the CPU mapping of a userptr of the VM kept changing while
 *   EXEC looked its pages up (for about a second); nothing was
 *   submitted, calling again is fine.
 * - -ENOMEM: out of memory.
 * - -EINTR, -ERESTARTSYS: interrupted; nothing was submitted.
 */
struct drm_svmgpu_exec {
	/** @queue_id: (in) the queue. */
	__u32 queue_id;
	/** @flags: (in) none defined yet: MBZ. */
	__u32 flags;
	/** @batch_address: (in) GPU virtual address of the batch. */
	__u64 batch_address;
	/** @batch_size: (in) size of the batch in bytes. */
	__u64 batch_size;
	/** @syncs: (in) array of &struct drm_svmgpu_sync. */
	struct drm_svmgpu_obj_array syncs;
	/** @bos: (in) array of &struct drm_svmgpu_exec_bo. */
	struct drm_svmgpu_obj_array bos;
	/** @extensions: (in) extension chain; none defined yet: MBZ. */
	__u64 extensions;
};

/**
 * DOC: Fault mode
 *
 * A VM created with DRM_SVMGPU_VM_CREATE_FAULT_MODE runs long-running
 * jobs with recoverable GPU page faults, the model of Linux's
 * Documentation/driver-api/dma-buf.rst ("Recoverable Hardware Page
 * Faults Implications"). Its mirror windows (DRM_SVMGPU_VM_BIND_OP_MIRROR)
 * give the GPU the creating process's address space at the same
 * addresses: nothing is mapped until the GPU touches a page; the fault
 * stalls the queue, the kernel populates the mapping from the CPU page
 * tables (hmm_range_fault()) and the queue resumes. CPU-side changes
 * (munmap, mprotect, fork/COW, madvise, THP splits, reclaim) tear the
 * GPU mappings down; the next access faults them in again.
 *
 * Servicing a fault may allocate memory, so such jobs must not publish
 * dma-fences (memory reclaim could wait on a fence that waits on a fault
 * that waits on reclaim). Hence, in a fault-mode VM:
 *
 * - A job's completion is a user fence: its batch ends with a USER_FENCE
 *   command (include/hw/svmgpu_cmd.h, with the IRQ flag) that writes a
 *   64-bit value, and DRM_IOCTL_SVMGPU_WAIT_USER_FENCE waits for it.
 * - EXEC refuses DRM_SVMGPU_SYNC_SIGNAL syncs and BOs for implicit
 *   fencing with -EINVAL; waiting on syncobjs is fine.
 * - Jobs have no timeout (a job may wait on faults or memory for as long
 *   as it likes); DRM_IOCTL_SVMGPU_QUEUE_DESTROY stops one.
 * - A queue holds at most a ring's worth of jobs that the hardware has
 *   not finished; EXEC fails with -EBUSY beyond that.
 * - A fault that cannot be resolved (see DRM_SVMGPU_FAULT_NO_VMA and the
 *   following reasons) stops the queue and bans it: later EXECs fail
 *   with -EIO, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE reports the address,
 *   access and reason, and a WAIT_USER_FENCE naming the queue returns
 *   -EIO. Other queues, VMs and the process's memory are unaffected.
 *
 * Only the process that created the VM may bind mirror windows, prefetch
 * or submit to it; another process using the same file gets -EACCES
 * (its address space is not the one mirrored).
 */

/*
 * Reasons of faults the kernel could not resolve in a fault-mode VM, in
 * &drm_svmgpu_queue_get_state.fault_reason (1 to 15 are the hardware's,
 * include/hw/svmgpu_fault.h).
 */
/**
 * DRM_SVMGPU_FAULT_NO_VMA - no CPU mapping at the address when the fault
 * was serviced (a fault racing a replacement of the mapping is retried
 * with the new one).
 */
#define DRM_SVMGPU_FAULT_NO_VMA		16
/** DRM_SVMGPU_FAULT_ACCESS - the CPU mapping forbids the access. */
#define DRM_SVMGPU_FAULT_ACCESS		17
/** DRM_SVMGPU_FAULT_NO_WINDOW - the address is in no mirror window or BO mapping. */
#define DRM_SVMGPU_FAULT_NO_WINDOW	18
/** DRM_SVMGPU_FAULT_UNMIRRORABLE - a VM_IO/VM_PFNMAP/VM_MIXEDMAP mapping. */
#define DRM_SVMGPU_FAULT_UNMIRRORABLE	19
/** DRM_SVMGPU_FAULT_NO_MM - the process that owns the mirror exited. */
#define DRM_SVMGPU_FAULT_NO_MM		20
/**
 * DRM_SVMGPU_FAULT_NO_MEMORY - out of memory, the CPU fault handler failed
 * on a mapping that allows the access (SIGBUS, a poisoned page), the
 * CPU mapping kept changing, or the userfaultfd(2) handler of the memory
 * did not resolve the page within the fault timeout (1 s) or refused the
 * fault (UFFD_USER_MODE_ONLY, UFFD_FEATURE_SIGBUS).
 */
#define DRM_SVMGPU_FAULT_NO_MEMORY	21
/** DRM_SVMGPU_FAULT_ATTR_ACCESS - the range's GPU-access attribute forbids it. */
#define DRM_SVMGPU_FAULT_ATTR_ACCESS	22

/** enum drm_svmgpu_ufence_op - comparison of a user-fence wait. */
enum drm_svmgpu_ufence_op {
	/** @DRM_SVMGPU_UFENCE_EQ: (*addr & mask) == (value & mask). */
	DRM_SVMGPU_UFENCE_EQ = 0,
	/** @DRM_SVMGPU_UFENCE_NEQ: (*addr & mask) != (value & mask). */
	DRM_SVMGPU_UFENCE_NEQ = 1,
	/** @DRM_SVMGPU_UFENCE_GT: (*addr & mask) > (value & mask), unsigned. */
	DRM_SVMGPU_UFENCE_GT = 2,
	/** @DRM_SVMGPU_UFENCE_GTE: (*addr & mask) >= (value & mask), unsigned. */
	DRM_SVMGPU_UFENCE_GTE = 3,
	/** @DRM_SVMGPU_UFENCE_LT: (*addr & mask) < (value & mask), unsigned. */
	DRM_SVMGPU_UFENCE_LT = 4,
	/** @DRM_SVMGPU_UFENCE_LTE: (*addr & mask) <= (value & mask), unsigned. */
	DRM_SVMGPU_UFENCE_LTE = 5,
};

/**
 * struct drm_svmgpu_wait_user_fence - argument of
 * DRM_IOCTL_SVMGPU_WAIT_USER_FENCE.
 *
 * Waits until the 64-bit value at @addr in the caller's memory satisfies
 * @op against @value under @mask, or @timeout_ns passes. The value is
 * re-read whenever a queue of the device executes a USER_FENCE command
 * with the IRQ flag, whenever @queue_id's queue stops, and whenever a
 * client of the device calls DRM_IOCTL_SVMGPU_USER_FENCE_WAKE (after a
 * CPU write of a fence value).
 *
 * Errors:
 *
 * - -EINVAL: @flags, @pad or @extensions is not zero; @addr is not a
 *   multiple of 8; @op is unknown.
 * - -ENOENT: @queue_id is not zero and names no queue of this file.
 * - -EFAULT: @addr could not be read.
 * - -EIO: @queue_id's queue is banned (a job failed) and the condition
 *   does not hold.
 * - -ETIME: @timeout_ns passed; @timeout_ns is then 0.
 * - -ERESTARTSYS: interrupted by a signal; @timeout_ns holds what was
 *   left, so the restarted call waits for the rest.
 */
struct drm_svmgpu_wait_user_fence {
	/** @addr: (in) user address of the 64-bit fence value. */
	__u64 addr;
	/** @value: (in) value to compare with. */
	__u64 value;
	/** @mask: (in) bits of the fence compared. */
	__u64 mask;
	/**
	 * @timeout_ns: (in/out) relative timeout in nanoseconds, honoured
	 * at that resolution (an hrtimer, not jiffies); negative: forever;
	 * 0: check once. On return, what was left of it: unchanged if the
	 * call returned without waiting, 0 after -ETIME.
	 */
	__s64 timeout_ns;
	/** @op: (in) an &enum drm_svmgpu_ufence_op value. */
	__u32 op;
	/** @queue_id: (in) queue whose failure ends the wait, or 0. */
	__u32 queue_id;
	/** @flags: (in) none defined yet: MBZ. */
	__u32 flags;
	/** @pad: MBZ. */
	__u32 pad;
	/** @extensions: (in) extension chain; none defined yet: MBZ. */
	__u64 extensions;
};

/**
 * struct drm_svmgpu_user_fence_wake - argument of
 * DRM_IOCTL_SVMGPU_USER_FENCE_WAKE.
 *
 * Makes every DRM_IOCTL_SVMGPU_WAIT_USER_FENCE waiter of the device read
 * its value again: what a CPU that wrote a user-fence value itself (a
 * host signal) calls afterwards, as the GPU's USER_FENCE interrupt does for
 * values the GPU writes. Waiters whose condition does not hold go back to
 * sleep; a wake with no waiter does nothing. Never blocks.
 *
 * Errors: -EINVAL: @flags or @pad is not zero.
 */
struct drm_svmgpu_user_fence_wake {
	/** @flags: (in) none defined yet: MBZ. */
	__u32 flags;
	/** @pad: MBZ. */
	__u32 pad;
};

/* Per-page GPU mapping state of DRM_SVMGPU_VM_QUERY_PAGES. */
/** DRM_SVMGPU_PAGE_MAPPED - the GPU can read the page. */
#define DRM_SVMGPU_PAGE_MAPPED		(1u << 0)
/** DRM_SVMGPU_PAGE_WRITE - the GPU can also write it. */
#define DRM_SVMGPU_PAGE_WRITE		(1u << 1)
/** DRM_SVMGPU_PAGE_2M - mapped by a 2 MiB page-table leaf. */
#define DRM_SVMGPU_PAGE_2M		(1u << 2)
/** DRM_SVMGPU_PAGE_1G - mapped by a 1 GiB page-table leaf. */
#define DRM_SVMGPU_PAGE_1G		(1u << 3)
/** DRM_SVMGPU_PAGE_ZERO - the shared zero page or the huge zero page (read-only). */
#define DRM_SVMGPU_PAGE_ZERO		(1u << 4)

/** enum drm_svmgpu_vm_query_type - what DRM_IOCTL_SVMGPU_VM_QUERY returns. */
enum drm_svmgpu_vm_query_type {
	/**
	 * @DRM_SVMGPU_VM_QUERY_PAGES: one byte of DRM_SVMGPU_PAGE_* per
	 * 4 KiB page of [@start, @start + @size): the GPU's mapping state,
	 * read without faulting anything in (like test_hmm's SNAPSHOT).
	 */
	DRM_SVMGPU_VM_QUERY_PAGES = 0,
	/**
	 * @DRM_SVMGPU_VM_QUERY_COUNTERS: a &struct drm_svmgpu_svm_counters
	 * of the VM's mirror (@start and @size MBZ).
	 */
	DRM_SVMGPU_VM_QUERY_COUNTERS = 1,
};

/**
 * struct drm_svmgpu_svm_counters - what a fault-mode VM's mirror did
 * since the VM was created.
 */
struct drm_svmgpu_svm_counters {
	/** @faults: GPU faults the kernel serviced. */
	__u64 faults;
	/** @faults_unresolved: of those, the ones that stopped a queue. */
	__u64 faults_unresolved;
	/** @pages_4k: 4 KiB GPU mappings made. */
	__u64 pages_4k;
	/** @pages_2m: 2 MiB GPU mappings made. */
	__u64 pages_2m;
	/** @invalidations: ranges whose GPU mapping a CPU change tore down. */
	__u64 invalidations;
	/** @ranges_gc: ranges destroyed after their CPU mapping went away. */
	__u64 ranges_gc;
	/** @retries: population attempts that had to start again. */
	__u64 retries;
	/** @prefetched: bytes populated by DRM_SVMGPU_VM_BIND_OP_PREFETCH. */
	__u64 prefetched;
};

/**
 * struct drm_svmgpu_vm_query - argument of DRM_IOCTL_SVMGPU_VM_QUERY.
 *
 * Errors:
 *
 * - -EINVAL: @pad or @extensions is not zero; @type is unknown; the VM
 *   is not in fault mode; for PAGES, @start or @size is not a multiple
 *   of 4096, @size is 0 or above 1 GiB, or the range leaves [0, 2^48 -
 *   %DRM_SVMGPU_VM_GUARD) (the low guard may be queried: nothing is
 *   ever mapped there); for COUNTERS, @start or @size is not zero.
 * - -ENOENT: @vm_id names no VM.
 * - -ENOSPC: @data_size is smaller than the result; @data_size is set to
 *   the size needed and nothing is written.
 * - -EFAULT: @data could not be written.
 * - -ENOMEM: out of memory.
 */
struct drm_svmgpu_vm_query {
	/** @vm_id: (in) the VM. */
	__u32 vm_id;
	/** @type: (in) an &enum drm_svmgpu_vm_query_type value. */
	__u32 type;
	/** @start: (in) start of the range (PAGES). */
	__u64 start;
	/** @size: (in) size of the range (PAGES). */
	__u64 size;
	/** @data: (in) user pointer to the result buffer. */
	__u64 data;
	/** @data_size: (in/out) bytes at @data; on return, bytes written or needed. */
	__u32 data_size;
	/** @pad: MBZ. */
	__u32 pad;
	/** @extensions: (in) extension chain; none defined yet: MBZ. */
	__u64 extensions;
};

/**
 * enum drm_svmgpu_attr_type - attributes of mirrored memory, set and read
 * with DRM_IOCTL_SVMGPU_VM_ATTR.
 *
 * Attributes belong to address ranges of a fault-mode VM, not to windows
 * or CPU mappings: they stay when memory is unmapped and mapped again,
 * and apply wherever a window covers them. Unset ranges have the
 * defaults. Setting attributes unmaps what the GPU had mapped in the
 * range, so the next access follows them.
 */
enum drm_svmgpu_attr_type {
	/**
	 * @DRM_SVMGPU_ATTR_ACCESS: what the GPU may do: a
	 * DRM_SVMGPU_ACCESS_* value. Default READ_WRITE. An access the
	 * attribute forbids faults with DRM_SVMGPU_FAULT_ATTR_ACCESS.
	 */
	DRM_SVMGPU_ATTR_ACCESS = 0,
	/**
	 * @DRM_SVMGPU_ATTR_MAX_CHUNK: largest range (in bytes) one GPU fault
	 * populates: 4096, 65536 or 2097152 (default). Smaller chunks mean
	 * more faults and finer invalidation.
	 */
	DRM_SVMGPU_ATTR_MAX_CHUNK = 1,
	/**
	 * @DRM_SVMGPU_ATTR_READ_MOSTLY: 1 if the GPU mostly reads the range
	 * (default 0). A read fault then maps pages read-only even when the
	 * CPU mapping is writable, so reads never dirty pages; a write
	 * faults again and upgrades.
	 */
	DRM_SVMGPU_ATTR_READ_MOSTLY = 2,
	/**
	 * @DRM_SVMGPU_ATTR_PREFERRED_LOCATION: where the memory should live:
	 * DRM_SVMGPU_LOCATION_SYSTEM (the only location until the device has
	 * memory of its own).
	 */
	DRM_SVMGPU_ATTR_PREFERRED_LOCATION = 3,
};

/** DRM_SVMGPU_ACCESS_NONE - the GPU may not touch the range. */
#define DRM_SVMGPU_ACCESS_NONE		0
/** DRM_SVMGPU_ACCESS_READ - the GPU may read the range. */
#define DRM_SVMGPU_ACCESS_READ		1
/** DRM_SVMGPU_ACCESS_READ_WRITE - the GPU may read and write (the default). */
#define DRM_SVMGPU_ACCESS_READ_WRITE	2
/** DRM_SVMGPU_LOCATION_SYSTEM - system memory. */
#define DRM_SVMGPU_LOCATION_SYSTEM	0
/**
 * DRM_SVMGPU_ATTR_MIXED - value GET returns for an attribute that differs
 * within the range.
 */
#define DRM_SVMGPU_ATTR_MIXED		(~0ull)

/** struct drm_svmgpu_attr - one attribute and its value. */
struct drm_svmgpu_attr {
	/** @type: (in) an &enum drm_svmgpu_attr_type value. */
	__u32 type;
	/** @pad: MBZ. */
	__u32 pad;
	/** @value: (in for SET, out for GET) the value. */
	__u64 value;
};

/** enum drm_svmgpu_vm_attr_op - what DRM_IOCTL_SVMGPU_VM_ATTR does. */
enum drm_svmgpu_vm_attr_op {
	/** @DRM_SVMGPU_VM_ATTR_SET: set each attribute on the range. */
	DRM_SVMGPU_VM_ATTR_SET = 0,
	/**
	 * @DRM_SVMGPU_VM_ATTR_GET: read each attribute of the range: its
	 * value if the same over the whole range, else
	 * %DRM_SVMGPU_ATTR_MIXED.
	 */
	DRM_SVMGPU_VM_ATTR_GET = 1,
};

/** DRM_SVMGPU_VM_ATTR_MAX - most attributes in one DRM_IOCTL_SVMGPU_VM_ATTR. */
#define DRM_SVMGPU_VM_ATTR_MAX		16

/**
 * struct drm_svmgpu_vm_attr - argument of DRM_IOCTL_SVMGPU_VM_ATTR.
 *
 * Sets or gets attributes of [@start, @start + @size) of a fault-mode VM
 * (like amdkfd's SVM attributes: a SET on part of a range splits it).
 * SET validates every attribute before it changes anything. After a SET,
 * neighbouring ranges with equal attributes are merged and ranges with
 * the defaults are forgotten, so repeated SETs do not accumulate state.
 *
 * Errors:
 *
 * - -EINVAL: @extensions is not zero; @op is unknown; the VM is
 *   not in fault mode; @start or @size is not a multiple of 4096, @size
 *   is 0 or the range leaves the usable VA range [%DRM_SVMGPU_VM_GUARD,
 *   2^48 - %DRM_SVMGPU_VM_GUARD); @attrs.count is 0 or more than
 *   %DRM_SVMGPU_VM_ATTR_MAX, @attrs.stride is too small or an element
 *   has non-zero bytes past the known fields; an attribute has an
 *   unknown type, a non-zero pad, or (SET) an invalid value, or appears
 *   twice.
 * - -ENOENT: @vm_id names no VM.
 * - -EACCES: SET from a process other than the one that created the VM.
 * - -EFAULT: @attrs.array could not be read, or (GET) written.
 * - -ENOMEM: out of memory; nothing was changed.
 */
struct drm_svmgpu_vm_attr {
	/** @vm_id: (in) the VM. */
	__u32 vm_id;
	/** @op: (in) an &enum drm_svmgpu_vm_attr_op value. */
	__u32 op;
	/** @start: (in) start of the range. */
	__u64 start;
	/** @size: (in) size of the range. */
	__u64 size;
	/** @attrs: (in; values out for GET) array of &struct drm_svmgpu_attr. */
	struct drm_svmgpu_obj_array attrs;
	/** @extensions: (in) extension chain; none defined yet: MBZ. */
	__u64 extensions;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_SVMGPU_DRM_H_ */
