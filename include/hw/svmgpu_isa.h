/* SPDX-License-Identifier: MIT */
/*
 * svmgpu_isa.h - instruction set of the svmgpu shader cores.
 *
 * A program is an array of 64-bit little-endian words in GPU virtual
 * memory. Every instruction is one word, followed by one literal word
 * when any of its source operands is SVMGPU_ISA_LIT:
 *
 *   bits  9:0   OP    opcode (SVMGPU_ISA_OP_*)
 *   bits 15:10  MBZ
 *   bits 23:16  D     destination operand
 *   bits 31:24  A     source operand A
 *   bits 39:32  B     source operand B
 *   bits 47:40  C     source operand C
 *   bits 63:48  IMM   16-bit immediate (memory offset, barrier semantics)
 *
 * Operand fields an instruction does not use, and IMM where it has none,
 * must be zero. An operand names a vector register (one 32-bit value per
 * lane), a scalar register (one 32-bit value per wave), a read-only
 * special register or the literal. 64-bit operands are register pairs
 * starting at an even register, 128-bit operands four registers starting
 * at a multiple of 4.
 *
 * The opcodes are the SVMGPU_ISA_OP_* values below; their attributes
 * (mnemonic, operand format, class, operand sizes, flags) are the one
 * opcode table, svmgpu_isa_ops.h, from which the kernel's decoder and
 * validator, the assembler and the disassembler are all built.
 * docs/hardware.md, "Shader cores and ISA", is the programming manual.
 */
#ifndef SVMGPU_ISA_H
#define SVMGPU_ISA_H

#include <linux/types.h>

/* ISA version, major in bits 31:16, minor in 15:0 (as GET_PARAM reports). */
#define SVMGPU_ISA_VERSION_MAJOR	1u
#define SVMGPU_ISA_VERSION_MINOR	0u
#define SVMGPU_ISA_VERSION \
	((SVMGPU_ISA_VERSION_MAJOR << 16) | SVMGPU_ISA_VERSION_MINOR)

/* Execution model limits. */
#define SVMGPU_ISA_WAVE_SIZE		16	/* lanes per wave (subgroup) */
#define SVMGPU_ISA_MAX_VREGS		128	/* vector registers per lane */
#define SVMGPU_ISA_MAX_SREGS		64	/* scalar registers per wave */
#define SVMGPU_ISA_MAX_DEPTH		32	/* if/loop nesting depth */
#define SVMGPU_ISA_MAX_WORDS		65536	/* program size, 64-bit words */
#define SVMGPU_ISA_MAX_WG_SIZE		1024	/* invocations per workgroup */
#define SVMGPU_ISA_MIN_SHARED		(32u << 10)	/* guaranteed shared */
#define SVMGPU_ISA_MAX_SHARED		(64u << 10)	/* shared bytes per WG */

/* Instruction word fields. */
#define SVMGPU_ISA_OP_MASK		0x3ffu
#define SVMGPU_ISA_OP_LIMIT		(SVMGPU_ISA_OP_MASK + 1)
#define SVMGPU_ISA_WORD_MBZ		0xfc00ull	/* bits 15:10 */
#define SVMGPU_ISA_WORD_OP(w)		((__u32)(w) & SVMGPU_ISA_OP_MASK)
#define SVMGPU_ISA_WORD_D(w)		((__u32)((w) >> 16) & 0xff)
#define SVMGPU_ISA_WORD_A(w)		((__u32)((w) >> 24) & 0xff)
#define SVMGPU_ISA_WORD_B(w)		((__u32)((w) >> 32) & 0xff)
#define SVMGPU_ISA_WORD_C(w)		((__u32)((w) >> 40) & 0xff)
#define SVMGPU_ISA_WORD_IMM(w)		((__u32)((w) >> 48) & 0xffff)
#define SVMGPU_ISA_WORD(op, d, a, b, c, imm) \
	((__u64)((op) & SVMGPU_ISA_OP_MASK) | \
	 ((__u64)((d) & 0xff) << 16) | ((__u64)((a) & 0xff) << 24) | \
	 ((__u64)((b) & 0xff) << 32) | ((__u64)((c) & 0xff) << 40) | \
	 ((__u64)((imm) & 0xffff) << 48))

