// SPDX-License-Identifier: MIT
/*
 * svmgpu_vm - VM creation and destruction, VM_BIND map/unmap/split, and
 * every VM ioctl's bad arguments.
 *
 * Creates and destroys VMs and binds BO ranges into them. The mappings
 * and page tables a VM holds are read back from the device's debugfs
 * "vms" file, which prints them per VM.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_svmgpu.h"
#include "igt_vgem.h"
#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"

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

static void vm_bind(int fd, uint32_t vm, struct drm_svmgpu_vm_bind_op op)
{
	igt_assert_eq(__igt_svmgpu_vm_bind(fd, vm, 0, &op, 1, NULL, 0), 0);
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

		if (args.flags == DRM_SVMGPU_VM_CREATE_FAULT_MODE)
			continue;
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
	uint32_t bo = igt_svmgpu_bo_create(b, 4096);

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
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, 1 << 20);
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
	igt_svmgpu_bo_close(fd, bo);
}

static void test_read_only(int fd)
{
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, 8192);
	struct drm_svmgpu_vm_bind_op op = map_op(bo, 0, VA_BASE, 8192);
	struct vm_state st;

	op.flags = DRM_SVMGPU_VM_BIND_OP_READ_ONLY;
	vm_bind(fd, vm, op);
	read_vm_state(fd, vm, &st);
	assert_map(&st, 0, VA_BASE, 8192, 0, false);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	igt_svmgpu_bo_close(fd, bo);
}

static void test_split(int fd)
{
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, 1 << 20);
	struct vm_state st;

	vm_bind(fd, vm, map_op(bo, 0, VA_BASE, 1 << 20));
	vm_bind(fd, vm, unmap_op(VA_BASE + (256 << 10), 256 << 10));
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 2);
	assert_map(&st, 0, VA_BASE, 256 << 10, 0, true);
	assert_map(&st, 1, VA_BASE + (512 << 10), 512 << 10, 512 << 10, true);
	igt_assert_eq_u64(st.leaves_4k, 192);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	igt_svmgpu_bo_close(fd, bo);
}

static void test_overlap(int fd)
{
	uint32_t vm = vm_create(fd);
	uint32_t a = igt_svmgpu_bo_create(fd, 1 << 20), b = igt_svmgpu_bo_create(fd, 1 << 20);
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
	igt_svmgpu_bo_close(fd, a);
	igt_svmgpu_bo_close(fd, b);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 3);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
}

static void test_many_ops(int fd)
{
	struct drm_svmgpu_vm_bind_op ops[DRM_SVMGPU_VM_BIND_MAX_OPS];
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, 64 << 10);
	struct vm_state st;
	unsigned int n = DRM_SVMGPU_VM_BIND_MAX_OPS;

	/* Map 4 KiB pages at every other page, then unmap every fourth. */
	for (unsigned int i = 0; i < n; i++)
		ops[i] = map_op(bo, (i % 16) * 4096, VA_BASE + i * 8192, 4096);
	igt_assert_eq(__igt_svmgpu_vm_bind(fd, vm, 0, ops, n, NULL, 0), 0);
	for (unsigned int i = 0; i < n / 2; i++)
		ops[i] = unmap_op(VA_BASE + i * 16384, 4096);
	igt_assert_eq(__igt_svmgpu_vm_bind(fd, vm, 0, ops, n / 2, NULL, 0), 0);

	read_vm_state(fd, vm, &st);
	igt_assert_eq_u64(st.leaves_4k, n / 2);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	igt_svmgpu_bo_close(fd, bo);
}

static void test_stride(int fd)
{
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, 4096);
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
	/* Shorter than the fields before @userptr (added later). */
	args.ops.stride = offsetof(struct drm_svmgpu_vm_bind_op, userptr) - 8;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args, EINVAL);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 0);

	big.extra = 0;
	args.ops.stride = sizeof(big);
	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 1);

	/* The stride of old userspace, before @userptr: reads it as zero. */
	big.op.va += 4096;
	args.ops.stride = offsetof(struct drm_svmgpu_vm_bind_op, userptr);
	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 2);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	igt_svmgpu_bo_close(fd, bo);
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
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, 64 << 10);
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

	/* The call is valid until broken; it fails with and without ASYNC. */
	c->breaks(&args, &ops[1], bo);
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args, c->err);
	args.flags |= DRM_SVMGPU_VM_BIND_ASYNC;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args, c->err);
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 0);
	igt_assert_eq_u64(st.leaves_4k, 0);
	igt_assert_eq(__vm_destroy(fd, vm), 0);
	igt_svmgpu_bo_close(fd, bo);
}

