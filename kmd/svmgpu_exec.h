/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_exec.h - EXEC and the queues' scheduler backend (svmgpu_exec.c).
 */
#ifndef SVMGPU_EXEC_H
#define SVMGPU_EXEC_H

struct drm_device;
struct drm_file;
struct drm_sched_backend_ops;

extern const struct drm_sched_backend_ops svmgpu_job_sched_ops;

int svmgpu_ioctl_exec(struct drm_device *drm, void *data,
		      struct drm_file *file);

#endif /* SVMGPU_EXEC_H */
