/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_vm.h - GPU virtual address spaces (VMs) and their bindings.
 */
#ifndef SVMGPU_VM_H
#define SVMGPU_VM_H

#include <linux/mutex.h>
#include <linux/xarray.h>

#include <drm/drm_gpuvm.h>

#include "svmgpu_mmu.h"

struct drm_device;
struct drm_file;
struct seq_file;
struct svmgpu_device;
struct svmgpu_svm;

/**
 * struct svmgpu_vm - one GPU address space.
 * @base: the drm_gpuvm tracking the mappings; its reference count is the
 *        VM's (jobs take references).
 * @sdev: the device.
 * @lock: serialises changes of the mappings: the drm_gpuvm tree and
 *        @pgt. Taken before any BO's reservation lock.
 * @pgt: the page tables.
 * @link: in the device's list of VMs, for debugfs; under
 *        &svmgpu_device.vms_lock.
 * @id: id in the creating file, for debugfs.
 * @pid: process that created it, for debugfs.
 * @svm: the CPU-address mirror of a fault-mode VM; NULL in dma-fence mode.
 */
struct svmgpu_vm {
	struct drm_gpuvm base;
	struct svmgpu_device *sdev;
	struct mutex lock; /* the mapping tree and @pgt, see above */
	struct svmgpu_pgtable pgt;
	struct list_head link;
	u32 id;
	pid_t pid;
	struct svmgpu_svm *svm;
};

/**
 * struct svmgpu_file_vms - the VMs of one open file.
 * @xa: VMs by id; the xarray's lock protects lookups against removal.
 */
struct svmgpu_file_vms {
	struct xarray xa;
};

static inline struct svmgpu_vm *to_svmgpu_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct svmgpu_vm, base);
}

void svmgpu_file_vms_init(struct svmgpu_file_vms *vms);
void svmgpu_file_vms_fini(struct svmgpu_file_vms *vms);

struct svmgpu_vm *svmgpu_vm_lookup(struct svmgpu_file_vms *vms, u32 id);
void svmgpu_vm_put(struct svmgpu_vm *vm);

int svmgpu_ioctl_vm_create(struct drm_device *drm, void *data,
			   struct drm_file *file);
int svmgpu_ioctl_vm_destroy(struct drm_device *drm, void *data,
			    struct drm_file *file);
int svmgpu_ioctl_vm_bind(struct drm_device *drm, void *data,
			 struct drm_file *file);

int svmgpu_ioctl_vm_query(struct drm_device *drm, void *data,
			  struct drm_file *file);
void svmgpu_vm_debugfs_show(struct svmgpu_device *sdev, struct seq_file *m);

#endif /* SVMGPU_VM_H */
