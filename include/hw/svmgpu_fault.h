/* SPDX-License-Identifier: MIT */
/*
 * svmgpu_fault.h - records of the svmgpu fault queue.
 *
 * When the MMU cannot translate an access, the hardware appends a record
 * to the fault queue (registers FAULTQ_* in svmgpu_regs.h) and then either
 * stalls the queue (SVMGPU_Q_CONFIG_FAULT_STALL: status STALLED until the
 * driver writes SVMGPU_Q_CTL_RESUME, which retries the access) or stops
 * it with SVMGPU_Q_ERR_FAULT.
 */
#ifndef SVMGPU_FAULT_H
#define SVMGPU_FAULT_H

#include <linux/types.h>

#define SVMGPU_ACCESS_READ		0
#define SVMGPU_ACCESS_WRITE		1
#define SVMGPU_ACCESS_ATOMIC		2

#define SVMGPU_FAULT_NOT_PRESENT	1	/* no valid leaf */
#define SVMGPU_FAULT_WRITE_PROTECT	2	/* write/atomic to a read-only leaf */
#define SVMGPU_FAULT_BAD_PTE		3	/* reserved bits, misaligned, bad level */
#define SVMGPU_FAULT_OUT_OF_RANGE	4	/* VA beyond 48 bits */

#define SVMGPU_FAULT_FLAG_STALLED	(1u << 0)	/* queue waits for RESUME */

/**
 * struct svmgpu_fault_record - one translation fault.
 * @va: the virtual address that could not be translated.
 * @pt_root: page-table root of the faulting queue.
 * @queue: queue slot.
 * @access: SVMGPU_ACCESS_*.
 * @reason: SVMGPU_FAULT_*.
 * @engine: engine that executed the access.
 * @flags: SVMGPU_FAULT_FLAG_*.
 * @pad: zero.
 */
struct svmgpu_fault_record {
	__u64 va;
	__u64 pt_root;
	__u32 queue;
	__u8 access;
	__u8 reason;
	__u8 engine;
	__u8 flags;
	__u64 pad;
};

#endif /* SVMGPU_FAULT_H */
