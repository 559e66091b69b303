// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_hw_shader.c - the shader cores of the svmgpu virtual GPU: the
 * interpreter that runs a dispatch's waves.
 *
 * Over 1000 lines, on purpose: the interpreter is one switch over the
 * instruction classes around one wave's state, and its helpers (operand
 * access, the integer ALU, the mask stack, memory, subgroup operations)
 * read best next to the loop that calls them.
 */

/**
 * DOC: Shader cores
 *
 * A compute unit runs one dispatch (struct svmgpu_hw_shader_job) a
 * workgroup at a time: the workgroup's waves are loaded with their
 * registers at zero and EXEC = LIVE = the lanes that hold an invocation,
 * and run round robin. The program was fetched and decoded once for the
 * dispatch (svmgpu_hw_isa_decode()); the interpreter follows the targets
 * the decoder resolved and never searches the program.
 *
 * Execution is in bounded steps: svmgpu_hw_shader_run() executes at most
 * a budget of instructions and returns, so a shader never holds a CPU for
 * long. A wave parks - it keeps its PC and registers, no coroutine - when
 * it waits at a barrier, when its memory instruction faulted, and when
 * the budget is spent.
 *
 * Memory instructions compute and check every active lane's address
 * first, then hand all lanes to svmgpu_hw_mem_lanes(), which translates
 * all of them before touching any byte. A failed translation parks the
 * wave on that instruction with nothing done; svmgpu_hw_shader_resume()
 * lets it execute the instruction again from the start.
 *
 * Floating point (svmgpu_hw_shader_fp.c) runs only between
 * kernel_fpu_begin() and kernel_fpu_end(), opened at the first float
 * instruction of a step and closed before any memory instruction and at
 * the end of the step: no FPU section spans a lock, a fault or a sleep.
 */

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/fpu.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_isa.h"
#include "svmgpu_hw_shader.h"

/* What executing one instruction did to the wave. */
enum shader_result {
	SHADER_NEXT,		/* go on with the wave */
	SHADER_PARK,		/* the wave parked (barrier, end) */
	SHADER_FAULT,		/* translation fault: the wave parked */
	SHADER_EXCEPTION,	/* run-time exception: the job ends */
};

static void shader_fpu_end(struct svmgpu_hw_shader_job *job)
{
	if (job->fpu) {
		kernel_fpu_end();
		job->fpu = false;
	}
}

static void shader_fpu_begin(struct svmgpu_hw_shader_job *job)
{
	if (!job->fpu) {
		kernel_fpu_begin();
		job->fpu = true;
	}
}

static u32 shader_special(const struct svmgpu_hw_shader_job *job,
			  const struct svmgpu_hw_wave *w, unsigned int n,
			  unsigned int lane)
{
	const struct svmgpu_hw_shader_params *p = &job->p;
	u32 li = w->index * SVMGPU_HW_LANES + lane;
	u32 id[3];

	id[0] = li % p->wg_size[0];
	id[1] = (li / p->wg_size[0]) % p->wg_size[1];
	id[2] = li / (p->wg_size[0] * p->wg_size[1]);

	switch (n) {
	case SVMGPU_ISA_SR_LANE_ID:
		return lane;
	case SVMGPU_ISA_SR_LOCAL_ID_X ... SVMGPU_ISA_SR_LOCAL_ID_Z:
		return id[n - SVMGPU_ISA_SR_LOCAL_ID_X];
	case SVMGPU_ISA_SR_LOCAL_INDEX:
		return li;
	case SVMGPU_ISA_SR_GLOBAL_ID_X ... SVMGPU_ISA_SR_GLOBAL_ID_Z:
		n -= SVMGPU_ISA_SR_GLOBAL_ID_X;
		return job->wg_id[n] * p->wg_size[n] + id[n];
	case SVMGPU_ISA_SR_WG_ID_X ... SVMGPU_ISA_SR_WG_ID_Z:
		return job->wg_id[n - SVMGPU_ISA_SR_WG_ID_X];
	case SVMGPU_ISA_SR_NUM_WG_X ... SVMGPU_ISA_SR_NUM_WG_Z:
		return p->num_wg[n - SVMGPU_ISA_SR_NUM_WG_X];
	case SVMGPU_ISA_SR_WG_SIZE_X ... SVMGPU_ISA_SR_WG_SIZE_Z:
		return p->wg_size[n - SVMGPU_ISA_SR_WG_SIZE_X];
	case SVMGPU_ISA_SR_SUBGROUP_ID:
		return w->index;
	case SVMGPU_ISA_SR_NUM_SUBGROUPS:
		return job->nwaves;
	case SVMGPU_ISA_SR_EXEC:
		return w->exec;
	case SVMGPU_ISA_SR_ARGS:
		return lower_32_bits(p->args);
	case SVMGPU_ISA_SR_ARGS_HI:
		return upper_32_bits(p->args);
	case SVMGPU_ISA_SR_SHARED_SIZE:
		return p->shared_size;
	default:
		return 0;	/* the decoder rejected it */
	}
}

/* A 32-bit source operand of @lane. */
static u32 rd32(const struct svmgpu_hw_shader_job *job,
		const struct svmgpu_hw_wave *w,
		const struct svmgpu_hw_isa_insn *insn, unsigned int o,
		unsigned int lane)
{
	if (svmgpu_isa_is_v(o))
		return w->v[o * SVMGPU_HW_LANES + lane];
	if (svmgpu_isa_is_s(o))
		return w->s[o & 0x3f];
	if (o == SVMGPU_ISA_LIT)
		return lower_32_bits(insn->lit);
	return shader_special(job, w, o & 0x1f, lane);
}

/* A source operand of @size registers (1 or 2) of @lane. */
static u64 rd(const struct svmgpu_hw_shader_job *job,
	      const struct svmgpu_hw_wave *w,
	      const struct svmgpu_hw_isa_insn *insn, unsigned int o,
	      unsigned int size, unsigned int lane)
{
	if (size < 2)
		return rd32(job, w, insn, o, lane);
	if (o == SVMGPU_ISA_LIT)
		return insn->lit;
	if (svmgpu_isa_is_sr(o))
		return job->p.args;
	return rd32(job, w, insn, o, lane) |
	       (u64)rd32(job, w, insn, o + 1, lane) << 32;
}

