// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_hw_test.c - KUnit suite of the svmgpu virtual hardware.
 *
 * Over 1000 lines, on purpose: one suite is one file, as KUnit suites
 * upstream are; its cases share the hand-built page tables, rings and
 * batches of the fixture at the top.
 */

/**
 * DOC: Hardware tests
 *
 * Drives a private hardware instance only through its programming
 * interface, as the driver does: page tables built by hand from
 * alloc_page() memory, a ring page per queue slot, batch buffers in GPU
 * virtual memory, the fault queue and the interrupt line. Each case checks
 * what docs/hardware.md promises: translations of every leaf size, the
 * effect and the errors of every command, fault records and the two fault
 * modes, TLB invalidation (a page freed after its invalidation is never
 * touched again: KASAN watches), WAIT, DISABLE and RESET.
 *
 * Built into svmgpu.ko when the kernel has KUnit; runs at every module
 * load (suite "svmgpu_hw", results in /sys/kernel/debug/kunit/svmgpu_hw/).
 * Kept small: it must finish in well under a second under emulation.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/timekeeping.h>

#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_isa.h"
#include "hw/svmgpu_pte.h"
#include "hw/svmgpu_regs.h"
#include "hw/svmgpu_hw.h"

#define HWT_MAX_PAGES		192
#define HWT_QUEUES		2
#define HWT_FAULTQ_SIZE		16
#define HWT_BATCH_VA		0x100000ull	/* batch buffer, one page */
#define HWT_DATA_VA		0x201000ull	/* test data, 4 KiB pages */
#define HWT_2M_VA		0x40000000ull	/* a 2 MiB leaf */
#define HWT_1G_VA		0x140000000ull	/* a 1 GiB leaf */
#define HWT_BAD_ADDR		0x000ffffffffff000ull	/* no memory there */

/**
 * struct hwt_queue - a queue slot as the test programs it.
 * @ring: its ring page.
 * @tail: where the next ring command goes.
 * @seqno: last FENCE seqno written.
 */
struct hwt_queue {
	struct page *ring;
	u32 tail;
	u32 seqno;
};

/**
 * struct hwt - one test's hardware and memory.
 * @test: the KUnit test.
 * @hw: the hardware instance.
 * @pages: every page the test allocated, freed at the end.
 * @npages: entries of @pages.
 * @root: page-table root.
 * @batch: the batch page, mapped at HWT_BATCH_VA.
 * @faultq: the fault queue page.
 * @q: the queue slots used.
 * @irq_seen: OR of the causes the interrupt handler saw.
 * @irq_calls: interrupts delivered.
 */
struct hwt {
	struct kunit *test;
	struct svmgpu_hw *hw;
	struct page *pages[HWT_MAX_PAGES];
	unsigned int npages;
	struct page *root;
	struct page *batch;
	struct page *faultq;
	struct hwt_queue q[HWT_QUEUES];
	atomic_t irq_seen;
	atomic_t irq_calls;
};

/**
 * struct hwt_batch - a batch being built.
 * @dw: its dwords.
 * @n: dwords used.
 */
struct hwt_batch {
	u32 dw[256];
	unsigned int n;
};

static u32 rd(struct hwt *t, u32 offset)
{
	return svmgpu_hw_read32(t->hw, offset);
}

static void wr(struct hwt *t, u32 offset, u32 value)
{
	svmgpu_hw_write32(t->hw, offset, value);
}

static void wr64(struct hwt *t, u32 lo, u64 value)
{
	wr(t, lo, lower_32_bits(value));
	wr(t, lo + 4, upper_32_bits(value));
}

static u32 qrd(struct hwt *t, unsigned int slot, u32 reg)
{
	return rd(t, SVMGPU_QUEUE_REG(slot, reg));
}

static void qwr(struct hwt *t, unsigned int slot, u32 reg, u32 value)
{
	wr(t, SVMGPU_QUEUE_REG(slot, reg), value);
}

/* The interrupt handler: hardware context, must not sleep. */
static void hwt_irq(void *data)
{
	struct hwt *t = data;
	u32 status;

	while ((status = rd(t, SVMGPU_REG_IRQ_STATUS) &
			 rd(t, SVMGPU_REG_IRQ_MASK))) {
		wr(t, SVMGPU_REG_IRQ_CLEAR, status);
		atomic_or(status, &t->irq_seen);
		atomic_inc(&t->irq_calls);
	}
}

static struct page *hwt_page(struct hwt *t)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	KUNIT_ASSERT_NOT_NULL(t->test, page);
	KUNIT_ASSERT_LT(t->test, t->npages, HWT_MAX_PAGES);
	t->pages[t->npages++] = page;
	return page;
}

/* Frees a page of the test early (the hardware must not touch it again). */
static void hwt_free_page(struct hwt *t, struct page *page)
{
	unsigned int i;

	for (i = 0; i < t->npages; i++) {
		if (t->pages[i] == page) {
			t->pages[i] = t->pages[--t->npages];
			__free_page(page);
			return;
		}
	}
	KUNIT_FAIL(t->test, "page not owned by the test");
}

static void *va_of(struct page *page)
{
	return page_address(page);
}

static u64 *hwt_entry(struct page *table, u64 va, int level)
{
	return (u64 *)va_of(table) + SVMGPU_PT_INDEX(va, level);
}

/* Writes the entry of @va at @level, creating tables above it. */
static void hwt_set_pte(struct hwt *t, u64 va, int level, u64 pte)
{
	struct page *table = t->root;
	int l;

	for (l = SVMGPU_PT_LEVELS - 1; l > level; l--) {
		u64 *e = hwt_entry(table, va, l);

		if (!(*e & SVMGPU_PTE_VALID)) {
			struct page *next = hwt_page(t);

			*e = page_to_phys(next) | SVMGPU_PTE_VALID;
		}
		table = pfn_to_page((*e & SVMGPU_PTE_ADDR_MASK) >> PAGE_SHIFT);
	}
	*hwt_entry(table, va, level) = pte;
}

static void hwt_map(struct hwt *t, u64 va, struct page *page, bool writable)
{
	hwt_set_pte(t, va, 0, page_to_phys(page) | SVMGPU_PTE_VALID |
		    (writable ? SVMGPU_PTE_WRITE : 0));
}

/* Maps @n fresh writable pages at @va; returns the first. */
static struct page **hwt_map_new(struct hwt *t, u64 va, unsigned int n,
				 struct page **out)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[i] = hwt_page(t);
		hwt_map(t, va + i * PAGE_SIZE, out[i], true);
	}
	return out;
}

static void hwt_invalidate(struct hwt *t, u64 start, u64 size)
{
	wr64(t, SVMGPU_REG_MMU_INVAL_ROOT_LO, page_to_phys(t->root));
	wr64(t, SVMGPU_REG_MMU_INVAL_START_LO, start);
	wr64(t, SVMGPU_REG_MMU_INVAL_SIZE_LO, size);
	wr(t, SVMGPU_REG_MMU_COMMAND, SVMGPU_MMU_CMD_INVALIDATE);
}

static void hwt_queue_setup(struct hwt *t, unsigned int slot, u32 engine,
			    u32 config)
{
	struct hwt_queue *q = &t->q[slot];

	if (!q->ring)
		q->ring = hwt_page(t);
	wr(t, SVMGPU_QUEUE_REG(slot, SVMGPU_Q_CONTROL), SVMGPU_Q_CTL_RESET);
	q->tail = 0;
	q->seqno = 0;
	wr64(t, SVMGPU_QUEUE_REG(slot, SVMGPU_Q_RING_BASE_LO),
	     page_to_phys(q->ring));
	qwr(t, slot, SVMGPU_Q_RING_SIZE, PAGE_SIZE);
	wr64(t, SVMGPU_QUEUE_REG(slot, SVMGPU_Q_PT_ROOT_LO),
	     page_to_phys(t->root));
	qwr(t, slot, SVMGPU_Q_ENGINE, engine);
	qwr(t, slot, SVMGPU_Q_CONFIG, config);
	qwr(t, slot, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_ENABLE);
}

static void hwt_ring_emit(struct hwt *t, unsigned int slot, const u32 *dw,
			  unsigned int n)
{
	struct hwt_queue *q = &t->q[slot];
	u32 *ring = va_of(q->ring);
	unsigned int i;

	for (i = 0; i < n; i++) {
		WRITE_ONCE(ring[q->tail / 4], dw[i]);
		q->tail = (q->tail + 4) % PAGE_SIZE;
	}
}

static void hwt_kick(struct hwt *t, unsigned int slot)
{
	wmb();	/* ring contents before TAIL */
	qwr(t, slot, SVMGPU_Q_TAIL, t->q[slot].tail);
	qwr(t, slot, SVMGPU_Q_DOORBELL, 1);
}

static void put64(u32 *dw, u64 v)
{
	dw[0] = lower_32_bits(v);
	dw[1] = upper_32_bits(v);
}

static void b_cmd(struct hwt_batch *b, u32 op, u32 flags, unsigned int dwords,
		  const u64 *ops)
{
	u32 *c = &b->dw[b->n];
	unsigned int i;

	c[0] = SVMGPU_CMD_HEADER(op, flags, dwords);
	c[1] = 0;
	for (i = 2; i < dwords; i += 2)
		put64(c + i, ops[i / 2 - 1]);
	b->n += dwords;
}

static void b_write(struct hwt_batch *b, u64 dst, u64 v, bool is64)
{
	u64 ops[] = { dst, v };

	b_cmd(b, SVMGPU_OP_WRITE, is64 ? SVMGPU_WRITE_64 : 0,
	      SVMGPU_WRITE_DWORDS, ops);
}

static void b_copy(struct hwt_batch *b, u64 dst, u64 src, u64 size)
{
	u64 ops[] = { dst, src, size };

	b_cmd(b, SVMGPU_OP_COPY, 0, SVMGPU_COPY_DWORDS, ops);
}

