// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_svm.c - shared virtual memory: a fault-mode VM's CPU-address
 * mirror, populated on GPU faults through HMM and torn down by MMU
 * interval notifiers. Its ioctls are in svmgpu_svm_ioctl.c.
 *
 * Over 1000 lines, on purpose: this file is the counterpart of upstream's
 * drm_gpusvm.c (windows, notifiers, ranges, attributes, population and
 * invalidation around one set of private structs) and is to be replaced
 * by it as a whole; one file keeps that swap one file.
 */

/**
 * DOC: SVM core
 *
 * The structure follows drm_gpusvm (Linux 6.15+), written for 6.12 and
 * self-contained so that the upstream helper can replace it later:
 *
 * - Windows: the parts of the VM where GPU VA == CPU VA (VM_BIND MIRROR).
 *   Nothing is mapped there until the GPU touches it.
 * - Notifier regions: fixed, aligned %SVMGPU_SVM_NOTIFIER_SIZE slices of
 *   the address space, each an mmu_interval_notifier created on the first
 *   fault inside it and holding an interval tree of ranges.
 * - Ranges: the unit of population and invalidation, one chunk of
 *   2 MiB, 64 KiB or 4 KiB: the largest aligned chunk around the faulting
 *   address that lies inside the CPU VMA, the notifier region and a
 *   window and overlaps no other range. A range is populated whole with
 *   hmm_range_fault() and mapped with leaves that follow the CPU mapping's
 *   order (a THP becomes a 2 MiB leaf), never beyond the range. A range
 *   that no longer lies inside one VMA (mprotect() split it, which unmaps
 *   nothing) is replaced by one that does on its next fault, so that the
 *   permissions of the neighbouring VMA never fail an access.
 *
 * Fault path (svmgpu_svm_fault(), from the device's fault worker, see
 * "GPU fault path" in svmgpu_fault.c; prefetch takes it too):
 * svmgpu_svm_populate() runs the steps of drm_gpusvm's example fault
 * handler, each a function over one &struct svmgpu_svm_fault_ctx, with
 * one ``retry:`` label:
 *
 * 0. garbage-collect; svmgpu_svm_fault_check(): a window and the
 *    attributes allow the access;
 * 1. svmgpu_svm_range_find_or_insert(): the notifier region (before the
 *    mmap lock), then under the mmap read lock the CPU VMA's verdict and
 *    the range around the address; a range that serves the access
 *    already ends it;
 * 2. svmgpu_svm_range_get_pages(): mmu_interval_read_begin(),
 *    hmm_range_fault() under the mmap read lock (again on -EBUSY until a
 *    timeout; in userfaultfd memory it only looks, and a work item faults
 *    the missing pages in, waiting for the handler: see
 *    svmgpu_svm_uffd_fault_in()), DMA-map the pages in units, reserve
 *    the page tables;
 * 3. svmgpu_svm_range_bind(): take the notifier lock; if
 *    mmu_interval_read_retry() says the CPU mapping changed meanwhile,
 *    back to ``retry:``; write the PTEs; unlock.
 *
 * Then the caller resumes the stalled queue.
 *
 * Invalidation (svmgpu_svm_invalidate(), the notifier callback): take the
 * notifier lock (trylock when the caller cannot block), record the new
 * sequence, clear the PTEs of every mapped range the event touches (under
 * one page-table lock), invalidate the span they cover in the TLBs once
 * (on return no engine uses the old translations, the hardware's
 * guarantee) and only then DMA-unmap the pages: the core may free them as
 * soon as the callback returns. Nothing is allocated or freed there. On MMU_NOTIFY_UNMAP the
 * ranges are also marked unmapped and queued for the garbage collector,
 * which destroys them (a partly unmapped range goes whole; the next fault
 * makes a smaller one). CLEAR, PROTECTION_*, MIGRATE and the rest only
 * zap: the next fault repopulates with the new pages and permissions.
 *
 * Locking (the driver-wide order is "Locking" in svmgpu_device.h),
 * outermost first: &svmgpu_svm.lock (fault servicing and every
 * change of windows, notifiers and ranges) -> mmap lock ->
 * &svmgpu_svm.notifier_lock (range state; taken by notifier callbacks) ->
 * &svmgpu_pgtable.lock -> the device's MMU lock. Nothing allocates
 * memory under the notifier lock or the page-table lock: range structs,
 * page arrays and page tables are allocated before them.
 */

#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/userfaultfd_k.h>
#include <linux/workqueue.h>

#include "svmgpu_drm.h"
#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_pte.h"
#include "svmgpu_device.h"
#include "svmgpu_mmu.h"
#include "svmgpu_svm.h"
#include "svmgpu_trace.h"

#define SVMGPU_SVM_NOTIFIER_SIZE	SZ_512M

static const u64 svmgpu_svm_chunks[] = { SZ_2M, SZ_64K, SZ_4K };

/**
 * struct svmgpu_svm_window - one CPU-address-mirror window.
 * @it: [start, last] in the svm's window tree.
 */
struct svmgpu_svm_window {
	struct interval_tree_node it;
};

/**
 * struct svmgpu_svm_attr_node - a range with attributes set.
 * @it: [start, last] in the svm's attribute tree; nodes never overlap.
 * @attrs: the attributes.
 * @spare_link: on a list of preallocated nodes while unused.
 */
struct svmgpu_svm_attr_node {
	struct interval_tree_node it;
	struct svmgpu_svm_attrs attrs;
	struct list_head spare_link;
};

static const struct svmgpu_svm_attrs svmgpu_svm_attr_defaults = {
	.access = DRM_SVMGPU_ACCESS_READ_WRITE,
	.read_mostly = 0,
	.location = DRM_SVMGPU_LOCATION_SYSTEM,
	.max_chunk = SZ_2M,
};

/**
 * struct svmgpu_svm_notifier - one notifier region.
 * @mni: the interval notifier over the region.
 * @it: [start, last] in the svm's notifier tree.
 * @ranges: interval tree of the region's ranges; changed under both
 *          &svmgpu_svm.lock and &svmgpu_svm.notifier_lock, read under
 *          either.
 * @svm: the mirror.
 */
struct svmgpu_svm_notifier {
	struct mmu_interval_notifier mni;
	struct interval_tree_node it;
	struct rb_root_cached ranges;
	struct svmgpu_svm *svm;
};

/**
 * struct svmgpu_svm_unit - a physically contiguous, DMA-mapped piece of a
 * range: the part of a huge CPU mapping inside the range, or a run of
 * 4 KiB pages that are physically contiguous (mapped with 4 KiB leaves).
 * @addr: bus address.
 * @va: CPU (and GPU) virtual address.
 * @npages: 4 KiB pages.
 * @writable: mapped with GPU write access.
 * @zero: the shared zero page (read-only).
 */
struct svmgpu_svm_unit {
	dma_addr_t addr;
	u64 va;
	u32 npages;
	bool writable;
	bool zero;
};

/**
 * struct svmgpu_svm_range - one chunk of a window, populated as a whole.
 * @it: [start, last] in its notifier's range tree.
 * @notifier: the notifier region it lies in.
 * @gc_link: on &svmgpu_svm.gc_list while queued for destruction.
 * @units: its pages: an array of one entry per 4 KiB page of the range,
 *         given by the commit that mapped it and kept when the range is
 *         zapped, until the range is destroyed or mapped again (freeing
 *         it in the notifier callback would slow munmap() down).
 * @nr_units: units of @units that are DMA-mapped; 0 when not @mapped,
 *            except inside svmgpu_svm_invalidate() between clearing the
 *            PTEs and DMA-unmapping.
 * @mapped: its PTEs are written and @units DMA-mapped.
 * @writable: every unit is writable.
 * @unmapped: (part of) its CPU mapping went away; destroyed by the GC.
 *
 * @units, @nr_units, @mapped, @writable and @unmapped change under
 * &svmgpu_svm.notifier_lock.
 */
struct svmgpu_svm_range {
	struct interval_tree_node it;
	struct svmgpu_svm_notifier *notifier;
	struct list_head gc_link;
	struct svmgpu_svm_unit *units;
	unsigned int nr_units;
	bool mapped;
	bool writable;
	bool unmapped;
};

static u64 svmgpu_range_start(const struct svmgpu_svm_range *r)
{
	return r->it.start;
}

static u64 svmgpu_range_end(const struct svmgpu_svm_range *r)
{
	return (u64)r->it.last + 1;
}

static struct device *svmgpu_svm_dev(struct svmgpu_svm *svm)
{
	return svm->sdev->drm.dev;
}

static void svmgpu_svm_units_unmap(struct svmgpu_svm *svm,
				   struct svmgpu_svm_unit *units,
				   unsigned int nr_units)
{
	unsigned int i;

	for (i = 0; i < nr_units; i++)
		dma_unmap_page(svmgpu_svm_dev(svm), units[i].addr,
			       (size_t)units[i].npages << PAGE_SHIFT,
			       units[i].writable ? DMA_BIDIRECTIONAL :
						   DMA_TO_DEVICE);
}

