/* SPDX-License-Identifier: MIT */
/*
 * cmd_buffer.c - VkCommandBuffer: allocation, the recording state machine
 * (spec 6.1 "Command Buffer Lifecycle") and the batches commands are
 * written into.
 *
 * A command buffer records into a chain of GEM-backed batch chunks of
 * SVK_BATCH_CHUNK_SIZE bytes, each mapped in the device's VM. When a
 * chunk is full the next is opened; vkQueueSubmit runs each non-empty
 * chunk as one job. Chunks are kept across resets and reused.
 *
 * vkCmdExecuteCommands links a secondary command buffer in: a link entry
 * (no BO) goes after the current chunk and recording continues in the
 * next chunk, so the secondary's batches run between the two. Links are
 * dropped by reset.
 */
#include <errno.h>

#include "svk_private.h"

static void
chunk_destroy(struct svk_device *dev, struct svk_batch_chunk *c)
{
	svmgpu_cmdbuf_destroy(c->cmd);
	svk_ws_vm_unmap(dev->vm, c->va, SVK_BATCH_CHUNK_SIZE);
	svk_va_free(&dev->va, c->va, SVK_BATCH_CHUNK_SIZE);
	svk_ws_bo_destroy(c->bo);
	svk_free(&dev->alloc, c);
}

static VkResult
chunk_create(struct svk_cmd_buffer *cmd, struct svk_batch_chunk **out)
{
	struct svk_device *dev = cmd->device;
	struct svk_batch_chunk *c;
	void *map;
	VkResult r;

	c = svk_zalloc(&dev->alloc, sizeof(*c), VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!c)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	r = svk_ws_bo_create(dev->ws, SVK_BATCH_CHUNK_SIZE, &c->bo, &map);
	if (r != VK_SUCCESS)
		goto err_free;
	r = svk_va_alloc(&dev->va, SVK_BATCH_CHUNK_SIZE, 4096, 0, &c->va);
	if (r != VK_SUCCESS)
		goto err_bo;
	r = svk_ws_vm_map(dev->vm, c->bo, c->va, SVK_BATCH_CHUNK_SIZE);
	if (r != VK_SUCCESS)
		goto err_va;
	r = svk_ws_cmdbuf_create(c->bo, SVK_BATCH_CHUNK_SIZE, c->va, &c->cmd);
	if (r != VK_SUCCESS)
		goto err_map;
	*out = c;
	return VK_SUCCESS;

err_map:
	svk_ws_vm_unmap(dev->vm, c->va, SVK_BATCH_CHUNK_SIZE);
err_va:
	svk_va_free(&dev->va, c->va, SVK_BATCH_CHUNK_SIZE);
err_bo:
	svk_ws_bo_destroy(c->bo);
err_free:
	svk_free(&dev->alloc, c);
	return r;
}

/* Make the chunk after cur (reusing an own one that is there) current. */
static bool
next_chunk(struct svk_cmd_buffer *cmd)
{
	struct svk_batch_chunk *c = cmd->cur->next;

	if (c && !c->secondary) {
		svmgpu_cmdbuf_reset(c->cmd);
		cmd->cur = c;
		return true;
	}
	cmd->record_result = chunk_create(cmd, &c);
	if (cmd->record_result != VK_SUCCESS)
		return false;
	c->next = cmd->cur->next;
	cmd->cur->next = c;
	if (cmd->chunks_tail == cmd->cur)
		cmd->chunks_tail = c;
	cmd->chunk_count++;
	cmd->cur = c;
	return true;
}

struct svmgpu_cmdbuf *
svk_cmd_chunk(struct svk_cmd_buffer *cmd)
{
	if (cmd->record_result != VK_SUCCESS)
		return NULL;
	if (cmd->cur && cmd->cur->secondary) {
		/* just after an executed secondary */
		if (!next_chunk(cmd))
			return NULL;
	}
	if (!cmd->cur) {
		if (!cmd->chunks) {
			struct svk_batch_chunk *c;

			cmd->record_result = chunk_create(cmd, &c);
			if (cmd->record_result != VK_SUCCESS)
				return NULL;
			cmd->chunks = cmd->chunks_tail = c;
			cmd->chunk_count = 1;
		}
		cmd->cur = cmd->chunks;
	}
	return cmd->cur->cmd;
}

bool
svk_cmd_retry(struct svk_cmd_buffer *cmd, int err)
{
	if (err != -ENOSPC) {
		/* the arguments were checked by the caller: a driver bug */
		cmd->record_result = VK_ERROR_UNKNOWN;
		return false;
	}
	return next_chunk(cmd);
}

