/* SPDX-License-Identifier: MIT */
/*
 * sync_user_fence.c - the user-fence backend of the sync layer (sync.h):
 * submission, fences and semaphores on a device with
 * systemAllocatedMemory (spec "Synchronization on a
 * system-allocated-memory device"), built on user fences: the kernel
 * refuses SIGNAL syncobjs on fault-mode queues, whose jobs may wait on
 * page faults that allocate memory.
 *
 * - Each queue has a 64-bit counter in host memory (seq). Every
 *   submission ends with a job from the queue's slot ring that writes
 *   the submission's semaphore values (USER_FENCE) and then seq + 1
 *   (USER_FENCE with IRQ, which wakes WAIT_USER_FENCE waiters).
 * - A VkFence is (queue seq address, value): signalled when the counter
 *   reaches the value of the submission that carried it.
 * - A VkSemaphore owns a 64-bit counter in host memory. Timeline values
 *   are written as given; binary semaphores count their signal
 *   operations (the driver tracks the next value). A queue wait is a
 *   WAIT command (64-bit, >=) on the counter in a job before the
 *   submission's command buffers: it holds up only that queue.
 * - Host waits are svmgpu_user_fence_wait() on the counter, passing the
 *   queue that signals it so a fault ends the wait (VK_ERROR_DEVICE_LOST).
 * - Host signals (vkSignalSemaphore) write the counter from the CPU and
 *   then wake the kernel's waiters (DRM_IOCTL_SVMGPU_USER_FENCE_WAKE):
 *   WAIT_USER_FENCE re-reads its value only on a USER_FENCE interrupt, a
 *   queue stop or that wake. As a second line, every host wait sleeps in
 *   slices of SVK_SVM_WAIT_SLICE_NS and re-checks, so a wait is late by
 *   at most one slice, never stuck, should the wake fail.
 *
 * - Temporarily imported sync files (external_sync.c) are DMA fences:
 *   a fence's is waited for with the syncobj holding it; a semaphore's
 *   is a WAIT sync of an empty job ahead of the submission's other jobs
 *   (the kernel holds the job, and so the queue, until it signals).
 *   They are the only import, and nothing is exported (spec "External
 *   synchronization"): the checks below report the extension's VUIDs.
 *
 * The payload bookkeeping (svk_svm_fence, svk_svm_semaphore values and
 * queues) and the temporary payloads are under svk_device.sync_lock.
 *
 * All counters are host memory the GPU reaches through the mirror (its
 * first write to a counter's page is a serviced fault, as any first
 * touch).
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "svk_private.h"

#define SVK_SVM_WAIT_SLICE_NS	(20ll * 1000 * 1000)
#define SVK_SVM_POLL_NS		(1ll * 1000 * 1000)

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t
deadline_of(uint64_t timeout)
{
	uint64_t now = now_ns();

	return timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
}

static void
sleep_ns(int64_t ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };

	nanosleep(&ts, NULL);
}

static uint64_t
read_counter(const volatile uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static volatile uint64_t *
counter_alloc(uint64_t initial)
{
	uint64_t *p;

	/* one cache line each, so no two counters share a GPU write */
	if (posix_memalign((void **)&p, 64, 64))
		return NULL;
	*p = initial;
	return p;
}

/*
 * Wait until *@addr >= @value or @deadline (absolute). @queue: the queue
 * whose job writes it, or NULL. VK_SUCCESS, VK_TIMEOUT or
 * VK_ERROR_DEVICE_LOST.
 */
static VkResult
wait_value(struct svk_device *dev, const volatile uint64_t *addr,
	   uint64_t value, struct svk_queue *queue, uint64_t deadline)
{
	for (;;) {
		uint64_t now;
		int64_t t;
		int err;

		if (read_counter(addr) >= value)
			return VK_SUCCESS;
		if (svk_device_is_lost(dev))
			return VK_ERROR_DEVICE_LOST;
		now = now_ns();
		if (now >= deadline)
			return VK_TIMEOUT;
		t = (int64_t)SVK_MIN(deadline - now, (uint64_t)SVK_SVM_WAIT_SLICE_NS);
		err = svk_ws_user_fence_wait(dev->ws, addr, value,
					     queue ? queue->ws : NULL, &t);
		if (!err)
			return VK_SUCCESS;
		if (err == -EIO)
			return svk_device_set_lost(dev, "a job faulted or hung");
		if (err != -ETIME && err != -ETIMEDOUT && err != -EINTR)
			return svk_ws_result(err, VK_ERROR_DEVICE_LOST);
		/* a slice passed: notice faults of other queues too */
		if (!queue && svk_device_check_lost(dev) != VK_SUCCESS)
			return VK_ERROR_DEVICE_LOST;
	}
}

