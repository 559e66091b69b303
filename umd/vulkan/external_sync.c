/* SPDX-License-Identifier: MIT */
/*
 * external_sync.c - sharing VkFence and VkSemaphore payloads:
 * VK_KHR_external_fence_fd and VK_KHR_external_semaphore_fd, with the core
 * 1.1 capability queries.
 *
 * A fence or semaphore is a DRM syncobj (fence.c, semaphore.c).
 * OPAQUE_FD is the syncobj itself as a file (reference transference: an
 * import shares the payload); SYNC_FD is a sync_file of the syncobj's
 * current fence (copy transference: always a temporary import, spec
 * "Importing Semaphore Payloads" and "Importing Fence Payloads"). A
 * temporary import puts the payload in a second syncobj that the
 * object uses instead of its own until it is consumed: by a queue wait
 * for a semaphore, by vkResetFences for a fence, or by exporting a
 * SYNC_FD from it. Timeline semaphores only have OPAQUE_FD.
 *
 * On a device with systemAllocatedMemory (VK_EXT_system_allocated_memory,
 * "External synchronization") the permanent payloads are user fences
 * (user_fence.c), which no DMA fence can represent: nothing is exported,
 * and the only import is a temporary SYNC_FD into a fence or a binary
 * semaphore. It is kept the same way, a syncobj holding the sync_file's
 * fence in @temporary: a host wait on the fence waits for that syncobj,
 * and a queue wait on the semaphore hands it to the kernel as a WAIT
 * sync of an empty job ahead of the submission's work (fault-mode EXEC
 * may wait on syncobjs; only signalling them is refused), which consumes
 * it. Host waits read a fence's @temporary under the device's svm lock,
 * so it changes under that lock here.
 */
#include <unistd.h>

#include "svk_private.h"

#define SVK_SEMAPHORE_FD_TYPES \
	(VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT | \
	 VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT)
#define SVK_FENCE_FD_TYPES (VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT | \
			    VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT)

/* What a handle is, whether of a fence or a semaphore (their bits
 * differ). */
enum payload_kind {
	PAYLOAD_NONE,
	PAYLOAD_SYNCOBJ,	/* OPAQUE_FD: the syncobj's file */
	PAYLOAD_SYNC_FILE,	/* SYNC_FD: a sync_file of its fence */
};

static enum payload_kind
semaphore_kind(VkExternalSemaphoreHandleTypeFlagBits type)
{
	return type == VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT ?
		PAYLOAD_SYNCOBJ :
	       type == VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT ?
		PAYLOAD_SYNC_FILE : PAYLOAD_NONE;
}

static enum payload_kind
fence_kind(VkExternalFenceHandleTypeFlagBits type)
{
	return type == VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT ?
		PAYLOAD_SYNCOBJ :
	       type == VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT ?
		PAYLOAD_SYNC_FILE : PAYLOAD_NONE;
}

/* ------------------------------------------------------------------ */
/* Capabilities */

/*
 * Does the query ask about a device with systemAllocatedMemory enabled?
 * The extension lets VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT
 * extend VkPhysicalDeviceExternalSemaphoreInfo and
 * VkPhysicalDeviceExternalFenceInfo for that, as VkSemaphoreTypeCreateInfo
 * selects the semaphore type: the answer depends on the parameters of
 * the objects asked about, never on which devices exist. Without it (or
 * with systemAllocatedMemory VK_FALSE) the answer is for devices without
 * the feature, the only ones an application unaware of the extension can
 * create.
 */
