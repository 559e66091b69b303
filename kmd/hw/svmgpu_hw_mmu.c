// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_hw_mmu.c - the MMU of the svmgpu virtual GPU: page walk, TLBs,
 * invalidation and every memory access the engines make.
 */

/**
 * DOC: MMU
 *
 * An engine reaches memory only through this file. A GPU virtual address
 * is translated through the queue's 4-level page tables (include/hw/
 * svmgpu_pte.h); tables and pages are physical addresses of system memory,
 * reached as the silicon would reach them over the bus: PFN -> pfn_valid()
 * -> pfn_to_page() -> kmap_local_page(). A PFN that is not memory the CPU
 * can map (not pfn_valid(), or device-private memory, which has no kernel
 * mapping) is a BAD_PTE fault, never an access.
 *
 * An engine reaches memory through one MMU port per DMA channel (the
 * engine itself, and the helper channels that share long copies; see the
 * DOC in svmgpu_hw_engine.c). Each port has a TLB: for each leaf size (4 KiB, 2 MiB, 1 GiB) a 2-way
 * set-associative array of leaf translations tagged by page-table root and
 * virtual page, plus a small page-walk cache of last-level tables tagged by
 * root and 2 MiB region. Only valid leaves are cached. A TLB entry never
 * causes a fault: when a cached leaf does not allow a write, the MMU walks
 * the tables again, so the driver can make an entry valid or writable
 * without invalidating; removing or downgrading an entry needs an
 * invalidation.
 *
 * The guarantee invalidation gives - once MMU_COMMAND returns, no engine
 * uses a removed translation - rests on each port's access lock: every
 * memory access (translation and the access itself: at most one page, or
 * one step of a copy, SVMGPU_HW_STEP_BYTES) runs under the lock of the
 * port it goes through, and invalidation drops the matching entries of
 * each port of each engine under that port's lock. An access in flight when MMU_COMMAND is written
 * finishes before the lock is handed over; every later access finds no
 * entry and walks the tables, which the driver changed before it wrote
 * MMU_COMMAND. The engine holds no reference to any page: the kernel may
 * free a page as soon as the invalidation that removed it returns.
 */

#include <linux/atomic.h>
#include <linux/highmem.h>
#include <linux/memremap.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/string.h>

#include <asm/cpufeature.h>

#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_pte.h"
#include "svmgpu_hw_internal.h"
#include "svmgpu_hw_shader.h"

static_assert(SVMGPU_PT_SHIFT(0) == PAGE_SHIFT);

#define SVMGPU_HW_PWC_SHIFT	SVMGPU_PT_SHIFT(1)

/**
 * svmgpu_hw_page_usable() - whether the hardware can reach a page frame.
 * @pfn: the page frame.
 *
 * Return: true when @pfn is system memory with a kernel mapping.
 */
bool svmgpu_hw_page_usable(u64 pfn)
{
	if (!pfn_valid(pfn))
		return false;
	return !is_device_private_page(pfn_to_page(pfn));
}

static bool svmgpu_hw_fault(struct svmgpu_hw_fault_info *fault, u64 va,
			    u8 access, u8 reason)
{
	fault->va = va;
	fault->access = access;
	fault->reason = reason;
	return false;
}

static struct svmgpu_hw_pwc_entry *
svmgpu_hw_pwc_lookup(struct svmgpu_hw_tlb *tlb, u64 root, u64 va)
{
	u64 vpn = va >> SVMGPU_HW_PWC_SHIFT;
	unsigned int i;

	for (i = 0; i < SVMGPU_HW_PWC_ENTRIES; i++) {
		struct svmgpu_hw_pwc_entry *e = &tlb->pwc[i];

		if (e->valid && e->vpn == vpn && e->root == root)
			return e;
	}
	return NULL;
}

static void svmgpu_hw_pwc_fill(struct svmgpu_hw_tlb *tlb, u64 root, u64 va,
			       u64 table_pfn)
{
	struct svmgpu_hw_pwc_entry *e = &tlb->pwc[tlb->pwc_next];

	tlb->pwc_next = (tlb->pwc_next + 1) % SVMGPU_HW_PWC_ENTRIES;
	e->root = root;
	e->vpn = va >> SVMGPU_HW_PWC_SHIFT;
	e->table_pfn = table_pfn;
	e->valid = true;
}

static unsigned int svmgpu_hw_tlb_size_index(unsigned int shift)
{
	return (shift - SVMGPU_PT_SHIFT(0)) / (SVMGPU_PT_SHIFT(1) -
					       SVMGPU_PT_SHIFT(0));
}

