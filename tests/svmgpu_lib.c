// SPDX-License-Identifier: MIT
/*
 * svmgpu_lib - libsvmgpu end to end on the device.
 *
 * Drives the driver through libsvmgpu only, the way the Vulkan driver
 * will: enumeration and opening, capabilities, BOs and their CPU
 * mappings, dma-buf export and import with the library's handle table,
 * VM binds, queues, batches built with the command-buffer helper and
 * submitted with syncobjs, timelines and sync_files, a faulting job and
 * the queue state it leaves, and every entry point's argument errors.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <svmgpu.h>
#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"

IGT_TEST_DESCRIPTION("libsvmgpu end to end: devices, BOs, VMs, queues, batches, syncobjs, faults.");

#define VA_BATCH	(1ull << 32)
#define VA_DATA		(2ull << 32)
#define VA_UNBOUND	(3ull << 32)
#define BO_SIZE		(64u << 10)
#define SEC		1000000000ll

/* A pointer as a GPU address (the mirror maps CPU addresses 1:1). */
#define u64_of(p)	((uint64_t)(uintptr_t)(p))

/* A VM with a queue, a batch BO with a command buffer and a data BO. */
struct env {
	struct svmgpu_device *dev;
	struct svmgpu_vm *vm;
	struct svmgpu_queue *queue;
	struct svmgpu_bo *batch, *data;
	struct svmgpu_cmdbuf *cb;
	uint8_t *map;		/* the data BO */
};

static void env_init(struct env *e, struct svmgpu_device *dev, uint32_t engine)
{
	void *map;

	memset(e, 0, sizeof(*e));
	e->dev = dev;
	igt_assert_eq(svmgpu_vm_create(dev, 0, &e->vm), 0);
	igt_assert_eq(svmgpu_queue_create(e->vm, engine, 0, &e->queue), 0);
	igt_assert_eq(svmgpu_bo_create(dev, BO_SIZE, 0, &e->batch), 0);
	igt_assert_eq(svmgpu_bo_create(dev, BO_SIZE, 0, &e->data), 0);
	igt_assert_eq(svmgpu_vm_map(e->vm, e->batch, 0, VA_BATCH, BO_SIZE, 0), 0);
	igt_assert_eq(svmgpu_vm_map(e->vm, e->data, 0, VA_DATA, BO_SIZE, 0), 0);
	igt_assert_eq(svmgpu_cmdbuf_create(e->batch, 0, BO_SIZE, VA_BATCH, &e->cb), 0);
	igt_assert_eq(svmgpu_bo_map(e->data, &map), 0);
	e->map = map;
}

static void env_fini(struct env *e)
{
	igt_assert_eq(svmgpu_cmdbuf_destroy(e->cb), 0);
	igt_assert_eq(svmgpu_queue_destroy(e->queue), 0);
	igt_assert_eq(svmgpu_vm_destroy(e->vm), 0);
	igt_assert_eq(svmgpu_bo_destroy(e->batch), 0);
	igt_assert_eq(svmgpu_bo_destroy(e->data), 0);
}

static uint32_t *data32(struct env *e, unsigned int off)
{
	return (uint32_t *)(e->map + off);
}

static uint64_t *data64(struct env *e, unsigned int off)
{
	return (uint64_t *)(e->map + off);
}

/* Submits the current batch; its completion signals a new syncobj. */
static uint32_t submit(struct env *e, const struct svmgpu_sync *waits,
		       uint32_t num_waits)
{
	struct svmgpu_sync out = {};
	struct svmgpu_exec_info info = {
		.waits = waits,
		.num_waits = num_waits,
		.signals = &out,
		.num_signals = 1,
	};

	igt_assert_eq(svmgpu_syncobj_create(e->dev, 0, &out.handle), 0);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(e->cb, &info.batch_address,
					      &info.batch_size), 0);
	igt_assert_eq(svmgpu_exec_submit(e->queue, &info), 0);
	return out.handle;
}

/* Waits for a binary syncobj; returns its fence's error (0 or -errno). */
static int finish(struct svmgpu_device *dev, uint32_t syncobj)
{
	int error = 1;

	igt_assert_eq(svmgpu_syncobj_wait(dev, &syncobj, 1, 10 * SEC, 0, NULL), 0);
	igt_assert_eq(svmgpu_syncobj_status(dev, syncobj, 0, &error), 0);
	igt_assert_eq(svmgpu_syncobj_destroy(dev, syncobj), 0);
	return error;
}

/* Ends the batch, runs it, checks that it succeeded, starts a new one. */
static void run(struct env *e)
{
	igt_assert_eq(svmgpu_cmdbuf_emit_end(e->cb), 0);
	igt_assert_eq(finish(e->dev, submit(e, NULL, 0)), 0);
	igt_assert_eq(svmgpu_cmdbuf_begin(e->cb), 0);
}

static struct svmgpu_device *open_device(unsigned int index)
{
	struct svmgpu_device *dev = NULL;

	igt_require_f(svmgpu_device_count() > (int)index,
		      "needs %u svmgpu device(s)\n", index + 1);
	igt_assert_eq(svmgpu_device_open(index, &dev), 0);
	return dev;
}

static bool kcmp_works(int fd)
{
	pid_t pid = getpid();

	return syscall(SYS_kcmp, pid, pid, KCMP_FILE, fd, fd) == 0;
}

static void test_enumerate(void)
{
	int count = svmgpu_device_count();
	uint64_t seen = 0;
	struct svmgpu_device *dev;

	igt_require(count > 0);
	igt_assert_eq(count, drm_count_render_nodes(DRIVER_SVMGPU));
	for (int i = 0; i < count; i++) {
		const struct svmgpu_device_info *info;

		igt_assert_eq(svmgpu_device_open(i, &dev), 0);
		igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
		igt_info("device %d: %s, index %u, %u engines\n", i, info->node,
			 info->device_index, info->num_engines);
		igt_assert(!strncmp(info->node, "/dev/dri/renderD", 16));
		igt_assert_lt_u32(info->device_index, count);
		igt_assert(!(seen & (1ull << info->device_index)));
		seen |= 1ull << info->device_index;
		igt_assert_eq(svmgpu_device_destroy(dev), 0);
	}
	igt_assert_eq(svmgpu_device_open(count, &dev), -ENODEV);
}

static void test_open_fd(void)
{
	struct svmgpu_device *dev, *again, *other;
	int fd = drm_open_driver_render(DRIVER_SVMGPU);
	int null_fd = open("/dev/null", O_RDWR);
	uint64_t value;

	igt_assert_eq(svmgpu_device_open_fd(fd, &dev), 0);
	/* The device works on its own duplicate. */
	igt_assert_lte(0, svmgpu_device_get_fd(dev));
	igt_assert_neq(svmgpu_device_get_fd(dev), fd);
	close(fd);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_VA_BITS, &value), 0);

	/* One device per DRM file, when the kernel can tell. */
	igt_assert_eq(svmgpu_device_open_fd(svmgpu_device_get_fd(dev), &again), 0);
	if (kcmp_works(svmgpu_device_get_fd(dev)))
		igt_assert(again == dev);
	else
		igt_info("no kcmp(): open_fd made a second device\n");
	igt_assert_eq(svmgpu_device_destroy(again), 0);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_VA_BITS, &value), 0);

	/* Another file of the same device is another device. */
	other = open_device(0);
	igt_assert(other != dev);
	igt_assert_eq(svmgpu_device_destroy(other), 0);
	igt_assert_eq(svmgpu_device_destroy(dev), 0);

	/* Not svmgpu, not open. */
	igt_assert_lte(0, null_fd);
	igt_assert_eq(svmgpu_device_open_fd(null_fd, &dev), -ENODEV);
	close(null_fd);
	igt_assert_eq(svmgpu_device_open_fd(null_fd, &dev), -EBADF);
	fd = __drm_open_driver_render(DRIVER_VGEM);
	if (fd >= 0) {
		igt_assert_eq(svmgpu_device_open_fd(fd, &dev), -ENODEV);
		close(fd);
	}
}

static void test_query(struct svmgpu_device *dev)
{
	const struct svmgpu_device_info *info = NULL;
	drmVersionPtr version;
	uint64_t v;

	igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
	igt_assert(info);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_HW_REVISION, &v), 0);
	igt_assert_eq_u64(v, info->hw_revision);
	igt_assert_eq_u32(info->hw_revision >> 16, 1);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_VA_BITS, &v), 0);
	igt_assert_eq_u64(v, info->va_bits);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_PAGE_SIZES, &v), 0);
	igt_assert_eq_u64(v, info->page_sizes);
	igt_assert(info->page_sizes & 4096);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_NUM_ENGINES, &v), 0);
	igt_assert_eq_u64(v, info->num_engines);
	igt_assert_lte(1, info->num_engines);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_DEVICE_INDEX, &v), 0);
	igt_assert_eq_u64(v, info->device_index);
	igt_assert_eq_u64(info->va_start, DRM_SVMGPU_VM_GUARD);
	igt_assert_eq_u64(info->va_end, (1ull << info->va_bits) - DRM_SVMGPU_VM_GUARD);
	igt_assert_eq_u64(info->max_bo_size, DRM_SVMGPU_GEM_MAX_SIZE);
	version = drmGetVersion(svmgpu_device_get_fd(dev));
	igt_assert(version);
	igt_assert(!strcmp(version->name, "svmgpu"));
	igt_assert_eq(info->drm_major, version->version_major);
	igt_assert_eq(info->drm_minor, version->version_minor);
	igt_assert_eq(info->drm_patchlevel, version->version_patchlevel);
	drmFreeVersion(version);
}

static void test_bo_map(void)
{
	struct svmgpu_device *dev = open_device(0);
	struct svmgpu_bo *bo;
	uint32_t handle = 0;
	uint64_t size = 0;
	uint8_t *p, *q;

	igt_assert_eq(svmgpu_bo_create(dev, 10000, 0, &bo), 0);
	igt_assert_eq(svmgpu_bo_get_size(bo, &size), 0);
	igt_assert_eq_u64(size, 12288);
	igt_assert_eq(svmgpu_bo_get_handle(bo, &handle), 0);
	igt_assert_neq_u32(handle, 0);

	igt_assert_eq(svmgpu_bo_map(bo, (void **)&p), 0);
	igt_assert_eq(svmgpu_bo_map(bo, (void **)&q), 0);
	igt_assert(p == q);
	for (unsigned int i = 0; i < size; i++)
		igt_assert_eq(p[i], 0);
	memset(p, 0x5a, size);

	/* The BO holds the device: destroying the device first is fine. */
	igt_assert_eq(svmgpu_device_destroy(dev), 0);
	igt_assert_eq(svmgpu_bo_ref(bo), 0);
	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
	igt_assert_eq(p[size - 1], 0x5a);
	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
}

static void test_bo_export_import(void)
{
	struct svmgpu_device *dev = open_device(0), *dev2 = open_device(0);
	struct svmgpu_bo *bo, *same, *other;
	uint32_t h, h2;
	uint64_t size;
	uint32_t *p, *p2;
	int fd;

	igt_assert_eq(svmgpu_bo_create(dev, BO_SIZE, 0, &bo), 0);
	igt_assert_eq(svmgpu_bo_map(bo, (void **)&p), 0);
	p[0] = 0xcafe;

	igt_assert_eq(svmgpu_bo_export(bo, &fd), 0);
	igt_assert_lte(0, fd);
	igt_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);

	/* Its own device: the very same BO, one more reference. */
	igt_assert_eq(svmgpu_bo_import(dev, fd, &same), 0);
	igt_assert(same == bo);
	igt_assert_eq(svmgpu_bo_destroy(same), 0);

	/* Another file: another BO, another handle, the same memory. */
	igt_assert_eq(svmgpu_bo_import(dev2, fd, &other), 0);
	igt_assert(other != bo);
	igt_assert_eq(svmgpu_bo_get_size(other, &size), 0);
	igt_assert_eq_u64(size, BO_SIZE);
	igt_assert_eq(svmgpu_bo_get_handle(bo, &h), 0);
	igt_assert_eq(svmgpu_bo_get_handle(other, &h2), 0);
	igt_assert_eq(svmgpu_bo_map(other, (void **)&p2), 0);
	igt_assert_eq_u32(p2[0], 0xcafe);
	p2[1] = 0xbeef;
	igt_assert_eq_u32(p[1], 0xbeef);
	/* Imported twice there too: same BO. */
	igt_assert_eq(svmgpu_bo_import(dev2, fd, &same), 0);
	igt_assert(same == other);
	igt_assert_eq(svmgpu_bo_destroy(same), 0);
	close(fd);

	/* The exporter goes; the importer's BO and mapping stay. */
	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
	igt_assert_eq(svmgpu_device_destroy(dev), 0);
	igt_assert_eq_u32(p2[0], 0xcafe);

	/* Export from the importer, re-import: a fresh lookup, same BO. */
	igt_assert_eq(svmgpu_bo_export(other, &fd), 0);
	igt_assert_eq(svmgpu_bo_import(dev2, fd, &same), 0);
	igt_assert(same == other);
	igt_assert_eq(svmgpu_bo_destroy(same), 0);
	igt_assert_eq(svmgpu_bo_destroy(other), 0);

	/* After the last reference the handle is gone: a new BO. */
	igt_assert_eq(svmgpu_bo_import(dev2, fd, &same), 0);
	igt_assert_eq(svmgpu_bo_map(same, (void **)&p2), 0);
	igt_assert_eq_u32(p2[1], 0xbeef);
	igt_assert_eq(svmgpu_bo_destroy(same), 0);
	close(fd);
	igt_assert_eq(svmgpu_device_destroy(dev2), 0);
}

