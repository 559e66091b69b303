// SPDX-License-Identifier: MIT
/*
 * svmgpu_vk_interop - the Vulkan driver's external memory, fences and
 * semaphores.
 *
 * VK_KHR_external_memory_fd, VK_EXT_external_memory_dma_buf,
 * VK_EXT_external_memory_host, VK_KHR_external_fence_fd and
 * VK_KHR_external_semaphore_fd on svmgpu: memory shared between two
 * VkDevices (two DRM files) and with vgem, host memory imported through
 * userptr bindings, fences and semaphores shared as sync_files and
 * syncobj files. Every subtest runs with VK_LAYER_KHRONOS_validation
 * (tests/lib/igt_vk.h) and fails on any of its errors or warnings;
 * invalid-usage-refused, which checks the driver's answers to calls
 * outside valid usage, accepts only the VUIDs of those calls. Contents
 * are checked after GPU copies or fills.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_vk.h"
#include "svmgpu_drm.h"

IGT_TEST_DESCRIPTION("External memory, fences and semaphores of the svmgpu Vulkan driver.");

#define SIZE (4 * 4096)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const exts[] = {
	VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME,
	VK_EXT_EXTERNAL_MEMORY_DMA_BUF_EXTENSION_NAME,
	VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
	VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME,
	VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME,
};

/* one instance, two devices (each its own DRM file) */
struct env {
	struct igt_vk vk;
	struct igt_vk_device a, b;
};

static void env_init(struct env *e, bool two)
{
	/* timeline semaphores: core 1.2, supported by the driver */
	VkPhysicalDeviceTimelineSemaphoreFeatures timeline = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
		.timelineSemaphore = VK_TRUE,
	};
	const struct igt_vk_device_info info = {
		.next = &timeline,
		.exts = exts,
		.ext_count = ARRAY_SIZE(exts),
	};

	memset(e, 0, sizeof(*e));
	igt_vk_instance_create(&e->vk, VK_API_VERSION_1_2);
	igt_vk_device_create(&e->a, &e->vk, &info);
	if (two)
		igt_vk_device_create(&e->b, &e->vk, &info);
}

static void env_fini(struct env *e)
{
	igt_vk_device_destroy(&e->b);
	igt_vk_device_destroy(&e->a);
	igt_vk_instance_destroy(&e->vk);
}

static void fill(uint32_t *p, size_t size, uint32_t seed)
{
	size_t i;

	for (i = 0; i < size / 4; i++)
		p[i] = seed + i;
}

static void check(const uint32_t *p, size_t size, uint32_t seed)
{
	size_t i;

	for (i = 0; i < size / 4; i++)
		igt_assert_f(p[i] == seed + i, "word %zu: 0x%08x, expected 0x%08x\n",
			     i, p[i], (uint32_t)(seed + i));
}

static void check_value(const uint32_t *p, size_t size, uint32_t value)
{
	size_t i;

	for (i = 0; i < size / 4; i++)
		igt_assert_f(p[i] == value, "word %zu: 0x%08x, expected 0x%08x\n",
			     i, p[i], value);
}

static void *map(struct igt_vk_device *d, VkDeviceMemory mem)
{
	void *p = NULL;

	igt_assert_eq(vkMapMemory(d->device, mem, 0, VK_WHOLE_SIZE, 0, &p),
		      VK_SUCCESS);
	return p;
}

/* exportable memory of @d, bound to a new buffer */
static VkDeviceMemory export_memory(struct igt_vk_device *d,
				    VkExternalMemoryHandleTypeFlagBits type,
				    VkBuffer *buf)
{
	VkExportMemoryAllocateInfo export = {
		.sType = VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO,
		.handleTypes = type,
	};
	VkDeviceMemory mem;

	igt_assert_eq(igt_vk_memory_alloc(d, SIZE, &export, &mem), VK_SUCCESS);
	*buf = igt_vk_buffer_create(d, SIZE, 0, type, mem);
	return mem;
}

static int get_memory_fd(struct igt_vk_device *d, VkDeviceMemory mem,
			 VkExternalMemoryHandleTypeFlagBits type)
{
	PFN_vkGetMemoryFdKHR get = (PFN_vkGetMemoryFdKHR)
		igt_vk_proc(d, "vkGetMemoryFdKHR");
	VkMemoryGetFdInfoKHR info = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR,
		.memory = mem,
		.handleType = type,
	};
	int fd = -1;

	igt_assert_eq(get(d->device, &info, &fd), VK_SUCCESS);
	igt_assert_lte(0, fd);
	return fd;
}

static VkResult import_memory(struct igt_vk_device *d,
			      VkExternalMemoryHandleTypeFlagBits type, int fd,
			      VkDeviceMemory *mem)
{
	VkImportMemoryFdInfoKHR import = {
		.sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_FD_INFO_KHR,
		.handleType = type,
		.fd = fd,
	};

	return igt_vk_memory_alloc(d, SIZE, &import, mem);
}

/* ------------------------------------------------------------------ */

