// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_hw_engine.c - the command engines and queue slots of the svmgpu
 * virtual GPU.
 *
 * Over 1000 lines, on purpose: the engine threads, the command decoder,
 * the DMA channels and the queue slots' registers share one piece of
 * state, the slots and engines under the hardware's queue_lock, whose
 * rules (who may change a slot, and when an interrupt is raised) read
 * best in one place.
 */

/**
 * DOC: Engines
 *
 * Each engine is a kernel thread. It serves the enabled queue slots whose
 * ENGINE register names it, round robin, one bounded step at a time: one
 * command, at most SVMGPU_HW_STEP_BYTES of a COPY or FILL, or at most
 * SVMGPU_HW_SHADER_BUDGET shader instructions of a DISPATCH (the engine is
 * also a compute unit; see the Shader cores DOC), then the next runnable
 * slot. A slot is runnable while it has work (HEAD != TAIL, or a
 * batch in progress) and is not stopped (ERROR), stalled on a fault, or
 * blocked in a WAIT whose next look is not due yet. With nothing runnable
 * the engine sleeps until a DOORBELL, ENABLE or RESUME wakes it, or until
 * the earliest blocked WAIT is due again (SVMGPU_HW_WAIT_POLL_NS).
 *
 * A step reads the ring (physical memory) at HEAD, or the next command of
 * the batch in progress (through the MMU), validates it completely and
 * executes it. HEAD moves past a ring command when it has completed; past
 * a BATCH when the whole batch has. Errors, faults, FENCEs and user fences
 * with an interrupt are published at the end of the step: the slot's
 * registers, its fault record and its QUEUE_IRQ_PENDING bit change
 * together under queue_lock; then IRQ_STATUS is raised with no lock held,
 * which may call the interrupt handler on this thread.
 *
 * Whatever a step leaves half done (a batch, a COPY or FILL partly
 * copied, an ATOMIC whose return value is not written yet, a faulting
 * access) is kept in the slot's execution state and continued by the next
 * step, also after RESUME, or DISABLE and ENABLE. RESET throws it away.
 *
 * DISABLE and RESET wait until the slot's engine is not executing the slot
 * (struct svmgpu_hw_engine.active); a step is short, so they sleep briefly.
 */

/**
 * DOC: DMA channels
 *
 * An engine moves data through svmgpu_hw.num_channels DMA channels: the
 * engine thread itself (channel 0) and helper threads. Each channel has its
 * own MMU port (access lock and TLB; see the MMU DOC). Only a long COPY
 * uses the helpers: when at least SVMGPU_HW_SPLIT_MIN_BYTES are left and
 * the next SVMGPU_HW_SPLIT_BYTES of source and destination are apart (by
 * virtual address), the step becomes a split step of up to
 * SVMGPU_HW_SPLIT_BYTES cut into chunks of SVMGPU_HW_STEP_BYTES. The engine
 * posts the step to every helper and wakes it, then the engine and the
 * helpers claim chunks one at a time until none is left, each copying its
 * chunk through its own port. The step ends when every helper that took
 * it has finished (a helper that never woke in time takes nothing and is
 * not waited for), so no channel touches memory outside a step of its
 * engine, and DISABLE, RESET and power-off still wait for one step only.
 * The step's progress is the chunks before the first that faulted; that
 * chunk's fault is the step's, exactly as a COPY on one channel would
 * report it. Chunks after it may have been copied already and are copied
 * again on RESUME, which changes nothing for ranges that are apart (when
 * the destination is the source through another mapping the result is
 * undefined, as with any multi-channel DMA engine).
 */

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_regs.h"
#include "svmgpu_hw_internal.h"
#include "svmgpu_hw_shader.h"

#define SVMGPU_HW_RING_MIN	(4u << 10)
#define SVMGPU_HW_RING_MAX	(64u << 10)

/**
 * enum svmgpu_hw_result - how a step ended.
 * @SVMGPU_HW_STEP_OK: progress made (a command done or partly done).
 * @SVMGPU_HW_STEP_WAIT: a WAIT's condition does not hold yet.
 * @SVMGPU_HW_STEP_FAULT: an access faulted; see svmgpu_hw_step.fault.
 * @SVMGPU_HW_STEP_ERROR: the slot stops; see svmgpu_hw_step.error.
 */
enum svmgpu_hw_result {
	SVMGPU_HW_STEP_OK,
	SVMGPU_HW_STEP_WAIT,
	SVMGPU_HW_STEP_FAULT,
	SVMGPU_HW_STEP_ERROR,
};

/**
 * struct svmgpu_hw_step - one engine step on one slot.
 * @ring_base: RING_BASE when the step began.
 * @ring_size: RING_SIZE when the step began.
 * @root: PT_ROOT when the step began.
 * @tail: TAIL when the step began.
 * @head: HEAD; the step moves it.
 * @result: how the step ended.
 * @error: SVMGPU_Q_ERR_* for SVMGPU_HW_STEP_ERROR.
 * @fault: the fault for SVMGPU_HW_STEP_FAULT.
 * @fence: a FENCE completed; @seqno is its value.
 * @seqno: see @fence.
 * @irq: a command asked for the queue interrupt.
 * @completed: commands the step completed (ENG_CMDS).
 * @fatal: @fault ends the job in either fault mode (a shader's illegal
 *	   instruction or exception).
 */
struct svmgpu_hw_step {
	u64 ring_base;
	u32 ring_size;
	u64 root;
	u32 tail;
	u32 head;
	enum svmgpu_hw_result result;
	u32 error;
	struct svmgpu_hw_fault_info fault;
	bool fence;
	u32 seqno;
	bool irq;
	unsigned int completed;
	bool fatal;
};

static u64 svmgpu_hw_cmd_u64(const u32 *cmd, unsigned int i)
{
	return cmd[i] | (u64)cmd[i + 1] << 32;
}

/* Length in dwords of a command, or 0 when it is not allowed there. */
static unsigned int svmgpu_hw_cmd_dwords(u32 op, bool batch)
{
	switch (op) {
	case SVMGPU_OP_NOP:
		return SVMGPU_NOP_DWORDS;
	case SVMGPU_OP_END:
		return batch ? SVMGPU_END_DWORDS : 0;
	case SVMGPU_OP_BATCH:
		return batch ? 0 : SVMGPU_BATCH_DWORDS;
	case SVMGPU_OP_FENCE:
		return batch ? 0 : SVMGPU_FENCE_DWORDS;
	case SVMGPU_OP_COPY:
		return batch ? SVMGPU_COPY_DWORDS : 0;
	case SVMGPU_OP_FILL:
		return batch ? SVMGPU_FILL_DWORDS : 0;
	case SVMGPU_OP_WRITE:
		return batch ? SVMGPU_WRITE_DWORDS : 0;
	case SVMGPU_OP_ATOMIC:
		return batch ? SVMGPU_ATOMIC_DWORDS : 0;
	case SVMGPU_OP_TIMESTAMP:
		return batch ? SVMGPU_TIMESTAMP_DWORDS : 0;
	case SVMGPU_OP_WAIT:
		return batch ? SVMGPU_WAIT_DWORDS : 0;
	case SVMGPU_OP_USER_FENCE:
		return batch ? SVMGPU_USER_FENCE_DWORDS : 0;
	case SVMGPU_OP_DISPATCH:
	case SVMGPU_OP_DISPATCH_INDIRECT:
		return batch ? SVMGPU_DISPATCH_DWORDS : 0;
	}
	/* Unknown, and the reserved compute opcodes. */
	return 0;
}

