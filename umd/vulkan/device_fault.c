/* SPDX-License-Identifier: MIT */
/*
 * device_fault.c - device loss from banned queues, and VK_EXT_device_fault:
 * vkGetDeviceFaultInfoEXT describes the fault that banned a queue, from
 * svmgpu_queue_get_state() (spec of VK_EXT_system_allocated_memory,
 * "Fault reporting": address, READ/WRITE_INVALID, precision 1, a
 * description of the reason, the kernel's reason code and the access as
 * vendor info).
 */
#include <errno.h>
#include <stdio.h>

#include "svk_private.h"

/* If a queue of @dev is banned, mark the device lost. */
VkResult
svk_device_check_lost(struct svk_device *dev)
{
	uint32_t i;

	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	for (i = 0; i < dev->queue_count; i++)
		if (svk_ws_queue_lost(dev->queues[i]->ws))
			return svk_device_set_lost(dev, "queue banned");
	return VK_SUCCESS;
}

static const char *
reason_text(uint32_t reason)
{
	switch (reason) {
	case DRM_SVMGPU_FAULT_NO_VMA:		return "no CPU mapping";
	case DRM_SVMGPU_FAULT_ACCESS:		return "CPU mapping forbids the access";
	case DRM_SVMGPU_FAULT_NO_WINDOW:	return "outside the mirror";
	case DRM_SVMGPU_FAULT_UNMIRRORABLE:	return "device-memory mapping cannot be mirrored";
	case DRM_SVMGPU_FAULT_NO_MM:		return "process exited";
	case DRM_SVMGPU_FAULT_NO_MEMORY:	return "out of memory";
	case DRM_SVMGPU_FAULT_ATTR_ACCESS:	return "range attribute forbids the access";
	case 1:	return "not present";		/* SVMGPU_FAULT_* of the engine */
	case 2:	return "write to a read-only page";
	case 3:	return "bad page-table entry";
	case 4:	return "address out of range";
	default: return "unknown reason";
	}
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetDeviceFaultInfoEXT(VkDevice _device, VkDeviceFaultCountsEXT *pFaultCounts,
			  VkDeviceFaultInfoEXT *pFaultInfo)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svmgpu_queue_state st = { 0 }, s;
	bool found = false;
	uint32_t i, naddr, nvendor;
	VkResult r = VK_SUCCESS;
	char desc[VK_MAX_DESCRIPTION_SIZE];

	/* The first banned queue (a device has few; the kernel keeps one
	 * fault per queue). */
	for (i = 0; i < dev->queue_count && !found; i++) {
		if (svk_ws_queue_state(dev->queues[i]->ws, &s) || !s.banned)
			continue;
		st = s;
		found = true;
	}
	if (!found) {
		naddr = nvendor = 0;
		desc[0] = 0;
	} else if (st.fault_reason) {
		naddr = nvendor = 1;
		snprintf(desc, sizeof(desc), "GPU page fault: %s",
			 reason_text(st.fault_reason));
	} else {
		naddr = 0;
		nvendor = 1;
		snprintf(desc, sizeof(desc), "%s",
			 st.error == -ETIMEDOUT ? "GPU hang (job timed out)" :
			 "invalid command");
	}
	if (!pFaultInfo) {
		pFaultCounts->addressInfoCount = naddr;
		pFaultCounts->vendorInfoCount = nvendor;
		pFaultCounts->vendorBinarySize = 0;
		return VK_SUCCESS;
	}
	memcpy(pFaultInfo->description, desc, sizeof(desc));
	if (pFaultCounts->addressInfoCount < naddr ||
	    pFaultCounts->vendorInfoCount < nvendor)
		r = VK_INCOMPLETE;
	naddr = SVK_MIN(naddr, pFaultCounts->addressInfoCount);
	nvendor = SVK_MIN(nvendor, pFaultCounts->vendorInfoCount);
	if (naddr && pFaultInfo->pAddressInfos) {
		VkDeviceFaultAddressInfoEXT *a = &pFaultInfo->pAddressInfos[0];

		a->addressType = st.fault_access == 0 ?
				 VK_DEVICE_FAULT_ADDRESS_TYPE_READ_INVALID_EXT :
				 VK_DEVICE_FAULT_ADDRESS_TYPE_WRITE_INVALID_EXT;
		a->reportedAddress = st.fault_address;
		a->addressPrecision = 1;	/* the engine reports the byte */
	}
	if (nvendor && pFaultInfo->pVendorInfos) {
		VkDeviceFaultVendorInfoEXT *v = &pFaultInfo->pVendorInfos[0];

		memcpy(v->description, desc, sizeof(desc));
		v->vendorFaultCode = st.fault_reason;
		v->vendorFaultData = st.fault_access;
	}
	pFaultCounts->addressInfoCount = naddr;
	pFaultCounts->vendorInfoCount = nvendor;
	pFaultCounts->vendorBinarySize = 0;
	return r;
}