static void test_caps(void)
{
	struct env e;
	VkPhysicalDeviceExternalMemoryHostPropertiesEXT host = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_MEMORY_HOST_PROPERTIES_EXT,
	};
	VkPhysicalDeviceProperties2 props = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
		.pNext = &host,
	};
	static const struct {
		VkExternalMemoryHandleTypeFlagBits type;
		VkExternalMemoryFeatureFlags features;
	} mem_cases[] = {
		{ VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT,
		  VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT |
		  VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT },
		{ VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT,
		  VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT |
		  VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT },
		{ VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT,
		  VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT },
		{ VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_MAPPED_FOREIGN_MEMORY_BIT_EXT,
		  VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT },
		{ VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_WIN32_BIT, 0 },
		{ VK_EXTERNAL_MEMORY_HANDLE_TYPE_D3D12_RESOURCE_BIT, 0 },
	};
	VkSemaphoreTypeCreateInfo timeline = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
		.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE,
	};
	const VkExternalSemaphoreFeatureFlags sem_both =
		VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT |
		VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT;
	const VkExternalFenceFeatureFlags fence_both =
		VK_EXTERNAL_FENCE_FEATURE_EXPORTABLE_BIT |
		VK_EXTERNAL_FENCE_FEATURE_IMPORTABLE_BIT;
	unsigned int i;

	env_init(&e, false);
	vkGetPhysicalDeviceProperties2(e.a.pdev, &props);
	igt_assert_eq_u64(host.minImportedHostPointerAlignment, 4096);

	for (i = 0; i < ARRAY_SIZE(mem_cases); i++) {
		VkPhysicalDeviceExternalBufferInfo info = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_BUFFER_INFO,
			.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
				 VK_BUFFER_USAGE_TRANSFER_DST_BIT,
			.handleType = mem_cases[i].type,
		};
		VkExternalBufferProperties p = {
			.sType = VK_STRUCTURE_TYPE_EXTERNAL_BUFFER_PROPERTIES,
		};
		const VkExternalMemoryProperties *m = &p.externalMemoryProperties;

		vkGetPhysicalDeviceExternalBufferProperties(e.a.pdev, &info, &p);
		igt_assert_eq_u32(m->externalMemoryFeatures,
				  mem_cases[i].features);
		if (mem_cases[i].features)
			igt_assert(m->compatibleHandleTypes & mem_cases[i].type);
		if (!(mem_cases[i].features &
		      VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT))
			igt_assert_eq_u32(m->exportFromImportedHandleTypes, 0);
	}

	for (i = 0; i < 3; i++) {
		VkPhysicalDeviceExternalSemaphoreInfo info = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO,
		};
		VkExternalSemaphoreProperties p = {
			.sType = VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES,
		};

		/* binary OPAQUE_FD, binary SYNC_FD, timeline SYNC_FD */
		info.handleType = i == 0 ?
			VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT :
			VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT;
		info.pNext = i == 2 ? &timeline : NULL;
		vkGetPhysicalDeviceExternalSemaphoreProperties(e.a.pdev, &info, &p);
		igt_assert_eq_u32(p.externalSemaphoreFeatures,
				  i == 2 ? 0 : sem_both);
	}
	{
		VkPhysicalDeviceExternalSemaphoreInfo info = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO,
			.pNext = &timeline,
			.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
		};
		VkExternalSemaphoreProperties p = {
			.sType = VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES,
		};

		vkGetPhysicalDeviceExternalSemaphoreProperties(e.a.pdev, &info, &p);
		igt_assert_eq_u32(p.externalSemaphoreFeatures, sem_both);
		igt_assert_eq_u32(p.compatibleHandleTypes,
				  VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT);
		info.pNext = NULL;
		info.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_WIN32_BIT;
		vkGetPhysicalDeviceExternalSemaphoreProperties(e.a.pdev, &info, &p);
		igt_assert_eq_u32(p.externalSemaphoreFeatures, 0);
	}

	for (i = 0; i < 3; i++) {
		VkPhysicalDeviceExternalFenceInfo info = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_FENCE_INFO,
			.handleType = i == 0 ? VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT :
				      i == 1 ? VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT :
					       VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_WIN32_BIT,
		};
		VkExternalFenceProperties p = {
			.sType = VK_STRUCTURE_TYPE_EXTERNAL_FENCE_PROPERTIES,
		};

		vkGetPhysicalDeviceExternalFenceProperties(e.a.pdev, &info, &p);
		igt_assert_eq_u32(p.externalFenceFeatures, i < 2 ? fence_both : 0);
	}
	env_fini(&e);
}

/* Device A writes, exports; B imports, copies out on the GPU and checks;
 * B's GPU fill of the imported memory is seen by A. */