static struct svmgpu_hw_tlb_set *
svmgpu_hw_tlb_set_for(struct svmgpu_hw_tlb *tlb, unsigned int shift, u64 vpn)
{
	return &tlb->set[svmgpu_hw_tlb_size_index(shift)]
			[vpn % SVMGPU_HW_TLB_SETS];
}

static struct svmgpu_hw_tlb_entry *
svmgpu_hw_tlb_lookup(struct svmgpu_hw_tlb *tlb, u64 root, u64 va)
{
	unsigned int level, w;

	for (level = 0; level < SVMGPU_HW_TLB_SIZES; level++) {
		unsigned int shift = SVMGPU_PT_SHIFT(level);
		u64 vpn = va >> shift;
		struct svmgpu_hw_tlb_set *set =
			svmgpu_hw_tlb_set_for(tlb, shift, vpn);

		for (w = 0; w < SVMGPU_HW_TLB_WAYS; w++) {
			struct svmgpu_hw_tlb_entry *e = &set->way[w];

			if (e->shift == shift && e->vpn == vpn && e->root == root) {
				set->victim = !w;
				return e;
			}
		}
	}
	return NULL;
}

static struct svmgpu_hw_tlb_entry *
svmgpu_hw_tlb_fill(struct svmgpu_hw_tlb *tlb,
		   const struct svmgpu_hw_tlb_entry *leaf)
{
	struct svmgpu_hw_tlb_set *set = svmgpu_hw_tlb_set_for(tlb, leaf->shift,
							      leaf->vpn);
	struct svmgpu_hw_tlb_entry *e;
	unsigned int w;

	/* A stale copy of this translation goes first (permission upgrade). */
	for (w = 0; w < SVMGPU_HW_TLB_WAYS; w++)
		if (set->way[w].shift == leaf->shift &&
		    set->way[w].vpn == leaf->vpn &&
		    set->way[w].root == leaf->root)
			break;
	if (w == SVMGPU_HW_TLB_WAYS)
		w = set->victim;
	e = &set->way[w];
	*e = *leaf;
	set->victim = !w;
	return e;
}

/* Makes a 4 KiB leaf entry out of @pte, if it is a usable one. */
static bool svmgpu_hw_leaf_4k(u64 root, u64 vpn, u64 pte,
			      struct svmgpu_hw_tlb_entry *leaf)
{
	u64 pfn = (pte & SVMGPU_PTE_ADDR_MASK) >> PAGE_SHIFT;

	if (!(pte & SVMGPU_PTE_VALID) || pte & SVMGPU_PTE_RESERVED_MASK ||
	    !svmgpu_hw_page_usable(pfn))
		return false;
	leaf->root = root;
	leaf->vpn = vpn;
	leaf->pfn = pfn;
	leaf->page = pfn_to_page(pfn);
	leaf->shift = PAGE_SHIFT;
	leaf->writable = pte & SVMGPU_PTE_WRITE;
	return true;
}

/*
 * A level-0 table was read for @va: cache the other usable leaves of the
 * aligned line of SVMGPU_HW_TLB_LINE entries around it, as the table walker
 * fetched them anyway. Sequential accesses then walk once per line.
 */
static void svmgpu_hw_tlb_fill_line(struct svmgpu_hw_tlb *tlb, u64 root,
				    u64 va, const __le64 *entries)
{
	unsigned int idx = SVMGPU_PT_INDEX(va, 0);
	unsigned int first = idx & ~(SVMGPU_HW_TLB_LINE - 1), i;
	struct svmgpu_hw_tlb_entry leaf;

	for (i = first; i < first + SVMGPU_HW_TLB_LINE; i++) {
		u64 vpn = (va >> PAGE_SHIFT) - idx + i;

		if (i != idx &&
		    svmgpu_hw_leaf_4k(root, vpn, le64_to_cpu(READ_ONCE(entries[i])),
				      &leaf))
			svmgpu_hw_tlb_fill(tlb, &leaf);
	}
}

/*
 * Walks the page tables of @root for @va and caches the leaf. Return: the
 * TLB entry, or NULL with the reason in @fault.
 */
static struct svmgpu_hw_tlb_entry *
svmgpu_hw_mmu_walk(struct svmgpu_hw_tlb *tlb, u64 root, u64 va, u8 access,
		   struct svmgpu_hw_fault_info *fault)
{
	struct svmgpu_hw_pwc_entry *pwc = svmgpu_hw_pwc_lookup(tlb, root, va);
	u64 table = root >> PAGE_SHIFT;
	int level = SVMGPU_PT_LEVELS - 1;
	struct svmgpu_hw_tlb_entry leaf;
	u8 reason = SVMGPU_FAULT_BAD_PTE;

