// SPDX-License-Identifier: MIT
/*
 * drmtest.c - finding and opening DRM render and primary nodes by driver
 * name, ioctl wrappers and debugfs lookup for svmgpu's IGT-compatible test
 * library.
 *
 * Nodes are enumerated with libdrm (drmGetDevices2()); if libdrm does not
 * list a node of the driver (it skips devices on buses it cannot parse),
 * /dev/dri/renderD* (or /dev/dri/card*) is scanned instead. Nodes are
 * identified by the DRM_IOCTL_VERSION driver name and ordered by minor
 * number, so that "the n-th svmgpu device" is stable across runs.
 */
#define IGT_LOG_DOMAIN "drmtest"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>

#include "drmtest.h"

#define DEBUGFS_ROOT "/sys/kernel/debug"

/* An open node of the wanted driver. */
struct dri_node {
	unsigned int minor;
	int fd;
};

/* Nodes of one type (DRM_NODE_RENDER or _PRIMARY) of one driver. */
struct node_list {
	const char *driver;
	int type;
	struct dri_node *nodes;
	int count;
	int size;
	int open_errno;	/* first error opening a node, 0 if none */
};

int igt_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret;
}

bool drm_is_driver(int fd, const char *driver)
{
	char name[64] = "";
	struct drm_version version = {
		.name = name,
		.name_len = sizeof(name) - 1,
	};
	int saved_errno = errno;
	bool match;

	if (igt_ioctl(fd, DRM_IOCTL_VERSION, &version)) {
		errno = saved_errno;
		return false;
	}
	/* name_len comes back as the full length, which may not fit. */
	match = version.name_len == strlen(driver) && !strcmp(name, driver);
	errno = saved_errno;
	return match;
}

/* Open @path; keep it in @list if it is a new node of the driver. */
static void consider_node(struct node_list *list, const char *path)
{
	struct dri_node *grown;
	struct stat st;
	int fd, i;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (!list->open_errno)
			list->open_errno = errno;
		return;
	}
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		goto drop;
	for (i = 0; i < list->count; i++)
		if (list->nodes[i].minor == minor(st.st_rdev))
			goto drop;	/* seen through the other enumeration */
	if (!drm_is_driver(fd, list->driver))
		goto drop;

	if (list->count == list->size) {
		int size = list->size ? list->size * 2 : 4;

		grown = realloc(list->nodes, size * sizeof(*grown));
		if (!grown)
			goto drop;
		list->nodes = grown;
		list->size = size;
	}
	list->nodes[list->count].minor = minor(st.st_rdev);
	list->nodes[list->count].fd = fd;
	list->count++;
	return;
drop:
	close(fd);
}

/* Enumerate nodes through libdrm. */
static void find_nodes_libdrm(struct node_list *list)
{
	drmDevicePtr *devices;
	int count, i;

	count = drmGetDevices2(0, NULL, 0);
	if (count <= 0)
		return;
	devices = calloc(count, sizeof(*devices));
	if (!devices)
		return;
	count = drmGetDevices2(0, devices, count);
	for (i = 0; i < count; i++) {
		if (devices[i]->available_nodes & (1 << list->type))
			consider_node(list, devices[i]->nodes[list->type]);
	}
	if (count > 0)
		drmFreeDevices(devices, count);
	free(devices);
}

