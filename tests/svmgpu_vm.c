// SPDX-License-Identifier: MIT
/*
 * svmgpu_vm - VM creation and destruction, VM_BIND map/unmap/split, and
 * every VM ioctl's bad arguments.
 *
 * TEST: svmgpu vm
 * Description: Creates and destroys VMs and binds BO ranges into them.
 *   The mappings and page tables a VM holds are read back from the
 *   device's debugfs "vms" file, which prints them per VM.
 *
 * SUBTEST: create-destroy
 * Description: VMs get distinct ids per file; destroyed ids are gone.
 *
 * SUBTEST: create-bad
 * Description: Non-zero flags or extensions fail with EINVAL.
 *
 * SUBTEST: destroy-bad
 * Description: Non-zero pad fails with EINVAL, unknown ids with ENOENT.
 *
 * SUBTEST: ids-per-file
 * Description: Two files number their VMs independently and cannot use
 *   each other's.
 *
 * SUBTEST: bind-map-unmap
 * Description: MAP creates the mapping and its 4 KiB leaves; UNMAP
 *   removes them and frees the page tables.
 *
 * SUBTEST: bind-read-only
 * Description: READ_ONLY maps without write access.
 *
 * SUBTEST: bind-split
 * Description: Unmapping the middle of a mapping leaves its two ends with
 *   the right BO offsets.
 *
 * SUBTEST: bind-overlap
 * Description: Mapping over part of a mapping replaces that part.
 *
 * SUBTEST: bind-many-ops
 * Description: One VM_BIND with many operations applies them in order.
 *
 * SUBTEST: bind-stride
 * Description: A larger stride with zero padding works; a non-zero
 *   padding byte or a short stride fails with EINVAL.
 *
 * SUBTEST: bind-bad-%s
 * Description: Each invalid argument fails with its documented error and
 *   applies nothing, not even the valid operations before it.
 *
 * SUBTEST: close-with-mappings
 * Description: Closing a file with VMs and mappings releases everything.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"
#include "svmgpu_drm.h"

IGT_TEST_DESCRIPTION("VMs and VM_BIND of svmgpu.");

#define VA_BASE		(1ull << 32)
#define VA_LIMIT	((1ull << 48) - DRM_SVMGPU_VM_GUARD)

static uint32_t vm_create(int fd)
{
	struct drm_svmgpu_vm_create args = {};

	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_CREATE, &args);
	igt_assert_neq(args.vm_id, 0);
	return args.vm_id;
}

static int __vm_destroy(int fd, uint32_t id)
{
	struct drm_svmgpu_vm_destroy args = { .vm_id = id };

	return igt_ioctl(fd, DRM_IOCTL_SVMGPU_VM_DESTROY, &args) ? -errno : 0;
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	do_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

static uint32_t bo_create(int fd, uint64_t size)
{
	struct drm_svmgpu_gem_create args = { .size = size };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_GEM_CREATE, &args);
	return args.handle;
}

static struct drm_svmgpu_vm_bind_op map_op(uint32_t handle, uint64_t offset,
					   uint64_t va, uint64_t size)
{
	return (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP, .handle = handle,
		.bo_offset = offset, .va = va, .size = size,
	};
}

static struct drm_svmgpu_vm_bind_op unmap_op(uint64_t va, uint64_t size)
{
	return (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_UNMAP, .va = va, .size = size,
	};
}

static int __vm_bind(int fd, uint32_t vm, struct drm_svmgpu_vm_bind_op *ops,
		     uint32_t count)
{
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.ops = { .stride = sizeof(*ops), .count = count,
			 .array = (uintptr_t)ops },
	};

	return igt_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args) ? -errno : 0;
}

static void vm_bind(int fd, uint32_t vm, struct drm_svmgpu_vm_bind_op op)
{
	igt_assert_eq(__vm_bind(fd, vm, &op, 1), 0);
}

/* What debugfs says about one VM of this process. */
struct vm_state {
	bool found;
	uint64_t tables, leaves_4k, leaves_2m, leaves_1g;
	unsigned int count;
	struct {
		uint64_t start, end, offset;
		bool writable;
	} maps[512];
};

