// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_userptr.c - userptr mappings of dma-fence-mode VMs.
 */

/**
 * DOC: Userptr
 *
 * A userptr is a VM mapping (a &struct svmgpu_vma in the drm_gpuvm tree,
 * without a BO) of process memory: [cpu, cpu + size) of the binding
 * process's address space at [va, va + size). It follows the model of
 * Xe's userptrs for dma-fence (non-faulting) VMs:
 *
 * - Lookup: hmm_range_fault() over the whole range (write access unless
 *   the mapping is read-only) between mmu_interval_read_begin() and a
 *   mmu_interval_read_retry() check under &svmgpu_vm.userptr_lock; the
 *   pages are DMA-mapped into an sg_table but never pinned: they are the
 *   mapping's only while the notifier sequence has not moved.
 * - Bind (VM_BIND, svmgpu_vm.c): the ioctl inserts the notifier and looks
 *   the pages up (its errors are the bind's), and reserves page tables
 *   for the worst case; the bind job's commit writes the PTEs from
 *   whatever pages the userptr has when it runs (none if an invalidation
 *   took them meanwhile) and marks it committed.
 * - Invalidation (svmgpu_userptr_invalidate(), any event): under
 *   &svmgpu_vm.userptr_lock set the sequence and mark the userptr
 *   invalid; without the lock wait (bounded, twice the job timeout) for
 *   every job and bind the VM has in flight, which may still use the
 *   pages; then under the lock clear the PTEs, invalidate the TLBs (on
 *   return no engine uses the old translations) and DMA-unmap the pages,
 *   which the core may free as soon as the callback returns.
 * - EXEC (svmgpu_exec.c), under &svmgpu_vm.lock, which keeps the set of
 *   userptrs stable: svmgpu_userptr_exec_prepare() looks every invalid
 *   userptr up again and reserves page tables, before the reservation
 *   locks (mmap lock before dma_resv); after the job's dependencies are
 *   gathered, svmgpu_userptr_exec_install() under the userptr lock checks
 *   that no sequence moved and no other userptr became invalid, installs
 *   the pages and writes the PTEs of committed userptrs; the job is armed
 *   and its fence added to the VM's reservation object before the lock
 *   is dropped. So an invalidation either comes before the check (EXEC
 *   starts again) or finds the job's fence and waits for it. A lookup that
 *   fails makes EXEC fail (-EFAULT when the range is no longer mapped).
 * - Unmap: the bind job clears the PTEs under the userptr lock and marks
 *   the userptr removed; its cleanup releases the pages and removes the
 *   notifier.
 *
 * Locking (the driver-wide order is "Locking" in svmgpu_device.h),
 * outermost first: &svmgpu_vm.lock -> mmap lock; &svmgpu_vm.lock
 * -> dma_resv -> &svmgpu_vm.userptr_lock; &svmgpu_vm.pgt_lock (bind
 * commit) -> &svmgpu_vm.userptr_lock -> &svmgpu_pgtable.lock -> MMU lock.
 * &svmgpu_vm.userptr_lock is taken by MMU notifier callbacks (memory
 * reclaim) and by bind jobs' run_job (dma-fence signalling): nothing
 * allocates memory or waits for a fence under it.
 */

#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_mmu.h"
#include "svmgpu_userptr.h"
#include "svmgpu_vm.h"

static struct device *svmgpu_userptr_dev(struct svmgpu_userptr *up)
{
	return up->vm->sdev->drm.dev;
}

static enum dma_data_direction svmgpu_userptr_dir(struct svmgpu_userptr *up)
{
	return up->writable ? DMA_BIDIRECTIONAL : DMA_TO_DEVICE;
}

static void svmgpu_userptr_sgt_free(struct svmgpu_userptr *up,
				    struct sg_table *sgt)
{
	if (!sgt)
		return;
	dma_unmap_sgtable(svmgpu_userptr_dev(up), sgt, svmgpu_userptr_dir(up), 0);
	sg_free_table(sgt);
	kfree(sgt);
}

/*
 * Looks the pages of the range up (faulting them in) and DMA-maps them.
 * Returns the pages and the notifier sequence they are valid for; the
 * caller checks it with mmu_interval_read_retry() under the userptr lock.
 * Takes the mmap read lock; no lock of the VM but &svmgpu_vm.lock held.
 */
