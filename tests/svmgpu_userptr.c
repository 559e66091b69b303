// SPDX-License-Identifier: MIT
/*
 * svmgpu_userptr - userptr binds (VM_BIND MAP_USERPTR) in dma-fence VMs.
 *
 * Maps process memory (malloc'd, anonymous, memfd) at GPU addresses of
 * a dma-fence VM and checks, through GPU copies between it and BOs,
 * that jobs see the memory the CPU mapping has when they are submitted:
 * after munmap/mmap(MAP_FIXED), mprotect, madvise, fork's
 * copy-on-write, and while another thread changes the mapping during
 * submission. Bad binds fail with their documented errors and change
 * nothing (the VM's mappings in debugfs "vms" are compared).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
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
#include "igt_vgem.h"
#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_fault.h"

IGT_TEST_DESCRIPTION("Userptr binds in dma-fence VMs: GPU access to process "
		     "memory that follows munmap/mmap, mprotect, madvise, fork, "
		     "and races with submission; bad binds.");

#define PAGE		4096ull
#define VA_BATCH	(1ull << 32)
#define VA_DATA		(2ull << 32)
#define VA_UPTR		(3ull << 32)
#define VA_UPTR2	(4ull << 32)
#define BO_SIZE		(64u << 10)
#define UPTR_SIZE	(16u << 10)
#define WAIT_NS		(10ll * 1000000000ll)

struct ctx {
	int fd;
	uint32_t vm, queue;
	uint32_t batch_bo, data_bo;
	uint32_t *batch;
	uint8_t *data;
	uint32_t *cs;
};

static int __bind(int fd, uint32_t vm, const struct drm_svmgpu_vm_bind_op *ops,
		  uint32_t count, uint32_t stride, uint32_t flags,
		  struct drm_svmgpu_sync *syncs, uint32_t nr_syncs)
{
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.flags = flags,
		.ops = { .stride = stride, .count = count, .array = (uintptr_t)ops },
		.syncs = { .stride = sizeof(*syncs), .count = nr_syncs,
			   .array = (uintptr_t)syncs },
	};

	return igt_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args) ? -errno : 0;
}

static int __bind_userptr(int fd, uint32_t vm, uint64_t va, uint64_t ptr,
			  uint64_t size, uint32_t flags)
{
	struct drm_svmgpu_vm_bind_op op = {
		.op = DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR, .flags = flags,
		.va = va, .size = size, .userptr = ptr,
	};

	return __bind(fd, vm, &op, 1, sizeof(op), 0, NULL, 0);
}

static void bind_userptr(int fd, uint32_t vm, uint64_t va, const void *ptr,
			 uint64_t size, uint32_t flags)
{
	igt_assert_eq(__bind_userptr(fd, vm, va, (uintptr_t)ptr, size, flags), 0);
}

static void ctx_init(struct ctx *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->vm = igt_svmgpu_vm_create(fd, 0);
	c->queue = igt_svmgpu_queue_create(fd, c->vm, 0);
	c->batch_bo = igt_svmgpu_bo_create(fd, BO_SIZE);
	c->data_bo = igt_svmgpu_bo_create(fd, BO_SIZE);
	c->batch = igt_svmgpu_bo_mmap(fd, c->batch_bo, BO_SIZE);
	c->data = igt_svmgpu_bo_mmap(fd, c->data_bo, BO_SIZE);
	igt_svmgpu_vm_map(fd, c->vm, c->batch_bo, VA_BATCH, BO_SIZE, 0);
	igt_svmgpu_vm_map(fd, c->vm, c->data_bo, VA_DATA, BO_SIZE, 0);
	c->cs = c->batch;
}

static void ctx_fini(struct ctx *c)
{
	igt_svmgpu_queue_destroy(c->fd, c->queue);
	igt_svmgpu_vm_destroy(c->fd, c->vm);
	munmap(c->batch, BO_SIZE);
	munmap(c->data, BO_SIZE);
	igt_svmgpu_bo_close(c->fd, c->batch_bo);
	igt_svmgpu_bo_close(c->fd, c->data_bo);
}

/*
 * Ends the batch and submits it, after syncobj @in (0: nothing), with an
 * out-syncobj; returns 0 and the syncobj, or -errno (the syncobj is then
 * destroyed after checking it got no fence: nothing was submitted).
 */
static int __submit_after(struct ctx *c, uint32_t in, uint32_t *syncobj)
{
	struct drm_svmgpu_sync syncs[2] = {
		{ .flags = DRM_SVMGPU_SYNC_SIGNAL },
		{ .flags = DRM_SVMGPU_SYNC_WAIT, .handle = in },
	};
	struct drm_svmgpu_exec args = {
		.queue_id = c->queue,
		.batch_address = VA_BATCH,
		.syncs = { .stride = sizeof(syncs[0]), .count = in ? 2 : 1,
			   .array = (uintptr_t)syncs },
	};
	int ret;

	igt_svmgpu_emit_end(&c->cs);
	args.batch_size = (uint8_t *)c->cs - (uint8_t *)c->batch;
	c->cs = c->batch;
	igt_assert_eq(drmSyncobjCreate(c->fd, 0, &syncs[0].handle), 0);
	ret = igt_ioctl(c->fd, DRM_IOCTL_SVMGPU_EXEC, &args) ? -errno : 0;
	if (ret) {
		/* Nothing was submitted: the syncobj still has no fence. */
		igt_assert_eq(drmSyncobjWait(c->fd, &syncs[0].handle, 1, 0, 0, NULL),
			      -EINVAL);
		drmSyncobjDestroy(c->fd, syncs[0].handle);
		return ret;
	}
	*syncobj = syncs[0].handle;
	return 0;
}

