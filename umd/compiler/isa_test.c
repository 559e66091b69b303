// SPDX-License-Identifier: MIT
/*
 * isa_test.c - host unit tests of libsvmgpu_isa (`meson test --suite
 * isa`): the opcode table's consistency, golden encodings and texts, the
 * round trip of every opcode and of random words, the assembler's error
 * messages and positions, the program checker, and the CLI.
 *
 * Run as `isa_test <case>`; exits 0 when the case passed.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svmgpu_asm.h"
#include "hw/svmgpu_hw_isa.h"	/* the kernel's decoder, built for the host */

static int failures;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			failures++; \
		} \
	} while (0)

/* Assembles text, expecting success; returns the words (caller frees). */
static uint64_t *assemble(const char *text, unsigned int flags, size_t *count)
{
	struct svmgpu_asm_error err;
	uint64_t *words = NULL;
	int ret;

	ret = svmgpu_asm(text, flags, &words, count, &err);
	CHECK(ret == 0, "assembling \"%s\": %u:%u: %s", text, err.line,
	      err.column, err.message);
	if (ret) {
		*count = 0;
		return NULL;
	}
	return words;
}

/* Disassembles and reassembles words; both must agree exactly. */
static void roundtrip(const uint64_t *words, size_t count)
{
	struct svmgpu_asm_error err;
	uint64_t *back = NULL;
	char *text = NULL;
	size_t n = 0, i;
	int ret;

	ret = svmgpu_disasm(words, count, 0, &text);
	CHECK(ret == 0, "disasm: %d", ret);
	if (ret)
		return;
	ret = svmgpu_asm(text, SVMGPU_ASM_RELAXED, &back, &n, &err);
	CHECK(ret == 0, "reassembling: %u:%u: %s\n%s", err.line, err.column,
	      err.message, text);
	if (!ret) {
		CHECK(n == count, "%zu words back, %zu expected\n%s", n, count,
		      text);
		for (i = 0; i < n && i < count; i++)
			if (back[i] != words[i]) {
				CHECK(back[i] == words[i],
				      "word %zu: %016" PRIx64 " back, %016" PRIx64
				      " expected", i, back[i], words[i]);
				break;
			}
	}
	free(back);
	free(text);
}

static void test_table(void)
{
	static const uint8_t used[SVMGPU_ISA_FMT_COUNT][4] = {
		[SVMGPU_ISA_FMT_NONE] = { 0, 0, 0, 0 },
		[SVMGPU_ISA_FMT_A] = { 0, 1, 0, 0 },
		[SVMGPU_ISA_FMT_D] = { 1, 0, 0, 0 },
		[SVMGPU_ISA_FMT_DA] = { 1, 1, 0, 0 },
		[SVMGPU_ISA_FMT_DAB] = { 1, 1, 1, 0 },
		[SVMGPU_ISA_FMT_DABC] = { 1, 1, 1, 1 },
		[SVMGPU_ISA_FMT_MEMBAR] = { 0, 0, 0, 0 },
		[SVMGPU_ISA_FMT_LOAD] = { 1, 1, 0, 0 },
		[SVMGPU_ISA_FMT_STORE] = { 0, 1, 1, 0 },
		[SVMGPU_ISA_FMT_ATOM] = { 1, 1, 1, 0 },
		[SVMGPU_ISA_FMT_ATOM3] = { 1, 1, 1, 1 },
	};
	const struct svmgpu_isa_opinfo *ops;
	size_t count, i, j;

	ops = svmgpu_isa_ops(&count);
	CHECK(count > 200, "%zu instructions", count);
	for (i = 0; i < count; i++) {
		const struct svmgpu_isa_opinfo *op = &ops[i];
		int mem = op->fmt >= SVMGPU_ISA_FMT_LOAD;

		CHECK(op->opcode < SVMGPU_ISA_OP_LIMIT, "%s", op->name);
		CHECK(i == 0 || op->opcode > ops[i - 1].opcode,
		      "%s not in opcode order", op->name);
		CHECK(svmgpu_isa_opinfo(op->opcode) == op, "%s", op->name);
		CHECK(svmgpu_isa_lookup(op->name, strlen(op->name)) == op,
		      "%s: mnemonic not unique", op->name);
		CHECK(op->fmt < SVMGPU_ISA_FMT_COUNT && op->cls < SVMGPU_ISA_CLASS_COUNT,
		      "%s", op->name);
		for (j = 0; j < 4; j++) {
			CHECK(!!op->size[j] == used[op->fmt][j], "%s operand %zu",
			      op->name, j);
			CHECK(op->size[j] == 0 || op->size[j] == 1 ||
			      op->size[j] == 2 || op->size[j] == 4,
			      "%s operand %zu", op->name, j);
		}
		CHECK(!!(op->flags & SVMGPU_ISA_F_IMM) ==
		      (mem || op->fmt == SVMGPU_ISA_FMT_MEMBAR), "%s", op->name);
		if (mem)
			CHECK(op->size[1] == (op->cls == SVMGPU_ISA_CLASS_GLOBAL ||
					      op->cls == SVMGPU_ISA_CLASS_ATOMG ? 2 : 1),
			      "%s address size", op->name);
		CHECK(!((op->flags & SVMGPU_ISA_F_WAVE) &&
			(op->flags & SVMGPU_ISA_F_LANE)), "%s", op->name);
	}
	for (i = 0; i < SVMGPU_ISA_OP_LIMIT; i++) {
		size_t n = 0;

		for (j = 0; j < count; j++)
			n += ops[j].opcode == i;
		CHECK(n <= 1, "opcode %#zx used %zu times", i, n);
		CHECK(!!svmgpu_isa_opinfo((unsigned int)i) == (n == 1), "%#zx", i);
	}
	CHECK(!svmgpu_isa_opinfo(SVMGPU_ISA_OP_LIMIT), "beyond the field");
	for (i = 0; i < SVMGPU_ISA_SR_COUNT; i++)
		CHECK(svmgpu_isa_sr_name((unsigned int)i) != NULL, "SR %zu", i);
	for (i = 0; i < SVMGPU_ISA_ILLEGAL_COUNT; i++)
		CHECK(strcmp(svmgpu_isa_illegal_str((unsigned int)i),
			     "unknown reason"), "reason %zu", i);
	CHECK(SVMGPU_ISA_VERSION == 0x10000, "%#x", SVMGPU_ISA_VERSION);
}

