// SPDX-License-Identifier: MIT
/*
 * svmgpu_exec - queues, EXEC, every engine command, syncobjs, ordering,
 * hangs and faults.
 *
 * Runs batch buffers on the engines and checks their effect through CPU
 * mappings of the BOs; checks the errors of every queue and EXEC
 * argument; hangs and faults a queue and checks that it is reset,
 * banned and reported while other queues carry on.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_svmgpu.h"
#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_fault.h"

IGT_TEST_DESCRIPTION("Queues, EXEC, engine commands, syncobjs, hangs and faults.");

#define VA_BATCH	(1ull << 32)
#define VA_DATA		(2ull << 32)
#define BO_SIZE		(64u << 10)
#define WAIT_NS		(10ull * 1000000000ull)

/* A BO mapped in a VM and by the CPU. */
struct buf {
	uint32_t handle;
	uint64_t va;
	uint64_t size;
	void *map;
};

/* A VM with a queue, a batch buffer and a data buffer. */
struct ctx {
	int fd;
	uint32_t vm, queue;
	struct buf batch, data;
	uint32_t *cs;		/* next batch dword */
};

static void buf_init(struct ctx *c, struct buf *b, uint64_t va, uint64_t size,
		     uint32_t flags)
{
	b->handle = igt_svmgpu_bo_create(c->fd, size);
	b->va = va;
	b->size = size;
	b->map = igt_svmgpu_bo_mmap(c->fd, b->handle, size);
	igt_svmgpu_vm_map(c->fd, c->vm, b->handle, va, size, flags);
}

static void ctx_init_on(struct ctx *c, int fd, uint32_t engine)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->vm = igt_svmgpu_vm_create(fd, 0);
	c->queue = igt_svmgpu_queue_create(fd, c->vm, engine);
	buf_init(c, &c->batch, VA_BATCH, BO_SIZE, 0);
	buf_init(c, &c->data, VA_DATA, BO_SIZE, 0);
	c->cs = c->batch.map;
}

static void ctx_fini(struct ctx *c)
{
	igt_svmgpu_queue_destroy(c->fd, c->queue);
	munmap(c->batch.map, c->batch.size);
	munmap(c->data.map, c->data.size);
	/* Destroying the VM drops its mappings; closing the BOs the rest. */
	igt_svmgpu_vm_destroy(c->fd, c->vm);
	igt_svmgpu_bo_close(c->fd, c->batch.handle);
	igt_svmgpu_bo_close(c->fd, c->data.handle);
}

/* Batch building: each helper appends one command. */
static uint64_t batch_offset(struct ctx *c)
{
	return (uint8_t *)c->cs - (uint8_t *)c->batch.map;
}

/*
 * Submits the batch from @start to the current position; returns a
 * syncobj that signals when the job completes.
 */
static int __exec(struct ctx *c, uint64_t start, struct drm_svmgpu_sync *syncs,
		  uint32_t nr_syncs, struct drm_svmgpu_exec_bo *bos,
		  uint32_t nr_bos)
{
	struct drm_svmgpu_exec args = {
		.queue_id = c->queue,
		.batch_address = c->batch.va + start,
		.batch_size = batch_offset(c) - start,
		.syncs = { .stride = sizeof(*syncs), .count = nr_syncs,
			   .array = (uintptr_t)syncs },
		.bos = { .stride = sizeof(*bos), .count = nr_bos,
			 .array = (uintptr_t)bos },
	};

	return igt_ioctl(c->fd, DRM_IOCTL_SVMGPU_EXEC, &args) ? -errno : 0;
}

static uint32_t exec_batch(struct ctx *c, uint64_t start)
{
	struct drm_svmgpu_sync out = { .flags = DRM_SVMGPU_SYNC_SIGNAL };

	igt_assert_eq(drmSyncobjCreate(c->fd, 0, &out.handle), 0);
	igt_assert_eq(__exec(c, start, &out, 1, NULL, 0), 0);
	return out.handle;
}

/* Runs the batch built so far and checks that the job succeeded. */
static void run(struct ctx *c)
{
	uint32_t syncobj;

	igt_svmgpu_emit(&c->cs, SVMGPU_OP_END, 0, 0, NULL);
	syncobj = exec_batch(c, 0);
	igt_assert_eq(igt_svmgpu_syncobj_status(c->fd, syncobj), 0);
	drmSyncobjDestroy(c->fd, syncobj);
	c->cs = c->batch.map;
}

static uint32_t *data32(struct ctx *c, unsigned int off)
{
	return (uint32_t *)((uint8_t *)c->data.map + off);
}

static uint64_t *data64(struct ctx *c, unsigned int off)
{
	return (uint64_t *)((uint8_t *)c->data.map + off);
}

static int open_device(void)
{
	return drm_open_driver_render(DRIVER_SVMGPU);
}

/* Commands. */