	if (pwc) {
		table = pwc->table_pfn;
		level = 0;
	}

	for (; level >= 0; level--) {
		unsigned int shift = SVMGPU_PT_SHIFT(level);
		__le64 *entries;
		u64 pte, addr;

		if (!svmgpu_hw_page_usable(table))
			break;
		entries = kmap_local_page(pfn_to_page(table));
		pte = le64_to_cpu(READ_ONCE(entries[SVMGPU_PT_INDEX(va, level)]));

		if (level == 0) {
			if (svmgpu_hw_leaf_4k(root, va >> PAGE_SHIFT, pte, &leaf)) {
				svmgpu_hw_tlb_fill_line(tlb, root, va, entries);
				kunmap_local(entries);
				return svmgpu_hw_tlb_fill(tlb, &leaf);
			}
			kunmap_local(entries);
			if (!(pte & SVMGPU_PTE_VALID))
				reason = SVMGPU_FAULT_NOT_PRESENT;
			break;
		}
		kunmap_local(entries);

		if (!(pte & SVMGPU_PTE_VALID)) {
			reason = SVMGPU_FAULT_NOT_PRESENT;
			break;
		}
		if (pte & SVMGPU_PTE_RESERVED_MASK)
			break;
		addr = pte & SVMGPU_PTE_ADDR_MASK;
		if (pte & SVMGPU_PTE_LEAF) {
			if (level == SVMGPU_PT_LEVELS - 1 ||
			    addr & ((1ull << shift) - 1))
				break;
			leaf.root = root;
			leaf.vpn = va >> shift;
			leaf.pfn = addr >> PAGE_SHIFT;
			leaf.page = NULL;
			leaf.shift = shift;
			leaf.writable = pte & SVMGPU_PTE_WRITE;
			return svmgpu_hw_tlb_fill(tlb, &leaf);
		}
		table = addr >> PAGE_SHIFT;
		if (level == 1)
			svmgpu_hw_pwc_fill(tlb, root, va, table);
	}
	svmgpu_hw_fault(fault, va, access, reason);
	return NULL;
}

static u32 svmgpu_hw_page_left(u64 va)
{
	return PAGE_SIZE - (va & ~PAGE_MASK);
}

/*
 * Bytes from @va to the end of the leaf that maps it, at most to the next
 * 2 MiB boundary. Within a 2 MiB-aligned block the page frames are in one
 * memory section, so the frame check of the first page holds for all, and
 * the kernel's direct map is contiguous across them (no highmem).
 */
static u32 svmgpu_hw_leaf_left(const struct svmgpu_hw_tlb_entry *e, u64 va)
{
	u64 end;

	if (IS_ENABLED(CONFIG_HIGHMEM) || e->shift == PAGE_SHIFT)
		return svmgpu_hw_page_left(va);
	end = min((va | ((1ull << e->shift) - 1)) + 1,
		  (va | (SZ_2M - 1)) + 1);
	return end - va;
}

/* svmgpu_hw_mmu_translate_run() when the 4 KiB fast path missed. */
static noinline struct page *
svmgpu_hw_mmu_translate_slow(struct svmgpu_hw_port *port, u64 root, u64 va,
			     u8 access, struct svmgpu_hw_fault_info *fault,
			     u32 *run)
{
	struct svmgpu_hw_tlb *tlb = &port->tlb;
	struct svmgpu_hw_tlb_entry *e;
	u64 pfn;

	if (va >> SVMGPU_VA_BITS) {
		svmgpu_hw_fault(fault, va, access, SVMGPU_FAULT_OUT_OF_RANGE);
		return NULL;
	}

	e = svmgpu_hw_tlb_lookup(tlb, root, va);
	if (e && (access == SVMGPU_ACCESS_READ || e->writable)) {
		svmgpu_hw_stat_inc(&port->tlb_hits);
	} else {
		svmgpu_hw_stat_inc(&port->tlb_misses);
		e = svmgpu_hw_mmu_walk(tlb, root, va, access, fault);
		if (!e)
			return NULL;
		if (access != SVMGPU_ACCESS_READ && !e->writable) {
			svmgpu_hw_fault(fault, va, access,
					SVMGPU_FAULT_WRITE_PROTECT);
			return NULL;
		}
	}
	*run = svmgpu_hw_leaf_left(e, va);
	if (e->page)
		return e->page;

	pfn = e->pfn + ((va >> PAGE_SHIFT) &
			((1ull << (e->shift - PAGE_SHIFT)) - 1));
	if (!svmgpu_hw_page_usable(pfn)) {
		svmgpu_hw_fault(fault, va, access, SVMGPU_FAULT_BAD_PTE);
		return NULL;
	}
	return pfn_to_page(pfn);
}

