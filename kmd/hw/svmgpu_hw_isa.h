/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_hw_isa.h - the shader cores' decoded program: the internal form
 * (instruction cache) that svmgpu_hw_isa_decode() makes of a program in
 * the encoding of include/hw/svmgpu_isa.h, for the compute units of
 * kmd/hw/ only.
 */
#ifndef SVMGPU_HW_ISA_H
#define SVMGPU_HW_ISA_H

#include <linux/types.h>

#include "hw/svmgpu_isa.h"

/* skip of an instruction outside every construct: the wave ends. */
#define SVMGPU_HW_ISA_WAVE_END		U32_MAX

/**
 * struct svmgpu_hw_isa_insn - one decoded, validated instruction.
 * @lit: its literal word (0 without a literal operand).
 * @pc: word index of the instruction in the program (for fault reports).
 * @target: control instructions: instruction index of the matching
 *	construct point. if: its else, or its endif without one; else: its
 *	endif; loop: its endloop; endloop: its loop; break, breakc, continue,
 *	continuec: the endloop of their loop. 0 for the others.
 * @skip: instruction index where the wave goes on when the instruction
 *	leaves EXEC empty: the next control point (else, endif or endloop)
 *	of the innermost construct open after it, or
 *	SVMGPU_HW_ISA_WAVE_END outside every construct.
 * @op: SVMGPU_ISA_OP_*.
 * @flags: SVMGPU_ISA_F_*.
 * @fmt: enum svmgpu_isa_fmt.
 * @cls: enum svmgpu_isa_class.
 * @opnd: operand encodings of D, A, B and C (0 when unused).
 * @imm: the IMM field (sign-extend it for memory offsets).
 */
struct svmgpu_hw_isa_insn {
	u64 lit;
	u32 pc;
	u32 target;
	u32 skip;
	u16 op;
	u16 flags;
	u8 fmt;
	u8 cls;
	u8 opnd[4];
	u16 imm;
};

/**
 * struct svmgpu_hw_isa_limits - what the dispatch allows a program.
 * @vregs: vector registers per lane, 1..SVMGPU_ISA_MAX_VREGS.
 * @sregs: scalar registers per wave, 0..SVMGPU_ISA_MAX_SREGS.
 */
struct svmgpu_hw_isa_limits {
	unsigned int vregs;
	unsigned int sregs;
};

/**
 * struct svmgpu_hw_isa_error - why a program was rejected.
 * @reason: SVMGPU_ISA_ILLEGAL_*.
 * @pc: word index of the offending instruction.
 */
struct svmgpu_hw_isa_error {
	u32 reason;
	u32 pc;
};

int svmgpu_hw_isa_decode(const __le64 *words, u32 count,
			 const struct svmgpu_hw_isa_limits *limits,
			 struct svmgpu_hw_isa_insn *insns, u32 *ninsns,
			 struct svmgpu_hw_isa_error *error);

const char *svmgpu_hw_isa_op_name(unsigned int op);
const u8 *svmgpu_hw_isa_op_sizes(unsigned int op);

#endif /* SVMGPU_HW_ISA_H */