static void test_other_device(VkExternalMemoryHandleTypeFlagBits type)
{
	struct env e;
	VkBuffer a_buf, b_buf, b_out;
	VkDeviceMemory a_mem, b_mem, b_out_mem;
	uint32_t *a_ptr;
	int fd;

	env_init(&e, true);
	a_mem = export_memory(&e.a, type, &a_buf);
	a_ptr = map(&e.a, a_mem);
	fill(a_ptr, SIZE, 0x1000);
	fd = get_memory_fd(&e.a, a_mem, type);

	if (type == VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT) {
		PFN_vkGetMemoryFdPropertiesKHR props = (PFN_vkGetMemoryFdPropertiesKHR)
			igt_vk_proc(&e.b, "vkGetMemoryFdPropertiesKHR");
		VkMemoryFdPropertiesKHR p = {
			.sType = VK_STRUCTURE_TYPE_MEMORY_FD_PROPERTIES_KHR,
		};

		igt_assert_eq(props(e.b.device, type, fd, &p), VK_SUCCESS);
		igt_assert_eq_u32(p.memoryTypeBits, 1);
	}
	/* the import owns fd from here */
	igt_assert_eq(import_memory(&e.b, type, fd, &b_mem), VK_SUCCESS);
	b_buf = igt_vk_buffer_create(&e.b, SIZE, 0, type, b_mem);
	igt_assert_eq(igt_vk_memory_alloc(&e.b, SIZE, NULL, &b_out_mem),
		      VK_SUCCESS);
	b_out = igt_vk_buffer_create(&e.b, SIZE, 0, 0, b_out_mem);

	igt_vk_cmd_free(&e.b, igt_vk_copy(&e.b, b_buf, b_out, SIZE, NULL));
	check(map(&e.b, b_out_mem), SIZE, 0x1000);
	igt_vk_cmd_free(&e.b, igt_vk_fill(&e.b, b_buf, SIZE, 0xc0ffee, NULL));
	check_value(map(&e.b, b_mem), SIZE, 0xc0ffee);
	check_value(a_ptr, SIZE, 0xc0ffee);

	vkDestroyBuffer(e.b.device, b_out, NULL);
	vkDestroyBuffer(e.b.device, b_buf, NULL);
	vkFreeMemory(e.b.device, b_out_mem, NULL);
	vkFreeMemory(e.b.device, b_mem, NULL);
	vkDestroyBuffer(e.a.device, a_buf, NULL);
	vkFreeMemory(e.a.device, a_mem, NULL);
	env_fini(&e);
}

/* vgem: dumb buffers on the primary node (see svmgpu_prime.c) */
static uint32_t vgem_create(int vgem, size_t size)
{
	struct drm_mode_create_dumb args = {
		.width = 1024, .height = size / 4096, .bpp = 32,
	};

	do_ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &args);
	igt_assert_eq_u64(args.size, size);
	return args.handle;
}

static void *mmap_or_fail(int fd, off_t offset, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       offset);

	igt_assert_f(p != MAP_FAILED, "mmap: %s\n", strerror(errno));
	return p;
}

static int prime_export(int fd, uint32_t handle)
{
	struct drm_prime_handle args = {
		.handle = handle, .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1,
	};

	do_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args);
	igt_assert_lte(0, args.fd);
	return args.fd;
}

static uint32_t prime_import(int fd, int dmabuf)
{
	struct drm_prime_handle args = { .fd = dmabuf };

	do_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args);
	igt_assert_neq_u32(args.handle, 0);
	return args.handle;
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	do_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

static void test_dma_buf_to_vgem(int vgem)
{
	const VkExternalMemoryHandleTypeFlagBits type =
		VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT;
	struct env e;
	VkDeviceMemory mem;
	VkBuffer buf;
	uint32_t handle, *p;
	int fd, again;

	env_init(&e, false);
	mem = export_memory(&e.a, type, &buf);
	igt_vk_cmd_free(&e.a, igt_vk_fill(&e.a, buf, SIZE, 0x5a5a0001, NULL));
	fd = get_memory_fd(&e.a, mem, type);
	handle = prime_import(vgem, fd);
	/* vgem cannot MAP_DUMB an import; its dma-buf is ours again */
	again = prime_export(vgem, handle);
	p = mmap_or_fail(again, 0, SIZE);
	check_value(p, SIZE, 0x5a5a0001);
	munmap(p, SIZE);
	close(again);
	close(fd);
	gem_close(vgem, handle);

	vkDestroyBuffer(e.a.device, buf, NULL);
	vkFreeMemory(e.a.device, mem, NULL);
	env_fini(&e);
}

static void test_vgem_to_vulkan(int vgem)
{
	const VkExternalMemoryHandleTypeFlagBits type =
		VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT;
	PFN_vkGetMemoryFdPropertiesKHR props;
	VkMemoryFdPropertiesKHR p = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_FD_PROPERTIES_KHR,
	};
	struct drm_mode_map_dumb args = { 0 };
	VkDeviceMemory mem, out_mem;
	VkBuffer buf, out;
	uint32_t handle, *v;
	struct env e;
	int fd;

	handle = vgem_create(vgem, SIZE);
	args.handle = handle;
	do_ioctl(vgem, DRM_IOCTL_MODE_MAP_DUMB, &args);
	v = mmap_or_fail(vgem, args.offset, SIZE);
	fill(v, SIZE, 0x77000000);
	fd = prime_export(vgem, handle);

	env_init(&e, false);
	props = (PFN_vkGetMemoryFdPropertiesKHR)
		igt_vk_proc(&e.a, "vkGetMemoryFdPropertiesKHR");
	igt_assert_eq(props(e.a.device, type, fd, &p), VK_SUCCESS);
	igt_assert_eq_u32(p.memoryTypeBits, 1);
	igt_assert_eq(import_memory(&e.a, type, fd, &mem), VK_SUCCESS);
	buf = igt_vk_buffer_create(&e.a, SIZE, 0, type, mem);
	igt_assert_eq(igt_vk_memory_alloc(&e.a, SIZE, NULL, &out_mem),
		      VK_SUCCESS);
	out = igt_vk_buffer_create(&e.a, SIZE, 0, 0, out_mem);

	igt_vk_cmd_free(&e.a, igt_vk_copy(&e.a, buf, out, SIZE, NULL));
	check(map(&e.a, out_mem), SIZE, 0x77000000);
	igt_vk_cmd_free(&e.a, igt_vk_fill(&e.a, buf, SIZE, 0x0badf00d, NULL));
	check_value(v, SIZE, 0x0badf00d);

	vkDestroyBuffer(e.a.device, out, NULL);
	vkDestroyBuffer(e.a.device, buf, NULL);
	vkFreeMemory(e.a.device, out_mem, NULL);
	vkFreeMemory(e.a.device, mem, NULL);
	env_fini(&e);
	munmap(v, SIZE);
	gem_close(vgem, handle);
}