/* A grid of at least one and at most 2^64 - 1 workgroups. */
static bool svmgpu_hw_grid_ok(u32 x, u32 y, u32 z)
{
	u64 xy = (u64)x * y, total;

	return x && y && z && !check_mul_overflow(xy, (u64)z, &total);
}

/* The operands of DISPATCH and DISPATCH_INDIRECT (svmgpu_cmd.h). */
static bool svmgpu_hw_dispatch_valid(const u32 *cmd)
{
	bool indirect = SVMGPU_CMD_OPCODE(cmd[0]) == SVMGPU_OP_DISPATCH_INDIRECT;
	u32 words = cmd[4], vregs = cmd[5] & 0xff, sregs = (cmd[5] >> 8) & 0xff;
	u32 x = cmd[10] & 0xffff, y = cmd[10] >> 16, z = cmd[11] & 0xffff;

	if ((svmgpu_hw_cmd_u64(cmd, 2) & 7) || !words ||
	    words > SVMGPU_ISA_MAX_WORDS || !vregs ||
	    vregs > SVMGPU_ISA_MAX_VREGS || sregs > SVMGPU_ISA_MAX_SREGS ||
	    (cmd[5] >> 16) || (cmd[11] >> 16) || cmd[9] > SVMGPU_ISA_MAX_SHARED)
		return false;
	if (!x || !y || !z || x * y * z > SVMGPU_ISA_MAX_WG_SIZE)
		return false;
	if (indirect)
		return !(cmd[6] & 3) && !cmd[8];
	return svmgpu_hw_grid_ok(cmd[6], cmd[7], cmd[8]);
}

/* Flags, reserved dword and operands of a whole command of the right size. */
static bool svmgpu_hw_cmd_valid(const u32 *cmd)
{
	u32 op = SVMGPU_CMD_OPCODE(cmd[0]), flags = SVMGPU_CMD_FLAGS(cmd[0]);
	u64 align;

	/* The second dword is reserved, except FENCE's seqno. */
	if (op != SVMGPU_OP_FENCE && cmd[1])
		return false;

	switch (op) {
	case SVMGPU_OP_NOP:
	case SVMGPU_OP_END:
	case SVMGPU_OP_FENCE:
	case SVMGPU_OP_COPY:
		return !flags;
	case SVMGPU_OP_BATCH: {
		u64 va = svmgpu_hw_cmd_u64(cmd, 2);
		u64 size = svmgpu_hw_cmd_u64(cmd, 4);

		return !flags && !(va & 7) && !(size & 7) &&
		       size <= SVMGPU_BATCH_MAX_SIZE && va + size >= va;
	}
	case SVMGPU_OP_FILL:
		return !flags && !(svmgpu_hw_cmd_u64(cmd, 2) & 3) &&
		       !(svmgpu_hw_cmd_u64(cmd, 4) & 3);
	case SVMGPU_OP_WRITE:
		align = flags & SVMGPU_WRITE_64 ? 7 : 3;
		return !(flags & ~SVMGPU_WRITE_64) &&
		       !(svmgpu_hw_cmd_u64(cmd, 2) & align);
	case SVMGPU_OP_ATOMIC:
		align = flags & SVMGPU_ATOMIC_64 ? 7 : 3;
		return !(flags & ~(SVMGPU_ATOMIC_OP_MASK | SVMGPU_ATOMIC_64 |
				   SVMGPU_ATOMIC_SIGNED)) &&
		       (flags & SVMGPU_ATOMIC_OP_MASK) <= SVMGPU_ATOMIC_MAX &&
		       !(svmgpu_hw_cmd_u64(cmd, 2) & align) &&
		       !(svmgpu_hw_cmd_u64(cmd, 8) & align);
	case SVMGPU_OP_TIMESTAMP:
		return !flags && !(svmgpu_hw_cmd_u64(cmd, 2) & 7);
	case SVMGPU_OP_WAIT:
		align = flags & SVMGPU_WAIT_64 ? 7 : 3;
		return !(flags & ~(SVMGPU_WAIT_CMP_MASK | SVMGPU_WAIT_64)) &&
		       (flags & SVMGPU_WAIT_CMP_MASK) <= SVMGPU_WAIT_LTE &&
		       !(svmgpu_hw_cmd_u64(cmd, 2) & align);
	case SVMGPU_OP_USER_FENCE:
		return !(flags & ~SVMGPU_USER_FENCE_IRQ) &&
		       !(svmgpu_hw_cmd_u64(cmd, 2) & 7);
	case SVMGPU_OP_DISPATCH:
	case SVMGPU_OP_DISPATCH_INDIRECT:
		return !flags && svmgpu_hw_dispatch_valid(cmd);
	}
	return false;
}

static void svmgpu_hw_step_error(struct svmgpu_hw_step *st, u32 error)
{
	st->result = SVMGPU_HW_STEP_ERROR;
	st->error = error;
}

/* Reads @count dwords of the ring at byte @offset, wrapping at its end. */
static void svmgpu_hw_ring_read(const struct svmgpu_hw_step *st, u32 offset,
				u32 *dw, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		u32 off = (offset + 4 * i) & (st->ring_size - 1);
		struct page *page = pfn_to_page((st->ring_base >> PAGE_SHIFT) +
						(off >> PAGE_SHIFT));
		__le32 *vaddr = kmap_local_page(page);

		dw[i] = le32_to_cpu(READ_ONCE(vaddr[(off & ~PAGE_MASK) / 4]));
		kunmap_local(vaddr);
	}
}

/* One ring command at HEAD: NOP, FENCE, or the start of a BATCH. */
static void svmgpu_hw_exec_ring(struct svmgpu_hw_queue *q,
				struct svmgpu_hw_step *st)
{
	u32 avail = (st->tail - st->head) & (st->ring_size - 1);
	struct svmgpu_hw_exec *ex = &q->exec;
	u32 cmd[SVMGPU_BATCH_DWORDS];
	unsigned int len;

	svmgpu_hw_ring_read(st, st->head, cmd, 1);
	len = svmgpu_hw_cmd_dwords(SVMGPU_CMD_OPCODE(cmd[0]), false);
	if (!len || SVMGPU_CMD_DWORDS(cmd[0]) != len) {
		svmgpu_hw_step_error(st, SVMGPU_Q_ERR_BAD_COMMAND);
		return;
	}
	if (len * 4 > avail) {
		/* The command runs past TAIL. */
		svmgpu_hw_step_error(st, SVMGPU_Q_ERR_BAD_RING);
		return;
	}
	svmgpu_hw_ring_read(st, st->head + 4, cmd + 1, len - 1);
	if (!svmgpu_hw_cmd_valid(cmd)) {
		svmgpu_hw_step_error(st, SVMGPU_Q_ERR_BAD_COMMAND);
		return;
	}

	switch (SVMGPU_CMD_OPCODE(cmd[0])) {
	case SVMGPU_OP_FENCE:
		st->fence = true;
		st->seqno = cmd[1];
		fallthrough;
	case SVMGPU_OP_NOP:
		st->head = (st->head + len * 4) & (st->ring_size - 1);
		st->completed++;
		break;
	case SVMGPU_OP_BATCH:
		/* HEAD stays on the BATCH until the batch is done. */
		ex->batch_active = true;
		ex->batch_va = svmgpu_hw_cmd_u64(cmd, 2);
		ex->batch_end = ex->batch_va + svmgpu_hw_cmd_u64(cmd, 4);
		break;
	}
}

