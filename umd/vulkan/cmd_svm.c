/* SPDX-License-Identifier: MIT */
/*
 * cmd_svm.c - the commands of VK_EXT_system_allocated_memory on device
 * addresses: vkCmdCopySystemMemoryEXT, vkCmdFillSystemMemoryEXT,
 * vkCmdUpdateSystemMemoryEXT (the engine's COPY, FILL and WRITE commands,
 * as the buffer forms in cmd_copy.c) and vkCmdPrefetchSystemMemoryEXT,
 * recorded as a range list and done as VM_BIND PREFETCH when the command
 * buffer is submitted (spec "Prefetch": "no earlier than the submission
 * of the command buffer and no later than the execution of the command").
 *
 * The valid-usage rules are checked: a violation is reported through
 * VK_EXT_debug_utils with its VUID and the command records nothing (the
 * command buffer then fails vkEndCommandBuffer with VK_ERROR_UNKNOWN).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svk_private.h"

#define EMIT(cmd, call_with_cb)						\
	do {								\
		struct svmgpu_cmdbuf *cb;				\
		int err_;						\
		while ((cb = svk_cmd_chunk(cmd))) {			\
			err_ = call_with_cb;				\
			if (!err_ || !svk_cmd_retry(cmd, err_))		\
				break;					\
		}							\
	} while (0)

static bool
vu_fail(struct svk_cmd_buffer *cmd, const char *vuid, const char *what)
{
	svk_debug_message(cmd->device->pdev->instance,
			  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
			  "%s: %s", vuid, what);
	if (cmd->record_result == VK_SUCCESS)
		cmd->record_result = VK_ERROR_UNKNOWN;
	return false;
}

static bool
in_range(uint64_t addr, uint64_t size)
{
	return addr >= DRM_SVMGPU_VM_GUARD && addr <= SVK_SVM_MIRROR_END &&
	       size <= SVK_SVM_MIRROR_END - addr;
}

static bool
commands_enabled(struct svk_cmd_buffer *cmd, const char *vuid)
{
	struct svk_svm_device *svm = cmd->device->svm;

	if (svm && svm->features.systemAllocatedMemoryAddressCommands)
		return true;
	return vu_fail(cmd, vuid,
		       "the systemAllocatedMemoryAddressCommands feature is not enabled");
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdCopySystemMemoryEXT(VkCommandBuffer commandBuffer, uint32_t regionCount,
			   const VkSystemMemoryCopyEXT *pRegions)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	uint32_t i;

	if (!commands_enabled(cmd, "VUID-vkCmdCopySystemMemoryEXT-systemAllocatedMemoryAddressCommands-10001020"))
		return;
	for (i = 0; i < regionCount; i++) {
		const VkSystemMemoryCopyEXT *r = &pRegions[i];

		if (!r->size) {
			vu_fail(cmd, "VUID-vkCmdCopySystemMemoryEXT-size-10001021",
				"size must be greater than 0");
			return;
		}
		if (!in_range(r->srcAddress, r->size) ||
		    !in_range(r->dstAddress, r->size)) {
			vu_fail(cmd, "VUID-vkCmdCopySystemMemoryEXT-srcAddress-10001022",
				"a range lies outside [minSystemMemoryAddress, 2^systemMemoryAddressBits)");
			return;
		}
	}
	/* COPY: any alignment (spec "Copy": "No alignment is required") */
	for (i = 0; i < regionCount; i++)
		EMIT(cmd, svmgpu_cmdbuf_emit_copy(cb, pRegions[i].dstAddress,
						  pRegions[i].srcAddress,
						  pRegions[i].size));
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdFillSystemMemoryEXT(VkCommandBuffer commandBuffer,
			   VkDeviceAddress dstAddress, VkDeviceSize size,
			   uint32_t data)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);

	if (!commands_enabled(cmd, "VUID-vkCmdFillSystemMemoryEXT-systemAllocatedMemoryAddressCommands-10001030"))
		return;
	if (dstAddress % 4) {
		vu_fail(cmd, "VUID-vkCmdFillSystemMemoryEXT-dstAddress-10001031",
			"dstAddress must be a multiple of 4");
		return;
	}
	if (!size || size % 4) {
		vu_fail(cmd, "VUID-vkCmdFillSystemMemoryEXT-size-10001032",
			"size must be greater than 0 and a multiple of 4");
		return;
	}
	if (!in_range(dstAddress, size)) {
		vu_fail(cmd, "VUID-vkCmdFillSystemMemoryEXT-dstAddress-10001033",
			"the range lies outside [minSystemMemoryAddress, 2^systemMemoryAddressBits)");
		return;
	}
	EMIT(cmd, svmgpu_cmdbuf_emit_fill(cb, dstAddress, size, data));
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdUpdateSystemMemoryEXT(VkCommandBuffer commandBuffer,
			     VkDeviceAddress dstAddress, VkDeviceSize dataSize,
			     const void *pData)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	const uint8_t *p = pData;
	VkDeviceSize off = 0;

	if (!commands_enabled(cmd, "VUID-vkCmdUpdateSystemMemoryEXT-systemAllocatedMemoryAddressCommands-10001040"))
		return;
	if (dstAddress % 4) {
		vu_fail(cmd, "VUID-vkCmdUpdateSystemMemoryEXT-dstAddress-10001041",
			"dstAddress must be a multiple of 4");
		return;
	}
	if (!dataSize || dataSize % 4 || dataSize > SVK_SVM_MAX_UPDATE) {
		vu_fail(cmd, "VUID-vkCmdUpdateSystemMemoryEXT-dataSize-10001042",
			"dataSize must be greater than 0, a multiple of 4 and at most maxSystemMemoryUpdateSize");
		return;
	}
	if (!in_range(dstAddress, dataSize)) {
		vu_fail(cmd, "VUID-vkCmdUpdateSystemMemoryEXT-dstAddress-10001043",
			"the range lies outside [minSystemMemoryAddress, 2^systemMemoryAddressBits)");
		return;
	}
	/* The data is copied into the batch now (spec "Update": the
	 * application may reuse pData at once), as WRITE commands. */
	while (off < dataSize) {
		if (!((dstAddress + off) & 7) && dataSize - off >= 8) {
			uint64_t v;

			memcpy(&v, p + off, 8);
			EMIT(cmd, svmgpu_cmdbuf_emit_write64(cb, dstAddress + off, v));
			off += 8;
		} else {
			uint32_t v;

			memcpy(&v, p + off, 4);
			EMIT(cmd, svmgpu_cmdbuf_emit_write32(cb, dstAddress + off, v));
			off += 4;
		}
	}
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdPrefetchSystemMemoryEXT(VkCommandBuffer commandBuffer,
			       VkDeviceAddress address, VkDeviceSize size,
			       VkSystemMemoryPrefetchFlagsEXT flags)
{
	SVK_FROM_HANDLE(svk_cmd_buffer, cmd, commandBuffer);
	struct svk_svm_range *n;

	if (!cmd->device->svm) {
		vu_fail(cmd, "VUID-vkCmdPrefetchSystemMemoryEXT-systemAllocatedMemory-10001050",
			"the systemAllocatedMemory feature is not enabled");
		return;
	}
	if (address % SVK_SVM_GRANULARITY) {
		vu_fail(cmd, "VUID-vkCmdPrefetchSystemMemoryEXT-address-10001051",
			"address must be a multiple of systemMemoryRangeGranularity");
		return;
	}
	if (!size || size % SVK_SVM_GRANULARITY) {
		vu_fail(cmd, "VUID-vkCmdPrefetchSystemMemoryEXT-size-10001052",
			"size must be greater than 0 and a multiple of systemMemoryRangeGranularity");
		return;
	}
	if (!in_range(address, size)) {
		vu_fail(cmd, "VUID-vkCmdPrefetchSystemMemoryEXT-address-10001053",
			"the range lies outside [minSystemMemoryAddress, 2^systemMemoryAddressBits)");
		return;
	}
	if (flags) {
		vu_fail(cmd, "VUID-vkCmdPrefetchSystemMemoryEXT-flags-zerobitmask",
			"flags must be 0");
		return;
	}
	if (cmd->prefetch_count == cmd->prefetch_cap) {
		uint32_t cap = cmd->prefetch_cap ? cmd->prefetch_cap * 2 : 8;

		n = realloc(cmd->prefetch, cap * sizeof(*n));
		if (!n) {
			if (cmd->record_result == VK_SUCCESS)
				cmd->record_result = VK_ERROR_OUT_OF_HOST_MEMORY;
			return;
		}
		cmd->prefetch = n;
		cmd->prefetch_cap = cap;
	}
	cmd->prefetch[cmd->prefetch_count++] = (struct svk_svm_range){ address, size };
}

