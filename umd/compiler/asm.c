// SPDX-License-Identifier: MIT
/*
 * asm.c - the assembler: the text syntax of docs/hardware.md ("Assembly
 * syntax") to instruction words.
 *
 * One statement per line: a mnemonic of svmgpu_isa_ops.h and its operands
 * in the order of its format, or `.word` with a raw 64-bit value. Each
 * instruction is checked with svmgpu_isa_check() as it is encoded, and
 * the whole program with svmgpu_isa_validate() at the end (unless
 * SVMGPU_ASM_RELAXED), so every error points at a line and column.
 */

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa_priv.h"

/**
 * struct asm_state - one assembly.
 * @line_start: the current line.
 * @line: its 1-based number.
 * @p: the parse position in it.
 * @error: where errors go (may be NULL).
 * @words: the output, @count words of @cap.
 * @pos: per word, the line (high 32 bits) and column of its statement.
 */
struct asm_state {
	const char *line_start;
	unsigned int line;
	const char *p;
	struct svmgpu_asm_error *error;
	uint64_t *words;
	uint64_t *pos;
	size_t count;
	size_t cap;
};

/**
 * struct asm_operand - a parsed source or destination.
 * @at: where its text starts.
 * @kind: 'r' register, 'p' special register, 'i' integer, 'h' hex
 *	integer, 'f' float literal.
 * @enc: the operand encoding (registers, special registers).
 * @count: registers named by a range v[a:b], 0 for a single register.
 * @value: the literal's value (two's complement), 'f': binary32 bits.
 * @negative: an integer literal written with '-'.
 */
struct asm_operand {
	const char *at;
	char kind;
	unsigned int enc;
	unsigned int count;
	uint64_t value;
	int negative;
};

/**
 * struct asm_literal - the one literal word of an instruction.
 * @mask: the bits operands have fixed so far.
 * @value: their value.
 */
struct asm_literal {
	uint64_t mask;
	uint64_t value;
};

