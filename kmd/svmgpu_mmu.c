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

/*
 * Finds the table where the leaf for [*va, *va + *len) at *addr goes: the
 * largest level the alignment allows, or a lower one where a table is
 * already in the way. A missing table is taken from *spare if it has the
 * right level; otherwise -EAGAIN with the level needed in *need, so that
 * the caller can allocate one outside its locks. -EEXIST if a leaf of a
 * larger mapping is in the way.
 */
static int svmgpu_pt_find_leaf(struct svmgpu_pgtable *pgt, u64 va, u64 addr,
			       u64 len, struct svmgpu_pt **spare,
			       unsigned int *need, struct svmgpu_pt **leaf_pt)
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
			if (!*spare || (*spare)->level != pt->level - 1) {
				*need = pt->level - 1;
				return -EAGAIN;
			}
			child = *spare;
			*spare = NULL;
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
				   struct svmgpu_pt **spare, unsigned int *need)
{
	lockdep_assert_held(&pgt->lock);

	while (*len) {
		struct svmgpu_pt *pt;
		unsigned int idx;
		u64 size;
		int ret;

		ret = svmgpu_pt_find_leaf(pgt, *va, *addr, *len, spare, need,
					  &pt);
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
 * Runs svmgpu_pgtable_walk_run() to the end, allocating the missing
 * tables with the lock dropped: page-table memory is never allocated
 * under &svmgpu_pgtable.lock, which MMU notifiers take.
 */
static int svmgpu_pgtable_run(struct svmgpu_pgtable *pgt, u64 va, u64 addr,
			      u64 len, u64 flags, bool write)
{
	struct svmgpu_pt *spare = NULL;
	unsigned int need = 0;
	int ret;

	mutex_lock(&pgt->lock);
	while ((ret = svmgpu_pgtable_walk_run(pgt, &va, &addr, &len, flags,
					      write, &spare, &need)) == -EAGAIN) {
		mutex_unlock(&pgt->lock);
		if (spare)
			svmgpu_pt_free(spare);
		spare = svmgpu_pt_alloc(need);
		if (!spare)
			return -ENOMEM;
		mutex_lock(&pgt->lock);
	}
	mutex_unlock(&pgt->lock);
	if (spare)
		svmgpu_pt_free(spare);
	return ret;
}

/**
 * svmgpu_pgtable_map_sgt() - map part of a DMA-mapped buffer.
 * @pgt: the tree.
 * @va: GPU virtual address, page aligned.
 * @size: bytes to map, page aligned, not zero.
 * @sgt: the buffer's pages, mapped for the device's DMA.
 * @offset: where in the buffer to start, page aligned.
 * @writable: map with write permission.
 *
 * The range must be unmapped. No TLB invalidation is needed: the TLB
 * never caches missing translations. On failure the part already mapped
 * stays mapped; the caller unmaps the whole range. May sleep.
 *
 * Return: 0, -ENOMEM, -EINVAL if the buffer is shorter than
 * @offset + @size, or -EEXIST if part of the range was mapped.
 */
int svmgpu_pgtable_map_sgt(struct svmgpu_pgtable *pgt, u64 va, u64 size,
			   struct sg_table *sgt, u64 offset, bool writable)
{
	u64 flags = SVMGPU_PTE_VALID | (writable ? SVMGPU_PTE_WRITE : 0);
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

		ret = svmgpu_pgtable_run(pgt, va, addr, len, flags, true);
		if (ret)
			return ret;
		va += len;
		size -= len;
		if (!size)
			return 0;
	}
	return -EINVAL;
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
	return svmgpu_pgtable_run(pgt, va, addr, len, 0, false);
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
	struct svmgpu_pt *spare = NULL;
	unsigned int need;

	return svmgpu_pgtable_walk_run(pgt, &va, &addr, &len, flags, true,
				       &spare, &need);
}

/*
 * Clears the leaves of [va, end) under @pt. With @freed, tables that
 * became empty are unlinked and go on it; without, they stay.
 */
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
 *
 * When this returns no engine uses a translation of the range and the
 * pages that were mapped there may be freed. Tables that became empty
 * are freed after the invalidation. May sleep; takes
 * &svmgpu_pgtable.lock.
 */
void svmgpu_pgtable_unmap(struct svmgpu_pgtable *pgt, u64 va, u64 size)
{
	struct svmgpu_pt *pt, *tmp;
	LIST_HEAD(freed);

	mutex_lock(&pgt->lock);
	svmgpu_pt_unmap(pgt->root, va, va + size, &freed);
	mutex_unlock(&pgt->lock);
	svmgpu_mmu_invalidate(pgt->sdev, svmgpu_pgtable_root_addr(pgt), va,
			      size);
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
