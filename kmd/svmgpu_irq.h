/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_irq.h - the device's interrupt: dispatch to the fault queue and
 * the queue slots (svmgpu_irq.c).
 */
#ifndef SVMGPU_IRQ_H
#define SVMGPU_IRQ_H

struct svmgpu_device;

void svmgpu_irq_handler(void *data);
void svmgpu_irq_enable(struct svmgpu_device *sdev);
void svmgpu_irq_disable(struct svmgpu_device *sdev);

#endif /* SVMGPU_IRQ_H */