/*
 * Translates @va of @root for @access under the engine's access lock.
 * Return: the page holding @va, or NULL with @fault filled in; @run: the
 * bytes from @va on that the same translation covers, contiguous in the
 * kernel's mapping of the page (more than the page's rest only within a
 * huge leaf). A hit on a 4 KiB entry - the case that decides copy bandwidth
 * through BOs - stays inline.
 */
static __always_inline struct page *
svmgpu_hw_mmu_translate_run(struct svmgpu_hw_port *port, u64 root, u64 va,
			    u8 access, struct svmgpu_hw_fault_info *fault,
			    u32 *run)
{
	struct svmgpu_hw_tlb *tlb = &port->tlb;
	u64 vpn = va >> PAGE_SHIFT;
	struct svmgpu_hw_tlb_set *set = &tlb->set[0][vpn % SVMGPU_HW_TLB_SETS];
	unsigned int w;

	lockdep_assert_held(&port->access_lock);

	for (w = 0; w < SVMGPU_HW_TLB_WAYS; w++) {
		struct svmgpu_hw_tlb_entry *e = &set->way[w];

		if (e->vpn == vpn && e->shift == PAGE_SHIFT && e->root == root &&
		    (access == SVMGPU_ACCESS_READ || e->writable)) {
			set->victim = !w;
			svmgpu_hw_stat_inc(&port->tlb_hits);
			*run = svmgpu_hw_page_left(va);
			return e->page;
		}
	}
	return svmgpu_hw_mmu_translate_slow(port, root, va, access, fault, run);
}

/* svmgpu_hw_mmu_translate_run() for an access within one page. */
static __always_inline struct page *
svmgpu_hw_mmu_translate(struct svmgpu_hw_port *port, u64 root, u64 va,
			u8 access, struct svmgpu_hw_fault_info *fault)
{
	u32 run;

	return svmgpu_hw_mmu_translate_run(port, root, va, access, fault, &run);
}

static bool svmgpu_hw_overlaps(u64 a_start, u64 a_end, u64 b_start,
			       u64 b_end)
{
	return a_start < b_end && b_start < a_end;
}

/* Drops the entries of @tlb that @root's range [@start, @end) (or @all) hits. */
static void svmgpu_hw_tlb_invalidate(struct svmgpu_hw_tlb *tlb, u64 root,
				     u64 start, u64 end, bool all)
{
	unsigned int s, set, w;

	for (s = 0; s < SVMGPU_HW_TLB_SIZES; s++) {
		for (set = 0; set < SVMGPU_HW_TLB_SETS; set++) {
			for (w = 0; w < SVMGPU_HW_TLB_WAYS; w++) {
				struct svmgpu_hw_tlb_entry *e =
					&tlb->set[s][set].way[w];
				u64 e_start = e->vpn << e->shift;

				if (!e->shift)
					continue;
				if (all ||
				    (e->root == root &&
				     svmgpu_hw_overlaps(e_start,
							e_start + BIT_ULL(e->shift),
							start, end)))
					e->shift = 0;
			}
		}
	}
	for (s = 0; s < SVMGPU_HW_PWC_ENTRIES; s++) {
		struct svmgpu_hw_pwc_entry *e = &tlb->pwc[s];
		u64 e_start = e->vpn << SVMGPU_HW_PWC_SHIFT;

		if (all ||
		    (e->root == root &&
		     svmgpu_hw_overlaps(e_start,
					e_start + BIT_ULL(SVMGPU_HW_PWC_SHIFT),
					start, end)))
			e->valid = false;
	}
}

/**
 * svmgpu_hw_mmu_invalidate() - drop TLB entries on every engine and channel.
 * @hw: the instance.
 * @root: page-table root whose entries to drop.
 * @start: first virtual address.
 * @size: bytes; the range is clipped to the 48-bit address space.
 * @all: drop every entry of every root instead.
 *
 * Returns when no engine can use a dropped translation any more: each
 * port's entries (one port per DMA channel of each engine) are dropped
 * under the port's access lock, which every memory access through it
 * holds from translation to the end of the access. Never sleeps; spins for
 * at most one access (a page, or one copy step) per port.
 */
