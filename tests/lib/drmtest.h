/* SPDX-License-Identifier: MIT */
/*
 * drmtest.h - DRM device helpers of svmgpu's IGT-compatible test library.
 *
 * Opening the render node of a driver by name (also the n-th one, for
 * multi-device tests) or its primary node (for drivers whose buffers are
 * only made there, like vgem's dumb buffers), ioctl wrappers that retry on
 * interruption and assert their outcome, and the debugfs directory of a
 * device.
 *
 * Convention, as in IGT: __thing() reports failure to its caller
 * (-1 with errno, or -errno, as documented), thing() asserts success or
 * skips when what it needs is absent.
 */
#ifndef SVMGPU_DRMTEST_H
#define SVMGPU_DRMTEST_H

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "igt_core.h"

/** DRIVER_SVMGPU - DRM_IOCTL_VERSION name of the svmgpu driver. */
#define DRIVER_SVMGPU "svmgpu"
/** DRIVER_VGEM - DRM_IOCTL_VERSION name of vgem, the PRIME test partner. */
#define DRIVER_VGEM "vgem"

/**
 * __drm_open_driver_render_nth - open the @idx-th render node of @driver.
 * @driver: driver name as DRM_IOCTL_VERSION reports it, e.g. DRIVER_SVMGPU
 * @idx: 0-based index among that driver's render nodes, ordered by minor
 *
 * Render nodes are found with libdrm's drmGetDevices2() (falling back to
 * scanning /dev/dri/renderD* when libdrm cannot describe the device),
 * opened O_RDWR | O_CLOEXEC and kept only if their driver is @driver.
 *
 * Returns: the file descriptor, or -1 with errno set: ENOENT if there are
 * not @idx + 1 such nodes, or the error of opening a node (e.g. EACCES)
 * when nodes exist that could not be opened.
 */
int __drm_open_driver_render_nth(const char *driver, unsigned int idx);

/**
 * __drm_open_driver_render - open the first render node of @driver.
 * @driver: driver name, e.g. DRIVER_SVMGPU
 *
 * Returns: the file descriptor, or -1 with errno set (see
 * __drm_open_driver_render_nth()).
 */
int __drm_open_driver_render(const char *driver);

/**
 * drm_open_driver_render - open the first render node of @driver or skip.
 * @driver: driver name, e.g. DRIVER_SVMGPU
 *
 * Skips the (sub)test, saying which driver is missing, when there is none.
 *
 * Returns: the file descriptor.
 */
int drm_open_driver_render(const char *driver);

/**
 * drm_open_driver_render_nth - open the @idx-th render node of @driver or skip.
 * @driver: driver name, e.g. DRIVER_SVMGPU
 * @idx: 0-based index among that driver's render nodes
 *
 * Returns: the file descriptor.
 */
int drm_open_driver_render_nth(const char *driver, unsigned int idx);

/**
 * __drm_open_driver_primary - open the first primary node of @driver.
 * @driver: driver name as DRM_IOCTL_VERSION reports it, e.g. DRIVER_VGEM
 *
 * Like __drm_open_driver_render_nth() with index 0, for the primary
 * (/dev/dri/card*) nodes: some ioctls, e.g. DRM_IOCTL_MODE_CREATE_DUMB,
 * are refused on render nodes. The caller may become the DRM master of
 * the device.
 *
 * Returns: the file descriptor, or -1 with errno set: ENOENT if @driver
 * has no primary node, or the error of opening a node (e.g. EACCES).
 */
int __drm_open_driver_primary(const char *driver);

/**
 * drm_open_driver_primary - open the first primary node of @driver or skip.
 * @driver: driver name, e.g. DRIVER_VGEM
 *
 * Skips the (sub)test, saying which driver is missing, when there is none.
 *
 * Returns: the file descriptor.
 */
int drm_open_driver_primary(const char *driver);

/**
 * drm_count_render_nodes - how many render nodes of @driver can be opened.
 * @driver: driver name, e.g. DRIVER_SVMGPU
 *
 * Returns: the number of render nodes, 0 if none.
 */
