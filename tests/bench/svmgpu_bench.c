// SPDX-License-Identifier: MIT
/*
 * svmgpu_bench - svmgpu's own half of the benchmarks of docs/benchmarks.md.
 *
 *   svmgpu_bench bo-copy [--size BYTES] [--runs N] [--samples]
 *       GPU COPY between two BOs bound in one VM, timed from EXEC to the
 *       out-syncobj signalled, and memcpy() between the CPU mappings of the
 *       same two BOs, runs interleaved (one warm-up of each first);
 *       --samples also prints every run's numbers (run-bench pools them).
 *   svmgpu_bench submit-empty [--jobs N] [--samples]
 *       An empty batch (one END command) submitted N times one after
 *       another, each timed from EXEC to the out-syncobj signalled;
 *       --samples also prints every job's time (run-bench pools them).
 *
 * Uses raw ioctls and libdrm's syncobj calls only. Prints its results as
 * "value NAME NUMBER UNIT" lines (and "info ..." lines for diagnostics)
 * for tests/bench/run-bench, which pairs them with their baselines. Exits
 * 0 when every measurement ran and checked out, 1 on an error (EXEC
 * refused, a job failed or timed out, wrong data), 2 when there is no
 * svmgpu device, with the reason on stderr.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "svmgpu_drm.h"
#include "drm_bench_util.h"
#include "hw/svmgpu_cmd.h"

/* GPU virtual addresses: 2 MiB aligned so the MMU may use large pages. */
#define VA_BATCH	(1ull << 32)
#define VA_SRC		(2ull << 32)
#define VA_DST		(3ull << 32)
#define BATCH_SIZE	4096u
/* Longer than the kernel's job timeout (2 s by default), so a hung job
 * shows up as the kernel's error rather than ours. */
#define WAIT_TIMEOUT_NS	(30ull * 1000000000ull)

const char *bench_prog = "svmgpu_bench";

/* A BO mapped by the CPU and bound at @va in the VM. */
struct buf {
	uint32_t handle;
	uint64_t va, size;
	void *map;
};

struct ctx {
	int fd;
	uint32_t vm, queue;
	struct buf batch;
};

static void buf_init(struct ctx *c, struct buf *b, uint64_t va, uint64_t size)
{
	struct drm_svmgpu_gem_create cr = { .size = size };
	struct drm_svmgpu_gem_mmap_offset mo = {};
	struct drm_svmgpu_vm_bind_op op = {
		.op = DRM_SVMGPU_VM_BIND_OP_MAP, .va = va, .size = size,
	};
	struct drm_svmgpu_vm_bind bind = {
		.vm_id = c->vm,
		.ops = { .stride = sizeof(op), .count = 1, .array = (uintptr_t)&op },
	};

	bench_ioctl(c->fd, DRM_IOCTL_SVMGPU_GEM_CREATE, &cr, "GEM_CREATE");
	mo.handle = op.handle = cr.handle;
	bench_ioctl(c->fd, DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, &mo, "GEM_MMAP_OFFSET");
	b->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
		      mo.offset);
	if (b->map == MAP_FAILED)
		bench_fail(1, "mmap of a %" PRIu64 "-byte BO failed: %s", size,
		     strerror(errno));
	bench_ioctl(c->fd, DRM_IOCTL_SVMGPU_VM_BIND, &bind, "VM_BIND");
	b->handle = cr.handle;
	b->va = va;
	b->size = size;
}

static void ctx_init(struct ctx *c)
{
	struct drm_svmgpu_vm_create vm = {};
	struct drm_svmgpu_queue_create q = {};

	c->fd = bench_open_svmgpu(0, "");
	bench_ioctl(c->fd, DRM_IOCTL_SVMGPU_VM_CREATE, &vm, "VM_CREATE");
	c->vm = vm.vm_id;
	q.vm_id = c->vm;
	q.engine = 0;
	bench_ioctl(c->fd, DRM_IOCTL_SVMGPU_QUEUE_CREATE, &q, "QUEUE_CREATE");
	c->queue = q.queue_id;
	buf_init(c, &c->batch, VA_BATCH, BATCH_SIZE);
}

