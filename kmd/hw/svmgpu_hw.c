// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_hw.c - the svmgpu virtual GPU: an instance, its register file and
 * its interrupt block.
 */

/**
 * DOC: Virtual hardware
 *
 * The files of kmd/hw/ play the silicon. They own the state a real GPU
 * keeps in its registers and memories and expose it only through 32-bit
 * register reads and writes at the offsets of include/hw/svmgpu_regs.h,
 * through the rings, batch buffers, page tables and fault queue in system
 * memory whose formats include/hw/ defines, and through one interrupt line
 * (struct svmgpu_hw_config.irq_handler). docs/hardware.md is the
 * programming manual.
 *
 * This file builds and tears down an instance and decodes register
 * accesses: the identification, capability, interrupt and MMU command
 * blocks live here; the engine status block and the queue slots are
 * decoded by svmgpu_hw_engine.c and the fault queue by svmgpu_hw_fault.c.
 *
 * The interrupt line is edge triggered: it is raised when IRQ_STATUS &
 * IRQ_MASK goes from zero to non-zero. Engines raise it themselves, on their
 * own thread with local interrupts disabled, as a hard interrupt would
 * arrive. When a register write is what makes the line go up (IRQ_MASK
 * unmasking a pending cause, a queue stopped by a bad ENABLE), the writer
 * does not call the handler itself - the driver may hold locks its handler
 * takes - but asks engine 0 to deliver it.
 */

#include <linux/device.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "hw/svmgpu_pte.h"
#include "hw/svmgpu_regs.h"
#include "svmgpu_hw.h"
#include "svmgpu_hw_internal.h"

/**
 * svmgpu_hw_in_irq_handler() - whether the caller is the interrupt handler.
 * @hw: the instance.
 *
 * Return: true when called from inside the driver's interrupt handler.
 */
bool svmgpu_hw_in_irq_handler(struct svmgpu_hw *hw)
{
	return READ_ONCE(hw->irq_task) == current;
}

/**
 * svmgpu_hw_irq_deliver() - call the interrupt handler if the line is up.
 * @hw: the instance.
 *
 * Runs on an engine thread with no hardware lock held. Local interrupts
 * are disabled around the handler; @irq_lock keeps invocations apart.
 */
void svmgpu_hw_irq_deliver(struct svmgpu_hw *hw)
{
	unsigned long flags;
	bool pending;

	if (!hw->irq_handler)
		return;

	spin_lock_irqsave(&hw->irq_lock, flags);
	spin_lock(&hw->reg_lock);
	pending = hw->irq_status & hw->irq_mask;
	spin_unlock(&hw->reg_lock);
	if (pending) {
		WRITE_ONCE(hw->irq_task, current);
		hw->irq_handler(hw->irq_data);
		WRITE_ONCE(hw->irq_task, NULL);
	}
	spin_unlock_irqrestore(&hw->irq_lock, flags);
}

/* The line went up because of a register write: engine 0 delivers it. */
static void svmgpu_hw_irq_kick(struct svmgpu_hw *hw)
{
	set_bit(SVMGPU_HW_IRQ_KICK, &hw->irq_kick);
	svmgpu_hw_engine_kick(&hw->engines[0]);
}

/**
 * svmgpu_hw_irq_raise() - latch interrupt causes.
 * @hw: the instance.
 * @bits: SVMGPU_IRQ_* causes to set in IRQ_STATUS.
 * @from_engine: the caller is an engine thread holding no hardware lock,
 *               which may deliver the interrupt itself.
 */
void svmgpu_hw_irq_raise(struct svmgpu_hw *hw, u32 bits, bool from_engine)
{
	bool fire;

	spin_lock(&hw->reg_lock);
	fire = !(hw->irq_status & hw->irq_mask) && (bits & hw->irq_mask);
	hw->irq_status |= bits;
	spin_unlock(&hw->reg_lock);

	if (!fire)
		return;
	if (from_engine)
		svmgpu_hw_irq_deliver(hw);
	else
		svmgpu_hw_irq_kick(hw);
}

static void svmgpu_hw_write_irq_mask(struct svmgpu_hw *hw, u32 value)
{
	unsigned long flags;
	bool fire;

	value &= SVMGPU_IRQ_QUEUE | SVMGPU_IRQ_FAULT;
	spin_lock(&hw->reg_lock);
	fire = !(hw->irq_status & hw->irq_mask) && (hw->irq_status & value);
	hw->irq_mask = value;
	spin_unlock(&hw->reg_lock);

	if (fire)
		svmgpu_hw_irq_kick(hw);
	/*
	 * Like synchronize_irq(): an invocation already running finishes
	 * before the write returns, later ones see the new mask. (The
	 * handler itself may write the mask; it cannot wait for itself.)
	 */
	if (!svmgpu_hw_in_irq_handler(hw)) {
		spin_lock_irqsave(&hw->irq_lock, flags);
		spin_unlock_irqrestore(&hw->irq_lock, flags);
	}
}

