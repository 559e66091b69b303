/* SPDX-License-Identifier: MIT */
/*
 * igt_svmgpu - svmgpu's uAPI for test binaries: thin wrappers that assert
 * success (name()) or return 0 / -errno (__name()), and batch building.
 *
 * Tests that check the ioctls themselves (their arguments, their errors)
 * keep filling the structs by hand; everything else — setting up a BO, a
 * VM, a queue, running a batch — goes through here, so a uAPI change is
 * made in one place. The library is deliberately raw: it is the level
 * below libsvmgpu (umd/libsvmgpu), which has its own tests.
 */

#ifndef IGT_SVMGPU_H
#define IGT_SVMGPU_H

#include <stdbool.h>
#include <stdint.h>

#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"

/* Driver name for drm_open_driver_render() and friends. */
#define IGT_SVMGPU_DRIVER "svmgpu"

/* Device parameters. */
uint64_t igt_svmgpu_get_param(int fd, uint32_t param);
uint32_t igt_svmgpu_num_engines(int fd);
/* The module's job_timeout_ms parameter (sysfs). */
unsigned int igt_svmgpu_job_timeout_ms(void);

/* GEM objects. */
uint32_t igt_svmgpu_bo_create(int fd, uint64_t size);
void igt_svmgpu_bo_close(int fd, uint32_t handle);
uint64_t igt_svmgpu_bo_mmap_offset(int fd, uint32_t handle);
void *igt_svmgpu_bo_mmap(int fd, uint32_t handle, uint64_t size);

/* VMs. */
int __igt_svmgpu_vm_create(int fd, uint32_t flags, uint32_t *id);
uint32_t igt_svmgpu_vm_create(int fd, uint32_t flags);
void igt_svmgpu_vm_destroy(int fd, uint32_t vm);
int __igt_svmgpu_vm_bind(int fd, uint32_t vm, uint32_t flags,
			 const struct drm_svmgpu_vm_bind_op *ops, uint32_t count,
			 struct drm_svmgpu_sync *syncs, uint32_t nr_syncs);
void igt_svmgpu_vm_bind_op(int fd, uint32_t vm,
			   const struct drm_svmgpu_vm_bind_op *op);
void igt_svmgpu_vm_map(int fd, uint32_t vm, uint32_t handle, uint64_t va,
		       uint64_t size, uint32_t flags);
void igt_svmgpu_vm_unmap(int fd, uint32_t vm, uint64_t va, uint64_t size);

/* Queues. */
int __igt_svmgpu_queue_create(int fd, uint32_t vm, uint32_t engine,
			      uint32_t *id);
uint32_t igt_svmgpu_queue_create(int fd, uint32_t vm, uint32_t engine);
void igt_svmgpu_queue_destroy(int fd, uint32_t queue);
struct drm_svmgpu_queue_get_state igt_svmgpu_queue_state(int fd,
							 uint32_t queue);
/* Asserts that an unrecoverable fault banned @queue (QUEUE_GET_STATE:
 * BANNED, EFAULT) at @address with SVMGPU_ACCESS_* @access and
 * SVMGPU_FAULT_* @reason. */
void igt_svmgpu_assert_fault_ban(int fd, uint32_t queue, uint64_t address,
				 uint32_t access, uint32_t reason);

/* Syncobjs: waits for @syncobj, returns its fence's status (0 or -errno). */
int igt_svmgpu_syncobj_status(int fd, uint32_t syncobj);

/**
 * igt_svmgpu_emit - append one command to a batch.
 * @cs: the batch's write position, advanced past the command
 * @op: SVMGPU_OP_*
 * @flags: the command's flags
 * @n: number of 64-bit operands
 * @ops: the operands
 */
void igt_svmgpu_emit(uint32_t **cs, uint32_t op, uint32_t flags,
		     unsigned int n, const uint64_t *ops);

/* A COPY of @size bytes from GPU address @src to @dst. */
void igt_svmgpu_emit_copy(uint32_t **cs, uint64_t dst, uint64_t src,
			  uint64_t size);

/* A FILL of @size bytes at GPU address @dst with the 32-bit @value. */
void igt_svmgpu_emit_fill(uint32_t **cs, uint64_t dst, uint64_t size,
			  uint32_t value);

/* A WRITE of @value (32 or 64 bits) to GPU address @va. */
void igt_svmgpu_emit_write(uint32_t **cs, uint64_t va, uint64_t value,
			   bool is64);

/* The END that closes a batch. */
void igt_svmgpu_emit_end(uint32_t **cs);

#endif
