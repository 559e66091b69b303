// SPDX-License-Identifier: MIT
/*
 * svm_bench - the shared-virtual-memory benchmarks of docs/benchmarks.md:
 * svmgpu's fault-mode VMs on the process's own memory, each against a
 * CPU baseline measured in the same process, runs interleaved.
 *
 *   svm_bench first-touch [--size BYTES] [--runs N] [--nohuge]
 *       GPU FILL of never-touched anonymous memory (every page faulted in
 *       through the GPU's faults) vs CPU memset() of fresh memory; THP as
 *       the system's policy has it, or 4 KiB pages with --nohuge.
 *   svm_bench fault-latency [--faults N] [--rounds R]
 *       One GPU fault on populated memory, fault to resume, from GPU
 *       TIMESTAMPs around each faulting WRITE, vs a userfaultfd round trip
 *       (fault, handler thread UFFDIO_COPY, resume).
 *   svm_bench prefetch [--size BYTES] [--runs N] [--thp]
 *       VM_BIND PREFETCH of populated memory (4 KiB pages, or THP with
 *       --thp) vs memcpy() of the same size.
 *   svm_bench munmap [--size BYTES] [--runs N] [--samples]
 *       munmap() of a GPU-mapped (prefetched) range vs munmap() of a range
 *       the GPU never touched.
 *   svm_bench copy [--size BYTES] [--runs N] [--nohuge] [--aligned] [--bo-offset N] [--samples]
 *       GPU COPY between two prefetched malloc'd buffers vs the same COPY
 *       between two BOs, in the same VM and queue; --aligned uses two
 *       2 MiB-aligned mmap()s instead of malloc(). The BO copy starts at
 *       the buffers' offset in their page (16 for malloc), or at
 *       --bo-offset N. --samples also prints every run's numbers.
 *   svm_bench test-hmm [--size BYTES] [--runs N] [--dev PATH]
 *       GPU COPY from never-touched anonymous memory (read faults) into a
 *       prefetched buffer vs the kernel's test_hmm mirror reading as much
 *       fresh memory (HMM_DMIRROR_READ on /dev/hmm_dmirror0, which copies
 *       into a populated buffer). test_hmm.ko must be loaded (run-bench
 *       does it).
 *
 * Prints "value NAME NUMBER UNIT" lines (and "info ..." lines) for
 * tests/bench/run-bench. Exit 0 when everything ran and checked out, 1 on
 * an error, 2 when there is no svmgpu device or no fault-mode VMs.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/types.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_svm_job.h"
#include "svmgpu_drm.h"
#include "drm_bench_util.h"
#include "hw/svmgpu_cmd.h"

/*
 * The test_hmm uAPI, as the kernel's selftests get it (they include
 * lib/test_hmm_uapi.h from the source tree, which is not installed):
 * the ABI of HMM_DMIRROR_READ, from linux-source-6.12 lib/test_hmm_uapi.h
 * (GPL-2.0 WITH Linux-syscall-note). Only what this program uses.
 */
struct hmm_dmirror_cmd {
	__u64		addr;		/* in: the address the device reads */
	__u64		ptr;		/* in: where the data is copied to */
	__u64		npages;		/* in: pages to read */
	__u64		cpages;		/* out: pages copied */
	__u64		faults;		/* out: device faults seen */
};

#define HMM_DMIRROR_READ		_IOWR('H', 0x00, struct hmm_dmirror_cmd)

#define MIRROR_START	DRM_SVMGPU_VM_GUARD
#define MIRROR_END	(1ull << 47)
/* BOs live above the mirror window, where no CPU address can be. */
#define VA_BO		(1ull << 47)
#define WAIT_NS		(120ll * 1000000000ll)

/* The control region: batch, user fence and timestamps, prefetched. */
#define CTL_SIZE	(2u << 20)
#define CTL_BATCH_BYTES	(1u << 20)
#define CTL_FENCE_OFF	CTL_BATCH_BYTES
#define CTL_TS_OFF	(CTL_BATCH_BYTES + 4096)

#define SZ_2M		((uint64_t)2 << 20)
#define PAGE		((uint64_t)4096)

const char *bench_prog = "svm_bench";

static void *map_anon(uint64_t size, int advice)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		bench_fail(1, "mmap of %" PRIu64 " bytes failed: %s", size, strerror(errno));
	if (advice >= 0 && madvise(p, size, advice))
		bench_fail(1, "madvise(%d) failed: %s", advice, strerror(errno));
	return p;
}

/* @size bytes of anonymous memory aligned to 2 MiB (for THP). */
static void *map_anon_2m(uint64_t size, int advice)
{
	uint8_t *p = map_anon(size + SZ_2M, -1);
	uint8_t *a = (uint8_t *)(((uintptr_t)p + SZ_2M - 1) & ~(SZ_2M - 1));

	if (a > p)
		munmap(p, a - p);
	munmap(a + size, p + SZ_2M - a);
	if (advice >= 0 && madvise(a, size, advice))
		bench_fail(1, "madvise(%d) failed: %s", advice, strerror(errno));
	return a;
}

/* Writes to every page (the CPU first touch). */
static void touch(void *p, uint64_t size, uint8_t v)
{
	memset(p, v, size);
}

/*
 * A fault-mode VM mirroring the process and a queue whose jobs
 * (igt_svm_job.h) are built in a prefetched control region: one batch,
 * the user fence and the TIMESTAMP destinations.
 */
struct svm {
	int fd;
	uint32_t vm;
	uint8_t *ctl;
	struct igt_svm_job job;
	uint64_t *ts;			/* TIMESTAMP destinations */
};

static int bind_op(int fd, uint32_t vm, uint32_t op, uint64_t va,
		   uint64_t size, uint32_t handle)
{
	struct drm_svmgpu_vm_bind_op bop = {
		.op = op, .va = va, .size = size, .handle = handle,
	};
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.ops = { .stride = sizeof(bop), .count = 1, .array = (uintptr_t)&bop },
	};

	return drmIoctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args) ? -errno : 0;
}

