/* SPDX-License-Identifier: MIT */
/*
 * svk_va.c - the GPU virtual address allocator of a VkDevice's VM.
 *
 * A sorted, coalesced list of free ranges with first fit. Device memory
 * and command-buffer batches take their VA here; a fixed address can be
 * asked for (buffer device address capture/replay, spec 12.7 "Buffer
 * Device Addresses" / VkMemoryOpaqueCaptureAddressAllocateInfo).
 */
#include <stdlib.h>

#include "svk_private.h"

VkResult
svk_va_heap_init(struct svk_va_heap *heap, uint64_t start, uint64_t end)
{
	pthread_mutex_init(&heap->lock, NULL);
	heap->free = calloc(1, sizeof(*heap->free));
	if (!heap->free)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	/* never hand out address 0: it means "no address" in Vulkan */
	start = SVK_MAX(start, 1ull << 20);
	heap->free->start = start;
	heap->free->size = end - start;
	return VK_SUCCESS;
}

void
svk_va_heap_finish(struct svk_va_heap *heap)
{
	struct svk_va_range *r, *n;

	for (r = heap->free; r; r = n) {
		n = r->next;
		free(r);
	}
	pthread_mutex_destroy(&heap->lock);
}

VkResult
svk_va_alloc(struct svk_va_heap *heap, uint64_t size, uint64_t align,
	     uint64_t fixed, uint64_t *va)
{
	struct svk_va_range **p, *r;
	VkResult result = VK_ERROR_OUT_OF_DEVICE_MEMORY;

	pthread_mutex_lock(&heap->lock);
	for (p = &heap->free; (r = *p); p = &r->next) {
		uint64_t a = fixed ? fixed : SVK_ALIGN(r->start, align);
		uint64_t end = r->start + r->size;

		if (a < r->start || a + size > end || a + size < a)
			continue;
		/* split r into [start, a) and [a + size, end) */
		if (a == r->start && a + size == end) {
			*p = r->next;
			free(r);
		} else if (a == r->start) {
			r->start += size;
			r->size -= size;
		} else if (a + size == end) {
			r->size = a - r->start;
		} else {
			struct svk_va_range *tail = malloc(sizeof(*tail));

			if (!tail) {
				result = VK_ERROR_OUT_OF_HOST_MEMORY;
				break;
			}
			tail->start = a + size;
			tail->size = end - tail->start;
			tail->next = r->next;
			r->size = a - r->start;
			r->next = tail;
		}
		*va = a;
		result = VK_SUCCESS;
		break;
	}
	pthread_mutex_unlock(&heap->lock);
	if (result == VK_ERROR_OUT_OF_DEVICE_MEMORY && fixed)
		result = VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS;
	return result;
}

void
svk_va_free(struct svk_va_heap *heap, uint64_t va, uint64_t size)
{
	struct svk_va_range **p, *r, *prev = NULL, *n;

	pthread_mutex_lock(&heap->lock);
	for (p = &heap->free; *p && (*p)->start < va; p = &(*p)->next)
		prev = *p;
	if (prev && prev->start + prev->size == va) {
		prev->size += size;
		r = prev;
	} else {
		r = malloc(sizeof(*r));
		if (!r)
			goto out;	/* the range is lost, not corrupted */
		r->start = va;
		r->size = size;
		r->next = *p;
		*p = r;
	}
	n = r->next;
	if (n && r->start + r->size == n->start) {
		r->size += n->size;
		r->next = n->next;
		free(n);
	}
out:
	pthread_mutex_unlock(&heap->lock);
}
