// SPDX-License-Identifier: MIT
/*
 * cmd.c - the batch-buffer builder.
 *
 * A struct svmgpu_cmdbuf owns a window [offset, offset + size) of a BO
 * that the jobs' VM maps at gpu_va, and writes commands of
 * include/hw/svmgpu_cmd.h there through the BO's CPU mapping. Each
 * command is a header dword, a reserved zero dword and 64-bit operands,
 * so every command is a multiple of 8 bytes and every batch 8-byte
 * aligned, as EXEC wants.
 *
 * Emitters check their operands the way the engine does (alignment,
 * flags) so that a bad command is an -EINVAL here rather than a banned
 * queue later, and check the space left: a command that does not fit is
 * not written at all (-ENOSPC), so the buffer always holds whole
 * commands.
 */

#include <stdlib.h>
#include <string.h>

#include "svmgpu_priv.h"

SVMGPU_PUBLIC int svmgpu_cmdbuf_create(struct svmgpu_bo *bo, uint64_t offset,
				       uint64_t size, uint64_t gpu_va,
				       struct svmgpu_cmdbuf **cmdbuf)
{
	struct svmgpu_cmdbuf *cb;
	void *map;
	int ret;

	if (!bo || !cmdbuf || !size || (offset | size | gpu_va) & 7 ||
	    offset > bo->size || size > bo->size - offset ||
	    gpu_va + size < gpu_va)
		return -EINVAL;

	ret = svmgpu_bo_map(bo, &map);
	if (ret)
		return ret;
	cb = calloc(1, sizeof(*cb));
	if (!cb)
		return -ENOMEM;
	svmgpu_bo_ref(bo);
	cb->bo = bo;
	cb->cpu = (uint8_t *)map + offset;
	cb->gpu_va = gpu_va;
	cb->size = size;
	*cmdbuf = cb;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_destroy(struct svmgpu_cmdbuf *cmdbuf)
{
	if (!cmdbuf)
		return -EINVAL;
	svmgpu_bo_destroy(cmdbuf->bo);
	free(cmdbuf);
	return 0;
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_reset(struct svmgpu_cmdbuf *cmdbuf)
{
	if (!cmdbuf)
		return -EINVAL;
	cmdbuf->start = 0;
	cmdbuf->pos = 0;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_begin(struct svmgpu_cmdbuf *cmdbuf)
{
	if (!cmdbuf)
		return -EINVAL;
	cmdbuf->start = cmdbuf->pos;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_get_batch(struct svmgpu_cmdbuf *cmdbuf,
					  uint64_t *address, uint64_t *size)
{
	if (!cmdbuf || !address || !size)
		return -EINVAL;
	*address = cmdbuf->gpu_va + cmdbuf->start;
	*size = cmdbuf->pos - cmdbuf->start;
	return 0;
}

/*
 * Appends one command: header, reserved dword, then @n 64-bit operands,
 * each as two little-endian dwords (low first).
 */
static int svmgpu_cmdbuf_emit(struct svmgpu_cmdbuf *cb, uint32_t op,
			      uint32_t flags, unsigned int n,
			      const uint64_t *operands)
{
	uint32_t dw[2 + 2 * 4];
	unsigned int i, dwords = 2 + 2 * n;

	if (cb->size - cb->pos < dwords * 4ull)
		return -ENOSPC;
	dw[0] = SVMGPU_CMD_HEADER(op, flags, dwords);
	dw[1] = 0;
	for (i = 0; i < n; i++) {
		dw[2 + 2 * i] = (uint32_t)operands[i];
		dw[3 + 2 * i] = (uint32_t)(operands[i] >> 32);
	}
	memcpy(cb->cpu + cb->pos, dw, dwords * 4);
	cb->pos += dwords * 4;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_nop(struct svmgpu_cmdbuf *cmdbuf)
{
	if (!cmdbuf)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_NOP, 0, 0, NULL);
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_end(struct svmgpu_cmdbuf *cmdbuf)
{
	if (!cmdbuf)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_END, 0, 0, NULL);
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_write32(struct svmgpu_cmdbuf *cmdbuf,
					     uint64_t dst, uint32_t value)
{
	if (!cmdbuf || dst & 3)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_WRITE, 0, 2,
				  (const uint64_t[]){ dst, value });
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_write64(struct svmgpu_cmdbuf *cmdbuf,
					     uint64_t dst, uint64_t value)
{
	if (!cmdbuf || dst & 7)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_WRITE, SVMGPU_WRITE_64, 2,
				  (const uint64_t[]){ dst, value });
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_fill(struct svmgpu_cmdbuf *cmdbuf,
					  uint64_t dst, uint64_t size,
					  uint32_t value)
{
	if (!cmdbuf || (dst | size) & 3)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_FILL, 0, 3,
				  (const uint64_t[]){ dst, size, value });
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_copy(struct svmgpu_cmdbuf *cmdbuf,
					  uint64_t dst, uint64_t src,
					  uint64_t size)
{
	if (!cmdbuf)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_COPY, 0, 3,
				  (const uint64_t[]){ dst, src, size });
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_atomic(struct svmgpu_cmdbuf *cmdbuf,
					    uint32_t flags, uint64_t dst,
					    uint64_t operand, uint64_t compare,
					    uint64_t ret)
{
	uint64_t align = flags & SVMGPU_ATOMIC_64 ? 7 : 3;

	if (!cmdbuf ||
	    flags & ~(SVMGPU_ATOMIC_OP_MASK | SVMGPU_ATOMIC_64 |
		      SVMGPU_ATOMIC_SIGNED) ||
	    (flags & SVMGPU_ATOMIC_OP_MASK) > SVMGPU_ATOMIC_MAX ||
	    (dst | ret) & align)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_ATOMIC, flags, 4,
				  (const uint64_t[]){ dst, operand, compare,
						      ret });
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_timestamp(struct svmgpu_cmdbuf *cmdbuf,
					       uint64_t dst)
{
	if (!cmdbuf || dst & 7)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_TIMESTAMP, 0, 1,
				  (const uint64_t[]){ dst });
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_wait(struct svmgpu_cmdbuf *cmdbuf,
					  uint32_t flags, uint64_t addr,
					  uint64_t value, uint64_t mask)
{
	uint64_t align = flags & SVMGPU_WAIT_64 ? 7 : 3;

	if (!cmdbuf || flags & ~(SVMGPU_WAIT_CMP_MASK | SVMGPU_WAIT_64) ||
	    (flags & SVMGPU_WAIT_CMP_MASK) > SVMGPU_WAIT_LTE || addr & align)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_WAIT, flags, 3,
				  (const uint64_t[]){ addr, value, mask });
}

SVMGPU_PUBLIC int svmgpu_cmdbuf_emit_user_fence(struct svmgpu_cmdbuf *cmdbuf,
						uint32_t flags, uint64_t addr,
						uint64_t value)
{
	if (!cmdbuf || flags & ~SVMGPU_USER_FENCE_IRQ || addr & 7)
		return -EINVAL;
	return svmgpu_cmdbuf_emit(cmdbuf, SVMGPU_OP_USER_FENCE, flags, 2,
				  (const uint64_t[]){ addr, value });
}