/* MMU_COMMAND: invalidate with the values of the MMU_INVAL_* registers. */
static void svmgpu_hw_mmu_command(struct svmgpu_hw *hw, u32 value)
{
	u64 root, start, size;

	if (value != SVMGPU_MMU_CMD_INVALIDATE &&
	    value != SVMGPU_MMU_CMD_INVALIDATE_ALL)
		return;
	if (WARN_ONCE(svmgpu_hw_in_irq_handler(hw),
		      "svmgpu hw: MMU_COMMAND written from the interrupt handler\n"))
		return;

	spin_lock(&hw->reg_lock);
	root = hw->inval_root;
	start = hw->inval_start;
	size = hw->inval_size;
	spin_unlock(&hw->reg_lock);

	svmgpu_hw_mmu_invalidate(hw, root, start, size,
				 value == SVMGPU_MMU_CMD_INVALIDATE_ALL);
}

/**
 * svmgpu_hw_create() - build a virtual GPU instance and power it on.
 * @dev: device the instance belongs to, for messages; may be NULL.
 * @config: how to build it; validated here as a bus would refuse a bad
 *          strap configuration.
 *
 * The instance comes up with every queue slot disabled, interrupts masked,
 * the fault queue off and empty TLBs; its engines are running and idle.
 *
 * Return: the instance, or an ERR_PTR: -EINVAL for a bad @config,
 * -ENOMEM when out of memory, or the error of starting an engine thread.
 */
struct svmgpu_hw *svmgpu_hw_create(struct device *dev,
				   const struct svmgpu_hw_config *config)
{
	struct svmgpu_hw *hw;
	unsigned int i;
	int ret;

	if (!config->num_engines || config->num_engines > SVMGPU_MAX_ENGINES ||
	    config->num_channels > SVMGPU_HW_MAX_CHANNELS)
		return ERR_PTR(-EINVAL);

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return ERR_PTR(-ENOMEM);

	hw->dev = dev;
	hw->num_engines = config->num_engines;
	hw->num_channels = config->num_channels ?: SVMGPU_HW_DEFAULT_CHANNELS;
	hw->irq_handler = config->irq_handler;
	hw->irq_data = config->irq_data;
	spin_lock_init(&hw->reg_lock);
	spin_lock_init(&hw->irq_lock);
	spin_lock_init(&hw->queue_lock);
	svmgpu_hw_faultq_init(hw);

	hw->queues = kvcalloc(SVMGPU_MAX_QUEUES, sizeof(*hw->queues),
			      GFP_KERNEL);
	if (!hw->queues) {
		ret = -ENOMEM;
		goto err_free_hw;
	}
	for (i = 0; i < SVMGPU_MAX_QUEUES; i++)
		hw->queues[i].index = i;

	hw->engines = kvcalloc(hw->num_engines, sizeof(*hw->engines),
			       GFP_KERNEL);
	if (!hw->engines) {
		ret = -ENOMEM;
		goto err_free_queues;
	}

	ret = svmgpu_hw_engines_start(hw);
	if (ret)
		goto err_free_engines;
	return hw;

err_free_engines:
	kvfree(hw->engines);
err_free_queues:
	kvfree(hw->queues);
err_free_hw:
	kfree(hw);
	return ERR_PTR(ret);
}

/**
 * svmgpu_hw_destroy() - power off and free a virtual GPU instance.
 * @hw: the instance; NULL is allowed.
 *
 * Stops every engine (an engine finishes the step it is in, at most one
 * command or SVMGPU_HW_STEP_BYTES of a copy or fill), after which the
 * hardware touches no memory and calls no handler. The driver must not
 * access @hw afterwards. May sleep.
 */
void svmgpu_hw_destroy(struct svmgpu_hw *hw)
{
	if (!hw)
		return;
	svmgpu_hw_engines_stop(hw);
	kvfree(hw->engines);
	kvfree(hw->queues);
	kfree(hw);
}

/**
 * svmgpu_hw_read32() - read a register.
 * @hw: the instance.
 * @offset: byte offset of the register, 4-byte aligned.
 *
 * Never sleeps; allowed in the interrupt handler.
 *
 * Return: the register's value; unknown or unaligned offsets read as 0.
 */