/*
 * Operand encoding (8 bits). Vector and scalar registers; special
 * registers are read-only sources; the literal is a source only and reads
 * the word after the instruction (its low 32 bits for a 32-bit operand).
 * Every LIT operand of one instruction reads the same literal.
 */
#define SVMGPU_ISA_V(n)			((n) & 0x7f)		/* 0x00-0x7f */
#define SVMGPU_ISA_S(n)			(0x80 | ((n) & 0x3f))	/* 0x80-0xbf */
#define SVMGPU_ISA_SR(n)		(0xc0 | ((n) & 0x1f))	/* 0xc0-0xdf */
#define SVMGPU_ISA_LIT			0xff	/* 0xe0-0xfe reserved */

static inline int svmgpu_isa_is_v(__u32 o)
{
	return o < 0x80;
}

static inline int svmgpu_isa_is_s(__u32 o)
{
	return o >= 0x80 && o < 0xc0;
}

static inline int svmgpu_isa_is_sr(__u32 o)
{
	return o >= 0xc0 && o < 0xe0;
}

/* The register number of a vector or scalar register operand. */
static inline __u32 svmgpu_isa_reg_index(__u32 o)
{
	return o < 0x80 ? o : o & 0x3f;
}

/*
 * Special registers (operand SVMGPU_ISA_SR(n)), per lane (vector) or per
 * wave (uniform: bit n of SVMGPU_ISA_SR_UNIFORM). SVMGPU_ISA_SR_ARGS is
 * the low half of the 64-bit argument block address, the only special
 * register a 64-bit operand may name (as a pair with SR_ARGS_HI).
 */
#define SVMGPU_ISA_SR_LANE_ID		0	/* lane in the wave, 0-15 */
#define SVMGPU_ISA_SR_LOCAL_ID_X	1	/* invocation in the workgroup */
#define SVMGPU_ISA_SR_LOCAL_ID_Y	2
#define SVMGPU_ISA_SR_LOCAL_ID_Z	3
#define SVMGPU_ISA_SR_LOCAL_INDEX	4	/* flattened local id */
#define SVMGPU_ISA_SR_GLOBAL_ID_X	5	/* invocation in the grid */
#define SVMGPU_ISA_SR_GLOBAL_ID_Y	6
#define SVMGPU_ISA_SR_GLOBAL_ID_Z	7
#define SVMGPU_ISA_SR_WG_ID_X		8	/* uniform: workgroup id */
#define SVMGPU_ISA_SR_WG_ID_Y		9
#define SVMGPU_ISA_SR_WG_ID_Z		10
#define SVMGPU_ISA_SR_NUM_WG_X		11	/* uniform: workgroup count */
#define SVMGPU_ISA_SR_NUM_WG_Y		12
#define SVMGPU_ISA_SR_NUM_WG_Z		13
#define SVMGPU_ISA_SR_WG_SIZE_X		14	/* uniform: workgroup size */
#define SVMGPU_ISA_SR_WG_SIZE_Y		15
#define SVMGPU_ISA_SR_WG_SIZE_Z		16
#define SVMGPU_ISA_SR_SUBGROUP_ID	17	/* uniform: wave in workgroup */
#define SVMGPU_ISA_SR_NUM_SUBGROUPS	18	/* uniform: waves in workgroup */
#define SVMGPU_ISA_SR_EXEC		19	/* uniform: active lane mask */
#define SVMGPU_ISA_SR_ARGS		20	/* uniform: argument block, lo */
#define SVMGPU_ISA_SR_ARGS_HI		21	/* uniform: argument block, hi */
#define SVMGPU_ISA_SR_SHARED_SIZE	22	/* uniform: shared bytes */
#define SVMGPU_ISA_SR_COUNT		23
#define SVMGPU_ISA_SR_UNIFORM		0x7fff00u

