/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_hw_internal.h - the inside of the svmgpu virtual GPU, shared by the
 * files of kmd/hw/ only. The driver uses svmgpu_hw.h.
 *
 * Blocks and their files:
 *
 *   svmgpu_hw.c         instance, register decode, interrupt block
 *   svmgpu_hw_mmu.c     page walk, TLBs, invalidation, memory access
 *   svmgpu_hw_engine.c  engines, queue slots, command execution
 *   svmgpu_hw_fault.c   fault queue
 *   svmgpu_hw_isa.c     shader program decoder (svmgpu_hw_isa.h)
 *   svmgpu_hw_shader.c  shader cores: waves, interpreter (svmgpu_hw_shader.h)
 *   svmgpu_hw_shader_fp.c  the shader cores' binary32 ALU (FPU flags)
 *
 * Lock order (outer first); no lock is held while the interrupt handler is
 * called except @irq_lock, and no allocation happens under any of them:
 *
 *   irq_lock -> queue_lock -> reg_lock
 *   irq_lock -> queue_lock -> faultq.lock
 *   port access_lock (innermost, never nested with another hw lock)
 */
#ifndef SVMGPU_HW_INTERNAL_H
#define SVMGPU_HW_INTERNAL_H

#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "hw/svmgpu_cmd.h"
#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_regs.h"
#include "svmgpu_hw.h"

struct device;
struct page;
struct task_struct;
struct svmgpu_hw;
struct svmgpu_hw_shader_job;

/* The hardware is little endian and so is every host this module builds for. */
static_assert(!IS_ENABLED(CONFIG_CPU_BIG_ENDIAN));
/* The engine counters are read with plain 64-bit loads. */
static_assert(IS_ENABLED(CONFIG_64BIT));

/* Work an engine does on one queue before it moves to the next one. */
#define SVMGPU_HW_STEP_BYTES		(64u << 10)
/*
 * DMA channels of each engine (svmgpu_hw_config.num_channels, at most
 * SVMGPU_HW_MAX_CHANNELS): channel 0 is the engine itself, the others take
 * chunks of SVMGPU_HW_STEP_BYTES of a long COPY in parallel with it. A COPY
 * with at least SVMGPU_HW_SPLIT_MIN_BYTES left (and source and destination
 * apart) is done in split steps of up to SVMGPU_HW_SPLIT_BYTES.
 */
#define SVMGPU_HW_SPLIT_BYTES		SZ_1M
#define SVMGPU_HW_SPLIT_MIN_BYTES	SZ_256K
#define SVMGPU_HW_SPLIT_CHUNKS		(SVMGPU_HW_SPLIT_BYTES / SVMGPU_HW_STEP_BYTES)
/* How often a queue blocked in WAIT looks at its semaphore again. */
#define SVMGPU_HW_WAIT_POLL_NS		(1000 * NSEC_PER_USEC)
/* Longest command: DISPATCH. */
#define SVMGPU_HW_CMD_MAX_DWORDS	SVMGPU_DISPATCH_DWORDS
/* Each engine's TLB: per page size, 2-way set associative. */
#define SVMGPU_HW_TLB_SIZES		3	/* 4 KiB, 2 MiB, 1 GiB leaves */
#define SVMGPU_HW_TLB_SETS		32
#define SVMGPU_HW_TLB_WAYS		2
/*
 * A walk that ends in a level-0 table fills the TLB with this many leaves:
 * the aligned 64-byte line of entries it read.
 */
#define SVMGPU_HW_TLB_LINE		8
/* Each engine's page-walk cache of last-level tables (fully associative). */
#define SVMGPU_HW_PWC_ENTRIES		4

/**
 * struct svmgpu_hw_fault_info - what the MMU reports about a failed access.
 * @va: first address that could not be translated.
 * @access: SVMGPU_ACCESS_*.
 * @reason: SVMGPU_FAULT_*.
 * @flags: SVMGPU_FAULT_FLAG_SHADER for a shader's fault; else 0.
 * @detail: the record's detail (shader faults); else 0.
 * @pc: the record's pc (shader faults); else 0.
 */
struct svmgpu_hw_fault_info {
	u64 va;
	u8 access;
	u8 reason;
	u8 flags;
	u32 detail;
	u32 pc;
};

