/* SPDX-License-Identifier: MIT */
/*
 * svmgpu.h - libsvmgpu, the userspace library of the svmgpu DRM driver.
 *
 * A thin, libdrm-style C layer over the uAPI of svmgpu_drm.h: devices,
 * buffer objects, GPU virtual address spaces, queues, job submission,
 * syncobjs and a batch-buffer builder. docs/libsvmgpu.md is the guide;
 * this header is the reference.
 *
 * Conventions of every function:
 *
 * - The return value is 0 on success or a negative errno; the few
 *   functions that return a count or a file descriptor say so. Errors of
 *   the kernel are passed through unchanged (see the "Errors" lists of
 *   svmgpu_drm.h); errors the library detects itself are listed with each
 *   function. A function that fails has changed nothing and has not
 *   written its output parameters, unless it says otherwise.
 * - Every pointer argument is checked: NULL where an object or an output
 *   is required is -EINVAL. Objects of one device cannot be used with
 *   another device (-EINVAL).
 * - Flags the kernel interprets are passed to it as they are and checked
 *   by it, so new kernel flags need no new library; flags the library
 *   interprets itself are checked here (-EINVAL for unknown bits).
 * - The library never aborts and never prints; it may change errno.
 *
 * Ownership and lifetime: objects are made by *_create (or *_open,
 * *_import) and released by *_destroy. Devices and BOs are reference
 * counted; a BO, VM or queue holds a reference to its device, so a device
 * may be destroyed before them (its file is closed with the last object).
 *
 * Thread safety: see docs/libsvmgpu.md, "Threads". In short: every
 * function may be called from any thread, concurrently, on distinct or
 * shared devices, BOs, VMs and queues, except that an object must not be
 * used while or after it is destroyed, and a struct svmgpu_cmdbuf is used
 * by one thread at a time.
 */
#ifndef LIBSVMGPU_SVMGPU_H
#define LIBSVMGPU_SVMGPU_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The uAPI (parameters, flags, limits) and the hardware's command and
 * fault encodings. Installed next to this header.
 */
#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_fault.h"