static void wr32(struct svmgpu_hw_wave *w, unsigned int o, unsigned int lane,
		 u32 value)
{
	if (svmgpu_isa_is_v(o))
		w->v[o * SVMGPU_HW_LANES + lane] = value;
	else
		w->s[o & 0x3f] = value;
}

static void wr(struct svmgpu_hw_wave *w, unsigned int o, unsigned int size,
	       unsigned int lane, u64 value)
{
	wr32(w, o, lane, lower_32_bits(value));
	if (size == 2)
		wr32(w, o + 1, lane, upper_32_bits(value));
}

/* Lanes an instruction is done for: the lowest active one when uniform. */
static unsigned long shader_lanes(const struct svmgpu_hw_wave *w,
				  const struct svmgpu_hw_isa_insn *insn)
{
	if (svmgpu_isa_is_s(insn->opnd[0]))
		return BIT(__ffs(w->exec));
	return w->exec;
}

/* The lanes that are out of the innermost loop's iteration, or exited. */
static u16 shader_out(const struct svmgpu_hw_wave *w)
{
	int i;

	for (i = w->depth - 1; i >= 0; i--)
		if (w->stack[i].is_loop)
			return ~w->live | w->stack[i].taken | w->stack[i].cont;
	return ~w->live;
}

static s32 sdiv32(s32 a, s32 b)
{
	if (!b)
		return -1;
	if (a == S32_MIN && b == -1)
		return S32_MIN;
	return a / b;
}

static s32 srem32(s32 a, s32 b)
{
	if (!b)
		return a;
	if (b == -1)
		return 0;
	return a % b;
}

static s64 sdiv64(s64 a, s64 b)
{
	if (!b)
		return -1;
	if (a == S64_MIN && b == -1)
		return S64_MIN;
	return div64_s64(a, b);
}

static s64 srem64(s64 a, s64 b)
{
	if (!b)
		return a;
	if (b == -1)
		return 0;
	return a - div64_s64(a, b) * b;
}

static u32 bitrev32_val(u32 a)
{
	u32 r = 0;
	int i;

	for (i = 0; i < 32; i++)
		if (a & BIT(i))
			r |= BIT(31 - i);
	return r;
}

static u32 bfe(u32 a, u32 b, u32 c, bool is_signed)
{
	u32 o = b & 31, n = min(c, 32 - o);
	u32 v;

	if (!n)
		return 0;
	v = n == 32 ? a : (a >> o) & (BIT(n) - 1);
	if (is_signed && n < 32 && (v & BIT(n - 1)))
		v |= ~(BIT(n) - 1);
	return v;
}