/*
 * Clears a mapped range's PTEs. The caller invalidates them in the TLBs
 * and only then DMA-unmaps the units, which stay with the range until
 * then (nr_units != 0 with !mapped says so). Under the notifier lock and
 * the page-table lock.
 */
static void svmgpu_svm_range_clear(struct svmgpu_svm *svm,
				   struct svmgpu_svm_range *range)
{
	lockdep_assert_held(&svm->notifier_lock);
	lockdep_assert_held(&svm->pgt->lock);
	svmgpu_pgtable_clear(svm->pgt, svmgpu_range_start(range),
			     svmgpu_range_end(range) - svmgpu_range_start(range));
	range->mapped = false;
	range->writable = false;
}

/*
 * Takes a range's units away: clears its PTEs and invalidates them in the
 * TLBs if it is mapped, and returns the unit array (NULL if it has none)
 * with the number of units still DMA-mapped in *@nr_units, which the
 * caller DMA-unmaps and frees (svmgpu_svm_units_free(); the TLB
 * invalidation is done). Under the notifier lock.
 */
static struct svmgpu_svm_unit *
svmgpu_svm_range_zap(struct svmgpu_svm *svm, struct svmgpu_svm_range *range,
		     unsigned int *nr_units)
{
	struct svmgpu_svm_unit *units = range->units;

	lockdep_assert_held(&svm->notifier_lock);
	if (range->mapped) {
		mutex_lock(&svm->pgt->lock);
		svmgpu_svm_range_clear(svm, range);
		mutex_unlock(&svm->pgt->lock);
		svmgpu_mmu_invalidate(svm->sdev,
				      svmgpu_pgtable_root_addr(svm->pgt),
				      svmgpu_range_start(range),
				      svmgpu_range_end(range) -
				      svmgpu_range_start(range));
	}
	*nr_units = range->nr_units;
	range->units = NULL;
	range->nr_units = 0;
	return units;
}

static void svmgpu_svm_units_free(struct svmgpu_svm *svm,
				  struct svmgpu_svm_unit *units,
				  unsigned int nr_units)
{
	if (!units)
		return;
	svmgpu_svm_units_unmap(svm, units, nr_units);
	kvfree(units);
}

/* The MMU notifier callback of a notifier region. */
static bool svmgpu_svm_invalidate(struct mmu_interval_notifier *mni,
				  const struct mmu_notifier_range *mrange,
				  unsigned long cur_seq)
{
	struct svmgpu_svm_notifier *notifier =
		container_of(mni, struct svmgpu_svm_notifier, mni);
	struct svmgpu_svm *svm = notifier->svm;
	u64 start = max_t(u64, mrange->start, notifier->it.start);
	u64 last = min_t(u64, mrange->end - 1, notifier->it.last);
	bool unmap = mrange->event == MMU_NOTIFY_UNMAP;
	u64 zap_start = U64_MAX, zap_end = 0;
	struct interval_tree_node *node;
	unsigned int zapped = 0;
	bool gc = false;

	if (mmu_notifier_range_blockable(mrange)) {
		mutex_lock(&svm->notifier_lock);
	} else {
		if (!mutex_trylock(&svm->notifier_lock))
			return false;
		/* Zapping sleeps (TLB invalidation): only without mappings. */
		for (node = interval_tree_iter_first(&notifier->ranges, start, last);
		     node; node = interval_tree_iter_next(node, start, last)) {
			struct svmgpu_svm_range *range =
				container_of(node, struct svmgpu_svm_range, it);

			if (range->mapped) {
				mutex_unlock(&svm->notifier_lock);
				return false;
			}
		}
	}

	mmu_interval_set_seq(mni, cur_seq);

	/*
	 * In three steps, so that one event costs one TLB invalidation
	 * however many ranges it zaps: clear the PTEs of every mapped range
	 * under one page-table lock; invalidate the span they cover (ranges
	 * in between that were not mapped lose nothing but TLB entries they
	 * do not have); then, no engine being able to reach the pages any
	 * more, DMA-unmap them, which must be done before returning: the
	 * core may free the pages right after. The unit arrays stay with
	 * their ranges (freed by the GC or the next commit): freeing them
	 * here is page-allocator work the CPU side of munmap() waits for.
	 */
	for (node = interval_tree_iter_first(&notifier->ranges, start, last);
	     node; node = interval_tree_iter_next(node, start, last)) {
		struct svmgpu_svm_range *range =
			container_of(node, struct svmgpu_svm_range, it);

		if (!range->mapped)
			continue;
		if (!zapped++)
			mutex_lock(&svm->pgt->lock);
		svmgpu_svm_range_clear(svm, range);
		zap_start = min(zap_start, svmgpu_range_start(range));
		zap_end = max(zap_end, svmgpu_range_end(range));
	}
	if (zapped) {
		mutex_unlock(&svm->pgt->lock);
		svmgpu_mmu_invalidate(svm->sdev,
				      svmgpu_pgtable_root_addr(svm->pgt),
				      zap_start, zap_end - zap_start);
	}

	for (node = interval_tree_iter_first(&notifier->ranges, start, last);
	     node; node = interval_tree_iter_next(node, start, last)) {
		struct svmgpu_svm_range *range =
			container_of(node, struct svmgpu_svm_range, it);

		/* Zapped above: not mapped, units still DMA-mapped. */
		if (range->nr_units && !range->mapped) {
			svmgpu_svm_units_unmap(svm, range->units,
					       range->nr_units);
			range->nr_units = 0;
			atomic64_inc(&svm->stats.invalidations);
		}
		if (unmap && !range->unmapped) {
			range->unmapped = true;
			spin_lock(&svm->gc_lock);
			list_add_tail(&range->gc_link, &svm->gc_list);
			spin_unlock(&svm->gc_lock);
			gc = true;
		}
	}
	mutex_unlock(&svm->notifier_lock);
	trace_svmgpu_svm_invalidate(svm, start, last + 1, mrange->event, zapped);

	if (gc)
		queue_work(system_unbound_wq, &svm->gc_work);
	return true;
}

static const struct mmu_interval_notifier_ops svmgpu_svm_notifier_ops = {
	.invalidate = svmgpu_svm_invalidate,
};

/* Takes a range out of its notifier and frees it. Under svm->lock. */
static void svmgpu_svm_range_destroy(struct svmgpu_svm *svm,
				     struct svmgpu_svm_range *range)
{
	struct svmgpu_svm_unit *units;
	unsigned int nr_units;

	lockdep_assert_held(&svm->lock);

	mutex_lock(&svm->notifier_lock);
	units = svmgpu_svm_range_zap(svm, range, &nr_units);
	interval_tree_remove(&range->it, &range->notifier->ranges);
	/*
	 * Off the GC list only now: until it left the tree, an UNMAP
	 * callback (which holds the notifier lock) could still queue it,
	 * and a range freed while queued is a use after free (seen when the
	 * mm outlived the VM: exit_mmap() racing svmgpu_svm_fini()).
	 */
	spin_lock(&svm->gc_lock);
	if (!list_empty(&range->gc_link))
		list_del_init(&range->gc_link);
	spin_unlock(&svm->gc_lock);
	mutex_unlock(&svm->notifier_lock);

	svmgpu_svm_units_free(svm, units, nr_units);
	kfree(range);
}

/* Removes a notifier region without ranges. Under svm->lock. */
static void svmgpu_svm_notifier_destroy(struct svmgpu_svm *svm,
					struct svmgpu_svm_notifier *notifier)
{
	lockdep_assert_held(&svm->lock);
	interval_tree_remove(&notifier->it, &svm->notifiers);
	/* Waits for callbacks in flight; they never take svm->lock. */
	mmu_interval_notifier_remove(&notifier->mni);
	kfree(notifier);
}

/* Destroys the ranges whose CPU mapping went away. Under svm->lock. */
static void svmgpu_svm_gc(struct svmgpu_svm *svm)
{
	struct svmgpu_svm_range *range;

	lockdep_assert_held(&svm->lock);

	for (;;) {
		struct svmgpu_svm_notifier *notifier;

		spin_lock(&svm->gc_lock);
		range = list_first_entry_or_null(&svm->gc_list,
						 struct svmgpu_svm_range, gc_link);
		spin_unlock(&svm->gc_lock);
		if (!range)
			break;

		notifier = range->notifier;
		svmgpu_svm_range_destroy(svm, range);
		atomic64_inc(&svm->stats.ranges_gc);
		if (RB_EMPTY_ROOT(&notifier->ranges.rb_root))
			svmgpu_svm_notifier_destroy(svm, notifier);
	}
}

static void svmgpu_svm_gc_work(struct work_struct *work)
{
	struct svmgpu_svm *svm = container_of(work, struct svmgpu_svm, gc_work);

	mutex_lock(&svm->lock);
	svmgpu_svm_gc(svm);
	mutex_unlock(&svm->lock);
}

