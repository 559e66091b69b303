// SPDX-License-Identifier: MIT
/*
 * svmgpu_gem - buffer objects of svmgpu: DRM_IOCTL_SVMGPU_GEM_CREATE,
 * DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, CPU mappings and DRM_IOCTL_GEM_CLOSE.
 *
 * Creates, maps and closes shmem buffer objects: sizes and their
 * rounding, memory allocated only on first use, contents shared by
 * every mapping and kept across remapping, zeroed new memory, lifetime
 * past GEM_CLOSE and past the file, and the error of every invalid
 * argument.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"
#include "svmgpu_drm.h"

IGT_TEST_DESCRIPTION("Creation, CPU mapping and closing of svmgpu buffer objects.");

#define SZ_1M	(1ull << 20)
#define SZ_1G	(1ull << 30)

static size_t page_size;

static int __gem_create(int fd, struct drm_svmgpu_gem_create *args)
{
	if (igt_ioctl(fd, DRM_IOCTL_SVMGPU_GEM_CREATE, args))
		return -errno;
	return 0;
}

/* Creates a BO of @size bytes; returns its handle. */
static uint32_t gem_create(int fd, uint64_t size)
{
	struct drm_svmgpu_gem_create args = { .size = size };

	igt_assert_eq(__gem_create(fd, &args), 0);
	igt_assert_neq_u32(args.handle, 0);
	return args.handle;
}

static int __gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	if (igt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args))
		return -errno;
	return 0;
}

static void gem_close(int fd, uint32_t handle)
{
	igt_assert_eq(__gem_close(fd, handle), 0);
}

static uint64_t gem_mmap_offset(int fd, uint32_t handle)
{
	struct drm_svmgpu_gem_mmap_offset args = { .handle = handle };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, &args);
	return args.offset;
}

/* Maps @size bytes of a BO; MAP_FAILED with errno on failure. */
static void *__gem_mmap(int fd, uint32_t handle, size_t size, int flags)
{
	return mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd,
		    gem_mmap_offset(fd, handle));
}

static uint32_t *gem_mmap(int fd, uint32_t handle, size_t size)
{
	void *ptr = __gem_mmap(fd, handle, size, MAP_SHARED);

	igt_assert_f(ptr != MAP_FAILED, "mmap of BO %u: %s\n", handle,
		     strerror(errno));
	return ptr;
}

static void gem_munmap(void *ptr, size_t size)
{
	igt_assert_eq(munmap(ptr, size), 0);
}

/* The word a pattern with @seed has at index @i. */
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

static void check_zero(const uint32_t *ptr, size_t size)
{
	for (size_t i = 0; i < size / 4; i++)
		igt_assert_f(ptr[i] == 0, "word %zu: %#x, expected 0\n", i,
			     ptr[i]);
}

static uint64_t total_ram(void)
{
	struct sysinfo info;

	igt_assert_eq(sysinfo(&info), 0);
	return (uint64_t)info.totalram * info.mem_unit;
}

static void test_create_close(int fd)
{
	uint32_t handle = gem_create(fd, page_size);

	gem_close(fd, handle);
}

static void test_create_sizes(int fd)
{
	const struct {
		uint64_t size, rounded;
	} sizes[] = {
		{ 1, page_size },
		{ page_size - 1, page_size },
		{ page_size, page_size },
		{ page_size + 1, 2 * page_size },
		{ 12345, (12345 + page_size - 1) / page_size * page_size },
		{ 3 * page_size, 3 * page_size },
		{ SZ_1M + 7, SZ_1M + page_size },
		{ 2 * SZ_1M - 1, 2 * SZ_1M },
	};

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct drm_svmgpu_gem_create args = { .size = sizes[i].size };

		igt_debug("size %#llx\n", (unsigned long long)sizes[i].size);
		igt_assert_eq(__gem_create(fd, &args), 0);
		igt_assert_neq_u32(args.handle, 0);
		igt_assert_eq_u64(args.size, sizes[i].rounded);
		gem_close(fd, args.handle);
	}
}

static void test_create_sparse(int fd)
{
	unsigned int count = total_ram() / SZ_1G + 2;
	uint32_t handles[64];
	unsigned int i;

	igt_require(count <= sizeof(handles) / sizeof(handles[0]));
	igt_debug("%u BOs of 1 GiB, %llu MiB of RAM\n", count,
		  (unsigned long long)(total_ram() / SZ_1M));
	for (i = 0; i < count; i++) {
		struct drm_svmgpu_gem_create args = { .size = SZ_1G };

		igt_assert_eq(__gem_create(fd, &args), 0);
		igt_assert_eq_u64(args.size, SZ_1G);
		handles[i] = args.handle;
	}
	for (i = 0; i < count; i++)
		gem_close(fd, handles[i]);
}

