// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_vm_bind.c - VM_BIND: mappings of BOs and userptrs, applied by
 * bind jobs on the device's bind scheduler.
 *
 * A little over 1000 lines, on purpose: the steps of a bind (prepare,
 * queue, commit, cleanup, cancel) share the mapping and job structs,
 * which nothing outside VM_BIND sees, and read in the order they run.
 */

/**
 * DOC: Binds
 *
 * A VM_BIND is one bind job, split the way Xe, Nouveau and panthor split
 * theirs, so that everything that can fail fails in the ioctl and what
 * runs later cannot fail:
 *
 * - Prepare (ioctl, under &svmgpu_vm.lock): each MAP or UNMAP request
 *   becomes drm_gpuvm split/merge operations, applied to the drm_gpuvm
 *   tree at once, so the tree shows the mappings as they will be and the
 *   next bind builds on that. Each new mapping (&struct svmgpu_vma) is
 *   allocated, its BO's pages pinned (svmgpu_bo_pin_pages()) and it is
 *   linked to the BO; the page tables it may need are reserved in the
 *   job's &struct svmgpu_pt_pool. The job records, in order, the steps
 *   its commit will do: MAP a new mapping, UNMAP an old one (a REMAP is
 *   UNMAP of the old mapping then MAP of the parts that stay). A failure
 *   undoes the steps in reverse order: the tree is as before, nothing
 *   was applied.
 * - Queue: the job depends on every fence of the VM's reservation object
 *   (EXEC jobs add theirs as BOOKKEEP, binds theirs as KERNEL: every later
 *   user of the VM waits for the page tables to change) and on a "gate"
 *   fence that signals when the WAIT syncobjs have; it is pushed to the
 *   VM's entity on the device's bind scheduler, so binds of a VM run in
 *   order, and its fence goes into the VM's reservation object (EXEC
 *   waits for the KERNEL fences) and the SIGNAL syncobjs.
 * - Commit (run_job, a dma-fence signalling path: no allocation, no
 *   reservation lock, only &svmgpu_vm.pgt_lock and the MMU lock): writes
 *   and clears PTEs step by step from the pool; every unmap invalidates
 *   the TLBs (svmgpu_mmu_invalidate()) before it returns.
 * - Cleanup (after the job's fence signalled, on an ordered workqueue):
 *   the mappings the job unmapped lose their pin and BO reference only
 *   now, after the invalidation, and the unused and emptied tables go.
 *
 * A bind without DRM_SVMGPU_VM_BIND_ASYNC is the same job: the ioctl
 * waits for the WAIT syncobjs and the VM's work before it prepares (so an
 * interrupted wait applied nothing) and for the job after queuing it.
 *
 * Cancelling: the gate can be opened early. When a VM leaves its file
 * (VM_DESTROY or close), its pending jobs are marked cancelled and their
 * gates opened: each then runs as soon as the jobs before it completed,
 * commits (so page tables and tree stay consistent for the teardown that
 * follows) and fails its fence with -ECANCELED. drm_sched's own entity
 * kill is never used: it would wait for the WAIT fences, forever for one
 * that never signals, and could free jobs out of order.
 *
 * Lifetime of a mapping: the tree owns it from prepare until a later
 * prepare removes it; that job then owns it and destroys it in its
 * cleanup. The pin and the BO reference are the mapping's, so a BO stays
 * resident while any page table may point at it.
 *
 * Userptr mappings (DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR) have no BO and no
 * pin: their pages follow the CPU mapping through an MMU interval
 * notifier, their commit writes whatever pages they have when it runs
 * (the pool is reserved for the worst case), and EXEC looks invalidated
 * ones up again; see svmgpu_userptr.c. The parts of a userptr a bind
 * keeps become new userptrs, looked up by the next EXEC.
 *
 * Locking (the driver-wide order is "Locking" in svmgpu_device.h):
 * &svmgpu_vm.lock serialises binds of a VM (prepare and queue).
 * The gpuva lists of a BO are protected by its reservation lock
 * (drm_gpuvm's default), taken inside &svmgpu_vm.lock around each link
 * and unlink. &svmgpu_vm.pgt_lock protects the page tables between
 * commits, debugfs and the teardown.
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "svmgpu_drm.h"
#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_gem.h"
#include "svmgpu_svm.h"
#include "svmgpu_sync.h"
#include "svmgpu_userptr.h"
#include "svmgpu_vm.h"
#include "svmgpu_vm_bind.h"

/* Binds are applied one at a time; each completes inside run_job. */
#define SVMGPU_BIND_CREDITS	1

/**
 * struct svmgpu_bind_step - one page-table change a bind commits.
 * @link: in &svmgpu_bind_job.steps, in commit order; the commit moves
 *        UNMAP steps to &svmgpu_bind_job.retired.
 * @unmap: UNMAP (the &svmgpu_vma.unmap_step) or MAP (&svmgpu_vma.map_step).
 */
struct svmgpu_bind_step {
	struct list_head link;
	bool unmap;
};