/**
 * svmgpu_svm_init() - set up the mirror of a fault-mode VM.
 * @svm: the mirror.
 * @sdev: the device.
 * @pgt: the VM's page tables.
 * @mm: the address space to mirror (the creating process's).
 *
 * Return: 0.
 */
int svmgpu_svm_init(struct svmgpu_svm *svm, struct svmgpu_device *sdev,
		    struct svmgpu_pgtable *pgt, struct mm_struct *mm)
{
	svm->sdev = sdev;
	svm->pgt = pgt;
	svm->mm = mm;
	mmgrab(mm);
	mutex_init(&svm->lock);
	mutex_init(&svm->notifier_lock);
	svm->windows = RB_ROOT_CACHED;
	svm->attrs = RB_ROOT_CACHED;
	svm->notifiers = RB_ROOT_CACHED;
	spin_lock_init(&svm->gc_lock);
	INIT_LIST_HEAD(&svm->gc_list);
	INIT_WORK(&svm->gc_work, svmgpu_svm_gc_work);

	/*
	 * Teach lockdep up front that memory reclaim may take the notifier
	 * and page-table locks (through the notifier callback), so that an
	 * allocation under either is reported even if reclaim never runs.
	 */
	if (IS_ENABLED(CONFIG_LOCKDEP)) {
		fs_reclaim_acquire(GFP_KERNEL);
		might_lock(&svm->notifier_lock);
		might_lock(&pgt->lock);
		fs_reclaim_release(GFP_KERNEL);
	}
	return 0;
}

/* Destroys every range and notifier of [start, end). Under svm->lock. */
static void svmgpu_svm_evict(struct svmgpu_svm *svm, u64 start, u64 end)
{
	struct interval_tree_node *nnode, *nnext;

	lockdep_assert_held(&svm->lock);

	for (nnode = interval_tree_iter_first(&svm->notifiers, start, end - 1);
	     nnode; nnode = nnext) {
		struct svmgpu_svm_notifier *notifier =
			container_of(nnode, struct svmgpu_svm_notifier, it);
		struct interval_tree_node *rnode, *rnext;

		nnext = interval_tree_iter_next(nnode, start, end - 1);
		for (rnode = interval_tree_iter_first(&notifier->ranges, start,
						      end - 1);
		     rnode; rnode = rnext) {
			struct svmgpu_svm_range *range =
				container_of(rnode, struct svmgpu_svm_range, it);

			rnext = interval_tree_iter_next(rnode, start, end - 1);
			svmgpu_svm_range_destroy(svm, range);
		}
		if (RB_EMPTY_ROOT(&notifier->ranges.rb_root))
			svmgpu_svm_notifier_destroy(svm, notifier);
	}
}

/**
 * svmgpu_svm_fini() - tear the mirror down.
 * @svm: the mirror; no queue of the VM runs any more.
 *
 * Unmaps everything, removes the notifiers. May sleep.
 */
void svmgpu_svm_fini(struct svmgpu_svm *svm)
{
	struct interval_tree_node *node;

	mutex_lock(&svm->lock);
	svmgpu_svm_evict(svm, 0, 1ull << SVMGPU_VA_BITS);
	while ((node = interval_tree_iter_first(&svm->windows, 0, ULONG_MAX))) {
		interval_tree_remove(node, &svm->windows);
		kfree(container_of(node, struct svmgpu_svm_window, it));
	}
	while ((node = interval_tree_iter_first(&svm->attrs, 0, ULONG_MAX))) {
		interval_tree_remove(node, &svm->attrs);
		kfree(container_of(node, struct svmgpu_svm_attr_node, it));
	}
	mutex_unlock(&svm->lock);
	/* A callback that raced with the last removal may have queued it. */
	cancel_work_sync(&svm->gc_work);
	mmdrop(svm->mm);
	mutex_destroy(&svm->notifier_lock);
	mutex_destroy(&svm->lock);
}

/**
 * svmgpu_svm_window_add() - open a CPU-address-mirror window.
 * @svm: the mirror.
 * @start: start, page aligned.
 * @end: end (exclusive), page aligned, above @start.
 *
 * Windows never overlap; the caller (VM_BIND) removes what is there
 * first.
 *
 * Return: 0, -EEXIST if a window overlaps, -ENOMEM.
 */
int svmgpu_svm_window_add(struct svmgpu_svm *svm, u64 start, u64 end)
{
	struct svmgpu_svm_window *win;

	win = kzalloc(sizeof(*win), GFP_KERNEL);
	if (!win)
		return -ENOMEM;
	win->it.start = start;
	win->it.last = end - 1;

	mutex_lock(&svm->lock);
	if (interval_tree_iter_first(&svm->windows, start, end - 1)) {
		mutex_unlock(&svm->lock);
		kfree(win);
		return -EEXIST;
	}
	interval_tree_insert(&win->it, &svm->windows);
	mutex_unlock(&svm->lock);
	return 0;
}

/**
 * svmgpu_svm_window_remove() - close the windows' parts in a range.
 * @svm: the mirror.
 * @start: start, page aligned.
 * @end: end (exclusive), page aligned, above @start.
 *
 * What the GPU had mapped there is unmapped before this returns. A
 * window that straddles an end of the range keeps its outer part.
 */
void svmgpu_svm_window_remove(struct svmgpu_svm *svm, u64 start, u64 end)
{
	struct svmgpu_svm_window *spare;
	struct interval_tree_node *node;

	/* Removing the middle of a window splits it in two. */
	spare = kzalloc(sizeof(*spare), GFP_KERNEL | __GFP_NOFAIL);

	mutex_lock(&svm->lock);
	svmgpu_svm_evict(svm, start, end);
	while ((node = interval_tree_iter_first(&svm->windows, start, end - 1))) {
		u64 wstart = node->start, wlast = node->last;

		interval_tree_remove(node, &svm->windows);
		if (wstart < start && wlast >= end) {
			node->last = start - 1;
			interval_tree_insert(node, &svm->windows);
			spare->it.start = end;
			spare->it.last = wlast;
			interval_tree_insert(&spare->it, &svm->windows);
			spare = NULL;
			break;
		} else if (wstart < start) {
			node->last = start - 1;
			interval_tree_insert(node, &svm->windows);
		} else if (wlast >= end) {
			node->start = end;
			interval_tree_insert(node, &svm->windows);
		} else {
			kfree(container_of(node, struct svmgpu_svm_window, it));
		}
	}
	mutex_unlock(&svm->lock);
	kfree(spare);
}

/* The attributes at @addr. Under svm->lock. */
static struct svmgpu_svm_attrs svmgpu_svm_attrs_at(struct svmgpu_svm *svm,
						   u64 addr)
{
	struct interval_tree_node *node;

	node = interval_tree_iter_first(&svm->attrs, addr, addr);
	if (!node)
		return svmgpu_svm_attr_defaults;
	return container_of(node, struct svmgpu_svm_attr_node, it)->attrs;
}

/* Whether [start, end) has one set of attributes. Under svm->lock. */
static bool svmgpu_svm_attrs_uniform(struct svmgpu_svm *svm, u64 start,
				     u64 end)
{
	struct interval_tree_node *node;

	node = interval_tree_iter_first(&svm->attrs, start, end - 1);
	if (!node)
		return true;
	return node->start <= start && node->last >= end - 1;
}

static struct svmgpu_svm_attr_node *
svmgpu_svm_attr_node_take(struct list_head *spares, u64 start, u64 last,
			  const struct svmgpu_svm_attrs *attrs)
{
	struct svmgpu_svm_attr_node *n =
		list_first_entry(spares, struct svmgpu_svm_attr_node, spare_link);

	list_del(&n->spare_link);
	n->it.start = start;
	n->it.last = last;
	n->attrs = *attrs;
	return n;
}

static bool svmgpu_svm_attrs_equal(const struct svmgpu_svm_attrs *a,
				   const struct svmgpu_svm_attrs *b)
{
	return a->access == b->access && a->read_mostly == b->read_mostly &&
	       a->location == b->location && a->max_chunk == b->max_chunk;
}

/*
 * Coalesces the attribute nodes of [start, end) and its two neighbours:
 * a node with the defaults goes (an unset range has them), a node that
 * continues its left neighbour with the same attributes is merged into
 * it. The freed nodes go to @spares. Under svm->lock.
 */
static void svmgpu_svm_attr_coalesce(struct svmgpu_svm *svm, u64 start,
				     u64 end, struct list_head *spares)
{
	u64 lo = start ? start - 1 : 0, hi = end;
	struct svmgpu_svm_attr_node *n, *prev = NULL;
	struct interval_tree_node *node, *next;

	for (node = interval_tree_iter_first(&svm->attrs, lo, hi); node;
	     node = next) {
		next = interval_tree_iter_next(node, lo, hi);
		n = container_of(node, struct svmgpu_svm_attr_node, it);
		if (svmgpu_svm_attrs_equal(&n->attrs, &svmgpu_svm_attr_defaults)) {
			interval_tree_remove(node, &svm->attrs);
			list_add(&n->spare_link, spares);
		} else if (prev && (u64)prev->it.last + 1 == node->start &&
			   svmgpu_svm_attrs_equal(&prev->attrs, &n->attrs)) {
			interval_tree_remove(node, &svm->attrs);
			/* The start, the tree's key, stays: no reordering. */
			interval_tree_remove(&prev->it, &svm->attrs);
			prev->it.last = node->last;
			interval_tree_insert(&prev->it, &svm->attrs);
			list_add(&n->spare_link, spares);
		} else {
			prev = n;
		}
	}
}

