// SPDX-License-Identifier: MIT
/*
 * vkapp.c - the Vulkan set-up shared by the demo and the Vulkan benchmarks
 * (vkapp.h): instance, checked device selection per driver, the device
 * with its queue, command pool and fence, the system-allocated-memory
 * extension, command buffers, page-rounded prefetch, submit-and-wait.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vkapp.h"

/* svmgpu's VkDriverId: 0x5356 ("SV"), not registered (docs/vulkan.md). */
#define SVMGPU_DRIVER_ID 0x5356

const char *vkapp_prog = "vkapp";
int vkapp_unavailable_status = 2;

void vkapp_die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", vkapp_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

void vkapp_check(VkResult r, const char *what)
{
	if (r != VK_SUCCESS)
		vkapp_die(1, "%s failed: VkResult %d", what, (int)r);
}

const char *vkapp_driver_name(enum vkapp_driver driver)
{
	return driver == VKAPP_SVMGPU ? "svmgpu" : "lavapipe";
}

uint64_t vkapp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static const char *driver_files(void)
{
	const char *f = getenv("VK_DRIVER_FILES");

	if (!f)
		f = getenv("VK_ICD_FILENAMES");
	return f ? f : "unset";
}

static VkInstance create_instance(void)
{
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = vkapp_prog,
		.apiVersion = VK_API_VERSION_1_2,
	};
	VkInstanceCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pApplicationInfo = &app,
	};
	VkInstance inst;
	VkResult r = vkCreateInstance(&ici, NULL, &inst);

	if (r == VK_ERROR_INCOMPATIBLE_DRIVER)
		vkapp_die(vkapp_unavailable_status,
			  "no Vulkan driver found (VK_DRIVER_FILES=%s)",
			  driver_files());
	vkapp_check(r, "vkCreateInstance");
	return inst;
}

static bool driver_matches(enum vkapp_driver driver,
			   const VkPhysicalDeviceProperties *p,
			   const VkPhysicalDeviceDriverProperties *dp)
{
	if (driver == VKAPP_LAVAPIPE)
		return dp->driverID == VK_DRIVER_ID_MESA_LLVMPIPE &&
		       p->deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU &&
		       !strncmp(p->deviceName, "llvmpipe", 8);
	return (int)dp->driverID == SVMGPU_DRIVER_ID &&
	       !strcmp(dp->driverName, "svmgpu") &&
	       p->deviceType == VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU &&
	       !strncmp(p->deviceName, "svmgpu", 6);
}

static VkPhysicalDevice pick_device(VkInstance inst, enum vkapp_driver driver,
				    const char *tag)
{
	VkPhysicalDevice devs[16];
	uint32_t n = 16;
	VkResult r = vkEnumeratePhysicalDevices(inst, &n, devs);

	if (r != VK_SUCCESS && r != VK_INCOMPLETE)
		vkapp_check(r, "vkEnumeratePhysicalDevices");
	for (uint32_t i = 0; i < n; i++) {
		VkPhysicalDeviceDriverProperties dp = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES,
		};
		VkPhysicalDeviceProperties2 p2 = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
			.pNext = &dp,
		};
		const VkPhysicalDeviceProperties *p = &p2.properties;

		vkGetPhysicalDeviceProperties2(devs[i], &p2);
		if (tag)
			printf("info %s physical device %u: %s (type %d, vendor 0x%x, "
			       "driver %s id %d, %s)\n", tag, i, p->deviceName,
			       (int)p->deviceType, p->vendorID, dp.driverName,
			       (int)dp.driverID, dp.driverInfo);
		if (driver_matches(driver, p, &dp))
			return devs[i];
	}
	vkapp_die(vkapp_unavailable_status,
		  "no %s device among %u (VK_DRIVER_FILES=%s)%s",
		  vkapp_driver_name(driver), n, driver_files(),
		  driver == VKAPP_LAVAPIPE ?
		  "; lavapipe: /usr/share/vulkan/icd.d/lvp_icd.x86_64.json, "
		  "Debian package mesa-vulkan-drivers" :
		  "; svmgpu: <builddir>/umd/vulkan/svmgpu_devenv_icd.x86_64.json, "
		  "svmgpu.ko loaded");
}