static bool svmgpu_hw_step_fault(struct svmgpu_hw_step *st)
{
	st->result = SVMGPU_HW_STEP_FAULT;
	return false;
}

static bool svmgpu_hw_wait_holds(u32 cmp, u64 value, u64 ref)
{
	switch (cmp) {
	case SVMGPU_WAIT_EQ:
		return value == ref;
	case SVMGPU_WAIT_NE:
		return value != ref;
	case SVMGPU_WAIT_GT:
		return value > ref;
	case SVMGPU_WAIT_GTE:
		return value >= ref;
	case SVMGPU_WAIT_LT:
		return value < ref;
	default:
		return value <= ref;
	}
}

/* Copies chunks of @split through @port until none is left unclaimed. */
static void svmgpu_hw_split_work(struct svmgpu_hw_split *split,
				 struct svmgpu_hw_port *port)
{
	unsigned int i;

	while ((i = atomic_fetch_inc(&split->next)) < split->chunks) {
		u64 off = (u64)i * SVMGPU_HW_STEP_BYTES;

		split->ret[i] = svmgpu_hw_mem_copy(port, split->root,
						   split->dst + off,
						   split->src + off,
						   min_t(u64, split->len - off,
							 SVMGPU_HW_STEP_BYTES),
						   false, &split->done[i],
						   &split->fault[i]);
	}
}

/*
 * A split COPY step: @len bytes (at most SVMGPU_HW_SPLIT_BYTES, source and
 * destination apart) copied forward by the engine and its helper channels
 * together, a chunk of SVMGPU_HW_STEP_BYTES at a time. Return: 0, or
 * -EFAULT with @fault of the first chunk that faulted; @done: the bytes
 * copied before it (chunks after it may have been copied too; a COPY of
 * ranges apart may copy a byte again).
 */
static int svmgpu_hw_copy_split(struct svmgpu_hw_engine *eng, u64 root,
				u64 dst, u64 src, u64 len, u64 *done,
				struct svmgpu_hw_fault_info *fault)
{
	struct svmgpu_hw_split *split = &eng->split;
	unsigned int i, helpers = eng->hw->num_channels - 1;

	split->root = root;
	split->dst = dst;
	split->src = src;
	split->len = len;
	split->chunks = DIV_ROUND_UP(len, SVMGPU_HW_STEP_BYTES);
	atomic_set(&split->next, 0);
	reinit_completion(&split->finished);
	/* xchg() orders the fields above before the channel can see them. */
	for (i = 0; i < helpers; i++) {
		xchg(&eng->channels[i].posted, split);
		wake_up(&eng->channels[i].wq);
	}

	svmgpu_hw_split_work(split, &eng->ports[0]);

	/* A channel that never took the step is not waited for. */
	for (i = 0; i < helpers; i++)
		if (!xchg(&eng->channels[i].posted, NULL))
			wait_for_completion(&split->finished);

	*done = 0;
	for (i = 0; i < split->chunks; i++) {
		*done += split->done[i];
		if (split->ret[i]) {
			*fault = split->fault[i];
			return split->ret[i];
		}
	}
	return 0;
}

/* COPY and FILL: at most SVMGPU_HW_STEP_BYTES per step, or a split step. */
static bool svmgpu_hw_exec_bulk(struct svmgpu_hw_engine *eng,
				struct svmgpu_hw_exec *ex,
				struct svmgpu_hw_step *st)
{
	struct svmgpu_hw_port *port = &eng->ports[0];
	const u32 *cmd = ex->cmd;
	u64 dst = svmgpu_hw_cmd_u64(cmd, 2), size, n, done = 0;
	int ret;

	if (SVMGPU_CMD_OPCODE(cmd[0]) == SVMGPU_OP_FILL) {
		size = svmgpu_hw_cmd_u64(cmd, 4);
		n = min_t(u64, size - ex->done, SVMGPU_HW_STEP_BYTES);
		ret = svmgpu_hw_mem_fill(port, st->root, dst + ex->done, n,
					 cmd[6], &done, &st->fault);
	} else {
		u64 src = svmgpu_hw_cmd_u64(cmd, 4);

		size = svmgpu_hw_cmd_u64(cmd, 6);
		n = min_t(u64, size - ex->done, SVMGPU_HW_SPLIT_BYTES);
		/* memmove: a destination above an overlapping source goes down. */
		if (dst > src && dst - src < size) {
			n = min_t(u64, n, SVMGPU_HW_STEP_BYTES);
			ret = svmgpu_hw_mem_copy(port, st->root,
						 dst + size - ex->done,
						 src + size - ex->done, n, true,
						 &done, &st->fault);
		} else if (eng->hw->num_channels > 1 &&
			   n >= SVMGPU_HW_SPLIT_MIN_BYTES &&
			   abs_diff(dst, src) >= n) {
			ret = svmgpu_hw_copy_split(eng, st->root,
						   dst + ex->done,
						   src + ex->done, n, &done,
						   &st->fault);
		} else {
			n = min_t(u64, n, SVMGPU_HW_STEP_BYTES);
			ret = svmgpu_hw_mem_copy(port, st->root, dst + ex->done,
						 src + ex->done, n, false,
						 &done, &st->fault);
		}
	}
	ex->done += done;
	if (ret)
		return svmgpu_hw_step_fault(st);
	return ex->done == size;
}

/* Frees a DISPATCH's job (never under a lock: it may vfree). */
static void svmgpu_hw_dispatch_free(struct svmgpu_hw_shader_job *job)
{
	if (job) {
		svmgpu_hw_shader_job_fini(job);
		kvfree(job);
	}
}

/* Ends a DISPATCH with a shader record that stops the slot. */
static bool svmgpu_hw_dispatch_fatal(struct svmgpu_hw_exec *ex,
				     struct svmgpu_hw_step *st, u64 va,
				     u8 reason, u32 detail, u32 pc)
{
	st->fault = (struct svmgpu_hw_fault_info) {
		.va = va,
		.access = SVMGPU_ACCESS_READ,
		.reason = reason,
		.flags = SVMGPU_FAULT_FLAG_SHADER,
		.detail = detail,
		.pc = pc,
	};
	st->fatal = true;
	svmgpu_hw_dispatch_free(ex->job);
	ex->job = NULL;
	return svmgpu_hw_step_fault(st);
}

/*
 * The first step of a DISPATCH: reads the grid (INDIRECT) and the program
 * through the MMU and decodes it. Return: 0, 1 when the dispatch is empty,
 * or -EFAULT with the step's fault set (nothing kept: the step is retried).
 */
static int svmgpu_hw_dispatch_start(struct svmgpu_hw_engine *eng,
				    struct svmgpu_hw_exec *ex,
				    struct svmgpu_hw_step *st)
{
	struct svmgpu_hw_port *port = &eng->ports[0];
	const u32 *cmd = ex->cmd;
	u64 prog = svmgpu_hw_cmd_u64(cmd, 2);
	struct svmgpu_hw_shader_params p = {
		.root = st->root,
		.args = svmgpu_hw_cmd_u64(cmd, 12),
		.num_wg = { cmd[6], cmd[7], cmd[8] },
		.wg_size = { cmd[10] & 0xffff, cmd[10] >> 16, cmd[11] & 0xffff },
		.shared_size = cmd[9],
		.vregs = cmd[5] & 0xff,
		.sregs = (cmd[5] >> 8) & 0xff,
	};
	struct svmgpu_hw_shader_job *job;
	struct svmgpu_hw_isa_error err;
	__le64 *words;
	__le32 grid[3];
	int ret;