static VkResult host_pointer_props(struct igt_vk_device *d,
				   VkExternalMemoryHandleTypeFlagBits type,
				   const void *ptr, uint32_t *bits)
{
	PFN_vkGetMemoryHostPointerPropertiesEXT get =
		(PFN_vkGetMemoryHostPointerPropertiesEXT)
		igt_vk_proc(d, "vkGetMemoryHostPointerPropertiesEXT");
	VkMemoryHostPointerPropertiesEXT p = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_HOST_POINTER_PROPERTIES_EXT,
	};
	VkResult r = get(d->device, type, ptr, &p);

	*bits = p.memoryTypeBits;
	return r;
}

static VkResult import_host(struct igt_vk_device *d,
			    VkExternalMemoryHandleTypeFlagBits type, void *ptr,
			    VkDeviceMemory *mem)
{
	VkImportMemoryHostPointerInfoEXT import = {
		.sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_HOST_POINTER_INFO_EXT,
		.handleType = type,
		.pHostPointer = ptr,
	};

	return igt_vk_memory_alloc(d, SIZE, &import, mem);
}

enum host_kind { HOST_MALLOC, HOST_MMAP, HOST_MEMFD };

/* @ptr imported as host memory: the destination of a GPU copy (heap),
 * its source (anonymous mapping), or the target of a fill (memfd,
 * checked through the file). */
static void test_host_pointer(enum host_kind kind)
{
	const VkExternalMemoryHandleTypeFlagBits type = kind == HOST_MEMFD ?
		VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_MAPPED_FOREIGN_MEMORY_BIT_EXT :
		VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT;
	VkDeviceMemory mem, dev_mem;
	VkBuffer host_buf, dev_buf;
	uint32_t bits, *ptr, *dev_ptr;
	static uint32_t back[SIZE / 4];
	struct env e;
	int memfd = -1;

	switch (kind) {
	case HOST_MALLOC:
		ptr = aligned_alloc(4096, SIZE);
		igt_assert(ptr);
		memset(ptr, 0, SIZE);
		break;
	case HOST_MMAP:
		ptr = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(ptr != MAP_FAILED);
		fill(ptr, SIZE, 0x31000000);
		break;
	case HOST_MEMFD:
		memfd = memfd_create("svmgpu-vk-interop", MFD_CLOEXEC);
		igt_assert_lte(0, memfd);
		igt_assert_eq(ftruncate(memfd, SIZE), 0);
		ptr = mmap_or_fail(memfd, 0, SIZE);
		break;
	}

	env_init(&e, false);
	igt_assert_eq(host_pointer_props(&e.a, type, ptr, &bits), VK_SUCCESS);
	igt_assert_eq_u32(bits, 1);
	igt_assert_eq(import_host(&e.a, type, ptr, &mem), VK_SUCCESS);
	host_buf = igt_vk_buffer_create(&e.a, SIZE, 0, type, mem);
	igt_assert_eq(igt_vk_memory_alloc(&e.a, SIZE, NULL, &dev_mem),
		      VK_SUCCESS);
	dev_buf = igt_vk_buffer_create(&e.a, SIZE, 0, 0, dev_mem);
	dev_ptr = map(&e.a, dev_mem);

	switch (kind) {
	case HOST_MALLOC:
		fill(dev_ptr, SIZE, 0x42000000);
		igt_vk_cmd_free(&e.a, igt_vk_copy(&e.a, dev_buf, host_buf,
						  SIZE, NULL));
		check(ptr, SIZE, 0x42000000);
		break;
	case HOST_MMAP:
		igt_vk_cmd_free(&e.a, igt_vk_copy(&e.a, host_buf, dev_buf,
						  SIZE, NULL));
		check(dev_ptr, SIZE, 0x31000000);
		break;
	case HOST_MEMFD:
		igt_vk_cmd_free(&e.a, igt_vk_fill(&e.a, host_buf, SIZE,
						  0xfeed0042, NULL));
		igt_assert_eq(pread(memfd, back, SIZE, 0), SIZE);
		check_value(back, SIZE, 0xfeed0042);
		break;
	}

	vkDestroyBuffer(e.a.device, dev_buf, NULL);
	vkDestroyBuffer(e.a.device, host_buf, NULL);
	vkFreeMemory(e.a.device, dev_mem, NULL);
	vkFreeMemory(e.a.device, mem, NULL);
	env_fini(&e);
	if (kind == HOST_MALLOC) {
		free(ptr);
	} else {
		munmap(ptr, SIZE);
		if (memfd >= 0)
			close(memfd);
	}
}