static void cmd_write(struct ctx *c)
{
	igt_svmgpu_emit_write(&c->cs, c->data.va + 4, 0xdeadbeef, false);
	igt_svmgpu_emit_write(&c->cs, c->data.va + 8, 0x0123456789abcdefull, true);
	run(c);
	igt_assert_eq_u32(*data32(c, 0), 0);
	igt_assert_eq_u32(*data32(c, 4), 0xdeadbeef);
	igt_assert_eq_u64(*data64(c, 8), 0x0123456789abcdefull);
}

static void cmd_fill(struct ctx *c)
{
	igt_svmgpu_emit(&c->cs, SVMGPU_OP_FILL, 0, 3,
	     (uint64_t[]){ c->data.va + 4096, 40000, 0xa5a5f00dull });
	run(c);
	igt_assert_eq_u32(*data32(c, 4092), 0);
	for (unsigned int off = 4096; off < 4096 + 40000; off += 4)
		igt_assert_eq_u32(*data32(c, off), 0xa5a5f00d);
	igt_assert_eq_u32(*data32(c, 4096 + 40000), 0);
}

static void cmd_copy(struct ctx *c)
{
	uint8_t *d = c->data.map;

	for (unsigned int i = 0; i < 20000; i++)
		d[i] = i * 7 + 3;
	/* Odd offsets and length, across pages. */
	igt_svmgpu_emit(&c->cs, SVMGPU_OP_COPY, 0, 3,
	     (uint64_t[]){ c->data.va + 30001, c->data.va + 1, 19999 });
	run(c);
	igt_assert(memcmp(d + 30001, d + 1, 19999) == 0);
	igt_assert_eq(d[30000], 0);
	igt_assert_eq(d[30001 + 19999], 0);
}

