// SPDX-License-Identifier: MIT
/*
 * vk_bench_util.c - helpers shared by the Vulkan benchmarks
 * (vk_bench_util.h): the --driver argument, median.
 */
#include <stdlib.h>
#include <string.h>

#include "vk_bench_util.h"

enum vkapp_driver vkb_parse_driver(const char *s)
{
	if (!strcmp(s, "lavapipe"))
		return VKAPP_LAVAPIPE;
	if (!strcmp(s, "svmgpu"))
		return VKAPP_SVMGPU;
	vkapp_die(2, "unknown driver '%s' (lavapipe or svmgpu)", s);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double vkb_median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