static void test_create_invalid_size(int fd)
{
	const uint64_t sizes[] = {
		0,
		DRM_SVMGPU_GEM_MAX_SIZE + 1,
		DRM_SVMGPU_GEM_MAX_SIZE + page_size,
		DRM_SVMGPU_GEM_MAX_SIZE * 2,
		1ull << 63,
		/* These overflow when rounded up to a page. */
		UINT64_MAX - page_size + 2,
		UINT64_MAX,
	};

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct drm_svmgpu_gem_create args = {
			.size = sizes[i], .handle = 0xdeadbeef,
		};

		igt_debug("size %#llx\n", (unsigned long long)sizes[i]);
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_GEM_CREATE, &args, EINVAL);
		igt_assert_eq_u64(args.size, sizes[i]);
		igt_assert_eq_u32(args.handle, 0xdeadbeef);
	}
}

static void test_create_invalid_flags(int fd)
{
	for (unsigned int bit = 0; bit < 32; bit++) {
		struct drm_svmgpu_gem_create args = {
			.size = page_size, .flags = 1u << bit,
			.handle = 0xdeadbeef,
		};

		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_GEM_CREATE, &args, EINVAL);
		igt_assert_eq_u64(args.size, page_size);
		igt_assert_eq_u32(args.handle, 0xdeadbeef);
	}
}

static void test_create_invalid_extensions(int fd)
{
	struct drm_svmgpu_ext_header ext = { .name = 1 };
	const uint64_t chains[] = {
		(uintptr_t)&ext, 1, UINT64_MAX,
	};

	for (unsigned int i = 0; i < sizeof(chains) / sizeof(chains[0]); i++) {
		struct drm_svmgpu_gem_create args = {
			.size = page_size, .extensions = chains[i],
			.handle = 0xdeadbeef,
		};

		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_GEM_CREATE, &args, EINVAL);
		igt_assert_eq_u32(args.handle, 0xdeadbeef);
	}
}

static void test_mmap_offset(int fd)
{
	uint32_t a = gem_create(fd, page_size);
	uint32_t b = gem_create(fd, 2 * page_size);
	uint64_t offset = gem_mmap_offset(fd, a);

	igt_assert_neq_u64(offset, 0);
	igt_assert_eq_u64(offset % page_size, 0);
	igt_assert_eq_u64(gem_mmap_offset(fd, a), offset);
	igt_assert_neq_u64(gem_mmap_offset(fd, b), offset);
	gem_close(fd, a);
	gem_close(fd, b);
}

static void test_mmap_offset_invalid_handle(int fd)
{
	uint32_t closed = gem_create(fd, page_size);
	const uint32_t handles[] = { 0, closed, closed + 1000, UINT32_MAX };

	gem_close(fd, closed);
	for (unsigned int i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
		struct drm_svmgpu_gem_mmap_offset args = {
			.handle = handles[i], .offset = 0x1234,
		};

		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, &args, ENOENT);
		igt_assert_eq_u64(args.offset, 0x1234);
	}
}

static void test_mmap_offset_invalid_flags(int fd)
{
	uint32_t handle = gem_create(fd, page_size);

	for (unsigned int bit = 0; bit < 32; bit++) {
		struct drm_svmgpu_gem_mmap_offset args = {
			.handle = handle, .flags = 1u << bit, .offset = 0x1234,
		};

		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, &args, EINVAL);
		igt_assert_eq_u64(args.offset, 0x1234);
	}
	gem_close(fd, handle);
}

static void test_mmap_zero(int fd)
{
	const size_t size = 64 * page_size;

	/* Each round dirties its BO; the next one must not see it. */
	for (unsigned int round = 0; round < 8; round++) {
		uint32_t handle = gem_create(fd, size);
		uint32_t *ptr = gem_mmap(fd, handle, size);

		check_zero(ptr, size);
		fill(ptr, size, 0xa5a50000 + round);
		gem_munmap(ptr, size);
		gem_close(fd, handle);
	}
}

static void test_mmap_coherent(int fd)
{
	const size_t size = 16 * page_size;
	uint32_t handle = gem_create(fd, size);
	uint32_t *a = gem_mmap(fd, handle, size);
	uint32_t *b = gem_mmap(fd, handle, size);

	igt_assert(a != b);
	fill(a, size, 0x1234);
	check(b, size, 0x1234);
	fill(b, size, 0x5678);
	check(a, size, 0x5678);
	gem_munmap(a, size);
	gem_munmap(b, size);
	gem_close(fd, handle);
}