/**
 * svmgpu_svm_attr_set() - set attributes on a range.
 * @svm: the mirror.
 * @start: start, page aligned.
 * @end: end (exclusive), page aligned, above @start.
 * @set: the attributes to change and their values (validated).
 *
 * Splits attribute ranges at @start and @end, gives the gaps in between
 * the defaults, changes the attributes, coalesces (ranges left with the
 * defaults go, neighbours with equal attributes merge, so that the tree
 * does not grow with SETs of equal attributes), and unmaps what the GPU
 * had mapped in the range so that the next access follows them.
 *
 * Return: 0 or -ENOMEM (then nothing changed).
 */
int svmgpu_svm_attr_set(struct svmgpu_svm *svm, u64 start, u64 end,
			const struct svmgpu_svm_attr_set *set)
{
	struct interval_tree_node *node, *next;
	struct svmgpu_svm_attr_node *n, *tmp;
	unsigned int needed = 3, i;
	LIST_HEAD(spares);
	u64 addr;

	mutex_lock(&svm->lock);
	/* Two splits, and a gap before, between and after the nodes. */
	for (node = interval_tree_iter_first(&svm->attrs, start, end - 1); node;
	     node = interval_tree_iter_next(node, start, end - 1))
		needed++;
	for (i = 0; i < needed; i++) {
		n = kzalloc(sizeof(*n), GFP_KERNEL);
		if (!n) {
			mutex_unlock(&svm->lock);
			list_for_each_entry_safe(n, tmp, &spares, spare_link)
				kfree(n);
			return -ENOMEM;
		}
		list_add(&n->spare_link, &spares);
	}

	/* Split the nodes that straddle @start or @end. */
	node = interval_tree_iter_first(&svm->attrs, start, start);
	if (node && node->start < start) {
		n = container_of(node, struct svmgpu_svm_attr_node, it);
		interval_tree_remove(node, &svm->attrs);
		n = svmgpu_svm_attr_node_take(&spares, node->start, start - 1,
					      &n->attrs);
		interval_tree_insert(&n->it, &svm->attrs);
		node->start = start;
		interval_tree_insert(node, &svm->attrs);
	}
	node = interval_tree_iter_first(&svm->attrs, end - 1, end - 1);
	if (node && node->last > end - 1) {
		n = container_of(node, struct svmgpu_svm_attr_node, it);
		interval_tree_remove(node, &svm->attrs);
		n = svmgpu_svm_attr_node_take(&spares, end, node->last,
					      &n->attrs);
		interval_tree_insert(&n->it, &svm->attrs);
		node->last = end - 1;
		interval_tree_insert(node, &svm->attrs);
	}

	/* Fill the gaps with default nodes, then change every node. */
	addr = start;
	for (node = interval_tree_iter_first(&svm->attrs, start, end - 1);
	     addr < end; node = next) {
		u64 gap_end = node ? node->start : end;

		next = node ? interval_tree_iter_next(node, start, end - 1) : NULL;
		if (addr < gap_end) {
			n = svmgpu_svm_attr_node_take(&spares, addr, gap_end - 1,
						      &svmgpu_svm_attr_defaults);
			interval_tree_insert(&n->it, &svm->attrs);
		}
		if (!node)
			break;
		addr = (u64)node->last + 1;
	}
	for (node = interval_tree_iter_first(&svm->attrs, start, end - 1); node;
	     node = interval_tree_iter_next(node, start, end - 1)) {
		struct svmgpu_svm_attrs *a =
			&container_of(node, struct svmgpu_svm_attr_node, it)->attrs;

		if (set->mask & BIT(DRM_SVMGPU_ATTR_ACCESS))
			a->access = set->values.access;
		if (set->mask & BIT(DRM_SVMGPU_ATTR_MAX_CHUNK))
			a->max_chunk = set->values.max_chunk;
		if (set->mask & BIT(DRM_SVMGPU_ATTR_READ_MOSTLY))
			a->read_mostly = set->values.read_mostly;
		if (set->mask & BIT(DRM_SVMGPU_ATTR_PREFERRED_LOCATION))
			a->location = set->values.location;
	}
	svmgpu_svm_attr_coalesce(svm, start, end, &spares);

	/* The next GPU access faults and follows the new attributes. */
	svmgpu_svm_evict(svm, start, end);
	mutex_unlock(&svm->lock);

	list_for_each_entry_safe(n, tmp, &spares, spare_link)
		kfree(n);
	return 0;
}

static u64 svmgpu_svm_attr_value(const struct svmgpu_svm_attrs *a, u32 type)
{
	switch (type) {
	case DRM_SVMGPU_ATTR_ACCESS:
		return a->access;
	case DRM_SVMGPU_ATTR_MAX_CHUNK:
		return a->max_chunk;
	case DRM_SVMGPU_ATTR_READ_MOSTLY:
		return a->read_mostly;
	default:
		return a->location;
	}
}

/**
 * svmgpu_svm_attr_get() - read one attribute of a range.
 * @svm: the mirror.
 * @start: start, page aligned.
 * @end: end (exclusive), page aligned, above @start.
 * @type: a DRM_SVMGPU_ATTR_* type.
 * @value: (out) its value over the range, or DRM_SVMGPU_ATTR_MIXED.
 */
void svmgpu_svm_attr_get(struct svmgpu_svm *svm, u64 start, u64 end,
			 u32 type, u64 *value)
{
	u64 def = svmgpu_svm_attr_value(&svmgpu_svm_attr_defaults, type);
	struct interval_tree_node *node;
	bool first = true;
	u64 addr = start;

	mutex_lock(&svm->lock);
	for (node = interval_tree_iter_first(&svm->attrs, start, end - 1); node;
	     node = interval_tree_iter_next(node, start, end - 1)) {
		u64 v = svmgpu_svm_attr_value(&container_of(node,
				struct svmgpu_svm_attr_node, it)->attrs, type);

		if (node->start > addr) {	/* a gap: the default */
			if (!first && *value != def)
				goto mixed;
			*value = def;
			first = false;
		}
		if (!first && *value != v)
			goto mixed;
		*value = v;
		first = false;
		addr = (u64)node->last + 1;
	}
	if (addr < end) {
		if (!first && *value != def)
			goto mixed;
		*value = def;
	}
	mutex_unlock(&svm->lock);
	return;
mixed:
	*value = DRM_SVMGPU_ATTR_MIXED;
	mutex_unlock(&svm->lock);
}

/* The window that contains [start, end), if one does. Under svm->lock. */
static bool svmgpu_svm_in_window(struct svmgpu_svm *svm, u64 start, u64 end)
{
	struct interval_tree_node *node;

	node = interval_tree_iter_first(&svm->windows, start, end - 1);
	return node && node->start <= start && node->last >= end - 1;
}

/* The notifier region of @addr, created if missing. Under svm->lock. */
static struct svmgpu_svm_notifier *
svmgpu_svm_notifier_get(struct svmgpu_svm *svm, u64 addr)
{
	u64 start = ALIGN_DOWN(addr, SVMGPU_SVM_NOTIFIER_SIZE);
	struct svmgpu_svm_notifier *notifier;
	struct interval_tree_node *node;
	int ret;

	node = interval_tree_iter_first(&svm->notifiers, addr, addr);
	if (node)
		return container_of(node, struct svmgpu_svm_notifier, it);

	notifier = kzalloc(sizeof(*notifier), GFP_KERNEL);
	if (!notifier)
		return ERR_PTR(-ENOMEM);
	notifier->svm = svm;
	notifier->ranges = RB_ROOT_CACHED;
	notifier->it.start = start;
	notifier->it.last = start + SVMGPU_SVM_NOTIFIER_SIZE - 1;
	/* Not under the mmap lock: the insertion may take it. */
	ret = mmu_interval_notifier_insert(&notifier->mni, svm->mm, start,
					   SVMGPU_SVM_NOTIFIER_SIZE,
					   &svmgpu_svm_notifier_ops);
	if (ret) {
		kfree(notifier);
		return ERR_PTR(ret);
	}
	interval_tree_insert(&notifier->it, &svm->notifiers);
	return notifier;
}

/*
 * Why the CPU mapping at @addr cannot serve the access, as a fault
 * reason, or 0. Under the mmap read lock.
 */