static int __submit(struct ctx *c, uint32_t *syncobj)
{
	return __submit_after(c, 0, syncobj);
}

/* Submits the batch; returns the job's status, or EXEC's -errno. */
static int __run(struct ctx *c)
{
	uint32_t syncobj;
	int ret = __submit(c, &syncobj);

	if (ret)
		return ret;
	ret = igt_svmgpu_syncobj_status(c->fd, syncobj);
	drmSyncobjDestroy(c->fd, syncobj);
	return ret;
}

static void run(struct ctx *c)
{
	igt_assert_eq(__run(c), 0);
}

static void fill32(void *p, uint32_t value, size_t bytes)
{
	uint32_t *q = p;

	for (size_t i = 0; i < bytes / 4; i++)
		q[i] = value;
}

static void assert_all32(const void *p, uint32_t value, size_t bytes)
{
	const uint32_t *q = p;

	for (size_t i = 0; i < bytes / 4; i++)
		igt_assert_f(q[i] == value, "word %zu is %#x, expected %#x\n",
			     i, q[i], value);
}

static void *map_anon(void *addr, size_t size, int prot)
{
	void *p = mmap(addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS |
		       (addr ? MAP_FIXED : 0), -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

/* A memfd of @size bytes filled with @value, mapped shared at @addr. */
static void *map_memfd(void *addr, size_t size, uint32_t value)
{
	uint32_t buf[1024];
	int fd = memfd_create("svmgpu-userptr", 0);
	void *p;

	igt_assert(fd >= 0);
	igt_assert_eq(ftruncate(fd, size), 0);
	fill32(buf, value, sizeof(buf));
	for (size_t off = 0; off < size; off += sizeof(buf))
		igt_assert_eq(pwrite(fd, buf, sizeof(buf), off), (ssize_t)sizeof(buf));
	p = mmap(addr, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | (addr ? MAP_FIXED : 0), fd, 0);
	close(fd);
	igt_assert(p != MAP_FAILED);
	return p;
}

/*
 * The mapping lines debugfs "vms" prints for @vm of this process, one
 * string; returns how many lines. Userptr lines read
 * "start-end userptr <cpu> rw|ro valid|invalid".
 */
static int vm_lines(int fd, uint32_t vm, char *out, size_t len)
{
	int dir = igt_debugfs_dir_for(fd);
	char line[256];
	bool mine = false, found = false;
	int file, n = 0;
	size_t used = 0;
	FILE *f;

	file = openat(dir, "vms", O_RDONLY);
	igt_assert_f(file >= 0, "debugfs vms: %s\n", strerror(errno));
	f = fdopen(file, "r");
	igt_assert(f);
	out[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned int id;
		int pid;

		if (sscanf(line, "vm %u pid %d:", &id, &pid) == 2) {
			mine = id == vm && pid == getpid();
			found |= mine;
		} else if (mine && line[0] == ' ' && strchr(line, '-')) {
			igt_assert_lt(used + strlen(line), len);
			strcpy(out + used, line);
			used += strlen(line);
			n++;
		}
	}
	fclose(f);
	close(dir);
	igt_assert_f(found, "vm %u not in debugfs vms\n", vm);
	return n;
}

/* The state debugfs shows for the userptr at @va: 1 valid, 0 invalid, -1 none. */
static int userptr_state(int fd, uint32_t vm, uint64_t va, uint64_t cpu)
{
	char lines[8192], want[64];
	const char *p;

	vm_lines(fd, vm, lines, sizeof(lines));
	snprintf(want, sizeof(want), "%#014" PRIx64 "-", va);
	p = strstr(lines, want);
	if (!p)
		return -1;
	snprintf(want, sizeof(want), "userptr %#" PRIx64 " ", cpu);
	igt_assert_f(strstr(p, want) && strstr(p, want) < strchr(p, '\n'),
		     "userptr line of %#" PRIx64 " lacks '%s':\n%s", va, want, lines);
	return strncmp(strchr(p, '\n') - 7, "invalid", 7) ? 1 : 0;
}

static int open_device(void)
{
	return drm_open_driver_render(DRIVER_SVMGPU);
}

static void test_basic(int fd)
{
	struct ctx c;
	uint8_t *mem;
	uint32_t syncobj;

	ctx_init(&c, fd);
	igt_assert_eq(posix_memalign((void **)&mem, PAGE, UPTR_SIZE), 0);
	for (unsigned int i = 0; i < UPTR_SIZE; i++)
		mem[i] = i * 13 + 1;
	bind_userptr(fd, c.vm, VA_UPTR, mem, UPTR_SIZE, 0);
	igt_assert_eq(userptr_state(fd, c.vm, VA_UPTR, (uintptr_t)mem), 1);

	/* GPU reads: userptr -> BO, odd offsets across pages. */
	memset(c.data, 0, BO_SIZE);
	igt_svmgpu_emit_copy(&c.cs, VA_DATA + 1, VA_UPTR + 3, UPTR_SIZE - 7);
	igt_assert_eq(__submit(&c, &syncobj), 0);
	igt_assert_eq(igt_svmgpu_syncobj_status(fd, syncobj), 0);
	drmSyncobjDestroy(fd, syncobj);
	igt_assert(memcmp(c.data + 1, mem + 3, UPTR_SIZE - 7) == 0);
	igt_assert_eq(c.data[0], 0);

	/* GPU writes: BO -> userptr, and a FILL. */
	for (unsigned int i = 0; i < UPTR_SIZE; i++)
		c.data[BO_SIZE / 2 + i] = i * 7 + 5;
	igt_svmgpu_emit_copy(&c.cs, VA_UPTR, VA_DATA + BO_SIZE / 2, UPTR_SIZE / 2);
	igt_svmgpu_emit_fill(&c.cs, VA_UPTR + UPTR_SIZE / 2, UPTR_SIZE / 2, 0xc0ffee11);
	run(&c);
	igt_assert(memcmp(mem, c.data + BO_SIZE / 2, UPTR_SIZE / 2) == 0);
	assert_all32(mem + UPTR_SIZE / 2, 0xc0ffee11, UPTR_SIZE / 2);

	igt_svmgpu_vm_unmap(fd, c.vm, VA_UPTR, UPTR_SIZE);
	igt_assert_eq(userptr_state(fd, c.vm, VA_UPTR, (uintptr_t)mem), -1);
	ctx_fini(&c);
	free(mem);
}

/* Copies the userptr to the data BO; returns the job's status or -errno. */
static int copy_out(struct ctx *c, uint64_t va, uint64_t size)
{
	fill32(c->data, 0xdeadbeef, size);
	igt_svmgpu_emit_copy(&c->cs, VA_DATA, va, size);
	return __run(c);
}

static void test_remap(int fd)
{
	struct ctx c;
	uint8_t *mem;

	ctx_init(&c, fd);
	mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);
	fill32(mem, 1, UPTR_SIZE);
	bind_userptr(fd, c.vm, VA_UPTR, mem, UPTR_SIZE, 0);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, 1, UPTR_SIZE);

	/* munmap, then new memory at the same address. */
	igt_assert_eq(munmap(mem, UPTR_SIZE), 0);
	igt_assert_eq(userptr_state(fd, c.vm, VA_UPTR, (uintptr_t)mem), 0);
	map_anon(mem, UPTR_SIZE, PROT_READ | PROT_WRITE);
	fill32(mem, 2, UPTR_SIZE);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, 2, UPTR_SIZE);
	igt_assert_eq(userptr_state(fd, c.vm, VA_UPTR, (uintptr_t)mem), 1);

	/* mmap(MAP_FIXED) straight over it (shared memory this time). */
	map_memfd(mem, UPTR_SIZE, 3);
	igt_assert_eq(userptr_state(fd, c.vm, VA_UPTR, (uintptr_t)mem), 0);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, 3, UPTR_SIZE);

	/* GPU writes land in the new memory. */
	igt_svmgpu_emit_fill(&c.cs, VA_UPTR, UPTR_SIZE, 4);
	run(&c);
	assert_all32(mem, 4, UPTR_SIZE);

	ctx_fini(&c);
	munmap(mem, UPTR_SIZE);
}