/* ------------------------------------------------------------------ */
/* Queues */

static VkResult
uf_queue_init(struct svk_queue *queue)
{
	struct svk_device *dev = queue->device;
	uint64_t size = (uint64_t)SVK_SVM_SLOTS * SVK_SVM_SLOT_SIZE;
	struct svk_svm_queue *sq;
	VkResult r;

	sq = svk_zalloc(&dev->alloc, sizeof(*sq), VK_SYSTEM_ALLOCATION_SCOPE_DEVICE);
	if (!sq)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	sq->seq = counter_alloc(0);
	if (!sq->seq) {
		r = VK_ERROR_OUT_OF_HOST_MEMORY;
		goto err_free;
	}
	r = svk_ws_bo_create(dev->ws, size, &sq->ring_bo, NULL);
	if (r != VK_SUCCESS)
		goto err_seq;
	r = svk_va_alloc(&dev->va, size, 4096, 0, &sq->ring_va);
	if (r != VK_SUCCESS)
		goto err_bo;
	r = svk_ws_vm_map(dev->vm, sq->ring_bo, sq->ring_va, size);
	if (r != VK_SUCCESS)
		goto err_va;
	queue->svm = sq;
	return VK_SUCCESS;

err_va:
	svk_va_free(&dev->va, sq->ring_va, size);
err_bo:
	svk_ws_bo_destroy(sq->ring_bo);
err_seq:
	free((void *)sq->seq);
err_free:
	svk_free(&dev->alloc, sq);
	return r;
}

static void
uf_queue_finish(struct svk_queue *queue)
{
	struct svk_device *dev = queue->device;
	struct svk_svm_queue *sq = queue->svm;
	uint64_t size = (uint64_t)SVK_SVM_SLOTS * SVK_SVM_SLOT_SIZE;

	if (!sq)
		return;
	/* vkDestroyDevice: the application waited for its work (VUID-
	 * vkDestroyDevice-device-05137), but the spec lets it destroy a
	 * device whose queue waits for a value never signalled ("destroy the
	 * device to end it"): wait a bounded time (it ends early if the
	 * queue was banned) so the ring is normally not unmapped under a
	 * job; a job still stuck then faults on its batch when the queue
	 * and the ring go. */
	wait_value(dev, sq->seq, sq->submitted, queue,
		   now_ns() + 2000ull * 1000 * 1000);
	svk_ws_vm_unmap(dev->vm, sq->ring_va, size);
	svk_va_free(&dev->va, sq->ring_va, size);
	svk_ws_bo_destroy(sq->ring_bo);
	free((void *)sq->seq);
	svk_free(&dev->alloc, sq);
	queue->svm = NULL;
}

/* Submit one batch, the job waiting for @waits (syncobjs); a full kernel
 * ring (-EBUSY) waits for progress. */
static VkResult
exec_batch_waiting(struct svk_queue *queue, uint64_t addr, uint64_t size,
		   const struct svmgpu_sync *waits, uint32_t num_waits)
{
	struct svk_svm_queue *sq = queue->svm;

	for (;;) {
		int err = svk_ws_exec_raw_waits(queue->ws, addr, size, waits,
						num_waits);
		uint64_t done;

		if (!err)
			return VK_SUCCESS;
		if (err == -EIO || err == -EACCES)
			return svk_device_set_lost(queue->device,
						   err == -EIO ? "queue banned" :
						   "submission from another process");
		if (err != -EBUSY)
			return svk_ws_result(err, VK_ERROR_DEVICE_LOST);
		done = read_counter(sq->seq);
		if (done < sq->submitted) {
			VkResult r = wait_value(queue->device, sq->seq, done + 1,
						queue, now_ns() + SVK_SVM_WAIT_SLICE_NS);

			if (r == VK_ERROR_DEVICE_LOST)
				return r;
		} else {
			/* only this submission's jobs are queued */
			sleep_ns(SVK_SVM_POLL_NS);
		}
	}
}