static void test_host_pointer_device_mapping(void)
{
	const VkExternalMemoryHandleTypeFlagBits type =
		VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_MAPPED_FOREIGN_MEMORY_BIT_EXT;
	VkDeviceMemory mem;
	struct env e;
	uint32_t bits = ~0u;
	void *ptr;

	env_init(&e, false);
	igt_assert_eq(igt_vk_memory_alloc(&e.a, SIZE, NULL, &mem), VK_SUCCESS);
	ptr = map(&e.a, mem);	/* the BO's mmap: VM_PFNMAP device memory */
	igt_assert_eq(host_pointer_props(&e.a, type, ptr, &bits),
		      VK_ERROR_INVALID_EXTERNAL_HANDLE);
	igt_assert_eq_u32(bits, 0);
	vkFreeMemory(e.a.device, mem, NULL);
	env_fini(&e);
}

static void test_host_pointer_read_only(void)
{
	const VkExternalMemoryHandleTypeFlagBits type =
		VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT;
	struct env e;
	uint32_t bits = ~0u;
	void *ptr;

	ptr = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(ptr != MAP_FAILED);
	env_init(&e, false);
	igt_assert_eq(host_pointer_props(&e.a, type, ptr, &bits),
		      VK_ERROR_INVALID_EXTERNAL_HANDLE);
	igt_assert_eq_u32(bits, 0);
	env_fini(&e);
	munmap(ptr, SIZE);
}

static bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/* vkGetMemoryFdPropertiesKHR takes any POSIX memory descriptor and says
 * whether the device can use it: a memfd is not a dma-buf. */
static void test_fd_properties_not_dmabuf(void)
{
	const VkExternalMemoryHandleTypeFlagBits type =
		VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT;
	PFN_vkGetMemoryFdPropertiesKHR props;
	VkMemoryFdPropertiesKHR p = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_FD_PROPERTIES_KHR,
		.memoryTypeBits = ~0u,
	};
	struct env e;
	int memfd;

	memfd = memfd_create("not-a-dmabuf", MFD_CLOEXEC);
	igt_assert_lte(0, memfd);
	igt_assert_eq(ftruncate(memfd, SIZE), 0);
	env_init(&e, false);
	props = (PFN_vkGetMemoryFdPropertiesKHR)
		igt_vk_proc(&e.a, "vkGetMemoryFdPropertiesKHR");
	igt_assert_eq(props(e.a.device, type, memfd, &p),
		      VK_ERROR_INVALID_EXTERNAL_HANDLE);
	igt_assert_eq_u32(p.memoryTypeBits, 0);
	env_fini(&e);
	close(memfd);
}

/* ------------------------------------------------------------------ */
/* Fences and semaphores */

static VkFence make_fence(struct igt_vk_device *d,
			  VkExternalFenceHandleTypeFlags export_types)
{
	VkExportFenceCreateInfo export = {
		.sType = VK_STRUCTURE_TYPE_EXPORT_FENCE_CREATE_INFO,
		.handleTypes = export_types,
	};
	VkFenceCreateInfo ci = {
		.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
		.pNext = export_types ? &export : NULL,
	};
	VkFence fence;

	igt_assert_eq(vkCreateFence(d->device, &ci, NULL, &fence), VK_SUCCESS);
	return fence;
}

/* a buffer with its own memory, for work to do */
struct scratch {
	VkDeviceMemory mem;
	VkBuffer buf;
};

static void scratch_init(struct igt_vk_device *d, struct scratch *s)
{
	igt_assert_eq(igt_vk_memory_alloc(d, SIZE, NULL, &s->mem), VK_SUCCESS);
	s->buf = igt_vk_buffer_create(d, SIZE, 0, 0, s->mem);
}

static void scratch_fini(struct igt_vk_device *d, struct scratch *s)
{
	vkDestroyBuffer(d->device, s->buf, NULL);
	vkFreeMemory(d->device, s->mem, NULL);
}

static void test_fence_sync_file(void)
{
	const VkExternalFenceHandleTypeFlagBits type =
		VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT;
	struct igt_vk_submit s = { .no_wait = true };
	struct scratch a_work;
	VkFence a_fence, b_fence;
	VkCommandBuffer cmd;
	struct pollfd pfd;
	struct env e;
	int fd;

	env_init(&e, true);
	scratch_init(&e.a, &a_work);
	a_fence = make_fence(&e.a, type);
	b_fence = make_fence(&e.b, 0);

	s.fence = a_fence;
	cmd = igt_vk_fill(&e.a, a_work.buf, SIZE, 0x12345678, &s);
	fd = igt_vk_fence_fd(&e.a, a_fence, type);
	if (fd >= 0) {	/* -1 is allowed for a signalled fence */
		pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
		igt_assert_eq(poll(&pfd, 1, 60000), 1);
		igt_assert(pfd.revents & POLLIN);
	}
	check_value(map(&e.a, a_work.mem), SIZE, 0x12345678);
	/* copy transference: exporting reset the exporter's fence */
	igt_assert_eq(vkGetFenceStatus(e.a.device, a_fence), VK_NOT_READY);

	igt_assert_eq(vkGetFenceStatus(e.b.device, b_fence), VK_NOT_READY);
	igt_assert_eq(igt_vk_import_fence_fd(&e.b, b_fence, type,
				   VK_FENCE_IMPORT_TEMPORARY_BIT, fd),
		      VK_SUCCESS);
	igt_assert_eq(vkWaitForFences(e.b.device, 1, &b_fence, VK_TRUE,
				      60ull * 1000 * 1000 * 1000), VK_SUCCESS);
	igt_assert_eq(vkGetFenceStatus(e.b.device, b_fence), VK_SUCCESS);
	/* reset restores the permanent payload: unsignalled */
	igt_assert_eq(vkResetFences(e.b.device, 1, &b_fence), VK_SUCCESS);
	igt_assert_eq(vkGetFenceStatus(e.b.device, b_fence), VK_NOT_READY);

	igt_assert_eq(vkQueueWaitIdle(e.a.queue), VK_SUCCESS);
	igt_vk_cmd_free(&e.a, cmd);
	vkDestroyFence(e.b.device, b_fence, NULL);
	vkDestroyFence(e.a.device, a_fence, NULL);
	scratch_fini(&e.a, &a_work);
	env_fini(&e);
}

