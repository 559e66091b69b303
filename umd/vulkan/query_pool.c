/* SPDX-License-Identifier: MIT */
/*
 * query_pool.c - VkQueryPool: timestamp queries (spec 17.5 "Timestamp
 * Queries"). Each query is a slot of GPU memory, its value then its
 * availability. vkCmdWriteTimestamp emits TIMESTAMP (the GPU clock in ns,
 * written once every earlier command has completed — the strongest
 * pipeline stage semantics) then WRITE 1 to the availability word;
 * resets zero both. Other query types are refused: they need graphics
 * or pipeline-statistics hardware.
 */
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateQueryPool(VkDevice _device, const VkQueryPoolCreateInfo *pCreateInfo,
		    const VkAllocationCallbacks *pAllocator, VkQueryPool *pPool)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svk_query_pool *pool;
	VkResult r;

	/* Occlusion queries need a graphics queue and pipeline statistics
	 * the pipelineStatisticsQuery feature: neither exists. */
	if (pCreateInfo->queryType != VK_QUERY_TYPE_TIMESTAMP)
		return VK_ERROR_FEATURE_NOT_PRESENT;
	pool = svk_zalloc2(&dev->alloc, pAllocator, sizeof(*pool),
			   VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!pool)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&pool->base, VK_OBJECT_TYPE_QUERY_POOL);
	pool->type = pCreateInfo->queryType;
	pool->count = pCreateInfo->queryCount;
	r = svk_gpu_alloc_init(dev, (uint64_t)pool->count *
			       sizeof(struct svk_query_slot), &pool->mem);
	if (r != VK_SUCCESS) {
		svk_free2(&dev->alloc, pAllocator, pool);
		return r;
	}
	*pPool = svk_query_pool_to_handle(pool);
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroyQueryPool(VkDevice _device, VkQueryPool _pool,
		     const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_query_pool, pool, _pool);

	if (!pool)
		return;
	svk_gpu_alloc_finish(dev, &pool->mem);
	svk_object_finish(&pool->base, &dev->alloc);
	svk_free2(&dev->alloc, pAllocator, pool);
}

static struct svk_query_slot *
slot(struct svk_query_pool *pool, uint32_t q)
{
	return (struct svk_query_slot *)pool->mem.map + q;
}

static uint64_t
slot_va(struct svk_query_pool *pool, uint32_t q)
{
	return pool->mem.va + (uint64_t)q * sizeof(struct svk_query_slot);
}

/* vkResetQueryPool (hostQueryReset, core 1.2) */
VKAPI_ATTR void VKAPI_CALL
svk_ResetQueryPool(VkDevice device, VkQueryPool _pool, uint32_t first,
		   uint32_t count)
{
	SVK_FROM_HANDLE(svk_query_pool, pool, _pool);

	(void)device;
	memset(slot(pool, first), 0, (size_t)count * sizeof(struct svk_query_slot));
	atomic_thread_fence(memory_order_seq_cst);
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdResetQueryPool(VkCommandBuffer commandBuffer, VkQueryPool _pool,
		      uint32_t first, uint32_t count)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	SVK_FROM_HANDLE(svk_query_pool, pool, _pool);

	if (!count)
		return;
	SVK_EMIT(cmd, svmgpu_cmdbuf_emit_fill(cb, slot_va(pool, first),
					      (uint64_t)count *
					      sizeof(struct svk_query_slot), 0));
}