static void b_fill(struct hwt_batch *b, u64 dst, u64 size, u32 value)
{
	u64 ops[] = { dst, size, value };

	b_cmd(b, SVMGPU_OP_FILL, 0, SVMGPU_FILL_DWORDS, ops);
}

static void b_atomic(struct hwt_batch *b, u32 flags, u64 dst, u64 operand,
		     u64 compare, u64 ret)
{
	u64 ops[] = { dst, operand, compare, ret };

	b_cmd(b, SVMGPU_OP_ATOMIC, flags, SVMGPU_ATOMIC_DWORDS, ops);
}

static void b_wait(struct hwt_batch *b, u32 flags, u64 addr, u64 value,
		   u64 mask)
{
	u64 ops[] = { addr, value, mask };

	b_cmd(b, SVMGPU_OP_WAIT, flags, SVMGPU_WAIT_DWORDS, ops);
}

/* Copies the batch to the batch page and queues BATCH + FENCE. */
static void hwt_submit(struct hwt *t, unsigned int slot,
		       const struct hwt_batch *b)
{
	u32 ring[SVMGPU_BATCH_DWORDS + SVMGPU_FENCE_DWORDS];

	memcpy(va_of(t->batch), b->dw, b->n * 4);
	ring[0] = SVMGPU_CMD_HEADER(SVMGPU_OP_BATCH, 0, SVMGPU_BATCH_DWORDS);
	ring[1] = 0;
	put64(ring + 2, HWT_BATCH_VA);
	put64(ring + 4, b->n * 4);
	ring[6] = SVMGPU_CMD_HEADER(SVMGPU_OP_FENCE, 0, SVMGPU_FENCE_DWORDS);
	ring[7] = ++t->q[slot].seqno;
	hwt_ring_emit(t, slot, ring, ARRAY_SIZE(ring));
	hwt_kick(t, slot);
}

/* Polls until the slot's status is one of @mask (bits 1 << status). */
static u32 hwt_wait_status(struct hwt *t, unsigned int slot, u32 mask)
{
	unsigned long timeout = jiffies + 5 * HZ;
	u32 status;

	for (;;) {
		status = qrd(t, slot, SVMGPU_Q_STATUS);
		if (BIT(status) & mask || time_after(jiffies, timeout))
			return status;
		usleep_range(20, 50);
	}
}

/* Polls until register @offset reads @value; returns what it read. */
static u32 hwt_wait_reg(struct hwt *t, u32 offset, u32 value)
{
	unsigned long timeout = jiffies + 5 * HZ;
	u32 v;

	while ((v = rd(t, offset)) != value && time_before(jiffies, timeout))
		usleep_range(20, 50);
	return v;
}

/* Polls until the interrupt handler has seen @causes. */
static u32 hwt_wait_irq(struct hwt *t, u32 causes)
{
	unsigned long timeout = jiffies + 5 * HZ;

	while ((atomic_read(&t->irq_seen) & causes) != causes &&
	       time_before(jiffies, timeout))
		usleep_range(20, 50);
	return atomic_read(&t->irq_seen);
}

#define HWT_STOPPED	(BIT(SVMGPU_Q_STATUS_IDLE) | BIT(SVMGPU_Q_STATUS_ERROR) | \
			 BIT(SVMGPU_Q_STATUS_STALLED) | BIT(SVMGPU_Q_STATUS_DISABLED))

static u32 hwt_wait(struct hwt *t, unsigned int slot)
{
	return hwt_wait_status(t, slot, HWT_STOPPED);
}

/* Submits @b on slot 0 and expects it to complete. */
static void hwt_run_ok(struct hwt *t, const struct hwt_batch *b)
{
	hwt_submit(t, 0, b);
	KUNIT_ASSERT_EQ(t->test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_ASSERT_EQ(t->test, qrd(t, 0, SVMGPU_Q_SEQNO), t->q[0].seqno);
}

static void hwt_faultq_setup(struct hwt *t, u32 size)
{
	if (!t->faultq)
		t->faultq = hwt_page(t);
	wr64(t, SVMGPU_REG_FAULTQ_BASE_LO, page_to_phys(t->faultq));
	wr(t, SVMGPU_REG_FAULTQ_SIZE, size);
}

static const struct svmgpu_fault_record *hwt_fault(struct hwt *t, u32 index)
{
	const struct svmgpu_fault_record *recs = va_of(t->faultq);

	return &recs[index % rd(t, SVMGPU_REG_FAULTQ_SIZE)];
}

static int hwt_init(struct kunit *test)
{
	struct svmgpu_hw_config config = { .num_engines = 2 };
	struct hwt *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	test->priv = t;

	config.irq_handler = hwt_irq;
	config.irq_data = t;
	t->hw = svmgpu_hw_create(NULL, &config);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->hw));

	t->root = hwt_page(t);
	t->batch = hwt_page(t);
	hwt_map(t, HWT_BATCH_VA, t->batch, false);
	hwt_faultq_setup(t, HWT_FAULTQ_SIZE);
	wr(t, SVMGPU_REG_IRQ_MASK, SVMGPU_IRQ_QUEUE | SVMGPU_IRQ_FAULT);
	hwt_queue_setup(t, 0, 0, 0);
	return 0;
}

static void hwt_exit(struct kunit *test)
{
	struct hwt *t = test->priv;
	unsigned int i;

	if (!t)
		return;
	if (!IS_ERR_OR_NULL(t->hw))
		svmgpu_hw_destroy(t->hw);
	for (i = 0; i < t->npages; i++)
		__free_page(t->pages[i]);
}

static void hwt_registers(struct kunit *test)
{
	struct hwt *t = test->priv;

	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_ID), SVMGPU_ID_MAGIC);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_REVISION),
			SVMGPU_REVISION_CURRENT);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_MMU_VA_BITS), SVMGPU_VA_BITS);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_MMU_PAGE_SIZES),
			SVMGPU_PAGE_SIZE_4K | SVMGPU_PAGE_SIZE_2M |
			SVMGPU_PAGE_SIZE_1G);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_ENGINE_COUNT), 2);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_QUEUE_COUNT), SVMGPU_MAX_QUEUES);

	wr(t, SVMGPU_REG_SCRATCH, 0x12345678);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_SCRATCH), 0x12345678);
	wr(t, SVMGPU_REG_ID, 0);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_ID), SVMGPU_ID_MAGIC);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_SCRATCH + 1), 0);
	KUNIT_EXPECT_EQ(test, rd(t, 0x0ffc), 0);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_SPACE_SIZE), 0);

	/* A slot at power on; config registers only while disabled. */
	KUNIT_EXPECT_EQ(test, qrd(t, 5, SVMGPU_Q_STATUS),
			SVMGPU_Q_STATUS_DISABLED);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_IDLE);
	qwr(t, 0, SVMGPU_Q_RING_SIZE, 8192);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_RING_SIZE), PAGE_SIZE);
	qwr(t, 5, SVMGPU_Q_CONFIG, ~0u);
	KUNIT_EXPECT_EQ(test, qrd(t, 5, SVMGPU_Q_CONFIG),
			SVMGPU_Q_CONFIG_FAULT_STALL);

	/* Fault queue: bad sizes switch it off. */
	wr(t, SVMGPU_REG_FAULTQ_SIZE, 3);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_SIZE), 0);
	wr(t, SVMGPU_REG_FAULTQ_SIZE, 8192);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_SIZE), 0);
	wr64(t, SVMGPU_REG_FAULTQ_BASE_LO, page_to_phys(t->faultq) + 32);
	wr(t, SVMGPU_REG_FAULTQ_SIZE, HWT_FAULTQ_SIZE);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_SIZE), 0);
	hwt_faultq_setup(t, HWT_FAULTQ_SIZE);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_SIZE), HWT_FAULTQ_SIZE);
}

/* 4 KiB, 2 MiB and 1 GiB leaves all reach the same page. */
static void hwt_translate(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *page = hwt_page(t);
	phys_addr_t phys = page_to_phys(page);
	u64 va2m = HWT_2M_VA + (phys & (SZ_2M - 1));
	u64 va1g = HWT_1G_VA + (phys & (SZ_1G - 1));
	struct hwt_batch b = {};
	u32 *mem = va_of(page);

	hwt_map(t, HWT_DATA_VA, page, true);
	hwt_set_pte(t, HWT_2M_VA, 1, (phys & ~(u64)(SZ_2M - 1)) |
		    SVMGPU_PTE_VALID | SVMGPU_PTE_WRITE | SVMGPU_PTE_LEAF);
	hwt_set_pte(t, HWT_1G_VA, 2, (phys & ~(u64)(SZ_1G - 1)) |
		    SVMGPU_PTE_VALID | SVMGPU_PTE_WRITE | SVMGPU_PTE_LEAF);

	b_write(&b, HWT_DATA_VA + 0, 0x11111111, false);
	b_write(&b, va2m + 4, 0x22222222, false);
	b_write(&b, va1g + 8, 0x3333333344444444ull, true);
	/* Read through the large leaves, write through the small one. */
	b_copy(&b, HWT_DATA_VA + 16, va1g + 8, 8);
	b_copy(&b, HWT_DATA_VA + 24, va2m, 8);
	hwt_run_ok(t, &b);

	KUNIT_EXPECT_EQ(test, mem[0], 0x11111111);
	KUNIT_EXPECT_EQ(test, mem[1], 0x22222222);
	KUNIT_EXPECT_EQ(test, mem[2], 0x44444444);
	KUNIT_EXPECT_EQ(test, mem[3], 0x33333333);
	KUNIT_EXPECT_EQ(test, mem[4], 0x44444444);
	KUNIT_EXPECT_EQ(test, mem[5], 0x33333333);
	KUNIT_EXPECT_EQ(test, mem[6], 0x11111111);
	KUNIT_EXPECT_EQ(test, mem[7], 0x22222222);
}