/* binary16 bits to binary32 bits, exactly; a NaN is the canonical one. */
static u32 half_to_float(u32 h)
{
	u32 sign = (h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff;

	if (e == 0x1f)
		return m ? 0x7fc00000 : sign | 0x7f800000;
	if (!e) {
		if (!m)
			return sign;
		/* Denormal: normalise. */
		e = 113;
		while (!(m & 0x400)) {
			m <<= 1;
			e--;
		}
		return sign | (e << 23) | ((m & 0x3ff) << 13);
	}
	return sign | ((e + 112) << 23) | (m << 13);
}

/* binary32 bits to binary16 bits, round to nearest even. */
static u32 float_to_half(u32 f)
{
	u32 sign = (f >> 16) & 0x8000, e = (f >> 23) & 0xff;
	u32 m = f & 0x7fffff, shift, h, rest, half;
	int he;

	if (e == 0xff)
		return m ? 0x7e00 : sign | 0x7c00;
	he = (int)e - 127 + 15;
	if (he >= 0x1f)
		return sign | 0x7c00;
	if (he <= 0) {
		/* Denormal half (or zero): 10 - (1 - he) fraction bits. */
		if (he < -10)
			return sign;
		m |= 0x800000;
		shift = 14 - he;
	} else {
		shift = 13;
	}
	h = m >> shift;
	rest = m & (BIT(shift) - 1);
	half = BIT(shift - 1);
	if (rest > half || (rest == half && (h & 1)))
		h++;
	if (he > 0)
		return sign | (((u32)he << 10) + h);	/* a carry bumps e */
	return sign | h;
}

/* Integer, move and conversion operations of one lane. */
static u64 shader_int(u16 op, u64 a, u64 b, u64 c)
{
	u32 a32 = a, b32 = b, c32 = c;

	switch (op) {
	case SVMGPU_ISA_OP_MOV:
	case SVMGPU_ISA_OP_MOV64:
		return a;
	case SVMGPU_ISA_OP_SEL:
	case SVMGPU_ISA_OP_SEL64:
		return a32 ? b : c;
	case SVMGPU_ISA_OP_IADD:
		return a32 + b32;
	case SVMGPU_ISA_OP_ISUB:
		return a32 - b32;
	case SVMGPU_ISA_OP_IMUL:
		return a32 * b32;
	case SVMGPU_ISA_OP_IMULHI:
		return (u32)(((s64)(s32)a32 * (s32)b32) >> 32);
	case SVMGPU_ISA_OP_UMULHI:
		return (u32)(((u64)a32 * b32) >> 32);
	case SVMGPU_ISA_OP_UMULW:
		return (u64)a32 * b32;
	case SVMGPU_ISA_OP_IMULW:
		return (u64)((s64)(s32)a32 * (s32)b32);
	case SVMGPU_ISA_OP_UDIV:
		return b32 ? a32 / b32 : U32_MAX;
	case SVMGPU_ISA_OP_UREM:
		return b32 ? a32 % b32 : a32;
	case SVMGPU_ISA_OP_SDIV:
		return (u32)sdiv32(a32, b32);
	case SVMGPU_ISA_OP_SREM:
		return (u32)srem32(a32, b32);
	case SVMGPU_ISA_OP_SMOD: {
		s32 r = srem32(a32, b32);
		bool neg_r = r < 0, neg_b = (s32)b32 < 0;

		if (r && neg_r != neg_b)
			r += (s32)b32;
		return (u32)r;
	}
	case SVMGPU_ISA_OP_INEG:
		return -a32;
	case SVMGPU_ISA_OP_IABS:
		return (s32)a32 < 0 ? -a32 : a32;
	case SVMGPU_ISA_OP_SMIN:
		return (u32)min((s32)a32, (s32)b32);
	case SVMGPU_ISA_OP_SMAX:
		return (u32)max((s32)a32, (s32)b32);
	case SVMGPU_ISA_OP_UMIN:
		return min(a32, b32);
	case SVMGPU_ISA_OP_UMAX:
		return max(a32, b32);
	case SVMGPU_ISA_OP_AND:
		return a32 & b32;
	case SVMGPU_ISA_OP_OR:
		return a32 | b32;
	case SVMGPU_ISA_OP_XOR:
		return a32 ^ b32;
	case SVMGPU_ISA_OP_NOT:
		return ~a32;
	case SVMGPU_ISA_OP_SHL:
		return a32 << (b32 & 31);
	case SVMGPU_ISA_OP_SHR:
		return a32 >> (b32 & 31);
	case SVMGPU_ISA_OP_SAR:
		return (u32)((s32)a32 >> (b32 & 31));
	case SVMGPU_ISA_OP_BFEU:
		return bfe(a32, b32, c32, false);
	case SVMGPU_ISA_OP_BFES:
		return bfe(a32, b32, c32, true);
	case SVMGPU_ISA_OP_BFM:
		return (u32)((BIT_ULL(min(a32, 32u)) - 1) << (b32 & 31));
	case SVMGPU_ISA_OP_BFI:
		return (a32 & b32) | (~a32 & c32);
	case SVMGPU_ISA_OP_BITREV:
		return bitrev32_val(a32);
	case SVMGPU_ISA_OP_POPCNT:
		return hweight32(a32);
	case SVMGPU_ISA_OP_FINDLSB:
		return a32 ? __ffs(a32) : U32_MAX;
	case SVMGPU_ISA_OP_FINDUMSB:
		return a32 ? __fls(a32) : U32_MAX;
	case SVMGPU_ISA_OP_FINDSMSB:
		if ((s32)a32 < 0)
			a32 = ~a32;
		return a32 ? __fls(a32) : U32_MAX;
	case SVMGPU_ISA_OP_IEQ:
		return a32 == b32;
	case SVMGPU_ISA_OP_INE:
		return a32 != b32;
	case SVMGPU_ISA_OP_SLT:
		return (s32)a32 < (s32)b32;
	case SVMGPU_ISA_OP_SGE:
		return (s32)a32 >= (s32)b32;
	case SVMGPU_ISA_OP_ULT:
		return a32 < b32;
	case SVMGPU_ISA_OP_UGE:
		return a32 >= b32;

	case SVMGPU_ISA_OP_IADD64:
		return a + b;
	case SVMGPU_ISA_OP_ISUB64:
		return a - b;
	case SVMGPU_ISA_OP_IMUL64:
		return a * b;
	case SVMGPU_ISA_OP_UDIV64:
		return b ? div64_u64(a, b) : U64_MAX;
	case SVMGPU_ISA_OP_UREM64:
		return b ? a - div64_u64(a, b) * b : a;
	case SVMGPU_ISA_OP_SDIV64:
		return (u64)sdiv64(a, b);
	case SVMGPU_ISA_OP_SREM64:
		return (u64)srem64(a, b);
	case SVMGPU_ISA_OP_SMIN64:
		return (u64)min((s64)a, (s64)b);
	case SVMGPU_ISA_OP_SMAX64:
		return (u64)max((s64)a, (s64)b);
	case SVMGPU_ISA_OP_UMIN64:
		return min(a, b);
	case SVMGPU_ISA_OP_UMAX64:
		return max(a, b);
	case SVMGPU_ISA_OP_AND64:
		return a & b;
	case SVMGPU_ISA_OP_OR64:
		return a | b;
	case SVMGPU_ISA_OP_XOR64:
		return a ^ b;
	case SVMGPU_ISA_OP_NOT64:
		return ~a;
	case SVMGPU_ISA_OP_SHL64:
		return a << (b32 & 63);
	case SVMGPU_ISA_OP_SHR64:
		return a >> (b32 & 63);
	case SVMGPU_ISA_OP_SAR64:
		return (u64)((s64)a >> (b32 & 63));
	case SVMGPU_ISA_OP_IEQ64:
		return a == b;
	case SVMGPU_ISA_OP_INE64:
		return a != b;
	case SVMGPU_ISA_OP_SLT64:
		return (s64)a < (s64)b;
	case SVMGPU_ISA_OP_SGE64:
		return (s64)a >= (s64)b;
	case SVMGPU_ISA_OP_ULT64:
		return a < b;
	case SVMGPU_ISA_OP_UGE64:
		return a >= b;

	/* The float operations that only move bits. */
	case SVMGPU_ISA_OP_FNEG:
		return a32 ^ 0x80000000u;
	case SVMGPU_ISA_OP_FABS:
		return a32 & 0x7fffffffu;
	case SVMGPU_ISA_OP_FISNAN:
		return (a32 & 0x7fffffffu) > 0x7f800000u;
	case SVMGPU_ISA_OP_FISINF:
		return (a32 & 0x7fffffffu) == 0x7f800000u;
	case SVMGPU_ISA_OP_CVT_F32_F16:
		return half_to_float(a32 & 0xffff);
	case SVMGPU_ISA_OP_CVT_F16_F32:
		return float_to_half(a32);
	case SVMGPU_ISA_OP_CVT_I64_I32:
		return (u64)(s64)(s32)a32;
	case SVMGPU_ISA_OP_CVT_U64_U32:
		return a32;
	default:
		return 0;
	}
}

/* The ALU classes: every lane the instruction is done for. */
static void shader_alu(struct svmgpu_hw_shader_job *job,
		       struct svmgpu_hw_wave *w,
		       const struct svmgpu_hw_isa_insn *insn)
{
	const u8 *size = svmgpu_hw_isa_op_sizes(insn->op);
	unsigned long lanes = shader_lanes(w, insn);
	u64 a[SVMGPU_HW_LANES], b[SVMGPU_HW_LANES], c[SVMGPU_HW_LANES];
	bool fp = insn->flags & SVMGPU_ISA_F_FLOAT;
	unsigned int l;

	/* All sources first: the destination may overlap them. */
	for_each_set_bit(l, &lanes, SVMGPU_HW_LANES) {
		a[l] = size[1] ? rd(job, w, insn, insn->opnd[1], size[1], l) : 0;
		b[l] = size[2] ? rd(job, w, insn, insn->opnd[2], size[2], l) : 0;
		c[l] = size[3] ? rd(job, w, insn, insn->opnd[3], size[3], l) : 0;
	}
	if (fp)
		shader_fpu_begin(job);
	for_each_set_bit(l, &lanes, SVMGPU_HW_LANES) {
		u64 r = fp ? svmgpu_hw_fp_alu(insn->op, a[l], b[l], c[l]) :
			     shader_int(insn->op, a[l], b[l], c[l]);

		wr(w, insn->opnd[0], size[0], l, r);
	}
}

/* Combines two values for the reductions and scans; @k is the op offset. */
static u32 shader_combine(unsigned int k, u32 x, u32 y)
{
	switch (k) {
	case 0:
		return x + y;
	case 1:
		return svmgpu_hw_fp_alu(SVMGPU_ISA_OP_FADD, x, y, 0);
	case 2:
		return (u32)min((s32)x, (s32)y);
	case 3:
		return min(x, y);
	case 4:
		return svmgpu_hw_fp_alu(SVMGPU_ISA_OP_FMIN, x, y, 0);
	case 5:
		return (u32)max((s32)x, (s32)y);
	case 6:
		return max(x, y);
	case 7:
		return svmgpu_hw_fp_alu(SVMGPU_ISA_OP_FMAX, x, y, 0);
	case 8:
		return x & y;
	case 9:
		return x | y;
	default:
		return x ^ y;
	}
}

static const u32 shader_identity[11] = {
	0, 0, S32_MAX, U32_MAX, 0x7f800000u, (u32)S32_MIN, 0, 0xff800000u,
	U32_MAX, 0, 0,
};

/* Subgroup operations. */
static void shader_wave_op(struct svmgpu_hw_shader_job *job,
			   struct svmgpu_hw_wave *w,
			   const struct svmgpu_hw_isa_insn *insn)
{
	const u8 *size = svmgpu_hw_isa_op_sizes(insn->op);
	unsigned long exec = w->exec, lanes;
	u32 a[SVMGPU_HW_LANES], b[SVMGPU_HW_LANES], r[SVMGPU_HW_LANES];
	unsigned int l, first = __ffs(w->exec), k = insn->op & 0xf;
	u16 op = insn->op;
	u32 acc;

	for (l = 0; l < SVMGPU_HW_LANES; l++) {
		a[l] = size[1] ? rd32(job, w, insn, insn->opnd[1], l) : 0;
		b[l] = size[2] ? rd32(job, w, insn, insn->opnd[2], l) : 0;
	}
	if (insn->flags & SVMGPU_ISA_F_FLOAT)
		shader_fpu_begin(job);

	switch (op) {
	case SVMGPU_ISA_OP_BALLOT:
		acc = 0;
		for_each_set_bit(l, &exec, SVMGPU_HW_LANES)
			if (a[l])
				acc |= BIT(l);
		memset32(r, acc, SVMGPU_HW_LANES);
		break;
	case SVMGPU_ISA_OP_ELECT:
		for (l = 0; l < SVMGPU_HW_LANES; l++)
			r[l] = l == first;
		break;
	case SVMGPU_ISA_OP_BCAST:
		memset32(r, a[b[first] & 15], SVMGPU_HW_LANES);
		break;
	case SVMGPU_ISA_OP_BCASTF:
		memset32(r, a[first], SVMGPU_HW_LANES);
		break;
	case SVMGPU_ISA_OP_SHFL:
		for (l = 0; l < SVMGPU_HW_LANES; l++)
			r[l] = a[b[l] & 15];
		break;
	case SVMGPU_ISA_OP_SHFLXOR:
		for (l = 0; l < SVMGPU_HW_LANES; l++)
			r[l] = a[(l ^ b[l]) & 15];
		break;
	case SVMGPU_ISA_OP_SHFLUP:
		for (l = 0; l < SVMGPU_HW_LANES; l++)
			r[l] = b[l] > l ? a[l] : a[l - b[l]];
		break;
	case SVMGPU_ISA_OP_SHFLDOWN:
		for (l = 0; l < SVMGPU_HW_LANES; l++)
			r[l] = b[l] > 15 - l ? a[l] : a[l + b[l]];
		break;
	case SVMGPU_ISA_OP_RED_IADD ... SVMGPU_ISA_OP_RED_XOR:
		acc = shader_identity[k];
		for_each_set_bit(l, &exec, SVMGPU_HW_LANES)
			acc = shader_combine(k, acc, a[l]);
		memset32(r, acc, SVMGPU_HW_LANES);
		break;
	case SVMGPU_ISA_OP_SCAN_IADD ... SVMGPU_ISA_OP_SCAN_XOR:
	case SVMGPU_ISA_OP_XSCAN_IADD ... SVMGPU_ISA_OP_XSCAN_XOR:
		acc = shader_identity[k];
		for_each_set_bit(l, &exec, SVMGPU_HW_LANES) {
			if (op >= SVMGPU_ISA_OP_XSCAN_IADD) {
				r[l] = acc;
				acc = shader_combine(k, acc, a[l]);
			} else {
				acc = shader_combine(k, acc, a[l]);
				r[l] = acc;
			}
		}
		break;
	default:
		return;
	}
	lanes = shader_lanes(w, insn);
	for_each_set_bit(l, &lanes, SVMGPU_HW_LANES)
		wr32(w, insn->opnd[0], l, r[l]);
}

/* Atomic opcodes of both memories, as the global one. */
static u16 shader_atomic_op(u16 op)
{
	if (op >= SVMGPU_ISA_OP_ATOMS_ADD_U32)
		return op - SVMGPU_ISA_OP_ATOMS_ADD_U32 +
		       SVMGPU_ISA_OP_ATOMG_ADD_U32;
	return op;
}

/*
 * svmgpu_hw_shader_atomic() - one atomic read-modify-write.
 * @p: the kernel mapping of the naturally aligned location.
 * @op: SVMGPU_ISA_OP_ATOMG_* (the shared ones map to these).
 * @operand: b.
 * @compare: for compare-exchange, the comparator b; @operand is then c.
 *
 * Return: the old value.
 */
u64 svmgpu_hw_shader_atomic(void *p, u16 op, u64 operand, u64 compare)
{
	u32 *p32 = p, o32 = operand, old32, new32;
	u64 *p64 = p, old64, new64;

	switch (op) {
	case SVMGPU_ISA_OP_ATOMG_ADD_U32:
		return (u32)atomic_fetch_add(o32, (atomic_t *)p);
	case SVMGPU_ISA_OP_ATOMG_ADD_U64:
		return atomic64_fetch_add(operand, (atomic64_t *)p);
	case SVMGPU_ISA_OP_ATOMG_SUB_U32:
		return (u32)atomic_fetch_sub(o32, (atomic_t *)p);
	case SVMGPU_ISA_OP_ATOMG_SUB_U64:
		return atomic64_fetch_sub(operand, (atomic64_t *)p);
	case SVMGPU_ISA_OP_ATOMG_AND_B32:
		return (u32)atomic_fetch_and(o32, (atomic_t *)p);
	case SVMGPU_ISA_OP_ATOMG_AND_B64:
		return atomic64_fetch_and(operand, (atomic64_t *)p);
	case SVMGPU_ISA_OP_ATOMG_OR_B32:
		return (u32)atomic_fetch_or(o32, (atomic_t *)p);
	case SVMGPU_ISA_OP_ATOMG_OR_B64:
		return atomic64_fetch_or(operand, (atomic64_t *)p);
	case SVMGPU_ISA_OP_ATOMG_XOR_B32:
		return (u32)atomic_fetch_xor(o32, (atomic_t *)p);
	case SVMGPU_ISA_OP_ATOMG_XOR_B64:
		return atomic64_fetch_xor(operand, (atomic64_t *)p);
	case SVMGPU_ISA_OP_ATOMG_XCHG_B32:
		return xchg(p32, o32);
	case SVMGPU_ISA_OP_ATOMG_XCHG_B64:
		return xchg(p64, operand);
	case SVMGPU_ISA_OP_ATOMG_CMPXCHG_B32:
		return cmpxchg(p32, (u32)compare, o32);
	case SVMGPU_ISA_OP_ATOMG_CMPXCHG_B64:
		return cmpxchg(p64, compare, operand);
	case SVMGPU_ISA_OP_ATOMG_SMIN_I32:
	case SVMGPU_ISA_OP_ATOMG_SMAX_I32:
	case SVMGPU_ISA_OP_ATOMG_UMIN_U32:
	case SVMGPU_ISA_OP_ATOMG_UMAX_U32:
	case SVMGPU_ISA_OP_ATOMG_FADD_F32:
		old32 = READ_ONCE(*p32);
		do {
			switch (op) {
			case SVMGPU_ISA_OP_ATOMG_SMIN_I32:
				new32 = min((s32)old32, (s32)o32);
				break;
			case SVMGPU_ISA_OP_ATOMG_SMAX_I32:
				new32 = max((s32)old32, (s32)o32);
				break;
			case SVMGPU_ISA_OP_ATOMG_UMIN_U32:
				new32 = min(old32, o32);
				break;
			case SVMGPU_ISA_OP_ATOMG_UMAX_U32:
				new32 = max(old32, o32);
				break;
			default:
				/* A short FPU section: no lock taken, no fault. */
				kernel_fpu_begin();
				new32 = svmgpu_hw_fp_alu(SVMGPU_ISA_OP_FADD,
							 old32, o32, 0);
				kernel_fpu_end();
				break;
			}
		} while (!try_cmpxchg(p32, &old32, new32));
		return old32;
	default:
		old64 = READ_ONCE(*p64);
		do {
			switch (op) {
			case SVMGPU_ISA_OP_ATOMG_SMIN_I64:
				new64 = min((s64)old64, (s64)operand);
				break;
			case SVMGPU_ISA_OP_ATOMG_SMAX_I64:
				new64 = max((s64)old64, (s64)operand);
				break;
			case SVMGPU_ISA_OP_ATOMG_UMIN_U64:
				new64 = min(old64, operand);
				break;
			default:
				new64 = max(old64, operand);
				break;
			}
		} while (!try_cmpxchg(p64, &old64, new64));
		return old64;
	}
}

static unsigned int shader_mem_bytes(const struct svmgpu_hw_isa_insn *insn)
{
	static const u8 bytes[] = { 1, 1, 2, 2, 4, 8, 16, 0, 1, 2, 4, 8, 16 };
	unsigned int i = insn->op & 0x1f;

	if (insn->cls == SVMGPU_ISA_CLASS_ATOMG ||
	    insn->cls == SVMGPU_ISA_CLASS_ATOMS)
		return svmgpu_hw_isa_op_sizes(insn->op)[2] * 4;
	return i < ARRAY_SIZE(bytes) ? bytes[i] : 0;
}

/* Memory instructions: every lane checked and translated, then done. */
static enum shader_result shader_mem(struct svmgpu_hw_shader_job *job,
				     struct svmgpu_hw_wave *w,
				     const struct svmgpu_hw_isa_insn *insn,
				     struct svmgpu_hw_port *port)
{
	const u8 *size = svmgpu_hw_isa_op_sizes(insn->op);
	bool shared = insn->cls == SVMGPU_ISA_CLASS_SHARED ||
		      insn->cls == SVMGPU_ISA_CLASS_ATOMS;
	bool atomic = insn->cls == SVMGPU_ISA_CLASS_ATOMG ||
		      insn->cls == SVMGPU_ISA_CLASS_ATOMS;
	bool store = insn->fmt == SVMGPU_ISA_FMT_STORE;
	unsigned int bytes = shader_mem_bytes(insn), l, r;
	unsigned long lanes = shader_lanes(w, insn);
	s64 off = (s16)insn->imm;
	struct svmgpu_hw_lanes req;
	u16 op = shader_atomic_op(insn->op);

	shader_fpu_end(job);
	req.mask = lanes;
	req.bytes = bytes;
	req.op = op;
	req.access = atomic ? SVMGPU_ACCESS_ATOMIC :
		     store ? SVMGPU_ACCESS_WRITE : SVMGPU_ACCESS_READ;
	for_each_set_bit(l, &lanes, SVMGPU_HW_LANES) {
		u64 va;

		if (shared)
			va = (u32)(rd32(job, w, insn, insn->opnd[1], l) + off);
		else
			va = rd(job, w, insn, insn->opnd[1], 2, l) + off;
		if (va & (bytes - 1)) {
			job->exception = SVMGPU_ISA_EXC_MISALIGNED;
			goto exception;
		}
		if (shared && va + bytes > job->p.shared_size) {
			job->exception = SVMGPU_ISA_EXC_SHARED_RANGE;
			goto exception;
		}
		req.va[l] = va;
		req.data[l][0] = 0;
		req.data[l][1] = 0;
		if (store || atomic) {
			if (size[2] == 4)
				for (r = 0; r < 4; r++)
					((u32 *)req.data[l])[r] =
						rd32(job, w, insn,
						     insn->opnd[2] + r, l);
			else
				req.data[l][0] = rd(job, w, insn, insn->opnd[2],
						    size[2], l);
		}
		if (op == SVMGPU_ISA_OP_ATOMG_CMPXCHG_B32 ||
		    op == SVMGPU_ISA_OP_ATOMG_CMPXCHG_B64) {
			req.cmp[l] = req.data[l][0];
			req.data[l][0] = rd(job, w, insn, insn->opnd[3],
					    size[3], l);
		}
	}

	if (shared) {
		for_each_set_bit(l, &lanes, SVMGPU_HW_LANES) {
			void *p = job->shared + req.va[l];
			u64 *d = req.data[l];

			if (atomic) {
				d[0] = svmgpu_hw_shader_atomic(p, op, d[0],
							       req.cmp[l]);
				continue;
			}
			if (store)
				memcpy(p, d, bytes);
			else
				memcpy(d, p, bytes);
		}
	} else if (svmgpu_hw_mem_lanes(port, job->p.root, &req, &job->fault,
				       &job->fault_lane)) {
		job->fault_pc = insn->pc;
		job->stats.faults++;
		w->state = SVMGPU_HW_WAVE_FAULT;
		return SHADER_FAULT;
	}

	if (store)
		return SHADER_NEXT;
	for_each_set_bit(l, &lanes, SVMGPU_HW_LANES) {
		u64 v = req.data[l][0];
		u32 *q = (u32 *)req.data[l];

		switch (insn->op & 0x7) {
		case 1:	/* i8 */
			if (!atomic && bytes == 1)
				v = (u32)(s32)(s8)v;
			break;
		case 3:	/* i16 */
			if (!atomic && bytes == 2)
				v = (u32)(s32)(s16)v;
			break;
		default:
			break;
		}
		if (size[0] == 4) {
			for (r = 0; r < 4; r++)
				wr32(w, insn->opnd[0] + r, l, q[r]);
		} else {
			wr(w, insn->opnd[0], size[0], l, v);
		}
	}
	return SHADER_NEXT;

exception:
	job->fault_lane = l;
	job->fault_pc = insn->pc;
	return SHADER_EXCEPTION;
}

/* Control instructions; the caller skips ahead when EXEC ends up empty. */
static enum shader_result shader_ctrl(struct svmgpu_hw_wave *w,
				      const struct svmgpu_hw_isa_insn *insn,
				      u32 cond)
{
	struct svmgpu_hw_shader_frame *f = w->depth ?
		&w->stack[w->depth - 1] : NULL;
	struct svmgpu_hw_shader_frame *loop = NULL;
	int i;
	u16 m;

	for (i = w->depth - 1; i >= 0; i--) {
		if (w->stack[i].is_loop) {
			loop = &w->stack[i];
			break;
		}
	}

	switch (insn->op) {
	case SVMGPU_ISA_OP_IF:
		f = &w->stack[w->depth++];
		f->saved = w->exec;
		f->taken = w->exec & cond;
		f->cont = 0;
		f->is_loop = false;
		w->exec = f->taken;
		break;
	case SVMGPU_ISA_OP_ELSE:
		w->exec = f->saved & ~f->taken & ~shader_out(w);
		break;
	case SVMGPU_ISA_OP_ENDIF:
		w->depth--;
		w->exec = f->saved & ~shader_out(w);
		break;
	case SVMGPU_ISA_OP_LOOP:
		f = &w->stack[w->depth++];
		f->saved = w->exec;
		f->taken = 0;
		f->cont = 0;
		f->is_loop = true;
		break;
	case SVMGPU_ISA_OP_BREAK:
		loop->taken |= w->exec;
		w->exec = 0;
		break;
	case SVMGPU_ISA_OP_BREAKC:
		m = w->exec & cond;
		loop->taken |= m;
		w->exec &= ~m;
		break;
	case SVMGPU_ISA_OP_CONTINUE:
		loop->cont |= w->exec;
		w->exec = 0;
		break;
	case SVMGPU_ISA_OP_CONTINUEC:
		m = w->exec & cond;
		loop->cont |= m;
		w->exec &= ~m;
		break;
	case SVMGPU_ISA_OP_ENDLOOP:
		w->exec = (w->exec | f->cont) & w->live;
		f->cont = 0;
		if (w->exec) {
			w->pc = insn->target + 1;
			return SHADER_NEXT;
		}
		w->depth--;
		w->exec = f->saved & ~shader_out(w);
		break;
	case SVMGPU_ISA_OP_EXIT:
		w->live &= ~w->exec;
		w->exec = 0;
		break;
	case SVMGPU_ISA_OP_END:
		w->state = SVMGPU_HW_WAVE_DONE;
		return SHADER_PARK;
	default:
		break;
	}
	w->pc++;
	return SHADER_NEXT;
}

/* Executes the wave's next instruction. */
static enum shader_result shader_exec(struct svmgpu_hw_shader_job *job,
				      struct svmgpu_hw_wave *w,
				      struct svmgpu_hw_port *port)
{
	const struct svmgpu_hw_isa_insn *insn = &job->insns[w->pc];
	enum shader_result res;
	unsigned int l;
	u32 cond = 0;

	switch (insn->cls) {
	case SVMGPU_ISA_CLASS_CTRL:
		if (insn->flags & SVMGPU_ISA_F_COND)
			for (l = 0; l < SVMGPU_HW_LANES; l++)
				if (rd32(job, w, insn, insn->opnd[1], l))
					cond |= BIT(l);
		res = shader_ctrl(w, insn, cond);
		if (res == SHADER_NEXT && !w->exec) {
			if (insn->skip == SVMGPU_HW_ISA_WAVE_END) {
				w->state = SVMGPU_HW_WAVE_DONE;
				return SHADER_PARK;
			}
			w->pc = insn->skip;
		}
		return res;
	case SVMGPU_ISA_CLASS_SYNC:
		w->pc++;
		if (insn->op == SVMGPU_ISA_OP_MEMBAR) {
			/* Every scope and semantics: a full barrier. */
			smp_mb();
			return SHADER_NEXT;
		}
		w->state = SVMGPU_HW_WAVE_BARRIER;
		return SHADER_PARK;
	case SVMGPU_ISA_CLASS_GLOBAL:
	case SVMGPU_ISA_CLASS_SHARED:
	case SVMGPU_ISA_CLASS_ATOMG:
	case SVMGPU_ISA_CLASS_ATOMS:
		res = shader_mem(job, w, insn, port);
		if (res == SHADER_NEXT)
			w->pc++;
		return res;
	case SVMGPU_ISA_CLASS_WAVE:
		shader_wave_op(job, w, insn);
		break;
	default:
		shader_alu(job, w, insn);
		break;
	}
	w->pc++;
	return SHADER_NEXT;
}

/* Loads workgroup @job->wg_next into the waves. */
static void shader_wg_load(struct svmgpu_hw_shader_job *job)
{
	const struct svmgpu_hw_shader_params *p = &job->p;
	u64 n = job->wg_next;
	u32 size = p->wg_size[0] * p->wg_size[1] * p->wg_size[2];
	unsigned int i;

	job->wg_id[0] = n % p->num_wg[0];
	job->wg_id[1] = (n / p->num_wg[0]) % p->num_wg[1];
	job->wg_id[2] = n / ((u64)p->num_wg[0] * p->num_wg[1]);
	memset(job->vregs, 0, job->nwaves * p->vregs * SVMGPU_HW_LANES *
	       sizeof(u32));
	if (job->shared)
		memset(job->shared, 0, p->shared_size);
	for (i = 0; i < job->nwaves; i++) {
		struct svmgpu_hw_wave *w = &job->waves[i];
		u32 lanes = min_t(u32, size - i * SVMGPU_HW_LANES,
				  SVMGPU_HW_LANES);

		memset(w->s, 0, sizeof(w->s));
		w->v = job->vregs + i * p->vregs * SVMGPU_HW_LANES;
		w->depth = 0;
		w->live = lanes == SVMGPU_HW_LANES ? SVMGPU_HW_LANE_MASK :
			  (u16)(BIT(lanes) - 1);
		w->exec = w->live;
		w->pc = 0;
		w->state = SVMGPU_HW_WAVE_RUN;
		w->index = i;
	}
	job->cur = 0;
	job->wg_live = true;
	job->stats.waves += job->nwaves;
}

/*
 * Picks the next runnable wave; releases a barrier every remaining wave
 * has reached. Return: the wave, or NULL with @*all_done telling whether
 * the workgroup has ended (else its waves wait on faults).
 */
static struct svmgpu_hw_wave *shader_pick(struct svmgpu_hw_shader_job *job,
					  bool *all_done)
{
	unsigned int i, done = 0, barrier = 0;

	for (i = 0; i < job->nwaves; i++) {
		struct svmgpu_hw_wave *w =
			&job->waves[(job->cur + i) % job->nwaves];

		if (w->state == SVMGPU_HW_WAVE_RUN)
			return w;
		done += w->state == SVMGPU_HW_WAVE_DONE;
		barrier += w->state == SVMGPU_HW_WAVE_BARRIER;
	}
	*all_done = done == job->nwaves;
	if (!barrier || done + barrier != job->nwaves)
		return NULL;
	/* Every wave that has not ended is at the barrier: release it. */
	for (i = 0; i < job->nwaves; i++)
		if (job->waves[i].state == SVMGPU_HW_WAVE_BARRIER)
			job->waves[i].state = SVMGPU_HW_WAVE_RUN;
	for (i = 0; i < job->nwaves; i++)
		if (job->waves[i].state == SVMGPU_HW_WAVE_RUN)
			return &job->waves[i];
	return NULL;
}

/**
 * svmgpu_hw_shader_run() - one step of a dispatch on a compute unit.
 * @job: the dispatch.
 * @port: the compute unit's MMU port.
 * @budget: instructions the step may execute (at least 1).
 *
 * Runs the waves until the dispatch ends, a wave faults, only faulted
 * waves are left, or @budget instructions have been executed. Never
 * sleeps; any FPU section it opened is closed when it returns.
 *
 * Return: why the step ended (enum svmgpu_hw_shader_status); for FAULTED
 * and EXCEPTION, @job->fault, @job->fault_lane and @job->fault_pc (and
 * @job->exception) say what happened.
 */
enum svmgpu_hw_shader_status
svmgpu_hw_shader_run(struct svmgpu_hw_shader_job *job,
		     struct svmgpu_hw_port *port, u32 budget)
{
	enum svmgpu_hw_shader_status status;
	u64 start = ktime_get_ns();
	struct svmgpu_hw_wave *w;
	bool all_done;

	for (;;) {
		if (!job->wg_live) {
			if (job->wg_next == job->wg_total) {
				status = SVMGPU_HW_SHADER_DONE;
				break;
			}
			shader_wg_load(job);
		}
		w = shader_pick(job, &all_done);
		if (!w) {
			if (!all_done) {
				status = SVMGPU_HW_SHADER_STALLED;
				break;
			}
			job->wg_live = false;
			job->wg_next++;
			continue;
		}
		job->cur = w->index;
		if (!budget) {
			status = SVMGPU_HW_SHADER_BUDGET_OUT;
			break;
		}
		while (budget) {
			enum shader_result res;

			budget--;
			job->stats.insns++;
			res = shader_exec(job, w, port);
			if (res == SHADER_NEXT)
				continue;
			if (res == SHADER_FAULT) {
				status = SVMGPU_HW_SHADER_FAULTED;
				goto out;
			}
			if (res == SHADER_EXCEPTION) {
				status = SVMGPU_HW_SHADER_EXCEPTION;
				goto out;
			}
			/* Parked: let the next wave run. */
			job->cur = (w->index + 1) % job->nwaves;
			break;
		}
	}
out:
	shader_fpu_end(job);
	job->stats.busy_ns += ktime_get_ns() - start;
	return status;
}

/**
 * svmgpu_hw_shader_resume() - lets the waves parked on faults run again.
 * @job: the dispatch.
 *
 * Each executes its faulting instruction again from the start.
 */
void svmgpu_hw_shader_resume(struct svmgpu_hw_shader_job *job)
{
	unsigned int i;

	for (i = 0; i < job->nwaves; i++)
		if (job->waves[i].state == SVMGPU_HW_WAVE_FAULT)
			job->waves[i].state = SVMGPU_HW_WAVE_RUN;
}

/**
 * svmgpu_hw_shader_job_init() - prepares a dispatch: decodes its program.
 * @job: the dispatch, zeroed by the caller.
 * @p: its parameters.
 * @words: the program, already fetched through the MMU.
 * @count: its size in words.
 * @error: why the program was rejected (reason SVMGPU_ISA_ILLEGAL_NONE
 *	when the parameters are).
 *
 * Return: 0; -EINVAL for a bad program (an ILLEGAL_INSTRUCTION fault) or
 * bad parameters; -ENOMEM.
 */
int svmgpu_hw_shader_job_init(struct svmgpu_hw_shader_job *job,
			      const struct svmgpu_hw_shader_params *p,
			      const __le64 *words, u32 count,
			      struct svmgpu_hw_isa_error *error)
{
	struct svmgpu_hw_isa_limits limits = {
		.vregs = p->vregs, .sregs = p->sregs,
	};
	u64 size = (u64)p->wg_size[0] * p->wg_size[1] * p->wg_size[2];
	u64 grid_xy = (u64)p->num_wg[0] * p->num_wg[1];
	int ret;

	error->reason = SVMGPU_ISA_ILLEGAL_NONE;
	error->pc = 0;
	if (!size || size > SVMGPU_ISA_MAX_WG_SIZE ||
	    !p->num_wg[0] || !p->num_wg[1] || !p->num_wg[2] ||
	    p->shared_size > SVMGPU_ISA_MAX_SHARED ||
	    !p->vregs || p->vregs > SVMGPU_ISA_MAX_VREGS ||
	    p->sregs > SVMGPU_ISA_MAX_SREGS ||
	    check_mul_overflow(grid_xy, (u64)p->num_wg[2], &job->wg_total))
		return -EINVAL;
	if (!count || count > SVMGPU_ISA_MAX_WORDS) {
		error->reason = SVMGPU_ISA_ILLEGAL_SIZE;
		return -EINVAL;
	}

	job->p = *p;
	job->nwaves = DIV_ROUND_UP(size, SVMGPU_HW_LANES);
	job->insns = kvmalloc_array(count, sizeof(*job->insns), GFP_KERNEL);
	if (!job->insns)
		return -ENOMEM;
	ret = svmgpu_hw_isa_decode(words, count, &limits, job->insns,
				   &job->ninsns, error);
	if (ret)
		goto err_free_insns;
	job->vregs = kvcalloc(job->nwaves * p->vregs * SVMGPU_HW_LANES,
			      sizeof(u32), GFP_KERNEL);
	if (!job->vregs) {
		ret = -ENOMEM;
		goto err_free_insns;
	}
	if (p->shared_size) {
		job->shared = kvzalloc(p->shared_size, GFP_KERNEL);
		if (!job->shared) {
			ret = -ENOMEM;
			goto err_free_vregs;
		}
	}
	return 0;

err_free_vregs:
	kvfree(job->vregs);
	job->vregs = NULL;
err_free_insns:
	kvfree(job->insns);
	job->insns = NULL;
	return ret;
}

/**
 * svmgpu_hw_shader_job_fini() - frees what svmgpu_hw_shader_job_init()
 * allocated.
 * @job: the dispatch.
 */
void svmgpu_hw_shader_job_fini(struct svmgpu_hw_shader_job *job)
{
	kvfree(job->shared);
	kvfree(job->vregs);
	kvfree(job->insns);
	job->shared = NULL;
	job->vregs = NULL;
	job->insns = NULL;
}