static void prefetch(struct svm *s, const void *p, uint64_t size)
{
	int ret = bind_op(s->fd, s->vm, DRM_SVMGPU_VM_BIND_OP_PREFETCH,
			  (uintptr_t)p, size, 0);

	if (ret)
		bench_fail(1, "VM_BIND PREFETCH of %" PRIu64 " bytes at %p failed: %s",
		     size, p, strerror(-ret));
}

/* Prefetches the pages [p, p + size) touches. */
static void prefetch_span(struct svm *s, const void *p, uint64_t size)
{
	uintptr_t a = (uintptr_t)p & ~(PAGE - 1);
	uintptr_t e = ((uintptr_t)p + size + PAGE - 1) & ~(PAGE - 1);

	prefetch(s, (const void *)a, e - a);
}

static uint32_t svm_vm_create(int fd)
{
	struct drm_svmgpu_vm_create vc = { .flags = DRM_SVMGPU_VM_CREATE_FAULT_MODE };
	int ret;

	bench_ioctl(fd, DRM_IOCTL_SVMGPU_VM_CREATE, &vc, "VM_CREATE (fault mode)");
	ret = bind_op(fd, vc.vm_id, DRM_SVMGPU_VM_BIND_OP_MIRROR, MIRROR_START,
		      MIRROR_END - MIRROR_START, 0);
	if (ret)
		bench_fail(1, "VM_BIND MIRROR failed: %s", strerror(-ret));
	return vc.vm_id;
}

static void vm_destroy(int fd, uint32_t vm)
{
	struct drm_svmgpu_vm_destroy vd = { .vm_id = vm };

	bench_ioctl(fd, DRM_IOCTL_SVMGPU_VM_DESTROY, &vd, "VM_DESTROY");
}

static void svm_init(struct svm *s, int fd)
{
	struct drm_svmgpu_queue_create q = {};

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->vm = svm_vm_create(fd);
	q.vm_id = s->vm;
	bench_ioctl(fd, DRM_IOCTL_SVMGPU_QUEUE_CREATE, &q, "QUEUE_CREATE");
	s->ctl = map_anon(CTL_SIZE, -1);
	/* Best effort: prefetched below either way (a kernel without
	 * CONFIG_ADVISE_SYSCALLS has no madvise). */
	madvise(s->ctl, CTL_SIZE, MADV_NOHUGEPAGE);
	/* One batch: every job is waited for before the next is built. */
	igt_svm_job_init(&s->job, fd, q.queue_id, (uint32_t *)s->ctl, 1,
			 CTL_BATCH_BYTES / 4,
			 (volatile uint64_t *)(s->ctl + CTL_FENCE_OFF));
	s->job.timeout_ns = WAIT_NS;
	s->ts = (uint64_t *)(s->ctl + CTL_TS_OFF);
	/* No job pays for faulting in its own batch, fence or stamps. */
	prefetch(s, s->ctl, CTL_SIZE);
}

/* Fails the benchmark when a command does not fit (or the slot is busy). */
static void emitted(int ret)
{
	if (ret)
		bench_fail(1, "cannot build the job: %s", strerror(-ret));
}

static void emit_write32(struct svm *s, uint64_t dst, uint32_t value)
{
	emitted(__igt_svm_job_write32(&s->job, dst, value));
}

static void emit_timestamp(struct svm *s, const uint64_t *dst)
{
	emitted(__igt_svm_job_timestamp(&s->job, (uintptr_t)dst));
}

static void emit_copy(struct svm *s, uint64_t dst, uint64_t src, uint64_t size)
{
	emitted(__igt_svm_job_copy(&s->job, dst, src, size));
}

static void emit_fill(struct svm *s, uint64_t dst, uint64_t size, uint32_t value)
{
	emitted(__igt_svm_job_fill(&s->job, dst, size, value));
}

/* Submits the job and waits for it; returns the time from EXEC to the wait's return. */
static uint64_t svm_run(struct svm *s, const char *what)
{
	uint64_t t0 = bench_now_ns();
	int ret = __igt_svm_job_submit(&s->job);

	if (ret)
		bench_fail(1, "%s: EXEC failed: %s", what, strerror(-ret));
	ret = __igt_svm_job_wait(&s->job, s->job.seq, s->job.timeout_ns);
	if (ret) {
		struct drm_svmgpu_queue_get_state st = { .queue_id = s->job.queue };

		drmIoctl(s->fd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE, &st);
		bench_fail(1, "%s: WAIT_USER_FENCE failed: %s (queue state 0x%x, error %u, "
		     "fault reason %u at 0x%" PRIx64 ")", what, strerror(-ret),
		     st.state, st.error, st.fault_reason, (uint64_t)st.fault_address);
	}
	return bench_now_ns() - t0;
}

static struct drm_svmgpu_svm_counters counters(struct svm *s)
{
	struct drm_svmgpu_svm_counters c;
	struct drm_svmgpu_vm_query q = {
		.vm_id = s->vm, .type = DRM_SVMGPU_VM_QUERY_COUNTERS,
		.data = (uintptr_t)&c, .data_size = sizeof(c),
	};

	bench_ioctl(s->fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q, "VM_QUERY COUNTERS");
	return c;
}