static void hwt_cmd_write_fill(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *pages[3];
	struct hwt_batch b = {};
	u32 *p0, *p1, i;

	hwt_map_new(t, HWT_DATA_VA, 3, pages);
	p0 = va_of(pages[0]);
	p1 = va_of(pages[1]);
	memset(p0, 0xee, PAGE_SIZE);
	memset(p1, 0xee, PAGE_SIZE);

	b_write(&b, HWT_DATA_VA, 0xaabbccdd11223344ull, false);
	b_write(&b, HWT_DATA_VA + 8, 0xaabbccdd11223344ull, true);
	/* From the end of page 0 over the start of page 1. */
	b_fill(&b, HWT_DATA_VA + PAGE_SIZE - 64, 128, 0xcafef00d);
	b_fill(&b, HWT_DATA_VA + 2 * PAGE_SIZE, 0, 0x1);
	hwt_run_ok(t, &b);

	KUNIT_EXPECT_EQ(test, p0[0], 0x11223344);
	KUNIT_EXPECT_EQ(test, p0[1], 0xeeeeeeee);
	KUNIT_EXPECT_EQ(test, p0[2], 0x11223344);
	KUNIT_EXPECT_EQ(test, p0[3], 0xaabbccdd);
	KUNIT_EXPECT_EQ(test, p0[PAGE_SIZE / 4 - 17], 0xeeeeeeee);
	for (i = 0; i < 16; i++) {
		KUNIT_EXPECT_EQ(test, p0[PAGE_SIZE / 4 - 16 + i], 0xcafef00d);
		KUNIT_EXPECT_EQ(test, p1[i], 0xcafef00d);
	}
	KUNIT_EXPECT_EQ(test, p1[16], 0xeeeeeeee);
}

/* Fills @n bytes at @p with a position-dependent pattern. */
static void hwt_pattern(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(i * 7 + seed + (i >> 8));
}

static void hwt_cmd_copy(struct kunit *test)
{
	struct hwt *t = test->priv;
	/* 20 source and 20 destination pages: more than one step's worth. */
	enum { N = 20 };
	struct page *src[N], *dst[N];
	u64 src_va = HWT_DATA_VA, dst_va = HWT_DATA_VA + 0x100000;
	size_t size = (N - 1) * PAGE_SIZE + 100;
	struct hwt_batch b = {};
	u8 *expect, *dbg;
	unsigned int i;

	hwt_map_new(t, src_va, N, src);
	hwt_map_new(t, dst_va, N, dst);
	expect = kunit_kzalloc(test, N * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, expect);
	for (i = 0; i < N; i++)
		hwt_pattern(va_of(src[i]), PAGE_SIZE, i);

	/* Unaligned, page-crossing, more than SVMGPU_HW_STEP_BYTES. */
	b_copy(&b, dst_va + 3, src_va + 5, size);
	b_copy(&b, dst_va, src_va, 0);
	hwt_run_ok(t, &b);

	for (i = 0; i < N; i++)
		memcpy(expect + i * PAGE_SIZE, va_of(src[i]), PAGE_SIZE);
	for (i = 0; i < N; i++) {
		dbg = va_of(dst[i]);
		if (i == 0) {
			KUNIT_EXPECT_EQ(test, dbg[0], 0);
			KUNIT_EXPECT_EQ(test, dbg[2], 0);
			KUNIT_EXPECT_EQ(test, memcmp(dbg + 3, expect + 5,
						     PAGE_SIZE - 3), 0);
		} else if (i < N - 1) {
			KUNIT_EXPECT_EQ(test, memcmp(dbg, expect + i * PAGE_SIZE + 2,
						     PAGE_SIZE), 0);
		} else {
			KUNIT_EXPECT_EQ(test, memcmp(dbg, expect + i * PAGE_SIZE + 2,
						     103), 0);
			KUNIT_EXPECT_EQ(test, dbg[103], 0);
		}
	}
}

/* Overlapping copies behave as memmove, in both directions. */
static void hwt_cmd_copy_overlap(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *pages[3];
	size_t len = PAGE_SIZE + 1000;
	struct hwt_batch b = {};
	u8 *buf, *mem[3], *orig;
	unsigned int i;

	hwt_map_new(t, HWT_DATA_VA, 3, pages);
	buf = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	orig = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, orig);
	for (i = 0; i < 3; i++) {
		mem[i] = va_of(pages[i]);
		hwt_pattern(mem[i], PAGE_SIZE, 3 * i);
		memcpy(orig + i * PAGE_SIZE, mem[i], PAGE_SIZE);
	}

	/* Up by 77 bytes, then down by 1500. */
	b_copy(&b, HWT_DATA_VA + 100 + 77, HWT_DATA_VA + 100, len);
	b_copy(&b, HWT_DATA_VA + 10, HWT_DATA_VA + 1510, len);
	hwt_run_ok(t, &b);

	memmove(orig + 100 + 77, orig + 100, len);
	memmove(orig + 10, orig + 1510, len);
	for (i = 0; i < 3; i++)
		memcpy(buf + i * PAGE_SIZE, mem[i], PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(buf, orig, 3 * PAGE_SIZE), 0);
}

static void hwt_cmd_atomic(struct kunit *test)
{
	static const struct {
		u32 flags;
		u64 init, operand, compare, result;
	} cases[] = {
		{ SVMGPU_ATOMIC_ADD, 5, 3, 0, 8 },
		{ SVMGPU_ATOMIC_ADD, 0xffffffff, 2, 0, 1 },
		{ SVMGPU_ATOMIC_ADD | SVMGPU_ATOMIC_64, 0xffffffff, 2, 0,
		  0x100000001ull },
		{ SVMGPU_ATOMIC_XCHG, 5, 9, 0, 9 },
		{ SVMGPU_ATOMIC_XCHG | SVMGPU_ATOMIC_64, 5, ~0ull, 0, ~0ull },
		{ SVMGPU_ATOMIC_CMPXCHG, 5, 9, 5, 9 },
		{ SVMGPU_ATOMIC_CMPXCHG, 5, 9, 4, 5 },
		{ SVMGPU_ATOMIC_CMPXCHG | SVMGPU_ATOMIC_64, 1ull << 40, 2,
		  1ull << 40, 2 },
		{ SVMGPU_ATOMIC_MIN, 5, 0xfffffffe, 0, 5 },
		{ SVMGPU_ATOMIC_MIN | SVMGPU_ATOMIC_SIGNED, 5, 0xfffffffe, 0,
		  0xfffffffe },
		{ SVMGPU_ATOMIC_MAX, 5, 0xfffffffe, 0, 0xfffffffe },
		{ SVMGPU_ATOMIC_MAX | SVMGPU_ATOMIC_SIGNED, 5, 0xfffffffe, 0, 5 },
		{ SVMGPU_ATOMIC_MAX | SVMGPU_ATOMIC_64 | SVMGPU_ATOMIC_SIGNED,
		  ~0ull, 1, 0, 1 },
		{ SVMGPU_ATOMIC_MIN | SVMGPU_ATOMIC_64, ~0ull, 1, 0, 1 },
	};
	struct hwt *t = test->priv;
	struct page *page = hwt_page(t);
	u64 *mem = va_of(page);
	struct hwt_batch b = {};
	unsigned int i;

	hwt_map(t, HWT_DATA_VA, page, true);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		mem[2 * i] = cases[i].init;
		mem[2 * i + 1] = 0xdeaddeaddeaddeadull;
		b_atomic(&b, cases[i].flags, HWT_DATA_VA + 16 * i,
			 cases[i].operand, cases[i].compare,
			 HWT_DATA_VA + 16 * i + 8);
	}
	/* No return address: nothing else is written. */
	mem[40] = 1;
	b_atomic(&b, SVMGPU_ATOMIC_ADD, HWT_DATA_VA + 320, 1, 0, 0);
	hwt_run_ok(t, &b);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool is64 = cases[i].flags & SVMGPU_ATOMIC_64;
		u64 init = cases[i].init, old = mem[2 * i + 1];

		KUNIT_EXPECT_EQ_MSG(test, is64 ? mem[2 * i] : (u32)mem[2 * i],
				    cases[i].result, "case %u", i);
		if (is64)
			KUNIT_EXPECT_EQ_MSG(test, old, init, "case %u", i);
		else
			KUNIT_EXPECT_EQ_MSG(test, old,
					    0xdeaddead00000000ull | (u32)init,
					    "case %u", i);
	}
	KUNIT_EXPECT_EQ(test, mem[40], 2);
	KUNIT_EXPECT_EQ(test, mem[41], 0);
}

