/* SPDX-License-Identifier: MIT */
/*
 * event.c - VkEvent: a 32-bit word in GPU memory, 1 when set, 0 when
 * reset. The host reads and writes it through its mapping (coherent);
 * command buffers set/reset it with WRITE (which runs once every earlier
 * command has completed, so the source scope of spec 7.5 "Events" is
 * covered) and wait for it with the engine's WAIT.
 */
#include <stdatomic.h>

#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateEvent(VkDevice _device, const VkEventCreateInfo *pCreateInfo,
		const VkAllocationCallbacks *pAllocator, VkEvent *pEvent)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svk_event *ev;
	VkResult r;

	(void)pCreateInfo;
	ev = svk_zalloc2(&dev->alloc, pAllocator, sizeof(*ev),
			 VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!ev)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&ev->base, VK_OBJECT_TYPE_EVENT);
	r = svk_gpu_alloc_init(dev, 4096, &ev->mem);
	if (r != VK_SUCCESS) {
		svk_free2(&dev->alloc, pAllocator, ev);
		return r;
	}
	/* created unsignalled; BOs read as zero */
	*pEvent = svk_event_to_handle(ev);
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroyEvent(VkDevice _device, VkEvent _event,
		 const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_event, ev, _event);

	if (!ev)
		return;
	svk_gpu_alloc_finish(dev, &ev->mem);
	svk_object_finish(&ev->base, &dev->alloc);
	svk_free2(&dev->alloc, pAllocator, ev);
}

static _Atomic uint32_t *
event_word(struct svk_event *ev)
{
	return (_Atomic uint32_t *)ev->mem.map;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetEventStatus(VkDevice _device, VkEvent _event)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_event, ev, _event);

	if (svk_device_is_lost(dev))
		return VK_ERROR_DEVICE_LOST;
	return atomic_load(event_word(ev)) ? VK_EVENT_SET : VK_EVENT_RESET;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_SetEvent(VkDevice device, VkEvent _event)
{
	SVK_FROM_HANDLE(svk_event, ev, _event);

	(void)device;
	atomic_store(event_word(ev), 1);
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_ResetEvent(VkDevice device, VkEvent _event)
{
	SVK_FROM_HANDLE(svk_event, ev, _event);

	(void)device;
	atomic_store(event_word(ev), 0);
	return VK_SUCCESS;
}

static void
cmd_write_event(VkCommandBuffer commandBuffer, VkEvent _event, uint32_t value)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	SVK_FROM_HANDLE(svk_event, ev, _event);

	SVK_EMIT(cmd, svmgpu_cmdbuf_emit_write32(cb, ev->mem.va, value));
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdSetEvent(VkCommandBuffer commandBuffer, VkEvent event,
		VkPipelineStageFlags stageMask)
{
	(void)stageMask;
	cmd_write_event(commandBuffer, event, 1);
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdSetEvent2(VkCommandBuffer commandBuffer, VkEvent event,
		 const VkDependencyInfo *pDependencyInfo)
{
	(void)pDependencyInfo;
	cmd_write_event(commandBuffer, event, 1);
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdResetEvent(VkCommandBuffer commandBuffer, VkEvent event,
		  VkPipelineStageFlags stageMask)
{
	(void)stageMask;
	cmd_write_event(commandBuffer, event, 0);
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdResetEvent2(VkCommandBuffer commandBuffer, VkEvent event,
		   VkPipelineStageFlags2 stageMask)
{
	(void)stageMask;
	cmd_write_event(commandBuffer, event, 0);
}

static void
cmd_wait_events(VkCommandBuffer commandBuffer, uint32_t count,
		const VkEvent *pEvents)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	uint32_t i;

	/* An event that is never set hangs the queue until the kernel's job
	 * timeout bans it (the device is then lost), as on any GPU. */
	for (i = 0; i < count; i++) {
		SVK_FROM_HANDLE(svk_event, ev, pEvents[i]);

		SVK_EMIT(cmd, svmgpu_cmdbuf_emit_wait(cb, SVMGPU_WAIT_NE,
						      ev->mem.va, 0, 0xffffffff));
	}
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdWaitEvents(VkCommandBuffer commandBuffer, uint32_t eventCount,
		  const VkEvent *pEvents, VkPipelineStageFlags srcStageMask,
		  VkPipelineStageFlags dstStageMask, uint32_t memoryBarrierCount,
		  const VkMemoryBarrier *pMemoryBarriers,
		  uint32_t bufferMemoryBarrierCount,
		  const VkBufferMemoryBarrier *pBufferMemoryBarriers,
		  uint32_t imageMemoryBarrierCount,
		  const VkImageMemoryBarrier *pImageMemoryBarriers)
{
	/* the barriers need nothing more (cmd_copy.c) */
	(void)srcStageMask;
	(void)dstStageMask;
	(void)memoryBarrierCount;
	(void)pMemoryBarriers;
	(void)bufferMemoryBarrierCount;
	(void)pBufferMemoryBarriers;
	(void)imageMemoryBarrierCount;
	(void)pImageMemoryBarriers;
	cmd_wait_events(commandBuffer, eventCount, pEvents);
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdWaitEvents2(VkCommandBuffer commandBuffer, uint32_t eventCount,
		   const VkEvent *pEvents, const VkDependencyInfo *pDependencyInfos)
{
	(void)pDependencyInfos;
	cmd_wait_events(commandBuffer, eventCount, pEvents);
}