static u16 svmgpu_svm_vma_check(struct vm_area_struct *vma, bool write)
{
	if (!vma)
		return DRM_SVMGPU_FAULT_NO_VMA;
	if (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP))
		return DRM_SVMGPU_FAULT_UNMIRRORABLE;
	if (!(vma->vm_flags & VM_READ) || (write && !(vma->vm_flags & VM_WRITE)))
		return DRM_SVMGPU_FAULT_ACCESS;
	return 0;
}

/* Whether @range lies inside @vma. Under the mmap read lock. */
static bool svmgpu_svm_range_fits(const struct svmgpu_svm_range *range,
				  const struct vm_area_struct *vma)
{
	return vma && svmgpu_range_start(range) >= vma->vm_start &&
	       svmgpu_range_end(range) <= vma->vm_end;
}

/*
 * The range around @addr: the existing one if it still lies inside @vma,
 * else a new one of the largest chunk that fits (no larger than
 * @max_chunk, inside one attribute range). Under svm->lock and the mmap
 * read lock.
 *
 * A range is made to fit its VMA, but mprotect() (and madvise(), mlock())
 * split VMAs without an MMU_NOTIFY_UNMAP: a range left spanning VMAs of
 * different permissions would be refused as a whole by hmm_range_fault(),
 * failing accesses the VMA at @addr allows. Such a range is replaced.
 */
static struct svmgpu_svm_range *
svmgpu_svm_range_at(struct svmgpu_svm *svm,
		    struct svmgpu_svm_notifier *notifier,
		    struct vm_area_struct *vma, u64 addr, u32 max_chunk)
{
	struct svmgpu_svm_range *range;
	struct interval_tree_node *node;
	unsigned int i;

	node = interval_tree_iter_first(&notifier->ranges, addr, addr);
	if (node) {
		range = container_of(node, struct svmgpu_svm_range, it);
		if (svmgpu_svm_range_fits(range, vma))
			return range;
		/* The notifier keeps a range: the new one goes into it. */
		svmgpu_svm_range_destroy(svm, range);
	}

	for (i = 0; i < ARRAY_SIZE(svmgpu_svm_chunks); i++) {
		u64 chunk = svmgpu_svm_chunks[i];
		u64 start = ALIGN_DOWN(addr, chunk), end = start + chunk;

		if (chunk > max_chunk ||
		    start < vma->vm_start || end > vma->vm_end ||
		    start < notifier->it.start || end - 1 > notifier->it.last ||
		    !svmgpu_svm_in_window(svm, start, end) ||
		    !svmgpu_svm_attrs_uniform(svm, start, end) ||
		    interval_tree_iter_first(&notifier->ranges, start, end - 1))
			continue;

		range = kzalloc(sizeof(*range), GFP_KERNEL);
		if (!range)
			return ERR_PTR(-ENOMEM);
		range->it.start = start;
		range->it.last = end - 1;
		range->notifier = notifier;
		INIT_LIST_HEAD(&range->gc_link);
		mutex_lock(&svm->notifier_lock);
		interval_tree_insert(&range->it, &notifier->ranges);
		mutex_unlock(&svm->notifier_lock);
		return range;
	}
	/* The 4 KiB chunk around @addr always fits once the checks passed. */
	return ERR_PTR(-EFAULT);
}

/*
 * Whether a page hmm_range_fault() returned is the shared zero page or
 * the huge zero page. 6.12 exports zero_pfn, but neither huge_zero_pfn,
 * huge_zero_folio nor mm_get_huge_zero_folio(): the huge zero page is
 * recognised by what only it has, a read-only PMD mapping in a private
 * anonymous VMA (@anon) of a folio that is not anonymous (every other
 * folio such a VMA maps is). The folio may be freed and reused meanwhile;
 * then the notifier sequence has moved and the result is thrown away.
 */
static bool svmgpu_svm_zero_page(struct page *page, unsigned long hmm_pfn,
				 bool anon)
{
	if (is_zero_pfn(page_to_pfn(page)))
		return true;
	return anon && hmm_pfn_to_map_order(hmm_pfn) == PMD_SHIFT - PAGE_SHIFT &&
	       !(hmm_pfn & HMM_PFN_WRITE) && !folio_test_anon(page_folio(page));
}

/*
 * The most 4 KiB pages of separate CPU mappings one unit may hold: below
 * 2 MiB, so that the page tables map such a unit with 4 KiB leaves as the
 * CPU does (a 2 MiB GPU leaf is for a 2 MiB CPU mapping), and no more
 * than one DMA mapping of the device may span.
 */
static unsigned long svmgpu_svm_run_max(struct svmgpu_svm *svm)
{
	size_t max = dma_max_mapping_size(svmgpu_svm_dev(svm)) >> PAGE_SHIFT;

	return clamp_t(size_t, max, 1, SZ_2M / PAGE_SIZE - 1);
}

/*
 * Splits the pages hmm_range_fault() returned into units and DMA-maps
 * them; with @read_only, all of them read-only; @anon: they come from a
 * private anonymous VMA. A huge CPU mapping is one unit (clipped to the
 * range); 4 KiB pages that happen to be physically contiguous, with the
 * same access, are one unit too (up to svmgpu_svm_run_max() pages): each
 * unit is one DMA mapping to make and, in the notifier callback, to undo,
 * and that per-page call was most of what an invalidation cost.
 */
static int svmgpu_svm_units_build(struct svmgpu_svm *svm, u64 start,
				  const unsigned long *pfns,
				  unsigned long npages, bool read_only,
				  bool anon, struct svmgpu_svm_unit *units,
				  unsigned int *nr_units)
{
	unsigned long run_max = svmgpu_svm_run_max(svm);
	unsigned long i = 0;
	unsigned int n = 0;

	while (i < npages) {
		u64 va = start + ((u64)i << PAGE_SHIFT);
		unsigned int order = hmm_pfn_to_map_order(pfns[i]);
		u64 block_end = ALIGN_DOWN(va, PAGE_SIZE << order) +
				(PAGE_SIZE << order);
		unsigned long count = min_t(u64, (block_end - va) >> PAGE_SHIFT,
					    npages - i);
		struct page *page = hmm_pfn_to_page(pfns[i]);
		unsigned long pfn = page_to_pfn(page);
		bool writable = !read_only && (pfns[i] & HMM_PFN_WRITE);
		bool zero = svmgpu_svm_zero_page(page, pfns[i], anon);
		dma_addr_t addr;

		while (!order && !zero && count < run_max && i + count < npages) {
			unsigned long next = pfns[i + count];

			if (hmm_pfn_to_map_order(next) ||
			    page_to_pfn(hmm_pfn_to_page(next)) != pfn + count ||
			    is_zero_pfn(pfn + count) ||
			    (!read_only && (next & HMM_PFN_WRITE)) != writable)
				break;
			count++;
		}

		addr = dma_map_page(svmgpu_svm_dev(svm), page, 0,
				    count << PAGE_SHIFT,
				    writable ? DMA_BIDIRECTIONAL : DMA_TO_DEVICE);
		if (dma_mapping_error(svmgpu_svm_dev(svm), addr)) {
			svmgpu_svm_units_unmap(svm, units, n);
			return -EFAULT;
		}
		units[n].addr = addr;
		units[n].va = va;
		units[n].npages = count;
		units[n].writable = writable;
		units[n].zero = zero;
		n++;
		i += count;
	}
	*nr_units = n;
	return 0;
}

/* Maps a range's units. Under the notifier lock. */
static int svmgpu_svm_commit(struct svmgpu_svm *svm,
			     struct svmgpu_svm_range *range,
			     struct svmgpu_svm_unit *units,
			     unsigned int nr_units)
{
	unsigned int i;
	int ret = 0;

	mutex_lock(&svm->pgt->lock);
	for (i = 0; i < nr_units; i++) {
		ret = svmgpu_pgtable_write(svm->pgt, units[i].va, units[i].addr,
					   (u64)units[i].npages << PAGE_SHIFT,
					   units[i].writable);
		if (ret)
			break;
	}
	if (ret)
		svmgpu_pgtable_clear(svm->pgt, svmgpu_range_start(range),
				     svmgpu_range_end(range) -
				     svmgpu_range_start(range));
	mutex_unlock(&svm->pgt->lock);
	if (ret)
		return ret;

	for (i = 0; i < nr_units; i++) {
		if (units[i].npages >= SZ_2M >> PAGE_SHIFT &&
		    IS_ALIGNED(units[i].va | units[i].addr, SZ_2M))
			atomic64_add(units[i].npages >> 9, &svm->stats.pages_2m);
		else
			atomic64_add(units[i].npages, &svm->stats.pages_4k);
	}
	range->units = units;
	range->nr_units = nr_units;
	range->mapped = true;
	range->writable = true;
	for (i = 0; i < nr_units; i++)
		range->writable &= units[i].writable;
	return 0;
}

/*
 * Maps hmm_range_fault()'s errors to fault reasons. It runs only once a
 * VMA that covers the range and allows the access was found under the
 * same mmap lock, so -EFAULT never means "no VMA": it is the CPU fault
 * handler failing (out of memory, SIGBUS, a poisoned page), retried until
 * the timeout, which gives NO_MEMORY.
 */