static void test_unmapped_efault(int fd)
{
	struct ctx c;
	uint8_t *mem;

	ctx_init(&c, fd);
	mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);
	fill32(mem, 7, UPTR_SIZE);
	bind_userptr(fd, c.vm, VA_UPTR, mem, UPTR_SIZE, 0);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);

	/* Only the last page goes: the whole userptr is unusable. */
	igt_assert_eq(munmap(mem + UPTR_SIZE - PAGE, PAGE), 0);
	/* Any job of the VM, even one not touching the userptr. */
	igt_svmgpu_emit_fill(&c.cs, VA_DATA, 64, 1);
	igt_assert_eq(__run(&c), -EFAULT);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), -EFAULT);
	/* Nothing ran: the BO still holds what copy_out() put there. */
	assert_all32(c.data, 0xdeadbeef, UPTR_SIZE);

	/* Memory there again: EXEC works and sees it. */
	map_anon(mem + UPTR_SIZE - PAGE, PAGE, PROT_READ | PROT_WRITE);
	fill32(mem + UPTR_SIZE - PAGE, 8, PAGE);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, 7, UPTR_SIZE - PAGE);
	assert_all32(c.data + UPTR_SIZE - PAGE, 8, PAGE);

	/* Gone for good: unbinding the userptr lets the VM work again. */
	igt_assert_eq(munmap(mem, UPTR_SIZE), 0);
	igt_svmgpu_emit_fill(&c.cs, VA_DATA, 64, 1);
	igt_assert_eq(__run(&c), -EFAULT);
	igt_svmgpu_vm_unmap(fd, c.vm, VA_UPTR, UPTR_SIZE);
	igt_svmgpu_emit_fill(&c.cs, VA_DATA, 64, 9);
	run(&c);
	assert_all32(c.data, 9, 64);
	ctx_fini(&c);
}

/* G3: the racing thread. */
enum race_mode { RACE_MPROTECT, RACE_MADVISE, RACE_REMAP, RACE_MUNMAP };

struct race {
	enum race_mode mode;
	uint8_t *mem;
	volatile int stop;
	uint32_t gen;		/* generation mapped; atomics */
	int error;		/* errno of a failed syscall in the thread */
	unsigned long loops;
};