/* Operand formats: which fields an instruction uses and its syntax. */
enum svmgpu_isa_fmt {
	SVMGPU_ISA_FMT_NONE,	/* op */
	SVMGPU_ISA_FMT_A,	/* op a */
	SVMGPU_ISA_FMT_D,	/* op d */
	SVMGPU_ISA_FMT_DA,	/* op d, a */
	SVMGPU_ISA_FMT_DAB,	/* op d, a, b */
	SVMGPU_ISA_FMT_DABC,	/* op d, a, b, c */
	SVMGPU_ISA_FMT_MEMBAR,	/* op semantics, storage, scope (IMM) */
	SVMGPU_ISA_FMT_LOAD,	/* op d, [a + imm] */
	SVMGPU_ISA_FMT_STORE,	/* op [a + imm], b */
	SVMGPU_ISA_FMT_ATOM,	/* op d, [a + imm], b */
	SVMGPU_ISA_FMT_ATOM3,	/* op d, [a + imm], b, c */
	SVMGPU_ISA_FMT_COUNT
};

/* Instruction classes (how the shader core executes them). */
enum svmgpu_isa_class {
	SVMGPU_ISA_CLASS_CTRL,		/* control flow, mask stack */
	SVMGPU_ISA_CLASS_SYNC,		/* barriers */
	SVMGPU_ISA_CLASS_MOV,		/* moves, select */
	SVMGPU_ISA_CLASS_INT,		/* 32-bit integer */
	SVMGPU_ISA_CLASS_INT64,		/* 64-bit integer */
	SVMGPU_ISA_CLASS_FLOAT,		/* binary32 arithmetic */
	SVMGPU_ISA_CLASS_CVT,		/* conversions */
	SVMGPU_ISA_CLASS_GLOBAL,	/* global memory load/store */
	SVMGPU_ISA_CLASS_SHARED,	/* shared memory load/store */
	SVMGPU_ISA_CLASS_ATOMG,		/* global memory atomics */
	SVMGPU_ISA_CLASS_ATOMS,		/* shared memory atomics */
	SVMGPU_ISA_CLASS_WAVE,		/* subgroup (cross-lane) operations */
	SVMGPU_ISA_CLASS_COUNT
};

/*
 * Instruction flags. F_FA/F_FB/F_FC: that source is binary32 (how the
 * assembler reads a decimal literal and the disassembler prints one).
 * A scalar destination needs all sources uniform, except with F_WAVE
 * (the result is the same for all lanes by definition); never with
 * F_LANE (the result differs per lane by definition).
 */
#define SVMGPU_ISA_F_FLOAT	(1u << 0)	/* uses the FPU */
#define SVMGPU_ISA_F_FA		(1u << 1)
#define SVMGPU_ISA_F_FB		(1u << 2)
#define SVMGPU_ISA_F_FC		(1u << 3)
#define SVMGPU_ISA_F_WAVE	(1u << 4)	/* result uniform */
#define SVMGPU_ISA_F_LANE	(1u << 5)	/* result per lane */
#define SVMGPU_ISA_F_UNIFORM_B	(1u << 6)	/* B must be uniform */
#define SVMGPU_ISA_F_COND	(1u << 7)	/* A is a condition (!= 0) */
#define SVMGPU_ISA_F_IMM	(1u << 8)	/* uses IMM */

/* The flag combinations the table's last column names. */
#define SVMGPU_ISA_FL_NONE	0u
#define SVMGPU_ISA_FL_COND	SVMGPU_ISA_F_COND
#define SVMGPU_ISA_FL_IMM	SVMGPU_ISA_F_IMM
#define SVMGPU_ISA_FL_FLOAT	SVMGPU_ISA_F_FLOAT
#define SVMGPU_ISA_FL_FSRC \
	(SVMGPU_ISA_F_FA | SVMGPU_ISA_F_FB | SVMGPU_ISA_F_FC)
#define SVMGPU_ISA_FL_ALU	(SVMGPU_ISA_F_FLOAT | SVMGPU_ISA_FL_FSRC)
#define SVMGPU_ISA_FL_LDEXP	(SVMGPU_ISA_F_FLOAT | SVMGPU_ISA_F_FA)
#define SVMGPU_ISA_FL_FATOM \
	(SVMGPU_ISA_F_IMM | SVMGPU_ISA_F_FLOAT | SVMGPU_ISA_F_FB)
