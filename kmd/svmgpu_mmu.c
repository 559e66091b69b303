// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_mmu.c - page tables for the svmgpu MMU and TLB invalidation.
 *
 * DOC: Page tables
 *
 * A &struct svmgpu_pgtable is a 4-level radix tree in the format of
 * include/hw/svmgpu_pte.h. Each table is one zeroed page the hardware
 * walks by physical address; the driver keeps, beside it, the pointers to
 * the next-level tables and a count of valid entries.
 *
 * Mapping writes the largest leaf (1 GiB, 2 MiB, 4 KiB) that the VA, the
 * bus address and the remaining length allow, allocating tables on the
 * way; a new table is filled before the entry pointing to it is
 * published, so a concurrent walk sees either nothing or a whole table.
 *
 * Unmapping clears leaves, then invalidates the range in every engine's
 * TLB (svmgpu_mmu_invalidate(): when it returns no engine uses the old
 * translations, see docs/hardware.md) and only then frees the tables that
 * became empty, because a walk in flight may still be reading them until
 * the invalidation completes. Leaves never cross the range they were
 * mapped for, and callers unmap whole mappings, so unmapping never has to
 * split a large leaf.
 *
 * Page-table pools. A bind changes the tables from a dma-fence signalling
 * path (svmgpu_vm.c), which must not allocate memory. Its ioctl therefore
 * reserves, in a &struct svmgpu_pt_pool, every table the mappings could
 * need (svmgpu_pt_pool_reserve(): the worst case, as if no table existed
 * yet, because earlier binds may free tables before this one runs); map
 * and unmap given a pool take tables from it and hand emptied tables back
 * to it instead of allocating and freeing, and svmgpu_pt_pool_fini()
 * frees what is left once the bind is done.
 */

#include <linux/io.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "hw/svmgpu_pte.h"
#include "hw/svmgpu_regs.h"
#include "hw/svmgpu_hw.h"
#include "svmgpu_device.h"
#include "svmgpu_mmu.h"

/**
 * struct svmgpu_pt - one table of the tree.
 * @page: the table the hardware walks.
 * @entries: @page's 512 entries, through the kernel's direct map.
 * @children: next-level tables by index; NULL at level 0.
 * @level: 3 (root) to 0.
 * @used: valid entries, leaves and tables.
 * @free_link: on the list of tables to free after an invalidation.
 */
struct svmgpu_pt {
	struct page *page;
	u64 *entries;
	struct svmgpu_pt **children;
	unsigned int level;
	unsigned int used;
	struct list_head free_link;
};

static struct svmgpu_pt *svmgpu_pt_alloc(unsigned int level)
{
	struct svmgpu_pt *pt;

	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return NULL;

	pt->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!pt->page)
		goto err_free_pt;
	pt->entries = page_address(pt->page);

	if (level) {
		pt->children = kcalloc(SVMGPU_PT_ENTRIES, sizeof(*pt->children),
				       GFP_KERNEL);
		if (!pt->children)
			goto err_free_page;
	}
	pt->level = level;
	return pt;

err_free_page:
	__free_page(pt->page);
err_free_pt:
	kfree(pt);
	return NULL;
}

static void svmgpu_pt_free(struct svmgpu_pt *pt)
{
	kfree(pt->children);
	__free_page(pt->page);
	kfree(pt);
}

/* Frees a subtree the hardware can no longer reach. */
static void svmgpu_pt_free_tree(struct svmgpu_pt *pt)
{
	unsigned int i;

	for (i = 0; pt->children && i < SVMGPU_PT_ENTRIES; i++)
		if (pt->children[i])
			svmgpu_pt_free_tree(pt->children[i]);
	svmgpu_pt_free(pt);
}

static u64 svmgpu_pt_addr(const struct svmgpu_pt *pt)
{
	return page_to_phys(pt->page);
}

/**
 * svmgpu_pgtable_init() - create an empty tree.
 * @pgt: the tree.
 * @sdev: the device whose MMU walks it.
 *
 * Return: 0 or -ENOMEM.
 */
int svmgpu_pgtable_init(struct svmgpu_pgtable *pgt, struct svmgpu_device *sdev)
{
	pgt->sdev = sdev;
	pgt->root = svmgpu_pt_alloc(SVMGPU_PT_LEVELS - 1);
	return pgt->root ? 0 : -ENOMEM;
}

/**
 * svmgpu_pgtable_fini() - free a tree.
 * @pgt: the tree; no queue may use it any more. Its TLB entries are
 *       invalidated here. May sleep.
 */