static void test_fence_sync_file_signaled(void)
{
	struct env e;
	VkFence fence;

	env_init(&e, false);
	fence = make_fence(&e.a, 0);
	igt_assert_eq(vkGetFenceStatus(e.a.device, fence), VK_NOT_READY);
	igt_assert_eq(igt_vk_import_fence_fd(&e.a, fence,
				   VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
				   VK_FENCE_IMPORT_TEMPORARY_BIT, -1),
		      VK_SUCCESS);
	igt_assert_eq(vkGetFenceStatus(e.a.device, fence), VK_SUCCESS);
	igt_assert_eq(vkResetFences(e.a.device, 1, &fence), VK_SUCCESS);
	igt_assert_eq(vkGetFenceStatus(e.a.device, fence), VK_NOT_READY);
	vkDestroyFence(e.a.device, fence, NULL);
	env_fini(&e);
}

static void test_semaphore_sync_file(void)
{
	const VkExternalSemaphoreHandleTypeFlagBits type =
		VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT;
	struct igt_vk_submit sa = { .no_wait = true }, sb = { 0 };
	struct scratch a_work, b_work;
	VkSemaphore a_sem, b_sem;
	VkCommandBuffer cmd;
	struct pollfd pfd;
	VkFence b_fence;
	struct env e;
	int fd;

	env_init(&e, true);
	scratch_init(&e.a, &a_work);
	scratch_init(&e.b, &b_work);
	a_sem = igt_vk_semaphore_create(&e.a, false, 0, type);
	b_sem = igt_vk_semaphore_create(&e.b, false, 0, 0);
	b_fence = make_fence(&e.b, 0);

	sa.signals = &a_sem;
	sa.signal_count = 1;
	cmd = igt_vk_fill(&e.a, a_work.buf, SIZE, 0xa5a5a5a5, &sa);
	fd = igt_vk_semaphore_fd(&e.a, a_sem, type);
	igt_assert_lte(0, fd);
	igt_assert_eq(igt_vk_import_semaphore_fd(&e.b, b_sem, type,
				       VK_SEMAPHORE_IMPORT_TEMPORARY_BIT, fd),
		      VK_SUCCESS);

	sb.waits = &b_sem;
	sb.wait_count = 1;
	sb.fence = b_fence;
	igt_vk_cmd_free(&e.b, igt_vk_fill(&e.b, b_work.buf, SIZE, 0x5a5a5a5a,
					  &sb));
	igt_assert_eq(vkWaitForFences(e.b.device, 1, &b_fence, VK_TRUE,
				      60ull * 1000 * 1000 * 1000), VK_SUCCESS);
	check_value(map(&e.b, b_work.mem), SIZE, 0x5a5a5a5a);

	/* the exporter's fill is complete once B ran: a new export of
	 * its next signal is pollable, too */
	igt_assert_eq(vkQueueWaitIdle(e.a.queue), VK_SUCCESS);
	check_value(map(&e.a, a_work.mem), SIZE, 0xa5a5a5a5);
	igt_vk_cmd_free(&e.a, cmd);
	cmd = igt_vk_fill(&e.a, a_work.buf, SIZE, 0x1, &sa);
	fd = igt_vk_semaphore_fd(&e.a, a_sem, type);
	igt_assert_lte(0, fd);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	igt_assert_eq(poll(&pfd, 1, 60000), 1);
	close(fd);
	igt_assert_eq(vkQueueWaitIdle(e.a.queue), VK_SUCCESS);
	igt_vk_cmd_free(&e.a, cmd);

	vkDestroyFence(e.b.device, b_fence, NULL);
	vkDestroySemaphore(e.b.device, b_sem, NULL);
	vkDestroySemaphore(e.a.device, a_sem, NULL);
	scratch_fini(&e.b, &b_work);
	scratch_fini(&e.a, &a_work);
	env_fini(&e);
}