static void *race_thread(void *arg)
{
	struct race *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE) && !r->error) {
		uint32_t g = __atomic_load_n(&r->gen, __ATOMIC_ACQUIRE) + 1;
		void *p;
		int fd;

		switch (r->mode) {
		case RACE_MPROTECT:
			if (mprotect(r->mem, UPTR_SIZE, PROT_NONE) ||
			    mprotect(r->mem, UPTR_SIZE, PROT_READ | PROT_WRITE))
				r->error = errno;
			break;
		case RACE_MADVISE:
			/* Shared memory: the pages go from the mapping, the data stays. */
			if (madvise(r->mem, UPTR_SIZE, MADV_DONTNEED))
				r->error = errno;
			break;
		case RACE_REMAP:
		case RACE_MUNMAP:
			/* A new generation in fresh memory, then mapped over. */
			fd = memfd_create("svmgpu-race", 0);
			if (fd < 0 || ftruncate(fd, UPTR_SIZE)) {
				r->error = errno;
				break;
			}
			for (uint32_t off = 0; off < UPTR_SIZE; off += 4)
				if (pwrite(fd, &g, 4, off) != 4)
					r->error = errno;
			if (r->mode == RACE_MUNMAP && munmap(r->mem, UPTR_SIZE))
				r->error = errno;
			p = mmap(r->mem, UPTR_SIZE, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_FIXED, fd, 0);
			if (p != (void *)r->mem)
				r->error = errno;
			close(fd);
			__atomic_store_n(&r->gen, g, __ATOMIC_RELEASE);
			break;
		}
		r->loops++;
	}
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void test_race(int fd, enum race_mode mode)
{
	struct race r = { .mode = mode, .gen = 1 };
	unsigned int ok = 0, efault = 0, eagain = 0;
	uint64_t end;
	pthread_t thread;
	struct ctx c;

	ctx_init(&c, fd);
	r.mem = map_memfd(NULL, UPTR_SIZE, 1);
	/* Kernels without CONFIG_ADVISE_SYSCALLS (the debug lane's) lack it. */
	if (mode == RACE_MADVISE)
		igt_require_f(!madvise(r.mem, UPTR_SIZE, MADV_DONTNEED) ||
			      errno != ENOSYS, "madvise() not available\n");
	/* Read-only: mprotect(PROT_READ) would otherwise fail the lookup too. */
	bind_userptr(fd, c.vm, VA_UPTR, r.mem, UPTR_SIZE,
		     DRM_SVMGPU_VM_BIND_OP_READ_ONLY);
	igt_assert_eq(pthread_create(&thread, NULL, race_thread, &r), 0);

	end = now_ns() + 3000000000ull;
	while (now_ns() < end) {
		uint32_t before = __atomic_load_n(&r.gen, __ATOMIC_ACQUIRE), after, v;
		int ret = copy_out(&c, VA_UPTR, UPTR_SIZE);

		after = __atomic_load_n(&r.gen, __ATOMIC_ACQUIRE);
		if (ret == -EFAULT) {
			/* Only while the memory is unmapped or PROT_NONE. */
			igt_assert_f(mode == RACE_MPROTECT || mode == RACE_MUNMAP,
				     "EXEC failed with EFAULT in mode %d\n", mode);
			efault++;
			continue;
		}
		if (ret == -EAGAIN) {
			eagain++;
			continue;
		}
		igt_assert_eq(ret, 0);
		/*
		 * One generation, not older than the one mapped at EXEC; the
		 * thread publishes a generation after mapping it, so the job
		 * may have read one past the last published.
		 */
		v = *(uint32_t *)c.data;
		assert_all32(c.data, v, UPTR_SIZE);
		igt_assert_f(v >= before && v <= after + 1,
			     "job read generation %u, mapped at EXEC %u, now %u\n",
			     v, before, after);
		ok++;
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	igt_assert_f(!r.error, "racing thread: %s\n", strerror(r.error));
	igt_info("%u jobs checked, %u EXEC EFAULT, %u EXEC EAGAIN, %lu CPU changes\n",
		 ok, efault, eagain, r.loops);
	igt_assert_lt(0, ok);
	igt_assert_lt(0, (int)r.loops);

	/* Quiet again: the latest generation, for sure. */
	igt_assert_eq(mprotect(r.mem, UPTR_SIZE, PROT_READ | PROT_WRITE), 0);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, r.gen, UPTR_SIZE);
	ctx_fini(&c);
	munmap(r.mem, UPTR_SIZE);
}

/*
 * Submits a copy of the userptr into the data BO (filled with a marker
 * first) held back by a new vgem fence @f; returns the out-syncobj.
 */
static uint32_t copy_out_held(struct ctx *c, struct igt_cpu_fence *f)
{
	uint32_t in, out;

	igt_cpu_fence_init(f);
	in = igt_cpu_fence_syncobj(f, c->fd);
	fill32(c->data, 0xdeadbeef, UPTR_SIZE);
	igt_svmgpu_emit_copy(&c->cs, VA_DATA, VA_UPTR, UPTR_SIZE);
	igt_assert_eq(__submit_after(c, in, &out), 0);
	drmSyncobjDestroy(c->fd, in);
	return out;
}

/* madvise(MADV_DONTNEED) of @mem; returns how long it took, in ns. */
static uint64_t timed_dontneed(uint8_t *mem)
{
	uint64_t t0 = now_ns();

	igt_assert_eq(madvise(mem, UPTR_SIZE, MADV_DONTNEED), 0);
	return now_ns() - t0;
}