void svmgpu_pgtable_fini(struct svmgpu_pgtable *pgt)
{
	if (!pgt->root)
		return;
	/*
	 * The TLBs are tagged by root address: a later tree whose root
	 * lands on this page must not find this tree's entries.
	 */
	svmgpu_mmu_invalidate(pgt->sdev, svmgpu_pgtable_root_addr(pgt), 0,
			      1ull << SVMGPU_VA_BITS);
	svmgpu_pt_free_tree(pgt->root);
	pgt->root = NULL;
}

/**
 * svmgpu_pgtable_root_addr() - the physical address queues point at.
 * @pgt: the tree.
 *
 * Return: the address of the root table.
 */
u64 svmgpu_pgtable_root_addr(const struct svmgpu_pgtable *pgt)
{
	return svmgpu_pt_addr(pgt->root);
}

/**
 * svmgpu_pt_pool_init() - an empty pool.
 * @pool: the pool.
 */
void svmgpu_pt_pool_init(struct svmgpu_pt_pool *pool)
{
	unsigned int level;

	for (level = 0; level < ARRAY_SIZE(pool->tables); level++)
		INIT_LIST_HEAD(&pool->tables[level]);
	INIT_LIST_HEAD(&pool->retired);
}

/**
 * svmgpu_pt_pool_fini() - free every table of a pool.
 * @pool: the pool; its retired tables are unreachable by the hardware
 *        (their range was invalidated). May sleep.
 */
void svmgpu_pt_pool_fini(struct svmgpu_pt_pool *pool)
{
	struct svmgpu_pt *pt, *tmp;
	unsigned int level;

	for (level = 0; level < ARRAY_SIZE(pool->tables); level++)
		list_for_each_entry_safe(pt, tmp, &pool->tables[level], free_link)
			svmgpu_pt_free(pt);
	list_for_each_entry_safe(pt, tmp, &pool->retired, free_link)
		svmgpu_pt_free_tree(pt);
	svmgpu_pt_pool_init(pool);
}

/* A table of @level from @pool, or a new one without a pool. */
static struct svmgpu_pt *svmgpu_pt_get(struct svmgpu_pt_pool *pool,
				       unsigned int level)
{
	struct svmgpu_pt *pt;

	if (!pool)
		return svmgpu_pt_alloc(level);
	pt = list_first_entry_or_null(&pool->tables[level], struct svmgpu_pt,
				      free_link);
	if (pt)
		list_del(&pt->free_link);
	return pt;
}

/*
 * The table at @level covering @va, taking missing tables on the way from
 * @pool (or allocating them). -EEXIST if a leaf is in the way (the caller
 * should have unmapped).
 */
static struct svmgpu_pt *svmgpu_pt_walk_alloc(struct svmgpu_pgtable *pgt,
					      u64 va, unsigned int level,
					      struct svmgpu_pt_pool *pool)
{
	struct svmgpu_pt *pt = pgt->root;

	while (pt->level > level) {
		unsigned int idx = SVMGPU_PT_INDEX(va, pt->level);
		struct svmgpu_pt *child = pt->children[idx];

		if (!child) {
			if (pt->entries[idx] & SVMGPU_PTE_VALID)
				return ERR_PTR(-EEXIST);
			child = svmgpu_pt_get(pool, pt->level - 1);
			if (!child)
				return ERR_PTR(-ENOMEM);
			pt->children[idx] = child;
			/* The zeroed table is visible before the entry. */
			wmb();
			WRITE_ONCE(pt->entries[idx],
				   svmgpu_pt_addr(child) | SVMGPU_PTE_VALID);
			pt->used++;
		}
		pt = child;
	}
	return pt;
}

/* The largest leaf level usable for [va, va + len) at bus address @addr. */
static unsigned int svmgpu_leaf_level(u64 va, u64 addr, u64 len)
{
	unsigned int level;

	for (level = 2; level > 0; level--) {
		u64 size = 1ull << SVMGPU_PT_SHIFT(level);

		if (IS_ALIGNED(va, size) && IS_ALIGNED(addr, size) && len >= size)
			return level;
	}
	return 0;
}

/**
 * struct svmgpu_leaf_walk - what to do with each leaf of a mapping.
 * @leaf: called per leaf with its VA, bus address and level; a non-zero
 *        return stops the walk.
 */
