// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_hw.c - the svmgpu virtual GPU: an instance and its register file.
 *
 * DOC: Virtual hardware
 *
 * This file plays the silicon. It owns the state a real GPU would keep in
 * its registers and exposes it only through 32-bit register reads and
 * writes at the offsets of include/hw/svmgpu_regs.h. The identification and
 * capability registers are fixed when the instance is built; SCRATCH is
 * the only writable register so far. The MMU, engines and fault unit
 * attach here as they are built.
 */

#include <linux/device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "hw/svmgpu_regs.h"
#include "svmgpu_hw.h"

/**
 * struct svmgpu_hw - one virtual GPU.
 * @dev: the device the instance belongs to, for messages.
 * @num_engines: engines built into this instance.
 * @reg_lock: serialises register accesses, as a bus would.
 * @scratch: value of the SCRATCH register; protected by @reg_lock.
 */
struct svmgpu_hw {
	struct device *dev;
	unsigned int num_engines;
	spinlock_t reg_lock; /* serialises register access, guards @scratch */
	u32 scratch;
};

/**
 * svmgpu_hw_create() - build a virtual GPU instance.
 * @dev: device the instance belongs to.
 * @config: how to build it; validated here as a bus would refuse a bad
 *          strap configuration.
 *
 * Return: the instance, or an ERR_PTR: -EINVAL for a bad @config,
 * -ENOMEM when out of memory.
 */
struct svmgpu_hw *svmgpu_hw_create(struct device *dev,
				   const struct svmgpu_hw_config *config)
{
	struct svmgpu_hw *hw;

	if (!config->num_engines || config->num_engines > SVMGPU_MAX_ENGINES)
		return ERR_PTR(-EINVAL);

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return ERR_PTR(-ENOMEM);

	hw->dev = dev;
	hw->num_engines = config->num_engines;
	spin_lock_init(&hw->reg_lock);
	return hw;
}

/**
 * svmgpu_hw_destroy() - power off and free a virtual GPU instance.
 * @hw: the instance; NULL is allowed.
 */
void svmgpu_hw_destroy(struct svmgpu_hw *hw)
{
	kfree(hw);
}

/**
 * svmgpu_hw_read32() - read a register.
 * @hw: the instance.
 * @offset: byte offset of the register, 4-byte aligned.
 *
 * Return: the register's value; unknown or unaligned offsets read as 0.
 */
u32 svmgpu_hw_read32(struct svmgpu_hw *hw, u32 offset)
{
	u32 value = 0;

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
		value = 48;
		break;
	case SVMGPU_REG_MMU_PAGE_SIZES:
		value = SVMGPU_PAGE_SIZE_4K | SVMGPU_PAGE_SIZE_2M |
			SVMGPU_PAGE_SIZE_1G;
		break;
	case SVMGPU_REG_ENGINE_COUNT:
		value = hw->num_engines;
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
 */
void svmgpu_hw_write32(struct svmgpu_hw *hw, u32 offset, u32 value)
{
	spin_lock(&hw->reg_lock);
	if (offset == SVMGPU_REG_SCRATCH)
		hw->scratch = value;
	spin_unlock(&hw->reg_lock);
}
