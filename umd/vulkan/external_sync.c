/* SPDX-License-Identifier: MIT */
/*
 * external_sync.c - sharing VkFence and VkSemaphore payloads:
 * VK_KHR_external_fence_fd and VK_KHR_external_semaphore_fd, with the core
 * 1.1 capability queries. The payloads belong to the device's sync
 * backend (sync.h); this file is the part common to both.
 *
 * OPAQUE_FD is the syncobj itself as a file (reference transference: an
 * import shares the payload); SYNC_FD is a sync_file of the syncobj's
 * current fence (copy transference: always a temporary import, spec
 * "Importing Semaphore Payloads" and "Importing Fence Payloads"). A
 * temporary import puts the payload in a second syncobj that the
 * object uses instead of its own until it is consumed: by a queue wait
 * for a semaphore, by vkResetFences for a fence, or by exporting a
 * SYNC_FD from it. Timeline semaphores only have OPAQUE_FD.
 *
 * What each backend shares is in its svk_sync_type (@exports, @imports:
 * the capability queries answer from them; @check_import, @export):
 * the syncobj backend shares everything above. On a device with
 * systemAllocatedMemory (VK_EXT_system_allocated_memory, "External
 * synchronization") the permanent payloads are user fences
 * (sync_user_fence.c), which no DMA fence can represent: nothing is
 * exported, and the only import is a temporary SYNC_FD into a fence or a
 * binary semaphore. It is kept the same way, a syncobj holding the
 * sync_file's fence in svk_sync.temporary: a host wait on the fence
 * waits for that syncobj, and a queue wait on the semaphore hands it to
 * the kernel as a WAIT sync of an empty job ahead of the submission's
 * work (fault-mode EXEC may wait on syncobjs; only signalling them is
 * refused), which consumes it. Temporary payloads change under
 * svk_device.sync_lock (sync.c), which the user-fence backend's host
 * waits hold to read them.
 */
#include <unistd.h>

#include "svk_private.h"

/* The handle-type bit of each way of sharing a payload, for a fence and
 * for a semaphore (their bits differ). */
static const struct {
	VkExternalFenceHandleTypeFlagBits fence;
	VkExternalSemaphoreHandleTypeFlagBits semaphore;
} handle_bits[] = {
	[SVK_SYNC_HANDLE_OPAQUE_FD] = {
		VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT,
		VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
	},
	[SVK_SYNC_HANDLE_SYNC_FILE] = {
		VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
		VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
	},
};

static uint32_t
handle_bit(enum svk_sync_handle h, bool fence)
{
	return fence ? (uint32_t)handle_bits[h].fence :
		       (uint32_t)handle_bits[h].semaphore;
}

/* The way of sharing of one handle type of a fence or semaphore. */
static enum svk_sync_handle
handle_of(uint32_t type, bool fence)
{
	enum svk_sync_handle h;

	for (h = SVK_SYNC_HANDLE_OPAQUE_FD; h < SVK_ARRAY_SIZE(handle_bits); h++)
		if (type == handle_bit(h, fence))
			return h;
	return SVK_SYNC_HANDLE_NONE;
}

/* The handle types of a set of SVK_SYNC_HANDLE_BIT()s. */
static uint32_t
types_of(uint32_t handles, bool fence)
{
	enum svk_sync_handle h;
	uint32_t types = 0;

	for (h = SVK_SYNC_HANDLE_OPAQUE_FD; h < SVK_ARRAY_SIZE(handle_bits); h++)
		if (handles & SVK_SYNC_HANDLE_BIT(h))
			types |= handle_bit(h, fence);
	return types;
}

/* ------------------------------------------------------------------ */
/* Capabilities */

/*
 * Does the query ask about a device with systemAllocatedMemory enabled
 * (whose sync backend is the user-fence one)?
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

/*
 * A backend's answer for a payload of @kind and handle @handle: what it
 * exports and imports (SVK_SYNC_HANDLE_BIT()s). @handle is compatible
 * with, and exportable from a payload imported from, the handles the
 * backend has for the kind. @pdev without the backend (no fault mode
 * for the user-fence one): nothing.
 */
