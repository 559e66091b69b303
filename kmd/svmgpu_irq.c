// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_irq.c - the device's one interrupt line and its dispatch.
 */

/**
 * DOC: Interrupts
 *
 * The GPU has one interrupt line. Its sources are the fault queue
 * (SVMGPU_IRQ_FAULT: records were appended) and the queue slots
 * (SVMGPU_IRQ_QUEUE: a slot's FENCE or USER_FENCE command asked for an
 * interrupt, or the slot stopped; which slots is in the
 * QUEUE_IRQ_PENDING registers). svmgpu_irq_handler() runs in hard-interrupt
 * context, under &svmgpu_device.slots_lock, so a queue it finds in a slot
 * is not released under it, and loops until no unmasked source is
 * pending:
 *
 * - SVMGPU_IRQ_FAULT first, so that a slot that stopped on a fault finds
 *   its record when its own interrupt is handled: svmgpu_fault_drain()
 *   (svmgpu_fault.c, where the whole fault path is drawn);
 * - then each pending slot: svmgpu_queue_irq() (svmgpu_queue.c) signals
 *   its completed hardware fences and hands a stopped slot to the
 *   scheduler's timeout handler or the fault worker.
 *
 * Nothing here sleeps or allocates; whatever needs either is queued on a
 * workqueue by the handlers it calls.
 */

#include <linux/bitops.h>
#include <linux/spinlock.h>

#include "hw/svmgpu_hw.h"
#include "hw/svmgpu_regs.h"
#include "svmgpu_device.h"
#include "svmgpu_fault.h"
#include "svmgpu_irq.h"
#include "svmgpu_queue.h"

/* Every slot with a pending interrupt, 32 per QUEUE_IRQ_PENDING register. */
static void svmgpu_irq_queues(struct svmgpu_device *sdev)
{
	struct svmgpu_hw *hw = sdev->hw;
	unsigned int n;

	for (n = 0; n < SVMGPU_MAX_QUEUES / 32; n++) {
		u32 reg = SVMGPU_REG_QUEUE_IRQ_PENDING(n);
		unsigned long bits = svmgpu_hw_read32(hw, reg);
		unsigned int bit;

		if (!bits)
			continue;
		svmgpu_hw_write32(hw, reg, bits);
		for_each_set_bit(bit, &bits, 32) {
			struct svmgpu_queue *queue = sdev->slots[32 * n + bit];

			if (queue)
				svmgpu_queue_irq(queue);
		}
	}
}

/**
 * svmgpu_irq_handler() - the device's interrupt handler.
 * @data: the &struct svmgpu_device (svmgpu_hw_config.irq_data).
 *
 * Hard-interrupt context: local interrupts are off, nothing may sleep.
 */
void svmgpu_irq_handler(void *data)
{
	struct svmgpu_device *sdev = data;
	struct svmgpu_hw *hw = sdev->hw;
	u32 status;

	svmgpu_count(sdev, SVMGPU_CNT_INTERRUPTS);
	spin_lock(&sdev->slots_lock);
	while ((status = svmgpu_hw_read32(hw, SVMGPU_REG_IRQ_STATUS) &
			 svmgpu_hw_read32(hw, SVMGPU_REG_IRQ_MASK))) {
		svmgpu_hw_write32(hw, SVMGPU_REG_IRQ_CLEAR, status);

		/* Faults first: a slot that stopped finds its record. */
		if (status & SVMGPU_IRQ_FAULT)
			svmgpu_fault_drain(sdev);
		if (status & SVMGPU_IRQ_QUEUE)
			svmgpu_irq_queues(sdev);
	}
	spin_unlock(&sdev->slots_lock);
}

/**
 * svmgpu_irq_enable() - unmask the fault queue's and the slots' interrupts.
 * @sdev: the device; the queues and the fault queue are set up.
 */
void svmgpu_irq_enable(struct svmgpu_device *sdev)
{
	svmgpu_hw_write32(sdev->hw, SVMGPU_REG_IRQ_MASK,
			  SVMGPU_IRQ_QUEUE | SVMGPU_IRQ_FAULT);
}

/**
 * svmgpu_irq_disable() - mask every interrupt source.
 * @sdev: the device.
 */
void svmgpu_irq_disable(struct svmgpu_device *sdev)
{
	svmgpu_hw_write32(sdev->hw, SVMGPU_REG_IRQ_MASK, 0);
}