static void test_close_with_mappings(void)
{
	int fd = drm_open_driver_render(DRIVER_SVMGPU);

	for (int i = 0; i < 4; i++) {
		uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, 256 << 10);

		vm_bind(fd, vm, map_op(bo, 0, VA_BASE, 256 << 10));
	}
	drm_close_driver(fd);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * Asynchronous binds. Jobs run on a queue of the VM with a batch BO at
 * VA_BATCH; fences the CPU signals come from vgem (igt_vgem.h), imported
 * into syncobjs.
 */

#define VA_BATCH	(3ull << 32)
#define BATCH_SIZE	(64u << 10)
#define DATA_SIZE	(64u << 10)
/* A bind or job that should not have run yet has had this long. */
#define SETTLE_US	200000
/* vgem signals its fences itself after 10 s: stay well below. */
#define PROMPT_NS	(IGT_VGEM_FENCE_TIMEOUT_NS / 2)

/* A syncobj whose fence (binary) or point @point (timeline) is @f's. */
static uint32_t syncobj_from_cpu_fence(int fd, struct igt_cpu_fence *f,
				       uint64_t point)
{
	uint32_t binary = igt_cpu_fence_syncobj(f, fd), timeline;

	if (!point)
		return binary;
	igt_assert_eq(drmSyncobjCreate(fd, 0, &timeline), 0);
	igt_assert_eq(drmSyncobjTransfer(fd, timeline, point, binary, 0, 0), 0);
	drmSyncobjDestroy(fd, binary);
	return timeline;
}

static uint32_t syncobj_create(int fd, uint32_t flags)
{
	uint32_t handle;

	igt_assert_eq(drmSyncobjCreate(fd, flags, &handle), 0);
	return handle;
}

/* Whether a syncobj (point) has signalled, without waiting. */
static bool syncobj_signalled(int fd, uint32_t handle, uint64_t point)
{
	int ret;

	if (point)
		ret = drmSyncobjTimelineWait(fd, &handle, &point, 1, 0, 0, NULL);
	else
		ret = drmSyncobjWait(fd, &handle, 1, 0, 0, NULL);
	igt_assert_f(ret == 0 || ret == -ETIME, "syncobj wait: %d\n", ret);
	return ret == 0;
}

static void syncobj_wait(int fd, uint32_t handle, uint64_t point)
{
	int64_t deadline = (int64_t)(now_ns() + PROMPT_NS);

	if (point)
		igt_assert_eq(drmSyncobjTimelineWait(fd, &handle, &point, 1,
						     deadline, 0, NULL), 0);
	else
		igt_assert_eq(drmSyncobjWait(fd, &handle, 1, deadline, 0, NULL), 0);
}

/* The status of a sync_file's fence: 1 pending, 0 signalled, -errno. */
static int sync_file_status(int sync_file)
{
	struct sync_file_info info = {};

	igt_assert_eq(ioctl(sync_file, SYNC_IOC_FILE_INFO, &info), 0);
	/* The kernel's: 1 signalled, 0 active, or the error. */
	if (info.status < 0)
		return info.status;
	return info.status ? 0 : 1;
}

/*
 * Whether a sync_file's fence signalled, asked with poll(): unlike
 * SYNC_IOC_FILE_INFO it never reads the fence's timeline name, which for
 * a job's fence lives in its queue (gone once the queue is destroyed).
 */
static bool sync_file_signalled(int sync_file)
{
	struct pollfd pfd = { .fd = sync_file, .events = POLLIN };

	igt_assert_lte(0, poll(&pfd, 1, 0));
	return pfd.revents & POLLIN;
}

/* The status of a binary syncobj's fence, once signalled. */
static int syncobj_status(int fd, uint32_t handle)
{
	int sync_file, status;

	syncobj_wait(fd, handle, 0);
	igt_assert_eq(drmSyncobjExportSyncFile(fd, handle, &sync_file), 0);
	status = sync_file_status(sync_file);
	close(sync_file);
	return status;
}

static struct drm_svmgpu_sync wait_sync(uint32_t handle, uint64_t point)
{
	return (struct drm_svmgpu_sync){
		.flags = DRM_SVMGPU_SYNC_WAIT, .handle = handle, .point = point,
	};
}

