/* SPDX-License-Identifier: MIT */
/*
 * svmgpu_priv.h - libsvmgpu internals shared by its .c files.
 *
 * The definitions of the opaque types of svmgpu.h, the export macro, and
 * the few helpers several nouns use. Nothing here is installed.
 */
#ifndef LIBSVMGPU_SVMGPU_PRIV_H
#define LIBSVMGPU_SVMGPU_PRIV_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <xf86drm.h>

#include "svmgpu.h"

/*
 * SVMGPU_PUBLIC - marks a definition as part of the ABI. The library is
 * built with -fvisibility=hidden, so everything else stays internal;
 * svmgpu-symbols.txt lists what must carry this mark, and the
 * `symbols-check` test compares it with the built library.
 */
#define SVMGPU_PUBLIC __attribute__((visibility("default")))

/* The hardware interface major revision this library is written for. */
#define SVMGPU_LIB_HW_MAJOR	1u

/*
 * struct svmgpu_device - an open DRM file of an svmgpu device.
 * @fd: the file; owned, closed with the last reference.
 * @refcount: the owner's references, those of open_fd() calls that found
 *	this device, and one per BO, VM and queue. Dropped to zero only
 *	under svmgpu_devices_lock (see device.c), so a lookup in the device
 *	list never resurrects a dying device.
 * @info: what the device is; constant after open.
 * @bo_lock: protects @bo_table and every BO's refcount drop to zero: a
 *	GEM handle is looked up, inserted and closed only under it, so an
 *	import racing with the last destroy of the same handle either finds
 *	the live BO or gets a fresh handle.
 * @bo_table: BOs by GEM handle (handles are small: the DRM core gives
 *	out the lowest free one); NULL where the library has no BO.
 * @bo_table_size: entries in @bo_table.
 * @next: in the list of all devices (svmgpu_devices, device.c).
 */
struct svmgpu_device {
	int fd;
	atomic_uint refcount;
	struct svmgpu_device_info info;
	pthread_mutex_t bo_lock;
	struct svmgpu_bo **bo_table;
	uint32_t bo_table_size;
	struct svmgpu_device *next;
};

/*
 * struct svmgpu_bo - a GEM object with a handle in its device's file.
 * @dev: the device; referenced.
 * @handle: the GEM handle; closed with the last reference.
 * @size: size in bytes.
 * @refcount: references; dropped to zero only under @dev->bo_lock.
 * @map: the CPU mapping, or NULL until svmgpu_bo_map(); set once, by
 *	compare-and-swap, and unmapped with the last reference.
 */
struct svmgpu_bo {
	struct svmgpu_device *dev;
	uint32_t handle;
	uint64_t size;
	atomic_uint refcount;
	_Atomic(void *) map;
};

/*
 * struct svmgpu_vm - a VM id in a device's file.
 * @dev: the device; referenced.
 * @id: the kernel's VM id.
 */
struct svmgpu_vm {
	struct svmgpu_device *dev;
	uint32_t id;
};

/*
 * struct svmgpu_queue - a queue id in a device's file.
 * @dev: the device; referenced.
 * @id: the kernel's queue id.
 * @vm_id: the VM it was created on.
 * @engine: its engine.
 */
struct svmgpu_queue {
	struct svmgpu_device *dev;
	uint32_t id;
	uint32_t vm_id;
	uint32_t engine;
};

/*
 * struct svmgpu_cmdbuf - a window of a mapped BO being filled with
 * commands.
 * @bo: the BO; referenced.
 * @cpu: CPU address of the window's first byte.
 * @gpu_va: GPU virtual address of the window's first byte.
 * @size: size of the window in bytes.
 * @start: offset in the window of the current batch.
 * @pos: offset in the window where the next command goes.
 */
struct svmgpu_cmdbuf {
	struct svmgpu_bo *bo;
	uint8_t *cpu;
	uint64_t gpu_va;
	uint64_t size;
	uint64_t start;
	uint64_t pos;
};

/* svmgpu_ioctl - drmIoctl() returning 0 or -errno. */
static inline int svmgpu_ioctl(int fd, unsigned long request, void *arg)
{
	return drmIoctl(fd, request, arg) ? -errno : 0;
}

/* u64_ptr - a pointer as the __u64 the uAPI passes pointers in. */
static inline uint64_t u64_ptr(const void *ptr)
{
	return (uint64_t)(uintptr_t)ptr;
}

/* device.c */
void svmgpu_device_get(struct svmgpu_device *dev);
void svmgpu_device_put(struct svmgpu_device *dev);

#endif /* LIBSVMGPU_SVMGPU_PRIV_H */