static int svmgpu_userptr_lookup(struct svmgpu_userptr *up,
				 struct sg_table **out, unsigned long *seq)
{
	struct mm_struct *mm = up->notifier.mm;
	struct device *dev = svmgpu_userptr_dev(up);
	unsigned long npages = up->size >> PAGE_SHIFT;
	unsigned long timeout = jiffies +
				msecs_to_jiffies(HMM_RANGE_DEFAULT_TIMEOUT);
	struct hmm_range range = {
		.notifier = &up->notifier,
		.start = up->cpu,
		.end = up->cpu + up->size,
		.default_flags = HMM_PFN_REQ_FAULT |
				 (up->writable ? HMM_PFN_REQ_WRITE : 0),
	};
	unsigned int max_segment;
	struct sg_table *sgt;
	struct page **pages;
	unsigned long *pfns, i;
	int ret;

	/* The process that bound it has exited: its memory is gone. */
	if (!mmget_not_zero(mm))
		return -EFAULT;

	pfns = kvcalloc(npages, sizeof(*pfns), GFP_KERNEL);
	if (!pfns) {
		ret = -ENOMEM;
		goto out_put;
	}
	range.hmm_pfns = pfns;
	do {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_free;
		}
		range.notifier_seq = mmu_interval_read_begin(&up->notifier);
		mmap_read_lock(mm);
		ret = hmm_range_fault(&range);
		mmap_read_unlock(mm);
	} while (ret == -EBUSY && time_before(jiffies, timeout));
	if (ret) {
		/* -EPERM: a write to read-only memory; -EBUSY: kept changing. */
		if (ret == -EPERM)
			ret = -EFAULT;
		else if (ret == -EBUSY)
			ret = -EAGAIN;
		goto out_free;
	}

	/* The page pointers take the place of the pfns they come from. */
	BUILD_BUG_ON(sizeof(*pages) != sizeof(*pfns));
	pages = (struct page **)pfns;
	for (i = 0; i < npages; i++)
		pages[i] = hmm_pfn_to_page(pfns[i]);

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt) {
		ret = -ENOMEM;
		goto out_free;
	}
	max_segment = ALIGN_DOWN(min_t(size_t, dma_max_mapping_size(dev),
				       UINT_MAX), PAGE_SIZE);
	ret = sg_alloc_table_from_pages_segment(sgt, pages, npages, 0,
						up->size, max_segment,
						GFP_KERNEL);
	if (ret)
		goto out_free_sgt;
	ret = dma_map_sgtable(dev, sgt, svmgpu_userptr_dir(up), 0);
	if (ret) {
		sg_free_table(sgt);
		goto out_free_sgt;
	}
	*out = sgt;
	*seq = range.notifier_seq;
	sgt = NULL;
out_free_sgt:
	kfree(sgt);
out_free:
	kvfree(pfns);
out_put:
	mmput(mm);
	return ret;
}

/* Clears the PTEs of a committed userptr and invalidates the TLBs. */
static void svmgpu_userptr_zap(struct svmgpu_userptr *up)
{
	struct svmgpu_pgtable *pgt = &up->vm->pgt;

	lockdep_assert_held(&up->vm->userptr_lock);
	mutex_lock(&pgt->lock);
	svmgpu_pgtable_clear(pgt, up->va, up->size);
	mutex_unlock(&pgt->lock);
	svmgpu_mmu_invalidate(up->vm->sdev, svmgpu_pgtable_root_addr(pgt),
			      up->va, up->size);
}

/* The MMU notifier callback: any change of the CPU mapping. */
static bool svmgpu_userptr_invalidate(struct mmu_interval_notifier *mni,
				      const struct mmu_notifier_range *range,
				      unsigned long cur_seq)
{
	struct svmgpu_userptr *up = container_of(mni, struct svmgpu_userptr,
						 notifier);
	struct svmgpu_vm *vm = up->vm;
	struct sg_table *sgt;
	bool busy;

	/* Waiting for jobs and invalidating TLBs sleep. */
	if (!mmu_notifier_range_blockable(range))
		return false;

	mutex_lock(&vm->userptr_lock);
	mmu_interval_set_seq(mni, cur_seq);
	up->invalid = true;
	busy = up->sgt && !up->removed;
	mutex_unlock(&vm->userptr_lock);
	if (!busy)
		return true;

	/*
	 * Jobs (and binds) submitted so far may use the pages: let them
	 * finish, bounded. A job still queued after twice the job timeout
	 * (it waits for something else) faults instead of using the pages.
	 */
	dma_resv_wait_timeout(drm_gpuvm_resv(&vm->base), DMA_RESV_USAGE_BOOKKEEP,
			      false, nsecs_to_jiffies(2ull * svmgpu_job_timeout_ms() *
						      NSEC_PER_MSEC));

	mutex_lock(&vm->userptr_lock);
	if (up->sgt && up->committed && !up->removed)
		svmgpu_userptr_zap(up);
	sgt = up->sgt;
	up->sgt = NULL;
	mutex_unlock(&vm->userptr_lock);
	/* After the TLB invalidation: the pages may go now. */
	svmgpu_userptr_sgt_free(up, sgt);
	return true;
}