static VkResult
exec_batch(struct svk_queue *queue, uint64_t addr, uint64_t size)
{
	return exec_batch_waiting(queue, addr, size, NULL, 0);
}

static VkResult
exec_batch_cb(void *queue, uint64_t addr, uint64_t size)
{
	return exec_batch(queue, addr, size);
}

static VkResult
slot_take(struct svk_queue *queue, uint32_t *slot)
{
	struct svk_svm_queue *sq = queue->svm;
	uint32_t i = sq->slot_next;
	VkResult r;

	r = wait_value(queue->device, sq->seq, sq->slot_seq[i], queue, UINT64_MAX);
	if (r != VK_SUCCESS)
		return r;
	sq->slot_next = (i + 1) % SVK_SVM_SLOTS;
	*slot = i;
	return VK_SUCCESS;
}

/* Run the half of @slot at @half (0: waits, 1: signals) built by the
 * caller into @cmd. */
static VkResult
slot_exec(struct svk_queue *queue, struct svmgpu_cmdbuf *cmd)
{
	uint64_t addr, size;
	int err;

	err = svmgpu_cmdbuf_emit_end(cmd);
	if (!err)
		err = svmgpu_cmdbuf_get_batch(cmd, &addr, &size);
	svmgpu_cmdbuf_destroy(cmd);
	if (err)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	return exec_batch(queue, addr, size);
}

static VkResult
slot_cmdbuf(struct svk_queue *queue, uint32_t slot, uint32_t half,
	    struct svmgpu_cmdbuf **cmd)
{
	struct svk_svm_queue *sq = queue->svm;
	uint64_t off = (uint64_t)slot * SVK_SVM_SLOT_SIZE + half * (SVK_SVM_SLOT_SIZE / 2);

	return svk_ws_result(svk_ws_cmdbuf_create_at(sq->ring_bo, off,
						     SVK_SVM_SLOT_SIZE / 2,
						     sq->ring_va + off, cmd),
			     VK_ERROR_OUT_OF_HOST_MEMORY);
}

/* The syncobjs of the temporarily imported sync files among @si's wait
 * semaphores, in @waits (room for waitSemaphoreInfoCount); their count. */
static uint32_t
imported_waits(const VkSubmitInfo2 *si, struct svmgpu_sync *waits)
{
	uint32_t i, n = 0;

	for (i = 0; si && i < si->waitSemaphoreInfoCount; i++) {
		SVK_FROM_HANDLE(svk_semaphore, sem,
				si->pWaitSemaphoreInfos[i].semaphore);

		/* only binary semaphores have temporary payloads */
		if (sem->sync.temporary)
			waits[n++] = (struct svmgpu_sync){ sem->sync.temporary, 0 };
	}
	return n;
}

/* A job waiting for imported_waits() is queued: consume them. */
static void
consume_imported_waits(struct svk_device *dev, const VkSubmitInfo2 *si)
{
	uint32_t i;

	/* Spec "Importing Semaphore Payloads": the wait restores the
	 * permanent payload; the queued job holds the fence it waits for. */
	for (i = 0; si && i < si->waitSemaphoreInfoCount; i++)
		svk_sync_drop_temporary(dev,
			&svk_semaphore_from_handle(si->pWaitSemaphoreInfos[i].semaphore)->sync);
}

static VkResult
submit_one(struct svk_queue *queue, const VkSubmitInfo2 *si,
	   struct svk_fence *fence)
{
	struct svk_device *dev = queue->device;
	struct svk_svm_queue *sq = queue->svm;
	uint32_t nw = si ? si->waitSemaphoreInfoCount : 0;
	uint32_t ns = si ? si->signalSemaphoreInfoCount : 0;
	uint32_t nc = si ? si->commandBufferInfoCount : 0;
	struct svmgpu_sync imported[SVK_SVM_MAX_SYNC];
	struct svmgpu_cmdbuf *cmd;
	uint32_t slot, i, waits = 0, num_imported, fence_imported = 0;
	uint64_t seq;
	VkResult r;
	int err = 0;

	if (!nw && !ns && !nc && !fence)
		return VK_SUCCESS;
	if (nw > SVK_SVM_MAX_SYNC || ns > SVK_SVM_MAX_SYNC)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	r = slot_take(queue, &slot);
	if (r != VK_SUCCESS)
		return r;