u32 svmgpu_hw_read32(struct svmgpu_hw *hw, u32 offset)
{
	u32 value = 0;

	if (offset & 3 || offset >= SVMGPU_REG_SPACE_SIZE)
		return 0;
	if (offset >= SVMGPU_QUEUE_REG_BASE)
		return svmgpu_hw_queue_read(hw, offset);
	if (offset >= SVMGPU_ENGINE_REG_BASE &&
	    offset < SVMGPU_ENGINE_REG(SVMGPU_MAX_ENGINES, 0))
		return svmgpu_hw_engine_read(hw, offset);
	if (offset >= SVMGPU_REG_FAULTQ_BASE_LO &&
	    offset <= SVMGPU_REG_FAULTQ_DROPPED)
		return svmgpu_hw_faultq_read(hw, offset);

	spin_lock(&hw->reg_lock);
	switch (offset) {
	case SVMGPU_REG_ID:
		value = SVMGPU_ID_MAGIC;
		break;
	case SVMGPU_REG_REVISION:
		value = SVMGPU_REVISION_CURRENT;
		break;
	case SVMGPU_REG_SCRATCH:
		value = hw->scratch;
		break;
	case SVMGPU_REG_MMU_VA_BITS:
		value = SVMGPU_VA_BITS;
		break;
	case SVMGPU_REG_MMU_PAGE_SIZES:
		value = SVMGPU_PAGE_SIZE_4K | SVMGPU_PAGE_SIZE_2M |
			SVMGPU_PAGE_SIZE_1G;
		break;
	case SVMGPU_REG_ENGINE_COUNT:
		value = hw->num_engines;
		break;
	case SVMGPU_REG_QUEUE_COUNT:
		value = SVMGPU_MAX_QUEUES;
		break;
	case SVMGPU_REG_IRQ_STATUS:
		value = hw->irq_status;
		break;
	case SVMGPU_REG_IRQ_MASK:
		value = hw->irq_mask;
		break;
	case SVMGPU_REG_QUEUE_IRQ_PENDING(0) ...
	     SVMGPU_REG_QUEUE_IRQ_PENDING(SVMGPU_MAX_QUEUES / 32 - 1):
		value = hw->queue_irq_pending[(offset -
					       SVMGPU_REG_QUEUE_IRQ_PENDING(0)) / 4];
		break;
	case SVMGPU_REG_MMU_INVAL_ROOT_LO:
		value = lower_32_bits(hw->inval_root);
		break;
	case SVMGPU_REG_MMU_INVAL_ROOT_HI:
		value = upper_32_bits(hw->inval_root);
		break;
	case SVMGPU_REG_MMU_INVAL_START_LO:
		value = lower_32_bits(hw->inval_start);
		break;
	case SVMGPU_REG_MMU_INVAL_START_HI:
		value = upper_32_bits(hw->inval_start);
		break;
	case SVMGPU_REG_MMU_INVAL_SIZE_LO:
		value = lower_32_bits(hw->inval_size);
		break;
	case SVMGPU_REG_MMU_INVAL_SIZE_HI:
		value = upper_32_bits(hw->inval_size);
		break;
	}
	spin_unlock(&hw->reg_lock);
	return value;
}

/**
 * svmgpu_hw_write32() - write a register.
 * @hw: the instance.
 * @offset: byte offset of the register, 4-byte aligned.
 * @value: value to write.
 *
 * Writes to read-only or unknown registers are ignored, as on the bus.
 * Writes to MMU_COMMAND and Q_CONTROL (DISABLE, RESET) return only when
 * the engines have done what the manual promises: the first spins for at
 * most one page-sized access per engine, the second sleeps for at most one
 * engine step. Neither may be written from the interrupt handler; every
 * other write never sleeps.
 */
void svmgpu_hw_write32(struct svmgpu_hw *hw, u32 offset, u32 value)
{
	if (offset & 3 || offset >= SVMGPU_REG_SPACE_SIZE)
		return;
	if (offset >= SVMGPU_QUEUE_REG_BASE) {
		svmgpu_hw_queue_write(hw, offset, value);
		return;
	}
	if (offset >= SVMGPU_REG_FAULTQ_BASE_LO &&
	    offset <= SVMGPU_REG_FAULTQ_DROPPED) {
		svmgpu_hw_faultq_write(hw, offset, value);
		return;
	}

	switch (offset) {
	case SVMGPU_REG_IRQ_MASK:
		svmgpu_hw_write_irq_mask(hw, value);
		return;
	case SVMGPU_REG_MMU_COMMAND:
		svmgpu_hw_mmu_command(hw, value);
		return;
	}

	spin_lock(&hw->reg_lock);
	switch (offset) {
	case SVMGPU_REG_SCRATCH:
		hw->scratch = value;
		break;
	case SVMGPU_REG_IRQ_CLEAR:
		hw->irq_status &= ~value;
		break;
	case SVMGPU_REG_QUEUE_IRQ_PENDING(0) ...
	     SVMGPU_REG_QUEUE_IRQ_PENDING(SVMGPU_MAX_QUEUES / 32 - 1):
		hw->queue_irq_pending[(offset -
				       SVMGPU_REG_QUEUE_IRQ_PENDING(0)) / 4] &= ~value;
		break;
	case SVMGPU_REG_MMU_INVAL_ROOT_LO:
		svmgpu_hw_set_lo(&hw->inval_root, value);
		break;
	case SVMGPU_REG_MMU_INVAL_ROOT_HI:
		svmgpu_hw_set_hi(&hw->inval_root, value);
		break;
	case SVMGPU_REG_MMU_INVAL_START_LO:
		svmgpu_hw_set_lo(&hw->inval_start, value);
		break;
	case SVMGPU_REG_MMU_INVAL_START_HI:
		svmgpu_hw_set_hi(&hw->inval_start, value);
		break;
	case SVMGPU_REG_MMU_INVAL_SIZE_LO:
		svmgpu_hw_set_lo(&hw->inval_size, value);
		break;
	case SVMGPU_REG_MMU_INVAL_SIZE_HI:
		svmgpu_hw_set_hi(&hw->inval_size, value);
		break;
	}
	spin_unlock(&hw->reg_lock);
}
