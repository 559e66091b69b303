/* SPDX-License-Identifier: MIT */
/*
 * sync_syncobj_submit.c - submission on the syncobj backend of the sync
 * layer (sync.h, payloads in sync_syncobj.c): vkQueueSubmit2 and
 * vkQueueWaitIdle for queues of devices without systemAllocatedMemory,
 * and the per-queue submit thread for wait-before-signal.
 *
 * A command buffer is a list of batches (cmd_buffer.c); each batch is one
 * job. Jobs of one queue run in submission order on the engine, so a
 * submission's waits go on its first job and its signals on its last.
 * Every call's last job also signals the queue's own syncobj, which is
 * what vkQueueWaitIdle waits for. A submission without command buffers
 * still needs a job to carry its waits and signals: the queue's batch of
 * one END (queue.c).
 *
 * Wait-before-signal (spec 7.4.2 "Semaphore Waiting"): a timeline wait
 * may be submitted before the signal operation it waits for, which the
 * application may submit later from the same thread. The kernel needs
 * every wait's fence when a job is queued, so a submission whose waits
 * are not all materialised (a point or binary payload without a fence)
 * is not submitted: it goes on the queue's deferred list and the call
 * returns. The queue's submit thread (started the first time it is
 * needed, as Mesa's vk_queue does in its "threaded on demand" mode)
 * takes the list in order: it sleeps in the kernel until the head's
 * waits have fences (DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE: woken by any
 * signal operation reaching the kernel, from this device, another device
 * or another process, and by vkDestroyDevice through @thread_wake), then
 * submits it. While the list is non-empty, every later submission of the
 * queue joins it, so order is kept. Failures on the thread make the
 * device lost; the next call reports VK_ERROR_DEVICE_LOST. A device lost
 * anywhere wakes the threads, which signal what their deferred
 * submissions would have, so host waits for them end at once. A binary
 * wait whose signal is itself deferred waits on that signal's own
 * pending-signal syncobj, never on a later re-signal.
 *
 * A vkQueueSubmit call is built whole before any of it is submitted; if
 * it fails before anything was accepted, the temporary payloads its
 * waits took are given back (spec "Queue Submission").
 */
#include <signal.h>
#include <time.h>

#include "svk_private.h"

static void thread_stop(struct svk_queue *queue);

VkResult
svk_syncobj_queue_init(struct svk_queue *queue)
{
	return svk_ws_syncobj_create(queue->device->ws, true, &queue->last);
}

void
svk_syncobj_queue_finish(struct svk_queue *queue)
{
	struct svk_device *dev = queue->device;

	thread_stop(queue);
	/* Spec: vkDestroyDevice requires all submitted work to be complete;
	 * wait anyway so the batch BOs are not unmapped under a job. */
	svk_ws_syncobj_wait(dev->ws, &queue->last, NULL, 1, UINT64_MAX, true);
	svk_ws_syncobj_destroy(dev->ws, queue->last);
}

/*
 * One submission (a VkSubmitInfo2, or the call's fence alone), whichever
 * of the two vkQueueSubmit forms it came from: submitted at once, or kept
 * on the queue's deferred list until its waits are materialised.
 */