static u16 svmgpu_svm_hmm_reason(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return DRM_SVMGPU_FAULT_ACCESS;
	default:
		return DRM_SVMGPU_FAULT_NO_MEMORY;
	}
}

/**
 * struct svmgpu_svm_fault_ctx - one servicing of an address: what the
 * steps of svmgpu_svm_populate() find, in the order they find it.
 * @svm: the mirror.
 * @addr: the address, page aligned.
 * @write: the access writes.
 * @read_only: map read-only whatever the CPU mapping allows (attributes).
 * @max_chunk: largest range to create (attribute).
 * @timeout: jiffies after which a servicing that keeps racing with
 *           invalidations gives up.
 * @notifier: the notifier region of @addr.
 * @range: the range around @addr.
 * @hrange: hmm_range_fault()'s request; its notifier_seq is the sequence
 *          the bind checks.
 * @pfns: what hmm_range_fault() returned, one per page of @range.
 * @npages: pages of @range.
 * @anon: the CPU mapping is private anonymous memory.
 * @units: the pages, DMA-mapped; the range owns them once bound (then
 *         NULL here).
 * @nr_units: entries of @units.
 * @reason: why the access cannot be served, a DRM_SVMGPU_FAULT_* reason,
 *          or 0.
 */
struct svmgpu_svm_fault_ctx {
	struct svmgpu_svm *svm;
	u64 addr;
	bool write;
	bool read_only;
	u32 max_chunk;
	unsigned long timeout;
	struct svmgpu_svm_notifier *notifier;
	struct svmgpu_svm_range *range;
	struct hmm_range hrange;
	unsigned long *pfns;
	unsigned long npages;
	bool anon;
	struct svmgpu_svm_unit *units;
	unsigned int nr_units;
	u16 reason;
};

/*
 * Step 0: whether the address may be served at all: inside a window, and
 * allowed by its attributes, which also say whether to map read-only.
 */
static int svmgpu_svm_fault_check(struct svmgpu_svm_fault_ctx *ctx)
{
	struct svmgpu_svm *svm = ctx->svm;
	struct svmgpu_svm_attrs attrs;

	if (!svmgpu_svm_in_window(svm, ctx->addr, ctx->addr + 1)) {
		ctx->reason = DRM_SVMGPU_FAULT_NO_WINDOW;
		return -EFAULT;
	}
	attrs = svmgpu_svm_attrs_at(svm, ctx->addr);
	if (attrs.access == DRM_SVMGPU_ACCESS_NONE ||
	    (ctx->write && attrs.access == DRM_SVMGPU_ACCESS_READ)) {
		ctx->reason = DRM_SVMGPU_FAULT_ATTR_ACCESS;
		return -EFAULT;
	}
	/* Read-only by attribute, or read-mostly and read: no write. */
	ctx->read_only = attrs.access == DRM_SVMGPU_ACCESS_READ ||
			 (attrs.read_mostly && !ctx->write);
	ctx->max_chunk = attrs.max_chunk;
	return 0;
}

/*
 * Step 1: the notifier region of the address (created before the mmap
 * lock: the insertion may take it) and, under the mmap read lock, the
 * CPU mapping's verdict and the range around the address, found or
 * inserted.
 */
static int svmgpu_svm_range_find_or_insert(struct svmgpu_svm_fault_ctx *ctx)
{
	struct svmgpu_svm *svm = ctx->svm;
	struct svmgpu_svm_range *range;
	struct vm_area_struct *vma;

	ctx->notifier = svmgpu_svm_notifier_get(svm, ctx->addr);
	if (IS_ERR(ctx->notifier)) {
		ctx->reason = DRM_SVMGPU_FAULT_NO_MEMORY;
		return PTR_ERR(ctx->notifier);
	}

	mmap_read_lock(svm->mm);
	vma = vma_lookup(svm->mm, ctx->addr);
	ctx->reason = svmgpu_svm_vma_check(vma, ctx->write);
	if (ctx->reason) {
		mmap_read_unlock(svm->mm);
		return -EFAULT;
	}
	/* Userfaultfd memory: ask its handler for the touched page only. */
	range = svmgpu_svm_range_at(svm, ctx->notifier, vma, ctx->addr,
				    userfaultfd_armed(vma) ? SZ_4K :
				    ctx->max_chunk);
	mmap_read_unlock(svm->mm);
	if (IS_ERR(range)) {
		ctx->reason = DRM_SVMGPU_FAULT_NO_MEMORY;
		return PTR_ERR(range);
	}
	ctx->range = range;
	return 0;
}

/* Whether the range already serves the access (a fault that raced). */
static bool svmgpu_svm_range_serves(const struct svmgpu_svm_fault_ctx *ctx)
{
	return READ_ONCE(ctx->range->mapped) &&
	       (!ctx->write || READ_ONCE(ctx->range->writable));
}

/**
 * struct svmgpu_svm_uffd_req - a fault-in of userfaultfd memory, done by
 * a work item that may wait for the process's handler.
 * @work: on &svmgpu_device.fault_wq.
 * @ref: the requester's and the work's.
 * @done: completed when the work has finished.
 * @mm: the address space (a reference on its users).
 * @start: first page to fault in.
 * @end: end (exclusive).
 * @fault_flags: FAULT_FLAG_* for fixup_user_fault().
 * @abandoned: the requester stopped waiting (its timeout passed).
 * @ret: fixup_user_fault()'s result.
 */
struct svmgpu_svm_uffd_req {
	struct work_struct work;
	struct kref ref;
	struct completion done;
	struct mm_struct *mm;
	unsigned long start;
	unsigned long end;
	unsigned int fault_flags;
	bool abandoned;
	int ret;
};

static void svmgpu_svm_uffd_req_free(struct kref *ref)
{
	kfree(container_of(ref, struct svmgpu_svm_uffd_req, ref));
}

/*
 * Faults the pages in as the CPU would: fixup_user_fault() with a place
 * to say it unlocked may drop the mmap lock and wait, killably, in
 * handle_userfault() until the handler resolves the page (UFFDIO_COPY,
 * UFFDIO_ZEROPAGE, UFFDIO_WRITEPROTECT, UFFDIO_WAKE) or the userfaultfd
 * is released. It touches nothing of the driver but the request, so the
 * requester may give up on it; it holds a reference on the module (the
 * workqueue is destroyed, which waits for it, only at device teardown).
 */
static void svmgpu_svm_uffd_work(struct work_struct *work)
{
	struct svmgpu_svm_uffd_req *req =
		container_of(work, struct svmgpu_svm_uffd_req, work);
	unsigned long addr;
	bool unlocked;
	int ret = 0;

	mmap_read_lock(req->mm);
	for (addr = req->start; !ret && addr < req->end &&
	     !READ_ONCE(req->abandoned); addr += PAGE_SIZE)
		ret = fixup_user_fault(req->mm, addr, req->fault_flags,
				       &unlocked);
	mmap_read_unlock(req->mm);
	req->ret = ret;
	complete(&req->done);
	mmput_async(req->mm);
	kref_put(&req->ref, svmgpu_svm_uffd_req_free);
	module_put(THIS_MODULE);
}

/*
 * Faults [@start, end of the range) in through svmgpu_svm_uffd_work() and
 * waits for it until the servicing's timeout. hmm_range_fault() cannot do
 * it: it faults without FAULT_FLAG_ALLOW_RETRY, which handle_userfault()
 * refuses (SIGBUS, and a warning under CONFIG_DEBUG_VM). The wait happens
 * elsewhere so that a handler that never answers costs the timeout, not
 * the fault worker. Without the mmap lock, with a reference on the mm's
 * users. Returns 0, -ENOMEM, or -EFAULT: not answered in time, or the
 * userfaultfd refused the fault (UFFD_FEATURE_SIGBUS, UFFD_USER_MODE_ONLY:
 * the GPU's faults are not user mode).
 */
static int svmgpu_svm_uffd_fault_in(struct svmgpu_svm_fault_ctx *ctx,
				    unsigned long start)
{
	struct svmgpu_svm_uffd_req *req;
	long left = (long)(ctx->timeout - jiffies);
	int ret;

	if (left <= 0)
		return -EFAULT;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	INIT_WORK(&req->work, svmgpu_svm_uffd_work);
	kref_init(&req->ref);
	kref_get(&req->ref);
	init_completion(&req->done);
	mmget(ctx->svm->mm);
	req->mm = ctx->svm->mm;
	req->start = start;
	req->end = svmgpu_range_end(ctx->range);
	req->fault_flags = FAULT_FLAG_REMOTE |
			   (ctx->write ? FAULT_FLAG_WRITE : 0);
	__module_get(THIS_MODULE);
	queue_work(ctx->svm->sdev->fault_wq, &req->work);

	if (wait_for_completion_timeout(&req->done, left)) {
		ret = req->ret == -ENOMEM ? -ENOMEM : req->ret ? -EFAULT : 0;
	} else {
		WRITE_ONCE(req->abandoned, true);
		ret = -EFAULT;
	}
	kref_put(&req->ref, svmgpu_svm_uffd_req_free);
	return ret;
}

