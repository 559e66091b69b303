// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_mmu.c - page tables for the svmgpu MMU and TLB invalidation.
 */

/**
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
#include <linux/stdarg.h>

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
	mutex_init(&pgt->lock);
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
	mutex_destroy(&pgt->lock);
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

/* Links @child, a zeroed table, below @pt at @idx. */
static void svmgpu_pt_link(struct svmgpu_pt *pt, unsigned int idx,
			   struct svmgpu_pt *child)
{
	pt->children[idx] = child;
	/* The zeroed table is visible before the entry pointing to it. */
	wmb();
	WRITE_ONCE(pt->entries[idx], svmgpu_pt_addr(child) | SVMGPU_PTE_VALID);
	pt->used++;
}

/**
 * struct svmgpu_pt_source - where a walk takes the tables it is missing.
 * @pool: a bind's reserved tables; when set, a missing table comes from
 *        it (-ENOMEM if it has none of that level: it was too small).
 * @spare: otherwise, one table allocated by the caller with the lock
 *         dropped; -EAGAIN with @need set asks for it.
 * @need: the level of table the walk needs next.
 */
struct svmgpu_pt_source {
	struct svmgpu_pt_pool *pool;
	struct svmgpu_pt *spare;
	unsigned int need;
};

/*
 * Finds the table where the leaf for [va, va + len) at @addr goes: the
 * largest level the alignment allows, or a lower one where a table is
 * already in the way. Missing tables come from @src. -EEXIST if a leaf
 * of a larger mapping is in the way.
 */
static int svmgpu_pt_find_leaf(struct svmgpu_pgtable *pgt, u64 va, u64 addr,
			       u64 len, struct svmgpu_pt_source *src,
			       struct svmgpu_pt **leaf_pt)
{
	unsigned int max = svmgpu_leaf_level(va, addr, len);
	struct svmgpu_pt *pt = pgt->root;

	for (;;) {
		unsigned int idx = SVMGPU_PT_INDEX(va, pt->level);
		struct svmgpu_pt *child = pt->children ? pt->children[idx] : NULL;

		if (pt->level <= max && !child) {
			*leaf_pt = pt;
			return 0;
		}
		if (!child) {
			if (pt->entries[idx] & SVMGPU_PTE_VALID)
				return -EEXIST;
			if (src->pool) {
				child = list_first_entry_or_null(&src->pool->tables[pt->level - 1],
								 struct svmgpu_pt,
								 free_link);
				if (!child)
					return -ENOMEM;
				list_del(&child->free_link);
			} else if (src->spare && src->spare->level == pt->level - 1) {
				child = src->spare;
				src->spare = NULL;
			} else {
				src->need = pt->level - 1;
				return -EAGAIN;
			}
			svmgpu_pt_link(pt, idx, child);
		}
		pt = child;
	}
}

/*
 * Maps (@write) or only makes sure the tables exist for (!@write) a
 * contiguous run, advancing *va, *addr and *len as it goes so that a
 * caller can continue after -EAGAIN. Under &svmgpu_pgtable.lock.
 */
static int svmgpu_pgtable_walk_run(struct svmgpu_pgtable *pgt, u64 *va,
				   u64 *addr, u64 *len, u64 flags, bool write,
				   struct svmgpu_pt_source *src)
{
	lockdep_assert_held(&pgt->lock);

	while (*len) {
		struct svmgpu_pt *pt;
		unsigned int idx;
		u64 size;
		int ret;

		ret = svmgpu_pt_find_leaf(pgt, *va, *addr, *len, src, &pt);
		if (ret)
			return ret;
		size = 1ull << SVMGPU_PT_SHIFT(pt->level);
		if (write) {
			idx = SVMGPU_PT_INDEX(*va, pt->level);
			if (pt->entries[idx] & SVMGPU_PTE_VALID)
				return -EEXIST;
			WRITE_ONCE(pt->entries[idx], *addr | flags |
				   (pt->level ? SVMGPU_PTE_LEAF : 0));
			pt->used++;
			svmgpu_count(pgt->sdev, SVMGPU_CNT_MAPPED_4K + pt->level);
		}
		*va += size;
		*addr += size;
		*len -= size;
	}
	return 0;
}

