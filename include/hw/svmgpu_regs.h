/* SPDX-License-Identifier: MIT */
/*
 * svmgpu_regs.h - register interface of the svmgpu virtual GPU.
 *
 * The hardware is programmed only through what this header (and the other
 * headers of include/hw/) describes; docs/hardware.md is the prose manual.
 * Registers are 32 bits wide, little endian, at the byte offsets below.
 */
#ifndef SVMGPU_REGS_H
#define SVMGPU_REGS_H

/* Identification block. */

/* ID (RO): always SVMGPU_ID_MAGIC; anything else means no svmgpu here. */
#define SVMGPU_REG_ID			0x0000
#define   SVMGPU_ID_MAGIC		0x53564d47u	/* "SVMG" */

/*
 * REVISION (RO): interface revision, major in bits 31:16, minor in 15:0.
 * A driver written for major M works with every minor of M.
 */
#define SVMGPU_REG_REVISION		0x0004
#define   SVMGPU_REVISION_MAJOR(r)	((r) >> 16)
#define   SVMGPU_REVISION_MINOR(r)	((r) & 0xffffu)
#define   SVMGPU_REVISION(maj, min)	(((maj) << 16) | (min))
#define   SVMGPU_REVISION_CURRENT	SVMGPU_REVISION(1u, 1u)

/* SCRATCH (RW): no effect; drivers use it to check register access. */
#define SVMGPU_REG_SCRATCH		0x0008

/* MMU capability block. */

/* MMU_VA_BITS (RO): width of a GPU virtual address in bits. */
#define SVMGPU_REG_MMU_VA_BITS		0x0010

/*
 * MMU_PAGE_SIZES (RO): bit n set means the MMU can map pages of 2^n bytes
 * (4 KiB, 2 MiB and 1 GiB leaves: bits 12, 21 and 30).
 */
#define SVMGPU_REG_MMU_PAGE_SIZES	0x0014
#define   SVMGPU_PAGE_SIZE_4K		(1u << 12)
#define   SVMGPU_PAGE_SIZE_2M		(1u << 21)
#define   SVMGPU_PAGE_SIZE_1G		(1u << 30)

/* Engine block. */

/* ENGINE_COUNT (RO): number of command engines this instance has. */
#define SVMGPU_REG_ENGINE_COUNT		0x0020
#define   SVMGPU_MAX_ENGINES		8

/* QUEUE_COUNT (RO): number of queue slots (see the queue block). */
#define SVMGPU_REG_QUEUE_COUNT		0x0024
#define   SVMGPU_MAX_QUEUES		256

/* Interrupt block. */

/*
 * IRQ_STATUS (RO): latched interrupt causes. IRQ_CLEAR (WO): write 1s to
 * acknowledge. IRQ_MASK (RW): causes that raise the interrupt line. The
 * line is raised (the driver's handler called, with local interrupts
 * disabled) whenever STATUS & MASK becomes non-zero - an edge: the handler
 * clears what it saw, then reads the sources (QUEUE_IRQ_PENDING,
 * FAULTQ_PUT), until STATUS & MASK reads 0. A write of IRQ_MASK returns
 * after a handler invocation in progress has returned.
 */
#define SVMGPU_REG_IRQ_STATUS		0x0040
#define SVMGPU_REG_IRQ_CLEAR		0x0044
#define SVMGPU_REG_IRQ_MASK		0x0048
#define   SVMGPU_IRQ_QUEUE		(1u << 0)	/* see QUEUE_IRQ_PENDING */
#define   SVMGPU_IRQ_FAULT		(1u << 1)	/* fault queue not empty */

/*
 * QUEUE_IRQ_PENDING(n) (RO/W1C): bit i set when queue slot 32 * n + i
 * completed a FENCE, executed a USER_FENCE with SVMGPU_USER_FENCE_IRQ, or
 * stopped with an error (status ERROR, including an aborting fault; a
 * stall does not set it). Setting a bit raises SVMGPU_IRQ_QUEUE. Write 1s
 * to clear.
 */
#define SVMGPU_REG_QUEUE_IRQ_PENDING(n)	(0x0080 + 4 * (n))	/* n < 8 */

/* MMU command block: TLB invalidation. */

/*
 * Invalidate every TLB entry that translates a VA in
 * [INVAL_START, INVAL_START + INVAL_SIZE) through the page-table root
 * INVAL_ROOT, on every engine: program the four values, then write
 * SVMGPU_MMU_CMD_INVALIDATE to MMU_COMMAND. The write returns only when
 * no engine can still use a removed translation: accesses that were in
 * flight through one have finished, later accesses walk the page tables
 * again. SVMGPU_MMU_CMD_INVALIDATE_ALL ignores ROOT, START and SIZE and
 * drops every translation. Bits 11:0 of ROOT are ignored; SIZE 0 drops
 * nothing; the range is clipped at 2^48. Cached pointers to last-level
 * tables are dropped for every 2 MiB region the range overlaps: before
 * freeing a table, invalidate a range overlapping what it maps; before
 * freeing or reusing a root, invalidate all of it. The write never sleeps
 * (it spins for at most one page-sized access per engine) but must not be
 * issued from the interrupt handler.
 */