/**
 * struct svmgpu_vma - one mapping: of a BO, or a userptr (no BO; its
 * drm_gpuva's gem.offset is the CPU address, see svmgpu_userptr.c).
 * @base: the drm_gpuva.
 * @sgt: its BO's pages, pinned by this mapping; NULL for a userptr.
 * @writable: mapped with GPU write access.
 * @is_userptr: a userptr mapping; @up is its state.
 * @up: the userptr state.
 * @map_step: the step that maps it.
 * @unmap_step: the step that unmaps it, once a bind removed it.
 */
struct svmgpu_vma {
	struct drm_gpuva base;
	struct sg_table *sgt;
	bool writable;
	bool is_userptr;
	struct svmgpu_userptr up;
	struct svmgpu_bind_step map_step;
	struct svmgpu_bind_step unmap_step;
};

static struct svmgpu_vma *to_svmgpu_vma(struct drm_gpuva *va)
{
	return container_of(va, struct svmgpu_vma, base);
}

static struct svmgpu_vma *svmgpu_step_vma(struct svmgpu_bind_step *step)
{
	return step->unmap ? container_of(step, struct svmgpu_vma, unmap_step) :
			     container_of(step, struct svmgpu_vma, map_step);
}

/**
 * struct svmgpu_bind_job - one VM_BIND.
 * @base: the scheduler job.
 * @vm: the VM; a reference.
 * @steps: what the commit does, in order.
 * @retired: UNMAP steps committed: their mappings are destroyed in the
 *           cleanup.
 * @pool: page tables reserved for the commit, and those it emptied.
 * @gate: the gate the job depends on; a reference.
 * @waits: the WAIT fences; references, dropped in the cleanup.
 * @nr_waits: entries of @waits.
 * @pending_link: in &svmgpu_vm.pending_binds from queuing until run.
 * @cancelled: the VM left its file before the job ran; under
 *             &svmgpu_vm.pending_lock.
 * @committed: run_job applied the steps.
 * @cleanup_work: the cleanup, on &svmgpu_device.bind_cleanup_wq.
 */
struct svmgpu_bind_job {
	struct drm_sched_job base;
	struct svmgpu_vm *vm;
	struct list_head steps;
	struct list_head retired;
	struct svmgpu_pt_pool pool;
	struct svmgpu_gate *gate;
	struct dma_fence **waits;
	u32 nr_waits;
	struct list_head pending_link;
	bool cancelled;
	bool committed;
	struct work_struct cleanup_work;
};

static struct svmgpu_bind_job *to_svmgpu_bind_job(struct drm_sched_job *job)
{
	return container_of(job, struct svmgpu_bind_job, base);
}

/* Links @va to @obj's vm_bo in @vm; takes @obj's reservation. */
static int svmgpu_vma_link(struct svmgpu_vm *vm, struct drm_gpuva *va,
			   struct drm_gem_object *obj)
{
	struct drm_gpuvm_bo *vm_bo;

	dma_resv_lock(obj->resv, NULL);
	vm_bo = drm_gpuvm_bo_obtain(&vm->base, obj);
	if (IS_ERR(vm_bo)) {
		dma_resv_unlock(obj->resv);
		return PTR_ERR(vm_bo);
	}
	drm_gpuva_link(va, vm_bo);
	drm_gpuvm_bo_extobj_add(vm_bo);
	drm_gpuvm_bo_put(vm_bo);
	dma_resv_unlock(obj->resv);
	return 0;
}

/*
 * Unlinks @va from its BO; may drop the last vm_bo, and with it a GEM
 * reference: the mapping holds one of its own. Nothing for a userptr.
 */
static void svmgpu_vma_unlink(struct drm_gpuva *va)
{
	struct drm_gem_object *obj = va->gem.obj;

	if (!obj)
		return;
	dma_resv_lock(obj->resv, NULL);
	drm_gpuva_unlink(va);
	dma_resv_unlock(obj->resv);
}

/*
 * A new mapping of what @op describes: its BO pinned and referenced, the
 * mapping linked to the BO, not yet in the tree.
 */
static struct svmgpu_vma *svmgpu_vma_create(struct svmgpu_vm *vm,
					    struct drm_gpuva_op_map *op,
					    bool writable)
{
	struct drm_gem_object *obj = op->gem.obj;
	struct svmgpu_vma *vma;
	struct sg_table *sgt;
	int ret;

	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return ERR_PTR(-ENOMEM);

	sgt = svmgpu_bo_pin_pages(to_svmgpu_bo(obj));
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_free;
	}
	drm_gem_object_get(obj);
	drm_gpuva_init_from_op(&vma->base, op);
	vma->sgt = sgt;
	vma->writable = writable;
	INIT_LIST_HEAD(&vma->map_step.link);
	INIT_LIST_HEAD(&vma->unmap_step.link);
	vma->unmap_step.unmap = true;

	ret = svmgpu_vma_link(vm, &vma->base, obj);
	if (ret)
		goto err_unpin;
	return vma;

err_unpin:
	svmgpu_bo_unpin_pages(to_svmgpu_bo(obj));
	drm_gem_object_put(obj);