static void read_vm_state(int fd, uint32_t vm, struct vm_state *st)
{
	int dir = igt_debugfs_dir_for(fd);
	char line[256];
	bool mine = false;
	FILE *f;
	int file;

	memset(st, 0, sizeof(*st));
	file = openat(dir, "vms", O_RDONLY);
	igt_assert_f(file >= 0, "debugfs vms: %s\n", strerror(errno));
	f = fdopen(file, "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int id;
		int pid;

		if (sscanf(line, "vm %u pid %d:", &id, &pid) == 2) {
			mine = id == vm && pid == getpid();
			if (mine) {
				const char *p = strchr(line, ',');

				igt_assert(p);
				igt_assert_eq(sscanf(p, ", %" SCNu64 " tables, leaves 4K %" SCNu64
						     " 2M %" SCNu64 " 1G %" SCNu64,
						     &st->tables, &st->leaves_4k,
						     &st->leaves_2m, &st->leaves_1g), 4);
				st->found = true;
			}
		} else if (mine) {
			char access[4];

			igt_assert_lt(st->count, 512);
			igt_assert_eq(sscanf(line, " %" SCNx64 "-%" SCNx64 " +%" SCNx64 " %3s",
					     &st->maps[st->count].start,
					     &st->maps[st->count].end,
					     &st->maps[st->count].offset, access), 4);
			st->maps[st->count].writable = !strcmp(access, "rw");
			st->count++;
		}
	}
	fclose(f);
	close(dir);
	igt_assert_f(st->found, "vm %u of pid %d not in debugfs vms\n", vm, getpid());
}

static void assert_map(const struct vm_state *st, unsigned int i, uint64_t start,
		       uint64_t size, uint64_t offset, bool writable)
{
	igt_assert_lt(i, st->count);
	igt_assert_eq_u64(st->maps[i].start, start);
	igt_assert_eq_u64(st->maps[i].end, start + size);
	igt_assert_eq_u64(st->maps[i].offset, offset);
	igt_assert_eq(st->maps[i].writable, writable);
}

static void test_create_destroy(int fd)
{
	uint32_t ids[8];

	for (int i = 0; i < 8; i++) {
		ids[i] = vm_create(fd);
		for (int j = 0; j < i; j++)
			igt_assert_neq(ids[i], ids[j]);
	}
	for (int i = 0; i < 8; i++) {
		igt_assert_eq(__vm_destroy(fd, ids[i]), 0);
		igt_assert_eq(__vm_destroy(fd, ids[i]), -ENOENT);
	}
}

static void test_create_bad(int fd)
{
	for (int bit = 0; bit < 32; bit++) {
		struct drm_svmgpu_vm_create args = { .flags = 1u << bit };

		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_CREATE, &args, EINVAL);
	}
	{
		struct drm_svmgpu_vm_create args = { .extensions = 8 };

		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_CREATE, &args, EINVAL);
	}
}

static void test_destroy_bad(int fd)
{
	uint32_t vm = vm_create(fd);
	struct drm_svmgpu_vm_destroy args = { .vm_id = vm, .pad = 1 };

	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_DESTROY, &args, EINVAL);
	igt_assert_eq(__vm_destroy(fd, 0), -ENOENT);
	igt_assert_eq(__vm_destroy(fd, vm + 1000), -ENOENT);
	igt_assert_eq(__vm_destroy(fd, ~0u), -ENOENT);
	/* The failed calls changed nothing. */
	igt_assert_eq(__vm_destroy(fd, vm), 0);
}

static void test_ids_per_file(void)
{
	int a = drm_open_driver_render(DRIVER_SVMGPU);
	int b = drm_open_driver_render(DRIVER_SVMGPU);
	uint32_t va = vm_create(a), vb = vm_create(b);
	uint32_t bo = bo_create(b, 4096);

	igt_assert_eq(va, vb);	/* both files start at the same id */
	igt_assert_eq(__vm_destroy(a, va), 0);
	igt_assert_eq(__vm_destroy(a, va), -ENOENT);
	/* b's VM is untouched by a's destroy. */
	vm_bind(b, vb, map_op(bo, 0, VA_BASE, 4096));
	igt_assert_eq(__vm_destroy(b, vb), 0);
	drm_close_driver(a);
	drm_close_driver(b);
}

