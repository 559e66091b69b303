// SPDX-License-Identifier: MIT
/*
 * svmgpu_svm - shared virtual memory in fault-mode VMs: the GPU uses the
 * process's own pointers (malloc, mmap) through a CPU-address-mirror
 * window, with its page faults serviced by the kernel through HMM.
 *
 * Every job here lives in ordinary process memory: the batch is a
 * malloc'd array of commands that the GPU fetches through the mirror,
 * and it ends with a USER_FENCE that DRM_IOCTL_SVMGPU_WAIT_USER_FENCE
 * waits for. The subtests are organised by the SVM scenario catalogue of
 * docs/testing.md: the description of each subtest that covers a
 * scenario starts with the scenario's code (A1 ... F3).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/userfaultfd.h>
#include <xf86drm.h>

#include "drmtest.h"
#include "igt_kmod.h"
#include "igt_core.h"
#include "igt_svm_job.h"
#include "igt_svmgpu.h"
#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_fault.h"

IGT_TEST_DESCRIPTION("Shared virtual memory: GPU access to process memory through fault-mode VMs.");

/* The user half of an x86-64 address space, less the VM's guard. */
#define MIRROR_START	DRM_SVMGPU_VM_GUARD
#define MIRROR_END	(1ull << 47)
#define WAIT_NS		(20ll * 1000000000ll)
#define BATCH_DWORDS	1024
/* Batches of one queue that may be in flight at once. */
#define BATCH_SLOTS	16
#define SZ_2M		(2ul << 20)

/*
 * A fault-mode VM mirroring the whole process, and a queue in it whose
 * jobs (igt_svm_job.h) are built in BATCH_SLOTS malloc'd batches, so up
 * to that many jobs of a queue can be in flight.
 */
struct svm {
	int fd;
	uint32_t vm;
	bool owns_vm;			/* svm_fini() destroys @vm */
	struct igt_svm_job job;		/* batches and fence malloc'd */
};

/* VM_BIND of one @op (DRM_SVMGPU_VM_BIND_OP_*) over [va, va + size). */
static void bind_op(int fd, uint32_t vm, uint32_t op, uint64_t va,
		    uint64_t size)
{
	struct drm_svmgpu_vm_bind_op bop = { .op = op, .va = va, .size = size };

	igt_svmgpu_vm_bind_op(fd, vm, &bop);
}

/* bind_op(), returning 0 or -errno. */
static int bind_op_err(int fd, uint32_t vm, uint32_t op, uint64_t va,
		       uint64_t size)
{
	struct drm_svmgpu_vm_bind_op bop = { .op = op, .va = va, .size = size };

	return __igt_svmgpu_vm_bind(fd, vm, 0, &bop, 1, NULL, 0);
}

static void require_fault_mode(int fd)
{
	struct drm_svmgpu_get_param p = { .param = DRM_SVMGPU_PARAM_FEATURES };

	igt_require_f(igt_ioctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &p) == 0 &&
		      (p.value & DRM_SVMGPU_FEATURE_FAULT_MODE),
		      "the driver has no fault-mode VMs\n");
}

/* The batches and the fence of a queue of @s->vm on @engine. */
static void svm_queue_init(struct svm *s, uint32_t engine)
{
	uint32_t queue = igt_svmgpu_queue_create(s->fd, s->vm, engine);
	uint32_t *batches = aligned_alloc(4096, BATCH_SLOTS * BATCH_DWORDS * 4);
	volatile uint64_t *fence = aligned_alloc(64, 64);

	igt_assert(batches && fence);
	igt_svm_job_init(&s->job, s->fd, queue, batches, BATCH_SLOTS,
			 BATCH_DWORDS, fence);
	s->job.timeout_ns = WAIT_NS;
}

static void svm_init(struct svm *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->owns_vm = true;
	s->vm = igt_svmgpu_vm_create(fd, DRM_SVMGPU_VM_CREATE_FAULT_MODE);
	bind_op(fd, s->vm, DRM_SVMGPU_VM_BIND_OP_MIRROR, MIRROR_START,
		MIRROR_END - MIRROR_START);
	svm_queue_init(s, 0);
}

/* Another queue, on @engine, in the VM of @owner. */
static void svm_init_shared(struct svm *s, const struct svm *owner,
			    uint32_t engine)
{
	memset(s, 0, sizeof(*s));
	s->fd = owner->fd;
	s->vm = owner->vm;
	svm_queue_init(s, engine);
}

static void svm_fini(struct svm *s)
{
	igt_svmgpu_queue_destroy(s->fd, s->job.queue);
	if (s->owns_vm)
		igt_svmgpu_vm_destroy(s->fd, s->vm);
	free(s->job.batches);
	free((void *)s->job.fence);
}