static void
write_timestamp(VkCommandBuffer commandBuffer, VkQueryPool _pool, uint32_t q)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	SVK_FROM_HANDLE(svk_query_pool, pool, _pool);

	SVK_EMIT(cmd, svmgpu_cmdbuf_emit_timestamp(cb, slot_va(pool, q)));
	SVK_EMIT(cmd, svmgpu_cmdbuf_emit_write64(cb, slot_va(pool, q) + 8, 1));
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdWriteTimestamp(VkCommandBuffer commandBuffer,
		      VkPipelineStageFlagBits pipelineStage,
		      VkQueryPool queryPool, uint32_t query)
{
	(void)pipelineStage;
	write_timestamp(commandBuffer, queryPool, query);
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdWriteTimestamp2(VkCommandBuffer commandBuffer,
		       VkPipelineStageFlags2 stage, VkQueryPool queryPool,
		       uint32_t query)
{
	(void)stage;
	write_timestamp(commandBuffer, queryPool, query);
}

static void
store(void *dst, bool is64, uint64_t v)
{
	if (is64) {
		memcpy(dst, &v, 8);
	} else {
		uint32_t w = (uint32_t)v;

		memcpy(dst, &w, 4);
	}
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetQueryPoolResults(VkDevice _device, VkQueryPool _pool, uint32_t first,
			uint32_t count, size_t dataSize, void *pData,
			VkDeviceSize stride, VkQueryResultFlags flags)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_query_pool, pool, _pool);
	bool is64 = flags & VK_QUERY_RESULT_64_BIT;
	VkResult result = VK_SUCCESS;
	uint32_t i;

	(void)dataSize;
	for (i = 0; i < count; i++) {
		_Atomic uint64_t *avail =
			(_Atomic uint64_t *)&slot(pool, first + i)->available;
		char *out = (char *)pData + stride * i;
		bool ready = atomic_load(avail);

		/* VK_QUERY_RESULT_WAIT_BIT: wait for the GPU's write (the
		 * application promises it was submitted). */
		while (!ready && (flags & VK_QUERY_RESULT_WAIT_BIT)) {
			struct timespec ts = { 0, 20000 };

			if (svk_device_is_lost(dev))
				return VK_ERROR_DEVICE_LOST;
			nanosleep(&ts, NULL);
			ready = atomic_load(avail);
		}
		/* spec 17.2: without availability the value is not written
		 * (PARTIAL has no meaning for timestamps: same) */
		if (ready)
			store(out, is64, slot(pool, first + i)->value);
		else
			result = VK_NOT_READY;
		if (flags & VK_QUERY_RESULT_WITH_AVAILABILITY_BIT)
			store(out + (is64 ? 8 : 4), is64, ready);
	}
	return svk_device_is_lost(dev) ? VK_ERROR_DEVICE_LOST : result;
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdCopyQueryPoolResults(VkCommandBuffer commandBuffer, VkQueryPool _pool,
			    uint32_t first, uint32_t count, VkBuffer dstBuffer,
			    VkDeviceSize dstOffset, VkDeviceSize stride,
			    VkQueryResultFlags flags)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	SVK_FROM_HANDLE(svk_query_pool, pool, _pool);
	SVK_FROM_HANDLE(svk_buffer, dst, dstBuffer);
	uint64_t n = (flags & VK_QUERY_RESULT_64_BIT) ? 8 : 4;
	uint32_t i;

	for (i = 0; i < count; i++) {
		uint64_t src = slot_va(pool, first + i);
		uint64_t out = dst->va + dstOffset + stride * i;

		if (flags & VK_QUERY_RESULT_WAIT_BIT)
			SVK_EMIT(cmd, svmgpu_cmdbuf_emit_wait(cb,
					SVMGPU_WAIT_NE | SVMGPU_WAIT_64,
					src + 8, 0, ~0ull));
		/* little-endian: the low half is the 32-bit result; an
		 * unavailable query's value stays as it was (spec 17.2) only
		 * with WAIT; without it the (zero) slot is copied, which is
		 * allowed for PARTIAL and undefined otherwise */
		SVK_EMIT(cmd, svmgpu_cmdbuf_emit_copy(cb, out, src, n));
		if (flags & VK_QUERY_RESULT_WITH_AVAILABILITY_BIT)
			SVK_EMIT(cmd, svmgpu_cmdbuf_emit_copy(cb, out + n, src + 8, n));
	}
}
