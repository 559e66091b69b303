/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_mmu.h - the driver's side of the svmgpu MMU: page tables in the
 * format of include/hw/svmgpu_pte.h and TLB invalidation.
 */
#ifndef SVMGPU_MMU_H
#define SVMGPU_MMU_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "hw/svmgpu_pte.h"

struct scatterlist;
struct seq_file;
struct sg_table;
struct svmgpu_device;
struct svmgpu_pt;

/**
 * struct svmgpu_pgtable - one page-table tree (one GPU address space).
 * @sdev: the device whose MMU walks it.
 * @lock: protects the tree's structure and entries. MMU notifiers take
 *        it, so no memory is allocated under it (tables are allocated
 *        with it dropped) and nothing waits for a fence under it.
 * @root: the level-3 table.
 */
struct svmgpu_pgtable {
	struct svmgpu_device *sdev;
	struct mutex lock; /* the tree; see above */
	struct svmgpu_pt *root;
};

/**
 * struct svmgpu_pt_pool - page tables reserved for one bind, and those it
 * emptied (see "Page-table pools" in svmgpu_mmu.c).
 * @tables: unused tables by level (0 .. 2; a root is never needed).
 * @retired: tables an unmap emptied, freed with the pool.
 *
 * Not locked: one bind owns it.
 */
struct svmgpu_pt_pool {
	struct list_head tables[SVMGPU_PT_LEVELS - 1];
	struct list_head retired;
};

/**
 * struct svmgpu_pgtable_stats - what a tree maps, by leaf size.
 * @pages_4k: 4 KiB leaves.
 * @pages_2m: 2 MiB leaves.
 * @pages_1g: 1 GiB leaves.
 * @tables: table pages, the root included.
 */
struct svmgpu_pgtable_stats {
	u64 pages_4k;
	u64 pages_2m;
	u64 pages_1g;
	u64 tables;
};

int svmgpu_pgtable_init(struct svmgpu_pgtable *pgt, struct svmgpu_device *sdev);
void svmgpu_pgtable_fini(struct svmgpu_pgtable *pgt);
u64 svmgpu_pgtable_root_addr(const struct svmgpu_pgtable *pgt);

void svmgpu_pt_pool_init(struct svmgpu_pt_pool *pool);
int svmgpu_pt_pool_reserve(struct svmgpu_pt_pool *pool, u64 va, u64 size,
			   struct sg_table *sgt, u64 offset);
int svmgpu_pt_pool_reserve_va(struct svmgpu_pt_pool *pool, u64 va, u64 size);
void svmgpu_pt_pool_fini(struct svmgpu_pt_pool *pool);

int svmgpu_pgtable_map_sgt(struct svmgpu_pgtable *pgt, u64 va, u64 size,
			   struct sg_table *sgt, u64 offset, bool writable,
			   struct svmgpu_pt_pool *pool);
void svmgpu_pgtable_unmap(struct svmgpu_pgtable *pgt, u64 va, u64 size,
			  struct svmgpu_pt_pool *pool);
int svmgpu_pgtable_reserve(struct svmgpu_pgtable *pgt, u64 va, u64 addr,
			   u64 len);
int svmgpu_pgtable_write(struct svmgpu_pgtable *pgt, u64 va, u64 addr,
			 u64 len, bool writable);
void svmgpu_pgtable_clear(struct svmgpu_pgtable *pgt, u64 va, u64 size);
u64 svmgpu_pgtable_lookup(struct svmgpu_pgtable *pgt, u64 va,
			  unsigned int *level);

void svmgpu_pgtable_stats(struct svmgpu_pgtable *pgt,
			  struct svmgpu_pgtable_stats *stats);
void svmgpu_pgtable_dump(struct svmgpu_pgtable *pgt, struct seq_file *m,
			 u64 start, u64 end, unsigned int max_lines);

void svmgpu_mmu_invalidate(struct svmgpu_device *sdev, u64 root, u64 va,
			   u64 size);

#endif /* SVMGPU_MMU_H */