err_free:
	kfree(vma);
	return ERR_PTR(ret);
}

/*
 * A new userptr mapping of what @op describes (gem.offset is the CPU
 * address), not yet in the tree. @populate: a new userptr, whose pages
 * are looked up now, in @mm (the caller's); else a part of @old that a
 * bind keeps, in @old's address space, looked up by the next EXEC.
 */
static struct svmgpu_vma *svmgpu_vma_create_userptr(struct svmgpu_vm *vm,
						    struct drm_gpuva_op_map *op,
						    bool writable,
						    struct svmgpu_vma *old)
{
	struct mm_struct *mm = old ? old->up.notifier.mm : current->mm;
	struct svmgpu_vma *vma;
	int ret;

	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return ERR_PTR(-ENOMEM);
	drm_gpuva_init_from_op(&vma->base, op);
	vma->writable = writable;
	vma->is_userptr = true;
	INIT_LIST_HEAD(&vma->map_step.link);
	INIT_LIST_HEAD(&vma->unmap_step.link);
	vma->unmap_step.unmap = true;

	/* The notifier needs a live address space. */
	if (!mmget_not_zero(mm)) {
		kfree(vma);
		return ERR_PTR(-EFAULT);
	}
	ret = svmgpu_userptr_init(&vma->up, vm, mm, op->va.addr, op->va.range,
				  op->gem.offset, writable, !old);
	mmput(mm);
	if (ret) {
		kfree(vma);
		return ERR_PTR(ret);
	}
	return vma;
}

/*
 * Frees a mapping that is in no tree, linked to no BO, and that no page
 * table points at any more (its unmap was committed, or it was never
 * mapped): only now may its BO's pages go.
 */
static void svmgpu_vma_destroy(struct svmgpu_vma *vma)
{
	struct drm_gem_object *obj = vma->base.gem.obj;

	if (vma->is_userptr) {
		svmgpu_userptr_fini(&vma->up);
		kfree(vma);
		return;
	}
	svmgpu_bo_unpin_pages(to_svmgpu_bo(obj));
	drm_gem_object_put(obj);
	kfree(vma);
}

/* Inserts a mapping the drm_gpuvm operations made room for. */
static void svmgpu_vma_insert(struct svmgpu_vm *vm, struct svmgpu_vma *vma)
{
	lockdep_assert_held(&vm->lock);
	/* drm_gpuvm computed the operations from this tree: no overlap. */
	WARN_ON(drm_gpuva_insert(&vm->base, &vma->base));
	if (vma->is_userptr)
		list_add_tail(&vma->up.link, &vm->userptrs);
}

/* Takes a mapping out of the tree. */
static void svmgpu_vma_remove(struct svmgpu_vm *vm, struct svmgpu_vma *vma)
{
	lockdep_assert_held(&vm->lock);
	drm_gpuva_remove(&vma->base);
	if (vma->is_userptr)
		list_del_init(&vma->up.link);
}

/* Records a step for the commit. */
static void svmgpu_bind_add_step(struct svmgpu_bind_job *job,
				 struct svmgpu_bind_step *step)
{
	list_add_tail(&step->link, &job->steps);
}

/*
 * Applies one drm_gpuvm operation to the tree and records its steps.
 * Allocates, pins and reserves first: a failure changes nothing.
 */
static int svmgpu_bind_prepare_gpuva_op(struct svmgpu_bind_job *job,
					struct drm_gpuva_op *op, bool writable)
{
	struct svmgpu_vm *vm = job->vm;
	struct drm_gpuva_op_map *maps[2] = {};
	struct svmgpu_vma *vmas[2] = {};
	struct svmgpu_vma *old = NULL;
	bool userptr = false;
	unsigned int i;
	int ret = 0;

	switch (op->op) {
	case DRM_GPUVA_OP_MAP:
		maps[0] = &op->map;
		/* Only MAP_USERPTR maps without a BO. */
		userptr = !op->map.gem.obj;
		break;
	case DRM_GPUVA_OP_REMAP:
		old = to_svmgpu_vma(op->remap.unmap->va);
		writable = old->writable;
		userptr = old->is_userptr;
		maps[0] = op->remap.prev;
		maps[1] = op->remap.next;
		break;
	case DRM_GPUVA_OP_UNMAP:
		old = to_svmgpu_vma(op->unmap.va);
		break;
	default:
		return -EINVAL;
	}

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		struct svmgpu_vma *vma;

		if (!maps[i])
			continue;
		if (userptr)
			vma = svmgpu_vma_create_userptr(vm, maps[i], writable, old);
		else
			vma = svmgpu_vma_create(vm, maps[i], writable);
		if (IS_ERR(vma)) {
			ret = PTR_ERR(vma);
			goto err_destroy;
		}
		vmas[i] = vma;
		/* A userptr's pages may change before the commit: worst case. */
		if (userptr)
			ret = svmgpu_pt_pool_reserve_va(&job->pool,
							vma->base.va.addr,
							vma->base.va.range);
		else
			ret = svmgpu_pt_pool_reserve(&job->pool, vma->base.va.addr,
						     vma->base.va.range, vma->sgt,
						     vma->base.gem.offset);
		if (ret)
			goto err_destroy;
	}

	/* Nothing fails from here on. */
	if (old) {
		svmgpu_vma_remove(vm, old);
		svmgpu_bind_add_step(job, &old->unmap_step);
	}
	for (i = 0; i < ARRAY_SIZE(vmas); i++) {
		if (!vmas[i])
			continue;
		svmgpu_vma_insert(vm, vmas[i]);
		svmgpu_bind_add_step(job, &vmas[i]->map_step);
	}
	return 0;

