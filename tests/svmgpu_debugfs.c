// SPDX-License-Identifier: MIT
/*
 * svmgpu_debugfs - the device's debugfs files: engines, pgtable, faults
 * and counters.
 *
 * Reads every debugfs file of the device and checks its format
 * (docs/debugfs.md), runs known workloads and checks that the counters,
 * the engine registers, the fault log and the page-table dump report
 * exactly what happened. Needs root (debugfs); the VM runs tests as
 * root.
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

IGT_TEST_DESCRIPTION("debugfs: engines, page-table dump, fault log and counters.");

#define VA_BATCH	(1ull << 32)
#define VA_DATA		(2ull << 32)
#define VA_UNBOUND	(3ull << 32)
#define VA_TEST		(4ull << 32)	/* 1 GiB aligned */
#define BO_SIZE		(64u << 10)
#define SZ_2M		(2u << 20)
#define FAULT_LOG_SIZE	64

/* --- debugfs access ---------------------------------------------------- */

static int debugfs_dir(int fd)
{
	return igt_debugfs_dir_for(fd);
}

/* The whole content of a debugfs file, NUL-terminated; NULL with errno. */
static char *__dfs_read(int dir, const char *name)
{
	size_t size = 4096, len = 0;
	char *buf = malloc(size);
	int file = openat(dir, name, O_RDONLY);
	ssize_t n;

	igt_assert(buf);
	if (file < 0) {
		int err = errno;

		free(buf);
		errno = err;
		return NULL;
	}
	for (;;) {
		if (len + 1 >= size) {
			size *= 2;
			buf = realloc(buf, size);
			igt_assert(buf);
		}
		n = read(file, buf + len, size - len - 1);
		if (n < 0) {
			int err = errno;

			close(file);
			free(buf);
			errno = err;
			return NULL;
		}
		if (!n)
			break;
		len += n;
	}
	close(file);
	buf[len] = '\0';
	return buf;
}

static char *dfs_read(int dir, const char *name)
{
	char *text = __dfs_read(dir, name);

	igt_assert_f(text, "reading debugfs %s: %s\n", name, strerror(errno));
	return text;
}

/* One write of @text to a debugfs file: 0 or -errno. */
static int dfs_write(int dir, const char *name, const char *text)
{
	int file = openat(dir, name, O_WRONLY);
	ssize_t n;
	int err;

	igt_assert_f(file >= 0, "opening debugfs %s: %s\n", name, strerror(errno));
	n = write(file, text, strlen(text));
	err = n < 0 ? -errno : 0;
	close(file);
	if (!err)
		igt_assert_eq((int)n, (int)strlen(text));
	return err;
}

/* --- parsing ----------------------------------------------------------- */

/* The value of "name value" in @text (the counters file). */
static uint64_t counter_of(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == ' ')
			return strtoull(p + len + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	igt_assert_f(false, "counter %s missing\n", name);
	return 0;
}

static const char *const counter_names[] = {
	"jobs_submitted", "jobs_completed", "jobs_failed", "resets", "faults",
	"binds", "unbinds", "pages_mapped_4k", "pages_mapped_2m",
	"pages_mapped_1g", "tlb_invalidations", "interrupts", "faults_dropped",
};
#define NUM_COUNTERS (sizeof(counter_names) / sizeof(counter_names[0]))

struct counters {
	uint64_t v[NUM_COUNTERS];
};

static unsigned int counter_index(const char *name)
{
	for (unsigned int i = 0; i < NUM_COUNTERS; i++)
		if (!strcmp(counter_names[i], name))
			return i;
	igt_assert_f(false, "unknown counter %s\n", name);
	return 0;
}

static void read_counters(int dir, struct counters *c)
{
	char *text = dfs_read(dir, "counters");

	for (unsigned int i = 0; i < NUM_COUNTERS; i++)
		c->v[i] = counter_of(text, counter_names[i]);
	free(text);
}

static uint64_t delta(const struct counters *before,
		      const struct counters *after, const char *name)
{
	unsigned int i = counter_index(name);

	return after->v[i] - before->v[i];
}

/*
 * The value of "key=value" in a line of space-separated pairs, copied to
 * @out; false if the key is absent.
 */
static bool kv_get(const char *line, const char *key, char *out, size_t size)
{
	size_t len = strlen(key);
	const char *p = line;

	while (*p && *p != '\n') {
		const char *end = p + strcspn(p, " \n");

		if (!strncmp(p, key, len) && p[len] == '=') {
			size_t n = end - (p + len + 1);

			igt_assert_lt((int)n, (int)size);
			memcpy(out, p + len + 1, n);
			out[n] = '\0';
			return true;
		}
		p = end;
		while (*p == ' ')
			p++;
	}
	return false;
}

static uint64_t kv_u64(const char *line, const char *key)
{
	char value[64], *end;
	uint64_t v;

	igt_assert_f(kv_get(line, key, value, sizeof(value)),
		     "no %s= in \"%.*s\"\n", key, (int)strcspn(line, "\n"), line);
	v = strtoull(value, &end, 0);
	igt_assert_f(*value && !*end, "%s=%s is not a number\n", key, value);
	return v;
}

