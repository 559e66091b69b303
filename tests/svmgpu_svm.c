// SPDX-License-Identifier: MIT
/*
 * svmgpu_svm - shared virtual memory in fault-mode VMs: the GPU uses the
 * process's own pointers (malloc, mmap) through a CPU-address-mirror
 * window, with its page faults serviced by the kernel through HMM.
 *
 * Every job here lives in ordinary process memory: the batch is a
 * malloc'd array of commands that the GPU fetches through the mirror,
 * and it ends with a USER_FENCE that DRM_IOCTL_SVMGPU_WAIT_USER_FENCE
 * waits for. The scenarios are those of svm-scenarios.md (the letter and
 * number in each description).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"
#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_fault.h"

IGT_TEST_DESCRIPTION("Shared virtual memory: GPU access to process memory through fault-mode VMs.");

/* The user half of an x86-64 address space, less the VM's guard. */
#define MIRROR_START	DRM_SVMGPU_VM_GUARD
#define MIRROR_END	(1ull << 47)
#define WAIT_NS		(20ll * 1000000000ll)
#define BATCH_DWORDS	1024

/* A fault-mode VM mirroring the whole process, and a queue in it. */
struct svm {
	int fd;
	uint32_t vm, queue;
	uint32_t *batch;		/* malloc'd, fetched through the mirror */
	unsigned int len;		/* dwords in @batch */
	volatile uint64_t *fence;	/* the jobs' user fence */
	uint64_t seq;			/* last value a job writes to @fence */
};

static void bind_op(int fd, uint32_t vm, uint32_t op, uint64_t va,
		    uint64_t size)
{
	struct drm_svmgpu_vm_bind_op bop = { .op = op, .va = va, .size = size };
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.ops = { .stride = sizeof(bop), .count = 1, .array = (uintptr_t)&bop },
	};

	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args);
}

static int bind_op_err(int fd, uint32_t vm, uint32_t op, uint64_t va,
		       uint64_t size)
{
	struct drm_svmgpu_vm_bind_op bop = { .op = op, .va = va, .size = size };
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.ops = { .stride = sizeof(bop), .count = 1, .array = (uintptr_t)&bop },
	};

	return igt_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args) ? -errno : 0;
}

static uint32_t vm_create(int fd, uint32_t flags)
{
	struct drm_svmgpu_vm_create args = { .flags = flags };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_CREATE, &args);
	return args.vm_id;
}

static uint32_t queue_create(int fd, uint32_t vm)
{
	struct drm_svmgpu_queue_create args = { .vm_id = vm };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_QUEUE_CREATE, &args);
	return args.queue_id;
}

static void require_fault_mode(int fd)
{
	struct drm_svmgpu_get_param p = { .param = DRM_SVMGPU_PARAM_FEATURES };

	igt_require_f(igt_ioctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &p) == 0 &&
		      (p.value & DRM_SVMGPU_FEATURE_FAULT_MODE),
		      "the driver has no fault-mode VMs\n");
}

static void svm_init(struct svm *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->vm = vm_create(fd, DRM_SVMGPU_VM_CREATE_FAULT_MODE);
	bind_op(fd, s->vm, DRM_SVMGPU_VM_BIND_OP_MIRROR, MIRROR_START,
		MIRROR_END - MIRROR_START);
	s->queue = queue_create(fd, s->vm);
	s->batch = aligned_alloc(4096, BATCH_DWORDS * 4);
	s->fence = aligned_alloc(64, 64);
	igt_assert(s->batch && s->fence);
	*s->fence = 0;
}

static void svm_fini(struct svm *s)
{
	struct drm_svmgpu_vm_destroy vd = { .vm_id = s->vm };
	struct drm_svmgpu_queue_destroy qd = { .queue_id = s->queue };

	do_ioctl(s->fd, DRM_IOCTL_SVMGPU_QUEUE_DESTROY, &qd);
	do_ioctl(s->fd, DRM_IOCTL_SVMGPU_VM_DESTROY, &vd);
	free(s->batch);
	free((void *)s->fence);
}

static void emit(struct svm *s, const uint32_t *dw, unsigned int n)
{
	igt_assert(s->len + n <= BATCH_DWORDS);
	memcpy(s->batch + s->len, dw, n * 4);
	s->len += n;
}

#define LO(x) ((uint32_t)(uint64_t)(x))
#define HI(x) ((uint32_t)((uint64_t)(x) >> 32))

static void emit_write32(struct svm *s, const void *dst, uint32_t value)
{
	uint32_t dw[] = { SVMGPU_CMD_HEADER(SVMGPU_OP_WRITE, 0, SVMGPU_WRITE_DWORDS),
			  0, LO(dst), HI(dst), value, 0 };

	emit(s, dw, SVMGPU_WRITE_DWORDS);
}

static void emit_copy(struct svm *s, void *dst, const void *src, uint64_t size)
{
	uint32_t dw[] = { SVMGPU_CMD_HEADER(SVMGPU_OP_COPY, 0, SVMGPU_COPY_DWORDS),
			  0, LO(dst), HI(dst), LO(src), HI(src), LO(size), HI(size) };

	emit(s, dw, SVMGPU_COPY_DWORDS);
}

