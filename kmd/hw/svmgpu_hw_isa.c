// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_hw_isa.c - the shader cores' program decoder and validator.
 */

/**
 * DOC: Program decoder
 *
 * Before any wave of a dispatch runs, the compute unit decodes the whole
 * program (already fetched through the MMU into kernel memory) once into
 * an array of struct svmgpu_hw_isa_insn, its instruction cache, and
 * validates every instruction against docs/hardware.md, "Invalid
 * encodings", in the order given there: opcode, reserved fields, operand
 * encodings, register alignment, uniformity, immediates, a literal that
 * runs past the end, registers beyond the dispatch's counts, nesting depth
 * and structure, the final end. The first broken rule rejects the program
 * with its SVMGPU_ISA_ILLEGAL_* reason and word index (an
 * ILLEGAL_INSTRUCTION fault); nothing runs.
 *
 * Decoding also resolves the structured control flow: every if, else,
 * loop, endloop, break and continue gets the instruction index it may
 * jump to, and every control instruction the index where the wave goes on
 * when it leaves no lane active, so the interpreter never searches.
 *
 * The decoder is pure: it reads the words and writes the caller's array
 * (at most one entry per word), allocates nothing, takes no lock and may
 * be called in any context. Its time and stack are bounded by the word
 * count and SVMGPU_ISA_MAX_DEPTH.
 */

#include <linux/errno.h>
#include <linux/kernel.h>

#include "hw/svmgpu_isa.h"
#include "svmgpu_hw_isa.h"

/**
 * struct svmgpu_hw_isa_opinfo - a row of the opcode table.
 * @name: the mnemonic (for messages).
 * @size: size of D, A, B and C in 32-bit registers, 0 when unused.
 * @flags: SVMGPU_ISA_F_*.
 * @fmt: enum svmgpu_isa_fmt.
 * @cls: enum svmgpu_isa_class.
 */
struct svmgpu_hw_isa_opinfo {
	const char *name;
	u8 size[4];
	u16 flags;
	u8 fmt;
	u8 cls;
};