/* The line of engine @n in the engines file. */
static const char *engine_line(const char *text, unsigned int n)
{
	const char *p = text;

	while (p && *p) {
		char value[16];

		if (kv_get(p, "engine", value, sizeof(value)) &&
		    strtoul(value, NULL, 10) == n)
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	igt_assert_f(false, "engine %u missing from engines\n", n);
	return NULL;
}

struct engine_info {
	char state[16], hw[16], slot[16];
	uint64_t jobs, cmds, tlb_hits, tlb_misses, tlb_invalidations;
	uint64_t faults, resets;
};

static void read_engine(int dir, unsigned int n, struct engine_info *e)
{
	char *text = dfs_read(dir, "engines");
	const char *line = engine_line(text, n);

	igt_assert(kv_get(line, "state", e->state, sizeof(e->state)));
	igt_assert(kv_get(line, "hw", e->hw, sizeof(e->hw)));
	igt_assert(kv_get(line, "slot", e->slot, sizeof(e->slot)));
	e->jobs = kv_u64(line, "jobs");
	e->cmds = kv_u64(line, "cmds");
	e->tlb_hits = kv_u64(line, "tlb_hits");
	e->tlb_misses = kv_u64(line, "tlb_misses");
	e->tlb_invalidations = kv_u64(line, "tlb_invalidations");
	e->faults = kv_u64(line, "faults");
	e->resets = kv_u64(line, "resets");
	free(text);
}

/* The last line of the fault log, "" if it is empty. */
static char *last_fault(int dir, unsigned int *lines)
{
	char *text = dfs_read(dir, "faults");
	char *last = text, *p;
	unsigned int n = 0;

	for (p = text; *p; p = strchr(p, '\n') + 1) {
		igt_assert(strchr(p, '\n'));
		last = p;
		n++;
	}
	if (lines)
		*lines = n;
	p = strdup(last);
	igt_assert(p);
	free(text);
	return p;
}

/* The DRM client id of @fd, from its fdinfo. */
static uint64_t client_id(int fd)
{
	char path[64], line[256];
	uint64_t id = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "drm-client-id: %" SCNu64, &id) == 1)
			found = true;
	fclose(f);
	igt_assert_f(found, "no drm-client-id in %s\n", path);
	return id;
}

/* --- device helpers ---------------------------------------------------- */

struct buf {
	uint32_t handle;
	uint64_t va, size;
	void *map;
};

struct ctx {
	int fd;
	uint32_t vm, queue;
	struct buf batch, data;
	uint32_t *cs;
};

static void buf_init(struct ctx *c, struct buf *b, uint64_t va)
{
	b->handle = igt_svmgpu_bo_create(c->fd, BO_SIZE);
	b->va = va;
	b->size = BO_SIZE;
	b->map = igt_svmgpu_bo_mmap(c->fd, b->handle, BO_SIZE);
	igt_svmgpu_vm_map(c->fd, c->vm, b->handle, va, BO_SIZE, 0);
}

static void ctx_init(struct ctx *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->vm = igt_svmgpu_vm_create(fd, 0);
	c->queue = igt_svmgpu_queue_create(fd, c->vm, 0);
	buf_init(c, &c->batch, VA_BATCH);
	buf_init(c, &c->data, VA_DATA);
	c->cs = c->batch.map;
}

static void ctx_fini(struct ctx *c)
{
	igt_svmgpu_queue_destroy(c->fd, c->queue);
	munmap(c->batch.map, c->batch.size);
	munmap(c->data.map, c->data.size);
	igt_svmgpu_vm_destroy(c->fd, c->vm);
	igt_svmgpu_bo_close(c->fd, c->batch.handle);
	igt_svmgpu_bo_close(c->fd, c->data.handle);
}

/* Submits the batch built so far (ended with END); returns its syncobj. */
static uint32_t submit(struct ctx *c)
{
	struct drm_svmgpu_sync out = { .flags = DRM_SVMGPU_SYNC_SIGNAL };
	struct drm_svmgpu_exec args = {
		.queue_id = c->queue,
		.batch_address = c->batch.va,
		.syncs = { .stride = sizeof(out), .count = 1,
			   .array = (uintptr_t)&out },
	};

	igt_svmgpu_emit(&c->cs, SVMGPU_OP_END, 0, 0, NULL);
	args.batch_size = (uint8_t *)c->cs - (uint8_t *)c->batch.map;
	igt_assert_eq(drmSyncobjCreate(c->fd, 0, &out.handle), 0);
	do_ioctl(c->fd, DRM_IOCTL_SVMGPU_EXEC, &args);
	c->cs = c->batch.map;
	return out.handle;
}

/* Waits for a syncobj and destroys it; returns its fence's status. */
static int wait_status(int fd, uint32_t syncobj)
{
	int status = igt_svmgpu_syncobj_status(fd, syncobj);

	drmSyncobjDestroy(fd, syncobj);
	return status;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000l };

	nanosleep(&ts, NULL);
}

/* --- files ------------------------------------------------------------- */

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

