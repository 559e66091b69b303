// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_debugfs.c - debugfs files of an svmgpu device.
 *
 * DOC: debugfs
 *
 * Each device has a directory /sys/kernel/debug/dri/<unique>/ (the DRM core
 * links every minor number of the device, e.g. dri/128, to it) with:
 *
 * info
 *	The capabilities read from the hardware, one ``name: value`` a line.
 *
 * vms
 *	Every VM of the device: its id and creating process, page-table
 *	statistics, and its mappings (see svmgpu_vm_debugfs_show()).
 *
 * queues
 *	Every hardware queue slot in use: engine, VM, hardware status,
 *	completed/submitted seqno, ban state, resets, error and last fault
 *	(see svmgpu_queues_debugfs_show()).
 *
 * inject
 *	Fault injection for testing the test harness and the driver's error
 *	paths. Reading lists the injection points; writing one name triggers
 *	it:
 *
 *	warn
 *		Emit a kernel WARNING (taints the kernel). The harness
 *		self-test uses it to prove that a kernel warning fails a run.
 *
 *	Unknown names are rejected with -EINVAL.
 */

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>

#include "hw/svmgpu_regs.h"
#include "svmgpu_debugfs.h"
#include "svmgpu_device.h"
#include "svmgpu_queue.h"
#include "svmgpu_vm.h"

static int svmgpu_debugfs_info_show(struct seq_file *m, void *unused)
{
	struct svmgpu_device *sdev = m->private;
	const struct svmgpu_caps *caps = &sdev->caps;

	seq_printf(m, "index: %u\n", sdev->index);
	seq_printf(m, "revision: %u.%u\n", SVMGPU_REVISION_MAJOR(caps->revision),
		   SVMGPU_REVISION_MINOR(caps->revision));
	seq_printf(m, "va_bits: %u\n", caps->va_bits);
	seq_printf(m, "page_sizes: %#llx\n", caps->page_sizes);
	seq_printf(m, "engines: %u\n", caps->num_engines);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(svmgpu_debugfs_info);

static int svmgpu_debugfs_vms_show(struct seq_file *m, void *unused)
{
	svmgpu_vm_debugfs_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(svmgpu_debugfs_vms);

static int svmgpu_debugfs_queues_show(struct seq_file *m, void *unused)
{
	svmgpu_queues_debugfs_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(svmgpu_debugfs_queues);

static const char *const svmgpu_injection_names[] = {
	"warn",
};

static int svmgpu_debugfs_inject_show(struct seq_file *m, void *unused)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(svmgpu_injection_names); i++)
		seq_printf(m, "%s\n", svmgpu_injection_names[i]);
	return 0;
}

static int svmgpu_debugfs_inject_open(struct inode *inode, struct file *file)
{
	return single_open(file, svmgpu_debugfs_inject_show, inode->i_private);
}

static ssize_t svmgpu_debugfs_inject_write(struct file *file,
					   const char __user *ubuf,
					   size_t len, loff_t *offp)
{
	struct seq_file *m = file->private_data;
	struct svmgpu_device *sdev = m->private;
	char buf[16];
	int idx;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	idx = sysfs_match_string(svmgpu_injection_names, buf);
	if (idx < 0)
		return -EINVAL;

	switch (idx) {
	case 0:
		WARN(1, "svmgpu %s: warning injected through debugfs\n",
		     dev_name(sdev->drm.dev));
		break;
	}
	return len;
}

static const struct file_operations svmgpu_debugfs_inject_fops = {
	.owner = THIS_MODULE,
	.open = svmgpu_debugfs_inject_open,
	.read = seq_read,
	.write = svmgpu_debugfs_inject_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * svmgpu_debugfs_init() - create the device's debugfs files.
 * @minor: the minor the DRM core asks for; the files go in the device's
 *         directory, shared by all its minors.
 */
void svmgpu_debugfs_init(struct drm_minor *minor)
{
	struct svmgpu_device *sdev = to_svmgpu_device(minor->dev);

	debugfs_create_file("info", 0444, minor->debugfs_root, sdev,
			    &svmgpu_debugfs_info_fops);
	debugfs_create_file("vms", 0444, minor->debugfs_root, sdev,
			    &svmgpu_debugfs_vms_fops);
	debugfs_create_file("queues", 0444, minor->debugfs_root, sdev,
			    &svmgpu_debugfs_queues_fops);
	debugfs_create_file("inject", 0644, minor->debugfs_root, sdev,
			    &svmgpu_debugfs_inject_fops);
}