/* bo-import-race: threads import, map and destroy one dma-buf. */
struct race {
	struct svmgpu_device *dev;
	struct svmgpu_bo *held;	/* the main thread's reference, or NULL */
	int fd;
	void *map;		/* first mapping seen while held */
	int failures;		/* atomic */
};

static void race_fail(struct race *r)
{
	__atomic_fetch_add(&r->failures, 1, __ATOMIC_RELAXED);
}

static void *race_thread(void *arg)
{
	struct race *r = arg;

	for (int i = 0; i < 100; i++) {
		struct svmgpu_bo *bo;
		void *expected = NULL;
		uint32_t *p;

		if (svmgpu_bo_import(r->dev, r->fd, &bo)) {
			race_fail(r);
			continue;
		}
		if (r->held && bo != r->held)
			race_fail(r);
		if (svmgpu_bo_map(bo, (void **)&p)) {
			race_fail(r);
		} else {
			if (p[0] != 0x1234)
				race_fail(r);
			/* While held, every map is the same one. */
			if (r->held &&
			    !__atomic_compare_exchange_n(&r->map, &expected, p, false,
							 __ATOMIC_SEQ_CST,
							 __ATOMIC_SEQ_CST) &&
			    expected != p)
				race_fail(r);
		}
		if (svmgpu_bo_destroy(bo))
			race_fail(r);
	}
	return NULL;
}

static void race_run(struct race *r)
{
	pthread_t threads[4];

	for (unsigned int i = 0; i < 4; i++)
		igt_assert_eq(pthread_create(&threads[i], NULL, race_thread, r), 0);
	for (unsigned int i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	igt_assert_eq(r->failures, 0);
}

static void test_bo_import_race(void)
{
	struct race r = { .dev = open_device(0) };
	struct svmgpu_device *dev2 = open_device(0);
	struct svmgpu_bo *bo, *other;
	uint32_t *p;

	/* Written through another file: this one maps it first in the race. */
	igt_assert_eq(svmgpu_bo_create(dev2, 4096, 0, &bo), 0);
	igt_assert_eq(svmgpu_bo_map(bo, (void **)&p), 0);
	p[0] = 0x1234;
	igt_assert_eq(svmgpu_bo_export(bo, &r.fd), 0);
	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
	igt_assert_eq(svmgpu_device_destroy(dev2), 0);

	/* With a reference held: the same BO, mapped once, by racing threads. */
	igt_assert_eq(svmgpu_bo_import(r.dev, r.fd, &r.held), 0);
	race_run(&r);
	igt_assert_eq(svmgpu_bo_map(r.held, (void **)&p), 0);
	igt_assert(r.map == p);
	igt_assert_eq(svmgpu_bo_destroy(r.held), 0);

	/* Without: the last reference and a new import race. */
	r.held = NULL;
	race_run(&r);

	/* Every reference was dropped: a fresh import is a working BO. */
	igt_assert_eq(svmgpu_bo_import(r.dev, r.fd, &other), 0);
	igt_assert_eq(svmgpu_bo_map(other, (void **)&p), 0);
	igt_assert_eq_u32(p[0], 0x1234);
	igt_assert_eq(svmgpu_bo_destroy(other), 0);
	close(r.fd);
	igt_assert_eq(svmgpu_device_destroy(r.dev), 0);
}

static void test_vm_bind(void)
{
	struct svmgpu_device *dev = open_device(0);
	struct svmgpu_bo *bo, *ro;
	struct env e;
	uint32_t *p, *rop, syncobj;
	struct svmgpu_queue_state st;

	env_init(&e, dev, 0);
	igt_assert_eq(svmgpu_bo_create(dev, 3 * 4096, 0, &bo), 0);
	igt_assert_eq(svmgpu_bo_create(dev, 4096, 0, &ro), 0);
	igt_assert_eq(svmgpu_bo_map(bo, (void **)&p), 0);
	igt_assert_eq(svmgpu_bo_map(ro, (void **)&rop), 0);
	rop[0] = 77;

	/* Page i of bo at VA_DATA + 1 MiB + i * 8 KiB; page 1 unmapped again. */
	{
		const uint64_t base = VA_DATA + (1 << 20);
		const struct svmgpu_vm_bind_op ops[] = {
			{ .op = SVMGPU_VM_BIND_MAP, .bo = bo, .bo_offset = 0,
			  .va = base, .size = 4096 },
			{ .op = SVMGPU_VM_BIND_MAP, .bo = bo, .bo_offset = 4096,
			  .va = base + 8192, .size = 4096 },
			{ .op = SVMGPU_VM_BIND_MAP, .bo = bo, .bo_offset = 8192,
			  .va = base + 16384, .size = 4096 },
			{ .op = SVMGPU_VM_BIND_MAP, .bo = ro,
			  .flags = SVMGPU_VM_BIND_READ_ONLY,
			  .va = base + 32768, .size = 4096 },
			{ .op = SVMGPU_VM_BIND_UNMAP, .va = base + 8192,
			  .size = 4096 },
		};

		igt_assert_eq(svmgpu_vm_bind(e.vm, ops, 5), 0);
		igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, base + 4, 1), 0);
		igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, base + 16384 + 4, 3), 0);
		/* Read the read-only page. */
		igt_assert_eq(svmgpu_cmdbuf_emit_copy(e.cb, VA_DATA, base + 32768, 4), 0);
		run(&e);
		igt_assert_eq_u32(p[1], 1);
		igt_assert_eq_u32(p[1024 + 1], 0);
		igt_assert_eq_u32(p[2048 + 1], 3);
		igt_assert_eq_u32(*data32(&e, 0), 77);

		/* Writing the read-only page faults. */
		igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, base + 32768, 5), 0);
		igt_assert_eq(svmgpu_cmdbuf_emit_end(e.cb), 0);
		syncobj = submit(&e, NULL, 0);
		igt_assert_eq(finish(dev, syncobj), -EFAULT);
		igt_assert_eq(svmgpu_queue_get_state(e.queue, &st), 0);
		igt_assert_eq_u32(st.fault_reason, SVMGPU_FAULT_WRITE_PROTECT);
		igt_assert_eq_u64(st.fault_address, base + 32768);
		igt_assert_eq_u32(rop[0], 77);

		/* svmgpu_vm_unmap takes pages out again. */
		igt_assert_eq(svmgpu_vm_unmap(e.vm, base, 4096), 0);
	}

	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
	igt_assert_eq(svmgpu_bo_destroy(ro), 0);
	env_fini(&e);
	igt_assert_eq(svmgpu_device_destroy(dev), 0);
}

static void test_vm_bind_async(struct svmgpu_device *dev)
{
	const uint64_t va = VA_DATA + (1 << 20);
	struct svmgpu_sync held = {}, done = { .point = 1 };
	struct svmgpu_bo *bo;
	struct svmgpu_vm_bind_op op;
	struct svmgpu_vm_bind_info info;
	uint64_t point = 1, value = ~0ull;
	struct env a, b;
	uint32_t job, *p;

	env_init(&a, dev, 0);
	env_init(&b, dev, 0);
	igt_assert_eq(svmgpu_bo_create(dev, 4096, 0, &bo), 0);
	igt_assert_eq(svmgpu_bo_map(bo, (void **)&p), 0);
	igt_assert_eq(svmgpu_syncobj_create(dev, 0, &done.handle), 0);

	/* A job of another VM, held until the CPU writes 1, signals @held. */
	igt_assert_eq(svmgpu_cmdbuf_emit_wait(a.cb, SVMGPU_WAIT_EQ, VA_DATA, 1,
					      ~0ull), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(a.cb), 0);
	held.handle = submit(&a, NULL, 0);

	op = (struct svmgpu_vm_bind_op){ .op = SVMGPU_VM_BIND_MAP, .bo = bo,
					 .va = va, .size = 4096 };
	info = (struct svmgpu_vm_bind_info){
		.ops = &op, .num_ops = 1,
		.waits = &held, .num_waits = 1,
		.signals = &done, .num_signals = 1,
		.flags = SVMGPU_VM_BIND_ASYNC,
	};
	igt_assert_eq(svmgpu_vm_bind_submit(b.vm, &info), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(b.cb, va + 8, 0x600d), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(b.cb), 0);
	job = submit(&b, NULL, 0);

	usleep(200000);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, &done.handle, &point, 1,
						   0, 0, NULL), -ETIME);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &job, 1, 0, 0, NULL), -ETIME);
	igt_assert_eq_u32(p[2], 0);

	__atomic_store_n(data32(&a, 0), 1, __ATOMIC_SEQ_CST);
	igt_assert_eq(finish(dev, job), 0);
	igt_assert_eq_u32(p[2], 0x600d);
	igt_assert_eq(svmgpu_syncobj_query(dev, done.handle, &value), 0);
	igt_assert_eq_u64(value, 1);
	igt_assert_eq(finish(dev, held.handle), 0);

	igt_assert_eq(svmgpu_syncobj_destroy(dev, done.handle), 0);
	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
	env_fini(&b);
	env_fini(&a);
}

static void test_queue_create(struct svmgpu_device *dev)
{
	const struct svmgpu_device_info *info;
	struct svmgpu_queue *queues[16];
	struct svmgpu_vm *vm;
	uint32_t n, id, prev = UINT32_MAX, vm_id;

	igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
	n = info->num_engines < 16 ? info->num_engines : 16;
	igt_assert_eq(svmgpu_vm_create(dev, 0, &vm), 0);
	igt_assert_eq(svmgpu_vm_get_id(vm, &vm_id), 0);
	for (uint32_t i = 0; i < n; i++) {
		struct svmgpu_queue_state st;

		memset(&st, 0xff, sizeof(st));
		igt_assert_eq(svmgpu_queue_create(vm, i, 0, &queues[i]), 0);
		igt_assert_eq(svmgpu_queue_get_id(queues[i], &id), 0);
		igt_assert_neq_u32(id, prev);
		prev = id;
		igt_assert_eq(svmgpu_queue_get_state(queues[i], &st), 0);
		igt_assert(!st.banned);
		igt_assert_eq_u32(st.reset_count, 0);
		igt_assert_eq(st.error, 0);
		igt_assert_eq_u32(st.fault_reason, 0);
	}
	/* Queues keep their VM alive in the kernel. */
	igt_assert_eq(svmgpu_vm_destroy(vm), 0);
	for (uint32_t i = 0; i < n; i++)
		igt_assert_eq(svmgpu_queue_destroy(queues[i]), 0);
}

