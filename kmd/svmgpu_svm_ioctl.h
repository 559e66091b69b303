/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_svm_ioctl.h - the SVM query and attribute ioctls
 * (svmgpu_svm_ioctl.c).
 */
#ifndef SVMGPU_SVM_IOCTL_H
#define SVMGPU_SVM_IOCTL_H

struct drm_device;
struct drm_file;

int svmgpu_ioctl_vm_query(struct drm_device *drm, void *data,
			  struct drm_file *file);
int svmgpu_ioctl_vm_attr(struct drm_device *drm, void *data,
			 struct drm_file *file);

#endif /* SVMGPU_SVM_IOCTL_H */