struct caps {
	uint32_t export_from_imported, compatible;
	bool exportable, importable;
};

static struct caps
sync_caps(const struct svk_physical_device *pdev, const void *chain,
	  enum svk_sync_kind kind, enum svk_sync_handle handle)
{
	bool user_fence = query_for_svm_device(chain);
	const struct svk_sync_type *t = svk_sync_type_select(user_fence);
	uint32_t all = t->exports[kind] | t->imports[kind];
	struct caps c = { 0 };

	/* No device with user fences exists where the extension is not
	 * supported: nothing works there. */
	if ((user_fence && !svk_svm_supported(pdev)) ||
	    !(all & SVK_SYNC_HANDLE_BIT(handle)))
		return c;
	c.export_from_imported = t->exports[kind];
	c.compatible = all;
	c.exportable = t->exports[kind] & SVK_SYNC_HANDLE_BIT(handle);
	c.importable = t->imports[kind] & SVK_SYNC_HANDLE_BIT(handle);
	return c;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceExternalSemaphoreProperties(VkPhysicalDevice physicalDevice,
						 const VkPhysicalDeviceExternalSemaphoreInfo *info,
						 VkExternalSemaphoreProperties *p)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);
	const VkSemaphoreTypeCreateInfo *type =
		svk_find_struct(info->pNext,
				VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO);
	bool timeline = type && type->semaphoreType == VK_SEMAPHORE_TYPE_TIMELINE;
	struct caps c = sync_caps(pdev, info->pNext,
				  timeline ? SVK_SYNC_TIMELINE : SVK_SYNC_BINARY,
				  handle_of(info->handleType, false));

	/* One syncobj exports both types; a semaphore whose payload was
	 * imported from either is still a syncobj. With user fences, a
	 * binary semaphore imports a sync file temporarily, nothing else
	 * (spec "External synchronization", "Queries"). */
	p->exportFromImportedHandleTypes = types_of(c.export_from_imported, false);
	p->compatibleHandleTypes = types_of(c.compatible, false);
	p->externalSemaphoreFeatures =
		(c.exportable ? VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT : 0) |
		(c.importable ? VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT : 0);
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceExternalFenceProperties(VkPhysicalDevice physicalDevice,
					     const VkPhysicalDeviceExternalFenceInfo *info,
					     VkExternalFenceProperties *p)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);
	struct caps c = sync_caps(pdev, info->pNext, SVK_SYNC_FENCE,
				  handle_of(info->handleType, true));

	/* as for semaphores */
	p->exportFromImportedHandleTypes = types_of(c.export_from_imported, true);
	p->compatibleHandleTypes = types_of(c.compatible, true);
	p->externalFenceFeatures =
		(c.exportable ? VK_EXTERNAL_FENCE_FEATURE_EXPORTABLE_BIT : 0) |
		(c.importable ? VK_EXTERNAL_FENCE_FEATURE_IMPORTABLE_BIT : 0);
}

/* ------------------------------------------------------------------ */
/* Import and export, for fences and semaphores */

/*
 * A new syncobj holding @fd's payload: the syncobj file for OPAQUE_FD,
 * the sync_file's fence for SYNC_FD (-1: "an object that has already
 * signaled", spec for both VkImportSemaphoreFdInfoKHR and
 * VkImportFenceFdInfoKHR).
 */