/*
 * The first page of a userfaultfd range that hmm_range_fault(), asked
 * only to look, found missing, or without write access for a write, or
 * 0 if every page serves the access.
 */
static unsigned long svmgpu_svm_uffd_missing(struct svmgpu_svm_fault_ctx *ctx)
{
	unsigned long i, need = HMM_PFN_VALID |
				(ctx->write ? HMM_PFN_WRITE : 0);

	for (i = 0; i < ctx->npages; i++)
		if ((ctx->pfns[i] & (need | HMM_PFN_ERROR)) != need)
			return ctx->hrange.start + (i << PAGE_SHIFT);
	return 0;
}

/*
 * hmm_range_fault() over the range, under the mmap read lock, again on
 * -EBUSY until the timeout. -EAGAIN: start the servicing over.
 *
 * In a VMA with userfaultfd armed (missing, write-protect or minor mode)
 * hmm_range_fault() only looks; the pages it found missing (or, for a
 * write, read-only) are faulted in by svmgpu_svm_uffd_fault_in(), which
 * may wait for the handler, and the look is repeated under a new
 * notifier sequence, until every page serves the access or the timeout.
 */
static int svmgpu_svm_range_hmm_fault(struct svmgpu_svm_fault_ctx *ctx)
{
	struct svmgpu_svm *svm = ctx->svm;
	struct hmm_range *hrange = &ctx->hrange;
	struct vm_area_struct *vma;
	unsigned long missing, fault = HMM_PFN_REQ_FAULT |
				       (ctx->write ? HMM_PFN_REQ_WRITE : 0);
	bool uffd;
	int ret;

	*hrange = (struct hmm_range){
		.notifier = &ctx->notifier->mni,
		.start = svmgpu_range_start(ctx->range),
		.end = svmgpu_range_end(ctx->range),
		.hmm_pfns = ctx->pfns,
		.default_flags = fault,
		.dev_private_owner = svm,
	};
	do {
		missing = 0;
		hrange->notifier_seq = mmu_interval_read_begin(&ctx->notifier->mni);
		mmap_read_lock(svm->mm);
		/*
		 * The VMA may have been split, unmapped or replaced since the
		 * range was found: start over, with a range that fits (NO_VMA
		 * only if the lookup then finds nothing); a replacement that
		 * forbids the access fails it with its own reason.
		 */
		vma = vma_lookup(svm->mm, ctx->addr);
		ctx->reason = svmgpu_svm_vma_check(vma, ctx->write);
		if (!svmgpu_svm_range_fits(ctx->range, vma)) {
			ctx->reason = 0;
			ret = -EAGAIN;
		} else if (ctx->reason) {
			ret = -EFAULT;
		} else {
			ctx->anon = vma_is_anonymous(vma);
			uffd = userfaultfd_armed(vma);
			hrange->default_flags = uffd ? 0 : fault;
			ret = hmm_range_fault(hrange);
			if (!ret && uffd)
				missing = svmgpu_svm_uffd_missing(ctx);
		}
		mmap_read_unlock(svm->mm);
		if (missing) {
			ret = svmgpu_svm_uffd_fault_in(ctx, missing);
			if (ret) {
				/* Not answered in time, SIGBUS, no memory. */
				ctx->reason = DRM_SVMGPU_FAULT_NO_MEMORY;
				return ret;
			}
			/* Look again: the handler's pages are there now. */
			ret = -EBUSY;
			continue;
		}
		if (ret == -EBUSY)
			atomic64_inc(&svm->stats.retries);
	} while (ret == -EBUSY && time_before(jiffies, ctx->timeout));
	/*
	 * -EFAULT with a VMA that allows the access: the CPU fault handler
	 * failed, maybe for a moment (the mapping changing under it). Start
	 * over, within the timeout.
	 */
	if (ret == -EFAULT && !ctx->reason)
		ret = -EAGAIN;
	if (ret && ret != -EAGAIN && !ctx->reason)
		ctx->reason = svmgpu_svm_hmm_reason(ret);
	return ret;
}

/*
 * Step 2: the range's pages: faulted in through HMM, split into units and
 * DMA-mapped, and the page tables they need reserved (allocation happens
 * here, before the notifier lock).
 */
static int svmgpu_svm_range_get_pages(struct svmgpu_svm_fault_ctx *ctx)
{
	struct svmgpu_svm *svm = ctx->svm;
	unsigned int i;
	int ret;

	ctx->npages = (svmgpu_range_end(ctx->range) -
		       svmgpu_range_start(ctx->range)) >> PAGE_SHIFT;
	ctx->pfns = kvcalloc(ctx->npages, sizeof(*ctx->pfns), GFP_KERNEL);
	ctx->units = kvcalloc(ctx->npages, sizeof(*ctx->units), GFP_KERNEL);
	if (!ctx->pfns || !ctx->units) {
		ctx->reason = DRM_SVMGPU_FAULT_NO_MEMORY;
		return -ENOMEM;
	}

	ret = svmgpu_svm_range_hmm_fault(ctx);
	if (ret)
		return ret;

	ret = svmgpu_svm_units_build(svm, ctx->hrange.start, ctx->pfns,
				     ctx->npages, ctx->read_only, ctx->anon,
				     ctx->units, &ctx->nr_units);
	if (ret) {
		ctx->reason = DRM_SVMGPU_FAULT_NO_MEMORY;
		return ret;
	}
	for (i = 0; !ret && i < ctx->nr_units; i++)
		ret = svmgpu_pgtable_reserve(svm->pgt, ctx->units[i].va,
					     ctx->units[i].addr,
					     (u64)ctx->units[i].npages << PAGE_SHIFT);
	if (ret) {
		svmgpu_svm_units_unmap(svm, ctx->units, ctx->nr_units);
		ctx->reason = DRM_SVMGPU_FAULT_NO_MEMORY;
		return ret;
	}
	return 0;
}

/*
 * Step 3: under the notifier lock, if no invalidation touched the range
 * since hmm_range_fault() (-EAGAIN otherwise), write its PTEs; the range
 * takes the units over. An upgrade (read-only to writable) replaces the
 * old pages.
 */
static int svmgpu_svm_range_bind(struct svmgpu_svm_fault_ctx *ctx)
{
	struct svmgpu_svm *svm = ctx->svm;
	struct svmgpu_svm_range *range = ctx->range;
	struct svmgpu_svm_unit *old;
	unsigned int nr_old;
	int ret;

	mutex_lock(&svm->notifier_lock);
	if (mmu_interval_read_retry(&ctx->notifier->mni,
				    ctx->hrange.notifier_seq) ||
	    range->unmapped) {
		mutex_unlock(&svm->notifier_lock);
		svmgpu_svm_units_unmap(svm, ctx->units, ctx->nr_units);
		return -EAGAIN;
	}
	old = svmgpu_svm_range_zap(svm, range, &nr_old);
	ret = svmgpu_svm_commit(svm, range, ctx->units, ctx->nr_units);
	mutex_unlock(&svm->notifier_lock);
	svmgpu_svm_units_free(svm, old, nr_old);
	if (ret)
		svmgpu_svm_units_unmap(svm, ctx->units, ctx->nr_units);
	else
		ctx->units = NULL;	/* the range owns them now */
	return ret;
}

/* What step 2 allocated and step 3 did not hand to the range. */
static void svmgpu_svm_fault_ctx_release(struct svmgpu_svm_fault_ctx *ctx)
{
	kvfree(ctx->pfns);
	ctx->pfns = NULL;
	kvfree(ctx->units);
	ctx->units = NULL;
}

/*
 * Makes the range around @addr mapped for the access: the whole fault
 * path, in the steps drm_gpusvm's example fault handler names (find or
 * insert the range, get its pages, bind them under the notifier lock),
 * each a function of its own that a drm_gpusvm call can replace. An
 * invalidation that raced with it sends it back to retry:, within the
 * timeout. *@next is set to the end of that range. Under svm->lock, with
 * a reference on the mm's users.
 */
static int svmgpu_svm_populate(struct svmgpu_svm *svm, u64 addr, bool write,
			       u16 *reason, u64 *next)
{
	struct svmgpu_svm_fault_ctx ctx = {
		.svm = svm,
		.addr = addr,
		.write = write,
		.timeout = jiffies + msecs_to_jiffies(HMM_RANGE_DEFAULT_TIMEOUT),
	};
	int ret;

	lockdep_assert_held(&svm->lock);

retry:
	svmgpu_svm_gc(svm);
	ret = svmgpu_svm_fault_check(&ctx);
	if (ret)
		goto out;
	ret = svmgpu_svm_range_find_or_insert(&ctx);
	if (ret)
		goto out;
	*next = svmgpu_range_end(ctx.range);
	if (svmgpu_svm_range_serves(&ctx))
		goto out;

	ret = svmgpu_svm_range_get_pages(&ctx);
	if (!ret)
		ret = svmgpu_svm_range_bind(&ctx);
	svmgpu_svm_fault_ctx_release(&ctx);
	if (ret == -EAGAIN) {
		atomic64_inc(&svm->stats.retries);
		if (time_before(jiffies, ctx.timeout))
			goto retry;
		ctx.reason = DRM_SVMGPU_FAULT_NO_MEMORY;
		ret = -EBUSY;
	}
out:
	*reason = ctx.reason;
	return ret;
}