static void test_invalidate_queued(int fd)
{
	/* the notifier's bound on its wait: twice the job timeout */
	const uint64_t bound_ns = 2ull * igt_svmgpu_job_timeout_ms() * 1000000ull;
	struct igt_cpu_fence f;
	struct ctx c;
	uint8_t *mem;
	uint64_t t;
	uint32_t out;

	igt_require_f(bound_ns < IGT_VGEM_FENCE_TIMEOUT_NS / 2,
		      "job_timeout_ms %u: vgem would signal the fence itself\n",
		      igt_svmgpu_job_timeout_ms());
	ctx_init(&c, fd);
	mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);
	fill32(mem, 0x11111111, UPTR_SIZE);
	bind_userptr(fd, c.vm, VA_UPTR, mem, UPTR_SIZE, 0);

	/* The fence signals within the bound: the CPU change waits for the
	 * job, which reads the old pages. */
	out = copy_out_held(&c, &f);
	igt_cpu_fence_signal_later(&f, 300);
	t = timed_dontneed(mem);
	igt_cpu_fence_join(&f);
	igt_assert_f(t >= 200000000ull, "madvise returned after %.1f ms, "
		     "before the job it had to wait for\n", t / 1e6);
	igt_assert_eq(igt_svmgpu_syncobj_status(fd, out), 0);
	assert_all32(c.data, 0x11111111, UPTR_SIZE);
	assert_all32(mem, 0, UPTR_SIZE);
	drmSyncobjDestroy(fd, out);
	igt_cpu_fence_fini(&f);

	/* It stays unsignalled past the bound: the job runs without the
	 * pages and faults. */
	fill32(mem, 0x22222222, UPTR_SIZE);
	out = copy_out_held(&c, &f);
	t = timed_dontneed(mem);
	igt_assert_f(t >= bound_ns * 9 / 10 && t < IGT_VGEM_FENCE_TIMEOUT_NS,
		     "madvise took %.1f ms; the bound is %.1f ms\n",
		     t / 1e6, bound_ns / 1e6);
	igt_cpu_fence_signal(&f);
	igt_assert_eq(igt_svmgpu_syncobj_status(fd, out), -EFAULT);
	igt_svmgpu_assert_fault_ban(fd, c.queue, VA_UPTR, SVMGPU_ACCESS_READ,
				    SVMGPU_FAULT_NOT_PRESENT);
	assert_all32(c.data, 0xdeadbeef, UPTR_SIZE);
	drmSyncobjDestroy(fd, out);
	igt_cpu_fence_fini(&f);

	/* A new queue reads what the CPU mapping has now. */
	igt_svmgpu_queue_destroy(fd, c.queue);
	c.queue = igt_svmgpu_queue_create(fd, c.vm, 0);
	fill32(mem, 0x33333333, UPTR_SIZE);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, 0x33333333, UPTR_SIZE);
	ctx_fini(&c);
	munmap(mem, UPTR_SIZE);
}

static void test_read_only(int fd)
{
	struct ctx c;
	uint8_t *mem, *ro;

	ctx_init(&c, fd);
	mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);
	fill32(mem, 0x5a5a5a5a, UPTR_SIZE);
	bind_userptr(fd, c.vm, VA_UPTR, mem, UPTR_SIZE,
		     DRM_SVMGPU_VM_BIND_OP_READ_ONLY);
	igt_assert_eq(userptr_state(fd, c.vm, VA_UPTR, (uintptr_t)mem), 1);

	/* Read-only memory: READ_ONLY only. */
	ro = map_memfd(NULL, UPTR_SIZE, 0x77);
	igt_assert_eq(mprotect(ro, UPTR_SIZE, PROT_READ), 0);
	igt_assert_eq(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)ro, UPTR_SIZE, 0),
		      -EFAULT);
	bind_userptr(fd, c.vm, VA_UPTR2, ro, UPTR_SIZE,
		     DRM_SVMGPU_VM_BIND_OP_READ_ONLY);

	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, 0x5a5a5a5a, UPTR_SIZE);
	igt_assert_eq(copy_out(&c, VA_UPTR2, UPTR_SIZE), 0);
	assert_all32(c.data, 0x77, UPTR_SIZE);

	/* A GPU write faults; the memory is unchanged. */
	igt_svmgpu_emit_fill(&c.cs, VA_DATA, 64, 1);
	igt_svmgpu_emit_fill(&c.cs, VA_UPTR + 2 * PAGE, 64, 0xbad);
	igt_assert_eq(__run(&c), -EFAULT);
	igt_svmgpu_assert_fault_ban(fd, c.queue, VA_UPTR + 2 * PAGE,
				    SVMGPU_ACCESS_WRITE, SVMGPU_FAULT_WRITE_PROTECT);
	assert_all32(c.data, 1, 64);
	assert_all32(mem, 0x5a5a5a5a, UPTR_SIZE);
	ctx_fini(&c);
	munmap(mem, UPTR_SIZE);
	munmap(ro, UPTR_SIZE);
}

static bool fault_mode_supported(int fd)
{
	struct drm_svmgpu_get_param p = { .param = DRM_SVMGPU_PARAM_FEATURES };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &p);
	return p.value & DRM_SVMGPU_FEATURE_FAULT_MODE;
}

static void test_bad_bind(int fd)
{
	char before[8192], after[8192];
	struct drm_svmgpu_vm_bind_op ops[2];
	uint8_t *mem, *hole, *none, *ro;
	struct ctx c;
	int n;

	ctx_init(&c, fd);
	mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);
	fill32(mem, 0x1234, UPTR_SIZE);
	bind_userptr(fd, c.vm, VA_UPTR, mem, UPTR_SIZE, 0);
	hole = map_anon(NULL, 4 * PAGE, PROT_READ | PROT_WRITE);
	igt_assert_eq(munmap(hole + 2 * PAGE, 2 * PAGE), 0);
	none = map_anon(NULL, 2 * PAGE, PROT_NONE);
	ro = map_anon(NULL, 2 * PAGE, PROT_READ);
	n = vm_lines(fd, c.vm, before, sizeof(before));
	igt_assert_eq(n, 3);

