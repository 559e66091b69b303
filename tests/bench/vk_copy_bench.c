// SPDX-License-Identifier: MIT
/*
 * vk_copy_bench - Vulkan copy bandwidth, for the vk-copy-64m and
 * vk-svm-copy-64m benchmarks (docs/benchmarks.md).
 *
 *   vk_copy_bench buffer --driver lavapipe|svmgpu [--name NAME]
 *                 [--size BYTES] [--runs N] [--samples]
 *   vk_copy_bench svm [--name NAME] [--size BYTES] [--runs N]
 *
 * buffer: vkCmdCopyBuffer of SIZE bytes between two host-visible,
 * host-coherent buffers (each with its own VkDeviceMemory), on the driver
 * VK_DRIVER_FILES selects; --driver says which driver that must be and
 * the device is checked (umd/vkapp). Prints "value NAME.median
 * N MB/s" (NAME defaults to vk-copy); --samples also prints every run's
 * bandwidth as "samples NAME.median v v ..." (run-bench pools them over
 * several rounds).
 *
 * svm: svmgpu only, on a device with VK_EXT_system_allocated_memory's
 * systemAllocatedMemory and systemAllocatedMemoryAddressCommands features:
 * vkCmdCopySystemMemoryEXT of SIZE bytes between two malloc()ed arrays,
 * pre-faulted (written by the CPU, then vkCmdPrefetchSystemMemoryEXT),
 * against vkCmdCopyBuffer of SIZE bytes between two buffers of the same
 * device and queue, runs alternating. Prints "value NAME.svm" and
 * "value NAME.buffer" in MB/s (NAME defaults to vk-svm-copy).
 *
 * Each copy is one command in a command buffer recorded once; a run times
 * vkQueueSubmit() to the return of vkWaitForFences() (vkResetFences()
 * untimed). The source holds a pattern with no zero word; before every
 * run the destination is zeroed by the CPU and after it the whole
 * destination is compared with the source, so a copy that does not
 * happen, or happens wrong, ends the program (exit 1) instead of giving a
 * number. One warm-up run of each copy is not counted. The value is the
 * median of the runs (MB = 10^6 bytes); each run is in the output.
 *
 * Exit status: 0 done; 1 a Vulkan call failed or a copy came out wrong;
 * 2 usage, no device of the requested driver, or no extension.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vk_bench_util.h"

#define FENCE_TIMEOUT_NS (120ull * 1000000000ull)

struct bench {
	struct vkapp_device vk;
	const char *name;
};

struct buf {
	VkBuffer buffer;
	VkDeviceMemory mem;
	void *map;
};

static void fill_pattern(void *p, uint64_t size, uint64_t seed)
{
	uint64_t *w = p, i;

	for (i = 0; i < size / 8; i++) {
		uint64_t v = (i + 1) * 0x9e3779b97f4a7c15ull ^ seed;

		w[i] = v ? v : 1;
	}
	memset((char *)p + size / 8 * 8, 0xa5, size % 8);
}

/* Exits 1 unless dst holds src. */
static void check_copy(const char *what, const void *dst, const void *src,
		       uint64_t size, unsigned int run)
{
	const unsigned char *d = dst, *s = src;
	uint64_t i;

	if (!memcmp(dst, src, size))
		return;
	for (i = 0; i < size && d[i] == s[i]; i++)
		;
	vkapp_die(1, "%s: run %u: the copy came out wrong: first difference at "
		"byte %llu of %llu (0x%02x, expected 0x%02x)", what, run,
		(unsigned long long)i, (unsigned long long)size, d[i], s[i]);
}

static void create_buffer(struct bench *b, struct buf *x, uint64_t size)
{
	const VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
					   VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
	VkBufferCreateInfo bci = {
		.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
		.size = size,
		.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
			 VK_BUFFER_USAGE_TRANSFER_DST_BIT,
		.sharingMode = VK_SHARING_MODE_EXCLUSIVE,
	};
	VkPhysicalDeviceMemoryProperties mp;
	VkMemoryRequirements req;
	uint32_t type;

	vkapp_check(vkCreateBuffer(b->vk.device, &bci, NULL, &x->buffer), "vkCreateBuffer");
	vkGetBufferMemoryRequirements(b->vk.device, x->buffer, &req);
	vkGetPhysicalDeviceMemoryProperties(b->vk.physical_device, &mp);
	for (type = 0; type < mp.memoryTypeCount; type++)
		if ((req.memoryTypeBits & (1u << type)) &&
		    (mp.memoryTypes[type].propertyFlags & want) == want)
			break;
	if (type == mp.memoryTypeCount)
		vkapp_die(1, "no host-visible, host-coherent memory type for a buffer");

	VkMemoryAllocateInfo mai = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
		.allocationSize = req.size,
		.memoryTypeIndex = type,
	};

	vkapp_check(vkAllocateMemory(b->vk.device, &mai, NULL, &x->mem), "vkAllocateMemory");
	vkapp_check(vkBindBufferMemory(b->vk.device, x->buffer, x->mem, 0),
		  "vkBindBufferMemory");
	vkapp_check(vkMapMemory(b->vk.device, x->mem, 0, VK_WHOLE_SIZE, 0, &x->map),
		  "vkMapMemory");
}