	if (SVMGPU_CMD_OPCODE(cmd[0]) == SVMGPU_OP_DISPATCH_INDIRECT) {
		if (svmgpu_hw_mem_read(port, st->root, svmgpu_hw_cmd_u64(cmd, 6),
				       grid, sizeof(grid), &st->fault)) {
			svmgpu_hw_step_fault(st);
			return -EFAULT;
		}
		p.num_wg[0] = le32_to_cpu(grid[0]);
		p.num_wg[1] = le32_to_cpu(grid[1]);
		p.num_wg[2] = le32_to_cpu(grid[2]);
		if (!p.num_wg[0] || !p.num_wg[1] || !p.num_wg[2])
			return 1;
		if (!svmgpu_hw_grid_ok(p.num_wg[0], p.num_wg[1], p.num_wg[2])) {
			svmgpu_hw_step_error(st, SVMGPU_Q_ERR_BAD_COMMAND);
			return -EINVAL;
		}
	}

	words = kvmalloc_array(cmd[4], sizeof(*words), GFP_KERNEL);
	job = kvzalloc(sizeof(*job), GFP_KERNEL);
	if (!words || !job) {
		/* Out of memory: the step makes no progress, tried again. */
		ret = -ENOMEM;
		goto out_free;
	}
	if (svmgpu_hw_mem_read(port, st->root, prog, words,
			       cmd[4] * sizeof(*words), &st->fault)) {
		svmgpu_hw_step_fault(st);
		ret = -EFAULT;
		goto out_free;
	}
	ret = svmgpu_hw_shader_job_init(job, &p, words, cmd[4], &err);
	kvfree(words);
	words = NULL;
	if (ret == -EINVAL) {
		kvfree(job);
		svmgpu_hw_dispatch_fatal(ex, st, prog + 8ull * err.pc,
					 SVMGPU_FAULT_ILLEGAL_INSTRUCTION,
					 SVMGPU_FAULT_DETAIL(err.reason, 0),
					 err.pc);
		return -EFAULT;
	}
	if (ret)
		goto out_free;
	ex->job = job;
	return 0;

out_free:
	kvfree(words);
	kvfree(job);
	return ret;
}

/* DISPATCH and DISPATCH_INDIRECT: one bounded step of the shader cores. */
static bool svmgpu_hw_exec_dispatch(struct svmgpu_hw_engine *eng,
				    struct svmgpu_hw_exec *ex,
				    struct svmgpu_hw_step *st)
{
	struct svmgpu_hw_engine_stats *stats = &eng->stats;
	struct svmgpu_hw_shader_counters before;
	enum svmgpu_hw_shader_status status;
	struct svmgpu_hw_shader_job *job;
	int ret;

	if (!ex->job) {
		ret = svmgpu_hw_dispatch_start(eng, ex, st);
		if (ret)
			return ret == 1;
	}
	job = ex->job;
	/* Running again after RESUME: the faulted waves retry. */
	svmgpu_hw_shader_resume(job);
	before = job->stats;
	status = svmgpu_hw_shader_run(job, &eng->ports[0],
				      SVMGPU_HW_SHADER_BUDGET);
	WRITE_ONCE(stats->waves, stats->waves + job->stats.waves - before.waves);
	WRITE_ONCE(stats->shader_insns,
		   stats->shader_insns + job->stats.insns - before.insns);
	WRITE_ONCE(stats->shader_faults,
		   stats->shader_faults + job->stats.faults - before.faults);
	WRITE_ONCE(stats->shader_busy_ns,
		   stats->shader_busy_ns + job->stats.busy_ns - before.busy_ns);

	switch (status) {
	case SVMGPU_HW_SHADER_DONE:
		svmgpu_hw_dispatch_free(job);
		ex->job = NULL;
		return true;
	case SVMGPU_HW_SHADER_FAULTED:
		st->fault = job->fault;
		st->fault.flags = SVMGPU_FAULT_FLAG_SHADER;
		st->fault.detail = SVMGPU_FAULT_DETAIL(0, job->fault_lane);
		st->fault.pc = job->fault_pc;
		return svmgpu_hw_step_fault(st);
	case SVMGPU_HW_SHADER_EXCEPTION:
		return svmgpu_hw_dispatch_fatal(ex, st, 0, SVMGPU_FAULT_EXCEPTION,
						SVMGPU_FAULT_DETAIL(job->exception,
								    job->fault_lane),
						job->fault_pc);
	default:
		/* The budget is spent: the next step goes on. */
		return false;
	}
}

/* Executes the fetched batch command; true when it has completed. */
static bool svmgpu_hw_exec_cmd(struct svmgpu_hw_engine *eng,
			       struct svmgpu_hw_exec *ex,
			       struct svmgpu_hw_step *st)
{
	struct svmgpu_hw_port *port = &eng->ports[0];
	const u32 *cmd = ex->cmd;
	u32 flags = SVMGPU_CMD_FLAGS(cmd[0]);
	u64 addr = svmgpu_hw_cmd_u64(cmd, 2);
	u64 value;

	switch (SVMGPU_CMD_OPCODE(cmd[0])) {
	case SVMGPU_OP_COPY:
	case SVMGPU_OP_FILL:
		return svmgpu_hw_exec_bulk(eng, ex, st);

	case SVMGPU_OP_DISPATCH:
	case SVMGPU_OP_DISPATCH_INDIRECT:
		return svmgpu_hw_exec_dispatch(eng, ex, st);

	case SVMGPU_OP_WRITE:
		if (svmgpu_hw_mem_store(port, st->root, addr,
					flags & SVMGPU_WRITE_64 ? 8 : 4,
					svmgpu_hw_cmd_u64(cmd, 4), false,
					&st->fault))
			return svmgpu_hw_step_fault(st);
		return true;

	case SVMGPU_OP_ATOMIC: {
		unsigned int bytes = flags & SVMGPU_ATOMIC_64 ? 8 : 4;
		u64 ret = svmgpu_hw_cmd_u64(cmd, 8);

		if (!ex->atomic_done) {
			if (svmgpu_hw_mem_atomic(port, st->root, addr, flags,
						 svmgpu_hw_cmd_u64(cmd, 4),
						 svmgpu_hw_cmd_u64(cmd, 6),
						 &ex->atomic_old, &st->fault))
				return svmgpu_hw_step_fault(st);
			ex->atomic_done = true;
		}
		if (ret && svmgpu_hw_mem_store(port, st->root, ret, bytes,
					       ex->atomic_old, false,
					       &st->fault))
			return svmgpu_hw_step_fault(st);
		return true;
	}

	case SVMGPU_OP_TIMESTAMP:
		/* The GPU clock is the CPU's CLOCK_MONOTONIC. */
		if (svmgpu_hw_mem_store(port, st->root, addr, 8, ktime_get_ns(),
					false, &st->fault))
			return svmgpu_hw_step_fault(st);
		return true;

	case SVMGPU_OP_WAIT: {
		u64 ref = svmgpu_hw_cmd_u64(cmd, 4);
		u64 mask = svmgpu_hw_cmd_u64(cmd, 6);

		if (svmgpu_hw_mem_load(port, st->root, addr,
				       flags & SVMGPU_WAIT_64 ? 8 : 4, &value,
				       &st->fault))
			return svmgpu_hw_step_fault(st);
		if (!(flags & SVMGPU_WAIT_64)) {
			ref = (u32)ref;
			mask = (u32)mask;
		}
		if (svmgpu_hw_wait_holds(flags & SVMGPU_WAIT_CMP_MASK,
					 value & mask, ref))
			return true;
		st->result = SVMGPU_HW_STEP_WAIT;
		return false;
	}

	case SVMGPU_OP_USER_FENCE:
		if (svmgpu_hw_mem_store(port, st->root, addr, 8,
					svmgpu_hw_cmd_u64(cmd, 4), true,
					&st->fault))
			return svmgpu_hw_step_fault(st);
		if (flags & SVMGPU_USER_FENCE_IRQ)
			st->irq = true;
		return true;
	}
	/* NOP, END. */
	return true;
}