static void test_map_unmap(int fd)
{
	uint32_t vm = vm_create(fd), bo = bo_create(fd, 1 << 20);
	struct vm_state st;

	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 0);
	igt_assert_eq_u64(st.tables, 1);

	vm_bind(fd, vm, map_op(bo, 0, VA_BASE, 1 << 20));
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 1);
	assert_map(&st, 0, VA_BASE, 1 << 20, 0, true);
	igt_assert_eq_u64(st.leaves_4k + st.leaves_2m * 512, 256);
	igt_assert_eq_u64(st.tables, 4);

	vm_bind(fd, vm, unmap_op(VA_BASE, 1 << 20));
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 0);
	igt_assert_eq_u64(st.leaves_4k, 0);
	igt_assert_eq_u64(st.tables, 1);

	/* Unmapping nothing is fine. */
	vm_bind(fd, vm, unmap_op(VA_BASE, 1 << 20));
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	gem_close(fd, bo);
}

static void test_read_only(int fd)
{
	uint32_t vm = vm_create(fd), bo = bo_create(fd, 8192);
	struct drm_svmgpu_vm_bind_op op = map_op(bo, 0, VA_BASE, 8192);
	struct vm_state st;

	op.flags = DRM_SVMGPU_VM_BIND_OP_READ_ONLY;
	vm_bind(fd, vm, op);
	read_vm_state(fd, vm, &st);
	assert_map(&st, 0, VA_BASE, 8192, 0, false);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	gem_close(fd, bo);
}

static void test_split(int fd)
{
	uint32_t vm = vm_create(fd), bo = bo_create(fd, 1 << 20);
	struct vm_state st;

	vm_bind(fd, vm, map_op(bo, 0, VA_BASE, 1 << 20));
	vm_bind(fd, vm, unmap_op(VA_BASE + (256 << 10), 256 << 10));
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 2);
	assert_map(&st, 0, VA_BASE, 256 << 10, 0, true);
	assert_map(&st, 1, VA_BASE + (512 << 10), 512 << 10, 512 << 10, true);
	igt_assert_eq_u64(st.leaves_4k, 192);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	gem_close(fd, bo);
}

static void test_overlap(int fd)
{
	uint32_t vm = vm_create(fd);
	uint32_t a = bo_create(fd, 1 << 20), b = bo_create(fd, 1 << 20);
	struct drm_svmgpu_vm_bind_op op;
	struct vm_state st;

	vm_bind(fd, vm, map_op(a, 0, VA_BASE, 1 << 20));
	op = map_op(b, 64 << 10, VA_BASE + (256 << 10), 256 << 10);
	op.flags = DRM_SVMGPU_VM_BIND_OP_READ_ONLY;
	vm_bind(fd, vm, op);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 3);
	assert_map(&st, 0, VA_BASE, 256 << 10, 0, true);
	assert_map(&st, 1, VA_BASE + (256 << 10), 256 << 10, 64 << 10, false);
	assert_map(&st, 2, VA_BASE + (512 << 10), 512 << 10, 512 << 10, true);
	igt_assert_eq_u64(st.leaves_4k, 256);

	/* Closing the BOs keeps the mappings' pages alive until unmapped. */
	gem_close(fd, a);
	gem_close(fd, b);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 3);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
}

static void test_many_ops(int fd)
{
	struct drm_svmgpu_vm_bind_op ops[DRM_SVMGPU_VM_BIND_MAX_OPS];
	uint32_t vm = vm_create(fd), bo = bo_create(fd, 64 << 10);
	struct vm_state st;
	unsigned int n = DRM_SVMGPU_VM_BIND_MAX_OPS;

	/* Map 4 KiB pages at every other page, then unmap every fourth. */
	for (unsigned int i = 0; i < n; i++)
		ops[i] = map_op(bo, (i % 16) * 4096, VA_BASE + i * 8192, 4096);
	igt_assert_eq(__vm_bind(fd, vm, ops, n), 0);
	for (unsigned int i = 0; i < n / 2; i++)
		ops[i] = unmap_op(VA_BASE + i * 16384, 4096);
	igt_assert_eq(__vm_bind(fd, vm, ops, n / 2), 0);

	read_vm_state(fd, vm, &st);
	igt_assert_eq_u64(st.leaves_4k, n / 2);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	gem_close(fd, bo);
}