	/* Prefetches: VM_BIND PREFETCH now, before the jobs are queued. */
	for (i = 0; i < nc; i++)
		svk_svm_cmd_prefetch(svk_cmd_buffer_from_handle(
			si->pCommandBufferInfos[i].commandBuffer));

	/* Waits on sync files imported into binary semaphores: an empty job
	 * the kernel holds until their fences signal. */
	num_imported = imported_waits(si, imported);
	if (num_imported) {
		r = exec_batch_waiting(queue, queue->empty_va, 8, imported,
				       num_imported);
		if (r != VK_SUCCESS)
			return r;
	}

	/* Waits: a job of WAIT commands ahead of the command buffers. */
	if (nw) {
		r = slot_cmdbuf(queue, slot, 0, &cmd);
		if (r != VK_SUCCESS)
			return r;
		pthread_mutex_lock(&dev->sync_lock);
		for (i = 0; i < nw && !err; i++) {
			SVK_FROM_HANDLE(svk_semaphore, sem,
					si->pWaitSemaphoreInfos[i].semaphore);
			uint64_t v = sem->sync.kind == SVK_SYNC_TIMELINE ?
				     si->pWaitSemaphoreInfos[i].value : sem->sync.uf_sem.next;

			if (!v || sem->sync.temporary)
				continue;	/* always reached, or imported */
			err = svmgpu_cmdbuf_emit_wait(cmd, SVMGPU_WAIT_GTE | SVMGPU_WAIT_64,
						      (uint64_t)(uintptr_t)sem->sync.uf_sem.counter,
						      v, ~0ull);
			waits++;
		}
		pthread_mutex_unlock(&dev->sync_lock);
		if (err) {
			svmgpu_cmdbuf_destroy(cmd);
			return VK_ERROR_OUT_OF_HOST_MEMORY;
		}
		if (waits) {
			r = slot_exec(queue, cmd);
			if (r != VK_SUCCESS)
				return r;
		} else {
			svmgpu_cmdbuf_destroy(cmd);
		}
	}
	if (num_imported)
		consume_imported_waits(dev, si);

	/* The command buffers: each non-empty batch is one job, in execution
	 * order through executed secondaries. */
	for (i = 0; i < nc; i++) {
		SVK_FROM_HANDLE(svk_cmd_buffer, cb, si->pCommandBufferInfos[i].commandBuffer);

		r = svk_cmd_for_each_batch(cb, exec_batch_cb, queue);
		if (r != VK_SUCCESS)
			return r;
	}

	/* Signals: semaphore values, then the queue's seq with IRQ. */
	r = slot_cmdbuf(queue, slot, 1, &cmd);
	if (r != VK_SUCCESS)
		return r;
	pthread_mutex_lock(&dev->sync_lock);
	for (i = 0; i < ns && !err; i++) {
		SVK_FROM_HANDLE(svk_semaphore, sem,
				si->pSignalSemaphoreInfos[i].semaphore);
		uint64_t v = sem->sync.kind == SVK_SYNC_TIMELINE ?
			     si->pSignalSemaphoreInfos[i].value : ++sem->sync.uf_sem.next;

		sem->sync.uf_sem.queue = queue;
		err = svmgpu_cmdbuf_emit_user_fence(cmd, 0,
						    (uint64_t)(uintptr_t)sem->sync.uf_sem.counter, v);
	}
	seq = sq->submitted + 1;
	if (!err)
		err = svmgpu_cmdbuf_emit_user_fence(cmd, SVMGPU_USER_FENCE_IRQ,
						    (uint64_t)(uintptr_t)sq->seq, seq);
	if (!err && fence) {
		fence->sync.uf_fence.addr = sq->seq;
		fence->sync.uf_fence.value = seq;
		fence->sync.uf_fence.queue = queue;
		fence->sync.uf_fence.signaled = false;
		/* the fence's next signal replaces a temporarily imported
		 * payload (sync.c, which changes it under this lock too):
		 * only now that it is written, so a submission that failed
		 * before leaves the import as it was */
		fence_imported = fence->sync.temporary;
		fence->sync.temporary = 0;
	}
	pthread_mutex_unlock(&dev->sync_lock);
	if (fence_imported)
		svk_ws_syncobj_destroy(dev->ws, fence_imported);
	if (err) {
		svmgpu_cmdbuf_destroy(cmd);
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	}
	sq->submitted = seq;
	sq->slot_seq[slot] = seq;
	return slot_exec(queue, cmd);
}