static void cmd_atomic(struct ctx *c)
{
	static const struct {
		uint32_t op;
		uint64_t init, operand, compare, expect;
	} cases[] = {
		{ SVMGPU_ATOMIC_ADD, 40, 2, 0, 42 },
		{ SVMGPU_ATOMIC_XCHG, 1, 7, 0, 7 },
		{ SVMGPU_ATOMIC_CMPXCHG, 5, 9, 5, 9 },
		{ SVMGPU_ATOMIC_CMPXCHG, 5, 9, 6, 5 },
		{ SVMGPU_ATOMIC_MIN, 5, 3, 0, 3 },
		{ SVMGPU_ATOMIC_MIN, 5, 8, 0, 5 },
		{ SVMGPU_ATOMIC_MAX, 5, 8, 0, 8 },
		{ SVMGPU_ATOMIC_MAX, (uint64_t)-2, 1, 0, (uint64_t)-2 },
	};
	unsigned int n = sizeof(cases) / sizeof(cases[0]);

	for (int wide = 0; wide < 2; wide++) {
		for (unsigned int i = 0; i < n; i++) {
			unsigned int off = 256 + i * 16;

			if (wide)
				*data64(c, off) = cases[i].init;
			else
				*data32(c, off) = cases[i].init;
			igt_svmgpu_emit(&c->cs, SVMGPU_OP_ATOMIC,
			     cases[i].op | (wide ? SVMGPU_ATOMIC_64 : 0), 4,
			     (uint64_t[]){ c->data.va + off, cases[i].operand,
					   cases[i].compare, c->data.va + off + 8 });
		}
		/* Signed: -2 < 1. */
		*data32(c, 4000) = (uint32_t)-2;
		igt_svmgpu_emit(&c->cs, SVMGPU_OP_ATOMIC, SVMGPU_ATOMIC_MAX | SVMGPU_ATOMIC_SIGNED |
		     (wide ? SVMGPU_ATOMIC_64 : 0), 4,
		     (uint64_t[]){ c->data.va + 4000, 1, 0, 0 });
		if (wide)
			*data64(c, 4000) = (uint64_t)-2;
		run(c);
		for (unsigned int i = 0; i < n; i++) {
			unsigned int off = 256 + i * 16;
			uint64_t mask = wide ? ~0ull : 0xffffffffull;

			if (wide) {
				igt_assert_eq_u64(*data64(c, off), cases[i].expect);
				igt_assert_eq_u64(*data64(c, off + 8), cases[i].init);
			} else {
				igt_assert_eq_u32(*data32(c, off), cases[i].expect & mask);
				igt_assert_eq_u32(*data32(c, off + 8), cases[i].init & mask);
			}
		}
		if (wide)
			igt_assert_eq_u64(*data64(c, 4000), 1);
		else
			igt_assert_eq_u32(*data32(c, 4000), 1);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The GPU clock is CLOCK_MONOTONIC: the stamps fall inside the job. */
static void cmd_timestamp(struct ctx *c)
{
	uint64_t before, after;

	igt_svmgpu_emit(&c->cs, SVMGPU_OP_TIMESTAMP, 0, 1, (uint64_t[]){ c->data.va });
	igt_svmgpu_emit(&c->cs, SVMGPU_OP_FILL, 0, 3, (uint64_t[]){ c->data.va + 4096, 32768, 1 });
	igt_svmgpu_emit(&c->cs, SVMGPU_OP_TIMESTAMP, 0, 1, (uint64_t[]){ c->data.va + 8 });
	before = now_ns();
	run(c);
	after = now_ns();
	igt_assert_lte_u64(before, *data64(c, 0));
	igt_assert_lte_u64(*data64(c, 0), *data64(c, 8));
	igt_assert_lte_u64(*data64(c, 8), after);
	igt_assert_eq_u32(*data32(c, 4096 + 32768 - 4), 1);
}

static void cmd_wait(struct ctx *c)
{
	uint32_t syncobj;

	/* Blocks until the CPU writes the value, then writes its marker. */
	igt_svmgpu_emit(&c->cs, SVMGPU_OP_WAIT, SVMGPU_WAIT_GTE, 3,
	     (uint64_t[]){ c->data.va, 5, 0xff });
	igt_svmgpu_emit_write(&c->cs, c->data.va + 8, 77, false);
	igt_svmgpu_emit(&c->cs, SVMGPU_OP_END, 0, 0, NULL);
	syncobj = exec_batch(c, 0);

	usleep(100000);
	igt_assert_eq_u32(*data32(c, 8), 0);
	igt_assert_eq(drmSyncobjWait(c->fd, &syncobj, 1, 0, 0, NULL), -ETIME);
	__atomic_store_n(data32(c, 0), 0x105, __ATOMIC_SEQ_CST);	/* masked: 5 */
	igt_assert_eq(igt_svmgpu_syncobj_status(c->fd, syncobj), 0);
	igt_assert_eq_u32(*data32(c, 8), 77);
	drmSyncobjDestroy(c->fd, syncobj);
}

static void cmd_user_fence(struct ctx *c)
{
	igt_svmgpu_emit(&c->cs, SVMGPU_OP_USER_FENCE, SVMGPU_USER_FENCE_IRQ, 2,
	     (uint64_t[]){ c->data.va + 64, 0x1122334455667788ull });
	run(c);
	igt_assert_eq_u64(*data64(c, 64), 0x1122334455667788ull);
}

static void cmd_nop_end(struct ctx *c)
{
	igt_svmgpu_emit(&c->cs, SVMGPU_OP_NOP, 0, 0, NULL);
	igt_svmgpu_emit_write(&c->cs, c->data.va, 1, false);
	igt_svmgpu_emit(&c->cs, SVMGPU_OP_END, 0, 0, NULL);
	/* Past END: never executed. */
	igt_svmgpu_emit_write(&c->cs, c->data.va, 2, false);
	{
		uint32_t syncobj = exec_batch(c, 0);

		igt_assert_eq(igt_svmgpu_syncobj_status(c->fd, syncobj), 0);
		drmSyncobjDestroy(c->fd, syncobj);
	}
	igt_assert_eq_u32(*data32(c, 0), 1);
}

static const struct {
	const char *name;
	void (*fn)(struct ctx *c);
} cmds[] = {
	{ "write", cmd_write },
	{ "fill", cmd_fill },
	{ "copy", cmd_copy },
	{ "atomic", cmd_atomic },
	{ "timestamp", cmd_timestamp },
	{ "wait", cmd_wait },
	{ "user-fence", cmd_user_fence },
	{ "nop-end", cmd_nop_end },
};

/* Jobs of one queue run in order: each adds its index at the end. */
static void test_ordering(int fd)
{
	struct ctx c;
	uint32_t last = 0;

	ctx_init_on(&c, fd, 0);
	for (unsigned int i = 1; i <= 50; i++) {
		uint64_t start = batch_offset(&c);

		/* Job i checks that job i-1 ran: WAIT data[0] == i-1. */
		igt_svmgpu_emit(&c.cs, SVMGPU_OP_WAIT, SVMGPU_WAIT_EQ, 3,
		     (uint64_t[]){ c.data.va, i - 1, ~0ull });
		igt_svmgpu_emit_write(&c.cs, c.data.va, i, false);
		igt_svmgpu_emit(&c.cs, SVMGPU_OP_END, 0, 0, NULL);
		if (last)
			drmSyncobjDestroy(fd, last);
		last = exec_batch(&c, start);
	}
	igt_assert_eq(igt_svmgpu_syncobj_status(fd, last), 0);
	igt_assert_eq_u32(*data32(&c, 0), 50);
	drmSyncobjDestroy(fd, last);
	ctx_fini(&c);
}

static void test_many_jobs(int fd)
{
	struct ctx c;
	uint32_t last = 0;

	ctx_init_on(&c, fd, 0);
	igt_svmgpu_emit(&c.cs, SVMGPU_OP_ATOMIC, SVMGPU_ATOMIC_ADD, 4,
	     (uint64_t[]){ c.data.va, 1, 0, 0 });
	igt_svmgpu_emit(&c.cs, SVMGPU_OP_END, 0, 0, NULL);
	for (unsigned int i = 0; i < 500; i++) {
		if (last)
			drmSyncobjDestroy(fd, last);
		last = exec_batch(&c, 0);
	}
	igt_assert_eq(igt_svmgpu_syncobj_status(fd, last), 0);
	igt_assert_eq_u32(*data32(&c, 0), 500);
	drmSyncobjDestroy(fd, last);
	ctx_fini(&c);
}

static void test_many_queues(void)
{
	int fds[2] = { open_device(), open_device() };
	unsigned int engines = igt_svmgpu_num_engines(fds[0]);
	struct ctx c[8];
	uint32_t done[8];

	for (unsigned int i = 0; i < 8; i++) {
		ctx_init_on(&c[i], fds[i % 2], i % engines);
		for (unsigned int j = 0; j < 16; j++)
			igt_svmgpu_emit_write(&c[i].cs, c[i].data.va + j * 4, i * 100 + j, false);
		igt_svmgpu_emit(&c[i].cs, SVMGPU_OP_END, 0, 0, NULL);
		done[i] = exec_batch(&c[i], 0);
	}
	for (unsigned int i = 0; i < 8; i++) {
		igt_assert_eq(igt_svmgpu_syncobj_status(c[i].fd, done[i]), 0);
		for (unsigned int j = 0; j < 16; j++)
			igt_assert_eq_u32(*data32(&c[i], j * 4), i * 100 + j);
		drmSyncobjDestroy(c[i].fd, done[i]);
		ctx_fini(&c[i]);
	}
	drm_close_driver(fds[0]);
	drm_close_driver(fds[1]);
}

/*
 * Syncobjs: job B (queue 2) waits for job A (queue 1), which is held by a
 * WAIT until the CPU releases it; B must not run before A.
 */
static void test_syncobj(int fd, const char *mode)
{
	struct ctx a, b;
	struct drm_svmgpu_sync sa = { .flags = DRM_SVMGPU_SYNC_SIGNAL };
	struct drm_svmgpu_sync sb[2] = {};
	bool timeline = !strcmp(mode, "timeline");
	bool sync_file = !strcmp(mode, "sync-file");
	uint32_t wait_on, done;

	ctx_init_on(&a, fd, 0);
	ctx_init_on(&b, fd, igt_svmgpu_num_engines(fd) > 1 ? 1 : 0);

	igt_assert_eq(drmSyncobjCreate(fd, 0, &sa.handle), 0);
	sa.point = timeline ? 5 : 0;
	igt_svmgpu_emit(&a.cs, SVMGPU_OP_WAIT, SVMGPU_WAIT_EQ, 3, (uint64_t[]){ a.data.va, 1, ~0ull });
	igt_svmgpu_emit_write(&a.cs, a.data.va + 4, 11, false);
	igt_svmgpu_emit(&a.cs, SVMGPU_OP_END, 0, 0, NULL);
	igt_assert_eq(__exec(&a, 0, &sa, 1, NULL, 0), 0);

	wait_on = sa.handle;
	if (sync_file) {
		int sf;

		/* Through a sync_file into a new syncobj. */
		igt_assert_eq(drmSyncobjExportSyncFile(fd, sa.handle, &sf), 0);
		igt_assert_eq(drmSyncobjCreate(fd, 0, &wait_on), 0);
		igt_assert_eq(drmSyncobjImportSyncFile(fd, wait_on, sf), 0);
		close(sf);
	}

	/* B copies A's marker: it must see 11. */
	sb[0] = (struct drm_svmgpu_sync){ .flags = DRM_SVMGPU_SYNC_WAIT,
					  .handle = wait_on, .point = sa.point };
	sb[1] = (struct drm_svmgpu_sync){ .flags = DRM_SVMGPU_SYNC_SIGNAL,
					  .point = timeline ? 3 : 0 };
	igt_assert_eq(drmSyncobjCreate(fd, 0, &sb[1].handle), 0);
	/* B reads A's data through its own VM: map A's data BO there too. */
	igt_svmgpu_vm_map(fd, b.vm, a.data.handle, VA_DATA + BO_SIZE, BO_SIZE, 0);
	igt_svmgpu_emit(&b.cs, SVMGPU_OP_COPY, 0, 3,
	     (uint64_t[]){ b.data.va, VA_DATA + BO_SIZE + 4, 4 });
	igt_svmgpu_emit(&b.cs, SVMGPU_OP_END, 0, 0, NULL);
	igt_assert_eq(__exec(&b, 0, sb, 2, NULL, 0), 0);
	done = sb[1].handle;

	usleep(100000);
	igt_assert_eq_u32(*data32(&b, 0), 0);
	__atomic_store_n(data32(&a, 0), 1, __ATOMIC_SEQ_CST);

	if (timeline) {
		uint64_t point = 3;

		igt_assert_eq(drmSyncobjTimelineWait(fd, &done, &point, 1, INT64_MAX,
						     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
						     NULL), 0);
		igt_assert_eq(drmSyncobjQuery(fd, &done, &point, 1), 0);
		igt_assert_eq_u64(point, 3);
	} else {
		igt_assert_eq(igt_svmgpu_syncobj_status(fd, done), 0);
	}
	igt_assert_eq_u32(*data32(&b, 0), 11);

	drmSyncobjDestroy(fd, sa.handle);
	if (wait_on != sa.handle)
		drmSyncobjDestroy(fd, wait_on);
	drmSyncobjDestroy(fd, done);
	ctx_fini(&a);
	ctx_fini(&b);
}

/*
 * Implicit fencing: A reads a shared BO and is held by a WAIT; B writes
 * the shared BO on another queue and names it as written: B must wait.
 */
static void test_implicit_fence(int fd)
{
	struct ctx a, b;
	struct drm_svmgpu_exec_bo shared_rd, shared_wr;
	uint32_t shared = igt_svmgpu_bo_create(fd, BO_SIZE), done;
	uint32_t *smap = igt_svmgpu_bo_mmap(fd, shared, BO_SIZE);

	ctx_init_on(&a, fd, 0);
	ctx_init_on(&b, fd, igt_svmgpu_num_engines(fd) > 1 ? 1 : 0);
	igt_svmgpu_vm_map(fd, a.vm, shared, VA_DATA + BO_SIZE, BO_SIZE, 0);
	igt_svmgpu_vm_map(fd, b.vm, shared, VA_DATA + BO_SIZE, BO_SIZE, 0);
	shared_rd = (struct drm_svmgpu_exec_bo){ .handle = shared };
	shared_wr = (struct drm_svmgpu_exec_bo){ .handle = shared,
						 .flags = DRM_SVMGPU_EXEC_BO_WRITE };

	igt_svmgpu_emit(&a.cs, SVMGPU_OP_WAIT, SVMGPU_WAIT_EQ, 3, (uint64_t[]){ a.data.va, 1, ~0ull });
	igt_svmgpu_emit(&a.cs, SVMGPU_OP_END, 0, 0, NULL);
	igt_assert_eq(__exec(&a, 0, NULL, 0, &shared_rd, 1), 0);

	igt_svmgpu_emit_write(&b.cs, VA_DATA + BO_SIZE, 99, false);
	igt_svmgpu_emit(&b.cs, SVMGPU_OP_END, 0, 0, NULL);
	{
		struct drm_svmgpu_sync out = { .flags = DRM_SVMGPU_SYNC_SIGNAL };

		igt_assert_eq(drmSyncobjCreate(fd, 0, &out.handle), 0);
		igt_assert_eq(__exec(&b, 0, &out, 1, &shared_wr, 1), 0);
		done = out.handle;
	}
	usleep(100000);
	igt_assert_eq_u32(smap[0], 0);
	__atomic_store_n(data32(&a, 0), 1, __ATOMIC_SEQ_CST);
	igt_assert_eq(igt_svmgpu_syncobj_status(fd, done), 0);
	igt_assert_eq_u32(smap[0], 99);

	drmSyncobjDestroy(fd, done);
	ctx_fini(&a);
	ctx_fini(&b);
	munmap(smap, BO_SIZE);
}

static void test_unbind_waits(int fd)
{
	struct drm_svmgpu_vm_bind_op op = {
		.op = DRM_SVMGPU_VM_BIND_OP_UNMAP, .va = VA_DATA, .size = BO_SIZE,
	};
	struct ctx c;
	uint64_t t0, t1;
	uint32_t done;

	ctx_init_on(&c, fd, 0);
	/* Held until released, then writes to the range being unmapped. */
	igt_svmgpu_emit(&c.cs, SVMGPU_OP_WAIT, SVMGPU_WAIT_EQ, 3, (uint64_t[]){ c.data.va, 1, ~0ull });
	igt_svmgpu_emit_write(&c.cs, c.data.va + 4, 42, false);
	igt_svmgpu_emit(&c.cs, SVMGPU_OP_END, 0, 0, NULL);
	done = exec_batch(&c, 0);

	igt_fork(child, 1) {
		usleep(300000);
		__atomic_store_n(data32(&c, 0), 1, __ATOMIC_SEQ_CST);
	}
	t0 = now_ns();
	{
		struct drm_svmgpu_vm_bind args = {
			.vm_id = c.vm,
			.ops = { .stride = sizeof(op), .count = 1, .array = (uintptr_t)&op },
		};

		do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args);
	}
	t1 = now_ns();
	igt_waitchildren();

	igt_assert_eq(igt_svmgpu_syncobj_status(fd, done), 0);
	igt_assert_eq_u32(*data32(&c, 4), 42);
	igt_assert_lte_u64(250000000ull, t1 - t0);
	drmSyncobjDestroy(fd, done);
	ctx_fini(&c);
}

static void test_hang_reset(void)
{
	int fd = open_device(), other_fd = open_device();
	struct drm_svmgpu_queue_get_state st;
	struct ctx hang, other;
	uint32_t h, o;

	ctx_init_on(&hang, fd, 0);
	ctx_init_on(&other, other_fd, 0);

	igt_svmgpu_emit(&hang.cs, SVMGPU_OP_WAIT, SVMGPU_WAIT_EQ, 3,
	     (uint64_t[]){ hang.data.va, 1, ~0ull });
	igt_svmgpu_emit(&hang.cs, SVMGPU_OP_END, 0, 0, NULL);
	h = exec_batch(&hang, 0);

	/* The innocent queue on the same engine runs meanwhile. */
	igt_svmgpu_emit_write(&other.cs, other.data.va, 5, false);
	igt_svmgpu_emit(&other.cs, SVMGPU_OP_END, 0, 0, NULL);
	o = exec_batch(&other, 0);
	igt_assert_eq(igt_svmgpu_syncobj_status(other_fd, o), 0);
	igt_assert_eq_u32(*data32(&other, 0), 5);

	igt_assert_eq(igt_svmgpu_syncobj_status(fd, h), -ETIMEDOUT);
	st = igt_svmgpu_queue_state(fd, hang.queue);
	igt_assert_eq_u32(st.state, DRM_SVMGPU_QUEUE_STATE_BANNED);
	igt_assert_eq_u32(st.reset_count, 1);
	igt_assert_eq_u32(st.error, ETIMEDOUT);
	igt_assert_eq(__exec(&hang, 0, NULL, 0, NULL, 0), -EIO);

	/* The other queue is not banned and keeps working. */
	st = igt_svmgpu_queue_state(other_fd, other.queue);
	igt_assert_eq_u32(st.state, 0);
	igt_assert_eq_u32(st.reset_count, 0);
	drmSyncobjDestroy(other_fd, o);
	o = exec_batch(&other, 0);
	igt_assert_eq(igt_svmgpu_syncobj_status(other_fd, o), 0);

	drmSyncobjDestroy(fd, h);
	drmSyncobjDestroy(other_fd, o);
	ctx_fini(&hang);
	ctx_fini(&other);
	drm_close_driver(fd);
	drm_close_driver(other_fd);
}

static void test_fault(int fd, bool read_only)
{
	struct ctx c;
	uint64_t target;
	uint32_t syncobj;

	ctx_init_on(&c, fd, 0);
	if (read_only) {
		struct buf ro;

		buf_init(&c, &ro, VA_DATA + (1ull << 30), BO_SIZE,
			 DRM_SVMGPU_VM_BIND_OP_READ_ONLY);
		target = ro.va + 128;
	} else {
		target = VA_DATA + (3ull << 30) + 0x1234;
	}
	igt_svmgpu_emit_write(&c.cs, c.data.va, 1, false);
	igt_svmgpu_emit_write(&c.cs, target, 2, false);
	igt_svmgpu_emit(&c.cs, SVMGPU_OP_END, 0, 0, NULL);
	syncobj = exec_batch(&c, 0);
	igt_assert_eq(igt_svmgpu_syncobj_status(fd, syncobj), -EFAULT);

	igt_svmgpu_assert_fault_ban(fd, c.queue, target, SVMGPU_ACCESS_WRITE,
				    read_only ? SVMGPU_FAULT_WRITE_PROTECT :
						SVMGPU_FAULT_NOT_PRESENT);
	/* What ran before the fault stays done. */
	igt_assert_eq_u32(*data32(&c, 0), 1);
	drmSyncobjDestroy(fd, syncobj);
	ctx_fini(&c);
}

static void test_bad_command(int fd)
{
	struct drm_svmgpu_queue_get_state st;
	struct ctx c;
	uint32_t syncobj;

	ctx_init_on(&c, fd, 0);
	*c.cs++ = SVMGPU_CMD_HEADER(0x7f, 0, 2);
	*c.cs++ = 0;
	syncobj = exec_batch(&c, 0);
	igt_assert_eq(igt_svmgpu_syncobj_status(fd, syncobj), -EIO);
	st = igt_svmgpu_queue_state(fd, c.queue);
	igt_assert_eq_u32(st.state, DRM_SVMGPU_QUEUE_STATE_BANNED);
	igt_assert_eq_u32(st.error, EIO);
	drmSyncobjDestroy(fd, syncobj);
	ctx_fini(&c);
}

static void test_queue_create_destroy(int fd)
{
	uint32_t vm = igt_svmgpu_vm_create(fd, 0), engines = igt_svmgpu_num_engines(fd);
	uint32_t ids[8];

	for (uint32_t e = 0; e < engines; e++)
		ids[e] = igt_svmgpu_queue_create(fd, vm, e);
	for (uint32_t e = 0; e < engines; e++) {
		struct drm_svmgpu_queue_get_state st = igt_svmgpu_queue_state(fd, ids[e]);

		igt_assert_eq_u32(st.state, 0);
		igt_assert_eq_u32(st.reset_count, 0);
		igt_assert_eq_u32(st.fault_reason, 0);
		igt_svmgpu_queue_destroy(fd, ids[e]);
	}
}

static void test_queue_bad(int fd)
{
	uint32_t vm = igt_svmgpu_vm_create(fd, 0), q = igt_svmgpu_queue_create(fd, vm, 0), id;
	struct drm_svmgpu_queue_create cr = { .vm_id = vm };
	struct drm_svmgpu_queue_destroy de = { .queue_id = q, .pad = 1 };
	struct drm_svmgpu_queue_get_state gs = { .queue_id = q, .pad = 1 };

	cr.flags = 1;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_QUEUE_CREATE, &cr, EINVAL);
	cr.flags = 0;
	cr.extensions = 8;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_QUEUE_CREATE, &cr, EINVAL);
	cr.extensions = 0;
	cr.engine = igt_svmgpu_num_engines(fd);
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_QUEUE_CREATE, &cr, EINVAL);
	igt_assert_eq(__igt_svmgpu_queue_create(fd, vm + 100, 0, &id), -ENOENT);

	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_QUEUE_DESTROY, &de, EINVAL);
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE, &gs, EINVAL);
	de = (struct drm_svmgpu_queue_destroy){ .queue_id = q + 100 };
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_QUEUE_DESTROY, &de, ENOENT);
	gs = (struct drm_svmgpu_queue_get_state){ .queue_id = q + 100 };
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE, &gs, ENOENT);

	/* Nothing above touched the queue. */
	igt_svmgpu_queue_destroy(fd, q);
	de = (struct drm_svmgpu_queue_destroy){ .queue_id = q };
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_QUEUE_DESTROY, &de, ENOENT);
}