struct golden {
	const char *text;
	uint64_t words[3];
	size_t count;
};

#define W SVMGPU_ISA_WORD
#define V SVMGPU_ISA_V
#define S SVMGPU_ISA_S
#define SR SVMGPU_ISA_SR
#define LIT SVMGPU_ISA_LIT

static const struct golden goldens[] = {
	{ "end", { W(SVMGPU_ISA_OP_END, 0, 0, 0, 0, 0) }, 1 },
	{ "iadd v1, v2, v3", { W(SVMGPU_ISA_OP_IADD, V(1), V(2), V(3), 0, 0) }, 1 },
	{ "iadd v1, v2, 5", { W(SVMGPU_ISA_OP_IADD, V(1), V(2), LIT, 0, 0), 5 }, 2 },
	{ "iadd v1, v2, -1", { W(SVMGPU_ISA_OP_IADD, V(1), V(2), LIT, 0, 0), 0xffffffff }, 2 },
	{ "iadd s1, s2, 0x10", { W(SVMGPU_ISA_OP_IADD, S(1), S(2), LIT, 0, 0), 16 }, 2 },
	{ "iadd64 v[2:3], v[4:5], -1",
	  { W(SVMGPU_ISA_OP_IADD64, V(2), V(4), LIT, 0, 0), UINT64_MAX }, 2 },
	{ "iadd64 v2, v4, 0x100000000",
	  { W(SVMGPU_ISA_OP_IADD64, V(2), V(4), LIT, 0, 0), 1ull << 32 }, 2 },
	{ "fadd v0, v0, 2", { W(SVMGPU_ISA_OP_FADD, V(0), V(0), LIT, 0, 0), 0x40000000 }, 2 },
	{ "fadd v0, v0, 1.5", { W(SVMGPU_ISA_OP_FADD, V(0), V(0), LIT, 0, 0), 0x3fc00000 }, 2 },
	{ "fmul v0, v0, -0.5", { W(SVMGPU_ISA_OP_FMUL, V(0), V(0), LIT, 0, 0), 0xbf000000 }, 2 },
	{ "fmul v0, v0, 0x3f800000", { W(SVMGPU_ISA_OP_FMUL, V(0), V(0), LIT, 0, 0), 0x3f800000 }, 2 },
	{ "fmax v0, v0, -inf", { W(SVMGPU_ISA_OP_FMAX, V(0), V(0), LIT, 0, 0), 0xff800000 }, 2 },
	{ "fma v0, v1, 2.0, 2", { W(SVMGPU_ISA_OP_FMA, V(0), V(1), LIT, LIT, 0), 0x40000000 }, 2 },
	{ "mov v7, %lane_id", { W(SVMGPU_ISA_OP_MOV, V(7), SR(SVMGPU_ISA_SR_LANE_ID), 0, 0, 0) }, 1 },
	{ "mov64 s[0:1], %args", { W(SVMGPU_ISA_OP_MOV64, S(0), SR(SVMGPU_ISA_SR_ARGS), 0, 0, 0) }, 1 },
	{ "ldg.b32 v4, [v[2:3] + 16]", { W(SVMGPU_ISA_OP_LDG_B32, V(4), V(2), 0, 0, 16) }, 1 },
	{ "ldg.b64 s[2:3], [%args - 8]",
	  { W(SVMGPU_ISA_OP_LDG_B64, S(2), SR(SVMGPU_ISA_SR_ARGS), 0, 0, 0xfff8) }, 1 },
	{ "ldg.b128 v[4:7], [v0]", { W(SVMGPU_ISA_OP_LDG_B128, V(4), V(0), 0, 0, 0) }, 1 },
	{ "stg.b16 [v[2:3] + 2], v9", { W(SVMGPU_ISA_OP_STG_B16, 0, V(2), V(9), 0, 2) }, 1 },
	{ "stg.b32 [0x1000], 0x1000", { W(SVMGPU_ISA_OP_STG_B32, 0, LIT, LIT, 0, 0), 0x1000 }, 2 },
	{ "stg.b32 [0x1000], 7", { 0 }, 0 },
	{ "lds.b32 v1, [v0 + 4]", { W(SVMGPU_ISA_OP_LDS_B32, V(1), V(0), 0, 0, 4) }, 1 },
	{ "atomg.add.u32 v1, [v[2:3]], 1",
	  { W(SVMGPU_ISA_OP_ATOMG_ADD_U32, V(1), V(2), LIT, 0, 0), 1 }, 2 },
	{ "atomg.cmpxchg.b64 v[0:1], [v[2:3]], v[4:5], v[6:7]",
	  { W(SVMGPU_ISA_OP_ATOMG_CMPXCHG_B64, V(0), V(2), V(4), V(6), 0) }, 1 },
	{ "atoms.fadd.f32 v1, [v0], 1.0",
	  { W(SVMGPU_ISA_OP_ATOMS_FADD_F32, V(1), V(0), LIT, 0, 0), 0x3f800000 }, 2 },
	{ "membar acq_rel, global|shared, device",
	  { W(SVMGPU_ISA_OP_MEMBAR, 0, 0, 0, 0, 0x133) }, 1 },
	{ "membar acquire, shared, workgroup", { W(SVMGPU_ISA_OP_MEMBAR, 0, 0, 0, 0, 0x21) }, 1 },
	{ "ballot s0, v1", { W(SVMGPU_ISA_OP_BALLOT, S(0), V(1), 0, 0, 0) }, 1 },
	{ "bcast v0, v1, 3", { W(SVMGPU_ISA_OP_BCAST, V(0), V(1), LIT, 0, 0), 3 }, 2 },
	{ "red.fadd s3, v1", { W(SVMGPU_ISA_OP_RED_FADD, S(3), V(1), 0, 0, 0) }, 1 },
	{ "xscan.iadd v3, v1", { W(SVMGPU_ISA_OP_XSCAN_IADD, V(3), V(1), 0, 0, 0) }, 1 },
	{ "elect v0", { W(SVMGPU_ISA_OP_ELECT, V(0), 0, 0, 0, 0) }, 1 },
	{ "if v1", { W(SVMGPU_ISA_OP_IF, 0, V(1), 0, 0, 0) }, 1 },
	{ "sel64 v[0:1], v2, -2, 5",
	  { W(SVMGPU_ISA_OP_SEL64, V(0), V(2), LIT, LIT, 0), 0 }, 0 },
	{ "sel64 v[0:1], 1, v[2:3], 1",
	  { W(SVMGPU_ISA_OP_SEL64, V(0), LIT, V(2), LIT, 0), 1 }, 2 },
	{ ".word 0xdeadbeef", { 0xdeadbeef }, 1 },
	{ ".word -1", { UINT64_MAX }, 1 },
	{ "  nop   ; a comment", { 0 }, 1 },
	{ "nop // another", { 0 }, 1 },
};