/**
 * struct svmgpu_hw_tlb_entry - one cached leaf translation.
 * @root: page-table root the leaf was found under (tag).
 * @vpn: virtual address >> @shift (tag).
 * @pfn: first page frame of the leaf.
 * @page: for a 4 KiB leaf, its page, checked usable when the entry was
 *        filled; NULL for large leaves, whose pages are checked at each
 *        access.
 * @shift: log2 of the leaf size; 0 marks an empty entry.
 * @writable: the leaf allows writes.
 */
struct svmgpu_hw_tlb_entry {
	u64 root;
	u64 vpn;
	u64 pfn;
	struct page *page;
	u8 shift;
	bool writable;
};

/**
 * struct svmgpu_hw_tlb_set - one set of a TLB array.
 * @way: the entries.
 * @victim: way the next fill replaces (the one not used last).
 */
struct svmgpu_hw_tlb_set {
	struct svmgpu_hw_tlb_entry way[SVMGPU_HW_TLB_WAYS];
	u8 victim;
};

/**
 * struct svmgpu_hw_pwc_entry - a cached pointer to a last-level table.
 * @root: page-table root (tag).
 * @vpn: virtual address >> 21, the 2 MiB region the table maps (tag).
 * @table_pfn: page frame of the level-0 table.
 * @valid: the entry is in use.
 */
struct svmgpu_hw_pwc_entry {
	u64 root;
	u64 vpn;
	u64 table_pfn;
	bool valid;
};

/**
 * struct svmgpu_hw_tlb - what an engine's MMU caches.
 * @set: leaf translations, by page size (4 KiB, 2 MiB, 1 GiB) and set.
 * @pwc: last-level tables, so that a walk in a known 2 MiB region reads
 *       one entry instead of four.
 * @pwc_next: @pwc entry the next fill replaces.
 */
struct svmgpu_hw_tlb {
	struct svmgpu_hw_tlb_set set[SVMGPU_HW_TLB_SIZES][SVMGPU_HW_TLB_SETS];
	struct svmgpu_hw_pwc_entry pwc[SVMGPU_HW_PWC_ENTRIES];
	unsigned int pwc_next;
};

/**
 * struct svmgpu_hw_exec - where a queue is in its command stream.
 *
 * Owned by the engine while it executes the queue (engine->active); changed
 * by others only under queue_lock while no engine executes the queue (the
 * queue is disabled and DISABLE has waited for its engine).
 *
 * @batch_active: a BATCH started from the ring at HEAD is being executed.
 * @batch_va: address of the next batch command.
 * @batch_end: end of the batch.
 * @cmd_valid: @cmd holds a fetched batch command not yet completed.
 * @cmd: that command.
 * @done: bytes of a COPY or FILL already done.
 * @atomic_done: the ATOMIC operation happened, only its return write is
 *               left (so a fault on @ret never repeats the operation).
 * @atomic_old: the value the ATOMIC returns.
 * @job: the DISPATCH in progress (its decoded program, waves and shared
 *       memory), or NULL; allocated at its first step, freed when it
 *       completes or ends the job, at RESET and at power off.
 */
struct svmgpu_hw_exec {
	bool batch_active;
	u64 batch_va;
	u64 batch_end;
	bool cmd_valid;
	u32 cmd[SVMGPU_HW_CMD_MAX_DWORDS];
	u64 done;
	bool atomic_done;
	u64 atomic_old;
	struct svmgpu_hw_shader_job *job;
};

/**
 * struct svmgpu_hw_queue - one queue slot: its registers and its state.
 * @index: slot number.
 * @ring_base: RING_BASE register.
 * @ring_size: RING_SIZE register.
 * @head: HEAD register.
 * @tail: TAIL register.
 * @pt_root: PT_ROOT register, bits 11:0 clear.
 * @engine: ENGINE register.
 * @config: CONFIG register.
 * @error: ERROR register; not SVMGPU_Q_ERR_NONE means status ERROR.
 * @seqno: SEQNO register.
 * @enabled: ENABLE was written and neither DISABLE nor RESET since.
 * @stalled: stopped on a fault until RESUME.
 * @waiting: blocked in a WAIT command; looked at again at @wait_next.
 * @busy: a batch or a batch command is in progress (see @exec).
 * @wait_next: when a waiting queue checks its semaphore again.
 * @exec: execution state; see struct svmgpu_hw_exec for its rules.
 *
 * Everything but @index and @exec is protected by svmgpu_hw.queue_lock.
 */
struct svmgpu_hw_queue {
	unsigned int index;
	u64 ring_base;
	u32 ring_size;
	u32 head;
	u32 tail;
	u64 pt_root;
	u32 engine;
	u32 config;
	u32 error;
	u32 seqno;
	bool enabled;
	bool stalled;
	bool waiting;
	bool busy;
	ktime_t wait_next;
	struct svmgpu_hw_exec exec;
};