#define SVMGPU_ISA_FL_WAVE	SVMGPU_ISA_F_WAVE
#define SVMGPU_ISA_FL_LANE	SVMGPU_ISA_F_LANE
#define SVMGPU_ISA_FL_BALLOT	(SVMGPU_ISA_F_WAVE | SVMGPU_ISA_F_COND)
#define SVMGPU_ISA_FL_BCAST	(SVMGPU_ISA_F_WAVE | SVMGPU_ISA_F_UNIFORM_B)
#define SVMGPU_ISA_FL_FRED	(SVMGPU_ISA_F_WAVE | SVMGPU_ISA_FL_LDEXP)
#define SVMGPU_ISA_FL_FSCAN	(SVMGPU_ISA_F_LANE | SVMGPU_ISA_FL_LDEXP)

/*
 * Opcodes. The table, svmgpu_isa_ops.h, gives each one's mnemonic,
 * format, class, operand sizes and flags; opcodes it does not list are
 * illegal.
 */
/* Control flow and synchronisation. */
#define SVMGPU_ISA_OP_NOP		0x000
#define SVMGPU_ISA_OP_END		0x001
#define SVMGPU_ISA_OP_EXIT		0x002
#define SVMGPU_ISA_OP_IF		0x004
#define SVMGPU_ISA_OP_ELSE		0x005
#define SVMGPU_ISA_OP_ENDIF		0x006
#define SVMGPU_ISA_OP_LOOP		0x008
#define SVMGPU_ISA_OP_ENDLOOP		0x009
#define SVMGPU_ISA_OP_BREAK		0x00a
#define SVMGPU_ISA_OP_BREAKC		0x00b
#define SVMGPU_ISA_OP_CONTINUE		0x00c
#define SVMGPU_ISA_OP_CONTINUEC		0x00d
#define SVMGPU_ISA_OP_BARRIER		0x010
#define SVMGPU_ISA_OP_MEMBAR		0x011

/* Moves and select. */
#define SVMGPU_ISA_OP_MOV		0x040
#define SVMGPU_ISA_OP_MOV64		0x041
#define SVMGPU_ISA_OP_SEL		0x042
#define SVMGPU_ISA_OP_SEL64		0x043

/* 32-bit integer. */
#define SVMGPU_ISA_OP_IADD		0x050
#define SVMGPU_ISA_OP_ISUB		0x051
#define SVMGPU_ISA_OP_IMUL		0x052
#define SVMGPU_ISA_OP_IMULHI		0x053
#define SVMGPU_ISA_OP_UMULHI		0x054
#define SVMGPU_ISA_OP_UMULW		0x055
#define SVMGPU_ISA_OP_IMULW		0x056
#define SVMGPU_ISA_OP_UDIV		0x058
#define SVMGPU_ISA_OP_UREM		0x059
#define SVMGPU_ISA_OP_SDIV		0x05a
#define SVMGPU_ISA_OP_SREM		0x05b
#define SVMGPU_ISA_OP_SMOD		0x05c
#define SVMGPU_ISA_OP_INEG		0x060
#define SVMGPU_ISA_OP_IABS		0x061
#define SVMGPU_ISA_OP_SMIN		0x062
#define SVMGPU_ISA_OP_SMAX		0x063
#define SVMGPU_ISA_OP_UMIN		0x064
#define SVMGPU_ISA_OP_UMAX		0x065
#define SVMGPU_ISA_OP_AND		0x068
#define SVMGPU_ISA_OP_OR		0x069
#define SVMGPU_ISA_OP_XOR		0x06a
#define SVMGPU_ISA_OP_NOT		0x06b
#define SVMGPU_ISA_OP_SHL		0x06c
#define SVMGPU_ISA_OP_SHR		0x06d
#define SVMGPU_ISA_OP_SAR		0x06e
#define SVMGPU_ISA_OP_BFEU		0x070
#define SVMGPU_ISA_OP_BFES		0x071
#define SVMGPU_ISA_OP_BFM		0x072
#define SVMGPU_ISA_OP_BFI		0x073
#define SVMGPU_ISA_OP_BITREV		0x074
#define SVMGPU_ISA_OP_POPCNT		0x075
#define SVMGPU_ISA_OP_FINDLSB		0x076
#define SVMGPU_ISA_OP_FINDUMSB		0x077
#define SVMGPU_ISA_OP_FINDSMSB		0x078
#define SVMGPU_ISA_OP_IEQ		0x080
#define SVMGPU_ISA_OP_INE		0x081
#define SVMGPU_ISA_OP_SLT		0x082
#define SVMGPU_ISA_OP_SGE		0x083
#define SVMGPU_ISA_OP_ULT		0x084
#define SVMGPU_ISA_OP_UGE		0x085