#define SVMGPU_REG_MMU_INVAL_ROOT_LO	0x0100
#define SVMGPU_REG_MMU_INVAL_ROOT_HI	0x0104
#define SVMGPU_REG_MMU_INVAL_START_LO	0x0108
#define SVMGPU_REG_MMU_INVAL_START_HI	0x010c
#define SVMGPU_REG_MMU_INVAL_SIZE_LO	0x0110
#define SVMGPU_REG_MMU_INVAL_SIZE_HI	0x0114
#define SVMGPU_REG_MMU_COMMAND		0x0118
#define   SVMGPU_MMU_CMD_INVALIDATE	1u
#define   SVMGPU_MMU_CMD_INVALIDATE_ALL	2u

/* Fault queue: records of translation faults (svmgpu_fault.h). */

/*
 * FAULTQ_BASE: physical address of a page-aligned, physically contiguous
 * array of FAULTQ_SIZE struct svmgpu_fault_record (a power of two, at
 * most 4096). The hardware writes the record at index PUT % SIZE and then
 * increments PUT; the driver reads records up to PUT and writes GET.
 * When PUT - GET == SIZE the hardware drops new records and counts them
 * in FAULTQ_DROPPED. Every record, written or dropped, raises
 * SVMGPU_IRQ_FAULT. PUT and GET are free-running counters; GET may only
 * move forward, up to PUT. BASE is writable while SIZE is 0; every write
 * of SIZE sets PUT, GET and DROPPED to 0, and a SIZE or BASE the hardware
 * cannot use switches the queue off (SIZE reads 0).
 */
#define SVMGPU_REG_FAULTQ_BASE_LO	0x0140
#define SVMGPU_REG_FAULTQ_BASE_HI	0x0144
#define SVMGPU_REG_FAULTQ_SIZE		0x0148
#define SVMGPU_REG_FAULTQ_PUT		0x014c	/* RO */
#define SVMGPU_REG_FAULTQ_GET		0x0150
#define SVMGPU_REG_FAULTQ_DROPPED	0x0154	/* RO */

/* Engine status block: one register window per engine (revision 1.1). */

/*
 * What each engine is doing and what it has done since the instance was
 * created; all read-only. Registers of engine n (n < ENGINE_COUNT) are at
 * SVMGPU_ENGINE_REG(n, reg); engines past ENGINE_COUNT read as 0.
 *
 * ENG_STATUS: IDLE when no slot of the engine has work (ERROR slots do not
 * count), BUSY when one is runnable or being executed, else WAITING when
 * every slot with work is blocked in a WAIT, else STALLED (some slot waits
 * for RESUME).
 * ENG_SLOT: the slot the engine executes now or executed last;
 * SVMGPU_ENG_SLOT_NONE before its first step.
 * ENG_PROGRESS: GPU clock (the TIMESTAMP clock, ns) at the end of the last
 * step that made progress (completed a command or moved COPY/FILL bytes);
 * 0 before the first.
 * The others are free-running 64-bit event counters: commands completed
 * (ring and batch commands, END and NOP included; a BATCH completes when
 * its batch has), translations served from the TLB, translations that
 * walked the page tables, ranged INVALIDATEs and INVALIDATE_ALLs applied
 * to the engine's TLB, and faults the engine raised (records written or
 * dropped).
 *
 * 64-bit values are _LO/_HI pairs: reading a _LO register latches the
 * upper half of the same value, which the next read of a _HI register of
 * that engine returns. Read _LO, then _HI; readers that may race serialise
 * their pairs.
 */
#define SVMGPU_ENGINE_REG_BASE		0x0400
#define SVMGPU_ENGINE_REG_STRIDE	0x40
#define SVMGPU_ENGINE_REG(n, reg) \
	(SVMGPU_ENGINE_REG_BASE + (n) * SVMGPU_ENGINE_REG_STRIDE + (reg))

