// SPDX-License-Identifier: MIT
/*
 * svmgpu_bad_input - every svmgpu ioctl fed zeroed, maximal, random and
 * bit-flipped arguments, truncated and oversized structures, bad user
 * pointers, and another file's ids.
 *
 * Each ioctl is described by a table (its fields, its arrays and their
 * element fields) and by a model of its documented checks: given an
 * argument, the model says which outcomes the uAPI kernel-doc allows
 * (success, or the set of errors that apply; a single corrupted field
 * yields exactly one). Every call is checked against the model and
 * against the ioctl's documented "Errors" list. A call that fails must
 * have had no effect: the argument is not written back changed, no new
 * VM, queue or BO id exists, the template syncobjs keep their state and
 * the VMs their mappings (debugfs "vms"). A call the model accepts must
 * succeed and is undone. Where the uAPI documents a write-back on
 * failure (WAIT_USER_FENCE's timeout after ETIME, VM_QUERY's data_size
 * after ENOSPC) exactly that comes back; GET of VM_ATTR writes its
 * (out) values into the array. Every dynamic subtest ends by proving
 * the device intact: ids present exactly as expected, the next creates
 * return the expected ids, BO contents unchanged and read back by the
 * GPU through the existing mappings, a small job completing, and the
 * fault-mode VM still in fault mode with every attribute at its
 * default. WAIT_USER_FENCE never waits long: its template's condition
 * holds with timeout 0, and a call whose condition does not hold gets
 * its timeout clamped to 1 ms (negative ones, which wait for ever,
 * included); an argument that could wait longer is never passed. Random
 * subtests use a fixed seed unless SVMGPU_BAD_INPUT_SEED (decimal or
 * 0x-hex) overrides it; the seed is printed.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_svmgpu.h"
#include "svmgpu_drm.h"
#include "hw/svmgpu_cmd.h"

/* Table callbacks share signatures; not every one needs every argument. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

IGT_TEST_DESCRIPTION("Every svmgpu ioctl fed bad input: zeroed, maximal, random "
		     "(seed: SVMGPU_BAD_INPUT_SEED, decimal or 0x-hex, printed "
		     "at the start of each random subtest) and bit-flipped "
		     "arguments, truncated and oversized structures, bad user "
		     "pointers, extension chains and another file's ids; each "
		     "call must give a documented error and change nothing.");

#define PAGE			4096ull
#define DEFAULT_SEED		0x5eed5eedull
#define RANDOM_ITERATIONS	2000
/* Highest user address the kernel accepts, and then some (x86-64). */
#define USER_TOP		((1ull << 47) - PAGE)
/* A kernel address (the direct map) and a non-canonical one. */
#define KERNEL_ADDR		0xffff888000000000ull
#define NONCANON_ADDR		0x0000800000001000ull
/* Where the argument arrays live: far from everything else mapped. */
#define ARENA_BASE		(1ull << 45)

#define VA_BATCH		(1ull << 32)
#define VA_DATA			(2ull << 32)
#define VA_RESULT		(3ull << 32)
#define VA_CHECK		(4ull << 32)
#define VA_SCRATCH		(5ull << 32)
#define VA_SCRATCH_UNMAP	(6ull << 32)
#define VA_END			((1ull << 48) - DRM_SVMGPU_VM_GUARD)
#define BUF_SIZE		(8u << 10)
#define CHECK_BATCH		0x800u
#define WAIT_NS			(10ll * 1000000000ll)
#define PROBE_IDS		24

/*
 * Outcomes, as a bit mask: success, or one errno. The model of an ioctl
 * returns the outcomes its documentation allows for an argument.
 */
enum outcome {
	O_OK, O_EINVAL, O_ENOENT, O_EFAULT, O_ENOSPC, O_ENOMEM, O_EIO,
	O_EALREADY, O_EINTR, O_ETIME, O_EACCES, O_EBUSY, O_OTHER, O_NR
};

#define OM(o)	(1u << (o))

static const int outcome_errno[O_NR] = {
	[O_OK] = 0, [O_EINVAL] = EINVAL, [O_ENOENT] = ENOENT,
	[O_EFAULT] = EFAULT, [O_ENOSPC] = ENOSPC, [O_ENOMEM] = ENOMEM,
	[O_EIO] = EIO, [O_EALREADY] = EALREADY, [O_EINTR] = EINTR,
	[O_ETIME] = ETIME, [O_EACCES] = EACCES, [O_EBUSY] = EBUSY,
	[O_OTHER] = -1,
};

static enum outcome outcome_of(int err)
{
	for (int o = 0; o < O_OTHER; o++)
		if (outcome_errno[o] == err)
			return o;
	return O_OTHER;
}

static const char *outcomes_str(uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (int o = 0; o < O_NR; o++) {
		if (!(mask & OM(o)))
			continue;
		n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
			      o == O_OK ? "0" : o == O_OTHER ? "other" :
			      strerror(outcome_errno[o]));
		if (n >= len)
			break;
	}
	return buf;
}

/* splitmix64: small, seedable, and the same everywhere. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rng_below(uint32_t n)
{
	return rng_next() % n;
}

static uint64_t seed_from_env(void)
{
	const char *s = getenv("SVMGPU_BAD_INPUT_SEED");
	char *end;
	uint64_t seed;

	if (!s || !*s)
		return DEFAULT_SEED;
	seed = strtoull(s, &end, 0);
	igt_assert_f(!*end, "SVMGPU_BAD_INPUT_SEED=%s is not a number\n", s);
	return seed;
}

/*
 * User memory as the kernel sees it: write() from it into a pipe fails
 * with EFAULT exactly where copy_from_user() would (unmapped, PROT_NONE,
 * kernel or non-canonical addresses) and never crashes the test. (Not
 * process_vm_readv(): the debug kernel is built without it.)
 */
static int probe_pipe[2] = { -1, -1 };

static bool user_read(uint64_t addr, void *dst, size_t len)
{
	uint8_t *out = dst;

	if (!len)
		return true;
	if (addr + len < addr || addr + len > USER_TOP)
		return false;
	if (probe_pipe[0] < 0)
		igt_assert_eq(pipe(probe_pipe), 0);
	while (len) {
		size_t n = len < PAGE ? len : PAGE;
		ssize_t w = write(probe_pipe[1], (void *)(uintptr_t)addr, n);

		if (w > 0)
			igt_assert_eq(read(probe_pipe[0], out, w), w);
		if (w != (ssize_t)n) {
			igt_assert(w >= 0 || errno == EFAULT);
			return false;
		}
		addr += n;
		out += n;
		len -= n;
	}
	return true;
}

/*
 * Whether the kernel could write @len bytes at @addr: read from a pipe
 * into it what it already holds (a write of the same bytes, so nothing
 * changes), failing with EFAULT where copy_to_user() would.
 */
static bool user_writable(uint64_t addr, size_t len)
{
	uint8_t chunk[4096];

	if (!len)
		return true;
	if (addr + len < addr || addr + len > USER_TOP)
		return false;
	while (len) {
		size_t n = len < PAGE ? len : PAGE;
		ssize_t r;

		if (!user_read(addr, chunk, n))
			return false;
		igt_assert_eq(write(probe_pipe[1], chunk, n), (ssize_t)n);
		r = read(probe_pipe[0], (void *)(uintptr_t)addr, n);
		if (r != (ssize_t)n) {
			size_t left = r > 0 ? n - r : n;

			igt_assert(r >= 0 || errno == EFAULT);
			/* Drain what the failed read left in the pipe. */
			igt_assert_eq(read(probe_pipe[0], chunk, left), (ssize_t)left);
			return false;
		}
		addr += n;
		len -= n;
	}
	return true;
}

/*
 * What copy_struct_from_user() makes of @usize user bytes at @addr for a
 * @ksize-byte kernel structure: 0 and the structure in @out, -EFAULT, or
 * -EINVAL (the kernel's -E2BIG: non-zero bytes past the known fields).
 */
static int sim_copy_struct(uint64_t addr, uint32_t usize, size_t ksize, void *out)
{
	size_t size = usize < ksize ? usize : ksize;

	memset(out, 0, ksize);
	if (usize > ksize) {
		uint64_t p = addr + ksize, end = addr + usize;

		/* The kernel checks the whole range is user memory first. */
		if (p < addr || end < p || end > USER_TOP)
			return -EFAULT;
		while (p < end) {
			uint8_t chunk[4096];
			uint64_t n = PAGE - (p & (PAGE - 1));

			if (n > end - p)
				n = end - p;
			if (!user_read(p, chunk, n))
				return -EFAULT;
			for (uint64_t i = 0; i < n; i++)
				if (chunk[i])
					return -EINVAL;
			p += n;
		}
	}
	return user_read(addr, out, size) ? 0 : -EFAULT;
}

/* A page of user memory between two PROT_NONE guard pages. */
struct arena {
	uint8_t *guard_lo;
	uint8_t *page;
	uint8_t *guard_hi;
};

static void arena_init(struct arena *a, unsigned int index)
{
	void *want = (void *)(uintptr_t)(ARENA_BASE + index * 4 * PAGE);
	uint8_t *p;

	p = mmap(want, 3 * PAGE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		p = mmap(NULL, 3 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	igt_assert_eq(mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE), 0);
	a->guard_lo = p;
	a->page = p + PAGE;
	a->guard_hi = p + 2 * PAGE;
}

static void arena_fini(struct arena *a)
{
	munmap(a->guard_lo, 3 * PAGE);
}

/* The end of the arena's page minus @bytes: reading past runs into a guard. */
static void *arena_tail(struct arena *a, size_t bytes)
{
	return a->page + PAGE - bytes;
}

/*
 * One file with the objects the templates name. Ids are chosen so that no
 * single bit flip of one turns it into another (see world_init()).
 */
enum bo_index { BO_BATCH, BO_DATA, BO_RESULT, BO_CHECK, BO_SCRATCH, NR_BOS };

struct world {
	int fd;
	const char *name;
	uint32_t engines;
	uint32_t vm_main, vm_scratch, vm_victim;
	uint32_t vm_fault;		/* DRM_SVMGPU_VM_CREATE_FAULT_MODE */
	uint32_t q_main, q_victim;	/* q_main on vm_main, q_victim on vm_scratch */
	struct {
		uint32_t handle;
		uint64_t size;
		uint64_t offset;	/* mmap offset */
		uint32_t *map;
	} bo[NR_BOS];
	uint32_t so_wait;	/* binary, signalled */
	uint32_t so_signal;	/* binary, no fence */
	uint32_t so_timeline;	/* timeline, no point */
	uint32_t so_check;	/* binary, no fence; used by world_check() */
	/* Template arrays, each at the end of its arena. */
	struct arena ops_arena, syncs_arena, bos_arena, attrs_arena;
	struct drm_svmgpu_vm_bind_op *ops;
	struct drm_svmgpu_sync *syncs;
	struct drm_svmgpu_exec_bo *bos;
	struct drm_svmgpu_attr *attrs;
	/*
	 * The user fence WAIT_USER_FENCE reads and the buffer VM_QUERY
	 * writes: the start of the misc page is the query's, the fence sits
	 * in its middle between known neighbours.
	 */
	struct arena misc_arena;
	uint64_t *fence;
	uint8_t *query_data;
	/* debugfs "vms" blocks of vm_main and vm_scratch, keyed by root. */
	int debugfs;
	uint64_t root[2];
	char snapshot[2][2048];
};

static struct world worlds[2];

#define NR_OPS		2
#define NR_SYNCS	3
#define NR_EXEC_BOS	2
#define NR_ATTRS	4

/* The user fence's value, and its neighbours' (never equal to it). */
#define FENCE_VALUE	0x0123456789abcdefull
#define FENCE_BEFORE	0xfedcba9876543210ull
#define FENCE_AFTER	0x5555aaaa5555aaaaull
/* The range VM_QUERY and VM_ATTR templates name: in the fault-mode VM. */
#define VA_FAULT	(7ull << 32)
#define FAULT_PAGES	16
/*
 * WAIT_USER_FENCE timeouts of calls whose condition does not hold are
 * clamped to this (see ufence_bound()): such a call waits that long at
 * most, never for ever.
 */
#define UFENCE_MAX_WAIT_NS	1000000ll

static uint32_t data_pattern(unsigned int i)
{
	/* Top byte 0xa5 is no opcode: data never executes as commands. */
	return 0xa5000000u | ((i * 2654435761u) >> 8);
}

static int call(int fd, unsigned long req, void *arg)
{
	return igt_ioctl(fd, req, arg) ? errno : 0;
}

static int vm_lookup(struct world *w, uint32_t id)
{
	/* VM_BIND with no operations: ENOENT without the VM, else EINVAL. */
	struct drm_svmgpu_vm_bind args = { .vm_id = id };
	int err = call(w->fd, DRM_IOCTL_SVMGPU_VM_BIND, &args);

	igt_assert_f(err == ENOENT || err == EINVAL, "VM_BIND probe: %s\n", strerror(err));
	return err == EINVAL ? 0 : -ENOENT;
}

static int queue_lookup(struct world *w, uint32_t id)
{
	struct drm_svmgpu_queue_get_state args = { .queue_id = id };
	int err = call(w->fd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE, &args);

	igt_assert_f(!err || err == ENOENT, "GET_STATE probe: %s\n", strerror(err));
	return -err;
}

static int bo_lookup(struct world *w, uint32_t handle)
{
	struct drm_svmgpu_gem_mmap_offset args = { .handle = handle };
	int err = call(w->fd, DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, &args);

	igt_assert_f(!err || err == ENOENT, "MMAP_OFFSET probe: %s\n", strerror(err));
	return -err;
}

static uint32_t vm_create_flags(int fd, uint32_t flags)
{
	struct drm_svmgpu_vm_create args = { .flags = flags };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_CREATE, &args);
	return args.vm_id;
}

static uint32_t vm_create(int fd)
{
	return vm_create_flags(fd, 0);
}

static void vm_destroy(int fd, uint32_t id)
{
	struct drm_svmgpu_vm_destroy args = { .vm_id = id };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_DESTROY, &args);
}

static uint32_t queue_create(int fd, uint32_t vm)
{
	struct drm_svmgpu_queue_create args = { .vm_id = vm };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_QUEUE_CREATE, &args);
	return args.queue_id;
}

static void queue_destroy(int fd, uint32_t id)
{
	struct drm_svmgpu_queue_destroy args = { .queue_id = id };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_QUEUE_DESTROY, &args);
}