static void test_files(int fd)
{
	static const char *const files[] = {
		"info", "vms", "queues", "engines", "pgtable", "faults",
		"counters", "inject",
	};
	static const char *const states[] = {
		"idle", "running", "stalled", "hung", "stopped", NULL,
	};
	static const char *const hw_states[] = {
		"idle", "busy", "waiting", "stalled", NULL,
	};
	static const char *const accesses[] = { "read", "write", "atomic", NULL };
	static const char *const reasons[] = {
		"not-present", "write-protect", "bad-pte", "out-of-range", NULL,
	};
	static const char *const outcomes[] = { "aborted", "stalled", NULL };
	int dir = debugfs_dir(fd);
	unsigned int engines = igt_svmgpu_num_engines(fd), lines = 0;
	char *text, *p;

	for (unsigned int i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		free(dfs_read(dir, files[i]));

	/* engines: one line per engine, in order, every field present. */
	text = dfs_read(dir, "engines");
	for (p = text; *p; p = strchr(p, '\n') + 1) {
		struct engine_info e;
		char value[16];

		igt_assert(strchr(p, '\n'));
		igt_assert_eq_u64(kv_u64(p, "engine"), lines);
		igt_assert(kv_get(p, "state", e.state, sizeof(e.state)));
		igt_assert_f(one_of(e.state, states), "state=%s\n", e.state);
		igt_assert(kv_get(p, "hw", e.hw, sizeof(e.hw)));
		igt_assert_f(one_of(e.hw, hw_states), "hw=%s\n", e.hw);
		igt_assert(kv_get(p, "slot", value, sizeof(value)));
		igt_assert(!strcmp(value, "-") || strtoul(value, NULL, 10) < 256);
		kv_u64(p, "queues");
		kv_u64(p, "jobs");
		kv_u64(p, "no_progress_ms");
		kv_u64(p, "cmds");
		kv_u64(p, "tlb_hits");
		kv_u64(p, "tlb_misses");
		kv_u64(p, "tlb_invalidations");
		kv_u64(p, "tlb_flushes");
		kv_u64(p, "faults");
		kv_u64(p, "resets");
		lines++;
	}
	igt_assert_eq(lines, engines);
	free(text);

	/* counters: exactly the documented ones, each a number. */
	text = dfs_read(dir, "counters");
	lines = 0;
	for (p = text; *p; p = strchr(p, '\n') + 1) {
		char name[64], *end;

		igt_assert(strchr(p, '\n'));
		igt_assert_eq(sscanf(p, "%63s", name), 1);
		counter_index(name);
		strtoull(p + strlen(name) + 1, &end, 10);
		igt_assert(*end == '\n' && end > p + strlen(name) + 1);
		lines++;
	}
	igt_assert_eq(lines, NUM_COUNTERS);
	free(text);

	/* faults: at most 64 lines, each with every field. */
	text = dfs_read(dir, "faults");
	lines = 0;
	for (p = text; *p; p = strchr(p, '\n') + 1) {
		char value[32];

		igt_assert(strchr(p, '\n'));
		kv_u64(p, "seqno");
		igt_assert(kv_get(p, "time", value, sizeof(value)));
		igt_assert(strchr(value, '.'));
		kv_u64(p, "engine");
		kv_u64(p, "slot");
		kv_u64(p, "pid");
		kv_u64(p, "vm");
		kv_u64(p, "queue");
		kv_u64(p, "va");
		igt_assert(kv_get(p, "access", value, sizeof(value)) &&
			   one_of(value, accesses));
		igt_assert(kv_get(p, "reason", value, sizeof(value)) &&
			   one_of(value, reasons));
		igt_assert(kv_get(p, "outcome", value, sizeof(value)) &&
			   one_of(value, outcomes));
		lines++;
	}
	igt_assert_lte(lines, FAULT_LOG_SIZE);
	free(text);
	close(dir);
}

/* --- counters and engines ---------------------------------------------- */

static void test_counters_jobs(int fd)
{
	const unsigned int n = 8;
	int dir = debugfs_dir(fd);
	struct counters before, after;
	uint32_t syncobj[8];
	struct ctx c;

	ctx_init(&c, fd);
	read_counters(dir, &before);
	for (unsigned int i = 0; i < n; i++) {
		igt_svmgpu_emit(&c.cs, SVMGPU_OP_WRITE, 0, 2,
		     (uint64_t[]){ c.data.va + 4 * i, i + 1 });
		syncobj[i] = submit(&c);
		/* One batch buffer: let the job read it before it changes. */
		igt_assert_eq(wait_status(fd, syncobj[i]), 0);
	}
	read_counters(dir, &after);

	for (unsigned int i = 0; i < n; i++)
		igt_assert_eq_u32(((uint32_t *)c.data.map)[i], i + 1);
	igt_assert_eq_u64(delta(&before, &after, "jobs_submitted"), n);
	igt_assert_eq_u64(delta(&before, &after, "jobs_completed"), n);
	igt_assert_eq_u64(delta(&before, &after, "jobs_failed"), 0);
	igt_assert_eq_u64(delta(&before, &after, "faults"), 0);
	igt_assert_eq_u64(delta(&before, &after, "resets"), 0);
	/* Every FENCE raises the queue interrupt. */
	igt_assert_lt_u64(0, delta(&before, &after, "interrupts"));
	ctx_fini(&c);
	close(dir);
}

static void test_engines_commands(int fd)
{
	const unsigned int n = 5;
	int dir = debugfs_dir(fd);
	struct engine_info before, after;
	struct ctx c;

	ctx_init(&c, fd);
	read_engine(dir, 0, &before);
	for (unsigned int i = 0; i < n; i++) {
		igt_svmgpu_emit(&c.cs, SVMGPU_OP_WRITE, 0, 2, (uint64_t[]){ c.data.va, i });
		igt_assert_eq(wait_status(fd, submit(&c)), 0);
	}
	read_engine(dir, 0, &after);

	/* WRITE and END in the batch, BATCH and FENCE in the ring. */
	igt_assert_eq_u64(after.cmds - before.cmds, 4 * n);
	/* Each job fetches its batch and writes through the MMU. */
	igt_assert_lte_u64(2 * n, (after.tlb_hits + after.tlb_misses) -
				  (before.tlb_hits + before.tlb_misses));
	igt_assert_lt_u64(before.tlb_misses, after.tlb_misses);
	igt_assert_eq_u64(after.faults, before.faults);
	igt_assert_eq_u64(after.jobs, 0);
	igt_assert(!strcmp(after.state, "idle"));
	igt_assert(strcmp(after.slot, "-"));
	ctx_fini(&c);
	close(dir);
}

static void test_counters_bind(int fd)
{
	int dir = debugfs_dir(fd);
	unsigned int engines = igt_svmgpu_num_engines(fd);
	uint64_t invals[8];
	struct counters before, mapped, unmapped;
	uint32_t vm = igt_svmgpu_vm_create(fd, 0), bo = igt_svmgpu_bo_create(fd, BO_SIZE);
	struct engine_info e;

	igt_assert_lte(engines, 8);
	read_counters(dir, &before);
	igt_svmgpu_vm_map(fd, vm, bo, VA_TEST, BO_SIZE, 0);
	read_counters(dir, &mapped);
	igt_assert_eq_u64(delta(&before, &mapped, "binds"), 1);
	igt_assert_eq_u64(delta(&before, &mapped, "unbinds"), 0);
	igt_assert_eq_u64(delta(&before, &mapped, "pages_mapped_4k"), BO_SIZE / 4096);
	igt_assert_eq_u64(delta(&before, &mapped, "pages_mapped_2m"), 0);
	igt_assert_eq_u64(delta(&before, &mapped, "pages_mapped_1g"), 0);

	for (unsigned int i = 0; i < engines; i++) {
		read_engine(dir, i, &e);
		invals[i] = e.tlb_invalidations;
	}
	igt_svmgpu_vm_unmap(fd, vm, VA_TEST, BO_SIZE);
	read_counters(dir, &unmapped);
	igt_assert_eq_u64(delta(&mapped, &unmapped, "binds"), 0);
	igt_assert_eq_u64(delta(&mapped, &unmapped, "unbinds"), 1);
	igt_assert_eq_u64(delta(&mapped, &unmapped, "pages_mapped_4k"), 0);
	igt_assert_lte_u64(1, delta(&mapped, &unmapped, "tlb_invalidations"));
	/* An invalidation reaches every engine's TLB. */
	for (unsigned int i = 0; i < engines; i++) {
		read_engine(dir, i, &e);
		igt_assert_lt_u64(invals[i], e.tlb_invalidations);
	}

	igt_svmgpu_vm_destroy(fd, vm);
	igt_svmgpu_bo_close(fd, bo);
	close(dir);
}

/* --- faults ------------------------------------------------------------ */

enum fault_kind { FAULT_READ, FAULT_WRITE, FAULT_ATOMIC };

static const char *const fault_kind_name[] = { "read", "write", "atomic" };

/*
 * Runs one job that faults at @va with @kind on a new queue of @c's VM;
 * returns the time window around it.
 */
static void fault_once(struct ctx *c, enum fault_kind kind, uint64_t va,
		       uint64_t *t0, uint64_t *t1)
{
	uint32_t queue = igt_svmgpu_queue_create(c->fd, c->vm, 0), old = c->queue;

	c->queue = queue;
	switch (kind) {
	case FAULT_READ:
		igt_svmgpu_emit(&c->cs, SVMGPU_OP_COPY, 0, 3, (uint64_t[]){ c->data.va, va, 64 });
		break;
	case FAULT_WRITE:
		igt_svmgpu_emit(&c->cs, SVMGPU_OP_WRITE, 0, 2, (uint64_t[]){ va, 1 });
		break;
	case FAULT_ATOMIC:
		igt_svmgpu_emit(&c->cs, SVMGPU_OP_ATOMIC, SVMGPU_ATOMIC_ADD, 4,
		     (uint64_t[]){ va, 1, 0, 0 });
		break;
	}
	*t0 = now_ns();
	igt_assert_eq(wait_status(c->fd, submit(c)), -EFAULT);
	*t1 = now_ns();
	igt_svmgpu_queue_destroy(c->fd, queue);
	c->queue = old;
}

static void test_fault(int fd, enum fault_kind kind)
{
	const uint64_t va = VA_UNBOUND + 0x1230;
	int dir = debugfs_dir(fd);
	struct counters before, after;
	struct engine_info e0, e1;
	uint64_t t0, t1, seqno_before = 0, stamp;
	char *line, value[32], *frac;
	unsigned int lines;
	struct ctx c;

	ctx_init(&c, fd);
	line = last_fault(dir, &lines);
	if (lines)
		seqno_before = kv_u64(line, "seqno");
	free(line);
	read_counters(dir, &before);
	read_engine(dir, 0, &e0);

	fault_once(&c, kind, va, &t0, &t1);

	read_counters(dir, &after);
	read_engine(dir, 0, &e1);
	igt_assert_eq_u64(delta(&before, &after, "faults"), 1);
	igt_assert_eq_u64(delta(&before, &after, "jobs_submitted"), 1);
	igt_assert_eq_u64(delta(&before, &after, "jobs_failed"), 1);
	igt_assert_eq_u64(delta(&before, &after, "jobs_completed"), 0);
	igt_assert_eq_u64(delta(&before, &after, "resets"), 1);
	igt_assert_eq_u64(e1.faults - e0.faults, 1);
	igt_assert_eq_u64(e1.resets - e0.resets, 1);

	line = last_fault(dir, NULL);
	igt_info("fault line: %s", line);
	igt_assert_eq_u64(kv_u64(line, "seqno"), seqno_before + 1);
	igt_assert_eq_u64(kv_u64(line, "va"), va);
	igt_assert_eq_u64(kv_u64(line, "engine"), 0);
	igt_assert_eq_u64(kv_u64(line, "pid"), getpid());
	igt_assert_eq_u64(kv_u64(line, "vm"), c.vm);
	igt_assert(kv_get(line, "access", value, sizeof(value)));
	igt_assert_f(!strcmp(value, fault_kind_name[kind]), "access=%s\n", value);
	igt_assert(kv_get(line, "reason", value, sizeof(value)));
	igt_assert(!strcmp(value, "not-present"));
	igt_assert(kv_get(line, "outcome", value, sizeof(value)));
	igt_assert(!strcmp(value, "aborted"));
	/* The time is CLOCK_MONOTONIC, in seconds with microseconds. */
	igt_assert(kv_get(line, "time", value, sizeof(value)));
	frac = strchr(value, '.');
	igt_assert(frac && strlen(frac + 1) == 6);
	stamp = strtoull(value, NULL, 10) * 1000000000ull +
		strtoull(frac + 1, NULL, 10) * 1000;
	igt_assert_lte_u64(t0 / 1000 * 1000, stamp);
	igt_assert_lte_u64(stamp, t1);
	free(line);
	ctx_fini(&c);
	close(dir);
}

static void test_faults_bounded(int fd)
{
	const unsigned int extra = 3;
	int dir = debugfs_dir(fd);
	uint64_t t0, t1, first, seqno;
	unsigned int lines = 0, n = 0;
	char *line, *text, *p;
	struct ctx c;

	ctx_init(&c, fd);
	line = last_fault(dir, &n);
	first = n ? kv_u64(line, "seqno") + 1 : 1;
	free(line);
	for (unsigned int i = 0; i < FAULT_LOG_SIZE + extra; i++)
		fault_once(&c, FAULT_WRITE, VA_UNBOUND + 4096ull * i, &t0, &t1);

	text = dfs_read(dir, "faults");
	seqno = first + extra;
	for (p = text; *p; p = strchr(p, '\n') + 1) {
		igt_assert_eq_u64(kv_u64(p, "seqno"), seqno + lines);
		/* Ours, in order: the oldest three were dropped. */
		igt_assert_eq_u64(kv_u64(p, "va"),
				  VA_UNBOUND + 4096ull * (extra + lines));
		lines++;
	}
	igt_assert_eq(lines, FAULT_LOG_SIZE);
	free(text);
	ctx_fini(&c);
	close(dir);
}

/* --- pgtable ----------------------------------------------------------- */

struct dump {
	unsigned int leaves, leaves_4k, leaves_2m, leaves_1g;
	unsigned int tables_by_level[4];
	uint64_t first, end;		/* VA span of the leaves, contiguous */
	bool contiguous, all_rw, all_ro;
	uint64_t first_phys;
	uint64_t total_4k, total_2m, total_1g, total_tables;
	bool truncated;
};

/* Selects @va..@va+@size of @vm of @fd by client id and parses the dump. */
static void read_dump(int dir, const char *owner, uint32_t vm, uint64_t va,
		      uint64_t size, struct dump *d)
{
	char sel[128], *text, *p;
	uint64_t start, end, phys;
	unsigned int level, used;
	char sz[4], rw[4];
	bool header = false, total = false;

	snprintf(sel, sizeof(sel), "%s %u %#" PRIx64 " %#" PRIx64, owner, vm, va, size);
	igt_assert_eq(dfs_write(dir, "pgtable", sel), 0);
	text = dfs_read(dir, "pgtable");

	memset(d, 0, sizeof(*d));
	d->contiguous = d->all_rw = d->all_ro = true;
	for (p = text; *p; p = strchr(p, '\n') + 1) {
		igt_assert(strchr(p, '\n'));
		if (!strncmp(p, "client ", 7)) {
			uint32_t id;
			uint64_t s, e;

			igt_assert(!header);
			igt_assert_eq(sscanf(p, "client %*u pid %*d vm %u root %*x range %" SCNx64 "-%" SCNx64,
					     &id, &s, &e), 3);
			igt_assert_eq_u32(id, vm);
			igt_assert_eq_u64(s, va);
			igt_assert_eq_u64(e, va + size);
			header = true;
		} else if (sscanf(p, "table %u %" SCNx64 "-%" SCNx64 " %" SCNx64 " used %u",
				  &level, &start, &end, &phys, &used) == 5) {
			igt_assert_lte(level, 3);
			igt_assert_eq_u64(end - start, 1ull << (12 + 9 * (level + 1)));
			igt_assert_eq_u64(phys & 4095, 0);
			/* Only the root may be empty: emptied tables are freed. */
			igt_assert(level == 3 || used >= 1);
			d->tables_by_level[level]++;
		} else if (sscanf(p, "leaf %" SCNx64 "-%" SCNx64 " %" SCNx64 " %3s %3s",
				  &start, &end, &phys, sz, rw) == 5) {
			uint64_t leaf = !strcmp(sz, "4K") ? 1ull << 12 :
					!strcmp(sz, "2M") ? 1ull << 21 : 1ull << 30;

			igt_assert(!strcmp(sz, "4K") || !strcmp(sz, "2M") ||
				   !strcmp(sz, "1G"));
			igt_assert_eq_u64(end - start, leaf);
			igt_assert_eq_u64(phys & (leaf - 1), 0);
			if (!d->leaves) {
				d->first = start;
				d->first_phys = phys;
			} else if (start != d->end) {
				d->contiguous = false;
			}
			d->end = end;
			d->leaves++;
			d->leaves_4k += leaf == 1ull << 12;
			d->leaves_2m += leaf == 1ull << 21;
			d->leaves_1g += leaf == 1ull << 30;
			d->all_rw &= !strcmp(rw, "rw");
			d->all_ro &= !strcmp(rw, "ro");
		} else {
			char trunc[16] = "";

			igt_assert_f(sscanf(p, "total tables %" SCNu64 " leaves 4K %" SCNu64
					    " 2M %" SCNu64 " 1G %" SCNu64 " %15s",
					    &d->total_tables, &d->total_4k,
					    &d->total_2m, &d->total_1g, trunc) >= 4,
				     "unexpected pgtable line: %.*s\n",
				     (int)strcspn(p, "\n"), p);
			d->truncated = !strcmp(trunc, "truncated");
			total = true;
		}
	}
	igt_assert(header && total);
	igt_assert_eq_u64(d->total_4k, d->leaves_4k);
	igt_assert_eq_u64(d->total_2m, d->leaves_2m);
	igt_assert_eq_u64(d->total_1g, d->leaves_1g);
	free(text);
}

static void client_owner(int fd, char *owner, size_t size)
{
	snprintf(owner, size, "%" PRIu64, client_id(fd));
}

static void test_pgtable_4k(int fd)
{
	int dir = debugfs_dir(fd);
	uint32_t vm = igt_svmgpu_vm_create(fd, 0), bo = igt_svmgpu_bo_create(fd, BO_SIZE);
	char owner[32];
	struct dump d;

	client_owner(fd, owner, sizeof(owner));
	igt_svmgpu_vm_map(fd, vm, bo, VA_TEST, BO_SIZE, 0);
	igt_svmgpu_vm_map(fd, vm, bo, VA_TEST + SZ_2M, BO_SIZE, DRM_SVMGPU_VM_BIND_OP_READ_ONLY);

	read_dump(dir, owner, vm, VA_TEST, BO_SIZE, &d);
	igt_assert_eq(d.leaves, BO_SIZE / 4096);
	igt_assert_eq(d.leaves_4k, BO_SIZE / 4096);
	igt_assert(d.contiguous && d.all_rw);
	igt_assert_eq_u64(d.first, VA_TEST);
	igt_assert_eq_u64(d.end, VA_TEST + BO_SIZE);
	/* Root, then one table per level down to the 4 KiB leaves. */
	for (unsigned int level = 0; level < 4; level++)
		igt_assert_eq(d.tables_by_level[level], 1);
	igt_assert(!d.truncated);

	/* The read-only mapping, and only it, from a range covering both. */
	read_dump(dir, owner, vm, VA_TEST + SZ_2M, SZ_2M, &d);
	igt_assert_eq(d.leaves, BO_SIZE / 4096);
	igt_assert(d.all_ro);
	igt_assert_eq_u64(d.first, VA_TEST + SZ_2M);

	/* A range between the two shows their tables but no leaf. */
	read_dump(dir, owner, vm, VA_TEST + BO_SIZE, SZ_2M - BO_SIZE, &d);
	igt_assert_eq(d.leaves, 0);
	igt_assert_eq(d.tables_by_level[0], 1);

	igt_svmgpu_vm_destroy(fd, vm);
	igt_svmgpu_bo_close(fd, bo);
	close(dir);
}

static const char thp_knob[] = "/sys/kernel/mm/transparent_hugepage/shmem_enabled";

/* The bracketed setting of the shmem THP knob, or "" without THP. */
static void thp_get(char *mode, size_t size)
{
	char line[256], *l, *r;
	FILE *f = fopen(thp_knob, "r");

	*mode = '\0';
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && (l = strchr(line, '[')) &&
	    (r = strchr(l, ']'))) {
		*r = '\0';
		snprintf(mode, size, "%s", l + 1);
	}
	fclose(f);
}

