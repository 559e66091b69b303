/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_svm.h - shared virtual memory: the CPU-address mirror of a
 * fault-mode VM, serviced through HMM (svmgpu_svm.c).
 */
#ifndef SVMGPU_SVM_H
#define SVMGPU_SVM_H

#include <linux/atomic.h>
#include <linux/interval_tree.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct mm_struct;
struct seq_file;
struct svmgpu_device;
struct svmgpu_pgtable;

/**
 * struct svmgpu_svm_stats - what the mirror did, for queries and debugfs.
 * @faults: GPU faults serviced (resolved or not).
 * @faults_unresolved: faults that could not be resolved.
 * @pages_4k: 4 KiB leaves written.
 * @pages_2m: 2 MiB leaves written.
 * @invalidations: notifier invalidations that zapped mapped ranges.
 * @ranges_gc: ranges destroyed by the garbage collector.
 * @retries: hmm_range_fault() or commit attempts that had to start again.
 * @prefetched: bytes populated by prefetch.
 */
struct svmgpu_svm_stats {
	atomic64_t faults;
	atomic64_t faults_unresolved;
	atomic64_t pages_4k;
	atomic64_t pages_2m;
	atomic64_t invalidations;
	atomic64_t ranges_gc;
	atomic64_t retries;
	atomic64_t prefetched;
};

/**
 * struct svmgpu_svm - the mirror of one fault-mode VM.
 * @sdev: the device.
 * @pgt: the VM's page tables.
 * @mm: the address space mirrored (mmgrab()bed: the struct, not the
 *      address space, stays).
 * @lock: serialises fault servicing, prefetch, window and attribute
 *        changes and the garbage collector; protects @windows,
 *        @notifiers and every notifier's range tree. Taken before the
 *        mmap lock; never taken by MMU notifier callbacks.
 * @notifier_lock: protects the state of every range (mapped or not, its
 *        pages) against the MMU notifier callbacks, which take it; no
 *        memory is allocated under it.
 * @windows: the CPU-address-mirror windows (interval tree).
 * @attrs: ranges with attributes set (interval tree of
 *         struct svmgpu_svm_attr_node); elsewhere the defaults apply.
 * @notifiers: notifier regions (interval tree of struct svmgpu_svm_notifier).
 * @gc_lock: protects @gc_list.
 * @gc_list: ranges whose CPU mapping went away, to destroy.
 * @gc_work: runs the garbage collector.
 * @stats: counters.
 */
struct svmgpu_svm {
	struct svmgpu_device *sdev;
	struct svmgpu_pgtable *pgt;
	struct mm_struct *mm;
	struct mutex lock; /* see above */
	struct mutex notifier_lock; /* see above */
	struct rb_root_cached windows;
	struct rb_root_cached attrs;
	struct rb_root_cached notifiers;
	spinlock_t gc_lock; /* @gc_list */
	struct list_head gc_list;
	struct work_struct gc_work;
	struct svmgpu_svm_stats stats;
};

int svmgpu_svm_init(struct svmgpu_svm *svm, struct svmgpu_device *sdev,
		    struct svmgpu_pgtable *pgt, struct mm_struct *mm);
void svmgpu_svm_fini(struct svmgpu_svm *svm);
int svmgpu_svm_window_add(struct svmgpu_svm *svm, u64 start, u64 end);
void svmgpu_svm_window_remove(struct svmgpu_svm *svm, u64 start, u64 end);
int svmgpu_svm_fault(struct svmgpu_svm *svm, u64 addr, unsigned int access,
		     u16 *reason);
/**
 * struct svmgpu_svm_attrs - the attributes of a range (uAPI
 * DRM_SVMGPU_ATTR_*).
 * @access: DRM_SVMGPU_ACCESS_*.
 * @read_mostly: map read-only on read faults.
 * @location: DRM_SVMGPU_LOCATION_*.
 * @max_chunk: largest range one fault populates.
 */
struct svmgpu_svm_attrs {
	u8 access;
	u8 read_mostly;
	u8 location;
	u32 max_chunk;
};

/**
 * struct svmgpu_svm_attr_set - attributes a SET changes.
 * @mask: bit n set: attribute type n changes.
 * @values: the new values, by type.
 */
struct svmgpu_svm_attr_set {
	u32 mask;
	struct svmgpu_svm_attrs values;
};

int svmgpu_svm_attr_set(struct svmgpu_svm *svm, u64 start, u64 end,
			const struct svmgpu_svm_attr_set *set);
void svmgpu_svm_attr_get(struct svmgpu_svm *svm, u64 start, u64 end,
			 u32 type, u64 *value);
int svmgpu_svm_prefetch(struct svmgpu_svm *svm, u64 start, u64 end);
void svmgpu_svm_snapshot(struct svmgpu_svm *svm, u64 start, u32 npages,
			 u8 *states);
void svmgpu_svm_debugfs_show(struct svmgpu_svm *svm, struct seq_file *m);

#endif /* SVMGPU_SVM_H */