static void test_golden_encodings(void)
{
	size_t i, j, n;

	for (i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		const struct golden *g = &goldens[i];
		struct svmgpu_asm_error err;
		uint64_t *words = NULL;
		int ret;

		ret = svmgpu_asm(g->text, SVMGPU_ASM_RELAXED, &words, &n, &err);
		if (!g->count) {
			/* Two literal operands with different values. */
			CHECK(ret == -EINVAL, "\"%s\" assembled", g->text);
			free(words);
			continue;
		}
		CHECK(ret == 0, "\"%s\": %u:%u: %s", g->text, err.line,
		      err.column, err.message);
		if (ret)
			continue;
		CHECK(n == g->count, "\"%s\": %zu words", g->text, n);
		for (j = 0; j < n && j < g->count; j++)
			CHECK(words[j] == g->words[j],
			      "\"%s\" word %zu: %016" PRIx64 ", expected %016" PRIx64,
			      g->text, j, words[j], g->words[j]);
		roundtrip(words, n);
		free(words);
	}
}

static void test_golden_text(void)
{
	static const struct {
		uint64_t words[2];
		size_t count;
		const char *text;
	} cases[] = {
		{ { W(SVMGPU_ISA_OP_IADD, V(1), V(2), LIT, 0, 0), 0xffffffff }, 2,
		  "iadd v1, v2, -1" },
		{ { W(SVMGPU_ISA_OP_IADD, V(1), V(2), LIT, 0, 0), 0x12345678 }, 2,
		  "iadd v1, v2, 0x12345678" },
		{ { W(SVMGPU_ISA_OP_IADD, V(1), V(2), LIT, 0, 0), 0x100000005ull }, 2,
		  ".word 0x000000ff02010050" },
		{ { W(SVMGPU_ISA_OP_FADD, V(0), V(0), LIT, 0, 0), 0x40000000 }, 2,
		  "fadd v0, v0, 2.0" },
		{ { W(SVMGPU_ISA_OP_FADD, V(0), V(0), LIT, 0, 0), 0x3dcccccd }, 2,
		  "fadd v0, v0, 0.100000001" },
		{ { W(SVMGPU_ISA_OP_FADD, V(0), V(0), LIT, 0, 0), 0x7fc00001 }, 2,
		  "fadd v0, v0, 0x7fc00001" },
		{ { W(SVMGPU_ISA_OP_FLDEXP, V(0), LIT, LIT, 0, 0), 0x40000000 }, 2,
		  "fldexp v0, 2.0, 0x40000000" },
		{ { W(SVMGPU_ISA_OP_LDG_B64, V(2), V(4), 0, 0, 0x8000) }, 1,
		  "ldg.b64 v[2:3], [v[4:5] - 32768]" },
		{ { W(SVMGPU_ISA_OP_STS_B128, 0, S(3), V(8), 0, 12) }, 1,
		  "sts.b128 [s3 + 12], v[8:11]" },
		{ { W(SVMGPU_ISA_OP_MEMBAR, 0, 0, 0, 0, 0x212) }, 1,
		  "membar release, global, system" },
		{ { W(SVMGPU_ISA_OP_MOV, V(0), SR(SVMGPU_ISA_SR_GLOBAL_ID_Y), 0, 0, 0) }, 1,
		  "mov v0, %global_id.y" },
		{ { W(SVMGPU_ISA_OP_IADD, S(1), V(2), V(3), 0, 0) }, 1,
		  ".word 0x0000000302810050" },
		{ { W(SVMGPU_ISA_OP_IADD64, V(1), V(2), V(4), 0, 0) }, 1,
		  ".word 0x00000004020100a0" },
		{ { 0x3ff }, 1, ".word 0x00000000000003ff" },
		{ { W(SVMGPU_ISA_OP_NOP, 0, 0, 0, 0, 1) }, 1,
		  ".word 0x0001000000000000" },
		{ { W(SVMGPU_ISA_OP_IADD, V(1), V(2), LIT, 0, 0) }, 1,
		  ".word 0x000000ff02010050" },
	};
	char buf[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = svmgpu_disasm_insn(cases[i].words, cases[i].count, buf,
					   sizeof(buf));

		CHECK(n >= 1, "case %zu", i);
		CHECK(!strcmp(buf, cases[i].text), "case %zu: \"%s\", expected \"%s\"",
		      i, buf, cases[i].text);
		roundtrip(cases[i].words, cases[i].count);
	}
	CHECK(svmgpu_disasm_insn(cases[0].words, 0, buf, sizeof(buf)) == -EINVAL,
	      "empty");
}

