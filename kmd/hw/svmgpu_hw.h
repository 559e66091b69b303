/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_hw.h - the svmgpu virtual GPU seen from the driver: creation of an
 * instance and its register interface. The driver never looks inside
 * struct svmgpu_hw; everything goes through these functions and the
 * registers of include/hw/svmgpu_regs.h, as it would with real silicon.
 */
#ifndef SVMGPU_HW_H
#define SVMGPU_HW_H

#include <linux/types.h>

struct device;
struct svmgpu_hw;

/**
 * struct svmgpu_hw_config - how an instance of the hardware is built.
 * @num_engines: command engines of the instance, 1..SVMGPU_MAX_ENGINES.
 */
struct svmgpu_hw_config {
	unsigned int num_engines;
};

struct svmgpu_hw *svmgpu_hw_create(struct device *dev,
				   const struct svmgpu_hw_config *config);
void svmgpu_hw_destroy(struct svmgpu_hw *hw);

u32 svmgpu_hw_read32(struct svmgpu_hw *hw, u32 offset);
void svmgpu_hw_write32(struct svmgpu_hw *hw, u32 offset, u32 value);

#endif /* SVMGPU_HW_H */