static bool thp_set(const char *mode)
{
	FILE *f = fopen(thp_knob, "w");
	bool ok;

	if (!f)
		return false;
	ok = fputs(mode, f) >= 0;
	ok &= fclose(f) == 0;
	return ok;
}

static uint64_t shmem_huge_kb(void)
{
	char line[256];
	uint64_t kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		sscanf(line, "ShmemHugePages: %" SCNu64, &kb);
	fclose(f);
	return kb;
}

static void test_pgtable_2m(int fd)
{
	int dir = debugfs_dir(fd);
	uint32_t vm = igt_svmgpu_vm_create(fd, 0), bo;
	struct counters before, after;
	char owner[32], mode[32];
	uint64_t huge_before, huge_after;
	bool set;
	struct dump d;

	thp_get(mode, sizeof(mode));
	igt_require_f(*mode, "no shmem transparent huge pages (%s)\n", thp_knob);
	client_owner(fd, owner, sizeof(owner));

	/* The BO's pages come from shmem when the bind pins them. */
	read_counters(dir, &before);
	huge_before = shmem_huge_kb();
	set = thp_set("force");
	bo = igt_svmgpu_bo_create(fd, SZ_2M);
	if (set)
		igt_svmgpu_vm_map(fd, vm, bo, VA_TEST, SZ_2M, 0);
	thp_set(mode);
	igt_require_f(set, "cannot write %s\n", thp_knob);
	huge_after = shmem_huge_kb();
	igt_require_f(huge_after >= huge_before + 2048,
		      "no huge page for the BO (ShmemHugePages %" PRIu64
		      " -> %" PRIu64 " kB)\n", huge_before, huge_after);
	read_counters(dir, &after);

	read_dump(dir, owner, vm, VA_TEST, SZ_2M, &d);
	igt_assert_eq(d.leaves, 1);
	igt_assert_eq(d.leaves_2m, 1);
	igt_assert(d.all_rw);
	igt_assert_eq_u64(d.first, VA_TEST);
	igt_assert_eq_u64(d.end, VA_TEST + SZ_2M);
	/* The walk stops at level 1: no last-level table. */
	igt_assert_eq(d.tables_by_level[1], 1);
	igt_assert_eq(d.tables_by_level[0], 0);
	igt_assert_eq_u64(delta(&before, &after, "pages_mapped_2m"), 1);
	igt_assert_eq_u64(delta(&before, &after, "pages_mapped_4k"), 0);

	/* The same huge page at an address that is not 2 MiB aligned. */
	igt_svmgpu_vm_map(fd, vm, bo, VA_TEST + 2 * SZ_2M + 4096, SZ_2M, 0);
	read_dump(dir, owner, vm, VA_TEST + 2 * SZ_2M, 2 * SZ_2M, &d);
	igt_assert_eq(d.leaves, SZ_2M / 4096);
	igt_assert_eq(d.leaves_4k, SZ_2M / 4096);
	igt_assert(d.contiguous);
	igt_assert_eq_u64(d.first, VA_TEST + 2 * SZ_2M + 4096);
	igt_assert_eq(d.tables_by_level[0], 2);

	igt_svmgpu_vm_destroy(fd, vm);
	igt_svmgpu_bo_close(fd, bo);
	close(dir);
}