static void test_batch(struct svmgpu_device *dev)
{
	struct svmgpu_exec_bo bo_list[1];
	struct svmgpu_sync out = {};
	struct svmgpu_exec_info info = {};
	uint64_t before, after, size;
	struct env e;
	uint8_t *d;

	env_init(&e, dev, 0);
	d = e.map;
	for (unsigned int i = 0; i < 4096; i++)
		d[8192 + i] = i * 7 + 3;
	*data32(&e, 64) = 40;
	*data64(&e, 72) = 5;

	igt_assert_eq(svmgpu_cmdbuf_emit_timestamp(e.cb, VA_DATA + 0), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_nop(e.cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, VA_DATA + 16, 0xdeadbeef), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_write64(e.cb, VA_DATA + 24,
						 0x0123456789abcdefull), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_fill(e.cb, VA_DATA + 4096, 2048,
					      0xa5a5f00d), 0);
	/* Odd offsets and length. */
	igt_assert_eq(svmgpu_cmdbuf_emit_copy(e.cb, VA_DATA + 16384 + 1,
					      VA_DATA + 8192 + 1, 4093), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(e.cb, SVMGPU_ATOMIC_ADD,
						VA_DATA + 64, 2, 0, VA_DATA + 68), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(e.cb, SVMGPU_ATOMIC_CMPXCHG |
						SVMGPU_ATOMIC_64, VA_DATA + 72,
						9, 5, VA_DATA + 80), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(e.cb, SVMGPU_ATOMIC_MAX |
						SVMGPU_ATOMIC_SIGNED,
						VA_DATA + 88, (uint32_t)-3, 0, 0), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_timestamp(e.cb, VA_DATA + 8), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_user_fence(e.cb, SVMGPU_USER_FENCE_IRQ,
						    VA_DATA + 96,
						    0x1122334455667788ull), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(e.cb), 0);
	/* Past END: never executed. */
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, VA_DATA + 16, 1), 0);

	/* With the data BO in the list, written: implicit fencing. */
	bo_list[0] = (struct svmgpu_exec_bo){ .bo = e.data,
					      .flags = SVMGPU_EXEC_BO_WRITE };
	igt_assert_eq(svmgpu_syncobj_create(dev, 0, &out.handle), 0);
	info.signals = &out;
	info.num_signals = 1;
	info.bos = bo_list;
	info.num_bos = 1;
	igt_assert_eq(svmgpu_cmdbuf_get_batch(e.cb, &info.batch_address,
					      &info.batch_size), 0);
	igt_assert_eq_u64(info.batch_address, VA_BATCH);
	igt_assert_eq(svmgpu_exec_submit(e.queue, &info), 0);
	igt_assert_eq(finish(dev, out.handle), 0);

	before = *data64(&e, 0);
	after = *data64(&e, 8);
	igt_assert_neq_u64(before, 0);
	igt_assert_lte_u64(before, after);	/* coarse clocks may tick slowly */
	igt_assert_eq_u32(*data32(&e, 16), 0xdeadbeef);
	igt_assert_eq_u64(*data64(&e, 24), 0x0123456789abcdefull);
	igt_assert_eq_u32(*data32(&e, 4092), 0);
	for (unsigned int off = 4096; off < 4096 + 2048; off += 4)
		igt_assert_eq_u32(*data32(&e, off), 0xa5a5f00d);
	igt_assert_eq_u32(*data32(&e, 4096 + 2048), 0);
	igt_assert(memcmp(d + 16384 + 1, d + 8192 + 1, 4093) == 0);
	igt_assert_eq(d[16384], 0);
	igt_assert_eq(d[16384 + 4094], 0);
	igt_assert_eq_u32(*data32(&e, 64), 42);
	igt_assert_eq_u32(*data32(&e, 68), 40);
	igt_assert_eq_u64(*data64(&e, 72), 9);
	igt_assert_eq_u64(*data64(&e, 80), 5);
	igt_assert_eq_u32(*data32(&e, 88), 0);	/* max(0, -3) signed */
	igt_assert_eq_u64(*data64(&e, 96), 0x1122334455667788ull);

	/* A second batch after the first, in the same window. */
	igt_assert_eq(svmgpu_cmdbuf_get_batch(e.cb, &before, &size), 0);
	igt_assert_eq(svmgpu_cmdbuf_begin(e.cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(e.cb, &after, &size), 0);
	igt_assert_eq_u64(size, 0);
	igt_assert_eq_u64(after, info.batch_address + info.batch_size);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, VA_DATA + 16, 2), 0);
	run(&e);
	igt_assert_eq_u32(*data32(&e, 16), 2);
	env_fini(&e);
}

static void test_cmdbuf_space(struct svmgpu_device *dev)
{
	struct svmgpu_cmdbuf *cb;
	struct svmgpu_bo *bo;
	uint64_t va, size;
	uint32_t *p;

	igt_assert_eq(svmgpu_bo_create(dev, 4096, 0, &bo), 0);
	igt_assert_eq(svmgpu_bo_map(bo, (void **)&p), 0);
	memset(p, 0xff, 4096);
	/* 40 bytes at offset 1024: one WRITE (24) fits, not two. */
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 1024, 40, 0x100000000ull + 1024, &cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(cb, 0x1000, 1), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(cb, 0x1000, 2), -ENOSPC);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(cb, 0, 0x1000, 1, 0, 0), -ENOSPC);
	igt_assert_eq(svmgpu_cmdbuf_emit_timestamp(cb, 0x1000), 0);	/* 16 */
	igt_assert_eq(svmgpu_cmdbuf_emit_nop(cb), -ENOSPC);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(cb), -ENOSPC);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(cb, &va, &size), 0);
	igt_assert_eq_u64(va, 0x100000000ull + 1024);
	igt_assert_eq_u64(size, 40);
	/* Nothing outside the window was touched. */
	igt_assert_eq_u32(p[255], 0xffffffff);
	igt_assert_eq_u32(p[256], SVMGPU_CMD_HEADER(SVMGPU_OP_WRITE, 0, 6));
	igt_assert_eq_u32(p[257], 0);
	igt_assert_eq_u32(p[262], SVMGPU_CMD_HEADER(SVMGPU_OP_TIMESTAMP, 0, 4));
	igt_assert_eq_u32(p[266], 0xffffffff);

	/* begin at the end: an empty batch; reset: the window again. */
	igt_assert_eq(svmgpu_cmdbuf_begin(cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(cb, &va, &size), 0);
	igt_assert_eq_u64(size, 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_nop(cb), -ENOSPC);
	igt_assert_eq(svmgpu_cmdbuf_reset(cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(cb, &va, &size), 0);
	igt_assert_eq_u64(va, 0x100000000ull + 1024);
	igt_assert_eq_u64(size, 8);
	igt_assert_eq_u32(p[256], SVMGPU_CMD_HEADER(SVMGPU_OP_END, 0, 2));

	/* The command buffer holds the BO. */
	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_nop(cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_destroy(cb), 0);
}

/*
 * A job held by a WAIT signals timeline point 1 of T; a job on another
 * queue waits for point 1 through a sync_file and signals point 2.
 */
static void test_syncobj_timeline(struct svmgpu_device *dev)
{
	const struct svmgpu_device_info *info;
	struct svmgpu_sync point1, point2, through_file;
	struct svmgpu_exec_info exec = {};
	uint32_t timeline, imported, first = 99;
	uint64_t points[2] = { 1, 2 }, value = 0;
	uint32_t handles[2];
	struct env a, b;
	int sync_file, error = 1;

	igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
	env_init(&a, dev, 0);
	env_init(&b, dev, info->num_engines > 1 ? 1 : 0);
	igt_assert_eq(svmgpu_syncobj_create(dev, 0, &timeline), 0);
	point1 = (struct svmgpu_sync){ .handle = timeline, .point = 1 };
	point2 = (struct svmgpu_sync){ .handle = timeline, .point = 2 };

	/* A: wait for the CPU, then mark. Signals point 1. */
	igt_assert_eq(svmgpu_cmdbuf_emit_wait(a.cb, SVMGPU_WAIT_EQ, VA_DATA, 1,
					      ~0ull), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(a.cb, VA_DATA + 4, 11), 0);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(a.cb, &exec.batch_address,
					      &exec.batch_size), 0);
	exec.signals = &point1;
	exec.num_signals = 1;
	igt_assert_eq(svmgpu_exec_submit(a.queue, &exec), 0);

	/* Point 1 is submitted, not signalled. */
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, &timeline, &points[0], 1,
						   0, SVMGPU_SYNCOBJ_WAIT_AVAILABLE,
						   NULL), 0);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, &timeline, &points[0], 1,
						   20000000, 0, NULL), -ETIME);
	igt_assert_eq(svmgpu_syncobj_status(dev, timeline, 1, &error), -EBUSY);
	igt_assert_eq(error, 1);
	igt_assert_eq(svmgpu_syncobj_query(dev, timeline, &value), 0);
	igt_assert_eq_u64(value, 0);

	/* B waits for point 1 through a sync_file and signals point 2. */
	igt_assert_eq(svmgpu_syncobj_export_sync_file(dev, timeline, 1, &sync_file), 0);
	igt_assert_eq(svmgpu_syncobj_create(dev, 0, &imported), 0);
	igt_assert_eq(svmgpu_syncobj_import_sync_file(dev, imported, 0, sync_file), 0);
	close(sync_file);
	through_file = (struct svmgpu_sync){ .handle = imported };
	/* B reads A's mark through its own VM. */
	igt_assert_eq(svmgpu_vm_map(b.vm, a.data, 0, VA_DATA + BO_SIZE, BO_SIZE, 0), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_copy(b.cb, VA_DATA, VA_DATA + BO_SIZE + 4, 4), 0);
	memset(&exec, 0, sizeof(exec));
	igt_assert_eq(svmgpu_cmdbuf_get_batch(b.cb, &exec.batch_address,
					      &exec.batch_size), 0);
	exec.waits = &through_file;
	exec.num_waits = 1;
	exec.signals = &point2;
	exec.num_signals = 1;
	igt_assert_eq(svmgpu_exec_submit(b.queue, &exec), 0);

	usleep(100000);
	igt_assert_eq_u32(*data32(&b, 0), 0);
	handles[0] = handles[1] = timeline;
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, handles, points, 2, 0,
						   0, NULL), -ETIME);

	/* Release A: both complete, in order. */
	__atomic_store_n(data32(&a, 0), 1, __ATOMIC_SEQ_CST);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, handles, points, 2,
						   10 * SEC,
						   SVMGPU_SYNCOBJ_WAIT_ALL, NULL), 0);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, handles, points, 2, 0,
						   0, &first), 0);
	igt_assert_lt_u32(first, 2);
	igt_assert_eq_u32(*data32(&b, 0), 11);
	igt_assert_eq(svmgpu_syncobj_query(dev, timeline, &value), 0);
	igt_assert_eq_u64(value, 2);
	igt_assert_eq(svmgpu_syncobj_status(dev, timeline, 2, &error), 0);
	igt_assert_eq(error, 0);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &imported, 1, 0, 0, NULL), 0);
	igt_assert_eq(svmgpu_syncobj_status(dev, imported, 0, &error), 0);
	igt_assert_eq(error, 0);

	/* The CPU adds point 3; binary signal of another syncobj. */
	igt_assert_eq(svmgpu_syncobj_signal(dev, timeline, 3), 0);
	igt_assert_eq(svmgpu_syncobj_query(dev, timeline, &value), 0);
	igt_assert_eq_u64(value, 3);
	igt_assert_eq(svmgpu_syncobj_destroy(dev, imported), 0);
	igt_assert_eq(svmgpu_syncobj_create(dev, 0, &imported), 0);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &imported, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &imported, 1, 10000000,
					  SVMGPU_SYNCOBJ_WAIT_FOR_SUBMIT, NULL), -ETIME);
	igt_assert_eq(svmgpu_syncobj_signal(dev, imported, 0), 0);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &imported, 1, 0, 0, NULL), 0);
	igt_assert_eq(svmgpu_syncobj_destroy(dev, imported), 0);
	igt_assert_eq(svmgpu_syncobj_create(dev, SVMGPU_SYNCOBJ_CREATE_SIGNALED,
					    &imported), 0);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &imported, 1, 0, 0, NULL), 0);
	/* And a timeline point from a sync_file. */
	igt_assert_eq(svmgpu_syncobj_export_sync_file(dev, imported, 0, &sync_file), 0);
	igt_assert_eq(svmgpu_syncobj_import_sync_file(dev, timeline, 4, sync_file), 0);
	close(sync_file);
	igt_assert_eq(svmgpu_syncobj_query(dev, timeline, &value), 0);
	igt_assert_eq_u64(value, 4);
	igt_assert_eq(svmgpu_syncobj_destroy(dev, imported), 0);

	igt_assert_eq(svmgpu_syncobj_destroy(dev, timeline), 0);
	env_fini(&a);
	env_fini(&b);
}

static void test_fault(struct svmgpu_device *dev)
{
	struct svmgpu_queue_state st;
	struct svmgpu_exec_info info = {};
	uint32_t syncobj;
	struct env e;

	env_init(&e, dev, 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, VA_DATA, 1), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, VA_UNBOUND + 0x1234, 2), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(e.cb), 0);
	syncobj = submit(&e, NULL, 0);
	igt_assert_eq(finish(dev, syncobj), -EFAULT);

	igt_assert_eq(svmgpu_queue_get_state(e.queue, &st), 0);
	igt_assert(st.banned);
	igt_assert_eq_u32(st.reset_count, 1);
	igt_assert_eq(st.error, -EFAULT);
	igt_assert_eq_u64(st.fault_address, VA_UNBOUND + 0x1234);
	igt_assert_eq_u32(st.fault_access, SVMGPU_ACCESS_WRITE);
	igt_assert_eq_u32(st.fault_reason, SVMGPU_FAULT_NOT_PRESENT);
	/* What ran before the fault stays done. */
	igt_assert_eq_u32(*data32(&e, 0), 1);

	/* Banned: nothing more is accepted. */
	igt_assert_eq(svmgpu_cmdbuf_get_batch(e.cb, &info.batch_address,
					      &info.batch_size), 0);
	igt_assert_eq(svmgpu_exec_submit(e.queue, &info), -EIO);
	env_fini(&e);
}

/*
 * Fault-mode VMs. Each test has a fault-mode VM mirroring the user half
 * of the process, a queue in it, and a batch BO mapped at VA_BATCH (which
 * takes that range out of the window; the process has nothing there).
 * Jobs end with a USER_FENCE into malloc'd memory and are waited for with
 * svmgpu_user_fence_wait(): a fault-mode job signals no syncobj.
 */

#define MIRROR_END	(1ull << 47)
#define PAGE		4096ull

