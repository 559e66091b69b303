// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_shader_test.c - KUnit suite of the svmgpu shader cores.
 *
 * Over 1000 lines, on purpose: one suite is one file, as KUnit suites
 * upstream are; its cases share the page tables, the MMU port and the
 * ALU program builder of the fixture at the top.
 */

/**
 * DOC: Shader core tests
 *
 * Runs real programs through the interpreter (svmgpu_hw_shader_run()) on
 * memory the test maps in page tables it builds by hand, through an MMU
 * port of its own, and checks the results against the CPU: every ALU
 * class (integer against a C reference, binary32 against vectors computed
 * on the host with their error bound), divergent control flow and nested
 * loops, shared memory with barriers, atomics from many waves (exact
 * totals), subgroup operations, loads and stores of every size, a fault
 * in the middle of a shader resumed after the page is mapped, illegal
 * programs, an endless loop bounded by the step budget, and random
 * programs (seeded) that must never hurt the kernel.
 *
 * Programs are written with the encoding macros below; each carries its
 * assembly (docs/hardware.md, "Assembly syntax") in comments.
 *
 * Built into svmgpu.ko when the kernel has KUnit; runs at every module
 * load (suite "svmgpu_shader").
 */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_isa.h"
#include "hw/svmgpu_pte.h"
#include "hw/svmgpu_hw_internal.h"
#include "hw/svmgpu_hw_shader.h"