static void test_exec_bad(int fd)
{
	struct ctx c;
	struct drm_svmgpu_sync sync = {};
	struct drm_svmgpu_exec_bo bo = {};
	uint32_t syncobj;

	ctx_init_on(&c, fd, 0);
	igt_svmgpu_emit_write(&c.cs, c.data.va, 1, false);
	igt_svmgpu_emit(&c.cs, SVMGPU_OP_END, 0, 0, NULL);
	igt_assert_eq(drmSyncobjCreate(fd, 0, &syncobj), 0);

	/* A valid EXEC of the batch, broken by one assignment. */
#define EXEC_ERR(err, breaks) do { \
		struct drm_svmgpu_exec a = { \
			.queue_id = c.queue, .batch_address = c.batch.va, \
			.batch_size = batch_offset(&c) }; \
		breaks; \
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_EXEC, &a, err); \
	} while (0)
#define ARR(s, n, p) (struct drm_svmgpu_obj_array){ .stride = (s), .count = (n), .array = (p) }

	EXEC_ERR(EINVAL, a.flags = 1);
	EXEC_ERR(EINVAL, a.extensions = 8);
	EXEC_ERR(EINVAL, a.batch_size = 0);
	EXEC_ERR(EINVAL, a.batch_size = 12);
	EXEC_ERR(EINVAL, a.batch_address = VA_BATCH + 4);
	EXEC_ERR(EINVAL, a.batch_size = SVMGPU_BATCH_MAX_SIZE + 8);
	EXEC_ERR(ENOENT, a.queue_id = 1000);
	EXEC_ERR(EINVAL, a.syncs = ARR(8, 1, (uintptr_t)&sync));
	EXEC_ERR(EINVAL, a.syncs = ARR(sizeof(sync), DRM_SVMGPU_EXEC_MAX_SYNCS + 1, (uintptr_t)&sync));
	EXEC_ERR(EFAULT, a.syncs = ARR(sizeof(sync), 1, 8));
	sync = (struct drm_svmgpu_sync){ .flags = 0, .handle = syncobj };
	EXEC_ERR(EINVAL, a.syncs = ARR(sizeof(sync), 1, (uintptr_t)&sync));
	sync.flags = DRM_SVMGPU_SYNC_WAIT | DRM_SVMGPU_SYNC_SIGNAL;
	EXEC_ERR(EINVAL, a.syncs = ARR(sizeof(sync), 1, (uintptr_t)&sync));
	sync = (struct drm_svmgpu_sync){ .flags = DRM_SVMGPU_SYNC_SIGNAL, .handle = syncobj + 100 };
	EXEC_ERR(ENOENT, a.syncs = ARR(sizeof(sync), 1, (uintptr_t)&sync));
	sync = (struct drm_svmgpu_sync){ .flags = DRM_SVMGPU_SYNC_WAIT, .handle = syncobj + 100 };
	EXEC_ERR(ENOENT, a.syncs = ARR(sizeof(sync), 1, (uintptr_t)&sync));
	bo = (struct drm_svmgpu_exec_bo){ .handle = c.data.handle, .flags = 2 };
	EXEC_ERR(EINVAL, a.bos = ARR(sizeof(bo), 1, (uintptr_t)&bo));
	bo = (struct drm_svmgpu_exec_bo){ .handle = c.data.handle + 100 };
	EXEC_ERR(ENOENT, a.bos = ARR(sizeof(bo), 1, (uintptr_t)&bo));
	EXEC_ERR(EINVAL, a.bos = ARR(4, 1, (uintptr_t)&bo));
	EXEC_ERR(EINVAL, a.bos = ARR(sizeof(bo), DRM_SVMGPU_EXEC_MAX_BOS + 1, (uintptr_t)&bo));
