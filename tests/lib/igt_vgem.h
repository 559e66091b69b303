/* SPDX-License-Identifier: MIT */
/*
 * igt_vgem - fences the test signals from the CPU, made with vgem.
 *
 * vgem (drivers/gpu/drm/vgem) attaches an unsignalled fence to one of its
 * BOs on request and signals it on a second request: the dependency a test
 * holds a job, a bind or a Vulkan submission back with, and releases when
 * it has looked at the state in between. The BO's dma-buf hands out
 * sync_files of the fence (DMA_BUF_IOCTL_EXPORT_SYNC_FILE), which a
 * syncobj or a Vulkan semaphore or fence imports.
 *
 * vgem signals such a fence itself after 10 s (its own timeout): a test
 * holds one for well under that.
 */
#ifndef IGT_VGEM_H
#define IGT_VGEM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* How long vgem lets a fence stay unsignalled before it signals it. */
#define IGT_VGEM_FENCE_TIMEOUT_NS	(10ull * 1000000000ull)

/**
 * struct igt_cpu_fence - one vgem fence.
 * @vgem: the vgem primary node the fence was made on.
 * @bo: the vgem BO it is attached to.
 * @fence: vgem's handle of the fence.
 * @dmabuf: the BO's dma-buf, which exports sync_files of the fence.
 * @signaled: igt_cpu_fence_signal() was called.
 * @delay_ms: igt_cpu_fence_signal_later()'s delay.
 * @thread: igt_cpu_fence_signal_later()'s thread.
 */
struct igt_cpu_fence {
	int vgem;
	uint32_t bo;
	uint32_t fence;
	int dmabuf;
	bool signaled;
	unsigned int delay_ms;
	pthread_t thread;
};

/* Makes an unsignalled fence; skips when vgem is not loaded. */
void igt_cpu_fence_init(struct igt_cpu_fence *f);

/* A new sync_file of the fence; the caller owns (closes or hands on) it. */
int igt_cpu_fence_sync_file(struct igt_cpu_fence *f);

/* A new binary syncobj on DRM device @fd whose fence is @f's. */
uint32_t igt_cpu_fence_syncobj(struct igt_cpu_fence *f, int fd);

/* Signals the fence; asserts that it was still unsignalled. */
void igt_cpu_fence_signal(struct igt_cpu_fence *f);

/*
 * Signals the fence from a new thread @delay_ms from now (while this one
 * waits for it); igt_cpu_fence_join() waits for that thread.
 */
void igt_cpu_fence_signal_later(struct igt_cpu_fence *f, unsigned int delay_ms);
void igt_cpu_fence_join(struct igt_cpu_fence *f);

/*
 * Signals the fence unless igt_cpu_fence_signal() did (another process,
 * or vgem's timeout, may have: that is not an error here), so nothing
 * waits for it any more, and closes everything. Safe on a zeroed struct
 * and when called twice.
 */
void igt_cpu_fence_fini(struct igt_cpu_fence *f);

#endif /* IGT_VGEM_H */