/* 64-bit integer (shift counts are 32-bit). */
#define SVMGPU_ISA_OP_IADD64		0x0a0
#define SVMGPU_ISA_OP_ISUB64		0x0a1
#define SVMGPU_ISA_OP_IMUL64		0x0a2
#define SVMGPU_ISA_OP_UDIV64		0x0a8
#define SVMGPU_ISA_OP_UREM64		0x0a9
#define SVMGPU_ISA_OP_SDIV64		0x0aa
#define SVMGPU_ISA_OP_SREM64		0x0ab
#define SVMGPU_ISA_OP_SMIN64		0x0b2
#define SVMGPU_ISA_OP_SMAX64		0x0b3
#define SVMGPU_ISA_OP_UMIN64		0x0b4
#define SVMGPU_ISA_OP_UMAX64		0x0b5
#define SVMGPU_ISA_OP_AND64		0x0b8
#define SVMGPU_ISA_OP_OR64		0x0b9
#define SVMGPU_ISA_OP_XOR64		0x0ba
#define SVMGPU_ISA_OP_NOT64		0x0bb
#define SVMGPU_ISA_OP_SHL64		0x0bc
#define SVMGPU_ISA_OP_SHR64		0x0bd
#define SVMGPU_ISA_OP_SAR64		0x0be
#define SVMGPU_ISA_OP_IEQ64		0x0c0
#define SVMGPU_ISA_OP_INE64		0x0c1
#define SVMGPU_ISA_OP_SLT64		0x0c2
#define SVMGPU_ISA_OP_SGE64		0x0c3
#define SVMGPU_ISA_OP_ULT64		0x0c4
#define SVMGPU_ISA_OP_UGE64		0x0c5

/* binary32 arithmetic, compares and transcendentals. */
#define SVMGPU_ISA_OP_FADD		0x100
#define SVMGPU_ISA_OP_FSUB		0x101
#define SVMGPU_ISA_OP_FMUL		0x102
#define SVMGPU_ISA_OP_FDIV		0x103
#define SVMGPU_ISA_OP_FMA		0x104
#define SVMGPU_ISA_OP_FMIN		0x105
#define SVMGPU_ISA_OP_FMAX		0x106
#define SVMGPU_ISA_OP_FNEG		0x108
#define SVMGPU_ISA_OP_FABS		0x109
#define SVMGPU_ISA_OP_FFLOOR		0x10a
#define SVMGPU_ISA_OP_FCEIL		0x10b
#define SVMGPU_ISA_OP_FTRUNC		0x10c
#define SVMGPU_ISA_OP_FRNDE		0x10d
#define SVMGPU_ISA_OP_FFRACT		0x10e
#define SVMGPU_ISA_OP_FSIGN		0x10f
#define SVMGPU_ISA_OP_FSQRT		0x110
#define SVMGPU_ISA_OP_FRSQ		0x111
#define SVMGPU_ISA_OP_FEXP2		0x112
#define SVMGPU_ISA_OP_FLOG2		0x113
#define SVMGPU_ISA_OP_FSIN		0x114
#define SVMGPU_ISA_OP_FCOS		0x115
#define SVMGPU_ISA_OP_FATAN		0x116
#define SVMGPU_ISA_OP_FATAN2		0x117
#define SVMGPU_ISA_OP_FLDEXP		0x118
#define SVMGPU_ISA_OP_FEQ		0x120
#define SVMGPU_ISA_OP_FNEU		0x121
#define SVMGPU_ISA_OP_FLT		0x122
#define SVMGPU_ISA_OP_FGE		0x123
#define SVMGPU_ISA_OP_FISNAN		0x124
#define SVMGPU_ISA_OP_FISINF		0x125