static void hwt_cmd_timestamp_user_fence(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *page = hwt_page(t);
	u64 *mem = va_of(page), before, after;
	u64 ts[] = { HWT_DATA_VA }, ts2[] = { HWT_DATA_VA + 32 };
	u64 uf[] = { HWT_DATA_VA + 8, 0x1234567890ull };
	u64 uf2[] = { HWT_DATA_VA + 16, 77 };
	struct hwt_batch b = {};

	hwt_map(t, HWT_DATA_VA, page, true);
	b_cmd(&b, SVMGPU_OP_TIMESTAMP, 0, SVMGPU_TIMESTAMP_DWORDS, ts);
	b_cmd(&b, SVMGPU_OP_TIMESTAMP, 0, SVMGPU_TIMESTAMP_DWORDS, ts2);
	b_cmd(&b, SVMGPU_OP_USER_FENCE, 0, SVMGPU_USER_FENCE_DWORDS, uf);
	b_cmd(&b, SVMGPU_OP_NOP, 0, SVMGPU_NOP_DWORDS, NULL);
	b_cmd(&b, SVMGPU_OP_END, 0, SVMGPU_END_DWORDS, NULL);
	/* After END: never executed. */
	b_cmd(&b, SVMGPU_OP_USER_FENCE, 0, SVMGPU_USER_FENCE_DWORDS, uf2);

	before = ktime_get_ns();
	hwt_run_ok(t, &b);
	after = ktime_get_ns();
	KUNIT_EXPECT_GE(test, mem[0], before);
	KUNIT_EXPECT_LE(test, mem[0], after);
	/* Never backwards (equal on a coarse clock). */
	KUNIT_EXPECT_GE(test, mem[4], mem[0]);
	KUNIT_EXPECT_LE(test, mem[4], after);
	KUNIT_EXPECT_EQ(test, mem[1], 0x1234567890ull);
	KUNIT_EXPECT_EQ(test, mem[2], 0);

	/* USER_FENCE with IRQ raises the queue interrupt on its own. */
	b.n = 0;
	wr(t, SVMGPU_REG_QUEUE_IRQ_PENDING(0), ~0u);
	b_cmd(&b, SVMGPU_OP_USER_FENCE, SVMGPU_USER_FENCE_IRQ,
	      SVMGPU_USER_FENCE_DWORDS, uf2);
	b_cmd(&b, SVMGPU_OP_WAIT, SVMGPU_WAIT_EQ, SVMGPU_WAIT_DWORDS,
	      (u64[]){ HWT_DATA_VA + 24, 1, ~0ull });
	hwt_submit(t, 0, &b);
	KUNIT_EXPECT_EQ(test, hwt_wait_status(t, 0, BIT(SVMGPU_Q_STATUS_WAITING)),
			SVMGPU_Q_STATUS_WAITING);
	KUNIT_EXPECT_EQ(test, mem[2], 77);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_QUEUE_IRQ_PENDING(0)), BIT(0));
	KUNIT_EXPECT_NE(test, qrd(t, 0, SVMGPU_Q_SEQNO), t->q[0].seqno);
	WRITE_ONCE(mem[3], 1);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
}

/* FENCE: SEQNO, the pending bit, IRQ_STATUS and the handler. */
static void hwt_fence_irq(struct kunit *test)
{
	struct hwt *t = test->priv;
	u32 fence[] = { SVMGPU_CMD_HEADER(SVMGPU_OP_FENCE, 0, 2), 0xf00d };
	u32 nop[] = { SVMGPU_CMD_HEADER(SVMGPU_OP_NOP, 0, 2), 0 };

	wr(t, SVMGPU_REG_IRQ_MASK, 0);
	atomic_set(&t->irq_calls, 0);
	hwt_ring_emit(t, 0, nop, 2);
	hwt_ring_emit(t, 0, fence, 2);
	hwt_kick(t, 0);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_SEQNO), 0xf00d);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_HEAD), 16);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_QUEUE_IRQ_PENDING(0)), BIT(0));
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_IRQ_STATUS), SVMGPU_IRQ_QUEUE);
	/* Masked: the line stayed down. */
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irq_calls), 0);

	/* Unmasking a pending cause raises it. */
	wr(t, SVMGPU_REG_IRQ_MASK, SVMGPU_IRQ_QUEUE | SVMGPU_IRQ_FAULT);
	KUNIT_EXPECT_EQ(test, hwt_wait_irq(t, SVMGPU_IRQ_QUEUE),
			SVMGPU_IRQ_QUEUE);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_IRQ_STATUS), 0);
	wr(t, SVMGPU_REG_QUEUE_IRQ_PENDING(0), BIT(0));
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_QUEUE_IRQ_PENDING(0)), 0);

	/* Unmasked: the handler runs for the next fence. */
	atomic_set(&t->irq_calls, 0);
	atomic_set(&t->irq_seen, 0);
	fence[1] = 0xf00e;
	hwt_ring_emit(t, 0, fence, 2);
	hwt_kick(t, 0);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_SEQNO), 0xf00e);
	KUNIT_EXPECT_EQ(test, hwt_wait_irq(t, SVMGPU_IRQ_QUEUE),
			SVMGPU_IRQ_QUEUE);
}

/* Every malformed command stops the queue with BAD_COMMAND. */
static void hwt_bad_commands(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *page = hwt_page(t);
	const u64 d = HWT_DATA_VA;
	struct hwt_batch b;
	unsigned int i;

	hwt_map(t, HWT_DATA_VA, page, true);
	for (i = 0; ; i++) {
		memset(&b, 0, sizeof(b));
		switch (i) {
		case 0:		/* unknown opcode */
			b_cmd(&b, 0x7f, 0, 2, NULL);
			break;
		case 1:		/* a reserved compute opcode */
			b_cmd(&b, SVMGPU_OP_DISPATCH_LAST, 0, 2, NULL);
			break;
		case 2:		/* wrong length */
			b_cmd(&b, SVMGPU_OP_WRITE, 0, 8, (u64[]){ d, 1, 0 });
			break;
		case 3:		/* reserved dword */
			b_write(&b, d, 1, false);
			b.dw[1] = 1;
			break;
		case 4:		/* misaligned 64-bit write */
			b_write(&b, d + 4, 1, true);
			break;
		case 5:		/* misaligned fill size */
			b_fill(&b, d, 6, 0);
			break;
		case 6:		/* unknown flag */
			b_cmd(&b, SVMGPU_OP_WRITE, 0x80, 6, (u64[]){ d, 1 });
			break;
		case 7:		/* ring command in a batch */
			b_cmd(&b, SVMGPU_OP_FENCE, 0, 2, NULL);
			break;
		case 8:		/* unknown atomic operation */
			b_atomic(&b, 5, d, 1, 0, 0);
			break;
		case 9:		/* unknown wait comparison */
			b_wait(&b, 6, d, 0, ~0ull);
			break;
		case 10:	/* misaligned atomic return address */
			b_atomic(&b, SVMGPU_ATOMIC_64, d, 1, 0, d + 12);
			break;
		case 11:	/* command longer than what is left of the batch */
			b_write(&b, d, 1, false);
			b.n -= 2;
			break;
		case 12:	/* misaligned timestamp */
			b_cmd(&b, SVMGPU_OP_TIMESTAMP, 0, 4, (u64[]){ d + 4 });
			break;
		default:
			return;
		}
		hwt_queue_setup(t, 0, 0, 0);
		hwt_submit(t, 0, &b);
		KUNIT_EXPECT_EQ_MSG(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR,
				    "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, qrd(t, 0, SVMGPU_Q_ERROR),
				    SVMGPU_Q_ERR_BAD_COMMAND, "case %u", i);
		/* HEAD stays on the BATCH; the fence never came. */
		KUNIT_EXPECT_EQ_MSG(test, qrd(t, 0, SVMGPU_Q_HEAD), 0,
				    "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, qrd(t, 0, SVMGPU_Q_SEQNO), 0,
				    "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, rd(t, SVMGPU_REG_QUEUE_IRQ_PENDING(0)),
				    BIT(0), "case %u", i);
		/* Nothing was written. */
		KUNIT_EXPECT_EQ_MSG(test, *(u64 *)va_of(page), 0, "case %u", i);
	}
}

/* Bad ring commands and bad ring programming. */
static void hwt_bad_ring(struct kunit *test)
{
	struct hwt *t = test->priv;
	u64 ops[] = { HWT_DATA_VA, 0, 0 };
	struct hwt_batch b = {};
	u32 cmd[2];

	/* A batch command in the ring. */
	b_copy(&b, HWT_DATA_VA, HWT_DATA_VA, 0);
	hwt_ring_emit(t, 0, b.dw, b.n);
	hwt_kick(t, 0);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_BAD_COMMAND);

	/* A misaligned batch. */
	hwt_queue_setup(t, 0, 0, 0);
	b.n = 0;
	b_cmd(&b, SVMGPU_OP_BATCH, 0, SVMGPU_BATCH_DWORDS, ops);
	b.dw[2] = 4;
	hwt_ring_emit(t, 0, b.dw, b.n);
	hwt_kick(t, 0);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_BAD_COMMAND);

	/* A command running past TAIL. */
	hwt_queue_setup(t, 0, 0, 0);
	cmd[0] = SVMGPU_CMD_HEADER(SVMGPU_OP_BATCH, 0, SVMGPU_BATCH_DWORDS);
	cmd[1] = 0;
	hwt_ring_emit(t, 0, cmd, 2);
	hwt_kick(t, 0);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_BAD_RING);

	/* A misaligned TAIL. */
	hwt_queue_setup(t, 0, 0, 0);
	qwr(t, 0, SVMGPU_Q_TAIL, 4);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_BAD_RING);

	/* ENABLE with a bad ring size, a missing engine, no memory. */
	hwt_queue_setup(t, 0, 0, 0);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESET);
	qwr(t, 0, SVMGPU_Q_RING_SIZE, 3 * PAGE_SIZE);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_ENABLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_BAD_RING);
	hwt_queue_setup(t, 0, 2, 0);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_BAD_RING);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESET);
	wr64(t, SVMGPU_QUEUE_REG(0, SVMGPU_Q_RING_BASE_LO), HWT_BAD_ADDR);
	qwr(t, 0, SVMGPU_Q_ENGINE, 0);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_ENABLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_BAD_RING);
	/* ENABLE does not clear an error; RESET does. */
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_ENABLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_ERROR);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESET);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS),
			SVMGPU_Q_STATUS_DISABLED);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_NONE);
}

/* A batch that ends exactly at the ring's end and one that wraps. */
static void hwt_ring_wrap(struct kunit *test)
{
	struct hwt *t = test->priv;
	u32 nop[] = { SVMGPU_CMD_HEADER(SVMGPU_OP_NOP, 0, 2), 0 };
	struct page *page = hwt_page(t);
	struct hwt_batch b = {};
	unsigned int i;

	hwt_map(t, HWT_DATA_VA, page, true);
	/* 511 NOPs: the next BATCH starts 8 bytes before the end. */
	for (i = 0; i < 511; i++)
		hwt_ring_emit(t, 0, nop, 2);
	hwt_kick(t, 0);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_HEAD), 511 * 8);

	b_write(&b, HWT_DATA_VA, 42, false);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, *(u32 *)va_of(page), 42);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_HEAD), 24);
}