static uint32_t bo_create(int fd, uint64_t size)
{
	struct drm_svmgpu_gem_create args = { .size = size };

	do_ioctl(fd, DRM_IOCTL_SVMGPU_GEM_CREATE, &args);
	return args.handle;
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	do_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

static void vm_bind1(int fd, uint32_t vm, struct drm_svmgpu_vm_bind_op op)
{
	struct drm_svmgpu_vm_bind args = {
		.vm_id = vm,
		.ops = { .stride = sizeof(op), .count = 1, .array = (uintptr_t)&op },
	};

	do_ioctl(fd, DRM_IOCTL_SVMGPU_VM_BIND, &args);
}

static void vm_unmap_all(int fd, uint32_t vm)
{
	vm_bind1(fd, vm, (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_UNMAP, .va = DRM_SVMGPU_VM_GUARD,
		.size = VA_END - DRM_SVMGPU_VM_GUARD });
}

/* Creates VMs until one gets @id; destroys the others. */
static void vm_create_at(int fd, uint32_t id)
{
	uint32_t extra[PROBE_IDS];
	unsigned int n = 0;
	uint32_t got;

	while ((got = vm_create(fd)) != id) {
		igt_assert_f(n < PROBE_IDS, "VM id %u never came back\n", id);
		extra[n++] = got;
	}
	while (n)
		vm_destroy(fd, extra[--n]);
}

static void queue_create_at(int fd, uint32_t vm, uint32_t id)
{
	uint32_t extra[PROBE_IDS];
	unsigned int n = 0;
	uint32_t got;

	while ((got = queue_create(fd, vm)) != id) {
		igt_assert_f(n < PROBE_IDS, "queue id %u never came back\n", id);
		extra[n++] = got;
	}
	while (n)
		queue_destroy(fd, extra[--n]);
}

static bool vm_known(const struct world *w, uint32_t id)
{
	return id && (id == w->vm_main || id == w->vm_scratch || id == w->vm_victim ||
		      id == w->vm_fault);
}

static bool queue_known(const struct world *w, uint32_t id)
{
	return id && (id == w->q_main || id == w->q_victim);
}

static int bo_index(const struct world *w, uint32_t handle)
{
	for (int i = 0; handle && i < NR_BOS; i++)
		if (w->bo[i].handle == handle)
			return i;
	return -1;
}

static bool syncobj_known(const struct world *w, uint32_t h)
{
	return h && (h == w->so_wait || h == w->so_signal ||
		     h == w->so_timeline || h == w->so_check);
}

static uint32_t lowest_free(bool (*known)(const struct world *, uint32_t),
			    const struct world *w)
{
	uint32_t id = 1;

	while (known(w, id))
		id++;
	return id;
}

static bool bo_known(const struct world *w, uint32_t h)
{
	return bo_index(w, h) >= 0;
}

/* debugfs "vms": the text of the VM whose page-table root is @root. */
static bool vms_block(struct world *w, uint64_t root, char *out, size_t len)
{
	char line[256];
	bool in = false, found = false;
	size_t n = 0;
	FILE *f;
	int file;

	file = openat(w->debugfs, "vms", O_RDONLY);
	igt_assert_f(file >= 0, "debugfs vms: %s\n", strerror(errno));
	f = fdopen(file, "r");
	igt_assert(f);
	out[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long r;
		unsigned int id;
		int pid;

		if (sscanf(line, "vm %u pid %d: root %llx", &id, &pid, &r) == 3) {
			in = r == root && pid == getpid();
			found |= in;
		}
		if (in) {
			igt_assert_lt(n + strlen(line), len);
			n += snprintf(out + n, len - n, "%s", line);
		}
	}
	fclose(f);
	return found;
}

/*
 * The page-table root of the VM of this process that maps @va and is not
 * already claimed by another world.
 */
static uint64_t vms_root_with_map(struct world *w, uint64_t va)
{
	char line[256];
	uint64_t root = 0, cur = 0;
	FILE *f;
	int file;

	file = openat(w->debugfs, "vms", O_RDONLY);
	igt_assert(file >= 0);
	f = fdopen(file, "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long r, start;
		unsigned int id;
		int pid;

		if (sscanf(line, "vm %u pid %d: root %llx", &id, &pid, &r) == 3) {
			cur = pid == getpid() ? r : 0;
			for (int i = 0; i < 2; i++)
				if (&worlds[i] != w &&
				    (worlds[i].root[0] == r || worlds[i].root[1] == r))
					cur = 0;
			continue;
		}
		if (cur && sscanf(line, " %llx-", &start) == 1 && start == va) {
			igt_assert_f(!root || root == cur, "two VMs map %#llx\n",
				     (unsigned long long)va);
			root = cur;
		}
	}
	fclose(f);
	igt_assert_f(root, "no VM maps %#llx in debugfs vms\n", (unsigned long long)va);
	return root;
}

static void snapshot_take(struct world *w)
{
	for (int i = 0; w->debugfs >= 0 && i < 2; i++)
		igt_assert(vms_block(w, w->root[i], w->snapshot[i],
				     sizeof(w->snapshot[i])));
}

/* The mappings of the main and the scratch VM are what they were. */
static void snapshot_check(struct world *w)
{
	char now[2048];

	for (int i = 0; w->debugfs >= 0 && i < 2; i++) {
		igt_assert(vms_block(w, w->root[i], now, sizeof(now)));
		igt_assert_f(!strcmp(now, w->snapshot[i]),
			     "%s VM %s changed:\nwas:\n%snow:\n%s", w->name,
			     i ? "scratch" : "main", w->snapshot[i], now);
	}
}

/* A batch of one COPY and END (igt_svmgpu_emit_copy(), _end()). */
#define COPY_BATCH_SIZE	(4 * (SVMGPU_COPY_DWORDS + SVMGPU_END_DWORDS))

/* The documented default of an attribute (enum drm_svmgpu_attr_type). */
static uint64_t attr_default(uint32_t type)
{
	switch (type) {
	case DRM_SVMGPU_ATTR_ACCESS:
		return DRM_SVMGPU_ACCESS_READ_WRITE;
	case DRM_SVMGPU_ATTR_MAX_CHUNK:
		return 2u << 20;
	case DRM_SVMGPU_ATTR_READ_MOSTLY:
		return 0;
	default:
		return DRM_SVMGPU_LOCATION_SYSTEM;
	}
}

static void fill_templates(struct world *w)
{
	w->ops[0] = (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP, .handle = w->bo[BO_SCRATCH].handle,
		.va = VA_SCRATCH, .size = PAGE,
	};
	w->ops[1] = (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_UNMAP, .va = VA_SCRATCH_UNMAP,
		.size = PAGE,
	};
	w->syncs[0] = (struct drm_svmgpu_sync){
		.flags = DRM_SVMGPU_SYNC_WAIT, .handle = w->so_wait };
	w->syncs[1] = (struct drm_svmgpu_sync){
		.flags = DRM_SVMGPU_SYNC_SIGNAL, .handle = w->so_signal };
	w->syncs[2] = (struct drm_svmgpu_sync){
		.flags = DRM_SVMGPU_SYNC_SIGNAL, .handle = w->so_timeline, .point = 1 };
	w->bos[0] = (struct drm_svmgpu_exec_bo){ .handle = w->bo[BO_DATA].handle };
	w->bos[1] = (struct drm_svmgpu_exec_bo){
		.handle = w->bo[BO_RESULT].handle, .flags = DRM_SVMGPU_EXEC_BO_WRITE };
	/* Every attribute at its default: SET changes nothing. */
	for (unsigned int i = 0; i < NR_ATTRS; i++)
		w->attrs[i] = (struct drm_svmgpu_attr){
			.type = i, .value = attr_default(i) };
	w->fence[-1] = FENCE_BEFORE;
	w->fence[0] = FENCE_VALUE;
	w->fence[1] = FENCE_AFTER;
}

/*
 * Builds a world whose ids start after @offset freed ones of each kind:
 * VMs offset+1 (main), +2 (scratch), +4 (victim) and +7 (fault mode),
 * with +3, +5 and +6 free; queues offset+1 (main) and +4 (victim); BOs
 * and syncobjs offset+1 onwards. Flipping one bit of one of these ids
 * never gives another of them (1, 2, 4 and 7 differ pairwise in two bits
 * or more, and so do 9, 10, 12 and 15), and two worlds with different
 * offsets (0 and 8) share no id.
 */
static void world_init(struct world *w, int fd, const char *name, uint32_t offset)
{
	struct drm_svmgpu_get_param param = { .param = DRM_SVMGPU_PARAM_NUM_ENGINES };
	uint32_t tmp[64], n, *cs;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->name = name;
	w->debugfs = __igt_debugfs_dir_for(fd);
	if (w->debugfs < 0)
		igt_info("%s: no debugfs; mappings are checked by the GPU only\n", name);
	do_ioctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &param);
	w->engines = param.value;

	for (n = 0; n < offset + 6; n++)
		tmp[n] = vm_create(fd);
	tmp[n++] = vm_create_flags(fd, DRM_SVMGPU_VM_CREATE_FAULT_MODE);
	igt_assert_eq(tmp[offset], offset + 1);
	igt_assert_eq(tmp[offset + 6], offset + 7);
	w->vm_main = offset + 1;
	w->vm_scratch = offset + 2;
	w->vm_victim = offset + 4;
	w->vm_fault = offset + 7;
	for (n = 0; n < offset + 7; n++)
		if (!vm_known(w, tmp[n]))
			vm_destroy(fd, tmp[n]);
	for (n = 0; n < offset + 4; n++)
		tmp[n] = queue_create(fd, n == offset + 3 ? offset + 2 : offset + 1);
	w->q_main = offset + 1;
	w->q_victim = offset + 4;
	for (n = 0; n < offset + 4; n++)
		if (!queue_known(w, tmp[n]))
			queue_destroy(fd, tmp[n]);

	for (n = 0; n < offset; n++)
		tmp[n] = bo_create(fd, PAGE);
	for (int i = 0; i < NR_BOS; i++) {
		struct drm_svmgpu_gem_mmap_offset mo = {};

		w->bo[i].size = i == BO_BATCH ? PAGE : BUF_SIZE;
		w->bo[i].handle = bo_create(fd, w->bo[i].size);
		igt_assert_eq(w->bo[i].handle, offset + 1 + i);
		mo.handle = w->bo[i].handle;
		do_ioctl(fd, DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET, &mo);
		w->bo[i].offset = mo.offset;
		w->bo[i].map = mmap(NULL, w->bo[i].size, PROT_READ | PROT_WRITE,
				    MAP_SHARED, fd, mo.offset);
		igt_assert(w->bo[i].map != MAP_FAILED);
	}
	for (n = 0; n < offset; n++)
		gem_close(fd, tmp[n]);

	for (n = 0; n < offset; n++)
		igt_assert_eq(drmSyncobjCreate(fd, 0, &tmp[n]), 0);
	igt_assert_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &w->so_wait), 0);
	igt_assert_eq(drmSyncobjCreate(fd, 0, &w->so_signal), 0);
	igt_assert_eq(drmSyncobjCreate(fd, 0, &w->so_timeline), 0);
	igt_assert_eq(drmSyncobjCreate(fd, 0, &w->so_check), 0);
	igt_assert_eq(w->so_wait, offset + 1);
	for (n = 0; n < offset; n++)
		igt_assert_eq(drmSyncobjDestroy(fd, tmp[n]), 0);

	for (unsigned int i = 0; i < BUF_SIZE / 4; i++)
		w->bo[BO_DATA].map[i] = data_pattern(i);
	cs = w->bo[BO_BATCH].map;
	igt_svmgpu_emit_copy(&cs, VA_RESULT, VA_DATA, PAGE);
	igt_svmgpu_emit_end(&cs);
	cs = w->bo[BO_BATCH].map + CHECK_BATCH / 4;
	igt_svmgpu_emit_copy(&cs, VA_CHECK, VA_DATA, BUF_SIZE);
	igt_svmgpu_emit_end(&cs);

	vm_bind1(fd, w->vm_main, (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP, .handle = w->bo[BO_BATCH].handle,
		.va = VA_BATCH, .size = PAGE });
	vm_bind1(fd, w->vm_main, (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP, .handle = w->bo[BO_DATA].handle,
		.va = VA_DATA, .size = BUF_SIZE });
	vm_bind1(fd, w->vm_main, (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP, .handle = w->bo[BO_RESULT].handle,
		.va = VA_RESULT, .size = BUF_SIZE });
	vm_bind1(fd, w->vm_main, (struct drm_svmgpu_vm_bind_op){
		.op = DRM_SVMGPU_VM_BIND_OP_MAP, .handle = w->bo[BO_CHECK].handle,
		.va = VA_CHECK, .size = BUF_SIZE });

	if (w->debugfs >= 0) {
		/* The scratch VM maps a page just long enough to be found. */
		w->root[0] = vms_root_with_map(w, VA_DATA);
		vm_bind1(fd, w->vm_scratch, (struct drm_svmgpu_vm_bind_op){
			.op = DRM_SVMGPU_VM_BIND_OP_MAP,
			.handle = w->bo[BO_SCRATCH].handle,
			.va = VA_SCRATCH, .size = PAGE });
		w->root[1] = vms_root_with_map(w, VA_SCRATCH);
		vm_unmap_all(fd, w->vm_scratch);
		snapshot_take(w);
	}

	arena_init(&w->ops_arena, offset ? 3 : 0);
	arena_init(&w->syncs_arena, offset ? 4 : 1);
	arena_init(&w->bos_arena, offset ? 5 : 2);
	arena_init(&w->attrs_arena, offset ? 10 : 6);
	arena_init(&w->misc_arena, offset ? 11 : 7);
	w->ops = arena_tail(&w->ops_arena, NR_OPS * sizeof(*w->ops));
	w->syncs = arena_tail(&w->syncs_arena, NR_SYNCS * sizeof(*w->syncs));
	w->bos = arena_tail(&w->bos_arena, NR_EXEC_BOS * sizeof(*w->bos));
	w->attrs = arena_tail(&w->attrs_arena, NR_ATTRS * sizeof(*w->attrs));
	w->query_data = w->misc_arena.page;
	w->fence = (uint64_t *)(w->misc_arena.page + PAGE / 2);
	fill_templates(w);
}

static void world_fini(struct world *w)
{
	arena_fini(&w->ops_arena);
	arena_fini(&w->syncs_arena);
	arena_fini(&w->bos_arena);
	arena_fini(&w->attrs_arena);
	arena_fini(&w->misc_arena);
	for (int i = 0; i < NR_BOS; i++)
		munmap(w->bo[i].map, w->bo[i].size);
	if (w->debugfs >= 0)
		close(w->debugfs);
	drm_close_driver(w->fd);
}