/**
 * svmgpu_svm_fault() - service one GPU fault.
 * @svm: the mirror.
 * @addr: faulting address.
 * @access: SVMGPU_ACCESS_* of include/hw/svmgpu_fault.h.
 * @reason: (out) on failure, a DRM_SVMGPU_FAULT_* reason.
 *
 * Return: 0 when the access can be retried, a negative error when the
 * fault cannot be resolved (the queue must stop).
 */
int svmgpu_svm_fault(struct svmgpu_svm *svm, u64 addr, unsigned int access,
		     u16 *reason)
{
	bool write = access != SVMGPU_ACCESS_READ;
	u64 next;
	int ret;

	atomic64_inc(&svm->stats.faults);
	trace_svmgpu_svm_fault_begin(svm, addr, access);
	*reason = 0;
	if (!mmget_not_zero(svm->mm)) {
		*reason = DRM_SVMGPU_FAULT_NO_MM;
		ret = -ESRCH;
		goto out;
	}
	mutex_lock(&svm->lock);
	ret = svmgpu_svm_populate(svm, ALIGN_DOWN(addr, PAGE_SIZE), write,
				  reason, &next);
	mutex_unlock(&svm->lock);
	/* The fault worker must not run the final exit_mmap(). */
	mmput_async(svm->mm);
out:
	if (ret)
		atomic64_inc(&svm->stats.faults_unresolved);
	trace_svmgpu_svm_fault_end(svm, addr, ret, *reason);
	return ret;
}

/**
 * svmgpu_svm_prefetch() - populate a range ahead of the GPU.
 * @svm: the mirror.
 * @start: start, page aligned.
 * @end: end (exclusive), page aligned, above @start.
 *
 * Maps every page of [@start, @end) that a GPU access could fault in:
 * writable where the CPU mapping is, else read-only. Called from the
 * process that owns the mirror.
 *
 * Return: 0, -EFAULT if part of the range is not in a window or has no
 * CPU mapping the GPU may use, -ENOMEM, -EINTR.
 */
int svmgpu_svm_prefetch(struct svmgpu_svm *svm, u64 start, u64 end)
{
	u64 addr = start, next;
	int ret = 0;

	if (!mmget_not_zero(svm->mm))
		return -ESRCH;
	mutex_lock(&svm->lock);
	while (addr < end) {
		struct svmgpu_svm_attrs attrs;
		struct vm_area_struct *vma;
		u16 reason;
		bool write;

		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		mmap_read_lock(svm->mm);
		vma = vma_lookup(svm->mm, addr);
		/* Write-protected userfaultfd memory: its handler decides. */
		write = vma && (vma->vm_flags & VM_WRITE) && !userfaultfd_wp(vma);
		mmap_read_unlock(svm->mm);
		attrs = svmgpu_svm_attrs_at(svm, addr);
		if (attrs.access != DRM_SVMGPU_ACCESS_READ_WRITE || attrs.read_mostly)
			write = false;

		ret = svmgpu_svm_populate(svm, addr, write, &reason, &next);
		if (ret)
			break;
		addr = next;
	}
	if (!ret)
		atomic64_add(end - start, &svm->stats.prefetched);
	mutex_unlock(&svm->lock);
	mmput(svm->mm);
	return ret;
}

/**
 * svmgpu_svm_snapshot() - the GPU mapping state of pages, without faulting.
 * @svm: the mirror.
 * @start: address of the first page, page aligned.
 * @npages: pages.
 * @states: (out) one DRM_SVMGPU_PAGE_* mask per page.
 */
void svmgpu_svm_snapshot(struct svmgpu_svm *svm, u64 start, u32 npages,
			 u8 *states)
{
	u32 i;

	mutex_lock(&svm->lock);
	mutex_lock(&svm->notifier_lock);
	mutex_lock(&svm->pgt->lock);
	for (i = 0; i < npages; i++) {
		u64 va = start + ((u64)i << PAGE_SHIFT);
		struct interval_tree_node *n;
		struct svmgpu_svm_range *range;
		unsigned int level, u;
		u8 state = 0;
		u64 pte;

		pte = svmgpu_pgtable_lookup(svm->pgt, va, &level);
		if (pte) {
			state |= DRM_SVMGPU_PAGE_MAPPED;
			if (pte & SVMGPU_PTE_WRITE)
				state |= DRM_SVMGPU_PAGE_WRITE;
			if (level == 1)
				state |= DRM_SVMGPU_PAGE_2M;
			else if (level == 2)
				state |= DRM_SVMGPU_PAGE_1G;
		}
		n = interval_tree_iter_first(&svm->notifiers, va, va);
		if (pte && n) {
			struct svmgpu_svm_notifier *notifier =
				container_of(n, struct svmgpu_svm_notifier, it);

			n = interval_tree_iter_first(&notifier->ranges, va, va);
			range = n ? container_of(n, struct svmgpu_svm_range, it) : NULL;
			for (u = 0; range && range->mapped && u < range->nr_units; u++) {
				const struct svmgpu_svm_unit *unit = &range->units[u];

				if (va >= unit->va &&
				    va < unit->va + ((u64)unit->npages << PAGE_SHIFT)) {
					if (unit->zero)
						state |= DRM_SVMGPU_PAGE_ZERO;
					break;
				}
			}
		}
		states[i] = state;
	}
	mutex_unlock(&svm->pgt->lock);
	mutex_unlock(&svm->notifier_lock);
	mutex_unlock(&svm->lock);
}

/**
 * svmgpu_svm_debugfs_show() - print the mirror's windows, attribute
 * ranges, notifier regions, ranges and counters.
 * @svm: the mirror.
 * @m: where to print.
 */
void svmgpu_svm_debugfs_show(struct svmgpu_svm *svm, struct seq_file *m)
{
	struct interval_tree_node *n, *r;

	mutex_lock(&svm->lock);
	for (n = interval_tree_iter_first(&svm->windows, 0, ULONG_MAX); n;
	     n = interval_tree_iter_next(n, 0, ULONG_MAX))
		seq_printf(m, "  window %#lx-%#lx\n", n->start, n->last + 1);
	for (n = interval_tree_iter_first(&svm->attrs, 0, ULONG_MAX); n;
	     n = interval_tree_iter_next(n, 0, ULONG_MAX)) {
		const struct svmgpu_svm_attrs *a =
			&container_of(n, struct svmgpu_svm_attr_node, it)->attrs;

		seq_printf(m, "  attr %#lx-%#lx access %u max_chunk %u read_mostly %u location %u\n",
			   n->start, n->last + 1, a->access, a->max_chunk,
			   a->read_mostly, a->location);
	}
	for (n = interval_tree_iter_first(&svm->notifiers, 0, ULONG_MAX); n;
	     n = interval_tree_iter_next(n, 0, ULONG_MAX)) {
		struct svmgpu_svm_notifier *notifier =
			container_of(n, struct svmgpu_svm_notifier, it);

		seq_printf(m, "  notifier %#lx-%#lx\n", n->start, n->last + 1);
		mutex_lock(&svm->notifier_lock);
		for (r = interval_tree_iter_first(&notifier->ranges, 0, ULONG_MAX);
		     r; r = interval_tree_iter_next(r, 0, ULONG_MAX)) {
			struct svmgpu_svm_range *range =
				container_of(r, struct svmgpu_svm_range, it);

			seq_printf(m, "    range %#lx-%#lx %s%s%s\n", r->start,
				   r->last + 1,
				   range->mapped ? "mapped" : "unpopulated",
				   range->writable ? " rw" : "",
				   range->unmapped ? " unmapped" : "");
		}
		mutex_unlock(&svm->notifier_lock);
	}
	seq_printf(m, "  faults %lld unresolved %lld pages_4k %lld pages_2m %lld invalidations %lld gc %lld retries %lld prefetched %lld\n",
		   atomic64_read(&svm->stats.faults),
		   atomic64_read(&svm->stats.faults_unresolved),
		   atomic64_read(&svm->stats.pages_4k),
		   atomic64_read(&svm->stats.pages_2m),
		   atomic64_read(&svm->stats.invalidations),
		   atomic64_read(&svm->stats.ranges_gc),
		   atomic64_read(&svm->stats.retries),
		   atomic64_read(&svm->stats.prefetched));
	mutex_unlock(&svm->lock);
}