/* Replaces a (banned) queue by a fresh one in the same VM. */
static void svm_requeue(struct svm *s)
{
	igt_svmgpu_queue_destroy(s->fd, s->job.queue);
	igt_svm_job_reset(&s->job, igt_svmgpu_queue_create(s->fd, s->vm, 0));
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

#define TRACEFS "/sys/kernel/tracing"

/* Writes @val to a tracefs file; false if it cannot. */
static bool tracefs_write(const char *file, const char *val)
{
	char path[256];
	int fd, ok;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return false;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok;
}

/* The trace buffer (NUL-terminated, malloc'd). */
static char *tracefs_read_trace(void)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	int fd = open(TRACEFS "/trace", O_RDONLY);
	ssize_t n;

	igt_assert(buf && fd >= 0);
	while (len < cap - 1 && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(fd);
	return buf;
}

/* A fault the queue could not get past: the wait says -EIO, the query why. */
static void assert_fault(struct svm *s, int wait_ret, const void *addr,
			 uint16_t reason)
{
	struct drm_svmgpu_queue_get_state st = igt_svmgpu_queue_state(s->fd, s->job.queue);

	igt_assert_eq(wait_ret, -EIO);
	igt_assert(st.state & DRM_SVMGPU_QUEUE_STATE_BANNED);
	igt_assert_eq(st.fault_reason, reason);
	igt_assert_eq_u64(st.fault_address & ~4095ull,
			  (uintptr_t)addr & ~4095ull);
	/* The banned queue refuses more work. */
	igt_assert_eq(__igt_svm_job_submit(&s->job), -EIO);
}

/* A fresh queue in the same VM still works after another one faulted. */
static void assert_vm_usable(struct svm *s)
{
	uint32_t *word = malloc(64);

	igt_svm_job_reset(&s->job, igt_svmgpu_queue_create(s->fd, s->vm, 0));
	igt_svm_job_write32(&s->job, word, 0xc0ffee);
	igt_assert_eq(__igt_svm_job_run(&s->job), 0);
	igt_assert_eq_u32(*word, 0xc0ffee);
	free(word);
}

static void *map_shared_anon(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

/* @size bytes of fresh anonymous memory starting on a 2 MiB boundary. */
static void *map_anon_2m(size_t size, void **raw, size_t *raw_size)
{
	*raw_size = size + SZ_2M;
	*raw = map_anon(*raw_size);
	return (void *)(((uintptr_t)*raw + SZ_2M - 1) & ~(SZ_2M - 1));
}

/* Maps fresh anonymous memory exactly at @addr, which has no mapping. */
static void remap_at(void *addr, size_t size)
{
	void *p = mmap(addr, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	igt_assert_f(p == addr, "mmap at %p: %s\n", addr,
		     p == MAP_FAILED ? strerror(errno) : "another address");
}

/* A render node of its own, for a child process: never skips. */
static int open_own_fd(unsigned int idx)
{
	int fd = __drm_open_driver_render_nth(DRIVER_SVMGPU, idx);

	igt_assert_f(fd >= 0, "cannot open svmgpu render node %u\n", idx);
	return fd;
}

/* Leaves svmgpu loaded with the run's parameters (two-devices reloads it). */
static void kmod_restore_handler(int sig)
{
	(void)sig;
	svmgpu_kmod_restore();
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The fault reasons a job over memory the CPU side changes may hit. */
static bool cpu_change_reason(uint16_t reason)
{
	return reason == DRM_SVMGPU_FAULT_NO_VMA ||
	       reason == DRM_SVMGPU_FAULT_ACCESS;
}

/* A6: GPU copy of @size bytes between buffers at the given page offsets. */
static void test_copy_size(int fd, size_t size, size_t src_off, size_t dst_off)
{
	size_t span = ((src_off > dst_off ? src_off : dst_off) + size + 4096 +
		       SZ_2M - 1) & ~(SZ_2M - 1);
	size_t raw_src_size, raw_dst_size, i;
	void *raw_src, *raw_dst;
	uint8_t *src_base = map_anon_2m(span, &raw_src, &raw_src_size);
	uint8_t *dst_base = map_anon_2m(span, &raw_dst, &raw_dst_size);
	uint8_t *src = src_base + src_off, *dst = dst_base + dst_off;
	struct svm s;

	for (i = 0; i < size; i++)
		src[i] = (i * 131 + 7) ^ (i >> 12);
	memset(dst_base, 0xa5, span);
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, dst, src, size);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	for (i = 0; i < size; i++)
		igt_assert_f(dst[i] == src[i], "byte %zu of %zu: %#x, expected %#x\n",
			     i, size, dst[i], src[i]);
	/* Nothing written around the destination. */
	for (i = 0; i < dst_off; i++)
		igt_assert_eq_u32(dst_base[i], 0xa5);
	for (i = dst_off + size; i < span; i += (i < dst_off + size + 4096) ? 1 : 4096)
		igt_assert_eq_u32(dst_base[i], 0xa5);
	svm_fini(&s);
	munmap(raw_src, raw_src_size);
	munmap(raw_dst, raw_dst_size);
}

/* nr_hugepages as the run found it, restored when the test ends. */
static long saved_nr_hugepages = -1;

static long read_long(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static bool write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	bool ok;

	if (!f)
		return false;
	ok = fprintf(f, "%ld\n", v) > 0;
	return fclose(f) == 0 && ok;
}

static void restore_hugepages(int sig)
{
	(void)sig;
	if (saved_nr_hugepages >= 0)
		write_long("/proc/sys/vm/nr_hugepages", saved_nr_hugepages);
	saved_nr_hugepages = -1;
}

/* C10: what the other thread does to the range while the job runs. */
struct cpu_change {
	void *addr;
	size_t size;
	unsigned int delay_us;
	bool remap;			/* mmap(MAP_FIXED) over it, else munmap */
	volatile uint32_t *release;	/* set to 1 afterwards */
};

static void *cpu_change_thread(void *arg)
{
	struct cpu_change *c = arg;

	usleep(c->delay_us);
	if (c->remap)
		mmap(c->addr, c->size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	else
		munmap(c->addr, c->size);
	__atomic_store_n(c->release, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * C10: a job copies the range (long), waits for the other thread's
 * release, then reads (and, for remap, writes) the range again, while
 * the other thread replaces or removes the mapping.
 */
static void test_change_during_job(int fd, bool remap)
{
	static const unsigned int delays_us[] = { 0, 300, 2000, 10000 };
	size_t size = 4 << 20;
	uint32_t *out = map_anon(size), *out2 = malloc(4096);
	volatile uint32_t *release = malloc(64);
	struct svm s;
	unsigned int it;

	svm_init(&s, fd);
	for (it = 0; it < sizeof(delays_us) / sizeof(delays_us[0]); it++) {
		uint32_t *p = map_anon(size);
		struct cpu_change c = {
			.addr = p, .size = size, .delay_us = delays_us[it],
			.remap = remap, .release = release,
		};
		pthread_t thread;
		size_t i;
		int ret;

		memset(p, 0x11, size);
		memset(out2, 0xee, 4096);
		*release = 0;
		igt_svm_job_copy(&s.job, out, p, size);
		igt_svm_job_wait_eq32(&s.job, release, 1);
		igt_svm_job_copy(&s.job, out2, p, 4096);
		igt_svm_job_write32(&s.job, &p[1], 0xabcd0000 + it);
		igt_assert_eq(__igt_svm_job_submit(&s.job), 0);
		igt_assert_eq(pthread_create(&thread, NULL, cpu_change_thread, &c), 0);
		ret = __igt_svm_job_wait(&s.job, s.job.seq, WAIT_NS);
		pthread_join(thread, NULL);

		if (remap) {
			/* The commands after the release see only the new pages. */
			igt_assert_eq(ret, 0);
			for (i = 0; i < 1024; i++)
				igt_assert_eq_u32(out2[i], 0);
			igt_assert_eq_u32(p[1], 0xabcd0000 + it);
			igt_assert_eq_u32(p[0], 0);
			/* Each word of the racing copy is old or new, never garbage. */
			for (i = 0; i < size / 4; i++)
				igt_assert_f(out[i] == 0x11111111 || out[i] == 0,
					     "word %zu: %#x\n", i, out[i]);
		} else {
			struct drm_svmgpu_queue_get_state st = igt_svmgpu_queue_state(fd, s.job.queue);

			/* The read after the release cannot succeed. */
			igt_assert_eq(ret, -EIO);
			igt_assert_eq(st.fault_reason, DRM_SVMGPU_FAULT_NO_VMA);
			igt_assert_f(st.fault_address >= (uintptr_t)p &&
				     st.fault_address < (uintptr_t)p + size,
				     "fault at %#llx, range %p\n",
				     (unsigned long long)st.fault_address, p);
			igt_assert_eq_u32(out2[0], 0xeeeeeeee);
			svm_requeue(&s);
			/* Later jobs see the new pages of a new mapping there. */
			remap_at(p, size);
			igt_svm_job_copy(&s.job, out2, p, 4096);
			igt_svm_job_write32(&s.job, &p[2], 77);
			igt_assert_eq(__igt_svm_job_run(&s.job), 0);
			for (i = 0; i < 1024; i++)
				igt_assert_eq_u32(out2[i], 0);
			igt_assert_eq_u32(p[2], 77);
		}
		munmap(p, size);
	}
	svm_fini(&s);
	munmap(out, size);
	free(out2);
	free((void *)release);
}

#define KPF_THP		22
#define KPF_ZERO_PAGE	24

/*
 * Whether the CPU maps the huge zero page at @addr (/proc/self/pagemap
 * and /proc/kpageflags, both root-only): 1, 0, or -1 if it cannot tell.
 */
static int cpu_maps_huge_zero_page(const void *addr)
{
	uint64_t entry = 0, flags = 0, pfn;
	int pm = open("/proc/self/pagemap", O_RDONLY);
	int kf = open("/proc/kpageflags", O_RDONLY);
	int ret = -1;

	if (pm >= 0 && kf >= 0 &&
	    pread(pm, &entry, 8, (uintptr_t)addr / 4096 * 8) == 8 &&
	    (entry >> 63) & 1) {
		pfn = entry & ((1ull << 55) - 1);
		if (pfn && pread(kf, &flags, 8, pfn * 8) == 8)
			ret = (flags >> KPF_ZERO_PAGE & 1) && (flags >> KPF_THP & 1);
	}
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return ret;
}

/* D5: does the device's "vms" debugfs file list a VM of @pid? */
static int debugfs_has_pid(int fd, pid_t pid)
{
	static char buf[1 << 16];
	char needle[32];
	int dir = __igt_debugfs_dir_for(fd), f;
	ssize_t n, total = 0;

	if (dir < 0)
		return -1;
	f = openat(dir, "vms", O_RDONLY);
	close(dir);
	if (f < 0)
		return -1;
	while (total < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(f, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	close(f);
	buf[total] = 0;
	snprintf(needle, sizeof(needle), " pid %d:", pid);
	return strstr(buf, needle) != NULL;
}

/*
 * The attribute ranges debugfs "vms" lists for VM @vm of this process,
 * or -1 if the file cannot be read.
 */
static int debugfs_attr_ranges(int fd, uint32_t vm)
{
	size_t cap = 4 << 20, total = 0;
	char *buf = malloc(cap), header[64], *p;
	int dir = __igt_debugfs_dir_for(fd), f, count = 0;
	ssize_t n;

	igt_assert(buf);
	f = dir < 0 ? -1 : openat(dir, "vms", O_RDONLY);
	if (dir >= 0)
		close(dir);
	if (f < 0) {
		free(buf);
		return -1;
	}
	while (total < cap - 1 && (n = read(f, buf + total, cap - 1 - total)) > 0)
		total += n;
	close(f);
	buf[total] = 0;
	snprintf(header, sizeof(header), "vm %u pid %d:", vm, getpid());
	p = strstr(buf, header);
	igt_assert_f(p, "debugfs vms has no \"%s\"\n", header);
	for (p = strchr(p, '\n'); p && p[1] == ' '; p = strchr(p + 1, '\n'))
		if (!strncmp(p + 1, "  attr ", 7))
			count++;
	free(buf);
	return count;
}

/* D5: waits (bounded) until no VM of @pid is left. */
static void assert_vms_gone(int fd, pid_t pid)
{
	int i, has = 1;

	for (i = 0; i < 200 && has > 0; i++) {
		has = debugfs_has_pid(fd, pid);
		if (has > 0)
			usleep(10000);
	}
	if (has < 0)
		igt_info("debugfs not readable: not checking that pid %d's VMs went\n", pid);
	else
		igt_assert_f(!has, "pid %d exited 2 s ago and still has VMs\n", pid);
}

/* D5: after a failure elsewhere, a new VM on @fd still runs a job. */
static void assert_device_usable(int fd)
{
	struct svm s;

	svm_init(&s, fd);
	igt_svm_job_write32(&s.job, (void *)s.job.fence + 8, 5);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	svm_fini(&s);
}

/* E3: one thread with its own queue in a shared VM. */
#define E3_THREADS	4
#define E3_ROUNDS	16
#define E3_WORDS	1024	/* per thread: 4 KiB source, 4 KiB destination */

struct e3_thread {
	struct svm s;
	unsigned int id;
	uint32_t *src, *dst;
	uint64_t *counter;
	char error[160];
};

static volatile int e3_stop;

static uint32_t e3_word(unsigned int t, unsigned int round, unsigned int i)
{
	return (t + 1) << 24 | round << 16 | i;
}

static void *e3_gpu_thread(void *arg)
{
	struct e3_thread *t = arg;
	unsigned int round, i;
	int ret;

	for (round = 0; round < E3_ROUNDS; round++) {
		for (i = 0; i < E3_WORDS; i++)
			t->src[i] = e3_word(t->id, round, i);
		igt_svm_job_copy(&t->s.job, t->dst, t->src, E3_WORDS * 4);
		igt_svm_job_atomic(&t->s.job, SVMGPU_ATOMIC_ADD | SVMGPU_ATOMIC_64, t->counter,
			    1, 0, NULL);
		ret = __igt_svm_job_run(&t->s.job);
		if (ret) {
			snprintf(t->error, sizeof(t->error), "round %u: job %d", round, ret);
			return NULL;
		}
		for (i = 0; i < E3_WORDS; i++)
			if (t->dst[i] != e3_word(t->id, round, i)) {
				snprintf(t->error, sizeof(t->error),
					 "round %u word %u: %#x", round, i, t->dst[i]);
				return NULL;
			}
	}
	return NULL;
}

struct e3_checker {
	struct e3_thread *threads;
	uint64_t *counter;
	uint64_t cpu_adds;
	char error[160];
};

/* Races the GPU: every word it sees is a whole word some job wrote. */
static void *e3_check_thread(void *arg)
{
	struct e3_checker *c = arg;
	unsigned int t, i;

	while (!e3_stop) {
		for (t = 0; t < E3_THREADS; t++) {
			const volatile uint32_t *dst = c->threads[t].dst;

			for (i = 0; i < E3_WORDS; i++) {
				uint32_t w = dst[i];

				if (w && (w >> 24 != t + 1 || (w & 0xffff) != i ||
					  ((w >> 16) & 0xff) >= E3_ROUNDS)) {
					snprintf(c->error, sizeof(c->error),
						 "thread %u word %u: %#x", t, i, w);
					return NULL;
				}
			}
		}
		__atomic_fetch_add(c->counter, 1, __ATOMIC_SEQ_CST);
		c->cpu_adds++;
	}
	return NULL;
}

/* F3: a CPU thread adding to the counters the GPU adds to. */
struct adder {
	uint32_t *c32;
	uint64_t *c64;
	volatile int stop;
	uint64_t adds;
};

static void *adder_thread(void *arg)
{
	struct adder *ad = arg;

	while (!ad->stop) {
		__atomic_fetch_add(ad->c64, 1, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(ad->c32, 1, __ATOMIC_SEQ_CST);
		ad->adds++;
	}
	return NULL;
}

/* The stress subtest's CPU side: changes the range's mapping at random. */
struct stress {
	uint8_t *p;
	size_t size;
	volatile int stop;
	/* Odd while an operation runs; bumped around each one. */
	volatile unsigned int any_seq;		/* munmap, mprotect: may fault jobs */
	volatile unsigned int data_seq;		/* remap, DONTNEED: lose data */
	unsigned int ops[5];
	bool no_madvise;			/* madvise() is ENOSYS */
	char error[160];
};

static void seq_bump(volatile unsigned int *seq)
{
	__atomic_fetch_add(seq, 1, __ATOMIC_SEQ_CST);
}

static void *stress_cpu_thread(void *arg)
{
	struct stress *st = arg;
	unsigned int seed = 1;

	while (!st->stop) {
		unsigned int op = rand_r(&seed) % 5;
		pid_t pid;
		void *q;

		st->ops[op]++;
		switch (op) {
		case 0:	/* replace the mapping */
			seq_bump(&st->any_seq);
			seq_bump(&st->data_seq);
			q = mmap(st->p, st->size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			seq_bump(&st->data_seq);
			seq_bump(&st->any_seq);
			break;
		case 1:	/* a hole for a while */
			seq_bump(&st->any_seq);
			seq_bump(&st->data_seq);
			munmap(st->p, st->size);
			usleep(rand_r(&seed) % 300);
			q = mmap(st->p, st->size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
				 -1, 0);
			seq_bump(&st->data_seq);
			seq_bump(&st->any_seq);
			break;
		case 2:	/* read-only for a while */
			seq_bump(&st->any_seq);
			q = mprotect(st->p, st->size, PROT_READ) ? MAP_FAILED : st->p;
			usleep(rand_r(&seed) % 300);
			if (mprotect(st->p, st->size, PROT_READ | PROT_WRITE))
				q = MAP_FAILED;
			seq_bump(&st->any_seq);
			break;
		case 3:	/* fork: COW-protects every private page */
			pid = fork();
			if (pid == 0)
				_exit(0);
			q = pid > 0 && waitpid(pid, NULL, 0) == pid ? st->p : MAP_FAILED;
			break;
		default: /* drop the pages (a CLEAR, not an UNMAP) */
			seq_bump(&st->data_seq);
			q = st->p;
			if (madvise(st->p, st->size, MADV_DONTNEED)) {
				/* Kernels without CONFIG_ADVISE_SYSCALLS. */
				if (errno == ENOSYS)
					st->no_madvise = true;
				else
					q = MAP_FAILED;
			}
			seq_bump(&st->data_seq);
			break;
		}
		if (q != st->p) {
			snprintf(st->error, sizeof(st->error), "op %u: %s", op,
				 strerror(errno));
			break;
		}
		usleep(rand_r(&seed) % 500);
	}
	return NULL;
}

/*
 * remap-race: the CPU side. Replaces the mapping with mmap(MAP_FIXED),
 * which swaps VMAs under the mmap write lock: the address is never
 * without a mapping. One replacement in four is PROT_NONE for a while.
 */
struct remap_race {
	uint8_t *p;
	size_t size;
	volatile int stop;
	volatile unsigned int none_seq;	/* odd while PROT_NONE may be mapped */
	unsigned int remaps, nones;
	char error[160];
};

static void *remap_race_thread(void *arg)
{
	struct remap_race *r = arg;
	unsigned int seed = 7;

	while (!r->stop) {
		void *q;

		if (rand_r(&seed) % 4 == 0) {
			seq_bump(&r->none_seq);
			q = mmap(r->p, r->size, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			usleep(rand_r(&seed) % 200);
			if (q == r->p)
				q = mmap(r->p, r->size, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			seq_bump(&r->none_seq);
			r->nones++;
		} else {
			q = mmap(r->p, r->size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			r->remaps++;
		}
		if (q != r->p) {
			snprintf(r->error, sizeof(r->error), "mmap: %s", strerror(errno));
			break;
		}
		usleep(rand_r(&seed) % 300);
	}
	return NULL;
}

/* A WAIT_USER_FENCE (value >= 1, 20 s at most) on its own thread. */
struct ufence_waiter {
	int fd;
	volatile uint64_t *value;
	pid_t tid;
	int ret;
	uint64_t done_ns;
};

/* Whether thread @tid of this process is asleep (state S). */
static bool thread_sleeping(pid_t tid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = open(path, O_RDONLY);
	if (f < 0)
		return false;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');	/* the state follows the command name */
	return p && p[1] == ' ' && p[2] == 'S';
}

static void *ufence_waiter_thread(void *arg)
{
	struct ufence_waiter *u = arg;
	struct drm_svmgpu_wait_user_fence w = {
		.addr = (uintptr_t)u->value, .value = 1, .mask = ~0ull,
		.op = DRM_SVMGPU_UFENCE_GTE, .timeout_ns = 20ll * 1000 * 1000 * 1000,
	};

	__atomic_store_n(&u->tid, gettid(), __ATOMIC_RELEASE);
	u->ret = igt_ioctl(u->fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w) ? -errno : 0;
	__atomic_store_n(&u->done_ns, now_ns(), __ATOMIC_RELEASE);
	return NULL;
}

static void test_write_malloc(int fd)
{
	struct svm s;
	uint32_t *buf = malloc(4096 * 4);
	int i;

	for (i = 0; i < 4096; i++)
		buf[i] = i;
	svm_init(&s, fd);
	igt_svm_job_write32(&s.job, &buf[0], 0xdeadbeef);
	igt_svm_job_write32(&s.job, &buf[4095], 0xfeedface);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(buf[0], 0xdeadbeef);
	igt_assert_eq_u32(buf[4095], 0xfeedface);
	for (i = 1; i < 4095; i++)
		igt_assert_eq_u32(buf[i], i);
	svm_fini(&s);
	free(buf);
}

static void test_copy_malloc(int fd)
{
	struct svm s;
	size_t size = 256 << 10;
	uint8_t *src = malloc(size), *dst = malloc(size);
	size_t i;

	for (i = 0; i < size; i++)
		src[i] = i * 7 + 3;
	memset(dst, 0, size);
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, dst, src, size);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert(!memcmp(src, dst, size));
	svm_fini(&s);
	free(src);
	free(dst);
}

static void test_first_touch(int fd)
{
	struct svm s;
	size_t size = 4 << 20;
	uint32_t *p = map_anon(size);
	size_t i;

	svm_init(&s, fd);
	igt_svm_job_fill(&s.job, p + 1024, 1 << 20, 0x5a5a5a5a);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	for (i = 0; i < size / 4; i++)
		igt_assert_eq_u32(p[i], i >= 1024 && i < 1024 + (1 << 18) ?
				  0x5a5a5a5a : 0);
	svm_fini(&s);
	munmap(p, size);
}

static void test_four_regions(int fd)
{
	struct svm s;
	size_t size = 8 << 20;
	uint8_t *p = map_anon(size);
	int r;

	svm_init(&s, fd);
	for (r = 0; r < 4; r++)
		igt_svm_job_write32(&s.job, p + r * (2 << 20) + 64, 0x100 + r);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	for (r = 0; r < 4; r++)
		igt_assert_eq_u32(*(uint32_t *)(p + r * (2 << 20) + 64), 0x100 + r);
	igt_assert(counters(fd, s.vm).faults >= 4);
	svm_fini(&s);
	munmap(p, size);
}

static void test_cpu_gpu_rounds(int fd)
{
	struct svm s;
	uint32_t *src = malloc(8192), *dst = malloc(8192);
	int round, i;

	svm_init(&s, fd);
	for (round = 0; round < 32; round++) {
		for (i = 0; i < 2048; i++)
			src[i] = round * 4096 + i;
		igt_svm_job_copy(&s.job, dst, src, 8192);
		igt_assert_eq(__igt_svm_job_run(&s.job), 0);
		igt_assert(!memcmp(src, dst, 8192));
	}
	svm_fini(&s);
	free(src);
	free(dst);
}

static void test_zero_page_upgrade(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint8_t *p = map_anon(size), *out = malloc(4096);
	uint8_t states[16];

	madvise(p, size, MADV_NOHUGEPAGE);
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, out, p, 4096);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	snapshot(fd, s.vm, p, size, states);
	igt_assert_f(states[0] & DRM_SVMGPU_PAGE_MAPPED, "not mapped\n");
	igt_assert_f(states[0] & DRM_SVMGPU_PAGE_ZERO, "not the zero page (%#x)\n", states[0]);
	igt_assert_f(!(states[0] & DRM_SVMGPU_PAGE_WRITE), "zero page writable\n");

	igt_svm_job_write32(&s.job, p + 8, 77);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
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

static void test_thp_2m(int fd)
{
	struct svm s;
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
	igt_svm_job_copy(&s.job, out, p + (2 << 20) + 8192, 4096);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
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

static void test_thp_zero_page(int fd)
{
	struct svm s;
	size_t size = 4 << 20, raw_size, i;
	void *raw;
	uint8_t *p = map_anon_2m(size, &raw, &raw_size);
	uint8_t *out = malloc(4096), states[512];
	long use_zero = read_long("/sys/kernel/mm/transparent_hugepage/use_zero_page");
	int huge_zero;

	igt_require_f(thp_enabled(), "transparent huge pages are disabled\n");
	igt_require_f(use_zero != 0, "transparent_hugepage/use_zero_page is 0\n");
	igt_require_f(madvise(p, size, MADV_HUGEPAGE) == 0,
		      "madvise(MADV_HUGEPAGE) failed: %s\n", strerror(errno));
	memset(out, 0xff, 4096);
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, out, p + 8192, 4096);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	for (i = 0; i < 4096; i++)
		igt_assert_eq_u32(out[i], 0);
	huge_zero = cpu_maps_huge_zero_page(p + 8192);
	igt_require_f(huge_zero >= 0, "cannot read /proc/self/pagemap and /proc/kpageflags\n");
	igt_require_f(huge_zero == 1, "the kernel did not map the huge zero page\n");

	snapshot(fd, s.vm, p, SZ_2M, states);
	for (i = 0; i < 512; i++)
		igt_assert_f((states[i] & (DRM_SVMGPU_PAGE_MAPPED | DRM_SVMGPU_PAGE_WRITE |
					   DRM_SVMGPU_PAGE_2M | DRM_SVMGPU_PAGE_ZERO)) ==
			     (DRM_SVMGPU_PAGE_MAPPED | DRM_SVMGPU_PAGE_2M |
			      DRM_SVMGPU_PAGE_ZERO),
			     "page %zu of the huge zero page: %#x\n", i, states[i]);

	igt_svm_job_write32(&s.job, p + 8192 + 8, 77);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(*(uint32_t *)(p + 8192 + 8), 77);
	igt_assert_eq_u32(*(uint32_t *)(p + 8192), 0);
	snapshot(fd, s.vm, p, SZ_2M, states);
	igt_assert_f((states[2] & (DRM_SVMGPU_PAGE_MAPPED | DRM_SVMGPU_PAGE_WRITE |
				   DRM_SVMGPU_PAGE_ZERO)) ==
		     (DRM_SVMGPU_PAGE_MAPPED | DRM_SVMGPU_PAGE_WRITE),
		     "after the write: %#x\n", states[2]);
	for (i = 0; i < 512; i++)
		igt_assert_f(!(states[i] & DRM_SVMGPU_PAGE_ZERO),
			     "page %zu still ZERO after the upgrade: %#x\n", i, states[i]);
	svm_fini(&s);
	munmap(raw, raw_size);
	free(out);
}

static void test_munmap_then_access(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint32_t *p = map_anon(size);
	uint32_t *out = malloc(64);

	p[0] = 1;
	svm_init(&s, fd);
	igt_svm_job_write32(&s.job, p, 2);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(p[0], 2);
	munmap(p, size);
	igt_svm_job_copy(&s.job, out, p, 4);
	assert_fault(&s, __igt_svm_job_run(&s.job), p, DRM_SVMGPU_FAULT_NO_VMA);
	assert_vm_usable(&s);
	svm_fini(&s);
	free(out);
}

static void test_mprotect_read_only(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint32_t *p = map_anon(size), *out = malloc(64);

	p[0] = 11;
	p[1] = 12;
	svm_init(&s, fd);
	igt_svm_job_write32(&s.job, &p[2], 13);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq(mprotect(p, size, PROT_READ), 0);
	igt_svm_job_write32(&s.job, &p[0], 99);
	assert_fault(&s, __igt_svm_job_run(&s.job), p, DRM_SVMGPU_FAULT_ACCESS);
	igt_assert_eq_u32(p[0], 11);

	assert_vm_usable(&s);
	igt_svm_job_copy(&s.job, out, p, 8);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[0], 11);
	igt_assert_eq_u32(out[1], 12);

	igt_assert_eq(mprotect(p, size, PROT_READ | PROT_WRITE), 0);
	igt_svm_job_write32(&s.job, &p[0], 99);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(p[0], 99);
	svm_fini(&s);
	munmap(p, size);
	free(out);
}

static void test_mprotect_none(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint32_t *p = map_anon(size), *out = malloc(64);

	p[0] = 5;
	out[0] = 0xaaaa;
	igt_assert_eq(mprotect(p, size, PROT_NONE), 0);
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, out, p, 4);
	assert_fault(&s, __igt_svm_job_run(&s.job), p, DRM_SVMGPU_FAULT_ACCESS);
	igt_assert_eq_u32(out[0], 0xaaaa);
	svm_fini(&s);
	munmap(p, size);
	free(out);
}

static void test_remap_fixed(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint32_t *p = map_anon(size), *out = malloc(64);

	memset(p, 0x77, size);
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, out, p, 4);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[0], 0x77777777);
	igt_assert(mmap(p, size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
	igt_svm_job_copy(&s.job, out, p, 4);
	igt_svm_job_write32(&s.job, &p[1], 42);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[0], 0);
	igt_assert_eq_u32(p[1], 42);
	svm_fini(&s);
	munmap(p, size);
	free(out);
}

static void test_unmapped_in_window(int fd)
{
	struct svm s;
	uint8_t *hole = map_anon(4096);
	struct svm other;

	munmap(hole, 4096);
	svm_init(&s, fd);
	svm_init(&other, fd);
	igt_svm_job_write32(&s.job, hole, 1);
	assert_fault(&s, __igt_svm_job_run(&s.job), hole, DRM_SVMGPU_FAULT_NO_VMA);
	igt_svm_job_write32(&other.job, (void *)other.job.fence + 8, 3);
	igt_assert_eq(__igt_svm_job_run(&other.job), 0);
	svm_fini(&other);
	svm_fini(&s);
}

static void test_outside_window(int fd)
{
	struct svm s;
	uint32_t *p = malloc(8192);

	svm_init(&s, fd);
	/* Take the page holding p out of the window. */
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_UNMAP,
		(uintptr_t)p & ~4095ull, 4096);
	igt_svm_job_write32(&s.job, p, 1);
	assert_fault(&s, __igt_svm_job_run(&s.job), p, DRM_SVMGPU_FAULT_NO_WINDOW);
	svm_fini(&s);
	free(p);
}

static void test_prefetch_no_faults(int fd)
{
	struct svm s;
	size_t size = 1 << 20;
	uint8_t *src = map_anon(size), *dst = map_anon(size);
	struct drm_svmgpu_svm_counters before, after;

	memset(src, 9, size);
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, dst, src, size);
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH, (uintptr_t)src, size);
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH, (uintptr_t)dst, size);
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH, (uintptr_t)s.job.batch,
		BATCH_DWORDS * 4);
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH,
		(uintptr_t)s.job.fence & ~4095ull, 4096);
	before = counters(fd, s.vm);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	after = counters(fd, s.vm);
	igt_assert(!memcmp(src, dst, size));
	igt_assert_eq_u64(after.faults - before.faults, 0);
	igt_assert(after.prefetched >= 2 * size);
	svm_fini(&s);
	munmap(src, size);
	munmap(dst, size);
}

static void test_exec_signal_refused(int fd)
{
	struct svm s;
	struct drm_svmgpu_sync sync = { .flags = DRM_SVMGPU_SYNC_SIGNAL };
	struct drm_svmgpu_exec exec = {};

	svm_init(&s, fd);
	igt_assert_eq(drmSyncobjCreate(fd, 0, &sync.handle), 0);
	exec.queue_id = s.job.queue;
	exec.batch_address = (uintptr_t)s.job.batch;
	exec.batch_size = 8;
	exec.syncs.stride = sizeof(sync);
	exec.syncs.count = 1;
	exec.syncs.array = (uintptr_t)&sync;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_EXEC, &exec, EINVAL);
	drmSyncobjDestroy(fd, sync.handle);
	svm_fini(&s);
}

static void test_other_process_refused(int fd)
{
	struct svm s;
	svm_init(&s, fd);
	igt_fork(child, 1) {
		struct drm_svmgpu_exec exec = {
			.queue_id = s.job.queue,
			.batch_address = (uintptr_t)s.job.batch,
			.batch_size = 8,
		};

		igt_assert_eq(bind_op_err(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_MIRROR,
					  MIRROR_START, 1 << 20), -EACCES);
		igt_assert_eq(bind_op_err(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH,
					  (uintptr_t)s.job.batch, 4096), -EACCES);
		do_ioctl_err(fd, DRM_IOCTL_SVMGPU_EXEC, &exec, EACCES);
	}
	igt_waitchildren();
	svm_fini(&s);
}

static void test_bad_fault_mode_args(int fd)
{
	struct svm s;
	struct drm_svmgpu_vm_create vc = { .flags = 1u << 31 };
	struct drm_svmgpu_vm_query q = { .type = DRM_SVMGPU_VM_QUERY_COUNTERS };
	struct drm_svmgpu_svm_counters c;
	uint32_t plain = igt_svmgpu_vm_create(fd, 0);

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

static void test_wait_user_fence(int fd)
{
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

static void test_user_fence_wake(int fd)
{
	struct ufence_waiter u = { .fd = fd };
	struct drm_svmgpu_user_fence_wake wake = {};
	pthread_t thread;
	uint64_t t0;

	u.value = aligned_alloc(64, 64);
	*u.value = 0;
	do_ioctl(fd, DRM_IOCTL_SVMGPU_USER_FENCE_WAKE, &wake);	/* no waiter */
	igt_assert_eq(pthread_create(&thread, NULL, ufence_waiter_thread, &u), 0);
	/* Once the waiter sleeps it is in the kernel's wait. */
	t0 = now_ns();
	while (!__atomic_load_n(&u.tid, __ATOMIC_ACQUIRE) || !thread_sleeping(u.tid)) {
		igt_assert_f(now_ns() - t0 < 10ull * 1000 * 1000 * 1000,
			     "the waiter never went to sleep\n");
		usleep(1000);
	}
	__atomic_store_n(u.value, 1, __ATOMIC_RELEASE);
	/* Nothing tells the kernel: the waiter sleeps on. */
	usleep(500 * 1000);
	igt_assert_f(!__atomic_load_n(&u.done_ns, __ATOMIC_ACQUIRE),
		     "the wait returned (%d) without a wake\n", u.ret);
	t0 = now_ns();
	do_ioctl(fd, DRM_IOCTL_SVMGPU_USER_FENCE_WAKE, &wake);
	pthread_join(thread, NULL);
	igt_assert_eq(u.ret, 0);
	igt_info("the waiter returned %.1f ms after the wake\n",
		 (u.done_ns - t0) / 1e6);
	igt_assert_f(u.done_ns - t0 < 5ull * 1000 * 1000 * 1000,
		     "the waiter took %" PRIu64 " ns after the wake\n", u.done_ns - t0);
	wake.flags = 1;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_USER_FENCE_WAKE, &wake, EINVAL);
	wake.flags = 0;
	wake.pad = 1;
	do_ioctl_err(fd, DRM_IOCTL_SVMGPU_USER_FENCE_WAKE, &wake, EINVAL);
	free((void *)u.value);
}

static void test_wait_user_fence_short_timeout(int fd)
{
	static const int64_t timeouts_ns[] = { 1000, 50000, 200000, 1500000 };
	volatile uint64_t *v = aligned_alloc(64, 64);
	unsigned int i, rep;

	*v = 0;
	for (i = 0; i < sizeof(timeouts_ns) / sizeof(timeouts_ns[0]); i++) {
		for (rep = 0; rep < 5; rep++) {
			struct drm_svmgpu_wait_user_fence w = {
				.addr = (uintptr_t)v, .value = 1, .mask = ~0ull,
				.op = DRM_SVMGPU_UFENCE_EQ,
				.timeout_ns = timeouts_ns[i],
			};
			uint64_t t0 = now_ns(), dt;
			int ret;

			ret = igt_ioctl(fd, DRM_IOCTL_SVMGPU_WAIT_USER_FENCE, &w) ?
			      -errno : 0;
			dt = now_ns() - t0;
			igt_assert_eq(ret, -ETIME);
			igt_assert_eq(w.timeout_ns, 0);
			igt_assert_f(dt >= (uint64_t)timeouts_ns[i],
				     "timeout %" PRId64 " ns: returned after %" PRIu64 " ns\n",
				     timeouts_ns[i], dt);
		}
	}
	free((void *)v);
}

static void test_attr_roundtrip(int fd)
{
	struct svm s;
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

static void test_attr_coalesce(int fd)
{
	struct svm s;
	size_t npages = 1000, size = npages * 4096;
	uint8_t *p = map_anon(2 * size + 4096);
	uint8_t *q = p + size + 4096;	/* a gap of one page between */
	size_t i;

	svm_init(&s, fd);
	igt_require_f(debugfs_attr_ranges(fd, s.vm) == 0,
		      "debugfs vms not readable or without attribute ranges\n");
	for (i = 0; i < npages; i++)
		attr_set1(fd, s.vm, p + i * 4096, 4096,
			  DRM_SVMGPU_ATTR_READ_MOSTLY, 1);
	igt_assert_eq(debugfs_attr_ranges(fd, s.vm), 1);
	for (i = npages; i-- > 0;)
		attr_set1(fd, s.vm, q + i * 4096, 4096,
			  DRM_SVMGPU_ATTR_READ_MOSTLY, 1);
	/* Equal attributes, but not adjacent: two ranges. */
	igt_assert_eq(debugfs_attr_ranges(fd, s.vm), 2);
	igt_assert_eq_u64(attr_get1(fd, s.vm, p, 2 * size + 4096,
				    DRM_SVMGPU_ATTR_READ_MOSTLY),
			  DRM_SVMGPU_ATTR_MIXED);
	igt_assert_eq_u64(attr_get1(fd, s.vm, q, size,
				    DRM_SVMGPU_ATTR_READ_MOSTLY), 1);

	attr_set1(fd, s.vm, p + 100 * 4096, 10 * 4096,
		  DRM_SVMGPU_ATTR_MAX_CHUNK, 65536);
	igt_assert_eq(debugfs_attr_ranges(fd, s.vm), 4);
	igt_assert_eq_u64(attr_get1(fd, s.vm, p, size,
				    DRM_SVMGPU_ATTR_MAX_CHUNK),
			  DRM_SVMGPU_ATTR_MIXED);
	attr_set1(fd, s.vm, p + 100 * 4096, 10 * 4096,
		  DRM_SVMGPU_ATTR_MAX_CHUNK, 2 << 20);
	igt_assert_eq(debugfs_attr_ranges(fd, s.vm), 2);
	igt_assert_eq_u64(attr_get1(fd, s.vm, p, size,
				    DRM_SVMGPU_ATTR_READ_MOSTLY), 1);

	/* Filling the gap joins the two. */
	attr_set1(fd, s.vm, p + size, 4096, DRM_SVMGPU_ATTR_READ_MOSTLY, 1);
	igt_assert_eq(debugfs_attr_ranges(fd, s.vm), 1);
	igt_assert_eq_u64(attr_get1(fd, s.vm, p, 2 * size + 4096,
				    DRM_SVMGPU_ATTR_READ_MOSTLY), 1);

	/* The defaults again: as if nothing had been set. */
	attr_set1(fd, s.vm, p, 2 * size + 4096, DRM_SVMGPU_ATTR_READ_MOSTLY, 0);
	igt_assert_eq(debugfs_attr_ranges(fd, s.vm), 0);
	igt_assert_eq_u64(attr_get1(fd, s.vm, p, 2 * size + 4096,
				    DRM_SVMGPU_ATTR_READ_MOSTLY), 0);
	svm_fini(&s);
	munmap(p, 2 * size + 4096);
}

static void test_attr_access(int fd)
{
	struct svm s;
	uint32_t *p = map_anon(64 << 10), *out = malloc(64);

	p[0] = 21;
	svm_init(&s, fd);
	attr_set1(fd, s.vm, p, 64 << 10, DRM_SVMGPU_ATTR_ACCESS, DRM_SVMGPU_ACCESS_NONE);
	igt_svm_job_copy(&s.job, out, p, 4);
	assert_fault(&s, __igt_svm_job_run(&s.job), p, DRM_SVMGPU_FAULT_ATTR_ACCESS);

	assert_vm_usable(&s);
	attr_set1(fd, s.vm, p, 64 << 10, DRM_SVMGPU_ATTR_ACCESS, DRM_SVMGPU_ACCESS_READ);
	out[0] = 0;
	igt_svm_job_copy(&s.job, out, p, 4);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[0], 21);
	igt_svm_job_write32(&s.job, p, 99);
	assert_fault(&s, __igt_svm_job_run(&s.job), p, DRM_SVMGPU_FAULT_ATTR_ACCESS);
	igt_assert_eq_u32(p[0], 21);
	svm_fini(&s);
	munmap(p, 64 << 10);
	free(out);
}

static void test_attr_max_chunk(int fd)
{
	struct svm s;
	size_t size = 4 << 20;
	uint8_t *raw = map_anon(size * 2), *p;
	static uint8_t states[1024];
	int i, mapped;

	p = (uint8_t *)(((uintptr_t)raw + (2 << 20) - 1) & ~((uintptr_t)(2 << 20) - 1));
	/* Either page size works: leaves never exceed the range. */
	madvise(p, size, MADV_NOHUGEPAGE);
	memset(p, 1, size);
	svm_init(&s, fd);
	attr_set1(fd, s.vm, p, 2 << 20, DRM_SVMGPU_ATTR_MAX_CHUNK, 4096);
	igt_svm_job_write32(&s.job, p + 8192, 5);
	igt_svm_job_write32(&s.job, p + (2 << 20) + 8192, 6);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
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

static void test_attr_read_mostly(int fd)
{
	struct svm s;
	uint32_t *p = map_anon(64 << 10), *out = malloc(64);
	uint8_t states[16];

	memset(p, 3, 64 << 10);
	svm_init(&s, fd);
	attr_set1(fd, s.vm, p, 64 << 10, DRM_SVMGPU_ATTR_READ_MOSTLY, 1);
	igt_svm_job_copy(&s.job, out, p, 4);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	snapshot(fd, s.vm, p, 64 << 10, states);
	igt_assert(states[0] & DRM_SVMGPU_PAGE_MAPPED);
	igt_assert_f(!(states[0] & DRM_SVMGPU_PAGE_WRITE), "read-mostly page mapped writable\n");
	igt_svm_job_write32(&s.job, p, 8);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(p[0], 8);
	snapshot(fd, s.vm, p, 64 << 10, states);
	igt_assert(states[0] & DRM_SVMGPU_PAGE_WRITE);
	svm_fini(&s);
	munmap(p, 64 << 10);
	free(out);
}

static void test_attr_bad(int fd)
{
	struct svm s;
	uint8_t *p = map_anon(64 << 10);
	struct drm_svmgpu_attr a[DRM_SVMGPU_VM_ATTR_MAX + 1] = {};
	uint32_t plain = igt_svmgpu_vm_create(fd, 0);
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

static void test_map_shared_anon(int fd)
{
	struct svm s;
	size_t size = 256 << 10;
	uint32_t *p = map_shared_anon(size), *out = map_anon(size);
	size_t i;

	for (i = 0; i < size / 4; i++)
		p[i] = i ^ 0x5000;
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, out, p, size);
	igt_svm_job_fill(&s.job, p + 1024, 8192, 0x600d);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	for (i = 0; i < size / 4; i++) {
		igt_assert_eq_u32(out[i], i ^ 0x5000);
		igt_assert_eq_u32(p[i], i >= 1024 && i < 1024 + 2048 ?
				  0x600d : i ^ 0x5000);
	}
	svm_fini(&s);
	munmap(p, size);
	munmap(out, size);
}

static void test_map_shared_fork(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint32_t *p = map_shared_anon(size), *out = malloc(size);
	size_t i;

	memset(p, 0, size);
	svm_init(&s, fd);
	/* The parent's GPU maps the shared pages before the fork. */
	igt_svm_job_copy(&s.job, out, p, size);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_fork(child, 1) {
		int cfd = open_own_fd(0);
		struct svm cs;

		svm_init(&cs, cfd);
		igt_svm_job_fill(&cs.job, p, size, 0xc41d0000);
		igt_svm_job_write32(&cs.job, &p[7], 0xc41d0007);
		igt_assert_eq(__igt_svm_job_run(&cs.job), 0);
		igt_assert_eq_u32(p[7], 0xc41d0007);
		svm_fini(&cs);
		close(cfd);
	}
	igt_waitchildren();
	for (i = 0; i < size / 4; i++)
		igt_assert_eq_u32(p[i], i == 7 ? 0xc41d0007 : 0xc41d0000);
	igt_svm_job_copy(&s.job, out, p, size);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert(!memcmp(out, p, size));
	svm_fini(&s);
	munmap(p, size);
	free(out);
}

static void test_shared_file(int fd)
{
	struct svm s;
	size_t size = 128 << 10;
	char path[] = "/tmp/svmgpu-svm-XXXXXX";
	uint32_t *buf = malloc(size), *out = malloc(size), *p;
	int file = mkstemp(path);
	size_t i;

	igt_assert(file >= 0);
	unlink(path);
	for (i = 0; i < size / 4; i++)
		buf[i] = 0xf1e00000 + i;
	igt_assert_eq(pwrite(file, buf, size, 0), (ssize_t)size);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, file, 0);
	igt_assert(p != MAP_FAILED);
	svm_init(&s, fd);
	/* The GPU is the first to touch the mapping. */
	igt_svm_job_copy(&s.job, out, p, size);
	igt_svm_job_fill(&s.job, p + 4096, 4096 * 4, 0x0f11e);
	igt_svm_job_write32(&s.job, &p[3], 0xabc);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert(!memcmp(out, buf, size));
	memset(buf, 0, size);
	igt_assert_eq(pread(file, buf, size, 0), (ssize_t)size);
	for (i = 0; i < size / 4; i++)
		igt_assert_eq_u32(buf[i], i == 3 ? 0xabc :
				  i >= 4096 && i < 8192 ? 0x0f11e :
				  0xf1e00000 + i);
	/* A write through the file reaches the GPU's next read. */
	buf[0] = 0x5eed;
	igt_assert_eq(pwrite(file, buf, 4, 8), 4);
	igt_svm_job_copy(&s.job, out, p, 16);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[2], 0x5eed);
	svm_fini(&s);
	munmap(p, size);
	close(file);
	free(buf);
	free(out);
}

static void test_hugetlb(int fd)
{
	struct svm s;
	const char *knob = "/proc/sys/vm/nr_hugepages";
	size_t size = SZ_2M;
	uint32_t *p, *out = malloc(8192);
	uint8_t states[512];
	long nr = read_long(knob);
	size_t i;

	igt_require_f(nr >= 0, "%s not readable\n", knob);
	if (nr < 2) {
		saved_nr_hugepages = nr;
		igt_install_exit_handler(restore_hugepages);
		write_long(knob, 2);
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED) {
		restore_hugepages(0);
		igt_skip("no 2 MiB huge page available (nr_hugepages %ld, reserving 2 failed or the kernel has no hugetlbfs): %s\n",
			 read_long(knob), strerror(errno));
	}
	for (i = 0; i < size / 4; i++)
		p[i] = 0x4a9e0000 + i;
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, out, p + (1 << 18), 8192);
	igt_svm_job_write32(&s.job, &p[5], 0x12345);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	for (i = 0; i < 2048; i++)
		igt_assert_eq_u32(out[i], 0x4a9e0000 + (1 << 18) + i);
	igt_assert_eq_u32(p[5], 0x12345);
	snapshot(fd, s.vm, p, size, states);
	igt_assert_f(states[0] & DRM_SVMGPU_PAGE_2M,
		     "hugetlb page not mapped with a 2 MiB leaf (%#x)\n", states[0]);
	igt_assert(states[511] & DRM_SVMGPU_PAGE_WRITE);
	svm_fini(&s);
	munmap(p, size);
	free(out);
	restore_hugepages(0);
}

static void test_bo_mmap_unmirrorable(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint32_t handle = igt_svmgpu_bo_create(fd, size);
	uint32_t *bo = igt_svmgpu_bo_mmap(fd, handle, size), *out = malloc(64);
	size_t i;

	for (i = 0; i < size / 4; i++)
		bo[i] = 0xb0b00000 + i;
	out[0] = 0xaaaa;
	svm_init(&s, fd);
	igt_svm_job_copy(&s.job, out, bo + 1024, 16);
	assert_fault(&s, __igt_svm_job_run(&s.job), bo + 1024, DRM_SVMGPU_FAULT_UNMIRRORABLE);
	igt_assert_eq_u32(out[0], 0xaaaa);
	svm_requeue(&s);
	igt_svm_job_write32(&s.job, &bo[9], 1);
	assert_fault(&s, __igt_svm_job_run(&s.job), &bo[9], DRM_SVMGPU_FAULT_UNMIRRORABLE);
	igt_assert_eq(igt_svmgpu_queue_state(fd, s.job.queue).fault_access, SVMGPU_ACCESS_WRITE);
	for (i = 0; i < size / 4; i++)
		igt_assert_eq_u32(bo[i], 0xb0b00000 + i);
	assert_vm_usable(&s);
	svm_fini(&s);
	munmap(bo, size);
	igt_svmgpu_bo_close(fd, handle);
	free(out);
}

static void test_bo_then_mirror(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint32_t *p = map_anon(size), *out = malloc(64);
	uint32_t handle = igt_svmgpu_bo_create(fd, size);
	uint32_t *bo = igt_svmgpu_bo_mmap(fd, handle, size);

	memset(p, 0x11, size);
	memset(bo, 0x22, size);
	svm_init(&s, fd);
	igt_svmgpu_vm_map(fd, s.vm, handle, (uintptr_t)p, size, 0);
	igt_svm_job_copy(&s.job, out, p + 100, 4);
	igt_svm_job_write32(&s.job, &p[0], 0xb0);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[0], 0x22222222);
	igt_assert_eq_u32(bo[0], 0xb0);
	igt_assert_eq_u32(p[0], 0x11111111);

	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_UNMAP, (uintptr_t)p, size);
	igt_svm_job_write32(&s.job, &p[0], 0xb1);
	assert_fault(&s, __igt_svm_job_run(&s.job), p, DRM_SVMGPU_FAULT_NO_WINDOW);
	svm_requeue(&s);

	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_MIRROR, (uintptr_t)p, size);
	igt_svm_job_copy(&s.job, out, p + 100, 4);
	igt_svm_job_write32(&s.job, &p[1], 0xc0);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[0], 0x11111111);
	igt_assert_eq_u32(p[1], 0xc0);
	igt_assert_eq_u32(p[0], 0x11111111);
	igt_assert_eq_u32(bo[0], 0xb0);
	igt_assert_eq_u32(bo[1], 0x22222222);
	svm_fini(&s);
	munmap(bo, size);
	igt_svmgpu_bo_close(fd, handle);
	munmap(p, size);
	free(out);
}