void svmgpu_hw_mmu_invalidate(struct svmgpu_hw *hw, u64 root, u64 start,
			      u64 size, bool all)
{
	u64 end = start + size;
	unsigned int i, c;

	root &= PAGE_MASK;
	if (end < start || end > BIT_ULL(SVMGPU_VA_BITS))
		end = BIT_ULL(SVMGPU_VA_BITS);
	if (!all && start >= end)
		return;

	for (i = 0; i < hw->num_engines; i++) {
		struct svmgpu_hw_engine *eng = &hw->engines[i];

		for (c = 0; c < hw->num_channels; c++) {
			struct svmgpu_hw_port *port = &eng->ports[c];

			spin_lock(&port->access_lock);
			if (c == 0 && all)
				svmgpu_hw_stat_inc(&eng->stats.tlb_flushes);
			else if (c == 0)
				svmgpu_hw_stat_inc(&eng->stats.tlb_invals);
			svmgpu_hw_tlb_invalidate(&port->tlb, root, start, end,
						 all);
			spin_unlock(&port->access_lock);
		}
	}
}

/**
 * svmgpu_hw_mem_read() - read GPU virtual memory.
 * @port: the port (DMA channel) making the access.
 * @root: page-table root of the queue.
 * @va: first address.
 * @buf: where to put the bytes.
 * @len: bytes to read.
 * @fault: filled in on a fault.
 *
 * Return: 0, or -EFAULT with @fault filled in (bytes before the fault may
 * have been read).
 */
int svmgpu_hw_mem_read(struct svmgpu_hw_port *port, u64 root, u64 va,
		       void *buf, u32 len, struct svmgpu_hw_fault_info *fault)
{
	while (len) {
		u32 n = min(len, svmgpu_hw_page_left(va));
		struct page *page;
		void *vaddr;

		spin_lock(&port->access_lock);
		page = svmgpu_hw_mmu_translate(port, root, va,
					       SVMGPU_ACCESS_READ, fault);
		if (!page) {
			spin_unlock(&port->access_lock);
			return -EFAULT;
		}
		vaddr = kmap_local_page(page);
		memcpy(buf, vaddr + (va & ~PAGE_MASK), n);
		kunmap_local(vaddr);
		spin_unlock(&port->access_lock);

		buf += n;
		va += n;
		len -= n;
	}
	return 0;
}

/**
 * svmgpu_hw_mem_load() - read one naturally aligned 32- or 64-bit value.
 * @port: the port (DMA channel) making the access.
 * @root: page-table root of the queue.
 * @va: address, aligned to @bytes.
 * @bytes: 4 or 8.
 * @value: the value read.
 * @fault: filled in on a fault.
 *
 * The read is single-copy atomic with respect to CPU writes.
 *
 * Return: 0, or -EFAULT with @fault filled in.
 */
int svmgpu_hw_mem_load(struct svmgpu_hw_port *port, u64 root, u64 va,
		       unsigned int bytes, u64 *value,
		       struct svmgpu_hw_fault_info *fault)
{
	struct page *page;
	void *vaddr, *p;

	spin_lock(&port->access_lock);
	page = svmgpu_hw_mmu_translate(port, root, va, SVMGPU_ACCESS_READ,
				       fault);
	if (!page) {
		spin_unlock(&port->access_lock);
		return -EFAULT;
	}
	vaddr = kmap_local_page(page);
	p = vaddr + (va & ~PAGE_MASK);
	if (bytes == 8)
		*value = READ_ONCE(*(u64 *)p);
	else
		*value = READ_ONCE(*(u32 *)p);
	kunmap_local(vaddr);
	spin_unlock(&port->access_lock);
	return 0;
}

/**
 * svmgpu_hw_mem_store() - write one naturally aligned 32- or 64-bit value.
 * @port: the port (DMA channel) making the access.
 * @root: page-table root of the queue.
 * @va: address, aligned to @bytes.
 * @bytes: 4 or 8.
 * @value: the value; the low @bytes bytes are written.
 * @release: order every earlier write of the engine before this one, as
 *           a fence value needs.
 * @fault: filled in on a fault.
 *
 * Return: 0, or -EFAULT with @fault filled in.
 */
int svmgpu_hw_mem_store(struct svmgpu_hw_port *port, u64 root, u64 va,
			unsigned int bytes, u64 value, bool release,
			struct svmgpu_hw_fault_info *fault)
{
	struct page *page;
	void *vaddr, *p;

