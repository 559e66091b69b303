/* SPDX-License-Identifier: MIT */
/*
 * svmgpu_cmd.h - command encoding of the svmgpu engines.
 *
 * Commands live in a queue's ring (physical memory) or in a batch buffer
 * (GPU virtual memory, read through the MMU). Every command starts with a
 * header dword and a reserved dword (MBZ), followed by 64-bit operands:
 *
 *   header bits 31:24 opcode, 23:16 flags, 15:0 length in dwords,
 *   including the header; always even (commands are 8-byte aligned).
 *
 * Ring commands: BATCH, FENCE and NOP. Batch commands: NOP and everything
 * else. Every command is validated in full before it has any effect: an
 * unknown or reserved opcode, a length other than the command's, a
 * non-zero reserved dword, an unknown flag or operation, a misaligned
 * operand, a batch command in the ring, a ring command in a batch, or a
 * command running past the end of its batch stops the queue with
 * SVMGPU_Q_ERR_BAD_COMMAND. Addresses in batch commands are GPU virtual
 * addresses of the queue's address space; any access the MMU cannot
 * translate is a fault.
 */
#ifndef SVMGPU_CMD_H
#define SVMGPU_CMD_H

#define SVMGPU_CMD_HEADER(op, flags, dwords) \
	(((op) << 24) | ((flags) << 16) | (dwords))
#define SVMGPU_CMD_OPCODE(hdr)		(((hdr) >> 24) & 0xff)
#define SVMGPU_CMD_FLAGS(hdr)		(((hdr) >> 16) & 0xff)
#define SVMGPU_CMD_DWORDS(hdr)		((hdr) & 0xffff)

/* NOP: [hdr, 0]. Does nothing. Ring and batch. */
#define SVMGPU_OP_NOP			0x00
#define SVMGPU_NOP_DWORDS		2

/* END: [hdr, 0]. Ends the batch before its size is reached. */
#define SVMGPU_OP_END			0x01
#define SVMGPU_END_DWORDS		2

/*
 * BATCH (ring): [hdr, 0, va, size]. Executes the commands in
 * [va, va + size) of the queue's address space; va and size 8-byte
 * aligned, size at most 1 MiB.
 */
#define SVMGPU_OP_BATCH			0x02
#define SVMGPU_BATCH_DWORDS		6
#define SVMGPU_BATCH_MAX_SIZE		(1u << 20)

/*
 * FENCE (ring): [hdr, seqno]. Sets the queue's SEQNO register to seqno
 * once everything before it has completed and raises the queue's
 * interrupt (QUEUE_IRQ_PENDING). Earlier writes are visible to a CPU that
 * read the new SEQNO.
 */
#define SVMGPU_OP_FENCE			0x03
#define SVMGPU_FENCE_DWORDS		2

/*
 * COPY: [hdr, 0, dst, src, size]. Copies size bytes from src to dst.
 * Any alignment; overlapping ranges copy as memmove does.
 */
#define SVMGPU_OP_COPY			0x10
#define SVMGPU_COPY_DWORDS		8

/*
 * FILL: [hdr, 0, dst, size, value]. Writes the low 32 bits of value
 * repeatedly over size bytes at dst; dst and size 4-byte aligned.
 */
#define SVMGPU_OP_FILL			0x11
#define SVMGPU_FILL_DWORDS		8

/*
 * WRITE: [hdr, 0, dst, value]. Writes value; 64 bits with
 * SVMGPU_WRITE_64 (dst 8-byte aligned), else the low 32 bits (dst 4-byte
 * aligned).
 */
#define SVMGPU_OP_WRITE			0x12
#define SVMGPU_WRITE_DWORDS		6
#define   SVMGPU_WRITE_64		(1u << 0)

/*
 * ATOMIC: [hdr, 0, dst, operand, compare, ret]. Atomically applies the
 * operation in flags bits 2:0 at dst and, when ret is not 0, writes the
 * old value to ret. 64-bit with SVMGPU_ATOMIC_64 (dst and ret 8-byte
 * aligned), else 32-bit (4-byte aligned). MIN and MAX compare unsigned
 * unless SVMGPU_ATOMIC_SIGNED. Atomic with respect to CPU atomics on the
 * same memory.
 */
#define SVMGPU_OP_ATOMIC		0x13
#define SVMGPU_ATOMIC_DWORDS		10
#define   SVMGPU_ATOMIC_ADD		0u
#define   SVMGPU_ATOMIC_XCHG		1u
#define   SVMGPU_ATOMIC_CMPXCHG		2u	/* dst = operand if dst == compare */
#define   SVMGPU_ATOMIC_MIN		3u
#define   SVMGPU_ATOMIC_MAX		4u
#define   SVMGPU_ATOMIC_OP_MASK		0x7u
#define   SVMGPU_ATOMIC_64		(1u << 3)
#define   SVMGPU_ATOMIC_SIGNED		(1u << 4)