/*
 * Runs svmgpu_pgtable_walk_run() to the end. With @pool, tables come from
 * it; without, they are allocated with the lock dropped: page-table
 * memory is never allocated under &svmgpu_pgtable.lock, which MMU
 * notifiers take.
 */
static int svmgpu_pgtable_run(struct svmgpu_pgtable *pgt, u64 va, u64 addr,
			      u64 len, u64 flags, bool write,
			      struct svmgpu_pt_pool *pool)
{
	struct svmgpu_pt_source src = { .pool = pool };
	int ret;

	mutex_lock(&pgt->lock);
	while ((ret = svmgpu_pgtable_walk_run(pgt, &va, &addr, &len, flags,
					      write, &src)) == -EAGAIN) {
		mutex_unlock(&pgt->lock);
		if (src.spare)
			svmgpu_pt_free(src.spare);
		src.spare = svmgpu_pt_alloc(src.need);
		if (!src.spare)
			return -ENOMEM;
		mutex_lock(&pgt->lock);
	}
	mutex_unlock(&pgt->lock);
	if (src.spare)
		svmgpu_pt_free(src.spare);
	return ret;
}

/**
 * struct svmgpu_leaf_walk - what to do with each contiguous run of a
 * mapping.
 * @run: called per physically contiguous run with its VA, bus address
 *       and length; a non-zero return stops the walk.
 */
struct svmgpu_leaf_walk {
	int (*run)(struct svmgpu_leaf_walk *walk, u64 va, u64 addr, u64 len);
};

/*
 * Calls @walk's run() for each physically contiguous run of part of a
 * DMA-mapped buffer, in VA order. -EINVAL if the buffer is shorter than
 * @offset + @size; else stops at run()'s first error.
 */
static int svmgpu_sgt_walk_runs(u64 va, u64 size, struct sg_table *sgt,
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

		ret = walk->run(walk, va, addr, len);
		if (ret)
			return ret;
		va += len;
		size -= len;
		if (!size)
			return 0;
	}
	return -EINVAL;
}

/* What svmgpu_pgtable_map_sgt() writes its runs with. */
struct svmgpu_map_ctx {
	struct svmgpu_leaf_walk walk;
	struct svmgpu_pgtable *pgt;
	struct svmgpu_pt_pool *pool;
	u64 flags;
};

static int svmgpu_map_run(struct svmgpu_leaf_walk *walk, u64 va, u64 addr,
			  u64 len)
{
	struct svmgpu_map_ctx *ctx = container_of(walk, struct svmgpu_map_ctx, walk);

	return svmgpu_pgtable_run(ctx->pgt, va, addr, len, ctx->flags, true,
				  ctx->pool);
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
 *        run in a dma-fence signalling path), or NULL to allocate them
 *        (with &svmgpu_pgtable.lock dropped).
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
		.walk.run = svmgpu_map_run,
		.pgt = pgt,
		.pool = pool,
		.flags = SVMGPU_PTE_VALID | (writable ? SVMGPU_PTE_WRITE : 0),
	};

	return svmgpu_sgt_walk_runs(va, size, sgt, offset, &ctx.walk);
}

/*
 * Counts the tables a mapping's leaves sit in, level by level, as if none
 * existed: a table of level l covers 2^SVMGPU_PT_SHIFT(l + 1) bytes, and
 * leaves come in VA order, so each new region at a level is a new table.
 * A walk may put a leaf lower than its alignment allows, but only into a
 * table that already exists, so this is the worst case.
 */
struct svmgpu_count_ctx {
	struct svmgpu_leaf_walk walk;
	unsigned int need[SVMGPU_PT_LEVELS - 1];
	u64 last[SVMGPU_PT_LEVELS - 1];
};

static int svmgpu_count_run(struct svmgpu_leaf_walk *walk, u64 va, u64 addr,
			    u64 len)
{
	struct svmgpu_count_ctx *ctx = container_of(walk, struct svmgpu_count_ctx,
						    walk);

	while (len) {
		unsigned int level = svmgpu_leaf_level(va, addr, len);
		u64 step = 1ull << SVMGPU_PT_SHIFT(level);
		unsigned int l;

		for (l = level; l < SVMGPU_PT_LEVELS - 1; l++) {
			u64 region = va >> SVMGPU_PT_SHIFT(l + 1);

			if (region == ctx->last[l])
				break;
			ctx->last[l] = region;
			ctx->need[l]++;
		}
		va += step;
		addr += step;
		len -= step;
	}
	return 0;
}