/* Appends a command to @cs; returns the next free dword. */
static uint32_t *emit(uint32_t *cs, uint32_t op, unsigned int n,
		      const uint64_t *operands)
{
	*cs++ = SVMGPU_CMD_HEADER(op, 0, 2 + 2 * n);
	*cs++ = 0;
	for (unsigned int i = 0; i < n; i++) {
		*cs++ = (uint32_t)operands[i];
		*cs++ = (uint32_t)(operands[i] >> 32);
	}
	return cs;
}

static uint64_t batch_bytes(struct ctx *c, const uint32_t *end)
{
	return (uint64_t)((const uint8_t *)end - (const uint8_t *)c->batch.map);
}

/* Submits the batch; the job's completion signals @syncobj. */
static void exec(struct ctx *c, uint64_t size, uint32_t syncobj,
		 struct drm_svmgpu_exec_bo *bos, uint32_t nr_bos)
{
	struct drm_svmgpu_sync out = {
		.flags = DRM_SVMGPU_SYNC_SIGNAL, .handle = syncobj,
	};
	struct drm_svmgpu_exec args = {
		.queue_id = c->queue,
		.batch_address = c->batch.va,
		.batch_size = size,
		.syncs = { .stride = sizeof(out), .count = 1, .array = (uintptr_t)&out },
		.bos = { .stride = sizeof(*bos), .count = nr_bos, .array = (uintptr_t)bos },
	};

	if (drmIoctl(c->fd, DRM_IOCTL_SVMGPU_EXEC, &args))
		bench_fail(1, "DRM_IOCTL_SVMGPU_EXEC failed: %s (errno %d)%s",
		     strerror(errno), errno,
		     errno == ENOTTY ? ": the kernel has no EXEC ioctl" : "");
}

static void wait_syncobj(struct ctx *c, uint32_t syncobj)
{
	int ret = drmSyncobjWait(c->fd, &syncobj, 1,
				 (int64_t)(bench_now_ns() + WAIT_TIMEOUT_NS), 0, NULL);

	if (ret == -ETIME)
		bench_fail(1, "the job's out-syncobj did not signal within %llu s",
		     WAIT_TIMEOUT_NS / 1000000000ull);
	if (ret)
		bench_fail(1, "drmSyncobjWait failed: %s%s", strerror(-ret),
		     ret == -EINVAL ? " (EXEC attached no fence to the out-syncobj)" : "");
}

/* After the wait: the job's fence status (0, or the job's -errno). */
static void check_job(struct ctx *c, uint32_t syncobj, const char *what)
{
	struct sync_file_info info = {};
	struct drm_svmgpu_queue_get_state st = { .queue_id = c->queue };
	int sf;

	if (drmSyncobjExportSyncFile(c->fd, syncobj, &sf))
		bench_fail(1, "exporting the out-syncobj as a sync_file failed: %s",
		     strerror(errno));
	if (ioctl(sf, SYNC_IOC_FILE_INFO, &info))
		bench_fail(1, "SYNC_IOC_FILE_INFO failed: %s", strerror(errno));
	close(sf);
	bench_ioctl(c->fd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE, &st, "QUEUE_GET_STATE");
	if (info.status < 0 || st.state)
		bench_fail(1, "%s: the job failed (fence status %d: %s; queue state 0x%x, "
		     "error %u, fault reason %u at 0x%" PRIx64 ")", what,
		     info.status, info.status < 0 ? strerror(-info.status) : "ok",
		     st.state, st.error, st.fault_reason,
		     (uint64_t)st.fault_address);
	if (info.status == 0)
		bench_fail(1, "%s: the out-syncobj's fence is not signalled after the wait",
		     what);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @v; median, and the nearest-rank percentile @p (0-100). */
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

static uint64_t parse_u64(const char *s, const char *opt)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (!*s || *end || v == 0)
		bench_fail(2, "bad value '%s' for %s", s, opt);
	return v;
}