static void test_pgtable_unbind(int fd)
{
	int dir = debugfs_dir(fd);
	uint32_t vm = igt_svmgpu_vm_create(fd, 0), bo = igt_svmgpu_bo_create(fd, BO_SIZE);
	char owner[32];
	struct dump d;

	client_owner(fd, owner, sizeof(owner));
	igt_svmgpu_vm_map(fd, vm, bo, VA_TEST, BO_SIZE, 0);
	read_dump(dir, owner, vm, VA_TEST, BO_SIZE, &d);
	igt_assert_eq(d.leaves, BO_SIZE / 4096);

	igt_svmgpu_vm_unmap(fd, vm, VA_TEST, BO_SIZE);
	read_dump(dir, owner, vm, VA_TEST, BO_SIZE, &d);
	igt_assert_eq(d.leaves, 0);
	igt_assert_eq_u64(d.total_4k + d.total_2m + d.total_1g, 0);
	/* Emptied tables are freed: only the root is left. */
	igt_assert_eq(d.tables_by_level[3], 1);
	igt_assert_eq(d.tables_by_level[2] + d.tables_by_level[1] +
		      d.tables_by_level[0], 0);

	igt_svmgpu_vm_destroy(fd, vm);
	igt_svmgpu_bo_close(fd, bo);
	close(dir);
}