struct svm_env {
	struct svmgpu_device *dev;
	struct svmgpu_vm *vm;
	struct svmgpu_queue *queue;
	struct svmgpu_bo *batch;
	struct svmgpu_cmdbuf *cb;
	volatile uint64_t *fence;
	uint64_t seq;
};

static void require_fault_mode(struct svmgpu_device *dev)
{
	const struct svmgpu_device_info *info;

	igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
	igt_require_f(info->features & SVMGPU_FEATURE_FAULT_MODE,
		      "the driver has no fault-mode VMs\n");
}

static void svm_env_init(struct svm_env *e, struct svmgpu_device *dev)
{
	const struct svmgpu_device_info *info;

	require_fault_mode(dev);
	memset(e, 0, sizeof(*e));
	e->dev = dev;
	igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
	igt_assert_eq(svmgpu_vm_create(dev, SVMGPU_VM_CREATE_FAULT_MODE, &e->vm), 0);
	igt_assert_eq(svmgpu_vm_mirror(e->vm, info->va_start,
				       MIRROR_END - info->va_start), 0);
	igt_assert_eq(svmgpu_queue_create(e->vm, 0, 0, &e->queue), 0);
	igt_assert_eq(svmgpu_bo_create(dev, BO_SIZE, 0, &e->batch), 0);
	igt_assert_eq(svmgpu_vm_map(e->vm, e->batch, 0, VA_BATCH, BO_SIZE, 0), 0);
	igt_assert_eq(svmgpu_cmdbuf_create(e->batch, 0, BO_SIZE, VA_BATCH, &e->cb), 0);
	e->fence = aligned_alloc(64, 64);
	igt_assert(e->fence);
	*e->fence = 0;
}

static void svm_env_fini(struct svm_env *e)
{
	igt_assert_eq(svmgpu_cmdbuf_destroy(e->cb), 0);
	igt_assert_eq(svmgpu_queue_destroy(e->queue), 0);
	igt_assert_eq(svmgpu_vm_destroy(e->vm), 0);
	igt_assert_eq(svmgpu_bo_destroy(e->batch), 0);
	free((void *)e->fence);
}

/* Ends the batch with the user fence, submits it, starts a new batch. */
static int svm_submit(struct svm_env *e)
{
	struct svmgpu_exec_info info = {};
	int ret;

	igt_assert_eq(svmgpu_cmdbuf_emit_user_fence(e->cb, SVMGPU_USER_FENCE_IRQ,
						    u64_of(e->fence), e->seq + 1), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(e->cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(e->cb, &info.batch_address,
					      &info.batch_size), 0);
	ret = svmgpu_exec_submit(e->queue, &info);
	igt_assert_eq(svmgpu_cmdbuf_begin(e->cb), 0);
	if (!ret)
		e->seq++;
	return ret;
}

/* Submits the batch and waits for its user fence: 0 or the wait's error. */
static int svm_run(struct svm_env *e)
{
	int64_t timeout = 20 * SEC;
	int ret = svm_submit(e);

	if (ret)
		return ret;
	ret = svmgpu_user_fence_wait(e->dev, e->fence, SVMGPU_UFENCE_GTE, e->seq,
				     ~0ull, e->queue, &timeout);
	igt_assert(timeout >= 0 && timeout <= 20 * SEC);
	return ret;
}

static void *map_anon(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

static struct svmgpu_vm_counters svm_counters(struct svm_env *e)
{
	struct svmgpu_vm_counters c;

	memset(&c, 0xff, sizeof(c));
	igt_assert_eq(svmgpu_vm_query_counters(e->vm, &c), 0);
	return c;
}

static void test_svm_features(struct svmgpu_device *dev)
{
	const struct svmgpu_device_info *info;
	uint64_t features = ~0ull;

	igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_FEATURES,
					  &features), 0);
	igt_assert_eq_u64(info->features, features);
	igt_assert_eq_u64(SVMGPU_FEATURE_FAULT_MODE, DRM_SVMGPU_FEATURE_FAULT_MODE);
	require_fault_mode(dev);
}

static void test_svm_mirror(struct svmgpu_device *dev)
{
	size_t size = 64 << 10;
	uint32_t *buf = map_anon(size);
	uint8_t states[16];
	struct svmgpu_vm_counters before, after;
	struct svm_env e;
	unsigned int i;

	svm_env_init(&e, dev);
	for (i = 0; i < size / 4; i++)
		buf[i] = i;
	before = svm_counters(&e);
	igt_assert_eq_u64(before.faults, 0);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, u64_of(buf), size, states), 0);
	for (i = 0; i < 16; i++)
		igt_assert_eq_u32(states[i], 0);

	/* The GPU writes and copies the process's memory at its own addresses. */
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, u64_of(&buf[0]), 0xdeadbeef), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_copy(e.cb, u64_of(&buf[2048]),
					      u64_of(&buf[1024]), 4096), 0);
	igt_assert_eq(svm_run(&e), 0);
	igt_assert_eq_u64(*e.fence, 1);
	igt_assert_eq_u32(buf[0], 0xdeadbeef);
	for (i = 0; i < 1024; i++)
		igt_assert_eq_u32(buf[2048 + i], 1024 + i);
	igt_assert_eq_u32(buf[1], 1);

	/* What the GPU touched is mapped, writable (the CPU mapping is). */
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, u64_of(buf), size, states), 0);
	igt_assert_eq_u32(states[0] & (SVMGPU_PAGE_MAPPED | SVMGPU_PAGE_WRITE),
			  SVMGPU_PAGE_MAPPED | SVMGPU_PAGE_WRITE);
	igt_assert(states[1] & SVMGPU_PAGE_MAPPED);
	igt_assert(states[2] & SVMGPU_PAGE_WRITE);
	after = svm_counters(&e);
	igt_assert(after.faults > 0);
	igt_assert(after.pages_4k + after.pages_2m > 0);
	igt_assert_eq_u64(after.faults_unresolved, 0);

	/* munmap tears the GPU mapping down. */
	munmap(buf, size);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, u64_of(buf), size, states), 0);
	for (i = 0; i < 16; i++)
		igt_assert_eq_u32(states[i], 0);
	igt_assert(svm_counters(&e).invalidations > after.invalidations);
	svm_env_fini(&e);
}

static void test_svm_prefetch(struct svmgpu_device *dev)
{
	size_t size = 1 << 20;
	uint8_t *p = map_anon(size);
	uint8_t *states = malloc(size / PAGE);
	struct svmgpu_vm_counters before, after;
	struct svm_env e;
	size_t i;

	svm_env_init(&e, dev);
	memset(p, 3, size);
	igt_assert_eq(svmgpu_vm_prefetch(e.vm, u64_of(p), size), 0);
	igt_assert_eq(svmgpu_vm_prefetch(e.vm, u64_of(e.fence) & ~(PAGE - 1),
					 PAGE), 0);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, u64_of(p), size, states), 0);
	for (i = 0; i < size / PAGE; i++)
		igt_assert_eq_u32(states[i] & (SVMGPU_PAGE_MAPPED | SVMGPU_PAGE_WRITE),
				  SVMGPU_PAGE_MAPPED | SVMGPU_PAGE_WRITE);
	before = svm_counters(&e);
	igt_assert(before.prefetched >= size + PAGE);
	igt_assert_eq_u64(before.faults, 0);

	/* A job inside the prefetched range takes no fault. */
	igt_assert_eq(svmgpu_cmdbuf_emit_fill(e.cb, u64_of(p), size, 0x77777777), 0);
	igt_assert_eq(svm_run(&e), 0);
	after = svm_counters(&e);
	igt_assert_eq_u64(after.faults, before.faults);
	for (i = 0; i < size; i++)
		igt_assert_eq_u32(p[i], 0x77);
	svm_env_fini(&e);
	munmap(p, size);
	free(states);
}

static void test_user_fence_wait(struct svmgpu_device *dev)
{
	static const struct {
		uint32_t op;
		uint64_t value, mask;
		int ret;
	} cases[] = {
		{ SVMGPU_UFENCE_EQ, 5, ~0ull, 0 },
		{ SVMGPU_UFENCE_EQ, 6, ~0ull, -ETIME },
		{ SVMGPU_UFENCE_EQ, 0xf05, 0xff, 0 },	/* masked */
		{ SVMGPU_UFENCE_EQ, 6, 0, 0 },		/* nothing compared */
		{ SVMGPU_UFENCE_NEQ, 6, ~0ull, 0 },
		{ SVMGPU_UFENCE_NEQ, 5, ~0ull, -ETIME },
		{ SVMGPU_UFENCE_GT, 4, ~0ull, 0 },
		{ SVMGPU_UFENCE_GT, 5, ~0ull, -ETIME },
		{ SVMGPU_UFENCE_GT, ~0ull, 0xf, -ETIME },	/* 5 > 0xf? */
		{ SVMGPU_UFENCE_GT, 0x104, 0xf, 0 },	/* 5 > 4 */
		{ SVMGPU_UFENCE_GTE, 5, ~0ull, 0 },
		{ SVMGPU_UFENCE_GTE, 6, ~0ull, -ETIME },
		{ SVMGPU_UFENCE_LT, 6, ~0ull, 0 },
		{ SVMGPU_UFENCE_LT, 5, ~0ull, -ETIME },
		{ SVMGPU_UFENCE_LT, ~0ull, ~0ull, 0 },	/* unsigned */
		{ SVMGPU_UFENCE_LTE, 5, ~0ull, 0 },
		{ SVMGPU_UFENCE_LTE, 4, ~0ull, -ETIME },
	};
	volatile uint64_t *v = aligned_alloc(64, 64);
	struct svm_env e;
	int64_t timeout;
	unsigned int i;

	require_fault_mode(dev);
	*v = 5;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		timeout = 0;
		igt_assert_f(svmgpu_user_fence_wait(dev, v, cases[i].op, cases[i].value,
						    cases[i].mask, NULL,
						    &timeout) == cases[i].ret,
			     "case %u\n", i);
		igt_assert(timeout == 0);
	}

	/* A condition that holds at once leaves the timeout as it was. */
	timeout = 3 * SEC;
	igt_assert_eq(svmgpu_user_fence_wait(dev, v, SVMGPU_UFENCE_EQ, 5, ~0ull,
					     NULL, &timeout), 0);
	igt_assert(timeout == 3 * SEC);
	timeout = -1;
	igt_assert_eq(svmgpu_user_fence_wait(dev, v, SVMGPU_UFENCE_EQ, 5, ~0ull,
					     NULL, &timeout), 0);
	igt_assert(timeout == -1);
	/* One that never holds runs the timeout out and leaves 0. */
	timeout = 20 * 1000 * 1000;
	igt_assert_eq(svmgpu_user_fence_wait(dev, v, SVMGPU_UFENCE_EQ, 6, ~0ull,
					     NULL, &timeout), -ETIME);
	igt_assert(timeout == 0);
	igt_assert_eq_u64(*v, 5);

	/* The GPU's USER_FENCE (with IRQ) ends a wait on a queue. */
	svm_env_init(&e, dev);
	for (i = 0; i < 3; i++)
		igt_assert_eq(svm_submit(&e), 0);
	timeout = 20 * SEC;
	igt_assert_eq(svmgpu_user_fence_wait(dev, e.fence, SVMGPU_UFENCE_EQ, 3,
					     ~0ull, e.queue, &timeout), 0);
	igt_assert(timeout > 0 && timeout <= 20 * SEC);
	igt_assert_eq_u64(*e.fence, 3);
	svm_env_fini(&e);
	free((void *)v);
}

static void test_user_fence_banned(struct svmgpu_device *dev)
{
	struct svmgpu_queue_state st;
	struct svmgpu_exec_info info = {};
	size_t size = 64 << 10;
	uint32_t *p = map_anon(size);
	struct svm_env e;
	int64_t timeout;

	svm_env_init(&e, dev);
	p[0] = 1;
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, u64_of(p), 2), 0);
	igt_assert_eq(svm_run(&e), 0);
	igt_assert_eq_u32(p[0], 2);

	/* The memory goes; the next access is a fault nothing can resolve. */
	munmap(p, size);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, u64_of(&p[3]), 3), 0);
	igt_assert_eq(svm_run(&e), -EIO);
	igt_assert_eq(svmgpu_queue_get_state(e.queue, &st), 0);
	igt_assert(st.banned);
	igt_assert_eq(st.error, -EFAULT);
	igt_assert_eq_u64(st.fault_address & ~(PAGE - 1), u64_of(p));
	igt_assert_eq_u32(st.fault_access, SVMGPU_ACCESS_WRITE);
	igt_assert_eq_u32(st.fault_reason, DRM_SVMGPU_FAULT_NO_VMA);
	igt_assert(svm_counters(&e).faults_unresolved >= 1);

	/* -EIO at once, also with time left; 0 if the condition holds. */
	timeout = 5 * SEC;
	igt_assert_eq(svmgpu_user_fence_wait(dev, e.fence, SVMGPU_UFENCE_GTE, e.seq,
					     ~0ull, e.queue, &timeout), -EIO);
	igt_assert(timeout == 5 * SEC);
	igt_assert_eq(svmgpu_user_fence_wait(dev, e.fence, SVMGPU_UFENCE_GTE, 1,
					     ~0ull, e.queue, &timeout), 0);
	/* Without the queue the wait does not know, and times out. */
	timeout = 0;
	igt_assert_eq(svmgpu_user_fence_wait(dev, e.fence, SVMGPU_UFENCE_GTE, e.seq,
					     ~0ull, NULL, &timeout), -ETIME);
	igt_assert_eq(svmgpu_exec_submit(e.queue, &info), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(e.cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(e.cb, &info.batch_address,
					      &info.batch_size), 0);
	igt_assert_eq(svmgpu_exec_submit(e.queue, &info), -EIO);
	svm_env_fini(&e);
}