struct svmgpu_leaf_walk {
	int (*leaf)(struct svmgpu_leaf_walk *walk, u64 va, u64 addr,
		    unsigned int level);
};

/*
 * Where a mapping of part of a DMA-mapped buffer puts its leaves: calls
 * @walk's leaf() for each leaf, in VA order, with the largest leaf the
 * VA, the bus address and the remaining length allow. -EINVAL if the
 * buffer is shorter than @offset + @size; else stops at leaf()'s first
 * error.
 */
static int svmgpu_sgt_walk_leaves(u64 va, u64 size, struct sg_table *sgt,
				  u64 offset, struct svmgpu_leaf_walk *walk)
{
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		u64 addr = sg_dma_address(sg);
		u64 len = sg_dma_len(sg);

		if (offset >= len) {
			offset -= len;
			continue;
		}
		addr += offset;
		len = min(len - offset, size);
		offset = 0;
		size -= len;

		while (len) {
			unsigned int level = svmgpu_leaf_level(va, addr, len);
			u64 step = 1ull << SVMGPU_PT_SHIFT(level);

			ret = walk->leaf(walk, va, addr, level);
			if (ret)
				return ret;
			va += step;
			addr += step;
			len -= step;
		}
		if (!size)
			return 0;
	}
	return -EINVAL;
}

/* What svmgpu_pgtable_map_sgt() writes its leaves with. */
struct svmgpu_map_ctx {
	struct svmgpu_leaf_walk walk;
	struct svmgpu_pgtable *pgt;
	struct svmgpu_pt_pool *pool;
	u64 flags;
};

static int svmgpu_map_leaf(struct svmgpu_leaf_walk *walk, u64 va, u64 addr,
			   unsigned int level)
{
	struct svmgpu_map_ctx *ctx = container_of(walk, struct svmgpu_map_ctx, walk);
	struct svmgpu_pt *pt = svmgpu_pt_walk_alloc(ctx->pgt, va, level,
						    ctx->pool);
	unsigned int idx;

	if (IS_ERR(pt))
		return PTR_ERR(pt);

	idx = SVMGPU_PT_INDEX(va, level);
	if (pt->entries[idx] & SVMGPU_PTE_VALID)
		return -EEXIST;
	WRITE_ONCE(pt->entries[idx],
		   addr | ctx->flags | (level ? SVMGPU_PTE_LEAF : 0));
	pt->used++;
	return 0;
}

/**
 * svmgpu_pgtable_map_sgt() - map part of a DMA-mapped buffer.
 * @pgt: the tree.
 * @va: GPU virtual address, page aligned.
 * @size: bytes to map, page aligned, not zero.
 * @sgt: the buffer's pages, mapped for the device's DMA.
 * @offset: where in the buffer to start, page aligned.
 * @writable: map with write permission.
 * @pool: where missing tables come from: a pool svmgpu_pt_pool_reserve()
 *        filled for this mapping (then nothing is allocated and this may
 *        run in a dma-fence signalling path), or NULL to allocate them.
 *
 * The range must be unmapped. No TLB invalidation is needed: the TLB
 * never caches missing translations. On failure the part already mapped
 * stays mapped; the caller unmaps the whole range.
 *
 * Return: 0, -ENOMEM (without a pool; or a pool that was too small),
 * -EINVAL if the buffer is shorter than @offset + @size, or -EEXIST if
 * part of the range was mapped.
 */
int svmgpu_pgtable_map_sgt(struct svmgpu_pgtable *pgt, u64 va, u64 size,
			   struct sg_table *sgt, u64 offset, bool writable,
			   struct svmgpu_pt_pool *pool)
{
	struct svmgpu_map_ctx ctx = {
		.walk.leaf = svmgpu_map_leaf,
		.pgt = pgt,
		.pool = pool,
		.flags = SVMGPU_PTE_VALID | (writable ? SVMGPU_PTE_WRITE : 0),
	};

	return svmgpu_sgt_walk_leaves(va, size, sgt, offset, &ctx.walk);
}

/*
 * Counts the tables a mapping's leaves sit in, level by level, as if none
 * existed: a table of level l covers 2^SVMGPU_PT_SHIFT(l + 1) bytes, and
 * leaves come in VA order, so each new region at a level is a new table.
 */
struct svmgpu_count_ctx {
	struct svmgpu_leaf_walk walk;
	unsigned int need[SVMGPU_PT_LEVELS - 1];
	u64 last[SVMGPU_PT_LEVELS - 1];
};