static void hwt_expect_fault(struct hwt *t, u32 index, u64 va, u8 access,
			     u8 reason, u8 flags)
{
	const struct svmgpu_fault_record *rec = hwt_fault(t, index);
	struct kunit *test = t->test;

	KUNIT_EXPECT_EQ(test, rec->va, va);
	KUNIT_EXPECT_EQ(test, rec->pt_root, page_to_phys(t->root));
	KUNIT_EXPECT_EQ(test, rec->queue, 0);
	KUNIT_EXPECT_EQ(test, rec->access, access);
	KUNIT_EXPECT_EQ(test, rec->reason, reason);
	KUNIT_EXPECT_EQ(test, rec->engine, 0);
	KUNIT_EXPECT_EQ(test, rec->flags, flags);
	KUNIT_EXPECT_EQ(test, rec->detail, 0);
	KUNIT_EXPECT_EQ(test, rec->pc, 0);
}

/* Aborting faults of every kind: record, ERROR, interrupts. */
static void hwt_fault_abort(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *ro = hwt_page(t), *page = hwt_page(t);
	const u64 unmapped = HWT_DATA_VA + 0x10000;
	const u64 ro_va = HWT_DATA_VA + PAGE_SIZE;
	struct hwt_batch b;
	unsigned int i;
	u64 va;
	u8 access, reason;

	hwt_map(t, HWT_DATA_VA, page, true);
	hwt_map(t, ro_va, ro, false);
	/* Entries that are wrong in each way the MMU checks. */
	hwt_set_pte(t, 0x600000000ull, 0, page_to_phys(page) |
		    SVMGPU_PTE_VALID | SVMGPU_PTE_WRITE | BIT_ULL(5));
	hwt_set_pte(t, 0x700000000ull, 1,
		    ((page_to_phys(page) & ~(u64)(SZ_2M - 1)) + PAGE_SIZE) |
		    SVMGPU_PTE_VALID | SVMGPU_PTE_WRITE | SVMGPU_PTE_LEAF);
	hwt_set_pte(t, 0x800000000ull, 0, HWT_BAD_ADDR | SVMGPU_PTE_VALID |
		    SVMGPU_PTE_WRITE);
	hwt_set_pte(t, 1ull << 40, 3, SVMGPU_PTE_VALID | SVMGPU_PTE_LEAF);
	hwt_set_pte(t, 0x900000000ull, 1, HWT_BAD_ADDR | SVMGPU_PTE_VALID);
	/* The last page of the address space. */
	hwt_map(t, (1ull << SVMGPU_VA_BITS) - PAGE_SIZE, page, true);

	for (i = 0; ; i++) {
		memset(&b, 0, sizeof(b));
		switch (i) {
		case 0:
			va = unmapped + 8;
			b_write(&b, va, 1, true);
			access = SVMGPU_ACCESS_WRITE;
			reason = SVMGPU_FAULT_NOT_PRESENT;
			break;
		case 1:
			va = ro_va + 16;
			b_write(&b, va, 1, false);
			access = SVMGPU_ACCESS_WRITE;
			reason = SVMGPU_FAULT_WRITE_PROTECT;
			break;
		case 2:
			va = ro_va + 24;
			b_atomic(&b, SVMGPU_ATOMIC_ADD, va, 1, 0, 0);
			access = SVMGPU_ACCESS_ATOMIC;
			reason = SVMGPU_FAULT_WRITE_PROTECT;
			break;
		case 3:		/* read side of a copy */
			va = unmapped + 3;
			b_copy(&b, HWT_DATA_VA, va, 4);
			access = SVMGPU_ACCESS_READ;
			reason = SVMGPU_FAULT_NOT_PRESENT;
			break;
		case 4:		/* reserved bit */
			va = 0x600000000ull;
			b_write(&b, va, 1, false);
			access = SVMGPU_ACCESS_WRITE;
			reason = SVMGPU_FAULT_BAD_PTE;
			break;
		case 5:		/* misaligned 2 MiB leaf */
			va = 0x700000000ull + 64;
			b_write(&b, va, 1, false);
			access = SVMGPU_ACCESS_WRITE;
			reason = SVMGPU_FAULT_BAD_PTE;
			break;
		case 6:		/* page that is not memory */
			va = 0x800000000ull;
			b_write(&b, va, 1, false);
			access = SVMGPU_ACCESS_WRITE;
			reason = SVMGPU_FAULT_BAD_PTE;
			break;
		case 7:		/* leaf at level 3 */
			va = (1ull << 40) + 8;
			b_wait(&b, SVMGPU_WAIT_EQ, va, 0, 0);
			access = SVMGPU_ACCESS_READ;
			reason = SVMGPU_FAULT_BAD_PTE;
			break;
		case 8:		/* table that is not memory */
			va = 0x900000000ull;
			b_write(&b, va, 1, false);
			access = SVMGPU_ACCESS_WRITE;
			reason = SVMGPU_FAULT_BAD_PTE;
			break;
		case 9:
			va = 1ull << SVMGPU_VA_BITS;
			b_write(&b, va, 1, false);
			access = SVMGPU_ACCESS_WRITE;
			reason = SVMGPU_FAULT_OUT_OF_RANGE;
			break;
		case 10:	/* a write running off the end of the space */
			va = 1ull << SVMGPU_VA_BITS;
			b_fill(&b, va - 8, 16, 0);
			access = SVMGPU_ACCESS_WRITE;
			reason = SVMGPU_FAULT_OUT_OF_RANGE;
			break;
		default:
			KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_PUT), i);
			KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_DROPPED), 0);
			return;
		}
		hwt_queue_setup(t, 0, 0, 0);
		atomic_set(&t->irq_seen, 0);
		wr(t, SVMGPU_REG_QUEUE_IRQ_PENDING(0), ~0u);
		hwt_submit(t, 0, &b);
		KUNIT_EXPECT_EQ_MSG(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR,
				    "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, qrd(t, 0, SVMGPU_Q_ERROR),
				    SVMGPU_Q_ERR_FAULT, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, rd(t, SVMGPU_REG_FAULTQ_PUT), i + 1,
				    "case %u", i);
		hwt_expect_fault(t, i, va, access, reason, 0);
		KUNIT_EXPECT_EQ_MSG(test, rd(t, SVMGPU_REG_QUEUE_IRQ_PENDING(0)),
				    BIT(0), "case %u", i);
		/* An aborting fault raises both causes. */
		KUNIT_EXPECT_EQ_MSG(test,
				    hwt_wait_irq(t, SVMGPU_IRQ_QUEUE |
						 SVMGPU_IRQ_FAULT),
				    SVMGPU_IRQ_QUEUE | SVMGPU_IRQ_FAULT,
				    "case %u", i);
		wr(t, SVMGPU_REG_FAULTQ_GET, i + 1);
	}
}

/* Stall mode: STALLED, fix the tables, RESUME replays the access. */
static void hwt_fault_stall_resume(struct kunit *test)
{
	struct hwt *t = test->priv;
	enum { N = 4 };
	struct page *src[N], *dst[N], *ret;
	const u64 src_va = HWT_DATA_VA, dst_va = HWT_DATA_VA + 0x10000;
	const u64 ret_va = HWT_DATA_VA + 0x20000;
	struct hwt_batch b = {};
	unsigned int i;
	u64 *counter;

	hwt_queue_setup(t, 0, 0, SVMGPU_Q_CONFIG_FAULT_STALL);
	hwt_map_new(t, src_va, N, src);
	for (i = 0; i < N; i++)
		hwt_pattern(va_of(src[i]), PAGE_SIZE, i);
	/* Destination pages 0 and 1 present, 2 and 3 not yet. */
	for (i = 0; i < N; i++)
		dst[i] = hwt_page(t);
	hwt_map(t, dst_va, dst[0], true);
	hwt_map(t, dst_va + PAGE_SIZE, dst[1], true);
	/* The atomic's target is present, its return address is not. */
	counter = va_of(src[N - 1]) + PAGE_SIZE - 8;
	*counter = 10;

	b_copy(&b, dst_va, src_va, N * PAGE_SIZE - 8);
	b_atomic(&b, SVMGPU_ATOMIC_ADD | SVMGPU_ATOMIC_64,
		 src_va + N * PAGE_SIZE - 8, 5, 0, ret_va);
	hwt_submit(t, 0, &b);

	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_STALLED);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_PUT), 1);
	hwt_expect_fault(t, 0, dst_va + 2 * PAGE_SIZE, SVMGPU_ACCESS_WRITE,
			 SVMGPU_FAULT_NOT_PRESENT, SVMGPU_FAULT_FLAG_STALLED);
	/* Stalls are not queue interrupts. */
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_QUEUE_IRQ_PENDING(0)), 0);
	/* RESUME without a fix faults again at the same place. */
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESUME);
	KUNIT_ASSERT_EQ(test, hwt_wait_reg(t, SVMGPU_REG_FAULTQ_PUT, 2), 2);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_STALLED);
	hwt_expect_fault(t, 1, dst_va + 2 * PAGE_SIZE, SVMGPU_ACCESS_WRITE,
			 SVMGPU_FAULT_NOT_PRESENT, SVMGPU_FAULT_FLAG_STALLED);

	hwt_map(t, dst_va + 2 * PAGE_SIZE, dst[2], true);
	hwt_map(t, dst_va + 3 * PAGE_SIZE, dst[3], true);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESUME);
	KUNIT_ASSERT_EQ(test, hwt_wait_reg(t, SVMGPU_REG_FAULTQ_PUT, 3), 3);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_STALLED);
	hwt_expect_fault(t, 2, ret_va, SVMGPU_ACCESS_WRITE,
			 SVMGPU_FAULT_NOT_PRESENT, SVMGPU_FAULT_FLAG_STALLED);
	/* The operation happened once; only its return write is left. */
	KUNIT_EXPECT_EQ(test, *counter, 15);

	ret = hwt_page(t);
	hwt_map(t, ret_va, ret, true);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESUME);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_SEQNO), t->q[0].seqno);
	KUNIT_EXPECT_EQ(test, *counter, 15);
	KUNIT_EXPECT_EQ(test, *(u64 *)va_of(ret), 10);
	for (i = 0; i < N; i++)
		KUNIT_EXPECT_EQ(test, memcmp(va_of(dst[i]), va_of(src[i]),
					     i == N - 1 ? PAGE_SIZE - 8 :
					     PAGE_SIZE), 0);
}

