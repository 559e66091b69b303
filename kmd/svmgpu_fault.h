/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_fault.h - the driver half of the GPU fault path: the fault
 * queue, the fault log and the fault worker (svmgpu_fault.c).
 */
#ifndef SVMGPU_FAULT_PATH_H
#define SVMGPU_FAULT_PATH_H

struct svmgpu_device;
struct svmgpu_queue;

int svmgpu_fault_init(struct svmgpu_device *sdev);
void svmgpu_fault_fini(struct svmgpu_device *sdev);
void svmgpu_fault_drain(struct svmgpu_device *sdev);

void svmgpu_fault_queue_init(struct svmgpu_queue *queue);
void svmgpu_fault_queue_release(struct svmgpu_queue *queue);
void svmgpu_fault_queue_fini(struct svmgpu_queue *queue);
void svmgpu_fault_kick(struct svmgpu_queue *queue);

#endif /* SVMGPU_FAULT_PATH_H */
