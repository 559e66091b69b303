// SPDX-License-Identifier: MIT
/*
 * svmgpu_prime - sharing svmgpu buffer objects through dma-buf (PRIME),
 * with svmgpu itself and with vgem.
 *
 * Exports svmgpu BOs as dma-bufs and imports dma-bufs into svmgpu: with
 * itself (same handle, another file), with vgem in both directions with
 * contents checked on both sides, buffer lifetime past the handles and
 * files that made it, and the errors of invalid handles and file
 * descriptors.
 *
 *   vgem makes buffers only on its primary node (DRM_IOCTL_MODE_CREATE_DUMB
 *   is not a render ioctl) and, like every driver using the DRM core's
 *   drm_gem_dumb_map_offset(), refuses DRM_IOCTL_MODE_MAP_DUMB for an
 *   imported buffer; so an svmgpu BO imported into vgem is mapped through
 *   the dma-buf vgem exports for it again, which is the original dma-buf.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_svmgpu.h"
#include "svmgpu_drm.h"

IGT_TEST_DESCRIPTION("dma-buf sharing of svmgpu buffer objects, with itself and vgem.");

static size_t page_size;

/* Creates a vgem dumb buffer of @size bytes (a multiple of 4 KiB). */
static uint32_t vgem_create(int vgem, size_t size)
{
	struct drm_mode_create_dumb args = {
		.width = 1024, .height = size / 4096, .bpp = 32,
	};

	do_ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &args);
	igt_assert_eq_u64(args.size, size);
	return args.handle;
}

static uint32_t *vgem_mmap(int vgem, uint32_t handle, size_t size)
{
	struct drm_mode_map_dumb args = { .handle = handle };
	void *ptr;

	do_ioctl(vgem, DRM_IOCTL_MODE_MAP_DUMB, &args);
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vgem,
		   args.offset);
	igt_assert_f(ptr != MAP_FAILED, "mmap of vgem buffer %u: %s\n",
		     handle, strerror(errno));
	return ptr;
}

static int __prime_handle_to_fd(int fd, uint32_t handle, int *dmabuf)
{
	struct drm_prime_handle args = {
		.handle = handle, .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1,
	};

	if (igt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args))
		return -errno;
	*dmabuf = args.fd;
	return 0;
}

/* Exports a BO of any driver as a read-write dma-buf. */
static int prime_handle_to_fd(int fd, uint32_t handle)
{
	int dmabuf = -1;

	igt_assert_eq(__prime_handle_to_fd(fd, handle, &dmabuf), 0);
	igt_assert_lte(0, dmabuf);
	return dmabuf;
}

static uint32_t prime_fd_to_handle(int fd, int dmabuf)
{
	struct drm_prime_handle args = { .fd = dmabuf };

	do_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args);
	igt_assert_neq_u32(args.handle, 0);
	return args.handle;
}

/* Maps a dma-buf; CPU access is bracketed with dmabuf_sync(). */
static uint32_t *dmabuf_mmap(int dmabuf, size_t size)
{
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 dmabuf, 0);

	igt_assert_f(ptr != MAP_FAILED, "mmap of dma-buf: %s\n",
		     strerror(errno));
	return ptr;
}

static void dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync args = { .flags = flags | DMA_BUF_SYNC_RW };

	do_ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &args);
}

static size_t dmabuf_size(int dmabuf)
{
	off_t size = lseek(dmabuf, 0, SEEK_END);

	igt_assert_lte(0, size);
	return size;
}

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	igt_assert_eq(fstat(a, &sa), 0);
	igt_assert_eq(fstat(b, &sb), 0);
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static uint32_t pattern(uint32_t seed, size_t i)
{
	return seed ^ (uint32_t)(i * 0x9e3779b1u);
}

static void fill(uint32_t *ptr, size_t size, uint32_t seed)
{
	for (size_t i = 0; i < size / 4; i++)
		ptr[i] = pattern(seed, i);
}