/* Fetches (if needed) and executes the next command of the batch. */
static void svmgpu_hw_exec_batch(struct svmgpu_hw_engine *eng,
				 struct svmgpu_hw_queue *q,
				 struct svmgpu_hw_step *st)
{
	struct svmgpu_hw_port *port = &eng->ports[0];
	struct svmgpu_hw_exec *ex = &q->exec;
	unsigned int len, i;

	if (!ex->cmd_valid) {
		if (ex->batch_va == ex->batch_end) {
			ex->batch_active = false;
			st->head = (st->head + SVMGPU_BATCH_DWORDS * 4) &
				   (st->ring_size - 1);
			st->completed++;	/* the BATCH */
			return;
		}
		if (svmgpu_hw_mem_read(port, st->root, ex->batch_va, ex->cmd,
				       8, &st->fault)) {
			svmgpu_hw_step_fault(st);
			return;
		}
		le32_to_cpus(&ex->cmd[0]);
		le32_to_cpus(&ex->cmd[1]);
		len = svmgpu_hw_cmd_dwords(SVMGPU_CMD_OPCODE(ex->cmd[0]), true);
		if (!len || SVMGPU_CMD_DWORDS(ex->cmd[0]) != len ||
		    len * 4 > ex->batch_end - ex->batch_va) {
			svmgpu_hw_step_error(st, SVMGPU_Q_ERR_BAD_COMMAND);
			return;
		}
		if (len > 2 &&
		    svmgpu_hw_mem_read(port, st->root, ex->batch_va + 8,
				       ex->cmd + 2, (len - 2) * 4, &st->fault)) {
			svmgpu_hw_step_fault(st);
			return;
		}
		for (i = 2; i < len; i++)
			le32_to_cpus(&ex->cmd[i]);
		if (!svmgpu_hw_cmd_valid(ex->cmd)) {
			svmgpu_hw_step_error(st, SVMGPU_Q_ERR_BAD_COMMAND);
			return;
		}
		ex->cmd_valid = true;
		ex->done = 0;
		ex->atomic_done = false;
	}

	if (!svmgpu_hw_exec_cmd(eng, ex, st))
		return;

	st->completed++;
	ex->cmd_valid = false;
	if (SVMGPU_CMD_OPCODE(ex->cmd[0]) == SVMGPU_OP_END)
		ex->batch_va = ex->batch_end;
	else
		ex->batch_va += SVMGPU_CMD_DWORDS(ex->cmd[0]) * 4;
}

static bool svmgpu_hw_queue_runnable(const struct svmgpu_hw_queue *q,
				     ktime_t now, ktime_t *next)
{
	if (q->error || q->stalled || (q->head == q->tail && !q->busy))
		return false;
	if (q->waiting && ktime_before(now, q->wait_next)) {
		*next = min(*next, q->wait_next);
		return false;
	}
	return true;
}

/*
 * Picks the next runnable slot of the engine, round robin, and makes it
 * the engine's active slot. Return: the slot, or NULL with the time the
 * next blocked WAIT is due in @next (KTIME_MAX: none).
 */
static struct svmgpu_hw_queue *
svmgpu_hw_engine_pick(struct svmgpu_hw_engine *eng, struct svmgpu_hw_step *st,
		      ktime_t *next)
{
	struct svmgpu_hw *hw = eng->hw;
	struct svmgpu_hw_queue *q = NULL;
	ktime_t now = ktime_get();
	unsigned int i;

	*next = KTIME_MAX;
	spin_lock(&hw->queue_lock);
	for_each_set_bit_wrap(i, eng->enabled, SVMGPU_MAX_QUEUES,
			      eng->rr_next) {
		if (svmgpu_hw_queue_runnable(&hw->queues[i], now, next)) {
			q = &hw->queues[i];
			break;
		}
	}
	if (q) {
		eng->active = q;
		eng->last_slot = q->index;
		eng->rr_next = (q->index + 1) % SVMGPU_MAX_QUEUES;
		memset(st, 0, sizeof(*st));
		st->ring_base = q->ring_base;
		st->ring_size = q->ring_size;
		st->root = q->pt_root;
		st->tail = q->tail;
		st->head = q->head;
	}
	spin_unlock(&hw->queue_lock);
	return q;
}

/* Sets the slot's QUEUE_IRQ_PENDING bit; IRQ_STATUS is raised later. */
static void svmgpu_hw_queue_pend_locked(struct svmgpu_hw *hw,
					struct svmgpu_hw_queue *q)
{
	lockdep_assert_held(&hw->queue_lock);
	spin_lock(&hw->reg_lock);
	hw->queue_irq_pending[q->index / 32] |= BIT(q->index % 32);
	spin_unlock(&hw->reg_lock);
}

static void svmgpu_hw_engine_release(struct svmgpu_hw_engine *eng)
{
	spin_lock(&eng->hw->queue_lock);
	eng->active = NULL;
	spin_unlock(&eng->hw->queue_lock);
	if (wq_has_sleeper(&eng->idle_wq))
		wake_up_all(&eng->idle_wq);
}

/*
 * Makes the outcome of a step visible: the slot's registers, its fault
 * record and its QUEUE_IRQ_PENDING bit change together under queue_lock
 * (a driver that sees STALLED or ERROR also sees the record and the bit);
 * then IRQ_STATUS is raised with no lock held.
 */
static void svmgpu_hw_engine_publish(struct svmgpu_hw_engine *eng,
				     struct svmgpu_hw_queue *q,
				     const struct svmgpu_hw_step *st)
{
	struct svmgpu_hw *hw = eng->hw;
	bool irq = st->fence || st->irq;
	u32 causes = 0;

	/* The engine thread is the only writer of these counters. */
	if (st->completed)
		WRITE_ONCE(eng->stats.cmds, eng->stats.cmds + st->completed);
	if (st->result == SVMGPU_HW_STEP_OK)
		WRITE_ONCE(eng->stats.progress_ns, ktime_get_ns());
	else if (st->result == SVMGPU_HW_STEP_FAULT)
		svmgpu_hw_stat_inc(&eng->stats.faults);

	spin_lock(&hw->queue_lock);
	q->head = st->head;
	q->busy = q->exec.batch_active || q->exec.cmd_valid;
	q->waiting = false;
	switch (st->result) {
	case SVMGPU_HW_STEP_OK:
		break;
	case SVMGPU_HW_STEP_WAIT:
		q->waiting = true;
		q->wait_next = ktime_add_ns(ktime_get(), SVMGPU_HW_WAIT_POLL_NS);
		break;
	case SVMGPU_HW_STEP_FAULT:
		if (!(q->config & SVMGPU_Q_CONFIG_FAULT_STALL) || st->fatal) {
			q->error = SVMGPU_Q_ERR_FAULT;
			irq = true;
		} else if (q->enabled) {
			q->stalled = true;
		}
		/* A slot disabled meanwhile retries the access at ENABLE. */
		svmgpu_hw_faultq_report(hw, &st->fault, st->root, q->index,
					eng->index, q->stalled);
		causes |= SVMGPU_IRQ_FAULT;
		break;
	case SVMGPU_HW_STEP_ERROR:
		q->error = st->error;
		irq = true;
		break;
	}
	if (st->fence)
		q->seqno = st->seqno;
	if (irq) {
		svmgpu_hw_queue_pend_locked(hw, q);
		causes |= SVMGPU_IRQ_QUEUE;
	}
	spin_unlock(&hw->queue_lock);

	if (causes)
		svmgpu_hw_irq_raise(hw, causes, true);
	svmgpu_hw_engine_release(eng);
}