static void test_stride(int fd)
{
	uint32_t vm = vm_create(fd), bo = bo_create(fd, 4096);
	struct {
		struct drm_svmgpu_vm_bind_op op;
		uint64_t extra;
	} big = { .op = map_op(bo, 0, VA_BASE, 4096) };
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.ops = { .stride = sizeof(big), .count = 1,
			 .array = (uintptr_t)&big },
	};
	struct vm_state st;

	big.extra = 1;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args, EINVAL);
	args.ops.stride = sizeof(big.op) - 8;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args, EINVAL);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 0);

	big.extra = 0;
	args.ops.stride = sizeof(big);
	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 1);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	gem_close(fd, bo);
}

/*
 * The bad-argument cases. Each gets a fresh VM and a 64 KiB BO; the
 * failing call carries a valid MAP first and the bad operation second
 * (or is bad as a whole), and must leave the VM empty.
 */
struct bad_case {
	const char *name;
	int err;
	/* Breaks the call: args, ops[0] (valid), ops[1] (to break). */
	void (*breaks)(struct drm_svmgpu_vm_bind *args,
		       struct drm_svmgpu_vm_bind_op *op, uint32_t bo);
};

#define BAD(n, e, body) \
	static void bad_##n(struct drm_svmgpu_vm_bind *args, \
			    struct drm_svmgpu_vm_bind_op *op, uint32_t bo) \
	{ (void)args; (void)op; (void)bo; body; }

BAD(flags, EINVAL, args->flags = ~DRM_SVMGPU_VM_BIND_ASYNC)
BAD(extensions, EINVAL, args->extensions = 8)
BAD(count_zero, EINVAL, args->ops.count = 0)
BAD(count_max, EINVAL, args->ops.count = DRM_SVMGPU_VM_BIND_MAX_OPS + 1)
BAD(array_fault, EFAULT, args->ops.array = 8)
BAD(vm_id, ENOENT, args->vm_id += 1000)
BAD(op_type, EINVAL, op->op = 2)
BAD(op_flags, EINVAL, op->flags = 2)
BAD(op_pad, EINVAL, op->pad = 1)
BAD(va_misaligned, EINVAL, op->va += 512)
BAD(size_misaligned, EINVAL, op->size = 4095)
BAD(offset_misaligned, EINVAL, op->bo_offset = 100)
BAD(size_zero, EINVAL, op->size = 0)
BAD(va_guard_low, EINVAL, op->va = 0)
BAD(va_guard_high, EINVAL, op->va = VA_LIMIT - 4096; op->size = 8192)
BAD(va_overflow, EINVAL, op->va = ~0ull - 4095)
BAD(bo_range, EINVAL, op->bo_offset = 60 << 10; op->size = 8 << 10)
BAD(bo_offset_huge, EINVAL, op->bo_offset = ~0ull - 4095)
BAD(handle, ENOENT, op->handle = bo + 1000)
BAD(unmap_handle, EINVAL, *op = unmap_op(op->va, 4096); op->handle = bo)
BAD(unmap_offset, EINVAL, *op = unmap_op(op->va, 4096); op->bo_offset = 4096)
BAD(unmap_flags, EINVAL, *op = unmap_op(op->va, 4096);
    op->flags = DRM_SVMGPU_VM_BIND_OP_READ_ONLY)

/* Subtest names use '-' where the C names use '_'. */
static const char *dashed(const char *name)
{
	static char buf[64];
	unsigned int i;

	for (i = 0; name[i] && i < sizeof(buf) - 1; i++)
		buf[i] = name[i] == '_' ? '-' : name[i];
	buf[i] = '\0';
	return buf;
}