#define BAD(expr, err) do { \
		igt_assert_eq((expr), -(err)); \
		igt_assert_eq(vm_lines(fd, c.vm, after, sizeof(after)), n); \
		igt_assert_f(!strcmp(before, after), "mappings changed:\n%s\nwas:\n%s", \
			     after, before); \
	} while (0)

	/* Not (fully) mapped: EFAULT. */
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)(hole + 2 * PAGE), 2 * PAGE, 0),
	    EFAULT);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)hole, 4 * PAGE, 0), EFAULT);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, 0, 2 * PAGE, 0), EFAULT);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)none, 2 * PAGE,
			   DRM_SVMGPU_VM_BIND_OP_READ_ONLY), EFAULT);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)ro, 2 * PAGE, 0), EFAULT);
	/* Not user memory: EFAULT. */
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, 0xffff888000000000ull, 2 * PAGE, 0),
	    EFAULT);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, 0x0000800000000000ull, 2 * PAGE, 0),
	    EFAULT);
	/* A DRM BO's mmap (VM_PFNMAP): EFAULT. */
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)c.data, 2 * PAGE, 0), EFAULT);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)c.data, 2 * PAGE,
			   DRM_SVMGPU_VM_BIND_OP_READ_ONLY), EFAULT);

	/* Malformed: EINVAL. */
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, 0xfffffffffffff000ull, 2 * PAGE, 0),
	    EINVAL);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)mem,
			   DRM_SVMGPU_USERPTR_MAX_SIZE + PAGE, 0), EINVAL);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)mem + 8, PAGE, 0), EINVAL);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)mem, PAGE + 8, 0), EINVAL);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)mem, 0, 0), EINVAL);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)mem, PAGE, 1u << 1), EINVAL);
	BAD(__bind_userptr(fd, c.vm, VA_UPTR2, (uintptr_t)mem, PAGE, 1u << 31), EINVAL);
	ops[0] = (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR, .va = VA_UPTR2,
		.size = PAGE, .userptr = (uintptr_t)mem, .handle = c.data_bo,
	};
	BAD(__bind(fd, c.vm, ops, 1, sizeof(ops[0]), 0, NULL, 0), EINVAL);
	ops[0].handle = 0;
	ops[0].bo_offset = PAGE;
	BAD(__bind(fd, c.vm, ops, 1, sizeof(ops[0]), 0, NULL, 0), EINVAL);
	ops[0].bo_offset = 0;
	ops[0].pad = 1;
	BAD(__bind(fd, c.vm, ops, 1, sizeof(ops[0]), 0, NULL, 0), EINVAL);
	ops[0].pad = 0;
	/* The VA range is checked as for any bind. */
	ops[0].va = 0;
	BAD(__bind(fd, c.vm, ops, 1, sizeof(ops[0]), 0, NULL, 0), EINVAL);
	ops[0].va = VA_UPTR2;
	/* A 40-byte (pre-userptr) stride reads @userptr as 0: NULL. */
	BAD(__bind(fd, c.vm, ops, 1, 40, 0, NULL, 0), EFAULT);
	/* @userptr must be zero for the other operations. */
	ops[1] = (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP, .handle = c.data_bo,
		.va = VA_UPTR2, .size = PAGE, .userptr = (uintptr_t)mem,
	};
	BAD(__bind(fd, c.vm, &ops[1], 1, sizeof(ops[1]), 0, NULL, 0), EINVAL);
	ops[1] = (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_UNMAP, .va = VA_UPTR, .size = PAGE,
		.userptr = (uintptr_t)mem,
	};
	BAD(__bind(fd, c.vm, &ops[1], 1, sizeof(ops[1]), 0, NULL, 0), EINVAL);
	/* A good userptr then a bad one: neither is applied. */
	ops[1] = ops[0];
	ops[1].va = VA_UPTR2 + PAGE;
	ops[1].userptr = (uintptr_t)(hole + 2 * PAGE);
	BAD(__bind(fd, c.vm, ops, 2, sizeof(ops[0]), 0, NULL, 0), EFAULT);
	/* ... also when the good one replaces the existing userptr. */
	ops[0].va = VA_UPTR;
	BAD(__bind(fd, c.vm, ops, 2, sizeof(ops[0]), 0, NULL, 0), EFAULT);
#undef BAD

	/* Fault-mode VMs have no userptrs. */
	if (fault_mode_supported(fd)) {
		uint32_t fvm = igt_svmgpu_vm_create(fd, DRM_SVMGPU_VM_CREATE_FAULT_MODE);
		struct drm_svmgpu_vm_destroy vd = { .vm_id = fvm };

		igt_assert_eq(__bind_userptr(fd, fvm, VA_UPTR, (uintptr_t)mem,
					     PAGE, 0), -EINVAL);
		do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_DESTROY, &vd);
	}

	/* The existing userptr still works. */
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, 0x1234, UPTR_SIZE);
	ctx_fini(&c);
	munmap(mem, UPTR_SIZE);
	munmap(hole, 2 * PAGE);
	munmap(none, 2 * PAGE);
	munmap(ro, 2 * PAGE);
}