err_destroy:
	for (i = 0; i < ARRAY_SIZE(vmas); i++) {
		if (!vmas[i])
			continue;
		svmgpu_vma_unlink(&vmas[i]->base);
		svmgpu_vma_destroy(vmas[i]);
	}
	return ret;
}

/* A bind operation, validated, with its BO looked up. */
struct svmgpu_bind_op {
	struct drm_svmgpu_vm_bind_op args;
	struct drm_gem_object *obj;
};

/* Applies one VM_BIND operation to the tree; a failure changes nothing. */
static int svmgpu_bind_prepare_op(struct svmgpu_bind_job *job,
				  struct svmgpu_bind_op *bop)
{
	struct drm_svmgpu_vm_bind_op *a = &bop->args;
	struct svmgpu_vm *vm = job->vm;
	struct drm_gpuva_ops *ops;
	struct drm_gpuva_op *op;
	int ret = 0;

	if (a->op == DRM_SVMGPU_VM_BIND_OP_MAP)
		ops = drm_gpuvm_sm_map_ops_create(&vm->base, a->va, a->size,
						  bop->obj, a->bo_offset);
	else if (a->op == DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR)
		/* No BO: the CPU address takes the BO offset's place. */
		ops = drm_gpuvm_sm_map_ops_create(&vm->base, a->va, a->size,
						  NULL, a->userptr);
	else
		ops = drm_gpuvm_sm_unmap_ops_create(&vm->base, a->va, a->size);
	if (IS_ERR(ops))
		return PTR_ERR(ops);

	drm_gpuva_for_each_op(op, ops) {
		ret = svmgpu_bind_prepare_gpuva_op(job, op,
						   !(a->flags & DRM_SVMGPU_VM_BIND_OP_READ_ONLY));
		if (ret)
			break;
	}
	drm_gpuva_ops_free(&vm->base, ops);
	if (!ret)
		svmgpu_count(vm->sdev, a->op == DRM_SVMGPU_VM_BIND_OP_UNMAP ?
			     SVMGPU_CNT_UNBINDS : SVMGPU_CNT_BINDS);
	return ret;
}

/*
 * Undoes every step prepared so far, newest first: the tree is as it was
 * before the ioctl and the new mappings are gone.
 */
static void svmgpu_bind_unprepare(struct svmgpu_bind_job *job)
{
	struct svmgpu_bind_step *step, *tmp;

	list_for_each_entry_safe_reverse(step, tmp, &job->steps, link) {
		struct svmgpu_vma *vma = svmgpu_step_vma(step);

		list_del_init(&step->link);
		if (step->unmap) {
			svmgpu_vma_insert(job->vm, vma);
		} else {
			svmgpu_vma_remove(job->vm, vma);
			svmgpu_vma_unlink(&vma->base);
			svmgpu_vma_destroy(vma);
		}
	}
}

/*
 * The prepared bind will be queued: the mappings it removed leave their
 * BOs now (they stay pinned until the job's cleanup).
 */
static void svmgpu_bind_unlink_removed(struct svmgpu_bind_job *job)
{
	struct svmgpu_bind_step *step;

	list_for_each_entry(step, &job->steps, link)
		if (step->unmap)
			svmgpu_vma_unlink(&svmgpu_step_vma(step)->base);
}

/*
 * Applies the steps to the page tables. Runs in the dma-fence signalling
 * path of the job's fence: allocates nothing, takes no reservation lock.
 */
static void svmgpu_bind_commit(struct svmgpu_bind_job *job)
{
	struct svmgpu_vm *vm = job->vm;
	struct svmgpu_bind_step *step, *tmp;

	mutex_lock(&vm->pgt_lock);
	list_for_each_entry_safe(step, tmp, &job->steps, link) {
		struct svmgpu_vma *vma = svmgpu_step_vma(step);
		struct drm_gpuva *va = &vma->base;

		if (step->unmap) {
			if (vma->is_userptr)
				svmgpu_userptr_commit_unmap(&vma->up, &job->pool);
			else
				svmgpu_pgtable_unmap(&vm->pgt, va->va.addr,
						     va->va.range, &job->pool);
			list_move_tail(&step->link, &job->retired);
			continue;
		}
		list_del_init(&step->link);
		if (vma->is_userptr) {
			svmgpu_userptr_commit_map(&vma->up, &job->pool);
			continue;
		}
		/* The pool holds every table the mapping can need. */
		WARN_ON(svmgpu_pgtable_map_sgt(&vm->pgt, va->va.addr,
					       va->va.range, vma->sgt,
					       va->gem.offset, vma->writable,
					       &job->pool));
	}
	mutex_unlock(&vm->pgt_lock);
	job->committed = true;
}