static void emit_fill(struct svm *s, void *dst, uint64_t size, uint32_t value)
{
	uint32_t dw[] = { SVMGPU_CMD_HEADER(SVMGPU_OP_FILL, 0, SVMGPU_FILL_DWORDS),
			  0, LO(dst), HI(dst), LO(size), HI(size), value, 0 };

	emit(s, dw, SVMGPU_FILL_DWORDS);
}

/* Ends the batch with the user fence and END, submits it. */
static int svm_submit(struct svm *s)
{
	uint32_t fence[] = {
		SVMGPU_CMD_HEADER(SVMGPU_OP_USER_FENCE, SVMGPU_USER_FENCE_IRQ,
				  SVMGPU_USER_FENCE_DWORDS),
		0, LO(s->fence), HI(s->fence), LO(s->seq + 1), HI(s->seq + 1) };
	uint32_t end[] = { SVMGPU_CMD_HEADER(SVMGPU_OP_END, 0, SVMGPU_END_DWORDS), 0 };
	struct drm_svmgpu_exec exec = {
		.queue_id = s->queue,
		.batch_address = (uintptr_t)s->batch,
	};

	emit(s, fence, SVMGPU_USER_FENCE_DWORDS);
	emit(s, end, SVMGPU_END_DWORDS);
	exec.batch_size = s->len * 4;
	s->len = 0;
	if (igt_ioctl(s->fd, DRM_IOCTL_SVMGPU_EXEC, &exec))
		return -errno;
	s->seq++;
	return 0;
}

static int wait_ufence(int fd, uint32_t queue, volatile uint64_t *addr,
		       uint64_t value, int64_t timeout_ns)
{
	struct drm_svmgpu_wait_user_fence w = {
		.addr = (uintptr_t)addr, .value = value, .mask = ~0ull,
		.op = DRM_SVMGPU_UFENCE_GTE, .queue_id = queue,
		.timeout_ns = timeout_ns,
	};

	return igt_ioctl(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w) ? -errno : 0;
}

/* Submits the batch and waits for it: 0, or the wait's error. */
static int svm_run(struct svm *s)
{
	int ret = svm_submit(s);

	if (ret)
		return ret;
	return wait_ufence(s->fd, s->queue, s->fence, s->seq, WAIT_NS);
}

static struct drm_svmgpu_queue_get_state queue_state(int fd, uint32_t queue)
{
	struct drm_svmgpu_queue_get_state st = { .queue_id = queue };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE, &st);
	return st;
}

static struct drm_svmgpu_svm_counters counters(int fd, uint32_t vm)
{
	struct drm_svmgpu_svm_counters c;
	struct drm_svmgpu_vm_query q = {
		.vm_id = vm, .type = DRM_SVMGPU_VM_QUERY_COUNTERS,
		.data = (uintptr_t)&c, .data_size = sizeof(c),
	};

	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q);
	return c;
}

static void snapshot(int fd, uint32_t vm, const void *start, size_t size,
		     uint8_t *states)
{
	struct drm_svmgpu_vm_query q = {
		.vm_id = vm, .type = DRM_SVMGPU_VM_QUERY_PAGES,
		.start = (uintptr_t)start, .size = size,
		.data = (uintptr_t)states, .data_size = size / 4096,
	};

	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q);
}

static bool thp_enabled(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strstr(buf, "[always]") || strstr(buf, "[madvise]");
}

