/* SPDX-License-Identifier: MIT */
/*
 * physical_device.c - VkPhysicalDevice: one per svmgpu render node.
 *
 * What the device reports is what the driver does today: transfer-only
 * queue families (one per engine), one memory heap with one
 * device-local, host-visible, host-coherent type backed by GEM, no
 * shader, image or query features, and limits at the values the spec
 * requires where the hardware has no such feature (docs/vulkan.md).
 */
#include <stdio.h>
#include <sys/sysinfo.h>

#include "svk_private.h"

VkResult
svk_enumerate_device_extensions(const struct svk_extension_set *supported,
				uint32_t *count, VkExtensionProperties *props);

/* Not registered with Khronos: see docs/vulkan.md, "Identity". */
#define SVK_VENDOR_ID		0x0
#define SVK_DRIVER_ID		((VkDriverId)0x5356)
#define SVK_QUEUES_PER_FAMILY	4

static void
make_uuid(uint8_t uuid[VK_UUID_SIZE], const char *what, uint64_t a, uint64_t b)
{
	/* FNV-1a over the inputs, twice with different seeds: stable and
	 * unique enough for ids that only need to differ between drivers,
	 * devices and builds. */
	uint64_t h[2] = { 0xcbf29ce484222325ull, 0x84222325cbf29ce4ull };
	unsigned int k;
	const char *p;

	for (k = 0; k < 2; k++) {
		for (p = what; *p; p++)
			h[k] = (h[k] ^ (uint8_t)*p) * 0x100000001b3ull;
		h[k] = (h[k] ^ a) * 0x100000001b3ull;
		h[k] = (h[k] ^ b) * 0x100000001b3ull;
	}
	memcpy(uuid, h, VK_UUID_SIZE);
}

VkResult
svk_physical_device_init(struct svk_instance *instance,
			 struct svk_physical_device *pdev, unsigned int index)
{
	struct sysinfo si;
	VkResult r;
	unsigned int i;

	svk_object_init(&pdev->base, VK_OBJECT_TYPE_PHYSICAL_DEVICE);
	pdev->instance = instance;
	pdev->index = index;
	r = svk_ws_device_open(index, &pdev->ws, &pdev->info,
			       &pdev->kernel_features);
	if (r != VK_SUCCESS)
		return r;
	pdev->queue_family_count = SVK_MIN(pdev->info->num_engines,
					   SVK_MAX_QUEUE_FAMILIES);
	/* BOs are backed by system memory (shmem): the heap is the part of
	 * RAM we let Vulkan count on, three quarters of it. */
	if (sysinfo(&si) == 0)
		pdev->heap_size = (uint64_t)si.totalram * si.mem_unit / 4 * 3;
	else
		pdev->heap_size = 1ull << 30;
	pdev->heap_size = SVK_MIN(pdev->heap_size, pdev->info->max_bo_size);
	for (i = SVK_INSTANCE_EXT_COUNT; i < SVK_EXT_COUNT; i++)
		pdev->supported.on[i] = true;
	svk_svm_physical_device_init(pdev);
	make_uuid(pdev->device_uuid, pdev->info->node, pdev->info->device_index,
		  pdev->info->hw_revision);
	make_uuid(pdev->driver_uuid, "svmgpu-vulkan", SVK_DRIVER_VERSION, 0);
	make_uuid(pdev->cache_uuid, "svmgpu-cache " __DATE__ " " __TIME__,
		  SVK_DRIVER_VERSION, pdev->info->hw_revision);
	return VK_SUCCESS;
}

void
svk_physical_device_finish(struct svk_physical_device *pdev)
{
	svk_ws_device_close(pdev->ws);
	svk_object_finish(&pdev->base, &pdev->instance->alloc);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_EnumerateDeviceExtensionProperties(VkPhysicalDevice physicalDevice,
				       const char *pLayerName,
				       uint32_t *pPropertyCount,
				       VkExtensionProperties *pProperties)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);

	if (pLayerName)
		return VK_ERROR_LAYER_NOT_PRESENT;
	return svk_enumerate_device_extensions(&pdev->supported, pPropertyCount,
					       pProperties);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_EnumerateDeviceLayerProperties(VkPhysicalDevice physicalDevice,
				   uint32_t *pPropertyCount,
				   VkLayerProperties *pProperties)
{
	(void)physicalDevice;
	(void)pProperties;
	*pPropertyCount = 0;
	return VK_SUCCESS;
}

