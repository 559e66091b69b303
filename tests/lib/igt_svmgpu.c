// SPDX-License-Identifier: MIT
/*
 * igt_svmgpu - svmgpu's uAPI for test binaries (see igt_svmgpu.h): object
 * set-up that asserts success, syncobj status, batch building.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_svm_job.h"
#include "igt_svmgpu.h"

uint64_t igt_svmgpu_get_param(int fd, uint32_t param)
{
	struct drm_svmgpu_get_param args = { .param = param };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &args);
	return args.value;
}

uint32_t igt_svmgpu_num_engines(int fd)
{
	return igt_svmgpu_get_param(fd, DRM_SVMGPU_PARAM_NUM_ENGINES);
}

unsigned int igt_svmgpu_job_timeout_ms(void)
{
	FILE *f = fopen("/sys/module/svmgpu/parameters/job_timeout_ms", "r");
	unsigned int ms = 0;

	igt_assert_f(f, "svmgpu's job_timeout_ms parameter: %s\n", strerror(errno));
	igt_assert_eq(fscanf(f, "%u", &ms), 1);
	fclose(f);
	return ms;
}

uint32_t igt_svmgpu_bo_create(int fd, uint64_t size)
{
	struct drm_svmgpu_gem_create args = { .size = size };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_GEM_CREATE, &args);
	return args.handle;
}

void igt_svmgpu_bo_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	do_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

uint64_t igt_svmgpu_bo_mmap_offset(int fd, uint32_t handle)
{
	struct drm_svmgpu_gem_mmap_offset args = { .handle = handle };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, &args);
	return args.offset;
}

void *igt_svmgpu_bo_mmap(int fd, uint32_t handle, uint64_t size)
{
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 igt_svmgpu_bo_mmap_offset(fd, handle));

	igt_assert(ptr != MAP_FAILED);
	return ptr;
}

int __igt_svmgpu_vm_create(int fd, uint32_t flags, uint32_t *id)
{
	struct drm_svmgpu_vm_create args = { .flags = flags };

	if (igt_ioctl(fd, DRM_IOCTL_SVMGPU_VM_CREATE, &args))
		return -errno;
	*id = args.vm_id;
	return 0;
}

uint32_t igt_svmgpu_vm_create(int fd, uint32_t flags)
{
	uint32_t id = 0;

	igt_assert_eq(__igt_svmgpu_vm_create(fd, flags, &id), 0);
	return id;
}

void igt_svmgpu_vm_destroy(int fd, uint32_t vm)
{
	struct drm_svmgpu_vm_destroy args = { .vm_id = vm };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_DESTROY, &args);
}

int __igt_svmgpu_vm_bind(int fd, uint32_t vm, uint32_t flags,
			 const struct drm_svmgpu_vm_bind_op *ops, uint32_t count,
			 struct drm_svmgpu_sync *syncs, uint32_t nr_syncs)
{
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.flags = flags,
		.ops = { .stride = sizeof(*ops), .count = count,
			 .array = (uintptr_t)ops },
		.syncs = { .stride = sizeof(*syncs), .count = nr_syncs,
			   .array = (uintptr_t)syncs },
	};

	return igt_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args) ? -errno : 0;
}

void igt_svmgpu_vm_bind_op(int fd, uint32_t vm,
			   const struct drm_svmgpu_vm_bind_op *op)
{
	igt_assert_eq(__igt_svmgpu_vm_bind(fd, vm, 0, op, 1, NULL, 0), 0);
}

void igt_svmgpu_vm_map(int fd, uint32_t vm, uint32_t handle, uint64_t va,
		       uint64_t size, uint32_t flags)
{
	struct drm_svmgpu_vm_bind_op op = {
		.op = DRM_SVMGPU_VM_BIND_OP_MAP, .flags = flags,
		.handle = handle, .va = va, .size = size,
	};

	igt_svmgpu_vm_bind_op(fd, vm, &op);
}

void igt_svmgpu_vm_unmap(int fd, uint32_t vm, uint64_t va, uint64_t size)
{
	struct drm_svmgpu_vm_bind_op op = {
		.op = DRM_SVMGPU_VM_BIND_OP_UNMAP, .va = va, .size = size,
	};

	igt_svmgpu_vm_bind_op(fd, vm, &op);
}

int __igt_svmgpu_queue_create(int fd, uint32_t vm, uint32_t engine,
			      uint32_t *id)
{
	struct drm_svmgpu_queue_create args = { .vm_id = vm, .engine = engine };

	if (igt_ioctl(fd, DRM_IOCTL_SVMGPU_QUEUE_CREATE, &args))
		return -errno;
	*id = args.queue_id;
	return 0;
}

uint32_t igt_svmgpu_queue_create(int fd, uint32_t vm, uint32_t engine)
{
	uint32_t id = 0;

	igt_assert_eq(__igt_svmgpu_queue_create(fd, vm, engine, &id), 0);
	return id;
}

void igt_svmgpu_queue_destroy(int fd, uint32_t queue)
{
	struct drm_svmgpu_queue_destroy args = { .queue_id = queue };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_QUEUE_DESTROY, &args);
}

struct drm_svmgpu_queue_get_state igt_svmgpu_queue_state(int fd,
							 uint32_t queue)
{
	struct drm_svmgpu_queue_get_state args = { .queue_id = queue };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE, &args);
	return args;
}

void igt_svmgpu_assert_fault_ban(int fd, uint32_t queue, uint64_t address,
				 uint32_t access, uint32_t reason)
{
	struct drm_svmgpu_queue_get_state st = igt_svmgpu_queue_state(fd, queue);

	igt_assert_eq_u32(st.state, DRM_SVMGPU_QUEUE_STATE_BANNED);
	igt_assert_eq_u32(st.error, EFAULT);
	igt_assert_eq_u64(st.fault_address, address);
	igt_assert_eq_u32(st.fault_access, access);
	igt_assert_eq_u32(st.fault_reason, reason);
}

int igt_svmgpu_syncobj_status(int fd, uint32_t syncobj)
{
	struct sync_file_info info = {};
	int sync_file;

	igt_assert_eq(drmSyncobjWait(fd, &syncobj, 1, INT64_MAX, 0, NULL), 0);
	igt_assert_eq(drmSyncobjExportSyncFile(fd, syncobj, &sync_file), 0);
	igt_assert_eq(ioctl(sync_file, SYNC_IOC_FILE_INFO, &info), 0);
	close(sync_file);
	/* Signalled: 1 on success, a negative errno on error; never 0. */
	igt_assert_neq(info.status, 0);
	return info.status < 0 ? info.status : 0;
}