/* A register operand of size registers: vector or scalar, index-aligned. */
static unsigned int reg_of(unsigned int size, int scalar, unsigned int n)
{
	unsigned int idx = (n * 4) % (scalar ? SVMGPU_ISA_MAX_SREGS :
					       SVMGPU_ISA_MAX_VREGS);

	idx -= idx % size;
	return scalar ? SVMGPU_ISA_S(idx) : SVMGPU_ISA_V(idx);
}

static void test_roundtrip_every_opcode(void)
{
	const struct svmgpu_isa_opinfo *ops;
	size_t count, i, total = 0;
	unsigned int variant;

	ops = svmgpu_isa_ops(&count);
	for (i = 0; i < count; i++) {
		const struct svmgpu_isa_opinfo *op = &ops[i];

		for (variant = 0; variant < 6; variant++) {
			unsigned int f[4] = { 0 }, imm = 0, j;
			uint64_t words[2];
			size_t len;

			for (j = 0; j < 4; j++) {
				if (!op->size[j])
					continue;
				switch (variant) {
				case 0:	/* all vector */
					f[j] = reg_of(op->size[j], 0, j + 1);
					break;
				case 1:	/* all scalar */
					f[j] = reg_of(op->size[j], 1, j + 5);
					break;
				case 2:	/* vector destination, literal sources */
				case 3:
					f[j] = j && op->size[j] <= 2 ? SVMGPU_ISA_LIT :
					       reg_of(op->size[j], 0, j + 9);
					break;
				case 4:	/* special registers */
					f[j] = j && op->size[j] == 1 ?
					       SVMGPU_ISA_SR(SVMGPU_ISA_SR_WG_ID_X + j) :
					       j && op->size[j] == 2 ?
					       SVMGPU_ISA_SR(SVMGPU_ISA_SR_ARGS) :
					       reg_of(op->size[j], 0, j);
					break;
				default: /* scalar destination, vector sources */
					f[j] = reg_of(op->size[j], !j, j + 3);
					break;
				}
			}
			if (op->flags & SVMGPU_ISA_F_IMM)
				imm = op->fmt == SVMGPU_ISA_FMT_MEMBAR ?
				      (variant % 2 ? 0x221 : 0x113) : 0x10000 - 8 * variant;
			words[0] = SVMGPU_ISA_WORD(op->opcode, f[0], f[1], f[2],
						   f[3], imm);
			words[1] = variant == 2 ? 0x3f800000 : 0xfffffffeull;
			if (svmgpu_isa_check(words, 2, &len)) {
				/* Only the uniformity rule may reject these. */
				CHECK(variant >= 4 || op->flags & SVMGPU_ISA_F_UNIFORM_B ||
				      op->flags & SVMGPU_ISA_F_LANE,
				      "%s variant %u rejected: %s", op->name, variant,
				      svmgpu_isa_illegal_str(svmgpu_isa_check(words, 2, &len)));
				continue;
			}
			if (len == 2) {
				int wide = 0;

				for (j = 1; j < 4; j++)
					wide |= op->size[j] == 2 && f[j] == SVMGPU_ISA_LIT;
				if (wide)
					words[1] = 0xfedcba9876543210ull;
			}
			roundtrip(words, len);
			total++;
		}
	}
	CHECK(total > 4 * count, "%zu encodings", total);
	printf("%zu opcodes, %zu encodings round-tripped\n", count, total);
}

static uint64_t rng_state = 0x5eed5eed12345678ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_roundtrip_random(void)
{
	const struct svmgpu_isa_opinfo *ops;
	size_t count, i, n = 20000, valid = 0;
	uint64_t *words = malloc(n * sizeof(*words));
	char buf[128];

	ops = svmgpu_isa_ops(&count);
	CHECK(words != NULL, "malloc");
	if (!words)
		return;
	for (i = 0; i < n; i++) {
		const struct svmgpu_isa_opinfo *op = &ops[rng() % count];
		unsigned int f[4] = { 0 }, j, lit = 0, wide = 0;
		uint64_t w = rng();

		if (rng() % 4 == 0) {		/* anything */
			words[i] = w;
			continue;
		}
		if (rng() % 4 == 0) {		/* a real opcode, random fields */
			words[i] = (w & ~(uint64_t)0xffff) | op->opcode;
			continue;
		}
		/* A real opcode with plausible (mostly valid) operands. */
		for (j = 0; j < 4; j++) {
			unsigned int sz = op->size[j], r = (unsigned int)rng();

			if (!sz)
				continue;
			switch (j ? r % 5 : r % 3) {
			case 0:
			case 1:
				f[j] = SVMGPU_ISA_V(((r >> 8) % 128) & ~(sz - 1));
				break;
			case 2:
				f[j] = SVMGPU_ISA_S(((r >> 8) % 64) & ~(sz - 1));
				break;
			case 3:
				f[j] = SVMGPU_ISA_SR((r >> 8) % 24);
				break;
			default:
				f[j] = SVMGPU_ISA_LIT;
				lit = 1;
				wide |= sz == 2;
				break;
			}
		}
		words[i] = SVMGPU_ISA_WORD(op->opcode, f[0], f[1], f[2], f[3],
					   op->flags & SVMGPU_ISA_F_IMM ? rng() : 0);
		if (lit && i + 1 < n) {
			w = rng();
			words[++i] = wide || rng() % 8 == 0 ? w : (uint32_t)w;
		}
	}
	for (i = 0; i < n; i += (size_t)svmgpu_disasm_insn(words + i, n - i,
							    buf, sizeof(buf)))
		valid += strncmp(buf, ".word", 5) != 0;
	CHECK(valid > n / 5, "only %zu valid instructions", valid);
	printf("%zu words, %zu decoded as instructions\n", n, valid);
	roundtrip(words, n);
	free(words);
}

