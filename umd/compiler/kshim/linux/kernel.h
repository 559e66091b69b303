/* SPDX-License-Identifier: MIT */
/* Test-only stand-in for <linux/kernel.h>: see types.h here. */
#include <stddef.h>
#include <linux/types.h>