static struct drm_svmgpu_sync signal_sync(uint32_t handle, uint64_t point)
{
	return (struct drm_svmgpu_sync){
		.flags = DRM_SVMGPU_SYNC_SIGNAL, .handle = handle, .point = point,
	};
}

/* An asynchronous bind of one operation; must be accepted. */
static void vm_bind_async(int fd, uint32_t vm, struct drm_svmgpu_vm_bind_op op,
			  struct drm_svmgpu_sync *syncs, uint32_t nr_syncs)
{
	igt_assert_eq(__igt_svmgpu_vm_bind(fd, vm, DRM_SVMGPU_VM_BIND_ASYNC, &op, 1,
				      syncs, nr_syncs), 0);
}

/* A VM with a queue and a batch buffer; jobs are built at @cs. */
struct gpu {
	int fd;
	uint32_t vm, queue, batch_bo;
	uint32_t *batch, *cs;
};

static void gpu_init(struct gpu *g, int fd)
{
	g->fd = fd;
	g->vm = vm_create(fd);
	g->queue = igt_svmgpu_queue_create(fd, g->vm, 0);
	g->batch_bo = igt_svmgpu_bo_create(fd, BATCH_SIZE);
	g->batch = igt_svmgpu_bo_mmap(fd, g->batch_bo, BATCH_SIZE);
	g->cs = g->batch;
	vm_bind(fd, g->vm, map_op(g->batch_bo, 0, VA_BATCH, BATCH_SIZE));
}

/* Releases what gpu_init() made, except a VM already destroyed (0). */
static void gpu_fini(struct gpu *g)
{
	igt_svmgpu_queue_destroy(g->fd, g->queue);
	if (g->vm)
		igt_assert_eq(__vm_destroy(g->fd, g->vm), 0);
	munmap(g->batch, BATCH_SIZE);
	igt_svmgpu_bo_close(g->fd, g->batch_bo);
}

/* The job waits until the 32-bit value at @va is 1. */
static void emit_hold(struct gpu *g, uint64_t va)
{
	igt_svmgpu_emit(&g->cs, SVMGPU_OP_WAIT, SVMGPU_WAIT_EQ, 3, (uint64_t[]){ va, 1, ~0ull });
}

/*
 * Ends the job built since @start and submits it; returns a syncobj its
 * completion signals.
 */
static uint32_t gpu_exec(struct gpu *g, uint32_t *start)
{
	struct drm_svmgpu_sync out;
	struct drm_svmgpu_exec args;

	igt_svmgpu_emit(&g->cs, SVMGPU_OP_END, 0, 0, NULL);
	out = signal_sync(syncobj_create(g->fd, 0), 0);
	args = (struct drm_svmgpu_exec){
		.queue_id = g->queue,
		.batch_address = VA_BATCH + (uint64_t)(start - g->batch) * 4,
		.batch_size = (uint64_t)(g->cs - start) * 4,
		.syncs = { .stride = sizeof(out), .count = 1,
			   .array = (uintptr_t)&out },
	};
	do_ioctl(g->fd, DRM_IOCTL_SVMGPU_EXEC, &args);
	return out.handle;
}

/* Leaves of the page tables of @vm, in 4 KiB pages. */
static uint64_t mapped_pages(int fd, uint32_t vm)
{
	struct vm_state st;

	read_vm_state(fd, vm, &st);
	return st.leaves_4k + st.leaves_2m * 512 + st.leaves_1g * 512 * 512;
}