static int svmgpu_count_leaf(struct svmgpu_leaf_walk *walk, u64 va, u64 addr,
			     unsigned int level)
{
	struct svmgpu_count_ctx *ctx = container_of(walk, struct svmgpu_count_ctx,
						    walk);
	unsigned int l;

	for (l = level; l < SVMGPU_PT_LEVELS - 1; l++) {
		u64 region = va >> SVMGPU_PT_SHIFT(l + 1);

		if (region == ctx->last[l])
			break;
		ctx->last[l] = region;
		ctx->need[l]++;
	}
	return 0;
}

/**
 * svmgpu_pt_pool_reserve() - add to a pool the tables a mapping may need.
 * @pool: the pool.
 * @va: as for svmgpu_pgtable_map_sgt().
 * @size: as for svmgpu_pgtable_map_sgt().
 * @sgt: as for svmgpu_pgtable_map_sgt().
 * @offset: as for svmgpu_pgtable_map_sgt().
 *
 * Reserves one table per table the mapping's leaves would sit in if the
 * tree were empty, so svmgpu_pgtable_map_sgt() with this pool cannot run
 * out whatever tables exist or are freed meanwhile. On failure the pool
 * keeps what it had before and what was added; svmgpu_pt_pool_fini()
 * frees it all. Context: process context; may sleep.
 *
 * Return: 0, -ENOMEM, or -EINVAL if the buffer is shorter than
 * @offset + @size.
 */
int svmgpu_pt_pool_reserve(struct svmgpu_pt_pool *pool, u64 va, u64 size,
			   struct sg_table *sgt, u64 offset)
{
	struct svmgpu_count_ctx ctx;
	unsigned int level, i;
	int ret;

	memset(&ctx, 0, sizeof(ctx));
	ctx.walk.leaf = svmgpu_count_leaf;
	/* No region number reaches ~0: VAs are far below 2^64. */
	for (level = 0; level < ARRAY_SIZE(ctx.last); level++)
		ctx.last[level] = ~0ull;
	ret = svmgpu_sgt_walk_leaves(va, size, sgt, offset, &ctx.walk);
	if (ret)
		return ret;

	for (level = 0; level < ARRAY_SIZE(ctx.need); level++) {
		for (i = 0; i < ctx.need[level]; i++) {
			struct svmgpu_pt *pt = svmgpu_pt_alloc(level);

			if (!pt)
				return -ENOMEM;
			list_add(&pt->free_link, &pool->tables[level]);
		}
	}
	return 0;
}

/* Clears the leaves of [va, end) under @pt; emptied tables go on @freed. */
static void svmgpu_pt_unmap(struct svmgpu_pt *pt, u64 va, u64 end,
			    struct list_head *freed)
{
	u64 size = 1ull << SVMGPU_PT_SHIFT(pt->level);

	while (va < end) {
		unsigned int idx = SVMGPU_PT_INDEX(va, pt->level);
		u64 next = min(round_down(va, size) + size, end);
		struct svmgpu_pt *child = pt->children ? pt->children[idx] : NULL;

		if (child) {
			svmgpu_pt_unmap(child, va, next, freed);
			if (!child->used) {
				WRITE_ONCE(pt->entries[idx], 0);
				pt->children[idx] = NULL;
				list_add_tail(&child->free_link, freed);
				pt->used--;
			}
		} else if (pt->entries[idx] & SVMGPU_PTE_VALID) {
			/* Callers unmap whole mappings: leaves never split. */
			WARN_ON(!IS_ALIGNED(va, size) || next - va != size);
			WRITE_ONCE(pt->entries[idx], 0);
			pt->used--;
		}
		va = next;
	}
}

/**
 * svmgpu_pgtable_unmap() - unmap a range and invalidate it in the TLBs.
 * @pgt: the tree.
 * @va: GPU virtual address, page aligned.
 * @size: bytes, page aligned; holes in the range are fine.
 * @pool: where tables that became empty go once the range is
 *        invalidated (freed with the pool: nothing is freed here, so this
 *        may run in a dma-fence signalling path), or NULL to free them
 *        here.
 *
 * When this returns no engine uses a translation of the range and the
 * pages that were mapped there may be freed. May sleep.
 */
void svmgpu_pgtable_unmap(struct svmgpu_pgtable *pgt, u64 va, u64 size,
			  struct svmgpu_pt_pool *pool)
{
	struct svmgpu_pt *pt, *tmp;
	LIST_HEAD(freed);

