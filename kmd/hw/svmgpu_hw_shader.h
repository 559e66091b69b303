/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_hw_shader.h - the shader cores of the svmgpu virtual GPU: waves,
 * workgroups and the interpreter that runs them in bounded steps, for the
 * files of kmd/hw/ (and the KUnit suites) only.
 */
#ifndef SVMGPU_HW_SHADER_H
#define SVMGPU_HW_SHADER_H

#include <linux/types.h>

#include "hw/svmgpu_isa.h"
#include "svmgpu_hw_internal.h"
#include "svmgpu_hw_isa.h"

#define SVMGPU_HW_LANES		SVMGPU_ISA_WAVE_SIZE
#define SVMGPU_HW_LANE_MASK	((u16)0xffff)

/* Instructions a compute unit executes in one step by default. */
#define SVMGPU_HW_SHADER_BUDGET	4096u

/**
 * struct svmgpu_hw_shader_params - what a dispatch gives its waves.
 * @root: page-table root of the queue (global memory).
 * @args: argument block address (%args).
 * @num_wg: grid size in workgroups.
 * @wg_size: workgroup size in invocations.
 * @shared_size: shared memory bytes per workgroup.
 * @vregs: vector registers per lane.
 * @sregs: scalar registers per wave.
 */
struct svmgpu_hw_shader_params {
	u64 root;
	u64 args;
	u32 num_wg[3];
	u32 wg_size[3];
	u32 shared_size;
	u32 vregs;
	u32 sregs;
};

/**
 * struct svmgpu_hw_shader_frame - one open construct of a wave.
 * @saved: EXEC when the construct was entered.
 * @taken: if: the lanes of the if part; loop: lanes that left by break.
 * @cont: loop: lanes that continued this iteration.
 * @is_loop: a loop frame.
 */
struct svmgpu_hw_shader_frame {
	u16 saved;
	u16 taken;
	u16 cont;
	bool is_loop;
};

enum svmgpu_hw_wave_state {
	SVMGPU_HW_WAVE_RUN,	/* runnable */
	SVMGPU_HW_WAVE_BARRIER,	/* waits at a workgroup barrier */
	SVMGPU_HW_WAVE_FAULT,	/* parked on a fault until resumed */
	SVMGPU_HW_WAVE_DONE,	/* ended */
};

/**
 * struct svmgpu_hw_wave - one wave of 16 lanes.
 * @v: vector registers, @v[r * 16 + lane].
 * @s: scalar registers.
 * @stack: the mask stack.
 * @depth: open constructs.
 * @exec: EXEC.
 * @live: LIVE.
 * @pc: index of the next instruction in the decoded program.
 * @state: enum svmgpu_hw_wave_state.
 * @index: subgroup id in the workgroup.
 */
struct svmgpu_hw_wave {
	u32 *v;
	u32 s[SVMGPU_ISA_MAX_SREGS];
	struct svmgpu_hw_shader_frame stack[SVMGPU_ISA_MAX_DEPTH];
	unsigned int depth;
	u16 exec;
	u16 live;
	u32 pc;
	u8 state;
	u32 index;
};

/* What svmgpu_hw_shader_run() stopped on. */
enum svmgpu_hw_shader_status {
	SVMGPU_HW_SHADER_DONE,		/* every workgroup has ended */
	SVMGPU_HW_SHADER_BUDGET_OUT,	/* step budget spent; call again */
	SVMGPU_HW_SHADER_FAULTED,	/* a wave parked on @fault */
	SVMGPU_HW_SHADER_STALLED,	/* nothing runnable but faulted waves */
	SVMGPU_HW_SHADER_EXCEPTION,	/* run-time exception: job ends */
};

/**
 * struct svmgpu_hw_shader_counters - what the compute unit counts.
 * @waves: waves launched.
 * @insns: instructions executed.
 * @faults: translation faults raised.
 * @busy_ns: time spent in steps.
 */