static void test_mmap_remap(int fd)
{
	const size_t size = 16 * page_size;
	uint32_t handle = gem_create(fd, size);
	uint32_t *ptr = gem_mmap(fd, handle, size);

	fill(ptr, size, 0xc0ffee);
	gem_munmap(ptr, size);
	ptr = gem_mmap(fd, handle, size);
	check(ptr, size, 0xc0ffee);
	gem_munmap(ptr, size);
	gem_close(fd, handle);
}

static void test_mmap_after_close(int fd)
{
	const size_t size = 4 * page_size;
	uint32_t handle = gem_create(fd, size);
	uint32_t *a = gem_mmap(fd, handle, size);
	uint32_t *b = gem_mmap(fd, handle, size);

	fill(a, size, 0xfeed);
	gem_close(fd, handle);
	check(a, size, 0xfeed);
	fill(b, size, 0xbeef);
	check(a, size, 0xbeef);
	gem_munmap(a, size);
	gem_munmap(b, size);
}

static void test_mmap_partial(int fd)
{
	const size_t size = 8 * page_size;
	uint32_t handle = gem_create(fd, size);
	uint32_t *all = gem_mmap(fd, handle, size);
	uint32_t *first;

	fill(all, size, 0x600d);
	first = gem_mmap(fd, handle, 2 * page_size);
	check(first, 2 * page_size, 0x600d);
	gem_munmap(first, 2 * page_size);
	gem_munmap(all, size);
	gem_close(fd, handle);
}

static void test_mmap_invalid_private(int fd)
{
	uint32_t handle = gem_create(fd, page_size);

	igt_assert(__gem_mmap(fd, handle, page_size, MAP_PRIVATE) == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);
	gem_close(fd, handle);
}

static void test_mmap_invalid_length(int fd)
{
	uint32_t handle = gem_create(fd, 2 * page_size);

	igt_assert(__gem_mmap(fd, handle, 3 * page_size, MAP_SHARED) == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);
	gem_close(fd, handle);
}

static void test_mmap_invalid_offset(int fd)
{
	uint32_t handle = gem_create(fd, 2 * page_size);
	uint64_t offset = gem_mmap_offset(fd, handle);

	igt_assert(mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			fd, offset + page_size) == MAP_FAILED);
	igt_assert_eq(errno, EINVAL);
	gem_close(fd, handle);
}

static void test_mmap_invalid_file(int fd)
{
	uint32_t handle = gem_create(fd, page_size);
	uint64_t offset = gem_mmap_offset(fd, handle);
	int other = drm_open_driver_render(DRIVER_SVMGPU);

	igt_assert(mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			other, offset) == MAP_FAILED);
	igt_assert_eq(errno, EACCES);
	drm_close_driver(other);
	gem_close(fd, handle);
}

static void test_mmap_larger_than_ram(int fd)
{
	const uint64_t size = DRM_SVMGPU_GEM_MAX_SIZE / 2;
	uint32_t handle;

	igt_require(total_ram() < size);
	handle = gem_create(fd, size);
	igt_assert(__gem_mmap(fd, handle, page_size, MAP_SHARED) == MAP_FAILED);
	igt_assert_eq(errno, ENOMEM);
	gem_close(fd, handle);
}

static void test_close_invalid_handle(int fd)
{
	uint32_t closed = gem_create(fd, page_size);
	const uint32_t handles[] = { 0, closed, closed + 1000, UINT32_MAX };

	gem_close(fd, closed);
	for (unsigned int i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
		struct drm_gem_close args = { .handle = handles[i] };

		do_ioctl_err(fd, DRM_IOCTL_GEM_CLOSE, &args, EINVAL);
	}
}

#define MANY_BOS 512

static void test_many_bos(int fd)
{
	static uint32_t handles[MANY_BOS];
	static uint32_t *ptrs[MANY_BOS];
	unsigned int i, j;

	for (i = 0; i < MANY_BOS; i++) {
		handles[i] = gem_create(fd, page_size);
		for (j = 0; j < i; j++)
			igt_assert_neq_u32(handles[j], handles[i]);
		ptrs[i] = gem_mmap(fd, handles[i], page_size);
		fill(ptrs[i], page_size, i);
	}
	for (i = 0; i < MANY_BOS; i++) {
		check(ptrs[i], page_size, i);
		gem_munmap(ptrs[i], page_size);
		gem_close(fd, handles[i]);
	}
}