/**
 * struct svmgpu_hw_engine_stats - what an engine counts for ENG_* registers.
 * @cmds: commands completed; written by the engine thread only.
 * @progress_ns: GPU clock at the end of the last step that made progress;
 *               written by the engine thread only.
 * @tlb_invals: ranged invalidations applied; under ports[0].access_lock.
 * @tlb_flushes: INVALIDATE_ALLs applied; under ports[0].access_lock.
 * @faults: faults raised; written by the engine thread only.
 * @waves: shader waves launched (the engine is a compute unit); engine
 *         thread only, as the shader counters below.
 * @shader_insns: shader instructions executed.
 * @shader_faults: faults raised by shader instructions.
 * @shader_busy_ns: time spent running shader steps.
 *
 * Single writer each; written with WRITE_ONCE() and read locklessly with
 * READ_ONCE() by register reads (64-bit loads do not tear on the 64-bit
 * hosts this module builds for).
 */
struct svmgpu_hw_engine_stats {
	u64 cmds;
	u64 progress_ns;
	u64 tlb_invals;
	u64 tlb_flushes;
	u64 faults;
	u64 waves;
	u64 shader_insns;
	u64 shader_faults;
	u64 shader_busy_ns;
};

/* One more event on a counter of struct svmgpu_hw_engine_stats. */
static inline void svmgpu_hw_stat_inc(u64 *counter)
{
	WRITE_ONCE(*counter, *counter + 1);
}

/**
 * struct svmgpu_hw_port - one way into memory through the MMU: a DMA
 * channel's access lock and TLB.
 * @access_lock: held across every memory access made through the port
 *               (translation and the access itself: at most one page, or
 *               one copy step of up to SVMGPU_HW_STEP_BYTES) and by TLB
 *               invalidation; protects @tlb, @tlb_hits and @tlb_misses. A
 *               spinlock so that invalidation never sleeps.
 * @tlb: the TLB and page-walk cache.
 * @tlb_hits: translations served by @tlb (ENG_TLB_HITS sums the ports).
 * @tlb_misses: translations that walked the tables.
 * The counters have one writer (under @access_lock) and are read locklessly
 * with READ_ONCE(), as struct svmgpu_hw_engine_stats.
 */
struct svmgpu_hw_port {
	spinlock_t access_lock; /* @tlb, counters; held across each access */
	struct svmgpu_hw_tlb tlb;
	u64 tlb_hits;
	u64 tlb_misses;
};

/**
 * struct svmgpu_hw_split - a split COPY step shared by an engine's channels.
 * @root: page-table root of the queue.
 * @dst: destination of the step's first byte.
 * @src: source of the step's first byte.
 * @len: bytes of the step; chunk i is the SVMGPU_HW_STEP_BYTES from
 *       i * SVMGPU_HW_STEP_BYTES on (the last one may be shorter).
 * @chunks: number of chunks.
 * @next: next chunk not claimed yet; channels claim with atomic_fetch_inc.
 * @done: bytes of each chunk copied, written by the channel that claimed it.
 * @ret: 0 or -EFAULT for each chunk, ditto.
 * @fault: the fault of each chunk that faulted, ditto.
 * @finished: completed by a helper channel when it has claimed all it could
 *            and finished those chunks.
 * Lives in the engine; the engine thread reads the results once every
 * helper channel that took the step completed @finished.
 */
struct svmgpu_hw_split {
	u64 root;
	u64 dst;
	u64 src;
	u64 len;
	unsigned int chunks;
	atomic_t next;
	u64 done[SVMGPU_HW_SPLIT_CHUNKS];
	int ret[SVMGPU_HW_SPLIT_CHUNKS];
	struct svmgpu_hw_fault_info fault[SVMGPU_HW_SPLIT_CHUNKS];
	struct completion finished;
};

/**
 * struct svmgpu_hw_channel - a helper DMA channel of an engine (1 and up).
 * @eng: its engine.
 * @index: channel number, 1 to svmgpu_hw.num_channels - 1.
 * @thread: the kernel thread that is the channel.
 * @wq: the channel sleeps here until a split step is posted.
 * @posted: the split step posted to the channel, or NULL. Set by the
 *          engine thread; taken (exchanged for NULL) by whichever of the
 *          channel and the engine gets to it first: the channel to work on
 *          it, the engine at the end of the step to learn the channel never
 *          started (so it need not wait for it).
 */
