// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_device.c - bring-up and tear-down of one svmgpu device.
 */

/**
 * DOC: Device bring-up
 *
 * svmgpu_device_init() builds the hardware instance, checks that it is an
 * svmgpu of a revision this driver speaks, and reads its capabilities.
 * Later subsystems (MMU, engines, VMs) initialise here in order and
 * svmgpu_device_fini() tears them down in exact reverse.
 */

#include <linux/err.h>

#include <drm/drm_print.h>

#include "hw/svmgpu_regs.h"
#include "hw/svmgpu_hw.h"
#include "svmgpu_device.h"
#include "svmgpu_fault.h"
#include "svmgpu_irq.h"
#include "svmgpu_queue.h"
#include "svmgpu_vm_bind.h"

/* The magic and revision say whether this driver can run the hardware. */
static int svmgpu_device_check_id(struct svmgpu_device *sdev)
{
	u32 id = svmgpu_hw_read32(sdev->hw, SVMGPU_REG_ID);
	u32 rev = svmgpu_hw_read32(sdev->hw, SVMGPU_REG_REVISION);

	if (id != SVMGPU_ID_MAGIC) {
		drm_err(&sdev->drm, "no svmgpu hardware (ID register %#x)\n", id);
		return -ENODEV;
	}
	if (SVMGPU_REVISION_MAJOR(rev) !=
	    SVMGPU_REVISION_MAJOR(SVMGPU_REVISION_CURRENT)) {
		drm_err(&sdev->drm, "unsupported hardware revision %u.%u\n",
			SVMGPU_REVISION_MAJOR(rev), SVMGPU_REVISION_MINOR(rev));
		return -ENODEV;
	}

	/* A register that does not hold what was written is a dead bus. */
	svmgpu_hw_write32(sdev->hw, SVMGPU_REG_SCRATCH, 0xa5a5f00d);
	if (svmgpu_hw_read32(sdev->hw, SVMGPU_REG_SCRATCH) != 0xa5a5f00d) {
		drm_err(&sdev->drm, "register access check failed\n");
		return -EIO;
	}

	sdev->caps.revision = rev;
	return 0;
}

static void svmgpu_device_read_caps(struct svmgpu_device *sdev)
{
	struct svmgpu_caps *caps = &sdev->caps;

	caps->va_bits = svmgpu_hw_read32(sdev->hw, SVMGPU_REG_MMU_VA_BITS);
	caps->page_sizes = svmgpu_hw_read32(sdev->hw, SVMGPU_REG_MMU_PAGE_SIZES);
	caps->num_engines = svmgpu_hw_read32(sdev->hw, SVMGPU_REG_ENGINE_COUNT);
	caps->num_queues = min_t(u32, SVMGPU_MAX_QUEUES,
				 svmgpu_hw_read32(sdev->hw, SVMGPU_REG_QUEUE_COUNT));
}

/**
 * svmgpu_device_init() - bring up one device.
 * @sdev: the device; @sdev->drm is initialised, @sdev->index is set.
 * @num_engines: engines to build the hardware with.
 * @num_channels: DMA channels of each engine (svmgpu_hw_config).
 *
 * Return: 0, or a negative errno with everything undone.
 */
int svmgpu_device_init(struct svmgpu_device *sdev, unsigned int num_engines,
		       unsigned int num_channels)
{
	const struct svmgpu_hw_config config = {
		.num_engines = num_engines,
		.num_channels = num_channels,
		.irq_handler = svmgpu_irq_handler,
		.irq_data = sdev,
	};
	int ret;

	mutex_init(&sdev->mmu_lock);
	mutex_init(&sdev->vms_lock);
	INIT_LIST_HEAD(&sdev->vms);
	mutex_init(&sdev->engine_regs_lock);
	mutex_init(&sdev->debugfs_lock);
	spin_lock_init(&sdev->fault_log.lock);

	sdev->hw = svmgpu_hw_create(sdev->drm.dev, &config);
	if (IS_ERR(sdev->hw)) {
		ret = PTR_ERR(sdev->hw);
		sdev->hw = NULL;
		goto err_destroy_locks;
	}

	ret = svmgpu_device_check_id(sdev);
	if (ret)
		goto err_destroy_hw;

	svmgpu_device_read_caps(sdev);

	ret = svmgpu_queues_init(sdev);
	if (ret)
		goto err_destroy_hw;
	ret = svmgpu_fault_init(sdev);
	if (ret)
		goto err_fini_queues;
	svmgpu_irq_enable(sdev);

	ret = svmgpu_vm_binds_init(sdev);
	if (ret)
		goto err_disable_irq;
	return 0;

err_disable_irq:
	svmgpu_irq_disable(sdev);
	svmgpu_fault_fini(sdev);
err_fini_queues:
	svmgpu_queues_fini(sdev);
err_destroy_hw:
	svmgpu_hw_destroy(sdev->hw);
	sdev->hw = NULL;
err_destroy_locks:
	mutex_destroy(&sdev->debugfs_lock);
	mutex_destroy(&sdev->engine_regs_lock);
	mutex_destroy(&sdev->vms_lock);
	mutex_destroy(&sdev->mmu_lock);
	return ret;
}

/**
 * svmgpu_device_fini() - tear down what svmgpu_device_init() built.
 * @sdev: the device.
 */
void svmgpu_device_fini(struct svmgpu_device *sdev)
{
	svmgpu_vm_binds_fini(sdev);
	svmgpu_irq_disable(sdev);
	svmgpu_fault_fini(sdev);
	svmgpu_queues_fini(sdev);
	svmgpu_hw_destroy(sdev->hw);
	sdev->hw = NULL;
	mutex_destroy(&sdev->debugfs_lock);
	mutex_destroy(&sdev->engine_regs_lock);
	mutex_destroy(&sdev->vms_lock);
	mutex_destroy(&sdev->mmu_lock);
}
