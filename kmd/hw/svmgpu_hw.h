/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_hw.h - the svmgpu virtual GPU seen from the driver: creation of an
 * instance, its register interface and its interrupt line. The driver never
 * looks inside struct svmgpu_hw; everything goes through these functions,
 * the registers of include/hw/svmgpu_regs.h and the memory formats of the
 * other headers of include/hw/, as it would with real silicon.
 * docs/hardware.md is the programming manual.
 */
#ifndef SVMGPU_HW_H
#define SVMGPU_HW_H

#include <linux/types.h>

struct device;
struct svmgpu_hw;

/* DMA channels an engine can have, and how many it has by default. */
#define SVMGPU_HW_MAX_CHANNELS		4
#define SVMGPU_HW_DEFAULT_CHANNELS	2

/**
 * struct svmgpu_hw_config - how an instance of the hardware is built.
 * @num_engines: command engines of the instance, 1..SVMGPU_MAX_ENGINES.
 *               Required.
 * @num_channels: DMA channels of each engine, the engine included,
 *                1..SVMGPU_HW_MAX_CHANNELS; 0 picks the default
 *                (SVMGPU_HW_DEFAULT_CHANNELS). Channels beyond the first
 *                copy parts of long COPYs in parallel (a kernel thread
 *                each), so they only pay off with CPUs to spare.
 * @irq_handler: the interrupt line. Optional (NULL: interrupts are never
 *               delivered, the status registers still latch). Called with
 *               @irq_data whenever IRQ_STATUS & IRQ_MASK goes from zero to
 *               non-zero, from hardware context (an engine's kernel
 *               thread) with local interrupts disabled, exactly like a hard
 *               interrupt handler: it must not sleep, and two invocations
 *               never run at the same time. It may be called when nothing
 *               is pending (a spurious interrupt). It may read and write
 *               every register except the ones that wait for the engines:
 *               MMU_COMMAND and Q_CONTROL with DISABLE or RESET (such a
 *               write from the handler is refused with a warning). Since
 *               the line is raised on the edge, the handler clears what it
 *               saw in IRQ_CLEAR before it looks at the sources
 *               (QUEUE_IRQ_PENDING, FAULTQ_PUT), and repeats until
 *               IRQ_STATUS & IRQ_MASK reads 0. As with synchronize_irq(),
 *               the writes that wait for a running handler (IRQ_MASK,
 *               Q_CONTROL DISABLE and RESET) must not be issued while
 *               holding a lock the handler takes; lockdep knows.
 * @irq_data: argument of @irq_handler.
 */
struct svmgpu_hw_config {
	unsigned int num_engines;
	unsigned int num_channels;
	void (*irq_handler)(void *data);
	void *irq_data;
};

struct svmgpu_hw *svmgpu_hw_create(struct device *dev,
				   const struct svmgpu_hw_config *config);
void svmgpu_hw_destroy(struct svmgpu_hw *hw);

/**
 * struct svmgpu_hw_shader_stats - what an engine counts as a compute unit.
 * @waves: shader waves launched.
 * @insns: shader instructions executed.
 * @faults: faults raised by shader instructions.
 * @busy_ns: time spent running shader steps.
 */
struct svmgpu_hw_shader_stats {
	u64 waves;
	u64 insns;
	u64 faults;
	u64 busy_ns;
};

void svmgpu_hw_engine_shader_stats(struct svmgpu_hw *hw, unsigned int engine,
				   struct svmgpu_hw_shader_stats *stats);

u32 svmgpu_hw_read32(struct svmgpu_hw *hw, u32 offset);
void svmgpu_hw_write32(struct svmgpu_hw *hw, u32 offset, u32 value);

#endif /* SVMGPU_HW_H */