static void test_async_map_exec(int fd)
{
	uint32_t src = igt_svmgpu_bo_create(fd, DATA_SIZE), dst = igt_svmgpu_bo_create(fd, DATA_SIZE);
	uint32_t *s = igt_svmgpu_bo_mmap(fd, src, DATA_SIZE), *d = igt_svmgpu_bo_mmap(fd, dst, DATA_SIZE);
	struct drm_svmgpu_vm_bind_op ops[2] = {
		map_op(src, 0, VA_BASE, DATA_SIZE),
		map_op(dst, 0, VA_BASE + (1 << 20), DATA_SIZE),
	};
	struct drm_svmgpu_sync out = signal_sync(syncobj_create(fd, 0), 0);
	uint32_t *start, job;
	struct gpu g;

	gpu_init(&g, fd);
	for (unsigned int i = 0; i < DATA_SIZE / 4; i++)
		s[i] = i * 2654435761u;

	igt_assert_eq(__igt_svmgpu_vm_bind(fd, g.vm, DRM_SVMGPU_VM_BIND_ASYNC, ops, 2,
				      &out, 1), 0);
	/* Submitted at once, without waiting for the bind. */
	start = g.cs;
	igt_svmgpu_emit(&g.cs, SVMGPU_OP_COPY, 0, 3,
	     (uint64_t[]){ VA_BASE + (1 << 20), VA_BASE, DATA_SIZE });
	job = gpu_exec(&g, start);

	igt_assert_eq(syncobj_status(fd, job), 0);
	igt_assert_eq(syncobj_status(fd, out.handle), 0);
	igt_assert(!memcmp(s, d, DATA_SIZE));
	igt_assert_eq_u64(mapped_pages(fd, g.vm), (BATCH_SIZE + 2 * DATA_SIZE) / 4096);

	gpu_fini(&g);
	munmap(s, DATA_SIZE);
	munmap(d, DATA_SIZE);
	igt_svmgpu_bo_close(fd, src);
	igt_svmgpu_bo_close(fd, dst);
}

static void test_async_wait(int fd, bool timeline)
{
	uint64_t in_point = timeline ? 3 : 0, out_point = timeline ? 7 : 0;
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, DATA_SIZE);
	struct drm_svmgpu_sync syncs[2];
	struct igt_cpu_fence f;
	struct vm_state st;

	igt_cpu_fence_init(&f);
	syncs[0] = wait_sync(syncobj_from_cpu_fence(fd, &f, in_point), in_point);
	syncs[1] = signal_sync(syncobj_create(fd, 0), out_point);

	vm_bind_async(fd, vm, map_op(bo, 0, VA_BASE, DATA_SIZE), syncs, 2);
	usleep(SETTLE_US);
	/* Accepted into the VM's view, but no page table changed. */
	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 1);
	igt_assert_eq_u64(mapped_pages(fd, vm), 0);
	igt_assert(!syncobj_signalled(fd, syncs[1].handle, out_point));

	igt_cpu_fence_signal(&f);
	syncobj_wait(fd, syncs[1].handle, out_point);
	igt_assert_eq_u64(mapped_pages(fd, vm), DATA_SIZE / 4096);
	if (!timeline)
		igt_assert_eq(syncobj_status(fd, syncs[1].handle), 0);

	igt_assert_eq(__vm_destroy(fd, vm), 0);
	igt_svmgpu_bo_close(fd, bo);
	igt_cpu_fence_fini(&f);
}

static void test_async_unmap_waits(int fd)
{
	uint32_t bo = igt_svmgpu_bo_create(fd, DATA_SIZE);
	volatile uint32_t *data = igt_svmgpu_bo_mmap(fd, bo, DATA_SIZE);
	struct drm_svmgpu_sync out = signal_sync(syncobj_create(fd, 0), 0);
	uint32_t *start, job;
	uint64_t t0, t1;
	struct gpu g;

	gpu_init(&g, fd);
	vm_bind(fd, g.vm, map_op(bo, 0, VA_BASE, DATA_SIZE));
	/* Held until the CPU writes 1, then writes into the range. */
	start = g.cs;
	emit_hold(&g, VA_BASE);
	igt_svmgpu_emit_write(&g.cs, VA_BASE + 4, 42, false);
	job = gpu_exec(&g, start);

	t0 = now_ns();
	vm_bind_async(fd, g.vm, unmap_op(VA_BASE, DATA_SIZE), &out, 1);
	t1 = now_ns();
	igt_assert_lt_u64(t1 - t0, SETTLE_US * 1000ull);
	usleep(SETTLE_US);
	igt_assert(!syncobj_signalled(fd, out.handle, 0));
	igt_assert(!syncobj_signalled(fd, job, 0));
	igt_assert_eq_u64(mapped_pages(fd, g.vm), (BATCH_SIZE + DATA_SIZE) / 4096);

	__atomic_store_n(&data[0], 1, __ATOMIC_SEQ_CST);
	igt_assert_eq(syncobj_status(fd, job), 0);
	igt_assert_eq(syncobj_status(fd, out.handle), 0);
	igt_assert_eq_u32(data[1], 42);
	igt_assert_eq_u64(mapped_pages(fd, g.vm), BATCH_SIZE / 4096);

	gpu_fini(&g);
	munmap((void *)data, DATA_SIZE);
	igt_svmgpu_bo_close(fd, bo);
}