static void test_svm_attrs(struct svmgpu_device *dev)
{
	size_t size = 4 << 20;
	uint32_t *p = map_anon(size), *out = malloc(64);
	uint64_t half = u64_of(p) + size / 2;
	uint8_t state;
	struct svmgpu_vm_attr get[4] = {
		{ .type = SVMGPU_ATTR_ACCESS },
		{ .type = SVMGPU_ATTR_MAX_CHUNK },
		{ .type = SVMGPU_ATTR_READ_MOSTLY },
		{ .type = SVMGPU_ATTR_PREFERRED_LOCATION },
	};
	struct svmgpu_vm_attr ro = { SVMGPU_ATTR_ACCESS, SVMGPU_ATTR_ACCESS_READ };
	struct svmgpu_vm_attr two[2] = {
		{ SVMGPU_ATTR_MAX_CHUNK, 65536 },
		{ SVMGPU_ATTR_READ_MOSTLY, 1 },
	};
	struct svmgpu_queue_state st;
	struct svm_env e;

	svm_env_init(&e, dev);
	/* Defaults. */
	igt_assert_eq(svmgpu_vm_get_attrs(e.vm, u64_of(p), size, get, 4), 0);
	igt_assert_eq_u64(get[0].value, SVMGPU_ATTR_ACCESS_READ_WRITE);
	igt_assert_eq_u64(get[1].value, 2 << 20);
	igt_assert_eq_u64(get[2].value, 0);
	igt_assert_eq_u64(get[3].value, SVMGPU_ATTR_LOCATION_SYSTEM);

	/* Read-only second half: the whole range is mixed, each half not. */
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, half, size / 2, &ro, 1), 0);
	igt_assert_eq(svmgpu_vm_get_attrs(e.vm, u64_of(p), size, get, 4), 0);
	igt_assert_eq_u64(get[0].value, SVMGPU_ATTR_MIXED);
	igt_assert_eq_u64(get[1].value, 2 << 20);
	igt_assert_eq(svmgpu_vm_get_attrs(e.vm, half, size / 2, get, 1), 0);
	igt_assert_eq_u64(get[0].value, SVMGPU_ATTR_ACCESS_READ);
	igt_assert_eq(svmgpu_vm_get_attrs(e.vm, u64_of(p), size / 2, get, 1), 0);
	igt_assert_eq_u64(get[0].value, SVMGPU_ATTR_ACCESS_READ_WRITE);

	/* Two at once on the first half; read back. */
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, u64_of(p), size / 2, two, 2), 0);
	igt_assert_eq(svmgpu_vm_get_attrs(e.vm, u64_of(p), size / 2, get, 4), 0);
	igt_assert_eq_u64(get[0].value, SVMGPU_ATTR_ACCESS_READ_WRITE);
	igt_assert_eq_u64(get[1].value, 65536);
	igt_assert_eq_u64(get[2].value, 1);

	/* Read-mostly: a GPU read maps the (CPU-writable) page read-only. */
	p[0] = 42;
	igt_assert_eq(svmgpu_cmdbuf_emit_copy(e.cb, u64_of(out), u64_of(p), 4), 0);
	igt_assert_eq(svm_run(&e), 0);
	igt_assert_eq_u32(out[0], 42);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, u64_of(p), PAGE, &state), 0);
	igt_assert_eq_u32(state & (SVMGPU_PAGE_MAPPED | SVMGPU_PAGE_WRITE),
			  SVMGPU_PAGE_MAPPED);

	/* A write the ACCESS attribute forbids is an unresolvable fault. */
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, half + 8, 1), 0);
	igt_assert_eq(svm_run(&e), -EIO);
	igt_assert_eq(svmgpu_queue_get_state(e.queue, &st), 0);
	igt_assert(st.banned);
	igt_assert_eq_u32(st.fault_reason, DRM_SVMGPU_FAULT_ATTR_ACCESS);
	igt_assert_eq_u64(st.fault_address & ~(PAGE - 1), half);
	igt_assert_eq_u32(p[size / 8 + 2], 0);
	svm_env_fini(&e);
	munmap(p, size);
	free(out);
}

static void bad_args_svm(struct svmgpu_device *dev)
{
	struct svmgpu_device *dev2 = open_device(0);
	const struct svmgpu_device_info *info;
	struct svmgpu_vm *plain, *out = NULL;
	struct svmgpu_queue *foreign_q;
	struct svmgpu_vm_counters c;
	struct svmgpu_vm_attr attrs[DRM_SVMGPU_VM_ATTR_MAX + 1];
	struct svmgpu_vm_attr a = { SVMGPU_ATTR_ACCESS, SVMGPU_ATTR_ACCESS_READ };
	struct svmgpu_vm_bind_op op = { .op = SVMGPU_VM_BIND_MIRROR, .va = VA_DATA,
					.size = 8192 };
	struct svmgpu_vm_bind_info bi = { .ops = &op, .num_ops = 1,
					  .flags = SVMGPU_VM_BIND_ASYNC };
	volatile uint64_t *v = aligned_alloc(64, 64);
	uint8_t *gone = map_anon(PAGE);
	uint8_t states[4] = { 9, 9, 9, 9 };
	int64_t timeout;
	struct svm_env e;
	uint64_t end;
	unsigned int i;

	svm_env_init(&e, dev);
	igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
	end = info->va_end;
	munmap(gone, PAGE);
	*v = 1;

	/* VM creation and the window binds. */
	igt_assert_eq(svmgpu_vm_create(dev, 1u << 31, &out), -EINVAL);
	igt_assert(!out);
	igt_assert_eq(svmgpu_vm_create(dev, 0, &plain), 0);
	igt_assert_eq(svmgpu_vm_mirror(NULL, VA_DATA, 8192), -EINVAL);
	igt_assert_eq(svmgpu_vm_mirror(e.vm, VA_DATA + 1, 8192), -EINVAL);
	igt_assert_eq(svmgpu_vm_mirror(e.vm, VA_DATA, 0), -EINVAL);
	igt_assert_eq(svmgpu_vm_mirror(e.vm, 0, 8192), -EINVAL);
	igt_assert_eq(svmgpu_vm_mirror(e.vm, end, 8192), -EINVAL);
	igt_assert_eq(svmgpu_vm_mirror(plain, VA_DATA, 8192), -EINVAL);
	igt_assert_eq(svmgpu_vm_prefetch(NULL, VA_DATA, 8192), -EINVAL);
	igt_assert_eq(svmgpu_vm_prefetch(e.vm, VA_DATA, 4095), -EINVAL);
	igt_assert_eq(svmgpu_vm_prefetch(plain, VA_DATA, 8192), -EINVAL);
	igt_assert_eq(svmgpu_vm_prefetch(e.vm, u64_of(gone), PAGE), -EFAULT);
	/* Outside the window: the batch BO's range. */
	igt_assert_eq(svmgpu_vm_prefetch(e.vm, VA_BATCH, PAGE), -EFAULT);
	op.bo = e.batch;
	igt_assert_eq(svmgpu_vm_bind(e.vm, &op, 1), -EINVAL);
	op.bo = NULL;
	op.flags = SVMGPU_VM_BIND_READ_ONLY;
	igt_assert_eq(svmgpu_vm_bind(e.vm, &op, 1), -EINVAL);
	op.flags = 0;
	op.bo_offset = PAGE;
	igt_assert_eq(svmgpu_vm_bind(e.vm, &op, 1), -EINVAL);
	op.bo_offset = 0;
	/* A fault-mode VM binds synchronously only. */
	igt_assert_eq(svmgpu_vm_bind_submit(e.vm, &bi), -EINVAL);

	/* Queries. */
	igt_assert_eq(svmgpu_vm_query_pages(NULL, VA_DATA, PAGE, states), -EINVAL);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, VA_DATA, PAGE, NULL), -EINVAL);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, VA_DATA + 1, PAGE, states), -EINVAL);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, VA_DATA, 100, states), -EINVAL);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, VA_DATA, 0, states), -EINVAL);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, VA_DATA,
					    SVMGPU_VM_QUERY_MAX_SIZE + PAGE,
					    states), -EINVAL);
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, end - PAGE, 2 * PAGE, states),
		      -EINVAL);
	igt_assert_eq(svmgpu_vm_query_pages(plain, VA_DATA, PAGE, states), -EINVAL);
	for (i = 0; i < 4; i++)
		igt_assert_eq_u32(states[i], 9);
	/* The low guard may be queried: nothing is ever mapped there. */
	igt_assert_eq(svmgpu_vm_query_pages(e.vm, 0, 4 * PAGE, states), 0);
	for (i = 0; i < 4; i++)
		igt_assert_eq_u32(states[i], 0);
	igt_assert_eq(svmgpu_vm_query_counters(NULL, &c), -EINVAL);
	igt_assert_eq(svmgpu_vm_query_counters(e.vm, NULL), -EINVAL);
	igt_assert_eq(svmgpu_vm_query_counters(plain, &c), -EINVAL);

	/* Attributes: nothing changes on any failure. */
	for (i = 0; i < DRM_SVMGPU_VM_ATTR_MAX + 1; i++)
		attrs[i] = (struct svmgpu_vm_attr){ SVMGPU_ATTR_ACCESS, 1 };
	igt_assert_eq(svmgpu_vm_set_attrs(NULL, VA_DATA, PAGE, &a, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, NULL, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, &a, 0), -EINVAL);
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, attrs,
					  DRM_SVMGPU_VM_ATTR_MAX + 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA + 8, PAGE, &a, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, 0, &a, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, 0, PAGE, &a, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, end, PAGE, &a, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_set_attrs(plain, VA_DATA, PAGE, &a, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, attrs, 2), -EINVAL);
	attrs[0] = (struct svmgpu_vm_attr){ 99, 0 };
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, attrs, 1), -EINVAL);
	attrs[0] = (struct svmgpu_vm_attr){ SVMGPU_ATTR_ACCESS, 3 };
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, attrs, 1), -EINVAL);
	attrs[0] = (struct svmgpu_vm_attr){ SVMGPU_ATTR_MAX_CHUNK, 8192 };
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, attrs, 1), -EINVAL);
	attrs[0] = (struct svmgpu_vm_attr){ SVMGPU_ATTR_READ_MOSTLY, 2 };
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, attrs, 1), -EINVAL);
	/* A valid one followed by an invalid one: neither applies. */
	attrs[0] = a;
	attrs[1] = (struct svmgpu_vm_attr){ SVMGPU_ATTR_PREFERRED_LOCATION, 7 };
	igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, attrs, 2), -EINVAL);
	a.value = 12345;
	igt_assert_eq(svmgpu_vm_get_attrs(NULL, VA_DATA, PAGE, &a, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_get_attrs(e.vm, VA_DATA, PAGE, NULL, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_get_attrs(e.vm, VA_DATA, PAGE, &a, 0), -EINVAL);
	igt_assert_eq(svmgpu_vm_get_attrs(plain, VA_DATA, PAGE, &a, 1), -EINVAL);
	attrs[0] = (struct svmgpu_vm_attr){ 99, 12345 };
	igt_assert_eq(svmgpu_vm_get_attrs(e.vm, VA_DATA, PAGE, attrs, 1), -EINVAL);
	igt_assert_eq_u64(attrs[0].value, 12345);
	igt_assert_eq_u64(a.value, 12345);
	igt_assert_eq(svmgpu_vm_get_attrs(e.vm, VA_DATA, PAGE, &a, 1), 0);
	igt_assert_eq_u64(a.value, SVMGPU_ATTR_ACCESS_READ_WRITE);

	/* User-fence waits. */
	igt_assert_eq(svmgpu_queue_create(plain, 0, 0, &foreign_q), 0);
	timeout = 77;
	igt_assert_eq(svmgpu_user_fence_wait(NULL, v, SVMGPU_UFENCE_EQ, 1, ~0ull,
					     NULL, &timeout), -EINVAL);
	igt_assert_eq(svmgpu_user_fence_wait(dev, NULL, SVMGPU_UFENCE_EQ, 1, ~0ull,
					     NULL, &timeout), -EINVAL);
	igt_assert_eq(svmgpu_user_fence_wait(dev, v, SVMGPU_UFENCE_EQ, 1, ~0ull,
					     NULL, NULL), -EINVAL);
	igt_assert_eq(svmgpu_user_fence_wait(dev, (volatile uint64_t *)((uintptr_t)v + 4),
					     SVMGPU_UFENCE_EQ, 1, ~0ull, NULL,
					     &timeout), -EINVAL);
	igt_assert_eq(svmgpu_user_fence_wait(dev, v, SVMGPU_UFENCE_LTE + 1, 1, ~0ull,
					     NULL, &timeout), -EINVAL);
	igt_assert_eq(svmgpu_user_fence_wait(dev, v, ~0u, 1, ~0ull, NULL,
					     &timeout), -EINVAL);
	igt_assert(timeout == 77);
	/* A queue is of one device: dev2 is another file. */
	igt_assert_eq(svmgpu_user_fence_wait(dev2, v, SVMGPU_UFENCE_EQ, 1, ~0ull,
					     e.queue, &timeout), -EINVAL);
	/* A queue of a dma-fence VM of the same device is fine. */
	igt_assert_eq(svmgpu_user_fence_wait(dev, v, SVMGPU_UFENCE_EQ, 1, ~0ull,
					     foreign_q, &timeout), 0);
	igt_assert_eq(svmgpu_user_fence_wait(dev, (const volatile uint64_t *)gone,
					     SVMGPU_UFENCE_EQ, 1, ~0ull, NULL,
					     &timeout), -EFAULT);
	igt_assert(timeout == 77);

	/* Only the process that made the VM binds windows or sets attributes. */
	igt_fork(child, 1) {
		a = (struct svmgpu_vm_attr){ SVMGPU_ATTR_ACCESS, SVMGPU_ATTR_ACCESS_READ };
		igt_assert_eq(svmgpu_vm_mirror(e.vm, VA_DATA, 8192), -EACCES);
		igt_assert_eq(svmgpu_vm_prefetch(e.vm, u64_of(v) & ~(PAGE - 1), PAGE),
			      -EACCES);
		igt_assert_eq(svmgpu_vm_set_attrs(e.vm, VA_DATA, PAGE, &a, 1), -EACCES);
		/* Reading is allowed. */
		igt_assert_eq(svmgpu_vm_get_attrs(e.vm, VA_DATA, PAGE, &a, 1), 0);
		igt_assert_eq(svmgpu_vm_query_counters(e.vm, &c), 0);
	}
	igt_waitchildren();

	igt_assert_eq(svmgpu_queue_destroy(foreign_q), 0);
	igt_assert_eq(svmgpu_vm_destroy(plain), 0);
	svm_env_fini(&e);
	igt_assert_eq(svmgpu_device_destroy(dev2), 0);
	free((void *)v);
}

/* Negative cases, one noun at a time. */

static void bad_args_device(struct svmgpu_device *dev)
{
	const struct svmgpu_device_info *info;
	struct svmgpu_device *out = NULL;
	uint64_t v = 7;

	igt_assert_eq(svmgpu_device_open(0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_device_open(1000, &out), -ENODEV);
	igt_assert_eq(svmgpu_device_open_fd(-1, &out), -EINVAL);
	igt_assert_eq(svmgpu_device_open_fd(svmgpu_device_get_fd(dev), NULL), -EINVAL);
	igt_assert_eq(svmgpu_device_open_fd(1000000, &out), -EBADF);
	igt_assert(!out);
	igt_assert_eq(svmgpu_device_destroy(NULL), -EINVAL);
	igt_assert_eq(svmgpu_device_get_fd(NULL), -EINVAL);
	igt_assert_eq(svmgpu_device_get_info(NULL, &info), -EINVAL);
	igt_assert_eq(svmgpu_device_get_info(dev, NULL), -EINVAL);
	igt_assert_eq(svmgpu_device_query(NULL, DRM_SVMGPU_PARAM_VA_BITS, &v), -EINVAL);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_VA_BITS, NULL), -EINVAL);
	igt_assert_eq(svmgpu_device_query(dev, DRM_SVMGPU_PARAM_COUNT, &v), -EINVAL);
	igt_assert_eq(svmgpu_device_query(dev, ~0u, &v), -EINVAL);
	igt_assert_eq_u64(v, 7);
}