/* Conversions: cvt.<to>.<from>. */
#define SVMGPU_ISA_OP_CVT_F32_I32	0x140
#define SVMGPU_ISA_OP_CVT_F32_U32	0x141
#define SVMGPU_ISA_OP_CVT_I32_F32	0x142
#define SVMGPU_ISA_OP_CVT_U32_F32	0x143
#define SVMGPU_ISA_OP_CVT_F32_F16	0x144
#define SVMGPU_ISA_OP_CVT_F16_F32	0x145
#define SVMGPU_ISA_OP_CVT_F32_I64	0x146
#define SVMGPU_ISA_OP_CVT_F32_U64	0x147
#define SVMGPU_ISA_OP_CVT_I64_F32	0x148
#define SVMGPU_ISA_OP_CVT_U64_F32	0x149
#define SVMGPU_ISA_OP_CVT_I64_I32	0x14a
#define SVMGPU_ISA_OP_CVT_U64_U32	0x14b

/* Global memory: A is a 64-bit virtual address, IMM a signed offset. */
#define SVMGPU_ISA_OP_LDG_U8		0x180
#define SVMGPU_ISA_OP_LDG_I8		0x181
#define SVMGPU_ISA_OP_LDG_U16		0x182
#define SVMGPU_ISA_OP_LDG_I16		0x183
#define SVMGPU_ISA_OP_LDG_B32		0x184
#define SVMGPU_ISA_OP_LDG_B64		0x185
#define SVMGPU_ISA_OP_LDG_B128		0x186
#define SVMGPU_ISA_OP_STG_B8		0x188
#define SVMGPU_ISA_OP_STG_B16		0x189
#define SVMGPU_ISA_OP_STG_B32		0x18a
#define SVMGPU_ISA_OP_STG_B64		0x18b
#define SVMGPU_ISA_OP_STG_B128		0x18c

/* Shared memory: A is a 32-bit byte offset, IMM a signed offset. */
#define SVMGPU_ISA_OP_LDS_U8		0x1a0
#define SVMGPU_ISA_OP_LDS_I8		0x1a1
#define SVMGPU_ISA_OP_LDS_U16		0x1a2
#define SVMGPU_ISA_OP_LDS_I16		0x1a3
#define SVMGPU_ISA_OP_LDS_B32		0x1a4
#define SVMGPU_ISA_OP_LDS_B64		0x1a5
#define SVMGPU_ISA_OP_LDS_B128		0x1a6
#define SVMGPU_ISA_OP_STS_B8		0x1a8
#define SVMGPU_ISA_OP_STS_B16		0x1a9
#define SVMGPU_ISA_OP_STS_B32		0x1aa
#define SVMGPU_ISA_OP_STS_B64		0x1ab
#define SVMGPU_ISA_OP_STS_B128		0x1ac

/* Global memory atomics: D receives the old value; cmpxchg compares with B, stores C. */
#define SVMGPU_ISA_OP_ATOMG_ADD_U32	0x1c0
#define SVMGPU_ISA_OP_ATOMG_ADD_U64	0x1c1
#define SVMGPU_ISA_OP_ATOMG_SUB_U32	0x1c2
#define SVMGPU_ISA_OP_ATOMG_SUB_U64	0x1c3
#define SVMGPU_ISA_OP_ATOMG_AND_B32	0x1c4
#define SVMGPU_ISA_OP_ATOMG_AND_B64	0x1c5
#define SVMGPU_ISA_OP_ATOMG_OR_B32	0x1c6
#define SVMGPU_ISA_OP_ATOMG_OR_B64	0x1c7
#define SVMGPU_ISA_OP_ATOMG_XOR_B32	0x1c8
#define SVMGPU_ISA_OP_ATOMG_XOR_B64	0x1c9
#define SVMGPU_ISA_OP_ATOMG_SMIN_I32	0x1ca
#define SVMGPU_ISA_OP_ATOMG_SMIN_I64	0x1cb
#define SVMGPU_ISA_OP_ATOMG_SMAX_I32	0x1cc
#define SVMGPU_ISA_OP_ATOMG_SMAX_I64	0x1cd
#define SVMGPU_ISA_OP_ATOMG_UMIN_U32	0x1ce
#define SVMGPU_ISA_OP_ATOMG_UMIN_U64	0x1cf
#define SVMGPU_ISA_OP_ATOMG_UMAX_U32	0x1d0
#define SVMGPU_ISA_OP_ATOMG_UMAX_U64	0x1d1
#define SVMGPU_ISA_OP_ATOMG_XCHG_B32	0x1d2
#define SVMGPU_ISA_OP_ATOMG_XCHG_B64	0x1d3
#define SVMGPU_ISA_OP_ATOMG_CMPXCHG_B32	0x1d4
#define SVMGPU_ISA_OP_ATOMG_CMPXCHG_B64	0x1d5
#define SVMGPU_ISA_OP_ATOMG_FADD_F32	0x1d6