static void test_async_ordering(int fd)
{
	uint32_t a = igt_svmgpu_bo_create(fd, DATA_SIZE), b = igt_svmgpu_bo_create(fd, DATA_SIZE);
	uint32_t *pa = igt_svmgpu_bo_mmap(fd, a, DATA_SIZE), *pb = igt_svmgpu_bo_mmap(fd, b, DATA_SIZE);
	uint32_t timeline = syncobj_create(fd, 0), *start, job;
	struct drm_svmgpu_sync syncs[2];
	uint64_t value = ~0ull;
	struct igt_cpu_fence f;
	struct vm_state st;
	struct gpu g;

	gpu_init(&g, fd);
	igt_cpu_fence_init(&f);
	/* Only the first waits; each signals its point of one timeline. */
	syncs[0] = wait_sync(syncobj_from_cpu_fence(fd, &f, 0), 0);
	syncs[1] = signal_sync(timeline, 1);
	vm_bind_async(fd, g.vm, map_op(a, 0, VA_BASE, DATA_SIZE), syncs, 2);
	syncs[0] = signal_sync(timeline, 2);
	vm_bind_async(fd, g.vm, map_op(b, 0, VA_BASE, DATA_SIZE), syncs, 1);
	syncs[0] = signal_sync(timeline, 3);
	vm_bind_async(fd, g.vm, unmap_op(VA_BASE + DATA_SIZE / 2, DATA_SIZE / 2),
		      syncs, 1);

	usleep(SETTLE_US);
	igt_assert_eq(drmSyncobjQuery(fd, &timeline, &value, 1), 0);
	igt_assert_eq_u64(value, 0);
	igt_assert_eq_u64(mapped_pages(fd, g.vm), BATCH_SIZE / 4096);
	/* The VM's view already is the final one. */
	read_vm_state(fd, g.vm, &st);
	igt_assert_eq(st.count, 2);
	assert_map(&st, 0, VA_BASE, DATA_SIZE / 2, 0, true);

	igt_cpu_fence_signal(&f);
	syncobj_wait(fd, timeline, 3);
	igt_assert_eq(drmSyncobjQuery(fd, &timeline, &value, 1), 0);
	igt_assert_eq_u64(value, 3);
	igt_assert_eq_u64(mapped_pages(fd, g.vm), (BATCH_SIZE + DATA_SIZE / 2) / 4096);

	/* The later MAP won: a GPU write lands in b, not a. */
	start = g.cs;
	igt_svmgpu_emit_write(&g.cs, VA_BASE + 8, 0xb, false);
	job = gpu_exec(&g, start);
	igt_assert_eq(syncobj_status(fd, job), 0);
	igt_assert_eq_u32(pb[2], 0xb);
	igt_assert_eq_u32(pa[2], 0);

	gpu_fini(&g);
	igt_cpu_fence_fini(&f);
	munmap(pa, DATA_SIZE);
	munmap(pb, DATA_SIZE);
	igt_svmgpu_bo_close(fd, a);
	igt_svmgpu_bo_close(fd, b);
}

static void test_exec_waits_for_bind(int fd)
{
	uint32_t bo = igt_svmgpu_bo_create(fd, DATA_SIZE), *data = igt_svmgpu_bo_mmap(fd, bo, DATA_SIZE);
	struct drm_svmgpu_sync syncs[1];
	uint32_t *start, job;
	struct igt_cpu_fence f;
	struct gpu g;

	gpu_init(&g, fd);
	igt_cpu_fence_init(&f);
	syncs[0] = wait_sync(syncobj_from_cpu_fence(fd, &f, 0), 0);
	vm_bind_async(fd, g.vm, map_op(bo, 0, VA_BASE, DATA_SIZE), syncs, 1);

	start = g.cs;
	igt_svmgpu_emit_write(&g.cs, VA_BASE + 16, 0x5a5a, false);
	job = gpu_exec(&g, start);
	usleep(SETTLE_US);
	igt_assert(!syncobj_signalled(fd, job, 0));
	igt_assert_eq_u32(data[4], 0);

	igt_cpu_fence_signal(&f);
	igt_assert_eq(syncobj_status(fd, job), 0);
	igt_assert_eq_u32(data[4], 0x5a5a);

	gpu_fini(&g);
	igt_cpu_fence_fini(&f);
	munmap(data, DATA_SIZE);
	igt_svmgpu_bo_close(fd, bo);
}