/* Pages of [p, p + size) mapped by the GPU, and how many by 2 MiB leaves. */
static void snapshot_count(int fd, uint32_t vm, const void *p, uint64_t size,
			   uint64_t *mapped, uint64_t *huge)
{
	uint64_t n = size / PAGE;
	uint8_t *st = malloc(n);
	struct drm_svmgpu_vm_query q = {
		.vm_id = vm, .type = DRM_SVMGPU_VM_QUERY_PAGES,
		.start = (uintptr_t)p, .size = size,
		.data = (uintptr_t)st, .data_size = n,
	};

	if (!st)
		bench_fail(1, "out of memory");
	bench_ioctl(fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q, "VM_QUERY PAGES");
	*mapped = *huge = 0;
	for (uint64_t i = 0; i < n; i++) {
		*mapped += !!(st[i] & DRM_SVMGPU_PAGE_MAPPED);
		*huge += !!(st[i] & DRM_SVMGPU_PAGE_2M);
	}
	free(st);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double percentile(double *v, unsigned int n, double p)
{
	unsigned int rank = (unsigned int)(p / 100.0 * n + 0.999999);

	qsort(v, n, sizeof(*v), cmp_double);
	return v[(rank ? rank : 1) - 1];
}

static double *xcalloc(unsigned int n)
{
	double *v = calloc(n, sizeof(double));

	if (!v)
		bench_fail(1, "out of memory");
	return v;
}

static const char *thp_mode(void)
{
	static char buf[128];
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char *a, *b;

	if (!f)
		return "unknown";
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	a = strchr(buf, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!a || !b)
		return "unknown";
	*b = 0;
	return a + 1;
}

/*
 * first-touch: GPU FILL of @size bytes of never-touched anonymous memory
 * (the GPU's faults populate it) vs memset() of as much fresh memory.
 */
static int bench_first_touch(int fd, uint64_t size, unsigned int runs,
			     bool nohuge)
{
	const char *name = nohuge ? "first-touch-4k" : "first-touch";
	double *gpu = xcalloc(runs), *cpu = xcalloc(runs);
	double *fill2 = xcalloc(runs), *set2 = xcalloc(runs);
	int advice = nohuge ? MADV_NOHUGEPAGE : -1;
	uint64_t faults = 0, leaves_2m = 0, pages = 0;
	struct svm s;

	svm_init(&s, fd);
	printf("info %s: %" PRIu64 " bytes, THP %s, %s\n", name, size, thp_mode(),
	       nohuge ? "MADV_NOHUGEPAGE" : "the default policy (no madvise)");

	for (unsigned int r = 0; r <= runs; r++) {
		struct drm_svmgpu_svm_counters c0, c1;
		uint64_t mapped, huge, t0, tg, tc, tg2, tc2;
		uint32_t *g, *m;

		g = map_anon(size, advice);
		c0 = counters(&s);
		emit_fill(&s, (uintptr_t)g, size, 0x5a5a5a5a);
		tg = svm_run(&s, "first-touch");
		c1 = counters(&s);
		if (g[0] != 0x5a5a5a5a || g[size / 4 - 1] != 0x5a5a5a5a ||
		    g[size / 8 + 1] != 0x5a5a5a5a)
			bench_fail(1, "first-touch: the GPU FILL did not fill");
		snapshot_count(fd, s.vm, g, size, &mapped, &huge);
		/* Diagnostic: the same FILL again, now that nothing faults. */
		emit_fill(&s, (uintptr_t)g, size, 0xa5a5a5a5);
		tg2 = svm_run(&s, "first-touch (again)");
		munmap(g, size);

		m = map_anon(size, advice);
		t0 = bench_now_ns();
		touch(m, size, 0x5a);
		tc = bench_now_ns() - t0;
		if (((volatile uint8_t *)m)[size - 1] != 0x5a)
			bench_fail(1, "first-touch: memset did not write");
		t0 = bench_now_ns();
		touch(m, size, 0xa5);
		tc2 = bench_now_ns() - t0;
		munmap(m, size);

		printf("info %s run %u%s gpu %.1f ms (faults %" PRIu64
		       ", 4k pages %" PRIu64 ", 2m pages %" PRIu64 ", %" PRIu64
		       " of %" PRIu64 " pages in 2 MiB leaves) memset %.1f ms; "
		       "again on the populated memory: FILL %.1f ms memset %.1f ms\n",
		       name, r, r ? "" : " (warm-up, not counted)", tg / 1e6,
		       (uint64_t)(c1.faults - c0.faults),
		       (uint64_t)(c1.pages_4k - c0.pages_4k),
		       (uint64_t)(c1.pages_2m - c0.pages_2m), huge, mapped,
		       tc / 1e6, tg2 / 1e6, tc2 / 1e6);
		if (r) {
			fill2[r - 1] = tg2 / 1e6;
			set2[r - 1] = tc2 / 1e6;
		}
		if (!r)
			continue;
		faults = c1.faults - c0.faults;
		leaves_2m = huge;
		pages = mapped;
		gpu[r - 1] = tg / 1e6;
		cpu[r - 1] = tc / 1e6;
	}
	printf("info note: %s: medians of %u runs of %" PRIu64 " MiB; the last "
	       "run took %" PRIu64 " GPU faults, %" PRIu64 " of %" PRIu64
	       " pages in 2 MiB GPU leaves (THP %s); the same FILL and memset "
	       "again on the populated memory (not the metric): %.1f ms and "
	       "%.1f ms\n", name, runs, size >> 20, faults, leaves_2m, pages,
	       thp_mode(), median(fill2, runs), median(set2, runs));
	printf("value first-touch.gpu %.2f ms\n", median(gpu, runs));
	printf("value first-touch.memset %.2f ms\n", median(cpu, runs));
	return 0;
}

/* fault-latency ------------------------------------------------------- */

#define SLOT		((uint64_t)64 << 10)

/*
 * @n pages of populated memory, each in its own 4 KiB VMA, 64 KiB apart
 * (PROT_NONE between them), so the GPU's range around each is 4 KiB and
 * each needs its own fault. Returns the reservation's base.
 */
static uint8_t *map_spread(unsigned int n)
{
	uint8_t *base = mmap(NULL, n * SLOT, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (base == MAP_FAILED)
		bench_fail(1, "mmap of the reservation failed: %s", strerror(errno));
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *p = mmap(base + i * SLOT, PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (p == MAP_FAILED)
			bench_fail(1, "mmap of page %u failed: %s", i, strerror(errno));
		madvise(p, PAGE, MADV_NOHUGEPAGE);
		memset(p, i, PAGE);
	}
	return base;
}

struct uffd_handler {
	int uffd;
	uint8_t *src;
	unsigned int served;
};

static void *uffd_thread(void *arg)
{
	struct uffd_handler *h = arg;

	for (;;) {
		struct pollfd pfd = { .fd = h->uffd, .events = POLLIN };
		struct uffd_msg msg;
		struct uffdio_copy cp;

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			bench_fail(1, "poll on the userfaultfd failed: %s", strerror(errno));
		}
		if (pfd.revents & (POLLERR | POLLHUP))
			return NULL;
		if (read(h->uffd, &msg, sizeof(msg)) != sizeof(msg)) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return NULL;	/* closed */
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		cp = (struct uffdio_copy){
			.dst = msg.arg.pagefault.address & ~(PAGE - 1),
			.src = (uintptr_t)h->src, .len = PAGE, .mode = 0,
		};
		if (ioctl(h->uffd, UFFDIO_COPY, &cp) && errno != EEXIST)
			bench_fail(1, "UFFDIO_COPY failed: %s", strerror(errno));
		__atomic_add_fetch(&h->served, 1, __ATOMIC_RELEASE);
	}
}

static int uffd_open(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);

	if (uffd < 0)
		uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		bench_fail(1, "userfaultfd() failed: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_API, &api))
		bench_fail(1, "UFFDIO_API failed: %s", strerror(errno));
	return uffd;
}

/* @n userfaultfd round trips: store to a missing page, handler copies it in. */
static void uffd_round(unsigned int n, double *out)
{
	uint64_t size = n * PAGE;
	uint8_t *p = map_anon(size, MADV_NOHUGEPAGE);
	struct uffd_handler h = { .uffd = uffd_open(), .src = map_anon(PAGE, -1) };
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)p, .len = size },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	pthread_t t;

	memset(h.src, 0xab, PAGE);
	if (ioctl(h.uffd, UFFDIO_REGISTER, &reg))
		bench_fail(1, "UFFDIO_REGISTER failed: %s", strerror(errno));
	if (pthread_create(&t, NULL, uffd_thread, &h))
		bench_fail(1, "pthread_create failed");
	for (unsigned int i = 0; i < n; i++) {
		volatile uint32_t *w = (volatile uint32_t *)(p + i * PAGE);
		uint64_t t0 = bench_now_ns();

		*w = i;
		out[i] = (bench_now_ns() - t0) / 1e3;
	}
	/* The handler counts after UFFDIO_COPY woke us: let it catch up. */
	for (int i = 0; i < 1000 && __atomic_load_n(&h.served, __ATOMIC_ACQUIRE) != n; i++)
		usleep(1000);
	if (__atomic_load_n(&h.served, __ATOMIC_ACQUIRE) != n)
		bench_fail(1, "the userfaultfd handler served %u faults, not %u", h.served, n);
	pthread_cancel(t);
	pthread_join(t, NULL);
	close(h.uffd);
	munmap(p, size);
	munmap(h.src, PAGE);
}