static bool
query_for_svm_device(const void *chain)
{
	const VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT *f =
		svk_find_struct(chain,
				VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT);

	return f && f->systemAllocatedMemory;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceExternalSemaphoreProperties(VkPhysicalDevice physicalDevice,
						 const VkPhysicalDeviceExternalSemaphoreInfo *info,
						 VkExternalSemaphoreProperties *p)
{
	const VkSemaphoreTypeCreateInfo *type =
		svk_find_struct(info->pNext,
				VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO);
	bool timeline = type && type->semaphoreType == VK_SEMAPHORE_TYPE_TIMELINE;
	VkExternalSemaphoreHandleTypeFlags types =
		timeline ? VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT :
			   SVK_SEMAPHORE_FD_TYPES;

	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);

	if (query_for_svm_device(info->pNext)) {
		/* Spec "External synchronization", "Queries": a binary
		 * semaphore imports a sync file temporarily, nothing else.
		 * No such device exists where the extension is not
		 * supported: nothing works there. */
		bool importable = svk_svm_supported(pdev) && !timeline &&
			info->handleType == VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT;

		p->exportFromImportedHandleTypes = 0;
		p->compatibleHandleTypes = importable ? info->handleType : 0;
		p->externalSemaphoreFeatures = importable ?
			VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT : 0;
		return;
	}
	if (!(info->handleType & types)) {
		p->exportFromImportedHandleTypes = 0;
		p->compatibleHandleTypes = 0;
		p->externalSemaphoreFeatures = 0;
		return;
	}
	/* One syncobj exports both types; a semaphore whose payload was
	 * imported from either is still a syncobj. */
	p->exportFromImportedHandleTypes = types;
	p->compatibleHandleTypes = types;
	p->externalSemaphoreFeatures =
		VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT |
		VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceExternalFenceProperties(VkPhysicalDevice physicalDevice,
					     const VkPhysicalDeviceExternalFenceInfo *info,
					     VkExternalFenceProperties *p)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);

	if (query_for_svm_device(info->pNext)) {
		/* as for semaphores: a temporary sync file import only */
		bool importable = svk_svm_supported(pdev) &&
			info->handleType == VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT;

		p->exportFromImportedHandleTypes = 0;
		p->compatibleHandleTypes = importable ? info->handleType : 0;
		p->externalFenceFeatures = importable ?
			VK_EXTERNAL_FENCE_FEATURE_IMPORTABLE_BIT : 0;
		return;
	}
	if (!(info->handleType & SVK_FENCE_FD_TYPES)) {
		p->exportFromImportedHandleTypes = 0;
		p->compatibleHandleTypes = 0;
		p->externalFenceFeatures = 0;
		return;
	}
	p->exportFromImportedHandleTypes = SVK_FENCE_FD_TYPES;
	p->compatibleHandleTypes = SVK_FENCE_FD_TYPES;
	p->externalFenceFeatures = VK_EXTERNAL_FENCE_FEATURE_EXPORTABLE_BIT |
				   VK_EXTERNAL_FENCE_FEATURE_IMPORTABLE_BIT;
}

/* ------------------------------------------------------------------ */
/* Shared import/export of a syncobj payload */

/*
 * A new syncobj holding @fd's payload: the syncobj file for OPAQUE_FD,
 * the sync_file's fence for SYNC_FD (-1: "an object that has already
 * signaled", spec for both VkImportSemaphoreFdInfoKHR and
 * VkImportFenceFdInfoKHR).
 */
static VkResult
import_payload(struct svk_device *dev, enum payload_kind kind, int fd,
	       uint32_t *syncobj)
{
	VkResult r;

	switch (kind) {
	case PAYLOAD_SYNCOBJ:
		return svk_ws_syncobj_import_fd(dev->ws, fd, syncobj);
	case PAYLOAD_SYNC_FILE:
		r = svk_ws_syncobj_create(dev->ws, fd == -1, syncobj);
		if (r != VK_SUCCESS || fd == -1)
			return r;
		r = svk_ws_syncobj_import_sync_file(dev->ws, *syncobj, fd);
		if (r != VK_SUCCESS)
			svk_ws_syncobj_destroy(dev->ws, *syncobj);
		return r;
	default:
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	}
}

/* The device's svm lock, if it has one: see the comment at the top. */
static void
payload_lock(struct svk_device *dev)
{
	if (dev->svm)
		pthread_mutex_lock(&dev->svm->lock);
}

static void
payload_unlock(struct svk_device *dev)
{
	if (dev->svm)
		pthread_mutex_unlock(&dev->svm->lock);
}

/* Install an imported payload: temporary, or replacing the permanent
 * one (which also ends any temporary payload). */
static void
install_payload(struct svk_device *dev, uint32_t *permanent,
		uint32_t *temporary, uint32_t syncobj, bool is_temporary)
{
	uint32_t old_temporary, old_permanent = 0;

	payload_lock(dev);
	old_temporary = *temporary;
	*temporary = is_temporary ? syncobj : 0;
	if (!is_temporary) {
		old_permanent = *permanent;
		*permanent = syncobj;
	}
	payload_unlock(dev);
	if (old_temporary)
		svk_ws_syncobj_destroy(dev->ws, old_temporary);
	if (old_permanent)
		svk_ws_syncobj_destroy(dev->ws, old_permanent);
}

/* Remove a temporary payload (0 if there was none); the caller destroys
 * the syncobj. */
static uint32_t
take_temporary(struct svk_device *dev, uint32_t *temporary)
{
	uint32_t syncobj;

	payload_lock(dev);
	syncobj = *temporary;
	*temporary = 0;
	payload_unlock(dev);
	return syncobj;
}

/*
 * Spec "External synchronization", Valid Usage 10001012/10001013: a
 * device with systemAllocatedMemory imports only SYNC_FD, temporarily.
 * Reported like the extension's other VUIDs; the import fails with
 * VK_ERROR_INVALID_EXTERNAL_HANDLE, the import commands' error for a
 * handle the implementation cannot use, and changes nothing.
 */