static void test_partial_munmap(int fd)
{
	struct svm s;
	void *raw;
	size_t raw_size;
	uint8_t *p = map_anon_2m(SZ_2M, &raw, &raw_size);
	uint8_t *hole = p + SZ_2M / 2;

	svm_init(&s, fd);
	igt_svm_job_fill(&s.job, p, SZ_2M, 0x01010101);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(p[SZ_2M - 1], 1);
	igt_assert_eq(munmap(hole, SZ_2M / 2), 0);
	igt_svm_job_fill(&s.job, p, SZ_2M / 2, 0x02020202);
	igt_svm_job_write32(&s.job, p + SZ_2M / 2 - 4, 0x03030303);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	for (size_t i = 0; i < SZ_2M / 2 - 4; i += 4093)
		igt_assert_eq_u32(p[i], 2);
	igt_assert_eq_u32(*(uint32_t *)(p + SZ_2M / 2 - 4), 0x03030303);
	igt_assert(counters(fd, s.vm).ranges_gc >= 1);
	igt_svm_job_write32(&s.job, hole + 8192, 4);
	assert_fault(&s, __igt_svm_job_run(&s.job), hole + 8192, DRM_SVMGPU_FAULT_NO_VMA);
	igt_assert_eq_u32(p[0], 2);
	svm_fini(&s);
	munmap(raw, raw_size);
}