static void test_pgtable_pid(int fd)
{
	int dir = debugfs_dir(fd);
	uint32_t vm = igt_svmgpu_vm_create(fd, 0), bo = igt_svmgpu_bo_create(fd, BO_SIZE);
	char owner[32];
	struct dump by_client, by_pid;

	igt_svmgpu_vm_map(fd, vm, bo, VA_TEST, BO_SIZE, 0);
	client_owner(fd, owner, sizeof(owner));
	read_dump(dir, owner, vm, VA_TEST, BO_SIZE, &by_client);
	snprintf(owner, sizeof(owner), "pid:%d", getpid());
	read_dump(dir, owner, vm, VA_TEST, BO_SIZE, &by_pid);
	igt_assert_eq(by_pid.leaves, BO_SIZE / 4096);
	igt_assert_eq(by_pid.leaves, by_client.leaves);
	igt_assert_eq_u64(by_pid.first_phys, by_client.first_phys);

	igt_svmgpu_vm_destroy(fd, vm);
	igt_svmgpu_bo_close(fd, bo);
	close(dir);
}

/* @pattern with @C replaced by @cid and @V by @vm. */
static void expand(char *out, size_t size, const char *pattern, uint64_t cid,
		   uint32_t vm)
{
	size_t len = 0;

	for (const char *p = pattern; *p; p++) {
		int n;

		if (p[0] == '@' && p[1] == 'C')
			n = snprintf(out + len, size - len, "%" PRIu64, cid);
		else if (p[0] == '@' && p[1] == 'V')
			n = snprintf(out + len, size - len, "%u", vm);
		else
			n = snprintf(out + len, size - len, "%c", *p);
		igt_assert(n > 0 && (size_t)n < size - len);
		len += n;
		if (p[0] == '@')
			p++;
	}
	out[len] = '\0';
}