static bool
svm_import_allowed(struct svk_device *dev, const char *vuid, bool sync_fd,
		   bool temporary_flag, uint32_t handle_type)
{
	if (sync_fd && temporary_flag)
		return true;
	svk_debug_message(dev->pdev->instance,
			  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
			  "%s: a device with systemAllocatedMemory enabled imports only "
			  "SYNC_FD handles, temporarily (handleType 0x%x%s)", vuid,
			  handle_type, temporary_flag ? "" : ", without the TEMPORARY flag");
	return false;
}

/* Spec, same section, 10001014/10001015: nothing to export. */
static VkResult
svm_export_refused(struct svk_device *dev, const char *vuid)
{
	svk_debug_message(dev->pdev->instance,
			  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
			  "%s: a device with systemAllocatedMemory enabled exports no "
			  "fence or semaphore payload", vuid);
	return VK_ERROR_UNKNOWN;
}

static VkResult
export_payload(struct svk_device *dev, enum payload_kind kind, uint32_t syncobj,
	       int *fd)
{
	switch (kind) {
	case PAYLOAD_SYNCOBJ:
		return svk_ws_syncobj_export_fd(dev->ws, syncobj, fd);
	case PAYLOAD_SYNC_FILE:
		return svk_ws_syncobj_export_sync_file(dev->ws, syncobj, fd);
	default:
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	}
}

/*
 * A SYNC_FD export copies the payload's current fence, and the object may
 * be exported while its signal operation is pending (VUID-
 * VkSemaphoreGetFdInfoKHR-handleType-01136, VUID-VkFenceGetFdInfoKHR-
 * handleType-01454): a pending signal may still be on a queue's deferred
 * list (queue.c), so, while any submission is deferred, wait until it
 * reached the kernel.
 */
static VkResult
wait_signal_submitted(struct svk_device *dev, bool sync_file, uint32_t syncobj)
{
	const uint64_t point = 0;
	VkResult r;

	if (!sync_file || !svk_device_has_deferred(dev))
		return VK_SUCCESS;
	r = svk_ws_syncobj_wait_submitted(dev->ws, &syncobj, &point, 1,
					  UINT64_MAX, true);
	if (r == VK_SUCCESS && svk_device_is_lost(dev))
		r = VK_ERROR_DEVICE_LOST;
	return r;
}

/* ------------------------------------------------------------------ */
/* Semaphores */

void
svk_semaphore_drop_temporary(struct svk_device *dev, struct svk_semaphore *sem)
{
	uint32_t syncobj = take_temporary(dev, &sem->temporary);

	if (syncobj)
		svk_ws_syncobj_destroy(dev->ws, syncobj);
}

uint32_t
svk_svm_imported_waits(const VkSubmitInfo2 *si, struct svmgpu_sync *waits)
{
	uint32_t i, n = 0;

	for (i = 0; si && i < si->waitSemaphoreInfoCount; i++) {
		SVK_FROM_HANDLE(svk_semaphore, sem,
				si->pWaitSemaphoreInfos[i].semaphore);

		/* only binary semaphores have temporary payloads */
		if (sem->temporary)
			waits[n++] = (struct svmgpu_sync){ sem->temporary, 0 };
	}
	return n;
}

