// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_debugfs.c - debugfs files of an svmgpu device.
 */

/**
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
 * engines
 *	One line per engine: the state the driver derives (idle, running,
 *	stalled, hung, stopped), what the hardware's engine status registers
 *	say (status, slot, commands, TLB counters, faults) and the driver's
 *	resets of its queues.
 *
 * pgtable
 *	Page-table dump of a VA range of one VM. Writing
 *	"<client-id> <vm-id> <start> <size>" or "pid:<tgid> <vm-id> <start>
 *	<size>" selects the range; reading walks it (svmgpu_pgtable_dump()).
 *
 * faults
 *	The last SVMGPU_FAULT_LOG_SIZE GPU faults, oldest first.
 *
 * counters
 *	Device event counters (&enum svmgpu_counter), one "name value" a line.
 *
 * docs/debugfs.md describes every file's format.
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
#include <linux/math64.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>

#include "hw/svmgpu_fault.h"
#include "hw/svmgpu_hw.h"
#include "hw/svmgpu_pte.h"
#include "hw/svmgpu_regs.h"
#include "svmgpu_debugfs.h"
#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_queue.h"
#include "svmgpu_vm.h"

/* Table and leaf lines a read of "pgtable" prints at most. */
#define SVMGPU_PGTABLE_DUMP_LINES	2048

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

/* A 64-bit register pair of engine @n's status block. */
static u64 svmgpu_engine_read64(struct svmgpu_device *sdev, unsigned int n,
				u32 lo)
{
	u32 low, high;

	lockdep_assert_held(&sdev->engine_regs_lock);
	low = svmgpu_hw_read32(sdev->hw, SVMGPU_ENGINE_REG(n, lo));
	high = svmgpu_hw_read32(sdev->hw, SVMGPU_ENGINE_REG(n, lo + 4));
	return (u64)high << 32 | low;
}

static const char *svmgpu_engine_hw_status_name(u32 status)
{
	switch (status) {
	case SVMGPU_ENG_STATUS_IDLE:
		return "idle";
	case SVMGPU_ENG_STATUS_BUSY:
		return "busy";
	case SVMGPU_ENG_STATUS_WAITING:
		return "waiting";
	case SVMGPU_ENG_STATUS_STALLED:
		return "stalled";
	}
	return "unknown";
}

/*
 * How long a job may make no progress before its engine is reported hung:
 * a quarter of the job timeout (the scheduler resets the queue at the
 * full timeout), in nanoseconds.
 */
static u64 svmgpu_debugfs_hang_ns(void)
{
	return (u64)svmgpu_job_timeout_ms() * NSEC_PER_MSEC / 4;
}

/*
 * The engine's state as the driver sees it, strongest first: a slot
 * stopped on an error (stopped), a slot stalled on a fault (stalled), jobs
 * that made no progress for svmgpu_debugfs_hang_ns() (hung), work
 * (running).
 */
static const char *svmgpu_engine_state(const struct svmgpu_engine_load *load,
				       u32 hw_status, u64 no_progress_ns)
{
	if (load->stopped)
		return "stopped";
	if (hw_status == SVMGPU_ENG_STATUS_STALLED)
		return "stalled";
	if (load->jobs && no_progress_ns >= svmgpu_debugfs_hang_ns())
		return "hung";
	if (load->jobs || hw_status != SVMGPU_ENG_STATUS_IDLE)
		return "running";
	return "idle";
}