/*
 * The features: one table, from which vkGetPhysicalDeviceFeatures(2)'s
 * answer and vkCreateDevice's check (svk_physical_device_check_features())
 * are both derived. One row per feature struct the driver knows (core
 * 1.0-1.2 and the promoted 1.1/1.2 structs, VK_KHR_synchronization2,
 * VK_EXT_device_fault): its VkBool32 members, the byte range [first,
 * end) from its first to its last member (the tail padding after the
 * last is never read: applications need not initialise it), and the
 * offsets of the supported ones. Every other member is VK_FALSE, and
 * asking for it fails vkCreateDevice with VK_ERROR_FEATURE_NOT_PRESENT.
 * No shaders, images, samplers or queries yet: no 1.0 feature is
 * supported, robustBufferAccess included (it is about shader accesses;
 * the driver is not conformant until compute lands).
 *
 * VK_EXT_system_allocated_memory's features depend on the kernel and
 * select the device's VM and sync backend: svm.c answers and checks
 * them (svk_svm_fill_features(), svk_svm_device_create()).
 */
#define SVK_MAX_SUPPORTED 4

struct feature_struct {
	VkStructureType type;
	size_t size;
	size_t first, end;
	unsigned int num_supported;
	size_t supported[SVK_MAX_SUPPORTED];
};