static bool syncobj_has_fence(int fd, uint32_t h)
{
	uint32_t handle = h;
	int ret = drmSyncobjWait(fd, &handle, 1, 0, 0, NULL);

	/* Without WAIT_FOR_SUBMIT, a syncobj without fence is EINVAL. */
	igt_assert_f(ret == 0 || ret == -EINVAL || ret == -ETIME,
		     "syncobj wait: %d\n", ret);
	return ret != -EINVAL;
}

static uint64_t syncobj_point(int fd, uint32_t h)
{
	uint32_t handle = h;
	uint64_t point = ~0ull;

	igt_assert_eq(drmSyncobjQuery(fd, &handle, &point, 1), 0);
	return point;
}

/* The syncobjs the templates use are as world_init() left them. */
static void syncobjs_check(struct world *w)
{
	igt_assert_f(syncobj_has_fence(w->fd, w->so_wait), "%s: wait syncobj lost its fence\n", w->name);
	igt_assert_f(!syncobj_has_fence(w->fd, w->so_signal), "%s: signal syncobj got a fence\n", w->name);
	igt_assert_f(!syncobj_has_fence(w->fd, w->so_check), "%s: check syncobj got a fence\n", w->name);
	igt_assert_eq_u64(syncobj_point(w->fd, w->so_timeline), 0);
}

static void syncobjs_restore(struct world *w)
{
	uint32_t reset[3] = { w->so_signal, w->so_timeline, w->so_check };

	igt_assert_eq(drmSyncobjReset(w->fd, reset, 3), 0);
	igt_assert_eq(drmSyncobjSignal(w->fd, &w->so_wait, 1), 0);
}

static struct drm_svmgpu_queue_get_state queue_state(struct world *w, uint32_t q)
{
	struct drm_svmgpu_queue_get_state args = { .queue_id = q };

	do_ioctl(w->fd, DRM_IOCTL_SVMGPU_QUEUE_GET_STATE, &args);
	return args;
}

/* Absolute CLOCK_MONOTONIC time WAIT_NS from now, as drmSyncobjWait wants. */
static int64_t deadline(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec + WAIT_NS;
}

/*
 * Submits the check batch (copy the data buffer into the check buffer) on
 * @q and waits for it. Returns 0, or the errno of EXEC (EIO: banned).
 */
static int run_check_batch(struct world *w, uint32_t q)
{
	struct drm_svmgpu_sync sig = { .flags = DRM_SVMGPU_SYNC_SIGNAL,
				       .handle = w->so_check };
	struct drm_svmgpu_exec args = {
		.queue_id = q,
		.batch_address = VA_BATCH + CHECK_BATCH,
		.batch_size = COPY_BATCH_SIZE,
		.syncs = { .stride = sizeof(sig), .count = 1, .array = (uintptr_t)&sig },
	};
	int err = call(w->fd, DRM_IOCTL_SVMGPU_EXEC, &args);

	if (!err)
		igt_assert_eq(drmSyncobjWait(w->fd, &w->so_check, 1, deadline(), 0, NULL), 0);
	igt_assert_eq(drmSyncobjReset(w->fd, &w->so_check, 1), 0);
	return err;
}

/*
 * SET every attribute of [start, start + size) of @vm to its default, or
 * GET them (the values filled with garbage first) into @attrs.
 */
static void vm_attr_all(struct world *w, uint32_t vm, uint32_t op, uint64_t start,
			uint64_t size, struct drm_svmgpu_attr *attrs)
{
	struct drm_svmgpu_vm_attr args = {
		.vm_id = vm, .op = op, .start = start, .size = size,
		.attrs = { .stride = sizeof(*attrs), .count = NR_ATTRS,
			   .array = (uintptr_t)attrs },
	};

	for (unsigned int i = 0; i < NR_ATTRS; i++)
		attrs[i] = (struct drm_svmgpu_attr){
			.type = i, .value = op == DRM_SVMGPU_VM_ATTR_SET ?
					    attr_default(i) : ~attr_default(i) };
	do_ioctl(w->fd, DRM_IOCTL_SVMGPU_VM_ATTR, &args);
}

/*
 * The fault-mode VM is still in fault mode (its counters can be read)
 * and every attribute of its whole usable range has its default.
 */
static void fault_vm_check(struct world *w)
{
	struct drm_svmgpu_svm_counters c;
	struct drm_svmgpu_vm_query q = {
		.vm_id = w->vm_fault, .type = DRM_SVMGPU_VM_QUERY_COUNTERS,
		.data = (uintptr_t)&c, .data_size = sizeof(c),
	};
	struct drm_svmgpu_attr attrs[NR_ATTRS];

	do_ioctl(w->fd, DRM_IOCTL_SVMGPU_VM_QUERY, &q);
	igt_assert_eq_u32(q.data_size, sizeof(c));
	igt_assert_eq_u64(c.faults, 0);
	vm_attr_all(w, w->vm_fault, DRM_SVMGPU_VM_ATTR_GET, DRM_SVMGPU_VM_GUARD,
		    VA_END - DRM_SVMGPU_VM_GUARD, attrs);
	for (unsigned int i = 0; i < NR_ATTRS; i++)
		igt_assert_f(attrs[i].value == attr_default(i),
			     "%s: fault VM attribute %u is %#" PRIx64 ", not its default\n",
			     w->name, i, (uint64_t)attrs[i].value);
}

/*
 * Everything of @w is as world_init() made it: exactly its ids exist, the
 * next creates get the ids expected, the VMs' mappings and the syncobjs
 * are unchanged, the data buffer holds its pattern, and the GPU still
 * copies it through the existing mappings.
 */
static void world_check(struct world *w)
{
	struct drm_svmgpu_queue_get_state st;
	uint32_t id;

	for (id = 1; id <= PROBE_IDS; id++) {
		igt_assert_f((vm_lookup(w, id) == 0) == vm_known(w, id),
			     "%s: VM %u %s\n", w->name, id, vm_known(w, id) ? "gone" : "exists");
		igt_assert_f((queue_lookup(w, id) == 0) == queue_known(w, id),
			     "%s: queue %u %s\n", w->name, id, queue_known(w, id) ? "gone" : "exists");
		igt_assert_f((bo_lookup(w, id) == 0) == bo_known(w, id),
			     "%s: BO %u %s\n", w->name, id, bo_known(w, id) ? "gone" : "exists");
	}
	id = vm_create(w->fd);
	igt_assert_eq_u32(id, lowest_free(vm_known, w));
	vm_destroy(w->fd, id);
	id = queue_create(w->fd, w->vm_scratch);
	igt_assert_eq_u32(id, lowest_free(queue_known, w));
	queue_destroy(w->fd, id);
	id = bo_create(w->fd, PAGE);
	igt_assert_eq_u32(id, lowest_free(bo_known, w));
	gem_close(w->fd, id);

	snapshot_check(w);
	syncobjs_check(w);
	fault_vm_check(w);
	for (unsigned int i = 0; i < BUF_SIZE / 4; i++)
		igt_assert_eq_u32(w->bo[BO_DATA].map[i], data_pattern(i));

	st = queue_state(w, w->q_main);
	igt_assert_eq_u32(st.state, 0);
	memset(w->bo[BO_CHECK].map, 0, BUF_SIZE);
	igt_assert_eq(run_check_batch(w, w->q_main), 0);
	st = queue_state(w, w->q_main);
	igt_assert_eq_u32(st.state, 0);
	for (unsigned int i = 0; i < BUF_SIZE / 4; i++)
		igt_assert_eq_u32(w->bo[BO_CHECK].map[i], data_pattern(i));
	memset(w->bo[BO_CHECK].map, 0, BUF_SIZE);
}

/*
 * Ioctl descriptions. A field is a byte range of the argument (or of an
 * array element); @id marks fields holding ids or handles, which random
 * arguments draw from small numbers too. New fields are new table rows.
 */
struct field {
	const char *name;
	uint16_t offset;
	uint8_t size;
	bool id;
};

#define FIELD(type, member, is_id) \
	{ #member, offsetof(type, member), sizeof(((type *)0)->member), is_id }

/* An array the argument points to: where its obj_array sits, its element. */
struct array_desc {
	const char *name;
	uint16_t obj_array;	/* offset of the struct drm_svmgpu_obj_array */
	size_t elem_size;
	uint32_t max;		/* documented most elements */
	uint32_t count;		/* template elements */
	const struct field *fields;
	unsigned int nr_fields;
	void *(*elems)(struct world *w);
	size_t min_stride;	/* smallest stride accepted; 0: elem_size */
};

struct ioctl_desc {
	const char *name;
	unsigned long request;
	size_t size;
	uint32_t documented;	/* the kernel-doc's Errors list, and EFAULT */
	const struct field *fields;
	unsigned int nr_fields;
	const struct array_desc *arrays;
	unsigned int nr_arrays;
	bool has_ids;		/* names objects of the file */
	bool creates;		/* makes an object even with a read-only arg */
	uint16_t extensions;	/* offset of the extensions field, or 0 */
	void (*make_valid)(struct world *w, void *args);
	uint32_t (*expect)(struct world *w, const void *args);
	void (*undo)(struct world *w, const void *args, bool complete);
	bool (*forbidden)(struct world *w, const void *args);
	/* Makes an argument safe to pass (no endless wait); true if it did. */
	bool (*bound)(struct world *w, void *args);
	/*
	 * Turns @args into what the kernel documents to write back after
	 * a call with outcome @err (an errno, or 0); without it, a failure
	 * writes back nothing changed.
	 */
	void (*written)(struct world *w, void *args, int err);
};

#define DOC_SHARED	(OM(O_EINVAL) | OM(O_EFAULT))

/* GET_PARAM */
static const struct field get_param_fields[] = {
	FIELD(struct drm_svmgpu_get_param, param, false),
	FIELD(struct drm_svmgpu_get_param, pad, false),
	FIELD(struct drm_svmgpu_get_param, value, false),
};

static void get_param_valid(struct world *w, void *p)
{
	*(struct drm_svmgpu_get_param *)p = (struct drm_svmgpu_get_param){
		.param = DRM_SVMGPU_PARAM_NUM_ENGINES };
}

static uint32_t get_param_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_get_param *a = p;
	uint32_t e = 0;

	if (a->pad || a->param >= DRM_SVMGPU_PARAM_COUNT)
		e |= OM(O_EINVAL);
	return e ?: OM(O_OK);
}

static void get_param_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_get_param *a = p;

	if (!complete)
		return;
	if (a->param == DRM_SVMGPU_PARAM_NUM_ENGINES)
		igt_assert_eq_u64(a->value, w->engines);
	if (a->param == DRM_SVMGPU_PARAM_VA_BITS)
		igt_assert_eq_u64(a->value, 48);
}

/* GEM_CREATE */
static const struct field gem_create_fields[] = {
	FIELD(struct drm_svmgpu_gem_create, size, false),
	FIELD(struct drm_svmgpu_gem_create, flags, false),
	FIELD(struct drm_svmgpu_gem_create, handle, true),
	FIELD(struct drm_svmgpu_gem_create, extensions, false),
};

static void gem_create_valid(struct world *w, void *p)
{
	*(struct drm_svmgpu_gem_create *)p = (struct drm_svmgpu_gem_create){
		.size = PAGE };
}

static uint32_t gem_create_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_gem_create *a = p;
	/* The mmap offset space: 2^40 - 1 MiB, some used by this device. */
	const uint64_t surely_fits = (1ull << 40) - (64ull << 20);
	uint32_t e = 0;

	if (a->flags || a->extensions || !a->size ||
	    a->size > DRM_SVMGPU_GEM_MAX_SIZE)
		e |= OM(O_EINVAL);
	if (e)
		return e;
	if (((a->size + PAGE - 1) & ~(PAGE - 1)) > surely_fits)
		return OM(O_OK) | OM(O_ENOSPC);
	return OM(O_OK);
}

static void gem_create_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_gem_create *a = p;

	uint32_t handle = lowest_free(bo_known, w);

	if (complete) {
		igt_assert_eq_u32(a->handle, handle);
		igt_assert_eq_u64(a->size & (PAGE - 1), 0);
	}
	igt_assert_eq(bo_lookup(w, handle), 0);
	gem_close(w->fd, handle);
}

/* GEM_MMAP_OFFSET */
static const struct field mmap_offset_fields[] = {
	FIELD(struct drm_svmgpu_gem_mmap_offset, handle, true),
	FIELD(struct drm_svmgpu_gem_mmap_offset, flags, false),
	FIELD(struct drm_svmgpu_gem_mmap_offset, offset, false),
};

static void mmap_offset_valid(struct world *w, void *p)
{
	*(struct drm_svmgpu_gem_mmap_offset *)p = (struct drm_svmgpu_gem_mmap_offset){
		.handle = w->bo[BO_DATA].handle };
}

static uint32_t mmap_offset_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_gem_mmap_offset *a = p;
	uint32_t e = 0;

	if (a->flags)
		e |= OM(O_EINVAL);
	if (!bo_known(w, a->handle))
		e |= OM(O_ENOENT);
	return e ?: OM(O_OK);
}

static void mmap_offset_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_gem_mmap_offset *a = p;

	if (complete)
		igt_assert_eq_u64(a->offset, w->bo[bo_index(w, a->handle)].offset);
}

/* VM_CREATE */
static const struct field vm_create_fields[] = {
	FIELD(struct drm_svmgpu_vm_create, flags, false),
	FIELD(struct drm_svmgpu_vm_create, vm_id, true),
	FIELD(struct drm_svmgpu_vm_create, extensions, false),
};

static void vm_create_valid(struct world *w, void *p)
{
	*(struct drm_svmgpu_vm_create *)p = (struct drm_svmgpu_vm_create){};
}

static uint32_t vm_create_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_vm_create *a = p;

	return a->flags & ~DRM_SVMGPU_VM_CREATE_FAULT_MODE || a->extensions ?
	       OM(O_EINVAL) : OM(O_OK);
}

static void vm_create_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_vm_create *a = p;

	uint32_t id = lowest_free(vm_known, w);

	if (complete)
		igt_assert_eq_u32(a->vm_id, id);
	vm_destroy(w->fd, id);
}

/* VM_DESTROY */
static const struct field vm_destroy_fields[] = {
	FIELD(struct drm_svmgpu_vm_destroy, vm_id, true),
	FIELD(struct drm_svmgpu_vm_destroy, pad, false),
};

