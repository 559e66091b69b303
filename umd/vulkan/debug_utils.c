/* SPDX-License-Identifier: MIT */
/*
 * debug_utils.c - VK_EXT_debug_utils: messengers (the driver reports its
 * own warnings through them), object names and tags, and labels (which
 * the driver accepts and ignores: they have no effect on execution).
 */
#include <stdarg.h>
#include <stdio.h>

#include "svk_private.h"

VKAPI_ATTR VkResult VKAPI_CALL
svk_CreateDebugUtilsMessengerEXT(VkInstance _instance,
				 const VkDebugUtilsMessengerCreateInfoEXT *pCreateInfo,
				 const VkAllocationCallbacks *pAllocator,
				 VkDebugUtilsMessengerEXT *pMessenger)
{
	SVK_FROM_HANDLE(svk_instance, instance, _instance);
	struct svk_debug_messenger *m;

	(void)pAllocator;	/* freed with the instance's callbacks too */
	m = svk_zalloc(&instance->alloc, sizeof(*m),
		       VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
	if (!m)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	svk_object_init(&m->base, VK_OBJECT_TYPE_DEBUG_UTILS_MESSENGER_EXT);
	m->severity = pCreateInfo->messageSeverity;
	m->types = pCreateInfo->messageType;
	m->callback = pCreateInfo->pfnUserCallback;
	m->user_data = pCreateInfo->pUserData;
	pthread_mutex_lock(&instance->lock);
	m->next = instance->messengers;
	instance->messengers = m;
	pthread_mutex_unlock(&instance->lock);
	*pMessenger = svk_debug_messenger_to_handle(m);
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_DestroyDebugUtilsMessengerEXT(VkInstance _instance,
				  VkDebugUtilsMessengerEXT _messenger,
				  const VkAllocationCallbacks *pAllocator)
{
	SVK_FROM_HANDLE(svk_instance, instance, _instance);
	SVK_FROM_HANDLE(svk_debug_messenger, m, _messenger);
	struct svk_debug_messenger **p;

	(void)pAllocator;
	if (!m)
		return;
	pthread_mutex_lock(&instance->lock);
	for (p = &instance->messengers; *p; p = &(*p)->next) {
		if (*p == m) {
			*p = m->next;
			break;
		}
	}
	pthread_mutex_unlock(&instance->lock);
	svk_object_finish(&m->base, &instance->alloc);
	svk_free(&instance->alloc, m);
}

static void
deliver(struct svk_instance *instance,
	VkDebugUtilsMessageSeverityFlagBitsEXT severity,
	VkDebugUtilsMessageTypeFlagsEXT types,
	const VkDebugUtilsMessengerCallbackDataEXT *data)
{
	struct svk_debug_messenger *m;

	pthread_mutex_lock(&instance->lock);
	for (m = instance->messengers; m; m = m->next)
		if ((m->severity & severity) && (m->types & types))
			m->callback(severity, types, data, m->user_data);
	pthread_mutex_unlock(&instance->lock);
}

VKAPI_ATTR void VKAPI_CALL
svk_SubmitDebugUtilsMessageEXT(VkInstance _instance,
			       VkDebugUtilsMessageSeverityFlagBitsEXT severity,
			       VkDebugUtilsMessageTypeFlagsEXT types,
			       const VkDebugUtilsMessengerCallbackDataEXT *data)
{
	deliver(svk_instance_from_handle(_instance), severity, types, data);
}

void
svk_debug_message(struct svk_instance *instance,
		  VkDebugUtilsMessageSeverityFlagBitsEXT severity,
		  const char *fmt, ...)
{
	VkDebugUtilsMessengerCallbackDataEXT data = {
		.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT,
		.pMessageIdName = "svmgpu",
	};
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	data.pMessage = msg;
	deliver(instance, severity, VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT,
		&data);
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_SetDebugUtilsObjectNameEXT(VkDevice _device,
			       const VkDebugUtilsObjectNameInfoEXT *pNameInfo)
{
	SVK_FROM_HANDLE(svk_device, device, _device);
	struct svk_object_base *obj =
		(struct svk_object_base *)(uintptr_t)pNameInfo->objectHandle;
	char *name = NULL;

	if (pNameInfo->pObjectName) {
		name = svk_strdup(&device->alloc, pNameInfo->pObjectName,
				  VK_SYSTEM_ALLOCATION_SCOPE_OBJECT);
		if (!name)
			return VK_ERROR_OUT_OF_HOST_MEMORY;
	}
	/* Every handle of this driver points to a svk_object_base. The
	 * instance, physical devices and the device itself use the same
	 * allocator here for simplicity: the device's. */
	svk_free(&device->alloc, obj->name);
	obj->name = name;
	return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
svk_SetDebugUtilsObjectTagEXT(VkDevice device,
			      const VkDebugUtilsObjectTagInfoEXT *pTagInfo)
{
	/* Tags are for tools; the driver has no use for them. */
	(void)device;
	(void)pTagInfo;
	return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
svk_QueueBeginDebugUtilsLabelEXT(VkQueue queue, const VkDebugUtilsLabelEXT *pLabelInfo)
{
	(void)queue;
	(void)pLabelInfo;
}

VKAPI_ATTR void VKAPI_CALL
svk_QueueEndDebugUtilsLabelEXT(VkQueue queue)
{
	(void)queue;
}

VKAPI_ATTR void VKAPI_CALL
svk_QueueInsertDebugUtilsLabelEXT(VkQueue queue, const VkDebugUtilsLabelEXT *pLabelInfo)
{
	(void)queue;
	(void)pLabelInfo;
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdBeginDebugUtilsLabelEXT(VkCommandBuffer cb, const VkDebugUtilsLabelEXT *pLabelInfo)
{
	(void)cb;
	(void)pLabelInfo;
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdEndDebugUtilsLabelEXT(VkCommandBuffer cb)
{
	(void)cb;
}

VKAPI_ATTR void VKAPI_CALL
svk_CmdInsertDebugUtilsLabelEXT(VkCommandBuffer cb, const VkDebugUtilsLabelEXT *pLabelInfo)
{
	(void)cb;
	(void)pLabelInfo;
}