static void test_pgtable_bad(int fd)
{
	int dir = debugfs_dir(fd);
	uint32_t vm = igt_svmgpu_vm_create(fd, 0), bo = igt_svmgpu_bo_create(fd, BO_SIZE);
	uint64_t cid = client_id(fd);
	char sel[512], long_sel[200];
	/* @C is replaced by our client id, @V by our VM id. */
	static const struct {
		const char *sel;
		int err;
	} cases[] = {
		{ "", -EINVAL },
		{ "\n", -EINVAL },
		{ "@C", -EINVAL },
		{ "@C @V 0x100000000", -EINVAL },
		{ "@C @V 0x100000000 0x1000 0x1000", -EINVAL },
		{ "x@C @V 0x100000000 0x1000", -EINVAL },
		{ "0 @V 0x100000000 0x1000", -EINVAL },
		{ "-1 @V 0x100000000 0x1000", -EINVAL },
		{ "pid: @V 0x100000000 0x1000", -EINVAL },
		{ "pid:0 @V 0x100000000 0x1000", -EINVAL },
		{ "pid:abc @V 0x100000000 0x1000", -EINVAL },
		{ "@C vm 0x100000000 0x1000", -EINVAL },
		{ "@C @V 0x100000800 0x1000", -EINVAL },
		{ "@C @V 0x100000000 0x800", -EINVAL },
		{ "@C @V 0x100000000 0", -EINVAL },
		{ "@C @V 0xfffffffff000 0x2000", -EINVAL },
		{ "@C @V 0xfffffffffffff000 0x2000", -EINVAL },
		{ "@C @V 0x1000000000000 0x1000", -EINVAL },
		{ "@C 4294967296 0x100000000 0x1000", -EINVAL },
		{ "@C1234567 @V 0x100000000 0x1000", -ENOENT },
		{ "@C 4000000 0x100000000 0x1000", -ENOENT },
		{ "pid:1 @V 0x100000000 0x1000", -ENOENT },
	};
	char owner[32];
	struct dump d;

	igt_svmgpu_vm_map(fd, vm, bo, VA_TEST, BO_SIZE, 0);
	client_owner(fd, owner, sizeof(owner));
	/* A good selection first: failures must leave it alone. */
	read_dump(dir, owner, vm, VA_TEST, BO_SIZE, &d);
	igt_assert_eq(d.leaves, BO_SIZE / 4096);

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text;
		int ret;

		expand(sel, sizeof(sel), cases[i].sel, cid, vm);
		ret = dfs_write(dir, "pgtable", sel);
		igt_assert_f(ret == cases[i].err, "\"%s\": got %d (%s), expected %d\n",
			     sel, ret, strerror(-ret), cases[i].err);
		text = dfs_read(dir, "pgtable");
		snprintf(sel, sizeof(sel), "client %" PRIu64 " pid %d vm %u ", cid,
			 getpid(), vm);
		igt_assert_f(!strncmp(text, sel, strlen(sel)),
			     "selection changed by a bad write: %.80s\n", text);
		free(text);
	}

	/* Longer than any valid selection. */
	memset(long_sel, ' ', sizeof(long_sel) - 1);
	long_sel[sizeof(long_sel) - 1] = '\0';
	memcpy(long_sel, owner, strlen(owner));
	igt_assert_eq(dfs_write(dir, "pgtable", long_sel), -EINVAL);

	igt_svmgpu_vm_destroy(fd, vm);
	igt_svmgpu_bo_close(fd, bo);
	close(dir);
}

