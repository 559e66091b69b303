/* SPDX-License-Identifier: MIT */
/*
 * buffer.c - VkBuffer: a range of device memory. Binding gives it its
 * device address: the memory's GPU VA plus the offset, in the device's
 * VM (VK_KHR_buffer_device_address, core in 1.2).
 */
#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateBuffer(VkDevice _device, const VkBufferCreateInfo *pCreateInfo,
		 const VkAllocationCallbacks *pAllocator, VkBuffer *pBuffer)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svk_buffer *buf;

	/* No sparse binding (the feature is not supported). */
	if (pCreateInfo->flags & (VK_BUFFER_CREATE_SPARSE_BINDING_BIT |
				  VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT |
				  VK_BUFFER_CREATE_SPARSE_ALIASED_BIT |
				  VK_BUFFER_CREATE_PROTECTED_BIT))
		return VK_ERROR_FEATURE_NOT_PRESENT;
	buf = svk_zalloc2(&dev->alloc, pAllocator, sizeof(*buf),
			  VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!buf)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&buf->base, VK_OBJECT_TYPE_BUFFER);
	buf->size = pCreateInfo->size;
	buf->usage = pCreateInfo->usage;
	buf->flags = pCreateInfo->flags;
	*pBuffer = svk_buffer_to_handle(buf);
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroyBuffer(VkDevice _device, VkBuffer _buffer,
		  const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_buffer, buf, _buffer);

	if (!buf)
		return;
	svk_object_finish(&buf->base, &dev->alloc);
	svk_free2(&dev->alloc, pAllocator, buf);
}

static void
buffer_requirements(struct svk_device *dev, VkDeviceSize size,
		    VkMemoryRequirements *req)
{
	/* 64 bytes: enough for any use the limits allow (storage/uniform
	 * offsets are 256-aligned by the application itself). */
	req->size = SVK_ALIGN(size, 64);
	req->alignment = 64;
	req->memoryTypeBits = 1;
	(void)dev;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetBufferMemoryRequirements(VkDevice _device, VkBuffer _buffer,
				VkMemoryRequirements *pReq)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_buffer, buf, _buffer);

	buffer_requirements(dev, buf->size, pReq);
}

static void
fill_requirements2(struct svk_device *dev, VkDeviceSize size,
		   VkMemoryRequirements2 *req)
{
	VkBaseOutStructure *s;

	buffer_requirements(dev, size, &req->memoryRequirements);
	for (s = req->pNext; s; s = s->pNext) {
		if (s->sType == VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS) {
			VkMemoryDedicatedRequirements *d = (void *)s;

			d->prefersDedicatedAllocation = VK_FALSE;
			d->requiresDedicatedAllocation = VK_FALSE;
		}
	}
}

VKAPI_ATTR void VKAPI_CALL
svk_GetBufferMemoryRequirements2(VkDevice _device,
				 const VkBufferMemoryRequirementsInfo2 *pInfo,
				 VkMemoryRequirements2 *pReq)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_buffer, buf, pInfo->buffer);

	fill_requirements2(dev, buf->size, pReq);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_BindBufferMemory2(VkDevice device, uint32_t count,
		      const VkBindBufferMemoryInfo *pInfos)
{
	uint32_t i;

	(void)device;
	for (i = 0; i < count; i++) {
		SVK_FROM_HANDLE(svk_buffer, buf, pInfos[i].buffer);
		SVK_FROM_HANDLE(svk_device_memory, mem, pInfos[i].memory);

		/* the memory is already in the VM: nothing to map */
		buf->va = mem->va + pInfos[i].memoryOffset;
	}
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_BindBufferMemory(VkDevice device, VkBuffer buffer, VkDeviceMemory memory,
		     VkDeviceSize offset)
{
	VkBindBufferMemoryInfo info = {
		.sType = VK_STRUCTURE_TYPE_BIND_BUFFER_MEMORY_INFO,
		.buffer = buffer,
		.memory = memory,
		.memoryOffset = offset,
	};

	return svk_BindBufferMemory2(device, 1, &info);
}

VKAPI_ATTR VkDeviceAddress VKAPI_CALL
svk_GetBufferDeviceAddress(VkDevice device, const VkBufferDeviceAddressInfo *pInfo)
{
	SVK_FROM_HANDLE(svk_buffer, buf, pInfo->buffer);

	(void)device;
	return buf->va;
}

VKAPI_ATTR uint64_t VKAPI_CALL
svk_GetBufferOpaqueCaptureAddress(VkDevice device,
				  const VkBufferDeviceAddressInfo *pInfo)
{
	(void)device;
	(void)pInfo;
	/* A buffer's address follows from its memory's (which has its own
	 * capture address) and its offset, so buffers need none: 0, and
	 * VkBufferOpaqueCaptureAddressCreateInfo is ignored on replay. */
	return 0;
}