static void vm_destroy_valid(struct world *w, void *p)
{
	*(struct drm_svmgpu_vm_destroy *)p = (struct drm_svmgpu_vm_destroy){
		.vm_id = w->vm_victim };
}

static uint32_t vm_destroy_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_vm_destroy *a = p;
	uint32_t e = 0;

	if (a->pad)
		e |= OM(O_EINVAL);
	if (!vm_known(w, a->vm_id))
		e |= OM(O_ENOENT);
	return e ?: OM(O_OK);
}

static bool vm_destroy_forbidden(struct world *w, const void *p)
{
	const struct drm_svmgpu_vm_destroy *a = p;

	/* Only the victim may go: the others hold the templates' state. */
	return !a->pad && vm_known(w, a->vm_id) && a->vm_id != w->vm_victim;
}

static void vm_destroy_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_vm_destroy *a = p;

	igt_assert_eq_u32(a->vm_id, w->vm_victim);
	igt_assert_eq(vm_lookup(w, a->vm_id), -ENOENT);
	vm_create_at(w->fd, w->vm_victim);
}

/* VM_BIND */
static const struct field vm_bind_fields[] = {
	FIELD(struct drm_svmgpu_vm_bind, vm_id, true),
	FIELD(struct drm_svmgpu_vm_bind, flags, false),
	FIELD(struct drm_svmgpu_vm_bind, ops.stride, false),
	FIELD(struct drm_svmgpu_vm_bind, ops.count, false),
	FIELD(struct drm_svmgpu_vm_bind, ops.array, false),
	FIELD(struct drm_svmgpu_vm_bind, syncs.stride, false),
	FIELD(struct drm_svmgpu_vm_bind, syncs.count, false),
	FIELD(struct drm_svmgpu_vm_bind, syncs.array, false),
	FIELD(struct drm_svmgpu_vm_bind, extensions, false),
};

static const struct field vm_bind_op_fields[] = {
	FIELD(struct drm_svmgpu_vm_bind_op, op, false),
	FIELD(struct drm_svmgpu_vm_bind_op, flags, false),
	FIELD(struct drm_svmgpu_vm_bind_op, handle, true),
	FIELD(struct drm_svmgpu_vm_bind_op, pad, false),
	FIELD(struct drm_svmgpu_vm_bind_op, bo_offset, false),
	FIELD(struct drm_svmgpu_vm_bind_op, va, false),
	FIELD(struct drm_svmgpu_vm_bind_op, size, false),
	FIELD(struct drm_svmgpu_vm_bind_op, userptr, false),
};

/* Strides from before @userptr was added still work. */
#define OPS_MIN_STRIDE	offsetof(struct drm_svmgpu_vm_bind_op, userptr)

static void *vm_bind_ops(struct world *w)
{
	return w->ops;
}

static const struct array_desc vm_bind_arrays[] = {
	{ "ops", offsetof(struct drm_svmgpu_vm_bind, ops),
	  sizeof(struct drm_svmgpu_vm_bind_op), DRM_SVMGPU_VM_BIND_MAX_OPS, NR_OPS,
	  vm_bind_op_fields, sizeof(vm_bind_op_fields) / sizeof(vm_bind_op_fields[0]),
	  vm_bind_ops, OPS_MIN_STRIDE },
};

static void vm_bind_valid(struct world *w, void *p)
{
	fill_templates(w);
	*(struct drm_svmgpu_vm_bind *)p = (struct drm_svmgpu_vm_bind){
		.vm_id = w->vm_scratch,
		.ops = { .stride = sizeof(struct drm_svmgpu_vm_bind_op),
			 .count = NR_OPS, .array = (uintptr_t)w->ops },
		.syncs = { .stride = sizeof(struct drm_svmgpu_sync) },
	};
}

static bool range_ok(uint64_t start, uint64_t size, uint64_t lo, uint64_t hi)
{
	return size && start >= lo && start <= hi && size <= hi - start;
}

/* Whether every page of [addr, addr + size) is readable user memory. */
static bool user_range_readable(uint64_t addr, uint64_t size)
{
	uint8_t b;

	if (addr + size < addr || addr + size > USER_TOP)
		return false;
	for (uint64_t p = addr; p < addr + size; p += PAGE)
		if (!user_read(p, &b, 1))
			return false;
	return true;
}

/* What the checks of a VM_BIND's operations need to know, and tell. */
struct bind_ctx {
	bool fault;	/* (in) the VM is in fault mode */
	bool maybe;	/* (out) a MAP_USERPTR may succeed or fail with EFAULT */
};

/*
 * The documented checks of one bind operation, in a fault-mode VM or not.
 * A MAP_USERPTR of readable memory may succeed or fail with EFAULT (the
 * model cannot see whether it is writable, or device memory): then
 * @ctx->maybe is set and nothing added.
 */
static uint32_t bind_op_expect(struct world *w, const struct drm_svmgpu_vm_bind_op *op,
			       struct bind_ctx *ctx)
{
	uint32_t e = 0;
	int bo;

	if (op->pad || (op->va | op->size | op->bo_offset) & (PAGE - 1) ||
	    !range_ok(op->va, op->size, DRM_SVMGPU_VM_GUARD, VA_END))
		e |= OM(O_EINVAL);
	if (op->op != DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR && op->userptr)
		e |= OM(O_EINVAL);
	switch (op->op) {
	case DRM_SVMGPU_VM_BIND_OP_MAP_USERPTR:
		if (op->flags & ~DRM_SVMGPU_VM_BIND_OP_READ_ONLY || op->handle ||
		    op->bo_offset || op->userptr & (PAGE - 1) ||
		    op->size > DRM_SVMGPU_USERPTR_MAX_SIZE ||
		    op->userptr + op->size < op->userptr || ctx->fault)
			e |= OM(O_EINVAL);
		else if (!user_range_readable(op->userptr, op->size))
			e |= OM(O_EFAULT);
		else if (!e)
			ctx->maybe = true;
		break;
	case DRM_SVMGPU_VM_BIND_OP_MAP:
		if (op->flags & ~DRM_SVMGPU_VM_BIND_OP_READ_ONLY)
			e |= OM(O_EINVAL);
		bo = bo_index(w, op->handle);
		if (bo < 0)
			e |= OM(O_ENOENT);
		else if (!range_ok(op->bo_offset, op->size, 0, w->bo[bo].size))
			e |= OM(O_EINVAL);
		break;
	case DRM_SVMGPU_VM_BIND_OP_UNMAP:
		if (op->flags || op->handle || op->bo_offset)
			e |= OM(O_EINVAL);
		break;
	case DRM_SVMGPU_VM_BIND_OP_MIRROR:
	case DRM_SVMGPU_VM_BIND_OP_PREFETCH:
		/* Fault-mode VMs only; this process created them (no EACCES). */
		if (op->flags || op->handle || op->bo_offset || !ctx->fault)
			e |= OM(O_EINVAL);
		break;
	default:
		e |= OM(O_EINVAL);
	}
	return e;
}

/*
 * The outcomes of an array: shape errors, then per element the copy (a
 * fault, or non-zero bytes past the known fields) and the element's own
 * checks through @elem.
 */
static uint32_t array_expect(struct world *w, const struct drm_svmgpu_obj_array *arr,
			     size_t ksize, size_t min_stride, uint32_t max,
			     bool zero_count_ok,
			     uint32_t (*elem)(struct world *w, const void *e, void *ctx),
			     void *ctx)
{
	uint8_t buf[64];
	uint32_t e = 0;

	if ((!zero_count_ok && !arr->count) || arr->count > max ||
	    (arr->count && arr->stride < min_stride))
		return OM(O_EINVAL);
	for (uint32_t i = 0; i < arr->count; i++) {
		int ret = sim_copy_struct(arr->array + (uint64_t)i * arr->stride,
					  arr->stride, ksize, buf);

		if (ret == -EFAULT)
			e |= OM(O_EFAULT);
		else if (ret)
			e |= OM(O_EINVAL);
		else
			e |= elem(w, buf, ctx);
		if (ret)
			break;	/* the kernel stops at a copy that fails */
	}
	return e;
}

static uint32_t bind_elem(struct world *w, const void *e, void *ctx)
{
	return bind_op_expect(w, e, ctx);
}

static uint32_t sync_elem(struct world *w, const void *p, void *ctx);

static uint32_t vm_bind_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_vm_bind *a = p;
	struct bind_ctx ctx = { .fault = a->vm_id == w->vm_fault };
	bool fault = ctx.fault;
	uint32_t e = 0;

	if (a->flags & ~DRM_SVMGPU_VM_BIND_ASYNC || a->extensions)
		e |= OM(O_EINVAL);
	/* A fault-mode VM binds synchronously only. */
	if (fault && a->flags & DRM_SVMGPU_VM_BIND_ASYNC)
		e |= OM(O_EINVAL);
	if (!vm_known(w, a->vm_id))
		e |= OM(O_ENOENT);
	e |= array_expect(w, &a->ops, sizeof(struct drm_svmgpu_vm_bind_op),
			  OPS_MIN_STRIDE, DRM_SVMGPU_VM_BIND_MAX_OPS, false,
			  bind_elem, &ctx);
	e |= array_expect(w, &a->syncs, sizeof(struct drm_svmgpu_sync),
			  sizeof(struct drm_svmgpu_sync),
			  DRM_SVMGPU_VM_BIND_MAX_SYNCS, true, sync_elem, NULL);
	if (ctx.maybe)
		return e ? e | OM(O_EFAULT) : OM(O_OK) | OM(O_EFAULT);
	return e ?: OM(O_OK);
}

static bool vm_bind_forbidden(struct world *w, const void *p)
{
	const struct drm_svmgpu_vm_bind *a = p;

	/*
	 * The main VM's mappings are the reference. The fault-mode VM binds
	 * one operation after the other (a PREFETCH that fails leaves the
	 * operations before it applied): only binds that fail their checks
	 * go there.
	 */
	return a->vm_id == w->vm_main || a->vm_id == w->vm_fault;
}

static void vm_bind_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_vm_bind *a = p;

	igt_assert_neq_u32(a->vm_id, w->vm_main);
	vm_unmap_all(w->fd, a->vm_id);
}

/* QUEUE_CREATE */
static const struct field queue_create_fields[] = {
	FIELD(struct drm_svmgpu_queue_create, vm_id, true),
	FIELD(struct drm_svmgpu_queue_create, engine, false),
	FIELD(struct drm_svmgpu_queue_create, flags, false),
	FIELD(struct drm_svmgpu_queue_create, queue_id, true),
	FIELD(struct drm_svmgpu_queue_create, extensions, false),
};

static void queue_create_valid(struct world *w, void *p)
{
	*(struct drm_svmgpu_queue_create *)p = (struct drm_svmgpu_queue_create){
		.vm_id = w->vm_scratch, .engine = w->engines - 1 };
}

static uint32_t queue_create_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_queue_create *a = p;
	uint32_t e = 0;

	if (a->flags || a->extensions || a->engine >= w->engines)
		e |= OM(O_EINVAL);
	if (!vm_known(w, a->vm_id))
		e |= OM(O_ENOENT);
	return e ?: OM(O_OK);
}

static void queue_create_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_queue_create *a = p;

	uint32_t id = lowest_free(queue_known, w);

	if (complete)
		igt_assert_eq_u32(a->queue_id, id);
	queue_destroy(w->fd, id);
}

/* QUEUE_DESTROY */
static const struct field queue_destroy_fields[] = {
	FIELD(struct drm_svmgpu_queue_destroy, queue_id, true),
	FIELD(struct drm_svmgpu_queue_destroy, pad, false),
};

static void queue_destroy_valid(struct world *w, void *p)
{
	*(struct drm_svmgpu_queue_destroy *)p = (struct drm_svmgpu_queue_destroy){
		.queue_id = w->q_victim };
}

static uint32_t queue_destroy_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_queue_destroy *a = p;
	uint32_t e = 0;

	if (a->pad)
		e |= OM(O_EINVAL);
	if (!queue_known(w, a->queue_id))
		e |= OM(O_ENOENT);
	return e ?: OM(O_OK);
}

static bool queue_destroy_forbidden(struct world *w, const void *p)
{
	const struct drm_svmgpu_queue_destroy *a = p;

	return !a->pad && a->queue_id == w->q_main;
}

static void queue_destroy_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_queue_destroy *a = p;

	igt_assert_eq_u32(a->queue_id, w->q_victim);
	igt_assert_eq(queue_lookup(w, a->queue_id), -ENOENT);
	queue_create_at(w->fd, w->vm_scratch, w->q_victim);
}

/* QUEUE_GET_STATE */
static const struct field get_state_fields[] = {
	FIELD(struct drm_svmgpu_queue_get_state, queue_id, true),
	FIELD(struct drm_svmgpu_queue_get_state, pad, false),
	FIELD(struct drm_svmgpu_queue_get_state, state, false),
	FIELD(struct drm_svmgpu_queue_get_state, reset_count, false),
	FIELD(struct drm_svmgpu_queue_get_state, error, false),
	FIELD(struct drm_svmgpu_queue_get_state, fault_access, false),
	FIELD(struct drm_svmgpu_queue_get_state, fault_reason, false),
	FIELD(struct drm_svmgpu_queue_get_state, fault_address, false),
};

static void get_state_valid(struct world *w, void *p)
{
	*(struct drm_svmgpu_queue_get_state *)p = (struct drm_svmgpu_queue_get_state){
		.queue_id = w->q_victim };
}

static uint32_t get_state_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_queue_get_state *a = p;
	uint32_t e = 0;

	if (a->pad)
		e |= OM(O_EINVAL);
	if (!queue_known(w, a->queue_id))
		e |= OM(O_ENOENT);
	return e ?: OM(O_OK);
}

static void get_state_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_queue_get_state *a = p;

	if (!complete)
		return;
	/* Every queue of a world is healthy between calls. */
	igt_assert_eq_u32(a->state, 0);
	igt_assert_eq_u32(a->error, 0);
}

/* EXEC */
static const struct field exec_fields[] = {
	FIELD(struct drm_svmgpu_exec, queue_id, true),
	FIELD(struct drm_svmgpu_exec, flags, false),
	FIELD(struct drm_svmgpu_exec, batch_address, false),
	FIELD(struct drm_svmgpu_exec, batch_size, false),
	FIELD(struct drm_svmgpu_exec, syncs.stride, false),
	FIELD(struct drm_svmgpu_exec, syncs.count, false),
	FIELD(struct drm_svmgpu_exec, syncs.array, false),
	FIELD(struct drm_svmgpu_exec, bos.stride, false),
	FIELD(struct drm_svmgpu_exec, bos.count, false),
	FIELD(struct drm_svmgpu_exec, bos.array, false),
	FIELD(struct drm_svmgpu_exec, extensions, false),
};

