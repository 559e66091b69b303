// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_hw_fault.c - the fault unit of the svmgpu virtual GPU.
 */

/**
 * DOC: Fault queue
 *
 * When the MMU cannot translate an access, the engine hands a description
 * to this unit, which appends a struct svmgpu_fault_record
 * (include/hw/svmgpu_fault.h) to the fault queue: a ring of records in
 * physically contiguous system memory that the driver set up with the
 * FAULTQ_* registers. PUT and GET are free-running 32-bit counters; the
 * record for PUT lives at index PUT % SIZE. The record is written before
 * PUT moves, so a driver that reads PUT may read every record below it.
 * A full or switched-off queue drops the record and counts it in DROPPED.
 * Every record, written or dropped, raises SVMGPU_IRQ_FAULT. A record
 * appears together with the STALLED or ERROR status of its slot.
 *
 * The queue memory is written only under the unit's lock, so once a write
 * of FAULTQ_SIZE returns, no record write to the old queue is in flight.
 */

#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_regs.h"
#include "svmgpu_hw_internal.h"

#define SVMGPU_HW_FAULTQ_MAX_SIZE	4096u

static_assert(sizeof(struct svmgpu_fault_record) == 32);

/**
 * svmgpu_hw_faultq_init() - the fault unit at power on: queue off, empty.
 * @hw: the instance.
 */
void svmgpu_hw_faultq_init(struct svmgpu_hw *hw)
{
	spin_lock_init(&hw->faultq.lock);
}

/* Whether @size records at @base are memory the unit can write. */
static bool svmgpu_hw_faultq_usable(u64 base, u32 size)
{
	u64 bytes = (u64)size * sizeof(struct svmgpu_fault_record);
	u64 pfn;

	if (base & ~PAGE_MASK)
		return false;
	for (pfn = base >> PAGE_SHIFT;
	     pfn < (base + bytes + PAGE_SIZE - 1) >> PAGE_SHIFT; pfn++)
		if (!svmgpu_hw_page_usable(pfn))
			return false;
	return true;
}

/**
 * svmgpu_hw_faultq_read() - read a FAULTQ_* register.
 * @hw: the instance.
 * @offset: register offset.
 *
 * Return: the register's value.
 */
u32 svmgpu_hw_faultq_read(struct svmgpu_hw *hw, u32 offset)
{
	struct svmgpu_hw_faultq *fq = &hw->faultq;
	u32 value = 0;

	spin_lock(&fq->lock);
	switch (offset) {
	case SVMGPU_REG_FAULTQ_BASE_LO:
		value = lower_32_bits(fq->base);
		break;
	case SVMGPU_REG_FAULTQ_BASE_HI:
		value = upper_32_bits(fq->base);
		break;
	case SVMGPU_REG_FAULTQ_SIZE:
		value = fq->size;
		break;
	case SVMGPU_REG_FAULTQ_PUT:
		value = fq->put;
		break;
	case SVMGPU_REG_FAULTQ_GET:
		value = fq->get;
		break;
	case SVMGPU_REG_FAULTQ_DROPPED:
		value = fq->dropped;
		break;
	}
	spin_unlock(&fq->lock);
	return value;
}

/**
 * svmgpu_hw_faultq_write() - write a FAULTQ_* register.
 * @hw: the instance.
 * @offset: register offset.
 * @value: value written.
 *
 * BASE is writable while the queue is off. Writing SIZE sets PUT, GET and
 * DROPPED to 0 and switches the queue on with SIZE records at BASE, or off
 * when SIZE is 0 or the queue would not be valid memory. GET may move
 * forward up to PUT; other values are ignored.
 */
void svmgpu_hw_faultq_write(struct svmgpu_hw *hw, u32 offset, u32 value)
{
	struct svmgpu_hw_faultq *fq = &hw->faultq;

	spin_lock(&fq->lock);
	switch (offset) {
	case SVMGPU_REG_FAULTQ_BASE_LO:
		if (!fq->size)
			svmgpu_hw_set_lo(&fq->base, value);
		break;
	case SVMGPU_REG_FAULTQ_BASE_HI:
		if (!fq->size)
			svmgpu_hw_set_hi(&fq->base, value);
		break;
	case SVMGPU_REG_FAULTQ_SIZE:
		if (value > SVMGPU_HW_FAULTQ_MAX_SIZE ||
		    !is_power_of_2(value) ||
		    !svmgpu_hw_faultq_usable(fq->base, value))
			value = 0;
		fq->size = value;
		fq->put = 0;
		fq->get = 0;
		fq->dropped = 0;
		break;
	case SVMGPU_REG_FAULTQ_GET:
		if (value - fq->get <= fq->put - fq->get)
			fq->get = value;
		break;
	}
	spin_unlock(&fq->lock);
}

/**
 * svmgpu_hw_faultq_report() - append a fault record.
 * @hw: the instance.
 * @fault: what the MMU found.
 * @pt_root: page-table root of the faulting queue.
 * @queue: the queue slot.
 * @engine: the engine that made the access.
 * @stalled: the queue waits for RESUME.
 *
 * Called by an engine under queue_lock, so that the record appears together
 * with the slot's new status; the engine raises SVMGPU_IRQ_FAULT after.
 */
void svmgpu_hw_faultq_report(struct svmgpu_hw *hw,
			     const struct svmgpu_hw_fault_info *fault,
			     u64 pt_root, unsigned int queue,
			     unsigned int engine, bool stalled)
{
	struct svmgpu_hw_faultq *fq = &hw->faultq;
	struct svmgpu_fault_record rec = {
		.va = fault->va,
		.pt_root = pt_root,
		.queue = queue,
		.access = fault->access,
		.reason = fault->reason,
		.engine = engine,
		.flags = (stalled ? SVMGPU_FAULT_FLAG_STALLED : 0) |
			 fault->flags,
		.detail = fault->detail,
		.pc = fault->pc,
	};

	spin_lock(&fq->lock);
	if (fq->size && fq->put - fq->get < fq->size) {
		u64 addr = fq->base + (u64)(fq->put & (fq->size - 1)) * sizeof(rec);
		void *vaddr = kmap_local_page(pfn_to_page(addr >> PAGE_SHIFT));

		memcpy(vaddr + (addr & ~PAGE_MASK), &rec, sizeof(rec));
		kunmap_local(vaddr);
		/* The record is in memory before PUT says so. */
		smp_wmb();
		fq->put++;
	} else {
		fq->dropped++;
	}
	spin_unlock(&fq->lock);
}