void
svk_svm_consume_imported_waits(struct svk_device *dev, const VkSubmitInfo2 *si)
{
	uint32_t i;

	/* Spec "Importing Semaphore Payloads": the wait restores the
	 * permanent payload; the queued job holds the fence it waits for. */
	for (i = 0; si && i < si->waitSemaphoreInfoCount; i++)
		svk_semaphore_drop_temporary(dev,
			svk_semaphore_from_handle(si->pWaitSemaphoreInfos[i].semaphore));
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_ImportSemaphoreFdKHR(VkDevice _device,
			 const VkImportSemaphoreFdInfoKHR *info)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, info->semaphore);
	bool temporary = info->flags & VK_SEMAPHORE_IMPORT_TEMPORARY_BIT;
	uint32_t syncobj;
	VkResult r;

	if (dev->svm &&
	    !svm_import_allowed(dev, "VUID-VkImportSemaphoreFdInfoKHR-handleType-10001012",
				info->handleType == VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
				temporary, info->handleType))
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;

	/* VUID-VkImportSemaphoreFdInfoKHR-handleType-07307: SYNC_FD (copy
	 * transference) only with the TEMPORARY flag; timelines have no
	 * SYNC_FD and no temporary import (-flags-03323). */
	if (info->handleType == VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT)
		temporary = true;
	if (sem->type == VK_SEMAPHORE_TYPE_TIMELINE &&
	    (temporary ||
	     info->handleType != VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT))
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	r = import_payload(dev, semaphore_kind(info->handleType), info->fd,
			   &syncobj);
	if (r != VK_SUCCESS)
		return r;
	install_payload(dev, &sem->syncobj, &sem->temporary, syncobj, temporary);
	if (!temporary)	/* a new permanent payload has no pending signal */
		svk_semaphore_set_pending_signal(dev, sem, 0);
	/* Spec: "Importing semaphore state from a file descriptor transfers
	 * ownership of the file descriptor from the application to the
	 * Vulkan implementation." */
	if (info->fd >= 0)
		close(info->fd);
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetSemaphoreFdKHR(VkDevice _device, const VkSemaphoreGetFdInfoKHR *info,
		      int *pFd)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, info->semaphore);
	VkResult r;

	/* Devices with systemAllocatedMemory export nothing: the
	 * object cannot have been created exportable (user_fence.c). */
	if (dev->svm)
		return svm_export_refused(dev, "VUID-vkGetSemaphoreFdKHR-semaphore-10001014");

	if (sem->type == VK_SEMAPHORE_TYPE_TIMELINE &&
	    info->handleType != VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT)
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	r = wait_signal_submitted(dev, info->handleType ==
				  VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
				  svk_semaphore_syncobj(sem));
	if (r != VK_SUCCESS)
		return r;
	r = export_payload(dev, semaphore_kind(info->handleType),
			   svk_semaphore_syncobj(sem), pFd);
	if (r != VK_SUCCESS ||
	    info->handleType != VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT)
		return r;
	/* Spec, "Importing Semaphore Payloads": exporting a handle with copy
	 * transference "has the same side effects on the source semaphore's
	 * payload as executing a semaphore wait operation": a temporary
	 * payload is consumed, a permanent binary one unsignalled. */
	if (sem->temporary) {
		svk_semaphore_drop_temporary(dev, sem);
	} else {
		svk_ws_syncobj_reset(dev->ws, sem->syncobj);
		/* the signal (reached the kernel above) is consumed */
		svk_semaphore_set_pending_signal(dev, sem, 0);
	}
	return VK_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Fences */

void
svk_fence_drop_temporary(struct svk_device *dev, struct svk_fence *fence)
{
	uint32_t syncobj = take_temporary(dev, &fence->temporary);

	if (syncobj)
		svk_ws_syncobj_destroy(dev->ws, syncobj);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_ImportFenceFdKHR(VkDevice _device, const VkImportFenceFdInfoKHR *info)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_fence, fence, info->fence);
	bool temporary = info->flags & VK_FENCE_IMPORT_TEMPORARY_BIT;
	uint32_t syncobj;
	VkResult r;

	if (dev->svm &&
	    !svm_import_allowed(dev, "VUID-VkImportFenceFdInfoKHR-handleType-10001013",
				info->handleType == VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
				temporary, info->handleType))
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;

	/* VUID-VkImportFenceFdInfoKHR-handleType-07306: SYNC_FD is copy
	 * transference and only imports temporarily. */
	if (info->handleType == VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT)
		temporary = true;
	r = import_payload(dev, fence_kind(info->handleType), info->fd,
			   &syncobj);
	if (r != VK_SUCCESS)
		return r;
	install_payload(dev, &fence->syncobj, &fence->temporary, syncobj,
			temporary);
	if (info->fd >= 0)
		close(info->fd);
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetFenceFdKHR(VkDevice _device, const VkFenceGetFdInfoKHR *info, int *pFd)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_fence, fence, info->fence);
	VkResult r;

	/* Devices with systemAllocatedMemory export nothing: the
	 * object cannot have been created exportable (user_fence.c). */
	if (dev->svm)
		return svm_export_refused(dev, "VUID-vkGetFenceFdKHR-fence-10001015");

	r = wait_signal_submitted(dev, info->handleType ==
				  VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
				  svk_fence_syncobj(fence));
	if (r != VK_SUCCESS)
		return r;
	r = export_payload(dev, fence_kind(info->handleType),
			   svk_fence_syncobj(fence), pFd);
	if (r != VK_SUCCESS ||
	    info->handleType != VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT)
		return r;
	/* Spec, "Importing Fence Payloads": exporting with copy transference
	 * "has the same side effects on the source fence's payload as
	 * executing a fence reset operation", and a temporary payload gives
	 * way to the permanent one first. */
	svk_fence_drop_temporary(dev, fence);
	svk_ws_syncobj_reset(dev->ws, fence->syncobj);
	return VK_SUCCESS;
}
