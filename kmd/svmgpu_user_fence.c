// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_user_fence.c - user fences: waiting for a value in process
 * memory (DRM_IOCTL_SVMGPU_WAIT_USER_FENCE) and waking the waiters.
 */

/**
 * DOC: User fences
 *
 * A user fence is a 64-bit value in the caller's memory that a job's
 * USER_FENCE command (or the CPU) writes; fault-mode jobs publish no
 * dma-fence, so this is how their completion is waited for.
 * svmgpu_ioctl_wait_user_fence() re-reads the value each time
 * &svmgpu_device.ufence_wq is woken (by every queue interrupt, a queue
 * stopping or being banned, and DRM_IOCTL_SVMGPU_USER_FENCE_WAKE) until
 * the comparison holds (0), the timeout passes (-ETIME), the queue it
 * names is banned (-EIO) or a signal arrives. The sleep is on an
 * hrtimer, so that timeouts shorter than a jiffy are honoured.
 */

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <drm/drm_file.h>

#include "svmgpu_drm.h"
#include "svmgpu_device.h"
#include "svmgpu_drv.h"
#include "svmgpu_queue.h"
#include "svmgpu_user_fence.h"

static bool svmgpu_ufence_holds(u64 cur, u64 value, u64 mask, u32 op)
{
	cur &= mask;
	value &= mask;
	switch (op) {
	case DRM_SVMGPU_UFENCE_EQ:
		return cur == value;
	case DRM_SVMGPU_UFENCE_NEQ:
		return cur != value;
	case DRM_SVMGPU_UFENCE_GT:
		return cur > value;
	case DRM_SVMGPU_UFENCE_GTE:
		return cur >= value;
	case DRM_SVMGPU_UFENCE_LT:
		return cur < value;
	default:
		return cur <= value;
	}
}

/*
 * wait_woken() with an hrtimer: sleeps until woken through @wait, a
 * signal, or the absolute CLOCK_MONOTONIC time *@deadline (none if NULL),
 * so that timeouts shorter than a jiffy are honoured.
 */
static void svmgpu_ufence_sleep(struct wait_queue_entry *wait,
				ktime_t *deadline)
{
	set_current_state(TASK_INTERRUPTIBLE);
	if (!(wait->flags & WQ_FLAG_WOKEN))
		schedule_hrtimeout_range(deadline, current->timer_slack_ns,
					 HRTIMER_MODE_ABS);
	__set_current_state(TASK_RUNNING);
	/* Pairs with the barrier of woken_wake_function(). */
	smp_store_mb(wait->flags, wait->flags & ~WQ_FLAG_WOKEN);
}

int svmgpu_ioctl_wait_user_fence(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct svmgpu_device *sdev = to_svmgpu_device(drm);
	struct svmgpu_file *sfile = file->driver_priv;
	struct drm_svmgpu_wait_user_fence *args = data;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	u64 __user *uaddr = u64_to_user_ptr(args->addr);
	struct svmgpu_queue *queue = NULL;
	bool forever = args->timeout_ns < 0;
	bool waited = false;
	ktime_t deadline = 0;
	int ret;

	if (args->flags || args->pad || args->extensions ||
	    !IS_ALIGNED(args->addr, 8) || args->op > DRM_SVMGPU_UFENCE_LTE)
		return -EINVAL;
	if (args->queue_id) {
		queue = svmgpu_queue_lookup(&sfile->queues, args->queue_id);
		if (!queue)
			return -ENOENT;
	}

	if (!forever)
		deadline = ktime_add_safe(ktime_get(),
					  ns_to_ktime(args->timeout_ns));

	add_wait_queue(&sdev->ufence_wq, &wait);
	for (;;) {
		u64 cur;
		bool banned = false;

		if (get_user(cur, uaddr)) {
			ret = -EFAULT;
			break;
		}
		if (svmgpu_ufence_holds(cur, args->value, args->mask, args->op)) {
			ret = 0;
			break;
		}
		if (queue) {
			spin_lock_irq(&queue->state_lock);
			banned = queue->banned;
			spin_unlock_irq(&queue->state_lock);
		}
		if (banned) {
			ret = -EIO;
			break;
		}
		if (!forever && ktime_compare(ktime_get(), deadline) >= 0) {
			ret = -ETIME;
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		svmgpu_ufence_sleep(&wait, forever ? NULL : &deadline);
		waited = true;
	}
	remove_wait_queue(&sdev->ufence_wq, &wait);

	/*
	 * What is left of the timeout: only if the call waited (a call that
	 * returns at its first check used nothing up and leaves @timeout_ns
	 * as it was), and 0 when it passed.
	 */
	if (ret == -ETIME)
		args->timeout_ns = 0;
	else if (!forever && waited)
		args->timeout_ns = max_t(s64, 0, ktime_to_ns(ktime_sub(deadline,
								       ktime_get())));
	if (queue)
		svmgpu_queue_put(queue);
	return ret;
}

int svmgpu_ioctl_user_fence_wake(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct svmgpu_device *sdev = to_svmgpu_device(drm);
	struct drm_svmgpu_user_fence_wake *args = data;

	if (args->flags || args->pad)
		return -EINVAL;
	/* Waiters re-read their value; spurious wake-ups are harmless. */
	wake_up_all(&sdev->ufence_wq);
	return 0;
}
