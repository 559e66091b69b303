// SPDX-License-Identifier: MIT
/*
 * device.c - finding, opening and sharing svmgpu devices.
 *
 * Devices are found with libdrm's drmGetDevices2(): every render node is
 * opened and kept if its DRM_IOCTL_VERSION name is "svmgpu". When libdrm
 * lists none (it skips devices on buses it cannot describe), the render
 * nodes of /dev/dri are scanned instead. Nodes are ordered by minor
 * number, so "device n" is stable while the set of devices is.
 *
 * Every device lives in one process-wide list. svmgpu_device_open_fd()
 * looks there first: a DRM file (open file description) that already has
 * a device gets that device back, so one file never has two GEM handle
 * tables. A device's reference count drops to zero only under the list's
 * lock, so the lookup never finds a device that is being freed.
 */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hw/svmgpu_regs.h"
#include "svmgpu_priv.h"

#define SVMGPU_DRIVER_NAME	"svmgpu"

/* svmgpu_devices_lock protects svmgpu_devices and every drop to zero. */
static pthread_mutex_t svmgpu_devices_lock = PTHREAD_MUTEX_INITIALIZER;
static struct svmgpu_device *svmgpu_devices;

/*
 * Reads the DRM driver identity of @fd. Returns 0 if it is svmgpu (and
 * fills the version fields of @info if given), -ENODEV if it is another
 * driver or not DRM at all, -EBADF if @fd is not open.
 */
static int svmgpu_read_version(int fd, struct svmgpu_device_info *info)
{
	char name[sizeof(SVMGPU_DRIVER_NAME) + 1] = "";
	struct drm_version version = {
		.name = name,
		.name_len = sizeof(name) - 1,
	};
	int ret;

	ret = svmgpu_ioctl(fd, DRM_IOCTL_VERSION, &version);
	if (ret)
		return ret == -EBADF ? -EBADF : -ENODEV;
	/* name_len comes back as the full length, which may not fit. */
	if (version.name_len != strlen(SVMGPU_DRIVER_NAME) ||
	    strcmp(name, SVMGPU_DRIVER_NAME))
		return -ENODEV;
	if (info) {
		info->drm_major = version.version_major;
		info->drm_minor = version.version_minor;
		info->drm_patchlevel = version.version_patchlevel;
	}
	return 0;
}

/* An open render node of the svmgpu driver. */
struct svmgpu_node {
	unsigned int minor;
	int fd;
};

/* The svmgpu render nodes found so far, open. */
struct svmgpu_node_list {
	struct svmgpu_node *nodes;
	unsigned int count;
	unsigned int size;
	int open_error;		/* first -errno of opening a node, or 0 */
	int error;		/* -ENOMEM if a node could not be kept */
};

