/* SPDX-License-Identifier: MIT */
/*
 * drm_bench_util.c - helpers shared by the ioctl-level benchmarks
 * (drm_bench_util.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "svmgpu_drm.h"
#include "drm_bench_util.h"

void bench_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", bench_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void bench_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
	if (drmIoctl(fd, req, arg))
		bench_fail(1, "%s failed: %s", what, strerror(errno));
}

int bench_open_svmgpu(uint64_t features, const char *lacking)
{
	for (int minor = 128; minor < 192; minor++) {
		struct drm_svmgpu_get_param p = {
			.param = DRM_SVMGPU_PARAM_FEATURES,
		};
		char path[64];
		drmVersionPtr v;
		bool ours;
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", minor);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		ours = v && !strcmp(v->name, "svmgpu");
		drmFreeVersion(v);
		if (!ours) {
			close(fd);
			continue;
		}
		if (features &&
		    (drmIoctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &p) ||
		     (p.value & features) != features))
			bench_fail(2, "%s", lacking);
		return fd;
	}
	bench_fail(2, "no svmgpu render node in /dev/dri (is svmgpu.ko loaded?)");
}