#define FEATURES(stype, T, first_member, last_member, ...)		\
	{								\
		.type = (stype), .size = sizeof(T),			\
		.first = offsetof(T, first_member),			\
		.end = offsetof(T, last_member) + sizeof(VkBool32),	\
		.num_supported = sizeof((size_t[]){ 0, ##__VA_ARGS__ }) /	\
				 sizeof(size_t) - 1,			\
		.supported = { __VA_ARGS__ },				\
	}
#define ON(T, member) offsetof(T, member)
/* a struct of one member, supported */
#define FEATURE(stype, T, member) FEATURES(stype, T, member, member, ON(T, member))
/* a struct of one member, not supported */
#define FEATURE_OFF(stype, T, member) FEATURES(stype, T, member, member)

static const struct feature_struct feature_structs[] = {
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
		 VkPhysicalDeviceFeatures2,
		 features.robustBufferAccess, features.inheritedQueries),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
		 VkPhysicalDeviceVulkan11Features,
		 storageBuffer16BitAccess, shaderDrawParameters),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
		 VkPhysicalDeviceVulkan12Features,
		 samplerMirrorClampToEdge, subgroupBroadcastDynamicId,
		 ON(VkPhysicalDeviceVulkan12Features, hostQueryReset),
		 ON(VkPhysicalDeviceVulkan12Features, timelineSemaphore),
		 ON(VkPhysicalDeviceVulkan12Features, bufferDeviceAddress),
		 ON(VkPhysicalDeviceVulkan12Features, bufferDeviceAddressCaptureReplay)),
	FEATURE(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_HOST_QUERY_RESET_FEATURES,
		VkPhysicalDeviceHostQueryResetFeatures, hostQueryReset),
	FEATURE(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
		VkPhysicalDeviceTimelineSemaphoreFeatures, timelineSemaphore),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_BUFFER_DEVICE_ADDRESS_FEATURES,
		 VkPhysicalDeviceBufferDeviceAddressFeatures,
		 bufferDeviceAddress, bufferDeviceAddressMultiDevice,
		 ON(VkPhysicalDeviceBufferDeviceAddressFeatures, bufferDeviceAddress),
		 ON(VkPhysicalDeviceBufferDeviceAddressFeatures, bufferDeviceAddressCaptureReplay)),
	FEATURE(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYNCHRONIZATION_2_FEATURES,
		VkPhysicalDeviceSynchronization2Features, synchronization2),
	/* queue state gives address, access and reason; there is no vendor
	 * binary (vendorBinarySize is always 0) */
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FAULT_FEATURES_EXT,
		 VkPhysicalDeviceFaultFeaturesEXT,
		 deviceFault, deviceFaultVendorBinary,
		 ON(VkPhysicalDeviceFaultFeaturesEXT, deviceFault)),
	/* the 1.1/1.2 structs of features the driver does not have: all
	 * VK_FALSE */
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES,
		 VkPhysicalDevice16BitStorageFeatures,
		 storageBuffer16BitAccess, storageInputOutput16),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES,
		 VkPhysicalDeviceMultiviewFeatures,
		 multiview, multiviewTessellationShader),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VARIABLE_POINTERS_FEATURES,
		 VkPhysicalDeviceVariablePointersFeatures,
		 variablePointersStorageBuffer, variablePointers),
	FEATURE_OFF(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROTECTED_MEMORY_FEATURES,
		    VkPhysicalDeviceProtectedMemoryFeatures, protectedMemory),
	FEATURE_OFF(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SAMPLER_YCBCR_CONVERSION_FEATURES,
		    VkPhysicalDeviceSamplerYcbcrConversionFeatures, samplerYcbcrConversion),
	FEATURE_OFF(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_DRAW_PARAMETERS_FEATURES,
		    VkPhysicalDeviceShaderDrawParametersFeatures, shaderDrawParameters),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_8BIT_STORAGE_FEATURES,
		 VkPhysicalDevice8BitStorageFeatures,
		 storageBuffer8BitAccess, storagePushConstant8),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_INT64_FEATURES,
		 VkPhysicalDeviceShaderAtomicInt64Features,
		 shaderBufferInt64Atomics, shaderSharedInt64Atomics),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES,
		 VkPhysicalDeviceShaderFloat16Int8Features,
		 shaderFloat16, shaderInt8),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DESCRIPTOR_INDEXING_FEATURES,
		 VkPhysicalDeviceDescriptorIndexingFeatures,
		 shaderInputAttachmentArrayDynamicIndexing, runtimeDescriptorArray),
	FEATURE_OFF(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SCALAR_BLOCK_LAYOUT_FEATURES,
		    VkPhysicalDeviceScalarBlockLayoutFeatures, scalarBlockLayout),
	FEATURE_OFF(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGELESS_FRAMEBUFFER_FEATURES,
		    VkPhysicalDeviceImagelessFramebufferFeatures, imagelessFramebuffer),
	FEATURE_OFF(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_UNIFORM_BUFFER_STANDARD_LAYOUT_FEATURES,
		    VkPhysicalDeviceUniformBufferStandardLayoutFeatures, uniformBufferStandardLayout),
	FEATURE_OFF(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_SUBGROUP_EXTENDED_TYPES_FEATURES,
		    VkPhysicalDeviceShaderSubgroupExtendedTypesFeatures, shaderSubgroupExtendedTypes),
	FEATURE_OFF(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SEPARATE_DEPTH_STENCIL_LAYOUTS_FEATURES,
		    VkPhysicalDeviceSeparateDepthStencilLayoutsFeatures, separateDepthStencilLayouts),
	FEATURES(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_MEMORY_MODEL_FEATURES,
		 VkPhysicalDeviceVulkanMemoryModelFeatures,
		 vulkanMemoryModel, vulkanMemoryModelAvailabilityVisibilityChains),
};

#undef FEATURE_OFF
#undef FEATURE
#undef ON
#undef FEATURES

static const struct feature_struct *
find_feature_struct(VkStructureType type)
{
	size_t i;

	for (i = 0; i < SVK_ARRAY_SIZE(feature_structs); i++)
		if (feature_structs[i].type == type)
			return &feature_structs[i];
	return NULL;
}

static bool
feature_supported(const struct feature_struct *f, size_t off)
{
	unsigned int i;

	for (i = 0; i < f->num_supported; i++)
		if (f->supported[i] == off)
			return true;
	return false;
}

/* The answer for @s (sType and pNext kept): every member VK_FALSE but
 * the supported ones. */