	spin_lock(&port->access_lock);
	page = svmgpu_hw_mmu_translate(port, root, va, SVMGPU_ACCESS_WRITE,
				       fault);
	if (!page) {
		spin_unlock(&port->access_lock);
		return -EFAULT;
	}
	vaddr = kmap_local_page(page);
	p = vaddr + (va & ~PAGE_MASK);
	if (release) {
		/* A fence value: every earlier write of the engine lands first. */
		smp_wmb();
	}
	if (bytes == 8)
		WRITE_ONCE(*(u64 *)p, value);
	else
		WRITE_ONCE(*(u32 *)p, (u32)value);
	kunmap_local(vaddr);
	spin_unlock(&port->access_lock);
	return 0;
}

static u32 svmgpu_hw_atomic32(u32 *p, u32 flags, u32 operand, u32 compare)
{
	bool is_signed = flags & SVMGPU_ATOMIC_SIGNED;
	u32 old, new;

	switch (flags & SVMGPU_ATOMIC_OP_MASK) {
	case SVMGPU_ATOMIC_ADD:
		return atomic_fetch_add(operand, (atomic_t *)p);
	case SVMGPU_ATOMIC_XCHG:
		return xchg(p, operand);
	case SVMGPU_ATOMIC_CMPXCHG:
		return cmpxchg(p, compare, operand);
	}

	/* MIN and MAX. */
	old = READ_ONCE(*p);
	do {
		bool less = is_signed ? (s32)operand < (s32)old :
					operand < old;

		if ((flags & SVMGPU_ATOMIC_OP_MASK) == SVMGPU_ATOMIC_MIN)
			new = less ? operand : old;
		else
			new = less || operand == old ? old : operand;
		if (new == old)
			break;
	} while (!try_cmpxchg(p, &old, new));
	return old;
}

static u64 svmgpu_hw_atomic64(u64 *p, u32 flags, u64 operand, u64 compare)
{
	bool is_signed = flags & SVMGPU_ATOMIC_SIGNED;
	u64 old, new;

	switch (flags & SVMGPU_ATOMIC_OP_MASK) {
	case SVMGPU_ATOMIC_ADD:
		return atomic64_fetch_add(operand, (atomic64_t *)p);
	case SVMGPU_ATOMIC_XCHG:
		return xchg(p, operand);
	case SVMGPU_ATOMIC_CMPXCHG:
		return cmpxchg(p, compare, operand);
	}

	old = READ_ONCE(*p);
	do {
		bool less = is_signed ? (s64)operand < (s64)old :
					operand < old;

		if ((flags & SVMGPU_ATOMIC_OP_MASK) == SVMGPU_ATOMIC_MIN)
			new = less ? operand : old;
		else
			new = less || operand == old ? old : operand;
		if (new == old)
			break;
	} while (!try_cmpxchg(p, &old, new));
	return old;
}

/**
 * svmgpu_hw_mem_atomic() - one ATOMIC operation on GPU virtual memory.
 * @port: the port (DMA channel) making the access.
 * @root: page-table root of the queue.
 * @va: address, aligned to the operand size.
 * @flags: flags of the ATOMIC command (operation, size, signedness).
 * @operand: operand.
 * @compare: compare value of CMPXCHG.
 * @old: the value before the operation.
 * @fault: filled in on a fault.
 *
 * Uses the CPU's atomic instructions on the memory, so the operation is
 * atomic with respect to CPU atomics on the same location.
 *
 * Return: 0, or -EFAULT with @fault filled in (nothing changed).
 */
int svmgpu_hw_mem_atomic(struct svmgpu_hw_port *port, u64 root, u64 va,
			 u32 flags, u64 operand, u64 compare, u64 *old,
			 struct svmgpu_hw_fault_info *fault)
{
	struct page *page;
	void *vaddr, *p;

	spin_lock(&port->access_lock);
	page = svmgpu_hw_mmu_translate(port, root, va, SVMGPU_ACCESS_ATOMIC,
				       fault);
	if (!page) {
		spin_unlock(&port->access_lock);
		return -EFAULT;
	}
	vaddr = kmap_local_page(page);
	p = vaddr + (va & ~PAGE_MASK);
	if (flags & SVMGPU_ATOMIC_64)
		*old = svmgpu_hw_atomic64(p, flags, operand, compare);
	else
		*old = svmgpu_hw_atomic32(p, flags, operand, compare);
	kunmap_local(vaddr);
	spin_unlock(&port->access_lock);
	return 0;
}

/*
 * The copy engine's data path. Where the CPU lacks FSRM the kernel's
 * memcpy() is an unrolled loop of 8-byte moves; for the page-sized pieces
 * the engine copies, "rep movsq" is the faster loop on every x86-64 CPU
 * with ERMS and under emulators (about 1.5x under QEMU's TCG: measured in
 * docs/benchmarks.md). The tail and small pieces go to memcpy().
 */
