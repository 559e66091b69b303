/* SPDX-License-Identifier: MIT */
/*
 * drm_bench_util.h - what the ioctl-level benchmarks (svmgpu_bench,
 * svm_bench) share: error exits, the clock, checked ioctls and finding
 * the svmgpu render node.
 */
#ifndef DRM_BENCH_UTIL_H
#define DRM_BENCH_UTIL_H

#include <stdint.h>

/* The program's name in error messages; each benchmark defines it. */
extern const char *bench_prog;

/* Prints "<prog>: error: <message>" on stderr and exits with @code. */
void bench_fail(int code, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* drmIoctl(), exiting 1 with @what and the errno when it fails. */
void bench_ioctl(int fd, unsigned long req, void *arg, const char *what);

/*
 * The first render node whose driver is svmgpu, opened read-write.
 * Exits 2 when there is none, or when the driver lacks any of the
 * DRM_SVMGPU_PARAM_FEATURES bits in @features (then saying @lacking).
 */
int bench_open_svmgpu(uint64_t features, const char *lacking);

#endif
