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
#define   SVMGPU_REVISION_CURRENT	SVMGPU_REVISION(1u, 0u)

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
 * IRQ_STATUS (RO): pending interrupt causes. IRQ_CLEAR (WO): write 1s to
 * acknowledge. IRQ_MASK (RW): causes that raise the interrupt line. The
 * line is raised (the driver's handler called, with local interrupts
 * disabled) whenever STATUS & MASK becomes non-zero.
 */
#define SVMGPU_REG_IRQ_STATUS		0x0040
#define SVMGPU_REG_IRQ_CLEAR		0x0044
#define SVMGPU_REG_IRQ_MASK		0x0048
#define   SVMGPU_IRQ_QUEUE		(1u << 0)	/* see QUEUE_IRQ_PENDING */
#define   SVMGPU_IRQ_FAULT		(1u << 1)	/* fault queue not empty */

/*
 * QUEUE_IRQ_PENDING(n) (RO/W1C): bit i set when queue slot 32 * n + i
 * completed a FENCE or stopped on an error or fault. Write 1s to clear.
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
 * again. SVMGPU_MMU_CMD_INVALIDATE_ALL ignores START and SIZE.
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
 * in FAULTQ_DROPPED. A non-empty queue raises SVMGPU_IRQ_FAULT.
 */
#define SVMGPU_REG_FAULTQ_BASE_LO	0x0140
#define SVMGPU_REG_FAULTQ_BASE_HI	0x0144
#define SVMGPU_REG_FAULTQ_SIZE		0x0148
#define SVMGPU_REG_FAULTQ_PUT		0x014c	/* RO */
#define SVMGPU_REG_FAULTQ_GET		0x0150
#define SVMGPU_REG_FAULTQ_DROPPED	0x0154	/* RO */

/* Queue block: one register window per queue slot. */

/*
 * A queue slot executes a ring of commands (svmgpu_cmd.h) on one engine
 * in one address space. The ring is one page-aligned, physically
 * contiguous buffer of RING_SIZE bytes (power of two, 4 KiB to 64 KiB).
 * The driver writes commands, advances TAIL (byte offset, modulo
 * RING_SIZE) and writes DOORBELL; the engine consumes up to TAIL and
 * advances HEAD. Registers of slot n are at SVMGPU_QUEUE_REG(n, reg).
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
#define SVMGPU_Q_DOORBELL		0x14	/* WO: any value */
#define SVMGPU_Q_PT_ROOT_LO		0x18	/* page-table root, physical */
#define SVMGPU_Q_PT_ROOT_HI		0x1c
#define SVMGPU_Q_ENGINE			0x20	/* engine index */
#define SVMGPU_Q_CONFIG			0x24
#define   SVMGPU_Q_CONFIG_FAULT_STALL	(1u << 0) /* stall on fault (else abort) */
#define SVMGPU_Q_CONTROL		0x28	/* WO */
#define   SVMGPU_Q_CTL_ENABLE		1u	/* start consuming the ring */
#define   SVMGPU_Q_CTL_DISABLE		2u	/* stop; returns when idle */
#define   SVMGPU_Q_CTL_RESET		3u	/* stop, HEAD = TAIL = 0, clear error */
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
#define   SVMGPU_Q_ERR_BAD_COMMAND	2u	/* unknown opcode or bad length */
#define   SVMGPU_Q_ERR_BAD_RING		3u	/* ring command invalid */
#define SVMGPU_Q_SEQNO			0x34	/* RO: last FENCE seqno */

/* Size of the register space; offsets at or past it read as 0. */
#define SVMGPU_REG_SPACE_SIZE \
	(SVMGPU_QUEUE_REG_BASE + SVMGPU_MAX_QUEUES * SVMGPU_QUEUE_REG_STRIDE)

#endif /* SVMGPU_REGS_H */