static void svmgpu_hw_engine_step(struct svmgpu_hw_engine *eng,
				  struct svmgpu_hw_queue *q,
				  struct svmgpu_hw_step *st)
{
	if (q->exec.batch_active)
		svmgpu_hw_exec_batch(eng, q, st);
	else
		svmgpu_hw_exec_ring(q, st);
	svmgpu_hw_engine_publish(eng, q, st);
}

static void svmgpu_hw_engine_sleep(struct svmgpu_hw_engine *eng, ktime_t next)
{
	ktime_t timeout = KTIME_MAX;

	if (next != KTIME_MAX) {
		timeout = ktime_sub(next, ktime_get());
		if (timeout <= 0)
			return;
	}
	wait_event_interruptible_hrtimeout(eng->wq,
					   atomic_xchg(&eng->kick, 0) ||
					   kthread_should_stop(),
					   timeout);
}

static int svmgpu_hw_engine_thread(void *data)
{
	struct svmgpu_hw_engine *eng = data;
	struct svmgpu_hw *hw = eng->hw;

	while (!kthread_should_stop()) {
		struct svmgpu_hw_queue *q;
		struct svmgpu_hw_step st;
		ktime_t next;

		if (eng->index == 0 &&
		    test_and_clear_bit(SVMGPU_HW_IRQ_KICK, &hw->irq_kick))
			svmgpu_hw_irq_deliver(hw);

		q = svmgpu_hw_engine_pick(eng, &st, &next);
		if (!q) {
			svmgpu_hw_engine_sleep(eng, next);
			continue;
		}
		svmgpu_hw_engine_step(eng, q, &st);
		cond_resched();
	}
	return 0;
}

/**
 * svmgpu_hw_engine_kick() - make an engine look at its slots again.
 * @eng: the engine.
 *
 * Never sleeps.
 */
void svmgpu_hw_engine_kick(struct svmgpu_hw_engine *eng)
{
	atomic_set(&eng->kick, 1);
	wake_up(&eng->wq);
}

/* A helper DMA channel: works on the split steps its engine posts. */
static int svmgpu_hw_channel_thread(void *data)
{
	struct svmgpu_hw_channel *ch = data;
	struct svmgpu_hw_port *port = &ch->eng->ports[ch->index];

	while (!kthread_should_stop()) {
		struct svmgpu_hw_split *split;

		wait_event_interruptible(ch->wq, READ_ONCE(ch->posted) ||
					 kthread_should_stop());
		split = xchg(&ch->posted, NULL);
		if (!split)
			continue;
		svmgpu_hw_split_work(split, port);
		complete(&split->finished);
	}
	return 0;
}

static void svmgpu_hw_engine_init(struct svmgpu_hw *hw, unsigned int i)
{
	struct svmgpu_hw_engine *eng = &hw->engines[i];
	unsigned int c;

	eng->hw = hw;
	eng->index = i;
	eng->last_slot = SVMGPU_ENG_SLOT_NONE;
	init_waitqueue_head(&eng->wq);
	init_waitqueue_head(&eng->idle_wq);
	atomic_set(&eng->kick, 0);
	for (c = 0; c < hw->num_channels; c++)
		spin_lock_init(&eng->ports[c].access_lock);
	for (c = 0; c + 1 < hw->num_channels; c++) {
		eng->channels[c].eng = eng;
		eng->channels[c].index = c + 1;
		init_waitqueue_head(&eng->channels[c].wq);
	}
	init_completion(&eng->split.finished);
}

/* Stops the threads of the first @engines engines and of all their channels. */
static void svmgpu_hw_engines_stop_threads(struct svmgpu_hw *hw,
					   unsigned int engines)
{
	unsigned int i, c;

	/* Engines first: one in a split step waits for its channels. */
	for (i = 0; i < engines; i++)
		if (hw->engines[i].thread)
			kthread_stop(hw->engines[i].thread);
	for (i = 0; i < engines; i++)
		for (c = 0; c + 1 < hw->num_channels; c++)
			if (hw->engines[i].channels[c].thread)
				kthread_stop(hw->engines[i].channels[c].thread);
}

/**
 * svmgpu_hw_engines_start() - power on the engines: start their threads.
 * @hw: the instance, with @hw->engines allocated and zeroed.
 *
 * Return: 0, or the error of kthread_run() with no engine or channel left
 * running.
 */
int svmgpu_hw_engines_start(struct svmgpu_hw *hw)
{
	const char *name = hw->dev ? dev_name(hw->dev) : "svmgpu-hw";
	struct task_struct *t;
	unsigned int i, c;

	for (i = 0; i < hw->num_engines; i++)
		svmgpu_hw_engine_init(hw, i);

	for (i = 0; i < hw->num_engines; i++) {
		struct svmgpu_hw_engine *eng = &hw->engines[i];

		for (c = 0; c + 1 < hw->num_channels; c++) {
			t = kthread_run(svmgpu_hw_channel_thread,
					&eng->channels[c], "%s-e%u-ch%u", name,
					i, c + 1);
			if (IS_ERR(t))
				goto err;
			eng->channels[c].thread = t;
		}
		t = kthread_run(svmgpu_hw_engine_thread, eng, "%s-e%u", name,
				i);
		if (IS_ERR(t))
			goto err;
		eng->thread = t;
	}
	return 0;

err:
	svmgpu_hw_engines_stop_threads(hw, i + 1);
	return PTR_ERR(t);
}

/**
 * svmgpu_hw_engines_stop() - power off the engines.
 * @hw: the instance.
 *
 * Each engine finishes its current step; then no engine or channel touches
 * memory or calls the interrupt handler again. Sleeps.
 */
void svmgpu_hw_engines_stop(struct svmgpu_hw *hw)
{
	unsigned int i;

	svmgpu_hw_engines_stop_threads(hw, hw->num_engines);
	/* No engine runs any more: free the dispatches left half done. */
	for (i = 0; i < SVMGPU_MAX_QUEUES; i++) {
		svmgpu_hw_dispatch_free(hw->queues[i].exec.job);
		hw->queues[i].exec.job = NULL;
	}
}

/**
 * svmgpu_hw_engine_shader_stats() - an engine's compute-unit counters.
 * @hw: the instance.
 * @engine: the engine; out of range reads zeros.
 * @stats: filled in.
 *
 * Lockless reads of counters the engine thread writes (for debugfs).
 */
void svmgpu_hw_engine_shader_stats(struct svmgpu_hw *hw, unsigned int engine,
				   struct svmgpu_hw_shader_stats *stats)
{
	const struct svmgpu_hw_engine_stats *es;

	memset(stats, 0, sizeof(*stats));
	if (engine >= hw->num_engines)
		return;
	es = &hw->engines[engine].stats;
	stats->waves = READ_ONCE(es->waves);
	stats->insns = READ_ONCE(es->shader_insns);
	stats->faults = READ_ONCE(es->shader_faults);
	stats->busy_ns = READ_ONCE(es->shader_busy_ns);
}