/* Enumerate nodes by name in /dev/dri. */
static void find_nodes_devdir(struct node_list *list)
{
	const char *prefix = list->type == DRM_NODE_RENDER ? "renderD" : "card";
	struct dirent *entry;
	char path[PATH_MAX];
	DIR *dir;

	dir = opendir("/dev/dri");
	if (!dir)
		return;
	while ((entry = readdir(dir))) {
		if (strncmp(entry->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", entry->d_name);
		consider_node(list, path);
	}
	closedir(dir);
}

static int compare_minor(const void *a, const void *b)
{
	const struct dri_node *na = a, *nb = b;

	return (na->minor > nb->minor) - (na->minor < nb->minor);
}

/* All nodes of @type (DRM_NODE_*) of @driver, open, sorted by minor. */
static void find_nodes(struct node_list *list, const char *driver, int type)
{
	memset(list, 0, sizeof(*list));
	list->driver = driver;
	list->type = type;

	find_nodes_libdrm(list);
	if (!list->count)
		find_nodes_devdir(list);
	qsort(list->nodes, list->count, sizeof(*list->nodes), compare_minor);
}

/* Close every node of @list except the one at @keep (-1: none). */
static void release_nodes(struct node_list *list, int keep)
{
	int i;

	for (i = 0; i < list->count; i++)
		if (i != keep)
			close(list->nodes[i].fd);
	free(list->nodes);
	list->nodes = NULL;
	list->count = 0;
}

int __drm_open_driver_render_nth(const char *driver, unsigned int idx)
{
	struct node_list list;
	unsigned int minor_number;
	int fd;

	find_nodes(&list, driver, DRM_NODE_RENDER);
	if (idx >= (unsigned int)list.count) {
		int err = list.open_errno ? list.open_errno : ENOENT;

		release_nodes(&list, -1);
		errno = err;
		return -1;
	}
	fd = list.nodes[idx].fd;
	minor_number = list.nodes[idx].minor;
	release_nodes(&list, idx);
	igt_debug("opened render minor %u, %s device %u, as fd %d\n",
		  minor_number, driver, idx, fd);
	return fd;
}

int __drm_open_driver_render(const char *driver)
{
	return __drm_open_driver_render_nth(driver, 0);
}

int drm_open_driver_render_nth(const char *driver, unsigned int idx)
{
	int fd = __drm_open_driver_render_nth(driver, idx);

	igt_require_f(fd >= 0,
		      "no render node for %s device %u (driver \"%s\"): is the module loaded and /dev/dri/renderD* accessible?\n",
		      driver, idx, driver);
	return fd;
}

int drm_open_driver_render(const char *driver)
{
	int fd = __drm_open_driver_render(driver);

	igt_require_f(fd >= 0,
		      "no render node of driver \"%s\": is the module loaded and /dev/dri/renderD* accessible?\n",
		      driver);
	return fd;
}

int __drm_open_driver_primary(const char *driver)
{
	struct node_list list;
	unsigned int minor_number;
	int fd;

	find_nodes(&list, driver, DRM_NODE_PRIMARY);
	if (!list.count) {
		int err = list.open_errno ? list.open_errno : ENOENT;

		release_nodes(&list, -1);
		errno = err;
		return -1;
	}
	fd = list.nodes[0].fd;
	minor_number = list.nodes[0].minor;
	release_nodes(&list, 0);
	igt_debug("opened primary minor %u of %s as fd %d\n",
		  minor_number, driver, fd);
	return fd;
}

int drm_open_driver_primary(const char *driver)
{
	int fd = __drm_open_driver_primary(driver);

	igt_require_f(fd >= 0,
		      "no primary node of driver \"%s\": is the module loaded and /dev/dri/card* accessible?\n",
		      driver);
	return fd;
}

int drm_count_render_nodes(const char *driver)
{
	struct node_list list;
	int count;

	find_nodes(&list, driver, DRM_NODE_RENDER);
	count = list.count;
	release_nodes(&list, -1);
	return count;
}

int drm_close_driver(int fd)
{
	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	return close(fd);
}

/* Whether debugfs is mounted on DEBUGFS_ROOT; try to mount it if not. */
static bool debugfs_available(void)
{
	struct statfs sfs;

	if (!statfs(DEBUGFS_ROOT, &sfs) && sfs.f_type == DEBUGFS_MAGIC)
		return true;
	/* Needs CAP_SYS_ADMIN; without it we simply report "not mounted". */
	if (mount("debugfs", DEBUGFS_ROOT, "debugfs", 0, NULL))
		return false;
	return !statfs(DEBUGFS_ROOT, &sfs) && sfs.f_type == DEBUGFS_MAGIC;
}

static int open_dri_minor(unsigned int minor_number)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), DEBUGFS_ROOT "/dri/%u", minor_number);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int __igt_debugfs_dir_for(int drm_fd)
{
	drmDevicePtr device;
	struct stat st;
	int fd;

	if (fstat(drm_fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	if (!debugfs_available())
		return -ENODEV;

	fd = open_dri_minor(minor(st.st_rdev));
	if (fd >= 0)
		return fd;

	/* Older layouts only have the primary minor's directory. */
	if (!drmGetDevice2(drm_fd, 0, &device)) {
		if (device->available_nodes & (1 << DRM_NODE_PRIMARY)) {
			struct stat primary;

			if (!stat(device->nodes[DRM_NODE_PRIMARY], &primary) &&
			    minor(primary.st_rdev) != minor(st.st_rdev)) {
				int ret = open_dri_minor(minor(primary.st_rdev));

				if (ret >= 0)
					fd = ret;
			}
		}
		drmFreeDevice(&device);
	}
	return fd;
}

int igt_debugfs_dir_for(int drm_fd)
{
	struct stat st;
	int fd;

	fd = __igt_debugfs_dir_for(drm_fd);
	if (fd >= 0)
		return fd;

	errno = -fd;
	igt_require_f(fd != -ENODEV,
		      "debugfs is not mounted on " DEBUGFS_ROOT " and could not be mounted\n");
	igt_assert_f(fd != -ENOTTY && !fstat(drm_fd, &st),
		     "fd %d is not a DRM device node\n", drm_fd);
	errno = -fd;
	igt_require_f(fd != -ENOENT && fd != -EACCES && fd != -EPERM,
		      "no accessible debugfs directory " DEBUGFS_ROOT "/dri/%u for this DRM device\n",
		      minor(st.st_rdev));
	errno = -fd;
	igt_assert_f(fd >= 0, "cannot open " DEBUGFS_ROOT "/dri/%u\n",
		     minor(st.st_rdev));
	return fd;
}