/* Forget the recorded prefetches (reset, free). */
void
svk_svm_cmd_reset(struct svk_cmd_buffer *cmd)
{
	free(cmd->prefetch);
	cmd->prefetch = NULL;
	cmd->prefetch_count = cmd->prefetch_cap = 0;
}

/*
 * The kernel's PREFETCH stops at the first page without a usable CPU
 * mapping (-EFAULT). The spec wants such pages skipped, so after -EFAULT
 * the parts of [@start, @end) the process maps (/proc/self/maps, one line
 * per mapping) are prefetched one by one; a part that still fails (range
 * attributes forbid access, no access rights) is skipped.
 */
static void
prefetch_mapped_parts(struct svk_device *dev, uint64_t start, uint64_t end)
{
	char line[4096];
	FILE *maps;

	maps = fopen("/proc/self/maps", "re");
	if (!maps)
		return;
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long lo, hi;
		bool whole = strchr(line, '\n');
		int c;

		/* the addresses start the line; skip the rest of a long path */
		while (!whole && (c = getc(maps)) != EOF && c != '\n')
			;
		if (sscanf(line, "%llx-%llx", &lo, &hi) != 2 || hi <= start ||
		    lo >= end)
			continue;
		lo = SVK_MAX(lo, start);
		hi = SVK_MIN(hi, end);
		svk_ws_vm_prefetch(dev->vm, lo, hi - lo);
	}
	fclose(maps);
}