static void test_sync_waits_for_async(int fd)
{
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, DATA_SIZE);
	struct drm_svmgpu_sync syncs[2];
	struct igt_cpu_fence f;
	uint64_t t0, t1;

	igt_cpu_fence_init(&f);
	syncs[0] = wait_sync(syncobj_from_cpu_fence(fd, &f, 0), 0);
	syncs[1] = signal_sync(syncobj_create(fd, 0), 0);
	vm_bind_async(fd, vm, map_op(bo, 0, VA_BASE, DATA_SIZE), syncs, 2);

	igt_fork(child, 1) {
		usleep(3 * SETTLE_US / 2);
		igt_cpu_fence_signal(&f);
	}
	t0 = now_ns();
	vm_bind(fd, vm, map_op(bo, 0, VA_BASE + (1 << 20), DATA_SIZE));
	t1 = now_ns();
	igt_waitchildren();

	igt_assert_lte_u64(SETTLE_US * 1000ull, t1 - t0);
	igt_assert(syncobj_signalled(fd, syncs[1].handle, 0));
	igt_assert_eq_u64(mapped_pages(fd, vm), 2 * DATA_SIZE / 4096);

	igt_assert_eq(__vm_destroy(fd, vm), 0);
	igt_svmgpu_bo_close(fd, bo);
	igt_cpu_fence_fini(&f);
}

static void test_sync_signal(int fd)
{
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, DATA_SIZE);
	uint32_t timeline = syncobj_create(fd, 0);
	struct drm_svmgpu_sync syncs[3] = {
		wait_sync(syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED), 0),
		signal_sync(syncobj_create(fd, 0), 0),
		signal_sync(timeline, 2),
	};
	struct drm_svmgpu_vm_bind_op op = map_op(bo, 0, VA_BASE, DATA_SIZE);
	uint64_t value = 0;

	igt_assert_eq(__igt_svmgpu_vm_bind(fd, vm, 0, &op, 1, syncs, 3), 0);
	/* Done when the call returned: mapped and signalled. */
	igt_assert_eq_u64(mapped_pages(fd, vm), DATA_SIZE / 4096);
	igt_assert(syncobj_signalled(fd, syncs[1].handle, 0));
	igt_assert_eq(syncobj_status(fd, syncs[1].handle), 0);
	igt_assert_eq(drmSyncobjQuery(fd, &timeline, &value, 1), 0);
	igt_assert_eq_u64(value, 2);

	igt_assert_eq(__vm_destroy(fd, vm), 0);
	igt_svmgpu_bo_close(fd, bo);
}

/*
 * A VM whose bind waits for a fence that does not signal in time, with a
 * job queued behind the bind; the VM goes by VM_DESTROY or by closing the
 * file, and the bind's and the job's fences are looked at through
 * sync_files exported before.
 */
static void test_teardown_pending(bool close_file)
{
	int fd = drm_open_driver_render(DRIVER_SVMGPU);
	uint32_t bo = igt_svmgpu_bo_create(fd, DATA_SIZE), *start, job, vm;
	struct drm_svmgpu_sync syncs[2];
	int bind_file, job_file;
	struct igt_cpu_fence f;
	uint64_t t0, t1;
	struct gpu g;

	gpu_init(&g, fd);
	igt_cpu_fence_init(&f);
	syncs[0] = wait_sync(syncobj_from_cpu_fence(fd, &f, 0), 0);
	syncs[1] = signal_sync(syncobj_create(fd, 0), 0);
	vm_bind_async(fd, g.vm, map_op(bo, 0, VA_BASE, DATA_SIZE), syncs, 2);
	start = g.cs;
	igt_svmgpu_emit_write(&g.cs, VA_BASE, 1, false);
	job = gpu_exec(&g, start);
	igt_assert_eq(drmSyncobjExportSyncFile(fd, syncs[1].handle, &bind_file), 0);
	igt_assert_eq(drmSyncobjExportSyncFile(fd, job, &job_file), 0);
	usleep(SETTLE_US);
	igt_assert_eq(sync_file_status(bind_file), 1);
	igt_assert(!sync_file_signalled(job_file));

	t0 = now_ns();
	if (close_file) {
		munmap(g.batch, BATCH_SIZE);
		drm_close_driver(fd);
	} else {
		vm = g.vm;
		igt_assert_eq(__vm_destroy(fd, vm), 0);
		g.vm = 0;
	}
	t1 = now_ns();
	igt_assert_lt_u64(t1 - t0, PROMPT_NS);

	/* The bind was cancelled; the job behind it ran. */
	igt_assert_eq(sync_file_status(bind_file), -ECANCELED);
	igt_assert(sync_file_signalled(job_file));

	if (!close_file) {
		struct drm_svmgpu_vm_bind_op op = map_op(bo, 0, VA_BASE, DATA_SIZE);

		igt_assert_eq(__igt_svmgpu_vm_bind(fd, vm, DRM_SVMGPU_VM_BIND_ASYNC,
					      &op, 1, NULL, 0), -ENOENT);
		gpu_fini(&g);
		igt_svmgpu_bo_close(fd, bo);
		drm_close_driver(fd);
	}
	igt_cpu_fence_signal(&f);
	igt_cpu_fence_fini(&f);
	close(bind_file);
	close(job_file);
}

