/* SPDX-License-Identifier: MIT */
/*
 * cmd_pool.c - VkCommandPool: owns the command buffers allocated from it
 * (a list), which reset and go with it.
 */
#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateCommandPool(VkDevice _device, const VkCommandPoolCreateInfo *pCreateInfo,
		      const VkAllocationCallbacks *pAllocator, VkCommandPool *pPool)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	struct svk_cmd_pool *pool;

	if (pCreateInfo->flags & VK_COMMAND_POOL_CREATE_PROTECTED_BIT)
		return VK_ERROR_FEATURE_NOT_PRESENT;	/* no protectedMemory */
	pool = svk_zalloc2(&dev->alloc, pAllocator, sizeof(*pool),
			   VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!pool)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&pool->base, VK_OBJECT_TYPE_COMMAND_POOL);
	pool->alloc = pAllocator ? *pAllocator : dev->alloc;
	pool->family = pCreateInfo->queueFamilyIndex;
	pool->flags = pCreateInfo->flags;
	*pPool = svk_cmd_pool_to_handle(pool);
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroyCommandPool(VkDevice _device, VkCommandPool _pool,
		       const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_cmd_pool, pool, _pool);

	if (!pool)
		return;
	/* Spec: destroying a pool frees its command buffers. */
	while (pool->buffers)
		svk_cmd_buffer_destroy(pool->buffers);
	svk_object_finish(&pool->base, &dev->alloc);
	svk_free2(&dev->alloc, pAllocator, pool);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_ResetCommandPool(VkDevice device, VkCommandPool _pool,
		     VkCommandPoolResetFlags flags)
{
	SVK_FROM_HANDLE(svk_cmd_pool, pool, _pool);
	struct svk_cmd_buffer *cmd;
	VkResult r;

	for (cmd = pool->buffers; cmd; cmd = cmd->pool_next) {
		r = svk_ResetCommandBuffer(svk_cmd_buffer_to_handle(cmd),
			(flags & VK_COMMAND_POOL_RESET_RELEASE_RESOURCES_BIT) ?
			VK_COMMAND_BUFFER_RESET_RELEASE_RESOURCES_BIT : 0);
		if (r != VK_SUCCESS)
			return r;
	}
	(void)device;
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_TrimCommandPool(VkDevice device, VkCommandPool commandPool,
		    VkCommandPoolTrimFlags flags)
{
	/* Nothing is cached in the pool itself. */
	(void)device;
	(void)commandPool;
	(void)flags;
}
