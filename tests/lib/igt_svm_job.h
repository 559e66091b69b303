/* SPDX-License-Identifier: MIT */
/*
 * igt_svm_job - GPU jobs that live in process memory, the way fault-mode
 * (SVM) VMs run them: the batch is an ordinary array of commands the GPU
 * fetches through the VM's CPU-address mirror, and every job ends with a
 * USER_FENCE that DRM_IOCTL_SVMGPU_WAIT_USER_FENCE waits for.
 *
 * The caller owns the memory (the batches and the fence, both anywhere
 * the VM mirrors) and the queue; a struct igt_svm_job only writes
 * commands into the batches, submits them and waits. Jobs are built one
 * after the other in @slots batches, so up to that many jobs of a queue
 * may be in flight at once; the job's fence counts the completed ones.
 *
 * Two layers, as in IGT:
 *  - __igt_svm_job_*() return 0 or a negative errno and need nothing but
 *    libdrm: the benchmarks (tests/bench), which report errors their own
 *    way, link `igt_svm_job_dep` alone.
 *  - igt_svm_job_*() (without underscores, in libigt) assert success;
 *    the address arguments are CPU pointers, which in an SVM VM are the
 *    GPU's addresses too.
 *
 * libsvmgpu's own batch builder (struct svmgpu_cmdbuf, in a BO) is what
 * applications use; svmgpu_lib tests that one, not this.
 */

#ifndef IGT_SVM_JOB_H
#define IGT_SVM_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"

/* The wait of __igt_svm_job_run() unless igt_svm_job_init() says otherwise. */
#define IGT_SVM_JOB_TIMEOUT_NS	(20ll * 1000000000ll)

/**
 * struct igt_svm_job - the jobs of one queue, built in process memory.
 * @fd: the DRM file of @queue
 * @queue: the queue the jobs are submitted to
 * @batches: @slots batches of @slot_dwords dwords each
 * @slots: batches that may be in flight at once
 * @slot_dwords: size of one batch
 * @slot: batch slot of the job being built
 * @batch: @batches + @slot * @slot_dwords
 * @len: dwords written to @batch so far
 * @fence: the user fence each job ends by writing its sequence number to
 * @seq: sequence number of the last submitted job (0: none yet)
 * @timeout_ns: how long __igt_svm_job_run() waits
 */
struct igt_svm_job {
	int fd;
	uint32_t queue;
	uint32_t *batches;
	unsigned int slots;
	unsigned int slot_dwords;
	unsigned int slot;
	uint32_t *batch;
	unsigned int len;
	volatile uint64_t *fence;
	uint64_t seq;
	int64_t timeout_ns;
};

/*
 * Jobs of @queue on @fd, built in @batches (@slots of @slot_dwords each)
 * and ending with a write to @fence, which is reset to 0.
 */
void igt_svm_job_init(struct igt_svm_job *job, int fd, uint32_t queue,
		      uint32_t *batches, unsigned int slots,
		      unsigned int slot_dwords, volatile uint64_t *fence);

/* Starts over on @queue (e.g. a fresh one after a ban): nothing built, fence 0. */
void igt_svm_job_reset(struct igt_svm_job *job, uint32_t queue);

/*
 * Appends one command (hw/svmgpu_cmd.h) with @n 64-bit operands to the
 * job being built. 0; -ENOSPC when the batch has no room for it; -EBUSY
 * when the job that last used this batch slot has not completed yet.
 */
int __igt_svm_job_emit(struct igt_svm_job *job, uint32_t op, uint32_t flags,
		       unsigned int n, const uint64_t *ops);

/* The commands, each as __igt_svm_job_emit() returns. */
int __igt_svm_job_write32(struct igt_svm_job *job, uint64_t dst, uint32_t value);
int __igt_svm_job_copy(struct igt_svm_job *job, uint64_t dst, uint64_t src,
		       uint64_t size);
int __igt_svm_job_fill(struct igt_svm_job *job, uint64_t dst, uint64_t size,
		       uint32_t value);
/* ATOMIC @op (SVMGPU_ATOMIC_*, | SVMGPU_ATOMIC_64) at @dst; old value to @ret (0: none). */
int __igt_svm_job_atomic(struct igt_svm_job *job, uint32_t op, uint64_t dst,
			 uint64_t operand, uint64_t compare, uint64_t ret);
/* Blocks the queue until the 32-bit word at @addr equals @value. */
int __igt_svm_job_wait_eq32(struct igt_svm_job *job, uint64_t addr, uint32_t value);
/* The GPU's clock into the 64-bit word at @dst. */
int __igt_svm_job_timestamp(struct igt_svm_job *job, uint64_t dst);

/*
 * Ends the job with the user fence (value @seq + 1, with IRQ) and END and
 * submits it; the next job is built in the next slot. 0, or the error of
 * building the end or of EXEC (the job is dropped; @seq stays).
 */
int __igt_svm_job_submit(struct igt_svm_job *job);

/* Waits until the fence reaches @value: 0 or WAIT_USER_FENCE's -errno. */
int __igt_svm_job_wait(struct igt_svm_job *job, uint64_t value,
		       int64_t timeout_ns);

/* Submits the job and waits (@timeout_ns) for it: 0, or the first error. */
int __igt_svm_job_run(struct igt_svm_job *job);

/* libigt only: the commands, asserting that they fit. */
void igt_svm_job_write32(struct igt_svm_job *job, const volatile void *dst,
			 uint32_t value);
void igt_svm_job_copy(struct igt_svm_job *job, volatile void *dst,
		      const volatile void *src, uint64_t size);
void igt_svm_job_fill(struct igt_svm_job *job, volatile void *dst,
		      uint64_t size, uint32_t value);
void igt_svm_job_atomic(struct igt_svm_job *job, uint32_t op,
			volatile void *dst, uint64_t operand, uint64_t compare,
			volatile void *ret);
void igt_svm_job_wait_eq32(struct igt_svm_job *job, const volatile void *addr,
			   uint32_t value);

#endif
