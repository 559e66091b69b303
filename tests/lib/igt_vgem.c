// SPDX-License-Identifier: MIT
/*
 * igt_vgem.c - fences the test signals from the CPU, made with vgem
 * (igt_vgem.h).
 *
 * The ioctl argument layouts are vgem's uAPI (include/uapi/drm/vgem_drm.h,
 * not installed by Debian's libdrm-dev), declared here under their own
 * names.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "drmtest.h"
#include "igt_vgem.h"

struct vgem_fence_attach_args {
	uint32_t handle;
	uint32_t flags;		/* VGEM_FENCE_ATTACH_WRITE: an exclusive fence */
	uint32_t out_fence;
	uint32_t pad;
};

struct vgem_fence_signal_args {
	uint32_t fence;
	uint32_t flags;
};

#define VGEM_FENCE_ATTACH_WRITE		0x1
#define VGEM_IOCTL_FENCE_ATTACH_NR	0x1
#define VGEM_IOCTL_FENCE_SIGNAL_NR	0x2
#define VGEM_IOCTL_FENCE_ATTACH \
	DRM_IOWR(DRM_COMMAND_BASE + VGEM_IOCTL_FENCE_ATTACH_NR, struct vgem_fence_attach_args)
#define VGEM_IOCTL_FENCE_SIGNAL \
	DRM_IOW(DRM_COMMAND_BASE + VGEM_IOCTL_FENCE_SIGNAL_NR, struct vgem_fence_signal_args)

void igt_cpu_fence_init(struct igt_cpu_fence *f)
{
	/* the smallest dumb buffer: one 4 KiB row */
	struct drm_mode_create_dumb dumb = { .width = 1024, .height = 1, .bpp = 32 };
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1 };
	struct vgem_fence_attach_args attach = { .flags = VGEM_FENCE_ATTACH_WRITE };

	memset(f, 0, sizeof(*f));
	f->dmabuf = -1;
	f->vgem = drm_open_driver_primary(DRIVER_VGEM);
	do_ioctl(f->vgem, DRM_IOCTL_MODE_CREATE_DUMB, &dumb);
	f->bo = dumb.handle;
	attach.handle = f->bo;
	do_ioctl(f->vgem, VGEM_IOCTL_FENCE_ATTACH, &attach);
	f->fence = attach.out_fence;
	prime.handle = f->bo;
	do_ioctl(f->vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime);
	f->dmabuf = prime.fd;
}

int igt_cpu_fence_sync_file(struct igt_cpu_fence *f)
{
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_WRITE, .fd = -1 };

	igt_assert_eq(ioctl(f->dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp), 0);
	igt_assert_lte(0, exp.fd);
	return exp.fd;
}

uint32_t igt_cpu_fence_syncobj(struct igt_cpu_fence *f, int fd)
{
	int sync_file = igt_cpu_fence_sync_file(f);
	uint32_t handle;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &handle), 0);
	igt_assert_eq(drmSyncobjImportSyncFile(fd, handle, sync_file), 0);
	close(sync_file);
	return handle;
}

void igt_cpu_fence_signal(struct igt_cpu_fence *f)
{
	struct vgem_fence_signal_args sig = { .fence = f->fence };

	do_ioctl(f->vgem, VGEM_IOCTL_FENCE_SIGNAL, &sig);
	f->signaled = true;
}

static void *signal_thread(void *arg)
{
	struct igt_cpu_fence *f = arg;

	usleep(f->delay_ms * 1000);
	igt_cpu_fence_signal(f);
	return NULL;
}

void igt_cpu_fence_signal_later(struct igt_cpu_fence *f, unsigned int delay_ms)
{
	f->delay_ms = delay_ms;
	igt_assert_eq(pthread_create(&f->thread, NULL, signal_thread, f), 0);
}

void igt_cpu_fence_join(struct igt_cpu_fence *f)
{
	igt_assert_eq(pthread_join(f->thread, NULL), 0);
}

void igt_cpu_fence_fini(struct igt_cpu_fence *f)
{
	struct vgem_fence_signal_args sig = { .fence = f->fence };

	if (f->vgem <= 0)
		return;
	/* -ETIMEDOUT when it is signalled already */
	if (!f->signaled)
		ioctl(f->vgem, VGEM_IOCTL_FENCE_SIGNAL, &sig);
	if (f->dmabuf >= 0)
		close(f->dmabuf);
	drm_close_driver(f->vgem);
	memset(f, 0, sizeof(*f));
}