static void test_mprotect_split(int fd)
{
	struct svm s;
	void *raw;
	size_t raw_size, half = SZ_2M / 2;
	uint8_t *p = map_anon_2m(SZ_2M, &raw, &raw_size);
	uint32_t *out = malloc(64);

	svm_init(&s, fd);
	igt_svm_job_fill(&s.job, p, SZ_2M, 0x01010101);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq(mprotect(p + half, half, PROT_READ), 0);
	igt_svm_job_write32(&s.job, p + 4, 0x22);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(*(uint32_t *)(p + 4), 0x22);
	igt_svm_job_copy(&s.job, out, p + half + 64, 4);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[0], 0x01010101);
	igt_svm_job_write32(&s.job, p + half + 8, 0x33);
	assert_fault(&s, __igt_svm_job_run(&s.job), p + half + 8, DRM_SVMGPU_FAULT_ACCESS);
	igt_assert_eq_u32(*(uint32_t *)(p + half + 8), 0x01010101);
	svm_requeue(&s);

	igt_assert_eq(mprotect(p + half, half, PROT_NONE), 0);
	igt_svm_job_copy(&s.job, out, p + 4, 4);
	igt_svm_job_write32(&s.job, p + 12, 0x44);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[0], 0x22);
	igt_assert_eq_u32(*(uint32_t *)(p + 12), 0x44);
	igt_svm_job_copy(&s.job, out, p + half + 64, 4);
	assert_fault(&s, __igt_svm_job_run(&s.job), p + half + 64, DRM_SVMGPU_FAULT_ACCESS);
	svm_fini(&s);
	munmap(raw, raw_size);
	free(out);
}