/* ENG_STATUS: what the engine's slots with work are doing. */
static u32 svmgpu_hw_engine_status(struct svmgpu_hw *hw,
				   struct svmgpu_hw_engine *eng)
{
	bool waiting = false, stalled = false;
	u32 status = SVMGPU_ENG_STATUS_IDLE;
	unsigned int i;

	/*
	 * From the slots alone: a step publishes its slot's new HEAD before it
	 * raises the interrupt, so once a completion is signalled the engine
	 * no longer reads BUSY for it.
	 */
	spin_lock(&hw->queue_lock);
	for_each_set_bit(i, eng->enabled, SVMGPU_MAX_QUEUES) {
		const struct svmgpu_hw_queue *q = &hw->queues[i];

		if (q->error || (q->head == q->tail && !q->busy))
			continue;
		if (q->stalled) {
			stalled = true;
		} else if (q->waiting) {
			waiting = true;
		} else {
			status = SVMGPU_ENG_STATUS_BUSY;
			break;
		}
	}
	spin_unlock(&hw->queue_lock);

	if (status == SVMGPU_ENG_STATUS_BUSY)
		return status;
	if (stalled)
		return SVMGPU_ENG_STATUS_STALLED;
	return waiting ? SVMGPU_ENG_STATUS_WAITING : SVMGPU_ENG_STATUS_IDLE;
}

/* The value of an ENG_*_LO/HI pair, by the offset of its _LO register. */
static u64 svmgpu_hw_engine_counter(const struct svmgpu_hw_engine *eng,
				    u32 reg)
{
	const struct svmgpu_hw_engine_stats *st = &eng->stats;
	unsigned int c;
	u64 sum = 0;

	switch (reg) {
	case SVMGPU_ENG_CMDS_LO:
		return READ_ONCE(st->cmds);
	case SVMGPU_ENG_PROGRESS_LO:
		return READ_ONCE(st->progress_ns);
	case SVMGPU_ENG_TLB_HITS_LO:
	case SVMGPU_ENG_TLB_MISSES_LO:
		for (c = 0; c < eng->hw->num_channels; c++) {
			const struct svmgpu_hw_port *port = &eng->ports[c];

			sum += reg == SVMGPU_ENG_TLB_HITS_LO ?
			       READ_ONCE(port->tlb_hits) :
			       READ_ONCE(port->tlb_misses);
		}
		return sum;
	case SVMGPU_ENG_TLB_INVALS_LO:
		return READ_ONCE(st->tlb_invals);
	case SVMGPU_ENG_TLB_FLUSHES_LO:
		return READ_ONCE(st->tlb_flushes);
	case SVMGPU_ENG_FAULTS_LO:
		return READ_ONCE(st->faults);
	}
	return 0;
}

/**
 * svmgpu_hw_engine_read() - read a register of the engine status block.
 * @hw: the instance.
 * @offset: register offset, in the engine block.
 *
 * Never sleeps; allowed in the interrupt handler.
 *
 * Return: the register's value; unknown registers and engines past
 * ENGINE_COUNT read as 0.
 */
u32 svmgpu_hw_engine_read(struct svmgpu_hw *hw, u32 offset)
{
	u32 rel = offset - SVMGPU_ENGINE_REG_BASE;
	u32 reg = rel % SVMGPU_ENGINE_REG_STRIDE;
	unsigned int n = rel / SVMGPU_ENGINE_REG_STRIDE;
	struct svmgpu_hw_engine *eng;
	u32 value;
	u64 v64;

	if (n >= hw->num_engines)
		return 0;
	eng = &hw->engines[n];

	switch (reg) {
	case SVMGPU_ENG_STATUS:
		return svmgpu_hw_engine_status(hw, eng);
	case SVMGPU_ENG_SLOT:
		spin_lock(&hw->queue_lock);
		value = eng->last_slot;
		spin_unlock(&hw->queue_lock);
		return value;
	}

	spin_lock(&hw->reg_lock);
	if (reg & 4) {
		/* _HI: the half latched by the last _LO read. */
		value = eng->latch_hi;
	} else {
		v64 = svmgpu_hw_engine_counter(eng, reg);
		eng->latch_hi = upper_32_bits(v64);
		value = lower_32_bits(v64);
	}
	spin_unlock(&hw->reg_lock);
	return value;
}

static u32 svmgpu_hw_queue_status(const struct svmgpu_hw_queue *q)
{
	if (q->error)
		return SVMGPU_Q_STATUS_ERROR;
	if (!q->enabled)
		return SVMGPU_Q_STATUS_DISABLED;
	if (q->stalled)
		return SVMGPU_Q_STATUS_STALLED;
	if (q->waiting)
		return SVMGPU_Q_STATUS_WAITING;
	if (q->head == q->tail && !q->busy)
		return SVMGPU_Q_STATUS_IDLE;
	return SVMGPU_Q_STATUS_RUNNING;
}

static struct svmgpu_hw_queue *svmgpu_hw_queue_at(struct svmgpu_hw *hw,
						  u32 offset, u32 *reg)
{
	u32 rel = offset - SVMGPU_QUEUE_REG_BASE;

	*reg = rel % SVMGPU_QUEUE_REG_STRIDE;
	return &hw->queues[rel / SVMGPU_QUEUE_REG_STRIDE];
}

/**
 * svmgpu_hw_queue_read() - read a register of a queue slot.
 * @hw: the instance.
 * @offset: register offset, in the queue block.
 *
 * Return: the register's value; unknown registers read as 0.
 */
u32 svmgpu_hw_queue_read(struct svmgpu_hw *hw, u32 offset)
{
	struct svmgpu_hw_queue *q;
	u32 reg, value = 0;

	q = svmgpu_hw_queue_at(hw, offset, &reg);
	spin_lock(&hw->queue_lock);
	switch (reg) {
	case SVMGPU_Q_RING_BASE_LO:
		value = lower_32_bits(q->ring_base);
		break;
	case SVMGPU_Q_RING_BASE_HI:
		value = upper_32_bits(q->ring_base);
		break;
	case SVMGPU_Q_RING_SIZE:
		value = q->ring_size;
		break;
	case SVMGPU_Q_HEAD:
		value = q->head;
		break;
	case SVMGPU_Q_TAIL:
		value = q->tail;
		break;
	case SVMGPU_Q_PT_ROOT_LO:
		value = lower_32_bits(q->pt_root);
		break;
	case SVMGPU_Q_PT_ROOT_HI:
		value = upper_32_bits(q->pt_root);
		break;
	case SVMGPU_Q_ENGINE:
		value = q->engine;
		break;
	case SVMGPU_Q_CONFIG:
		value = q->config;
		break;
	case SVMGPU_Q_STATUS:
		value = svmgpu_hw_queue_status(q);
		break;
	case SVMGPU_Q_ERROR:
		value = q->error;
		break;
	case SVMGPU_Q_SEQNO:
		value = q->seqno;
		break;
	}
	spin_unlock(&hw->queue_lock);
	return value;
}