/* The first queue family that can run transfer commands (a graphics or
 * compute family can too, spec "Queue Family Properties"). */
static uint32_t transfer_family(VkPhysicalDevice pdev)
{
	VkQueueFamilyProperties qf[16];
	uint32_t n = 16;
	const VkQueueFlags any = VK_QUEUE_TRANSFER_BIT | VK_QUEUE_GRAPHICS_BIT |
				 VK_QUEUE_COMPUTE_BIT;

	vkGetPhysicalDeviceQueueFamilyProperties(pdev, &n, qf);
	for (uint32_t i = 0; i < n; i++)
		if ((qf[i].queueFlags & any) && qf[i].queueCount)
			return i;
	vkapp_die(1, "the device has no queue family for transfer commands");
}

void vkapp_physical_device_init(struct vkapp_device *d,
				enum vkapp_driver driver, const char *tag)
{
	*d = (struct vkapp_device){ .tag = tag, .driver = driver };
	d->instance = create_instance();
	d->physical_device = pick_device(d->instance, driver, tag);
	d->queue_family = transfer_family(d->physical_device);
}

static const char *const svm_extensions[] = {
	VK_EXT_SYSTEM_ALLOCATED_MEMORY_EXTENSION_NAME,
	VK_EXT_DEVICE_FAULT_EXTENSION_NAME,
};
#define NUM_SVM_EXTENSIONS \
	(sizeof(svm_extensions) / sizeof(svm_extensions[0]))

/* Exits unless the device advertises every one of svm_extensions. */
static void require_svm_extensions(VkPhysicalDevice pdev)
{
	VkExtensionProperties ext[64];
	uint32_t n = 64, found = 0;
	VkResult r = vkEnumerateDeviceExtensionProperties(pdev, NULL, &n, ext);

	if (r != VK_SUCCESS && r != VK_INCOMPLETE)
		vkapp_check(r, "vkEnumerateDeviceExtensionProperties");
	for (uint32_t i = 0; i < n; i++)
		for (unsigned int j = 0; j < NUM_SVM_EXTENSIONS; j++)
			found += !strcmp(ext[i].extensionName, svm_extensions[j]);
	if (found != NUM_SVM_EXTENSIONS)
		vkapp_die(vkapp_unavailable_status,
			  "the device lacks %s or %s (a kernel without fault mode?)",
			  svm_extensions[0], svm_extensions[1]);
}

static PFN_vkVoidFunction device_command(VkDevice dev, const char *name)
{
	PFN_vkVoidFunction f = vkGetDeviceProcAddr(dev, name);

	if (!f)
		vkapp_die(1, "vkGetDeviceProcAddr gave no %s", name);
	return f;
}

static void load_svm_commands(struct vkapp_device *d)
{
	d->cmd_copy_system_memory = (PFN_vkCmdCopySystemMemoryEXT)
		device_command(d->device, "vkCmdCopySystemMemoryEXT");
	d->cmd_fill_system_memory = (PFN_vkCmdFillSystemMemoryEXT)
		device_command(d->device, "vkCmdFillSystemMemoryEXT");
	d->cmd_prefetch_system_memory = (PFN_vkCmdPrefetchSystemMemoryEXT)
		device_command(d->device, "vkCmdPrefetchSystemMemoryEXT");
}

