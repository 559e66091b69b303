/* SPDX-License-Identifier: MIT */
/*
 * svk_alloc.c - host memory for the driver's objects, the object base,
 * and small helpers shared by every object (pNext search, reporting
 * commands that are not implemented).
 *
 * Vulkan spec 11.1 "Host Memory": an object's memory comes from the
 * VkAllocationCallbacks given at its creation, else from its parent's
 * (the instance's or the device's), else from the driver's default, which
 * is malloc-based here.
 */
#include <stdio.h>
#include <stdlib.h>

#include "svk_private.h"

static void *VKAPI_PTR
default_alloc(void *user, size_t size, size_t align, VkSystemAllocationScope scope)
{
	void *p;

	(void)user;
	(void)scope;
	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size))
		return NULL;
	return p;
}

static void *VKAPI_PTR
default_realloc(void *user, void *orig, size_t size, size_t align,
		VkSystemAllocationScope scope)
{
	(void)user;
	(void)scope;
	(void)align;	/* realloc keeps malloc's alignment, enough for us */
	return realloc(orig, size);
}

static void VKAPI_PTR
default_free(void *user, void *ptr)
{
	(void)user;
	free(ptr);
}

const VkAllocationCallbacks svk_default_alloc = {
	.pfnAllocation = default_alloc,
	.pfnReallocation = default_realloc,
	.pfnFree = default_free,
};

void *
svk_alloc(const VkAllocationCallbacks *alloc, size_t size,
	  VkSystemAllocationScope scope)
{
	if (!alloc)
		alloc = &svk_default_alloc;
	return alloc->pfnAllocation(alloc->pUserData, size, 16, scope);
}

void *
svk_zalloc(const VkAllocationCallbacks *alloc, size_t size,
	   VkSystemAllocationScope scope)
{
	void *p = svk_alloc(alloc, size, scope);

	if (p)
		memset(p, 0, size);
	return p;
}

void
svk_free(const VkAllocationCallbacks *alloc, void *ptr)
{
	if (!ptr)
		return;
	if (!alloc)
		alloc = &svk_default_alloc;
	alloc->pfnFree(alloc->pUserData, ptr);
}

char *
svk_strdup(const VkAllocationCallbacks *alloc, const char *s,
	   VkSystemAllocationScope scope)
{
	size_t n = strlen(s) + 1;
	char *d = svk_alloc(alloc, n, scope);

	if (d)
		memcpy(d, s, n);
	return d;
}

void *
svk_zalloc2(const VkAllocationCallbacks *parent,
	    const VkAllocationCallbacks *alloc, size_t size,
	    VkSystemAllocationScope scope)
{
	return svk_zalloc(alloc ? alloc : parent, size, scope);
}

void
svk_free2(const VkAllocationCallbacks *parent,
	  const VkAllocationCallbacks *alloc, void *ptr)
{
	svk_free(alloc ? alloc : parent, ptr);
}

void
svk_object_init(struct svk_object_base *base, VkObjectType type)
{
	/* vk_icd.h: dispatchable objects start with ICD_LOADER_MAGIC. */
	set_loader_magic_value(base);
	base->type = type;
	base->name = NULL;
}

void
svk_object_finish(struct svk_object_base *base,
		  const VkAllocationCallbacks *alloc)
{
	svk_free(alloc, base->name);
	base->name = NULL;
}

const void *
svk_find_struct(const void *chain, VkStructureType type)
{
	const VkBaseInStructure *s;

	for (s = chain; s; s = s->pNext)
		if (s->sType == type)
			return s;
	return NULL;
}

/*
 * A command the exposed API has but the driver does not implement yet
 * (svk_unimplemented.txt): said once per command on stderr, so the
 * application's failure is explained. The stubs return
 * VK_ERROR_FEATURE_NOT_PRESENT or do nothing.
 */
void
svk_report_unimplemented(const char *command)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static const char *said[64];
	static unsigned int n;
	unsigned int i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < n; i++)
		if (said[i] == command)
			break;
	if (i == n) {
		if (n < SVK_ARRAY_SIZE(said))
			said[n++] = command;
		fprintf(stderr, "svmgpu: %s is not implemented\n", command);
	}
	pthread_mutex_unlock(&lock);
}