/*
 * A long COPY is split among the engine's DMA channels: the first fault in
 * address order is the one reported, however the chunks were shared out,
 * and RESUME finishes the copy with every byte right.
 */
static void hwt_cmd_copy_split(struct kunit *test)
{
	struct hwt *t = test->priv;
	/* 288 KiB: a split step (256 KiB or more left) of 5 chunks. */
	enum { N = 72, HOLE_A = 40, HOLE_B = 60 };
	const u64 src_va = HWT_DATA_VA, dst_va = HWT_DATA_VA + 0x100000;
	const size_t size = N * PAGE_SIZE - 24;
	struct page **src, **dst;
	struct hwt_batch b = {};
	unsigned int i;

	src = kunit_kcalloc(test, N, sizeof(*src), GFP_KERNEL);
	dst = kunit_kcalloc(test, N, sizeof(*dst), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);

	hwt_queue_setup(t, 0, 0, SVMGPU_Q_CONFIG_FAULT_STALL);
	hwt_map_new(t, src_va, N, src);
	for (i = 0; i < N; i++) {
		hwt_pattern(va_of(src[i]), PAGE_SIZE, i);
		dst[i] = hwt_page(t);
		if (i != HOLE_A && i != HOLE_B)
			hwt_map(t, dst_va + i * PAGE_SIZE, dst[i], true);
	}

	b_copy(&b, dst_va + 8, src_va + 16, size);
	hwt_submit(t, 0, &b);

	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_STALLED);
	hwt_expect_fault(t, 0, dst_va + HOLE_A * PAGE_SIZE, SVMGPU_ACCESS_WRITE,
			 SVMGPU_FAULT_NOT_PRESENT, SVMGPU_FAULT_FLAG_STALLED);
	hwt_map(t, dst_va + HOLE_A * PAGE_SIZE, dst[HOLE_A], true);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESUME);
	KUNIT_ASSERT_EQ(test, hwt_wait_reg(t, SVMGPU_REG_FAULTQ_PUT, 2), 2);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_STALLED);
	hwt_expect_fault(t, 1, dst_va + HOLE_B * PAGE_SIZE, SVMGPU_ACCESS_WRITE,
			 SVMGPU_FAULT_NOT_PRESENT, SVMGPU_FAULT_FLAG_STALLED);
	hwt_map(t, dst_va + HOLE_B * PAGE_SIZE, dst[HOLE_B], true);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESUME);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_SEQNO), t->q[0].seqno);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_PUT), 2);

	/* Destination byte k (from 8 on) is source byte k + 8. */
	for (i = 0; i < N; i++) {
		u8 *d = va_of(dst[i]);
		const u8 *s = va_of(src[i]);

		if (i == 0)
			KUNIT_EXPECT_NULL(test, memchr_inv(d, 0, 8));
		if (i < N - 1) {
			unsigned int start = i ? 0 : 8;

			KUNIT_EXPECT_EQ(test, memcmp(d + start, s + start + 8,
						     PAGE_SIZE - 8 - start), 0);
			KUNIT_EXPECT_EQ(test, memcmp(d + PAGE_SIZE - 8,
						     va_of(src[i + 1]), 8), 0);
		} else {
			KUNIT_EXPECT_EQ(test, memcmp(d, s + 8, PAGE_SIZE - 16),
					0);
			KUNIT_EXPECT_NULL(test,
					  memchr_inv(d + PAGE_SIZE - 16, 0, 16));
		}
	}
}

/* A full fault queue drops records and counts them. */
static void hwt_fault_queue_full(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct hwt_batch b = {};
	unsigned int i;

	hwt_faultq_setup(t, 2);
	for (i = 0; i < 3; i++) {
		hwt_queue_setup(t, 0, 0, 0);
		b.n = 0;
		b_write(&b, HWT_DATA_VA + 8 * i, 1, false);
		hwt_submit(t, 0, &b);
		KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR);
	}
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_PUT), 2);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_DROPPED), 1);
	hwt_expect_fault(t, 1, HWT_DATA_VA + 8, SVMGPU_ACCESS_WRITE,
			 SVMGPU_FAULT_NOT_PRESENT, 0);
	/* GET cannot pass PUT. */
	wr(t, SVMGPU_REG_FAULTQ_GET, 3);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_GET), 0);
	wr(t, SVMGPU_REG_FAULTQ_GET, 2);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_REG_FAULTQ_GET), 2);
}

/*
 * Without invalidation the TLB keeps using the old page; after it the
 * engine walks the new tables and never touches the old page again, which
 * is freed right away (KASAN reports any later access).
 */
static void hwt_invalidate_test(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *a = hwt_page(t), *b_page = hwt_page(t);
	struct page *n1 = hwt_page(t), *n2 = hwt_page(t);
	u32 *pa = va_of(a), *pb = va_of(b_page);
	struct hwt_batch b = {};

	hwt_map(t, HWT_DATA_VA, a, true);
	b_write(&b, HWT_DATA_VA, 1, false);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, pa[0], 1);

	/* Remap without invalidating: the cached translation is used. */
	hwt_map(t, HWT_DATA_VA, b_page, true);
	b.n = 0;
	b_write(&b, HWT_DATA_VA + 4, 2, false);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, pa[1], 2);
	KUNIT_EXPECT_EQ(test, pb[1], 0);

	/* Invalidating another range or another root changes nothing. */
	hwt_invalidate(t, HWT_DATA_VA + PAGE_SIZE, PAGE_SIZE);
	wr64(t, SVMGPU_REG_MMU_INVAL_ROOT_LO, page_to_phys(b_page));
	wr64(t, SVMGPU_REG_MMU_INVAL_START_LO, 0);
	wr64(t, SVMGPU_REG_MMU_INVAL_SIZE_LO, ~0ull);
	wr(t, SVMGPU_REG_MMU_COMMAND, SVMGPU_MMU_CMD_INVALIDATE);
	b.n = 0;
	b_write(&b, HWT_DATA_VA + 8, 3, false);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, pa[2], 3);

	/* Invalidate, free the old page: every access goes to the new one. */
	hwt_invalidate(t, HWT_DATA_VA + PAGE_SIZE - 1, 2);
	hwt_free_page(t, a);
	b.n = 0;
	b_write(&b, HWT_DATA_VA + 12, 4, false);
	b_copy(&b, HWT_DATA_VA + 16, HWT_DATA_VA + 12, 4);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, pb[3], 4);
	KUNIT_EXPECT_EQ(test, pb[4], 4);

	/* INVALIDATE_ALL, and a read-only remap: the write now faults. */
	hwt_map(t, HWT_DATA_VA, b_page, false);
	wr(t, SVMGPU_REG_MMU_COMMAND, SVMGPU_MMU_CMD_INVALIDATE_ALL);
	b.n = 0;
	b_write(&b, HWT_DATA_VA + 20, 5, false);
	hwt_submit(t, 0, &b);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, pb[5], 0);

	/* Upgrading to writable needs no invalidation. */
	hwt_map(t, HWT_DATA_VA, b_page, true);
	hwt_queue_setup(t, 0, 0, 0);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, pb[5], 5);

	/*
	 * A walk caches the neighbours in its line of entries: the next
	 * page is used without a walk, and its invalidation drops it too.
	 */
	hwt_map(t, HWT_DATA_VA + PAGE_SIZE, n1, true);
	hwt_invalidate(t, HWT_DATA_VA, PAGE_SIZE);
	b.n = 0;
	b_write(&b, HWT_DATA_VA + 24, 6, false);
	hwt_run_ok(t, &b);
	hwt_map(t, HWT_DATA_VA + PAGE_SIZE, n2, true);
	b.n = 0;
	b_write(&b, HWT_DATA_VA + PAGE_SIZE, 7, false);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, ((u32 *)va_of(n1))[0], 7);
	hwt_invalidate(t, HWT_DATA_VA + PAGE_SIZE, PAGE_SIZE);
	hwt_free_page(t, n1);
	b.n = 0;
	b_write(&b, HWT_DATA_VA + PAGE_SIZE + 4, 8, false);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, ((u32 *)va_of(n2))[1], 8);
}

/* WAIT blocks its queue, not its engine; the semaphore releases it. */
static void hwt_wait_test(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *page = hwt_page(t);
	u64 *sem = va_of(page);
	struct hwt_batch b = {};
	u32 fence[] = { SVMGPU_CMD_HEADER(SVMGPU_OP_FENCE, 0, 2), 99 };

	hwt_map(t, HWT_DATA_VA, page, true);
	/* Conditions that hold at once. */
	sem[1] = 0x500000007ull;
	b_wait(&b, SVMGPU_WAIT_EQ, HWT_DATA_VA + 8, 7, 0xff);
	b_wait(&b, SVMGPU_WAIT_NE | SVMGPU_WAIT_64, HWT_DATA_VA + 8, 7, ~0ull);
	b_wait(&b, SVMGPU_WAIT_GT | SVMGPU_WAIT_64, HWT_DATA_VA + 8, 7, ~0ull);
	b_wait(&b, SVMGPU_WAIT_GTE, HWT_DATA_VA + 8, 7, ~0ull);
	b_wait(&b, SVMGPU_WAIT_LT, HWT_DATA_VA + 12, 6, ~0ull);
	b_wait(&b, SVMGPU_WAIT_LTE | SVMGPU_WAIT_64, HWT_DATA_VA + 8,
	       0x500000007ull, ~0ull);
	hwt_run_ok(t, &b);

	/* Slot 0 blocks; slot 1 on the same engine still runs. */
	hwt_queue_setup(t, 1, 0, 0);
	b.n = 0;
	b_wait(&b, SVMGPU_WAIT_GTE | SVMGPU_WAIT_64, HWT_DATA_VA, 3, ~0ull);
	b_write(&b, HWT_DATA_VA + 16, 1, false);
	hwt_submit(t, 0, &b);
	KUNIT_ASSERT_EQ(test, hwt_wait_status(t, 0, BIT(SVMGPU_Q_STATUS_WAITING)),
			SVMGPU_Q_STATUS_WAITING);
	hwt_ring_emit(t, 1, fence, 2);
	hwt_kick(t, 1);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 1), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 1, SVMGPU_Q_SEQNO), 99);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_WAITING);

	/* Not yet; then released by the periodic look, no doorbell. */
	WRITE_ONCE(sem[0], 2);
	usleep_range(2000, 3000);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_WAITING);
	KUNIT_EXPECT_EQ(test, sem[2], 0);
	WRITE_ONCE(sem[0], 3);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, sem[2], 1);
}