static void check(const uint32_t *ptr, size_t size, uint32_t seed)
{
	for (size_t i = 0; i < size / 4; i++)
		igt_assert_f(ptr[i] == pattern(seed, i),
			     "word %zu: %#x, expected %#x\n", i, ptr[i],
			     pattern(seed, i));
}

static void test_export_mmap(int fd)
{
	const size_t size = 8 * page_size;
	uint32_t handle = igt_svmgpu_bo_create(fd, size);
	uint32_t *bo = igt_svmgpu_bo_mmap(fd, handle, size);
	int dmabuf = prime_handle_to_fd(fd, handle);
	uint32_t *buf;

	igt_assert_eq(dmabuf_size(dmabuf), size);
	buf = dmabuf_mmap(dmabuf, size);
	fill(bo, size, 0x1111);
	dmabuf_sync(dmabuf, DMA_BUF_SYNC_START);
	check(buf, size, 0x1111);
	fill(buf, size, 0x2222);
	dmabuf_sync(dmabuf, DMA_BUF_SYNC_END);
	check(bo, size, 0x2222);

	munmap(buf, size);
	munmap(bo, size);
	close(dmabuf);
	igt_svmgpu_bo_close(fd, handle);
}

static void test_export_lifetime(void)
{
	const size_t size = 4 * page_size;
	int fd = drm_open_driver_render(DRIVER_SVMGPU);
	uint32_t handle = igt_svmgpu_bo_create(fd, size);
	uint32_t *bo = igt_svmgpu_bo_mmap(fd, handle, size);
	int dmabuf = prime_handle_to_fd(fd, handle);
	uint32_t *buf;

	fill(bo, size, 0x3333);
	munmap(bo, size);
	igt_svmgpu_bo_close(fd, handle);
	drm_close_driver(fd);

	buf = dmabuf_mmap(dmabuf, size);
	dmabuf_sync(dmabuf, DMA_BUF_SYNC_START);
	check(buf, size, 0x3333);
	dmabuf_sync(dmabuf, DMA_BUF_SYNC_END);
	munmap(buf, size);
	close(dmabuf);
}

static void test_self_import(int fd)
{
	uint32_t handle = igt_svmgpu_bo_create(fd, page_size);
	int dmabuf = prime_handle_to_fd(fd, handle);
	int again;

	igt_assert_eq_u32(prime_fd_to_handle(fd, dmabuf), handle);
	igt_assert_eq_u32(prime_fd_to_handle(fd, dmabuf), handle);

	/* Exporting again gives the same dma-buf. */
	again = prime_handle_to_fd(fd, handle);
	igt_assert(same_file(again, dmabuf));
	igt_assert_eq_u32(prime_fd_to_handle(fd, again), handle);

	close(again);
	close(dmabuf);
	igt_svmgpu_bo_close(fd, handle);
}

static void test_import_other_file(int fd)
{
	const size_t size = 4 * page_size;
	int other = drm_open_driver_render(DRIVER_SVMGPU);
	uint32_t handle = igt_svmgpu_bo_create(fd, size);
	int dmabuf = prime_handle_to_fd(fd, handle);
	uint32_t imported = prime_fd_to_handle(other, dmabuf);
	uint32_t *a = igt_svmgpu_bo_mmap(fd, handle, size);
	uint32_t *b = igt_svmgpu_bo_mmap(other, imported, size);

	fill(a, size, 0x4444);
	check(b, size, 0x4444);
	fill(b, size, 0x5555);
	check(a, size, 0x5555);
	munmap(a, size);
	close(dmabuf);

	/* The other file's handle holds the BO on its own. */
	igt_svmgpu_bo_close(fd, handle);
	check(b, size, 0x5555);
	munmap(b, size);
	igt_svmgpu_bo_close(other, imported);
	drm_close_driver(other);
}