static const struct field sync_fields[] = {
	FIELD(struct drm_svmgpu_sync, flags, false),
	FIELD(struct drm_svmgpu_sync, handle, true),
	FIELD(struct drm_svmgpu_sync, point, false),
};

static const struct field exec_bo_fields[] = {
	FIELD(struct drm_svmgpu_exec_bo, handle, true),
	FIELD(struct drm_svmgpu_exec_bo, flags, false),
};

static void *exec_syncs(struct world *w)
{
	return w->syncs;
}

static void *exec_bos(struct world *w)
{
	return w->bos;
}

static const struct array_desc exec_arrays[] = {
	{ "syncs", offsetof(struct drm_svmgpu_exec, syncs),
	  sizeof(struct drm_svmgpu_sync), DRM_SVMGPU_EXEC_MAX_SYNCS, NR_SYNCS,
	  sync_fields, sizeof(sync_fields) / sizeof(sync_fields[0]), exec_syncs, 0 },
	{ "bos", offsetof(struct drm_svmgpu_exec, bos),
	  sizeof(struct drm_svmgpu_exec_bo), DRM_SVMGPU_EXEC_MAX_BOS, NR_EXEC_BOS,
	  exec_bo_fields, sizeof(exec_bo_fields) / sizeof(exec_bo_fields[0]), exec_bos, 0 },
};

static void exec_valid(struct world *w, void *p)
{
	fill_templates(w);
	*(struct drm_svmgpu_exec *)p = (struct drm_svmgpu_exec){
		.queue_id = w->q_main,
		.batch_address = VA_BATCH,
		.batch_size = COPY_BATCH_SIZE,
		.syncs = { .stride = sizeof(struct drm_svmgpu_sync), .count = NR_SYNCS,
			   .array = (uintptr_t)w->syncs },
		.bos = { .stride = sizeof(struct drm_svmgpu_exec_bo), .count = NR_EXEC_BOS,
			 .array = (uintptr_t)w->bos },
	};
}

static uint32_t sync_elem(struct world *w, const void *p, void *ctx)
{
	const struct drm_svmgpu_sync *s = p;

	if (s->flags != DRM_SVMGPU_SYNC_WAIT && s->flags != DRM_SVMGPU_SYNC_SIGNAL)
		return OM(O_EINVAL);
	if (!syncobj_known(w, s->handle))
		return OM(O_ENOENT);
	if (s->flags == DRM_SVMGPU_SYNC_SIGNAL)
		return 0;
	/*
	 * A wait needs a fence to wait for: only the wait syncobj has one,
	 * and it is binary, so it has no point but 0.
	 */
	if (s->handle != w->so_wait || s->point)
		return OM(O_EINVAL);
	return 0;
}

struct bo_seen {
	uint32_t handles[DRM_SVMGPU_EXEC_MAX_BOS];
	uint32_t n;
};

static uint32_t bo_elem(struct world *w, const void *p, void *ctx)
{
	const struct drm_svmgpu_exec_bo *b = p;
	struct bo_seen *seen = ctx;
	uint32_t e = 0;

	if (b->flags & ~DRM_SVMGPU_EXEC_BO_WRITE)
		e |= OM(O_EINVAL);
	if (!bo_known(w, b->handle))
		return e | OM(O_ENOENT);
	for (uint32_t i = 0; i < seen->n; i++)
		if (seen->handles[i] == b->handle)
			e |= OM(O_EALREADY);
	seen->handles[seen->n++] = b->handle;
	return e;
}

static uint32_t exec_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_exec *a = p;
	static struct bo_seen seen;
	uint32_t e = 0;

	if (a->flags || a->extensions || !a->batch_size ||
	    a->batch_size > SVMGPU_BATCH_MAX_SIZE ||
	    (a->batch_address | a->batch_size) & 7)
		e |= OM(O_EINVAL);
	e |= array_expect(w, &a->syncs, sizeof(struct drm_svmgpu_sync),
			  sizeof(struct drm_svmgpu_sync), DRM_SVMGPU_EXEC_MAX_SYNCS, true, sync_elem, NULL);
	seen.n = 0;
	e |= array_expect(w, &a->bos, sizeof(struct drm_svmgpu_exec_bo),
			  sizeof(struct drm_svmgpu_exec_bo), DRM_SVMGPU_EXEC_MAX_BOS, true, bo_elem, &seen);
	if (!queue_known(w, a->queue_id))
		e |= OM(O_ENOENT);
	return e ?: OM(O_OK);
}

/*
 * A job was submitted: let the queue drain behind a check batch, replace
 * the queue if the job (or whatever its changed arguments ran) banned it,
 * and put the syncobjs back.
 */
static void exec_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_exec *a = p;
	struct drm_svmgpu_queue_get_state st;
	uint32_t vm = a->queue_id == w->q_main ? w->vm_main : w->vm_scratch;

	igt_assert(queue_known(w, a->queue_id));
	run_check_batch(w, a->queue_id);
	st = queue_state(w, a->queue_id);
	if (st.state & DRM_SVMGPU_QUEUE_STATE_BANNED) {
		queue_destroy(w->fd, a->queue_id);
		queue_create_at(w->fd, vm, a->queue_id);
	}
	syncobjs_restore(w);
	memset(w->bo[BO_CHECK].map, 0, BUF_SIZE);
}

/*
 * WAIT_USER_FENCE. The template waits for a condition that already holds
 * (the fence equals its value) with timeout 0, on a queue of the world.
 * A condition that does not hold with timeout 0 fails with ETIME at once;
 * with another timeout it waits that long: ufence_bound() clamps such
 * timeouts (negative ones wait for ever) to UFENCE_MAX_WAIT_NS, and
 * run_call() refuses any argument it would still clamp, so no subtest
 * can wait long.
 */
static const struct field ufence_fields[] = {
	FIELD(struct drm_svmgpu_wait_user_fence, addr, false),
	FIELD(struct drm_svmgpu_wait_user_fence, value, false),
	FIELD(struct drm_svmgpu_wait_user_fence, mask, false),
	FIELD(struct drm_svmgpu_wait_user_fence, timeout_ns, false),
	FIELD(struct drm_svmgpu_wait_user_fence, op, false),
	FIELD(struct drm_svmgpu_wait_user_fence, queue_id, true),
	FIELD(struct drm_svmgpu_wait_user_fence, flags, false),
	FIELD(struct drm_svmgpu_wait_user_fence, pad, false),
	FIELD(struct drm_svmgpu_wait_user_fence, extensions, false),
};

static void ufence_valid(struct world *w, void *p)
{
	fill_templates(w);
	*(struct drm_svmgpu_wait_user_fence *)p = (struct drm_svmgpu_wait_user_fence){
		.addr = (uintptr_t)w->fence, .value = FENCE_VALUE, .mask = ~0ull,
		.op = DRM_SVMGPU_UFENCE_EQ, .queue_id = w->q_victim };
}

static bool ufence_holds(uint64_t cur, uint64_t value, uint64_t mask, uint32_t op)
{
	cur &= mask;
	value &= mask;
	switch (op) {
	case DRM_SVMGPU_UFENCE_EQ:
		return cur == value;
	case DRM_SVMGPU_UFENCE_NEQ:
		return cur != value;
	case DRM_SVMGPU_UFENCE_GT:
		return cur > value;
	case DRM_SVMGPU_UFENCE_GTE:
		return cur >= value;
	case DRM_SVMGPU_UFENCE_LT:
		return cur < value;
	default:
		return cur <= value;
	}
}

static uint32_t ufence_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_wait_user_fence *a = p;
	uint64_t cur;
	uint32_t e = 0;

	if (a->flags || a->pad || a->extensions || a->addr & 7 ||
	    a->op > DRM_SVMGPU_UFENCE_LTE)
		e |= OM(O_EINVAL);
	if (a->queue_id && !queue_known(w, a->queue_id))
		e |= OM(O_ENOENT);
	if (e)
		return e;
	if (!user_read(a->addr, &cur, sizeof(cur)))
		return OM(O_EFAULT);
	if (ufence_holds(cur, a->value, a->mask, a->op))
		return OM(O_OK);
	/*
	 * The world's queues are never banned (no EIO), and nothing changes
	 * the value while the call waits: the timeout passes.
	 */
	return OM(O_ETIME);
}

static bool ufence_bound(struct world *w, void *p)
{
	struct drm_svmgpu_wait_user_fence *a = p;

	if (ufence_expect(w, a) != OM(O_ETIME) ||
	    (a->timeout_ns >= 0 && a->timeout_ns <= UFENCE_MAX_WAIT_NS))
		return false;
	a->timeout_ns = (a->timeout_ns & 0xfffff) % (UFENCE_MAX_WAIT_NS + 1);
	return true;
}

/*
 * ETIME leaves 0 in timeout_ns; every other outcome of a call that did
 * not wait leaves it as it was (nothing of it was used up).
 */
static void ufence_written(struct world *w, void *p, int err)
{
	struct drm_svmgpu_wait_user_fence *a = p;

	if (err == ETIME)
		a->timeout_ns = 0;
}

static void ufence_undo(struct world *w, const void *p, bool complete)
{
	/* Nothing to undo: the fence and the queue are as they were. */
	igt_assert_eq_u64(w->fence[0], FENCE_VALUE);
}

/*
 * VM_QUERY. The template reads the mapping state of FAULT_PAGES pages of
 * the fault-mode VM (nothing is mapped there: all zero) into the start of
 * the misc page, data_size exactly what is needed.
 */
static const struct field vm_query_fields[] = {
	FIELD(struct drm_svmgpu_vm_query, vm_id, true),
	FIELD(struct drm_svmgpu_vm_query, type, false),
	FIELD(struct drm_svmgpu_vm_query, start, false),
	FIELD(struct drm_svmgpu_vm_query, size, false),
	FIELD(struct drm_svmgpu_vm_query, data, false),
	FIELD(struct drm_svmgpu_vm_query, data_size, false),
	FIELD(struct drm_svmgpu_vm_query, pad, false),
	FIELD(struct drm_svmgpu_vm_query, extensions, false),
};

static void vm_query_valid(struct world *w, void *p)
{
	fill_templates(w);
	*(struct drm_svmgpu_vm_query *)p = (struct drm_svmgpu_vm_query){
		.vm_id = w->vm_fault, .type = DRM_SVMGPU_VM_QUERY_PAGES,
		.start = VA_FAULT, .size = FAULT_PAGES * PAGE,
		.data = (uintptr_t)w->query_data, .data_size = FAULT_PAGES };
}

/* Bytes the query's result takes, or 0 if its checks fail (EINVAL/ENOENT). */
static uint64_t vm_query_need(struct world *w, const struct drm_svmgpu_vm_query *a,
			      uint32_t *e)
{
	*e = 0;
	if (a->pad || a->extensions ||
	    (a->type != DRM_SVMGPU_VM_QUERY_PAGES &&
	     a->type != DRM_SVMGPU_VM_QUERY_COUNTERS))
		*e |= OM(O_EINVAL);
	if (!vm_known(w, a->vm_id))
		*e |= OM(O_ENOENT);
	if (*e)
		return 0;
	if (a->vm_id != w->vm_fault) {
		*e = OM(O_EINVAL);	/* not in fault mode */
		return 0;
	}
	if (a->type == DRM_SVMGPU_VM_QUERY_COUNTERS) {
		if (a->start || a->size)
			*e = OM(O_EINVAL);
		return *e ? 0 : sizeof(struct drm_svmgpu_svm_counters);
	}
	/* PAGES: inside [0, 2^48 - DRM_SVMGPU_VM_GUARD), at most 1 GiB. */
	if ((a->start | a->size) & (PAGE - 1) || a->size > (1ull << 30) ||
	    !range_ok(a->start, a->size, 0, VA_END))
		*e = OM(O_EINVAL);
	return *e ? 0 : a->size / PAGE;
}

static uint32_t vm_query_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_vm_query *a = p;
	uint64_t need;
	uint32_t e;

	need = vm_query_need(w, a, &e);
	if (e)
		return e;
	if (a->data_size < need)
		return OM(O_ENOSPC);
	if (!user_writable(a->data, need))
		return OM(O_EFAULT);
	return OM(O_OK);
}

/* ENOSPC and success set data_size to the result's size; nothing else does. */
static void vm_query_written(struct world *w, void *p, int err)
{
	struct drm_svmgpu_vm_query *a = p;
	uint32_t e;
	uint64_t need = vm_query_need(w, a, &e);

	if (err == ENOSPC || !err)
		a->data_size = need;
}

static void vm_query_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_vm_query *a = p;
	uint8_t states[4096];
	uint32_t n = a->data_size;

	if (!complete || a->type != DRM_SVMGPU_VM_QUERY_PAGES)
		return;
	/* Nothing is mapped in the fault-mode VM: every page state is 0. */
	for (uint32_t off = 0; off < n; off += sizeof(states)) {
		uint32_t len = n - off < sizeof(states) ? n - off : sizeof(states);

		igt_assert(user_read(a->data + off, states, len));
		for (uint32_t i = 0; i < len; i++)
			igt_assert_f(!states[i], "page %u of %#" PRIx64 " has state %#x\n",
				     off + i, (uint64_t)a->start, states[i]);
	}
	memset(w->query_data, 0, PAGE / 2);
}

/*
 * VM_ATTR. The template SETs every attribute of FAULT_PAGES pages of the
 * fault-mode VM to its default: it changes nothing a GET can see. A SET
 * that succeeds is undone by a SET of the defaults over its range; a GET
 * writes the values into the array (allowed: the array is (out) for GET,
 * and the templates are rebuilt before each call), and must find the
 * defaults.
 */
static const struct field vm_attr_fields[] = {
	FIELD(struct drm_svmgpu_vm_attr, vm_id, true),
	FIELD(struct drm_svmgpu_vm_attr, op, false),
	FIELD(struct drm_svmgpu_vm_attr, start, false),
	FIELD(struct drm_svmgpu_vm_attr, size, false),
	FIELD(struct drm_svmgpu_vm_attr, attrs.stride, false),
	FIELD(struct drm_svmgpu_vm_attr, attrs.count, false),
	FIELD(struct drm_svmgpu_vm_attr, attrs.array, false),
	FIELD(struct drm_svmgpu_vm_attr, extensions, false),
};

static const struct field attr_fields[] = {
	FIELD(struct drm_svmgpu_attr, type, false),
	FIELD(struct drm_svmgpu_attr, pad, false),
	FIELD(struct drm_svmgpu_attr, value, false),
};