struct svmgpu_hw_shader_counters {
	u64 waves;
	u64 insns;
	u64 faults;
	u64 busy_ns;
};

/**
 * struct svmgpu_hw_shader_job - one dispatch on a compute unit.
 * @p: the dispatch parameters.
 * @insns: the decoded program.
 * @ninsns: its instructions.
 * @wg_total: workgroups of the grid.
 * @wg_next: linear id of the workgroup that runs now (or runs next).
 * @wg_live: a workgroup is loaded in @waves.
 * @wg_id: its id.
 * @nwaves: its waves.
 * @waves: the waves (SVMGPU_ISA_MAX_WG_SIZE / 16 at most).
 * @vregs: register file of all waves.
 * @shared: the workgroup's shared memory.
 * @cur: wave the next step starts with.
 * @fpu: a kernel_fpu_begin() section is open (inside a step only).
 * @fault: the fault of the last SVMGPU_HW_SHADER_FAULTED.
 * @fault_lane: its lane.
 * @fault_pc: its word index.
 * @exception: SVMGPU_ISA_EXC_* of SVMGPU_HW_SHADER_EXCEPTION.
 * @stats: counters.
 */
struct svmgpu_hw_shader_job {
	struct svmgpu_hw_shader_params p;
	struct svmgpu_hw_isa_insn *insns;
	u32 ninsns;
	u64 wg_total;
	u64 wg_next;
	bool wg_live;
	u32 wg_id[3];
	u32 nwaves;
	struct svmgpu_hw_wave waves[SVMGPU_ISA_MAX_WG_SIZE / SVMGPU_HW_LANES];
	u32 *vregs;
	u8 *shared;
	u32 cur;
	bool fpu;
	struct svmgpu_hw_fault_info fault;
	u32 fault_lane;
	u32 fault_pc;
	u32 exception;
	struct svmgpu_hw_shader_counters stats;
};

/**
 * struct svmgpu_hw_lanes - one memory instruction's accesses for the MMU.
 * @va: address of each lane.
 * @data: in: value stored or atomic operand; out: value loaded or old value.
 * @cmp: compare value of compare-exchange.
 * @mask: lanes that access memory.
 * @bytes: 1, 2, 4, 8 or 16.
 * @access: SVMGPU_ACCESS_*.
 * @op: for atomics, the SVMGPU_ISA_OP_ATOMG_* opcode.
 */
struct svmgpu_hw_lanes {
	u64 va[SVMGPU_HW_LANES];
	u64 data[SVMGPU_HW_LANES][2];
	u64 cmp[SVMGPU_HW_LANES];
	u16 mask;
	u8 bytes;
	u8 access;
	u16 op;
};

int svmgpu_hw_shader_job_init(struct svmgpu_hw_shader_job *job,
			      const struct svmgpu_hw_shader_params *p,
			      const __le64 *words, u32 count,
			      struct svmgpu_hw_isa_error *error);
void svmgpu_hw_shader_job_fini(struct svmgpu_hw_shader_job *job);
enum svmgpu_hw_shader_status
svmgpu_hw_shader_run(struct svmgpu_hw_shader_job *job,
		     struct svmgpu_hw_port *port, u32 budget);
void svmgpu_hw_shader_resume(struct svmgpu_hw_shader_job *job);

/* svmgpu_hw_mmu.c: every lane's translation first, then the accesses. */
int svmgpu_hw_mem_lanes(struct svmgpu_hw_port *port, u64 root,
			struct svmgpu_hw_lanes *req,
			struct svmgpu_hw_fault_info *fault, u32 *lane);
/* One atomic on kernel-mapped memory (global page or shared memory). */
u64 svmgpu_hw_shader_atomic(void *p, u16 op, u64 operand, u64 compare);

/* svmgpu_hw_shader_fp.c: binary32 ALU; inside kernel_fpu_begin() only. */
u64 svmgpu_hw_fp_alu(u16 op, u64 a, u64 b, u64 c);

#endif /* SVMGPU_HW_SHADER_H */