static void *map_anon(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

static int vm_attr(int fd, uint32_t vm, uint32_t op, const void *start,
		   uint64_t size, struct drm_svmgpu_attr *attrs, uint32_t count)
{
	struct drm_svmgpu_vm_attr a = {
		.vm_id = vm, .op = op, .start = (uintptr_t)start, .size = size,
		.attrs = { .stride = sizeof(*attrs), .count = count,
			   .array = (uintptr_t)attrs },
	};

	return igt_ioctl(fd, DRM_IOCTL_SVMGPU_VM_ATTR, &a) ? -errno : 0;
}

static void attr_set1(int fd, uint32_t vm, const void *start, uint64_t size,
		      uint32_t type, uint64_t value)
{
	struct drm_svmgpu_attr a = { .type = type, .value = value };

	igt_assert_eq(vm_attr(fd, vm, DRM_SVMGPU_VM_ATTR_SET, start, size, &a, 1), 0);
}

static uint64_t attr_get1(int fd, uint32_t vm, const void *start, uint64_t size,
			  uint32_t type)
{
	struct drm_svmgpu_attr a = { .type = type, .value = 12345 };

	igt_assert_eq(vm_attr(fd, vm, DRM_SVMGPU_VM_ATTR_GET, start, size, &a, 1), 0);
	return a.value;
}

/* A fault the queue could not get past: the wait says -EIO, the query why. */
static void assert_fault(struct svm *s, int wait_ret, const void *addr,
			 uint16_t reason)
{
	struct drm_svmgpu_queue_get_state st = queue_state(s->fd, s->queue);

	igt_assert_eq(wait_ret, -EIO);
	igt_assert(st.state & DRM_SVMGPU_QUEUE_STATE_BANNED);
	igt_assert_eq(st.fault_reason, reason);
	igt_assert_eq_u64(st.fault_address & ~4095ull,
			  (uintptr_t)addr & ~4095ull);
	/* The banned queue refuses more work. */
	igt_assert_eq(svm_submit(s), -EIO);
}

/* A fresh queue in the same VM still works after another one faulted. */
static void assert_vm_usable(struct svm *s)
{
	uint32_t *word = malloc(64);

	s->queue = queue_create(s->fd, s->vm);
	*s->fence = s->seq = 0;
	s->len = 0;
	emit_write32(s, word, 0xc0ffee);
	igt_assert_eq(svm_run(s), 0);
	igt_assert_eq_u32(*word, 0xc0ffee);
	free(word);
}

igt_main
{
	struct svm s;
	int fd = -1;

	igt_fixture {
		fd = drm_open_driver_render(DRIVER_SVMGPU);
		require_fault_mode(fd);
	}

	igt_describe("A1: the GPU writes values into malloc'd memory the CPU filled; the CPU reads them back.");
	igt_subtest("write-malloc") {
		uint32_t *buf = malloc(4096 * 4);
		int i;

		for (i = 0; i < 4096; i++)
			buf[i] = i;
		svm_init(&s, fd);
		emit_write32(&s, &buf[0], 0xdeadbeef);
		emit_write32(&s, &buf[4095], 0xfeedface);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq_u32(buf[0], 0xdeadbeef);
		igt_assert_eq_u32(buf[4095], 0xfeedface);
		for (i = 1; i < 4095; i++)
			igt_assert_eq_u32(buf[i], i);
		svm_fini(&s);
		free(buf);
	}

	igt_describe("A2: the GPU copies one malloc'd buffer to another; they end identical.");
	igt_subtest("copy-malloc") {
		size_t size = 256 << 10;
		uint8_t *src = malloc(size), *dst = malloc(size);
		size_t i;

		for (i = 0; i < size; i++)
			src[i] = i * 7 + 3;
		memset(dst, 0, size);
		svm_init(&s, fd);
		emit_copy(&s, dst, src, size);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert(!memcmp(src, dst, size));
		svm_fini(&s);
		free(src);
		free(dst);
	}

	igt_describe("A3: the GPU's first touch of never-touched memory allocates it; bytes it did not write read 0.");
	igt_subtest("first-touch") {
		size_t size = 4 << 20;
		uint32_t *p = map_anon(size);
		size_t i;

		svm_init(&s, fd);
		emit_fill(&s, p + 1024, 1 << 20, 0x5a5a5a5a);
		igt_assert_eq(svm_run(&s), 0);
		for (i = 0; i < size / 4; i++)
			igt_assert_eq_u32(p[i], i >= 1024 && i < 1024 + (1 << 18) ?
					  0x5a5a5a5a : 0);
		svm_fini(&s);
		munmap(p, size);
	}

	igt_describe("A4: one job writes four different 2 MiB regions: several faults in one job.");
	igt_subtest("four-regions") {
		size_t size = 8 << 20;
		uint8_t *p = map_anon(size);
		int r;

		svm_init(&s, fd);
		for (r = 0; r < 4; r++)
			emit_write32(&s, p + r * (2 << 20) + 64, 0x100 + r);
		igt_assert_eq(svm_run(&s), 0);
		for (r = 0; r < 4; r++)
			igt_assert_eq_u32(*(uint32_t *)(p + r * (2 << 20) + 64), 0x100 + r);
		igt_assert(counters(fd, s.vm).faults >= 4);
		svm_fini(&s);
		munmap(p, size);
	}

	igt_describe("A5: 32 rounds of CPU writes followed by GPU copies: the GPU never sees stale data.");
	igt_subtest("cpu-gpu-rounds") {
		uint32_t *src = malloc(8192), *dst = malloc(8192);
		int round, i;

		svm_init(&s, fd);
		for (round = 0; round < 32; round++) {
			for (i = 0; i < 2048; i++)
				src[i] = round * 4096 + i;
			emit_copy(&s, dst, src, 8192);
			igt_assert_eq(svm_run(&s), 0);
			igt_assert(!memcmp(src, dst, 8192));
		}
		svm_fini(&s);
		free(src);
		free(dst);
	}

	igt_describe("Zero page: a GPU read of untouched memory maps the shared zero page read-only; a later GPU write upgrades the mapping to a private writable page.");
	igt_subtest("zero-page-upgrade") {
		size_t size = 64 << 10;
		uint8_t *p = map_anon(size), *out = malloc(4096);
		uint8_t states[16];

		madvise(p, size, MADV_NOHUGEPAGE);
		svm_init(&s, fd);
		emit_copy(&s, out, p, 4096);
		igt_assert_eq(svm_run(&s), 0);
		snapshot(fd, s.vm, p, size, states);
		igt_assert_f(states[0] & DRM_SVMGPU_PAGE_MAPPED, "not mapped\n");
		igt_assert_f(states[0] & DRM_SVMGPU_PAGE_ZERO, "not the zero page (%#x)\n", states[0]);
		igt_assert_f(!(states[0] & DRM_SVMGPU_PAGE_WRITE), "zero page writable\n");

		emit_write32(&s, p + 8, 77);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq_u32(*(uint32_t *)(p + 8), 77);
		snapshot(fd, s.vm, p, size, states);
		igt_assert_f((states[0] & (DRM_SVMGPU_PAGE_MAPPED | DRM_SVMGPU_PAGE_WRITE |
					   DRM_SVMGPU_PAGE_ZERO)) ==
			     (DRM_SVMGPU_PAGE_MAPPED | DRM_SVMGPU_PAGE_WRITE),
			     "after the write: %#x\n", states[0]);
		svm_fini(&s);
		munmap(p, size);
		free(out);
	}

	igt_describe("B4: transparent huge pages are mapped by the GPU with 2 MiB leaves, and read correctly.");
	igt_subtest("thp-2m") {
		size_t size = 4 << 20;
		uint8_t *raw = map_anon(size * 2), *p, *out = malloc(4096);
		uint8_t states[1024];
		int i;

		p = (uint8_t *)(((uintptr_t)raw + (2 << 20) - 1) & ~((uintptr_t)(2 << 20) - 1));
		igt_require_f(thp_enabled(), "transparent huge pages are disabled\n");
		igt_require_f(madvise(p, size, MADV_HUGEPAGE) == 0,
			      "madvise(MADV_HUGEPAGE) failed: %s\n", strerror(errno));
		memset(p, 0x33, size);
		svm_init(&s, fd);
		emit_copy(&s, out, p + (2 << 20) + 8192, 4096);
		igt_assert_eq(svm_run(&s), 0);
		for (i = 0; i < 4096; i++)
			igt_assert_eq_u32(out[i], 0x33);
		snapshot(fd, s.vm, p, size, states);
		igt_assert_f(states[512] & DRM_SVMGPU_PAGE_2M,
			     "second 2 MiB not mapped with a 2 MiB leaf (%#x)\n", states[512]);
		igt_assert(states[1023] & DRM_SVMGPU_PAGE_MAPPED);
		igt_assert(!(states[0] & DRM_SVMGPU_PAGE_MAPPED));
		igt_assert(counters(fd, s.vm).pages_2m >= 1);
		svm_fini(&s);
		munmap(raw, size * 2);
		free(out);
	}

	igt_describe("C1: after munmap of memory the GPU used, a GPU access faults (address, access, reason reported), never reads stale data; the VM stays usable.");
	igt_subtest("munmap-then-access") {
		size_t size = 64 << 10;
		uint32_t *p = map_anon(size);
		uint32_t *out = malloc(64);

		p[0] = 1;
		svm_init(&s, fd);
		emit_write32(&s, p, 2);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq_u32(p[0], 2);
		munmap(p, size);
		emit_copy(&s, out, p, 4);
		assert_fault(&s, svm_run(&s), p, DRM_SVMGPU_FAULT_NO_VMA);
		assert_vm_usable(&s);
		svm_fini(&s);
		free(out);
	}

	igt_describe("C4/C6: a GPU write to memory made read-only faults and leaves it unchanged; reads still work; after mprotect back to read-write the write succeeds.");
	igt_subtest("mprotect-read-only") {
		size_t size = 64 << 10;
		uint32_t *p = map_anon(size), *out = malloc(64);

		p[0] = 11;
		p[1] = 12;
		svm_init(&s, fd);
		emit_write32(&s, &p[2], 13);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq(mprotect(p, size, PROT_READ), 0);
		emit_write32(&s, &p[0], 99);
		assert_fault(&s, svm_run(&s), p, DRM_SVMGPU_FAULT_ACCESS);
		igt_assert_eq_u32(p[0], 11);

		assert_vm_usable(&s);
		emit_copy(&s, out, p, 8);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq_u32(out[0], 11);
		igt_assert_eq_u32(out[1], 12);

		igt_assert_eq(mprotect(p, size, PROT_READ | PROT_WRITE), 0);
		emit_write32(&s, &p[0], 99);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq_u32(p[0], 99);
		svm_fini(&s);
		munmap(p, size);
		free(out);
	}

	igt_describe("C5: a GPU read of PROT_NONE memory faults; the destination is not written.");
	igt_subtest("mprotect-none") {
		size_t size = 64 << 10;
		uint32_t *p = map_anon(size), *out = malloc(64);

		p[0] = 5;
		out[0] = 0xaaaa;
		igt_assert_eq(mprotect(p, size, PROT_NONE), 0);
		svm_init(&s, fd);
		emit_copy(&s, out, p, 4);
		assert_fault(&s, svm_run(&s), p, DRM_SVMGPU_FAULT_ACCESS);
		igt_assert_eq_u32(out[0], 0xaaaa);
		svm_fini(&s);
		munmap(p, size);
		free(out);
	}

	igt_describe("C3: munmap then mmap(MAP_FIXED) at the same address with no CPU access between: the GPU sees the new zero pages and its writes land in them.");
	igt_subtest("remap-fixed") {
		size_t size = 64 << 10;
		uint32_t *p = map_anon(size), *out = malloc(64);

		memset(p, 0x77, size);
		svm_init(&s, fd);
		emit_copy(&s, out, p, 4);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq_u32(out[0], 0x77777777);
		igt_assert(mmap(p, size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
		emit_copy(&s, out, p, 4);
		emit_write32(&s, &p[1], 42);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq_u32(out[0], 0);
		igt_assert_eq_u32(p[1], 42);
		svm_fini(&s);
		munmap(p, size);
		free(out);
	}

	igt_describe("D1: an address in the window with no CPU mapping faults asynchronously; the device and other VMs stay usable.");
	igt_subtest("unmapped-in-window") {
		uint8_t *hole = map_anon(4096);
		struct svm other;

		munmap(hole, 4096);
		svm_init(&s, fd);
		svm_init(&other, fd);
		emit_write32(&s, hole, 1);
		assert_fault(&s, svm_run(&s), hole, DRM_SVMGPU_FAULT_NO_VMA);
		emit_write32(&other, (void *)other.fence + 8, 3);
		igt_assert_eq(svm_run(&other), 0);
		svm_fini(&other);
		svm_fini(&s);
	}

	igt_describe("D2: an address outside every mirror window faults with the no-window reason.");
	igt_subtest("outside-window") {
		uint32_t *p = malloc(8192);

		svm_init(&s, fd);
		/* Take the page holding p out of the window. */
		bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_UNMAP,
			(uintptr_t)p & ~4095ull, 4096);
		emit_write32(&s, p, 1);
		assert_fault(&s, svm_run(&s), p, DRM_SVMGPU_FAULT_NO_WINDOW);
		svm_fini(&s);
		free(p);
	}

	igt_describe("F1: after a prefetch of the batch and the data, a job takes no GPU fault.");
	igt_subtest("prefetch-no-faults") {
		size_t size = 1 << 20;
		uint8_t *src = map_anon(size), *dst = map_anon(size);
		struct drm_svmgpu_svm_counters before, after;

		memset(src, 9, size);
		svm_init(&s, fd);
		emit_copy(&s, dst, src, size);
		bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH, (uintptr_t)src, size);
		bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH, (uintptr_t)dst, size);
		bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH, (uintptr_t)s.batch,
			BATCH_DWORDS * 4);
		bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH,
			(uintptr_t)s.fence & ~4095ull, 4096);
		before = counters(fd, s.vm);
		igt_assert_eq(svm_run(&s), 0);
		after = counters(fd, s.vm);
		igt_assert(!memcmp(src, dst, size));
		igt_assert_eq_u64(after.faults - before.faults, 0);
		igt_assert(after.prefetched >= 2 * size);
		svm_fini(&s);
		munmap(src, size);
		munmap(dst, size);
	}

	igt_describe("Fault-mode jobs publish no dma-fence: an EXEC that asks to signal a syncobj or lists BOs for implicit fencing is refused with -EINVAL.");
	igt_subtest("exec-signal-refused") {
		struct drm_svmgpu_sync sync = { .flags = DRM_SVMGPU_SYNC_SIGNAL };
		struct drm_svmgpu_exec exec = {};

		svm_init(&s, fd);
		igt_assert_eq(drmSyncobjCreate(fd, 0, &sync.handle), 0);
		exec.queue_id = s.queue;
		exec.batch_address = (uintptr_t)s.batch;
		exec.batch_size = 8;
		exec.syncs.stride = sizeof(sync);
		exec.syncs.count = 1;
		exec.syncs.array = (uintptr_t)&sync;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_EXEC, &exec, EINVAL);
		drmSyncobjDestroy(fd, sync.handle);
		svm_fini(&s);
	}

	igt_describe("Another process using the same file cannot bind mirror windows, prefetch or submit to a fault-mode VM (-EACCES): its address space is not the mirrored one.");
	igt_subtest("other-process-refused") {
		svm_init(&s, fd);
		igt_fork(child, 1) {
			struct drm_svmgpu_exec exec = {
				.queue_id = s.queue,
				.batch_address = (uintptr_t)s.batch,
				.batch_size = 8,
			};

			igt_assert_eq(bind_op_err(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_MIRROR,
						  MIRROR_START, 1 << 20), -EACCES);
			igt_assert_eq(bind_op_err(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH,
						  (uintptr_t)s.batch, 4096), -EACCES);
			do_ioctl_err(fd, DRM_IOCTL_SVMGPU_EXEC, &exec, EACCES);
		}
		igt_waitchildren();
		svm_fini(&s);
	}

	igt_describe("Fault-mode uAPI errors: unknown VM_CREATE flags, MIRROR/PREFETCH on a dma-fence VM or with non-zero BO fields, queries of a dma-fence VM.");
	igt_subtest("bad-fault-mode-args") {
		struct drm_svmgpu_vm_create vc = { .flags = 1u << 31 };
		struct drm_svmgpu_vm_query q = { .type = DRM_SVMGPU_VM_QUERY_COUNTERS };
		struct drm_svmgpu_svm_counters c;
		uint32_t plain = vm_create(fd, 0);

		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_CREATE, &vc, EINVAL);
		igt_assert_eq(bind_op_err(fd, plain, DRM_SVMGPU_VM_BIND_OP_MIRROR,
					  MIRROR_START, 1 << 20), -EINVAL);
		igt_assert_eq(bind_op_err(fd, plain, DRM_SVMGPU_VM_BIND_OP_PREFETCH,
					  MIRROR_START, 1 << 20), -EINVAL);
		q.vm_id = plain;
		q.data = (uintptr_t)&c;
		q.data_size = sizeof(c);
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q, EINVAL);

		svm_init(&s, fd);
		q.vm_id = s.vm;
		q.data_size = 8;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q, ENOSPC);
		igt_assert_eq_u32(q.data_size, sizeof(c));
		q.type = 7;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q, EINVAL);
		q.type = DRM_SVMGPU_VM_QUERY_PAGES;
		q.start = 4095;
		q.size = 4096;
		q.data_size = 1;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q, EINVAL);
		q.start = 0;
		q.size = 0;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q, EINVAL);
		svm_fini(&s);
	}

	igt_describe("WAIT_USER_FENCE: a condition that holds returns at once, one that does not times out with -ETIME, bad arguments give -EINVAL/-EFAULT/-ENOENT.");
	igt_subtest("wait-user-fence") {
		volatile uint64_t *v = aligned_alloc(64, 64);
		struct drm_svmgpu_wait_user_fence w = {
			.addr = (uintptr_t)v, .value = 5, .mask = ~0ull,
			.op = DRM_SVMGPU_UFENCE_EQ,
		};

		*v = 5;
		do_ioctl(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w);
		w.value = 6;
		w.timeout_ns = 10 * 1000 * 1000;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w, ETIME);
		igt_assert_eq(w.timeout_ns, 0);
		w.mask = 0;	/* 5 & 0 == 6 & 0 */
		do_ioctl(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w);
		w.mask = ~0ull;
		w.op = DRM_SVMGPU_UFENCE_LT;
		do_ioctl(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w);
		w.op = 6;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w, EINVAL);
		w.op = DRM_SVMGPU_UFENCE_EQ;
		w.addr += 4;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w, EINVAL);
		w.addr = 8;
		w.timeout_ns = 0;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w, EFAULT);
		w.addr = (uintptr_t)v;
		w.flags = 1;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w, EINVAL);
		w.flags = 0;
		w.pad = 1;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w, EINVAL);
		w.pad = 0;
		w.queue_id = 4000;
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w, ENOENT);
		free((void *)v);
	}

	igt_describe("F2: attributes set on a range read back; a SET on part of a range splits it (GET over both parts says MIXED); unset ranges have the defaults.");
	igt_subtest("attr-roundtrip") {
		uint8_t *p = map_anon(256 << 10);
		struct drm_svmgpu_attr all[4] = {
			{ .type = DRM_SVMGPU_ATTR_ACCESS },
			{ .type = DRM_SVMGPU_ATTR_MAX_CHUNK },
			{ .type = DRM_SVMGPU_ATTR_READ_MOSTLY },
			{ .type = DRM_SVMGPU_ATTR_PREFERRED_LOCATION },
		};

		svm_init(&s, fd);
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_GET, p, 256 << 10, all, 4), 0);
		igt_assert_eq_u64(all[0].value, DRM_SVMGPU_ACCESS_READ_WRITE);
		igt_assert_eq_u64(all[1].value, 2 << 20);
		igt_assert_eq_u64(all[2].value, 0);
		igt_assert_eq_u64(all[3].value, DRM_SVMGPU_LOCATION_SYSTEM);

		attr_set1(fd, s.vm, p, 256 << 10, DRM_SVMGPU_ATTR_READ_MOSTLY, 1);
		attr_set1(fd, s.vm, p + (64 << 10), 64 << 10, DRM_SVMGPU_ATTR_ACCESS,
			  DRM_SVMGPU_ACCESS_READ);
		attr_set1(fd, s.vm, p + (192 << 10), 64 << 10, DRM_SVMGPU_ATTR_MAX_CHUNK, 4096);
		igt_assert_eq_u64(attr_get1(fd, s.vm, p, 256 << 10, DRM_SVMGPU_ATTR_READ_MOSTLY), 1);
		igt_assert_eq_u64(attr_get1(fd, s.vm, p, 256 << 10, DRM_SVMGPU_ATTR_ACCESS),
				  DRM_SVMGPU_ATTR_MIXED);
		igt_assert_eq_u64(attr_get1(fd, s.vm, p, 64 << 10, DRM_SVMGPU_ATTR_ACCESS),
				  DRM_SVMGPU_ACCESS_READ_WRITE);
		igt_assert_eq_u64(attr_get1(fd, s.vm, p + (64 << 10), 64 << 10,
					    DRM_SVMGPU_ATTR_ACCESS), DRM_SVMGPU_ACCESS_READ);
		igt_assert_eq_u64(attr_get1(fd, s.vm, p + (96 << 10), 4096,
					    DRM_SVMGPU_ATTR_ACCESS), DRM_SVMGPU_ACCESS_READ);
		igt_assert_eq_u64(attr_get1(fd, s.vm, p + (128 << 10), 64 << 10,
					    DRM_SVMGPU_ATTR_ACCESS), DRM_SVMGPU_ACCESS_READ_WRITE);
		igt_assert_eq_u64(attr_get1(fd, s.vm, p + (192 << 10), 64 << 10,
					    DRM_SVMGPU_ATTR_MAX_CHUNK), 4096);
		igt_assert_eq_u64(attr_get1(fd, s.vm, p + (128 << 10), 128 << 10,
					    DRM_SVMGPU_ATTR_MAX_CHUNK), DRM_SVMGPU_ATTR_MIXED);
		/* Beyond what was set: the defaults. */
		igt_assert_eq_u64(attr_get1(fd, s.vm, p + (256 << 10), 4096,
					    DRM_SVMGPU_ATTR_READ_MOSTLY), 0);
		/* Setting the middle back: the whole range is uniform again. */
		attr_set1(fd, s.vm, p + (64 << 10), 64 << 10, DRM_SVMGPU_ATTR_ACCESS,
			  DRM_SVMGPU_ACCESS_READ_WRITE);
		igt_assert_eq_u64(attr_get1(fd, s.vm, p, 192 << 10, DRM_SVMGPU_ATTR_ACCESS),
				  DRM_SVMGPU_ACCESS_READ_WRITE);
		svm_fini(&s);
		munmap(p, 256 << 10);
	}

	igt_describe("F2: the GPU-access attribute is enforced: NONE makes a GPU read fault, READ allows reads and makes writes fault (memory unchanged), both reported with the attribute reason.");
	igt_subtest("attr-access") {
		uint32_t *p = map_anon(64 << 10), *out = malloc(64);

		p[0] = 21;
		svm_init(&s, fd);
		attr_set1(fd, s.vm, p, 64 << 10, DRM_SVMGPU_ATTR_ACCESS, DRM_SVMGPU_ACCESS_NONE);
		emit_copy(&s, out, p, 4);
		assert_fault(&s, svm_run(&s), p, DRM_SVMGPU_FAULT_ATTR_ACCESS);

		assert_vm_usable(&s);
		attr_set1(fd, s.vm, p, 64 << 10, DRM_SVMGPU_ATTR_ACCESS, DRM_SVMGPU_ACCESS_READ);
		out[0] = 0;
		emit_copy(&s, out, p, 4);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq_u32(out[0], 21);
		emit_write32(&s, p, 99);
		assert_fault(&s, svm_run(&s), p, DRM_SVMGPU_FAULT_ATTR_ACCESS);
		igt_assert_eq_u32(p[0], 21);
		svm_fini(&s);
		munmap(p, 64 << 10);
		free(out);
	}

	igt_describe("F2: the maximum-chunk attribute bounds what one fault maps: 4 KiB maps only the touched page, the default maps the whole 2 MiB around it.");
	igt_subtest("attr-max-chunk") {
		size_t size = 4 << 20;
		uint8_t *raw = map_anon(size * 2), *p;
		static uint8_t states[1024];
		int i, mapped;

		p = (uint8_t *)(((uintptr_t)raw + (2 << 20) - 1) & ~((uintptr_t)(2 << 20) - 1));
		igt_assert_eq(madvise(p, size, MADV_NOHUGEPAGE), 0);
		memset(p, 1, size);
		svm_init(&s, fd);
		attr_set1(fd, s.vm, p, 2 << 20, DRM_SVMGPU_ATTR_MAX_CHUNK, 4096);
		emit_write32(&s, p + 8192, 5);
		emit_write32(&s, p + (2 << 20) + 8192, 6);
		igt_assert_eq(svm_run(&s), 0);
		snapshot(fd, s.vm, p, size, states);
		for (i = 0, mapped = 0; i < 512; i++)
			mapped += !!(states[i] & DRM_SVMGPU_PAGE_MAPPED);
		igt_assert_eq(mapped, 1);
		igt_assert(states[2] & DRM_SVMGPU_PAGE_MAPPED);
		for (i = 512, mapped = 0; i < 1024; i++)
			mapped += !!(states[i] & DRM_SVMGPU_PAGE_MAPPED);
		igt_assert_eq(mapped, 512);
		svm_fini(&s);
		munmap(raw, size * 2);
	}

	igt_describe("F2: read-mostly memory is mapped read-only on a GPU read even though the CPU mapping is writable; a GPU write then upgrades it.");
	igt_subtest("attr-read-mostly") {
		uint32_t *p = map_anon(64 << 10), *out = malloc(64);
		uint8_t states[16];

		memset(p, 3, 64 << 10);
		svm_init(&s, fd);
		attr_set1(fd, s.vm, p, 64 << 10, DRM_SVMGPU_ATTR_READ_MOSTLY, 1);
		emit_copy(&s, out, p, 4);
		igt_assert_eq(svm_run(&s), 0);
		snapshot(fd, s.vm, p, 64 << 10, states);
		igt_assert(states[0] & DRM_SVMGPU_PAGE_MAPPED);
		igt_assert_f(!(states[0] & DRM_SVMGPU_PAGE_WRITE), "read-mostly page mapped writable\n");
		emit_write32(&s, p, 8);
		igt_assert_eq(svm_run(&s), 0);
		igt_assert_eq_u32(p[0], 8);
		snapshot(fd, s.vm, p, 64 << 10, states);
		igt_assert(states[0] & DRM_SVMGPU_PAGE_WRITE);
		svm_fini(&s);
		munmap(p, 64 << 10);
		free(out);
	}

	igt_describe("F2: invalid attributes or ranges give -EINVAL (unknown type, duplicate, bad value, non-zero pad, no or too many attributes, misaligned or empty range, dma-fence VM), an unknown VM -ENOENT, a SET from another process -EACCES.");
	igt_subtest("attr-bad") {
		uint8_t *p = map_anon(64 << 10);
		struct drm_svmgpu_attr a[DRM_SVMGPU_VM_ATTR_MAX + 1] = {};
		uint32_t plain = vm_create(fd, 0);
		int i;

		svm_init(&s, fd);
#define SET1(type_, value_, err_) do { \
		a[0] = (struct drm_svmgpu_attr){ .type = (type_), .value = (value_) }; \
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_SET, p, 4096, a, 1), (err_)); \
	} while (0)
		SET1(4, 0, -EINVAL);
		SET1(DRM_SVMGPU_ATTR_ACCESS, 3, -EINVAL);
		SET1(DRM_SVMGPU_ATTR_MAX_CHUNK, 8192, -EINVAL);
		SET1(DRM_SVMGPU_ATTR_MAX_CHUNK, 0, -EINVAL);
		SET1(DRM_SVMGPU_ATTR_READ_MOSTLY, 2, -EINVAL);
		SET1(DRM_SVMGPU_ATTR_PREFERRED_LOCATION, 1, -EINVAL);
		SET1(DRM_SVMGPU_ATTR_ACCESS, DRM_SVMGPU_ACCESS_READ, 0);