/*
 * @n GPU faults: TIMESTAMP, then for each page WRITE + TIMESTAMP; each
 * fault's time is the gap between the stamps around its WRITE. Then the
 * same batch again, the pages now mapped: the gap without a fault.
 */
static void gpu_round(struct svm *s, unsigned int n, double *out, double *nofault)
{
	uint8_t *base = map_spread(n);
	struct drm_svmgpu_svm_counters c0, c1;

	for (int pass = 0; pass < 2; pass++) {
		emit_timestamp(s, &s->ts[0]);
		for (unsigned int i = 0; i < n; i++) {
			emit_write32(s, (uintptr_t)(base + i * SLOT + 64), 0xc0de0000 + i);
			emit_timestamp(s, &s->ts[i + 1]);
		}
		c0 = counters(s);
		svm_run(s, "fault-latency");
		c1 = counters(s);
		for (unsigned int i = 0; i < n; i++) {
			if (*(volatile uint32_t *)(base + i * SLOT + 64) != 0xc0de0000 + i)
				bench_fail(1, "fault-latency: the GPU's WRITE is missing");
			(pass ? nofault : out)[i] = (s->ts[i + 1] - s->ts[i]) / 1e3;
		}
		if (pass == 0 && c1.faults - c0.faults != n)
			printf("info fault-latency: %" PRIu64 " faults for %u pages "
			       "(4k pages mapped %" PRIu64 ")\n",
			       (uint64_t)(c1.faults - c0.faults), n,
			       (uint64_t)(c1.pages_4k - c0.pages_4k));
		if (pass == 1 && c1.faults != c0.faults)
			bench_fail(1, "fault-latency: the second pass faulted");
	}
	munmap(base, n * SLOT);
}

static int bench_fault_latency(int fd, unsigned int faults, unsigned int rounds)
{
	unsigned int per = faults / rounds;
	double *gpu = xcalloc(faults), *uf = xcalloc(faults), *nf = xcalloc(faults);
	struct svm s;

	if (!per)
		bench_fail(2, "--faults must be at least --rounds");
	faults = per * rounds;
	svm_init(&s, fd);
	/* Warm-up: a few faults of each kind, not counted. */
	gpu_round(&s, 8, gpu, nf);
	uffd_round(8, uf);

	/* Rounds ABBA: GPU, uffd, uffd, GPU, ... */
	for (unsigned int r = 0; r < rounds; r++) {
		for (int k = 0; k < 2; k++) {
			bool g = (k == 0) == (r % 2 == 0);

			if (g)
				gpu_round(&s, per, gpu + r * per, nf + r * per);
			else
				uffd_round(per, uf + r * per);
		}
	}
	{
		double gm = median(gpu, faults), gp = percentile(gpu, faults, 99);
		double um = median(uf, faults), up = percentile(uf, faults, 99);
		double nm = median(nf, faults);

		printf("info note: fault-latency: %u faults of each in %u rounds (ABBA); "
		       "gpu median %.1f us p99 %.1f us min %.1f us; userfaultfd median "
		       "%.1f us p99 %.1f us min %.1f us; the same GPU steps without a "
		       "fault: median %.1f us\n", faults, rounds, gm, gp, gpu[0], um,
		       up, uf[0], nm);
		printf("value fault-latency.gpu %.1f us\n", gm);
		printf("value fault-latency.uffd %.1f us\n", um);
	}
	return 0;
}

/*
 * prefetch: VM_BIND PREFETCH of @size bytes of populated memory (a fresh
 * VM each run, so nothing is mapped yet) vs memcpy() of @size bytes.
 */