static void test_asm_errors(void)
{
	static const struct {
		const char *text;
		unsigned int line, column;
		const char *message;
	} cases[] = {
		{ "nop\nfrob v0, v1\n", 2, 1, "unknown instruction 'frob'" },
		{ "iadd v0, v1", 1, 12, "expected ','" },
		{ "iadd v0, v1, v2, v3", 1, 16, "unexpected ','" },
		{ "iadd v0, v128, v2", 1, 10, "no register 'v128' (v0-v127)" },
		{ "iadd v0, s64, v2", 1, 10, "no register 's64' (s0-s63)" },
		{ "iadd 5, v1, v2", 1, 6, "the destination must be a register" },
		{ "iadd %lane_id, v1, v2", 1, 6, "the destination must be a register" },
		{ "iadd v0, %bogus, v2", 1, 10, "unknown special register '%bogus'" },
		{ "iadd64 v1, v2, v4", 1, 8, "a 64-bit operand starts at a register index that is a multiple of 2" },
		{ "iadd64 v[2:4], v2, v4", 1, 8, "is 3 registers, the operand takes 2" },
		{ "iadd v0, v1, 1.5", 1, 14, "float literal for an integer operand" },
		{ "fadd v0, v1, 16777217", 1, 14, "not exactly a binary32 value" },
		{ "iadd v0, v1, 0x100000000", 1, 14, "does not fit in 32 bits" },
		{ "iadd v0, v1, 99999999999999999999", 1, 14, "does not fit in 64 bits" },
		{ "sel v0, v1, 5, 6", 1, 16, "one literal word" },
		{ "iadd s0, v1, s2", 1, 1, "iadd: scalar destination with a per-lane source" },
		{ "elect s0", 1, 1, "elect: scalar destination with a per-lane source" },
		{ "bcast v0, v1, v2", 1, 1, "bcast: scalar destination with a per-lane source" },
		{ "mov64 v0, %lane_id", 1, 1, "mov64: reserved or misused operand encoding" },
		{ "ldg.b32 v0, v[2:3]", 1, 13, "expected '['" },
		{ "ldg.b32 v0, [v2 + 40000]", 1, 19, "offset beyond -32768..32767" },
		{ "stg.b128 [v2], 5", 1, 16, "a literal cannot be a 128-bit operand" },
		{ "membar acq_rel, global", 1, 23, "expected ','" },
		{ "membar seq_cst, global, device", 1, 8, "expected acquire, release or acq_rel" },
		{ "membar acquire, texture, device", 1, 17, "expected global or shared" },
		{ "if v0\nnop\nend\n", 3, 1, "end: control flow not properly nested" },
		{ "else\nend", 1, 1, "else: control flow not properly nested" },
		{ "loop\nendif\nend", 2, 1, "endif: control flow not properly nested" },
		{ "if v0\nbreak\nendif\nend", 2, 1, "break: control flow not properly nested" },
		{ "nop\n", 1, 1, "the program must end with 'end'" },
		{ "", 1, 1, "program empty or too large" },
		{ "\tiadd v0, v1, @", 1, 15, "expected an operand, found '@'" },
		{ "iadd v0, v1,", 1, 13, "missing operand" },
		{ "nop,", 1, 4, "expected a space after 'nop'" },
		{ ".word 1.5", 1, 7, ".word takes an integer" },
		{ "iadd v0, v1, 12ab", 1, 14, "bad number '12ab'" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct svmgpu_asm_error err;
		uint64_t *words = NULL;
		size_t n;
		int ret;

		ret = svmgpu_asm(cases[i].text, 0, &words, &n, &err);
		CHECK(ret == -EINVAL, "\"%s\" assembled", cases[i].text);
		if (ret != -EINVAL) {
			free(words);
			continue;
		}
		CHECK(err.line == cases[i].line && err.column == cases[i].column &&
		      strstr(err.message, cases[i].message),
		      "\"%s\": got %u:%u: %s; expected %u:%u: %s", cases[i].text,
		      err.line, err.column, err.message, cases[i].line,
		      cases[i].column, cases[i].message);
	}
}

static void test_validate(void)
{
	static const struct {
		const char *text;
		unsigned int vregs, sregs;
		unsigned int reason;
		size_t where;
	} cases[] = {
		{ "end", 1, 0, SVMGPU_ISA_ILLEGAL_NONE, 0 },
		{ "mov v0, 1\nif v0\nloop\nbreakc v0\nif v0\ncontinue\nelse\nbreak\n"
		  "endif\nendloop\nelse\nexit\nendif\nend", 1, 0,
		  SVMGPU_ISA_ILLEGAL_NONE, 0 },
		{ "mov v3, 1\nend", 3, 0, SVMGPU_ISA_ILLEGAL_REG_RANGE, 0 },
		{ "mov v3, 1\nend", 4, 0, SVMGPU_ISA_ILLEGAL_NONE, 0 },
		{ "mov64 v[2:3], 1\nend", 3, 0, SVMGPU_ISA_ILLEGAL_REG_RANGE, 0 },
		{ "mov s1, 1\nend", 4, 1, SVMGPU_ISA_ILLEGAL_REG_RANGE, 0 },
		{ "nop\n.word 0x3ff\nend", 1, 0, SVMGPU_ISA_ILLEGAL_OPCODE, 1 },
		{ "nop\n.word 0x400\nend", 1, 0, SVMGPU_ISA_ILLEGAL_RESERVED, 1 },
		{ ".word 0x0000000000e00040\nend", 1, 0, SVMGPU_ISA_ILLEGAL_OPERAND, 0 },
		{ ".word 0x0000000000ff0040\nend", 1, 0, SVMGPU_ISA_ILLEGAL_OPERAND, 0 },
		{ ".word 0x00000000df000040\nend", 1, 0, SVMGPU_ISA_ILLEGAL_OPERAND, 0 },
		{ ".word 0x0000000001000041\nend", 4, 0, SVMGPU_ISA_ILLEGAL_REG_ALIGN, 0 },
		{ ".word 0x0000000000010041\nend", 4, 0, SVMGPU_ISA_ILLEGAL_REG_ALIGN, 0 },
		{ ".word 0x0000000000000011\nend", 1, 0, SVMGPU_ISA_ILLEGAL_IMM, 0 },
		{ ".word 0x0310000000000011\nend", 1, 0, SVMGPU_ISA_ILLEGAL_IMM, 0 },
		{ ".word 0x0011000000000011\nend", 1, 0, SVMGPU_ISA_ILLEGAL_NONE, 0 },
		{ ".word 0x0004000000000011\nend", 1, 0, SVMGPU_ISA_ILLEGAL_IMM, 0 },
		{ "endloop\nend", 1, 0, SVMGPU_ISA_ILLEGAL_NESTING, 0 },
		{ "if v0\nelse\nelse\nendif\nend", 1, 0, SVMGPU_ISA_ILLEGAL_NESTING, 2 },
		{ "continue\nend", 1, 0, SVMGPU_ISA_ILLEGAL_NESTING, 0 },
		{ "loop\nend\nendloop\nend", 1, 0, SVMGPU_ISA_ILLEGAL_NESTING, 1 },
		{ "loop\nendloop", 1, 0, SVMGPU_ISA_ILLEGAL_NO_END, 1 },
		{ "nop\n.word 0x00000000ff000040", 1, 0, SVMGPU_ISA_ILLEGAL_TRUNCATED, 1 },
	};
	size_t i, n, where;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t *words = assemble(cases[i].text, SVMGPU_ASM_RELAXED, &n);
		unsigned int reason;

		if (!words)
			continue;
		where = 99;
		reason = svmgpu_isa_validate(words, n, cases[i].vregs,
					     cases[i].sregs, &where);
		CHECK(reason == cases[i].reason &&
		      (!reason || where == cases[i].where),
		      "case %zu: reason %u (%s) at %zu, expected %u at %zu", i,
		      reason, svmgpu_isa_illegal_str(reason), where,
		      cases[i].reason, cases[i].where);
		free(words);
	}

	/* Depth: 32 nested constructs are fine, 33 are not. */
	for (n = 32; n <= 33; n++) {
		char *text = malloc(n * 16 + 16), *p = text;
		uint64_t *words;
		size_t count;

		for (i = 0; i < n; i++)
			p += sprintf(p, i % 2 ? "loop\n" : "if v0\n");
		for (i = n; i-- > 0;)
			p += sprintf(p, i % 2 ? "endloop\n" : "endif\n");
		strcpy(p, "end\n");
		words = assemble(text, SVMGPU_ASM_RELAXED, &count);
		if (words) {
			unsigned int reason = svmgpu_isa_validate(words, count, 1, 0,
								  &where);

			CHECK(reason == (n == 32 ? SVMGPU_ISA_ILLEGAL_NONE :
					 SVMGPU_ISA_ILLEGAL_DEPTH) &&
			      (n == 32 || where == 32),
			      "depth %zu: %s at %zu", n,
			      svmgpu_isa_illegal_str(reason), where);
		}
		free(words);
		free(text);
	}
	CHECK(svmgpu_isa_validate(NULL, 0, 1, 1, &where) == SVMGPU_ISA_ILLEGAL_SIZE,
	      "empty");
}