/* DISABLE, ENABLE and RESET of a queue blocked in WAIT and of others. */
static void hwt_disable_reset(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *page = hwt_page(t);
	u64 *sem = va_of(page);
	struct hwt_batch b = {};

	hwt_map(t, HWT_DATA_VA, page, true);
	b_wait(&b, SVMGPU_WAIT_EQ | SVMGPU_WAIT_64, HWT_DATA_VA, 1, ~0ull);
	b_write(&b, HWT_DATA_VA + 8, 7, false);
	hwt_submit(t, 0, &b);
	KUNIT_ASSERT_EQ(test, hwt_wait_status(t, 0, BIT(SVMGPU_Q_STATUS_WAITING)),
			SVMGPU_Q_STATUS_WAITING);

	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_DISABLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_DISABLED);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_HEAD), 0);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_TAIL), 32);
	/* Disabled: the semaphore is not looked at. */
	WRITE_ONCE(sem[0], 1);
	usleep_range(2000, 3000);
	KUNIT_EXPECT_EQ(test, sem[1], 0);
	/* Config registers are writable now; ENABLE carries on. */
	qwr(t, 0, SVMGPU_Q_ENGINE, 1);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ENGINE), 1);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_ENABLE);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, sem[1], 7);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_SEQNO), 1);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_HEAD), 32);

	/* RESET of a blocked queue drops its work. */
	WRITE_ONCE(sem[0], 0);
	sem[1] = 0;
	hwt_submit(t, 0, &b);
	KUNIT_ASSERT_EQ(test, hwt_wait_status(t, 0, BIT(SVMGPU_Q_STATUS_WAITING)),
			SVMGPU_Q_STATUS_WAITING);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESET);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_DISABLED);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_HEAD), 0);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_TAIL), 0);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_SEQNO), 0);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_NONE);
	WRITE_ONCE(sem[0], 1);
	t->q[0].tail = 0;
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_ENABLE);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_IDLE);
	usleep_range(2000, 3000);
	KUNIT_EXPECT_EQ(test, sem[1], 0);

	/* The queue works again from the start of its ring. */
	b.n = 0;
	b_write(&b, HWT_DATA_VA + 8, 8, false);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, sem[1], 8);

	/* RESUME only means something to a stalled queue. */
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESUME);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_IDLE);
}

/* Two engines each run their own slot. */
static void hwt_two_engines(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *page = hwt_page(t);
	u32 *mem = va_of(page);
	struct hwt_batch b = {};

	hwt_map(t, HWT_DATA_VA, page, true);
	hwt_queue_setup(t, 1, 1, 0);
	b_atomic(&b, SVMGPU_ATOMIC_ADD, HWT_DATA_VA, 1, 0, 0);
	b_atomic(&b, SVMGPU_ATOMIC_ADD, HWT_DATA_VA, 1, 0, 0);
	hwt_submit(t, 0, &b);
	hwt_submit(t, 1, &b);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 1), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, mem[0], 4);
	KUNIT_EXPECT_EQ(test, qrd(t, 1, SVMGPU_Q_SEQNO), 1);
}

/* An ENG_*_LO/HI counter pair of engine @n. */
static u64 erd64(struct hwt *t, unsigned int n, u32 lo)
{
	u32 low = rd(t, SVMGPU_ENGINE_REG(n, lo));

	return (u64)rd(t, SVMGPU_ENGINE_REG(n, lo + 4)) << 32 | low;
}

/* The engine status block: status, slot, commands, progress, counters. */
static void hwt_engine_status(struct kunit *test)
{
	struct hwt *t = test->priv;
	struct page *page = hwt_page(t);
	u64 *sem = va_of(page);
	struct hwt_batch b = {};
	u64 before, progress;

	/* At power on; engines the instance lacks read 0. */
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_ENGINE_REG(0, SVMGPU_ENG_STATUS)),
			SVMGPU_ENG_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_ENGINE_REG(1, SVMGPU_ENG_SLOT)),
			SVMGPU_ENG_SLOT_NONE);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_ENGINE_REG(2, SVMGPU_ENG_SLOT)), 0);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_CMDS_LO), 0);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_PROGRESS_LO), 0);
	wr(t, SVMGPU_ENGINE_REG(0, SVMGPU_ENG_CMDS_LO), 5);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_CMDS_LO), 0);

	/* WRITE and END in the batch, BATCH and FENCE in the ring. */
	hwt_map(t, HWT_DATA_VA, page, true);
	before = ktime_get_ns();
	b_write(&b, HWT_DATA_VA + 16, 1, false);
	b_cmd(&b, SVMGPU_OP_END, 0, SVMGPU_END_DWORDS, NULL);
	hwt_run_ok(t, &b);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_CMDS_LO), 4);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_ENGINE_REG(0, SVMGPU_ENG_SLOT)), 0);
	progress = erd64(t, 0, SVMGPU_ENG_PROGRESS_LO);
	KUNIT_EXPECT_GE(test, progress, before);
	KUNIT_EXPECT_LE(test, progress, ktime_get_ns());
	KUNIT_EXPECT_GE(test, erd64(t, 0, SVMGPU_ENG_TLB_MISSES_LO), 2);
	KUNIT_EXPECT_EQ(test, erd64(t, 1, SVMGPU_ENG_CMDS_LO), 0);

	/* Invalidations reach every engine. */
	hwt_invalidate(t, HWT_DATA_VA, PAGE_SIZE);
	wr(t, SVMGPU_REG_MMU_COMMAND, SVMGPU_MMU_CMD_INVALIDATE_ALL);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_TLB_INVALS_LO), 1);
	KUNIT_EXPECT_EQ(test, erd64(t, 1, SVMGPU_ENG_TLB_INVALS_LO), 1);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_TLB_FLUSHES_LO), 1);
	KUNIT_EXPECT_EQ(test, erd64(t, 1, SVMGPU_ENG_TLB_FLUSHES_LO), 1);

	/* A blocked WAIT: WAITING, no command completes, no progress. */
	b.n = 0;
	b_wait(&b, SVMGPU_WAIT_EQ | SVMGPU_WAIT_64, HWT_DATA_VA, 1, ~0ull);
	hwt_submit(t, 0, &b);
	KUNIT_ASSERT_EQ(test, hwt_wait_status(t, 0, BIT(SVMGPU_Q_STATUS_WAITING)),
			SVMGPU_Q_STATUS_WAITING);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_ENGINE_REG(0, SVMGPU_ENG_STATUS)),
			SVMGPU_ENG_STATUS_WAITING);
	progress = erd64(t, 0, SVMGPU_ENG_PROGRESS_LO);
	usleep_range(3000, 4000);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_PROGRESS_LO), progress);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_CMDS_LO), 4);
	WRITE_ONCE(sem[0], 1);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_ENGINE_REG(0, SVMGPU_ENG_STATUS)),
			SVMGPU_ENG_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_CMDS_LO), 7);

	/* A fault stops the slot: counted, and the engine is idle again. */
	b.n = 0;
	b_write(&b, HWT_BAD_ADDR, 1, false);
	hwt_submit(t, 0, &b);
	KUNIT_EXPECT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, erd64(t, 0, SVMGPU_ENG_FAULTS_LO), 1);
	KUNIT_EXPECT_EQ(test, rd(t, SVMGPU_ENGINE_REG(0, SVMGPU_ENG_STATUS)),
			SVMGPU_ENG_STATUS_IDLE);
}