static void
fill_feature_struct(const struct feature_struct *f, VkBaseOutStructure *s)
{
	const VkBool32 on = VK_TRUE;
	unsigned int i;

	memset((char *)s + sizeof(*s), 0, f->size - sizeof(*s));
	for (i = 0; i < f->num_supported; i++)
		memcpy((char *)s + f->supported[i], &on, sizeof(on));
}

/* Whether @s enables a member that is not supported. Members are read
 * one by one: structure padding is never read. */
static bool
wants_unsupported(const struct feature_struct *f, const void *s)
{
	size_t off;

	for (off = f->first; off < f->end; off += sizeof(VkBool32)) {
		VkBool32 v;

		memcpy(&v, (const char *)s + off, sizeof(v));
		if (v && !feature_supported(f, off))
			return true;
	}
	return false;
}

VkResult
svk_physical_device_check_features(const VkDeviceCreateInfo *info)
{
	const VkBaseInStructure *s;

	/* Spec "Device Creation": a feature the device does not support
	 * makes creation fail with VK_ERROR_FEATURE_NOT_PRESENT. */
	if (info->pEnabledFeatures) {
		VkPhysicalDeviceFeatures2 f2 = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
			.features = *info->pEnabledFeatures,
		};

		if (wants_unsupported(find_feature_struct(f2.sType), &f2))
			return VK_ERROR_FEATURE_NOT_PRESENT;
	}
	for (s = info->pNext; s; s = s->pNext) {
		const struct feature_struct *f = find_feature_struct(s->sType);

		/* other structs are not features, or features of
		 * extensions not enabled (their VUs forbid them), or
		 * VK_EXT_system_allocated_memory's (svm.c) */
		if (f && wants_unsupported(f, s))
			return VK_ERROR_FEATURE_NOT_PRESENT;
	}
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceFeatures2(VkPhysicalDevice physicalDevice,
			       VkPhysicalDeviceFeatures2 *pFeatures)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);
	VkBaseOutStructure *s;

	fill_feature_struct(find_feature_struct(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2),
			    (VkBaseOutStructure *)pFeatures);
	for (s = pFeatures->pNext; s; s = s->pNext) {
		const struct feature_struct *f;

		if (svk_svm_fill_features(pdev, s))	/* svm.c */
			continue;
		f = find_feature_struct(s->sType);
		if (f)
			fill_feature_struct(f, s);
	}
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceFeatures(VkPhysicalDevice physicalDevice,
			      VkPhysicalDeviceFeatures *pFeatures)
{
	VkPhysicalDeviceFeatures2 f2 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
	};

	svk_GetPhysicalDeviceFeatures2(physicalDevice, &f2);
	*pFeatures = f2.features;
}