static VkResult
uf_submit(struct svk_queue *queue, uint32_t count,
	  const VkSubmitInfo2 *submits, struct svk_fence *fence)
{
	VkResult r = VK_SUCCESS;
	uint32_t i;

	if (svk_device_is_lost(queue->device))
		return VK_ERROR_DEVICE_LOST;
	pthread_mutex_lock(&queue->lock);
	for (i = 0; i < SVK_MAX(count, 1u) && r == VK_SUCCESS; i++)
		r = submit_one(queue, count ? &submits[i] : NULL,
			       i + 1 >= count ? fence : NULL);
	pthread_mutex_unlock(&queue->lock);
	if (r != VK_SUCCESS && r != VK_ERROR_DEVICE_LOST &&
	    svk_device_check_lost(queue->device) != VK_SUCCESS)
		return VK_ERROR_DEVICE_LOST;
	return r;
}

static VkResult
uf_wait_idle(struct svk_queue *queue)
{
	struct svk_svm_queue *sq = queue->svm;
	uint64_t target;

	if (svk_device_is_lost(queue->device))
		return VK_ERROR_DEVICE_LOST;
	pthread_mutex_lock(&queue->lock);
	target = sq->submitted;
	pthread_mutex_unlock(&queue->lock);
	return wait_value(queue->device, sq->seq, target, queue, UINT64_MAX);
}

/* ------------------------------------------------------------------ */
/* Fences and semaphores */

/* Spec "External synchronization", "Errors": a fence or semaphore created
 * exportable reports the VUID and returns VK_ERROR_UNKNOWN, creating
 * nothing. */
static VkResult
uf_check_create(struct svk_device *dev, enum svk_sync_kind kind,
		const void *chain)
{
	bool fence = kind == SVK_SYNC_FENCE;
	/* VkExportFenceCreateInfo and VkExportSemaphoreCreateInfo have the
	 * same layout: sType, pNext, handleTypes. */
	const VkExportFenceCreateInfo *e =
		svk_find_struct(chain, fence ? VK_STRUCTURE_TYPE_EXPORT_FENCE_CREATE_INFO :
					       VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO);

	if (!e || !e->handleTypes)
		return VK_SUCCESS;
	svk_debug_message(dev->pdev->instance,
			  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
			  "%s: a device with systemAllocatedMemory enabled cannot export "
			  "fences or semaphores (handleTypes 0x%x)",
			  fence ? "VUID-VkFenceCreateInfo-pNext-10001011" :
				  "VUID-VkSemaphoreCreateInfo-pNext-10001010",
			  e->handleTypes);
	return VK_ERROR_UNKNOWN;
}

static VkResult
uf_init(struct svk_device *dev, struct svk_sync *sync, uint64_t initial)
{
	(void)dev;
	if (sync->kind == SVK_SYNC_FENCE) {
		sync->uf_fence.signaled = initial != 0;
		return VK_SUCCESS;
	}
	sync->uf_sem.counter = counter_alloc(sync->kind == SVK_SYNC_TIMELINE ?
					     initial : 0);
	return sync->uf_sem.counter ? VK_SUCCESS : VK_ERROR_OUT_OF_HOST_MEMORY;
}

static void
uf_finish(struct svk_device *dev, struct svk_sync *sync)
{
	(void)dev;
	if (sync->kind != SVK_SYNC_FENCE)
		free((void *)sync->uf_sem.counter);
}

/* A fence's reset (binary semaphores are never reset: they export
 * nothing). */
static VkResult
uf_reset(struct svk_device *dev, struct svk_sync *sync)
{
	/* Spec: "A fence reset writes nothing: the fence then waits for the
	 * value of its next signal." */
	pthread_mutex_lock(&dev->sync_lock);
	sync->uf_fence.addr = NULL;
	sync->uf_fence.signaled = false;
	pthread_mutex_unlock(&dev->sync_lock);
	return VK_SUCCESS;
}

/* The fence's user-fence payload, and in @imported the syncobj of its
 * temporarily imported sync file, or 0 (sync.c changes it under the same
 * lock). */