/*
 * bo-copy: GPU COPY of @size bytes from one BO to another vs memcpy()
 * between the same BOs' CPU mappings. Each run of either is timed alone;
 * runs alternate so drift in the VM hits both alike.
 */
static int bench_bo_copy(uint64_t size, unsigned int runs, bool samples)
{
	struct ctx c;
	struct buf src, dst;
	struct drm_svmgpu_exec_bo bos[2];
	double *gpu = calloc(runs, sizeof(double));
	double *cpu = calloc(runs, sizeof(double));
	double gpu_best = 0, cpu_best = 0;
	uint32_t syncobj, *cs;
	uint64_t bsize, *s64;

	if (!gpu || !cpu)
		bench_fail(1, "out of memory");
	if (size % 8)
		bench_fail(2, "--size must be a multiple of 8");
	ctx_init(&c);
	buf_init(&c, &src, VA_SRC, size);
	buf_init(&c, &dst, VA_DST, size);
	bos[0] = (struct drm_svmgpu_exec_bo){ .handle = src.handle };
	bos[1] = (struct drm_svmgpu_exec_bo){ .handle = dst.handle,
					      .flags = DRM_SVMGPU_EXEC_BO_WRITE };

	/* Pre-fault both mappings (all of a BO is allocated at first touch)
	 * and give the source a pattern to check the copies against. */
	s64 = src.map;
	for (uint64_t i = 0; i < size / 8; i++)
		s64[i] = i * 0x9e3779b97f4a7c15ull;
	memset(dst.map, 0, size);

	/* One COPY command: its size operand is 64 bits, so one command
	 * copies all of it (the engine splits it into steps itself). */
	cs = emit(c.batch.map, SVMGPU_OP_COPY, 3, (uint64_t[]){ dst.va, src.va, size });
	cs = emit(cs, SVMGPU_OP_END, 0, NULL);
	bsize = batch_bytes(&c, cs);

	if (drmSyncobjCreate(c.fd, 0, &syncobj))
		bench_fail(1, "drmSyncobjCreate failed: %s", strerror(errno));

	/* Run 0 is the warm-up: the first GPU use of the BOs pins their
	 * pages and fills the MMU's page tables. */
	for (unsigned int r = 0; r <= runs; r++) {
		uint64_t t0, t1;
		double g, m;

		memset(dst.map, 0, 4096);
		drmSyncobjReset(c.fd, &syncobj, 1);
		t0 = bench_now_ns();
		exec(&c, bsize, syncobj, bos, 2);
		wait_syncobj(&c, syncobj);
		t1 = bench_now_ns();
		check_job(&c, syncobj, "bo-copy");
		if (memcmp(dst.map, src.map, size))
			bench_fail(1, "bo-copy: the destination BO differs from the source after the GPU COPY");
		g = size / 1e6 / ((t1 - t0) / 1e9);

		memset(dst.map, 0, 4096);
		t0 = bench_now_ns();
		memcpy(dst.map, src.map, size);
		t1 = bench_now_ns();
		if (((volatile uint64_t *)dst.map)[size / 8 - 1] != s64[size / 8 - 1])
			bench_fail(1, "bo-copy: memcpy did not copy");
		m = size / 1e6 / ((t1 - t0) / 1e9);

		printf("info bo-copy run %u%s gpu %.1f MB/s memcpy %.1f MB/s\n",
		       r, r ? "" : " (warm-up, not counted)", g, m);
		if (!r)
			continue;
		gpu[r - 1] = g;
		cpu[r - 1] = m;
		gpu_best = g > gpu_best ? g : gpu_best;
		cpu_best = m > cpu_best ? m : cpu_best;
	}
	printf("info bo-copy size %" PRIu64 " bytes, %u runs, best gpu %.1f MB/s memcpy %.1f MB/s\n",
	       size, runs, gpu_best, cpu_best);
	if (samples) {
		printf("samples bo-copy.gpu");
		for (unsigned int r = 0; r < runs; r++)
			printf(" %.1f", gpu[r]);
		printf("\nsamples bo-copy.memcpy");
		for (unsigned int r = 0; r < runs; r++)
			printf(" %.1f", cpu[r]);
		printf("\n");
	}
	printf("value bo-copy.gpu %.1f MB/s\n", median(gpu, runs));
	printf("value bo-copy.memcpy %.1f MB/s\n", median(cpu, runs));
	return 0;
}