static void svmgpu_hw_copy_bytes(void *dst, const void *src, size_t n)
{
#ifdef CONFIG_X86_64
	if (n >= 256 && !boot_cpu_has(X86_FEATURE_FSRM)) {
		size_t quads = n / 8;

		asm volatile("rep movsq"
			     : "+D" (dst), "+S" (src), "+c" (quads)
			     : : "memory");
		n &= 7;
	}
#endif
	memcpy(dst, src, n);
}

/*
 * One piece of a copy, under the access lock: at most @max bytes, as far as
 * one translation of the source and one of the destination reach (a page,
 * or more within huge leaves). @n: the bytes copied.
 */
static int svmgpu_hw_copy_piece(struct svmgpu_hw_port *port, u64 root,
				u64 dst, u64 src, u32 max, u32 *n,
				struct svmgpu_hw_fault_info *fault)
{
	struct page *sp, *dp;
	phys_addr_t s_phys, d_phys;
	u32 s_run, d_run;
	void *s, *d;

	sp = svmgpu_hw_mmu_translate_run(port, root, src, SVMGPU_ACCESS_READ,
					 fault, &s_run);
	dp = sp ? svmgpu_hw_mmu_translate_run(port, root, dst,
					      SVMGPU_ACCESS_WRITE, fault,
					      &d_run) : NULL;
	if (!dp)
		return -EFAULT;
	*n = min3(max, s_run, d_run);
	s_phys = PFN_PHYS(page_to_pfn(sp)) + (src & ~PAGE_MASK);
	d_phys = PFN_PHYS(page_to_pfn(dp)) + (dst & ~PAGE_MASK);
	s = kmap_local_page(sp);
	d = kmap_local_page(dp);
	/* memmove only where the bytes really overlap: it is much slower. */
	if (svmgpu_hw_overlaps(d_phys, d_phys + *n, s_phys, s_phys + *n))
		memmove(d + (dst & ~PAGE_MASK), s + (src & ~PAGE_MASK), *n);
	else
		svmgpu_hw_copy_bytes(d + (dst & ~PAGE_MASK),
				     s + (src & ~PAGE_MASK), *n);
	kunmap_local(d);
	kunmap_local(s);
	return 0;
}

/**
 * svmgpu_hw_mem_copy() - copy GPU virtual memory, piece by piece.
 * @port: the port (DMA channel) making the access.
 * @root: page-table root of the queue.
 * @dst: destination; with @backward, the end of the destination.
 * @src: source; with @backward, the end of the source.
 * @len: bytes to copy, at most SVMGPU_HW_STEP_BYTES.
 * @backward: copy from the end down, for a destination above an
 *            overlapping source.
 * @done: bytes copied, also on a fault.
 * @fault: filled in on a fault.
 *
 * Each piece is what one translation of the source and one of the
 * destination cover - a page, or more where both lie in huge leaves
 * (forward only). The whole call runs under the access lock: one
 * acquisition per step, not per page.
 *
 * Return: 0, or -EFAULT with @fault filled in.
 */
int svmgpu_hw_mem_copy(struct svmgpu_hw_port *port, u64 root, u64 dst,
		       u64 src, u64 len, bool backward, u64 *done,
		       struct svmgpu_hw_fault_info *fault)
{
	int ret = 0;

	if (WARN_ON_ONCE(len > SVMGPU_HW_STEP_BYTES))
		len = SVMGPU_HW_STEP_BYTES;
	*done = 0;
	spin_lock(&port->access_lock);
	while (*done < len) {
		u64 left = len - *done, d, s;
		u32 max, n;

		if (!backward) {
			d = dst + *done;
			s = src + *done;
			max = left;
		} else {
			d = dst - *done;
			s = src - *done;
			max = min3(left, ((d - 1) & ~PAGE_MASK) + 1,
				   ((s - 1) & ~PAGE_MASK) + 1);
			d -= max;
			s -= max;
		}
		ret = svmgpu_hw_copy_piece(port, root, d, s, max, &n, fault);
		if (ret)
			break;
		*done += n;
	}
	spin_unlock(&port->access_lock);
	return ret;
}

/**
 * svmgpu_hw_mem_fill() - fill GPU virtual memory with a 32-bit pattern.
 * @port: the port (DMA channel) making the access.
 * @root: page-table root of the queue.
 * @dst: destination, 4-byte aligned.
 * @len: bytes, a multiple of 4.
 * @value: the pattern.
 * @done: bytes filled, also on a fault.
 * @fault: filled in on a fault.
 *
 * Return: 0, or -EFAULT with @fault filled in.
 */
