// SPDX-License-Identifier: MIT
/*
 * svmgpu-asm.c - command-line assembler and disassembler of the svmgpu
 * shader ISA, on libsvmgpu_isa.
 *
 *   svmgpu-asm [-r] [-o out.bin] [in.s]     text to little-endian words
 *   svmgpu-asm -d [-a] [-o out.s] [in.bin]  words to text
 *
 * Errors are printed as file:line:column: message, as compilers do.
 */

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svmgpu_asm.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: svmgpu-asm [-r] [-o OUT] [IN]      assemble text to words\n"
		"       svmgpu-asm -d [-a] [-o OUT] [IN]   disassemble words\n"
		"  -r  relaxed: skip the program-level checks (nesting, end)\n"
		"  -a  show word indices and encodings (not reassemblable)\n"
		"  IN and OUT default to standard input and output\n");
}

static char *read_all(FILE *f, size_t *size)
{
	size_t cap = 65536, len = 0, n;
	char *buf = malloc(cap + 1), *grown;

	if (!buf)
		return NULL;
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			grown = realloc(buf, cap + 1);
			if (!grown) {
				free(buf);
				return NULL;
			}
			buf = grown;
		}
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*size = len;
	return buf;
}

int main(int argc, char **argv)
{
	int opt, disasm = 0, addresses = 0, relaxed = 0, ret = 1;
	const char *in_name = "-", *out_name = NULL;
	FILE *in = stdin, *out = stdout;
	char *data = NULL, *text = NULL;
	uint64_t *words = NULL;
	size_t size, count, i;

	while ((opt = getopt(argc, argv, "adro:h")) != -1) {
		switch (opt) {
		case 'a':
			addresses = 1;
			break;
		case 'd':
			disasm = 1;
			break;
		case 'r':
			relaxed = 1;
			break;
		case 'o':
			out_name = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 < argc) {
		usage(stderr);
		return 2;
	}
	if (optind < argc && strcmp(argv[optind], "-")) {
		in_name = argv[optind];
		in = fopen(in_name, "rb");
		if (!in) {
			fprintf(stderr, "svmgpu-asm: %s: %s\n", in_name,
				strerror(errno));
			return 1;
		}
	}
	data = read_all(in, &size);
	if (!data) {
		fprintf(stderr, "svmgpu-asm: %s: read failed\n", in_name);
		goto out;
	}
	if (out_name) {
		out = fopen(out_name, disasm ? "w" : "wb");
		if (!out) {
			fprintf(stderr, "svmgpu-asm: %s: %s\n", out_name,
				strerror(errno));
			out = NULL;
			goto out;
		}
	}

	if (disasm) {
		if (size % 8) {
			fprintf(stderr, "svmgpu-asm: %s: size not a multiple of 8 bytes\n",
				in_name);
			goto out;
		}
		count = size / 8;
		words = malloc(count ? size : 8);
		if (!words)
			goto out;
		for (i = 0; i < count; i++) {
			uint64_t le;

			memcpy(&le, data + 8 * i, 8);
			words[i] = le64toh(le);
		}
		if (svmgpu_disasm(words, count,
				  addresses ? SVMGPU_DISASM_ADDRESSES : 0, &text))
			goto out;
		fputs(text, out);
	} else {
		struct svmgpu_asm_error err;

		if (svmgpu_asm(data, relaxed ? SVMGPU_ASM_RELAXED : 0, &words,
			       &count, &err)) {
			fprintf(stderr, "%s:%u:%u: error: %s\n",
				strcmp(in_name, "-") ? in_name : "<stdin>",
				err.line, err.column, err.message);
			goto out;
		}
		for (i = 0; i < count; i++) {
			uint64_t le = htole64(words[i]);

			fwrite(&le, 8, 1, out);
		}
	}
	ret = fflush(out) ? 1 : 0;
out:
	if (out && out != stdout)
		fclose(out);
	if (in != stdin)
		fclose(in);
	free(text);
	free(words);
	free(data);
	return ret;
}