static VkResult
syncobj_from_fd(struct svk_device *dev, enum svk_sync_handle handle, int fd,
		uint32_t *syncobj)
{
	VkResult r;

	switch (handle) {
	case SVK_SYNC_HANDLE_OPAQUE_FD:
		return svk_ws_syncobj_import_fd(dev->ws, fd, syncobj);
	case SVK_SYNC_HANDLE_SYNC_FILE:
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

/*
 * Import @fd (of the application's @handle_type) into @sync, temporarily
 * if @temporary. The backend may refuse it first (reporting @vuid); the
 * import changes nothing and leaves the descriptor to the application
 * unless it succeeds.
 */
static VkResult
import_fd(struct svk_device *dev, struct svk_sync *sync,
	  enum svk_sync_handle handle, uint32_t handle_type, int fd,
	  bool temporary, const char *vuid)
{
	uint32_t syncobj;
	VkResult r;

	if (dev->sync->check_import &&
	    !dev->sync->check_import(dev, vuid, handle, temporary, handle_type))
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	/* VUID-VkImportSemaphoreFdInfoKHR-handleType-07307, VUID-
	 * VkImportFenceFdInfoKHR-handleType-07306: SYNC_FD (copy
	 * transference) only imports temporarily; timelines have no
	 * SYNC_FD and no temporary import (-flags-03323). */
	if (handle == SVK_SYNC_HANDLE_SYNC_FILE)
		temporary = true;
	if (sync->kind == SVK_SYNC_TIMELINE &&
	    (temporary || handle != SVK_SYNC_HANDLE_OPAQUE_FD))
		return VK_ERROR_INVALID_EXTERNAL_HANDLE;
	r = syncobj_from_fd(dev, handle, fd, &syncobj);
	if (r != VK_SUCCESS)
		return r;
	if (temporary)
		svk_sync_set_temporary(dev, sync, syncobj);
	else	/* check_import let no permanent import through otherwise */
		dev->sync->import_permanent(dev, sync, syncobj);
	/* Spec: "Importing semaphore state from a file descriptor transfers
	 * ownership of the file descriptor from the application to the
	 * Vulkan implementation." (and the same for fences) */
	if (fd >= 0)
		close(fd);
	return VK_SUCCESS;
}

/*
 * Export @sync's payload in use as @handle. A SYNC_FD export has the side
 * effects the spec gives copy transference ("Importing Semaphore
 * Payloads", "Importing Fence Payloads"): for a semaphore, "the same side
 * effects on the source semaphore's payload as executing a semaphore wait
 * operation" (a temporary payload is consumed, a permanent binary one
 * unsignalled); for a fence, those of a fence reset (a temporary payload
 * gives way to the permanent one first).
 */
static VkResult
export_fd(struct svk_device *dev, struct svk_sync *sync,
	  enum svk_sync_handle handle, int *fd, const char *vuid)
{
	VkResult r = dev->sync->export(dev, sync, handle, fd, vuid);

	if (r != VK_SUCCESS || handle != SVK_SYNC_HANDLE_SYNC_FILE)
		return r;
	if (sync->kind != SVK_SYNC_FENCE && sync->temporary)
		svk_sync_drop_temporary(dev, sync);
	else
		svk_sync_reset(dev, sync);
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_ImportSemaphoreFdKHR(VkDevice _device,
			 const VkImportSemaphoreFdInfoKHR *info)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, info->semaphore);

	return import_fd(dev, &sem->sync, handle_of(info->handleType, false),
			 info->handleType, info->fd,
			 info->flags & VK_SEMAPHORE_IMPORT_TEMPORARY_BIT,
			 "VUID-VkImportSemaphoreFdInfoKHR-handleType-10001012");
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetSemaphoreFdKHR(VkDevice _device, const VkSemaphoreGetFdInfoKHR *info,
		      int *pFd)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_semaphore, sem, info->semaphore);

	return export_fd(dev, &sem->sync, handle_of(info->handleType, false),
			 pFd, "VUID-vkGetSemaphoreFdKHR-semaphore-10001014");
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_ImportFenceFdKHR(VkDevice _device, const VkImportFenceFdInfoKHR *info)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_fence, fence, info->fence);

	return import_fd(dev, &fence->sync, handle_of(info->handleType, true),
			 info->handleType, info->fd,
			 info->flags & VK_FENCE_IMPORT_TEMPORARY_BIT,
			 "VUID-VkImportFenceFdInfoKHR-handleType-10001013");
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetFenceFdKHR(VkDevice _device, const VkFenceGetFdInfoKHR *info, int *pFd)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_fence, fence, info->fence);

	return export_fd(dev, &fence->sync, handle_of(info->handleType, true),
			 pFd, "VUID-vkGetFenceFdKHR-fence-10001015");
}