static const struct mmu_interval_notifier_ops svmgpu_userptr_notifier_ops = {
	.invalidate = svmgpu_userptr_invalidate,
};

/**
 * svmgpu_userptr_init() - set up the userptr state of a new mapping.
 * @up: the state.
 * @vm: the VM; the caller holds &svmgpu_vm.lock.
 * @mm: the address space, with a reference on its users.
 * @va: GPU address.
 * @size: bytes, page aligned, not zero.
 * @cpu: CPU address, page aligned.
 * @writable: look up and map for GPU writes.
 * @populate: look the pages up now (a new userptr: the lookup's errors
 *            are the bind's); else the first EXEC does (what is left of a
 *            userptr a bind cut).
 *
 * Return: 0; -EFAULT, -EAGAIN, -EINTR (lookup); -ENOMEM. On failure
 * nothing is left to undo.
 */
int svmgpu_userptr_init(struct svmgpu_userptr *up, struct svmgpu_vm *vm,
			struct mm_struct *mm, u64 va, u64 size, u64 cpu,
			bool writable, bool populate)
{
	struct sg_table *sgt = NULL;
	unsigned long seq;
	int ret;

	lockdep_assert_held(&vm->lock);
	up->vm = vm;
	up->va = va;
	up->size = size;
	up->cpu = cpu;
	up->writable = writable;
	INIT_LIST_HEAD(&up->link);
	up->new_sgt = NULL;
	up->sgt = NULL;
	up->invalid = true;
	up->committed = false;
	up->removed = false;

	ret = mmu_interval_notifier_insert(&up->notifier, mm, cpu, size,
					   &svmgpu_userptr_notifier_ops);
	if (ret)
		return ret;
	if (!populate)
		return 0;

	ret = svmgpu_userptr_lookup(up, &sgt, &seq);
	if (ret) {
		mmu_interval_notifier_remove(&up->notifier);
		return ret;
	}
	mutex_lock(&vm->userptr_lock);
	if (!mmu_interval_read_retry(&up->notifier, seq)) {
		up->sgt = sgt;
		up->invalid = false;
		sgt = NULL;
	}
	mutex_unlock(&vm->userptr_lock);
	/* Changed meanwhile: the first EXEC looks the pages up again. */
	svmgpu_userptr_sgt_free(up, sgt);
	return 0;
}

/**
 * svmgpu_userptr_fini() - release the pages and remove the notifier.
 * @up: the state; no PTE of its range is its (never committed, or
 *      removed). May sleep (waits for a callback in flight).
 */
void svmgpu_userptr_fini(struct svmgpu_userptr *up)
{
	struct svmgpu_vm *vm = up->vm;
	struct sg_table *sgt;

	/* Before the notifier goes: after it, the pages could be freed. */
	mutex_lock(&vm->userptr_lock);
	sgt = up->sgt;
	up->sgt = NULL;
	mutex_unlock(&vm->userptr_lock);
	svmgpu_userptr_sgt_free(up, sgt);
	svmgpu_userptr_sgt_free(up, up->new_sgt);
	up->new_sgt = NULL;
	mmu_interval_notifier_remove(&up->notifier);
}

/**
 * svmgpu_userptr_commit_map() - a bind job maps the userptr.
 * @up: the state.
 * @pool: page tables the bind reserved for the worst case of the range.
 *
 * Writes the PTEs if the userptr has pages now; otherwise an invalidation
 * took them and the next EXEC looks them up again. Runs in the bind's
 * dma-fence signalling path: allocates nothing.
 */
void svmgpu_userptr_commit_map(struct svmgpu_userptr *up,
			       struct svmgpu_pt_pool *pool)
{
	struct svmgpu_vm *vm = up->vm;

	mutex_lock(&vm->userptr_lock);
	if (up->sgt)
		WARN_ON(svmgpu_pgtable_map_sgt(&vm->pgt, up->va, up->size,
					       up->sgt, 0, up->writable, pool));
	up->committed = true;
	mutex_unlock(&vm->userptr_lock);
}

