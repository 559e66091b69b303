/* SPDX-License-Identifier: MIT */
/*
 * isa_priv.h - libsvmgpu_isa internals shared by its .c files.
 */
#ifndef LIBSVMGPU_ISA_PRIV_H
#define LIBSVMGPU_ISA_PRIV_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "svmgpu_asm.h"

/* Operand field i of an instruction word: 0 D, 1 A, 2 B, 3 C. */
unsigned int isa_field(uint64_t word, unsigned int i);

#endif /* LIBSVMGPU_ISA_PRIV_H */