static void test_export_invalid_handle(int fd)
{
	uint32_t closed = igt_svmgpu_bo_create(fd, page_size);
	const uint32_t handles[] = { 0, closed, UINT32_MAX };

	igt_svmgpu_bo_close(fd, closed);
	for (unsigned int i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
		struct drm_prime_handle args = {
			.handle = handles[i], .flags = DRM_CLOEXEC, .fd = -1,
		};

		do_ioctl_err(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args, ENOENT);
		igt_assert_eq(args.fd, -1);
	}
}

static void test_import_invalid_not_dmabuf(int fd)
{
	int pipes[2], null, memfd;

	igt_assert_eq(pipe(pipes), 0);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	igt_assert_lte(0, null);
	memfd = memfd_create("svmgpu_prime", MFD_CLOEXEC);
	igt_assert_lte(0, memfd);
	igt_assert_eq(ftruncate(memfd, page_size), 0);

	/* A DRM file, a pipe, a device file, a shmem file. */
	{
		const int fds[] = { fd, pipes[0], null, memfd };

		for (unsigned int i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
			struct drm_prime_handle args = { .fd = fds[i] };

			do_ioctl_err(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args,
				     EINVAL);
			igt_assert_eq_u32(args.handle, 0);
		}
	}
	close(memfd);
	close(null);
	close(pipes[0]);
	close(pipes[1]);
}

static void test_import_invalid_fd(int fd)
{
	int closed = dup(fd);
	const int fds[] = { -1, closed };

	igt_assert_lte(0, closed);
	close(closed);
	for (unsigned int i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		struct drm_prime_handle args = { .fd = fds[i] };

		do_ioctl_err(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args, EBADF);
	}
}

static void test_svmgpu_to_vgem(int fd, int vgem)
{
	const size_t size = 16 * page_size;
	uint32_t handle = igt_svmgpu_bo_create(fd, size);
	uint32_t *bo = igt_svmgpu_bo_mmap(fd, handle, size);
	int dmabuf = prime_handle_to_fd(fd, handle);
	uint32_t vgem_handle = prime_fd_to_handle(vgem, dmabuf);
	int vgem_dmabuf;
	uint32_t *buf;

	fill(bo, size, 0x6666);

	/* vgem hands its imported buffer out as the same dma-buf. */
	vgem_dmabuf = prime_handle_to_fd(vgem, vgem_handle);
	igt_assert(same_file(vgem_dmabuf, dmabuf));
	close(dmabuf);

	buf = dmabuf_mmap(vgem_dmabuf, size);
	dmabuf_sync(vgem_dmabuf, DMA_BUF_SYNC_START);
	check(buf, size, 0x6666);
	fill(buf, size, 0x7777);
	dmabuf_sync(vgem_dmabuf, DMA_BUF_SYNC_END);
	check(bo, size, 0x7777);

	/* vgem's handle keeps the BO alive without svmgpu's. */
	munmap(bo, size);
	igt_svmgpu_bo_close(fd, handle);
	dmabuf_sync(vgem_dmabuf, DMA_BUF_SYNC_START);
	check(buf, size, 0x7777);
	dmabuf_sync(vgem_dmabuf, DMA_BUF_SYNC_END);

	munmap(buf, size);
	close(vgem_dmabuf);
	igt_svmgpu_bo_close(vgem, vgem_handle);
}

static void test_vgem_to_svmgpu(int fd, int vgem)
{
	const size_t size = 16 * 4096;
	uint32_t vgem_handle = vgem_create(vgem, size);
	uint32_t *buf = vgem_mmap(vgem, vgem_handle, size);
	int dmabuf, again;
	uint32_t handle;
	uint32_t *bo;

	fill(buf, size, 0x8888);
	dmabuf = prime_handle_to_fd(vgem, vgem_handle);
	igt_assert_eq(dmabuf_size(dmabuf), size);
	handle = prime_fd_to_handle(fd, dmabuf);

	/* Importing again finds the same BO. */
	igt_assert_eq_u32(prime_fd_to_handle(fd, dmabuf), handle);
	/* Exporting the imported BO gives back vgem's dma-buf. */
	again = prime_handle_to_fd(fd, handle);
	igt_assert(same_file(again, dmabuf));
	close(again);

	bo = igt_svmgpu_bo_mmap(fd, handle, size);
	check(bo, size, 0x8888);
	fill(bo, size, 0x9999);
	check(buf, size, 0x9999);

	munmap(bo, size);
	munmap(buf, size);
	close(dmabuf);
	igt_svmgpu_bo_close(fd, handle);
	igt_svmgpu_bo_close(vgem, vgem_handle);
}

