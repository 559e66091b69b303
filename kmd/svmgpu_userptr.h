/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_userptr.h - userptr mappings of dma-fence-mode VMs: process
 * memory mapped at a GPU address, kept in step with the CPU through an
 * MMU interval notifier (svmgpu_userptr.c).
 */
#ifndef SVMGPU_USERPTR_H
#define SVMGPU_USERPTR_H

#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/types.h>

struct mm_struct;
struct sg_table;
struct svmgpu_pt_pool;
struct svmgpu_vm;

/**
 * struct svmgpu_userptr - the userptr state of one mapping.
 * @notifier: interval notifier over [@cpu, @cpu + @size) of the binding
 *            process's address space.
 * @vm: the VM (not a reference: the mapping lives inside it).
 * @va: GPU address.
 * @size: bytes.
 * @cpu: CPU address.
 * @writable: looked up and mapped for GPU writes.
 * @link: in &svmgpu_vm.userptrs while the mapping is in the VM's tree;
 *        under &svmgpu_vm.lock.
 * @new_sgt: pages EXEC looked up again, not installed yet; under
 *           &svmgpu_vm.lock.
 * @new_seq: the notifier sequence @new_sgt was looked up at.
 * @sgt: the pages, DMA-mapped, while they are the CPU mapping's; NULL
 *       once an invalidation took them away (or before the first lookup).
 * @invalid: the CPU mapping changed since @sgt was looked up: the next
 *           EXEC looks the pages up again.
 * @committed: the bind that maps it has run: its PTEs are written
 *             whenever @sgt is set.
 * @removed: the bind that unmaps it has run: no PTE of the range is its.
 *
 * @sgt, @invalid, @committed and @removed are protected by
 * &svmgpu_vm.userptr_lock.
 */
struct svmgpu_userptr {
	struct mmu_interval_notifier notifier;
	struct svmgpu_vm *vm;
	u64 va;
	u64 size;
	u64 cpu;
	bool writable;
	struct list_head link;
	struct sg_table *new_sgt;
	unsigned long new_seq;
	struct sg_table *sgt;
	bool invalid;
	bool committed;
	bool removed;
};

int svmgpu_userptr_init(struct svmgpu_userptr *up, struct svmgpu_vm *vm,
			struct mm_struct *mm, u64 va, u64 size, u64 cpu,
			bool writable, bool populate);
void svmgpu_userptr_fini(struct svmgpu_userptr *up);
void svmgpu_userptr_commit_map(struct svmgpu_userptr *up,
			       struct svmgpu_pt_pool *pool);
void svmgpu_userptr_commit_unmap(struct svmgpu_userptr *up,
				 struct svmgpu_pt_pool *pool);

int svmgpu_userptr_exec_prepare(struct svmgpu_vm *vm,
				struct svmgpu_pt_pool *pool);
bool svmgpu_userptr_exec_install(struct svmgpu_vm *vm,
				 struct svmgpu_pt_pool *pool);
void svmgpu_userptr_exec_abort(struct svmgpu_vm *vm);

#endif /* SVMGPU_USERPTR_H */
