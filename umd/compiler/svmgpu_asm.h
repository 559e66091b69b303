/* SPDX-License-Identifier: MIT */
/*
 * svmgpu_asm.h - libsvmgpu_isa: the assembler, disassembler and program
 * checker of the svmgpu shader ISA (include/hw/svmgpu_isa.h).
 *
 * Programs are arrays of 64-bit instruction words as the shader cores
 * fetch them (host byte order here; the hardware reads little endian).
 * The text syntax is documented in docs/hardware.md, "Assembly syntax".
 * Every function is thread-safe and keeps no state between calls.
 */
#ifndef SVMGPU_ASM_H
#define SVMGPU_ASM_H

#include <stddef.h>
#include <stdint.h>

#include "hw/svmgpu_isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct svmgpu_isa_opinfo - one row of the opcode table, svmgpu_isa_ops.h.
 * @name: the mnemonic.
 * @opcode: SVMGPU_ISA_OP_*.
 * @fmt: enum svmgpu_isa_fmt.
 * @cls: enum svmgpu_isa_class.
 * @size: size in 32-bit registers of D, A, B and C (0: unused).
 * @flags: SVMGPU_ISA_F_*.
 */
struct svmgpu_isa_opinfo {
	const char *name;
	uint16_t opcode;
	uint8_t fmt;
	uint8_t cls;
	uint8_t size[4];
	uint32_t flags;
};

/* The row of an opcode, or NULL when it is not an instruction. */
const struct svmgpu_isa_opinfo *svmgpu_isa_opinfo(unsigned int opcode);

/* The row of a mnemonic of len bytes (not NUL-terminated), or NULL. */
const struct svmgpu_isa_opinfo *svmgpu_isa_lookup(const char *name,
						  size_t len);

/* Every row in opcode order: *count rows. */
const struct svmgpu_isa_opinfo *svmgpu_isa_ops(size_t *count);

/* The text of an SVMGPU_ISA_ILLEGAL_* reason ("unknown reason" else). */
const char *svmgpu_isa_illegal_str(unsigned int reason);

/* The name of special register n (without '%'), or NULL. */
const char *svmgpu_isa_sr_name(unsigned int n);

/* Whether special register n is uniform (per wave); n < SR_COUNT. */
int svmgpu_isa_sr_uniform(unsigned int n);

/*
 * svmgpu_isa_check() - the instruction-level rules of one instruction at
 * words[0] with count words available: opcode, reserved fields, operand
 * encodings, register alignment, uniformity and the presence of its
 * literal. Sets *len to the instruction's words (1 or 2) and returns
 * SVMGPU_ISA_ILLEGAL_NONE, or returns the first rule broken (*len 1).
 */
unsigned int svmgpu_isa_check(const uint64_t *words, size_t count,
			      size_t *len);

/*
 * svmgpu_isa_validate() - every rule the shader core's decoder applies
 * before a dispatch runs: svmgpu_isa_check() on each instruction, the
 * registers against the dispatch's vregs and sregs counts, control-flow
 * nesting and depth, program size and the final `end`. Returns
 * SVMGPU_ISA_ILLEGAL_NONE, or the reason with *where (if not NULL) set
 * to the word index of the offending instruction.
 */
unsigned int svmgpu_isa_validate(const uint64_t *words, size_t count,
				 unsigned int vregs, unsigned int sregs,
				 size_t *where);

/**
 * struct svmgpu_asm_error - where and why assembly failed.
 * @line: 1-based line of the error.
 * @column: 1-based column (bytes) of the token at fault.
 * @message: what is wrong, NUL-terminated, without the position.
 */
struct svmgpu_asm_error {
	unsigned int line;
	unsigned int column;
	char message[160];
};

/* Skip the program-level rules (nesting, final end): for bad programs. */
#define SVMGPU_ASM_RELAXED	(1u << 0)

/*
 * svmgpu_asm() - assembles NUL-terminated text. On success returns 0 and
 * *words (malloc'd; the caller frees it) with *count words. Returns
 * -EINVAL with *error filled (if not NULL) for bad input, -ENOMEM.
 */
int svmgpu_asm(const char *text, unsigned int flags, uint64_t **words,
	       size_t *count, struct svmgpu_asm_error *error);

/* Prefix each line with the word index and the instruction's words. */
#define SVMGPU_DISASM_ADDRESSES	(1u << 0)

/*
 * svmgpu_disasm_insn() - disassembles the instruction at words[0]
 * (count words available) into buf (always NUL-terminated, truncated to
 * size). A word that is not a valid instruction in canonical form is
 * printed as `.word 0x...`. Returns the words consumed (1 or 2), or
 * -EINVAL when count is 0.
 */
int svmgpu_disasm_insn(const uint64_t *words, size_t count, char *buf,
		       size_t size);

/*
 * svmgpu_disasm() - disassembles a whole program, one instruction per
 * line, indented by control-flow depth. On success returns 0 and *text
 * (malloc'd, NUL-terminated; the caller frees it). Assembling the text
 * gives back the same words (with SVMGPU_ASM_RELAXED for programs that
 * break program-level rules). Returns -EINVAL, -ENOMEM.
 */
int svmgpu_disasm(const uint64_t *words, size_t count, unsigned int flags,
		  char **text);

#ifdef __cplusplus
}
#endif

#endif /* SVMGPU_ASM_H */