void vkapp_device_init(struct vkapp_device *d, bool svm)
{
	VkPhysicalDeviceSystemAllocatedMemoryFeaturesEXT sam = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_FEATURES_EXT,
		.systemAllocatedMemory = VK_TRUE,
		.systemAllocatedMemoryAddressCommands = VK_TRUE,
	};
	VkPhysicalDeviceVulkan12Features f12 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
		.pNext = &sam,
		.timelineSemaphore = VK_TRUE,
		.bufferDeviceAddress = VK_TRUE,
	};
	const float priority = 1.0f;
	VkDeviceQueueCreateInfo qci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		.queueFamilyIndex = d->queue_family,
		.queueCount = 1,
		.pQueuePriorities = &priority,
	};
	VkDeviceCreateInfo dci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
		.queueCreateInfoCount = 1,
		.pQueueCreateInfos = &qci,
	};
	VkCommandPoolCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
		.queueFamilyIndex = d->queue_family,
	};
	VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };

	if (svm) {
		require_svm_extensions(d->physical_device);
		dci.pNext = &f12;
		dci.enabledExtensionCount = NUM_SVM_EXTENSIONS;
		dci.ppEnabledExtensionNames = svm_extensions;
	}
	if (d->tag)
		printf("info %s driver %s, queue family %u%s\n", d->tag,
		       vkapp_driver_name(d->driver), d->queue_family,
		       svm ? ", systemAllocatedMemory enabled" : "");
	vkapp_check(vkCreateDevice(d->physical_device, &dci, NULL, &d->device),
		    "vkCreateDevice");
	vkGetDeviceQueue(d->device, d->queue_family, 0, &d->queue);
	vkapp_check(vkCreateCommandPool(d->device, &pci, NULL, &d->command_pool),
		    "vkCreateCommandPool");
	vkapp_check(vkCreateFence(d->device, &fci, NULL, &d->fence),
		    "vkCreateFence");
	if (svm)
		load_svm_commands(d);
}

void vkapp_device_finish(struct vkapp_device *d)
{
	vkDestroyFence(d->device, d->fence, NULL);
	vkDestroyCommandPool(d->device, d->command_pool, NULL);
	vkDestroyDevice(d->device, NULL);
	vkDestroyInstance(d->instance, NULL);
}

VkCommandBuffer vkapp_begin_command_buffer(struct vkapp_device *d)
{
	VkCommandBufferAllocateInfo cbai = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
		.commandPool = d->command_pool,
		.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
		.commandBufferCount = 1,
	};
	VkCommandBufferBeginInfo cbbi = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
	};
	VkCommandBuffer cmd;

	vkapp_check(vkAllocateCommandBuffers(d->device, &cbai, &cmd),
		    "vkAllocateCommandBuffers");
	vkapp_check(vkBeginCommandBuffer(cmd, &cbbi), "vkBeginCommandBuffer");
	return cmd;
}

void vkapp_cmd_prefetch_pages(struct vkapp_device *d, VkCommandBuffer cmd,
			      const void *ptr, uint64_t size)
{
	const uint64_t page = 4096;
	uint64_t start = (uintptr_t)ptr & ~(page - 1);
	uint64_t end = ((uintptr_t)ptr + size + page - 1) & ~(page - 1);

	d->cmd_prefetch_system_memory(cmd, start, end - start, 0);
}

uint64_t vkapp_submit_wait(struct vkapp_device *d, VkCommandBuffer cmd,
			   uint64_t timeout_ns)
{
	VkSubmitInfo si = {
		.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
		.commandBufferCount = cmd ? 1 : 0,
		.pCommandBuffers = cmd ? &cmd : NULL,
	};
	uint64_t t0, t1;

	t0 = vkapp_now_ns();
	vkapp_check(vkQueueSubmit(d->queue, 1, &si, d->fence), "vkQueueSubmit");
	vkapp_check(vkWaitForFences(d->device, 1, &d->fence, VK_TRUE, timeout_ns),
		    "vkWaitForFences");
	t1 = vkapp_now_ns();
	vkapp_check(vkResetFences(d->device, 1, &d->fence), "vkResetFences");
	return t1 - t0;
}