static struct svk_svm_fence
fence_get(struct svk_device *dev, struct svk_sync *sync, uint32_t *imported)
{
	struct svk_svm_fence f;

	pthread_mutex_lock(&dev->sync_lock);
	f = sync->uf_fence;
	*imported = sync->temporary;
	pthread_mutex_unlock(&dev->sync_lock);
	return f;
}

/*
 * Whether an imported sync file's fence signalled. One that signalled
 * with an error (the other device's work failed) counts as signalled:
 * the wait was for its completion, and it does not make this device
 * lost. So does a syncobj that is gone (a reset or an import on another
 * thread replaced the payload while it was read).
 */
static bool
imported_done(struct svk_device *dev, uint32_t syncobj)
{
	return svk_ws_syncobj_signaled(dev->ws, syncobj, 0) != 0;
}

static bool
fence_done(struct svk_device *dev, const struct svk_svm_fence *f,
	   uint32_t imported)
{
	if (imported)
		return imported_done(dev, imported);
	return f->signaled || (f->addr && read_counter(f->addr) >= f->value);
}

static VkResult
uf_status(struct svk_device *dev, struct svk_sync *sync)
{
	uint32_t imported;
	struct svk_svm_fence f = fence_get(dev, sync, &imported);

	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	if (fence_done(dev, &f, imported))
		return VK_SUCCESS;
	if (svk_device_check_lost(dev) != VK_SUCCESS)
		return VK_ERROR_DEVICE_LOST;
	return VK_NOT_READY;
}

static VkResult
uf_get_value(struct svk_device *dev, struct svk_sync *sync, uint64_t *value)
{
	if (svk_device_is_lost(dev) || svk_device_check_lost(dev) != VK_SUCCESS)
		return VK_ERROR_DEVICE_LOST;
	*value = read_counter(sync->uf_sem.counter);
	return VK_SUCCESS;
}

static VkResult
uf_signal(struct svk_device *dev, struct svk_sync *sync, uint64_t value)
{
	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	/* VUID-VkSemaphoreSignalInfo-value-03258: the value is larger than
	 * the current one; store it so it never goes back. */
	pthread_mutex_lock(&dev->sync_lock);
	if (value > read_counter(sync->uf_sem.counter))
		__atomic_store_n(sync->uf_sem.counter, value, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&dev->sync_lock);
	/* Wake kernel waiters (DRM_IOCTL_SVMGPU_USER_FENCE_WAKE): they read
	 * their values again. Its failure is not the caller's: waiters also
	 * re-check every slice. Device waits (WAIT commands) poll memory and
	 * need nothing. */
	svk_ws_user_fence_wake(dev->ws);
	return VK_SUCCESS;
}

/* What a host wait sleeps on: the first pending user fence (*@addr >=
 * @value, written by @queue) and the first pending imported sync file
 * (@imported, its syncobj). */
struct pending {
	const volatile uint64_t *addr;
	uint64_t value;
	struct svk_queue *queue;
	uint32_t imported;
};

/* Whether @w is reached; if not, and @p has none of its kind yet, what to
 * sleep on for it. */
static bool
wait_reached(struct svk_device *dev, const struct svk_sync_wait *w,
	     struct pending *p)
{
	struct svk_sync *sync = w->sync;
	struct svk_svm_fence f;
	uint32_t imported;

	if (sync->kind != SVK_SYNC_FENCE) {
		if (read_counter(sync->uf_sem.counter) >= w->value)
			return true;
		if (!p->addr) {
			p->addr = sync->uf_sem.counter;
			p->value = w->value;
			pthread_mutex_lock(&dev->sync_lock);
			p->queue = sync->uf_sem.queue;
			pthread_mutex_unlock(&dev->sync_lock);
		}
		return false;
	}
	f = fence_get(dev, sync, &imported);
	if (fence_done(dev, &f, imported))
		return true;
	if (imported) {
		if (!p->imported)
			p->imported = imported;
	} else if (f.addr && !p->addr) {
		p->addr = f.addr;
		p->value = f.value;
		p->queue = f.queue;
	}
	return false;
}

