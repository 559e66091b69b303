// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_drv.c - module entry, platform devices and the DRM driver.
 */

/**
 * DOC: svmgpu driver
 *
 * svmgpu drives a virtual GPU with shared virtual memory. The GPU has no
 * bus of its own, so the module creates one platform device per GPU
 * ("svmgpu.0", "svmgpu.1", ...: the ``devices`` parameter) and binds a
 * platform driver to them; libdrm's drmGetDevices2() sees them as
 * DRM_BUS_PLATFORM devices. libdrm tells platform devices apart by the
 * OF_FULLNAME of their uevent and otherwise falls back to MODALIAS, which
 * all svmgpu devices share ("platform:svmgpu") and which would make it
 * merge them into one; so each device's uevent carries
 * OF_FULLNAME=/svmgpu@<index>. Each device registers a DRM device without
 * modesetting: userspace uses its render node. (The DRM core of 6.12 also
 * creates a primary node for every device; svmgpu offers nothing there
 * that the render node does not.)
 *
 * Ioctls are defined in include/uapi/drm/svmgpu_drm.h, each validated in
 * full before it has any effect.
 */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>

#include "svmgpu_drm.h"
#include "svmgpu_debugfs.h"
#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_exec.h"
#include "svmgpu_gem.h"
#include "svmgpu_svm_ioctl.h"
#include "svmgpu_user_fence.h"
#include "svmgpu_vm_bind.h"
#include "hw/svmgpu_hw.h"
#include "hw/svmgpu_regs.h"

#define SVMGPU_MAX_DEVICES	16

static unsigned int svmgpu_num_devices = 1;
module_param_named(devices, svmgpu_num_devices, uint, 0444);
MODULE_PARM_DESC(devices, "Number of virtual GPUs to create (1-16, default 1)");

static unsigned int svmgpu_num_engines = 2;
module_param_named(engines, svmgpu_num_engines, uint, 0444);
MODULE_PARM_DESC(engines, "Command engines per GPU (1-8, default 2)");

static unsigned int svmgpu_copy_channels = SVMGPU_HW_DEFAULT_CHANNELS;
module_param_named(copy_channels, svmgpu_copy_channels, uint, 0444);
MODULE_PARM_DESC(copy_channels,
		 "DMA channels per engine sharing long copies, the engine's own included (1-4, default 2; 1: no helper threads)");

static unsigned int svmgpu_job_timeout_param = 2000;
module_param_named(job_timeout_ms, svmgpu_job_timeout_param, uint, 0444);
MODULE_PARM_DESC(job_timeout_ms, "Time a job may run before its queue is reset and banned (default 2000)");

/**
 * svmgpu_job_timeout_ms() - the job timeout: how long a job may run before
 * its queue is reset and banned.
 *
 * The one place the driver reads it (module parameter ``job_timeout_ms``,
 * read-only at run time): the queues' schedulers time jobs out after it,
 * debugfs calls an engine hung after a quarter of it, and a userptr
 * invalidation waits at most twice as long for the jobs using its pages.
 *
 * Return: the timeout in milliseconds.
 */
unsigned int svmgpu_job_timeout_ms(void)
{
	return svmgpu_job_timeout_param;
}

/**
 * svmgpu_copy_array_elem() - copy one element of an ioctl's array.
 * @dst: where to, @ksize bytes.
 * @ksize: the kernel's size of an element.
 * @arr: the array: its stride is the caller's element size.
 * @i: which element.
 *
 * copy_struct_from_user() with the uAPI's rules: a shorter element reads
 * as zero-extended, a longer one must be zero beyond @ksize.
 *
 * Return: 0, -EFAULT, or -EINVAL (non-zero bytes beyond @ksize).
 */
int svmgpu_copy_array_elem(void *dst, size_t ksize,
			   const struct drm_svmgpu_obj_array *arr, u32 i)
{
	void __user *src = u64_to_user_ptr(arr->array + (u64)i * arr->stride);
	int ret = copy_struct_from_user(dst, ksize, src, arr->stride);

	return ret == -E2BIG ? -EINVAL : ret;
}

static int svmgpu_ioctl_get_param(struct drm_device *drm, void *data,
				  struct drm_file *file)
{
	struct svmgpu_device *sdev = to_svmgpu_device(drm);
	struct drm_svmgpu_get_param *args = data;

	if (args->pad)
		return -EINVAL;

