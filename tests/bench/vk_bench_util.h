/* SPDX-License-Identifier: MIT */
/*
 * vk_bench_util.h - what the Vulkan benchmarks (vk_submit_bench,
 * vk_copy_bench) share on top of the Vulkan set-up of umd/vkapp (which
 * they share with the demo): the --driver argument and medians.
 */
#ifndef VK_BENCH_UTIL_H
#define VK_BENCH_UTIL_H

#include "vkapp.h"

/* "lavapipe" or "svmgpu" -> driver; exits 2 on anything else. */
enum vkapp_driver vkb_parse_driver(const char *s);

/* Sorts v and returns its median. */
double vkb_median(double *v, unsigned int n);

#endif