static void test_fence_opaque_fd(void)
{
	const VkExternalFenceHandleTypeFlagBits type =
		VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT;
	struct igt_vk_submit s = { 0 };
	struct scratch a_work;
	VkFence a_fence, b_fence;
	struct env e;
	int fd;

	env_init(&e, true);
	scratch_init(&e.a, &a_work);
	a_fence = make_fence(&e.a, type);
	b_fence = make_fence(&e.b, 0);
	fd = igt_vk_fence_fd(&e.a, a_fence, type);
	igt_assert_lte(0, fd);
	igt_assert_eq(igt_vk_import_fence_fd(&e.b, b_fence, type, 0, fd), VK_SUCCESS);
	igt_assert_eq(vkGetFenceStatus(e.b.device, b_fence), VK_NOT_READY);

	/* permanent, shared payload: A's submission signals B's fence,
	 * and B's reset is A's */
	s.fence = a_fence;
	igt_vk_cmd_free(&e.a, igt_vk_fill(&e.a, a_work.buf, SIZE, 7, &s));
	igt_assert_eq(vkWaitForFences(e.b.device, 1, &b_fence, VK_TRUE,
				      60ull * 1000 * 1000 * 1000), VK_SUCCESS);
	igt_assert_eq(vkResetFences(e.b.device, 1, &b_fence), VK_SUCCESS);
	igt_assert_eq(vkGetFenceStatus(e.a.device, a_fence), VK_NOT_READY);

	vkDestroyFence(e.b.device, b_fence, NULL);
	vkDestroyFence(e.a.device, a_fence, NULL);
	scratch_fini(&e.a, &a_work);
	env_fini(&e);
}

static void test_semaphore_opaque_fd_timeline(void)
{
	const VkExternalSemaphoreHandleTypeFlagBits type =
		VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;
	VkSemaphoreSignalInfo signal = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
		.value = 5,
	};
	VkSemaphore a_sem, b_sem;
	uint64_t value = 0;
	struct env e;
	int fd;

	env_init(&e, true);
	a_sem = igt_vk_semaphore_create(&e.a, true, 0, type);
	b_sem = igt_vk_semaphore_create(&e.b, true, 0, 0);
	fd = igt_vk_semaphore_fd(&e.a, a_sem, type);
	igt_assert_lte(0, fd);
	igt_assert_eq(igt_vk_import_semaphore_fd(&e.b, b_sem, type, 0, fd), VK_SUCCESS);

	signal.semaphore = a_sem;
	igt_assert_eq(vkSignalSemaphore(e.a.device, &signal), VK_SUCCESS);
	igt_assert_eq(vkGetSemaphoreCounterValue(e.b.device, b_sem, &value),
		      VK_SUCCESS);
	igt_assert_eq_u64(value, 5);
	signal.semaphore = b_sem;
	signal.value = 9;
	igt_assert_eq(vkSignalSemaphore(e.b.device, &signal), VK_SUCCESS);
	igt_assert_eq(vkGetSemaphoreCounterValue(e.a.device, a_sem, &value),
		      VK_SUCCESS);
	igt_assert_eq_u64(value, 9);

	vkDestroySemaphore(e.b.device, b_sem, NULL);
	vkDestroySemaphore(e.a.device, a_sem, NULL);
	env_fini(&e);
}

/*
 * Calls outside valid usage, under the validation layer, which may report
 * their VUIDs (and nothing else): the driver still refuses them with VK_ERROR_INVALID_EXTERNAL_HANDLE rather than
 * binding what it was not given, and leaves the descriptors of failed
 * imports to the application.
 */