static int asm_fail(struct asm_state *s, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int asm_fail(struct asm_state *s, const char *at, const char *fmt, ...)
{
	va_list ap;

	if (s->error) {
		s->error->line = s->line;
		s->error->column = (unsigned int)(at - s->line_start) + 1;
		va_start(ap, fmt);
		vsnprintf(s->error->message, sizeof(s->error->message), fmt,
			  ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static void skip_space(struct asm_state *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\r')
		s->p++;
}

/* At the end of the statement: end of line or a comment. */
static int at_end(struct asm_state *s)
{
	skip_space(s);
	return !*s->p || *s->p == '\n' || *s->p == ';' ||
	       (s->p[0] == '/' && s->p[1] == '/');
}

/* Length of the word at s->p (letters, digits, '_', '.'). */
static size_t word_len(const char *p)
{
	size_t n = 0;

	while (is_word_char(p[n]))
		n++;
	return n;
}

/* A short quote of the text at p for messages. */
static int quote_len(const char *p)
{
	size_t n = word_len(p);

	if (!n)
		n = *p && *p != '\n' ? 1 : 0;
	return (int)(n > 32 ? 32 : n);
}

static int expect(struct asm_state *s, char c)
{
	skip_space(s);
	if (*s->p != c) {
		if (at_end(s))
			return asm_fail(s, s->p, "expected '%c' before the end of the line", c);
		return asm_fail(s, s->p, "expected '%c', found '%.*s'", c,
				quote_len(s->p), s->p);
	}
	s->p++;
	return 0;
}

/* An unsigned decimal or 0x hex number; *hex says which. */
static int parse_number(struct asm_state *s, uint64_t *value, int *hex)
{
	const char *start = s->p;
	uint64_t v = 0;
	int base = 10, digits = 0;

	*hex = 0;
	if (s->p[0] == '0' && (s->p[1] == 'x' || s->p[1] == 'X')) {
		base = 16;
		*hex = 1;
		s->p += 2;
	}
	for (;; s->p++) {
		int d;

		if (isdigit((unsigned char)*s->p))
			d = *s->p - '0';
		else if (base == 16 && isxdigit((unsigned char)*s->p))
			d = tolower((unsigned char)*s->p) - 'a' + 10;
		else
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return asm_fail(s, start, "number '%.*s' does not fit in 64 bits",
					quote_len(start), start);
		v = v * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	if (!digits || is_word_char(*s->p))
		return asm_fail(s, start, "bad number '%.*s'", quote_len(start),
				start);
	*value = v;
	return 0;
}

static int parse_register(struct asm_state *s, struct asm_operand *o)
{
	char file = *s->p;
	unsigned int max = file == 'v' ? SVMGPU_ISA_MAX_VREGS :
					 SVMGPU_ISA_MAX_SREGS;
	uint64_t first, last;
	int hex, ret;

	s->p++;
	o->kind = 'r';
	if (*s->p == '[') {
		s->p++;
		skip_space(s);
		ret = parse_number(s, &first, &hex);
		if (ret)
			return ret;
		ret = expect(s, ':');
		if (ret)
			return ret;
		skip_space(s);
		ret = parse_number(s, &last, &hex);
		if (ret)
			return ret;
		ret = expect(s, ']');
		if (ret)
			return ret;
		if (last < first)
			return asm_fail(s, o->at, "register range ends before it starts");
		o->count = (unsigned int)(last - first + 1);
	} else {
		ret = parse_number(s, &first, &hex);
		if (ret)
			return asm_fail(s, o->at, "bad register '%.*s'",
					quote_len(o->at), o->at);
		last = first;
		o->count = 0;
	}
	if (hex || last >= max)
		return asm_fail(s, o->at, "no register '%.*s' (%c0-%c%u)",
				(int)(s->p - o->at), o->at, file, file, max - 1);
	o->enc = file == 'v' ? SVMGPU_ISA_V((unsigned int)first) :
			       SVMGPU_ISA_S((unsigned int)first);
	return 0;
}

static int parse_operand(struct asm_state *s, struct asm_operand *o)
{
	const char *p;
	size_t n;
	int hex, ret;

	skip_space(s);
	memset(o, 0, sizeof(*o));
	o->at = s->p;
	p = s->p;
	if (at_end(s))
		return asm_fail(s, s->p, "missing operand");
	if (*p == '%') {
		unsigned int i;

		n = word_len(p + 1);
		for (i = 0; i < SVMGPU_ISA_SR_COUNT; i++) {
			const char *name = svmgpu_isa_sr_name(i);

			if (strlen(name) == n && !memcmp(name, p + 1, n))
				break;
		}
		if (i == SVMGPU_ISA_SR_COUNT)
			return asm_fail(s, p, "unknown special register '%.*s'",
					(int)n + 1, p);
		s->p += n + 1;
		o->kind = 'p';
		o->enc = SVMGPU_ISA_SR(i);
		return 0;
	}
	if ((*p == 'v' || *p == 's') &&
	    (isdigit((unsigned char)p[1]) || p[1] == '['))
		return parse_register(s, o);

	if (*p == '-' || *p == '+') {
		o->negative = *p == '-';
		s->p++;
		p++;
	}
	n = word_len(p);
	if ((n == 3 && !strncmp(p, "inf", 3)) ||
	    (n == 3 && !strncmp(p, "nan", 3))) {
		float f = p[0] == 'i' ? INFINITY : NAN;
		uint32_t bits;

		if (o->negative)
			f = -f;
		memcpy(&bits, &f, sizeof(bits));
		if (p[0] == 'n')
			bits = 0x7fc00000u | (o->negative ? 0x80000000u : 0);
		o->kind = 'f';
		o->value = bits;
		s->p += 3;
		return 0;
	}
	if (!isdigit((unsigned char)*p) && *p != '.')
		return asm_fail(s, o->at, "expected an operand, found '%.*s'",
				quote_len(o->at), o->at);
	if (!(p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) &&
	    strpbrk(p, ".eE") && strpbrk(p, ".eE") < p + n) {
		char *end;
		float f;
		uint32_t bits;

		f = strtof(p, &end);
		if (end == p || is_word_char(*end))
			return asm_fail(s, o->at, "bad number '%.*s'",
					quote_len(o->at), o->at);
		if (o->negative)
			f = -f;
		memcpy(&bits, &f, sizeof(bits));
		o->kind = 'f';
		o->value = bits;
		s->p = end;
		return 0;
	}
	ret = parse_number(s, &o->value, &hex);
	if (ret)
		return ret;
	o->kind = hex ? 'h' : 'i';
	if (o->negative) {
		if (o->value > (uint64_t)1 << 63)
			return asm_fail(s, o->at, "number '%.*s' does not fit in 64 bits",
					(int)(s->p - o->at), o->at);
		o->value = -o->value;
	}
	return 0;
}

/* Puts literal bits of one operand into the instruction's literal. */
static int literal_merge(struct asm_state *s, struct asm_operand *o,
			 struct asm_literal *lit, uint64_t bits, uint64_t mask)
{
	if ((lit->value ^ bits) & lit->mask & mask)
		return asm_fail(s, o->at, "an instruction has one literal word: this operand's value differs from an earlier one");
	lit->value = (lit->value & ~mask) | (bits & mask);
	lit->mask |= mask;
	return 0;
}

/*
 * Encodes operand o as field i (0 D, 1 A, 2 B, 3 C) of op; literals go
 * into lit. Sets *field.
 */
static int operand_encode(struct asm_state *s,
			  const struct svmgpu_isa_opinfo *op, unsigned int i,
			  struct asm_operand *o, struct asm_literal *lit,
			  unsigned int *field)
{
	unsigned int size = op->size[i];
	int is_float = size == 1 && i && (op->flags & (SVMGPU_ISA_F_FA << (i - 1)));
	uint64_t bits = o->value;

	if (o->kind == 'r') {
		unsigned int n = svmgpu_isa_reg_index(o->enc);

		if (o->count && o->count != size)
			return asm_fail(s, o->at, "'%.*s' is %u registers, the operand takes %u",
					(int)(s->p - o->at), o->at, o->count, size);
		if (n % size)
			return asm_fail(s, o->at, "a %u-bit operand starts at a register index that is a multiple of %u",
					32 * size, size);
		if (n + size > (svmgpu_isa_is_v(o->enc) ? SVMGPU_ISA_MAX_VREGS :
							  SVMGPU_ISA_MAX_SREGS))
			return asm_fail(s, o->at, "register range beyond the register file");
		*field = o->enc;
		return 0;
	}
	if (!i)
		return asm_fail(s, o->at, "the destination must be a register");
	if (o->kind == 'p') {
		*field = o->enc;
		return 0;
	}
	if (size > 2)
		return asm_fail(s, o->at, "a literal cannot be a %u-bit operand", 32 * size);
	*field = SVMGPU_ISA_LIT;
	if (o->kind == 'f') {
		if (!is_float)
			return asm_fail(s, o->at, "float literal for an integer operand");
		return literal_merge(s, o, lit, bits, 0xffffffffu);
	}
	if (is_float && o->kind == 'i') {
		int64_t v = (int64_t)bits;
		float f = (float)v;
		uint32_t fb;

		if ((o->negative ? (double)f != (double)v :
				   (double)f != (double)(uint64_t)bits) ||
		    (!o->negative && bits >> 63))
			return asm_fail(s, o->at, "%.*s is not exactly a binary32 value",
					(int)(s->p - o->at), o->at);
		memcpy(&fb, &f, sizeof(fb));
		return literal_merge(s, o, lit, fb, 0xffffffffu);
	}
	if (size == 1) {
		if (o->negative ? (int64_t)bits < INT32_MIN : bits > UINT32_MAX)
			return asm_fail(s, o->at, "%.*s does not fit in 32 bits",
					(int)(s->p - o->at), o->at);
		return literal_merge(s, o, lit, bits & 0xffffffffu, 0xffffffffu);
	}
	return literal_merge(s, o, lit, bits, UINT64_MAX);
}

/* "[address]", "[address + n]" or "[address - n]": field A and IMM. */
static int parse_address(struct asm_state *s, const struct svmgpu_isa_opinfo *op,
			 struct asm_literal *lit, unsigned int *field,
			 unsigned int *imm)
{
	struct asm_operand o;
	const char *at;
	uint64_t off = 0;
	int hex, neg = 0, ret;

	ret = expect(s, '[');
	if (ret)
		return ret;
	ret = parse_operand(s, &o);
	if (ret)
		return ret;
	ret = operand_encode(s, op, 1, &o, lit, field);
	if (ret)
		return ret;
	skip_space(s);
	if (*s->p == '+' || *s->p == '-') {
		neg = *s->p == '-';
		s->p++;
		skip_space(s);
		at = s->p;
		ret = parse_number(s, &off, &hex);
		if (ret)
			return ret;
		if (off > (neg ? 32768u : 32767u))
			return asm_fail(s, at, "offset beyond -32768..32767");
	}
	ret = expect(s, ']');
	if (ret)
		return ret;
	*imm = (unsigned int)(neg ? -off : off) & 0xffff;
	return 0;
}

static int parse_comma(struct asm_state *s)
{
	return expect(s, ',');
}

/* "membar acquire|release|acq_rel, global|shared, workgroup|device|system" */
static int parse_membar(struct asm_state *s, unsigned int *imm)
{
	static const char *const sems[] = { "acquire", "release", "acq_rel" };
	static const char *const scopes[] = { "workgroup", "device", "system" };
	unsigned int i, storage = 0;
	size_t n;
	int ret;

	skip_space(s);
	n = word_len(s->p);
	for (i = 0; i < 3; i++)
		if (strlen(sems[i]) == n && !strncmp(s->p, sems[i], n))
			break;
	if (i == 3)
		return asm_fail(s, s->p, "expected acquire, release or acq_rel");
	*imm = i + 1;
	s->p += n;
	ret = parse_comma(s);
	if (ret)
		return ret;
	for (;;) {
		skip_space(s);
		n = word_len(s->p);
		if (n == 6 && !strncmp(s->p, "global", 6))
			storage |= SVMGPU_ISA_MEMBAR_GLOBAL;
		else if (n == 6 && !strncmp(s->p, "shared", 6))
			storage |= SVMGPU_ISA_MEMBAR_SHARED;
		else
			return asm_fail(s, s->p, "expected global or shared");
		s->p += n;
		skip_space(s);
		if (*s->p != '|')
			break;
		s->p++;
	}
	*imm |= storage;
	ret = parse_comma(s);
	if (ret)
		return ret;
	skip_space(s);
	n = word_len(s->p);
	for (i = 0; i < 3; i++)
		if (strlen(scopes[i]) == n && !strncmp(s->p, scopes[i], n))
			break;
	if (i == 3)
		return asm_fail(s, s->p, "expected workgroup, device or system");
	s->p += n;
	*imm |= i << SVMGPU_ISA_MEMBAR_SCOPE_SHIFT;
	return 0;
}

static int emit(struct asm_state *s, uint64_t word, const char *at)
{
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		uint64_t *words, *pos;

		words = realloc(s->words, cap * sizeof(*words));
		if (!words)
			return -ENOMEM;
		s->words = words;
		pos = realloc(s->pos, cap * sizeof(*pos));
		if (!pos)
			return -ENOMEM;
		s->pos = pos;
		s->cap = cap;
	}
	s->pos[s->count] = (uint64_t)s->line << 32 |
			   (uint64_t)(at - s->line_start + 1);
	s->words[s->count++] = word;
	return 0;
}

/* One instruction: s->p is past its mnemonic, at its operands. */
static int parse_insn(struct asm_state *s, const struct svmgpu_isa_opinfo *op,
		      const char *at)
{
	unsigned int field[4] = { 0 }, imm = 0, i, reason;
	struct asm_literal lit = { 0, 0 };
	struct asm_operand o;
	uint64_t words[2];
	size_t len;
	int ret = 0;

	switch (op->fmt) {
	case SVMGPU_ISA_FMT_NONE:
		break;
	case SVMGPU_ISA_FMT_MEMBAR:
		ret = parse_membar(s, &imm);
		break;
	case SVMGPU_ISA_FMT_LOAD:
	case SVMGPU_ISA_FMT_ATOM:
	case SVMGPU_ISA_FMT_ATOM3:
		ret = parse_operand(s, &o);
		if (!ret)
			ret = operand_encode(s, op, 0, &o, &lit, &field[0]);
		if (!ret)
			ret = parse_comma(s);
		if (!ret)
			ret = parse_address(s, op, &lit, &field[1], &imm);
		for (i = 2; i < 4 && !ret; i++) {
			if (!op->size[i])
				continue;
			ret = parse_comma(s);
			if (!ret)
				ret = parse_operand(s, &o);
			if (!ret)
				ret = operand_encode(s, op, i, &o, &lit, &field[i]);
		}
		break;
	case SVMGPU_ISA_FMT_STORE:
		ret = parse_address(s, op, &lit, &field[1], &imm);
		if (!ret)
			ret = parse_comma(s);
		if (!ret)
			ret = parse_operand(s, &o);
		if (!ret)
			ret = operand_encode(s, op, 2, &o, &lit, &field[2]);
		break;
	default:
		for (i = 0; i < 4 && !ret; i++) {
			if (!op->size[i])
				continue;
			if (i && (i > 1 || op->size[0]))
				ret = parse_comma(s);
			if (!ret)
				ret = parse_operand(s, &o);
			if (!ret)
				ret = operand_encode(s, op, i, &o, &lit, &field[i]);
		}
		break;
	}
	if (ret)
		return ret;
	if (!at_end(s))
		return asm_fail(s, s->p, "unexpected '%.*s' after the operands of %s",
				quote_len(s->p), s->p, op->name);

	words[0] = SVMGPU_ISA_WORD(op->opcode, field[0], field[1], field[2],
				   field[3], imm);
	words[1] = lit.value;
	reason = svmgpu_isa_check(words, 2, &len);
	if (reason)
		return asm_fail(s, at, "%s: %s", op->name,
				svmgpu_isa_illegal_str(reason));
	ret = emit(s, words[0], at);
	if (!ret && len == 2)
		ret = emit(s, words[1], at);
	return ret;
}

/* ".word value": one raw word (decimal, 0x hex, or negative). */
static int parse_dot_word(struct asm_state *s, const char *at)
{
	struct asm_operand o;
	int ret;

	ret = parse_operand(s, &o);
	if (ret)
		return ret;
	if (o.kind != 'i' && o.kind != 'h')
		return asm_fail(s, o.at, ".word takes an integer");
	if (!at_end(s))
		return asm_fail(s, s->p, "unexpected '%.*s' after .word",
				quote_len(s->p), s->p);
	return emit(s, o.value, at);
}

static int parse_line(struct asm_state *s)
{
	const struct svmgpu_isa_opinfo *op;
	const char *at;
	size_t n;

	if (at_end(s))
		return 0;
	at = s->p;
	n = word_len(s->p);
	if (!n)
		return asm_fail(s, at, "expected an instruction, found '%.*s'",
				quote_len(at), at);
	s->p += n;
	if (n == 5 && !strncmp(at, ".word", 5))
		return parse_dot_word(s, at);
	op = svmgpu_isa_lookup(at, n);
	if (!op)
		return asm_fail(s, at, "unknown instruction '%.*s'", (int)n, at);
	if (*s->p && *s->p != ' ' && *s->p != '\t' && *s->p != '\n' &&
	    *s->p != '\r' && *s->p != ';' && *s->p != '/')
		return asm_fail(s, s->p, "expected a space after '%.*s'",
				(int)n, at);
	return parse_insn(s, op, at);
}

/* Program-level rules, reported at the offending instruction. */
static int asm_validate(struct asm_state *s)
{
	unsigned int reason;
	size_t where = 0;

	reason = svmgpu_isa_validate(s->words, s->count, SVMGPU_ISA_MAX_VREGS,
				     SVMGPU_ISA_MAX_SREGS, &where);
	if (!reason)
		return 0;
	if (s->error) {
		const struct svmgpu_isa_opinfo *op = NULL;

		if (where < s->count) {
			s->error->line = (unsigned int)(s->pos[where] >> 32);
			s->error->column = (unsigned int)s->pos[where];
			op = svmgpu_isa_opinfo(SVMGPU_ISA_WORD_OP(s->words[where]));
		} else {
			s->error->line = s->line;
			s->error->column = 1;
		}
		if (reason == SVMGPU_ISA_ILLEGAL_NO_END)
			snprintf(s->error->message, sizeof(s->error->message),
				 "the program must end with 'end'");
		else if (op)
			snprintf(s->error->message, sizeof(s->error->message),
				 "%s: %s", op->name, svmgpu_isa_illegal_str(reason));
		else
			snprintf(s->error->message, sizeof(s->error->message),
				 "%s", svmgpu_isa_illegal_str(reason));
	}
	return -EINVAL;
}

int svmgpu_asm(const char *text, unsigned int flags, uint64_t **words,
	       size_t *count, struct svmgpu_asm_error *error)
{
	struct asm_state s = { .error = error };
	int ret = 0;

	if (!text || !words || !count || (flags & ~SVMGPU_ASM_RELAXED))
		return -EINVAL;
	if (error)
		memset(error, 0, sizeof(*error));
	s.line_start = text;
	s.line = 1;
	while (*s.line_start) {
		const char *eol;

		s.p = s.line_start;
		ret = parse_line(&s);
		if (ret)
			goto err_free;
		eol = strchr(s.line_start, '\n');
		if (!eol)
			break;
		s.line_start = eol + 1;
		s.line++;
	}
	if (!(flags & SVMGPU_ASM_RELAXED)) {
		ret = asm_validate(&s);
		if (ret)
			goto err_free;
	}
	free(s.pos);
	if (!s.words) {
		s.words = malloc(sizeof(*s.words));
		if (!s.words)
			return -ENOMEM;
	}
	*words = s.words;
	*count = s.count;
	return 0;

err_free:
	if (ret == -ENOMEM && error)
		snprintf(error->message, sizeof(error->message), "out of memory");
	free(s.words);
	free(s.pos);
	return ret;
}