static void bad_args_bo(struct svmgpu_device *dev)
{
	struct svmgpu_device *dev2 = open_device(0);
	struct svmgpu_bo *bo, *out = NULL;
	char path[] = "/tmp/svmgpu_lib.XXXXXX";
	uint32_t handle;
	uint64_t size;
	void *ptr;
	int fd;

	igt_assert_eq(svmgpu_bo_create(NULL, 4096, 0, &out), -EINVAL);
	igt_assert_eq(svmgpu_bo_create(dev, 0, 0, &out), -EINVAL);
	igt_assert_eq(svmgpu_bo_create(dev, DRM_SVMGPU_GEM_MAX_SIZE + 1, 0, &out), -EINVAL);
	igt_assert_eq(svmgpu_bo_create(dev, 4096, 1, &out), -EINVAL);
	igt_assert_eq(svmgpu_bo_create(dev, 4096, 0, NULL), -EINVAL);
	igt_assert(!out);

	igt_assert_eq(svmgpu_bo_create(dev, 4096, 0, &bo), 0);
	igt_assert_eq(svmgpu_bo_export(bo, &fd), 0);
	igt_assert_eq(svmgpu_bo_import(NULL, fd, &out), -EINVAL);
	igt_assert_eq(svmgpu_bo_import(dev, -1, &out), -EINVAL);
	igt_assert_eq(svmgpu_bo_import(dev, fd, NULL), -EINVAL);
	close(fd);
	igt_assert_eq(svmgpu_bo_import(dev, fd, &out), -EBADF);
	/* Not a dma-buf: an empty one, then a regular file with data. */
	fd = open("/dev/null", O_RDWR);
	igt_assert_eq(svmgpu_bo_import(dev, fd, &out), -EINVAL);
	close(fd);
	fd = mkstemp(path);
	igt_assert_lte(0, fd);
	unlink(path);
	igt_assert_eq(ftruncate(fd, 4096), 0);
	igt_assert_eq(svmgpu_bo_import(dev, fd, &out), -EINVAL);
	close(fd);
	igt_assert(!out);

	igt_assert_eq(svmgpu_bo_ref(NULL), -EINVAL);
	igt_assert_eq(svmgpu_bo_destroy(NULL), -EINVAL);
	igt_assert_eq(svmgpu_bo_map(NULL, &ptr), -EINVAL);
	igt_assert_eq(svmgpu_bo_map(bo, NULL), -EINVAL);
	igt_assert_eq(svmgpu_bo_get_handle(NULL, &handle), -EINVAL);
	igt_assert_eq(svmgpu_bo_get_handle(bo, NULL), -EINVAL);
	igt_assert_eq(svmgpu_bo_get_size(NULL, &size), -EINVAL);
	igt_assert_eq(svmgpu_bo_get_size(bo, NULL), -EINVAL);
	igt_assert_eq(svmgpu_bo_export(NULL, &fd), -EINVAL);
	igt_assert_eq(svmgpu_bo_export(bo, NULL), -EINVAL);

	/* A BO larger than RAM is created, but cannot be mapped. */
	igt_assert_eq(svmgpu_bo_create(dev2, 1ull << 39, 0, &out), 0);
	igt_assert_eq(svmgpu_bo_map(out, &ptr), -ENOMEM);
	igt_assert_eq(svmgpu_bo_destroy(out), 0);

	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
	igt_assert_eq(svmgpu_device_destroy(dev2), 0);
}

static void bad_args_vm(struct svmgpu_device *dev)
{
	const struct svmgpu_device_info *info;
	struct svmgpu_device *dev2 = open_device(0);
	struct svmgpu_bo *bo, *foreign;
	struct svmgpu_vm *vm, *out = NULL;
	struct svmgpu_vm_bind_op ops[DRM_SVMGPU_VM_BIND_MAX_OPS + 1];
	const struct svmgpu_vm_bind_op good = {
		.op = SVMGPU_VM_BIND_MAP, .va = VA_DATA, .size = 8192,
	};
	uint32_t id;

	igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
	igt_assert_eq(svmgpu_vm_create(NULL, 0, &out), -EINVAL);
	igt_assert_eq(svmgpu_vm_create(dev, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_vm_create(dev, 1u << 31, &out), -EINVAL);
	igt_assert(!out);
	igt_assert_eq(svmgpu_vm_destroy(NULL), -EINVAL);
	igt_assert_eq(svmgpu_vm_create(dev, 0, &vm), 0);
	igt_assert_eq(svmgpu_vm_get_id(NULL, &id), -EINVAL);
	igt_assert_eq(svmgpu_vm_get_id(vm, NULL), -EINVAL);

	igt_assert_eq(svmgpu_bo_create(dev, 8192, 0, &bo), 0);
	igt_assert_eq(svmgpu_bo_create(dev2, 8192, 0, &foreign), 0);
	for (unsigned int i = 0; i < DRM_SVMGPU_VM_BIND_MAX_OPS + 1; i++) {
		ops[i] = good;
		ops[i].bo = bo;
	}
	igt_assert_eq(svmgpu_vm_bind(NULL, ops, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_bind(vm, NULL, 1), -EINVAL);
	igt_assert_eq(svmgpu_vm_bind(vm, ops, 0), -EINVAL);
	igt_assert_eq(svmgpu_vm_bind(vm, ops, DRM_SVMGPU_VM_BIND_MAX_OPS + 1), -EINVAL);

	/* One bad field of one operation (the second), all others valid. */
#define BIND_ERR(err, breaks) do { \
		struct svmgpu_vm_bind_op two[2] = { ops[0], ops[0] }; \
		struct svmgpu_vm_bind_op *op = &two[1]; \
		breaks; \
		igt_assert_eq(svmgpu_vm_bind(vm, two, 2), (err)); \
	} while (0)
	BIND_ERR(-EINVAL, op->op = 2);
	BIND_ERR(-EINVAL, op->flags = 2);
	BIND_ERR(-EINVAL, op->bo = NULL);
	BIND_ERR(-EINVAL, op->bo = foreign);
	BIND_ERR(-EINVAL, op->va += 2048);
	BIND_ERR(-EINVAL, op->size = 0);
	BIND_ERR(-EINVAL, op->size = 4000);
	BIND_ERR(-EINVAL, op->bo_offset = 4096);	/* past the BO's end */
	BIND_ERR(-EINVAL, op->bo_offset = 100);
	BIND_ERR(-EINVAL, op->size = 12288);
	BIND_ERR(-EINVAL, op->va = 0);
	BIND_ERR(-EINVAL, op->va = info->va_start - 4096);
	BIND_ERR(-EINVAL, op->va = info->va_end - 4096);
	BIND_ERR(-EINVAL, op->va = ~0ull << 12);
	BIND_ERR(-EINVAL, (op->op = SVMGPU_VM_BIND_UNMAP, op->bo = bo));
	BIND_ERR(-EINVAL, (op->op = SVMGPU_VM_BIND_UNMAP, op->bo = NULL,
			   op->flags = SVMGPU_VM_BIND_READ_ONLY));
	BIND_ERR(-EINVAL, (op->op = SVMGPU_VM_BIND_UNMAP, op->bo = NULL,
			   op->bo_offset = 4096));
	/* And both valid, the last pages of the VA range included. */
	BIND_ERR(0, op->va = info->va_end - 8192);
	BIND_ERR(0, (op->op = SVMGPU_VM_BIND_UNMAP, op->bo = NULL));
#undef BIND_ERR
	/* svmgpu_vm_bind_submit()'s own arguments. */
	{
		struct svmgpu_sync syncs[DRM_SVMGPU_VM_BIND_MAX_SYNCS + 1] = {};
		struct svmgpu_vm_bind_info info = { .ops = ops, .num_ops = 1 };
		uint32_t empty;

		igt_assert_eq(svmgpu_syncobj_create(dev, 0, &empty), 0);
		for (unsigned int i = 0; i < DRM_SVMGPU_VM_BIND_MAX_SYNCS + 1; i++)
			syncs[i].handle = empty;
#define SUBMIT_ERR(err, breaks) do { \
		struct svmgpu_vm_bind_info bad = info; \
		breaks; \
		igt_assert_eq(svmgpu_vm_bind_submit(vm, &bad), (err)); \
	} while (0)
		igt_assert_eq(svmgpu_vm_bind_submit(NULL, &info), -EINVAL);
		igt_assert_eq(svmgpu_vm_bind_submit(vm, NULL), -EINVAL);
		SUBMIT_ERR(-EINVAL, bad.ops = NULL);
		SUBMIT_ERR(-EINVAL, bad.num_ops = 0);
		SUBMIT_ERR(-EINVAL, bad.num_ops = DRM_SVMGPU_VM_BIND_MAX_OPS + 1);
		SUBMIT_ERR(-EINVAL, bad.num_waits = 1);
		SUBMIT_ERR(-EINVAL, bad.num_signals = 1);
		SUBMIT_ERR(-EINVAL, (bad.waits = syncs,
				     bad.num_waits = DRM_SVMGPU_VM_BIND_MAX_SYNCS + 1));
		SUBMIT_ERR(-EINVAL, (bad.waits = syncs, bad.num_waits = 1,
				     bad.signals = syncs,
				     bad.num_signals = DRM_SVMGPU_VM_BIND_MAX_SYNCS));
		/* The kernel's refusals: flags, a wait without a fence, a handle. */
		SUBMIT_ERR(-EINVAL, bad.flags = 2);
		SUBMIT_ERR(-EINVAL, (bad.waits = syncs, bad.num_waits = 1,
				     bad.flags = SVMGPU_VM_BIND_ASYNC));
		syncs[0].handle = empty + 1000;
		SUBMIT_ERR(-ENOENT, (bad.signals = syncs, bad.num_signals = 1,
				     bad.flags = SVMGPU_VM_BIND_ASYNC));
#undef SUBMIT_ERR
		/* Valid, asynchronous, signalling a syncobj. */
		syncs[0].handle = empty;
		info.signals = syncs;
		info.num_signals = 1;
		info.flags = SVMGPU_VM_BIND_ASYNC;
		igt_assert_eq(svmgpu_vm_bind_submit(vm, &info), 0);
		igt_assert_eq(svmgpu_syncobj_wait(dev, &empty, 1, 10 * SEC, 0, NULL), 0);
		igt_assert_eq(svmgpu_syncobj_destroy(dev, empty), 0);
	}
	igt_assert_eq(svmgpu_vm_map(NULL, bo, 0, VA_DATA, 4096, 0), -EINVAL);
	igt_assert_eq(svmgpu_vm_map(vm, NULL, 0, VA_DATA, 4096, 0), -EINVAL);
	igt_assert_eq(svmgpu_vm_map(vm, bo, 0, VA_DATA, 4096, 0), 0);
	igt_assert_eq(svmgpu_vm_unmap(NULL, VA_DATA, 4096), -EINVAL);
	igt_assert_eq(svmgpu_vm_unmap(vm, VA_DATA + 1, 4096), -EINVAL);
	igt_assert_eq(svmgpu_vm_unmap(vm, VA_DATA, 4096), 0);

	/* Userptrs: checked before the kernel, then the kernel's checks. */
	{
		void *mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(mem != MAP_FAILED);
		igt_assert_eq(svmgpu_vm_map_userptr(NULL, mem, VA_DATA, 4096, 0),
			      -EINVAL);
		igt_assert_eq(svmgpu_vm_map_userptr(vm, (char *)mem + 8, VA_DATA,
						    4096, 0), -EINVAL);
		igt_assert_eq(svmgpu_vm_map_userptr(vm, mem, VA_DATA + 1, 4096, 0),
			      -EINVAL);
		igt_assert_eq(svmgpu_vm_map_userptr(vm, mem, VA_DATA, 0, 0), -EINVAL);
		igt_assert_eq(svmgpu_vm_map_userptr(vm, mem, VA_DATA, 4096, 1u << 5),
			      -EINVAL);
		igt_assert_eq(svmgpu_vm_map_userptr(vm, mem, VA_DATA,
						    DRM_SVMGPU_USERPTR_MAX_SIZE + 4096,
						    0), -EINVAL);
		igt_assert_eq(svmgpu_vm_map_userptr(vm, NULL, VA_DATA, 4096, 0),
			      -EFAULT);
		igt_assert_eq(svmgpu_vm_map_userptr(vm, mem, VA_DATA, 8192,
						    SVMGPU_VM_BIND_READ_ONLY), 0);
		igt_assert_eq(svmgpu_vm_unmap(vm, VA_DATA, 8192), 0);
		munmap((char *)mem + 4096, 4096);
		igt_assert_eq(svmgpu_vm_map_userptr(vm, mem, VA_DATA, 8192, 0),
			      -EFAULT);
		igt_assert_eq(svmgpu_vm_map_userptr(vm, mem, VA_DATA, 4096, 0), 0);
		igt_assert_eq(svmgpu_vm_unmap(vm, VA_DATA, 4096), 0);
		munmap(mem, 4096);
	}

	igt_assert_eq(svmgpu_bo_destroy(foreign), 0);
	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
	igt_assert_eq(svmgpu_vm_destroy(vm), 0);
	igt_assert_eq(svmgpu_device_destroy(dev2), 0);
}