static struct dma_fence *svmgpu_bind_job_run(struct drm_sched_job *sched_job)
{
	struct svmgpu_bind_job *job = to_svmgpu_bind_job(sched_job);
	struct svmgpu_vm *vm = job->vm;
	bool cookie = dma_fence_begin_signalling();
	bool cancelled;

	spin_lock(&vm->pending_lock);
	list_del_init(&job->pending_link);
	cancelled = job->cancelled;
	spin_unlock(&vm->pending_lock);

	svmgpu_bind_commit(job);
	dma_fence_end_signalling(cookie);

	/* Done: no hardware fence. A cancelled bind fails its fence. */
	return cancelled ? ERR_PTR(-ECANCELED) : NULL;
}

/* Binds complete inside run_job: the timeout never fires. */
static enum drm_gpu_sched_stat svmgpu_bind_job_timedout(struct drm_sched_job *sched_job)
{
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

/* Releases what a bind job holds; process context, any lock allowed. */
static void svmgpu_bind_job_destroy(struct svmgpu_bind_job *job)
{
	struct svmgpu_bind_step *step, *tmp;
	u32 i;

	list_for_each_entry_safe(step, tmp, &job->retired, link) {
		list_del(&step->link);
		svmgpu_vma_destroy(svmgpu_step_vma(step));
	}
	svmgpu_pt_pool_fini(&job->pool);
	if (job->gate)
		dma_fence_put(&job->gate->base);
	for (i = 0; i < job->nr_waits; i++)
		dma_fence_put(job->waits[i]);
	kvfree(job->waits);
	kfree(job);
}

static void svmgpu_bind_job_cleanup_work(struct work_struct *work)
{
	struct svmgpu_bind_job *job = container_of(work, struct svmgpu_bind_job,
						   cleanup_work);
	struct svmgpu_vm *vm = job->vm;

	/* Every job reaches run_job: entities are drained, never killed. */
	if (WARN_ON(!job->committed))
		svmgpu_bind_commit(job);
	svmgpu_bind_job_destroy(job);
	if (atomic_dec_and_test(&vm->live_binds))
		wake_up_all(&vm->binds_idle_wq);
	svmgpu_vm_put(vm);
}

/*
 * The scheduler is done with the job. Its cleanup takes reservation
 * locks, which a thread may hold while it waits for a bind: it runs on a
 * workqueue of its own, never on the scheduler's.
 */
static void svmgpu_bind_job_free(struct drm_sched_job *sched_job)
{
	struct svmgpu_bind_job *job = to_svmgpu_bind_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	queue_work(job->vm->sdev->bind_cleanup_wq, &job->cleanup_work);
}

static const struct drm_sched_backend_ops svmgpu_bind_sched_ops = {
	.run_job = svmgpu_bind_job_run,
	.timedout_job = svmgpu_bind_job_timedout,
	.free_job = svmgpu_bind_job_free,
};

/**
 * svmgpu_vm_binds_init() - the device's bind scheduler and cleanup queue.
 * @sdev: the device.
 *
 * Return: 0 or a negative errno.
 */
int svmgpu_vm_binds_init(struct svmgpu_device *sdev)
{
	struct drm_sched_init_args args = {
		.ops = &svmgpu_bind_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = SVMGPU_BIND_CREDITS,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "svmgpu-bind",
		.dev = sdev->drm.dev,
	};
	int ret;

	sdev->bind_cleanup_wq = alloc_ordered_workqueue("svmgpu-bind-cleanup", 0);
	if (!sdev->bind_cleanup_wq)
		return -ENOMEM;

	ret = drm_sched_init(&sdev->bind_sched, &args);
	if (ret) {
		destroy_workqueue(sdev->bind_cleanup_wq);
		return ret;
	}
	return 0;
}

/**
 * svmgpu_vm_binds_fini() - tear down what svmgpu_vm_binds_init() built.
 * @sdev: the device; every VM has left its file, so every bind job has
 *        been freed (svmgpu_vm_release() waits for that).
 */
void svmgpu_vm_binds_fini(struct svmgpu_device *sdev)
{
	destroy_workqueue(sdev->bind_cleanup_wq);
	drm_sched_fini(&sdev->bind_sched);
}

/**
 * svmgpu_vm_unmap_all() - remove every mapping of a VM.
 * @vm: the VM; idle, closed, no bind left.
 */
void svmgpu_vm_unmap_all(struct svmgpu_vm *vm)
{
	struct drm_gpuva *va, *next;

	mutex_lock(&vm->lock);
	drm_gpuvm_for_each_va_safe(va, next, &vm->base) {
		struct svmgpu_vma *vma = to_svmgpu_vma(va);

		mutex_lock(&vm->pgt_lock);
		if (vma->is_userptr)
			svmgpu_userptr_commit_unmap(&vma->up, NULL);
		else
			svmgpu_pgtable_unmap(&vm->pgt, va->va.addr,
					     va->va.range, NULL);
		mutex_unlock(&vm->pgt_lock);
		svmgpu_vma_remove(vm, vma);
		svmgpu_vma_unlink(va);
		svmgpu_vma_destroy(to_svmgpu_vma(va));
	}
	mutex_unlock(&vm->lock);
}

/**
 * svmgpu_vm_binds_cancel() - cancel the binds a VM has queued.
 * @vm: the VM, closed: no bind is queued after this.
 *
 * Each pending bind's gate opens now: the bind runs as soon as the binds
 * before it completed, commits and fails its fence with -ECANCELED (see
 * "Cancelling" above).
 */
void svmgpu_vm_binds_cancel(struct svmgpu_vm *vm)
{
	struct svmgpu_bind_job *job;

	spin_lock(&vm->pending_lock);
	list_for_each_entry(job, &vm->pending_binds, pending_link) {
		job->cancelled = true;
		if (job->gate)
			svmgpu_gate_cancel(job->gate);
	}
	spin_unlock(&vm->pending_lock);
}

/**
 * svmgpu_vm_mappings_debugfs_show() - print the mappings of a VM's tree.
 * @vm: the VM; under &svmgpu_vm.lock.
 * @m: where to print, one line per mapping (svmgpu_vm_debugfs_show()).
 */
void svmgpu_vm_mappings_debugfs_show(struct svmgpu_vm *vm, struct seq_file *m)
{
	struct drm_gpuva *va;

	lockdep_assert_held(&vm->lock);
	drm_gpuvm_for_each_va(va, &vm->base) {
		struct svmgpu_vma *vma = to_svmgpu_vma(va);

		if (!vma->is_userptr) {
			seq_printf(m, "  %#014llx-%#014llx +%#llx %s\n",
				   va->va.addr, va->va.addr + va->va.range,
				   va->gem.offset,
				   vma->writable ? "rw" : "ro");
			continue;
		}
		mutex_lock(&vm->userptr_lock);
		seq_printf(m, "  %#014llx-%#014llx userptr %#llx %s %s\n",
			   va->va.addr, va->va.addr + va->va.range,
			   va->gem.offset, vma->writable ? "rw" : "ro",
			   vma->up.invalid ? "invalid" : "valid");
		mutex_unlock(&vm->userptr_lock);
	}
}

/* Checks one operation; looks up its BO. Changes nothing. */
static int svmgpu_bind_op_check(struct drm_file *file, struct svmgpu_vm *vm,
				struct svmgpu_bind_op *op)
{
	struct drm_svmgpu_vm_bind_op *a = &op->args;