static void test_fork_cow_parent(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint32_t *p = map_anon(size), *out = malloc(64);
	int go[2], done[2];
	char c;

	memset(p, 0x33, size);
	igt_assert_eq(pipe(go), 0);
	igt_assert_eq(pipe(done), 0);
	svm_init(&s, fd);
	igt_svm_job_write32(&s.job, &p[0], 0xa0);		/* page 0 */
	igt_svm_job_write32(&s.job, &p[1024], 0xa1);	/* page 1 */
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_fork(child, 1) {
		igt_assert_eq(read(go[0], &c, 1), 1);
		igt_assert_eq_u32(p[0], 0xa0);
		igt_assert_eq_u32(p[1024], 0xa1);
		igt_assert_eq_u32(p[1], 0x33333333);
		igt_assert_eq_u32(p[1025], 0x33333333);
		igt_assert_eq(write(done[1], "x", 1), 1);
	}
	/* Page 0: the GPU writes first, breaking COW for the parent. */
	igt_svm_job_write32(&s.job, &p[1], 0xb0);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(p[1], 0xb0);
	/* Page 1: the CPU writes first, then the GPU reads and writes. */
	p[1025] = 0xc1;
	igt_svm_job_copy(&s.job, out, &p[1024], 8);
	igt_svm_job_write32(&s.job, &p[1026], 0xd1);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(out[0], 0xa1);
	igt_assert_eq_u32(out[1], 0xc1);
	igt_assert_eq_u32(p[1026], 0xd1);
	igt_assert_eq(write(go[1], "x", 1), 1);
	igt_assert_eq(read(done[0], &c, 1), 1);
	igt_waitchildren();
	svm_fini(&s);
	munmap(p, size);
	free(out);
}

static void test_fork_child_private(int fd)
{
	struct svm s;
	size_t size = 64 << 10;
	uint32_t *p = map_anon(size), *out = malloc(size);
	size_t i;

	memset(p, 0x44, size);
	svm_init(&s, fd);
	igt_svm_job_write32(&s.job, &p[0], 0xa0);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_fork(child, 1) {
		int cfd = open_own_fd(0);
		struct svm cs;

		svm_init(&cs, cfd);
		igt_svm_job_fill(&cs.job, p, size, 0xc1c1c1c1);
		igt_assert_eq(__igt_svm_job_run(&cs.job), 0);
		for (i = 0; i < size / 4; i++)
			igt_assert_eq_u32(p[i], 0xc1c1c1c1);
		svm_fini(&cs);
		close(cfd);
	}
	igt_waitchildren();
	for (i = 0; i < size / 4; i++)
		igt_assert_eq_u32(p[i], i ? 0x44444444 : 0xa0);
	igt_svm_job_copy(&s.job, out, p, size);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert(!memcmp(out, p, size));
	svm_fini(&s);
	munmap(p, size);
	free(out);
}

static void test_free_malloc(int fd)
{
	struct svm s;
	/* Fixed threshold: big chunks always come from mmap. */
	size_t sizes[] = { 256 << 10, 2048 };
	uint32_t *out = malloc(256 << 10);

	igt_assert(mallopt(M_MMAP_THRESHOLD, 128 << 10));
	svm_init(&s, fd);
	for (unsigned int k = 0; k < 2; k++) {
		size_t size = sizes[k], i;
		uint32_t *a = malloc(size), *b;
		uintptr_t was;

		for (i = 0; i < size / 4; i++)
			a[i] = 0x0a000000 + i;
		igt_svm_job_copy(&s.job, out, a, size);
		igt_assert_eq(__igt_svm_job_run(&s.job), 0);
		igt_assert(!memcmp(out, a, size));
		was = (uintptr_t)a;
		free(a);
		b = malloc(size);
		igt_require_f((uintptr_t)b == was,
			      "malloc(%zu) after free returned %p, not %#lx\n",
			      size, b, (unsigned long)was);
		for (i = 0; i < size / 4; i++)
			b[i] = 0x0b000000 + i;
		igt_svm_job_copy(&s.job, out, b, size);
		igt_svm_job_write32(&s.job, &b[3], 0xbbb);
		igt_assert_eq(__igt_svm_job_run(&s.job), 0);
		for (i = 0; i < size / 4; i++)
			igt_assert_eq_u32(out[i], 0x0b000000 + i);
		igt_assert_eq_u32(b[3], 0xbbb);
		free(b);
	}
	svm_fini(&s);
	free(out);
}

static void test_exit_with_job_in_flight(int fd)
{
	volatile uint32_t *shared = map_shared_anon(4096);
	int ready[2];

	igt_assert_eq(pipe(ready), 0);
	for (int mode = 0; mode < 2; mode++) {
		pid_t pid;
		char c;
		int status;

		shared[0] = 0;
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			int cfd = open_own_fd(0);
			volatile uint32_t *never = malloc(64);
			uint32_t *mine = malloc(4096);
			struct svm a, b;

			*never = 0;
			svm_init(&a, cfd);
			svm_init_shared(&b, &a, 0);
			/* Blocks forever. */
			igt_svm_job_wait_eq32(&a.job, never, 1);
			/* Blocks until the parent releases it, then writes child memory. */
			igt_svm_job_wait_eq32(&b.job, shared, 1);
			igt_svm_job_fill(&b.job, mine, 4096, 7);
			if (__igt_svm_job_submit(&a.job) || __igt_svm_job_submit(&b.job))
				_exit(1);
			if (write(ready[1], "x", 1) != 1)
				_exit(1);
			if (mode == 0)
				_exit(0);	/* exit with the jobs in flight */
			__igt_svm_job_wait(&a.job, 1, -1);
			_exit(2);		/* killed before this */
		}
		igt_assert_eq(read(ready[0], &c, 1), 1);
		if (mode == 1) {
			usleep(20000);
			kill(pid, SIGKILL);
		}
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		if (mode == 0)
			igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
				     "child status %#x\n", status);
		else
			igt_assert_f(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
				     "child status %#x\n", status);
		/* The second job may now run on: into an address space that is gone. */
		shared[0] = 1;
		assert_vms_gone(fd, pid);
	}
	assert_device_usable(fd);
	munmap((void *)shared, 4096);
}

static void test_exit_with_file_held(int fd)
{
	volatile uint32_t *shared = map_shared_anon(4096);
	int ready[2], pid, status;
	char c;

	igt_assert_eq(pipe(ready), 0);
	shared[0] = 0;	/* releases the job */
	shared[1] = 0;	/* the creator has exited */
	shared[2] = 0;	/* the holder's verdict */
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		int cfd = open_own_fd(0);
		uint32_t *mine = malloc(4096);
		struct drm_svmgpu_queue_get_state st = {};
		struct svm a;
		pid_t holder;
		int i;

		svm_init(&a, cfd);
		igt_svm_job_wait_eq32(&a.job, shared, 1);
		igt_svm_job_fill(&a.job, mine, 4096, 7);
		if (__igt_svm_job_submit(&a.job))
			_exit(1);
		holder = fork();
		if (holder < 0)
			_exit(1);
		if (holder > 0)
			_exit(0);	/* the creator exits, the job in flight */
		/* The holder: same file, another address space. */
		while (!__atomic_load_n(&shared[1], __ATOMIC_SEQ_CST))
			usleep(1000);
		shared[0] = 1;
		st.queue_id = a.job.queue;
		for (i = 0; i < 500; i++) {
			if (ioctl(cfd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE, &st))
				_exit(3);
			if (st.state & DRM_SVMGPU_QUEUE_STATE_BANNED)
				break;
			usleep(10000);
		}
		shared[2] = st.state & DRM_SVMGPU_QUEUE_STATE_BANNED ?
			    st.fault_reason : 0xffff;
		close(cfd);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "creator status %#x\n", status);
	shared[1] = 1;
	igt_assert_eq(read(ready[0], &c, 1), 1);
	igt_assert_f(shared[2] != 0xffff, "the queue was not banned within 5 s\n");
	igt_assert_eq(shared[2], DRM_SVMGPU_FAULT_NO_MM);
	assert_vms_gone(fd, pid);
	assert_device_usable(fd);
	munmap((void *)shared, 4096);
}

static void test_nested_mirror_binds(int fd)
{
	struct svm s;
	size_t size = 256 << 10, k = 64 << 10;
	uint8_t *p = map_anon(size);
	volatile uint32_t *flag = malloc(64);
	uint32_t handle = igt_svmgpu_bo_create(fd, k);
	uint32_t *bo = igt_svmgpu_bo_mmap(fd, handle, k);
	uint8_t states[16];

	memset(p, 0x66, size);
	memset(bo, 0x77, k);
	svm_init(&s, fd);
	igt_svm_job_write32(&s.job, p, 1);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);

	/* A window nested in the whole-process one: replaces, maps nothing. */
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_MIRROR, (uintptr_t)p, k);
	snapshot(fd, s.vm, p, 4096, states);
	igt_assert_f(!(states[0] & DRM_SVMGPU_PAGE_MAPPED),
		     "GPU mapping survived a MIRROR over it (%#x)\n", states[0]);
	/* One overlapping it and its neighbour. */
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_MIRROR, (uintptr_t)p + k / 2, k);
	igt_svm_job_write32(&s.job, p + 4, 2);
	igt_svm_job_write32(&s.job, p + k / 2 + 4, 3);
	igt_svm_job_write32(&s.job, p + k + k / 2 + 4, 4);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(*(uint32_t *)(p + 4), 2);
	igt_assert_eq_u32(*(uint32_t *)(p + k / 2 + 4), 3);
	igt_assert_eq_u32(*(uint32_t *)(p + k + k / 2 + 4), 4);

	/* UNMAP of a part: a hole without a window. */
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_UNMAP, (uintptr_t)p + k, k);
	igt_svm_job_write32(&s.job, p + k + 8, 5);
	assert_fault(&s, __igt_svm_job_run(&s.job), p + k + 8, DRM_SVMGPU_FAULT_NO_WINDOW);
	igt_assert_eq_u32(*(uint32_t *)(p + k + 8), 0x66666666);
	svm_requeue(&s);
	/* Twice: nothing left to unmap is not an error. */
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_UNMAP, (uintptr_t)p + k, k);

	/* UNMAP after munmap of GPU-used memory, then MIRROR again. */
	igt_svm_job_write32(&s.job, p + 2 * k, 6);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq(munmap(p + 2 * k, k), 0);
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_UNMAP, (uintptr_t)p + 2 * k, k);
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_MIRROR, (uintptr_t)p + 2 * k, k);
	igt_svm_job_write32(&s.job, p + 2 * k, 7);
	assert_fault(&s, __igt_svm_job_run(&s.job), p + 2 * k, DRM_SVMGPU_FAULT_NO_VMA);
	svm_requeue(&s);
	remap_at(p + 2 * k, k);
	igt_svm_job_write32(&s.job, p + 2 * k, 8);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(*(uint32_t *)(p + 2 * k), 8);

	/* A BO mapped over part of a window, then a MIRROR over both. */
	igt_svmgpu_vm_map(fd, s.vm, handle, (uintptr_t)p + 3 * k, k, 0);
	igt_svm_job_write32(&s.job, p + 3 * k, 9);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(bo[0], 9);
	igt_assert_eq_u32(*(uint32_t *)(p + 3 * k), 0x66666666);
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_MIRROR, (uintptr_t)p + 2 * k, 2 * k);
	igt_svm_job_write32(&s.job, p + 3 * k, 10);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(*(uint32_t *)(p + 3 * k), 10);
	igt_assert_eq_u32(bo[0], 9);

	/* UNMAP while a job waits to write the range: the bind does not wait for it. */
	*flag = 0;
	igt_svm_job_wait_eq32(&s.job, flag, 1);
	igt_svm_job_write32(&s.job, p, 11);
	igt_assert_eq(__igt_svm_job_submit(&s.job), 0);
	bind_op(fd, s.vm, DRM_SVMGPU_VM_BIND_OP_UNMAP, (uintptr_t)p, k);
	*flag = 1;
	assert_fault(&s, __igt_svm_job_wait(&s.job, s.job.seq, WAIT_NS),
		     p, DRM_SVMGPU_FAULT_NO_WINDOW);
	igt_assert_eq_u32(*(uint32_t *)p, 1);

	svm_fini(&s);
	munmap(bo, k);
	igt_svmgpu_bo_close(fd, handle);
	munmap(p, 2 * k);
	munmap(p + 3 * k, k);
	free((void *)flag);
}

static void test_many_jobs_queues(int fd)
{
	struct svm s;
	enum { QUEUES = 8, JOBS = 8 };
	unsigned int engines = igt_svmgpu_get_param(fd, DRM_SVMGPU_PARAM_NUM_ENGINES);
	uint32_t *buf = map_anon(QUEUES * JOBS * 64 * 4);
	uint64_t *counter = aligned_alloc(64, 64);
	struct svm q[QUEUES];
	unsigned int i, j, w;

	*counter = 0;
	svm_init(&s, fd);
	for (i = 0; i < QUEUES; i++)
		svm_init_shared(&q[i], &s, i % engines);
	for (j = 0; j < JOBS; j++) {
		for (i = 0; i < QUEUES; i++) {
			uint32_t *slice = buf + (i * JOBS + j) * 64;

			igt_svm_job_fill(&q[i].job, slice, 64 * 4, 0xe1000000 | i << 8 | j);
			igt_svm_job_write32(&q[i].job, slice, 0xf1000000 | i << 8 | j);
			igt_svm_job_atomic(&q[i].job, SVMGPU_ATOMIC_ADD | SVMGPU_ATOMIC_64,
				    counter, 1, 0, NULL);
			igt_assert_eq(__igt_svm_job_submit(&q[i].job), 0);
		}
	}
	for (i = 0; i < QUEUES; i++)
		igt_assert_eq(__igt_svm_job_wait(&q[i].job, JOBS, WAIT_NS), 0);
	igt_assert_eq_u64(*counter, QUEUES * JOBS);
	for (i = 0; i < QUEUES; i++)
		for (j = 0; j < JOBS; j++)
			for (w = 0; w < 64; w++)
				igt_assert_eq_u32(buf[(i * JOBS + j) * 64 + w],
						  (w ? 0xe1000000 : 0xf1000000) | i << 8 | j);
	for (i = 0; i < QUEUES; i++)
		svm_fini(&q[i]);
	svm_fini(&s);
	munmap(buf, QUEUES * JOBS * 64 * 4);
	free(counter);
}