void igt_svmgpu_emit(uint32_t **cs, uint32_t op, uint32_t flags,
		     unsigned int n, const uint64_t *ops)
{
	uint32_t *p = *cs;

	*p++ = SVMGPU_CMD_HEADER(op, flags, 2 + 2 * n);
	*p++ = 0;
	for (unsigned int i = 0; i < n; i++) {
		*p++ = (uint32_t)ops[i];
		*p++ = (uint32_t)(ops[i] >> 32);
	}
	*cs = p;
}

void igt_svmgpu_emit_copy(uint32_t **cs, uint64_t dst, uint64_t src,
			  uint64_t size)
{
	igt_svmgpu_emit(cs, SVMGPU_OP_COPY, 0, 3,
			(const uint64_t[]){ dst, src, size });
}

void igt_svmgpu_emit_fill(uint32_t **cs, uint64_t dst, uint64_t size,
			  uint32_t value)
{
	igt_svmgpu_emit(cs, SVMGPU_OP_FILL, 0, 3,
			(const uint64_t[]){ dst, size, value });
}

void igt_svmgpu_emit_write(uint32_t **cs, uint64_t va, uint64_t value,
			   bool is64)
{
	igt_svmgpu_emit(cs, SVMGPU_OP_WRITE, is64 ? SVMGPU_WRITE_64 : 0, 2,
			(const uint64_t[]){ va, value });
}

void igt_svmgpu_emit_end(uint32_t **cs)
{
	igt_svmgpu_emit(cs, SVMGPU_OP_END, 0, 0, NULL);
}

/* The asserting commands of igt_svm_job.h (the GPU address is the pointer). */
void igt_svm_job_write32(struct igt_svm_job *job, const volatile void *dst,
			 uint32_t value)
{
	igt_assert_eq(__igt_svm_job_write32(job, (uintptr_t)dst, value), 0);
}

void igt_svm_job_copy(struct igt_svm_job *job, volatile void *dst,
		      const volatile void *src, uint64_t size)
{
	igt_assert_eq(__igt_svm_job_copy(job, (uintptr_t)dst, (uintptr_t)src,
					 size), 0);
}

void igt_svm_job_fill(struct igt_svm_job *job, volatile void *dst,
		      uint64_t size, uint32_t value)
{
	igt_assert_eq(__igt_svm_job_fill(job, (uintptr_t)dst, size, value), 0);
}

void igt_svm_job_atomic(struct igt_svm_job *job, uint32_t op,
			volatile void *dst, uint64_t operand, uint64_t compare,
			volatile void *ret)
{
	igt_assert_eq(__igt_svm_job_atomic(job, op, (uintptr_t)dst, operand,
					   compare, (uintptr_t)ret), 0);
}

void igt_svm_job_wait_eq32(struct igt_svm_job *job, const volatile void *addr,
			   uint32_t value)
{
	igt_assert_eq(__igt_svm_job_wait_eq32(job, (uintptr_t)addr, value), 0);
}