	if (a->pad || !IS_ALIGNED(a->va | a->size | a->bo_offset, SZ_4K) ||
	    !svmgpu_vm_range_ok(a->va, a->size, SVMGPU_VM_START, SVMGPU_VM_END))
		return -EINVAL;
	if (a->op != DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR && a->userptr)
		return -EINVAL;

	switch (a->op) {
	case DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR:
		if (a->flags & ~DRM_SVMGPU_VM_BIND_OP_READ_ONLY || a->handle ||
		    a->bo_offset || vm->svm || !IS_ALIGNED(a->userptr, SZ_4K) ||
		    a->size > DRM_SVMGPU_USERPTR_MAX_SIZE ||
		    a->userptr + a->size < a->userptr)
			return -EINVAL;
		/* NULL and the rest of what is not mapped fail in the bind. */
		if (!access_ok(u64_to_user_ptr(a->userptr), a->size))
			return -EFAULT;
		return 0;
	case DRM_SVMGPU_VM_BIND_OP_MAP:
		if (a->flags & ~DRM_SVMGPU_VM_BIND_OP_READ_ONLY)
			return -EINVAL;
		op->obj = drm_gem_object_lookup(file, a->handle);
		if (!op->obj)
			return -ENOENT;
		if (!svmgpu_vm_range_ok(a->bo_offset, a->size, 0, op->obj->size))
			return -EINVAL;
		return 0;
	case DRM_SVMGPU_VM_BIND_OP_UNMAP:
		if (a->flags || a->handle || a->bo_offset)
			return -EINVAL;
		return 0;
	case DRM_SVMGPU_VM_BIND_OP_MIRROR:
	case DRM_SVMGPU_VM_BIND_OP_PREFETCH:
		if (a->flags || a->handle || a->bo_offset || !vm->svm)
			return -EINVAL;
		/* The mirror is of the creating process's address space. */
		if (current->mm != vm->svm->mm)
			return -EACCES;
		return 0;
	}
	return -EINVAL;
}

static void svmgpu_bind_ops_free(struct svmgpu_bind_op *ops, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (ops[i].obj)
			drm_gem_object_put(ops[i].obj);
	kvfree(ops);
}

/* Copies and checks every operation before any is applied. */
static struct svmgpu_bind_op *
svmgpu_bind_ops_get(struct drm_file *file, struct svmgpu_vm *vm,
		    const struct drm_svmgpu_obj_array *arr)
{
	struct svmgpu_bind_op *ops;
	u32 i;
	int ret;

	/* Strides from before @userptr existed read it as zero. */
	if (!arr->count || arr->count > DRM_SVMGPU_VM_BIND_MAX_OPS ||
	    arr->stride < offsetofend(struct drm_svmgpu_vm_bind_op, size))
		return ERR_PTR(-EINVAL);

	ops = kvcalloc(arr->count, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return ERR_PTR(-ENOMEM);

	for (i = 0; i < arr->count; i++) {
		ret = svmgpu_copy_array_elem(&ops[i].args, sizeof(ops[i].args), arr, i);
		if (!ret)
			ret = svmgpu_bind_op_check(file, vm, &ops[i]);
		if (ret) {
			svmgpu_bind_ops_free(ops, i + 1);
			return ERR_PTR(ret);
		}
	}
	return ops;
}

/* A job for @vm waiting for @bs's WAIT fences; takes them over. */
static struct svmgpu_bind_job *svmgpu_bind_job_create(struct svmgpu_vm *vm,
						      struct drm_file *file,
						      struct svmgpu_syncs *bs)
{
	struct svmgpu_bind_job *job;
	int ret;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&job->steps);
	INIT_LIST_HEAD(&job->retired);
	INIT_LIST_HEAD(&job->pending_link);
	INIT_WORK(&job->cleanup_work, svmgpu_bind_job_cleanup_work);
	svmgpu_pt_pool_init(&job->pool);
	job->vm = vm;

	ret = drm_sched_job_init(&job->base, &vm->bind_entity,
				 SVMGPU_BIND_CREDITS, vm, file->client_id);
	if (ret)
		goto err_free;

	if (bs->nr_waits) {
		job->gate = svmgpu_gate_create(bs->waits, bs->nr_waits);
		if (!job->gate) {
			ret = -ENOMEM;
			goto err_cleanup;
		}
		/* The job holds the gate and the fences from here on. */
		ret = drm_sched_job_add_dependency(&job->base,
						   dma_fence_get(&job->gate->base));
		if (ret)
			goto err_put_gate;
		job->waits = bs->waits;
		job->nr_waits = bs->nr_waits;
		bs->waits = NULL;
		bs->nr_waits = 0;
	}
	return job;

err_put_gate:
	dma_fence_put(&job->gate->base);
err_cleanup:
	drm_sched_job_cleanup(&job->base);
err_free:
	kfree(job);
	return ERR_PTR(ret);
}

/* Frees a job that was never queued; its steps are undone or none. */
static void svmgpu_bind_job_abort(struct svmgpu_bind_job *job)
{
	drm_sched_job_cleanup(&job->base);
	svmgpu_bind_job_destroy(job);
}

/*
 * Prepares @ops in @job and queues it; under the VM's lock. Returns the
 * bind's fence (a reference), or an error with nothing changed.
 */
static struct dma_fence *svmgpu_bind_queue(struct svmgpu_bind_job *job,
					   struct svmgpu_bind_op *ops, u32 count)
{
	struct svmgpu_vm *vm = job->vm;
	struct dma_resv *resv = drm_gpuvm_resv(&vm->base);
	struct dma_fence *done;
	u32 i;
	int ret = 0;

