/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_vm_bind.h - VM_BIND and the device's bind scheduler
 * (svmgpu_vm_bind.c).
 */
#ifndef SVMGPU_VM_BIND_H
#define SVMGPU_VM_BIND_H

struct drm_device;
struct drm_file;
struct seq_file;
struct svmgpu_device;
struct svmgpu_vm;

int svmgpu_vm_binds_init(struct svmgpu_device *sdev);
void svmgpu_vm_binds_fini(struct svmgpu_device *sdev);
void svmgpu_vm_binds_cancel(struct svmgpu_vm *vm);
void svmgpu_vm_unmap_all(struct svmgpu_vm *vm);
void svmgpu_vm_mappings_debugfs_show(struct svmgpu_vm *vm, struct seq_file *m);

int svmgpu_ioctl_vm_bind(struct drm_device *drm, void *data,
			 struct drm_file *file);

#endif /* SVMGPU_VM_BIND_H */