static void test_partial_unbind(int fd)
{
	char lines[8192], want[256];
	struct ctx c;
	uint8_t *mem;

	ctx_init(&c, fd);
	mem = map_anon(NULL, 4 * PAGE, PROT_READ | PROT_WRITE);
	for (unsigned int i = 0; i < 4; i++)
		fill32(mem + i * PAGE, 0x100 + i, PAGE);
	bind_userptr(fd, c.vm, VA_UPTR, mem, 4 * PAGE, 0);
	igt_svmgpu_vm_unmap(fd, c.vm, VA_UPTR + PAGE, 2 * PAGE);

	igt_assert_eq(vm_lines(fd, c.vm, lines, sizeof(lines)), 4);
	snprintf(want, sizeof(want), "%#014llx-%#014llx userptr %#" PRIx64 " rw",
		 VA_UPTR, VA_UPTR + PAGE, (uint64_t)(uintptr_t)mem);
	igt_assert_f(strstr(lines, want), "no '%s' in\n%s", want, lines);
	snprintf(want, sizeof(want), "%#014llx-%#014llx userptr %#" PRIx64 " rw",
		 VA_UPTR + 3 * PAGE, VA_UPTR + 4 * PAGE,
		 (uint64_t)(uintptr_t)(mem + 3 * PAGE));
	igt_assert_f(strstr(lines, want), "no '%s' in\n%s", want, lines);

	igt_assert_eq(copy_out(&c, VA_UPTR + 3 * PAGE, PAGE), 0);
	assert_all32(c.data, 0x103, PAGE);
	igt_assert_eq(copy_out(&c, VA_UPTR, PAGE), 0);
	assert_all32(c.data, 0x100, PAGE);
	/* The middle is unmapped: a read there faults. */
	igt_assert_eq(copy_out(&c, VA_UPTR + PAGE, PAGE), -EFAULT);
	ctx_fini(&c);
	munmap(mem, 4 * PAGE);
}

static void test_async_bind(int fd)
{
	struct drm_svmgpu_sync out = { .flags = DRM_SVMGPU_SYNC_SIGNAL };
	struct drm_svmgpu_vm_bind_op op;
	struct ctx c;
	uint8_t *mem;

	ctx_init(&c, fd);
	mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);
	fill32(mem, 0xa5, UPTR_SIZE);
	op = (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR, .va = VA_UPTR,
		.size = UPTR_SIZE, .userptr = (uintptr_t)mem,
	};
	igt_assert_eq(drmSyncobjCreate(fd, 0, &out.handle), 0);
	igt_assert_eq(__bind(fd, c.vm, &op, 1, sizeof(op), DRM_SVMGPU_VM_BIND_ASYNC,
			     &out, 1), 0);
	igt_assert_eq(igt_svmgpu_syncobj_status(fd, out.handle), 0);
	drmSyncobjDestroy(fd, out.handle);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, 0xa5, UPTR_SIZE);
	ctx_fini(&c);
	munmap(mem, UPTR_SIZE);
}

static void test_fork_cow(int fd, bool child_execs)
{
	struct ctx c;
	uint8_t *mem;

	ctx_init(&c, fd);
	mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);
	fill32(mem, 0xaaaa, UPTR_SIZE);
	bind_userptr(fd, c.vm, VA_UPTR, mem, UPTR_SIZE, 0);
	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);

	igt_fork(child, 1) {
		/* The child's copy-on-write copy. */
		fill32(mem, 0xbbbb, UPTR_SIZE);
		if (child_execs) {
			/* The parent's memory, not this process's. */
			igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
			assert_all32(c.data, 0xaaaa, UPTR_SIZE);
		}
		assert_all32(mem, 0xbbbb, UPTR_SIZE);
	}
	igt_waitchildren();

	igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
	assert_all32(c.data, 0xaaaa, UPTR_SIZE);
	igt_svmgpu_emit_fill(&c.cs, VA_UPTR, UPTR_SIZE, 0xcccc);
	run(&c);
	assert_all32(mem, 0xcccc, UPTR_SIZE);
	ctx_fini(&c);
	munmap(mem, UPTR_SIZE);
}

/* No VM is left on the device (every other process's file is closed). */
static void assert_no_vms(int fd)
{
	int dir = igt_debugfs_dir_for(fd);
	char line[256];
	int file = openat(dir, "vms", O_RDONLY);
	FILE *f;

	igt_assert(file >= 0);
	f = fdopen(file, "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int id;
		int p;

		igt_assert_f(sscanf(line, "vm %u pid %d:", &id, &p) != 2,
			     "vm %u of pid %d left\n", id, p);
	}
	fclose(f);
	close(dir);
}

static void test_exit_with_userptr(int fd)
{
	/* Processes exit with userptrs bound and a job in flight. */
	igt_fork(child, 2) {
		int cfd = open_device();
		struct ctx c;
		uint8_t *mem;
		uint32_t syncobj;

		ctx_init(&c, cfd);
		mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);
		bind_userptr(cfd, c.vm, VA_UPTR, mem, UPTR_SIZE, 0);
		bind_userptr(cfd, c.vm, VA_UPTR2, mem, PAGE,
			     DRM_SVMGPU_VM_BIND_OP_READ_ONLY);
		for (int j = 0; j < 8; j++)
			igt_svmgpu_emit_copy(&c.cs, VA_UPTR, VA_DATA, UPTR_SIZE);
		igt_assert_eq(__submit(&c, &syncobj), 0);
		/* The second child unmaps the memory under the job. */
		if (child)
			munmap(mem, UPTR_SIZE);
	}
	igt_waitchildren();
	assert_no_vms(fd);

	/* A file closed with userptrs bound, then the memory unmapped. */
	{
		int cfd = open_device();
		struct ctx c;
		uint8_t *mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);
		uint32_t vm2;

		ctx_init(&c, cfd);
		bind_userptr(cfd, c.vm, VA_UPTR, mem, UPTR_SIZE, 0);
		vm2 = igt_svmgpu_vm_create(cfd, 0);
		bind_userptr(cfd, vm2, VA_UPTR, mem, UPTR_SIZE, 0);
		igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
		/* The BOs' mmaps hold the file: they go first. */
		munmap(c.batch, BO_SIZE);
		munmap(c.data, BO_SIZE);
		drm_close_driver(cfd);
		munmap(mem, UPTR_SIZE);
	}

	/* A VM destroyed with userptrs bound, then the memory unmapped. */
	{
		struct ctx c;
		uint8_t *mem = map_anon(NULL, UPTR_SIZE, PROT_READ | PROT_WRITE);

		ctx_init(&c, fd);
		bind_userptr(fd, c.vm, VA_UPTR, mem, UPTR_SIZE, 0);
		igt_assert_eq(copy_out(&c, VA_UPTR, UPTR_SIZE), 0);
		ctx_fini(&c);
		munmap(mem, UPTR_SIZE);
	}
	assert_no_vms(fd);
}