static void
fill_limits(const struct svk_physical_device *pdev, VkPhysicalDeviceLimits *l)
{
	memset(l, 0, sizeof(*l));
	/* Image, shader, descriptor and framebuffer limits: the minimum the
	 * spec's "Required Limits" table allows, as the features are not
	 * supported (nothing can be created that would use more). */
	l->maxImageDimension1D = 4096;
	l->maxImageDimension2D = 4096;
	l->maxImageDimension3D = 256;
	l->maxImageDimensionCube = 4096;
	l->maxImageArrayLayers = 256;
	l->maxTexelBufferElements = 65536;
	l->maxUniformBufferRange = 16384;
	l->maxStorageBufferRange = 1u << 27;
	l->maxPushConstantsSize = 128;
	l->maxMemoryAllocationCount = 4096;
	l->maxSamplerAllocationCount = 4000;
	l->bufferImageGranularity = 4096;
	l->sparseAddressSpaceSize = 0;
	l->maxBoundDescriptorSets = 4;
	l->maxPerStageDescriptorSamplers = 16;
	l->maxPerStageDescriptorUniformBuffers = 12;
	l->maxPerStageDescriptorStorageBuffers = 4;
	l->maxPerStageDescriptorSampledImages = 16;
	l->maxPerStageDescriptorStorageImages = 4;
	l->maxPerStageDescriptorInputAttachments = 4;
	l->maxPerStageResources = 128;
	l->maxDescriptorSetSamplers = 96;
	l->maxDescriptorSetUniformBuffers = 72;
	l->maxDescriptorSetUniformBuffersDynamic = 8;
	l->maxDescriptorSetStorageBuffers = 24;
	l->maxDescriptorSetStorageBuffersDynamic = 4;
	l->maxDescriptorSetSampledImages = 96;
	l->maxDescriptorSetStorageImages = 24;
	l->maxDescriptorSetInputAttachments = 4;
	l->maxVertexInputAttributes = 16;
	l->maxVertexInputBindings = 16;
	l->maxVertexInputAttributeOffset = 2047;
	l->maxVertexInputBindingStride = 2048;
	l->maxVertexOutputComponents = 64;
	l->maxFragmentInputComponents = 64;
	l->maxFragmentOutputAttachments = 4;
	l->maxFragmentCombinedOutputResources = 4;
	l->maxComputeSharedMemorySize = 16384;
	l->maxComputeWorkGroupCount[0] = 65535;
	l->maxComputeWorkGroupCount[1] = 65535;
	l->maxComputeWorkGroupCount[2] = 65535;
	l->maxComputeWorkGroupInvocations = 128;
	l->maxComputeWorkGroupSize[0] = 128;
	l->maxComputeWorkGroupSize[1] = 128;
	l->maxComputeWorkGroupSize[2] = 64;
	l->subPixelPrecisionBits = 4;
	l->subTexelPrecisionBits = 4;
	l->mipmapPrecisionBits = 4;
	l->maxDrawIndexedIndexValue = (1u << 24) - 1;
	l->maxDrawIndirectCount = 1;
	l->maxSamplerLodBias = 2;
	l->maxSamplerAnisotropy = 1;
	l->maxViewports = 1;
	l->maxViewportDimensions[0] = 4096;
	l->maxViewportDimensions[1] = 4096;
	l->viewportBoundsRange[0] = -8192;
	l->viewportBoundsRange[1] = 8191;
	l->minMemoryMapAlignment = 4096;
	l->minTexelBufferOffsetAlignment = 256;
	l->minUniformBufferOffsetAlignment = 256;
	l->minStorageBufferOffsetAlignment = 256;
	l->maxTexelOffset = 7;
	l->minTexelOffset = -8;
	l->maxFramebufferWidth = 4096;
	l->maxFramebufferHeight = 4096;
	l->maxFramebufferLayers = 256;
	l->framebufferColorSampleCounts = VK_SAMPLE_COUNT_1_BIT;
	l->framebufferDepthSampleCounts = VK_SAMPLE_COUNT_1_BIT;
	l->framebufferStencilSampleCounts = VK_SAMPLE_COUNT_1_BIT;
	l->framebufferNoAttachmentsSampleCounts = VK_SAMPLE_COUNT_1_BIT;
	l->maxColorAttachments = 4;
	l->sampledImageColorSampleCounts = VK_SAMPLE_COUNT_1_BIT;
	l->sampledImageIntegerSampleCounts = VK_SAMPLE_COUNT_1_BIT;
	l->sampledImageDepthSampleCounts = VK_SAMPLE_COUNT_1_BIT;
	l->sampledImageStencilSampleCounts = VK_SAMPLE_COUNT_1_BIT;
	l->storageImageSampleCounts = VK_SAMPLE_COUNT_1_BIT;
	l->maxSampleMaskWords = 1;
	l->timestampComputeAndGraphics = VK_FALSE;
	l->timestampPeriod = 1.0f;	/* TIMESTAMP counts nanoseconds */
	l->maxClipDistances = 0;
	l->maxCullDistances = 0;
	l->maxCombinedClipAndCullDistances = 0;
	l->discreteQueuePriorities = 2;
	l->pointSizeRange[0] = 1.0f;
	l->pointSizeRange[1] = 1.0f;
	l->lineWidthRange[0] = 1.0f;
	l->lineWidthRange[1] = 1.0f;
	l->strictLines = VK_FALSE;
	l->standardSampleLocations = VK_FALSE;
	/* Transfers: the engine's COPY has no alignment rule; FILL and
	 * UpdateBuffer work on 4-byte units as Vulkan requires anyway. */
	l->optimalBufferCopyOffsetAlignment = 1;
	l->optimalBufferCopyRowPitchAlignment = 1;
	l->nonCoherentAtomSize = 64;
	(void)pdev;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceProperties(VkPhysicalDevice physicalDevice,
				VkPhysicalDeviceProperties *p)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);

	memset(p, 0, sizeof(*p));
	p->apiVersion = SVK_API_VERSION;
	p->driverVersion = SVK_DRIVER_VERSION;
	p->vendorID = SVK_VENDOR_ID;
	p->deviceID = pdev->info->hw_revision;
	p->deviceType = VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU;
	snprintf(p->deviceName, sizeof(p->deviceName), "svmgpu %u (%s)",
		 pdev->info->device_index,
		 pdev->info->node[0] ? pdev->info->node : "?");
	memcpy(p->pipelineCacheUUID, pdev->cache_uuid, VK_UUID_SIZE);
	fill_limits(pdev, &p->limits);
}