/* vkWaitForFences (fences), vkWaitSemaphores (timelines) */
static VkResult
uf_wait(struct svk_device *dev, const struct svk_sync_wait *waits,
	uint32_t count, bool wait_all, uint64_t timeout)
{
	uint64_t deadline = deadline_of(timeout);
	/* sleep until the deadline on one payload only when it is the one
	 * that matters, else a slice at most and look again */
	bool whole = count && waits[0].sync->kind == SVK_SYNC_FENCE ?
		     wait_all && count == 1 : wait_all || count == 1;
	uint32_t i;
	VkResult r;

	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	for (;;) {
		bool any = false, all = true;
		struct pending p = { 0 };
		uint64_t now, d;

		for (i = 0; i < count; i++) {
			if (wait_reached(dev, &waits[i], &p))
				any = true;
			else
				all = false;
		}
		if (wait_all ? all : any)
			return VK_SUCCESS;
		now = now_ns();
		if (now >= deadline)
			return VK_TIMEOUT;
		d = whole ? deadline : SVK_MIN(deadline, now + SVK_SVM_POLL_NS);
		if (!p.addr && p.imported) {
			/* a sync file's fence: the kernel waits for it;
			 * whatever ended the wait, the loop looks again */
			svk_ws_syncobj_wait(dev->ws, &p.imported, NULL, 1,
					    d - now, true);
			if (svk_device_check_lost(dev) != VK_SUCCESS)
				return VK_ERROR_DEVICE_LOST;
		} else if (p.addr) {
			r = wait_value(dev, p.addr, p.value, p.queue, d);
			if (r == VK_ERROR_DEVICE_LOST)
				return r;
		} else {
			/* no fence submitted yet: another thread may */
			sleep_ns(SVK_SVM_POLL_NS);
			if (svk_device_check_lost(dev) != VK_SUCCESS)
				return VK_ERROR_DEVICE_LOST;
		}
	}
}

/*
 * Spec "External synchronization", Valid Usage 10001012/10001013: a
 * device with systemAllocatedMemory imports only SYNC_FD, temporarily.
 * Reported like the extension's other VUIDs; the import fails with
 * VK_ERROR_INVALID_EXTERNAL_HANDLE, the import commands' error for a
 * handle the implementation cannot use, and changes nothing.
 */
static bool
uf_check_import(struct svk_device *dev, const char *vuid,
		enum svk_sync_handle handle, bool temporary_flag,
		uint32_t handle_type)
{
	if (handle == SVK_SYNC_HANDLE_SYNC_FILE && temporary_flag)
		return true;
	svk_debug_message(dev->pdev->instance,
			  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
			  "%s: a device with systemAllocatedMemory enabled imports only "
			  "SYNC_FD handles, temporarily (handleType 0x%x%s)", vuid,
			  handle_type, temporary_flag ? "" : ", without the TEMPORARY flag");
	return false;
}

/* Spec, same section, 10001014/10001015: nothing to export (the object
 * cannot have been created exportable: uf_check_create()). */
static VkResult
uf_export(struct svk_device *dev, struct svk_sync *sync,
	  enum svk_sync_handle handle, int *fd, const char *vuid)
{
	(void)sync;
	(void)handle;
	(void)fd;
	svk_debug_message(dev->pdev->instance,
			  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
			  "%s: a device with systemAllocatedMemory enabled exports no "
			  "fence or semaphore payload", vuid);
	return VK_ERROR_UNKNOWN;
}

const struct svk_sync_type svk_sync_user_fence = {
	.name = "user fence",
	/* exports nothing; imports a sync file, temporarily, into fences
	 * and binary semaphores */
	.imports = {
		[SVK_SYNC_FENCE] = SVK_SYNC_HANDLE_BIT(SVK_SYNC_HANDLE_SYNC_FILE),
		[SVK_SYNC_BINARY] = SVK_SYNC_HANDLE_BIT(SVK_SYNC_HANDLE_SYNC_FILE),
	},
	.check_create = uf_check_create,
	.init = uf_init,
	.finish = uf_finish,
	.reset = uf_reset,
	.signal = uf_signal,
	.get_value = uf_get_value,
	.status = uf_status,
	.wait = uf_wait,
	.check_import = uf_check_import,
	.export = uf_export,
	.queue_init = uf_queue_init,
	.queue_finish = uf_queue_finish,
	.submit = uf_submit,
	.wait_idle = uf_wait_idle,
};