	switch (args->param) {
	case DRM_SVMGPU_PARAM_HW_REVISION:
		args->value = sdev->caps.revision;
		break;
	case DRM_SVMGPU_PARAM_VA_BITS:
		args->value = sdev->caps.va_bits;
		break;
	case DRM_SVMGPU_PARAM_PAGE_SIZES:
		args->value = sdev->caps.page_sizes;
		break;
	case DRM_SVMGPU_PARAM_NUM_ENGINES:
		args->value = sdev->caps.num_engines;
		break;
	case DRM_SVMGPU_PARAM_DEVICE_INDEX:
		args->value = sdev->index;
		break;
	case DRM_SVMGPU_PARAM_FEATURES:
		args->value = DRM_SVMGPU_FEATURE_FAULT_MODE;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static const struct drm_ioctl_desc svmgpu_ioctls[] = {
	DRM_IOCTL_DEF_DRV(SVMGPU_GET_PARAM, svmgpu_ioctl_get_param,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_GEM_CREATE, svmgpu_ioctl_gem_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_GEM_MMAP_OFFSET, svmgpu_ioctl_gem_mmap_offset,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_VM_CREATE, svmgpu_ioctl_vm_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_VM_DESTROY, svmgpu_ioctl_vm_destroy,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_VM_BIND, svmgpu_ioctl_vm_bind,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_QUEUE_CREATE, svmgpu_ioctl_queue_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_QUEUE_DESTROY, svmgpu_ioctl_queue_destroy,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_QUEUE_GET_STATE, svmgpu_ioctl_queue_get_state,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_EXEC, svmgpu_ioctl_exec, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_WAIT_USER_FENCE, svmgpu_ioctl_wait_user_fence,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_VM_QUERY, svmgpu_ioctl_vm_query,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_VM_ATTR, svmgpu_ioctl_vm_attr,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMGPU_USER_FENCE_WAKE, svmgpu_ioctl_user_fence_wake,
			  DRM_RENDER_ALLOW),
};

static int svmgpu_open(struct drm_device *drm, struct drm_file *file)
{
	struct svmgpu_file *sfile;

	sfile = kzalloc(sizeof(*sfile), GFP_KERNEL);
	if (!sfile)
		return -ENOMEM;
	svmgpu_file_vms_init(&sfile->vms);
	svmgpu_file_queues_init(&sfile->queues);
	file->driver_priv = sfile;
	return 0;
}

static void svmgpu_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct svmgpu_file *sfile = file->driver_priv;

	/*
	 * Cancel the VMs' pending binds first: queued jobs may wait for
	 * them, and destroying a queue waits for its jobs. Then the queues:
	 * they hold references to VMs.
	 */
	svmgpu_file_vms_close(&sfile->vms);
	svmgpu_file_queues_fini(&sfile->queues);
	svmgpu_file_vms_fini(&sfile->vms);
	kfree(sfile);
}

/* The GEM defaults, plus fdinfo: drm-client-id names a file in debugfs. */
static const struct file_operations svmgpu_fops = {
	.owner = THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo = drm_show_fdinfo,
};

static const struct drm_driver svmgpu_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA | DRIVER_RENDER |
			   DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,
	.open = svmgpu_open,
	.postclose = svmgpu_postclose,
	.ioctls = svmgpu_ioctls,
	.num_ioctls = ARRAY_SIZE(svmgpu_ioctls),
	.fops = &svmgpu_fops,
	/*
	 * PRIME: the shmem helpers import, the GEM defaults export. No dumb
	 * buffers: they are for scanout, and svmgpu has no display.
	 */
	.gem_create_object = svmgpu_gem_create_object,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
	.debugfs_init = svmgpu_debugfs_init,
	.name = SVMGPU_DRIVER_NAME,
	.desc = SVMGPU_DRIVER_DESC,
	.major = SVMGPU_DRIVER_MAJOR,
	.minor = SVMGPU_DRIVER_MINOR,
	.patchlevel = SVMGPU_DRIVER_PATCHLEVEL,
};