static void
fill_properties_11(const struct svk_physical_device *pdev,
		   VkPhysicalDeviceVulkan11Properties *p)
{
	memcpy(p->deviceUUID, pdev->device_uuid, VK_UUID_SIZE);
	memcpy(p->driverUUID, pdev->driver_uuid, VK_UUID_SIZE);
	memset(p->deviceLUID, 0, VK_LUID_SIZE);
	p->deviceNodeMask = 0;
	p->deviceLUIDValid = VK_FALSE;
	p->subgroupSize = 1;
	p->subgroupSupportedStages = 0;
	p->subgroupSupportedOperations = 0;
	p->subgroupQuadOperationsInAllStages = VK_FALSE;
	p->pointClippingBehavior = VK_POINT_CLIPPING_BEHAVIOR_ALL_CLIP_PLANES;
	p->maxMultiviewViewCount = 0;
	p->maxMultiviewInstanceIndex = 0;
	p->protectedNoFault = VK_FALSE;
	p->maxPerSetDescriptors = 1024;
	p->maxMemoryAllocationSize = SVK_MIN(pdev->heap_size,
					     pdev->info->max_bo_size);
}

static void
fill_properties_12(const struct svk_physical_device *pdev,
		   VkPhysicalDeviceVulkan12Properties *p)
{
	void *next = p->pNext;
	VkStructureType st = p->sType;

	memset(p, 0, sizeof(*p));
	p->sType = st;
	p->pNext = next;
	p->driverID = SVK_DRIVER_ID;
	snprintf(p->driverName, sizeof(p->driverName), "svmgpu");
	snprintf(p->driverInfo, sizeof(p->driverInfo),
		 "svmgpu Vulkan ICD 0.1.0, kernel driver %d.%d.%d",
		 pdev->info->drm_major, pdev->info->drm_minor,
		 pdev->info->drm_patchlevel);
	/* Not tested against the CTS: 0.0.0.0. */
	p->denormBehaviorIndependence = VK_SHADER_FLOAT_CONTROLS_INDEPENDENCE_NONE;
	p->roundingModeIndependence = VK_SHADER_FLOAT_CONTROLS_INDEPENDENCE_NONE;
	p->maxUpdateAfterBindDescriptorsInAllPools = 0;
	p->maxTimelineSemaphoreValueDifference = UINT64_MAX;
	p->framebufferIntegerColorSampleCounts = VK_SAMPLE_COUNT_1_BIT;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceProperties2(VkPhysicalDevice physicalDevice,
				 VkPhysicalDeviceProperties2 *pProperties)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);
	VkBaseOutStructure *s;

	svk_GetPhysicalDeviceProperties(physicalDevice, &pProperties->properties);
	for (s = pProperties->pNext; s; s = s->pNext) {
		if (svk_svm_fill_properties(pdev, s))	/* svm.c */
			continue;
		switch ((int)s->sType) {
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_PROPERTIES:
			fill_properties_11(pdev, (void *)s);
			break;
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_PROPERTIES:
			fill_properties_12(pdev, (void *)s);
			break;
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES: {
			VkPhysicalDeviceIDProperties *p = (void *)s;
			memcpy(p->deviceUUID, pdev->device_uuid, VK_UUID_SIZE);
			memcpy(p->driverUUID, pdev->driver_uuid, VK_UUID_SIZE);
			memset(p->deviceLUID, 0, VK_LUID_SIZE);
			p->deviceNodeMask = 0;
			p->deviceLUIDValid = VK_FALSE;
			break;
		}
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES: {
			VkPhysicalDeviceVulkan12Properties v12 = {
				.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_PROPERTIES,
			};
			VkPhysicalDeviceDriverProperties *p = (void *)s;
			fill_properties_12(pdev, &v12);
			p->driverID = v12.driverID;
			memcpy(p->driverName, v12.driverName, sizeof(p->driverName));
			memcpy(p->driverInfo, v12.driverInfo, sizeof(p->driverInfo));
			p->conformanceVersion = v12.conformanceVersion;
			break;
		}
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES: {
			VkPhysicalDeviceMaintenance3Properties *p = (void *)s;
			p->maxPerSetDescriptors = 1024;
			p->maxMemoryAllocationSize = SVK_MIN(pdev->heap_size,
							     pdev->info->max_bo_size);
			break;
		}
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_PROPERTIES: {
			VkPhysicalDeviceTimelineSemaphoreProperties *p = (void *)s;
			p->maxTimelineSemaphoreValueDifference = UINT64_MAX;
			break;
		}
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES: {
			VkPhysicalDeviceSubgroupProperties *p = (void *)s;
			p->subgroupSize = 1;
			p->supportedStages = 0;
			p->supportedOperations = 0;
			p->quadOperationsInAllStages = VK_FALSE;
			break;
		}
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_POINT_CLIPPING_PROPERTIES: {
			VkPhysicalDevicePointClippingProperties *p = (void *)s;
			p->pointClippingBehavior = VK_POINT_CLIPPING_BEHAVIOR_ALL_CLIP_PLANES;
			break;
		}
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_PROPERTIES: {
			VkPhysicalDeviceMultiviewProperties *p = (void *)s;
			p->maxMultiviewViewCount = 0;
			p->maxMultiviewInstanceIndex = 0;
			break;
		}
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROTECTED_MEMORY_PROPERTIES: {
			VkPhysicalDeviceProtectedMemoryProperties *p = (void *)s;
			p->protectedNoFault = VK_FALSE;
			break;
		}
		case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_MEMORY_HOST_PROPERTIES_EXT: {
			VkPhysicalDeviceExternalMemoryHostPropertiesEXT *p = (void *)s;
			/* userptr bindings are page-granular */
			p->minImportedHostPointerAlignment = 4096;
			break;
		}
		default:
			break;	/* structures we do not know are left as they are */
		}
	}
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceQueueFamilyProperties(VkPhysicalDevice physicalDevice,
					   uint32_t *pCount,
					   VkQueueFamilyProperties *pProps)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);
	uint32_t i, n;

	if (!pProps) {
		*pCount = pdev->queue_family_count;
		return;
	}
	n = SVK_MIN(*pCount, pdev->queue_family_count);
	for (i = 0; i < n; i++) {
		/* One family per engine; transfer only until compute lands.
		 * TIMESTAMP writes a 64-bit nanosecond clock. */
		pProps[i] = (VkQueueFamilyProperties) {
			.queueFlags = VK_QUEUE_TRANSFER_BIT,
			.queueCount = SVK_QUEUES_PER_FAMILY,
			.timestampValidBits = 64,
			.minImageTransferGranularity = { 1, 1, 1 },
		};
	}
	*pCount = n;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceQueueFamilyProperties2(VkPhysicalDevice physicalDevice,
					    uint32_t *pCount,
					    VkQueueFamilyProperties2 *pProps)
{
	VkQueueFamilyProperties tmp[SVK_MAX_QUEUE_FAMILIES];
	uint32_t i, n = SVK_MIN(*pCount, SVK_MAX_QUEUE_FAMILIES);

	if (!pProps) {
		svk_GetPhysicalDeviceQueueFamilyProperties(physicalDevice, pCount,
							   NULL);
		return;
	}
	svk_GetPhysicalDeviceQueueFamilyProperties(physicalDevice, &n, tmp);
	for (i = 0; i < n; i++)
		pProps[i].queueFamilyProperties = tmp[i];
	*pCount = n;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceMemoryProperties(VkPhysicalDevice physicalDevice,
				      VkPhysicalDeviceMemoryProperties *p)
{
	SVK_FROM_HANDLE(svk_physical_device, pdev, physicalDevice);

	memset(p, 0, sizeof(*p));
	/* GEM BOs are system memory the GPU reads and writes coherently
	 * through its MMU: one heap, one type with every property. */
	p->memoryHeapCount = 1;
	p->memoryHeaps[0].size = pdev->heap_size;
	p->memoryHeaps[0].flags = VK_MEMORY_HEAP_DEVICE_LOCAL_BIT;
	p->memoryTypeCount = 1;
	p->memoryTypes[0].heapIndex = 0;
	p->memoryTypes[0].propertyFlags = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT |
					  VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
					  VK_MEMORY_PROPERTY_HOST_COHERENT_BIT |
					  VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceMemoryProperties2(VkPhysicalDevice physicalDevice,
				       VkPhysicalDeviceMemoryProperties2 *p)
{
	svk_GetPhysicalDeviceMemoryProperties(physicalDevice, &p->memoryProperties);
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceFormatProperties(VkPhysicalDevice physicalDevice,
				      VkFormat format, VkFormatProperties *p)
{
	(void)physicalDevice;
	(void)format;
	/* No images and no texel buffers: no format has a feature. */
	memset(p, 0, sizeof(*p));
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceFormatProperties2(VkPhysicalDevice physicalDevice,
				       VkFormat format, VkFormatProperties2 *p)
{
	svk_GetPhysicalDeviceFormatProperties(physicalDevice, format,
					      &p->formatProperties);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetPhysicalDeviceImageFormatProperties(VkPhysicalDevice physicalDevice,
					   VkFormat format, VkImageType type,
					   VkImageTiling tiling,
					   VkImageUsageFlags usage,
					   VkImageCreateFlags flags,
					   VkImageFormatProperties *p)
{
	(void)physicalDevice;
	(void)format;
	(void)type;
	(void)tiling;
	(void)usage;
	(void)flags;
	memset(p, 0, sizeof(*p));
	return VK_ERROR_FORMAT_NOT_SUPPORTED;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_GetPhysicalDeviceImageFormatProperties2(VkPhysicalDevice physicalDevice,
					    const VkPhysicalDeviceImageFormatInfo2 *info,
					    VkImageFormatProperties2 *p)
{
	return svk_GetPhysicalDeviceImageFormatProperties(physicalDevice,
		info->format, info->type, info->tiling, info->usage,
		info->flags, &p->imageFormatProperties);
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceSparseImageFormatProperties(VkPhysicalDevice physicalDevice,
						 VkFormat format, VkImageType type,
						 VkSampleCountFlagBits samples,
						 VkImageUsageFlags usage,
						 VkImageTiling tiling,
						 uint32_t *pPropertyCount,
						 VkSparseImageFormatProperties *p)
{
	(void)physicalDevice;
	(void)format;
	(void)type;
	(void)samples;
	(void)usage;
	(void)tiling;
	(void)p;
	*pPropertyCount = 0;
}

VKAPI_ATTR void VKAPI_CALL
svk_GetPhysicalDeviceSparseImageFormatProperties2(VkPhysicalDevice physicalDevice,
						  const VkPhysicalDeviceSparseImageFormatInfo2 *info,
						  uint32_t *pPropertyCount,
						  VkSparseImageFormatProperties2 *p)
{
	(void)physicalDevice;
	(void)info;
	(void)p;
	*pPropertyCount = 0;
}

/* External memory, fences and semaphores: external_memory.c,
 * external_sync.c. */