/**
 * svmgpu_userptr_commit_unmap() - a bind job (or the VM's teardown)
 * unmaps the userptr.
 * @up: the state.
 * @pool: where emptied tables go (see svmgpu_pgtable_unmap()), or NULL.
 *
 * Clears its PTEs and invalidates the TLBs; from here on the notifier
 * leaves the page tables alone.
 */
void svmgpu_userptr_commit_unmap(struct svmgpu_userptr *up,
				 struct svmgpu_pt_pool *pool)
{
	struct svmgpu_vm *vm = up->vm;

	mutex_lock(&vm->userptr_lock);
	svmgpu_pgtable_unmap(&vm->pgt, up->va, up->size, pool);
	up->removed = true;
	mutex_unlock(&vm->userptr_lock);
}

/**
 * svmgpu_userptr_exec_abort() - drop what svmgpu_userptr_exec_prepare()
 * looked up.
 * @vm: the VM; the caller holds &svmgpu_vm.lock.
 */
void svmgpu_userptr_exec_abort(struct svmgpu_vm *vm)
{
	struct svmgpu_userptr *up;

	lockdep_assert_held(&vm->lock);
	list_for_each_entry(up, &vm->userptrs, link) {
		svmgpu_userptr_sgt_free(up, up->new_sgt);
		up->new_sgt = NULL;
	}
}

/**
 * svmgpu_userptr_exec_prepare() - look every invalid userptr of a VM up
 * again, before an EXEC.
 * @vm: the VM; the caller holds &svmgpu_vm.lock and no reservation lock.
 * @pool: gets the page tables the new pages may need.
 *
 * Return: 0; -EFAULT if a range is no longer mapped, no longer allows
 * the access or its process exited; -EAGAIN, -EINTR, -ENOMEM. On failure
 * nothing is kept.
 */
int svmgpu_userptr_exec_prepare(struct svmgpu_vm *vm,
				struct svmgpu_pt_pool *pool)
{
	struct svmgpu_userptr *up;
	int ret = 0;

	lockdep_assert_held(&vm->lock);
	list_for_each_entry(up, &vm->userptrs, link) {
		/* A racy peek: svmgpu_userptr_exec_install() checks again. */
		if (!data_race(up->invalid))
			continue;
		ret = svmgpu_userptr_lookup(up, &up->new_sgt, &up->new_seq);
		if (ret)
			break;
		ret = svmgpu_pt_pool_reserve(pool, up->va, up->size,
					     up->new_sgt, 0);
		if (ret)
			break;
	}
	if (ret)
		svmgpu_userptr_exec_abort(vm);
	return ret;
}

/**
 * svmgpu_userptr_exec_install() - make the pages EXEC looked up the
 * userptrs', if they still are the CPU mapping's.
 * @vm: the VM; the caller holds &svmgpu_vm.lock and
 *      &svmgpu_vm.userptr_lock, and keeps the latter until the job's
 *      fence is in the VM's reservation object.
 * @pool: the tables svmgpu_userptr_exec_prepare() reserved.
 *
 * Return: true when every userptr of the VM is valid (the new pages
 * installed, the PTEs of committed userptrs written); false, with
 * nothing changed, when a CPU mapping changed since the lookup: the
 * caller drops its locks, calls svmgpu_userptr_exec_abort() and starts
 * again.
 */
bool svmgpu_userptr_exec_install(struct svmgpu_vm *vm,
				 struct svmgpu_pt_pool *pool)
{
	struct svmgpu_userptr *up;

	lockdep_assert_held(&vm->lock);
	lockdep_assert_held(&vm->userptr_lock);
	list_for_each_entry(up, &vm->userptrs, link) {
		if (up->new_sgt ? mmu_interval_read_retry(&up->notifier, up->new_seq) :
				  up->invalid)
			return false;
	}
	list_for_each_entry(up, &vm->userptrs, link) {
		if (!up->new_sgt)
			continue;
		/* The invalidation that took the old pages has completed. */
		WARN_ON(up->sgt);
		up->sgt = up->new_sgt;
		up->new_sgt = NULL;
		up->invalid = false;
		if (up->committed && !up->removed)
			WARN_ON(svmgpu_pgtable_map_sgt(&vm->pgt, up->va, up->size,
						       up->sgt, 0, up->writable,
						       pool));
	}
	return true;
}
