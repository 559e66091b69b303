// SPDX-License-Identifier: MIT
/*
 * disasm.c - the disassembler: instruction words to the text syntax of
 * docs/hardware.md.
 *
 * The output is canonical: assembling it gives back the same words. A
 * word that is not a valid instruction, or not in the one encoding the
 * assembler produces for its text (a literal whose unused upper half is
 * not zero), is printed as `.word`, so that even random words round-trip.
 */

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa_priv.h"

/* A bounded string builder: output past the end is dropped. */
struct isa_out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_printf(struct isa_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out_printf(struct isa_out *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out->len + 1 >= out->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out->buf + out->len, out->size - out->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		out->len += (size_t)n < out->size - out->len ?
			    (size_t)n : out->size - out->len - 1;
}

static void print_reg(struct isa_out *out, unsigned int o, unsigned int size)
{
	char file = svmgpu_isa_is_v(o) ? 'v' : 's';
	unsigned int n = svmgpu_isa_reg_index(o);

	if (size == 1)
		out_printf(out, "%c%u", file, n);
	else
		out_printf(out, "%c[%u:%u]", file, n, n + size - 1);
}

/* A binary32 that prints and reads back exactly, or hex bits. */
static void print_f32(struct isa_out *out, uint32_t bits)
{
	char text[32];
	float f, back;

	memcpy(&f, &bits, sizeof(f));
	if (isnan(f)) {
		out_printf(out, "0x%08" PRIx32, bits);
		return;
	}
	if (isinf(f)) {
		out_printf(out, "%sinf", f < 0 ? "-" : "");
		return;
	}
	snprintf(text, sizeof(text), "%.9g", f);
	if (!strpbrk(text, ".en"))
		strcat(text, ".0");
	back = strtof(text, NULL);
	if (memcmp(&back, &f, sizeof(f)))
		out_printf(out, "0x%08" PRIx32, bits);
	else
		out_printf(out, "%s", text);
}

static void print_int(struct isa_out *out, uint64_t v, unsigned int size)
{
	int64_t s = size == 1 ? (int32_t)(uint32_t)v : (int64_t)v;

	if (s >= -65536 && s <= 65536)
		out_printf(out, "%" PRId64, s);
	else if (size == 1)
		out_printf(out, "0x%08" PRIx64, v & 0xffffffffu);
	else
		out_printf(out, "0x%016" PRIx64, v);
}

static void print_src(struct isa_out *out, const struct svmgpu_isa_opinfo *op,
		      unsigned int i, unsigned int o, uint64_t lit)
{
	unsigned int size = op->size[i];

	if (o == SVMGPU_ISA_LIT) {
		if (size == 1 && (op->flags & (SVMGPU_ISA_F_FA << (i - 1))))
			print_f32(out, (uint32_t)lit);
		else
			print_int(out, lit, size);
	} else if (svmgpu_isa_is_sr(o)) {
		out_printf(out, "%%%s", svmgpu_isa_sr_name(o & 0x1f));
	} else {
		print_reg(out, o, size);
	}
}

static void print_membar(struct isa_out *out, unsigned int imm)
{
	static const char *const sem[] = { "", "acquire", "release", "acq_rel" };
	static const char *const scope[] = { "workgroup", "device", "system" };
	unsigned int storage = imm & (SVMGPU_ISA_MEMBAR_GLOBAL |
				      SVMGPU_ISA_MEMBAR_SHARED);

	out_printf(out, " %s, %s, %s", sem[imm & 3],
		   storage == SVMGPU_ISA_MEMBAR_GLOBAL ? "global" :
		   storage == SVMGPU_ISA_MEMBAR_SHARED ? "shared" :
		   "global|shared",
		   scope[(imm & SVMGPU_ISA_MEMBAR_SCOPE_MASK) >>
			 SVMGPU_ISA_MEMBAR_SCOPE_SHIFT]);
}

static void print_address(struct isa_out *out,
			  const struct svmgpu_isa_opinfo *op, uint64_t w,
			  uint64_t lit)
{
	int16_t off = (int16_t)SVMGPU_ISA_WORD_IMM(w);

	out_printf(out, "[");
	print_src(out, op, 1, isa_field(w, 1), lit);
	if (off)
		out_printf(out, " %c %d", off < 0 ? '-' : '+',
			   off < 0 ? -off : off);
	out_printf(out, "]");
}

/* Whether the literal's upper half is used, or else zero. */
static int literal_canonical(const struct svmgpu_isa_opinfo *op, uint64_t w,
			     uint64_t lit)
{
	unsigned int i;

	for (i = 1; i < 4; i++)
		if (op->size[i] == 2 && isa_field(w, i) == SVMGPU_ISA_LIT)
			return 1;
	return !(lit >> 32);
}

int svmgpu_disasm_insn(const uint64_t *words, size_t count, char *buf,
		       size_t size)
{
	struct isa_out out = { buf, size, 0 };
	const struct svmgpu_isa_opinfo *op;
	const char *sep;
	uint64_t w, lit;
	unsigned int i;
	size_t len;

	if (!count || !buf || !size)
		return -EINVAL;
	buf[0] = '\0';
	w = words[0];
	if (svmgpu_isa_check(words, count, &len))
		goto raw;
	lit = len == 2 ? words[1] : 0;
	op = svmgpu_isa_opinfo(SVMGPU_ISA_WORD_OP(w));
	if (len == 2 && !literal_canonical(op, w, lit))
		goto raw;

	out_printf(&out, "%s", op->name);
	switch (op->fmt) {
	case SVMGPU_ISA_FMT_NONE:
		break;
	case SVMGPU_ISA_FMT_MEMBAR:
		print_membar(&out, SVMGPU_ISA_WORD_IMM(w));
		break;
	case SVMGPU_ISA_FMT_LOAD:
	case SVMGPU_ISA_FMT_ATOM:
	case SVMGPU_ISA_FMT_ATOM3:
		out_printf(&out, " ");
		print_reg(&out, isa_field(w, 0), op->size[0]);
		out_printf(&out, ", ");
		print_address(&out, op, w, lit);
		for (i = 2; i < 4; i++) {
			if (!op->size[i])
				continue;
			out_printf(&out, ", ");
			print_src(&out, op, i, isa_field(w, i), lit);
		}
		break;
	case SVMGPU_ISA_FMT_STORE:
		out_printf(&out, " ");
		print_address(&out, op, w, lit);
		out_printf(&out, ", ");
		print_src(&out, op, 2, isa_field(w, 2), lit);
		break;
	default:
		sep = " ";
		for (i = 0; i < 4; i++) {
			if (!op->size[i])
				continue;
			out_printf(&out, "%s", sep);
			sep = ", ";
			if (i)
				print_src(&out, op, i, isa_field(w, i), lit);
			else
				print_reg(&out, isa_field(w, 0), op->size[0]);
		}
		break;
	}
	return (int)len;

raw:
	out_printf(&out, ".word 0x%016" PRIx64, w);
	return 1;
}

static int depth_delta_before(uint64_t w)
{
	switch (SVMGPU_ISA_WORD_OP(w)) {
	case SVMGPU_ISA_OP_ELSE:
	case SVMGPU_ISA_OP_ENDIF:
	case SVMGPU_ISA_OP_ENDLOOP:
		return -1;
	default:
		return 0;
	}
}

static int depth_delta_after(uint64_t w)
{
	switch (SVMGPU_ISA_WORD_OP(w)) {
	case SVMGPU_ISA_OP_IF:
	case SVMGPU_ISA_OP_ELSE:
	case SVMGPU_ISA_OP_LOOP:
		return 1;
	default:
		return 0;
	}
}

int svmgpu_disasm(const uint64_t *words, size_t count, unsigned int flags,
		  char **text)
{
	size_t cap = 4096, len = 0, pc = 0;
	char *buf, line[256];
	int depth = 0;

	if ((!words && count) || !text || (flags & ~SVMGPU_DISASM_ADDRESSES))
		return -EINVAL;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	buf[0] = '\0';
	while (pc < count) {
		size_t need;
		int n, shown;

		n = svmgpu_disasm_insn(words + pc, count - pc, line,
				       sizeof(line));
		if (!strncmp(line, ".word", 5)) {
			shown = depth;
		} else {
			depth += depth_delta_before(words[pc]);
			if (depth < 0)
				depth = 0;
			shown = depth;
			depth += depth_delta_after(words[pc]);
		}
		need = len + (size_t)shown * 2 + strlen(line) + 64;
		if (need > cap) {
			char *grown;

			while (cap < need)
				cap *= 2;
			grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
		}
		if (flags & SVMGPU_DISASM_ADDRESSES) {
			len += (size_t)sprintf(buf + len, "%04zx: %016" PRIx64,
					       pc, words[pc]);
			if (n == 2)
				len += (size_t)sprintf(buf + len,
						       " %016" PRIx64,
						       words[pc + 1]);
			else
				len += (size_t)sprintf(buf + len, "%17s", "");
			len += (size_t)sprintf(buf + len, "  ");
		}
		len += (size_t)sprintf(buf + len, "%*s%s\n", shown * 2, "",
				       line);
		pc += (size_t)n;
	}
	*text = buf;
	return 0;
}
