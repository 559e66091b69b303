/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_drv.h - driver-wide definitions shared by the svmgpu files.
 */
#ifndef SVMGPU_DRV_H
#define SVMGPU_DRV_H

#define SVMGPU_DRIVER_NAME	"svmgpu"
#define SVMGPU_DRIVER_DESC	"Virtual GPU with shared virtual memory"
#define SVMGPU_DRIVER_MAJOR	0
#define SVMGPU_DRIVER_MINOR	2
#define SVMGPU_DRIVER_PATCHLEVEL 0

#include "svmgpu_queue.h"
#include "svmgpu_vm.h"

struct drm_svmgpu_obj_array;

unsigned int svmgpu_job_timeout_ms(void);
int svmgpu_copy_array_elem(void *dst, size_t ksize,
			   const struct drm_svmgpu_obj_array *arr, u32 i);

/**
 * struct svmgpu_file - what one open file of the render node owns.
 * @vms: its VMs.
 * @queues: its queues.
 */
struct svmgpu_file {
	struct svmgpu_file_vms vms;
	struct svmgpu_file_queues queues;
};

#endif /* SVMGPU_DRV_H */