/*
 * Bad syncs. The call is valid until broken: ASYNC, one MAP, a WAIT on a
 * signalled syncobj and a SIGNAL of a syncobj without a fence, given with
 * a stride larger than needed (zero padding). It must fail, map nothing
 * and give the SIGNAL syncobj no fence.
 */
struct padded_sync {
	struct drm_svmgpu_sync sync;
	uint64_t extra;
};

struct bad_sync_case {
	const char *name;
	int err;
	void (*breaks)(int fd, struct drm_svmgpu_vm_bind *args,
		       struct padded_sync *syncs);
};

#define BAD_SYNC(n, body) \
	static void bad_sync_##n(int fd, struct drm_svmgpu_vm_bind *args, \
				 struct padded_sync *syncs) \
	{ (void)fd; (void)args; (void)syncs; body; }

BAD_SYNC(flags_none, syncs[0].sync.flags = 0)
BAD_SYNC(flags_both, syncs[0].sync.flags = DRM_SVMGPU_SYNC_WAIT | DRM_SVMGPU_SYNC_SIGNAL)
BAD_SYNC(flags_unknown, syncs[1].sync.flags |= 1u << 2)
BAD_SYNC(stride_short, args->syncs.stride = sizeof(struct drm_svmgpu_sync) - 8)
BAD_SYNC(stride_padding, syncs[1].extra = 1)
BAD_SYNC(count_max, args->syncs.count = DRM_SVMGPU_VM_BIND_MAX_SYNCS + 1)
BAD_SYNC(array_fault, args->syncs.array = 8)
BAD_SYNC(wait_handle, syncs[0].sync.handle += 1000)
BAD_SYNC(signal_handle, syncs[1].sync.handle += 1000)
BAD_SYNC(wait_no_fence, syncs[0].sync.handle = syncobj_create(fd, 0))
BAD_SYNC(wait_point, syncs[0].sync.point = 5)

static const struct bad_sync_case bad_sync_cases[] = {
#define C(n, e) { #n, e, bad_sync_##n }
	C(flags_none, EINVAL), C(flags_both, EINVAL), C(flags_unknown, EINVAL),
	C(stride_short, EINVAL), C(stride_padding, EINVAL),
	C(count_max, EINVAL), C(array_fault, EFAULT), C(wait_handle, ENOENT),
	C(signal_handle, ENOENT), C(wait_no_fence, EINVAL),
	C(wait_point, EINVAL),
#undef C
};