static void *vm_attr_attrs(struct world *w)
{
	return w->attrs;
}

static const struct array_desc vm_attr_arrays[] = {
	{ "attrs", offsetof(struct drm_svmgpu_vm_attr, attrs),
	  sizeof(struct drm_svmgpu_attr), DRM_SVMGPU_VM_ATTR_MAX, NR_ATTRS,
	  attr_fields, sizeof(attr_fields) / sizeof(attr_fields[0]), vm_attr_attrs, 0 },
};

static void vm_attr_valid(struct world *w, void *p)
{
	fill_templates(w);
	*(struct drm_svmgpu_vm_attr *)p = (struct drm_svmgpu_vm_attr){
		.vm_id = w->vm_fault, .op = DRM_SVMGPU_VM_ATTR_SET,
		.start = VA_FAULT, .size = FAULT_PAGES * PAGE,
		.attrs = { .stride = sizeof(struct drm_svmgpu_attr), .count = NR_ATTRS,
			   .array = (uintptr_t)w->attrs },
	};
}

struct attr_seen {
	bool get;
	uint32_t types;
};

static uint32_t attr_elem(struct world *w, const void *p, void *ctx)
{
	const struct drm_svmgpu_attr *a = p;
	struct attr_seen *seen = ctx;

	if (a->pad || a->type > DRM_SVMGPU_ATTR_PREFERRED_LOCATION ||
	    seen->types & (1u << a->type))
		return OM(O_EINVAL);
	seen->types |= 1u << a->type;
	if (seen->get)
		return 0;
	switch (a->type) {
	case DRM_SVMGPU_ATTR_ACCESS:
		return a->value > DRM_SVMGPU_ACCESS_READ_WRITE ? OM(O_EINVAL) : 0;
	case DRM_SVMGPU_ATTR_MAX_CHUNK:
		return a->value != 4096 && a->value != 65536 && a->value != (2u << 20) ?
		       OM(O_EINVAL) : 0;
	case DRM_SVMGPU_ATTR_READ_MOSTLY:
		return a->value > 1 ? OM(O_EINVAL) : 0;
	default:
		return a->value != DRM_SVMGPU_LOCATION_SYSTEM ? OM(O_EINVAL) : 0;
	}
}

static uint32_t vm_attr_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_vm_attr *a = p;
	struct attr_seen seen = { .get = a->op == DRM_SVMGPU_VM_ATTR_GET };
	uint32_t e = 0;

	if (a->extensions ||
	    (a->op != DRM_SVMGPU_VM_ATTR_SET && a->op != DRM_SVMGPU_VM_ATTR_GET) ||
	    (a->start | a->size) & (PAGE - 1) ||
	    !range_ok(a->start, a->size, DRM_SVMGPU_VM_GUARD, VA_END))
		e |= OM(O_EINVAL);
	e |= array_expect(w, &a->attrs, sizeof(struct drm_svmgpu_attr),
			  sizeof(struct drm_svmgpu_attr),
			  DRM_SVMGPU_VM_ATTR_MAX, false, attr_elem, &seen);
	if (!vm_known(w, a->vm_id))
		e |= OM(O_ENOENT);
	if (e)
		return e;
	if (a->vm_id != w->vm_fault)
		return OM(O_EINVAL);	/* not in fault mode */
	/* This process created the VM: no EACCES. GET writes each value. */
	for (uint32_t i = 0; seen.get && i < a->attrs.count; i++)
		if (!user_writable(a->attrs.array + (uint64_t)i * a->attrs.stride +
				   offsetof(struct drm_svmgpu_attr, value), 8))
			return OM(O_EFAULT);
	return OM(O_OK);
}

static void vm_attr_undo(struct world *w, const void *p, bool complete)
{
	const struct drm_svmgpu_vm_attr *a = p;
	struct drm_svmgpu_attr attrs[NR_ATTRS];

	if (a->op == DRM_SVMGPU_VM_ATTR_SET) {
		vm_attr_all(w, a->vm_id, DRM_SVMGPU_VM_ATTR_SET, a->start, a->size, attrs);
		return;
	}
	/* GET: nothing was changed, and the range has the defaults. */
	for (uint32_t i = 0; i < a->attrs.count; i++) {
		struct drm_svmgpu_attr got;

		igt_assert(user_read(a->attrs.array + (uint64_t)i * a->attrs.stride,
				     &got, sizeof(got)));
		igt_assert_f(got.value == attr_default(got.type),
			     "GET of attribute %u over %#" PRIx64 "+%#" PRIx64
			     ": %#" PRIx64 ", not its default\n", got.type,
			     (uint64_t)a->start, (uint64_t)a->size, (uint64_t)got.value);
	}
}

#define FIELDS(f)	f, sizeof(f) / sizeof((f)[0])

/*
 * USER_FENCE_WAKE: wakes the device's user-fence waiters (none here: the
 * subtests run single-threaded), no object, no side effect to undo.
 */
static const struct field ufence_wake_fields[] = {
	FIELD(struct drm_svmgpu_user_fence_wake, flags, false),
	FIELD(struct drm_svmgpu_user_fence_wake, pad, false),
};

static void ufence_wake_valid(struct world *w, void *p)
{
	*(struct drm_svmgpu_user_fence_wake *)p =
		(struct drm_svmgpu_user_fence_wake){ 0 };
}

static uint32_t ufence_wake_expect(struct world *w, const void *p)
{
	const struct drm_svmgpu_user_fence_wake *a = p;

	return a->flags || a->pad ? OM(O_EINVAL) : OM(O_OK);
}

static void ufence_wake_undo(struct world *w, const void *p, bool complete)
{
}

static const struct ioctl_desc ioctls[] = {
	{ "get-param", DRM_IOCTL_SVMGPU_GET_PARAM, sizeof(struct drm_svmgpu_get_param),
	  DOC_SHARED, FIELDS(get_param_fields), NULL, 0, false, false, 0,
	  get_param_valid, get_param_expect, get_param_undo, NULL, NULL, NULL },
	{ "gem-create", DRM_IOCTL_SVMGPU_GEM_CREATE, sizeof(struct drm_svmgpu_gem_create),
	  DOC_SHARED | OM(O_ENOMEM) | OM(O_ENOSPC), FIELDS(gem_create_fields),
	  NULL, 0, false, true, offsetof(struct drm_svmgpu_gem_create, extensions),
	  gem_create_valid, gem_create_expect, gem_create_undo, NULL, NULL, NULL },
	{ "gem-mmap-offset", DRM_IOCTL_SVMGPU_GEM_MMAP_OFFSET,
	  sizeof(struct drm_svmgpu_gem_mmap_offset),
	  DOC_SHARED | OM(O_ENOENT), FIELDS(mmap_offset_fields), NULL, 0, true, false, 0,
	  mmap_offset_valid, mmap_offset_expect, mmap_offset_undo, NULL, NULL, NULL },
	{ "vm-create", DRM_IOCTL_SVMGPU_VM_CREATE, sizeof(struct drm_svmgpu_vm_create),
	  DOC_SHARED | OM(O_ENOSPC) | OM(O_ENOMEM), FIELDS(vm_create_fields),
	  NULL, 0, false, true, offsetof(struct drm_svmgpu_vm_create, extensions),
	  vm_create_valid, vm_create_expect, vm_create_undo, NULL, NULL, NULL },
	{ "vm-destroy", DRM_IOCTL_SVMGPU_VM_DESTROY, sizeof(struct drm_svmgpu_vm_destroy),
	  DOC_SHARED | OM(O_ENOENT), FIELDS(vm_destroy_fields), NULL, 0, true, false, 0,
	  vm_destroy_valid, vm_destroy_expect, vm_destroy_undo, vm_destroy_forbidden,
	  NULL, NULL },
	{ "vm-bind", DRM_IOCTL_SVMGPU_VM_BIND, sizeof(struct drm_svmgpu_vm_bind),
	  DOC_SHARED | OM(O_ENOENT) | OM(O_EACCES) | OM(O_ENOMEM) | OM(O_EINTR),
	  FIELDS(vm_bind_fields), FIELDS(vm_bind_arrays), true, false,
	  offsetof(struct drm_svmgpu_vm_bind, extensions),
	  vm_bind_valid, vm_bind_expect, vm_bind_undo, vm_bind_forbidden, NULL, NULL },
	{ "queue-create", DRM_IOCTL_SVMGPU_QUEUE_CREATE,
	  sizeof(struct drm_svmgpu_queue_create),
	  DOC_SHARED | OM(O_ENOENT) | OM(O_ENOSPC) | OM(O_ENOMEM),
	  FIELDS(queue_create_fields), NULL, 0, true, true,
	  offsetof(struct drm_svmgpu_queue_create, extensions),
	  queue_create_valid, queue_create_expect, queue_create_undo, NULL, NULL, NULL },
	{ "queue-destroy", DRM_IOCTL_SVMGPU_QUEUE_DESTROY,
	  sizeof(struct drm_svmgpu_queue_destroy),
	  DOC_SHARED | OM(O_ENOENT), FIELDS(queue_destroy_fields), NULL, 0, true, false, 0,
	  queue_destroy_valid, queue_destroy_expect, queue_destroy_undo,
	  queue_destroy_forbidden, NULL, NULL },
	{ "queue-get-state", DRM_IOCTL_SVMGPU_QUEUE_GET_STATE,
	  sizeof(struct drm_svmgpu_queue_get_state),
	  DOC_SHARED | OM(O_ENOENT), FIELDS(get_state_fields), NULL, 0, true, false, 0,
	  get_state_valid, get_state_expect, get_state_undo, NULL, NULL, NULL },
	{ "exec", DRM_IOCTL_SVMGPU_EXEC, sizeof(struct drm_svmgpu_exec),
	  DOC_SHARED | OM(O_ENOENT) | OM(O_EACCES) | OM(O_EBUSY) | OM(O_EIO) |
	  OM(O_EALREADY) | OM(O_ENOMEM) | OM(O_EINTR), FIELDS(exec_fields), FIELDS(exec_arrays), true, false,
	  offsetof(struct drm_svmgpu_exec, extensions),
	  exec_valid, exec_expect, exec_undo, NULL, NULL, NULL },
	{ "wait-user-fence", DRM_IOCTL_SVMGPU_WAIT_USER_FENCE,
	  sizeof(struct drm_svmgpu_wait_user_fence),
	  DOC_SHARED | OM(O_ENOENT) | OM(O_EIO) | OM(O_ETIME) | OM(O_EINTR),
	  FIELDS(ufence_fields), NULL, 0, true, false,
	  offsetof(struct drm_svmgpu_wait_user_fence, extensions),
	  ufence_valid, ufence_expect, ufence_undo, NULL, ufence_bound, ufence_written },
	{ "vm-query", DRM_IOCTL_SVMGPU_VM_QUERY, sizeof(struct drm_svmgpu_vm_query),
	  DOC_SHARED | OM(O_ENOENT) | OM(O_ENOSPC) | OM(O_ENOMEM),
	  FIELDS(vm_query_fields), NULL, 0, true, false,
	  offsetof(struct drm_svmgpu_vm_query, extensions),
	  vm_query_valid, vm_query_expect, vm_query_undo, NULL, NULL, vm_query_written },
	{ "vm-attr", DRM_IOCTL_SVMGPU_VM_ATTR, sizeof(struct drm_svmgpu_vm_attr),
	  DOC_SHARED | OM(O_ENOENT) | OM(O_EACCES) | OM(O_ENOMEM),
	  FIELDS(vm_attr_fields), FIELDS(vm_attr_arrays), true, false,
	  offsetof(struct drm_svmgpu_vm_attr, extensions),
	  vm_attr_valid, vm_attr_expect, vm_attr_undo, NULL, NULL, NULL },
	{ "user-fence-wake", DRM_IOCTL_SVMGPU_USER_FENCE_WAKE,
	  sizeof(struct drm_svmgpu_user_fence_wake), DOC_SHARED,
	  FIELDS(ufence_wake_fields), NULL, 0, false, false, 0,
	  ufence_wake_valid, ufence_wake_expect, ufence_wake_undo, NULL, NULL, NULL },
};

#define NR_IOCTLS	(sizeof(ioctls) / sizeof(ioctls[0]))

/* Largest argument any test passes: the structure plus an oversized tail. */
#define ARG_MAX		512

static uint64_t field_get(const void *buf, const struct field *f)
{
	uint64_t v = 0;

	memcpy(&v, (const uint8_t *)buf + f->offset, f->size);
	return v;
}

static void field_set(void *buf, const struct field *f, uint64_t v)
{
	memcpy((uint8_t *)buf + f->offset, &v, f->size);
}

static uint64_t field_mask(const struct field *f)
{
	return f->size == 8 ? ~0ull : (1ull << (8 * f->size)) - 1;
}

static bool ioctl_writes_back(const struct ioctl_desc *d)
{
	return _IOC_DIR(d->request) & _IOC_READ;
}

static unsigned long request_sized(const struct ioctl_desc *d, size_t size)
{
	return _IOC(_IOC_DIR(d->request), _IOC_TYPE(d->request),
		    _IOC_NR(d->request), size);
}

/* A call that failed changed nothing that the model's world can see. */
static void quick_check(struct world *w, const struct ioctl_desc *d)
{
	igt_assert_f(vm_lookup(w, lowest_free(vm_known, w)) == -ENOENT,
		     "%s: a failed %s created a VM\n", w->name, d->name);
	igt_assert_f(queue_lookup(w, lowest_free(queue_known, w)) == -ENOENT,
		     "%s: a failed %s created a queue\n", w->name, d->name);
	igt_assert_f(bo_lookup(w, lowest_free(bo_known, w)) == -ENOENT,
		     "%s: a failed %s created a BO\n", w->name, d->name);
	if (d->request == DRM_IOCTL_SVMGPU_VM_BIND)
		snapshot_check(w);
	if (d->request == DRM_IOCTL_SVMGPU_EXEC)
		syncobjs_check(w);
}