static const struct bad_case bad_cases[] = {
#define C(n, e) { #n, e, bad_##n }
	C(flags, EINVAL), C(extensions, EINVAL), C(count_zero, EINVAL),
	C(count_max, EINVAL), C(array_fault, EFAULT), C(vm_id, ENOENT),
	C(op_type, EINVAL), C(op_flags, EINVAL), C(op_pad, EINVAL),
	C(va_misaligned, EINVAL), C(size_misaligned, EINVAL),
	C(offset_misaligned, EINVAL), C(size_zero, EINVAL),
	C(va_guard_low, EINVAL), C(va_guard_high, EINVAL),
	C(va_overflow, EINVAL), C(bo_range, EINVAL), C(bo_offset_huge, EINVAL),
	C(handle, ENOENT), C(unmap_handle, EINVAL), C(unmap_offset, EINVAL),
	C(unmap_flags, EINVAL),
#undef C
};

static void test_bad(int fd, const struct bad_case *c)
{
	uint32_t vm = vm_create(fd), bo = bo_create(fd, 64 << 10);
	struct drm_svmgpu_vm_bind_op ops[DRM_SVMGPU_VM_BIND_MAX_OPS + 1] = {
		map_op(bo, 0, VA_BASE, 4096),
		map_op(bo, 4096, VA_BASE + (1 << 20), 4096),
	};
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.ops = { .stride = sizeof(ops[0]), .count = 2,
			 .array = (uintptr_t)ops },
	};
	struct vm_state st;

	/* The call is valid until broken. */
	c->breaks(&args, &ops[1], bo);
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args, c->err);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 0);
	igt_assert_eq_u64(st.leaves_4k, 0);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	gem_close(fd, bo);
}

static void test_close_with_mappings(void)
{
	int fd = drm_open_driver_render(DRIVER_SVMGPU);

	for (int i = 0; i < 4; i++) {
		uint32_t vm = vm_create(fd), bo = bo_create(fd, 256 << 10);

		vm_bind(fd, vm, map_op(bo, 0, VA_BASE, 256 << 10));
	}
	drm_close_driver(fd);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = drm_open_driver_render(DRIVER_SVMGPU);

	igt_describe("VMs get distinct ids per file; destroyed ids are gone.");
	igt_subtest("create-destroy")
		test_create_destroy(fd);

	igt_describe("Non-zero flags or extensions fail with EINVAL.");
	igt_subtest("create-bad")
		test_create_bad(fd);

	igt_describe("Non-zero pad fails with EINVAL, unknown ids with ENOENT.");
	igt_subtest("destroy-bad")
		test_destroy_bad(fd);

	igt_describe("Two files number their VMs independently and cannot use "
		     "each other's.");
	igt_subtest("ids-per-file")
		test_ids_per_file();

	igt_describe("MAP creates the mapping and its leaves; UNMAP removes "
		     "them and frees the page tables.");
	igt_subtest("bind-map-unmap")
		test_map_unmap(fd);

	igt_describe("READ_ONLY maps without write access.");
	igt_subtest("bind-read-only")
		test_read_only(fd);

	igt_describe("Unmapping the middle of a mapping leaves its two ends "
		     "with the right BO offsets.");
	igt_subtest("bind-split")
		test_split(fd);

	igt_describe("Mapping over part of a mapping replaces that part.");
	igt_subtest("bind-overlap")
		test_overlap(fd);

	igt_describe("One VM_BIND with many operations applies them in order.");
	igt_subtest("bind-many-ops")
		test_many_ops(fd);

	igt_describe("A larger stride with zero padding works; non-zero "
		     "padding or a short stride fails with EINVAL.");
	igt_subtest("bind-stride")
		test_stride(fd);

	for (unsigned int i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		igt_describe_f("VM_BIND with a bad %s fails with %s and applies "
			       "nothing.", dashed(bad_cases[i].name),
			       strerror(bad_cases[i].err));
		igt_subtest_f("bind-bad-%s", dashed(bad_cases[i].name))
			test_bad(fd, &bad_cases[i]);
	}

	igt_describe("Closing a file with VMs and mappings releases everything.");
	igt_subtest("close-with-mappings")
		test_close_with_mappings();

	igt_fixture
		drm_close_driver(fd);
}