static int svmgpu_debugfs_engines_show(struct seq_file *m, void *unused)
{
	struct svmgpu_device *sdev = m->private;
	struct svmgpu_hw *hw = sdev->hw;
	unsigned int n;

	for (n = 0; n < sdev->caps.num_engines; n++) {
		u64 cmds, progress, hits, misses, invals, flushes, faults;
		struct svmgpu_engine_load load;
		u64 now, since, no_progress = 0;
		u32 status, slot;

		svmgpu_queues_engine_load(sdev, n, &load);
		status = svmgpu_hw_read32(hw, SVMGPU_ENGINE_REG(n, SVMGPU_ENG_STATUS));
		slot = svmgpu_hw_read32(hw, SVMGPU_ENGINE_REG(n, SVMGPU_ENG_SLOT));

		mutex_lock(&sdev->engine_regs_lock);
		cmds = svmgpu_engine_read64(sdev, n, SVMGPU_ENG_CMDS_LO);
		progress = svmgpu_engine_read64(sdev, n, SVMGPU_ENG_PROGRESS_LO);
		hits = svmgpu_engine_read64(sdev, n, SVMGPU_ENG_TLB_HITS_LO);
		misses = svmgpu_engine_read64(sdev, n, SVMGPU_ENG_TLB_MISSES_LO);
		invals = svmgpu_engine_read64(sdev, n, SVMGPU_ENG_TLB_INVALS_LO);
		flushes = svmgpu_engine_read64(sdev, n, SVMGPU_ENG_TLB_FLUSHES_LO);
		faults = svmgpu_engine_read64(sdev, n, SVMGPU_ENG_FAULTS_LO);
		mutex_unlock(&sdev->engine_regs_lock);

		/* The GPU clock is CLOCK_MONOTONIC, like the jobs' stamps. */
		now = ktime_get_ns();
		if (load.jobs) {
			since = max(progress, load.oldest_ns);
			no_progress = now > since ? now - since : 0;
		}

		seq_printf(m, "engine=%u state=%s hw=%s slot=", n,
			   svmgpu_engine_state(&load, status, no_progress),
			   svmgpu_engine_hw_status_name(status));
		if (slot == SVMGPU_ENG_SLOT_NONE)
			seq_puts(m, "-");
		else
			seq_printf(m, "%u", slot);
		seq_printf(m, " queues=%u jobs=%u no_progress_ms=%llu cmds=%llu tlb_hits=%llu tlb_misses=%llu tlb_invalidations=%llu tlb_flushes=%llu faults=%llu resets=%lld\n",
			   load.queues, load.jobs,
			   div_u64(no_progress, NSEC_PER_MSEC), cmds, hits,
			   misses, invals, flushes, faults,
			   atomic64_read(&sdev->engine_resets[n]));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(svmgpu_debugfs_engines);

static const char *const svmgpu_counter_names[SVMGPU_CNT_COUNT] = {
	[SVMGPU_CNT_JOBS_SUBMITTED] = "jobs_submitted",
	[SVMGPU_CNT_JOBS_COMPLETED] = "jobs_completed",
	[SVMGPU_CNT_JOBS_FAILED] = "jobs_failed",
	[SVMGPU_CNT_RESETS] = "resets",
	[SVMGPU_CNT_FAULTS] = "faults",
	[SVMGPU_CNT_BINDS] = "binds",
	[SVMGPU_CNT_UNBINDS] = "unbinds",
	[SVMGPU_CNT_MAPPED_4K] = "pages_mapped_4k",
	[SVMGPU_CNT_MAPPED_2M] = "pages_mapped_2m",
	[SVMGPU_CNT_MAPPED_1G] = "pages_mapped_1g",
	[SVMGPU_CNT_TLB_INVALIDATIONS] = "tlb_invalidations",
	[SVMGPU_CNT_INTERRUPTS] = "interrupts",
};

static int svmgpu_debugfs_counters_show(struct seq_file *m, void *unused)
{
	struct svmgpu_device *sdev = m->private;
	unsigned int i;

	for (i = 0; i < SVMGPU_CNT_COUNT; i++)
		seq_printf(m, "%s %lld\n", svmgpu_counter_names[i],
			   atomic64_read(&sdev->counters[i]));
	/* The hardware counts the records it had no room for. */
	seq_printf(m, "faults_dropped %u\n",
		   svmgpu_hw_read32(sdev->hw, SVMGPU_REG_FAULTQ_DROPPED));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(svmgpu_debugfs_counters);

static const char *svmgpu_access_name(u8 access)
{
	switch (access) {
	case SVMGPU_ACCESS_READ:
		return "read";
	case SVMGPU_ACCESS_WRITE:
		return "write";
	case SVMGPU_ACCESS_ATOMIC:
		return "atomic";
	}
	return "unknown";
}

static const char *svmgpu_fault_reason_name(u8 reason)
{
	switch (reason) {
	case SVMGPU_FAULT_NOT_PRESENT:
		return "not-present";
	case SVMGPU_FAULT_WRITE_PROTECT:
		return "write-protect";
	case SVMGPU_FAULT_BAD_PTE:
		return "bad-pte";
	case SVMGPU_FAULT_OUT_OF_RANGE:
		return "out-of-range";
	}
	return "unknown";
}

static int svmgpu_debugfs_faults_show(struct seq_file *m, void *unused)
{
	struct svmgpu_device *sdev = m->private;
	struct svmgpu_fault_log *log = &sdev->fault_log;
	u64 i, first;

	/* seq_printf() does not sleep; an overflow only makes seq_file retry. */
	spin_lock_irq(&log->lock);
	first = log->count > SVMGPU_FAULT_LOG_SIZE ?
		log->count - SVMGPU_FAULT_LOG_SIZE : 0;
	for (i = first; i < log->count; i++) {
		const struct svmgpu_fault_log_entry *e =
			&log->entries[i % SVMGPU_FAULT_LOG_SIZE];
		u32 rem_ns;
		u64 sec = div_u64_rem(e->time_ns, NSEC_PER_SEC, &rem_ns);

		seq_printf(m, "seqno=%llu time=%llu.%06u engine=%u slot=%u pid=%d vm=%u queue=%u va=%#llx access=%s reason=%s outcome=%s\n",
			   e->seqno, sec, rem_ns / 1000, e->engine, e->slot,
			   e->pid, e->vm_id, e->queue_id, e->va,
			   svmgpu_access_name(e->access),
			   svmgpu_fault_reason_name(e->reason),
			   e->outcome == SVMGPU_FAULT_STALLED ? "stalled" :
							       "aborted");
	}
	spin_unlock_irq(&log->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(svmgpu_debugfs_faults);

/*
 * The VM a selection names, with a reference: the VM @sel->vm_id of the
 * file with client id @sel->owner, or with @sel->by_pid of the oldest file
 * (lowest client id) of process @sel->owner that has one. Also returns the
 * file's client id. Return: the VM, or NULL.
 */
static struct svmgpu_vm *
svmgpu_debugfs_find_vm(struct svmgpu_device *sdev,
		       const struct svmgpu_pgtable_sel *sel, u64 *client_id)
{
	struct drm_device *drm = &sdev->drm;
	struct svmgpu_vm *vm = NULL;
	struct drm_file *file;

	mutex_lock(&drm->filelist_mutex);
	/* The list is youngest first: walk it oldest first. */
	list_for_each_entry_reverse(file, &drm->filelist, lhead) {
		struct svmgpu_file *sfile = file->driver_priv;

		if (sel->by_pid) {
			pid_t pid;

			rcu_read_lock();
			pid = pid_vnr(rcu_dereference(file->pid));
			rcu_read_unlock();
			if (pid != sel->owner)
				continue;
		} else if (file->client_id != sel->owner) {
			continue;
		}
		vm = svmgpu_vm_lookup(&sfile->vms, sel->vm_id);
		if (vm) {
			*client_id = file->client_id;
			break;
		}
	}
	mutex_unlock(&drm->filelist_mutex);
	return vm;
}

/* With nothing selected: the syntax, and every VM that can be named. */
static void svmgpu_debugfs_pgtable_usage(struct svmgpu_device *sdev,
					 struct seq_file *m)
{
	struct drm_device *drm = &sdev->drm;
	struct drm_file *file;

	seq_puts(m, "no range selected: write \"<client-id>|pid:<pid> <vm-id> <start> <size>\"\n");
	mutex_lock(&drm->filelist_mutex);
	list_for_each_entry_reverse(file, &drm->filelist, lhead) {
		struct svmgpu_file *sfile = file->driver_priv;
		struct svmgpu_vm *vm;
		unsigned long id;
		pid_t pid;

		rcu_read_lock();
		pid = pid_vnr(rcu_dereference(file->pid));
		rcu_read_unlock();
		xa_for_each(&sfile->vms.xa, id, vm)
			seq_printf(m, "client %llu pid %d vm %lu\n",
				   file->client_id, pid, id);
	}
	mutex_unlock(&drm->filelist_mutex);
}

static int svmgpu_debugfs_pgtable_show(struct seq_file *m, void *unused)
{
	struct svmgpu_device *sdev = m->private;
	struct svmgpu_pgtable_sel sel;
	struct svmgpu_vm *vm;
	u64 client_id = 0;
	int ret;

	mutex_lock(&sdev->debugfs_lock);
	sel = sdev->pgtable_sel;
	mutex_unlock(&sdev->debugfs_lock);

	if (!sel.valid) {
		svmgpu_debugfs_pgtable_usage(sdev, m);
		return 0;
	}

	vm = svmgpu_debugfs_find_vm(sdev, &sel, &client_id);
	if (!vm) {
		/* The VM went away since it was selected. */
		seq_printf(m, "selected vm %u of %s %llu is gone\n", sel.vm_id,
			   sel.by_pid ? "pid" : "client", sel.owner);
		svmgpu_debugfs_pgtable_usage(sdev, m);
		return 0;
	}

	ret = mutex_lock_interruptible(&vm->lock);
	if (!ret) {
		seq_printf(m, "client %llu pid %d vm %u root %#llx range %#014llx-%#014llx\n",
			   client_id, vm->pid, sel.vm_id,
			   svmgpu_pgtable_root_addr(&vm->pgt), sel.start,
			   sel.start + sel.size);
		svmgpu_pgtable_dump(&vm->pgt, m, sel.start, sel.start + sel.size,
				    SVMGPU_PGTABLE_DUMP_LINES);
		mutex_unlock(&vm->lock);
	}
	svmgpu_vm_put(vm);
	return ret;
}

static int svmgpu_debugfs_pgtable_open(struct inode *inode, struct file *file)
{
	return single_open(file, svmgpu_debugfs_pgtable_show, inode->i_private);
}

/* Parses "<client-id>|pid:<pid> <vm-id> <start> <size>" into @sel. */
static int svmgpu_pgtable_sel_parse(char *buf, struct svmgpu_pgtable_sel *sel)
{
	char *tok[4], *p = strim(buf);
	unsigned int n = 0;
	u64 end;
	int ret;

	while (p && *p) {
		char *t = strsep(&p, " \t");

		if (!*t)
			continue;
		if (n == ARRAY_SIZE(tok))
			return -EINVAL;
		tok[n++] = t;
	}
	if (n != ARRAY_SIZE(tok))
		return -EINVAL;

	memset(sel, 0, sizeof(*sel));
	if (str_has_prefix(tok[0], "pid:")) {
		u32 pid;

		ret = kstrtou32(tok[0] + 4, 10, &pid);
		if (ret || !pid || pid > PID_MAX_LIMIT)
			return -EINVAL;
		sel->by_pid = true;
		sel->owner = pid;
	} else {
		ret = kstrtou64(tok[0], 0, &sel->owner);
		if (ret || !sel->owner)
			return -EINVAL;
	}
	if (kstrtou32(tok[1], 0, &sel->vm_id) ||
	    kstrtou64(tok[2], 0, &sel->start) ||
	    kstrtou64(tok[3], 0, &sel->size))
		return -EINVAL;
	if (!sel->size || !IS_ALIGNED(sel->start | sel->size, SZ_4K) ||
	    check_add_overflow(sel->start, sel->size, &end) ||
	    end > BIT_ULL(SVMGPU_VA_BITS))
		return -EINVAL;
	sel->valid = true;
	return 0;
}

static ssize_t svmgpu_debugfs_pgtable_write(struct file *file,
					    const char __user *ubuf,
					    size_t len, loff_t *offp)
{
	struct seq_file *m = file->private_data;
	struct svmgpu_device *sdev = m->private;
	struct svmgpu_pgtable_sel sel;
	struct svmgpu_vm *vm;
	u64 client_id;
	char buf[128];
	int ret;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	ret = svmgpu_pgtable_sel_parse(buf, &sel);
	if (ret)
		return ret;

	vm = svmgpu_debugfs_find_vm(sdev, &sel, &client_id);
	if (!vm)
		return -ENOENT;
	svmgpu_vm_put(vm);

	mutex_lock(&sdev->debugfs_lock);
	sdev->pgtable_sel = sel;
	mutex_unlock(&sdev->debugfs_lock);
	return len;
}

static const struct file_operations svmgpu_debugfs_pgtable_fops = {
	.owner = THIS_MODULE,
	.open = svmgpu_debugfs_pgtable_open,
	.read = seq_read,
	.write = svmgpu_debugfs_pgtable_write,
	.llseek = seq_lseek,
	.release = single_release,
};

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
	debugfs_create_file("engines", 0444, minor->debugfs_root, sdev,
			    &svmgpu_debugfs_engines_fops);
	debugfs_create_file("pgtable", 0644, minor->debugfs_root, sdev,
			    &svmgpu_debugfs_pgtable_fops);
	debugfs_create_file("faults", 0444, minor->debugfs_root, sdev,
			    &svmgpu_debugfs_faults_fops);
	debugfs_create_file("counters", 0444, minor->debugfs_root, sdev,
			    &svmgpu_debugfs_counters_fops);
	debugfs_create_file("inject", 0644, minor->debugfs_root, sdev,
			    &svmgpu_debugfs_inject_fops);
}