int drm_count_render_nodes(const char *driver);

/**
 * drm_is_driver - whether @fd is a DRM device of @driver.
 * @fd: any file descriptor
 * @driver: driver name
 *
 * Returns: true if DRM_IOCTL_VERSION on @fd succeeds and names @driver.
 */
bool drm_is_driver(int fd, const char *driver);

/**
 * drm_close_driver - close a descriptor opened by drm_open_driver_*().
 * @fd: the descriptor
 *
 * Returns: 0, or -1 with errno set (EBADF for a negative @fd).
 */
int drm_close_driver(int fd);

/**
 * igt_ioctl - ioctl() that is retried while interrupted.
 * @fd: file descriptor
 * @request: ioctl request number
 * @arg: ioctl argument
 *
 * Returns: what ioctl() returns, retried on EINTR and EAGAIN; -1 with
 * errno on failure.
 */
int igt_ioctl(int fd, unsigned long request, void *arg);

/**
 * do_ioctl - assert that an ioctl succeeds.
 * @fd: file descriptor
 * @req: ioctl request, e.g. DRM_IOCTL_SVMGPU_GET_PARAM
 * @arg: pointer to the ioctl argument
 *
 * The failure message names the ioctl expression and its errno. errno is
 * 0 afterwards.
 */
#define do_ioctl(fd, req, arg) \
	do { \
		if (igt_ioctl((fd), (req), (arg)) != 0) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, \
					  "igt_ioctl(" #fd ", " #req ", " #arg ") == 0", \
					  "%s failed: %s\n", #req, \
					  strerror(errno)); \
		errno = 0; \
	} while (0)

/**
 * do_ioctl_err - assert that an ioctl fails with a given errno.
 * @fd: file descriptor
 * @req: ioctl request, e.g. DRM_IOCTL_SVMGPU_GET_PARAM
 * @arg: pointer to the ioctl argument
 * @err: expected errno, e.g. EINVAL
 *
 * Fails unless the ioctl returns -1 with errno == @err; the message names
 * the ioctl expression, the expected and the actual outcome. errno is 0
 * afterwards.
 */
#define do_ioctl_err(fd, req, arg, err) \
	do { \
		int __igt_ret = igt_ioctl((fd), (req), (arg)); \
		int __igt_errno = __igt_ret == -1 ? errno : 0; \
		if (__igt_ret != -1 || __igt_errno != (err)) { \
			errno = __igt_errno; \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, \
					  "igt_ioctl(" #fd ", " #req ", " #arg \
					  ") == -1 && errno == " #err, \
					  "%s: expected -1 with errno %d (%s), " \
					  "got %d with errno %d (%s)\n", \
					  #req, (err), strerror(err), __igt_ret, \
					  __igt_errno, strerror(__igt_errno)); \
		} \
		errno = 0; \
	} while (0)

/**
 * __igt_debugfs_dir_for - open the debugfs directory of a DRM device.
 * @drm_fd: descriptor of a DRM node (render or primary)
 *
 * Opens /sys/kernel/debug/dri/<minor> (DRM creates one per minor; render
 * minors are 128 and up), falling back to the device's primary minor.
 * Mounts debugfs on /sys/kernel/debug first if it is not mounted and we
 * may.
 *
 * Returns: an O_DIRECTORY descriptor, or -ENODEV when debugfs is not
 * mounted, -ENOTTY when @drm_fd is not a character device, or the -errno
 * of opening the directory.
 */
int __igt_debugfs_dir_for(int drm_fd);

/**
 * igt_debugfs_dir_for - open the debugfs directory of a DRM device or skip.
 * @drm_fd: descriptor of a DRM node
 *
 * Skips when debugfs is not mounted or the device has no (accessible)
 * directory there; fails for any other error.
 *
 * Returns: an O_DIRECTORY descriptor.
 */
int igt_debugfs_dir_for(int drm_fd);

#endif /* SVMGPU_DRMTEST_H */
