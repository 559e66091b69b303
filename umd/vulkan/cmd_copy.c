/* SPDX-License-Identifier: MIT */
/*
 * cmd_copy.c - transfer commands on buffers (vkCmdCopyBuffer[2],
 * vkCmdFillBuffer, vkCmdUpdateBuffer) and pipeline barriers.
 *
 * Each maps to the engine's COPY, FILL and WRITE commands on the
 * buffers' device addresses. Barriers: the engine runs the commands of a
 * queue strictly in order, each completing before the next starts
 * (docs/hardware.md, "The ring"), and the GPU's accesses to GEM memory
 * are coherent with each other and with the CPU, so every execution and
 * memory dependency within a queue already holds; a barrier emits
 * nothing (spec 7.6 "Pipeline Barriers"). Dependencies across queues
 * and with the host go through semaphores and fences.
 */
#include "svk_private.h"

VKAPI_ATTR void VKAPI_CALL
svk_CmdCopyBuffer2(VkCommandBuffer commandBuffer,
		   const VkCopyBufferInfo2 *pInfo)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	SVK_FROM_HANDLE(svk_buffer, src, pInfo->srcBuffer);
	SVK_FROM_HANDLE(svk_buffer, dst, pInfo->dstBuffer);
	uint32_t i;

	for (i = 0; i < pInfo->regionCount; i++) {
		const VkBufferCopy2 *r = &pInfo->pRegions[i];

		SVK_EMIT(cmd, svmgpu_cmdbuf_emit_copy(cb, dst->va + r->dstOffset,
						  src->va + r->srcOffset,
						  r->size));
	}
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdCopyBuffer(VkCommandBuffer commandBuffer, VkBuffer srcBuffer,
		  VkBuffer dstBuffer, uint32_t regionCount,
		  const VkBufferCopy *pRegions)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	SVK_FROM_HANDLE(svk_buffer, src, srcBuffer);
	SVK_FROM_HANDLE(svk_buffer, dst, dstBuffer);
	uint32_t i;

	for (i = 0; i < regionCount; i++)
		SVK_EMIT(cmd, svmgpu_cmdbuf_emit_copy(cb, dst->va + pRegions[i].dstOffset,
						  src->va + pRegions[i].srcOffset,
						  pRegions[i].size));
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdFillBuffer(VkCommandBuffer commandBuffer, VkBuffer dstBuffer,
		  VkDeviceSize dstOffset, VkDeviceSize size, uint32_t data)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	SVK_FROM_HANDLE(svk_buffer, dst, dstBuffer);

	/* Spec vkCmdFillBuffer: VK_WHOLE_SIZE fills to the end, rounded
	 * down to a multiple of 4. */
	if (size == VK_WHOLE_SIZE)
		size = (dst->size - dstOffset) & ~(VkDeviceSize)3;
	if (!size)
		return;
	SVK_EMIT(cmd, svmgpu_cmdbuf_emit_fill(cb, dst->va + dstOffset, size, data));
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdUpdateBuffer(VkCommandBuffer commandBuffer, VkBuffer dstBuffer,
		    VkDeviceSize dstOffset, VkDeviceSize dataSize,
		    const void *pData)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	SVK_FROM_HANDLE(svk_buffer, dst, dstBuffer);
	const uint8_t *p = pData;
	uint64_t va = dst->va + dstOffset;
	VkDeviceSize off = 0;

	/* dstOffset and dataSize are multiples of 4, dataSize <= 65536
	 * (VUID-vkCmdUpdateBuffer-dataSize-00037/-00038): the data goes
	 * into the batch as WRITE commands, 64-bit where aligned. */
	while (off < dataSize) {
		if (!((va + off) & 7) && dataSize - off >= 8) {
			uint64_t v;

			memcpy(&v, p + off, 8);
			SVK_EMIT(cmd, svmgpu_cmdbuf_emit_write64(cb, va + off, v));
			off += 8;
		} else {
			uint32_t v;

			memcpy(&v, p + off, 4);
			SVK_EMIT(cmd, svmgpu_cmdbuf_emit_write32(cb, va + off, v));
			off += 4;
		}
		if (cmd->record_result != VK_SUCCESS)
			return;
	}
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdPipelineBarrier(VkCommandBuffer commandBuffer,
		       VkPipelineStageFlags srcStageMask,
		       VkPipelineStageFlags dstStageMask,
		       VkDependencyFlags dependencyFlags,
		       uint32_t memoryBarrierCount,
		       const VkMemoryBarrier *pMemoryBarriers,
		       uint32_t bufferMemoryBarrierCount,
		       const VkBufferMemoryBarrier *pBufferMemoryBarriers,
		       uint32_t imageMemoryBarrierCount,
		       const VkImageMemoryBarrier *pImageMemoryBarriers)
{
	/* In-order, coherent engine: see the comment at the top. */
	(void)commandBuffer;
	(void)srcStageMask;
	(void)dstStageMask;
	(void)dependencyFlags;
	(void)memoryBarrierCount;
	(void)pMemoryBarriers;
	(void)bufferMemoryBarrierCount;
	(void)pBufferMemoryBarriers;
	(void)imageMemoryBarrierCount;
	(void)pImageMemoryBarriers;
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdPipelineBarrier2(VkCommandBuffer commandBuffer,
			const VkDependencyInfo *pDependencyInfo)
{
	(void)commandBuffer;
	(void)pDependencyInfo;
}
