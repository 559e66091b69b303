/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_user_fence.h - waiting for user fences (svmgpu_user_fence.c).
 */
#ifndef SVMGPU_USER_FENCE_H
#define SVMGPU_USER_FENCE_H

struct drm_device;
struct drm_file;

int svmgpu_ioctl_wait_user_fence(struct drm_device *drm, void *data,
				 struct drm_file *file);
int svmgpu_ioctl_user_fence_wake(struct drm_device *drm, void *data,
				 struct drm_file *file);

#endif /* SVMGPU_USER_FENCE_H */