struct svmgpu_hw_channel {
	struct svmgpu_hw_engine *eng;
	unsigned int index;
	struct task_struct *thread;
	wait_queue_head_t wq;
	struct svmgpu_hw_split *posted;
};

/**
 * struct svmgpu_hw_engine - one command engine.
 * @hw: the instance.
 * @index: engine number.
 * @thread: the kernel thread that is the engine.
 * @wq: the engine sleeps here when nothing is runnable.
 * @kick: set by DOORBELL, ENABLE, RESUME and interrupt requests; the engine
 *        looks at its queues again before it sleeps.
 * @idle_wq: DISABLE and RESET wait here for @active to change.
 * @active: queue being executed, or NULL; queue_lock.
 * @rr_next: first slot the next round-robin scan looks at; queue_lock.
 * @enabled: enabled queue slots assigned to this engine; queue_lock.
 * @ports: the MMU ports of the engine's DMA channels; the engine thread
 *         (channel 0) uses @ports[0] for everything it accesses.
 * @channels: the helper channels; @channels[i] uses @ports[i + 1].
 * @split: the split COPY step in progress; engine thread only, and the
 *         helper channels it posted the step to.
 * @last_slot: ENG_SLOT register: slot executed now or last; queue_lock.
 * @stats: the ENG_* event counters and progress time.
 * @latch_hi: upper half latched by the last read of an ENG_*_LO register;
 *            svmgpu_hw.reg_lock.
 */
struct svmgpu_hw_engine {
	struct svmgpu_hw *hw;
	unsigned int index;
	struct task_struct *thread;
	wait_queue_head_t wq;
	atomic_t kick;
	wait_queue_head_t idle_wq;
	struct svmgpu_hw_queue *active;
	unsigned int rr_next;
	DECLARE_BITMAP(enabled, SVMGPU_MAX_QUEUES);
	struct svmgpu_hw_port ports[SVMGPU_HW_MAX_CHANNELS];
	struct svmgpu_hw_channel channels[SVMGPU_HW_MAX_CHANNELS - 1];
	struct svmgpu_hw_split split;
	u32 last_slot;
	struct svmgpu_hw_engine_stats stats;
	u32 latch_hi;
};

/**
 * struct svmgpu_hw_faultq - the fault queue block.
 * @lock: protects the registers below and serialises record writes.
 * @base: FAULTQ_BASE register.
 * @size: FAULTQ_SIZE register; 0 while the queue is off.
 * @put: FAULTQ_PUT register (free running).
 * @get: FAULTQ_GET register (free running).
 * @dropped: FAULTQ_DROPPED register.
 */
struct svmgpu_hw_faultq {
	spinlock_t lock; /* FAULTQ_* registers, record writes */
	u64 base;
	u32 size;
	u32 put;
	u32 get;
	u32 dropped;
};

#define SVMGPU_HW_IRQ_KICK	0	/* bit of svmgpu_hw.irq_kick */

/**
 * struct svmgpu_hw - one virtual GPU.
 * @dev: the device the instance belongs to, for messages; may be NULL.
 * @num_engines: engines built into this instance.
 * @num_channels: DMA channels of each engine, the engine itself included.
 * @irq_handler: interrupt line; see struct svmgpu_hw_config.
 * @irq_data: its argument.
 * @reg_lock: serialises the registers of the main block, as a bus would.
 * @scratch: SCRATCH register; reg_lock.
 * @irq_status: IRQ_STATUS register; reg_lock.
 * @irq_mask: IRQ_MASK register; reg_lock.
 * @queue_irq_pending: QUEUE_IRQ_PENDING registers; reg_lock.
 * @inval_root: MMU_INVAL_ROOT register; reg_lock.
 * @inval_start: MMU_INVAL_START register; reg_lock.
 * @inval_size: MMU_INVAL_SIZE register; reg_lock.
 * @irq_lock: serialises calls of @irq_handler (one interrupt line).
 * @irq_task: the task running @irq_handler, NULL outside it; written under
 *            @irq_lock, read locklessly to refuse blocking register writes
 *            from the handler.
 * @irq_kick: SVMGPU_HW_IRQ_KICK set when a register write made the line go
 *            up: engine 0 delivers the interrupt (never the writer).
 * @queue_lock: protects every queue slot's registers and scheduling state
 *              and each engine's @active, @rr_next and @enabled.
 * @queues: the SVMGPU_MAX_QUEUES queue slots.
 * @engines: the @num_engines engines.
 * @faultq: the fault queue block (has its own lock).
 */