static void test_threads_shared_vm(int fd)
{
	struct svm s;
	uint32_t *alloc = malloc(E3_THREADS * E3_WORDS * 8);
	uint64_t *counter = aligned_alloc(64, 64);
	struct e3_thread t[E3_THREADS];
	struct e3_checker checker = { .threads = t, .counter = counter };
	pthread_t th[E3_THREADS], ch;
	unsigned int i, engines = igt_svmgpu_get_param(fd, DRM_SVMGPU_PARAM_NUM_ENGINES);

	memset(alloc, 0, E3_THREADS * E3_WORDS * 8);
	*counter = 0;
	e3_stop = 0;
	svm_init(&s, fd);
	for (i = 0; i < E3_THREADS; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		svm_init_shared(&t[i].s, &s, i % engines);
		t[i].id = i;
		t[i].src = alloc + i * E3_WORDS * 2;
		t[i].dst = t[i].src + E3_WORDS;
		t[i].counter = counter;
	}
	igt_assert_eq(pthread_create(&ch, NULL, e3_check_thread, &checker), 0);
	for (i = 0; i < E3_THREADS; i++)
		igt_assert_eq(pthread_create(&th[i], NULL, e3_gpu_thread, &t[i]), 0);
	for (i = 0; i < E3_THREADS; i++)
		pthread_join(th[i], NULL);
	e3_stop = 1;
	pthread_join(ch, NULL);
	for (i = 0; i < E3_THREADS; i++)
		igt_assert_f(!t[i].error[0], "thread %u: %s\n", i, t[i].error);
	igt_assert_f(!checker.error[0], "checker: %s\n", checker.error);
	igt_assert_eq_u64(*counter, E3_THREADS * E3_ROUNDS + checker.cpu_adds);
	for (i = 0; i < E3_THREADS; i++)
		svm_fini(&t[i].s);
	svm_fini(&s);
	free(alloc);
	free(counter);
}

/* @fdp: the binary's render node, which the module reload replaces. */
static void test_two_devices(volatile int *fdp)
{
	unsigned int ndev = svmgpu_kmod_param("devices");
	size_t size = 64 << 10;
	bool reloaded = false;
	uint32_t *p, *out;
	uint64_t *counter;
	struct svm a, b;
	int fd1;

	if (ndev < 2) {
		/* Reload with a second device, as svmgpu_module does. */
		char params[256];

		igt_require_f(svmgpu_kmod_path() && geteuid() == 0,
			      "svmgpu has %u device(s) and cannot be reloaded here (needs root and $SVMGPU_KO)\n",
			      ndev);
		snprintf(params, sizeof(params), "%s devices=2",
			 svmgpu_kmod_default_params());
		igt_install_exit_handler(kmod_restore_handler);
		close(*fdp);
		svmgpu_kmod_unload();
		svmgpu_kmod_load(params);
		reloaded = true;
		*fdp = drm_open_driver_render(DRIVER_SVMGPU);
	}
	fd1 = drm_open_driver_render_nth(DRIVER_SVMGPU, 1);
	require_fault_mode(fd1);
	p = map_anon(size);
	out = malloc(4096);
	counter = aligned_alloc(64, 64);
	*counter = 0;
	svm_init(&a, *fdp);
	svm_init(&b, fd1);
	for (unsigned int r = 0; r < 8; r++) {
		p[r] = 0;
		igt_svm_job_write32(&a.job, &p[r], 0xa000 + r);
		igt_assert_eq(__igt_svm_job_run(&a.job), 0);
		igt_svm_job_copy(&b.job, &p[100 + r], &p[r], 4);
		igt_svm_job_write32(&b.job, &p[200 + r], 0xb000 + r);
		igt_assert_eq(__igt_svm_job_run(&b.job), 0);
		p[300 + r] = 0xc000 + r;	/* the CPU changes it between */
		igt_svm_job_copy(&a.job, &out[r], &p[200 + r], 4);
		igt_svm_job_copy(&a.job, &out[100 + r], &p[300 + r], 4);
		igt_assert_eq(__igt_svm_job_run(&a.job), 0);
		igt_assert_eq_u32(p[100 + r], 0xa000 + r);
		igt_assert_eq_u32(out[r], 0xb000 + r);
		igt_assert_eq_u32(out[100 + r], 0xc000 + r);
	}
	for (unsigned int r = 0; r < 4; r++) {
		for (unsigned int n = 0; n < 40; n++) {
			igt_svm_job_atomic(&a.job, SVMGPU_ATOMIC_ADD | SVMGPU_ATOMIC_64, counter, 1, 0, NULL);
			igt_svm_job_atomic(&b.job, SVMGPU_ATOMIC_ADD | SVMGPU_ATOMIC_64, counter, 1, 0, NULL);
		}
		igt_assert_eq(__igt_svm_job_submit(&a.job), 0);
		igt_assert_eq(__igt_svm_job_submit(&b.job), 0);
		igt_assert_eq(__igt_svm_job_wait(&a.job, a.job.seq, WAIT_NS), 0);
		igt_assert_eq(__igt_svm_job_wait(&b.job, b.job.seq, WAIT_NS), 0);
	}
	igt_assert_eq_u64(*counter, 4 * 80);
	munmap(p, size);
	igt_svm_job_copy(&a.job, out, p, 4);
	assert_fault(&a, __igt_svm_job_run(&a.job), p, DRM_SVMGPU_FAULT_NO_VMA);
	igt_svm_job_copy(&b.job, out, p + 200, 4);
	assert_fault(&b, __igt_svm_job_run(&b.job), p + 200, DRM_SVMGPU_FAULT_NO_VMA);
	svm_fini(&a);
	svm_fini(&b);
	close(fd1);
	free(out);
	free(counter);
	if (reloaded) {
		close(*fdp);
		svmgpu_kmod_unload();
		svmgpu_kmod_load(svmgpu_kmod_default_params());
		*fdp = drm_open_driver_render(DRIVER_SVMGPU);
	}
}

static void test_atomics(int fd)
{
	struct svm s;
	enum { JOBS = 8, N = 30 };
	void *raw;
	size_t raw_size;
	uint8_t *region = map_anon_2m(SZ_2M, &raw, &raw_size);
	uint32_t *c32 = (uint32_t *)region, *cx = c32 + 16;
	uint64_t *c64 = (uint64_t *)(region + 256);
	uint32_t *rets = malloc(JOBS * N * 4);
	uint64_t base64 = 0xfffffff0ull, cpu = 0;

	memset(region + SZ_2M / 2, 1, 4096);	/* the half that goes */
	*c32 = 0;
	*cx = 0;
	*c64 = base64;
	memset(rets, 0xff, JOBS * N * 4);
	svm_init(&s, fd);
	for (unsigned int j = 0; j < JOBS; j++) {
		for (unsigned int i = 0; i < N; i++) {
			igt_svm_job_atomic(&s.job, SVMGPU_ATOMIC_ADD, c32, 1, 0, NULL);
			igt_svm_job_atomic(&s.job, SVMGPU_ATOMIC_ADD | SVMGPU_ATOMIC_64, c64,
				    0x100000001ull, 0, NULL);
			igt_svm_job_atomic(&s.job, SVMGPU_ATOMIC_CMPXCHG, cx, j * N + i + 1,
				    j * N + i, &rets[j * N + i]);
		}
		igt_assert_eq(__igt_svm_job_run(&s.job), 0);
		/* The CPU's atomics between the jobs. */
		__atomic_fetch_add(c32, 1000, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(c64, 1000, __ATOMIC_SEQ_CST);
		cpu += 1000;
		if (j == JOBS / 2)
			igt_assert_eq(munmap(region + SZ_2M / 2, SZ_2M / 2), 0);
	}
	igt_assert_eq_u32(*c32, JOBS * N + cpu);
	igt_assert_eq_u64(*c64, base64 + JOBS * N * 0x100000001ull + cpu);
	igt_assert_eq_u32(*cx, JOBS * N);
	for (unsigned int i = 0; i < JOBS * N; i++)
		igt_assert_eq_u32(rets[i], i);

	/* A CPU thread adding while the GPU adds. */
	{
		struct adder ad = { .c32 = c32, .c64 = c64 };
		pthread_t th;

		*c32 = 0;
		*c64 = 0;
		igt_assert_eq(pthread_create(&th, NULL, adder_thread, &ad), 0);
		for (unsigned int j = 0; j < JOBS; j++) {
			for (unsigned int i = 0; i < 3 * N / 2; i++) {
				igt_svm_job_atomic(&s.job, SVMGPU_ATOMIC_ADD | SVMGPU_ATOMIC_64,
					    c64, 1, 0, NULL);
				igt_svm_job_atomic(&s.job, SVMGPU_ATOMIC_ADD, c32, 1, 0, NULL);
			}
			igt_assert_eq(__igt_svm_job_run(&s.job), 0);
		}
		ad.stop = 1;
		pthread_join(th, NULL);
		igt_assert_eq_u64(*c64, JOBS * 3 * N / 2 + ad.adds);
		igt_assert_eq_u32(*c32, JOBS * 3 * N / 2 + ad.adds);
	}
	svm_fini(&s);
	munmap(raw, raw_size);
	free(rets);
}

static void test_stress_cpu_changes(int fd)
{
	struct svm s;
	struct stress st = { .size = 256 << 10 };
	uint32_t *out = malloc(4096), *scratch = malloc(64 << 10);
	unsigned int completed = 0, faulted = 0, checked = 0, i;
	uint64_t end;
	pthread_t th;

	st.p = map_anon(st.size);
	svm_init(&s, fd);
	igt_assert_eq(pthread_create(&th, NULL, stress_cpu_thread, &st), 0);
	end = now_ns() + 5000000000ull;
	for (i = 0; now_ns() < end && !st.error[0]; i++) {
		unsigned int idx = (i * 1031) % (st.size / 4);
		uint32_t value = (i * 2654435761u) | 1;
		uint32_t *word = (uint32_t *)st.p + idx;
		unsigned int any0, data0, any1, data1;
		int ret;

		out[i % 1024] = 0;
		any0 = __atomic_load_n(&st.any_seq, __ATOMIC_SEQ_CST);
		data0 = __atomic_load_n(&st.data_seq, __ATOMIC_SEQ_CST);
		igt_svm_job_write32(&s.job, word, value);
		igt_svm_job_copy(&s.job, scratch, st.p + (i % 4) * (64 << 10), 64 << 10);
		igt_svm_job_copy(&s.job, &out[i % 1024], word, 4);
		igt_assert_eq(__igt_svm_job_submit(&s.job), 0);
		ret = __igt_svm_job_wait(&s.job, s.job.seq, WAIT_NS);
		any1 = __atomic_load_n(&st.any_seq, __ATOMIC_SEQ_CST);
		data1 = __atomic_load_n(&st.data_seq, __ATOMIC_SEQ_CST);
		igt_assert_f(ret == 0 || ret == -EIO, "job %u: wait %d\n", i, ret);
		if (ret == 0) {
			completed++;
			if (data0 == data1 && !(data0 & 1)) {
				checked++;
				igt_assert_f(out[i % 1024] == value,
					     "job %u: read back %#x, wrote %#x\n",
					     i, out[i % 1024], value);
			}
		} else {
			struct drm_svmgpu_queue_get_state q = igt_svmgpu_queue_state(fd, s.job.queue);

			faulted++;
			igt_assert(q.state & DRM_SVMGPU_QUEUE_STATE_BANNED);
			igt_assert_f(cpu_change_reason(q.fault_reason),
				     "job %u: fault reason %u\n", i, q.fault_reason);
			igt_assert_f(q.fault_address >= (uintptr_t)st.p &&
				     q.fault_address < (uintptr_t)st.p + st.size,
				     "job %u: fault at %#llx outside the range\n", i,
				     (unsigned long long)q.fault_address);
			igt_assert_f(any0 != any1 || (any0 & 1),
				     "job %u faulted (reason %u) with no munmap/mprotect running\n",
				     i, q.fault_reason);
			svm_requeue(&s);
		}
	}
	st.stop = 1;
	pthread_join(th, NULL);
	igt_assert_f(!st.error[0], "CPU thread: %s\n", st.error);
	igt_info("%u jobs: %u completed (%u checked), %u faulted; CPU ops remap %u munmap %u mprotect %u fork %u dontneed %u%s\n",
		 i, completed, checked, faulted, st.ops[0], st.ops[1],
		 st.ops[2], st.ops[3], st.ops[4],
		 st.no_madvise ? " (madvise not implemented: no-ops)" : "");
	igt_assert(completed > 0);
	svm_fini(&s);
	munmap(st.p, st.size);
	free(out);
	free(scratch);
}

static void test_remap_race(int fd)
{
	struct svm s;
	struct remap_race r = { .size = 64 << 10 };
	uint32_t *scratch = malloc(r.size);
	unsigned int completed = 0, access = 0, gave_up = 0, i;
	uint64_t end;
	pthread_t th;

	r.p = map_anon(r.size);
	svm_init(&s, fd);
	igt_assert_eq(pthread_create(&th, NULL, remap_race_thread, &r), 0);
	end = now_ns() + 3000000000ull;
	for (i = 0; now_ns() < end && !r.error[0]; i++) {
		uint32_t *word = (uint32_t *)r.p + (i * 1031) % (r.size / 4);
		unsigned int none0, none1;
		int ret;

		none0 = __atomic_load_n(&r.none_seq, __ATOMIC_SEQ_CST);
		igt_svm_job_copy(&s.job, scratch, r.p, r.size);
		igt_svm_job_write32(&s.job, word, i);
		igt_svm_job_copy(&s.job, scratch, word, 4);
		igt_assert_eq(__igt_svm_job_submit(&s.job), 0);
		ret = __igt_svm_job_wait(&s.job, s.job.seq, WAIT_NS);
		none1 = __atomic_load_n(&r.none_seq, __ATOMIC_SEQ_CST);
		igt_assert_f(ret == 0 || ret == -EIO, "job %u: wait %d\n", i, ret);
		if (ret == 0) {
			completed++;
		} else {
			struct drm_svmgpu_queue_get_state q = igt_svmgpu_queue_state(fd, s.job.queue);

			igt_assert(q.state & DRM_SVMGPU_QUEUE_STATE_BANNED);
			igt_assert_f(q.fault_reason != DRM_SVMGPU_FAULT_NO_VMA,
				     "job %u: no-VMA fault at %#llx, but the range is always mapped\n",
				     i, (unsigned long long)q.fault_address);
			igt_assert_f(q.fault_address >= (uintptr_t)r.p &&
				     q.fault_address < (uintptr_t)r.p + r.size,
				     "job %u: fault at %#llx outside the range\n", i,
				     (unsigned long long)q.fault_address);
			if (q.fault_reason == DRM_SVMGPU_FAULT_NO_MEMORY) {
				gave_up++;
			} else {
				igt_assert_f(q.fault_reason == DRM_SVMGPU_FAULT_ACCESS,
					     "job %u: fault reason %u\n", i, q.fault_reason);
				igt_assert_f(none0 != none1 || (none0 & 1),
					     "job %u: access fault with no PROT_NONE replacement\n", i);
				access++;
			}
			svm_requeue(&s);
		}
	}
	r.stop = 1;
	pthread_join(th, NULL);
	igt_assert_f(!r.error[0], "CPU thread: %s\n", r.error);
	igt_info("%u jobs: %u completed, %u access faults, %u gave up; %u replacements, %u PROT_NONE\n",
		 i, completed, access, gave_up, r.remaps, r.nones);
	/* Once the mapping stays put, a job over it completes. */
	igt_svm_job_copy(&s.job, scratch, r.p, r.size);
	igt_svm_job_write32(&s.job, r.p, 0x600d);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq_u32(*(uint32_t *)r.p, 0x600d);
	svm_fini(&s);
	munmap(r.p, r.size);
	free(scratch);
}


/*
 * userfaultfd: a handler thread that resolves the missing pages of @area
 * with UFFDIO_COPY (page i filled with uffd_word(i)) and write-protect
 * faults with UFFDIO_WRITEPROTECT; or, with @answer false, reads the
 * events and never resolves them.
 */
struct uffd_handler {
	int uffd;
	char *area;
	size_t size;
	bool answer;
	volatile int missing_events, wp_events, write_events;
	volatile int stop;
	pthread_t thread;
};

static uint32_t uffd_word(size_t page)
{
	return 0x5eed0000u + (uint32_t)page;
}

/*
 * A userfaultfd (the tests run as root, so vm.unprivileged_userfaultfd
 * does not matter), or a skip where the kernel has none.
 */
static int uffd_open(int flags)
{
	struct uffdio_api api = { .api = UFFD_API };
	int uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | flags);

	igt_require_f(uffd >= 0, "no userfaultfd: %s\n", strerror(errno));
	igt_require_f(ioctl(uffd, UFFDIO_API, &api) == 0,
		      "UFFDIO_API: %s\n", strerror(errno));
	return uffd;
}

