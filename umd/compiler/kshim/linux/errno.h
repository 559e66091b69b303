/* SPDX-License-Identifier: MIT */
/* Test-only stand-in for the kernel's <linux/errno.h>: see types.h here. */
#include_next <linux/errno.h>