static void test_vgem_to_svmgpu_lifetime(int fd)
{
	const size_t size = 8 * 4096;
	int vgem = drm_open_driver_primary(DRIVER_VGEM);
	uint32_t vgem_handle = vgem_create(vgem, size);
	uint32_t *buf = vgem_mmap(vgem, vgem_handle, size);
	int dmabuf = prime_handle_to_fd(vgem, vgem_handle);
	uint32_t handle = prime_fd_to_handle(fd, dmabuf);
	uint32_t *bo;

	fill(buf, size, 0xaaaa);
	munmap(buf, size);
	close(dmabuf);
	igt_svmgpu_bo_close(vgem, vgem_handle);
	drm_close_driver(vgem);

	bo = igt_svmgpu_bo_mmap(fd, handle, size);
	check(bo, size, 0xaaaa);
	fill(bo, size, 0xbbbb);
	check(bo, size, 0xbbbb);
	igt_svmgpu_bo_close(fd, handle);
	/* The mapping outlives the handle, too. */
	check(bo, size, 0xbbbb);
	munmap(bo, size);
}

igt_main
{
	int fd = -1;

	igt_fixture {
		page_size = sysconf(_SC_PAGESIZE);
		fd = drm_open_driver_render(DRIVER_SVMGPU);
	}

	igt_describe("The dma-buf of a BO maps the BO's memory.");
	igt_subtest("export-mmap")
		test_export_mmap(fd);

	igt_describe("A dma-buf keeps its BO alive after the handle and the "
		     "file that created it are closed.");
	igt_subtest("export-lifetime")
		test_export_lifetime();

	igt_describe("Importing a dma-buf into the file that exported it gives "
		     "back the same handle, every time.");
	igt_subtest("self-import")
		test_self_import(fd);

	igt_describe("Another svmgpu file imports the dma-buf as its own "
		     "handle to the same memory.");
	igt_subtest("import-other-file")
		test_import_other_file(fd);

	igt_describe("Exporting a handle that names no BO fails with ENOENT.");
	igt_subtest("export-invalid-handle")
		test_export_invalid_handle(fd);

	igt_describe("Importing a file descriptor that is not a dma-buf fails "
		     "with EINVAL.");
	igt_subtest("import-invalid-not-dmabuf")
		test_import_invalid_not_dmabuf(fd);

	igt_describe("Importing a closed file descriptor fails with EBADF.");
	igt_subtest("import-invalid-fd")
		test_import_invalid_fd(fd);

	igt_subtest_group {
		int vgem = -1;

		igt_fixture
			vgem = drm_open_driver_primary(DRIVER_VGEM);

		igt_describe("vgem imports an svmgpu BO and shares its memory "
			     "both ways.");
		igt_subtest("svmgpu-to-vgem")
			test_svmgpu_to_vgem(fd, vgem);

		igt_describe("svmgpu imports a vgem buffer, maps it through "
			     "MMAP_OFFSET and shares its memory both ways.");
		igt_subtest("vgem-to-svmgpu")
			test_vgem_to_svmgpu(fd, vgem);

		igt_describe("An imported BO keeps the vgem buffer alive after "
			     "vgem's handle, file and the dma-buf are closed.");
		igt_subtest("vgem-to-svmgpu-lifetime")
			test_vgem_to_svmgpu_lifetime(fd);

		igt_fixture
			drm_close_driver(vgem);
	}

	igt_fixture
		drm_close_driver(fd);
}