static void *uffd_handler_thread(void *arg)
{
	struct uffd_handler *h = arg;
	char *page = aligned_alloc(4096, 4096);

	igt_assert(page);
	while (!h->stop) {
		struct pollfd pfd = { .fd = h->uffd, .events = POLLIN };
		struct uffd_msg msg;
		uint64_t addr;
		size_t idx;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		if (read(h->uffd, &msg, sizeof(msg)) != sizeof(msg) ||
		    msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		addr = msg.arg.pagefault.address & ~4095ull;
		idx = (addr - (uintptr_t)h->area) / 4096;
		if (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE)
			h->write_events++;
		if (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) {
			struct uffdio_writeprotect wp = {
				.range = { .start = addr, .len = 4096 },
			};

			h->wp_events++;
			if (h->answer)
				igt_assert_eq(ioctl(h->uffd, UFFDIO_WRITEPROTECT, &wp), 0);
		} else {
			struct uffdio_copy copy = {
				.dst = addr, .src = (uintptr_t)page, .len = 4096,
			};

			h->missing_events++;
			for (size_t i = 0; i < 1024; i++)
				((uint32_t *)page)[i] = uffd_word(idx);
			/* EEXIST: a fault on the same page was resolved already. */
			if (h->answer && ioctl(h->uffd, UFFDIO_COPY, &copy))
				igt_assert_eq(errno, EEXIST);
		}
	}
	free(page);
	return NULL;
}

/* @size bytes registered with userfaultfd in @mode, and the handler running. */
static void uffd_handler_start(struct uffd_handler *h, size_t size,
			       uint64_t mode, bool answer, int flags)
{
	struct uffdio_register reg = { .mode = mode };

	memset(h, 0, sizeof(*h));
	h->uffd = uffd_open(flags);
	h->size = size;
	h->answer = answer;
	h->area = map_anon(size);
	reg.range.start = (uintptr_t)h->area;
	reg.range.len = size;
	igt_require_f(ioctl(h->uffd, UFFDIO_REGISTER, &reg) == 0,
		      "UFFDIO_REGISTER mode %#" PRIx64 ": %s\n", mode,
		      strerror(errno));
	igt_assert_eq(pthread_create(&h->thread, NULL, uffd_handler_thread, h), 0);
}

static void uffd_handler_stop(struct uffd_handler *h)
{
	h->stop = 1;
	pthread_join(h->thread, NULL);
	close(h->uffd);
	munmap(h->area, h->size);
}

static void test_uffd_missing(int fd)
{
	struct uffd_handler h;
	struct svm s;
	uint32_t *out = malloc(4096);
	uint32_t *w;

	uffd_handler_start(&h, 16 * 4096, UFFDIO_REGISTER_MODE_MISSING, true, 0);
	svm_init(&s, fd);

	/* A GPU read of a missing page: the handler's data. */
	igt_svm_job_copy(&s.job, out, h.area + 3 * 4096, 4096);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	for (int i = 0; i < 1024; i++)
		igt_assert_eq_u32(out[i], uffd_word(3));
	igt_assert_eq(h.missing_events, 1);

	/* A GPU write to another one: the handler fills it, the write lands. */
	w = (uint32_t *)(h.area + 7 * 4096);
	igt_svm_job_write32(&s.job, w + 5, 0xc0ffee);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq(h.missing_events, 2);
	igt_assert_eq(h.write_events, 1);
	igt_assert_eq_u32(w[5], 0xc0ffee);
	igt_assert_eq_u32(w[4], uffd_word(7));
	igt_assert_eq_u32(w[6], uffd_word(7));
	/* The CPU sees the same pages: no event for them. */
	igt_assert_eq_u32(((uint32_t *)(h.area + 3 * 4096))[0], uffd_word(3));
	igt_assert_eq(h.missing_events, 2);

	svm_fini(&s);
	uffd_handler_stop(&h);
	free(out);
}

static void test_uffd_wp(int fd)
{
	struct uffd_handler h;
	struct uffdio_writeprotect wp = { .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	struct svm s;
	uint32_t *out = malloc(4096);
	uint32_t *w;

	uffd_handler_start(&h, 4 * 4096, UFFDIO_REGISTER_MODE_WP, true, 0);
	w = (uint32_t *)h.area;
	for (int i = 0; i < 4 * 1024; i++)
		w[i] = i;
	wp.range.start = (uintptr_t)h.area;
	wp.range.len = h.size;
	igt_assert_eq(ioctl(h.uffd, UFFDIO_WRITEPROTECT, &wp), 0);
	svm_init(&s, fd);

	/* Reads of write-protected memory need no handler. */
	igt_svm_job_copy(&s.job, out, w + 1024, 4096);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	for (int i = 0; i < 1024; i++)
		igt_assert_eq_u32(out[i], 1024 + i);
	igt_assert_eq(h.wp_events, 0);

	/* A write waits for the handler to lift the protection. */
	igt_svm_job_write32(&s.job, w + 1024 + 9, 0xfeed);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq(h.wp_events, 1);
	igt_assert_eq_u32(w[1024 + 9], 0xfeed);
	igt_assert_eq_u32(w[1024 + 8], 1024 + 8);
	/* The other pages stay protected: a GPU write there asks again. */
	igt_svm_job_write32(&s.job, w + 2 * 1024, 0xbeef);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	igt_assert_eq(h.wp_events, 2);
	igt_assert_eq_u32(w[2 * 1024], 0xbeef);

	svm_fini(&s);
	uffd_handler_stop(&h);
	free(out);
}

/*
 * Child of test_uffd_no_answer(): a GPU read (missing mode) or a GPU
 * write (write-protect mode) of memory whose handler never answers ends
 * in a fault report (no memory) within a few seconds; the VM stays
 * usable; exits with the handler and the kernel's fault-in still
 * waiting. @exit_early: exits as soon as the handler saw the fault,
 * while the GPU's fault still waits.
 */
static void uffd_no_answer_child(uint64_t mode, bool exit_early)
{
	struct uffd_handler h;
	struct svm s;
	uint32_t *out = malloc(4096);
	uint64_t t0;
	int ret;

	uffd_handler_start(&h, 4 * 4096, mode, false, 0);
	if (mode == UFFDIO_REGISTER_MODE_WP) {
		struct uffdio_writeprotect wp = {
			.range = { .start = (uintptr_t)h.area, .len = h.size },
			.mode = UFFDIO_WRITEPROTECT_MODE_WP,
		};

		memset(h.area, 1, h.size);
		igt_assert_eq(ioctl(h.uffd, UFFDIO_WRITEPROTECT, &wp), 0);
	}
	svm_init(&s, open_own_fd(0));

	t0 = now_ns();
	if (mode == UFFDIO_REGISTER_MODE_WP)
		igt_svm_job_write32(&s.job, h.area + 4096, 2);
	else
		igt_svm_job_copy(&s.job, out, h.area + 4096, 64);
	if (exit_early) {
		/* Exit while the fault waits for the handler. */
		igt_assert_eq(__igt_svm_job_submit(&s.job), 0);
		while (!h.missing_events && !h.wp_events)
			usleep(1000);
		_exit(0);
	}
	ret = __igt_svm_job_run(&s.job);
	igt_info("fault reported after %.2f s\n", (now_ns() - t0) / 1e9);
	assert_fault(&s, ret, h.area + 4096, DRM_SVMGPU_FAULT_NO_MEMORY);
	igt_assert_f(now_ns() - t0 < 5000000000ull, "the fault took %.2f s\n",
		     (now_ns() - t0) / 1e9);
	igt_assert(h.missing_events + h.wp_events >= 1);
	assert_vm_usable(&s);
	/* Exit with the handler and the fault-in still waiting. */
	_exit(0);
}

static void test_uffd_no_answer(int fd, uint64_t mode, bool exit_early)
{
	int status;
	pid_t pid;

	close(uffd_open(0));
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0)
		uffd_no_answer_child(mode, exit_early);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "child status %#x\n", status);
	assert_vms_gone(fd, pid);
	/* The device and other VMs are still usable. */
	assert_device_usable(fd);
}


/*
 * A userfaultfd of UFFD_USER_MODE_ONLY refuses faults that are not the
 * CPU's in user mode, the GPU's among them: unresolved (no memory), no
 * event for the handler.
 */
static void test_uffd_user_mode_only(int fd)
{
	struct uffd_handler h;
	struct svm s;
	uint32_t *out = malloc(4096);
	uint64_t t0;
	int ret;

	uffd_handler_start(&h, 4 * 4096, UFFDIO_REGISTER_MODE_MISSING, true,
			   UFFD_USER_MODE_ONLY);
	svm_init(&s, fd);
	t0 = now_ns();
	igt_svm_job_copy(&s.job, out, h.area, 64);
	ret = __igt_svm_job_run(&s.job);
	igt_info("fault reported after %.2f s\n", (now_ns() - t0) / 1e9);
	assert_fault(&s, ret, h.area, DRM_SVMGPU_FAULT_NO_MEMORY);
	igt_assert_eq(h.missing_events, 0);
	/* The CPU's own access is served by the handler. */
	igt_assert_eq_u32(((uint32_t *)h.area)[0], uffd_word(0));
	igt_assert_eq(h.missing_events, 1);
	assert_vm_usable(&s);
	svm_fini(&s);
	uffd_handler_stop(&h);
	free(out);
}

static void test_tracepoints(int fd)
{
	struct svm s;
	uint8_t *p = map_anon(64 << 10);
	char want[64], *trace;

	if (access(TRACEFS "/events/svmgpu/enable", F_OK))
		mount("nodev", TRACEFS, "tracefs", 0, NULL);
	igt_require_f(access(TRACEFS "/events/svmgpu/enable", W_OK) == 0,
		      "no tracefs with the svmgpu events\n");
	igt_assert(tracefs_write("trace", ""));
	igt_assert(tracefs_write("events/svmgpu/enable", "1"));
	igt_assert(tracefs_write("tracing_on", "1"));

	svm_init(&s, fd);
	igt_svm_job_write32(&s.job, p + 64, 1);
	igt_assert_eq(__igt_svm_job_run(&s.job), 0);
	munmap(p, 64 << 10);
	igt_assert(tracefs_write("events/svmgpu/enable", "0"));
	trace = tracefs_read_trace();

	snprintf(want, sizeof(want), "addr=%#" PRIx64 " access=1",
		 (uint64_t)(uintptr_t)(p + 64));
	igt_assert_f(strstr(trace, "svmgpu_svm_fault_begin") && strstr(trace, want),
		     "no fault_begin with %s in:\n%.2000s\n", want, trace);
	snprintf(want, sizeof(want), "addr=%#" PRIx64 " ret=0",
		 (uint64_t)(uintptr_t)(p + 64));
	igt_assert_f(strstr(trace, want), "no fault_end with %s\n", want);
	snprintf(want, sizeof(want), "range=%#" PRIx64 "-",
		 (uint64_t)(uintptr_t)p);
	igt_assert_f(strstr(trace, "svmgpu_svm_invalidate") && strstr(trace, want),
		     "no invalidate with %s\n", want);
	free(trace);
	svm_fini(&s);
}

