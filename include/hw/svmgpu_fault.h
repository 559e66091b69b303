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
/*
 * Shader records (SVMGPU_FAULT_FLAG_SHADER). ILLEGAL_INSTRUCTION: the
 * program of a DISPATCH was rejected before any wave ran; va is the
 * address of the offending word, detail its SVMGPU_ISA_ILLEGAL_* reason.
 * EXCEPTION: a run-time exception (svmgpu_isa.h, SVMGPU_ISA_EXC_*) in
 * detail bits 15:8, the lane in 7:0, va the lane's address. Both always
 * end the job (ERROR = FAULT), also in stall mode.
 */
#define SVMGPU_FAULT_ILLEGAL_INSTRUCTION 5
#define SVMGPU_FAULT_EXCEPTION		6

#define SVMGPU_FAULT_FLAG_STALLED	(1u << 0)	/* queue waits for RESUME */
#define SVMGPU_FAULT_FLAG_SHADER	(1u << 1)	/* made by a shader */

/* detail of a shader record: lane, and the reason or exception. */
#define SVMGPU_FAULT_DETAIL(code, lane)	(((code) << 8) | (lane))
#define SVMGPU_FAULT_DETAIL_LANE(d)	((d) & 0xff)
#define SVMGPU_FAULT_DETAIL_CODE(d)	(((d) >> 8) & 0xff)

/**
 * struct svmgpu_fault_record - one translation fault.
 * @va: the virtual address that could not be translated.
 * @pt_root: page-table root of the faulting queue.
 * @queue: queue slot.
 * @access: SVMGPU_ACCESS_*.
 * @reason: SVMGPU_FAULT_*.
 * @engine: engine that executed the access.
 * @flags: SVMGPU_FAULT_FLAG_*.
 * @detail: shader records: SVMGPU_FAULT_DETAIL() (a translation fault:
 *	the lowest faulting lane, code 0); 0 for the copy engines.
 * @pc: shader records: word index of the instruction in the program; 0
 *	for the copy engines.
 */
struct svmgpu_fault_record {
	__u64 va;
	__u64 pt_root;
	__u32 queue;
	__u8 access;
	__u8 reason;
	__u8 engine;
	__u8 flags;
	__u32 detail;
	__u32 pc;
};

#endif /* SVMGPU_FAULT_H */