	lockdep_assert_held(&vm->lock);

	for (i = 0; !ret && i < count; i++)
		ret = svmgpu_bind_prepare_op(job, &ops[i]);
	if (ret)
		goto err_unprepare;

	ret = dma_resv_lock_interruptible(resv, NULL);
	if (ret)
		goto err_unprepare;
	ret = dma_resv_reserve_fences(resv, 1);
	if (!ret)
		ret = drm_sched_job_add_resv_dependencies(&job->base, resv,
							  DMA_RESV_USAGE_BOOKKEEP);
	if (ret) {
		dma_resv_unlock(resv);
		goto err_unprepare;
	}

	/* No failure from here on: the bind is armed and will run. */
	drm_sched_job_arm(&job->base);
	done = dma_fence_get(&job->base.s_fence->finished);
	dma_resv_add_fence(resv, done, DMA_RESV_USAGE_KERNEL);
	dma_resv_unlock(resv);

	svmgpu_bind_unlink_removed(job);
	atomic_inc(&vm->live_binds);
	drm_gpuvm_get(&vm->base);
	spin_lock(&vm->pending_lock);
	list_add_tail(&job->pending_link, &vm->pending_binds);
	spin_unlock(&vm->pending_lock);
	if (job->gate)
		svmgpu_gate_arm(job->gate);
	drm_sched_entity_push_job(&job->base);
	return done;

err_unprepare:
	svmgpu_bind_unprepare(job);
	return ERR_PTR(ret);
}

/*
 * A bind without DRM_SVMGPU_VM_BIND_ASYNC first waits, interruptibly, for
 * what its job would wait for: an interrupted wait has applied nothing.
 */
static int svmgpu_bind_wait_ready(struct svmgpu_vm *vm,
				  struct svmgpu_syncs *bs)
{
	long ret;
	u32 i;