/* Indexed by the whole opcode field: a NULL name is no instruction. */
static const struct svmgpu_hw_isa_opinfo svmgpu_hw_isa_ops[SVMGPU_ISA_OP_LIMIT] = {
#define SVMGPU_ISA_OP(nm, mnem, fm, cl, d, a, b, c, fl) \
	[SVMGPU_ISA_OP_##nm] = { .name = mnem, .size = { d, a, b, c }, \
		.flags = SVMGPU_ISA_FL_##fl, .fmt = SVMGPU_ISA_FMT_##fm, \
		.cls = SVMGPU_ISA_CLASS_##cl },
#include "hw/svmgpu_isa_ops.h"
#undef SVMGPU_ISA_OP
};

/**
 * svmgpu_hw_isa_op_name() - the mnemonic of an opcode.
 * @op: the opcode field.
 *
 * Return: the mnemonic, or NULL when @op is not an instruction.
 */
const char *svmgpu_hw_isa_op_name(unsigned int op)
{
	return op < SVMGPU_ISA_OP_LIMIT ? svmgpu_hw_isa_ops[op].name : NULL;
}

/**
 * svmgpu_hw_isa_op_sizes() - the operand sizes of an opcode.
 * @op: a valid opcode (one the decoder accepted).
 *
 * Return: the sizes of D, A, B and C in 32-bit registers, 0 when unused.
 */
const u8 *svmgpu_hw_isa_op_sizes(unsigned int op)
{
	return svmgpu_hw_isa_ops[op & SVMGPU_ISA_OP_MASK].size;
}

static unsigned int isa_field(u64 word, unsigned int i)
{
	return (word >> (16 + 8 * i)) & 0xff;
}

static bool isa_operand_ok(unsigned int i, unsigned int o, unsigned int size)
{
	unsigned int n = o & 0x1f;

	if (svmgpu_isa_is_v(o) || svmgpu_isa_is_s(o))
		return true;
	if (!i)
		return false;	/* destinations are registers */
	if (o == SVMGPU_ISA_LIT)
		return size <= 2;
	if (svmgpu_isa_is_sr(o))
		return n < SVMGPU_ISA_SR_COUNT &&
		       (size == 1 || (size == 2 && n == SVMGPU_ISA_SR_ARGS));
	return false;
}

static bool isa_uniform(unsigned int o)
{
	if (svmgpu_isa_is_v(o))
		return false;
	if (svmgpu_isa_is_sr(o))
		return SVMGPU_ISA_SR_UNIFORM & BIT(o & 0x1f);
	return true;
}

static bool isa_membar_ok(unsigned int imm)
{
	return !(imm & ~SVMGPU_ISA_MEMBAR_VALID) &&
	       (imm & (SVMGPU_ISA_MEMBAR_ACQUIRE | SVMGPU_ISA_MEMBAR_RELEASE)) &&
	       (imm & (SVMGPU_ISA_MEMBAR_GLOBAL | SVMGPU_ISA_MEMBAR_SHARED)) &&
	       (imm & SVMGPU_ISA_MEMBAR_SCOPE_MASK) !=
	       SVMGPU_ISA_MEMBAR_SCOPE_MASK;
}

static bool isa_in_range(unsigned int o, unsigned int size,
			 const struct svmgpu_hw_isa_limits *limits)
{
	if (svmgpu_isa_is_v(o))
		return o + size <= limits->vregs;
	if (svmgpu_isa_is_s(o))
		return (o & 0x3f) + size <= limits->sregs;
	return true;
}

/*
 * The rules of one instruction, OPCODE to REG_RANGE. words[0] is the
 * instruction, @left the words from it to the end. Fills @insn except
 * @target and @skip.
 */
static u32 isa_check(const __le64 *words, u32 left,
		     const struct svmgpu_hw_isa_limits *limits,
		     struct svmgpu_hw_isa_insn *insn, u32 *len)
{
	const struct svmgpu_hw_isa_opinfo *op;
	bool all_uniform = true, lit = false;
	u64 w = le64_to_cpu(words[0]);
	unsigned int i, o, imm;

	*len = 1;
	op = &svmgpu_hw_isa_ops[SVMGPU_ISA_WORD_OP(w)];
	if (!op->name)
		return SVMGPU_ISA_ILLEGAL_OPCODE;
	imm = SVMGPU_ISA_WORD_IMM(w);
	if ((w & SVMGPU_ISA_WORD_MBZ) || (!(op->flags & SVMGPU_ISA_F_IMM) && imm))
		return SVMGPU_ISA_ILLEGAL_RESERVED;
	for (i = 0; i < 4; i++)
		if (!op->size[i] && isa_field(w, i))
			return SVMGPU_ISA_ILLEGAL_RESERVED;
	for (i = 0; i < 4; i++)
		if (op->size[i] && !isa_operand_ok(i, isa_field(w, i), op->size[i]))
			return SVMGPU_ISA_ILLEGAL_OPERAND;
	for (i = 0; i < 4; i++) {
		o = isa_field(w, i);
		if (op->size[i] && (svmgpu_isa_is_v(o) || svmgpu_isa_is_s(o)) &&
		    svmgpu_isa_reg_index(o) % op->size[i])
			return SVMGPU_ISA_ILLEGAL_REG_ALIGN;
	}
	for (i = 1; i < 4; i++) {
		if (!op->size[i])
			continue;
		o = isa_field(w, i);
		all_uniform &= isa_uniform(o);
		lit |= o == SVMGPU_ISA_LIT;
	}
	if ((op->flags & SVMGPU_ISA_F_UNIFORM_B) && !isa_uniform(isa_field(w, 2)))
		return SVMGPU_ISA_ILLEGAL_NOT_UNIFORM;
	if (op->size[0] && svmgpu_isa_is_s(isa_field(w, 0)) &&
	    ((op->flags & SVMGPU_ISA_F_LANE) ||
	     (!(op->flags & SVMGPU_ISA_F_WAVE) && !all_uniform)))
		return SVMGPU_ISA_ILLEGAL_NOT_UNIFORM;
	if (op->fmt == SVMGPU_ISA_FMT_MEMBAR && !isa_membar_ok(imm))
		return SVMGPU_ISA_ILLEGAL_IMM;
	if (lit && left < 2)
		return SVMGPU_ISA_ILLEGAL_TRUNCATED;
	for (i = 0; i < 4; i++)
		if (op->size[i] && !isa_in_range(isa_field(w, i), op->size[i], limits))
			return SVMGPU_ISA_ILLEGAL_REG_RANGE;

	insn->lit = lit ? le64_to_cpu(words[1]) : 0;
	insn->op = SVMGPU_ISA_WORD_OP(w);
	insn->flags = op->flags;
	insn->fmt = op->fmt;
	insn->cls = op->cls;
	for (i = 0; i < 4; i++)
		insn->opnd[i] = isa_field(w, i);
	insn->imm = imm;
	*len = lit ? 2 : 1;
	return SVMGPU_ISA_ILLEGAL_NONE;
}

/**
 * struct isa_frame - an open construct while decoding.
 * @insn: index of its if or loop.
 * @other: if: index of its else, U32_MAX without one.
 * @loop: index of the innermost loop at this depth, U32_MAX outside loops.
 * @is_loop: a loop (else an if).
 * @in_else: an if past its else.
 */
struct isa_frame {
	u32 insn;
	u32 other;
	u32 loop;
	bool is_loop;
	bool in_else;
};

/* While decoding, @skip holds the innermost construct's if/loop index. */
#define ISA_OWNER_ELSE		BIT(31)
#define ISA_OWNER_NONE		U32_MAX

static u32 isa_owner(const struct isa_frame *stack, unsigned int depth)
{
	if (!depth)
		return ISA_OWNER_NONE;
	return stack[depth - 1].insn |
	       (stack[depth - 1].in_else ? ISA_OWNER_ELSE : 0);
}

/* The control-flow rules of instruction @n; updates the open constructs. */
static u32 isa_structure(struct svmgpu_hw_isa_insn *insns, u32 n,
			 struct isa_frame *stack, unsigned int *depth)
{
	struct svmgpu_hw_isa_insn *insn = &insns[n];
	struct isa_frame *top = *depth ? &stack[*depth - 1] : NULL;

	switch (insn->op) {
	case SVMGPU_ISA_OP_IF:
	case SVMGPU_ISA_OP_LOOP:
		if (*depth == SVMGPU_ISA_MAX_DEPTH)
			return SVMGPU_ISA_ILLEGAL_DEPTH;
		stack[*depth] = (struct isa_frame) {
			.insn = n,
			.other = U32_MAX,
			.is_loop = insn->op == SVMGPU_ISA_OP_LOOP,
			.loop = insn->op == SVMGPU_ISA_OP_LOOP ? n :
				top ? top->loop : U32_MAX,
		};
		(*depth)++;
		break;
	case SVMGPU_ISA_OP_ELSE:
		if (!top || top->is_loop || top->in_else)
			return SVMGPU_ISA_ILLEGAL_NESTING;
		top->in_else = true;
		top->other = n;
		insns[top->insn].target = n;
		break;
	case SVMGPU_ISA_OP_ENDIF:
		if (!top || top->is_loop)
			return SVMGPU_ISA_ILLEGAL_NESTING;
		if (top->other == U32_MAX)
			insns[top->insn].target = n;
		else
			insns[top->other].target = n;
		(*depth)--;
		break;
	case SVMGPU_ISA_OP_ENDLOOP:
		if (!top || !top->is_loop)
			return SVMGPU_ISA_ILLEGAL_NESTING;
		insns[top->insn].target = n;
		insn->target = top->insn;
		(*depth)--;
		break;
	case SVMGPU_ISA_OP_BREAK:
	case SVMGPU_ISA_OP_BREAKC:
	case SVMGPU_ISA_OP_CONTINUE:
	case SVMGPU_ISA_OP_CONTINUEC:
		if (!top || top->loop == U32_MAX)
			return SVMGPU_ISA_ILLEGAL_NESTING;
		insn->target = top->loop;	/* its endloop, resolved later */
		break;
	case SVMGPU_ISA_OP_END:
		if (top)
			return SVMGPU_ISA_ILLEGAL_NESTING;
		break;
	default:
		break;
	}
	insn->skip = isa_owner(stack, *depth);
	return SVMGPU_ISA_ILLEGAL_NONE;
}

/* Turns the owners in @skip into targets, and loops into their endloops. */
static void isa_resolve(struct svmgpu_hw_isa_insn *insns, u32 ninsns)
{
	u32 i;

	for (i = 0; i < ninsns; i++) {
		struct svmgpu_hw_isa_insn *insn = &insns[i];
		u32 owner = insn->skip & ~ISA_OWNER_ELSE;

		switch (insn->op) {
		case SVMGPU_ISA_OP_BREAK:
		case SVMGPU_ISA_OP_BREAKC:
		case SVMGPU_ISA_OP_CONTINUE:
		case SVMGPU_ISA_OP_CONTINUEC:
			insn->target = insns[insn->target].target;
			break;
		default:
			break;
		}
		if (insn->skip == ISA_OWNER_NONE)
			insn->skip = SVMGPU_HW_ISA_WAVE_END;
		else if (insn->skip & ISA_OWNER_ELSE)
			/* In an else part: its endif (the else's target). */
			insn->skip = insns[insns[owner].target].target;
		else
			/* In an if part or a loop body: the if's or loop's. */
			insn->skip = insns[owner].target;
	}
}

/**
 * svmgpu_hw_isa_decode() - decodes and validates a program.
 * @words: the program, as it is in GPU memory (little endian).
 * @count: its size in words.
 * @limits: the dispatch's register counts.
 * @insns: the decoded program; room for @count entries (one instruction
 *	per word at most).
 * @ninsns: set to the number of instructions on success.
 * @error: set to the reason and word index when the program is rejected.
 *
 * Applies every rule of docs/hardware.md, "Invalid encodings", and
 * resolves the control flow (struct svmgpu_hw_isa_insn). On failure the
 * contents of @insns are undefined.
 *
 * Return: 0, or -EINVAL when the program is invalid (@error says why).
 */
int svmgpu_hw_isa_decode(const __le64 *words, u32 count,
			 const struct svmgpu_hw_isa_limits *limits,
			 struct svmgpu_hw_isa_insn *insns, u32 *ninsns,
			 struct svmgpu_hw_isa_error *error)
{
	struct isa_frame stack[SVMGPU_ISA_MAX_DEPTH];
	unsigned int depth = 0;
	u32 pc = 0, n = 0, len, reason = SVMGPU_ISA_ILLEGAL_NONE;

	if (!count || count > SVMGPU_ISA_MAX_WORDS) {
		reason = SVMGPU_ISA_ILLEGAL_SIZE;
		goto reject;
	}
	for (pc = 0; pc < count; pc += len, n++) {
		insns[n].target = 0;
		insns[n].pc = pc;
		reason = isa_check(words + pc, count - pc, limits, &insns[n], &len);
		if (reason)
			goto reject;
		reason = isa_structure(insns, n, stack, &depth);
		if (reason)
			goto reject;
	}
	if (insns[n - 1].op != SVMGPU_ISA_OP_END) {
		reason = SVMGPU_ISA_ILLEGAL_NO_END;
		pc = insns[n - 1].pc;
		goto reject;
	}
	isa_resolve(insns, n);
	*ninsns = n;
	return 0;

reject:
	error->reason = reason;
	error->pc = pc;
	return -EINVAL;
}