static int bench_prefetch(int fd, uint64_t size, unsigned int runs, bool thp)
{
	const char *name = thp ? "prefetch-thp" : "prefetch-4k";
	double *gpu = xcalloc(runs), *cpu = xcalloc(runs);
	uint8_t *buf = map_anon_2m(size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	uint8_t *dst = map_anon_2m(size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	uint64_t huge_min = UINT64_MAX;

	touch(buf, size, 0x11);
	touch(dst, size, 0x22);
	printf("info %s: %" PRIu64 " bytes, THP %s, %s\n", name, size, thp_mode(),
	       thp ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE");

	for (unsigned int r = 0; r <= runs; r++) {
		struct svm s = { .fd = fd };
		struct drm_svmgpu_svm_counters c;
		uint64_t mapped, huge, t0, tg, tc;

		s.vm = svm_vm_create(fd);
		t0 = bench_now_ns();
		prefetch(&s, buf, size);
		tg = bench_now_ns() - t0;
		c = counters(&s);
		snapshot_count(fd, s.vm, buf, size, &mapped, &huge);
		vm_destroy(fd, s.vm);
		if (mapped != size / PAGE)
			bench_fail(1, "%s: %" PRIu64 " of %" PRIu64 " pages mapped after the prefetch",
			     name, mapped, size / PAGE);

		buf[0] ^= 1;	/* the copy moves what is there now */
		t0 = bench_now_ns();
		memcpy(dst, buf, size);
		tc = bench_now_ns() - t0;
		if (((volatile uint8_t *)dst)[0] != buf[0])
			bench_fail(1, "%s: memcpy did not copy", name);

		printf("info %s run %u%s prefetch %.1f ms (4k pages %" PRIu64
		       ", 2m pages %" PRIu64 ", %" PRIu64 " of %" PRIu64
		       " pages in 2 MiB leaves) memcpy %.1f ms\n", name, r,
		       r ? "" : " (warm-up, not counted)", tg / 1e6,
		       (uint64_t)c.pages_4k, (uint64_t)c.pages_2m, huge, mapped,
		       tc / 1e6);
		if (!r)
			continue;
		huge_min = huge < huge_min ? huge : huge_min;
		gpu[r - 1] = tg / 1e6;
		cpu[r - 1] = tc / 1e6;
	}
	if (thp && huge_min != size / PAGE)
		printf("info note: %s: THP was not available (THP %s): %" PRIu64
		       " of %" PRIu64 " pages in 2 MiB GPU leaves, so this measured "
		       "(partly) 4 KiB pages\n", name, thp_mode(), huge_min, size / PAGE);
	if (!thp && huge_min)
		bench_fail(1, "%s: %" PRIu64 " pages in 2 MiB leaves despite MADV_NOHUGEPAGE",
		     name, huge_min);
	printf("info note: %s: medians of %u runs of %" PRIu64 " MiB, each in a "
	       "fresh VM; %" PRIu64 " of %" PRIu64 " pages in 2 MiB GPU leaves\n",
	       name, runs, size >> 20, huge_min, size / PAGE);
	printf("value %s.prefetch %.2f ms\n", name, median(gpu, runs));
	printf("value %s.memcpy %.2f ms\n", name, median(cpu, runs));
	munmap(buf, size);
	munmap(dst, size);
	return 0;
}

/* Waits until the GC destroyed @target ranges in all; ns waited. */
static uint64_t wait_gc(struct svm *s, uint64_t target)
{
	uint64_t t0 = bench_now_ns();

	while (counters(s).ranges_gc < target) {
		if (bench_now_ns() - t0 > 10000000000ull)
			bench_fail(1, "munmap: the GC did not destroy the ranges within 10 s");
		usleep(200);
	}
	return bench_now_ns() - t0;
}

/*
 * munmap: munmap() of @size bytes of populated memory the GPU has mapped
 * (prefetched) vs munmap() of as much populated memory the GPU never
 * touched, in a 512 MiB-aligned slice of its own so no notifier region of
 * the VM covers it. 4 KiB pages (MADV_NOHUGEPAGE) on both sides.
 */
#define SETTLE_US	100000

/* Every run's number, for run-bench to pool over several processes. */
static void print_samples(const char *key, const double *v, unsigned int n)
{
	printf("samples %s", key);
	for (unsigned int i = 0; i < n; i++)
		printf(" %.3f", v[i]);
	printf("\n");
}

static int bench_munmap(int fd, uint64_t size, unsigned int runs, bool samples)
{
	const uint64_t slice = 512ull << 20;
	double *gpu = xcalloc(runs), *cpu = xcalloc(runs);
	uint8_t *resv, *aligned;
	uint64_t inval = 0;
	struct svm s;

	if (size > slice)
		bench_fail(2, "--size must be at most 512 MiB");
	/* Two 512 MiB slices, reserved: GPU side in one, CPU side in the other. */
	resv = mmap(NULL, 3 * slice, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED)
		bench_fail(1, "mmap of the reservation failed: %s", strerror(errno));
	aligned = (uint8_t *)(((uintptr_t)resv + slice - 1) & ~(slice - 1));
	svm_init(&s, fd);

	for (unsigned int r = 0; r <= runs; r++) {
		struct drm_svmgpu_svm_counters c0 = {}, c1 = {};
		uint64_t t0, tg = 0, tc = 0, gc = 0;
		uint8_t *g, *m;

		g = mmap(aligned, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		m = mmap(aligned + slice, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (g == MAP_FAILED || m == MAP_FAILED)
			bench_fail(1, "mmap failed: %s", strerror(errno));
		madvise(g, size, MADV_NOHUGEPAGE);
		madvise(m, size, MADV_NOHUGEPAGE);
		touch(g, size, 1);
		touch(m, size, 2);
		prefetch(&s, g, size);

		/*
		 * Alternating which goes first; the mirrored side's GC work
		 * (after its munmap, asynchronous) is waited for before the
		 * other side runs, so it slows neither. Each side starts after
		 * the same settling pause: what the kernel defers after a
		 * munmap or the set-up (freeing batches, RCU, vmstat and LRU
		 * work) must not land in the other side's time, which made
		 * whichever side went second the slower one.
		 */
		for (int k = 0; k < 2; k++) {
			usleep(SETTLE_US);
			if ((k == 0) == (r % 2 == 0)) {
				c0 = counters(&s);
				t0 = bench_now_ns();
				if (munmap(g, size))
					bench_fail(1, "munmap failed: %s", strerror(errno));
				tg = bench_now_ns() - t0;
				c1 = counters(&s);
				gc = wait_gc(&s, c0.ranges_gc + (c1.invalidations -
								c0.invalidations));
			} else {
				t0 = bench_now_ns();
				if (munmap(m, size))
					bench_fail(1, "munmap failed: %s", strerror(errno));
				tc = bench_now_ns() - t0;
			}
		}

		printf("info munmap run %u%s mapped %.2f ms (invalidations %" PRIu64
		       ", ranges destroyed by the GC %.2f ms after munmap returned) "
		       "unmirrored %.2f ms\n", r, r ? "" : " (warm-up, not counted)",
		       tg / 1e6, (uint64_t)(c1.invalidations - c0.invalidations),
		       gc / 1e6, tc / 1e6);
		inval = c1.invalidations - c0.invalidations;
		/* Back to PROT_NONE reservations for the next run. */
		mmap(aligned, size, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
		mmap(aligned + slice, size, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
		if (!r)
			continue;
		gpu[r - 1] = tg / 1e6;
		cpu[r - 1] = tc / 1e6;
	}
	printf("info note: munmap: medians of %u runs of %" PRIu64 " MiB, 4 KiB "
	       "pages; the mirrored side's munmap invalidated %" PRIu64 " GPU ranges "
	       "per run (their teardown by the GC worker is not timed, and waited for before the other side runs; each side starts after a %d ms pause)\n", runs,
	       size >> 20, inval, SETTLE_US / 1000);
	if (samples) {
		print_samples("munmap.mirrored", gpu, runs);
		print_samples("munmap.unmirrored", cpu, runs);
	}
	printf("value munmap.mirrored %.3f ms\n", median(gpu, runs));
	printf("value munmap.unmirrored %.3f ms\n", median(cpu, runs));
	return 0;
}

/* copy ------------------------------------------------------------------ */

static uint32_t bo_create_bind(struct svm *s, uint64_t va, uint64_t size, void **map)
{
	struct drm_svmgpu_gem_create cr = { .size = size };
	struct drm_svmgpu_gem_mmap_offset mo = {};
	int ret;

	bench_ioctl(s->fd, DRM_IOCTL_SVMGPU_GEM_CREATE, &cr, "GEM_CREATE");
	mo.handle = cr.handle;
	bench_ioctl(s->fd, DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, &mo, "GEM_MMAP_OFFSET");
	*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, mo.offset);
	if (*map == MAP_FAILED)
		bench_fail(1, "mmap of a BO failed: %s", strerror(errno));
	ret = bind_op(s->fd, s->vm, DRM_SVMGPU_VM_BIND_OP_MAP, va, size, cr.handle);
	if (ret)
		bench_fail(1, "VM_BIND MAP failed: %s", strerror(-ret));
	return cr.handle;
}

static int bench_copy(int fd, uint64_t size, unsigned int runs, bool nohuge,
		      bool aligned, long bo_offset, bool samples)
{
	double *svm = xcalloc(runs), *bo = xcalloc(runs);
	uint64_t *src, *dst, *bsrc, *bdst;
	uint64_t bo_size = size + PAGE, va_src = VA_BO;
	uint64_t va_dst = VA_BO + ((bo_size + SZ_2M - 1) & ~(SZ_2M - 1));
	uint64_t off;
	struct drm_svmgpu_svm_counters c0, c1;
	struct svm s;

	svm_init(&s, fd);
	if (aligned) {
		/* Both 2 MiB aligned: THP pages at the same phase (see docs). */
		src = map_anon_2m(size, nohuge ? MADV_NOHUGEPAGE : -1);
		dst = map_anon_2m(size, nohuge ? MADV_NOHUGEPAGE : -1);
	} else {
		/* Plain malloc(): glibc mmap()s each, 16 bytes in. */
		src = malloc(size);
		dst = malloc(size);
		if (!src || !dst)
			bench_fail(1, "malloc of %" PRIu64 " bytes failed", size);
		if (nohuge) {
			madvise((void *)((uintptr_t)src & ~(PAGE - 1)), size, MADV_NOHUGEPAGE);
			madvise((void *)((uintptr_t)dst & ~(PAGE - 1)), size, MADV_NOHUGEPAGE);
		}
	}
	/*
	 * "The same COPY": by default the BO copy starts at the same offset
	 * in its page as the malloc'd buffers (malloc returns 16 bytes in),
	 * so the two differ only in what translates the addresses.
	 */
	off = bo_offset >= 0 ? (uint64_t)bo_offset : (uintptr_t)src & (PAGE - 1);
	if (off >= PAGE || off % 8 || ((uintptr_t)dst & (PAGE - 1)) != ((uintptr_t)src & (PAGE - 1)))
		bench_fail(2, "copy: --bo-offset must be a multiple of 8 below 4096, "
		     "and both buffers at the same offset in their pages");
	bo_create_bind(&s, va_src, bo_size, (void **)&bsrc);
	bo_create_bind(&s, va_dst, bo_size, (void **)&bdst);
	bsrc = (uint64_t *)((uint8_t *)bsrc + off);
	bdst = (uint64_t *)((uint8_t *)bdst + off);
	va_src += off;
	va_dst += off;
	for (uint64_t i = 0; i < size / 8; i++)
		src[i] = bsrc[i] = i * 0x9e3779b97f4a7c15ull;
	memset(dst, 0, size);
	memset(bdst, 0, size);
	prefetch_span(&s, src, size);
	prefetch_span(&s, dst, size);
	printf("info copy: %" PRIu64 " bytes, THP %s, %s%s: src %p dst %p; "
	       "BO copy at offset %" PRIu64 " in its page\n", size,
	       thp_mode(), aligned ? "2 MiB-aligned mmap()s" : "malloc()",
	       nohuge ? ", MADV_NOHUGEPAGE" : "", (void *)src, (void *)dst, off);

	c0 = counters(&s);
	/* Order ABBA (svm, bo, bo, svm, ...): neither side always runs first. */
	for (unsigned int r = 0; r <= runs; r++) {
		uint64_t ts = 0, tb = 0, es = 0, eb = 0;

		for (int k = 0; k < 2; k++) {
			if ((k == 0) == (r % 2 == 0)) {
				dst[0] = 0;
				emit_timestamp(&s, &s.ts[0]);
				emit_copy(&s, (uintptr_t)dst, (uintptr_t)src, size);
				emit_timestamp(&s, &s.ts[1]);
				ts = svm_run(&s, "copy (svm)");
				es = s.ts[1] - s.ts[0];
				if (memcmp(dst, src, size))
					bench_fail(1, "copy: the malloc'd destination differs from the source");
			} else {
				bdst[0] = 0;
				emit_timestamp(&s, &s.ts[0]);
				emit_copy(&s, va_dst, va_src, size);
				emit_timestamp(&s, &s.ts[1]);
				tb = svm_run(&s, "copy (bo)");
				eb = s.ts[1] - s.ts[0];
				if (memcmp(bdst, bsrc, size))
					bench_fail(1, "copy: the destination BO differs from the source BO");
			}
		}

		printf("info copy run %u%s svm %.1f MB/s bo %.1f MB/s (the COPY "
		       "command alone, GPU timestamps: svm %.1f ms bo %.1f ms)\n", r,
		       r ? "" : " (warm-up, not counted)", size / 1e3 / (ts / 1e6),
		       size / 1e3 / (tb / 1e6), es / 1e6, eb / 1e6);
		if (!r)
			continue;
		svm[r - 1] = size / 1e3 / (ts / 1e6);
		bo[r - 1] = size / 1e3 / (tb / 1e6);
	}
	c1 = counters(&s);
	{
		uint64_t mapped, huge;

		snapshot_count(fd, s.vm, (void *)((uintptr_t)src & ~(PAGE - 1)),
			       size, &mapped, &huge);
		printf("info note: copy: medians of %u runs (order ABBA); GPU faults during the runs %" PRIu64 "; source %"
		       PRIu64 " of %" PRIu64 " pages in 2 MiB leaves\n",
		       runs, (uint64_t)(c1.faults - c0.faults), huge, mapped);
	}
	if (samples) {
		print_samples("copy.svm", svm, runs);
		print_samples("copy.bo", bo, runs);
	}
	printf("value copy.svm %.1f MB/s\n", median(svm, runs));
	printf("value copy.bo %.1f MB/s\n", median(bo, runs));
	return 0;
}

/* test-hmm ------------------------------------------------------------- */

/* Whether every 64-bit word of @p is @v. */
static bool all_words(const uint64_t *p, uint64_t size, uint64_t v)
{
	for (uint64_t i = 0; i < size / 8; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * test-hmm: the GPU reads @size bytes of fresh anonymous memory (one COPY
 * into a prefetched buffer: its read faults populate the GPU's page table
 * from the zero page, nothing is allocated) vs test_hmm's HMM_DMIRROR_READ
 * of another fresh mapping of @size bytes (the module faults the pages
 * read-only, 64 at a time, copies them to a bounce buffer, then to a
 * populated user buffer). Both mappings are fresh every run.
 */
static int bench_test_hmm(int fd, const char *dev, uint64_t size,
			  unsigned int runs)
{
	double *gpu = xcalloc(runs), *hmm = xcalloc(runs), *cmd_ms = xcalloc(runs);
	uint64_t faults = 0, hfaults = 0, leaves_2m = 0, pages = 0;
	uint64_t *gdst, *hdst;
	struct svm s;
	int hfd;

	hfd = open(dev, O_RDWR | O_CLOEXEC);
	if (hfd < 0)
		bench_fail(2, "cannot open %s (is test_hmm.ko loaded?): %s", dev,
		     strerror(errno));
	svm_init(&s, fd);
	/* The destinations: populated, the GPU's prefetched too. */
	gdst = map_anon(size, -1);
	hdst = map_anon(size, -1);
	touch(gdst, size, 0xee);
	touch(hdst, size, 0xee);
	prefetch(&s, gdst, size);
	printf("info test-hmm: %" PRIu64 " bytes, THP %s, the default policy "
	       "(no madvise); test_hmm device %s\n", size, thp_mode(), dev);

	for (unsigned int r = 0; r <= runs; r++) {
		struct drm_svmgpu_svm_counters c0 = {}, c1 = {};
		struct hmm_dmirror_cmd cmd = {};
		uint64_t t0, tg = 0, th = 0, mapped, huge;
		uint64_t *g, *h;

		memset(gdst, 0xee, size);
		memset(hdst, 0xee, size);
		g = map_anon(size, -1);
		h = map_anon(size, -1);
		/* Alternating which side goes first. */
		for (int k = 0; k < 2; k++) {
			if ((k == 0) == (r % 2 == 0)) {
				c0 = counters(&s);
				emit_timestamp(&s, &s.ts[0]);
				emit_copy(&s, (uintptr_t)gdst, (uintptr_t)g, size);
				emit_timestamp(&s, &s.ts[1]);
				tg = svm_run(&s, "test-hmm (gpu)");
				c1 = counters(&s);
			} else {
				memset(&cmd, 0, sizeof(cmd));
				cmd.addr = (uintptr_t)h;
				cmd.ptr = (uintptr_t)hdst;
				cmd.npages = size / PAGE;
				t0 = bench_now_ns();
				if (ioctl(hfd, HMM_DMIRROR_READ, &cmd))
					bench_fail(1, "HMM_DMIRROR_READ of %" PRIu64 " bytes failed: %s",
					     size, strerror(errno));
				th = bench_now_ns() - t0;
				if (cmd.cpages != size / PAGE)
					bench_fail(1, "HMM_DMIRROR_READ copied %" PRIu64 " of %" PRIu64
					     " pages", (uint64_t)cmd.cpages, size / PAGE);
			}
		}
		if (!all_words(gdst, size, 0))
			bench_fail(1, "test-hmm: the GPU's copy of fresh memory is not all zero");
		if (!all_words(hdst, size, 0))
			bench_fail(1, "test-hmm: test_hmm's copy of fresh memory is not all zero");
		snapshot_count(fd, s.vm, g, size, &mapped, &huge);
		munmap(g, size);
		munmap(h, size);

		printf("info test-hmm run %u%s gpu %.1f ms (COPY alone by GPU "
		       "timestamps %.1f ms; faults %" PRIu64 ", 4k pages %" PRIu64
		       ", 2m pages %" PRIu64 ", %" PRIu64 " of %" PRIu64 " pages in "
		       "2 MiB leaves) test_hmm %.1f ms (faults %" PRIu64 ")%s\n", r,
		       r ? "" : " (warm-up, not counted)", tg / 1e6,
		       (s.ts[1] - s.ts[0]) / 1e6, (uint64_t)(c1.faults - c0.faults),
		       (uint64_t)(c1.pages_4k - c0.pages_4k),
		       (uint64_t)(c1.pages_2m - c0.pages_2m), huge, mapped,
		       th / 1e6, (uint64_t)cmd.faults,
		       r % 2 == 0 ? ", GPU first" : ", test_hmm first");
		if (!r)
			continue;
		faults = c1.faults - c0.faults;
		hfaults = cmd.faults;
		leaves_2m = huge;
		pages = mapped;
		gpu[r - 1] = tg / 1e6;
		hmm[r - 1] = th / 1e6;
		cmd_ms[r - 1] = (s.ts[1] - s.ts[0]) / 1e6;
	}
	printf("info note: test-hmm: medians of %u runs of %" PRIu64 " MiB (order "
	       "alternating); the last run took %" PRIu64 " GPU faults (%" PRIu64
	       " of %" PRIu64 " pages in 2 MiB GPU leaves, THP %s) and %" PRIu64
	       " test_hmm faults; the GPU's COPY alone (GPU timestamps) %.1f ms\n",
	       runs, size >> 20, faults, leaves_2m, pages, thp_mode(), hfaults,
	       median(cmd_ms, runs));
	printf("value test-hmm.gpu %.2f ms\n", median(gpu, runs));
	printf("value test-hmm.test_hmm %.2f ms\n", median(hmm, runs));
	close(hfd);
	munmap(gdst, size);
	munmap(hdst, size);
	return 0;
}

static uint64_t parse_u64(const char *s, const char *opt)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (!*s || *end || v == 0)
		bench_fail(2, "bad value '%s' for %s", s, opt);
	return v;
}

/* Like parse_u64(), but 0 is a valid value. */
static long parse_offset(const char *s, const char *opt)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (!*s || *end || v < 0)
		bench_fail(2, "bad value '%s' for %s", s, opt);
	return v;
}

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
		"usage: %s first-touch [--size BYTES] [--runs N] [--nohuge]\n"
		"       %s fault-latency [--faults N] [--rounds R]\n"
		"       %s prefetch [--size BYTES] [--runs N] [--thp]\n"
		"       %s munmap [--size BYTES] [--runs N] [--samples]\n"
		"       %s copy [--size BYTES] [--runs N] [--nohuge] [--aligned] [--bo-offset N] [--samples]\n"
		"       %s test-hmm [--size BYTES] [--runs N] [--dev PATH]\n",
		bench_prog, bench_prog, bench_prog, bench_prog, bench_prog, bench_prog);
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t size = 0;
	unsigned int runs = 0, faults = 1000, rounds = 4;
	bool thp = false, nohuge = false, aligned = false, samples = false;
	long bo_offset = -1;
	const char *mode, *dev = "/dev/hmm_dmirror0";
	int fd;

	if (argc < 2)
		usage();
	mode = argv[1];
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--thp")) {
			thp = true;
			continue;
		}
		if (!strcmp(argv[i], "--samples")) {
			samples = true;
			continue;
		}
		if (!strcmp(argv[i], "--aligned")) {
			aligned = true;
			continue;
		}
		if (!strcmp(argv[i], "--nohuge")) {
			nohuge = true;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--size"))
			size = parse_u64(argv[++i], "--size");
		else if (!strcmp(argv[i], "--runs"))
			runs = parse_u64(argv[++i], "--runs");
		else if (!strcmp(argv[i], "--faults"))
			faults = parse_u64(argv[++i], "--faults");
		else if (!strcmp(argv[i], "--rounds"))
			rounds = parse_u64(argv[++i], "--rounds");
		else if (!strcmp(argv[i], "--bo-offset"))
			bo_offset = parse_offset(argv[++i], "--bo-offset");
		else if (!strcmp(argv[i], "--dev"))
			dev = argv[++i];
		else
			usage();
	}
	if (size % SZ_2M)
		bench_fail(2, "--size must be a multiple of 2 MiB");
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = bench_open_svmgpu(DRM_SVMGPU_FEATURE_FAULT_MODE,
			       "the svmgpu driver has no fault-mode VMs");
	if (!strcmp(mode, "first-touch"))
		return bench_first_touch(fd, size ? size : 64ull << 20, runs ? runs : 5,
					 nohuge);
	if (!strcmp(mode, "fault-latency"))
		return bench_fault_latency(fd, faults, rounds);
	if (!strcmp(mode, "prefetch"))
		return bench_prefetch(fd, size ? size : 256ull << 20, runs ? runs : 3, thp);
	if (!strcmp(mode, "munmap"))
		return bench_munmap(fd, size ? size : 64ull << 20, runs ? runs : 9,
				    samples);
	if (!strcmp(mode, "copy"))
		return bench_copy(fd, size ? size : 64ull << 20, runs ? runs : 9, nohuge,
				  aligned, bo_offset, samples);
	if (!strcmp(mode, "test-hmm"))
		return bench_test_hmm(fd, dev, size ? size : 64ull << 20,
				      runs ? runs : 5);
	usage();
}