static void test_close_fd_with_bos(void)
{
	const size_t size = 4 * page_size;
	uint32_t *ptrs[8];
	int fd = drm_open_driver_render(DRIVER_SVMGPU);
	unsigned int i;

	/* Eight mapped BOs and eight only created; none closed. */
	for (i = 0; i < 8; i++) {
		ptrs[i] = gem_mmap(fd, gem_create(fd, size), size);
		fill(ptrs[i], size, 0x100 + i);
		gem_create(fd, size);
	}
	drm_close_driver(fd);

	/* The mappings keep their BOs until munmap frees them. */
	for (i = 0; i < 8; i++) {
		check(ptrs[i], size, 0x100 + i);
		gem_munmap(ptrs[i], size);
	}
}

igt_main
{
	int fd = -1;

	igt_fixture {
		page_size = sysconf(_SC_PAGESIZE);
		fd = drm_open_driver_render(DRIVER_SVMGPU);
	}

	igt_describe("A BO is created with a non-zero handle and closed once.");
	igt_subtest("create-close")
		test_create_close(fd);

	igt_describe("Sizes are rounded up to a page and the rounded size is "
		     "written back.");
	igt_subtest("create-sizes")
		test_create_sizes(fd);

	igt_describe("BOs together larger than RAM can be created: creating "
		     "one allocates none of its memory.");
	igt_subtest("create-sparse")
		test_create_sparse(fd);

	igt_describe("Size 0, sizes above DRM_SVMGPU_GEM_MAX_SIZE and sizes "
		     "that overflow when rounded up fail with EINVAL and change "
		     "nothing.");
	igt_subtest("create-invalid-size")
		test_create_invalid_size(fd);

	igt_describe("Each flag bit fails with EINVAL and changes nothing.");
	igt_subtest("create-invalid-flags")
		test_create_invalid_flags(fd);

	igt_describe("A non-zero extension chain fails with EINVAL.");
	igt_subtest("create-invalid-extensions")
		test_create_invalid_extensions(fd);

	igt_describe("MMAP_OFFSET gives a page-aligned offset, the same for a "
		     "BO every time and different for different BOs.");
	igt_subtest("mmap-offset")
		test_mmap_offset(fd);

	igt_describe("MMAP_OFFSET of a handle that names no BO fails with "
		     "ENOENT.");
	igt_subtest("mmap-offset-invalid-handle")
		test_mmap_offset_invalid_handle(fd);

	igt_describe("MMAP_OFFSET with any flag bit fails with EINVAL.");
	igt_subtest("mmap-offset-invalid-flags")
		test_mmap_offset_invalid_flags(fd);

	igt_describe("The memory of new BOs reads zero, also when it reuses "
		     "memory a closed BO dirtied.");
	igt_subtest("mmap-zero")
		test_mmap_zero(fd);

	igt_describe("What one mapping writes, a second mapping of the BO "
		     "reads.");
	igt_subtest("mmap-coherent")
		test_mmap_coherent(fd);

	igt_describe("Contents survive munmap and a new mapping.");
	igt_subtest("mmap-remap")
		test_mmap_remap(fd);

	igt_describe("A mapping keeps its BO alive after GEM_CLOSE.");
	igt_subtest("mmap-after-close")
		test_mmap_after_close(fd);

	igt_describe("A mapping shorter than the BO maps its first pages.");
	igt_subtest("mmap-partial")
		test_mmap_partial(fd);

	igt_describe("A private (copy-on-write) mapping fails with EINVAL.");
	igt_subtest("mmap-invalid-private")
		test_mmap_invalid_private(fd);

	igt_describe("A mapping longer than the BO fails with EINVAL.");
	igt_subtest("mmap-invalid-length")
		test_mmap_invalid_length(fd);

	igt_describe("An offset inside the BO instead of its start fails with "
		     "EINVAL.");
	igt_subtest("mmap-invalid-offset")
		test_mmap_invalid_offset(fd);

	igt_describe("Another file without a handle to the BO cannot map it "
		     "(EACCES).");
	igt_subtest("mmap-invalid-file")
		test_mmap_invalid_file(fd);

	igt_describe("A BO larger than RAM is created, but mapping it fails "
		     "cleanly with ENOMEM.");
	igt_subtest("mmap-larger-than-ram")
		test_mmap_larger_than_ram(fd);

	igt_describe("GEM_CLOSE of a handle that names no BO, or was closed "
		     "already, fails with EINVAL.");
	igt_subtest("close-invalid-handle")
		test_close_invalid_handle(fd);

	igt_describe("Hundreds of BOs live at once, each with its own handle "
		     "and memory.");
	igt_subtest("many-bos")
		test_many_bos(fd);

	igt_describe("Closing the file with BOs alive, mapped and unmapped, "
		     "frees them; the mappings stay valid until unmapped.");
	igt_subtest("close-fd-with-bos")
		test_close_fd_with_bos();

	igt_fixture
		drm_close_driver(fd);
}