/* Opens @path; keeps it in @list if it is a new svmgpu render node. */
static void svmgpu_consider_node(struct svmgpu_node_list *list,
				 const char *path)
{
	struct stat st;
	unsigned int i;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (!list->open_error)
			list->open_error = -errno;
		return;
	}
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		goto drop;
	for (i = 0; i < list->count; i++)
		if (list->nodes[i].minor == minor(st.st_rdev))
			goto drop;	/* seen through libdrm already */
	if (svmgpu_read_version(fd, NULL))
		goto drop;

	if (list->count == list->size) {
		unsigned int size = list->size ? list->size * 2 : 4;
		struct svmgpu_node *grown;

		grown = realloc(list->nodes, size * sizeof(*grown));
		if (!grown) {
			list->error = -ENOMEM;
			goto drop;
		}
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

/* Render nodes through libdrm. */
static void svmgpu_find_nodes_libdrm(struct svmgpu_node_list *list)
{
	drmDevicePtr *devices;
	int count, i;

	count = drmGetDevices2(0, NULL, 0);
	if (count <= 0)
		return;
	devices = calloc(count, sizeof(*devices));
	if (!devices) {
		list->error = -ENOMEM;
		return;
	}
	count = drmGetDevices2(0, devices, count);
	for (i = 0; i < count; i++)
		if (devices[i]->available_nodes & (1 << DRM_NODE_RENDER))
			svmgpu_consider_node(list,
					     devices[i]->nodes[DRM_NODE_RENDER]);
	if (count > 0)
		drmFreeDevices(devices, count);
	free(devices);
}

/* Render nodes by name in /dev/dri. */
static void svmgpu_find_nodes_devdir(struct svmgpu_node_list *list)
{
	struct dirent *entry;
	char path[PATH_MAX];
	DIR *dir;

	dir = opendir("/dev/dri");
	if (!dir)
		return;
	while ((entry = readdir(dir))) {
		if (strncmp(entry->d_name, "renderD", strlen("renderD")))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", entry->d_name);
		svmgpu_consider_node(list, path);
	}
	closedir(dir);
}

static int svmgpu_compare_minor(const void *a, const void *b)
{
	const struct svmgpu_node *na = a, *nb = b;

	return (na->minor > nb->minor) - (na->minor < nb->minor);
}

/* Fills @list with every svmgpu render node, open, ordered by minor. */
static void svmgpu_find_nodes(struct svmgpu_node_list *list)
{
	memset(list, 0, sizeof(*list));
	svmgpu_find_nodes_libdrm(list);
	if (!list->count)
		svmgpu_find_nodes_devdir(list);
	if (list->count)
		qsort(list->nodes, list->count, sizeof(*list->nodes),
		      svmgpu_compare_minor);
}

/* Closes every node of @list except the one at @keep (-1: none). */
static void svmgpu_release_nodes(struct svmgpu_node_list *list, long keep)
{
	unsigned int i;

	for (i = 0; i < list->count; i++)
		if ((long)i != keep)
			close(list->nodes[i].fd);
	free(list->nodes);
	memset(list, 0, sizeof(*list));
}

/* Whether @a and @b are the same open file description. */
static bool svmgpu_same_file(int a, int b)
{
	pid_t pid = getpid();

	return syscall(SYS_kcmp, pid, pid, KCMP_FILE, a, b) == 0;
}

static int svmgpu_get_param(int fd, uint32_t param, uint64_t *value)
{
	struct drm_svmgpu_get_param args = { .param = param };
	int ret;

	ret = svmgpu_ioctl(fd, DRM_IOCTL_SVMGPU_GET_PARAM, &args);
	if (!ret)
		*value = args.value;
	return ret;
}

/* Reads everything struct svmgpu_device_info holds. */
static int svmgpu_read_info(int fd, struct svmgpu_device_info *info)
{
	uint64_t rev, va_bits, sizes, engines, index;
	char *node;
	int ret;

	ret = svmgpu_read_version(fd, info);
	if (ret)
		return ret;
	if ((ret = svmgpu_get_param(fd, DRM_SVMGPU_PARAM_HW_REVISION, &rev)) ||
	    (ret = svmgpu_get_param(fd, DRM_SVMGPU_PARAM_VA_BITS, &va_bits)) ||
	    (ret = svmgpu_get_param(fd, DRM_SVMGPU_PARAM_PAGE_SIZES, &sizes)) ||
	    (ret = svmgpu_get_param(fd, DRM_SVMGPU_PARAM_NUM_ENGINES, &engines)) ||
	    (ret = svmgpu_get_param(fd, DRM_SVMGPU_PARAM_DEVICE_INDEX, &index)))
		return ret;

	/* Built for major M: works with any minor of M, nothing else. */
	if (SVMGPU_REVISION_MAJOR(rev) != SVMGPU_LIB_HW_MAJOR)
		return -ENOTSUP;
	/* The guard at the top must fit below the VA width. */
	if (va_bits <= 22 || va_bits > 64)
		return -ENOTSUP;

	info->hw_revision = rev;
	info->va_bits = va_bits;
	info->page_sizes = sizes;
	info->num_engines = engines;
	info->device_index = index;
	info->va_start = DRM_SVMGPU_VM_GUARD;
	info->va_end = (va_bits == 64 ? 0 : 1ull << va_bits) -
		       DRM_SVMGPU_VM_GUARD;
	info->max_bo_size = DRM_SVMGPU_GEM_MAX_SIZE;

	/* Kernels before the parameter have no optional features. */
	if (svmgpu_get_param(fd, DRM_SVMGPU_PARAM_FEATURES, &info->features))
		info->features = 0;

	node = drmGetDeviceNameFromFd2(fd);
	if (node) {
		snprintf(info->node, sizeof(info->node), "%s", node);
		free(node);
	}
	return 0;
}

/*
 * Makes a device of @fd, which it takes over (closed on failure too).
 * The caller holds svmgpu_devices_lock; the device goes into the list.
 */
static int svmgpu_device_create_locked(int fd, struct svmgpu_device **out)
{
	struct svmgpu_device *dev;
	int ret;

	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		ret = -ENOMEM;
		goto err_close;
	}
	ret = svmgpu_read_info(fd, &dev->info);
	if (ret)
		goto err_free;
	ret = -pthread_mutex_init(&dev->bo_lock, NULL);
	if (ret)
		goto err_free;

	dev->fd = fd;
	atomic_init(&dev->refcount, 1);
	dev->next = svmgpu_devices;
	svmgpu_devices = dev;
	*out = dev;
	return 0;

err_free:
	free(dev);
err_close:
	close(fd);
	return ret;
}