/* Whether the ring registers describe a ring the engine can read. */
static bool svmgpu_hw_ring_usable(const struct svmgpu_hw_queue *q)
{
	u64 pfn;

	if (q->ring_size < SVMGPU_HW_RING_MIN ||
	    q->ring_size > SVMGPU_HW_RING_MAX ||
	    !is_power_of_2(q->ring_size) || q->ring_base & ~PAGE_MASK ||
	    q->head >= q->ring_size || q->tail >= q->ring_size)
		return false;
	for (pfn = q->ring_base >> PAGE_SHIFT;
	     pfn < (q->ring_base + q->ring_size) >> PAGE_SHIFT; pfn++)
		if (!svmgpu_hw_page_usable(pfn))
			return false;
	return true;
}

static void svmgpu_hw_queue_enable(struct svmgpu_hw *hw,
				   struct svmgpu_hw_queue *q)
{
	bool bad = false, kick = false;

	spin_lock(&hw->queue_lock);
	if (!q->enabled && !q->error) {
		q->enabled = true;
		q->stalled = false;
		q->waiting = false;
		if (q->engine >= hw->num_engines || !svmgpu_hw_ring_usable(q)) {
			q->error = SVMGPU_Q_ERR_BAD_RING;
			svmgpu_hw_queue_pend_locked(hw, q);
			bad = true;
		} else {
			set_bit(q->index, hw->engines[q->engine].enabled);
			kick = true;
		}
	}
	spin_unlock(&hw->queue_lock);

	if (bad)
		svmgpu_hw_irq_raise(hw, SVMGPU_IRQ_QUEUE, false);
	if (kick)
		svmgpu_hw_engine_kick(&hw->engines[q->engine]);
}

static bool svmgpu_hw_queue_left(struct svmgpu_hw *hw,
				 struct svmgpu_hw_engine *eng,
				 struct svmgpu_hw_queue *q)
{
	bool left;

	spin_lock(&hw->queue_lock);
	left = eng->active != q;
	spin_unlock(&hw->queue_lock);
	return left;
}

/* RESET of a stopped slot: back to the state after power on. */
static void svmgpu_hw_queue_reset_locked(struct svmgpu_hw *hw,
					 struct svmgpu_hw_queue *q)
{
	lockdep_assert_held(&hw->queue_lock);
	q->head = 0;
	q->tail = 0;
	q->error = SVMGPU_Q_ERR_NONE;
	q->seqno = 0;
	q->busy = false;
	memset(&q->exec, 0, sizeof(q->exec));
	spin_lock(&hw->reg_lock);
	hw->queue_irq_pending[q->index / 32] &= ~BIT(q->index % 32);
	spin_unlock(&hw->reg_lock);
}

/*
 * DISABLE (and RESET with @reset): stops the slot and returns when its
 * engine is not executing it. Sleeps.
 */
static void svmgpu_hw_queue_stop(struct svmgpu_hw *hw,
				 struct svmgpu_hw_queue *q, bool reset)
{
	struct svmgpu_hw_shader_job *job;

	for (;;) {
		struct svmgpu_hw_engine *eng = NULL;

		spin_lock(&hw->queue_lock);
		if (q->enabled) {
			q->enabled = false;
			q->stalled = false;
			q->waiting = false;
			if (q->engine < hw->num_engines)
				clear_bit(q->index,
					  hw->engines[q->engine].enabled);
		}
		if (q->engine < hw->num_engines &&
		    hw->engines[q->engine].active == q)
			eng = &hw->engines[q->engine];
		if (!eng) {
			job = reset ? q->exec.job : NULL;
			if (reset)
				svmgpu_hw_queue_reset_locked(hw, q);
			spin_unlock(&hw->queue_lock);
			svmgpu_hw_dispatch_free(job);
			return;
		}
		spin_unlock(&hw->queue_lock);
		wait_event(eng->idle_wq, svmgpu_hw_queue_left(hw, eng, q));
	}
}

static void svmgpu_hw_queue_control(struct svmgpu_hw *hw,
				    struct svmgpu_hw_queue *q, u32 value)
{
	bool kick = false;

	switch (value) {
	case SVMGPU_Q_CTL_ENABLE:
		svmgpu_hw_queue_enable(hw, q);
		return;
	case SVMGPU_Q_CTL_DISABLE:
	case SVMGPU_Q_CTL_RESET:
		if (WARN_ONCE(svmgpu_hw_in_irq_handler(hw),
			      "svmgpu hw: Q_CONTROL %u written from the interrupt handler\n",
			      value))
			return;
		might_sleep();
		/*
		 * The engine may be calling the interrupt handler: waiting for
		 * it while holding a lock the handler takes would deadlock.
		 * Tell lockdep, as synchronize_irq() callers are told.
		 */
		might_lock(&hw->irq_lock);
		svmgpu_hw_queue_stop(hw, q, value == SVMGPU_Q_CTL_RESET);
		return;
	case SVMGPU_Q_CTL_RESUME:
		spin_lock(&hw->queue_lock);
		if (q->enabled && q->stalled && !q->error) {
			q->stalled = false;
			kick = true;
		}
		spin_unlock(&hw->queue_lock);
		if (kick)
			svmgpu_hw_engine_kick(&hw->engines[q->engine]);
		return;
	}
}

/**
 * svmgpu_hw_queue_write() - write a register of a queue slot.
 * @hw: the instance.
 * @offset: register offset, in the queue block.
 * @value: value written.
 *
 * The configuration registers (RING_*, PT_ROOT, ENGINE, CONFIG) take writes
 * only while the slot is disabled. Q_CONTROL DISABLE and RESET sleep.
 */
void svmgpu_hw_queue_write(struct svmgpu_hw *hw, u32 offset, u32 value)
{
	struct svmgpu_hw_queue *q;
	struct svmgpu_hw_engine *kick = NULL;
	bool bad = false;
	u32 reg;

	q = svmgpu_hw_queue_at(hw, offset, &reg);
	if (reg == SVMGPU_Q_CONTROL) {
		svmgpu_hw_queue_control(hw, q, value);
		return;
	}

	spin_lock(&hw->queue_lock);
	switch (reg) {
	case SVMGPU_Q_TAIL:
		if (value & 7 || value >= q->ring_size) {
			if (!q->error) {
				q->error = SVMGPU_Q_ERR_BAD_RING;
				svmgpu_hw_queue_pend_locked(hw, q);
				bad = true;
			}
		} else {
			q->tail = value;
		}
		break;
	case SVMGPU_Q_DOORBELL:
		if (q->engine < hw->num_engines) {
			/* A waiting slot looks at its semaphore now. */
			q->wait_next = 0;
			kick = &hw->engines[q->engine];
		}
		break;
	}
	if (!q->enabled) {
		switch (reg) {
		case SVMGPU_Q_RING_BASE_LO:
			svmgpu_hw_set_lo(&q->ring_base, value);
			break;
		case SVMGPU_Q_RING_BASE_HI:
			svmgpu_hw_set_hi(&q->ring_base, value);
			break;
		case SVMGPU_Q_RING_SIZE:
			q->ring_size = value;
			break;
		case SVMGPU_Q_PT_ROOT_LO:
			svmgpu_hw_set_lo(&q->pt_root, value & PAGE_MASK);
			break;
		case SVMGPU_Q_PT_ROOT_HI:
			svmgpu_hw_set_hi(&q->pt_root, value);
			break;
		case SVMGPU_Q_ENGINE:
			q->engine = value;
			break;
		case SVMGPU_Q_CONFIG:
			q->config = value & SVMGPU_Q_CONFIG_FAULT_STALL;
			break;
		}
	}
	spin_unlock(&hw->queue_lock);

	if (bad)
		svmgpu_hw_irq_raise(hw, SVMGPU_IRQ_QUEUE, false);
	if (kick)
		svmgpu_hw_engine_kick(kick);
}