#define SVMGPU_ENG_STATUS		0x00
#define   SVMGPU_ENG_STATUS_IDLE	0u
#define   SVMGPU_ENG_STATUS_BUSY	1u
#define   SVMGPU_ENG_STATUS_WAITING	2u
#define   SVMGPU_ENG_STATUS_STALLED	3u
#define SVMGPU_ENG_SLOT			0x04
#define   SVMGPU_ENG_SLOT_NONE		0xffffffffu
#define SVMGPU_ENG_CMDS_LO		0x08
#define SVMGPU_ENG_CMDS_HI		0x0c
#define SVMGPU_ENG_PROGRESS_LO		0x10
#define SVMGPU_ENG_PROGRESS_HI		0x14
#define SVMGPU_ENG_TLB_HITS_LO		0x18
#define SVMGPU_ENG_TLB_HITS_HI		0x1c
#define SVMGPU_ENG_TLB_MISSES_LO	0x20
#define SVMGPU_ENG_TLB_MISSES_HI	0x24
#define SVMGPU_ENG_TLB_INVALS_LO	0x28
#define SVMGPU_ENG_TLB_INVALS_HI	0x2c
#define SVMGPU_ENG_TLB_FLUSHES_LO	0x30
#define SVMGPU_ENG_TLB_FLUSHES_HI	0x34
#define SVMGPU_ENG_FAULTS_LO		0x38
#define SVMGPU_ENG_FAULTS_HI		0x3c

/* Queue block: one register window per queue slot. */

/*
 * A queue slot executes a ring of commands (svmgpu_cmd.h) on one engine
 * in one address space. The ring is one page-aligned, physically
 * contiguous buffer of RING_SIZE bytes (power of two, 4 KiB to 64 KiB).
 * The driver writes commands, advances TAIL (byte offset, modulo
 * RING_SIZE, 8-byte aligned) and writes DOORBELL; the engine consumes up
 * to TAIL and advances HEAD past each command once it has completed (past
 * a BATCH once the whole batch has). HEAD == TAIL means empty. Registers
 * of slot n are at SVMGPU_QUEUE_REG(n, reg). RING_*, PT_ROOT, ENGINE and
 * CONFIG ignore writes while the slot is enabled.
 */
#define SVMGPU_QUEUE_REG_BASE		0x1000
#define SVMGPU_QUEUE_REG_STRIDE		0x40
#define SVMGPU_QUEUE_REG(n, reg) \
	(SVMGPU_QUEUE_REG_BASE + (n) * SVMGPU_QUEUE_REG_STRIDE + (reg))

#define SVMGPU_Q_RING_BASE_LO		0x00	/* physical */
#define SVMGPU_Q_RING_BASE_HI		0x04
#define SVMGPU_Q_RING_SIZE		0x08
#define SVMGPU_Q_HEAD			0x0c	/* RO */
#define SVMGPU_Q_TAIL			0x10
#define SVMGPU_Q_DOORBELL		0x14	/* WO: any value; also re-checks a WAIT */
#define SVMGPU_Q_PT_ROOT_LO		0x18	/* page-table root, physical; 11:0 read 0 */
#define SVMGPU_Q_PT_ROOT_HI		0x1c
#define SVMGPU_Q_ENGINE			0x20	/* engine index */
#define SVMGPU_Q_CONFIG			0x24
#define   SVMGPU_Q_CONFIG_FAULT_STALL	(1u << 0) /* stall on fault (else abort) */
#define SVMGPU_Q_CONTROL		0x28	/* WO */
#define   SVMGPU_Q_CTL_ENABLE		1u	/* start consuming the ring */
#define   SVMGPU_Q_CTL_DISABLE		2u	/* stop; returns when the engine left it (sleeps) */
#define   SVMGPU_Q_CTL_RESET		3u	/* DISABLE, HEAD = TAIL = SEQNO = 0, clear error */
#define   SVMGPU_Q_CTL_RESUME		4u	/* retry the access that stalled */
#define SVMGPU_Q_STATUS			0x2c	/* RO */
#define   SVMGPU_Q_STATUS_DISABLED	0u
#define   SVMGPU_Q_STATUS_IDLE		1u	/* enabled, HEAD == TAIL */
#define   SVMGPU_Q_STATUS_RUNNING	2u
#define   SVMGPU_Q_STATUS_WAITING	3u	/* blocked in a WAIT command */
#define   SVMGPU_Q_STATUS_STALLED	4u	/* fault, waiting for RESUME */
#define   SVMGPU_Q_STATUS_ERROR		5u	/* stopped: see ERROR */
#define SVMGPU_Q_ERROR			0x30	/* RO: SVMGPU_Q_ERR_* */
#define   SVMGPU_Q_ERR_NONE		0u
#define   SVMGPU_Q_ERR_FAULT		1u	/* translation fault, see fault queue */
#define   SVMGPU_Q_ERR_BAD_COMMAND	2u	/* invalid command (svmgpu_cmd.h) */
#define   SVMGPU_Q_ERR_BAD_RING		3u	/* bad ring, bad TAIL, command past TAIL */
#define SVMGPU_Q_SEQNO			0x34	/* RO: last FENCE seqno */

/* Size of the register space; offsets at or past it read as 0. */
#define SVMGPU_REG_SPACE_SIZE \
	(SVMGPU_QUEUE_REG_BASE + SVMGPU_MAX_QUEUES * SVMGPU_QUEUE_REG_STRIDE)

#endif /* SVMGPU_REGS_H */
