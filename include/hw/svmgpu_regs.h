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

/* Size of the register space; offsets at or past it read as 0. */
#define SVMGPU_REG_SPACE_SIZE		0x1000

#endif /* SVMGPU_REGS_H */