static void destroy_buffer(struct bench *b, struct buf *x)
{
	vkUnmapMemory(b->vk.device, x->mem);
	vkDestroyBuffer(b->vk.device, x->buffer, NULL);
	vkFreeMemory(b->vk.device, x->mem, NULL);
}

static VkCommandBuffer record_buffer_copy(struct bench *b, struct buf *src,
					  struct buf *dst, uint64_t size)
{
	VkCommandBuffer cb = vkapp_begin_command_buffer(&b->vk);
	VkBufferCopy region = { .size = size };

	vkCmdCopyBuffer(cb, src->buffer, dst->buffer, 1, &region);
	vkapp_check(vkEndCommandBuffer(cb), "vkEndCommandBuffer");
	return cb;
}

/* One checked copy run: zero dst, submit cb, compare; returns MB/s. */
static double timed_copy(struct bench *b, const char *what, VkCommandBuffer cb,
			 void *dst, const void *src, uint64_t size,
			 unsigned int run)
{
	uint64_t ns;
	double mbs;

	memset(dst, 0, size);
	ns = vkapp_submit_wait(&b->vk, cb, FENCE_TIMEOUT_NS);
	check_copy(what, dst, src, size, run);
	mbs = size / (ns / 1e9) / 1e6;
	printf("info %s %s run %u: %.3f ms, %.1f MB/s\n", b->name, what, run,
	       ns / 1e6, mbs);
	return mbs;
}

static void report(struct bench *b, const char *key, const char *what,
		   double *v, unsigned int runs)
{
	double med = vkb_median(v, runs);

	printf("info %s %s: %u runs, median %.1f MB/s, best %.1f, worst %.1f\n",
	       b->name, what, runs, med, v[runs - 1], v[0]);
	printf("value %s.%s %.1f MB/s\n", b->name, key, med);
}

static int mode_buffer(struct bench *b, enum vkapp_driver driver, uint64_t size,
		       unsigned int runs, bool samples)
{
	struct buf src, dst;
	VkCommandBuffer cb;
	double *bw = calloc(runs, sizeof(*bw));

	if (!bw)
		vkapp_die(1, "out of memory");
	vkapp_physical_device_init(&b->vk, driver, b->name);
	vkapp_device_init(&b->vk, false);
	create_buffer(b, &src, size);
	create_buffer(b, &dst, size);
	fill_pattern(src.map, size, 0x5eed);
	cb = record_buffer_copy(b, &src, &dst, size);

	timed_copy(b, "vkCmdCopyBuffer warm-up", cb, dst.map, src.map, size, 0);
	for (unsigned int r = 0; r < runs; r++)
		bw[r] = timed_copy(b, "vkCmdCopyBuffer", cb, dst.map, src.map,
				   size, r + 1);
	if (samples) {
		printf("samples %s.median", b->name);
		for (unsigned int r = 0; r < runs; r++)
			printf(" %.1f", bw[r]);
		printf("\n");
	}
	report(b, "median", "vkCmdCopyBuffer", bw, runs);

	vkFreeCommandBuffers(b->vk.device, b->vk.command_pool, 1, &cb);
	destroy_buffer(b, &src);
	destroy_buffer(b, &dst);
	vkapp_device_finish(&b->vk);
	free(bw);
	return 0;
}