static void svmgpu_count_ctx_init(struct svmgpu_count_ctx *ctx)
{
	unsigned int level;

	memset(ctx, 0, sizeof(*ctx));
	ctx->walk.run = svmgpu_count_run;
	/* No region number reaches ~0: VAs are far below 2^64. */
	for (level = 0; level < ARRAY_SIZE(ctx->last); level++)
		ctx->last[level] = ~0ull;
}

/* Allocates into @pool the tables @ctx counted. */
static int svmgpu_pt_pool_fill(struct svmgpu_pt_pool *pool,
			       const struct svmgpu_count_ctx *ctx)
{
	unsigned int level, i;

	for (level = 0; level < ARRAY_SIZE(ctx->need); level++) {
		for (i = 0; i < ctx->need[level]; i++) {
			struct svmgpu_pt *pt = svmgpu_pt_alloc(level);

			if (!pt)
				return -ENOMEM;
			list_add(&pt->free_link, &pool->tables[level]);
		}
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
	int ret;

	svmgpu_count_ctx_init(&ctx);
	ret = svmgpu_sgt_walk_runs(va, size, sgt, offset, &ctx.walk);
	if (ret)
		return ret;
	return svmgpu_pt_pool_fill(pool, &ctx);
}

/**
 * svmgpu_pt_pool_reserve_va() - add to a pool the tables any mapping of a
 * range may need, whatever its pages.
 * @pool: the pool.
 * @va: GPU virtual address, page aligned.
 * @size: bytes, page aligned, not zero.
 *
 * Reserves as if the range were mapped with 4 KiB leaves only, which
 * needs every table any layout of leaves needs; for mappings whose pages
 * are only known when the bind commits (userptrs). Otherwise as
 * svmgpu_pt_pool_reserve().
 *
 * Return: 0 or -ENOMEM.
 */
int svmgpu_pt_pool_reserve_va(struct svmgpu_pt_pool *pool, u64 va, u64 size)
{
	struct svmgpu_count_ctx ctx;

	svmgpu_count_ctx_init(&ctx);
	/* A bus address 4 KiB off the VA's alignment: 4 KiB leaves only. */
	svmgpu_count_run(&ctx.walk, va, va + PAGE_SIZE, size);
	return svmgpu_pt_pool_fill(pool, &ctx);
}

/**
 * svmgpu_pgtable_reserve() - allocate the tables a later mapping needs.
 * @pgt: the tree.
 * @va: GPU virtual address of a physically contiguous run, page aligned.
 * @addr: its bus address.
 * @len: its length, page aligned.
 *
 * After this, svmgpu_pgtable_write() of the same run allocates nothing,
 * unless an unmap freed the (still empty) tables in between; then it
 * fails with -EAGAIN and the caller reserves again. May sleep; takes
 * &svmgpu_pgtable.lock.
 *
 * Return: 0, -ENOMEM, or -EEXIST if a larger leaf covers part of the run.
 */
int svmgpu_pgtable_reserve(struct svmgpu_pgtable *pgt, u64 va, u64 addr,
			   u64 len)
{
	return svmgpu_pgtable_run(pgt, va, addr, len, 0, false, NULL);
}

/**
 * svmgpu_pgtable_write() - map a run whose tables were reserved.
 * @pgt: the tree; the caller holds &svmgpu_pgtable.lock.
 * @va: GPU virtual address, page aligned.
 * @addr: bus address of the physically contiguous run.
 * @len: bytes, page aligned.
 * @writable: map with write permission.
 *
 * Allocates nothing and never sleeps, so it may run under an MMU
 * notifier's lock. On failure what was written stays; the caller clears
 * the run.
 *
 * Return: 0, -EAGAIN if a table is missing, -EEXIST if part of the run
 * is mapped.
 */
int svmgpu_pgtable_write(struct svmgpu_pgtable *pgt, u64 va, u64 addr,
			 u64 len, bool writable)
{
	u64 flags = SVMGPU_PTE_VALID | (writable ? SVMGPU_PTE_WRITE : 0);
	struct svmgpu_pt_source src = {};

	return svmgpu_pgtable_walk_run(pgt, &va, &addr, &len, flags, true,
				       &src);
}

/*
 * Clears the leaves of [va, end) under @pt. With @freed, tables that
 * became empty are unlinked and go on it; without, they stay.
 */
static void svmgpu_pt_unmap(struct svmgpu_pt *pt, u64 va, u64 end,
			    struct list_head *freed)
{
	u64 size = 1ull << SVMGPU_PT_SHIFT(pt->level);

	/*
	 * A last-level table holds only 4 KiB leaves and [va, end) lies
	 * inside it: a plain loop over its entries (an MMU notifier clears
	 * every page of every range it zaps through here).
	 */
	if (!pt->children) {
		u64 *e = &pt->entries[SVMGPU_PT_INDEX(va, pt->level)];
		unsigned long i, n = (end - va) >> SVMGPU_PT_SHIFT(pt->level);

		for (i = 0; i < n; i++) {
			if (e[i] & SVMGPU_PTE_VALID) {
				WRITE_ONCE(e[i], 0);
				pt->used--;
			}
		}
		return;
	}

	while (va < end) {
		unsigned int idx = SVMGPU_PT_INDEX(va, pt->level);
		u64 next = min(round_down(va, size) + size, end);
		struct svmgpu_pt *child = pt->children ? pt->children[idx] : NULL;

		if (child) {
			svmgpu_pt_unmap(child, va, next, freed);
			if (!child->used && freed) {
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
 * pages that were mapped there may be freed. Tables that became empty
 * are freed after the invalidation. May sleep; takes
 * &svmgpu_pgtable.lock.
 */
void svmgpu_pgtable_unmap(struct svmgpu_pgtable *pgt, u64 va, u64 size,
			  struct svmgpu_pt_pool *pool)
{
	struct svmgpu_pt *pt, *tmp;
	LIST_HEAD(freed);

	mutex_lock(&pgt->lock);
	svmgpu_pt_unmap(pgt->root, va, va + size, &freed);
	mutex_unlock(&pgt->lock);
	svmgpu_mmu_invalidate(pgt->sdev, svmgpu_pgtable_root_addr(pgt), va,
			      size);
	if (pool) {
		list_splice_tail(&freed, &pool->retired);
		return;
	}
	list_for_each_entry_safe(pt, tmp, &freed, free_link)
		svmgpu_pt_free_tree(pt);
}

/**
 * svmgpu_pgtable_clear() - clear the leaves of a range, keeping its tables.
 * @pgt: the tree; the caller holds &svmgpu_pgtable.lock.
 * @va: GPU virtual address, page aligned.
 * @size: bytes, page aligned; holes are fine, leaves must not cross it.
 *
 * Allocates and frees nothing and never sleeps (MMU notifiers use it).
 * The caller invalidates the range with svmgpu_mmu_invalidate() before
 * the pages that were mapped there may go.
 */
void svmgpu_pgtable_clear(struct svmgpu_pgtable *pgt, u64 va, u64 size)
{
	lockdep_assert_held(&pgt->lock);
	svmgpu_pt_unmap(pgt->root, va, va + size, NULL);
}

/**
 * svmgpu_pgtable_lookup() - the leaf that translates an address.
 * @pgt: the tree; the caller holds &svmgpu_pgtable.lock.
 * @va: GPU virtual address.
 * @level: (out) level of the leaf: 0 (4 KiB), 1 (2 MiB), 2 (1 GiB).
 *
 * Return: the leaf entry, or 0 if @va is not mapped.
 */
u64 svmgpu_pgtable_lookup(struct svmgpu_pgtable *pgt, u64 va,
			  unsigned int *level)
{
	struct svmgpu_pt *pt = pgt->root;

	lockdep_assert_held(&pgt->lock);
	for (;;) {
		unsigned int idx = SVMGPU_PT_INDEX(va, pt->level);
		struct svmgpu_pt *child = pt->children ? pt->children[idx] : NULL;

		if (!child) {
			*level = pt->level;
			return pt->entries[idx] & SVMGPU_PTE_VALID ?
			       pt->entries[idx] : 0;
		}
		pt = child;
	}
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
void svmgpu_pgtable_stats(struct svmgpu_pgtable *pgt,
			  struct svmgpu_pgtable_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	mutex_lock(&pgt->lock);
	svmgpu_pt_stats(pgt->root, stats);
	mutex_unlock(&pgt->lock);
}

/* Where svmgpu_pgtable_dump() is, and what it has seen. */
struct svmgpu_pt_dump {
	struct seq_file *m;
	u64 start;
	u64 end;
	unsigned int lines_left;
	struct svmgpu_pgtable_stats seen;
	bool truncated;
};

static __printf(2, 3) void svmgpu_pt_dump_line(struct svmgpu_pt_dump *d,
						const char *fmt, ...)
{
	va_list args;

	if (!d->lines_left) {
		d->truncated = true;
		return;
	}
	d->lines_left--;
	va_start(args, fmt);
	seq_vprintf(d->m, fmt, args);
	va_end(args);
}

/* Prints @pt (which maps [base, base + its span)) and what it holds. */
static void svmgpu_pt_dump(const struct svmgpu_pt *pt, u64 base,
			   struct svmgpu_pt_dump *d)
{
	u64 size = 1ull << SVMGPU_PT_SHIFT(pt->level);
	unsigned int i;

	d->seen.tables++;
	svmgpu_pt_dump_line(d, "table %u %#014llx-%#014llx %#014llx used %u\n",
			    pt->level, base, base + size * SVMGPU_PT_ENTRIES,
			    (u64)svmgpu_pt_addr(pt), pt->used);

	for (i = 0; i < SVMGPU_PT_ENTRIES; i++) {
		u64 va = base + i * size;
		u64 pte = pt->entries[i];

		if (va >= d->end || va + size <= d->start)
			continue;
		if (pt->children && pt->children[i]) {
			svmgpu_pt_dump(pt->children[i], va, d);
			continue;
		}
		if (!(pte & SVMGPU_PTE_VALID))
			continue;
		if (pt->level == 2)
			d->seen.pages_1g++;
		else if (pt->level == 1)
			d->seen.pages_2m++;
		else
			d->seen.pages_4k++;
		svmgpu_pt_dump_line(d, "leaf %#014llx-%#014llx %#014llx %s %s\n",
				    va, va + size, pte & SVMGPU_PTE_ADDR_MASK,
				    pt->level == 2 ? "1G" :
				    pt->level == 1 ? "2M" : "4K",
				    pte & SVMGPU_PTE_WRITE ? "rw" : "ro");
	}
}

/**
 * svmgpu_pgtable_dump() - print the tables and leaves that cover a range.
 * @pgt: the tree; takes its lock.
 * @m: where to print.
 * @start: start of the range.
 * @end: end of the range (exclusive).
 * @max_lines: table and leaf lines to print at most.
 *
 * Walks the tree depth first in address order. Each table whose span
 * overlaps the range gives a line "table <level> <span start>-<span end>
 * <physical address> used <valid entries>", each valid leaf that overlaps
 * it a line "leaf <start>-<end> <physical address> 4K|2M|1G rw|ro". After
 * @max_lines such lines the walk goes on counting without printing. The
 * last line is "total tables <n> leaves 4K <n> 2M <n> 1G <n>", followed
 * by " truncated" when lines were left out.
 */
void svmgpu_pgtable_dump(struct svmgpu_pgtable *pgt, struct seq_file *m,
			 u64 start, u64 end, unsigned int max_lines)
{
	struct svmgpu_pt_dump d = {
		.m = m,
		.start = start,
		.end = end,
		.lines_left = max_lines,
	};

	mutex_lock(&pgt->lock);
	svmgpu_pt_dump(pgt->root, 0, &d);
	mutex_unlock(&pgt->lock);
	seq_printf(m, "total tables %llu leaves 4K %llu 2M %llu 1G %llu%s\n",
		   d.seen.tables, d.seen.pages_4k, d.seen.pages_2m,
		   d.seen.pages_1g, d.truncated ? " truncated" : "");
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

	svmgpu_count(sdev, SVMGPU_CNT_TLB_INVALIDATIONS);
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
