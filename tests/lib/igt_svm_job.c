// SPDX-License-Identifier: MIT
/*
 * igt_svm_job - GPU jobs in process memory for fault-mode VMs (see
 * igt_svm_job.h): command encoding into rotating batch slots, EXEC, and
 * the user-fence wait. Needs libdrm only, so the benchmarks can use it;
 * the asserting igt_svm_job_*() wrappers live in igt_svmgpu.c, with the
 * rest of libigt.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <xf86drm.h>

#include "igt_svm_job.h"

void igt_svm_job_init(struct igt_svm_job *job, int fd, uint32_t queue,
		      uint32_t *batches, unsigned int slots,
		      unsigned int slot_dwords, volatile uint64_t *fence)
{
	job->fd = fd;
	job->batches = batches;
	job->slots = slots;
	job->slot_dwords = slot_dwords;
	job->fence = fence;
	job->timeout_ns = IGT_SVM_JOB_TIMEOUT_NS;
	job->slot = 0;
	job->batch = batches;
	igt_svm_job_reset(job, queue);
}

void igt_svm_job_reset(struct igt_svm_job *job, uint32_t queue)
{
	job->queue = queue;
	job->len = 0;
	job->seq = 0;
	*job->fence = 0;
}

int __igt_svm_job_emit(struct igt_svm_job *job, uint32_t op, uint32_t flags,
		       unsigned int n, const uint64_t *ops)
{
	unsigned int dwords = 2 + 2 * n;
	uint32_t *p;

	/* The first command of a slot: the job that used it last is done. */
	if (!job->len && job->seq + 1 > job->slots &&
	    *job->fence < job->seq + 1 - job->slots)
		return -EBUSY;
	if (job->len + dwords > job->slot_dwords)
		return -ENOSPC;
	p = job->batch + job->len;
	*p++ = SVMGPU_CMD_HEADER(op, flags, dwords);
	*p++ = 0;
	for (unsigned int i = 0; i < n; i++) {
		*p++ = (uint32_t)ops[i];
		*p++ = (uint32_t)(ops[i] >> 32);
	}
	job->len += dwords;
	return 0;
}

int __igt_svm_job_write32(struct igt_svm_job *job, uint64_t dst, uint32_t value)
{
	return __igt_svm_job_emit(job, SVMGPU_OP_WRITE, 0, 2,
				  (const uint64_t[]){ dst, value });
}

int __igt_svm_job_copy(struct igt_svm_job *job, uint64_t dst, uint64_t src,
		       uint64_t size)
{
	return __igt_svm_job_emit(job, SVMGPU_OP_COPY, 0, 3,
				  (const uint64_t[]){ dst, src, size });
}

int __igt_svm_job_fill(struct igt_svm_job *job, uint64_t dst, uint64_t size,
		       uint32_t value)
{
	return __igt_svm_job_emit(job, SVMGPU_OP_FILL, 0, 3,
				  (const uint64_t[]){ dst, size, value });
}

int __igt_svm_job_atomic(struct igt_svm_job *job, uint32_t op, uint64_t dst,
			 uint64_t operand, uint64_t compare, uint64_t ret)
{
	return __igt_svm_job_emit(job, SVMGPU_OP_ATOMIC, op, 4,
				  (const uint64_t[]){ dst, operand, compare, ret });
}

int __igt_svm_job_wait_eq32(struct igt_svm_job *job, uint64_t addr, uint32_t value)
{
	/* Operands: address, value, mask (all 32 bits of the word). */
	return __igt_svm_job_emit(job, SVMGPU_OP_WAIT, SVMGPU_WAIT_EQ, 3,
				  (const uint64_t[]){ addr, value, 0xffffffffull });
}

int __igt_svm_job_timestamp(struct igt_svm_job *job, uint64_t dst)
{
	return __igt_svm_job_emit(job, SVMGPU_OP_TIMESTAMP, 0, 1,
				  (const uint64_t[]){ dst });
}

int __igt_svm_job_submit(struct igt_svm_job *job)
{
	struct drm_svmgpu_exec exec = {
		.queue_id = job->queue,
		.batch_address = (uintptr_t)job->batch,
	};
	int ret;

	ret = __igt_svm_job_emit(job, SVMGPU_OP_USER_FENCE, SVMGPU_USER_FENCE_IRQ, 2,
				 (const uint64_t[]){ (uintptr_t)job->fence,
						     job->seq + 1 });
	if (!ret)
		ret = __igt_svm_job_emit(job, SVMGPU_OP_END, 0, 0, NULL);
	exec.batch_size = job->len * 4;
	job->len = 0;
	if (ret)
		return ret;
	if (drmIoctl(job->fd, DRM_IOCTL_SVMGPU_EXEC, &exec))
		return -errno;
	job->seq++;
	job->slot = (job->slot + 1) % job->slots;
	job->batch = job->batches + job->slot * job->slot_dwords;
	return 0;
}

int __igt_svm_job_wait(struct igt_svm_job *job, uint64_t value,
		       int64_t timeout_ns)
{
	struct drm_svmgpu_wait_user_fence w = {
		.addr = (uintptr_t)job->fence, .value = value, .mask = ~0ull,
		.op = DRM_SVMGPU_UFENCE_GTE, .queue_id = job->queue,
		.timeout_ns = timeout_ns,
	};

	return drmIoctl(job->fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w) ? -errno : 0;
}

int __igt_svm_job_run(struct igt_svm_job *job)
{
	int ret = __igt_svm_job_submit(job);

	if (ret)
		return ret;
	return __igt_svm_job_wait(job, job->seq, job->timeout_ns);
}