#if defined(__cplusplus)
extern "C" {
#endif

/** struct svmgpu_device - an open svmgpu DRM file (render node). */
struct svmgpu_device;
/** struct svmgpu_bo - a buffer object (GEM object) of a device. */
struct svmgpu_bo;
/** struct svmgpu_vm - a GPU virtual address space of a device. */
struct svmgpu_vm;
/** struct svmgpu_queue - a queue executing jobs on one engine in one VM. */
struct svmgpu_queue;
/** struct svmgpu_cmdbuf - a batch buffer being written in a mapped BO. */
struct svmgpu_cmdbuf;

/* ---------------------------------------------------------------------
 * Devices (device.c)
 */

/**
 * struct svmgpu_device_info - what a device is, read once when it is
 * opened.
 * @hw_revision: DRM_SVMGPU_PARAM_HW_REVISION, (major << 16) | minor.
 * @va_bits: DRM_SVMGPU_PARAM_VA_BITS.
 * @page_sizes: DRM_SVMGPU_PARAM_PAGE_SIZES (bit n: pages of 2^n bytes).
 * @num_engines: DRM_SVMGPU_PARAM_NUM_ENGINES; engines are 0 .. n-1.
 * @device_index: DRM_SVMGPU_PARAM_DEVICE_INDEX.
 * @va_start: first GPU virtual address a VM can map.
 * @va_end: end (exclusive) of the GPU virtual addresses a VM can map.
 * @max_bo_size: largest size svmgpu_bo_create() accepts.
 * @drm_major: DRM driver version, major.
 * @drm_minor: DRM driver version, minor.
 * @drm_patchlevel: DRM driver version, patch level.
 * @node: path of the device node, e.g. "/dev/dri/renderD128", or "" if
 *	unknown.
 * @features: DRM_SVMGPU_PARAM_FEATURES, a mask of SVMGPU_FEATURE_*; 0 on
 *	a kernel that predates the parameter.
 *
 * Fields may be added at the end; the structure is only ever handed out
 * by pointer (svmgpu_device_get_info()), so that is compatible.
 */
struct svmgpu_device_info {
	uint32_t hw_revision;
	uint32_t va_bits;
	uint64_t page_sizes;
	uint32_t num_engines;
	uint32_t device_index;
	uint64_t va_start;
	uint64_t va_end;
	uint64_t max_bo_size;
	int drm_major;
	int drm_minor;
	int drm_patchlevel;
	char node[64];
	uint64_t features;
};

/**
 * SVMGPU_FEATURE_FAULT_MODE - &svmgpu_device_info.features bit: the kernel
 * has fault-mode VMs with CPU-address mirror windows, user fences and the
 * SVM queries and attributes (DRM_SVMGPU_FEATURE_FAULT_MODE). Without it,
 * everything of "Shared virtual memory" below fails with -EINVAL.
 */
#define SVMGPU_FEATURE_FAULT_MODE	DRM_SVMGPU_FEATURE_FAULT_MODE

/**
 * svmgpu_device_count - count the svmgpu devices this process can open.
 *
 * Enumerates the DRM devices with libdrm's drmGetDevices2() and keeps
 * the render nodes whose DRM_IOCTL_VERSION name is "svmgpu" (falling back
 * to scanning /dev/dri/renderD* when libdrm lists none of them).
 *
 * Return: the number of devices (0 if none), or -ENOMEM.
 */
int svmgpu_device_count(void);

/**
 * svmgpu_device_open - open the @index-th svmgpu device.
 * @index: 0 .. svmgpu_device_count() - 1; devices are ordered by the
 *	minor number of their render node, so the order is stable.
 * @dev: (out) the new device.
 *
 * Opens the render node (O_RDWR | O_CLOEXEC): every call makes a new DRM
 * file with its own GEM handles, VMs, queues and syncobjs.
 *
 * Return: 0; -EINVAL if @dev is NULL; -ENODEV if there is no such device
 * (or the error of opening a render node, e.g. -EACCES, when some could
 * not be opened); -ENOTSUP if the hardware's major revision is not one
 * this library knows; -ENOMEM.
 */
int svmgpu_device_open(unsigned int index, struct svmgpu_device **dev);

/**
 * svmgpu_device_open_fd - make a device of an already open DRM file.
 * @fd: descriptor of an svmgpu DRM node; the caller keeps it.
 * @dev: (out) the device.
 *
 * The library works on its own duplicate of @fd (F_DUPFD_CLOEXEC), so the
 * caller may close @fd at any time. The duplicate shares the open file
 * description, hence the GEM handles, with @fd. If a device of this
 * library already uses the same open file description (e.g. @fd is
 * svmgpu_device_get_fd() of a device, or a dup() of it), that device is
 * returned with one more reference instead, so that one DRM file always
 * has one handle table (needs the kcmp() system call; without it a new
 * device is made).
 *
 * Return: 0; -EINVAL if @dev is NULL or @fd negative; -EBADF if @fd is not
 * open; -ENODEV if @fd is not an svmgpu DRM device; -ENOTSUP for an
 * unknown hardware major revision; -EMFILE; -ENOMEM.
 */
int svmgpu_device_open_fd(int fd, struct svmgpu_device **dev);

/**
 * svmgpu_device_destroy - drop a reference to a device.
 * @dev: the device.
 *
 * The DRM file is closed when the last reference is gone: the caller's,
 * those of svmgpu_device_open_fd() calls that returned the same device,
 * and one per BO, VM and queue not yet destroyed.
 *
 * Return: 0, or -EINVAL if @dev is NULL.
 */
int svmgpu_device_destroy(struct svmgpu_device *dev);

/**
 * svmgpu_device_get_fd - the DRM file descriptor of a device.
 * @dev: the device.
 *
 * The descriptor belongs to the device: do not close it. It may be used
 * for ioctls the library does not wrap.
 *
 * Return: the descriptor (>= 0), or -EINVAL if @dev is NULL.
 */
int svmgpu_device_get_fd(struct svmgpu_device *dev);

/**
 * svmgpu_device_get_info - what the device is.
 * @dev: the device.
 * @info: (out) points to the device's information, valid (and constant)
 *	until the device's last reference is dropped.
 *
 * Return: 0, or -EINVAL if an argument is NULL.
 */
int svmgpu_device_get_info(struct svmgpu_device *dev,
			   const struct svmgpu_device_info **info);

/**
 * svmgpu_device_query - read one device parameter from the kernel.
 * @dev: the device.
 * @param: an &enum drm_svmgpu_param value (also ones newer than this
 *	library; the kernel checks it).
 * @value: (out) its value.
 *
 * Return: 0; -EINVAL if @dev or @value is NULL or the kernel does not
 * know @param.
 */
int svmgpu_device_query(struct svmgpu_device *dev, uint32_t param,
			uint64_t *value);

/* ---------------------------------------------------------------------
 * Buffer objects (bo.c)
 */

/**
 * svmgpu_bo_create - create a buffer object.
 * @dev: the device.
 * @size: size in bytes, 1 .. &svmgpu_device_info.max_bo_size; rounded up
 *	to a multiple of the page size (svmgpu_bo_get_size()).
 * @flags: DRM_SVMGPU_GEM_CREATE flags; none are defined yet: 0.
 * @bo: (out) the BO, with one reference.
 *
 * The BO's memory is allocated, zeroed, on first use.
 *
 * Return: 0; -EINVAL for a NULL argument, a size of 0 or above
 * max_bo_size, or flags the kernel refuses; -ENOMEM; -ENOSPC (see
 * DRM_IOCTL_SVMGPU_GEM_CREATE).
 */
int svmgpu_bo_create(struct svmgpu_device *dev, uint64_t size, uint32_t flags,
		     struct svmgpu_bo **bo);

/**
 * svmgpu_bo_import - import a dma-buf.
 * @dev: the device.
 * @dmabuf_fd: the dma-buf; the caller keeps it (it may be closed after).
 * @bo: (out) the BO.
 *
 * The device keeps one BO per GEM handle: importing a dma-buf whose GEM
 * object this device's file already has a handle for (a BO of this
 * device that was exported, or a dma-buf imported before) returns that
 * same struct svmgpu_bo with one more reference. Each successful import
 * must therefore be matched by one svmgpu_bo_destroy().
 *
 * Return: 0; -EINVAL if @dev or @bo is NULL or @dmabuf_fd negative;
 * -EBADF or the kernel's error if @dmabuf_fd is not a dma-buf this device
 * can import; -ENOMEM.
 */
int svmgpu_bo_import(struct svmgpu_device *dev, int dmabuf_fd,
		     struct svmgpu_bo **bo);

/**
 * svmgpu_bo_ref - take one more reference to a BO.
 * @bo: the BO.
 *
 * Return: 0, or -EINVAL if @bo is NULL.
 */
int svmgpu_bo_ref(struct svmgpu_bo *bo);

/**
 * svmgpu_bo_destroy - drop a reference to a BO.
 * @bo: the BO.
 *
 * With the last reference the CPU mapping is unmapped and the GEM handle
 * closed; the memory itself lives on while a VM maps it, a job uses it or
 * a dma-buf of it is open.
 *
 * Return: 0, or -EINVAL if @bo is NULL.
 */
int svmgpu_bo_destroy(struct svmgpu_bo *bo);

/**
 * svmgpu_bo_map - map a BO for the CPU.
 * @bo: the BO.
 * @ptr: (out) address of the BO's first byte.
 *
 * The whole BO is mapped, cached, shared (MAP_SHARED, read-write) the
 * first time; later calls return the same address. The mapping stays
 * until the BO's last reference is dropped: there is no unmap.
 *
 * Return: 0; -EINVAL for a NULL argument; -ENOMEM when the memory cannot
 * be allocated (always for a BO larger than the system's RAM).
 */
int svmgpu_bo_map(struct svmgpu_bo *bo, void **ptr);

/**
 * svmgpu_bo_get_handle - the GEM handle of a BO in its device's file.
 * @bo: the BO.
 * @handle: (out) the handle; it stays the BO's, do not close it.
 *
 * Return: 0, or -EINVAL if an argument is NULL.
 */
int svmgpu_bo_get_handle(struct svmgpu_bo *bo, uint32_t *handle);

/**
 * svmgpu_bo_get_size - the size of a BO.
 * @bo: the BO.
 * @size: (out) size in bytes (a multiple of the page size).
 *
 * Return: 0, or -EINVAL if an argument is NULL.
 */
int svmgpu_bo_get_size(struct svmgpu_bo *bo, uint64_t *size);

/**
 * svmgpu_bo_export - export a BO as a dma-buf.
 * @bo: the BO.
 * @dmabuf_fd: (out) a new dma-buf descriptor (O_RDWR, close-on-exec),
 *	owned by the caller.
 *
 * Return: 0; -EINVAL if an argument is NULL; -EMFILE; -ENOMEM.
 */
int svmgpu_bo_export(struct svmgpu_bo *bo, int *dmabuf_fd);

/* ---------------------------------------------------------------------
 * GPU virtual address spaces (vm.c)
 */

/** SVMGPU_VM_BIND_MAP - map a range of a BO (DRM_SVMGPU_VM_BIND_OP_MAP). */
#define SVMGPU_VM_BIND_MAP		DRM_SVMGPU_VM_BIND_OP_MAP
/** SVMGPU_VM_BIND_UNMAP - unmap a range (DRM_SVMGPU_VM_BIND_OP_UNMAP). */
#define SVMGPU_VM_BIND_UNMAP		DRM_SVMGPU_VM_BIND_OP_UNMAP
/** SVMGPU_VM_BIND_READ_ONLY - MAP without GPU write access. */
#define SVMGPU_VM_BIND_READ_ONLY	DRM_SVMGPU_VM_BIND_OP_READ_ONLY
/**
 * SVMGPU_VM_BIND_MIRROR - make a range a CPU-address-mirror window of a
 * fault-mode VM (DRM_SVMGPU_VM_BIND_OP_MIRROR).
 */
#define SVMGPU_VM_BIND_MIRROR		DRM_SVMGPU_VM_BIND_OP_MIRROR
/**
 * SVMGPU_VM_BIND_PREFETCH - populate the GPU mappings of a range of mirror
 * windows now (DRM_SVMGPU_VM_BIND_OP_PREFETCH).
 */
#define SVMGPU_VM_BIND_PREFETCH		DRM_SVMGPU_VM_BIND_OP_PREFETCH

/**
 * SVMGPU_VM_CREATE_FAULT_MODE - svmgpu_vm_create() flag: a fault-mode
 * (long-running) VM (DRM_SVMGPU_VM_CREATE_FAULT_MODE); see "Shared
 * virtual memory" below.
 */
#define SVMGPU_VM_CREATE_FAULT_MODE	DRM_SVMGPU_VM_CREATE_FAULT_MODE

/**
 * struct svmgpu_vm_bind_op - one operation of svmgpu_vm_bind().
 * @op: SVMGPU_VM_BIND_MAP, SVMGPU_VM_BIND_UNMAP, or, in a fault-mode VM,
 *	SVMGPU_VM_BIND_MIRROR or SVMGPU_VM_BIND_PREFETCH.
 * @flags: SVMGPU_VM_BIND_READ_ONLY or 0 (MAP); 0 (the others).
 * @bo: the BO to map (MAP); NULL (the others).
 * @bo_offset: offset in @bo (MAP); 0 (the others).
 * @va: start of the range in the VM.
 * @size: size of the range.
 *
 * @va, @size and @bo_offset are multiples of 4096; @size is not 0;
 * [@va, @va + @size) lies in [va_start, va_end) of the device info; for
 * MAP, [@bo_offset, @bo_offset + @size) lies inside @bo.
 */
struct svmgpu_vm_bind_op {
	uint32_t op;
	uint32_t flags;
	struct svmgpu_bo *bo;
	uint64_t bo_offset;
	uint64_t va;
	uint64_t size;
};

/**
 * svmgpu_vm_create - create a GPU virtual address space.
 * @dev: the device.
 * @flags: 0 for a dma-fence-mode VM, or SVMGPU_VM_CREATE_FAULT_MODE for
 *	a fault-mode one (needs SVMGPU_FEATURE_FAULT_MODE); passed to the
 *	kernel as they are.
 * @vm: (out) the VM.
 *
 * Return: 0; -EINVAL for a NULL argument or flags the kernel refuses;
 * -ENOSPC (too many VMs in the file); -ENOMEM.
 */
int svmgpu_vm_create(struct svmgpu_device *dev, uint32_t flags,
		     struct svmgpu_vm **vm);

/**
 * svmgpu_vm_destroy - destroy a VM.
 * @vm: the VM.
 *
 * Its mappings go when the last job using it has completed; queues made
 * on it keep it alive in the kernel until they are destroyed.
 *
 * Return: 0, or -EINVAL if @vm is NULL. The library object is freed even
 * if the kernel fails (it cannot, for a VM this library made).
 */
int svmgpu_vm_destroy(struct svmgpu_vm *vm);

/**
 * svmgpu_vm_get_id - the kernel's id of a VM in its device's file.
 * @vm: the VM.
 * @id: (out) the id.
 *
 * Return: 0, or -EINVAL if an argument is NULL.
 */
int svmgpu_vm_get_id(struct svmgpu_vm *vm, uint32_t *id);

/**
 * svmgpu_vm_bind - map and unmap ranges of a VM.
 * @vm: the VM.
 * @ops: the operations, applied in order.
 * @count: number of operations, 1 .. DRM_SVMGPU_VM_BIND_MAX_OPS.
 *
 * Synchronous: when it returns, every operation is done and visible to
 * later jobs; it first waits for the VM's pending asynchronous binds.
 * All operations are checked, and everything they need allocated,
 * before the first is applied. Mapping over a mapping replaces the
 * overlapped part; unmapping keeps the parts of mappings outside the
 * range. svmgpu_vm_bind_submit() without syncs or flags.
 *
 * A fault-mode VM checks every operation first too, but then applies
 * them one after the other: one that fails while being applied (a
 * PREFETCH's -EFAULT, -ENOMEM, -EINTR) leaves those before it applied.
 *
 * Return: 0; -EINVAL for a NULL argument, a @count out of range, or an
 * operation that breaks the rules of &struct svmgpu_vm_bind_op (unknown
 * op, misaligned or empty range, range outside the VM or the BO, a BO of
 * another device, a BO given for an operation other than MAP, flags the
 * kernel refuses, MIRROR or PREFETCH on a dma-fence-mode VM); -EACCES
 * (MIRROR or PREFETCH from a process other than the fault-mode VM's
 * creator); -EFAULT (PREFETCH of memory the GPU may not map); -ENOMEM
 * (nothing applied, but see fault mode above); -EINTR (likewise).
 */
int svmgpu_vm_bind(struct svmgpu_vm *vm, const struct svmgpu_vm_bind_op *ops,
		   uint32_t count);

/**
 * SVMGPU_VM_BIND_ASYNC - svmgpu_vm_bind_submit() returns once the bind is
 * queued (DRM_SVMGPU_VM_BIND_ASYNC).
 */
#define SVMGPU_VM_BIND_ASYNC		DRM_SVMGPU_VM_BIND_ASYNC

struct svmgpu_sync;

/**
 * struct svmgpu_vm_bind_info - one bind.
 * @ops: the operations, applied in order.
 * @num_ops: number of @ops, 1 .. DRM_SVMGPU_VM_BIND_MAX_OPS.
 * @waits: syncobjs (points) the bind waits for before it changes the
 *	page tables; each must have a fence (point) already.
 * @num_waits: number of @waits.
 * @signals: syncobjs the bind signals once it took effect (binary: its
 *	fence replaces theirs; timeline: adds the point).
 * @num_signals: number of @signals; @num_waits + @num_signals is at most
 *	DRM_SVMGPU_VM_BIND_MAX_SYNCS.
 * @flags: SVMGPU_VM_BIND_ASYNC or 0.
 *
 * &struct svmgpu_sync is described with job submission below.
 */
struct svmgpu_vm_bind_info {
	const struct svmgpu_vm_bind_op *ops;
	uint32_t num_ops;
	const struct svmgpu_sync *waits;
	uint32_t num_waits;
	const struct svmgpu_sync *signals;
	uint32_t num_signals;
	uint32_t flags;
};

/**
 * svmgpu_vm_bind_submit - map and unmap ranges of a VM, with syncobjs,
 * synchronously or asynchronously.
 * @vm: the VM.
 * @info: the bind.
 *
 * With SVMGPU_VM_BIND_ASYNC, returns once the bind is queued: it takes
 * effect after its @waits have signalled and the VM's earlier jobs and
 * binds have completed, then signals its @signals; jobs submitted after
 * it see its result. Without the flag, as svmgpu_vm_bind(), waiting for
 * @waits first and with @signals signalled on return. Binds of a VM take
 * effect in submission order. Everything is checked, and everything the
 * bind needs allocated, before anything is applied: a failing call has
 * applied and signalled nothing. See the uAPI's "Virtual memory" for
 * what destroying a VM does to its pending binds.
 *
 * Return: 0; -EINVAL for a NULL argument, a count out of range, a NULL
 * array with a non-zero count, an operation that breaks the rules of
 * &struct svmgpu_vm_bind_op, flags the kernel refuses, or a wait syncobj
 * (point) without a fence; -ENOENT for a syncobj the kernel does not
 * know; -ENOMEM; -EINTR.
 */
int svmgpu_vm_bind_submit(struct svmgpu_vm *vm,
			  const struct svmgpu_vm_bind_info *info);

/**
 * svmgpu_vm_map - map @size bytes of @bo from @bo_offset at @va.
 * @vm: the VM.
 * @bo: the BO.
 * @bo_offset: offset in @bo.
 * @va: GPU virtual address.
 * @size: size of the range.
 * @flags: SVMGPU_VM_BIND_READ_ONLY or 0.
 *
 * One SVMGPU_VM_BIND_MAP operation of svmgpu_vm_bind().
 *
 * Return: as svmgpu_vm_bind().
 */
int svmgpu_vm_map(struct svmgpu_vm *vm, struct svmgpu_bo *bo,
		  uint64_t bo_offset, uint64_t va, uint64_t size,
		  uint32_t flags);

/**
 * svmgpu_vm_map_userptr - map @size bytes of this process's memory, from
 * @ptr, at @va.
 * @vm: the VM; a dma-fence-mode one (not DRM_SVMGPU_VM_CREATE_FAULT_MODE).
 * @ptr: CPU address, a multiple of 4096.
 * @va: GPU virtual address.
 * @size: size of the range, at most DRM_SVMGPU_USERPTR_MAX_SIZE.
 * @flags: SVMGPU_VM_BIND_READ_ONLY or 0.
 *
 * A synchronous DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR (see the uAPI's
 * "Userptr mappings"): the pages are not pinned, the GPU mapping follows
 * the CPU's, and jobs submitted after a change of the CPU mapping see the
 * new pages; svmgpu_exec_submit() fails with -EFAULT while the range is
 * not mapped. Unmap it with svmgpu_vm_unmap(). The memory must stay
 * mapped as long as jobs use it.
 *
 * Return: 0; -EINVAL for a NULL @vm, a misaligned or empty range, a range
 * outside the VM, a @size above the limit or flags other than
 * SVMGPU_VM_BIND_READ_ONLY (checked before any system call), or a
 * fault-mode VM; -EFAULT if the memory is not (fully) mapped, not user
 * memory, device memory (VM_IO/VM_PFNMAP, e.g. a BO's mmap) or not
 * writable without SVMGPU_VM_BIND_READ_ONLY; -EAGAIN; -ENOMEM; -EINTR.
 */
int svmgpu_vm_map_userptr(struct svmgpu_vm *vm, const void *ptr, uint64_t va,
			  uint64_t size, uint32_t flags);

/**
 * svmgpu_vm_unmap - unmap [@va, @va + @size).
 * @vm: the VM.
 * @va: GPU virtual address.
 * @size: size of the range.
 *
 * One SVMGPU_VM_BIND_UNMAP operation of svmgpu_vm_bind().
 *
 * Return: as svmgpu_vm_bind().
 */
int svmgpu_vm_unmap(struct svmgpu_vm *vm, uint64_t va, uint64_t size);

/**
 * svmgpu_vm_mirror - make [@va, @va + @size) a CPU-address-mirror window.
 * @vm: a fault-mode VM (SVMGPU_VM_CREATE_FAULT_MODE).
 * @va: start of the window, a multiple of 4096.
 * @size: size of the window, a multiple of 4096, not 0.
 *
 * One SVMGPU_VM_BIND_MIRROR operation of svmgpu_vm_bind(): inside the
 * window a GPU address is the same address of this process (the one that
 * created the VM); pages are mapped on the GPU's first access (or by
 * svmgpu_vm_prefetch()). Replaces the BO mappings in the range. The range
 * must lie in [va_start, va_end) of the device info; the whole user half
 * of the process, [va_start, 2^47), is the usual choice. Unmap it with
 * svmgpu_vm_unmap().
 *
 * Return: as svmgpu_vm_bind(); also -EINVAL for a dma-fence-mode VM and
 * -EACCES from a process other than the VM's creator.
 */
int svmgpu_vm_mirror(struct svmgpu_vm *vm, uint64_t va, uint64_t size);

/**
 * svmgpu_vm_prefetch - map [@va, @va + @size) of the mirror on the GPU
 * now rather than on its first access.
 * @vm: a fault-mode VM.
 * @va: start of the range, a multiple of 4096 (a CPU address: the mirror
 *	maps the same address).
 * @size: size of the range, a multiple of 4096, not 0.
 *
 * One SVMGPU_VM_BIND_PREFETCH operation of svmgpu_vm_bind(): populates
 * the GPU mappings from the CPU page tables (faulting the CPU pages in
 * as needed), writable where the CPU mapping is, so a job touching only
 * this range takes no GPU fault (until a CPU change tears mappings down).
 * Counted in &svmgpu_vm_counters.prefetched.
 *
 * Return: as svmgpu_vm_bind(); also -EINVAL for a dma-fence-mode VM;
 * -EACCES from a process other than the VM's creator; -EFAULT if part of
 * the range has no CPU mapping the GPU may use or is outside the mirror
 * windows (the pages before it may be populated).
 */
int svmgpu_vm_prefetch(struct svmgpu_vm *vm, uint64_t va, uint64_t size);

/* ---------------------------------------------------------------------
 * Queues (queue.c)
 */

/**
 * struct svmgpu_queue_state - what happened to a queue.
 * @banned: the queue refuses new jobs (a job hung, faulted or executed an
 *	invalid command).
 * @reset_count: how many times the queue was reset.
 * @error: 0, or the negative errno of the failure that banned the queue:
 *	-ETIMEDOUT (hang), -EFAULT (fault), -EIO (invalid command).
 * @fault_access: access of the last fault, SVMGPU_ACCESS_* of
 *	hw/svmgpu_fault.h.
 * @fault_reason: reason of the last fault, SVMGPU_FAULT_* of the hardware
 *	(1 .. 15) or, in a fault-mode VM, the kernel's reason why it could not
 *	resolve it, DRM_SVMGPU_FAULT_* (NO_VMA, ACCESS, NO_WINDOW,
 *	UNMIRRORABLE, NO_MM, NO_MEMORY, ATTR_ACCESS); 0 if the queue
 *	never faulted.
 * @fault_address: GPU virtual address of the last fault.
 */
struct svmgpu_queue_state {
	bool banned;
	uint32_t reset_count;
	int error;
	uint32_t fault_access;
	uint32_t fault_reason;
	uint64_t fault_address;
};

/**
 * svmgpu_queue_create - create a queue on an engine, running in a VM.
 * @vm: the VM the queue's jobs run in.
 * @engine: 0 .. &svmgpu_device_info.num_engines - 1.
 * @flags: DRM_SVMGPU_QUEUE_CREATE flags; none defined yet: 0.
 * @queue: (out) the queue.
 *
 * Return: 0; -EINVAL for a NULL argument, an engine out of range or flags
 * the kernel refuses; -ENOSPC (no hardware queue slot free, or too many
 * queues in the file); -ENOMEM.
 */
int svmgpu_queue_create(struct svmgpu_vm *vm, uint32_t engine, uint32_t flags,
			struct svmgpu_queue **queue);

/**
 * svmgpu_queue_destroy - destroy a queue.
 * @queue: the queue.
 *
 * Jobs already submitted complete (or fail) first, in the kernel; this
 * does not wait for them.
 *
 * Return: 0, or -EINVAL if @queue is NULL.
 */
int svmgpu_queue_destroy(struct svmgpu_queue *queue);

/**
 * svmgpu_queue_get_id - the kernel's id of a queue in its device's file.
 * @queue: the queue.
 * @id: (out) the id.
 *
 * Return: 0, or -EINVAL if an argument is NULL.
 */
int svmgpu_queue_get_id(struct svmgpu_queue *queue, uint32_t *id);

/**
 * svmgpu_queue_get_state - read a queue's ban state, resets and last
 * fault.
 * @queue: the queue.
 * @state: (out) the state.
 *
 * Return: 0, or -EINVAL if an argument is NULL.
 */
int svmgpu_queue_get_state(struct svmgpu_queue *queue,
			   struct svmgpu_queue_state *state);

/* ---------------------------------------------------------------------
 * Shared virtual memory of fault-mode VMs (svm.c)
 *
 * A VM created with SVMGPU_VM_CREATE_FAULT_MODE mirrors this process:
 * inside its mirror windows (svmgpu_vm_mirror()) a GPU address is the
 * same CPU address, pages are mapped when the GPU first touches them and
 * follow every change of the CPU mapping. Its jobs signal no syncobjs:
 * each ends with a USER_FENCE command (svmgpu_cmdbuf_emit_user_fence()
 * with SVMGPU_USER_FENCE_IRQ) and svmgpu_user_fence_wait() waits for the
 * value. A fault the kernel cannot resolve bans the queue; its
 * svmgpu_queue_get_state() gives the address, access and reason. See the
 * uAPI's "Fault mode" and docs/svm.md.
 */

/* Per-page GPU mapping state of svmgpu_vm_query_pages(). */
/** SVMGPU_PAGE_MAPPED - the GPU can read the page. */
#define SVMGPU_PAGE_MAPPED		DRM_SVMGPU_PAGE_MAPPED
/** SVMGPU_PAGE_WRITE - the GPU can also write it. */
#define SVMGPU_PAGE_WRITE		DRM_SVMGPU_PAGE_WRITE
/** SVMGPU_PAGE_2M - mapped by a 2 MiB page-table leaf. */
#define SVMGPU_PAGE_2M			DRM_SVMGPU_PAGE_2M
/** SVMGPU_PAGE_1G - mapped by a 1 GiB page-table leaf. */
#define SVMGPU_PAGE_1G			DRM_SVMGPU_PAGE_1G
/** SVMGPU_PAGE_ZERO - the shared zero page, mapped read-only. */
#define SVMGPU_PAGE_ZERO		DRM_SVMGPU_PAGE_ZERO

/** SVMGPU_VM_QUERY_MAX_SIZE - largest range svmgpu_vm_query_pages() takes. */
#define SVMGPU_VM_QUERY_MAX_SIZE	(1ull << 30)

/**
 * svmgpu_vm_query_pages - the GPU's mapping state of each 4 KiB page of
 * [@start, @start + @size).
 * @vm: a fault-mode VM.
 * @start: start of the range, a multiple of 4096.
 * @size: size of the range, a multiple of 4096, 1 page ..
 *	SVMGPU_VM_QUERY_MAX_SIZE.
 * @states: (out) @size / 4096 bytes, one per page: 0 (not mapped) or
 *	SVMGPU_PAGE_MAPPED with SVMGPU_PAGE_WRITE, _2M, _1G, _ZERO as they
 *	apply.
 *
 * Reads the GPU page tables without faulting anything in. The range may
 * start at 0 (the low guard reads as unmapped) and must end at or below
 * &svmgpu_device_info.va_end.
 *
 * Return: 0; -EINVAL for a NULL argument, a misaligned, empty, too large
 * or out-of-range range, or a dma-fence-mode VM; -EFAULT if @states could
 * not be written (its content is then undefined); -ENOMEM.
 */
int svmgpu_vm_query_pages(struct svmgpu_vm *vm, uint64_t start, uint64_t size,
			  uint8_t *states);

/**
 * struct svmgpu_vm_counters - what a fault-mode VM's mirror did since the
 * VM was created (DRM_SVMGPU_VM_QUERY_COUNTERS).
 * @faults: GPU faults the kernel serviced.
 * @faults_unresolved: of those, the ones that stopped (banned) a queue.
 * @pages_4k: 4 KiB GPU mappings made.
 * @pages_2m: 2 MiB GPU mappings made.
 * @invalidations: ranges whose GPU mapping a CPU change tore down.
 * @ranges_gc: ranges destroyed after their CPU mapping went away.
 * @retries: population attempts that had to start again.
 * @prefetched: bytes populated by svmgpu_vm_prefetch().
 *
 * Fields may be added at the end: callers zero-initialise it, and the
 * library fills the fields it knows.
 */
struct svmgpu_vm_counters {
	uint64_t faults;
	uint64_t faults_unresolved;
	uint64_t pages_4k;
	uint64_t pages_2m;
	uint64_t invalidations;
	uint64_t ranges_gc;
	uint64_t retries;
	uint64_t prefetched;
};

/**
 * svmgpu_vm_query_counters - read the counters of a fault-mode VM.
 * @vm: a fault-mode VM.
 * @counters: (out) the counters.
 *
 * Works with kernels whose counter structure is larger (the library reads
 * it whole and keeps the fields it knows).
 *
 * Return: 0; -EINVAL for a NULL argument or a dma-fence-mode VM; -ENOMEM.
 */
int svmgpu_vm_query_counters(struct svmgpu_vm *vm,
			     struct svmgpu_vm_counters *counters);

/* Attribute types of &struct svmgpu_vm_attr (DRM_SVMGPU_ATTR_*). */
/** SVMGPU_ATTR_ACCESS - what the GPU may do: SVMGPU_ATTR_ACCESS_*. */
#define SVMGPU_ATTR_ACCESS		DRM_SVMGPU_ATTR_ACCESS
/** SVMGPU_ATTR_MAX_CHUNK - largest range one fault maps: 4096, 65536, 2097152. */
#define SVMGPU_ATTR_MAX_CHUNK		DRM_SVMGPU_ATTR_MAX_CHUNK
/** SVMGPU_ATTR_READ_MOSTLY - 1: read faults map read-only; 0 (default). */
#define SVMGPU_ATTR_READ_MOSTLY		DRM_SVMGPU_ATTR_READ_MOSTLY
/** SVMGPU_ATTR_PREFERRED_LOCATION - SVMGPU_ATTR_LOCATION_SYSTEM. */
#define SVMGPU_ATTR_PREFERRED_LOCATION	DRM_SVMGPU_ATTR_PREFERRED_LOCATION

/* Values of SVMGPU_ATTR_ACCESS and SVMGPU_ATTR_PREFERRED_LOCATION. */
/** SVMGPU_ATTR_ACCESS_NONE - the GPU may not touch the range. */
#define SVMGPU_ATTR_ACCESS_NONE		DRM_SVMGPU_ACCESS_NONE
/** SVMGPU_ATTR_ACCESS_READ - the GPU may only read the range. */
#define SVMGPU_ATTR_ACCESS_READ		DRM_SVMGPU_ACCESS_READ
/** SVMGPU_ATTR_ACCESS_READ_WRITE - the GPU may read and write (default). */
#define SVMGPU_ATTR_ACCESS_READ_WRITE	DRM_SVMGPU_ACCESS_READ_WRITE
/** SVMGPU_ATTR_LOCATION_SYSTEM - system memory (default, and the only one). */
#define SVMGPU_ATTR_LOCATION_SYSTEM	DRM_SVMGPU_LOCATION_SYSTEM
/**
 * SVMGPU_ATTR_MIXED - value svmgpu_vm_get_attrs() returns for an attribute
 * that is not the same over the whole range.
 */
#define SVMGPU_ATTR_MIXED		DRM_SVMGPU_ATTR_MIXED

/**
 * struct svmgpu_vm_attr - one attribute of a range of a fault-mode VM.
 * @type: SVMGPU_ATTR_ACCESS, _MAX_CHUNK, _READ_MOSTLY or
 *	_PREFERRED_LOCATION (or a newer DRM_SVMGPU_ATTR_*: the kernel checks).
 * @value: its value (in for svmgpu_vm_set_attrs(), out for
 *	svmgpu_vm_get_attrs()).
 */
struct svmgpu_vm_attr {
	uint32_t type;
	uint64_t value;
};

/**
 * svmgpu_vm_set_attrs - set attributes of [@start, @start + @size).
 * @vm: a fault-mode VM.
 * @start: start of the range, a multiple of 4096.
 * @size: size of the range, a multiple of 4096, not 0; the range lies in
 *	[va_start, va_end) of the device info.
 * @attrs: the attributes; each type at most once.
 * @count: number of @attrs, 1 .. DRM_SVMGPU_VM_ATTR_MAX.
 *
 * Attributes belong to the address range, not to a CPU mapping or a
 * window: they stay when the memory is unmapped and mapped again. Setting
 * them unmaps what the GPU had mapped in the range, so the next access
 * follows them; a GPU access SVMGPU_ATTR_ACCESS forbids is an
 * unresolvable fault (DRM_SVMGPU_FAULT_ATTR_ACCESS). Every attribute is
 * checked before anything changes.
 *
 * Return: 0; -EINVAL for a NULL argument, a count out of range, a
 * misaligned, empty or out-of-range range, a dma-fence-mode VM, or an
 * attribute the kernel refuses (unknown type, invalid value, a type given
 * twice); -EACCES from a process other than the VM's creator; -ENOMEM.
 */
int svmgpu_vm_set_attrs(struct svmgpu_vm *vm, uint64_t start, uint64_t size,
			const struct svmgpu_vm_attr *attrs, uint32_t count);

/**
 * svmgpu_vm_get_attrs - read attributes of [@start, @start + @size).
 * @vm: a fault-mode VM.
 * @start: as for svmgpu_vm_set_attrs().
 * @size: as for svmgpu_vm_set_attrs().
 * @attrs: (in/out) the types to read in @type; each @value is set to the
 *	attribute's value if it is the same over the whole range (the
 *	default where none was set), else SVMGPU_ATTR_MIXED.
 * @count: number of @attrs, 1 .. DRM_SVMGPU_VM_ATTR_MAX.
 *
 * Return: 0; -EINVAL as for svmgpu_vm_set_attrs() (unknown type, a type
 * given twice); -ENOMEM. On failure no @value is written.
 */
int svmgpu_vm_get_attrs(struct svmgpu_vm *vm, uint64_t start, uint64_t size,
			struct svmgpu_vm_attr *attrs, uint32_t count);

/* ---------------------------------------------------------------------
 * User fences (ufence.c)
 */

/* Comparisons of svmgpu_user_fence_wait(), all on (*addr & mask). */
/** SVMGPU_UFENCE_EQ - (*addr & mask) == (value & mask). */
#define SVMGPU_UFENCE_EQ		DRM_SVMGPU_UFENCE_EQ
/** SVMGPU_UFENCE_NEQ - (*addr & mask) != (value & mask). */
#define SVMGPU_UFENCE_NEQ		DRM_SVMGPU_UFENCE_NEQ
/** SVMGPU_UFENCE_GT - (*addr & mask) > (value & mask), unsigned. */
#define SVMGPU_UFENCE_GT		DRM_SVMGPU_UFENCE_GT
/** SVMGPU_UFENCE_GTE - (*addr & mask) >= (value & mask), unsigned. */
#define SVMGPU_UFENCE_GTE		DRM_SVMGPU_UFENCE_GTE
/** SVMGPU_UFENCE_LT - (*addr & mask) < (value & mask), unsigned. */
#define SVMGPU_UFENCE_LT		DRM_SVMGPU_UFENCE_LT
/** SVMGPU_UFENCE_LTE - (*addr & mask) <= (value & mask), unsigned. */
#define SVMGPU_UFENCE_LTE		DRM_SVMGPU_UFENCE_LTE

/**
 * svmgpu_user_fence_wait - wait until a 64-bit value in this process's
 * memory satisfies a comparison (DRM_IOCTL_SVMGPU_WAIT_USER_FENCE).
 * @dev: the device whose queues write the value.
 * @addr: the value; a multiple of 8. Any memory of the process: the
 *	kernel reads it, the GPU need not map it (it usually does: a
 *	fault-mode job's USER_FENCE writes it through the mirror).
 * @op: SVMGPU_UFENCE_EQ, _NEQ, _GT, _GTE, _LT or _LTE (the kernel checks).
 * @value: the value compared with, under @mask.
 * @mask: the bits of *@addr and @value compared (0: every condition on
 *	equal values holds, whatever the memory says).
 * @queue: (optional) a queue of @dev whose failure ends the wait, or
 *	NULL.
 * @timeout_ns: (in/out) relative timeout in nanoseconds: negative waits
 *	for ever, 0 checks once. On return it holds what is left of it:
 *	0 after -ETIME; unchanged when the condition held at the first
 *	check or the timeout is negative; else the remaining time, at the
 *	kernel clock's resolution (jiffies).
 *
 * The value is read again each time a queue of the device executes a
 * USER_FENCE command with SVMGPU_USER_FENCE_IRQ, and when @queue stops;
 * a USER_FENCE without the IRQ flag is noticed only when something else
 * wakes the wait. A signal interrupting the wait restarts it for what is
 * left of the timeout (drmIoctl()'s loop, with the kernel's write-back).
 *
 * Return: 0 once the condition holds (also if @queue is banned by then);
 * -ETIME if @timeout_ns passed first; -EIO if @queue is banned (a job
 * failed, see svmgpu_queue_get_state() for the fault) and the condition
 * does not hold; -EINVAL for a NULL @dev, @addr or @timeout_ns, a
 * misaligned @addr, a @queue of another device, or an @op the kernel does
 * not know; -ENOENT if @queue's kernel queue is gone; -EFAULT if @addr
 * could not be read.
 */
int svmgpu_user_fence_wait(struct svmgpu_device *dev,
			   const volatile uint64_t *addr, uint32_t op,
			   uint64_t value, uint64_t mask,
			   struct svmgpu_queue *queue, int64_t *timeout_ns);

/**
 * svmgpu_user_fence_wake - make every svmgpu_user_fence_wait() of the
 * device (in any process) read its value again
 * (DRM_IOCTL_SVMGPU_USER_FENCE_WAKE).
 * @dev: the device.
 *
 * For values the CPU writes (a host signal): call it after the write, as
 * the GPU's USER_FENCE interrupt wakes the waiters of values the GPU
 * writes. Waiters whose condition does not hold sleep again. Never blocks.
 *
 * Return: 0; -EINVAL for a NULL @dev; -ENOTTY (or -EINVAL) from a kernel
 * older than the ioctl (DRM minor 2).
 */
int svmgpu_user_fence_wake(struct svmgpu_device *dev);

/* ---------------------------------------------------------------------
 * Job submission (exec.c)
 */

/**
 * struct svmgpu_sync - a syncobj, or a point on a timeline syncobj.
 * @handle: the syncobj (svmgpu_syncobj_create()).
 * @point: 0 to use it as a binary syncobj, else a timeline point.
 */
struct svmgpu_sync {
	uint32_t handle;
	uint64_t point;
};

/** SVMGPU_EXEC_BO_WRITE - the job writes the BO (else it only reads it). */
#define SVMGPU_EXEC_BO_WRITE		DRM_SVMGPU_EXEC_BO_WRITE

/**
 * struct svmgpu_exec_bo - a BO a job accesses, for implicit fencing.
 * @bo: the BO.
 * @flags: SVMGPU_EXEC_BO_WRITE or 0.
 */
struct svmgpu_exec_bo {
	struct svmgpu_bo *bo;
	uint32_t flags;
};

/**
 * struct svmgpu_exec_info - one job.
 * @batch_address: GPU virtual address of the batch in the queue's VM;
 *	a multiple of 8.
 * @batch_size: size of the batch in bytes, a multiple of 8, 1 ..
 *	SVMGPU_BATCH_MAX_SIZE.
 * @waits: syncobjs (points) the job waits for before it runs.
 * @num_waits: number of @waits.
 * @signals: syncobjs the job's completion signals (binary: its fence
 *	replaces theirs; timeline: adds the point).
 * @num_signals: number of @signals; @num_waits + @num_signals is at most
 *	DRM_SVMGPU_EXEC_MAX_SYNCS.
 * @bos: BOs the job reads or writes and that other jobs or devices share:
 *	the job waits for their earlier writers (and readers, if it writes)
 *	and is added to their reservation fences. BOs only mapped in the VM
 *	need not be listed: every mapping is resident. A BO may be listed
 *	more than once: it counts once, written if any entry writes it.
 * @num_bos: number of @bos, at most DRM_SVMGPU_EXEC_MAX_BOS.
 * @flags: DRM_SVMGPU_EXEC flags; none defined yet: 0.
 */
struct svmgpu_exec_info {
	uint64_t batch_address;
	uint64_t batch_size;
	const struct svmgpu_sync *waits;
	uint32_t num_waits;
	const struct svmgpu_sync *signals;
	uint32_t num_signals;
	const struct svmgpu_exec_bo *bos;
	uint32_t num_bos;
	uint32_t flags;
};

/**
 * svmgpu_exec_submit - submit one job to a queue.
 * @queue: the queue.
 * @info: the job.
 *
 * Returns once the job is queued, not when it ran: wait for one of its
 * signal syncobjs, then svmgpu_syncobj_status() says whether it
 * succeeded.
 *
 * Return: 0; -EINVAL for a NULL @queue or @info, a NULL array with a
 * non-zero count, too many syncs or BOs, a NULL BO or one of another
 * device, a misaligned or out-of-range batch, or flags the kernel
 * refuses; -ENOENT for a syncobj or BO the kernel does not know; -EIO if
 * the queue is banned; -ENOMEM; -EINTR.
 */
int svmgpu_exec_submit(struct svmgpu_queue *queue,
		       const struct svmgpu_exec_info *info);

/* ---------------------------------------------------------------------
 * Syncobjs (sync.c): thin wrappers over the DRM core's syncobj ioctls.
 */

/** SVMGPU_SYNCOBJ_CREATE_SIGNALED - create the syncobj signalled. */
#define SVMGPU_SYNCOBJ_CREATE_SIGNALED	DRM_SYNCOBJ_CREATE_SIGNALED
/** SVMGPU_SYNCOBJ_WAIT_ALL - wait for all syncobjs, not the first. */
#define SVMGPU_SYNCOBJ_WAIT_ALL		DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL
/**
 * SVMGPU_SYNCOBJ_WAIT_FOR_SUBMIT - wait for a fence to be attached
 * instead of failing with -EINVAL when a syncobj (point) has none yet.
 */
#define SVMGPU_SYNCOBJ_WAIT_FOR_SUBMIT	DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT
/**
 * SVMGPU_SYNCOBJ_WAIT_AVAILABLE - timeline waits only: wait until the
 * point has a fence, not until it signals.
 */
#define SVMGPU_SYNCOBJ_WAIT_AVAILABLE	DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE

/** SVMGPU_TIMEOUT_INFINITE - a timeout that never expires. */
#define SVMGPU_TIMEOUT_INFINITE		INT64_MAX

/**
 * svmgpu_syncobj_create - create a syncobj.
 * @dev: the device.
 * @flags: SVMGPU_SYNCOBJ_CREATE_SIGNALED or 0.
 * @handle: (out) the syncobj's handle.
 *
 * A syncobj is a binary or a timeline syncobj only by the way it is used
 * (&struct svmgpu_sync.point).
 *
 * Return: 0; -EINVAL for a NULL argument or unknown flags; -ENOMEM.
 */
int svmgpu_syncobj_create(struct svmgpu_device *dev, uint32_t flags,
			  uint32_t *handle);

/**
 * svmgpu_syncobj_destroy - destroy a syncobj.
 * @dev: the device.
 * @handle: the syncobj.
 *
 * Return: 0; -EINVAL if @dev is NULL or the device has no such syncobj
 * (the DRM core's error for an unknown handle here).
 */
int svmgpu_syncobj_destroy(struct svmgpu_device *dev, uint32_t handle);

/**
 * svmgpu_syncobj_wait - wait for binary syncobjs.
 * @dev: the device.
 * @handles: the syncobjs.
 * @count: number of @handles, at least 1.
 * @timeout_ns: how long to wait, in nanoseconds from now; 0 polls,
 *	SVMGPU_TIMEOUT_INFINITE waits for ever.
 * @flags: SVMGPU_SYNCOBJ_WAIT_ALL, SVMGPU_SYNCOBJ_WAIT_FOR_SUBMIT.
 * @first_signaled: (out, optional) without WAIT_ALL, the index of a
 *	syncobj that signalled.
 *
 * Waits for the fences to signal, whether with success or an error
 * (svmgpu_syncobj_status() tells which).
 *
 * Return: 0 once signalled; -ETIME if the timeout expired first; -EINVAL
 * for a NULL argument, @count 0, a negative @timeout_ns, unknown flags or
 * (without WAIT_FOR_SUBMIT) a syncobj that has no fence; -ENOENT for an
 * unknown handle; -ERESTARTSYS or -EINTR when interrupted.
 */
int svmgpu_syncobj_wait(struct svmgpu_device *dev, const uint32_t *handles,
			uint32_t count, int64_t timeout_ns, uint32_t flags,
			uint32_t *first_signaled);

/**
 * svmgpu_syncobj_timeline_wait - wait for points of timeline syncobjs.
 * @dev: the device.
 * @handles: the syncobjs.
 * @points: the point to wait for on each (0: its current fence, as
 *	binary).
 * @count: number of @handles and @points, at least 1.
 * @timeout_ns: as for svmgpu_syncobj_wait().
 * @flags: SVMGPU_SYNCOBJ_WAIT_ALL, SVMGPU_SYNCOBJ_WAIT_FOR_SUBMIT,
 *	SVMGPU_SYNCOBJ_WAIT_AVAILABLE.
 * @first_signaled: (out, optional) as for svmgpu_syncobj_wait().
 *
 * Return: as svmgpu_syncobj_wait().
 */
int svmgpu_syncobj_timeline_wait(struct svmgpu_device *dev,
				 const uint32_t *handles, const uint64_t *points,
				 uint32_t count, int64_t timeout_ns,
				 uint32_t flags, uint32_t *first_signaled);

/**
 * svmgpu_syncobj_signal - signal a syncobj from the CPU.
 * @dev: the device.
 * @handle: the syncobj.
 * @point: 0 to replace its fence with a signalled one (binary), else the
 *	timeline point to add, signalled; it should be above the timeline's
 *	last point (the DRM core accepts others, but svmgpu_syncobj_query()
 *	then reports 0).
 *
 * Return: 0; -EINVAL if @dev is NULL; -ENOENT for an unknown handle.
 */
int svmgpu_syncobj_signal(struct svmgpu_device *dev, uint32_t handle,
			  uint64_t point);

/**
 * svmgpu_syncobj_query - the last signalled point of a timeline syncobj.
 * @dev: the device.
 * @handle: the syncobj.
 * @point: (out) the highest point signalled so far (0 for none, or for a
 *	syncobj used as binary).
 *
 * Return: 0; -EINVAL for a NULL argument; -ENOENT for an unknown handle.
 */
int svmgpu_syncobj_query(struct svmgpu_device *dev, uint32_t handle,
			 uint64_t *point);

/**
 * svmgpu_syncobj_export_sync_file - export a syncobj's fence as a sync_file.
 * @dev: the device.
 * @handle: the syncobj.
 * @point: 0 for its current fence, else that timeline point's fence.
 * @sync_file_fd: (out) a new sync_file descriptor, owned by the caller.
 *
 * Return: 0; -EINVAL for a NULL argument or a syncobj (point) that has no
 * fence yet; -ENOENT for an unknown handle; -EMFILE; -ENOMEM.
 */
int svmgpu_syncobj_export_sync_file(struct svmgpu_device *dev, uint32_t handle,
				    uint64_t point, int *sync_file_fd);

/**
 * svmgpu_syncobj_import_sync_file - put a sync_file's fence in a syncobj.
 * @dev: the device.
 * @handle: the syncobj.
 * @point: 0 to replace its fence (binary), else the timeline point the
 *	fence becomes (as for svmgpu_syncobj_signal()).
 * @sync_file_fd: the sync_file; the caller keeps it.
 *
 * Return: 0; -EINVAL if @dev is NULL or @sync_file_fd is not a sync_file;
 * -ENOENT for an unknown handle; -ENOMEM.
 */
int svmgpu_syncobj_import_sync_file(struct svmgpu_device *dev, uint32_t handle,
				    uint64_t point, int sync_file_fd);

/**
 * svmgpu_syncobj_status - whether a syncobj's fence signalled, and how.
 * @dev: the device.
 * @handle: the syncobj.
 * @point: 0 for its current fence, else that timeline point's fence.
 * @error: (out) 0 if the fence signalled successfully, else its error as
 *	a negative errno (for a job: -ETIMEDOUT, -EFAULT, -EIO, or -ECANCELED
 *	for one that never ran).
 *
 * Does not wait. Reads the status of the fence (all fences it is made
 * of, for a timeline point) through a sync_file's SYNC_IOC_FILE_INFO.
 * Timeline caveat: once a point that is not the timeline's last one has
 * signalled, the DRM core may hand out a plain signalled fence for it
 * instead of the job's, and its error is lost (reads as 0). Ask while
 * the point is the last one, or use a binary syncobj, to be sure.
 *
 * Return: 0 once the fence has signalled (@error says how); -EBUSY if it
 * has not signalled yet (@error untouched); -EINVAL for a NULL argument
 * or a syncobj (point) without a fence; -ENOENT for an unknown handle.
 */
int svmgpu_syncobj_status(struct svmgpu_device *dev, uint32_t handle,
			  uint64_t point, int *error);

/* ---------------------------------------------------------------------
 * Batch buffers (cmd.c)
 *
 * A struct svmgpu_cmdbuf writes the commands of hw/svmgpu_cmd.h into a
 * window of a BO through its CPU mapping. Every emit function checks its
 * operands as the hardware would (alignment, flags) and the space left:
 * -EINVAL or -ENOSPC, and nothing written, when they do not fit. The
 * window may hold several batches one after the other:
 * svmgpu_cmdbuf_begin() starts the next one where the previous ends, and
 * svmgpu_cmdbuf_get_batch() gives the current one's address and size for
 * &struct svmgpu_exec_info. Not thread-safe: one thread at a time per
 * command buffer.
 */

/**
 * svmgpu_cmdbuf_create - write batches into @size bytes of @bo from @offset.
 * @bo: the BO; mapped with svmgpu_bo_map(), and referenced until the
 *	command buffer is destroyed.
 * @offset: where the window starts in @bo; a multiple of 8.
 * @size: size of the window; a multiple of 8, not 0, inside @bo.
 * @gpu_va: GPU virtual address at which the jobs' VM maps byte @offset of
 *	@bo; a multiple of 8.
 * @cmdbuf: (out) the command buffer, empty.
 *
 * Return: 0; -EINVAL for a NULL argument or a misaligned or out-of-range
 * window; -ENOMEM (also when the BO cannot be mapped).
 */
int svmgpu_cmdbuf_create(struct svmgpu_bo *bo, uint64_t offset, uint64_t size,
			 uint64_t gpu_va, struct svmgpu_cmdbuf **cmdbuf);

/**
 * svmgpu_cmdbuf_destroy - destroy a command buffer.
 * @cmdbuf: the command buffer.
 *
 * Drops its reference to the BO; what it wrote stays in the BO.
 *
 * Return: 0, or -EINVAL if @cmdbuf is NULL.
 */
int svmgpu_cmdbuf_destroy(struct svmgpu_cmdbuf *cmdbuf);

/**
 * svmgpu_cmdbuf_reset - empty a command buffer: the next batch starts at
 * the beginning of the window.
 * @cmdbuf: the command buffer.
 *
 * Jobs still running a batch of the window must have completed before
 * anything is emitted again.
 *
 * Return: 0, or -EINVAL if @cmdbuf is NULL.
 */
int svmgpu_cmdbuf_reset(struct svmgpu_cmdbuf *cmdbuf);

/**
 * svmgpu_cmdbuf_begin - start a new batch after the current one.
 * @cmdbuf: the command buffer.
 *
 * The current batch stays as it is in the BO (a job may still run it);
 * the new one is empty and starts where it ends.
 *
 * Return: 0, or -EINVAL if @cmdbuf is NULL.
 */
int svmgpu_cmdbuf_begin(struct svmgpu_cmdbuf *cmdbuf);

/**
 * svmgpu_cmdbuf_get_batch - the current batch, for svmgpu_exec_submit().
 * @cmdbuf: the command buffer.
 * @address: (out) GPU virtual address of its first command.
 * @size: (out) its size in bytes so far (0 if nothing was emitted).
 *
 * Return: 0, or -EINVAL if an argument is NULL.
 */
int svmgpu_cmdbuf_get_batch(struct svmgpu_cmdbuf *cmdbuf, uint64_t *address,
			    uint64_t *size);

/**
 * svmgpu_cmdbuf_emit_nop - NOP: does nothing.
 * @cmdbuf: the command buffer.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL; -ENOSPC if the window is full.
 */
int svmgpu_cmdbuf_emit_nop(struct svmgpu_cmdbuf *cmdbuf);

/**
 * svmgpu_cmdbuf_emit_end - END: the batch ends here, whatever its size.
 * @cmdbuf: the command buffer.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL; -ENOSPC if the window is full.
 */
int svmgpu_cmdbuf_emit_end(struct svmgpu_cmdbuf *cmdbuf);

/**
 * svmgpu_cmdbuf_emit_write32 - WRITE: store a 32-bit value.
 * @cmdbuf: the command buffer.
 * @dst: GPU virtual address, a multiple of 4.
 * @value: the value.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL or @dst misaligned; -ENOSPC.
 */
int svmgpu_cmdbuf_emit_write32(struct svmgpu_cmdbuf *cmdbuf, uint64_t dst,
			       uint32_t value);

/**
 * svmgpu_cmdbuf_emit_write64 - WRITE (64-bit): store a 64-bit value.
 * @cmdbuf: the command buffer.
 * @dst: GPU virtual address, a multiple of 8.
 * @value: the value.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL or @dst misaligned; -ENOSPC.
 */
int svmgpu_cmdbuf_emit_write64(struct svmgpu_cmdbuf *cmdbuf, uint64_t dst,
			       uint64_t value);

/**
 * svmgpu_cmdbuf_emit_fill - FILL: repeat a 32-bit value over a range.
 * @cmdbuf: the command buffer.
 * @dst: GPU virtual address, a multiple of 4.
 * @size: bytes to fill, a multiple of 4.
 * @value: the value.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL or @dst or @size misaligned;
 * -ENOSPC.
 */
int svmgpu_cmdbuf_emit_fill(struct svmgpu_cmdbuf *cmdbuf, uint64_t dst,
			    uint64_t size, uint32_t value);

/**
 * svmgpu_cmdbuf_emit_copy - COPY: copy @size bytes from @src to @dst.
 * @cmdbuf: the command buffer.
 * @dst: GPU virtual address of the destination; any alignment.
 * @src: GPU virtual address of the source; any alignment.
 * @size: bytes to copy. Overlapping ranges copy as memmove() does.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL; -ENOSPC.
 */
int svmgpu_cmdbuf_emit_copy(struct svmgpu_cmdbuf *cmdbuf, uint64_t dst,
			    uint64_t src, uint64_t size);

/**
 * svmgpu_cmdbuf_emit_atomic - ATOMIC: a read-modify-write at @dst.
 * @cmdbuf: the command buffer.
 * @flags: the operation (SVMGPU_ATOMIC_ADD, _XCHG, _CMPXCHG, _MIN, _MAX)
 *	or'ed with SVMGPU_ATOMIC_64 and SVMGPU_ATOMIC_SIGNED as wanted.
 * @dst: GPU virtual address, a multiple of 4 (8 with SVMGPU_ATOMIC_64).
 * @operand: the operand.
 * @compare: CMPXCHG's expected value; ignored by the other operations.
 * @ret: GPU virtual address that receives the old value (aligned as
 *	@dst), or 0 for none.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL, @flags unknown or an address
 * misaligned; -ENOSPC.
 */
int svmgpu_cmdbuf_emit_atomic(struct svmgpu_cmdbuf *cmdbuf, uint32_t flags,
			      uint64_t dst, uint64_t operand, uint64_t compare,
			      uint64_t ret);

/**
 * svmgpu_cmdbuf_emit_timestamp - TIMESTAMP: store the GPU clock (ns, 64
 * bits) once every earlier command has completed.
 * @cmdbuf: the command buffer.
 * @dst: GPU virtual address, a multiple of 8.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL or @dst misaligned; -ENOSPC.
 */
int svmgpu_cmdbuf_emit_timestamp(struct svmgpu_cmdbuf *cmdbuf, uint64_t dst);

/**
 * svmgpu_cmdbuf_emit_wait - WAIT: block the queue until a condition on
 * memory holds.
 * @cmdbuf: the command buffer.
 * @flags: the comparison (SVMGPU_WAIT_EQ, _NE, _GT, _GTE, _LT, _LTE) or'ed
 *	with SVMGPU_WAIT_64 for a 64-bit compare.
 * @addr: GPU virtual address, a multiple of 4 (8 with SVMGPU_WAIT_64).
 * @value: the value (*@addr & @mask) is compared with.
 * @mask: the mask.
 *
 * A wait that never ends is a hang: the job times out and the queue is
 * banned.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL, @flags unknown or @addr
 * misaligned; -ENOSPC.
 */
int svmgpu_cmdbuf_emit_wait(struct svmgpu_cmdbuf *cmdbuf, uint32_t flags,
			    uint64_t addr, uint64_t value, uint64_t mask);

/**
 * svmgpu_cmdbuf_emit_user_fence - USER_FENCE: store a 64-bit value once
 * every earlier command has completed.
 * @cmdbuf: the command buffer.
 * @flags: SVMGPU_USER_FENCE_IRQ (also raise the queue's interrupt) or 0.
 * @addr: GPU virtual address, a multiple of 8.
 * @value: the value.
 *
 * Return: 0; -EINVAL if @cmdbuf is NULL, @flags unknown or @addr
 * misaligned; -ENOSPC.
 */
int svmgpu_cmdbuf_emit_user_fence(struct svmgpu_cmdbuf *cmdbuf, uint32_t flags,
				  uint64_t addr, uint64_t value);

#if defined(__cplusplus)
}
#endif

#endif /* LIBSVMGPU_SVMGPU_H */