/* The CLI: assemble a file, disassemble it back, and report an error. */
static void test_cli(void)
{
	const char *tool = getenv("SVMGPU_ASM");
	char cmd[1024], dir[] = "/tmp/isa_test.XXXXXX";
	FILE *f;
	int ret;

	CHECK(tool != NULL, "SVMGPU_ASM not set");
	if (!tool || !mkdtemp(dir))
		return;
	snprintf(cmd, sizeof(cmd), "%s/a.s", dir);
	f = fopen(cmd, "w");
	if (!f)
		return;
	fputs("mov v0, %global_id.x\nshl v1, v0, 2\nmov64 s[0:1], %args\n"
	      "ldg.b64 s[2:3], [s[0:1]]\nstg.b32 [s[2:3]], v0\nend\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && %s -o a.bin a.s && test $(stat -c %%s a.bin) = 56 && "
		 "%s -d a.bin > b.s && %s b.s > c.bin && cmp a.bin c.bin && "
		 "grep -q 'ldg.b64 s\\[2:3\\], \\[s\\[0:1\\]\\]' b.s && "
		 "%s -d -a a.bin | grep -q '^0003: 00000000d4800041' && "
		 "printf 'nop\\nbad v0\\n' > e.s && ! %s e.s 2> err.txt && "
		 "grep -q '^e.s:2:1: error: unknown instruction' err.txt",
		 dir, tool, tool, tool, tool, tool);
	ret = system(cmd);
	CHECK(ret == 0, "%s", cmd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ret = system(cmd);
	(void)ret;
}

/*
 * The ```asm blocks of docs/hardware.md's ISA chapter assemble; complete
 * programs (those ending with `end`) under the program-level rules too,
 * and disassemble back to the same words.
 */
static void test_manual_examples(void)
{
	const char *path = getenv("SVMGPU_MANUAL");
	char *doc, *p, *end;
	size_t size, blocks = 0, programs = 0;
	FILE *f;

	CHECK(path != NULL, "SVMGPU_MANUAL not set");
	if (!path)
		return;
	f = fopen(path, "r");
	CHECK(f != NULL, "%s", path);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	size = (size_t)ftell(f);
	rewind(f);
	doc = calloc(1, size + 1);
	if (!doc || fread(doc, 1, size, f) != size) {
		CHECK(0, "reading %s", path);
		fclose(f);
		free(doc);
		return;
	}
	fclose(f);
	p = strstr(doc, "\n## Shader cores and ISA\n");
	CHECK(p != NULL, "no ISA chapter in %s", path);
	while (p && (p = strstr(p, "\n```asm\n"))) {
		uint64_t *words;
		size_t count;
		int complete;

		p += 8;
		end = strstr(p, "\n```");
		if (!end)
			break;
		*end = '\0';
		complete = end - p >= 4 && !memcmp(end - 4, "\nend", 4);
		words = assemble(p, complete ? 0 : SVMGPU_ASM_RELAXED, &count);
		if (words)
			roundtrip(words, count);
		free(words);
		blocks++;
		programs += complete;
		p = end + 1;
	}
	CHECK(blocks >= 3 && programs >= 2, "%zu blocks, %zu programs", blocks,
	      programs);
	printf("%zu examples, %zu complete programs\n", blocks, programs);
	free(doc);
}

/*
 * A random instruction of op with plausible operands, or (clean) with
 * valid ones but for the registers' range; returns its words.
 */
static size_t random_insn(const struct svmgpu_isa_opinfo *op, uint64_t *w,
			  int clean)
{
	unsigned int f[4] = { 0 }, j, wide = 0, lit = 0;

	for (j = 0; j < 4; j++) {
		unsigned int sz = op->size[j], r = (unsigned int)rng();

		if (!sz)
			continue;
		if (clean) {
			r %= j ? 4 : 1;
			f[j] = r == 0 ? SVMGPU_ISA_V(((rng() % 32) & ~(sz - 1u))) :
			       r == 1 && sz <= 2 ? SVMGPU_ISA_LIT :
			       sz == 2 ? SVMGPU_ISA_SR(SVMGPU_ISA_SR_ARGS) :
			       sz == 1 ? SVMGPU_ISA_SR(rng() % SVMGPU_ISA_SR_COUNT) :
			       SVMGPU_ISA_V(8);
			if (j == 2 && (op->flags & SVMGPU_ISA_F_UNIFORM_B))
				f[j] = SVMGPU_ISA_LIT;
			lit |= f[j] == SVMGPU_ISA_LIT;
			wide |= f[j] == SVMGPU_ISA_LIT && sz == 2;
			continue;
		}
		switch (r % 9) {
		case 0: case 1: case 2: case 3:
			f[j] = SVMGPU_ISA_V(((r >> 8) % 24) & ~(sz - 1));
			break;
		case 4: case 5:
			f[j] = SVMGPU_ISA_S(((r >> 8) % 12) & ~(sz - 1));
			break;
		case 6:
			f[j] = j ? SVMGPU_ISA_SR((r >> 8) % 24) : SVMGPU_ISA_V(r >> 8);
			break;
		case 7:
			f[j] = j ? SVMGPU_ISA_LIT : SVMGPU_ISA_S(r >> 8);
			lit |= j != 0;
			wide |= j && sz == 2;
			break;
		default:
			f[j] = (r >> 8) & 0xff;
			break;
		}
	}
	w[0] = SVMGPU_ISA_WORD(op->opcode, f[0], f[1], f[2], f[3],
			       op->fmt == SVMGPU_ISA_FMT_MEMBAR ?
			       (clean || rng() % 4 ? 0x113 : rng()) :
			       op->flags & SVMGPU_ISA_F_IMM ? rng() : 0);
	if (!clean && rng() % 32 == 0)
		w[0] ^= 1ull << (rng() % 64);
	w[1] = wide ? rng() : (uint32_t)rng();
	return lit ? 2 : 1;
}

/*
 * The kernel's decoder (kmd/hw/svmgpu_hw_isa.c, built here on a few
 * shims) and this library's checker give every program the same verdict:
 * the same reason at the same word, so the assembler accepts exactly
 * what the shader cores run.
 */
static void test_kernel_agrees(void)
{
	static const uint16_t ctrl[] = {
		SVMGPU_ISA_OP_IF, SVMGPU_ISA_OP_ELSE, SVMGPU_ISA_OP_ENDIF,
		SVMGPU_ISA_OP_LOOP, SVMGPU_ISA_OP_ENDLOOP, SVMGPU_ISA_OP_BREAK,
		SVMGPU_ISA_OP_BREAKC, SVMGPU_ISA_OP_CONTINUE,
		SVMGPU_ISA_OP_CONTINUEC, SVMGPU_ISA_OP_EXIT, SVMGPU_ISA_OP_END,
	};
	enum { MAXW = 160 };
	const struct svmgpu_isa_opinfo *ops;
	struct svmgpu_hw_isa_insn *insns = calloc(MAXW, sizeof(*insns));
	size_t count, i, programs = 100000, valid = 0, reasons[SVMGPU_ISA_ILLEGAL_COUNT] = { 0 };
	uint64_t w[MAXW + 2];
	__le64 le[MAXW];

	ops = svmgpu_isa_ops(&count);
	CHECK(insns != NULL, "calloc");
	if (!insns)
		return;
	for (i = 0; i < programs; i++) {
		struct svmgpu_hw_isa_limits limits = {
			.vregs = 1 + (unsigned int)(rng() % 128),
			.sregs = (unsigned int)(rng() % 65),
		};
		struct svmgpu_hw_isa_error kerr = { 0, 0 };
		/* Half the programs keep their constructs well nested. */
		int nested = i % 2, clean = i % 4 == 1, depth = 0, loops[40] = { 0 };
		int max_depth = i % 16 == 3 ? 34 : 30;
		size_t n = 0, len = 1 + (size_t)(rng() % (MAXW / 2)), where = 0;
		unsigned int reason;
		uint32_t kn = 0;
		int ret;

		if (max_depth > 32)
			while (depth < max_depth - 1) {
				w[n++] = SVMGPU_ISA_WORD(SVMGPU_ISA_OP_LOOP, 0, 0, 0, 0, 0);
				loops[depth++] = 1;
			}
		while (n < len) {
			uint16_t c = ctrl[rng() % (sizeof(ctrl) / sizeof(ctrl[0]))];

			if (rng() % 3) {
				n += random_insn(&ops[rng() % count], w + n, clean);
				continue;
			}
			if (nested) {
				if ((c == SVMGPU_ISA_OP_IF || c == SVMGPU_ISA_OP_LOOP) && depth >= max_depth)
					continue;
				if ((c == SVMGPU_ISA_OP_ELSE || c == SVMGPU_ISA_OP_ENDIF) &&
				    (!depth || loops[depth - 1]))
					continue;
				if (c == SVMGPU_ISA_OP_ENDLOOP && (!depth || !loops[depth - 1]))
					continue;
				if (c == SVMGPU_ISA_OP_END)
					continue;
				if (c >= SVMGPU_ISA_OP_BREAK && c <= SVMGPU_ISA_OP_CONTINUEC) {
					int k, in_loop = 0;

					for (k = 0; k < depth; k++)
						in_loop |= loops[k];
					if (!in_loop)
						continue;
				}
				if (c == SVMGPU_ISA_OP_IF || c == SVMGPU_ISA_OP_LOOP)
					loops[depth++] = c == SVMGPU_ISA_OP_LOOP;
				else if (c == SVMGPU_ISA_OP_ENDIF || c == SVMGPU_ISA_OP_ENDLOOP)
					depth--;
			}
			w[n] = SVMGPU_ISA_WORD(c, 0, 0, 0, 0, 0);
			if (c == SVMGPU_ISA_OP_IF || c == SVMGPU_ISA_OP_BREAKC ||
			    c == SVMGPU_ISA_OP_CONTINUEC)
				w[n] = SVMGPU_ISA_WORD(c, 0, SVMGPU_ISA_V(rng() % 4), 0, 0, 0);
			n++;
		}
		while (nested && depth > 0)
			w[n++] = SVMGPU_ISA_WORD(loops[--depth] ? SVMGPU_ISA_OP_ENDLOOP :
						 SVMGPU_ISA_OP_ENDIF, 0, 0, 0, 0, 0);
		if (clean || rng() % 8)
			w[n++] = SVMGPU_ISA_WORD(SVMGPU_ISA_OP_END, 0, 0, 0, 0, 0);
		if (n > MAXW)
			n = MAXW;
		if (i % 64 == 5)	/* a literal cut off */
			w[n - 1] = SVMGPU_ISA_WORD(SVMGPU_ISA_OP_MOV, 0, SVMGPU_ISA_LIT, 0, 0, 0);
		if (clean)
			limits.vregs = limits.sregs = 64;
		for (size_t j = 0; j < n; j++)
			le[j] = htole64(w[j]);

		reason = svmgpu_isa_validate(w, n, limits.vregs, limits.sregs, &where);
		ret = svmgpu_hw_isa_decode(le, (uint32_t)n, &limits, insns, &kn, &kerr);
		CHECK(ret == (reason ? -EINVAL : 0) &&
		      (!reason || (kerr.reason == reason && kerr.pc == where)),
		      "program %zu: library %s at %zu, kernel %d: %s at %u", i,
		      svmgpu_isa_illegal_str(reason), where, ret,
		      svmgpu_isa_illegal_str(kerr.reason), kerr.pc);
		if (failures > 10)
			break;
		valid += !reason;
		reasons[reason]++;
	}
	CHECK(valid > programs / 10, "only %zu valid programs", valid);
	for (i = 1; i < SVMGPU_ISA_ILLEGAL_COUNT; i++)
		CHECK(reasons[i] || i == SVMGPU_ISA_ILLEGAL_SIZE,
		      "no program rejected for %s", svmgpu_isa_illegal_str((unsigned int)i));
	printf("%zu programs, %zu valid; rejections by reason:", programs, valid);
	for (i = 1; i < SVMGPU_ISA_ILLEGAL_COUNT; i++)
		printf(" %zu", reasons[i]);
	printf("\n");
	free(insns);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "table", test_table },
	{ "golden-encodings", test_golden_encodings },
	{ "golden-text", test_golden_text },
	{ "roundtrip-every-opcode", test_roundtrip_every_opcode },
	{ "roundtrip-random", test_roundtrip_random },
	{ "asm-errors", test_asm_errors },
	{ "validate", test_validate },
	{ "cli", test_cli },
	{ "manual-examples", test_manual_examples },
	{ "kernel-agrees", test_kernel_agrees },
};

int main(int argc, char **argv)
{
	size_t i;
	int found = 0;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name))
			continue;
		found = 1;
		tests[i].fn();
		printf("%s: %s\n", tests[i].name, failures ? "FAIL" : "ok");
	}
	if (!found) {
		fprintf(stderr, "unknown test '%s'\n", argc > 1 ? argv[1] : "");
		return 2;
	}
	return failures ? 1 : 0;
}