static void test_invalid_usage_refused(void)
{
	/* what the layer may say about the calls below (the VUIDs they break) */
	static const char *const invalid_usage_expect[] = {
		"VUID-vkGetMemoryHostPointerPropertiesEXT-pHostPointer-01753",
		"VUID-VkImportMemoryHostPointerInfoEXT-pHostPointer-01749",
		"VUID-VkImportMemoryFdInfoKHR-handleType-00670",
		"VUID-VkImportSemaphoreFdInfoKHR-handleType-01143",
		NULL,
	};
	const VkExternalMemoryHandleTypeFlagBits host =
		VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT;
	VkDeviceMemory mem = VK_NULL_HANDLE;
	uint32_t bits = ~0u;
	VkSemaphore sem;
	struct env e;
	int memfd;
	char *ptr;

	ptr = mmap(NULL, 2 * SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(ptr != MAP_FAILED);
	memfd = memfd_create("not-a-handle", MFD_CLOEXEC);
	igt_assert_lte(0, memfd);
	igt_assert_eq(ftruncate(memfd, SIZE), 0);
	env_init(&e, false);
	igt_vk_expect(&e.vk, invalid_usage_expect);

	/* VUID-VkImportMemoryHostPointerInfoEXT-pHostPointer-01749 */
	igt_assert_eq(host_pointer_props(&e.a, host, ptr + 64, &bits),
		      VK_ERROR_INVALID_EXTERNAL_HANDLE);
	igt_assert_eq_u32(bits, 0);
	igt_assert_eq(import_host(&e.a, host, ptr + 64, &mem),
		      VK_ERROR_INVALID_EXTERNAL_HANDLE);

	/* VUID-VkImportMemoryFdInfoKHR-handleType-00670 */
	igt_assert_eq(import_memory(&e.a,
				    VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT,
				    memfd, &mem),
		      VK_ERROR_INVALID_EXTERNAL_HANDLE);
	igt_assert_eq(import_memory(&e.a,
				    VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT,
				    memfd, &mem),
		      VK_ERROR_INVALID_EXTERNAL_HANDLE);
	igt_assert(fd_is_open(memfd));

	/* VUID-VkImportSemaphoreFdInfoKHR-handleType-01143 */
	sem = igt_vk_semaphore_create(&e.a, false, 0, 0);
	igt_assert_eq(igt_vk_import_semaphore_fd(&e.a, sem,
				       VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT,
				       VK_SEMAPHORE_IMPORT_TEMPORARY_BIT, memfd),
		      VK_ERROR_INVALID_EXTERNAL_HANDLE);
	igt_assert_eq(igt_vk_import_semaphore_fd(&e.a, sem,
				       VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
				       0, memfd),
		      VK_ERROR_INVALID_EXTERNAL_HANDLE);
	igt_assert(fd_is_open(memfd));
	vkDestroySemaphore(e.a.device, sem, NULL);

	env_fini(&e);
	close(memfd);
	munmap(ptr, 2 * SIZE);
}

igt_main
{
	igt_fixture
		igt_vk_setup();

	igt_describe("The capability queries advertise what the driver does: "
		     "dma-buf and opaque fd memory export and import, host "
		     "memory import only, SYNC_FD and OPAQUE_FD for fences "
		     "and binary semaphores, OPAQUE_FD only for timelines, "
		     "nothing for other handle types; the host pointer "
		     "alignment is 4096.");
	igt_subtest("caps")
		test_caps();

	igt_describe("OPAQUE_FD memory shared between two devices, both "
		     "ways: the importer reads what the exporter wrote, and "
		     "its GPU writes reach the exporter.");
	igt_subtest("opaque-fd-other-device")
		test_other_device(VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT);

	igt_describe("DMA_BUF_EXT memory shared between two devices, both "
		     "ways, with vkGetMemoryFdPropertiesKHR.");
	igt_subtest("dma-buf-other-device")
		test_other_device(VK_EXTERNAL_MEMORY_HANDLE_TYPE_DMA_BUF_BIT_EXT);

	igt_subtest_group {
		int vgem = -1;

		igt_fixture
			vgem = drm_open_driver_primary(DRIVER_VGEM);

		igt_describe("vgem imports the dma-buf of Vulkan memory and "
			     "sees what the GPU filled it with.");
		igt_subtest("dma-buf-to-vgem")
			test_dma_buf_to_vgem(vgem);

		igt_describe("A vgem buffer imported as DMA_BUF_EXT: the GPU "
			     "copies its contents, and a GPU fill of it is "
			     "seen through vgem.");
		igt_subtest("vgem-to-vulkan")
			test_vgem_to_vulkan(vgem);

		igt_fixture
			close(vgem);
	}

	igt_describe("Page-aligned heap memory imported as HOST_ALLOCATION "
		     "receives a GPU copy.");
	igt_subtest("host-pointer-malloc")
		test_host_pointer(HOST_MALLOC);

	igt_describe("An anonymous mapping imported as HOST_ALLOCATION is a "
		     "GPU copy's source.");
	igt_subtest("host-pointer-mmap")
		test_host_pointer(HOST_MMAP);

	igt_describe("A shared memfd mapping imported as "
		     "HOST_MAPPED_FOREIGN_MEMORY receives a GPU fill, read "
		     "back through the file.");
	igt_subtest("host-pointer-foreign-memfd")
		test_host_pointer(HOST_MEMFD);

	igt_describe("A mapping of device memory (a BO's mmap) is not a host "
		     "pointer the kernel can bind: "
		     "VK_ERROR_INVALID_EXTERNAL_HANDLE.");
	igt_subtest("host-pointer-device-mapping")
		test_host_pointer_device_mapping();

	igt_describe("Read-only host memory cannot be imported (the GPU "
		     "could write it): VK_ERROR_INVALID_EXTERNAL_HANDLE.");
	igt_subtest("host-pointer-read-only")
		test_host_pointer_read_only();

	igt_describe("vkGetMemoryFdPropertiesKHR on a memfd: not a dma-buf, "
		     "VK_ERROR_INVALID_EXTERNAL_HANDLE and no memory type.");
	igt_subtest("fd-properties-not-dmabuf")
		test_fd_properties_not_dmabuf();

	igt_describe("A fence exported as a sync_file becomes readable when "
		     "the work completes and, imported temporarily into "
		     "another device's fence, signals it; vkResetFences then "
		     "restores the unsignalled permanent payload.");
	igt_subtest("fence-sync-file")
		test_fence_sync_file();

	igt_describe("Importing the sync_file -1 signals a fence.");
	igt_subtest("fence-sync-file-signaled")
		test_fence_sync_file_signaled();

	igt_describe("A semaphore signalled by one device's work and "
		     "exported as a sync_file is waited for by another "
		     "device's work.");
	igt_subtest("semaphore-sync-file")
		test_semaphore_sync_file();

	igt_describe("A fence imported permanently from OPAQUE_FD shares its "
		     "payload with the exporter: the exporter's submission "
		     "signals the importer's fence.");
	igt_subtest("fence-opaque-fd")
		test_fence_opaque_fd();

	igt_describe("A timeline semaphore shared as OPAQUE_FD, both ways: a "
		     "value signalled on one device is read on the other.");
	igt_subtest("semaphore-opaque-fd-timeline")
		test_semaphore_opaque_fd_timeline();

	igt_describe("Calls outside valid usage (the validation layer may "
		     "report their VUIDs, nothing else): a misaligned host "
		     "pointer, and memfds passed as dma-buf, opaque fd, "
		     "sync_file or syncobj file, are refused with "
		     "VK_ERROR_INVALID_EXTERNAL_HANDLE; failed imports leave "
		     "the descriptor open.");
	igt_subtest("invalid-usage-refused")
		test_invalid_usage_refused();
}