igt_main
{
	static const char *const race_names[] = {
		[RACE_MPROTECT] = "mprotect", [RACE_MADVISE] = "madvise",
		[RACE_REMAP] = "remap", [RACE_MUNMAP] = "munmap",
	};
	static const char *const race_changes[] = {
		[RACE_MPROTECT] = "mprotect",
		[RACE_MADVISE] = "madvise(MADV_DONTNEED)",
		[RACE_REMAP] = "mmap(MAP_FIXED) of new memory",
		[RACE_MUNMAP] = "munmap + mmap",
	};
	int fd = -1;

	igt_fixture
		fd = open_device();

	igt_describe("G1: a userptr of malloc'd memory: the GPU copies from "
		     "it into a BO and from a BO into it, and FILLs it; the "
		     "out-syncobj signals and the contents are checked on "
		     "both sides.");
	igt_subtest("basic")
		test_basic(fd);

	igt_describe("G2: munmap + mmap(MAP_FIXED), and mmap(MAP_FIXED) "
		     "alone, over a userptr between jobs: debugfs shows it "
		     "invalid, the next job reads the new pages, and debugfs "
		     "shows it valid again.");
	igt_subtest("remap")
		test_remap(fd);

	igt_describe("G2: a userptr whose memory is unmapped with no new "
		     "mapping makes EXEC fail with EFAULT, submitting "
		     "nothing (its out-syncobj gets no fence), until memory "
		     "is mapped there again or the userptr is unbound.");
	igt_subtest("unmapped-efault")
		test_unmapped_efault(fd);

	for (int m = RACE_MPROTECT; m <= RACE_MUNMAP; m++) {
		igt_describe_f("G3: a thread changes the userptr's mapping (%s) "
			       "in a loop while jobs copying from it are "
			       "submitted: each job completes and reads one whole "
			       "generation of the memory, not older than the one "
			       "mapped when EXEC was called, or EXEC fails with "
			       "EFAULT while unmapped; nothing hangs.",
			       race_changes[m]);
		igt_subtest_f("race-%s", race_names[m])
			test_race(fd, m);
	}

	igt_describe("A READ_ONLY userptr is read by the GPU; a GPU write to "
		     "it faults (the job fails with EFAULT, QUEUE_GET_STATE "
		     "says WRITE_PROTECT) and the memory is unchanged; "
		     "read-only memory binds READ_ONLY only.");
	igt_subtest("read-only")
		test_read_only(fd);

	igt_describe("D3: MAP_USERPTR of unmapped, partly unmapped, NULL, "
		     "kernel and non-canonical addresses, PROT_NONE memory, "
		     "a DRM BO's mmap, a size that overflows, is too large "
		     "or misaligned, bad flags, non-zero BO fields, a "
		     "userptr in MAP or UNMAP, a fault-mode VM, the old "
		     "40-byte stride, and a bad operation after a good one: "
		     "each fails with its documented error, and the VM's "
		     "mappings are unchanged and still work.");
	igt_subtest("bad-bind")
		test_bad_bind(fd);

	igt_describe("Unbinding the middle of a userptr keeps both ends, "
		     "each at its own CPU offset; a job reads the ends' "
		     "pages.");
	igt_subtest("partial-unbind")
		test_partial_unbind(fd);

	igt_describe("An asynchronous MAP_USERPTR signals its out-syncobj; a "
		     "job submitted after it reads the memory.");
	igt_subtest("async-bind")
		test_async_bind(fd);

	igt_describe("After fork, the child's copy-on-write writes do not "
		     "reach the parent's userptr: the GPU reads the parent's "
		     "memory and its writes land there.");
	igt_subtest("fork-cow")
		test_fork_cow(fd, false);

	igt_describe("A child submitting through the parent's file gets the "
		     "parent's memory through the userptr (a userptr belongs "
		     "to the address space of the process that bound it), "
		     "never its own copy.");
	igt_subtest("other-process-exec")
		test_fork_cow(fd, true);

	igt_describe("G2 with a job held back by its in-fence (a vgem "
		     "fence): madvise(MADV_DONTNEED) of the userptr waits "
		     "for the job, which reads the old pages once the fence "
		     "signals; with the fence unsignalled, madvise returns "
		     "after twice the job timeout and the job, released "
		     "later, runs without the pages: it faults (a "
		     "NOT_PRESENT read at the userptr), its queue is banned, "
		     "the BO is unchanged, and a new queue reads the memory "
		     "the CPU has now.");
	igt_subtest("invalidate-queued")
		test_invalidate_queued(fd);

	igt_describe("A process that exits with userptrs bound and a job "
		     "queued leaves nothing behind; closing a file, or "
		     "destroying a VM, with userptrs bound and then "
		     "unmapping the memory is clean.");
	igt_subtest("exit-with-userptr")
		test_exit_with_userptr(fd);

	igt_fixture
		drm_close_driver(fd);
}