#undef ARR
#undef EXEC_ERR

	/* Nothing ran: the data is untouched and the syncobj has no fence. */
	usleep(50000);
	igt_assert_eq_u32(*data32(&c, 0), 0);
	igt_assert_eq(drmSyncobjWait(fd, &syncobj, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq_u32(igt_svmgpu_queue_state(fd, c.queue).state, 0);
	drmSyncobjDestroy(fd, syncobj);
	ctx_fini(&c);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = open_device();

	igt_describe("Queues on every engine are created and destroyed.");
	igt_subtest("queue-create-destroy")
		test_queue_create_destroy(fd);

	igt_describe("Bad QUEUE_CREATE, QUEUE_DESTROY and QUEUE_GET_STATE "
		     "arguments fail with their documented errors.");
	igt_subtest("queue-bad")
		test_queue_bad(fd);

	igt_describe("Each bad EXEC argument fails with its documented error "
		     "and submits nothing.");
	igt_subtest("exec-bad")
		test_exec_bad(fd);

	for (unsigned int i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		igt_describe_f("The %s command does what docs/hardware.md says.",
			       cmds[i].name);
		igt_subtest_f("cmd-%s", cmds[i].name) {
			struct ctx c;

			ctx_init_on(&c, fd, 0);
			cmds[i].fn(&c);
			ctx_fini(&c);
		}
	}

	igt_describe("Jobs of a queue run in submission order.");
	igt_subtest("ordering")
		test_ordering(fd);

	igt_describe("Hundreds of jobs complete, more than fit in a ring.");
	igt_subtest("many-jobs")
		test_many_jobs(fd);

	igt_describe("Queues on all engines, in several VMs and files, run at "
		     "the same time.");
	igt_subtest("many-queues")
		test_many_queues();

	for (const char *const *m = (const char *const[]){ "binary", "timeline",
							  "sync-file", NULL }; *m; m++) {
		igt_describe_f("A job waits for another's %s syncobj and signals "
			       "its own (binary and timeline syncobjs, and "
			       "sync_files made from them).", *m);
		igt_subtest_f("syncobj-%s", *m)
			test_syncobj(fd, *m);
	}

	igt_describe("A sync_file of a job's fence outlives the queue, its VM "
		     "and the file that made it: its info stays readable (the "
		     "fence's timeline name lives in the scheduler, which must "
		     "not be freed under it; KASAN catches a use after free).");
	igt_subtest("sync-file-outlives-queue") {
		struct sync_file_info info = {};
		struct ctx c;
		uint32_t syncobj;
		int sync_file, fd2;

		fd2 = drm_open_driver_render(DRIVER_SVMGPU);
		ctx_init_on(&c, fd2, 0);
		igt_svmgpu_emit_write(&c.cs, c.data.va, 7, false);
		igt_svmgpu_emit(&c.cs, SVMGPU_OP_END, 0, 0, NULL);
		syncobj = exec_batch(&c, 0);
		igt_assert_eq(drmSyncobjWait(fd2, &syncobj, 1, INT64_MAX, 0, NULL), 0);
		igt_assert_eq(drmSyncobjExportSyncFile(fd2, syncobj, &sync_file), 0);
		ctx_fini(&c);
		close(fd2);
		/* A new queue may reuse the scheduler: still no harm. */
		ctx_init_on(&c, fd, 0);
		igt_assert_eq(ioctl(sync_file, SYNC_IOC_FILE_INFO, &info), 0);
		igt_assert_eq(info.status, 1);
		igt_assert(strlen(info.name) > 0);
		ctx_fini(&c);
		close(sync_file);
	}

	igt_describe("A job that writes a BO waits for an earlier job reading "
		     "it on another queue.");
	igt_subtest("implicit-fence")
		test_implicit_fence(fd);

	igt_describe("VM_BIND unmapping memory a running job uses waits for "
		     "the job: the job completes with its memory mapped.");
	igt_subtest("unbind-waits-for-job")
		test_unbind_waits(fd);

	igt_describe("An endless WAIT times out: the queue is reset and "
		     "banned, its job fails with ETIMEDOUT, later EXECs fail "
		     "with EIO, another file's queue carries on.");
	igt_subtest("hang-reset")
		test_hang_reset();

	igt_describe("A write to an unbound address fails the job with "
		     "EFAULT; QUEUE_GET_STATE reports the address, the "
		     "access and the reason.");
	igt_subtest("fault-unbound")
		test_fault(fd, false);

	igt_describe("A write to a read-only mapping faults with WRITE_PROTECT.");
	igt_subtest("fault-read-only")
		test_fault(fd, true);

	igt_describe("An unknown opcode fails the job with EIO and bans the queue.");
	igt_subtest("bad-command")
		test_bad_command(fd);

	igt_fixture
		drm_close_driver(fd);
}