static int svmgpu_probe(struct platform_device *pdev)
{
	struct svmgpu_device *sdev;
	int ret;

	/*
	 * The GPU is a DMA master behind no IOMMU that reaches all of memory:
	 * the bus addresses the DMA API gives it are physical addresses.
	 */
	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	sdev = devm_drm_dev_alloc(&pdev->dev, &svmgpu_drm_driver,
				  struct svmgpu_device, drm);
	if (IS_ERR(sdev))
		return PTR_ERR(sdev);

	sdev->index = pdev->id;
	platform_set_drvdata(pdev, sdev);

	ret = svmgpu_device_init(sdev, svmgpu_num_engines,
				 svmgpu_copy_channels);
	if (ret)
		return ret;

	ret = drm_dev_register(&sdev->drm, 0);
	if (ret)
		goto err_device_fini;

	return 0;

err_device_fini:
	svmgpu_device_fini(sdev);
	return ret;
}

static void svmgpu_remove(struct platform_device *pdev)
{
	struct svmgpu_device *sdev = platform_get_drvdata(pdev);

	drm_dev_unplug(&sdev->drm);
	svmgpu_device_fini(sdev);
}

static struct platform_driver svmgpu_platform_driver = {
	.probe = svmgpu_probe,
	.remove = svmgpu_remove,
	.driver = {
		.name = SVMGPU_DRIVER_NAME,
	},
};

static struct platform_device *svmgpu_pdevs[SVMGPU_MAX_DEVICES];

/* The name libdrm identifies the device by; see the DOC above. */
static int svmgpu_pdev_uevent(const struct device *dev,
			      struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "OF_FULLNAME=/svmgpu@%d",
			      to_platform_device(dev)->id);
}

static const struct device_type svmgpu_pdev_type = {
	.name = "svmgpu",
	.uevent = svmgpu_pdev_uevent,
};

static void svmgpu_destroy_devices(void)
{
	int i;

	for (i = SVMGPU_MAX_DEVICES - 1; i >= 0; i--) {
		platform_device_unregister(svmgpu_pdevs[i]);
		svmgpu_pdevs[i] = NULL;
	}
}

static int svmgpu_create_devices(void)
{
	struct platform_device *pdev;
	unsigned int i;
	int ret;

	for (i = 0; i < svmgpu_num_devices; i++) {
		pdev = platform_device_alloc(SVMGPU_DRIVER_NAME, i);
		if (!pdev) {
			svmgpu_destroy_devices();
			return -ENOMEM;
		}
		pdev->dev.type = &svmgpu_pdev_type;
		ret = platform_device_add(pdev);
		if (ret) {
			platform_device_put(pdev);
			svmgpu_destroy_devices();
			return ret;
		}
		svmgpu_pdevs[i] = pdev;
		/* A device that did not probe is a failed module load. */
		if (!platform_get_drvdata(pdev)) {
			svmgpu_destroy_devices();
			return -ENODEV;
		}
	}
	return 0;
}

static int __init svmgpu_init(void)
{
	int ret;

	/*
	 * A bad parameter is the user's mistake, not the kernel's: notice
	 * level, so test runs that probe it do not read as kernel errors.
	 */
	if (!svmgpu_num_devices || svmgpu_num_devices > SVMGPU_MAX_DEVICES) {
		pr_notice("svmgpu: devices=%u is out of range 1-%d\n",
			  svmgpu_num_devices, SVMGPU_MAX_DEVICES);
		return -EINVAL;
	}
	if (!svmgpu_num_engines || svmgpu_num_engines > SVMGPU_MAX_ENGINES) {
		pr_notice("svmgpu: engines=%u is out of range 1-%d\n",
			  svmgpu_num_engines, SVMGPU_MAX_ENGINES);
		return -EINVAL;
	}
	if (!svmgpu_copy_channels ||
	    svmgpu_copy_channels > SVMGPU_HW_MAX_CHANNELS) {
		pr_notice("svmgpu: copy_channels=%u is out of range 1-%d\n",
			  svmgpu_copy_channels, SVMGPU_HW_MAX_CHANNELS);
		return -EINVAL;
	}

	ret = platform_driver_register(&svmgpu_platform_driver);
	if (ret)
		return ret;

	ret = svmgpu_create_devices();
	if (ret)
		goto err_unregister_driver;

	return 0;

err_unregister_driver:
	platform_driver_unregister(&svmgpu_platform_driver);
	return ret;
}

static void __exit svmgpu_exit(void)
{
	svmgpu_destroy_devices();
	platform_driver_unregister(&svmgpu_platform_driver);
}

module_init(svmgpu_init);
module_exit(svmgpu_exit);

MODULE_AUTHOR("The svmgpu developers");
MODULE_DESCRIPTION("svmgpu: " SVMGPU_DRIVER_DESC);
MODULE_LICENSE("Dual MIT/GPL");