/* Prints an argument field by field, and its arrays' elements. */
static void dump_args(const struct ioctl_desc *d, const void *args)
{
	for (unsigned int i = 0; i < d->nr_fields; i++)
		igt_info("  %s = %#" PRIx64 "\n", d->fields[i].name,
			 field_get(args, &d->fields[i]));
	for (unsigned int a = 0; a < d->nr_arrays; a++) {
		const struct array_desc *arr = &d->arrays[a];
		const struct drm_svmgpu_obj_array *oa =
			(const void *)((const uint8_t *)args + arr->obj_array);

		for (uint32_t e = 0; e < oa->count && e < 8; e++) {
			uint8_t elem[64];

			if (!user_read(oa->array + (uint64_t)e * oa->stride, elem,
				       arr->elem_size)) {
				igt_info("  %s[%u]: unreadable\n", arr->name, e);
				break;
			}
			for (unsigned int i = 0; i < arr->nr_fields; i++)
				igt_info("  %s[%u].%s = %#" PRIx64 "\n", arr->name, e,
					 arr->fields[i].name,
					 field_get(elem, &arr->fields[i]));
		}
	}
}

/*
 * Calls @d on @w with @size bytes at @buf, the kernel seeing @model (the
 * same bytes, or for a truncated call the structure with a zero tail).
 * Checks the outcome against the documentation and the model; undoes a
 * success, checks a failure had no effect. Returns the errno.
 */
static int run_call(struct world *w, const struct ioctl_desc *d, void *buf,
		    size_t size, const void *model, const char *what)
{
	uint8_t before[ARG_MAX + 64], out[ARG_MAX], seen[ARG_MAX];
	uint32_t expect = d->expect(w, model);
	enum outcome o;
	char e1[128];
	int err;

	igt_assert_lte(size, ARG_MAX);
	if (d->bound) {
		memcpy(out, model, d->size);
		igt_assert_f(!d->bound(w, out), "%s %s on %s: could wait for ever\n",
			     d->name, what, w->name);
	}
	memcpy(before, buf, size);
	/* What the kernel sees: @model may be @buf, which the call changes. */
	memcpy(seen, model, d->size);
	model = seen;
	err = call(w->fd, request_sized(d, size), buf);
	o = outcome_of(err);
	igt_assert_f(OM(o) & (d->documented | OM(O_OK)),
		     "%s %s on %s: %s is not a documented error of %s\n",
		     d->name, what, w->name, strerror(err), d->name);
	if (!(OM(o) & expect))
		dump_args(d, model);
	igt_assert_f(OM(o) & expect,
		     "%s %s on %s: got %s, expected %s\n", d->name, what, w->name,
		     err ? strerror(err) : "success",
		     outcomes_str(expect, e1, sizeof(e1)));
	if (d->written) {
		/* Exactly what is documented comes back; extra bytes as they were. */
		size_t n = size < d->size ? size : d->size;

		memcpy(out, model, d->size);
		d->written(w, out, err);
		if (memcmp(out, buf, n))
			dump_args(d, buf);
		igt_assert_f(!memcmp(out, buf, n),
			     "%s %s on %s: %s, but the argument written back is not "
			     "the documented one\n", d->name, what, w->name,
			     err ? strerror(err) : "success");
		igt_assert(size <= d->size ||
			   !memcmp(before + d->size, buf + d->size, size - d->size));
	}
	if (!err) {
		/* What the kernel returned, over the model's tail. */
		memcpy(out, model, d->size);
		memcpy(out, buf, size < d->size ? size : d->size);
		d->undo(w, out, size >= d->size);
		return 0;
	}
	igt_assert_f(d->written || !memcmp(before, buf, size),
		     "%s %s on %s: failed with %s but wrote the argument back changed\n",
		     d->name, what, w->name, strerror(err));
	quick_check(w, d);
	return err;
}

/* Calls the valid template; it must succeed (and is undone). */
static void run_template(struct world *w, const struct ioctl_desc *d)
{
	uint8_t buf[ARG_MAX];

	d->make_valid(w, buf);
	igt_assert_eq_u32(d->expect(w, buf), OM(O_OK));
	igt_assert_eq(run_call(w, d, buf, d->size, buf, "template"), 0);
}

static void test_fill(const struct ioctl_desc *d, uint8_t byte)
{
	struct world *w = &worlds[0];
	uint8_t buf[ARG_MAX];

	memset(buf, byte, d->size);
	run_call(w, d, buf, d->size, buf, byte ? "all ones" : "all zero");
	world_check(w);
}

static unsigned int flip_counts[O_NR];

static void print_counts(const unsigned int *counts)
{
	igt_info("outcomes: %u success, %u EINVAL, %u ENOENT, %u EFAULT, %u ENOSPC, "
		 "%u EALREADY, %u ETIME\n", counts[O_OK], counts[O_EINVAL],
		 counts[O_ENOENT], counts[O_EFAULT], counts[O_ENOSPC],
		 counts[O_EALREADY], counts[O_ETIME]);
}

static void flip_bits(struct world *w, const struct ioctl_desc *d, void *args,
		      void *target, const struct field *f, const char *where)
{
	uint64_t v = field_get(target, f);
	char what[128];

	for (unsigned int bit = 0; bit < 8u * f->size; bit++) {
		field_set(target, f, v ^ (1ull << bit));
		snprintf(what, sizeof(what), "%s%s bit %u", where, f->name, bit);
		flip_counts[outcome_of(run_call(w, d, args, d->size, args, what))]++;
		field_set(target, f, v);
	}
}

static void test_bit_flips(const struct ioctl_desc *d)
{
	struct world *w = &worlds[0];
	uint8_t args[ARG_MAX];
	char where[64];

	memset(flip_counts, 0, sizeof(flip_counts));
	run_template(w, d);
	d->make_valid(w, args);
	for (unsigned int i = 0; i < d->nr_fields; i++)
		flip_bits(w, d, args, args, &d->fields[i], "");
	for (unsigned int a = 0; a < d->nr_arrays; a++) {
		const struct array_desc *arr = &d->arrays[a];
		uint8_t *elems = arr->elems(w);

		for (unsigned int e = 0; e < arr->count; e++) {
			snprintf(where, sizeof(where), "%s[%u].", arr->name, e);
			for (unsigned int i = 0; i < arr->nr_fields; i++)
				flip_bits(w, d, args, elems + e * arr->elem_size,
					  &arr->fields[i], where);
		}
	}
	print_counts(flip_counts);
	world_check(w);
}

/* A random value for a field, often near its valid value. */
static uint64_t random_value(const struct field *f, uint64_t valid)
{
	uint32_t r = rng_below(100);
	uint64_t v;

	if (r < 35)
		v = valid;
	else if (r < 45)
		v = 0;
	else if (r < 50)
		v = ~0ull;
	else if (r < 65)
		v = valid ^ (1ull << rng_below(8 * f->size));
	else if (r < 75)
		v = rng_below(f->id ? PROBE_IDS : 17);
	else if (r < 85)
		v = valid + rng_below(33) - 16;
	else
		v = rng_next();
	return v & field_mask(f);
}

/* Changes about a third of the fields; @force: at least one for sure. */
static void randomize(const struct field *fields, unsigned int n, void *buf,
		      bool force)
{
	unsigned int must = force ? rng_below(n) : n;

	for (unsigned int i = 0; i < n; i++) {
		const struct field *f = &fields[i];
		uint64_t valid = field_get(buf, f), v;

		if (i != must && rng_below(3))
			continue;
		for (int tries = 0; tries < 8; tries++) {
			v = random_value(f, valid);
			if (i != must || v != valid)
				break;
		}
		field_set(buf, f, v);
	}
}

static void test_random(const struct ioctl_desc *d, unsigned int index)
{
	struct world *w = &worlds[0];
	uint64_t seed = seed_from_env();
	unsigned int counts[O_NR] = {};
	uint8_t args[ARG_MAX], saved[5][PAGE];
	struct arena *arenas[5] = { &w->ops_arena, &w->syncs_arena, &w->bos_arena,
				    &w->attrs_arena, &w->misc_arena };
	char what[64];

	igt_info("seed %#" PRIx64 " (set SVMGPU_BAD_INPUT_SEED to change), %d iterations\n",
		 seed, RANDOM_ITERATIONS);
	rng_state = seed ^ (0x100000001b3ull * (index + 1));
	for (int a = 0; a < 5; a++)
		memcpy(saved[a], arenas[a]->page, PAGE);

	for (int i = 0; i < RANDOM_ITERATIONS; i++) {
		for (int tries = 0; ; tries++) {
			d->make_valid(w, args);
			randomize(d->fields, d->nr_fields, args, true);
			for (unsigned int a = 0; a < d->nr_arrays; a++) {
				const struct array_desc *arr = &d->arrays[a];
				uint8_t *elems = arr->elems(w);

				for (unsigned int e = 0; e < arr->count; e++)
					randomize(arr->fields, arr->nr_fields,
						  elems + e * arr->elem_size, false);
			}
			if (d->bound)
				d->bound(w, args);
			if (!d->forbidden || !(d->expect(w, args) & OM(O_OK)) ||
			    !d->forbidden(w, args))
				break;
			for (int a = 0; a < 5; a++)
				memcpy(arenas[a]->page, saved[a], PAGE);
			igt_assert_lt(tries, 100);
		}
		snprintf(what, sizeof(what), "random iteration %d", i);
		counts[outcome_of(run_call(w, d, args, d->size, args, what))]++;
		for (int a = 0; a < 5; a++)
			memcpy(arenas[a]->page, saved[a], PAGE);
	}
	print_counts(counts);
	world_check(w);
}

static void test_truncated(const struct ioctl_desc *d)
{
	struct world *w = &worlds[0];
	uint8_t buf[ARG_MAX + 16], model[ARG_MAX];
	char what[64];

	for (size_t size = 0; size < d->size; size++) {
		d->make_valid(w, model);
		memset(model + size, 0, d->size - size);
		memcpy(buf, model, size);
		memset(buf + size, 0xa5, sizeof(buf) - size);
		snprintf(what, sizeof(what), "truncated to %zu bytes", size);
		run_call(w, d, buf, size, model, what);
		for (size_t i = size; i < sizeof(buf); i++)
			igt_assert_f(buf[i] == 0xa5, "%s %s: byte %zu past the size written\n",
				     d->name, what, i);
	}
	world_check(w);
}

static void test_oversized(const struct ioctl_desc *d)
{
	static const size_t extra[] = { 8, 64, 256 };
	struct world *w = &worlds[0];
	uint8_t buf[ARG_MAX], model[ARG_MAX];
	char what[64];

	for (unsigned int i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		size_t size = d->size + extra[i];

		d->make_valid(w, model);
		memcpy(buf, model, d->size);
		memset(buf + d->size, 0x5a, extra[i]);
		snprintf(what, sizeof(what), "with %zu extra bytes", extra[i]);
		run_call(w, d, buf, size, model, what);
		for (size_t b = d->size; b < size; b++)
			igt_assert_f(buf[b] == 0x5a, "%s %s: extra byte %zu changed\n",
				     d->name, what, b);
	}
	world_check(w);
}

/* An address that was mapped and is not any more. */
static uint64_t unmapped_address(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	munmap(p, PAGE);
	return (uintptr_t)p;
}

static void test_bad_arg_pointer(const struct ioctl_desc *d)
{
	struct world *w = &worlds[0];
	struct arena arena;
	uint8_t model[ARG_MAX];
	const struct {
		const char *what;
		uint64_t ptr;
	} bad[] = {
		{ "NULL", 0 },
		{ "kernel address", KERNEL_ADDR },
		{ "non-canonical address", NONCANON_ADDR },
		{ "all-ones address", ~0ull & ~7ull },
		{ "unmapped page", unmapped_address() },
		{ "PROT_NONE page", 0 /* set below */ },
		{ "struct running into a PROT_NONE page", 0 /* set below */ },
	};
	uint64_t ptrs[sizeof(bad) / sizeof(bad[0])];
	uint8_t *straddle;
	int err;

	arena_init(&arena, 16);
	d->make_valid(w, model);
	straddle = arena.guard_hi - d->size / 2;
	memcpy(straddle, model, d->size / 2);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ptrs[i] = bad[i].ptr;
	ptrs[5] = (uintptr_t)arena.guard_lo;
	ptrs[6] = (uintptr_t)straddle;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = call(w->fd, d->request, (void *)(uintptr_t)ptrs[i]);
		igt_assert_f(err == EFAULT, "%s with a %s argument: %s, expected EFAULT\n",
			     d->name, bad[i].what, strerror(err));
		quick_check(w, d);
	}

	/*
	 * A read-only argument: fine for an ioctl that only reads it; one
	 * that writes back fails with EFAULT. (A create ioctl would have made
	 * its object before the write-back fails: not done here, see the
	 * uAPI's "Error codes shared by all ioctls".)
	 */
	if (!d->creates) {
		memcpy(arena.page, model, d->size);
		igt_assert_eq(mprotect(arena.page, PAGE, PROT_READ), 0);
		err = call(w->fd, d->request, arena.page);
		if (ioctl_writes_back(d)) {
			igt_assert_f(err == EFAULT, "%s with a read-only argument: %s, "
				     "expected EFAULT\n", d->name, strerror(err));
			quick_check(w, d);
		} else {
			igt_assert_f(!err, "%s with a read-only argument: %s\n",
				     d->name, strerror(err));
			d->undo(w, model, true);
		}
	}
	arena_fini(&arena);
	world_check(w);
}

/* A bad-array case: changes the template's array @arr and says what fails. */
struct array_case {
	const char *name;
	uint32_t expect;
	void (*apply)(struct world *w, const struct array_desc *arr,
		      struct drm_svmgpu_obj_array *oa, struct arena *arena);
};

static void ac_null(struct world *w, const struct array_desc *arr,
		    struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->array = 0;
}

static void ac_kernel(struct world *w, const struct array_desc *arr,
		      struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->array = KERNEL_ADDR;
}

static void ac_noncanonical(struct world *w, const struct array_desc *arr,
			    struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->array = NONCANON_ADDR;
}

static void ac_unmapped(struct world *w, const struct array_desc *arr,
			struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->array = unmapped_address();
}

static void ac_prot_none(struct world *w, const struct array_desc *arr,
			 struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->array = (uintptr_t)arena->guard_lo;
}

/* The elements are valid, but the last one runs into the guard page. */
static void ac_straddle(struct world *w, const struct array_desc *arr,
			struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	size_t bytes = arr->count * arr->elem_size;
	uint8_t *p = arena->guard_hi - bytes + arr->elem_size / 2;

	memcpy(p, arr->elems(w), bytes - arr->elem_size / 2);
	oa->array = (uintptr_t)p;
}

/* One element more than the template holds: it is in the guard page. */
static void ac_one_more(struct world *w, const struct array_desc *arr,
			struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->count++;
}

static void ac_count_max(struct world *w, const struct array_desc *arr,
			 struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->count = arr->max;
}

static void ac_count_over(struct world *w, const struct array_desc *arr,
			  struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->count = arr->max + 1;
}