	for (i = 0; i < bs->nr_waits; i++) {
		ret = dma_fence_wait(bs->waits[i], true);
		if (ret)
			return ret;
	}
	return svmgpu_vm_wait_idle(vm, true);
}

/*
 * Fault-mode VMs bind synchronously, one operation after the other,
 * because mirror windows change outside the bind job: MAP and UNMAP first
 * take their range out of the windows (unmapping what the GPU mirrored
 * there), MIRROR unmaps the BOs in its range and then opens the window,
 * PREFETCH populates. A failing operation leaves the earlier ones
 * applied.
 */
static int svmgpu_vm_bind_fault_mode(struct svmgpu_vm *vm,
				     struct drm_file *file,
				     struct svmgpu_bind_op *ops, u32 count)
{
	struct svmgpu_syncs none = {};
	int ret = 0;
	u32 i;

	for (i = 0; i < count && !ret; i++) {
		struct drm_svmgpu_vm_bind_op *a = &ops[i].args;
		struct svmgpu_bind_job *job;
		struct dma_fence *done;

		if (a->op == DRM_SVMGPU_VM_BIND_OP_PREFETCH) {
			ret = svmgpu_svm_prefetch(vm->svm, a->va, a->va + a->size);
			continue;
		}
		svmgpu_svm_window_remove(vm->svm, a->va, a->va + a->size);

		job = svmgpu_bind_job_create(vm, file, &none);
		if (IS_ERR(job))
			return PTR_ERR(job);
		mutex_lock(&vm->lock);
		if (vm->closed)
			done = ERR_PTR(-ENOENT);
		else
			done = svmgpu_bind_queue(job, &ops[i], 1);
		mutex_unlock(&vm->lock);
		if (IS_ERR(done)) {
			svmgpu_bind_job_abort(job);
			return PTR_ERR(done);
		}
		/*
		 * Not interruptible: the window must follow the mapping. The
		 * wait is short: fault-mode jobs' fences signal when the job
		 * reaches the ring.
		 */
		dma_fence_wait(done, false);
		dma_fence_put(done);
		if (a->op == DRM_SVMGPU_VM_BIND_OP_MIRROR)
			ret = svmgpu_svm_window_add(vm->svm, a->va, a->va + a->size);
	}
	return ret;
}

int svmgpu_ioctl_vm_bind(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_vm_bind *args = data;
	bool async = args->flags & DRM_SVMGPU_VM_BIND_ASYNC;
	struct svmgpu_syncs bs = {};
	struct svmgpu_bind_job *job;
	struct svmgpu_bind_op *ops;
	struct dma_fence *done;
	struct svmgpu_vm *vm;
	int ret;

	if (args->flags & ~DRM_SVMGPU_VM_BIND_ASYNC || args->extensions)
		return -EINVAL;

	vm = svmgpu_vm_lookup(&sfile->vms, args->vm_id);
	if (!vm)
		return -ENOENT;

	ops = svmgpu_bind_ops_get(file, vm, &args->ops);
	if (IS_ERR(ops)) {
		ret = PTR_ERR(ops);
		goto out_put_vm;
	}

	ret = svmgpu_syncs_get(file, &args->syncs, DRM_SVMGPU_VM_BIND_MAX_SYNCS, &bs);
	if (ret)
		goto out_free_syncs;

	if (vm->svm && async) {
		/* Mirror windows change outside the bind job: see below. */
		ret = -EINVAL;
		goto out_free_syncs;
	}

	if (!async) {
		ret = svmgpu_bind_wait_ready(vm, &bs);
		if (ret)
			goto out_free_syncs;
	}

	if (vm->svm) {
		ret = svmgpu_vm_bind_fault_mode(vm, file, ops, args->ops.count);
		if (!ret) {
			done = dma_fence_get_stub();
			svmgpu_syncs_signal(&bs, done);
			dma_fence_put(done);
		}
		goto out_free_syncs;
	}

	job = svmgpu_bind_job_create(vm, file, &bs);
	if (IS_ERR(job)) {
		ret = PTR_ERR(job);
		goto out_free_syncs;
	}

	mutex_lock(&vm->lock);
	if (vm->closed)
		done = ERR_PTR(-ENOENT);
	else
		done = svmgpu_bind_queue(job, ops, args->ops.count);
	mutex_unlock(&vm->lock);
	if (IS_ERR(done)) {
		ret = PTR_ERR(done);
		svmgpu_bind_job_abort(job);
		goto out_free_syncs;
	}

	svmgpu_syncs_signal(&bs, done);
	/*
	 * Binds already queued come first; one queued by another thread
	 * since the wait above may take long, so this wait is interruptible
	 * too (see the uAPI's -EINTR). A cancelled bind was applied all the
	 * same: not an error of this call.
	 */
	if (!async)
		ret = dma_fence_wait(done, true);
	dma_fence_put(done);

out_free_syncs:
	svmgpu_syncs_free(&bs);
	svmgpu_bind_ops_free(ops, args->ops.count);
out_put_vm:
	svmgpu_vm_put(vm);
	return ret;
}