VkResult
svk_cmd_for_each_batch(struct svk_cmd_buffer *cmd,
		       VkResult (*fn)(void *data, uint64_t addr, uint64_t size),
		       void *data)
{
	struct svk_batch_chunk *c;
	VkResult r;

	for (c = cmd->chunks; c; c = c->next) {
		uint64_t addr, size;

		if (c->secondary) {
			r = svk_cmd_for_each_batch(c->secondary, fn, data);
			if (r != VK_SUCCESS)
				return r;
			continue;
		}
		svmgpu_cmdbuf_get_batch(c->cmd, &addr, &size);
		if (!size)
			continue;
		r = fn(data, addr, size);
		if (r != VK_SUCCESS)
			return r;
	}
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdExecuteCommands(VkCommandBuffer commandBuffer, uint32_t count,
		       const VkCommandBuffer *pCommandBuffers)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	uint32_t i;

	for (i = 0; i < count; i++) {
		struct svk_batch_chunk *link;

		if (!svk_cmd_chunk(cmd))
			return;
		link = svk_zalloc(&cmd->device->alloc, sizeof(*link),
				  VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
		if (!link) {
			cmd->record_result = VK_ERROR_OUT_OF_HOST_MEMORY;
			return;
		}
		link->secondary = svk_cmd_buffer_from_handle(pCommandBuffers[i]);
		link->next = cmd->cur->next;
		cmd->cur->next = link;
		if (cmd->chunks_tail == cmd->cur)
			cmd->chunks_tail = link;
		cmd->cur = link;
	}
}

static void
cmd_reset(struct svk_cmd_buffer *cmd, bool release)
{
	struct svk_batch_chunk *c, *next, **p;

	/* links to secondaries belong to one recording */
	cmd->chunks_tail = NULL;
	for (p = &cmd->chunks; (c = *p);) {
		if (c->secondary) {
			*p = c->next;
			svk_free(&cmd->device->alloc, c);
		} else {
			cmd->chunks_tail = c;
			p = &c->next;
		}
	}
	if (release) {
		/* keep one chunk: most command buffers fit in it */
		for (c = cmd->chunks ? cmd->chunks->next : NULL; c; c = next) {
			next = c->next;
			chunk_destroy(cmd->device, c);
		}
		if (cmd->chunks) {
			cmd->chunks->next = NULL;
			cmd->chunks_tail = cmd->chunks;
			cmd->chunk_count = 1;
		}
	}
	for (c = cmd->chunks; c; c = c->next)
		svmgpu_cmdbuf_reset(c->cmd);
	cmd->cur = NULL;
	cmd->record_result = VK_SUCCESS;
	cmd->state = SVK_CMD_INITIAL;
}

void
svk_cmd_buffer_destroy(struct svk_cmd_buffer *cmd)
{
	struct svk_cmd_pool *pool = cmd->pool;
	struct svk_batch_chunk *c, *next;

	for (c = cmd->chunks; c; c = next) {
		next = c->next;
		if (c->secondary)
			svk_free(&cmd->device->alloc, c);
		else
			chunk_destroy(cmd->device, c);
	}
	if (cmd->pool_prev)
		cmd->pool_prev->pool_next = cmd->pool_next;
	else
		pool->buffers = cmd->pool_next;
	if (cmd->pool_next)
		cmd->pool_next->pool_prev = cmd->pool_prev;
	svk_object_finish(&cmd->base, &pool->alloc);
	svk_free(&pool->alloc, cmd);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_AllocateCommandBuffers(VkDevice _device,
			   const VkCommandBufferAllocateInfo *pAllocateInfo,
			   VkCommandBuffer *pCommandBuffers)
{
	SVK_FROM_HANDLE(svk_device, dev, _device);
	SVK_FROM_HANDLE(svk_cmd_pool, pool, pAllocateInfo->commandPool);
	uint32_t i;

	for (i = 0; i < pAllocateInfo->commandBufferCount; i++) {
		struct svk_cmd_buffer *cmd =
			svk_zalloc(&pool->alloc, sizeof(*cmd),
				   VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);

		if (!cmd) {
			/* Spec: on failure, free what was allocated and set
			 * every element to VK_NULL_HANDLE. */
			svk_FreeCommandBuffers(_device, pAllocateInfo->commandPool,
					       i, pCommandBuffers);
			for (i = 0; i < pAllocateInfo->commandBufferCount; i++)
				pCommandBuffers[i] = VK_NULL_HANDLE;
			return VK_ERROR_OUT_OF_HOST_MEMORY;
		}
		svk_object_init(&cmd->base, VK_OBJECT_TYPE_COMMAND_BUFFER);
		cmd->device = dev;
		cmd->pool = pool;
		cmd->level = pAllocateInfo->level;
		cmd->state = SVK_CMD_INITIAL;
		cmd->pool_next = pool->buffers;
		if (pool->buffers)
			pool->buffers->pool_prev = cmd;
		pool->buffers = cmd;
		pCommandBuffers[i] = svk_cmd_buffer_to_handle(cmd);
	}
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_FreeCommandBuffers(VkDevice device, VkCommandPool commandPool,
		       uint32_t count, const VkCommandBuffer *pCommandBuffers)
{
	uint32_t i;

	(void)device;
	(void)commandPool;
	for (i = 0; i < count; i++) {
		SVK_FROM_HANDLE(svk_cmd_buffer, cmd, pCommandBuffers[i]);

		if (cmd)
			svk_cmd_buffer_destroy(cmd);
	}
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_ResetCommandBuffer(VkCommandBuffer commandBuffer,
		       VkCommandBufferResetFlags flags)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);

	cmd_reset(cmd, flags & VK_COMMAND_BUFFER_RESET_RELEASE_RESOURCES_BIT);
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_BeginCommandBuffer(VkCommandBuffer commandBuffer,
		       const VkCommandBufferBeginInfo *pBeginInfo)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);

	/* Spec 6.4 "Command Buffer Recording": begin resets a buffer that is
	 * not in the initial state (the pool allows it, by the VUs). */
	if (cmd->state != SVK_CMD_INITIAL)
		cmd_reset(cmd, false);
	/* Secondaries: the inheritance info only matters for render passes
	 * and queries inside them, which transfer queues do not have. */
	cmd->usage = pBeginInfo->flags;
	cmd->state = SVK_CMD_RECORDING;
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_EndCommandBuffer(VkCommandBuffer commandBuffer)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);

	/* Spec: errors while recording are reported here. */
	if (cmd->record_result != VK_SUCCESS) {
		cmd->state = SVK_CMD_INVALID;
		return cmd->record_result == VK_ERROR_UNKNOWN ?
		       VK_ERROR_OUT_OF_HOST_MEMORY : cmd->record_result;
	}
	cmd->state = SVK_CMD_EXECUTABLE;
	return VK_SUCCESS;
}
