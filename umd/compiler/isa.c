// SPDX-License-Identifier: MIT
/*
 * isa.c - the opcode table of include/hw/svmgpu_isa.h as data, and the
 * checks of an instruction and of a whole program.
 *
 * The rows come from the table svmgpu_isa_ops.h; an index of the full
 * opcode field maps an opcode to its row in one lookup. The checks
 * apply exactly the rules docs/hardware.md gives for the shader core's
 * decoder ("Invalid encodings"), in the same order, so that a program
 * this library accepts is one the kernel accepts.
 */

#include <string.h>

#include "isa_priv.h"

static const struct svmgpu_isa_opinfo isa_ops[] = {
#define SVMGPU_ISA_OP(nm, mnem, fm, cl, d, a, b, c, fl) \
	{ .name = mnem, .opcode = SVMGPU_ISA_OP_##nm, \
	  .fmt = SVMGPU_ISA_FMT_##fm, .cls = SVMGPU_ISA_CLASS_##cl, \
	  .size = { d, a, b, c }, .flags = SVMGPU_ISA_FL_##fl },
#include "hw/svmgpu_isa_ops.h"
#undef SVMGPU_ISA_OP
};

#define ISA_OP_COUNT	(sizeof(isa_ops) / sizeof(isa_ops[0]))

/* The rows' indices in isa_ops. */
enum {
#define SVMGPU_ISA_OP(nm, ...) ISA_ROW_##nm,
#include "hw/svmgpu_isa_ops.h"
#undef SVMGPU_ISA_OP
};

/*
 * Row index + 1 per opcode, 0 for no instruction. Two rows with one
 * opcode are a compile error (-Woverride-init).
 */
static const uint16_t isa_index[SVMGPU_ISA_OP_LIMIT] = {
#define SVMGPU_ISA_OP(nm, ...) [SVMGPU_ISA_OP_##nm] = ISA_ROW_##nm + 1,
#include "hw/svmgpu_isa_ops.h"
#undef SVMGPU_ISA_OP
};

const struct svmgpu_isa_opinfo *svmgpu_isa_opinfo(unsigned int opcode)
{
	if (opcode >= SVMGPU_ISA_OP_LIMIT || !isa_index[opcode])
		return NULL;
	return &isa_ops[isa_index[opcode] - 1];
}

const struct svmgpu_isa_opinfo *svmgpu_isa_lookup(const char *name,
						  size_t len)
{
	size_t i;

	for (i = 0; i < ISA_OP_COUNT; i++)
		if (strlen(isa_ops[i].name) == len &&
		    !memcmp(isa_ops[i].name, name, len))
			return &isa_ops[i];
	return NULL;
}

const struct svmgpu_isa_opinfo *svmgpu_isa_ops(size_t *count)
{
	*count = ISA_OP_COUNT;
	return isa_ops;
}

static const char *const isa_illegal_str[SVMGPU_ISA_ILLEGAL_COUNT] = {
	[SVMGPU_ISA_ILLEGAL_NONE] = "valid",
	[SVMGPU_ISA_ILLEGAL_OPCODE] = "unknown opcode",
	[SVMGPU_ISA_ILLEGAL_RESERVED] = "reserved field not zero",
	[SVMGPU_ISA_ILLEGAL_OPERAND] = "reserved or misused operand encoding",
	[SVMGPU_ISA_ILLEGAL_REG_RANGE] = "register beyond the dispatch's register count",
	[SVMGPU_ISA_ILLEGAL_REG_ALIGN] = "register pair or quad not aligned",
	[SVMGPU_ISA_ILLEGAL_NOT_UNIFORM] = "scalar destination with a per-lane source",
	[SVMGPU_ISA_ILLEGAL_NESTING] = "control flow not properly nested",
	[SVMGPU_ISA_ILLEGAL_DEPTH] = "control flow nested too deeply",
	[SVMGPU_ISA_ILLEGAL_TRUNCATED] = "literal word missing at the end of the program",
	[SVMGPU_ISA_ILLEGAL_NO_END] = "program does not end with end",
	[SVMGPU_ISA_ILLEGAL_SIZE] = "program empty or too large",
	[SVMGPU_ISA_ILLEGAL_IMM] = "bad immediate",
};

const char *svmgpu_isa_illegal_str(unsigned int reason)
{
	if (reason >= SVMGPU_ISA_ILLEGAL_COUNT)
		return "unknown reason";
	return isa_illegal_str[reason];
}

static const char *const isa_sr_name[SVMGPU_ISA_SR_COUNT] = {
	[SVMGPU_ISA_SR_LANE_ID] = "lane_id",
	[SVMGPU_ISA_SR_LOCAL_ID_X] = "local_id.x",
	[SVMGPU_ISA_SR_LOCAL_ID_Y] = "local_id.y",
	[SVMGPU_ISA_SR_LOCAL_ID_Z] = "local_id.z",
	[SVMGPU_ISA_SR_LOCAL_INDEX] = "local_index",
	[SVMGPU_ISA_SR_GLOBAL_ID_X] = "global_id.x",
	[SVMGPU_ISA_SR_GLOBAL_ID_Y] = "global_id.y",
	[SVMGPU_ISA_SR_GLOBAL_ID_Z] = "global_id.z",
	[SVMGPU_ISA_SR_WG_ID_X] = "wg_id.x",
	[SVMGPU_ISA_SR_WG_ID_Y] = "wg_id.y",
	[SVMGPU_ISA_SR_WG_ID_Z] = "wg_id.z",
	[SVMGPU_ISA_SR_NUM_WG_X] = "num_wg.x",
	[SVMGPU_ISA_SR_NUM_WG_Y] = "num_wg.y",
	[SVMGPU_ISA_SR_NUM_WG_Z] = "num_wg.z",
	[SVMGPU_ISA_SR_WG_SIZE_X] = "wg_size.x",
	[SVMGPU_ISA_SR_WG_SIZE_Y] = "wg_size.y",
	[SVMGPU_ISA_SR_WG_SIZE_Z] = "wg_size.z",
	[SVMGPU_ISA_SR_SUBGROUP_ID] = "subgroup_id",
	[SVMGPU_ISA_SR_NUM_SUBGROUPS] = "num_subgroups",
	[SVMGPU_ISA_SR_EXEC] = "exec",
	[SVMGPU_ISA_SR_ARGS] = "args",
	[SVMGPU_ISA_SR_ARGS_HI] = "args.hi",
	[SVMGPU_ISA_SR_SHARED_SIZE] = "shared_size",
};

const char *svmgpu_isa_sr_name(unsigned int n)
{
	return n < SVMGPU_ISA_SR_COUNT ? isa_sr_name[n] : NULL;
}

int svmgpu_isa_sr_uniform(unsigned int n)
{
	return n < SVMGPU_ISA_SR_COUNT && (SVMGPU_ISA_SR_UNIFORM >> n & 1);
}

unsigned int isa_field(uint64_t word, unsigned int i)
{
	return (unsigned int)(word >> (16 + 8 * i)) & 0xff;
}

/* Whether operand o (field i, of size registers) is a valid encoding. */
static int isa_operand_ok(unsigned int i, unsigned int o, unsigned int size)
{
	if (svmgpu_isa_is_v(o) || svmgpu_isa_is_s(o))
		return 1;
	if (!i)
		return 0;
	if (o == SVMGPU_ISA_LIT)
		return size <= 2;
	if (svmgpu_isa_is_sr(o))
		return (o & 0x1f) < SVMGPU_ISA_SR_COUNT &&
		       (size == 1 || (size == 2 && (o & 0x1f) == SVMGPU_ISA_SR_ARGS));
	return 0;
}

/* Whether source operand o is uniform (the same for all lanes). */
static int isa_uniform(unsigned int o)
{
	if (svmgpu_isa_is_v(o))
		return 0;
	if (svmgpu_isa_is_sr(o))
		return svmgpu_isa_sr_uniform(o & 0x1f);
	return 1;
}

static int isa_membar_ok(unsigned int imm)
{
	return !(imm & ~SVMGPU_ISA_MEMBAR_VALID) &&
	       (imm & (SVMGPU_ISA_MEMBAR_ACQUIRE | SVMGPU_ISA_MEMBAR_RELEASE)) &&
	       (imm & (SVMGPU_ISA_MEMBAR_GLOBAL | SVMGPU_ISA_MEMBAR_SHARED)) &&
	       (imm & SVMGPU_ISA_MEMBAR_SCOPE_MASK) != SVMGPU_ISA_MEMBAR_SCOPE_MASK;
}

/*
 * The rules in the order of docs/hardware.md, "Invalid encodings":
 * OPCODE, RESERVED, OPERAND, REG_ALIGN, NOT_UNIFORM, IMM, TRUNCATED.
 */
unsigned int svmgpu_isa_check(const uint64_t *words, size_t count,
			      size_t *len)
{
	const struct svmgpu_isa_opinfo *op;
	int all_uniform = 1, lit = 0;
	unsigned int i, imm, o;
	uint64_t w;

	*len = 1;
	if (!count)
		return SVMGPU_ISA_ILLEGAL_TRUNCATED;
	w = words[0];
	op = svmgpu_isa_opinfo(SVMGPU_ISA_WORD_OP(w));
	if (!op)
		return SVMGPU_ISA_ILLEGAL_OPCODE;
	imm = SVMGPU_ISA_WORD_IMM(w);
	if ((w & SVMGPU_ISA_WORD_MBZ) ||
	    (!(op->flags & SVMGPU_ISA_F_IMM) && imm))
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
	if (lit) {
		if (count < 2)
			return SVMGPU_ISA_ILLEGAL_TRUNCATED;
		*len = 2;
	}
	return SVMGPU_ISA_ILLEGAL_NONE;
}

/* Register range of one operand against the dispatch's counts. */
static int isa_reg_in_range(unsigned int o, unsigned int size,
			    unsigned int vregs, unsigned int sregs)
{
	if (svmgpu_isa_is_v(o))
		return o + size <= vregs;
	if (svmgpu_isa_is_s(o))
		return (o & 0x3f) + size <= sregs;
	return 1;
}

unsigned int svmgpu_isa_validate(const uint64_t *words, size_t count,
				 unsigned int vregs, unsigned int sregs,
				 size_t *where)
{
	/* Per open construct: 'i' if, 'e' if in its else part, 'l' loop. */
	char stack[SVMGPU_ISA_MAX_DEPTH];
	unsigned int depth = 0, loops = 0, ret = SVMGPU_ISA_ILLEGAL_NONE;
	size_t pc = 0, len, last = 0;

	if (!count || count > SVMGPU_ISA_MAX_WORDS) {
		ret = SVMGPU_ISA_ILLEGAL_SIZE;
		goto out;
	}
	for (pc = 0; pc < count; pc += len) {
		const struct svmgpu_isa_opinfo *op;
		unsigned int i;

		ret = svmgpu_isa_check(words + pc, count - pc, &len);
		if (ret)
			goto out;
		op = svmgpu_isa_opinfo(SVMGPU_ISA_WORD_OP(words[pc]));
		for (i = 0; i < 4; i++)
			if (op->size[i] &&
			    !isa_reg_in_range(isa_field(words[pc], i),
					      op->size[i], vregs, sregs)) {
				ret = SVMGPU_ISA_ILLEGAL_REG_RANGE;
				goto out;
			}
		last = pc;
		switch (op->opcode) {
		case SVMGPU_ISA_OP_IF:
		case SVMGPU_ISA_OP_LOOP:
			if (depth == SVMGPU_ISA_MAX_DEPTH) {
				ret = SVMGPU_ISA_ILLEGAL_DEPTH;
				goto out;
			}
			stack[depth++] = op->opcode == SVMGPU_ISA_OP_IF ? 'i' : 'l';
			loops += op->opcode == SVMGPU_ISA_OP_LOOP;
			break;
		case SVMGPU_ISA_OP_ELSE:
			if (!depth || stack[depth - 1] != 'i') {
				ret = SVMGPU_ISA_ILLEGAL_NESTING;
				goto out;
			}
			stack[depth - 1] = 'e';
			break;
		case SVMGPU_ISA_OP_ENDIF:
			if (!depth || stack[depth - 1] == 'l') {
				ret = SVMGPU_ISA_ILLEGAL_NESTING;
				goto out;
			}
			depth--;
			break;
		case SVMGPU_ISA_OP_ENDLOOP:
			if (!depth || stack[depth - 1] != 'l') {
				ret = SVMGPU_ISA_ILLEGAL_NESTING;
				goto out;
			}
			depth--;
			loops--;
			break;
		case SVMGPU_ISA_OP_BREAK:
		case SVMGPU_ISA_OP_BREAKC:
		case SVMGPU_ISA_OP_CONTINUE:
		case SVMGPU_ISA_OP_CONTINUEC:
			if (!loops) {
				ret = SVMGPU_ISA_ILLEGAL_NESTING;
				goto out;
			}
			break;
		case SVMGPU_ISA_OP_END:
			if (depth) {
				ret = SVMGPU_ISA_ILLEGAL_NESTING;
				goto out;
			}
			break;
		default:
			break;
		}
	}
	if (SVMGPU_ISA_WORD_OP(words[last]) != SVMGPU_ISA_OP_END) {
		ret = SVMGPU_ISA_ILLEGAL_NO_END;
		pc = last;
	}
out:
	if (ret && where)
		*where = pc;
	return ret;
}