struct svmgpu_hw {
	struct device *dev;
	unsigned int num_engines;
	unsigned int num_channels;
	void (*irq_handler)(void *data);
	void *irq_data;

	spinlock_t reg_lock; /* main-block registers: SCRATCH, IRQ_*, MMU_INVAL_* */
	u32 scratch;
	u32 irq_status;
	u32 irq_mask;
	u32 queue_irq_pending[SVMGPU_MAX_QUEUES / 32];
	u64 inval_root;
	u64 inval_start;
	u64 inval_size;

	spinlock_t irq_lock; /* one handler invocation at a time */
	struct task_struct *irq_task;
	unsigned long irq_kick;

	spinlock_t queue_lock; /* queue registers, engine scheduling state */
	struct svmgpu_hw_queue *queues;
	struct svmgpu_hw_engine *engines;

	struct svmgpu_hw_faultq faultq;
};

/* Writes of the low and high halves of a 64-bit register pair. */
static inline void svmgpu_hw_set_lo(u64 *reg, u32 value)
{
	*reg = (*reg & ~0xffffffffull) | value;
}

static inline void svmgpu_hw_set_hi(u64 *reg, u32 value)
{
	*reg = (*reg & 0xffffffffull) | ((u64)value << 32);
}

/* svmgpu_hw.c: interrupt block. */
void svmgpu_hw_irq_raise(struct svmgpu_hw *hw, u32 bits, bool from_engine);
void svmgpu_hw_irq_deliver(struct svmgpu_hw *hw);
bool svmgpu_hw_in_irq_handler(struct svmgpu_hw *hw);

/* svmgpu_hw_mmu.c: translation, invalidation and memory access. */
bool svmgpu_hw_page_usable(u64 pfn);
void svmgpu_hw_mmu_invalidate(struct svmgpu_hw *hw, u64 root, u64 start,
			      u64 size, bool all);
int svmgpu_hw_mem_read(struct svmgpu_hw_port *port, u64 root, u64 va,
		       void *buf, u32 len, struct svmgpu_hw_fault_info *fault);
int svmgpu_hw_mem_load(struct svmgpu_hw_port *port, u64 root, u64 va,
		       unsigned int bytes, u64 *value,
		       struct svmgpu_hw_fault_info *fault);
int svmgpu_hw_mem_store(struct svmgpu_hw_port *port, u64 root, u64 va,
			unsigned int bytes, u64 value, bool release,
			struct svmgpu_hw_fault_info *fault);
int svmgpu_hw_mem_atomic(struct svmgpu_hw_port *port, u64 root, u64 va,
			 u32 flags, u64 operand, u64 compare, u64 *old,
			 struct svmgpu_hw_fault_info *fault);
int svmgpu_hw_mem_copy(struct svmgpu_hw_port *port, u64 root, u64 dst,
		       u64 src, u64 len, bool backward, u64 *done,
		       struct svmgpu_hw_fault_info *fault);
int svmgpu_hw_mem_fill(struct svmgpu_hw_port *port, u64 root, u64 dst,
		       u64 len, u32 value, u64 *done,
		       struct svmgpu_hw_fault_info *fault);

/* svmgpu_hw_engine.c: engines and queue slots. */
int svmgpu_hw_engines_start(struct svmgpu_hw *hw);
void svmgpu_hw_engines_stop(struct svmgpu_hw *hw);
void svmgpu_hw_engine_kick(struct svmgpu_hw_engine *eng);
u32 svmgpu_hw_queue_read(struct svmgpu_hw *hw, u32 offset);
u32 svmgpu_hw_engine_read(struct svmgpu_hw *hw, u32 offset);
void svmgpu_hw_queue_write(struct svmgpu_hw *hw, u32 offset, u32 value);

/* svmgpu_hw_fault.c: fault queue. */
void svmgpu_hw_faultq_init(struct svmgpu_hw *hw);
u32 svmgpu_hw_faultq_read(struct svmgpu_hw *hw, u32 offset);
void svmgpu_hw_faultq_write(struct svmgpu_hw *hw, u32 offset, u32 value);
void svmgpu_hw_faultq_report(struct svmgpu_hw *hw,
			     const struct svmgpu_hw_fault_info *fault,
			     u64 pt_root, unsigned int queue,
			     unsigned int engine, bool stalled);

#endif /* SVMGPU_HW_INTERNAL_H */