struct svk_submit {
	struct svk_submit *next;	/* on the deferred list */
	struct svmgpu_sync waits[DRM_SVMGPU_EXEC_MAX_SYNCS];
	struct svk_semaphore *wait_sems[DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint32_t num_waits;
	struct svmgpu_sync signals[DRM_SVMGPU_EXEC_MAX_SYNCS];
	/* the semaphore of each of signals[0..num_sem_signals) */
	struct svk_semaphore *signal_sems[DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint32_t num_signals;
	/* signals[0..num_sem_signals) are semaphores', then the queue's and
	 * the fence's */
	uint32_t num_sem_signals;
	/* binary semaphore signals: each costs a second signal when the
	 * submission is deferred (its pending-signal syncobj) */
	uint32_t num_binary_signals;
	/*
	 * Temporary payloads of waited semaphores (spec "Importing
	 * Semaphore Payloads": a wait consumes them). Taken from their
	 * semaphores as the call is built, so that what follows in the same
	 * call sees the permanent payload, and given back if the call fails
	 * before any of its submissions was accepted
	 * (submit_restore_temporaries()): a failed vkQueueSubmit leaves them
	 * as they were. Destroyed with the submission once it is submitted.
	 */
	struct {
		struct svk_semaphore *sem;
		uint32_t syncobj;
	} temporaries[DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint32_t num_temporaries;
	/* other syncobjs the submission owns, destroyed with it: when
	 * deferred, copies of waited binary payloads, handles of the
	 * pending-signal syncobjs its binary waits and signals use */
	uint32_t owned[2 * DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint32_t num_owned;
	uint32_t num_jobs;	/* kernel jobs: batches, or the empty one */
	uint32_t cmd_count;
	struct svk_cmd_buffer *cmds[];
};

static void
submit_free(struct svk_device *dev, struct svk_submit *s)
{
	uint32_t i;

	for (i = 0; i < s->num_temporaries; i++)
		svk_ws_syncobj_destroy(dev->ws, s->temporaries[i].syncobj);
	for (i = 0; i < s->num_owned; i++)
		svk_ws_syncobj_destroy(dev->ws, s->owned[i]);
	svk_free(&dev->alloc, s);
}

/* Give the temporary payloads @s took back to their semaphores (latest
 * first): the call that built @s failed before submitting anything. */
static void
submit_restore_temporaries(struct svk_submit *s)
{
	while (s->num_temporaries) {
		s->num_temporaries--;
		s->temporaries[s->num_temporaries].sem->sync.temporary =
			s->temporaries[s->num_temporaries].syncobj;
	}
}

/* Is wait @i of @s on a temporary payload (owned by @s, no copy needed)? */
static bool
wait_is_temporary(const struct svk_submit *s, uint32_t i)
{
	uint32_t j;

	for (j = 0; j < s->num_temporaries; j++)
		if (s->temporaries[j].syncobj == s->waits[i].handle)
			return true;
	return false;
}

static VkResult
add_wait(struct svk_submit *s, VkSemaphore _sem, uint64_t value)
{
	SVK_FROM_HANDLE(svk_semaphore, sem, _sem);

	if (sem->sync.kind == SVK_SYNC_TIMELINE) {
		if (value == 0)
			return VK_SUCCESS;	/* always reached */
	} else {
		value = 0;
	}
	if (s->num_waits == SVK_ARRAY_SIZE(s->waits))
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	s->wait_sems[s->num_waits] = sem;
	s->waits[s->num_waits++] =
		(struct svmgpu_sync){ svk_syncobj_current(&sem->sync), value };
	if (sem->sync.temporary) {
		/* the wait consumes the temporary payload, the permanent
		 * one is back (given back if the call fails) */
		s->temporaries[s->num_temporaries].sem = sem;
		s->temporaries[s->num_temporaries++].syncobj = sem->sync.temporary;
		sem->sync.temporary = 0;
	}
	return VK_SUCCESS;
}

static VkResult
add_signal(struct svk_submit *s, uint32_t syncobj, uint64_t point)
{
	if (s->num_signals == SVK_ARRAY_SIZE(s->signals))
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	s->signals[s->num_signals++] = (struct svmgpu_sync){ syncobj, point };
	return VK_SUCCESS;
}

static VkResult
add_signal_sem(struct svk_submit *s, VkSemaphore _sem, uint64_t value)
{
	SVK_FROM_HANDLE(svk_semaphore, sem, _sem);
	bool timeline = sem->sync.kind == SVK_SYNC_TIMELINE;

	if (s->num_signals == SVK_ARRAY_SIZE(s->signals))
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	s->signal_sems[s->num_signals] = sem;
	if (!timeline)
		s->num_binary_signals++;
	return add_signal(s, svk_syncobj_current(&sem->sync), timeline ? value : 0);
}

static VkResult
count_batch(void *data, uint64_t addr, uint64_t size)
{
	(void)addr;
	(void)size;
	(*(uint32_t *)data)++;
	return VK_SUCCESS;
}

/*
 * The kernel takes at most DRM_SVMGPU_EXEC_MAX_SYNCS syncs per job: the
 * waits go on the first job, the signals on the last (one job: both),
 * and a deferred binary signal adds its pending-signal syncobj. More is
 * VK_ERROR_OUT_OF_HOST_MEMORY, found before anything is submitted.
 */
static VkResult
submit_check_syncs(const struct svk_submit *s)
{
	uint32_t signals = s->num_signals + s->num_binary_signals;

	if (signals > DRM_SVMGPU_EXEC_MAX_SYNCS ||
	    (s->num_jobs <= 1 &&
	     s->num_waits + signals > DRM_SVMGPU_EXEC_MAX_SYNCS))
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	return VK_SUCCESS;
}

/*
 * Build the submission of @si (NULL: a call without VkSubmitInfo2), with
 * the queue's own signal and @fence when it is the call's @last. *@out
 * is NULL for a submission with nothing to do. On failure, the temporary
 * payloads it took are back in their semaphores.
 */
static VkResult
submit_build(struct svk_queue *queue, const VkSubmitInfo2 *si, bool last,
	     struct svk_fence *fence, struct svk_submit **out)
{
	struct svk_device *dev = queue->device;
	uint32_t n = si ? si->commandBufferInfoCount : 0;
	struct svk_submit *s;
	VkResult r = VK_SUCCESS;
	uint32_t j;

	*out = NULL;
	s = svk_alloc(&dev->alloc, sizeof(*s) + n * sizeof(s->cmds[0]),
		      VK_SYSTEM_ALLOCATION_SCOPE_COMMAND);
	if (!s)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	memset(s, 0, sizeof(*s));
	s->cmd_count = n;
	for (j = 0; j < n; j++) {
		s->cmds[j] = svk_cmd_buffer_from_handle(
			si->pCommandBufferInfos[j].commandBuffer);
		svk_cmd_for_each_batch(s->cmds[j], count_batch, &s->num_jobs);
	}
	if (si) {
		for (j = 0; j < si->waitSemaphoreInfoCount && r == VK_SUCCESS; j++)
			r = add_wait(s, si->pWaitSemaphoreInfos[j].semaphore,
				     si->pWaitSemaphoreInfos[j].value);
		for (j = 0; j < si->signalSemaphoreInfoCount && r == VK_SUCCESS; j++)
			r = add_signal_sem(s, si->pSignalSemaphoreInfos[j].semaphore,
					   si->pSignalSemaphoreInfos[j].value);
	}
	s->num_sem_signals = s->num_signals;
	if (last && r == VK_SUCCESS)
		r = add_signal(s, queue->last, 0);
	if (last && fence && r == VK_SUCCESS)
		r = add_signal(s, svk_syncobj_current(&fence->sync), 0);
	if (r == VK_SUCCESS)
		r = submit_check_syncs(s);
	if (r != VK_SUCCESS || (!n && !s->num_waits && !s->num_signals)) {
		/* without command buffers, a submission with nothing to
		 * wait for or signal needs no job */
		if (r != VK_SUCCESS)
			submit_restore_temporaries(s);
		submit_free(dev, s);
		return r;
	}
	*out = s;
	return VK_SUCCESS;
}

struct job_walk {
	struct svk_queue *queue;
	struct svk_submit *s;
	uint32_t queued;	/* jobs the kernel accepted */
	const struct svmgpu_sync *waits;
	uint32_t num_waits;
};

static VkResult
exec_batch(void *data, uint64_t addr, uint64_t size)
{
	struct job_walk *w = data;
	bool last = w->queued + 1 == w->s->num_jobs;
	VkResult r;

	r = svk_ws_exec(w->queue->ws, addr, size, w->waits, w->num_waits,
			last ? w->s->signals : NULL, last ? w->s->num_signals : 0);
	if (r != VK_SUCCESS)
		return r;
	w->queued++;
	w->waits = NULL;
	w->num_waits = 0;
	return VK_SUCCESS;
}

/*
 * Queue the jobs of one submission: its command buffers' batches in
 * order, or the empty batch. Its waits must be materialised. On failure,
 * *@partly says whether some of its jobs were queued all the same.
 */
static VkResult
submit_jobs(struct svk_queue *queue, struct svk_submit *s, bool *partly)
{
	struct job_walk w = {
		.queue = queue, .s = s,
		.waits = s->waits, .num_waits = s->num_waits,
	};
	uint32_t i;
	VkResult r = VK_SUCCESS;

	if (!s->num_jobs)
		r = svk_ws_exec(queue->ws, queue->empty_va, 8, s->waits,
				s->num_waits, s->signals, s->num_signals);
	for (i = 0; i < s->cmd_count && r == VK_SUCCESS; i++)
		r = svk_cmd_for_each_batch(s->cmds[i], exec_batch, &w);
	*partly = r != VK_SUCCESS && w.queued;
	return r;
}

/* VK_SUCCESS if every wait of @s has its fence now, VK_TIMEOUT if not. */
static VkResult
submit_ready(struct svk_device *dev, const struct svk_submit *s)
{
	uint32_t handles[DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint64_t points[DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint32_t i;

	if (!s->num_waits)
		return VK_SUCCESS;
	for (i = 0; i < s->num_waits; i++) {
		handles[i] = s->waits[i].handle;
		points[i] = s->waits[i].point;
	}
	return svk_ws_syncobj_wait_submitted(dev->ws, handles, points,
					     s->num_waits, 0, true);
}

/*
 * The submit thread's wait for the waits of @s: sleeps in the kernel on
 * the points that have no fence yet and on @thread_wake. VK_SUCCESS once
 * all have one, VK_INCOMPLETE if the thread must stop,
 * VK_ERROR_DEVICE_LOST once the device is lost (svk_device_set_lost()
 * signals @thread_wake, wherever the loss was found), else an error.
 */
static VkResult
thread_wait_ready(struct svk_queue *queue, const struct svk_submit *s)
{
	struct svk_device *dev = queue->device;
	uint32_t handles[DRM_SVMGPU_EXEC_MAX_SYNCS + 1];
	uint64_t points[DRM_SVMGPU_EXEC_MAX_SYNCS + 1];
	uint32_t i, n;
	bool stop;
	VkResult r;

	for (;;) {
		pthread_mutex_lock(&queue->lock);
		stop = queue->thread_stop;
		pthread_mutex_unlock(&queue->lock);
		if (stop)
			return VK_INCOMPLETE;
		if (svk_device_is_lost(dev))
			return VK_ERROR_DEVICE_LOST;
		/* "any" below returns as soon as one has a fence: pass only
		 * those without */
		for (i = 0, n = 0; i < s->num_waits; i++) {
			r = svk_ws_syncobj_wait_submitted(dev->ws,
							  &s->waits[i].handle,
							  &s->waits[i].point,
							  1, 0, true);
			if (r == VK_TIMEOUT) {
				handles[n] = s->waits[i].handle;
				points[n++] = s->waits[i].point;
			} else if (r != VK_SUCCESS) {
				return r;
			}
		}
		if (!n)
			return VK_SUCCESS;
		handles[n] = queue->thread_wake;
		points[n++] = 0;
		r = svk_ws_syncobj_wait_submitted(dev->ws, handles, points, n,
						  UINT64_MAX, false);
		if (r != VK_SUCCESS)
			return r;
	}
}

/*
 * The device is lost (found by the thread or anywhere else): signal what
 * the abandoned submissions would have signalled, so that no host wait
 * for them (vkWaitForFences, vkWaitSemaphores, a SYNC_FD export waiting
 * for a pending signal) blocks until its timeout or for ever (spec 5.2.3
 * "Lost Device": waits return in finite time), and drop them. The
 * waiters see svk_device.lost and report VK_ERROR_DEVICE_LOST. Called
 * with @lock held.
 */
static void
abandon_deferred(struct svk_queue *queue)
{
	struct svk_device *dev = queue->device;
	struct svk_submit *s;
	uint32_t i;

	while ((s = queue->deferred)) {
		queue->deferred = s->next;
		for (i = 0; i < s->num_signals; i++)
			svk_ws_syncobj_signal(dev->ws, s->signals[i].handle,
					      s->signals[i].point);
		submit_free(dev, s);
	}
	queue->deferred_tail = &queue->deferred;
	pthread_cond_broadcast(&queue->cond);
}

static void *
submit_thread(void *data)
{
	struct svk_queue *queue = data;
	struct svk_device *dev = queue->device;

	pthread_mutex_lock(&queue->lock);
	while (!queue->thread_stop) {
		struct svk_submit *s = queue->deferred;
		VkResult r;

		if (!s) {
			pthread_cond_wait(&queue->cond, &queue->lock);
			continue;
		}
		/* @s stays at the head while it is waited for and submitted:
		 * vkQueueSubmit keeps deferring behind it */
		pthread_mutex_unlock(&queue->lock);
		r = thread_wait_ready(queue, s);
		if (r != VK_SUCCESS && r != VK_INCOMPLETE) {
			svk_device_set_lost(dev, "waiting for the semaphores of a "
					    "deferred submission failed");
		} else if (r == VK_SUCCESS && !svk_device_is_lost(dev)) {
			bool partly;

			r = submit_jobs(queue, s, &partly);
			if (r != VK_SUCCESS)
				svk_device_set_lost(dev, svk_ws_queue_lost(queue->ws) ?
						    "queue banned" :
						    "submitting a deferred submission failed");
		}
		pthread_mutex_lock(&queue->lock);
		if (r == VK_INCOMPLETE)
			continue;	/* stopping */
		if (r != VK_SUCCESS || svk_device_is_lost(dev)) {
			abandon_deferred(queue);
			continue;
		}
		queue->deferred = s->next;
		if (!s->next)
			queue->deferred_tail = &queue->deferred;
		submit_free(dev, s);
		pthread_cond_broadcast(&queue->cond);
	}
	pthread_mutex_unlock(&queue->lock);
	return NULL;
}

/* Start the submit thread (@lock held). */
static VkResult
thread_start(struct svk_queue *queue)
{
	struct svk_device *dev = queue->device;
	sigset_t all, old;
	VkResult r;
	int err;

	if (queue->thread_started)
		return VK_SUCCESS;
	if (!queue->thread_wake) {
		r = svk_ws_syncobj_create(dev->ws, false, &queue->thread_wake);
		if (r != VK_SUCCESS)
			return r;
	}
	/* the application's signal handlers never run on our thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&queue->thread, NULL, submit_thread, queue);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	queue->thread_started = true;
	return VK_SUCCESS;
}

/* Stop the submit thread and drop what it did not submit: at
 * vkDestroyDevice the application has waited for all its work
 * (VUID-vkDestroyDevice-device-05137), so anything left waits for a
 * signal that will never come. */
static void
thread_stop(struct svk_queue *queue)
{
	struct svk_device *dev = queue->device;
	struct svk_submit *s;

	if (queue->thread_started) {
		pthread_mutex_lock(&queue->lock);
		queue->thread_stop = true;
		pthread_cond_broadcast(&queue->cond);
		pthread_mutex_unlock(&queue->lock);
		svk_ws_syncobj_signal(dev->ws, queue->thread_wake, 0);
		pthread_join(queue->thread, NULL);
		queue->thread_started = false;
	}
	while ((s = queue->deferred)) {
		queue->deferred = s->next;
		submit_free(dev, s);
	}
	queue->deferred_tail = &queue->deferred;
	if (queue->thread_wake)
		svk_ws_syncobj_destroy(dev->ws, queue->thread_wake);
	queue->thread_wake = 0;
}

/*
 * Binary wait @i of @s, deferred: on a copy of the semaphore's current
 * fence (a later re-signal must not satisfy it). Without a fence, its
 * signal is itself deferred: the wait is then on that signal's
 * pending-signal syncobj (submit_defer()), which nothing else signals.
 * A semaphore with neither is signalled from outside this device (an
 * OPAQUE_FD payload shared with another one): the wait stays on its
 * payload.
 */
static VkResult
defer_binary_wait(struct svk_device *dev, struct svk_submit *s, uint32_t i)
{
	struct svk_semaphore *sem = s->wait_sems[i];
	uint32_t copy, pending;
	VkResult r;

	r = svk_ws_syncobj_create(dev->ws, false, &copy);
	if (r != VK_SUCCESS)
		return r;
	r = svk_ws_syncobj_copy_fence(dev->ws, copy, s->waits[i].handle);
	if (r == VK_SUCCESS) {
		s->waits[i].handle = copy;
		s->owned[s->num_owned++] = copy;
		return VK_SUCCESS;
	}
	svk_ws_syncobj_destroy(dev->ws, copy);
	if (r != VK_NOT_READY)
		return r;
	pthread_mutex_lock(&dev->sync_lock);
	pending = sem->sync.syncobj.pending_signal;
	if (pending)
		r = svk_ws_syncobj_share(dev->ws, pending, &copy);
	pthread_mutex_unlock(&dev->sync_lock);
	if (!pending)
		return VK_SUCCESS;
	if (r != VK_SUCCESS)
		return r;
	s->waits[i].handle = copy;
	s->owned[s->num_owned++] = copy;
	return VK_SUCCESS;
}

/*
 * Put @s on the deferred list (@lock held). Binary payloads are taken at
 * this point of the application's order, as a direct submission would:
 * a waited one as defer_binary_wait() says; a signalled one is emptied (a
 * later wait on another queue must wait for this signal, not for the old
 * fence) and @s also signals a new pending-signal syncobj, which the
 * semaphore keeps for the waits submitted before this signal reaches the
 * kernel. On failure, the semaphores are as they were.
 */
static VkResult
submit_defer(struct svk_queue *queue, struct svk_submit *s)
{
	struct svk_device *dev = queue->device;
	/* the semaphores' handles of the pending-signal syncobjs */
	uint32_t pending[DRM_SVMGPU_EXEC_MAX_SYNCS];
	uint32_t i, n = 0, syncobj;
	VkResult r;

	r = thread_start(queue);
	if (r != VK_SUCCESS)
		return r;
	for (i = 0; i < s->num_waits && r == VK_SUCCESS; i++)
		if (!s->waits[i].point && !wait_is_temporary(s, i))
			r = defer_binary_wait(dev, s, i);
	for (i = 0; i < s->num_sem_signals && r == VK_SUCCESS; i++) {
		if (s->signal_sems[i]->sync.kind == SVK_SYNC_TIMELINE)
			continue;
		r = svk_ws_syncobj_create(dev->ws, false, &syncobj);
		if (r != VK_SUCCESS)
			break;
		s->owned[s->num_owned++] = syncobj;
		/* room for it: submit_check_syncs() */
		s->signals[s->num_signals++] = (struct svmgpu_sync){ syncobj, 0 };
		r = svk_ws_syncobj_share(dev->ws, syncobj, &pending[n]);
		if (r == VK_SUCCESS)
			n++;
	}
	if (r != VK_SUCCESS) {
		while (n)
			svk_ws_syncobj_destroy(dev->ws, pending[--n]);
		return r;
	}
	/* nothing fails from here on */
	for (i = 0, n = 0; i < s->num_sem_signals; i++) {
		if (s->signal_sems[i]->sync.kind == SVK_SYNC_TIMELINE)
			continue;
		svk_ws_syncobj_reset(dev->ws, s->signals[i].handle);
		svk_syncobj_set_pending_signal(dev, &s->signal_sems[i]->sync,
						 pending[n++]);
	}
	s->next = NULL;
	*queue->deferred_tail = s;
	queue->deferred_tail = &s->next;
	pthread_cond_broadcast(&queue->cond);
	return VK_SUCCESS;
}

bool
svk_syncobj_has_deferred(struct svk_device *dev)
{
	bool any = false;
	uint32_t i;

	for (i = 0; i < dev->queue_count && !any; i++) {
		struct svk_queue *queue = dev->queues[i];

		pthread_mutex_lock(&queue->lock);
		any = queue->deferred != NULL;
		pthread_mutex_unlock(&queue->lock);
	}
	return any;
}

void
svk_syncobj_device_lost(struct svk_device *dev)
{
	uint32_t i;

	for (i = 0; i < dev->queue_count; i++) {
		struct svk_queue *queue = dev->queues[i];

		/* the thread, in the kernel or about to be, sees the device
		 * lost and abandons its list (abandon_deferred()) */
		pthread_mutex_lock(&queue->lock);
		if (queue->thread_started) {
			svk_ws_syncobj_signal(dev->ws, queue->thread_wake, 0);
			pthread_cond_broadcast(&queue->cond);
		}
		pthread_mutex_unlock(&queue->lock);
	}
}

static VkResult
queue_result(struct svk_queue *queue, VkResult r)
{
	if (r == VK_ERROR_DEVICE_LOST || svk_ws_queue_lost(queue->ws))
		return svk_device_set_lost(queue->device, "queue banned");
	return r;
}

/*
 * Submit @s now or defer it (@lock held). On failure, *@partly says
 * whether some of it reached the kernel all the same.
 */
static VkResult
submit_or_defer(struct svk_queue *queue, struct svk_submit *s, bool *partly)
{
	struct svk_device *dev = queue->device;
	VkResult r;

	*partly = false;
	/* submit now only behind nothing deferred and with every wait
	 * materialised */
	if (!queue->deferred) {
		r = submit_ready(dev, s);
		if (r == VK_SUCCESS) {
			r = submit_jobs(queue, s, partly);
			if (r == VK_SUCCESS)
				submit_free(dev, s);
			return r;
		}
		if (r != VK_TIMEOUT)
			return r;
	}
	return submit_defer(queue, s);
}

/*
 * Spec "Queue Submission": a failed vkQueueSubmit leaves the semaphores
 * (and everything else it references) as they were, or must return
 * VK_ERROR_DEVICE_LOST. So the call's submissions are all built (and
 * their limits checked) before the first is submitted, and a failure
 * gives the temporary payloads back unless a submission of the call was
 * already accepted (queued in the kernel or deferred): that cannot be
 * undone, and the device is lost.
 */
VkResult
svk_syncobj_submit(struct svk_queue *queue, uint32_t submitCount,
		   const VkSubmitInfo2 *pSubmits, struct svk_fence *fence)
{
	struct svk_device *dev = queue->device;
	uint32_t count = SVK_MAX(submitCount, 1u);
	struct svk_submit **subs;
	bool accepted = false, partly = false;
	VkResult r = VK_SUCCESS;
	uint32_t i, built = 0;

	subs = svk_alloc(&dev->alloc, count * sizeof(*subs),
			 VK_SYSTEM_ALLOCATION_SCOPE_COMMAND);
	if (!subs)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	pthread_mutex_lock(&queue->lock);
	for (; built < count && r == VK_SUCCESS; built++)
		r = submit_build(queue, submitCount ? &pSubmits[built] : NULL,
				 built + 1 == count, fence, &subs[built]);
	if (r != VK_SUCCESS)
		built--;	/* the failed one cleaned up after itself */
	for (i = 0; i < built && r == VK_SUCCESS; i++) {
		if (!subs[i])
			continue;
		r = submit_or_defer(queue, subs[i], &partly);
		if (r == VK_SUCCESS) {
			subs[i] = NULL;	/* submitted and freed, or deferred */
			accepted = true;
		}
	}
	if (r != VK_SUCCESS && !accepted && !partly) {
		/* nothing happened: give back what the waits took */
		for (i = built; i-- > 0;)
			if (subs[i])
				submit_restore_temporaries(subs[i]);
	}
	for (i = 0; i < built; i++)
		if (subs[i])
			submit_free(dev, subs[i]);
	pthread_mutex_unlock(&queue->lock);
	svk_free(&dev->alloc, subs);
	if (r != VK_SUCCESS && (accepted || partly))
		return svk_device_set_lost(dev, "a submission failed after "
					   "part of the call was submitted");
	if (r == VK_SUCCESS && svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	return queue_result(queue, r);
}

VkResult
svk_syncobj_wait_idle(struct svk_queue *queue)
{
	VkResult r;

	/* the deferred submissions reach the kernel first */
	pthread_mutex_lock(&queue->lock);
	while (queue->deferred && !svk_device_is_lost(queue->device)) {
		/* the thread broadcasts each submission it takes off; a loss
		 * noticed elsewhere does not: re-check now and then */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&queue->cond, &queue->lock, &ts);
	}
	pthread_mutex_unlock(&queue->lock);
	if (svk_device_is_lost(queue->device))
		return VK_ERROR_DEVICE_LOST;
	r = svk_ws_syncobj_wait(queue->device->ws, &queue->last, NULL, 1,
				UINT64_MAX, true);
	if (r == VK_SUCCESS && svk_ws_queue_lost(queue->ws))
		r = VK_ERROR_DEVICE_LOST;
	return queue_result(queue, r);
}