static void bad_args_queue(struct svmgpu_device *dev)
{
	const struct svmgpu_device_info *info;
	struct svmgpu_queue *q, *out = NULL;
	struct svmgpu_queue_state st;
	struct svmgpu_vm *vm;
	uint32_t id;

	igt_assert_eq(svmgpu_device_get_info(dev, &info), 0);
	igt_assert_eq(svmgpu_vm_create(dev, 0, &vm), 0);
	igt_assert_eq(svmgpu_queue_create(NULL, 0, 0, &out), -EINVAL);
	igt_assert_eq(svmgpu_queue_create(vm, info->num_engines, 0, &out), -EINVAL);
	igt_assert_eq(svmgpu_queue_create(vm, ~0u, 0, &out), -EINVAL);
	igt_assert_eq(svmgpu_queue_create(vm, 0, 1, &out), -EINVAL);
	igt_assert_eq(svmgpu_queue_create(vm, 0, 0, NULL), -EINVAL);
	igt_assert(!out);
	igt_assert_eq(svmgpu_queue_destroy(NULL), -EINVAL);
	igt_assert_eq(svmgpu_queue_create(vm, 0, 0, &q), 0);
	igt_assert_eq(svmgpu_queue_get_id(NULL, &id), -EINVAL);
	igt_assert_eq(svmgpu_queue_get_id(q, NULL), -EINVAL);
	igt_assert_eq(svmgpu_queue_get_state(NULL, &st), -EINVAL);
	igt_assert_eq(svmgpu_queue_get_state(q, NULL), -EINVAL);
	igt_assert_eq(svmgpu_queue_destroy(q), 0);
	igt_assert_eq(svmgpu_vm_destroy(vm), 0);
}

static void bad_args_exec(struct svmgpu_device *dev)
{
	struct svmgpu_device *dev2 = open_device(0);
	struct svmgpu_sync syncs[DRM_SVMGPU_EXEC_MAX_SYNCS + 1];
	static struct svmgpu_exec_bo bos[DRM_SVMGPU_EXEC_MAX_BOS + 1];
	struct svmgpu_queue_state st;
	struct svmgpu_exec_info good = {};
	struct svmgpu_bo *foreign;
	uint32_t syncobj;
	struct env e;

	env_init(&e, dev, 0);
	igt_assert_eq(svmgpu_bo_create(dev2, 4096, 0, &foreign), 0);
	igt_assert_eq(svmgpu_syncobj_create(dev, 0, &syncobj), 0);
	for (unsigned int i = 0; i < DRM_SVMGPU_EXEC_MAX_SYNCS + 1; i++)
		syncs[i] = (struct svmgpu_sync){ .handle = syncobj };
	for (unsigned int i = 0; i < DRM_SVMGPU_EXEC_MAX_BOS + 1; i++)
		bos[i] = (struct svmgpu_exec_bo){ .bo = e.data };
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(e.cb, VA_DATA, 1), 0);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(e.cb), 0);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(e.cb, &good.batch_address,
					      &good.batch_size), 0);

	igt_assert_eq(svmgpu_exec_submit(NULL, &good), -EINVAL);
	igt_assert_eq(svmgpu_exec_submit(e.queue, NULL), -EINVAL);
#define EXEC_ERR(err, breaks) do { \
		struct svmgpu_exec_info info = good; \
		breaks; \
		igt_assert_eq(svmgpu_exec_submit(e.queue, &info), (err)); \
	} while (0)
	EXEC_ERR(-EINVAL, info.flags = 1);
	EXEC_ERR(-EINVAL, info.batch_size = 0);
	EXEC_ERR(-EINVAL, info.batch_size = 12);
	EXEC_ERR(-EINVAL, info.batch_size = SVMGPU_BATCH_MAX_SIZE + 8);
	EXEC_ERR(-EINVAL, info.batch_address += 4);
	EXEC_ERR(-EINVAL, info.batch_address = ~0ull << 3);
	EXEC_ERR(-EINVAL, info.num_waits = 1);
	EXEC_ERR(-EINVAL, info.num_signals = 1);
	EXEC_ERR(-EINVAL, info.num_bos = 1);
	EXEC_ERR(-EINVAL, (info.waits = syncs,
			   info.num_waits = DRM_SVMGPU_EXEC_MAX_SYNCS + 1));
	EXEC_ERR(-EINVAL, (info.signals = syncs,
			   info.num_signals = DRM_SVMGPU_EXEC_MAX_SYNCS + 1));
	EXEC_ERR(-EINVAL, (info.waits = syncs, info.num_waits = 40,
			   info.signals = syncs, info.num_signals = 25));
	EXEC_ERR(-EINVAL, (info.bos = bos,
			   info.num_bos = DRM_SVMGPU_EXEC_MAX_BOS + 1));
	bos[1].bo = NULL;
	EXEC_ERR(-EINVAL, (info.bos = bos, info.num_bos = 2));
	bos[1].bo = foreign;
	EXEC_ERR(-EINVAL, (info.bos = bos, info.num_bos = 2));
	bos[1] = (struct svmgpu_exec_bo){ .bo = e.data, .flags = 2 };
	EXEC_ERR(-EINVAL, (info.bos = bos, info.num_bos = 2));
	bos[1].flags = 0;
	syncs[0].handle = syncobj + 1000;
	EXEC_ERR(-ENOENT, (info.waits = syncs, info.num_waits = 1));
	EXEC_ERR(-ENOENT, (info.signals = syncs, info.num_signals = 1));
	syncs[0].handle = syncobj;
#undef EXEC_ERR

	/* Nothing ran: no data, no fence, the queue is fine. */
	usleep(50000);
	igt_assert_eq_u32(*data32(&e, 0), 0);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &syncobj, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_queue_get_state(e.queue, &st), 0);
	igt_assert(!st.banned);

	/* The valid job, with the most syncs and many BOs, some twice, runs. */
	{
		struct svmgpu_exec_info info = good;
		struct svmgpu_bo *many[32];
		uint32_t done;
		int error = 1;

		igt_assert_eq(svmgpu_syncobj_create(dev, SVMGPU_SYNCOBJ_CREATE_SIGNALED,
						    &syncs[0].handle), 0);
		for (unsigned int i = 1; i < DRM_SVMGPU_EXEC_MAX_SYNCS - 1; i++)
			syncs[i].handle = syncs[0].handle;
		igt_assert_eq(svmgpu_syncobj_create(dev, 0, &done), 0);
		syncs[DRM_SVMGPU_EXEC_MAX_SYNCS - 1].handle = done;
		for (unsigned int i = 0; i < 32; i++) {
			igt_assert_eq(svmgpu_bo_create(dev, 4096, 0, &many[i]), 0);
			bos[i] = (struct svmgpu_exec_bo){ .bo = many[i],
							  .flags = i & 1 ?
							  SVMGPU_EXEC_BO_WRITE : 0 };
		}
		bos[32] = (struct svmgpu_exec_bo){ .bo = e.data,
						   .flags = SVMGPU_EXEC_BO_WRITE };
		/* Listed twice: the library sends each BO once. */
		bos[33] = (struct svmgpu_exec_bo){ .bo = e.data };
		bos[34] = (struct svmgpu_exec_bo){ .bo = many[0],
						   .flags = SVMGPU_EXEC_BO_WRITE };
		info.waits = syncs;
		info.num_waits = DRM_SVMGPU_EXEC_MAX_SYNCS - 1;
		info.signals = &syncs[DRM_SVMGPU_EXEC_MAX_SYNCS - 1];
		info.num_signals = 1;
		info.bos = bos;
		info.num_bos = 35;	/* more than fit on the library's stack */
		igt_assert_eq(svmgpu_exec_submit(e.queue, &info), 0);
		igt_assert_eq(svmgpu_syncobj_wait(dev, &done, 1, 10 * SEC, 0, NULL), 0);
		igt_assert_eq(svmgpu_syncobj_status(dev, done, 0, &error), 0);
		igt_assert_eq(error, 0);
		igt_assert_eq_u32(*data32(&e, 0), 1);
		igt_assert_eq(svmgpu_syncobj_destroy(dev, done), 0);
		igt_assert_eq(svmgpu_syncobj_destroy(dev, syncs[0].handle), 0);
		for (unsigned int i = 0; i < 32; i++)
			igt_assert_eq(svmgpu_bo_destroy(many[i]), 0);
	}

	igt_assert_eq(svmgpu_syncobj_destroy(dev, syncobj), 0);
	igt_assert_eq(svmgpu_bo_destroy(foreign), 0);
	env_fini(&e);
	igt_assert_eq(svmgpu_device_destroy(dev2), 0);
}