#undef SET1
		a[0] = (struct drm_svmgpu_attr){ .type = DRM_SVMGPU_ATTR_ACCESS, .pad = 1 };
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_SET, p, 4096, a, 1), -EINVAL);
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_GET, p, 4096, a, 1), -EINVAL);
		a[0] = (struct drm_svmgpu_attr){ .type = DRM_SVMGPU_ATTR_ACCESS };
		a[1] = a[0];
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_SET, p, 4096, a, 2), -EINVAL);
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_GET, p, 4096, a, 2), -EINVAL);
		/* The failed SETs changed nothing. */
		igt_assert_eq_u64(attr_get1(fd, s.vm, p, 4096, DRM_SVMGPU_ATTR_ACCESS),
				  DRM_SVMGPU_ACCESS_READ);
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_GET, p, 4096, a, 0), -EINVAL);
		for (i = 0; i <= DRM_SVMGPU_VM_ATTR_MAX; i++)
			a[i] = (struct drm_svmgpu_attr){ .type = i % 4 };
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_GET, p, 4096, a,
				      DRM_SVMGPU_VM_ATTR_MAX + 1), -EINVAL);
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_GET, p + 1, 4096, a, 1), -EINVAL);
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_GET, p, 4095, a, 1), -EINVAL);
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_GET, p, 0, a, 1), -EINVAL);
		igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_GET, (void *)0, 4096, a, 1), -EINVAL);
		igt_assert_eq(vm_attr(fd, s.vm, 2, p, 4096, a, 1), -EINVAL);
		igt_assert_eq(vm_attr(fd, plain, DRM_SVMGPU_VM_ATTR_GET, p, 4096, a, 1), -EINVAL);
		igt_assert_eq(vm_attr(fd, 999, DRM_SVMGPU_VM_ATTR_GET, p, 4096, a, 1), -ENOENT);
		igt_fork(child, 1)
			igt_assert_eq(vm_attr(fd, s.vm, DRM_SVMGPU_VM_ATTR_SET, p, 4096, a, 1), -EACCES);
		igt_waitchildren();
		svm_fini(&s);
		munmap(p, 64 << 10);
	}

	igt_fixture
		close(fd);
}