/*
 * TIMESTAMP: [hdr, 0, dst]. Writes the GPU clock (nanoseconds, 64 bits)
 * to dst, 8-byte aligned, once every earlier command has completed. The
 * clock is the CPU's CLOCK_MONOTONIC: a stamp falls between CPU readings
 * taken before and after the job (two stamps may be equal).
 */
#define SVMGPU_OP_TIMESTAMP		0x14
#define SVMGPU_TIMESTAMP_DWORDS		4

/*
 * WAIT: [hdr, 0, addr, value, mask]. Blocks the queue until
 * (*addr & mask) <compare> value holds, unsigned, compare in flags bits
 * 2:0. 64-bit with SVMGPU_WAIT_64 (addr 8-byte aligned), else 32-bit
 * (addr 4-byte aligned; the low 32 bits of value and mask). The engine
 * serves its other queues meanwhile and checks again about every
 * millisecond, or at once on the queue's DOORBELL.
 */
#define SVMGPU_OP_WAIT			0x15
#define SVMGPU_WAIT_DWORDS		8
#define   SVMGPU_WAIT_EQ		0u
#define   SVMGPU_WAIT_NE		1u
#define   SVMGPU_WAIT_GT		2u
#define   SVMGPU_WAIT_GTE		3u
#define   SVMGPU_WAIT_LT		4u
#define   SVMGPU_WAIT_LTE		5u
#define   SVMGPU_WAIT_CMP_MASK		0x7u
#define   SVMGPU_WAIT_64		(1u << 3)

/*
 * USER_FENCE: [hdr, 0, addr, value]. Writes the 64-bit value to addr
 * (8-byte aligned) once every earlier command has completed, ordered after
 * every earlier write; with SVMGPU_USER_FENCE_IRQ also raises the queue's
 * interrupt (QUEUE_IRQ_PENDING).
 */
#define SVMGPU_OP_USER_FENCE		0x16
#define SVMGPU_USER_FENCE_DWORDS	6
#define   SVMGPU_USER_FENCE_IRQ		(1u << 0)

/*
 * DISPATCH: [hdr, 0, program, config, grid_xy, grid_z_shared, wg_size,
 * args]. Runs a shader program (docs/hardware.md, "Shader cores and ISA")
 * over a grid of workgroups; completes when every workgroup has ended.
 *   program        GPU VA of the program, 8-byte aligned.
 *   config         bits 31:0 program size in 64-bit words (1-65536),
 *                  39:32 vector registers per lane (1-128), 47:40 scalar
 *                  registers per wave (0-64), 63:48 MBZ.
 *   grid_xy        workgroups in x (31:0) and y (63:32), each at least 1;
 *                  the grid at most 2^64 - 1 workgroups.
 *   grid_z_shared  workgroups in z (31:0, at least 1); shared memory bytes
 *                  per workgroup (63:32, at most SVMGPU_ISA_MAX_SHARED).
 *   wg_size        invocations per workgroup in x (15:0), y (31:16), z
 *                  (47:32), each at least 1, product at most
 *                  SVMGPU_ISA_MAX_WG_SIZE; 63:48 MBZ.
 *   args           the argument block address (%args).
 * The program is read through the MMU (a fault there is a READ fault of
 * the dispatch) and decoded once; an invalid program ends the job with an
 * SVMGPU_FAULT_ILLEGAL_INSTRUCTION record (svmgpu_fault.h) and ERROR =
 * FAULT, in either fault mode.
 */
#define SVMGPU_OP_DISPATCH		0x80
#define SVMGPU_DISPATCH_DWORDS		14

/*
 * DISPATCH_INDIRECT: as DISPATCH, but grid_xy is the GPU VA (4-byte
 * aligned) of three u32 {x, y, z} read when the dispatch starts, and bits
 * 31:0 of grid_z_shared are MBZ. A grid with a zero count is an empty
 * dispatch (it completes at once); a grid of more than 2^64 - 1
 * workgroups stops the queue with SVMGPU_Q_ERR_BAD_COMMAND.
 */
#define SVMGPU_OP_DISPATCH_INDIRECT	0x81

/* Opcodes 0x82-0x8f are reserved for more compute commands. */
#define SVMGPU_OP_DISPATCH_FIRST	0x80
#define SVMGPU_OP_DISPATCH_LAST		0x8f

#endif /* SVMGPU_CMD_H */