/* Shared memory atomics, the same operations. */
#define SVMGPU_ISA_OP_ATOMS_ADD_U32	0x200
#define SVMGPU_ISA_OP_ATOMS_ADD_U64	0x201
#define SVMGPU_ISA_OP_ATOMS_SUB_U32	0x202
#define SVMGPU_ISA_OP_ATOMS_SUB_U64	0x203
#define SVMGPU_ISA_OP_ATOMS_AND_B32	0x204
#define SVMGPU_ISA_OP_ATOMS_AND_B64	0x205
#define SVMGPU_ISA_OP_ATOMS_OR_B32	0x206
#define SVMGPU_ISA_OP_ATOMS_OR_B64	0x207
#define SVMGPU_ISA_OP_ATOMS_XOR_B32	0x208
#define SVMGPU_ISA_OP_ATOMS_XOR_B64	0x209
#define SVMGPU_ISA_OP_ATOMS_SMIN_I32	0x20a
#define SVMGPU_ISA_OP_ATOMS_SMIN_I64	0x20b
#define SVMGPU_ISA_OP_ATOMS_SMAX_I32	0x20c
#define SVMGPU_ISA_OP_ATOMS_SMAX_I64	0x20d
#define SVMGPU_ISA_OP_ATOMS_UMIN_U32	0x20e
#define SVMGPU_ISA_OP_ATOMS_UMIN_U64	0x20f
#define SVMGPU_ISA_OP_ATOMS_UMAX_U32	0x210
#define SVMGPU_ISA_OP_ATOMS_UMAX_U64	0x211
#define SVMGPU_ISA_OP_ATOMS_XCHG_B32	0x212
#define SVMGPU_ISA_OP_ATOMS_XCHG_B64	0x213
#define SVMGPU_ISA_OP_ATOMS_CMPXCHG_B32	0x214
#define SVMGPU_ISA_OP_ATOMS_CMPXCHG_B64	0x215
#define SVMGPU_ISA_OP_ATOMS_FADD_F32	0x216

/* Subgroup operations over the wave's lanes. */
#define SVMGPU_ISA_OP_BALLOT		0x240
#define SVMGPU_ISA_OP_ELECT		0x241
#define SVMGPU_ISA_OP_BCAST		0x242
#define SVMGPU_ISA_OP_BCASTF		0x243
#define SVMGPU_ISA_OP_SHFL		0x244
#define SVMGPU_ISA_OP_SHFLXOR		0x245
#define SVMGPU_ISA_OP_SHFLUP		0x246
#define SVMGPU_ISA_OP_SHFLDOWN		0x247

/* Reductions: the result of every active lane, in every lane. */
#define SVMGPU_ISA_OP_RED_IADD		0x250
#define SVMGPU_ISA_OP_RED_FADD		0x251
#define SVMGPU_ISA_OP_RED_SMIN		0x252
#define SVMGPU_ISA_OP_RED_UMIN		0x253
#define SVMGPU_ISA_OP_RED_FMIN		0x254
#define SVMGPU_ISA_OP_RED_SMAX		0x255
#define SVMGPU_ISA_OP_RED_UMAX		0x256
#define SVMGPU_ISA_OP_RED_FMAX		0x257
#define SVMGPU_ISA_OP_RED_AND		0x258
#define SVMGPU_ISA_OP_RED_OR		0x259
#define SVMGPU_ISA_OP_RED_XOR		0x25a

/* Inclusive scans over the active lanes in lane order. */
#define SVMGPU_ISA_OP_SCAN_IADD		0x260
#define SVMGPU_ISA_OP_SCAN_FADD		0x261
#define SVMGPU_ISA_OP_SCAN_SMIN		0x262
#define SVMGPU_ISA_OP_SCAN_UMIN		0x263
#define SVMGPU_ISA_OP_SCAN_FMIN		0x264
#define SVMGPU_ISA_OP_SCAN_SMAX		0x265
#define SVMGPU_ISA_OP_SCAN_UMAX		0x266
#define SVMGPU_ISA_OP_SCAN_FMAX		0x267
#define SVMGPU_ISA_OP_SCAN_AND		0x268
#define SVMGPU_ISA_OP_SCAN_OR		0x269
#define SVMGPU_ISA_OP_SCAN_XOR		0x26a