#define W(op, d, a, b, c, imm) \
	cpu_to_le64(SVMGPU_ISA_WORD(SVMGPU_ISA_OP_##op, d, a, b, c, imm))
#define W0(op)		W(op, 0, 0, 0, 0, 0)
#define V(n)		SVMGPU_ISA_V(n)
#define S(n)		SVMGPU_ISA_S(n)
#define SR(n)		SVMGPU_ISA_SR(SVMGPU_ISA_SR_##n)
#define LIT		SVMGPU_ISA_LIT
#define LITW(v)		cpu_to_le64(v)

#define SHT_MAX_PAGES	64
#define SHT_ARGS_VA	0x10000ull	/* argument block, one page */
#define SHT_DATA_VA	0x200000ull	/* data, SHT_DATA_PAGES pages */
#define SHT_DATA_PAGES	4
#define SHT_HOLE_VA	0x400000ull	/* unmapped until a test maps it */
#define SHT_MAX_STEPS	100000

/**
 * struct sht - one test's MMU port, page tables and memory.
 * @test: the KUnit test.
 * @port: the compute unit's port.
 * @pages: every page the test allocated, freed at the end.
 * @npages: entries of @pages.
 * @root: page-table root.
 * @args: the argument block page.
 * @data: the data pages.
 * @job: the dispatch being run.
 */
struct sht {
	struct kunit *test;
	struct svmgpu_hw_port *port;
	struct page *pages[SHT_MAX_PAGES];
	unsigned int npages;
	struct page *root;
	struct page *args;
	struct page *data[SHT_DATA_PAGES];
	struct svmgpu_hw_shader_job *job;
};

static struct page *sht_page(struct sht *t)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	KUNIT_ASSERT_NOT_NULL(t->test, page);
	KUNIT_ASSERT_LT(t->test, t->npages, SHT_MAX_PAGES);
	t->pages[t->npages++] = page;
	return page;
}

static void sht_map(struct sht *t, u64 va, struct page *page, bool writable)
{
	struct page *table = t->root;
	u64 *e;
	int l;

	for (l = SVMGPU_PT_LEVELS - 1; l > 0; l--) {
		e = (u64 *)page_address(table) + SVMGPU_PT_INDEX(va, l);
		if (!(*e & SVMGPU_PTE_VALID))
			*e = page_to_phys(sht_page(t)) | SVMGPU_PTE_VALID;
		table = pfn_to_page((*e & SVMGPU_PTE_ADDR_MASK) >> PAGE_SHIFT);
	}
	e = (u64 *)page_address(table) + SVMGPU_PT_INDEX(va, 0);
	*e = page_to_phys(page) | SVMGPU_PTE_VALID |
	     (writable ? SVMGPU_PTE_WRITE : 0);
}

static int sht_init(struct kunit *test)
{
	struct sht *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	test->priv = t;
	t->port = kunit_kzalloc(test, sizeof(*t->port), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->port);
	spin_lock_init(&t->port->access_lock);
	t->job = kunit_kzalloc(test, sizeof(*t->job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->job);
	t->root = sht_page(t);
	t->args = sht_page(t);
	sht_map(t, SHT_ARGS_VA, t->args, true);
	for (i = 0; i < SHT_DATA_PAGES; i++) {
		t->data[i] = sht_page(t);
		sht_map(t, SHT_DATA_VA + i * PAGE_SIZE, t->data[i], true);
	}
	return 0;
}

static void sht_exit(struct kunit *test)
{
	struct sht *t = test->priv;
	unsigned int i;

	svmgpu_hw_shader_job_fini(t->job);
	for (i = 0; i < t->npages; i++)
		__free_page(t->pages[i]);
}

static void *sht_args(struct sht *t)
{
	return page_address(t->args);
}

/* The data pages are not contiguous: each test stays within one. */
static void *sht_data(struct sht *t, unsigned int i)
{
	return page_address(t->data[i]);
}

static const struct svmgpu_hw_shader_params sht_params_1wave = {
	.args = SHT_ARGS_VA,
	.num_wg = { 1, 1, 1 },
	.wg_size = { 16, 1, 1 },
	.vregs = 32,
	.sregs = 16,
};

/* Prepares the dispatch of @prog; asserts it is valid. */
static void sht_load(struct sht *t, const __le64 *prog, u32 count,
		     const struct svmgpu_hw_shader_params *p)
{
	struct svmgpu_hw_shader_params params = *p;
	struct svmgpu_hw_isa_error err;

	svmgpu_hw_shader_job_fini(t->job);
	memset(t->job, 0, sizeof(*t->job));
	params.root = page_to_phys(t->root);
	KUNIT_ASSERT_EQ(t->test, svmgpu_hw_shader_job_init(t->job, &params, prog,
							   count, &err), 0);
}

/* Runs the loaded dispatch until it is no longer BUDGET_OUT. */
static enum svmgpu_hw_shader_status sht_go(struct sht *t, u32 budget)
{
	enum svmgpu_hw_shader_status st;
	unsigned int steps = 0;

	do {
		st = svmgpu_hw_shader_run(t->job, t->port, budget);
	} while (st == SVMGPU_HW_SHADER_BUDGET_OUT && ++steps < SHT_MAX_STEPS);
	return st;
}

/* Loads and runs @prog to its end. */
static void sht_run(struct sht *t, const __le64 *prog, u32 count,
		    const struct svmgpu_hw_shader_params *p)
{
	sht_load(t, prog, count, p);
	KUNIT_ASSERT_EQ(t->test, sht_go(t, SVMGPU_HW_SHADER_BUDGET),
			SVMGPU_HW_SHADER_DONE);
}

/*
 * The ALU program: lane l reads a[l], b[l], c[l] (u64) from the argument
 * block at 0, 128 and 256, applies @op to them and stores the 64-bit
 * result pair at 384 + 8 l. 64-bit operands use the whole values,
 * 32-bit ones their low halves.
 */
static void sht_alu_prog(u16 op, __le64 *prog)
{
	const u8 *sz = svmgpu_hw_isa_op_sizes(op);
	unsigned int n = 0;

	prog[n++] = W(MOV, V(0), SR(LANE_ID), 0, 0, 0);
	prog[n++] = W(UMULW, V(2), V(0), LIT, 0, 0);	/* umulw v[2:3], v0, 8 */
	prog[n++] = LITW(8);
	prog[n++] = W(IADD64, V(2), SR(ARGS), V(2), 0, 0);
	prog[n++] = W(LDG_B64, V(4), V(2), 0, 0, 0);
	prog[n++] = W(LDG_B64, V(6), V(2), 0, 0, 128);
	prog[n++] = W(LDG_B64, V(8), V(2), 0, 0, 256);
	prog[n++] = cpu_to_le64(SVMGPU_ISA_WORD(op, V(10), sz[1] ? V(4) : 0,
						sz[2] ? V(6) : 0,
						sz[3] ? V(8) : 0, 0));
	prog[n++] = W(STG_B64, 0, V(2), V(10), 0, 384);
	prog[n++] = W0(END);
}

#define SHT_ALU_WORDS	10

/* Runs @op over the 16 lanes' inputs; results in @out. */
static void sht_alu(struct sht *t, u16 op, const u64 *a, const u64 *b,
		    const u64 *c, u64 *out)
{
	__le64 prog[SHT_ALU_WORDS];
	u64 *args = sht_args(t);

	memcpy(args, a, 16 * 8);
	memcpy(args + 16, b, 16 * 8);
	memcpy(args + 32, c, 16 * 8);
	memset(args + 48, 0, 16 * 8);
	sht_alu_prog(op, prog);
	sht_run(t, prog, SHT_ALU_WORDS, &sht_params_1wave);
	memcpy(out, args + 48, 16 * 8);
}

static u32 ref_bfe(u32 a, u32 b, u32 c, bool sgn)
{
	u32 o = b & 31, n = c < 32 - o ? c : 32 - o, v;

	if (!n)
		return 0;
	v = n == 32 ? a : (a >> o) & ((1u << n) - 1);
	if (sgn && n < 32)
		v = (u32)((s32)(v << (32 - n)) >> (32 - n));
	return v;
}

static u32 ref_msb(u32 a)
{
	int i;

	for (i = 31; i >= 0; i--)
		if (a & (1u << i))
			return i;
	return U32_MAX;
}

/* The CPU's reference of the integer instructions (docs/hardware.md). */
static u64 ref_int(u16 op, u64 xa, u64 xb, u64 xc)
{
	u32 a = xa, b = xb, c = xc, r;
	s32 sa = a, sb = b;
	s64 xsa = xa, xsb = xb;
	int i;

	switch (op) {
	case SVMGPU_ISA_OP_MOV:
		return a;
	case SVMGPU_ISA_OP_MOV64:
		return xa;
	case SVMGPU_ISA_OP_SEL:
		return a ? b : c;
	case SVMGPU_ISA_OP_SEL64:
		return a ? xb : xc;
	case SVMGPU_ISA_OP_IADD:
		return (u32)(a + b);
	case SVMGPU_ISA_OP_ISUB:
		return (u32)(a - b);
	case SVMGPU_ISA_OP_IMUL:
		return (u32)(a * b);
	case SVMGPU_ISA_OP_IMULHI:
		return (u32)((u64)((s64)sa * sb) >> 32);
	case SVMGPU_ISA_OP_UMULHI:
		return (u32)(((u64)a * b) >> 32);
	case SVMGPU_ISA_OP_UMULW:
		return (u64)a * b;
	case SVMGPU_ISA_OP_IMULW:
		return (u64)((s64)sa * sb);
	case SVMGPU_ISA_OP_UDIV:
		return b ? a / b : 0xffffffffu;
	case SVMGPU_ISA_OP_UREM:
		return b ? a % b : a;
	case SVMGPU_ISA_OP_SDIV:
		return !b ? 0xffffffffu : (sa == S32_MIN && sb == -1) ?
		       (u32)S32_MIN : (u32)(sa / sb);
	case SVMGPU_ISA_OP_SREM:
		return !b ? a : sb == -1 ? 0 : (u32)(sa % sb);
	case SVMGPU_ISA_OP_SMOD:
		if (!b)
			return a;
		if (sb == -1)
			return 0;
		r = (u32)(sa % sb);
		/* Give a non-zero remainder the sign of b. */
		if ((s32)r < 0 && sb > 0)
			r += b;
		else if ((s32)r > 0 && sb < 0)
			r += b;
		return r;
	case SVMGPU_ISA_OP_INEG:
		return (u32)(0 - a);
	case SVMGPU_ISA_OP_IABS:
		return sa < 0 ? (u32)(0 - a) : a;
	case SVMGPU_ISA_OP_SMIN:
		return sa < sb ? a : b;
	case SVMGPU_ISA_OP_SMAX:
		return sa > sb ? a : b;
	case SVMGPU_ISA_OP_UMIN:
		return a < b ? a : b;
	case SVMGPU_ISA_OP_UMAX:
		return a > b ? a : b;
	case SVMGPU_ISA_OP_AND:
		return a & b;
	case SVMGPU_ISA_OP_OR:
		return a | b;
	case SVMGPU_ISA_OP_XOR:
		return a ^ b;
	case SVMGPU_ISA_OP_NOT:
		return (u32)~a;
	case SVMGPU_ISA_OP_SHL:
		return (u32)(a << (b % 32));
	case SVMGPU_ISA_OP_SHR:
		return a >> (b % 32);
	case SVMGPU_ISA_OP_SAR:
		return (u32)(sa >> (b % 32));
	case SVMGPU_ISA_OP_BFEU:
		return ref_bfe(a, b, c, false);
	case SVMGPU_ISA_OP_BFES:
		return ref_bfe(a, b, c, true);
	case SVMGPU_ISA_OP_BFM:
		return (u32)((a >= 32 ? 0xffffffffull : (1ull << a) - 1) <<
			     (b % 32));
	case SVMGPU_ISA_OP_BFI:
		return (a & b) | (~a & c);
	case SVMGPU_ISA_OP_BITREV:
		for (r = 0, i = 0; i < 32; i++)
			r |= ((a >> i) & 1) << (31 - i);
		return r;
	case SVMGPU_ISA_OP_POPCNT:
		for (r = 0, i = 0; i < 32; i++)
			r += (a >> i) & 1;
		return r;
	case SVMGPU_ISA_OP_FINDLSB:
		for (i = 0; i < 32; i++)
			if (a & (1u << i))
				return i;
		return U32_MAX;
	case SVMGPU_ISA_OP_FINDUMSB:
		return ref_msb(a);
	case SVMGPU_ISA_OP_FINDSMSB:
		return ref_msb(sa < 0 ? ~a : a);
	case SVMGPU_ISA_OP_IEQ:
		return a == b;
	case SVMGPU_ISA_OP_INE:
		return a != b;
	case SVMGPU_ISA_OP_SLT:
		return sa < sb;
	case SVMGPU_ISA_OP_SGE:
		return sa >= sb;
	case SVMGPU_ISA_OP_ULT:
		return a < b;
	case SVMGPU_ISA_OP_UGE:
		return a >= b;
	case SVMGPU_ISA_OP_IADD64:
		return xa + xb;
	case SVMGPU_ISA_OP_ISUB64:
		return xa - xb;
	case SVMGPU_ISA_OP_IMUL64:
		return xa * xb;
	case SVMGPU_ISA_OP_UDIV64:
		return xb ? div64_u64(xa, xb) : U64_MAX;
	case SVMGPU_ISA_OP_UREM64:
		return xb ? xa - div64_u64(xa, xb) * xb : xa;
	case SVMGPU_ISA_OP_SDIV64:
		return !xb ? U64_MAX : (xsa == S64_MIN && xsb == -1) ?
		       (u64)S64_MIN : (u64)div64_s64(xsa, xsb);
	case SVMGPU_ISA_OP_SREM64:
		return !xb ? xa : xsb == -1 ? 0 :
		       (u64)(xsa - div64_s64(xsa, xsb) * xsb);
	case SVMGPU_ISA_OP_SMIN64:
		return xsa < xsb ? xa : xb;
	case SVMGPU_ISA_OP_SMAX64:
		return xsa > xsb ? xa : xb;
	case SVMGPU_ISA_OP_UMIN64:
		return xa < xb ? xa : xb;
	case SVMGPU_ISA_OP_UMAX64:
		return xa > xb ? xa : xb;
	case SVMGPU_ISA_OP_AND64:
		return xa & xb;
	case SVMGPU_ISA_OP_OR64:
		return xa | xb;
	case SVMGPU_ISA_OP_XOR64:
		return xa ^ xb;
	case SVMGPU_ISA_OP_NOT64:
		return ~xa;
	case SVMGPU_ISA_OP_SHL64:
		return xa << (b % 64);
	case SVMGPU_ISA_OP_SHR64:
		return xa >> (b % 64);
	case SVMGPU_ISA_OP_SAR64:
		return (u64)(xsa >> (b % 64));
	case SVMGPU_ISA_OP_IEQ64:
		return xa == xb;
	case SVMGPU_ISA_OP_INE64:
		return xa != xb;
	case SVMGPU_ISA_OP_SLT64:
		return xsa < xsb;
	case SVMGPU_ISA_OP_SGE64:
		return xsa >= xsb;
	case SVMGPU_ISA_OP_ULT64:
		return xa < xb;
	case SVMGPU_ISA_OP_UGE64:
		return xa >= xb;
	case SVMGPU_ISA_OP_CVT_I64_I32:
		return (u64)(s64)sa;
	case SVMGPU_ISA_OP_CVT_U64_U32:
		return a;
	default:
		return 0xbad;
	}
}

static const u64 sht_in_a[16] = {
	0, 1, ~0ull, 0xffffffff80000000ull, 0x7fffffff, 7, (u64)-7,
	0x1234567880000001ull, 12345678, 0xdeadbeefcafef00dull, 31, 32, 5,
	(u64)-100, 0x8000000000000000ull, 3,
};

static const u64 sht_in_b[16] = {
	0, ~0ull, 1, ~0ull, 2, 3, 2, 33, 1000, 16, 4, 4, 0, 7, ~0ull,
	0x7fffffff,
};

static const u64 sht_in_c[16] = {
	5, 40, 3, 0, 8, 1, 31, 32, 16, 0, 2, 7, 9, 10, 11, 12,
};

/* Every integer, 64-bit integer and move instruction against the CPU. */
static void sht_int_alu(struct kunit *test)
{
	struct sht *t = test->priv;
	u64 out[16];
	unsigned int op, l, n = 0;

	for (op = 0; op < SVMGPU_ISA_OP_LIMIT; op++) {
		if (ref_int(op, 0, 0, 0) == 0xbad)
			continue;
		sht_alu(t, op, sht_in_a, sht_in_b, sht_in_c, out);
		for (l = 0; l < 16; l++) {
			u64 want = ref_int(op, sht_in_a[l], sht_in_b[l],
					   sht_in_c[l]);

			if (svmgpu_hw_isa_op_sizes(op)[0] == 1)
				want = (u32)want;
			KUNIT_EXPECT_EQ_MSG(test, out[l], want, "%s lane %u",
					    svmgpu_hw_isa_op_name(op), l);
		}
		n++;
	}
	/* Every instruction of the three classes was checked. */
	KUNIT_EXPECT_EQ(test, n, 4 + 40 + 24 + 2);
}

/**
 * struct sht_fvec - a binary32 test vector, computed on the host.
 * @op: the instruction.
 * @a: source A bits.
 * @b: source B bits.
 * @c: source C bits.
 * @want: the result bits.
 * @ulp: the error allowed, in units in the last place.
 */
struct sht_fvec {
	u16 op;
	u64 a, b, c, want;
	u32 ulp;
};

static const struct sht_fvec sht_fvecs[] = {
	{ SVMGPU_ISA_OP_FADD, 0x3fc00000ull, 0x40100000ull, 0x0ull, 0x40700000ull, 0 },
	{ SVMGPU_ISA_OP_FADD, 0x1ull, 0x1ull, 0x0ull, 0x2ull, 0 },
	{ SVMGPU_ISA_OP_FADD, 0x7f800000ull, 0xff800000ull, 0x0ull, 0x7fc00000ull, 0 },
	{ SVMGPU_ISA_OP_FADD, 0x7fc01234ull, 0x3f800000ull, 0x0ull, 0x7fc00000ull, 0 },
	{ SVMGPU_ISA_OP_FADD, 0x3f800000ull, 0x33800000ull, 0x0ull, 0x3f800000ull, 0 },
	{ SVMGPU_ISA_OP_FADD, 0x3f800000ull, 0x33820000ull, 0x0ull, 0x3f800001ull, 0 },
	{ SVMGPU_ISA_OP_FSUB, 0x3f800000ull, 0x3f800000ull, 0x0ull, 0x0ull, 0 },
	{ SVMGPU_ISA_OP_FMUL, 0x800000ull, 0x3f000000ull, 0x0ull, 0x400000ull, 0 },
	{ SVMGPU_ISA_OP_FMUL, 0x71800000ull, 0x71800000ull, 0x0ull, 0x7f800000ull, 0 },
	{ SVMGPU_ISA_OP_FDIV, 0x3f800000ull, 0x40400000ull, 0x0ull, 0x3eaaaaabull, 0 },
	{ SVMGPU_ISA_OP_FDIV, 0x3f800000ull, 0x0ull, 0x0ull, 0x7f800000ull, 0 },
	{ SVMGPU_ISA_OP_FDIV, 0x0ull, 0x0ull, 0x0ull, 0x7fc00000ull, 0 },
	{ SVMGPU_ISA_OP_FMA, 0x3f800001ull, 0x3f800001ull, 0xbf800002ull, 0x28800000ull, 0 },
	{ SVMGPU_ISA_OP_FMA, 0x40000000ull, 0x40400000ull, 0x3f800000ull, 0x40e00000ull, 0 },
	{ SVMGPU_ISA_OP_FMIN, 0x7fc00000ull, 0x40000000ull, 0x0ull, 0x40000000ull, 0 },
	{ SVMGPU_ISA_OP_FMIN, 0x80000000ull, 0x0ull, 0x0ull, 0x80000000ull, 0 },
	{ SVMGPU_ISA_OP_FMAX, 0x80000000ull, 0x0ull, 0x0ull, 0x0ull, 0 },
	{ SVMGPU_ISA_OP_FMAX, 0x7fc00000ull, 0x7fc00000ull, 0x0ull, 0x7fc00000ull, 0 },
	{ SVMGPU_ISA_OP_FFLOOR, 0xbfc00000ull, 0x0ull, 0x0ull, 0xc0000000ull, 0 },
	{ SVMGPU_ISA_OP_FCEIL, 0xbf000000ull, 0x0ull, 0x0ull, 0x80000000ull, 0 },
	{ SVMGPU_ISA_OP_FTRUNC, 0xc0300000ull, 0x0ull, 0x0ull, 0xc0000000ull, 0 },
	{ SVMGPU_ISA_OP_FRNDE, 0x40200000ull, 0x0ull, 0x0ull, 0x40000000ull, 0 },
	{ SVMGPU_ISA_OP_FRNDE, 0x40600000ull, 0x0ull, 0x0ull, 0x40800000ull, 0 },
	{ SVMGPU_ISA_OP_FRNDE, 0xbe800000ull, 0x0ull, 0x0ull, 0x80000000ull, 0 },
	{ SVMGPU_ISA_OP_FFRACT, 0xbfa00000ull, 0x0ull, 0x0ull, 0x3f400000ull, 0 },
	{ SVMGPU_ISA_OP_FSIGN, 0xc0400000ull, 0x0ull, 0x0ull, 0xbf800000ull, 0 },
	{ SVMGPU_ISA_OP_FSQRT, 0x40000000ull, 0x0ull, 0x0ull, 0x3fb504f3ull, 0 },
	{ SVMGPU_ISA_OP_FSQRT, 0xbf800000ull, 0x0ull, 0x0ull, 0x7fc00000ull, 0 },
	{ SVMGPU_ISA_OP_FSQRT, 0x80000000ull, 0x0ull, 0x0ull, 0x80000000ull, 0 },
	{ SVMGPU_ISA_OP_FRSQ, 0x40800000ull, 0x0ull, 0x0ull, 0x3f000000ull, 0 },
	{ SVMGPU_ISA_OP_FRSQ, 0x80000000ull, 0x0ull, 0x0ull, 0xff800000ull, 0 },
	{ SVMGPU_ISA_OP_FEXP2, 0x41200000ull, 0x0ull, 0x0ull, 0x44800000ull, 0 },
	{ SVMGPU_ISA_OP_FEXP2, 0xc3150000ull, 0x0ull, 0x0ull, 0x1ull, 0 },
	{ SVMGPU_ISA_OP_FEXP2, 0x3f000000ull, 0x0ull, 0x0ull, 0x3fb504f3ull, 1 },
	{ SVMGPU_ISA_OP_FEXP2, 0xc0533333ull, 0x0ull, 0x0ull, 0x3dcfefc6ull, 1 },
	{ SVMGPU_ISA_OP_FLOG2, 0x41000000ull, 0x0ull, 0x0ull, 0x40400000ull, 0 },
	{ SVMGPU_ISA_OP_FLOG2, 0x41200000ull, 0x0ull, 0x0ull, 0x40549a78ull, 1 },
	{ SVMGPU_ISA_OP_FLOG2, 0x3f333333ull, 0x0ull, 0x0ull, 0xbf03bb12ull, 1 },
	{ SVMGPU_ISA_OP_FLOG2, 0x0ull, 0x0ull, 0x0ull, 0xff800000ull, 0 },
	{ SVMGPU_ISA_OP_FSIN, 0x3f800000ull, 0x0ull, 0x0ull, 0x3f576aa4ull, 1 },
	{ SVMGPU_ISA_OP_FCOS, 0x3f800000ull, 0x0ull, 0x0ull, 0x3f0a5140ull, 1 },
	{ SVMGPU_ISA_OP_FSIN, 0x42c80000ull, 0x0ull, 0x0ull, 0xbf01a12eull, 1 },
	{ SVMGPU_ISA_OP_FCOS, 0xc0200000ull, 0x0ull, 0x0ull, 0xbf4d17bfull, 1 },
	{ SVMGPU_ISA_OP_FATAN, 0x3f800000ull, 0x0ull, 0x0ull, 0x3f490fdbull, 1 },
	{ SVMGPU_ISA_OP_FATAN, 0xc0400000ull, 0x0ull, 0x0ull, 0xbf9fe0bbull, 1 },
	{ SVMGPU_ISA_OP_FATAN, 0x3ecccccdull, 0x0ull, 0x0ull, 0x3ec2d1bcull, 1 },
	{ SVMGPU_ISA_OP_FATAN2, 0x3f800000ull, 0xbf800000ull, 0x0ull, 0x4016cbe4ull, 1 },
	{ SVMGPU_ISA_OP_FATAN2, 0x0ull, 0xbf800000ull, 0x0ull, 0x40490fdbull, 0 },
	{ SVMGPU_ISA_OP_FLDEXP, 0x3f800000ull, 0xffffff6bull, 0x0ull, 0x1ull, 0 },
	{ SVMGPU_ISA_OP_FLDEXP, 0x3fc00000ull, 0xc8ull, 0x0ull, 0x7f800000ull, 0 },
	{ SVMGPU_ISA_OP_FEQ, 0x3f800000ull, 0x3f800000ull, 0x0ull, 0x1ull, 0 },
	{ SVMGPU_ISA_OP_FEQ, 0x7fc00000ull, 0x7fc00000ull, 0x0ull, 0x0ull, 0 },
	{ SVMGPU_ISA_OP_FNEU, 0x7fc00000ull, 0x3f800000ull, 0x0ull, 0x1ull, 0 },
	{ SVMGPU_ISA_OP_FLT, 0xbf800000ull, 0x3f800000ull, 0x0ull, 0x1ull, 0 },
	{ SVMGPU_ISA_OP_FGE, 0x7fc00000ull, 0x3f800000ull, 0x0ull, 0x0ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F32_I32, 0xfffffff9ull, 0x0ull, 0x0ull, 0xc0e00000ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F32_U32, 0xffffffffull, 0x0ull, 0x0ull, 0x4f800000ull, 0 },
	{ SVMGPU_ISA_OP_CVT_I32_F32, 0xc039999aull, 0x0ull, 0x0ull, 0xfffffffeull, 0 },
	{ SVMGPU_ISA_OP_CVT_I32_F32, 0x4f32d05eull, 0x0ull, 0x0ull, 0x7fffffffull, 0 },
	{ SVMGPU_ISA_OP_CVT_I32_F32, 0x7fc00000ull, 0x0ull, 0x0ull, 0x0ull, 0 },
	{ SVMGPU_ISA_OP_CVT_U32_F32, 0xc0a00000ull, 0x0ull, 0x0ull, 0x0ull, 0 },
	{ SVMGPU_ISA_OP_CVT_U32_F32, 0x4f32d05eull, 0x0ull, 0x0ull, 0xb2d05e00ull, 0 },
	{ SVMGPU_ISA_OP_CVT_I64_F32, 0xd368d4a5ull, 0x0ull, 0x0ull, 0xffffff172b5b0000ull, 0 },
	{ SVMGPU_ISA_OP_CVT_U64_F32, 0x5f0ac723ull, 0x0ull, 0x0ull, 0x8ac7230000000000ull, 0 },
	{ SVMGPU_ISA_OP_CVT_U64_F32, 0xbf800000ull, 0x0ull, 0x0ull, 0x0ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F32_I64, 0xffffff0000000000ull, 0x0ull, 0x0ull, 0xd3800000ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F32_U64, 0xffffffffffffffffull, 0x0ull, 0x0ull, 0x5f800000ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F32_F16, 0x3c00ull, 0x0ull, 0x0ull, 0x3f800000ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F32_F16, 0x1ull, 0x0ull, 0x0ull, 0x33800000ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F32_F16, 0x7e01ull, 0x0ull, 0x0ull, 0x7fc00000ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F16_F32, 0x3f800000ull, 0x0ull, 0x0ull, 0x3c00ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F16_F32, 0x477ff000ull, 0x0ull, 0x0ull, 0x7c00ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F16_F32, 0x33800000ull, 0x0ull, 0x0ull, 0x1ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F16_F32, 0x3f801000ull, 0x0ull, 0x0ull, 0x3c00ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F16_F32, 0x3f803000ull, 0x0ull, 0x0ull, 0x3c02ull, 0 },
	{ SVMGPU_ISA_OP_CVT_F16_F32, 0x477fe000ull, 0x0ull, 0x0ull, 0x7bffull, 0 },
	{ SVMGPU_ISA_OP_FNEG, 0x7fc01234ull, 0x0ull, 0x0ull, 0xffc01234ull, 0 },
	{ SVMGPU_ISA_OP_FABS, 0xc0000000ull, 0x0ull, 0x0ull, 0x40000000ull, 0 },
	{ SVMGPU_ISA_OP_FISNAN, 0x7f800001ull, 0x0ull, 0x0ull, 0x1ull, 0 },
	{ SVMGPU_ISA_OP_FISINF, 0xff800000ull, 0x0ull, 0x0ull, 0x1ull, 0 },
};

/* The float ALU and conversions against the host's vectors. */
static void sht_float_alu(struct kunit *test)
{
	struct sht *t = test->priv;
	u64 a[16], b[16], c[16], out[16];
	unsigned int i = 0, j, n;

	while (i < ARRAY_SIZE(sht_fvecs)) {
		u16 op = sht_fvecs[i].op;

		memset(a, 0, sizeof(a));
		memset(b, 0, sizeof(b));
		memset(c, 0, sizeof(c));
		for (n = 0; i + n < ARRAY_SIZE(sht_fvecs) && n < 16 &&
		     sht_fvecs[i + n].op == op; n++) {
			a[n] = sht_fvecs[i + n].a;
			b[n] = sht_fvecs[i + n].b;
			c[n] = sht_fvecs[i + n].c;
		}
		sht_alu(t, op, a, b, c, out);
		for (j = 0; j < n; j++) {
			const struct sht_fvec *v = &sht_fvecs[i + j];
			s64 d = (s64)out[j] - (s64)v->want;

			if (d < 0)
				d = -d;
			KUNIT_EXPECT_LE_MSG(test, d, (s64)v->ulp,
					    "%s(0x%llx, 0x%llx, 0x%llx) = 0x%llx, want 0x%llx",
					    svmgpu_hw_isa_op_name(op), v->a, v->b,
					    v->c, out[j], v->want);
		}
		i += n;
	}
}

/* Divergent ifs, nested loops with break and continue, exit. */
static void sht_control_flow(struct kunit *test)
{
	static const __le64 prog[] = {
		W0(LOOP),
		W(UGE, V(3), V(2), SR(LANE_ID), 0, 0),	/* i >= lane */
		W(BREAKC, 0, V(3), 0, 0, 0),
		W(AND, V(4), V(2), LIT, 0, 0), LITW(1),
		W(IADD, V(2), V(2), LIT, 0, 0), LITW(1),
		W(IEQ, V(5), V(4), LIT, 0, 0), LITW(0),
		W(CONTINUEC, 0, V(5), 0, 0, 0),		/* even i */
		W(MOV, V(6), LIT, 0, 0, 0), LITW(0),
		W0(LOOP),				/* j = 0..i */
		W(UGE, V(7), V(6), V(2), 0, 0),
		W(BREAKC, 0, V(7), 0, 0, 0),
		W(IADD, V(1), V(1), V(6), 0, 0),
		W(IADD, V(6), V(6), LIT, 0, 0), LITW(1),
		W0(ENDLOOP),
		W(AND, V(8), SR(LANE_ID), LIT, 0, 0), LITW(2),
		W(IF, 0, V(8), 0, 0, 0),
		W(IADD, V(1), V(1), LIT, 0, 0), LITW(100),
		W0(ELSE),
		W(IADD, V(1), V(1), LIT, 0, 0), LITW(1),
		W0(ENDIF),
		W0(ENDLOOP),
		W(UGE, V(9), SR(LANE_ID), LIT, 0, 0), LITW(13),
		W(IF, 0, V(9), 0, 0, 0),
		W0(EXIT),				/* lanes 13-15 */
		W0(ENDIF),
		W(UMULW, V(10), SR(LANE_ID), LIT, 0, 0), LITW(4),
		W(IADD64, V(10), V(10), LIT, 0, 0), LITW(SHT_DATA_VA),
		W(STG_B32, 0, V(10), V(1), 0, 0),
		W0(END),
	};
	struct sht *t = test->priv;
	u32 *out = sht_data(t, 0);
	unsigned int l, i, j;

	memset32(out, 0xdeadbeef, 16);
	sht_run(t, prog, ARRAY_SIZE(prog), &sht_params_1wave);
	for (l = 0; l < 16; l++) {
		u32 want = 0;

		for (i = 0; i < l; i++) {
			if (!(i & 1))
				continue;
			for (j = 0; j <= i; j++)
				want += j;
			want += (l & 2) ? 100 : 1;
		}
		KUNIT_EXPECT_EQ_MSG(test, out[l], l >= 13 ? 0xdeadbeef : want,
				    "lane %u", l);
	}
}

/* A loop of 20k instructions, run in steps of 1000. */
static void sht_long_loop(struct kunit *test)
{
	static const __le64 prog[] = {
		W0(LOOP),
		W(UGE, V(1), V(0), LIT, 0, 0), LITW(5000),
		W(BREAKC, 0, V(1), 0, 0, 0),
		W(IADD, V(0), V(0), LIT, 0, 0), LITW(1),
		W0(ENDLOOP),
		W(MOV64, V(2), LIT, 0, 0, 0), LITW(SHT_DATA_VA),
		W(STG_B32, 0, V(2), V(0), 0, 0),
		W0(END),
	};
	struct sht *t = test->priv;
	u32 *out = sht_data(t, 0);

	sht_load(t, prog, ARRAY_SIZE(prog), &sht_params_1wave);
	KUNIT_EXPECT_EQ(test, sht_go(t, 1000), SVMGPU_HW_SHADER_DONE);
	KUNIT_EXPECT_EQ(test, out[0], 5000);
	KUNIT_EXPECT_GE(test, t->job->stats.insns, 20000);
	KUNIT_EXPECT_EQ(test, t->job->stats.waves, 1);
}

/* An endless loop only ever spends its budget: the job timeout ends it. */
static void sht_endless(struct kunit *test)
{
	static const __le64 prog[] = {
		W0(LOOP),
		W(IADD, V(0), V(0), LIT, 0, 0), LITW(1),
		W0(ENDLOOP),
		W0(END),
	};
	struct sht *t = test->priv;
	unsigned int i;

	sht_load(t, prog, ARRAY_SIZE(prog), &sht_params_1wave);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, svmgpu_hw_shader_run(t->job, t->port, 1000),
				SVMGPU_HW_SHADER_BUDGET_OUT);
	KUNIT_EXPECT_EQ(test, t->job->stats.insns, 10000);
}

/* Illegal programs and parameters are refused before anything runs. */
static void sht_illegal(struct kunit *test)
{
	static const __le64 bad_op[] = {
		W0(NOP),
		cpu_to_le64(0x3ff),
		W0(END),
	};
	static const __le64 no_end[] = {
		W(MOV, V(0), SR(LANE_ID), 0, 0, 0),
	};
	static const __le64 good[] = { W0(END) };
	struct sht *t = test->priv;
	struct svmgpu_hw_shader_params p = sht_params_1wave;
	struct svmgpu_hw_isa_error err;
	struct svmgpu_hw_shader_job *job = t->job;

	KUNIT_EXPECT_EQ(test, svmgpu_hw_shader_job_init(job, &p, bad_op, 3, &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err.reason, SVMGPU_ISA_ILLEGAL_OPCODE);
	KUNIT_EXPECT_EQ(test, err.pc, 1);
	KUNIT_EXPECT_EQ(test, svmgpu_hw_shader_job_init(job, &p, no_end, 1, &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err.reason, SVMGPU_ISA_ILLEGAL_NO_END);
	KUNIT_EXPECT_EQ(test, svmgpu_hw_shader_job_init(job, &p, good, 0, &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err.reason, SVMGPU_ISA_ILLEGAL_SIZE);
	p.wg_size[1] = 65;	/* 1040 invocations */
	KUNIT_EXPECT_EQ(test, svmgpu_hw_shader_job_init(job, &p, good, 1, &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err.reason, SVMGPU_ISA_ILLEGAL_NONE);
	p = sht_params_1wave;
	p.shared_size = SVMGPU_ISA_MAX_SHARED + 4;
	KUNIT_EXPECT_EQ(test, svmgpu_hw_shader_job_init(job, &p, good, 1, &err),
			-EINVAL);
	/* The register count is the dispatch's: v32 is beyond 32. */
	{
		static const __le64 hi_reg[] = {
			W(MOV, V(32), SR(LANE_ID), 0, 0, 0),
			W0(END),
		};

		p = sht_params_1wave;
		KUNIT_EXPECT_EQ(test, svmgpu_hw_shader_job_init(job, &p, hi_reg, 2,
								&err), -EINVAL);
		KUNIT_EXPECT_EQ(test, err.reason, SVMGPU_ISA_ILLEGAL_REG_RANGE);
	}
}

#define SHT_MEMBAR_REL	(SVMGPU_ISA_MEMBAR_RELEASE | SVMGPU_ISA_MEMBAR_SHARED)
#define SHT_MEMBAR_ACQ	(SVMGPU_ISA_MEMBAR_ACQUIRE | SVMGPU_ISA_MEMBAR_SHARED)

/*
 * Four workgroups of 256 sum 1024 values: wave sums through shared
 * memory and a barrier, and shared-memory atomics, both checked.
 */
static void sht_shared_reduction(struct kunit *test)
{
	static const __le64 prog[] = {
		W(IMUL, V(0), SR(WG_ID_X), LIT, 0, 0), LITW(256),
		W(IADD, V(0), V(0), SR(LOCAL_INDEX), 0, 0),
		W(UMULW, V(2), V(0), LIT, 0, 0), LITW(4),
		W(IADD64, V(2), V(2), LIT, 0, 0), LITW(SHT_DATA_VA),
		W(LDG_B32, V(4), V(2), 0, 0, 0),
		W(RED_IADD, S(0), V(4), 0, 0, 0),	/* the wave's sum */
		W(ATOMS_ADD_U32, V(5), LIT, V(4), 0, 0), LITW(64),
		W(ELECT, V(6), 0, 0, 0, 0),
		W(IF, 0, V(6), 0, 0, 0),
		W(MOV, V(7), SR(SUBGROUP_ID), 0, 0, 0),
		W(SHL, V(7), V(7), LIT, 0, 0), LITW(2),
		W(STS_B32, 0, V(7), S(0), 0, 0),
		W0(ENDIF),
		W(MEMBAR, 0, 0, 0, 0, SHT_MEMBAR_REL),
		W0(BARRIER),
		W(MEMBAR, 0, 0, 0, 0, SHT_MEMBAR_ACQ),
		W(IEQ, V(9), SR(LOCAL_INDEX), LIT, 0, 0), LITW(0),
		W(IF, 0, V(9), 0, 0, 0),
		W0(LOOP),
		W(UGE, V(12), V(11), SR(NUM_SUBGROUPS), 0, 0),
		W(BREAKC, 0, V(12), 0, 0, 0),
		W(SHL, V(13), V(11), LIT, 0, 0), LITW(2),
		W(LDS_B32, V(14), V(13), 0, 0, 0),
		W(IADD, V(10), V(10), V(14), 0, 0),
		W(IADD, V(11), V(11), LIT, 0, 0), LITW(1),
		W0(ENDLOOP),
		W(LDS_B32, V(15), LIT, 0, 0, 0), LITW(64),
		W(UMULW, V(18), SR(WG_ID_X), LIT, 0, 0), LITW(8),
		W(IADD64, V(18), V(18), LIT, 0, 0), LITW(SHT_DATA_VA + PAGE_SIZE),
		W(STG_B32, 0, V(18), V(10), 0, 0),
		W(STG_B32, 0, V(18), V(15), 0, 4),
		W0(ENDIF),
		W0(END),
	};
	struct svmgpu_hw_shader_params p = {
		.args = SHT_ARGS_VA, .num_wg = { 4, 1, 1 },
		.wg_size = { 16, 16, 1 }, .shared_size = 128,
		.vregs = 20, .sregs = 1,
	};
	struct sht *t = test->priv;
	u32 *in = sht_data(t, 0), *out = sht_data(t, 1);
	unsigned int i, wg;

	for (i = 0; i < 1024; i++)
		in[i] = i * 2654435761u >> 8;
	sht_run(t, prog, ARRAY_SIZE(prog), &p);
	for (wg = 0; wg < 4; wg++) {
		u32 want = 0;

		for (i = 0; i < 256; i++)
			want += in[wg * 256 + i];
		KUNIT_EXPECT_EQ_MSG(test, out[wg * 2], want, "wg %u", wg);
		KUNIT_EXPECT_EQ_MSG(test, out[wg * 2 + 1], want, "wg %u", wg);
	}
	KUNIT_EXPECT_EQ(test, t->job->stats.waves, 64);
}

/* 2048 invocations in 8 workgroups hit the same words: exact totals. */
static void sht_atomics(struct kunit *test)
{
	static const __le64 prog[] = {
		W(MOV, V(0), SR(GLOBAL_ID_X), 0, 0, 0),
		W(MOV64, S(0), LIT, 0, 0, 0), LITW(SHT_DATA_VA + 2 * PAGE_SIZE),
		W(ATOMG_ADD_U32, V(1), S(0), LIT, 0, 0), LITW(1),
		W(CVT_U64_U32, V(2), V(0), 0, 0, 0),
		W(ATOMG_ADD_U64, V(4), S(0), V(2), 0, 8),
		W(ATOMG_UMAX_U32, V(1), S(0), V(0), 0, 16),
		W(INEG, V(6), V(0), 0, 0, 0),
		W(ATOMG_SMIN_I32, V(1), S(0), V(6), 0, 20),
		W(AND, V(7), V(0), LIT, 0, 0), LITW(31),
		W(SHL, V(8), LIT, V(7), 0, 0), LITW(1),
		W(ATOMG_OR_B32, V(1), S(0), V(8), 0, 24),
		W(ATOMG_FADD_F32, V(1), S(0), LIT, 0, 28), LITW(0x3f800000),
		W(ATOMG_XOR_B32, V(1), S(0), V(0), 0, 32),
		W(ATOMG_SUB_U32, V(1), S(0), LIT, 0, 36), LITW(1),
		W0(LOOP),				/* a ticket by CAS */
		W(LDG_B32, V(9), S(0), 0, 0, 40),
		W(IADD, V(10), V(9), LIT, 0, 0), LITW(1),
		W(ATOMG_CMPXCHG_B32, V(11), S(0), V(9), V(10), 40),
		W(IEQ, V(12), V(11), V(9), 0, 0),
		W(BREAKC, 0, V(12), 0, 0, 0),
		W0(ENDLOOP),
		W(ATOMG_XCHG_B64, V(4), S(0), V(2), 0, 48),
		W(ATOMG_AND_B32, V(1), S(0), V(0), 0, 56),
		W0(END),
	};
	struct svmgpu_hw_shader_params p = {
		.args = SHT_ARGS_VA, .num_wg = { 8, 1, 1 },
		.wg_size = { 256, 1, 1 }, .vregs = 13, .sregs = 2,
	};
	struct sht *t = test->priv;
	u32 *w = sht_data(t, 2);

	w[5] = 0;
	w[9] = 5000;
	w[14] = 0x7ff;
	sht_run(t, prog, ARRAY_SIZE(prog), &p);
	KUNIT_EXPECT_EQ(test, w[0], 2048);
	KUNIT_EXPECT_EQ(test, *(u64 *)&w[2], 2047ull * 2048 / 2);
	KUNIT_EXPECT_EQ(test, w[4], 2047);
	KUNIT_EXPECT_EQ(test, (s32)w[5], -2047);
	KUNIT_EXPECT_EQ(test, w[6], 0xffffffff);
	KUNIT_EXPECT_EQ(test, w[7], 0x45000000);	/* 2048.0 */
	KUNIT_EXPECT_EQ(test, w[8], 0);
	KUNIT_EXPECT_EQ(test, w[9], 5000 - 2048);
	KUNIT_EXPECT_EQ(test, w[10], 2048);
	KUNIT_EXPECT_LT(test, *(u64 *)&w[12], 2048);
	KUNIT_EXPECT_EQ(test, w[14], 0);
	KUNIT_EXPECT_EQ(test, t->job->stats.waves, 128);
}

/* Cross-lane operations, over all lanes and over the odd ones. */
static void sht_subgroup(struct kunit *test)
{
	static const __le64 prog[] = {
		W(MOV, V(0), SR(LANE_ID), 0, 0, 0),
		W(IMUL, V(1), V(0), LIT, 0, 0), LITW(3),
		W(IADD, V(1), V(1), LIT, 0, 0), LITW(1),	/* 3l + 1 */
		W(UMULW, V(20), V(0), LIT, 0, 0), LITW(4),
		W(IADD64, V(20), V(20), LIT, 0, 0), LITW(SHT_DATA_VA),
		W(SHFLXOR, V(2), V(1), LIT, 0, 0), LITW(5),
		W(STG_B32, 0, V(20), V(2), 0, 0 * 64),
		W(SHFLUP, V(2), V(1), LIT, 0, 0), LITW(3),
		W(STG_B32, 0, V(20), V(2), 0, 1 * 64),
		W(SHFLDOWN, V(2), V(1), LIT, 0, 0), LITW(2),
		W(STG_B32, 0, V(20), V(2), 0, 2 * 64),
		W(ISUB, V(3), LIT, V(0), 0, 0), LITW(15),
		W(SHFL, V(2), V(1), V(3), 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 3 * 64),
		W(SCAN_IADD, V(2), V(1), 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 4 * 64),
		W(XSCAN_IADD, V(2), V(1), 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 5 * 64),
		W(RED_UMAX, S(0), V(1), 0, 0, 0),
		W(STG_B32, 0, V(20), S(0), 0, 6 * 64),
		W(AND, V(3), V(0), LIT, 0, 0), LITW(1),
		W(IF, 0, V(3), 0, 0, 0),			/* odd lanes */
		W(AND, V(4), V(1), LIT, 0, 0), LITW(4),
		W(BALLOT, V(2), V(4), 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 7 * 64),
		W(ELECT, V(2), 0, 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 8 * 64),
		W(RED_IADD, V(2), V(1), 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 9 * 64),
		W(ISUB, V(4), LIT, V(1), 0, 0), LITW(20),
		W(SCAN_SMIN, V(2), V(4), 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 10 * 64),
		W(BCASTF, V(2), V(1), 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 11 * 64),
		W(BCAST, V(2), V(1), LIT, 0, 0), LITW(6),
		W(STG_B32, 0, V(20), V(2), 0, 12 * 64),
		W(XSCAN_XOR, V(2), V(1), 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 13 * 64),
		W(CVT_F32_U32, V(4), V(1), 0, 0, 0),
		W(RED_FMAX, V(2), V(4), 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 14 * 64),
		W(RED_FADD, V(2), V(4), 0, 0, 0),
		W(STG_B32, 0, V(20), V(2), 0, 15 * 64),
		W0(ENDIF),
		W0(END),
	};
	struct sht *t = test->priv;
	u32 *out = sht_data(t, 0), x[16], want[16], acc, fsum = 0;
	unsigned int l, i, r;
	s32 smin;

	for (l = 0; l < 16; l++)
		x[l] = 3 * l + 1;
	sht_run(t, prog, ARRAY_SIZE(prog), &sht_params_1wave);
	for (r = 0; r < 16; r++) {
		for (l = 0; l < 16; l++) {
			bool odd = l & 1;

			switch (r) {
			case 0:
				want[l] = x[l ^ 5];
				break;
			case 1:
				want[l] = l < 3 ? x[l] : x[l - 3];
				break;
			case 2:
				want[l] = l + 2 > 15 ? x[l] : x[l + 2];
				break;
			case 3:
				want[l] = x[15 - l];
				break;
			case 4:
			case 5:
				for (acc = 0, i = 0; i < l + (r == 4); i++)
					acc += x[i];
				want[l] = acc;
				break;
			case 6:
				want[l] = 46;
				break;
			case 7:
				for (acc = 0, i = 1; i < 16; i += 2)
					if (x[i] & 4)
						acc |= 1u << i;
				want[l] = odd ? acc : 0;
				break;
			case 8:
				want[l] = l == 1;
				break;
			case 9:
				for (acc = 0, i = 1; i < 16; i += 2)
					acc += x[i];
				want[l] = odd ? acc : 0;
				break;
			case 10:
				for (smin = S32_MAX, i = 1; i <= l; i += 2)
					smin = min_t(s32, smin, 20 - (s32)x[i]);
				want[l] = odd ? (u32)smin : 0;
				break;
			case 11:
				want[l] = odd ? x[1] : 0;
				break;
			case 12:
				want[l] = odd ? x[6] : 0;
				break;
			case 13:
				for (acc = 0, i = 1; i < l; i += 2)
					acc ^= x[i];
				want[l] = odd ? acc : 0;
				break;
			case 14:
				want[l] = odd ? 0x42380000 : 0;
				break;	/* 46.0 */
			default:
				for (fsum = 0, i = 1; i < 16; i += 2)
					fsum += x[i];
				want[l] = odd ? 0x43480000 : 0;	/* 200.0 */
				break;
			}
			KUNIT_EXPECT_EQ_MSG(test, out[r * 16 + l], want[l],
					    "row %u lane %u", r, l);
		}
	}
	KUNIT_EXPECT_EQ(test, fsum, 200);
}

/* Loads and stores of every size, signed loads, uniform loads, shared. */
static void sht_load_store(struct kunit *test)
{
	static const __le64 prog[] = {
		W(UMULW, V(2), SR(LANE_ID), LIT, 0, 0), LITW(16),
		W(IADD64, V(2), V(2), LIT, 0, 0), LITW(SHT_DATA_VA),
		W(LDG_U8, V(4), V(2), 0, 0, 1),
		W(LDG_I8, V(5), V(2), 0, 0, 1),
		W(LDG_U16, V(6), V(2), 0, 0, 2),
		W(LDG_I16, V(7), V(2), 0, 0, 2),
		W(LDG_B128, V(8), V(2), 0, 0, 0),
		W(LDG_B32, S(2), SR(ARGS), 0, 0, 4),		/* uniform */
		W(LDG_B64, V(12), V(2), 0, 0, 8),
		W(UMULW, V(16), SR(LANE_ID), LIT, 0, 0), LITW(64),
		W(IADD64, V(16), V(16), LIT, 0, 0), LITW(SHT_DATA_VA + PAGE_SIZE),
		W(STG_B32, 0, V(16), V(4), 0, 0),
		W(STG_B32, 0, V(16), V(5), 0, 4),
		W(STG_B32, 0, V(16), V(6), 0, 8),
		W(STG_B32, 0, V(16), V(7), 0, 12),
		W(STG_B128, 0, V(16), V(8), 0, 16),
		W(STG_B32, 0, V(16), S(2), 0, 32),
		W(STG_B64, 0, V(16), V(12), 0, 40),
		W(STG_B8, 0, V(16), V(4), 0, 48),
		W(STG_B16, 0, V(16), V(7), 0, 50),
		/* Through shared memory and back. */
		W(UMULW, V(18), SR(LANE_ID), LIT, 0, 0), LITW(16),
		W(STS_B128, 0, V(18), V(8), 0, 0),
		W(LDS_I8, V(20), V(18), 0, 0, 3),
		W(LDS_B64, V(22), V(18), 0, 0, 8),
		W(STG_B32, 0, V(16), V(20), 0, 52),
		W(STG_B64, 0, V(16), V(22), 0, 56),
		W0(END),
	};
	struct svmgpu_hw_shader_params p = sht_params_1wave;
	struct sht *t = test->priv;
	u8 *in = sht_data(t, 0);
	u8 *out = sht_data(t, 1);
	u32 *args = sht_args(t);
	unsigned int i, l;

	for (i = 0; i < PAGE_SIZE; i++)
		in[i] = i * 37 + 11;
	args[1] = 0xfeedf00d;
	p.shared_size = 256;
	sht_run(t, prog, ARRAY_SIZE(prog), &p);
	for (l = 0; l < 16; l++) {
		u8 *src = in + l * 16, *dst = out + l * 64;
		u32 *d32 = (u32 *)dst;

		KUNIT_EXPECT_EQ(test, d32[0], src[1]);
		KUNIT_EXPECT_EQ(test, d32[1], (u32)(s32)(s8)src[1]);
		KUNIT_EXPECT_EQ(test, d32[2], *(u16 *)(src + 2));
		KUNIT_EXPECT_EQ(test, d32[3], (u32)(s32)*(s16 *)(src + 2));
		KUNIT_EXPECT_EQ(test, memcmp(dst + 16, src, 16), 0);
		KUNIT_EXPECT_EQ(test, d32[8], 0xfeedf00d);
		KUNIT_EXPECT_EQ(test, memcmp(dst + 40, src + 8, 8), 0);
		KUNIT_EXPECT_EQ(test, dst[48], src[1]);
		KUNIT_EXPECT_EQ(test, *(u16 *)(dst + 50), *(u16 *)(src + 2));
		KUNIT_EXPECT_EQ(test, d32[13], (u32)(s32)(s8)src[3]);
		KUNIT_EXPECT_EQ(test, memcmp(dst + 56, src + 8, 8), 0);
	}
}

/* Misaligned and out-of-range shared accesses end the job: no effect. */
static void sht_exceptions(struct kunit *test)
{
	static const __le64 misaligned[] = {
		W(MOV64, V(2), LIT, 0, 0, 0), LITW(SHT_DATA_VA),
		W(UMULW, V(4), SR(LANE_ID), LIT, 0, 0), LITW(4),
		W(IADD64, V(2), V(2), V(4), 0, 0),
		W(IEQ, V(6), SR(LANE_ID), LIT, 0, 0), LITW(9),
		W(IADD, V(2), V(2), V(6), 0, 0),	/* lane 9: +1 */
		W(STG_B32, 0, V(2), V(6), 0, 0),
		W0(END),
	};
	static const __le64 shared_range[] = {
		W(UMULW, V(2), SR(LANE_ID), LIT, 0, 0), LITW(8),
		W(STS_B64, 0, V(2), V(2), 0, 8),	/* lane 15: 128..135 */
		W0(END),
	};
	struct svmgpu_hw_shader_params p = sht_params_1wave;
	struct sht *t = test->priv;
	u32 *out = sht_data(t, 0);
	unsigned int l;

	sht_load(t, misaligned, ARRAY_SIZE(misaligned), &p);
	KUNIT_EXPECT_EQ(test, sht_go(t, 100), SVMGPU_HW_SHADER_EXCEPTION);
	KUNIT_EXPECT_EQ(test, t->job->exception, SVMGPU_ISA_EXC_MISALIGNED);
	KUNIT_EXPECT_EQ(test, t->job->fault_lane, 9);
	KUNIT_EXPECT_EQ(test, t->job->fault_pc, 8);
	for (l = 0; l < 16; l++)
		KUNIT_EXPECT_EQ(test, out[l], 0);

	p.shared_size = 128;
	sht_load(t, shared_range, ARRAY_SIZE(shared_range), &p);
	KUNIT_EXPECT_EQ(test, sht_go(t, 100), SVMGPU_HW_SHADER_EXCEPTION);
	KUNIT_EXPECT_EQ(test, t->job->exception, SVMGPU_ISA_EXC_SHARED_RANGE);
	KUNIT_EXPECT_EQ(test, t->job->fault_lane, 15);
}

/*
 * An atomic whose lanes 8-15 hit an unmapped page faults with nothing
 * done in any lane; the wave parks, the other wave runs (and faults too);
 * after the page is mapped and the waves resumed, every lane has done its
 * atomic exactly once.
 */
static void sht_fault_resume(struct kunit *test)
{
	static const __le64 prog[] = {
		W(MOV, V(0), SR(GLOBAL_ID_X), 0, 0, 0),			/* 0 */
		W(UMULW, V(2), V(0), LIT, 0, 0), LITW(4),		/* 1 */
		W(IADD64, V(4), V(2), LIT, 0, 0), LITW(SHT_DATA_VA),	/* 3 */
		W(IADD64, V(6), V(2), LIT, 0, 0), LITW(SHT_HOLE_VA),	/* 5 */
		W(AND, V(8), V(0), LIT, 0, 0), LITW(8),			/* 7 */
		W(SEL64, V(10), V(8), V(6), V(4), 0),			/* 9 */
		W(ATOMG_ADD_U32, V(12), V(10), LIT, 0, 0), LITW(1),	/* 10 */
		W(STG_B32, 0, V(4), V(12), 0, 512),			/* 12 */
		W0(END),
	};
	struct svmgpu_hw_shader_params p = sht_params_1wave;
	struct sht *t = test->priv;
	u32 *data = sht_data(t, 0), *hole;
	struct page *page;
	unsigned int i;

	p.wg_size[0] = 32;
	for (i = 0; i < 32; i++)
		data[i] = 10 + i;
	sht_load(t, prog, ARRAY_SIZE(prog), &p);

	KUNIT_ASSERT_EQ(test, sht_go(t, 1000), SVMGPU_HW_SHADER_FAULTED);
	KUNIT_EXPECT_EQ(test, t->job->fault.va, SHT_HOLE_VA + 8 * 4);
	KUNIT_EXPECT_EQ(test, t->job->fault.access, SVMGPU_ACCESS_ATOMIC);
	KUNIT_EXPECT_EQ(test, t->job->fault.reason, SVMGPU_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, t->job->fault_lane, 8);
	KUNIT_EXPECT_EQ(test, t->job->fault_pc, 10);
	/* No lane of the faulting instruction took effect. */
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, data[i], 10 + i);

	/* The other wave runs and faults in turn; then nothing can run. */
	KUNIT_ASSERT_EQ(test, sht_go(t, 1000), SVMGPU_HW_SHADER_FAULTED);
	KUNIT_EXPECT_EQ(test, t->job->fault.va, SHT_HOLE_VA + 24 * 4);
	KUNIT_EXPECT_EQ(test, sht_go(t, 1000), SVMGPU_HW_SHADER_STALLED);
	KUNIT_EXPECT_EQ(test, t->job->stats.faults, 2);

	/* Service the fault: map the page; resume. */
	page = sht_page(t);
	hole = page_address(page);
	for (i = 0; i < 32; i++)
		hole[i] = 20 + i;
	sht_map(t, SHT_HOLE_VA, page, true);
	svmgpu_hw_shader_resume(t->job);
	KUNIT_ASSERT_EQ(test, sht_go(t, 1000), SVMGPU_HW_SHADER_DONE);
	for (i = 0; i < 32; i++) {
		bool high = i & 8;

		KUNIT_EXPECT_EQ(test, data[i], high ? 10 + i : 11 + i);
		KUNIT_EXPECT_EQ(test, hole[i], high ? 21 + i : 20 + i);
		KUNIT_EXPECT_EQ(test, data[128 + i], high ? 20 + i : 10 + i);
	}

	/* A store to a read-only page: a write-protect fault, no effect. */
	sht_map(t, SHT_HOLE_VA, page, false);
	spin_lock(&t->port->access_lock);	/* the port's TLB: invalidate all */
	memset(&t->port->tlb, 0, sizeof(t->port->tlb));
	spin_unlock(&t->port->access_lock);
	sht_load(t, prog, ARRAY_SIZE(prog), &p);
	KUNIT_ASSERT_EQ(test, sht_go(t, 1000), SVMGPU_HW_SHADER_FAULTED);
	KUNIT_EXPECT_EQ(test, t->job->fault.reason, SVMGPU_FAULT_WRITE_PROTECT);
	KUNIT_EXPECT_EQ(test, hole[8], 29);
}

#define SHT_FUZZ_PROGRAMS	300
#define SHT_FUZZ_WORDS		32

static u32 sht_rnd(struct rnd_state *rnd, u32 n)
{
	return prandom_u32_state(rnd) % n;
}

/* A random operand for a @size-register field; @src allows LIT/SR. */
static u32 sht_fuzz_operand(struct rnd_state *rnd, unsigned int size,
			    bool src, bool *lit)
{
	u32 k = sht_rnd(rnd, 10);

	if (!src)
		return V(4 * sht_rnd(rnd, 8));	/* a vector destination */
	if (size == 4)
		return k < 3 ? S(4 * sht_rnd(rnd, 4)) : V(4 * sht_rnd(rnd, 8));
	if (k == 0) {
		*lit = true;
		return LIT;
	}
	if (k == 1 && size == 1)
		return SVMGPU_ISA_SR(sht_rnd(rnd, SVMGPU_ISA_SR_COUNT));
	if (k == 1)
		return SR(ARGS);
	if (k < 4)
		return S(4 * sht_rnd(rnd, 4));
	return V(4 * sht_rnd(rnd, 8));
}

/*
 * Random programs - mostly valid, structured, with random operands,
 * addresses and literals - decoded and run for a bounded number of steps:
 * whatever they do (faults on random addresses, exceptions, endless
 * loops), the kernel is unharmed (KASAN and lockdep watch on the debug
 * lane). Seeded: reproducible.
 */
static void sht_fuzz(struct kunit *test)
{
	struct svmgpu_hw_shader_params p = {
		.root = 0, .args = SHT_DATA_VA, .num_wg = { 2, 1, 1 },
		.wg_size = { 24, 1, 1 }, .shared_size = 256,
		.vregs = 32, .sregs = 16,
	};
	struct sht *t = test->priv;
	struct svmgpu_hw_isa_error err;
	struct rnd_state rnd;
	unsigned int i, n, depth, loops, valid = 0, done = 0, step;
	__le64 prog[SHT_FUZZ_WORDS + 8];
	bool is_loop[SVMGPU_ISA_MAX_DEPTH];

	prandom_seed_state(&rnd, 0x5ade5eedull);
	p.root = page_to_phys(t->root);
	for (i = 0; i < SHT_FUZZ_PROGRAMS; i++) {
		n = 0;
		depth = 0;
		loops = 0;
		while (n < SHT_FUZZ_WORDS) {
			u32 op = sht_rnd(&rnd, SVMGPU_ISA_OP_LIMIT), k = sht_rnd(&rnd, 16);
			const u8 *sz;
			u32 f[4] = { 0 }, imm = 0, j;
			bool lit = false;

			if (k == 0 && depth < 4) {
				is_loop[depth] = sht_rnd(&rnd, 2);
				loops += is_loop[depth];
				prog[n++] = is_loop[depth] ? W0(LOOP) :
					    W(IF, 0, V(4 * sht_rnd(&rnd, 8)), 0, 0, 0);
				depth++;
				continue;
			}
			if (k == 1 && depth) {
				depth--;
				loops -= is_loop[depth];
				prog[n++] = is_loop[depth] ? W0(ENDLOOP) : W0(ENDIF);
				continue;
			}
			if (k == 2 && loops) {
				prog[n++] = W(BREAKC, 0, V(4 * sht_rnd(&rnd, 8)), 0, 0, 0);
				continue;
			}
			if (!svmgpu_hw_isa_op_name(op) ||
			    svmgpu_hw_isa_op_sizes(op)[0] + svmgpu_hw_isa_op_sizes(op)[1] == 0)
				continue;	/* control: only the structured ones above */
			sz = svmgpu_hw_isa_op_sizes(op);
			for (j = 0; j < 4; j++)
				if (sz[j])
					f[j] = sht_fuzz_operand(&rnd, sz[j], j > 0, &lit);
			if (op == SVMGPU_ISA_OP_BCAST)
				f[2] = S(0);	/* the lane must be uniform */
			if (op >= SVMGPU_ISA_OP_LDG_U8 && op < SVMGPU_ISA_OP_BALLOT)
				imm = sht_rnd(&rnd, 64) * 4;
			prog[n++] = cpu_to_le64(SVMGPU_ISA_WORD(op, f[0], f[1], f[2],
								f[3], imm));
			if (lit)
				prog[n++] = cpu_to_le64(sht_rnd(&rnd, 4) ?
							SHT_DATA_VA + sht_rnd(&rnd, 1024) * 4 :
							(u64)prandom_u32_state(&rnd) << 32 |
							prandom_u32_state(&rnd));
		}
		while (depth) {
			depth--;
			prog[n++] = is_loop[depth] ? W0(ENDLOOP) : W0(ENDIF);
		}
		prog[n++] = W0(END);

		svmgpu_hw_shader_job_fini(t->job);
		memset(t->job, 0, sizeof(*t->job));
		if (svmgpu_hw_shader_job_init(t->job, &p, prog, n, &err))
			continue;	/* e.g. a random if/breakc: NESTING */
		valid++;
		for (step = 0; step < 20; step++) {
			enum svmgpu_hw_shader_status st =
				svmgpu_hw_shader_run(t->job, t->port, 200);

			if (st == SVMGPU_HW_SHADER_DONE) {
				done++;
				break;
			}
			if (st == SVMGPU_HW_SHADER_EXCEPTION)
				break;
			if (st == SVMGPU_HW_SHADER_STALLED)
				svmgpu_hw_shader_resume(t->job);
		}
	}
	kunit_info(test, "%u programs, %u valid, %u ran to the end\n",
		   SHT_FUZZ_PROGRAMS, valid, done);
	KUNIT_EXPECT_GT(test, valid, SHT_FUZZ_PROGRAMS / 10);
}

static struct kunit_case svmgpu_shader_test_cases[] = {
	KUNIT_CASE(sht_int_alu),
	KUNIT_CASE(sht_float_alu),
	KUNIT_CASE(sht_control_flow),
	KUNIT_CASE(sht_long_loop),
	KUNIT_CASE(sht_endless),
	KUNIT_CASE(sht_illegal),
	KUNIT_CASE(sht_shared_reduction),
	KUNIT_CASE(sht_atomics),
	KUNIT_CASE(sht_subgroup),
	KUNIT_CASE(sht_load_store),
	KUNIT_CASE(sht_exceptions),
	KUNIT_CASE(sht_fault_resume),
	KUNIT_CASE(sht_fuzz),
	{}
};

static struct kunit_suite svmgpu_shader_test_suite = {
	.name = "svmgpu_shader",
	.init = sht_init,
	.exit = sht_exit,
	.test_cases = svmgpu_shader_test_cases,
};

kunit_test_suite(svmgpu_shader_test_suite);
