// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_isa_test.c - KUnit suite of the shader cores' program decoder.
 */

/**
 * DOC: ISA decoder tests
 *
 * Feeds svmgpu_hw_isa_decode() (kmd/hw/svmgpu_hw_isa.c) valid programs,
 * checking the internal form (instruction indices, word indices,
 * literals, the resolved control flow), one invalid program per rule of
 * docs/hardware.md, "Invalid encodings", checking the reason and word
 * index, and seeded random and bit-flipped programs, checking that every
 * outcome is either a rejection with a defined reason inside the program
 * or a decoded program whose jumps all stay inside it.
 *
 * Built into svmgpu.ko when the kernel has KUnit (suite "svmgpu_isa",
 * results in /sys/kernel/debug/kunit/svmgpu_isa/). Pure computation: it
 * needs no hardware instance and finishes in milliseconds.
 */

#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/string.h>

#include "hw/svmgpu_isa.h"
#include "hw/svmgpu_hw_isa.h"

#define W(op, d, a, b, c, imm) \
	cpu_to_le64(SVMGPU_ISA_WORD(SVMGPU_ISA_OP_##op, d, a, b, c, imm))
#define V(n)		SVMGPU_ISA_V(n)
#define S(n)		SVMGPU_ISA_S(n)
#define SR(n)		SVMGPU_ISA_SR(SVMGPU_ISA_SR_##n)
#define LIT		SVMGPU_ISA_LIT
#define LITW(v)		cpu_to_le64(v)

#define ISAT_MAX_WORDS	80

static const struct svmgpu_hw_isa_limits isat_full = {
	.vregs = SVMGPU_ISA_MAX_VREGS,
	.sregs = SVMGPU_ISA_MAX_SREGS,
};

/* y = a * x + y, as in docs/hardware.md (svmgpu-asm output). */
static const __le64 isat_saxpy[] = {
	W(LDG_B64, S(2), SR(ARGS), 0, 0, 0),
	W(LDG_B64, S(4), SR(ARGS), 0, 0, 8),
	W(LDG_B32, S(6), SR(ARGS), 0, 0, 16),
	W(LDG_B32, S(7), SR(ARGS), 0, 0, 20),
	W(MOV, V(0), SR(GLOBAL_ID_X), 0, 0, 0),
	W(ULT, V(1), V(0), S(7), 0, 0),
	W(IF, 0, V(1), 0, 0, 0),
	W(UMULW, V(2), V(0), LIT, 0, 0), LITW(4),
	W(IADD64, V(4), S(2), V(2), 0, 0),
	W(IADD64, V(6), S(4), V(2), 0, 0),
	W(LDG_B32, V(8), V(4), 0, 0, 0),
	W(LDG_B32, V(9), V(6), 0, 0, 0),
	W(FMA, V(9), S(6), V(8), V(9), 0),
	W(STG_B32, 0, V(6), V(9), 0, 0),
	W(ENDIF, 0, 0, 0, 0, 0),
	W(END, 0, 0, 0, 0, 0),
};

static struct svmgpu_hw_isa_insn *isat_insns(struct kunit *test)
{
	struct svmgpu_hw_isa_insn *insns;

	insns = kunit_kcalloc(test, ISAT_MAX_WORDS, sizeof(*insns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, insns);
	return insns;
}

static void isat_decode_saxpy(struct kunit *test)
{
	struct svmgpu_hw_isa_insn *insns = isat_insns(test);
	struct svmgpu_hw_isa_limits limits = { .vregs = 10, .sregs = 8 };
	struct svmgpu_hw_isa_error err = { 0 };
	u32 n = 0;

	KUNIT_ASSERT_EQ(test, svmgpu_hw_isa_decode(isat_saxpy,
						   ARRAY_SIZE(isat_saxpy),
						   &limits, insns, &n, &err), 0);
	KUNIT_EXPECT_EQ(test, n, 16);
	KUNIT_EXPECT_EQ(test, insns[6].op, SVMGPU_ISA_OP_IF);
	KUNIT_EXPECT_EQ(test, insns[6].target, 14);
	KUNIT_EXPECT_EQ(test, insns[6].skip, 14);
	KUNIT_EXPECT_EQ(test, insns[7].op, SVMGPU_ISA_OP_UMULW);
	KUNIT_EXPECT_EQ(test, insns[7].pc, 7);
	KUNIT_EXPECT_EQ(test, insns[7].lit, 4);
	KUNIT_EXPECT_EQ(test, insns[7].opnd[2], LIT);
	KUNIT_EXPECT_EQ(test, insns[8].pc, 9);
	KUNIT_EXPECT_EQ(test, insns[1].imm, 8);
	KUNIT_EXPECT_EQ(test, insns[1].cls, SVMGPU_ISA_CLASS_GLOBAL);
	KUNIT_EXPECT_EQ(test, insns[12].cls, SVMGPU_ISA_CLASS_FLOAT);
	KUNIT_EXPECT_TRUE(test, insns[12].flags & SVMGPU_ISA_F_FLOAT);
	KUNIT_EXPECT_EQ(test, insns[14].skip, SVMGPU_HW_ISA_WAVE_END);
	KUNIT_EXPECT_EQ(test, insns[15].op, SVMGPU_ISA_OP_END);
	KUNIT_EXPECT_STREQ(test, svmgpu_hw_isa_op_name(SVMGPU_ISA_OP_FMA), "fma");
	KUNIT_EXPECT_NULL(test, svmgpu_hw_isa_op_name(0x3ff));
	KUNIT_EXPECT_NULL(test, svmgpu_hw_isa_op_name(SVMGPU_ISA_OP_LIMIT));

	/* One register fewer of either kind: the first use is rejected. */
	limits.vregs = 9;
	KUNIT_EXPECT_EQ(test, svmgpu_hw_isa_decode(isat_saxpy,
						   ARRAY_SIZE(isat_saxpy),
						   &limits, insns, &n, &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.reason, SVMGPU_ISA_ILLEGAL_REG_RANGE);
	KUNIT_EXPECT_EQ(test, err.pc, 12);
	limits.vregs = 10;
	limits.sregs = 7;
	KUNIT_EXPECT_EQ(test, svmgpu_hw_isa_decode(isat_saxpy,
						   ARRAY_SIZE(isat_saxpy),
						   &limits, insns, &n, &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.reason, SVMGPU_ISA_ILLEGAL_REG_RANGE);
	KUNIT_EXPECT_EQ(test, err.pc, 3);
}

/* The resolved jumps of nested constructs. */
static void isat_decode_control_flow(struct kunit *test)
{
	static const __le64 prog[] = {
		W(MOV, V(0), SR(LANE_ID), 0, 0, 0),	/* 0 */
		W(IADD, V(1), V(0), LIT, 0, 0), LITW(5),/* 1 */
		W(IF, 0, V(0), 0, 0, 0),		/* 2 */
		W(LOOP, 0, 0, 0, 0, 0),			/* 3 */
		W(BREAKC, 0, V(1), 0, 0, 0),		/* 4 */
		W(IF, 0, V(1), 0, 0, 0),		/* 5 */
		W(CONTINUE, 0, 0, 0, 0, 0),		/* 6 */
		W(ENDIF, 0, 0, 0, 0, 0),		/* 7 */
		W(ENDLOOP, 0, 0, 0, 0, 0),		/* 8 */
		W(ELSE, 0, 0, 0, 0, 0),			/* 9 */
		W(EXIT, 0, 0, 0, 0, 0),			/* 10 */
		W(ENDIF, 0, 0, 0, 0, 0),		/* 11 */
		W(END, 0, 0, 0, 0, 0),			/* 12 */
	};
	static const struct { u32 target, skip; } want[] = {
		{ 0, SVMGPU_HW_ISA_WAVE_END }, { 0, SVMGPU_HW_ISA_WAVE_END },
		{ 9, 9 },	/* if: its else */
		{ 8, 8 },	/* loop: its endloop */
		{ 8, 8 },	/* breakc: the endloop; in the loop body */
		{ 7, 7 },	/* if without else: its endif */
		{ 8, 7 },	/* continue: the endloop; in the inner if */
		{ 0, 8 },	/* endif: back in the loop body */
		{ 3, 9 },	/* endloop: its loop; in the outer if part */
		{ 11, 11 },	/* else: its endif */
		{ 0, 11 },	/* exit: in the else part */
		{ 0, SVMGPU_HW_ISA_WAVE_END },
		{ 0, SVMGPU_HW_ISA_WAVE_END },
	};
	struct svmgpu_hw_isa_insn *insns = isat_insns(test);
	struct svmgpu_hw_isa_error err = { 0 };
	u32 i, n = 0;

	KUNIT_ASSERT_EQ(test, svmgpu_hw_isa_decode(prog, ARRAY_SIZE(prog),
						   &isat_full, insns, &n, &err), 0);
	KUNIT_ASSERT_EQ(test, n, ARRAY_SIZE(want));
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, insns[i].target, want[i].target,
				    "instruction %u", i);
		KUNIT_EXPECT_EQ_MSG(test, insns[i].skip, want[i].skip,
				    "instruction %u", i);
	}
}

/**
 * struct isat_bad - an invalid program and how it must be rejected.
 * @desc: what is wrong.
 * @words: the program.
 * @count: its words.
 * @vregs: the dispatch's vector registers (0: all).
 * @reason: SVMGPU_ISA_ILLEGAL_*.
 * @pc: word index of the offending instruction.
 */
struct isat_bad {
	const char *desc;
	__le64 words[6];
	u32 count;
	u32 vregs;
	u32 reason;
	u32 pc;
};

#define END_W	W(END, 0, 0, 0, 0, 0)

static const struct isat_bad isat_bad_programs[] = {
	{ "unknown opcode", { W(NOP, 0, 0, 0, 0, 0), cpu_to_le64(0x3ff), END_W },
	  3, 0, SVMGPU_ISA_ILLEGAL_OPCODE, 1 },
	{ "bits 15:10 set", { cpu_to_le64(0x400), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_RESERVED, 0 },
	{ "unused operand set", { W(NOP, 0, V(1), 0, 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_RESERVED, 0 },
	{ "IMM on an ALU op", { W(IADD, V(0), V(1), V(2), 0, 4), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_RESERVED, 0 },
	{ "reserved operand", { W(MOV, V(0), 0xe0, 0, 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_OPERAND, 0 },
	{ "reserved special register", { W(MOV, V(0), 0xd7, 0, 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_OPERAND, 0 },
	{ "literal destination", { W(MOV, LIT, V(0), 0, 0, 0), LITW(0), END_W },
	  3, 0, SVMGPU_ISA_ILLEGAL_OPERAND, 0 },
	{ "64-bit lane id", { W(MOV64, V(0), SR(LANE_ID), 0, 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_OPERAND, 0 },
	{ "128-bit literal", { W(STG_B128, 0, V(0), LIT, 0, 0), LITW(0), END_W },
	  3, 0, SVMGPU_ISA_ILLEGAL_OPERAND, 0 },
	{ "odd pair", { W(MOV64, V(0), V(1), 0, 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_REG_ALIGN, 0 },
	{ "quad at 2", { W(LDG_B128, V(2), V(0), 0, 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_REG_ALIGN, 0 },
	{ "scalar from vector", { W(IADD, S(0), V(1), S(2), 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_NOT_UNIFORM, 0 },
	{ "scalar from lane id", { W(MOV, S(0), SR(LANE_ID), 0, 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_NOT_UNIFORM, 0 },
	{ "scalar scan", { W(SCAN_IADD, S(0), S(1), 0, 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_NOT_UNIFORM, 0 },
	{ "bcast per-lane index", { W(BCAST, V(0), V(1), V(2), 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_NOT_UNIFORM, 0 },
	{ "membar without semantics", { W(MEMBAR, 0, 0, 0, 0, 0x110), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_IMM, 0 },
	{ "membar scope 3", { W(MEMBAR, 0, 0, 0, 0, 0x313), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_IMM, 0 },
	{ "literal past the end", { W(NOP, 0, 0, 0, 0, 0), W(MOV, V(0), LIT, 0, 0, 0) },
	  2, 0, SVMGPU_ISA_ILLEGAL_TRUNCATED, 1 },
	{ "register beyond vregs", { W(MOV, V(3), V(0), 0, 0, 0), END_W },
	  2, 3, SVMGPU_ISA_ILLEGAL_REG_RANGE, 0 },
	{ "pair beyond vregs", { W(MOV64, V(2), V(0), 0, 0, 0), END_W },
	  2, 3, SVMGPU_ISA_ILLEGAL_REG_RANGE, 0 },
	{ "else without if", { W(ELSE, 0, 0, 0, 0, 0), END_W },
	  2, 0, SVMGPU_ISA_ILLEGAL_NESTING, 0 },
	{ "two elses", { W(IF, 0, V(0), 0, 0, 0), W(ELSE, 0, 0, 0, 0, 0),
			 W(ELSE, 0, 0, 0, 0, 0), W(ENDIF, 0, 0, 0, 0, 0), END_W },
	  5, 0, SVMGPU_ISA_ILLEGAL_NESTING, 2 },
	{ "endif closing a loop", { W(LOOP, 0, 0, 0, 0, 0), W(ENDIF, 0, 0, 0, 0, 0), END_W },
	  3, 0, SVMGPU_ISA_ILLEGAL_NESTING, 1 },
	{ "break outside a loop", { W(IF, 0, V(0), 0, 0, 0), W(BREAK, 0, 0, 0, 0, 0),
				    W(ENDIF, 0, 0, 0, 0, 0), END_W },
	  4, 0, SVMGPU_ISA_ILLEGAL_NESTING, 1 },
	{ "end inside a loop", { W(LOOP, 0, 0, 0, 0, 0), END_W,
				 W(ENDLOOP, 0, 0, 0, 0, 0), END_W },
	  4, 0, SVMGPU_ISA_ILLEGAL_NESTING, 1 },
	{ "no end", { W(LOOP, 0, 0, 0, 0, 0), W(ENDLOOP, 0, 0, 0, 0, 0) },
	  2, 0, SVMGPU_ISA_ILLEGAL_NO_END, 1 },
	{ "empty", { 0 }, 0, 0, SVMGPU_ISA_ILLEGAL_SIZE, 0 },
};

static void isat_decode_invalid(struct kunit *test)
{
	struct svmgpu_hw_isa_insn *insns = isat_insns(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(isat_bad_programs); i++) {
		const struct isat_bad *bad = &isat_bad_programs[i];
		struct svmgpu_hw_isa_limits limits = isat_full;
		struct svmgpu_hw_isa_error err = { 0 };
		u32 n = 0;

		if (bad->vregs)
			limits.vregs = bad->vregs;
		KUNIT_EXPECT_EQ_MSG(test, svmgpu_hw_isa_decode(bad->words, bad->count,
							       &limits, insns, &n, &err),
				    -EINVAL, "%s", bad->desc);
		KUNIT_EXPECT_EQ_MSG(test, err.reason, bad->reason, "%s", bad->desc);
		KUNIT_EXPECT_EQ_MSG(test, err.pc, bad->pc, "%s", bad->desc);
	}
}

/* 32 nested constructs decode; a 33rd is DEPTH; too large is SIZE. */
static void isat_decode_limits(struct kunit *test)
{
	struct svmgpu_hw_isa_insn *insns = isat_insns(test);
	struct svmgpu_hw_isa_error err = { 0 };
	__le64 prog[2 * 33 + 1];
	u32 depth, i, n;

	for (depth = 32; depth <= 33; depth++) {
		for (i = 0; i < depth; i++) {
			prog[i] = i % 2 ? W(LOOP, 0, 0, 0, 0, 0) : W(IF, 0, V(0), 0, 0, 0);
			prog[2 * depth - 1 - i] = i % 2 ? W(ENDLOOP, 0, 0, 0, 0, 0) :
							  W(ENDIF, 0, 0, 0, 0, 0);
		}
		prog[2 * depth] = W(END, 0, 0, 0, 0, 0);
		n = 0;
		if (depth == 32) {
			KUNIT_EXPECT_EQ(test, svmgpu_hw_isa_decode(prog, 2 * depth + 1,
								   &isat_full, insns,
								   &n, &err), 0);
			KUNIT_EXPECT_EQ(test, n, 2 * depth + 1);
			KUNIT_EXPECT_EQ(test, insns[0].target, 2 * depth - 1);
			KUNIT_EXPECT_EQ(test, insns[1].target, 2 * depth - 2);
			KUNIT_EXPECT_EQ(test, insns[2 * depth - 2].target, 1);
		} else {
			KUNIT_EXPECT_EQ(test, svmgpu_hw_isa_decode(prog, 2 * depth + 1,
								   &isat_full, insns,
								   &n, &err), -EINVAL);
			KUNIT_EXPECT_EQ(test, err.reason, SVMGPU_ISA_ILLEGAL_DEPTH);
			KUNIT_EXPECT_EQ(test, err.pc, 32);
		}
	}
	/* The size is checked before any word is read. */
	KUNIT_EXPECT_EQ(test, svmgpu_hw_isa_decode(prog, SVMGPU_ISA_MAX_WORDS + 1,
						   &isat_full, insns, &n, &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err.reason, SVMGPU_ISA_ILLEGAL_SIZE);
}

/* Whatever the words, the outcome is well defined and stays inside. */
static void isat_check_outcome(struct kunit *test, const __le64 *words,
			       u32 count, struct svmgpu_hw_isa_insn *insns)
{
	struct svmgpu_hw_isa_limits limits = { .vregs = 64, .sregs = 32 };
	struct svmgpu_hw_isa_error err = { .reason = 0, .pc = U32_MAX };
	u32 i, n = U32_MAX;
	int ret;

	ret = svmgpu_hw_isa_decode(words, count, &limits, insns, &n, &err);
	if (ret) {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		KUNIT_EXPECT_GT(test, err.reason, 0);
		KUNIT_EXPECT_LT(test, err.reason, SVMGPU_ISA_ILLEGAL_COUNT);
		KUNIT_EXPECT_LT(test, err.pc, count);
		return;
	}
	KUNIT_EXPECT_LE(test, n, count);
	KUNIT_EXPECT_EQ(test, insns[n - 1].op, SVMGPU_ISA_OP_END);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_LT(test, insns[i].target, n);
		if (insns[i].skip != SVMGPU_HW_ISA_WAVE_END)
			KUNIT_EXPECT_LT(test, insns[i].skip, n);
		KUNIT_EXPECT_LT(test, insns[i].pc, count);
	}
}

static void isat_decode_fuzz(struct kunit *test)
{
	struct svmgpu_hw_isa_insn *insns = isat_insns(test);
	__le64 prog[ISAT_MAX_WORDS];
	struct rnd_state rnd;
	u32 i, j, count;

	prandom_seed_state(&rnd, 0x5eed15a0ull);
	/* Every single-bit flip of a valid program. */
	for (i = 0; i < ARRAY_SIZE(isat_saxpy) * 64; i++) {
		memcpy(prog, isat_saxpy, sizeof(isat_saxpy));
		prog[i / 64] ^= cpu_to_le64(1ull << (i % 64));
		isat_check_outcome(test, prog, ARRAY_SIZE(isat_saxpy), insns);
	}
	/* Random programs: random words, and known opcodes with noise. */
	for (i = 0; i < 1000; i++) {
		count = 1 + prandom_u32_state(&rnd) % ISAT_MAX_WORDS;
		for (j = 0; j < count; j++) {
			u64 w = (u64)prandom_u32_state(&rnd) << 32 |
				prandom_u32_state(&rnd);

			if (i % 2)
				w &= 0x00007f7f7f7f003full | (w & 1 ? 0xc0 : 0);
			prog[j] = cpu_to_le64(w);
		}
		if (i % 4 == 1)
			prog[count - 1] = W(END, 0, 0, 0, 0, 0);
		isat_check_outcome(test, prog, count, insns);
	}
}

static struct kunit_case svmgpu_isa_test_cases[] = {
	KUNIT_CASE(isat_decode_saxpy),
	KUNIT_CASE(isat_decode_control_flow),
	KUNIT_CASE(isat_decode_invalid),
	KUNIT_CASE(isat_decode_limits),
	KUNIT_CASE(isat_decode_fuzz),
	{}
};

static struct kunit_suite svmgpu_isa_test_suite = {
	.name = "svmgpu_isa",
	.test_cases = svmgpu_isa_test_cases,
};

kunit_test_suite(svmgpu_isa_test_suite);
