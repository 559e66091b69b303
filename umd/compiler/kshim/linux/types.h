/* SPDX-License-Identifier: MIT */
/*
 * The few kernel definitions kmd/hw/svmgpu_hw_isa.c uses, so that the
 * host tests can build the kernel's decoder and compare it with this
 * library's checker (isa_test's kernel-agrees case). Test-only.
 */
#ifndef ISA_KSHIM_LINUX_TYPES_H
#define ISA_KSHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <endian.h>
#include <stdbool.h>
#include <stdint.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define U32_MAX		UINT32_MAX
#define BIT(n)		(1ul << (n))
#define le64_to_cpu(x)	le64toh(x)
#define cpu_to_le64(x)	htole64(x)

#endif /* ISA_KSHIM_LINUX_TYPES_H */