#define HWT_W(op, d, a, b, c, imm) \
	cpu_to_le64(SVMGPU_ISA_WORD(SVMGPU_ISA_OP_##op, d, a, b, c, imm))
#define HWT_V(n)	SVMGPU_ISA_V(n)
#define HWT_S(n)	SVMGPU_ISA_S(n)
#define HWT_LIT		SVMGPU_ISA_LIT

static void b_dispatch(struct hwt_batch *b, bool indirect, u64 prog,
		       u32 words, u32 vregs, u32 sregs, u64 grid_xy, u32 grid_z,
		       u32 shared, u32 wx, u32 wy, u32 wz, u64 args)
{
	u64 ops[] = {
		prog, words | (u64)vregs << 32 | (u64)sregs << 40, grid_xy,
		grid_z | (u64)shared << 32, wx | wy << 16 | (u64)wz << 32, args,
	};

	b_cmd(b, indirect ? SVMGPU_OP_DISPATCH_INDIRECT : SVMGPU_OP_DISPATCH,
	      0, SVMGPU_DISPATCH_DWORDS, ops);
}

/*
 * DISPATCH through the engine: waves' atomics and stores land, INDIRECT
 * reads its grid, an illegal program ends the job with its record, a
 * shader's fault in stall mode stalls the slot and RESUME finishes the
 * dispatch (the atomic before the faulting store is not repeated), and an
 * endless shader keeps the slot busy until RESET.
 */
static void hwt_dispatch(struct kunit *test)
{
	const u64 cnt_va = HWT_DATA_VA, out_va = HWT_DATA_VA + 0x10000;
	const u64 args_va = HWT_DATA_VA + 0x20000;
	const u64 prog_va = HWT_DATA_VA + 0x30000;
	static const __le64 prog[] = {
		HWT_W(MOV, HWT_V(0), SVMGPU_ISA_SR(SVMGPU_ISA_SR_GLOBAL_ID_X), 0, 0, 0),
		HWT_W(AND, HWT_V(1), HWT_V(0), HWT_LIT, 0, 0), cpu_to_le64(15),
		HWT_W(SHL, HWT_V(1), HWT_V(1), HWT_LIT, 0, 0), cpu_to_le64(2),
		HWT_W(CVT_U64_U32, HWT_V(2), HWT_V(1), 0, 0, 0),
		HWT_W(IADD64, HWT_V(2), HWT_V(2), HWT_LIT, 0, 0),
		cpu_to_le64(HWT_DATA_VA),
		HWT_W(ATOMG_ADD_U32, HWT_V(4), HWT_V(2), HWT_LIT, 0, 0),
		cpu_to_le64(1),
		HWT_W(LDG_B64, HWT_S(0), SVMGPU_ISA_SR(SVMGPU_ISA_SR_ARGS), 0, 0, 0),
		HWT_W(UMULW, HWT_V(6), HWT_V(0), HWT_LIT, 0, 0), cpu_to_le64(4),
		HWT_W(IADD64, HWT_V(6), HWT_V(6), HWT_S(0), 0, 0),
		HWT_W(SHL, HWT_V(8), HWT_V(0), HWT_LIT, 0, 0), cpu_to_le64(1),
		HWT_W(STG_B32, 0, HWT_V(6), HWT_V(8), 0, 0),		/* 16 */
		HWT_W(END, 0, 0, 0, 0, 0),
	};
	static const __le64 endless[] = {
		HWT_W(LOOP, 0, 0, 0, 0, 0),
		HWT_W(ENDLOOP, 0, 0, 0, 0, 0),
		HWT_W(END, 0, 0, 0, 0, 0),
	};
	struct hwt *t = test->priv;
	struct page *cnt = hwt_page(t), *out = hwt_page(t);
	struct page *args = hwt_page(t), *code = hwt_page(t);
	const u32 n = ARRAY_SIZE(prog);
	u32 *c = va_of(cnt), *o = va_of(out), *a = va_of(args);
	const struct svmgpu_fault_record *rec;
	struct svmgpu_hw_shader_stats stats;
	struct hwt_batch b = {};
	unsigned int i;

	hwt_map(t, cnt_va, cnt, true);
	hwt_map(t, out_va, out, true);
	hwt_map(t, args_va, args, false);
	hwt_map(t, prog_va, code, false);
	memcpy(va_of(code), prog, sizeof(prog));
	*(u64 *)a = out_va;
	a[2] = 2;	/* the indirect grid: 2 x 1 x 1 */
	a[3] = 1;
	a[4] = 1;

	/* 4 workgroups of 64; then 2 of 64 through INDIRECT. */
	b_dispatch(&b, false, prog_va, n, 9, 2, 4 | 1ull << 32, 1, 0, 64, 1, 1,
		   args_va);
	b_dispatch(&b, true, prog_va, n, 9, 2, args_va + 8, 0, 0, 64, 1, 1,
		   args_va);
	hwt_run_ok(t, &b);
	svmgpu_hw_engine_shader_stats(t->hw, 0, &stats);
	KUNIT_EXPECT_EQ(test, stats.waves, 16 + 8);
	KUNIT_EXPECT_EQ(test, stats.insns, (16 + 8) * 12);
	KUNIT_EXPECT_EQ(test, stats.faults, 0);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, c[i], 256 / 16 + 128 / 16);
	for (i = 0; i < 256; i++)
		KUNIT_EXPECT_EQ(test, o[i], 2 * i);

	/* An illegal program: the job ends with its record, in stall mode too. */
	hwt_queue_setup(t, 0, 0, SVMGPU_Q_CONFIG_FAULT_STALL);
	b.n = 0;
	b_dispatch(&b, false, prog_va, n - 1, 9, 2, 1 | 1ull << 32, 1, 0, 16, 1,
		   1, args_va);
	hwt_submit(t, 0, &b);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_FAULT);
	rec = hwt_fault(t, rd(t, SVMGPU_REG_FAULTQ_PUT) - 1);
	KUNIT_EXPECT_EQ(test, rec->reason, SVMGPU_FAULT_ILLEGAL_INSTRUCTION);
	KUNIT_EXPECT_EQ(test, rec->flags, SVMGPU_FAULT_FLAG_SHADER);
	KUNIT_EXPECT_EQ(test, SVMGPU_FAULT_DETAIL_CODE(rec->detail),
			SVMGPU_ISA_ILLEGAL_NO_END);
	KUNIT_EXPECT_EQ(test, rec->pc, n - 2);
	KUNIT_EXPECT_EQ(test, rec->va, prog_va + 8 * (n - 2));

	/* The stores fault in stall mode; RESUME after the fix finishes. */
	hwt_queue_setup(t, 0, 0, SVMGPU_Q_CONFIG_FAULT_STALL);
	memset(c, 0, PAGE_SIZE);
	hwt_set_pte(t, out_va, 0, 0);
	hwt_invalidate(t, out_va, PAGE_SIZE);
	b.n = 0;
	b_dispatch(&b, false, prog_va, n, 9, 2, 4 | 1ull << 32, 1, 0, 64, 1, 1,
		   args_va);
	hwt_submit(t, 0, &b);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_STALLED);
	rec = hwt_fault(t, rd(t, SVMGPU_REG_FAULTQ_PUT) - 1);
	KUNIT_EXPECT_EQ(test, rec->va, out_va);
	KUNIT_EXPECT_EQ(test, rec->access, SVMGPU_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, rec->reason, SVMGPU_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, rec->flags,
			SVMGPU_FAULT_FLAG_SHADER | SVMGPU_FAULT_FLAG_STALLED);
	KUNIT_EXPECT_EQ(test, SVMGPU_FAULT_DETAIL_LANE(rec->detail), 0);
	KUNIT_EXPECT_EQ(test, rec->pc, 16);
	memset(o, 0, PAGE_SIZE);
	hwt_map(t, out_va, out, true);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESUME);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_IDLE);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, c[i], 256 / 16);
	for (i = 0; i < 256; i++)
		KUNIT_EXPECT_EQ(test, o[i], 2 * i);
	svmgpu_hw_engine_shader_stats(t->hw, 0, &stats);
	KUNIT_EXPECT_EQ(test, stats.faults, 1);

	/* A grid of more than 2^64 - 1 workgroups is a bad command. */
	hwt_queue_setup(t, 0, 0, 0);
	a[2] = U32_MAX;
	a[3] = U32_MAX;
	a[4] = U32_MAX;
	b.n = 0;
	b_dispatch(&b, true, prog_va, n, 9, 2, args_va + 8, 0, 0, 64, 1, 1,
		   args_va);
	hwt_submit(t, 0, &b);
	KUNIT_ASSERT_EQ(test, hwt_wait(t, 0), SVMGPU_Q_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_ERROR), SVMGPU_Q_ERR_BAD_COMMAND);
	hwt_queue_setup(t, 0, 0, 0);

	/* An endless shader keeps the slot busy; RESET frees it. */
	memcpy(va_of(code), endless, sizeof(endless));
	b.n = 0;
	b_dispatch(&b, false, prog_va, ARRAY_SIZE(endless), 1, 0, 8 | 1ull << 32,
		   1, 1024, 256, 1, 1, args_va);
	hwt_submit(t, 0, &b);
	msleep(20);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS), SVMGPU_Q_STATUS_RUNNING);
	qwr(t, 0, SVMGPU_Q_CONTROL, SVMGPU_Q_CTL_RESET);
	KUNIT_EXPECT_EQ(test, qrd(t, 0, SVMGPU_Q_STATUS),
			SVMGPU_Q_STATUS_DISABLED);
	/* A job left half done at power off is freed too (kmemleak). */
	hwt_queue_setup(t, 0, 0, 0);
	hwt_submit(t, 0, &b);
}

static struct kunit_case svmgpu_hw_test_cases[] = {
	KUNIT_CASE(hwt_registers),
	KUNIT_CASE(hwt_translate),
	KUNIT_CASE(hwt_cmd_write_fill),
	KUNIT_CASE(hwt_cmd_copy),
	KUNIT_CASE(hwt_cmd_copy_overlap),
	KUNIT_CASE(hwt_cmd_atomic),
	KUNIT_CASE(hwt_cmd_timestamp_user_fence),
	KUNIT_CASE(hwt_fence_irq),
	KUNIT_CASE(hwt_bad_commands),
	KUNIT_CASE(hwt_bad_ring),
	KUNIT_CASE(hwt_ring_wrap),
	KUNIT_CASE(hwt_fault_abort),
	KUNIT_CASE(hwt_fault_stall_resume),
	KUNIT_CASE(hwt_cmd_copy_split),
	KUNIT_CASE(hwt_fault_queue_full),
	KUNIT_CASE(hwt_invalidate_test),
	KUNIT_CASE(hwt_wait_test),
	KUNIT_CASE(hwt_disable_reset),
	KUNIT_CASE(hwt_two_engines),
	KUNIT_CASE(hwt_engine_status),
	KUNIT_CASE(hwt_dispatch),
	{}
};

static struct kunit_suite svmgpu_hw_test_suite = {
	.name = "svmgpu_hw",
	.init = hwt_init,
	.exit = hwt_exit,
	.test_cases = svmgpu_hw_test_cases,
};

kunit_test_suite(svmgpu_hw_test_suite);