/* Exclusive scans. */
#define SVMGPU_ISA_OP_XSCAN_IADD	0x270
#define SVMGPU_ISA_OP_XSCAN_FADD	0x271
#define SVMGPU_ISA_OP_XSCAN_SMIN	0x272
#define SVMGPU_ISA_OP_XSCAN_UMIN	0x273
#define SVMGPU_ISA_OP_XSCAN_FMIN	0x274
#define SVMGPU_ISA_OP_XSCAN_SMAX	0x275
#define SVMGPU_ISA_OP_XSCAN_UMAX	0x276
#define SVMGPU_ISA_OP_XSCAN_FMAX	0x277
#define SVMGPU_ISA_OP_XSCAN_AND		0x278
#define SVMGPU_ISA_OP_XSCAN_OR		0x279
#define SVMGPU_ISA_OP_XSCAN_XOR		0x27a

/*
 * MEMBAR semantics (IMM): at least one of ACQUIRE/RELEASE and at least
 * one storage class; every other bit must be zero.
 */
#define SVMGPU_ISA_MEMBAR_ACQUIRE	(1u << 0)
#define SVMGPU_ISA_MEMBAR_RELEASE	(1u << 1)
#define SVMGPU_ISA_MEMBAR_GLOBAL	(1u << 4)	/* global memory */
#define SVMGPU_ISA_MEMBAR_SHARED	(1u << 5)	/* shared memory */
#define SVMGPU_ISA_MEMBAR_SCOPE_SHIFT	8
#define SVMGPU_ISA_MEMBAR_SCOPE_MASK	(3u << 8)
#define SVMGPU_ISA_MEMBAR_WORKGROUP	(0u << 8)
#define SVMGPU_ISA_MEMBAR_DEVICE	(1u << 8)
#define SVMGPU_ISA_MEMBAR_SYSTEM	(2u << 8)	/* scope 3 reserved */
#define SVMGPU_ISA_MEMBAR_VALID		0x0333u

/*
 * Reasons of an ILLEGAL_INSTRUCTION fault: why the decoder rejected a
 * program before any wave ran. The fault reports the reason and the word
 * index of the offending instruction.
 */
#define SVMGPU_ISA_ILLEGAL_NONE		0	/* valid */
#define SVMGPU_ISA_ILLEGAL_OPCODE	1	/* unknown opcode */
#define SVMGPU_ISA_ILLEGAL_RESERVED	2	/* reserved field not zero */
#define SVMGPU_ISA_ILLEGAL_OPERAND	3	/* reserved/misused operand */
#define SVMGPU_ISA_ILLEGAL_REG_RANGE	4	/* beyond the register count */
#define SVMGPU_ISA_ILLEGAL_REG_ALIGN	5	/* pair or quad misaligned */
#define SVMGPU_ISA_ILLEGAL_NOT_UNIFORM	6	/* scalar dst, per-lane src */
#define SVMGPU_ISA_ILLEGAL_NESTING	7	/* control flow not nested */
#define SVMGPU_ISA_ILLEGAL_DEPTH	8	/* nested too deeply */
#define SVMGPU_ISA_ILLEGAL_TRUNCATED	9	/* literal beyond the end */
#define SVMGPU_ISA_ILLEGAL_NO_END	10	/* last instruction not end */
#define SVMGPU_ISA_ILLEGAL_SIZE		11	/* empty or too large */
#define SVMGPU_ISA_ILLEGAL_IMM		12	/* bad immediate */
#define SVMGPU_ISA_ILLEGAL_COUNT	13

/*
 * Run-time exceptions of a valid program that are not translation faults
 * (those are fault records of svmgpu_fault.h): the job ends with the
 * exception, the lane and the word index of the instruction.
 */
#define SVMGPU_ISA_EXC_MISALIGNED	1	/* access not naturally aligned */
#define SVMGPU_ISA_EXC_SHARED_RANGE	2	/* beyond the shared size */

#endif /* SVMGPU_ISA_H */