void svmgpu_device_get(struct svmgpu_device *dev)
{
	atomic_fetch_add(&dev->refcount, 1);
}

void svmgpu_device_put(struct svmgpu_device *dev)
{
	struct svmgpu_device **link;
	unsigned int old = atomic_load(&dev->refcount);

	/* Not the last reference: no lock needed. */
	while (old > 1)
		if (atomic_compare_exchange_weak(&dev->refcount, &old, old - 1))
			return;

	pthread_mutex_lock(&svmgpu_devices_lock);
	if (atomic_fetch_sub(&dev->refcount, 1) != 1) {
		pthread_mutex_unlock(&svmgpu_devices_lock);
		return;
	}
	for (link = &svmgpu_devices; *link; link = &(*link)->next) {
		if (*link == dev) {
			*link = dev->next;
			break;
		}
	}
	pthread_mutex_unlock(&svmgpu_devices_lock);

	/* Every BO holds a reference: the table is empty by now. */
	free(dev->bo_table);
	pthread_mutex_destroy(&dev->bo_lock);
	close(dev->fd);
	free(dev);
}

SVMGPU_PUBLIC int svmgpu_device_count(void)
{
	struct svmgpu_node_list list;
	int count;

	svmgpu_find_nodes(&list);
	count = list.count;
	if (!count && list.error)
		count = list.error;
	svmgpu_release_nodes(&list, -1);
	return count;
}

SVMGPU_PUBLIC int svmgpu_device_open(unsigned int index,
				     struct svmgpu_device **dev)
{
	struct svmgpu_node_list list;
	int fd, ret;

	if (!dev)
		return -EINVAL;

	svmgpu_find_nodes(&list);
	if (index >= list.count) {
		ret = list.error ? list.error :
		      list.open_error ? list.open_error : -ENODEV;
		svmgpu_release_nodes(&list, -1);
		return ret;
	}
	fd = list.nodes[index].fd;
	svmgpu_release_nodes(&list, index);

	/* A new file: no other device can have it. */
	pthread_mutex_lock(&svmgpu_devices_lock);
	ret = svmgpu_device_create_locked(fd, dev);
	pthread_mutex_unlock(&svmgpu_devices_lock);
	return ret;
}

SVMGPU_PUBLIC int svmgpu_device_open_fd(int fd, struct svmgpu_device **dev)
{
	struct svmgpu_device *d;
	int ret, own;

	if (!dev || fd < 0)
		return -EINVAL;
	if (fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	ret = svmgpu_read_version(fd, NULL);
	if (ret)
		return ret;

	/* Lookup and creation under one lock: one device per file. */
	pthread_mutex_lock(&svmgpu_devices_lock);
	for (d = svmgpu_devices; d; d = d->next) {
		if (svmgpu_same_file(d->fd, fd)) {
			/* Listed devices have references (see _put()). */
			svmgpu_device_get(d);
			*dev = d;
			pthread_mutex_unlock(&svmgpu_devices_lock);
			return 0;
		}
	}
	own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (own < 0)
		ret = -errno;
	else
		ret = svmgpu_device_create_locked(own, dev);
	pthread_mutex_unlock(&svmgpu_devices_lock);
	return ret;
}

SVMGPU_PUBLIC int svmgpu_device_destroy(struct svmgpu_device *dev)
{
	if (!dev)
		return -EINVAL;
	svmgpu_device_put(dev);
	return 0;
}

SVMGPU_PUBLIC int svmgpu_device_get_fd(struct svmgpu_device *dev)
{
	if (!dev)
		return -EINVAL;
	return dev->fd;
}

SVMGPU_PUBLIC int svmgpu_device_get_info(struct svmgpu_device *dev,
					 const struct svmgpu_device_info **info)
{
	if (!dev || !info)
		return -EINVAL;
	*info = &dev->info;
	return 0;
}

SVMGPU_PUBLIC int svmgpu_device_query(struct svmgpu_device *dev,
				      uint32_t param, uint64_t *value)
{
	if (!dev || !value)
		return -EINVAL;
	return svmgpu_get_param(dev->fd, param, value);
}