igt_main
{
	/* volatile: two-devices reopens it (see igt_core.h on longjmp). */
	volatile int fd = -1;

	igt_fixture {
		fd = drm_open_driver_render(DRIVER_SVMGPU);
		require_fault_mode(fd);
	}

	igt_describe("A1: the GPU writes values into malloc'd memory the CPU filled; the CPU reads them back.");
	igt_subtest("write-malloc")
		test_write_malloc(fd);

	igt_describe("A2: the GPU copies one malloc'd buffer to another; they end identical.");
	igt_subtest("copy-malloc")
		test_copy_malloc(fd);

	igt_describe("A3: the GPU's first touch of never-touched memory allocates it; bytes it did not write read 0.");
	igt_subtest("first-touch")
		test_first_touch(fd);

	igt_describe("A4: one job writes four different 2 MiB regions: several faults in one job.");
	igt_subtest("four-regions")
		test_four_regions(fd);

	igt_describe("A5: 32 rounds of CPU writes followed by GPU copies: the GPU never sees stale data.");
	igt_subtest("cpu-gpu-rounds")
		test_cpu_gpu_rounds(fd);

	igt_describe("Zero page: a GPU read of untouched memory maps the shared zero page read-only; a later GPU write upgrades the mapping to a private writable page.");
	igt_subtest("zero-page-upgrade")
		test_zero_page_upgrade(fd);

	igt_describe("B4: transparent huge pages are mapped by the GPU with 2 MiB leaves, and read correctly.");
	igt_subtest("thp-2m")
		test_thp_2m(fd);

	igt_describe("Huge zero page: a GPU read of untouched MADV_HUGEPAGE memory maps the huge zero page (the CPU side confirmed through pagemap/kpageflags) with a 2 MiB read-only leaf, and the query reports every page of it ZERO; a later GPU write upgrades the range to private writable pages, no longer ZERO.");
	igt_subtest("thp-zero-page")
		test_thp_zero_page(fd);

	igt_describe("C1: after munmap of memory the GPU used, a GPU access faults (address, access, reason reported), never reads stale data; the VM stays usable.");
	igt_subtest("munmap-then-access")
		test_munmap_then_access(fd);

	igt_describe("C4/C6: a GPU write to memory made read-only faults and leaves it unchanged; reads still work; after mprotect back to read-write the write succeeds.");
	igt_subtest("mprotect-read-only")
		test_mprotect_read_only(fd);

	igt_describe("C5: a GPU read of PROT_NONE memory faults; the destination is not written.");
	igt_subtest("mprotect-none")
		test_mprotect_none(fd);

	igt_describe("C3: munmap then mmap(MAP_FIXED) at the same address with no CPU access between: the GPU sees the new zero pages and its writes land in them.");
	igt_subtest("remap-fixed")
		test_remap_fixed(fd);

	igt_describe("D1: an address in the window with no CPU mapping faults asynchronously; the device and other VMs stay usable.");
	igt_subtest("unmapped-in-window")
		test_unmapped_in_window(fd);

	igt_describe("D2: an address outside every mirror window faults with the no-window reason.");
	igt_subtest("outside-window")
		test_outside_window(fd);

	igt_describe("F1: after a prefetch of the batch and the data, a job takes no GPU fault.");
	igt_subtest("prefetch-no-faults")
		test_prefetch_no_faults(fd);

	igt_describe("Fault-mode jobs publish no dma-fence: an EXEC that asks to signal a syncobj or lists BOs for implicit fencing is refused with -EINVAL.");
	igt_subtest("exec-signal-refused")
		test_exec_signal_refused(fd);

	igt_describe("Another process using the same file cannot bind mirror windows, prefetch or submit to a fault-mode VM (-EACCES): its address space is not the mirrored one.");
	igt_subtest("other-process-refused")
		test_other_process_refused(fd);

	igt_describe("Fault-mode uAPI errors: unknown VM_CREATE flags, MIRROR/PREFETCH on a dma-fence VM or with non-zero BO fields, queries of a dma-fence VM.");
	igt_subtest("bad-fault-mode-args")
		test_bad_fault_mode_args(fd);

	igt_describe("WAIT_USER_FENCE: a condition that holds returns at once, one that does not times out with -ETIME, bad arguments give -EINVAL/-EFAULT/-ENOENT.");
	igt_subtest("wait-user-fence")
		test_wait_user_fence(fd);

	igt_describe("USER_FENCE_WAKE: a waiter does not notice a CPU write of its value by itself, and returns once a wake follows; flags or pad not zero give -EINVAL.");
	igt_subtest("user-fence-wake")
		test_user_fence_wake(fd);

	igt_describe("WAIT_USER_FENCE with timeouts shorter than a jiffy (1 us to 1.5 ms) on a fence that never signals: each call sleeps at least its timeout, returns -ETIME and leaves timeout_ns 0.");
	igt_subtest("wait-user-fence-short-timeout")
		test_wait_user_fence_short_timeout(fd);

	igt_describe("F2: attributes set on a range read back; a SET on part of a range splits it (GET over both parts says MIXED); unset ranges have the defaults.");
	igt_subtest("attr-roundtrip")
		test_attr_roundtrip(fd);

	igt_describe("F2: SETs of equal attributes coalesce: read-mostly set page by page over 1000 pages (upwards, then downwards over another range) leaves one attribute range each (debugfs vms); a different value in the middle splits it in three, setting it back merges them, and setting the defaults back leaves none.");
	igt_subtest("attr-coalesce")
		test_attr_coalesce(fd);

	igt_describe("F2: the GPU-access attribute is enforced: NONE makes a GPU read fault, READ allows reads and makes writes fault (memory unchanged), both reported with the attribute reason.");
	igt_subtest("attr-access")
		test_attr_access(fd);

	igt_describe("F2: the maximum-chunk attribute bounds what one fault maps: 4 KiB maps only the touched page, the default maps the whole 2 MiB around it.");
	igt_subtest("attr-max-chunk")
		test_attr_max_chunk(fd);

	igt_describe("F2: read-mostly memory is mapped read-only on a GPU read even though the CPU mapping is writable; a GPU write then upgrades it.");
	igt_subtest("attr-read-mostly")
		test_attr_read_mostly(fd);

	igt_describe("F2: invalid attributes or ranges give -EINVAL (unknown type, duplicate, bad value, non-zero pad, no or too many attributes, misaligned or empty range, dma-fence VM), an unknown VM -ENOENT, a SET from another process -EACCES.");
	igt_subtest("attr-bad")
		test_attr_bad(fd);

	igt_subtest_group {
		static const struct {
			const char *name;
			size_t size, src_off, dst_off;
		} sizes[] = {
			{ "1b", 1, 5, 4091 },
			{ "page-crossing", 64, 4096 - 24, 2 * 4096 - 40 },
			{ "64k", 64 << 10, 0, 0 },
			{ "2m", 2 << 20, 0, 0 },
			{ "2m-4k", (2 << 20) + 4096, 0, 0 },
			{ "16m", 16 << 20, 0, 0 },
		};

		for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			igt_describe_f("A6: a GPU copy of %s between fresh buffers: every byte arrives, nothing around the destination changes.",
				       sizes[i].name);
			igt_subtest_f("copy-size-%s", sizes[i].name)
				test_copy_size(fd, sizes[i].size, sizes[i].src_off,
					       sizes[i].dst_off);
		}
	}

	igt_describe("B1: a MAP_SHARED anonymous mapping: the GPU reads what the CPU wrote and its writes are seen by the CPU.");
	igt_subtest("map-shared-anon")
		test_map_shared_anon(fd);

	igt_describe("B2: MAP_SHARED across fork: a child with its own render node and fault-mode VM writes through the GPU; the parent sees it, also through its own GPU mapping made before the fork.");
	igt_subtest("map-shared-fork")
		test_map_shared_fork(fd);

	igt_describe("B3: a shared mapping of a file in /tmp: the GPU reads the file's contents (pages the CPU never touched) and its writes reach the file (pread sees them).");
	igt_subtest("shared-file")
		test_shared_file(fd);

	igt_describe("B5: hugetlbfs (MAP_HUGETLB) memory: correct data both ways, mapped by the GPU with a 2 MiB leaf. Reserves two huge pages if none are, and restores the setting.");
	igt_subtest("hugetlb")
		test_hugetlb(fd);

	igt_describe("B6: a DRM BO's CPU mapping (VM_PFNMAP, which HMM cannot mirror) used through the mirror: reads and writes fault with the unmirrorable reason, the BO's memory stays intact, no crash.");
	igt_subtest("bo-mmap-unmirrorable")
		test_bo_mmap_unmirrorable(fd);

	igt_describe("B7: a BO bound at a VA of a fault-mode VM serves GPU accesses there; after UNMAP the VA faults (no window); after MIRROR over it the GPU sees the CPU's memory at that VA and the BO no longer changes.");
	igt_subtest("bo-then-mirror")
		test_bo_then_mirror(fd);

	igt_describe("C2: partial munmap of a 2 MiB region the GPU used: GPU writes to the remaining half still work, the hole faults.");
	igt_subtest("partial-munmap")
		test_partial_munmap(fd);

	igt_describe("C4/C5 on part of a range: after mprotect of one half of a 2 MiB region the GPU used whole, GPU writes to the other half still work, reads of the read-only half work, writes there fault; with PROT_NONE the accessible half still reads and the other faults.");
	igt_subtest("mprotect-split")
		test_mprotect_split(fd);

	igt_describe("C7: fork COW: the parent's buffer was GPU-written; after the fork, GPU and CPU writes of the parent land in the parent's new pages (GPU first on one page, CPU first on another); the child's view is unchanged.");
	igt_subtest("fork-cow-parent")
		test_fork_cow_parent(fd);

	igt_describe("C8: a child's GPU write (own render node and VM) to a private mapping it inherited changes only the child's copy; the parent's CPU and GPU see the old data.");
	igt_subtest("fork-child-private")
		test_fork_child_private(fd);

	igt_describe("C9: free() then malloc() returning the same range (an mmap'd chunk, and a heap chunk): the GPU sees only the new contents.");
	igt_subtest("free-malloc")
		test_free_malloc(fd);

	igt_describe("C10: mmap(MAP_FIXED) over a range from another thread while a GPU job copies it: no hang or warning, the job completes, its commands after the change see the new pages, every word it copied is old or new.");
	igt_subtest("remap-during-job")
		test_change_during_job(fd, true);

	igt_describe("C10: munmap of a range from another thread while a GPU job copies it: the job faults (no VMA, inside the range), no hang or warning; later jobs see a new mapping there.");
	igt_subtest("munmap-during-job")
		test_change_during_job(fd, false);

	igt_describe("D5: a process exits (or is killed) with fault-mode jobs in flight, one blocked in a WAIT forever, one stalled on memory released after the exit: exit is clean, its VMs go, the device stays usable.");
	igt_subtest("exit-with-job-in-flight")
		test_exit_with_job_in_flight(fd);

	igt_describe("D5: the process that created a fault-mode VM exits while its job waits and another process still holds the file: the job's next access faults with the no-mm reason, the holder sees the queue banned and closes the file cleanly.");
	igt_subtest("exit-with-file-held")
		test_exit_with_file_held(fd);

	igt_describe("D6: nested and overlapping MIRROR binds replace what was there (re-faulted on use), UNMAP of part of them makes a hole that faults (no window), UNMAP after munmap and re-MIRROR of an unmapped range succeed and fault only on use, MIRROR over a BO mapping replaces it, UNMAP while a job waits to use the range makes that job fault: no crash.");
	igt_subtest("nested-mirror-binds")
		test_nested_mirror_binds(fd);

	igt_describe("E1: 64 jobs on 8 queues (spread over the engines) in one VM write one buffer and add to one counter: every value is right, the count exact.");
	igt_subtest("many-jobs-queues")
		test_many_jobs_queues(fd);

	igt_describe("E3: four threads share one VM and one allocation, each with its own queue, copying and counting rounds while a CPU thread checks the GPU's output and adds to the same counter: every word whole and right, the count exact.");
	igt_subtest("threads-shared-vm")
		test_threads_shared_vm(fd);

	igt_describe("E4: two svmgpu devices mirror the same process memory at once: each sees the other's writes, atomics from both are exact, an munmap faults on both. Reloads the module with devices=2 when it has one device.");
	igt_subtest("two-devices")
		test_two_devices(&fd);

	igt_describe("F3: GPU atomics on malloc'd memory: 32- and 64-bit adds (with a carry into the high word) and a cmpxchg chain whose old values come back, CPU atomics between the jobs and from a racing thread, across a partial munmap of the region: exact counts.");
	igt_subtest("atomics")
		test_atomics(fd);

	igt_describe("Stress: for 5 s one thread replaces, unmaps, write-protects, DONTNEEDs the range and forks while jobs write and read it: no hang; each job completes with the right data (when nothing changed the data meanwhile) or faults in the range with a reason, and only when a change that can fault overlapped it.");
	igt_subtest("stress-cpu-changes")
		test_stress_cpu_changes(fd);

	igt_describe("Stress: for 3 s one thread replaces a range with mmap(MAP_FIXED) (so it is never unmapped; one time in four PROT_NONE for a while) while jobs read and write it: a fault racing the replacement and the garbage collection is retried, never reported as no-VMA; jobs complete, or fault with the access reason only when a PROT_NONE replacement overlapped them (or give up with no-memory when the mapping kept changing); once the mapping stays put a job over it completes.");
	igt_subtest("remap-race")
		test_remap_race(fd);

	igt_describe("userfaultfd, missing mode: a handler thread resolves missing pages with UFFDIO_COPY; a GPU read of one sees the handler's data, a GPU write to another waits for the handler and lands in its page; the CPU sees the same pages without events. Skips without userfaultfd.");
	igt_subtest("uffd-missing")
		test_uffd_missing(fd);

	igt_describe("userfaultfd, write-protect mode: GPU reads of protected memory need no handler; a GPU write waits until the handler's UFFDIO_WRITEPROTECT lifts the protection of its page, then lands; a write to another protected page asks again. Skips without userfaultfd.");
	igt_subtest("uffd-wp")
		test_uffd_wp(fd);

	igt_describe("userfaultfd, a handler that reads the events and never answers (missing mode: a GPU read; write-protect mode: a GPU write): the fault is reported (no memory) within the fault timeout, the VM stays usable, the process exits cleanly with the handler still waiting, its VMs go and the device stays usable. Skips without userfaultfd.");
	igt_subtest("uffd-no-answer-missing")
		test_uffd_no_answer(fd, UFFDIO_REGISTER_MODE_MISSING, false);
	igt_describe("userfaultfd, write-protect mode, a handler that never answers: a GPU write is reported as a fault (no memory) within the fault timeout, the process exits cleanly with the handler still waiting, the device stays usable. Skips without userfaultfd.");
	igt_subtest("uffd-no-answer-wp")
		test_uffd_no_answer(fd, UFFDIO_REGISTER_MODE_WP, false);

	igt_describe("userfaultfd, a handler that never answers: the process exits while its GPU fault waits for the handler (the queue, the VM and the file are torn down under the waiting fault): exit is clean, its VMs go, the device and other VMs stay usable. Skips without userfaultfd.");
	igt_subtest("uffd-no-answer-exit")
		test_uffd_no_answer(fd, UFFDIO_REGISTER_MODE_MISSING, true);

	igt_describe("userfaultfd with UFFD_USER_MODE_ONLY (what an unprivileged process gets when vm.unprivileged_userfaultfd is 0): the GPU's fault is not a user-mode fault, so the userfaultfd refuses it: the fault is reported (no memory), the handler gets no event; the CPU's own access is served. Skips without userfaultfd.");
	igt_subtest("uffd-user-mode-only")
		test_uffd_user_mode_only(fd);

	igt_describe("Tracepoints: servicing a GPU fault emits svmgpu_svm_fault_begin and svmgpu_svm_fault_end with the faulting address, and munmap of mirrored memory emits svmgpu_svm_invalidate for its range.");
	igt_subtest("tracepoints")
		test_tracepoints(fd);

	igt_fixture
		close(fd);
}