/*
 * At submission: one VM_BIND PREFETCH per recorded range, then the same for
 * each secondary command buffer the command buffer executes. The spec's
 * "pages the process does not map ... are skipped without error": after
 * the kernel's -EFAULT (part of the range unmapped) the mapped parts are
 * prefetched on their own; any other failure is ignored, since a prefetch
 * cannot change results. Prefetching
 * VkDeviceMemory ranges (BO mappings) does nothing in the kernel either.
 * Note: VM_BIND PREFETCH is synchronous, so this happens before the
 * submission returns, earlier than the command executes.
 */
void
svk_svm_cmd_prefetch(struct svk_cmd_buffer *cmd)
{
	const struct svk_batch_chunk *c;
	uint32_t i;

	for (i = 0; i < cmd->prefetch_count; i++) {
		uint64_t a = cmd->prefetch[i].start, end = a + cmd->prefetch[i].size;

		/* in calls of at most 1 GiB, each a bounded kernel call */
		while (a < end) {
			uint64_t n = SVK_MIN(end - a, 1ull << 30);

			if (svk_ws_vm_prefetch(cmd->device->vm, a, n) == -EFAULT)
				prefetch_mapped_parts(cmd->device, a, a + n);
			a += n;
		}
	}
	for (c = cmd->chunks; c; c = c->next)
		if (c->secondary)
			svk_svm_cmd_prefetch(c->secondary);
}
