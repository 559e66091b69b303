/* SPDX-License-Identifier: MIT */
/*
 * svmgpu_pte.h - page-table format of the svmgpu MMU.
 *
 * A GPU virtual address has 48 bits. The MMU translates it through a
 * 4-level radix tree of 4 KiB table pages, each holding 512 64-bit
 * entries, little endian:
 *
 *   level 3 (root)  VA bits 47:39
 *   level 2         VA bits 38:30   a leaf here maps 1 GiB
 *   level 1         VA bits 29:21   a leaf here maps 2 MiB
 *   level 0         VA bits 20:12   every valid entry is a 4 KiB leaf
 *
 * Table and page addresses are physical addresses of system memory.
 * Entries of levels 3..1 without SVMGPU_PTE_LEAF point to the next table;
 * SVMGPU_PTE_LEAF is ignored at level 0. Permissions are taken from the
 * leaf only. The MMU faults on an invalid entry, on a write through a leaf
 * without SVMGPU_PTE_WRITE, on a leaf at level 3, on reserved bits set, on
 * a misaligned large-leaf address, and on a table or page address that is
 * not memory the CPU can map (SVMGPU_FAULT_BAD_PTE).
 *
 * The engines' TLBs cache valid leaves (and pointers to level-0 tables).
 * Making an entry valid or writable needs no invalidation; clearing or
 * changing one, freeing a table or reusing a root does (svmgpu_regs.h,
 * MMU_COMMAND).
 */
#ifndef SVMGPU_PTE_H
#define SVMGPU_PTE_H

#define SVMGPU_VA_BITS			48
#define SVMGPU_PT_LEVELS		4
#define SVMGPU_PT_ENTRIES		512
#define SVMGPU_PT_SHIFT(level)		(12 + 9 * (level))
#define SVMGPU_PT_INDEX(va, level) \
	(((va) >> SVMGPU_PT_SHIFT(level)) & (SVMGPU_PT_ENTRIES - 1))

#define SVMGPU_PTE_VALID		(1ull << 0)
#define SVMGPU_PTE_WRITE		(1ull << 1)
#define SVMGPU_PTE_LEAF			(1ull << 2)	/* levels 2 and 1 */
#define SVMGPU_PTE_ADDR_MASK		0x000ffffffffff000ull	/* bits 51:12 */
#define SVMGPU_PTE_RESERVED_MASK	0xfff0000000000ff8ull

#endif /* SVMGPU_PTE_H */