int svmgpu_hw_mem_fill(struct svmgpu_hw_port *port, u64 root, u64 dst,
		       u64 len, u32 value, u64 *done,
		       struct svmgpu_hw_fault_info *fault)
{
	*done = 0;
	while (*done < len) {
		u64 d = dst + *done;
		u32 n = min(len - *done, (u64)svmgpu_hw_page_left(d));
		struct page *page;
		void *vaddr;

		spin_lock(&port->access_lock);
		page = svmgpu_hw_mmu_translate(port, root, d,
					       SVMGPU_ACCESS_WRITE, fault);
		if (!page) {
			spin_unlock(&port->access_lock);
			return -EFAULT;
		}
		vaddr = kmap_local_page(page);
		memset32(vaddr + (d & ~PAGE_MASK), value, n / 4);
		kunmap_local(vaddr);
		spin_unlock(&port->access_lock);
		*done += n;
	}
	return 0;
}

/* One lane's load or store of @bytes at @p (naturally aligned). */
static void svmgpu_hw_lane_access(void *p, struct svmgpu_hw_lanes *req,
				  unsigned int lane)
{
	u64 *d = req->data[lane];

	if (req->access == SVMGPU_ACCESS_READ) {
		switch (req->bytes) {
		case 1:
			d[0] = READ_ONCE(*(u8 *)p);
			break;
		case 2:
			d[0] = READ_ONCE(*(u16 *)p);
			break;
		case 4:
			d[0] = READ_ONCE(*(u32 *)p);
			break;
		case 8:
			d[0] = READ_ONCE(*(u64 *)p);
			break;
		default:
			d[0] = READ_ONCE(((u64 *)p)[0]);
			d[1] = READ_ONCE(((u64 *)p)[1]);
			break;
		}
		return;
	}
	switch (req->bytes) {
	case 1:
		WRITE_ONCE(*(u8 *)p, (u8)d[0]);
		break;
	case 2:
		WRITE_ONCE(*(u16 *)p, (u16)d[0]);
		break;
	case 4:
		WRITE_ONCE(*(u32 *)p, (u32)d[0]);
		break;
	case 8:
		WRITE_ONCE(*(u64 *)p, d[0]);
		break;
	default:
		WRITE_ONCE(((u64 *)p)[0], d[0]);
		WRITE_ONCE(((u64 *)p)[1], d[1]);
		break;
	}
}

/**
 * svmgpu_hw_mem_lanes() - the accesses of one shader memory instruction.
 * @port: the port (compute unit) making the access.
 * @root: page-table root of the queue.
 * @req: the lanes' addresses, sizes and data (see struct svmgpu_hw_lanes);
 *	each address naturally aligned, so each access is inside one page.
 * @fault: filled in on a fault.
 * @lane: set to the lowest lane whose translation failed.
 *
 * Translates every lane's address first, under one hold of the port's
 * access lock, and touches memory only when all of them succeeded: a
 * fault leaves memory and @req's results untouched, so the instruction
 * can run again from the start after the fault is serviced. Then the
 * lanes' accesses are made in ascending lane order, still under the lock
 * (at most 16 accesses of up to 16 bytes), atomics with the CPU's atomic
 * instructions on the page.
 *
 * Return: 0, or -EFAULT with @fault and @lane filled in (nothing accessed).
 */
int svmgpu_hw_mem_lanes(struct svmgpu_hw_port *port, u64 root,
			struct svmgpu_hw_lanes *req,
			struct svmgpu_hw_fault_info *fault, u32 *lane)
{
	struct page *pages[SVMGPU_HW_LANES];
	unsigned long mask = req->mask;
	unsigned int l;
	void *vaddr, *p;

	spin_lock(&port->access_lock);
	for_each_set_bit(l, &mask, SVMGPU_HW_LANES) {
		pages[l] = svmgpu_hw_mmu_translate(port, root, req->va[l],
						   req->access, fault);
		if (!pages[l]) {
			spin_unlock(&port->access_lock);
			*lane = l;
			return -EFAULT;
		}
	}
	for_each_set_bit(l, &mask, SVMGPU_HW_LANES) {
		vaddr = kmap_local_page(pages[l]);
		p = vaddr + (req->va[l] & ~PAGE_MASK);
		if (req->access == SVMGPU_ACCESS_ATOMIC)
			req->data[l][0] = svmgpu_hw_shader_atomic(p, req->op,
								  req->data[l][0],
								  req->cmp[l]);
		else
			svmgpu_hw_lane_access(p, req, l);
		kunmap_local(vaddr);
	}
	spin_unlock(&port->access_lock);
	return 0;
}
