/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_device.h - the per-device state of the svmgpu driver.
 */
#ifndef SVMGPU_DEVICE_H
#define SVMGPU_DEVICE_H

#include <linux/list.h>
#include <linux/mutex.h>

#include <drm/drm_device.h>

struct svmgpu_hw;

/**
 * struct svmgpu_caps - capabilities read from the hardware at probe.
 * @revision: REVISION register.
 * @va_bits: width of a GPU virtual address.
 * @page_sizes: MMU page sizes, bit n set for 2^n bytes.
 * @num_engines: command engines.
 *
 * Read once in svmgpu_device_init() and constant afterwards, so readers
 * need no lock.
 */
struct svmgpu_caps {
	u32 revision;
	u32 va_bits;
	u64 page_sizes;
	u32 num_engines;
};

/**
 * struct svmgpu_device - one svmgpu GPU.
 * @drm: the DRM device; first member so the container cast is free.
 * @hw: the hardware instance, only reached through its register interface.
 * @index: position among the svmgpu devices of the system.
 * @caps: capabilities of @hw.
 * @mmu_lock: serialises MMU commands: the MMU_INVAL_* registers are
 *            programmed and the command issued as one sequence.
 * @vms_lock: protects @vms.
 * @vms: every VM of the device (&svmgpu_vm.link), for debugfs.
 */
struct svmgpu_device {
	struct drm_device drm;
	struct svmgpu_hw *hw;
	unsigned int index;
	struct svmgpu_caps caps;
	struct mutex mmu_lock; /* MMU command sequences */
	struct mutex vms_lock; /* @vms */
	struct list_head vms;
};

static inline struct svmgpu_device *to_svmgpu_device(struct drm_device *drm)
{
	return container_of(drm, struct svmgpu_device, drm);
}

int svmgpu_device_init(struct svmgpu_device *sdev, unsigned int num_engines);
void svmgpu_device_fini(struct svmgpu_device *sdev);

#endif /* SVMGPU_DEVICE_H */