	svmgpu_pt_unmap(pgt->root, va, va + size, &freed);
	svmgpu_mmu_invalidate(pgt->sdev, svmgpu_pgtable_root_addr(pgt), va,
			      size);
	if (pool) {
		list_splice_tail(&freed, &pool->retired);
		return;
	}
	list_for_each_entry_safe(pt, tmp, &freed, free_link)
		svmgpu_pt_free_tree(pt);
}

static void svmgpu_pt_stats(const struct svmgpu_pt *pt,
			    struct svmgpu_pgtable_stats *stats)
{
	unsigned int i;

	stats->tables++;
	for (i = 0; i < SVMGPU_PT_ENTRIES; i++) {
		if (pt->children && pt->children[i])
			svmgpu_pt_stats(pt->children[i], stats);
		else if (!(pt->entries[i] & SVMGPU_PTE_VALID))
			continue;
		else if (pt->level == 2)
			stats->pages_1g++;
		else if (pt->level == 1)
			stats->pages_2m++;
		else
			stats->pages_4k++;
	}
}

/**
 * svmgpu_pgtable_stats() - count the leaves and tables of a tree.
 * @pgt: the tree.
 * @stats: (out) the counts.
 */
void svmgpu_pgtable_stats(const struct svmgpu_pgtable *pgt,
			  struct svmgpu_pgtable_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	svmgpu_pt_stats(pgt->root, stats);
}

static void svmgpu_pt_dump(const struct svmgpu_pt *pt, u64 base,
			   struct seq_file *m, u64 start, u64 end)
{
	u64 size = 1ull << SVMGPU_PT_SHIFT(pt->level);
	unsigned int i;

	for (i = 0; i < SVMGPU_PT_ENTRIES; i++) {
		u64 va = base + i * size;
		u64 pte = pt->entries[i];

		if (va >= end || va + size <= start)
			continue;
		if (pt->children && pt->children[i]) {
			svmgpu_pt_dump(pt->children[i], va, m, start, end);
		} else if (pte & SVMGPU_PTE_VALID) {
			seq_printf(m, "%#014llx-%#014llx -> %#014llx %s %s\n",
				   va, va + size, pte & SVMGPU_PTE_ADDR_MASK,
				   pt->level == 2 ? "1G" : pt->level == 1 ? "2M" : "4K",
				   pte & SVMGPU_PTE_WRITE ? "rw" : "ro");
		}
	}
}

/**
 * svmgpu_pgtable_dump() - print the leaves that intersect a range.
 * @pgt: the tree.
 * @m: where to print, one leaf a line: VA range, bus address, size, access.
 * @start: start of the range.
 * @end: end of the range (exclusive).
 */
void svmgpu_pgtable_dump(const struct svmgpu_pgtable *pgt, struct seq_file *m,
			 u64 start, u64 end)
{
	svmgpu_pt_dump(pgt->root, 0, m, start, end);
}

/**
 * svmgpu_mmu_invalidate() - invalidate a range in every engine's TLB.
 * @sdev: the device.
 * @root: physical address of the page-table root whose entries go.
 * @va: start of the range.
 * @size: bytes.
 *
 * Returns when no engine can still use a translation of the range (the
 * hardware's guarantee for MMU_COMMAND). May sleep.
 */
void svmgpu_mmu_invalidate(struct svmgpu_device *sdev, u64 root, u64 va,
			   u64 size)
{
	struct svmgpu_hw *hw = sdev->hw;

	mutex_lock(&sdev->mmu_lock);
	svmgpu_hw_write32(hw, SVMGPU_REG_MMU_INVAL_ROOT_LO, lower_32_bits(root));
	svmgpu_hw_write32(hw, SVMGPU_REG_MMU_INVAL_ROOT_HI, upper_32_bits(root));
	svmgpu_hw_write32(hw, SVMGPU_REG_MMU_INVAL_START_LO, lower_32_bits(va));
	svmgpu_hw_write32(hw, SVMGPU_REG_MMU_INVAL_START_HI, upper_32_bits(va));
	svmgpu_hw_write32(hw, SVMGPU_REG_MMU_INVAL_SIZE_LO, lower_32_bits(size));
	svmgpu_hw_write32(hw, SVMGPU_REG_MMU_INVAL_SIZE_HI, upper_32_bits(size));
	svmgpu_hw_write32(hw, SVMGPU_REG_MMU_COMMAND, SVMGPU_MMU_CMD_INVALIDATE);
	mutex_unlock(&sdev->mmu_lock);
}