static void bad_args_sync(struct svmgpu_device *dev)
{
	uint32_t h, empty, bad = 0xdead, first;
	uint64_t point = 1, v;
	int fd, error = 1;

	igt_assert_eq(svmgpu_syncobj_create(NULL, 0, &h), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_create(dev, 2, &h), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_create(dev, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_create(dev, SVMGPU_SYNCOBJ_CREATE_SIGNALED, &h), 0);
	igt_assert_eq(svmgpu_syncobj_create(dev, 0, &empty), 0);

	igt_assert_eq(svmgpu_syncobj_destroy(NULL, h), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_destroy(dev, bad), -EINVAL);

	igt_assert_eq(svmgpu_syncobj_wait(NULL, &h, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_wait(dev, NULL, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &h, 0, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &h, 1, -1, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &h, 1, 0,
					  SVMGPU_SYNCOBJ_WAIT_AVAILABLE, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &bad, 1, 0, 0, NULL), -ENOENT);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &empty, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_wait(dev, &h, 1, 0, 0, &first), 0);
	igt_assert_eq_u32(first, 0);

	igt_assert_eq(svmgpu_syncobj_timeline_wait(NULL, &h, &point, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, NULL, &point, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, &h, NULL, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, &h, &point, 0, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, &h, &point, 1, -5, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, &h, &point, 1, 0, 8, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, &bad, &point, 1, 0, 0, NULL), -ENOENT);
	/* Point 1 of a binary syncobj was never submitted. */
	igt_assert_eq(svmgpu_syncobj_timeline_wait(dev, &h, &point, 1, 0, 0, NULL), -EINVAL);

	igt_assert_eq(svmgpu_syncobj_signal(NULL, h, 0), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_signal(dev, bad, 0), -ENOENT);
	igt_assert_eq(svmgpu_syncobj_signal(dev, bad, 5), -ENOENT);

	igt_assert_eq(svmgpu_syncobj_query(NULL, h, &v), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_query(dev, h, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_query(dev, bad, &v), -ENOENT);

	igt_assert_eq(svmgpu_syncobj_export_sync_file(NULL, h, 0, &fd), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_export_sync_file(dev, h, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_export_sync_file(dev, bad, 0, &fd), -ENOENT);
	igt_assert_eq(svmgpu_syncobj_export_sync_file(dev, empty, 0, &fd), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_export_sync_file(dev, h, 7, &fd), -EINVAL);

	igt_assert_eq(svmgpu_syncobj_export_sync_file(dev, h, 0, &fd), 0);
	igt_assert_eq(svmgpu_syncobj_import_sync_file(NULL, empty, 0, fd), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_import_sync_file(dev, empty, 0, -1), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_import_sync_file(dev, bad, 0, fd), -ENOENT);
	igt_assert_eq(svmgpu_syncobj_import_sync_file(dev, bad, 3, fd), -ENOENT);
	close(fd);
	fd = open("/dev/null", O_RDWR);
	igt_assert_eq(svmgpu_syncobj_import_sync_file(dev, empty, 0, fd), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_import_sync_file(dev, empty, 2, fd), -EINVAL);
	close(fd);

	igt_assert_eq(svmgpu_syncobj_status(NULL, h, 0, &error), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_status(dev, h, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_status(dev, bad, 0, &error), -ENOENT);
	igt_assert_eq(svmgpu_syncobj_status(dev, empty, 0, &error), -EINVAL);
	igt_assert_eq(error, 1);
	igt_assert_eq(svmgpu_syncobj_status(dev, h, 0, &error), 0);
	igt_assert_eq(error, 0);

	/* Nothing above gave @empty a fence. */
	igt_assert_eq(svmgpu_syncobj_wait(dev, &empty, 1, 0, 0, NULL), -EINVAL);
	igt_assert_eq(svmgpu_syncobj_destroy(dev, empty), 0);
	igt_assert_eq(svmgpu_syncobj_destroy(dev, h), 0);
	igt_assert_eq(svmgpu_syncobj_destroy(dev, h), -EINVAL);
}

static void bad_args_cmdbuf(struct svmgpu_device *dev)
{
	struct svmgpu_cmdbuf *cb, *out = NULL;
	struct svmgpu_bo *bo;
	uint64_t va, size;
	uint32_t *p;

	igt_assert_eq(svmgpu_bo_create(dev, 4096, 0, &bo), 0);
	igt_assert_eq(svmgpu_cmdbuf_create(NULL, 0, 64, VA_BATCH, &out), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 0, 64, VA_BATCH, NULL), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 0, 0, VA_BATCH, &out), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 4, 64, VA_BATCH, &out), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 0, 60, VA_BATCH, &out), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 0, 64, VA_BATCH + 4, &out), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 0, 4096 + 8, VA_BATCH, &out), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 4096 - 8, 16, VA_BATCH, &out), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 4096 + 8, 8, VA_BATCH, &out), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_create(bo, 0, 64, ~0ull << 3, &out), -EINVAL);
	igt_assert(!out);

	igt_assert_eq(svmgpu_cmdbuf_create(bo, 0, 4096, VA_BATCH, &cb), 0);
	igt_assert_eq(svmgpu_bo_map(bo, (void **)&p), 0);
	igt_assert_eq(svmgpu_cmdbuf_destroy(NULL), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_reset(NULL), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_begin(NULL), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(NULL, &va, &size), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(cb, NULL, &size), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_get_batch(cb, &va, NULL), -EINVAL);

	igt_assert_eq(svmgpu_cmdbuf_emit_nop(NULL), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_end(NULL), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(NULL, VA_DATA, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_write32(cb, VA_DATA + 2, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_write64(NULL, VA_DATA, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_write64(cb, VA_DATA + 4, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_fill(NULL, VA_DATA, 4, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_fill(cb, VA_DATA + 1, 4, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_fill(cb, VA_DATA, 6, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_copy(NULL, VA_DATA, VA_DATA + 8, 8), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(NULL, 0, VA_DATA, 1, 0, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(cb, 5, VA_DATA, 1, 0, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(cb, 0x20, VA_DATA, 1, 0, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(cb, 0, VA_DATA + 2, 1, 0, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(cb, SVMGPU_ATOMIC_64, VA_DATA + 4,
						1, 0, 0), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_atomic(cb, SVMGPU_ATOMIC_64, VA_DATA, 1, 0,
						VA_DATA + 12), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_timestamp(NULL, VA_DATA), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_timestamp(cb, VA_DATA + 4), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_wait(NULL, 0, VA_DATA, 0, ~0ull), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_wait(cb, 6, VA_DATA, 0, ~0ull), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_wait(cb, 0x10, VA_DATA, 0, ~0ull), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_wait(cb, 0, VA_DATA + 2, 0, ~0ull), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_wait(cb, SVMGPU_WAIT_64, VA_DATA + 4, 0,
					      ~0ull), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_user_fence(NULL, 0, VA_DATA, 1), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_user_fence(cb, 2, VA_DATA, 1), -EINVAL);
	igt_assert_eq(svmgpu_cmdbuf_emit_user_fence(cb, 0, VA_DATA + 4, 1), -EINVAL);

	/* Nothing was written. */
	igt_assert_eq(svmgpu_cmdbuf_get_batch(cb, &va, &size), 0);
	igt_assert_eq_u64(va, VA_BATCH);
	igt_assert_eq_u64(size, 0);
	igt_assert_eq_u32(p[0], 0);
	igt_assert_eq(svmgpu_cmdbuf_destroy(cb), 0);
	igt_assert_eq(svmgpu_bo_destroy(bo), 0);
}

static const struct {
	const char *name;
	void (*fn)(struct svmgpu_device *dev);
} bad_args[] = {
	{ "device", bad_args_device },
	{ "bo", bad_args_bo },
	{ "vm", bad_args_vm },
	{ "queue", bad_args_queue },
	{ "exec", bad_args_exec },
	{ "sync", bad_args_sync },
	{ "cmdbuf", bad_args_cmdbuf },
	{ "svm", bad_args_svm },
};

igt_main
{
	struct svmgpu_device *dev = NULL;

	igt_fixture
		dev = open_device(0);

	igt_describe("svmgpu_device_count() finds every svmgpu render node, and "
		     "each index opens a distinct device.");
	igt_subtest("enumerate")
		test_enumerate();

	igt_describe("svmgpu_device_open_fd() works on its own duplicate, shares "
		     "a device per DRM file, and refuses other descriptors.");
	igt_subtest("open-fd")
		test_open_fd();

	igt_describe("The device information matches GET_PARAM and the uAPI.");
	igt_subtest("query")
		test_query(dev);

	igt_describe("A BO is rounded to pages, reads as zero, maps once at "
		     "one address, and outlives the device handle that made "
		     "it.");
	igt_subtest("bo-map")
		test_bo_map();

	igt_describe("Importing a BO's dma-buf into its own device returns the "
		     "same BO; another device gets its own BO of the same memory.");
	igt_subtest("bo-export-import")
		test_bo_export_import();

	igt_describe("Threads importing, mapping and destroying one dma-buf "
		     "always get a working BO: while a reference is held, "
		     "the same BO, mapped once; without, no thread's handle "
		     "is closed under it.");
	igt_subtest("bo-import-race")
		test_bo_import_race();

	igt_describe("One bind with map, read-only map and unmap operations "
		     "takes effect as a job sees it.");
	igt_subtest("vm-bind")
		test_vm_bind();

	igt_describe("svmgpu_vm_bind_submit() with SVMGPU_VM_BIND_ASYNC "
		     "returns at once; the bind waits for a syncobj another "
		     "VM's held job signals, a job submitted after it waits "
		     "too, and the bind's timeline point signals once it "
		     "took effect.");
	igt_subtest("vm-bind-async")
		test_vm_bind_async(dev);

	igt_describe("Queues on every engine start clean, as "
		     "svmgpu_queue_get_state() reports.");
	igt_subtest("queue-create")
		test_queue_create(dev);

	igt_describe("A batch of WRITE, FILL, COPY, ATOMIC, TIMESTAMP and "
		     "USER_FENCE built with the command buffer runs and its "
		     "effects show on the CPU.");
	igt_subtest("batch")
		test_batch(dev);

	igt_describe("The command buffer fills up with -ENOSPC, never writes a "
		     "partial command, and starts over after a reset.");
	igt_subtest("cmdbuf-space")
		test_cmdbuf_space(dev);

	igt_describe("Jobs chained through timeline points and a sync_file run "
		     "in order; waits time out with -ETIME while a job is held.");
	igt_subtest("syncobj-timeline")
		test_syncobj_timeline(dev);

	igt_describe("A write to an unbound address fails the job with "
		     "-EFAULT and bans the queue with the fault address "
		     "recorded; later submits fail with -EIO.");
	igt_subtest("fault")
		test_fault(dev);

	igt_describe("The device information's features match "
		     "PARAM_FEATURES; the driver has fault-mode VMs (the "
		     "fault-mode subtests skip without FEATURE_FAULT_MODE).");
	igt_subtest("svm-features")
		test_svm_features(dev);

	igt_describe("In a fault-mode VM mirroring the process, a job writes "
		     "and copies mmap'd memory at its CPU addresses; the "
		     "pages it touched show as mapped and writable in "
		     "svmgpu_vm_query_pages(), the counters count the "
		     "faults, and munmap unmaps them from the GPU.");
	igt_subtest("svm-mirror")
		test_svm_mirror(dev);

	igt_describe("svmgpu_vm_prefetch() maps a range writable before any "
		     "job and counts it as prefetched; a job inside it takes "
		     "no fault.");
	igt_subtest("svm-prefetch")
		test_svm_prefetch(dev);

	igt_describe("svmgpu_user_fence_wait(): every comparison with and without "
		     "mask, the timeout write-back (unchanged, remainder, 0 after "
		     "-ETIME), and the GPU's USER_FENCE ending a wait.");
	igt_subtest("user-fence-wait")
		test_user_fence_wait(dev);

	igt_describe("A fault-mode job writing munmap'd memory bans its "
		     "queue: the wait on it returns -EIO, "
		     "svmgpu_queue_get_state() gives the fault's address, "
		     "access and reason (NO_VMA), and submits fail with "
		     "-EIO.");
	igt_subtest("user-fence-banned")
		test_user_fence_banned(dev);

	igt_describe("Range attributes: defaults, mixed over a range that "
		     "differs, several set at once, read-mostly mapping a "
		     "GPU read read-only, and a write the access attribute "
		     "forbids faulting with ATTR_ACCESS.");
	igt_subtest("svm-attrs")
		test_svm_attrs(dev);

	for (unsigned int i = 0; i < sizeof(bad_args) / sizeof(bad_args[0]); i++) {
		igt_describe_f("Every %s entry point refuses each bad argument "
			       "with its documented error and changes nothing.",
			       bad_args[i].name);
		igt_subtest_f("bad-args-%s", bad_args[i].name)
			bad_args[i].fn(dev);
	}

	igt_fixture
		svmgpu_device_destroy(dev);
}