static void ac_count_all_ones(struct world *w, const struct array_desc *arr,
			      struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->count = ~0u;
}

static void ac_stride_short(struct world *w, const struct array_desc *arr,
			    struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->stride = (arr->min_stride ?: arr->elem_size) - 1;
}

/*
 * The smallest stride accepted: an older, shorter element (its missing
 * fields read as zero) - or the element's size.
 */
static void ac_stride_min(struct world *w, const struct array_desc *arr,
			  struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	size_t min = arr->min_stride ?: arr->elem_size;
	uint8_t *p = arena->page;

	for (uint32_t i = 0; i < oa->count; i++)
		memcpy(p + i * min, (uint8_t *)arr->elems(w) + i * arr->elem_size, min);
	oa->array = (uintptr_t)p;
	oa->stride = min;
}

static void ac_stride_zero(struct world *w, const struct array_desc *arr,
			   struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->stride = 0;
}

/* A longer stride: the next element's bytes are the first one's tail. */
static void ac_stride_long(struct world *w, const struct array_desc *arr,
			   struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->stride = arr->elem_size + 8;
}

/*
 * One valid element at the end of a page and a huge stride: the tail the
 * kernel must find zero runs into the guard page. count * stride is past
 * 2^32, so a kernel computing offsets in 32 bits would come back into
 * the page instead.
 */
static void ac_stride_overflow(struct world *w, const struct array_desc *arr,
			       struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	uint8_t *p = arena->guard_hi - arr->elem_size;

	memcpy(p, arr->elems(w), arr->elem_size);
	oa->array = (uintptr_t)p;
	oa->count = 3;
	oa->stride = 0x80000000u;
}

/* The last user page: elements past it would be kernel addresses. */
static void ac_user_top(struct world *w, const struct array_desc *arr,
			struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->array = USER_TOP - arr->elem_size / 2;
}

/* Element addresses that wrap around 2^64 back to user memory. */
static void ac_wrap(struct world *w, const struct array_desc *arr,
		    struct drm_svmgpu_obj_array *oa, struct arena *arena)
{
	oa->count = 2;
	oa->stride = 0xfffffff0u;
	oa->array = (uintptr_t)arr->elems(w) - 0xfffffff0ull;
}

static const struct array_case array_cases[] = {
	{ "null", OM(O_EFAULT), ac_null },
	{ "kernel", OM(O_EFAULT), ac_kernel },
	{ "non-canonical", OM(O_EFAULT), ac_noncanonical },
	{ "unmapped", OM(O_EFAULT), ac_unmapped },
	{ "prot-none", OM(O_EFAULT), ac_prot_none },
	{ "into-unmapped", OM(O_EFAULT), ac_straddle },
	{ "one-element-more", OM(O_EFAULT), ac_one_more },
	{ "count-max", OM(O_EFAULT), ac_count_max },
	{ "count-over-max", OM(O_EINVAL), ac_count_over },
	{ "count-all-ones", OM(O_EINVAL), ac_count_all_ones },
	{ "stride-short", OM(O_EINVAL), ac_stride_short },
	{ "stride-min", OM(O_OK), ac_stride_min },
	{ "stride-zero", OM(O_EINVAL), ac_stride_zero },
	{ "stride-non-zero-tail", OM(O_EINVAL), ac_stride_long },
	{ "stride-overflow", OM(O_EFAULT), ac_stride_overflow },
	{ "user-top", OM(O_EFAULT), ac_user_top },
	{ "wrap", OM(O_EFAULT), ac_wrap },
};

static void test_bad_array(const struct ioctl_desc *d, const struct array_desc *arr)
{
	struct world *w = &worlds[0];
	uint8_t args[ARG_MAX];
	struct arena arena;
	char what[96], e1[64];

	arena_init(&arena, 17);
	for (unsigned int i = 0; i < sizeof(array_cases) / sizeof(array_cases[0]); i++) {
		const struct array_case *c = &array_cases[i];
		uint32_t model;

		d->make_valid(w, args);
		c->apply(w, arr, (void *)(args + arr->obj_array), &arena);
		model = d->expect(w, args);
		igt_assert_f(model == c->expect, "%s %s %s: the model says %s\n", d->name,
			     arr->name, c->name, outcomes_str(model, e1, sizeof(e1)));
		snprintf(what, sizeof(what), "%s %s", arr->name, c->name);
		run_call(w, d, args, d->size, args, what);
		memset(arena.page, 0, PAGE);
	}
	arena_fini(&arena);
	world_check(w);
}

static void test_extensions(const struct ioctl_desc *d)
{
	struct world *w = &worlds[0];
	struct drm_svmgpu_ext_header *h;
	uint8_t args[ARG_MAX];
	struct arena arena;
	uint64_t chains[11];
	const char *names[11] = {
		"a header pointing at itself", "two headers pointing at each other",
		"an unknown name", "name 0", "a non-zero pad", "random bytes",
		"a header running into a PROT_NONE page", "a PROT_NONE page",
		"a kernel address", "a non-canonical address", "an unmapped page",
	};

	arena_init(&arena, 18);
	h = (void *)arena.page;
	h[0] = (struct drm_svmgpu_ext_header){ .next = (uintptr_t)&h[0] };
	h[1] = (struct drm_svmgpu_ext_header){ .next = (uintptr_t)&h[2], .name = 1 };
	h[2] = (struct drm_svmgpu_ext_header){ .next = (uintptr_t)&h[1], .name = 1 };
	h[3] = (struct drm_svmgpu_ext_header){ .name = 0xdeadbeef };
	h[4] = (struct drm_svmgpu_ext_header){};
	h[5] = (struct drm_svmgpu_ext_header){ .pad = 1 };
	for (int i = 0; i < 64; i++)
		arena.page[1024 + i] = rng_next();
	chains[0] = (uintptr_t)&h[0];
	chains[1] = (uintptr_t)&h[1];
	chains[2] = (uintptr_t)&h[3];
	chains[3] = (uintptr_t)&h[4];
	chains[4] = (uintptr_t)&h[5];
	chains[5] = (uintptr_t)arena.page + 1024;
	chains[6] = (uintptr_t)arena.guard_hi - 8;
	chains[7] = (uintptr_t)arena.guard_lo;
	chains[8] = KERNEL_ADDR;
	chains[9] = NONCANON_ADDR;
	chains[10] = unmapped_address();

	for (unsigned int i = 0; i < sizeof(chains) / sizeof(chains[0]); i++) {
		char what[96];

		d->make_valid(w, args);
		memcpy(args + d->extensions, &chains[i], 8);
		igt_assert_eq_u32(d->expect(w, args), OM(O_EINVAL));
		snprintf(what, sizeof(what), "extensions: %s", names[i]);
		run_call(w, d, args, d->size, args, what);
	}
	arena_fini(&arena);
	world_check(w);
}

static void test_cross_fd(const struct ioctl_desc *d)
{
	uint8_t args[ARG_MAX];

	for (int from = 0; from < 2; from++) {
		struct world *owner = &worlds[from], *other = &worlds[!from];

		/* The owner's own template works... */
		run_template(owner, d);
		/* ...and names nothing on the other file. */
		d->make_valid(owner, args);
		igt_assert_eq_u32(d->expect(other, args), OM(O_ENOENT));
		run_call(other, d, args, d->size, args, "with the other file's ids");
	}
	world_check(&worlds[0]);
	world_check(&worlds[1]);
}

static void test_unknown_ioctl(void)
{
	struct world *w = &worlds[0];
	static const struct {
		unsigned int dir;
		unsigned int size;
	} shapes[] = {
		{ _IOC_READ | _IOC_WRITE, 8 }, { _IOC_NONE, 0 }, { _IOC_WRITE, 64 },
		{ _IOC_READ, 16 }, { _IOC_READ | _IOC_WRITE, 4096 },
	};
	static uint8_t buf[4096];
	unsigned int first = 0;

	/*
	 * The numbers past the last ioctl: the table has a row for every
	 * number of the header (append-only, so they are 0 to the last,
	 * DRM_SVMGPU_USER_FENCE_WAKE), and the first unknown one comes after
	 * them.
	 */
	for (unsigned int i = 0; i < NR_IOCTLS; i++)
		if (_IOC_NR(ioctls[i].request) - DRM_COMMAND_BASE >= first)
			first = _IOC_NR(ioctls[i].request) - DRM_COMMAND_BASE + 1;
	igt_assert_eq(first, NR_IOCTLS);
	igt_assert_eq(first, DRM_SVMGPU_USER_FENCE_WAKE + 1);
	for (unsigned int nr = DRM_COMMAND_BASE + first; nr < DRM_COMMAND_END; nr++) {
		for (unsigned int s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
			unsigned long req = _IOC(shapes[s].dir, DRM_IOCTL_BASE, nr,
						 shapes[s].size);
			int err;

			memset(buf, 0xff, sizeof(buf));
			err = call(w->fd, req, buf);
			igt_assert_f(err == EINVAL, "ioctl %#x size %u: %s, expected EINVAL\n",
				     nr, shapes[s].size, strerror(err));
			for (unsigned int i = 0; i < sizeof(buf); i++)
				igt_assert_eq(buf[i], 0xff);
			err = call(w->fd, req, NULL);
			igt_assert_f(err == EINVAL, "ioctl %#x with NULL: %s, expected EINVAL\n",
				     nr, strerror(err));
		}
	}
	/* A driver number under another ioctl type is not DRM's at all. */
	for (unsigned int i = 0; i < NR_IOCTLS; i++) {
		unsigned long req = _IOC(_IOC_DIR(ioctls[i].request), 'e',
					 _IOC_NR(ioctls[i].request),
					 _IOC_SIZE(ioctls[i].request));

		igt_assert_eq(call(w->fd, req, buf), ENOTTY);
	}
	quick_check(w, &ioctls[0]);
	world_check(w);
}

igt_main
{
	igt_fixture {
		int a = drm_open_driver_render(DRIVER_SVMGPU);
		int b = drm_open_driver_render(DRIVER_SVMGPU);

		world_init(&worlds[0], a, "fd A", 0);
		world_init(&worlds[1], b, "fd B", 8);
	}

	igt_describe("An all-zero argument of each ioctl works as documented "
		     "(GET_PARAM, VM_CREATE) or fails with its documented error, "
		     "and changes nothing.");
	igt_subtest_with_dynamic("zeroed")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			igt_dynamic(ioctls[i].name)
				test_fill(&ioctls[i], 0);

	igt_describe("An all-ones argument of each ioctl fails with EINVAL or "
		     "EFAULT as documented, and changes nothing.");
	igt_subtest_with_dynamic("maximal")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			igt_dynamic(ioctls[i].name)
				test_fill(&ioctls[i], 0xff);

	igt_describe_f("%d seeded random arguments per ioctl (fields and array "
		       "elements mixing valid, boundary and random values) each "
		       "succeed or fail exactly as the model of the kernel-doc "
		       "allows; successes are undone, failures change nothing. "
		       "The seed (default %#llx) is printed; SVMGPU_BAD_INPUT_SEED "
		       "sets another.", RANDOM_ITERATIONS,
		       (unsigned long long)DEFAULT_SEED);
	igt_subtest_with_dynamic("random")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			igt_dynamic(ioctls[i].name)
				test_random(&ioctls[i], i);

	igt_describe("From a valid argument, every bit of every field and of "
		     "every array element's fields is flipped alone: the call "
		     "fails with exactly the error documented for that field "
		     "and changes nothing, or (where the flipped value is valid) "
		     "succeeds.");
	igt_subtest_with_dynamic("bit-flips")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			igt_dynamic(ioctls[i].name)
				test_bit_flips(&ioctls[i]);

	igt_describe("A valid argument passed with every size smaller than its "
		     "structure behaves as the structure with a zero tail; the "
		     "kernel writes nothing past the size.");
	igt_subtest_with_dynamic("truncated")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			igt_dynamic(ioctls[i].name)
				test_truncated(&ioctls[i]);

	igt_describe("A valid argument passed larger than its structure, the "
		     "extra bytes non-zero, behaves as the structure; the extra "
		     "bytes are left as they were.");
	igt_subtest_with_dynamic("oversized")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			igt_dynamic(ioctls[i].name)
				test_oversized(&ioctls[i]);

	igt_describe("NULL, kernel, non-canonical, unmapped, PROT_NONE and "
		     "page-straddling argument pointers fail with EFAULT and "
		     "change nothing; a read-only argument works for ioctls "
		     "that only read it and fails with EFAULT for the others.");
	igt_subtest_with_dynamic("bad-arg-pointer")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			igt_dynamic(ioctls[i].name)
				test_bad_arg_pointer(&ioctls[i]);

	igt_describe("Bad array pointers (NULL, kernel, non-canonical, "
		     "unmapped, PROT_NONE, running into an unmapped page, "
		     "past the last user page, wrapping around) fail with "
		     "EFAULT; counts past the maximum and short strides with "
		     "EINVAL; a stride whose extra bytes are not zero with "
		     "EINVAL; count and stride at their limits and count * "
		     "stride past 32 and 64 bits fail with their documented "
		     "errors; nothing changes.");
	igt_subtest_with_dynamic("bad-array")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			for (unsigned int a = 0; a < ioctls[i].nr_arrays; a++)
				igt_dynamic_f("%s-%s", ioctls[i].name,
					      ioctls[i].arrays[a].name)
					test_bad_array(&ioctls[i], &ioctls[i].arrays[a]);

	igt_describe("Extension chains that loop, point at garbage, at "
		     "unmapped or kernel memory, or name unknown extensions "
		     "fail with EINVAL at once (no extension is defined yet).");
	igt_subtest_with_dynamic("extensions")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			if (ioctls[i].extensions)
				igt_dynamic(ioctls[i].name)
					test_extensions(&ioctls[i]);

	igt_describe("A valid argument of one file fails with ENOENT on another "
		     "file of the same device, in both directions, and changes "
		     "neither.");
	igt_subtest_with_dynamic("cross-fd")
		for (unsigned int i = 0; i < NR_IOCTLS; i++)
			if (ioctls[i].has_ids)
				igt_dynamic(ioctls[i].name)
					test_cross_fd(&ioctls[i]);

	igt_describe("Driver ioctl numbers past the table fail with EINVAL (the "
		     "DRM core's answer) for any size, direction or pointer and "
		     "write nothing; another ioctl type fails with ENOTTY.");
	igt_subtest("unknown-ioctl")
		test_unknown_ioctl();

	igt_fixture {
		world_fini(&worlds[1]);
		world_fini(&worlds[0]);
	}
}