static int mode_svm(struct bench *b, uint64_t size, unsigned int runs)
{
	const uint64_t gran = 4096; /* systemMemoryRangeGranularity, checked */
	VkPhysicalDeviceSystemAllocatedMemoryPropertiesEXT sp = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SYSTEM_ALLOCATED_MEMORY_PROPERTIES_EXT,
	};
	VkPhysicalDeviceProperties2 p2 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
		.pNext = &sp,
	};
	struct buf bsrc, bdst;
	VkCommandBuffer cb_svm, cb_buf, cb_pf;
	double *bw_svm = calloc(runs, sizeof(double));
	double *bw_buf = calloc(runs, sizeof(double));
	char *msrc = malloc(size), *mdst = malloc(size);

	if (!bw_svm || !bw_buf || !msrc || !mdst)
		vkapp_die(1, "out of memory (two malloc()s of %llu bytes)",
			(unsigned long long)size);
	vkapp_physical_device_init(&b->vk, VKAPP_SVMGPU, b->name);
	vkapp_device_init(&b->vk, true);
	vkGetPhysicalDeviceProperties2(b->vk.physical_device, &p2);
	if (!sp.systemMemoryRangeGranularity ||
	    gran % sp.systemMemoryRangeGranularity)
		vkapp_die(1, "systemMemoryRangeGranularity %llu does not divide 4096",
			(unsigned long long)sp.systemMemoryRangeGranularity);

	/* Pre-fault both arrays on the CPU: the source with the pattern,
	 * the destination with zeroes. */
	fill_pattern(msrc, size, 0x5eed);
	memset(mdst, 0, size);
	printf("info %s malloc()ed arrays at %p and %p (offset %llu in their 4 KiB page)\n",
	       b->name, (void *)msrc, (void *)mdst,
	       (unsigned long long)((uintptr_t)msrc % gran));

	create_buffer(b, &bsrc, size);
	create_buffer(b, &bdst, size);
	fill_pattern(bsrc.map, size, 0x5eed);

	/* Map both arrays in the GPU before any timed run: a prefetch of
	 * the 4 KiB pages they cover (submitted on its own, untimed). */
	cb_pf = vkapp_begin_command_buffer(&b->vk);
	vkapp_cmd_prefetch_pages(&b->vk, cb_pf, msrc, size);
	vkapp_cmd_prefetch_pages(&b->vk, cb_pf, mdst, size);
	vkapp_check(vkEndCommandBuffer(cb_pf), "vkEndCommandBuffer (prefetch)");
	printf("info %s prefetch of both arrays: %.3f ms\n", b->name,
	       vkapp_submit_wait(&b->vk, cb_pf, FENCE_TIMEOUT_NS) / 1e6);

	cb_svm = vkapp_begin_command_buffer(&b->vk);
	{
		VkSystemMemoryCopyEXT region = {
			.srcAddress = (uintptr_t)msrc,
			.dstAddress = (uintptr_t)mdst,
			.size = size,
		};

		b->vk.cmd_copy_system_memory(cb_svm, 1, &region);
	}
	vkapp_check(vkEndCommandBuffer(cb_svm), "vkEndCommandBuffer (system memory copy)");
	cb_buf = record_buffer_copy(b, &bsrc, &bdst, size);

	timed_copy(b, "vkCmdCopySystemMemoryEXT warm-up", cb_svm, mdst, msrc, size, 0);
	timed_copy(b, "vkCmdCopyBuffer warm-up", cb_buf, bdst.map, bsrc.map, size, 0);
	/* Alternate which goes first, so a drift hits both alike. */
	for (unsigned int r = 0; r < runs; r++) {
		if (r % 2 == 0) {
			bw_svm[r] = timed_copy(b, "vkCmdCopySystemMemoryEXT", cb_svm,
					       mdst, msrc, size, r + 1);
			bw_buf[r] = timed_copy(b, "vkCmdCopyBuffer", cb_buf,
					       bdst.map, bsrc.map, size, r + 1);
		} else {
			bw_buf[r] = timed_copy(b, "vkCmdCopyBuffer", cb_buf,
					       bdst.map, bsrc.map, size, r + 1);
			bw_svm[r] = timed_copy(b, "vkCmdCopySystemMemoryEXT", cb_svm,
					       mdst, msrc, size, r + 1);
		}
	}
	report(b, "svm", "vkCmdCopySystemMemoryEXT", bw_svm, runs);
	report(b, "buffer", "vkCmdCopyBuffer", bw_buf, runs);

	VkCommandBuffer cbs[3] = { cb_pf, cb_svm, cb_buf };

	vkFreeCommandBuffers(b->vk.device, b->vk.command_pool, 3, cbs);
	destroy_buffer(b, &bsrc);
	destroy_buffer(b, &bdst);
	vkapp_device_finish(&b->vk);
	free(msrc);
	free(mdst);
	free(bw_svm);
	free(bw_buf);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vk_copy_bench buffer --driver lavapipe|svmgpu [--name NAME] "
		"[--size BYTES] [--runs N] [--samples]\n"
		"       vk_copy_bench svm [--name NAME] [--size BYTES] [--runs N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench b = { 0 };
	uint64_t size = 64ull << 20;
	unsigned int runs = 9;
	bool have_driver = false, samples = false, svm = false;
	enum vkapp_driver driver = VKAPP_SVMGPU;

	vkapp_prog = "vk_copy_bench";
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "buffer"))
		svm = false;
	else if (!strcmp(argv[1], "svm"))
		svm = true;
	else
		usage();
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--driver") && i + 1 < argc) {
			driver = vkb_parse_driver(argv[++i]);
			have_driver = true;
		} else if (!strcmp(argv[i], "--samples") && !svm) {
			samples = true;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			b.name = argv[++i];
		} else if (!strcmp(argv[i], "--size") && i + 1 < argc) {
			size = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = strtoul(argv[++i], NULL, 0);
		} else {
			usage();
		}
	}
	if (!size || !runs)
		vkapp_die(2, "--size and --runs must be > 0");
	if (svm ? (have_driver && driver != VKAPP_SVMGPU) : !have_driver)
		usage();
	if (!b.name)
		b.name = svm ? "vk-svm-copy" : "vk-copy";
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("info %s %s copy of %llu bytes, %u runs\n", b.name,
	       svm ? "system memory and buffer" : "buffer",
	       (unsigned long long)size, runs);
	return svm ? mode_svm(&b, size, runs) : mode_buffer(&b, driver, size, runs, samples);
}