/* submit-empty: EXEC of a batch holding one END, waited for, @jobs times. */
static int bench_submit_empty(unsigned int jobs, bool samples)
{
	const unsigned int warmup = 20;
	double *lat = calloc(jobs, sizeof(double));
	double *ioc = calloc(jobs, sizeof(double));
	struct ctx c;
	uint32_t syncobj, *cs;
	uint64_t bsize;

	if (!lat || !ioc)
		bench_fail(1, "out of memory");
	ctx_init(&c);
	cs = emit(c.batch.map, SVMGPU_OP_END, 0, NULL);
	bsize = batch_bytes(&c, cs);
	if (drmSyncobjCreate(c.fd, 0, &syncobj))
		bench_fail(1, "drmSyncobjCreate failed: %s", strerror(errno));

	for (unsigned int i = 0; i < warmup + jobs; i++) {
		uint64_t t0, t1, t2;

		/* Outside the timed part, as vkResetFences is in the baseline. */
		drmSyncobjReset(c.fd, &syncobj, 1);
		t0 = bench_now_ns();
		exec(&c, bsize, syncobj, NULL, 0);
		t1 = bench_now_ns();
		wait_syncobj(&c, syncobj);
		t2 = bench_now_ns();
		if (i == 0)
			check_job(&c, syncobj, "submit-empty");
		if (i < warmup)
			continue;
		lat[i - warmup] = (t2 - t0) / 1e3;
		ioc[i - warmup] = (t1 - t0) / 1e3;
	}
	check_job(&c, syncobj, "submit-empty");

	if (samples) {
		printf("samples submit-empty");
		for (unsigned int i = 0; i < jobs; i++)
			printf(" %.1f", lat[i]);
		printf("\n");
	}
	{
		double med = median(lat, jobs);	/* sorts lat */
		double p99 = percentile(lat, jobs, 99);

		printf("info submit-empty %u jobs after %u warm-up: min %.1f us, "
		       "max %.1f us; EXEC ioctl alone: median %.1f us\n", jobs,
		       warmup, lat[0], lat[jobs - 1], median(ioc, jobs));
		printf("value submit-empty.median %.1f us\n", med);
		printf("value submit-empty.p99 %.1f us\n", p99);
	}
	return 0;
}

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr, "usage: %s bo-copy [--size BYTES] [--runs N] [--samples]\n"
			"       %s submit-empty [--jobs N] [--samples]\n", bench_prog, bench_prog);
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t size = 64ull << 20;
	unsigned int runs = 9, jobs = 1000;
	bool samples = false;

	if (argc < 2)
		usage();
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--samples")) {
			samples = true;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--size"))
			size = parse_u64(argv[++i], "--size");
		else if (!strcmp(argv[i], "--runs"))
			runs = parse_u64(argv[++i], "--runs");
		else if (!strcmp(argv[i], "--jobs"))
			jobs = parse_u64(argv[++i], "--jobs");
		else
			usage();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "bo-copy"))
		return bench_bo_copy(size, runs, samples);
	if (!strcmp(argv[1], "submit-empty"))
		return bench_submit_empty(jobs, samples);
	usage();
}