static void test_bad_sync(int fd, const struct bad_sync_case *c)
{
	uint32_t vm = vm_create(fd), bo = igt_svmgpu_bo_create(fd, DATA_SIZE);
	struct drm_svmgpu_vm_bind_op op = map_op(bo, 0, VA_BASE, DATA_SIZE);
	struct padded_sync syncs[DRM_SVMGPU_VM_BIND_MAX_SYNCS + 1] = {
		{ .sync = wait_sync(syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED), 0) },
		{ .sync = signal_sync(syncobj_create(fd, 0), 0) },
	};
	uint32_t out = syncs[1].sync.handle;
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.flags = DRM_SVMGPU_VM_BIND_ASYNC,
		.ops = { .stride = sizeof(op), .count = 1, .array = (uintptr_t)&op },
		.syncs = { .stride = sizeof(syncs[0]), .count = 2,
			   .array = (uintptr_t)syncs },
	};
	struct vm_state st;

	for (unsigned int i = 2; i < sizeof(syncs) / sizeof(syncs[0]); i++)
		syncs[i] = syncs[0];
	c->breaks(fd, &args, syncs);
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args, c->err);
	/* Without ASYNC too. */
	args.flags = 0;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args, c->err);

	read_vm_state(fd, vm, &st);
	igt_assert_eq(st.count, 0);
	igt_assert_eq_u64(st.leaves_4k, 0);
	/* No fence was attached: waiting without WAIT_FOR_SUBMIT fails. */
	igt_assert_eq(drmSyncobjWait(fd, &out, 1, 0, 0, NULL), -EINVAL);

	igt_assert_eq(__vm_destroy(fd, vm), 0);
	igt_svmgpu_bo_close(fd, bo);
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

	igt_describe("MAP creates the mapping and its 4 KiB leaves; UNMAP "
		     "removes them and frees the page tables.");
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

	igt_describe("A larger stride with zero padding works, and so does "
		     "the 40-byte stride from before the userptr field; a "
		     "non-zero padding byte or a shorter stride fails with "
		     "EINVAL.");
	igt_subtest("bind-stride")
		test_stride(fd);

	for (unsigned int i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		igt_describe_f("VM_BIND with a bad %s fails with %s and applies "
			       "nothing, not even the valid operations before "
			       "it.", dashed(bad_cases[i].name),
			       strerror(bad_cases[i].err));
		igt_subtest_f("bind-bad-%s", dashed(bad_cases[i].name))
			test_bad(fd, &bad_cases[i]);
	}

	igt_describe("Closing a file with VMs and mappings releases everything.");
	igt_subtest("close-with-mappings")
		test_close_with_mappings();

	igt_describe("An asynchronous MAP is seen by an EXEC submitted right "
		     "after it: a GPU COPY through the new mappings moves the data.");
	igt_subtest("async-map-exec")
		test_async_map_exec(fd);

	for (int timeline = 0; timeline < 2; timeline++) {
		igt_describe_f("An asynchronous bind waiting for a %s syncobj "
			       "signalled later from the CPU changes no page "
			       "table and signals nothing until then; "
			       "afterwards it is mapped and signalled.",
			       timeline ? "timeline" : "binary");
		igt_subtest_f("async-wait-%s", timeline ? "timeline" : "binary")
			test_async_wait(fd, timeline);
	}

	igt_describe("An asynchronous UNMAP of memory a running job uses "
		     "returns at once and takes effect only after the job "
		     "completed: the job's write lands.");
	igt_subtest("async-unmap-waits-for-job")
		test_async_unmap_waits(fd);

	igt_describe("Asynchronous binds of a VM take effect in submission "
		     "order, even when only the first waits for a syncobj.");
	igt_subtest("async-ordering")
		test_async_ordering(fd);

	igt_describe("An EXEC submitted after a pending asynchronous bind "
		     "waits for it and sees its mapping.");
	igt_subtest("exec-waits-for-bind")
		test_exec_waits_for_bind(fd);

	igt_describe("A synchronous bind waits for the VM's pending "
		     "asynchronous binds.");
	igt_subtest("sync-waits-for-async")
		test_sync_waits_for_async(fd);

	igt_describe("A synchronous bind waits for its WAIT syncs and its "
		     "binary and timeline SIGNAL syncs are signalled on return.");
	igt_subtest("sync-signal")
		test_sync_signal(fd);

	igt_describe("Closing the file while a bind waits for a syncobj that "
		     "does not signal returns promptly; the bind's syncobj "
		     "signals with ECANCELED and the job queued behind it "
		     "completes.");
	igt_subtest("close-pending")
		test_teardown_pending(true);

	igt_describe("VM_DESTROY while a bind waits for a syncobj that does not "
		     "signal returns promptly; the bind signals ECANCELED and "
		     "the VM id is gone.");
	igt_subtest("destroy-pending")
		test_teardown_pending(false);

	for (unsigned int i = 0; i < sizeof(bad_sync_cases) / sizeof(bad_sync_cases[0]); i++) {
		igt_describe_f("VM_BIND with a bad sync (%s) fails with %s, "
			       "applies nothing and signals nothing.",
			       dashed(bad_sync_cases[i].name),
			       strerror(bad_sync_cases[i].err));
		igt_subtest_f("bind-bad-sync-%s", dashed(bad_sync_cases[i].name))
			test_bad_sync(fd, &bad_sync_cases[i]);
	}

	igt_fixture
		drm_close_driver(fd);
}