/* --- hang -------------------------------------------------------------- */

static void test_engines_hung(int fd)
{
	unsigned int timeout = igt_svmgpu_job_timeout_ms();
	int dir = debugfs_dir(fd);
	struct engine_info e, before;
	uint64_t start;
	uint32_t syncobj;
	bool hung = false;
	struct ctx c;

	/* debugfs says hung after a quarter of the timeout. */
	igt_require_f(timeout >= 1000, "job_timeout_ms %u too short to look\n",
		      timeout);
	ctx_init(&c, fd);
	read_engine(dir, 0, &before);
	igt_svmgpu_emit(&c.cs, SVMGPU_OP_WAIT, SVMGPU_WAIT_EQ, 3,
	     (uint64_t[]){ c.data.va, 1, ~0ull });
	syncobj = submit(&c);
	start = now_ns();

	/* Look until hung, well before the scheduler's timeout resets it. */
	while (now_ns() - start < timeout * 700000ull) {
		read_engine(dir, 0, &e);
		if (!strcmp(e.state, "hung")) {
			hung = true;
			break;
		}
		igt_assert_f(!strcmp(e.state, "running") || !strcmp(e.state, "idle"),
			     "state=%s while the WAIT blocks\n", e.state);
		sleep_ms(50);
	}
	igt_assert_f(hung, "engine 0 never read hung (last state=%s)\n", e.state);
	igt_assert(!strcmp(e.hw, "waiting"));
	igt_assert_eq_u64(e.jobs, 1);
	igt_assert(strcmp(e.slot, "-"));
	/* Nothing completed since: the WAIT blocks the batch. */
	igt_assert_eq_u64(e.cmds, before.cmds);

	/* Release the WAIT: the job completes and the engine goes idle. */
	__atomic_store_n((uint32_t *)c.data.map, 1, __ATOMIC_SEQ_CST);
	igt_assert_eq(wait_status(fd, syncobj), 0);
	read_engine(dir, 0, &e);
	igt_assert(!strcmp(e.state, "idle"));
	igt_assert_eq_u64(e.jobs, 0);
	igt_assert_eq_u64(e.resets, before.resets);
	igt_assert_eq_u64(e.cmds - before.cmds, 4);
	ctx_fini(&c);
	close(dir);
}

igt_main
{
	int fd = -1;

	igt_fixture {
		int dir;

		fd = drm_open_driver_render(DRIVER_SVMGPU);
		/* Skips every subtest without debugfs (not root). */
		dir = debugfs_dir(fd);
		close(dir);
	}

	igt_describe("Every file exists, reads, and parses as documented.");
	igt_subtest("files")
		test_files(fd);

	igt_describe("N jobs move jobs_submitted and jobs_completed by N and "
		     "no failure, fault or reset counter.");
	igt_subtest("counters-jobs")
		test_counters_jobs(fd);

	igt_describe("Each WRITE+END job advances its engine's command count "
		     "by exactly four (WRITE, END, BATCH, FENCE) and uses "
		     "its TLB.");
	igt_subtest("engines-commands")
		test_engines_commands(fd);

	igt_describe("MAP and UNMAP move binds, unbinds and the leaf counters "
		     "exactly and invalidate every engine's TLB.");
	igt_subtest("counters-bind")
		test_counters_bind(fd);

	for (enum fault_kind k = FAULT_READ; k <= FAULT_ATOMIC; k++) {
		igt_describe_f("A %s fault on an unbound address adds one fault, "
			       "one failed job, one reset and a fault-log line "
			       "with its time, engine, VM, queue, VA, access, "
			       "reason and outcome.", fault_kind_name[k]);
		igt_subtest_f("fault-%s", fault_kind_name[k])
			test_fault(fd, k);
	}

	igt_describe("The fault log keeps the last 64 faults, oldest first, "
		     "with consecutive sequence numbers.");
	igt_subtest("faults-bounded")
		test_faults_bounded(fd);

	igt_describe("A huge-page 2 MiB BO bound 2 MiB-aligned is one 2 MiB "
		     "leaf; bound unaligned, 4 KiB leaves.");
	igt_subtest("pgtable-2m")
		test_pgtable_2m(fd);

	igt_describe("A 64 KiB mapping is sixteen 4 KiB leaves with their "
		     "permissions, under the four tables (one per level) "
		     "walked to them.");
	igt_subtest("pgtable-4k")
		test_pgtable_4k(fd);

	igt_describe("After UNMAP the range has no leaf and no table below "
		     "the root.");
	igt_subtest("pgtable-unbind")
		test_pgtable_unbind(fd);

	igt_describe("pid:<pid> names the same VM as the DRM client id.");
	igt_subtest("pgtable-pid")
		test_pgtable_pid(fd);

	igt_describe("Malformed selections fail with EINVAL, unknown owners "
		     "and VMs with ENOENT; the selection stays.");
	igt_subtest("pgtable-bad")
		test_pgtable_bad(fd);

	igt_describe("A job blocked in an unreleased WAIT makes its engine "
		     "read hung; released, it completes and the engine idles.");
	igt_subtest("engines-hung")
		test_engines_hung(fd);

	igt_fixture
		drm_close_driver(fd);
}
